"""Which files of sources/ are documents, which are their sidecars, and what to say of the rest.

A document that cannot hold front matter (.txt, .html, later .pdf and .docx) takes its title, site,
date and corrections from a YAML file beside it, `<document>.yaml` (`seed.txt` + `seed.txt.yaml`),
with the same keys as Markdown front matter. A file deckwright cannot read is named, never skipped
in silence: a check that says "all covered" while a document went unread is worse than none.
"""

from __future__ import annotations

from pathlib import Path

from deckwright.errors import Location, Problem
from deckwright.project import SOURCES
from deckwright.read.yaml_reader import RawMap, parse_yaml

SIDECAR_SUFFIXES = (".yaml", ".yml")
MAX_SIDECAR_BYTES = 1_000_000


def listed_files(root: Path) -> list[Path]:
    """Every file under sources/ but hidden ones (`.DS_Store`, editors' swap files) and the
    pictures, styles and scripts a browser saves beside a page (`page_files/` of `page.html`)."""
    folder = root / SOURCES
    found = [
        path
        for path in folder.rglob("*")
        if path.is_file()
        and not any(part.startswith(".") for part in path.relative_to(folder).parts)
        and not _saved_with_a_page(path, folder)
    ]
    return sorted(found, key=lambda p: p.relative_to(root).as_posix())


def _saved_with_a_page(path: Path, folder: Path) -> bool:
    for parent in path.relative_to(folder).parents:
        if parent.name.endswith("_files"):
            page = folder / parent.with_name(parent.name.removesuffix("_files"))
            if any(page.with_name(page.name + suffix).is_file() for suffix in (".html", ".htm")):
                return True
    return False


def sidecar_of(path: Path) -> Path | None:
    """The `<document>.yaml` (or `.yml`) beside a document, if there is one."""
    for suffix in SIDECAR_SUFFIXES:
        candidate = path.with_name(path.name + suffix)
        if candidate.is_file():
            return candidate
    return None


def is_sidecar(path: Path, readable: tuple[str, ...]) -> bool:
    """A `.yaml` file named after a document beside it: metadata, not a document of its own."""
    if path.suffix.lower() not in SIDECAR_SUFFIXES:
        return False
    document = path.with_name(path.stem)
    return document.suffix.lower() in readable and document.is_file()


def read_sidecar(path: Path, rel: Path) -> tuple[RawMap | None, list[Problem]]:
    """The sidecar's `key: value` map, with problems located in the sidecar itself."""
    try:
        data = path.read_bytes()[: MAX_SIDECAR_BYTES + 1]
    except OSError as error:
        return None, [Problem(Location(rel, 0), f"cannot read this file ({error.strerror})")]
    if len(data) > MAX_SIDECAR_BYTES:
        return None, [Problem(Location(rel, 0), "metadata file over 1 MB: keep only its keys")]
    try:
        text = data.decode("utf-8-sig").replace("\r\n", "\n")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        return None, [Problem(Location(rel, line), "not valid UTF-8: save the file as UTF-8")]
    raw, problems = parse_yaml(text, rel)
    if raw is None or problems:
        return None, problems
    if not isinstance(raw, RawMap):
        message = "a document's metadata file must be `key: value` lines such as `title: ...`"
        return None, [Problem(raw.where, message)]
    return raw, []


def unread_warning(rel: Path, readable: tuple[str, ...]) -> Problem:
    """What to say of a file in sources/ that deckwright cannot read."""
    kinds = ", ".join(readable)
    if rel.suffix.lower() in SIDECAR_SUFFIXES:
        document = rel.with_name(rel.stem)
        return Problem(
            Location(rel, 0),
            f"this file is not read: a metadata file must sit beside its document"
            f" ({document.as_posix()} is missing or not a kind deckwright reads: {kinds});"
            " rename it to `<document>.yaml` or move it out of sources/",
        )
    kind = f"`{rel.suffix}` files" if rel.suffix else "files without an extension"
    return Problem(
        Location(rel, 0),
        f"this document is not read: deckwright cannot read {kind} (it reads {kinds});"
        " save its comparison table as .txt, .md or .html beside it, or move the file out of"
        " sources/",
    )


def no_table_notice(rel: Path) -> Problem:
    """What to say of a document in which no comparison table was found."""
    return Problem(
        Location(rel, 0),
        "no comparison table found in this document: if it has one, copy it as a Markdown or"
        " tab-separated table (`build-deck sources` shows what was read), else move it out of"
        " sources/",
    )
