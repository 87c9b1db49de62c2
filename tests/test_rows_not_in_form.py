"""A row a unit inserted inside a table (not a row of the form) with figures: they are in no
cell of the form, so they are not read, and the user is told where (L10). Found by a sweep:
「9.其他不予公开情形」 inserted under （三） with 2 applications gave only a generic L02 and
E3 advising 「请改为 1」, nothing naming the row whose figures were left out."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from nianbao.form import get_form
from nianbao.form.findings import Rule
from nianbao.recognise.reader import read_return
from nianbao.xlsx.writer import write_return
from tests.support.returns import valid_return

FORM = get_form("2021")
TABLE_THREE = "三、收到和处理政府信息公开申请情况"


def with_row_inserted(tmp_path: Path, label: str, figures: list[int]) -> Path:
    """A valid return whose 表三 has ``label`` and ``figures`` (自然人 … 其他) inserted as a
    new row under 「8.属于行政查询事项」, as Excel's Insert Row does (rows below move down)."""
    path = tmp_path / "插入一行.xlsx"
    write_return(path, FORM, valid_return(FORM, 3, unit="甲局", year=2025))
    workbook = openpyxl.load_workbook(path)
    sheet = workbook[TABLE_THREE]
    sheet.protection.sheet = False
    at = next(
        r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 3).value == "8.属于行政查询事项"
    )
    merged = list(sheet.merged_cells.ranges)
    for cells in merged:
        sheet.merged_cells.remove(cells)
    sheet.insert_rows(at + 1)
    sheet.cell(at + 1, 3).value = label
    for offset, figure in enumerate(figures):
        sheet.cell(at + 1, 4 + offset).value = figure
    workbook.save(path)
    return path


def notes(ret, rule):
    return [n for n in ret.notes if n.rule is rule]


@pytest.mark.parametrize("engine", ["calamine", "openpyxl"])
def test_figures_in_a_row_that_is_not_the_forms_are_named_not_silently_left_out(tmp_path, engine):
    path = with_row_inserted(tmp_path, "9.其他不予公开情形", [2, 0, 0, 0, 0, 0])
    ret = read_return(path, engine=engine)
    (note,) = notes(ret, Rule.L10)
    assert note.cells[0].startswith("D") and "「9.其他不予公开情形」" in note.message
    assert "「2」" in note.message and "未读取" in note.message
    assert note.sheet == TABLE_THREE


@pytest.mark.parametrize("label", ["小计", "其中：小计", "栏次"])
def test_a_sum_printed_again_or_column_numbers_are_no_lost_figures(tmp_path, label):
    ret = read_return(with_row_inserted(tmp_path, label, [1, 2, 3, 4, 5, 6]))
    assert notes(ret, Rule.L10) == []


def test_a_row_of_zeros_loses_nothing(tmp_path):
    ret = read_return(with_row_inserted(tmp_path, "9.其他不予公开情形", [0, 0, 0, 0, 0, 0]))
    assert notes(ret, Rule.L10) == []


def test_the_template_as_issued_has_no_such_row(tmp_path):
    path = tmp_path / "原样.xlsx"
    write_return(path, FORM, valid_return(FORM, 3, unit="甲局", year=2025))
    assert notes(read_return(path), Rule.L10) == []
