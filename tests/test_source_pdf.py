"""Published reports in PDF: sources/pdf.py (text layer -> Grid) and preflight.check_pdf.

Three kinds of input:

- the real published reports in ../shared/reference/published (skipped where absent), whose
  figures were transcribed by hand from the printed pages into tests/data/published/;
- PDFs that LibreOffice lays out from a return written by nianbao, or from small HTML
  documents (merged cells, wrapped labels, a table over three pages, landscape pages);
- PDFs written by hand (tests/support/pdfs.py) for rulings, backgrounds and page furniture.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from functools import cache
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from nianbao.form import get_form
from nianbao.form.findings import Rule
from nianbao.form.model import Table
from nianbao.sources.grid import Grid, Sheet
from nianbao.sources.pdf import read_pdf
from nianbao.sources.preflight import MAX_PDF_PAGES, PDF_SCANNED, UnreadableFile, check_pdf
from nianbao.xlsx.writer import write_return
from tests.support.pdfs import A4, Page, html_pdf, write_pdf
from tests.support.returns import valid_return
from tests.support.soffice import SOFFICE, convert, requires_soffice

HERE = Path(__file__).resolve().parent
DATA = HERE / "data" / "published"
SHARED = (
    (HERE.parent / "../shared/reference/published").resolve(),
    Path("/work/shared/reference/published"),
)
# the transcriptions of PDFs (the folder also holds those of web pages, Word and text reports)
PUBLISHED = sorted(
    p.name
    for p in DATA.glob("*.json")
    if json.loads(p.read_text(encoding="utf-8"))["source"].endswith(".pdf")
)
PAGE_FURNITURE = re.compile(r"^\s*[-－—]\s*\d+\s*[-－—]\s*$|第\s*\d+\s*页")


def _published_pdf(name: str) -> Path:
    for folder in SHARED:
        if (folder / name).is_file():
            return folder / name
    pytest.skip(f"published report {name} is not in ../shared/reference/published")


@cache
def _read_published(name: str) -> Grid:
    return read_pdf(_published_pdf(name))


def _transcribed(name: str) -> dict:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def _sheet(grid: Grid) -> Sheet:
    assert grid.kind == "pdf"
    assert len(grid.sheets) == 1
    sheet = grid.sheets[0]
    assert sheet.pages is not None and len(sheet.pages) == len(sheet.rows)
    return sheet


def _row_with(sheet: Sheet, label: str) -> int:
    """The one row holding a cell whose text is exactly ``label``."""
    rows = [r for r, line in enumerate(sheet.rows) if label in line]
    assert len(rows) == 1, f"{label}: in rows {rows}"
    return rows[0]


# -- the real published reports -----------------------------------------------------------------


@pytest.mark.parametrize("name", PUBLISHED)
def test_published_tables_hold_the_transcribed_figures_on_their_pages(name: str) -> None:
    expected = _transcribed(name)
    sheet = _sheet(_read_published(expected["source"]))
    for table in ("二", "三"):
        for entry in expected[table]:
            r = _row_with(sheet, entry["label"])
            values = entry["values"]
            assert sheet.rows[r][-len(values) :] == values, (table, entry["label"])
            assert sheet.pages[r] == entry["page"], (table, entry["label"])
    # 表四: one unlabelled row of 15 figures, under the header row that ends with 总计
    r = sheet.rows.index(expected["四"]["values"])
    assert sheet.rows[r - 1][-1] == "总计"
    assert sheet.pages[r] == expected["四"]["page"]


@pytest.mark.parametrize("name", PUBLISHED)
def test_published_tables_are_three_tables_stitched_across_page_breaks(name: str) -> None:
    expected = _transcribed(name)
    sheet = _sheet(_read_published(expected["source"]))
    # a blank row only between two tables: 表二, 表三, 表四
    assert sum(1 for line in sheet.rows if not line) == 2
    assert sheet.pages == sorted(sheet.pages)
    for table in ("二", "三"):
        rows = [_row_with(sheet, entry["label"]) for entry in expected[table]]
        pages = {entry["page"] for entry in expected[table]}
        assert len(pages) == 2, "each transcribed table runs over a page break"
        # consecutive data rows: nothing dropped or inserted where the page breaks
        assert all(sheet.rows[r] for r in range(rows[0], rows[-1] + 1))
    # the continuation of 表三 repeats no header row
    assert sum(1 for line in sheet.rows if "申请人情况" in line) == 1


def test_published_2023_defects_are_kept_as_printed() -> None:
    sheet = _sheet(_read_published("2023_淮安市洪泽区人民政府.pdf"))
    review = sheet.rows.index(
        ["10", "1", "0", "0", "0", "0", "0", "0", "0", "0", "5", "0", "0", "0", "0"]
    )
    # 表四 行政复议: 总计 printed as 0 beside 结果维持 10 and 结果纠正 1
    assert sheet.rows[review][:5] == ["10", "1", "0", "0", "0"]
    assert sheet.rows[review - 2][4] == "总计"
    # （六）其他处理 printed as one row, where the form has three
    other = _row_with(sheet, "（六）其他处理")
    assert sheet.rows[other + 1][1] == "（七）总计"
    # the typo in 表三's label, not silently corrected
    assert _row_with(sheet, "2.其他法律行政止公开")
    assert not any("2.其他法律行政法规禁止公开" in line for line in sheet.rows)


@pytest.mark.parametrize("name", PUBLISHED)
def test_published_running_text_has_the_sections_but_no_page_furniture(name: str) -> None:
    grid = _read_published(_transcribed(name)["source"])
    text = grid.text or ""
    headings = [
        "一、总体情况",
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
        "五、存在的主要问题及改进情况",
        "六、其他需要报告的事项",
    ]
    positions = [text.index(heading) for heading in headings]
    assert positions == sorted(positions)
    assert "全年收取政府信息公开信息处理费" in text  # a sentence wrapped over two lines, joined
    assert not [line for line in text.splitlines() if PAGE_FURNITURE.search(line)]
    assert not [v for line in _sheet(grid).rows for v in line if v and PAGE_FURNITURE.search(v)]
    # the tables' text is not in the running text
    assert "本年新收政府信息公开申请数量" not in text


@pytest.mark.parametrize("name", PUBLISHED)
def test_published_reports_pass_check_pdf(name: str) -> None:
    assert check_pdf(_published_pdf(_transcribed(name)["source"])) is None


# -- a return laid out by LibreOffice ------------------------------------------------------------


def _figure(value: object) -> Decimal:
    return Decimal(str(value))


@pytest.mark.parametrize("vintage", ["2021", "2019"])
@pytest.mark.soffice
@requires_soffice
def test_return_printed_to_pdf_reads_back_every_figure_in_its_cell(
    tmp_path: Path, vintage: str
) -> None:
    form = get_form(vintage)
    ret = valid_return(form, seed=7)
    workbook = tmp_path / "填报.xlsx"
    write_return(workbook, form, ret)
    grid = read_pdf(convert(workbook, "pdf", tmp_path))
    sheet = _sheet(grid)
    compared = 0
    for table in form.tables:
        for block in table.blocks:
            columns = block.column_leaves
            for row in block.row_leaves:
                keys = [f"{table.code}:{row.code}:{column.code}" for column in columns]
                expected = [_figure(ret.values[key]) for key in keys]
                if block.show_row_labels:
                    r = _row_with(sheet, row.label)
                    found = sheet.rows[r][-len(columns) :]
                else:
                    r = _unlabelled_row(sheet, table, len(columns))
                    found = sheet.rows[r]
                assert [_figure(v) for v in found] == expected, (table.code, row.label)
                compared += len(keys)
    assert compared == len(form.cells)
    text = grid.text or ""
    assert "主动公开政府信息情况" in text
    assert not re.search(r"第\s*\d+\s*页", text)  # LibreOffice's footer: 第 2 页，共 4 页


def _unlabelled_row(sheet: Sheet, table: Table, width: int) -> int:
    """表四's single data row: the first row of ``width`` figures after the table's header."""
    header = _row_with(sheet, table.blocks[0].columns[0].label)
    return next(
        r
        for r in range(header, len(sheet.rows))
        if len(sheet.rows[r]) == width and all(re.fullmatch(r"\d+", str(v)) for v in sheet.rows[r])
    )


# -- documents laid out by LibreOffice from HTML -------------------------------------------------

TABLE = '<table border="1" cellspacing="0" cellpadding="3"{width}>{body}</table>'

MERGED = """<h2>三、收到和处理政府信息公开申请情况</h2><p>（表格数据为虚构）</p>
<table border="1" cellspacing="0" cellpadding="3">
<col width="90"><col width="70"><col width="80"><col width="80"><col width="60">
<tr><td rowspan="2" colspan="2">（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）</td>
<td colspan="2">申请人情况</td><td rowspan="2">总计</td></tr>
<tr><td>自然人</td><td>法人或其他组织</td></tr>
<tr><td rowspan="3">（三）不予公开</td><td>1.属于国家秘密</td><td>1</td><td>0</td><td>1</td></tr>
<tr><td>2.其他法律行政法规禁止公开</td><td>22（其中修订16件）</td><td>0</td><td>22</td></tr>
<tr><td>3.危及“三安全一稳定”</td><td>12<br>3</td><td></td><td>0</td></tr>
</table><p>表后正文。</p>"""

RUNNING_HEADER = "某某区人民政府2024年政府信息公开工作年度报告"


def _continued_body(rows: int) -> str:
    head = (
        '<thead><tr><th rowspan="2">项目</th><th colspan="2">数量</th></tr>'
        "<tr><th>本年</th><th>上年</th></tr></thead>"
    )
    body = "".join(
        f"<tr><td>{i}.第{i}项</td><td>{i * 3}</td><td>{i % 7}</td></tr>" for i in range(1, rows + 1)
    )
    return (
        "<p>表格之前的正文。</p>"
        + TABLE.format(width=' width="100%"', body=f"{head}<tbody>{body}</tbody>")
        + "<p>表后的正文。</p>"
    )


@pytest.fixture(scope="module")
def laid_out(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    if SOFFICE is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    folder = tmp_path_factory.mktemp("pdf")
    wide = TABLE.format(
        width="",
        body="<tr>"
        + "".join(f"<td>结果维持{i}</td>" for i in range(15))
        + "</tr><tr>"
        + "".join(f"<td>{i}</td>" for i in range(15))
        + "</tr>",
    )
    return {
        "merged": html_pdf(folder, "merged", MERGED),
        "continued": html_pdf(
            folder, "continued", _continued_body(70), header=RUNNING_HEADER, page_numbers=True
        ),
        "landscape": html_pdf(folder, "landscape", wide, landscape=True),
    }


@pytest.mark.soffice
def test_merged_cells_keep_their_text_top_left_and_leave_covered_cells_none(
    laid_out: dict[str, Path],
) -> None:
    rows = _sheet(read_pdf(laid_out["merged"])).rows
    note = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
    assert rows[0] == [note, None, "申请人情况", None, "总计"]
    assert rows[1] == [None, None, "自然人", "法人或其他组织"]
    assert [line[0] for line in rows[2:]] == ["（三）不予公开", None, None]


@pytest.mark.soffice
def test_cell_lines_join_without_spaces_between_cjk_and_notes_stay(
    laid_out: dict[str, Path],
) -> None:
    rows = _sheet(read_pdf(laid_out["merged"])).rows
    # the narrow columns wrap these over two or three lines when printed
    assert rows[3][1:] == ["2.其他法律行政法规禁止公开", "22（其中修订16件）", "0", "22"]
    assert rows[4][1] == "3.危及“三安全一稳定”"


@pytest.mark.soffice
def test_two_numbers_on_two_lines_of_a_cell_never_read_as_one(laid_out: dict[str, Path]) -> None:
    rows = _sheet(read_pdf(laid_out["merged"])).rows
    assert rows[4][2:] == ["12 3", None, "0"]  # "123" would be a wrong number in silence


@pytest.mark.soffice
def test_table_over_three_pages_is_one_table_without_its_repeated_header(
    laid_out: dict[str, Path],
) -> None:
    path = laid_out["continued"]
    page_texts = _page_texts(path)
    assert len(page_texts) == 3
    assert all("项目" in text for text in page_texts), "LibreOffice repeats the header"
    sheet = _sheet(read_pdf(path))
    assert sheet.rows[:2] == [["项目", "数量"], [None, "本年", "上年"]]
    body = sheet.rows[2:]
    assert body == [[f"{i}.第{i}项", str(i * 3), str(i % 7)] for i in range(1, 71)]
    # each row carries the page it is printed on
    for line, page in zip(body, sheet.pages[2:], strict=True):
        assert line[0] in re.sub(r"\s+", "", page_texts[page - 1])


@pytest.mark.soffice
def test_running_header_and_page_numbers_are_not_running_text(laid_out: dict[str, Path]) -> None:
    path = laid_out["continued"]
    assert all(f"- {n} -" in text for n, text in enumerate(_page_texts(path), 1) if n != 2)
    text = read_pdf(path).text or ""
    assert text.splitlines() == ["表格之前的正文。", "表后的正文。"]


@pytest.mark.soffice
def test_landscape_page_reads_its_wide_table(laid_out: dict[str, Path]) -> None:
    with pdfium.PdfDocument(laid_out["landscape"]) as document:
        width, height = document[0].get_size()
    assert width > height
    rows = _sheet(read_pdf(laid_out["landscape"])).rows
    assert rows == [[f"结果维持{i}" for i in range(15)], [str(i) for i in range(15)]]


@pytest.mark.soffice
@pytest.mark.parametrize("rotation", [90, 180, 270])
def test_rotated_pages_read_as_displayed(
    laid_out: dict[str, Path], tmp_path: Path, rotation: int
) -> None:
    upright = read_pdf(laid_out["merged"])
    turned = tmp_path / f"turned{rotation}.pdf"
    with pdfium.PdfDocument(laid_out["merged"]) as document:
        for page in document:
            page.set_rotation(rotation)
        document.save(turned)
    grid = read_pdf(turned)
    assert _sheet(grid).rows == _sheet(upright).rows
    assert grid.text == upright.text


@pytest.mark.soffice
@requires_soffice
def test_password_protected_pdf_is_refused_with_f03(tmp_path: Path) -> None:
    source = tmp_path / "加密.html"
    source.write_text(f"<html><body>{MERGED}</body></html>", encoding="utf-8")
    secret = (
        'pdf:writer_pdf_Export:{"EncryptFile":{"type":"boolean","value":"true"},'
        '"DocumentOpenPassword":{"type":"string","value":"secret"}}'
    )
    path = convert(source, secret, tmp_path, infilter="HTML (StarWriter)")
    _refused(path, Rule.F03, "密码")
    with pytest.raises(UnreadableFile) as caught:
        read_pdf(path)
    assert caught.value.finding.rule is Rule.F03


def _page_texts(path: Path) -> list[str]:
    """Each page's text as pdfium extracts it: an independent witness of what is printed where."""
    with pdfium.PdfDocument(path) as document:
        return [page.get_textpage().get_text_range() for page in document]


