from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from deckwright.cli.app import app
from deckwright.model import validate as model
from deckwright.model.simple_card import simple_card
from deckwright.model.validate import check_file
from deckwright.read.yaml_reader import load_card_file, parse_yaml
from tests import faults


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
                " allowed keys: id, front, back, reverse, cloze, extra, tags, covers, source, guid,"
                " markup",
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
        patch.setattr(model, "simple_card", lambda *args: None)
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
    made = [simple_card(item, "D", ((), "")) for item in cards.items]
    assert [card.kind for card in made] == ["reversed", "cloze"]


def test_deck_nested_deeper_than_anki_imports_is_refused_with_the_limit(project):
    deep = "::".join(f"L{level}" for level in range(1, 13))
    project.write({"cards/a.yaml": f"deck: {deep}\ncards:\n  - id: a\n    front: q\n    back: a\n"})
    result = CliRunner().invoke(app, ["check", str(project.root)])
    assert result.exit_code == 1
    assert result.stderr == (
        f"cards/a.yaml:1:7: deck `{deep[:40]}...` is nested 12 levels deep, and Anki refuses to"
        " import a deck nested more than 11 levels (names joined by `::`): merge some levels\n"
        "1 problem; nothing was written.\n"
    )


@pytest.mark.parametrize("tag", ["::lead", "trail::", "a::::b"])
def test_tag_with_an_empty_part_is_refused_as_deck_names_are(project, tag):
    project.write(
        {"cards/a.yaml": f"deck: D\ntags: ['{tag}']\ncards:\n  - {{front: q, back: a}}\n"}
    )
    result = CliRunner().invoke(app, ["check", str(project.root)])
    assert result.exit_code == 1
    assert result.stderr == (
        f"cards/a.yaml:2:8: tag `{tag}` has an empty part between `::` separators, which Anki"
        " would store as `blank`: remove the extra `::`\n"
        "1 problem; nothing was written.\n"
    )


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ('"\\u00a0\\u200b"', "front"),
        ('"<!-- hidden -->"', "front"),
        ('"&nbsp;"', "front"),
        ('"<br>"', "front"),
        ('"<br>"', "back"),
        ('"<br>&#8203;"', "cloze"),
    ],
)
def test_field_that_shows_nothing_is_refused_when_it_must_not_be_empty(project, text, key):
    card = f"{key}: {text}, back: a" if key == "front" else f"front: q, {key}: {text}"
    if key == "cloze":
        card = f"cloze: {text}"
    checked = check(project, f"deck: D\ncards:\n  - {{{card}}}\n")
    assert [str(problem) for problem in checked.problems] == [
        f"cards/a.yaml:3:{card.index(text) + 6}: `{key}` shows nothing on the card (only markup,"
        f" entities or invisible characters): write the {key} text a student should see"
    ]


# ---- Structure -------------------------------------------------------------------------------

