import html
import re
import subprocess
import sys

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from deckwright.model import markup
from deckwright.model.markup import (
    ClozeError,
    Deletion,
    parse_cloze,
    protect_math,
    to_html,
    unsafe_html,
)
from tests import faults


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


TOKENS = [
    "<",
    ">",
    "&",
    "&#",
    "&#115;",
    "&#x3A;",
    "&colon;",
    "&Tab;",
    "&NewLine;",
    "&nbsp;",
    "&amp",
    "java",
    "vb",
    "script",
    "SCRIPT",
    "\u017fcript",
    ":",
    "=",
    '"',
    "'",
    "(",
    " ",
    "\t",
    "\n",
    "\0",
    "on",
    "click",
    "ONLOAD",
    "emBED",
    "iframe",
    "<b>",
    "x",
    "é",
]


@given(st.lists(st.lists(st.sampled_from(TOKENS), max_size=8).map("".join), max_size=4))
@example(["=java&#115;cript:x"])
@example(["=javascr&Tab;ipt&colon;x", "plain"])
@example(["<img src=x onerror=alert(1)>"])
@settings(max_examples=1500)
def test_the_joined_passes_of_any_unsafe_miss_nothing_with_entities_and_markup(texts):
    """any_unsafe's shortcuts (string search in ASCII, unescaping only where an entity could
    hide a letter) against the plain field-by-field check."""
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


# ---- Cloze -------------------------------------------------------------------------------------

CLOZE = {
    "no deletion": (
        "Plain sentence.",
        "a cloze needs at least one deletion such as {{c1::answer}}: mark what to hide",
    ),
    "unclosed": ("Open {{c1::answer", "`{{c1::` is never closed: end the deletion with `}}`"),
    "c0": ("{{c0::zero}}", "cloze numbers start at c1, not c0: renumber from `{{c1::`"),
    "non-numeric": ("{{cX::x}}", "`{{cX::` is not a cloze number: write c1, c2, ..."),
    "superscript digit": ("{{c²::x}}", "`{{c²::` is not a cloze number: write c1, c2, ..."),
    "too high": ("{{c70000::x}}", "`{{c70000::` is too high a cloze number: use c1 to c999"),
    "empty answer": (
        "{{c1::}} and {{c2::b}}",
        "the deletion c1 is empty: put the answer after `::`",
    ),
    "upper-case C": (
        "The {{C1::x}} part",
        "`{{C1::x}}` is not a deletion Anki knows (did you mean `{{c1::x}}`?): write a"
        " lower-case `c` and no spaces inside the braces",
    ),
    "spaces inside": (
        "The {{ c1::x }} part",
        "`{{ c1::x }}` is not a deletion Anki knows (did you mean `{{c1::x}}`?): write a"
        " lower-case `c` and no spaces inside the braces",
    ),
}


@pytest.mark.parametrize(("text", "message"), CLOZE.values(), ids=CLOZE.keys())
def test_cloze_problem_is_reported_when_anki_could_not_show_it(built, text, message):
    faults.fails(
        built,
        {"cards/bad.yaml": faults.card_file(f"- cloze: '{text}'\n")},
        f"cards/bad.yaml:3:12: {message}",
    )


def test_nested_cloze_gives_the_inner_deletion_a_card_of_its_own(tmp_path):
    """Anki shows a nested deletion as its own card; genanki's rule would have dropped it."""
    from deckwright.model.markup import to_html
    from deckwright.package.notes import CLOZE_ID, NoteRow, card_ords

    nested = NoteRow("g", "D", CLOZE_ID, (to_html("{{c1::a {{c2::b}} c}}"), "", ""), ())
    side_by_side = NoteRow("g", "D", CLOZE_ID, (to_html("{{c1::a}} {{c2::b}}"), "", ""), ())
    assert (len(card_ords(nested)), len(card_ords(side_by_side))) == (2, 2)


def test_mathjax_braces_do_not_end_a_deletion_when_a_cloze_holds_math(built):
    faults.write(
        built,
        {
            "cards/math.yaml": faults.card_file(
                "- id: m\n  cloze: '{{c1::\\(x^{2^{3}}\\)}} is big'\n"
            )
        },
    )
    result = faults.invoke(built)
    assert result.exit_code == 0, result.output


# ---- HTML that would run code in a classmate's Anki ---------------------------------------------

