"""The lock in memory: each note's content hash and change time, read from deckwright.lock and
stamped by the build (the file's format is lock_file.py)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from deckwright.atomic import Pending
from deckwright.errors import BuildFailed, Location, Problem
from deckwright.package import lock_file
from deckwright.package.lock_file import LOCK, NO_CARDS, Entry, LockText


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
