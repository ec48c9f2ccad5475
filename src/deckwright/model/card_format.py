"""The card-file format: one table that the validator and the JSON Schema both read.

validate.py checks card files against these keys and schema.py turns them into the JSON Schema that
editors check against, so `build-deck` and the editor cannot disagree about a key.
"""

from __future__ import annotations

from dataclasses import dataclass

TEXT, FLAG, TAGS, COVERS, CARDS = "text", "flag", "tags", "covers", "cards"
MARKUP = "markup"
MARKUPS = ("html", "markdown")  # how field text is written; html, Anki's own, unless told
TRUE_WORDS = ("true", "yes", "on")  # any case, quoted or not
FALSE_WORDS = ("false", "no", "off")
NULL_WORDS = ("", "~", "null", "Null", "NULL")  # unquoted, these mean "nothing", as in YAML 1.2


@dataclass(frozen=True)
class Key:
    """One key of a card file or of a card, with what may be written there."""

    name: str
    type: str  # TEXT, FLAG, TAGS, COVERS, CARDS or MARKUP
    about: str  # what editors show when hovering the key
    required: bool = False  # in a file; for a card key, in the cards of its `kind`
    filled: bool = False  # when given, must not be empty
    kind: str = ""  # card keys only: "pair" or "cloze" when only that kind of card takes it


FILE_FORMAT = (
    Key(
        "deck",
        TEXT,
        "The Anki deck of every card in this file; `::` nests decks, e.g. Biology::Cells.",
        required=True,
        filled=True,
    ),
    Key("tags", TAGS, "Tags added to every card of this file; no spaces, `::` nests tags."),
    Key("source", TEXT, "Where the facts come from; shown on the answer side of every card."),
    Key("cards", CARDS, "The cards: each has `front` and `back`, or `cloze`.", required=True),
    Key(
        "note_type",
        TEXT,
        "The Anki note type of this file's cards, kept in note-types/<name>.json by"
        " `build-deck import`; without it, deckwright's own.",
        filled=True,
    ),
    Key(
        "markup",
        MARKUP,
        "How the cards' text is written: html (the default) or markdown; a card can say otherwise.",
    ),
)
CARD_FORMAT = (
    Key(
        "id",
        TEXT,
        "A stable name for the card, unique in the project: Anki keeps its review history"
        " however much you reword the card.",
        filled=True,
    ),
    Key(
        "front",
        TEXT,
        "The question (HTML, or Markdown with `markup: markdown`).",
        required=True,
        filled=True,
        kind="pair",
    ),
    Key("back", TEXT, "The answer (HTML, or Markdown).", required=True, filled=True, kind="pair"),
    Key("reverse", FLAG, "true adds a second card asking back -> front.", kind="pair"),
    Key(
        "cloze",
        TEXT,
        "Text with deletions to recall: {{c1::answer}} or {{c1::answer::hint}} (HTML or Markdown).",
        required=True,
        filled=True,
        kind="cloze",
    ),
    Key("extra", TEXT, "More on the answer side (HTML or Markdown)."),
    Key("tags", TAGS, "Tags of this card, added to the file's tags; no spaces."),
    Key("covers", COVERS, "The comparison rows this card covers, e.g. [document#row-name]."),
    Key("source", TEXT, "Where this card's fact comes from; replaces the file's source."),
    Key(
        "guid",
        TEXT,
        "The Anki GUID of a note brought in by `build-deck import`: keep it, so Anki updates"
        " that very note.",
        filled=True,
    ),
    Key(
        "markup", MARKUP, "How this card's text is written, html or markdown: replaces the file's."
    ),
)
FILE_KEYS = tuple(key.name for key in FILE_FORMAT)
CARD_KEYS = tuple(key.name for key in CARD_FORMAT)
