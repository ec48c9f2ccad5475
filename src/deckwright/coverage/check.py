"""Cards' `covers` matched to the documents' comparison rows: what is covered, what to add.

A hint (a card that mentions a row's terms without naming it in `covers`) is only ever advice:
coverage counts what the student declared, so the count cannot be fooled by a shared word.
(Just over 300 lines: the report and its JSON are the matching's own output.)
"""

from __future__ import annotations

import html
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from deckwright.coverage.rows import Document, Row
from deckwright.errors import Problem, close_matches
from deckwright.model.cards import Card
from deckwright.model.markup import plain
from deckwright.model.words import TOPIC_STOP_WORDS, singular, slugify

MAX_HINTS = 3


@dataclass
class RowReport:
    """One comparison row: the cards covering it, else hints and a card to paste."""

    row: Row
    document: Document
    covered_by: list[Card] = field(default_factory=list)
    hints: list[tuple[Card, tuple[str, ...]]] = field(default_factory=list)  # with shared terms
    suggestion: str = ""  # a card in YAML, for uncovered rows


@dataclass
class CoverageReport:
    """Every comparison row of the documents and what covers it, for the summary and --strict."""

    rows: list[RowReport] = field(default_factory=list)  # by document, in document order
    documents: dict[str, Document] = field(default_factory=dict)  # row name -> its document
    read: list[Document] = field(default_factory=list)  # every document read, in path order
    unread: list[Path] = field(default_factory=list)  # files in sources/ that were not read

    @property
    def covered(self) -> int:
        return sum(1 for report in self.rows if report.covered_by)

    @property
    def uncovered(self) -> list[RowReport]:
        return [report for report in self.rows if not report.covered_by]

    @property
    def complete(self) -> bool:
        """Every row covered and every document read: what lets `check` pass."""
        return not self.uncovered and not self.unread

    def line(self) -> str:
        text = f"{self.covered}/{len(self.rows)} comparison rows covered"
        if self.unread:
            count = len(self.unread)
            text += f"; {count} file{'s' if count != 1 else ''} in sources/ not read (see warnings)"
        return text

    def source_for(self, card: Card) -> str:
        """The card's own source, else the citations of what it covers, else its file's source."""
        if not card.cites_documents:
            return card.source
        keys = [_key(cover.ref) for cover in card.covers]
        cited = [self.documents[key] for key in keys if key in self.documents]
        citations = dict.fromkeys(document.citation() for document in cited)
        return "; ".join(citations) or card.source

    def details(self) -> str:
        """Corrected rows in one line each, uncovered rows with their cells, hints and a card."""
        lines: list[str] = []
        for report in self.rows:
            row = report.row
            if row.correction and report.covered_by:
                lines.append(f"corrected: {row.where} {row.name}: {_note(row)}")
            if report.covered_by:
                continue
            lines += [
                "",
                f"uncovered: {row.where} {row.name}",
                f"  cells: {_cells(row, row.cells)}",
            ]
            if not row.split:
                lines.append("  (cells not split: they run together in the document)")
            if row.correction:
                lines.append(f"  corrected: {_cells(row, row.taught)} ({_note(row)})")
            for card, terms in report.hints:
                lines.append(
                    f"  hint: {card.where} {_label(card)} mentions {', '.join(terms)}: if it"
                    f" teaches this row, add `covers: [{row.name}]` to it instead"
                )
            lines.append("  suggested card, to paste under `cards:` in a card file:")
            lines += ["  " + text for text in report.suggestion.splitlines()]
        return "\n".join(lines)

    def uncovered_problems(self) -> list[Problem]:
        """Uncovered rows as problems, for `--strict`."""
        return [
            Problem(
                report.row.where,
                f"row `{report.row.name}` ({_cells(report.row, report.row.cells)}) is not covered"
                f" by any card: add `covers: [{report.row.name}]` to the card that teaches it,"
                " or paste the card `build-deck check` suggests",
            )
            for report in self.uncovered
        ]


