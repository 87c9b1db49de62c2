"""Reading a number right from one workbook (issue 9): every case where a reader could give a
wrong number in silence, and what nianbao says instead.

Each test names the situation a unit creates (a copied sheet, a script-written file, a number
stored as text …) and asserts the exact cells and rule ids of what is reported.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

from nianbao.checks.engine import validate_return
from nianbao.form import get_form
from nianbao.form.data import Return, blank_return, complete
from nianbao.form.findings import Finding, Rule
from nianbao.form.layout import COVER_FIELDS, COVER_SHEET, COVER_VALUE_COL, layout_for
from nianbao.recognise.normalize import normalize
from nianbao.recognise.reader import UnknownLayout, read_return
from nianbao.sources.grid import load_grid
from nianbao.sources.preflight import UnreadableFile, preflight
from nianbao.xlsx.writer import write_return
from tests.support import badfiles
from tests.support.engines import ENGINES, read_with_both_engines
from tests.support.foreign import ForeignStyle, write_foreign
from tests.support.returns import inputs_of, valid_return
from tests.support.soffice import convert, requires_soffice

FORM = get_form("2021")
LAYOUT = layout_for(FORM)

T2, T3, T4 = (FORM.table(code).title for code in ("二", "三", "四"))


def test_a_balance_message_names_a_formula_without_result_and_an_error_value_not_their_zero(
    tmp_path,
):
    path = template(tmp_path)
    new, carried = a1("三:1:c1"), a1("三:2:c1")
    edit_xml(
        path,
        PART[T3],
        {
            new: f'<c r="{new}" s="10"><f>3+4</f></c>',
            carried: f'<c r="{carried}" s="10" t="e"><v>#REF!</v></c>',
        },
    )
    found = validate_return(read_with_both_engines(path))
    (e1,) = [f for f in found if f.rule is Rule.E1 and "自然人" in f.message]
    assert "「本年新收」是没有计算结果的公式，「上年结转」显示的是错误值，上式按 0 计" in e1.message
    (total,) = [f for f in found if f.rule is Rule.E1 and "总计列" in f.message]
    assert "「本年新收」、「上年结转」的合计中有不是数字的格" in total.message


PART = {T2: "xl/worksheets/sheet2.xml", T3: "xl/worksheets/sheet3.xml"}
COUNT_2 = FORM.table("二").cells[0].key  # a count in 表二


def a1(key: str) -> str:
    return LAYOUT.address(key)[1]


def write(path: Path, ret: Return) -> Path:
    write_return(path, ret.form, ret)
    return path


def template(tmp_path: Path, name: str = "r.xlsx", seed: int = 3, **attributes) -> Path:
    attributes.setdefault("unit", "水泥路街道")
    attributes.setdefault("year", 2024)
    return write(tmp_path / name, valid_return(FORM, seed=seed, **attributes))


def refused_by_both(path: Path, **options) -> Finding:
    findings = []
    for engine in ENGINES:
        with pytest.raises(UnknownLayout) as caught:
            read_return(path, engine=engine, **options)
        findings.append(caught.value.finding)
    assert findings[0] == findings[1]
    return findings[0]


def notes(ret: Return, rule: Rule) -> list[Finding]:
    return [n for n in ret.notes if n.rule is rule]


def edit_xml(path: Path, part: str, cells: dict[str, str]) -> None:
    """Replace whole <c> elements of ``part`` (A1 -> new element XML), in place."""
    data = path.read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = archive.read(part).decode()
    for ref, element in cells.items():
        pattern = re.compile(rf'<c r="{ref}"(?:[^>]*/>|[^>]*>.*?</c>)', re.DOTALL)
        xml, n = pattern.subn(element, xml, count=1)
        assert n == 1, ref
    path.write_bytes(badfiles.rezip(data, replace={part: xml.encode()}))


def cover_cell(path: Path, key: str, value: object) -> None:
    field = next(f for f in COVER_FIELDS if f.key == key)
    book = openpyxl.load_workbook(path)
    book[COVER_SHEET].cell(field.row + 1, COVER_VALUE_COL + 1, value)
    book.save(path)


@pytest.fixture(scope="module")
def valid_path(tmp_path_factory) -> Path:
    return template(tmp_path_factory.mktemp("valid"), "valid.xlsx")


# -- 1. more than one copy of a table ---------------------------------------------------------


def copy_sheet(path: Path, title: str, name: str, *, before: bool = False, fill=None, blank=False):
    """Excel's 移动或复制 → 建立副本 (openpyxl stands in): a copy of ``title`` named ``name``;
    ``fill`` gives the copy other figures (key -> value); ``blank`` empties the original's inputs."""
    book = openpyxl.load_workbook(path)
    original = book[title]
    copy = book.copy_worksheet(original)
    copy.title = name
    table = next(t for t in FORM.tables if t.title == title)
    for cell in table.cells:
        if cell.derived:
            continue
        row, col = LAYOUT.position(cell.key)
        if fill is not None:
            copy.cell(row + 1, col + 1, fill(cell.key))
        if blank:
            original.cell(row + 1, col + 1).value = None
    if before:
        book.move_sheet(copy, -(len(book.sheetnames) - 1 - book.sheetnames.index(title)))
    book.save(path)


