from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from deckwright.coverage.documents import READABLE, read_sources
from deckwright.errors import Location
from deckwright.model.words import slugify
from tests.conftest import shared

MOTOR = """\
---
title: Difference Between Upper and Lower Motor Neurons
site: BYJU'S
date: 2023-12-08
url: https://example.org/motor
---
# Upper vs lower motor neurons

| Feature | Upper motor neuron | Lower motor neuron |
|---|---|---|
| Location | Brain and brainstem | Spinal cord |
| Lesion signs | Spastic paralysis | Flaccid paralysis |
"""


def only_document(project):
    sources = read_sources(project.root)
    assert sources.problems == []
    assert len(sources.documents) == 1
    return sources.documents[0]


def rows_of(project):
    return [
        (row.name, row.where.line, row.feature, row.cells) for row in only_document(project).rows
    ]


def test_slugify_joins_words_with_dashes():
    assert slugify("  Lesion signs (clinical)! ") == "lesion-signs-clinical"
    assert slugify("Motor-Neurons-BYJUS") == "motor-neurons-byjus"
    assert slugify("Réflexes ostéo_tendineux") == "réflexes-ostéo-tendineux"


def test_markdown_table_with_feature_column_gives_named_rows_with_lines(project):
    project.write({"sources/motor-neurons-byjus.md": MOTOR})
    document = only_document(project)
    assert [row.header for row in document.rows] == [
        ("Upper motor neuron", "Lower motor neuron")
    ] * 2
    assert rows_of(project) == [
        ("motor-neurons-byjus#location", 11, "Location", ("Brain and brainstem", "Spinal cord")),
        (
            "motor-neurons-byjus#lesion-signs",
            12,
            "Lesion signs",
            ("Spastic paralysis", "Flaccid paralysis"),
        ),
    ]
    assert document.rows[0].where == Location(Path("sources/motor-neurons-byjus.md"), 11)


def test_front_matter_gives_citation_with_date_as_written(project):
    project.write({"sources/motor-neurons-byjus.md": MOTOR})
    document = only_document(project)
    assert document.date == "2023-12-08"
    assert document.url == "https://example.org/motor"
    assert document.citation() == (
        "Difference Between Upper and Lower Motor Neurons — BYJU'S, 2023-12-08"
    )


def test_markdown_two_columns_without_feature_column_name_rows_by_first_six_words(project):
    project.write(
        {
            "sources/neurons.md": """\
                | Upper motor neuron | Lower motor neuron |
                |---|---|
                | Cell body in the motor cortex of the brain | Cell body in the anterior horn |
                | Spastic | Flaccid |
                """
        }
    )
    assert rows_of(project) == [
        (
            "neurons#cell-body-in-the-motor-cortex",
            3,
            "",
            ("Cell body in the motor cortex of the brain", "Cell body in the anterior horn"),
        ),
        ("neurons#spastic", 4, "", ("Spastic", "Flaccid")),
    ]


@pytest.mark.parametrize("first", ["Feature", "Basis of difference", "Characteristics", ""])
def test_markdown_two_columns_with_feature_word_or_empty_corner_have_feature_column(project, first):
    project.write(
        {"sources/n.md": f"| {first} | Upper motor neuron |\n|---|---|\n| Tone | High |\n"}
    )
    assert rows_of(project) == [("n#tone", 3, "Tone", ("High",))]


def test_markdown_inline_markup_is_read_as_plain_text(project):
    project.write(
        {
            "sources/n.md": """\
                | Feature | UMN | LMN |
                |---|---|---|
                | **Muscle** *tone* | `increased` tone | [low](x.org) tone<br>and ![img](a.png)
                """
        }
    )
    assert rows_of(project) == [
        ("n#muscle-tone", 3, "Muscle tone", ("increased tone", "low tone and img"))
    ]


def test_markdown_escaped_pipes_stay_inside_their_cell(project):
    project.write(
        {
            "sources/n.md": """\
                | Feature | UMN | LMN |
                |---|---|---|
                | Reflexes \\| tone | up \\| high | down `\\|` low |
                """
        }
    )
    assert rows_of(project) == [
        ("n#reflexes-tone", 3, "Reflexes | tone", ("up | high", "down | low"))
    ]


