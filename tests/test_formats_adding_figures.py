"""Number formats that add a figure of their own to what a cell stores (a tester's spreadsheet
variants, each shown by LibreOffice): 0 in 0;-0;"3" shows 3; 7 in General"0" shows 70 and in
"1"General 17; the text 「7」 in "1"@ shows 17; a conditional format showing 0 as 5. Each was
read as stored with no finding (V13 is for a cell the sheet shows as another figure)."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from openpyxl.formatting.rule import Rule as FormatRule
from openpyxl.styles import Font, GradientFill, PatternFill
from openpyxl.styles.differential import DifferentialStyle
from openpyxl.styles.numbers import NumberFormat

from nianbao.form import get_form
from nianbao.form.findings import Rule
from nianbao.form.layout import layout_for
from nianbao.recognise.reader import read_return
from nianbao.xlsx.writer import write_return
from tests.support.returns import valid_return

FORM = get_form("2021")
KEY = "二:20-5.1:c1"


def _formatted(tmp_path: Path, value: object, code: str, *, conditional: str = "") -> Path:
    path = tmp_path / "r.xlsx"
    write_return(path, FORM, valid_return(FORM, 1, unit="甲局", year=2025))
    sheet = layout_for(FORM).sheet_for(KEY)
    book = openpyxl.load_workbook(path)
    cell = book[sheet.name][sheet.address(KEY)]
    cell.value, cell.number_format = value, code
    if conditional:
        style = DifferentialStyle(numFmt=NumberFormat(numFmtId=200, formatCode=conditional))
        rule = FormatRule(type="cellIs", operator="equal", formula=["0"], dxf=style)
        book[sheet.name].conditional_formatting.add(sheet.address(KEY), rule)
    book.save(path)
    return path


def _v13(path: Path, engine: str = "calamine") -> list[str]:
    ret = read_return(path, engine=engine)
    return [f.message for f in ret.notes if f.rule is Rule.V13]


@pytest.mark.parametrize("engine", ["calamine", "openpyxl"])
@pytest.mark.parametrize(
    ("value", "code", "shown"),
    [
        (0, '0;-0;"3"', "「3」"),
        (0, '"3"', "「3」"),
        (0, '[=0]"5";0', "「5」"),
        (0, '0%;0%;"12"', "「12」"),
        (7, 'General"0"', "「70」"),
        (7, '"1"General', "「17」"),
        (7, "General%", "「700%」"),
        ("7", '"1"@', "「17」"),
        ("7", '@"0"', "「70」"),
        (7, "0*0", "「7000…」"),  # a fill repeats its digit across the cell
    ],
)
def test_a_format_that_adds_a_figure_is_said(tmp_path, engine, value, code, shown):
    (message,) = _v13(_formatted(tmp_path, value, code), engine)
    assert f"使它在表上显示为{shown}" in message


def test_a_conditional_format_showing_zero_as_a_figure_is_said(tmp_path):
    (message,) = _v13(_formatted(tmp_path, 0, "0", conditional='"5"'))
    assert "条件格式" in message


@pytest.mark.parametrize(
    ("value", "code"),
    [(0, '0;-0;"-"'), (0, "0%"), (0, '0;-0;""'), (7, 'General"件"'), (7, "General"), ("7", "@")],
)
def test_a_format_that_shows_the_figure_or_zero_as_nothing_is_no_finding(tmp_path, value, code):
    assert _v13(_formatted(tmp_path, value, code)) == []


@pytest.mark.parametrize(
    "fill",
    [
        PatternFill(patternType="darkGray", fgColor="FF000000", bgColor="FF000000"),
        GradientFill(degree=90, stop=("FF000000", "FF000000")),
    ],
    ids=["black pattern", "black gradient"],
)
def test_black_figures_on_a_black_pattern_or_gradient_are_unseen(tmp_path, fill):
    path = _formatted(tmp_path, 7, "0")
    sheet = layout_for(FORM).sheet_for(KEY)
    book = openpyxl.load_workbook(path)
    cell = book[sheet.name][sheet.address(KEY)]
    cell.font, cell.fill = Font(color="FF000000"), fill
    book.save(path)

    (message,) = _v13(path)
    assert "字体颜色与底色相同" in message


def test_the_usual_light_pattern_behind_black_figures_is_no_finding(tmp_path):
    path = _formatted(tmp_path, 7, "0")
    sheet = layout_for(FORM).sheet_for(KEY)
    book = openpyxl.load_workbook(path)
    cell = book[sheet.name][sheet.address(KEY)]
    cell.fill = PatternFill(patternType="lightGray", fgColor="FF000000")
    book.save(path)

    assert _v13(path) == []
