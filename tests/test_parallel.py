import os
import threading

import pytest

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
