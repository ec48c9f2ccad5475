"""Document text -> its tables, each row with its line (Markdown and HTML), and HTML metadata.

markdown-it-py gives every table row its line. The standard library's HTML parser is forgiving the
way browsers are: it accepts the unclosed `<td>`, `<tr>` and `<p>` that saved pages are full of, and
`getpos()` gives the line of every tag.

Plainly written pipe tables are read without markdown-it, which takes 30 ms to import, more than the
rest of a small build: only where nothing around them could make markdown-it read them otherwise.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from deckwright.model.markup import ForgivingHTMLParser

MAX_COLSPAN = 20
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


@dataclass
class TableRow:
    """A row with its line, so a problem or a `covers` can point at it."""

    line: int  # 1-based line of the row's `<tr>` (or `|` line in Markdown)
    head: bool  # in <thead>, or the header line of a Markdown table
    cells: list[str] = field(default_factory=list)  # a `colspan` cell is repeated
    written: int = 0  # cells as written: a heading spanning the whole table is one
    split: bool = True  # False: plain text whose cells run together, kept whole in one cell


@dataclass
class Table:
    """A table's rows in document order."""

    rows: list[TableRow] = field(default_factory=list)

    def add_row(self, line: int, head: bool) -> None:
        self.rows.append(TableRow(line, head))

    def split(self) -> tuple[list[str], list[TableRow]]:
        """The header cells (the <thead>'s first row, else the first row) and the body rows."""
        rows = [row for row in self.rows if row.cells]
        if not rows:
            return [], []
        heads = [row for row in rows if row.head] or rows[:1]
        return heads[0].cells, [row for row in rows if row not in heads]


@functools.cache
def _markdown():
    """markdown-it, imported only by a project with Markdown documents: 30 ms at every start."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable("table")


def read_markdown(body: str) -> list[Table]:
    """The GFM pipe tables of a Markdown text, and any HTML `<table>` written inside it."""
    tables = _plain_tables(body)
    return _markdown_tables(body) if tables is None else tables


# What could start a block around a table (HTML, fences), what markdown-it trims or reads as a line
# break where str.strip(" ") and str.split("\n") do not, and NUL, which it replaces.
_NOT_PLAIN = re.compile(
    "[\t\r\0\x0b\x0c\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000<]|```|~~~"
)
_INLINE = re.compile(r"[\\`*_\[\]!<>&~]")  # what markdown-it's inline rules could turn into markup
_ALIGN = re.compile(r":?-+:?")


def _plain_tables(body: str) -> list[Table] | None:
    """The tables read_markdown would find, when the text is laid out plainly enough to read them
    without markdown-it: each table at the start of a line after a blank line, every row starting
    with `|`, no cell with markup; None for any other text (tests check the two agree)."""
    if _NOT_PLAIN.search(body):
        return None
    lines = body.split("\n")
    tables: list[Table] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        if line.lstrip(" ").startswith(">"):
            return None  # a quote: its lines could hold a table
        starts = line.startswith("|") and index + 1 < len(lines) and _delimiter(lines[index + 1])
        if starts and (index == 0 or not lines[index - 1].strip(" ")):
            table, index = _plain_table(lines, index)
            if table is None:
                return None
            tables.append(table)
        elif index and _delimiter(line.lstrip(" ")) and "|" in lines[index - 1]:
            return None  # markdown-it may see a table here, in a list or a paragraph
        else:
            index += 1
    return tables


def _delimiter(line: str) -> bool:
    """What markdown-it takes for a table's delimiter row before checking its columns."""
    if len(line) < 2 or line[0] not in "|-:" or (line[0] == "-" and line[1] == " "):
        return False
    return all(char in "|-: " for char in line)


def _plain_table(lines: list[str], start: int) -> tuple[Table | None, int]:
    """The table whose header is lines[start] as markdown-it's table rule reads it, and the index
    of the line after it; None when the rule would not read it so or a cell could hold markup."""
    marks = [mark.strip(" ") for mark in lines[start + 1].split("|")]
    if not all(_ALIGN.fullmatch(mark) for mark in marks[1:-1]) or any(
        mark and not _ALIGN.fullmatch(mark) for mark in (marks[0], marks[-1])
    ):
        return None, start
    count = sum(1 for mark in marks if mark)
    header = _cells(lines[start])
    if header is None or len(header) != count:
        return None, start  # markdown-it reads no table here, or a cell could hold markup
    table = Table([TableRow(start + 1, True, header, count)])
    end = start + 2
    while end < len(lines) and lines[end].strip(" "):
        cells = _cells(lines[end])
        if cells is None or len(cells) < count:
            return None, start  # not a row as written, or one markdown-it fills up with cells
        table.rows.append(TableRow(end + 1, False, cells[:count], count))
        end += 1
    return table, end


