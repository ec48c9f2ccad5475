"""Images and sounds named in card fields: found in media/, checked, and given stable deck names.

A field names a file as Anki does, `<img src="neuron.png">` or `[sound:ulnar.mp3]`, relative to the
project's `media/` folder (sub-folders are fine: `<img src="anatomy/neuron.png">`). In the deck each
file is stored as `<first 12 hex digits of its SHA-256>-<its name>` and the field is rewritten to
match: two classmates' different `neuron.png` never overwrite each other in Anki's one media folder,
the same file always gets the same name, and an edited image reaches Anki as a changed note.
"""

from __future__ import annotations

import hashlib
import html
import os
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from deckwright.errors import Location, Problem, close_matches, did_you_mean
from deckwright.model.cards import HTML_FIELDS, Card
from deckwright.project import MEDIA
from deckwright.read.card_discovery import printable

MEDIA_DIR = MEDIA
LARGE_BYTES = 2_000_000  # above this a file is warned about: decks get slow to share and sync

# What Anki itself treats as a media reference in a field (cf. rslib's HTML_MEDIA_TAGS, sound tags).
# Neither pattern may run past the next `<` or `[`: a field of thousands of unclosed `<img` or
# `[sound:` would otherwise be scanned to its end from each of them (quadratic).
_IMG = re.compile(r"<img\b[^<>]*>", re.IGNORECASE)
_ATTRIBUTE = re.compile(r"""([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?""")
_SOUND = re.compile(r"\[sound:([^\[\]\n]*)\]")
_URL = re.compile(r"(?:https?|data):", re.IGNORECASE)  # left alone: not a file of the project
_SCHEME = re.compile(r"[a-z][a-z0-9+.-]*:", re.IGNORECASE)


@dataclass(frozen=True, order=True)
class MediaFile:
    """A file of media/ as the deck stores it; ordered by that name, so decks list files stably."""

    name: str  # as stored in the deck: <hash>-<file name>
    path: Path  # relative to the project root
    size: int


@dataclass
class Media:
    """Every media file the cards use, by the reference written in the fields."""

    files: dict[str, MediaFile] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    def stored(self) -> list[MediaFile]:
        """Each file once (two spellings of one path are one file), in deck-name order."""
        return sorted({file.name: file for file in self.files.values()}.values())

    def rewrite(self, text: str) -> str:
        """The field with every reference to a project file replaced by the file's deck name."""
        if not self.files:
            return text

        def img(tag: re.Match[str]) -> str:
            src = _src(tag.group())
            known = self.files.get(_value(src)) if src else None
            if not src or not known:
                return tag.group()
            return f'{tag.group()[: src.start()]}src="{known.name}"{tag.group()[src.end() :]}'

        text = _IMG.sub(img, text)
        return _SOUND.sub(
            lambda m: (
                f"[sound:{self.files[m.group(1)].name}]" if m.group(1) in self.files else m.group()
            ),
            text,
        )


def references(text: str) -> list[str]:
    """The files a field names, as written (HTML entities decoded), in order."""
    found = []
    for tag in _IMG.finditer(text):
        src = _src(tag.group())
        if src:
            found.append(_value(src))
    found += [match.group(1) for match in _SOUND.finditer(text)]
    return [ref for ref in found if not _URL.match(ref)]


def collect(root: Path, cards: list[Card]) -> Media:
    """Check every reference of every card; a problem points at the field that names the file."""
    media = Media()
    finder = _Finder(root)
    for card in cards:
        for name in HTML_FIELDS:
            text = getattr(card, name)
            if "[sound:" not in text and "<" not in text:
                continue  # no reference possible: most fields of a large deck
            where = card.at(name)
            for ref in references(text):
                if ref in media.files:
                    continue
                found = finder.find(ref, f"`{name}`", where)
                if isinstance(found, Problem):
                    media.problems.append(found)
                    continue
                media.files[ref] = found
                if found.size > LARGE_BYTES:
                    media.warnings.append(
                        Problem(
                            where,
                            f"{found.path.as_posix()} is {size_text(found.size)} (over"
                            f" {size_text(LARGE_BYTES)}): large media make the deck slow to share"
                            " and sync; shrink or compress it",
                        )
                    )
    media.problems = list(dict.fromkeys(media.problems))
    return media


def size_text(size: int) -> str:
    """A file size as people say it: 740 bytes, 12 kB, 3.4 MB."""
    if size >= 1_000_000:
        return f"{size / 1e6:.1f} MB"
    return f"{size / 1e3:.0f} kB" if size >= 1_000 else f"{size} bytes"


def stored_name(digest: str, path: PurePosixPath) -> str:
    """`<hash>-<name>` with only characters every file system and Anki accept."""
    stem = re.sub(r"[^A-Za-z0-9._-]+", "_", path.stem)[:60]
    suffix = re.sub(r"[^A-Za-z0-9.]+", "", path.suffix)[:10]
    return f"{digest[:12]}-{stem}{suffix}"


