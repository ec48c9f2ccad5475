"""Card-quality lint: habits that make cards hard to learn, reported as warnings with a fix.

The rules follow the minimum-information principle (one fact per card, short enough to read at a
glance); their thresholds are below and in the README section "Card-quality lint".
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass
from difflib import SequenceMatcher

from .errors import Location, Problem, in_order
from .markup import ClozeError, parse_cloze
from .model import Card

MAX_WORDS = 25  # a front, back or cloze text longer than this is a paragraph, not a prompt
MAX_REVERSED_BACK_WORDS = 12  # the back of a reversed pair is also asked: keep it term-sized
MIN_LIST_ITEMS = 3  # an answer with this many items is a list to recall, not a fact
MAX_ITEM_WORDS = 6  # comma-separated parts longer than this read as clauses, not list items
SIMILAR_TEXT = 0.85  # difflib ratio from which two questions with the same words are near-identical
MIN_VARIANT_LETTERS = 4  # shorter words must match exactly: UMN and LMN are not typos of each other
# A comma-separated part starting with one of these opens a clause: the text is not a list.
CLAUSE_WORDS = frozenset(
    "with without so but which that who whose when while because as since if then"  # noqa: SIM905
    " is are was were has have can does do".split()
)
# Words whose presence or absence does not change what a question asks.
STOP_WORDS = frozenset(
    "a an the of in on at to for by with from into is are was were be been do does did"  # noqa: SIM905
    " what which who whose that this these those it its their there and or as".split()
)

_BREAK = re.compile(r"<br\s*/?>|</?(?:p|div|li|ul|ol)\b[^>]*>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]*>")
_INNERMOST_DELETION = re.compile(r"\{\{c\d+::((?:(?!\{\{c\d+::).)*?)\}\}", re.DOTALL)
_WORD = re.compile(r"[^\W_]+(?:['\u2019-][^\W_]+)*")
_LIST_ITEM = re.compile(r"<li\b", re.IGNORECASE)
_LIST_LINE = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s+\S", re.MULTILINE)
_CLAUSE_END = re.compile(r"[.;:!?](?:\s+|$)|\n")
_LEADING_CONJUNCTION = re.compile(r"(?:and|or)\s+", re.IGNORECASE)
_CONJUNCTION = re.compile(r"\s+(?:and|or)\s+", re.IGNORECASE)


def lint(cards: list[Card]) -> list[Problem]:
    """Every card-quality warning of the deck, each at the line of the field concerned."""
    return in_order(card_warnings(cards) + near_duplicates(cards, [asked(card) for card in cards]))


def card_warnings(cards: list[Card]) -> list[Problem]:
    """The warnings that depend on each card alone, so a card file's can be cached with it."""
    found: list[Problem] = []
    for card in cards:
        found += _too_long(card)
        found += _enumerations(card)
        found += _long_reversed_back(card)
        found += _cloze_giveaways(card)
        found += _no_source(card)
    return found


def plain(text: str) -> str:
    """What a reader sees of a field: tags dropped, line breaks kept, deletions as their answers."""
    text = _TAG.sub(" ", _BREAK.sub("\n", text))
    while True:
        shown = _INNERMOST_DELETION.sub(lambda match: match.group(1).partition("::")[0], text)
        if shown == text:
            return html.unescape(shown)
        text = shown


def words(text: str) -> list[str]:
    return _WORD.findall(plain(text))


def list_items(text: str) -> int:
    """How many items the longest list in an answer has: list markup, or a series `a, b and c`."""
    longest = max(len(_LIST_ITEM.findall(text)), len(_LIST_LINE.findall(_BREAK.sub("\n", text))))
    for clause in _CLAUSE_END.split(plain(text)):
        parts = [part.strip() for part in re.split(r",\s+", clause) if part.strip()]
        if parts and parts[0].lower() in {"yes", "no"}:
            parts = parts[1:]  # "No, ..." answers the question; it is not an item
        if len(parts) < 2:
            continue
        oxford = _LEADING_CONJUNCTION.match(parts[-1])
        if oxford:
            parts[-1] = parts[-1][oxford.end() :]
        else:
            parts[-1:] = _CONJUNCTION.split(parts[-1])
        if all(len(_WORD.findall(part)) <= MAX_ITEM_WORDS for part in parts) and not any(
            part.split()[0].lower() in CLAUSE_WORDS for part in parts[1:]
        ):
            longest = max(longest, len(parts))
    return longest


def _at(card: Card, field: str) -> Location:
    return Location(card.where.path, card.field_lines.get(field, card.where.line))


