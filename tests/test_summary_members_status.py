"""A roster unit counted in a received summary has reported: status and merge say so.

A city (or a district merging its groups, README 「分组汇总」) receives summaries; its roster
lists the units inside them. Before, no roster unit was matched with a summary's 分单位明细:
status said every unit was 未报 and asked to chase them all, merge listed the summaries as not
on the roster (M05), and the summary it wrote said none of them was counted (M12); a group
summary named after a roster unit (「教育局」) stood for that unit alone, its schools 未报.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from nianbao.checks.status import ERRORS, PASSED, submission_status
from nianbao.cli import cli
from nianbao.form import get_form
from nianbao.form.data import FileReport
from nianbao.form.findings import Finding, Rule
from nianbao.sources.roster import RosterEntry
from nianbao.xlsx.writer import write_return
from tests.support.returns import valid_return

FORM = get_form("2021")
YEAR = 2025
# district -> its units
DISTRICTS = {"东区": ["东区甲局", "东区乙局"], "西区": ["西区甲局", "西区乙局", "西区丙局"]}


def run(*args: object) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args])


def roster_file(path: Path, rows: list[tuple[str, str]]) -> Path:
    path.write_text(
        "单位名称,上级单位,联系人\n" + "".join(f"{u},{p},李四\n" for u, p in rows),
        encoding="utf-8",
    )
    return path


@pytest.fixture(scope="module")
def city(tmp_path_factory) -> Path:
    """区/: each district's summary, merged by the district from its units' returns."""
    root = tmp_path_factory.mktemp("city")
    (root / "区").mkdir()
    seed = 0
    for district, units in DISTRICTS.items():
        returns = root / "收回" / district
        returns.mkdir(parents=True)
        for unit in units:
            ret = valid_return(FORM, seed, unit=unit, year=YEAR, parent=district)
            write_return(returns / f"{unit}.xlsx", FORM, ret)
            seed += 1
        roster = roster_file(root / f"{district}.csv", [(u, district) for u in units])
        out = root / "区" / f"{district}.xlsx"
        merged = run("merge", returns, "--roster", roster, "--name", district, "-o", out)
        assert merged.exit_code == 0, merged.output
    return root


def units_roster(root: Path, *, districts: bool) -> Path:
    rows = [(d, "市") for d in DISTRICTS] if districts else []
    rows += [(u, d) for d, units in DISTRICTS.items() for u in units]
    return roster_file(root / ("全部.csv" if districts else "单位.csv"), rows)


def status_json(*args: object) -> tuple[dict, int]:
    result = run("status", *args, "--format", "json")
    return json.loads(result.output), result.exit_code


@pytest.mark.parametrize("districts", [False, True], ids=["units", "districts-and-units"])
def test_status_counts_a_roster_unit_in_a_received_summary_as_reported_through_it(city, districts):
    data, code = status_json(city / "区", "--roster", units_roster(city, districts=districts))
    assert code == 0, data
    units = {u["unit"]: u for u in data["units"]}
    for district, members in DISTRICTS.items():
        for unit in members:
            row = units[unit]
            assert row["on_roster"] and row["status"] == "passed", row
            assert row["file"] == str(city / "区" / f"{district}.xlsx")
            assert row["within"] == district
            assert row["problems"] == (
                f"含在「{district}」的汇总表中，没有单独的报表（状态和问题数是该汇总表的）"
            )
        summary = units[district]
        assert summary["within"] is None and summary["members_on_roster"] == len(members)
        assert summary["on_roster"] is districts
        assert "M05" not in summary["problems"] and summary["status"] == "passed"
    assert data["counts"]["missing"] == 0
    rules = {f["rule"] for u in data["units"] for f in u["findings"]}
    assert not rules & {"M04", "M05"}, rules


def test_status_text_chases_no_one_and_lists_no_summary_as_off_the_roster(city):
    result = run("status", city / "区", "--roster", units_roster(city, districts=False))
    assert result.exit_code == 0, result.output
    assert "报送情况（名册 5 个单位，另有汇总表 2 份）：已报通过 7。" in result.output
    assert "名册中的 5 个单位均已报送。" in result.output
    assert "需要催报" not in result.output and "不在名册中" not in result.output
    assert "已报通过 | 东区 | " in result.output and "汇总表，含名册中的 2 个单位" in result.output


def test_merging_the_summaries_with_the_roster_misses_no_one_and_the_result_has_no_m12(
    city, tmp_path
):
    out = tmp_path / "市.xlsx"
    roster = units_roster(city, districts=False)
    merged = run("merge", city / "区", "--roster", roster, "--name", "市", "-o", out)
    assert merged.exit_code == 0, merged.output
    assert "未报" not in merged.output and "不在名册中" not in merged.output
    assert "名册中的 5 个单位均已报送。" in merged.output
    checked = run("check", out, "--format", "json")
    assert checked.exit_code == 0, checked.output
    rules = [f["rule"] for file in json.loads(checked.output)["files"] for f in file["findings"]]
    assert "M12" not in rules, checked.output


def test_the_groups_of_by_parent_merged_up_with_the_roster_count_every_unit(tmp_path):
    """README 「分组汇总」: 教育局 reports itself and heads 一中, 二中. Its group summary bears
    its name; merged up with the roster it was taken for 教育局's return alone."""
    parents = {"教育局": "某区", "一中": "教育局", "二中": "教育局", "街道甲": "某区"}
    returns = tmp_path / "收回"
    returns.mkdir()
    for seed, (unit, parent) in enumerate(parents.items()):
        ret = valid_return(FORM, seed, unit=unit, year=YEAR, parent=parent)
        write_return(returns / f"{unit}.xlsx", FORM, ret)
    roster = roster_file(tmp_path / "名册.csv", list(parents.items()))
    out = tmp_path / "某区.xlsx"
    grouped = run(
        "merge", returns, "--roster", roster, "--by-parent", "--name", "某区", "-o", out
    )  # fmt: skip
    assert grouped.exit_code == 0, grouped.output
    groups = tmp_path / "某区-分组"
    data, code = status_json(groups, "--roster", roster)
    assert code == 0, data
    rows = {u["unit"]: u for u in data["units"]}
    assert (
        rows["教育局"]["file"] == str(groups / "教育局.xlsx") and rows["教育局"]["within"] is None
    )
    for school in ("一中", "二中"):
        assert rows[school]["status"] == "passed" and rows[school]["within"] == "教育局"
        assert rows[school]["file"] == str(groups / "教育局.xlsx")
    # the units directly under 某区 are summed as 「某区（直属单位）」, not as 某区 (its total)
    assert rows["街道甲"]["within"] == "某区（直属单位）"
    assert rows["街道甲"]["file"] == str(groups / "某区（直属单位）.xlsx")
    up = tmp_path / "再汇总.xlsx"
    again = run("merge", groups, "--roster", roster, "--name", "某区", "-o", up)
    assert again.exit_code == 0, again.output
    assert "未报" not in again.output and "不在名册中" not in again.output
    checked = run("check", up)
    assert checked.exit_code == 0 and "M12" not in checked.output, checked.output


