"""What earlier builds left behind: temporary files of killed builds, removed once stale, and
decks under an earlier name, named in a warning.

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

from deckwright.errors import Location, Problem
from deckwright.project import DIST

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


def stale_decks(root: Path, target: Path, decks: set[str]) -> list[Problem]:
    """Other decks in dist/, left by builds when the deck had another name: easy to import by
    mistake, so each is named once the new one is written."""
    roots = sorted({deck.split("::")[0] for deck in decks})
    written = target.relative_to(root).as_posix()
    if not decks:
        why = f"wrote {written} (there are no cards)"
    elif len(roots) > 1:
        why = f"wrote {written} (the cards' top decks are {', '.join(roots)})"
    else:
        why = f"wrote {written}"
    return [
        Problem(
            Location(old.relative_to(root), 0),
            f"is left from an earlier build; this build {why}: delete the old deck so it is"
            " not imported by mistake",
        )
        for old in sorted((root / DIST).glob("*.apkg"))
        if old.name != target.name
    ]
