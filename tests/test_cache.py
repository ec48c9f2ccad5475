"""The per-file cache: same bytes with or without it, misses on edits, shrugs off damage."""

from __future__ import annotations

import hashlib
import json
import zipfile
from dataclasses import fields
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from deckwright import cache, duplicates
from deckwright import parse as parse_module
from deckwright.build import build
from deckwright.cards import Card, Checked, Cover, layout
from deckwright.errors import BuildFailed, Location, Problem
from deckwright.markup import any_unsafe

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

    def spy(path: Path, root: Path):
        seen.append(path.relative_to(root))
        return real(path, root)

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
        "cards/bad.yaml:3:5",
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


def test_codec_knows_every_card_field():
    # A Card field of a type the codec does not know (cache._CODECS) stops caching.
    assert cache._CODEC_FITS


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


REL = Path("cards/topic.yaml")
# Values that cards share (so the entry's tables repeat them) or not, unicode, and unsafe HTML.
TEXTS = st.sampled_from(["", "ser", "Ünïcode ✓ 日本", "<script>x</script>", "a\nb"]) | st.text()
LINES = st.integers(1, 10**6)
PLACES = st.builds(Location, st.just(REL), LINES, st.integers(0, 500))
CARDS = st.builds(
    Card,
    where=PLACES,
    deck=st.sampled_from(["D", "Español::Verbos"]) | st.text(min_size=1),
    front=TEXTS,
    back=TEXTS,
    reverse=st.booleans(),
    cloze=st.sampled_from(["", "{{c1::a}} b {{c2::c}}"]) | TEXTS,
    extra=TEXTS,
    id=st.none() | st.sampled_from(["ser"]) | st.text(),
    tags=st.tuples() | st.lists(st.sampled_from(["es", "ñ"]) | st.text(), max_size=3).map(tuple),
    covers=st.lists(st.builds(Cover, TEXTS, PLACES), max_size=2).map(tuple),
    source=TEXTS,
    own_source=st.booleans(),
    lines=st.lists(st.tuples(st.text(max_size=8), st.integers(0, 50)), max_size=4).map(
        lambda pairs: layout(tuple(name for name, _ in pairs), tuple(at for _, at in pairs))
    ),
)
PROBLEMS = st.lists(
    st.builds(
        Problem,
        st.builds(
            Location, st.sampled_from([REL, Path("sources/a.md"), Path("b.yaml")]), LINES, LINES
        ),
        st.text(),
    ),
    max_size=3,
)


def results(cards: list[Card], problems=(), warnings=(), linted=()) -> cache.Parsed:
    """What parsing a file gives, the notes made as a build makes them."""
    checked = Checked(cards, list(problems), list(warnings))
    return checked, [parse_module._prepare(card) for card in cards], list(linted)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(CARDS, max_size=8), PROBLEMS, PROBLEMS, PROBLEMS)
def test_an_entry_gives_back_every_field_of_every_card(cards, problems, warnings, linted):
    parsed = results(cards, problems, warnings, linted)
    data = cache.encode(*parsed, REL)
    unsafe = any_unsafe([getattr(c, name) for c in cards for name in cache._TEXTS])
    decoded = cache.decode(data, Path(REL.as_posix()))
    if unsafe:
        assert decoded is None  # the safety check is never skipped
        return
    assert decoded == parsed
    # Equal, and of the same types: a tuple stored as a list would also differ from the parse.
    for ours, theirs in zip(decoded[0].cards, cards, strict=True):
        for field in fields(Card):
            assert type(getattr(ours, field.name)) is type(getattr(theirs, field.name))
    assert all(type(asked) is tuple for *_, asked in decoded[1])


def test_an_entry_of_cards_from_another_file_is_not_made():
    card = Card(Location(Path("cards/other.yaml"), 1), "D", front="f", back="b")
    assert cache.encode(*results([card]), REL) is None
    card = Card(Location(REL, 1), "D", covers=(Cover("t#r", Location(Path("x.yaml"), 2)),))
    assert cache.encode(*results([card]), REL) is None


SAMPLE = results(
    [
        Card(Location(REL, 3, 5), "D", "ser", "to be", True, id="ser", tags=("es",)),
        Card(
            Location(REL, 7, 5),
            "D",
            cloze="{{c1::Estoy}} cansado",
            extra="estar",
            covers=(Cover("verbs#ser", Location(REL, 9, 13)),),
            source="book",
            own_source=True,
            lines=layout(("cloze", "extra"), (0, 1)),
        ),
    ],
    [Problem(Location(REL, 1), "wrong")],
    [Problem(Location(Path("sources/v.md"), 2, 3), "odd")],
)
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text() | st.just("<script>"),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=2),
    max_leaves=6,
)


def nodes(value, at=()):
    """The place of every value inside a JSON value, as the indexes leading to it."""
    yield at
    if isinstance(value, list):
        for number, item in enumerate(value):
            yield from nodes(item, (*at, number))


