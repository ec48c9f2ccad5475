"""How the command speaks: output levels, colour, and every problem rendered in one place.

Nothing here imports typer: the plain `build-deck` runs without it (typer takes 35 ms to import,
more than building a small deck), so `echo` and `style` write what typer's would.
"""

from __future__ import annotations

import codecs
import io
import os
import re
import sys
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING

from deckwright.errors import BuildFailed, Problem, UsageError

if TYPE_CHECKING:
    import typer

MAX_PROBLEMS = 200  # shown per run; past that, fixing the first ones usually fixes the rest
_COLOURS = {"red": 31, "yellow": 33}  # click's codes for the colours used here
_ANSI = re.compile(r"\033\[[;?0-9]*[a-zA-Z]")  # click's pattern for what it strips


def style(text: str, fg: str | None = None, bold: bool | None = None) -> str:
    """typer.style(text, fg=fg, bold=bold), for the colours used here."""
    codes = f"\033[{_COLOURS[fg]}m" if fg else ""
    if bold is not None:
        codes += f"\033[{1 if bold else 22}m"
    return f"{codes}{text}\033[0m"


def echo(text: str, err: bool = False, color: bool | None = None) -> None:
    """typer.echo(text, err=err, color=color).

    Written here only for an ordinary text stream outside a typer command; typer.echo itself
    where it would do more: inside a command (its context may set the colour), on Windows, or
    for a stream it would re-wrap (ASCII or binary).
    """
    stream = sys.stderr if err else sys.stdout
    if "typer" in sys.modules or sys.platform == "win32" or not _plain(stream):
        import typer

        typer.echo(text, err=err, color=color)
        return
    text += "\n"
    if "\033" in text and (not is_terminal(stream) if color is None else not color):
        text = _ANSI.sub("", text)
    stream.write(text)
    stream.flush()


def _plain(stream: object) -> bool:
    """Whether click would write to `stream` as it is."""
    if type(stream) is not io.TextIOWrapper or stream.errors is None:
        return False
    try:
        return codecs.lookup(stream.encoding).name != "ascii"
    except LookupError:
        return False


def is_terminal(stream: IO[str]) -> bool:
    try:
        return stream.isatty()
    except Exception:  # as click: a stream that cannot tell is no terminal
        return False


@dataclass
class Say:
    """Where and how much to print: -q shows only errors, -v adds details; NO_COLOR is honoured."""

    level: int = 1  # 0 quiet, 1 normal, 2 verbose
    every: bool = False  # every warning on its own line (--all-warnings), not one line per kind

    @staticmethod
    def color() -> bool | None:
        # https://no-color.org: any non-empty NO_COLOR turns colour off; otherwise click decides
        # (colour on a terminal, plain text into a pipe or file).
        return False if os.environ.get("NO_COLOR") else None

    def out(self, text: str, level: int = 1) -> None:
        if self.level >= level:
            echo(text, color=self.color())

    def warn(self, warnings: list[Problem]) -> None:
        if not warnings or not self.level:
            return
        from deckwright.cli.warning_groups import grouped

        # One write, not one per warning: a large deck can have tens of thousands.
        label = style("warning:", fg="yellow", bold=True)
        lines = map(str, warnings) if self.every else grouped(warnings)
        text = "\n".join(f"{label} {line}" for line in lines)
        echo(text, err=True, color=self.color())

    def problems(self, problems: list[Problem]) -> None:
        for problem in problems[:MAX_PROBLEMS]:
            where = style(str(problem.where), bold=True)
            echo(f"{where}: {problem.message}", err=True, color=self.color())
        count = len(problems)
        shown = f" (the first {MAX_PROBLEMS} shown)" if count > MAX_PROBLEMS else ""
        summary = f"{count} problem{'s' if count != 1 else ''}{shown}; nothing was written."
        echo(style(summary, fg="red"), err=True, color=self.color())


def say_for(
    ctx: typer.Context | None, quiet: bool = False, verbose: bool = False, every: bool = False
) -> Say:
    """The output level from this command's options and the ones given before it."""
    before = ctx.obj if ctx is not None and isinstance(ctx.obj, Say) else Say()
    if quiet and verbose:
        import typer

        raise typer.BadParameter("use either --quiet or --verbose, not both")
    return Say(0 if quiet else 2 if verbose else before.level, every or before.every)


def run(say: Say, action, *args, **kwargs):
    """Call the core and turn its failures into messages and exit codes, never a traceback.

    It exits with SystemExit, which typer lets through as it does its own Exit: the plain
    `build-deck` calls this without typer.
    """
    try:
        return action(*args, **kwargs)
    except BuildFailed as failed:
        say.problems(failed.problems)
        raise SystemExit(1) from None
    except UsageError as error:
        echo(style(f"error: {error}", fg="red"), err=True, color=say.color())
        raise SystemExit(2) from None
    except KeyboardInterrupt:
        # Ctrl-C: files are replaced whole or not at all, so there is nothing to clean up.
        echo(
            style("interrupted: run the command again to finish", fg="red"),
            err=True,
            color=say.color(),
        )
        raise SystemExit(130) from None
    except OSError as error:
        where = f" {error.filename}" if error.filename else ""
        message = (
            f"error: cannot read or write{where}: {error.strerror or error};"
            " check the folder exists and is writable"
        )
        echo(style(message, fg="red"), err=True, color=say.color())
        raise SystemExit(1) from None
