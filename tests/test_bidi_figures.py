"""A figure holding a direction control (U+202E …) is no figure, in every kind of file: the
control is invisible but reorders what is shown (Word and LibreOffice show 「\u202e12」 as 21),
so which order the digits were meant in cannot be told (found by a hunt: a Word cell holding
「\u202e12」 was read as 12, with no finding). recognise/normalize.py holds the policy."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from nianbao.checks.engine import validate_return
from nianbao.form import get_form
from nianbao.form.findings import Rule
from nianbao.form.layout import layout_for
from nianbao.recognise.normalize import normalize
from nianbao.recognise.reader import read_return
from nianbao.xlsx.writer import write_return
from tests.support.documents import Printing, report_docx, report_html, report_text
from tests.support.returns import valid_return

FORM = get_form("2021")
PERMIT = "二:20-5.1:c1"  # 第二十条第（五）项 行政许可 · 本年处理决定数量
RET = valid_return(FORM, seed=4)
SAID = "〔文字方向控制符〕"


@pytest.mark.parametrize(
    ("raw", "kept"),
    [
        ("\u202e12", f"{SAID}12"),  # right-to-left override: shows 21
        ("\u202e12\u202c", f"{SAID}12{SAID}"),
        ("\u202b12", f"{SAID}12"),  # embedding
        ("\u206712\u2069", f"{SAID}12{SAID}"),  # isolate
        (" \u202d12 ", f"{SAID}12"),
        ("12\u200f34", f"12{SAID}34"),  # a mark between digits splits them: shows 3412
        ("1\u200e2", f"1{SAID}2"),
    ],
)
@pytest.mark.parametrize("document", [False, True])
def test_a_figure_with_a_direction_control_is_kept_as_text(raw, kept, document):
    assert normalize(raw, document=document) == (kept, None)


@pytest.mark.parametrize("raw", ["\u200e12", "12\u200f", "\u200f12\u200f"])
def test_a_direction_mark_at_the_edge_of_a_figure_reorders_nothing(raw):
    assert normalize(raw) == (12, Rule.V06)
    assert normalize(raw, document=True) == (12, None)


def test_a_direction_control_without_digits_is_invisible_as_before():
    assert normalize("\u202e") == (None, Rule.V04)
    assert normalize("\u202e—", document=True) == (None, Rule.V05)


def _printed(key: str, value: object) -> str:
    return "\u202e12" if key == PERMIT else ("" if value is None else str(value))


def _docx(tmp_path: Path) -> Path:
    return report_docx(tmp_path / "报告.docx", FORM, RET.values, Printing(text=_printed))


def _html(tmp_path: Path) -> Path:
    path = tmp_path / "报告.html"
    path.write_text(report_html(FORM, RET.values, Printing(text=_printed)), encoding="utf-8")
    return path


def _text(tmp_path: Path) -> Path:
    path = tmp_path / "报告.txt"
    path.write_text(report_text(FORM, RET.values, Printing(text=_printed)), encoding="utf-8")
    return path


def _xlsx(tmp_path: Path) -> Path:
    path = tmp_path / "报表.xlsx"
    write_return(path, FORM, RET)
    name, ref = layout_for(FORM).address(PERMIT)
    book = openpyxl.load_workbook(path)
    book[name][ref] = "\u202e12"
    book.save(path)
    return path


@pytest.mark.parametrize("made", [_docx, _html, _text, _xlsx])
def test_every_kind_of_file_reports_the_reordered_figure_as_v01_not_a_number(tmp_path, made):
    ret = read_return(made(tmp_path))
    assert ret.values[PERMIT] == f"{SAID}12"
    (v01,) = [f for f in validate_return(ret) if f.rule is Rule.V01]
    assert f"填的是「{SAID}12」，不是数字" in v01.message
