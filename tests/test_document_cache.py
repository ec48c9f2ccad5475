"""Documents of sources/ are read once: a warm build takes their tables from the cache."""

from __future__ import annotations

import pytest

from deckwright.build import build
from deckwright.coverage import documents
from deckwright.incremental.document_cache import SUBFOLDER
from tests.conftest import EXAMPLE

PAGE = (
    "<title>Vessels</title><table><tr><th>Feature<th>Artery<th>Vein\n"
    "<tr><td>Wall<td>Thick<td>Thin</table>"
)
TEXT = "Feature\tMitosis\tMeiosis\nDivisions\tOne\tTwo\n"


@pytest.fixture
def reads(monkeypatch):
    """Every document a reader is run on, by the kind of reader."""
    seen: list[str] = []
    for name, kind in (("read_text", ".txt"), ("read_html", ".html")):
        reader = getattr(documents, name)

        def counted(*args, reader=reader, kind=kind):
            seen.append(kind)
            return reader(*args)

        monkeypatch.setattr(documents, name, counted)
    return seen


def rows(result):
    return [(r.row.name, r.row.where.line, r.row.cells) for r in result.coverage.rows]


def test_warm_build_reads_no_document_and_gives_the_same_rows(project, reads):
    project.write(
        {"cards/c.yaml": EXAMPLE, "sources/vessels.html": PAGE, "sources/cells.txt": TEXT}
    )
    cold = build(project.root, write=False)
    assert sorted(reads) == [".html", ".txt"]
    warm = build(project.root, write=False)
    assert sorted(reads) == [".html", ".txt"]
    assert (
        rows(warm)
        == rows(cold)
        == [
            ("cells#divisions", 2, ("One", "Two")),
            ("vessels#wall", 2, ("Thick", "Thin")),
        ]
    )
    assert [d.citation() for d in warm.coverage.read] == ["sources/cells.txt", "Vessels"]


def test_edited_document_is_read_again_and_its_old_entry_dropped(project, reads):
    project.write({"cards/c.yaml": EXAMPLE, "sources/cells.txt": TEXT})
    build(project.root, write=False)
    project.write({"sources/cells.txt": TEXT + "Cells made\tTwo\tFour\n"})
    result = build(project.root, write=False)
    assert reads == [".txt", ".txt"]
    assert [r.row.name for r in result.coverage.rows] == ["cells#divisions", "cells#cells-made"]
    assert len(list((project.root / ".deckwright-cache" / SUBFOLDER).iterdir())) == 1


def test_damaged_document_entry_is_read_again_not_fatal(project, reads):
    project.write({"cards/c.yaml": EXAMPLE, "sources/cells.txt": TEXT})
    build(project.root, write=False)
    (entry,) = (project.root / ".deckwright-cache" / SUBFOLDER).iterdir()
    entry.write_bytes(entry.read_bytes().replace(b"Divisions", b"Divisionz"))
    assert [r.row.name for r in build(project.root, write=False).coverage.rows] == [
        "cells#divisions"
    ]
    assert reads == [".txt", ".txt"]


def test_without_the_cache_every_document_is_read(project, reads):
    project.write({"cards/c.yaml": EXAMPLE, "sources/cells.txt": TEXT})
    build(project.root, write=False, use_cache=False)
    build(project.root, write=False, use_cache=False)
    assert reads == [".txt", ".txt"]
    assert not (project.root / ".deckwright-cache" / SUBFOLDER).exists()


def test_rows_not_split_stay_so_when_served_from_the_cache(project, reads):
    text = "Sensory Neuron Motor Neuron\nCarries signals to the brain Carries them to muscles\n"
    project.write(
        {
            "cards/c.yaml": EXAMPLE,
            "sources/n.txt": text + "Sits in a ganglion near the cord Sits in the cord itself\n",
        }
    )
    cold = build(project.root, write=False)
    warm = build(project.root, write=False)
    assert reads == [".txt"]
    assert [(r.row.split, r.row.cells) for r in warm.coverage.rows] == [
        (r.row.split, r.row.cells) for r in cold.coverage.rows
    ]
    assert [r.row.split for r in warm.coverage.rows] == [False, False]


def test_a_readers_warnings_are_given_again_from_the_cache(project, monkeypatch):
    from pathlib import Path

    from deckwright.errors import Location, Problem

    calls = []
    warning = Problem(Location(Path("sources/cells.txt"), 2, 3), "a reader's warning")

    def read_kind(path, body, rel):
        calls.append(path.name)
        return [], {"title": "T"}, [warning]

    monkeypatch.setattr(documents, "_read_kind", read_kind)
    project.write({"cards/c.yaml": EXAMPLE, "sources/cells.txt": TEXT})
    cold = build(project.root, write=False)
    warm = build(project.root, write=False)
    assert calls == ["cells.txt"]
    assert warning in cold.warnings
    assert warning in warm.warnings
    assert [d.title for d in warm.coverage.read] == ["T"]