def test_a_blank_original_and_its_filled_copy_read_the_copy_and_name_both(tmp_path):
    """建立副本 leaves 「三、…」 blank and the figures in 「三、…(2)」: today the blank one was read."""
    path = template(tmp_path)
    expected = inputs_of(read_return(path))
    copy = f"{T3}(2)"
    copy_sheet(path, T3, copy, fill=lambda key: expected[key], blank=True)
    ret = read_with_both_engines(path)
    assert inputs_of(ret) == expected
    assert ret.location("三:1:c1") == (copy, a1("三:1:c1"))
    (note,) = notes(ret, Rule.L06)
    assert note.level.value == "warning" and note.sheet == copy
    assert f"工作表「{T3}」第 2 行起（空白）" in note.message
    assert f"工作表「{copy}」第 2 行起（已填）" in note.message
    assert "只有这一份填了数字" in note.message
    assert not notes(ret, Rule.V04)


def test_two_filled_copies_of_a_table_are_an_error_naming_both_and_nothing_is_read(tmp_path):
    path = template(tmp_path)
    copy = f"{T3}(2)"
    copy_sheet(path, T3, copy, fill=lambda key: 1)
    finding = refused_by_both(path)
    assert finding.rule is Rule.L05 and finding.is_error
    assert f"工作表「{T3}」" in finding.message and f"工作表「{copy}」" in finding.message
    assert finding.operands["工作表"] == [T3, copy]


def test_last_years_sheet_placed_before_this_years_is_not_read_and_is_named(tmp_path):
    """「三（2023年）」 before this year's 表三, in a template whose cover says 2024."""
    path = template(tmp_path, year=2024)
    expected = inputs_of(read_return(path))
    copy_sheet(path, T3, "三（2023年）", before=True, fill=lambda key: 7)
    assert openpyxl.load_workbook(path).sheetnames.index("三（2023年）") < (
        openpyxl.load_workbook(path).sheetnames.index(T3)
    )
    ret = read_with_both_engines(path)
    assert inputs_of(ret) == expected and ret.year == 2024
    (note,) = notes(ret, Rule.L07)
    assert note.sheet == "三（2023年）" and "2023" in note.message and "2024" in note.message
    assert not notes(ret, Rule.L05) and not notes(ret, Rule.L06)


def test_a_sheet_of_last_year_says_so_in_its_name_and_is_not_read_in_a_foreign_workbook(tmp_path):
    """A unit's own workbook: 「上年」 (all three tables) before this year's three sheets."""
    values = complete(FORM, {key: i for i, key in enumerate(FORM.input_keys, start=1)})
    old = complete(FORM, dict.fromkeys(FORM.input_keys, 5))
    path = tmp_path / "f.xlsx"
    locations = write_foreign(path, FORM, values, ForeignStyle(copies={"上年": (old, None)}))
    ret = read_with_both_engines(path, year=2024)
    assert ret.values == values and ret.locations == locations
    assert [n.sheet for n in notes(ret, Rule.L07)] == ["上年", "上年", "上年"]


