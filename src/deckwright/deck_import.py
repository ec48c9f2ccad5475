"""`build-deck import FILE.apkg|.colpkg`: a deck made by Anki itself into card files, media and
lock entries, so that building and importing back updates the very notes that came in.

The package is read by the real `anki` library (the optional extra `deckwright[import]`): it reads
every package format Anki wrote (collection.anki2, and collection.anki21b compressed with zstd
with its newer media map) the way Anki does. Each note keeps its GUID (`guid:`) and its note
type (note-types/<name>.json, see note_types.py); the lock gets each note's content hash and its
modification time from the package, so the first build gives Anki nothing newer than it has.
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from deckwright.atomic import write_atomically
from deckwright.errors import BuildFailed, Location, Problem
from deckwright.model.words import slugify
from deckwright.package.kept_notes import NOTES_DIR, read_kept
from deckwright.package.lock import Lock
from deckwright.package.media import MEDIA_DIR
from deckwright.package.note_types import NOTE_TYPES_DIR, key_of, kind_of, version
from deckwright.package.notes import CLOZE_ID, PAIR_ID, note_hash
from deckwright.project import CARDS

INSTALL = "pip install 'deckwright[import]'"


@dataclass
class Imported:
    """What an import wrote, for the command to say."""

    notes: int = 0
    already: int = 0  # notes the project has already (same GUID): left alone
    files: list[Path] = field(default_factory=list)
    media: list[Path] = field(default_factory=list)


def import_deck(root: Path, package: Path) -> Imported:
    """Bring the notes of `package` into the project at `root`; raises BuildFailed."""
    where = Location(package, 0)
    if package.suffix.lower() not in (".apkg", ".colpkg"):
        raise BuildFailed([Problem(where, "is not an Anki package: give a .apkg or .colpkg file")])
    if not package.is_file():
        raise BuildFailed([Problem(where, "does not exist: check the path")])
    try:
        from anki.collection import Collection
    except ImportError:
        raise BuildFailed(
            [Problem(where, f"reading Anki packages needs the anki library: {INSTALL}")]
        ) from None
    from deckwright.build import build

    known = {row.guid for row in read_kept(root)[0]}
    if _has_cards(root):
        known |= {row.guid for row in build(root, write=False).notes}
    with tempfile.TemporaryDirectory(prefix="deckwright-import-") as scratch:
        collection = _opened(Collection, package, Path(scratch))
        try:
            source = f"brought in from {package.name}"
            imported, entries = _write_project(root, collection, known, source)
        finally:
            collection.close()
    if imported.notes:
        _lock_them(root, entries)
    return imported


def _has_cards(root: Path) -> bool:
    return any((root / CARDS).rglob("*.y*ml")) if (root / CARDS).is_dir() else False


def _opened(collection_class, package: Path, scratch: Path):
    """A scratch collection holding the package's notes, note types, decks and media."""
    path = scratch / "collection.anki2"
    if package.suffix.lower() == ".colpkg":
        from anki._backend import RustBackend

        RustBackend().import_collection_package(
            col_path=str(path),
            backup_path=str(package.resolve()),
            media_folder=str(scratch / "collection.media"),
            media_db=str(scratch / "collection.media.db2"),
        )
        return collection_class(str(path))
    from anki.collection import ImportAnkiPackageOptions, ImportAnkiPackageRequest

    collection = collection_class(str(path))
    # A new collection has the stock note types: renamed, so that those of the package keep
    # their own names (Anki would add a `+` to each).
    for spec in collection.models.all():
        spec["name"] = f"deckwright scratch {spec['id']}"
        collection.models.update_dict(spec)
    options = ImportAnkiPackageOptions(with_scheduling=False, merge_notetypes=False)
    request = ImportAnkiPackageRequest(package_path=str(package.resolve()), options=options)
    collection.import_anki_package(request)
    return collection


