"""notes/*.yaml: notes of Anki note types that have no card keys of ours, kept field by field.

`build-deck import` writes them for note types other than Anki's stock ones (Image Occlusion, a
student's own). Each file names its deck and note type (note-types/<name>.json, as for card
files); each note its GUID, tags and fields by name. The build puts them in the deck as notes of
that very note type, so importing it back updates them in the collection that made them.

    deck: Anatomy
    note_type: Vocabulary
    notes:
      - guid: 'c@t^)7t@18'
        tags: [latin]
        fields:
          Word: os
          Meaning: bone
"""

from __future__ import annotations

from pathlib import Path

from deckwright.errors import Problem
from deckwright.model.markup import cloze_numbers, unsafe_html
from deckwright.package.note_types import key_of, read_any_spec, version
from deckwright.package.notes import NoteRow, note_hash
from deckwright.project import KEPT_NOTES
from deckwright.read.yaml_reader import RawList, RawMap, RawScalar, parse_yaml

NOTES_DIR = KEPT_NOTES


def read_kept(root: Path) -> tuple[list[NoteRow], list[tuple[int, ...]], dict[int, dict], list]:
    """The kept notes, their cards, their note types by id, and the problems found."""
    rows: list[NoteRow] = []
    ords: list[tuple[int, ...]] = []
    specs: dict[int, dict] = {}
    problems: list[Problem] = []
    folder = root / NOTES_DIR
    for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
        rel = path.relative_to(root)
        raw, found = parse_yaml(path.read_text(encoding="utf-8"), rel)
        problems += found
        if raw is None:
            continue
        keys = _texts(raw)
        deck, name = keys.get("deck", ""), keys.get("note_type", "")
        notes = _value(raw, "notes")
        if not (deck and name and isinstance(notes, RawList)):
            problems.append(
                Problem(raw.where, "a notes file needs `deck:`, `note_type:` and a `notes:` list")
            )
            continue
        spec = read_any_spec(root, name)
        if isinstance(spec, str):
            problems.append(Problem(raw.where, f"`note_type: {name}`: {spec}"))
            continue
        names = [entry["name"] for entry in spec["flds"]]
        for item in notes.items:
            row = _row(item, deck, spec, names, problems)
            if row is not None:
                rows.append(row)
                ords.append(cards_of(spec, row.fields))
                specs[spec["id"]] = spec
    return rows, ords, specs, problems


def digests_of(rows: list[NoteRow], specs: dict[int, dict]) -> list[tuple[str, str]]:
    """What the lock stamps for the kept notes and their note types."""
    return [(row.guid, note_hash(row)) for row in rows] + [
        (key_of(spec), version(spec)) for spec in specs.values()
    ]


def _row(item, deck: str, spec: dict, names: list[str], problems: list[Problem]) -> NoteRow | None:
    keys = _texts(item) if isinstance(item, RawMap) else {}
    fields = _value(item, "fields") if isinstance(item, RawMap) else None
    if not keys.get("guid") or not isinstance(fields, RawMap):
        problems.append(Problem(item.where, "a kept note needs `guid:` and `fields:`"))
        return None
    given = {key.text: value.text for key, value in fields.items if isinstance(value, RawScalar)}
    unknown = sorted(given.keys() - set(names))
    if unknown:
        problems.append(
            Problem(
                fields.where,
                f"field `{unknown[0]}` is not in the note type `{spec['name']}`"
                f" (its fields: {', '.join(names)}): rename or remove it",
            )
        )
        return None
    for key, value in fields.items:
        for finding in unsafe_html(value.text) if isinstance(value, RawScalar) else []:
            problems.append(
                Problem(
                    value.where,
                    f"field `{key.text}` contains {finding}, which would run code in the Anki of"
                    " everyone you share the deck with: remove it",
                )
            )
            return None
    tags_raw = _value(item, "tags")
    tags = (
        tuple(value.text for value in tags_raw.items if isinstance(value, RawScalar))
        if isinstance(tags_raw, RawList)
        else ()
    )
    values = tuple(given.get(name, "") for name in names)
    return NoteRow(keys["guid"], deck, spec["id"], values, tags)


def cards_of(spec: dict, fields: tuple[str, ...]) -> tuple[int, ...]:
    """The cards Anki makes of the note: cloze numbers, or the note type's requirements."""
    if spec.get("type") == 1:
        numbers = set().union(*map(cloze_numbers, fields))
        return tuple(sorted(number - 1 for number in numbers if number > 0))
    made = []
    for ord_, rule, needed in spec.get("req", []):
        filled = [bool(fields[index].strip()) for index in needed if index < len(fields)]
        if filled and (all(filled) if rule == "all" else any(filled)):
            made.append(ord_)
    return tuple(made)


def _texts(raw: RawMap) -> dict[str, str]:
    return {key.text: value.text for key, value in raw.items if isinstance(value, RawScalar)}


def _value(raw: RawMap, name: str):
    return next((value for key, value in raw.items if key.text == name), None)
