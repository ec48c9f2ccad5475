import os
import shutil
import zipfile

import pytest

from deckwright.build import build
from deckwright.errors import BuildFailed


def test_build_writes_the_deck_named_after_the_top_deck(example):
    result = build(example.root)
    assert result.output.as_posix() == "dist/biology.apkg"
    assert result.summary().endswith(
        "3 notes (1 pair, 1 reversed, 1 cloze) -> 5 cards in 1 deck\n0/0 comparison rows covered"
    )


def test_unchanged_sources_give_identical_bytes_after_touch_and_in_a_copy(example, tmp_path):
    build(example.root)
    first = example.apkg().read_bytes()
    os.utime(example.root / "cards/cells.yaml")
    build(example.root)
    assert example.apkg().read_bytes() == first

    copy = tmp_path / "copy"
    shutil.copytree(example.root, copy, ignore=shutil.ignore_patterns("dist"))
    build(copy)
    assert (copy / "dist/biology.apkg").read_bytes() == first


def test_package_entries_are_compressed_with_fixed_dates(example):
    build(example.root)
    with zipfile.ZipFile(example.apkg()) as archive:
        infos = archive.infolist()
    assert [info.filename for info in infos] == ["collection.anki2", "media"]
    assert {info.compress_type for info in infos} == {zipfile.ZIP_DEFLATED}
    assert {info.date_time for info in infos} == {(1980, 1, 1, 0, 0, 0)}


def test_failed_build_leaves_the_previous_deck_untouched(example):
    build(example.root)
    before = example.apkg().read_bytes()
    example.write({"cards/broken.yaml": "deck: D\ncards:\n  - front: q\n"})
    with pytest.raises(BuildFailed) as failed:
        build(example.root)
    assert [str(p) for p in failed.value.problems] == [
        "cards/broken.yaml:3:5: this card has no `back`: add `back: ...`"
    ]
    assert example.apkg().read_bytes() == before
    assert sorted(p.name for p in (example.root / "dist").iterdir()) == ["biology.apkg"]


def test_problems_of_all_files_are_reported_in_one_run(project):
    project.write(
        {
            "cards/a.yaml": "deck: D\ncards:\n  - front: q\n",
            "cards/b.yaml": "deck: D\ncards:\n  - cloze: nothing\n",
        }
    )
    with pytest.raises(BuildFailed) as failed:
        build(project.root)
    assert [p.where.path.as_posix() for p in failed.value.problems] == [
        "cards/a.yaml",
        "cards/b.yaml",
    ]
    assert not (project.root / "dist").exists()


def test_check_writes_nothing(example):
    result = build(example.root, write=False)
    assert result.card_count == 5
    assert not (example.root / "dist").exists()
    assert not (example.root / "deckwright.lock").exists()


def test_change_log_is_written_only_when_notes_change(example):
    build(example.root)
    lock = example.root / "deckwright.lock"
    stamp = lock.stat().st_mtime_ns
    text = lock.read_text()
    build(example.root)
    assert lock.stat().st_mtime_ns == stamp
    assert '"version": 1' in text and text.count("1700000000") == 5  # 3 notes, 2 note types