def test_report_titles_of_two_years_choose_by_the_year_asked_for_else_refuse(tmp_path):
    """Two sheets, each with a report title and all three tables, both filled."""
    this = complete(FORM, {key: i for i, key in enumerate(FORM.input_keys, start=1)})
    last = complete(FORM, dict.fromkeys(FORM.input_keys, 2))
    path = tmp_path / "f.xlsx"
    style = ForeignStyle(
        sheets="one",
        sheet_names={"one": "乙"},
        title="道外区某局2024年政府信息公开工作年度报告",
        copies={"甲": (last, "道外区某局2023年政府信息公开工作年度报告")},
    )
    locations = write_foreign(path, FORM, this, style)
    finding = refused_by_both(path)  # the workbook says two years: nothing is guessed
    assert finding.rule is Rule.L05
    assert "工作表「甲」第 4 行起（已填，标题标明 2023 年）" in finding.message
    assert "工作表「乙」第 4 行起（已填，标题标明 2024 年）" in finding.message
    ret = read_with_both_engines(path, year=2024)
    assert ret.values == this and ret.locations == locations
    assert (ret.unit, ret.year) == ("道外区某局", 2024)
    assert {n.sheet for n in notes(ret, Rule.L07)} == {"甲"}


def test_a_blank_copy_of_a_table_below_the_filled_one_on_the_same_sheet_is_named(tmp_path):
    """The same sheet holds the table twice, one under the other: every copy is found."""
    path = template(tmp_path)
    expected = inputs_of(read_return(path))
    book = openpyxl.load_workbook(path)
    sheet = book[T4]
    first, last = LAYOUT.sheet_for("四:1:ar1").header_rows[0], LAYOUT.sheet_for("四:").last_row
    for r in range(first, last + 1):
        for c in range(LAYOUT.sheet_for("四:").width):
            value = sheet.cell(r + 1, c + 1).value
            if isinstance(value, str):
                sheet.cell(r + 1 + 20, c + 1, value)
    book.save(path)
    ret = read_with_both_engines(path)
    assert inputs_of(ret) == expected
    (note,) = notes(ret, Rule.L06)
    top = LAYOUT.sheet_for("四:").header_rows[0]
    assert f"工作表「{T4}」第 {top + 1} 行起（已填）" in note.message
    assert f"工作表「{T4}」第 {top + 21} 行起（空白）" in note.message


def test_side_by_side_copies_on_one_sheet_are_told_apart(tmp_path):
    """A foreign sheet with 表三 twice, next to each other, both filled: an error, not a mix."""
    values = complete(FORM, {key: i for i, key in enumerate(FORM.input_keys, start=1)})
    path = tmp_path / "f.xlsx"
    write_foreign(path, FORM, values, ForeignStyle(column_offsets={"三": 12}))
    book = openpyxl.load_workbook(path)
    sheet = book["表三"]
    for row in sheet.iter_rows():
        for cell in row:
            if cell.column > 12 and cell.value is not None:
                sheet.cell(cell.row, cell.column - 12, cell.value)
    book.save(path)
    finding = refused_by_both(path)
    assert finding.rule is Rule.L05 and finding.message.count("工作表「表三」") == 2


def test_a_hidden_old_copy_yields_to_the_visible_filled_one_and_is_named(tmp_path):
    values = complete(FORM, {key: i for i, key in enumerate(FORM.input_keys, start=1)})
    old = dict.fromkeys(values, 0)
    path = tmp_path / "f.xlsx"
    style = ForeignStyle(sheets="one", sheet_names={"one": "今年"}, hidden_copy=old)
    write_foreign(path, FORM, values, style)
    ret = read_with_both_engines(path)
    assert ret.values == values
    assert {n.sheet for n in notes(ret, Rule.L06)} == {"今年"}
    assert all(
        re.search("工作表「旧表」第 [0-9]+ 行起（已填，隐藏）", n.message)
        and "隐藏工作表中的表格不参与选择" in n.message
        for n in notes(ret, Rule.L06)
    )


def test_a_filled_hidden_copy_is_read_when_the_visible_one_is_blank(tmp_path):
    values = complete(FORM, {key: i for i, key in enumerate(FORM.input_keys, start=1)})
    path = tmp_path / "f.xlsx"
    blank = dict.fromkeys(values)
    write_foreign(path, FORM, blank, ForeignStyle(sheets="one", hidden_copy=values))
    ret = read_with_both_engines(path)
    assert inputs_of(ret) == inputs_of(Return(FORM, values))
    assert {sheet for sheet, _ in ret.locations.values()} == {"旧表"}


