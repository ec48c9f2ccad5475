"""Our note types' templates rendered as Anki renders them, so the preview shows what Anki shows.

Anki's templates look like mustache but differ in three ways, each translated here for chevron:
fields are inserted as raw HTML (mustache escapes), `{{#Field}}` is true when the field has
anything but whitespace, `<br>` or `<div>` in it (mustache: any non-empty string), and
`{{cloze:Text}}` is a filter that hides or shows deletions depending on the card. The cloze
markup below copies what Anki 26.9 writes (checked against `card.question()` in the tests).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import chevron

_FIELD_EMPTY = re.compile(r"^(?:\s|</?(?:br|div)\s?/?>)*$", re.IGNORECASE)
_TAG = re.compile(r"\{\{([#^/]?)\s*([^}]+?)\s*\}\}")
_CLOZE_TOKEN = re.compile(r"\{\{c(\d+)::|\}\}")


def field_is_empty(html: str) -> bool:
    """Anki's rule for `{{#Field}}` and for whether a card exists at all."""
    return bool(_FIELD_EMPTY.match(html))


def _to_mustache(template: str) -> str:
    def tag(match: re.Match[str]) -> str:
        kind, name = match.groups()
        if kind:
            return "{{" + kind + "has:" + name + "}}"
        return "{{&" + name + "}}"

    return _TAG.sub(tag, template)


def render_template(template: str, fields: dict[str, str], extra: dict[str, str]) -> str:
    """Fill an Anki template: `fields` by name, `extra` for filters and FrontSide, all raw HTML."""
    data: dict[str, object] = {**fields, **extra}
    data.update({f"has:{name}": not field_is_empty(value) for name, value in fields.items()})
    return chevron.render(_to_mustache(template), data, partials_path=None)


@dataclass
class _Deletion:
    number: int
    parts: list[str | _Deletion]


def _cloze_tree(text: str) -> list[str | _Deletion]:
    """Text and (nested) deletions; a `}}` with no deletion open is plain text, as in Anki."""
    root: list[str | _Deletion] = []
    stack: list[_Deletion] = []
    position = 0
    for match in _CLOZE_TOKEN.finditer(text):
        target = stack[-1].parts if stack else root
        if match.group(1) is None and not stack:
            continue
        if match.start() > position:
            target.append(text[position : match.start()])
        position = match.end()
        if match.group(1) is not None:
            deletion = _Deletion(int(match.group(1)), [])
            target.append(deletion)
            stack.append(deletion)
        else:
            stack.pop()
    tail = text[position:]
    if stack:
        # An unclosed deletion is shown as typed; validate.py refuses such cards anyway.
        return [text]
    return [*root, tail] if tail else root


def _split_hint(parts: list[str | _Deletion]) -> tuple[list[str | _Deletion], str]:
    """Anki reads `::hint` only from the deletion's last text part."""
    if parts and isinstance(parts[-1], str) and "::" in parts[-1]:
        answer, _, hint = parts[-1].partition("::")
        return [*parts[:-1], answer], hint
    return parts, ""


def _encode_attribute(text: str) -> str:
    """Anki's (Rust htmlescape's) attribute encoding for `data-cloze`."""
    named = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"}
    return "".join(
        char
        if (char.isascii() and char.isalnum()) or ord(char) > 255
        else named.get(char, f"&#x{ord(char):X};")
        for char in text
    )


def _render(parts: list[str | _Deletion], ordinal: int, answer: bool) -> str:
    out = []
    for part in parts:
        if isinstance(part, str):
            out.append(part)
            continue
        content, hint = _split_hint(part.parts)
        inner = _render(content, ordinal, answer)
        if part.number != ordinal:
            out.append(f'<span class="cloze-inactive" data-ordinal="{part.number}">{inner}</span>')
        elif answer:
            out.append(f'<span class="cloze" data-ordinal="{part.number}">{inner}</span>')
        else:
            shown = f"[{hint}]" if hint else "[...]"
            out.append(
                f'<span class="cloze" data-cloze="{_encode_attribute(inner)}"'
                f' data-ordinal="{part.number}">{shown}</span>'
            )
    return "".join(out)


def render_cloze(text: str, ordinal: int, answer: bool) -> str:
    """Anki's `{{cloze:Text}}`: deletion `ordinal` hidden on the question, shown on the answer."""
    return _render(_cloze_tree(text), ordinal, answer)
