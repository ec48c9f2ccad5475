import pytest

from deckwright.load import load_card_file
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
                " allowed keys: id, front, back, reverse, cloze, extra, tags, covers, source",
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
