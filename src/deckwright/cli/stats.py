"""`build-deck stats`: what a deck holds, before you share it: notes and cards, tags, media."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from deckwright.build import BuildResult
from deckwright.package.media import size_text, unused_files
from deckwright.package.notes import card_ords

KINDS = ("pair", "reversed", "cloze")


def stats_text(result: BuildResult, root: Path) -> str:
    """A table of notes and cards per deck and kind, then tags and media, as plain text."""
    counts = [len(card_ords(row)) for row in result.notes]
    notes: Counter[tuple[str, str]] = Counter()
    cards: Counter[tuple[str, str]] = Counter()
    for card, count in zip(result.cards, counts, strict=True):
        notes[card.deck, card.kind] += 1
        cards[card.deck, card.kind] += count
    rows = [("deck", "kind", "notes", "cards")]
    for deck in result.decks():
        for number, kind in enumerate(k for k in KINDS if notes[deck, k]):
            rows.append((deck if number == 0 else "", kind, notes[deck, kind], cards[deck, kind]))
    rows.append(("total", "", len(result.notes), result.card_count))
    widths = [max(len(str(row[column])) for row in rows) for column in range(4)]
    lines = [
        "  ".join(
            str(cell).ljust(width) if column < 2 else str(cell).rjust(width)
            for column, (cell, width) in enumerate(zip(row, widths, strict=True))
        ).rstrip()
        for row in rows
    ]
    tags = Counter(tag for card in result.cards for tag in card.tags)
    ranked = sorted(tags.items(), key=lambda item: (-item[1], item[0]))
    lines.append("")
    lines.append("tags: " + (", ".join(f"{tag} ({n})" for tag, n in ranked) or "none"))
    total = sum(file.size for file in result.media)
    files = len(result.media)
    lines.append(
        f"media: {files} file{'s' if files != 1 else ''}, {size_text(total)}"
        if files
        else "media: none"
    )
    for file in sorted(result.media, key=lambda file: (-file.size, file.path)):
        lines.append(f"  {size_text(file.size):>10}  {file.path.as_posix()}")
    unused = unused_files(root, result.media)
    if unused:
        lines.append(f"not used by any card (left out of the deck): {', '.join(unused)}")
    lines.append(result.coverage.line())
    return "\n".join(lines)
