"""Sharing a deck through git, imported by the real Anki backend: two classmates add cards in
their own clones, one merges the other, and the student who imported the deck before keeps her
reviews and the edits she made inside Anki."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from deckwright.build import build
from deckwright.scaffold import GITATTRIBUTES
from tests.conftest import EXAMPLE, AnkiCollection, Project

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")

MORE = "deck: Biology::Cells\ncards:\n" + "".join(
    f"  - id: base-{n}\n    front: Base question {n}\n    back: Base answer {n}\n"
    for n in range(12)
)


def cards(who: str, count: int = 8) -> str:
    return "deck: Biology::Cells\ncards:\n" + "".join(
        f"  - id: {who}-{n}\n    front: {who} asks {n}\n    back: {who} answers {n}\n"
        for n in range(count)
    )


def git(cwd: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "s",
        "GIT_AUTHOR_EMAIL": "s@example.org",
        "GIT_COMMITTER_NAME": "s",
        "GIT_COMMITTER_EMAIL": "s@example.org",
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": os.devnull,
    }
    return subprocess.run(
        ["git", "-c", "init.defaultBranch=main", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=check,
    )


def built_at(root: Path, monkeypatch: pytest.MonkeyPatch, epoch: int):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(epoch))
    return build(root)


@pytest.fixture
def shared(project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """The course repository, built and committed, and a student who imported its deck,
    reviewed every card and edited one note inside Anki."""
    project.write({"cards/cells.yaml": EXAMPLE, "cards/more.yaml": MORE, ".gitignore": "dist/\n"})
    built_at(project.root, monkeypatch, 1_700_000_000)
    git(project.root, "init", "-q")
    student = AnkiCollection(tmp_path / "student.anki2")
    log = student.import_apkg(project.apkg())
    assert len(log.new) == 15
    assert student.review_all("Biology") == 17
    note = student.notes()["Mitochondrion"]
    note.fields[2] = "my own mnemonic"
    student.col.update_note(note)
    yield project.root, student
    student.col.close()


def reviews(student: AnkiCollection) -> tuple[int, list[int]]:
    col = student.col
    return col.db.scalar("select count() from revlog"), sorted(col.db.list("select ivl from cards"))


def two_clones_merged(origin: Path, tmp_path: Path, monkeypatch, union: bool) -> Path:
    """Two clones each add 8 cards, build and commit; the first pulls the second."""
    if union:
        (origin / ".gitattributes").write_text(GITATTRIBUTES)  # as `build-deck init` writes it
    git(origin, "add", ".")
    git(origin, "commit", "-qm", "course")
    clones = []
    for who, epoch in (("anna", 1_700_000_100), ("ben", 1_700_000_200)):
        clone = tmp_path / who
        git(tmp_path, "clone", "-q", str(origin), str(clone))
        (clone / "cards" / f"{who}.yaml").write_text(cards(who))
        built_at(clone, monkeypatch, epoch)
        git(clone, "add", ".")
        git(clone, "commit", "-qm", f"{who}'s cards")
        clones.append(clone)
    anna, ben = clones
    merged = git(anna, "pull", "-q", "--no-rebase", "--no-edit", str(ben), "main", check=False)
    assert (merged.returncode == 0) == union, merged.stdout + merged.stderr
    lock = (anna / "deckwright.lock").read_text()
    assert ("<<<<<<<" in lock) != union
    return anna


@pytest.mark.parametrize("union", [False, True], ids=["conflicted lock", "union merge"])
def test_merged_clones_bring_16_new_notes_and_keep_the_students_edit_and_reviews(
    shared, tmp_path, monkeypatch, union
):
    origin, student = shared
    before = reviews(student)
    anna = two_clones_merged(origin, tmp_path, monkeypatch, union)

    result = built_at(anna, monkeypatch, 1_700_000_300)
    if union:
        assert result.said == []
    else:
        assert result.said == [
            "deckwright.lock had 3 git conflicts: resolved them (each side's notes kept)"
            " and rewrote the lock"
        ]
    assert "<<<<<<<" not in (anna / "deckwright.lock").read_text()
    log = student.import_apkg(Project(anna).apkg())

    assert (len(log.new), len(log.updated)) == (16, 0)
    assert student.notes()["Mitochondrion"].fields[2] == "my own mnemonic"
    assert reviews(student)[0] == before[0]
    assert sorted(reviews(student)[1])[-17:] == before[1][-17:]


def test_a_deleted_lock_is_recovered_from_dist_and_updates_nothing(shared, monkeypatch):
    origin, student = shared
    (origin / "deckwright.lock").unlink()
    result = built_at(origin, monkeypatch, 1_700_000_500)
    assert result.said == [
        "deckwright.lock was missing: took the change times of 15 notes from dist/biology.apkg"
    ]
    log = student.import_apkg(Project(origin).apkg())
    assert (len(log.new), len(log.updated)) == (0, 0)
    assert student.notes()["Mitochondrion"].fields[2] == "my own mnemonic"


def test_a_deleted_lock_in_a_fresh_clone_is_recovered_from_git(shared, tmp_path, monkeypatch):
    origin, student = shared
    git(origin, "add", ".")
    git(origin, "commit", "-qm", "course")
    clone = tmp_path / "fresh"
    git(tmp_path, "clone", "-q", str(origin), str(clone))
    (clone / "deckwright.lock").unlink()  # and no dist/: git ignores it
    result = built_at(clone, monkeypatch, 1_700_000_500)
    assert result.said == [
        "deckwright.lock was missing: took the change times of 15 notes from"
        " deckwright.lock in git's last commit"
    ]
    log = student.import_apkg(Project(clone).apkg())
    assert (len(log.new), len(log.updated)) == (0, 0)


def test_without_lock_dist_or_git_every_note_counts_as_new(shared, monkeypatch):
    origin, student = shared
    (origin / "deckwright.lock").unlink()
    shutil.rmtree(origin / "dist")
    shutil.rmtree(origin / ".git")
    assert built_at(origin, monkeypatch, 1_700_000_500).said == []
    log = student.import_apkg(Project(origin).apkg())
    # Every note is newer, but the one she edited in Anki since, which is newer still.
    assert (len(log.new), len(log.updated)) == (0, 14)
