"""Stable ids for decks, note types and notes, and the change time of every note.

Anki recognises a note again by its GUID and, on import, overwrites it only when the incoming
note's modification time is newer than the one it has. So a GUID must survive edits, and a note's
time must move only when its own content changes: one time for all notes would make Anki
overwrite every note (and the student's own edits in Anki) after any rebuild.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from json.encoder import encode_basestring
from pathlib import Path

from deckwright.atomic import Pending
from deckwright.errors import BuildFailed, Location, Problem, UsageError
from deckwright.model.cards import Card
from deckwright.model.markup import TAG, sub_before_last
from deckwright.package import lock_file
from deckwright.package.lock_file import NO_CARDS, Entry, LockText

LOCK = lock_file.LOCK
_sha256 = hashlib.sha256  # called twice for every note
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


@dataclass
class Lock:
    """guid -> (hash of the note's content, time it last changed), kept in deckwright.lock.

    `cards` is each note's cards as the lock last saw them ("0,1"), `removed` the notes taken out
    of the cards (their content, to send them once more as removed); `rivals` the notes a merge
    left with two versions, until `stamp` picks one; `said` one line on what reading it took."""

    entries: dict[str, tuple[str, int]] = field(default_factory=dict)
    changed: bool = False
    cards: dict[str, str] = field(default_factory=dict)
    removed: dict[str, str] = field(default_factory=dict)
    rivals: dict[str, list[Entry]] = field(default_factory=dict)
    said: str = ""
    missing: bool = False
    gone: list[str] = field(default_factory=list)
    resolving: bool = False  # `settle` says how it picked

    @classmethod
    def read(cls, root: Path) -> Lock:
        """The lock as it is; raises BuildFailed, located, when it cannot be read."""
        path = root / LOCK
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return cls(missing=True)
        except (OSError, UnicodeDecodeError) as error:
            reason = getattr(error, "strerror", None) or "it is not UTF-8 text"
            raise BuildFailed(
                [
                    Problem(
                        Location(Path(LOCK), 0),
                        f"cannot be read ({reason}): restore it with"
                        " `git checkout deckwright.lock`, or delete it and build again",
                    )
                ]
            ) from None
        return cls.of(lock_file.parse(text))

    @classmethod
    def of(cls, lock: LockText) -> Lock:
        rewrite = lock.legacy or lock.repeated or bool(lock.rivals)
        log = cls(lock.entries, rewrite, lock.cards, lock.removed)
        log.rivals, log.resolving = lock.rivals, bool(lock.rivals or lock.conflicts)
        if lock.conflicts:
            s = "s" if lock.conflicts != 1 else ""
            log.said = f"deckwright.lock had {lock.conflicts} git conflict{s}"
        elif lock.rivals:
            log.said = "deckwright.lock had notes twice (a union merge)"
        return log

    def settle(self, digests: dict[str, str]) -> None:
        """One version of each note a merge left twice: the one whose hash matches the card as it
        stands (`digests`), else the one changed later; says so in `said`."""
        matched = later = 0
        for guid, versions in self.rivals.items():
            digest = digests.get(guid)
            # At equal times a removal wins: it came after the content it removed.
            best = max(versions, key=lambda v: (v[0] == digest, v[1], v[3] is not None))
            matched += best[0] == digest
            later += best[0] != digest
            self.entries[guid] = best[:2]
            self.cards.pop(guid, None)
            self.removed.pop(guid, None)
            if best[2]:
                self.cards[guid] = best[2]
            if best[3] is not None:
                self.removed[guid] = best[3]
        if self.resolving:  # a merge did it, not a recovery
            both = (
                f"; of {matched + later} note(s) both sides had, {matched} kept as its card"
                f" stands, {later} by the later change"
                if matched + later
                else ""
            )
            them = "them" if self.said.endswith("s") else "it"
            self.said += f": resolved {them} (each side's notes kept{both}) and rewrote the lock"
        self.rivals, self.resolving = {}, False
        self.changed = True

    def stamp(self, guids_and_hashes: Iterable[tuple[str, str]], clock: int) -> dict[str, int]:
        """Each note's modification time: kept while its hash is unchanged, else the clock.

        The record is updated only where notes changed, came or went: a rebuild after one edit
        leaves all but one of a large deck's entries as they are. A note that went is kept (as
        `gone`) for the build to mark it removed; a removed note that comes back is newer."""
        if self.rivals or self.resolving:
            guids_and_hashes = list(guids_and_hashes)
            self.settle(dict(guids_and_hashes))
        entries = self.entries
        removed = self.removed
        get = entries.get
        times: dict[str, int] = {}
        changed: dict[str, str] = {}
        for guid, digest in guids_and_hashes:
            old = get(guid)
            if old is not None and old[0] == digest and not (removed and guid in removed):
                times[guid] = old[1]
                changed.pop(guid, None)  # a note given twice: the last time counts
            else:
                times[guid] = max(clock, old[1] + 1) if old else clock
                changed[guid] = digest
        unchanged = len(times) - len(changed)
        gone = entries.keys() - times.keys() if unchanged < len(entries) - len(removed) else ()
        self.gone = sorted(guid for guid in gone if guid not in removed)
        if changed:
            kept = dict(entries)
            for guid, digest in changed.items():
                kept[guid] = (digest, times[guid])
                removed.pop(guid, None)
            self.entries = kept
            self.changed = True
        return times

    def mark_removed(self, rows: dict[str, str], clock: int) -> None:
        """The notes that went since the last build, with their content (JSON) where known,
        become removed: newer, so importing moves the tag onto them. Unknown ones are forgotten."""
        if not self.gone:
            return
        entries = self.entries = dict(self.entries)
        for guid in self.gone:
            if guid in rows:
                digest, time = entries[guid]
                entries[guid] = (digest, max(clock, time + 1))
                self.removed[guid] = rows[guid]
            else:
                del entries[guid]
            self.cards.pop(guid, None)
        self.changed = True

    def record_cards(self, guids: Iterable[str], ords: Iterable[tuple[int, ...]]) -> dict[str, str]:
        """Each note's cards into the lock; returns what the lock had before for notes whose
        cards changed since (for the empty-card warnings)."""
        names: dict[tuple[int, ...], str] = {}
        cards = self.cards
        before: dict[str, str] = {}
        for guid, its in zip(guids, ords, strict=True):
            text = names.get(its)
            if text is None:
                text = names[its] = ",".join(map(str, its)) or NO_CARDS
            old = cards.get(guid)
            if old != text:
                if old is not None:
                    before[guid] = old
                cards[guid] = text
                self.changed = True
        return before

    def written(self, root: Path) -> Pending:
        """The file, written beside the lock but not yet in its place (lock_file.write)."""
        return lock_file.write(root, self.entries, self.cards, self.removed)
