"""Sweep 7 of published reports as PDFs: what a page break does to 表三's header.

- a header cell spanning two header rows (表三's 「自然人」 and 「总计」, beside 「商业企业」…
  under 「法人或其他组织」) cut by the page break — 「自然」 at the foot of one page, 「人」 at the
  head of the next, as LibreOffice and Word print a tall header row they let break across
  pages — is one label, joined in the cell that spans the rows: the report no longer reads
  「自然人」 as blank (a false L04 error on a correct report), and 「人」 is no row of its own;
- so is one whose part after the break runs over the cell's lower border, the ruling crossing
  its characters (LibreOffice lays a cut, vertically centred header so: 表四's 「结果」 over
  「维持」 under 行政复议, refused as missing 「结果维持」 before): in header rows, which hold no
  figure, a line through a label is the cell's ruling, not a correction.

And of Word files:

- the statutory tables typed as text (a table pasted as text: a paragraph a row, its cells
  apart by tabs, as a browser's copy of a web page gives them) are read as the text reader
  reads that text, by order; a row whose values cannot all be placed is refused, never
  guessed. They were refused as 「未找到统计表」, labels and figures all there.

And of text files: a copy that kept one space (or one full-width space) between cells
(「信息内容 本年制发件数 本年废止件数 现行有效件数」) has each label a cell when every piece
is a label of the form; it was refused as missing labels that are printed.

And a figure LibreOffice wrapped in a narrow cell (「72121」 in a 35 pt column at 12 pt:
「721」 over 「21」) reads as one figure though the line seemed to leave its next digit room by
a fraction of a point: the padding read from the text's position is a little wider than the
margin the word processor wraps in. It read 「721 21」 (V01, and balance errors, on a correct
report).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from nianbao.form import get_form
from nianbao.form.findings import Rule
from nianbao.pipeline.check import check_paths
from nianbao.sources.pdf import read_pdf
from tests.support.documents import Printing, docx_file, report_tables, w_paragraph
from tests.support.pdfs import Cell, Page, boxed_cells, write_cjk_pdf, write_pdf
from tests.support.returns import valid_return
from tests.support.soffice import convert, requires_soffice

COLUMNS = [40.0, 330.0, 400.0, 500.0]  # a row label, two columns
HEAD: list[Cell] = [(0, 0, 0, 0, "项目"), (0, 1, 0, 1, "甲"), (0, 2, 0, 2, "乙")]
NEW = "一、本年新收政府信息公开申请数量"


def _rows(
    tmp_path: Path, end: list[Cell], start: list[Cell], over_border: str = ""
) -> list[list[str | None]]:
    """The rows of a table whose cells ``end`` close page 1 (under a header row) and ``start``
    open page 2; ``over_border``: text in page 2's first cell of the second column, set low
    enough that the cell's lower border runs through it."""
    before = HEAD + [(r0 + 1, c0, r1 + 1, c1, text) for r0, c0, r1, c1, text in end]
    height = 2 + max(r1 for _, _, r1, _, _ in end)
    first = boxed_cells(Page(), before, 800.0 - 20.0 * height, COLUMNS)
    second = boxed_cells(Page(), start, 60.0, COLUMNS)
    if over_border:  # baseline 2 pt under the border at 80: the border crosses the glyphs
        second.cjk(COLUMNS[1] + 3, 74.0, over_border, size=8)
    return read_pdf(write_cjk_pdf(tmp_path / "t.pdf", [first, second])).sheets[0].rows


# page 1: 「自然」 spanning both lower header rows, 「法人或其他组织」 over 「商业」
END: list[Cell] = [(0, 1, 1, 1, "自然"), (0, 2, 0, 2, "法人或其他组织"), (1, 2, 1, 2, "商业")]


def test_a_header_cell_spanning_two_rows_cut_by_the_page_is_one_label(tmp_path: Path) -> None:
    rows = _rows(
        tmp_path,
        END,
        [(0, 1, 0, 1, "人"), (0, 2, 0, 2, "企业")]
        + [(1, 0, 1, 0, NEW), (1, 1, 1, 1, "5"), (1, 2, 1, 2, "6")],
    )
    assert rows == [
        ["项目", "甲", "乙"],
        [None, "自然人", "法人或其他组织"],
        [None, None, "商业企业"],
        [NEW, "5", "6"],
    ]


