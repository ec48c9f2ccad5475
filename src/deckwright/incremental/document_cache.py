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
from dataclasses import asdict, fields
from pathlib import Path

from deckwright.coverage.table import Table, TableRow
from deckwright.errors import Location, Problem
from deckwright.incremental.cache import FOLDER, _replace

SUBFOLDER = "documents"
Read = tuple[list[Table], dict[str, str], list[Problem]]  # as documents.Read


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
    """Every field of every row by name, so a field added to TableRow is kept too."""
    tables, meta, warnings = found
    said = [[w.where.path.as_posix(), w.where.line, w.where.column, w.message] for w in warnings]
    return [[[asdict(row) for row in table.rows] for table in tables], meta, said]


def _decode(data: object) -> Read | None:
    """The entry's tables, or None when anything in it is not what _encode writes."""
    tables_data, meta, said = data  # type: ignore[misc]
    tables = []
    for rows in tables_data:
        table = Table()
        for values in rows:
            if type(values) is not dict or set(values) != set(_KINDS):
                return None
            if not all(_fits(values[name], kind) for name, kind in _KINDS.items()):
                return None
            table.rows.append(TableRow(**values))
        tables.append(table)
    if type(meta) is not dict or not all(type(v) is str for v in meta.values()):
        return None
    warnings = []
    for path, line, column, message in said:
        if not (type(path) is str and type(line) is int and type(column) is int):
            return None
        if type(message) is not str:
            return None
        warnings.append(Problem(Location(Path(path), line, column), message))
    return tables, meta, warnings


def _fits(value: object, kind: type) -> bool:
    if kind is list:
        return type(value) is list and all(type(cell) is str for cell in value)
    return type(value) is kind


# Each field of a row and the type of its value, from the field's default (line: 0, head: False).
_KINDS: dict[str, type] = {
    field.name: type(getattr(TableRow(0, False), field.name)) for field in fields(TableRow)
}
