"""Rows written as items of a copied page: numbered rows (`1. ...`, `1) ...`) and `Feature: A ...;
B ...` lines. A row whose cells cannot be told apart is kept whole, marked not split."""

from __future__ import annotations

import re

from deckwright.coverage.table import Table
from deckwright.coverage.text_lines import (
    evidence_before,
    paragraph,
    pipe_cells,
    tab_cells,
    text_row,
)

_NUMBERED = re.compile(r"^\s*(\d{1,3})[.)]\s+(\S.*)$")
_COLON = re.compile(r"^(?P<feature>[^:;\t|]{1,60}?)\s*:\s+(?P<rest>\S.*)$")
_DASH = re.compile(r"^(?P<feature>[^:;\t|]{1,60}?)\s+[\u2013\u2014-]\s+(?P<rest>\S.*)$")
_NAMED = re.compile(r"^(?P<name>[A-Z][\w ]{0,40}?)\s*(?::|\s[\u2013\u2014-])\s*(?P<cell>\S.*)$")


def split_item(text: str, things: tuple[str, ...]) -> tuple[list[str], list[str] | None, bool]:
    """One row's text -> [feature, *cells], the names its cells carry, whether it was split."""
    for cells_of in (tab_cells, pipe_cells):
        cells = cells_of(text)
        if cells and len(cells) >= 3:
            return cells, None, True
    colon = _COLON.match(text) or _DASH.match(text)
    if colon is None:
        return ["", text], None, False
    feature, rest = colon["feature"].strip(), colon["rest"].strip()
    parts = [part.strip() for part in rest.split(";") if part.strip()]
    if len(parts) < 2 or (things and len(parts) != len(things)):
        return [feature, rest], None, False
    named = [_NAMED.match(part) for part in parts]
    if all(named):
        return [feature, *(m["cell"] for m in named if m)], [m["name"] for m in named if m], True
    return [feature, *parts], None, True


def numbered_table(
    lines: list[str], index: int, things: tuple[str, ...]
) -> tuple[Table, int] | None:
    """Rows numbered `1. ...` or `1) ...` under a heading announcing a comparison."""
    match = _NUMBERED.match(lines[index])
    if match is None or match[1] != "1" or not evidence_before(lines, index):
        return None
    items: list[tuple[int, str]] = []
    end = index
    while end < len(lines):
        first, _ = paragraph(lines, end)
        match = _NUMBERED.match(lines[first]) if first < len(lines) else None
        if match is None or int(match[1]) != len(items) + 1 or first - end > 1:
            break
        items.append((first, match[2].strip()))
        end = first + 1
    if len(items) < 2:
        return None
    return _item_table(items, things), end


def _item_table(items: list[tuple[int, str]], things: tuple[str, ...]) -> Table:
    rows, names = [], None
    for line, text in items:
        cells, named, split = split_item(text, things)
        names = names or named
        rows.append(text_row(line, cells, split=split))
    width = max(len(row.cells) for row in rows) - 1
    header = names or (list(things) if len(things) == width or width < 2 else [""] * width)
    return Table([text_row(items[0][0], ["", *(header or ["", ""])], head=True), *rows])


def colon_table(
    lines: list[str], index: int, things: tuple[str, ...]
) -> tuple[Table | None, int] | None:
    """`Feature: A ...; B ...` lines, two at least, one cell per thing compared."""
    items: list[tuple[int, str]] = []
    shape: tuple[int, tuple[str, ...] | None] | None = None
    end = index
    while end < len(lines):
        first, _ = paragraph(lines, end)
        if first >= len(lines) or first - end > 1:
            break
        cells, names, split = split_item(lines[first].strip(), things)
        if not split or not cells[0] or "\t" in lines[first]:
            break
        this = (len(cells), tuple(names) if names else None)
        if shape is not None and this != shape:
            break
        shape = this
        items.append((first, lines[first].strip()))
        end = first + 1
    if len(items) < 2 or shape is None:
        return None
    evidence = evidence_before(lines, index) or shape[1] is not None
    if not evidence and not (things and shape[0] - 1 == len(things)):
        return None, end  # the same lines, read from further down, would be refused the same
    return _item_table(items, things), end
