"""Helpers for broken and hostile input through the CLI: a located message, exit 1, nothing written.

Every case starts from a project whose deck is already built (the `built` fixture of
conftest.py), adds one bad file next to the good one, and checks the exact output and that dist/
and deckwright.lock keep their bytes.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from typer.testing import CliRunner

from deckwright.cli.app import app

GOOD = "deck: Good\ncards:\n  - id: ok\n    front: q\n    back: a\n"
NOTHING = "nothing was written."
ALLOWED = "allowed keys: id, front, back, reverse, cloze, extra, tags, covers, source, guid, markup"


def built_project(root: Path) -> Path:
    """A project whose good deck is built, so every failing case can prove dist/ is unchanged."""
    write(root, {"cards/good.yaml": GOOD})
    assert invoke(root).exit_code == 0
    return root


def write(root: Path, files: dict[str, str | bytes]) -> None:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            content = content.encode()
        path.write_bytes(content)


def invoke(root: Path, *command: str):
    """`build-deck COMMAND ROOT` through typer's runner; `build` when no command is given."""
    return CliRunner().invoke(app, [*(command or ["build"]), str(root)])


def state(root: Path) -> dict[str, bytes]:
    """Every byte the build may write: the deck folder and the lock."""
    files = [*(root / "dist").rglob("*"), root / "deckwright.lock"]
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in files if p.is_file()}


def fails(root: Path, files: dict[str, str | bytes], *expected: str) -> list[str]:
    """Build with `files` added; the output must be exactly `expected` and nothing may change."""
    before = state(root)
    write(root, files)
    result = invoke(root)
    assert result.exit_code == 1, result.output
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit)
    count = len(expected)
    summary = f"{count} problem{'s' if count != 1 else ''}; {NOTHING}"
    assert result.output.splitlines() == [*expected, summary]
    assert state(root) == before
    return result.output.splitlines()


def card_file(body: str) -> str:
    """A card file with one deck and the given cards, written as in the student's editor."""
    return "deck: D\ncards:\n" + textwrap.indent(textwrap.dedent(body), "  ")


def run_build(
    root: Path, timeout: float = 60
) -> tuple[subprocess.CompletedProcess[str], float, int]:
    """build-deck in a child process, so a crash cannot take pytest down: result, seconds, peak KiB.

    The child is wrapped so RUSAGE_CHILDREN sees only it, not the other children of pytest.
    """
    wrapper = (
        "import resource, subprocess, sys\n"
        "done = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
        "sys.stdout.write(done.stdout)\n"
        "sys.stderr.write(done.stderr)\n"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr)\n"
        "sys.exit(done.returncode)\n"
    )
    main = "from deckwright.cli.main import main; main()"
    child = [sys.executable, "-c", main, "build", str(root)]
    command = [sys.executable, "-c", wrapper, *child]
    start = time.monotonic()
    done = subprocess.run(
        command, capture_output=True, text=True, timeout=timeout, env={**os.environ}
    )
    elapsed = time.monotonic() - start
    *lines, peak = done.stderr.splitlines()
    done.stderr = "\n".join(lines) + "\n"
    return done, elapsed, int(peak)