def _cells(line: str) -> list[str] | None:
    """A row's cells as read_markdown gives them; None if markdown-it could read it otherwise."""
    if not line.startswith("|") or _INLINE.search(line):
        return None
    cells = line.strip(" ").split("|")[1:]
    if cells and not cells[-1]:
        cells.pop()
    return [" ".join(cell.split()) for cell in cells]


def _markdown_tables(body: str) -> list[Table]:
    tables: list[Table] = []
    in_head = in_cell = False
    for token in _markdown().parse(body):
        if token.type == "table_open":
            tables.append(Table())
        elif token.type in ("thead_open", "thead_close"):
            in_head = token.type == "thead_open"
        elif token.type == "tr_open" and token.map:
            tables[-1].add_row(token.map[0] + 1, in_head)
        elif token.type in ("th_open", "td_open"):
            in_cell = True
        elif token.type == "inline" and in_cell:
            tables[-1].rows[-1].cells.append(_plain(token.children or []))
            tables[-1].rows[-1].written += 1
            in_cell = False
        elif token.type == "html_block" and "<table" in token.content.lower() and token.map:
            tables += read_html(token.content, line_offset=token.map[0])[0]
    return tables


def _plain(children: list) -> str:
    """The text a reader sees in a cell: markup dropped, `\\|` already unescaped by the parser."""
    parts = []
    for child in children:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak") or (
            child.type == "html_inline" and child.content.lower().startswith("<br")
        ):
            parts.append(" ")
        elif child.type == "image":
            parts.append(_plain(child.children or []))
    return " ".join("".join(parts).split())


def read_html(text: str, line_offset: int = 0) -> tuple[list[Table], dict[str, str]]:
    """The tables of an HTML text in document order, and metadata found in its <head>."""
    parser = _Parser(line_offset)
    parser.feed(text)
    parser.close()
    parser.finish_cell()
    return parser.tables, parser.meta


class _Parser(ForgivingHTMLParser):
    def __init__(self, line_offset: int):
        super().__init__(convert_charrefs=True)
        self.first_line = line_offset  # not `offset`: the HTML parser keeps its column there
        self.tables: list[Table] = []
        self.open: list[tuple[Table, bool]] = []  # nested tables, each with "inside <thead>"
        self.cell: list[str] | None = None
        self.span = 1
        self.skipping = 0
        self.title: list[str] | None = None
        self.meta: dict[str, str] = {}

    def line(self) -> int:
        return self.getpos()[0] + self.first_line

    def finish_cell(self) -> None:
        if self.cell is None or not self.open:
            return
        text = " ".join("".join(self.cell).split())
        row = self.open[-1][0].rows[-1]
        row.cells.extend([text] * self.span)
        row.written += 1
        self.cell = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag in _SKIPPED:
            self.skipping += 1
        elif tag == "title":
            self.title = []
        elif tag == "meta":
            key = (
                values.get("name") or values.get("property") or values.get("itemprop") or ""
            ).lower()
            if key in _META and values.get("content", "").strip():
                self.meta.setdefault(_META[key], _date(key, values["content"].strip()))
        elif tag == "link" and "canonical" in values.get("rel", "").lower().split():
            self.meta.setdefault("url", values.get("href", ""))
        elif tag == "table":
            self.finish_cell()
            self.tables.append(Table())
            self.open.append((self.tables[-1], False))
        elif self.open and tag in ("thead", "tbody", "tfoot"):
            self.finish_cell()
            self.open[-1] = (self.open[-1][0], tag == "thead")
        elif self.open and tag == "tr":
            self.finish_cell()
            self.open[-1][0].add_row(self.line(), self.open[-1][1])
        elif self.open and tag in ("td", "th"):
            self.finish_cell()  # `<td>` may be left unclosed
            if not self.open[-1][0].rows:  # `<tr>` may be left out
                self.open[-1][0].add_row(self.line(), self.open[-1][1])
            self.cell = []
            span = values.get("colspan", "1")
            self.span = min(int(span), MAX_COLSPAN) if span.isdigit() and int(span) > 0 else 1
        elif tag in _BREAKS and self.cell is not None:
            self.cell.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED:
            self.skipping = max(0, self.skipping - 1)
        elif tag == "title" and self.title is not None:
            self.meta.setdefault("title", " ".join("".join(self.title).split()))
            self.title = None
        elif tag in ("td", "th", "tr"):
            self.finish_cell()
        elif tag == "table" and self.open:
            self.finish_cell()
            self.open.pop()

    def handle_data(self, data: str) -> None:
        if self.skipping:
            return
        if self.title is not None:
            self.title.append(data)
        elif self.cell is not None:
            self.cell.append(data)


def _date(key: str, value: str) -> str:
    """A page's timestamp `2023-12-08T10:00:00+05:30` cited as its day."""
    if "date" in key or "time" in key:
        return value.split("T")[0] if len(value) > 10 and value[10:11] == "T" else value
    return value
