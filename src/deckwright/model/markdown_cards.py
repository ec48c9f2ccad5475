"""`markup: markdown` cards: their fields rendered to HTML as the card is checked.

Everything after the check (media, lint, near-duplicates, coverage, identity, the notes, the
preview and the cache) reads a card's fields as HTML, so rendering here lets each of them work on
what the student sees, as it does for HTML cards. `source` is shown as written: it is a citation,
and a covered row's citation comes from the document.
"""

from __future__ import annotations

import re

from deckwright.errors import Location, Problem
from deckwright.model.cards import Card
from deckwright.model.markdown_fields import render_markdown
from deckwright.model.markup import ClozeError, parse_cloze, unsafe_html

MARKDOWN_FIELDS = ("front", "back", "cloze", "extra")
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)[^>]*>")
_VOID = frozenset({"br", "img", "hr", "wbr", "input", "source", "col", "area", "embed", "track"})


def render_fields(card: Card, wheres: dict[str, Location]) -> list[Problem]:
    """Turn the card's Markdown fields into HTML in place; each problem at its field's line.

    A field whose source is unsafe was reported as it was read; the HTML is checked again,
    because Markdown writes tags and links of its own.
    """
    problems = []
    for name in MARKDOWN_FIELDS:
        text = getattr(card, name)
        if not text:
            continue
        html, refused = render_markdown(text)
        setattr(card, name, html)
        if name == "cloze":
            problems += _split_elements(html, wheres.get(name, card.where))
        if unsafe_html(text):
            continue
        for finding in dict.fromkeys([*refused, *unsafe_html(html)]):
            problems.append(
                Problem(
                    wheres.get(name, card.where),
                    f"`{name}` contains {finding}, which would run code in the Anki of everyone"
                    " you share the deck with: remove it",
                )
            )
    return problems


def _split_elements(cloze: str, where: Location) -> list[Problem]:
    """A deletion must hold whole elements: Anki puts it in a `<span>`, and `**a {{c1::b**}}`
    would make one that closes `<strong>` inside it, shown mangled."""
    try:
        deletions = parse_cloze(cloze)
    except ClozeError:
        return []  # reported by the validator, which reads the same text
    return [
        Problem(
            where,
            f"the deletion c{deletion.number} starts or ends inside Markdown's emphasis, link or"
            " code: put each `**`, `*`, `[...]` or `` ` `` pair wholly inside the deletion or"
            " wholly outside it",
        )
        for deletion in deletions
        if not _whole(deletion.answer + (f"::{deletion.hint}" if deletion.hint else ""))
    ]


def _whole(html: str) -> bool:
    """Whether every element opened in `html` is closed in it, and none closed is not opened."""
    open_tags: list[str] = []
    for closing, name in _TAG.findall(html[: html.rfind(">") + 1]):  # linear: no `<` retried
        name = name.lower()
        if name in _VOID:
            continue
        if not closing:
            open_tags.append(name)
        elif not open_tags or open_tags.pop() != name:
            return False
    return not open_tags
