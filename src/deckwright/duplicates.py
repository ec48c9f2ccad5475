"""Near-duplicate questions across the whole deck: the one lint rule that compares cards.

Two questions are near-identical when they read alike (difflib) and differ only in stop words or
in one word's spelling; a plain ratio would call "upper motor neurons" and "lower motor neurons"
the same question, which in a comparison deck they never are.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import combinations
from zlib import crc32

from .errors import Location, Problem
from .markup import lower_words, plain
from .model import Card

SIMILAR_TEXT = 0.85  # difflib ratio from which two questions with the same words are near-identical
MIN_VARIANT_LETTERS = 4  # shorter words must match exactly: UMN and LMN are not typos of each other
# Words whose presence or absence does not change what a question asks.
STOP_WORDS = frozenset(
    "a an the of in on at to for by with from into is are was were be been do does did"  # noqa: SIM905
    " what which who whose that this these those it its their there and or as".split()
)


Asked = tuple[tuple[str, str], ...]  # a card's questions: (field, its lower-cased words joined)
# A question in near_duplicates: its card's place (file's rank, line, column), its number, the
# card and the field asked.
_Member = tuple[tuple[int, int, int], int, Card, str]


def asked(card: Card) -> Asked:
    """What a card asks: its front (and the back of a reversed pair), or its cloze text.

    It depends on the card alone, so it is cached with the card's file.
    """
    if card.cloze:
        found = (("cloze", lower_words(card.cloze)),)
    elif card.reverse:
        found = (("front", lower_words(card.front)), ("back", lower_words(card.back)))
    else:
        found = (("front", lower_words(card.front)),)
    return tuple([question for question in found if question[1]])


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
    from difflib import SequenceMatcher

    ratio = SequenceMatcher(None, " ".join(first), " ".join(second), autojunk=False).ratio()
    return ratio >= SIMILAR_TEXT


@dataclass
class Known:
    """What the check learned about a deck's question texts, kept between builds (cache.py).

    Whether two texts are near-identical depends on those two alone, so a rebuild compares only
    the texts it has not seen before, with each other and with the rest.
    """

    halves: dict[str, int] = field(default_factory=dict)  # each text's `_halves`
    # (x, y) with x < y -> (x reads like y, y reads like x): difflib's ratio can depend on the
    # order of its arguments.
    pairs: dict[tuple[str, str], tuple[bool, bool]] = field(default_factory=dict)
    changed: bool = False  # the texts differ from those of the build it was kept from


FRESH_SHARE = 4  # more than one text in this many is new: comparing all texts at once is cheaper


def _halves(content: tuple[str, ...]) -> int:
    """Two contents that differ at one place at most have the same words in the other half.

    Kept as checksums of the halves, a third of the memory of the words: two halves that only
    share a checksum are compared and found different, nothing is missed. Both checksums are
    kept in one int (`_sides` splits it): a tuple of two takes three times the memory, for
    every question of the deck.
    """
    half = len(content) // 2
    first, second = " ".join(content[:half]), " ".join(content[half:])
    return crc32(f"{len(content)}<{first}".encode()) << 32 | crc32(
        f"{len(content)}>{second}".encode()
    )


def _sides(halves: int) -> tuple[int, int]:
    """The checksums of the first and the second half, from `_halves`."""
    return halves >> 32, halves & 0xFFFFFFFF


def _split(text: str) -> tuple[str, ...]:
    return tuple(text.split(" "))


class _Words(dict[str, str | None]):
    """Each word of a deck's questions -> what `_content` keeps of it (None: a stop word), worked
    out once per word and one string however many texts hold it."""

    def __missing__(self, word: str) -> str | None:
        kept = _content((word,))
        self[word] = kept[0] if kept else None
        return self[word]


def _content_of(text: str, seen: _Words) -> tuple[str, ...]:
    """A text's `_content`."""
    return tuple([word for word in map(seen.__getitem__, _split(text)) if word is not None])


