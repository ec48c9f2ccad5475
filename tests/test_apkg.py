"""The bulk collection writer against genanki, the reference it replaces, and against real Anki."""

from __future__ import annotations

import itertools
import json
import sqlite3
import zipfile
from pathlib import Path

import genanki
import pytest
from genanki.util import guid_for as genanki_guid_for

from deckwright.build import build
from deckwright.package import apkg as package
from deckwright.package import notes
from deckwright.package.apkg import write_package
from deckwright.package.identity import deck_id, guid_for
from deckwright.package.notes import NoteRow, card_ords

TIME = 1_750_000_000
PAIR_FIELDS = [
    ("What is ser?", "to be", "", "", "y"),
    ("What is estar?", "to be (state)", "<b>temporary</b>", "Grammar p. 3", ""),
    ("Front only", "", "", "", "y"),  # a reverse card needs a back: genanki makes one card
]
CLOZE_FIELDS = [
    ("{{c1::Paris}} is in {{c2::France}}", "", ""),
    ("{{c2::b}} and {{c2::again}} and {{c1::a::hint}}", "extra", "src"),
    ("multi {{c3::line<br>answer}}", "", ""),
    ("{{c0::zero}} is not a deletion, {{c1::one}} is", "", ""),
]


def rows() -> list[NoteRow]:
    made = [
        NoteRow(f"p{i}", "Lang::Spanish", notes.PAIR_ID, fields, ("verbs", "es"))
        for i, fields in enumerate(PAIR_FIELDS)
    ]
    made += [
        NoteRow(f"c{i}", "Geo" if i % 2 else "Lang::Spanish", notes.CLOZE_ID, fields, ())
        for i, fields in enumerate(CLOZE_FIELDS)
    ]
    return made


def genanki_collection(path: Path, note_rows: list[NoteRow]) -> None:
    """What genanki itself writes for the same notes, the way the previous package.py did."""
    decks: dict[str, genanki.Deck] = {}
    for row in note_rows:
        deck = decks.setdefault(row.deck, genanki.Deck(deck_id(row.deck), row.deck))
        model = package.CLOZE if row.model_id == notes.CLOZE_ID else package.PAIR
        deck.add_note(genanki.Note(model, list(row.fields), tags=list(row.tags), guid=row.guid))
    connection = sqlite3.connect(path)
    genanki.Package([decks[name] for name in sorted(decks)]).write_to_db(
        connection.cursor(), TIME, itertools.count(TIME * 1000)
    )
    connection.commit()
    connection.close()


def table(path: Path, query: str) -> list[tuple]:
    connection = sqlite3.connect(path)
    try:
        return connection.execute(query).fetchall()
    finally:
        connection.close()


@pytest.fixture
def both(tmp_path: Path) -> tuple[Path, Path]:
    ours, theirs = tmp_path / "ours.anki2", tmp_path / "genanki.anki2"
    made = rows()
    package._write_collection(
        ours, made, {row.guid: TIME for row in made}, [card_ords(row) for row in made]
    )
    genanki_collection(theirs, rows())
    return ours, theirs


def test_notes_and_cards_tables_match_genanki_when_written_in_bulk(both):
    ours, theirs = both
    for query in ("SELECT * FROM notes ORDER BY id", "SELECT * FROM cards ORDER BY id"):
        assert table(ours, query) == table(theirs, query)
    assert len(table(ours, "SELECT * FROM cards")) == 2 + 1 + 1 + 2 + 2 + 1 + 1


def test_schema_and_collection_row_match_genanki_when_written_in_bulk(both):
    ours, theirs = both
    schema = "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY name"
    assert table(ours, schema) == table(theirs, schema)
    (mine,), (reference,) = (table(path, "SELECT * FROM col") for path in both)
    assert mine[:9] == reference[:9]
    for column in (9, 10, 11, 12):  # models, decks, dconf, tags: JSON, compared as values
        assert json.loads(mine[column]) == json.loads(reference[column])


def test_card_count_matches_genanki_for_every_kind_of_note():
    for row in rows():
        model = package.CLOZE if row.model_id == notes.CLOZE_ID else package.PAIR
        expected = [card.ord for card in genanki.Note(model, list(row.fields)).cards]
        assert card_ords(row) == tuple(sorted(expected))


def test_pair_requirements_match_genankis_computed_ones():
    assert [[o, "all", list(f)] for o, f in notes._PAIR_REQUIRES] == package.PAIR._req


def test_guid_for_matches_genanki_for_unicode_and_empty_ids():
    for value in ("", "ser", "día 1", "x" * 300, "🧠::neuro"):
        assert guid_for("deckwright id", value) == genanki_guid_for("deckwright id", value)


def test_package_is_deflated_reproducible_and_leaves_no_scratch_files(tmp_path, monkeypatch):
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setenv("TMPDIR", str(scratch))
    times = {row.guid: TIME for row in rows()}
    first = tmp_path / "dist" / "a.apkg"
    write_package(first, rows(), times)
    write_package(tmp_path / "dist" / "b.apkg", rows(), times)
    assert first.read_bytes() == (tmp_path / "dist" / "b.apkg").read_bytes()
    assert sorted(p.name for p in (tmp_path / "dist").iterdir()) == ["a.apkg", "b.apkg"]
    assert list(scratch.iterdir()) == []
    with zipfile.ZipFile(first) as archive:
        assert [i.compress_type for i in archive.infolist()] == [zipfile.ZIP_DEFLATED] * 2
        assert [i.date_time for i in archive.infolist()] == [(1980, 1, 1, 0, 0, 0)] * 2


