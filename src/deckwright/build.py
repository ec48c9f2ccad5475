"""build(root): load -> model -> identity, coverage, media -> package; cli and watch call it."""

from __future__ import annotations

import functools
import gc
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from . import parallel
from .cache import FileCache, decode, encode
from .coverage import CoverageReport, check_coverage
from .duplicates import Asked, Known, asked, near_duplicates
from .errors import BuildFailed, Location, Problem, in_order
from .identity import ChangeLog, content_hash, identity_checks, note_guid, now
from .lint import card_warnings
from .load import card_files, load_card_file
from .media import Media, MediaFile, collect
from .model import Card, Checked, check_file
from .package import NoteRow, cards_per_note, note_row, note_type_versions, write_package
from .sources import read_sources


@dataclass
class BuildResult:
    cards: list[Card]
    notes: list[NoteRow]
    card_count: int
    output: Path | None = None  # None when only checked
    size: int = 0
    warnings: list[Problem] = field(default_factory=list)
    coverage: CoverageReport = field(default_factory=CoverageReport)
    media: list[MediaFile] = field(default_factory=list)  # each file once, by deck name

    def kinds(self) -> Counter[str]:
        return Counter(card.kind for card in self.cards)

    def decks(self) -> list[str]:
        return sorted({card.deck for card in self.cards})

    def summary(self) -> str:
        kinds = self.kinds()
        parts = ", ".join(f"{kinds[k]} {k}" for k in ("pair", "reversed", "cloze") if kinds[k])
        decks = len(self.decks())
        text = (
            f"{len(self.notes)} notes ({parts or 'none'}) -> {self.card_count} cards"
            f" in {decks} deck{'s' if decks != 1 else ''}"
        )
        if self.output is not None:
            text = f"wrote {self.output.as_posix()} ({self.size / 1024:.1f} KiB): {text}"
        return f"{text}\n{self.coverage.line()}"


# A card's note, the hash of its content, its card count and what it asks (for the lint).
Prepared = tuple[NoteRow, str, int, Asked]
Parsed = tuple[Checked, list[Prepared], list[Problem]]  # a file's cards, their notes, lint


@dataclass
class _Loaded:
    """Every file's cards, problems and warnings, what the package and lint need of each card,
    and the lint's warnings about single cards: all of it depends on one file alone, so it is
    cached. `fresh` is what was parsed anew, for the cache to keep (see _store)."""

    cards: list[Card] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warned: list[Problem] = field(default_factory=list)
    prepared: list[Prepared] = field(default_factory=list)
    linted: list[Problem] = field(default_factory=list)
    cache: FileCache | None = None
    fresh: list[tuple[str, Path, Parsed]] = field(default_factory=list)


Progress = Callable[[str, int, int], None]  # (step, done, total); total 0: no count known


def _quietly(step: str, done: int, total: int) -> None:
    """The progress of a build nobody watches."""


def _load(root: Path, use_cache: bool, progress: Progress = _quietly) -> _Loaded:
    files = card_files(root)
    loaded = _Loaded(cache=FileCache(root) if use_cache else None)
    if not files:
        loaded.problems.append(
            Problem(
                Location(Path("cards"), 0),
                "no card files found: create cards/<topic>.yaml (see `build-deck --help`)",
            )
        )
    cache = loaded.cache
    found = []
    for path in files:
        rel = path.relative_to(root)
        key = cache.key(path, rel) if cache else None
        found.append((path, key, cache.get(key, rel) if key else None))
    misses = [(path, key) for path, key, hit in found if hit is None]
    done = len(files) - len(misses)
    progress("reading card files", done, len(files))

    def tick(count: int = 1) -> None:
        nonlocal done
        done += count
        progress("reading card files", done, len(files))

    results, kept = _parse_all(misses, root, cache, tick)
    parsed = iter(enumerate(results))
    for path, key, hit in found:
        if hit is None:
            number, hit = next(parsed)
            if key and number not in kept:
                loaded.fresh.append((key, path.relative_to(root), hit))
        checked, notes, lint_warnings = hit
        loaded.cards += checked.cards
        loaded.problems += checked.problems
        loaded.warned += checked.warnings
        loaded.prepared += notes
        loaded.linted += lint_warnings
    if cache:
        cache.prune()
    return loaded


def _store(loaded: _Loaded) -> None:
    """Keep what was parsed anew for the next build."""
    if loaded.cache:
        for key, rel, (checked, notes, lint_warnings) in loaded.fresh:
            loaded.cache.put(key, rel, checked, notes, lint_warnings)


PARALLEL_BYTES = 1_000_000  # fewer bytes to parse than this: a second process costs more
OWN_SHARE = 0.6  # of the bytes to parse, what the build parses itself: both then end together


