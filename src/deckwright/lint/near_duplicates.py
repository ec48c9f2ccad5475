"""Near-duplicate questions across the whole deck: the one lint rule that compares cards.

Two questions are near-identical when they read alike (difflib) and differ only in stop words or
in one word's spelling; a plain ratio would call "upper motor neurons" and "lower motor neurons"
the same question, which in a comparison deck they never are.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from deckwright.errors import Problem
from deckwright.lint.numbered import numbered
from deckwright.lint.similar import WINDOW, halves_of, related, sides, spelling_variants
from deckwright.model.cards import Card
from deckwright.model.markup import lower_words, plain
from deckwright.model.words import QUESTION_STOP_WORDS, singular

# What the check did, for tests that its cost grows with the deck, not with its square:
# "read" pairs of texts given to difflib, "scanned" questions looked at to name the earliest.
WORK: Counter[str] = Counter()
SIMILAR_TEXT = 0.85  # difflib ratio from which two questions with the same words are near-identical
STOP_WORDS = QUESTION_STOP_WORDS  # model/words.py: the words that do not change a question


Asked = tuple[tuple[str, str], ...]  # a card's questions: (field, its lower-cased words joined)
# A question in near_duplicates: its card's place (file's rank, line, column), its number, the
# card and the field asked.
_Member = tuple[tuple[int, int, int], int, Card, str]


def asked(card: Card) -> Asked:
    """What a card asks: its front (and the back of a reversed pair), or its cloze text.

    It depends on the card alone, so it is cached with the card's file.
    """
    if card.cloze:
        found = (("cloze", lower_words(card.cloze)),)
    elif card.reverse:
        found = (("front", lower_words(card.front)), ("back", lower_words(card.back)))
    else:
        found = (("front", lower_words(card.front)),)
    return tuple([question for question in found if question[1]])


def _content(found: tuple[str, ...]) -> tuple[str, ...]:
    """The words that carry meaning, plural -s dropped: what two questions must share."""
    return tuple(singular(word) for word in found if word not in STOP_WORDS)


def near_identical(first: tuple[str, ...], second: tuple[str, ...]) -> bool:
    """Two questions read alike and differ only in stop words or in one word's spelling.

    A plain ratio would call "...of upper motor neurons?" and "...of lower motor neurons?" the
    same question, which in a comparison deck they never are.
    """
    return _same_content(_content(first), _content(second)) and _reads_alike(first, second)


def _same_content(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    if len(a) != len(b):
        return False
    differing = [(x, y) for x, y in zip(a, b, strict=True) if x != y]
    return len(differing) <= 1 and all(spelling_variants(x, y) for x, y in differing)


def _reads_alike(first: tuple[str, ...], second: tuple[str, ...]) -> bool:
    from difflib import SequenceMatcher

    WORK["read"] += 1
    ratio = SequenceMatcher(None, " ".join(first), " ".join(second), autojunk=False).ratio()
    return ratio >= SIMILAR_TEXT


@dataclass
class Known:
    """What the check learned about a deck's question texts, kept between builds (cache.py).

    Whether two texts are near-identical depends on those two alone, so a rebuild compares only
    the texts it has not seen before, with each other and with the rest.
    """

    halves: dict[str, int] = field(default_factory=dict)  # each text's `halves_of`
    # (x, y) with x < y -> (x reads like y, y reads like x): difflib's ratio can depend on the
    # order of its arguments.
    pairs: dict[tuple[str, str], tuple[bool, bool]] = field(default_factory=dict)
    changed: bool = False  # the texts differ from those of the build it was kept from


FRESH_SHARE = 4  # more than one text in this many is new: comparing all texts at once is cheaper


def _split(text: str) -> tuple[str, ...]:
    return tuple(text.split(" "))


class _Words(dict[str, str | None]):
    """Each word of a deck's questions -> what `_content` keeps of it (None: a stop word), worked
    out once per word and one string however many texts hold it."""

    def __missing__(self, word: str) -> str | None:
        kept = _content((word,))
        self[word] = kept[0] if kept else None
        return self[word]


def _content_of(text: str, seen: _Words) -> tuple[str, ...]:
    """A text's `_content`."""
    return tuple([word for word in map(seen.__getitem__, _split(text)) if word is not None])


def _relate(texts: list[str], known: Known) -> None:
    """Bring `known` up to date for the deck's distinct question texts."""
    new = [text for text in texts if text not in known.halves]
    if not new and len(known.halves) == len(texts):
        return
    known.changed = True
    if len(new) * FRESH_SHARE > len(texts):
        seen = _Words()
        contents = [_content_of(text, seen) for text in texts]
        halves = [halves_of(content) for content in contents]
        known.halves = dict(zip(texts, halves, strict=True))
        candidates = {
            (min(texts[a], texts[b]), max(texts[a], texts[b])) for a, b in related(contents, halves)
        }
        known.pairs = {}
    else:
        old, present = known.halves, set(texts)
        seen = _Words()
        found = {text: _content_of(text, seen) for text in new}
        known.halves = {
            text: old[text] if text in old else halves_of(found[text]) for text in texts
        }
        known.pairs = {
            pair: alike
            for pair, alike in known.pairs.items()
            if pair[0] in present and pair[1] in present
        }
        wanted = {key for text in new for key in sides(known.halves[text])}
        sharing: dict[int, list[str]] = {}
        for text, halves in known.halves.items():
            for key in sides(halves):
                if key in wanted:
                    sharing.setdefault(key, []).append(text)
        candidates = set()
        order: dict[str, int] = {}
        for text in new:
            others = {o for key in sides(known.halves[text]) for o in sharing[key] if o != text}
            for other in others - found.keys():
                found[other] = _content_of(other, seen)
            same = [o for o in others if _same_content(found[text], found[o])]
            if len(same) > WINDOW:  # a template's: its first, and the one just before
                order = order or {text: number for number, text in enumerate(known.halves)}
                same.sort(key=order.__getitem__)
                before = [o for o in same if order[o] < order[text]]
                same = [same[0], before[-1]] if before else same[:1]
            candidates.update((min(text, o), max(text, o)) for o in same)
    for x, y in candidates:
        forward = _reads_alike(_split(x), _split(y))
        backward = _reads_alike(_split(y), _split(x))
        if forward or backward:
            known.pairs[x, y] = (forward, backward)