def test_markdown_empty_cells_are_kept_and_empty_rows_skipped(project):
    project.write(
        {
            "sources/n.md": """\
                | Feature | UMN | LMN |
                |---|---|---|
                | Babinski sign | Present | |
                | | | |
                | | Up | Down |
                """
        }
    )
    assert rows_of(project) == [
        ("n#babinski-sign", 3, "Babinski sign", ("Present", "")),
        ("n#up", 5, "", ("Up", "Down")),
    ]


def test_markdown_several_tables_are_read_in_order_and_repeated_features_numbered(project):
    project.write(
        {
            "sources/n.md": """\
                | Feature | UMN | LMN |
                |---|---|---|
                | Location | Brain | Spinal cord |

                Some text between the tables.

                | Feature | Spastic | Flaccid |
                |---|---|---|
                | Location | Upper | Lower |
                | Tone | High | Low |
                """
        }
    )
    names = [(name, line) for name, line, _, _ in rows_of(project)]
    assert names == [("n#location", 3), ("n#location-2", 9), ("n#tone", 10)]


def test_document_without_tables_has_no_rows(project):
    project.write({"sources/notes.md": "# Notes\n\nJust prose, and a list:\n\n- one\n- two\n"})
    document = only_document(project)
    assert document.rows == ()
    assert document.citation() == "sources/notes.md"


def test_one_column_table_is_not_a_comparison(project):
    project.write({"sources/n.md": "| Steps |\n|---|\n| one |\n"})
    assert rows_of(project) == []


def test_row_names_survive_reordering_rows_and_editing_other_rows(project):
    project.write({"sources/m.md": MOTOR})
    before = {name: cells for name, _, _, cells in rows_of(project)}
    reordered = MOTOR.replace(
        "| Location | Brain and brainstem | Spinal cord |\n"
        "| Lesion signs | Spastic paralysis | Flaccid paralysis |\n",
        "| Lesion signs | Spastic paralysis | Flaccid paralysis |\n"
        "| Location | Cortex, brainstem | Anterior horn |\n",
    )
    project.write({"sources/m.md": reordered})
    after = {name: (line, cells) for name, line, _, cells in rows_of(project)}
    assert set(after) == set(before)
    assert after["m#lesion-signs"] == (11, before["m#lesion-signs"])


def test_no_sources_folder_means_no_documents(project):
    sources = read_sources(project.root)
    assert (sources.documents, sources.problems, sources.warnings) == ([], [], [])


HTML = """\
<!doctype html>
<html><head>
<title>Difference Between UMN and LMN</title>
<meta property="og:site_name" content="BYJU'S">
<meta name="author" content="A. Writer">
<meta property="article:published_time" content="2023-12-08T10:00:00+05:30">
<link rel="canonical" href="https://example.org/umn-lmn">
<script>var table = "<table><tr><td>not a table</td></tr></table>";</script>
</head><body>
<table>
  <thead><tr><th>Basis</th><th>Upper Motor Neuron</th><th>Lower Motor Neuron</th></tr></thead>
  <tbody>
    <tr><td colspan="3"><b>Anatomy</b></td></tr>
    <tr><td><strong>Location</strong></td><td>Brain<br>and brainstem</td>
      <td>Spinal&nbsp;cord</td></tr>
    <tr><td>Reflexes<td>Hyper-reflexia<td>
    <tr><td>Tone</td><td><a href="#x">Increased</a></td><td>Decreased</td></tr>
  </tbody>
</table>
</body></html>
"""


def test_html_table_with_thead_and_feature_column(project):
    project.write({"sources/umn-lmn.html": HTML})
    document = only_document(project)
    assert rows_of(project) == [
        ("umn-lmn#location", 14, "Location", ("Brain and brainstem", "Spinal cord")),
        ("umn-lmn#reflexes", 16, "Reflexes", ("Hyper-reflexia", "")),
        ("umn-lmn#tone", 17, "Tone", ("Increased", "Decreased")),
    ]
    assert document.rows[0].header == ("Upper Motor Neuron", "Lower Motor Neuron")


