"""The near-duplicate check of a build, in the build's own process or, for a large deck, in a
forked one while the deck is written (on two cores this takes it off the build's time)."""

from __future__ import annotations

from deckwright.errors import Problem
from deckwright.incremental import parallel
from deckwright.incremental.per_file import Loaded, store
from deckwright.lint.near_duplicates import Asked, Known, near_duplicates


def near_duplicate_warnings(loaded: Loaded, questions: list[Asked] | None = None) -> list[Problem]:
    """The near-duplicate warnings, remembering what was compared for the next build.

    `questions` are what the cards ask, when `loaded.prepared` no longer has them."""
    cache = loaded.cache
    known = cache.known() if cache else Known()
    if questions is None:
        questions = [entry.asks for entry in loaded.prepared]
    lint = near_duplicates(loaded.cards, questions, known)
    if cache:
        cache.keep(known)
    return lint


ASIDE_NOTES = 5_000  # fewer notes than this: a second process costs more than it saves


class Aside:
    """near_duplicate_warnings in a forked process while the build writes the deck; the child then
    keeps the cache entries of the files parsed anew, while the build puts the deck in place.
    On two cores this takes both off the time a large build needs.

    Begun as soon as the cards are read: the check takes longer than the rest of the build's
    checks, and on a large deck's first build it would otherwise end after the deck is written
    (measured: 0.48 s for 50,000 questions)."""

    def __init__(self, loaded: Loaded):
        self.loaded = loaded
        self.child: parallel.Child | None = None
        self.questions: list[Asked] = []

    @classmethod
    def planned(cls, loaded: Loaded) -> Aside | None:
        """None when the deck is small or forking unsafe: then the build does it all itself."""
        if len(loaded.cards) < ASIDE_NOTES or not parallel.can_fork():
            return None
        return cls(loaded)

    def begin(self, questions: list[Asked]) -> None:
        """Fork; `questions` are what the cards ask, in their order."""
        loaded, self.questions = self.loaded, questions
        self.child = parallel.Child.start(
            lambda: near_duplicate_warnings(loaded, questions), lambda: store(loaded)
        )

    def warnings(self) -> list[Problem]:
        lint = self.child.result() if self.child else None
        if lint is not None:
            return lint
        self.join()  # the child failed before it could answer: do its work here
        store(self.loaded)
        return near_duplicate_warnings(self.loaded, self.questions)

    def join(self) -> None:
        if self.child:
            self.child.join()

    def cancel(self) -> None:
        """Stop the check: the build found a problem, and does without it."""
        if self.child:
            self.child.cancel()
            self.child = None