def near_duplicates(
    cards: list[Card], questions: list[Asked], known: Known | None = None
) -> list[Problem]:
    """Each question that reads like an earlier card's, reported at the later card with the
    earliest such card; `questions` holds what each card asks (`asked`).

    Questions with the same words always match, so texts are compared once each, not per card:
    a deck of cards made from one template has thousands of questions with the same words.
    `known`, from an earlier build, is brought up to date in place. Questions that differ only
    by a number are one warning for all (lint_numbered).
    """
    if len(cards) != len(questions):
        raise ValueError("near_duplicates needs what each card asks, one `asked` per card")
    return numbered(cards, questions) + _near_duplicates(cards, questions, known)


def _near_duplicates(
    cards: list[Card], questions: list[Asked], known: Known | None
) -> list[Problem]:
    asked_texts = [text for found in questions for _, text in found]
    texts = list(dict.fromkeys(asked_texts))
    known = Known() if known is None else known
    _relate(texts, known)
    related: dict[str, dict[str, tuple[bool, bool]]] = {}
    for (x, y), (forward, backward) in known.pairs.items():
        related.setdefault(y, {})[x] = (forward, backward)
        related.setdefault(x, {})[y] = (backward, forward)
    # Only questions with the text of another question, or with a text like another, can match.
    wanted = set(related)
    if len(texts) < len(asked_texts):
        wanted.update(text for text, count in Counter(asked_texts).items() if count > 1)
    if not wanted:
        return []
    asking: dict[str, list[tuple[int, Card, str]]] = {text: [] for text in texts if text in wanted}
    number = 0
    for card, found in zip(cards, questions, strict=True):
        for name, text in found:
            if text in wanted:
                asking[text].append((number, card, name))
            number += 1
    # Cards in the order of their locations, compared as numbers: (file's rank, line, column).
    paths = {card.where.path for members in asking.values() for _, card, _ in members}
    rank = {path: number for number, path in enumerate(sorted(paths))}
    groups: dict[str, list[_Member]] = {
        text: sorted(
            [
                ((rank[card.where.path], card.where.line, card.where.column), number, card, name)
                for number, card, name in members
            ],
            key=lambda member: member[0],
        )
        for text, members in asking.items()
    }
    # The questions like each earliest card: (its place, field) -> the card, the later ones.
    like: dict[tuple[tuple[int, int, int], str], tuple[Card, list[tuple]]] = {}
    for text, members in groups.items():
        partners = [(members, (True, True))]
        partners += [(groups[other], alike) for other, alike in related.get(text, {}).items()]
        for place, number, later, asks in members:
            found = [
                first
                for others, alike in partners
                if (first := _first(others, alike, number, place)) is not None
            ]
            if found:
                where, _, first, field = min(found, key=lambda member: member[:2])
                like.setdefault((where, field), (first, []))[1].append((place, later, asks))
    return [
        problem
        for (_, field), (first, laters) in like.items()
        for problem in _like_one(first, field, sorted(laters, key=lambda later: later[0]))
    ]


def _like_one(first: Card, field: str, laters: list[tuple]) -> list[Problem]:
    """The warnings about questions (place, card, field asked) that read like one earlier card's
    `field`: one each, or past `WINDOW` of them (a template's) one for all."""
    text = " ".join(plain(getattr(first, field)).split())
    if len(laters) > WINDOW:
        shown = ", ".join(str(card.at(asks)) for _, card, asks in laters[:3])
        return [
            Problem(
                laters[0][1].at(laters[0][2]),
                f"{len(laters):,} questions read almost like the {field} of the card at"
                f' {first.where} ("{text}") (for example {shown}, ...), so a student cannot'
                " tell which answer is wanted: reword them to ask something different, or merge"
                " the cards",
                "alike",
                len(laters),
            )
        ]
    return [
        Problem(
            card.at(asks),
            f"the {asks} reads almost like the {field} of the card at"
            f' {first.where} ("{text}"), so a student cannot'
            " tell which answer is wanted: reword one to ask something different,"
            " or merge the two cards",
            "alike",
        )
        for _, card, asks in laters
    ]


def _first(
    others: list[_Member], alike: tuple[bool, bool], number: int, before: tuple[int, int, int]
) -> _Member | None:
    """The earliest question of a group placed before `before` that reads like question `number`."""
    if alike[0] == alike[1]:  # either order, one answer: the group's first or none
        WORK["scanned"] += 1
        return others[0] if alike[0] and others[0][0] < before else None
    for other in others:
        WORK["scanned"] += 1
        if other[0] >= before:
            return None
        if alike[0] if other[1] < number else alike[1]:
            return other
    return None
