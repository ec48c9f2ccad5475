"""Property-based tests: no card file, however broken, crashes or hangs the build.

Random text, random bytes and valid files with characters, keys, indentation and values
perturbed must end in a build or in problems that each name the file and a line; a valid file
must reach Anki as exactly the notes written. Each example has a deadline, so a hang fails too.

The default example count keeps CI fast. For a long local fuzz:

    DECKWRIGHT_FUZZ_EXAMPLES=20000 pytest tests/test_fuzz.py
"""

from __future__ import annotations

import os
import re
import sqlite3
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from deckwright.build import build
from deckwright.cli.app import app
from deckwright.errors import BuildFailed
from deckwright.model import markup
from deckwright.model.card_format import NULL_WORDS
from deckwright.package import identity

EXAMPLES = int(os.environ.get("DECKWRIGHT_FUZZ_EXAMPLES", "60"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=timedelta(seconds=3),
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=EXAMPLES <= 60,  # CI runs the same examples every time; long runs explore
)
CARD_FILE = Path("cards/fuzz.yaml")


@contextmanager
def project(content: str | bytes) -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        path = root / CARD_FILE
        path.parent.mkdir()
        path.write_bytes(content.encode() if isinstance(content, str) else content)
        yield root


def assert_located(content: str | bytes) -> None:
    """The build succeeds, or fails with problems that each name the card file and a line."""
    with project(content) as root:
        try:
            build(root, write=False)
        except BuildFailed as failed:
            assert failed.problems
            for problem in failed.problems:
                assert problem.where.path == CARD_FILE, problem
                assert problem.where.line >= 1, problem
                assert problem.message.strip(), problem


# ---- Valid card files, written the way a student might ------------------------------------------

# Written plain, YAML 1.1 would make these booleans, dates and numbers; they must stay text.
TRICKY = ["no", "on", "yes", "off", "null", "2023-12-08", "1e3", "0x1F", ".inf", "12:30", "~"]
WORDS = (
    st.text(
        alphabet=st.characters(
            codec="utf-8",
            categories=["L", "N", "Zs", "P", "S"],
            exclude_characters="<=\\{}\u2028\u2029\x85",
        ),
        min_size=1,
        max_size=30,
    )
    .map(lambda text: " ".join(text.split()))
    .filter(bool)
)
# The HTML safety policy has its own tests; here only text it lets through.
TEXT = st.one_of(WORDS, st.sampled_from(TRICKY)).filter(lambda t: not markup.unsafe_html(t))
TAG = st.from_regex(r"[a-z][a-z0-9_]{0,8}(::[a-z0-9_]{1,6})?", fullmatch=True)


def quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


@st.composite
def scalar(draw, text: str) -> str:
    """The same text written plain (when YAML keeps it text), quoted, or as a block."""
    # Plain `null` and `~` mean "nothing" (as in YAML 1.2, which editors' schemas follow).
    plain_is_safe = (
        re.fullmatch(r"[A-Za-z][A-Za-z0-9 .,()]*", text) or text in TRICKY
    ) and text not in NULL_WORDS
    style = draw(
        st.sampled_from(["quoted", "block", "plain"] if plain_is_safe else ["quoted", "block"])
    )
    if style == "plain" or (style == "block" and text.strip() != text):
        return text if style == "plain" else quoted(text)
    return quoted(text) if style == "quoted" else "|-\n        " + text


@st.composite
def valid_files(draw) -> tuple[str, list[tuple[tuple[str, ...], tuple[str, ...]]]]:
    """A valid card file and the notes (fields, tags) Anki must end up with."""
    file_tags = draw(st.lists(TAG, max_size=2, unique=True))
    lines = ["# written by the fuzzer", f"deck: {quoted(draw(WORDS).replace(':', ';'))}"]
    if file_tags:
        lines.append(f"tags: [{', '.join(file_tags)}]")
    lines.append("cards:")
    notes = []
    for number in range(draw(st.integers(1, 4))):
        tags = draw(st.lists(TAG, max_size=2, unique=True))
        all_tags = tuple(sorted(dict.fromkeys(file_tags + tags)))
        lines.append(f"  - id: card{number}")
        if draw(st.booleans()):
            front, back = draw(TEXT), draw(TEXT)
            reverse = draw(st.booleans())
            lines += [f"    front: {draw(scalar(front))}", f"    back: {draw(scalar(back))}"]
            if reverse:
                lines.append(f"    reverse: {draw(st.sampled_from(['true', 'yes', 'True']))}")
            notes.append(((front, back, "", "", "y" if reverse else ""), all_tags))
        else:
            answer = draw(WORDS.filter(lambda w: ":" not in w and w.strip()))
            before, after = draw(WORDS), draw(WORDS)
            cloze = f"{before} {{{{c1::{answer}}}}} {after}".strip()
            assume(not markup.unsafe_html(cloze))
            lines.append(f"    cloze: {quoted(cloze)}")
            notes.append(((cloze, "", ""), all_tags))
        if tags:
            lines.append(f"    tags: [{', '.join(tags)}]")
    return "\n".join(lines) + "\n", notes


def notes_in(apkg: Path) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    with tempfile.TemporaryDirectory() as folder:
        collection = Path(folder) / "collection.anki2"
        with zipfile.ZipFile(apkg) as archive:
            collection.write_bytes(archive.read("collection.anki2"))
        connection = sqlite3.connect(collection)
        try:
            rows = connection.execute("SELECT flds, tags FROM notes").fetchall()
        finally:
            connection.close()
    return sorted((tuple(f.split("\x1f")), tuple(sorted(t.split()))) for f, t in rows)


@FUZZ
@given(valid_files())
def test_valid_file_round_trips_to_the_same_notes(case):
    text, expected = case
    with project(text) as root:
        result = build(root)
        assert notes_in(root / result.output) == sorted(expected)


# ---- Broken files ----------------------------------------------------------------------------

YAMLISH = st.text(
    alphabet=" \n\t-:[]{}'\"#&*!|>?%@`,.~\\abc01xyfrontbackclozedeckcardsidtags\ufeff\r\x00",
    max_size=200,
)


@st.composite
def mutated(draw) -> str:
    """A valid file with one to three small edits, as a slip of the keyboard would make."""
    text, _ = draw(valid_files())
    for _ in range(draw(st.integers(1, 3))):
        lines = text.split("\n")
        where = draw(st.integers(0, len(lines) - 1))
        edit = draw(
            st.sampled_from(
                ["insert", "delete", "indent", "dedent", "duplicate", "key", "value", "tab"]
            )
        )
        line = lines[where]
        if edit == "insert":
            at = draw(st.integers(0, len(line)))
            line = line[:at] + draw(st.sampled_from(list(":-[]{}'\"#&*!|> \t{{c1::}}"))) + line[at:]
        elif edit == "delete" and line:
            at = draw(st.integers(0, len(line) - 1))
            line = line[:at] + line[at + 1 :]
        elif edit == "indent":
            line = " " * draw(st.integers(1, 3)) + line
        elif edit == "dedent":
            line = line[draw(st.integers(1, 3)) :]
        elif edit == "duplicate":
            lines.insert(where, line)
        elif edit == "key":
            key = draw(st.sampled_from(["bakc", "fornt", "clzoe", "reverse", "tags", "id", "deck"]))
            line = re.sub(r"^(\s*-?\s*)[a-z]+:", rf"\g<1>{key}:", line)
        elif edit == "value":
            value = draw(
                st.sampled_from(
                    [
                        "sometimes",
                        "[a, b]",
                        "{a: b}",
                        "5",
                        "''",
                        "!!python/name:os.system",
                        "*x",
                        "&x y",
                        "'{{c0::x}}'",
                        "'{{c1::x'",
                        "'<script>x</script>'",
                        '"\\x1f"',
                        "|",
                    ]
                )
            )
            key, colon, _ = line.partition(":")
            line = f"{key}: {value}" if colon else line
        elif edit == "tab":
            line = "\t" + line.lstrip(" ")
        lines[where] = line
        text = "\n".join(lines)
    return text


@FUZZ
@given(mutated())
def test_mutated_file_builds_or_fails_with_located_problems(text):
    assert_located(text)


@FUZZ
@given(st.one_of(st.text(max_size=300), YAMLISH))
def test_random_text_builds_or_fails_with_located_problems(text):
    assert_located(text)


@FUZZ
@given(st.binary(max_size=200))
def test_random_bytes_build_or_fail_with_located_problems(data):
    assert_located(data)


@settings(FUZZ, max_examples=max(10, EXAMPLES // 4))
@given(mutated())
def test_cli_never_shows_a_traceback_for_a_mutated_file(text):
    with project(text) as root:
        result = CliRunner().invoke(app, ["check", str(root)])
    assert result.exit_code in (0, 1), result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output


# ---- The linear rewrites behave exactly like the regexes they replace --------------------------

MATH_TEXT = st.text(alphabet="\\()[]x}{ ", max_size=40)
CLOZE_TEXT = st.text(alphabet="{}c1:<> ab", max_size=40)
_REFERENCE_MATH = re.compile(r"\\\(.*?\\\)|\\\[.*?\\\]", re.DOTALL)


@FUZZ
@given(MATH_TEXT)
def test_math_spans_match_the_lazy_regex(text):
    assert markup._math_spans(text) == [m.span() for m in _REFERENCE_MATH.finditer(text)]
    expected = _REFERENCE_MATH.sub(lambda m: re.sub(r"\}(?=\})", "} ", m.group()), text)
    assert markup.protect_math(text) == expected


@FUZZ
@given(CLOZE_TEXT)
def test_cut_substitution_matches_the_plain_one(text):
    for pattern, replacement, end in [
        (identity._DELETION, r"{{c\1}}", "}}"),
        (markup.TAG, " ", ">"),
        (markup.LINE_BREAK, "\n", ">"),
    ]:
        assert markup.sub_before_last(pattern, replacement, text, end) == pattern.sub(
            replacement, text
        )
