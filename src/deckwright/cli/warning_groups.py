"""Warnings a person can read: past a few of one kind, one line says how many, where the first
few are, and the fix that covers them all.

A deck generated from a spreadsheet, or written before sources were asked for, has a warning
on every card: 50,000 lines nobody reads. Each warning keeps its own message (`--format json`,
`--all-warnings` and the preview show every one); only the printed text is grouped.
"""

from __future__ import annotations

import re
from itertools import groupby

from deckwright.errors import Problem

MAX_ALIKE = 3  # more warnings than this of one kind are printed as one line
SHOWN = 3  # locations named in that line


# The line that stands for many warnings of one kind (Problem.kind), with {count} (the cards
# they are about) and {shown} (the first places) filled in.
KINDS = {
    "no-source": "{count} cards have no source ({shown}): add `source:` to the file's top to"
    " cover them all (e.g. `source: Lecture 3`), or `covers:` a row of a document",
    "no-id": "{count} cards have no `id` ({shown}): editing their front will make Anki see a new"
    " note and lose its review history; run `build-deck pin-ids` to add ids to them all",
    "numbered": "{count} questions differ only by a number from others made from the same"
    " template ({shown}): a student who knows the wording answers from the number alone; say in"
    " words what each one asks, or make sure no two ask the same",
    "alike": "{count} questions read almost like an earlier card's ({shown}): reword each to ask"
    " something different, or merge the cards; `build-deck check --all-warnings` lists each",
    "long": "{count} fields have too many words ({shown}): ask about one fact per card, and move"
    " context to `extra`",
    "list": "{count} answers list too many items to recall from one card ({shown}): split each"
    " into one card per item, or make it a cloze with one deletion per item",
}
# Warnings of no kind are grouped by what stays the same of their message: all but numbers,
# quoted text and what is in brackets.
_VARYING = re.compile(r'\d[\d,.:]*|"[^"]*"|`[^`]*`|\([^)]*\)')


def grouped(warnings: list[Problem]) -> list[str]:
    """The lines to print for `warnings` (in order): each warning as it is, but where there are
    more than `MAX_ALIKE` of one kind, one line for them all, in the place of the first.

    Warnings are gathered by kind in C loops (map, sorted, groupby), and a message of no kind
    is made a key once: a deck with a warning on each of 50,000 cards is grouped in
    milliseconds."""
    keys = {
        message: _VARYING.sub("#", message)
        for message in {p.message for p in warnings if p.kind not in KINDS}
    }
    numbers: dict[str, int] = {}  # each key as a number, so they sort alike
    codes = [
        numbers.setdefault(
            warning.kind if warning.kind in KINDS else keys[warning.message], len(numbers)
        )
        for warning in warnings
    ]
    lines: list[tuple[int, str]] = []
    ordered = sorted(range(len(warnings)), key=codes.__getitem__)  # stable: file order
    for _, group in groupby(ordered, key=codes.__getitem__):
        members = list(group)
        if len(members) <= MAX_ALIKE:
            lines += [(number, str(warnings[number])) for number in members]
            continue
        first = warnings[members[0]]
        shown = ", ".join(str(warnings[number].where) for number in members[:SHOWN]) + ", ..."
        total = sum(warnings[number].count for number in members)
        many = KINDS.get(first.kind)
        if many is not None:
            text = many.format(count=f"{total:,}", shown=shown)
        else:
            text = f"{total:,} warnings like this one ({shown}): {first.message}"
        lines.append((members[0], text))
    return [text for _, text in sorted(lines)]
