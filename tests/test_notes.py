"""What each card becomes in Anki: its card numbers follow genanki's rules and Anki's."""

from __future__ import annotations

import re

from hypothesis import example, given
from hypothesis import strategies as st

from deckwright.package import notes
from deckwright.package.notes import NoteRow, card_ords

_CLOZE_PIECES = ["{{c", "::", "}}", "0", "1", "2", "01", "\u0661", "x", " "]


@given(st.lists(st.sampled_from(_CLOZE_PIECES), max_size=12).map("".join))
@example("{{c0::a}} {{c01::b}} {{c1::c}} {{c3::d}}")
@example("{{c1::a}} {{c2::b}} {{c1::c}} {{c10::d}}")
def test_card_ords_of_a_cloze_follow_each_distinct_number_above_zero(text):
    numbers = re.findall(r"{{c(\d+)::", text)
    expected = sorted({int(n) - 1 for n in numbers if int(n) > 0})
    row = NoteRow("g", "D", notes.CLOZE_ID, (text, "", ""), ())
    assert card_ords(row) == tuple(expected)


@given(st.lists(st.sampled_from(["", "x"]), min_size=5, max_size=5))
def test_card_ords_of_a_pair_follow_the_required_fields(fields):
    row = NoteRow("g", "D", notes.PAIR_ID, tuple(fields), ())
    expected = [o for o, needed in notes._PAIR_REQUIRES if all(fields[i] for i in needed)]
    assert card_ords(row) == tuple(expected)


def test_a_card_becomes_the_fields_of_its_note_type():
    from pathlib import Path

    from deckwright.errors import Location
    from deckwright.model.cards import Card
    from deckwright.model.markup import to_html
    from deckwright.package.notes import note_row

    where = Location(Path("cards/a.yaml"), 3)
    pair = Card(where, "D", front="a\nb", back="c", reverse=True, tags=("t",))
    assert note_row(pair, "g", "Book") == NoteRow(
        "g", "D", notes.PAIR_ID, (to_html("a\nb"), "c", "", "Book", "y"), ("t",)
    )
    cloze = Card(where, "D", cloze="{{c1::x}} y", extra="more")
    assert note_row(cloze, "h", "") == NoteRow(
        "h", "D", notes.CLOZE_ID, ("{{c1::x}} y", "more", ""), ()
    )