STRUCTURE = {
    "misspelt card key": (
        faults.card_file("- front: q\n  bakc: a\n"),
        [
            f"cards/bad.yaml:4:5: unknown key `bakc` in this card (did you mean `back`?);"
            f" {faults.ALLOWED}",
        ],
    ),
    "misspelt file key": (
        "dekc: D\ncards:\n  - front: q\n    back: a\n",
        [
            "cards/bad.yaml:1:1: no `deck:` given: name the Anki deck, e.g. `deck: Biology::Cells`",
            "cards/bad.yaml:1:1: unknown key `dekc` in this file (did you mean `deck`?);"
            " allowed keys: deck, tags, source, cards, note_type, markup",
        ],
    ),
    "missing back": (
        faults.card_file("- front: q\n"),
        ["cards/bad.yaml:3:5: this card has no `back`: add `back: ...`"],
    ),
    "missing front": (
        faults.card_file("- back: a\n"),
        ["cards/bad.yaml:3:5: this card has no `front`: add `front: ...`"],
    ),
    "empty front": (
        faults.card_file("- front: ''\n  back: a\n"),
        ["cards/bad.yaml:3:12: `front` is empty: write the front text after `front:`"],
    ),
    "blank back": (
        faults.card_file("- front: q\n  back:\n"),
        ["cards/bad.yaml:4:10: `back` is empty: write the back text after `back:`"],
    ),
    "empty cloze": (
        faults.card_file("- cloze: '  '\n"),
        ["cards/bad.yaml:3:12: `cloze` is empty: write the cloze text after `cloze:`"],
    ),
    "card with neither": (
        faults.card_file("- extra: e\n"),
        ["cards/bad.yaml:3:5: this card has neither `front`/`back` nor `cloze`: add one"],
    ),
    "front and cloze together": (
        faults.card_file("- front: q\n  cloze: '{{c1::a}}'\n"),
        [
            "cards/bad.yaml:3:5: a card has either `front`/`back` or `cloze`, not both:"
            " split it into two cards"
        ],
    ),
    "reverse sometimes": (
        faults.card_file("- front: q\n  back: a\n  reverse: sometimes\n"),
        ["cards/bad.yaml:5:14: `reverse` must be true or false, not `sometimes`"],
    ),
    "tags a number": (
        faults.card_file("- front: q\n  back: a\n  tags: 5\n"),
        ["cards/bad.yaml:5:11: `tags` must be a list, e.g. `tags: [first, second]`"],
    ),
    "tag with a space": (
        faults.card_file("- front: q\n  back: a\n  tags: [two words]\n"),
        [
            "cards/bad.yaml:5:12: tag `two words` is empty or contains a space, which Anki"
            " cannot store: join words with `_` and nest with `::`"
        ],
    ),
    "mapping where text belongs": (
        faults.card_file("- front: {a: b}\n  back: a\n"),
        [
            "cards/bad.yaml:3:12: `front` must be text, not a mapping: put the text on the same"
            " line (quote it if it contains `: ` or starts with `[` or `{`)"
        ],
    ),
    "list where text belongs": (
        faults.card_file("- front: q\n  back:\n    - one\n    - two\n"),
        [
            "cards/bad.yaml:5:7: `back` must be text, not a list: put the text on the same"
            " line (quote it if it contains `: ` or starts with `[` or `{`)"
        ],
    ),
    "cards not a list": (
        "deck: D\ncards: none yet\n",
        ["cards/bad.yaml:2:8: `cards` must be a list: start each card with `- `"],
    ),
    "card not a mapping": (
        faults.card_file("- just a question\n"),
        [
            "cards/bad.yaml:3:5: each item of `cards` must be a card with keys such as"
            " `front:` and `back:`, or `cloze:`"
        ],
    ),
    "no cards key": (
        "deck: D\n",
        [
            "cards/bad.yaml:1:1: no `cards:` list: add `cards:` with one `- front: ...` per card",
        ],
    ),
    "duplicate key in a card": (
        faults.card_file("- front: q\n  back: a\n  front: r\n"),
        ["cards/bad.yaml:5:5: `front` is given twice in this card: keep one"],
    ),
    "duplicate key in the file": (
        "deck: D\ndeck: E\ncards: []\n",
        ["cards/bad.yaml:2:1: `deck` is given twice in this file: keep one"],
    ),
    "number as key": (
        faults.card_file("- front: q\n  back: a\n  1: x\n"),
        [f"cards/bad.yaml:5:5: unknown key `1` in this card; {faults.ALLOWED}"],
    ),
    "list as key": (
        faults.card_file("- front: q\n  back: a\n  [x, y]: z\n"),
        [
            "cards/bad.yaml:5:5: a key must be a plain word such as `front`, not a list or"
            " mapping: remove the brackets or the `?`"
        ],
    ),
    "deck with an empty part": (
        "deck: Bio::::Cells\ncards: []\n",
        ["cards/bad.yaml:1:7: deck name `Bio::::Cells` has an empty part between `::` separators"],
    ),
    "very long unknown key is shortened": (
        faults.card_file("- front: q\n  back: a\n  " + "k" * 500 + ": x\n"),
        [f"cards/bad.yaml:5:5: unknown key `{'k' * 40}...` in this card; {faults.ALLOWED}"],
    ),
}


@pytest.mark.parametrize(("text", "messages"), STRUCTURE.values(), ids=STRUCTURE.keys())
def test_structure_problem_names_line_column_and_fix_when_a_card_is_malformed(
    built, text, messages
):
    faults.fails(built, {"cards/bad.yaml": text}, *messages)


def test_all_problems_of_a_run_are_reported_when_several_files_are_wrong(built):
    faults.fails(
        built,
        {
            "cards/a.yaml": faults.card_file("- front: q\n  bakc: a\n"),
            "cards/sub/b.yaml": faults.card_file("- cloze: no deletion here\n- front: x\n"),
        },
        "cards/a.yaml:4:5: unknown key `bakc` in this card (did you mean `back`?);"
        f" {faults.ALLOWED}",
        "cards/sub/b.yaml:3:12: a cloze needs at least one deletion such as {{c1::answer}}:"
        " mark what to hide",
        "cards/sub/b.yaml:4:5: this card has no `back`: add `back: ...`",
    )


def test_duplicate_ids_name_both_places_when_two_files_share_an_id(built):
    faults.fails(
        built,
        {"cards/a.yaml": faults.card_file("- id: ok\n  front: other\n  back: b\n")},
        "cards/good.yaml:3:5: id `ok` is already used at cards/a.yaml:3:5: ids must be unique"
        " across all card files, rename one",
    )


def test_same_question_twice_names_both_cards_when_neither_has_an_id(built):
    faults.fails(
        built,
        {
            "cards/a.yaml": faults.card_file(
                "- front: Same?\n  back: b\n- front: Same?\n  back: c\n"
            )
        },
        "cards/a.yaml:5:5: this card asks the same as the card at cards/a.yaml:3:5, so Anki"
        " would treat them as one note: reword one or give each an `id`",
    )


def test_problems_are_capped_with_the_total_when_a_file_has_hundreds(built):
    cards = "".join(f"- front: q{i}\n  bakc: a\n  tgas: [t]\n" for i in range(150))
    before = faults.state(built)
    faults.write(built, {"cards/bad.yaml": faults.card_file(cards)})
    result = faults.invoke(built)
    lines = result.output.splitlines()
    assert result.exit_code == 1
    assert len(lines) == 201
    assert lines[0].startswith("cards/bad.yaml:4:5: unknown key `bakc` in this card")
    assert lines[-1] == f"300 problems (the first 200 shown); {faults.NOTHING}"
    assert faults.state(built) == before
