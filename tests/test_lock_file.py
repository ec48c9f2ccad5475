"""deckwright.lock: the line format, the old JSON one, and locks git left with conflicts."""

import json
from pathlib import Path

import pytest

from deckwright.errors import BuildFailed
from deckwright.package import lock_file
from deckwright.package.lock import Lock
from deckwright.package.lock_file import HEADER, NO_CARDS, REMOVED, parse

FIX = (
    "restore it with `git checkout deckwright.lock`, or delete the line"
    " (that note then counts as changed once) and build again"
)


def refused(text: str) -> list[str]:
    with pytest.raises(BuildFailed) as failed:
        parse(text)
    return [str(problem) for problem in failed.value.problems]


def test_each_sides_notes_are_kept_from_a_conflicted_lock():
    lock = parse(
        HEADER
        + "a\th\t1\t0\n"
        + "<<<<<<< HEAD\nb\th\t2\t0\nc\tours\t5\t0\n=======\nc\ttheirs\t4\t0\nd\th\t3\t0,1\n"
        + ">>>>>>> other\ne\th\t1\t0\n"
    )
    assert lock.entries.keys() == {"a", "b", "c", "d", "e"}
    assert lock.rivals == {"c": [("ours", 5, "0", None), ("theirs", 4, "0", None)]}
    assert lock.conflicts == 1


def test_the_base_of_a_diff3_conflict_is_left_out():
    lock = parse(
        "<<<<<<< HEAD\na\tx\t2\t0\n||||||| base\na\told\t1\t0\n=======\nb\ty\t2\t0\n>>>>>>> o\n"
    )
    assert lock.entries == {"a": ("x", 2), "b": ("y", 2)}


def test_an_old_json_lock_with_conflicts_is_read_line_by_line():
    lock = parse(
        '{\n  "about": "x",\n  "version": 1,\n  "notes": {\n'
        '    "a": ["h1", 5],\n<<<<<<< HEAD\n    "b": ["h2", 6]\n=======\n    "c": ["h3", 7]\n'
        ">>>>>>> theirs\n  }\n}\n"
    )
    assert lock.entries == {"a": ("h1", 5), "b": ("h2", 6), "c": ("h3", 7)}
    assert lock.legacy


def test_a_conflict_both_sides_changed_keeps_the_version_matching_the_card_else_the_later():
    log = Lock.of(
        parse(
            "<<<<<<< HEAD\nx\tmine\t5\t0\ny\told\t9\t0\n=======\nx\tyours\t7\t0\ny\tnew\t8\t0\n"
            ">>>>>>> b\n"
        )
    )
    times = log.stamp([("x", "mine"), ("y", "edited")], clock=100)
    assert times == {"x": 5, "y": 100}
    assert log.said == (
        "deckwright.lock had 1 git conflict: resolved it (each side's notes kept; of 2 note(s)"
        " both sides had, 1 kept as its card stands, 1 by the later change) and rewrote the lock"
    )
    assert log.changed


def test_a_union_merge_that_kept_a_note_twice_is_resolved_too():
    log = Lock.of(parse("x\tmine\t5\t0\nx\tyours\t7\t0\n"))
    assert log.stamp([("x", "other")], clock=3) == {"x": 8}  # the later one, then edited


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "a\th\tsoon\t0\n",
            f"deckwright.lock:1: is not GUID, content hash, change time (whole"
            f" seconds), cards: {FIX}",
        ),
        (
            HEADER + "a\th\t1\n",
            f"deckwright.lock:2: has 3 tab-separated parts; a lock entry has 4"
            f" (removed notes 5): {FIX}",
        ),
        (
            "a\th\t1\tremoved\t{}\n",
            "deckwright.lock:1: the removed note's content is not"
            f" [model id, deck, [fields], [tags]]: {FIX}",
        ),
        (
            "a\th\t1\t0\n<<<<<<< HEAD\nb\th\t1\t0\n",
            "deckwright.lock:2: this git conflict is not"
            " closed (no `>>>>>>>` line): restore the file with `git checkout --merge"
            " deckwright.lock` and build again",
        ),
        (
            "a\th\t1\t0\n=======\n",
            "deckwright.lock:2: a git conflict marker `=======` out of"
            " place: restore the file with `git checkout --merge deckwright.lock` and build again",
        ),
        ("garbage\n", f"deckwright.lock:1: is not a lock entry: {FIX}"),
    ],
)
def test_a_lock_that_cannot_be_read_is_refused_with_its_line(text, message):
    assert refused(text) == [message]


def test_a_lock_that_is_not_text_is_refused(tmp_path: Path):
    (tmp_path / "deckwright.lock").write_bytes(b"\xff\xfe")
    with pytest.raises(BuildFailed) as failed:
        Lock.read(tmp_path)
    assert [str(p) for p in failed.value.problems] == [
        "deckwright.lock: cannot be read (it is not UTF-8 text): restore it with"
        " `git checkout deckwright.lock`, or delete it and build again"
    ]