RUNS = "which would run code in the Anki of everyone you share the deck with: remove it"
UNSAFE = {
    "script element": ("<script>alert(1)</script>", "a <script> element"),
    "script in svg": ("<svg><SCRIPT>alert(1)</SCRIPT></svg>", "a <script> element"),
    "iframe": ('<iframe srcdoc="x"></iframe>', "a <iframe> element"),
    "object": ('<object data="x.swf"></object>', "a <object> element"),
    "event handler": ("<b onmouseover=alert(1)>x</b>", "the event handler `onmouseover=`"),
    "event handler after slash": ("<svg/onload=alert(1)>", "the event handler `onload=`"),
    "event handler with spaces": ('<b ONCLICK = "x()">b</b>', "the event handler `onclick=`"),
    "unclosed tag at the end": ("<img src=x onerror=alert(1) ", "the event handler `onerror=`"),
    "quote carried over from a field before": (
        "' onmouseover=alert(1) x='",
        "the event handler `onmouseover=`",
    ),
    "javascript url": ('<a href="javascript:alert(1)">x</a>', "a javascript: URL"),
    "javascript url in entities": (
        '<a href="&#106;ava&#x09;script&colon;alert(1)">x</a>',
        "a javascript: URL",
    ),
    "javascript url split by blanks": ('<a href=" java\nscript:x">x</a>', "a javascript: URL"),
    "mathjax href": ("\\(\\href{javascript:alert(1)}{x}\\)", "a javascript: URL"),
    "vbscript url": ('<a href="vbscript:x">x</a>', "a vbscript: URL"),
    "url in an svg value list": (
        '<svg><a><animate attributeName="href" values="x;javascript:alert(1)"/></a></svg>',
        "a javascript: URL",
    ),
}


@pytest.mark.parametrize(("html", "finding"), UNSAFE.values(), ids=UNSAFE.keys())
def test_html_that_runs_code_is_refused_in_every_field(built, html, finding):
    quoted = "'" + html.replace("'", "''").replace("\n", "\n\n") + "'"
    faults.fails(
        built,
        {"cards/bad.yaml": faults.card_file(f"- front: q\n  back: {quoted}\n")},
        f"cards/bad.yaml:4:11: `back` contains {finding}, {RUNS}",
    )


SAFE = [
    "<b>bold</b> and <i>italic</i><br><sub>2</sub>",
    '<img src="neuron.png" alt="a neuron">',
    '<a href="https://en.wikipedia.org/wiki/Motor_neuron">more</a>',
    "onset = 5 ms after the stimulus",
    "\\(a < b\\) and \\(x^{2}\\)",
    '<span style="color: red">only = one</span>',
    "JavaScript: the language of the web",
]


