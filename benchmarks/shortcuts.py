"""What each speed shortcut still saves: the build with and without it, in the same run.

Usage (from the repository, with deckwright's dependencies installed in the running Python):

    python benchmarks/shortcuts.py [--rounds 7]

Every variant is a copy of src/ with one shortcut taken out (a text patch below; a patch that
no longer applies stops the script and names itself). Rounds alternate the variants so a busy
machine slows all of them alike. Each variant builds the benchmark corpus cold (no cache, no
lock), rebuilds it warm after one added card, and builds the shipped deck. Printed: medians of
wall time and of CPU time (user + system of the build and the processes it waited for), which a
shared machine disturbs far less than wall time. A shortcut is kept when taking it out costs 5%
or more of one of the three (see README, "Speed shortcuts").
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

# variant -> [(file under src/deckwright, text, replacement)]
VARIANTS: dict[str, list[tuple[str, str, str]]] = {
    "as it is": [],
    "no plain_yaml reader": [
        ("read/yaml_reader.py", "    plain = parse_plain(text, rel)\n", "    plain = None\n")
    ],
    "no _simple_card": [
        ("model/validate.py", "simple = _simple_card(raw, deck, defaults)\n", "simple = None\n")
    ],
    "typer for every build": [
        ("cli/main.py", '    if sys.argv[1:] not in ([], ["build"]):\n', "    if True:\n")
    ],
    "click's echo": [
        (
            "cli/console.py",
            '    stream = sys.stderr if err else sys.stdout\n    if "typer" in sys.modules',
            "    stream = sys.stderr if err else sys.stdout\n    if True",
        )
    ],
    "no cycle-collector pause": [("build.py", "        gc.disable()\n", "        pass\n")],
    "markdown-it for every table": [
        ("coverage/tables.py", "    tables = _plain_tables(body)\n", "    tables = None\n")
    ],
}
STEPS = ("cold", "warm", "shipped")


def variant_source(name: str, scratch: Path) -> Path:
    source = scratch / "variants" / name.replace(" ", "-").replace("'", "")
    shutil.copytree(
        REPO / "src", source, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info")
    )
    for file, text, replacement in VARIANTS[name]:
        path = source / "deckwright" / file
        code = path.read_text(encoding="utf-8")
        if text not in code:
            raise SystemExit(f"variant {name!r}: {file} no longer has {text!r}: update the patch")
        path.write_text(code.replace(text, replacement, 1), encoding="utf-8")
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(source)], check=True)
    return source


def run(source: Path, project: Path) -> tuple[float, float]:
    """Wall and CPU seconds of one `build-deck` in `project` with deckwright from `source`."""
    environment = {**os.environ, "PYTHONPATH": str(source)}
    start = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-c", "from deckwright.cli.main import main; main()"],
        cwd=project,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    _, status, usage = os.wait4(process.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"the build failed in {project}")
    return time.perf_counter() - start, usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="deckwright-shortcuts-"))
    sources = {name: variant_source(name, scratch) for name in VARIANTS}
    corpus = [file_yaml(number) for number in range(FILES)]
    seen = {name: {step: [] for step in STEPS} for name in VARIANTS}
    for round_number in range(args.rounds):
        for name, source in sources.items():
            project = scratch / "corpus"
            shutil.rmtree(project, ignore_errors=True)
            (project / "cards").mkdir(parents=True)
            for number, text in enumerate(corpus):
                (project / "cards" / f"topic-{number:02d}.yaml").write_text(text)
            seen[name]["cold"].append(run(source, project))
            with (project / "cards" / "topic-00.yaml").open("a", encoding="utf-8") as stream:
                stream.write(f"  - id: added\n    front: added {round_number}\n    back: one\n")
            seen[name]["warm"].append(run(source, project))
            shipped = scratch / "shipped"
            shutil.rmtree(shipped, ignore_errors=True)
            for folder in ("cards", "sources", "media"):
                if (REPO / folder).is_dir():
                    shutil.copytree(REPO / folder, shipped / folder)
            if (REPO / "deckwright.lock").exists():
                shutil.copy(REPO / "deckwright.lock", shipped)
            seen[name]["shipped"].append(run(source, shipped))
        print(f"round {round_number + 1} of {args.rounds} done", file=sys.stderr, flush=True)
    shutil.rmtree(scratch, ignore_errors=True)

    def median(name: str, step: str, which: int) -> float:
        return statistics.median(pair[which] for pair in seen[name][step])

    print(f"medians of {args.rounds} rounds; in brackets: against the code as it is")
    print(f"{'variant':26}" + "".join(f"{step + ' wall / CPU':>38}" for step in STEPS))
    for name in VARIANTS:
        cells = []
        for step in STEPS:
            wall, cpu = median(name, step, 0), median(name, step, 1)
            base_wall, base_cpu = median("as it is", step, 0), median("as it is", step, 1)
            wall_change, cpu_change = wall / base_wall - 1, cpu / base_cpu - 1
            cells.append(f"{wall:.3f} s ({wall_change:+.1%}) / {cpu:.3f} s ({cpu_change:+.1%})")
        print(f"{name:26}" + "".join(f"{cell:>38}" for cell in cells))


if __name__ == "__main__":
    main()
