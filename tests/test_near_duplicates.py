"""Near-duplicate questions: the fast check against a plain card-by-card comparison."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from deckwright.errors import Location, Problem
from deckwright.lint import near_duplicates as duplicates
from deckwright.lint import similar
from deckwright.model import markup
from deckwright.model.cards import Card


def reference_keys(content):
    """The keys near_duplicates used: each word replaced by itself or a one-letter deletion."""
    if not content:
        yield ("",)
    for place, word in enumerate(content):
        for variant in {word} | similar.deletions(word):
            yield (*content[:place], "\0" + variant, *content[place + 1 :])


def reference_near_duplicates(cards: list[Card]) -> list[Problem]:
    """The card-by-card comparison lint's grouped one replaced (quadratic on template decks)."""
    questions = []
    for card in cards:
        fields = ("cloze",) if card.cloze else ("front", "back") if card.reverse else ("front",)
        for field in fields:
            found = tuple(word.lower() for word in markup.words(getattr(card, field)))
            if found:
                questions.append((card, field, found, duplicates._content(found)))
    index: dict = {}
    pairs: dict = {}
    for number, (card, _, found, content) in enumerate(questions):
        partners: set[int] = set()
        for key in reference_keys(content):
            bucket = index.setdefault(key, [])
            partners.update(bucket)
            bucket.append(number)
        for partner in sorted(partners):
            other = questions[partner]
            if other[0] is card or not duplicates._same_content(other[3], content):
                continue
            if not duplicates._reads_alike(other[2], found):
                continue
            first, later = sorted((other, questions[number]), key=lambda q: (q[0].where, q[1]))
            key = (later[0].where, later[1])
            if key not in pairs or first[0].where < pairs[key][1][0].where:
                pairs[key] = (later, first)
    found = []
    for (later, later_field, _, _), (first, first_field, _, _) in pairs.values():
        shown = " ".join(duplicates.plain(getattr(first, first_field)).split())
        found.append(
            Problem(
                later.at(later_field),
                f"the {later_field} reads almost like the {first_field} of the card at"
                f' {first.where} ("{shown}"), so a student cannot tell which answer is'
                " wanted: reword one to ask something different, or merge the two cards",
            )
        )
    return sorted(found)


# Spelling variants, stop words, plurals and real differences; paths that sort differently as
# text and as Path parts (cards/a-b.yaml, cards/a/b.yaml), so card order is not location order.
QUESTION_WORDS = (
    "the of upper lower motor neuron neurons fibre fiber fibres abduction adduction UMN"
)
QUESTIONS = st.lists(st.sampled_from(QUESTION_WORDS.split()), min_size=1, max_size=4).map(" ".join)
CARDS = st.lists(
    st.tuples(st.sampled_from(["a-b", "a/b", "c"]), QUESTIONS, QUESTIONS, st.booleans()),
    max_size=30,
)


def deck(specs) -> list[Card]:
    lines: dict[str, int] = {}
    cards = []
    for name, front, back, reverse in sorted(specs, key=lambda spec: spec[0]):
        lines[name] = lines.get(name, 0) + 3
        where = Location(Path(f"cards/{name}.yaml"), lines[name], 5)
        cards.append(Card(where, "D", front=front, back=back, reverse=reverse))
    return cards


@given(CARDS)
@example(
    [
        ("c", "upper motor", "upper motor", True),
        ("a/b", "fibre", "x", False),
        ("c", "upper motor", "y", False),
        ("a-b", "fibres", "z", False),
    ]
)
def test_near_duplicates_match_the_card_by_card_comparison(specs):
    cards = deck(specs)
    questions = [duplicates.asked(card) for card in cards]
    assert sorted(duplicates.near_duplicates(cards, questions)) == reference_near_duplicates(cards)


@given(st.lists(CARDS, min_size=1, max_size=4))
@example(
    [
        [("c", "upper motor", "x", False)],
        [("c", "upper motor", "x", False), ("c", "upper motors", "y", False)],
    ]
)
def test_near_duplicates_kept_between_builds_match_a_fresh_check(decks):
    # Each deck is the next edit of the project; the check keeps what it learned between them.
    known = duplicates.Known()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(duplicates, "FRESH_SHARE", 0)  # compare only the new texts, every time
        for specs in decks:
            cards = deck(specs)
            questions = [duplicates.asked(card) for card in cards]
            kept = duplicates.near_duplicates(cards, questions, known)
            assert kept == duplicates.near_duplicates(cards, questions)
            assert sorted(kept) == reference_near_duplicates(cards)
