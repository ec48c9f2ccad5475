"""The JSON Schema and the loader agree: on every shipped example, and on what they reject."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest

from deckwright.cli.report import FORMAT_HELP
from deckwright.model.schema import card_file_schema, schema_text
from deckwright.model.validate import check_file
from deckwright.read.card_discovery import find_card_files
from deckwright.read.raw import Raw, RawList, RawMap
from deckwright.read.yaml_reader import load_card_file
from deckwright.scaffold import EXAMPLE_CARDS

REPO = Path(__file__).resolve().parents[1]
VALIDATOR = jsonschema.Draft7Validator(card_file_schema())

# YAML 1.2 core schema, as yaml-language-server reads a plain (unquoted) scalar.
_NULL = re.compile(r"~|null|Null|NULL|")
_BOOL = re.compile(r"true|True|TRUE|false|False|FALSE")
_INT = re.compile(r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+")
_FLOAT = re.compile(
    r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN)"
)


def as_editor_reads(raw: Raw) -> object:
    """The JSON value an editor's YAML 1.2 parser makes of the file (only types matter here)."""
    if isinstance(raw, RawMap):
        return {key.text: as_editor_reads(value) for key, value in raw.items}
    if isinstance(raw, RawList):
        return [as_editor_reads(item) for item in raw.items]
    if raw.quoted:
        return raw.text
    if _NULL.fullmatch(raw.text):
        return None
    if _BOOL.fullmatch(raw.text):
        return raw.text.lower() == "true"
    if _INT.fullmatch(raw.text):
        return 0
    if _FLOAT.fullmatch(raw.text):
        return 0.5
    return raw.text


def verdicts(project, text: str) -> tuple[list[str], list[str]]:
    """(the loader's problems, the schema's errors) for one card file."""
    path = project.root / "cards" / "a.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    raw, problems = load_card_file(path, project.root)
    assert raw is not None, problems  # every example here is YAML an editor can parse
    loader = [str(problem) for problem in problems + check_file(raw).problems]
    schema = [error.message for error in VALIDATOR.iter_errors(as_editor_reads(raw))]
    return loader, schema


def readme_examples() -> list[str]:
    blocks = re.findall(r"```yaml\n(.*?)```", (REPO / "README.md").read_text(), re.DOTALL)
    return [block for block in blocks if re.search(r"^cards:", block, re.MULTILINE)]


def help_example() -> str:
    block = FORMAT_HELP.split("\b\n", 1)[1].split("\n\n", 1)[0]
    return "\n".join(line[4:] for line in block.splitlines()) + "\n"


def test_committed_schema_is_the_generated_one():
    committed = (REPO / "schema" / "cards.schema.json").read_text(encoding="utf-8")
    assert committed == schema_text(), (
        "schema/cards.schema.json is out of date:"
        " run `build-deck schema > schema/cards.schema.json`"
    )


def test_schema_is_a_valid_draft_7_schema():
    jsonschema.Draft7Validator.check_schema(json.loads(schema_text()))


def test_readme_has_card_file_examples():
    assert len(readme_examples()) >= 2


@pytest.mark.parametrize("text", [*readme_examples(), help_example(), EXAMPLE_CARDS])
def test_documented_examples_pass_both_checks(project, text):
    assert verdicts(project, text) == ([], [])


@pytest.mark.parametrize("path", find_card_files(REPO).files, ids=lambda path: path.name)
def test_shipped_cards_pass_the_schema(path):
    raw, problems = load_card_file(path, REPO)
    assert problems == []
    assert [error.message for error in VALIDATOR.iter_errors(as_editor_reads(raw))] == []


def test_shipped_cards_exist():
    assert find_card_files(REPO).files


