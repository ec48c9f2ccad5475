"""What we build, imported by the real Anki backend: our definition of "works in Anki"."""

import re
from pathlib import Path

from deckwright.build import build
from tests.conftest import EXAMPLE, AnkiCollection


def test_deck_imports_with_cards_per_kind_decks_and_tags(example, anki):
    build(example.root)
    log = anki.import_apkg(example.apkg())
    assert (len(log.new), len(log.updated)) == (3, 0)
    cards = anki.cards()
    per_note: dict[str, int] = {}
    for card in cards:
        first = card.note().fields[0]
        per_note[first] = per_note.get(first, 0) + 1
    assert sorted(per_note.values()) == [1, 2, 2]  # pair, reversed pair, cloze with c1 and c2
    assert {anki.col.decks.name(card.did) for card in cards} == {"Biology::Cells"}
    assert anki.notes()["Mitochondrion"].tags == ["bio", "bio::organelles"]
    for card in cards:
        assert card.question().strip() and card.answer().strip()


def test_cloze_front_hides_and_back_shows_the_answer(example, anki):
    build(example.root)
    anki.import_apkg(example.apkg())
    (first,) = [c for c in anki.cards() if "ribosome" in c.note().fields[0] and c.ord == 0]
    shown = re.sub(r"<[^>]+>", "", first.question())  # data-cloze attributes are not shown
    assert "ribosomes" not in shown
    assert "[...]" in shown
    assert "ribosomes" in first.answer()


def test_rebuild_after_one_edit_updates_exactly_that_note_and_keeps_reviews(
    example, anki, monkeypatch
):
    build(example.root)
    anki.import_apkg(example.apkg())
    reviewed = anki.review_all("Biology")
    assert reviewed == 5
    reviews_before = anki.col.db.scalar("select count() from revlog")
    intervals_before = sorted(anki.col.db.list("select ivl from cards"))

    edited = EXAMPLE.replace("back: The nucleus", "back: The cell nucleus")
    example.write({"cards/cells.yaml": edited})
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000100")
    build(example.root)
    log = anki.import_apkg(example.apkg())

    assert (len(log.new), len(log.updated)) == (0, 1)
    assert anki.notes()["What holds the DNA of a eukaryotic cell?"].fields[1] == "The cell nucleus"
    assert anki.col.db.scalar("select count() from revlog") == reviews_before
    assert sorted(anki.col.db.list("select ivl from cards")) == intervals_before
    assert len(anki.cards()) == 5


def test_rebuild_leaves_notes_the_student_edited_in_anki_alone(example, anki, monkeypatch):
    build(example.root)
    anki.import_apkg(example.apkg())
    note = anki.notes()["Mitochondrion"]
    note.fields[2] = "my own mnemonic"
    anki.col.update_note(note)

    example.write({"cards/cells.yaml": EXAMPLE.replace("The nucleus", "The cell nucleus")})
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000100")
    build(example.root)
    log = anki.import_apkg(example.apkg())

    assert len(log.updated) == 1
    assert anki.notes()["Mitochondrion"].fields[2] == "my own mnemonic"


def test_unchanged_rebuild_updates_nothing(example, anki, monkeypatch):
    build(example.root)
    anki.import_apkg(example.apkg())
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700009999")
    build(example.root)
    log = anki.import_apkg(example.apkg())
    assert (len(log.new), len(log.updated)) == (0, 0)


def test_changed_note_type_styling_reaches_the_collection(example, anki, monkeypatch):
    from deckwright.package import templates

    build(example.root)
    anki.import_apkg(example.apkg())
    monkeypatch.setattr(templates, "CSS", templates.CSS + ".card { color: red; }")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000100")
    build(example.root)
    log = anki.import_apkg(example.apkg())
    assert (len(log.new), len(log.updated)) == (0, 0)
    pair = anki.col.models.by_name("deckwright pair")
    assert pair["css"].endswith(".card { color: red; }")


def test_deepest_deck_anki_imports_is_the_limit_the_build_enforces(tmp_path):
    """Anki refuses a whole package with a deck nested deeper than MAX_DECK_DEPTH names (when
    the collection lacks its parent decks, as a student's does on the first import)."""
    import pytest

    from deckwright.model.field_checks import MAX_DECK_DEPTH
    from deckwright.package import notes
    from deckwright.package.apkg import write_package
    from deckwright.package.notes import NoteRow

    def deck(depth: int) -> Path:
        name = "::".join(f"L{level}" for level in range(1, depth + 1))
        row = NoteRow(f"g{depth}", name, notes.PAIR_ID, ("q", "a", "", "", ""), ())
        path = tmp_path / f"{depth}.apkg"
        write_package(path, [row], {row.guid: 1_700_000_000})
        return path

    for depth in (MAX_DECK_DEPTH, MAX_DECK_DEPTH + 1):
        anki = AnkiCollection(tmp_path / f"{depth}.anki2")
        try:
            if depth == MAX_DECK_DEPTH:
                assert len(anki.import_apkg(deck(depth)).new) == 1
            else:
                with pytest.raises(Exception, match="deck nesting level too deep"):
                    anki.import_apkg(deck(depth))
        finally:
            anki.col.close()
