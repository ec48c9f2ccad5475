"""A card file's results as one cache entry (JSON) and back: what cache.py stores.

An entry holds the file's cards, problems and warnings, so a hit reports the same located errors
as a fresh parse, and what of each card's note costs most to make again (its GUID, content hash
and card_ords), what it asks and the lint's warnings about it, which depend on that card alone.
Anything that is not such an entry decodes to None: a miss, never an error.
"""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import fields
from itertools import chain, islice, repeat
from operator import attrgetter
from pathlib import Path
from typing import NamedTuple

from deckwright.errors import Location, Problem
from deckwright.lint.near_duplicates import Asked
from deckwright.model.cards import HTML_FIELDS, Card, Checked, Cover, layout
from deckwright.model.markup import any_unsafe
from deckwright.package.notes import NoteRow, note_row


class Prepared(NamedTuple):
    """What the package and the lint need of one card, depending on that card alone."""

    note: NoteRow
    digest: str  # the note's content hash, for the lock
    ords: tuple[int, ...]  # its cards' template numbers (card_ords)
    asks: Asked  # what it asks, for the near-duplicate check


class Parsed(NamedTuple):
    """What a card file gives, depending on that file alone, and so what an entry keeps."""

    checked: Checked  # the file's cards, problems and warnings
    notes: list[Prepared]
    linted: list[Problem]  # the lint's warnings about single cards


# An entry is columnar: one JSON list per Card field, not a list per card, so reading it makes a
# few long lists and the cards are made with one `map`. A field that most cards of a file share
# (its deck, tags, layout of keys...) is stored as a table of its distinct values and each card's
# place in it, so each value is read and converted once. A card's `where` is stored as a column
# of lines and a shared column of columns, in the entry's own file; tuples are stored as lists.
_SHARED = {"deck", "reverse", "tags", "covers", "source", "own_source", "lines", "note_type"}
_NAMES, _TYPES = zip(*((field.name, field.type) for field in fields(Card)), strict=True)


def decode(data: bytes, rel: Path) -> Parsed | None:
    """What `encode` made of a file's results, or None when the data is not such an entry."""
    try:
        parsed, texts = _decode(json.loads(data), rel)
        # An entry can come from elsewhere (a zipped project): never let it skip the safety
        # check. The notes are made from these texts, as a build without the cache makes them.
        return None if any_unsafe(texts) else parsed
    except (ValueError, TypeError, KeyError, IndexError, AttributeError, RecursionError):
        return None


def encode(
    checked: Checked, notes: list[Prepared], linted: list[Problem], rel: Path
) -> bytes | None:
    """A file's results as a cache entry (JSON); None when they cannot be stored faithfully,
    or when `decode` would refuse the entry (unsafe HTML, which is always also a problem)."""
    if not CODEC_FITS:
        return None
    cards = checked.cards
    if checked.problems and any_unsafe([getattr(c, name) for c in cards for name in HTML_FIELDS]):
        return None
    places = list(map(_WHERE, cards))
    covered = [cover.where for card in cards for cover in card.covers]
    # Comparing Paths is slow and the cards of a file share one: compare each distinct one once.
    paths = {id(where.path): where.path for where in (*places, *covered)}
    if any(path is not rel and path != rel for path in paths.values()):
        return None
    values = attrgetter(*_NAMES[1:])
    columns = zip(*map(values, cards), strict=True) if cards else [()] * (len(_NAMES) - 1)
    stored = [
        list(map(_LINE, places)),
        _table(list(map(_COLUMN, places)), None),
        *(
            _table(column, dump) if name in _SHARED else _dumped(column, dump)
            for name, column, (dump, _) in zip(_NAMES[1:], columns, _FIELD_CODECS, strict=True)
        ),
    ]
    problems = [
        [
            [p.where.path.as_posix(), p.where.line, p.where.column, p.message, p.kind, p.count]
            for p in found
        ]
        for found in (checked.problems, checked.warnings, linted)
    ]
    # A note is not stored: _decode makes it from its card with the very call per_file._prepare
    # used, as fast as reading it back, and the entry shrinks by a third. What costs more to
    # redo is kept: the GUID, the content hash, the card_ords and what the card asks.
    rows, digests, ords, asked = zip(*notes, strict=True) if notes else ((), (), (), ())
    kept = [
        list(map(_GUID, rows)),
        list(digests),
        _table(ords, list),
        _table([tuple([name for name, _ in found]) for found in asked], list),
        [text for found in asked for _, text in found],
    ]
    return json.dumps([stored, *problems, kept], ensure_ascii=False).encode()


def _decode(data: list, rel: Path) -> tuple[Parsed, list[str]]:
    """The entry's results, and the texts that become HTML, for the safety check."""
    stored, raw_problems, raw_warnings, raw_linted, kept = data
    lines = _all(stored[0], int)
    count = len(lines)
    places, *values = (
        _column(raw, load, shared, rel, count)
        for raw, (load, shared) in zip(stored[1:], _LOADS, strict=True)
    )
    guids, digests, ords, names, questions = (
        _column(raw, load, shared, rel, count)
        for raw, (load, shared) in zip(kept, _KEPT, strict=True)
    )
    lengths = {len(column) for column in (places, *values, guids, digests, ords, names)}
    if lengths != {count} or sum(map(len, names)) != len(questions):
        raise ValueError("columns of different lengths")
    cards = list(map(Card, _places(rel, lines, places), *values))
    by_name = dict(zip(_NAMES[1:], values, strict=True))
    # What each card asks: each of its fields asked (`names`) paired with the next question.
    pairs = iter(zip(chain.from_iterable(names), questions, strict=True))
    asked = map(tuple, map(islice, repeat(pairs), map(len, names)))
    notes = list(
        map(Prepared, map(note_row, cards, guids, by_name["source"]), digests, ords, asked)
    )
    paths = {rel.as_posix(): rel}  # one Path per file: str() and hash() are cached on it
    # One string per distinct message: JSON makes a new one for each, and a file of cards with
    # no source has that warning on every card (measured: 3.4 MB of a 50,000-card build).
    texts: dict[str, str] = {}
    problems, warnings, linted = (
        list(map(_problem, _all(found, list), repeat(paths), repeat(texts)))
        for found in (raw_problems, raw_warnings, raw_linted)
    )
    texts = list(chain.from_iterable(by_name[name] for name in HTML_FIELDS))
    return Parsed(Checked(cards, problems, warnings), notes, linted), texts


