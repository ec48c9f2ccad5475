"""A PDF handout -> its tables, each row located by its page (pdfplumber), and its citation.

pdfplumber finds tables drawn with ruling lines. A page without any is read again from its text
laid out as on the page: a line with two or more runs of text, each after a gap of two spaces or
more, heads a table; the lines below whose runs start where its runs start are its rows. A line
with text in a later column only is a cell's wrapped text, joined to the nearest row.
"""

from __future__ import annotations

import re
from pathlib import Path

from deckwright.coverage.table import Table, TableRow
from deckwright.errors import Location, Problem

MAX_PAGES = 300
RUNNING_MARGIN = 0.06  # the top and bottom of a page where its running head and foot are
FOOT = 0.2  # a table that ends this near the foot of its page may go on on the next
ALIGNED = 2  # characters a column's text may start off its heading's start
_RUNS = re.compile(r"\S+(?: \S+)*")
_WHAT_TO_DO = "copy its tables into a .md file beside it"


def read_pdf(path: Path, rel: Path) -> tuple[list[Table], dict[str, str], list[Problem]]:
    """The tables of a PDF file by page, its title, author and date, and why it was not read."""
    import pdfplumber

    tables: list[Table] = []
    texts = 0
    try:
        with pdfplumber.open(path) as pdf:
            meta = _metadata(pdf.metadata or {})
            pages = pdf.pages
            ends_page = False  # the last table ran to the foot of its page
            for number, page in enumerate(pages[:MAX_PAGES], 1):
                texts += any(char["text"].strip() for char in page.chars)
                found = page.find_tables()
                ruled = [_ruled(table.extract(), number) for table in found]
                if not any(table.rows for table in ruled):
                    tables += _laid_out(page.extract_text(layout=True) or "", number)
                    ends_page = False
                    continue
                if ends_page and not _text_beside(page, 0, found[0].bbox[1]):
                    ruled = ruled[1:] if _continued(tables[-1], ruled[0]) else ruled
                tables += ruled
                bottom = found[-1].bbox[3]
                ends_page = bottom > page.height * (1 - FOOT) and not _text_beside(
                    page, bottom, 1e9
                )
    except Exception as error:  # pdfminer raises many kinds on a broken file
        return [], {}, [Problem(Location(rel, 0), _unreadable(error))]
    problems = []
    if len(pages) > MAX_PAGES:
        problems.append(
            Problem(
                Location(rel, MAX_PAGES + 1),
                f"only the first {MAX_PAGES} of {len(pages)} pages are read:"
                " keep the pages with the tables in a smaller PDF",
            )
        )
    if pages and not texts:
        problems.append(
            Problem(
                Location(rel, 0),
                "this PDF has no text to read (a scanned handout?): run it through OCR,"
                f" or {_WHAT_TO_DO}",
            )
        )
    return tables, meta, problems


def _unreadable(error: Exception) -> str:
    """pdfplumber wraps pdfminer's error: the wrapped one says whether a password is the cause."""
    causes = (error, error.__cause__, error.__context__, *error.args)
    if any("Password" in type(cause).__name__ for cause in causes):
        return f"this PDF is protected by a password: save an unprotected copy, or {_WHAT_TO_DO}"
    return (
        f"cannot read this PDF: it is damaged or not a PDF; save it again as PDF, or {_WHAT_TO_DO}"
    )


def _metadata(info: dict) -> dict[str, str]:
    meta = {}
    for key, name in (("Title", "title"), ("Author", "author")):
        if isinstance(info.get(key), str) and info[key].strip():
            meta[name] = " ".join(info[key].split())
    date = info.get("CreationDate")
    if isinstance(date, str) and re.match(r"D:\d{8}", date):
        meta["date"] = f"{date[2:6]}-{date[6:8]}-{date[8:10]}"  # PDF dates are D:YYYYMMDD...
    return meta


def _text_beside(page, top: float, bottom: float) -> str:
    """The page's text between two heights, leaving out its running head and foot."""
    margin = page.height * RUNNING_MARGIN
    low, high = max(top, margin), min(bottom, page.height - margin)
    return "".join(c["text"] for c in page.chars if c["top"] >= low and c["bottom"] <= high).strip()


