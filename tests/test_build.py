import gc
import os
import shutil
import zipfile

import pytest
from typer.testing import CliRunner

from deckwright.build import build
from deckwright.cli.app import app
from deckwright.errors import BuildFailed
from deckwright.incremental import parallel
from tests import faults


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


def test_lock_is_written_only_when_notes_change(example):
    build(example.root)
    lock = example.root / "deckwright.lock"
    stamp = lock.stat().st_mtime_ns
    text = lock.read_text()
    build(example.root)
    assert lock.stat().st_mtime_ns == stamp
    assert text.startswith("# deckwright lock") and text.count("\t1700000000\t") == 5
    assert len(text.splitlines()) == 6  # a comment, 3 notes, 2 note types


NEAR_DUPLICATES = """\
deck: Neuro
source: Lecture 1
cards:
  - id: a
    front: Where are the cell bodies of upper motor neurons?
    back: Brain
  - id: b
    front: Where are the cell bodies of the upper motor neuron?
    back: Brainstem
"""


@pytest.fixture
def aside(monkeypatch):
    """Run the near-duplicate check in a forked process, as a large deck does."""
    from deckwright.incremental import aside as module

    monkeypatch.setattr(module, "ASIDE_NOTES", 1)
    forks = []
    fork = os.fork
    monkeypatch.setattr(parallel.os, "fork", lambda: forks.append(1) or fork())
    return forks


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_lint_alongside_the_write_gives_the_same_deck_and_warnings(project, aside):
    project.write({"cards/neuro.yaml": NEAR_DUPLICATES})
    forked = build(project.root, use_cache=False)
    assert aside
    first = project.apkg().read_bytes()
    aside.clear()
    from deckwright.incremental import aside as module

    module.ASIDE_NOTES = 10**9  # restored by monkeypatch
    inline = build(project.root, use_cache=False)
    assert not aside
    assert project.apkg().read_bytes() == first
    assert [str(w) for w in forked.warnings] == [str(w) for w in inline.warnings]
    assert any("reads almost like" in str(w) for w in inline.warnings)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_strict_lint_alongside_the_write_leaves_no_deck(project, aside):
    project.write({"cards/neuro.yaml": NEAR_DUPLICATES})
    with pytest.raises(BuildFailed) as failed:
        build(project.root, strict=True)
    assert aside
    assert any("reads almost like" in str(p) for p in failed.value.problems)
    assert sorted(os.listdir(project.root / "dist")) == []
    # The lock was written while the deck was compressed: it is dropped with the deck.
    assert not (project.root / "deckwright.lock").exists()
    assert [p.name for p in project.root.rglob("*.tmp")] == []


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_a_problem_found_after_the_lint_process_began_calls_it_off(project, aside, monkeypatch):
    """The near-duplicate process begins once the cards are read; a problem the later checks
    find (here two files giving one id) stops it, and the build reports as without it."""
    project.write(
        {
            "cards/neuro.yaml": NEAR_DUPLICATES,
            "cards/again.yaml": NEAR_DUPLICATES.replace("Neuro", "B"),
        }
    )
    cancelled = []
    cancel = parallel.Child.cancel
    monkeypatch.setattr(
        parallel.Child, "cancel", lambda child: cancelled.append(1) or cancel(child)
    )
    with pytest.raises(BuildFailed) as failed:
        build(project.root)
    assert aside and cancelled
    assert [str(p).split(": ")[1] for p in failed.value.problems] == [
        "id `a` is already used at cards/again.yaml:4:5",
        "id `b` is already used at cards/again.yaml:7:5",
    ]
    assert not (project.root / "dist").exists() or os.listdir(project.root / "dist") == []
    assert len(list((project.root / ".deckwright-cache").glob("*.json"))) == 2  # kept inline


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_a_failed_lint_process_is_redone_in_the_build(project, aside, monkeypatch):
    project.write({"cards/neuro.yaml": NEAR_DUPLICATES})
    parent = os.getpid()
    dump = parallel.pickle.dump

    def fail_in_child(value, *args, **kwargs):
        if os.getpid() != parent:
            raise MemoryError
        return dump(value, *args, **kwargs)

    monkeypatch.setattr(parallel.pickle, "dump", fail_in_child)
    result = build(project.root)
    assert aside
    assert any("reads almost like" in str(w) for w in result.warnings)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_the_lint_process_keeps_the_cache_for_the_next_build(project, aside, monkeypatch):
    import deckwright.incremental.per_file as module

    project.write({"cards/neuro.yaml": NEAR_DUPLICATES})
    first = build(project.root)
    assert aside
    assert len(list((project.root / ".deckwright-cache").glob("*.json"))) == 1
    monkeypatch.setattr(module, "_parse", lambda path, root: pytest.fail(f"parsed {path} again"))
    again = build(project.root)
    assert [str(w) for w in again.warnings] == [str(w) for w in first.warnings]


