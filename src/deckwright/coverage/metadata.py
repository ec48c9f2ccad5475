"""A document's metadata (title, site, author, date, URL) and its row corrections, from YAML
front matter or a sidecar file; read like card files, so `date: 2023-12-08` stays that text."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from deckwright.coverage.rows import Correction, Row, Sources
from deckwright.errors import Location, Problem, close_matches, did_you_mean
from deckwright.model.words import slugify
from deckwright.read.yaml_reader import RawList, RawMap, RawScalar, parse_yaml

# What the first line of front matter can be: a `key:`, or the closing line.
_FRONT_MATTER_START = re.compile(r"([A-Za-z_][\w-]*):(?:\s|$)|(---|\.\.\.)\s*$")
META_KEYS = ("title", "site", "author", "date", "url", "corrections")


def split_front_matter(text: str, rel: Path, sources: Sources) -> tuple[RawMap | None, str]:
    """Front matter between `---` lines at the top; its lines are blanked so lines stay true.
    Notes often begin with a `---` rule: front matter starts with one of our keys (after any `#`
    comments), or is at least `key: value` lines that read as YAML; else it is a rule."""
    lines = text.split("\n")
    first = next((line for line in lines[1:] if line.strip() and line[0] != "#"), "---")
    start = _FRONT_MATTER_START.match(first)
    if lines[0].rstrip() != "---" or not start:
        return None, text
    ours = start.group(1) in META_KEYS or start.group(2) is not None
    end = next((i for i, line in enumerate(lines[1:], 1) if line.rstrip() in ("---", "...")), None)
    if end is None:
        if ours:
            sources.problems.append(
                Problem(
                    Location(rel, 1),
                    "front matter opened with `---` is never closed: add a `---` line after it",
                )
            )
        return None, text
    raw, problems = parse_yaml("\n" + "\n".join(lines[1:end]), rel)
    if not ours and (problems or not isinstance(raw, RawMap)):
        return None, text  # a rule, then text with a colon in it
    sources.problems.extend(problems)
    body = "\n" * (end + 1) + "\n".join(lines[end + 1 :])
    if raw is None or problems:
        return None, body
    if not isinstance(raw, RawMap):
        sources.problems.append(
            Problem(raw.where, "front matter must be `key: value` lines such as `title: ...`")
        )
        return None, body
    return raw, body


def front_matter(raw: RawMap, sources: Sources) -> tuple[dict[str, str], RawMap | None]:
    meta: dict[str, str] = {}
    corrections = None
    for key, value in raw.items:
        if key.text == "corrections":
            if isinstance(value, RawMap):
                corrections = value
            else:
                sources.problems.append(_shape_problem(value.where, "corrections"))
        elif key.text not in META_KEYS:
            hint = did_you_mean(close_matches(key.text, META_KEYS))
            sources.warnings.append(
                Problem(
                    key.where,
                    f"front matter key `{key.text}` is not used{hint};"
                    f" used keys: {', '.join(META_KEYS)}",
                )
            )
        elif isinstance(value, RawScalar):
            meta[key.text] = value.text.strip() if value.quoted or value.text != "~" else ""
        else:
            sources.problems.append(
                Problem(value.where, f"`{key.text}` must be text on the same line")
            )
    return meta, corrections


def _shape_problem(where: Location, what: str) -> Problem:
    return Problem(
        where,
        f"`{what}` must map row names to a note and corrected cells, e.g.\n"
        "  corrections:\n    lesion-signs:\n      note: The published table swaps these cells.\n"
        '      cells: ["spastic paralysis", "flaccid paralysis"]',
    )


def correct(rows: list[Row], corrections: RawMap, sources: Sources) -> list[Row]:
    by_slug = {row.name.partition("#")[2]: index for index, row in enumerate(rows)}
    for key, value in corrections.items:
        slug = slugify(key.text.rpartition("#")[2])
        if slug not in by_slug:
            hint = did_you_mean(close_matches(slug, by_slug, 3))
            sources.problems.append(
                Problem(
                    key.where, f"the correction `{key.text}` names no row of this document{hint}"
                )
            )
            continue
        row = rows[by_slug[slug]]
        fields = dict((k.text, v) for k, v in value.items) if isinstance(value, RawMap) else {}
        cells, note = fields.get("cells"), fields.get("note")
        if not isinstance(cells, RawList) or not all(isinstance(c, RawScalar) for c in cells.items):
            sources.problems.append(_shape_problem(value.where, f"corrections: {key.text}"))
            continue
        if len(cells.items) != len(row.header):
            sources.problems.append(
                Problem(
                    cells.where,
                    f"the correction gives {len(cells.items)} cell(s) but the row compares"
                    f" {len(row.header)} ({', '.join(row.header)}): give one cell for each",
                )
            )
            continue
        texts = tuple(c.text for c in cells.items if isinstance(c, RawScalar))
        note_text = note.text if isinstance(note, RawScalar) else ""
        rows[by_slug[slug]] = replace(row, correction=Correction(texts, note_text, key.where))
    return rows
