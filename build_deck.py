"""Run deckwright without installing it: `python build_deck.py` is the same as `build-deck`."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent / "src"))

# The import names of pyproject.toml's dependencies: one missing means nothing is installed yet.
DEPENDENCIES = {"yaml", "genanki", "typer", "markdown_it", "watchfiles", "rich"}

try:
    from deckwright.cli.main import main
except ModuleNotFoundError as error:
    if (error.name or "").partition(".")[0] not in DEPENDENCIES:
        raise
    sys.exit(
        f"deckwright's dependencies are not installed (no module `{error.name}`): run"
        " `python3 -m venv .venv && . .venv/bin/activate && pip install -c requirements.lock -e .`"
        " in this folder, then `build-deck` (or `python build_deck.py` inside the venv)"
    )

if __name__ == "__main__":
    main()
