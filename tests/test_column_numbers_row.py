"""A row of column numbers (栏次: 1, 2, 3 …) printed under 表四's header is the header's, not
表四's one data row: the figures under it are read, in web pages, workbooks and text alike.
Before, the numbers 1 … 15 were read as the figures (E5 on every total) and the unit's own row
under them was left unread. Inside a table, a 栏次 row numbered from 0 stays quiet too."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from nianbao.form import get_form
from nianbao.form.findings import Rule
from nianbao.recognise.reader import read_return
from tests.support.documents import report_html, report_text
from tests.support.foreign import write_foreign
from tests.support.returns import valid_return

FORM = get_form("2021")
SOURCE = valid_return(FORM, seed=31)
NUMBERS = range(1, 16)


def _rules(notes: list) -> set[Rule]:
    return {finding.rule for finding in notes}


def _read_as_printed(path: Path, unit: str | None = None, year: int | None = None) -> None:
    """Every figure read, the numbered row neither a second data row nor figures lost."""
    ret = read_return(path, unit=unit, year=year)
    assert ret.values == SOURCE.values
    assert not _rules(ret.notes) & {Rule.L09, Rule.L10, Rule.E5}


def _after_header(page: str) -> int:
    """Where 表四's data row starts in a web page: after its deepest header row."""
    at = page.index("尚未审结", page.index("未经复议直接起诉"))
    return page.index("</tr>", at) + len("</tr>")


def test_a_numbered_row_under_table_fours_header_in_a_web_page(tmp_path: Path) -> None:
    page = report_html(FORM, SOURCE.values)
    at = _after_header(page)
    row = "<tr>" + "".join(f"<td>{n}</td>" for n in NUMBERS) + "</tr>"
    path = tmp_path / "报告.html"
    path.write_text(page[:at] + row + page[at:], encoding="utf-8")
    _read_as_printed(path)


def test_a_numbered_row_under_table_fours_header_in_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "自制.xlsx"
    write_foreign(path, FORM, SOURCE.values)
    workbook = openpyxl.load_workbook(path)
    sheet = workbook["表四"]
    data = max(r for r in range(1, sheet.max_row + 1) if any(c.value for c in sheet[r]))
    first = min(c.column for c in sheet[data] if c.value is not None)
    sheet.insert_rows(data)
    for offset, n in enumerate(NUMBERS):
        sheet.cell(data, first + offset).value = n
    workbook.save(path)
    _read_as_printed(path, unit="某街道", year=2024)


def test_a_numbered_row_under_table_fours_header_in_nianbaos_template(tmp_path: Path) -> None:
    """The template is read where it puts each cell (its hidden _nianbao sheet): a 栏次 row
    inserted under 表四's header was read as the data row (L09 and E5 on 1 … 15). Its labels
    are all in place, but the row under the header is the numbers: 表四 is found by its labels
    instead, as in any other workbook, and said to have moved (L02)."""
    from nianbao.form.layout import layout_for
    from nianbao.xlsx.writer import write_return

    path = tmp_path / "模板.xlsx"
    write_return(path, FORM, SOURCE, unit="某街道", year=2024)
    cells = layout_for(FORM).sheet_for("四").cells
    (data,) = {row for row, _ in cells.values()}
    workbook = openpyxl.load_workbook(path)
    sheet = workbook[layout_for(FORM).sheet_for("四").name]
    sheet.insert_rows(data + 1)
    for n, col in enumerate(sorted({col for _, col in cells.values()}), start=1):
        sheet.cell(data + 1, col + 1).value = n
    workbook.save(path)
    ret = read_return(path)
    inputs = [key for key in cells if not FORM.cell(key).derived]  # openpyxl drops the totals'
    assert {key: ret.values[key] for key in inputs} == {key: SOURCE.values[key] for key in inputs}
    assert not _rules(ret.notes) & {Rule.L09, Rule.L10, Rule.E5}
    assert [n.sheet for n in ret.notes if n.rule is Rule.L02] == [sheet.title]


def test_a_numbered_row_under_table_fours_header_in_text(tmp_path: Path) -> None:
    text = report_text(FORM, SOURCE.values)
    table_four = text.index("四、政府信息公开行政复议、行政诉讼情况")
    # the data row: the last row of the text, after the last blank line of the header
    header_end = text.rindex("\t总计\n\n", table_four) + len("\t总计\n\n")
    numbered = "".join(f"\t{n}\n" for n in NUMBERS) + "\n"
    path = tmp_path / "报告.txt"
    path.write_text(text[:header_end] + numbered + text[header_end:], encoding="utf-8")
    _read_as_printed(path)


def test_a_table_four_row_of_figures_is_never_taken_for_column_numbers(tmp_path: Path) -> None:
    """A data row whose first figures run 1, 2, 3 … is still the data: only a row every cell
    of which runs on so is the header's."""
    values = dict(SOURCE.values)
    keys = [key for key in values if key.startswith("四:")]
    for n, key in enumerate(keys[:4], start=1):  # 1, 2, 3, 4 and their total 10
        values[key] = n
    values[keys[4]] = 10
    path = tmp_path / "报告.html"
    path.write_text(report_html(FORM, values), encoding="utf-8")
    assert read_return(path).values == values


def test_a_numbered_row_from_zero_inside_table_three_stays_quiet(tmp_path: Path) -> None:
    page = report_html(FORM, SOURCE.values)
    at = page.index("</tr>", page.index("一、本年新收政府信息公开申请数量")) + len("</tr>")
    row = "<tr><td>栏次</td>" + "".join(f"<td>{n}</td>" for n in range(7)) + "</tr>"
    # 栏次 is a label L10 passes over anyway: the same numbers without it
    bare = "<tr><td></td>" + "".join(f"<td>{n}</td>" for n in range(7)) + "</tr>"
    for inserted in (row, bare):
        path = tmp_path / "报告.html"
        path.write_text(page[:at] + inserted + page[at:], encoding="utf-8")
        ret = read_return(path)
        assert ret.values == SOURCE.values
        assert Rule.L10 not in _rules(ret.notes)
