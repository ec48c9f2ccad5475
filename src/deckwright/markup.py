"""Field text -> Anki HTML: cloze deletions, MathJax that must not close a cloze, unsafe HTML.

Card fields are written in HTML, Anki's own field format, so what a student writes is what Anki
shows; plain text needs nothing, and a line break in a `|` block becomes `<br>`.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from html.parser import HTMLParser

_OPEN = re.compile(r"\{\{c([^:}]*)::")
_MATH = re.compile(r"\\\(.*?\\\)|\\\[.*?\\\]", re.DOTALL)
_MARKER = re.compile(r"(?=\{\{c|\}\})")  # every place a deletion may open or close
LINE_BREAK = re.compile(r"<br\s*/?>|</?(?:p|div|li|ul|ol)\b[^>]*>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]*>")
_INNERMOST_DELETION = re.compile(r"\{\{c\d+::((?:(?!\{\{c\d+::).)*?)\}\}", re.DOTALL)
WORD = re.compile(r"[^\W_]+(?:['\u2019-][^\W_]+)*")


@dataclass(frozen=True)
class Deletion:
    number: int
    answer: str
    hint: str
    offset: int  # where `{{c` starts in the text


class ClozeError(ValueError):
    """A cloze that Anki would show wrongly; `offset` points into the text."""

    def __init__(self, message: str, offset: int):
        super().__init__(message)
        self.offset = offset


def _math_spans(text: str) -> list[tuple[int, int]]:
    return [match.span() for match in _MATH.finditer(text)]


def _in_math(index: int, spans: list[tuple[int, int]]) -> bool:
    return any(start <= index < end for start, end in spans)


def parse_cloze(text: str) -> list[Deletion]:
    """The deletions of a cloze text, outermost first; raises ClozeError on what Anki can't show.

    `}}` inside MathJax (`\\(...\\)`, `\\[...\\]`) does not close a deletion: `protect_math` later
    spaces it out, as Anki's manual advises.
    """
    math = _math_spans(text)
    deletions: list[Deletion] = []
    stack: list[tuple[int, int, int]] = []  # (number, offset, content start)
    index = 0
    while index < len(text):
        match = _OPEN.match(text, index) if text.startswith("{{c", index) else None
        if match and not _in_math(index, math):
            label = match.group(1)
            if not label.isdigit():
                raise ClozeError(
                    f"`{{{{c{label}::` is not a cloze number: write c1, c2, ...", index
                )
            if int(label) == 0:
                raise ClozeError("cloze numbers start at c1, not c0: renumber from `{{c1::`", index)
            stack.append((int(label), index, match.end()))
            index = match.end()
            continue
        if text.startswith("}}", index) and stack and not _in_math(index, math):
            number, start, content = stack.pop()
            answer, _, hint = text[content:index].partition("::")
            if not answer.strip():
                raise ClozeError(
                    f"the deletion c{number} is empty: put the answer after `::`", start
                )
            deletions.append(Deletion(number, answer, hint, start))
            index += 2
            continue
        marker = _MARKER.search(text, index + 1)
        index = marker.start() if marker else len(text)
    if stack:
        number, start, _ = stack[-1]
        raise ClozeError(f"`{{{{c{number}::` is never closed: end the deletion with `}}}}`", start)
    if not deletions:
        raise ClozeError(
            "a cloze needs at least one deletion such as {{c1::answer}}: mark what to hide", 0
        )
    return sorted(deletions, key=lambda deletion: deletion.offset)


def protect_math(text: str) -> str:
    """Space out `}}` inside MathJax so Anki does not read it as the end of a cloze."""
    return _MATH.sub(lambda match: re.sub(r"\}(?=\})", "} ", match.group()), text)


def to_html(text: str) -> str:
    """What goes into an Anki field: the student's HTML, with line breaks kept."""
    return protect_math(text.strip()).replace("\r\n", "\n").replace("\n", "<br>")


class ForgivingHTMLParser(HTMLParser):
    """The stdlib parser, minus its one crash: browsers skip an unknown `<![word ...>`."""

    def parse_marked_section(self, i: int, report: int = 1) -> int:
        try:
            return super().parse_marked_section(i, report)
        except AssertionError:
            end = self.rawdata.find(">", i)
            return len(self.rawdata) if end < 0 else end + 1


class _Unsafe(ForgivingHTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"script", "iframe", "object", "embed"}:
            self.found.append(f"a <{tag}> element")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"the event handler `{name}=` on <{tag}>")
            elif value and re.sub(r"[\s\x00-\x1f]", "", value).lower().startswith(
                ("javascript:", "vbscript:")
            ):
                self.found.append(f"a javascript: URL in `{name}=` on <{tag}>")

    handle_startendtag = handle_starttag


def unsafe_html(text: str) -> list[str]:
    """What in a field would run code in a classmate's Anki; empty when the field is safe."""
    if "<" not in text:
        return []
    parser = _Unsafe()
    parser.feed(text)
    parser.close()
    return parser.found


def plain(text: str) -> str:
    """What a reader sees of a field: tags dropped, line breaks kept, deletions as their answers."""
    text = _TAG.sub(" ", LINE_BREAK.sub("\n", text))
    while True:
        shown = _INNERMOST_DELETION.sub(lambda match: match.group(1).partition("::")[0], text)
        if shown == text:
            return html.unescape(shown)
        text = shown


def words(text: str) -> list[str]:
    return WORD.findall(plain(text))