# -- hand-written PDFs: rulings, backgrounds, page furniture --------------------------------------

X = [100.0, 200.0, 300.0, 400.0]
TOPS = [100.0, 120.0, 140.0, 160.0]
CELLS = [["Item", "This year", "Last year"], ["Rules", "3", "9"], ["Permits", "12", "0"]]


def _texts(page: Page, x: list[float], tops: list[float], cells: list[list[str]]) -> Page:
    for r, line in enumerate(cells):
        for c, text in enumerate(line):
            page.text(x[c] + 3, tops[r] + 4, text)
    return page


def _rows(tmp_path: Path, *pages: Page) -> list:
    return _sheet(read_pdf(write_pdf(tmp_path / "t.pdf", list(pages)))).rows


def test_fully_ruled_table_is_read_cell_by_cell(tmp_path: Path) -> None:
    assert _rows(tmp_path, Page().grid(X, TOPS, CELLS)) == CELLS


def test_sideways_table_on_a_portrait_page_is_read_turned(tmp_path: Path) -> None:
    page = Page(width=A4[1], height=A4[0], sideways=True).grid(X, TOPS, CELLS)
    page.text(72, 60, "Heading above the table")
    grid = read_pdf(write_pdf(tmp_path / "t.pdf", [page]))
    assert _sheet(grid).rows == CELLS
    assert grid.text == "Heading above the table"


