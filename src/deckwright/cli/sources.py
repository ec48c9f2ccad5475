"""`build-deck sources`: what was read from each document of sources/, as text or JSON.

The same rows `check` counts, grouped by document and table, with what was uncertain (cells that
could not be split) and every file that was not read, so a student can see what the check sees.
"""

from __future__ import annotations

from itertools import groupby

from deckwright.coverage.rows import Document, Row, Sources
from deckwright.errors import Problem


def sources_text(sources: Sources) -> str:
    """Each document, its tables and their rows with file:line; the unread files last."""
    lines: list[str] = []
    for document in sources.documents:
        count = len(document.rows)
        tables = len({row.table for row in document.rows})
        lines.append(
            f"{document.path.as_posix()}: {_plural(tables, 'table')}, {_plural(count, 'row')}"
            f" ({document.citation()})"
        )
        for number, rows in groupby(document.rows, key=lambda row: row.table):
            group = list(rows)
            lines.append(f"  table {number}: {' | '.join(_header(group))}")
            for row in group:
                uncertain = "  [cells not split]" if not row.split else ""
                lines.append(f"    {row.where} {row.name}{uncertain}")
                lines.append(f"      {' | '.join(_cells(row))}")
    for path in sources.unread:
        lines.append(f"{path.as_posix()}: not read (see the warning)")
    if not lines:
        lines.append("no documents in sources/: add the pages or handouts your cards come from")
    return "\n".join(lines)


def sources_json(sources: Sources) -> dict:
    """The same as sources_text, for editors and scripts."""
    return {
        "documents": [_document_json(document) for document in sources.documents],
        "unread": [path.as_posix() for path in sources.unread],
        "errors": [_problem_json(problem) for problem in sources.problems],
        "warnings": [_problem_json(problem) for problem in sources.warnings],
    }


def _document_json(document: Document) -> dict:
    tables = []
    for number, rows in groupby(document.rows, key=lambda row: row.table):
        group = list(rows)
        tables.append(
            {
                "table": number,
                "header": _header(group),
                "rows": [_row_json(row) for row in group],
            }
        )
    return {
        "file": document.path.as_posix(),
        "name": document.name,
        "citation": document.citation(),
        "url": document.url,
        "tables": tables,
    }


def _row_json(row: Row) -> dict:
    return {
        "name": row.name,
        "line": row.where.line,
        "feature": row.feature,
        "cells": list(row.cells),
        "split": row.split,
        "corrected": list(row.correction.cells) if row.correction else None,
    }


def _header(rows: list[Row]) -> list[str]:
    feature = ["(feature)"] if any(row.feature for row in rows) else []
    return feature + [thing or "(unnamed)" for thing in rows[0].header]


def _cells(row: Row) -> list[str]:
    return ([row.feature] if row.feature else []) + [cell or "(empty)" for cell in row.cells]


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' if count != 1 else ''}"


def _problem_json(problem: Problem) -> dict:
    where = problem.where
    return {"file": where.path.as_posix(), "line": where.line, "message": problem.message}
