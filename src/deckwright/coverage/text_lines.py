"""Plain text, line by line: what every shape of a copied table is made of."""

from __future__ import annotations

import re

from deckwright.coverage.table import TableRow

MAX_HEADING_WORDS = 15
MAX_FEATURE_WORDS = 10
# A line that announces a comparison: a table found right under it is no accident.
EVIDENCE = re.compile(
    r"(?i)\b(vs\.?|versus|differences?|differ|comparison|comparing|compared|contrast|"
    r"distinguish\w*|chart)\b"
)
DELIMITER = re.compile(r"^[\s|:+=-]+$")


def text_row(line: int, cells: list[str], head: bool = False, split: bool = True) -> TableRow:
    return TableRow(line + 1, head, cells, len(cells), split=split)


def evidence_before(lines: list[str], index: int) -> bool:
    """Whether the nearest line above (blank lines skipped) is a heading announcing a comparison."""
    for above in range(index - 1, max(index - 4, -1), -1):
        text = lines[above].strip()
        if text:
            return len(text.split()) <= MAX_HEADING_WORDS and bool(EVIDENCE.search(text))
    return False


def tab_cells(line: str) -> list[str] | None:
    if "\t" not in line:
        return None
    cells = [" ".join(cell.split()) for cell in line.split("\t")]
    while cells and not cells[-1]:
        cells.pop()
    return cells


def pipe_cells(line: str) -> list[str] | None:
    text = line.strip()
    if "|" not in text or DELIMITER.match(text):
        return None
    cells = [" ".join(cell.split()) for cell in text.strip("|").split("|")]
    return cells if sum(1 for cell in cells if cell) >= 2 else None


def paragraph(lines: list[str], index: int) -> tuple[int, int]:
    """The non-blank lines from `index` on: (first, end), after blank lines are skipped."""
    while index < len(lines) and not lines[index].strip():
        index += 1
    end = index
    while end < len(lines) and lines[end].strip():
        end += 1
    return index, end


def short_line(text: str) -> bool:
    """A feature or heading line: a few words, not a sentence or a question."""
    text = text.strip()
    return 0 < len(text.split()) <= MAX_FEATURE_WORDS and text[-1] not in ".?!" and "\t" not in text