def test_a_date_in_a_heading_is_not_a_stated_year(tmp_path):
    """「填报日期：2025年1月10日」 above 表二 of a 2024 return says nothing about its year."""
    values = complete(FORM, {key: i for i, key in enumerate(FORM.input_keys, start=1)})
    path = tmp_path / "f.xlsx"
    style = ForeignStyle(
        sheets="one",
        title="填报日期：2025年1月10日",
        copies={"表2023": (dict.fromkeys(values), None)},
    )
    write_foreign(path, FORM, values, style)
    ret = read_with_both_engines(path, year=2024)
    assert ret.values == values
    assert {n.sheet for n in notes(ret, Rule.L07)} == {"表2023"}


# -- 2. formulas without a stored result, error values -----------------------------------------


def test_a_formula_input_without_its_result_is_V07_at_that_cell_never_a_blank(tmp_path):
    path = template(tmp_path)
    d5, total = a1("三:1:c1"), a1("三:1:c7")
    edit_xml(
        path,
        PART[T3],
        {d5: f'<c r="{d5}" s="10"><f>3+4</f></c>', total: f'<c r="{total}"><f>SUM(D5:I5)</f></c>'},
    )
    ret = read_with_both_engines(path)
    (note,) = notes(ret, Rule.V07)
    assert note.is_error and note.sheet == T3 and note.cells == (d5,)  # the total is recomputed
    assert "公式没有计算结果，请在 Excel/WPS 中打开并保存后再报送" in note.message
    assert not notes(ret, Rule.V04)
    assert Rule.V07 in {f.rule for f in validate_return(ret)}


def test_formulas_typed_by_a_script_that_does_not_calculate_are_V07(tmp_path):
    """openpyxl writes a formula and no result: every input it wrote is reported, none is 0."""
    path = template(tmp_path)
    book = openpyxl.load_workbook(path)
    keys = ["三:1:c1", "三:2:c3", "四:1:ar1"]
    for key in keys:
        book[LAYOUT.sheet_for(key).name][a1(key)] = "=1+1"
    book.save(path)
    ret = read_with_both_engines(path)
    assert {(n.sheet, c) for n in notes(ret, Rule.V07) for c in n.cells} == {
        (LAYOUT.sheet_for(k).name, a1(k)) for k in keys
    }


def test_error_values_are_named_as_such_not_called_blank(tmp_path):
    path = template(tmp_path)
    e5, f5 = a1("三:1:c2"), a1("三:1:c3")
    edit_xml(
        path,
        PART[T3],
        {
            e5: f'<c r="{e5}" s="10" t="e"><f>1/0</f><v>#DIV/0!</v></c>',
            f5: f'<c r="{f5}" s="10" t="e"><v>#REF!</v></c>',
        },
    )
    ret = read_with_both_engines(path)
    (note,) = notes(ret, Rule.V08)
    assert note.is_error and note.cells == (e5, f5)
    assert f"{e5}「#DIV/0!」" in note.message and f"{f5}「#REF!」" in note.message
    assert "空白" not in note.message and not notes(ret, Rule.V04)


def test_cell_flags_are_the_same_from_both_engines_and_only_for_blanks(valid_path):
    for engine in ENGINES:
        grid = load_grid(valid_path, engine)
        assert all(sheet.flags == {} for sheet in grid.sheets)


# -- 3. numbers stored as text that the stored totals left out ---------------------------------


def text_return(tmp_path: Path) -> tuple[Path, dict[str, object]]:
    """A template whose inputs hold numbers as text: its cached totals leave them out, as
    Excel's SUM does (the writer computes cached totals the same way)."""
    ret = valid_return(FORM, seed=5, unit="水泥路街道", year=2024)
    wide = str.maketrans("0123456789", "０１２３４５６７８９")
    shapes = {"三:1:c1": "{}", "三:1:c2": "{}", "三:3.1:c1": "{} ", "三:2:c3": "'{}"}
    typed = {k: shape.format(ret.values[k]) for k, shape in shapes.items()}
    typed["三:1:c2"] = typed["三:1:c2"].translate(wide)  # full-width digits
    values = {**ret.values, **typed}
    totals = complete(FORM, {k: (None if k in typed else v) for k, v in values.items()})
    values.update({k: totals[k] for k in FORM.derived_keys})
    path = write(tmp_path / "text.xlsx", Return(FORM, values, unit=ret.unit, year=ret.year))
    return path, typed