# -- the status itself, on returns made here -------------------------------------------------


def summary_of(unit: str, members: tuple[str, ...], findings=()) -> FileReport:
    ret = valid_return(FORM, 1, unit=unit, year=YEAR)
    ret.kind, ret.member_names, ret.members = "summary", members, len(members)
    return FileReport(Path(f"收回/{unit}.xlsx"), ret, list(findings))


def unit_return(unit: str) -> FileReport:
    return FileReport(Path(f"收回/{unit}.xlsx"), valid_return(FORM, 2, unit=unit, year=YEAR), [])


ROSTER = [RosterEntry("甲局", "区"), RosterEntry("乙局", "区"), RosterEntry("丙局", "区")]


def test_a_unit_with_its_own_return_beside_a_summary_counting_it_stays_a_duplicate():
    result = submission_status([summary_of("区", ("甲局", "乙局")), unit_return("甲局")], ROSTER)
    rows = {(r.unit, r.file): r for r in result.rows}
    own = rows[("甲局", "收回/甲局.xlsx")]
    assert own.within == "" and own.status == PASSED  # its own file's row, nothing hidden
    assert ("甲局", "收回/区.xlsx") not in rows
    assert rows[("乙局", "收回/区.xlsx")].within == "区"
    assert [r.unit for r in result.to_chase] == ["丙局"]
    (m01,) = [f for f in result.duplicates if f.rule is Rule.M01]
    assert m01.operands["unit"] == "甲局" and m01.operands["summaries"] == ["收回/区.xlsx"]


def test_units_of_a_summary_with_errors_are_not_chased_and_the_summary_is_to_correct():
    from nianbao.commands.status import chase_lines

    m10 = Finding(Rule.M10, "被手工改过", file="收回/区.xlsx")
    result = submission_status([summary_of("区", ("甲局", "乙局", "丙局"), [m10])], ROSTER)
    members = [r for r in result.rows if r.on_roster]
    assert [(r.status, r.errors, r.within) for r in members] == [(ERRORS, 1, "区")] * 3
    assert result.to_chase == [] and result.off_roster == []
    assert chase_lines(result) == [
        "名册中的 3 个单位均已报送。",
        "需要退回改正的单位 1 个：区（有错误）。改正后重新报送，才能计入汇总。",
    ]
