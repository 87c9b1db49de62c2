"""A conditional format can show a figure as another or none, as a cell's own format can: a rule
「单元格值 > 0」 with a white font or the format ;;; hides every figure typed, a data bar with
showValue="0" shows a bar and no number. Where a rule that would do so holds for the figure, or
nianbao cannot tell whether it holds (a formula of the unit's own), the figure is V13 at its
cell, naming the rule; a rule that does not hold for the figure, or whose format shows it as it
is (the template's red on pink for an unbalanced total), says nothing.

Each workbook is read with both engines, which must agree (values and notes).
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from openpyxl.formatting.rule import CellIsRule, DataBarRule, FormulaRule
from openpyxl.formatting.rule import Rule as CfRule
from openpyxl.styles import Font, PatternFill
from openpyxl.styles.differential import DifferentialStyle

from nianbao.form import get_form
from nianbao.form.data import Return
from nianbao.form.findings import Finding, Rule
from nianbao.form.layout import layout_for
from nianbao.recognise.reader import read_return
from tests.support.engines import read_with_both_engines
from tests.support.returns import edited_copy, notes_of, written_template
from tests.support.soffice import convert_many, requires_soffice

FORM = get_form("2021")
LAYOUT = layout_for(FORM)
NEW = "三:1:c1"  # 表三 一、本年新收 · 自然人: a count
WHITE = Font(color="FFFFFFFF")


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    return written_template(tmp_path_factory.mktemp("cf") / "t.xlsx")


def with_rule(template: Path, tmp_path: Path, rule: object, value: int = 7) -> Path:
    """The template with ``value`` at NEW and a conditional format ``rule`` over its row."""
    path = tmp_path / "r.xlsx"
    name, ref = LAYOUT.address(NEW)
    with edited_copy(template, path) as book:
        sheet = book[name]
        sheet[ref].value = value
        row = ref.lstrip("ABCDEFGHIJ")
        sheet.conditional_formatting.add(f"D{row}:I{row}", rule)
    return path


def v13(ret: Return) -> list[Finding]:
    return notes_of(ret, Rule.V13)


@pytest.mark.parametrize(
    ("rule", "said"),
    [
        (
            CellIsRule(operator="greaterThan", formula=["0"], font=WHITE),
            "条件格式（单元格值 > 0）使它字体颜色与底色相同，看不到",
        ),
        (
            CellIsRule(operator="between", formula=["1", "100"], font=WHITE),
            "条件格式（单元格值 介于 1、100）使它字体颜色与底色相同，看不到",
        ),
        (
            FormulaRule(formula=["TRUE"], font=WHITE),
            "条件格式（公式 TRUE）使它字体颜色与底色相同，看不到",
        ),
        (
            FormulaRule(formula=["$J5>0"], font=WHITE),
            "条件格式（公式 $J5>0）成立时会使它字体颜色与底色相同，看不到",
        ),
        (
            DataBarRule(start_type="min", end_type="max", color="FF638EC6", showValue=False),
            "条件格式（不显示数值的数据条或图标集）使它显示为空白",
        ),
    ],
)
def test_a_rule_that_hides_or_changes_a_figure_is_V13_naming_it(template, tmp_path, rule, said):
    ret = read_with_both_engines(with_rule(template, tmp_path, rule))
    assert ret.values[NEW] == 7  # the stored figure, as the sums read it
    ref = LAYOUT.address(NEW)[1]
    notes = v13(ret)
    (note,) = notes
    assert ref in note.cells
    assert f"{ref} 存的是 7，{said}" in note.message
    assert "条件格式清除" in note.message


def test_a_number_format_put_by_a_rule_is_judged_as_the_cells_own(template, tmp_path):
    rule = CfRule(type="cellIs", operator="greaterThan", formula=["0"])
    rule.dxf = DifferentialStyle()
    rule.dxf.numFmt = openpyxl.styles.numbers.NumberFormat(numFmtId=200, formatCode='0"0"')
    (note,) = v13(read_with_both_engines(with_rule(template, tmp_path, rule)))
    assert "使它显示为「70」" in note.message


@pytest.mark.parametrize(
    "rule",
    [
        CellIsRule(operator="lessThan", formula=["0"], font=WHITE),  # never for a count
        CellIsRule(operator="equal", formula=["0"], font=WHITE),  # zeros blank: says the same
        CellIsRule(operator="greaterThan", formula=["0"], font=Font(color="FFFF0000")),
        CellIsRule(
            operator="greaterThan",
            formula=["0"],
            font=WHITE,
            fill=PatternFill("solid", bgColor="FF000080"),  # white on navy: seen
        ),
        CfRule(  # a rule that changes nothing
            type="cellIs", operator="greaterThan", formula=["0"], dxf=DifferentialStyle()
        ),
    ],
)
def test_a_rule_that_does_not_hold_or_shows_the_figure_says_nothing(template, tmp_path, rule):
    assert not v13(read_with_both_engines(with_rule(template, tmp_path, rule)))


def test_the_templates_own_rules_never_mislead_even_on_an_unbalanced_return(template, tmp_path):
    """The template marks an unbalanced column's check cell dark red on pink: seen, so its rule
    is none that may mislead, and an unbalanced return is E1's, not V13's."""
    import zipfile

    from nianbao.pipeline.check import check_paths, input_files
    from nianbao.sources.looks import differentials_may_mislead

    with zipfile.ZipFile(template) as archive:
        styles = archive.read("xl/styles.xml")
    assert b"<dxf>" in styles and differentials_may_mislead(styles) == frozenset()
    path = tmp_path / "unbalanced.xlsx"
    name, ref = LAYOUT.address(NEW)
    with edited_copy(template, path) as book:
        book[name][ref].value = book[name][ref].value + 5
    assert not v13(read_with_both_engines(path))
    (report,) = check_paths(input_files([path]))
    rules = {finding.rule for finding in report.findings}
    assert Rule.E1 in rules and Rule.V13 not in rules


def test_a_sheet_written_with_a_namespace_prefix_has_its_rules_read():
    """Some writers prefix every element (<x:c>, <x:conditionalFormatting>): the first rule too."""
    from nianbao.sources.sheetxml import conditional_cells

    styles = (
        b'<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<fonts count="1"><font><sz val="11"/></font></fonts>'
        b'<fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
        b'<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0"/></cellXfs>'
        b'<dxfs count="1"><dxf><font><color rgb="FFFFFFFF"/></font></dxf></dxfs></styleSheet>'
    )
    sheet = (
        b'<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<x:sheetData><x:row r="1"><x:c r="A1"><x:v>7</x:v></x:c></x:row></x:sheetData>'
        b'<x:conditionalFormatting sqref="A1"><x:cfRule type="cellIs" dxfId="0" priority="1" '
        b'operator="greaterThan"><x:formula>0</x:formula></x:cfRule></x:conditionalFormatting>'
        b"</x:worksheet>"
    )
    (shown,) = conditional_cells(sheet, styles).values()
    assert shown.why == "cf" and "单元格值 > 0" in shown.text


@requires_soffice
def test_ods_and_xls_saved_by_libreoffice_have_their_rules_judged_alike(template, tmp_path):
    """LibreOffice keeps a rule as a style:map of the cell's style in an .ods, as CFHEADER and
    CF records in an .xls: each judged as the xlsx's."""
    source = tmp_path / "rules.xlsx"
    name, ref = LAYOUT.address(NEW)
    with edited_copy(template, source) as book:
        sheet = book[name]
        row = int(ref.lstrip("ABCDEFGHIJ"))
        white = Font(color="FFFFFFFF")
        sheet.conditional_formatting.add(
            f"D{row}:E{row}", CellIsRule(operator="greaterThan", formula=["0"], font=white)
        )
        sheet.conditional_formatting.add(
            f"F{row}:G{row}", FormulaRule(formula=["$J5>0"], font=white)
        )
        sheet.conditional_formatting.add(
            f"H{row}:I{row}", CellIsRule(operator="equal", formula=["0"], font=white)
        )
        sheet.conditional_formatting.add(
            f"D{row + 1}:E{row + 1}",
            CellIsRule(
                operator="between",
                formula=["1", "1000"],
                font=white,
                fill=PatternFill("solid", bgColor="FF000080"),  # white on navy: seen
            ),
        )
    for kind in ("ods", "xls"):
        (path,) = convert_many([source], kind, tmp_path / kind)
        (note,) = v13(read_return(path))
        for column in "DE":
            assert f"{column}{row} 存的是" in note.message, kind
        assert "条件格式（单元格值 > 0）使它字体颜色与底色相同" in note.message, kind
        assert "成立时会使它字体颜色与底色相同" in note.message, kind  # a formula: cannot tell
        assert not any(cell.startswith(("H", "I")) for cell in note.cells), kind  # zeros only
        assert not any(cell.endswith(str(row + 1)) for cell in note.cells), kind
