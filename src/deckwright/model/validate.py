"""Raw values -> validated cards, with every problem found in one pass.

A little over 300 lines: one validator walks a file's keys once, and splitting it would pass
its collected problems from module to module (the common card's fast path is simple_card.py).
"""

from __future__ import annotations

from typing import Any

from deckwright.errors import Location, Problem, close_matches, did_you_mean
from deckwright.model.card_format import (
    CARD_FORMAT,
    CARD_KEYS,
    COVERS,
    FALSE_WORDS,
    FILE_KEYS,
    FLAG,
    MARKUP,
    MARKUPS,
    NULL_WORDS,
    TAGS,
    TRUE_WORDS,
    Key,
)
from deckwright.model.cards import Card, Checked, Cover, layout
from deckwright.model.field_checks import CONTROL, MAX_DECK_DEPTH, blank
from deckwright.model.markdown_cards import render_fields
from deckwright.model.markup import ClozeError, parse_cloze, unsafe_html
from deckwright.model.simple_card import simple_card
from deckwright.read.raw import Raw, RawList, RawMap, RawScalar

_CARD_SPEC = {key.name: key for key in CARD_FORMAT}
_SHOWN = {"front", "back", "cloze"}  # judged blank on what the card shows, once rendered


def _shows_nothing(name: str) -> str:
    return (
        f"`{name}` shows nothing on the card (only markup, entities or invisible characters):"
        f" write the {name} text a student should see"
    )


# Anki separates fields with U+001F and stores text as UTF-8, so control characters and lone
# surrogates (both only reachable through "\x1f"-style escapes) would corrupt the note.


def _shown(text: str) -> str:
    """Student text as quoted in a message: short, and printable on any terminal."""
    short = text if len(text) <= 40 else text[:40] + "..."
    return short.encode("utf-8", "backslashreplace").decode("utf-8").translate(_ESCAPES)


_ESCAPES = {code: f"\\x{code:02x}" for code in [*range(0x20), 0x7F]}


