"""A `project` fixture: a temporary deckwright project whose files a test writes."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest


class Project:
    def __init__(self, root: Path):
        self.root = root

    def write(self, files: dict[str, str]) -> None:
        """Write each file (dedented, so tests can indent their YAML and Markdown)."""
        for name, text in files.items():
            path = self.root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Project:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    return Project(tmp_path)
