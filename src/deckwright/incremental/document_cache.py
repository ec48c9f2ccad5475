"""The tables read from each document of sources/, cached like card files.

A saved page of megabytes (or, later, a long PDF) is parsed once: a warm build reads its tables
from `.deckwright-cache/documents/`, one entry per document, named by the hash of deckwright's
code, the document's path and the text its reader is given. Any edit, or a new deckwright, is a
miss; an entry that cannot be read is a miss, never an error; the deck never depends on it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Callable
from pathlib import Path

from deckwright.coverage.tables import Table, TableRow
from deckwright.incremental.cache import FOLDER, _replace

SUBFOLDER = "documents"
Read = tuple[list[Table], dict[str, str]]


class DocumentCache:
    def __init__(self, root: Path, salt: bytes):
        self.folder = root / FOLDER / SUBFOLDER
        self.salt = salt
        self.used: set[str] = set()

    def through(self, rel: Path, content: bytes, read: Callable[[], Read]) -> Read:
        """What `read` gives for this content of the document at `rel`: from the cache if kept."""
        digest = hashlib.sha256(self.salt)
        digest.update(rel.as_posix().encode() + b"\0" + content)
        name = digest.hexdigest()[:32]
        self.used.add(name)
        kept = self._get(name)
        if kept is not None:
            return kept
        found = read()
        body = json.dumps(_encode(found), ensure_ascii=False).encode()
        with contextlib.suppress(OSError):
            self.folder.mkdir(parents=True, exist_ok=True)
            _replace(self.folder / name, hashlib.sha256(body).hexdigest().encode() + b"\n" + body)
        return found

    def _get(self, name: str) -> Read | None:
        try:
            checksum, _, body = (self.folder / name).read_bytes().partition(b"\n")
            if checksum.decode() != hashlib.sha256(body).hexdigest():
                return None
            return _decode(json.loads(body))
        except (OSError, ValueError, TypeError, AttributeError):
            return None

    def prune(self) -> None:
        """Forget the entries of documents this build did not read as they are."""
        with contextlib.suppress(OSError):
            for entry in os.scandir(self.folder):
                if entry.name[:32] not in self.used:
                    with contextlib.suppress(OSError):
                        os.unlink(entry.path)


def _encode(found: Read) -> list:
    tables, meta = found
    rows = [
        [[row.line, row.head, row.cells, row.written, row.split] for row in table.rows]
        for table in tables
    ]
    return [rows, meta]


def _decode(data: object) -> Read | None:
    """The entry's tables, or None when anything in it is not what _encode writes."""
    tables_data, meta = data  # type: ignore[misc]
    tables = []
    for rows in tables_data:
        table = Table()
        for line, head, cells, written, split in rows:
            fits = (
                type(line) is int and type(written) is int and {type(head), type(split)} == {bool}
            )
            if not fits or type(cells) is not list or not all(type(c) is str for c in cells):
                return None
            table.rows.append(TableRow(line, head, cells, written, split))
        tables.append(table)
    if type(meta) is not dict or not all(type(v) is str for v in meta.values()):
        return None
    return tables, meta