def _places(rel: Path, lines: list[int], columns: list[int]) -> list[Location]:
    """`Location(rel, line, column)` for each line and column, made as the frozen dataclass's own
    __init__ makes one, a slot at a time, but in C loops: twice as fast for a file's cards."""
    places = list(map(object.__new__, repeat(Location, len(lines))))
    for slot, values in (("path", repeat(rel)), ("line", lines), ("column", columns)):
        deque(map(getattr(Location, slot).__set__, places, values), maxlen=0)
    return places


def _problem(raw: list, paths: dict[str, Path], texts: dict[str, str]) -> Problem:
    path, line, column, text, kind, count = raw
    if tuple(map(type, raw)) != (str, int, int, str, str, int):
        raise TypeError("not a cache entry")
    place = Location(paths.get(path) or paths.setdefault(path, Path(path)), line, column)
    return Problem(place, texts.setdefault(text, text), kind, count)


def _table(values: Sequence, dump: Callable | None) -> list:
    """A column as its distinct values (in the order met) and each card's place among them, or
    as its one value alone when every card has it."""
    places = {value: number for number, value in enumerate(dict.fromkeys(values))}
    table = _dumped(list(places), dump)
    return [table] if len(table) < 2 else [table, list(map(places.__getitem__, values))]


def _dumped(values: Sequence, dump: Callable | None) -> list:
    return list(values) if dump is None else list(map(dump, values))


def _column(raw: list, load: Callable, shared: bool, rel: Path, count: int) -> list:
    """A column of `count` cards as `_table` or `_dumped` stored it, its values checked."""
    if not shared:
        return load(raw, rel)
    if len(raw) == 1:
        return load(raw[0], rel) * count
    table, column = raw
    return list(map(load(table, rel).__getitem__, column))  # a place not an int: TypeError


def _all(values, *types: type) -> list:
    """`values`, when a list of values of these types: a planted entry must bring no others."""
    if type(values) is not list:
        raise TypeError("not a cache entry")
    if types == (str,):
        "".join(values)  # raises TypeError unless all are strings; several times faster
    elif not set(map(type, values)) <= set(types):
        raise TypeError("not a cache entry")
    return values


def _plain(*types: type) -> Callable[[list, Path], list]:
    """How to load values that JSON holds as they are: only their types are checked."""
    return lambda values, rel: _all(values, *types)


def _tuples(of: type) -> Callable[[list, Path], list]:
    return lambda values, rel: [tuple(_all(value, of)) for value in _all(values, list)]


def _covers(values: list, rel: Path) -> list[tuple[Cover, ...]]:
    return [
        tuple(_cover(cover, rel) for cover in _all(covers, list)) for covers in _all(values, list)
    ]


def _cover(value: list, rel: Path) -> Cover:
    ref, line, column = value
    if (type(ref), type(line), type(column)) != (str, int, int):
        raise TypeError("not a cache entry")
    return Cover(ref, Location(rel, line, column))


def _layouts(values: list, rel: Path) -> list[tuple]:
    return [
        layout(tuple(_all(names, str)), tuple(_all(offsets, int)))
        for names, offsets in _all(values, list)
    ]


# Each field's type: how a value is dumped to JSON (None: as it is) and how a list is loaded.
_CODECS: dict[str, tuple[Callable | None, Callable[[list, Path], list]]] = {
    "str": (None, _plain(str)),
    "bool": (None, _plain(bool)),
    "int": (None, _plain(int)),
    "str | None": (None, _plain(str, type(None))),
    "tuple[str, ...]": (list, _tuples(str)),
    "tuple[Cover, ...]": (
        lambda covers: [[c.ref, c.where.line, c.where.column] for c in covers],
        _covers,
    ),
    "tuple[tuple[str, ...], tuple[int, ...]]": (
        lambda lines: [list(lines[0]), list(lines[1])],
        _layouts,
    ),
}
# A Card field of another type could not be stored faithfully: then nothing is cached.
CODEC_FITS = _TYPES[0] == "Location" and all(type in _CODECS for type in _TYPES[1:])
_FIELD_CODECS = [_CODECS.get(type, (None, None)) for type in _TYPES[1:]]
_LOADS = [  # after the column of each card's line, which gives the number of cards
    (_plain(int), True),  # the column of each card's `where`
    *((load, name in _SHARED) for name, (_, load) in zip(_NAMES[1:], _FIELD_CODECS, strict=True)),
]
# What is kept of each note: its GUID, content hash, card_ords and what it asks: the fields, and
# the texts of all cards in one list.
_KEPT = [
    (_plain(str), False),
    (_plain(str), False),
    (_tuples(int), True),
    (_tuples(str), True),
    (_plain(str), False),
]
_WHERE, _LINE, _COLUMN, _GUID = map(attrgetter, ("where", "line", "column", "guid"))
