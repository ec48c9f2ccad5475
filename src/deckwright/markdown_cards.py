"""`markup: markdown` cards: their fields rendered to HTML as the card is checked.

Everything after the check (media, lint, near-duplicates, coverage, identity, the notes, the
preview and the cache) reads a card's fields as HTML, so rendering here lets each of them work on
what the student sees, as it does for HTML cards. `source` is shown as written: it is a citation,
and a covered row's citation comes from the document.
"""

from __future__ import annotations

from .cards import Card
from .errors import Location, Problem
from .markdown_fields import render_markdown
from .markup import unsafe_html

MARKDOWN_FIELDS = ("front", "back", "cloze", "extra")


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