def test_html_metadata_gives_the_citation(project):
    project.write({"sources/umn-lmn.html": HTML})
    document = only_document(project)
    assert (document.author, document.url) == ("A. Writer", "https://example.org/umn-lmn")
    assert document.citation() == "Difference Between UMN and LMN — BYJU'S, 2023-12-08"


def test_html_without_thead_or_feature_column_uses_first_row_as_header(project):
    project.write(
        {
            "sources/p.htm": """\
                <p>Intro</p>
                <table>
                <tr><td>Upper motor neuron</td><td>Lower motor neuron</td></tr>
                <tr><td>Spastic <em>paralysis</em></td><td>Flaccid paralysis</td></tr>
                </table>
                <table><tr><th>Only</th></tr><tr><td>one column</td></tr></table>
                """
        }
    )
    assert rows_of(project) == [
        ("p#spastic-paralysis", 4, "", ("Spastic paralysis", "Flaccid paralysis"))
    ]
    assert only_document(project).rows[0].header == ("Upper motor neuron", "Lower motor neuron")


def test_html_table_inside_markdown_keeps_file_lines(project):
    project.write(
        {
            "sources/mixed.md": """\
                # Mixed

                <table>
                <tr><th></th><th>UMN</th></tr>
                <tr><td>Atrophy</td><td>Mild</td></tr>
                </table>
                """
        }
    )
    assert rows_of(project) == [("mixed#atrophy", 5, "Atrophy", ("Mild",))]


def test_front_matter_in_html_wins_over_its_title(project):
    project.write({"sources/umn-lmn.html": "---\ntitle: Motor neurons\ndate: 2024\n---\n" + HTML})
    document = only_document(project)
    assert document.citation() == "Motor neurons — BYJU'S, 2024"
    assert document.rows[0].where.line == 18  # 14 + 4


def test_corrections_replace_the_cells_taught_and_keep_the_published_ones(project):
    project.write(
        {
            "sources/m.md": MOTOR.replace(
                "---\n#",
                "corrections:\n"
                "  Lesion signs:\n"
                "    note: The published table swaps these cells.\n"
                '    cells: ["Flaccid paralysis", "Spastic paralysis"]\n'
                "---\n#",
            )
        }
    )
    rows = only_document(project).rows
    assert rows[0].correction is None
    assert rows[1].cells == ("Spastic paralysis", "Flaccid paralysis")
    assert rows[1].taught == ("Flaccid paralysis", "Spastic paralysis")
    assert rows[1].correction.note == "The published table swaps these cells."
    assert rows[1].correction.where.line == 7


def messages(project):
    sources = read_sources(project.root)
    return [str(p) for p in sources.problems], [str(w) for w in sources.warnings]


def test_correction_of_unknown_row_is_reported_with_suggestion(project):
    project.write(
        {
            "sources/m.md": MOTOR.replace(
                "---\n#", "corrections:\n  lesion-sign:\n    cells: [a, b]\n---\n#"
            )
        }
    )
    assert messages(project) == (
        [
            "sources/m.md:7:3: the correction `lesion-sign` names no row of this document"
            " (did you mean `lesion-signs`?)"
        ],
        [],
    )


def test_correction_with_wrong_number_of_cells_is_reported(project):
    project.write(
        {
            "sources/m.md": MOTOR.replace(
                "---\n#", "corrections:\n  location:\n    cells: [a]\n---\n#"
            )
        }
    )
    assert messages(project)[0] == [
        "sources/m.md:8:12: the correction gives 1 cell(s) but the row compares 2"
        " (Upper motor neuron, Lower motor neuron): give one cell for each"
    ]


