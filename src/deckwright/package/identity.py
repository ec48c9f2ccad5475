"""Stable ids for decks, note types and notes, content hashes, and the build's clock.

Anki recognises a note again by its GUID and, on import, overwrites it only when the incoming
note's modification time is newer than the one it has. So a GUID must survive edits, and a note's
time must move only when its own content changes: one time for all notes would make Anki
overwrite every note (and the student's own edits in Anki) after any rebuild. The times live in
the lock (lock.py, lock_file.py).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import time
from json.encoder import encode_basestring
from pathlib import Path

from deckwright.errors import Location, Problem, UsageError
from deckwright.model.cards import Card
from deckwright.model.markup import TAG, sub_before_last

_sha256 = hashlib.sha256  # called twice for every note
# Frozen, not markup.py's scan: implicit ids (and so GUIDs) of notes already in Anki depend on it.
_DELETION = re.compile(r"\{\{c(\d+)::.*?\}\}", re.DOTALL)


def stable_int(*parts: str) -> int:
    """An Anki id in genanki's recommended range, the same on every machine and every build."""
    digest = hashlib.sha256("\x1f".join(parts).encode()).digest()
    return (1 << 30) + int.from_bytes(digest[:8], "big") % (1 << 30)


def deck_id(name: str) -> int:
    return stable_int("deckwright deck", name)


def implicit_id(card: Card) -> str:
    """The id a card without one has: made from what it asks, so pinning it keeps the GUID.

    For a cloze the answers are left out, so editing an answer keeps the note.
    """
    question = card.front.strip()
    if card.cloze:
        question = sub_before_last(_DELETION, r"{{c\1}}", card.cloze.strip(), "}}")
    plain = sub_before_last(TAG, " ", re.sub(r"\{\{c\d+\}\}", " ", question), ">")
    words = re.findall(r"[a-z0-9]+", plain.lower())
    digest = hashlib.sha256(f"{card.kind == 'cloze'}\x1f{question}".encode()).hexdigest()[:6]
    return "-".join([*words[:6], digest])


_BASE91 = (
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&()*+,-./:;<=>?@[]^_`{|}~"
)


# Every two-digit string, so a 64-bit number takes five divisions instead of ten.
_BASE91_PAIRS = [high + low for high in _BASE91 for low in _BASE91]
_PAIR = len(_BASE91_PAIRS)  # 91**2; 2**64 < _PAIR**5


def guid_for(*values: str) -> str:
    """genanki.guid_for, so that importing genanki is not needed to name a note (tests compare)."""
    return _base91(int.from_bytes(_sha256("__".join(values).encode()).digest()[:8], "big"))


def _base91(number: int) -> str:
    """A number below 2**64 in base 91, most significant digit first, without leading zeros
    ("a" is the zero digit): two digits per division."""
    number, fifth = divmod(number, _PAIR)
    number, fourth = divmod(number, _PAIR)
    number, third = divmod(number, _PAIR)
    first, second = divmod(number, _PAIR)
    pairs = _BASE91_PAIRS
    return (pairs[first] + pairs[second] + pairs[third] + pairs[fourth] + pairs[fifth]).lstrip("a")


def note_guid(card: Card) -> str:
    """The card's GUID: made from its id, or the one Anki gave a note brought in."""
    return card.guid or guid_for("deckwright id", card.id or implicit_id(card))


def identity_checks(
    cards: list[Card], guids: list[str] | None = None
) -> tuple[list[Problem], list[Problem]]:
    """Duplicate ids or GUIDs are errors (Anki would merge the notes); unpinned cards are warned.

    `guids`, when the caller has them already, are the cards' `note_guid`s in the same order.
    """
    problems: list[Problem] = []
    first_id: dict[str, Location] = {}
    first_guid: dict[str, Card] = {}
    unpinned: dict[Path, list[int]] = {}
    for index, card in enumerate(cards):
        if card.id and card.id in first_id:
            problems.append(
                Problem(
                    card.where,
                    f"id `{card.id}` is already used at {first_id[card.id]}:"
                    " ids must be unique across all card files, rename one",
                )
            )
            continue
        if card.id:
            first_id[card.id] = card.where
        elif not card.guid:
            unpinned.setdefault(card.where.path, []).append(card.where.line)
        guid = guids[index] if guids is not None else note_guid(card)
        if guid in first_guid and not card.id:
            problems.append(
                Problem(
                    card.where,
                    f"this card asks the same as the card at {first_guid[guid].where},"
                    " so Anki would treat them as one note: reword one or give each an `id`",
                )
            )
        first_guid.setdefault(guid, card)
    warnings = [
        Problem(
            Location(path, lines[0]),
            f"{len(lines)} card(s) have no `id` (lines {', '.join(map(str, lines[:8]))}"
            f"{', ...' if len(lines) > 8 else ''}): editing their front will make Anki see a new"
            " note and lose its review history; run `build-deck pin-ids` to add ids",
            "no-id",
            len(lines),
        )
        for path, lines in sorted(unpinned.items())
    ]
    return problems, warnings


# One encoder for all notes: json.dumps with options builds a new encoder on every call.
_JSON = json.JSONEncoder(ensure_ascii=False)
_quote = encode_basestring  # what _JSON.encode does with a str, without its Python-level checks


def content_hash(*parts: object) -> str:
    return _sha256(_json_text(parts).encode()).hexdigest()[:16]


def _json_text(parts: tuple) -> str:
    """_JSON.encode(parts), written out directly for a note's (model id, deck, fields, tags).

    A build hashes every note; the encoder's general path costs half the hash. Any other shape,
    or a part that is not a str where one is expected (the quoting raises), takes the encoder.
    """
    if (
        len(parts) == 4
        and type(parts[0]) is int
        and type(parts[2]) is tuple
        and type(parts[3]) is tuple
    ):
        model_id, deck, fields, tags = parts
        try:
            return (
                f"[{model_id}, {_quote(deck)}, [{', '.join(map(_quote, fields))}],"
                f" [{', '.join(map(_quote, tags))}]]"
            )
        except TypeError:
            pass
    return _JSON.encode(parts)


LATEST_TIME = 253_402_300_799  # 9999-12-31: later, note ids (the time * 1000) leave 64 bits


def now() -> int:
    """The build's clock; SOURCE_DATE_EPOCH pins it for reproducible builds and tests."""
    pinned = os.environ.get("SOURCE_DATE_EPOCH")
    if not pinned:
        return int(time.time())
    if not (pinned.isascii() and pinned.isdigit()) or int(pinned) > LATEST_TIME:
        raise UsageError(
            f"SOURCE_DATE_EPOCH must be a whole number of seconds since 1970 up to"
            f" {LATEST_TIME} (e.g. 1700000000), not `{pinned[:30]}`: fix it or unset it"
        )
    return int(pinned)
