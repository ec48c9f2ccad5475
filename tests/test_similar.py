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
    # Halves whose checksums all collide must still give only the pairs that are related.
    halves = [0] * len(contents) if checksums_collide else list(map(similar.halves_of, contents))
    expected = {
        (a, b)
        for b in range(len(contents))
        for a in range(b)
        if duplicates._same_content(contents[a], contents[b])
    }
    assert similar.related(contents, halves) == expected
