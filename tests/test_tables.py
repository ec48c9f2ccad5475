"""Pipe tables read without markdown-it are exactly the tables markdown-it gives."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from deckwright.coverage import tables
from deckwright.coverage.tables import read_markdown

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