def test_front_matter_problems_are_reported_at_their_line(project):
    project.write(
        {
            "sources/a.md": "---\ntitle: [unclosed\n---\n| A | B |\n|---|---|\n| x | y |\n",
            "sources/b.md": "---\ntitle: B\n",
            "sources/c.md": "---\ntitel: C\n---\n",
        }
    )
    problems, warnings = messages(project)
    assert problems[0].startswith("sources/a.md:2:8: this `[` is never closed")
    assert problems[1:] == [
        "sources/b.md:1: front matter opened with `---` is never closed: add a `---` line after it"
    ]
    assert warnings == [
        "sources/c.md:2:1: front matter key `titel` is not used (did you mean `title`?);"
        " used keys: title, site, author, date, url, corrections"
    ]


def test_front_matter_constructs_nothing(project):
    project.write({"sources/a.md": "---\ntitle: !!python/object/apply:os.system [echo hi]\n---\n"})
    problems, _ = messages(project)
    assert problems == [
        "sources/a.md:2:8: the tag `!!python/object/apply:os.system` is not allowed in card"
        " files: remove it and write plain text"
    ]


def test_two_documents_with_the_same_name_are_reported(project):
    project.write({"sources/m.md": MOTOR, "sources/M.html": HTML})
    problems, _ = messages(project)
    assert problems == [
        "sources/m.md: this document's rows would be named `m#...`, like those of"
        " sources/M.html: rename one of the two files"
    ]


def test_document_that_is_not_utf8_is_a_warning(project):
    (project.root / "sources").mkdir()
    (project.root / "sources" / "x.md").write_bytes(b"| a | b |\n\xff\n")
    assert messages(project) == (
        [],
        ["sources/x.md:2: not valid UTF-8: save the document as UTF-8"],
    )


def test_empty_title_falls_back_to_the_file(project):
    project.write({"sources/m.md": "---\ntitle: ~\nsite: BYJU'S\n---\n"})
    assert only_document(project).citation() == "sources/m.md — BYJU'S"


def test_malformed_marked_section_in_html_is_skipped_like_a_browser_does(project):
    project.write(
        {
            "sources/p.html": "<table><tr><th>A</th><th>B</th></tr>\n"
            "<tr><td>x<![ifx>y</td><td>z</td></tr>"
        }
    )
    assert rows_of(project) == [("p#xy", 2, "", ("xy", "z"))]


FRAGMENTS = [
    *("<table>", "</table>", "<tr>", "</tr>", "<td>", "</td>", "<th colspan='x'>", "<thead>"),
    *("<td colspan=99999>", "<![CDATA[", "<!", "<?", "<!--", "-->", "<script>", "</script>"),
    *("&#xffffffff;", "<", ">", "|", "\\|", "---", "\n", "| a | b |\n|---|---|\n", "<![if", "]]>"),
    *("<title>", "x", " ", "<meta name=date content=2023-12-08T1>", "title: [\n", "corrections:"),
]


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=40), st.sampled_from(["md", "html", "txt"]))
def test_any_document_gives_rows_or_problems_never_an_exception(project, parts, suffix):
    project.write(
        {
            f"sources/doc.{suffix}": "".join(parts),
            f"sources/doc.{suffix}.yaml": "".join(parts[::-1]),
        }
    )
    sources = read_sources(project.root)
    assert len(sources.documents) + len(sources.problems) >= 1


SEED_000 = "seeds/000_f2928286f003d2bd.txt"
SEED_002 = "seeds/002_af0eaac286187dea.txt"
MOTOR_NEURONS = ("Upper Motor Neuron", "Lower Motor Neuron")


def copy_seeds(project, *names):
    for name in names:
        (project.root / "sources").mkdir(exist_ok=True)
        (project.root / "sources" / Path(name).name).write_bytes(shared(name).read_bytes())


