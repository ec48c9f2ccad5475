import io
import threading

import pytest

from deckwright.build import build
from deckwright.cli.progress import SHOW_AFTER, ProgressBar, with_progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_long_build_on_a_terminal_shows_a_bar_that_goes_away():
    stream, clock = Terminal(), Clock()
    bar = ProgressBar(True, stream, clock)
    bar("reading card files", 1, 50)
    assert stream.getvalue() == ""  # too early: a quick build shows nothing
    clock.now = SHOW_AFTER + 1
    threads = threading.active_count()
    bar("reading card files", 25, 50)
    assert "reading card files" in stream.getvalue()
    assert "25/50" in stream.getvalue()
    assert threading.active_count() == threads  # no refresh thread: the build may still fork
    shown = len(stream.getvalue())
    bar.close()
    assert stream.getvalue()[shown:].endswith("\x1b[1A\x1b[2K")  # the line is erased


@pytest.mark.parametrize("enabled, stream", [(True, io.StringIO()), (False, Terminal())])
def test_no_bar_into_a_pipe_or_when_quiet(enabled, stream):
    clock = Clock()
    bar = ProgressBar(enabled, stream, clock)
    clock.now = SHOW_AFTER + 1
    bar("reading card files", 25, 50)
    bar.close()
    assert stream.getvalue() == ""


def test_the_bar_is_taken_down_when_the_build_fails(monkeypatch):
    closed = []
    monkeypatch.setattr(ProgressBar, "close", lambda self: closed.append(True))

    def failing(progress):
        progress("reading card files", 0, 1)
        raise RuntimeError("failed")

    with pytest.raises(RuntimeError):
        with_progress(True, failing)()
    assert closed == [True]


def test_a_build_reports_each_step(example):
    heard = []
    build(example.root, progress=lambda step, done, total: heard.append((step, done, total)))
    steps = list(dict.fromkeys(step for step, _, _ in heard))
    assert steps == ["reading card files", "checking cards and sources", "writing the deck"]
    assert ("reading card files", 1, 1) in heard
