"""The benchmark matrix: every shape of shapes.py, deckwright against raw genanki, one table.

Usage (from the repository, with deckwright installed in the running Python):

    nice python benchmarks/bench.py --matrix [--quick] [--rounds 3]

For each shape and round, one after the other: raw genanki writing the same notes, a cold
`build-deck` (no cache, no lock, no dist/), and a warm one after one card's front is edited.
Medians of the rounds; peak RSS is the cold build's largest process against raw genanki's.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from shapes import SHAPES, shape_files

HERE = Path(__file__).resolve().parent
PYTHON = sys.executable
BUILD_DECK = [PYTHON, "-c", "from deckwright.cli.main import main; main()"]
TARGETS = {"cold": 1.0, "warm": 0.6, "rss": 1.5, "apkg": 0.25, "stderr": 40}


class Refused(Exception):
    """A command of the matrix failed; its first line of stderr says why."""


def run(command: list[str], cwd: Path, scratch: Path) -> tuple[float, int, int]:
    """Wall time (s), peak RSS (KiB) of the process and its children, and lines on stderr."""
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir()
    env = {**os.environ, "TMPDIR": str(scratch)}
    with tempfile.TemporaryFile() as errors:
        start = time.perf_counter()
        process = subprocess.Popen(
            command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=errors
        )
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - start
        errors.seek(0)
        text = errors.read().decode(errors="replace")
        if os.waitstatus_to_exitcode(status) != 0:
            raise Refused(text.splitlines()[0] if text else f"{command} failed")
    return elapsed, usage.ru_maxrss, len(text.splitlines())


def _write(project: Path, shape: str, quick: bool) -> tuple[Path, str, str]:
    """The shape's card files; returns the file to edit, its text and the text edited."""
    shutil.rmtree(project, ignore_errors=True)
    files = shape_files(shape, quick)
    for file in files:
        path = project / "cards" / file.path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(file.yaml_text().encode())
    first = files[0]
    text = first.yaml_text()
    front = next(note.front for note in first.notes if note.front)
    return project / "cards" / first.path, text, text.replace(front, front + " (edited)", 1)


def measure(shape: str, quick: bool, rounds: int, work: Path) -> dict[str, float]:
    project, scratch, raw = work / "project", work / "tmp", work / "raw.apkg"
    edited, text, changed = _write(project, shape, quick)
    raw_command = [PYTHON, str(HERE / "raw_genanki.py"), str(raw), shape]
    raw_command += ["--quick"] if quick else []
    found: dict[str, list[float]] = {k: [] for k in ("raw", "cold", "warm", "raw_rss", "rss")}
    lines = 0
    for _ in range(rounds):
        elapsed, peak, _ = run(raw_command, HERE, scratch)
        found["raw"].append(elapsed)
        found["raw_rss"].append(peak)
        for leftover in (".deckwright-cache", "dist", "deckwright.lock"):
            path = project / leftover
            shutil.rmtree(path) if path.is_dir() else path.unlink(missing_ok=True)
        edited.write_bytes(text.encode())
        elapsed, peak, cold_lines = run(BUILD_DECK, project, scratch)
        found["cold"].append(elapsed)
        found["rss"].append(peak)
        edited.write_bytes(changed.encode())
        elapsed, _, warm_lines = run(BUILD_DECK, project, scratch)
        found["warm"].append(elapsed)
        lines = max(lines, cold_lines, warm_lines)
    median = {name: statistics.median(values) for name, values in found.items()}
    built = next((project / "dist").glob("*.apkg"))
    return {
        "notes": sum(len(file.notes) for file in shape_files(shape, quick)),
        "raw": median["raw"],
        "cold": median["cold"] / median["raw"],
        "warm": median["warm"] / median["raw"],
        "rss": median["rss"] / median["raw_rss"],
        "apkg": built.stat().st_size / raw.stat().st_size,
        "stderr": lines,
    }


def main(quick: bool, rounds: int, only: list[str] | None = None) -> None:
    """Measure each shape and print its row of the table as soon as it is measured."""
    work = Path(tempfile.mkdtemp(prefix="deckwright-matrix-"))
    print(HEAD.format(quick="--quick, " if quick else "", rounds=rounds), flush=True)
    try:
        for shape in SHAPES:
            if only and shape.name not in only:
                continue
            try:
                print(row(shape.name, measure(shape.name, quick, rounds, work)), flush=True)
            except Refused as refused:
                print(f"| {shape.name} | | | refused: {refused} | | | | | all |", flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(
        "targets: cold <= 1.0x, warm <= 0.6x, peak RSS <= 1.5x, .apkg <= 0.25x, stderr <= 40",
        flush=True,
    )


HEAD = (
    "| shape ({quick}medians of {rounds}) | notes | raw genanki | cold | warm | peak RSS | .apkg"
    " | stderr lines | missed |\n|---|---|---|---|---|---|---|---|---|"
)


def row(name: str, found: dict[str, float]) -> str:
    """A shape's row: the ratios against raw genanki, and which targets it misses."""
    missed = [key for key, target in TARGETS.items() if found[key] > target]
    return (
        f"| {name} | {found['notes']:,.0f} | {found['raw']:.2f} s | {found['cold']:.2f}x"
        f" | {found['warm']:.2f}x | {found['rss']:.2f}x | {found['apkg']:.2f}x"
        f" | {found['stderr']:.0f} | {', '.join(missed) or 'none'} |"
    )
