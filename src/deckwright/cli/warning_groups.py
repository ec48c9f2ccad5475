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
from itertools import groupby
from operator import attrgetter

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
    more than `MAX_ALIKE` of one kind, one line for them all, in the place of the first.

    A kind is found once per distinct message, and the warnings are gathered by kind in C loops
    (map, sorted, groupby): a deck with a warning on each of 50,000 cards is grouped in a
    fraction of the time a Python loop over them takes."""
    messages = list(map(attrgetter("message"), warnings))
    found = {message: _kind_of(message) for message in dict.fromkeys(messages)}
    numbers: dict[object, int] = {}  # each kind's key as a number: keys of kinds are of any type
    code_of = {
        message: numbers.setdefault(key, len(numbers)) for message, (key, _, _) in found.items()
    }
    per_warning = list(map(code_of.__getitem__, messages))
    count_of = {message: count for message, (_, _, count) in found.items()}
    kind_of = {code_of[message]: kind for message, (_, kind, _) in found.items()}
    lines: list[tuple[int, str]] = []
    ordered = sorted(range(len(warnings)), key=per_warning.__getitem__)  # stable: file order
    for code, group in groupby(ordered, key=per_warning.__getitem__):
        members = list(group)
        if len(members) <= MAX_ALIKE:
            lines += [(number, str(warnings[number])) for number in members]
            continue
        shown = ", ".join(str(warnings[number].where) for number in members[:SHOWN]) + ", ..."
        total = sum(map(count_of.__getitem__, map(messages.__getitem__, members)))
        kind = kind_of[code]
        if kind is not None:
            text = kind.many.format(count=f"{total:,}", shown=shown)
        else:
            text = f"{total:,} warnings like this one ({shown}): {messages[members[0]]}"
        lines.append((members[0], text))
    return [text for _, text in sorted(lines)]


def _kind_of(message: str) -> tuple[object, Kind | None, int]:
    """A key shared by warnings of one kind, the kind if known, and how many cards it is about."""
    for number, kind in enumerate(KINDS):
        match = kind.pattern.match(message)
        if match:
            return number, kind, kind.counted(match)
    return _VARYING.sub("#", message), None, 1
