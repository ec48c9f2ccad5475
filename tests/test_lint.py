"""Card-quality lint: one failing and one passing example per rule, plus the heuristics' edges."""

import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from deckwright.build import build
from deckwright.cli.app import app
from deckwright.errors import Location, Problem
from deckwright.lint import rules
from deckwright.lint.near_duplicates import near_identical
from deckwright.lint.rules import lint, list_items
from deckwright.model.cards import Card
from deckwright.model.markup import words
from tests.test_markup import _LINE_BREAK, _WORD, MARKUP, reference_plain

HEAD = "deck: Test\nsource: Lecture 3\ncards:\n"


def warnings_for(project, cards: str, head: str = HEAD) -> list[str]:
    """The lint warnings of one card file whose cards start on line 4."""
    project.write({"cards/t.yaml": head + cards})
    return [str(warning) for warning in build(project.root, write=False).warnings]


def pair(front: str, back: str, card_id: str = "a", reverse: bool = False) -> str:
    text = f"  - id: {card_id}\n    front: {front}\n    back: {back}\n"
    return text + ("    reverse: true\n" if reverse else "")


# An answer that enumerates three or more items on a non-cloze card.


def test_answer_listing_three_items_is_warned_at_its_back(project):
    found = warnings_for(
        project, pair("Signs of a UMN lesion?", "Spasticity, hyperreflexia and weakness")
    )
    assert found == [
        "cards/t.yaml:6: the back lists 3 items, too many to recall from one card: split it into"
        " one card per item, or make it a cloze with one deletion per item"
    ]


def test_the_same_list_as_a_cloze_with_one_deletion_per_item_passes(project):
    cloze = (
        "  - id: a\n"
        "    cloze: UMN lesions give {{c1::spasticity}}, {{c2::hyperreflexia}}, {{c3::weakness}}\n"
    )
    assert warnings_for(project, cloze) == []


@pytest.mark.parametrize(
    ("answer", "items"),
    [
        ("Spasticity, hyperreflexia and weakness", 3),
        ("flaccid paralysis, muscle atrophy, and decreased or absent reflexes", 3),
        ("Damage causes flaccid paralysis, atrophy, fasciculations and hyporeflexia", 4),
        ("<ul><li>alpha</li><li>beta</li><li>gamma</li></ul>", 3),
        ("- alpha<br>- beta<br>- gamma", 3),
        ("In the brain (cortex) or the brainstem, inside the CNS", 0),  # 7 words: a clause
        ("Flaccid paralysis, with the muscle limp and toneless", 0),  # a clause, not a list
        ("No, only through lower motor neurons and interneurons", 0),
        ("About 1,000,000 fibres", 0),
        ("Stiff, velocity-dependent tone; an upper motor neuron sign", 2),
    ],
)
def test_list_items_counts_series_and_list_markup_only(answer, items):
    assert list_items(answer) == items


def test_front_of_a_reversed_pair_is_checked_as_an_answer(project):
    found = warnings_for(project, pair("alpha, beta and gamma", "Kinds of LMN", reverse=True))
    assert found == [
        "cards/t.yaml:5: the front lists 3 items, too many to recall from one card: split it into"
        " one card per item, or make it a cloze with one deletion per item"
    ]


# Fronts and answers that are too long (more than 25 words).


def test_front_over_25_words_is_warned(project):
    front = " ".join(["word"] * 26) + "?"
    assert warnings_for(project, pair(front, "Yes")) == [
        "cards/t.yaml:5: the front has 26 words (more than 25): ask about one fact in a shorter"
        " question; context belongs in `extra`"
    ]


def test_front_and_back_of_25_words_pass(project):
    text = " ".join(["word"] * 25)
    assert warnings_for(project, pair(text + "?", text)) == []


def test_long_back_and_long_cloze_are_warned_with_their_own_fix(project):
    long = " ".join(["word"] * 30)
    cards = pair("Short?", long) + f"  - id: b\n    cloze: {long} {{{{c1::end}}}}\n"
    assert warnings_for(project, cards) == [
        "cards/t.yaml:6: the back has 30 words (more than 25): answer only what the front asks;"
        " move explanations to `extra`",
        "cards/t.yaml:8: the cloze has 31 words (more than 25): keep the sentence that holds the"
        " deletions; move the rest to `extra`",
    ]


def test_words_count_what_the_reader_sees():
    assert words("<b>Upper</b> motor&nbsp;neuron {{c1::lesion::hint}}") == [
        "Upper",
        "motor",
        "neuron",
        "lesion",
    ]


# Two cards with the same or near-identical front.


