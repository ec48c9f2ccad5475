"""A card taken out of the YAML, and one moved to another deck, as the real Anki backend sees
them after importing the next deck (a package import never deletes a note or moves a card)."""

from deckwright.build import build
from deckwright.package.lock_changes import REMOVED_TAG
from tests.conftest import EXAMPLE, AnkiCollection

NUCLEUS = """\
  - id: nucleus
    front: What holds the DNA of a eukaryotic cell?
    back: The nucleus
"""
QUESTION = "What holds the DNA of a eukaryotic cell?"


def test_a_removed_card_is_tagged_in_the_collection_and_in_the_removed_deck_for_newcomers(
    example, anki, tmp_path, monkeypatch
):
    build(example.root)
    anki.import_apkg(example.apkg())
    example.write({"cards/cells.yaml": EXAMPLE.replace(NUCLEUS, "")})
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000100")

    result = build(example.root)

    assert result.said == [
        "1 removed note carried with the tag deckwright::removed: in Anki, search"
        " `tag:deckwright::removed` to find and delete them"
    ]
    log = anki.import_apkg(example.apkg())
    assert (len(log.new), len(log.updated)) == (0, 1)
    (nid,) = anki.col.find_notes(f"tag:{REMOVED_TAG}")
    note = anki.col.get_note(nid)
    assert note.fields[0] == QUESTION
    assert note.tags == ["bio", REMOVED_TAG]
    # Anki never moves a card it has on import: the card stays where the student had it.
    assert {anki.col.decks.name(card.did) for card in note.cards()} == {"Biology::Cells"}

    newcomer = AnkiCollection(tmp_path / "newcomer.anki2")
    try:
        newcomer.import_apkg(example.apkg())
        (nid,) = newcomer.col.find_notes(f"tag:{REMOVED_TAG}")
        cards = newcomer.col.get_note(nid).cards()
        assert {newcomer.col.decks.name(card.did) for card in cards} == {"Biology::Removed"}
    finally:
        newcomer.col.close()

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000200")
    build(example.root)
    log = anki.import_apkg(example.apkg())
    assert (len(log.new), len(log.updated)) == (0, 0)  # sent once, not on every build


def test_a_removed_card_put_back_loses_the_tag(example, anki, monkeypatch):
    build(example.root)
    anki.import_apkg(example.apkg())
    example.write({"cards/cells.yaml": EXAMPLE.replace(NUCLEUS, "")})
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000100")
    build(example.root)
    anki.import_apkg(example.apkg())
    example.write({"cards/cells.yaml": EXAMPLE})
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000200")

    assert build(example.root).said == []
    log = anki.import_apkg(example.apkg())

    assert (len(log.new), len(log.updated)) == (0, 1)
    assert anki.notes()[QUESTION].tags == ["bio"]
    assert "removed" not in (example.root / "deckwright.lock").read_text()


def test_a_card_moved_to_another_deck_keeps_its_deck_in_anki(example, anki, monkeypatch):
    build(example.root)
    anki.import_apkg(example.apkg())
    moved = EXAMPLE.replace("deck: Biology::Cells", "deck: Biology::Organelles")
    example.write({"cards/cells.yaml": moved})
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000100")
    build(example.root)
    log = anki.import_apkg(example.apkg())
    assert (len(log.new), len(log.updated)) == (0, 3)
    # As the README says: Anki's importer updates the notes but leaves each card in its deck.
    assert {anki.col.decks.name(card.did) for card in anki.cards()} == {"Biology::Cells"}
