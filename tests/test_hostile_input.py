"""Broken and hostile card files, through the CLI: a located message, exit 1, dist/ untouched.

Every case starts from a project whose deck is already built, adds one bad file next to the
good one, and checks the exact output and that dist/ and deckwright.lock keep their bytes.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest
from typer.testing import CliRunner

from deckwright.cli import app

GOOD = "deck: Good\ncards:\n  - id: ok\n    front: q\n    back: a\n"
NOTHING = "nothing was written."


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project whose good deck is built, so every failing case can prove dist/ is unchanged."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    root = tmp_path / "project"
    write(root, {"cards/good.yaml": GOOD})
    assert invoke(root).exit_code == 0
    return root


def write(root: Path, files: dict[str, str | bytes]) -> None:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            content = content.encode()
        path.write_bytes(content)


def invoke(root: Path, command: str = "build"):
    return CliRunner().invoke(app, [command, str(root)])


def state(root: Path) -> dict[str, bytes]:
    """Every byte the build may write: the deck folder and the change-time record."""
    files = [*(root / "dist").rglob("*"), root / "deckwright.lock"]
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in files if p.is_file()}


def fails(root: Path, files: dict[str, str | bytes], *expected: str) -> list[str]:
    """Build with `files` added; the output must be exactly `expected` and nothing may change."""
    before = state(root)
    write(root, files)
    result = invoke(root)
    assert result.exit_code == 1, result.output
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit)
    count = len(expected)
    summary = f"{count} problem{'s' if count != 1 else ''}; {NOTHING}"
    assert result.output.splitlines() == [*expected, summary]
    assert state(root) == before
    return result.output.splitlines()


def card_file(body: str) -> str:
    """A card file with one deck and the given cards, written as in the student's editor."""
    return "deck: D\ncards:\n" + textwrap.indent(textwrap.dedent(body), "  ")


# ---- YAML syntax -------------------------------------------------------------------------------

SYNTAX = {
    "unclosed single quote": (
        card_file("- front: 'It''s open\n  back: b\n"),
        "cards/bad.yaml:3:12: this quoted text is never closed: add the closing quote"
        " (inside '...' write '' for an apostrophe)",
    ),
    "unclosed double quote": (
        card_file('- front: "open\n  back: b\n'),
        "cards/bad.yaml:3:12: this quoted text is never closed: add the closing quote"
        " (inside '...' write '' for an apostrophe)",
    ),
    "unclosed bracket": (
        "deck: D\ntags: [a, b\ncards: []\n",
        "cards/bad.yaml:2:7: this `[` is never closed: add the `]`, or put the whole text in"
        " quotes",
    ),
    "unclosed brace": (
        card_file("- cloze: {{c1::x}\n  back: b\n"),
        "cards/bad.yaml:3:12: this `{` is never closed: add the `}`, or put the whole text in"
        " quotes (a cloze that starts with `{{` must be quoted)",
    ),
    "key indented less than its card": (
        card_file("- front: a\n back: b\n"),
        "cards/bad.yaml:4:4: YAML syntax error: did not find expected '-' indicator while"
        " parsing a block collection: check quotes, brackets and indentation on this line and"
        " the one before",
    ),
    "key indented more than its card": (
        card_file("- front: a\n    back: b\n"),
        "cards/bad.yaml:4:11: unexpected `: ` here: put text that contains `: ` in quotes,"
        " or fix the indentation of this line",
    ),
    "colon inside an unquoted value": (
        card_file("- front: Ratio: 2 to 1\n  back: b\n"),
        "cards/bad.yaml:3:17: unexpected `: ` here: put text that contains `: ` in quotes,"
        " or fix the indentation of this line",
    ),
    "tab used for indentation": (
        "deck: D\ncards:\n\t- front: q\n",
        "cards/bad.yaml:3:1: a tab is used for indentation; YAML allows only spaces:"
        " replace the tab with spaces",
    ),
    "tab inside the indentation of a continued value": (
        card_file("- front: multi\n\t  line\n  back: b\n"),
        "cards/bad.yaml:4:3: a tab is used for indentation; YAML allows only spaces:"
        " replace the tab with spaces",
    ),
    "backslash in double quotes": (
        card_file('- front: "\\(x^2\\)"\n  back: b\n'),
        'cards/bad.yaml:3:13: a backslash in "double quotes" starts an escape such as \\n:'
        " use 'single quotes' or a `|` block for text with backslashes (MathJax)",
    ),
    "several documents": (
        "deck: D\ncards: []\n---\ndeck: E\n",
        "cards/bad.yaml:3:1: the file holds several YAML documents (separated by `---`):"
        " keep one per file",
    ),
    "document is a list": (
        "- front: q\n  back: a\n",
        "cards/bad.yaml:1:1: a card file must be a mapping with `deck:` and `cards:` keys,"
        " not a list",
    ),
    "document is a scalar": (
        "just some words\n",
        "cards/bad.yaml:1:1: a card file must be a mapping with `deck:` and `cards:` keys,"
        " not a single value",
    ),
    "empty file": ("", "cards/bad.yaml:1: file is empty: give it a `deck:` and a `cards:` list"),
    "only comments": (
        "# TODO: cards\n\n",
        "cards/bad.yaml:1: file is empty: give it a `deck:` and a `cards:` list",
    ),
    "undefined alias": (
        card_file("- front: *x\n  back: b\n"),
        "cards/bad.yaml:3:12: YAML syntax error: found undefined alias: check quotes, brackets"
        " and indentation on this line and the one before",
    ),
}