def test_near_identical_fronts_are_warned_at_the_later_card(project):
    cards = pair("Where are the cell bodies of upper motor neurons?", "Brain") + pair(
        "Where are the cell bodies of the upper motor neuron?", "Brainstem", card_id="b"
    )
    assert warnings_for(project, cards) == [
        "cards/t.yaml:8: the front reads almost like the front of the card at cards/t.yaml:4:5"
        ' ("Where are the cell bodies of upper motor neurons?"), so a student cannot tell which'
        " answer is wanted: reword one to ask something different, or merge the two cards"
    ]


def test_fronts_differing_in_a_real_word_pass(project):
    cards = pair("Where are the cell bodies of upper motor neurons?", "Brain") + pair(
        "Where are the cell bodies of lower motor neurons?", "Spinal cord", card_id="b"
    )
    assert warnings_for(project, cards) == []


@pytest.mark.parametrize(
    ("first", "second", "same"),
    [
        ("Spasticity", "spasticity!", True),
        ("Which muscle fibres do LMNs supply?", "What muscle fibers do LMNs supply?", True),
        ("Upper motor neuron", "Lower motor neuron", False),
        ("What do UMNs synapse with?", "What do LMNs synapse with?", False),
        ("Do LMNs end in muscle?", "Do LMNs not end in muscle?", False),
        ("Where are UMN cell bodies?", "Why do UMN lesions cause spasticity?", False),
        ("Where are UMN cell bodies?", "Where are the UMNs' cell bodies?", True),
        ("Which muscle performs abduction?", "Which muscle performs adduction?", False),
        ("Is hyperreflexia a UMN sign?", "Is hyporeflexia a UMN sign?", False),
        ("What is spasticity?", "Is there spasticity?", False),  # same words, reads differently
    ],
)
def test_near_identical_ignores_stop_words_and_spelling_but_not_real_words(first, second, same):
    def key(text):
        return tuple(word.lower() for word in words(text))

    assert near_identical(key(first), key(second)) is same


def test_back_of_a_reversed_pair_counts_as_a_front(project):
    cards = pair("Spasticity", "Upper motor neuron sign", reverse=True) + pair(
        "Upper motor neuron sign?", "Spasticity", card_id="b"
    )
    assert warnings_for(project, cards) == [
        "cards/t.yaml:9: the front reads almost like the back of the card at cards/t.yaml:4:5"
        ' ("Upper motor neuron sign"), so a student cannot tell which answer is wanted: reword'
        " one to ask something different, or merge the two cards"
    ]


# A reversed pair whose back is a long sentence.


def test_reversed_pair_with_a_sentence_for_a_back_is_warned(project):
    back = "A motor neuron whose cell body lies in the cortex and whose axon stays central"
    assert warnings_for(project, pair("Upper motor neuron", back, reverse=True)) == [
        "cards/t.yaml:6: `reverse: true` but the back has 15 words (more than 12), so the reversed"
        " card asks for the front from a whole sentence: shorten the back to a few words,"
        " or drop `reverse`"
    ]


def test_reversed_pair_with_a_short_definition_passes(project):
    back = "Motor neuron lying wholly in the CNS that drives lower motor neurons"
    assert warnings_for(project, pair("Upper motor neuron", back, reverse=True)) == []


# A cloze whose deletions give each other away.


def test_cloze_deleting_one_answer_under_two_numbers_is_warned(project):
    cloze = "  - id: a\n    cloze: LMN loss gives {{c1::atrophy}}; UMN loss no {{c2::Atrophy}}.\n"
    assert warnings_for(project, cloze) == [
        "cards/t.yaml:5: `atrophy` is deleted as c1 and c2, so each of those cards shows the"
        " answer of the other: give the deletions one number, or delete it only once"
    ]


def test_cloze_deleting_one_answer_under_one_number_passes(project):
    cloze = "  - id: a\n    cloze: LMN loss gives {{c1::atrophy}}; UMN loss no {{c1::atrophy}}.\n"
    assert warnings_for(project, cloze) == []


# A card without a source.


def test_card_without_a_source_is_warned_at_the_card(project):
    found = warnings_for(project, pair("Q?", "A"), head="deck: Test\ncards:\n")
    assert found == [
        "cards/t.yaml:3:5: this card has no source: add `source:` to the card or to its file"
        " (e.g. `source: Lecture 3, slide 12`), or `covers:` a row of a document"
    ]


