"""Cache entries: every field of every card back as it was, anything else a miss."""

from __future__ import annotations

import json
from dataclasses import fields
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from deckwright.errors import Location, Problem
from deckwright.incremental import cache_entry
from deckwright.incremental import per_file as parse_module
from deckwright.model.cards import HTML_FIELDS, Card, Checked, Cover, layout
from deckwright.model.markup import any_unsafe


def test_codec_knows_every_card_field():
    # A Card field of a type the codec does not know (cache_entry._CODECS) stops caching.
    assert cache_entry.CODEC_FITS


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
        st.sampled_from(["", "no-source", "alike"]),
        st.integers(1, 10**6),
    ),
    max_size=3,
)


def results(cards: list[Card], problems=(), warnings=(), linted=()) -> cache_entry.Parsed:
    """What parsing a file gives, the notes made as a build makes them."""
    checked = Checked(cards, list(problems), list(warnings))
    return checked, [parse_module._prepare(card) for card in cards], list(linted)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(CARDS, max_size=8), PROBLEMS, PROBLEMS, PROBLEMS)
def test_an_entry_gives_back_every_field_of_every_card(cards, problems, warnings, linted):
    parsed = results(cards, problems, warnings, linted)
    data = cache_entry.encode(*parsed, REL)
    unsafe = any_unsafe([getattr(c, name) for c in cards for name in HTML_FIELDS])
    decoded = cache_entry.decode(data, Path(REL.as_posix()))
    if unsafe:
        assert decoded is None  # the safety check is never skipped
        return
    assert decoded == parsed

    # A problem's kind and count are not part of its equality: compared here.
    def kinds(found: cache_entry.Parsed) -> list:
        lists = (found[0].problems, found[0].warnings, found[2])
        return [[(problem.kind, problem.count) for problem in each] for each in lists]

    assert kinds(decoded) == kinds(parsed)
    # Equal, and of the same types: a tuple stored as a list would also differ from the parse.
    for ours, theirs in zip(decoded[0].cards, cards, strict=True):
        for field in fields(Card):
            assert type(getattr(ours, field.name)) is type(getattr(theirs, field.name))
    assert all(type(asked) is tuple for *_, asked in decoded[1])


def test_no_entry_is_made_of_a_file_whose_unsafe_html_decode_would_refuse():
    # Such a file always has a problem (the validator reports unsafe HTML): it is parsed anew on
    # each build, never written to the cache only to be refused when read.
    card = Card(Location(REL, 1), "D", front="<script>x</script>", back="b")
    problem = Problem(Location(REL, 1), "unsafe")
    assert cache_entry.encode(*results([card], [problem]), REL) is None
    safe = Card(Location(REL, 1), "D", front="f", back="b")
    assert cache_entry.encode(*results([safe], [problem]), REL) is not None


def test_an_entry_of_cards_from_another_file_is_not_made():
    card = Card(Location(Path("cards/other.yaml"), 1), "D", front="f", back="b")
    assert cache_entry.encode(*results([card]), REL) is None
    card = Card(Location(REL, 1), "D", covers=(Cover("t#r", Location(Path("x.yaml"), 2)),))
    assert cache_entry.encode(*results([card]), REL) is None


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
    entry = json.loads(cache_entry.encode(*SAMPLE, REL))
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
    decoded = cache_entry.decode(json.dumps(entry).encode(), REL)  # never raises
    if decoded is not None:
        assert_well_formed(decoded)


def assert_well_formed(parsed: cache_entry.Parsed) -> None:
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
    assert not any_unsafe([getattr(c, name) for c in checked.cards for name in HTML_FIELDS])


def test_an_entry_with_a_column_too_short_or_too_long_is_a_miss():
    entry = json.loads(cache_entry.encode(*SAMPLE, REL))
    assert cache_entry.decode(json.dumps(entry).encode(), REL) == SAMPLE
    shared = [False] + [shared for _, shared in cache_entry._LOADS + cache_entry._KEPT]
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
            assert cache_entry.decode(json.dumps(damaged).encode(), REL) is None, (number, change)


def column(entry: list, name: str) -> list:
    """A card field's column in an entry made by cache_entry.encode."""
    return entry[0][["line", "column", *cache_entry._NAMES[1:]].index(name)]


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
    entry = json.loads(cache_entry.encode(*SAMPLE, REL))
    plant(entry)
    assert cache_entry.decode(json.dumps(entry).encode(), REL) is None


def test_an_entry_nested_too_deep_to_read_is_a_miss():
    assert cache_entry.decode(b"[" * 100_000 + b"]" * 100_000, REL) is None


@given(st.lists(st.tuples(st.integers(), st.integers())))
def test_places_made_in_c_loops_are_the_locations_the_dataclass_makes(pairs):
    lines, columns = [line for line, _ in pairs], [column for _, column in pairs]
    made = cache_entry._places(REL, lines, columns)
    assert made == [Location(REL, line, column) for line, column in pairs]
    assert [hash(place) for place in made] == [hash(Location(REL, *pair)) for pair in pairs]
    assert "__post_init__" not in vars(Location)  # which _places would skip
