"""Plain text, as a browser's copy gives it -> its comparison tables, each row with its line.

A copied page has lost its table markup; what is left takes one of a few shapes: tab-separated
cells, `|` lines, one cell per line in blocks ("Comparison Chart"), rows whose cells run together
under a line naming the things compared, numbered rows, `Feature: A ...; B ...` lines. A table is
only taken where the text gives evidence for it (a "vs"/"difference"/"comparison" heading, a header
naming the things compared, a run of lines of the same shape), so that prose never becomes rows.
Where the cells cannot be told apart, the row is kept whole and marked not split: coverage
needs the row.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from deckwright.coverage.table import Table, TableRow
from deckwright.coverage.text_items import colon_table, numbered_table
from deckwright.coverage.text_lines import (
    DELIMITER,
    MAX_HEADING_WORDS,
    evidence_before,
    paragraph,
    pipe_cells,
    short_line,
    text_row,
)

_VS = re.compile(
    r"(?i)^(?:.*?\bdifferences?\s+between\s+)?(?P<a>\S.*?)\s+(?:vs\.?|versus)\s+(?P<b>.+?)"
    r"\s*(?:[\u2014\u2013:|?(]|\s-\s|$)"
)
_BETWEEN = re.compile(
    r"(?i)\bdifferences?\s+between\s+(?:the\s+)?(?P<a>\S.*?)\s+and\s+(?:the\s+)?(?P<b>.+?)"
    r"\s*(?:[\u2014\u2013:|?(.]|\s-\s|$)"
)

# A shape at a line -> its table and the line after it; a None table skips lines the shape has
# read and refused (read again from each of their lines, a long run would cost its square).
Shape = Callable[[list[str], int, tuple[str, ...]], tuple[Table | None, int] | None]


def read_text(body: str) -> list[Table]:
    """The comparison tables of a plain-text document, in document order."""
    lines = [line.rstrip() for line in body.split("\n")]
    things = things_compared(lines)
    shapes: tuple[Shape, ...] = (
        _tab_table,
        _pipe_table,
        _block_table,
        _run_together_table,
        numbered_table,
        colon_table,
    )
    tables: list[Table] = []
    index = 0
    while index < len(lines):
        for shape in shapes:
            found = shape(lines, index, things) if lines[index].strip() else None
            if found is not None:
                tables += [found[0]] if found[0] else []
                index = max(found[1], index + 1)
                break
        else:
            index += 1
    return tables


def things_compared(lines: list[str]) -> tuple[str, ...]:
    """The two things a page compares, from its title: `A vs. B`, `Difference between A and B`."""
    for pattern in (_VS, _BETWEEN):
        for line in lines:
            if len(line.split()) > MAX_HEADING_WORDS:
                continue
            match = pattern.search(line.strip())
            if match:
                names = tuple(_clean(match[name]) for name in ("a", "b"))
                if all(names):
                    return names
    return ()


def _clean(name: str) -> str:
    name = re.sub(r"(?i)^(?:the\s+)?differences?\s+between\s+(?:the\s+)?", "", name.strip())
    return name.strip(" .,;:!?\"'")


def _separated_table(lines: list[str], index: int, cells_of) -> tuple[Table, int] | None:
    """A run of lines that each split into cells: the first is the header, two at least."""
    header = cells_of(lines[index])
    if header is None or len(header) < 2:
        return None
    table = Table([text_row(index, header, head=True)])
    end = index + 1
    while end < len(lines):
        if DELIMITER.match(lines[end]) and "-" in lines[end]:
            end += 1  # a Markdown-style `|---|---|` line
            continue
        cells = cells_of(lines[end])
        if cells is None or len(cells) < 2:
            break
        table.rows.append(text_row(end, cells))
        end += 1
    return (table, end) if len(table.rows) >= 2 else None


def _tab_table(lines: list[str], index: int, things: tuple[str, ...]) -> tuple[Table, int] | None:
    """Tab-separated cells, a line a row. A browser copies a line break inside a cell (`<br>`) as
    a new line: a row short of the header's cells is joined with the next tabbed line that fits."""
    if "\t" not in lines[index]:
        return None
    width = len(lines[index].split("\t"))
    rows: list[TableRow] = []
    end = index
    while end < len(lines) and "\t" in lines[end]:
        first, parts = end, lines[end].split("\t")
        end += 1
        while len(parts) < width and end < len(lines) and "\t" in lines[end]:
            more = lines[end].split("\t")
            if len(parts) + len(more) - 1 > width:
                break
            parts = [*parts[:-1], f"{parts[-1]} {more[0]}", *more[1:]]
            end += 1
        cells = [" ".join(part.split()) for part in parts]
        while cells and not cells[-1]:
            cells.pop()
        if len(cells) < 2:
            break
        rows.append(text_row(first, cells, head=not rows))
    if len(rows) < 2:
        return None
    header = rows[0]
    if all(len(row.cells) == len(header.cells) + 1 for row in rows[1:]):
        rows[0] = text_row(index, ["", *header.cells], head=True)  # no corner cell
    return Table(rows), end