class _Finder:
    def __init__(self, root: Path):
        self.root = root
        self.folder = root / MEDIA_DIR
        self.listings: dict[Path, set[str]] = {}

    def find(self, ref: str, field_name: str, where: Location) -> MediaFile | Problem:
        refused = self.refuse(ref)
        if refused:
            return Problem(where, f"{field_name} refers to `{ref}`, {refused}")
        parts = PurePosixPath(ref).parts
        if not self.exists(parts):
            return Problem(where, self.missing(ref, field_name))
        path = self.folder.joinpath(*parts)
        try:
            real = path.resolve(strict=True)
        except (OSError, RuntimeError):
            return Problem(where, f"{field_name} refers to `{ref}`, which cannot be read: check it")
        if not real.is_relative_to(self.root.resolve()):
            return Problem(
                where,
                f"{field_name} refers to {MEDIA_DIR}/{ref}, a link to a file outside the project:"
                f" copy the file into {MEDIA_DIR}/ instead of linking to it",
            )
        if not real.is_file():
            return Problem(
                where, f"{field_name} refers to {MEDIA_DIR}/{ref}, which is a folder: name a file"
            )
        with real.open("rb") as stream:
            digest = hashlib.file_digest(stream, "sha256").hexdigest()
        rel = path.relative_to(self.root)
        return MediaFile(stored_name(digest, PurePosixPath(ref)), rel, real.stat().st_size)

    @staticmethod
    def refuse(ref: str) -> str:
        """Why a reference cannot name a file of media/, or ''."""
        fix = f"copy the file into {MEDIA_DIR}/ and write its name there, e.g. `{_basename(ref)}`"
        if not ref.strip():
            return "an empty name: write the file's name in media/"
        if "\\" in ref:
            return f"which uses `\\`: separate folders with `/`, e.g. `{ref.replace(chr(92), '/')}`"
        if ref.startswith("/") or _SCHEME.match(ref):
            return f"an absolute path or URL outside the project: {fix}"
        if ".." in PurePosixPath(ref).parts:
            return f"which uses `..` to leave {MEDIA_DIR}/: {fix}"
        return ""

    def exists(self, parts: tuple[str, ...]) -> bool:
        """Whether media/<parts> exists with exactly this spelling, even on a case-blind disk."""
        folder = self.folder
        for part in parts:
            if part not in self.listing(folder):
                return False
            folder = folder / part
        return True

    def listing(self, folder: Path) -> set[str]:
        if folder not in self.listings:
            try:
                self.listings[folder] = set(os.listdir(folder))
            except OSError:
                self.listings[folder] = set()
        return self.listings[folder]

    def missing(self, ref: str, field_name: str) -> str:
        if not self.folder.is_dir():
            return (
                f"{field_name} refers to `{ref}`, but the project has no {MEDIA_DIR}/ folder:"
                f" create {MEDIA_DIR}/ and put the file in it"
            )
        names = names_in(self.folder)
        same_file = [name for name in names if _basename(name).lower() == _basename(ref).lower()]
        hint = did_you_mean((same_file or close_matches(ref, names, 3))[:3])
        return (
            f"{field_name} refers to {MEDIA_DIR}/{ref}, which does not exist{hint}: put the file"
            f" in {MEDIA_DIR}/ or correct the name (names are relative to {MEDIA_DIR}/)"
        )


def names_in(folder: Path) -> list[str]:
    """Every file under `folder`, as a name relative to it, in a stable order."""
    names = []
    for current, dirs, files in os.walk(folder):
        dirs.sort()
        base = Path(current).relative_to(folder)
        # A name that is not UTF-8 no card can name: shown with escapes, never printed raw.
        names += [printable((base / name).as_posix()) for name in sorted(files)]
    return names


def unused_files(root: Path, used: list[MediaFile]) -> list[str]:
    """Files in media/ that no card names: they stay out of the deck."""
    taken = {file.path.as_posix() for file in used}
    return [
        f"{MEDIA_DIR}/{name}"
        for name in names_in(root / MEDIA_DIR)
        if f"{MEDIA_DIR}/{name}" not in taken
    ]


def _src(tag: str) -> re.Match[str] | None:
    """The `src=` attribute of an `<img ...>` tag, read attribute by attribute as HTML does."""
    for attribute in _ATTRIBUTE.finditer(tag, 4):
        if attribute.group(1).lower() == "src":
            return attribute
    return None


def _value(attribute: re.Match[str]) -> str:
    return html.unescape(next((g for g in attribute.groups()[1:] if g is not None), ""))


def _basename(ref: str) -> str:
    return re.split(r"[\\/]", ref)[-1]