def _too_long(card: Card) -> Iterator[Problem]:
    fixes = {
        "front": "ask about one fact in a shorter question; context belongs in `extra`",
        "back": "answer only what the front asks; move explanations to `extra`",
        "cloze": "keep the sentence that holds the deletions; move the rest to `extra`",
    }
    for field in ("cloze",) if card.cloze else ("front", "back"):
        count = len(words(getattr(card, field)))
        if count > MAX_WORDS:
            yield Problem(
                _at(card, field),
                f"the {field} has {count} words (more than {MAX_WORDS}): {fixes[field]}",
            )


def _enumerations(card: Card) -> Iterator[Problem]:
    if card.cloze:
        return
    # The front of a reversed pair is the answer of its second card.
    for field in ("back", "front") if card.reverse else ("back",):
        count = list_items(getattr(card, field))
        if count >= MIN_LIST_ITEMS:
            yield Problem(
                _at(card, field),
                f"the {field} lists {count} items, too many to recall from one card: split it"
                " into one card per item, or make it a cloze with one deletion per item",
            )


def _long_reversed_back(card: Card) -> Iterator[Problem]:
    count = len(words(card.back))
    if card.reverse and count > MAX_REVERSED_BACK_WORDS:
        yield Problem(
            _at(card, "back"),
            f"`reverse: true` but the back has {count} words (more than"
            f" {MAX_REVERSED_BACK_WORDS}), so the reversed card asks for the front from a whole"
            " sentence: shorten the back to a few words, or drop `reverse`",
        )


def _cloze_giveaways(card: Card) -> Iterator[Problem]:
    if not card.cloze:
        return
    try:
        deletions = parse_cloze(card.cloze)
    except ClozeError:
        return  # already reported as an error
    numbers: dict[str, set[int]] = {}
    for deletion in deletions:
        answer = " ".join(plain(deletion.answer).lower().split())
        numbers.setdefault(answer, set()).add(deletion.number)
    for answer, found in numbers.items():
        if len(found) > 1:
            listed = " and ".join(f"c{number}" for number in sorted(found))
            yield Problem(
                _at(card, "cloze"),
                f"`{answer}` is deleted as {listed}, so each of those cards shows the answer of"
                " the other: give the deletions one number, or delete it only once",
            )


def _no_source(card: Card) -> Iterator[Problem]:
    # A card that covers a row of a document is cited from that document.
    if not card.source.strip() and not card.covers:
        yield Problem(
            card.where,
            "this card has no source: add `source:` to the card or to its file"
            " (e.g. `source: Lecture 3, slide 12`), or `covers:` a row of a document",
        )


@dataclass(frozen=True)
class _Question:
    card: Card
    field: str


Asked = tuple[tuple[str, str], ...]  # a card's questions: (field, its lower-cased words joined)


def asked(card: Card) -> Asked:
    """What a card asks: its front (and the back of a reversed pair), or its cloze text.

    It depends on the card alone, so it is cached with the card's file.
    """
    fields = ("cloze",) if card.cloze else ("front", "back") if card.reverse else ("front",)
    found = ((field, " ".join(words(getattr(card, field))).lower()) for field in fields)
    return tuple((field, text) for field, text in found if text)


def _content(found: tuple[str, ...]) -> tuple[str, ...]:
    """The words that carry meaning, plural -s dropped: what two questions must share."""
    return tuple(
        word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word
        for word in found
        if word not in STOP_WORDS
    )


def _deletions(word: str) -> set[str]:
    if len(word) < MIN_VARIANT_LETTERS:
        return set()
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


def spelling_variants(x: str, y: str) -> bool:
    """One letter added or dropped, or two neighbours swapped (fibre/fiber, color/colour).

    A changed letter does not count: abduction/adduction and ileum/ilium are different words.
    """
    if x == y:
        return True
    if min(len(x), len(y)) < MIN_VARIANT_LETTERS:
        return False
    if len(x) == len(y):
        i = next(i for i in range(len(x)) if x[i] != y[i])
        return x[:i] + x[i + 1 : i + 2] + x[i] + x[i + 2 :] == y
    shorter, longer = sorted((x, y), key=len)
    return shorter in _deletions(longer)


def near_identical(first: tuple[str, ...], second: tuple[str, ...]) -> bool:
    """Two questions read alike and differ only in stop words or in one word's spelling.

    A plain ratio would call "...of upper motor neurons?" and "...of lower motor neurons?" the
    same question, which in a comparison deck they never are.
    """
    return _same_content(_content(first), _content(second)) and _reads_alike(first, second)


