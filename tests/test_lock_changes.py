"""Warnings for the cards a note no longer makes, which Anki keeps blank after an import."""

from deckwright.build import build
from tests.conftest import EXAMPLE

FIX = "after importing the deck, run Tools -> Empty Cards in Anki to delete it"
NO_REVERSE = EXAMPLE.replace("reverse: true", "reverse: false")
NO_C2 = EXAMPLE.replace("{{c2::amino acids::building blocks}}", "amino acids")


def warnings_of(result) -> list[str]:
    return [str(w) for w in result.warnings if "Empty Cards" in w.message]


def test_reverse_turned_off_and_a_cloze_number_gone_are_warned_with_the_fix(example, monkeypatch):
    build(example.root)
    example.write({"cards/cells.yaml": NO_C2.replace("reverse: true", "reverse: false")})
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000100")
    assert warnings_of(build(example.root, write=False)) == [
        "cards/cells.yaml:7:5: card `mito` is no longer `reverse: true`: Anki keeps its reverse"
        f" card, blank; {FIX}",
        "cards/cells.yaml:12:5: card `ribosome` no longer has cloze deletion c2: Anki keeps its"
        f" card, empty; {FIX}",
    ]
    assert len(warnings_of(build(example.root))) == 2
    assert warnings_of(build(example.root)) == []  # said once, by the build that made the deck


def test_anki_finds_the_blank_cards_with_empty_cards(example, anki, monkeypatch):
    build(example.root)
    anki.import_apkg(example.apkg())
    example.write({"cards/cells.yaml": NO_C2.replace("reverse: true", "reverse: false")})
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000100")
    build(example.root)
    anki.import_apkg(example.apkg())
    assert len(anki.cards()) == 5  # the import deleted nothing
    report = anki.col.get_empty_cards()
    assert sorted(len(note.card_ids) for note in report.notes) == [1, 1]
