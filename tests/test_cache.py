"""The per-file cache: same bytes with or without it, misses on edits, shrugs off damage."""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

import pytest

from deckwright.build import build
from deckwright.errors import BuildFailed
from deckwright.incremental import cache
from deckwright.incremental import per_file as parse_module
from deckwright.lint import near_duplicates as duplicates

GOOD = """\
deck: Spanish::Verbs
tags: [es]
cards:
  - id: ser
    front: ser
    back: to be
    reverse: true
    covers: [verbs#ser]
  - cloze: '{{c1::Estoy}} cansado'   # no id: a warning
    extra: estar, temporary
"""
DOCUMENT = """\
| Verb | Meaning | Use |
| --- | --- | --- |
| ser | to be | lasting |
| estar | to be | passing |
"""
BAD = """\
deck: Spanish
cards:
  - id: x
    front: hola
    bak: hello
  - cloze: no deletion here
"""


def make_project(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1750000000")
    return make_project(
        tmp_path,
        {
            "cards/verbs.yaml": GOOD,
            "cards/more/geo.yaml": GOOD.replace("ser", "estar").replace("cansado", "contento"),
            "sources/verbs.md": DOCUMENT,
        },
    )


@pytest.fixture
def parses(monkeypatch) -> list[Path]:
    """The card files actually parsed (not served from the cache) during a test."""
    seen: list[Path] = []
    real = parse_module._check_card_file

    def spy(path: Path, root: Path, markup: str):
        seen.append(path.relative_to(root))
        return real(path, root, markup)

    monkeypatch.setattr(parse_module, "_check_card_file", spy)
    return seen


def entries(root: Path) -> list[Path]:
    return sorted((root / cache.FOLDER).glob("*.json"))


def test_cache_hit_gives_identical_bytes_and_cards(project, parses):
    first = build(project)
    data = (project / first.output).read_bytes()
    assert len(entries(project)) == 2
    assert len(parses) == 2
    second = build(project)
    assert len(parses) == 2  # nothing parsed again
    assert (project / second.output).read_bytes() == data
    assert second.cards == first.cards
    assert [c.field_lines for c in second.cards] == [c.field_lines for c in first.cards]
    assert second.warnings == first.warnings
    assert any("has no source" in warning.message for warning in first.warnings)  # the lint's


def test_output_is_the_same_without_the_cache(project):
    cached = build(project)
    data = (project / cached.output).read_bytes()
    (project / cached.output).unlink()
    fresh = build(project, use_cache=False)
    assert (project / fresh.output).read_bytes() == data
    assert fresh.cards == cached.cards


def test_edited_file_is_parsed_again_and_its_old_entry_dropped(project, parses):
    build(project)
    before = entries(project)
    path = project / "cards" / "verbs.yaml"
    path.write_text(GOOD.replace("to be", "to be (permanent)"), encoding="utf-8")
    result = build(project)
    assert parses[2:] == [Path("cards/verbs.yaml")]
    assert "to be (permanent)" in {card.back for card in result.cards}
    after = entries(project)
    assert len(after) == 2
    assert len(set(before) & set(after)) == 1


def test_moved_file_reports_its_new_path(project):
    build(project)
    (project / "cards" / "verbs.yaml").rename(project / "cards" / "renamed.yaml")
    result = build(project)
    assert {card.where.path.as_posix() for card in result.cards} == {
        "cards/renamed.yaml",
        "cards/more/geo.yaml",
    }


def test_located_errors_are_the_same_when_served_from_the_cache(tmp_path, parses):
    make_project(tmp_path, {"cards/bad.yaml": BAD, "cards/broken.yaml": "deck: [unclosed\n"})
    with pytest.raises(BuildFailed) as first:
        build(tmp_path)
    with pytest.raises(BuildFailed) as second:
        build(tmp_path)
    assert len(parses) == 2
    assert second.value.problems == first.value.problems
    assert [str(p).split(": ")[0] for p in first.value.problems] == [
        "cards/bad.yaml:5:5",
        "cards/bad.yaml:6:12",
        "cards/broken.yaml:1:7",
    ]
    assert not (tmp_path / "dist").exists()


@pytest.mark.parametrize(
    "damage",
    [
        b"",
        b"not json at all",
        b"0" * 64 + b"\n[[], [], []]",  # wrong checksum
        None,  # right checksum, wrong shape
    ],
)
def test_damaged_cache_entry_is_ignored_not_fatal(project, parses, damage):
    first = build(project)
    data = (project / first.output).read_bytes()
    for entry in entries(project):
        if damage is None:
            import hashlib

            body = b'[[["x"]], 5, null]'
            entry.write_bytes(hashlib.sha256(body).hexdigest().encode() + b"\n" + body)
        else:
            entry.write_bytes(damage)
    second = build(project)
    assert len(parses) == 4  # both files parsed again
    assert (project / second.output).read_bytes() == data
    assert second.cards == first.cards


def test_unwritable_cache_folder_does_not_stop_the_build(project):
    (project / cache.FOLDER).write_text("a file where the folder should be")
    result = build(project)
    assert (project / result.output).exists()


def test_cache_folder_ignores_itself_for_git(project):
    build(project)
    assert (project / cache.FOLDER / ".gitignore").read_text() == "*\n"


def test_a_planted_cache_entry_cannot_smuggle_script_into_the_deck(project):
    build(project)
    entries = sorted((project / ".deckwright-cache").glob("*.json"))
    for entry in entries:
        _, _, body = entry.read_bytes().partition(b"\n")
        planted = body.replace(b'"to be"', b'"<script>alert(1)</script>"')
        entry.write_bytes(hashlib.sha256(planted).hexdigest().encode() + b"\n" + planted)
    assert entries
    build(project)
    with zipfile.ZipFile(project / "dist/spanish.apkg") as archive:
        assert b"<script>" not in archive.read("collection.anki2")


def test_near_duplicate_warnings_are_the_same_from_the_kept_questions(tmp_path, monkeypatch):
    monkeypatch.setattr(duplicates, "FRESH_SHARE", 0)  # an edit compares only its new questions
    first = "deck: D\ncards:\n  - id: a\n    front: the upper motor neurons\n    back: x\n"
    other = "deck: D\ncards:\n  - id: b\n    front: cranial nerves\n    back: twelve\n"
    root = make_project(tmp_path, {"cards/a.yaml": first, "cards/b.yaml": other})
    edits = [
        first,
        first + "  - id: c\n    front: upper motor neuron\n    back: y\n",
        first + "  - id: c\n    front: lower motor neurons\n    back: y\n",
        first.replace("upper", "uper")
        + "  - id: c\n    front: the upper motor neuron\n    back: y\n",
    ]
    for text in edits:
        (root / "cards/a.yaml").write_text(text, encoding="utf-8")
        kept = build(root, write=False).warnings
        assert (root / cache.FOLDER / cache.KNOWN).is_file()
        assert kept == build(root, write=False, use_cache=False).warnings
        assert any("reads almost like" in str(w) for w in kept) == (text in edits[1::2])


def test_damaged_kept_questions_are_ignored(project):
    build(project)
    path = project / cache.FOLDER / cache.KNOWN
    for damage in (b"", b"x\n[]", path.read_bytes()[:-3]):
        path.write_bytes(damage)
        assert isinstance(cache.FileCache(project).known(), cache.Known)
        assert cache.FileCache(project).known().halves == {}
        build(project)
    assert cache.FileCache(project).known().halves != {}


def test_prune_spares_entries_being_written_for_this_build(tmp_path):
    (tmp_path / "cards").mkdir()
    card_file = tmp_path / "cards" / "a.yaml"
    card_file.write_text("deck: D\ncards:\n  - front: f\n    back: b\n")
    store = cache.FileCache(tmp_path)
    key = store.key(card_file, Path("cards/a.yaml"))
    store.folder.mkdir()
    writing = store.folder / f"{key}.json.k3x9.tmp"  # as _replace names it, mid-write
    stale = store.folder / "0123456789abcdef0123456789abcdef.json.u8q1.tmp"  # another build's
    for path in (writing, stale):
        path.write_bytes(b"partial")
    store.prune()
    assert writing.exists()
    assert not stale.exists()


def test_entries_are_written_under_a_name_prune_spares(tmp_path, monkeypatch):
    renamed = []
    replace = cache.os.replace
    monkeypatch.setattr(cache.os, "replace", lambda a, b: renamed.append((a, b)) or replace(a, b))
    cache._replace(tmp_path / "0123456789abcdef0123456789abcdef.json", b"{}")
    ((temporary, final),) = renamed
    assert Path(temporary).name[:32] == Path(final).name[:32]


def test_code_digest_changes_when_a_module_in_a_sub_package_changes(tmp_path):
    (tmp_path / "stage").mkdir()
    (tmp_path / "top.py").write_text("A = 1\n")
    (tmp_path / "stage" / "inner.py").write_text("B = 1\n")
    before = cache.code_digest(tmp_path)
    (tmp_path / "stage" / "inner.py").write_text("B = 2\n")
    assert cache.code_digest(tmp_path) != before
