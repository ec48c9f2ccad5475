import hashlib
import json
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from deckwright.errors import BuildFailed, Location
from deckwright.model.cards import Card
from deckwright.package import identity
from deckwright.package.identity import (
    content_hash,
    deck_id,
    guid_for,
    identity_checks,
    implicit_id,
    note_guid,
)
from deckwright.package.lock import Lock
from deckwright.package.lock_file import HEADER

HERE = Location(Path("cards/a.yaml"), 3)


def pair(front="Q", back="A", **kw) -> Card:
    return Card(where=HERE, deck="D", front=front, back=back, **kw)


def test_guid_survives_edits_of_the_answer():
    assert note_guid(pair(back="one")) == note_guid(pair(back="two", reverse=True))
    assert note_guid(pair(front="Q")) != note_guid(pair(front="Q2"))


def test_cloze_guid_survives_edits_of_the_deleted_answers():
    before = Card(where=HERE, deck="D", cloze="Made by {{c1::ribosomes}}.")
    after = Card(where=HERE, deck="D", cloze="Made by {{c1::free ribosomes::where}}.")
    assert note_guid(before) == note_guid(after)


def test_pinned_id_decides_the_guid_whatever_the_front():
    assert note_guid(pair(front="Q", id="x")) == note_guid(pair(front="Other", id="x"))


def test_pinning_the_implicit_id_keeps_the_guid():
    card = pair(front="Where is the <b>nucleus</b>?")
    assert implicit_id(card).startswith("where-is-the-b-nucleus-b-") is False
    assert implicit_id(card).startswith("where-is-the-nucleus-")
    assert note_guid(card) == note_guid(pair(front="anything", id=implicit_id(card)))


def test_ids_are_stable_numbers_in_ankis_range():
    assert deck_id("Biology::Cells") == deck_id("Biology::Cells") != deck_id("Biology")
    assert (1 << 30) <= deck_id("Biology") < (1 << 31)


def test_duplicate_ids_name_both_places():
    other = Location(Path("cards/b.yaml"), 9)
    problems, _ = identity_checks(
        [pair(id="x"), Card(where=other, deck="D", front="B", back="b", id="x")]
    )
    assert [str(p) for p in problems] == [
        "cards/b.yaml:9: id `x` is already used at cards/a.yaml:3:"
        " ids must be unique across all card files, rename one"
    ]


def test_same_front_twice_would_merge_notes_and_is_an_error():
    problems, warnings = identity_checks([pair(back="1"), pair(back="2")])
    assert [str(p) for p in problems] == [
        "cards/a.yaml:3: this card asks the same as the card at cards/a.yaml:3, so Anki would"
        " treat them as one note: reword one or give each an `id`"
    ]
    assert "2 card(s) have no `id`" in str(warnings[0])


def test_change_times_move_only_for_changed_notes(tmp_path):
    log = Lock()
    assert log.stamp([("a", "h1"), ("b", "h2")], clock=100) == {"a": 100, "b": 100}
    log.written(tmp_path).place()
    again = Lock.read(tmp_path)
    assert again.stamp([("a", "h1"), ("b", "h2-edited")], clock=200) == {"a": 100, "b": 200}
    assert again.changed


def test_change_time_always_moves_forward_even_if_the_clock_is_behind():
    log = Lock({"a": ("h1", 500)})
    assert log.stamp([("a", "h2")], clock=100) == {"a": 501}


def test_damaged_lock_is_refused_with_its_line_never_read_as_empty(tmp_path):
    (tmp_path / "deckwright.lock").write_text("{not json")
    with pytest.raises(BuildFailed) as failed:
        Lock.read(tmp_path)
    assert [str(problem) for problem in failed.value.problems] == [
        "deckwright.lock:1: is not a lock entry: restore it with `git checkout deckwright.lock`,"
        " or delete the line (that note then counts as changed once) and build again"
    ]


# Fast paths against the straightforward code they replaced.

