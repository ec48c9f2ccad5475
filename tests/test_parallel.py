import os
import threading

import pytest

from deckwright.build import build
from deckwright.errors import BuildFailed
from deckwright.incremental import parallel

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")


def test_the_child_answers_with_what_it_made_and_then_does_the_rest(tmp_path):
    after = tmp_path / "after"
    child = parallel.Child.start(lambda: {"made": [os.getpid()]}, lambda: after.write_text("x"))
    made = child.result()
    child.join()
    assert made["made"][0] != os.getpid()  # made in another process
    assert after.read_text() == "x"


def test_a_failed_child_answers_none():
    def fail():
        raise MemoryError

    child = parallel.Child.start(fail)
    assert child.result() is None
    child.join()


def test_an_answer_never_read_does_not_keep_the_child_waiting():
    child = parallel.Child.start(lambda: "x" * 10_000_000)  # more than a pipe holds
    child.join()  # returns: the closed pipe stops the child


def test_no_fork_while_another_thread_runs():
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert not parallel.can_fork()
    finally:
        stop.set()
        thread.join()


def test_parsing_in_two_processes_gives_what_parsing_in_one_gives(tmp_path, monkeypatch):
    from deckwright.incremental import per_file as parse_module

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1750000000")
    for name in ("a", "b", "c"):
        (tmp_path / name / "cards").mkdir(parents=True)
        for number in range(3):
            text = f"deck: D{number}\ncards:\n  - id: p{number}\n    front: f\n    back: b\n"
            text += f"  - id: c{number}\n    cloze: '{{{{c1::x}}}} and {{{{c2::x}}}}'\n"
            (tmp_path / name / "cards" / f"t{number}.yaml").write_text(text)
    serial = build(tmp_path / "a")
    assert any("reads almost like" in str(warning) for warning in serial.warnings)
    forks = []
    fork = os.fork
    monkeypatch.setattr(parallel.os, "fork", lambda: forks.append(1) or fork())
    monkeypatch.setattr(parse_module, "PARALLEL_BYTES", 0)
    shared = build(tmp_path / "b")
    assert forks
    again = build(tmp_path / "b")  # served from the entries both processes kept
    assert len(forks) == 1
    for result in (shared, again):
        assert result.cards == serial.cards
        assert result.warnings == serial.warnings
        assert (tmp_path / "b" / result.output).read_bytes() == (
            tmp_path / "a" / serial.output
        ).read_bytes()


def test_a_failed_parsing_process_is_redone_in_the_build(tmp_path, monkeypatch):
    from deckwright.incremental import per_file as parse_module

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1750000000")
    for name in ("a", "b"):
        (tmp_path / name / "cards").mkdir(parents=True)
        for number in range(3):
            text = (
                f"deck: D{number}\ncards:\n  - id: p{number}\n    front: f{number}\n    back: b\n"
            )
            (tmp_path / name / "cards" / f"t{number}.yaml").write_text(text)
    serial = build(tmp_path / "a")
    monkeypatch.setattr(parse_module, "PARALLEL_BYTES", 0)
    parent, encode = os.getpid(), parse_module.encode

    def fail_in_child(*args):
        if os.getpid() != parent:
            raise MemoryError  # the child sends nothing
        return encode(*args)

    monkeypatch.setattr(parse_module, "encode", fail_in_child)
    parsed = []
    parse = parse_module._parse
    monkeypatch.setattr(
        parse_module,
        "_parse",
        lambda path, root, markup: parsed.append(path) or parse(path, root, markup),
    )
    again = build(tmp_path / "b")
    assert len(parsed) == 3  # the child's files too, here
    assert again.cards == serial.cards
    assert (tmp_path / "b" / again.output).read_bytes() == (
        tmp_path / "a" / serial.output
    ).read_bytes()


def test_a_card_file_with_unsafe_html_fails_alike_in_one_process_or_two(tmp_path, monkeypatch):
    from deckwright.incremental import per_file as parse_module

    for name in ("a", "b"):
        (tmp_path / name / "cards").mkdir(parents=True)
        for number in range(3):
            front = "<script>alert(1)</script>" if number == 2 else f"f{number}"
            text = f"deck: D\ncards:\n  - id: p{number}\n    front: '{front}'\n    back: b\n"
            (tmp_path / name / "cards" / f"t{number}.yaml").write_text(text)
    with pytest.raises(BuildFailed) as serial:
        build(tmp_path / "a")
    monkeypatch.setattr(parse_module, "PARALLEL_BYTES", 0)
    with pytest.raises(BuildFailed) as shared:
        build(tmp_path / "b")
    assert [str(p) for p in shared.value.problems] == [str(p) for p in serial.value.problems]
    assert any("<script>" in str(p) for p in serial.value.problems)