def _pipe_table(
    lines: list[str], index: int, things: tuple[str, ...]
) -> tuple[Table | None, int] | None:
    """`|` lines: with a `|---|` line, under a heading announcing a comparison, or three lines of
    one width at least (two `Home | About` lines of a menu are no table)."""
    found = _separated_table(lines, index, pipe_cells)
    if found is None:
        return None
    table, end = found
    ruled = any(DELIMITER.match(lines[i]) for i in range(index + 1, end))
    even = len({len(row.cells) for row in table.rows}) == 1 and len(table.rows) >= 3
    return found if ruled or even or evidence_before(lines, index) else (None, end)


def _block_table(lines: list[str], index: int, things: tuple[str, ...]) -> tuple[Table, int] | None:
    """A "Comparison Chart": a feature line, a blank line, one line per thing compared, again;
    the chart may start with a block naming the things compared, one a line."""
    if not evidence_before(lines, index) or (index and lines[index - 1].strip()):
        return None
    rows: list[TableRow] = []
    width = len(things) or 0
    start = index
    first, end = paragraph(lines, index)
    named = [lines[i].strip() for i in range(first, end)]
    if len(named) >= 2 and all(short_line(name) for name in named):
        things, width, start = tuple(named), len(named), end
    while True:
        first, end = paragraph(lines, start)
        if end - first != 1 or not short_line(lines[first]):
            break
        feature = lines[first].strip()
        if feature.lower() in {thing.lower() for thing in things}:
            break  # a block about one of the things compared: definitions, not a chart
        cells_first, cells_end = paragraph(lines, end)
        count = cells_end - cells_first
        if count < 2 or (width and count != width) or cells_first - end < 1:
            break
        width = count
        cells = [" ".join(lines[i].split()) for i in range(cells_first, cells_end)]
        rows.append(text_row(first, [feature, *cells]))
        start = cells_end
    if len(rows) < 2:
        return None
    names = list(things) if len(things) == width else [""] * width
    return Table([text_row(index, ["", *names], head=True), *rows]), start


def _header_names(line: str, things: tuple[str, ...], before: str) -> list[str] | None:
    """The things a header line names: `A B` for the page's own two, `Upper X Lower X`, or two
    words the text above pairs (`mitosis and meiosis`): not any two words, such as `Key Points`."""
    text = " ".join(line.split())
    if things and text.lower() == " ".join(things).lower():
        return list(things)
    words = text.split()
    if not 2 <= len(words) <= 8 or len(words) % 2 or re.search(r"[.,;:!?]$", text):
        return None
    half = len(words) // 2
    left, right = words[:half], words[half:]
    if not (left[0][:1].isupper() and right[0][:1].isupper()):
        return None
    if half > 1 and left[-1].lower() != right[-1].lower():
        return None
    pair = rf"(?i)\b{re.escape(left[0])}s?\s+(?:and|or|vs\.?|versus)\s+{re.escape(right[0])}"
    if half == 1 and not re.search(pair, before):
        return None
    return [" ".join(left), " ".join(right)]


def _run_together_table(
    lines: list[str], index: int, things: tuple[str, ...]
) -> tuple[Table, int] | None:
    """A header line naming the things compared, then one row a line, its cells run together."""
    if index and lines[index - 1].strip():
        return None
    names = _header_names(lines[index], things, " ".join(lines[max(0, index - 30) : index]))
    if names is None:
        return None
    first, end = paragraph(lines, index + 1)
    if first != index + 1 or end - first < 2:
        return None
    if any(len(lines[i].split()) < 4 or "\t" in lines[i] for i in range(first, end)):
        return None
    rows = [text_row(i, [" ".join(lines[i].split())], split=False) for i in range(first, end)]
    return Table([text_row(index, names, head=True), *rows]), end
