"""What Anki would show as nothing, or refuse: checks of single field values for validate.py."""

from __future__ import annotations

import re

from deckwright.model.markup import plain

# Anki 26's importer refuses a whole package with a deck nested deeper ("deck nesting level
# too deep") when the collection lacks the parent decks, as on a first import;
# tests/test_anki.py holds this number to the real backend.
MAX_DECK_DEPTH = 11

# Characters that take no room on the card: zero-width spaces and joiners, BOM, soft hyphen.
# Characters Anki cannot store in a field (C0 controls but tab and line ends, DEL, lone surrogates).
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)


def blank(text: str) -> bool:
    """Whether a field shows nothing in Anki: judged on the text a student sees (markup.plain),
    so `&nbsp;`, `<br>`, `<!-- a comment -->` and zero-width spaces count as empty."""
    if text.isascii() and "<" not in text and "&" not in text:
        return not text.strip()  # nearly every field: shown as written
    if plain(text).translate(_INVISIBLE).strip():
        return False  # text shows: what most fields with markup have
    return not _PICTURE.search(text)


# Elements seen without any text (or refused as unsafe, which says enough).
_PICTURE = re.compile(r"<(?:img|svg|video|audio|canvas|hr|iframe|frame|object|embed)\b", re.I)
