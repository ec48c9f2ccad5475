"""The card a well-formed mapping of texts makes, without the validator's key-by-key checks.

A speed shortcut (docs/shortcuts.md: the cold build costs 10% more without it): nearly every card
is such a mapping, and tests hold this path to the validator's cards (tests/test_validate.py).
"""

from __future__ import annotations

from deckwright.model.card_format import (
    CARD_FORMAT,
    FALSE_WORDS,
    FLAG,
    NULL_WORDS,
    TEXT,
    TRUE_WORDS,
)
from deckwright.model.cards import Card, layout
from deckwright.model.field_checks import CONTROL, blank
from deckwright.model.markup import ClozeError, any_unsafe, parse_cloze
from deckwright.read.raw import RawMap, RawScalar

# The card keys whose value is one text, and those a card of each kind must not be empty.
_SCALAR_KEYS = frozenset(key.name for key in CARD_FORMAT if key.type in (TEXT, FLAG))
_FILLED = {
    kind: tuple(key.name for key in CARD_FORMAT if key.filled and key.kind in ("", kind))
    for kind in ("pair", "cloze")
}


def simple_card(raw: RawMap, deck: str, defaults: tuple) -> Card | None:
    """The card a well-formed mapping of texts makes, or None to let the validator find what is
    unusual (and say where). Nearly every card is one; this path costs a fraction of the
    key-by-key checks, and tests hold it to the same cards."""
    texts: dict[str, str] = {}
    for key, value in raw.items:
        name = key.text
        if name in texts or name not in _SCALAR_KEYS or type(value) is not RawScalar:
            return None
        text = value.text
        texts[name] = text if value.quoted or text not in NULL_WORDS else ""
    get = texts.get
    if "cloze" in texts:
        kind = "cloze"
        if "front" in texts or "back" in texts or "reverse" in texts:
            return None
    else:
        kind = "pair"
        if "front" not in texts or "back" not in texts:
            return None
    for name in _FILLED[kind]:
        if blank(get(name, "x")):
            return None
    reverse = get("reverse", "false").lower()
    if reverse not in TRUE_WORDS and reverse not in FALSE_WORDS:
        return None
    fields = [text for name, text in texts.items() if name != "reverse"]
    if CONTROL.search("\n".join(fields)) or any_unsafe(fields):
        return None
    cloze = get("cloze", "")
    if cloze:
        try:
            parse_cloze(cloze)
        except ClozeError:
            return None
    file_tags, file_source = defaults
    source = get("source", "")
    first = raw.items[0][0]
    top = first.mark.line
    return Card(
        first.where,
        deck,
        get("front", ""),
        get("back", ""),
        reverse in TRUE_WORDS,
        cloze,
        get("extra", ""),
        get("id", "").strip() or None,
        file_tags,
        (),
        source or file_source,
        bool(source),
        layout(tuple(texts), tuple([key.mark.line - top for key, _ in raw.items])),
        get("guid", "").strip(),
    )
