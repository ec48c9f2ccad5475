"""How the command speaks: output levels, colour, and every problem rendered in one place."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

import typer

from .errors import BuildFailed, Problem

MAX_PROBLEMS = 200  # shown per run; past that, fixing the first ones usually fixes the rest


@dataclass
class Say:
    """Where and how much to print: -q shows only errors, -v adds details; NO_COLOR is honoured."""

    level: int = 1  # 0 quiet, 1 normal, 2 verbose

    @staticmethod
    def color() -> bool | None:
        # https://no-color.org: any non-empty NO_COLOR turns colour off; otherwise click decides
        # (colour on a terminal, plain text into a pipe or file).
        return False if os.environ.get("NO_COLOR") else None

    def out(self, text: str, level: int = 1, **style: Any) -> None:
        if self.level >= level:
            typer.echo(typer.style(text, **style) if style else text, color=self.color())

    def warn(self, warnings: list[Problem]) -> None:
        if not warnings or not self.level:
            return
        # One write, not one per warning: a large deck can have tens of thousands.
        label = typer.style("warning:", fg="yellow", bold=True)
        text = "\n".join(f"{label} {warning}" for warning in warnings)
        typer.echo(text, err=True, color=self.color())

    def problems(self, problems: list[Problem]) -> None:
        for problem in problems[:MAX_PROBLEMS]:
            where = typer.style(str(problem.where), bold=True)
            typer.echo(f"{where}: {problem.message}", err=True, color=self.color())
        count = len(problems)
        shown = f" (the first {MAX_PROBLEMS} shown)" if count > MAX_PROBLEMS else ""
        summary = f"{count} problem{'s' if count != 1 else ''}{shown}; nothing was written."
        typer.echo(typer.style(summary, fg="red"), err=True, color=self.color())


def say_for(ctx: typer.Context | None, quiet: bool = False, verbose: bool = False) -> Say:
    """The output level from this command's options and the ones given before it."""
    before = ctx.obj if ctx is not None and isinstance(ctx.obj, Say) else Say()
    if quiet and verbose:
        raise typer.BadParameter("use either --quiet or --verbose, not both")
    return Say(0 if quiet else 2 if verbose else before.level)


def run(say: Say, action, *args, **kwargs):
    """Call the core and turn its failures into messages and exit codes, never a traceback."""
    try:
        return action(*args, **kwargs)
    except BuildFailed as failed:
        say.problems(failed.problems)
        raise typer.Exit(1) from None
    except OSError as error:
        where = f" {error.filename}" if error.filename else ""
        message = (
            f"error: cannot read or write{where}: {error.strerror or error};"
            " check the folder exists and is writable"
        )
        typer.echo(typer.style(message, fg="red"), err=True, color=say.color())
        raise typer.Exit(1) from None
