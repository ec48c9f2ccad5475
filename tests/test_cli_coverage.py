"""`build-deck check` and `build-deck build` on the coverage of sources/: output and exit codes."""

import json

from typer.testing import CliRunner

from deckwright.cli.app import app

DOCUMENT = """\
---
title: Motor neurons
site: Example
date: 2023-12-08
---
| Feature | Upper motor neuron | Lower motor neuron |
|---|---|---|
| Location | Brain and brainstem | Spinal cord |
"""
CARDS = """\
deck: Neuro
cards:
  - id: umn-location
    front: Where are upper motor neuron cell bodies?
    back: Brain and brainstem
    covers: [motor-neurons#location]
"""
NEW_ROW = "| Reflexes | Brisk | Reduced |\n"
SUGGESTION = [
    "  - id: motor-neurons-reflexes",
    "    cloze: 'Reflexes — Upper motor neuron: {{c1::Brisk}};"
    " Lower motor neuron: {{c2::Reduced}}'",
    "    covers: [motor-neurons#reflexes]",
]


def run(project, *args):
    return CliRunner().invoke(app, [*args, str(project.root)])


def write(project, document=DOCUMENT, cards=CARDS):
    project.write({"sources/motor-neurons.md": document, "cards/neuro.yaml": cards})


def test_check_passes_when_every_row_is_covered(project):
    write(project)
    result = run(project, "check")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "1 note (1 pair) -> 1 card in 1 deck",
        "1/1 comparison rows covered",
    ]


def test_adding_a_row_makes_check_fail_and_name_it(project):
    write(project, DOCUMENT + NEW_ROW)
    result = run(project, "check")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "1 note (1 pair) -> 1 card in 1 deck",
        "1/2 comparison rows covered",
        "",
        "uncovered: sources/motor-neurons.md:9 motor-neurons#reflexes",
        "  cells: Reflexes | Brisk | Reduced",
        "  suggested card, to paste under `cards:` in a card file:",
        *SUGGESTION,
    ]
    assert result.stderr == (
        "1 comparison row is not covered by any card: add `covers:` to a card or paste the"
        " suggested card\n"
    )
    assert not (project.root / "dist").exists()


def test_pasting_the_printed_card_makes_check_pass(project):
    write(project, DOCUMENT + NEW_ROW)
    printed = run(project, "check").stdout.splitlines()
    card = printed[printed.index("  suggested card, to paste under `cards:` in a card file:") + 1 :]
    write(project, DOCUMENT + NEW_ROW, CARDS + "\n".join(card) + "\n")
    result = run(project, "check")
    assert result.exit_code == 0, result.output
    assert "2/2 comparison rows covered" in result.stdout


def test_build_writes_the_deck_and_warns_about_uncovered_rows(project):
    write(project, DOCUMENT + NEW_ROW)
    result = run(project, "build")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[:4] == [
        "wrote dist/neuro.apkg (" + result.stdout.split("(", 1)[1].split(")", 1)[0] + "):"
        " 1 note (1 pair) -> 1 card in 1 deck",
        "1/2 comparison rows covered",
        "",
        "uncovered: sources/motor-neurons.md:9 motor-neurons#reflexes",
    ]
    assert result.stderr == (
        "warning: 1 comparison row is not covered by any card: add `covers:` to a card or paste"
        " the suggested card\n"
    )
    assert (project.root / "dist" / "neuro.apkg").is_file()


def test_strict_build_fails_on_uncovered_rows_and_writes_nothing(project):
    write(project, DOCUMENT + NEW_ROW)
    result = run(project, "build", "--strict")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "sources/motor-neurons.md:9: row `motor-neurons#reflexes` (Reflexes | Brisk | Reduced)"
        " is not covered by any card: add `covers: [motor-neurons#reflexes]` to the card that"
        " teaches it, or paste the card `build-deck check` suggests",
        "1 problem; nothing was written.",
    ]
    assert not (project.root / "dist").exists()


