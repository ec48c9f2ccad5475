"""console's echo and style write what typer's would: the plain `build-deck` runs without typer."""

from __future__ import annotations

import io
import sys

import pytest
import typer
from hypothesis import given
from hypothesis import strategies as st

from deckwright.cli import console

TEXTS = st.text(alphabet="ab \n\033[;0123m:é", max_size=30)
STYLED = st.lists(
    st.one_of(TEXTS, st.builds(typer.style, TEXTS, fg=st.sampled_from([None, "red"]))), max_size=4
).map("".join)


class Terminal(io.BytesIO):
    def isatty(self) -> bool:
        return True


def written(echo, text: str, err: bool, color: bool | None, tty: bool, monkeypatch) -> bytes:
    raw = Terminal() if tty else io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="utf-8", errors="strict")
    with monkeypatch.context() as patch:
        patch.setattr(sys, "stderr" if err else "stdout", stream)
        patch.delitem(sys.modules, "typer")  # as in the plain `build-deck`
        echo(text, err=err, color=color)
    return raw.getvalue()


@given(TEXTS, st.sampled_from([None, "red", "yellow"]), st.sampled_from([None, True, False]))
def test_style_is_typers(text, fg, bold):
    assert console.style(text, fg=fg, bold=bold) == typer.style(text, fg=fg, bold=bold)


@given(STYLED, st.booleans(), st.sampled_from([None, True, False]), st.booleans())
def test_echo_writes_what_typer_writes(text, err, color, tty):
    with pytest.MonkeyPatch.context() as monkeypatch:
        mine = written(console.echo, text, err, color, tty, monkeypatch)
        theirs = written(typer.echo, text, err, color, tty, monkeypatch)
    assert mine == theirs


def test_echo_on_a_stream_click_would_rewrap_is_typers(monkeypatch):
    raw = io.BytesIO()
    monkeypatch.setattr(sys, "stdout", io.TextIOWrapper(raw, encoding="ascii"))
    monkeypatch.delitem(sys.modules, "typer")
    console.echo("é")  # click re-wraps an ASCII stream as UTF-8 with `replace`
    assert raw.getvalue() == "é\n".encode()


def test_ctrl_c_ends_with_a_message_and_exit_130_not_a_traceback(capsys):
    from deckwright.cli.console import Say, run

    def interrupted():
        raise KeyboardInterrupt

    with pytest.raises(SystemExit) as exit_:
        run(Say(), interrupted)
    assert exit_.value.code == 130
    assert "interrupted" in capsys.readouterr().err
