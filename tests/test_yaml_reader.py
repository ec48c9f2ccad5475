import textwrap
from pathlib import Path

import pytest
import yaml
from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest
from hypothesis import given, settings
from hypothesis import strategies as st

from deckwright.read import yaml_reader as load_module
from deckwright.read.yaml_reader import RawList, RawMap, RawScalar, load_card_file
from tests import faults


def load(project, text: str | bytes):
    project.write({"cards/a.yaml": text})
    return load_card_file(project.root / "cards/a.yaml", project.root)


def messages(problems) -> list[str]:
    return [str(problem) for problem in problems]


def test_scalars_keep_the_text_written_when_yaml_would_retype_them(project):
    raw, problems = load(project, "a: no\nb: 2023-12-08\nc: 1e3\nd: 0x1F\ne: .inf\nf: on\n")
    assert problems == []
    assert [value.text for _, value in raw.items] == [
        "no",
        "2023-12-08",
        "1e3",
        "0x1F",
        ".inf",
        "on",
    ]


def test_every_value_carries_its_line_and_column(project):
    raw, _ = load(project, "deck: D\ncards:\n  - front: q\n    back: a\n")
    cards = dict((k.text, v) for k, v in raw.items)["cards"]
    assert isinstance(cards, RawList)
    card = cards.items[0]
    assert isinstance(card, RawMap)
    back = card.items[1][1]
    assert isinstance(back, RawScalar)
    assert (back.where.path, back.where.line, back.where.column) == (Path("cards/a.yaml"), 4, 11)


def test_quoted_scalars_are_marked_so_they_are_never_flags(project):
    raw, _ = load(project, "a: 'true'\nb: true\n")
    assert [value.quoted for _, value in raw.items] == [True, False]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "deck: D\ncards:\n\t- front: q\n",
            "cards/a.yaml:3:1: a tab is used for indentation; YAML allows only spaces:"
            " replace the tab with spaces",
        ),
        (
            "deck: D\n---\ndeck: E\n",
            "cards/a.yaml:2:1: the file holds several YAML documents (separated by `---`):"
            " keep one per file",
        ),
        ("", "cards/a.yaml:1: file is empty: give it a `deck:` and a `cards:` list"),
        (
            "- front: q\n",
            "cards/a.yaml:1:1: a card file must be a mapping with `deck:` and `cards:` keys,"
            " not a list",
        ),
        (
            "a: !!python/object/apply:os.system [ls]\n",
            "cards/a.yaml:1:4: the tag `!!python/object/apply:os.system` is not allowed in card"
            " files: remove it and write plain text",
        ),
        (
            "a: &x [1]\nb: *x\n",
            "cards/a.yaml:2:4: anchors and aliases (`&name`, `*name`) are not supported:"
            " write the value out",
        ),
    ],
)
def test_unreadable_files_are_reported_with_their_place(project, text, expected):
    raw, problems = load(project, text)
    assert raw is None
    assert messages(problems) == [expected]


def test_unclosed_quote_is_a_located_syntax_error(project):
    raw, problems = load(project, 'deck: D\ncards:\n  - front: "q\n    back: a\n')
    assert raw is None
    assert messages(problems) == [
        "cards/a.yaml:3:12: this quoted text is never closed: add the closing quote"
        " (inside '...' write '' for an apostrophe)"
    ]


def test_bom_and_crlf_are_accepted(project):
    raw, problems = load(project, b"\xef\xbb\xbfdeck: D\r\ncards: []\r\n")
    assert problems == []
    assert [key.text for key, _ in raw.items] == ["deck", "cards"]


def test_invalid_utf8_names_the_byte_offset(project):
    _, problems = load(project, b"deck: D\ncards: \xff\n")
    assert messages(problems) == [
        "cards/a.yaml:2:8: not valid UTF-8 (byte 0xff at byte offset 15):"
        " save the file as UTF-8 in your editor"
    ]


def test_deep_bracket_nesting_is_refused_before_parsing(project):
    _, problems = load(project, "a: " + "[\n" * 100_000 + "]\n" * 100_000)
    assert messages(problems) == [
        "cards/a.yaml:50:1: lists and mappings nested more than 50 deep: card files never need"
        " this, flatten the structure (or quote text that starts with `[` or `{`)"
    ]


def _shape(raw):
    """A raw value as plain data with every place, to compare two walks of the same nodes."""
    place = (raw.where.line, raw.where.column)
    if isinstance(raw, RawScalar):
        return ("scalar", raw.text, raw.quoted, place)
    if isinstance(raw, RawList):
        return ("list", [_shape(item) for item in raw.items], place)
    return ("map", [(_shape(k), _shape(v)) for k, v in raw.items], raw.flow, place)


