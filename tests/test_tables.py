"""Tables as people write them: pipe tables (read without markdown-it where that gives the same),
saved HTML pages and div charts."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from deckwright.coverage import tables
from deckwright.coverage.documents import read_sources
from deckwright.coverage.tables import read_html, read_markdown
from tests.conftest import SHARED_DIR

SHIPPED = sorted((Path(__file__).parent.parent / "sources").glob("*.md"))

CELL = st.one_of(
    st.text(alphabet=" ab1-:", max_size=5),
    st.text(alphabet=" ab1-:|*_`\\[]!<>&~#>\xa0\u3000\x1c", max_size=6),
)
MARK = st.sampled_from(["---", ":--", "--:", ":-:", " - ", "", "-x", ":", "- -"])


@st.composite
def table_lines(draw) -> list[str]:
    """A pipe table, mostly well formed, sometimes indented, in a list or a quote, or broken."""
    width = draw(st.integers(1, 3))
    close = draw(st.sampled_from(["|", "", "| "]))

    def row(size: int) -> str:
        return "|" + "|".join(draw(st.lists(CELL, min_size=size, max_size=size))) + close

    lead = draw(st.sampled_from(["", "", "", " ", "- ", "> ", "1. "]))
    marks = draw(st.lists(MARK, min_size=width, max_size=width))
    edges = draw(st.sampled_from([("", ""), ("|", "|"), ("|", ""), (" ", "")]))
    lines = [lead + row(width), edges[0] + "|".join(marks) + edges[1]]
    sizes = draw(st.lists(st.sampled_from([width, width, width - 1, width + 1]), max_size=4))
    return lines + [row(size) for size in sizes]


BLOCK = st.one_of(
    table_lines(),
    st.just([""]),
    st.just([""]),
    st.lists(st.sampled_from(["text | with pipe", "plain text", "# heading", "- item",
                              "  indented", "    code | x", "```", "<table><tr><td>a</td><td>b</td>"
                              "</tr></table>", "> quote", "---", "| lone | row |", "1. a | b"]),
             min_size=1, max_size=2),
)  # fmt: skip
DOCUMENTS = st.lists(BLOCK, max_size=6).map(lambda blocks: "\n".join(x for b in blocks for x in b))


PLAIN_CELL = st.text(alphabet=" ab1-:", max_size=5)


@st.composite
def plain_table_lines(draw) -> list[str]:
    """A well-formed pipe table with plain cells, rows sometimes short or long, after a blank."""
    width = draw(st.integers(1, 4))
    close = draw(st.sampled_from(["|", "", "|  "]))
    marks = draw(st.lists(MARK.filter(lambda mark: "-" in mark), min_size=width, max_size=width))
    sizes = draw(st.lists(st.sampled_from([width, width, width - 1, width + 1]), max_size=4))
    rows = [draw(st.lists(PLAIN_CELL, min_size=size, max_size=size)) for size in [width, *sizes]]
    lines = ["|" + "|".join(cells) + close for cells in rows]
    return ["", lines[0], draw(st.sampled_from(["", "|"])) + "|".join(marks) + "|", *lines[1:]]


PLAIN_DOCUMENTS = st.lists(
    st.one_of(plain_table_lines(), st.lists(st.sampled_from(["", "text | x", "- a | b", "---"]))),
    max_size=5,
).map(lambda blocks: "\n".join(line for block in blocks for line in block))


@given(DOCUMENTS)
@example("| a | b |\n| --- | --- |\n| x | y |\n")
@example("intro\n\n| a | b |\n|---|---|\n| x |  y  | z |\n\nafter\n")
@example("- item\n\n| a | b |\n| - | - |\n| *x* | y |\n")
@example("| a |\n- |\n")
@example("| a | b |\n:|---\n")
@example("| a | b |\n--- -|---\n")
def test_plain_tables_are_what_markdown_it_reads(document):
    plain = tables._plain_tables(document)
    if plain is not None:
        assert plain == tables._markdown_tables(document)


@settings(max_examples=300)
@given(PLAIN_DOCUMENTS)
def test_well_formed_tables_are_read_as_markdown_it_reads_them(document):
    plain = tables._plain_tables(document)
    if plain is not None:
        assert plain == tables._markdown_tables(document)


@pytest.mark.parametrize("path", SHIPPED, ids=lambda path: path.name)
def test_the_shipped_documents_are_read_without_markdown_it(path):
    body = path.read_text(encoding="utf-8")
    plain = tables._plain_tables(body)
    assert plain
    assert plain == tables._markdown_tables(body)


def test_a_table_in_a_list_or_with_markup_goes_to_markdown_it():
    for body in (
        "- item\n  | a | b |\n  | - | - |\n",
        "| *a* | b |\n| - | - |\n",
        "text\n| a | b |\n| - | - |\n",
        "> | a | b |\n> | - | - |\n",
    ):
        assert tables._plain_tables(body) is None
        assert read_markdown(body) == tables._markdown_tables(body)


def read_sources_of(body: str, suffix: str = "html"):
    """What read_sources finds when sources/doc.<suffix> is `body`."""
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "sources").mkdir()
        (root / "sources" / f"doc.{suffix}").write_text(body, encoding="utf-8")
        return read_sources(root)


def rows(body: str, suffix: str = "html") -> list[tuple[int, str, tuple[str, ...]]]:
    """(line, feature, cells) of each comparison row of `body` read as sources/doc.<suffix>."""
    found = read_sources_of(body, suffix)
    assert found.problems == []
    return [(row.where.line, row.feature, row.cells) for row in found.documents[0].rows]


SAVED_PAGE = """\
<!DOCTYPE html><html><head><title>Mosses and ferns | Plant Notes</title>
<meta property="og:site_name" content="Plant Notes"><script>var t = "<table><tr><td>no";</script>
<link rel="canonical" href="https://example.org/mosses"></head>
<body><nav><ul><li><a href="/">Home</a><li><a href="/x">Quiz</a></ul></nav>
<div class="ad"><iframe src="ad.html"></iframe><script>show("<td>ad</td>")</script></div>
<article><h1>Mosses vs ferns</h1>
<table class="compare">
<tr><th></th><th>Moss</th><th>Fern</th></tr>
<tr><td colspan="3">Structure</td></tr>
<tr><th>Vessels<td>none<td>xylem and phloem
<tr><th>Leaves</th><td colspan="2">true leaves in both? no: <i>phyllids</i> / fronds</td></tr>
<tr><th rowspan="2">Spores</th><td>in a capsule</td><td>in sori</td></tr>
<tr><td>wind</td><td>wind</td></tr>
</table>
<table><thead><tr><th>Feature</th><th>Gametophyte</th><th>Sporophyte</th></tr></thead>
<tbody><tr><td>Ploidy</td><td>n</td><td>2n<table><tr><td>inner</td><td>table</td></tr></table></td></tr>
</tbody></table>
</article><footer><table><tr><td>Contact</td></tr></table></footer>
<table role="presentation"><tr><td>Share this page</td><td>Print</td></tr>
<tr><td>Next: algae</td><td>Back to top</td></tr></table>
<table id="wp-calendar"><tr><th>M</th><th>T</th></tr><tr><td>1</td><td>2</td></tr></table>
</body></html>
"""


def test_saved_page_gives_the_rows_of_every_table_with_their_lines():
    assert rows(SAVED_PAGE) == [
        (10, "Vessels", ("none", "xylem and phloem")),
        (11, "Leaves", ("true leaves in both? no: phyllids / fronds",) * 2),
        (12, "Spores", ("in a capsule", "in sori")),
        (13, "Spores", ("wind", "wind")),
        (16, "Ploidy", ("n", "2n")),
    ]


def test_saved_page_keeps_its_metadata():
    _, meta = read_html(SAVED_PAGE)
    assert meta == {
        "title": "Mosses and ferns | Plant Notes",
        "site": "Plant Notes",
        "url": "https://example.org/mosses",
    }


def test_table_inside_a_table_is_read_as_its_own_table():
    found, _ = read_html(SAVED_PAGE)
    assert [[row.cells for row in table.rows] for table in found][2:4] == [
        [["inner", "table"]],
        [["Contact"]],
    ]


def test_div_chart_in_rows_of_cells_is_read():
    page = (
        '<div class="comparison-chart">\n'
        '  <div class="chart-head"><div>Basis</div><div>Mitosis</div><div>Meiosis</div></div>\n'
        '  <div class="chart-row"><div>Daughter cells</div><div>2</div><div>4</div></div>\n'
        '  <div class="chart-row"><div>Ploidy</div><div>same</div><div>halved</div></div>\n'
        "</div>\n"
    )
    assert rows(page) == [
        (3, "Daughter cells", ("2", "4")),
        (4, "Ploidy", ("same", "halved")),
    ]


def test_div_chart_whose_heading_row_has_no_corner_cell_is_read():
    page = (
        '<div class="vs-table">\n'
        "  <div><div>Mitosis</div><div>Meiosis</div></div>\n"
        "  <div><div>Daughter cells</div><div>2</div><div>4</div></div>\n"
        "</div>\n"
    )
    assert rows(page) == [(3, "Daughter cells", ("2", "4"))]


def test_div_chart_with_one_run_of_cells_per_thing_compared_is_read():
    page = (
        '<div class="Rtable Rtable--2cols">\n'
        '<div class="Rtable-cell Rtable-cell--head">Mitosis</div>\n'
        '<div class="Rtable-cell"><span>Cells made:</span> two</div>\n'
        '<div class="Rtable-cell"><span>Where:</span> body cells</div>\n'
        '<div class="Rtable-cell Rtable-cell--head">Meiosis</div>\n'
        '<div class="Rtable-cell"><span>Cells made:</span> four</div>\n'
        '<div class="Rtable-cell"><span>Where:</span> <b>sex</b> organs</div>\n'
        "</div>\n"
    )
    assert rows(page) == [
        (3, "Cells made", ("two", "four")),
        (4, "Where", ("body cells", "sex organs")),
    ]


def test_div_wrapper_named_like_a_table_does_not_hide_its_table():
    page = '<div class="table-responsive">\n<table><tr><th>A</th><th>B</th></tr>\n'
    page += "<tr><td>x</td><td>y</td></tr></table></div>"
    assert rows(page) == [(3, "", ("x", "y"))]


def test_rows_past_the_html_parsers_last_line_keep_their_lines():
    page = "<p>\n" * 70_000 + "<table><tr><th>A</th><th>B</th></tr>\n"
    page += "<tr><td>x<table><tr><th>I</th><th>J</th></tr>\n"
    page += "<tr><td>k</td><td>l</td></tr></table></td><td>y</td></tr>\n"
    page += "<tr><td>z</td><td>w</td></tr></table>"
    assert rows(page) == [
        (70_002, "", ("x", "y")),
        (70_004, "", ("z", "w")),
        (70_003, "", ("k", "l")),
    ]


def test_table_directly_under_a_list_item_is_read():
    body = "- How they differ:\n| Feature | A | B |\n|---|---|---|\n| Size | big | small |\n"
    assert rows(body, "md") == [(4, "Size", ("big", "small"))]


def test_source_line_directly_under_a_table_is_not_a_row():
    body = "| Feature | A | B |\n|---|---|---|\n| Size | big | small |\nSource: *my textbook*\n"
    assert rows(body, "md") == [(3, "Size", ("big", "small"))]
    body = body.replace("*my textbook*", "BYJU'S | 2023")
    assert rows(body, "md") == [(3, "Size", ("big", "small"))]
    body = "Feature | A | B\n---|---|---\nSize | big | small\n"
    assert rows(body, "md") == [(3, "Size", ("big", "small"))]


def test_table_inside_details_is_read():
    body = "<details>\n<summary>Differences</summary>\n| Feature | A | B |\n| :- | :- | :- |\n"
    body += "| Size | big | small |\n</details>\n"
    assert rows(body, "md") == [(5, "Size", ("big", "small"))]


def test_first_line_rule_is_not_front_matter():
    body = "---\n\n<details open>\n\n---\n\n| Feature | A | B |\n|---|---|---|\n"
    body += "| Size | big | small |\n"
    assert rows(body, "md") == [(9, "Size", ("big", "small"))]


REALDOCS = sorted(
    path
    for path in ((SHARED_DIR / "realdocs").glob("*") if SHARED_DIR else ())
    if path.suffix in (".md", ".html", ".pdf", ".docx")
)


@pytest.mark.skipif(not REALDOCS, reason="no ../shared/realdocs beside the repository")
@pytest.mark.parametrize("path", REALDOCS, ids=lambda path: path.name)
def test_real_document_gives_the_rows_of_its_truth_file(path):
    truth = json.loads(path.with_name(path.name + ".truth.json").read_text(encoding="utf-8"))
    expected = [
        (row["label"], tuple(table["header"][-len(row["cells"]) :]), tuple(row["cells"]))
        for table in truth["tables"]
        for row in table["rows"]
    ]
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "sources").mkdir()
        shutil.copy(path, Path(folder) / "sources" / path.name)
        found = read_sources(Path(folder))
    assert (found.problems, found.warnings) == ([], [])
    assert [(row.feature, row.header, row.cells) for row in found.documents[0].rows] == expected


def test_page_saved_in_its_own_encoding_is_read_in_it(tmp_path):
    page = '<meta charset="iso-8859-7"><table><tr><th>A</th><th>B</th></tr>\n'
    page += "<tr><td>\u03b1-helix</td><td>\u03b2-sheet</td></tr></table>"
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "p.html").write_bytes(page.encode("iso-8859-7"))
    found = read_sources(tmp_path)
    assert [row.cells for row in found.documents[0].rows] == [("\u03b1-helix", "\u03b2-sheet")]


def test_front_matter_may_start_with_a_comment(tmp_path):
    (tmp_path / "sources").mkdir()
    body = "---\n# where this came from\ntitle: Mosses\n---\n# Mosses\n"
    (tmp_path / "sources" / "m.md").write_text(body, encoding="utf-8")
    assert read_sources(tmp_path).documents[0].title == "Mosses"


def test_div_chart_with_aria_roles_is_read():
    page = (
        '<div role="table">\n'
        '<div role="rowgroup"><div role="row"><span role="columnheader">Trait</span>'
        '<span role="columnheader">Frog</span><span role="columnheader">Toad</span></div></div>\n'
        '<div role="rowgroup">\n'
        '<div role="row"><span role="cell">Skin</span><span role="cell">smooth</span>'
        '<span role="cell">warty</span></div>\n'
        "</div></div>"
    )
    assert rows(page) == [(4, "Skin", ("smooth", "warty"))]


def test_links_in_a_div_named_like_a_table_are_no_chart():
    page = '<div class="table-of-contents">\n<div><a href="#a">Intro</a><a href="#b">Body</a></div>'
    page += '\n<div><a href="#c">End</a><a href="#d">Notes</a></div>\n</div>'
    assert rows(page) == []


def test_header_without_the_corner_cell_names_the_things_compared():
    page = "<table><tr><th>Mitosis</th><th>Meiosis</th></tr>\n"
    page += "<tr><th>Daughter cells</th><td>2</td><td>4</td></tr></table>"
    (document,) = read_sources_of(page).documents
    assert [(row.feature, row.header, row.cells) for row in document.rows] == [
        ("Daughter cells", ("Mitosis", "Meiosis"), ("2", "4"))
    ]


def test_title_row_spanning_the_table_above_its_header_is_skipped():
    page = "<table><thead><tr><th colspan=3>Frogs and toads</th></tr>\n"
    page += "<tr><th>Trait</th><th>Frog</th><th>Toad</th></tr></thead>\n"
    page += "<tr><td>Skin</td><td>smooth</td><td>warty</td></tr></table>\n"
    page += "<table><tr><td colspan=2>Newts</td></tr><tr><th>Trait</th><th>Newt</th></tr>\n"
    page += "<tr><td>Tail</td><td>kept</td></tr></table>"
    assert rows(page) == [(3, "Skin", ("smooth", "warty")), (5, "", ("Tail", "kept"))]


def test_page_whose_spans_fill_too_many_cells_is_a_warning(tmp_path, monkeypatch):
    monkeypatch.setattr("deckwright.coverage.html_page.MAX_CELLS", 50)
    (tmp_path / "sources").mkdir()
    page = "<table><tr><th>A</th><th>B</th></tr>" + "<tr><td colspan=9 rowspan=9>x</td>" * 3
    (tmp_path / "sources" / "p.html").write_text(page, encoding="utf-8")
    (tmp_path / "sources" / "n.md").write_text(page, encoding="utf-8")
    found = read_sources(tmp_path)
    assert [str(warning) for warning in found.warnings] == [
        "sources/n.md: its tables fill more than 50 cells: keep only the article",
        "sources/p.html: its tables fill more than 50 cells: keep only the article",
    ]


def test_rule_then_a_line_with_a_colon_is_not_front_matter():
    table = "| Feature | A | B |\n|---|---|---|\n| Size | big | small |\n"
    body = "---\nNote: from the week 2 lecture\n\n---\n\n" + table
    assert rows(body, "md") == [(8, "Size", ("big", "small"))]
    assert rows("---\nNote: open to the end\n\n" + table, "md") == [(6, "Size", ("big", "small"))]


def test_lxml_pdfplumber_and_docx_are_imported_only_for_their_documents(tmp_path):
    (tmp_path / "cards").mkdir()
    (tmp_path / "cards" / "a.yaml").write_text("deck: D\ncards:\n  - front: f\n    back: b\n")
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "t.md").write_text("| A | B |\n| --- | --- |\n| x | y |\n")
    code = (
        "import sys; from pathlib import Path; from deckwright.build import build;"
        f" build(Path({str(tmp_path)!r}), write=False);"
        " print(sorted({'lxml', 'pdfplumber', 'docx'} & set(sys.modules)))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.stdout.strip() == "[]", done.stderr


def test_markdown_it_is_imported_only_for_markdown_documents(tmp_path):
    import subprocess
    import sys

    (tmp_path / "cards").mkdir()
    (tmp_path / "cards" / "a.yaml").write_text("deck: D\ncards:\n  - front: f\n    back: b\n")
    code = (
        "import sys; from pathlib import Path; from deckwright.build import build;"
        f" build(Path({str(tmp_path)!r}), write=False); print('markdown_it' in sys.modules)"
    )
    for expected in ("False", "True"):
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        assert out.stdout.strip() == expected, out.stderr
        (tmp_path / "sources").mkdir(exist_ok=True)
        (tmp_path / "sources" / "t.md").write_text("| *a* | b |\n| --- | --- |\n| f | b |\n")
