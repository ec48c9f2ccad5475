"""What a card file that YAML cannot read is told: located, with the fix; nothing written."""

from __future__ import annotations

import pytest

from tests import faults

# ---- YAML syntax -------------------------------------------------------------------------------

SYNTAX = {
    "unclosed single quote": (
        faults.card_file("- front: 'It''s open\n  back: b\n"),
        "cards/bad.yaml:3:12: this quoted text is never closed: add the closing quote"
        " (inside '...' write '' for an apostrophe)",
    ),
    "unclosed double quote": (
        faults.card_file('- front: "open\n  back: b\n'),
        "cards/bad.yaml:3:12: this quoted text is never closed: add the closing quote"
        " (inside '...' write '' for an apostrophe)",
    ),
    "unclosed bracket": (
        "deck: D\ntags: [a, b\ncards: []\n",
        "cards/bad.yaml:2:7: this `[` is never closed: add the `]`, or put the whole text in"
        " quotes",
    ),
    "unclosed brace": (
        faults.card_file("- cloze: {{c1::x}\n  back: b\n"),
        "cards/bad.yaml:3:12: this `{` is never closed: add the `}`, or put the whole text in"
        " quotes (a cloze that starts with `{{` must be quoted)",
    ),
    "key indented less than its card": (
        faults.card_file("- front: a\n back: b\n"),
        "cards/bad.yaml:4:4: YAML syntax error: did not find expected '-' indicator while"
        " parsing a block collection: check quotes, brackets and indentation on this line and"
        " the one before",
    ),
    "key indented more than its card": (
        faults.card_file("- front: a\n    back: b\n"),
        "cards/bad.yaml:4:11: unexpected `: ` here: put text that contains `: ` in quotes,"
        " or fix the indentation of this line",
    ),
    "colon inside an unquoted value": (
        faults.card_file("- front: Ratio: 2 to 1\n  back: b\n"),
        "cards/bad.yaml:3:17: unexpected `: ` here: put text that contains `: ` in quotes,"
        " or fix the indentation of this line",
    ),
    "tab used for indentation": (
        "deck: D\ncards:\n\t- front: q\n",
        "cards/bad.yaml:3:1: a tab is used for indentation; YAML allows only spaces:"
        " replace the tab with spaces",
    ),
    "tab inside the indentation of a continued value": (
        faults.card_file("- front: multi\n\t  line\n  back: b\n"),
        "cards/bad.yaml:4:3: a tab is used for indentation; YAML allows only spaces:"
        " replace the tab with spaces",
    ),
    "backslash in double quotes": (
        faults.card_file('- front: "\\(x^2\\)"\n  back: b\n'),
        'cards/bad.yaml:3:13: a backslash in "double quotes" starts an escape such as \\n:'
        " use 'single quotes' or a `|` block for text with backslashes (MathJax)",
    ),
    "several documents": (
        "deck: D\ncards: []\n---\ndeck: E\n",
        "cards/bad.yaml:3:1: the file holds several YAML documents (separated by `---`):"
        " keep one per file",
    ),
    "document is a list": (
        "- front: q\n  back: a\n",
        "cards/bad.yaml:1:1: a card file must be a mapping with `deck:` and `cards:` keys,"
        " not a list",
    ),
    "document is a scalar": (
        "just some words\n",
        "cards/bad.yaml:1:1: a card file must be a mapping with `deck:` and `cards:` keys,"
        " not a single value",
    ),
    "empty file": ("", "cards/bad.yaml:1: file is empty: give it a `deck:` and a `cards:` list"),
    "only comments": (
        "# TODO: cards\n\n",
        "cards/bad.yaml:1: file is empty: give it a `deck:` and a `cards:` list",
    ),
    "undefined alias": (
        faults.card_file("- front: *x\n  back: b\n"),
        "cards/bad.yaml:3:12: YAML syntax error: found undefined alias: check quotes, brackets"
        " and indentation on this line and the one before",
    ),
}


@pytest.mark.parametrize(("text", "message"), SYNTAX.values(), ids=SYNTAX.keys())
def test_yaml_syntax_error_is_located_when_the_file_cannot_be_parsed(built, text, message):
    faults.fails(built, {"cards/bad.yaml": text}, message)