def test_sideways_label_in_a_cell_is_read_along_its_direction(tmp_path: Path) -> None:
    page = Page().grid([100.0, 130.0, 230.0], [100.0, 160.0, 180.0])
    page.text(108, 155, "Totals", up=True)  # up the tall first cell, as 三、本年度办理结果
    page.text(133, 104, "Rules").text(133, 164, "Permits").text(103, 164, "9")
    assert _rows(tmp_path, page) == [["Totals", "Rules"], ["9", "Permits"]]


def test_table_without_rulings_is_left_as_text_with_columns_apart(tmp_path: Path) -> None:
    path = write_pdf(tmp_path / "t.pdf", [_texts(Page(), X, TOPS, CELLS)])
    grid = read_pdf(path)
    assert _sheet(grid).rows == []
    assert (grid.text or "").splitlines() == [
        "Item This year Last year",
        "Rules 3 9",
        "Permits 12 0",
    ]


def test_missing_outer_borders_are_closed_along_the_table(tmp_path: Path) -> None:
    page = _texts(Page(), X, TOPS, CELLS)
    for top in TOPS:  # horizontal rulings only overhang the text: no left or right border
        page.line(X[0] - 20, top, X[-1] + 20, top)
    for x in X[1:-1]:
        page.line(x, TOPS[0], x, TOPS[-1])
    assert _rows(tmp_path, page) == CELLS


