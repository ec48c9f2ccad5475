"""The `build-deck` command: arguments in, the core called, problems printed, exit code out.

The plain `build-deck` (and `build-deck build`) has no arguments to parse, so it runs without
typer: importing typer takes 35 ms and parsing with it 80 more (pydantic), more than building a
small deck. Every other command line goes through the typer application of app.py.
"""

import contextlib
import gc
import os
import sys
from pathlib import Path
from typing import NoReturn

from deckwright.cli.console import Say
from deckwright.cli.report import build_and_report


def _end(code: int) -> NoReturn:
    """Leave at once once all is said: on a large deck, freeing the build's objects one by one
    and tearing the interpreter down take 60 ms, and only the two streams hold anything unsaid
    (the deck and the lock are in place, helper processes joined)."""
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    os._exit(code)


def main() -> None:
    if sys.argv[1:2] != ["watch"]:
        # One command and the process ends. Once a large build is done, the cycle collector
        # would walk its millions of objects (0.14 s on a 50,000-note deck) to find nothing
        # that reference counting does not free; `watch` runs for hours and keeps it.
        gc.disable()
    if sys.argv[1:] not in ([], ["build"]):
        from deckwright.cli.app import app

        app()  # click already ends quietly when the output is closed
        return
    try:
        build_and_report(Say(), Path("."), strict=False)
    except BrokenPipeError:
        # Whoever read the output stopped early (`build-deck | head -1`): no traceback, and
        # nothing more to write where nobody reads.
        devnull = os.open(os.devnull, os.O_WRONLY)
        for stream in (sys.stdout, sys.stderr):
            os.dup2(devnull, stream.fileno())
        _end(1)
    _end(0)
