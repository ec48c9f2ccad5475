"""Reading a built deck back: every note, or only the few a build took out."""

from deckwright.build import build
from deckwright.package.lock_recovery import deck_notes


def test_the_notes_asked_for_read_as_reading_the_whole_deck_gives_them(example):
    build(example.root)
    deck = example.apkg()
    every, types = deck_notes(deck)
    assert len(every) > 2 and types
    wanted = [*sorted(every)[:2], "not a guid of this deck"]

    some, same_types = deck_notes(deck, wanted)

    assert some == {guid: every[guid] for guid in wanted[:2]}
    assert same_types == types
    assert deck_notes(deck, []) == ({}, types)