def test_card_with_its_own_source_or_a_covered_row_passes(project):
    project.write(
        {"sources/notes.md": "| Feature | A | B |\n| --- | --- | --- |\n| Site | x | y |\n"}
    )
    cards = pair("Q?", "A") + "    source: Lecture 3\n" + pair("R?", "B", card_id="b")
    cards += "    covers: [notes#site]\n"
    assert warnings_for(project, cards, head="deck: Test\ncards:\n") == []


# Warnings, not errors: the deck is still checked and written.


def test_lint_warnings_are_printed_and_do_not_fail_the_build(project):
    project.write({"cards/t.yaml": "deck: Test\ncards:\n" + pair("Q?", "A")})
    result = CliRunner().invoke(app, ["build", str(project.root)])
    assert result.exit_code == 0
    assert "warning: cards/t.yaml:3:5: this card has no source" in result.output
    assert project.apkg().exists()


def test_strict_makes_lint_warnings_errors_and_writes_nothing(project):
    project.write({"cards/t.yaml": "deck: Test\ncards:\n" + pair("Q?", "A")})
    result = CliRunner().invoke(app, ["build", str(project.root), "--strict"])
    assert result.exit_code == 1
    assert "cards/t.yaml:3:5: this card has no source" in result.output
    assert not (project.root / "dist").exists()


@pytest.mark.parametrize(("options", "exit_code"), [([], 0), (["--strict"], 1)])
def test_check_exits_1_on_lint_warnings_only_when_strict(project, options, exit_code):
    project.write({"cards/t.yaml": "deck: Test\ncards:\n" + pair("Q?", "A")})
    result = CliRunner().invoke(app, ["check", str(project.root), *options])
    assert result.exit_code == exit_code
    assert "cards/t.yaml:3:5: this card has no source" in result.output


def test_check_json_lists_lint_warnings_and_fails_them_when_strict(project):
    project.write({"cards/t.yaml": "deck: Test\ncards:\n" + pair("Q?", "A")})
    lenient = CliRunner().invoke(app, ["check", str(project.root), "--format", "json"])
    strict = CliRunner().invoke(app, ["check", str(project.root), "--format", "json", "--strict"])
    assert (lenient.exit_code, strict.exit_code) == (0, 1)
    assert json.loads(lenient.stdout)["warnings"][0]["line"] == 3
    assert json.loads(strict.stdout)["errors"][0]["message"].startswith("this card has no source")


@settings(max_examples=200, deadline=None)
@given(front=st.text(max_size=80), back=st.text(max_size=80))
def test_lint_never_raises_whatever_the_text(front, back):
    where = Location(Path("cards/t.yaml"), 4)
    cards = [
        Card(where=where, deck="D", front=front, back=back, reverse=True),
        Card(where=where, deck="D", front=back, back=front),
        Card(where=where, deck="D", cloze=f"{front} {{{{c1::{back}}}}} {{{{c2::{back}}}}}"),
    ]
    assert all(isinstance(problem, Problem) for problem in lint(cards))


def test_cloze_deletion_in_a_pair_is_warned_when_anki_would_show_it_literally(project):
    project.write(
        {
            "cards/a.yaml": """\
            deck: D
            source: s
            cards:
              - id: a
                front: The heart has {{c1::four}} chambers
                back: four
            """
        }
    )
    result = build(project.root, write=False)
    assert [str(w) for w in result.warnings] == [
        "cards/a.yaml:5: the front holds a cloze deletion (`{{c1::`), which a front/back card"
        " shows as it is written: make it a cloze card (`cloze:` instead of `front:` and `back:`)"
    ]


def reference_list_items(text: str) -> int:
    """rules.list_items before its shortcuts for answers without `<` or a comma."""
    longest = max(
        len(re.findall(r"<li\b", text, re.IGNORECASE)),
        len(rules._LIST_LINE.findall(_LINE_BREAK.sub("\n", text))),
    )
    for clause in rules._CLAUSE_END.split(reference_plain(text)):
        parts = [part.strip() for part in re.split(r",\s+", clause) if part.strip()]
        if parts and parts[0].lower() in {"yes", "no"}:
            parts = parts[1:]
        if len(parts) < 2:
            continue
        oxford = rules._LEADING_CONJUNCTION.match(parts[-1])
        if oxford:
            parts[-1] = parts[-1][oxford.end() :]
        else:
            parts[-1:] = rules._CONJUNCTION.split(parts[-1])
        if all(len(_WORD.findall(part)) <= rules.MAX_ITEM_WORDS for part in parts) and not any(
            part.split()[0].lower() in rules.CLAUSE_WORDS for part in parts[1:]
        ):
            longest = max(longest, len(parts))
    return longest


@given(MARKUP)
def test_list_items_match_the_full_count(text):
    assert rules.list_items(text) == reference_list_items(text)
