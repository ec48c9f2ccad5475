"""Temporary files left by builds that were killed: removed by later builds.

A build writes the deck, its scratch collection and the lock beside their targets as
`.<name>.<random>[...].tmp`, renamed or removed when it ends; only a killed build leaves one
behind. The rule: such a file not modified for STALE_SECONDS is stale. A running build writes its
temporary files within seconds (a 50,000-note deck takes about two), so a build running at the
same time never loses one; nothing in them is worth keeping.
"""

from __future__ import annotations

import contextlib
import os
import time
from pathlib import Path

STALE_SECONDS = 600


def remove_stale(folder: Path, pattern: str = ".*.tmp") -> list[Path]:
    """Remove the stale temporary files matching `pattern` in `folder`; returns them."""
    removed = []
    limit = time.time() - STALE_SECONDS
    with contextlib.suppress(OSError):
        for path in folder.glob(pattern):
            with contextlib.suppress(OSError):
                if path.is_file() and not path.is_symlink() and path.stat().st_mtime < limit:
                    os.unlink(path)
                    removed.append(path)
    return removed
