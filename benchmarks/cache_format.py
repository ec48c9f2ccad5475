"""Why cache entries are columnar: decoding the benchmark corpus's cards, columnar vs row-wise.

Usage (from the repository, with deckwright installed in the running Python):

    python benchmarks/cache_format.py

A row-wise entry (one JSON list per card, each value type-checked as it is read, one Card made
per row) is the plain design the columnar one replaced. Both decode the same 49,000 cards in the
same process; CPU time, median of 7.
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import FILES, file_yaml

from deckwright.errors import Location
from deckwright.incremental import cache_entry
from deckwright.incremental.per_file import _parse
from deckwright.model.cards import Card, Cover, layout


def row_wise(cards: list[Card]) -> bytes:
    rows = [
        [c.where.line, c.where.column, c.deck, c.front, c.back, c.reverse, c.cloze, c.extra, c.id,
         list(c.tags), [[v.ref, v.where.line, v.where.column] for v in c.covers], c.source,
         c.own_source, [list(c.lines[0]), list(c.lines[1])]]
        for c in cards
    ]  # fmt: skip
    return json.dumps(rows, ensure_ascii=False).encode()


def _typed(value, kind: type):
    if type(value) is not kind:
        raise TypeError("not a cache entry")
    return value


def from_rows(data: bytes, rel: Path) -> list[Card]:
    cards = []
    for row in json.loads(data):
        (
            line,
            column,
            deck,
            front,
            back,
            reverse,
            cloze,
            extra,
            id_,
            tags,
            covers,
            source,
            own,
            at,
        ) = row
        for value, kind in (
            (line, int),
            (column, int),
            (deck, str),
            (front, str),
            (back, str),
            (reverse, bool),
            (cloze, str),
            (extra, str),
            (source, str),
            (own, bool),
        ):
            _typed(value, kind)  # fmt: skip
        if id_ is not None:
            _typed(id_, str)
        cards.append(
            Card(
                Location(rel, line, column), deck, front, back, reverse, cloze, extra, id_,
                tuple(_typed(tag, str) for tag in tags),
                tuple(Cover(_typed(r, str), Location(rel, _typed(n, int), _typed(c, int)))
                      for r, n, c in covers),
                source, own, layout(tuple(map(str, at[0])), tuple(map(int, at[1]))),
            )
        )  # fmt: skip
    return cards


def from_columns(data: bytes, rel: Path) -> list[Card]:
    """The cards part of cache_entry._decode (the notes part is the same work in both designs)."""
    stored = json.loads(data)[0]
    lines = cache_entry._all(stored[0], int)
    places, *values = (
        cache_entry._column(raw, load, shared, rel, len(lines))
        for raw, (load, shared) in zip(stored[1:], cache_entry._LOADS, strict=True)
    )
    return list(map(Card, cache_entry._places(rel, lines, places), *values))


def main() -> None:
    root = Path(tempfile.mkdtemp(prefix="deckwright-cache-format-"))
    (root / "cards").mkdir()
    rels = []
    for number in range(FILES):
        rel = Path("cards") / f"topic-{number:02d}.yaml"
        (root / rel).write_text(file_yaml(number), encoding="utf-8")
        rels.append(rel)
    parsed = [_parse(root / rel, root) for rel in rels]
    columns = [
        cache_entry.encode(p.checked, p.notes, p.linted, rel)
        for p, rel in zip(parsed, rels, strict=True)
    ]
    rows = [row_wise(p.checked.cards) for p in parsed]
    for p, rel, a, b in zip(parsed, rels, columns, rows, strict=True):
        assert from_columns(a, rel) == from_rows(b, rel) == p.checked.cards
    count = sum(len(p.checked.cards) for p in parsed)
    timings = {}
    for name, decode, entries in (
        ("columnar", from_columns, columns),
        ("row-wise", from_rows, rows),
    ):
        seen = []
        for _ in range(7):
            start = time.process_time()
            for data, rel in zip(entries, rels, strict=True):
                decode(data, rel)
            seen.append(time.process_time() - start)
        timings[name] = statistics.median(seen)
        size = sum(map(len, entries)) / 1e6
        print(f"{name:9} {timings[name]:.3f} s CPU for {count} cards ({size:.1f} MB of entries)")
    print(f"row-wise / columnar: {timings['row-wise'] / timings['columnar']:.1f}x")


if __name__ == "__main__":
    main()
