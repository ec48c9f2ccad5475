"""A document's tables as every reader gives them: rows with their lines, the header first."""

from __future__ import annotations

from dataclasses import dataclass, field


class TooManyCells(ValueError):
    """A page whose tables fill more cells than any study page holds (args: the limit)."""


@dataclass
class TableRow:
    """A row with its line, so a problem or a `covers` can point at it."""

    line: int  # 1-based line of the row's `<tr>` (or `|` line in Markdown); a PDF's page
    head: bool  # in <thead>, or the header line of a Markdown table
    cells: list[str] = field(default_factory=list)  # a `colspan` cell is repeated
    written: int = 0  # cells as written: a heading spanning the whole table is one
    column: int = 0  # a Word table's row number, `line` being the table's (see errors.Location)
    split: bool = True  # False: plain text whose cells run together, kept whole in one cell


@dataclass
class Table:
    """A table's rows in document order."""

    rows: list[TableRow] = field(default_factory=list)

    def add_row(self, line: int, head: bool) -> None:
        self.rows.append(TableRow(line, head))

    def split(self) -> tuple[list[str], list[TableRow]]:
        """The header cells (the <thead>'s first row, else the first row) and the body rows; a
        title spanning the table above its header is neither, and a header without the corner
        above the row labels gets an empty one."""
        rows = [row for row in self.rows if row.cells]
        while len(rows) > 1 and rows[0].written < 2:
            rows.pop(0)
        if not rows:
            return [], []
        heads = [row for row in rows if row.head] or rows[:1]
        header, body = heads[0].cells, [row for row in rows if row not in heads]
        if body and all(len(row.cells) == len(header) + 1 for row in body):
            return ["", *header], body  # the heading left out the empty corner cell
        return header, body