class _Validator:
    def __init__(self, checked: Checked):
        self.checked = checked

    def error(self, where: Location, message: str) -> None:
        self.checked.problems.append(Problem(where, message))

    def keys(self, raw: RawMap, allowed: tuple[str, ...], what: str) -> dict[str, Raw]:
        found: dict[str, Raw] = {}
        self.meant: set[str] = set()  # keys a misspelt one was taken for: not missing as well
        for key, value in raw.items:
            if key.text in found:
                self.error(
                    key.where, f"`{_shown(key.text)}` is given twice in this {what}: keep one"
                )
            elif key.text not in allowed:
                close = close_matches(key.text, allowed)
                self.meant.update(close)
                hint = did_you_mean(close)
                self.error(
                    key.where,
                    f"unknown key `{_shown(key.text)}` in this {what}{hint};"
                    f" allowed keys: {', '.join(allowed)}",
                )
            else:
                found[key.text] = value
        return found

    def text(self, raw: Raw | None, name: str, required: bool = False) -> str:
        if raw is None:
            return ""
        if not isinstance(raw, RawScalar):
            kind = "list" if isinstance(raw, RawList) else "mapping"
            self.error(
                raw.where,
                f"`{name}` must be text, not a {kind}: put the text on the same line"
                " (quote it if it contains `: ` or starts with `[` or `{`)",
            )
            return ""
        value = raw.text if raw.quoted or raw.text not in NULL_WORDS else ""
        control = CONTROL.search(value)
        if control:
            self.error(
                raw.where,
                f"`{name}` contains the control character U+{ord(control.group()):04X}, which"
                " Anki cannot store: remove the escape that produces it",
            )
            return ""
        findings = unsafe_html(value)
        if required and not value.strip():
            self.error(raw.where, f"`{name}` is empty: write the {name} text after `{name}:`")
        elif required and not findings and name not in _SHOWN and blank(value):
            self.error(raw.where, _shows_nothing(name))
        for finding in findings:
            self.error(
                raw.where,
                f"`{name}` contains {finding}, which would run code in the Anki of everyone"
                " you share the deck with: remove it",
            )
        return value

    def words(self, raw: Raw | None, name: str) -> tuple[str, ...]:
        """Tags or covers: a list of texts (one text alone is accepted for covers)."""
        if raw is None:
            return ()
        if isinstance(raw, RawScalar) and name == "covers":
            text = self.text(raw, name).strip()
            if text:
                return (text,)
        if not isinstance(raw, RawList):
            self.error(raw.where, f"`{name}` must be a list, e.g. `{name}: [first, second]`")
            return ()
        values = []
        for item in raw.items:
            value = self.text(item, f"an item of `{name}`").strip()
            if name == "tags" and (not value or any(c.isspace() for c in value)):
                self.error(
                    item.where,
                    f"tag `{_shown(value)}` is empty or contains a space, which Anki cannot store:"
                    " join words with `_` and nest with `::`",
                )
                continue
            if name == "tags" and "" in value.split("::"):
                self.error(
                    item.where,
                    f"tag `{_shown(value)}` has an empty part between `::` separators, which Anki"
                    " would store as `blank`: remove the extra `::`",
                )
                continue
            if not value:
                if isinstance(item, RawScalar):  # a list or mapping was reported by text()
                    self.error(item.where, f"an item of `{name}` is empty: remove it or fill it in")
                continue
            values.append(value)
        return tuple(values)

    def covers(self, raw: Raw) -> tuple[Cover, ...]:
        """Each covered row with the line it is named on, so a wrong name is reported there."""
        if isinstance(raw, RawList):
            return tuple(
                Cover(name, item.where)
                for item in raw.items
                for name in self.words(RawList((item,), raw.rel, raw.mark), "covers")
            )
        return tuple(Cover(name, raw.where) for name in self.words(raw, "covers"))

    def flag(self, raw: Raw | None, name: str) -> bool:
        if raw is None:
            return False
        # Quoted words count too: an editor's YAML 1.2 parser reads `yes` as the text "yes" anyway.
        if isinstance(raw, RawScalar):
            if raw.text.lower() in TRUE_WORDS:
                return True
            if raw.text.lower() in FALSE_WORDS:
                return False
        shown = _shown(raw.text) if isinstance(raw, RawScalar) else "a list or mapping"
        self.error(raw.where, f"`{name}` must be true or false, not `{shown}`")
        return False

    def markup(self, raw: Raw | None, default: str) -> str:
        if raw is None:
            return default
        text = raw.text.strip() if isinstance(raw, RawScalar) else ""
        if text in MARKUPS:
            return text
        shown = f"`{_shown(text)}`" if text else "empty"
        if not isinstance(raw, RawScalar):
            shown = "a list or mapping"
        self.error(raw.where, f"`markup` must be html or markdown, not {shown}")
        return default

    def deck(self, raw: Raw | None, where: Location) -> str:
        if raw is None:
            self.error(where, "no `deck:` given: name the Anki deck, e.g. `deck: Biology::Cells`")
            return ""
        name = self.text(raw, "deck", required=True).strip()
        if name and any(not part.strip() for part in name.split("::")):
            self.error(
                raw.where, f"deck name `{_shown(name)}` has an empty part between `::` separators"
            )
        elif name.count("::") >= MAX_DECK_DEPTH:
            self.error(
                raw.where,
                f"deck `{_shown(name)}` is nested {name.count('::') + 1} levels deep, and Anki"
                f" refuses to import a deck nested more than {MAX_DECK_DEPTH} levels (names"
                " joined by `::`): merge some levels",
            )
        return "::".join(part.strip() for part in name.split("::"))

    def card(
        self, raw: Raw, deck: str, defaults: tuple[tuple[str, ...], str], markup: str = "html"
    ) -> Card | None:
        if not isinstance(raw, RawMap):
            self.error(
                raw.where,
                "each item of `cards` must be a card with keys such as `front:` and `back:`,"
                " or `cloze:`",
            )
            return None
        simple = simple_card(raw, deck, defaults) if markup == "html" else None
        if simple is not None:
            return simple
        keys = self.keys(raw, CARD_KEYS, "card")
        where = raw.items[0][0].where if raw.items else raw.where
        kind = "cloze" if "cloze" in keys else "pair"
        if kind == "cloze" and ("front" in keys or "back" in keys):
            self.error(
                where,
                "a card has either `front`/`back` or `cloze`, not both: split it into two cards",
            )
            return None
        if kind == "pair" and "front" not in keys and "back" not in keys:
            self.error(where, "this card has neither `front`/`back` nor `cloze`: add one")
            return None
        for spec in CARD_FORMAT:
            if spec.kind not in ("", kind) and spec.name in keys:
                self.error(
                    keys[spec.name].where,
                    f"`{spec.name}` does not apply to a {kind} card: remove it",
                )
            missing = spec.name not in keys and spec.name not in self.meant
            if spec.kind == kind and spec.required and missing:
                self.error(where, f"this card has no `{spec.name}`: add `{spec.name}: ...`")
        values = {name: self.value(_CARD_SPEC[name], value) for name, value in keys.items()}
        card = _card(raw, where, deck, values, defaults)
        if (values.get("markup") or markup) == "markdown":
            wheres = {name: value.where for name, value in keys.items()}
            self.checked.problems += render_fields(card, wheres)
        for name in _SHOWN.intersection(keys):
            # Judged on the field as rendered (Markdown's `<scheme:...>` is a link, not a tag);
            # an empty or unsafe field has its own message.
            text = getattr(card, name)
            if text.strip() and blank(text) and not unsafe_html(text):
                self.error(keys[name].where, _shows_nothing(name))
        if not blank(card.cloze):
            try:
                parse_cloze(card.cloze)
            except ClozeError as error:
                self.error(keys["cloze"].where, str(error))
        return card

    def value(self, key: Key, raw: Raw) -> Any:
        """A key's value, read as the format table says that key's type is read."""
        if key.type == FLAG:
            return self.flag(raw, key.name)
        if key.type == COVERS:
            return self.covers(raw)
        if key.type == TAGS:
            return self.words(raw, key.name)
        if key.type == MARKUP:
            return self.markup(raw, "")
        return self.text(raw, key.name, required=key.filled)


