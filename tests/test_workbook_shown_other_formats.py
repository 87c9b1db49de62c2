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
CATCHING = FORMATS

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
    sources.append(folder / "elapsed.xlsx")
    _styled(template, sources[-1], NEW, 10, "[h]", None, None)
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


def test_a_count_in_an_elapsed_time_format_is_said_as_shown_or_in_chinese_words(built):
    """10 under [h]: .xls keeps Excel's format (V13: shown as 240, as in .xlsx); an .ods
    stores a duration (PT240H00M00S, which reached the user): V01 says it in words."""
    sheet, ref = LAYOUT.address(NEW)
    (note,) = shown_notes(read_return(built["elapsed.xls"]))
    assert note.rule is Rule.V13 and note.cells == (ref,)
    assert "存的是 10" in note.message and "显示为「240」" in note.message
    ods = read_return(built["elapsed.ods"])
    assert ods.values[NEW] == "10 天 0 小时"
    from nianbao.checks.engine import validate_returns

    ((v01,),) = [[f for f in found if f.rule is Rule.V01] for found in validate_returns([ods])]
    assert v01.cells == (ref,) and "读到的是「10 天 0 小时」" in v01.message


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


# -- .ods styles written by hand: what LibreOffice also writes, and other writers may -----------

_ODS_STYLES = """<?xml version="1.0" encoding="UTF-8"?>
<office:document-styles xmlns:office="o" xmlns:style="s" xmlns:number="n" xmlns:fo="f">
<office:styles>
<number:number-style style:name="Nk"><number:number number:decimal-places="1"
 number:min-integer-digits="1" number:display-factor="1000"/></number:number-style>
<number:number-style style:name="Nh"><number:number number:min-integer-digits="1"
 number:display-factor="100"/></number:number-style>
<number:number-style style:name="Nunit"><number:number number:min-integer-digits="1"
 number:grouping="true"/><number:text>件</number:text></number:number-style>
<number:percentage-style style:name="Np"><number:number number:decimal-places="0"
 number:min-integer-digits="1"/><number:text>%</number:text></number:percentage-style>
<number:number-style style:name="NmP0" style:volatile="true"><number:text>-</number:text>
</number:number-style>
<number:number-style style:name="Nm"><number:number number:min-integer-digits="1"/>
<style:map style:condition="value()&gt;0" style:apply-style-name="NmP0"/></number:number-style>
<style:style style:name="Default" style:family="table-cell"/>
<style:style style:name="Thousands" style:family="table-cell" style:data-style-name="Nk"/>
<style:style style:name="Hidden" style:family="table-cell">
 <style:table-cell-properties fo:background-color="#ffffff"/>
 <style:text-properties fo:color="#FFFFFF"/></style:style>
</office:styles></office:document-styles>""".encode()


def _ods_content(cells: str, columns: str = "<table:table-column/>", rows: str = "") -> bytes:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="o" xmlns:style="s" xmlns:table="t" xmlns:text="x">
<office:automatic-styles>
<style:style style:name="ce1" style:family="table-cell" style:parent-style-name="Thousands"/>
<style:style style:name="ce2" style:family="table-cell" style:data-style-name="Nh"/>
<style:style style:name="ce3" style:family="table-cell" style:data-style-name="Nunit"/>
<style:style style:name="ce4" style:family="table-cell" style:data-style-name="Np"/>
<style:style style:name="ce5" style:family="table-cell" style:data-style-name="Nm"/>
<style:style style:name="ce6" style:family="table-cell" style:parent-style-name="Hidden"/>
</office:automatic-styles>
<office:body><office:spreadsheet><table:table table:name="S">{columns}{rows}
<table:table-row>{cells}</table:table-row>
</table:table></office:spreadsheet></office:body></office:document-content>""".encode()


def _cell(style: str | None, value: float, repeat: int = 1) -> str:
    named = f' table:style-name="{style}"' if style else ""
    repeated = f' table:number-columns-repeated="{repeat}"' if repeat > 1 else ""
    return (
        f'<table:table-cell{named}{repeated} office:value-type="float" office:value="{value}">'
        f"<text:p>{value}</text:p></table:table-cell>"
    )


@pytest.mark.parametrize(
    ("style", "value", "why", "text"),
    [
        ("ce1", 12345, "other", "12.3"),  # display factor, through the parent style
        ("ce2", 700, "other", None),  # a factor Excel cannot spell: another figure all the same
        ("ce4", 1, "other", "100%"),
        ("ce5", 7, "blank", "-"),  # a map showing a positive figure as a dash
        ("ce6", 7, "font", ""),  # white on white, through the parent style
    ],
)
def test_ods_data_styles_and_colours_are_judged_as_excel_formats(style, value, why, text):
    from nianbao.sources.ods import ods_looks

    found = ods_looks(_ods_content(_cell(None, 1) + _cell(style, value)), _ODS_STYLES)
    cells, lines = found["S"]
    assert set(cells) == {(0, 1)} and lines == (frozenset(), frozenset())
    assert cells[(0, 1)].why == why and (text is None or cells[(0, 1)].text == text)


def test_ods_harmless_styles_zero_and_a_column_default_style():
    from nianbao.sources.ods import ods_looks

    plain = _ods_content(_cell("ce3", 7) + _cell("ce1", 0) + _cell(None, 12345))
    assert ods_looks(plain, _ODS_STYLES) == {}  # 7件, a scaled zero, General
    columns = '<table:table-column table:number-columns-repeated="2"/>' + (
        '<table:table-column table:default-cell-style-name="Thousands"/>'
    )
    styled = _ods_content(_cell(None, 1, repeat=2) + _cell(None, 12345), columns)
    assert list(ods_looks(styled, _ODS_STYLES)["S"][0]) == [(0, 2)]


def test_ods_hidden_rows_and_columns_count_their_repeats():
    from nianbao.sources.ods import ods_looks

    columns = (
        '<table:table-column table:number-columns-repeated="3"/>'
        '<table:table-column table:visibility="collapse" table:number-columns-repeated="2"/>'
    )
    rows = (
        '<table:table-row table:number-rows-repeated="2"><table:table-cell/></table:table-row>'
        '<table:table-row table:visibility="filter"><table:table-cell/></table:table-row>'
    )
    found = ods_looks(_ods_content(_cell(None, 1), columns, rows), _ODS_STYLES)
    assert found["S"][1] == (frozenset({2}), frozenset({3, 4}))
    assert ods_looks(_ods_content(_cell(None, 1)), b"") == {}


def test_ods_hostile_data_styles_are_judged_without_failing_or_growing():
    # a billion decimal places, superscript digits (str.isdigit, not int), factors and maps
    # that are no numbers: each judged as some format, in bounded time and memory
    from nianbao.sources.ods import ods_looks

    styles = _ODS_STYLES.replace(
        b"</office:styles>",
        b"""<number:number-style style:name="Big"><number:scientific-number
 number:decimal-places="999999999"/></number:number-style>
