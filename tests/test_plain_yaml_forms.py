"""Card files with CRLF line ends or quoted values take the fast reader, with PyYAML's very tree."""

import re
from pathlib import Path

import pytest

from deckwright.read import yaml_reader as load
from tests.test_plain_yaml import corpus_module, dump, same_as_yaml

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
    assert type(raw.items[0][0].mark).__module__ == "deckwright.read.plain_yaml"
    assert dump(raw) == dump(reference)


def quoted(text: str, quote: str) -> str:
    """Every card's text values in `quote`s, as a spreadsheet export writes them."""
    return re.sub(
        r"^( +(?:- )?(?:front|back|cloze|extra): )(.*)$", rf"\1{quote}\2{quote}", text, flags=re.M
    )


@pytest.mark.parametrize(
    "text",
    [
        "deck: D\ncards:\n  - front: \"q\"\n    back: 'a'\n    extra: \"\"\n    source: ''\n",
        'deck: D\ncards:\n  - id: "x"\n    front: "12"\n    back: \'yes\'\n    reverse: true\n',
        "deck: D\ncards:\n  - front: \"{{c1::a}} 'b' #c\"\n    back: 'say \"x\"'\n",
        *(quoted(corpus_module().file_yaml(5), quote) for quote in "\"'"),
    ],
)
def test_quoted_values_take_the_fast_path_with_yamls_tree(text):
    assert same_as_yaml(text)
