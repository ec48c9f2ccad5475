from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from deckwright import model
from deckwright.load import load_card_file, parse_yaml
from deckwright.model import check_file


def check(project, text: str):
    project.write({"cards/a.yaml": text})
    raw, problems = load_card_file(project.root / "cards/a.yaml", project.root)
    assert problems == []
    return check_file(raw)


def test_pairs_reversed_and_clozes_become_cards(example):
    raw, _ = load_card_file(example.root / "cards/cells.yaml", example.root)
    checked = check_file(raw)
    assert checked.problems == []
    assert [card.kind for card in checked.cards] == ["pair", "reversed", "cloze"]
    mito = checked.cards[1]
    assert (mito.front, mito.deck, mito.tags, mito.where.line) == (
        "Mitochondrion",
        "Biology::Cells",
        ("bio", "bio::organelles"),
        7,
    )


def test_implicit_typing_never_changes_card_text(project):
    checked = check(project, "deck: D\ncards:\n  - front: 2023-12-08\n    back: no\n")
    assert (checked.cards[0].front, checked.cards[0].back) == ("2023-12-08", "no")


@pytest.mark.parametrize(
    ("card", "expected"),
    [
        (
            "  - front: q\n    bakc: a\n",
            [
                "cards/a.yaml:4:5: unknown key `bakc` in this card (did you mean `back`?);"
                " allowed keys: id, front, back, reverse, cloze, extra, tags, covers, source,"
                " markup",
                "cards/a.yaml:3:5: this card has no `back`: add `back: ...`",
            ],
        ),
        (
            "  - front: q\n    back: ''\n",
            ["cards/a.yaml:4:11: `back` is empty: write the back text after `back:`"],
        ),
        (
            "  - front: q\n    back: a\n    reverse: sometimes\n",
            ["cards/a.yaml:5:14: `reverse` must be true or false, not `sometimes`"],
        ),
        (
            "  - front: q\n    cloze: '{{c1::a}}'\n",
            [
                "cards/a.yaml:3:5: a card has either `front`/`back` or `cloze`, not both:"
                " split it into two cards"
            ],
        ),
        (
            "  - cloze: no deletion here\n",
            [
                "cards/a.yaml:3:12: a cloze needs at least one deletion such as {{c1::answer}}:"
                " mark what to hide"
            ],
        ),
        (
            "  - front: q\n    back: a\n    tags: 5\n",
            ["cards/a.yaml:5:11: `tags` must be a list, e.g. `tags: [first, second]`"],
        ),
        (
            "  - front: {a: b}\n    back: a\n",
            [
                "cards/a.yaml:3:12: `front` must be text, not a mapping: put the text on the same"
                " line (quote it if it contains `: ` or starts with `[` or `{`)"
            ],
        ),
        (
            "  - front: q\n    back: <img src=x onerror=alert(1)>\n",
            [
                "cards/a.yaml:4:11: `back` contains the event handler `onerror=`, which"
                " would run code in the Anki of everyone you share the deck with: remove it"
            ],
        ),
    ],
)
def test_card_mistakes_are_reported_with_their_line(project, card, expected):
    checked = check(project, "deck: D\ncards:\n" + card)
    assert [str(problem) for problem in checked.problems] == expected


def test_all_problems_of_a_file_are_reported_together(project):
    checked = check(
        project, "deck: D\ncards:\n  - front: q\n  - back: a\n  - cloze: '{{c0::x}}'\n  - 5\n"
    )
    assert [problem.where.line for problem in checked.problems] == [3, 4, 5, 6]


def test_missing_deck_and_cards_are_reported(project):
    checked = check(project, "tags: [x]\n")
    assert [str(problem) for problem in checked.problems] == [
        "cards/a.yaml:1:1: no `deck:` given: name the Anki deck, e.g. `deck: Biology::Cells`",
        "cards/a.yaml:1:1: no `cards:` list: add `cards:` with one `- front: ...` per card",
    ]


def test_tags_with_spaces_are_refused(project):
    checked = check(project, "deck: D\ntags: [two words]\ncards: []\n")
    assert [str(problem) for problem in checked.problems] == [
        "cards/a.yaml:2:8: tag `two words` is empty or contains a space, which Anki cannot store:"
        " join words with `_` and nest with `::`"
    ]


