"""Nothing lost: a build killed at any moment, or two builds at once, leave a whole deck behind.

`build-deck` runs in a child process on a project big enough (a few MB of deck) that writing
takes measurable time; the child is killed with SIGKILL at chosen moments, and dist/ must then
hold the old deck or the new one, complete and importable by real Anki, and the next build works.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import string
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest

from deckwright.atomic import write_atomically
from deckwright.package.lock import Lock

FILES, CARDS_PER_FILE = 4, 300
DECK = "atomic.apkg"
LOCK = "deckwright.lock"
ENV = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000"}


def card_files(version: int) -> dict[str, str]:
    """Cards with long random backs, so the deck barely compresses; `version` changes each back."""
    rng = random.Random(version)
    alphabet = string.ascii_letters + string.digits + "      "
    files = {}
    for number in range(FILES):
        lines = ["deck: Atomic", "cards:"]
        for card in range(CARDS_PER_FILE):
            back = "".join(rng.choices(alphabet, k=2400))
            lines += [
                f"  - id: n{number}-{card}",
                f"    front: card {number} {card}",
                f"    back: {back}",
            ]
        files[f"cards/part{number}.yaml"] = "\n".join(lines) + "\n"
    return files


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def start_build(root: Path) -> subprocess.Popen[bytes]:
    program = "from deckwright.cli.main import main; main()"
    return subprocess.Popen(
        [sys.executable, "-c", program, "build", str(root)],
        env=ENV,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def build(root: Path) -> None:
    done = start_build(root)
    _, errors = done.communicate(timeout=120)
    assert done.returncode == 0, errors.decode()


def snapshot(root: Path) -> tuple[bytes, bytes]:
    return (root / "dist" / DECK).read_bytes(), (root / LOCK).read_bytes()


@pytest.fixture(scope="module")
def versions(tmp_path_factory) -> dict[str, object]:
    """A project built with the old cards, new cards written in, and the deck they must give."""
    old = tmp_path_factory.mktemp("old")
    write(old, card_files(1))
    build(old)
    old_state = snapshot(old)
    write(old, card_files(2))
    expected = tmp_path_factory.mktemp("expected") / "project"
    shutil.copytree(old, expected)
    # Timed on the same rebuild the tests kill: a first build is slower (no cache), and a
    # moment placed at 95% of it can fall after a rebuild has already finished.
    started = time.monotonic()
    build(expected)
    seconds = time.monotonic() - started
    new_state = snapshot(expected)
    assert new_state[0] != old_state[0]
    assert len(old_state[0]) > 1_000_000  # big enough that writing is not instantaneous
    return {"template": old, "old": old_state, "new": new_state, "seconds": seconds}


def temporary_in(folder: Path) -> Callable[[], bool]:
    def seen() -> bool:
        return any(name.endswith(".tmp") for name in os.listdir(folder))

    return seen


def deck_replaced(root: Path) -> Callable[[], bool]:
    inode = (root / "dist" / DECK).stat().st_ino

    def seen() -> bool:
        try:
            return (root / "dist" / DECK).stat().st_ino != inode
        except FileNotFoundError:
            return False

    return seen


def after(seconds: float) -> Callable[[], bool]:
    deadline = time.monotonic() + seconds
    return lambda: time.monotonic() >= deadline


MOMENTS = {
    "while reading the cards": lambda root, seconds: after(seconds * 0.3),
    "while the deck is being written": lambda root, seconds: temporary_in(root / "dist"),
    "right after the deck is renamed into place": lambda root, seconds: deck_replaced(root),
    "while the lock is being written": lambda root, seconds: temporary_in(root),
    "near the end": lambda root, seconds: after(seconds * 0.95),
}


def kill_when(root: Path, moment: Callable[[], bool]) -> bool:
    """Run a build and SIGKILL it as soon as `moment` holds; True if it was killed mid-way."""
    child = start_build(root)
    while child.poll() is None:
        if moment():
            child.send_signal(signal.SIGKILL)
            child.wait()
            return child.returncode == -signal.SIGKILL
    return False


def import_into_anki(apkg: Path, collection: Path) -> int:
    col = Collection(str(collection))
    try:
        col.import_anki_package(
            ImportAnkiPackageRequest(
                package_path=str(apkg),
                options=ImportAnkiPackageOptions(with_scheduling=True, merge_notetypes=True),
            )
        )
        card = col.get_card(col.find_cards("")[0])
        assert card.question() and card.answer()
        return len(col.find_notes(""))
    finally:
        col.close()


@pytest.mark.parametrize("moment", MOMENTS.values(), ids=MOMENTS.keys())
def test_killed_build_leaves_the_old_or_the_new_deck_whole(tmp_path, versions, moment):
    for attempt in range(4):  # a window can be missed on a noisy machine: try again, earlier
        root = tmp_path / f"project{attempt}"
        shutil.copytree(versions["template"], root)
        if kill_when(root, moment(root, versions["seconds"] * (1 - 0.2 * attempt))):
            break
    else:
        pytest.fail("every build finished before the chosen moment; make the project bigger")

    deck, lock = snapshot(root)
    assert deck in (versions["old"][0], versions["new"][0])
    assert lock in (versions["old"][1], versions["new"][1])
    visible = sorted(
        path.name for path in (root / "dist").iterdir() if not path.name.startswith(".")
    )
    assert visible == [DECK]
    leftovers = [path.name for path in (root / "dist").iterdir() if path.name != DECK]
    assert all(name.startswith(f".{DECK}.") and name.endswith(".tmp") for name in leftovers)
    with zipfile.ZipFile(root / "dist" / DECK) as archive:
        assert archive.testzip() is None
    assert import_into_anki(root / "dist" / DECK, tmp_path / "c.anki2") == FILES * CARDS_PER_FILE

    build(root)
    assert snapshot(root) == versions["new"]


def test_two_builds_at_once_leave_one_whole_deck(tmp_path, versions):
    root = tmp_path / "project"
    shutil.copytree(versions["template"], root)
    children = [start_build(root), start_build(root)]
    for child in children:
        _, errors = child.communicate(timeout=120)
        assert child.returncode == 0, errors.decode()
    assert snapshot(root) == versions["new"]
    assert sorted(path.name for path in (root / "dist").iterdir()) == [DECK]
    assert [path.name for path in root.glob(".*.tmp")] == []


def test_two_builds_at_different_clocks_leave_a_consistent_project(tmp_path, versions):
    """Without a pinned clock the two builds stamp different times; either result is whole."""
    root = tmp_path / "project"
    shutil.copytree(versions["template"], root)
    env = {key: value for key, value in ENV.items() if key != "SOURCE_DATE_EPOCH"}
    program = "from deckwright.cli.main import main; main()"
    children = [
        subprocess.Popen(
            [sys.executable, "-c", program, "build", str(root)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        for _ in range(2)
    ]
    for child in children:
        _, errors = child.communicate(timeout=120)
        assert child.returncode == 0, errors.decode()
    notes = Lock.read(root).entries
    assert len([key for key in notes if not key.startswith("note type ")]) == FILES * CARDS_PER_FILE
    assert import_into_anki(root / "dist" / DECK, tmp_path / "c.anki2") == FILES * CARDS_PER_FILE


def test_failed_write_removes_its_temporary_file_and_keeps_the_old(tmp_path, monkeypatch):
    target = tmp_path / "deck.apkg"
    target.write_bytes(b"old deck")

    def refuse(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(OSError, match="No space left"):
        write_atomically(target, b"new deck")
    assert sorted(path.name for path in tmp_path.iterdir()) == ["deck.apkg"]
    assert target.read_bytes() == b"old deck"


def _children(pid: int) -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.add(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc (Linux)")
def test_killed_build_leaves_no_parsing_workers_behind(tmp_path, versions):
    root = tmp_path / "project"
    shutil.copytree(versions["template"], root)
    shutil.rmtree(root / ".deckwright-cache", ignore_errors=True)  # a cold parse, in workers
    child = start_build(root)
    deadline = time.monotonic() + 20
    workers: set[int] = set()
    while not workers and child.poll() is None and time.monotonic() < deadline:
        workers = _children(child.pid)
        time.sleep(0.01)
    if not workers:
        pytest.skip("the build finished before its workers could be seen")
    child.send_signal(signal.SIGKILL)
    child.wait()
    deadline = time.monotonic() + 5
    while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(_alive(pid) for pid in workers)


def test_atomic_file_replaces_only_when_the_block_ends_and_cleans_up_on_error(tmp_path):
    from deckwright.atomic import atomic_file

    target = tmp_path / "deck.apkg"
    target.write_bytes(b"old deck")
    with pytest.raises(ValueError), atomic_file(target) as stream:
        stream.write(b"half a deck")
        raise ValueError("zip failed")
    assert sorted(path.name for path in tmp_path.iterdir()) == ["deck.apkg"]
    assert target.read_bytes() == b"old deck"
    with atomic_file(target) as stream:
        stream.write(b"new deck")
        assert target.read_bytes() == b"old deck"
    assert target.read_bytes() == b"new deck"
    assert oct(target.stat().st_mode & 0o777) == oct(0o644)


def test_files_placed_together_are_all_put_back_when_a_later_one_fails(tmp_path, monkeypatch):
    from deckwright.atomic import Pending, place_together

    first, second, third = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    first.write_bytes(b"old a")
    pendings = [Pending(path) for path in (first, second, third)]
    for pending in pendings:
        pending.stream.write(b"new")
    replace = os.replace

    def failing(source, target):
        if target == third:
            raise PermissionError(1, "Operation not permitted", source, target)
        replace(source, target)

    monkeypatch.setattr(os, "replace", failing)
    with pytest.raises(PermissionError) as raised:
        place_together(pendings)
    assert raised.value.filename == str(third)  # the real file, not the temporary one
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a"]
    assert first.read_bytes() == b"old a"


def test_replaced_file_keeps_its_mode_when_rewritten(tmp_path):
    target = tmp_path / "cards.yaml"
    target.write_bytes(b"old")
    target.chmod(0o664)
    write_atomically(target, b"new")
    assert (target.read_bytes(), target.stat().st_mode & 0o777) == (b"new", 0o664)
