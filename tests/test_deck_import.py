"""`build-deck import`: a deck made and exported by Anki itself, brought in, built, and imported
back into the collection that made it (the real Anki backend throughout)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from deckwright.build import build
from deckwright.deck_import import import_deck
from deckwright.errors import BuildFailed
from tests.conftest import AnkiCollection

PICTURE = b"\x89PNG\r\n\x1a\n" + bytes(range(64))


def made_in_anki(anki: AnkiCollection, tmp_path: Path) -> None:
    """Stock note types, an image, nested decks and tags, as a student makes them; reviewed."""
    col = anki.col
    bones, arm = col.decks.id("Anatomy::Bones"), col.decks.id("Anatomy::Muscles::Arm")
    picture = tmp_path / "skull.png"
    picture.write_bytes(PICTURE)
    image = col.media.add_file(str(picture))

    def add(kind: str, deck: int, tags: list[str], **fields: str) -> None:
        note = col.new_note(col.models.by_name(kind))
        for name, value in fields.items():
            note[name.replace("_", " ")] = value
        note.tags = tags
        col.add_note(note, deck)

    add("Basic", bones, ["bones"], Front="Largest bone?", Back="Femur")
    add("Basic (and reversed card)", bones, ["bones"], Front="Skull", Back=f'<img src="{image}">')
    add(
        "Basic (optional reversed card)",
        arm,
        ["muscles"],
        Front="Biceps",
        Back="Flexes",
        Add_Reverse="y",
    )
    add("Basic (type in the answer)", arm, [], Front="Triceps does?", Back="Extends the elbow")
    add(
        "Cloze",
        arm,
        ["muscles::arm"],
        Text="The {{c1::deltoid}} abducts the {{c2::arm}}.",
        Back_Extra="C5",
    )
    assert anki.review_all("Anatomy") == 8


def exported(anki: AnkiCollection, tmp_path: Path, kind: str) -> Path:
    from anki.collection import ExportAnkiPackageOptions
    from anki.import_export_pb2 import ExportLimit

    if kind == "colpkg":
        out = tmp_path / "collection.colpkg"
        anki.col.export_collection_package(str(out), include_media=True, legacy=False)
        anki.col.reopen()  # exporting a whole collection closes it
        return out
    out = tmp_path / "deck.apkg"
    options = ExportAnkiPackageOptions(
        with_scheduling=True, with_media=True, legacy=kind == "legacy apkg"
    )
    anki.col.export_anki_package(out_path=str(out), options=options, limit=ExportLimit())
    return out


def state(anki: AnkiCollection) -> tuple:
    col = anki.col
    notes = [col.get_note(nid) for nid in col.find_notes("")]
    return (
        sorted((note.guid, tuple(note.fields), tuple(note.tags)) for note in notes),
        col.db.scalar("select count() from revlog"),
        sorted(col.db.list("select ivl from cards")),
    )


@pytest.mark.parametrize("kind", ["apkg", "legacy apkg", "colpkg"])
def test_a_deck_made_by_anki_comes_back_unchanged_and_one_edit_updates_one_note(
    project, anki, tmp_path, monkeypatch, kind
):
    made_in_anki(anki, tmp_path)
    package = exported(anki, tmp_path, kind)
    before = state(anki)

    done = import_deck(project.root, package)

    assert (done.notes, done.already) == (5, 0)
    assert (project.root / "media" / "skull.png").read_bytes() == PICTURE
    build(project.root)
    log = anki.import_apkg(project.apkg())
    assert (len(log.new), len(log.updated)) == (0, 0)
    assert state(anki) == before  # fields, tags and reviews as they were

    (basic,) = (project.root / "cards").glob("anatomy-bones-basic.yaml")
    basic.write_text(basic.read_text().replace("back: Femur", "back: The femur"))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000100")
    build(project.root)
    log = anki.import_apkg(project.apkg())
    assert (len(log.new), len(log.updated)) == (0, 1)
    assert "The femur" in [note.fields[1] for note in anki.notes().values()]
    assert state(anki)[1:] == before[1:]


def test_a_deck_brought_in_twice_is_not_duplicated(project, anki, tmp_path):
    made_in_anki(anki, tmp_path)
    package = exported(anki, tmp_path, "apkg")
    import_deck(project.root, package)
    files = sorted((project.root / "cards").iterdir())
    done = import_deck(project.root, package)
    assert (done.notes, done.already) == (0, 5)
    assert sorted((project.root / "cards").iterdir()) == files
    assert len(build(project.root).notes) == 5


def test_the_card_files_written_keep_guid_note_type_deck_and_tags(project, anki, tmp_path):
    made_in_anki(anki, tmp_path)
    import_deck(project.root, exported(anki, tmp_path, "apkg"))
    text = (project.root / "cards" / "anatomy-muscles-arm-cloze.yaml").read_text()
    (guid,) = [note.guid for note in anki.notes().values() if "deltoid" in note.fields[0]]
    assert yaml.safe_load(text) == {
        "deck": "Anatomy::Muscles::Arm",
        "note_type": "Cloze",
        "source": "brought in from deck.apkg",
        "cards": [
            {
                "guid": guid,
                "cloze": "The {{c1::deltoid}} abducts the {{c2::arm}}.",
                "extra": "C5",
                "tags": ["muscles::arm"],
            }
        ],
    }


def test_something_else_than_a_package_is_refused(project, tmp_path):
    with pytest.raises(BuildFailed) as failed:
        import_deck(project.root, tmp_path / "notes.txt")
    assert [str(p) for p in failed.value.problems] == [
        f"{tmp_path / 'notes.txt'}: is not an Anki package: give a .apkg or .colpkg file"
    ]


def test_import_command_says_what_it_brought_in(project, anki, tmp_path):
    from typer.testing import CliRunner

    from deckwright.cli.app import app

    made_in_anki(anki, tmp_path)
    package = exported(anki, tmp_path, "apkg")
    result = CliRunner().invoke(app, ["import", str(package), str(project.root)])
    assert result.exit_code == 0
    assert result.output == "brought in 5 notes into 5 card files and 1 media file\n"


def test_without_the_anki_library_import_says_how_to_get_it(project, tmp_path, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "anki.collection", None)
    package = tmp_path / "deck.apkg"
    package.write_bytes(b"PK")
    with pytest.raises(BuildFailed) as failed:
        import_deck(project.root, package)
    assert [str(p) for p in failed.value.problems] == [
        f"{package}: reading Anki packages needs the anki library: pip install 'deckwright[import]'"
    ]


def test_a_deck_deckwright_built_comes_back_as_its_own_card_keys(example, anki, tmp_path):
    build(example.root)
    anki.import_apkg(example.apkg())
    other = tmp_path / "other"
    (other / "cards").mkdir(parents=True)
    done = import_deck(other, example.apkg())
    assert done.notes == 3
    cards = yaml.safe_load((other / "cards" / "biology-cells.yaml").read_text())["cards"]
    (mito,) = [card for card in cards if card.get("front") == "Mitochondrion"]
    assert mito["reverse"] is True
    assert not (other / "note-types").exists()
    build(other)
    (built,) = (other / "dist").glob("*.apkg")
    log = anki.import_apkg(built)
    assert (len(log.new), len(log.updated)) == (0, 0)


def test_a_note_type_of_the_students_own_is_kept_field_by_field(
    example, anki, tmp_path, monkeypatch
):
    project = example  # a build needs a card file of its own: its deck is in Anki already
    build(project.root)
    anki.import_apkg(project.apkg())
    col = anki.col
    models = col.models
    vocabulary = models.new("Vocabulary")
    for name in ("Word", "Meaning", "Example"):
        models.add_field(vocabulary, models.new_field(name))
    template = models.new_template("Recall")
    template["qfmt"], template["afmt"] = "{{Word}}", "{{FrontSide}}<hr>{{Meaning}}<br>{{Example}}"
    models.add_template(vocabulary, template)
    models.add(vocabulary)
    note = col.new_note(models.by_name("Vocabulary"))
    note["Word"], note["Meaning"] = "os", "bone"
    note.tags = ["latin"]
    col.add_note(note, col.decks.id("Anatomy::Latin"))
    assert anki.review_all("Anatomy") == 1
    before = state(anki)

    done = import_deck(project.root, exported(anki, tmp_path, "apkg"))

    assert (done.notes, done.already, [path.as_posix() for path in done.files]) == (
        1,
        3,
        ["notes/anatomy-latin-vocabulary.yaml"],
    )
    kept = project.root / "notes" / "anatomy-latin-vocabulary.yaml"
    assert yaml.safe_load(kept.read_text()) == {
        "deck": "Anatomy::Latin",
        "note_type": "Vocabulary",
        "notes": [
            {"guid": note.guid, "tags": ["latin"], "fields": {"Word": "os", "Meaning": "bone"}}
        ],
    }
    build(project.root)
    log = anki.import_apkg(project.apkg())
    assert (len(log.new), len(log.updated)) == (0, 0)
    assert state(anki) == before

    kept.write_text(kept.read_text().replace("Meaning: bone", "Meaning: a bone"))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000100")
    build(project.root)
    log = anki.import_apkg(project.apkg())
    assert (len(log.new), len(log.updated)) == (0, 1)
    assert col.get_note(note.id)["Meaning"] == "a bone"


def test_a_kept_note_that_would_run_code_is_refused_at_its_line(example):
    from deckwright.package.kept_notes import read_kept

    example.write(
        {
            "notes/x.yaml": "deck: D\nnote_type: V\nnotes:\n  - guid: g\n    fields:\n"
            "      Word: <script>alert(1)</script>\n",
            "note-types/V.json": '{"id": 5, "name": "V", "flds": [{"name": "Word"}], "tmpls": []}',
        }
    )
    rows, _, _, problems = read_kept(example.root)
    assert rows == []
    assert [str(problem) for problem in problems] == [
        "notes/x.yaml:6:13: field `Word` contains a <script> element, which would run code in"
        " the Anki of everyone you share the deck with: remove it"
    ]


def test_a_card_brought_in_then_removed_reaches_the_collection_tagged(
    project, anki, tmp_path, monkeypatch
):
    made_in_anki(anki, tmp_path)
    import_deck(project.root, exported(anki, tmp_path, "apkg"))
    build(project.root)
    basic = project.root / "cards" / "anatomy-bones-basic.yaml"
    basic.write_text(basic.read_text().split("cards:")[0] + "cards: []\n")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000100")
    assert len(build(project.root).said) == 1
    log = anki.import_apkg(project.apkg())
    assert (len(log.new), len(log.updated)) == (0, 1)
    (nid,) = anki.col.find_notes("tag:deckwright::removed")
    assert anki.col.get_note(nid).fields == ["Largest bone?", "Femur"]
