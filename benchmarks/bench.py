"""deckwright against raw genanki on 50 files x 1,000 notes, timed as whole processes.

Usage (from the repository, with deckwright installed in the running Python):

    python benchmarks/bench.py [--rounds 5] [--keep DIR]
    nice python benchmarks/bench.py --matrix [--quick] [--rounds 3]    (matrix.py: nine shapes)

Each round runs, one after the other: (a) raw genanki writing the same notes, (b) a cold
`build-deck` (no cache, no lock file, no dist/), (c) a warm rebuild after appending one card to
one file, (d) the shipped example deck and (e) `python -c "import genanki, yaml, typer"`.
Rounds alternate the commands so a busy machine slows all of them alike; medians are reported.
Every process gets its own empty TMPDIR, checked afterwards for files left behind.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

from corpus import FILES, file_yaml  # noqa: E402

PYTHON = sys.executable
BUILD_DECK = [PYTHON, "-c", "from deckwright.cli.main import main; main()"]


def run(command: list[str], cwd: Path, scratch: Path) -> tuple[float, int, list[str]]:
    """Wall time (s), peak RSS (KiB) and files left in its temp folder, for one process."""
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir()
    env = {**os.environ, "TMPDIR": str(scratch)}
    # stderr goes to a file, not a pipe: a build's warnings (the corpus has no sources, so
    # tens of thousands) would fill a pipe nobody reads until the process ends, and hang it.
    with tempfile.TemporaryFile() as errors:
        start = time.perf_counter()
        process = subprocess.Popen(
            command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=errors
        )
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - start
        if os.waitstatus_to_exitcode(status) != 0:
            errors.seek(0)
            raise SystemExit(f"{command} failed:\n{errors.read().decode()[-5000:]}")
    return elapsed, usage.ru_maxrss, sorted(os.listdir(scratch))


def stray_files(project: Path) -> list[str]:
    """Temporary files a build left in the project (atomic writes, scratch collections)."""
    return sorted(
        str(path.relative_to(project))
        for path in project.rglob("*")
        if path.name.endswith((".tmp", ".anki2")) or path.name.startswith("tmp")
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="build in this folder and keep it")
    parser.add_argument("--matrix", action="store_true", help="every shape of shapes.py, one table")
    parser.add_argument("--quick", action="store_true", help="the matrix at a tenth of the size")
    parser.add_argument("--shape", action="append", help="only this shape of the matrix")
    args = parser.parse_args()
    if args.rounds < 3 and not args.quick:
        parser.error("use at least 3 rounds")

    # Installed from a wheel, deckwright would come with its bytecode, as genanki, PyYAML and
    # typer do; an editable install (`pip install -e .`) has none, and a shell that sets
    # PYTHONDONTWRITEBYTECODE would recompile it on every run. Compile it once, as pip does.
    import deckwright

    subprocess.run([PYTHON, "-m", "compileall", "-q", str(Path(deckwright.__file__).parent)])
    if args.matrix:
        import matrix

        matrix.main(args.quick, args.rounds, args.shape)
        return
    work = args.keep or Path(tempfile.mkdtemp(prefix="deckwright-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    project, shipped, scratch = work / "corpus", work / "shipped", work / "tmp"
    shutil.rmtree(project, ignore_errors=True)
    (project / "cards").mkdir(parents=True)
    sources = [file_yaml(number) for number in range(FILES)]
    for number, text in enumerate(sources):
        (project / "cards" / f"topic-{number:02d}.yaml").write_text(text, encoding="utf-8")
    shutil.rmtree(shipped, ignore_errors=True)
    for folder in ("cards", "sources", "media"):  # what the shipped deck is built from
        if (REPO / folder).is_dir():
            shutil.copytree(REPO / folder, shipped / folder)
    if (REPO / "deckwright.lock").exists():
        shutil.copy(REPO / "deckwright.lock", shipped)
    raw_apkg = work / "raw.apkg"
    edited = project / "cards" / "topic-00.yaml"

    times: dict[str, list[float]] = {k: [] for k in ("raw", "cold", "warm", "shipped", "imports")}
    rss: dict[str, list[int]] = {"raw": [], "cold": []}
    left: dict[str, set[str]] = {k: set() for k in times}
    for round_number in range(args.rounds):
        # (a) the baseline
        elapsed, peak, stray = run(
            [PYTHON, str(HERE / "raw_genanki.py"), str(raw_apkg)], HERE, scratch
        )
        times["raw"].append(elapsed)
        rss["raw"].append(peak)
        left["raw"].update(stray)
        # (b) cold: nothing from earlier builds, and the corpus as generated
        for leftover in (".deckwright-cache", "dist", "deckwright.lock"):
            path = project / leftover
            shutil.rmtree(path) if path.is_dir() else path.unlink(missing_ok=True)
        edited.write_text(sources[0], encoding="utf-8")
        elapsed, peak, stray = run(BUILD_DECK, project, scratch)
        times["cold"].append(elapsed)
        rss["cold"].append(peak)
        left["cold"].update(stray)
        # (c) warm: one more card in one file, everything else as the cold build left it
        with edited.open("a", encoding="utf-8") as stream:
            stream.write(f"  - id: added-{round_number}\n    front: added {round_number}\n")
            stream.write("    back: one more card\n")
        elapsed, _, stray = run(BUILD_DECK, project, scratch)
        times["warm"].append(elapsed)
        left["warm"].update(stray)
        # (d) the shipped deck, fresh (no cache), against the bare imports
        shutil.rmtree(shipped / ".deckwright-cache", ignore_errors=True)
        elapsed, _, stray = run(BUILD_DECK, shipped, scratch)
        times["shipped"].append(elapsed)
        left["shipped"].update(stray)
        elapsed, _, _ = run([PYTHON, "-c", "import genanki, yaml, typer"], HERE, scratch)
        times["imports"].append(elapsed)
        print(
            f"round {round_number + 1}: "
            + ", ".join(f"{name} {values[-1]:.2f} s" for name, values in times.items()),
            flush=True,
        )

    median = {name: statistics.median(values) for name, values in times.items()}
    built = next((project / "dist").glob("*.apkg"))
    ratio_rows = [
        ("cold build / raw genanki", median["cold"] / median["raw"], 1.0),
        ("warm rebuild / raw genanki", median["warm"] / median["raw"], 0.6),
        ("shipped deck / bare imports", median["shipped"] / median["imports"], 1.5),
        (".apkg size / genanki's", built.stat().st_size / raw_apkg.stat().st_size, 0.25),
        (
            "peak RSS cold / raw genanki",
            statistics.median(rss["cold"]) / statistics.median(rss["raw"]),
            1.5,
        ),
    ]
    print(
        f"\nmedians of {args.rounds} rounds (s): "
        + ", ".join(f"{k} {v:.3f}" for k, v in median.items())
    )
    print(
        f"sizes: raw genanki {raw_apkg.stat().st_size / 1e6:.1f} MB, deckwright"
        f" {built.stat().st_size / 1e6:.2f} MB; peak RSS: raw genanki"
        f" {statistics.median(rss['raw']) / 1024:.0f} MiB, cold build"
        f" {statistics.median(rss['cold']) / 1024:.0f} MiB"
    )
    for label, value, target in ratio_rows:
        verdict = "ok" if value <= target else "MISSED"
        print(f"{label:30s} {value:5.2f}x  (target <= {target}x) {verdict}")
    ours = {name: sorted(left[name]) for name in ("cold", "warm", "shipped")}
    strays = stray_files(project) + stray_files(shipped)
    print(f"temp files left by raw genanki: {len(left['raw'])} (one per run)")
    count = sum(map(len, ours.values())) + len(strays)
    print(f"temp files left by deckwright: {count} {ours} {strays}")
    if not args.keep:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