def _relate(texts: list[str], known: Known) -> None:
    """Bring `known` up to date for the deck's distinct question texts."""
    new = [text for text in texts if text not in known.halves]
    if not new and len(known.halves) == len(texts):
        return
    known.changed = True
    if len(new) * FRESH_SHARE > len(texts):
        seen = _Words()
        contents = [_content_of(text, seen) for text in texts]
        halves = [_halves(content) for content in contents]
        known.halves = dict(zip(texts, halves, strict=True))
        candidates = {
            (min(texts[a], texts[b]), max(texts[a], texts[b]))
            for a, b in _related(contents, halves)
        }
        known.pairs = {}
    else:
        old, present = known.halves, set(texts)
        seen = _Words()
        found = {text: _content_of(text, seen) for text in new}
        known.halves = {text: old[text] if text in old else _halves(found[text]) for text in texts}
        known.pairs = {
            pair: alike
            for pair, alike in known.pairs.items()
            if pair[0] in present and pair[1] in present
        }
        wanted = {key for text in new for key in _sides(known.halves[text])}
        sharing: dict[int, list[str]] = {}
        for text, halves in known.halves.items():
            for key in _sides(halves):
                if key in wanted:
                    sharing.setdefault(key, []).append(text)
        candidates = set()
        for text in new:
            for key in _sides(known.halves[text]):
                candidates.update((min(text, o), max(text, o)) for o in sharing[key] if o != text)
        for text in {text for pair in candidates for text in pair} - found.keys():
            found[text] = _content_of(text, seen)
        candidates = {(x, y) for x, y in candidates if _same_content(found[x], found[y])}
    for x, y in candidates:
        forward = _reads_alike(_split(x), _split(y))
        backward = _reads_alike(_split(y), _split(x))
        if forward or backward:
            known.pairs[x, y] = (forward, backward)


def _related(contents: list[tuple[str, ...]], halves: list[int]) -> set[tuple[int, int]]:
    """Pairs (a, b), a < b, of question texts with the same content but for one spelling.

    Two such contents have the same words in one half (`halves`, the checksums kept anyway):
    only texts sharing a half's checksum are compared, in the other half.
    """
    pairs: set[tuple[int, int]] = set()
    for side in (0, 1):
        # Texts by checksum, then number (the sort is stable): a list of numbers costs a tenth
        # of a dict of lists, and this runs at the build's peak of memory.
        keys = [_sides(both)[side] for both in halves]
        order = sorted(range(len(keys)), key=keys.__getitem__)
        start = 0
        for end in range(1, len(order) + 1):
            if end == len(order) or keys[order[end]] != keys[order[start]]:
                if end - start > 1:
                    pairs.update(_alike(order[start:end], contents, side))
                start = end
    return pairs


