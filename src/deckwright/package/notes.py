"""Cards -> the notes Anki gets: their fields as HTML, and which cards each note makes.

What apkg.py writes and the lock hashes; it depends on each card alone, so per_file.py
makes it once per card and the cache keeps what costs most to make again.
"""

from __future__ import annotations

from dataclasses import dataclass

from deckwright.model.cards import Card
from deckwright.model.markup import cloze_numbers, to_html
from deckwright.package.identity import content_hash, stable_int

PAIR_ID = stable_int("deckwright note type", "pair", "1")
CLOZE_ID = stable_int("deckwright note type", "cloze", "1")

# Which fields a pair's cards need (genanki's `Model._req`, fixed by templates.py): the
# forward card needs Front, the reverse card needs Back and Reverse. Tests compare with genanki.
_PAIR_REQUIRES = ((0, (0,)), (1, (1, 4)))


@dataclass(slots=True)
class NoteRow:
    """One note as it goes into Anki: what the lock hashes and the package writes.

    Slotted (72 bytes, not 112: a build keeps one per note) and not frozen (a frozen init sets
    each field through object.__setattr__, four times slower); build.py copies with `replace`.
    """

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
        return NoteRow(guid, card.deck, CLOZE_ID, fields, card.tags)
    fields = (
        to_html(card.front),
        to_html(card.back),
        to_html(card.extra),
        source_html,
        "y" if card.reverse else "",
    )
    return NoteRow(guid, card.deck, PAIR_ID, fields, card.tags)


def note_hash(row: NoteRow) -> str:
    """What the lock compares to tell whether a note changed since the last build."""
    return content_hash(row.model_id, row.deck, row.fields, row.tags)


def card_ords(row: NoteRow) -> tuple[int, ...]:
    """The template numbers of the cards Anki gets from a note, by genanki's rules.

    Worked out once per note (per_file._prepare) and kept beside it: the writer needs them twice."""
    if row.model_id == CLOZE_ID:
        return tuple(number - 1 for number in sorted(cloze_numbers(row.fields[0])))
    return tuple(ord_ for ord_, needed in _PAIR_REQUIRES if all(row.fields[i] for i in needed))
