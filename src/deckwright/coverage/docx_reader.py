"""A Word handout (.docx) -> its tables, each row located by table and row number (python-docx).

Tables are numbered in document order, a table inside a cell right after the table holding it,
also those inside content controls, which python-docx's `Document.tables` leaves out.
python-docx gives a merged cell once for every grid column and row it covers, as a `colspan` or
`rowspan` is read in HTML.
"""

from __future__ import annotations

import itertools
import zipfile
from pathlib import Path

from deckwright.coverage.table import Table, TableRow
from deckwright.errors import Location, Problem

MAX_UNZIPPED_BYTES = 200_000_000  # a .docx is a zip: what it holds, not its size, costs memory
MAX_TABLES = 1000
WORD_MAX_COLUMNS = 63  # python-docx repeats a merged cell once per column it spans
_WHAT_TO_DO = "open it in Word and save it again as .docx, or copy its tables into a .md file"


def read_docx(path: Path, rel: Path) -> tuple[list[Table], dict[str, str], list[Problem]]:
    """The tables of a .docx file, its title, author and date, and why it was not read."""
    import docx
    from docx.oxml.ns import qn
    from docx.table import Table as WordTable

    try:
        with zipfile.ZipFile(path) as archive:
            size = sum(info.file_size for info in archive.infolist())
        if size > MAX_UNZIPPED_BYTES:
            message = f"this Word file unpacks to {size / 1e6:.0f} MB: keep only the handout"
            return [], {}, [Problem(Location(rel, 0), message)]
        document = docx.Document(str(path))
        spans = document.element.body.iter(qn("w:gridSpan"))
        if any(not 0 < (span.val or 1) <= WORD_MAX_COLUMNS for span in spans):
            raise ValueError("a cell spans more columns than Word allows")
        found = itertools.islice(document.element.body.iter(qn("w:tbl")), MAX_TABLES)
        tables = [_table(WordTable(tbl, document), n) for n, tbl in enumerate(found, 1)]
        meta = _metadata(document.core_properties)
    except Exception:  # zipfile, lxml and python-docx raise many kinds on a broken file
        message = f"cannot read this Word file: it is damaged or not a .docx; {_WHAT_TO_DO}"
        return [], {}, [Problem(Location(rel, 0), message)]
    return tables, meta, []


def _table(table, number: int) -> Table:
    rows = []
    for row_number, row in enumerate(table.rows, 1):
        cells = row.cells
        texts = [" ".join(cell.text.split()) for cell in cells]
        written = len({id(cell._tc) for cell in cells})  # the cells keep their _tc alive
        rows.append(TableRow(number, False, texts, written, row_number))
    return Table(rows)


def _metadata(properties) -> dict[str, str]:
    meta = {}
    if (properties.title or "").strip():
        meta["title"] = " ".join(properties.title.split())
    if (properties.author or "").strip():
        meta["author"] = " ".join(properties.author.split())
    if properties.created is not None:
        meta["date"] = properties.created.date().isoformat()
    return meta
