"""The typer application: every command and option of `build-deck`, with its help.

Imported only for a command line with arguments (cli.main): typer takes 35 ms to import and
parsing with it 80 more, more than a plain build of a small deck, which main.py runs itself.
preview, watch (watchfiles, asyncio) and webbrowser are imported inside their commands.
Longer than 300 lines because it is a list: one function per command, each its help and
options, read best side by side.
"""

from __future__ import annotations

import contextlib
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from deckwright import build as core
from deckwright.cli.console import run, say_for
from deckwright.cli.progress import with_progress
from deckwright.cli.report import (
    FORMAT_HELP,
    build_and_report,
    report_result,
    uncovered_note,
    unread_note,
)
from deckwright.coverage.check import report_json
from deckwright.errors import BuildFailed


class Format(StrEnum):
    text = "text"
    json = "json"


def json_report(root: Path, strict: bool = False) -> dict:
    """The check's report as JSON data, problems included rather than printed."""
    try:
        result = core.build(root, write=False, strict=strict)
    except BuildFailed as failed:
        return report_json(None, [], failed.problems)
    return report_json(result.coverage, result.warnings, [])


app = typer.Typer(
    help="Turn YAML card files into an Anki deck (.apkg) you can rebuild after every edit.\n\n"
    "New here? `build-deck init` in an empty folder makes a project that builds as it is.\n"
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
Quiet = Annotated[bool, typer.Option("--quiet", "-q", help="Print only errors.")]
Verbose = Annotated[
    bool, typer.Option("--verbose", "-v", help="Also list the card files and media read.")
]
AllWarnings = Annotated[
    bool,
    typer.Option(
        "--all-warnings",
        help="Print every warning on its own line (by default, more than 3 of one kind are"
        " one line with their count, the first places and the fix).",
    ),
]


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import version  # 50 ms to import: only when asked

        typer.echo(f"deckwright {version('deckwright')}")
        raise typer.Exit()


@app.callback(invoke_without_command=True)
def main_callback(
    ctx: typer.Context,
    show_version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
    quiet: Quiet = False,
    verbose: Verbose = False,
    all_warnings: AllWarnings = False,
) -> None:
    """Run without a command to build the deck in the current folder."""
    ctx.obj = say_for(ctx, quiet, verbose, all_warnings)
    if ctx.invoked_subcommand is None:
        build(ctx, Path("."), strict=False)


@app.command()
def build(
    ctx: typer.Context,
    root: Root = Path("."),
    strict: Annotated[
        bool,
        typer.Option(
            "--strict", help="Treat warnings and uncovered rows as errors; write nothing then."
        ),
    ] = False,
    quiet: Quiet = False,
    verbose: Verbose = False,
    all_warnings: AllWarnings = False,
) -> None:
    """Check the cards and write dist/<deck>.apkg (the previous deck stays if anything is wrong).

    Rows of the tables in sources/ that no card covers are reported with a suggested card;
    the deck is still written unless --strict.

    Example: build-deck build my-course/ --strict
    """
    build_and_report(say_for(ctx, quiet, verbose, all_warnings), root, strict)


@app.command()
def check(
    ctx: typer.Context,
    root: Root = Path("."),
    output_format: Annotated[
        Format, typer.Option("--format", help="`json` prints the report for CI and editors.")
    ] = Format.text,
    strict: Annotated[
        bool, typer.Option("--strict", help="Treat warnings (card-quality lint too) as errors.")
    ] = False,
    quiet: Quiet = False,
    verbose: Verbose = False,
    all_warnings: AllWarnings = False,
) -> None:
    """Validate every card and the coverage of sources/ without writing anything.

    Exits 1 on any problem and when a comparison row of a document in sources/ is not
    covered by any card (each uncovered row is listed with a card to paste), so CI fails.
    Warnings, such as the card-quality lint's, exit 0 unless --strict.

    Example: build-deck check --format json
    """
    say = say_for(ctx, quiet, verbose, all_warnings)
    if output_format is Format.json:
        import json

        report = run(say, json_report, root, strict)
        typer.echo(json.dumps(report, indent=2, ensure_ascii=False))
        raise typer.Exit(0 if report["ok"] else 1)
    result = run(say, with_progress(say.level > 0, core.build), root, write=False, strict=strict)
    uncovered = report_result(say, result)
    if uncovered:
        typer.echo(uncovered_note(uncovered), err=True)
        raise typer.Exit(1)
    if result.coverage.unread:
        typer.echo(unread_note(result.coverage.unread), err=True)
        raise typer.Exit(1)


@app.command("sources")
def sources_command(
    ctx: typer.Context,
    root: Root = Path("."),
    output_format: Annotated[
        Format, typer.Option("--format", help="`json` prints the same for editors and scripts.")
    ] = Format.text,
    quiet: Quiet = False,
    verbose: Verbose = False,
) -> None:
    """List every document in sources/, its tables and their rows with file:line, as `check`
    reads them. Rows marked [cells not split] were kept whole: their cells ran together in the
    copied text. Files that could not be read are named; the command then exits 1.

    Example: build-deck sources --format json
    """
    from deckwright.cli.sources import sources_json, sources_text
    from deckwright.coverage.documents import read_sources

    say = say_for(ctx, quiet, verbose)
    found = run(say, read_sources, root)
    failed = bool(found.problems or found.unread)
    if output_format is Format.json:
        import json

        typer.echo(json.dumps(sources_json(found), indent=2, ensure_ascii=False))
        raise typer.Exit(1 if failed else 0)
    say.warn(found.warnings)
    for problem in found.problems:
        typer.echo(str(problem), err=True)
    say.out(sources_text(found))
    raise typer.Exit(1 if failed else 0)


@app.command("pin-ids")
def pin_ids_command(
    ctx: typer.Context, root: Root = Path("."), quiet: Quiet = False, verbose: Verbose = False
) -> None:
    """Write an `id:` into every card that has none, keeping comments and layout.

    The id written is the one the card already had implicitly, so notes already in Anki
    keep their review history; after this you can reword fronts freely.

    Example: build-deck pin-ids && git diff cards/
    """
    from deckwright.pinning import pin_ids

    say = say_for(ctx, quiet, verbose)
    pinned = run(say, pin_ids, root)
    for entry in pinned:
        say.out(f"{entry.path.as_posix()}: pinned {entry.count} id(s)")
    if not pinned:
        say.out("every card already has an id")


@app.command()
def stats(ctx: typer.Context, root: Root = Path(".")) -> None:
    """Show what the deck holds: notes and cards per deck and kind, tags, media and their sizes.

    Nothing is written; handy before sharing a deck.

    Example: build-deck stats my-course/
    """
    from deckwright.cli.stats import stats_text

    say = say_for(ctx)
    result = run(say, core.build, root, write=False)
    say.warn(result.warnings)
    typer.echo(stats_text(result, root))


@app.command()
def init(
    ctx: typer.Context,
    folder: Annotated[
        Path,
        typer.Argument(help="Where to start the project; created if missing.", file_okay=False),
    ] = Path("."),
    quiet: Quiet = False,
    verbose: Verbose = False,
) -> None:
    """Start a project: cards/example.yaml with every kind of card, sources/, media/, .gitignore.

    Never overwrites a file: an existing .gitignore gets the lines it lacks, any other
    existing file is kept as it is (each one is named).

    Example: build-deck init my-course && cd my-course && build-deck
    """
    from deckwright.scaffold import init as init_project

    say = say_for(ctx, quiet, verbose)
    started = run(say, init_project, folder)
    for path in started.created:
        say.out(f"created {(folder / path).as_posix()}", level=2)
    for path, count in started.merged.items():
        lines = f"{count} line{'s' if count != 1 else ''}"
        say.out(f"added {lines} to {(folder / path).as_posix()}, which existed already")
    for path in started.kept:
        say.out(f"kept {(folder / path).as_posix()} as it was: it exists already")
    go = "" if folder == Path(".") else f"cd {folder.as_posix()}, "
    say.out(
        f"started a deckwright project; next: {go}edit cards/example.yaml, run `build-deck`,"
        " and import the .apkg from dist/ into Anki"
    )


@app.command("import")
def import_command(
    ctx: typer.Context,
    package: Annotated[Path, typer.Argument(help="A deck exported by Anki: .apkg or .colpkg.")],
    root: Root = Path("."),
    quiet: Quiet = False,
    verbose: Verbose = False,
) -> None:
    """Bring a deck made by Anki into cards/, media/ and the lock, keeping each note's GUID and
    note type, so a build imported back updates those very notes. Needs the anki library:
    pip install 'deckwright[import]'.

    Example: build-deck import ~/Downloads/anatomy.apkg
    """
    from deckwright.deck_import import import_deck

    say = say_for(ctx, quiet, verbose)
    done = run(say, import_deck, root, package)
    for path in [*done.files, *done.media]:
        say.out(f"wrote {path.as_posix()}", level=2)
    say.out(
        f"brought in {done.notes} note{'s' if done.notes != 1 else ''} into"
        f" {len(done.files)} card file{'s' if len(done.files) != 1 else ''}"
        f" and {len(done.media)} media file{'s' if len(done.media) != 1 else ''}"
        + (f"; {done.already} already in cards/, left as they are" if done.already else "")
    )


@app.command()
def schema() -> None:
    """Print the JSON Schema of card files, for editors' autocompletion and inline errors.

    Example: build-deck schema > schema/cards.schema.json
    """
    from deckwright.model.schema import schema_text

    typer.echo(schema_text(), nl=False)


@app.command()
def preview(
    ctx: typer.Context,
    root: Root = Path("."),
    open_page: Annotated[
        bool, typer.Option("--open", help="Open the preview in the default browser.")
    ] = False,
    quiet: Quiet = False,
    verbose: Verbose = False,
) -> None:
    """Check the cards and write dist/preview.html: every card, question and answer, as Anki
    will show it, with the coverage table and warnings (the deck itself is not written).

    Example: build-deck preview --open
    """
    from deckwright.preview.page import write_preview

    say = say_for(ctx, quiet, verbose)
    result = run(say, core.build, root, write=False)
    say.warn(result.warnings)
    path = run(say, write_preview, root, result)
    say.out(f"wrote {path.as_posix()}: {result.summary()}")
    if open_page:
        import webbrowser

        page = (root / path).resolve().as_uri()
        if not webbrowser.open(page):
            typer.echo(f"warning: no browser could be started: open {page} yourself", err=True)


@app.command("watch")
def watch_command(ctx: typer.Context, root: Root = Path(".")) -> None:
    """Build the deck and dist/preview.html, then rebuild both on every change under cards/,
    sources/ or media/; a broken edit keeps the last good deck. Ctrl-C stops.

    Example: build-deck watch   (and keep dist/preview.html open in a browser)
    """
    from deckwright.package.identity import now
    from deckwright.watch import WATCHED, Outcome, watch

    say = say_for(ctx)
    run(say, now)  # a wrong SOURCE_DATE_EPOCH is a usage error at once, not in every rebuild

    def report(outcome: Outcome) -> None:
        for problem in outcome.problems:
            typer.echo(str(problem), err=True)
        say.out(outcome.status())

    say.out(f"watching {', '.join(WATCHED)} in {root.as_posix()}; Ctrl-C stops")
    with contextlib.suppress(KeyboardInterrupt):
        watch(root, report)
    say.out("stopped watching")
