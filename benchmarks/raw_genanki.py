"""The baseline: genanki itself writing the benchmark's notes, with no YAML and no checks.

Usage: python raw_genanki.py OUT.apkg. The note types have deckwright's fields and templates
and each note gets deckwright's GUID, so both packages hold the same notes and cards.
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


def main(out: str) -> None:
    decks = []
    for number in range(FILES):
        deck = genanki.Deck(2059400110 + number, deck_name(number))
        tags = file_tags(number)
        for note in notes(number):
            guid = genanki.guid_for("deckwright id", note.id)
            if note.cloze:
                fields = [note.cloze, note.extra, source(number)]
                deck.add_note(genanki.Note(CLOZE, fields, tags=tags, guid=guid))
            else:
                fields = [note.front, note.back, "", source(number), "y"]
                deck.add_note(genanki.Note(PAIR, fields, tags=tags, guid=guid))
        decks.append(deck)
    genanki.Package(decks).write_to_file(out, timestamp=1_700_000_000)


if __name__ == "__main__":
    main(sys.argv[1])