def _parse_all(
    misses: list[tuple[Path, str | None]],
    root: Path,
    cache: FileCache | None,
    tick: Callable[[int], None],
) -> tuple[list[Parsed], set[int]]:
    """Parse the files the cache did not have, sharing large builds with a forked process.

    The build parses the first files while the child parses the rest and sends them back as
    cache entries (JSON: the cache reads them, in C, faster than any other way), which it then
    keeps in the cache itself. Returns the results in file order, and the positions of those
    the child kept.
    """
    jobs = [(path, root) for path, _ in misses]
    sizes = [path.stat().st_size if path.is_file() else 0 for path, _ in misses]
    if len(jobs) < 2 or sum(sizes) < PARALLEL_BYTES or not parallel.can_fork():
        return _parse_each(jobs, tick), set()
    # The child's share is smaller: it also encodes what it sends.
    half, done = 0, 0
    while half < len(jobs) - 1 and done + sizes[half] <= OWN_SHARE * sum(sizes):
        done += sizes[half]
        half += 1
    half = max(half, 1)
    sent: list[bytes | Parsed] = []

    def answer() -> list[bytes | Parsed]:
        for path, _ in jobs[half:]:
            parsed = _parse((path, root))
            sent.append(encode(*parsed, path.relative_to(root)) or parsed)
        return sent

    def then() -> None:
        for data, (_, key) in zip(sent, misses[half:], strict=True):
            if cache and key and isinstance(data, bytes):
                cache.store(key, data)

    child = parallel.Child.start(answer, then)
    ours = _parse_each(jobs[:half], tick)
    got = child.result()
    child.join()
    tick(len(jobs) - half)
    theirs = [
        decode(data, path.relative_to(root)) if isinstance(data, bytes) else data
        for data, (path, _) in zip(got or [], jobs[half:], strict=False)
    ]
    if got is None or len(theirs) != len(jobs) - half or None in theirs:
        return ours + [_parse(job) for job in jobs[half:]], set()  # the child failed
    kept = {
        half + number
        for number, (data, (_, key)) in enumerate(zip(got, misses[half:], strict=True))
        if key and isinstance(data, bytes)
    }
    return ours + theirs, kept


def _parse(job: tuple[Path, Path]) -> Parsed:
    path, root = job
    checked = _check_card_file(path, root)
    return checked, [_prepare(card) for card in checked.cards], card_warnings(checked.cards)


def _parse_each(jobs: list[tuple[Path, Path]], tick: Callable[[int], None]) -> list[Parsed]:
    parsed = []
    for job in jobs:
        parsed.append(_parse(job))
        tick(1)
    return parsed


def _check_card_file(path: Path, root: Path) -> Checked:
    raw, found = load_card_file(path, root)
    if raw is None:
        return Checked(problems=found)
    checked = check_file(raw)
    checked.problems[:0] = found
    return checked


def _prepare(card: Card) -> Prepared:
    """What the package needs from one card; it depends on that card alone, so it is cached."""
    row = note_row(card, note_guid(card), card.source)
    digest = content_hash(row.model_id, row.deck, row.fields, row.tags)
    return row, digest, cards_per_note(row), asked(card)


def output_name(cards: list[Card]) -> str:
    """dist/<root deck>.apkg when all cards share a top deck, else dist/deck.apkg."""
    roots = {card.deck.split("::")[0] for card in cards}
    name = roots.pop() if len(roots) == 1 else "deck"
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return (slug or "deck") + ".apkg"


def _check_dist(root: Path) -> None:
    """dist/ must be a folder inside the project: a cloned project could carry a link elsewhere."""
    dist = root / "dist"
    if dist.is_symlink() and not dist.resolve().is_relative_to(root.resolve()):
        message = f"is a link to {dist.resolve()}, outside the project: remove the link"
    elif dist.exists() and not dist.is_dir():
        message = "is a file, not a folder: rename or remove it so the deck can be written"
    else:
        return
    raise BuildFailed([Problem(Location(Path("dist"), 0), message)])


def _without_cycle_collector(function):
    """Run a build with Python's cycle collector paused.

    A build makes millions of small acyclic objects and keeps the cards alive to the end; the
    collector would walk every live card again and again (measured: parsing 50k notes took twice
    as long). Reference counting still frees everything; one collection runs after the build.
    """

    @functools.wraps(function)
    def paused(*args, **kwargs):
        enabled = gc.isenabled()
        gc.disable()
        try:
            return function(*args, **kwargs)
        finally:
            if enabled:
                gc.enable()

    return paused


