"""Each shortcut taken for speed gives exactly what the slower reference gives."""

from __future__ import annotations

import gc
import html
import os
import re
from pathlib import Path

import pytest
import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st

from deckwright.build import build
from deckwright.errors import BuildFailed, Location, Problem, in_order
from deckwright.incremental import parallel
from deckwright.lint import near_duplicates as duplicates
from deckwright.lint import rules as lint
from deckwright.lint import similar
from deckwright.model import markup
from deckwright.model.cards import Card
from deckwright.model.markup import ClozeError, Deletion, parse_cloze
from deckwright.read import yaml_reader as load

TRICKY = """\
deck: no
tags: [2023-12-08, 1e3, ~, null, '=', <<, 0x1F, .inf]
cards:
  - front: yes
    back: "quoted: no"
    reverse: on
  - cloze: |
      block {{c1::x}}
    extra: >
      folded
"""


def nodes(node):
    yield node
    if isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from nodes(item)
    elif isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            yield from nodes(key)
            yield from nodes(value)


def test_loader_without_implicit_typing_keeps_every_scalar_and_place():
    fast = list(nodes(yaml.compose(TRICKY, Loader=load._Loader)))
    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # what load.py used before
    reference = list(nodes(yaml.compose(TRICKY, Loader=base)))
    assert len(fast) == len(reference)
    for mine, theirs in zip(fast, reference, strict=True):
        assert type(mine) is type(theirs)
        assert (mine.start_mark.line, mine.start_mark.column) == (
            theirs.start_mark.line,
            theirs.start_mark.column,
        )
        if isinstance(mine, yaml.ScalarNode):
            assert (mine.value, mine.style) == (theirs.value, theirs.style)
            assert mine.tag == "tag:yaml.org,2002:str"


def test_explicit_tags_are_still_refused_with_the_fast_loader(tmp_path):
    (tmp_path / "cards").mkdir()
    path = tmp_path / "cards" / "a.yaml"
    path.write_text("deck: D\ncards:\n  - front: !!python/name:os.system x\n    back: b\n")
    raw, problems = load.load_card_file(path, tmp_path)
    assert raw is None
    assert [str(p) for p in problems] == [
        "cards/a.yaml:3:12: the tag `!!python/name:os.system` is not allowed in card files:"
        " remove it and write plain text"
    ]


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
        return function(text)
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


def test_build_turns_the_cycle_collector_back_on_even_when_it_fails(tmp_path):
    (tmp_path / "cards").mkdir()
    (tmp_path / "cards" / "a.yaml").write_text("deck: D\ncards:\n  - front: f\n")
    assert gc.isenabled()
    with pytest.raises(BuildFailed):
        build(tmp_path)
    assert gc.isenabled()


def run_build_deck(project, *args):
    import subprocess
    import sys

    code = (
        "import sys; from deckwright.cli.main import main\n"
        "try:\n    main()\nfinally:\n    print('pydantic' in sys.modules, file=sys.stderr)"
    )
    return subprocess.run(
        [sys.executable, "-c", code, *args], cwd=project, capture_output=True, text=True
    )


def test_plain_build_deck_reports_like_the_typer_command_without_pydantic(tmp_path):
    from typer.testing import CliRunner

    from deckwright.cli.app import app

    (tmp_path / "cards").mkdir()
    (tmp_path / "cards" / "a.yaml").write_text("deck: D\ncards:\n  - front: f\n")
    plain = run_build_deck(tmp_path)
    assert plain.returncode == 1
    assert plain.stderr.splitlines() == [
        "cards/a.yaml:3:5: this card has no `back`: add `back: ...`",
        "1 problem; nothing was written.",
        "False",
    ]
    through_typer = CliRunner().invoke(app, ["build", str(tmp_path)])
    assert through_typer.exit_code == 1
    (tmp_path / "cards" / "a.yaml").write_text(
        "deck: D\nsource: S\ncards:\n  - id: f\n    front: f\n    back: b\n"
    )
    plain = run_build_deck(tmp_path, "build")
    assert plain.returncode == 0
    assert re.fullmatch(
        r"wrote dist/d\.apkg \(\d+\.\d KiB\): 1 note \(1 pair\) -> 1 card in 1 deck\n"
        r"0/0 comparison rows covered\n",
        plain.stdout,
    )


def reference_keys(content):
    """The keys near_duplicates used: each word replaced by itself or a one-letter deletion."""
    if not content:
        yield ("",)
    for place, word in enumerate(content):
        for variant in {word} | similar.deletions(word):
            yield (*content[:place], "\0" + variant, *content[place + 1 :])


