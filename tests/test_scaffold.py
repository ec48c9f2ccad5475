"""`build-deck init`: a project that builds as it is, imports into Anki, and never overwrites."""

from __future__ import annotations

import re
from pathlib import Path

from typer.testing import CliRunner

from deckwright.build import build
from deckwright.cli.app import app
from deckwright.model.schema import SCHEMA_LINE, schema_text
from deckwright.model.validate import check_file
from deckwright.read.yaml_reader import load_card_file
from deckwright.scaffold import FILES, init

runner = CliRunner()


def test_init_then_build_gives_every_kind_of_card_without_a_warning(project):
    assert init(project.root).created == [Path(name) for name in FILES]
    result = build(project.root)
    assert result.warnings == []
    assert result.kinds() == {"pair": 2, "reversed": 1, "cloze": 1}
    assert (result.card_count, result.output) == (6, Path("dist/my-deck.apkg"))
    assert [file.path for file in result.media] == [Path("media/example.svg")]


def test_example_carries_the_schema_line_and_the_schema(project):
    init(project.root)
    example = (project.root / "cards/example.yaml").read_text()
    assert example.startswith(SCHEMA_LINE + "\n")
    assert (project.root / "cards" / SCHEMA_LINE.split("=")[1]).resolve().read_text() == (
        schema_text()
    )


def test_example_covers_every_row_of_the_example_table(project):
    """Row names as sources/ defines them: `<file stem>#<slug of the feature cell>`."""
    init(project.root)
    table = (project.root / "sources/example.md").read_text().split("| --- | --- | --- |\n")[1]
    features = re.findall(r"^\| ([^|]+?) \|", table, re.MULTILINE)
    rows = {"example#" + re.sub(r"[^a-z0-9]+", "-", f.lower()).strip("-") for f in features}
    raw, _ = load_card_file(project.root / "cards/example.yaml", project.root)
    covered = {cover.ref for card in check_file(raw).cards for cover in card.covers}
    assert len(rows) == 3
    assert covered == rows


def test_new_project_imports_into_anki_with_its_picture(project, anki):
    init(project.root)
    build(project.root)
    log = anki.import_apkg(project.apkg())
    assert len(log.new) == 4
    cards = anki.cards()
    assert len(cards) == 6
    assert all(card.question().strip() and card.answer().strip() for card in cards)
    assert {anki.col.decks.name(card.did) for card in cards} == {"My deck::Circulation"}
    (picture,) = Path(anki.col.media.dir()).iterdir()
    assert picture.read_text() == FILES["media/example.svg"]


def test_init_creates_the_folder_and_says_what_next(tmp_path):
    result = runner.invoke(app, ["init", str(tmp_path / "course")])
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        f"started a deckwright project; next: cd {tmp_path.as_posix()}/course, edit"
        " cards/example.yaml, run `build-deck`, and import the .apkg from dist/ into Anki\n"
    )
    assert (tmp_path / "course/.gitignore").read_text().startswith("# Built decks")


def test_init_merges_into_an_existing_gitignore_and_keeps_other_files(project):
    project.write({"cards/example.yaml": "mine\n", ".gitignore": "dist/\n*.pyc"})
    result = runner.invoke(app, ["init", str(project.root)])
    assert result.exit_code == 0, result.output
    root = project.root.as_posix()
    assert result.stdout == (
        f"added 4 lines to {root}/.gitignore, which existed already\n"
        f"kept {root}/cards/example.yaml as it was: it exists already\n"
        f"started a deckwright project; next: cd {root}, edit cards/example.yaml, run"
        " `build-deck`, and import the .apkg from dist/ into Anki\n"
    )
    assert (project.root / "cards/example.yaml").read_text() == "mine\n"
    assert (project.root / ".gitignore").read_text() == (
        "dist/\n*.pyc\n# Added by `build-deck init`:\n"
        ".deckwright-cache/\n.deckwright.lock.*.tmp\n__pycache__/\n.DS_Store\n"
    )
    assert (project.root / "sources/example.md").exists()
    again = runner.invoke(app, ["init", str(project.root)])
    assert again.exit_code == 0
    assert f"kept {root}/.gitignore as it was: it exists already\n" in again.stdout
