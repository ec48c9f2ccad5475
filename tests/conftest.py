"""Shared fixtures: a throw-away project folder and a real Anki collection."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

FIXED_TIME = 1_700_000_000


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
                path.write_text(textwrap.dedent(content), encoding="utf-8")

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
