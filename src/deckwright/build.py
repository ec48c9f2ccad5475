"""build(root): load -> model -> identity, coverage, media -> package; cli and watch call it.

A little over 300 lines: the order of the stages, and the writing that needs all of their results
(CheckedDeck) at once.
"""

from __future__ import annotations

import functools
import gc
from collections import Counter
from dataclasses import dataclass, field, replace
from itertools import chain
from pathlib import Path

from deckwright.atomic import Pending
from deckwright.coverage.check import CoverageReport, check_coverage
from deckwright.coverage.documents import read_sources
from deckwright.errors import BuildFailed, Location, Problem, in_order
from deckwright.incremental.aside import Aside, near_duplicate_warnings
from deckwright.incremental.document_cache import DocumentCache
from deckwright.incremental.per_file import (
    Prepared,
    Progress,
    load_cards,
    quietly,
    store,
)
from deckwright.model.cards import Card
from deckwright.model.words import slugify
from deckwright.package import note_types
from deckwright.package.apkg import write_package
from deckwright.package.identity import identity_checks, now
from deckwright.package.kept_notes import digests_of, read_kept
from deckwright.package.lock import LOCK
from deckwright.package.lock_changes import empty_card_warnings, removed_line, removed_notes
from deckwright.package.lock_recovery import gone_rows, read_lock
from deckwright.package.media import Media, MediaFile, collect
from deckwright.package.notes import NoteRow, note_hash, note_row
from deckwright.package.stale_files import remove_stale, stale_decks
from deckwright.package.templates import deck_css, note_type_versions
from deckwright.package.write_faults import write_problem
from deckwright.project import DIST
from deckwright.read.card_discovery import find_card_files


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
    said: list[str] = field(default_factory=list)  # what the build did to the lock, one line each

    def kinds(self) -> Counter[str]:
        return Counter(card.kind for card in self.cards)

    def decks(self) -> list[str]:
        return sorted({card.deck for card in self.cards})

    def summary(self) -> str:
        kinds = self.kinds()
        parts = ", ".join(f"{kinds[k]} {k}" for k in ("pair", "reversed", "cloze") if kinds[k])
        decks = len(self.decks())
        text = (
            f"{counted(len(self.notes), 'note')} ({parts or 'none'})"
            f" -> {counted(self.card_count, 'card')}"
            f" in {decks} deck{'s' if decks != 1 else ''}"
        )
        if self.output is not None:
            text = f"wrote {self.output.as_posix()} ({self.size / 1024:.1f} KiB): {text}"
        return "\n".join([text, *self.said, self.coverage.line()])


def counted(count: int, noun: str) -> str:
    """`1 note`, `2 notes`."""
    return f"{count} {noun}{'s' if count != 1 else ''}"


def output_name(cards: list[Card]) -> str:
    """dist/<root deck>.apkg when all cards share a top deck, else dist/deck.apkg."""
    roots = {deck.split("::")[0] for deck in {card.deck for card in cards}}
    name = roots.pop() if len(roots) == 1 else "deck"
    slug = slugify(name, ascii_only=True)
    return (slug or "deck") + ".apkg"


def _check_dist(root: Path) -> None:
    """dist/ must be a folder inside the project: a cloned project could carry a link elsewhere."""
    dist = root / DIST
    if dist.is_symlink() and not dist.resolve().is_relative_to(root.resolve()):
        message = f"is a link to {dist.resolve()}, outside the project: remove the link"
    elif dist.exists() and not dist.is_dir():
        message = "is a file, not a folder: rename or remove it so the deck can be written"
    else:
        return
    raise BuildFailed([Problem(Location(Path(DIST), 0), message)])


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
    progress: Progress = quietly,
) -> BuildResult:
    """Check every card and, when `write`, write the deck; raises BuildFailed with every problem.

    `strict` makes warnings and uncovered comparison rows problems too. `use_cache=False`
    ignores .deckwright-cache/; the deck's bytes are the same either way. `progress` hears of
    each step, for a progress bar.
    """
    found = find_card_files(root)
    files = found.files
    loaded = load_cards(root, files, use_cache, progress)
    helper, aside = loaded.helper, None
    try:
        # The near-duplicate check only adds warnings, and on a large deck takes longer than the
        # other checks: it starts now in a process of its own, while the build checks the rest
        # and writes the deck, and is called off when the build finds a problem.
        aside = Aside.planned(loaded) if write and not loaded.problems else None
        if aside:
            aside.begin([entry.asks for entry in loaded.prepared])
        progress("checking cards and sources", 0, 0)
        cards, problems, warned, prepared = (
            loaded.cards,
            loaded.problems,
            loaded.warned,
            loaded.prepared,
        )
        documents = DocumentCache(root, loaded.cache.salt) if loaded.cache else None
        sources = read_sources(root, documents.through) if documents else read_sources(root)
        if documents:
            documents.prune()
        coverage, cover_problems = check_coverage(cards, sources.documents)
        coverage.unread = sources.unread
        guids = [entry.note.guid for entry in prepared]
        more_problems, more_warnings = identity_checks(cards, guids)
        problems += found.problems + sources.problems + cover_problems + more_problems
        media = collect(root, cards)
        problems += media.problems
        warned += found.warnings + sources.warnings + more_warnings + media.warnings + loaded.linted
        if strict:
            problems += warned + coverage.uncovered_problems()
        # The deck is kept once the near-duplicate warnings are in (or removed, when --strict
        # makes them problems).
        if problems and aside:
            aside.cancel()
            aside = None
        if aside is None:
            store(loaded)
            if problems and not strict:
                raise BuildFailed(problems)  # nothing the check finds would be shown
            lint = near_duplicate_warnings(loaded)
            warned += lint
            problems += lint if strict else []
            if problems:
                raise BuildFailed(problems)
        del loaded
        if write:
            progress("writing the deck", 0, 0)
        checked = CheckedDeck(cards, prepared, warned, coverage, media)
        return _write(root, checked, Options(write, output, strict), aside)
    finally:  # the helpers keep the cache meanwhile; the build ends when they are done
        for child in (helper, aside):
            if child:
                child.join()