def _card(raw: RawMap, where: Location, deck: str, values: dict[str, Any], defaults: tuple) -> Card:
    file_tags, file_source = defaults
    return Card(
        where=where,
        deck=deck,
        front=values.get("front", ""),
        back=values.get("back", ""),
        reverse=values.get("reverse", False),
        cloze=values.get("cloze", ""),
        extra=values.get("extra", ""),
        id=values.get("id", "").strip() or None,
        tags=tuple(dict.fromkeys(file_tags + values["tags"])) if "tags" in values else file_tags,
        covers=values.get("covers", ()),
        source=values.get("source", "") or file_source,
        own_source=bool(values.get("source", "")),
        lines=layout(
            tuple(key.text for key, _ in raw.items),
            tuple(key.line - where.line for key, _ in raw.items),
        ),
        guid=values.get("guid", "").strip(),
    )


def check_file(raw: RawMap, markup: str = "html") -> Checked:
    """Validate one card file; problems are collected, never raised.

    `markup` is the project's default (project_config.py); the file and each card may say
    otherwise."""
    checked = Checked()
    validator = _Validator(checked)
    keys = validator.keys(raw, FILE_KEYS, "file")
    deck = validator.deck(keys.get("deck"), raw.where)
    tags = tuple(
        dict.fromkeys(validator.words(keys.get("tags"), "tags"))
    )  # one tuple for all cards
    source = validator.text(keys.get("source"), "source")
    markup = validator.markup(keys.get("markup"), markup)
    cards = keys.get("cards")
    if cards is None:
        validator.error(
            raw.where, "no `cards:` list: add `cards:` with one `- front: ...` per card"
        )
    elif not isinstance(cards, RawList):
        validator.error(cards.where, "`cards` must be a list: start each card with `- `")
    else:
        for item in cards.items:
            card = validator.card(item, deck, (tags, source), markup)
            if card is not None:
                checked.cards.append(card)
    note_type = validator.text(keys.get("note_type"), "note_type", required=True).strip()
    if "note_type" in keys:
        for card in checked.cards:
            card.note_type = note_type
    return checked
