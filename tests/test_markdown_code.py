"""Highlighted code: its rules in the note types' stylesheet, by day and at night."""

from __future__ import annotations

import re

from deckwright.model.markdown_code import code_css, has_code, highlight_code, with_code_css


def _classes(css: str, pattern: str) -> set[str]:
    return set(re.findall(pattern, css, re.MULTILINE))


def test_night_mode_restyles_every_token_class_the_day_styles():
    css = code_css()
    day = _classes(css, r"^\.highlight \.(\w+) \{")
    assert len(day) > 50
    night = r"^\.nightMode \.highlight \.(\w+), \.night_mode \.highlight \.\1 \{"
    assert _classes(css, night) == day


def test_night_mode_sets_its_own_background_and_text_colour():
    assert (
        ".nightMode .highlight , .night_mode .highlight { background: #002b36; color: #839496 }"
        in (code_css())
    )


def test_stylesheet_gains_the_code_rules_only_with_highlighted_code():
    code = highlight_code("x = 1\n", "python")
    assert has_code([code]) and not has_code(["<pre>x</pre>", "<b>highlight</b>"])
    assert with_code_css(".card {}", ["plain"]) == ".card {}"
    assert with_code_css(".card {}", ["plain", code]) == ".card {}" + code_css()
