"""An HTML page -> its comparison tables with their lines, and the page's citation metadata.

lxml (libxml2's HTML parser) reads pages as saved from a browser -- navigation, ads, scripts,
unclosed `<td>` and `<tr>` -- and gives every element its `sourceline`. On a 2 MB saved page it
parsed in 33 ms, selectolax in 13 ms without line numbers, html5lib in 1.1 s, the hand-written
reader it replaces in 240 ms. libxml2 stops counting lines at 65,535: rows further down map back
by searching the text for their tags.

Besides `<table>`s, comparison charts built from `div`s are read: a container whose class names a
table or chart (or `role=table`), either as rows of cells or, like Bootstrap's `Rtable`, as one
run of cells per thing compared, each run led by a `--head` cell.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator

from lxml import etree

from deckwright.coverage.html_page import Page
from deckwright.coverage.table import Table, TableRow

MAX_COLSPAN = 20
MAX_ROWSPAN = 200
# Where saved pages keep their metadata: <meta name=...>, <meta property=...>, <meta itemprop=...>.
_META = {
    "og:title": "title",
    "og:site_name": "site",
    "application-name": "site",
    "author": "author",
    "article:author": "author",
    "article:published_time": "date",
    "datepublished": "date",
    "date": "date",
    "dc.date": "date",
    "og:url": "url",
}
_SKIPPED = {"script", "style", "template", "noscript"}
_BREAKS = {"br", "p", "div", "li", "ul", "ol", "hr"}
_CELLS = {"div", "span", "p", "strong", "b", "em", "dt", "dd"}  # a link or a list is no cell
_CHART_CLASS = re.compile(r"table|chart|compar", re.IGNORECASE)
_CHARSET = re.compile(rb"""<meta[^>]*charset\s*=\s*["']?([A-Za-z0-9_-]{1,40})""", re.IGNORECASE)
_LABEL = re.compile(r"\s*(.{1,60}?):\s*$", re.DOTALL)


def read_html(text: str, line_offset: int = 0) -> tuple[list[Table], dict[str, str]]:
    """The tables of an HTML text in document order, and metadata found in its <head>."""
    root = etree.fromstring(text.encode("utf-8", "replace"), etree.HTMLParser(encoding="utf-8"))
    if root is None:
        return [], {}
    tables: list[Table] = []
    page = Page(text, line_offset)
    stack = [root]  # document order, without scripts and templates
    while stack:
        element = stack.pop()
        if not isinstance(element.tag, str) or element.tag in _SKIPPED:
            continue
        chart = None if element.tag == "table" else _div_chart(element, page)
        if element.tag == "table" and not _widget(element):
            tables.append(_table(element, page))
        if chart is not None:
            tables.append(chart)  # its divs are not read again
        else:
            stack.extend(reversed(element))
    return tables, _metadata(root)


def _widget(table) -> bool:
    """A table that lays out the page, or a blog's calendar of posts: no comparison."""
    named = f"{table.get('id', '')} {table.get('class', '')}".lower()
    return table.get("role") in ("presentation", "none") or "calendar" in named


def decode_legacy_html(data: bytes) -> str:
    """A page saved in its own encoding, as its `<meta charset>` says; else Windows-1252, what
    browsers assume of a page that does not say."""
    found = _CHARSET.search(data[:4096])
    try:
        codec = codecs.lookup(found.group(1).decode("ascii")).name if found else "cp1252"
    except LookupError:
        codec = "cp1252"
    return data.decode(codec, errors="replace")


def _metadata(root) -> dict[str, str]:
    meta: dict[str, str] = {}
    for element in root.iter("title", "meta", "link"):
        values = {name.lower(): value for name, value in element.attrib.items()}
        if element.tag == "title":
            meta.setdefault("title", " ".join("".join(element.itertext()).split()))
        elif element.tag == "meta":
            key = (
                values.get("name") or values.get("property") or values.get("itemprop") or ""
            ).lower()
            if key in _META and values.get("content", "").strip():
                meta.setdefault(_META[key], _date(key, values["content"].strip()))
        elif "canonical" in values.get("rel", "").lower().split():
            meta.setdefault("url", values.get("href", ""))
    return meta


def _date(key: str, value: str) -> str:
    """A page's timestamp `2023-12-08T10:00:00+05:30` cited as its day."""
    if "date" in key or "time" in key:
        return value.split("T")[0] if len(value) > 10 and value[10:11] == "T" else value
    return value


def _table(table, page: Page) -> Table:
    """A `<table>`'s own rows (not those of tables inside it), `rowspan` and `colspan` filled."""
    result = Table()
    carried: dict[int, tuple[str, int]] = {}  # column -> (text, rows still to fill)
    for row, head in _rows_of(table):
        cells = [cell for cell in row if cell.tag in ("td", "th")]
        if not cells and not carried:
            continue
        filled: list[str] = []
        written = 0
        for cell in cells:
            written += _carry(filled, carried) + 1
            text = _text(cell)
            down = min(_span(cell.get("rowspan")), MAX_ROWSPAN)
            across = min(_span(cell.get("colspan")), MAX_COLSPAN)
            page.fill(across * down)
            for _ in range(across):
                if down > 1:
                    carried[len(filled)] = (text, down - 1)
                filled.append(text)
        written += _carry(filled, carried)
        while carried and max(carried) >= len(filled):  # a spanned column past the row's cells
            page.fill(1)
            filled.append("")
            written += _carry(filled, carried)
        first = row if row.tag == "tr" else cells[0]
        result.rows.append(TableRow(page.of(first), head, filled, written))
    return result


