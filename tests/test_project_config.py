"""deckwright.toml: written by init, read for the default markup, its mistakes located."""

from __future__ import annotations

import pytest

from deckwright.build import build
from deckwright.errors import BuildFailed
from deckwright.model.project_config import CONFIG_NAME, CONFIG_TEXT, read_config
from deckwright.scaffold import init

CARDS = "deck: D\nsource: s\ncards:\n  - id: a\n    front: '**a**'\n    back: b\n"


def test_a_project_without_the_file_writes_html(project):
    assert read_config(project.root).markup == "html"
    assert read_config(project.root).problems == []


def test_init_writes_the_settings_with_html_as_markup(project):
    init(project.root)
    assert (project.root / CONFIG_NAME).read_text() == CONFIG_TEXT
    assert read_config(project.root).markup == "html"


def test_project_markup_applies_to_files_that_do_not_say(project):
    project.write({"cards/a.yaml": CARDS, CONFIG_NAME: 'markup = "markdown"\n'})
    assert build(project.root, write=False).cards[0].front == "<strong>a</strong>"


def test_changing_the_project_markup_reads_cached_files_again(project):
    project.write({"cards/a.yaml": CARDS})
    assert build(project.root).cards[0].front == "**a**"
    project.write({CONFIG_NAME: 'markup = "markdown"\n'})
    assert build(project.root).cards[0].front == "<strong>a</strong>"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            '# settings\nmarkup = "md"\n',
            'deckwright.toml:2: `markup` must be "html" or "markdown", not `md`',
        ),
        (
            'markup = "html"\nmarkpu = "html"\n',
            "deckwright.toml:2: unknown setting `markpu` (did you mean `markup`?);"
            " settings: markup",
        ),
        (
            "# settings\nmarkup = markdown\n",
            "deckwright.toml:2:10: is not valid TOML (Invalid value): write settings as"
            ' `markup = "markdown"`',
        ),
    ],
)
def test_mistakes_in_the_settings_are_located(project, text, expected):
    project.write({"cards/a.yaml": CARDS, CONFIG_NAME: text})
    with pytest.raises(BuildFailed) as failed:
        build(project.root, write=False)
    assert [str(problem) for problem in failed.value.problems] == [expected]
