"""Markdown fields -> the HTML Anki gets: each construct, and what must pass through untouched."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from deckwright.model.markdown_fields import render_markdown, render_parsed
from deckwright.model.markup import parse_cloze


@pytest.mark.parametrize(
    ("markdown", "html"),
    [
        ("plain text", "plain text"),
        ("**bold** and *italic*", "<strong>bold</strong> and <em>italic</em>"),
        ("`code`", "<code>code</code>"),
        ("~~old~~ new", "<s>old</s> new"),
        ("first\nsecond", "first<br>second"),
        ("one\n\ntwo", "<p>one</p><p>two</p>"),
        ("- a\n- b", "<ul><li>a</li><li>b</li></ul>"),
        ("1. a\n2. b", "<ol><li>a</li><li>b</li></ol>"),
        (
            "| a | b |\n| - | - |\n| 1 | 2 |",
            "<table><thead><tr><th>a</th><th>b</th></tr></thead>"
            "<tbody><tr><td>1</td><td>2</td></tr></tbody></table>",
        ),
        ("[Anki](https://apps.ankiweb.net)", '<a href="https://apps.ankiweb.net">Anki</a>'),
        ("![a neuron](neuron.png)", '<img src="neuron.png" alt="a neuron">'),
        ("![](<my neuron.png>)", '<img src="my neuron.png" alt="">'),
        ("<sub>2</sub>O and **H**", "<sub>2</sub>O and <strong>H</strong>"),
        ("costs $5 or $x$", "costs $5 or $x$"),
    ],
)
def test_each_construct_renders_to_field_html(markdown, html):
    assert render_markdown(markdown) == (html, [])


@pytest.mark.parametrize(
    "kept",
    [
        r"\(a_1 * b_2\)",
        r"\[\frac{a}{b}}}\]",
        "[sound:my_heart_beat.mp3]",
        "[sound:a.mp3](not a link)",
    ],
)
def test_mathjax_and_sound_tags_pass_through_untouched(kept):
    assert render_markdown(f"before {kept} after").html == f"before {kept} after"


def test_cloze_inside_emphasis_stays_one_deletion():
    html = render_markdown("The **{{c1::mitral}}** valve and _{{c2::tricuspid}}_").html
    assert html == "The <strong>{{c1::mitral}}</strong> valve and <em>{{c2::tricuspid}}</em>"
    assert [(d.number, d.answer) for d in parse_cloze(html)] == [(1, "mitral"), (2, "tricuspid")]


def test_cloze_containing_emphasis_keeps_its_answer_and_hint():
    html = render_markdown("{{c1::the **left** ventricle::*which* side?}}").html
    assert html == "{{c1::the <strong>left</strong> ventricle::<em>which</em> side?}}"
    (deletion,) = parse_cloze(html)
    assert (deletion.answer, deletion.hint) == (
        "the <strong>left</strong> ventricle",
        "<em>which</em> side?",
    )


def test_code_in_a_cloze_may_contain_double_braces():
    html = render_markdown("{{c1::`d = {1: {2: 3}}`}}").html
    assert html == "{{c1::<code>d = &#123;1: &#123;2: 3&#125;&#125;</code>}}"
    (deletion,) = parse_cloze(html)
    assert deletion.answer == "<code>d = &#123;1: &#123;2: 3&#125;&#125;</code>"


def test_cloze_with_mathjax_closing_braces_stays_one_deletion():
    html = render_markdown(r"{{c1::\(\frac{1}{x_{2}}\)}} is *small*").html
    assert html == r"{{c1::\(\frac{1}{x_{2}}\)}} is <em>small</em>"
    assert len(parse_cloze(html)) == 1


def test_fenced_code_is_highlighted_on_lines_of_its_own():
    html = render_markdown("```python\nif x:\n    pass\n```").html
    assert html == (
        '<div class="highlight"><pre><span></span><span class="k">if</span>'
        ' <span class="n">x</span><span class="p">:</span><br>'
        '    <span class="k">pass</span></pre></div>'
    )


def test_code_in_an_unknown_language_is_shown_as_text():
    assert render_markdown("```klingon\na < b\n```").html == (
        '<div class="highlight"><pre><span></span>a &lt; b</pre></div>'
    )


@pytest.mark.parametrize(
    "markdown",
    ["[x](javascript:alert(1))", "<javascript:alert(1)>", "[x](<java\tscript:alert(1)>)"],
)
def test_script_links_are_refused(markdown):
    rendered = render_markdown(markdown)
    assert rendered.refused == ["a javascript: URL"]
    assert "<a" not in rendered.html


@pytest.mark.parametrize("text", ["\x010\x02 \\(x\\)", "&#1;0&#2; \\(x\\)"])
def test_control_characters_and_their_entities_are_not_taken_for_kept_spans(text):
    assert render_markdown(text).html == "\ufffd0\ufffd \\(x\\)"


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="ab1 .-+#>=()!:{}$'%@/,;?é\u00a0\u3000\x01*_\n", max_size=30))
def test_shortcut_for_text_without_markdown_signs_renders_as_a_parse_does(text):
    assert render_markdown(text) == render_parsed(text)
