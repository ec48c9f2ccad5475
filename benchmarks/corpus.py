"""The benchmark's corpus: 50 card files x 1,000 notes, as YAML for deckwright and for genanki.

Both sides get their notes from `notes()`, so the raw genanki baseline writes exactly what
deckwright builds from the YAML. Half the notes are reversed pairs, half clozes with 3
deletions. Every file has a `source:` and every question is distinct, as in a real course deck;
made from 23 words, its questions differ only by their chapter and case numbers, which the lint
reports in one line (shapes.py has the other shapes of the matrix).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

FILES = 50
NOTES_PER_FILE = 1_000
_TEXT = (
    "axon dendrite synapse myelin neuron ganglion receptor cortex cerebellum thalamus plexus reflex"
    " tendon spindle fibre motor sensory efferent afferent lesion atrophy tone clonus"
)
WORDS = _TEXT.split()


@dataclass(frozen=True)
class Note:
    id: str
    deck: str
    front: str = ""
    back: str = ""
    cloze: str = ""
    extra: str = ""


def deck_name(file_number: int) -> str:
    return f"Bench::Topic {file_number:02d}"


def _word(n: int) -> str:
    return WORDS[n % len(WORDS)]


def notes(file_number: int, count: int = NOTES_PER_FILE) -> Iterator[Note]:
    """The notes of one file: even ones reversed pairs, odd ones clozes with c1, c2 and c3."""
    deck = deck_name(file_number)
    for n in range(count):
        key = file_number * 100_003 + n * 7
        card_id = f"t{file_number:02d}-n{n:04d}"
        if n % 2 == 0:
            yield Note(
                card_id,
                deck,
                front=(
                    f"What links the {_word(key)} to the {_word(key + 3)}"
                    f" in chapter {file_number} case {n}?"
                ),
                back=f"The {_word(key + 5)} of the {_word(key + 7)} in {file_number}.{n}",
            )
        else:
            yield Note(
                card_id,
                deck,
                cloze=(
                    f"In chapter {file_number} case {n} the {{{{c1::{_word(key)}}}}} reaches the"
                    f" {{{{c2::{_word(key + 2)}}}}} through the {{{{c3::{_word(key + 4)}}}}}."
                ),
                extra=f"Compare the {_word(key + 6)}.",
            )


def card_yaml(note: Note) -> str:
    if note.cloze:
        return f"  - id: {note.id}\n    cloze: {note.cloze}\n    extra: {note.extra}\n"
    return f"  - id: {note.id}\n    front: {note.front}\n    back: {note.back}\n    reverse: true\n"


def source(file_number: int) -> str:
    """Every card of a file cites it, as a real deck does (and as the lint asks)."""
    return f"Bench course, chapter {file_number:02d}"


def file_yaml(file_number: int) -> str:
    head = (
        f"deck: {deck_name(file_number)}\ntags: [bench, topic{file_number:02d}]\n"
        f"source: {source(file_number)}\ncards:\n"
    )
    return head + "".join(card_yaml(note) for note in notes(file_number))


def file_tags(file_number: int) -> list[str]:
    return ["bench", f"topic{file_number:02d}"]
