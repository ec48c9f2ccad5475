"""Shared fixtures: a throw-away project folder and a real Anki collection."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

FIXED_TIME = 1_700_000_000
ROOT = Path(__file__).resolve().parents[1]
# The shared documents: ../shared beside the repository (CI), or /work/shared (a worktree).
SHARED_DIR = next((p for p in (ROOT.parent / "shared", Path("/work/shared")) if p.is_dir()), None)


@dataclass
class Project:
    root: Path

    def write(self, files: dict[str, str | bytes]) -> None:
        for name, content in files.items():
            path = self.root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(textwrap.dedent(content).lstrip("\n"), encoding="utf-8")

    def apkg(self) -> Path:
        (found,) = (self.root / "dist").glob("*.apkg")
        return found


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Project:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(FIXED_TIME))
    root = tmp_path / "project"
    root.mkdir()
    return Project(root)


EXAMPLE = """\
deck: Biology::Cells
tags: [bio]
cards:
  - id: nucleus
    front: What holds the DNA of a eukaryotic cell?
    back: The nucleus
  - id: mito
    front: Mitochondrion
    back: Organelle that makes most of the cell's ATP
    reverse: true
    tags: [bio::organelles]
  - id: ribosome
    cloze: Proteins are made by {{c1::ribosomes}} from {{c2::amino acids::building blocks}}.
    extra: Both free and on the rough ER.
"""


@pytest.fixture
def example(project: Project) -> Project:
    project.write({"cards/cells.yaml": EXAMPLE})
    return project


class AnkiCollection:
    """A real Anki collection (the app's own backend) that imports what we build."""

    def __init__(self, path: Path):
        from anki.collection import Collection

        self.col = Collection(str(path))

    def import_apkg(self, apkg: Path):
        from anki.collection import ImportAnkiPackageOptions, ImportAnkiPackageRequest

        # The import dialog's defaults: notes and note types updated only when newer.
        options = ImportAnkiPackageOptions(with_scheduling=True, merge_notetypes=False)
        request = ImportAnkiPackageRequest(package_path=str(apkg), options=options)
        return self.col.import_anki_package(request).log

    def notes(self) -> dict[str, object]:
        """Notes by their first field."""
        notes = (self.col.get_note(nid) for nid in self.col.find_notes(""))
        return {note.fields[0]: note for note in notes}

    def cards(self) -> list:
        return [self.col.get_card(cid) for cid in self.col.find_cards("")]

    def review_all(self, deck: str) -> int:
        """Answer every due card once, as a student would; returns how many were answered."""
        from anki.scheduler.v3 import CardAnswer

        self.col.decks.select(self.col.decks.id_for_name(deck))
        answered = 0
        while queued := self.col.sched.get_queued_cards().cards:
            card = self.col.get_card(queued[0].card.id)
            card.start_timer()
            answer = self.col.sched.build_answer(
                card=card, states=queued[0].states, rating=CardAnswer.EASY
            )
            self.col.sched.answer_card(answer)
            answered += 1
        return answered


@pytest.fixture
def anki(tmp_path: Path):
    collection = AnkiCollection(tmp_path / "collection.anki2")
    yield collection
    collection.col.close()


@pytest.fixture
def built(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project folder whose good deck is already built (see tests/faults.py)."""
    from tests.faults import built_project

    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(FIXED_TIME))
    return built_project(tmp_path / "project")


def shared(relative: str) -> Path:
    """A file of the shared documents (seeds, real documents and their truth), never copied into
    the repo; the test is skipped when they are not beside it."""
    if SHARED_DIR is None or not (SHARED_DIR / relative).exists():
        pytest.skip(f"../shared/{relative} is not beside the repository")
    return SHARED_DIR / relative
