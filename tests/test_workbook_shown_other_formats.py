"""What a workbook shows against what it stores, for .xls (BIFF8, also WPS .et) and .ods: the
cases of test_workbook_shown_sweep.py, each saved by LibreOffice in the other format, give the
same rule at the same cell (V13: a format hiding, scaling, making a percentage of or adding a
digit to a figure, a font the colour of the cell; V14: a figure in a hidden row or column), and
the same silence for the formats that show a figure as it is.

All the workbooks are built with openpyxl first, then converted in one LibreOffice start per
format.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest
from openpyxl.styles import Font, PatternFill

from nianbao.form import get_form
from nianbao.form.data import Return
from nianbao.form.findings import Finding, Rule
from nianbao.form.layout import layout_for
from nianbao.recognise.reader import read_return
from nianbao.xlsx.writer import write_return
from tests.support.foreign import ForeignStyle, write_foreign
from tests.support.returns import valid_return
from tests.support.soffice import convert_many, requires_soffice

pytestmark = [requires_soffice, pytest.mark.soffice]

FORM = get_form("2021")
LAYOUT = layout_for(FORM)
NEW = "三:1:c1"  # 表三 一、本年新收 · 自然人: a count
FEE = next(c.key for c in FORM.cells if c.value_type.name == "AMOUNT" and not c.derived)
HIDDEN_ROW = "三:3.2:c1"  # （二）部分公开
HIDDEN_COLUMN = "三:1:c2"  # 商业企业
FORMATS = ("xls", "ods")
# .ods formats and fonts are not read yet (LibreOffice keeps the data styles in styles.xml,
# which preflight does not keep): the catching cases wait for it, the silent ones hold already
ODS_PENDING = pytest.mark.xfail(strict=True, reason=".ods: formats, fonts, hidden lines not read")
CATCHING = ("xls", pytest.param("ods", marks=ODS_PENDING))

# name -> (key, value, number format, font colour, fill colour, what V13 says it shows)
V13_CASES = {
    "semicolons": (NEW, 7, ";;;", None, None, "空白"),
    "positive-empty": (NEW, 7, ";-0;0", None, None, "空白"),
    "thousands": (NEW, 12345, "0,", None, None, "「12」"),
    "millions": (NEW, 12345678, "0.00,,", None, None, "「12.35」"),
    "percent": (NEW, 1, "0%", None, None, "「100%」"),
    "percent-amount": (FEE, 0.5, "0%", None, None, "「50%」"),
    "literal-digit": (NEW, 5, '0"0"', None, None, "「50」"),
    "white": (NEW, 7, None, "FFFFFFFF", None, None),
    "white-on-white": (NEW, 7, None, "FFFFFF", "FFFFFF", None),
    "yellow-on-yellow": (NEW, 7, None, "FFF2CC", "FFF2CC", None),
}

HARMLESS = [
    "General",
    "0",
    "#,##0",
    "0.00",
    '0"件"',
    '#,##0.00"万元"',
    "0_ ",
    "[Red]0",
    "0;-0;;@",
    "#,##0 ;(#,##0)",
    "#,##0.00;[Red](#,##0.00)",
    '_-* #,##0_-;-* #,##0_-;_-* "-"_-;_-@_-',
    "@",
    "0;[Red]-0",
    "0.0",
    "G/通用格式",
    'G/通用格式"件"',
    "0_);[Red]\\(0\\)",
    '_ * #,##0_ ;_ * -#,##0_ ;_ * "-"_ ;_ @_ ',
    '_ ￥* #,##0.00_ ;_ ￥* -#,##0.00_ ;_ ￥* "-"??_ ;_ @_ ',
]


def _styled(
    template: Path,
    path: Path,
    key: str,
    value: object,
    fmt: str | None,
    colour: str | None,
    fill: str | None,
) -> None:
    shutil.copy(template, path)
    name, ref = LAYOUT.address(key)
    book = openpyxl.load_workbook(path)
    cell = book[name][ref]
    cell.value = value
    if fmt is not None:
        cell.number_format = fmt
    if colour is not None:
        cell.font = Font(color=colour)
    if fill is not None:
        cell.fill = PatternFill("solid", fgColor=fill)
    book.save(path)


def _harmless(template: Path, path: Path, value: int) -> None:
    """Every harmless format at once, each on its own count of 表三; a white figure on a dark
    fill and a white zero beside them."""
    keys = [key for key in FORM.input_keys if key.startswith("三:")][: len(HARMLESS) + 2]
    shutil.copy(template, path)
    book = openpyxl.load_workbook(path)
    for key, fmt in zip(keys, HARMLESS, strict=False):
        name, ref = LAYOUT.address(key)
        book[name][ref].value = value
        book[name][ref].number_format = fmt
    for key, figure, fill in ((keys[-2], 7, "FF1F4E79"), (keys[-1], 0, None)):
        name, ref = LAYOUT.address(key)
        book[name][ref].value = figure
        book[name][ref].font = Font(color="FFFFFFFF")
        if fill:
            book[name][ref].fill = PatternFill("solid", fgColor=fill)
    book.save(path)


def _foreign(path: Path, rows: tuple[str, ...], columns: tuple[str, ...], zero: bool = False):
    ret = valid_return(FORM, seed=5, unit="某局", year=2024)
    values = {k: v for k, v in ret.values.items() if not FORM.cell(k).derived}
    if zero:
        values.update({k: 0 for k in FORM.input_keys if k.startswith("三:3.2:")})
    places = write_foreign(
        path, FORM, values, ForeignStyle(title="某局2024年政府信息公开工作年度报告")
    )
    book = openpyxl.load_workbook(path)
    for key in rows:
        sheet, ref = places[key]
        book[sheet].row_dimensions[openpyxl.utils.cell.coordinate_to_tuple(ref)[0]].hidden = True
    for key in columns:
        sheet, ref = places[key]
        letter = openpyxl.utils.cell.coordinate_from_string(ref)[0]
        book[sheet].column_dimensions[letter].hidden = True
    book.save(path)
    return places, ret


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, object]:
    folder = tmp_path_factory.mktemp("shown-other")
    template = folder / "template.xlsx"
    write_return(template, FORM, valid_return(FORM, seed=3, unit="水泥路街道", year=2024))
    sources = [template]
    for name, (key, value, fmt, colour, fill, _) in V13_CASES.items():
        sources.append(folder / f"{name}.xlsx")
        _styled(template, sources[-1], key, value, fmt, colour, fill)
    for value in (7, 0, 12345):
        sources.append(folder / f"harmless-{value}.xlsx")
        _harmless(template, sources[-1], value)
    places = {}
    for name, rows, columns, zero in (
        ("hidden-row", (HIDDEN_ROW,), (), False),
        ("hidden-column", (), (HIDDEN_COLUMN,), False),
        ("hidden-zeros", (HIDDEN_ROW,), (), True),
    ):
        sources.append(folder / f"{name}.xlsx")
        places[name] = _foreign(sources[-1], rows, columns, zero)
    files: dict[str, object] = {"places": places}
    for fmt in FORMATS:
        for path in convert_many(sources, fmt, folder / fmt):
            files[f"{path.stem}.{fmt}"] = path
    return files


def shown_notes(ret: Return) -> list[Finding]:
    return [n for n in ret.notes if n.rule in (Rule.V13, Rule.V14)]


@pytest.mark.parametrize("fmt", CATCHING)
@pytest.mark.parametrize("case", list(V13_CASES))
def test_a_figure_shown_as_something_else_is_the_same_v13_at_the_same_cell(built, fmt, case):
    key, value, code, _, _, shown = V13_CASES[case]
    ret = read_return(built[f"{case}.{fmt}"])
    assert ret.values[key] == value  # read as stored
    (note,) = shown_notes(ret)
    sheet, ref = LAYOUT.address(key)
    assert note.rule is Rule.V13 and note.is_error
    assert (note.sheet, note.cells) == (sheet, (ref,))
    assert f"{ref}" in note.message
    if shown is None:
        assert "字体颜色与底色相同" in note.message
    else:
        assert f"存的是 {value}" in note.message and f"显示为{shown}" in note.message


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("value", [7, 0, 12345])
def test_formats_that_show_the_figure_as_it_is_say_nothing(built, fmt, value):
    assert shown_notes(read_return(built[f"harmless-{value}.{fmt}"])) == []


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_plain_template_and_a_hidden_row_of_zeros_say_nothing(built, fmt):
    assert shown_notes(read_return(built[f"template.{fmt}"])) == []
    assert shown_notes(read_return(built[f"hidden-zeros.{fmt}"])) == []


@pytest.mark.parametrize("fmt", CATCHING)
def test_a_hidden_row_of_figures_is_read_and_told(built, fmt):
    places, ret = built["places"]["hidden-row"]  # type: ignore[index]
    read = read_return(built[f"hidden-row.{fmt}"])
    assert read.values[HIDDEN_ROW] == ret.values[HIDDEN_ROW]
    (note,) = shown_notes(read)
    assert note.rule is Rule.V14 and not note.is_error
    sheet, ref = places[HIDDEN_ROW]
    number = openpyxl.utils.cell.coordinate_to_tuple(ref)[0]
    assert note.sheet == sheet and ref in note.cells and f"第 {number} 行" in note.message
    figures = [k for k in FORM.input_keys if k.startswith("三:3.2:") and ret.values[k]]
    assert len(note.cells) == len(figures)


@pytest.mark.parametrize("fmt", CATCHING)
def test_a_hidden_column_of_figures_is_read_and_told(built, fmt):
    places, _ = built["places"]["hidden-column"]  # type: ignore[index]
    (note,) = shown_notes(read_return(built[f"hidden-column.{fmt}"]))
    assert note.rule is Rule.V14 and not note.is_error
    sheet, ref = places[HIDDEN_COLUMN]
    letter = openpyxl.utils.cell.coordinate_from_string(ref)[0]
    assert note.sheet == sheet and ref in note.cells and f"{letter} 列" in note.message
