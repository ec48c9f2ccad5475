"""BuildResult -> dist/preview.html: every card as Anki will show it, in one self-contained page.

Card fields are HTML by design, so card text never becomes part of the page itself: each side of
each card is its own document, passed escaped through `srcdoc` into an `<iframe sandbox>` that may
run no script, and the page's Content-Security-Policy lets only the page's own script (by hash)
run. MathJax is shown as its TeX source: typesetting it would need MathJax's script inside the
card frames, beside the student's HTML; Anki typesets it on the real card.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from html import escape
from html.parser import HTMLParser
from importlib.resources import files
from pathlib import Path

from deckwright.atomic import write_atomically
from deckwright.build import BuildResult
from deckwright.model.cards import Card
from deckwright.model.markdown_code import with_code_css
from deckwright.model.words import slugify
from deckwright.package.apkg import CLOZE, PAIR
from deckwright.package.identity import implicit_id
from deckwright.package.notes import NoteRow, card_ords
from deckwright.preview.render import render_cloze, render_template
from deckwright.project import DIST

PREVIEW_NAME = "preview.html"
# Anki's reviewer puts this before the note type's CSS; the note type's `.card` rules win.
_FRAME_CSS = "html { padding: 0.6em 0; } body { margin: 20px; overflow-wrap: break-word; }"


@dataclass(frozen=True)
class Side:
    """One card of a note, both sides rendered as Anki renders them."""

    label: str  # "Front to back", "Cloze 2", ...
    ordinal: int  # Anki's card ord: template index, or cloze number - 1
    question: str
    answer: str


def _fill(model: object, fields: dict[str, str], ordinal: int, front: str | None) -> str:
    """One side of one card: the question when `front` is None, else the answer below it."""
    answer = front is not None
    extra = {"FrontSide": front} if answer else {}
    if model is CLOZE:
        template = CLOZE.templates[0]
        extra["cloze:Text"] = render_cloze(fields["Text"], ordinal + 1, answer)
    else:
        template = PAIR.templates[ordinal]
    return render_template(template["afmt" if answer else "qfmt"], fields, extra)


def render_cards(row: NoteRow) -> list[Side]:
    """The note's cards, in Anki's order, from the same templates that go into the .apkg."""
    model = CLOZE if row.model_id == CLOZE.model_id else PAIR
    fields = {spec["name"]: value for spec, value in zip(model.fields, row.fields, strict=True)}
    sides = []
    for ordinal in card_ords(row):
        label = f"Cloze {ordinal + 1}" if model is CLOZE else model.templates[ordinal]["name"]
        question = _fill(model, fields, ordinal, None)
        sides.append(Side(label, ordinal, question, _fill(model, fields, ordinal, question)))
    return sides


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"style", "script"}:
            self.skipping += 1
        elif tag in {"br", "hr", "div", "p", "li"}:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in {"style", "script"}:
            self.skipping = max(0, self.skipping - 1)

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def plain_text(html: str) -> str:
    """What a reader sees of some HTML, whitespace collapsed: for search and for comparing."""
    parser = _Text()
    parser.feed(html)
    parser.close()
    return " ".join("".join(parser.parts).split())


def frame(html: str, css: str, ordinal: int) -> str:
    """A card side as the document Anki's reviewer would show: its CSS, `body.card.cardN`."""
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8">'
        f"<style>{_FRAME_CSS}</style><style>{css}</style></head>"
        f'<body class="card card{ordinal + 1}">{html}</body></html>'
    )


def _asset(name: str) -> str:
    return files("deckwright.preview").joinpath(name).read_text(encoding="utf-8")


def _anchors(cards: list[Card]) -> list[str]:
    """A stable, unique HTML id per note, so links and a reloaded page keep their place."""
    taken: set[str] = set()
    anchors = []
    for card in cards:
        base = "note-" + (slugify(card.id or implicit_id(card), ascii_only=True))
        anchor, suffix = base, 1
        while anchor in taken:
            suffix += 1
            anchor = f"{base}-{suffix}"
        taken.add(anchor)
        anchors.append(anchor)
    return anchors


def _card_lines(card: Card) -> range:
    last = max(card.field_lines.values(), default=card.where.line)
    return range(card.where.line, max(last, card.where.line) + 1)


def _note_html(card: Card, row: NoteRow, anchor: str, warnings: list[str]) -> str:
    css = with_code_css(CLOZE.css if row.model_id == CLOZE.model_id else PAIR.css, row.fields)
    where = f"{card.where.path.as_posix()}:{card.where.line}"
    tags = "".join(f"<li>{escape(tag)}</li>" for tag in card.tags)
    lint = "".join(f"<li>{escape(text)}</li>" for text in warnings)
    articles = []
    for side in render_cards(row):
        search = " ".join(
            [plain_text(side.question), plain_text(side.answer), card.id or "", where]
        ).lower()
        frames = "".join(
            f'<figure><figcaption>{name}</figcaption><iframe class="side {name.lower()}"'
            f' title="{name}" sandbox="allow-same-origin" loading="lazy"'
            f' srcdoc="{escape(frame(html, css, side.ordinal))}"></iframe></figure>'
            for name, html in (("Question", side.question), ("Answer", side.answer))
        )
        articles.append(
            f'<article class="card" data-search="{escape(search)}"'
            f' data-tags="{escape(" ".join(card.tags).lower())}">'
            f'<header><span class="kind">{escape(side.label)}</span>'
            f'<a class="where" href="#{anchor}">{escape(where)}</a>'
            + (f'<code class="id">{escape(card.id)}</code>' if card.id else "")
            + f'<ul class="tags">{tags}</ul></header><div class="sides">{frames}</div>'
            + (f'<ul class="lint">{lint}</ul>' if lint else "")
            + "</article>"
        )
    return f'<div class="note" id="{anchor}">{"".join(articles)}</div>'


