"""Which card files a build reads, and a word about each one it skips (never silence)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests import faults

GOOD = "deck: Good\nsource: s\ncards:\n  - id: {id}\n    front: q {id}\n    back: a\n"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project whose deck is built once, so a failing case can show nothing changed."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    root = tmp_path / "project"
    (root / "cards").mkdir(parents=True)
    (root / "cards/good.yaml").write_text(GOOD.format(id="good"))
    assert faults.invoke(root).exit_code == 0
    return root


@pytest.mark.parametrize("command", ["build", "check", "pin-ids"])
def test_file_name_that_is_not_utf8_is_named_with_a_rename_hint(project, command):
    before = faults.state(project)
    with open(os.fsencode(project / "cards") + b"/caf\xe9.yaml", "wb") as stream:
        stream.write(GOOD.format(id="other").encode())
    result = faults.invoke(project, command)
    assert result.exit_code == 1
    assert result.stderr == (
        "cards/caf\\xe9.yaml: this name is not valid UTF-8, so deckwright cannot read or name it"
        " reliably: rename it, e.g. mv $'cards/caf\\xe9.yaml' cards/new-name.yaml\n"
        "1 problem; nothing was written.\n"
    )
    assert "Traceback" not in result.output
    assert faults.state(project) == before


def test_linked_sub_folder_inside_the_project_is_read(project):
    (project / "shared").mkdir()
    (project / "shared/more.yaml").write_text(GOOD.format(id="more"))
    (project / "cards/linked").symlink_to(project / "shared", target_is_directory=True)
    result = faults.invoke(project, "build", "-v")
    assert result.exit_code == 0, result.output
    assert "read cards/linked/more.yaml: 1 note\n" in result.stdout


def test_linked_sub_folder_outside_the_project_is_refused(project, tmp_path):
    before = faults.state(project)
    (tmp_path / "outside").mkdir()
    (project / "cards/linked").symlink_to(tmp_path / "outside", target_is_directory=True)
    result = faults.invoke(project)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        f"cards/linked: is a link to {(tmp_path / 'outside').resolve()}, outside the project:"
        " a build only reads files inside the project, so copy the folder in instead of"
        " linking to it"
    )
    assert faults.state(project) == before


def test_dangling_and_looping_links_are_named_as_skipped(project):
    (project / "cards/gone.yaml").symlink_to(project / "nowhere.yaml")
    (project / "cards/loop.yaml").symlink_to(project / "cards/loop.yaml")
    (project / "cards/again").symlink_to(project / "cards", target_is_directory=True)
    result = faults.invoke(project)
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [
        "warning: cards/again: is a link to a folder already read: skipped",
        f"warning: cards/gone.yaml: is a link to {project / 'nowhere.yaml'}, which does not"
        " exist: skipped; remove the link or restore its target",
        "warning: cards/loop.yaml: is a link that loops back to itself: skipped; remove it",
    ]


def test_upper_case_suffix_is_a_card_file(project):
    (project / "cards/more.YAML").write_text(GOOD.format(id="more"))
    (project / "cards/most.Yml").write_text(GOOD.format(id="most"))
    result = faults.invoke(project)
    assert result.exit_code == 0, result.output
    assert "3 notes" in result.stdout


def test_running_inside_cards_points_to_the_project_folder(project):
    result = faults.invoke(project / "cards")
    assert result.exit_code == 1
    assert result.stderr == (
        "cards: no cards/ folder here, and this looks like a cards/ folder itself: run"
        " build-deck in the project folder (the one that holds cards/), or `build-deck init`"
        " to start a project\n"
        "1 problem; nothing was written.\n"
    )


def test_document_and_media_names_that_are_not_utf8_are_shown_escaped(project):
    before = faults.state(project)
    for folder, name in (("sources", b"caf\xe9.md"), ("media", b"caf\xe9.png")):
        (project / folder).mkdir()
        with open(os.fsencode(project / folder) + b"/" + name, "wb") as stream:
            stream.write(b"| a | b |\n| --- | --- |\n| x | y |\n")
    result = faults.invoke(project, "stats")
    assert result.exit_code == 1
    assert result.stderr == (
        "sources/caf\\xe9.md: this name is not valid UTF-8, so deckwright cannot read or name it"
        " reliably: rename it, e.g. mv $'sources/caf\\xe9.md' sources/new-name.md\n"
        "1 problem; nothing was written.\n"
    )
    (project / os.fsdecode(b"sources/caf\xe9.md")).unlink()
    result = faults.invoke(project, "stats")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-2:] == [
        "not used by any card (left out of the deck): media/caf\\xe9.png",
        "0/0 comparison rows covered",
    ]
    assert faults.state(project) == before


# ---- Paths that leave the project -------------------------------------------------------------


def test_card_file_linked_from_outside_the_project_is_refused(built, tmp_path):
    outside = tmp_path / "elsewhere.yaml"
    outside.write_text(faults.GOOD.replace("ok", "other"))
    (built / "cards" / "linked.yaml").symlink_to(outside)
    faults.fails(
        built,
        {},
        f"cards/linked.yaml: is a link to {outside.resolve()}, outside the project: a build only"
        " reads files inside the project, so copy the file in instead of linking to it",
    )


def test_cards_folder_linked_from_outside_the_project_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    outside = tmp_path / "shared"
    faults.write(outside, {"a.yaml": faults.GOOD})
    root = tmp_path / "project"
    root.mkdir()
    (root / "cards").symlink_to(outside, target_is_directory=True)
    result = faults.invoke(root)
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == (
        f"cards/a.yaml: is a link to {(outside / 'a.yaml').resolve()}, outside the project: a"
        " build only reads files inside the project, so copy the file in instead of linking to it"
    )
    assert not (root / "dist").exists()


def test_card_file_linked_inside_the_project_is_read(built):
    faults.write(built, {"shared/extra.yaml": faults.GOOD.replace("ok", "shared")})
    (built / "cards" / "extra.yaml").symlink_to(built / "shared" / "extra.yaml")
    result = faults.invoke(built)
    assert result.exit_code == 0, result.output
    assert "2 notes" in result.output


def test_folder_named_like_a_card_file_is_skipped_and_its_files_read(built):
    faults.write(built, {"cards/odd.yaml/inner.yaml": faults.GOOD.replace("ok", "inner")})
    result = faults.invoke(built)
    assert result.exit_code == 0, result.output
    assert "2 notes" in result.output


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their permissions")
def test_unreadable_card_file_is_reported(built):
    path = built / "cards" / "secret.yaml"
    path.write_text(faults.GOOD)
    path.chmod(0)
    faults.fails(
        built, {}, "cards/secret.yaml: cannot read the file (Permission denied): check it exists"
    )