VALID = {
    "yaml 1.1 words stay text": "deck: D\ncards:\n  - front: no\n    back: 2023-12-08\n",
    "numbers are text": "deck: 2024\ncards:\n  - id: 12\n    front: 1e3\n    back: true\n",
    "yes is a flag": "deck: D\ncards:\n  - front: q\n    back: a\n    reverse: yes\n",
    "quoted flag": "deck: D\ncards:\n  - front: q\n    back: a\n    reverse: 'False'\n",
    "empty optional text": "deck: D\nsource:\ncards:\n  - cloze: '{{c1::a}}'\n    extra: ~\n",
    "one covered row": "deck: D\ncards:\n  - front: q\n    back: a\n    covers: doc#row\n",
    "tags of any scalar": "deck: D\ntags: [5, 'x::y']\ncards:\n  - {front: q, back: a, tags: []}\n",
    "no cards yet": "deck: D\ncards: []\n",
    "markdown file and html card": (
        "deck: D\nmarkup: markdown\ncards:\n  - {front: '**q**', back: a, markup: html}\n"
    ),
}

INVALID = {
    "unknown key": "deck: D\ncards:\n  - front: q\n    bakc: a\n",
    "unknown file key": "deck: D\ndek: E\ncards: []\n",
    "no back": "deck: D\ncards:\n  - front: q\n",
    "no front": "deck: D\ncards:\n  - back: a\n",
    "empty back": "deck: D\ncards:\n  - front: q\n    back: ''\n",
    "blank back": "deck: D\ncards:\n  - front: q\n    back: '   '\n",
    "null back": "deck: D\ncards:\n  - front: q\n    back: null\n",
    "missing back value": "deck: D\ncards:\n  - front: q\n    back:\n",
    "empty cloze": "deck: D\ncards:\n  - cloze: ''\n",
    "not a flag": "deck: D\ncards:\n  - front: q\n    back: a\n    reverse: sometimes\n",
    "number flag": "deck: D\ncards:\n  - front: q\n    back: a\n    reverse: 1\n",
    "front and cloze": "deck: D\ncards:\n  - front: q\n    cloze: '{{c1::a}}'\n",
    "reverse on cloze": "deck: D\ncards:\n  - cloze: '{{c1::a}}'\n    reverse: true\n",
    "empty card": "deck: D\ncards:\n  - {}\n",
    "card is text": "deck: D\ncards:\n  - just a sentence\n",
    "list as text": "deck: D\ncards:\n  - front: [a, b]\n    back: a\n",
    "mapping as text": "deck: D\ncards:\n  - front: q\n    back: {a: b}\n",
    "no deck": "cards:\n  - front: q\n    back: a\n",
    "empty deck": "deck: ''\ncards: []\n",
    "empty deck part": "deck: A::::B\ncards: []\n",
    "no cards": "deck: D\n",
    "cards not a list": "deck: D\ncards:\n  front: q\n  back: a\n",
    "tags not a list": "deck: D\ntags: bio\ncards: []\n",
    "tag with a space": "deck: D\ntags: [two words]\ncards: []\n",
    "empty tag": "deck: D\ncards:\n  - {front: q, back: a, tags: ['']}\n",
    "empty id": "deck: D\ncards:\n  - {id: ~, front: q, back: a}\n",
    "empty covered row": "deck: D\ncards:\n  - {front: q, back: a, covers: [~]}\n",
    "null covers": "deck: D\ncards:\n  - {front: q, back: a, covers: null}\n",
    "list as extra": "deck: D\ncards:\n  - {front: q, back: a, extra: [x]}\n",
    "file is a list": "- deck: D\n",
    "unknown markup": "deck: D\nmarkup: md\ncards: []\n",
    "unknown card markup": "deck: D\ncards:\n  - {front: q, back: a, markup: Markdown}\n",
    "empty markup": "deck: D\nmarkup:\ncards: []\n",
}


@pytest.mark.parametrize("text", VALID.values(), ids=VALID.keys())
def test_edge_cases_pass_both_checks(project, text):
    assert verdicts(project, text) == ([], [])


@pytest.mark.parametrize("text", INVALID.values(), ids=INVALID.keys())
def test_invalid_files_are_rejected_by_both(project, text):
    if text.startswith("- "):
        path = project.root / "cards" / "a.yaml"
        path.parent.mkdir(parents=True)
        path.write_text(text)
        raw, problems = load_card_file(path, project.root)
        assert raw is None and problems
        assert not VALIDATOR.is_valid([{"deck": "D"}])
        return
    loader, schema = verdicts(project, text)
    assert loader, "the loader accepted it"
    assert schema, "the schema accepted it"
