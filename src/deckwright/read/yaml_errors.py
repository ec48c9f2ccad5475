"""libyaml's errors -> what to fix, at the right line.

libyaml words its errors for people who write parsers and often points past the real mistake (at
the end of the file for an unclosed quote); a student needs the line to edit and what to type.
Kept apart from yaml_reader.py, which turns well-formed YAML into raw values.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import yaml

from deckwright.errors import Location, Problem

_TAB = "a tab is used for indentation; YAML allows only spaces: replace the tab with spaces"
# libyaml's (problem, context) -> which mark to show, and what to say instead.
_FRIENDLY = {
    ("found unexpected end of stream", "while scanning a quoted scalar"): (
        "context",
        "this quoted text is never closed: add the closing quote (inside '...' write ''"
        " for an apostrophe)",
    ),
    ("did not find expected ',' or ']'", "while parsing a flow sequence"): (
        "context",
        "this `[` is never closed: add the `]`, or put the whole text in quotes",
    ),
    ("did not find expected ',' or '}'", "while parsing a flow mapping"): (
        "context",
        "this `{` is never closed: add the `}`, or put the whole text in quotes"
        " (a cloze that starts with `{{` must be quoted)",
    ),
    ("found unknown escape character", "while parsing a quoted scalar"): (
        "problem",
        "a backslash in \"double quotes\" starts an escape such as \\n: use 'single quotes'"
        " or a `|` block for text with backslashes (MathJax)",
    ),
    ("mapping values are not allowed in this context", None): (
        "problem",
        "unexpected `: ` here: put text that contains `: ` in quotes, or fix the indentation"
        " of this line",
    ),
    ("but found another document", "expected a single document in the stream"): (
        "problem",
        "the file holds several YAML documents (separated by `---`): keep one per file",
    ),
    ("found a tab character that violates indentation", "while scanning a plain scalar"): (
        "problem",
        _TAB,
    ),
}


def mark_location(rel: Path, mark) -> Location:
    """Where a YAML mark (0-based line and column) points, as messages count (from 1)."""
    return Location(rel, mark.line + 1, mark.column + 1)


def syntax_problem(error: yaml.MarkedYAMLError, text: str, rel: Path) -> Problem:
    problem = (error.problem or "").strip()
    mark = error.problem_mark or error.context_mark
    which, message = _FRIENDLY.get((problem, error.context), (None, None))
    if which == "context" and error.context_mark is not None:
        mark = error.context_mark
    if message is None and mark is not None and text[mark.index : mark.index + 1] == "\t":
        message = _TAB
    if message is None:
        context = f" {error.context}" if error.context else ""
        message = (
            f"YAML syntax error: {problem}{context}: check quotes, brackets and indentation"
            " on this line and the one before"
        )
    if mark is None:
        return Problem(Location(rel, 0), message)
    return Problem(mark_location(rel, mark), message)


def control_character_problem(
    error: yaml.reader.ReaderError, text: str, rel: Path, libyaml: bool
) -> Problem:
    index = error.position
    if libyaml:  # libyaml counts bytes, not characters
        index = len(text.encode()[:index].decode("utf-8", "ignore"))
    return Problem(
        text_location(text, index, rel),
        f"contains the control character U+{error.character:04X}, which YAML does"
        " not allow: delete it (it is often invisible; retype the line)",
    )


def alias_problems(events: Iterable[yaml.Event], rel: Path) -> list[Problem]:
    """Where each anchor is first used: the composer hands an alias back as the anchored node.

    One problem per anchor, however many aliases (a "billion laughs" has thousands).
    """
    first: dict[str, Location] = {}
    for event in events:
        if isinstance(event, yaml.AliasEvent) and event.anchor not in first:
            mark = event.start_mark
            first[event.anchor] = mark_location(rel, mark)
    return [
        Problem(
            where, "anchors and aliases (`&name`, `*name`) are not supported: write the value out"
        )
        for where in first.values()
    ]


def text_location(text: str, index: int, rel: Path) -> Location:
    """The line and column of a character of the text, for errors that give only an offset."""
    start = text.rfind("\n", 0, index) + 1
    return Location(rel, text.count("\n", 0, index) + 1, index - start + 1)
