"""deckwright's two note types: their fields, templates and stylesheet, and the version of each
that tells Anki when to update them (the writer, apkg.py, turns them into genanki's JSON)."""

from __future__ import annotations

from itertools import chain
from operator import attrgetter

from deckwright.model.markdown_code import with_code_css
from deckwright.package.identity import content_hash
from deckwright.package.notes import CLOZE_ID, PAIR_ID, NoteRow

CSS = """\
.card {
  font-family: -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  font-size: 22px; line-height: 1.45; text-align: center;
  color: #1d1d1f; background-color: #ffffff;
  max-width: 42em; margin: 0 auto; padding: 0 0.5em;
}
.card.nightMode, .night_mode .card { color: #e8e8ea; background-color: #1f1f22; }
hr#answer { border: none; border-top: 1px solid #c8c8cc; margin: 1em 0; }
.nightMode hr#answer, .night_mode hr#answer { border-top-color: #4a4a50; }
.cloze { font-weight: 600; color: #0a58ca; }
.nightMode .cloze, .night_mode .cloze { color: #8ab4f8; }
.extra { margin-top: 1em; font-size: 0.85em; color: #44444a; }
.nightMode .extra, .night_mode .extra { color: #b8b8be; }
.source { margin-top: 1.5em; font-size: 0.6em; color: #6e6e73; }
.nightMode .source, .night_mode .source { color: #9a9aa0; }
"""

_EXTRA = '{{#Extra}}<div class="extra">{{Extra}}</div>{{/Extra}}'
_SOURCE = '{{#Source}}<div class="source">{{Source}}</div>{{/Source}}'

NOTE_TYPES = {
    "PAIR": dict(
        model_id=PAIR_ID,
        name="deckwright pair",
        fields=("Front", "Back", "Extra", "Source", "Reverse"),
        templates=(
            (
                "Front to back",
                "{{Front}}",
                '{{FrontSide}}<hr id="answer">{{Back}}' + _EXTRA + _SOURCE,
            ),
            (
                "Back to front",
                "{{#Reverse}}{{Back}}{{/Reverse}}",
                '{{FrontSide}}<hr id="answer">{{Front}}' + _EXTRA + _SOURCE,
            ),
        ),
        model_type=0,
    ),
    "CLOZE": dict(
        model_id=CLOZE_ID,
        name="deckwright cloze",
        fields=("Text", "Extra", "Source"),
        templates=(("Cloze", "{{cloze:Text}}", "{{cloze:Text}}" + _EXTRA + _SOURCE),),
        model_type=1,
    ),
}


def note_type_key(model_id: int) -> str:
    return f"note type {model_id}"


def note_type_versions(css: str = CSS) -> list[tuple[str, str]]:
    """A hash per note type, so a change of template or CSS reaches students' collections.

    `css` is the deck's stylesheet (deck_css)."""
    return [
        (note_type_key(spec["model_id"]), content_hash(css, *spec.values()))
        for spec in NOTE_TYPES.values()
    ]


def note_type_version(model: dict) -> tuple[str, str] | None:
    """(key, hash) as note_type_versions has it, when a note type read back from a built deck
    is one of ours exactly as this deckwright makes it; else None."""
    for spec in NOTE_TYPES.values():
        if (
            model.get("id") == spec["model_id"]
            and model.get("css") == CSS
            and [f.get("name") for f in model.get("flds", [])] == list(spec["fields"])
            and [(t.get("name"), t.get("qfmt"), t.get("afmt")) for t in model.get("tmpls", [])]
            == list(spec["templates"])
        ):
            return note_type_key(spec["model_id"]), content_hash(CSS, *spec.values())
    return None


_FIELDS = attrgetter("fields")


def deck_css(rows: list[NoteRow]) -> str:
    """The note types' stylesheet for these notes: with the code rules when one has code."""
    return with_code_css(CSS, chain.from_iterable(map(_FIELDS, rows)))  # looped in C
