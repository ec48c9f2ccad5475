"""Warnings a person can read: past a few of one kind, one line says how many, where the first
few are, and the fix that covers them all.

A deck generated from a spreadsheet, or written before sources were asked for, has a warning
on every card: 50,000 lines nobody reads. Each warning keeps its own message (`--format json`,
`--all-warnings` and the preview show every one); only the printed text is grouped.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from deckwright.errors import Problem

MAX_ALIKE = 3  # more warnings than this of one kind are printed as one line
SHOWN = 3  # locations named in that line


@dataclass(frozen=True)
class Kind:
    """Warnings whose message matches `pattern`, and the line that stands for many of them:
    `many` with {count} and {shown} (the first places) filled in; `counted` reads how many
    cards one warning is about (a group's number: 1)."""

    pattern: re.Pattern[str]
    many: str
    counted: Callable[[re.Match[str]], int] = lambda match: 1


KINDS = (
    Kind(
        re.compile(r"this card has no source:"),
        "{count} cards have no source ({shown}): add `source:` to the file's top to cover them"
        " all (e.g. `source: Lecture 3`), or `covers:` a row of a document",
    ),
    Kind(
        re.compile(r"(\d+) card\(s\) have no `id`"),
        "{count} cards have no `id` ({shown}): editing their front will make Anki see a new note"
        " and lose its review history; run `build-deck pin-ids` to add ids to them all",
        lambda match: int(match[1]),
    ),
    Kind(
        re.compile(r"([\d,]+) (?:fronts|backs|clozes|questions) differ only by a number"),
        "{count} questions differ only by a number from others made from the same template"
        " ({shown}): a student who knows the wording answers from the number alone; say in"
        " words what each one asks, or make sure no two ask the same",
        lambda match: int(match[1].replace(",", "")),
    ),
    Kind(
        re.compile(r"(?:([\d,]+) questions read|the (?:front|back|cloze) reads) almost like the"),
        "{count} questions read almost like an earlier card's ({shown}): reword each to ask"
        " something different, or merge the cards; `build-deck check --all-warnings` lists"
        " each",
        lambda match: int(match[1].replace(",", "")) if match[1] else 1,
    ),
    Kind(
        re.compile(r"the (?:front|back|cloze) has \d+ words \(more than"),
        "{count} fields have too many words ({shown}): ask about one fact per card, and move"
        " context to `extra`",
    ),
    Kind(
        re.compile(r"the (?:front|back) lists \d+ items"),
        "{count} answers list too many items to recall from one card ({shown}): split each into"
        " one card per item, or make it a cloze with one deletion per item",
    ),
)
# Whatever else varies in a message: numbers, quoted text, locations.
_VARYING = re.compile(r'\d[\d,.:]*|"[^"]*"|`[^`]*`|\([^)]*\)')


def grouped(warnings: list[Problem]) -> list[str]:
    """The lines to print for `warnings` (in order): each warning as it is, but where there are
    more than `MAX_ALIKE` of one kind, one line for them all, in the place of the first."""
    groups: dict[object, list[tuple[Problem, int]]] = {}
    kinds: dict[object, Kind | None] = {}
    known: dict[str, tuple[object, Kind | None, int]] = {}  # most of 50,000 warnings are alike
    for warning in warnings:
        message = warning.message
        found = known.get(message)
        if found is None:
            found = known[message] = _kind_of(message)
        key, kind, count = found
        groups.setdefault(key, []).append((warning, count))
        kinds[key] = kind
    lines = []
    for key, members in groups.items():
        if len(members) <= MAX_ALIKE:
            lines += [(warning, str(warning)) for warning, _ in members]
            continue
        shown = ", ".join(str(warning.where) for warning, _ in members[:SHOWN]) + ", ..."
        total = sum(count for _, count in members)
        kind = kinds[key]
        if kind is not None:
            text = kind.many.format(count=f"{total:,}", shown=shown)
        else:
            first = members[0][0]
            text = f"{total:,} warnings like this one ({shown}): {first.message}"
        lines.append((members[0][0], text))
    order = {id(warning): number for number, warning in enumerate(warnings)}
    return [text for _, text in sorted(lines, key=lambda line: order[id(line[0])])]


def _kind_of(message: str) -> tuple[object, Kind | None, int]:
    """A key shared by warnings of one kind, the kind if known, and how many cards it is about."""
    for number, kind in enumerate(KINDS):
        match = kind.pattern.match(message)
        if match:
            return number, kind, kind.counted(match)
    return _VARYING.sub("#", message), None, 1
