"""The names of a project's folders and files, in one place: every module asks here."""

from __future__ import annotations

CARDS = "cards"  # the card files, cards/**/*.yaml
SOURCES = "sources"  # the documents whose comparison rows the cards must cover
MEDIA = "media"  # pictures and sounds the cards name
DIST = "dist"  # what a build writes: the deck and the preview
KEPT_NOTES = "notes"  # notes of Anki's own note types, brought in by `build-deck import`
NOTE_TYPES = "note-types"  # those note types, one JSON file each
LOCK = "deckwright.lock"  # each note's content hash and change time; committed
CONFIG = "deckwright.toml"  # the project's settings
CACHE = ".deckwright-cache"  # per-file results, safe to delete
SCHEMA = "schema/cards.schema.json"  # the card files' JSON Schema, for editors
WATCHED = (CARDS, SOURCES, MEDIA)  # what a rebuild depends on, besides CONFIG
