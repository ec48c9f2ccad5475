"""Markdown field text -> Anki HTML, with what Anki reads itself left exactly as written.

CommonMark (markdown-it-py) plus tables and strikethrough, raw HTML allowed, and a line break
kept as `<br>` (as in HTML fields and Obsidian). Three things pass through untouched because
Markdown would change them: MathJax `\\(...\\)` and `\\[...\\]` (a backslash before a bracket is a
Markdown escape), and `[sound:...]` (a link to Markdown). `$...$` is not MathJax here, as in Anki:
a dollar is a dollar. Cloze deletions are plain text to Markdown, so emphasis may sit inside a
deletion or around it; code may hold `}}` (code_css's module writes its braces as entities).
"""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING, NamedTuple

from deckwright.model.markdown_code import escape_braces, highlight_code
from deckwright.model.markup import _math_spans

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

_SOUND = re.compile(r"\[sound:[^\[\]\n]*\]")
_SCRIPT_SCHEME = re.compile(r"(javascript|vbscript):", re.IGNORECASE)
_BLANKS = re.compile(r"[\x00-\x20]")
# Where a kept span goes back: control characters, which no card field holds (validate.py refuses
# them) and no entity gives (Markdown makes `&#1;` a U+FFFD), and which Markdown reads as letters.
_START, _END = "\x01", "\x02"
_KEPT = re.compile(f"{_START}([0-9]+){_END}")
_BETWEEN_TAGS = re.compile(r"(?<=>)\n|\n(?=<)")
# What can make Markdown's HTML differ from the text: a character that marks up, escapes or is
# escaped (or one of our span marks), a line break, blanks it would strip, a block marker at the
# start. Most fields of a deck have none (a name, a number, a short sentence) and cost a regex
# search instead of a parse.
_SIGNS = re.compile(r"[\\`*_\[\]<>&~|\"\n\r\t\x01\x02]|^\s|\s$|^(?:[-+#>=]|[0-9]+[.)])")


class Rendered(NamedTuple):
    """A field's HTML, and each link or image URL Markdown refused as a script."""

    html: str
    refused: list[str]


@functools.cache
def _parser() -> tuple[MarkdownIt, list[str]]:
    """The one Markdown parser and the list its link check adds refusals to; made on first use,
    so a deck without Markdown never imports markdown-it or Pygments."""
    from markdown_it import MarkdownIt
    from markdown_it.common.utils import escapeHtml

    md = MarkdownIt("commonmark", {"breaks": True, "html": True, "xhtmlOut": False})
    md.enable(["table", "strikethrough"])
    refused: list[str] = []
    accept = md.validateLink

    def validate(url: str) -> bool:
        scheme = _SCRIPT_SCHEME.match(_BLANKS.sub("", url))  # as a browser reads it
        if scheme:
            refused.append(f"a {scheme.group(1).lower()}: URL")
        return accept(url) and not scheme

    md.validateLink = validate  # type: ignore[method-assign]
    # Names are kept as written: media.py looks `my picture.png` up in media/, not `my%20...`.
    md.normalizeLink = lambda url: url  # type: ignore[method-assign]

    def fence(renderer, tokens, index, options, env) -> str:
        token = tokens[index]
        return highlight_code(token.content, token.info.strip().split(" ")[0])

    def code_inline(renderer, tokens, index, options, env) -> str:
        return f"<code>{escape_braces(escapeHtml(tokens[index].content))}</code>"

    md.add_render_rule("fence", fence)
    md.add_render_rule("code_block", fence)
    md.add_render_rule("code_inline", code_inline)
    return md, refused


def render_markdown(text: str) -> Rendered:
    """The HTML of a Markdown field: one line, a lone paragraph unwrapped, as a field's HTML is."""
    if not _SIGNS.search(text):
        return Rendered(text, [])
    return render_parsed(text)


def render_parsed(text: str) -> Rendered:
    """render_markdown without its shortcut: what the shortcut is tested against."""
    kept: list[str] = []
    if _START in text or _END in text:  # refused before rendering (validate.py): keep this total
        text = text.replace(_START, "\ufffd").replace(_END, "\ufffd")

    def keep(span: str) -> str:
        kept.append(span)
        return f"{_START}{len(kept) - 1}{_END}"

    parts, done = [], 0
    for math_start, math_end in _math_spans(text):
        parts += [_SOUND.sub(lambda m: keep(m.group()), text[done:math_start])]
        parts.append(keep(text[math_start:math_end]))
        done = math_end
    parts.append(_SOUND.sub(lambda m: keep(m.group()), text[done:]))
    md, found = _parser()
    found.clear()
    html = _one_line(md.render("".join(parts)))
    refused = list(dict.fromkeys(found))
    if kept:
        html = _KEPT.sub(lambda m: kept[int(m.group(1))], html)
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        html = html[3:-4]
    return Rendered(html, refused)


def _one_line(html: str) -> str:
    """Markdown's HTML without its newlines: a field's newline is a `<br>` (markup.to_html).

    Between tags a newline is nothing; in code it is a line (`<br>`, as Anki's editor writes
    it); elsewhere, inside raw HTML, a space. A scan, not a lazy regex: raw HTML may open
    thousands of `<pre>` it never closes."""
    html = html.strip()
    pieces, done = [], 0
    while (start := html.find("<pre", done)) != -1 and (end := html.find("</pre>", start)) != -1:
        end += len("</pre>")
        code = html[start:end].replace("\n</pre>", "</pre>").replace("\n", "<br>")
        pieces += [_BETWEEN_TAGS.sub("", html[done:start]).replace("\n", " "), code]
        done = end
    pieces.append(_BETWEEN_TAGS.sub("", html[done:]).replace("\n", " "))
    return "".join(pieces)
