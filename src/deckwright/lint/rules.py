"""Card-quality lint: habits that make cards hard to learn, reported as warnings with a fix.

The rules follow the minimum-information principle (one fact per card, short enough to read at a
glance); their thresholds are below and in the README section "Card-quality lint".
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from deckwright.errors import Problem, in_order
from deckwright.lint.near_duplicates import asked, near_duplicates
from deckwright.model.cards import Card
from deckwright.model.markup import WORD, ClozeError, line_breaks, parse_cloze, plain, plain_words

MAX_WORDS = 25  # a front, back or cloze text longer than this is a paragraph, not a prompt
MAX_REVERSED_BACK_WORDS = 12  # the back of a reversed pair is also asked: keep it term-sized
MIN_LIST_ITEMS = 3  # an answer with this many items is a list to recall, not a fact
MAX_ITEM_WORDS = 6  # comma-separated parts longer than this read as clauses, not list items
# A comma-separated part starting with one of these opens a clause: the text is not a list.
CLAUSE_WORDS = frozenset(
    "with without so but which that who whose when while because as since if then"  # noqa: SIM905
    " is are was were has have can does do".split()
)
_LIST_ITEM = re.compile(r"<li\b", re.IGNORECASE)
_LIST_LINE = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s+\S", re.MULTILINE)
_CLAUSE_END = re.compile(r"[.;:!?](?:\s+|$)|\n")
_LEADING_CONJUNCTION = re.compile(r"(?:and|or)\s+", re.IGNORECASE)
_CONJUNCTION = re.compile(r"\s+(?:and|or)\s+", re.IGNORECASE)
_COMMA = re.compile(r",\s+")


def lint(cards: list[Card]) -> list[Problem]:
    """Every card-quality warning of the deck, each at the line of the field concerned."""
    return in_order(card_warnings(cards) + near_duplicates(cards, [asked(card) for card in cards]))


def card_warnings(cards: list[Card]) -> list[Problem]:
    """The warnings that depend on each card alone, so a card file's can be cached with it.

    Each field is made plain and its words counted once for all the rules that read it: a deck
    has tens of thousands of cards.
    """
    found: list[Problem] = []
    for card in cards:
        found += _cloze_warnings(card) if card.cloze else _pair_warnings(card)
        if not card.source.strip() and not card.covers:
            found.append(_no_source(card))
    return found


def _cloze_warnings(card: Card) -> list[Problem]:
    count = len(plain_words(plain(card.cloze)))
    found = [_too_long(card, "cloze", count)] if count > MAX_WORDS else []
    if card.reverse:
        found += _long_reversed_back(card, len(plain_words(plain(card.back))))
    found += _cloze_giveaways(card)
    return found


def _pair_warnings(card: Card) -> list[Problem]:
    front, back = plain(card.front), plain(card.back)
    front_count, back_count = len(plain_words(front)), len(plain_words(back))
    found = [_too_long(card, "front", front_count)] if front_count > MAX_WORDS else []
    if back_count > MAX_WORDS:
        found.append(_too_long(card, "back", back_count))
    found += _enumerations(card, front, back)
    if card.reverse:
        found += _long_reversed_back(card, back_count)
    found += [
        Problem(
            card.at(field),
            f"the {field} holds a cloze deletion (`{deletion.group()}`), which a front/back card"
            f" shows as it is written: make it a cloze card (`cloze:` instead of `front:` and"
            " `back:`)",
        )
        for field, text in (("front", card.front), ("back", card.back))
        if "{{" in text and (deletion := _DELETION_START.search(text))
    ]
    return found


_DELETION_START = re.compile(r"\{\{\s*[cC]\s*[0-9]+\s*::")


def list_items(text: str) -> int:
    """How many items the longest list in an answer has: list markup, or a series `a, b and c`."""
    return _list_items(text, plain(text))


def _list_items(text: str, shown: str) -> int:
    """list_items of a text whose `plain` is `shown`. List markup starts with `<`, and a series
    needs a comma: most answers have neither."""
    if "<" in text:
        longest = max(len(_LIST_ITEM.findall(text)), len(_LIST_LINE.findall(line_breaks(text))))
    else:
        longest = len(_LIST_LINE.findall(text))
    if "," not in shown:
        return longest
    for clause in _CLAUSE_END.split(shown):
        parts = [part.strip() for part in _COMMA.split(clause) if part.strip()]
        if parts and parts[0].lower() in {"yes", "no"}:
            parts = parts[1:]  # "No, ..." answers the question; it is not an item
        if len(parts) < 2:
            continue
        oxford = _LEADING_CONJUNCTION.match(parts[-1])
        if oxford:
            parts[-1] = parts[-1][oxford.end() :]
        else:
            parts[-1:] = _CONJUNCTION.split(parts[-1])
        if all(len(WORD.findall(part)) <= MAX_ITEM_WORDS for part in parts) and not any(
            part.split()[0].lower() in CLAUSE_WORDS for part in parts[1:]
        ):
            longest = max(longest, len(parts))
    return longest


_FIXES = {
    "front": "ask about one fact in a shorter question; context belongs in `extra`",
    "back": "answer only what the front asks; move explanations to `extra`",
    "cloze": "keep the sentence that holds the deletions; move the rest to `extra`",
}


def _too_long(card: Card, field: str, count: int) -> Problem:
    return Problem(
        card.at(field),
        f"the {field} has {count} words (more than {MAX_WORDS}): {_FIXES[field]}",
        "long",
    )


def _enumerations(card: Card, front: str, back: str) -> list[Problem]:
    """`front` and `back`: the card's, made plain."""
    # The front of a reversed pair is the answer of its second card.
    found = []
    for field, shown in (("back", back), ("front", front)) if card.reverse else (("back", back),):
        count = _list_items(getattr(card, field), shown)
        if count >= MIN_LIST_ITEMS:
            found.append(
                Problem(
                    card.at(field),
                    f"the {field} lists {count} items, too many to recall from one card: split"
                    " it into one card per item, or make it a cloze with one deletion per item",
                    "list",
                )
            )
    return found


def _long_reversed_back(card: Card, count: int) -> list[Problem]:
    if count <= MAX_REVERSED_BACK_WORDS:
        return []
    return [
        Problem(
            card.at("back"),
            f"`reverse: true` but the back has {count} words (more than"
            f" {MAX_REVERSED_BACK_WORDS}), so the reversed card asks for the front from a whole"
            " sentence: shorten the back to a few words, or drop `reverse`",
        )
    ]


def _cloze_giveaways(card: Card) -> Iterator[Problem]:
    try:
        deletions = parse_cloze(card.cloze)
    except ClozeError:
        return  # already reported as an error
    numbers: dict[str, set[int]] = {}
    for deletion in deletions:
        answer = " ".join(plain(deletion.answer).lower().split())
        numbers.setdefault(answer, set()).add(deletion.number)
    for answer, found in numbers.items():
        if len(found) > 1:
            listed = " and ".join(f"c{number}" for number in sorted(found))
            yield Problem(
                card.at("cloze"),
                f"`{answer}` is deleted as {listed}, so each of those cards shows the answer of"
                " the other: give the deletions one number, or delete it only once",
            )


def _no_source(card: Card) -> Problem:
    # A card that covers a row of a document is cited from that document.
    return Problem(
        card.where,
        "this card has no source: add `source:` to the card or to its file"
        " (e.g. `source: Lecture 3, slide 12`), or `covers:` a row of a document",
        "no-source",
    )
