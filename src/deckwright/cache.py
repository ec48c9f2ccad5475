"""A per-file cache of checked cards, so a rebuild re-reads only the card files that changed.

Entries live in `.deckwright-cache/` in the project (git-ignored, safe to delete), one JSON file
per card file, named by the hash of deckwright's own code, the file's path and its bytes: any
edit, or a new deckwright, is a miss. An entry holds the file's cards, problems and warnings, so a
hit reports the same located errors as a fresh parse, and each card's note row and content hash,
which depend on that card alone, as do what it asks and the lint's warnings about it. An entry
that cannot be read is a miss,
never an error, and writing one is best-effort: the deck's bytes never depend on the cache. One
more file, `near-duplicates`, keeps what the near-duplicate check learned (duplicates.Known).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from dataclasses import fields
from operator import attrgetter
from pathlib import Path

from .cards import Card, Checked, Cover, layout
from .duplicates import Asked, Known
from .errors import Location, Problem
from .load import MAX_FILE_BYTES
from .markup import any_unsafe
from .package import NoteRow, note_row

# What a card file gives, all of it depending on that file alone, and so what an entry keeps:
# each card's note, content hash, card_ords and what it asks; and the file's cards, problems
# and warnings, their notes, and the lint's warnings about single cards.
Prepared = tuple[NoteRow, str, tuple[int, ...], Asked]
Parsed = tuple[Checked, list[Prepared], list[Problem]]

FOLDER = ".deckwright-cache"
KNOWN = "near-duplicates"  # what the near-duplicate check learned about the deck's questions
_TEXTS = ("front", "back", "cloze", "extra", "source")
# A card is stored as the list of its fields in the order of `fields(Card)`. JSON holds these
# types as they are; places are stored as [line, column] in the entry's own file, tuples as lists.
_AS_IS = {"str", "bool", "int", "str | None"}
_NAMES, _TYPES = zip(*((field.name, field.type) for field in fields(Card)), strict=True)
_PLACES, _TUPLES, _COVERS, _LAYOUTS = (
    [number for number, type in enumerate(_TYPES) if type == wanted]
    for wanted in (
        "Location",
        "tuple[str, ...]",
        "tuple[Cover, ...]",
        "tuple[tuple[str, ...], tuple[int, ...]]",
    )
)
# A Card field of another type could not be stored faithfully: then nothing is cached.
_CODEC_FITS = len(_PLACES + _TUPLES + _COVERS + _LAYOUTS) + sum(t in _AS_IS for t in _TYPES) == len(
    _TYPES
)


def _code_digest() -> bytes:
    """What changes with every deckwright release or local edit: the source of the package."""
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.digest()


class FileCache:
    def __init__(self, root: Path):
        self.folder = root / FOLDER
        self.salt = _code_digest()
        self.used: set[str] = set()

    def key(self, path: Path, rel: Path) -> str | None:
        """The entry for a card file as it is now; None when it cannot or need not be cached."""
        if not _CODEC_FITS:
            return None
        try:
            if path.stat().st_size > MAX_FILE_BYTES:
                return None
            data = path.read_bytes()
        except OSError:
            return None
        digest = hashlib.sha256(self.salt)
        digest.update(rel.as_posix().encode() + b"\0" + data)
        name = digest.hexdigest()[:32]
        self.used.add(name)
        return name

    def get(self, key: str, rel: Path) -> Parsed | None:
        try:
            checksum, _, body = (self.folder / f"{key}.json").read_bytes().partition(b"\n")
            if checksum.decode() != hashlib.sha256(body).hexdigest():
                return None  # damaged (a crash mid-write, a disk error): parse the file again
        except (OSError, ValueError):
            return None
        return decode(body, rel)

    def put(
        self, key: str, rel: Path, checked: Checked, notes: list[Prepared], linted: list[Problem]
    ) -> None:
        data = encode(checked, notes, linted, rel)
        if data is not None:
            self.store(key, data)

    def store(self, key: str, data: bytes) -> None:
        """Keep an entry made by `encode`."""
        self._write(f"{key}.json", hashlib.sha256(data).hexdigest().encode() + b"\n" + data)

    def known(self) -> Known:
        """What the near-duplicate check kept from the last build; nothing when missing or damaged.

        The checksum covers deckwright's code, so a new deckwright starts afresh. A planted file
        can only add or hide near-duplicate warnings, never change the deck.
        """
        try:
            checksum, _, body = (self.folder / KNOWN).read_bytes().partition(b"\n")
            if checksum.decode() != hashlib.sha256(self.salt + body).hexdigest():
                return Known()
            halves, pairs = json.loads(body)
            known = Known(
                halves,
                {(x, y): (forward, backward) for x, y, forward, backward in pairs},
            )
        except (OSError, ValueError, TypeError, AttributeError):
            return Known()
        keys = type(halves) is dict and all(type(value) is int for value in halves.values())
        pairs_fit = all(
            type(x) is str and type(y) is str and x < y and {type(f), type(b)} == {bool}
            for (x, y), (f, b) in known.pairs.items()
        )
        return known if keys and pairs_fit else Known()

    def keep(self, known: Known) -> None:
        """Store `known` for the next build when its texts changed; best-effort, as entries."""
        if not known.changed:
            return
        pairs = [[x, y, forward, backward] for (x, y), (forward, backward) in known.pairs.items()]
        body = json.dumps([known.halves, pairs], ensure_ascii=False).encode()
        self._write(KNOWN, hashlib.sha256(self.salt + body).hexdigest().encode() + b"\n" + body)

    def _write(self, name: str, data: bytes) -> None:
        with contextlib.suppress(OSError):
            self.folder.mkdir(exist_ok=True)
            ignore = self.folder / ".gitignore"
            if not ignore.exists():
                ignore.write_text("*\n", encoding="utf-8")
            _replace(self.folder / name, data)

    def prune(self) -> None:
        """Forget entries this build did not use, so the folder does not grow with every edit."""
        with contextlib.suppress(OSError):
            for entry in os.scandir(self.folder):
                if entry.name.endswith((".json", ".tmp")) and entry.name[:32] not in self.used:
                    with contextlib.suppress(OSError):
                        os.unlink(entry.path)


def _replace(path: Path, data: bytes) -> None:
    """Write then rename, so a reader never sees half an entry; no fsync, losing one is harmless."""
    # Named after the entry, so prune() leaves it alone while a helper process writes it.
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f"{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def decode(data: bytes, rel: Path) -> Parsed | None:
    """What `encode` made of a file's results, or None when the data is not such an entry."""
    try:
        checked, notes, linted = _decode(json.loads(data), rel)
    except (ValueError, TypeError, KeyError, IndexError, AttributeError):
        return None
    # An entry can come from elsewhere (a zipped project): never let it skip the safety check.
    # The notes are made from these texts here, as a build without the cache makes them.
    texts = [getattr(card, name) for card in checked.cards for name in _TEXTS]
    if any_unsafe(texts):
        return None
    return checked, notes, linted