def _same_content(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    if len(a) != len(b):
        return False
    differing = [(x, y) for x, y in zip(a, b, strict=True) if x != y]
    return len(differing) <= 1 and all(spelling_variants(x, y) for x, y in differing)


def _reads_alike(first: tuple[str, ...], second: tuple[str, ...]) -> bool:
    ratio = SequenceMatcher(None, " ".join(first), " ".join(second), autojunk=False).ratio()
    return ratio >= SIMILAR_TEXT


def _related(texts: list[tuple[str, ...]]) -> list[dict[int, tuple[bool, bool]]]:
    """For each distinct question text, the other texts near-identical to it.

    Texts with the same content but for the word at one place share the key made of the content
    with that place blanked; only texts sharing a key are compared, and only when their words
    there are spelling variants. related[b][a] = (a read before b, b read before a): difflib's
    ratio can depend on the order of its arguments, and questions are compared in card order.
    """
    contents = [_content(words) for words in texts]
    buckets: dict[tuple[str, ...], list[int]] = {}
    for number, content in enumerate(contents):
        if not content:
            buckets.setdefault(("",), []).append(number)
        for place in range(len(content)):
            key = (*content[:place], "\0", *content[place + 1 :])
            buckets.setdefault(key, []).append(number)
    pairs: set[tuple[int, int]] = set()
    for key, members in buckets.items():
        if len(members) > 1:
            place = key.index("\0") if "\0" in key else 0
            pairs.update(_variant_pairs(members, contents, place))
    related: list[dict[int, tuple[bool, bool]]] = [{} for _ in texts]
    for a, b in pairs:
        forward = _reads_alike(texts[a], texts[b])
        backward = _reads_alike(texts[b], texts[a])
        if forward or backward:
            related[b][a] = (forward, backward)
            related[a][b] = (backward, forward)
    return related


def _variant_pairs(
    members: list[int], contents: list[tuple[str, ...]], place: int
) -> Iterator[tuple[int, int]]:
    """Pairs (earlier, later) of texts whose words at `place` are the same or spelling variants."""
    by_word: dict[str, list[int]] = {}
    for number in members:
        by_word.setdefault(contents[number][place] if contents[number] else "", []).append(number)
    spellings: dict[str, list[str]] = {}
    for word in by_word:
        for variant in {word} | _deletions(word):
            spellings.setdefault(variant, []).append(word)
    alike = {(word, word) for word in by_word}
    for found in spellings.values():
        alike.update((x, y) for x in found for y in found if x != y and spelling_variants(x, y))
    for x, y in alike:
        for a in by_word[x]:
            yield from ((a, b) for b in by_word[y] if a < b)


def near_duplicates(cards: list[Card], questions: list[Asked]) -> list[Problem]:
    """Each question that reads like an earlier card's, reported at the later card with the
    earliest such card; `questions` holds what each card asks (`asked`).

    Questions with the same words always match, so texts are compared once each, not per card:
    a deck of cards made from one template has thousands of questions with the same words.
    """
    # Cards in the order of their locations, compared as numbers: (file's rank, line, column).
    rank = {path: number for number, path in enumerate(sorted({c.where.path for c in cards}))}
    groups: dict[str, list[tuple[tuple[int, int, int], int, _Question]]] = {}
    number = 0
    for card, found in zip(cards, questions, strict=True):
        place = (rank[card.where.path], card.where.line, card.where.column)
        for field, text in found:
            groups.setdefault(text, []).append((place, number, _Question(card, field)))
            number += 1
    texts = list(groups)
    related = _related([tuple(text.split(" ")) for text in texts])
    for members in groups.values():
        members.sort(key=lambda member: member[0])
    problems = []
    shown: dict[tuple[int, int, int], str] = {}
    for text, members in enumerate(groups.values()):
        partners = [(members, (True, True))]
        partners += [(groups[texts[a]], alike) for a, alike in related[text].items()]
        for place, number, later in members:
            found = [
                first
                for others, alike in partners
                if (first := _first(others, alike, number, place)) is not None
            ]
            if not found:
                continue
            where, _, first = min(found, key=lambda member: member[:2])
            if (where, first.field) not in shown:
                text = " ".join(plain(getattr(first.card, first.field)).split())
                shown[where, first.field] = text
            problems.append(
                Problem(
                    _at(later.card, later.field),
                    f"the {later.field} reads almost like the {first.field} of the card at"
                    f' {first.card.where} ("{shown[where, first.field]}"), so a student cannot'
                    " tell which answer is wanted: reword one to ask something different,"
                    " or merge the two cards",
                )
            )
    return problems


def _first(
    others: list[tuple[tuple[int, int, int], int, _Question]],
    alike: tuple[bool, bool],
    number: int,
    before: tuple[int, int, int],
) -> tuple[tuple[int, int, int], int, _Question] | None:
    """The earliest question of a group placed before `before` that reads like question `number`."""
    for other in others:
        if other[0] >= before:
            return None
        if alike[0] if other[1] < number else alike[1]:
            return other
    return None
