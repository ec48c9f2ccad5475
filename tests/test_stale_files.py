"""Temporary files of killed builds are removed by a later build once they are stale."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from deckwright.build import build
from deckwright.package.stale_files import STALE_SECONDS
from deckwright.scaffold import GITIGNORE


def test_build_removes_stale_temporary_files_and_keeps_fresh_ones(example):
    build(example.root)
    dist, root = example.root / "dist", example.root
    names = {
        "stale deck": dist / ".biology.apkg.x1y2z3.tmp",
        "stale scratch": dist / ".biology.apkg.a1b2c3.anki2.tmp",
        "stale old name": dist / ".old-name.apkg.q9w8e7.tmp",
        "stale lock": root / ".deckwright.lock.k3j4l5.tmp",
        "fresh deck": dist / ".biology.apkg.f4e5d6.tmp",
        "fresh lock": root / ".deckwright.lock.m6n7o8.tmp",
        "someone's own": root / ".notes.tmp",
    }
    old = time.time() - STALE_SECONDS - 5
    for label, path in names.items():
        path.write_bytes(b"partial")
        if not label.startswith("fresh"):
            os.utime(path, (old, old))
    build(example.root)
    left = {label for label, path in names.items() if path.exists()}
    assert left == {"fresh deck", "fresh lock", "someone's own"}


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_temporary_files_are_git_ignored_in_init_and_this_repository(tmp_path):
    root = tmp_path / "repo"
    root.mkdir()
    (root / ".gitignore").write_text(GITIGNORE)
    (root / "dist").mkdir()
    for name in ("dist/.deck.apkg.abc.tmp", ".deckwright.lock.abc.tmp"):
        (root / name).write_text("x")
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    shown = subprocess.run(
        ["git", "-C", str(root), "status", "--porcelain", "--untracked-files=all"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert shown == "?? .gitignore\n"
    repo_rules = (Path(__file__).resolve().parents[1] / ".gitignore").read_text().splitlines()
    assert ".deckwright.lock.*.tmp" in repo_rules
    assert "dist/" in repo_rules
