"""Rows of figures that are no row of the form are named (L10) wherever they stand in a table:
a row of figures between a table's column header and its first data row, and in Word files as
in web pages. Header rows themselves (labels, 栏次 numbers, a units row) stay quiet. 表四 has
one data row and no row label: a second row of 15 other figures under or over it (workbooks too,
the template included) is its data row printed twice, and which is the unit's cannot be told:
L09, an error, as for a row label printed again."""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
import pytest

from nianbao.form import get_form
from nianbao.form.findings import Rule
from nianbao.recognise.reader import UnknownLayout, read_return
from nianbao.xlsx.writer import write_return
from tests.support.documents import Printing, report_docx, report_html, w_cell
from tests.support.foreign import write_foreign
from tests.support.pdfs import html_pdf
from tests.support.returns import valid_return
from tests.support.soffice import requires_soffice

FORM = get_form("2021")
SOURCE = valid_return(FORM, seed=31)
TABLE_FOUR = "四、政府信息公开行政复议、行政诉讼情况"
# last year's 表四 pasted under this year's (its totals add up: E5 cannot tell)
LAST_YEAR = (1, 2, 0, 0, 3, 0, 1, 0, 0, 1, 0, 0, 0, 1, 1)
STRAY = (5, 6, 7, 8, 9, 4, 39)  # seven figures in 表三's columns
LAST_ROW = "四、结转下年度继续办理"


def _l10(notes: list) -> list[str]:
    return [f.message for f in notes if f.rule is Rule.L10]


def _twice(notes: list) -> str:
    """The one L09 for 表四's data row printed twice; no L10 beside it."""
    assert not _l10(notes)
    (message,) = [f.message for f in notes if f.rule is Rule.L09]
    assert message.startswith("表四") and "的数据行（没有行标签）出现了两次" in message
    return message


def _html_row(figures: tuple[int, ...], lead: str = "") -> str:
    return "<tr>" + lead + "".join(f"<td>{n}</td>" for n in figures) + "</tr>"


def _after_row(page: str, marker: str, row: str, start: str = "") -> str:
    """``page`` with ``row`` inserted after the row holding ``marker`` (searched from ``start``)."""
    at = page.index("</tr>", page.index(marker, page.index(start) if start else 0)) + 5
    return page[:at] + row + page[at:]


def _table_four_end(page: str) -> int:
    return page.index("</table>", page.index("行政复议"))


def _html(tmp_path: Path, page: str) -> Path:
    path = tmp_path / "报告.html"
    path.write_text(page, encoding="utf-8")
    return path


# -- 表四: a second row of figures under its data row -------------------------------------------


def test_a_second_row_under_table_fours_data_row_in_a_web_page_is_an_error(tmp_path: Path) -> None:
    page = report_html(FORM, SOURCE.values)
    at = _table_four_end(page)
    ret = read_return(_html(tmp_path, page[:at] + _html_row(LAST_YEAR) + page[at:]))
    assert ret.values == SOURCE.values
    message = _twice(ret.notes)
    assert "（第 1 次、第 2 次）" in message and "第 2 次为 1" in message


def test_a_row_pasted_above_table_fours_data_row_is_an_error(tmp_path: Path) -> None:
    """Two rows of figures under 表四's header: the first is read (as the form places it), and
    since it may be last year's, the return does not pass until one is removed."""
    page = report_html(FORM, SOURCE.values)
    page = _after_row(page, "尚未审结", _html_row(LAST_YEAR), start="未经复议直接起诉")
    ret = read_return(_html(tmp_path, page))
    message = _twice(ret.notes)
    assert "第 1 次为 1" in message and "暂按第 1 次读取" in message


@requires_soffice
@pytest.mark.soffice
def test_a_second_row_under_table_fours_data_row_in_a_pdf_is_an_error(tmp_path: Path) -> None:
    page = report_html(FORM, SOURCE.values)
    at = _table_four_end(page)
    page = page[:at] + _html_row(LAST_YEAR) + page[at:]
    body = page.split("<body>")[1].split("</body>")[0]
    ret = read_return(html_pdf(tmp_path, "报告", body, landscape=True, page_numbers=True))
    assert ret.values == SOURCE.values
    _twice(ret.notes)
    (finding,) = [f for f in ret.notes if f.rule is Rule.L09]
    assert any(place.page for place in finding.places)