@pytest.mark.parametrize(("text", "message"), SYNTAX.values(), ids=SYNTAX.keys())
def test_yaml_syntax_error_is_located_when_the_file_cannot_be_parsed(project, text, message):
    fails(project, {"cards/bad.yaml": text}, message)


# ---- Structure -------------------------------------------------------------------------------

ALLOWED = "allowed keys: id, front, back, reverse, cloze, extra, tags, covers, source, markup"
STRUCTURE = {
    "misspelt card key": (
        card_file("- front: q\n  bakc: a\n"),
        [
            "cards/bad.yaml:3:5: this card has no `back`: add `back: ...`",
            f"cards/bad.yaml:4:5: unknown key `bakc` in this card (did you mean `back`?);"
            f" {ALLOWED}",
        ],
    ),
    "misspelt file key": (
        "dekc: D\ncards:\n  - front: q\n    back: a\n",
        [
            "cards/bad.yaml:1:1: no `deck:` given: name the Anki deck, e.g. `deck: Biology::Cells`",
            "cards/bad.yaml:1:1: unknown key `dekc` in this file (did you mean `deck`?);"
            " allowed keys: deck, tags, source, cards, markup",
        ],
    ),
    "missing back": (
        card_file("- front: q\n"),
        ["cards/bad.yaml:3:5: this card has no `back`: add `back: ...`"],
    ),
    "missing front": (
        card_file("- back: a\n"),
        ["cards/bad.yaml:3:5: this card has no `front`: add `front: ...`"],
    ),
    "empty front": (
        card_file("- front: ''\n  back: a\n"),
        ["cards/bad.yaml:3:12: `front` is empty: write the front text after `front:`"],
    ),
    "blank back": (
        card_file("- front: q\n  back:\n"),
        ["cards/bad.yaml:4:10: `back` is empty: write the back text after `back:`"],
    ),
    "empty cloze": (
        card_file("- cloze: '  '\n"),
        ["cards/bad.yaml:3:12: `cloze` is empty: write the cloze text after `cloze:`"],
    ),
    "card with neither": (
        card_file("- extra: e\n"),
        ["cards/bad.yaml:3:5: this card has neither `front`/`back` nor `cloze`: add one"],
    ),
    "front and cloze together": (
        card_file("- front: q\n  cloze: '{{c1::a}}'\n"),
        [
            "cards/bad.yaml:3:5: a card has either `front`/`back` or `cloze`, not both:"
            " split it into two cards"
        ],
    ),
    "reverse sometimes": (
        card_file("- front: q\n  back: a\n  reverse: sometimes\n"),
        ["cards/bad.yaml:5:14: `reverse` must be true or false, not `sometimes`"],
    ),
    "tags a number": (
        card_file("- front: q\n  back: a\n  tags: 5\n"),
        ["cards/bad.yaml:5:11: `tags` must be a list, e.g. `tags: [first, second]`"],
    ),
    "tag with a space": (
        card_file("- front: q\n  back: a\n  tags: [two words]\n"),
        [
            "cards/bad.yaml:5:12: tag `two words` is empty or contains a space, which Anki"
            " cannot store: join words with `_` and nest with `::`"
        ],
    ),
    "mapping where text belongs": (
        card_file("- front: {a: b}\n  back: a\n"),
        [
            "cards/bad.yaml:3:12: `front` must be text, not a mapping: put the text on the same"
            " line (quote it if it contains `: ` or starts with `[` or `{`)"
        ],
    ),
    "list where text belongs": (
        card_file("- front: q\n  back:\n    - one\n    - two\n"),
        [
            "cards/bad.yaml:5:7: `back` must be text, not a list: put the text on the same"
            " line (quote it if it contains `: ` or starts with `[` or `{`)"
        ],
    ),
    "cards not a list": (
        "deck: D\ncards: none yet\n",
        ["cards/bad.yaml:2:8: `cards` must be a list: start each card with `- `"],
    ),
    "card not a mapping": (
        card_file("- just a question\n"),
        [
            "cards/bad.yaml:3:5: each item of `cards` must be a card with keys such as"
            " `front:` and `back:`, or `cloze:`"
        ],
    ),
    "no cards key": (
        "deck: D\n",
        [
            "cards/bad.yaml:1:1: no `cards:` list: add `cards:` with one `- front: ...` per card",
        ],
    ),
    "duplicate key in a card": (
        card_file("- front: q\n  back: a\n  front: r\n"),
        ["cards/bad.yaml:5:5: `front` is given twice in this card: keep one"],
    ),
    "duplicate key in the file": (
        "deck: D\ndeck: E\ncards: []\n",
        ["cards/bad.yaml:2:1: `deck` is given twice in this file: keep one"],
    ),
    "number as key": (
        card_file("- front: q\n  back: a\n  1: x\n"),
        [f"cards/bad.yaml:5:5: unknown key `1` in this card; {ALLOWED}"],
    ),
    "list as key": (
        card_file("- front: q\n  back: a\n  [x, y]: z\n"),
        [
            "cards/bad.yaml:5:5: a key must be a plain word such as `front`, not a list or"
            " mapping: remove the brackets or the `?`"
        ],
    ),
    "deck with an empty part": (
        "deck: Bio::::Cells\ncards: []\n",
        ["cards/bad.yaml:1:7: deck name `Bio::::Cells` has an empty part between `::` separators"],
    ),
    "very long unknown key is shortened": (
        card_file("- front: q\n  back: a\n  " + "k" * 500 + ": x\n"),
        [f"cards/bad.yaml:5:5: unknown key `{'k' * 40}...` in this card; {ALLOWED}"],
    ),
}


