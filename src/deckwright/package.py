"""Cards -> .apkg in dist/, the same bytes for the same cards; the only module importing genanki."""

from __future__ import annotations

import io
import itertools
import sqlite3
import zipfile
from dataclasses import dataclass
from pathlib import Path

import genanki

from .atomic import write_atomically
from .identity import deck_id, stable_int
from .markup import to_html
from .model import Card

CSS = """\
.card {
  font-family: -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  font-size: 22px; line-height: 1.45; text-align: center;
  color: #1d1d1f; background-color: #ffffff;
  max-width: 42em; margin: 0 auto; padding: 0 0.5em;
}
.card.nightMode, .night_mode .card { color: #e8e8ea; background-color: #1f1f22; }
hr#answer { border: none; border-top: 1px solid #c8c8cc; margin: 1em 0; }
.nightMode hr#answer, .night_mode hr#answer { border-top-color: #4a4a50; }
.cloze { font-weight: 600; color: #0a58ca; }
.nightMode .cloze, .night_mode .cloze { color: #8ab4f8; }
.extra { margin-top: 1em; font-size: 0.85em; color: #44444a; }
.nightMode .extra, .night_mode .extra { color: #b8b8be; }
.source { margin-top: 1.5em; font-size: 0.6em; color: #6e6e73; }
.nightMode .source, .night_mode .source { color: #9a9aa0; }
"""

_EXTRA = '{{#Extra}}<div class="extra">{{Extra}}</div>{{/Extra}}'
_SOURCE = '{{#Source}}<div class="source">{{Source}}</div>{{/Source}}'

PAIR = genanki.Model(
    stable_int("deckwright note type", "pair", "1"),
    "deckwright pair",
    fields=[{"name": name} for name in ("Front", "Back", "Extra", "Source", "Reverse")],
    templates=[
        {
            "name": "Front to back",
            "qfmt": "{{Front}}",
            "afmt": '{{FrontSide}}<hr id="answer">{{Back}}' + _EXTRA + _SOURCE,
        },
        {
            "name": "Back to front",
            "qfmt": "{{#Reverse}}{{Back}}{{/Reverse}}",
            "afmt": '{{FrontSide}}<hr id="answer">{{Front}}' + _EXTRA + _SOURCE,
        },
    ],
    css=CSS,
)

CLOZE = genanki.Model(
    stable_int("deckwright note type", "cloze", "1"),
    "deckwright cloze",
    fields=[{"name": name} for name in ("Text", "Extra", "Source")],
    templates=[
        {
            "name": "Cloze",
            "qfmt": "{{cloze:Text}}",
            "afmt": "{{cloze:Text}}" + _EXTRA + _SOURCE,
        }
    ],
    css=CSS,
    model_type=genanki.Model.CLOZE,
)


@dataclass(frozen=True)
class NoteRow:
    """One note as it goes into Anki: what the change log hashes and the package writes."""

    guid: str
    deck: str
    model_id: int
    fields: tuple[str, ...]
    tags: tuple[str, ...]


def note_row(card: Card, guid: str, source: str) -> NoteRow:
    """The Anki fields of a card; `source` is the citation shown on the answer side."""
    source_html = to_html(source)
    if card.cloze:
        fields = (to_html(card.cloze), to_html(card.extra), source_html)
        return NoteRow(guid, card.deck, CLOZE.model_id, fields, card.tags)
    fields = (
        to_html(card.front),
        to_html(card.back),
        to_html(card.extra),
        source_html,
        "y" if card.reverse else "",
    )
    return NoteRow(guid, card.deck, PAIR.model_id, fields, card.tags)


def _collection(rows: list[NoteRow], times: dict[str, int]) -> bytes:
    decks: dict[str, genanki.Deck] = {}
    for row in rows:
        deck = decks.setdefault(row.deck, genanki.Deck(deck_id(row.deck), row.deck))
        model = CLOZE if row.model_id == CLOZE.model_id else PAIR
        deck.add_note(genanki.Note(model, list(row.fields), tags=list(row.tags), guid=row.guid))
    # Note and card ids only need to be unique; basing them on a fixed time keeps builds identical.
    epoch = min(times.values(), default=0)
    connection = sqlite3.connect(":memory:")
    try:
        cursor = connection.cursor()
        package = genanki.Package([decks[name] for name in sorted(decks)])
        package.write_to_db(cursor, epoch, itertools.count(epoch * 1000))
        cursor.executemany(
            "UPDATE notes SET mod = ? WHERE guid = ?", [(t, g) for g, t in times.items()]
        )
        cursor.execute("UPDATE cards SET mod = (SELECT mod FROM notes WHERE notes.id = cards.nid)")
        connection.commit()
        return connection.serialize()
    finally:
        connection.close()


def _zip(collection: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in (("collection.anki2", collection), ("media", b"{}")):
            # A fixed date and mode: the same cards give the same bytes on every machine.
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data, compresslevel=6)
    return buffer.getvalue()


def write_package(path: Path, rows: list[NoteRow], times: dict[str, int]) -> int:
    """Write the deck atomically and return its size in bytes."""
    data = _zip(_collection(rows, times))
    write_atomically(path, data)
    return len(data)


def cards_per_note(row: NoteRow) -> int:
    """How many cards Anki makes from a note: the count genanki writes, without writing."""
    model = CLOZE if row.model_id == CLOZE.model_id else PAIR
    return len(genanki.Note(model, list(row.fields)).cards)