def _word_with_row(path: Path, after: str | None, figures: tuple[int, ...], lead: int = 0) -> Path:
    """A Word report with a row of ``figures`` (an empty cell ``lead`` columns wide before)
    after the row holding ``after``; without one, after the last table's last row."""
    made = report_docx(path.with_name("made.docx"), FORM, SOURCE.values)
    cells = (w_cell(span=lead) if lead else "") + "".join(
        f"<w:tc><w:tcPr/><w:p><w:r><w:t>{n}</w:t></w:r></w:p></w:tc>" for n in figures
    )
    with zipfile.ZipFile(made) as old, zipfile.ZipFile(path, "w") as new:
        for item in old.infolist():
            data = old.read(item)
            if item.filename == "word/document.xml":
                text = data.decode()
                end = text.index("</w:tr>", text.index(after)) if after else text.rindex("</w:tr>")
                at = end + len("</w:tr>")
                data = (text[:at] + f"<w:tr>{cells}</w:tr>" + text[at:]).encode()
            new.writestr(item, data)
    return path


def test_a_second_row_under_table_fours_data_row_in_a_word_file_is_an_error(tmp_path: Path) -> None:
    ret = read_return(_word_with_row(tmp_path / "报告.docx", None, LAST_YEAR))
    assert ret.values == SOURCE.values
    assert "第 2 次为 1" in _twice(ret.notes)


def _foreign(tmp_path: Path) -> Path:
    path = tmp_path / "自制.xlsx"
    write_foreign(path, FORM, SOURCE.values)
    return path


def _last_row(sheet) -> int:
    return max(r for r in range(1, sheet.max_row + 1) if any(c.value for c in sheet[r]))


def test_a_second_row_under_table_four_in_a_workbook_is_an_error(tmp_path: Path) -> None:
    path = _foreign(tmp_path)
    workbook = openpyxl.load_workbook(path)
    sheet = workbook["表四"]
    under = _last_row(sheet) + 1
    first = min(c.column for c in sheet[under - 1] if c.value is not None)
    for offset, n in enumerate(LAST_YEAR):
        sheet.cell(under, first + offset).value = n
    workbook.save(path)
    ret = read_return(path, unit="某街道", year=2024)
    assert f"第 {under} 行为 1" in _twice(ret.notes)


def test_a_second_row_under_table_four_in_the_template_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "模板.xlsx"
    write_return(path, FORM, valid_return(FORM, 3, unit="甲局", year=2025))
    workbook = openpyxl.load_workbook(path)
    sheet = workbook[TABLE_FOUR]
    sheet.protection.sheet = False
    under = _last_row(sheet) + 1
    for offset, n in enumerate(LAST_YEAR):
        sheet.cell(under, 1 + offset).value = n
    workbook.save(path)
    message = _twice(read_return(path).notes)
    assert f"第 {under} 行为 1" in message and f"暂按第 {under - 1} 行读取" in message


# -- the header region: between the column header and the first data row --------------------------


def test_a_row_of_figures_under_table_threes_header_is_named(tmp_path: Path) -> None:
    page = report_html(FORM, SOURCE.values)
    page = _after_row(page, "法律服务机构", _html_row(STRAY, "<td colspan=3></td>"))
    ret = read_return(_html(tmp_path, page))
    assert ret.values == SOURCE.values
    (message,) = _l10(ret.notes)
    assert "表三" in message and "表头下面一行没有行标签的数字" in message
    assert "「5」、「6」、「7」" in message


def test_a_row_of_figures_under_table_twos_first_header_is_named(tmp_path: Path) -> None:
    page = report_html(FORM, SOURCE.values)
    page = _after_row(page, "现行有效件数", _html_row((3, 9, 5), "<td></td>"))
    ret = read_return(_html(tmp_path, page))
    assert ret.values == SOURCE.values
    (message,) = _l10(ret.notes)
    assert "表二" in message and "「信息内容」行下面一行没有行标签的数字" in message


def test_a_figure_typed_into_a_header_row_of_a_workbook_is_named(tmp_path: Path) -> None:
    """The cell under 「自然人」 in the header's last row (商业企业 …) holds a figure."""
    path = _foreign(tmp_path)
    workbook = openpyxl.load_workbook(path)
    sheet = workbook["表三"]
    (row, column) = next(
        (c.row, c.column) for line in sheet.iter_rows() for c in line if c.value == "商业企业"
    )
    for merged in list(sheet.merged_cells.ranges):  # 「自然人」 merged over two rows
        if merged.min_col == column - 1 and merged.min_row == row - 1:
            sheet.unmerge_cells(str(merged))
    sheet.cell(row, column - 1).value = 12
    workbook.save(path)
    (message,) = _l10(read_return(path, unit="某街道", year=2024).notes)
    assert "表三" in message and "「12」" in message


# -- Word files: between rows and under the table, as for web pages ------------------------------


def test_a_word_row_of_figures_without_a_label_between_rows_is_named(tmp_path: Path) -> None:
    ret = read_return(_word_with_row(tmp_path / "报告.docx", "（一）予以公开", STRAY, 3))
    assert ret.values == SOURCE.values
    (message,) = _l10(ret.notes)
    assert "「（一）予以公开」行下面一行没有行标签的数字" in message


