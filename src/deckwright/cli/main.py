"""The `build-deck` command: arguments in, the core called, problems printed, exit code out.

The plain `build-deck` (and `build-deck build`) has no arguments to parse, so it runs without
typer: importing typer takes 35 ms and parsing with it 80 more (pydantic), more than building a
small deck. Every other command line goes through the typer application of app.py.
"""

import os
import sys
from pathlib import Path

from deckwright.cli.console import Say
from deckwright.cli.report import build_and_report


def main() -> None:
    if sys.argv[1:] not in ([], ["build"]):
        from deckwright.cli.app import app

        app()  # click already ends quietly when the output is closed
        return
    try:
        build_and_report(Say(), Path("."), strict=False)
    except BrokenPipeError:
        # Whoever read the output stopped early (`build-deck | head -1`): no traceback, and
        # nothing more to write where nobody reads, not even at exit.
        devnull = os.open(os.devnull, os.O_WRONLY)
        for stream in (sys.stdout, sys.stderr):
            os.dup2(devnull, stream.fileno())
        sys.exit(1)
