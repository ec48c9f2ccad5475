"""A progress bar for builds long enough to wonder about: a 50,000-note deck takes seconds.

It appears only after SHOW_AFTER seconds, on a terminal, and never with --quiet: a small deck's
build and anything piped stay exactly as they were. rich (which typer uses) draws it, imported
only then. It refreshes when told, never from a thread of its own: a running thread would stop
the build from forking its helper process.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import IO, Any

from deckwright.cli.console import is_terminal

SHOW_AFTER = 1.0  # seconds: a build still going by then takes two or more
REFRESH_EVERY = 0.1  # seconds between redraws


class ProgressBar:
    """build()'s `progress`: called with (step, done, total); total 0 when nothing is counted."""

    def __init__(self, enabled: bool, stream: IO[str] | None = None, clock=time.monotonic):
        self.stream = stream or sys.stderr
        self.enabled = enabled and is_terminal(self.stream)
        self.clock = clock
        self.started = clock()
        self.shown: Any = None  # rich's Progress, once shown
        self.task: Any = None
        self.step = ""
        self.drawn = 0.0

    def __call__(self, step: str, done: int, total: int) -> None:
        if not self.enabled:
            return
        now = self.clock()
        if self.shown is None:
            if now - self.started < SHOW_AFTER:
                return
            self._show()
        if step != self.step:  # a new task: rich cannot make a counted one uncounted again
            if self.task is not None:
                self.shown.remove_task(self.task)
            self.task = self.shown.add_task(step, total=total or None)
            self.step = step
        self.shown.update(self.task, completed=done)
        if now - self.drawn >= REFRESH_EVERY or (total and done == total):
            self.drawn = now
            self.shown.refresh()

    def _show(self) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

        self.shown = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            console=Console(file=self.stream),
            auto_refresh=False,
            transient=True,  # gone when the build ends: the summary follows as usual
        )
        self.shown.start()

    def close(self) -> None:
        if self.shown is not None:
            self.shown.stop()
            self.shown = None


def with_progress(enabled: bool, action: Callable[..., Any]) -> Callable[..., Any]:
    """`action` (build) with a progress bar, taken down before anything else is printed."""

    def run(*args: Any, **kwargs: Any) -> Any:
        bar = ProgressBar(enabled)
        try:
            return action(*args, progress=bar, **kwargs)
        finally:
            bar.close()

    return run
