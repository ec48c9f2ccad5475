"""What a build says: warnings, the summary, the coverage report (shared by every command)."""

from collections import Counter
from pathlib import Path

from deckwright import build as core
from deckwright.cli.console import Say, echo, run
from deckwright.cli.progress import with_progress
from deckwright.package.media import size_text

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


def unread_note(unread: list[Path]) -> str:
    names = ", ".join(path.as_posix() for path in unread)
    return (
        f"coverage is not complete: not read: {names}; make each a .txt, .md or .html document"
        " (see the warnings above) or move it out of sources/"
    )


def report_result(say: Say, result: core.BuildResult) -> int:
    """Warnings, the summary and the coverage report; returns how many rows are uncovered."""
    say.warn(result.warnings)
    for path, count in sorted(Counter(card.where.path for card in result.cards).items()):
        say.out(f"read {path.as_posix()}: {count} note{'s' if count != 1 else ''}", level=2)
    for document in result.coverage.read:
        rows = len(document.rows)
        say.out(f"read {document.path.as_posix()}: {rows} row{'s' if rows != 1 else ''}", level=2)
        for row in document.rows:
            split = "" if row.split else " (cells not split)"
            say.out(f"  {row.where} {row.name}{split}", level=2)
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
