"""`build-deck watch`: build once, then rebuild the deck and the preview after every change.

watchfiles (Rust's notify) groups a burst of saves, such as an editor writing a temporary file
and renaming it over the card file, into one set of changes, and one set gives one rebuild. A
broken edit raises in build() before anything is written, so the last good deck and preview stay.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import watchfiles

from deckwright.build import BuildResult, build, counted
from deckwright.errors import BuildFailed, Location, Problem
from deckwright.model.project_config import CONFIG_NAME
from deckwright.preview.page import write_preview
from deckwright.project import WATCHED

# A preview of more notes than this takes seconds and a browser chokes on it (50,000 notes: 27 s,
# 465 MB); past it, each save rebuilds only the deck, and `build-deck preview` writes the preview.
PREVIEW_NOTES = 5_000
# How often to look for a watched folder that was created or removed after the start.
_RESCAN_MS = 1000


@dataclass(frozen=True)
class Outcome:
    """One rebuild: the result, or the problems that kept the last good deck."""

    result: BuildResult | None
    seconds: float
    clock: str  # the wall-clock time it finished, HH:MM:SS, so each line shows it is fresh
    problems: list[Problem] = field(default_factory=list)

    @property
    def previewed(self) -> bool:
        """Whether the preview shows this build (a large deck's is left to `build-deck preview`)."""
        return self.result is not None and _previews(self.result)

    def status(self) -> str:
        """One short line for the terminal."""
        if self.result is None:
            count = len(self.problems)
            return (
                f"[{self.clock}] {count} problem{'s' if count != 1 else ''};"
                " kept the last good deck and preview"
            )
        result = self.result
        parts = [counted(len(result.notes), "note"), counted(result.card_count, "card")]
        coverage = result.coverage
        parts.append(f"{coverage.covered}/{len(coverage.rows)} rows covered")
        if result.warnings:
            where = ", see the preview" if self.previewed else ""
            parts.append(f"{len(result.warnings)} warning(s){where}")
        if not self.previewed:
            parts.append(
                f"preview not updated (over {PREVIEW_NOTES:,} notes;"
                " `build-deck preview` writes it)"
            )
        return f"[{self.clock}] rebuilt in {self.seconds:.2f} s: {', '.join(parts)}"


def rebuild(root: Path) -> Outcome:
    """Build the deck, then the preview; a failure is returned, never raised."""
    start = time.perf_counter()
    problems: list[Problem] = []
    result = None
    try:
        result = build(root)
        if _previews(result):
            write_preview(root, result)
    except BuildFailed as failed:
        problems = failed.problems
    except OSError as error:
        # A file can vanish between the change event and the read, mid-save: say so, go on.
        path = Path(error.filename).relative_to(root) if error.filename else Path(".")
        problems = [Problem(Location(path, 0), f"cannot read or write: {error.strerror or error}")]
        result = None
    return Outcome(result, time.perf_counter() - start, time.strftime("%H:%M:%S"), problems)


def _previews(result: BuildResult) -> bool:
    return len(result.notes) <= PREVIEW_NOTES


def _folders(root: Path) -> list[Path]:
    return [root / name for name in WATCHED if (root / name).is_dir()]


def _settings(root: Path) -> tuple[int, int] | None:
    """When deckwright.toml last changed, and its size: looked at once a second, as the folders
    are (watching the project's root itself would report every file of dist/)."""
    try:
        found = (root / CONFIG_NAME).stat()
    except OSError:
        return None
    return found.st_mtime_ns, found.st_size


def _bursts(root: Path, stop: threading.Event) -> Iterator[None]:
    """One item per burst of changes, or when a watched folder appears or goes away."""
    folders = _folders(root)
    settings = _settings(root)
    while not stop.is_set():
        if not folders:
            stop.wait(_RESCAN_MS / 1000)
        else:
            for changes in watchfiles.watch(
                *folders, stop_event=stop, rust_timeout=_RESCAN_MS, yield_on_timeout=True
            ):
                if changes or _settings(root) != settings:
                    settings = _settings(root)
                    yield
                if _folders(root) != folders:
                    break
        if _folders(root) != folders:
            folders = _folders(root)
            yield


def watch(
    root: Path, report: Callable[[Outcome], None], stop: threading.Event | None = None
) -> None:
    """Report a build, then a rebuild per burst of changes, until `stop` is set or Ctrl-C."""
    stop = stop or threading.Event()
    report(rebuild(root))
    for _ in _bursts(root, stop):
        report(rebuild(root))