@dataclass
class CheckedDeck:
    """What the checks of a build give the writing: the cards and their notes, the warnings so
    far, the coverage report and the media."""

    cards: list[Card]
    prepared: list[Prepared]
    warned: list[Problem]
    coverage: CoverageReport
    media: Media


@dataclass(frozen=True)
class Options:
    write: bool  # False: check only
    output: Path | None  # None: dist/<top deck>.apkg
    strict: bool  # warnings and uncovered rows are problems


def _write(root: Path, checked: CheckedDeck, options: Options, aside: Aside | None) -> BuildResult:
    """The notes, as the documents' citations and the media names finish them, into the deck."""
    cards, prepared, warned = checked.cards, checked.prepared, checked.warned
    coverage, media = checked.coverage, checked.media
    write, output, strict = options.write, options.output, options.strict
    # Only a card whose citation may come from a document, or any card when there is media,
    # can need its note redone: on a large deck, nearly none.
    todo = (
        range(len(cards))
        if media.files
        else [number for number, card in enumerate(cards) if card.cites_documents]
    )
    for number in todo:
        prepared[number] = _finish(cards[number], prepared[number], coverage, media)
    notes = [entry.note for entry in prepared]
    ords = [entry.ords for entry in prepared]
    digests = [entry.digest for entry in prepared] if write else []
    used = note_types.apply(root, cards, notes, digests)
    kept, kept_ords, kept_types, kept_problems = read_kept(root)
    if used.problems or kept_problems:
        raise BuildFailed(used.problems + kept_problems)
    prepared.clear()
    target = output or root / DIST / output_name(cards)
    log = read_lock(root, target, recover=write)
    before = log.record_cards([row.guid for row in notes], ords)
    warned += empty_card_warnings(cards, notes, ords, before)
    card_count = sum(map(len, ords))
    result = BuildResult(
        cards, notes, card_count, warnings=in_order(warned), coverage=coverage, media=media.stored()
    )
    if not write:
        result.said = (
            [f"{log.said}: a build resolves {'it' if log.said.endswith('t') else 'them'}"]
            if log.said
            else []
        )
        return result

    stamps = zip([row.guid for row in notes], digests, strict=True)
    css = deck_css(notes)
    versions = chain(note_type_versions(css), used.versions(), digests_of(kept, kept_types))
    times = log.stamp(chain(stamps, versions), now())
    del digests
    log.mark_removed(gone_rows(root, target, log.gone), now())
    gone, gone_ords, gone_types = removed_notes(log, root)
    times.update((row.guid, log.entries[row.guid][1]) for row in gone)
    extra, extra_ords = gone + kept, gone_ords + kept_ords
    result.said = [line for line in (log.said, removed_line(len(gone))) if line]
    if output is None:
        _check_dist(root)
    remove_stale(target.parent, ".*.tmp" if output is None else ".*.apkg.*.tmp")
    remove_stale(root, f".{LOCK}.*.tmp")
    files = {file.name: root / file.path for file in result.media}

    def settle() -> None:
        """Before the deck takes its place: the warnings of the check that ran alongside."""
        if aside is None:
            return
        lint = aside.warnings()
        if strict and lint:
            raise BuildFailed(lint)
        if lint:  # else they are in order already (sorting 50,000 costs a twentieth of a second)
            result.warnings = in_order(result.warnings + lint)

    lock: list[Pending] = []

    def write_lock() -> None:
        """The lock, while the deck is compressed; it takes its place once the deck has."""
        if log.changed:
            lock.append(log.written(root))

    try:
        result.size = write_package(
            target,
            notes + extra if extra else notes,
            times,
            files,
            settle,
            ords=ords + extra_ords if extra else ords,
            meanwhile=write_lock,
            together=lock,
            note_types={**used.specs, **kept_types, **gone_types},
            css=deck_css(notes + extra) if extra else css,
        )
    except OSError as error:  # the deck and the lock are both as they were
        raise BuildFailed([write_problem(error, root)]) from None
    finally:
        for pending in lock:
            pending.discard()
    result.output = target.relative_to(root) if target.is_relative_to(root) else target
    stale = stale_decks(root, target, set(result.decks())) if output is None else []
    if stale:
        result.warnings = in_order(result.warnings + stale)
    return result


def _finish(card: Card, prepared: Prepared, coverage: CoverageReport, media: Media) -> Prepared:
    """The cached note, redone only where a document's citation or the media names change it."""
    row = prepared.note
    fields = row.fields
    if card.cites_documents:
        source = coverage.source_for(card)
        if source != card.source:
            fields = note_row(card, row.guid, source).fields
    if media.files:
        fields = tuple(map(media.rewrite, fields))
    if fields == row.fields:
        return prepared
    row = replace(row, fields=fields)  # a citation or a media name: never which cards there are
    return prepared._replace(note=row, digest=note_hash(row))
