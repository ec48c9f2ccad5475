"""Problems and their order."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from deckwright.errors import Location, Problem, in_order

PROBLEMS = st.lists(
    st.builds(
        lambda name, line, column, message: Problem(
            Location(Path(f"cards/{name}.yaml"), line, column), message
        ),
        st.sampled_from(["a-b", "a/b", "a", "B"]),
        st.integers(0, 3),
        st.integers(0, 2),
        st.sampled_from(["x", "y", "X"]),
    ),
    max_size=20,
)


@given(PROBLEMS)
def test_problems_in_order_as_sorted_gives_them(problems):
    assert in_order(problems) == sorted(problems)
