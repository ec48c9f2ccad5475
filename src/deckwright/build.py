"""build(root): load -> model -> identity -> package, in order; cli and watch both call it."""

from __future__ import annotations

import re
import warnings
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from .errors import BuildFailed, Location, Problem
from .identity import ChangeLog, content_hash, identity_checks, note_guid, now
from .load import card_files, load_card_file
from .model import Card, check_file
from .package import NoteRow, cards_per_note, note_row, write_package


@dataclass
class BuildResult:
    cards: list[Card]
    notes: list[NoteRow]
    card_count: int
    output: Path | None = None  # None when only checked
    size: int = 0
    warnings: list[Problem] = field(default_factory=list)

    def kinds(self) -> Counter[str]:
        return Counter(card.kind for card in self.cards)

    def decks(self) -> list[str]:
        return sorted({card.deck for card in self.cards})

    def summary(self) -> str:
        kinds = self.kinds()
        parts = ", ".join(f"{kinds[k]} {k}" for k in ("pair", "reversed", "cloze") if kinds[k])
        decks = len(self.decks())
        text = (
            f"{len(self.notes)} notes ({parts or 'none'}) -> {self.card_count} cards"
            f" in {decks} deck{'s' if decks != 1 else ''}"
        )
        if self.output is not None:
            text = f"wrote {self.output.as_posix()} ({self.size / 1024:.1f} KiB): {text}"
        return text


def load_cards(root: Path) -> tuple[list[Card], list[Problem], list[Problem]]:
    """Every card of the project, with all problems and warnings found on the way."""
    cards: list[Card] = []
    problems: list[Problem] = []
    warned: list[Problem] = []
    files = card_files(root)
    if not files:
        problems.append(
            Problem(
                Location(Path("cards"), 0),
                "no card files found: create cards/<topic>.yaml (see `build-deck --help`)",
            )
        )
    for path in files:
        raw, found = load_card_file(path, root)
        problems += found
        if raw is not None:
            checked = check_file(raw)
            cards += checked.cards
            problems += checked.problems
            warned += checked.warnings
    return cards, problems, warned


def output_name(cards: list[Card]) -> str:
    """dist/<root deck>.apkg when all cards share a top deck, else dist/deck.apkg."""
    roots = {card.deck.split("::")[0] for card in cards}
    name = roots.pop() if len(roots) == 1 else "deck"
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return (slug or "deck") + ".apkg"


def _check_dist(root: Path) -> None:
    """dist/ must be a folder inside the project: a cloned project could carry a link elsewhere."""
    dist = root / "dist"
    if dist.is_symlink() and not dist.resolve().is_relative_to(root.resolve()):
        message = f"is a link to {dist.resolve()}, outside the project: remove the link"
    elif dist.exists() and not dist.is_dir():
        message = "is a file, not a folder: rename or remove it so the deck can be written"
    else:
        return
    raise BuildFailed([Problem(Location(Path("dist"), 0), message)])


def build(root: Path, write: bool = True, output: Path | None = None) -> BuildResult:
    """Check every card and, when `write`, write the deck; raises BuildFailed with every problem."""
    cards, problems, warned = load_cards(root)
    more_problems, more_warnings = identity_checks(cards)
    problems += more_problems
    warned += more_warnings
    if problems:
        raise BuildFailed(problems)

    notes = [note_row(card, note_guid(card), card.source) for card in cards]
    with warnings.catch_warnings():
        # genanki warns about HTML it does not know; the fields are the student's own HTML.
        warnings.simplefilter("ignore")
        card_count = sum(cards_per_note(row) for row in notes)
    result = BuildResult(cards, notes, card_count, warnings=sorted(warned))
    if not write:
        return result

    log = ChangeLog.read(root)
    hashes = [
        (row.guid, content_hash(row.model_id, row.deck, row.fields, row.tags)) for row in notes
    ]
    times = log.stamp(hashes, now())
    target = output or root / "dist" / output_name(cards)
    if output is None:
        _check_dist(root)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result.size = write_package(target, notes, times)
    if log.changed:
        log.write(root)
    result.output = target.relative_to(root) if target.is_relative_to(root) else target
    return result
