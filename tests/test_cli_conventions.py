"""Command-line conventions: help with an example everywhere, completion, -q/-v, NO_COLOR."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from deckwright.cli.app import app
from deckwright.model.schema import schema_text

runner = CliRunner()
COMMANDS = sorted(command.name or command.callback.__name__ for command in app.registered_commands)
UNPINNED = "deck: D\ncards:\n  - front: q\n    back: a\n"


def test_the_commands_are_all_there():
    assert COMMANDS == [
        "build",
        "check",
        "import",
        "init",
        "pin-ids",
        "preview",
        "schema",
        "sources",
        "stats",
        "watch",
    ]


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_has_help_with_an_example(name):
    result = runner.invoke(app, [name, "--help"], prog_name="build-deck")
    assert result.exit_code == 0
    usage, description = result.stdout.split("\n\n")[:2]
    assert usage.startswith(f"Usage: build-deck {name} ")
    assert len(description.strip()) > 20
    assert f"Example: build-deck {name}" in result.stdout


def test_shell_completion_is_offered_and_completes_commands():
    assert "--install-completion" in runner.invoke(app, ["--help"]).stdout
    script = runner.invoke(app, ["--show-completion", "bash"], prog_name="build-deck").stdout
    assert "complete -o default -F _build_deck_completion build-deck" in script
    env = {
        "_BUILD_DECK_COMPLETE": "complete_bash",
        "COMP_WORDS": "build-deck st",
        "COMP_CWORD": "1",
    }
    assert runner.invoke(app, [], prog_name="build-deck", env=env).stdout == "stats\n"


@pytest.mark.parametrize("args", [["-q", "check"], ["check", "--quiet"]])
def test_quiet_prints_nothing_but_errors(project, args):
    project.write({"cards/a.yaml": UNPINNED})
    result = runner.invoke(app, [*args, str(project.root)])
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")
    project.write({"cards/b.yaml": "deck: D\ncards:\n  - front: other\n"})
    result = runner.invoke(app, [*args, str(project.root)])
    assert result.exit_code == 1
    assert result.stderr.startswith("cards/b.yaml:3:5: this card has no `back`")


def test_verbose_lists_files_read(example):
    result = runner.invoke(app, ["build", "-v", str(example.root)])
    assert result.stdout.startswith("read cards/cells.yaml: 3 notes\nwrote dist/biology.apkg")


def test_quiet_and_verbose_together_are_a_usage_error(example):
    result = runner.invoke(app, ["check", "-q", "-v", str(example.root)])
    assert result.exit_code == 2
    assert "use either --quiet or --verbose, not both" in result.output


def test_colour_on_a_terminal_and_none_with_no_color(project):
    project.write({"cards/a.yaml": UNPINNED})
    coloured = runner.invoke(app, ["check", str(project.root)], color=True)
    assert "\x1b[33m" in coloured.stderr  # the yellow "warning:"
    plain = runner.invoke(app, ["check", str(project.root)], color=True, env={"NO_COLOR": "1"})
    assert "\x1b[" not in plain.output
    assert plain.stderr.startswith("warning: cards/a.yaml:3: 1 card(s) have no `id`")


def test_schema_command_prints_the_schema():
    assert runner.invoke(app, ["schema"]).stdout == schema_text()
