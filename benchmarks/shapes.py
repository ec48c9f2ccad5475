"""The benchmark matrix's corpora: the current one and eight other shapes real decks take.

Each shape is a list of card files (`CardFile`), and both sides are made from it: `yaml_text()`
for deckwright, the notes themselves for raw genanki (raw_genanki.py), so the two write the
same notes. Sizes are 50,000 notes (`--quick`: 5,000), but for long HTML fields (10,000: 2 KB a
back makes 100 MB of YAML at 50,000).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

from corpus import WORDS, Note, notes

COUNTRIES = "France Spain Italy Peru Chile Kenya Egypt Japan Nepal Ghana Cuba Oman".split()  # noqa: SIM905


@dataclass(frozen=True)
class CardFile:
    path: str  # under cards/
    deck: str
    notes: list[Note]
    tags: tuple[str, ...] = ("bench",)
    source: str = ""  # the file's `source:`; empty: none
    ids: bool = True
    quote: str = ""  # '"' or "'": every value written quoted
    newline: str = "\n"

    def yaml_text(self) -> str:
        q = self.quote
        head = f"deck: {q}{self.deck}{q}\ntags: [{', '.join(self.tags)}]\n"
        if self.source:
            head += f"source: {q}{self.source}{q}\n"
        body = "".join(self._card(note) for note in self.notes)
        return (head + "cards:\n" + body).replace("\n", self.newline)

    def _card(self, note: Note) -> str:
        q = self.quote
        lines = [f"id: {note.id}"] if self.ids else []
        if note.cloze:
            lines += [f"cloze: {q}{note.cloze}{q}", f"extra: {q}{note.extra}{q}"]
        else:
            lines += [f"front: {q}{note.front}{q}", f"back: {q}{note.back}{q}", "reverse: true"]
        return "  - " + "\n    ".join(lines) + "\n"


@dataclass(frozen=True)
class Shape:
    name: str
    files: Callable[[int], list[CardFile]]  # from the number of notes
    notes: int = 50_000
    quick: int = 5_000
    label: str = field(default="")


def _current(total: int, per_file: int = 1_000, sources: bool = True, **options) -> list[CardFile]:
    count = max(1, total // per_file)
    return [
        CardFile(
            f"topic-{number:04d}.yaml",
            f"Bench::Topic {number:02d}",
            list(notes(number, min(per_file, total))),
            ("bench", f"topic{number:02d}"),
            f"Bench course, chapter {number:02d}" if sources else "",
            **options,
        )
        for number in range(count)
    ]


def _templated(total: int) -> list[CardFile]:
    """Fronts from two templates: a numbered question, and one with a spelling variant (so
    thousands of cards ask the same few questions)."""
    files = []
    for number in range(total // 1_000):
        made = []
        for n in range(1_000):
            key = number * 1_000 + n
            if n % 2:
                front = f"Question {key} - what is the capital of {COUNTRIES[key % 12]}?"
            else:
                spelt = "fibre" if n % 4 else "fiber"
                front = f"Which {spelt} does the {WORDS[key % len(WORDS)]} reach?"
            made.append(Note(f"q{key}", "", front=front, back=f"Answer {key}"))
        files.append(CardFile(f"t{number:03d}.yaml", f"Templated::Part {number:02d}", made))
    return [replace(file, source="Atlas") for file in files]


def _long_html(total: int) -> list[CardFile]:
    files = _current(total, per_file=200)
    padding = "".join(f"<b>{word}</b> <i>{word}</i> and " for word in WORDS * 3)
    return [
        replace(f, notes=[replace(n, back=padding[:2_000] + n.back) for n in f.notes])
        for f in files
    ]


def _deep(total: int) -> list[CardFile]:
    files = _current(total, per_file=500)
    return [
        replace(
            file,
            path=f"{'/'.join(f'level{(number >> bit) & 1}' for bit in range(6))}/f{number}.yaml",
            deck="::".join(f"Level {(number >> bit) & 1}" for bit in range(6)) + f"::F{number}",
        )
        for number, file in enumerate(files)
    ]


SHAPES = [
    Shape("current corpus", _current),
    Shape("templated fronts", _templated),
    Shape("double-quoted", lambda total: _current(total, quote='"')),
    Shape("single-quoted", lambda total: _current(total, quote="'")),
    Shape("no ids, no sources", lambda total: _current(total, ids=False, sources=False)),
    Shape("one file of 50k", lambda total: _current(total, per_file=total)),
    Shape("2,000 files of 25", lambda total: _current(total, per_file=25)),
    Shape("2 KB HTML backs", _long_html, notes=10_000, quick=2_000),
    Shape("CRLF line ends", lambda total: _current(total, newline="\r\n")),
    Shape("deep deck tree", _deep),
]


def shape_files(name: str, quick: bool) -> list[CardFile]:
    shape = next(shape for shape in SHAPES if shape.name == name)
    return shape.files(shape.quick if quick else shape.notes)