def _label(card: Card) -> str:
    words = plain_text(card.question).split()
    return card.id or " ".join(words[:6]) + (" ..." if len(words) > 6 else "")


def _coverage_html(result: BuildResult, anchors: dict[int, str]) -> str:
    """Every comparison row by document: the cards covering it, or the card to paste."""
    coverage = result.coverage
    by_document: dict[str, list[str]] = {}
    for report in coverage.rows:
        row = report.row
        cells = "".join(
            f"<li><b>{escape(thing)}</b>: {escape(cell or '(empty)')}</li>"
            for thing, cell in zip(row.header, row.taught, strict=False)
        )
        if len(row.taught) != len(row.header):  # plain text whose cells ran together
            things = escape(" / ".join(row.header))
            cells = f"<li><b>{things}</b> (cells not split): {escape(' '.join(row.taught))}</li>"
        corrected = (
            f'<p class="muted">corrected: {escape(row.correction.note)}</p>'
            if row.correction
            else ""
        )
        if report.covered_by:
            links = ", ".join(
                f'<a href="#{anchors[id(card)]}">{escape(_label(card))}</a>'
                for card in report.covered_by
            )
            status = f'<td class="status">covered by {links}</td>'
        else:
            hints = "".join(
                f'<p>hint: <a href="#{anchors[id(card)]}">{escape(_label(card))}</a> mentions'
                f" {escape(', '.join(terms))}; if it teaches this row, add"
                f" <code>covers: [{escape(row.name)}]</code> to it</p>"
                for card, terms in report.hints
            )
            status = (
                f'<td class="status"><strong class="bad">not covered</strong>{hints}'
                f"<pre>{escape(report.suggestion)}</pre></td>"
            )
        state = "covered" if report.covered_by else "uncovered"
        by_document.setdefault(report.document.path.as_posix(), []).append(
            f'<tr class="{state}"><td><code>{escape(row.name)}</code><br>'
            f'<span class="muted">{escape(str(row.where))}</span></td>'
            f"<td>{escape(row.feature)}<ul>{cells}</ul>{corrected}</td>{status}</tr>"
        )
    tables = "".join(
        f'<h3>{escape(path)}</h3><table class="coverage"><thead><tr><th>Row</th><th>Cells</th>'
        f"<th>Cards</th></tr></thead><tbody>{''.join(rows)}</tbody></table>"
        for path, rows in by_document.items()
    )
    return f"<p>{escape(coverage.line())}</p>{tables}"


def page(result: BuildResult) -> str:
    """The whole preview as one HTML document; the same result gives the same text."""
    anchors = _anchors(result.cards)
    by_card = {id(card): anchor for card, anchor in zip(result.cards, anchors, strict=True)}
    by_line: dict[str, list[str]] = {}
    general = []
    for warning in result.warnings:
        owners = [
            anchor
            for card, anchor in zip(result.cards, anchors, strict=True)
            if card.where.path == warning.where.path and warning.where.line in _card_lines(card)
        ]
        for anchor in owners[:1]:
            by_line.setdefault(anchor, []).append(warning.message)
        link = f' <a href="#{owners[0]}">card</a>' if owners else ""
        general.append(f"<li>{escape(str(warning))}{link}</li>")
    decks: dict[str, list[str]] = {}
    for card, row, anchor in zip(result.cards, result.notes, anchors, strict=True):
        decks.setdefault(card.deck, []).append(
            _note_html(card, row, anchor, by_line.get(anchor, []))
        )
    sections = "".join(
        f'<section class="deck"><h2>{escape(name)}</h2>{"".join(decks[name])}</section>'
        for name in sorted(decks)
    )
    script = _asset("preview.js")
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    policy = (
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:;"
        f" script-src 'sha256-{digest}'"
    )
    summary = "".join(f"<p>{escape(line)}</p>" for line in result.summary().splitlines())
    warnings_html = f'<ul class="warnings">{"".join(general)}</ul>' if general else ""
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{policy}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>deckwright preview</title><style>{_asset('preview.css')}</style></head><body>"
        '<header class="bar"><h1>deckwright preview</h1>'
        '<input id="search" type="search" placeholder="Search text, or tag:name"'
        ' autocomplete="off">'
        '<span id="count"></span>'
        '<button id="night" type="button" aria-pressed="false">Night mode</button></header>'
        f'<main><section id="summary"><h2>Build</h2>{summary}'
        '<p class="muted">MathJax is shown as its TeX source, e.g. <code>\\(x^2\\)</code>;'
        " Anki typesets it.</p>"
        f"{warnings_html}</section>"
        f'<section id="coverage"><h2>Coverage</h2>{_coverage_html(result, by_card)}</section>'
        f"{sections}</main><script>{script}</script></body></html>\n"
    )


def write_preview(root: Path, result: BuildResult) -> Path:
    """Write dist/preview.html atomically; returns its path relative to `root`."""
    target = root / DIST / PREVIEW_NAME
    write_atomically(target, page(result).encode("utf-8"))
    return target.relative_to(root)
