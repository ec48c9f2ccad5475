"""What the lock remembers of the last build, turned into the deck and the warnings.

Anki's package import never deletes a note or a card, and never moves an existing card to
another deck. So a note taken out of the cards is sent once more, newer, with a tag (and, for
whoever has not got it yet, in a `Removed` deck) that finds it in one search; and a card that a
note no longer makes is left blank in Anki, which its Tools -> Empty Cards deletes.
"""

from __future__ import annotations

import json
from pathlib import Path

from deckwright.errors import Problem
from deckwright.model.cards import Card
from deckwright.package.kept_notes import cards_of
from deckwright.package.lock import Lock
from deckwright.package.lock_file import NO_CARDS
from deckwright.package.note_types import specs_by_id
from deckwright.package.notes import CLOZE_ID, PAIR_ID, NoteRow, card_ords

REMOVED_TAG = "deckwright::removed"
REMOVED_DECK = "Removed"  # under the note's top deck: `Biology::Removed`
_EMPTY_CARDS = "after importing the deck, run Tools -> Empty Cards in Anki to delete it"


def removed_notes(
    log: Lock, root: Path
) -> tuple[list[NoteRow], list[tuple[int, ...]], dict[int, dict]]:
    """The removed notes as the deck carries them, their cards, and the note types of Anki's own
    (note-types/) that they need."""
    rows, ords, specs = [], [], {}
    found: dict[int, dict] | None = None
    for guid, text in sorted(log.removed.items()):
        model_id, deck, fields, tags = json.loads(text)
        if model_id not in (PAIR_ID, CLOZE_ID):
            if found is None:
                found = specs_by_id(root)
            if model_id not in found:
                continue  # a note type no longer in note-types/
            specs[model_id] = found[model_id]
        top = deck.split("::")[0]
        tags = (*(tag for tag in tags if tag != REMOVED_TAG), REMOVED_TAG)
        row = NoteRow(guid, f"{top}::{REMOVED_DECK}", model_id, tuple(fields), tags)
        rows.append(row)
        ords.append(cards_of(specs[model_id], row.fields) if model_id in specs else card_ords(row))
    return rows, ords, specs


def removed_line(count: int) -> str:
    """The summary line for the removed notes the deck carries."""
    if not count:
        return ""
    notes = f"{count} removed note{'s' if count != 1 else ''}"
    return (
        f"{notes} carried with the tag {REMOVED_TAG}: in Anki, search `tag:{REMOVED_TAG}`"
        " to find and delete them"
    )


def empty_card_warnings(
    cards: list[Card], notes: list[NoteRow], ords: list[tuple[int, ...]], before: dict[str, str]
) -> list[Problem]:
    """A warning for each card a note made at the last build and no longer makes."""
    if not before:
        return []
    warnings = []
    for card, row, its in zip(cards, notes, ords, strict=True):
        old = before.get(row.guid)
        if not old or old == NO_CARDS:
            continue
        lost = sorted(set(map(int, old.split(","))) - set(its))
        name = f"card `{card.id}`" if card.id else "this card"
        for ord_ in lost:
            if row.model_id == CLOZE_ID:
                what = (
                    f"{name} no longer has cloze deletion c{ord_ + 1}: Anki keeps its card, empty"
                )
            else:
                what = f"{name} is no longer `reverse: true`: Anki keeps its reverse card, blank"
            warnings.append(Problem(card.where, f"{what}; {_EMPTY_CARDS}"))
    return warnings
