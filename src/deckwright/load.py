"""Card files -> raw values stamped with their file and line (the only module that knows YAML).

PyYAML's composer gives nodes whose scalars are still the text the student wrote, so `no`,
`2023-12-08` and `1e3` stay text; loading to plain dicts would both retype them and drop lines.
Nothing is ever constructed from a tag, so `!!python/...` cannot run code; such tags are refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from .errors import Location, Problem

MAX_FILE_BYTES = 5_000_000
MAX_LINE_CHARS = 20_000
MAX_DEPTH = 50

_STANDARD = "tag:yaml.org,2002:"
_ALLOWED_TAGS = {
    _STANDARD + name for name in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq")
}
_KIND_TAGS = {
    yaml.ScalarNode: _STANDARD + "str",
    yaml.SequenceNode: _STANDARD + "seq",
    yaml.MappingNode: _STANDARD + "map",
}


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """PyYAML's safe loader minus implicit typing, which we never use: every plain scalar stays
    text, so guessing whether it is a bool, a number or a date is wasted work (a third of the
    parse time of a large file)."""

    def resolve(self, kind: type, value: object, implicit: object) -> str:
        return _KIND_TAGS[kind]


@dataclass(frozen=True)
class RawScalar:
    text: str  # exactly as written, never retyped
    where: Location
    quoted: bool  # written in quotes or as a block, so it cannot be a bool or number


@dataclass(frozen=True)
class RawList:
    items: tuple[Raw, ...]
    where: Location


@dataclass(frozen=True)
class RawMap:
    items: tuple[tuple[RawScalar, Raw], ...]  # keys in file order, duplicates kept for reporting
    where: Location
    flow: bool  # written as {a: b} rather than one key per line


Raw = RawScalar | RawList | RawMap


def card_files(root: Path) -> list[Path]:
    """Every card file under cards/, in a stable order so builds are reproducible."""
    folder = root / "cards"
    found = [*folder.rglob("*.yaml"), *folder.rglob("*.yml")]
    return sorted({p for p in found if p.is_file()}, key=lambda p: p.relative_to(root).as_posix())


def read_text(path: Path, rel: Path) -> tuple[str | None, list[Problem]]:
    """Decode a file as a student's editor saved it (BOM and CRLF are fine, other junk is not)."""
    whole = Location(rel, 0)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return None, [
                Problem(
                    whole,
                    f"file is {size / 1e6:.1f} MB, over the {MAX_FILE_BYTES // 1_000_000} MB limit"
                    " for one card file: split it into several files",
                )
            ]
        data = path.read_bytes()
    except OSError as error:
        return None, [Problem(whole, f"cannot read the file ({error.strerror}): check it exists")]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        return None, [
            Problem(
                Location(rel, line),
                f"not valid UTF-8 (byte 0x{data[error.start]:02x} at byte offset {error.start}):"
                " save the file as UTF-8 in your editor",
            )
        ]
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        return None, [
            Problem(Location(rel, line), "contains a NUL byte: this is not a text file, remove it")
        ]
    for number, line_text in enumerate(text.splitlines(), start=1):
        if len(line_text) > MAX_LINE_CHARS:
            return None, [
                Problem(
                    Location(rel, number),
                    f"line is {len(line_text)} characters long, over the {MAX_LINE_CHARS}"
                    " limit: break it up (a `|` block keeps line breaks)",
                )
            ]
    return text, []


def load_card_file(path: Path, root: Path) -> tuple[RawMap | None, list[Problem]]:
    """Parse one card file into raw values, or say where and why it cannot be read."""
    rel = path.relative_to(root)
    text, problems = read_text(path, rel)
    if text is None:
        return None, problems
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
    depth_problem = _too_deep(text, rel)
    if depth_problem:
        return None, [depth_problem]
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as error:
        return None, [_syntax_problem(error, rel, text)]
    except yaml.YAMLError as error:
        return None, [Problem(Location(rel, 0), f"YAML error: {error}")]
    if node is None:
        return None, []
    walker = _Walker(rel)
    raw = walker.convert(node, depth=0)
    if walker.aliased:
        walker.problems = _alias_problems(text, rel) + walker.problems
    if walker.problems:
        return None, walker.problems
    return raw, []


