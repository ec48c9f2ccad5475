"""Problems are values that carry where they happened; only the CLI turns them into text."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True, order=True, slots=True)
class Location:
    path: Path  # relative to the project root
    line: int  # 1-based, as editors show it; 0 when the whole file is meant; a PDF's page
    column: int = 0  # 1-based; 0 when unknown
    # A Word file has no lines: `line` is a table's number, `column` a row's.

    def __str__(self) -> str:
        text = self.path.as_posix()
        suffix = self.path.suffix.lower()
        if self.line and suffix == ".pdf":
            return f"{text} page {self.line}"
        if self.line and suffix == ".docx":
            return f"{text} table {self.line}" + (f" row {self.column}" if self.column else "")
        if self.line:
            text += f":{self.line}"
            if self.column:
                text += f":{self.column}"
        return text


@dataclass(frozen=True, order=True, slots=True)
class Problem:
    where: Location
    message: str  # what is wrong and how to fix it, in the student's words
    # A warning of a kind that can come by the thousand (`no-source`, `no-id`, ...): the CLI
    # prints many of one kind as one line (cli/warning_groups.py). `count` is how many cards
    # the warning is about. Neither is part of what the problem says, nor of its order.
    kind: str = field(default="", compare=False)
    count: int = field(default=1, compare=False)

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


class BuildFailed(Exception):
    """Raised once per build with every problem found, so the student fixes them in one pass."""

    def __init__(self, problems: list[Problem]):
        self.problems = in_order(problems)
        super().__init__(f"{len(self.problems)} problem(s)")


class UsageError(Exception):
    """A wrong setting of the command itself (not of the student's files): exit code 2."""


def in_order(problems: Iterable[Problem]) -> list[Problem]:
    """sorted(problems), comparing each file once rather than once per pair of problems: a large
    deck can have 100,000 warnings, and comparing dataclasses and Paths is slow."""
    problems = list(problems)
    paths = sorted({problem.where.path for problem in problems})
    rank = {path: number for number, path in enumerate(paths)}
    return sorted(
        problems,
        key=lambda p: (rank[p.where.path], p.where.line, p.where.column, p.message),
    )


def close_matches(word: str, choices: Iterable[str], count: int = 1) -> list[str]:
    """The choices most like a misspelt name, best first (difflib, imported only when needed)."""
    import difflib

    return difflib.get_close_matches(word, list(choices), n=count, cutoff=0.6)


def did_you_mean(names: list[str]) -> str:
    """The hint a problem message ends its first part with; empty when nothing comes close."""
    return f" (did you mean {', '.join(f'`{name}`' for name in names)}?)" if names else ""
