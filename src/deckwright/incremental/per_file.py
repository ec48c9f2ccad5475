"""Card files -> checked cards and their notes: from the cache, or parsed anew.

Everything here depends on one card file alone, so it is cached per file (cache.py). A large
build shares the parsing with a forked second process (parallel.py), which sends its files back
as cache entries and keeps them in the cache itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

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
from deckwright.read import pieces
from deckwright.read.card_discovery import no_card_files
from deckwright.read.pieces import Piece
from deckwright.read.raw import MAX_FILE_BYTES
from deckwright.read.yaml_reader import card_text, load_card_file, with_lf

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
        for unit in _units(path, root):
            key = cache.key(path, rel, unit.piece) if cache else None
            found.append((unit, key, cache.get(key, rel) if key else None))
    misses = [(unit, key) for unit, key, hit in found if hit is None]
    done = len(found) - len(misses)
    progress("reading card files", done, len(found))

    def tick(count: int = 1) -> None:
        nonlocal done
        done += count
        progress("reading card files", done, len(found))

    results, kept, loaded.helper = _parse_all(misses, root, markup, cache, tick)
    parsed = iter(enumerate(results))
    units = []
    for unit, key, hit in found:
        fresh = False
        if hit is None:
            number, hit = next(parsed)
            fresh = bool(key) and number not in kept  # the helper keeps the others
        units.append((unit, key, hit, fresh))
    for unit, key, hit, fresh in _whole_where_a_piece_failed(units, root, markup):
        if fresh:
            loaded.fresh.append((key, unit.path.relative_to(root), hit))
        checked, notes, lint_warnings = hit
        loaded.cards += checked.cards
        loaded.problems += checked.problems
        loaded.warned += checked.warnings
        loaded.prepared += notes
        loaded.linted += lint_warnings
    if cache:
        cache.prune()
    return loaded


class Unit(NamedTuple):
    """What is read and cached as one: a card file, or a piece of a large one (pieces.py)."""

    path: Path
    piece: Piece | None = None


def _units(path: Path, root: Path) -> list[Unit]:
    """A card file as the units it is read in: itself, or its pieces when it is large and its
    cards can be cut apart (any problem reading it is left to reading it whole)."""
    try:
        if path.stat().st_size <= MAX_FILE_BYTES:
            return [Unit(path)]
    except OSError:
        return [Unit(path)]
    text, _ = card_text(path, root)
    cut = pieces.cut(with_lf(text)) if text is not None else None
    return [Unit(path, piece) for piece in cut] if cut else [Unit(path)]


def _whole_where_a_piece_failed(
    units: list[tuple[Unit, str | None, Parsed | None, bool]], root: Path, markup: str
) -> list[tuple[Unit, str | None, Parsed, bool]]:
    """The units, but a file with a piece the plain reader declined (None) read whole instead,
    as it is without pieces, and not cached."""
    failed = {unit.path for unit, _, hit, _ in units if hit is None}
    if not failed:
        return units  # type: ignore[return-value]
    done = []
    for unit, key, hit, fresh in units:
        if unit.path not in failed:
            done.append((unit, key, hit, fresh))
        elif unit.piece is None or unit.piece.shift == 0:  # the file's first piece
            done.append((Unit(unit.path), None, _parse(unit.path, root, markup), False))
    return done


def store(loaded: Loaded) -> None:
    """Keep what was parsed anew for the next build."""
    if loaded.cache:
        for key, rel, (checked, notes, lint_warnings) in loaded.fresh:
            loaded.cache.put(key, rel, checked, notes, lint_warnings)


PARALLEL_BYTES = 1_000_000  # fewer bytes to parse than this: a second process costs more


def sizes_of(units: list[Unit]) -> list[int]:
    """Each unit's size: a piece's characters, a file's bytes (0 for one gone since listed)."""
    sizes = []
    for path, piece in units:
        try:
            sizes.append(len(piece.text) if piece else path.stat().st_size)
        except OSError:
            sizes.append(0)
    return sizes


def worth_a_process(size: int) -> bool:
    """Whether this many bytes of card files are worth the work of a second process."""
    return size >= PARALLEL_BYTES


OWN_SHARE = 0.55  # of the bytes to parse, what the build parses itself: both then end together


def _parse_all(
    misses: list[tuple[Unit, str | None]],
    root: Path,
    markup: str,
    cache: FileCache | None,
    tick: Callable[[int], None],
) -> tuple[list[Parsed | None], set[int], parallel.Child | None]:
    """Parse the units the cache did not have, sharing large builds with a forked process.

    The build parses the first units while the child parses the rest and sends them back as
    cache entries (JSON: the cache reads them, in C, faster than any other way), which it then
    keeps in the cache itself. Returns the results in order (None for a piece the plain reader
    declined), the positions of those the child keeps, and the child, to be joined once the
    build is done.
    """
    jobs = [unit for unit, _ in misses]
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
    sent: list[bytes | Parsed | None] = []

    def answer() -> list[bytes | Parsed | None]:
        for unit in jobs[half:]:
            parsed = _parse_unit(unit, root, markup)
            rel = unit.path.relative_to(root)
            sent.append(parsed and (encode(*parsed, rel) or parsed))
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
        child.join()  # the child failed: parse its units here
        return ours + [_parse_unit(unit, root, markup) for unit in jobs[half:]], set(), None
    theirs, kept = [], set()
    for number, (data, (unit, key)) in enumerate(zip(got, misses[half:], strict=True), half):
        rel = unit.path.relative_to(root)
        found = decode(data, rel) if isinstance(data, bytes) else data
        if found is None and data is not None:  # encode makes no entry decode refuses
            found = _parse_unit(unit, root, markup)  # only a damaged answer does
        elif key and isinstance(data, bytes):
            kept.add(number)
        theirs.append(found)
    return ours + theirs, kept, child


def _parse_unit(unit: Unit, root: Path, markup: str) -> Parsed | None:
    path, piece = unit
    return _parse(path, root, markup) if piece is None else _parse_piece(path, root, markup, piece)


def _parse(path: Path, root: Path, markup: str) -> Parsed:
    checked = _check_card_file(path, root, markup)
    return Parsed(checked, [_prepare(card) for card in checked.cards], card_warnings(checked.cards))


def _parse_piece(path: Path, root: Path, markup: str, piece: Piece) -> Parsed | None:
    """A piece of a file as the file gives it; the file's header is reported by its first
    piece alone. None when the plain reader declines it: then the file is read whole."""
    raw = pieces.read(piece, path.relative_to(root))
    if raw is None:
        return None
    checked = check_file(raw, markup)
    if piece.shift:
        for found in (checked.problems, checked.warnings):
            found[:] = [problem for problem in found if problem.where.line > piece.header]
    return Parsed(checked, [_prepare(card) for card in checked.cards], card_warnings(checked.cards))


def _parse_each(
    units: list[Unit], root: Path, markup: str, tick: Callable[[int], None]
) -> list[Parsed | None]:
    parsed = []
    for unit in units:
        parsed.append(_parse_unit(unit, root, markup))
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
