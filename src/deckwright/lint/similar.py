"""Which question texts could be near-identical, found without comparing every pair.

Two contents that differ at one place at most share the words of one half: texts are grouped by
checksums of their halves, and within a group only places where two words are spelling
variants (one letter added, dropped or swapped with its neighbour) are looked at. A deck of
50,000 questions is searched in a fraction of a second; comparing all pairs would take hours.
Within a group of more than `WINDOW` texts (a deck made from one template), each text is paired
only with the group's first and the one before it, so the pairs grow with the texts, never with
their square.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterator
from itertools import combinations
from zlib import crc32

MIN_VARIANT_LETTERS = 4  # shorter words must match exactly: UMN and LMN are not typos of each other
# A group of more texts with the same content comes from a template: each text is compared with
# the group's first and the one before it only, and says what comparing all would.
WINDOW = 8


def deletions(word: str) -> set[str]:
    """The word with one letter dropped, each way: two spelling variants share one of these.

    A word with a digit has none: 1024 and 10244 are two numbers, not one misspelt.
    """
    if len(word) < MIN_VARIANT_LETTERS or _has_digit(word):
        return set()
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


def spelling_variants(x: str, y: str) -> bool:
    """One letter added or dropped, or two neighbours swapped (fibre/fiber, color/colour).

    A changed letter does not count: abduction/adduction and ileum/ilium are different words.
    """
    if x == y:
        return True
    if min(len(x), len(y)) < MIN_VARIANT_LETTERS or _has_digit(x) or _has_digit(y):
        return False
    if len(x) == len(y):
        i = next(i for i in range(len(x)) if x[i] != y[i])
        return x[:i] + x[i + 1 : i + 2] + x[i] + x[i + 2 :] == y
    shorter, longer = sorted((x, y), key=len)
    return shorter in deletions(longer)


def _has_digit(word: str) -> bool:
    return not word.isalpha() and any(letter.isdigit() for letter in word)


def window_pairs(numbers: list[int]) -> Iterator[tuple[int, int]]:
    """Pairs (a, b), a < b, of `numbers` (ascending): every pair in a group of `WINDOW` or fewer;
    in a larger one, each number with the group's first and with the one just before it."""
    if len(numbers) <= WINDOW:
        yield from combinations(numbers, 2)
        return
    for index in range(1, len(numbers)):
        yield numbers[0], numbers[index]
        if index > 1:
            yield numbers[index - 1], numbers[index]


def halves_of(content: tuple[str, ...]) -> int:
    """Two contents that differ at one place at most have the same words in the other half.

    Kept as checksums of the halves, a third of the memory of the words: two halves that only
    share a checksum are compared and found different, nothing is missed. Both checksums are
    kept in one int (`sides` splits it): a tuple of two takes three times the memory, for
    every question of the deck.
    """
    half = len(content) // 2
    first, second = " ".join(content[:half]), " ".join(content[half:])
    return crc32(f"{len(content)}<{first}".encode()) << 32 | crc32(
        f"{len(content)}>{second}".encode()
    )


def sides(halves: int) -> tuple[int, int]:
    """The checksums of the first and the second half, from `halves_of`."""
    return halves >> 32, halves & 0xFFFFFFFF


def related(contents: list[tuple[str, ...]], halves: list[int]) -> set[tuple[int, int]]:
    """Pairs (a, b), a < b, of question texts with the same content but for one spelling.

    Two such contents have the same words in one half (`halves`, the checksums kept anyway):
    only texts sharing a half's checksum are compared, in the other half.
    """
    pairs: set[tuple[int, int]] = set()
    for side in (0, 1):
        # Texts by checksum, then number (the sort is stable): a list of numbers costs a tenth
        # of a dict of lists, and this runs at the build's peak of memory.
        keys = [sides(both)[side] for both in halves]
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
    """related's pairs among texts (in ascending order) whose first (side 0) or second half
    has the same checksum: the same contents, or the same but for a spelling variant at one
    place of the other half. Places where no two words are variants are passed over."""
    same: dict[tuple[str, ...], list[int]] = {}
    for number in members:
        same.setdefault(contents[number], []).append(number)
    for numbers in same.values():
        yield from window_pairs(numbers)
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
                yield from _across(by_word[x], by_word[y])


def _across(first: list[int], second: list[int]) -> Iterator[tuple[int, int]]:
    """Pairs of a number of `first` and one of `second` (both ascending): every such pair when
    there are few; else each number with the other list's first and the one before it there."""
    if len(first) * len(second) <= WINDOW * WINDOW:
        yield from ((min(a, b), max(a, b)) for a in first for b in second)
        return
    for mine, theirs in ((first, second), (second, first)):
        for a in mine:
            before = bisect_left(theirs, a) - 1
            for b in {theirs[0], theirs[max(before, 0)]}:
                yield (min(a, b), max(a, b))


def _variant_words(found: list[str]) -> set[tuple[str, str]]:
    """Pairs (x, y), x < y, of different words that are spelling variants of each other.

    Variants share a spelling made by dropping at most one letter of each: only words sharing
    one are compared.
    """
    spellings: dict[str, list[str]] = {}
    for word in found:
        for variant in {word} | deletions(word):
            spellings.setdefault(variant, []).append(word)
    return {
        (x, y)
        for same in spellings.values()
        if len(same) > 1
        for x in same
        for y in same
        if x < y and spelling_variants(x, y)
    }
