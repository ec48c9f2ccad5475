"""All-or-nothing file writes: a build that fails or is killed leaves the old file in place.

Several files (the deck and deckwright.lock) are replaced together or not at all: each is
written in full and flushed first, then renamed into place one after the other, and if a rename
fails the files already placed get their old contents back (kept as hard links, or copies where
a link cannot be made).
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import stat
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import BinaryIO


def write_atomically(path: Path, data: bytes) -> None:
    """Write to a hidden temporary file beside `path`, flush it to disk, then rename it over."""
    with atomic_file(path) as stream:
        stream.write(data)


@contextlib.contextmanager
def atomic_file(path: Path, together: Sequence[Pending] = ()) -> Iterator[BinaryIO]:
    """A hidden temporary file beside `path` to write into, flushed to disk and renamed over
    `path` when the block ends, removed if it raises. Writing into it, rather than handing over
    the bytes, spares holding a large file in memory. `together` (which the block may still
    fill) are placed with it, all or none."""
    pending = Pending(path)
    try:
        yield pending.stream
    except BaseException:
        pending.discard()
        raise
    place_together([pending, *together])


def _in_folder(error: OSError, folder: Path) -> OSError:
    """The error, naming the folder rather than a temporary name nobody has heard of."""
    return OSError(error.errno, error.strerror, os.fspath(folder))


def _about(error: OSError, path: Path) -> OSError:
    """The error, naming the real file rather than the temporary one."""
    return OSError(error.errno, error.strerror, os.fspath(path))


class Pending:
    """A file written in full beside `path` that takes its place only when `place` is called,
    so it can be written before we know it is wanted (the lock, while the deck is zipped)."""

    def __init__(self, path: Path):
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, self.temporary = tempfile.mkstemp(
                dir=path.parent, prefix=f".{path.name}.", suffix=".tmp"
            )
        except OSError as error:
            raise _in_folder(error, path.parent) from None
        self.stream = os.fdopen(handle, "wb")

    def finish(self) -> None:
        """Flush the file to disk with the mode of the file it replaces (644 for a new one)."""
        try:
            with self.stream:
                self.stream.flush()
                os.fsync(self.stream.fileno())
            try:
                mode = stat.S_IMODE(os.stat(self.path).st_mode)
            except OSError:
                mode = 0o644
            os.chmod(self.temporary, mode)
        except OSError as error:
            self.discard()
            raise _about(error, self.path) from None
        except BaseException:
            self.discard()
            raise

    def place(self) -> None:
        place_together([self])

    def discard(self) -> None:
        with contextlib.suppress(OSError):
            self.stream.close()
        with contextlib.suppress(OSError):
            os.unlink(self.temporary)


def place_together(pendings: Sequence[Pending]) -> None:
    """Put every file in its place, or leave every target as it was and raise."""
    try:
        for pending in pendings:
            pending.finish()
    except BaseException:
        for pending in pendings:
            pending.discard()
        raise
    placed: list[tuple[Pending, str | None]] = []
    try:
        for number, pending in enumerate(pendings):
            last = number == len(pendings) - 1
            backup = None if last else _backup(pending.path)
            try:
                os.replace(pending.temporary, pending.path)
            except OSError as error:
                _drop(backup)
                raise _about(error, pending.path) from None
            placed.append((pending, backup))
    except BaseException:
        for pending in pendings:
            pending.discard()
        for pending, backup in reversed(placed):
            _restore(pending.path, backup)
        raise
    for _, backup in placed:
        _drop(backup)
    for folder in {pending.path.parent for pending in pendings}:
        _sync_folder(folder)


def _backup(path: Path) -> str | None:
    """Another name for the file now at `path` (None when there is none), to put it back."""
    if not os.path.lexists(path):
        return None
    backup = os.fspath(path.parent / f".{path.name}.{secrets.token_hex(6)}.old.tmp")
    try:
        os.link(path, backup, follow_symlinks=False)
    except OSError:
        # No hard links here (some file systems), or the file refuses them (immutable).
        try:
            shutil.copy2(path, backup, follow_symlinks=False)
        except OSError as error:
            _drop(backup)
            raise _about(error, path) from None
    return backup


def _restore(path: Path, backup: str | None) -> None:
    with contextlib.suppress(OSError):
        if backup is None:
            os.unlink(path)
        else:
            os.replace(backup, path)


def _drop(backup: str | None) -> None:
    if backup is not None:
        with contextlib.suppress(OSError):
            os.unlink(backup)


def _sync_folder(folder: Path) -> None:
    """The renames themselves on disk, where the system allows syncing a folder."""
    with contextlib.suppress(OSError):
        directory = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)
