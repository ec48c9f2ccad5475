import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from deckwright.cli.app import app

runner = CliRunner()


def test_build_prints_a_summary_and_exits_0(example):
    result = runner.invoke(app, ["build", str(example.root)])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("wrote dist/biology.apkg (")


def test_no_command_builds_the_current_folder(example, monkeypatch):
    monkeypatch.chdir(example.root)
    result = runner.invoke(app, [])
    assert result.exit_code == 0, result.output
    assert (example.root / "dist/biology.apkg").exists()


def test_content_errors_exit_1_with_located_messages_and_no_traceback(project):
    project.write({"cards/verbs.yaml": "deck: Spanish\ncards:\n  - id: ser\n    front: ser\n"})
    result = runner.invoke(app, ["build", str(project.root)])
    assert result.exit_code == 1
    assert result.stderr == (
        "cards/verbs.yaml:3:5: this card has no `back`: add `back: ...`\n"
        "1 problem; nothing was written.\n"
    )
    assert "Traceback" not in result.output


def test_check_validates_without_writing(example):
    result = runner.invoke(app, ["check", str(example.root)])
    assert result.exit_code == 0
    assert not (example.root / "dist").exists()


@pytest.mark.parametrize("args", [["nosuch"], ["build", "/no/such/folder"], ["build", "--bogus"]])
def test_usage_errors_exit_2(args):
    assert runner.invoke(app, args).exit_code == 2


def test_version_and_help_teach_the_format():
    assert runner.invoke(app, ["--version"]).stdout.startswith("deckwright ")
    help_text = runner.invoke(app, ["--help"]).stdout
    assert "cloze: Lower motor neurons end in {{c1::skeletal muscle}}." in help_text


def test_unpinned_cards_are_warned_about(project):
    project.write({"cards/a.yaml": "deck: D\ncards:\n  - front: q\n    back: a\n"})
    result = runner.invoke(app, ["check", str(project.root)])
    assert result.exit_code == 0
    assert result.stderr.startswith(
        "warning: cards/a.yaml:3: 1 card(s) have no `id` (lines 3): editing their front"
    )


def test_pin_ids_reports_what_it_pinned(project):
    project.write({"cards/a.yaml": "deck: D\ncards:\n  - front: q\n    back: a\n"})
    result = runner.invoke(app, ["pin-ids", str(project.root)])
    assert result.stdout == "cards/a.yaml: pinned 1 id(s)\n"


def test_plain_build_of_the_shipped_deck_imports_neither_typer_nor_markdown_it(tmp_path):
    # Each takes longer to import than the rest of the build: the everyday command needs neither.
    import shutil

    repo = Path(__file__).resolve().parents[1]
    for folder in ("cards", "sources"):
        shutil.copytree(repo / folder, tmp_path / folder)
    shutil.copy(repo / "deckwright.lock", tmp_path)
    code = (
        "import sys; from deckwright.cli.main import main; main();"
        " print(sorted({'typer', 'markdown_it'} & set(sys.modules)))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=True
    )
    assert done.stdout.startswith("wrote dist/neuroscience.apkg (")
    assert done.stdout.splitlines()[-1] == "[]"


def test_output_closed_by_its_reader_ends_the_build_without_a_traceback(example, tmp_path):
    # `build-deck | head -1`: the pipe closes before the summary is written.
    import subprocess

    reader, writer = os.pipe()
    os.close(reader)
    try:
        done = subprocess.run(
            [sys.executable, "-c", "from deckwright.cli.main import main; main()"],
            cwd=example.root,
            stdout=writer,
            stderr=subprocess.PIPE,
            text=True,
        )
    finally:
        os.close(writer)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr and "Error" not in done.stderr
    assert (example.root / "dist/biology.apkg").exists()


@pytest.mark.parametrize("value", ["abc", "1700000000.5", "12345678901234567890"])
@pytest.mark.parametrize("command", ["build", "watch"])
def test_source_date_epoch_that_is_no_time_is_a_usage_error(example, monkeypatch, value, command):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    result = runner.invoke(app, [command, str(example.root)])
    assert result.exit_code == 2
    assert result.stderr == (
        "error: SOURCE_DATE_EPOCH must be a whole number of seconds since 1970 up to"
        f" 253402300799 (e.g. 1700000000), not `{value[:30]}`: fix it or unset it\n"
    )
    assert not (example.root / "dist").exists()


def test_build_deck_script_without_dependencies_names_the_install_command(tmp_path):

    script = Path(__file__).resolve().parents[1] / "build_deck.py"
    # -S: no site-packages, as in a Python where nothing was installed yet.
    result = subprocess.run(
        [sys.executable, "-I", "-S", str(script)], cwd=tmp_path, capture_output=True, text=True
    )
    assert result.returncode == 1
    assert result.stderr == (
        "deckwright's dependencies are not installed (no module `yaml`): run"
        " `python3 -m venv .venv && . .venv/bin/activate && pip install -c requirements.lock -e .`"
        " in this folder, then `build-deck` (or `python build_deck.py` inside the venv)\n"
    )


@pytest.mark.parametrize(
    ("arguments", "shown"),
    [
        (["build", "no-such-folder"], "does not exist"),
        (["build", "--frobnicate"], "No such option"),
    ],
)
def test_usage_error_exits_2_without_traceback(arguments, shown):
    result = CliRunner().invoke(app, arguments)
    assert result.exit_code == 2
    assert shown in result.output
    assert "Traceback" not in result.output


def test_project_path_that_is_a_file_is_a_usage_error(tmp_path):
    (tmp_path / "file").write_text("x")
    result = CliRunner().invoke(app, ["build", str(tmp_path / "file")])
    assert result.exit_code == 2
    assert "is a file" in result.output


def run_build_deck(project, *args):
    import subprocess
    import sys

    code = (
        "import sys; from deckwright.cli.main import main\n"
        "try:\n    main()\nfinally:\n    print('pydantic' in sys.modules, file=sys.stderr)"
    )
    return subprocess.run(
        [sys.executable, "-c", code, *args], cwd=project, capture_output=True, text=True
    )


def test_plain_build_deck_reports_like_the_typer_command_without_pydantic(tmp_path):
    from typer.testing import CliRunner

    from deckwright.cli.app import app

    (tmp_path / "cards").mkdir()
    (tmp_path / "cards" / "a.yaml").write_text("deck: D\ncards:\n  - front: f\n")
    plain = run_build_deck(tmp_path)
    assert plain.returncode == 1
    assert plain.stderr.splitlines() == [
        "cards/a.yaml:3:5: this card has no `back`: add `back: ...`",
        "1 problem; nothing was written.",
        "False",
    ]
    through_typer = CliRunner().invoke(app, ["build", str(tmp_path)])
    assert through_typer.exit_code == 1
    (tmp_path / "cards" / "a.yaml").write_text(
        "deck: D\nsource: S\ncards:\n  - id: f\n    front: f\n    back: b\n"
    )
    plain = run_build_deck(tmp_path, "build")
    assert plain.returncode == 0
    assert re.fullmatch(
        r"wrote dist/d\.apkg \(\d+\.\d KiB\): 1 note \(1 pair\) -> 1 card in 1 deck\n"
        r"0/0 comparison rows covered\n",
        plain.stdout,
    )
