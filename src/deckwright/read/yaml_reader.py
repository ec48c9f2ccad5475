"""Card files -> raw values stamped with their file and line (the only module that reads YAML).

PyYAML's composer gives nodes whose scalars are still the text the student wrote, so `no`,
`2023-12-08` and `1e3` stay text; loading to plain dicts would both retype them and drop lines.
Nothing is ever constructed from a tag, so `!!python/...` cannot run code; such tags are refused.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import yaml

from deckwright.errors import Location, Problem
from deckwright.read.nesting import (
    TOO_DEEP,
    deep_nesting_problem,
    is_nesting_refusal,
    refuse_oversized,
)
from deckwright.read.plain_yaml import parse as parse_plain
from deckwright.read.raw import (
    BASE_LOADER,
    MAX_DEPTH,
    MAX_FILE_BYTES,
    MAX_LINE_CHARS,
    MAX_PLAIN_FILE_BYTES,
    MAX_PLAIN_NODES,
    Raw,
    RawList,
    RawMap,
    RawScalar,
)
from deckwright.read.yaml_errors import (
    alias_problems,
    control_character_problem,
    mark_location,
    syntax_problem,
    text_location,
)

_STANDARD = "tag:yaml.org,2002:"
_ALLOWED_TAGS = {
    _STANDARD + name for name in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq")
}
_KIND_TAGS = {
    yaml.ScalarNode: _STANDARD + "str",
    yaml.SequenceNode: _STANDARD + "seq",
    yaml.MappingNode: _STANDARD + "map",
}


class _Loader(BASE_LOADER):
    """PyYAML's safe loader minus implicit typing, which we never use: every plain scalar stays
    text, so guessing whether it is a bool, a number or a date is wasted work (a third of the
    parse time of a large file)."""

    def resolve(self, kind: type, value: object, implicit: object) -> str:
        return _KIND_TAGS[kind]


def read_text(path: Path, rel: Path) -> tuple[str | None, list[Problem]]:
    """Decode a file as a student's editor saved it (BOM and CRLF are fine, other junk is not)."""
    whole = Location(rel, 0)
    too_big = [
        Problem(
            whole,
            f"file is over the {MAX_PLAIN_FILE_BYTES // 1_000_000} MB limit for one card file:"
            " split it into several files",
        )
    ]
    try:
        with path.open("rb") as stream:
            if os.fstat(stream.fileno()).st_size > MAX_PLAIN_FILE_BYTES:
                return None, too_big  # without reading it into memory
            # Read one byte past the limit rather than trusting the size the file system reports.
            data = stream.read(MAX_PLAIN_FILE_BYTES + 1)
    except OSError as error:
        return None, [Problem(whole, f"cannot read the file ({error.strerror}): check it exists")]
    if len(data) > MAX_PLAIN_FILE_BYTES:
        return None, too_big
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        start = data.rfind(b"\n", 0, error.start) + 1
        column = len(data[start : error.start].decode("utf-8", "replace")) + 1
        return None, [
            Problem(
                Location(rel, data.count(b"\n", 0, error.start) + 1, column),
                f"not valid UTF-8 (byte 0x{data[error.start]:02x} at byte offset {error.start}):"
                " save the file as UTF-8 in your editor",
            )
        ]
    if "\x00" in text:
        return None, [
            Problem(
                text_location(text, text.index("\x00"), rel),
                "contains a NUL byte: this is not a text file, remove it",
            )
        ]
    # Line lengths are measured in C first; the regex only finds where the long line is.
    too_long = len(text) > MAX_LINE_CHARS and max(map(len, text.split("\n"))) > MAX_LINE_CHARS
    long_line = _LONG_LINE.search(text) if too_long else None
    if long_line:
        end = text.find("\n", long_line.start())
        length = (len(text) if end == -1 else end) - long_line.start()
        return None, [
            Problem(
                Location(rel, text.count("\n", 0, long_line.start()) + 1),
                f"line is {length} characters long, over the {MAX_LINE_CHARS} limit: break it up"
                " (a `|` block keeps line breaks)",
            )
        ]
    return text, []


# Anchored at line starts, so each line is scanned once.
_LONG_LINE = re.compile(rf"^[^\n]{{{MAX_LINE_CHARS + 1}}}", re.MULTILINE)


def card_text(path: Path, root: Path) -> tuple[str | None, list[Problem]]:
    """A card file's text, or why it is not read: a link out of the project, or read_text's."""
    rel = path.relative_to(root)
    if not path.resolve().is_relative_to(root.resolve()):
        return None, [
            Problem(
                Location(rel, 0),
                f"is a link to {path.resolve()}, outside the project: a build only reads files"
                " inside the project, so copy the file in instead of linking to it",
            )
        ]
    return read_text(path, rel)


def with_lf(text: str) -> str:
    """YAML reads a CRLF as one line break (its scalars hold "\\n"): the fast reader (and the
    cut into pieces) takes the text with LF alone, the same values at the same lines."""
    return text.replace("\r\n", "\n") if "\r" in text else text


