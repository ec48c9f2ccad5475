"""A fast reader for card files written in plain YAML, giving load.parse_yaml's very tree.

Composing with PyYAML and walking its nodes is the largest single cost of a cold build, while
nearly every card file uses a small subset: `key: text` lines, `[a, b]` lists, `>-` blocks and a
`cards:` list of `- key: text` items. This reads that subset line by line (a list of cards with
nothing but `key: text` lines with one regex) and gives up (None) on anything else, so
load_card_file takes the full YAML path for every other file: errors, warnings and marks then
come from PyYAML as before. When in doubt it gives up. (Just over 300 lines: one grammar.)
"""

from __future__ import annotations

import functools
import re
from itertools import compress, repeat
from operator import add
from pathlib import Path

import yaml

from deckwright.read.raw import BASE_LOADER, MAX_PLAIN_NODES, RawList, RawMap, RawScalar


class Mark:
    """Where a value starts (0-based), the two fields of a yaml.Mark the Raw classes read."""

    __slots__ = ("column", "line")

    def __init__(self, line: int, column: int):
        self.line, self.column = line, column


class _Refused(Exception):
    """The text leaves the subset: the caller returns None."""


# Characters libyaml refuses or reads as line breaks (tab, CR, NEL, U+2028/9), a BOM inside
# the text, and the non-characters; anything else printable is plain text.
_OUTSIDE = re.compile(
    "[^\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]"
)
_ASCII_PRINTABLE = bytes([10, *range(0x20, 0x7F)])
# A key is a simple word followed by `: ` (or the line's end); the match ends at its value.
_WORD = r"[A-Za-z_][A-Za-z0-9_-]*"
_KEY = re.compile(rf"({_WORD}):(?: +|$)")
# `|` or `>`, optionally `-`; no indentation digit, no `+`.
_BLOCK_HEADER = re.compile(r"([|>])(-?)(?: *| +#.*)")
# Characters that may not start a plain value (YAML indicators), and the space of a blank line.
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@` ")
_PLAIN_START = "[^" + re.escape("".join(sorted(_INDICATORS))) + "\n]"
# The line break before a line starting at column 0, which ends a list of cards.
_FLUSH_LEFT = re.compile(r"\n[^ \n]")


def _colons_in_flow() -> bool:
    """libyaml before 0.2.1 refused `a::b` inside `[...]` (tags such as `neuro::motor`): ask the
    reader load uses rather than guess from a version."""
    try:
        node = yaml.compose("[a::b]", Loader=BASE_LOADER)
    except yaml.YAMLError:
        return False
    return node.value[0].value == "a::b"


_COLONS_IN_FLOW = _colons_in_flow()


@functools.cache
def _plain_item_lines(indent: int) -> re.Pattern[str]:
    """`- key: text` at `indent` or `key: text` two further in, text plain and stripped."""
    key = rf"^ {{{indent}}}(?:(-) | {{2}})({_WORD}):( +)"
    # A value is plain, or in quotes without escapes (`\\`, `''`) on its line: the quote, and
    # the text inside it, are groups of their own.
    quoted = r"""(["'])((?<=")[^"\\\n]*(?=")|(?<=')[^'\n]*(?='))["']"""
    return re.compile(key + rf"(?:({_PLAIN_START}(?:.*[^ :\n])?)|{quoted})$", re.MULTILINE)


def parse(text: str, rel: Path, header: int = 0, shift: int = 0) -> RawMap | None:
    """The tree load.parse_yaml gives for `text`, or None when it is outside the plain subset.

    A piece of a file (pieces.py) is its `header` lines, then lines that stand `shift` lines
    further down in the file: the values' marks are the file's lines."""
    if not _printable(text):
        return None
    try:
        return _Reader(text, rel, header, shift).document()
    except _Refused:
        return None


def _printable(text: str) -> bool:
    """No character outside the subset (an ASCII text is checked in bytes, ten times faster)."""
    if text.isascii():
        return not text.encode("ascii").translate(None, _ASCII_PRINTABLE)
    return _OUTSIDE.search(text) is None


def _blank(line: str) -> bool:
    """A line YAML skips between values: spaces only, or a comment."""
    stripped = line.lstrip(" ")
    return not stripped or stripped[0] == "#"


def _after_value(rest: str) -> None:
    """What may follow a complete value on its line: spaces, then perhaps a comment."""
    if rest.strip(" ") and not (rest[0] == " " and rest.lstrip(" ")[0] == "#"):
        raise _Refused


class _Reader:
    def __init__(self, text: str, rel: Path, header: int = 0, shift: int = 0):
        self.text, self.lines, self.rel = text, text.split("\n"), rel
        self.header, self.shift = header, shift
        self.nodes = 1  # the top mapping

    def line(self, i: int) -> int:
        """The file's line (0-based) of line i of the text."""
        return i + self.shift if i >= self.header else i

    def document(self) -> RawMap | None:
        lines, rel = self.lines, self.rel
        items = []
        i = 0
        while i < len(lines):
            line = lines[i]
            if _blank(line):
                i += 1
                continue
            match = _KEY.match(line)
            if match is None:
                raise _Refused
            key = RawScalar(match[1], False, rel, Mark(self.line(i), 0))
            value, i = self.value(i, match.end(), 0)
            if value is None:
                value, i = self.sequence(i)
            items.append((key, value))
            self.nodes += 2
        if not items or self.nodes > MAX_PLAIN_NODES:
            return None  # empty, or for load's own limit to report
        return RawMap(tuple(items), False, rel, items[0][0].mark)

    def sequence(self, i: int) -> tuple[RawList, int]:
        """A block list of mappings, each item `- key: value` then keys two columns further in."""
        lines, rel = self.lines, self.rel
        while i < len(lines) and _blank(lines[i]):
            i += 1
        if i == len(lines):
            raise _Refused
        line = lines[i]
        indent = len(line) - len(line.lstrip(" "))
        if indent:
            found = self.plain_items(i, indent)
            if found is not None:
                return found
        dash = " " * indent + "- "
        column = indent + 2
        keys_at = " " * column
        start = Mark(self.line(i), indent)
        entries = []
        items: list[tuple[RawScalar, object]] = []
        while i < len(lines):
            line = lines[i]
            if line.startswith(keys_at) and (match := _KEY.match(line, column)):
                if not items:
                    raise _Refused  # a key before the first item's `- `
                mark = Mark(self.line(i), column)
            elif line.startswith(dash) and (match := _KEY.match(line, column)):
                items = []
                mark = Mark(self.line(i), column)  # the item's and its first key's
                entries.append((items, mark))
            elif _blank(line):
                i += 1
                continue
            else:
                break
            value, i = self.value(i, match.end(), column)
            if value is None:
                raise _Refused  # a nested list or mapping
            items.append((RawScalar(match[1], False, rel, mark), value))
        if not entries:
            raise _Refused
        self.nodes += 1 + len(entries) + 2 * sum(len(items) for items, _ in entries)
        maps = [RawMap(tuple(items), False, rel, mark) for items, mark in entries]
        return RawList(tuple(maps), rel, start), i

    def plain_items(self, i: int, indent: int) -> tuple[RawList, int] | None:
        """`sequence` for the common case, or None: every line up to the next one at column 0
        is `- key: text` or `key: text`, without comments or trailing spaces. One regex reads
        them all, which makes this several times faster than reading line by line."""
        text, rel = self.text, self.rel
        start = sum(map(len, self.lines[:i])) + i
        found = _FLUSH_LEFT.search(text, start)
        end = found.start() + 1 if found else len(text)
        rows = _plain_item_lines(indent).findall(text, start, end)
        count = text.count("\n", start, end) + (not text.endswith("\n", start, end))
        if (
            len(rows) != count
            or not rows[0][0]
            or text.find(" #", start, end) >= 0
            or text.count(": ", start, end) != count  # one after each key, none in a value
        ):
            return None
        # Built column by column with map and zip, so that per line no Python code runs but
        # the constructors': these lines are most of the time spent on a large file.
        # A value is plain or quoted, so one of its two texts is empty: their sum is the value.
        dashes, keys, gaps, plains, quotes, insides = zip(*rows, strict=True)
        first = self.line(i)  # a run of lines is wholly in the header or wholly after it
        lines, column, false = range(first, first + count), indent + 2, repeat(False)
        rels = repeat(rel)
        key_marks = list(map(Mark, lines, repeat(column)))
        value_columns = map(add, map(len, keys), map(len, gaps))
        value_marks = map(Mark, lines, map(add, value_columns, repeat(column + 1)))
        values = map(add, plains, insides)
        pairs = list(
            zip(
                map(RawScalar, keys, false, rels, key_marks),
                map(RawScalar, values, map(bool, quotes), rels, value_marks),
                strict=True,
            )
        )
        starts = list(compress(range(count), dashes))
        maps = [
            RawMap(tuple(pairs[start:end]), False, rel, key_marks[start])
            for start, end in zip(starts, [*starts[1:], count], strict=True)
        ]
        self.nodes += 1 + len(maps) + 2 * count
        return RawList(tuple(maps), rel, Mark(self.line(i), indent)), i + count

    def value(self, i: int, column: int, parent: int) -> tuple[RawScalar | RawList | None, int]:
        """The value starting at `column` of line i and the next line to read; None if empty.

        `parent` is the indentation of the mapping holding it (a block must be deeper).
        """
        line, rel = self.lines[i], self.rel
        rest = line[column:]
        first = rest[:1]
        if not first or first == "#":
            return None, i + 1
        mark = Mark(self.line(i), column)
        if first == "[":
            return self.flow_list(rest, mark), i + 1
        if first in "'\"":
            close = rest.find(first, 1)
            if close < 0 or (first == '"' and "\\" in rest[:close]):
                raise _Refused
            _after_value(rest[close + 1 :])
            return RawScalar(rest[1:close], True, rel, mark), i + 1
        if first in "|>":
            return self.block(i, rest, parent, mark)
        if first in _INDICATORS:
            raise _Refused
        comment = rest.find(" #")
        text = (rest if comment < 0 else rest[:comment]).rstrip(" ")
        if ": " in text or text[-1] == ":":
            raise _Refused
        return RawScalar(text, False, rel, mark), i + 1

    def flow_list(self, rest: str, mark: Mark) -> RawList:
        """`[a, b]` on one line, of plain words without brackets, quotes or `?`."""
        close = rest.find("]")
        if close < 0:
            raise _Refused
        inner = rest[1:close]
        _after_value(rest[close + 1 :])
        if "[" in inner or "{" in inner or "}" in inner or "?" in inner or " #" in inner:
            raise _Refused
        if ":" in inner and not _COLONS_IN_FLOW:
            raise _Refused
        items = []
        if inner.strip(" "):
            column = mark.column + 1
            for part in inner.split(","):
                text = part.strip(" ")
                if not text or text[0] in _INDICATORS or ": " in text or text[-1] == ":":
                    raise _Refused
                where = Mark(mark.line, column + len(part) - len(part.lstrip(" ")))
                items.append(RawScalar(text, False, self.rel, where))
                column += len(part) + 1
        self.nodes += len(items)
        return RawList(tuple(items), self.rel, mark)

    def block(self, i: int, header: str, parent: int, mark: Mark) -> tuple[RawScalar, int]:
        """A `|` or `>` block (with `-` or not) whose lines are all equally indented."""
        lines = self.lines
        match = _BLOCK_HEADER.fullmatch(header)
        if match is None or i + 1 == len(lines):
            raise _Refused
        folded, strip = match[1] == ">", match[2] == "-"
        first = lines[i + 1]
        indent = len(first) - len(first.lstrip(" "))
        if indent <= parent or indent == len(first):
            raise _Refused
        pad = " " * indent
        parts: list[str] = []
        blanks = 0
        end = j = i + 1
        while j < len(lines):
            line = lines[j]
            if len(line) > indent and line.startswith(pad):
                if line[indent] == " ":
                    raise _Refused  # more indented: kept as written, not handled here
                if parts:
                    parts.append(" " if folded and not blanks else "\n" * (blanks + 1 - folded))
                parts.append(line[indent:])
                blanks = 0
                end = j = j + 1
            elif not line.strip(" "):
                blanks += 1
                j += 1
            else:
                break
        # Without `-`, one line break is kept: the last line's, if the file has one.
        text = "".join(parts) + ("" if strip or end == len(lines) else "\n")
        return RawScalar(text, True, self.rel, mark), end
