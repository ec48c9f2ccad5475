"""A large card file read in pieces: the keys above `cards:`, with one run of cards each.

A generated deck is often one file of tens of thousands of cards. Read and cached whole, one
edited card costs a rebuild the whole file; read in pieces, the piece holding that card. Each
piece is a card file of its own (the file's header, then its cards), read by the plain reader
with the file's own line numbers, so it gives the very cards, problems and places the whole
file gives. Only a file whose list of cards is plain enough to cut safely is cut: every line
after `cards:` starts a card (`- ` at the list's indentation), is deeper, blank or a comment.
Anything else, and any piece the plain reader declines, and the file is read whole.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

from deckwright.read import plain_yaml
from deckwright.read.raw import MAX_FILE_BYTES, RawMap

PIECE_CHARS = 200_000  # about 1,500 cards: a piece is read in a few hundredths of a second

_CARDS = re.compile(r"^cards:[ ]*(?:#.*)?\n", re.MULTILINE)
_FIRST_ITEM = re.compile(r"^( *)- ", re.MULTILINE)
_OTHER_LINE = re.compile(r"^[ ]*[^ \n#]", re.MULTILINE)


@dataclass(frozen=True)
class Piece:
    """Some of a file's cards as a card file: its header lines, then lines that stand `shift`
    lines further down in the file."""

    text: str
    header: int  # lines before the cards, `cards:` included
    shift: int


def cut(text: str) -> list[Piece] | None:
    """The pieces of a large file's text (LF line ends), in order; None to read it whole."""
    if len(text) <= MAX_FILE_BYTES:
        return None
    cards = _CARDS.search(text)
    if cards is None:
        return None
    body = cards.end()
    first = _FIRST_ITEM.search(text, body)
    if first is None or _OTHER_LINE.search(text, body, first.start()):
        return None  # something other than comments between `cards:` and the first card
    indent = first.group(1)
    card = f"\n{indent}- "
    # Each line break must start a card, a line deeper in, a comment or a blank line. (Patterns
    # that start with a line break are searched several times as fast as `^` ones.)
    deeper = " " * (len(indent) + 1)
    other = re.compile(rf"\n(?!{indent}- |{deeper}|[ ]*#|[ ]*(?:\n|$))")
    if other.search(text, first.start() - 1):
        return None
    cuts = [body]
    while (found := text.find(card, cuts[-1] + PIECE_CHARS - 1)) >= 0:
        cuts.append(found + 1)
    if len(cuts) < 2:
        return None
    header, lines = text[:body], text.count("\n", 0, body)
    pieces, shift = [], 0
    for start, end in pairwise([*cuts, len(text)]):
        pieces.append(Piece(header + text[start:end], lines, shift))
        shift += text.count("\n", start, end)
    return pieces


def read(piece: Piece, rel: Path) -> RawMap | None:
    """A piece's values, marked with the file's lines; None when the plain reader declines."""
    return plain_yaml.parse(piece.text, rel, piece.header, piece.shift)
