"""Which files under cards/ are card files, and a word about every one that is skipped.

A card file is any `*.yaml`/`*.yml` (in any case) under cards/. Links are followed while they
stay inside the project; a link that leaves it is refused (a build reads only the project), and a
dangling link, a loop, or a folder reached a second time is skipped with a warning that says why.
A file name that is not UTF-8 cannot be stored in the cache or printed as it is: it is an error
that names the file as well as it can be shown and says how to rename it.
"""

from __future__ import annotations

import os
import shlex
from dataclasses import dataclass, field
from pathlib import Path

from deckwright.errors import Location, Problem
from deckwright.project import CARDS

SUFFIXES = (".yaml", ".yml")


@dataclass
class Found:
    files: list[Path] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


def printable(path: Path | str) -> str:
    """A path as it can be printed: bytes that are not UTF-8 shown as `\\xff` escapes."""
    return os.fspath(path).encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def find_card_files(root: Path) -> Found:
    """Every card file under cards/, in a stable order so builds are reproducible."""
    found = Found()
    folder = root / CARDS
    if folder.is_dir():
        top = root.resolve()
        _walk(folder, root, top, {folder.resolve()}, found)
    found.files.sort(key=lambda p: p.relative_to(root).as_posix())
    return found


def _walk(folder: Path, root: Path, top: Path, seen: set[Path], found: Found) -> None:
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError as error:
        rel = folder.relative_to(root)
        found.problems.append(
            Problem(Location(rel, 0), f"cannot read the folder ({error.strerror}): check it exists")
        )
        return
    for entry in entries:
        path = Path(entry.path)
        rel = path.relative_to(root)
        if printable(entry.name) != entry.name:
            found.problems.append(not_utf8(rel))
            continue
        if entry.is_symlink():
            _link(path, rel, root, top, seen, found)
        elif entry.is_dir():
            real = path.resolve()
            if real not in seen:  # reached through a linked ancestor: read once
                seen.add(real)
                _walk(path, root, top, seen, found)
        elif entry.name.lower().endswith(SUFFIXES):
            found.files.append(path)


def _link(path: Path, rel: Path, root: Path, top: Path, seen: set[Path], found: Found) -> None:
    """Follow a link inside the project; say why any other is skipped."""
    try:
        target = path.resolve(strict=True)
    except FileNotFoundError:
        found.warnings.append(
            Problem(
                Location(rel, 0),
                f"is a link to {printable(os.readlink(path))}, which does not exist: skipped;"
                " remove the link or restore its target",
            )
        )
        return
    except (OSError, RuntimeError):  # ELOOP, or pathlib's "Symlink loop" before 3.13
        found.warnings.append(
            Problem(Location(rel, 0), "is a link that loops back to itself: skipped; remove it")
        )
        return
    if target.is_dir():
        if not target.is_relative_to(top):
            found.problems.append(
                Problem(
                    Location(rel, 0),
                    f"is a link to {printable(target)}, outside the project: a build only reads"
                    " files inside the project, so copy the folder in instead of linking to it",
                )
            )
        elif target in seen:
            found.warnings.append(
                Problem(Location(rel, 0), "is a link to a folder already read: skipped")
            )
        else:
            seen.add(target)
            _walk(path, root, top, seen, found)
    elif path.name.lower().endswith(SUFFIXES):
        found.files.append(path)  # load_card_file refuses it if it leaves the project


def not_utf8(rel: Path) -> Problem:
    """The problem a file name that is not UTF-8 is, with the command that renames it."""
    shown = printable(rel.as_posix())
    return Problem(
        Location(Path(shown), 0),
        "this name is not valid UTF-8, so deckwright cannot read or name it reliably:"
        f" rename it, e.g. mv $'{shown}' {shlex.quote(rel.parent.as_posix())}/new-name"
        + printable(rel.suffix),
    )


def no_card_files(root: Path) -> Problem:
    """What to say when there is nothing to build, and where to go instead."""
    where = Location(Path(CARDS), 0)
    inside = root.resolve().name == CARDS or any(
        name.lower().endswith(SUFFIXES) for name in os.listdir(root)
    )
    if inside and not (root / CARDS).is_dir():
        return Problem(
            where,
            "no cards/ folder here, and this looks like a cards/ folder itself: run build-deck"
            " in the project folder (the one that holds cards/), or `build-deck init` to start"
            " a project",
        )
    return Problem(
        where, "no card files found: create cards/<topic>.yaml (see `build-deck --help`)"
    )
