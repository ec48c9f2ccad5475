"""The card model: plain data that every later stage reads (validated by validate.py).

Cards are made by the tens of thousands in a large build and kept to its end, so they are
slotted, and the lines of their keys are a layout shared between cards.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from deckwright.errors import Location, Problem

HTML_FIELDS = ("front", "back", "cloze", "extra", "source")  # the texts that become a note's HTML


@dataclass(frozen=True)
class Cover:
    """A comparison row a card says it covers, as written, with where it was written."""

    ref: str
    where: Location


@dataclass(slots=True)  # not frozen: a frozen dataclass takes five times as long to make
class Card:
    where: Location  # the line of the card's first key
    deck: str
    front: str = ""  # pairs only
    back: str = ""  # pairs only
    reverse: bool = False
    cloze: str = ""  # clozes only
    extra: str = ""
    id: str | None = None
    tags: tuple[str, ...] = ()
    covers: tuple[Cover, ...] = ()
    source: str = ""  # the card's own `source:`, else its file's
    own_source: bool = False  # set by the card itself, so it wins over a document's citation
    # Each key of the card in file order, and how many lines below `where` it is written: the
    # same few layouts serve every card of a deck (see `layout`), where a dict of lines per card
    # would cost a large deck tens of megabytes.
    lines: tuple[tuple[str, ...], tuple[int, ...]] = ((), ())
    guid: str = ""  # the Anki GUID of a note brought in by `build-deck import`
    note_type: str = ""  # its file's Anki note type (note_types.py), else ours

    @property
    def field_lines(self) -> dict[str, int]:
        """The line of each key, for reporting at the field concerned."""
        names, offsets = self.lines
        return {
            name: self.where.line + offset for name, offset in zip(names, offsets, strict=False)
        }

    def at(self, field: str) -> Location:
        """Where a warning about one field points: its line, or the card's if it has none."""
        return Location(self.where.path, self.field_lines.get(field, self.where.line))

    @property
    def cites_documents(self) -> bool:
        """Whether its source is the citation of the documents it covers (coverage.source_for)."""
        return bool(self.covers) and not self.own_source

    @property
    def kind(self) -> str:
        """'cloze', 'reversed' or 'pair': what was asked for, and so how many cards it makes."""
        if self.cloze:
            return "cloze"
        return "reversed" if self.reverse else "pair"

    @property
    def question(self) -> str:
        """The text that identifies the card to a reader: its front, or its cloze text."""
        return self.cloze or self.front


@dataclass
class Checked:
    cards: list[Card] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


_LAYOUTS: dict[tuple, tuple] = {}


def layout(names: tuple[str, ...], offsets: tuple[int, ...]) -> tuple:
    """One shared object per distinct layout of keys and lines (Card.lines)."""
    if len(_LAYOUTS) > 10_000:  # a long `watch` session must not grow without end
        _LAYOUTS.clear()
    found = (names, offsets)
    return _LAYOUTS.setdefault(found, found)
