"""Field text -> Anki HTML: cloze deletions, MathJax that must not close a cloze, unsafe HTML.

Card fields are written in HTML, Anki's own field format, so what a student writes is what Anki
shows; plain text needs nothing, and a line break in a `|` block becomes `<br>`. Just over 300
lines: the cloze scan and the HTML safety check share the field's text and its helpers.
"""

from __future__ import annotations

import functools
import html
import re
from bisect import bisect_right
from html.entities import html5
from typing import NamedTuple

_OPEN = re.compile(r"\{\{c([^:}]*)::")
_NUMBERED_OPEN = re.compile(r"\{\{c(\d+)::")
_CLOZE_TOKEN = re.compile(r"\{\{c|\}\}")
_FLAT_DELETION = re.compile(r"\{\{c([1-9][0-9]{0,2})::([^}]*)\}\}")
# What a deletion mistyped looks like: `{{C1::x}}`, `{{ c1::x }}`, `{{c 1 :: x}}`.
_NEAR_DELETION = re.compile(r"\{\{\s*[cC]\s*([0-9]+)\s*::\s*(.*?)\s*\}\}", re.DOTALL)
_MATH_OPEN = re.compile(r"\\[(\[]")
_MATH_CLOSE = {"(": "\\)", "[": "\\]"}
MAX_CLOZE_NUMBER = 999  # Anki stores the card's number in 16 bits; no real note needs more
LINE_BREAK = re.compile(r"<br\s*/?>|</?(?:p|div|li|ul|ol)\b[^>]*>", re.IGNORECASE)
TAG = re.compile(r"<[^>]*>")
_INNERMOST_DELETION = re.compile(r"\{\{c\d+::((?:(?!\{\{c\d+::).)*?)\}\}", re.DOTALL)
WORD = re.compile(r"[^\W_]+(?:['\u2019-][^\W_]+)*")


class Deletion(NamedTuple):
    """One deletion of a cloze; a tuple, made 4 times faster than a frozen dataclass."""

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
    """Each `\\(...\\)` or `\\[...\\]`, opener to the first matching closer, left to right.

    Written as a scan rather than a lazy regex, which would retry every unclosed opener to the
    end of the text (quadratic on hostile input).
    """
    last_close = {kind: text.rfind(close) for kind, close in _MATH_CLOSE.items()}
    spans = []
    position = 0
    while opener := _MATH_OPEN.search(text, position):
        start = opener.start()
        kind = text[start + 1]
        end = -1 if last_close[kind] < start + 2 else text.find(_MATH_CLOSE[kind], start + 2)
        if end == -1:
            position = start + 1
            continue
        spans.append((start, end + 2))
        position = end + 2
    return spans


def _in_math(index: int, spans: list[tuple[int, int]], starts: list[int]) -> bool:
    found = bisect_right(starts, index) - 1
    return found >= 0 and index < spans[found][1]


@functools.lru_cache(maxsize=1024)
def parse_cloze(text: str) -> tuple[Deletion, ...]:
    """The deletions of a cloze text, in text order; raises ClozeError on what Anki cannot show.

    `}}` inside MathJax (`\\(...\\)`, `\\[...\\]`) does not close a deletion: `protect_math` later
    spaces it out, as Anki's manual advises. Kept for the last texts seen: a build asks it of
    each cloze twice (the validator, then the lint).
    """
    flat = _flat_deletions(text)
    if flat is not None:
        return tuple(flat)
    math = _math_spans(text)
    starts = [start for start, _ in math]
    deletions: list[Deletion] = []
    stack: list[tuple[int, int, int]] = []  # (number, offset, content start)
    index = 0
    while token := _CLOZE_TOKEN.search(text, index):
        index = token.start()
        match = _OPEN.match(text, index) if token.group() == "{{c" else None
        if match and not _in_math(index, math, starts):
            stack.append((_cloze_number(match.group(1), index), index, match.end()))
            index = match.end()
            continue
        if token.group() == "}}" and stack and not _in_math(index, math, starts):
            number, start, content = stack.pop()
            answer, _, hint = text[content:index].partition("::")
            if not answer.strip():
                raise ClozeError(
                    f"the deletion c{number} is empty: put the answer after `::`", start
                )
            deletions.append(Deletion(number, answer, hint, start))
            index += 2
            continue
        index += 1
    if stack:
        number, start, _ = stack[-1]
        raise ClozeError(f"`{{{{c{number}::` is never closed: end the deletion with `}}}}`", start)
    if not deletions:
        near = _NEAR_DELETION.search(text)
        if near:
            meant = f"{{{{c{near.group(1)}::{near.group(2)}}}}}"
            raise ClozeError(
                f"`{near.group()}` is not a deletion Anki knows (did you mean `{meant}`?):"
                " write a lower-case `c` and no spaces inside the braces",
                near.start(),
            )
        raise ClozeError(
            "a cloze needs at least one deletion such as {{c1::answer}}: mark what to hide", 0
        )
    # Anki shows a deletion nested in another as a card of its own (notes.card_ords counts it).
    return tuple(sorted(deletions, key=lambda deletion: deletion.offset))


