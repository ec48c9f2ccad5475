"""Where an element of a parsed page is, and how much work reading the page may still take.

libxml2 stops counting lines at 65,535; past it an element's line is found by searching the text
for its tags. `rowspan` times `colspan` could make a small page fill cells without bound.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from deckwright.coverage.table import TooManyCells

MAX_CELLS = 1_000_000  # a 2 MB saved page held 20,000
LXML_LAST_LINE = 65535  # libxml2 gives this line to every element past it


class Page:
    """An element's line in the text, also past libxml2's last line: there the n-th element of
    a tag is given the line of the n-th `<tag` written past it. And the cells still to fill:
    `rowspan` times `colspan` must not make a small page cost without bound."""

    def __init__(self, text: str, offset: int):
        self.text, self.offset = text, offset
        self.late: dict[str, dict] = {}  # tag -> {element: line}; keeps the elements alive
        self.cells_left = MAX_CELLS

    def fill(self, count: int) -> None:
        self.cells_left -= count
        if self.cells_left < 0:
            raise TooManyCells(MAX_CELLS)

    def of(self, element) -> int:
        line = element.sourceline or 0
        if line >= LXML_LAST_LINE:
            line = self._searched(element) or line
        return line + self.offset

    def _searched(self, element) -> int:
        tag = element.tag
        if tag not in self.late:
            late = [e for e in element.getroottree().iter(tag) if e.sourceline >= LXML_LAST_LINE]
            start = _nth_line_start(self.text, LXML_LAST_LINE)
            found = re.finditer(rf"<{tag}\b", self.text[start:], re.IGNORECASE)
            lines = _counted_lines(self.text, start, (start + m.start() for m in found))
            self.late[tag] = dict(zip(late, lines, strict=False))
        return self.late[tag].get(element, 0)


def _nth_line_start(text: str, line: int) -> int:
    index = 0
    for _ in range(line - 1):
        index = text.find("\n", index) + 1
        if not index:
            return len(text)
    return index


def _counted_lines(text: str, start: int, positions: Iterator[int]) -> Iterator[int]:
    line = LXML_LAST_LINE
    for position in positions:
        line += text.count("\n", start, position)
        start = position
        yield line
