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
    temporary = reserve(path)
    try:
        with temporary.open("wb") as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        place(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def reserve(path: Path) -> Path:
    """An empty hidden file beside `path`, to be filled (by another process, perhaps) and then
    `place`d over it, or removed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(handle)
    return Path(temporary)


def place(temporary: Path, path: Path) -> None:
    """Rename a filled temporary file over `path`, readable as a file written plainly is."""
    os.chmod(temporary, 0o644)
    os.replace(temporary, path)
    with contextlib.suppress(OSError):
        directory = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)
