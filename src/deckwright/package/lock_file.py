"""deckwright.lock on disk: one note per line, so git merges two clones' new notes line by line.

    # deckwright lock: ... (one constant comment line)
    GUID <tab> content hash <tab> change time <tab> cards
    GUID <tab> content hash <tab> change time <tab> removed <tab> [model id, deck, fields, tags]

Lines are sorted by GUID and share nothing (no commas, counters or totals), so notes added in
two clones are lines added at scattered places. Where git still conflicts, or a union merge keeps
both sides' line for a note, every version of an entry is kept as a candidate and the build picks
one against the cards (lock.Lock.stamp). The JSON lock of deckwright 0.x is read too,
conflicted or not; the next build rewrites it in this format.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from deckwright.atomic import Pending
from deckwright.errors import BuildFailed, Location, Problem
from deckwright.project import LOCK

HEADER = (
    "# deckwright lock: when each note last changed. One note per line: GUID, content hash,"
    " change time, cards (tab-separated, sorted). Commit it; see the README, 'Sharing with"
    " classmates'.\n"
)
REMOVED = "removed"
NO_CARDS = "-"  # a note type's line, or a note that makes no card

# An entry in full: (hash, time, cards, the removed note's JSON row or None).
Entry = tuple[str, int, str, str | None]

_MARKERS = {"<<<<<<<": "ours", "|||||||": "base", "=======": "theirs", ">>>>>>>": "common"}
_NEXT = {
    "common": ("<<<<<<<",),
    "ours": ("|||||||", "======="),
    "base": ("=======",),
    "theirs": (">>>>>>>",),
}
# The lines of the old JSON lock, as its writer always laid them out.
_LEGACY_ENTRY = re.compile(r'\s*("(?:[^"\\]|\\.)*"): \["([^"\\]*)", (\d+)\],?\s*')
_LEGACY_FRAME = re.compile(r'\s*(\{|\}|"about": .*|"version": \d+,|"notes": \{)\s*')
_FIX = (
    "restore it with `git checkout deckwright.lock`, or delete the line"
    " (that note then counts as changed once) and build again"
)


@dataclass
class LockText:
    """What a lock file holds; `rivals` are the notes with more than one version in it."""

    entries: dict[str, tuple[str, int]] = field(default_factory=dict)
    cards: dict[str, str] = field(default_factory=dict)
    removed: dict[str, str] = field(default_factory=dict)
    rivals: dict[str, list[Entry]] = field(default_factory=dict)
    conflicts: int = 0  # git conflict blocks
    legacy: bool = False
    repeated: bool = False  # a line twice, as a union merge may leave it: worth rewriting


def parse(text: str, path: Path = Path(LOCK)) -> LockText:
    """The lock's entries; raises BuildFailed, located, for anything it cannot read."""
    if text.startswith("{"):
        try:
            return _legacy_json(json.loads(text))
        except ValueError:
            pass  # conflict markers in the old format: read it line by line below
        except (KeyError, TypeError, AttributeError):
            raise BuildFailed(
                [Problem(Location(path, 1), f"is not a deckwright lock (no notes in it): {_FIX}")]
            ) from None
    quick = _plain(text)
    if quick is not None:
        return quick
    found: dict[str, list[Entry]] = {}
    state, opened, conflicts, repeated = "common", 0, 0, False
    problems: list[Problem] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if "\t" not in line:
            marker = line[:7]
            if marker in _MARKERS and (len(line) == 7 or line[7] == " "):
                if marker not in _NEXT[state]:
                    problems.append(Problem(Location(path, number), _unexpected(marker, opened)))
                    break
                state = _MARKERS[marker]
                if state == "ours":
                    opened, conflicts = number, conflicts + 1
                continue
            legacy = _LEGACY_ENTRY.fullmatch(line)
            if legacy:
                guid, digest, time = legacy.groups()
                entry: Entry = (digest, int(time), "", None)
                if state != "base":
                    repeated |= not add(found, json.loads(guid), entry)
            elif not (line.startswith("#") or not line.strip() or _LEGACY_FRAME.fullmatch(line)):
                problems.append(Problem(Location(path, number), f"is not a lock entry: {_FIX}"))
            continue
        parsed = _entry(line)
        if isinstance(parsed, str):
            problems.append(Problem(Location(path, number), f"{parsed}: {_FIX}"))
        elif state != "base":
            repeated |= not add(found, *parsed)
    if state != "common" and not problems:
        problems.append(
            Problem(
                Location(path, opened),
                "this git conflict is not closed (no `>>>>>>>` line):"
                " restore the file with `git checkout --merge deckwright.lock` and build again",
            )
        )
    if problems:
        raise BuildFailed(problems)
    lock = gathered(found, conflicts, legacy=text.startswith("{"))
    lock.repeated = repeated
    return lock