def reference_near_duplicates(cards: list[Card]) -> list[Problem]:
    """The card-by-card comparison lint's grouped one replaced (quadratic on template decks)."""
    questions = []
    for card in cards:
        fields = ("cloze",) if card.cloze else ("front", "back") if card.reverse else ("front",)
        for field in fields:
            found = tuple(word.lower() for word in markup.words(getattr(card, field)))
            if found:
                questions.append((card, field, found, duplicates._content(found)))
    index: dict = {}
    pairs: dict = {}
    for number, (card, _, found, content) in enumerate(questions):
        partners: set[int] = set()
        for key in reference_keys(content):
            bucket = index.setdefault(key, [])
            partners.update(bucket)
            bucket.append(number)
        for partner in sorted(partners):
            other = questions[partner]
            if other[0] is card or not duplicates._same_content(other[3], content):
                continue
            if not duplicates._reads_alike(other[2], found):
                continue
            first, later = sorted((other, questions[number]), key=lambda q: (q[0].where, q[1]))
            key = (later[0].where, later[1])
            if key not in pairs or first[0].where < pairs[key][1][0].where:
                pairs[key] = (later, first)
    found = []
    for (later, later_field, _, _), (first, first_field, _, _) in pairs.values():
        shown = " ".join(duplicates.plain(getattr(first, first_field)).split())
        found.append(
            Problem(
                later.at(later_field),
                f"the {later_field} reads almost like the {first_field} of the card at"
                f' {first.where} ("{shown}"), so a student cannot tell which answer is'
                " wanted: reword one to ask something different, or merge the two cards",
            )
        )
    return sorted(found)


# Spelling variants, stop words, plurals and real differences; paths that sort differently as
# text and as Path parts (cards/a-b.yaml, cards/a/b.yaml), so card order is not location order.
QUESTION_WORDS = (
    "the of upper lower motor neuron neurons fibre fiber fibres abduction adduction UMN"
)
QUESTIONS = st.lists(st.sampled_from(QUESTION_WORDS.split()), min_size=1, max_size=4).map(" ".join)
CARDS = st.lists(
    st.tuples(st.sampled_from(["a-b", "a/b", "c"]), QUESTIONS, QUESTIONS, st.booleans()),
    max_size=30,
)


def deck(specs) -> list[Card]:
    lines: dict[str, int] = {}
    cards = []
    for name, front, back, reverse in sorted(specs, key=lambda spec: spec[0]):
        lines[name] = lines.get(name, 0) + 3
        where = Location(Path(f"cards/{name}.yaml"), lines[name], 5)
        cards.append(Card(where, "D", front=front, back=back, reverse=reverse))
    return cards


@given(CARDS)
@example(
    [
        ("c", "upper motor", "upper motor", True),
        ("a/b", "fibre", "x", False),
        ("c", "upper motor", "y", False),
        ("a-b", "fibres", "z", False),
    ]
)
def test_near_duplicates_match_the_card_by_card_comparison(specs):
    cards = deck(specs)
    questions = [duplicates.asked(card) for card in cards]
    assert sorted(duplicates.near_duplicates(cards, questions)) == reference_near_duplicates(cards)


PROBLEMS = st.lists(
    st.builds(
        lambda name, line, column, message: Problem(
            Location(Path(f"cards/{name}.yaml"), line, column), message
        ),
        st.sampled_from(["a-b", "a/b", "a", "B"]),
        st.integers(0, 3),
        st.integers(0, 2),
        st.sampled_from(["x", "y", "X"]),
    ),
    max_size=20,
)


@given(PROBLEMS)
def test_problems_in_order_as_sorted_gives_them(problems):
    assert in_order(problems) == sorted(problems)


def test_parsing_in_two_processes_gives_what_parsing_in_one_gives(tmp_path, monkeypatch):
    from deckwright.incremental import per_file as parse_module

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1750000000")
    for name in ("a", "b", "c"):
        (tmp_path / name / "cards").mkdir(parents=True)
        for number in range(3):
            text = f"deck: D{number}\ncards:\n  - id: p{number}\n    front: f\n    back: b\n"
            text += f"  - id: c{number}\n    cloze: '{{{{c1::x}}}} and {{{{c2::x}}}}'\n"
            (tmp_path / name / "cards" / f"t{number}.yaml").write_text(text)
    serial = build(tmp_path / "a")
    assert any("reads almost like" in str(warning) for warning in serial.warnings)
    forks = []
    fork = os.fork
    monkeypatch.setattr(parallel.os, "fork", lambda: forks.append(1) or fork())
    monkeypatch.setattr(parse_module, "PARALLEL_BYTES", 0)
    shared = build(tmp_path / "b")
    assert forks
    again = build(tmp_path / "b")  # served from the entries both processes kept
    assert len(forks) == 1
    for result in (shared, again):
        assert result.cards == serial.cards
        assert result.warnings == serial.warnings
        assert (tmp_path / "b" / result.output).read_bytes() == (
            tmp_path / "a" / serial.output
        ).read_bytes()