def test_the_rest_of_a_spanning_cell_that_makes_no_label_stays_apart(tmp_path: Path) -> None:
    """「自然」 and 「企业」 are no label of the form: nothing is glued to the spanning cell."""
    rows = _rows(
        tmp_path,
        END,
        [(0, 1, 0, 1, "企业"), (0, 2, 0, 2, "企业")]
        + [(1, 0, 1, 0, NEW), (1, 1, 1, 1, "5"), (1, 2, 1, 2, "6")],
    )
    assert rows[1:4] == [
        [None, "自然", "法人或其他组织"],
        [None, None, "商业企业"],
        [None, "企业"],
    ]


def test_the_rest_of_a_cut_header_crossed_by_its_cell_border_is_still_the_label(
    tmp_path: Path,
) -> None:
    rows = _rows(
        tmp_path,
        END,
        [(0, 1, 0, 1, ""), (0, 2, 0, 2, "企业")]
        + [(1, 0, 1, 0, NEW), (1, 1, 1, 1, "5"), (1, 2, 1, 2, "6")],
        over_border="人",
    )
    assert rows[1:] == [
        [None, "自然人", "法人或其他组织"],
        [None, None, "商业企业"],
        [NEW, "5", "6"],
    ]


def test_a_figure_crossed_by_a_border_is_still_shown_crossed(tmp_path: Path) -> None:
    """Only header rows (no digit in either part) lose the crossing: a figure a line runs
    through stays marked, and no header is joined to a row of figures."""
    rows = _rows(
        tmp_path,
        END,
        [(0, 1, 0, 1, ""), (0, 2, 0, 2, "6")] + [(1, 0, 1, 0, NEW)],
        over_border="5",
    )
    assert rows[1:3] == [[None, "自然", "法人或其他组织"], [None, None, "商业"]]
    assert rows[3][1:] == ["5\u0336", "6"]


# -- a Word file with its tables typed as text ------------------------------------------------------

FORM = get_form("2021")


def _typed_paragraph(cells: list[str]) -> str:
    """A paragraph of ``cells`` apart by tabs (Word's <w:tab/>)."""
    runs = "<w:r><w:tab/></w:r>".join(
        f"<w:r><w:t xml:space='preserve'>{text}</w:t></w:r>" for text in cells
    )
    return f"<w:p>{runs}</w:p>"


def _typed_report(path: Path, values: dict[str, object], edit=None) -> Path:
    """A Word report whose tables are paragraphs, a row each, cells apart by tabs; a merged
    cell once, in the row it starts in (a browser's copy of the web page)."""
    blocks = [
        w_paragraph("某某区人民政府2024年政府信息公开工作年度报告"),
        w_paragraph("一、总体情况"),
    ]
    for heading, rows in report_tables(FORM, values, Printing()):
        blocks.append(w_paragraph(heading))
        for line in rows:
            cells = [cell.text.replace("\n", "") for cell in line]
            blocks.append(_typed_paragraph(edit(cells) if edit else cells))
    return docx_file(path, *blocks)


def test_tables_typed_as_text_in_a_word_file_are_read(tmp_path: Path) -> None:
    ret = valid_return(FORM, seed=7, unit="某某区人民政府", year=2024)
    (checked,) = check_paths([_typed_report(tmp_path / "文字表格.docx", ret.values)])
    assert [f.message for f in checked.findings if f.is_error] == []
    assert checked.ret is not None and checked.ret.values == ret.values


def test_a_typed_row_short_of_a_value_is_refused_not_guessed(tmp_path: Path) -> None:
    """规章 with one of its three figures left out: which column is blank cannot be told."""
    ret = valid_return(FORM, seed=7, unit="某某区人民政府", year=2024)
    path = _typed_report(
        tmp_path / "文字表格.docx",
        ret.values,
        edit=lambda cells: cells[:2] + cells[3:] if cells[0] == "规章" else cells,
    )
    (checked,) = check_paths([path])
    assert checked.ret is None
    (refusal,) = checked.findings
    assert refusal.rule is Rule.L01 and "规章" in refusal.message


# -- a PDF whose tables have no rulings ------------------------------------------------------------


