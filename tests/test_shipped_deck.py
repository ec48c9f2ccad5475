"""The shipped deck, built from the repository's own files and imported into real Anki.

The content tests check that each lesion sign is taught on the right neuron: one of our source
documents publishes its lesion row with the two cells swapped, and a deck that taught it as
published must fail here (see test_lesion_check_fails_when_the_swapped_row_is_taught).
"""

from __future__ import annotations

import html
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from deckwright.build import BuildResult, build
from deckwright.package.identity import note_guid

REPO = Path(__file__).resolve().parents[1]
FIXED_TIME = 1_700_000_000
DECKS = {
    f"Neuroscience::Motor neurons::{name}" for name in ("Comparison", "Definitions", "Clinical")
}

# Signs that belong to one neuron only; "atrophy" is left out: UMN cards say it is absent.
UMN_ONLY = ("spastic", "hyperreflexia")
LMN_ONLY = ("flaccid", "fasciculation", "hyporeflexia", "areflexia", "absent reflex")
NEURON = {
    "umn": re.compile(r"\bupper motor neuron|\bUMN", re.IGNORECASE),
    "lmn": re.compile(r"\blower motor neuron|\bLMN", re.IGNORECASE),
}


@dataclass(frozen=True)
class Shown:
    """One card as Anki renders it, with what its note teaches."""

    guid: str
    deck: str
    tags: tuple[str, ...]
    kind: str  # "cloze", "reversed" or "pair", from the note type and the Reverse field
    question: str  # rendered, as text
    answer: str  # rendered answer side, as text, without the source line
    revealed: tuple[str, ...]  # the cloze answers revealed on the answer side
    taught: str  # the note's front and back, or its cloze text: what it teaches, without extras
    source: str  # the source line shown on the answer side


def _text(rendered: str) -> str:
    rendered = re.sub(r"<style>.*?</style>", " ", rendered, flags=re.DOTALL)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", rendered)).split())


def build_and_import(root: Path, collection: Path) -> tuple[BuildResult, list[Shown]]:
    """Build the project at `root` and import it into a fresh real Anki collection."""
    from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", str(FIXED_TIME))
        result = build(root)
    col = Collection(str(collection))
    try:
        options = ImportAnkiPackageOptions(with_scheduling=True, merge_notetypes=True)
        request = ImportAnkiPackageRequest(package_path=str(root / result.output), options=options)
        col.import_anki_package(request)
        shown = []
        for card_id in col.find_cards(""):
            card = col.get_card(card_id)
            note = card.note()
            fields = dict(note.items())
            cloze = "Text" in fields
            answer = card.answer()
            if not cloze:
                answer = answer.split('<hr id="answer">', 1)[1]
            source = re.search(r'<div class="source">(.*?)</div>', answer, re.DOTALL)
            if source:
                answer = answer.replace(source.group(), "")
            revealed = re.findall(r'<span class="cloze"[^>]*>(.*?)</span>', answer, re.DOTALL)
            shown.append(
                Shown(
                    guid=note.guid,
                    deck=col.decks.name(card.did),
                    tags=tuple(note.tags),
                    kind="cloze" if cloze else "reversed" if fields["Reverse"] else "pair",
                    question=_text(card.question()),
                    answer=_text(answer),
                    revealed=tuple(_text(text) for text in revealed),
                    taught=_text(
                        fields["Text"] if cloze else fields["Front"] + " | " + fields["Back"]
                    ),
                    source=_text(source.group(1)) if source else "",
                )
            )
    finally:
        col.close()
    return result, shown


def copy_project(target: Path) -> Path:
    for folder in ("cards", "sources"):
        shutil.copytree(REPO / folder, target / folder)
    shutil.copy(REPO / "deckwright.lock", target)
    return target


@pytest.fixture(scope="module")
def shipped(tmp_path_factory) -> tuple[BuildResult, list[Shown]]:
    root = copy_project(tmp_path_factory.mktemp("shipped"))
    return build_and_import(root, root / "collection.anki2")


def by_id(result: BuildResult, shown: list[Shown], card_id: str) -> list[Shown]:
    (card,) = [card for card in result.cards if card.id == card_id]
    found = [one for one in shown if one.guid == note_guid(card)]
    assert found, f"no card of `{card_id}` reached Anki"
    return found


def neurons(one: Shown) -> set[str]:
    """The neuron(s) a card teaches about: its tag, and the one neuron its text names, if one."""
    tagged = {name for name in NEURON if f"neuro::motor::{name}" in one.tags}
    named = {name for name, pattern in NEURON.items() if pattern.search(one.taught)}
    return tagged | (named if len(named) == 1 else set())


def misattributed(shown: list[Shown]) -> list[str]:
    """Every card that teaches a lesion sign on the wrong neuron."""
    wrong = []
    for one in shown:
        for neuron, foreign in (("umn", LMN_ONLY), ("lmn", UMN_ONLY)):
            signs = [sign for sign in foreign if sign in one.taught.lower()]
            if neuron in neurons(one) and signs:
                wrong.append(f"{neuron} card teaches {signs}: {one.taught}")
    return wrong


