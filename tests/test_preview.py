"""The preview page: every card rendered as Anki renders it, and no card text able to run script."""

from __future__ import annotations

import base64
import hashlib
import html
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import CliRunner

from deckwright.build import BuildResult, build
from deckwright.cli.app import app
from deckwright.errors import Location
from deckwright.model.cards import Card
from deckwright.package.notes import note_row
from deckwright.preview.page import page, plain_text, render_cards
from tests.conftest import Project

CARDS = """\
deck: Neuro::Motor
tags: [neuro::motor]
cards:
  - id: umn-site
    front: Where are <b>upper</b> motor neuron cell bodies?
    back: Cortex and brainstem
    reverse: true
  - id: lmn-target
    front: Lower motor neurons end in?
    back: Skeletal muscle
    tags: [clinical]
  - id: atrophy
    cloze: "LMN loss causes {{c1::atrophy::muscle change}} and {{c2::fasciculations}}."
    extra: UMN lesions do not.
source: Lecture 3
"""


@pytest.fixture
def motor(project: Project) -> Path:
    project.write({"cards/motor.yaml": CARDS})
    return project.root


class _Page(HTMLParser):
    """The page's own elements: card HTML sits inside srcdoc attributes, so it is not seen here."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"
        if self._in_script:
            self.scripts.append("")

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts[-1] += data


def parse(text: str) -> _Page:
    parser = _Page()
    parser.feed(text)
    parser.close()
    return parser


def frames(text: str) -> list[str]:
    """The documents of the card frames, in page order (question, answer, question, ...)."""
    return [str(attrs["srcdoc"]) for tag, attrs in parse(text).tags if tag == "iframe"]


def test_preview_shows_every_card_of_every_kind_when_built(motor: Path) -> None:
    text = page(build(motor, write=False))
    articles = [attrs for tag, attrs in parse(text).tags if tag == "article"]
    assert len(articles) == 5  # pair + reversed (2) + cloze with two deletions (2)
    assert len(frames(text)) == 10
    assert "Front to back" in text and "Back to front" in text and "Cloze 2" in text
    assert "cards/motor.yaml:4" in text and "cards/motor.yaml:12" in text
    assert 'data-tags="neuro::motor clinical"' in text
    assert "4 notes" not in text and "3 notes (1 pair, 1 reversed, 1 cloze) -&gt; 5 cards" in text


def test_cloze_is_hidden_on_the_question_and_shown_on_the_answer(motor: Path) -> None:
    result = build(motor, write=False)
    first, second = render_cards(result.notes[2])
    assert "[muscle change]" in first.question and "atrophy" not in plain_text(first.question)
    assert '<span class="cloze" data-ordinal="1">atrophy</span>' in first.answer
    assert '<span class="cloze-inactive" data-ordinal="2">fasciculations</span>' in first.question
    assert "[...]" in second.question and "fasciculations" not in plain_text(second.question)
    assert plain_text(second.answer) == (
        "LMN loss causes atrophy and fasciculations. UMN lesions do not. Lecture 3"
    )


def test_bold_in_a_field_is_bold_in_its_frame_and_nowhere_else(motor: Path) -> None:
    text = page(build(motor, write=False))
    question = frames(text)[0]
    assert "Where are <b>upper</b> motor neuron cell bodies?" in question
    assert '<body class="card card1">' in question
    assert not [tag for tag, _ in parse(text).tags if tag == "b"]  # only inside the frame
    assert "&lt;b&gt;upper&lt;/b&gt;" in text  # escaped into the srcdoc attribute


def hostile_result() -> BuildResult:
    """Cards that model.py would refuse, built directly: the preview must be safe on its own."""
    payloads = [
        "<script>parent.pwned = 1</script>",
        '<img src="x" onerror="parent.pwned = 1">',
        '"></iframe><script>pwned = 1</script>',
        "</article></main><script>pwned = 1</script><!--",
        "{{c1::<svg onload=parent.pwned=1>}} </textarea></style></title>",
    ]
    cards = [
        Card(
            Location(Path(f'cards/"><script>pwned=1</script>{i}.yaml'), i + 1),
            deck="<script>pwned=1</script>",
            front=payload,
            back=payload,
            reverse=True,
            id=f'"><script>pwned=1</script>{i}',
            tags=(f'"><script>pwned=1</script>{i}',),
        )
        for i, payload in enumerate(payloads)
    ]
    cards.append(Card(Location(Path("cards/c.yaml"), 9), deck="d", cloze=payloads[-1]))
    notes = [note_row(card, f"g{i}", payloads[1]) for i, card in enumerate(cards)]
    return BuildResult(cards, notes, card_count=11)


def test_card_text_cannot_inject_script_into_the_page() -> None:
    text = page(hostile_result())
    parsed = parse(text)
    assert [tag for tag, _ in parsed.tags].count("script") == 1  # the page's own
    assert not [
        (tag, name) for tag, attrs in parsed.tags for name in attrs if name.startswith("on")
    ]
    iframes = [attrs for tag, attrs in parsed.tags if tag == "iframe"]
    assert len(iframes) == 22  # 5 reversed pairs and a cloze: 11 cards, two sides each
    assert {attrs["sandbox"] for attrs in iframes} == {"allow-same-origin"}  # never allow-scripts
    assert "pwned" not in parsed.scripts[0]
    policy = next(
        attrs["content"] for tag, attrs in parsed.tags if tag == "meta" and attrs.get("http-equiv")
    )
    digest = base64.b64encode(hashlib.sha256(parsed.scripts[0].encode()).digest()).decode()
    assert policy == (
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:;"
        f" script-src 'sha256-{digest}'"
    )


def test_card_frames_carry_the_note_type_css_and_no_outside_resources(motor: Path) -> None:
    text = page(build(motor, write=False))
    assert all(".nightMode .cloze, .night_mode .cloze" in doc for doc in frames(text))
    assert not re.search(r"(src|href)=\"?(https?:)?//", text)
    assert not re.search(r"@import|url\(", text)


def test_preview_is_the_same_text_for_the_same_cards(motor: Path) -> None:
    assert page(build(motor, write=False)) == page(build(motor, write=False))


def test_warnings_are_shown_beside_their_card(motor: Path) -> None:
    cards = CARDS.replace("  - id: lmn-target\n", "  -\n")
    (motor / "cards" / "motor.yaml").write_text(cards, encoding="utf-8")
    text = page(build(motor, write=False))
    notes = text.split('<div class="note" id="note-')[1:]
    linted = [note for note in notes if '<ul class="lint">' in note]
    assert len(notes) == 3 and len(linted) == 1
    assert linted[0].startswith("lower-motor-neurons-end-in-")
    lint = re.search(r'<ul class="lint"><li>(.*?)</li>', linted[0])
    assert lint and html.unescape(lint.group(1)).startswith("1 card(s) have no `id` (lines 9)")


def test_preview_command_writes_the_page_and_not_the_deck(motor: Path) -> None:
    result = CliRunner().invoke(app, ["preview", str(motor)])
    assert result.exit_code == 0, result.output
    assert result.output == (
        "wrote dist/preview.html: 3 notes (1 pair, 1 reversed, 1 cloze) -> 5 cards in 1 deck\n"
        "0/0 comparison rows covered\n"
    )
    assert (motor / "dist" / "preview.html").read_text(encoding="utf-8").startswith("<!DOCTYPE")
    assert not list((motor / "dist").glob("*.apkg"))


def test_preview_command_writes_nothing_when_a_card_is_broken(motor: Path) -> None:
    (motor / "cards" / "motor.yaml").write_text(CARDS.replace("    back: Skeletal muscle\n", ""))
    result = CliRunner().invoke(app, ["preview", str(motor)])
    assert result.exit_code == 1
    assert "cards/motor.yaml:8:5: this card has no `back`: add `back: ...`" in result.output
    assert not (motor / "dist" / "preview.html").exists()


DOCUMENT = """\
---
title: Motor neurons compared
---
| Feature | Upper motor neuron | Lower motor neuron |
| --- | --- | --- |
| Location | Brain and brainstem | Spinal cord |
| Target | Lower motor neurons | Skeletal muscle |
"""


def covered_project(project: Project) -> Path:
    """One row covered by `lmn-target`, one not."""
    cards = CARDS.replace(
        "    tags: [clinical]\n", "    tags: [clinical]\n    covers: [motor#target]\n"
    )
    project.write({"cards/motor.yaml": cards, "sources/motor.md": DOCUMENT})
    return project.root


@pytest.fixture
def covered(project: Project) -> Path:
    return covered_project(project)


def test_coverage_table_links_covering_cards_and_suggests_cards_for_the_rest(covered: Path):
    text = page(build(covered, write=False))
    section = text.split('<section id="coverage">')[1].split("</section>")[0]
    assert "<p>1/2 comparison rows covered</p>" in section
    assert "<h3>sources/motor.md</h3>" in section
    rows = re.findall(r'<tr class="(\w+)"><td><code>([^<]+)</code>', section)
    assert rows == [("uncovered", "motor#location"), ("covered", "motor#target")]
    assert 'covered by <a href="#note-lmn-target">lmn-target</a>' in section
    suggestion = re.search(r"<pre>(.*?)</pre>", section, re.DOTALL)
    assert suggestion and "covers: [motor#location]" in html.unescape(suggestion.group(1))


TRICKY = r"""
deck: Tricky::Sub deck
source: Lecture 3 — <i>slides</i>
cards:
  - id: pair-html
    front: "What is <b>bold</b> &amp; <i>why</i>?"
    back: |
      Two lines,
      é and 'quotes'
    extra: An <u>extra</u>
    reverse: true
  - id: nested
    cloze: 'A {{c1::one::a <i>hint</i>}}, {{c2::it''s <b>two</b> & more}}, {{c1::again}},
      {{c3::outer {{c4::inner}} end}} and \(\frac{1}{2}\).'
  - id: math
    cloze: 'Math {{c1::\(x^{2}\)}} stays TeX.'
    source: ""