<number:number-style style:name="Sup"><number:number number:min-integer-digits="\xc2\xb2"
 number:decimal-places="\xc2\xb3" number:display-factor="abc"/><style:map
 style:condition="value()&gt;\xc2\xb2" style:apply-style-name="Missing"/></number:number-style>
<number:number-style style:name="Sci"><number:scientific-number
 number:decimal-places="\xc2\xb2"/></number:number-style>
<style:style style:name="BigS" style:family="table-cell" style:data-style-name="Big"/>
<style:style style:name="SupS" style:family="table-cell" style:data-style-name="Sup"/>
<style:style style:name="SciS" style:family="table-cell" style:data-style-name="Sci"/>
</office:styles>""",
    )
    cells = _cell("BigS", 12345) + _cell("SupS", 12345) + _cell("SciS", 12345)
    shown = ods_looks(_ods_content(cells), styles)["S"][0]
    # 1.234500…E+04 (30 places) reads 12345; 1.23E+04 (the default 2 places) another figure
    assert set(shown) == {(0, 2)} and shown[(0, 2)].text == "1.23E+04"


@pytest.mark.parametrize("value", ["INF", "-inf", "NaN"])
def test_ods_values_that_are_no_number_are_left_to_the_reader(value):
    from nianbao.sources.ods import ods_looks

    cell = _cell("ce4", 1).replace('office:value="1"', f'office:value="{value}"')
    assert ods_looks(_ods_content(cell), _ODS_STYLES) == {}


def test_ods_conditions_and_names_with_a_raw_greater_than_sign_are_read():
    # ">" may stand unescaped in an attribute: a condition value()>0, a sheet named 甲>乙
    from nianbao.sources.ods import ods_looks

    styles = _ODS_STYLES.replace(b"value()&gt;0", b"value()>0")
    content = _ods_content(_cell(None, 1) + _cell("ce5", 7)).replace(
        b'table:name="S"', 'table:name="甲>乙"'.encode()
    )
    cells, _ = ods_looks(content, styles)["甲>乙"]
    assert set(cells) == {(0, 1)} and cells[(0, 1)].why == "blank"


@pytest.mark.parametrize("typed", [False, "=FALSE()", True])
def test_a_boolean_in_an_xls_is_text_as_in_the_xlsx_it_came_from(tmp_path, typed):
    """TRUE / FALSE in a count: the .xlsx gives V01 (「FALSE」 is no number); its .xls
    (LibreOffice writes =FALSE() with the number 0 as its result) read silently as 0."""
    template = tmp_path / "template.xlsx"
    write_return(template, FORM, valid_return(FORM, seed=3, unit="水泥路街道", year=2024))
    source = tmp_path / "bool.xlsx"
    _styled(template, source, NEW, typed, None, None, None)
    (converted,) = convert_many([source], "xls", tmp_path / "xls")
    ret = read_return(converted)
    assert ret.values[NEW] == ("TRUE" if typed is True else "FALSE")
