"""The near-duplicate check's cost grows with the deck, whatever its fronts look like: counted
in pairs of texts read (difflib) and questions scanned, never timed."""

from pathlib import Path

import pytest

from deckwright.build import build
from deckwright.errors import Location
from deckwright.lint import near_duplicates as duplicates
from deckwright.lint.near_duplicates import STOP_WORDS, WORK, asked, near_duplicates
from deckwright.model.cards import Card

STOP = sorted(STOP_WORDS)
CAPITALS = ["France", "Spain", "Italy", "Peru", "Chile", "Kenya", "Egypt", "Japan"]


def _stop(n: int) -> str:
    """Three stop words picked by n: texts that differ, with the same content."""
    return " ".join(STOP[(n // len(STOP) ** i) % len(STOP)] for i in range(3))


SHAPES = {
    "numbered": lambda n: f"Question {n}: what is the capital of {CAPITALS[n % 8]}?",
    "the same front": lambda n: "What is the capital of France?",
    "stop words": lambda n: f"capital of France {_stop(n)}",
    "spellings": lambda n: f"what is the {['fibre', 'fiber'][n % 2]} colour {_stop(n)}",
    "arithmetic": lambda n: f"What is {n % 97} x {n // 97}?",
}


def work_for(shape: str, count: int) -> int:
    cards = [
        Card(Location(Path(f"cards/f{n // 500}.yaml"), 4 + 3 * (n % 500)), "D", SHAPES[shape](n))
        for n in range(count)
    ]
    WORK.clear()
    near_duplicates(cards, [asked(card) for card in cards])
    return WORK["read"] + WORK["scanned"]


@pytest.mark.parametrize("shape", SHAPES)
def test_near_duplicate_work_grows_linearly_on_templated_fronts(shape):
    small, large = work_for(shape, 1_000), work_for(shape, 4_000)
    assert large <= 4.2 * max(small, 1)
    assert large <= 16 * 4_000  # a bounded number of comparisons per card


def test_near_duplicate_work_for_one_new_card_is_for_that_card():
    cards = [
        Card(Location(Path("cards/f.yaml"), 4 + 3 * n), "D", SHAPES["stop words"](n))
        for n in range(3_000)
    ]
    known = duplicates.Known()
    near_duplicates(cards, [asked(card) for card in cards], known)
    cards[1_500].front = "capital of France and what"
    WORK.clear()
    near_duplicates(cards, [asked(card) for card in cards], known)
    assert WORK["read"] <= 8


def test_fronts_differing_only_by_a_number_are_one_warning(project):
    cards = "".join(
        f'  - id: q{n}\n    front: "Question {n}: what is the capital of France?"\n'
        "    back: Paris\n"
        for n in range(12)
    )
    project.write({"cards/t.yaml": "deck: T\nsource: Atlas\ncards:\n" + cards})
    assert [str(warning) for warning in build(project.root, write=False).warnings] == [
        "cards/t.yaml:5: 12 fronts differ only by a number (for example cards/t.yaml:5,"
        " cards/t.yaml:8, cards/t.yaml:11, ...): a student who knows the wording answers from"
        " the number alone; say in words what each one asks, or make sure no two ask the same"
    ]


def test_nine_numbered_fronts_pass(project):
    cards = "".join(
        f"  - id: q{n}\n    front: What nerve root is C{n}?\n    back: A cervical one\n"
        for n in range(9)
    )
    project.write({"cards/t.yaml": "deck: T\nsource: Atlas\ncards:\n" + cards})
    assert build(project.root, write=False).warnings == []


def test_many_questions_like_one_earlier_card_are_one_warning(project):
    cards = "".join(
        f"  - id: q{n}\n    front: What is the {'capital' if n % 2 else 'the capital'} of France?\n"
        "    back: Paris\n"
        for n in range(12)
    )
    project.write({"cards/t.yaml": "deck: T\nsource: Atlas\ncards:\n" + cards})
    assert [str(warning) for warning in build(project.root, write=False).warnings] == [
        "cards/t.yaml:8: 11 questions read almost like the front of the card at cards/t.yaml:4:5"
        ' ("What is the the capital of France?") (for example cards/t.yaml:8, cards/t.yaml:11,'
        " cards/t.yaml:14, ...), so a student cannot tell which answer is wanted: reword them to"
        " ask something different, or merge the cards"
    ]