def _flat_deletions(text: str) -> list[Deletion] | None:
    """parse_cloze of a text like nearly every cloze, else None: no MathJax (which starts with a
    backslash), and each `{{c` opens a deletion numbered 1 to 999 whose answer has no `}`.

    Such a deletion ends at the first `}}`, before the next one starts, so one regex finds them
    all; anything else, errors included, is left to the full scan.
    """
    if "\\" in text:
        return None
    found = [(match.start(), *match.groups()) for match in _FLAT_DELETION.finditer(text)]
    if not found or len(found) != text.count("{{c"):
        return None
    deletions = []
    for start, number, content in found:
        answer, _, hint = content.partition("::")
        if not answer.strip():
            return None
        deletions.append(Deletion(int(number), answer, hint, start))
    return deletions


def _cloze_number(label: str, index: int) -> int:
    shown = label[:20]
    if not (label.isascii() and label.isdigit()):
        raise ClozeError(f"`{{{{c{shown}::` is not a cloze number: write c1, c2, ...", index)
    number = int(label)
    if number == 0:
        raise ClozeError("cloze numbers start at c1, not c0: renumber from `{{c1::`", index)
    if number > MAX_CLOZE_NUMBER:
        raise ClozeError(
            f"`{{{{c{shown}::` is too high a cloze number: use c1 to c{MAX_CLOZE_NUMBER}", index
        )
    return number


def protect_math(text: str) -> str:
    """Space out `}}` inside MathJax so Anki does not read it as the end of a cloze."""
    parts = []
    done = 0
    for start, end in _math_spans(text):
        parts += [text[done:start], re.sub(r"\}(?=\})", "} ", text[start:end])]
        done = end
    parts.append(text[done:])
    return "".join(parts)


def to_html(text: str) -> str:
    """What goes into an Anki field: the student's HTML, with line breaks kept.

    The usual field needs only the strip: without a backslash there is no `\\(` or `\\[` to
    protect, without a newline no `<br>` to add (a build makes every field of every note).
    """
    if "\\" in text or "\n" in text:
        return _scanned_html(text)
    return text.strip()


def _scanned_html(text: str) -> str:
    """to_html without its shortcut: what the shortcut is tested against."""
    return protect_math(text.strip()).replace("\r\n", "\n").replace("\n", "<br>")


