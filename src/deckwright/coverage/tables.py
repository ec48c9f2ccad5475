"""Document text -> its tables, each row with its line (Markdown; HTML in html_reader.py).

markdown-it-py gives every table row its line.

Plainly written pipe tables are read without markdown-it, which takes 30 ms to import, more than the
rest of a small build: only where nothing around them could make markdown-it read them otherwise.
"""

from __future__ import annotations

import functools
import re

from deckwright.coverage.table import Table, TableRow


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


def _markdown_tables(body: str, nested: bool = False) -> list[Table]:
    """The tables markdown-it reads, also as people write them: under a list item, inside
    `<details>`, with a `Source:` line straight under the last row (not a row)."""
    tables: list[Table] = []
    in_head = in_cell = skipping = piped = False
    body = _under_list_items(body)
    lines = body.split("\n")
    for token in _markdown().parse(body):
        if token.type == "table_open":
            tables.append(Table())
            piped = bool(token.map) and lines[token.map[0]].lstrip().startswith("|")
        elif token.type in ("thead_open", "thead_close"):
            in_head = token.type == "thead_open"
        elif token.type == "tr_open" and token.map:
            line = lines[token.map[0]]  # a line of text under the table is not a row
            skipping = "|" not in line or (piped and not line.lstrip().startswith("|"))
            if not skipping:
                tables[-1].add_row(token.map[0] + 1, in_head)
        elif token.type in ("th_open", "td_open"):
            in_cell = not skipping
        elif token.type == "inline" and in_cell:
            tables[-1].rows[-1].cells.append(_plain(token.children or []))
            tables[-1].rows[-1].written += 1
            in_cell = False
        elif token.type == "html_block" and token.map and not nested:
            tables += _in_html_block(token.content, token.map[0])
    return tables


def _in_html_block(content: str, first: int) -> list[Table]:
    """The `<table>`s of an HTML block, or the pipe tables written between its tags, as in
    `<details>` with no blank line before the table (markdown-it keeps it as HTML)."""
    if "<table" in content.lower():
        return read_html(content, line_offset=first)[0]
    if "|" not in content:
        return []
    text = "\n".join("" if line.lstrip().startswith("<") else line for line in content.split("\n"))
    found = _markdown_tables(text, nested=True)
    for row in (row for table in found for row in table.rows):
        row.line += first
    return found


_LIST_ITEM = re.compile(r" {0,3}(?:[-*+]|\d{1,9}[.)]) +(?=\S)")


def _under_list_items(body: str) -> str:
    """A table written straight under a list item's line indented as the item's text, so that
    markdown-it reads it as a table in the item rather than as more of the item's text."""
    lines = body.split("\n")
    indent = table = 0
    moved = False
    for index, line in enumerate(lines):
        item = _LIST_ITEM.match(line)
        if not line.strip():
            indent = table = 0
        elif item:
            indent, table = len(item.group()), 0
        elif indent and not table and line.startswith("|") and index + 1 < len(lines):
            table = indent if _delimiter(lines[index + 1].strip(" ")) else 0
        if table:
            lines[index] = " " * table + line
            moved = True
    return "\n".join(lines) if moved else body


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
    from deckwright.coverage.html_reader import read_html as read  # lxml, imported only for HTML

    return read(text, line_offset)
