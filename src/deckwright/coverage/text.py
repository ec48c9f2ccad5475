"""Plain text, as a browser's copy gives it -> its comparison tables, each row with its line.

A copied page has lost its table markup; what is left takes one of a few shapes: tab-separated
cells, `|` lines, one cell per line in blocks ("Comparison Chart"), rows whose cells run together
under a line naming the things compared, numbered rows, `Feature: A ...; B ...` lines. A table is
only taken where the text gives evidence for it (a "vs"/"difference"/"comparison" heading, a header
naming the things compared, a run of lines of the same shape), so that prose never becomes rows.
Where the cells cannot be told apart, the row is kept whole and marked not split: coverage
needs the row.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from deckwright.coverage.tables import Table, TableRow

MAX_HEADING_WORDS = 15
MAX_FEATURE_WORDS = 10
# A line that announces a comparison: a table found right under it is no accident.
_EVIDENCE = re.compile(
    r"(?i)\b(vs\.?|versus|differences?|differ|comparison|comparing|compared|contrast|"
    r"distinguish\w*|chart)\b"
)
_VS = re.compile(
    r"(?i)^(?:.*?\bdifferences?\s+between\s+)?(?P<a>\S.*?)\s+(?:vs\.?|versus)\s+(?P<b>.+?)"
    r"\s*(?:[\u2014\u2013:|?(]|\s-\s|$)"
)
_BETWEEN = re.compile(
    r"(?i)\bdifferences?\s+between\s+(?:the\s+)?(?P<a>\S.*?)\s+and\s+(?:the\s+)?(?P<b>.+?)"
    r"\s*(?:[\u2014\u2013:|?(.]|\s-\s|$)"
)
_NUMBERED = re.compile(r"^\s*(\d{1,3})[.)]\s+(\S.*)$")
_COLON = re.compile(r"^(?P<feature>[^:;\t|]{1,60}?)\s*:\s+(?P<rest>\S.*)$")
_DASH = re.compile(r"^(?P<feature>[^:;\t|]{1,60}?)\s+[\u2013\u2014-]\s+(?P<rest>\S.*)$")
_NAMED = re.compile(r"^(?P<name>[A-Z][\w ]{0,40}?)\s*(?::|\s[\u2013\u2014-])\s*(?P<cell>\S.*)$")
_DELIMITER = re.compile(r"^[\s|:+=-]+$")

# A shape at a line -> its table and the line after it; a None table skips lines the shape has
# read and refused (read again from each of their lines, a long run would cost its square).
Shape = Callable[[list[str], int, tuple[str, ...]], tuple[Table | None, int] | None]


def read_text(body: str) -> list[Table]:
    """The comparison tables of a plain-text document, in document order."""
    lines = [line.rstrip() for line in body.split("\n")]
    things = things_compared(lines)
    shapes: tuple[Shape, ...] = (
        _tab_table,
        _pipe_table,
        _block_table,
        _run_together_table,
        _numbered_table,
        _colon_table,
    )
    tables: list[Table] = []
    index = 0
    while index < len(lines):
        for shape in shapes:
            found = shape(lines, index, things) if lines[index].strip() else None
            if found is not None:
                tables += [found[0]] if found[0] else []
                index = max(found[1], index + 1)
                break
        else:
            index += 1
    return tables


def things_compared(lines: list[str]) -> tuple[str, ...]:
    """The two things a page compares, from its title: `A vs. B`, `Difference between A and B`."""
    for pattern in (_VS, _BETWEEN):
        for line in lines:
            if len(line.split()) > MAX_HEADING_WORDS:
                continue
            match = pattern.search(line.strip())
            if match:
                names = tuple(_clean(match[name]) for name in ("a", "b"))
                if all(names):
                    return names
    return ()


def _clean(name: str) -> str:
    name = re.sub(r"(?i)^(?:the\s+)?differences?\s+between\s+(?:the\s+)?", "", name.strip())
    return name.strip(" .,;:!?\"'")


def _row(line: int, cells: list[str], head: bool = False, split: bool = True) -> TableRow:
    return TableRow(line + 1, head, cells, len(cells), split)


def _evidence_before(lines: list[str], index: int) -> bool:
    """Whether the nearest line above (blank lines skipped) is a heading announcing a comparison."""
    for above in range(index - 1, max(index - 4, -1), -1):
        text = lines[above].strip()
        if text:
            return len(text.split()) <= MAX_HEADING_WORDS and bool(_EVIDENCE.search(text))
    return False


def _separated_table(lines: list[str], index: int, cells_of) -> tuple[Table, int] | None:
    """A run of lines that each split into cells: the first is the header, two at least."""
    header = cells_of(lines[index])
    if header is None or len(header) < 2:
        return None
    table = Table([_row(index, header, head=True)])
    end = index + 1
    while end < len(lines):
        if _DELIMITER.match(lines[end]) and "-" in lines[end]:
            end += 1  # a Markdown-style `|---|---|` line
            continue
        cells = cells_of(lines[end])
        if cells is None or len(cells) < 2:
            break
        table.rows.append(_row(end, cells))
        end += 1
    return (table, end) if len(table.rows) >= 2 else None


def _tab_cells(line: str) -> list[str] | None:
    if "\t" not in line:
        return None
    cells = [" ".join(cell.split()) for cell in line.split("\t")]
    while cells and not cells[-1]:
        cells.pop()
    return cells


def _pipe_cells(line: str) -> list[str] | None:
    text = line.strip()
    if "|" not in text or _DELIMITER.match(text):
        return None
    cells = [" ".join(cell.split()) for cell in text.strip("|").split("|")]
    return cells if sum(1 for cell in cells if cell) >= 2 else None


def _tab_table(lines: list[str], index: int, things: tuple[str, ...]) -> tuple[Table, int] | None:
    return _separated_table(lines, index, _tab_cells)


def _pipe_table(
    lines: list[str], index: int, things: tuple[str, ...]
) -> tuple[Table | None, int] | None:
    """`|` lines: with a `|---|` line, under a heading announcing a comparison, or three lines of
    one width at least (two `Home | About` lines of a menu are no table)."""
    found = _separated_table(lines, index, _pipe_cells)
    if found is None:
        return None
    table, end = found
    ruled = any(_DELIMITER.match(lines[i]) for i in range(index + 1, end))
    even = len({len(row.cells) for row in table.rows}) == 1 and len(table.rows) >= 3
    return found if ruled or even or _evidence_before(lines, index) else (None, end)


def _paragraph(lines: list[str], index: int) -> tuple[int, int]:
    """The non-blank lines from `index` on: (first, end), after blank lines are skipped."""
    while index < len(lines) and not lines[index].strip():
        index += 1
    end = index
    while end < len(lines) and lines[end].strip():
        end += 1
    return index, end


def _short(text: str) -> bool:
    """A feature or heading line: a few words, not a sentence or a question."""
    text = text.strip()
    return 0 < len(text.split()) <= MAX_FEATURE_WORDS and text[-1] not in ".?!" and "\t" not in text


def _block_table(lines: list[str], index: int, things: tuple[str, ...]) -> tuple[Table, int] | None:
    """A "Comparison Chart": a feature line, a blank line, one line per thing compared, again."""
    if not _evidence_before(lines, index) or (index and lines[index - 1].strip()):
        return None
    rows: list[TableRow] = []
    width = len(things) or 0
    start = index
    while True:
        first, end = _paragraph(lines, start)
        if end - first != 1 or not _short(lines[first]):
            break
        feature = lines[first].strip()
        if feature.lower() in {thing.lower() for thing in things}:
            break  # a block about one of the things compared: definitions, not a chart
        cells_first, cells_end = _paragraph(lines, end)
        count = cells_end - cells_first
        if count < 2 or (width and count != width) or cells_first - end < 1:
            break
        width = count
        cells = [" ".join(lines[i].split()) for i in range(cells_first, cells_end)]
        rows.append(_row(first, [feature, *cells]))
        start = cells_end
    if len(rows) < 2:
        return None
    names = list(things) if len(things) == width else [""] * width
    return Table([_row(index, ["", *names], head=True), *rows]), start


def _header_names(line: str, things: tuple[str, ...], before: str) -> list[str] | None:
    """The things a header line names: `A B` for the page's own two, `Upper X Lower X`, or two
    words the text above pairs (`mitosis and meiosis`): not any two words, such as `Key Points`."""
    text = " ".join(line.split())
    if things and text.lower() == " ".join(things).lower():
        return list(things)
    words = text.split()
    if not 2 <= len(words) <= 8 or len(words) % 2 or re.search(r"[.,;:!?]$", text):
        return None
    half = len(words) // 2
    left, right = words[:half], words[half:]
    if not (left[0][:1].isupper() and right[0][:1].isupper()):
        return None
    if half > 1 and left[-1].lower() != right[-1].lower():
        return None
    pair = rf"(?i)\b{re.escape(left[0])}s?\s+(?:and|or|vs\.?|versus)\s+{re.escape(right[0])}"
    if half == 1 and not re.search(pair, before):
        return None
    return [" ".join(left), " ".join(right)]


def _run_together_table(
    lines: list[str], index: int, things: tuple[str, ...]
) -> tuple[Table, int] | None:
    """A header line naming the things compared, then one row a line, its cells run together."""
    if index and lines[index - 1].strip():
        return None
    names = _header_names(lines[index], things, " ".join(lines[max(0, index - 30) : index]))
    if names is None:
        return None
    first, end = _paragraph(lines, index + 1)
    if first != index + 1 or end - first < 2:
        return None
    if any(len(lines[i].split()) < 4 or "\t" in lines[i] for i in range(first, end)):
        return None
    rows = [_row(i, [" ".join(lines[i].split())], split=False) for i in range(first, end)]
    return Table([_row(index, names, head=True), *rows]), end


def _split_item(text: str, things: tuple[str, ...]) -> tuple[list[str], list[str] | None, bool]:
    """One row's text -> [feature, *cells], the names its cells carry, whether it was split."""
    for cells_of in (_tab_cells, _pipe_cells):
        cells = cells_of(text)
        if cells and len(cells) >= 3:
            return cells, None, True
    colon = _COLON.match(text) or _DASH.match(text)
    if colon is None:
        return ["", text], None, False
    feature, rest = colon["feature"].strip(), colon["rest"].strip()
    parts = [part.strip() for part in rest.split(";") if part.strip()]
    if len(parts) < 2 or (things and len(parts) != len(things)):
        return [feature, rest], None, False
    named = [_NAMED.match(part) for part in parts]
    if all(named):
        return [feature, *(m["cell"] for m in named if m)], [m["name"] for m in named if m], True
    return [feature, *parts], None, True