def test_numbers_stored_as_text_are_reported_at_their_cells_not_at_the_totals(tmp_path):
    path, numbers = text_return(tmp_path)
    ret = read_with_both_engines(path)
    assert {k: ret.values[k] for k in numbers} == {k: normalize(v)[0] for k, v in numbers.items()}
    (note,) = notes(ret, Rule.V06)
    assert set(note.cells) == {a1(k) for k in numbers}
    assert "以文本形式存储" in note.message and "合计没有计入这些数字" in note.message
    found = validate_return(ret)
    assert not [f for f in found if f.rule in (Rule.E1, Rule.E3, Rule.E4)], found
    assert ret.completed()["三:1:c7"] == sum(ret.completed()[f"三:1:c{i}"] for i in range(1, 7))


def test_a_total_wrong_for_another_reason_is_still_an_error_beside_text_numbers(tmp_path):
    path, _ = text_return(tmp_path)
    book = openpyxl.load_workbook(path)
    book[T3][a1("三:2:c7")] = 99999
    book.save(path)
    ret = read_return(path)
    (e4,) = [f for f in validate_return(ret) if f.rule is Rule.E4]
    assert e4.cells == (a1("三:2:c7"),)


def test_excels_text_prefix_written_out_is_read_as_the_number():
    assert normalize("'95") == (95, Rule.V06)
    assert normalize("‘12") == (12, Rule.V06)
    assert normalize("'见附件") == ("'见附件", None)


@requires_soffice
def test_text_numbers_in_a_workbook_saved_by_libreoffice_point_at_the_text_cells(tmp_path):
    """LibreOffice recalculates on saving; its SUM leaves text out just as Excel's does."""
    path, numbers = text_return(tmp_path)
    saved = convert(path, "xlsx", tmp_path / "lo")
    ret = read_return(saved)
    (note,) = notes(ret, Rule.V06)
    assert set(note.cells) == {a1(k) for k in numbers}
    assert not [f for f in validate_return(ret) if f.rule in (Rule.E3, Rule.E4)]


# -- 4. a blank return is not a submission ----------------------------------------------------


def test_a_template_with_every_input_blank_is_C04_not_a_return_of_zeros(tmp_path):
    path = write(tmp_path / "blank.xlsx", blank_return(FORM, unit="水泥路街道", year=2024))
    found = validate_return(read_with_both_engines(path))
    (c04,) = [f for f in found if f.rule is Rule.C04]
    assert c04.is_error
    assert not [f for f in found if f.rule is Rule.V04]  # one finding, not every cell


def test_a_return_with_one_figure_typed_is_not_blank(tmp_path):
    ret = blank_return(FORM, unit="水泥路街道", year=2024)
    ret.values["四:1:ar1"] = 0
    path = write(tmp_path / "one.xlsx", ret)
    rules = {f.rule for f in validate_return(read_return(path))}
    assert Rule.C04 not in rules and Rule.V04 in rules


def test_formulas_without_results_in_every_input_are_not_called_a_blank_return(tmp_path):
    """A script wrote a formula into every input and no result: V07 says so, not C04."""
    path = write(tmp_path / "script.xlsx", blank_return(FORM, unit="水泥路街道", year=2024))
    book = openpyxl.load_workbook(path)
    for key in FORM.input_keys:
        book[LAYOUT.sheet_for(key).name][a1(key)] = "=0+0"
    book.save(path)
    rules = {f.rule for f in validate_return(read_return(path))}
    assert Rule.V07 in rules and Rule.C04 not in rules


# -- 5. values no count can have ---------------------------------------------------------------


def huge_return(tmp_path: Path, name: str, unit: str) -> Path:
    ret = valid_return(FORM, seed=7, unit=unit, year=2024)
    values = {**ret.values, "三:1:c1": 9.9e307, COUNT_2: 10**10}
    return write(tmp_path / name, Return(FORM, values, unit=unit, year=2024))


