"""An explanations file's cell list mixing bare cells and cells with their sheet: every cell
is kept, or the line is refused saying which text could not be read — never a cell dropped.

「B6、表二!B7」 used to lose B6: the sheet prefix was taken off as everything before 「!」
(a sheet name may hold 「、」, as the form's own table names do), B6 with it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from nianbao.checks.accept import read_explanations
from nianbao.cli import cli
from nianbao.errors import UserError
from nianbao.form import get_form
from nianbao.form.layout import layout_for
from nianbao.xlsx.writer import write_return
from tests.support.returns import valid_return

FORM = get_form("2021")
T2 = FORM.table("二").title  # 二、主动公开政府信息情况


def explained(tmp_path, cells: str) -> frozenset[str]:
    path = tmp_path / "说明.csv"
    path.write_text(f'单位,规则,单元格,说明\n甲局,V04,"{cells}",确无此项\n', encoding="utf-8")
    (entry,) = read_explanations(path)
    return entry.cells


@pytest.mark.parametrize(
    "cells",
    [
        "B6、表二!B7",
        f"B6、{T2}!B7",
        f"B6,{T2}!B7",
        f"{T2}!B6、{T2}!B7",
        f"B6、{T2}！B7",  # a full-width 「！」 typed by hand
        "B6、Sheet1!B7",
        "B6、 表二 !B7",
    ],
)
def test_a_bare_cell_before_a_cell_with_its_sheet_is_kept(tmp_path, cells):
    assert explained(tmp_path, cells) == {"B6", "B7"}


def test_a_sheet_name_the_form_does_not_have_holding_a_separator_is_refused_naming_it(tmp_path):
    path = tmp_path / "说明.csv"
    path.write_text(
        '单位,规则,单元格,说明\n甲局,V04,"B6、自填、附表!B7",确无此项\n', encoding="utf-8"
    )
    with pytest.raises(UserError) as refused:
        read_explanations(path)
    message = str(refused.value)
    assert str(path) in message
    assert "第 2 行" in message
    assert "「B6、自填、附表!B7」" in message
    assert "B6" in message and "工作表名称" in message


def test_check_accepts_a_warning_whose_cells_are_listed_with_and_without_the_sheet(tmp_path):
    """As a user meets it: a return with two blank cells in 表二 (V04 at both), explained by
    「B6、表二!B7」-style text. Before, B6 was dropped, the warning stayed unexplained and the
    explanation was called stale (A01)."""
    layout = layout_for(FORM)
    ret = valid_return(FORM, seed=3, unit="甲局", year=2024)
    keys = ["二:20-5.1:c1", "二:20-6.1:c1"]  # 行政许可, 行政处罚
    for key in keys:
        ret.values[key] = None
    path = tmp_path / "甲局.xlsx"
    write_return(path, FORM, ret)
    first, second = (layout.address(key)[1] for key in keys)
    accept = tmp_path / "说明.csv"
    accept.write_text(
        f'单位,规则,单元格,说明\n甲局,V04,"{first}、表二!{second}",确无此项\n', encoding="utf-8"
    )
    result = CliRunner().invoke(
        cli, ["check", str(path), "--accept", str(accept), "--format", "json"]
    )
    data = json.loads(result.output)
    (v04,) = [f for f in data["files"][0]["findings"] if f["rule"] == "V04"]
    assert v04["cells"] == [first, second]
    assert v04["accepted"], v04
    assert not [n for n in data["notes"] if n["rule"] == "A01"]


def test_an_explanations_file_that_cannot_be_used_is_named_as_a_file_once(tmp_path):
    # the messages say 说明文件 (a file of explanations), never 「说明文件文件」
    folder = tmp_path / "说明"
    folder.mkdir()
    for given, message in [
        (folder, f"说明文件 {folder} 是文件夹，不是文件。请指定说明文件。"),
        (tmp_path / "无.csv", f"找不到说明文件 {tmp_path / '无.csv'}，"),
        (
            Path("/dev/null"),
            "说明文件 /dev/null 不是普通文件（可能是设备、管道等特殊文件）。请指定说明文件。",
        ),
    ]:
        with pytest.raises(UserError) as refused:
            read_explanations(given)
        assert message in str(refused.value) and "文件文件" not in str(refused.value)
