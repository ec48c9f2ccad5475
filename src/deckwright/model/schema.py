"""The JSON Schema of card files, generated from card_format.py's key table so the two cannot drift.

Editors (VS Code, Neovim, JetBrains, through yaml-language-server or their own YAML support) read
a card file as YAML 1.2: `no` and `2023-12-08` are text, `true` is a boolean, `1e3` a number, `~`
and `null` nothing. The schema accepts what `build-deck` accepts under that reading, so a file the
editor marks clean has no structural problem. Content checks (cloze syntax, unsafe HTML, duplicate
ids, media files) need the whole project and stay with `build-deck check`.
"""

from __future__ import annotations

import json
from typing import Any

from deckwright.model.card_format import (
    CARD_FORMAT,
    CARDS,
    COVERS,
    FALSE_WORDS,
    FILE_FORMAT,
    FLAG,
    MARKUP,
    MARKUPS,
    TAGS,
    TRUE_WORDS,
    Key,
)
from deckwright.project import SCHEMA

SCHEMA_PATH = SCHEMA  # the copy in a project, relative to its root
SCHEMA_LINE = "# yaml-language-server: $schema=../schema/cards.schema.json"  # for cards/*.yaml

_SCALAR = ["string", "number", "boolean"]  # all read as text by deckwright
_NOT_BLANK = r"\S"
# `A::::B` and `::A` name a deck with an empty part, which Anki cannot show.
_EMPTY_DECK_PART = r"(^|::)\s*(::|$)"
_KIND_TITLES = {"pair": "front/back card", "cloze": "cloze card"}


def _any_case(word: str) -> str:
    return "".join(f"[{c.upper()}{c.lower()}]" if c.isalpha() else c for c in word)


def _value(key: Key) -> dict[str, Any]:
    if key.type == FLAG:
        words = "|".join(_any_case(word) for word in TRUE_WORDS + FALSE_WORDS)
        return {"type": ["boolean", "string"], "pattern": f"^(?:{words})$"}
    if key.type == TAGS:
        return {"type": "array", "items": {"type": _SCALAR, "pattern": r"^\s*\S+\s*$"}}
    if key.type == COVERS:
        row = {"type": _SCALAR, "pattern": _NOT_BLANK}
        return {"anyOf": [row, {"type": "array", "items": row}]}
    if key.type == MARKUP:
        return {"enum": list(MARKUPS)}
    if key.type == CARDS:
        return {"type": "array", "items": {"$ref": "#/definitions/card"}}
    if not key.filled:
        return {"type": [*_SCALAR, "null"]}
    text: dict[str, Any] = {"type": _SCALAR, "pattern": _NOT_BLANK}
    if key.name == "deck":
        text["not"] = {"type": "string", "pattern": _EMPTY_DECK_PART}
    return text


def _properties(keys: tuple[Key, ...]) -> dict[str, Any]:
    return {key.name: {"description": key.about, **_value(key)} for key in keys}


def _card_kinds() -> list[dict[str, Any]]:
    """One branch per kind of card: its required keys present, the other kinds' keys absent."""
    branches = []
    for kind, title in _KIND_TITLES.items():
        required = [key.name for key in CARD_FORMAT if key.kind == kind and key.required]
        foreign = [{"required": [key.name]} for key in CARD_FORMAT if key.kind not in ("", kind)]
        branches.append({"title": title, "required": required, "not": {"anyOf": foreign}})
    return branches


def card_file_schema() -> dict[str, Any]:
    """The schema as a JSON-ready dict (draft-07: what every editor's YAML support reads)."""
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": "deckwright card file",
        "description": "One file of cards for `build-deck`: a deck name and a list of cards.",
        "type": "object",
        "required": [key.name for key in FILE_FORMAT if key.required],
        "additionalProperties": False,
        "properties": _properties(FILE_FORMAT),
        "definitions": {
            "card": {
                "description": "A card: `front` and `back` (optionally `reverse`), or `cloze`.",
                "type": "object",
                "additionalProperties": False,
                "properties": _properties(CARD_FORMAT),
                "oneOf": _card_kinds(),
            }
        },
    }


def schema_text() -> str:
    """The schema as `build-deck schema` prints it and schema/cards.schema.json stores it."""
    return json.dumps(card_file_schema(), indent=2, ensure_ascii=False) + "\n"
