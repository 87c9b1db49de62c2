"""An underline under a row label is no ruling, even where the label fills its cell: the real
2022 平潭 report, saved as .docx and printed by LibreOffice, was refused (L01: 表三's labels
missing) because the underlines under its wrapped 表三 labels, drawn a piece per run of text
and ending a point or so short of the cell's sides, were taken for borders cutting the rows.
A real row border, drawn under text as wide as its cell, stays a border."""

from __future__ import annotations

from pathlib import Path

import pytest

from nianbao.sources.pdf import read_pdf
from tests.support.pdfs import Page, write_pdf
from tests.support.soffice import convert, requires_soffice

LABEL = "5.要求行政机关确认或重新出具已获取信息"
ROWS = [["项目", "甲", "乙"], [LABEL, "3", "4"], ["3.其他", "1", "2"]]


def _underlined_docx(path: Path) -> Path:
    """A table whose label column is narrow, its cells padded as LibreOffice pads a web page's
    (under 2 pt), the long label underlined in two runs and justified, so that each line and
    its underline run across the cell, to within the padding of its sides."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls
    from docx.shared import Pt

    document = docx.Document()
    table = document.add_table(rows=len(ROWS), cols=3)
    table.style = "Table Grid"
    table.autofit = False
    for column, width in zip(table.columns, (74, 60, 60), strict=True):
        column.width = Pt(width)  # the grid's widths, which LibreOffice lays out by
    margins = "".join(f'<w:{side} w:w="28" w:type="dxa"/>' for side in ("left", "right"))
    table._tbl.tblPr.append(parse_xml(f"<w:tblCellMar {nsdecls('w')}>{margins}</w:tblCellMar>"))
    for r, row in enumerate(ROWS):
        for c, text in enumerate(row):
            cell = table.cell(r, c)
            cell.width = Pt(74 if c == 0 else 60)
            paragraph = cell.paragraphs[0]
            pieces = [text[:2], text[2:]] if text == LABEL else [text]
            for piece in pieces:
                run = paragraph.add_run(piece)
                run.font.size = Pt(14)
                run.underline = text == LABEL
            if text == LABEL:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    document.save(str(path))
    return path


@requires_soffice
@pytest.mark.soffice
def test_underlines_under_a_label_wrapped_to_its_cells_width_are_no_rulings(
    tmp_path: Path,
) -> None:
    pdf = convert(_underlined_docx(tmp_path / "u.docx"), "pdf", tmp_path)
    assert read_pdf(pdf).sheets[0].rows == ROWS


@pytest.mark.parametrize("gap", [0.0, 1.0])
def test_a_row_border_drawn_cell_by_cell_under_text_as_wide_as_its_cell_stays_a_border(
    tmp_path: Path, gap: float
) -> None:
    """The border under the first column's wide label is drawn a piece per cell (touching, or
    stopping short of each side as an underline does): it goes on into the next cell, so it
    is a row's border, not an underline."""
    rows = [["Item", "A", "B"], ["1234567", "5", "6"], ["More", "7", "8"]]
    x = [60.0, 100.0, 140.0, 180.0]
    page = Page()
    for position in x:
        page.line(position, 100, position, 160)
    for top in (100.0, 120.0, 160.0):
        page.line(x[0], top, x[-1], top)
    for left, right in zip(x, x[1:], strict=False):  # the border at 140, cell by cell
        page.line(left + gap / 2, 140, right - gap / 2, 140)
    page.text(61, 128.5, rows[1][0])  # its glyphs right on the border, as wide as the cell
    for r, top in ((0, 100.0), (1, 120.0), (2, 140.0)):
        for c in range(3):
            if (r, c) != (1, 0):
                page.text(x[c] + 3, top + 4, rows[r][c])
    assert read_pdf(write_pdf(tmp_path / "b.pdf", [page])).sheets[0].rows == rows