_SCALARS = st.sampled_from(["a", "'q'", '"d"', "no", "~", "1e3", "!!str x", "|\n      block"])
_YAML_VALUES = st.recursive(
    _SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3).map(lambda items: "[" + ", ".join(items) + "]"),
        st.dictionaries(st.sampled_from(["k", "front", "?"]), inner, max_size=3).map(
            lambda found: "{" + ", ".join(f"{k}: {v}" for k, v in found.items()) + "}"
        ),
    ),
    max_leaves=6,
)


@given(st.lists(st.tuples(st.sampled_from(["front", "back", "id", "x"]), _YAML_VALUES), max_size=4))
@settings(max_examples=300, deadline=None)
def test_the_walk_without_alias_tracking_gives_what_the_tracking_walk_gives(items):
    import yaml

    card = "".join(f"\n    {key}: {value}" for key, value in items) or " {}"
    text = f"deck: D\ncards:\n  -{card}\n"
    try:
        node = yaml.compose(text, Loader=load_module._Loader)
    except yaml.YAMLError:
        return
    fast, full = (
        load_module._Walker(Path("c.yaml"), False),
        load_module._Walker(Path("c.yaml"), True),
    )
    assert _shape(fast.convert(node)) == _shape(full.convert(node))
    assert fast.problems == full.problems


@pytest.mark.parametrize("last", [True, False])
def test_lines_up_to_the_limit_are_read_and_one_more_character_is_refused(tmp_path, last):
    from deckwright.read.yaml_reader import MAX_LINE_CHARS, read_text

    def problems(length: int) -> list[tuple[int, bool]]:
        long = "x" * length
        path = tmp_path / "x.yaml"
        path.write_text(f"a: b\n{long}" if last else f"a: b\n{long}\nc: d\n", encoding="utf-8")
        found = read_text(path, Path("cards/x.yaml"))[1]
        return [(p.where.line, "over the 10000 limit" in p.message) for p in found]

    assert problems(MAX_LINE_CHARS) == []
    assert problems(MAX_LINE_CHARS + 1) == [(2, True)]


class _RefusingLoader(yaml.SafeLoader):
    """A parser that refuses deep nesting by itself, as libyaml 0.2.6 does at 1000 levels; here
    at 60, so that it refuses the block lists before our own count could see them."""

    def resolve(self, kind, value, implicit):
        return load_module._Loader.resolve(self, kind, value, implicit)

    def fetch_more_tokens(self):
        if self.flow_level > 60 or len(self.indents) > 60:
            raise yaml.scanner.ScannerError(
                "while increasing flow level",
                None,
                "exceeded maximum nesting depth",
                self.get_mark(),
            )
        super().fetch_more_tokens()


class _UnlimitedLoader(yaml.SafeLoader):
    """A parser with no nesting limit of its own, as libyaml before 0.2.6 or PyYAML without
    libyaml (which composes block nesting by recursion)."""

    def resolve(self, kind, value, implicit):
        return load_module._Loader.resolve(self, kind, value, implicit)


TOO_DEEP = (
    "lists and mappings nested more than 50 deep: card files never need this, flatten the"
    " structure (or quote text that starts with `[` or `{`)"
)
NESTING = {
    "brackets on one line": ("deck: D\ncards: " + "[" * 4000 + "]" * 4000 + "\n", "2:57"),
    "brackets one per line": ("deck: D\ncards:\n" + " [\n" * 3000 + " ]\n" * 3000, "52:2"),
    "block lists": ("deck: D\ncards:\n  " + "- " * 4000 + "x\n", "3:101"),
}
PARSERS = {
    "installed libyaml": load_module._Loader,
    "a parser that refuses first": _RefusingLoader,
    "a parser without a limit": _UnlimitedLoader,
}


@pytest.mark.parametrize("loader", PARSERS.values(), ids=PARSERS.keys())
@pytest.mark.parametrize(("text", "where"), NESTING.values(), ids=NESTING.keys())
def test_deep_nesting_gets_our_message_whichever_parser_refuses_it(
    project, monkeypatch, loader, text, where
):
    monkeypatch.setattr(load_module, "_Loader", loader)
    raw, problems = load(project, text)
    assert raw is None
    assert messages(problems) == [f"cards/a.yaml:{where}: {TOO_DEEP}"]


# ---- Encoding ----------------------------------------------------------------------------------


def test_invalid_utf8_names_line_column_and_byte_offset(built):
    faults.fails(
        built,
        {"cards/bad.yaml": b"deck: D\ncards:\n  - front: caf\xe9\n    back: b\n"},
        "cards/bad.yaml:3:15: not valid UTF-8 (byte 0xe9 at byte offset 29): save the file as"
        " UTF-8 in your editor",
    )


def test_utf16_file_is_refused_as_not_utf8(built):
    faults.fails(
        built,
        {"cards/bad.yaml": "deck: D\n".encode("utf-16")},
        "cards/bad.yaml:1:1: not valid UTF-8 (byte 0xff at byte offset 0): save the file as"
        " UTF-8 in your editor",
    )