@pytest.mark.parametrize("html", SAFE)
def test_ordinary_html_and_prose_are_accepted(built, html):
    quoted = "'" + html.replace("'", "''") + "'"
    faults.write(
        built,
        {
            "cards/fine.yaml": faults.card_file(f"- id: fine\n  front: q2\n  back: {quoted}\n"),
            "media/neuron.png": b"\x89PNG",
        },
    )
    result = faults.invoke(built)
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("opener", ["<", "<img ", "[sound:"])
def test_field_full_of_unclosed_tags_builds_quickly(tmp_path, opener):
    root = tmp_path / "project"
    line = opener * (9000 // len(opener))
    folded = "".join(f"      {line}\n" for _ in range(30))  # `>` joins lines with spaces
    faults.write(
        root, {"cards/a.yaml": faults.card_file(f"- id: lt\n  front: q\n  back: >\n{folded}")}
    )
    program = "from deckwright.cli.main import main; main()"
    done = subprocess.run(
        [sys.executable, "-c", program, "build", str(root)], capture_output=True, timeout=6
    )
    assert done.returncode == 0


_OPEN = re.compile(r"\{\{c([^:}]*)::")
_MATH = re.compile(r"\\\(.*?\\\)|\\\[.*?\\\]", re.DOTALL)


def reference_parse_cloze(text: str) -> list[Deletion]:
    """The character-by-character scan parse_cloze replaced (it jumps between markers)."""
    math = [m.span() for m in _MATH.finditer(text)]

    def in_math(i):
        return any(s <= i < e for s, e in math)

    deletions, stack, index = [], [], 0
    while index < len(text):
        match = _OPEN.match(text, index) if text.startswith("{{c", index) else None
        if match and not in_math(index):
            label = match.group(1)
            if not label.isdigit() or int(label) == 0:
                raise ClozeError("label", index)
            stack.append((int(label), index, match.end()))
            index = match.end()
            continue
        if text.startswith("}}", index) and stack and not in_math(index):
            number, start, content = stack.pop()
            answer, _, hint = text[content:index].partition("::")
            if not answer.strip():
                raise ClozeError("empty", start)
            deletions.append(Deletion(number, answer, hint, start))
            index += 2
            continue
        index += 1
    if stack:
        raise ClozeError("open", stack[-1][1])
    if not deletions:
        raise ClozeError("none", 0)
    return sorted(deletions, key=lambda d: d.offset)


def outcome(function, text):
    try:
        return list(function(text))
    except ClozeError as error:
        return ("error", error.offset)


@given(st.text(alphabet="{}c12:x \\()[]", max_size=40))
def test_parse_cloze_matches_the_character_scan(text):
    assert outcome(parse_cloze, text) == outcome(reference_parse_cloze, text)


@pytest.mark.parametrize(
    "text",
    ["{{c1::a}}}", "{{c1::{{c2::b}}}}", "\\(x^{{2}}\\) {{c1::y}}", "{{c1::a::h}} }} {{c2::b"],
)
def test_parse_cloze_matches_the_character_scan_on_edge_cases(text):
    assert outcome(parse_cloze, text) == outcome(reference_parse_cloze, text)


_LINE_BREAK = re.compile(r"<br\s*/?>|</?(?:p|div|li|ul|ol)\b[^>]*>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]*>")
_INNERMOST = re.compile(r"\{\{c\d+::((?:(?!\{\{c\d+::).)*?)\}\}", re.DOTALL)
_WORD = re.compile(r"[^\W_]+(?:['\u2019-][^\W_]+)*")


def reference_plain(text: str) -> str:
    """markup.plain before its shortcuts for text without tags, deletions or entities."""
    text = markup.sub_before_last(
        _TAG, " ", markup.sub_before_last(_LINE_BREAK, "\n", text, ">"), ">"
    )
    while True:
        shown = markup.sub_before_last(
            _INNERMOST, lambda match: match.group(1).partition("::")[0], text, "}}"
        )
        if shown == text:
            return html.unescape(shown)
        text = shown


MARKUP = st.lists(
    st.sampled_from(
        [
            *("<br>", "<b>", "</p>", "<", ">", "{{c1::", "{{c2::", "{{c0::", "{{c", "}}", "}"),
            *("::", "&amp;", "&lt;b&gt;", "&", ";", "a", "B", "1", " ", "\n", ",", ", and "),
            *("-", "'", "\u2019", "_", "é", "1. ", "- ", "<li>", "yes, ", "is ", ":"),
        ]
    ),
    max_size=30,
).map("".join)


@given(MARKUP)
@example("{{{{c1::c}}1::x}}")
@example("{{c1::a:b::h}} {{c2::x}}")
def test_plain_and_words_match_the_full_substitutions(text):
    assert markup.plain(text) == reference_plain(text)
    assert markup.words(text) == _WORD.findall(reference_plain(text))
    assert markup.lower_words(text) == " ".join(markup.words(text)).lower()


@given(st.text(alphabet=st.sampled_from(list("aZ09 _'-.\u2019\u00e9\u0130\t\n!?,")), max_size=30))
@example("a-b don't x_y")
@settings(max_examples=300)
def test_ascii_words_match_the_word_pattern(text):
    assert markup.plain_words(text) == _WORD.findall(text)


CLOZES = st.lists(
    st.sampled_from(
        [
            *("{{c1::", "{{c2::", "{{c0::", "{{c01::", "{{c999::", "{{c1000::", "{{c", "{{"),
            *("}}", "}", "::", ":", "a", " ", "\\(", "\\)", "\\", "{", "c1::"),
        ]
    ),
    max_size=12,
).map("".join)


@given(CLOZES)
@example("{{c1::a}}}{{c2::b}}")
@example("{{c0::a}}")
@example("{{c1000::b}}")
@example("{{c01::c}}")
@example("{{c1:: }} {{c2::a::h}}")
@settings(max_examples=500)
@example("{{c1::{{c2::b}}}}")
def test_parse_cloze_of_flat_clozes_matches_the_full_scan(text):
    def parsed(text):
        try:
            return parse_cloze.__wrapped__(text)  # not what the cache kept of the first call
        except ClozeError as error:
            return (str(error), error.offset)

    fast = parsed(text)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(markup, "_flat_deletions", lambda text: None)
        assert fast == parsed(text)