def test_seeds_as_given_give_six_and_five_rows_comparing_the_two_motor_neurons(project):
    copy_seeds(project, SEED_000, SEED_002)
    sources = read_sources(project.root)
    assert (sources.problems, sources.warnings, sources.unread) == ([], [], [])
    first, second = sources.documents
    assert [row.header for row in first.rows + second.rows] == [MOTOR_NEURONS] * 11
    assert [(row.name, row.where.line, row.split) for row in first.rows] == [
        ("000-f2928286f003d2bd#it-is-entirely-located-in-the", 4, False),
        ("000-f2928286f003d2bd#transmits-motor-impulses-from-the-brain", 5, False),
        ("000-f2928286f003d2bd#cell-bodies-of-upper-motor-neuron", 6, False),
        ("000-f2928286f003d2bd#classified-based-on-the-pathways-they", 7, False),
        ("000-f2928286f003d2bd#they-form-synapses-with-the-lower", 8, False),
        ("000-f2928286f003d2bd#lower-motor-neuron-lesions-result-in", 9, False),
    ]
    assert [(row.name, row.feature, row.cells) for row in second.rows][2] == (
        "002-af0eaac286187dea#injury-symptoms",
        "Injury Symptoms",
        (
            "Spasticity, hyperreflexia, no muscle atrophy",
            "Flaccid paralysis, muscle atrophy, decreased reflexes",
        ),
    )
    assert len(second.rows) == 5


SIDECAR = """\
title: Difference between upper and lower motor neurons
site: A study site
date: 2023-12-08
corrections:
  lower-motor-neuron-lesions-result-in:
    note: The published row gives the lower motor neuron's signs under the upper one.
    cells: ["spastic hyperreflexia, muscle weakness", "atrophy, flaccid weakness, hyporeflexia"]
"""


def test_sidecar_beside_a_text_document_corrects_the_swapped_lesion_row(project):
    copy_seeds(project, SEED_000)
    project.write({"sources/000_f2928286f003d2bd.txt.yaml": SIDECAR})
    document = only_document(project)
    assert document.citation() == (
        "Difference between upper and lower motor neurons — A study site, 2023-12-08"
    )
    lesion = document.rows[-1]
    assert lesion.cells[0].startswith("Lower motor neuron lesions result in")
    assert lesion.taught == (
        "spastic hyperreflexia, muscle weakness",
        "atrophy, flaccid weakness, hyporeflexia",
    )
    assert lesion.correction is not None
    assert lesion.correction.where == Location(Path("sources/000_f2928286f003d2bd.txt.yaml"), 5, 3)


def test_sidecar_problems_are_located_in_the_sidecar(project):
    project.write(
        {
            "sources/a.txt": TEXT_TABLE,
            "sources/a.txt.yaml": "titel: A\ncorrections:\n  nope:\n    cells: [x, y]\n",
            "sources/b.html": "<table><tr><th>A<th>B<tr><td>x<td>y</table>",
            "sources/b.html.yml": "- not a map\n",
        }
    )
    problems, warnings = messages(project)
    assert problems == [
        "sources/a.txt.yaml:3:3: the correction `nope` names no row of this document",
        "sources/b.html.yml:1:1: a document's metadata file must be `key: value` lines such as"
        " `title: ...`",
    ]
    assert warnings == [
        "sources/a.txt.yaml:1:1: front matter key `titel` is not used (did you mean `title`?);"
        " used keys: title, site, author, date, url, corrections"
    ]


TEXT_TABLE = "Feature\tMitosis\tMeiosis\nDivisions\tOne\tTwo\n"


