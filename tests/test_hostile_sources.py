"""No file in sources/ -- random bytes, a truncated PDF or .docx, a huge page -- crashes the build,
hangs it or stops the cards from building: a document that cannot be read is a located warning."""

from __future__ import annotations

import datetime
import io
import shutil
from pathlib import Path

import docx
import pytest
from fpdf import FPDF
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from deckwright.build import build

CARDS = "deck: Bio\ncards:\n  - id: a\n    front: Q\n    back: A\n"
SUFFIXES = (".md", ".markdown", ".html", ".htm", ".pdf", ".docx")


def _pdf() -> bytes:
    pdf = FPDF()
    pdf.set_creation_date(datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC))
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    with pdf.table() as table:
        for cells in [("Feature", "A", "B"), ("Size", "big", "small")]:
            row = table.row()
            for text in cells:
                row.cell(text)
    return bytes(pdf.output())


def _docx() -> bytes:
    document = docx.Document()
    table = document.add_table(rows=2, cols=3)
    for row, cells in enumerate([("Feature", "A", "B"), ("Size", "big", "small")]):
        for column, text in enumerate(cells):
            table.cell(row, column).text = text
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


PDF, DOCX = _pdf(), _docx()


@st.composite
def damaged(draw, whole: bytes) -> bytes:
    """A file cut short, with a few bytes changed."""
    data = bytearray(whole[: draw(st.integers(0, len(whole)))])
    for _ in range(draw(st.integers(0, 3))):
        if data:
            data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
    return bytes(data)


HUGE_HTML = st.builds(
    lambda part, count: (part * count).encode(),
    st.sampled_from(
        [
            "<div>", "<table>", "<tr>", "<td>", "<table><tr><td>", "<td colspan=9999 rowspan=0>",
            "<td rowspan=65534>x", '<div class="table"><div><div>a</div><div>b</div></div>',
            "<!--", "<script>", "\n", "<p>a | b\n", "|---|",
        ]
    ),
    st.integers(1, 200_000),
)  # fmt: skip
FILES = st.one_of(
    st.tuples(st.sampled_from(SUFFIXES), st.binary(max_size=3000)),
    st.tuples(st.just(".pdf"), damaged(PDF)),
    st.tuples(st.just(".docx"), damaged(DOCX)),
    st.tuples(st.sampled_from((".html", ".htm", ".md")), HUGE_HTML),
)


@pytest.fixture(scope="module")
def root(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    (root / "cards").mkdir()
    (root / "cards" / "bio.yaml").write_text(CARDS, encoding="utf-8")
    return root


@settings(
    max_examples=60,
    deadline=datetime.timedelta(seconds=30),  # a hang guard, not a measure of speed
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(FILES)
def test_no_source_file_stops_the_cards_from_building(root, file):
    suffix, data = file
    shutil.rmtree(root / "sources", ignore_errors=True)
    shutil.rmtree(root / "dist", ignore_errors=True)
    (root / "sources").mkdir()
    (root / "sources" / f"doc{suffix}").write_bytes(data)
    result = build(root, use_cache=False)
    assert result.output is not None and (root / result.output).is_file()
    for warning in result.warnings:
        if warning.where.path.parts[0] == "sources":
            assert warning.where.path == Path("sources", f"doc{suffix}")
            assert ": " in str(warning)
