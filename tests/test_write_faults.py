"""Faults while writing (a full disk, a lock that cannot be replaced): one located line, exit 1,
and every byte of dist/ and deckwright.lock as it was."""

from __future__ import annotations

import errno
import os
import sqlite3
from collections import namedtuple
from pathlib import Path

import pytest
from typer.testing import CliRunner

from deckwright.cli.app import app
from deckwright.package import apkg as package
from deckwright.package import write_faults
from tests.conftest import EXAMPLE

runner = CliRunner()
Usage = namedtuple("Usage", "total used free")


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file of dist/ (temporary ones too) and the lock, by name."""
    files = {p.relative_to(root).as_posix(): p.read_bytes() for p in (root / "dist").iterdir()}
    files["deckwright.lock"] = (root / "deckwright.lock").read_bytes()
    return files


@pytest.fixture
def built(example, monkeypatch):
    """A project built once, then edited, so a second build would change both files."""
    assert runner.invoke(app, ["build", str(example.root)]).exit_code == 0
    example.write({"cards/cells.yaml": EXAMPLE.replace("The nucleus", "The nucleus, mostly")})
    monkeypatch.setattr(write_faults.shutil, "disk_usage", lambda _: Usage(9, 9, 2_345_678))
    return example


def full_disk(*args, **kwargs):
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def full_database(*args, **kwargs):
    raise sqlite3.OperationalError("database or disk is full")


@pytest.mark.parametrize(
    ("name", "fault"), [("_zip", full_disk), ("_write_collection", full_database)]
)
def test_full_disk_is_one_located_line_and_nothing_changes(built, monkeypatch, name, fault):
    before = snapshot(built.root)
    monkeypatch.setattr(package, name, fault)
    result = runner.invoke(app, ["build", str(built.root)])
    assert result.exit_code == 1
    assert result.stderr == (
        "dist/biology.apkg: no space left on the device holding dist/ (2.3 MB free):"
        " free some space and build again\n"
        "1 problem; nothing was written.\n"
    )
    assert snapshot(built.root) == before


def test_lock_that_cannot_be_replaced_leaves_the_deck_unchanged_too(built, monkeypatch):
    before = snapshot(built.root)
    lock = os.fspath(built.root / "deckwright.lock")
    replace = os.replace

    def immutable_lock(source, target):
        if os.fspath(target) == lock:
            raise PermissionError(errno.EPERM, os.strerror(errno.EPERM), source, target)
        replace(source, target)

    monkeypatch.setattr(os, "replace", immutable_lock)
    result = runner.invoke(app, ["build", str(built.root)])
    assert result.exit_code == 1
    assert result.stderr == (
        "deckwright.lock: cannot be replaced (Operation not permitted): make it writable"
        " (`chmod u+w`; `chattr -i` if it is immutable; on Windows untick Read-only)"
        " and build again\n"
        "1 problem; nothing was written.\n"
    )
    assert snapshot(built.root) == before


def test_deck_that_cannot_be_replaced_is_named_and_the_lock_kept(built, monkeypatch):
    before = snapshot(built.root)
    deck = os.fspath(built.root / "dist/biology.apkg")
    replace = os.replace

    def read_only_deck(source, target):
        if os.fspath(target) == deck:
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), source, target)
        replace(source, target)

    monkeypatch.setattr(os, "replace", read_only_deck)
    result = runner.invoke(app, ["build", str(built.root)])
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "dist/biology.apkg: cannot be replaced (Permission denied): make it writable"
    )
    assert snapshot(built.root) == before


def test_full_disk_while_the_lock_is_written_names_the_lock(built, monkeypatch):
    from deckwright import atomic

    before = snapshot(built.root)
    real = atomic.os.fdopen

    class Full:
        def __init__(self, stream):
            self.stream = stream

        def write(self, data):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

        def __getattr__(self, name):
            return getattr(self.stream, name)

    def fdopen(handle, mode):
        stream = real(handle, mode)
        name = os.path.basename(os.readlink(f"/proc/self/fd/{handle}"))
        return Full(stream) if name.startswith(".deckwright.lock.") else stream

    monkeypatch.setattr(atomic.os, "fdopen", fdopen)
    result = runner.invoke(app, ["build", str(built.root)])
    assert result.exit_code == 1
    assert result.stderr == (
        "deckwright.lock: no space left on the device holding the project folder (2.3 MB free):"
        " free some space and build again\n"
        "1 problem; nothing was written.\n"
    )
    assert snapshot(built.root) == before