@pytest.mark.parametrize(("text", "messages"), STRUCTURE.values(), ids=STRUCTURE.keys())
def test_structure_problem_names_line_column_and_fix_when_a_card_is_malformed(
    project, text, messages
):
    fails(project, {"cards/bad.yaml": text}, *messages)


def test_all_problems_of_a_run_are_reported_when_several_files_are_wrong(project):
    fails(
        project,
        {
            "cards/a.yaml": card_file("- front: q\n  bakc: a\n"),
            "cards/sub/b.yaml": card_file("- cloze: no deletion here\n- front: x\n"),
        },
        "cards/a.yaml:3:5: this card has no `back`: add `back: ...`",
        f"cards/a.yaml:4:5: unknown key `bakc` in this card (did you mean `back`?); {ALLOWED}",
        "cards/sub/b.yaml:3:12: a cloze needs at least one deletion such as {{c1::answer}}:"
        " mark what to hide",
        "cards/sub/b.yaml:4:5: this card has no `back`: add `back: ...`",
    )


def test_duplicate_ids_name_both_places_when_two_files_share_an_id(project):
    fails(
        project,
        {"cards/a.yaml": card_file("- id: ok\n  front: other\n  back: b\n")},
        "cards/good.yaml:3:5: id `ok` is already used at cards/a.yaml:3:5: ids must be unique"
        " across all card files, rename one",
    )


