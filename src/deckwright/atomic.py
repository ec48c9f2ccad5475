"""All-or-nothing file writes: a build that fails or is killed leaves the old file in place."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO


def write_atomically(path: Path, data: bytes) -> None:
    """Write to a hidden temporary file beside `path`, flush it to disk, then rename it over."""
    with atomic_file(path) as stream:
        stream.write(data)


@contextlib.contextmanager
def atomic_file(path: Path) -> Iterator[BinaryIO]:
    """A hidden temporary file beside `path` to write into, flushed to disk and renamed over
    `path` when the block ends, removed if it raises. Writing into it, rather than handing over
    the bytes, spares holding a large file in memory."""
    pending = Pending(path)
    try:
        yield pending.stream
    except BaseException:
        pending.discard()
        raise
    pending.place()


class Pending:
    """A file written in full beside `path` that takes its place only when `place` is called,
    so it can be written before we know it is wanted (the lock, while the deck is zipped)."""

    def __init__(self, path: Path):
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, self.temporary = tempfile.mkstemp(
            dir=path.parent, prefix=f".{path.name}.", suffix=".tmp"
        )
        self.stream = os.fdopen(handle, "wb")

    def place(self) -> None:
        try:
            with self.stream:
                self.stream.flush()
                os.fsync(self.stream.fileno())
            os.chmod(self.temporary, 0o644)
            os.replace(self.temporary, self.path)
        except BaseException:
            self.discard()
            raise
        with contextlib.suppress(OSError):
            directory = os.open(self.path.parent, os.O_RDONLY)
            try:
                os.fsync(directory)
            finally:
                os.close(directory)

    def discard(self) -> None:
        with contextlib.suppress(OSError):
            self.stream.close()
        with contextlib.suppress(OSError):
            os.unlink(self.temporary)