def check_coverage(
    cards: list[Card], documents: list[Document]
) -> tuple[CoverageReport, list[Problem]]:
    """Which cards cover which rows; every `covers` name that is no row is a problem."""
    report = CoverageReport(read=list(documents))
    by_key: dict[str, RowReport] = {}
    for document in documents:
        for row in document.rows:
            report.rows.append(RowReport(row, document))
            by_key[_key(row.name)] = report.rows[-1]
            report.documents[_key(row.name)] = document
    problems = []
    for card in cards:
        taken: set[str] = set()  # a row named twice by one card counts it once
        for cover in card.covers:
            key = _key(cover.ref)
            found = by_key.get(key)
            if found is None:
                problems.append(Problem(cover.where, _unknown(cover.ref, documents)))
            elif key not in taken:
                taken.add(key)
                found.covered_by.append(card)
    if not report.uncovered:
        return report, problems  # hints are for uncovered rows only; finding them reads every card
    ids = {card.id for card in cards if card.id}
    said = _Said(cards)
    for row_report in report.uncovered:
        row_report.hints = said.hints(row_report.row)
        row_report.suggestion = suggest_card(row_report.row, ids)
    return report, problems


def _key(name: str) -> str:
    document, _, row = name.partition("#")
    return f"{slugify(document)}#{slugify(row)}"


def _unknown(ref: str, documents: list[Document]) -> str:
    rows = {document.name: [row.name for row in document.rows] for document in documents}
    if not any(rows.values()):
        return (
            f"`covers` names `{ref}`, but there are no comparison rows in sources/:"
            " add the document there (.md or .html), or remove this `covers` entry"
        )
    if "#" not in ref:
        every = [name for names in rows.values() for name in names]
        close = _close(slugify(ref), {name.partition("#")[2]: name for name in every})
        return f"`{ref}` is not a row name: write `<document>#<row>`{close}"
    document, _, row = ref.partition("#")
    if slugify(document) in rows:
        names = rows[slugify(document)]
        close = _close(slugify(row), {name.partition("#")[2]: name for name in names})
        return f"`{ref}` is not a row of its document{close}"
    near = close_matches(slugify(document), rows)
    if near and f"{near[0]}#{slugify(row)}" in rows[near[0]]:
        return f"`{ref}` names no document in sources/ (did you mean `{near[0]}#{slugify(row)}`?)"
    return f"`{ref}` names no document in sources/; documents: {', '.join(sorted(rows))}"


def _close(key: str, choices: dict[str, str]) -> str:
    close = close_matches(key, choices, 3)
    if not close:
        return "; `build-deck check --format json` lists every row name"
    return f" (did you mean {' or '.join(f'`{choices[c]}`' for c in close)}?)"


def _cells(row: Row, cells: tuple[str, ...]) -> str:
    return " | ".join(
        ([row.feature] if row.feature else []) + [cell or "(empty)" for cell in cells]
    )


def _note(row: Row) -> str:
    note = row.correction.note if row.correction else ""
    return note or "the document's cells are corrected in its front matter"


def _label(card: Card) -> str:
    if card.id:
        return f"(card `{card.id}`)"
    words = plain(card.question).split()  # what the student sees, Markdown or HTML
    return f'(card "{" ".join(words[:6])}{" ..." if len(words) > 6 else ""}")'


def _terms(text: str) -> set[str]:
    words = re.findall(r"[a-z0-9]+", plain(text).lower())
    return {singular(word) for word in words if len(word) > 2} - TOPIC_STOP_WORDS


# Hints look a row's terms up in an index of the cards' terms, so their cost follows the cards
# that share a term with the row, not every card for every row. A term in more than this many
# cards is too common to point at one (and would make that cost the deck's size for every row).
MAX_TERM_CARDS = 200
WORK: Counter[str] = Counter()  # index entries read, for tests that the cost stays linear


class _Said:
    """Each card's terms, indexed by term."""

    def __init__(self, cards: list[Card]):
        self.cards = cards
        self.index: dict[str, list[int]] = {}
        for number, card in enumerate(cards):
            for term in _terms(" ".join((card.front, card.back, card.cloze, card.extra))):
                self.index.setdefault(term, []).append(number)

    def hints(self, row: Row) -> list[tuple[Card, tuple[str, ...]]]:
        """Cards that share at least half of the row's own terms (not the names of what is
        compared), and two at least."""
        terms = _terms(" ".join((row.feature, *row.cells, *row.taught))) - _terms(
            " ".join(row.header)
        )
        shared: dict[int, list[str]] = {}
        for term in sorted(terms):
            holders = self.index.get(term, ())
            if len(holders) > MAX_TERM_CARDS:
                continue
            WORK["read"] += len(holders)
            for number in holders:
                shared.setdefault(number, []).append(term)
        found = sorted(
            (-len(words), number)
            for number, words in shared.items()
            if len(words) >= 2 and 2 * len(words) >= len(terms)
        )  # most shared first, then in the cards' order
        return [(self.cards[number], tuple(shared[number])) for _, number in found[:MAX_HINTS]]


