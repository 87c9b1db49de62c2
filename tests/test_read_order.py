"""A table whose labels are all there but in another order than the form's (two columns or
two column groups swapped, two rows swapped) is refused, and the refusal says so: reading it
by position would put each figure in its neighbour's cell, and "缺少标签" would send the user
looking for a label that is printed.

Also here: how messages tell apart copies of a table side by side on one sheet, and a value
note in a document that names its cell once."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from nianbao.checks.engine import validate_return
from nianbao.form import get_form
from nianbao.form.findings import Rule
from nianbao.form.layout import layout_for
from nianbao.recognise.reader import UnknownLayout, read_return
from nianbao.xlsx.writer import write_return
from tests.support.documents import Printing, report_html
from tests.support.returns import valid_return

FORM = get_form("2021")
LAYOUT = layout_for(FORM)
T3 = FORM.table("三").title
VALUES = valid_return(FORM, seed=4).values
SUED = "未经复议直接起诉"
SUED_AFTER = "复议后起诉"


def refusal(path: Path) -> str:
    with pytest.raises(UnknownLayout) as refused:
        read_return(path)
    assert refused.value.finding.rule is Rule.L01
    return refused.value.finding.message


def html_with(tmp_path: Path, edit) -> Path:
    path = tmp_path / "报告.html"
    page = report_html(FORM, VALUES, Printing())
    path.write_text(edit(page), encoding="utf-8")
    return path


def test_litigation_groups_printed_in_the_other_order_are_refused_as_misordered(tmp_path):
    def swap(page: str) -> str:
        assert page.count(SUED) == 1 and page.count(SUED_AFTER) == 1
        return page.replace(SUED, "@@").replace(SUED_AFTER, SUED).replace("@@", SUED_AFTER)

    message = refusal(html_with(tmp_path, swap))
    assert "的列次序与官方表式不同" in message
    assert f"「{SUED_AFTER}」应在「{SUED}」之后，却印在了它之前（左边）" in message
    assert "缺少标签" not in message


def test_two_swapped_columns_of_a_workbook_are_refused_as_misordered(tmp_path):
    path = tmp_path / "r.xlsx"
    write_return(path, FORM, valid_return(FORM, seed=5))
    book = openpyxl.load_workbook(path)
    sheet = book[T3]
    business, research = "商业企业", "科研机构"
    cells = {
        c.value: c for row in sheet.iter_rows() for c in row if c.value in (business, research)
    }
    cells[business].value, cells[research].value = research, business
    book.save(path)
    message = refusal(path)
    assert f"「{research}」应在「{business}」之后，却印在了它之前（左边）" in message
    assert "缺少标签" not in message


def test_two_swapped_rows_are_refused_as_misordered(tmp_path):
    table = FORM.table("三")
    first, second = (leaf.label for leaf in table.blocks[0].row_leaves[3:5])

    def swap(page: str) -> str:
        return page.replace(first, "@@").replace(second, first).replace("@@", second)

    message = refusal(html_with(tmp_path, swap))
    assert "的行次序与官方表式不同" in message
    assert f"「{second}」应在「{first}」之后，却印在了它之上" in message


def test_a_retyped_label_is_still_placed_by_position_not_called_misordered(tmp_path):
    ret = read_return(html_with(tmp_path, lambda page: page.replace("科研机构", "科研单位")))
    (note,) = [n for n in ret.notes if n.rule is Rule.L04]
    assert "科研机构" in note.message
    assert all("次序" not in n.message for n in ret.notes)


def test_copies_side_by_side_are_named_by_their_columns(tmp_path):
    path = tmp_path / "r.xlsx"
    write_return(path, FORM, valid_return(FORM, seed=6))
    book = openpyxl.load_workbook(path)
    sheet = book[T3]
    for row in list(sheet.iter_rows(min_row=1, max_row=sheet.max_row)):
        for cell in row:
            if cell.value is not None and not str(cell.value).startswith("="):
                sheet.cell(row=cell.row, column=cell.column + 12, value=cell.value)
    sheet["P5"] = 7  # the copy differs: two filled copies
    book.save(path)
    with pytest.raises(UnknownLayout) as refused:
        read_return(path)
    message = refused.value.finding.message
    assert refused.value.finding.rule is Rule.L05
    assert f"工作表「{T3}」第 2 行起（已填）" in message
    assert f"工作表「{T3}」第 2 行、M 列起（已填）" in message


def test_a_value_note_in_a_document_names_its_cell_once(tmp_path):
    key = "二:20-5.1:c1"  # 行政许可 · 本年处理决定数量
    cell = FORM.cell(key)

    def printed(k: str, value: object) -> str:
        return "49件左右" if k == key else ("" if value is None else str(value))

    path = tmp_path / "报告.html"
    path.write_text(report_html(FORM, VALUES, Printing(text=printed)), encoding="utf-8")
    (v01,) = [f for f in validate_return(read_return(path)) if f.rule is Rule.V01]
    assert v01.message.startswith("此格填的是「49件左右」，不是数字")
    assert cell.description not in v01.message
