"""Past a few warnings of one kind, one printed line for them all; --all-warnings and JSON keep
every one."""

import json
from pathlib import Path

from typer.testing import CliRunner

from deckwright.cli.app import app
from deckwright.cli.warning_groups import grouped
from deckwright.errors import Location, Problem


def cards(count: int, start: int = 0) -> str:
    return "".join(
        f"  - id: c{n}\n    front: What is fact number {n}?\n    back: Fact {n}\n"
        for n in range(start, start + count)
    )


def test_more_than_three_cards_without_source_are_one_line(project):
    project.write({"cards/t.yaml": "deck: T\ncards:\n" + cards(5)})
    result = CliRunner().invoke(app, ["build", str(project.root)])
    assert result.exit_code == 0
    assert result.stderr == (
        "warning: 5 cards have no source (cards/t.yaml:3:5, cards/t.yaml:6:5, cards/t.yaml:9:5,"
        " ...): add `source:` to the file's top to cover them all (e.g. `source: Lecture 3`),"
        " or `covers:` a row of a document\n"
    )


def test_three_cards_without_source_are_three_lines(project):
    project.write({"cards/t.yaml": "deck: T\ncards:\n" + cards(3)})
    result = CliRunner().invoke(app, ["build", str(project.root)])
    assert result.stderr.count("\n") == 3
    assert result.stderr.startswith("warning: cards/t.yaml:3:5: this card has no source: add")


def test_all_warnings_and_json_give_every_one(project):
    project.write({"cards/t.yaml": "deck: T\ncards:\n" + cards(5)})
    for command in (["build", "--all-warnings"], ["--all-warnings", "build"]):
        every = CliRunner().invoke(app, [*command, str(project.root)])
        lines = every.stderr.splitlines()
        assert len(lines) == 5 and lines[4].startswith("warning: cards/t.yaml:15:5: this card")
    report = CliRunner().invoke(app, ["check", str(project.root), "--format", "json"])
    warnings = json.loads(report.stdout)["warnings"]
    assert [(w["line"], w["kind"], w["cards"]) for w in warnings] == [
        (line, "no-source", 1) for line in (3, 6, 9, 12, 15)
    ]


def test_cards_without_ids_in_many_files_are_one_line_counting_the_cards(project):
    files = {
        f"cards/f{n}.yaml": "deck: T\nsource: Book\ncards:\n"
        + cards(2, 2 * n).replace("  - id: c", "  - front: x").replace("\n    front:", " ")
        for n in range(4)
    }
    project.write(files)
    result = CliRunner().invoke(app, ["build", str(project.root)])
    assert result.stderr == (
        "warning: 8 cards have no `id` (cards/f0.yaml:4, cards/f1.yaml:4, cards/f2.yaml:4, ...):"
        " editing their front will make Anki see a new note and lose its review history;"
        " run `build-deck pin-ids` to add ids to them all\n"
    )


def test_a_large_deck_with_a_warning_on_every_card_prints_a_screenful(project):
    # No ids, no sources, near-duplicates and numbered fronts, in 50 files.
    files = {}
    for n in range(50):
        body = "".join(
            f"  - front: What is the {'fibre' if k % 2 else 'fiber'} of case {n * 40 + k}?\n"
            f"    back: 'Fact {k}, {k + 1} and {k + 2}'\n"
            for k in range(40)
        )
        files[f"cards/f{n:02d}.yaml"] = "deck: T\ncards:\n" + body
    project.write(files)
    result = CliRunner().invoke(app, ["build", str(project.root)])
    assert result.exit_code == 0
    assert len(result.stderr.splitlines()) <= 40
    every = CliRunner().invoke(app, ["build", "--all-warnings", str(project.root)])
    assert len(every.stderr.splitlines()) > 2_000


def test_warnings_of_an_unknown_kind_are_grouped_by_what_stays_the_same():
    where = Path("cards/t.yaml")
    warnings = [
        Problem(Location(where, line), f"`x{line}` is odd: fix it") for line in (1, 2, 3, 4)
    ]
    warnings.append(Problem(Location(where, 9), "something else: fix that"))
    assert grouped(warnings) == [
        "4 warnings like this one (cards/t.yaml:1, cards/t.yaml:2, cards/t.yaml:3, ...):"
        " `x1` is odd: fix it",
        "cards/t.yaml:9: something else: fix that",
    ]


def test_preview_lists_every_warning_while_stderr_has_one_line(project):
    project.write({"cards/t.yaml": "deck: T\ncards:\n" + cards(5)})
    result = CliRunner().invoke(app, ["preview", str(project.root)])
    assert result.exit_code == 0
    assert result.stderr.startswith("warning: 5 cards have no source (cards/t.yaml:3:5,")
    assert result.stderr.count("\n") == 1
    page = (project.root / "dist" / "preview.html").read_text(encoding="utf-8")
    assert page.count("this card has no source") >= 5  # each warning, not one for all


def test_warnings_are_grouped_by_their_kind_whatever_their_wording():
    """The kind is data on the warning: a reworded message still groups with its kind, and the
    line counts the cards each warning is about."""
    where = Path("cards/t.yaml")
    warnings = [
        Problem(Location(where, line), f"wording {line} changed", "no-id", 10) for line in range(5)
    ]
    warnings.append(Problem(Location(where, 9), "this card has no source: but no kind"))
    assert grouped(warnings) == [
        "50 cards have no `id` (cards/t.yaml, cards/t.yaml:1, cards/t.yaml:2, ...): editing their"
        " front will make Anki see a new note and lose its review history; run `build-deck"
        " pin-ids` to add ids to them all",
        "cards/t.yaml:9: this card has no source: but no kind",
    ]
