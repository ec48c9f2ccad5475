import re

import pytest
import yaml

from deckwright.build import build
from deckwright.errors import BuildFailed

DOCUMENT = """\
---
title: Difference Between Upper and Lower Motor Neurons
site: BYJU'S
date: 2023-12-08
corrections:
  lesion-signs:
    note: The published table swaps the two cells of this row.
    cells: ["Spastic paralysis", "Flaccid paralysis"]
---
| Feature | Upper motor neuron | Lower motor neuron |
|---|---|---|
| Location | Brain and brainstem | Spinal cord |
| Lesion signs | Flaccid paralysis | Spastic paralysis |
| Muscle wasting | Mild, from disuse | Marked atrophy |
"""
CITATION = "Difference Between Upper and Lower Motor Neurons — BYJU'S, 2023-12-08"

CARDS = """\
deck: Neuro
source: Lecture 3 handout
cards:
  - id: umn-location
    front: Where are upper motor neuron cell bodies?
    back: Brain and brainstem
    covers: [motor-neurons-byjus#location]
  - id: lesion
    front: Lesion signs of UMN vs LMN?
    back: Spastic vs flaccid paralysis
    source: My own notes
    covers:
      - Motor-Neurons-BYJUS#Lesion signs
  - id: plain
    front: What is a motor unit?
    back: One lower motor neuron and the muscle fibres it supplies
"""


def built(project, cards=CARDS, document=DOCUMENT):
    files = {"cards/neuro.yaml": cards}
    if document is not None:
        files["sources/motor-neurons-byjus.md"] = document
    project.write(files)
    return build(project.root, write=False)


def failure(project, cards, document=DOCUMENT):
    with pytest.raises(BuildFailed) as failed:
        built(project, cards, document)
    return [str(problem) for problem in failed.value.problems]


def test_rows_named_in_covers_are_covered_and_others_not(project):
    report = built(project).coverage
    assert report.line() == "2/3 comparison rows covered"
    assert [(r.row.name, [c.id for c in r.covered_by]) for r in report.rows] == [
        ("motor-neurons-byjus#location", ["umn-location"]),
        ("motor-neurons-byjus#lesion-signs", ["lesion"]),
        ("motor-neurons-byjus#muscle-wasting", []),
    ]
    assert [r.row.name for r in report.uncovered] == ["motor-neurons-byjus#muscle-wasting"]


def test_summary_ends_with_the_coverage_line(project):
    assert built(project).summary().splitlines()[-1] == "2/3 comparison rows covered"


def test_no_sources_folder_gives_zero_of_zero(project):
    cards = re.sub(r"    covers:.*\n(      - .*\n)?", "", CARDS)
    result = built(project, cards=cards, document=None)
    assert result.summary().splitlines()[-1] == "0/0 comparison rows covered"
    assert result.coverage.details() == ""


def test_covering_card_cites_the_document_unless_it_has_its_own_source(project):
    sources = {row.fields[0]: row.fields[3] for row in built(project).notes}
    assert sources == {
        "Where are upper motor neuron cell bodies?": CITATION,
        "Lesion signs of UMN vs LMN?": "My own notes",
        "What is a motor unit?": "Lecture 3 handout",
    }


def test_details_list_corrected_and_uncovered_rows_in_document_order(project):
    assert built(project).coverage.details().splitlines() == [
        "corrected: sources/motor-neurons-byjus.md:13 motor-neurons-byjus#lesion-signs:"
        " The published table swaps the two cells of this row.",
        "",
        "uncovered: sources/motor-neurons-byjus.md:14 motor-neurons-byjus#muscle-wasting",
        "  cells: Muscle wasting | Mild, from disuse | Marked atrophy",
        "  suggested card, to paste under `cards:` in a card file:",
        "  - id: motor-neurons-byjus-muscle-wasting",
        "    cloze: 'Muscle wasting — Upper motor neuron: {{c1::Mild, from disuse}};"
        " Lower motor neuron: {{c2::Marked atrophy}}'",
        "    covers: [motor-neurons-byjus#muscle-wasting]",
    ]


def test_uncovered_corrected_row_shows_and_suggests_the_corrected_cells(project):
    details = built(project, cards=CARDS.replace("Lesion signs\n", "Location\n")).coverage.details()
    assert (
        "uncovered: sources/motor-neurons-byjus.md:13 motor-neurons-byjus#lesion-signs\n"
        "  cells: Lesion signs | Flaccid paralysis | Spastic paralysis\n"
        "  corrected: Lesion signs | Spastic paralysis | Flaccid paralysis"
        " (The published table swaps the two cells of this row.)\n"
    ) in details
    assert "Upper motor neuron: {{c1::Spastic paralysis}}" in details


