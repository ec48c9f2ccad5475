"""What to say when the deck or the lock cannot be written: one located line, never a traceback.

The writer replaces the deck and the lock together or not at all (atomic.py), so every message
here can end in "nothing was written" and tell the student the one thing to do about it.
"""

from __future__ import annotations

import errno
import os
import shutil
from pathlib import Path

from deckwright.errors import Location, Problem
from deckwright.project import DIST

_FULL = {errno.ENOSPC, errno.EDQUOT}
_REFUSED = {errno.EACCES, errno.EPERM, errno.EROFS}


def write_problem(error: OSError, root: Path) -> Problem:
    """The problem a failed write is, at the real file (or folder) that could not be written."""
    target = Path(os.fsdecode(error.filename)) if error.filename else root / DIST
    rel = _relative(target, root)
    reason = error.strerror or str(error)
    if error.errno in _FULL:
        folder = target if target.is_dir() else target.parent
        shown = _relative(folder, root).as_posix()
        shown = "the project folder" if shown == "." else f"{shown}/"
        free = _free_megabytes(folder)
        return Problem(
            Location(rel, 0),
            f"no space left on the device holding {shown} ({free} MB free):"
            " free some space and build again",
        )
    if error.errno in _REFUSED and target.is_dir():
        return Problem(
            Location(rel, 0),
            f"cannot create files in this folder ({reason}): make it writable and build again",
        )
    if error.errno in _REFUSED:
        return Problem(
            Location(rel, 0),
            f"cannot be replaced ({reason}): make it writable (`chmod u+w`; `chattr -i` if it"
            " is immutable; on Windows untick Read-only) and build again",
        )
    return Problem(
        Location(rel, 0), f"cannot be written ({reason}): check the disk and build again"
    )


def _relative(path: Path, root: Path) -> Path:
    try:
        return path.resolve().relative_to(root.resolve())
    except (OSError, ValueError):
        return path


def _free_megabytes(folder: Path) -> str:
    try:
        return f"{shutil.disk_usage(folder).free / 1_000_000:.1f}"
    except OSError:
        return "?"