def test_same_question_twice_names_both_cards_when_neither_has_an_id(project):
    fails(
        project,
        {"cards/a.yaml": card_file("- front: Same?\n  back: b\n- front: Same?\n  back: c\n")},
        "cards/a.yaml:5:5: this card asks the same as the card at cards/a.yaml:3:5, so Anki"
        " would treat them as one note: reword one or give each an `id`",
    )


def test_problems_are_capped_with_the_total_when_a_file_has_hundreds(project):
    cards = "".join(f"- front: q{i}\n  bakc: a\n" for i in range(150))
    before = state(project)
    write(project, {"cards/bad.yaml": card_file(cards)})
    result = invoke(project)
    lines = result.output.splitlines()
    assert result.exit_code == 1
    assert len(lines) == 201
    assert lines[0] == "cards/bad.yaml:3:5: this card has no `back`: add `back: ...`"
    assert lines[-1] == f"300 problems (the first 200 shown); {NOTHING}"
    assert state(project) == before


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
}


@pytest.mark.parametrize(("text", "message"), CLOZE.values(), ids=CLOZE.keys())
def test_cloze_problem_is_reported_when_anki_could_not_show_it(project, text, message):
    fails(
        project,
        {"cards/bad.yaml": card_file(f"- cloze: '{text}'\n")},
        f"cards/bad.yaml:3:12: {message}",
    )


def test_nested_cloze_gives_the_inner_deletion_a_card_of_its_own(tmp_path):
    """Anki shows a nested deletion as its own card; genanki's rule would have dropped it."""
    from deckwright.markup import to_html
    from deckwright.notes import CLOZE_ID, NoteRow, card_ords

    nested = NoteRow("g", "D", CLOZE_ID, (to_html("{{c1::a {{c2::b}} c}}"), "", ""), ())
    side_by_side = NoteRow("g", "D", CLOZE_ID, (to_html("{{c1::a}} {{c2::b}}"), "", ""), ())
    assert (len(card_ords(nested)), len(card_ords(side_by_side))) == (2, 2)


def test_mathjax_braces_do_not_end_a_deletion_when_a_cloze_holds_math(project):
    write(
        project,
        {"cards/math.yaml": card_file("- id: m\n  cloze: '{{c1::\\(x^{2^{3}}\\)}} is big'\n")},
    )
    result = invoke(project)
    assert result.exit_code == 0, result.output


# ---- Encoding ----------------------------------------------------------------------------------


def test_invalid_utf8_names_line_column_and_byte_offset(project):
    fails(
        project,
        {"cards/bad.yaml": b"deck: D\ncards:\n  - front: caf\xe9\n    back: b\n"},
        "cards/bad.yaml:3:15: not valid UTF-8 (byte 0xe9 at byte offset 29): save the file as"
        " UTF-8 in your editor",
    )


def test_utf16_file_is_refused_as_not_utf8(project):
    fails(
        project,
        {"cards/bad.yaml": "deck: D\n".encode("utf-16")},
        "cards/bad.yaml:1:1: not valid UTF-8 (byte 0xff at byte offset 0): save the file as"
        " UTF-8 in your editor",
    )