def _plain(text: str) -> LockText | None:
    """The common lock, no conflict, each note once, read in bulk; None for anything else,
    which `parse` reads line by line (a large lock costs a third of the time)."""
    lines = text.splitlines()
    rows = [line.split("\t") for line in lines if "\t" in line]
    gone = [row for row in rows if len(row) == 5]
    if any(len(row) != 4 for row in rows) and not all(
        row[3] == REMOVED and _is_row(row[4]) for row in gone
    ):
        return None
    if len(gone) + sum(len(row) == 4 for row in rows) != len(rows):
        return None
    if len(rows) != len(lines) and any(
        line.strip() and not line.startswith("#") for line in lines if "\t" not in line
    ):
        return None
    try:
        entries = {row[0]: (row[1], int(row[2])) for row in rows}
    except ValueError:
        return None
    if len(entries) != len(rows) or not all(row[0] and row[1] for row in rows):
        return None
    if not all(row[2].isdigit() for row in rows):
        return None
    cards = {row[0]: row[3] for row in rows if len(row) == 4 and row[3] and row[3] != NO_CARDS}
    return LockText(entries, cards, {row[0]: row[4] for row in gone})


def _unexpected(marker: str, opened: int) -> str:
    where = f" (the conflict opened at line {opened})" if opened else ""
    return (
        f"a git conflict marker `{marker}` out of place{where}: restore the file with"
        " `git checkout --merge deckwright.lock` and build again"
    )


def _entry(line: str) -> tuple[str, Entry] | str:
    """(guid, entry) from one line, or what is wrong with it."""
    parts = line.split("\t")
    if len(parts) == 4:
        guid, digest, time, cards = parts
        removed = None
    elif len(parts) == 5 and parts[3] == REMOVED:
        guid, digest, time, _, removed = parts
        cards = NO_CARDS
        if not _is_row(removed):
            return "the removed note's content is not [model id, deck, [fields], [tags]]"
    else:
        return f"has {len(parts)} tab-separated parts; a lock entry has 4 (removed notes 5)"
    if not (guid and digest and time.isdigit()):
        return "is not GUID, content hash, change time (whole seconds), cards"
    return guid, (digest, int(time), cards, removed)


def _is_row(text: str) -> bool:
    try:
        model_id, deck, fields, tags = json.loads(text)
    except (ValueError, TypeError):
        return False
    return (
        type(model_id) is int
        and type(deck) is str
        and all(type(value) is str for value in [*fields, *tags])
    )


def add(found: dict[str, list[Entry]], guid: str, entry: Entry) -> bool:
    """One more version of a note, unless it is there already (then False)."""
    versions = found.setdefault(guid, [])
    if entry in versions:
        return False
    versions.append(entry)
    return True


def gathered(found: dict[str, list[Entry]], conflicts: int = 0, legacy: bool = False) -> LockText:
    """The entries found, a note with several versions among the rivals."""
    lock = LockText(conflicts=conflicts, legacy=legacy)
    for guid, versions in found.items():
        if len(versions) > 1:
            lock.rivals[guid] = versions
        digest, time, cards, removed = versions[-1]
        lock.entries[guid] = (digest, time)
        if cards and cards != NO_CARDS:
            lock.cards[guid] = cards
        if removed is not None:
            lock.removed[guid] = removed
    return lock


def _legacy_json(data: dict) -> LockText:
    notes = data["notes"]
    entries = dict(zip(notes, map(tuple, notes.values()), strict=True))
    if not all(type(h) is str and type(t) is int for h, t in entries.values()):
        entries = {guid: (str(h), int(t)) for guid, (h, t) in notes.items()}
    return LockText(entries, legacy=True)


def write(
    root: Path, entries: dict[str, tuple[str, int]], cards: dict[str, str], removed: dict[str, str]
) -> Pending:
    """The file, written beside the lock but not yet in its place.

    Written in slices: the whole text of a large deck's lock would cost tens of megabytes at
    the build's peak of memory."""
    guids = sorted(entries)
    pending = Pending(root / LOCK)
    try:
        stream = pending.stream
        stream.write(HEADER.encode())
        get = cards.get
        for start in range(0, len(guids), 2_000):
            lines = [
                f"{guid}\t{entries[guid][0]}\t{entries[guid][1]}\t{REMOVED}\t{removed[guid]}\n"
                if removed and guid in removed
                else f"{guid}\t{entries[guid][0]}\t{entries[guid][1]}\t{get(guid, NO_CARDS)}\n"
                for guid in guids[start : start + 2_000]
            ]
            stream.write("".join(lines).encode())
    except OSError as error:  # a full disk: name the lock, not a temporary file
        pending.discard()
        raise OSError(error.errno, error.strerror, os.fspath(pending.path)) from None
    except BaseException:
        pending.discard()
        raise
    return pending
