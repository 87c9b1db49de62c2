"""nianbao's own files among the returns, and one verdict across commands:

- a file given to ``merge --compare`` is a summary, and never one of the returns merged;
- an explanations file cannot explain an error away, in ``check`` as in ``status`` and ``merge``;
- the workbooks ``status -o`` and ``export -o`` write, left in the returns folder, are listed
  as 未读取 saying what they are (as an annotated copy is), never read as broken returns;
- the printed ``status -o`` workbook says what the text output says.
"""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from nianbao.cli import cli
from nianbao.errors import UserError
from nianbao.form import get_form
from nianbao.form.common import ROW_CARRIED_OUT
from nianbao.form.data import filled_return
from nianbao.xlsx.summary import STATUS_SHEET
from nianbao.xlsx.writer import write_return
from tests.support.returns import inputs_of, valid_return

FORM = get_form("2021")
YEAR = 2021
GROUP = "东区人民政府"
UNITS = ("甲局", "乙局")


def run(*args: object):
    return CliRunner().invoke(cli, [str(a) for a in args])


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """收回/ with the two roster units' valid returns, and the roster (with contacts)."""
    inbox = tmp_path / "收回"
    inbox.mkdir()
    for seed, unit in enumerate(UNITS):
        ret = valid_return(FORM, seed, unit=unit, year=YEAR, parent=GROUP, code=f"00{seed + 1}")
        write_return(inbox / f"{unit}.xlsx", FORM, ret)
    (tmp_path / "名册.csv").write_text(
        f"单位名称,上级单位,单位代码,联系人\n甲局,{GROUP},001,张三\n乙局,{GROUP},002,李四\n",
        encoding="utf-8",
    )
    return inbox


# -- 1. merge --compare ---------------------------------------------------------------------------


def test_a_compare_file_inside_the_returns_folder_is_refused_not_dropped_from_the_merge(folder):
    out = folder.parent / "汇总.xlsx"
    roster = folder.parent / "名册.csv"
    result = run("merge", folder, "--roster", roster, "--compare", folder / "甲局.xlsx", "-o", out)
    assert isinstance(result.exception, UserError), result.output
    message = str(result.exception)
    assert f"{folder / '甲局.xlsx'} 也在本次要汇总的报表之中" in message
    assert "没有汇总，也没有写入任何文件" in message
    assert not out.exists()
    # the same file named as a return and as the summary to compare with: refused alike
    named = run("merge", folder / "甲局.xlsx", folder / "乙局.xlsx", "--compare", folder / "甲局.xlsx", "-o", out)  # fmt: skip
    assert isinstance(named.exception, UserError) and "也在本次要汇总的报表之中" in str(
        named.exception
    )
    assert not out.exists()


def test_a_units_return_given_to_compare_is_refused_as_no_summary(folder, tmp_path):
    elsewhere = tmp_path / "别处"
    elsewhere.mkdir()
    (elsewhere / "甲局.xlsx").write_bytes((folder / "甲局.xlsx").read_bytes())
    out = tmp_path / "汇总.xlsx"
    roster = tmp_path / "名册.csv"
    args = ("merge", folder, "--compare", elsewhere / "甲局.xlsx", "-o", out)
    result = run(*args[:2], "--roster", roster, *args[2:])
    assert isinstance(result.exception, UserError), result.output
    assert "不是汇总表：它是名册中「甲局」的报表" in str(result.exception)
    assert not out.exists()
    without_roster = run(*args)
    assert isinstance(without_roster.exception, UserError)
    assert "不是汇总表：它是「甲局」的报表" in str(without_roster.exception)
    assert not out.exists()


def test_a_summary_without_a_member_list_agrees_by_cells_and_says_names_were_not_checked(
    folder, tmp_path
):
    """A group's summary made by hand (填报单位 is the roster's 上级单位, no 分单位明细): its
    cells are compared; the unit lists cannot be, and nothing says they are the same."""
    members = [valid_return(FORM, seed, unit=u, year=YEAR) for seed, u in enumerate(UNITS)]
    total = {
        key: sum(inputs_of(m)[key] for m in members)  # type: ignore[misc]
        for key in FORM.input_keys
    }
    sent_up = tmp_path / "东区上报.xlsx"
    write_return(sent_up, FORM, filled_return(FORM, total, unit=GROUP, year=YEAR))
    out = tmp_path / "汇总.xlsx"
    result = run(
        "merge", folder, "--roster", tmp_path / "名册.csv", "--compare", sent_up, "-o", out
    )
    assert result.exit_code == 0, result.output
    assert "逐格一致" in result.output and "无法核对单位名单" in result.output
    assert "单位名单相同" not in result.output
    sheet = [
        r[0]
        for r in openpyxl.load_workbook(out)["核对上报汇总"].iter_rows(values_only=True)
        if r[0]
    ]
    assert any("无法核对单位名单" in line for line in sheet)
    assert not any("单位名单也相同" in line for line in sheet)


# -- 2. explanations cannot clear errors, in check either -----------------------------------------


