"""A rebuild after one edit lints that card's file and compares that card's questions only:
counted, not timed."""

from deckwright.build import build
from deckwright.incremental import per_file as parse
from deckwright.lint import near_duplicates as duplicates


def _name(n: int, k: int) -> str:
    return f"x{chr(97 + n)}{chr(97 + k)}"


def deck(files: int, cards: int) -> dict[str, str]:
    return {
        f"cards/f{n:02d}.yaml": "deck: T\nsource: Book\ncards:\n"
        + "".join(
            f"  - id: c{n}-{k}\n    front: What is the capital of land {_name(n, k)} here?\n"
            f"    back: City {k}\n"
            for k in range(cards)
        )
        for n in range(files)
    }


def test_rebuild_after_one_edit_lints_and_compares_for_that_card(project, monkeypatch):
    files = deck(20, 25)
    project.write(files)
    build(project.root, write=False)
    linted = []

    def counting(cards):
        linted.extend(cards)
        return card_warnings(cards)

    card_warnings = parse.card_warnings
    monkeypatch.setattr(parse, "card_warnings", counting)
    edited = files["cards/f03.yaml"].replace("land xdh here", "the land xdh here")
    project.write({"cards/f03.yaml": edited})
    duplicates.WORK.clear()
    assert build(project.root, write=False).warnings == []
    assert {card.where.path.name for card in linted} == {"f03.yaml"}
    assert len(linted) == 25  # the edited file's cards, not the deck's 500
    assert duplicates.WORK["read"] <= 2  # the edited question, compared both ways at most