def test_nul_byte_is_refused_with_its_place(built):
    faults.fails(
        built,
        {"cards/bad.yaml": b"deck: D\ncards:\n  - front: a\x00b\n"},
        "cards/bad.yaml:3:13: contains a NUL byte: this is not a text file, remove it",
    )


def test_raw_control_character_is_refused_with_its_place(built):
    faults.fails(
        built,
        {"cards/bad.yaml": "deck: D\ncards:\n  - front: é\x07\n".encode()},
        "cards/bad.yaml:3:13: contains the control character U+0007, which YAML does not allow:"
        " delete it (it is often invisible; retype the line)",
    )


@pytest.mark.parametrize(("escape", "code"), [("\\x1f", "001F"), ("\\0", "0000"), ("\\e", "001B")])
def test_escaped_control_character_is_refused_when_it_would_corrupt_the_note(built, escape, code):
    faults.fails(
        built,
        {"cards/bad.yaml": faults.card_file(f'- front: "a{escape}b"\n  back: c\n')},
        f"cards/bad.yaml:3:12: `front` contains the control character U+{code}, which Anki"
        " cannot store: remove the escape that produces it",
    )


def test_bom_and_crlf_are_accepted_and_lines_stay_right(built):
    text = "\ufeffdeck: D\r\ncards:\r\n  - id: crlf\r\n    front: q\r\n    back: a\r\n"
    faults.write(built, {"cards/win.yaml": text.encode()})
    assert faults.invoke(built).exit_code == 0
    faults.fails(
        built,
        {"cards/win.yaml": text.replace("back", "bakc").encode()},
        "cards/win.yaml:5:5: unknown key `bakc` in this card (did you mean `back`?);"
        f" {faults.ALLOWED}",
    )


IMPLICIT = ["no", "on", "Yes", "2023-12-08", "1e3", "0x1F", ".inf", "-.NaN", "0o17", "12:30:00"]


def test_yaml_implicit_types_stay_the_text_written_in_the_anki_note(built, tmp_path):
    cards = "".join(
        f"- id: t{i}\n  front: {value}\n  back: {value}\n" for i, value in enumerate(IMPLICIT)
    )
    faults.write(
        built,
        {
            "cards/types.yaml": "deck: 2024\ntags: [yes, 1e3]\ncards:\n"
            + textwrap.indent(cards, "  ")
        },
    )
    result = faults.invoke(built)
    assert result.exit_code == 0, result.output
    col = Collection(str(tmp_path / "c.anki2"))
    try:
        col.import_anki_package(
            ImportAnkiPackageRequest(
                package_path=str(built / "dist" / "deck.apkg"),
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
def test_non_standard_tag_is_refused_and_nothing_runs(built, tmp_path, value):
    marker = tmp_path / "ran"
    text = value.format(marker=marker)
    result_lines = fails_loose(built, {"cards/bad.yaml": f"deck: {text}\ncards: []\n"})
    assert result_lines[0].startswith("cards/bad.yaml:1:7: the tag `")
    assert result_lines[0].endswith(
        "` is not allowed in card files: remove it and write plain text"
    )
    assert not marker.exists()


def fails_loose(root: Path, files: dict[str, str | bytes]) -> list[str]:
    before = faults.state(root)
    faults.write(root, files)
    result = faults.invoke(root)
    assert result.exit_code == 1, result.output
    assert faults.state(root) == before
    return result.output.splitlines()


def test_tag_directive_cannot_smuggle_a_python_tag(built, tmp_path):
    marker = tmp_path / "ran"
    text = (
        "%TAG !p! tag:yaml.org,2002:python/\n---\n"
        f"deck: !p!object/apply:os.system ['touch {marker}']\ncards: []\n"
    )
    faults.fails(
        built,
        {"cards/bad.yaml": text},
        "cards/bad.yaml:3:7: the tag `!!python/object/apply:os.system` is not allowed in card"
        " files: remove it and write plain text",
    )
    assert not marker.exists()


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
    fast = list(nodes(yaml.compose(TRICKY, Loader=load_module._Loader)))
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
    raw, problems = load_module.load_card_file(path, tmp_path)
    assert raw is None
    assert [str(p) for p in problems] == [
        "cards/a.yaml:3:12: the tag `!!python/name:os.system` is not allowed in card files:"
        " remove it and write plain text"
    ]


def test_a_large_file_of_plain_lines_is_read_as_a_generated_deck_is_written(project):
    """Over the 1 MB limit of YAML's full syntax, under the plain reader's own."""
    cards = "".join(
        f"  - id: c{n}\n    front: question {n}\n    back: answer {n}\n" for n in range(40_000)
    )
    text = "deck: Generated\ncards:\n" + cards
    assert len(text) > load_module.MAX_FILE_BYTES
    path = project.root / "cards" / "big.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)

    raw, problems = load_card_file(path, project.root)

    assert problems == []
    (listed,) = [value for key, value in raw.items if key.text == "cards"]
    assert len(listed.items) == 40_000
    assert listed.items[-1].items[2][1].text == "answer 39999"
