"""A template's cover whose 报告年度 cannot be read as a year: the year is taken from the
template's identity, and the cover is named (C02 at its cell), not passed over in silence."""

from __future__ import annotations

import datetime

import openpyxl
import pytest

from nianbao.form import get_form
from nianbao.form.a1 import cell_name
from nianbao.form.findings import Rule
from nianbao.form.layout import COVER_FIELDS, COVER_SHEET, COVER_VALUE_COL
from nianbao.recognise.reader import read_return
from nianbao.xlsx.writer import write_return
from tests.support.returns import valid_return

FORM = get_form("2021")
YEAR = next(f for f in COVER_FIELDS if f.key == "year")


@pytest.mark.parametrize(
    "typed, shown",
    [("abc", "abc"), ("2023-2024", "2023-2024"), (2024.5, "2024.5"), (20245, "20245"),
     (datetime.date(2024, 12, 31), "2024-12-31")],
)  # fmt: skip
def test_an_unreadable_cover_year_is_c02_at_its_cell_and_the_template_year_is_read(
    tmp_path, typed, shown
):
    path = tmp_path / "r.xlsx"
    write_return(path, FORM, valid_return(FORM, seed=9, year=2025))
    book = openpyxl.load_workbook(path)
    book[COVER_SHEET].cell(YEAR.row + 1, COVER_VALUE_COL + 1, typed)
    book.save(path)
    ret = read_return(path)
    assert ret.year == 2025
    (note,) = [n for n in ret.notes if n.rule is Rule.C02]
    assert note.sheet == COVER_SHEET and note.cells == (cell_name(YEAR.row, COVER_VALUE_COL),)
    assert (
        f"封面「报告年度」填的是「{shown}」，无法识别为年份；已按模板中保存的 2025 年读取"
        in note.message
    )


def test_a_readable_cover_year_gives_no_c02(tmp_path):
    path = tmp_path / "r.xlsx"
    write_return(path, FORM, valid_return(FORM, seed=9, year=2025))
    assert not [n for n in read_return(path).notes if n.rule is Rule.C02]
