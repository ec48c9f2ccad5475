"""A document's comparison rows: the data classes coverage passes on, and how a table's rows are
named so that `covers:` survives edits (a feature cell, never a serial number)."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path

from deckwright.coverage.table import Table, TableRow
from deckwright.errors import Location, Problem
from deckwright.model.words import slugify

# A 2-column table compares its two columns unless its first header cell says it names features.
FEATURE_WORDS = {
    *("feature", "features", "aspect", "aspects", "basis", "bases", "characteristic"),
    *("characteristics", "parameter", "parameters", "criterion", "criteria", "property"),
    *("properties", "attribute", "attributes"),
}

# A first column of serial numbers: renumbering must not send `covers:` to other rows.
_SERIAL = re.compile(
    r"(?i)(s\.?\s*no\.?|sl\.?\s*no\.?|sr\.?\s*no\.?|no\.?|#|serial(\s+no\.?|\s+number)?)"
)


@dataclass(frozen=True)
class Correction:
    """Cells the front matter corrects: the deck teaches these, the row keeps what was published."""

    cells: tuple[str, ...]  # one per thing compared, what the deck should teach
    note: str
    where: Location  # where the correction is written


@dataclass(frozen=True)
class Row:
    """One comparison row of a document's tables: what a card's `covers` names."""

    name: str  # `<document>#<slug>`, what a card's `covers` names
    where: Location  # the row's line in its document
    feature: str  # the feature cell; "" when the table has no feature column
    header: tuple[str, ...]  # the things compared
    cells: tuple[str, ...]  # one per thing compared, as published; one when not split
    correction: Correction | None = None
    table: int = 1  # which table of its document, from 1
    split: bool = True  # False: plain text whose cells run together, kept whole in one cell

    @property
    def taught(self) -> tuple[str, ...]:
        """The cells a card should teach: the correction when the document is wrong."""
        return self.correction.cells if self.correction else self.cells


@dataclass(frozen=True)
class Document:
    """A document of sources/: its citation and its comparison rows."""

    path: Path  # relative to the project root
    name: str  # the slugged file stem, the part of row names before `#`
    title: str
    site: str = ""
    author: str = ""
    date: str = ""
    url: str = ""
    rows: tuple[Row, ...] = ()

    def citation(self) -> str:
        """`<title> — <site>, <date>`, what a covering card shows as its source."""
        text = self.title
        if self.site or self.author:
            text += f" — {self.site or self.author}"
        return text + (f", {self.date}" if self.date else "")


@dataclass
class Sources:
    """What sources/ holds, and what is wrong in it."""

    documents: list[Document] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    unread: list[Path] = field(default_factory=list)  # files of sources/ no reader could read


def table_rows(
    table: Table, document: str, rel: Path, taken: Counter[str], number: int = 1
) -> list[Row]:
    header, body = without_serial_numbers(*table.split())
    width = max([len(header), *(len(row.cells) for row in body)], default=0)
    if width < 2:
        return []  # one column compares nothing
    header = header + [""] * (width - len(header))
    has_feature = width >= 3 or slugify(header[0]).split("-")[0] in FEATURE_WORDS | {""}
    rows = []
    for source_row in body:
        cells = source_row.cells + [""] * (width - len(source_row.cells)) * source_row.split
        if (source_row.written < 2 and source_row.split) or not any(cells):
            continue  # a section heading spanning the table, or an empty row
        label = cells[0] if has_feature else _words(cells[0])
        slug = slugify(label) or slugify(_words(next(c for c in cells if c)))
        taken[slug] += 1
        if taken[slug] > 1:
            slug = f"{slug}-{taken[slug]}"  # the same feature again further down
        rows.append(
            Row(
                f"{document}#{slug}",
                Location(rel, source_row.line, source_row.column),
                cells[0] if has_feature else "",
                tuple(header[1:] if has_feature else header),
                tuple(cells[1:] if has_feature else cells),
                table=number,
                split=source_row.split,
            )
        )
    return rows


def without_serial_numbers(
    header: list[str], body: list[TableRow]
) -> tuple[list[str], list[TableRow]]:
    """The table without a first column of serial numbers (`S.No.`; 1, 2, 3): it names nothing."""
    numbered = body and all(
        re.fullmatch(r"\d{1,3}[.)]?", row.cells[0]) for row in body if row.cells
    )
    if not (numbered or (header and _SERIAL.fullmatch(header[0].strip()))) or len(header) < 3:
        return header, body
    return header[1:], [
        replace(row, cells=row.cells[1:], written=max(row.written - 1, 0)) if row.cells else row
        for row in body
    ]


def _words(text: str) -> str:
    return " ".join(re.findall(r"\w+", text)[:6])
