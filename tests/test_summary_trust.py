"""Summaries are trusted only as far as they agree with themselves and with each other.

- A unit counted in two summaries (two districts' summaries that both list it in their
  分单位明细, or a summary whose own unit is a member of another) would be counted twice by
  the next merge: M01, named with every file, and no summary is written.
- A summary edited by hand after merge wrote it no longer equals the sum of the members its
  分单位明细 lists: M10 at each cell that differs; check fails, merge refuses it.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from nianbao.cli import cli
from nianbao.form import get_form
from nianbao.pipeline.merge import MergeConflict
from nianbao.recognise.reader import read_return
from nianbao.xlsx.summary import BREAKDOWN_SHEET
from nianbao.xlsx.writer import write_return
from tests.support.returns import valid_return

FORM = get_form("2021")
YEAR = 2021
EAST = ["东区甲局", "东区乙街道办事处"]
WEST = ["西区甲局"]
SHARED = "共建中心"  # reported in both districts' folders: a unit two summaries both count
# An input cell of 表二 and the first input cell of 表三 (自然人 本年新收): where edits go.
TABLE_TWO_KEY = next(k for k in FORM.input_keys if k.startswith("二:"))
TABLE_THREE_KEY = next(k for k in FORM.input_keys if k.startswith("三:"))


def run(*args: object):
    return CliRunner().invoke(cli, [str(a) for a in args])


def _write(folder: Path, unit: str, seed: int) -> Path:
    path = folder / f"{unit}.xlsx"
    write_return(path, FORM, valid_return(FORM, seed, unit=unit, year=YEAR))
    return path


@pytest.fixture(scope="module")
def district(tmp_path_factory) -> Path:
    """east/ and west/ returns (the shared unit's one return in both), and each district's
    summary written by merge in sums/."""
    root = tmp_path_factory.mktemp("summaries")
    for folder, units, offset in (("east", EAST, 0), ("west", WEST, 10)):
        (root / folder).mkdir()
        for i, unit in enumerate(units):
            _write(root / folder, unit, offset + i)
    shared = _write(root / "east", SHARED, 99)
    shutil.copy(shared, root / "west" / shared.name)
    (root / "sums").mkdir()
    for folder, name in (("east", "东区"), ("west", "西区")):
        result = run("merge", root / folder, "--name", name, "-o", root / "sums" / f"{name}.xlsx")
        assert result.exit_code == 0, result.output
    return root


def _sum(district: Path, name: str) -> Path:
    return district / "sums" / f"{name}.xlsx"


def _json(result) -> dict:
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return json.loads(result.stdout)


# -- a unit counted in two summaries --------------------------------------------------------------


def test_a_unit_in_two_summaries_is_refused_naming_it_and_both_files(district, tmp_path):
    out = tmp_path / "市.xlsx"
    result = run("merge", _sum(district, "东区"), _sum(district, "西区"), "--name", "市", "-o", out)
    assert isinstance(result.exception, MergeConflict), result.output
    assert result.exception.exit_code == 1
    (finding,) = result.exception.findings
    assert finding.rule.id == "M01" and finding.operands["unit"] == SHARED
    message = str(result.exception)
    assert SHARED in message and "东区.xlsx" in message and "西区.xlsx" in message
    assert "重复计算" in message and "分单位明细" in message
    assert not out.exists()


def test_check_export_and_status_list_the_unit_as_reported_twice(district, tmp_path):
    sums = district / "sums"
    found = _json(run("check", sums, "--format", "json"))
    (duplicate,) = found["duplicates"]
    assert duplicate["rule"] == "M01" and duplicate["operands"]["unit"] == SHARED
    assert sorted(Path(f).name for f in duplicate["operands"]["summaries"]) == [
        "东区.xlsx",
        "西区.xlsx",
    ]

    exported = run("export", sums, "-o", tmp_path / "数据.csv")
    assert exported.exit_code == 1 and "重复报送" in exported.output and SHARED in exported.output

    # A city's roster lists the districts: each summary is its own district's, and still the
    # shared unit inside them is counted twice.
    roster = tmp_path / "名册.csv"
    roster.write_text("单位名称,上级单位\n东区,某市\n西区,某市\n", encoding="utf-8")
    status = run("status", sums, "--roster", roster, "--format", "json")
    assert status.exit_code == 1, status.output
    assert [d["operands"]["unit"] for d in _json(status)["duplicates"]] == [SHARED]


def test_a_summary_whose_own_unit_is_a_member_of_another_is_refused(district, tmp_path):
    """The city's summary already holds 东区's summary: 东区 given again counts it twice."""
    city = tmp_path / "市.xlsx"
    assert run("merge", _sum(district, "东区"), "--name", "市", "-o", city).exit_code == 0
    out = tmp_path / "省.xlsx"
    result = run("merge", city, _sum(district, "东区"), "--name", "省", "-o", out)
    assert isinstance(result.exception, MergeConflict), result.output
    (finding,) = result.exception.findings
    assert finding.rule.id == "M01" and finding.operands["unit"] == "东区"
    assert "该单位的汇总表" in finding.message and "市的汇总表" in finding.message
    assert not out.exists()


def test_a_summary_and_a_units_own_return_in_check_name_the_unit(district, tmp_path):
    """check (which judges each file alone) names the unit counted in the summary and in its
    own return; merge refuses the mix as M08 before that."""
    folder = tmp_path / "收回"
    folder.mkdir()
    shutil.copy(_sum(district, "西区"), folder / "西区.xlsx")
    shutil.copy(district / "west" / f"{WEST[0]}.xlsx", folder / f"{WEST[0]}.xlsx")
    result = run("check", folder)
    assert f"重复报送：单位「{WEST[0]}」" in result.output, result.output
    assert "该单位的报表" in result.output


def test_two_copies_of_a_summary_are_named_once_and_a_third_summary_sharing_a_unit_too(
    district, tmp_path
):
    folder = tmp_path / "各区"
    folder.mkdir()
    shutil.copy(_sum(district, "东区"), folder / "东区.xlsx")
    shutil.copy(_sum(district, "东区"), folder / "东区(1).xlsx")
    shutil.copy(_sum(district, "西区"), folder / "西区.xlsx")
    result = run("merge", folder, "--name", "市", "-o", tmp_path / "市.xlsx")
    assert isinstance(result.exception, MergeConflict), result.output
    by_unit = {f.operands["unit"]: f.operands["files"] for f in result.exception.findings}
    # 东区's copies once (not once more for each of its members); the shared unit in all three
    assert sorted(by_unit) == sorted(["东区", SHARED])
    assert len(by_unit["东区"]) == 2 and len(by_unit[SHARED]) == 3


# -- a summary edited by hand ---------------------------------------------------------------------


def _edited(summary: Path, target: Path, *, key: str, breakdown: bool = False) -> Path:
    """A copy of ``summary`` with 100 added to ``key`` in its statutory table, or (with
    ``breakdown``) in its 分单位明细's first member row, saved as a person would (openpyxl
    keeps no formula results, as Excel keeps them)."""
    workbook = openpyxl.load_workbook(summary)
    if breakdown:
        column = 2 + [cell.key for cell in FORM.cells].index(key)
        cell = workbook[BREAKDOWN_SHEET].cell(row=3, column=column)
    else:
        sheet, a1 = read_return(summary).location(key)
        cell = workbook[sheet][a1]
    cell.value = cell.value + 100
    workbook.save(target)
    return target


def _findings(result) -> list[dict]:
    return [f for entry in _json(result)["files"] for f in entry["findings"]]


def test_a_summary_edited_in_its_table_fails_check_at_that_cell(district, tmp_path):
    summary = _sum(district, "东区")
    edited = _edited(summary, tmp_path / "东区.xlsx", key=TABLE_TWO_KEY)
    result = run("check", edited, "--format", "json")
    assert result.exit_code == 1
    # only the edited cell: every other cell, amounts (万元, decimals) included, agrees
    (m10,) = [f for f in _findings(result) if f["rule"] == "M10"]
    sheet, a1 = read_return(summary).location(TABLE_TWO_KEY)
    assert (m10["severity"], m10["sheet"], m10["cells"]) == ("error", sheet, [a1])
    before = read_return(summary).values[TABLE_TWO_KEY]
    assert m10["operands"]["汇总表"] == before + 100
    assert m10["operands"]["分单位明细之和"] == before and m10["operands"]["差额"] == 100
    assert "分单位明细" in m10["message"] and "nianbao merge" in m10["message"]


def test_a_summary_whose_breakdown_was_edited_fails_check_at_the_tables_cell(district, tmp_path):
    summary = _sum(district, "东区")
    edited = _edited(summary, tmp_path / "东区.xlsx", key=TABLE_THREE_KEY, breakdown=True)
    result = run("check", edited, "--format", "json")
    assert result.exit_code == 1
    (m10,) = [f for f in _findings(result) if f["rule"] == "M10"]
    assert m10["cells"] == [read_return(summary).location(TABLE_THREE_KEY)[1]]
    assert m10["operands"]["差额"] == -100


def test_an_edited_summary_is_not_merged_upward(district, tmp_path):
    folder = tmp_path / "各区"
    folder.mkdir()
    _edited(_sum(district, "东区"), folder / "东区.xlsx", key=TABLE_TWO_KEY)
    # another district that shares no unit with it
    (tmp_path / "north").mkdir()
    _write(tmp_path / "north", "北区甲局", 42)
    assert (
        run("merge", tmp_path / "north", "--name", "北区", "-o", folder / "北区.xlsx").exit_code
        == 0
    )
    out = tmp_path / "市.xlsx"
    result = run("merge", folder, "--name", "市", "-o", out)
    assert result.exit_code == 1 and "M10" in result.output and "未生成汇总表" in result.output
    assert not out.exists()


def test_an_edited_summary_given_as_last_year_is_refused(district, tmp_path):
    edited = _edited(_sum(district, "东区"), tmp_path / "去年东区.xlsx", key=TABLE_TWO_KEY)
    result = run("check", district / "east" / f"{EAST[0]}.xlsx", "--previous", edited)
    assert result.exit_code == 2
    assert "分单位明细不一致" in result.output and "去年东区.xlsx" in result.output


# -- what reading a summary costs; a summary whose members cannot be read -------------------------


def test_only_a_summary_reads_its_breakdown_and_only_once(district, monkeypatch):
    import nianbao.pipeline.breakdown as breakdown
    from nianbao.pipeline.check import read_one

    read = []
    real = breakdown.read_breakdown

    def counted(path, form, **options):
        read.append(Path(path).name)
        return real(path, form, **options)

    monkeypatch.setattr(breakdown, "read_breakdown", counted)
    unit = read_one(district / "east" / f"{EAST[0]}.xlsx")
    summary = read_one(_sum(district, "东区"))
    assert read == ["东区.xlsx"]
    assert unit.member_names is None  # type: ignore[union-attr]
    assert sorted(summary.member_names) == sorted([*EAST, SHARED])  # type: ignore[union-attr]


def test_a_breakdown_left_out_of_a_very_large_summary_lists_no_member(
    district, tmp_path, monkeypatch
):
    """Too many members for one sheet: 分单位明细 holds a note, which is no unit (nor a sum
    of zero that the summary would be said to contradict)."""
    import nianbao.xlsx.summary as summary_module
    from nianbao.pipeline.breakdown import read_breakdown

    monkeypatch.setattr(summary_module, "BREAKDOWN_LIMIT", 2)
    out = tmp_path / "东区.xlsx"
    assert run("merge", district / "east", "--name", "东区", "-o", out).exit_code == 0
    assert read_breakdown(out, FORM) is None
    # nothing to check it against: said (a warning), not passed over
    result = run("check", out, "--format", "json")
    assert result.exit_code == 0
    assert [f["rule"] for f in _findings(result)] == ["M11"]


def test_a_summary_whose_breakdown_was_deleted_says_it_could_not_be_checked(district, tmp_path):
    from tests.support import badfiles

    stripped = tmp_path / "东区.xlsx"
    stripped.write_bytes(
        badfiles.delete_sheet(_sum(district, "东区").read_bytes(), BREAKDOWN_SHEET)
    )
    result = run("check", stripped, "--format", "json")
    (m11,) = [f for f in _findings(result) if f["rule"] == "M11"]
    assert m11["severity"] == "warning" and BREAKDOWN_SHEET in m11["message"]


def test_a_unit_two_levels_down_counted_again_in_another_summary_is_refused(district, tmp_path):
    """市 merged 东区's summary; 北片 holds 东区甲局 again. 市's 分单位明细 lists 东区 with the
    units it counts (所含单位), so the unit two levels down is seen."""
    city = tmp_path / "市.xlsx"
    made = run("merge", _sum(district, "东区"), "--name", "市", "-o", city)
    assert made.exit_code == 0, made.output
    north = tmp_path / "北片.xlsx"
    again = district / "east" / f"{EAST[0]}.xlsx"
    assert run("merge", again, "--name", "北片", "-o", north).exit_code == 0
    out = tmp_path / "省.xlsx"
    result = run("merge", city, north, "--name", "省", "-o", out)
    assert isinstance(result.exception, MergeConflict), result.output
    (finding,) = result.exception.findings
    assert finding.rule.id == "M01" and finding.operands["unit"] == EAST[0]
    assert not out.exists()
    # and a summary of summaries without such overlap still merges
    ok = run("merge", city, "--name", "省", "-o", out)
    assert ok.exit_code == 0, ok.output