def test_a_pdf_whose_tables_have_no_rulings_is_refused_saying_so(tmp_path: Path) -> None:
    """表三 printed as lines of text, no rulings (a table whose borders were set to none): its
    columns are not guessed, and the refusal says why — not that its labels are missing."""
    page = Page().cjk(60, 60, "三、收到和处理政府信息公开申请情况", size=10)
    for n, row in enumerate(FORM.table("三").blocks[0].row_leaves):
        page.cjk(60, 90 + 18.0 * n, f"{row.label}  0  0  0  0  0  0  0", size=7)
    (checked,) = check_paths([write_cjk_pdf(tmp_path / "无框线.pdf", [page])])
    assert checked.ret is None
    (refusal,) = checked.findings
    assert refusal.rule is Rule.F02
    assert "没有表格线" in refusal.message and "第 1 页" in refusal.message


# -- a text copy with one space between cells ------------------------------------------------------


@pytest.mark.parametrize("space", [" ", "\u3000"])
def test_a_text_copy_with_one_space_between_cells_is_read(tmp_path: Path, space: str) -> None:
    ret = valid_return(FORM, seed=7, unit="某某区人民政府", year=2024)
    lines = ["某某区人民政府2024年政府信息公开工作年度报告", "一、总体情况"]
    for heading, rows in report_tables(FORM, ret.values, Printing()):
        lines.append(heading)
        lines += [space.join(cell.text.replace("\n", "") for cell in line) for line in rows]
    path = tmp_path / "一个空格.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    (checked,) = check_paths([path])
    assert [f.message for f in checked.findings if f.is_error] == []
    assert checked.ret is not None and checked.ret.values == ret.values


def test_a_label_printed_with_a_space_inside_stays_one_cell() -> None:
    """「结果 纠正」 is one label spaced out, 「其他 结果」 too (「结果」 is no label of the form)."""
    from nianbao.sources.plaintext import text_tables

    tables, _ = text_tables(["结果维持 结果 纠正 其他 结果", "信息内容 本年制发件数 本年废止件数"])
    assert tables[0][:2] == [
        ["结果维持 结果 纠正 其他 结果"],
        ["信息内容", "本年制发件数", "本年废止件数"],
    ]


# -- a figure wrapped in a narrow cell -----------------------------------------------------------

DIGIT = 5.56  # a digit's width in 10 pt Helvetica (tests/support/pdfs.py)


def _figure_cell(tmp_path: Path, lines: list[str], room: float) -> str | None:
    """The figure cell of a one-row table whose text (set 3 pt in) has ``room`` pt."""
    x = [60.0, 160.0, 160.0 + room + 6.0]
    page = Page().grid(x, [100.0, 140.0], [["Row one"]])
    for n, text in enumerate(lines):
        page.text(x[1] + 3, 104.0 + 12 * n, text)
    return read_pdf(write_pdf(tmp_path / "t.pdf", [page])).sheets[0].rows[0][1]


def test_a_figure_wrapped_a_fraction_of_a_point_short_of_its_room_is_one(tmp_path: Path) -> None:
    # 「6049」 and the 「4」 would fit by half a point: the word processor wrapped it all the same
    assert _figure_cell(tmp_path, ["6049", "4"], 5 * DIGIT + 0.5) == "60494"


def test_a_line_leaving_room_for_more_than_its_next_digit_is_no_wrap(tmp_path: Path) -> None:
    assert _figure_cell(tmp_path, ["6049", "4"], 5 * DIGIT + 1.5) == "6049 4"


@requires_soffice
@pytest.mark.soffice
def test_large_figures_in_a_report_set_in_12_pt_read_back_from_its_pdf(tmp_path: Path) -> None:
    """nianbao's Word report, its tables' text set in 12 pt (小四, as many offices print them),
    with totals of 4 and 5 digits that wrap in 表三's narrow columns: every figure reads back."""
    import random

    import docx
    from docx.shared import Pt

    from nianbao.documents.docx import write_docx
    from nianbao.documents.report import build_report
    from nianbao.form.data import filled_return
    from tests.support.returns import balanced_inputs

    inputs = balanced_inputs(FORM, random.Random(2), high=999)
    ret = filled_return(FORM, inputs, unit="某某区人民政府", year=2024)
    word = tmp_path / "报告.docx"
    write_docx(build_report(ret), word)
    document = docx.Document(str(word))
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                for paragraph in cell.paragraphs:
                    for run in paragraph.runs:
                        run.font.size = Pt(12)
    document.save(str(word))
    (checked,) = check_paths([convert(word, "pdf", tmp_path / "pdf")])
    assert [f.message for f in checked.findings if f.is_error] == []
    assert checked.ret is not None and checked.ret.values == ret.values
