"""Problems are values that carry where they happened; only the CLI turns them into text."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Location:
    path: Path  # relative to the project root
    line: int  # 1-based, as editors show it; 0 when the whole file is meant
    column: int = 0  # 1-based; 0 when unknown

    def __str__(self) -> str:
        text = self.path.as_posix()
        if self.line:
            text += f":{self.line}"
            if self.column:
                text += f":{self.column}"
        return text


@dataclass(frozen=True, order=True)
class Problem:
    where: Location
    message: str  # what is wrong and how to fix it, in the student's words

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


class BuildFailed(Exception):
    """Raised once per build with every problem found, so the student fixes them in one pass."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        super().__init__(f"{len(self.problems)} problem(s)")