def _alike(
    members: list[int], contents: list[tuple[str, ...]], side: int
) -> Iterator[tuple[int, int]]:
    """_related's pairs among texts (in ascending order) whose first (side 0) or second half
    has the same checksum: the same contents, or the same but for a spelling variant at one
    place of the other half. Places where no two words are variants are passed over."""
    same: dict[tuple[str, ...], list[int]] = {}
    for number in members:
        same.setdefault(contents[number], []).append(number)
    for numbers in same.values():
        yield from combinations(numbers, 2)
    by_length: dict[int, list[tuple[str, ...]]] = {}
    for content in same:
        by_length.setdefault(len(content), []).append(content)
    for length, found in by_length.items():
        if len(found) < 2:
            continue
        for place in range(length // 2, length) if side == 0 else range(length // 2):
            variants = _variant_words(
                [word for word in {c[place] for c in found} if len(word) >= MIN_VARIANT_LETTERS]
            )
            if variants:
                yield from _variant_pairs(found, place, variants, same)


def _variant_pairs(
    found: list[tuple[str, ...]],
    place: int,
    variants: set[tuple[str, str]],
    same: dict[tuple[str, ...], list[int]],
) -> Iterator[tuple[int, int]]:
    """Pairs of texts whose contents are the same but for a pair of `variants` at `place`."""
    spelled = {word for pair in variants for word in pair}
    rests: dict[tuple[str, ...], dict[str, list[int]]] = {}
    for content in found:
        if content[place] in spelled:
            rest = content[:place] + content[place + 1 :]
            rests.setdefault(rest, {})[content[place]] = same[content]
    for by_word in rests.values():
        for x, y in variants:
            if x in by_word and y in by_word:
                for a in by_word[x]:
                    yield from ((min(a, b), max(a, b)) for b in by_word[y])


def _variant_words(found: list[str]) -> set[tuple[str, str]]:
    """Pairs (x, y), x < y, of different words that are spelling variants of each other.

    Variants share a spelling made by dropping at most one letter of each: only words sharing
    one are compared.
    """
    spellings: dict[str, list[str]] = {}
    for word in found:
        for variant in {word} | _deletions(word):
            spellings.setdefault(variant, []).append(word)
    return {
        (x, y)
        for same in spellings.values()
        if len(same) > 1
        for x in same
        for y in same
        if x < y and spelling_variants(x, y)
    }


def near_duplicates(
    cards: list[Card], questions: list[Asked], known: Known | None = None
) -> list[Problem]:
    """Each question that reads like an earlier card's, reported at the later card with the
    earliest such card; `questions` holds what each card asks (`asked`).

    Questions with the same words always match, so texts are compared once each, not per card:
    a deck of cards made from one template has thousands of questions with the same words.
    `known`, from an earlier build, is brought up to date in place.
    """
    if len(cards) != len(questions):
        raise ValueError("near_duplicates needs what each card asks, one `asked` per card")
    asked_texts = [text for found in questions for _, text in found]
    texts = list(dict.fromkeys(asked_texts))
    known = Known() if known is None else known
    _relate(texts, known)
    related: dict[str, dict[str, tuple[bool, bool]]] = {}
    for (x, y), (forward, backward) in known.pairs.items():
        related.setdefault(y, {})[x] = (forward, backward)
        related.setdefault(x, {})[y] = (backward, forward)
    # Only questions with the text of another question, or with a text like another, can match.
    wanted = set(related)
    if len(texts) < len(asked_texts):
        wanted.update(text for text, count in Counter(asked_texts).items() if count > 1)
    if not wanted:
        return []
    asking: dict[str, list[tuple[int, Card, str]]] = {text: [] for text in texts if text in wanted}
    number = 0
    for card, found in zip(cards, questions, strict=True):
        for name, text in found:
            if text in wanted:
                asking[text].append((number, card, name))
            number += 1
    # Cards in the order of their locations, compared as numbers: (file's rank, line, column).
    paths = {card.where.path for members in asking.values() for _, card, _ in members}
    rank = {path: number for number, path in enumerate(sorted(paths))}
    groups: dict[str, list[_Member]] = {
        text: sorted(
            [
                ((rank[card.where.path], card.where.line, card.where.column), number, card, name)
                for number, card, name in members
            ],
            key=lambda member: member[0],
        )
        for text, members in asking.items()
    }
    problems = []
    shown: dict[tuple[int, int, int], str] = {}
    for text, members in groups.items():
        partners = [(members, (True, True))]
        partners += [(groups[other], alike) for other, alike in related.get(text, {}).items()]
        for place, number, later, asks in members:
            found = [
                first
                for others, alike in partners
                if (first := _first(others, alike, number, place)) is not None
            ]
            if not found:
                continue
            where, _, first, field = min(found, key=lambda member: member[:2])
            if (where, field) not in shown:
                shown[where, field] = " ".join(plain(getattr(first, field)).split())
            problems.append(
                Problem(
                    Location(later.where.path, later.field_lines.get(asks, later.where.line)),
                    f"the {asks} reads almost like the {field} of the card at"
                    f' {first.where} ("{shown[where, field]}"), so a student cannot'
                    " tell which answer is wanted: reword one to ask something different,"
                    " or merge the two cards",
                )
            )
    return problems


def _at(card: Card, field: str) -> Location:
    return Location(card.where.path, card.field_lines.get(field, card.where.line))


def _first(
    others: list[_Member], alike: tuple[bool, bool], number: int, before: tuple[int, int, int]
) -> _Member | None:
    """The earliest question of a group placed before `before` that reads like question `number`."""
    for other in others:
        if other[0] >= before:
            return None
        if alike[0] if other[1] < number else alike[1]:
            return other
    return None