def test_keys_of_the_other_card_kind_are_refused(project):
    checked = check(project, "deck: D\ncards:\n  - cloze: '{{c1::a}}'\n    reverse: true\n")
    assert [str(problem) for problem in checked.problems] == [
        "cards/a.yaml:4:14: `reverse` does not apply to a cloze card: remove it"
    ]


def test_null_words_are_empty_and_quoted_flags_count(project):
    checked = check(project, "deck: D\ncards:\n  - {front: q, back: NULL, reverse: 'Yes'}\n")
    assert [str(problem) for problem in checked.problems] == [
        "cards/a.yaml:3:22: `back` is empty: write the back text after `back:`"
    ]
    assert checked.cards[0].reverse is True


def test_empty_covered_rows_are_refused(project):
    checked = check(project, "deck: D\ncards:\n  - {front: q, back: a, covers: [x, '']}\n")
    assert [str(problem) for problem in checked.problems] == [
        "cards/a.yaml:3:37: an item of `covers` is empty: remove it or fill it in"
    ]


# The fast path for well-formed cards must make exactly the cards, and report exactly the
# problems, that the key-by-key validator does: values chosen to sit on every edge it checks.
_VALUES = st.sampled_from(
    [
        "plain text",
        "'quoted'",
        '""',
        "''",
        "null",
        "~",
        "NULL",
        "yes",
        "'no'",
        "True",
        "off",
        "maybe",
        "[a, b]",
        "{x: y}",
        '"tab\\there"',
        '"bell\\a"',
        "<b>bold</b>",
        '"<img src=x onerror=alert(1)>"',
        "'javascript: fine at the start'",
        "'<a href=\"javascript:x\">'",
        "'{{c1::answer}} stays'",
        "'{{c1::}} empty'",
        "'{{c0::zero}}'",
        "'{{c1::open'",
        "'no deletion at all'",
        "'&lt;escaped&gt;'",
        "'  spaced  '",
    ]
)
_GOOD = {
    "id": "n1",
    "front": "a question",
    "back": "an answer",
    "reverse": "true",
    "cloze": "'{{c1::x}} y'",
    "extra": "more",
    "source": "a book",
    "tags": "[a]",
    "covers": "[doc#row]",
    "frnt": "typo",
}
_RARE = ("tags", "covers", "frnt")  # keys that always take the validator's path
# Each key absent, well-formed, or on an edge: mostly well-formed, so most examples reach the
# fast path and each edge is tried next to otherwise valid cards.
_CARD = st.fixed_dictionaries(
    {
        key: st.sampled_from([None] * (6 if key in _RARE else 2) + [good, good, "edge"]).flatmap(
            lambda pick: _VALUES if pick == "edge" else st.just(pick)
        )
        for key, good in _GOOD.items()
    }
).flatmap(lambda chosen: st.permutations([(k, v) for k, v in chosen.items() if v is not None]))


@given(_CARD)
@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_fast_path_makes_what_the_validator_makes(monkeypatch_session, items):
    assume(items)
    card = "\n".join(f"    {key}: {value}" for key, value in items)
    text = f"deck: D\ntags: [t]\nsource: S\ncards:\n  -\n{card}\n"
    raw, problems = parse_yaml(text, Path("cards/x.yaml"))
    assume(raw is not None and not problems)
    fast = check_file(raw)
    with monkeypatch_session.context() as patch:
        patch.setattr(model, "_simple_card", lambda *args: None)
        slow = check_file(raw)
    assert fast.cards == slow.cards
    assert [c.field_lines for c in fast.cards] == [c.field_lines for c in slow.cards]
    assert fast.problems == slow.problems


@pytest.fixture(scope="session")
def monkeypatch_session():
    with pytest.MonkeyPatch.context() as patch:
        yield patch


def test_the_fast_path_takes_plain_cards():
    text = "deck: D\ncards:\n  - front: a\n    back: b\n    reverse: yes\n  - cloze: '{{c1::x}}'\n"
    raw, _ = parse_yaml(text, Path("cards/x.yaml"))
    cards = dict((key.text, value) for key, value in raw.items)["cards"]
    made = [model._simple_card(item, "D", ((), "")) for item in cards.items]
    assert [card.kind for card in made] == ["reversed", "cloze"]
