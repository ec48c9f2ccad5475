"""Work shared with one forked process, so a large build keeps two cores busy.

Forked rather than spawned: the child starts with deckwright imported and the build's data in
memory, and sends back only what it made, through a pipe. What it sends are our own child's
pickled bytes, never a file's. A child that fails or dies leaves its work to the build.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import threading
from collections.abc import Callable
from typing import Any


def can_fork() -> bool:
    """A second process helps on two cores or more, and is safe to fork only while no other
    thread runs (a forked thread would be missing in the child, holding whatever it held)."""
    return hasattr(os, "fork") and (os.cpu_count() or 1) > 1 and threading.active_count() == 1


class Child:
    """`answer()` run in a forked process; its result is read back once with `result()`.

    `then()` runs in the child after it has answered, while the build goes on (e.g. writing
    the cache), and only if the build is still there: a killed build's child stops instead.
    """

    def __init__(self, pid: int, reader: int):
        self.pid, self.reader = pid, reader
        self.joined = False

    @classmethod
    def start(cls, answer: Callable[[], Any], then: Callable[[], None] = lambda: None) -> Child:
        reader, writer = os.pipe()
        parent = os.getpid()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - runs in the child, which leaves by os._exit
            status = 1
            try:
                os.close(reader)
                with os.fdopen(writer, "wb") as stream:
                    pickle.dump(answer(), stream, protocol=pickle.HIGHEST_PROTOCOL)
                if os.getppid() == parent:
                    then()
                status = 0
            finally:  # a closed pipe (the build was killed) or any failure ends here too
                os._exit(status)
        os.close(writer)
        return cls(pid, reader)

    def result(self) -> Any | None:
        """What `answer()` returned, or None when the child failed before it could say."""
        reader, self.reader = self.reader, None
        with os.fdopen(reader, "rb") as stream:
            try:
                return pickle.load(stream) if stream.peek(1) else None
            except Exception:  # cut off mid-answer: a partial pickle fails in many ways
                return None

    def cancel(self) -> None:
        """Stop the child now, its answer unread and its `then` undone."""
        if self.reader is not None:
            os.close(self.reader)
            self.reader = None
        if not self.joined:
            self.joined = True
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)

    def join(self) -> None:
        """Wait for the child to finish; an answer not read by now is dropped (the pipe closes
        and the child stops)."""
        if self.reader is not None:
            os.close(self.reader)
            self.reader = None
        if not self.joined:
            self.joined = True
            os.waitpid(self.pid, 0)
