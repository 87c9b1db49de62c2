"""Sweep 6 of published reports as Word files and PDFs: what offices do to the statutory tables
in Word, and what the reader makes of it.

- a table split in two Word tables (拆分表格: the last rows of 表三, or 表二 from one of its
  blocks, in a table of their own right under the first, an empty paragraph between): the
  Word file reads as one table, and so does its PDF, each figure under its own column; where
  the second part's columns cannot be lined up with the first's, the PDF is refused (L01),
  never read shifted by a column or two;
- a thick, double or 3-D outer frame is one ruling (PDF);
- 「本年收费金额（单位：万元）」 printed with spaces inside its unit (分散对齐) is the label, as
  every other label so printed is (L02);
- 表三 pasted into a Word file as a picture: L01 says so, as for a web page;
- a note on a row not in the form (L10) names the place in a Word file as in every document:
  the table, the row, no worksheet or A1 cells a report does not have.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from nianbao.form import get_form
from nianbao.form.data import Return
from nianbao.form.findings import Rule
from nianbao.pipeline.check import check_paths
from nianbao.recognise.labels import Match, compare
from nianbao.sources.pdf import read_pdf
from tests.support.documents import Printing, report_text
from tests.support.pdfs import Page, continued_table_docx, word_report, write_pdf
from tests.support.returns import valid_return
from tests.support.soffice import convert, requires_soffice

FORM = get_form("2021")
TABLE_TWO, TABLE_THREE = 0, 1  # the Word report's tables (0-based)


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> tuple[Return, Path]:
    return word_report(tmp_path_factory.mktemp("sweep6"))


def _read(path: Path) -> tuple[Return | None, list]:
    (checked,) = check_paths([path])
    return checked.ret, checked.findings


def _split(report: tuple[Return, Path], tmp_path: Path, **split: object) -> Path:
    """The Word report with one table split in two right under each other (拆分表格)."""
    _, word = report
    return continued_table_docx(word, tmp_path / "拆分.docx", mark="", new_page=False, **split)  # type: ignore[arg-type]


# -- a table split in two Word tables ---------------------------------------------------------------

# 表二 from its （五） block's figure row (行政许可: one figure spanning three columns), from
# its （八） block's; 表三's last rows (四、, its label spanning the three label columns).
WORD_SPLITS = {
    "表二 before 行政许可": dict(table=TABLE_TWO, cut=6),
    "表二 before 行政事业性收费": dict(table=TABLE_TWO, cut=13),
    "表三 before （七）总计": dict(table=TABLE_THREE, cut=26),
    "表三 before 四、": dict(table=TABLE_THREE, cut=27),
}


@pytest.mark.parametrize("split", sorted(WORD_SPLITS))
def test_a_word_table_split_in_two_reads_as_one(
    report: tuple[Return, Path], tmp_path: Path, split: str
) -> None:
    ret, _ = report
    read, findings = _read(_split(report, tmp_path, **WORD_SPLITS[split]))
    assert [f.message for f in findings if f.is_error] == []
    assert read is not None and read.values == ret.values


@pytest.mark.soffice
@requires_soffice
@pytest.mark.parametrize("split", sorted(WORD_SPLITS))
def test_the_pdf_of_a_word_table_split_in_two_reads_as_one(
    report: tuple[Return, Path], tmp_path: Path, split: str
) -> None:
    ret, _ = report
    pdf = convert(_split(report, tmp_path, **WORD_SPLITS[split]), "pdf", tmp_path)
    read, findings = _read(pdf)
    assert [f.message for f in findings if f.is_error] == []
    assert read is not None and read.values == ret.values


# 表三's grid in the Word report (twips); the split-off rows drawn with the label column
# 400 twips narrower: their right edge is not the table's, their figures under no column.
WIDTHS = [743, 1547, 2754, 542, 542, 542, 542, 542, 542, 549]
NARROWER = [*WIDTHS[:2], WIDTHS[2] - 400, *WIDTHS[3:]]


@pytest.mark.soffice
@requires_soffice
def test_split_off_rows_that_cannot_be_lined_up_are_refused_never_read_shifted(
    report: tuple[Return, Path], tmp_path: Path
) -> None:
    word = _split(report, tmp_path, table=TABLE_THREE, cut=27, widths=NARROWER)
    read, findings = _read(convert(word, "pdf", tmp_path))
    assert read is None
    assert [f.rule for f in findings] == [Rule.L01]
    assert "的表格接续其上的表格" in findings[0].message
    assert "左右边线与上面的表格不同" in findings[0].message


def test_rows_under_a_table_with_no_header_of_their_own_go_on_under_its_columns(
    tmp_path: Path,
) -> None:
    """A second table on the same page, only blank space between, whose figures have no
    column header above them: the rows of the table above, split off. Its label cell spans
    the two label columns above (「G」「One」), so read by its own columns its figures would
    land one column left of theirs."""
    page = Page().grid(
        [60.0, 100.0, 200.0, 260.0, 320.0],
        [100.0, 120.0, 140.0],
        [["Item", "", "A", "B"], ["G", "One", "1", "2"]],
    )
    page.grid([60.0, 200.0, 260.0, 320.0], [170.0, 190.0], [["Two", "3", "4"]])
    sheet = read_pdf(write_pdf(tmp_path / "t.pdf", [page])).sheets[0]
    assert sheet.rows[-1] == ["Two", None, "3", "4"]


# -- a thick or double outer frame ------------------------------------------------------------------

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _framed(source: Path, target: Path, kind: str, size: int) -> Path:
    """A copy of the Word report whose tables have an outer frame of ``kind`` (w:val) and
    ``size`` (eighths of a point), inner rules 0.5 pt, and no cell margins, as the official
    template has: the text touches the frame (外粗内细, Word's 粗细线 preset, a 3-D border)."""
    import docx
    from docx.oxml import OxmlElement

    document = docx.Document(str(source))
    for table in document.tables:
        properties = table._tbl.tblPr
        for old in properties.findall(_W + "tblBorders") + properties.findall(_W + "tblCellMar"):
            properties.remove(old)
        borders, margins = OxmlElement("w:tblBorders"), OxmlElement("w:tblCellMar")
        for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
            inner = side.startswith("inside")
            border = OxmlElement(f"w:{side}")
            border.set(_W + "val", "single" if inner else kind)
            border.set(_W + "sz", "4" if inner else str(size))
            border.set(_W + "color", "000000")
            borders.append(border)
            if not inner:
                margin = OxmlElement(f"w:{side}")
                margin.set(_W + "w", "0")
                margin.set(_W + "type", "dxa")
                margins.append(margin)
        properties.append(borders)
        properties.append(margins)
        for cell_borders in list(table._tbl.iter(_W + "tcBorders")):
            cell_borders.getparent().remove(cell_borders)
    document.save(str(target))
    return target


@pytest.mark.soffice
@requires_soffice
@pytest.mark.parametrize(
    ("kind", "size"), [("single", 24), ("thinThickSmallGap", 12), ("outset", 12)]
)
def test_a_thick_or_double_outer_frame_costs_no_figure(
    report: tuple[Return, Path], tmp_path: Path, kind: str, size: int
) -> None:
    """A 3 pt frame, Word's 粗细线 (two lines side by side) and a 3-D frame (every cell's
    border two lines): each border is one ruling, the rulings meeting it end on it. Taken
    for two, or missed by the inner rulings, a row's cells merged (「1 2」), a figure was read
    blank, a label lost (L01)."""
    ret, word = report
    framed = _framed(word, tmp_path / "边框.docx", kind, size)
    read, findings = _read(convert(framed, "pdf", tmp_path))
    assert [f.message for f in findings if f.is_error] == []
    assert read is not None and read.values == ret.values


def test_rulings_meeting_a_thick_frame_at_its_inner_edge_end_on_it(tmp_path: Path) -> None:
    """A 3 pt frame round a table whose inner rulings stop at the frame's inner edge, 1.5 pt
    short of its middle, as LibreOffice draws it, the text against the frame: the cells are
    the rulings', every figure in its own."""
    xs, tops = [60.3, 200.0, 260.0, 320.3], [100.3, 120.0, 140.0, 160.3]
    page = Page()
    for x in (xs[0], xs[-1]):
        page.line(x, tops[0] - 1.5, x, tops[-1] + 1.5, width=3.0)
    for top in (tops[0], tops[-1]):
        page.line(xs[0] - 1.5, top, xs[-1] + 1.5, top, width=3.0)
    for x in xs[1:-1]:
        page.line(x, tops[0] + 1.5, x, tops[-1] - 1.5)
    for top in tops[1:-1]:
        page.line(xs[0] + 1.5, top, xs[-1] - 1.5, top)
    rows = [["Item", "A", "B"], ["One", "1", "2"], ["Two", "3", "4"]]
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            page.text(xs[c] + 1.6, tops[r] + 4, text)
    sheet = read_pdf(write_pdf(tmp_path / "t.pdf", [page])).sheets[0]
    assert sheet.rows == [["Item", "A", "B"], ["One", "1", "2"], ["Two", "3", "4"]]


# -- a label printed letter-spaced ------------------------------------------------------------------

FEE = "本年收费金额（单位：万元）"


@pytest.mark.parametrize(
    "printed",
    [
        "本年收费金额（单 位：万元）",
        "本 年 收 费 金 额 （ 单 位 ： 万 元 ）",
        "本年收费金额（万 元）",
    ],
)
def test_the_fee_header_letter_spaced_is_the_label(tmp_path: Path, printed: str) -> None:
    """Its unit note was matched only unspaced: spaced, the header was no label (L01)."""
    assert compare(printed, FEE) is Match.VARIANT
    ret = valid_return(FORM, seed=3)
    path = tmp_path / "报告.txt"
    path.write_text(report_text(FORM, ret.values, Printing(labels={FEE: printed})), "utf-8")
    read, findings = _read(path)
    assert read is not None and read.values == ret.values
    assert [f.rule for f in findings if f.is_error] == []
    assert Rule.L02 in {f.rule for f in findings}


# -- a table pasted as a picture ---------------------------------------------------------------------


def _png(path: Path) -> Path:
    """A small gray picture (8 x 8 pixels): what a screenshot of a table is to the reader."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    pixels = b"".join(b"\x00" + bytes(range(0, 256, 32)) for _ in range(8))
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 8, 8, 8, 0, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(pixels))
        + chunk(b"IEND", b"")
    )
    return path


@pytest.mark.parametrize(("table", "said"), [(TABLE_THREE, True), (None, False)])
def test_a_table_pasted_as_a_picture_in_a_word_file_is_said(
    report: tuple[Return, Path], tmp_path: Path, table: int | None, said: bool
) -> None:
    """表三 replaced by a picture where it stood: L01 says 表三 may be a picture. A picture
    elsewhere (a seal under the report, the tables all there) says nothing of the kind."""
    import docx

    _, word = report
    document = docx.Document(str(word))
    picture = document.add_paragraph()
    picture.add_run().add_picture(str(_png(tmp_path / "表三.png")))
    if table is not None:
        replaced = document.tables[table]._tbl
        replaced.addnext(picture._p)
        replaced.getparent().remove(replaced)
    path = tmp_path / "图片.docx"
    document.save(str(path))
    read, findings = _read(path)
    pictured = "在应有表格的位置有图片：表三可能是以图片形式发布的"
    assert any(pictured in f.message for f in findings) is said
    if said:
        assert read is None and [f.rule for f in findings] == [Rule.L01]
        assert "表三「三、收到和处理政府信息公开申请情况」" in findings[0].message
    else:
        assert read is not None and not [f for f in findings if f.is_error]


# -- where a note on a document points -----------------------------------------------------------------


def test_a_row_not_in_the_form_is_placed_by_table_and_row_in_a_word_file(
    report: tuple[Return, Path], tmp_path: Path
) -> None:
    """A row inserted under 「8.属于行政查询事项」 (README's own example of a row added): L10
    named a worksheet 「表格」 and cells I31,O31 the office cannot find in a Word file."""
    import copy

    import docx

    _, word = report
    document = docx.Document(str(word))
    table = document.tables[TABLE_THREE]
    below = table.rows[14]._tr  # 8.属于行政查询事项
    below.addnext(copy.deepcopy(below))
    document.save(str(tmp_path / "x.docx"))
    document = docx.Document(str(tmp_path / "x.docx"))
    row = document.tables[TABLE_THREE].rows[15]
    row.cells[2].text = "9.其他不予公开情形"
    for n, figure in enumerate([2, 0, 0, 0, 0, 0, 2]):
        row.cells[3 + n].text = str(figure)
    path = tmp_path / "多一行.docx"
    document.save(str(path))
    (l10,) = [f for f in _read(path)[1] if f.rule is Rule.L10]
    assert l10.message.startswith("表三有 1 行不是官方表式中的行")
    assert "工作表" not in l10.message and "表格" not in l10.message
    assert l10.sheet is None and l10.cells == ()
    assert [place.describe() for place in l10.places] == ["表三「9.其他不予公开情形」行"]