def encode(
    checked: Checked, notes: list[Prepared], linted: list[Problem], rel: Path
) -> bytes | None:
    """A file's results as a cache entry (JSON); None when they cannot be stored faithfully."""
    if not _CODEC_FITS:
        return None
    cards = []
    ours = {id(rel)}  # the ids of Paths equal to rel: comparing Paths is slow, a card has one
    values = attrgetter(*_NAMES)
    for card in checked.cards:
        for where in (card.where, *(cover.where for cover in card.covers)):
            if id(where.path) not in ours:
                if where.path != rel:
                    return None
                ours.add(id(where.path))
        entry = list(values(card))
        for number in _PLACES:
            entry[number] = [entry[number].line, entry[number].column]
        for number in _COVERS:
            entry[number] = [[c.ref, c.where.line, c.where.column] for c in entry[number]]
        cards.append(entry)
    problems = [
        [[p.where.path.as_posix(), p.where.line, p.where.column, p.message] for p in found]
        for found in (checked.problems, checked.warnings, linted)
    ]
    # A note is not stored: _decode makes it from its card with the very call build._prepare
    # used, as fast as reading it back, and the entry shrinks by a third. What costs more to
    # redo is kept: the GUID, the content hash, the card_ords and what the card asks.
    rows = [[row.guid, digest, ords, asked] for row, digest, ords, asked in notes]
    return json.dumps([cards, *problems, rows], ensure_ascii=False).encode()


def _card(rel: Path, entry: list) -> Card:
    for number in _PLACES:
        entry[number] = Location(rel, *entry[number])
    for number in _TUPLES:
        entry[number] = tuple(entry[number])
    for number in _COVERS:
        entry[number] = tuple(Cover(ref, Location(rel, at, col)) for ref, at, col in entry[number])
    for number in _LAYOUTS:
        names, offsets = entry[number]
        entry[number] = layout(tuple(names), tuple(offsets))
    return Card(*entry)


def _decode(data: list, rel: Path) -> Parsed:
    raw_cards, raw_problems, raw_warnings, raw_linted, rows = data
    paths = {rel.as_posix(): rel}  # one Path per file: str() and hash() are cached on it
    problems, warnings, linted = (
        [
            Problem(
                Location(paths.get(path) or paths.setdefault(path, Path(path)), line, column), text
            )
            for path, line, column, text in found
        ]
        for found in (raw_problems, raw_warnings, raw_linted)
    )
    cards = [_card(rel, entry) for entry in raw_cards]
    notes = [
        (note_row(card, guid, card.source), digest, tuple(ords), tuple(map(tuple, asked)))
        for card, (guid, digest, ords, asked) in zip(cards, rows, strict=True)
    ]
    return Checked(cards, problems, warnings), notes, linted
