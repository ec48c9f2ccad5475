from pathlib import Path

from deckwright.errors import Location
from deckwright.identity import ChangeLog, deck_id, identity_checks, implicit_id, note_guid
from deckwright.model import Card

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
    log = ChangeLog()
    assert log.stamp([("a", "h1"), ("b", "h2")], clock=100) == {"a": 100, "b": 100}
    log.write(tmp_path)
    again = ChangeLog.read(tmp_path)
    assert again.stamp([("a", "h1"), ("b", "h2-edited")], clock=200) == {"a": 100, "b": 200}
    assert again.changed


def test_change_time_always_moves_forward_even_if_the_clock_is_behind():
    log = ChangeLog({"a": ("h1", 500)})
    assert log.stamp([("a", "h2")], clock=100) == {"a": 501}


def test_damaged_change_log_is_not_fatal(tmp_path):
    (tmp_path / "deckwright.lock").write_text("{not json")
    assert ChangeLog.read(tmp_path).entries == {}
