"""Documents in sources/ -> their comparison rows, each with its file:line, plus citation metadata.

Tables come from tables.py; YAML front matter goes through load.py, so `date: 2023-12-08`
stays that text and nothing is constructed from it.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from deckwright.coverage.files import (
    is_sidecar,
    listed_files,
    no_table_notice,
    read_sidecar,
    sidecar_of,
    unread_warning,
)
from deckwright.coverage.tables import Table, TableRow, TooManyCells, read_html, read_markdown
from deckwright.coverage.text import read_text
from deckwright.errors import Location, Problem, close_matches, did_you_mean
from deckwright.model.words import slugify
from deckwright.read.card_discovery import not_utf8, printable
from deckwright.read.yaml_reader import RawList, RawMap, RawScalar, parse_yaml

MAX_DOCUMENT_BYTES = 20_000_000
DOCUMENT_SUFFIXES = (".md", ".markdown", ".html", ".htm", ".pdf", ".docx")
# What the first line of front matter can be: a `key:`, or the closing line.
_FRONT_MATTER_START = re.compile(r"([A-Za-z_][\w-]*):(?:\s|$)|(---|\.\.\.)\s*$")
META_KEYS = ("title", "site", "author", "date", "url", "corrections")
# A 2-column table compares its two columns unless its first header cell says it names features.
FEATURE_WORDS = {
    *("feature", "features", "aspect", "aspects", "basis", "bases", "characteristic"),
    *("characteristics", "parameter", "parameters", "criterion", "criteria", "property"),
    *("properties", "attribute", "attributes"),
}

# Plain text copied from a browser, read by text.py; with the kinds above, what sources/ can hold.
TEXT_SUFFIXES = (".txt",)
READABLE = (*DOCUMENT_SUFFIXES, *TEXT_SUFFIXES)
# What a reader gives: a document's tables, metadata found in it, and warnings about it (returned,
# not added to Sources, so that a warm build served from the cache warns the same).
Read = tuple[list[Table], dict[str, str], list[Problem]]
# (document, the content its reader is given, the reading) -> what the reading gives: the
# incremental stage passes one that keeps the result per content, so a warm build parses nothing.
Through = Callable[[Path, bytes, Callable[[], Read]], Read]
# A first column of serial numbers: renumbering must not send `covers:` to other rows.
_SERIAL = re.compile(
    r"(?i)(s\.?\s*no\.?|sl\.?\s*no\.?|sr\.?\s*no\.?|no\.?|#|serial(\s+no\.?|\s+number)?)"
)


@dataclass(frozen=True)
class Correction:
    """Cells the front matter corrects: the deck teaches these, the row keeps what was published."""

    cells: tuple[str, ...]  # one per thing compared, what the deck should teach
    note: str
    where: Location  # where the correction is written


@dataclass(frozen=True)
class Row:
    """One comparison row of a document's tables: what a card's `covers` names."""

    name: str  # `<document>#<slug>`, what a card's `covers` names
    where: Location  # the row's line in its document
    feature: str  # the feature cell; "" when the table has no feature column
    header: tuple[str, ...]  # the things compared
    cells: tuple[str, ...]  # one per thing compared, as published; one when not split
    correction: Correction | None = None
    table: int = 1  # which table of its document, from 1
    split: bool = True  # False: plain text whose cells run together, kept whole in one cell

    @property
    def taught(self) -> tuple[str, ...]:
        """The cells a card should teach: the correction when the document is wrong."""
        return self.correction.cells if self.correction else self.cells


@dataclass(frozen=True)
class Document:
    """A document of sources/: its citation and its comparison rows."""

    path: Path  # relative to the project root
    name: str  # the slugged file stem, the part of row names before `#`
    title: str
    site: str = ""
    author: str = ""
    date: str = ""
    url: str = ""
    rows: tuple[Row, ...] = ()

    def citation(self) -> str:
        """`<title> — <site>, <date>`, what a covering card shows as its source."""
        text = self.title
        if self.site or self.author:
            text += f" — {self.site or self.author}"
        return text + (f", {self.date}" if self.date else "")


@dataclass
class Sources:
    """What sources/ holds, and what is wrong in it."""

    documents: list[Document] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    unread: list[Path] = field(default_factory=list)  # files of sources/ no reader could read


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
    text = "" if binary else _decode(path, rel, sources)
    if text is None:
        return None
    front, body = _split_front_matter(text, rel, sources)
    if binary:
        try:
            content = path.read_bytes()
        except OSError as error:
            message = f"cannot read the document ({error.strerror})"
            sources.warnings.append(Problem(Location(rel, 0), message))
            return None
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
        meta_from_front, corrections = _front_matter(front, sources)
        meta.update(meta_from_front)
        meta["title"] = meta["title"] or found.get("title") or rel.as_posix()
    sidecar = sidecar_of(path)
    if sidecar is not None:
        raw, problems = read_sidecar(sidecar, rel.with_name(sidecar.name))
        sources.problems.extend(problems)
        if raw is not None:
            meta_from_sidecar, corrections_from_sidecar = _front_matter(raw, sources)
            meta.update(meta_from_sidecar)
            meta["title"] = meta["title"] or found.get("title") or rel.as_posix()
            corrections = corrections_from_sidecar or corrections
    taken: Counter[str] = Counter()
    rows = [
        row
        for number, table in enumerate(tables, 1)
        for row in _rows(table, name, rel, taken, number)
    ]
    if corrections is not None:
        rows = _correct(rows, corrections, sources)
    return Document(rel, name, rows=tuple(rows), **meta)


def _read_binary(path: Path, rel: Path) -> Read:
    """A PDF or Word handout; pdfplumber and python-docx are imported only for one."""
    if path.suffix.lower() == ".pdf":
        from deckwright.coverage.pdf_reader import read_pdf as read
    else:
        from deckwright.coverage.docx_reader import read_docx as read
    return read(path, rel)


def _decode(path: Path, rel: Path, sources: Sources) -> str | None:
    """The document's text; a document that cannot be read is a warning: the cards still build."""
    try:
        size = path.stat().st_size
        if size > MAX_DOCUMENT_BYTES:
            sources.warnings.append(
                Problem(Location(rel, 0), f"document is {size / 1e6:.1f} MB: keep only the article")
            )
            return None
        data = path.read_bytes()
    except OSError as error:
        sources.warnings.append(
            Problem(Location(rel, 0), f"cannot read the document ({error.strerror})")
        )
        return None
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