def _write_project(root: Path, col, known: set[str], source: str) -> tuple[Imported, dict]:
    """Card files, note types and media from the scratch collection; the notes' Anki times."""
    imported = Imported()
    groups: dict[tuple[str, str], list[dict]] = {}
    kept: dict[tuple[str, str], list[dict]] = {}
    times: dict[str, int] = {}
    specs: dict[str, dict] = {}
    for nid in col.find_notes(""):
        note = col.get_note(nid)
        if note.guid in known:
            imported.already += 1
            continue
        spec = note.note_type()
        kind = "ours" if spec["id"] in (PAIR_ID, CLOZE_ID) else kind_of(spec) or "kept"
        name = "" if kind == "ours" else _file_name(spec["name"])
        if name:
            specs[name] = spec
        deck = col.decks.name(note.cards()[0].did)
        if kind == "kept":
            fields = {key: value for key, value in note.items() if value}
            entry = {"guid": note.guid, "tags": list(note.tags), "fields": fields}
            kept.setdefault((deck, name), []).append(entry if note.tags else _untagged(entry))
        else:
            groups.setdefault((deck, name), []).append(_card(note, kind))
        times[note.guid] = note.mod
        imported.media += _copy_media(root, col, note)
    for name, spec in specs.items():
        target = root / NOTE_TYPES_DIR / f"{name}.json"
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            text = json.dumps(spec, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
            write_atomically(target, text.encode())
    for (deck, name), notes in sorted(kept.items()):
        path = _free_path(root / NOTES_DIR, f"{_slug(deck)}-{_slug(name)}")
        _write_yaml(root, path, {"deck": deck, "note_type": name, "notes": notes})
        imported.files.append(path.relative_to(root))
        imported.notes += len(notes)
    for (deck, name), cards in sorted(groups.items()):
        path = _free_path(root / CARDS, "-".join(filter(None, [_slug(deck), _slug(name)])))
        head = {"deck": deck, "note_type": name} if name else {"deck": deck}
        _write_yaml(root, path, {**head, "source": source, "cards": cards})
        imported.files.append(path.relative_to(root))
        imported.notes += len(cards)
    types = {key_of(spec): (version(spec), spec["mod"]) for spec in specs.values()}
    return imported, {"notes": times, "types": types}


def _write_yaml(root: Path, path: Path, data: dict) -> None:
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100_000)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(path, text.encode())


def _untagged(entry: dict) -> dict:
    return {key: value for key, value in entry.items() if key != "tags"}


def _card(note, kind: str) -> dict:
    """A note as a card of our format, by its stock note type's fields."""
    fields = dict(note.items())
    card: dict = {"guid": note.guid}
    if kind == "ours":  # a deck deckwright built: its own fields, its own keys
        card.update(_ours(fields))
    elif kind == "cloze":
        card["cloze"] = fields["Text"]
        if fields["Back Extra"]:
            card["extra"] = fields["Back Extra"]
    else:
        card["front"] = fields["Front"]
        card["back"] = fields["Back"]
        if kind == "reversed" or (kind == "optional" and fields["Add Reverse"]):
            card["reverse"] = True
    if note.tags:
        card["tags"] = list(note.tags)
    return card


def _ours(fields: dict[str, str]) -> dict:
    """A note of deckwright's own note types as the keys it was built from."""
    keys = {"Front": "front", "Back": "back", "Text": "cloze", "Extra": "extra", "Source": "source"}
    card: dict = {keys[name]: value for name, value in fields.items() if name in keys and value}
    if fields.get("Reverse"):
        card["reverse"] = True
    return card


def _copy_media(root: Path, col, note) -> list[Path]:
    """The files the note's fields use, into media/ (a file there already is kept)."""
    copied = []
    for name in col.media.files_in_str(note.mid, note.joined_fields()):
        source = Path(col.media.dir()) / name
        target = root / MEDIA_DIR / name
        if source.is_file() and not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
            copied.append(target.relative_to(root))
    return copied


def _lock_them(root: Path, entries: dict) -> None:
    """Lock entries with each note's Anki time, hashed as the next build will hash them."""
    from deckwright.build import build

    built = build(root, write=False).notes if _has_cards(root) else []
    log = Lock.read(root)
    kept = dict(log.entries)
    times = entries["notes"]
    for row in [*built, *read_kept(root)[0]]:
        if row.guid in times:
            kept[row.guid] = (note_hash(row), times[row.guid])
    kept.update(entries["types"])
    log.entries = kept  # the cards of each note: learnt by the first build
    log.written(root).place()


def _slug(text: str) -> str:
    return slugify(text, ascii_only=True)


def _file_name(name: str) -> str:
    """A note type's name as a file name: as it is, but for characters no file name takes."""
    return re.sub(r'[\\/:*?"<>|]+', "-", name).strip(" .") or "note type"


def _free_path(folder: Path, stem: str) -> Path:
    stem = stem or "deck"
    path, number = folder / f"{stem}.yaml", 2
    while path.exists():
        path, number = folder / f"{stem}-{number}.yaml", number + 1
    return path
