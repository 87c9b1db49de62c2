"""A column a unit inserted inside a table (not a column of the form) with figures: they are in
no cell of the form, so they are not read, and the user is told where (L11), as for rows (L10).
Found by a sweep: 「个体工商户」 inserted among the applicant columns of 表三 was left out in
silence, and only a balance error that named no column appeared when the unit's total had
counted it."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from nianbao.form import get_form
from nianbao.form.findings import Rule
from nianbao.form.layout import layout_for
from nianbao.recognise.reader import read_return
from nianbao.xlsx.writer import write_return
from tests.support.returns import valid_return

FORM = get_form("2021")
TABLE_THREE = "三、收到和处理政府信息公开申请情况"


def with_column_inserted(tmp_path: Path, label: str, figure: int) -> tuple[Path, dict]:
    """A valid return whose 表三 has ``label`` inserted as a new column after 「商业企业」, as
    Excel's Insert Column does (columns to the right move right), ``figure`` in its 本年新收
    cell; and the return's values."""
    ret = valid_return(FORM, 3, unit="甲局", year=2025)
    path = tmp_path / "插入一列.xlsx"
    write_return(path, FORM, ret)
    workbook = openpyxl.load_workbook(path)
    sheet = workbook[TABLE_THREE]
    sheet.protection.sheet = False
    header, column = next(
        (cell.row, cell.column)
        for row in sheet.iter_rows()
        for cell in row
        if cell.value == "商业企业"
    )
    new_row = layout_for(FORM).position("三:1:c1")[0] + 1
    for cells in list(sheet.merged_cells.ranges):
        sheet.merged_cells.remove(cells)
    sheet.insert_cols(column + 1)
    sheet.cell(header, column + 1).value = label
    sheet.cell(new_row, column + 1).value = figure
    workbook.save(path)
    return path, ret.values


def notes(ret, rule):
    return [n for n in ret.notes if n.rule is rule]


@pytest.mark.parametrize("engine", ["calamine", "openpyxl"])
def test_figures_in_a_column_that_is_not_the_forms_are_named_not_silently_left_out(
    tmp_path, engine
):
    path, values = with_column_inserted(tmp_path, "个体工商户", 7)
    ret = read_return(path, engine=engine)
    assert {k: ret.values[k] for k in FORM.input_keys} == {k: values[k] for k in FORM.input_keys}
    (note,) = notes(ret, Rule.L11)
    assert "「个体工商户」" in note.message and "「7」" in note.message and "未读取" in note.message
    assert note.sheet == TABLE_THREE and len(note.cells) == 1


@pytest.mark.parametrize("label", ["小计", "法人小计"])
def test_a_sum_column_is_no_lost_figure(tmp_path, label):
    path, _ = with_column_inserted(tmp_path, label, 7)
    assert notes(read_return(path), Rule.L11) == []


@pytest.mark.parametrize(("label", "figure"), [("个体工商户", 0), ("", 7)])
def test_a_column_of_zeros_or_without_a_label_loses_nothing(tmp_path, label, figure):
    path, _ = with_column_inserted(tmp_path, label, figure)
    assert notes(read_return(path), Rule.L11) == []


def test_the_template_as_issued_has_no_such_column(tmp_path):
    path = tmp_path / "原样.xlsx"
    write_return(path, FORM, valid_return(FORM, 3, unit="甲局", year=2025))
    assert notes(read_return(path), Rule.L11) == []
