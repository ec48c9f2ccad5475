"""Plain text copied from a browser -> rows: one fixture per shape, the seeds, a real copy."""

import json
import textwrap

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from deckwright.coverage.text import read_text, things_compared
from tests.conftest import shared


def rows(text: str) -> list[tuple[int, list[str], bool]]:
    """Every row of every table found: (line, cells, split), header rows included."""
    return [
        (row.line, row.cells, row.split)
        for table in read_text(textwrap.dedent(text).lstrip("\n"))
        for row in table.rows
    ]


TABS = """
Mitosis versus meiosis

Feature\tMitosis\tMeiosis
Divisions\tOne\tTwo
Daughter cells\tTwo, diploid\tFour, haploid
Afterwards a sentence of prose, which is no row.
"""


def test_tab_separated_lines_read_as_cells():
    assert rows(TABS) == [
        (3, ["Feature", "Mitosis", "Meiosis"], True),
        (4, ["Divisions", "One", "Two"], True),
        (5, ["Daughter cells", "Two, diploid", "Four, haploid"], True),
    ]


PIPES = """
Comparing arteries and veins
| Feature | Artery | Vein |
|---------|--------|------|
| Wall | Thick and muscular | Thin |
| Valves | None | Present along the vessel |
"""


def test_pipe_separated_lines_read_as_cells_without_the_delimiter_line():
    assert rows(PIPES) == [
        (2, ["Feature", "Artery", "Vein"], True),
        (4, ["Wall", "Thick and muscular", "Thin"], True),
        (5, ["Valves", "None", "Present along the vessel"], True),
    ]


BLOCKS = """
Xylem vs. Phloem — How Do They Differ?

Both are vascular tissues of plants. This line is an introduction.

Comparison Chart

Material carried

Water and dissolved minerals
Sugars made in the leaves

Direction of flow

Upward only
Up and down

Compare with Definitions

Xylem

Xylem carries water from the roots.
Most of it is dead when mature.

Phloem

Phloem moves sugar around the plant.
Its sieve tubes are alive.
"""


def test_chart_blocks_read_one_line_per_thing_and_stop_at_definitions():
    assert rows(BLOCKS) == [
        (7, ["", "Xylem", "Phloem"], True),
        (
            7,
            ["Material carried", "Water and dissolved minerals", "Sugars made in the leaves"],
            True,
        ),
        (12, ["Direction of flow", "Upward only", "Up and down"], True),
    ]


RUN_TOGETHER = """
Neurons come in several kinds, and this paragraph introduces two of them at some length.

Sensory Neuron Motor Neuron
Carries signals towards the central nervous system Carries signals away from it
Its cell body sits in a dorsal root ganglion Its cell body sits in the ventral horn

A closing paragraph that is not part of the table at all.
"""


def test_run_together_rows_are_kept_whole_and_marked_not_split():
    assert rows(RUN_TOGETHER) == [
        (3, ["Sensory Neuron", "Motor Neuron"], True),
        (
            4,
            ["Carries signals towards the central nervous system Carries signals away from it"],
            False,
        ),
        (
            5,
            ["Its cell body sits in a dorsal root ganglion Its cell body sits in the ventral horn"],
            False,
        ),
    ]


NUMBERED = """
Differences between DNA and RNA

1. Sugar: DNA has deoxyribose; RNA has ribose
2. Strands: DNA is double-stranded; RNA is single-stranded
3. Bases - thymine in DNA, uracil in RNA
"""


def test_numbered_rows_lose_their_number_and_split_where_they_can():
    assert things_compared(NUMBERED.splitlines()) == ("DNA", "RNA")
    assert rows(NUMBERED) == [
        (3, ["", "DNA", "RNA"], True),
        (3, ["Sugar", "DNA has deoxyribose", "RNA has ribose"], True),
        (4, ["Strands", "DNA is double-stranded", "RNA is single-stranded"], True),
        (5, ["Bases", "thymine in DNA, uracil in RNA"], False),
    ]


PARENTHESES = """
How the two kinds of immunity differ

1) Speed: fast; slow
2) Memory: none; lasting

3) Specificity: broad; narrow
"""


def test_numbered_rows_with_parentheses_and_blank_lines_between():
    assert [cells for _, cells, _ in rows(PARENTHESES)] == [
        ["", "", ""],
        ["Speed", "fast", "slow"],
        ["Memory", "none", "lasting"],
        ["Specificity", "broad", "narrow"],
    ]


COLONS = """
Plant cells compared with animal cells

Cell wall: Plant cell: made of cellulose; Animal cell: none
Shape: Plant cell: fixed, box-like; Animal cell: rounded and flexible
"""


def test_feature_colon_lines_take_the_names_their_cells_carry():
    assert rows(COLONS) == [
        (3, ["", "Plant cell", "Animal cell"], True),
        (3, ["Cell wall", "made of cellulose", "none"], True),
        (4, ["Shape", "fixed, box-like", "rounded and flexible"], True),
    ]


PROSE = """
How to prepare a slide

1. Place a drop of water on the slide.
2. Lower the cover slip at an angle.

Note: stain first; then look.
Question: What is a cell?

Answer

The smallest unit of life.
It is alive.

Upper Lower
Short line
"""


@pytest.mark.parametrize("text", [PROSE, "", "\t", "|", "a vs b\n\nx\n\ny\nz\n"])
def test_prose_and_fragments_give_no_rows(text):
    assert read_text(text) == []


