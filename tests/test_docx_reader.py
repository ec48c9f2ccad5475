"""Word handouts: tables located by table and row number, merged cells; broken files warned."""

from __future__ import annotations

import datetime
import re
import zipfile
from pathlib import Path

import docx
from docx.oxml import OxmlElement

from deckwright.coverage.documents import read_sources
from deckwright.errors import Location

WHERE = Path("sources/division.docx")


def handout(path: Path) -> Path:
    """Prose, a table with a section row, merged cells and a table inside a cell."""
    document = docx.Document()
    document.core_properties.title = "Cell division"
    document.core_properties.author = "Biology dept"
    document.core_properties.created = datetime.datetime(2024, 1, 9, 12, 0)
    document.add_paragraph("Compare the two divisions before Friday's quiz.")
    table = document.add_table(rows=5, cols=3)
    for row, cells in enumerate(
        [
            ("Feature", "Mitosis", "Meiosis"),
            ("Divisions", "one", "two"),
            ("", "", ""),
            ("Daughter cells", "genetically identical", "4"),
            ("Crossing over", "", "yes"),
        ]
    ):
        for column, text in enumerate(cells):
            table.cell(row, column).text = text
    table.cell(2, 0).merge(table.cell(2, 2)).text = "Outcome"  # a section row
    table.cell(3, 1).merge(table.cell(4, 1))  # one cell down two rows
    inner = table.cell(1, 2).add_table(rows=2, cols=2)
    for row, cells in enumerate([("Stage", "Count"), ("Telophase", "2")]):
        for column, text in enumerate(cells):
            inner.cell(row, column).text = text
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))
    return path


def read(project) -> tuple[list[tuple], list[str]]:
    sources = read_sources(project.root)
    assert sources.problems == []
    rows = [
        (row.name, str(row.where), row.feature, row.cells)
        for document in sources.documents
        for row in document.rows
    ]
    return rows, [str(warning) for warning in sources.warnings]


def test_word_tables_give_their_rows_located_by_table_and_row(project):
    handout(project.root / WHERE)
    assert read(project) == (
        [
            ("division#divisions", "sources/division.docx table 1 row 2", "Divisions",
             ("one", "two")),
            ("division#daughter-cells", "sources/division.docx table 1 row 4", "Daughter cells",
             ("genetically identical", "4")),
            ("division#crossing-over", "sources/division.docx table 1 row 5", "Crossing over",
             ("genetically identical", "yes")),
            ("division#telophase", "sources/division.docx table 2 row 2", "",
             ("Telophase", "2")),
        ],
        [],
    )  # fmt: skip
    (document,) = read_sources(project.root).documents
    assert document.citation() == "Cell division — Biology dept, 2024-01-09"
    assert document.rows[0].where == Location(WHERE, 1, 2)


def test_corrupt_word_file_is_a_located_warning(project):
    data = handout(project.root / WHERE).read_bytes()
    (project.root / WHERE).write_bytes(data[: len(data) // 2])
    assert read(project) == (
        [],
        [
            "sources/division.docx: cannot read this Word file: it is damaged or not a .docx;"
            " open it in Word and save it again as .docx, or copy its tables into a .md file"
        ],
    )


def test_word_file_that_unpacks_too_large_is_a_located_warning(project, monkeypatch):
    monkeypatch.setattr("deckwright.coverage.docx_reader.MAX_UNZIPPED_BYTES", 1000)
    handout(project.root / WHERE)
    (warning,) = read(project)[1]
    assert re.fullmatch(
        r"sources/division\.docx: this Word file unpacks to \d+ MB: keep only the handout", warning
    )


def test_cell_spanning_a_billion_columns_is_a_warning_not_a_hang(project):
    path = handout(project.root / WHERE)
    with zipfile.ZipFile(path) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    xml = parts["word/document.xml"]
    parts["word/document.xml"] = re.sub(
        rb'gridSpan w:val="\d+"', b'gridSpan w:val="999999999"', xml
    )
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    assert read(project)[1] == [
        "sources/division.docx: cannot read this Word file: it is damaged or not a .docx;"
        " open it in Word and save it again as .docx, or copy its tables into a .md file"
    ]


def test_table_inside_a_content_control_is_read(project):
    document = docx.Document()
    table = document.add_table(rows=2, cols=3)
    for row, cells in enumerate([("Feature", "Frog", "Toad"), ("Skin", "smooth", "warty")]):
        for column, text in enumerate(cells):
            table.cell(row, column).text = text
    control, content = OxmlElement("w:sdt"), OxmlElement("w:sdtContent")
    table._tbl.addprevious(control)
    control.append(content)
    content.append(table._tbl)  # as Word's templates wrap a table they let one fill in
    (project.root / "sources").mkdir()
    document.save(str(project.root / WHERE))
    assert read(project) == (
        [("division#skin", "sources/division.docx table 1 row 2", "Skin", ("smooth", "warty"))],
        [],
    )