def suggest_card(row: Row, ids: set[str]) -> str:
    """A card in ready-to-paste YAML: a cloze hiding each compared cell, or a pair if it can't."""
    card_id = slugify(row.name.replace("#", "-"))
    number = 1
    while card_id in ids:
        number += 1
        card_id = f"{slugify(row.name.replace('#', '-'))}-{number}"
    things = [thing or f"column {i}" for i, thing in enumerate(row.header, 1)]
    cells = [html.escape(cell, quote=False) for cell in row.taught]
    lead = f"{html.escape(row.feature, quote=False)} — " if row.feature else ""
    card: dict[str, object] = {"id": card_id}
    # A cell holding `{{`, `}}` or `::` would end or split a cloze deletion early; cells run
    # together (not split) cannot be told apart, so the card asks for the whole row.
    marked = any(mark in cell for cell in cells for mark in ("{{", "}}", "::"))
    if any(cells) and len(cells) == len(things) and not marked:
        parts, number = [], 0
        for thing, cell in zip(things, cells, strict=True):
            if cell:
                number += 1
                parts.append(f"{thing}: {{{{c{number}::{cell}}}}}")
            else:
                parts.append(f"{thing}: —")
        card["cloze"] = lead + "; ".join(parts)
    else:
        card["front"] = f"{lead}{' vs '.join(things)}?"
        card["back"] = (
            "<br>".join(
                f"{thing}: {cell or '—'}" for thing, cell in zip(things, cells, strict=True)
            )
            if len(cells) == len(things)
            else "<br>".join(cells)
        )
    card["covers"] = [row.name]
    return yaml.safe_dump(
        [card], sort_keys=False, allow_unicode=True, width=1_000_000, default_flow_style=None
    )


def report_json(
    report: CoverageReport | None, warnings: list[Problem], errors: list[Problem]
) -> dict:
    """The report for CI and editors; with errors, the rows are left out (`covered` is null)."""
    checked = report if report is not None and not errors else None
    rows = checked.rows if checked else []
    return {
        "ok": checked is not None and checked.complete,
        "covered": checked.covered if checked else None,
        "total": len(rows) if checked else None,
        "rows": [_row_json(row_report) for row_report in rows],
        "uncovered": [r.row.name for r in rows if not r.covered_by],
        "unread": [path.as_posix() for path in checked.unread] if checked else [],
        "errors": [_problem_json(problem) for problem in errors],
        "warnings": [_problem_json(problem) for problem in warnings],
    }


def _row_json(report: RowReport) -> dict:
    row = report.row
    return {
        "name": row.name,
        "file": row.where.path.as_posix(),
        "line": row.where.line,
        "feature": row.feature,
        "header": list(row.header),
        "cells": list(row.cells),
        "split": row.split,
        "corrected": None
        if row.correction is None
        else {"cells": list(row.correction.cells), "note": row.correction.note},
        "citation": report.document.citation(),
        "covered_by": [_card_json(card) for card in report.covered_by],
        "hints": [{**_card_json(card), "terms": list(terms)} for card, terms in report.hints],
        "suggestion": report.suggestion or None,
    }


def _card_json(card: Card) -> dict:
    return {"id": card.id, "file": card.where.path.as_posix(), "line": card.where.line}


def _problem_json(problem: Problem) -> dict:
    where = problem.where
    return {
        "file": where.path.as_posix(),
        "line": where.line,
        "column": where.column,
        "message": problem.message,
        # The kind a script can filter by (`no-source`, `no-id`, `alike`...), when it has one.
        **({"kind": problem.kind, "cards": problem.count} if problem.kind else {}),
    }
