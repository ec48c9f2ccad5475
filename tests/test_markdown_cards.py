"""`markup: markdown` cards through the build: rendered as checked, refused where unsafe, linted,
previewed and matched as the student sees them."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from deckwright.build import build
from deckwright.errors import BuildFailed
from deckwright.preview.page import page

HEAD = "deck: Test\nsource: Lecture 3\n"


def built(project, text: str, **files: str):
    project.write({"cards/t.yaml": text, **files})
    return build(project.root, write=False)


def problems(project, text: str) -> list[str]:
    project.write({"cards/t.yaml": text})
    with pytest.raises(BuildFailed) as failed:
        build(project.root, write=False)
    return [str(problem) for problem in failed.value.problems]


def test_file_markup_renders_every_card_of_the_file(project):
    result = built(
        project,
        HEAD + "markup: markdown\ncards:\n  - front: What is **bold**?\n    back: '*this*'\n",
    )
    (card,) = result.cards
    assert (card.front, card.back) == ("What is <strong>bold</strong>?", "<em>this</em>")
    assert result.notes[0].fields[:2] == ("What is <strong>bold</strong>?", "<em>this</em>")


def test_card_markup_replaces_the_file_markup(project):
    result = built(
        project,
        HEAD
        + "markup: markdown\ncards:\n"
        + "  - front: '**a**'\n    back: b\n    markup: html\n"
        + "  - front: '**c**'\n    back: d\n",
    )
    assert [card.front for card in result.cards] == ["**a**", "<strong>c</strong>"]


def test_without_markup_fields_stay_as_written(project):
    result = built(project, HEAD + "cards:\n  - front: '**a**'\n    back: b\n")
    assert result.cards[0].front == "**a**"


@pytest.mark.parametrize(
    ("value", "shown"), [("md", "`md`"), ("''", "empty"), ("[markdown]", "a list or mapping")]
)
def test_unknown_markup_is_reported_at_its_line(project, value, shown):
    text = HEAD + f"markup: {value}\ncards:\n  - front: a\n    back: b\n"
    assert problems(project, text) == [
        f"cards/t.yaml:3:9: `markup` must be html or markdown, not {shown}"
    ]


@pytest.mark.parametrize(
    ("back", "finding"),
    [
        ("'[click](javascript:alert(1))'", "a javascript: URL"),
        ("'<script>alert(1)</script>'", "a <script> element"),
        ("'<javascript:alert(1)>'", "a javascript: URL"),
        ('"[x](<java\\tscript:alert(1)>)"', "a javascript: URL"),
    ],
)
def test_markdown_smuggling_script_is_refused_at_its_line(project, back, finding):
    text = HEAD + f"markup: markdown\ncards:\n  - front: a\n    back: {back}\n"
    assert problems(project, text) == [
        f"cards/t.yaml:6:11: `back` contains {finding}, which would run code in the Anki of"
        " everyone you share the deck with: remove it"
    ]


def test_markdown_image_gets_the_media_checks_of_an_img_tag(project):
    text = HEAD + "markup: markdown\ncards:\n  - front: '![](media/neuron.png)'\n    back: b\n"
    project.write({"media/neuron.png": b"\x89PNG"})
    assert problems(project, text) == [
        "cards/t.yaml:5: `front` refers to media/media/neuron.png, which does not exist (did you"
        " mean `neuron.png`?): put the file in media/ or correct the name (names are relative to"
        " media/)"
    ]


def test_markdown_image_is_stored_like_an_img_tag(project):
    project.write({"media/neuron.png": b"\x89PNG"})
    result = built(
        project,
        HEAD + "markup: markdown\ncards:\n  - front: '![a cell](neuron.png)'\n    back: b\n",
    )
    assert [file.path.as_posix() for file in result.media] == ["media/neuron.png"]


def test_markdown_list_is_linted_as_the_list_it_shows(project):
    result = built(
        project,
        HEAD + "markup: markdown\ncards:\n  - id: a\n    front: Name them\n    back: |\n"
        "      - one\n      - two\n      - three\n",
    )
    assert [str(warning) for warning in result.warnings] == [
        "cards/t.yaml:7: the back lists 3 items, too many to recall from one card: split it into"
        " one card per item, or make it a cloze with one deletion per item"
    ]


def test_markdown_syntax_does_not_count_as_words(project):
    long_link = "[" + " ".join(["word"] * 20) + "](https://example.org/a/b/c/d/e/f/g/h/i/j/k)"
    result = built(
        project,
        HEAD + f"markup: markdown\ncards:\n  - id: a\n    front: '{long_link}'\n    back: b\n",
    )
    assert result.warnings == []


def test_cloze_error_after_rendering_is_located(project):
    text = HEAD + "markup: markdown\ncards:\n  - cloze: 'a **{{c1::b**'\n"
    assert problems(project, text) == [
        "cards/t.yaml:5:12: `{{c1::` is never closed: end the deletion with `}}`"
    ]


def test_preview_searches_the_text_the_student_sees(project):
    result = built(
        project, HEAD + "markup: markdown\ncards:\n  - front: What is **bold**?\n    back: b\n"
    )
    (search,) = re.findall(r'data-search="([^"]*)"', page(result))
    assert search == "what is bold? what is bold? b lecture 3  cards/t.yaml:5"


def test_coverage_hints_read_and_name_markdown_cards_by_what_they_show(project):
    project.write(
        {
            "sources/muscles.md": "| Feature | UMN | LMN |\n|---|---|---|\n"
            "| Wasting | Mild disuse | Marked atrophy |\n"
        }
    )
    result = built(
        project,
        "deck: D\nsource: s\nmarkup: markdown\ncards:\n"
        "  - front: Which muscle shows **marked** `atrophy` and wasting\n    back: LMN\n",
    )
    assert (
        '  hint: cards/t.yaml:5:5 (card "Which muscle shows marked atrophy and ...") mentions'
        " atrophy, marked, wasting: if it teaches this row, add `covers: [muscles#wasting]`"
        " to it instead"
    ) in result.coverage.details().splitlines()


@pytest.mark.parametrize(
    "cloze", ["'**a {{c1::b** c}}'", "'{{c1::a *b}} c*'", "'[{{c1::a](x) b}}'"]
)
def test_deletion_across_the_edge_of_emphasis_or_a_link_is_refused(project, cloze):
    text = HEAD + f"markup: markdown\ncards:\n  - id: a\n    cloze: {cloze}\n"
    assert problems(project, text) == [
        "cards/t.yaml:6:12: the deletion c1 starts or ends inside Markdown's emphasis, link or"
        " code: put each `**`, `*`, `[...]` or `` ` `` pair wholly inside the deletion or wholly"
        " outside it"
    ]


def test_deletions_holding_or_held_by_whole_elements_pass(project):
    text = HEAD + (
        "markup: markdown\ncards:\n  - id: a\n"
        "    cloze: '**{{c1::a}}** {{c2::[b](https://x.org) `c`::*d*}} <br> {{c3::e<br>f}}'\n"
    )
    assert built(project, text).warnings == []


def test_preview_frames_of_a_card_with_code_carry_the_code_rules(project):
    result = built(
        project,
        HEAD + "markup: markdown\ncards:\n  - id: a\n    front: q\n    back: |\n"
        "      ```python\n      x = 1\n      ```\n  - id: b\n    front: c\n    back: d\n",
    )
    frames = re.findall(r'srcdoc="([^"]*)"', page(result))
    assert [".nightMode .highlight .k" in frame for frame in frames] == [True, True, False, False]


def test_markdown_deck_from_the_cache_is_the_deck_parsed_anew(project):
    project.write(
        {
            "cards/t.yaml": HEAD + "markup: markdown\ncards:\n  - id: a\n    front: '**q**'\n"
            "    back: |\n      ```python\n      x = {1: 2}\n      ```\n"
            "  - id: b\n    cloze: '*{{c1::x}}* \\(y_1\\)'\n"
        }
    )
    fresh = build(project.root)
    data = project.apkg().read_bytes()
    cached = build(project.root)
    assert cached.cards == fresh.cards
    assert project.apkg().read_bytes() == data
    assert build(project.root, use_cache=False).cards == fresh.cards


def test_markdown_image_leaving_media_is_refused_like_an_img_tag(project):
    text = (
        HEAD + "markup: markdown\ncards:\n  - id: a\n    front: '![](../secret.png)'\n    back: b\n"
    )
    assert problems(project, text) == [
        "cards/t.yaml:6: `front` refers to `../secret.png`, which uses `..` to leave media/: copy"
        " the file into media/ and write its name there, e.g. `secret.png`"
    ]


@pytest.mark.parametrize(
    ("key", "first", "line", "last"),
    [("back", "", "<pre x " * 1200, ""), ("cloze", "<div>{{c1::a", "<b " * 2900, "z}}")],
)
def test_markdown_field_full_of_unclosed_tags_builds_quickly(project, key, first, line, last):
    """Each `<` is looked at once: scanning on from every one would take minutes."""
    folded = "".join(f"      {text}\n" for text in [first, *[line] * 30, last] if text)
    card = f"  - id: a\n    {key}: >\n{folded}" + ("    front: q\n" if key == "back" else "")
    project.write({"cards/t.yaml": HEAD + "markup: markdown\ncards:\n" + card})
    program = "from deckwright.cli.main import main; main()"
    done = subprocess.run(
        [sys.executable, "-c", program, "check", str(project.root)],
        capture_output=True,
        timeout=6,
    )
    assert done.returncode in (0, 1), done.stderr
    assert b"Traceback" not in done.stderr
