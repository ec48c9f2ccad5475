"""Card files saved with CRLF line ends take the fast reader and give PyYAML's very tree."""

from pathlib import Path

import pytest

from deckwright import load
from tests.test_plain_yaml import corpus_module, dump

REL = Path("cards/a.yaml")
TEXTS = [
    "deck: D\ncards:\n  - front: q\n    back: a\n",
    "deck: D\ntags: [a, b::c]\ncards:\n  - front: >-\n      one\n      two\n    back: |\n      x\n"
    "\n      y\n",
]


@pytest.mark.parametrize("text", [*TEXTS, corpus_module().file_yaml(3)])
def test_crlf_card_file_takes_the_fast_path_with_yamls_tree(project, text):
    crlf = text.replace("\n", "\r\n")
    project.write({"cards/a.yaml": crlf.encode()})
    raw, problems = load.load_card_file(project.root / REL, project.root)
    reference, reference_problems = load.parse_yaml(crlf, REL)
    assert problems == reference_problems == []
    assert type(raw.items[0][0].mark).__module__ == "deckwright.plain_yaml"
    assert dump(raw) == dump(reference)
