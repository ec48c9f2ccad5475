"""Raw values: what YAML reading gives the model, each with the file and place it was written,
and the limits every reader of card files keeps."""

from __future__ import annotations

from pathlib import Path

import yaml

from deckwright.errors import Location
from deckwright.read.yaml_errors import mark_location

# Limits far above any real card file, low enough that a hostile file is refused in well under a
# second and in bounded memory (composed nodes cost ~600 bytes each).
MAX_FILE_BYTES = 1_000_000  # for YAML's full syntax, whose composed nodes cost the most
MAX_LINE_CHARS = 10_000
MAX_DEPTH = 50  # nesting of lists and mappings; a card file needs 4
MAX_NODES = 100_000  # keys, values and lists in one file; a card needs about 10
# A file of plain `key: text` lines (as a spreadsheet or a script writes 50,000 cards) is read
# by plain_yaml.py in a few times its size of memory: it may be this large, with this many values.
MAX_PLAIN_FILE_BYTES = 16_000_000
MAX_PLAIN_NODES = MAX_NODES * 16

# PyYAML's C parser (libyaml) when it is installed, else its pure-Python one.
BASE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Located:
    """A value and where it was written. The place is kept as the parser's mark and becomes a
    Location only when asked: a large build reads 400,000 values and reports on a handful."""

    __slots__ = ("mark", "rel")

    @property
    def where(self) -> Location:
        return mark_location(self.rel, self.mark)

    @property
    def line(self) -> int:
        return self.mark.line + 1


class RawScalar(_Located):
    __slots__ = ("quoted", "text")

    def __init__(self, text: str, quoted: bool, rel: Path, mark: yaml.Mark):
        self.text = text  # exactly as written, never retyped
        self.quoted = quoted  # in quotes or a block, so it cannot be a bool or a number
        self.rel, self.mark = rel, mark


class RawList(_Located):
    __slots__ = ("items",)

    def __init__(self, items: tuple[Raw, ...], rel: Path, mark: yaml.Mark):
        self.items = items
        self.rel, self.mark = rel, mark


class RawMap(_Located):
    __slots__ = ("flow", "items")

    def __init__(
        self, items: tuple[tuple[RawScalar, Raw], ...], flow: bool, rel: Path, mark: yaml.Mark
    ):
        self.items = items  # keys in file order, duplicates kept for reporting
        self.flow = flow  # written as {a: b} rather than one key per line
        self.rel, self.mark = rel, mark


Raw = RawScalar | RawList | RawMap