def test_card_that_mentions_a_rows_terms_is_a_hint_not_coverage(project):
    cards = CARDS + (
        "  - id: atrophy\n"
        "    cloze: Loss of lower motor neurons causes {{c1::marked atrophy}} of the muscle.\n"
    )
    report = built(project, cards=cards).coverage
    wasting = report.rows[2]
    assert wasting.covered_by == []
    assert [(card.id, terms) for card, terms in wasting.hints] == [
        ("atrophy", ("atrophy", "marked", "muscle"))
    ]
    assert (
        "  hint: cards/neuro.yaml:17:5 (card `atrophy`) mentions atrophy, marked, muscle:"
        " if it teaches this row, add `covers: [motor-neurons-byjus#muscle-wasting]` to it instead"
    ) in report.details().splitlines()
    assert report.line() == "2/3 comparison rows covered"


def test_unrelated_card_is_no_hint(project):
    assert built(project).coverage.rows[2].hints == []


@pytest.mark.parametrize(
    ("ref", "message"),
    [
        (
            "motor-neurons-byjus#lesion-sign",
            "`motor-neurons-byjus#lesion-sign` is not a row of its document"
            " (did you mean `motor-neurons-byjus#lesion-signs`?)",
        ),
        (
            "motor-neuron-byju#location",
            "`motor-neuron-byju#location` names no document in sources/"
            " (did you mean `motor-neurons-byjus#location`?)",
        ),
        (
            "muscle-wasting",
            "`muscle-wasting` is not a row name: write `<document>#<row>`"
            " (did you mean `motor-neurons-byjus#muscle-wasting`?)",
        ),
    ],
)
def test_unknown_row_is_an_error_at_its_line_with_suggestions(project, ref, message):
    cards = CARDS.replace("- Motor-Neurons-BYJUS#Lesion signs", f"- {ref}")
    assert failure(project, cards) == [f"cards/neuro.yaml:13:9: {message}"]


def test_covers_without_any_document_is_an_error(project):
    assert failure(project, CARDS, document=None) == [
        "cards/neuro.yaml:7:14: `covers` names `motor-neurons-byjus#location`, but there are no"
        " comparison rows in sources/: add the document there (.md or .html), or remove this"
        " `covers` entry",
        "cards/neuro.yaml:13:9: `covers` names `Motor-Neurons-BYJUS#Lesion signs`, but there are no"
        " comparison rows in sources/: add the document there (.md or .html), or remove this"
        " `covers` entry",
    ]


def paste(cards: str, suggestions: list[str]) -> str:
    return cards + "".join("  " + line + "\n" for s in suggestions for line in s.splitlines())


def test_pasted_suggestions_cover_their_rows(project):
    first = built(project)
    suggestions = [r.suggestion for r in first.coverage.uncovered]
    assert len(suggestions) == 1
    again = built(project, cards=paste(CARDS, suggestions))
    assert again.coverage.line() == "3/3 comparison rows covered"
    assert again.coverage.details().startswith("corrected: ")
    cloze = [card for card in again.cards if card.cloze]
    assert cloze[0].cloze == (
        "Muscle wasting — Upper motor neuron: {{c1::Mild, from disuse}};"
        " Lower motor neuron: {{c2::Marked atrophy}}"
    )
    assert again.card_count == 5  # 3 pairs + a cloze with two deletions


AWKWARD = """\
| Upper motor neuron | Lower motor neuron |
|---|---|
| no | yes |
| 1 < 2 & "3" | 2023-12-08 |
| a::b | {{c1::x}} |
| Only one side | |
| Cell body in brain # not a comment: really | x |
"""