# Deliberately cruder than an HTML parser, and so stricter: a parser that disagrees with Anki's
# web view about where a tag ends could be walked past, a plain search cannot. Every pattern
# runs in linear time, as a parser on hostile input does not.
_ELEMENTS = ("script", "iframe", "frame", "frameset", "object", "embed")
_ELEMENT = re.compile(rf"<({'|'.join(_ELEMENTS)})(?![\w-])", re.IGNORECASE)
_ANY_ELEMENT = re.compile(f"<(?:{'|'.join(_ELEMENTS)})")  # in lower-cased ASCII, for any_unsafe
# An attribute starts after whitespace, `/` or a closing quote. The field's start counts too: a
# quote left open by the field before can carry this field into a tag of Anki's template.
_HANDLER = re.compile(r"(?:^|(?<=[\s/\"']))(on[a-z]++)\s*+=", re.IGNORECASE)
# The same without where it starts: what any_unsafe looks for first (the start costs 4 times
# as much to look for), in lower-cased ASCII or in any text.
_ANY_HANDLER = re.compile(r"on[a-z]++\s*+=")
_ANY_HANDLER_FOLDED = re.compile(_ANY_HANDLER.pattern, re.IGNORECASE)
_URL_BREAKS = re.compile(r"[\t\n\r]")  # a browser drops these anywhere in a URL
# A URL starts a value: after `=` or a quote, `{` of MathJax's \href, `(` of CSS, `;` or `,` of
# SVG value lists; browsers skip blanks and control characters before the scheme. The start of a
# field is no such place (every field follows template text or starts the card), so a card may
# begin "JavaScript: ...".
# The named entities that stand for a character of `script:` or a line break (&Tab;, ...).
_HIDING = tuple(
    f"&{name}" for name, value in html5.items() if set(value) & set("scriptSCRIPT:\t\n\r")
)
_SCRIPT_URL = re.compile(r"[=\"'`({;,][\x00-\x20]*+(javascript|vbscript):", re.IGNORECASE)


# Every finding below needs one of these: a tag, a quote, an entity, or a `script:` scheme.
_SUSPECT = re.compile(r"[<&\"']|" + r"[\t\n\r]*".join("script:"), re.IGNORECASE)


def unsafe_html(text: str) -> list[str]:
    """What in a field would run code in a classmate's Anki; empty when the field is safe."""
    if not _SUSPECT.search(text):
        return []  # the common case, checked in one pass (a build checks every field)
    return findings(text)


def any_unsafe(texts: list[str]) -> bool:
    """Whether any field is unsafe, in a few passes over all of them at once.

    The passes look for what every finding needs, over the texts joined by NUL, and so find a
    superset of the findings (NUL is no letter, tag or entity, so no finding spans two texts
    and none is hidden by the joining). Only when they find something is each text checked.
    ASCII text is searched with string methods, several times faster than the regexes on the
    megabytes of fields a large build checks; Unicode case folding is left to the regexes.
    """
    joined = "\0".join(texts)
    if joined.isascii():
        folded = joined.lower().replace("\t", "").replace("\n", "").replace("\r", "")
        if not any(char in joined for char in "<&\"'") and "script:" not in folded:
            return False
        maybe = (
            _ANY_ELEMENT.search(folded) is not None
            or _ANY_HANDLER.search(folded) is not None
            or _script_url(joined, folded)
        )
    else:
        maybe = _SUSPECT.search(joined) is not None and (
            _ELEMENT.search(joined) is not None
            or _ANY_HANDLER_FOLDED.search(joined) is not None
            or _script_url(joined, None)
        )
    return maybe and any(map(unsafe_html, texts))


def _script_url(joined: str, folded: str | None) -> bool:
    """A superset of the script URLs in `joined`; `folded` is its lower-cased ASCII form, if
    any, without tabs and line breaks. Unescaping megabytes costs more than the rest of the
    check: it is needed only when an entity can make a letter of `script:` or a line break."""
    if folded is not None and ("&" not in joined or not _hides_letters(joined)):
        return "script:" in folded
    return _SCRIPT_URL.search(_URL_BREAKS.sub("", html.unescape(joined))) is not None


def _hides_letters(text: str) -> bool:
    return "&#" in text or any(map(text.__contains__, _HIDING))


def findings(text: str) -> list[str]:
    """unsafe_html without its shortcut: what the shortcut is tested against."""
    found = [f"a <{match.group(1).lower()}> element" for match in _ELEMENT.finditer(text)]
    if any(char in text for char in "<\"'"):
        # Without these a field cannot open a tag or leave a quoted attribute, so plain prose
        # such as `onset = 5 ms` is no event handler.
        found += [f"the event handler `{m.group(1).lower()}=`" for m in _HANDLER.finditer(text)]
    # Entities hide a scheme from a plain search but not from the browser.
    plain = _URL_BREAKS.sub("", html.unescape(text))
    found += [f"a {m.group(1).lower()}: URL" for m in _SCRIPT_URL.finditer(plain)]
    return list(dict.fromkeys(found))