def _carry(filled: list[str], carried: dict[int, tuple[str, int]]) -> int:
    """Cells spanned down from rows above into the next columns of this row; how many."""
    count = 0
    while len(filled) in carried:
        text, left = carried.pop(len(filled))
        if left > 1:
            carried[len(filled)] = (text, left - 1)
        filled.append(text)
        count += 1
    return count


def _rows_of(table) -> Iterator[tuple]:
    """Each `<tr>` of the table itself with "in <thead>"; cells left without a `<tr>` as one row."""
    loose = []
    for child in table:
        if child.tag in ("thead", "tbody", "tfoot"):
            for row in child:
                if row.tag == "tr":
                    yield row, child.tag == "thead"
        elif child.tag == "tr":
            yield child, False
        elif child.tag in ("td", "th"):
            loose.append(child)
    if loose:
        yield loose[0].getparent(), False


def _span(value: str | None) -> int:
    value = (value or "").strip()
    return int(value) if value.isdigit() and 0 < int(value) < 10_000 else 1


def _text(element) -> str:
    """The text a reader sees in a cell: tags dropped, a nested table left to itself."""
    parts: list[str] = []
    _gather(element, parts)
    return " ".join("".join(parts).split())


def _gather(element, parts: list[str]) -> None:
    parts.append(element.text or "")
    for child in element:
        if isinstance(child.tag, str) and child.tag not in _SKIPPED and child.tag != "table":
            gap = " " if child.tag in _BREAKS else ""
            parts.append(gap)
            _gather(child, parts)
            parts.append(gap)
        parts.append(child.tail or "")


def _div_chart(element, page: Page) -> Table | None:
    """A chart of divs: rows of as many cells each, or runs of cells each led by a head cell;
    else None. ARIA's `rowgroup`, `row` and `columnheader` are read as `<tbody>`, `<tr>`, `<th>`."""
    named = element.get("role") in ("table", "grid") or _CHART_CLASS.search(
        element.get("class", "")
    )
    if element.tag != "div" or not named or element.find(".//table") is not None:
        return None
    rows = [
        row
        for child in _elements(element)
        for row in (_elements(child) if child.get("role") == "rowgroup" else [child])
    ]
    if len(rows) < 2:
        return None
    cells = [_elements(row) for row in rows]
    width = len(cells[-1])  # the heading row may leave out the corner (see Table.split)
    square = {len(row) for row in cells[1:]} == {width} and len(cells[0]) in (width, width - 1)
    if width < 2 or not square or any(cell.tag not in _CELLS for row in cells for cell in row):
        return _columns(rows, page)
    table = Table()
    for row, row_cells in zip(rows, cells, strict=True):
        head = "head" in row.get("class", "").lower() or all(
            cell.get("role") == "columnheader" for cell in row_cells
        )
        texts = [_text(cell) for cell in row_cells]
        page.fill(len(texts))
        table.rows.append(TableRow(page.of(row), head, texts, len(texts)))
    return table


def _elements(element) -> list:
    return [child for child in element if isinstance(child.tag, str)]


def _columns(cells: list, page: Page) -> Table | None:
    """Cells in runs, one run per thing compared, each led by a `head` cell: turned into rows.
    A `Feature:` label leading a cell in every run names the row."""
    runs: list[list] = []
    for cell in cells:
        if cell.tag not in _CELLS:
            return None
        if "head" in cell.get("class", "").lower():
            runs.append([])
        elif not runs:
            return None
        runs[-1].append(cell)
    if len(runs) < 2 or len({len(run) for run in runs}) != 1 or len(runs[0]) < 2:
        return None
    table = Table([TableRow(page.of(runs[0][0]), True, ["", *(_text(r[0]) for r in runs)], 0)])
    for index in range(1, len(runs[0])):
        labelled = [_labelled(run[index]) for run in runs]
        labels = {label.lower() for label, _ in labelled}
        label = labelled[0][0] if len(labels) == 1 else ""
        texts = [
            text if len(labels) == 1 else _text(run[index])
            for (_, text), run in zip(labelled, runs, strict=True)
        ]
        table.rows.append(TableRow(page.of(runs[0][index]), False, [label, *texts], len(runs) + 1))
    table.rows[0].written = len(runs) + 1
    return table


def _labelled(cell) -> tuple[str, str]:
    """(`Focus`, the rest) for a cell that starts with `<span>Focus:</span>`; else ("", text)."""
    first = next(iter(_elements(cell)), None)
    if first is None or (cell.text or "").strip():
        return "", _text(cell)
    match = _LABEL.fullmatch(_text(first))
    if match is None:
        return "", _text(cell)
    rest = [first.tail or ""]
    for child in first.itersiblings():
        if isinstance(child.tag, str):
            _gather(child, rest)
        rest.append(child.tail or "")
    return match.group(1).strip(), " ".join("".join(rest).split())