def test_suggestions_round_trip_even_for_awkward_cells(project):
    cards = "deck: D\ncards:\n  - id: umn-location\n    front: f\n    back: b\n"
    first = built(project, cards=cards, document=AWKWARD)
    suggestions = [r.suggestion for r in first.coverage.uncovered]
    assert len(suggestions) == 5
    for suggestion in suggestions:
        assert yaml.safe_load(suggestion)[0]["covers"]  # plain YAML any tool can read
    again = built(project, cards=paste(cards, suggestions), document=AWKWARD)
    assert again.coverage.line() == "5/5 comparison rows covered"
    texts = [card.cloze or f"{card.front} / {card.back}" for card in again.cards[1:]]
    assert texts == [
        "Upper motor neuron: {{c1::no}}; Lower motor neuron: {{c2::yes}}",
        'Upper motor neuron: {{c1::1 &lt; 2 &amp; "3"}}; Lower motor neuron: {{c2::2023-12-08}}',
        "Upper motor neuron vs Lower motor neuron? / Upper motor neuron: a::b<br>"
        "Lower motor neuron: {{c1::x}}",
        "Upper motor neuron: {{c1::Only one side}}; Lower motor neuron: —",
        "Upper motor neuron: {{c1::Cell body in brain # not a comment: really}};"
        " Lower motor neuron: {{c2::x}}",
    ]


def test_suggested_id_avoids_ids_in_use(project):
    cards = CARDS.replace("id: plain", "id: motor-neurons-byjus-muscle-wasting")
    suggestion = built(project, cards=cards).coverage.uncovered[0].suggestion
    assert suggestion.startswith("- id: motor-neurons-byjus-muscle-wasting-2\n")


def test_strict_build_makes_uncovered_rows_errors(project):
    project.write({"cards/neuro.yaml": CARDS, "sources/motor-neurons-byjus.md": DOCUMENT})
    with pytest.raises(BuildFailed) as failed:
        build(project.root, strict=True)
    assert [str(p) for p in failed.value.problems] == [
        "sources/motor-neurons-byjus.md:14: row `motor-neurons-byjus#muscle-wasting`"
        " (Muscle wasting | Mild, from disuse | Marked atrophy) is not covered by any card:"
        " add `covers: [motor-neurons-byjus#muscle-wasting]` to the card that teaches it,"
        " or paste the card `build-deck check` suggests"
    ]
    assert not (project.root / "dist").exists()


def test_card_covering_rows_of_two_documents_cites_both(project):
    other = "---\ntitle: Lecture 3\ndate: 2024-01-15\n---\n| Feature | UMN | LMN |\n|-|-|-|\n"
    other += "| Tone | High | Low |\n"
    project.write({"sources/lecture-3.md": other})
    cards = CARDS.replace(
        "[motor-neurons-byjus#location]", "[motor-neurons-byjus#location, lecture-3#tone]"
    )
    sources = [row.fields[3] for row in built(project, cards=cards).notes]
    assert sources[0] == f"{CITATION}; Lecture 3, 2024-01-15"


def test_citation_reaches_the_source_field_in_anki(project, tmp_path):
    from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest

    built(project)
    apkg = build(project.root).output
    col = Collection(str(tmp_path / "c.anki2"))
    try:
        col.import_anki_package(
            ImportAnkiPackageRequest(
                package_path=str(project.root / apkg),
                options=ImportAnkiPackageOptions(with_scheduling=True, merge_notetypes=True),
            )
        )
        notes = [col.get_note(nid) for nid in col.find_notes("")]
        sources = {note["Front"]: note["Source"] for note in notes}
        card = col.get_card(col.find_cards('"Front:Where are upper*"')[0])
        assert card.answer().endswith(f'<div class="source">{CITATION}</div>')
    finally:
        col.close()
    assert sources["Where are upper motor neuron cell bodies?"] == CITATION


def test_hints_read_only_the_cards_sharing_a_term_whatever_the_deck_size(project):
    """Hints for every uncovered row must not compare the row with every card: the index
    entries read grow with the deck, not with rows times cards, even when a word is on every
    card and every row."""
    from deckwright.coverage import check

    def work(size: int) -> tuple[int, int]:
        lines = ["| Feature | Alpha | Beta |", "| --- | --- | --- |"]
        lines += [f"| trait{n} common | value{n}a | value{n}b |" for n in range(size)]
        cards = "".join(
            f"  - {{id: c{n}, front: trait{n} common, back: value{n}a value{n}b}}\n"
            for n in range(size)
        )
        project.write(
            {
                "sources/doc.md": "\n".join(lines) + "\n",
                "cards/a.yaml": "deck: D\nsource: s\ncards:\n" + cards,
            }
        )
        check.WORK.clear()
        result = build(project.root, write=False)
        hinted = sum(bool(row.hints) for row in result.coverage.uncovered)
        return check.WORK["read"], hinted

    small, hinted_small = work(300)
    large, hinted_large = work(1200)
    assert (hinted_small, hinted_large) == (300, 1200)  # each row's own card is found
    assert large <= 4 * small + 100  # linear; every card for every row would be 16 times
