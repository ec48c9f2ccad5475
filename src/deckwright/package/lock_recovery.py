"""A lost deckwright.lock costs nothing: the change times come back from the last deck in dist/
or from the lock in git's last commit, and notes a build took out are read back from that deck.

Anki overwrites a note on import only when the incoming one is newer; with the times lost,
every note would be newer and every edit a student made inside Anki would be overwritten.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import zipfile
from dataclasses import dataclass
from pathlib import Path

from deckwright.errors import BuildFailed
from deckwright.package.identity import content_hash
from deckwright.package.lock import LOCK, Lock
from deckwright.package.lock_file import NO_CARDS, Entry, add, gathered, parse
from deckwright.package.templates import note_type_version
from deckwright.project import DIST


@dataclass(frozen=True)
class DeckNote:
    """A note as a built deck holds it."""

    mod: int
    model_id: int
    deck: str
    fields: tuple[str, ...]
    tags: tuple[str, ...]
    ords: tuple[int, ...]

    def row_json(self) -> str:
        """The note as a removed lock entry keeps it."""
        data = [self.model_id, self.deck, list(self.fields), list(self.tags)]
        return json.dumps(data, ensure_ascii=False)


def last_deck(root: Path, target: Path) -> Path | None:
    """The deck this build replaces, else the newest deck in dist/."""
    if target.is_file():
        return target
    decks = sorted((root / DIST).glob("*.apkg"), key=lambda path: path.stat().st_mtime)
    return decks[-1] if decks else None


def deck_notes(
    path: Path, only: list[str] | None = None
) -> tuple[dict[str, DeckNote], list[tuple[str, str, int]]]:
    """The notes of a built deck by GUID (`only` these, when given), and (key, hash, mod) of its
    note types that are ours as this deckwright makes them. Empty when the file is not a deck
    we can read."""
    try:
        with zipfile.ZipFile(path) as archive:
            data = archive.read("collection.anki2")
        connection = sqlite3.connect(":memory:")
        try:
            connection.deserialize(data)
            decks_json, models_json = connection.execute("SELECT decks, models FROM col").fetchone()
            decks = {int(key): deck["name"] for key, deck in json.loads(decks_json).items()}
            # A few notes of a large deck are looked up through a table of their GUIDs, not
            # by reading every note (a tenth of a second at 50,000 notes).
            wanted = ""
            if only is not None:
                connection.execute("CREATE TEMP TABLE wanted (guid TEXT PRIMARY KEY)")
                connection.executemany("INSERT OR IGNORE INTO wanted VALUES (?)", zip(only))
                wanted = " WHERE guid IN wanted"
            where: dict[int, int] = {}
            ords: dict[int, list[int]] = {}
            for nid, did, ord_ in connection.execute(
                "SELECT nid, did, ord FROM cards"
                + (f" WHERE nid IN (SELECT id FROM notes{wanted})" if wanted else "")
                + " ORDER BY ord"
            ):
                where.setdefault(nid, did)
                ords.setdefault(nid, []).append(ord_)
            notes = {
                guid: DeckNote(
                    mod,
                    mid,
                    decks.get(where.get(nid, 0), ""),
                    tuple(fields.split("\x1f")),
                    tuple(tags.split()),
                    tuple(ords.get(nid, ())),
                )
                for nid, guid, mid, mod, tags, fields in connection.execute(
                    "SELECT id, guid, mid, mod, tags, flds FROM notes" + wanted
                )
            }
        finally:
            connection.close()
    except (OSError, KeyError, ValueError, TypeError, zipfile.BadZipFile, sqlite3.Error):
        return {}, []
    types = []
    for key, model in json.loads(models_json).items():
        version = note_type_version({**model, "id": int(key)})
        if version:
            types.append((*version, int(model.get("mod", 0))))
    return notes, types


def git_lock(root: Path) -> str | None:
    """deckwright.lock as git's last commit has it; None without git, a repository or the file."""
    try:
        done = subprocess.run(
            ["git", "show", f"HEAD:./{LOCK}"],
            cwd=root,
            capture_output=True,
            timeout=60,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if done.returncode:
        return None
    return done.stdout.decode("utf-8", "replace")


def read_lock(root: Path, target: Path, recover: bool = True) -> Lock:
    """The lock; when there is none (and `recover`), one made again from dist/ and git."""
    log = Lock.read(root)
    if not log.missing or not recover:
        return log
    found: dict[str, list[Entry]] = {}
    sources: list[str] = []
    deck = last_deck(root, target)
    notes, types = deck_notes(deck) if deck else ({}, [])
    for guid, note in notes.items():
        digest = content_hash(note.model_id, note.deck, note.fields, note.tags)
        add(found, guid, (digest, note.mod, ",".join(map(str, note.ords)) or NO_CARDS, None))
    for key, digest, mod in types:
        add(found, key, (digest, mod, NO_CARDS, None))
    if found:
        shown = deck.relative_to(root) if deck.is_relative_to(root) else deck
        sources.append(shown.as_posix())
    text = git_lock(root)
    if text is not None:
        try:
            committed = parse(text)
        except BuildFailed:
            committed = None
        if committed is not None:
            sources.append(f"{LOCK} in git's last commit")
            for guid, (digest, time) in committed.entries.items():
                removed = committed.removed.get(guid)
                add(found, guid, (digest, time, committed.cards.get(guid, ""), removed))
    recovered = Lock.of(gathered(found))
    recovered.changed = True
    recovered.resolving = False
    if sources:
        count = sum(1 for key in found if not key.startswith("note type "))
        recovered.said = (
            f"{LOCK} was missing: took the change times of {count} notes from"
            f" {' and '.join(sources)}"
        )
    return recovered  # a first build: nothing to say


def gone_rows(root: Path, target: Path, gone: list[str]) -> dict[str, str]:
    """The content of the notes taken out of the cards, from the deck last built."""
    if not gone:
        return {}
    deck = last_deck(root, target)
    notes, _ = deck_notes(deck, gone) if deck else ({}, [])
    return {guid: notes[guid].row_json() for guid in gone if guid in notes}
