"""Run deckwright without installing it: `python build_deck.py` is the same as `build-deck`."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent / "src"))

from deckwright.cli.main import main

if __name__ == "__main__":
    main()
