"""`build-deck watch`: rebuilds on edits, keeps the last good deck when broken, Ctrl-C exits 0."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time

import pytest

from deckwright.watch import Outcome, rebuild, watch
from tests.conftest import Project
from tests.test_preview import CARDS

BROKEN = CARDS.replace("    back: Skeletal muscle\n", "")


class Lines:
    """The output of a running process, line by line, waited on with a deadline."""

    def __init__(self, process: subprocess.Popen[str]):
        self.seen: list[str] = []
        self._queue: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, args=(process,), daemon=True).start()

    def _read(self, process: subprocess.Popen[str]) -> None:
        assert process.stdout is not None
        for line in process.stdout:
            self._queue.put(line.rstrip("\n"))

    def wait_for(self, text: str, seconds: float = 10) -> str:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                line = self._queue.get(timeout=0.1)
            except queue.Empty:
                continue
            self.seen.append(line)
            if text in line:
                return line
        raise AssertionError(f"no line with {text!r} within {seconds} s; got {self.seen}")


@pytest.fixture
def watched(project: Project):
    project.write({"cards/motor.yaml": CARDS})
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        [sys.executable, "-c", "from deckwright.cli.main import main; main()", "watch", "."],
        cwd=project.root,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    yield project, process, Lines(process)
    if process.poll() is None:
        process.kill()
        process.wait()


def test_watch_rebuilds_on_edit_keeps_the_deck_on_a_broken_edit_and_exits_0_on_ctrl_c(
    watched,
):
    project, process, lines = watched
    lines.wait_for("rebuilt in")
    deck = project.root / "dist" / "neuro.apkg"
    preview = project.root / "dist" / "preview.html"
    first_deck = deck.read_bytes()
    assert "Skeletal muscle" in preview.read_text(encoding="utf-8")

    time.sleep(0.3)  # let the watcher settle after its first build
    project.write({"cards/motor.yaml": CARDS.replace("Skeletal muscle", "Striated muscle")})
    started = time.monotonic()
    status = lines.wait_for("rebuilt in", seconds=5)
    assert time.monotonic() - started < 5
    assert status.endswith("3 notes, 5 cards, 0/0 rows covered")
    assert "Striated muscle" in preview.read_text(encoding="utf-8")
    good_deck = deck.read_bytes()
    good_preview = preview.read_bytes()
    assert good_deck != first_deck

    project.write({"cards/motor.yaml": BROKEN})
    error = lines.wait_for("cards/motor.yaml:", seconds=5)
    assert error == "cards/motor.yaml:8:5: this card has no `back`: add `back: ...`"
    lines.wait_for("1 problem; kept the last good deck and preview", seconds=5)
    assert deck.read_bytes() == good_deck
    assert preview.read_bytes() == good_preview

    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=10) == 0
    lines.wait_for("stopped watching", seconds=2)
    assert not any("Traceback" in line for line in lines.seen)


def test_rebuild_reports_problems_and_writes_nothing(project: Project):
    project.write({"cards/motor.yaml": BROKEN})
    outcome = rebuild(project.root)
    assert outcome.result is None
    assert [str(p.where) for p in outcome.problems] == ["cards/motor.yaml:8:5"]
    assert outcome.status().endswith("1 problem; kept the last good deck and preview")
    assert not (project.root / "dist").exists()


def test_a_burst_of_saves_gives_one_rebuild(project: Project):
    project.write({"cards/motor.yaml": CARDS})
    outcomes: list[Outcome] = []
    stop = threading.Event()
    thread = threading.Thread(target=watch, args=(project.root, outcomes.append, stop))
    thread.start()
    try:
        deadline = time.monotonic() + 10
        while not outcomes and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.3)
        for number in range(5):  # an editor's save storm: five writes within a few ms
            project.write({"cards/motor.yaml": CARDS.replace("Skeletal", f"Skeletal {number}")})
        time.sleep(2.5)
    finally:
        stop.set()
        thread.join(timeout=10)
    assert not thread.is_alive()
    assert len(outcomes) == 2  # the first build, then one rebuild for the burst
    assert "Skeletal 4" in (project.root / "dist" / "preview.html").read_text(encoding="utf-8")


def test_a_deck_too_large_to_preview_is_rebuilt_without_its_preview(project: Project, monkeypatch):
    from deckwright import watch as watch_module

    unpinned = "  - front: A card without an id\n    back: warned about\n"
    project.write({"cards/motor.yaml": CARDS.replace("source: Lecture 3\n", unpinned)})
    monkeypatch.setattr(watch_module, "PREVIEW_NOTES", 1)
    outcome = rebuild(project.root)
    assert outcome.result is not None and len(outcome.result.notes) > 1
    assert not (project.root / "dist" / "preview.html").exists()
    assert "preview not updated (over 1 notes; `build-deck preview` writes it)" in outcome.status()
    assert outcome.result.warnings and "see the preview" not in outcome.status()  # it is stale
    assert list((project.root / "dist").glob("*.apkg"))


def test_editing_the_project_settings_rebuilds(project: Project):
    card = "deck: D\nsource: s\ncards:\n  - id: a\n    front: '**q**'\n    back: a\n"
    project.write({"cards/a.yaml": card})
    outcomes: list[Outcome] = []
    stop = threading.Event()
    thread = threading.Thread(target=watch, args=(project.root, outcomes.append, stop))
    thread.start()
    try:
        deadline = time.monotonic() + 10
        while not outcomes and time.monotonic() < deadline:
            time.sleep(0.05)
        project.write({"deckwright.toml": 'markup = "markdown"\n'})
        deadline = time.monotonic() + 10
        while len(outcomes) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        stop.set()
        thread.join(timeout=10)
    assert [outcome.result.cards[0].front for outcome in outcomes] == [
        "**q**",
        "<strong>q</strong>",
    ]
