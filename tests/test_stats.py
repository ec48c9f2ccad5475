"""`build-deck stats`: notes and cards per deck and kind, tags, media, unused media."""

from __future__ import annotations

from typer.testing import CliRunner

from deckwright.cli.app import app

runner = CliRunner()


def test_stats_counts_notes_and_cards_per_deck_and_kind(example):
    example.write(
        {
            "cards/more.yaml": "deck: Biology::Genes\ncards:\n  - id: dna\n"
            "    cloze: '{{c1::DNA}} is read into {{c2::RNA}}'\n    tags: [bio]\n",
            "media/unused.png": b"png",
        }
    )
    result = runner.invoke(app, ["stats", str(example.root)])
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "deck            kind      notes  cards\n"
        "Biology::Cells  pair          1      1\n"
        "                reversed      1      2\n"
        "                cloze         1      2\n"
        "Biology::Genes  cloze         1      2\n"
        "total                         4      7\n"
        "\n"
        "tags: bio (4), bio::organelles (1)\n"
        "media: none\n"
        "not used by any card (left out of the deck): media/unused.png\n"
        "0/0 comparison rows covered\n"
    )
    assert not (example.root / "dist").exists()


def test_stats_lists_media_largest_first(project):
    project.write(
        {
            "cards/a.yaml": "deck: D\ncards:\n  - id: x\n    front: <img src='a.png'>\n"
            "    back: |\n      [sound:b.mp3]\n",
            "media/a.png": b"x" * 10,
            "media/b.mp3": b"x" * 2500,
        }
    )
    result = runner.invoke(app, ["stats", str(project.root)])
    assert result.stdout.endswith(
        "tags: none\nmedia: 2 files, 3 kB\n        2 kB  media/b.mp3\n    10 bytes  media/a.png\n"
        "0/0 comparison rows covered\n"
    )
