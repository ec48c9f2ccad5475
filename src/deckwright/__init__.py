"""deckwright: YAML card files -> Anki decks that survive the edit-rebuild-reimport loop."""
