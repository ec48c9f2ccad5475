"""The limits every card file keeps: hostile sizes and nesting refused fast, in bounded memory."""

from __future__ import annotations

import time

import pytest

from tests import faults

# ---- Resource abuse -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def baseline_kib(tmp_path_factory) -> int:
    """Peak memory of a build of one small file: what the limits below are measured against."""
    root = tmp_path_factory.mktemp("baseline")
    faults.write(root, {"cards/good.yaml": faults.GOOD})
    done, _, peak = faults.run_build(root)
    assert done.returncode == 0, done.stderr
    return peak


def alias_bomb() -> str:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in "bcdefghi":
        previous = chr(ord(level) - 1)
        lines.append(f"{level}: &{level} [" + ",".join([f"*{previous}"] * 9) + "]")
    return "\n".join(lines) + "\n"


DEPTH = "lists and mappings nested more than 50 deep: card files never need this, flatten the"
DEPTH += " structure (or quote text that starts with `[` or `{`)"
RESOURCE = {
    "4000 nested brackets on one line": (
        lambda: "deck: D\ncards: " + "[" * 4000 + "]" * 4000 + "\n",
        f"cards/bad.yaml:2:57: {DEPTH}",
    ),
    "100k nested brackets, one per line": (
        lambda: "deck: D\ncards:\n" + " [\n" * 100_000 + " ]\n" * 100_000,
        f"cards/bad.yaml:52:2: {DEPTH}",
    ),
    "nested braces written as cloze-like pairs": (
        lambda: "deck: D\ncards:\n" + " {{\n" * 20_000 + " }: 1}\n" * 20_000,
        f"cards/bad.yaml:27:3: {DEPTH}",
    ),
    "closing brackets hidden in quotes": (
        lambda: "deck: D\ncards:\n" + ' ["]",\n' * 40_000 + " ]\n" * 40_000,
        f"cards/bad.yaml:52:2: {DEPTH}",
    ),
    "nested block lists": (
        lambda: "deck: D\ncards:\n" + "  " + "- " * 4000 + "x\n",
        f"cards/bad.yaml:3:101: {DEPTH}",
    ),
    "too many values": (
        lambda: "deck: D\ncards:\n" + ("  - [" + ",".join(["x"] * 3000) + "]\n") * 40,
        "cards/bad.yaml:36:1928: file has more than 100000 values (keys, texts and lists):"
        " split it into several card files",
    ),
    "50 MB file": (
        lambda: "deck: D\ncards:\n" + "  - front: q\n    back: a\n" * 2_000_000,
        "cards/bad.yaml: file is over the 16 MB limit for one card file: split it into several"
        " files",
    ),
    "2 MB of YAML beyond plain lines": (
        lambda: "deck: D\ncards:\n" + "  - {front: q, back: a}\n" * 90_000,
        "cards/bad.yaml: file is over the 1 MB limit for a card file that uses more of YAML than"
        " `key: text` lines, `[a, b]` lists and `|` or `>` blocks (quoted keys, anchors, flow"
        " mappings...) or has over 1,600,000 values: split it into files under 1 MB",
    ),
    "900 kB single line": (
        lambda: "deck: D\ncards: [" + "x," * 450_000 + "]\n",
        "cards/bad.yaml:2: line is 900009 characters long, over the 10000 limit: break it up"
        " (a `|` block keeps line breaks)",
    ),
}


@pytest.mark.parametrize(("make", "message"), RESOURCE.values(), ids=RESOURCE.keys())
def test_resource_abuse_is_refused_quickly_in_bounded_memory(built, baseline_kib, make, message):
    before = faults.state(built)
    faults.write(built, {"cards/bad.yaml": make()})
    done, seconds, peak = faults.run_build(built)
    assert done.returncode == 1, done.stderr
    assert done.stderr.splitlines() == [message, f"1 problem; {faults.NOTHING}"]
    assert "Traceback" not in done.stderr
    assert seconds < 10
    assert peak - baseline_kib < 20_000, f"peak {peak} KiB, baseline {baseline_kib} KiB"
    assert faults.state(built) == before


def test_alias_bomb_is_refused_once_per_anchor_without_expanding(built):
    before = faults.state(built)
    faults.write(built, {"cards/bad.yaml": alias_bomb()})
    start = time.monotonic()
    result = faults.invoke(built)
    assert time.monotonic() - start < 5
    alias = "anchors and aliases (`&name`, `*name`) are not supported: write the value out"
    assert result.output.splitlines() == [
        *(f"cards/bad.yaml:{line}:8: {alias}" for line in range(2, 10)),  # first use of each
        f"8 problems; {faults.NOTHING}",
    ]
    assert result.exit_code == 1
    assert faults.state(built) == before