def test_seed_000_gives_six_rows_comparing_upper_and_lower_motor_neurons():
    (table,) = read_text(shared("seeds/000_f2928286f003d2bd.txt").read_text(encoding="utf-8"))
    header, *body = table.rows
    assert header.cells == ["Upper Motor Neuron", "Lower Motor Neuron"]
    assert [row.line for row in body] == [4, 5, 6, 7, 8, 9]
    assert not any(row.split for row in body)
    assert body[0].cells[0].startswith("It is entirely located in the central nervous system")


def test_seed_002_gives_five_chart_rows_comparing_upper_and_lower_motor_neurons():
    (table,) = read_text(shared("seeds/002_af0eaac286187dea.txt").read_text(encoding="utf-8"))
    header, *body = table.rows
    assert header.cells == ["", "Upper Motor Neuron", "Lower Motor Neuron"]
    assert [(row.line, row.cells[0]) for row in body] == [
        (24, "Location of Cell Bodies"),
        (29, "Connection"),
        (34, "Injury Symptoms"),
        (39, "Associated Diseases"),
        (44, "Primary Role"),
    ]
    assert body[0].cells[1:] == ["Brain or brainstem", "Spinal cord or brainstem"]


def test_real_copied_page_reads_to_its_truth():
    document = shared("realdocs/prok-euk-igcse-copied.txt")
    truth = json.loads(document.with_name(document.name + ".truth.json").read_text())
    tables = read_text(document.read_text(encoding="utf-8"))
    assert len(tables) == len(truth["tables"])
    for table, expected in zip(tables, truth["tables"], strict=True):
        header, *body = table.rows
        assert header.cells == expected["header"]
        assert [(row.cells[0], row.cells[1:]) for row in body] == [
            (row["label"], row["cells"]) for row in expected["rows"]
        ]
    assert sum(len(table.rows) - 1 for table in tables) == truth["rows_total"]


def test_reading_work_grows_with_the_lines_not_their_square(monkeypatch):
    """Lines of one shape refused for lack of evidence are not read again from each of them."""
    from deckwright.coverage import text_items as module

    calls = []
    split_item = module.split_item
    monkeypatch.setattr(module, "split_item", lambda *a: calls.append(1) or split_item(*a))
    for lines in (200, 2000):
        calls.clear()
        assert read_text("x: a; b\n" * lines) == []
        assert len(calls) <= lines + 1


TEXT_FRAGMENTS = [
    *("\n", "\n\n", "\t", "|", " | ", "1. ", "2) ", "3. ", ": ", "; ", " - ", " — ", "vs. "),
    *("Comparison Chart\n\n", "Upper Motor Neuron Lower Motor Neuron\n", "A vs B\n", "x", "Y "),
    *("Feature\tA\tB\n", "|---|---|\n", "Differences between A and B\n", "A: x; B: y\n", "\r"),
]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(TEXT_FRAGMENTS), max_size=60))
def test_any_text_gives_tables_whose_rows_have_cells_and_lines(parts):
    text = "".join(parts)
    count = text.count("\n") + 1
    for table in read_text(text):
        header, *body = table.rows
        assert body and header.head and not any(row.head for row in body)
        assert all(1 <= row.line <= count and row.cells for row in table.rows)


TWO_WORDS = """
Cells divide by mitosis or meiosis, and this page sets them side by side.

Mitosis Meiosis
Makes two cells that match the parent Makes four cells that differ
Happens in body cells all the time Happens only in the gonads

Key Points
Mitosis keeps the number of chromosomes the same in each cell.
Meiosis halves the number of chromosomes in each cell it makes.
"""


def test_two_single_words_head_a_table_only_when_the_text_pairs_them():
    assert [(line, cells) for line, cells, _ in rows(TWO_WORDS)] == [
        (3, ["Mitosis", "Meiosis"]),
        (4, ["Makes two cells that match the parent Makes four cells that differ"]),
        (5, ["Happens in body cells all the time Happens only in the gonads"]),
    ]


def test_two_pipe_lines_of_a_menu_are_no_table():
    assert read_text("Home | Courses | About\nPrivacy | Terms | Contact\n\nSome prose.\n") == []
    assert len(read_text("Home | Courses | About\nA | B | C\nD | E | F\n")) == 1


NAMED_BLOCKS = """
Comparison Chart

Arteries
Veins

Wall

Thick and elastic
Thin and floppy

Valves

None
Many
"""


def test_chart_blocks_may_start_with_a_block_naming_the_things_compared():
    assert rows(NAMED_BLOCKS) == [
        (3, ["", "Arteries", "Veins"], True),
        (6, ["Wall", "Thick and elastic", "Thin and floppy"], True),
        (11, ["Valves", "None", "Many"], True),
    ]


BROKEN_CELLS = "Feature\tArtery\tVein\nWall\tThick,\nelastic\tThin\nValves\tNone\tMany\n"


def test_a_cell_broken_over_two_lines_is_joined_back_into_its_row():
    assert rows(BROKEN_CELLS) == [
        (1, ["Feature", "Artery", "Vein"], True),
        (2, ["Wall", "Thick, elastic", "Thin"], True),
        (4, ["Valves", "None", "Many"], True),
    ]


def test_a_header_one_cell_short_lacks_the_corner_above_the_features():
    text = "Artery\tVein\nWall\tThick\tThin\nValves\tNone\tMany\n"
    assert rows(text)[0] == (1, ["", "Artery", "Vein"], True)