def test_summary_says_1_note_and_1_card_when_there_is_one(project):
    project.write({"cards/a.yaml": "deck: D\nsource: s\ncards:\n  - {id: a, front: q, back: a}\n"})
    result = build(project.root, write=False)
    assert result.summary().splitlines()[0] == "1 note (1 pair) -> 1 card in 1 deck"


def test_old_deck_is_named_as_stale_when_the_output_name_changes(project):

    card = "source: s\ncards:\n  - {{id: {id}, front: q {id}, back: a}}\n"
    project.write({"cards/a.yaml": "deck: Bio\n" + card.format(id="a")})
    build(project.root)
    project.write({"cards/b.yaml": "deck: Chem\n" + card.format(id="b")})
    result = CliRunner().invoke(app, ["build", str(project.root)])
    assert result.exit_code == 0, result.output
    assert result.stderr == (
        "warning: dist/bio.apkg: is left from an earlier build; this build wrote dist/deck.apkg"
        " (the cards' top decks are Bio, Chem): delete the old deck so it is not imported by"
        " mistake\n"
    )
    assert result.stdout.startswith("wrote dist/deck.apkg (")


def test_dist_linked_outside_the_project_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    root = tmp_path / "project"
    faults.write(root, {"cards/good.yaml": faults.GOOD})
    outside = tmp_path / "outside"
    outside.mkdir()
    (root / "dist").symlink_to(outside, target_is_directory=True)
    result = faults.invoke(root)
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"dist: is a link to {outside.resolve()}, outside the project: remove the link",
        f"1 problem; {faults.NOTHING}",
    ]
    assert list(outside.iterdir()) == []


def test_dist_that_is_a_file_is_reported_and_kept(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    root = tmp_path / "project"
    faults.write(root, {"cards/good.yaml": faults.GOOD, "dist": "my notes"})
    result = faults.invoke(root)
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "dist: is a file, not a folder: rename or remove it so the deck can be written",
        f"1 problem; {faults.NOTHING}",
    ]
    assert (root / "dist").read_text() == "my notes"


def test_deck_name_cannot_steer_the_output_path(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    root = tmp_path / "project"
    faults.write(
        root,
        {"cards/a.yaml": "deck: ../../../evil\ncards:\n  - id: x\n    front: q\n    back: a\n"},
    )
    result = faults.invoke(root)
    assert result.exit_code == 0, result.output
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.apkg")) == [
        "project/dist/evil.apkg"
    ]


def test_check_reports_the_same_problems_without_writing(built):
    before = faults.state(built)
    faults.write(built, {"cards/bad.yaml": faults.card_file("- front: q\n  reverse: maybe\n")})
    result = faults.invoke(built, "check")
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "cards/bad.yaml:3:5: this card has no `back`: add `back: ...`",
        "cards/bad.yaml:4:14: `reverse` must be true or false, not `maybe`",
        f"2 problems; {faults.NOTHING}",
    ]
    assert faults.state(built) == before


def test_build_turns_the_cycle_collector_back_on_even_when_it_fails(tmp_path):
    (tmp_path / "cards").mkdir()
    (tmp_path / "cards" / "a.yaml").write_text("deck: D\ncards:\n  - front: f\n")
    assert gc.isenabled()
    with pytest.raises(BuildFailed):
        build(tmp_path)
    assert gc.isenabled()
