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


# -- a figure right beside a data row, under no label (L12) ----------------------------------


def with_row_shifted_right(tmp_path: Path, key: str, engine_file: str = "右移.xlsx") -> Path:
    """A unit's own workbook (write_foreign) whose row holding ``key`` was typed one cell to
    the right: its first figure cell blank, its last figure outside the table."""
    from tests.support.foreign import write_foreign

    path = tmp_path / engine_file
    write_foreign(path, FORM, valid_return(FORM, 5).values)
    workbook = openpyxl.load_workbook(path)
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            numbers = [cell for cell in row if isinstance(cell.value, int)]
            label = next((cell.value for cell in row if isinstance(cell.value, str)), "")
            if numbers and label == LABELS[key]:
                for merged in list(sheet.merged_cells.ranges):  # typed unmerged, header too
                    if merged.min_row <= row[0].row <= merged.max_row + 1:
                        sheet.unmerge_cells(str(merged))
                row = sheet[row[0].row]
                first = numbers[0].column
                for cell in reversed(row[first - 1 :]):
                    sheet.cell(cell.row, cell.column + 1).value = cell.value
                sheet.cell(row[0].row, first).value = None
                workbook.save(path)
                return path
    raise AssertionError(f"no row labelled {LABELS[key]}")


# 规章: a block of three columns; 行政许可: a block of one, inside the three columns of 表二's
# widest block (beside it means beside its own block's last column, not the table's)
LABELS = {"二:20-1.1:c1": "规章", "二:20-5.1:c1": "行政许可"}


@pytest.mark.parametrize("key", list(LABELS))
@pytest.mark.parametrize("engine", ["calamine", "openpyxl"])
def test_a_row_typed_one_cell_to_the_right_names_the_figure_outside_the_table(
    tmp_path, engine, key
):
    ret = read_return(with_row_shifted_right(tmp_path, key), engine=engine)
    (note,) = notes(ret, Rule.L12)
    assert note.sheet == "表二" and len(note.cells) == 1 and "未读取" in note.message
    assert ret.values[key] is None  # the blank first cell: V04 says it too
    assert any(n.rule is Rule.V04 for n in ret.notes)


def test_a_helper_column_of_figures_beside_every_row_is_no_shifted_row(tmp_path):
    from tests.support.foreign import write_foreign

    path = tmp_path / "辅助列.xlsx"
    write_foreign(path, FORM, valid_return(FORM, 5).values)
    workbook = openpyxl.load_workbook(path)
    sheet = workbook["表三"]
    last = max(cell.column for row in sheet.iter_rows() for cell in row if cell.value is not None)
    rows = [row[0].row for row in sheet.iter_rows() if any(isinstance(c.value, int) for c in row)]
    for r in rows:
        sheet.cell(r, last + 1).value = 1  # a unit's own check column, in every data row
    workbook.save(path)
    assert notes(read_return(path), Rule.L12) == []


def test_the_template_and_a_plain_workbook_have_no_figure_beside_their_rows(tmp_path):
    from tests.support.foreign import write_foreign

    own, foreign = tmp_path / "模板.xlsx", tmp_path / "自制.xlsx"
    write_return(own, FORM, valid_return(FORM, 5))
    write_foreign(foreign, FORM, valid_return(FORM, 5).values)
    assert notes(read_return(own), Rule.L12) == notes(read_return(foreign), Rule.L12) == []
