"""The `build-deck` command: arguments in, the core called, problems printed, exit code out."""

from __future__ import annotations

from importlib.metadata import version
from pathlib import Path
from typing import Annotated

import typer

from . import build as core
from .errors import BuildFailed, Problem
from .pinning import pin_ids

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

Fields are HTML (as in Anki's own editor): <b>bold</b>, <i>italic</i>, MathJax \\(x^2\\).
"""

app = typer.Typer(
    help="Turn YAML card files into an Anki deck (.apkg) you can rebuild after every edit.\n"
    + FORMAT_HELP,
    no_args_is_help=False,
    rich_markup_mode=None,
    add_completion=True,
)

Root = Annotated[
    Path,
    typer.Argument(
        help="The project folder (holds cards/ and sources/).",
        exists=True,
        file_okay=False,
        dir_okay=True,
    ),
]


def _print_warnings(warnings: list[Problem]) -> None:
    for warning in warnings:
        typer.echo(f"warning: {warning}", err=True)


MAX_PROBLEMS = 200  # shown per run; past that, fixing the first ones usually fixes the rest


def _fail(problems: list[Problem]) -> typer.Exit:
    for problem in problems[:MAX_PROBLEMS]:
        typer.echo(str(problem), err=True)
    count = len(problems)
    shown = f" (the first {MAX_PROBLEMS} shown)" if count > MAX_PROBLEMS else ""
    typer.echo(f"{count} problem{'s' if count != 1 else ''}{shown}; nothing was written.", err=True)
    return typer.Exit(1)


def _run(action, *args, **kwargs):
    """Call the core and turn its failures into messages and exit codes, never a traceback."""
    try:
        return action(*args, **kwargs)
    except BuildFailed as failed:
        raise _fail(failed.problems) from None
    except OSError as error:
        where = f" {error.filename}" if error.filename else ""
        typer.echo(
            f"error: cannot read or write{where}: {error.strerror or error};"
            " check the folder exists and is writable",
            err=True,
        )
        raise typer.Exit(1) from None


def _version(value: bool) -> None:
    if value:
        typer.echo(f"deckwright {version('deckwright')}")
        raise typer.Exit()


@app.callback(invoke_without_command=True)
def main_callback(
    ctx: typer.Context,
    show_version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """Run without a command to build the deck in the current folder."""
    if ctx.invoked_subcommand is None:
        build(Path("."))


@app.command()
def build(root: Root = Path(".")) -> None:
    """Check the cards and write dist/<deck>.apkg (the previous deck stays if anything is wrong).

    Example: build-deck build my-course/
    """
    result = _run(core.build, root)
    _print_warnings(result.warnings)
    typer.echo(result.summary())


@app.command()
def check(root: Root = Path(".")) -> None:
    """Validate every card without writing anything; exit 1 on any problem (for CI).

    Example: build-deck check
    """
    result = _run(core.build, root, write=False)
    _print_warnings(result.warnings)
    typer.echo(result.summary())


@app.command("pin-ids")
def pin_ids_command(root: Root = Path(".")) -> None:
    """Write an `id:` into every card that has none, keeping comments and layout.

    The id written is the one the card already had implicitly, so notes already in Anki
    keep their review history; after this you can reword fronts freely.

    Example: build-deck pin-ids && git diff cards/
    """
    pinned = _run(pin_ids, root)
    for entry in pinned:
        typer.echo(f"{entry.path.as_posix()}: pinned {entry.count} id(s)")
    if not pinned:
        typer.echo("every card already has an id")


def main() -> None:
    app()
