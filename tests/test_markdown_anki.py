"""Markdown cards imported by the real Anki backend: each construct as Anki shows it, and decks
without Markdown unchanged to the byte."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import sqlite3
import zipfile
from pathlib import Path

import pytest

from deckwright.build import build
from deckwright.model.markdown_code import code_css
from deckwright.package.templates import CSS

CARDS = r"""
deck: Markdown
source: Lecture 1
markup: markdown
cards:
  - id: inline
    front: What is **bold** and *italic*?
    back: '`code` and ~~struck~~'
  - id: list
    front: Name two
    back: |
      - one
      - two
  - id: table
    front: A table
    back: |
      | a | b |
      | - | - |
      | 1 | 2 |
  - id: media
    front: '[Anki](https://apps.ankiweb.net) ![a heart](heart.svg)'
    back: '\(x^2\) and [sound:beat.mp3]'
  - id: code
    front: What does this print?
    back: |
      ```python
      print({1: 2})
      ```
  - id: cloze
    cloze: The **{{c1::mitral}}** valve has {{c2::two **cusps**::how *many*?}}
"""


@pytest.fixture
def markdown_deck(project):
    project.write({"cards/md.yaml": CARDS, "media/heart.svg": "<svg/>", "media/beat.mp3": b"ID3"})
    build(project.root)
    return project


def test_each_markdown_construct_reaches_anki_as_html(markdown_deck, anki):
    anki.import_apkg(markdown_deck.apkg())
    notes = anki.notes()
    digest = {
        name: hashlib.sha256((markdown_deck.root / "media" / name).read_bytes()).hexdigest()[:12]
        for name in ("heart.svg", "beat.mp3")
    }
    assert sorted(notes) == sorted(
        [
            "What is <strong>bold</strong> and <em>italic</em>?",
            "Name two",
            "A table",
            '<a href="https://apps.ankiweb.net">Anki</a>'
            f' <img src="{digest["heart.svg"]}-heart.svg" alt="a heart">',
            "What does this print?",
            "The <strong>{{c1::mitral}}</strong> valve has"
            " {{c2::two <strong>cusps</strong>::how <em>many</em>?}}",
        ]
    )
    backs = {first: note.fields[1] for first, note in notes.items()}
    assert backs["What is <strong>bold</strong> and <em>italic</em>?"] == (
        "<code>code</code> and <s>struck</s>"
    )
    assert backs["Name two"] == "<ul><li>one</li><li>two</li></ul>"
    assert backs["A table"] == (
        "<table><thead><tr><th>a</th><th>b</th></tr></thead>"
        "<tbody><tr><td>1</td><td>2</td></tr></tbody></table>"
    )
    assert backs["What does this print?"].startswith('<div class="highlight"><pre><span></span>')
    media_back = next(back for first, back in backs.items() if first.startswith("<a "))
    assert media_back == rf"\(x^2\) and [sound:{digest['beat.mp3']}-beat.mp3]"
    for card in anki.cards():
        front, back = card.note().fields[:2]
        if "{{c" in front or "[sound:" in back:
            continue  # Anki rewrites clozes and sounds as it shows them: see the tests below
        assert card.question().endswith(front)
        assert card.answer().endswith(
            f'{front}<hr id="answer">{back}<div class="source">Lecture 1</div>'
        )


def test_rendered_cards_show_question_and_answer(markdown_deck, anki):
    anki.import_apkg(markdown_deck.apkg())
    cards = {(card.note().fields[0], card.ord): card for card in anki.cards()}
    table = cards["A table", 0]
    assert table.question().endswith("A table")
    assert "<td>1</td><td>2</td>" in table.answer()
    code = cards["What does this print?", 0]
    assert '<span class="nb">print</span>' in code.answer()
    assert "&#123;" in code.answer()  # braces as entities: Anki's cloze parser never sees them
    media = next(card for (first, _), card in cards.items() if first.startswith("<a "))
    assert "[anki:play:a:0]" in media.answer()
    assert r"\(x^2\)" in media.answer()


def test_cloze_inside_emphasis_and_cloze_containing_emphasis_work_in_anki(markdown_deck, anki):
    anki.import_apkg(markdown_deck.apkg())
    (first,) = [c for c in anki.cards() if "mitral" in c.note().fields[0] and c.ord == 0]
    (second,) = [c for c in anki.cards() if "mitral" in c.note().fields[0] and c.ord == 1]
    assert re.search(
        r'<strong><span class="cloze"[^>]*>\[\.\.\.\]</span></strong>', first.question()
    )
    assert '<strong><span class="cloze" data-ordinal="1">mitral</span></strong>' in first.answer()
    assert ">[how <em>many</em>?]</span>" in second.question()
    assert '<span class="cloze" data-ordinal="2">two <strong>cusps</strong></span>' in (
        second.answer()
    )


def test_note_types_of_a_deck_with_code_carry_the_night_mode_code_rules(markdown_deck, anki):
    anki.import_apkg(markdown_deck.apkg())
    for model in anki.col.models.all():
        if model["name"].startswith("deckwright"):
            assert model["css"] == CSS + code_css()
            assert ".nightMode .highlight .k, .night_mode .highlight .k" in model["css"]


def _content(apkg: Path) -> str:
    """What the deck holds, independent of zlib's and SQLite's byte layout: note types, decks,
    notes, cards and media, as we write them."""
    with zipfile.ZipFile(apkg) as archive:
        media = archive.read("media")
        data = archive.read("collection.anki2")
    scratch = apkg.with_suffix(".check.anki2")
    scratch.write_bytes(data)
    connection = sqlite3.connect(scratch)
    try:
        models, decks = connection.execute("SELECT models, decks FROM col").fetchone()
        notes = connection.execute("SELECT * FROM notes ORDER BY id").fetchall()
        cards = connection.execute("SELECT * FROM cards ORDER BY id").fetchall()
    finally:
        connection.close()
        scratch.unlink()
    return json.dumps([json.loads(models), json.loads(decks), notes, cards, media.decode()])


# The shipped deck's content, built from the repository's files at FIXED_TIME: the same from the
# commit before Markdown (40ee48d) and from this one. If you change the shipped deck or its note
# types on purpose, put the new digest here.
SHIPPED_CONTENT = "a681250af26eedb2fa808df68d92271c3b4a9fe2937fd426325aa894751bab6a"


def test_shipped_deck_without_markup_keeps_its_content(tmp_path, monkeypatch):
    repo = Path(__file__).resolve().parents[1]
    root = tmp_path / "shipped"
    for name in ("cards", "sources"):
        shutil.copytree(repo / name, root / name)
    shutil.copy(repo / "deckwright.lock", root / "deckwright.lock")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    result = build(root, use_cache=False)
    digest = hashlib.sha256(_content(root / result.output).encode()).hexdigest()
    assert digest == SHIPPED_CONTENT


def test_saying_markup_html_changes_no_byte(example, tmp_path):
    build(example.root)
    before = example.apkg().read_bytes()
    text = (example.root / "cards/cells.yaml").read_text()
    example.write({"cards/cells.yaml": text.replace("cards:\n", "markup: html\ncards:\n", 1)})
    example.write({"deckwright.toml": 'markup = "html"\n'})
    build(example.root)
    assert example.apkg().read_bytes() == before
