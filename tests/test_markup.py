import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from deckwright.model import markup
from deckwright.model.markup import ClozeError, parse_cloze, protect_math, to_html, unsafe_html


def test_cloze_deletions_keep_numbers_answers_and_hints():
    deletions = parse_cloze("A {{c1::x}} and {{c2::y::hint}}")
    assert [(d.number, d.answer, d.hint) for d in deletions] == [(1, "x", ""), (2, "y", "hint")]


def test_mathjax_braces_do_not_close_a_deletion():
    text = r"{{c1::\(\frac{a}{b^{2}}\)}} rest"
    (deletion,) = parse_cloze(text)
    assert deletion.answer == r"\(\frac{a}{b^{2}}\)"
    assert protect_math(text) == r"{{c1::\(\frac{a}{b^{2} }\)}} rest"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("plain", "a cloze needs at least one deletion such as {{c1::answer}}: mark what to hide"),
        ("{{c1::open", "`{{c1::` is never closed: end the deletion with `}}`"),
        ("{{c0::zero}}", "cloze numbers start at c1, not c0: renumber from `{{c1::`"),
        ("{{cx::x}}", "`{{cx::` is not a cloze number: write c1, c2, ..."),
        ("{{c1::}}", "the deletion c1 is empty: put the answer after `::`"),
    ],
)
def test_clozes_anki_cannot_show_are_refused(text, message):
    with pytest.raises(ClozeError) as raised:
        parse_cloze(text)
    assert str(raised.value) == message


def test_line_breaks_become_html_breaks():
    assert to_html("one\ntwo\n") == "one<br>two"


@pytest.mark.parametrize(
    ("html", "found"),
    [
        ("<script>alert(1)</script>", ["a <script> element"]),
        ('<a href=" JavaScript:alert(1)">x</a>', ["a javascript: URL"]),
        ("<b onclick='x()'>b</b>", ["the event handler `onclick=`"]),
        ("<b>bold</b> and x < y", []),
    ],
)
def test_code_in_fields_is_found(html, found):
    assert unsafe_html(html) == found


def test_unknown_marked_sections_neither_crash_nor_hide_a_script():
    assert unsafe_html("<![ifx a <script>x</script>") == ["a <script> element"]
    assert unsafe_html("<![ifx a> <script>x</script>") == ["a <script> element"]


@given(st.text(alphabet=st.sampled_from(list("<>&#;=\"' \t\nabcijlnoprstvx:/(){}106"))))
@settings(max_examples=300)
def test_the_shortcut_never_hides_a_finding(text):
    from deckwright.model.markup import findings

    assert unsafe_html(text) == findings(text)


@given(
    st.lists(st.text(alphabet=st.sampled_from(list("<&\"' \t\r\nJAVSCRIPTjavscript:=\0\u017f"))))
)
@example(["x", "=java\tScRipt:alert(1)"])
@example(["=java\u017fcript:alert(1)"])
@example(["=javascript", ":"])
@settings(max_examples=500)
def test_checking_all_fields_at_once_finds_what_each_check_finds(texts):
    from deckwright.model.markup import any_unsafe

    assert any_unsafe(texts) == any(unsafe_html(text) for text in texts)


def test_a_script_url_without_quotes_is_found_among_many_fields():
    from deckwright.model.markup import any_unsafe

    assert any_unsafe(["plain", "=java\tScRipt:alert(1)"])
    assert not any_unsafe(["plain", "=javascript", ":alert(1)"])


@given(st.text(st.sampled_from(" \t\r\n\x0b\x1c\x85\u2028\u3000\\([)]}{xé"), max_size=16))
@example("  \\(a}}\\)  ")
@example(" a\r\nb ")
def test_to_html_shortcut_is_the_full_scan(text):
    assert to_html(text) == markup._scanned_html(text)