@given(st.lists(CARDS, min_size=1, max_size=4))
@example(
    [
        [("c", "upper motor", "x", False)],
        [("c", "upper motor", "x", False), ("c", "upper motors", "y", False)],
    ]
)
def test_near_duplicates_kept_between_builds_match_a_fresh_check(decks):
    # Each deck is the next edit of the project; the check keeps what it learned between them.
    known = duplicates.Known()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(duplicates, "FRESH_SHARE", 0)  # compare only the new texts, every time
        for specs in decks:
            cards = deck(specs)
            questions = [duplicates.asked(card) for card in cards]
            kept = duplicates.near_duplicates(cards, questions, known)
            assert kept == duplicates.near_duplicates(cards, questions)
            assert sorted(kept) == reference_near_duplicates(cards)


def test_markdown_it_is_imported_only_for_markdown_documents(tmp_path):
    import subprocess
    import sys

    (tmp_path / "cards").mkdir()
    (tmp_path / "cards" / "a.yaml").write_text("deck: D\ncards:\n  - front: f\n    back: b\n")
    code = (
        "import sys; from pathlib import Path; from deckwright.build import build;"
        f" build(Path({str(tmp_path)!r}), write=False); print('markdown_it' in sys.modules)"
    )
    for expected in ("False", "True"):
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        assert out.stdout.strip() == expected, out.stderr
        (tmp_path / "sources").mkdir(exist_ok=True)
        (tmp_path / "sources" / "t.md").write_text("| *a* | b |\n| --- | --- |\n| f | b |\n")


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


def reference_list_items(text: str) -> int:
    """lint.list_items before its shortcuts for answers without `<` or a comma."""
    longest = max(
        len(re.findall(r"<li\b", text, re.IGNORECASE)),
        len(lint._LIST_LINE.findall(_LINE_BREAK.sub("\n", text))),
    )
    for clause in lint._CLAUSE_END.split(reference_plain(text)):
        parts = [part.strip() for part in re.split(r",\s+", clause) if part.strip()]
        if parts and parts[0].lower() in {"yes", "no"}:
            parts = parts[1:]
        if len(parts) < 2:
            continue
        oxford = lint._LEADING_CONJUNCTION.match(parts[-1])
        if oxford:
            parts[-1] = parts[-1][oxford.end() :]
        else:
            parts[-1:] = lint._CONJUNCTION.split(parts[-1])
        if all(len(_WORD.findall(part)) <= lint.MAX_ITEM_WORDS for part in parts) and not any(
            part.split()[0].lower() in lint.CLAUSE_WORDS for part in parts[1:]
        ):
            longest = max(longest, len(parts))
    return longest


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


@given(MARKUP)
def test_list_items_match_the_full_count(text):
    assert lint.list_items(text) == reference_list_items(text)


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
            return parse_cloze(text)
        except ClozeError as error:
            return (str(error), error.offset)

    fast = parsed(text)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(markup, "_flat_deletions", lambda text: None)
        assert fast == parsed(text)


def test_a_failed_parsing_process_is_redone_in_the_build(tmp_path, monkeypatch):
    from deckwright.incremental import per_file as parse_module

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1750000000")
    for name in ("a", "b"):
        (tmp_path / name / "cards").mkdir(parents=True)
        for number in range(3):
            text = (
                f"deck: D{number}\ncards:\n  - id: p{number}\n    front: f{number}\n    back: b\n"
            )
            (tmp_path / name / "cards" / f"t{number}.yaml").write_text(text)
    serial = build(tmp_path / "a")
    monkeypatch.setattr(parse_module, "PARALLEL_BYTES", 0)
    parent, encode = os.getpid(), parse_module.encode

    def fail_in_child(*args):
        if os.getpid() != parent:
            raise MemoryError  # the child sends nothing
        return encode(*args)

    monkeypatch.setattr(parse_module, "encode", fail_in_child)
    parsed = []
    parse = parse_module._parse
    monkeypatch.setattr(
        parse_module,
        "_parse",
        lambda path, root, markup: parsed.append(path) or parse(path, root, markup),
    )
    again = build(tmp_path / "b")
    assert len(parsed) == 3  # the child's files too, here
    assert again.cards == serial.cards
    assert (tmp_path / "b" / again.output).read_bytes() == (
        tmp_path / "a" / serial.output
    ).read_bytes()


def test_a_card_file_with_unsafe_html_fails_alike_in_one_process_or_two(tmp_path, monkeypatch):
    from deckwright.incremental import per_file as parse_module

    for name in ("a", "b"):
        (tmp_path / name / "cards").mkdir(parents=True)
        for number in range(3):
            front = "<script>alert(1)</script>" if number == 2 else f"f{number}"
            text = f"deck: D\ncards:\n  - id: p{number}\n    front: '{front}'\n    back: b\n"
            (tmp_path / name / "cards" / f"t{number}.yaml").write_text(text)
    with pytest.raises(BuildFailed) as serial:
        build(tmp_path / "a")
    monkeypatch.setattr(parse_module, "PARALLEL_BYTES", 0)
    with pytest.raises(BuildFailed) as shared:
        build(tmp_path / "b")
    assert [str(p) for p in shared.value.problems] == [str(p) for p in serial.value.problems]
    assert any("<script>" in str(p) for p in serial.value.problems)
