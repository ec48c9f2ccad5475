"""Card files -> checked cards and their notes: from the cache, or parsed anew.

Everything here depends on one card file alone, so it is cached per file (cache.py). A large
build shares the parsing with a forked second process (parallel.py), which sends its files back
as cache entries and keeps them in the cache itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from deckwright.errors import Problem
from deckwright.incremental import parallel
from deckwright.incremental.cache import FileCache
from deckwright.incremental.cache_entry import Parsed, Prepared, decode, encode
from deckwright.lint.near_duplicates import asked
from deckwright.lint.rules import card_warnings
from deckwright.model.cards import Card, Checked
from deckwright.model.project_config import read_config
from deckwright.model.validate import check_file
from deckwright.package.identity import note_guid
from deckwright.package.notes import card_ords, note_hash, note_row
from deckwright.read.card_discovery import no_card_files
from deckwright.read.yaml_reader import load_card_file

# The core's progress hook is a callback, so that it needs no idea of a terminal: (step, done,
# total), total 0 when nothing is counted. The command line passes a progress bar.
Progress = Callable[[str, int, int], None]


def quietly(step: str, done: int, total: int) -> None:
    """The progress of a build nobody watches."""


@dataclass
class Loaded:
    """Every file's cards, problems and warnings, what the package and lint need of each card,
    and the lint's warnings about single cards: all of it depends on one file alone, so it is
    cached. `fresh` is what was parsed anew, for the cache to keep (see store)."""

    cards: list[Card] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warned: list[Problem] = field(default_factory=list)
    prepared: list[Prepared] = field(default_factory=list)
    linted: list[Problem] = field(default_factory=list)
    cache: FileCache | None = None
    fresh: list[tuple[str, Path, Parsed]] = field(default_factory=list)
    helper: parallel.Child | None = None  # still keeping its files in the cache: join it


def load_cards(
    root: Path, files: list[Path], use_cache: bool, progress: Progress = quietly
) -> Loaded:
    """The cards of `files` (read/card_discovery.py finds them), from the cache or parsed anew."""
    config = read_config(root)
    markup = config.markup
    loaded = Loaded(cache=FileCache(root, markup) if use_cache else None, problems=config.problems)
    if not files:
        loaded.problems.append(no_card_files(root))
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

    results, kept, loaded.helper = _parse_all(misses, root, markup, cache, tick)
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


def store(loaded: Loaded) -> None:
    """Keep what was parsed anew for the next build."""
    if loaded.cache:
        for key, rel, (checked, notes, lint_warnings) in loaded.fresh:
            loaded.cache.put(key, rel, checked, notes, lint_warnings)


PARALLEL_BYTES = 1_000_000  # fewer bytes to parse than this: a second process costs more


def sizes_of(paths: list[Path]) -> list[int]:
    """Each file's size in bytes; 0 for one gone since it was listed."""
    sizes = []
    for path in paths:
        try:
            sizes.append(path.stat().st_size)
        except OSError:
            sizes.append(0)
    return sizes


def worth_a_process(size: int) -> bool:
    """Whether this many bytes of card files are worth the work of a second process."""
    return size >= PARALLEL_BYTES


OWN_SHARE = 0.55  # of the bytes to parse, what the build parses itself: both then end together


def _parse_all(
    misses: list[tuple[Path, str | None]],
    root: Path,
    markup: str,
    cache: FileCache | None,
    tick: Callable[[int], None],
) -> tuple[list[Parsed], set[int], parallel.Child | None]:
    """Parse the files the cache did not have, sharing large builds with a forked process.

    The build parses the first files while the child parses the rest and sends them back as
    cache entries (JSON: the cache reads them, in C, faster than any other way), which it then
    keeps in the cache itself. Returns the results in file order, the positions of those the
    child keeps, and the child, to be joined once the build is done.
    """
    jobs = [path for path, _ in misses]
    sizes = sizes_of(jobs)
    total = sum(sizes)
    if len(jobs) < 2 or not worth_a_process(total) or not parallel.can_fork():
        return _parse_each(jobs, root, markup, tick), set(), None
    # The child's share is smaller: it also encodes what it sends.
    half, done = 0, 0
    while half < len(jobs) - 1 and done + sizes[half] <= OWN_SHARE * total:
        done += sizes[half]
        half += 1
    half = max(half, 1)
    sent: list[bytes | Parsed] = []

    def answer() -> list[bytes | Parsed]:
        for path in jobs[half:]:
            parsed = _parse(path, root, markup)
            sent.append(encode(*parsed, path.relative_to(root)) or parsed)
        return sent

    def then() -> None:
        for data, (_, key) in zip(sent, misses[half:], strict=True):
            if cache and key and isinstance(data, bytes):
                cache.store(key, data)

    child = parallel.Child.start(answer, then)
    ours = _parse_each(jobs[:half], root, markup, tick)
    got = child.result()
    tick(len(jobs) - half)
    if got is None or len(got) != len(jobs) - half:
        child.join()  # the child failed: parse its files here
        return ours + [_parse(path, root, markup) for path in jobs[half:]], set(), None
    theirs, kept = [], set()
    for number, (data, (path, key)) in enumerate(zip(got, misses[half:], strict=True), half):
        found = decode(data, path.relative_to(root)) if isinstance(data, bytes) else data
        if found is None:  # encode makes no entry decode refuses: only a damaged answer
            found = _parse(path, root, markup)
        elif key and isinstance(data, bytes):
            kept.add(number)
        theirs.append(found)
    return ours + theirs, kept, child


def _parse(path: Path, root: Path, markup: str) -> Parsed:
    checked = _check_card_file(path, root, markup)
    return Parsed(checked, [_prepare(card) for card in checked.cards], card_warnings(checked.cards))


def _parse_each(
    paths: list[Path], root: Path, markup: str, tick: Callable[[int], None]
) -> list[Parsed]:
    parsed = []
    for path in paths:
        parsed.append(_parse(path, root, markup))
        tick(1)
    return parsed


def _check_card_file(path: Path, root: Path, markup: str) -> Checked:
    raw, found = load_card_file(path, root)
    if raw is None:
        return Checked(problems=found)
    checked = check_file(raw, markup)
    checked.problems[:0] = found
    return checked


def _prepare(card: Card) -> Prepared:
    """What the package needs from one card; it depends on that card alone, so it is cached."""
    row = note_row(card, note_guid(card), card.source)
    digest = note_hash(row)
    return Prepared(row, digest, card_ords(row), asked(card))
