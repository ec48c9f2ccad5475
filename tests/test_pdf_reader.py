"""PDF handouts: tables drawn with rules or only laid out, located by page; broken files warned."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from fpdf import FPDF
from fpdf.enums import TableBordersLayout
from typer.testing import CliRunner

from deckwright.cli.app import app
from deckwright.coverage import pdf_reader
from deckwright.coverage.documents import read_sources
from deckwright.coverage.pdf_reader import read_pdf
from deckwright.errors import Location

CARDS = "deck: Bio\ncards:\n  - id: a\n    front: Q\n    back: A\n"
WHERE = Path("sources/handout.pdf")


def handout(path: Path, borders: bool = True, password: str = "") -> Path:
    """Two pages: prose, a table with a wrapped cell; then a table on page two."""
    pdf = FPDF()
    if password:
        pdf.set_encryption(owner_password="owner", user_password=password)
    pdf.set_title("Cells handout")
    pdf.set_author("Dr. Rivera")
    pdf.set_creation_date(datetime.datetime(2024, 3, 5, tzinfo=datetime.UTC))
    pdf.set_font("Helvetica", size=11)
    layout = TableBordersLayout.ALL if borders else TableBordersLayout.NONE
    for page, rows in enumerate(
        [
            [
                ("Feature", "Bacteria", "Plants"),
                ("Wall", "peptidoglycan, thicker in the Gram-positive kind", "cellulose"),
                ("Ribosomes", "70S", "80S"),
            ],
            [("Basis", "Mitosis", "Meiosis"), ("Daughter cells", "2", "4")],
        ],
        1,
    ):
        pdf.add_page()
        pdf.multi_cell(0, 6, f"Page {page} of the week 3 handout. Read it before the lab.")
        pdf.ln(4)
        with pdf.table(borders_layout=layout) as table:
            for cells in rows:
                row = table.row()
                for text in cells:
                    row.cell(text)
    path.parent.mkdir(parents=True, exist_ok=True)
    pdf.output(str(path))
    return path


EXPECTED = [
    ("handout#wall", "sources/handout.pdf page 1", "Wall",
     ("Bacteria", "Plants"), ("peptidoglycan, thicker in the Gram-positive kind", "cellulose")),
    ("handout#ribosomes", "sources/handout.pdf page 1", "Ribosomes",
     ("Bacteria", "Plants"), ("70S", "80S")),
    ("handout#daughter-cells", "sources/handout.pdf page 2", "Daughter cells",
     ("Mitosis", "Meiosis"), ("2", "4")),
]  # fmt: skip


def read(project) -> tuple[list[tuple], list[str]]:
    sources = read_sources(project.root)
    assert sources.problems == []
    rows = [
        (row.name, str(row.where), row.feature, row.header, row.cells)
        for document in sources.documents
        for row in document.rows
    ]
    return rows, [str(warning) for warning in sources.warnings]


def test_ruled_tables_give_their_rows_with_pages(project):
    handout(project.root / WHERE)
    assert read(project) == (EXPECTED, [])
    (document,) = read_sources(project.root).documents
    assert document.citation() == "Cells handout — Dr. Rivera, 2024-03-05"
    assert document.rows[0].where == Location(WHERE, 1)


def test_tables_laid_out_without_rules_give_the_same_rows(project):
    handout(project.root / WHERE, borders=False)
    assert read(project) == (EXPECTED, [])


def test_pdf_behind_a_password_is_a_located_warning(project):
    handout(project.root / WHERE, password="secret")
    assert read(project) == (
        [],
        [
            "sources/handout.pdf: this PDF is protected by a password: save an unprotected"
            " copy, or copy its tables into a .md file beside it"
        ],
    )


def test_truncated_pdf_is_a_located_warning(project):
    data = handout(project.root / WHERE).read_bytes()
    (project.root / WHERE).write_bytes(data[: len(data) // 3])
    assert read(project) == (
        [],
        [
            "sources/handout.pdf: cannot read this PDF: it is damaged or not a PDF; save it"
            " again as PDF, or copy its tables into a .md file beside it"
        ],
    )


def test_pdf_without_text_is_a_located_warning(project):
    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 100, 50)  # a drawing where a scan would be: no text to read
    (project.root / "sources").mkdir()
    pdf.output(str(project.root / WHERE))
    assert read(project) == (
        [],
        [
            "sources/handout.pdf: this PDF has no text to read (a scanned handout?): run it"
            " through OCR, or copy its tables into a .md file beside it"
        ],
    )


def test_check_names_the_page_of_an_uncovered_row(project):
    handout(project.root / WHERE)
    project.write({"cards/bio.yaml": CARDS})
    result = CliRunner().invoke(app, ["check", str(project.root)])
    assert result.exit_code == 1, result.output
    assert "uncovered: sources/handout.pdf page 2 handout#daughter-cells" in result.stdout
    assert "0/3 comparison rows covered" in result.stdout


def test_wrapped_cells_of_a_top_aligned_laid_out_table_join_their_row():
    text = (
        "Feature     Moss            Fern\n"
        "\n"
        "Vessels     none            xylem and\n"
        "                            phloem\n"
        "Spores      capsule         sori\n"
        "A closing sentence of prose.\n"
    )
    (table,) = pdf_reader._laid_out(text, 4)
    assert [(row.line, row.cells) for row in table.rows] == [
        (4, ["Feature", "Moss", "Fern"]),
        (4, ["Vessels", "none", "xylem and phloem"]),
        (4, ["Spores", "capsule", "sori"]),
    ]


def test_reading_stops_at_the_page_limit(tmp_path, monkeypatch):
    monkeypatch.setattr("deckwright.coverage.pdf_reader.MAX_PAGES", 1)
    tables, _, warnings = read_pdf(handout(tmp_path / "h.pdf"), WHERE)
    assert [row.line for table in tables for row in table.rows] == [1, 1, 1]
    assert [str(warning) for warning in warnings] == [
        "sources/handout.pdf page 2: only the first 1 of 2 pages are read: keep the pages"
        " with the tables in a smaller PDF"
    ]


@pytest.mark.parametrize("repeat", [0, 1], ids=["heading-once", "heading-repeated"])
def test_table_carried_over_to_the_next_page_keeps_its_heading(tmp_path, repeat):
    pdf = FPDF()
    pdf.set_font("Helvetica", size=11)
    pdf.add_page()
    pdf.cell(text="Amino acids")
    pdf.ln(10)
    with pdf.table(repeat_headings=repeat) as table:
        for cells in [
            ("Amino acid", "Code", "Class"),
            *((f"acid {n}", f"A{n}", "polar") for n in range(40)),
        ]:
            row = table.row()
            for text in cells:
                row.cell(text)
    pdf.output(str(tmp_path / "h.pdf"))
    tables, _, _ = read_pdf(tmp_path / "h.pdf", WHERE)
    (table,) = tables
    assert table.rows[0].cells == ["Amino acid", "Code", "Class"]
    assert [row.cells[0] for row in table.rows[1:]] == [f"acid {n}" for n in range(40)]
    assert {row.line for row in table.rows} == {1, 2}


def test_laid_out_table_with_an_empty_corner_is_read():
    text = "            Moss            Fern\n\n"
    text += "Vessels     none            xylem\nSpores      capsule         sori\n"
    (table,) = pdf_reader._laid_out(text, 1)
    assert [row.cells for row in table.rows] == [
        ["", "Moss", "Fern"],
        ["Vessels", "none", "xylem"],
        ["Spores", "capsule", "sori"],
    ]