def test_thin_filled_rectangles_are_rulings(tmp_path: Path) -> None:
    page = _texts(Page(), X, TOPS, CELLS)
    for top in TOPS:
        page.rect(X[0], top - 0.25, X[-1] - X[0], 0.5, fill=0)
    for x in X:
        page.rect(x - 0.25, TOPS[0], 0.5, TOPS[-1] - TOPS[0], fill=0.3)
    assert _rows(tmp_path, page) == CELLS


def test_white_backgrounds_behind_text_lines_make_no_table(tmp_path: Path) -> None:
    page = Page()
    lines = [f"Line {i} of running text that fills the whole width of the body" for i in range(5)]
    for i, line in enumerate(lines):  # WPS paints a white box behind every line of text
        page.rect(70, 100 + i * 20, 450, 20, fill=1, stroke=1)
        page.text(72, 104 + i * 20, line)
    path = write_pdf(tmp_path / "t.pdf", [page])
    grid = read_pdf(path)
    assert _sheet(grid).rows == []
    assert grid.text == " ".join(lines)  # one paragraph; "fills" keeps its double l


def test_framed_paragraph_is_not_a_table(tmp_path: Path) -> None:
    page = Page().rect(70, 100, 450, 60, stroke=0).text(75, 110, "A framed paragraph")
    grid = read_pdf(write_pdf(tmp_path / "t.pdf", [page]))
    assert _sheet(grid).rows == []
    assert grid.text == "A framed paragraph"