def test_nul_byte_is_refused_with_its_place(project):
    fails(
        project,
        {"cards/bad.yaml": b"deck: D\ncards:\n  - front: a\x00b\n"},
        "cards/bad.yaml:3:13: contains a NUL byte: this is not a text file, remove it",
    )


def test_raw_control_character_is_refused_with_its_place(project):
    fails(
        project,
        {"cards/bad.yaml": "deck: D\ncards:\n  - front: é\x07\n".encode()},
        "cards/bad.yaml:3:13: contains the control character U+0007, which YAML does not allow:"
        " delete it (it is often invisible; retype the line)",
    )


@pytest.mark.parametrize(("escape", "code"), [("\\x1f", "001F"), ("\\0", "0000"), ("\\e", "001B")])
def test_escaped_control_character_is_refused_when_it_would_corrupt_the_note(project, escape, code):
    fails(
        project,
        {"cards/bad.yaml": card_file(f'- front: "a{escape}b"\n  back: c\n')},
        f"cards/bad.yaml:3:12: `front` contains the control character U+{code}, which Anki"
        " cannot store: remove the escape that produces it",
    )


def test_bom_and_crlf_are_accepted_and_lines_stay_right(project):
    text = "\ufeffdeck: D\r\ncards:\r\n  - id: crlf\r\n    front: q\r\n    back: a\r\n"
    write(project, {"cards/win.yaml": text.encode()})
    assert invoke(project).exit_code == 0
    fails(
        project,
        {"cards/win.yaml": text.replace("back", "bakc").encode()},
        "cards/win.yaml:3:5: this card has no `back`: add `back: ...`",
        f"cards/win.yaml:5:5: unknown key `bakc` in this card (did you mean `back`?); {ALLOWED}",
    )


IMPLICIT = ["no", "on", "Yes", "2023-12-08", "1e3", "0x1F", ".inf", "-.NaN", "0o17", "12:30:00"]


def test_yaml_implicit_types_stay_the_text_written_in_the_anki_note(project, tmp_path):
    cards = "".join(
        f"- id: t{i}\n  front: {value}\n  back: {value}\n" for i, value in enumerate(IMPLICIT)
    )
    write(
        project,
        {
            "cards/types.yaml": "deck: 2024\ntags: [yes, 1e3]\ncards:\n"
            + textwrap.indent(cards, "  ")
        },
    )
    result = invoke(project)
    assert result.exit_code == 0, result.output
    col = Collection(str(tmp_path / "c.anki2"))
    try:
        col.import_anki_package(
            ImportAnkiPackageRequest(
                package_path=str(project / "dist" / "deck.apkg"),
                options=ImportAnkiPackageOptions(with_scheduling=True, merge_notetypes=True),
            )
        )
        notes = [col.get_note(nid) for nid in col.find_notes("deck:2024")]
        assert sorted(note.fields[0] for note in notes) == sorted(IMPLICIT)
        assert all(note.fields[1] == note.fields[0] for note in notes)
        assert all(sorted(note.tags) == ["1e3", "yes"] for note in notes)
        assert col.decks.by_name("2024") is not None
    finally:
        col.close()


# ---- Resource abuse -----------------------------------------------------------------------------


def run_build(
    root: Path, timeout: float = 60
) -> tuple[subprocess.CompletedProcess[str], float, int]:
    """build-deck in a child process, so a crash cannot take pytest down: result, seconds, peak KiB.

    The child is wrapped so RUSAGE_CHILDREN sees only it, not the other children of pytest.
    """
    wrapper = (
        "import resource, subprocess, sys\n"
        "done = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
        "sys.stdout.write(done.stdout)\n"
        "sys.stderr.write(done.stderr)\n"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr)\n"
        "sys.exit(done.returncode)\n"
    )
    child = [sys.executable, "-c", "from deckwright.cli import main; main()", "build", str(root)]
    command = [sys.executable, "-c", wrapper, *child]
    start = time.monotonic()
    done = subprocess.run(
        command, capture_output=True, text=True, timeout=timeout, env={**os.environ}
    )
    elapsed = time.monotonic() - start
    *lines, peak = done.stderr.splitlines()
    done.stderr = "\n".join(lines) + "\n"
    return done, elapsed, int(peak)


