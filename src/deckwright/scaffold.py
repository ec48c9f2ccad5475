"""`build-deck init`: a new project that builds as it is and shows every kind of card.

The example covers each row of the example document's table, uses a picture from media/, and
carries the schema line, so the first `build-deck` after `init` succeeds without a warning and the
editor checks the file from the first keystroke.
"""

from __future__ import annotations

from pathlib import Path

from .atomic import write_atomically
from .errors import BuildFailed, Location, Problem
from .project_config import CONFIG_NAME, CONFIG_TEXT
from .schema import SCHEMA_LINE, SCHEMA_PATH, schema_text

EXAMPLE_CARDS = (
    SCHEMA_LINE
    + """
# (that line lets your editor complete keys and underline mistakes; see the README)
#
# An example card file with one card of each kind. Edit it, rename it, or add more files under
# cards/ (sub-folders are fine), then run `build-deck` to get dist/my-deck.apkg for Anki.
# Fields are HTML, as in Anki's own editor: <b>bold</b>, <i>italic</i>, MathJax \\(x^2\\).
# For Markdown (**bold**, lists, ```code```) write `markup: markdown` here, or set it in
# deckwright.toml for the whole project.

deck: My deck::Circulation   # the Anki deck; `::` nests decks
tags: [example]              # added to every card of this file

cards:
  # A front/back pair: one card.
  - id: artery-direction     # optional but recommended: Anki keeps the reviews when you reword
    front: Which way do arteries carry blood?
    back: Away from the heart
    covers: [example#direction-of-flow]   # the table row in sources/example.md it teaches

  # A reversed pair: two cards, front -> back and back -> front.
  - id: vein-valves
    front: Blood vessels with valves that stop blood flowing backwards
    back: Veins
    reverse: true
    extra: Arteries have none, except where they leave the heart.   # shown under the answer
    covers: [example#valves]

  # A cloze: one card per deletion number; text after a second `::` is a hint.
  - id: vessel-walls
    cloze: Arteries have {{c1::thick, muscular}} walls, veins {{c2::thin::thick or thin?}} ones.
    tags: [example::cloze]   # added to the file's tags
    covers: [example#wall]

  # Pictures and sounds live in media/; name them relative to it.
  # A sound: front: "Which sound is this? [sound:heartbeat.mp3]"  (quote text starting with `[`)
  - id: circulation-diagram
    front: What does this picture show? <img src="example.svg">
    back: Arteries carry blood away from the heart, veins bring it back
    source: Drawn for this example   # where the fact comes from, shown small on the answer
"""
)

EXAMPLE_SOURCE = """\
---
title: Arteries and veins, side by side
site: deckwright example
date: 2024-01-15
---

# Arteries and veins

An example document. Put the documents you study from in sources/ (Markdown or saved web pages):
every row of a comparison table in them should be covered by a card (see `covers:` in
cards/example.yaml), and `build-deck` tells you which rows are not.

| Feature | Arteries | Veins |
| --- | --- | --- |
| Direction of flow | Away from the heart | Back to the heart |
| Wall | Thick and muscular | Thin |
| Valves | None, except where they leave the heart | Many, to stop backflow |
"""

EXAMPLE_PICTURE = """\
<svg xmlns="http://www.w3.org/2000/svg" width="320" height="140" viewBox="0 0 320 140"
     font-family="sans-serif" font-size="16" text-anchor="middle">
  <title>The heart pumps blood out through an artery; a vein brings it back</title>
  <circle cx="70" cy="70" r="45" fill="#c9302c"/>
  <text x="70" y="76" font-size="18" fill="#fff">heart</text>
  <path d="M118 45 H280 l-12 -8 M280 45 l-12 8" stroke="#c9302c" stroke-width="6" fill="none"/>
  <text x="200" y="30" fill="#c9302c">artery</text>
  <path d="M280 95 H120 l12 -8 M120 95 l12 8" stroke="#2b5aa8" stroke-width="6" fill="none"/>
  <text x="200" y="125" fill="#2b5aa8">vein</text>
</svg>
"""

GITIGNORE = """\
# Built decks: `build-deck` makes them again.
dist/
# Caches.
.deckwright-cache/
__pycache__/
.DS_Store
# Do commit deckwright.lock: it records when each note last changed.
"""

FILES = {
    "cards/example.yaml": EXAMPLE_CARDS,
    "sources/example.md": EXAMPLE_SOURCE,
    "media/example.svg": EXAMPLE_PICTURE,
    SCHEMA_PATH: None,  # written fresh, so it matches the installed deckwright
    ".gitignore": GITIGNORE,
    CONFIG_NAME: CONFIG_TEXT,
}


def init(root: Path) -> list[Path]:
    """Write a new project into `root`; refuses, writing nothing, if any of its files exists."""
    taken = [name for name in FILES if (root / name).exists() or (root / name).is_symlink()]
    if taken:
        raise BuildFailed(
            [
                Problem(
                    Location(Path(name), 0),
                    "already exists; `build-deck init` never overwrites a file:"
                    " move it away, or run init in a new folder",
                )
                for name in taken
            ]
        )
    for name, text in FILES.items():
        write_atomically(root / name, (schema_text() if text is None else text).encode())
    return [Path(name) for name in FILES]