def test_the_collection_is_deflated_by_isal_as_its_level_1_deflates_it(tmp_path):
    """zipfile is told to use ISA-L's deflater through a private attribute: if a Python stopped
    reading it, zlib would deflate the deck (valid, but slower and other bytes)."""
    from isal import isal_zlib

    deck = tmp_path / "a.apkg"
    write_package(deck, rows(), {row.guid: TIME for row in rows()})
    with zipfile.ZipFile(deck) as archive:
        info = archive.getinfo("collection.anki2")
        collection = archive.read(info)
    with deck.open("rb") as stream:
        stream.seek(info.header_offset + 26)
        name_length, extra_length = (int.from_bytes(stream.read(2), "little") for _ in range(2))
        stream.seek(name_length + extra_length, 1)
        stored = stream.read(info.compress_size)
    deflater = isal_zlib.compressobj(package.COMPRESS_LEVEL, isal_zlib.DEFLATED, -15)
    assert stored == deflater.compress(collection) + deflater.flush()


def test_failed_write_leaves_no_scratch_collection(tmp_path, monkeypatch):
    def broken(*args):
        raise OSError("disk full")

    monkeypatch.setattr(package, "_zip", broken)
    with pytest.raises(OSError):
        write_package(tmp_path / "dist" / "a.apkg", rows(), {row.guid: TIME for row in rows()})
    assert list((tmp_path / "dist").iterdir()) == []


def test_work_done_while_the_deck_is_compressed_changes_nothing_in_it(tmp_path):
    times = {row.guid: TIME for row in rows()}
    plain, alongside = tmp_path / "plain.apkg", tmp_path / "alongside.apkg"
    write_package(plain, rows(), times)
    ran = []
    write_package(alongside, rows(), times, meanwhile=lambda: ran.append(1))
    assert ran == [1]
    assert alongside.read_bytes() == plain.read_bytes()


@pytest.mark.parametrize("failing", ["zip", "meanwhile"])
def test_a_failure_on_either_side_of_the_compression_leaves_no_deck(tmp_path, monkeypatch, failing):
    def broken(*args):
        raise OSError("disk full")

    if failing == "zip":
        monkeypatch.setattr(package, "_zip", broken)
    with pytest.raises(OSError, match="disk full"):
        write_package(
            tmp_path / "dist" / "a.apkg",
            rows(),
            {row.guid: TIME for row in rows()},
            meanwhile=broken if failing == "meanwhile" else lambda: None,
        )
    assert list((tmp_path / "dist").iterdir()) == []


def _anki_contents(apkg: Path, folder: Path) -> tuple[list, list]:
    from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest

    folder.mkdir()
    col = Collection(str(folder / "c.anki2"))
    try:
        col.import_anki_package(
            ImportAnkiPackageRequest(
                package_path=str(apkg),
                options=ImportAnkiPackageOptions(with_scheduling=True, merge_notetypes=True),
            )
        )
        notes = sorted(
            (note.guid, list(note.fields), sorted(note.tags))
            for note in map(col.get_note, col.find_notes(""))
        )
        cards = sorted(
            (col.get_note(card.nid).guid, card.ord, col.decks.name(card.did))
            for card in map(col.get_card, col.find_cards(""))
        )
        return notes, cards
    finally:
        col.close()


def test_anki_imports_the_bulk_written_deck_as_it_imports_genankis(tmp_path):
    ours, theirs = tmp_path / "ours.apkg", tmp_path / "genanki.apkg"
    write_package(ours, rows(), {row.guid: TIME for row in rows()})
    decks: dict[str, genanki.Deck] = {}
    for row in rows():
        deck = decks.setdefault(row.deck, genanki.Deck(deck_id(row.deck), row.deck))
        model = package.CLOZE if row.model_id == notes.CLOZE_ID else package.PAIR
        deck.add_note(genanki.Note(model, list(row.fields), tags=list(row.tags), guid=row.guid))
    genanki.Package(list(decks.values())).write_to_file(theirs, timestamp=TIME)
    mine = _anki_contents(ours, tmp_path / "a")
    assert mine == _anki_contents(theirs, tmp_path / "b")
    assert len(mine[0]) == len(rows())
    assert len(mine[1]) == 10


def test_check_does_not_import_genanki(tmp_path):
    import subprocess
    import sys

    (tmp_path / "cards").mkdir()
    (tmp_path / "cards" / "a.yaml").write_text("deck: D\ncards:\n  - front: f\n    back: b\n")
    code = (
        "import sys; from pathlib import Path; from deckwright.build import build;"
        f" build(Path({str(tmp_path)!r}), write=False); print('genanki' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_build_output_is_identical_to_a_second_build(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(TIME))
    (tmp_path / "cards").mkdir()
    (tmp_path / "cards" / "a.yaml").write_text(
        "deck: D\ncards:\n  - front: f\n    back: b\n    reverse: true\n  - cloze: '{{c1::x}}'\n"
    )
    first = build(tmp_path)
    data = (tmp_path / first.output).read_bytes()
    assert first.card_count == 3
    build(tmp_path)
    assert (tmp_path / first.output).read_bytes() == data
