"""A per-file cache of checked cards, so a rebuild re-reads only the card files that changed.

Entries live in `.deckwright-cache/` in the project (git-ignored, safe to delete), one JSON file
per card file (cache_entry.py), named by the hash of deckwright's own code, the file's path and
its bytes: any edit, or a new deckwright, is a miss. An entry that cannot be read is a miss,
never an error, and writing one is best-effort: the deck's bytes never depend on the cache. One
more file, `near-duplicates`, keeps what the near-duplicate check learned (duplicates.Known).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from pathlib import Path

from deckwright.errors import Problem
from deckwright.incremental.cache_entry import CODEC_FITS, Parsed, Prepared, decode, encode
from deckwright.lint.near_duplicates import Known
from deckwright.model.cards import Checked
from deckwright.project import CACHE
from deckwright.read.pieces import Piece
from deckwright.read.raw import MAX_PLAIN_FILE_BYTES

FOLDER = CACHE
KNOWN = "near-duplicates"  # what the near-duplicate check learned about the deck's questions


def code_digest(package: Path = Path(__file__).parents[1]) -> bytes:
    """What changes with every deckwright release or local edit: the source of the package,
    sub-packages included."""
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.digest()


class FileCache:
    def __init__(self, root: Path, markup: str = "html"):
        self.folder = root / FOLDER
        self.salt = code_digest() + markup.encode()  # the project's default markup reads files
        self.used: set[str] = set()

    def key(self, path: Path, rel: Path, piece: Piece | None = None) -> str | None:
        """The entry for a card file as it is now, or for a piece of it (its text and where it
        stands in the file); None when it cannot or need not be cached."""
        if not CODEC_FITS:
            return None
        digest = hashlib.sha256(self.salt)
        if piece is not None:  # a path never starts with NUL: no piece's key is a file's
            digest.update(f"\0piece {piece.header} {piece.shift}\0".encode())
            data = piece.text.encode()
        else:
            try:
                if path.stat().st_size > MAX_PLAIN_FILE_BYTES:
                    return None
                data = path.read_bytes()
            except OSError:
                return None
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