def test_values_no_count_can_have_are_V09_at_their_cells(tmp_path):
    ret = read_with_both_engines(huge_return(tmp_path, "h.xlsx", "甲"))
    assert ret.values["三:1:c1"] == 99 * 10**306  # 9.9E+307, without the float's binary tail
    v09 = {f.cells[0]: f for f in validate_return(ret) if f.rule is Rule.V09}
    assert set(v09) == {a1("三:1:c1"), a1(COUNT_2)}
    assert "9.9E+307" in v09[a1("三:1:c1")].message and v09[a1("三:1:c1")].is_error


def test_merging_and_writing_sums_beyond_a_cells_range_never_crash(tmp_path):
    from nianbao.pipeline.export import export_returns
    from nianbao.pipeline.merge import merge_returns
    from nianbao.xlsx.summary import write_summary

    members = [read_return(huge_return(tmp_path, f"h{i}.xlsx", f"单位{i}")) for i in range(3)]
    summary = merge_returns(members, name="道外区")
    assert summary.values["三:1:c1"] == 3 * 99 * 10**306  # exact: beyond any float
    write_summary(tmp_path / "汇总.xlsx", summary, members)
    # no cell holds 2.97E+308: the summary shows it as Excel would show it, as text
    back = read_return(tmp_path / "汇总.xlsx")
    assert back.values["三:1:c1"] == "2.97E+308"
    assert a1("三:1:c1") in {
        c for f in validate_return(back) if f.rule is Rule.V01 for c in f.cells
    }
    assert export_returns([summary, *members], tmp_path / "数据.xlsx") == 4 * len(FORM.cells)
    write_return(tmp_path / "再写.xlsx", FORM, summary)


# -- 6. the format is the content's, not the name's ---------------------------------------------


@pytest.fixture(scope="module")
def converted(tmp_path_factory, valid_path) -> dict[str, Path]:
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    folder = tmp_path_factory.mktemp("converted")
    return {fmt: convert(valid_path, fmt, folder) for fmt in ("xls", "ods")}


@requires_soffice
@pytest.mark.parametrize(
    ("fmt", "name"), [("xls", "另存.xlsx"), ("ods", "另存.xlsx"), ("xls", "金山.et")]
)
def test_a_valid_workbook_under_another_formats_name_is_read_by_its_content(
    tmp_path, converted, valid_path, fmt, name
):
    path = tmp_path / name
    shutil.copy(converted[fmt], path)
    assert preflight(path) == fmt
    ret = read_return(path)
    assert ret.values == read_return(valid_path).values and ret.unit == "水泥路街道"


def test_an_xlsx_under_an_xls_or_et_name_is_read_by_both_engines(tmp_path, valid_path):
    for name in ("改名.xls", "金山.et"):
        path = tmp_path / name
        shutil.copy(valid_path, path)
        assert read_with_both_engines(path).values == read_return(valid_path).values


def test_a_folder_check_finds_wps_et_files(tmp_path, valid_path):
    from nianbao.pipeline.check import expand_paths

    shutil.copy(valid_path, tmp_path / "金山.et")
    assert [p.name for p in expand_paths([tmp_path])] == ["金山.et"]


# -- 7. cell references as calamine reads them -------------------------------------------------


def refused(path: Path, rule: Rule) -> str:
    with pytest.raises(UnreadableFile) as caught:
        preflight(path)
    assert caught.value.finding.rule is rule, caught.value.finding.message
    return caught.value.finding.message


@pytest.mark.parametrize(
    ("reference", "row"),
    [
        ("XFD0000001048576", "0000001048576"),  # leading zeros: every digit counts
        ("AAAAAA1", "1"),  # six letters: column 321 million
        ("", "1048576"),  # no reference: the cell sits in its row, the row is far
        ("A0000000000000000000000000000000000000000001048576", "1"),  # more digits than u32
    ],
)
def test_a_far_cell_however_its_reference_is_spelt_is_refused_before_any_reader(
    tmp_path, valid_path, reference, row
):
    data = badfiles.far_cell_xlsx(valid_path.read_bytes(), reference=reference, row=row)
    message = refused(badfiles.write(tmp_path / "远处.xlsx", data), Rule.F04)
    assert "数据区域异常庞大" in message