def _continued(table: Table, more: Table) -> bool:
    """Adds `more`'s rows to `table` when it is the same table carried on to the next page
    (its heading row repeated or not); says whether it did."""
    if not table.rows or not more.rows or len(table.rows[0].cells) != len(more.rows[0].cells):
        return False
    repeated = more.rows[0].cells == table.rows[0].cells
    table.rows += more.rows[1:] if repeated else more.rows
    return True


def _ruled(rows: list[list[str | None]], page: int) -> Table:
    """A table pdfplumber found; a cell merged across columns comes as None after its text."""
    table = Table()
    for row in rows:
        cells, written = [], 0
        for cell in row:
            if cell is None and cells:
                cells.append(cells[-1])
            else:
                cells.append(" ".join((cell or "").split()))
                written += 1
        if any(cells):
            table.rows.append(TableRow(page, False, cells, written))
    return table


def _laid_out(text: str, page: int) -> list[Table]:
    """Tables in a page's text laid out with spaces, as the module's docstring says."""
    numbered = [(n, line) for n, line in enumerate(text.split("\n")) if line.strip()]
    tables: list[Table] = []
    index = 0
    while index < len(numbered):
        starts = [run.start() for run in _RUNS.finditer(numbered[index][1])]
        below = _RUNS.search(numbered[index + 1][1]) if index + 1 < len(numbered) else None
        if len(starts) >= 2 and below and below.start() < starts[0] - ALIGNED:
            starts.insert(0, below.start())  # the heading leaves the feature column's corner empty
        end = index + 1
        if len(starts) >= 2:
            while end < len(numbered) and _columns(numbered[end][1], starts) is not None:
                end += 1
        body = [_columns(line, starts) or [""] for _, line in numbered[index + 1 : end]]
        if any(cells[0] for cells in body):
            tables.append(_joined(numbered[index:end], starts, page))
            index = end
        else:
            index += 1
    return tables


def _columns(line: str, starts: list[int]) -> list[str] | None:
    """The line's text by column, when every run of it starts at a column's start; else None.
    One run from the first column over the second is a line of prose."""
    cells = [""] * len(starts)
    runs = list(_RUNS.finditer(line))
    if len(runs) == 1 and runs[0].end() > starts[1] and abs(runs[0].start() - starts[0]) <= ALIGNED:
        return None
    for run in runs:
        column = next((i for i, at in enumerate(starts) if abs(run.start() - at) <= ALIGNED), None)
        if column is None or cells[column]:
            return None
        cells[column] = run.group()
    return cells


def _joined(lines: list[tuple[int, str]], starts: list[int], page: int) -> Table:
    """Rows of a laid-out table: a line with a first cell starts a row; lines without one hold
    wrapped text, of the row above, or around the row's line when its first cell is centred."""
    laid = [_columns(line, starts) or [""] * len(starts) for _, line in lines]
    heads = sorted({0, *(index for index, cells in enumerate(laid) if cells[0])})
    ends = [*heads[1:], len(laid)]
    above = _centred([end - head - 1 for head, end in zip(heads, ends, strict=True)])
    table = Table()
    for number, head in enumerate(heads):
        first = head - above[number] if above else head
        last = ends[number] - (above[number + 1] if above and number + 1 < len(heads) else 0)
        cells = [" ".join(p[c] for p in laid[first:last] if p[c]) for c in range(len(starts))]
        table.rows.append(TableRow(page, False, cells, sum(1 for c in cells if c)))
    return table


def _centred(gaps: list[int]) -> list[int] | None:
    """How many wrapped lines sit above each row's line when every first cell is centred
    (as many above as below, none around the heading); None when the gaps do not fit that."""
    above, below = [0], 0
    for gap in gaps[:-1]:
        above.append(gap - below)
        below = above[-1]
        if below < 0:
            return None
    return above if gaps[-1] == below and any(above) else None
