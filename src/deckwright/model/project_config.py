"""deckwright.toml: the project's settings, one file at its root, written by `build-deck init`.

It holds one setting today, the markup of card text when a file or card does not say. A project
without the file keeps the defaults, so every project made before it builds as it did.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from deckwright.errors import Location, Problem, close_matches, did_you_mean
from deckwright.model.card_format import MARKUPS
from deckwright.project import CONFIG

CONFIG_NAME = CONFIG
CONFIG_TEXT = """\
# deckwright project settings (see the README, "Project settings").

# How card text is written when a card file or card does not say `markup:` itself:
# "html" (Anki's own field format) or "markdown" (**bold**, lists, tables, ```code```).
markup = "html"
"""
_KEYS = ("markup",)


@dataclass(frozen=True)
class Config:
    markup: str = "html"
    problems: list[Problem] = field(default_factory=list)


def read_config(root: Path) -> Config:
    """The project's settings; defaults (and no problem) when it has no deckwright.toml."""
    path = root / CONFIG_NAME
    try:
        text = path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        return Config()
    except (OSError, UnicodeDecodeError) as error:
        reason = "is not UTF-8 text" if isinstance(error, UnicodeDecodeError) else "cannot be read"
        return Config(problems=[_problem(0, f"{reason}: save it as UTF-8 text")])
    try:
        settings = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        found = re.search(r"\(at line (\d+), column (\d+)\)", str(error))
        line, column = (int(found.group(1)), int(found.group(2))) if found else (0, 0)
        reason = str(error).split(" (at ")[0]
        message = f'is not valid TOML ({reason}): write settings as `markup = "markdown"`'
        return Config(problems=[_problem(line, message, column)])
    problems = [
        _problem(
            _line(text, key),
            f"unknown setting `{key}`{did_you_mean(close_matches(key, _KEYS))};"
            f" settings: {', '.join(_KEYS)}",
        )
        for key in settings
        if key not in _KEYS
    ]
    markup = settings.get("markup", "html")
    if markup not in MARKUPS:
        problems.append(
            _problem(
                _line(text, "markup"),
                f'`markup` must be "html" or "markdown", not `{str(markup)[:40]}`',
            )
        )
        markup = "html"
    return Config(markup, problems)


def _problem(line: int, message: str, column: int = 0) -> Problem:
    return Problem(Location(Path(CONFIG_NAME), line, column), message)


def _line(text: str, key: str) -> int:
    """The line a top-level setting is written on (tomllib keeps no lines), else 0."""
    found = re.search(rf"^[ \t]*[\"']?{re.escape(key)}[\"']?[ \t]*=", text, re.MULTILINE)
    return text.count("\n", 0, found.start()) + 1 if found else 0