def test_fake_bold_is_read_once(tmp_path: Path) -> None:
    page = Page().text(100, 100, "Bold heading").text(100.3, 100, "Bold heading")
    assert read_pdf(write_pdf(tmp_path / "t.pdf", [page])).text == "Bold heading"


def _report_page(number: int, body: list[tuple[float, str]], total: int) -> Page:
    """A page with a running header, body lines (indent, text) and a page number footer."""
    page = Page().text(200, 40, "Annual report 2024 of the district")
    for i, (indent, line) in enumerate(body):
        page.text(72 + indent, 200 + 16 * i, line)
    footer = ["- %d -", "Page %d of {total}", "%d"][number % 3] % number
    return page.text(280, 790, footer.format(total=total))


def test_page_numbers_and_running_headers_are_dropped_from_text(tmp_path: Path) -> None:
    pages = [
        _report_page(
            1,
            [(20, "Opening paragraph that runs over two lines,"), (0, "ends here."), (20, "12")],
            3,
        ),
        _report_page(2, [(20, "Middle paragraph.")], 3),
        _report_page(3, [(20, "Closing paragraph.")], 3),
    ]
    text = read_pdf(write_pdf(tmp_path / "t.pdf", pages)).text or ""
    # a number in the body is text, not a page number
    assert text.splitlines() == [
        "Opening paragraph that runs over two lines, ends here.",
        "12",
        "Middle paragraph.",
        "Closing paragraph.",
    ]


def test_heading_at_the_top_of_one_page_is_kept(tmp_path: Path) -> None:
    page = Page().text(72, 40, "Report of the district").text(72, 300, "Body text.")
    text = read_pdf(write_pdf(tmp_path / "t.pdf", [page, Page().text(72, 300, "More.")])).text
    assert text == "Report of the district\nBody text.\nMore."