def test_strict_build_fails_on_warnings(project):
    write(project, cards=CARDS.replace("  - id: umn-location\n    front", "  - front"))
    assert run(project, "build").exit_code == 0
    (project.root / "dist" / "neuro.apkg").unlink()
    result = run(project, "build", "--strict")
    assert result.exit_code == 1
    assert result.stderr.startswith("cards/neuro.yaml:3: 1 card(s) have no `id` (lines 3)")
    assert not (project.root / "dist" / "neuro.apkg").exists()


def test_strict_build_passes_when_all_is_covered(project):
    write(project)
    result = run(project, "build", "--strict")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == "1/1 comparison rows covered"


def test_unknown_row_fails_check_at_its_line(project):
    write(project, cards=CARDS.replace("#location", "#locaton"))
    result = run(project, "check")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "cards/neuro.yaml:6:14: `motor-neurons#locaton` is not a row of its document"
        " (did you mean `motor-neurons#location`?)",
        "1 problem; nothing was written.",
    ]


def test_json_report_shape_when_a_row_is_uncovered(project):
    write(project, DOCUMENT + NEW_ROW)
    result = run(project, "check", "--format", "json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert list(report) == [
        *("ok", "covered", "total", "rows", "uncovered", "unread", "errors", "warnings")
    ]
    assert (report["ok"], report["covered"], report["total"]) == (False, 1, 2)
    assert report["uncovered"] == ["motor-neurons#reflexes"]
    assert report["errors"] == report["warnings"] == []
    covered, uncovered = report["rows"]
    assert covered == {
        "name": "motor-neurons#location",
        "file": "sources/motor-neurons.md",
        "line": 8,
        "feature": "Location",
        "header": ["Upper motor neuron", "Lower motor neuron"],
        "cells": ["Brain and brainstem", "Spinal cord"],
        "split": True,
        "corrected": None,
        "citation": "Motor neurons — Example, 2023-12-08",
        "covered_by": [{"id": "umn-location", "file": "cards/neuro.yaml", "line": 3}],
        "hints": [],
        "suggestion": None,
    }
    assert uncovered["covered_by"] == []
    assert uncovered["suggestion"].splitlines() == [line[2:] for line in SUGGESTION]


def test_json_report_passes_when_covered(project):
    write(project)
    result = run(project, "check", "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["ok"] is True


def test_json_report_lists_errors_with_file_and_line(project):
    write(project, cards=CARDS.replace("#location", "#locaton"))
    result = run(project, "check", "--format", "json")
    assert result.exit_code == 1
    assert json.loads(result.stdout) == {
        "ok": False,
        "covered": None,
        "total": None,
        "rows": [],
        "uncovered": [],
        "unread": [],
        "errors": [
            {
                "file": "cards/neuro.yaml",
                "line": 6,
                "column": 14,
                "message": "`motor-neurons#locaton` is not a row of its document"
                " (did you mean `motor-neurons#location`?)",
            }
        ],
        "warnings": [],
    }


def test_json_report_carries_warnings(project):
    write(project, cards=CARDS.replace("  - id: umn-location\n    front", "  - front"))
    report = json.loads(run(project, "check", "--format", "json").stdout)
    assert [(w["file"], w["line"]) for w in report["warnings"]] == [("cards/neuro.yaml", 3)]


def test_unknown_format_is_a_usage_error(project):
    write(project)
    assert run(project, "check", "--format", "xml").exit_code == 2


def test_check_without_documents_reports_zero_of_zero(project):
    project.write({"cards/neuro.yaml": CARDS.replace("    covers: [motor-neurons#location]\n", "")})
    result = run(project, "check")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == "0/0 comparison rows covered"


def test_bare_command_builds_in_the_current_folder(project, monkeypatch):
    write(project, DOCUMENT + NEW_ROW)
    monkeypatch.chdir(project.root)
    result = CliRunner().invoke(app, [])
    assert result.exit_code == 0, result.output
    assert "1/2 comparison rows covered" in result.stdout
    assert (project.root / "dist" / "neuro.apkg").is_file()