def test_check_refuses_to_explain_an_error_as_status_and_merge_do(folder, tmp_path):
    broken = valid_return(FORM, 5, unit="丙局", year=YEAR)
    key = f"三:{ROW_CARRIED_OUT}:c1"
    broken.values[key] = int(broken.values[key]) + 1  # type: ignore[call-overload]  # E1
    inbox = tmp_path / "丙"
    inbox.mkdir()
    write_return(inbox / "丙局.xlsx", FORM, broken)
    accept = tmp_path / "说明.csv"
    accept.write_text("单位,规则,单元格,说明\n丙局,E1,,我们认为没错\n", encoding="utf-8")
    check = run("check", inbox, "--accept", accept)
    assert check.exit_code == 1, check.output
    assert "✓ 通过" not in check.output and "已说明" not in check.output
    assert "[A02 警告]" in check.output and "错误必须改正" in check.output
    data = json.loads(run("check", inbox, "--accept", accept, "--format", "json").output)
    assert [n["rule"] for n in data["notes"]] == ["A02"]
    assert not any(f["accepted"] for entry in data["files"] for f in entry["findings"])
    status = run("status", inbox, "--accept", accept)
    merge = run("merge", inbox, "--accept", accept, "-o", tmp_path / "m.xlsx")
    assert status.exit_code == merge.exit_code == check.exit_code == 1
    assert "[A02 警告]" in status.output and "[A02 警告]" in merge.output


# -- 3. status and export workbooks in the returns folder ---------------------------------------


def test_status_and_export_workbooks_left_in_the_folder_are_listed_as_not_read(folder):
    assert run("status", folder, "-o", folder / "报送情况.xlsx").exit_code == 0
    first = run("export", folder, "-o", folder / "数据.xlsx")
    assert first.exit_code == 0, first.output
    second = run("export", folder, "-o", folder / "数据.csv")
    assert second.exit_code == 0, second.output
    check = run("check", folder)
    assert check.exit_code == 0, check.output
    assert "无法读取" not in check.output.replace("无法读取 0", "")
    said = {
        "报送情况.xlsx": "是 nianbao 生成的报送情况表（nianbao status -o 写出",
        "数据.xlsx": "是 nianbao 生成的导出数据（nianbao export 写出，工作表「数据」）",
        "数据.csv": "是 nianbao 生成的导出数据（nianbao export 写出的 CSV）",
    }
    for name, words in said.items():
        assert f"{folder / name}：— 未读取（不是报表）" in check.output, name
        assert f"[F05 警告] 文件「{name}」{words}" in check.output, name
    merge = run("merge", folder, "-o", folder.parent / "汇总.xlsx")
    assert merge.exit_code == 0, merge.output
    assert "2 份报表已汇总" in merge.output and "以下 3 个文件不是报表，未读取" in merge.output
    status = run("status", folder, "--roster", folder.parent / "名册.csv", "--format", "json")
    data = json.loads(status.output)
    assert status.exit_code == 0, status.output
    assert sorted(Path(u["file"]).name for u in data["units"] if u["status"] == "not_read") == [
        "报送情况.xlsx",
        "数据.csv",
        "数据.xlsx",
    ]
    # named on the command line it was meant to be a return: an error, as an annotated copy is
    named = run("check", folder / "报送情况.xlsx")
    assert named.exit_code == 2 and "[F05 错误]" in named.output


def test_the_export_headings_name_the_rows_fields_in_order():
    """The reader knows an export by EXPORT_HEADINGS, which the writer writes over its rows:
    one heading per field of ExportRow, so a field added without a heading cannot go unseen."""
    from dataclasses import fields

    from nianbao.form.layout import EXPORT_HEADINGS
    from nianbao.pipeline.export import HEADINGS, ExportRow

    assert HEADINGS is EXPORT_HEADINGS
    assert len(EXPORT_HEADINGS) == len(fields(ExportRow))


# -- 4. the printed status workbook says what the text says --------------------------------------


def test_the_status_workbook_carries_the_duplicate_verdict_the_chase_list_and_the_nearest_names(
    folder, tmp_path
):
    other = valid_return(FORM, 9, unit="甲局", year=YEAR, parent=GROUP, code="001")
    write_return(folder / "甲局(1).xlsx", FORM, other)  # different figures
    write_return(folder / "庚局.xlsx", FORM, valid_return(FORM, 3, unit="庚局", year=YEAR))
    (folder / "乙局.xlsx").unlink()
    out = tmp_path / "报送情况.xlsx"
    result = run("status", folder, "--roster", tmp_path / "名册.csv", "-o", out)
    assert result.exit_code == 1, result.output
    lines = result.output.splitlines()
    status = list(openpyxl.load_workbook(out)[STATUS_SHEET].iter_rows(values_only=True))
    # the text's lines after the units: the duplicate, the unit not on the roster, whom to chase
    after_units = [line for line in lines[1:] if not line.startswith("  ")]
    after_units = [line for line in after_units if not line.startswith("报送情况表已写入")]
    title, *notes = status[0][0].split("\n")
    assert title == lines[0]  # the same counts, in the same words
    assert notes == after_units  # printed under it, above the units
    copies = [r for r in status[2:] if r[0] == "甲局"]
    assert len(copies) == 2
    assert all("这 2 份的数字不同：请向该单位确认哪一份是正确的" in r[7] for r in copies)
    assert any(n.startswith("重复报送：单位「甲局」报送了 2 份报表") for n in notes)
    assert any("名册中最相近的单位：" in n for n in notes)
    assert "需要催报的单位 1 个：乙局（未报，李四）。" in notes


def test_identical_copies_are_said_to_be_identical_on_their_rows(folder, tmp_path):
    (folder / "甲局(1).xlsx").write_bytes((folder / "甲局.xlsx").read_bytes())
    out = tmp_path / "报送情况.xlsx"
    result = run("status", folder, "--roster", tmp_path / "名册.csv", "-o", out)
    assert result.exit_code == 1, result.output
    rows = list(openpyxl.load_workbook(out)[STATUS_SHEET].iter_rows(min_row=3, values_only=True))
    copies = [r for r in rows if r[0] == "甲局"]
    assert len(copies) == 2 and all("这 2 份的数字完全相同" in r[7] for r in copies)
