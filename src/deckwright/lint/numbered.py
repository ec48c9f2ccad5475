"""Questions made from one template that differ only by a number: one finding for them all.

"Question 17: what is the capital of France?" and "Question 18: what is the capital of France?"
are the same question to a student, and the near-duplicate check cannot tell (numbers are never
spelling variants). A generated deck can hold thousands of them; one warning names how many
there are and where the first few are, instead of one per pair.
"""

from __future__ import annotations

import re

from deckwright.errors import Problem
from deckwright.model.cards import Card

MIN_NUMBERED = 10  # this many questions the same but for their numbers come from a template
SHOWN = 3  # locations named in the warning
_NUMBER = re.compile(r"\d+")


def numbered(cards: list[Card], questions: list[tuple[tuple[str, str], ...]]) -> list[Problem]:
    """One warning per template shared by `MIN_NUMBERED` questions or more that differ only by
    their numbers; `questions` holds what each card asks (duplicates.asked), in the cards'
    order. Linear: each distinct text is rewritten once, and nothing is compared."""
    templates: dict[str, str | None] = {}  # text -> its template; None: it has no number
    members: dict[str, list[tuple[int, str]]] = {}  # template -> (card's number, field)
    for number, found in enumerate(questions):
        for field, text in found:
            template = templates.get(text, "")
            if template == "":
                template = _NUMBER.sub("#", text)
                template = templates[text] = None if template == text else template
            if template is not None:
                members.setdefault(template, []).append((number, field))
    distinct: dict[str, int] = {}
    for template in templates.values():
        if template is not None:
            distinct[template] = distinct.get(template, 0) + 1
    problems = []
    for template, found in members.items():
        if distinct[template] < MIN_NUMBERED:
            continue
        fields = {field for _, field in found}
        kind = f"{fields.pop()}s" if len(fields) == 1 else "questions"
        places = [cards[number].at(field) for number, field in found[:SHOWN]]
        shown = ", ".join(f"{where.path.as_posix()}:{where.line}" for where in places)
        problems.append(
            Problem(
                places[0],
                f"{len(found):,} {kind} differ only by a number (for example {shown}, ...):"
                " a student who knows the wording answers from the number alone; say in words"
                " what each one asks, or make sure no two ask the same",
                "numbered",
                len(found),
            )
        )
    return problems
