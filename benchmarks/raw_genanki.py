"""The baseline: genanki itself writing the benchmark's notes, with no YAML and no checks.

Usage: python raw_genanki.py OUT.apkg [SHAPE [--quick]]. Without a shape, the notes of the
current corpus (corpus.py); with one, those of that shape of the matrix (shapes.py). The note
types have deckwright's fields and templates and each note gets deckwright's GUID (for a card
with no id, one from its question), so both packages hold the same notes and cards.
"""

import sys

import genanki
from corpus import FILES, deck_name, file_tags, notes, source

PAIR = genanki.Model(
    1607392319,
    "pair",
    fields=[{"name": name} for name in ("Front", "Back", "Extra", "Source", "Reverse")],
    templates=[
        {"name": "Front to back", "qfmt": "{{Front}}", "afmt": "{{FrontSide}}<hr>{{Back}}"},
        {
            "name": "Back to front",
            "qfmt": "{{#Reverse}}{{Back}}{{/Reverse}}",
            "afmt": "{{FrontSide}}<hr>{{Front}}",
        },
    ],
)
CLOZE = genanki.Model(
    1607392320,
    "cloze",
    fields=[{"name": name} for name in ("Text", "Extra", "Source")],
    templates=[{"name": "Cloze", "qfmt": "{{cloze:Text}}", "afmt": "{{cloze:Text}}{{Extra}}"}],
    model_type=genanki.Model.CLOZE,
)


def add(deck: genanki.Deck, note, tags: list[str], cited: str, has_id: bool = True) -> None:
    key = note.id if has_id else note.cloze or note.front
    guid = genanki.guid_for("deckwright id", key)
    if note.cloze:
        fields = [note.cloze, note.extra, cited]
        deck.add_note(genanki.Note(CLOZE, fields, tags=tags, guid=guid))
    else:
        fields = [note.front, note.back, "", cited, "y"]
        deck.add_note(genanki.Note(PAIR, fields, tags=tags, guid=guid))


def main(out: str) -> None:
    decks = []
    for number in range(FILES):
        deck = genanki.Deck(2059400110 + number, deck_name(number))
        for note in notes(number):
            add(deck, note, file_tags(number), source(number))
        decks.append(deck)
    genanki.Package(decks).write_to_file(out, timestamp=1_700_000_000)


def main_shape(out: str, shape: str, quick: bool) -> None:
    from shapes import shape_files

    decks = []
    for number, file in enumerate(shape_files(shape, quick)):
        deck = genanki.Deck(2059400110 + number, file.deck)
        for note in file.notes:
            add(deck, note, list(file.tags), file.source, file.ids)
        decks.append(deck)
    genanki.Package(decks).write_to_file(out, timestamp=1_700_000_000)


if __name__ == "__main__":
    if len(sys.argv) > 2:
        main_shape(sys.argv[1], sys.argv[2], "--quick" in sys.argv[3:])
    else:
        main(sys.argv[1])
