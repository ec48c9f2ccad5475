"""Words as the checks compare them: slugs, stop words, plurals. Each rule lives here once."""

from __future__ import annotations

import re

_NOT_WORD = re.compile(r"[\W_]+")
_NOT_ASCII_WORD = re.compile(r"[^a-z0-9]+")


def slugify(text: str, ascii_only: bool = False) -> str:
    """Lower case, every run of other characters made one `-`: how rows are named and matched.

    `ascii_only` for names that become file names and HTML ids, which must be plain ASCII."""
    pattern = _NOT_ASCII_WORD if ascii_only else _NOT_WORD
    return pattern.sub("-", text.lower()).strip("-")


def singular(word: str) -> str:
    """A lower-case word without a plural -s (`neurons` -> `neuron`; `class` kept)."""
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


# Words whose presence or absence does not change what a question asks (near-duplicates).
QUESTION_STOP_WORDS = frozenset(
    "a an the of in on at to for by with from into is are was were be been do does did"  # noqa: SIM905
    " what which who whose that this these those it its their there and or as".split()
)
# Words too common to say what a card is about (coverage hints: a card mentioning a row).
TOPIC_STOP_WORDS = frozenset(
    "the and for with from that this are was were has have had not but its into than then them"  # noqa: SIM905
    " they their which when where what who how does can may also more most less very each other"
    " such only both all any per via one two".split()
)