@_without_cycle_collector
def build(
    root: Path,
    write: bool = True,
    output: Path | None = None,
    strict: bool = False,
    use_cache: bool = True,
    progress: Progress = _quietly,
) -> BuildResult:
    """Check every card and, when `write`, write the deck; raises BuildFailed with every problem.

    `strict` makes warnings and uncovered comparison rows problems too. `use_cache=False`
    ignores .deckwright-cache/; the deck's bytes are the same either way. `progress` hears of
    each step, for a progress bar.
    """
    loaded = _load(root, use_cache, progress)
    progress("checking cards and sources", 0, 0)
    cards, problems, warned, prepared = (
        loaded.cards,
        loaded.problems,
        loaded.warned,
        loaded.prepared,
    )
    sources = read_sources(root)
    coverage, cover_problems = check_coverage(cards, sources.documents)
    more_problems, more_warnings = identity_checks(cards, [entry[0].guid for entry in prepared])
    problems += sources.problems + cover_problems + more_problems
    media = collect(root, cards)
    problems += media.problems
    warned += sources.warnings + more_warnings + media.warnings + loaded.linted
    if strict:
        problems += warned + coverage.uncovered_problems()
    # The near-duplicate check only adds warnings: a large deck is written meanwhile, and kept
    # once they are in (or removed, when --strict makes them problems).
    aside = _Aside.start(loaded) if write and not problems else None
    try:
        if aside is None:
            _store(loaded)
            if problems and not strict:
                raise BuildFailed(problems)  # nothing the check finds would be shown
            lint = _near_duplicates(loaded)
            warned += lint
            problems += lint if strict else []
            if problems:
                raise BuildFailed(problems)
        del loaded
        if write:
            progress("writing the deck", 0, 0)
        return _write(root, cards, prepared, warned, coverage, media, write, output, strict, aside)
    finally:
        if aside:
            aside.join()


def _write(
    root: Path,
    cards: list[Card],
    prepared: list[Prepared],
    warned: list[Problem],
    coverage: CoverageReport,
    media: Media,
    write: bool,
    output: Path | None,
    strict: bool,
    aside: _Aside | None,
) -> BuildResult:
    """The notes, as the documents' citations and the media names finish them, into the deck."""
    finished = [
        _finish(card, entry, coverage, media) for card, entry in zip(cards, prepared, strict=True)
    ]
    prepared.clear()  # what the cards ask, for the lint, is not needed past here
    notes = [entry[0] for entry in finished]
    card_count = sum(entry[2] for entry in finished)
    result = BuildResult(
        cards, notes, card_count, warnings=in_order(warned), coverage=coverage, media=media.stored()
    )
    if not write:
        return result

    log = ChangeLog.read(root)
    stamps = [(entry[0].guid, entry[1]) for entry in finished] + note_type_versions()
    times = log.stamp(stamps, now())
    target = output or root / "dist" / output_name(cards)
    if output is None:
        _check_dist(root)
    files = {file.name: root / file.path for file in result.media}

    def settle() -> None:
        """Before the deck takes its place: the warnings of the check that ran alongside."""
        if aside is None:
            return
        lint = aside.warnings()
        if strict and lint:
            raise BuildFailed(lint)
        result.warnings = in_order(warned + lint)

    result.size = write_package(target, notes, times, files, settle)
    if log.changed:
        log.write(root)
    result.output = target.relative_to(root) if target.is_relative_to(root) else target
    return result


def _near_duplicates(loaded: _Loaded, questions: list[Asked] | None = None) -> list[Problem]:
    """The near-duplicate warnings, remembering what was compared for the next build.

    `questions` are what the cards ask, when `loaded.prepared` no longer has them."""
    cache = loaded.cache
    known = cache.known() if cache else Known()
    if questions is None:
        questions = [entry[3] for entry in loaded.prepared]
    lint = near_duplicates(loaded.cards, questions, known)
    if cache:
        cache.keep(known)
    return lint


ASIDE_NOTES = 5_000  # fewer notes than this: a second process costs more than it saves


class _Aside:
    """_near_duplicates in a forked process while the build writes the deck; the child then
    keeps the cache entries of the files parsed anew, while the build puts the deck in place.
    On two cores this takes both off the time a large build needs."""

    def __init__(self, loaded: _Loaded, child: parallel.Child):
        self.loaded, self.child = loaded, child

    @classmethod
    def start(cls, loaded: _Loaded) -> _Aside | None:
        """None when the deck is small or forking unsafe: then the build does it all itself."""
        if len(loaded.cards) < ASIDE_NOTES or not parallel.can_fork():
            return None
        return cls(
            loaded, parallel.Child.start(lambda: _near_duplicates(loaded), lambda: _store(loaded))
        )

    def warnings(self) -> list[Problem]:
        lint = self.child.result()
        if lint is not None:
            return lint
        self.join()  # the child failed before it could answer: do its work here
        _store(self.loaded)
        return _near_duplicates(self.loaded, [asked(card) for card in self.loaded.cards])

    def join(self) -> None:
        self.child.join()


def _finish(
    card: Card, prepared: Prepared, coverage: CoverageReport, media: Media
) -> tuple[NoteRow, str, int]:
    """The cached note, redone only where a document's citation or the media names change it."""
    row, digest, count, _ = prepared  # what the card asks was for the lint, done by now
    fields = row.fields
    if card.covers and not card.own_source:  # then a document's citation may be its source
        source = coverage.source_for(card)
        if source != card.source:
            fields = note_row(card, row.guid, source).fields
    if media.files:
        fields = tuple(map(media.rewrite, fields))
    if fields == row.fields:
        return row, digest, count
    row = replace(row, fields=fields)
    return row, content_hash(row.model_id, row.deck, row.fields, row.tags), count