def test_a_line_a_union_merge_left_twice_is_read_once_and_the_lock_tidied():
    log = Lock.of(parse(HEADER + "a\th\t1\t0\nb\th\t1\t0\na\th\t1\t0\n"))
    assert (log.entries, log.rivals, log.changed) == ({"a": ("h", 1), "b": ("h", 1)}, {}, True)


def test_check_and_build_refuse_a_damaged_lock_with_its_line(example):
    from typer.testing import CliRunner

    from deckwright.cli.app import app

    (example.root / "deckwright.lock").write_text(HEADER + "abc\th1\tyesterday\t0\n")
    for command in ("check", "build"):
        result = CliRunner().invoke(app, [command, str(example.root)])
        assert result.exit_code == 1
        assert (
            "deckwright.lock:2: is not GUID, content hash, change time (whole seconds), cards:"
            f" {FIX}"
        ) in result.output
    assert not (example.root / "dist").exists()


def test_build_says_in_one_line_how_it_resolved_a_conflicted_lock(example):
    from typer.testing import CliRunner

    from deckwright.cli.app import app

    CliRunner().invoke(app, ["build", str(example.root)])
    lock = example.root / "deckwright.lock"
    lines = lock.read_text().splitlines(keepends=True)
    lock.write_text(
        "".join([lines[0], "<<<<<<< HEAD\n", *lines[1:3], "=======\n", ">>>>>>> b\n", *lines[3:]])
    )
    result = CliRunner().invoke(app, ["build", str(example.root)])
    assert result.exit_code == 0
    assert (
        "deckwright.lock had 1 git conflict: resolved it (each side's notes kept) and rewrote"
        " the lock\n"
    ) in result.output
    assert lock.read_text() == "".join(lines)


def test_check_says_a_conflicted_lock_is_left_for_the_build(example):
    from typer.testing import CliRunner

    from deckwright.cli.app import app

    CliRunner().invoke(app, ["build", str(example.root)])
    lock = example.root / "deckwright.lock"
    lines = lock.read_text().splitlines(keepends=True)
    conflicted = [lines[0], "<<<<<<< HEAD\n", *lines[1:3], "=======\n", ">>>>>>> b\n", *lines[3:]]
    lock.write_text("".join(conflicted))
    result = CliRunner().invoke(app, ["check", str(example.root)])
    assert result.exit_code == 0
    assert "deckwright.lock had 1 git conflict: a build resolves it\n" in result.output
    assert lock.read_text() == "".join(conflicted)


def test_an_old_json_lock_git_conflicted_is_resolved_by_the_build_and_rewritten(example):
    import json

    from deckwright.build import build

    build(example.root)
    lock = example.root / "deckwright.lock"
    entries = Lock.read(example.root).entries
    old = [
        f'    {json.dumps(guid)}: ["{digest}", {time}]'
        for guid, (digest, time) in sorted(entries.items())
    ]
    lock.write_text(
        '{\n  "about": "deckwright: when each note last changed; commit this file",\n'
        '  "version": 1,\n  "notes": {\n'
        + ",\n".join(old[:2])
        + ",\n<<<<<<< HEAD\n"
        + old[2]
        + ",\n=======\n"
        + old[2]
        + ",\n"
        + ">>>>>>> theirs\n"
        + ",\n".join(old[3:])
        + "\n  }\n}\n"
    )
    result = build(example.root)
    assert result.said == [
        "deckwright.lock had 1 git conflict: resolved it (each side's notes kept) and rewrote"
        " the lock"
    ]
    assert lock.read_text().startswith(HEADER)
    assert Lock.read(example.root).entries == entries


def test_at_equal_times_the_removed_version_of_a_note_wins():
    row = '[1, "D", ["q", "a"], []]'
    log = Lock.of(parse(f"x\th\t5\t0\nx\th\t5\tremoved\t{row}\n"))
    log.stamp([], clock=9)
    assert (log.entries, log.removed) == ({"x": ("h", 5)}, {"x": row})


def test_the_bulk_reading_of_a_lock_with_removed_notes_gives_what_the_line_reading_gives(
    monkeypatch,
):
    removed = json.dumps([1607392319, "Bio::Removed", ["Q", "A"], ["bio"]])
    text = HEADER + "".join(
        f"g{n}\td{n}\t{1700000000 + n}\t{REMOVED}\t{removed}\n"
        if n % 3 == 0
        else f"g{n}\td{n}\t{1700000000 + n}\t{'0,1' if n % 2 else NO_CARDS}\n"
        for n in range(30)
    )
    bulk = parse(text)
    monkeypatch.setattr(lock_file, "_plain", lambda text: None)
    by_line = parse(text)

    assert bulk == by_line
    assert len(bulk.removed) == 10 and len(bulk.entries) == 30
    damaged = text.replace(removed, "[1, 2]", 1)
    monkeypatch.undo()  # the bulk reading hands a damaged lock to the line reading
    assert refused(damaged) == [
        f"deckwright.lock:2: the removed note's content is not [model id, deck, [fields], [tags]]:"
        f" {FIX}"
    ]
