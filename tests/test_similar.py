"""The search for near-identical question texts: spelling variants, and every related pair
found through the halves' checksums without comparing all pairs."""

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from deckwright.lint import near_duplicates as duplicates
from deckwright.lint import similar
from deckwright.lint.similar import spelling_variants


@pytest.mark.parametrize(
    ("x", "y", "same"),
    [
        ("fibre", "fiber", True),  # neighbours swapped
        ("colour", "color", True),  # a letter dropped
        ("nueron", "neuron", True),
        ("ileum", "ilium", False),  # a letter changed: another word
        ("umn", "lmn", False),  # under 4 letters: exact only
        ("upper", "lower", False),
        ("1024", "10244", False),  # numbers: never misspelt, always different
        ("1243", "1234", False),
        ("a1b2c", "a1b2", False),
    ],
)
def test_spelling_variants_allow_typos_but_not_changed_letters(x, y, same):
    assert spelling_variants(x, y) is same
    assert spelling_variants(y, x) is same


CONTENTS = st.lists(
    st.lists(
        st.sampled_from(["motor", "motr", "fibre", "fiber", "fibers", "umn", "x"]), max_size=5
    ).map(tuple),
    max_size=25,
)


@given(CONTENTS, st.booleans())
@example([("motor", "fibre"), ("motor", "fiber"), ("motr", "fibre"), ()], True)
def test_related_pairs_are_every_pair_with_the_same_content(contents, checksums_collide):
    similar.WINDOW, window = 1_000, similar.WINDOW  # no group is cut short here
    # Halves whose checksums all collide must still give only the pairs that are related.
    halves = [0] * len(contents) if checksums_collide else list(map(similar.halves_of, contents))
    expected = {
        (a, b)
        for b in range(len(contents))
        for a in range(b)
        if duplicates._same_content(contents[a], contents[b])
    }
    try:
        assert similar.related(contents, halves) == expected
    finally:
        similar.WINDOW = window


@pytest.mark.parametrize("size", [100, 1_000])
def test_related_pairs_grow_with_a_template_group_not_its_square(size):
    # One content, many texts: the same words, a spelling variant, or both.
    contents = [("capital", "france", str(n)) for n in range(size)]
    contents += [("capital", "fibre" if n % 2 else "fiber") for n in range(size)]
    pairs = similar.related(contents, list(map(similar.halves_of, contents)))
    assert len(pairs) <= 4 * len(contents)
    # The template's fronts all differ by a number: none is related to another.
    assert not any(b < size for _, b in pairs)