def plain(text: str) -> str:
    """What a reader sees of a field: tags dropped, line breaks kept, deletions as their answers.

    Tags and line breaks start with `<`, deletions with `{{c` and entities with `&`: a text
    without them is shown as it is (lint and duplicates call this for every field).
    """
    if "<" in text:
        text = _without_tags(text)
    if "{{c" in text:
        parts = _FLAT_DELETION.split(text)
        flat = len(parts) // 3
        if flat == text.count("{{c"):
            # Flat deletions (see _flat_deletions) are exactly what the pass below replaces
            # first: one split replaces them all, without a Python call per deletion. When
            # each `::` is an opener's, no deletion has a hint to drop.
            parts[1::3] = [""] * flat
            if text.count("::") != flat:
                parts[2::3] = [content.partition("::")[0] for content in parts[2::3]]
            text = "".join(parts)
    while "{{c" in text:
        shown = sub_before_last(
            _INNERMOST_DELETION, lambda match: match.group(1).partition("::")[0], text, "}}"
        )
        if shown == text:
            break
        text = shown
    return html.unescape(text) if "&" in text else text


@functools.lru_cache(maxsize=1024)
def _without_tags(text: str) -> str:
    """A field's tags as `plain` shows them: line breaks and spaces. Kept for the last fields
    seen: the checks of one card ask for the same field two to four times, and on long HTML
    fields the two passes cost a build more than all else it does with them (measured: 0.8 s
    of 1.2 s parsing 10,000 cards with 2 KB backs)."""
    return sub_before_last(TAG, " ", line_breaks(text), ">")


@functools.lru_cache(maxsize=1024)
def line_breaks(text: str) -> str:
    """A field with its line-breaking tags (`<br>`, `<p>`, `<li>`...) made line breaks."""
    return sub_before_last(LINE_BREAK, "\n", text, ">")


# ASCII letters and digits kept (or lower-cased), every other ASCII character made a space.
_ASCII_WORDS = bytes(i if chr(i).isalnum() else 32 for i in range(128)) + b" " * 128
_ASCII_LOWER_WORDS = bytes(ord(chr(i).lower()) for i in _ASCII_WORDS)


def words(text: str) -> list[str]:
    """The words a reader sees."""
    return plain_words(plain(text))


def plain_words(shown: str) -> list[str]:
    """The words of a text already made `plain`."""
    if _ascii_words(shown):
        return shown.encode().translate(_ASCII_WORDS).decode().split()
    return WORD.findall(shown)


def lower_words(text: str) -> str:
    """`words`, lower-cased and joined by spaces: what the near-duplicate check compares."""
    shown = plain(text)
    if _ascii_words(shown):
        return b" ".join(shown.encode().translate(_ASCII_LOWER_WORDS).split()).decode()
    return " ".join(WORD.findall(shown)).lower()


def _ascii_words(shown: str) -> bool:
    """Whether a word of `shown` is a run of ASCII letters and digits, split out by
    bytes.translate several times faster than by WORD: ASCII without `'` or `-`, which join
    words."""
    return shown.isascii() and "'" not in shown and "-" not in shown


def sub_before_last(pattern: re.Pattern[str], replacement, text: str, end: str) -> str:
    """`pattern.sub` for patterns that end in `end`, in linear time on any text.

    After the last `end` nothing can match, and there the lazy scan would retry every opener to
    the end of the text: a field of unclosed `<` or `{{c1::` would take minutes.
    """
    cut = text.rfind(end) + len(end) if end in text else 0
    return pattern.sub(replacement, text[:cut]) + text[cut:]


def cloze_numbers(text: str) -> set[int]:
    """The deletion numbers above zero of a cloze text: one card each, by Anki's rule (genanki's
    `{{c(\\d+)::.+?}}` would drop a deletion nested in another)."""
    numbers = set(map(int, _NUMBERED_OPEN.findall(text)))
    numbers.discard(0)
    return numbers
