"""Anki's own note types, kept as they are for the notes `build-deck import` brings in.

Anki updates a note on import only if the incoming note has the note type the collection's note
has (same id, same fields and templates); otherwise it adds nothing and updates nothing. So a
card file with `note_type: Basic` is built as notes of note-types/Basic.json, the note type as the
collection that made the deck stores it (id, fields, templates, CSS, modification time), and
importing the deck back updates those very notes. The stock note types map onto our card keys.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from pathlib import Path

from deckwright.errors import Location, Problem
from deckwright.model.cards import Card
from deckwright.package.identity import content_hash
from deckwright.package.notes import CLOZE_ID, NoteRow, note_hash
from deckwright.project import NOTE_TYPES

NOTE_TYPES_DIR = NOTE_TYPES
# Where each field of a stock note type takes its text from in our notes' fields:
# a pair's (front, back, extra, source, reverse) and a cloze's (text, extra, source).
PAIR_SOURCES = {"Front": 0, "Back": 1, "Add Reverse": 4}
CLOZE_SOURCES = {"Text": 0, "Back Extra": 1}


def kind_of(spec: dict) -> str | None:
    """Which stock note type it is, by its shape: pair, reversed, optional or cloze; else None."""
    names = [entry.get("name") for entry in spec.get("flds", [])]
    templates = len(spec.get("tmpls", []))
    if spec.get("type") == 1:
        return "cloze" if names == ["Text", "Back Extra"] else None
    if names == ["Front", "Back"]:
        return {1: "pair", 2: "reversed"}.get(templates)
    if names == ["Front", "Back", "Add Reverse"] and templates == 2:
        return "optional"
    return None


def version(spec: dict) -> str:
    """The note type's content, for the lock: its time moves only when this changes."""
    kept = {key: value for key, value in spec.items() if key not in ("mod", "usn", "did")}
    return content_hash(json.dumps(kept, sort_keys=True, ensure_ascii=False))


def key_of(spec: dict) -> str:
    return f"note type {spec['id']}"


@dataclass
class Used:
    """The note types the cards use: by id for the package, with their versions for the lock."""

    specs: dict[int, dict] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def versions(self) -> list[tuple[str, str]]:
        return [(key_of(spec), version(spec)) for spec in self.specs.values()]


def read_any_spec(root: Path, name: str) -> dict | str:
    """note-types/<name>.json, any note type Anki stores, or what is wrong with it."""
    path = root / NOTE_TYPES_DIR / f"{name}.json"
    try:
        spec = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return f"there is no {NOTE_TYPES_DIR}/{name}.json"
    except (OSError, ValueError) as error:
        return f"{NOTE_TYPES_DIR}/{name}.json cannot be read ({error})"
    if not (
        isinstance(spec, dict)
        and type(spec.get("id")) is int
        and all(isinstance(entry.get("name"), str) for entry in spec.get("flds", [None]))
        and isinstance(spec.get("tmpls"), list)
    ):
        return f"{NOTE_TYPES_DIR}/{name}.json is not a note type as Anki stores it"
    return spec


def specs_by_id(root: Path) -> dict[int, dict]:
    """Every note type kept in note-types/, by its id."""
    folder = root / NOTE_TYPES_DIR
    found = (read_any_spec(root, path.stem) for path in sorted(folder.glob("*.json")))
    return {spec["id"]: spec for spec in found if isinstance(spec, dict)}


def read_spec(root: Path, name: str) -> dict | str:
    """note-types/<name>.json, one of Anki's stock note types, or what is wrong with it."""
    spec = read_any_spec(root, name)
    if isinstance(spec, str):
        return spec
    if kind_of(spec) is None:
        return (
            f"{NOTE_TYPES_DIR}/{name}.json is not one of Anki's stock note types (Basic, the"
            " reversed ones, type in the answer, Cloze)"
        )
    return spec


def apply(root: Path, cards: list[Card], notes: list[NoteRow], digests: list[str]) -> Used:
    """The notes of cards with a `note_type`, made notes of it (in place, hashes too)."""
    used = Used()
    specs: dict[str, dict | str] = {}
    for number, card in enumerate(cards):
        name = card.note_type
        if not name:
            continue
        if name not in specs:
            specs[name] = read_spec(root, name)
            if isinstance(specs[name], str):
                used.problems.append(
                    Problem(
                        Location(card.where.path, 1),
                        f"`note_type: {name}`: {specs[name]}; bring the deck in again with"
                        " `build-deck import`, or remove `note_type` to use deckwright's own",
                    )
                )
        spec = specs[name]
        if isinstance(spec, str):
            continue
        row = notes[number]
        wrong = _mismatch(kind_of(spec), row, card)
        if wrong:
            used.problems.append(Problem(card.where, f"{wrong} (`note_type: {name}`)"))
            continue
        sources = CLOZE_SOURCES if row.model_id == CLOZE_ID else PAIR_SOURCES
        fields = tuple(
            row.fields[sources[entry["name"]]] if entry["name"] in sources else ""
            for entry in spec["flds"]
        )
        notes[number] = replace(row, model_id=spec["id"], fields=fields)
        if digests:
            digests[number] = note_hash(notes[number])
        used.specs[spec["id"]] = spec
    return used


def _mismatch(kind: str | None, row: NoteRow, card: Card) -> str:
    if (kind == "cloze") != (row.model_id == CLOZE_ID):
        return "this note type takes " + ("`cloze`" if kind == "cloze" else "`front`/`back`")
    if kind == "pair" and card.reverse:
        return "this note type has no reverse card: remove `reverse: true`"
    if kind == "reversed" and not card.reverse:
        return "this note type always makes a reverse card: keep `reverse: true`"
    return ""
