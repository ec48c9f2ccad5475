"""Questions made from one template that differ only by a number: one finding for them all.

"Question 17: what is the capital of France?" and "Question 18: what is the capital of France?"
are the same question to a student, and the near-duplicate check cannot tell (numbers are never
spelling variants). A generated deck can hold thousands of them; one warning names how many
there are and where the first few are, instead of one per pair.
"""

from __future__ import annotations

import re

from .cards import Card
from .errors import Location, Problem

MIN_NUMBERED = 10  # this many questions the same but for their numbers come from a template
SHOWN = 3  # locations named in the warning
_NUMBER = re.compile(r"\d+")


def numbered(cards: list[Card], questions: list[tuple[tuple[str, str], ...]]) -> list[Problem]:
    """One warning per template shared by `MIN_NUMBERED` questions or more that differ only by
    their numbers; `questions` holds what each card asks (duplicates.asked). Linear: each
    question with a digit is rewritten once, never compared."""
    by_template: dict[str, list[tuple[Location, str]]] = {}
    texts: dict[str, set[str]] = {}
    for card, found in zip(cards, questions, strict=True):
        for field, text in found:
            if any(letter.isdigit() for letter in text):
                template = _NUMBER.sub("#", text)
                by_template.setdefault(template, []).append((card.at(field), field))
                texts.setdefault(template, set()).add(text)
    problems = []
    for template, members in by_template.items():
        if len(texts[template]) < MIN_NUMBERED:
            continue
        members.sort()
        fields = {field for _, field in members}
        kind = f"{fields.pop()}s" if len(fields) == 1 else "questions"
        shown = ", ".join(f"{where.path.as_posix()}:{where.line}" for where, _ in members[:SHOWN])
        problems.append(
            Problem(
                members[0][0],
                f"{len(members):,} {kind} differ only by a number (for example {shown}, ...):"
                " a student who knows the wording answers from the number alone; say in words"
                " what each one asks, or make sure no two ask the same",
            )
        )
    return problems