def test_files_that_cannot_be_read_are_named_and_documents_without_tables_noticed(project):
    project.write(
        {
            "sources/slides.pptx": b"PK",
            "sources/notes": "no extension",
            "sources/orphan.txt.yaml": "title: T\n",
            "sources/prose.txt": "Only prose here.\n",
            "sources/table.txt": TEXT_TABLE,
            "sources/.DS_Store": b"\0",
        }
    )
    sources = read_sources(project.root)
    assert sources.problems == []
    kinds = ", ".join(READABLE)  # .md, .markdown, .html, .htm, .txt (and the kinds added later)
    assert [str(w) for w in sources.warnings] == [
        "sources/notes: this document is not read: deckwright cannot read files without an"
        f" extension (it reads {kinds}); save its comparison table as .txt, .md or .html beside"
        " it, or move the file out of sources/",
        "sources/orphan.txt.yaml: this file is not read: a metadata file must sit beside its"
        f" document (sources/orphan.txt is missing or not a kind deckwright reads: {kinds});"
        " rename it to `<document>.yaml` or move it out of sources/",
        f"sources/slides.pptx: this document is not read: deckwright cannot read `.pptx` files"
        f" (it reads {kinds}); save its comparison table as .txt, .md or .html beside it, or move"
        " the file out of sources/",
        "sources/prose.txt: no comparison table found in this document: if it has one, copy it"
        " as a Markdown or tab-separated table (`build-deck sources` shows what was read), else"
        " move it out of sources/",
    ]
    assert [path.as_posix() for path in sources.unread] == [
        "sources/notes",
        "sources/orphan.txt.yaml",
        "sources/slides.pptx",
    ]
    assert [document.path.as_posix() for document in sources.documents] == [
        "sources/prose.txt",
        "sources/table.txt",
    ]


def test_a_document_that_cannot_be_decoded_counts_as_unread(project):
    project.write({"sources/a.txt": b"Feature\tA\tB\nx\t\xff\ty\n"})
    sources = read_sources(project.root)
    assert [str(p) for p in sources.problems + sources.warnings] == [
        "sources/a.txt:2: not valid UTF-8: save the document as UTF-8"
    ]
    assert [path.as_posix() for path in sources.unread] == ["sources/a.txt"]


@pytest.mark.parametrize("first", ["S.No.", "Sl. No", "#", ""])
def test_serial_number_column_never_names_rows(project, first):
    table = f"| {first} | Feature | Mitosis | Meiosis |\n|---|---|---|---|\n"
    table += "| 1 | Divisions | One | Two |\n| 2 | Daughter cells | Two | Four |\n"
    project.write({"sources/cells.md": table})
    assert [
        (row.name, row.feature, row.header, row.cells) for row in only_document(project).rows
    ] == [
        ("cells#divisions", "Divisions", ("Mitosis", "Meiosis"), ("One", "Two")),
        ("cells#daughter-cells", "Daughter cells", ("Mitosis", "Meiosis"), ("Two", "Four")),
    ]


def test_rows_of_a_table_without_feature_column_are_named_by_first_words_not_numbers(project):
    text = "Arteries vs veins\n\n1. Wall: thick; thin\n2. Valves: none; many\n"
    project.write({"sources/vessels.txt": text})
    assert [(row.name, row.where.line) for row in only_document(project).rows] == [
        ("vessels#wall", 3),
        ("vessels#valves", 4),
    ]


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.binary(max_size=300),
    st.sampled_from(["txt", "md", "html", "pdf", "docx", "yaml", "txt.yaml", "TXT", "bin"]),
)
def test_any_bytes_with_any_extension_are_read_or_named_never_an_exception(project, data, suffix):
    folder = project.root / "sources"
    folder.mkdir(exist_ok=True)
    for old in folder.iterdir():
        old.unlink()
    (folder / "doc.txt").write_text(TEXT_TABLE, encoding="utf-8")
    (folder / f"x.{suffix}").write_bytes(data)
    sources = read_sources(project.root)
    named = {p.where.path.name for p in sources.problems + sources.warnings}
    read = {document.path.name for document in sources.documents}
    assert f"x.{suffix}" in named | read
    assert "doc.txt" in read


def test_what_a_browser_saves_beside_a_page_is_part_of_the_page_not_unread(project):
    project.write(
        {
            "sources/page.html": "<table><tr><th>A<th>B<tr><td>x<td>y</table>",
            "sources/page_files/style.css": "body {}",
            "sources/page_files/img/logo.png": b"\x89PNG",
            "sources/other_files/stray.png": b"\x89PNG",
        }
    )
    sources = read_sources(project.root)
    assert [path.as_posix() for path in sources.unread] == ["sources/other_files/stray.png"]
    assert [document.path.as_posix() for document in sources.documents] == ["sources/page.html"]