@settings(max_examples=500)
@given(st.data())
def test_a_planted_or_damaged_entry_is_a_miss_or_well_formed(data):
    entry = json.loads(cache.encode(*SAMPLE, REL))
    *within, last = data.draw(st.sampled_from(list(nodes(entry))[1:]))
    parent = entry
    for number in within:
        parent = parent[number]
    change = data.draw(st.sampled_from(["replace", "drop", "add"]))
    if change == "drop":
        del parent[last]
    elif change == "add":
        parent.insert(last, data.draw(JSON))
    else:
        parent[last] = data.draw(JSON)
    decoded = cache.decode(json.dumps(entry).encode(), REL)  # never raises
    if decoded is not None:
        assert_well_formed(decoded)


def assert_well_formed(parsed: cache.Parsed) -> None:
    """Every value of the type the build expects, so a planted entry cannot crash a build."""
    checked, notes, linted = parsed
    simple = {"str": (str,), "bool": (bool,), "str | None": (str, type(None))}
    for card in checked.cards:
        for field in fields(Card):
            if field.type in simple:
                assert type(getattr(card, field.name)) in simple[field.type]
        places = [card.where, *(cover.where for cover in card.covers)]
        assert all(type(p.line) is int and type(p.column) is int for p in places)
        assert all(type(cover.ref) is str for cover in card.covers)
        assert type(card.tags) is tuple and all(type(tag) is str for tag in card.tags)
        names, offsets = card.lines
        assert all(type(name) is str for name in names)
        assert all(type(offset) is int for offset in offsets)
    assert len(notes) == len(checked.cards)
    for _, digest, ords, asked in notes:
        assert type(digest) is str and all(type(number) is int for number in ords)
        assert all(type(name) is str and type(text) is str for name, text in asked)
    for problem in checked.problems + checked.warnings + linted:
        assert type(problem.where.line) is int and type(problem.message) is str
    assert not any_unsafe([getattr(c, name) for c in checked.cards for name in cache._TEXTS])


def test_an_entry_with_a_column_too_short_or_too_long_is_a_miss():
    entry = json.loads(cache.encode(*SAMPLE, REL))
    assert cache.decode(json.dumps(entry).encode(), REL) == SAMPLE
    shared = [False] + [shared for _, shared in cache._LOADS + cache._KEPT]
    for number, is_shared in enumerate(shared):
        for change in ("shorter", "longer"):
            damaged = json.loads(json.dumps(entry))
            column = (damaged[0] + damaged[-1])[number]
            # A table's places, or its one value when every card has it; else the values.
            values = column[-1] if is_shared else column
            if change == "shorter":
                values.pop()
            else:
                values.append(values[0])
            assert cache.decode(json.dumps(damaged).encode(), REL) is None, (number, change)


def column(entry: list, name: str) -> list:
    """A card field's column in an entry made by cache.encode."""
    return entry[0][["line", "column", *cache._NAMES[1:]].index(name)]


@pytest.mark.parametrize(
    "plant",
    [
        lambda entry: column(entry, "line").__setitem__(0, "3"),
        lambda entry: column(entry, "front").__setitem__(0, 5),
        lambda entry: column(entry, "id").__setitem__(0, 7),
        lambda entry: column(entry, "reverse")[0].__setitem__(0, 1),
        lambda entry: column(entry, "deck")[0].__setitem__(0, ["D"]),
        lambda entry: column(entry, "tags")[0][0].__setitem__(0, 5),
        lambda entry: column(entry, "covers")[0][1][0].__setitem__(0, 5),
        lambda entry: column(entry, "covers")[0][1][0].__setitem__(1, "9"),
        lambda entry: column(entry, "lines")[0][1][1].__setitem__(0, "0"),
        lambda entry: entry[1][0].__setitem__(1, "1"),
        lambda entry: entry[2][0].__setitem__(3, None),
        lambda entry: entry[-1][1].__setitem__(0, 5),
        lambda entry: entry[-1][2][0][0].__setitem__(0, "0"),
        lambda entry: entry[-1][3][0][0].__setitem__(0, 1),
        lambda entry: entry[-1][4].__setitem__(0, 1),
    ],
)
def test_an_entry_with_a_value_of_another_type_is_a_miss(plant):
    entry = json.loads(cache.encode(*SAMPLE, REL))
    plant(entry)
    assert cache.decode(json.dumps(entry).encode(), REL) is None


def test_an_entry_nested_too_deep_to_read_is_a_miss():
    assert cache.decode(b"[" * 100_000 + b"]" * 100_000, REL) is None


@given(st.lists(st.tuples(st.integers(), st.integers())))
def test_places_made_in_c_loops_are_the_locations_the_dataclass_makes(pairs):
    lines, columns = [line for line, _ in pairs], [column for _, column in pairs]
    made = cache._places(REL, lines, columns)
    assert made == [Location(REL, line, column) for line, column in pairs]
    assert [hash(place) for place in made] == [hash(Location(REL, *pair)) for pair in pairs]
    assert "__post_init__" not in vars(Location)  # which _places would skip
