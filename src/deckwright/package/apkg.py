"""Cards -> .apkg in dist/, the same bytes for the same cards; the only module importing genanki.

genanki supplies the collection's schema, its settings row and the note-type and deck JSON; the
notes and cards rows are written here in one bulk transaction, which is several times faster
than genanki's row-by-row inserts for a large deck. genanki is imported only when a deck is
written, so `build-deck check` and the command's start-up do not pay for it.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import shutil
import sqlite3
import tempfile
import threading
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from itertools import accumulate, chain, islice
from operator import attrgetter
from pathlib import Path
from typing import BinaryIO

from isal import isal_zlib

from deckwright.atomic import Pending, atomic_file
from deckwright.package.identity import deck_id
from deckwright.package.notes import NoteRow, card_ords
from deckwright.package.templates import CSS, NOTE_TYPES, deck_css, note_type_key

# Anki reads deflated entries (genanki stores them raw). ISA-L's deflate (isal) at its level 1
# makes a collection 3.6 times as fast as zlib's level 1, a tenth larger (measured on 50,000
# notes: 0.025 s and 4.8 MB against 0.09 s and 4.4 MB; zlib's level 6: 0.4 s, 3.8 MB).
COMPRESS_LEVEL = 1


def _genanki_model(kind: str):
    import genanki

    spec = NOTE_TYPES[kind]
    return genanki.Model(
        spec["model_id"],
        spec["name"],
        fields=[{"name": name} for name in spec["fields"]],
        templates=[{"name": n, "qfmt": q, "afmt": a} for n, q, a in spec["templates"]],
        css=CSS,
        model_type=spec["model_type"],
    )


def __getattr__(name: str):
    """`PAIR` and `CLOZE` as genanki models, built on first use so importing us stays cheap."""
    if name in NOTE_TYPES:
        globals()[name] = _genanki_model(name)
        return globals()[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@dataclass(frozen=True)
class Genanki:
    """What genanki makes of an empty collection, a deck and our note types, with placeholders
    where a build puts its own ids, names and times: all the writer needs of genanki."""

    schema: str
    col: str
    deck: dict
    models: dict[int, dict]


def genanki_parts() -> Genanki:
    import genanki
    from genanki.apkg_col import APKG_COL
    from genanki.apkg_schema import APKG_SCHEMA

    return Genanki(
        APKG_SCHEMA,
        APKG_COL,
        genanki.Deck(0, "").to_json(),
        {spec["model_id"]: _genanki_model(kind).to_json(0, 0) for kind, spec in NOTE_TYPES.items()},
    )


def _write_collection(
    database: Path,
    rows: list[NoteRow],
    times: dict[str, int],
    ords: list[tuple[int, ...]],
    note_types: dict[int, dict] | None = None,
    css: str | None = None,
) -> None:
    parts = genanki_parts()
    # Note and card ids only need to be unique; basing them on a fixed time keeps builds identical.
    epoch = min(times.values(), default=0)
    by_deck: dict[str, list[int]] = {}
    for number, row in enumerate(rows):
        by_deck.setdefault(row.deck, []).append(number)
    names = sorted(by_deck)
    dids = {name: deck_id(name) for name in names}
    decks = {str(dids[name]): {**parts.deck, "id": dids[name], "name": name} for name in names}
    # genanki's order: decks by name, then each deck's notes, a note's id before its cards'.
    order = [number for name in names for number in by_deck[name]]
    placed = [rows[number] for number in order]
    placed_ords = [ords[number] for number in order]
    del order, by_deck
    # genanki records the last deck that used a note type.
    models = {row.model_id: dids[row.deck] for row in placed}
    css = deck_css(rows) if css is None else css
    # The rows are made as they are inserted, from these columns, never held whole: on a large
    # deck they would hold megabytes at the build's peak of memory.
    steps = map((1).__add__, map(len, placed_ords))
    nids = list(accumulate(steps, initial=epoch * 1000))[:-1]
    mods = [times[row.guid] for row in placed]
    notes = zip(
        nids,
        map(attrgetter("guid"), placed),
        map(attrgetter("model_id"), placed),
        mods,
        (f" {' '.join(row.tags)} " for row in placed),
        map("\x1f".join, map(attrgetter("fields"), placed)),
        (row.fields[0] for row in placed),
        strict=True,
    )
    note_dids = [dids[row.deck] for row in placed]
    cards = (
        (nid + number, nid, did, ord_, mod)
        for nid, did, mod, its_ords in zip(nids, note_dids, mods, placed_ords, strict=True)
        for number, ord_ in enumerate(its_ords, start=1)
    )
    tables, _, indexes = parts.schema.partition("CREATE INDEX")
    connection = sqlite3.connect(database)
    try:
        # A scratch file that is deleted right after: no journal, no waiting for the disk.
        # 16 KiB pages, not 4: a tenth less time to write a large deck and a smaller .apkg.
        connection.executescript(
            "PRAGMA page_size = 16384; PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;"
        )
        connection.executescript(tables + parts.col)
        (stored_decks,) = connection.execute("SELECT decks FROM col").fetchone()
        decks = {**json.loads(stored_decks), **decks}
        model_json = {
            # Anki updates a note type on import only when it is newer, as it does notes.
            str(model_id): {
                **model,
                "css": css,
                "did": models[model_id],
                "mod": times.get(note_type_key(model_id), epoch),
            }
            for model_id, model in parts.models.items()
            if model_id in models
        }
        for model_id, spec in (note_types or {}).items():  # Anki's own, for imported notes
            mod = times.get(note_type_key(model_id), spec.get("mod", epoch))
            model_json[str(model_id)] = {**spec, "did": models[model_id], "mod": mod}
        with connection:
            connection.execute(
                "UPDATE col SET decks = ?, models = ?", (json.dumps(decks), json.dumps(model_json))
            )
            # The columns genanki always writes the same way are constants here; see genanki's
            # Note.write_to_db and Card.write_to_db for their meaning (usn -1, new cards, ...).
            _insert(connection, "notes", "(?,?,?,?,-1,?,?,?,0,0,'')", notes, len(rows))
            card_row = "(?,?,?,?,?,-1,0,0,0,0,0,0,0,0,0,0,0,'')"
            _insert(connection, "cards", card_row, cards, sum(map(len, ords)))
        # Indexes built once after the rows are in: far cheaper than updating them row by row.
        connection.executescript("CREATE INDEX" + indexes)
    finally:
        connection.close()


# Rows per INSERT statement: SQLite runs one statement of 100 rows in about 60% of the time of
# 100 statements of one row (measured on 125,000 cards), far below its limit of bound values.
_BATCH = 100


def _insert(
    connection: sqlite3.Connection, table: str, row: str, rows: Iterator[tuple], count: int
) -> None:
    """Insert `count` rows of the form `row` (its `?` filled from each tuple), _BATCH at a time.
    The rows stay a stream: a list of them would hold megabytes at the build's peak of memory."""
    width = row.count("?")
    values = chain.from_iterable(rows)
    batches = islice(zip(*[values] * (width * _BATCH), strict=False), count // _BATCH)
    connection.executemany(f"INSERT INTO {table} VALUES {','.join([row] * _BATCH)}", batches)
    connection.executemany(f"INSERT INTO {table} VALUES {row}", zip(*[values] * width, strict=True))


def _zip(database: Path, media: dict[str, Path], out: BinaryIO) -> None:
    # Anki reads media as zip entries "0", "1", ... and a `media` JSON mapping each to its name.
    names = sorted(media)
    index = json.dumps({str(number): name for number, name in enumerate(names)}).encode()
    entries = [("collection.anki2", database), ("media", index)]
    entries += [(str(number), media[name]) for number, name in enumerate(names)]
    with zipfile.ZipFile(out, "w") as archive:
        for name, source in entries:
            # A fixed date and mode: the same cards give the same bytes on every machine.
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            with archive.open(info, "w") as entry:
                # The entry's deflater is zipfile's own zlib one; ISA-L's writes the same format.
                entry._compressor = isal_zlib.compressobj(COMPRESS_LEVEL, isal_zlib.DEFLATED, -15)
                if isinstance(source, bytes):
                    entry.write(source)
                else:
                    with source.open("rb") as stream:
                        shutil.copyfileobj(stream, entry, 1 << 20)


def _zip_while(
    database: Path, media: dict[str, Path], out: BinaryIO, meanwhile: Callable[[], None]
) -> None:
    """_zip in a thread while `meanwhile` runs here; the thread's failure is raised here."""
    failed: list[BaseException] = []

    def zip_it() -> None:
        try:
            _zip(database, media, out)
        except BaseException as error:
            failed.append(error)

    thread = threading.Thread(target=zip_it, name="deckwright zip")
    thread.start()
    try:
        meanwhile()
    finally:
        thread.join()
    if failed:
        raise failed[0]


def write_package(
    path: Path,
    rows: list[NoteRow],
    times: dict[str, int],
    media: dict[str, Path] | None = None,
    settle: Callable[[], None] = lambda: None,
    *,
    ords: list[tuple[int, ...]] | None = None,
    meanwhile: Callable[[], None] | None = None,
    together: Sequence[Pending] = (),
    note_types: dict[int, dict] | None = None,
    css: str | None = None,
) -> int:
    """Write the deck atomically and return its size in bytes; `media` maps deck names to files.

    The collection is built in a scratch file beside the deck rather than in memory, which
    keeps a large build's memory at what the cards need (an in-memory copy would add three
    times the collection's size); the scratch file is removed whatever happens. (genanki's own
    write_to_file leaves its scratch collection in the temp folder on every build.) The archive
    is compressed straight into the deck's temporary file, never held whole in memory.
    `settle` runs when the deck is written but not yet in place: if it raises, it never is.
    `ords` are the rows' card_ords, when the caller has them already. `meanwhile` runs while
    the archive is compressed (which zlib does without holding the interpreter), so the two
    share the cores. `together` (which `meanwhile` may fill) take their places with the
    deck's, all or none. A full disk is an OSError(ENOSPC) naming the deck, whether SQLite or
    the zip finds it. `note_types` are Anki's own note types by id (note_types.py), for the rows
    that use them. `css` is deck_css(rows), when the caller has it already.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, scratch = tempfile.mkstemp(
            dir=path.parent, prefix=f".{path.name}.", suffix=".anki2.tmp"
        )
    except OSError as error:
        raise OSError(error.errno, error.strerror, os.fspath(path.parent)) from None
    os.close(handle)
    try:
        ords = ords or list(map(card_ords, rows))
        _write_collection(Path(scratch), rows, times, ords, note_types, css)
        with atomic_file(path, together) as out:
            if meanwhile is None:
                _zip(Path(scratch), media or {}, out)
            else:
                _zip_while(Path(scratch), media or {}, out, meanwhile)
            settle()
            return out.tell()
    except sqlite3.OperationalError as error:
        if "full" not in str(error):  # SQLite's "database or disk is full"
            raise
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), os.fspath(path)) from None
    except OSError as error:
        if error.filename or error.errno is None:
            raise
        raise OSError(error.errno, error.strerror, os.fspath(path)) from None  # the zip's
    finally:
        with contextlib.suppress(OSError):
            os.unlink(scratch)