"""


def _shown_by_anki(html_text: str) -> str:
    return re.sub(r"<style>.*?</style>", "", html_text, flags=re.DOTALL)


def test_preview_shows_exactly_what_anki_shows(project: Project, anki) -> None:
    project.write({"cards/tricky.yaml": TRICKY})
    result = build(project.root)
    anki.import_apkg(project.root / result.output)
    from_anki = {
        (card.note().guid, card.ord): (card.question(), card.answer()) for card in anki.cards()
    }
    from_preview = {
        (row.guid, side.ordinal): (side.question, side.answer)
        for row in result.notes
        for side in render_cards(row)
    }
    assert from_preview.keys() == from_anki.keys()
    assert len(from_preview) == 2 + 4 + 1  # the nested c4 is a card of its own, as in Anki
    for key, (question, answer) in from_preview.items():
        anki_question, anki_answer = (_shown_by_anki(side) for side in from_anki[key])
        assert plain_text(question) == plain_text(anki_question)
        assert plain_text(answer) == plain_text(anki_answer)
        assert (question, answer) == (anki_question, anki_answer)  # the very same HTML


def test_open_without_a_browser_says_where_the_page_is(example, monkeypatch):
    import webbrowser

    from typer.testing import CliRunner

    from deckwright.cli.app import app

    monkeypatch.setattr(webbrowser, "open", lambda url: False)
    result = CliRunner().invoke(app, ["preview", "--open", str(example.root)])
    assert result.exit_code == 0, result.output
    page = (example.root / "dist/preview.html").resolve().as_uri()
    assert result.stderr.endswith(f"warning: no browser could be started: open {page} yourself\n")


def test_coverage_table_shows_a_row_whose_cells_ran_together_as_one(covered: Path):
    text = (
        "Sensory Neuron Motor Neuron\n"
        "To the brain from the skin To the muscles\n"
        "Sits in a ganglion Sits in the cord\n"
    )
    (covered / "sources" / "neurons.txt").write_text(text, encoding="utf-8")
    section = page(build(covered, write=False)).split('<section id="coverage">')[1]
    assert "<p>1/4 comparison rows covered" in section
    assert (
        "<li><b>Sensory Neuron / Motor Neuron</b> (cells not split):"
        " To the brain from the skin To the muscles</li>"
    ) in section