def test_a_word_row_of_figures_under_the_last_row_is_named(tmp_path: Path) -> None:
    ret = read_return(_word_with_row(tmp_path / "报告.docx", LAST_ROW, STRAY, 3))
    assert ret.values == SOURCE.values
    (message,) = _l10(ret.notes)
    assert f"「{LAST_ROW}」行下面一行没有行标签的数字" in message


def test_a_word_row_under_table_threes_header_is_named(tmp_path: Path) -> None:
    ret = read_return(_word_with_row(tmp_path / "报告.docx", "法律服务机构", STRAY, 3))
    (message,) = _l10(ret.notes)
    assert "表头下面一行没有行标签的数字" in message


# -- what stays quiet --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("marker", "row"),
    [
        # column numbers under 表三's header, with or without a 栏次 label
        ("法律服务机构", _html_row(tuple(range(1, 8)), "<td colspan=3>栏次</td>")),
        ("法律服务机构", _html_row(tuple(range(1, 8)), "<td colspan=3></td>")),
        # a units row
        ("法律服务机构", "<tr><td colspan=10>单位：件</td></tr>"),
        # zeros lose nothing
        ("法律服务机构", _html_row((0,) * 7, "<td colspan=3></td>")),
    ],
)
def test_header_rows_stay_quiet(tmp_path: Path, marker: str, row: str) -> None:
    page = _after_row(report_html(FORM, SOURCE.values), marker, row)
    ret = read_return(_html(tmp_path, page))
    assert ret.values == SOURCE.values
    assert not _l10(ret.notes)


def test_a_normal_report_and_workbooks_stay_quiet(tmp_path: Path) -> None:
    assert not _l10(read_return(_html(tmp_path, report_html(FORM, SOURCE.values))).notes)
    assert not _l10(read_return(report_docx(tmp_path / "报告.docx", FORM, SOURCE.values)).notes)
    template = tmp_path / "模板.xlsx"
    write_return(template, FORM, valid_return(FORM, 3, unit="甲局", year=2025))
    assert not _l10(read_return(template).notes)
    assert not _l10(read_return(_foreign(tmp_path), unit="某街道", year=2024).notes)


def test_a_report_with_last_years_tables_for_comparison_stays_quiet(tmp_path: Path) -> None:
    earlier = valid_return(FORM, seed=5).values
    page = report_html(FORM, SOURCE.values, Printing(earlier=earlier))
    try:
        ret = read_return(_html(tmp_path, page))
    except UnknownLayout:
        return  # refused for another reason: nothing read, nothing lost in silence
    assert not _l10(ret.notes)


def test_a_stacked_table_four_with_a_second_figure_row_is_refused_not_named_twice(
    tmp_path: Path,
) -> None:
    from tests.test_table4_stacked import FIGURES, LITIGATION, REVIEW, write

    last_year = [(str(n + 100), 1) for n in FIGURES["ar"]]
    with pytest.raises(UnknownLayout) as caught:
        read_return(write(tmp_path, "html", [[*REVIEW, last_year], LITIGATION]))
    message = caught.value.finding.message
    assert "哪一行" in message and "没有行标签" not in message


@pytest.mark.parametrize("label", ["填表人：张三    联系电话：", "填报日期：", "审核人：李四"])
def test_a_sign_off_line_typed_under_a_table_stays_quiet(tmp_path: Path, label: str) -> None:
    """A unit's 填表人/联系电话/填报日期 line right under 表三: a phone number or a date is no
    figure lost to the form."""
    path = _foreign(tmp_path)
    workbook = openpyxl.load_workbook(path)
    sheet = workbook["表三"]
    under = _last_row(sheet) + 1
    first = min(c.column for c in sheet[under - 1] if c.value is not None)
    data = min(c.column for c in sheet[under - 1] if isinstance(c.value, int))
    sheet.cell(under, first).value = label
    sheet.cell(under, data + 2).value = 13912345678
    sheet.cell(under, data + 4).value = 2025
    workbook.save(path)
    ret = read_return(path, unit="某街道", year=2024)
    assert ret.values == SOURCE.values
    assert not _l10(ret.notes)


def test_a_line_of_figures_under_a_table_is_still_named(tmp_path: Path) -> None:
    """The same line without a sign-off word is figures lost, and named."""
    path = _foreign(tmp_path)
    workbook = openpyxl.load_workbook(path)
    sheet = workbook["表三"]
    under = _last_row(sheet) + 1
    first = min(c.column for c in sheet[under - 1] if c.value is not None)
    data = min(c.column for c in sheet[under - 1] if isinstance(c.value, int))
    sheet.cell(under, first).value = "5.其他"
    sheet.cell(under, data + 2).value = 7
    workbook.save(path)
    (message,) = _l10(read_return(path, unit="某街道", year=2024).notes)
    assert f"第 {under} 行「5.其他」" in message
