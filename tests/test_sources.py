"""`build-deck sources`, and `check` on plain-text documents and files it cannot read."""

import json

from typer.testing import CliRunner

from deckwright.cli.app import app
from tests.conftest import shared

CARDS = """\
deck: Cells
cards:
  - id: divisions
    front: How many divisions in mitosis and in meiosis?
    back: One; two
    covers: [cell-division#divisions]
"""
TEXT = "Mitosis vs meiosis\n\nFeature\tMitosis\tMeiosis\nDivisions\tOne\tTwo\n"
RUN_TOGETHER = (
    "Sensory Neuron Motor Neuron\n"
    "Carries signals to the brain Carries signals to muscles\n"
    "Cell body in a dorsal root ganglion Cell body in the ventral horn\n"
)


def run(project, *args):
    return CliRunner().invoke(app, [*args, str(project.root)])


def test_check_of_both_seeds_as_given_finds_eleven_uncovered_rows(project):
    for name in ("000_f2928286f003d2bd.txt", "002_af0eaac286187dea.txt"):
        copied = project.root / "sources" / name
        copied.parent.mkdir(exist_ok=True)
        copied.write_bytes(shared(f"seeds/{name}").read_bytes())
    project.write(
        {"cards/cells.yaml": CARDS.replace("    covers: [cell-division#divisions]\n", "")}
    )
    result = run(project, "check")
    assert result.exit_code == 1
    assert result.stdout.splitlines()[1] == "0/11 comparison rows covered"
    assert result.stdout.count("\nuncovered: sources/") == 11
    assert result.stderr.endswith(
        "11 comparison rows are not covered by any card: add `covers:` to a card or paste the"
        " suggested card\n"
    )


def test_check_fails_while_a_file_in_sources_is_unread_though_every_row_is_covered(project):
    project.write(
        {
            "sources/cell-division.txt": TEXT,
            "sources/slides.pptx": b"PK",
            "cards/cells.yaml": CARDS,
        }
    )
    result = run(project, "check")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "1 note (1 pair) -> 1 card in 1 deck",
        "1/1 comparison rows covered; 1 file in sources/ not read (see warnings)",
    ]
    assert result.stderr.splitlines()[-1] == (
        "coverage is not complete: not read: sources/slides.pptx; make each a .txt, .md or .html"
        " document (see the warnings above) or move it out of sources/"
    )
    assert "warning: sources/slides.pptx: this document is not read" in result.stderr
    report = json.loads(run(project, "check", "--format", "json").stdout)
    assert (report["ok"], report["covered"], report["unread"]) == (
        False,
        1,
        ["sources/slides.pptx"],
    )
    (project.root / "sources/slides.pptx").unlink()
    assert run(project, "check").exit_code == 0


def test_verbose_check_lists_each_document_and_its_rows(project):
    project.write(
        {
            "sources/cell-division.txt": TEXT,
            "sources/neurons.txt": RUN_TOGETHER,
            "cards/cells.yaml": CARDS,
        }
    )
    result = CliRunner().invoke(app, ["check", "-v", str(project.root)])
    lines = result.stdout.splitlines()
    start = lines.index("read sources/cell-division.txt: 1 row")
    assert lines[start : start + 5] == [
        "read sources/cell-division.txt: 1 row",
        "  sources/cell-division.txt:4 cell-division#divisions",
        "read sources/neurons.txt: 2 rows",
        "  sources/neurons.txt:2 neurons#carries-signals-to-the-brain-carries (cells not split)",
        "  sources/neurons.txt:3 neurons#cell-body-in-a-dorsal-root (cells not split)",
    ]


def test_sources_lists_documents_tables_rows_and_what_is_uncertain(project):
    project.write(
        {
            "sources/cell-division.txt": TEXT,
            "sources/cell-division.txt.yaml": "title: Cell division\nsite: Notes\n",
            "sources/neurons.txt": RUN_TOGETHER,
        }
    )
    result = run(project, "sources")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "sources/cell-division.txt: 1 table, 1 row (Cell division — Notes)",
        "  table 1: (feature) | Mitosis | Meiosis",
        "    sources/cell-division.txt:4 cell-division#divisions",
        "      Divisions | One | Two",
        "sources/neurons.txt: 1 table, 2 rows (sources/neurons.txt)",
        "  table 1: Sensory Neuron | Motor Neuron",
        "    sources/neurons.txt:2 neurons#carries-signals-to-the-brain-carries  [cells not split]",
        "      Carries signals to the brain Carries signals to muscles",
        "    sources/neurons.txt:3 neurons#cell-body-in-a-dorsal-root  [cells not split]",
        "      Cell body in a dorsal root ganglion Cell body in the ventral horn",
    ]


def test_sources_json_gives_the_same_and_exits_1_with_an_unread_file(project):
    project.write({"sources/neurons.txt": RUN_TOGETHER, "sources/slides.pptx": b"PK"})
    result = run(project, "sources", "--format", "json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["unread"] == ["sources/slides.pptx"]
    assert report["errors"] == []
    assert [w["file"] for w in report["warnings"]] == ["sources/slides.pptx"]
    (document,) = report["documents"]
    assert document["file"] == "sources/neurons.txt"
    (table,) = document["tables"]
    assert table["header"] == ["Sensory Neuron", "Motor Neuron"]
    assert table["rows"][0] == {
        "name": "neurons#carries-signals-to-the-brain-carries",
        "line": 2,
        "feature": "",
        "cells": ["Carries signals to the brain Carries signals to muscles"],
        "split": False,
        "corrected": None,
    }


def test_sources_without_documents_says_what_to_add(project):
    (project.root / "sources").mkdir()
    result = run(project, "sources")
    assert (result.exit_code, result.stdout) == (
        0,
        "no documents in sources/: add the pages or handouts your cards come from\n",
    )


def test_sources_help_has_an_example():
    result = CliRunner().invoke(app, ["sources", "--help"])
    assert "Example: build-deck sources --format json" in result.stdout