def load_card_file(path: Path, root: Path) -> tuple[RawMap | None, list[Problem]]:
    """Parse one card file into raw values, or say where and why it cannot be read."""
    rel = path.relative_to(root)
    text, problems = card_text(path, root)
    if text is None:
        return None, problems
    plain = parse_plain(with_lf(text), rel)
    if plain is not None:
        return plain, []
    if len(text) > MAX_FILE_BYTES and len(text.encode()) > MAX_FILE_BYTES:
        return None, [
            Problem(
                Location(rel, 0),
                f"file is over the {MAX_FILE_BYTES // 1_000_000} MB limit for a card file that"
                " uses more of YAML than `key: text` lines, `[a, b]` lists and `|` or `>`"
                f" blocks (quoted keys, anchors, flow mappings...) or has over {MAX_PLAIN_NODES:,}"
                f" values: split it into files under {MAX_FILE_BYTES // 1_000_000} MB",
            )
        ]
    raw, problems = parse_yaml(text, rel)
    if problems:
        return None, problems
    if raw is None:
        return None, [
            Problem(Location(rel, 1), "file is empty: give it a `deck:` and a `cards:` list")
        ]
    if not isinstance(raw, RawMap):
        return None, [
            Problem(
                raw.where,
                "a card file must be a mapping with `deck:` and `cards:` keys,"
                f" not a {'list' if isinstance(raw, RawList) else 'single value'}",
            )
        ]
    return raw, []


def parse_yaml(text: str, rel: Path) -> tuple[Raw | None, list[Problem]]:
    """YAML text -> raw values with lines counted from the text's first line (None when empty).

    Also reads a document's front matter: blank out the lines before it to keep file lines.
    """
    try:
        refused = refuse_oversized(text, rel, _Loader)
        if refused:
            return None, [refused]
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as error:
        if is_nesting_refusal(error):
            return None, [deep_nesting_problem(error.problem_mark, text, rel)]
        return None, [syntax_problem(error, text, rel)]
    except RecursionError:
        # PyYAML without libyaml composes in Python, one frame per level of block nesting.
        return None, [deep_nesting_problem(None, text, rel)]
    except yaml.reader.ReaderError as error:
        libyaml = BASE_LOADER is not yaml.SafeLoader
        return None, [control_character_problem(error, text, rel, libyaml)]
    except yaml.YAMLError as error:
        return None, [Problem(Location(rel, 0), f"YAML error: {error}")]
    if node is None:
        return None, []
    walker = _Walker(rel, track="&" in text)
    raw = walker.convert(node)
    if walker.aliased:
        walker.problems = alias_problems(yaml.parse(text, Loader=_Loader), rel) + walker.problems
    if walker.problems:
        return None, walker.problems
    return raw, []


class _Walker:
    """Composed nodes -> raw values, refusing tags, aliases and deep nesting on the way.

    Written for speed as well: a large deck has hundreds of thousands of values, so scalars are
    handled inline rather than by a call each. PyYAML hands an alias back as the very node it
    names; nodes are remembered to notice that only when the text has an anchor (`&`) at all.
    """

    def __init__(self, rel: Path, track: bool):
        self.rel = rel
        self.problems: list[Problem] = []
        self.seen: set[int] | None = set() if track else None
        self.aliased = False

    def convert(self, node: yaml.Node, depth: int = 1) -> Raw:
        rel, mark, seen = self.rel, node.start_mark, self.seen
        if seen is not None:
            if id(node) in seen:
                self.aliased = True
                return RawScalar("", True, rel, mark)
            seen.add(id(node))
        if node.tag not in _ALLOWED_TAGS:
            shown = node.tag.replace(_STANDARD, "!!")[:60]
            self.problems.append(
                Problem(
                    mark_location(rel, mark),
                    f"the tag `{shown}` is not allowed in card files:"
                    " remove it and write plain text",
                )
            )
            return RawScalar("", True, rel, mark)
        kind = type(node)
        if kind is yaml.ScalarNode:
            return RawScalar(node.value, bool(node.style), rel, mark)  # plain: None or ""
        if depth > MAX_DEPTH:
            # Block nesting (`- - - ...`) passes the cheap pre-check; stop before Python's own
            # recursion limit does.
            self.problems.append(Problem(mark_location(rel, mark), TOO_DEEP))
            return RawScalar("", True, rel, mark)
        simple = seen is None
        if kind is yaml.SequenceNode:
            return RawList(
                tuple(
                    RawScalar(item.value, bool(item.style), rel, item.start_mark)
                    if simple and type(item) is yaml.ScalarNode and item.tag in _ALLOWED_TAGS
                    else self.convert(item, depth + 1)
                    for item in node.value
                ),
                rel,
                mark,
            )
        items = []
        for key, value in node.value:
            if simple and type(key) is yaml.ScalarNode and key.tag in _ALLOWED_TAGS:
                raw_key = RawScalar(key.value, bool(key.style), rel, key.start_mark)
            else:
                raw_key = self.convert(key, depth + 1)
                if not isinstance(raw_key, RawScalar):
                    self.problems.append(
                        Problem(
                            raw_key.where,
                            "a key must be a plain word such as `front`, not a list or"
                            " mapping: remove the brackets or the `?`",
                        )
                    )
                    continue
            if simple and type(value) is yaml.ScalarNode and value.tag in _ALLOWED_TAGS:
                items.append(
                    (raw_key, RawScalar(value.value, bool(value.style), rel, value.start_mark))
                )
            else:
                items.append((raw_key, self.convert(value, depth + 1)))
        return RawMap(tuple(items), bool(node.flow_style), rel, mark)