_TEXT = st.text(st.sampled_from('ab "\\\x00\x1f\n\té🧠\u2028'), max_size=12)


def _reference_base91(number: int) -> str:
    digits = []
    while number:
        number, digit = divmod(number, 91)
        digits.append(identity._BASE91[digit])
    return "".join(reversed(digits))


@given(st.integers(0, 2**64 - 1))
@example(0)
@example(1)
@example(91**2)
@example(2**64 - 1)
def test_base91_in_pairs_matches_one_digit_at_a_time(number):
    assert identity._base91(number) == _reference_base91(number)


@given(st.text())
def test_note_guid_is_guid_for_of_the_id(text):
    assert note_guid(pair(id=text or "x")) == guid_for("deckwright id", text or "x")


_PART = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | _TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.lists(inner, max_size=3).map(tuple),
    max_leaves=8,
)
_NOTE_SHAPE = st.tuples(
    st.integers() | st.booleans(),
    _TEXT | st.none(),
    st.lists(_TEXT | st.integers(), max_size=5).map(tuple),
    st.lists(_TEXT, max_size=3).map(tuple) | st.lists(_TEXT, max_size=3),
)


@given(st.lists(_PART, max_size=5).map(tuple) | _NOTE_SHAPE)
@example((1, "D", ("f", "b"), ()))
@example((1, "D", ("f", None), ("t",)))
@example((True, "D", ("f",), ("t",)))
def test_content_hash_is_the_json_encoders_whatever_the_parts(parts):
    reference = json.dumps(parts, ensure_ascii=False)
    assert identity._json_text(parts) == reference
    assert content_hash(*parts) == hashlib.sha256(reference.encode()).hexdigest()[:16]


def test_lock_file_is_one_sorted_line_per_note(tmp_path):
    log = Lock({"b": ("h2", 7), 'a"\\é': ("h1", 1_700_000_000), "note type 5": ("x", 3)})
    log.cards = {"b": "0,1", 'a"\\é': "0"}
    log.written(tmp_path).place()
    assert (tmp_path / "deckwright.lock").read_text(encoding="utf-8") == (
        HEADER + 'a"\\é\th1\t1700000000\t0\nb\th2\t7\t0,1\nnote type 5\tx\t3\t-\n'
    )
    again = Lock.read(tmp_path)
    assert (again.entries, again.cards, again.changed) == (log.entries, log.cards, False)


def _reference_stamp(entries, guids_and_hashes, clock):
    kept = {}
    for guid, digest in guids_and_hashes:
        old = entries.get(guid)
        kept[guid] = (
            old if old and old[0] == digest else (digest, max(clock, old[1] + 1) if old else clock)
        )
    return kept, {guid: entry[1] for guid, entry in kept.items()}


@given(
    st.dictionaries(st.sampled_from("abcd"), st.tuples(st.sampled_from("xy"), st.integers(0, 9))),
    st.lists(st.tuples(st.sampled_from("abcde"), st.sampled_from("xyz"))),
)
def test_stamp_matches_the_plain_rule_with_removed_and_repeated_notes(entries, stamps):
    kept, times = _reference_stamp(entries, stamps, 5)
    log = Lock(dict(entries))
    assert log.stamp(stamps, 5) == times
    log.mark_removed({}, 5)  # nothing known of the notes that went: they are forgotten
    assert (log.entries, log.changed) == (kept, kept != entries)


def test_a_hand_edited_lock_is_read_as_it_was_meant(tmp_path):
    lock = tmp_path / "deckwright.lock"
    lock.write_text('{"notes": {"a": ["h1", 5], "b": [7, "8"]}}')
    assert Lock.read(tmp_path).entries == {"a": ("h1", 5), "b": ("7", 8)}
    lock.write_text('{"notes": {"a": ["h1", 5], "b": ["h2"]}}')
    with pytest.raises(BuildFailed):
        Lock.read(tmp_path)
