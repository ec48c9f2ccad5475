"""Fenced code in Markdown fields: highlighted by Pygments into CSS classes of our note types.

The colours live in the note type's stylesheet, not in the field, so one switch of Anki's night
mode recolours every code block. Solarized's light and dark styles style the same token classes,
so no light colour is left behind on the dark background. The stylesheet gets these rules only
in a deck that has highlighted code: a deck without it keeps its bytes (and Anki its note type).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from itertools import repeat

CODE_CLASS = "highlight"
MARKER = f'<div class="{CODE_CLASS}">'  # how a field with highlighted code starts its block
LIGHT_STYLE, DARK_STYLE = "solarized-light", "solarized-dark"
_NIGHT = [f".nightMode .{CODE_CLASS}", f".night_mode .{CODE_CLASS}"]  # Anki 2.1.50+, older
# Anki centres the card; code reads top-left to bottom-right, and scrolls rather than wraps.
_LAYOUT = (
    f".{CODE_CLASS} {{ text-align: left; border-radius: 4px; margin: 0.5em 0; }}\n"
    f".{CODE_CLASS} pre {{ margin: 0; padding: 0.5em 0.7em; overflow-x: auto;"
    " font-size: 0.8em; line-height: 1.35; }\n"
)
# Braces in code are written as entities: Anki's cloze parser reads the field's raw text, where
# `}}` in a code block would end a deletion; the browser shows the braces all the same.
_BRACES = str.maketrans({"{": "&#123;", "}": "&#125;"})


def escape_braces(html: str) -> str:
    """Code's braces as entities, so code may hold `{{c1::` or `}}` as the text it is."""
    return html.translate(_BRACES)


def highlight_code(code: str, language: str) -> str:
    """A code block as Pygments' HTML; an unknown or missing language is shown unhighlighted."""
    from pygments import highlight  # imported when needed, as genanki is: start-up stays quick
    from pygments.formatters import HtmlFormatter
    from pygments.lexers import TextLexer, get_lexer_by_name
    from pygments.util import ClassNotFound

    try:
        lexer = get_lexer_by_name(language) if language else TextLexer()
    except ClassNotFound:
        lexer = TextLexer()
    return escape_braces(highlight(code, lexer, HtmlFormatter(cssclass=CODE_CLASS)))


@functools.cache
def code_css() -> str:
    """The rules for highlighted code, by day and in Anki's night mode."""
    from pygments.formatters import HtmlFormatter

    day = HtmlFormatter(style=LIGHT_STYLE)
    night = HtmlFormatter(style=DARK_STYLE)
    rules = [
        *day.get_background_style_defs(f".{CODE_CLASS}"),
        *day.get_token_style_defs(f".{CODE_CLASS}"),
        *night.get_background_style_defs(_NIGHT),
        *night.get_token_style_defs(_NIGHT),
    ]
    return _LAYOUT + "\n".join(rules) + "\n"


def has_code(fields: Iterable[str]) -> bool:
    """Whether any of these fields holds highlighted code, and so needs code_css.

    Looped in C (`map`): every build asks it of every field of a deck, twice."""
    return any(map(str.__contains__, fields, repeat(MARKER)))


def with_code_css(css: str, fields: Iterable[str]) -> str:
    """A note type's stylesheet, with code_css when the fields need it."""
    return css + code_css() if has_code(fields) else css
