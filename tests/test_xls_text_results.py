""".xls returns whose data cells hold formulas making text: LibreOffice stores their result as
the number 0 while it (and Excel) show the text, so no figure may be read from them."""

from __future__ import annotations

import openpyxl
import pytest

from nianbao.form import get_form
from nianbao.form.findings import Rule
from nianbao.form.layout import layout_for
from nianbao.recognise.reader import read_return
from nianbao.xlsx.writer import write_return
from tests.support.returns import valid_return
from tests.support.soffice import convert_many, requires_soffice

pytestmark = [requires_soffice, pytest.mark.soffice]

FORM = get_form("2021")
# 三:1:c1 .. c4: 本年新收 of 自然人 and three kinds of 法人或其他组织
KEYS = ("三:1:c1", "三:1:c2", "三:1:c3", "三:1:c4")


@pytest.fixture(scope="module")
def read(tmp_path_factory) -> dict[str, object]:
    folder = tmp_path_factory.mktemp("text-results")
    source = folder / "文本公式.xlsx"
    ret = valid_return(FORM, unit="某街道办事处", year=2024)
    write_return(source, FORM, ret)
    workbook = openpyxl.load_workbook(source)
    layout = layout_for(FORM)
    sheet_name, _ = layout.address(KEYS[0])
    sheet = workbook[sheet_name]
    sheet.protection.sheet = False
    formulas = ('=TEXT(103,"0")', '="9"&"4"', '=LEFT("123",2)', "=ROUND(2.4,0)*0")
    cells = []
    for key, formula in zip(KEYS, formulas, strict=True):
        cell = layout.address(key)[1]
        sheet[cell] = formula
        cells.append(cell)
    workbook.save(source)
    (converted,) = convert_many([source], "xls", folder / "xls")
    return {"return": read_return(converted), "cells": cells, "source": ret}


def test_a_formula_making_text_is_no_figure(read) -> None:
    ret, cells = read["return"], read["cells"]
    # TEXT, & and LEFT make text (shown 103, 94, 12): stored as 0, read as nothing
    for key in KEYS[:3]:
        assert ret.values[key] is None, key
    v07 = [note for note in ret.notes if note.rule is Rule.V07]
    assert len(v07) == 1
    named = v07[0].cells
    assert all(cell in named for cell in cells[:3]), named


def test_a_formula_making_a_number_zero_is_read(read) -> None:
    ret, cells = read["return"], read["cells"]
    # =ROUND(2.4,0)*0 is a number: its 0 is the figure
    assert ret.values[KEYS[3]] == 0
    assert all(cells[3] not in note.cells for note in ret.notes if note.rule is Rule.V07)
