from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from deckwright.read import yaml_reader as load_module
from deckwright.read.yaml_reader import RawList, RawMap, RawScalar, load_card_file


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

    from deckwright.read import yaml_reader as load

    card = "".join(f"\n    {key}: {value}" for key, value in items) or " {}"
    text = f"deck: D\ncards:\n  -{card}\n"
    try:
        node = yaml.compose(text, Loader=load._Loader)
    except yaml.YAMLError:
        return
    fast, full = load._Walker(Path("c.yaml"), False), load._Walker(Path("c.yaml"), True)
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
