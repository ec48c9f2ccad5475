"""Write each card's implicit id into its YAML, touching nothing else in the file.

The id written is the one the card already has implicitly, so its GUID (and every classmate's
review history) is unchanged; from then on the front can be reworded freely. Inserting text at
the card's first key keeps comments, quoting and layout exactly as the student left them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from deckwright.atomic import write_atomically
from deckwright.errors import BuildFailed, Problem
from deckwright.model.project_config import read_config
from deckwright.model.validate import check_file
from deckwright.package.identity import implicit_id
from deckwright.read.card_discovery import find_card_files
from deckwright.read.yaml_reader import RawList, RawMap, load_card_file


@dataclass(frozen=True)
class Pinned:
    path: Path  # relative to the project root
    count: int


def pin_ids(root: Path) -> list[Pinned]:
    """Add `id:` to every card that lacks one; refuses to touch anything while a file has errors."""
    edits: list[tuple[Path, list[tuple[int, int, str]]]] = []
    config = read_config(root)
    found = find_card_files(root)
    problems: list[Problem] = list(config.problems) + list(found.problems)
    for path in found.files:
        raw, read_problems = load_card_file(path, root)
        problems += read_problems
        if raw is None:
            continue
        checked = check_file(raw, config.markup)
        problems += checked.problems
        by_place = {(card.where.line, card.where.column): card for card in checked.cards}
        cards = dict((key.text, value) for key, value in raw.items).get("cards")
        inserts = []
        for item in cards.items if isinstance(cards, RawList) else ():
            if not isinstance(item, RawMap) or not item.items:
                continue
            if any(key.text == "id" for key, _ in item.items):
                continue
            first = item.items[0][0].where
            card = by_place.get((first.line, first.column))
            if card is not None:
                inserts.append(
                    (first.line, first.column, _insertion(implicit_id(card), item, first.column))
                )
        if inserts:
            edits.append((path, inserts))
    if problems:
        raise BuildFailed(problems)
    pinned = []
    for path, inserts in edits:
        text = path.read_bytes().decode("utf-8-sig")
        lines = text.splitlines(keepends=True)
        for line, column, insertion in sorted(inserts, reverse=True):
            current = lines[line - 1]
            if current.endswith("\r\n"):
                insertion = insertion.replace("\n", "\r\n")
            lines[line - 1] = current[: column - 1] + insertion + current[column - 1 :]
        bom = "\ufeff" if path.read_bytes().startswith(b"\xef\xbb\xbf") else ""
        # Through a link to the file it names, so the link stays a link (the mode is kept too).
        write_atomically(path.resolve(), (bom + "".join(lines)).encode())
        pinned.append(Pinned(path.relative_to(root), len(inserts)))
    return pinned


def _insertion(card_id: str, card: RawMap, column: int) -> str:
    if card.flow:
        return f"id: {card_id}, "
    return f"id: {card_id}\n{' ' * (column - 1)}"
