"""Media: found in fields, checked in media/, stored under content names, imported by real Anki."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import zipfile

import pytest

from deckwright.build import build
from deckwright.errors import BuildFailed
from deckwright.package import media
from deckwright.package.media import references

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)
MP3 = b"ID3\x03\x00\x00\x00\x00\x00\x00" + b"\x00" * 1990

CARDS = """\
deck: Anatomy
cards:
  - id: neuron
    front: What is this? <img src="neuron.png">
    back: A neuron [sound:anatomy/neuron.mp3]
    source: Anatomy atlas
"""


def png_name(data: bytes = PNG) -> str:
    return f"{hashlib.sha256(data).hexdigest()[:12]}-neuron.png"


@pytest.fixture
def with_media(project):
    project.write(
        {
            "cards/a.yaml": CARDS,
            "media/neuron.png": PNG,
            "media/anatomy/neuron.mp3": MP3,
        }
    )
    return project


def problems_of(project) -> list[str]:
    with pytest.raises(BuildFailed) as failed:
        build(project.root, write=False)
    return [str(problem) for problem in failed.value.problems]


def card_with(field: str) -> str:
    """A card whose back is `field`, in a block so that `[sound:...]` is not a YAML list."""
    return f"deck: D\ncards:\n  - id: x\n    front: q\n    back: |\n      {field}\n"


def test_references_are_found_as_anki_finds_them():
    text = (
        '<IMG class=x SRC=\'a b.png\'> <img src=c.png/> <img alt="src=no" src="d&amp;e.png">'
        ' [sound:f.mp3] <img src="https://example.org/g.png"> <img src="data:image/png;base64,AA">'
    )
    assert references(text) == ["a b.png", "c.png/", "d&e.png", "f.mp3"]


def test_deck_holds_media_under_content_names_and_fields_point_to_them(with_media):
    result = build(with_media.root)
    sound = f"{hashlib.sha256(MP3).hexdigest()[:12]}-neuron.mp3"
    assert [file.name for file in result.media] == sorted([png_name(), sound])
    assert result.notes[0].fields[:2] == (
        f'What is this? <img src="{png_name()}">',
        f"A neuron [sound:{sound}]",
    )
    with zipfile.ZipFile(with_media.apkg()) as archive:
        index = json.loads(archive.read("media"))
        stored = {name: archive.read(number) for number, name in index.items()}
        assert archive.namelist() == ["collection.anki2", "media", "0", "1"]
    assert stored == {png_name(): PNG, sound: MP3}


def test_rebuild_with_media_is_byte_identical(with_media):
    build(with_media.root)
    first = with_media.apkg().read_bytes()
    os.utime(with_media.root / "media/neuron.png")
    build(with_media.root)
    assert with_media.apkg().read_bytes() == first


def test_same_file_name_with_other_content_gets_another_name(with_media):
    other = PNG + b"\x00"
    (with_media.root / "media/neuron.png").write_bytes(other)
    result = build(with_media.root, write=False)
    assert png_name(other) != png_name()
    assert png_name(other) in result.notes[0].fields[0]


def test_missing_file_is_located_with_did_you_mean(with_media):
    with_media.write({"cards/a.yaml": CARDS.replace("neuron.png", "nueron.png")})
    assert problems_of(with_media) == [
        "cards/a.yaml:4: `front` refers to media/nueron.png, which does not exist (did you mean"
        " `neuron.png`?): put the file in media/ or correct the name (names are relative to media/)"
    ]


def test_file_in_a_sub_folder_is_suggested_by_its_name(with_media):
    with_media.write({"cards/a.yaml": card_with("[sound:Neuron.mp3]")})
    assert problems_of(with_media) == [
        "cards/a.yaml:5: `back` refers to media/Neuron.mp3, which does not exist (did you mean"
        " `anatomy/neuron.mp3`?): put the file in media/ or correct the name (names are relative"
        " to media/)"
    ]


def test_project_without_media_folder_is_told_to_make_one(project):
    project.write({"cards/a.yaml": card_with('<img src="x.png">')})
    assert problems_of(project) == [
        "cards/a.yaml:5: `back` refers to `x.png`, but the project has no media/ folder:"
        " create media/ and put the file in it"
    ]


@pytest.mark.parametrize(
    ("field", "message"),
    [
        (
            "<img src='/etc/passwd'>",
            "`back` refers to `/etc/passwd`, an absolute path or URL outside the project:"
            " copy the file into media/ and write its name there, e.g. `passwd`",
        ),
        (
            "<img src='file:///tmp/x.png'>",
            "`back` refers to `file:///tmp/x.png`, an absolute path or URL outside the project:"
            " copy the file into media/ and write its name there, e.g. `x.png`",
        ),
        (
            "[sound:../cards/a.yaml]",
            "`back` refers to `../cards/a.yaml`, which uses `..` to leave media/:"
            " copy the file into media/ and write its name there, e.g. `a.yaml`",
        ),
        (
            "[sound:anatomy\\neuron.mp3]",
            "`back` refers to `anatomy\\neuron.mp3`, which uses `\\`: separate folders with `/`,"
            " e.g. `anatomy/neuron.mp3`",
        ),
        ("<img src=''>", "`back` refers to ``, an empty name: write the file's name in media/"),
        (
            "<img src='anatomy'>",
            "`back` refers to media/anatomy, which is a folder: name a file",
        ),
    ],
)
def test_paths_that_leave_media_are_refused(with_media, field, message):
    with_media.write({"cards/a.yaml": card_with(field)})
    assert problems_of(with_media) == [f"cards/a.yaml:5: {message}"]


def test_link_to_a_file_outside_the_project_is_refused(with_media, tmp_path):
    outside = tmp_path / "secret.png"
    outside.write_bytes(PNG)
    (with_media.root / "media/link.png").symlink_to(outside)
    (with_media.root / "media/inside.png").symlink_to(with_media.root / "media/neuron.png")
    with_media.write({"cards/a.yaml": card_with("<img src='link.png'><img src='inside.png'>")})
    assert problems_of(with_media) == [
        "cards/a.yaml:5: `back` refers to media/link.png, a link to a file outside the project:"
        " copy the file into media/ instead of linking to it"
    ]


def test_large_media_are_warned_about_with_their_size(with_media, monkeypatch):
    monkeypatch.setattr(media, "LARGE_BYTES", 1000)
    result = build(with_media.root, write=False)
    assert [str(warning) for warning in result.warnings] == [
        "cards/a.yaml:5: media/anatomy/neuron.mp3 is 2 kB (over 1 kB): large media make the deck"
        " slow to share and sync; shrink or compress it"
    ]


def test_deck_with_image_and_sound_imports_into_anki_with_its_media(with_media, anki):
    build(with_media.root)
    log = anki.import_apkg(with_media.apkg())
    assert len(log.new) == 1
    media_dir = anki.col.media.dir()
    sound = f"{hashlib.sha256(MP3).hexdigest()[:12]}-neuron.mp3"
    assert sorted(os.listdir(media_dir)) == sorted([png_name(), sound])
    with open(os.path.join(media_dir, png_name()), "rb") as stream:
        assert stream.read() == PNG
    (card,) = anki.cards()
    assert f'<img src="{png_name()}">' in card.question()
    assert card.answer_av_tags()[0].filename == sound
