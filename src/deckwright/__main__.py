"""`python -m deckwright` is `build-deck`, for when the command's folder is not on PATH."""

from deckwright.cli.main import main

if __name__ == "__main__":
    main()