def _too_deep(text: str, rel: Path) -> Problem | None:
    """Refuse absurd flow nesting before libyaml's recursive composer overflows the C stack."""
    openers = text.count("[") + text.count("{") - 2 * text.count("{{")
    if openers <= MAX_DEPTH:
        return None  # cheap exit for ordinary files, cloze braces included
    depth = 0
    for match in _BRACKET.finditer(text):
        if match.group() in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                line = text.count("\n", 0, match.start()) + 1
                return Problem(
                    Location(rel, line),
                    f"brackets nested more than {MAX_DEPTH} deep: card files never need this,"
                    " flatten the structure",
                )
        else:
            depth = max(0, depth - 1)
    return None


_BRACKET = re.compile(r"[\[\]{}]")
_TAB = "a tab is used for indentation; YAML allows only spaces: replace the tab with spaces"
_SEVERAL = "the file holds several YAML documents (separated by `---`): keep one per file"


def _syntax_problem(error: yaml.MarkedYAMLError, rel: Path, text: str) -> Problem:
    mark = error.problem_mark or error.context_mark
    problem = (error.problem or "").strip()
    if mark is not None and _char_at(text, mark.line, mark.column) == "\t":
        message = _TAB
    elif "single document" in (error.context or ""):
        message = _SEVERAL
    else:
        context = f" {error.context}" if error.context else ""
        message = (
            f"YAML syntax error: {problem}{context}: check quotes, brackets and indentation"
            " on this line and the one before"
        )
    if mark is None:
        return Problem(Location(rel, 0), message)
    return Problem(Location(rel, mark.line + 1, mark.column + 1), message)


def _char_at(text: str, line: int, column: int) -> str:
    lines = text.splitlines()
    return lines[line][column : column + 1] if line < len(lines) else ""


def _alias_problems(text: str, rel: Path) -> list[Problem]:
    """Where each `*alias` is: the composer hands aliases back as the anchored node itself."""
    return [
        Problem(
            Location(rel, event.start_mark.line + 1, event.start_mark.column + 1),
            "anchors and aliases (`&name`, `*name`) are not supported: write the value out",
        )
        for event in yaml.parse(text, Loader=_Loader)
        if isinstance(event, yaml.AliasEvent)
    ]


class _Walker:
    def __init__(self, rel: Path):
        self.rel = rel
        self.problems: list[Problem] = []
        self.seen: set[int] = set()
        self.aliased = False

    def convert(self, node: yaml.Node, depth: int) -> Raw:
        mark = node.start_mark
        where = Location(self.rel, mark.line + 1, mark.column + 1)
        if id(node) in self.seen:
            # PyYAML hands an alias back as the very same node object; never walk it twice.
            self.aliased = True
            return RawScalar("", where, True)
        self.seen.add(id(node))
        if node.tag not in _ALLOWED_TAGS:
            self.problems.append(
                Problem(
                    where,
                    f"the tag `{node.tag.replace(_STANDARD, '!!')}` is not allowed in card files:"
                    " remove it and write plain text",
                )
            )
            return RawScalar("", where, True)
        if isinstance(node, yaml.ScalarNode):
            return RawScalar(node.value, where, bool(node.style))  # plain style is None or ""
        if depth > MAX_DEPTH:
            self.problems.append(Problem(where, "structure nested too deep: flatten it"))
            return RawScalar("", where, True)
        if isinstance(node, yaml.SequenceNode):
            return RawList(tuple(self.convert(item, depth + 1) for item in node.value), where)
        items = []
        for key, value in node.value:
            raw_key = self.convert(key, depth + 1)
            if not isinstance(raw_key, RawScalar):
                self.problems.append(Problem(raw_key.where, "a key must be a plain word"))
                continue
            items.append((raw_key, self.convert(value, depth + 1)))
        return RawMap(tuple(items), where, bool(node.flow_style))
