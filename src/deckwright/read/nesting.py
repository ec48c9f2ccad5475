"""Absurd nesting and node counts, refused before a YAML composer builds them.

Our own located message whatever the parser: libyaml 0.2.6 refuses deep nesting by itself,
PyYAML without libyaml recurses, older libyaml crashes the interpreter.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from deckwright.errors import Location, Problem
from deckwright.read.raw import MAX_DEPTH, MAX_NODES
from deckwright.read.yaml_errors import mark_location

TOO_DEEP = (
    f"lists and mappings nested more than {MAX_DEPTH} deep: card files never need this,"
    " flatten the structure (or quote text that starts with `[` or `{`)"
)
_OPEN_EVENTS = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
_CLOSE_EVENTS = (yaml.MappingEndEvent, yaml.SequenceEndEvent)


def refuse_oversized(text: str, rel: Path, loader: type) -> Problem | None:
    """Stop absurd nesting and node counts before libyaml's composer builds them.

    The composer recurses once per level and crashes the interpreter past ~25,000 levels, and
    libyaml's scanner slows quadratically with bracket depth, so no text heuristic is safe: the
    event stream (flat, no recursion) is read up to the first level or node too many.
    """
    # Cheap bounds first, so ordinary files are not parsed twice: flow nesting needs a `[` or
    # `{` per level (a cloze's `{{c` cannot nest in YAML), block nesting is bounded by the line
    # length, and every value needs a `:`, `-`, `,` or bracket of its own.
    openers = text.count("[") + text.count("{") - 2 * text.count("{{c")
    values = 2 * sum(text.count(char) for char in ":-,?") + openers + 1
    if openers <= MAX_DEPTH and values <= MAX_NODES:
        return None
    try:
        return _count_events(text, rel, loader)
    except yaml.MarkedYAMLError as error:
        if is_nesting_refusal(error):
            return deep_nesting_problem(error.problem_mark, text, rel)
        raise


def is_nesting_refusal(error: yaml.MarkedYAMLError) -> bool:
    # libyaml 0.2.6 (bundled since PyYAML 6.0.4) refuses nesting past 1000 levels by itself, and
    # its scanner reads that far ahead of the events we count.
    return "maximum nesting depth" in str(error.problem)


def deep_nesting_problem(mark: yaml.Mark | None, text: str, rel: Path) -> Problem:
    """Our message for a file the parser refused as too deep, whatever the parser's version.

    The pure-Python parser has no such limit and stops at our own depth, so the location is the
    same as with a libyaml that does not refuse. It reads only up to the refused line, and lines
    are at most MAX_LINE_CHARS long, so its look-ahead is bounded.
    """
    end = text.find("\n", mark.index) if mark is not None else -1
    try:
        found = _count_events(text if end < 0 else text[:end], rel, yaml.SafeLoader)
    except yaml.YAMLError:
        found = None
    if found is not None and found.message == TOO_DEEP:
        return found
    return Problem(mark_location(rel, mark) if mark else Location(rel, 0), TOO_DEEP)


def _count_events(text: str, rel: Path, loader: type) -> Problem | None:
    """The first level or node too many in the event stream, which is flat (no recursion)."""
    depth = nodes = 0
    for event in yaml.parse(text, Loader=loader):
        if isinstance(event, _CLOSE_EVENTS):
            depth -= 1
            continue
        if not isinstance(event, yaml.NodeEvent):
            continue
        nodes += 1
        where = mark_location(rel, event.start_mark)
        if nodes > MAX_NODES:
            return Problem(
                where,
                f"file has more than {MAX_NODES} values (keys, texts and lists):"
                " split it into several card files",
            )
        if isinstance(event, _OPEN_EVENTS):
            depth += 1
            if depth > MAX_DEPTH:
                return Problem(where, TOO_DEEP)
    return None