def _split_front_matter(text: str, rel: Path, sources: Sources) -> tuple[RawMap | None, str]:
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


def _front_matter(raw: RawMap, sources: Sources) -> tuple[dict[str, str], RawMap | None]:
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


def _rows(
    table: Table, document: str, rel: Path, taken: Counter[str], number: int = 1
) -> list[Row]:
    header, body = _without_serial_numbers(*table.split())
    width = max([len(header), *(len(row.cells) for row in body)], default=0)
    if width < 2:
        return []  # one column compares nothing
    header = header + [""] * (width - len(header))
    has_feature = width >= 3 or slugify(header[0]).split("-")[0] in FEATURE_WORDS | {""}
    rows = []
    for source_row in body:
        cells = source_row.cells + [""] * (width - len(source_row.cells)) * source_row.split
        if (source_row.written < 2 and source_row.split) or not any(cells):
            continue  # a section heading spanning the table, or an empty row
        label = cells[0] if has_feature else _words(cells[0])
        slug = slugify(label) or slugify(_words(next(c for c in cells if c)))
        taken[slug] += 1
        if taken[slug] > 1:
            slug = f"{slug}-{taken[slug]}"  # the same feature again further down
        rows.append(
            Row(
                f"{document}#{slug}",
                Location(rel, source_row.line, source_row.column),
                cells[0] if has_feature else "",
                tuple(header[1:] if has_feature else header),
                tuple(cells[1:] if has_feature else cells),
                table=number,
                split=source_row.split,
            )
        )
    return rows


def _without_serial_numbers(
    header: list[str], body: list[TableRow]
) -> tuple[list[str], list[TableRow]]:
    """The table without a first column of serial numbers (`S.No.`; 1, 2, 3): it names nothing."""
    numbered = body and all(
        re.fullmatch(r"\d{1,3}[.)]?", row.cells[0]) for row in body if row.cells
    )
    if not (numbered or (header and _SERIAL.fullmatch(header[0].strip()))) or len(header) < 3:
        return header, body
    return header[1:], [
        replace(row, cells=row.cells[1:], written=max(row.written - 1, 0)) if row.cells else row
        for row in body
    ]


def _words(text: str) -> str:
    return " ".join(re.findall(r"\w+", text)[:6])


def _correct(rows: list[Row], corrections: RawMap, sources: Sources) -> list[Row]:
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