@pytest.fixture(scope="module")
def baseline_kib(tmp_path_factory) -> int:
    """Peak memory of a build of one small file: what the limits below are measured against."""
    root = tmp_path_factory.mktemp("baseline")
    write(root, {"cards/good.yaml": GOOD})
    done, _, peak = run_build(root)
    assert done.returncode == 0, done.stderr
    return peak


def alias_bomb() -> str:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in "bcdefghi":
        previous = chr(ord(level) - 1)
        lines.append(f"{level}: &{level} [" + ",".join([f"*{previous}"] * 9) + "]")
    return "\n".join(lines) + "\n"


DEPTH = "lists and mappings nested more than 50 deep: card files never need this, flatten the"
DEPTH += " structure (or quote text that starts with `[` or `{`)"
RESOURCE = {
    "4000 nested brackets on one line": (
        lambda: "deck: D\ncards: " + "[" * 4000 + "]" * 4000 + "\n",
        f"cards/bad.yaml:2:57: {DEPTH}",
    ),
    "100k nested brackets, one per line": (
        lambda: "deck: D\ncards:\n" + " [\n" * 100_000 + " ]\n" * 100_000,
        f"cards/bad.yaml:52:2: {DEPTH}",
    ),
    "nested braces written as cloze-like pairs": (
        lambda: "deck: D\ncards:\n" + " {{\n" * 20_000 + " }: 1}\n" * 20_000,
        f"cards/bad.yaml:27:3: {DEPTH}",
    ),
    "closing brackets hidden in quotes": (
        lambda: "deck: D\ncards:\n" + ' ["]",\n' * 40_000 + " ]\n" * 40_000,
        f"cards/bad.yaml:52:2: {DEPTH}",
    ),
    "nested block lists": (
        lambda: "deck: D\ncards:\n" + "  " + "- " * 4000 + "x\n",
        f"cards/bad.yaml:3:101: {DEPTH}",
    ),
    "too many values": (
        lambda: "deck: D\ncards:\n" + ("  - [" + ",".join(["x"] * 3000) + "]\n") * 40,
        "cards/bad.yaml:36:1928: file has more than 100000 values (keys, texts and lists):"
        " split it into several card files",
    ),
    "50 MB file": (
        lambda: "deck: D\ncards:\n" + "  - front: q\n    back: a\n" * 2_000_000,
        "cards/bad.yaml: file is over the 1 MB limit for one card file: split it into several"
        " files",
    ),
    "900 kB single line": (
        lambda: "deck: D\ncards: [" + "x," * 450_000 + "]\n",
        "cards/bad.yaml:2: line is 900009 characters long, over the 10000 limit: break it up"
        " (a `|` block keeps line breaks)",
    ),
}


@pytest.mark.parametrize(("make", "message"), RESOURCE.values(), ids=RESOURCE.keys())
def test_resource_abuse_is_refused_quickly_in_bounded_memory(project, baseline_kib, make, message):
    before = state(project)
    write(project, {"cards/bad.yaml": make()})
    done, seconds, peak = run_build(project)
    assert done.returncode == 1, done.stderr
    assert done.stderr.splitlines() == [message, f"1 problem; {NOTHING}"]
    assert "Traceback" not in done.stderr
    assert seconds < 10
    assert peak - baseline_kib < 20_000, f"peak {peak} KiB, baseline {baseline_kib} KiB"
    assert state(project) == before


