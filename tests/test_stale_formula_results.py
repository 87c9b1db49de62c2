"""A formula whose stored result is 0 in a workbook that asks to be recalculated on opening
(<calcPr fullCalcOnLoad="1"/>: what xlsxwriter's write_formula writes when given no value).
Excel and WPS show what they compute on opening (58), the file holds 0: the figure cannot be
read from the file, and must not pass as 0 (it did: ✓ 通过, every figure of such a return 0)."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest

from nianbao.form import get_form
from nianbao.form.findings import Rule
from nianbao.form.layout import layout_for
from nianbao.recognise.reader import read_return
from nianbao.xlsx.writer import write_return
from tests.support.badfiles import rezip
from tests.support.returns import valid_return

FORM = get_form("2021")
KEY = "二:20-5.1:c1"  # 表二 行政许可 处理决定数量


def _with_formula(tmp_path: Path, *, recalculated: bool, stored: str, apart: str = "") -> Path:
    """A return whose 表二 行政许可 cell holds 50+8 with ``stored`` as its result, ``apart``
    (white space) between the formula and its result."""
    path = tmp_path / "r.xlsx"
    ret = valid_return(FORM, 1, unit="甲局", year=2025)
    write_return(path, FORM, ret)
    layout = layout_for(FORM)
    sheet = layout.sheet_for(KEY)
    ref = sheet.address(KEY)
    data = path.read_bytes()
    part = f"xl/worksheets/sheet{openpyxl.load_workbook(path).sheetnames.index(sheet.name) + 1}.xml"
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = archive.read(part).decode()
        workbook = archive.read("xl/workbook.xml").decode()
    xml, n = re.subn(
        rf'<c r="{ref}"( s="\d+")?[^>]*?(?:/>|>.*?</c>)',
        rf'<c r="{ref}"\1><f>50+8</f>{apart}<v>{stored}</v></c>',
        xml,
    )
    assert n == 1
    if not recalculated:
        workbook = workbook.replace(' fullCalcOnLoad="1"', "")
    path.write_bytes(
        rezip(data, replace={part: xml.encode(), "xl/workbook.xml": workbook.encode()})
    )
    return path


@pytest.mark.parametrize(("stored", "apart"), [("0", ""), ("0.0", ""), ("0", "\n  ")])
@pytest.mark.parametrize("engine", ["calamine", "openpyxl"])
def test_a_formula_storing_0_in_a_workbook_recalculated_on_opening_is_not_read_as_0(
    tmp_path, engine, stored, apart
):
    path = _with_formula(tmp_path, recalculated=True, stored=stored, apart=apart)
    assert 'fullCalcOnLoad="1"' in zipfile.ZipFile(path).read("xl/workbook.xml").decode()

    ret = read_return(path, engine=engine)

    assert ret.values[KEY] is None
    (v07,) = [f for f in ret.notes if f.rule is Rule.V07]
    assert "只存了 0 而要求打开时重新计算" in v07.message


@pytest.mark.parametrize(("recalculated", "stored", "read"), [(True, "58", 58), (False, "0", 0)])
def test_a_formula_with_its_result_computed_is_read_as_stored(tmp_path, recalculated, stored, read):
    """A result other than 0 was computed by someone; without the request to recalculate,
    0 is what every program shows."""
    ret = read_return(_with_formula(tmp_path, recalculated=recalculated, stored=stored))

    assert ret.values[KEY] == read
    assert not [f for f in ret.notes if f.rule is Rule.V07]
