"""Documents in sources/ -> their comparison rows, each with its file:line, plus citation metadata.

Tables come from tables.py; YAML front matter goes through yaml_reader.py, so `date: 2023-12-08`
stays that text and nothing is constructed from it.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from deckwright.coverage.files import (
    is_sidecar,
    listed_files,
    no_table_notice,
    read_sidecar,
    sidecar_of,
    unread_warning,
)
from deckwright.coverage.metadata import META_KEYS, correct, front_matter, split_front_matter
from deckwright.coverage.rows import Document, Sources, table_rows
from deckwright.coverage.table import Table, TooManyCells
from deckwright.coverage.tables import read_html, read_markdown
from deckwright.coverage.text import read_text
from deckwright.errors import Location, Problem
from deckwright.model.words import slugify
from deckwright.read.card_discovery import not_utf8, printable
from deckwright.read.yaml_reader import RawMap

MAX_DOCUMENT_BYTES = 20_000_000
DOCUMENT_SUFFIXES = (".md", ".markdown", ".html", ".htm", ".pdf", ".docx")

# Plain text copied from a browser, read by text.py; with the kinds above, what sources/ can hold.
TEXT_SUFFIXES = (".txt",)
READABLE = (*DOCUMENT_SUFFIXES, *TEXT_SUFFIXES)
# What a reader gives: a document's tables, metadata found in it, and warnings about it (returned,
# not added to Sources, so that a warm build served from the cache warns the same).
Read = tuple[list[Table], dict[str, str], list[Problem]]
# (document, the content its reader is given, the reading) -> what the reading gives: the
# incremental stage passes one that keeps the result per content, so a warm build parses nothing.
Through = Callable[[Path, bytes, Callable[[], Read]], Read]


def document_files(root: Path, sources: Sources | None = None) -> list[Path]:
    """The documents of sources/; every other file but a sidecar is named in `sources`."""
    found = []
    for path in listed_files(root):
        if path.suffix.lower() in READABLE:
            found.append(path)
        elif sources is not None and not is_sidecar(path, READABLE):
            rel = path.relative_to(root)
            sources.warnings.append(unread_warning(rel, READABLE))
            sources.unread.append(rel)
    return found


def _directly(rel: Path, content: bytes, read: Callable[[], Read]) -> Read:
    return read()


def read_sources(root: Path, through: Through = _directly) -> Sources:
    """Every document under sources/ (none when the folder is missing), in path order."""
    sources = Sources()
    names: dict[str, Path] = {}
    for path in document_files(root, sources):
        rel = path.relative_to(root)
        if printable(rel) != os.fspath(rel):
            sources.problems.append(not_utf8(rel))
            continue
        name = slugify(path.stem)
        if name in names:
            sources.problems.append(
                Problem(
                    Location(rel, 0),
                    f"this document's rows would be named `{name}#...`, like those of"
                    f" {names[name].as_posix()}: rename one of the two files",
                )
            )
            continue
        names[name] = rel
        said = len(sources.problems) + len(sources.warnings)
        document = _read_document(path, rel, name, sources, through)
        if document is None:
            sources.unread.append(rel)
            continue
        sources.documents.append(document)
        if not document.rows and said == len(sources.problems) + len(sources.warnings):
            sources.warnings.append(no_table_notice(rel))  # unless what went wrong is said
    return sources


def _read_document(
    path: Path, rel: Path, name: str, sources: Sources, through: Through = _directly
) -> Document | None:
    binary = path.suffix.lower() in (".pdf", ".docx")  # no text to decode, no front matter
    # A handout's size is its pictures: only text is held to MAX_DOCUMENT_BYTES.
    content = _content(path, rel, sources, None if binary else MAX_DOCUMENT_BYTES)
    text = "" if binary or content is None else _decode(content, path, rel, sources)
    if content is None or text is None:
        return None
    front, body = split_front_matter(text, rel, sources)
    if binary:
        tables, found, warned = through(rel, content, lambda: _read_binary(path, rel))
    else:
        tables, found, warned = through(rel, body.encode(), lambda: _read_kind(path, body, rel))
    sources.warnings.extend(warned)
    meta = {
        "title": found.get("title") or rel.as_posix(),
        **{k: found.get(k, "") for k in META_KEYS[1:5]},
    }
    corrections: RawMap | None = None
    if front is not None:
        meta_from_front, corrections = front_matter(front, sources)
        meta.update(meta_from_front)
        meta["title"] = meta["title"] or found.get("title") or rel.as_posix()
    sidecar = sidecar_of(path)
    if sidecar is not None:
        raw, problems = read_sidecar(sidecar, rel.with_name(sidecar.name))
        sources.problems.extend(problems)
        if raw is not None:
            meta_from_sidecar, corrections_from_sidecar = front_matter(raw, sources)
            meta.update(meta_from_sidecar)
            meta["title"] = meta["title"] or found.get("title") or rel.as_posix()
            corrections = corrections_from_sidecar or corrections
    taken: Counter[str] = Counter()
    rows = [
        row
        for number, table in enumerate(tables, 1)
        for row in table_rows(table, name, rel, taken, number)
    ]
    if corrections is not None:
        rows = correct(rows, corrections, sources)
    return Document(rel, name, rows=tuple(rows), **meta)


def _read_binary(path: Path, rel: Path) -> Read:
    """A PDF or Word handout; pdfplumber and python-docx are imported only for one."""
    if path.suffix.lower() == ".pdf":
        from deckwright.coverage.pdf_reader import read_pdf as read
    else:
        from deckwright.coverage.docx_reader import read_docx as read
    return read(path, rel)


def _content(path: Path, rel: Path, sources: Sources, limit: int | None) -> bytes | None:
    """The document's bytes; one that cannot be read is a warning: the cards still build."""
    try:
        size = path.stat().st_size
        if limit is not None and size > limit:
            sources.warnings.append(
                Problem(Location(rel, 0), f"document is {size / 1e6:.1f} MB: keep only the article")
            )
            return None
        return path.read_bytes()
    except OSError as error:
        sources.warnings.append(
            Problem(Location(rel, 0), f"cannot read the document ({error.strerror})")
        )
        return None


def _decode(data: bytes, path: Path, rel: Path, sources: Sources) -> str | None:
    """The document's text; one that is not UTF-8 (nor an HTML page's own charset) is a warning."""
    try:
        return data.decode("utf-8-sig").replace("\r\n", "\n")
    except UnicodeDecodeError as error:
        if path.suffix.lower() in (".html", ".htm"):
            from deckwright.coverage.html_reader import (
                decode_legacy_html,  # lxml, imported only for HTML
            )

            return decode_legacy_html(data).replace("\r\n", "\n")
        line = data.count(b"\n", 0, error.start) + 1
        sources.warnings.append(
            Problem(Location(rel, line), "not valid UTF-8: save the document as UTF-8")
        )
        return None


def _read_kind(path: Path, body: str, rel: Path) -> Read:
    """A document's tables, metadata found in it and warnings about it, by its kind; one whose
    tables fill more cells than any study page (as `rowspan` times `colspan` can on a small
    page) is a warning."""
    suffix = path.suffix.lower()
    try:
        if suffix in TEXT_SUFFIXES:
            return read_text(body), {}, []
        if suffix in (".html", ".htm"):
            return (*read_html(body), [])
        return read_markdown(body), {}, []
    except TooManyCells as error:
        message = f"its tables fill more than {error.args[0]:,} cells: keep only the article"
        return [], {}, [Problem(Location(rel, 0), message)]