def test_alias_bomb_is_refused_once_per_anchor_without_expanding(project):
    before = state(project)
    write(project, {"cards/bad.yaml": alias_bomb()})
    start = time.monotonic()
    result = invoke(project)
    assert time.monotonic() - start < 5
    alias = "anchors and aliases (`&name`, `*name`) are not supported: write the value out"
    assert result.output.splitlines() == [
        *(f"cards/bad.yaml:{line}:8: {alias}" for line in range(2, 10)),  # first use of each
        f"8 problems; {NOTHING}",
    ]
    assert result.exit_code == 1
    assert state(project) == before


# ---- Code execution and tags -------------------------------------------------------------------

TAGS = {
    "python object apply": "!!python/object/apply:os.system ['touch {marker}']",
    "python name": "!!python/name:os.system",
    "python module": "!!python/module:os",
    "binary": "!!binary aGVsbG8=",
    "set": "!!set {{a, b}}",
    "local tag": "!touch {marker}",
    "verbatim tag": "!<tag:yaml.org,2002:python/object/apply:os.system> ['touch {marker}']",
}


@pytest.mark.parametrize("value", TAGS.values(), ids=TAGS.keys())
def test_non_standard_tag_is_refused_and_nothing_runs(project, tmp_path, value):
    marker = tmp_path / "ran"
    text = value.format(marker=marker)
    result_lines = fails_loose(project, {"cards/bad.yaml": f"deck: {text}\ncards: []\n"})
    assert result_lines[0].startswith("cards/bad.yaml:1:7: the tag `")
    assert result_lines[0].endswith(
        "` is not allowed in card files: remove it and write plain text"
    )
    assert not marker.exists()


def fails_loose(root: Path, files: dict[str, str | bytes]) -> list[str]:
    before = state(root)
    write(root, files)
    result = invoke(root)
    assert result.exit_code == 1, result.output
    assert state(root) == before
    return result.output.splitlines()


def test_tag_directive_cannot_smuggle_a_python_tag(project, tmp_path):
    marker = tmp_path / "ran"
    text = (
        "%TAG !p! tag:yaml.org,2002:python/\n---\n"
        f"deck: !p!object/apply:os.system ['touch {marker}']\ncards: []\n"
    )
    fails(
        project,
        {"cards/bad.yaml": text},
        "cards/bad.yaml:3:7: the tag `!!python/object/apply:os.system` is not allowed in card"
        " files: remove it and write plain text",
    )
    assert not marker.exists()


# ---- Paths that leave the project -------------------------------------------------------------


def test_card_file_linked_from_outside_the_project_is_refused(project, tmp_path):
    outside = tmp_path / "elsewhere.yaml"
    outside.write_text(GOOD.replace("ok", "other"))
    (project / "cards" / "linked.yaml").symlink_to(outside)
    fails(
        project,
        {},
        f"cards/linked.yaml: is a link to {outside.resolve()}, outside the project: a build only"
        " reads files inside the project, so copy the file in instead of linking to it",
    )


def test_cards_folder_linked_from_outside_the_project_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    outside = tmp_path / "shared"
    write(outside, {"a.yaml": GOOD})
    root = tmp_path / "project"
    root.mkdir()
    (root / "cards").symlink_to(outside, target_is_directory=True)
    result = invoke(root)
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == (
        f"cards/a.yaml: is a link to {(outside / 'a.yaml').resolve()}, outside the project: a"
        " build only reads files inside the project, so copy the file in instead of linking to it"
    )
    assert not (root / "dist").exists()


def test_card_file_linked_inside_the_project_is_read(project):
    write(project, {"shared/extra.yaml": GOOD.replace("ok", "shared")})
    (project / "cards" / "extra.yaml").symlink_to(project / "shared" / "extra.yaml")
    result = invoke(project)
    assert result.exit_code == 0, result.output
    assert "2 notes" in result.output


def test_dist_linked_outside_the_project_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    root = tmp_path / "project"
    write(root, {"cards/good.yaml": GOOD})
    outside = tmp_path / "outside"
    outside.mkdir()
    (root / "dist").symlink_to(outside, target_is_directory=True)
    result = invoke(root)
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"dist: is a link to {outside.resolve()}, outside the project: remove the link",
        f"1 problem; {NOTHING}",
    ]
    assert list(outside.iterdir()) == []