def test_table_continued_on_the_next_page_is_stitched_and_its_header_dropped(
    tmp_path: Path,
) -> None:
    first = Page().text(200, 40, "Running header").text(72, 600, "Before the table.")
    first.grid(X, [700.0, 720.0, 740.0], CELLS[:2]).text(280, 800, "- 1 -")
    second = Page().text(200, 40, "Running header")
    second.grid(X, [100.0, 120.0, 140.0], [CELLS[0], CELLS[2]]).text(280, 800, "- 2 -")
    path = write_pdf(tmp_path / "t.pdf", [first, second])
    sheet = _sheet(read_pdf(path))
    assert sheet.rows == CELLS
    assert sheet.pages == [1, 1, 2]


def test_tables_apart_go_on_one_sheet_with_a_blank_row_between(tmp_path: Path) -> None:
    first = Page().grid(X, [700.0, 720.0, 740.0], CELLS[:2])
    second = Page().text(72, 60, "Next section").grid(X, [100.0, 120.0], [CELLS[2]])
    narrower = Page().grid([100.0, 200.0, 250.0], [100.0, 120.0], [["A", "B"]])
    sheet = _sheet(read_pdf(write_pdf(tmp_path / "t.pdf", [first, second, narrower])))
    # a heading between them, then a different width: three tables
    assert sheet.rows == [*CELLS[:2], [], CELLS[2], [], ["A", "B"]]
    assert sheet.pages == [1, 1, 1, 2, 2, 3]


# -- check_pdf ---------------------------------------------------------------------------------


def _refused(path: Path, rule: Rule, words: str) -> str:
    with pytest.raises(UnreadableFile) as caught:
        check_pdf(path)
    finding = caught.value.finding
    assert finding.rule is rule, finding.message
    assert f"「{path.name}」" in finding.message
    assert words in finding.message
    return finding.message


def test_check_pdf_accepts_a_pdf_with_text(tmp_path: Path) -> None:
    path = write_pdf(tmp_path / "报告.pdf", [Page().text(72, 72, "Annual report 2024, page one")])
    assert check_pdf(path) is None


def test_check_pdf_refuses_ten_thousand_pages_from_the_page_count(tmp_path: Path) -> None:
    path = write_pdf(tmp_path / "万页.pdf", [Page().text(72, 72, "x")], copies=10_000)
    message = _refused(path, Rule.F04, "10000 页")
    assert str(MAX_PDF_PAGES) in message


def test_check_pdf_refuses_a_scan_without_text_layer(tmp_path: Path) -> None:
    path = write_pdf(tmp_path / "扫描.pdf", [Page().picture(), Page().picture()])
    _refused(path, Rule.F02, PDF_SCANNED)


def test_check_pdf_refuses_a_scan_with_only_a_scanner_stamp(tmp_path: Path) -> None:
    pages = [Page().picture().text(500, 820, "CS", size=6) for _ in range(3)]
    _refused(write_pdf(tmp_path / "扫描全能王.pdf", pages), Rule.F02, PDF_SCANNED)


def test_check_pdf_refuses_what_is_not_a_pdf(tmp_path: Path) -> None:
    path = tmp_path / "报告.pdf"
    path.write_bytes(b"PK\x03\x04 not a pdf at all")
    _refused(path, Rule.F02, "不是 PDF")


def test_check_pdf_refuses_empty_missing_and_broken_files(tmp_path: Path) -> None:
    empty = tmp_path / "空.pdf"
    empty.write_bytes(b"")
    _refused(empty, Rule.F01, "0 字节")
    _refused(tmp_path / "没有.pdf", Rule.F01, "不存在")
    _refused(tmp_path, Rule.F01, "文件夹")
    broken = tmp_path / "坏.pdf"
    broken.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 8)
    _refused(broken, Rule.F01, "已损坏")


def test_read_pdf_reports_a_broken_file_as_f01(tmp_path: Path) -> None:
    broken = tmp_path / "坏.pdf"
    broken.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 8)
    with pytest.raises(UnreadableFile) as caught:
        read_pdf(broken)
    assert caught.value.finding.rule is Rule.F01


def test_read_pdf_refuses_too_many_pages_by_its_own_count(tmp_path: Path) -> None:
    pages = [Page().text(72, 72, f"page {n}") for n in range(MAX_PDF_PAGES + 1)]
    path = write_pdf(tmp_path / "长.pdf", pages)
    with pytest.raises(UnreadableFile) as caught:
        read_pdf(path)
    assert caught.value.finding.rule is Rule.F04