def test_shipped_deck_builds_without_warnings_into_neuroscience_apkg(shipped):
    result, _ = shipped
    assert result.output == Path("dist/neuroscience.apkg")
    assert [str(warning) for warning in result.warnings] == []


def test_shipped_deck_covers_all_11_comparison_rows_and_corrects_the_lesion_row(shipped):
    result, _ = shipped
    assert result.coverage.line() == "11/11 comparison rows covered"
    corrected = [report.row.name for report in result.coverage.rows if report.row.correction]
    assert corrected == ["umn-vs-lmn-short-article#lesion-signs"]


def test_every_shipped_card_renders_a_question_an_answer_and_its_source(shipped):
    _, shown = shipped
    assert len(shown) >= 60
    for one in shown:
        assert one.question and one.answer, one.taught
        assert one.source, one.taught


def test_shipped_deck_has_enough_cloze_and_reversed_notes(shipped):
    _, shown = shipped
    notes = {one.guid: one.kind for one in shown}
    assert sum(kind == "cloze" for kind in notes.values()) >= 8
    assert sum(kind == "reversed" for kind in notes.values()) >= 8
    for guid, kind in notes.items():
        if kind == "reversed":
            assert sum(one.guid == guid for one in shown) == 2


def test_shipped_cards_sit_in_nested_decks_with_hierarchical_tags(shipped):
    _, shown = shipped
    assert {one.deck for one in shown} == DECKS
    for one in shown:
        kinds = [
            tag
            for tag in one.tags
            if tag in {f"neuro::motor::{n}" for n in NEURON} | {"neuro::motor::both"}
        ]
        assert len(kinds) == 1, (one.tags, one.taught)


def test_lesion_cards_attach_each_sign_to_the_right_neuron(shipped):
    _, shown = shipped
    assert misattributed(shown) == []
    for neuron, signs in (("umn", UMN_ONLY), ("lmn", ("flaccid", "fasciculation"))):
        lesion = [
            one for one in shown if neuron in neurons(one) and "neuro::motor::lesion" in one.tags
        ]
        for sign in signs:
            assert any(sign in one.answer.lower() for one in lesion), (neuron, sign)


def test_lesion_row_cards_reveal_the_corrected_signs(shipped):
    result, shown = shipped
    umn = " ".join(
        text for one in by_id(result, shown, "umn-lesion-signs") for text in one.revealed
    )
    lmn = " ".join(
        text for one in by_id(result, shown, "lmn-lesion-signs") for text in one.revealed
    )
    assert "spasticity" in umn and "hyperreflexia" in umn
    assert "flaccid" in lmn and "fasciculations" in lmn
    assert not any(sign in umn for sign in LMN_ONLY)
    assert not any(sign in lmn for sign in UMN_ONLY)


def test_lesion_check_fails_when_the_swapped_row_is_taught(tmp_path):
    root = copy_project(tmp_path / "swapped")
    cards = root / "cards" / "comparison-short-article.yaml"
    text = cards.read_text(encoding="utf-8")
    upper, lower = "An upper motor neuron lesion causes", "A lower motor neuron lesion causes"
    assert upper in text and lower in text
    # The published row: each neuron's cell holds the other neuron's signs.
    swapped = text.replace(upper, "\0").replace(lower, upper).replace("\0", lower)
    cards.write_text(swapped, encoding="utf-8")
    _, shown = build_and_import(root, tmp_path / "collection.anki2")
    wrong = misattributed(shown)
    assert any(line.startswith("umn card teaches ['flaccid', 'fasciculation'") for line in wrong)
    assert any(line.startswith("lmn card teaches ['spastic', 'hyperreflexia']") for line in wrong)


@pytest.mark.parametrize(
    ("card_id", "expected"),
    [
        ("umn-cell-body-site", "brain"),
        ("lmn-cell-body-site", "spinal cord"),
        ("cell-body-size", "Upper motor neurons"),
        ("umn-classified-by-tract", "tract"),
        ("lmn-classified-by-fibre", "muscle fibre"),
        ("umn-synapses-on-lmn", "Lower motor neurons"),
        ("lmn-target", "Skeletal muscle"),
        ("term-gowers", "William Gowers"),
        ("term-als", "upper and lower motor neurons"),
    ],
)
def test_key_facts_are_on_the_answer_side(shipped, card_id, expected):
    result, shown = shipped
    cards = by_id(result, shown, card_id)
    assert any(expected in one.answer and expected not in one.question for one in cards)


def test_committed_lock_is_current_so_a_fresh_clone_builds_identical_bytes(tmp_path):
    """A change of cards or note types must come with its deckwright.lock, or every clone
    would stamp new times and classmates' decks would differ."""
    first = build(copy_project(tmp_path / "one"))
    assert (tmp_path / "one/deckwright.lock").read_bytes() == (
        REPO / "deckwright.lock"
    ).read_bytes()
    build(copy_project(tmp_path / "two"))
    assert (tmp_path / "one" / first.output).read_bytes() == (
        tmp_path / "two" / first.output
    ).read_bytes()