def _numbered_table(
    lines: list[str], index: int, things: tuple[str, ...]
) -> tuple[Table, int] | None:
    """Rows numbered `1. ...` or `1) ...` under a heading announcing a comparison."""
    match = _NUMBERED.match(lines[index])
    if match is None or match[1] != "1" or not _evidence_before(lines, index):
        return None
    items: list[tuple[int, str]] = []
    end = index
    while end < len(lines):
        first, _ = _paragraph(lines, end)
        match = _NUMBERED.match(lines[first]) if first < len(lines) else None
        if match is None or int(match[1]) != len(items) + 1 or first - end > 1:
            break
        items.append((first, match[2].strip()))
        end = first + 1
    if len(items) < 2:
        return None
    return _item_table(items, things), end


def _item_table(items: list[tuple[int, str]], things: tuple[str, ...]) -> Table:
    rows, names = [], None
    for line, text in items:
        cells, named, split = _split_item(text, things)
        names = names or named
        rows.append(_row(line, cells, split=split))
    width = max(len(row.cells) for row in rows) - 1
    header = names or (list(things) if len(things) == width or width < 2 else [""] * width)
    return Table([_row(items[0][0], ["", *(header or ["", ""])], head=True), *rows])


def _colon_table(
    lines: list[str], index: int, things: tuple[str, ...]
) -> tuple[Table | None, int] | None:
    """`Feature: A ...; B ...` lines, two at least, one cell per thing compared."""
    items: list[tuple[int, str]] = []
    shape: tuple[int, tuple[str, ...] | None] | None = None
    end = index
    while end < len(lines):
        first, _ = _paragraph(lines, end)
        if first >= len(lines) or first - end > 1:
            break
        cells, names, split = _split_item(lines[first].strip(), things)
        if not split or not cells[0] or "\t" in lines[first]:
            break
        this = (len(cells), tuple(names) if names else None)
        if shape is not None and this != shape:
            break
        shape = this
        items.append((first, lines[first].strip()))
        end = first + 1
    if len(items) < 2 or shape is None:
        return None
    evidence = _evidence_before(lines, index) or shape[1] is not None
    if not evidence and not (things and shape[0] - 1 == len(things)):
        return None, end  # the same lines, read from further down, would be refused the same
    return _item_table(items, things), end
