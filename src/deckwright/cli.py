"""The `build-deck` command: arguments in, the core called, problems printed, exit code out.

The plain `build-deck` (and `build-deck build`) has no arguments to parse, so it runs without
typer: importing typer takes 35 ms and parsing with it 80 more (pydantic), more than building a
small deck. Every other command line goes through the typer application of commands.py.
"""

import contextlib
import gc
import os
import sys
from collections import Counter
from pathlib import Path
from typing import NoReturn

from . import build as core
from .console import Say, echo, run
from .media import size_text
from .progress import with_progress

FORMAT_HELP = """
Card files live in cards/*.yaml (sub-folders are fine). One file looks like this:

\b
    deck: Neuroscience::Motor neurons     # `::` nests decks
    tags: [neuro::motor]                  # added to every card of the file
    cards:
      - id: umn-location                  # optional; keeps review history when you reword
        front: Where are the cell bodies of upper motor neurons?
        back: In the brain (motor cortex) and brainstem
        reverse: true                     # also ask back -> front
      - cloze: Lower motor neurons end in {{c1::skeletal muscle}}.
        extra: Shown on the answer side.
        tags: [clinical]

Fields are HTML (as in Anki's own editor): <b>bold</b>, <i>italic</i>, MathJax \\(x^2\\);
or Markdown (**bold**, *italic*, lists, tables, ```code```) after `markup: markdown`.
"""


def uncovered_note(count: int) -> str:
    rows = f"{count} comparison row{'s are' if count != 1 else ' is'}"
    return f"{rows} not covered by any card: add `covers:` to a card or paste the suggested card"


def report_result(say: Say, result: core.BuildResult) -> int:
    """Warnings, the summary and the coverage report; returns how many rows are uncovered."""
    say.warn(result.warnings)
    for path, count in sorted(Counter(card.where.path for card in result.cards).items()):
        say.out(f"read {path.as_posix()}: {count} note{'s' if count != 1 else ''}", level=2)
    for file in result.media:
        say.out(f"media {file.path.as_posix()} -> {file.name} ({size_text(file.size)})", level=2)
    say.out(result.summary())
    details = result.coverage.details()
    if details:
        say.out(details)
    return len(result.coverage.uncovered)


def build_and_report(say: Say, root: Path, strict: bool) -> None:
    """`build-deck build`: write the deck, then say what it holds and what is uncovered."""
    result = run(say, with_progress(say.level > 0, core.build), root, strict=strict)
    uncovered = report_result(say, result)
    if uncovered and say.level:
        echo(f"warning: {uncovered_note(uncovered)}", err=True)


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
        from .commands import app

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


def __getattr__(name: str):
    """`app`, the typer application (what tests invoke), imported when first asked for."""
    if name == "app":
        from .commands import app

        return app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
