"""`build-deck init`: a new project that builds as it is and shows every kind of card.

The example covers each row of the example document's table, uses a picture from media/, and
carries the schema line, so the first `build-deck` after `init` succeeds without a warning and the
editor checks the file from the first keystroke.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from deckwright.atomic import write_atomically
from deckwright.model.project_config import CONFIG_NAME, CONFIG_TEXT
from deckwright.model.schema import SCHEMA_LINE, SCHEMA_PATH, schema_text

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
# Caches, and what a killed build may leave (the next build removes it).
.deckwright-cache/
.deckwright.lock.*.tmp
__pycache__/
.DS_Store
# Do commit deckwright.lock: it records when each note last changed.
"""

# deckwright.lock has one note per line and the build settles a note listed twice, so git's
# built-in union merge (keep both sides' lines) merges two clones' new notes without a conflict.
GITATTRIBUTES = "deckwright.lock merge=union\n"

FILES = {
    "cards/example.yaml": EXAMPLE_CARDS,
    "sources/example.md": EXAMPLE_SOURCE,
    "media/example.svg": EXAMPLE_PICTURE,
    SCHEMA_PATH: None,  # written fresh, so it matches the installed deckwright
    ".gitignore": GITIGNORE,
    ".gitattributes": GITATTRIBUTES,
    CONFIG_NAME: CONFIG_TEXT,
}


@dataclass
class Started:
    created: list[Path] = field(default_factory=list)
    merged: dict[Path, int] = field(default_factory=dict)  # file -> lines added
    kept: list[Path] = field(default_factory=list)  # existed already: left as they were


def init(root: Path) -> Started:
    """Write a new project into `root`. Never overwrites: an existing .gitignore gets the lines it
    lacks (an existing repository usually has one), any other existing file is kept as it is."""
    started = Started()
    for name, text in FILES.items():
        path = root / name
        if name == ".gitignore" and path.is_file() and not path.is_symlink():
            added = _merge_lines(path, GITIGNORE)
            if added:
                started.merged[Path(name)] = added
            else:
                started.kept.append(Path(name))
        elif path.exists() or path.is_symlink():
            started.kept.append(Path(name))
        else:
            write_atomically(path, (schema_text() if text is None else text).encode())
            started.created.append(Path(name))
    return started


def _merge_lines(path: Path, wanted: str) -> int:
    """Append the rules of `wanted` that `path` lacks; returns how many were added."""
    text = path.read_text(encoding="utf-8", errors="surrogateescape")
    have = {line.strip() for line in text.splitlines()}
    missing = [
        line
        for line in wanted.splitlines()
        if line and not line.startswith("#") and line not in have
    ]
    if missing:
        joined = "" if not text or text.endswith("\n") else "\n"
        added = "# Added by `build-deck init`:\n" + "\n".join(missing) + "\n"
        write_atomically(path, (text + joined + added).encode("utf-8", "surrogateescape"))
    return len(missing)