def test_dist_that_is_a_file_is_reported_and_kept(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    root = tmp_path / "project"
    write(root, {"cards/good.yaml": GOOD, "dist": "my notes"})
    result = invoke(root)
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "dist: is a file, not a folder: rename or remove it so the deck can be written",
        f"1 problem; {NOTHING}",
    ]
    assert (root / "dist").read_text() == "my notes"


def test_folder_named_like_a_card_file_is_skipped_and_its_files_read(project):
    write(project, {"cards/odd.yaml/inner.yaml": GOOD.replace("ok", "inner")})
    result = invoke(project)
    assert result.exit_code == 0, result.output
    assert "2 notes" in result.output


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their permissions")
def test_unreadable_card_file_is_reported(project):
    path = project / "cards" / "secret.yaml"
    path.write_text(GOOD)
    path.chmod(0)
    fails(
        project, {}, "cards/secret.yaml: cannot read the file (Permission denied): check it exists"
    )


@pytest.mark.parametrize(
    ("arguments", "shown"),
    [
        (["build", "no-such-folder"], "does not exist"),
        (["build", "--frobnicate"], "No such option"),
    ],
)
def test_usage_error_exits_2_without_traceback(arguments, shown):
    result = CliRunner().invoke(app, arguments)
    assert result.exit_code == 2
    assert shown in result.output
    assert "Traceback" not in result.output


def test_project_path_that_is_a_file_is_a_usage_error(tmp_path):
    (tmp_path / "file").write_text("x")
    result = CliRunner().invoke(app, ["build", str(tmp_path / "file")])
    assert result.exit_code == 2
    assert "is a file" in result.output


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
def test_html_that_runs_code_is_refused_in_every_field(project, html, finding):
    quoted = "'" + html.replace("'", "''").replace("\n", "\n\n") + "'"
    fails(
        project,
        {"cards/bad.yaml": card_file(f"- front: q\n  back: {quoted}\n")},
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
def test_ordinary_html_and_prose_are_accepted(project, html):
    quoted = "'" + html.replace("'", "''") + "'"
    write(
        project,
        {
            "cards/fine.yaml": card_file(f"- id: fine\n  front: q2\n  back: {quoted}\n"),
            "media/neuron.png": b"\x89PNG",
        },
    )
    result = invoke(project)
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("opener", ["<", "<img ", "[sound:"])
def test_field_full_of_unclosed_tags_builds_quickly(tmp_path, opener):
    root = tmp_path / "project"
    line = opener * (9000 // len(opener))
    folded = "".join(f"      {line}\n" for _ in range(30))  # `>` joins lines with spaces
    write(root, {"cards/a.yaml": card_file(f"- id: lt\n  front: q\n  back: >\n{folded}")})
    program = "from deckwright.cli import main; main()"
    done = subprocess.run(
        [sys.executable, "-c", program, "build", str(root)], capture_output=True, timeout=6
    )
    assert done.returncode == 0


def test_deck_name_cannot_steer_the_output_path(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    root = tmp_path / "project"
    write(
        root,
        {"cards/a.yaml": "deck: ../../../evil\ncards:\n  - id: x\n    front: q\n    back: a\n"},
    )
    result = invoke(root)
    assert result.exit_code == 0, result.output
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.apkg")) == [
        "project/dist/evil.apkg"
    ]


def test_check_reports_the_same_problems_without_writing(project):
    before = state(project)
    write(project, {"cards/bad.yaml": card_file("- front: q\n  reverse: maybe\n")})
    result = invoke(project, "check")
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "cards/bad.yaml:3:5: this card has no `back`: add `back: ...`",
        "cards/bad.yaml:4:14: `reverse` must be true or false, not `maybe`",
        f"2 problems; {NOTHING}",
    ]
    assert state(project) == before
