"""A large card file read in pieces gives what reading it whole gives, and an edit re-reads one."""

from pathlib import Path

import pytest

from deckwright.build import build
from deckwright.incremental import per_file
from deckwright.model.validate import check_file
from deckwright.read import pieces
from deckwright.read.yaml_reader import parse_plain

REL = Path("cards/big.yaml")


def card(n: int, problems: bool = True) -> str:
    """Cards in the shapes a long file mixes: plain, quoted, blocks, comments, lists, errors."""
    shapes = [
        f"    front: What is {n} times two?\n    back: '{2 * n}'\n",
        f"    cloze: The {{{{c1::number {n}}}}} comes first\n    tags: [t{n}]\n",
        f'    front: "Name {n}"\n    back: |\n      line one of {n}\n\n      line two\n',
        f"    front: Long {n}\n    back: >-\n      folded {n}\n      text\n    reverse: true\n",
        # A problem, located in whichever piece holds it.
        f"    front: Missing back {n}\n" if problems else f"    front: Back {n}\n    back: b\n",
        f"    front: Sourced {n}\n    back: a, b, c, d, e, f, g, h and i\n    source: p. {n}\n",
    ]
    comment = f"  # part {n}\n\n" if n % 7 == 0 else ""
    return f"{comment}  - id: c{n}\n" + shapes[n % len(shapes)]


def big_file(
    count: int, head: str = "deck: Big::Deck\ntags: [big]\n# a comment\n", problems: bool = True
) -> str:
    return head + "cards:\n" + "".join(card(n, problems) for n in range(count))


def whole_and_pieces(text: str) -> tuple:
    whole = check_file(parse_plain(text, REL))
    parts = pieces.cut(text)
    assert parts and len(parts) > 3
    cards, problems, warnings = [], [], []
    for number, piece in enumerate(parts):
        checked = check_file(pieces.read(piece, REL))
        cards += checked.cards
        header = number and piece.header
        problems += [p for p in checked.problems if p.where.line > header]
        warnings += [p for p in checked.warnings if p.where.line > header]
    return (whole.cards, whole.problems, whole.warnings), (cards, problems, warnings)


@pytest.fixture
def small_pieces(monkeypatch):
    monkeypatch.setattr(pieces, "MAX_FILE_BYTES", 0)
    monkeypatch.setattr(pieces, "PIECE_CHARS", 300)


@pytest.mark.parametrize(
    "head",
    [
        "deck: Big::Deck\ntags: [big]\n# a comment\n",
        "deck: 'Quoted'\nsource: The book\ntags: [one, two]\n",
        "# starts with a comment\n\ndeck: D\n",
    ],
)
def test_the_pieces_give_the_cards_problems_and_places_the_whole_file_gives(small_pieces, head):
    whole, cut = whole_and_pieces(big_file(60, head))
    assert whole[1], "the file has problems, so their places are compared too"
    assert cut == whole


def test_cards_at_the_first_column_are_cut_too(small_pieces):
    text = big_file(60).replace("\n  ", "\n")
    whole, cut = whole_and_pieces(text)
    assert cut == whole


@pytest.mark.parametrize(
    "text",
    [
        big_file(60) + "note_type: x\n",  # a key after the cards
        big_file(60).replace("  - front: Long 9\n", "  -  front: Long 9\n", 1)
        + " - front: shallower\n",
        "deck: D\n" + big_file(60)[len("deck: Big::Deck\n") :].replace("cards:", "cards: []"),
        "deck: D\n",
    ],
    ids=["key after the cards", "a line less indented", "cards on the same line", "no cards"],
)
def test_a_file_is_read_whole_when_its_cards_cannot_be_cut_safely(small_pieces, text):
    assert pieces.cut(text) is None


def test_small_files_are_read_whole():
    assert pieces.cut(big_file(60)) is None


@pytest.fixture
def large_project(project, monkeypatch):
    monkeypatch.setattr(per_file, "MAX_FILE_BYTES", 0)
    monkeypatch.setattr(pieces, "MAX_FILE_BYTES", 0)
    monkeypatch.setattr(pieces, "PIECE_CHARS", 2_000)
    project.write({"cards/big.yaml": big_file(300, problems=False)})
    return project


def test_a_rebuild_after_one_edited_card_reads_only_its_piece(large_project, monkeypatch):
    read = []
    real = pieces.read
    monkeypatch.setattr(pieces, "read", lambda piece, rel: read.append(piece) or real(piece, rel))
    first = build(large_project.root, write=False)
    count = len(read)
    assert count > 10
    path = large_project.root / "cards/big.yaml"
    path.write_text(path.read_text().replace("What is 240 times", "What is 240 x"))

    again = build(large_project.root, write=False)

    assert len(read) == count + 1
    assert [c.front for c in again.cards] == [
        c.front.replace("240 times", "240 x") for c in first.cards
    ]


def test_a_piece_the_plain_reader_declines_makes_the_file_read_whole(large_project, monkeypatch):
    path = large_project.root / "cards/big.yaml"
    path.write_text(path.read_text().replace("front: Long 99\n", "front: &anchor Long 99\n"))
    declined = []
    real = pieces.read
    monkeypatch.setattr(
        pieces, "read", lambda piece, rel: real(piece, rel) or declined.append(piece)
    )

    cut = build(large_project.root, write=False, use_cache=False)

    assert len(declined) == 1
    monkeypatch.setattr(per_file, "MAX_FILE_BYTES", 10**9)  # never cut
    assert cut.cards == build(large_project.root, write=False, use_cache=False).cards
    assert len(cut.cards) == 300
