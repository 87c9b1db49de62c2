"""The template in a real spreadsheet application: LibreOffice opens, recalculates and saves it.

The workbook is written with deliberately stale cached results (the writer's cache functions
are patched), so LibreOffice's numbers can only match Python's if it recalculated our formulas.
"""

from __future__ import annotations

import re

import openpyxl
import pytest

from nianbao.form import get_form
from nianbao.form.layout import COVER_SHEET, IDENTITY_SHEET, layout_for
from nianbao.xlsx import writer
from tests.support.returns import valid_return
from tests.support.soffice import convert, requires_soffice

pytestmark = [requires_soffice, pytest.mark.soffice]

STALE_TOTAL = -999
STALE_CHECK = "未计算"


@pytest.fixture(scope="module")
def converted(tmp_path_factory):
    """(return, LibreOffice's xlsx) for a filled 2021 return with one unbalanced column."""
    folder = tmp_path_factory.mktemp("lo")
    form = get_form("2021")
    ret = valid_return(form, seed=11, unit="水泥路街道办事处", year=2024)
    unbalanced = next(k for k in form.input_keys if k.startswith("三:2:"))
    ret.values[unbalanced] += 4
    source = folder / "filled.xlsx"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(writer, "cached_total", lambda value: STALE_TOTAL)
        patch.setattr(writer, "check_text", lambda residual: STALE_CHECK)
        writer.write_return(source, form, ret)
    return ret, convert(source, "xlsx", folder / "out")


@pytest.fixture(scope="module")
def pdf(tmp_path_factory):
    folder = tmp_path_factory.mktemp("pdf")
    source = folder / "blank.xlsx"
    writer.write_return(source, get_form("2021"))
    return convert(source, "pdf", folder)


def test_libreoffice_opens_the_workbook_and_keeps_every_sheet(converted):
    ret, path = converted
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames[0] == COVER_SHEET
    assert [t.title for t in ret.form.tables] == wb.sheetnames[1:4]
    assert IDENTITY_SHEET in wb.sheetnames


def test_totals_recomputed_by_libreoffice_equal_python_totals(converted):
    ret, path = converted
    wb = openpyxl.load_workbook(path, data_only=True)
    layout = layout_for(ret.form)
    completed = ret.completed()
    for key in ret.form.derived_keys:
        name, address = layout.address(key)
        assert wb[name][address].value == completed[key], key


def test_check_cells_computed_by_libreoffice_agree_with_the_python_rules(converted):
    ret, path = converted
    wb = openpyxl.load_workbook(path, data_only=True)
    sheet = layout_for(ret.form).sheet_for("三:1:c1")
    completed = ret.completed()
    failing = 0
    for equation in ret.form.balance_equations:
        col = sheet.cells[equation.lhs[0].key][1]
        shown = wb[sheet.name].cell(sheet.check_row + 1, col + 1).value
        residual = equation.residual(completed)
        failing += residual != 0
        assert shown == writer.check_text(residual), equation.scope
    assert failing == 2  # the column made unbalanced and 总计


def test_input_cells_stay_unlocked_and_validated_after_libreoffice_saves(converted):
    ret, path = converted
    wb = openpyxl.load_workbook(path)
    layout = layout_for(ret.form)
    for key in ret.form.input_keys:
        name, address = layout.address(key)
        ws = wb[name]
        assert ws[address].protection.locked is False, key
        rules = [dv for dv in ws.data_validations.dataValidation if address in dv.sqref]
        assert rules and rules[0].type in ("whole", "decimal"), key
        assert rules[0].prompt and "没有" in rules[0].prompt
        assert ws[address].value == ret.values[key] or float(ret.values[key]) == ws[address].value
    for key in ret.form.derived_keys:
        name, address = layout.address(key)
        assert wb[name][address].protection.locked is not False
    assert all(ws.protection.sheet for ws in wb.worksheets)


def test_blank_2021_template_prints_one_page_per_sheet(pdf):
    pages = len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf.read_bytes()))
    assert pages == 1 + len(get_form("2021").tables)