def test_cells_without_references_far_along_one_row_are_refused(tmp_path, valid_path):
    """calamine places a cell without r="…" after the previous one: 3,000 of them in row 1,000
    make a range as wide as they are many, as tall as the rows."""
    valid = valid_path.read_bytes()
    part = "xl/worksheets/sheet1.xml"
    with zipfile.ZipFile(io.BytesIO(valid)) as archive:
        xml = archive.read(part).decode()
    wide = '<row r="1000">' + "<c><v>1</v></c>" * 3000 + "</row>"
    xml = xml.replace("</sheetData>", wide + "</sheetData>")
    data = badfiles.rezip(valid, replace={part: xml.encode()})
    assert "3000 列" in refused(badfiles.write(tmp_path / "无引用.xlsx", data), Rule.F04)


def test_the_leading_zero_file_that_aborted_calamine_is_reported_not_a_crash(tmp_path, valid_path):
    """Reading it in a child process: on main the process died of SIGABRT (Rust OOM)."""
    data = badfiles.far_cell_xlsx(
        valid_path.read_bytes(), reference="XFD0000001048576", row="0000001048576"
    )
    path = badfiles.write(tmp_path / "前导零.xlsx", data)
    assert len(data) < 30_000
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from nianbao.pipeline.check import read_one\n"
        "print(read_one(Path(sys.argv[1])).rule.id)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        env={"PYTHONPATH": str(Path(__file__).resolve().parents[1] / "src")},
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "F04"


def test_annotating_a_return_with_a_long_table_sheet_is_refused_before_openpyxl_loads_it(
    tmp_path, valid_path, monkeypatch
):
    """160,000 stray rows under 表三: readable (calamine), but openpyxl would hold each cell as
    an object; the annotated copy is refused up front, with a message naming the sheet."""
    from nianbao.pipeline.check import check_paths
    from nianbao.xlsx.annotate import CannotAnnotate, annotate

    valid = valid_path.read_bytes()
    with zipfile.ZipFile(io.BytesIO(valid)) as archive:
        xml = archive.read(PART[T3]).decode()
    tail = "".join(f'<row r="{r}"><c r="A{r}"><v>1</v></c></row>' for r in range(40, 160_040))
    xml = xml.replace("</sheetData>", tail + "</sheetData>")
    path = badfiles.write(
        tmp_path / "长尾.xlsx", badfiles.rezip(valid, replace={PART[T3]: xml.encode()})
    )
    (report,) = check_paths([path])
    assert report.ret is not None  # within reading's limits
    report.findings.append(Finding(Rule.V04, "示例", sheet=T3, cells=("D5",)))

    def loaded(*args, **kwargs):
        raise AssertionError("openpyxl loaded the workbook")

    monkeypatch.setattr(openpyxl, "load_workbook", loaded)
    with pytest.raises(CannotAnnotate, match=f"工作表「{T3}」存有 160,301 个单元格"):
        annotate(path, report, tmp_path / "批注")
    assert not (tmp_path / "批注" / "长尾-校验意见.xlsx").exists()


def test_a_number_in_a_date_formatted_cell_is_v01_saying_the_format_is_a_date(tmp_path):
    """A count typed into a cell formatted as a date shows (and reads) as a date: the message
    says why, instead of 「填的是 1900-02-14」 for a 45 the filler typed."""
    path = template(tmp_path)
    layout = layout_for(FORM)
    book = openpyxl.load_workbook(path)
    cells = {}
    for key, number_format, value in (
        ("三:1:c1", "yyyy-mm-dd", 45),
        ("三:2:c1", "hh:mm:ss", 0),
        ("三:2:c2", "General", "十二"),
    ):
        sheet, a1 = layout.address(key)
        book[sheet][a1].value = value
        book[sheet][a1].number_format = number_format
        cells[a1] = key
    book.save(path)
    findings = validate_return(read_return(path))
    v01 = {f.cells[0]: f.message for f in findings if f.rule is Rule.V01}
    dated = [a1 for a1, message in v01.items() if "被设成了日期或时间格式" in message]
    assert sorted(cells[a1] for a1 in dated) == ["三:1:c1", "三:2:c1"]
    assert "读到的是「1900-02-14」" in "".join(v01.values())
    plain = next(m for a1, m in v01.items() if cells.get(a1) == "三:2:c2")
    assert "填的是「十二」，不是数字" in plain and "日期" not in plain
