"""Which files are the district's units, from a coordinator's season (a tester's findings):

- the district's own published report (or its own return, typed by hand) left among the
  units' returns was summed as one more unit: every figure doubled, exit 0;
- another district's 「西城区财政局」 was taken for the roster's 「财政局」 (the place before a
  roster unit's name only ever dropped, never weighed), and 财政局 was counted as reported;
- a unit not on the roster is summed, and the closing lines now say so.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from nianbao.cli import cli
from nianbao.form import get_form
from nianbao.xlsx.writer import write_return
from tests.support.returns import valid_return

FORM = get_form("2021")
YEAR = 2024


def run(*args: object) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args])


def _roster(path: Path, parent: str, *units: str) -> Path:
    lines = ["单位名称,上级单位"] + [f"{unit},{parent}" for unit in units]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _returns(folder: Path, parent: str, *units: str, seed: int = 1) -> None:
    folder.mkdir(exist_ok=True)
    for n, unit in enumerate(units, start=seed):
        ret = valid_return(FORM, n, unit=unit, year=YEAR, parent=parent)
        write_return(folder / f"{unit}.xlsx", FORM, ret)


def test_the_districts_own_published_report_among_the_returns_is_not_summed(tmp_path):
    roster = _roster(tmp_path / "名册.csv", "某区人民政府", "甲局", "乙局")
    _returns(tmp_path / "收回", "某区人民政府", "甲局", "乙局")
    assert (
        run("merge", tmp_path / "收回", "--name", "某区", "-o", tmp_path / "s.xlsx").exit_code == 0
    )
    report = tmp_path / "收回" / "某区年报.docx"
    assert run("publish", tmp_path / "s.xlsx", "-o", report).exit_code == 0

    merged = run(
        "merge", tmp_path / "收回", "--roster", roster, "--name", "某区", "-o", tmp_path / "t.xlsx"
    )

    assert merged.exit_code == 1, merged.output
    assert not (tmp_path / "t.xlsx").exists()
    assert "[M08 错误]" in merged.output and "某区年报.docx" in merged.output
    assert "是本次汇总的单位" in merged.output and "本级的年度报告" in merged.output


def test_a_return_of_the_district_itself_named_with_its_government_is_not_summed(tmp_path):
    roster = _roster(tmp_path / "名册.csv", "某市某区人民政府", "甲局", "乙局")
    _returns(tmp_path / "收回", "某市某区人民政府", "甲局", "乙局")
    # typed by hand in the template: the district government as 填报单位, the units' sum inside
    _returns(tmp_path / "收回", "某市人民政府", "某市某区人民政府", seed=5)

    merged = run(
        "merge", tmp_path / "收回", "--roster", roster, "--skip-invalid", "-o", tmp_path / "t.xlsx"
    )

    assert "[M08 错误]" in merged.output and "某市某区人民政府.xlsx" in merged.output
    assert "2 份报表已汇总" in merged.output


def test_a_roster_unit_named_like_the_district_is_still_a_unit(tmp_path):
    """A district government's office on the roster is one of its units, not its summary."""
    roster = _roster(tmp_path / "名册.csv", "某区人民政府", "某区人民政府办公室", "乙局")
    _returns(tmp_path / "收回", "某区人民政府", "某区人民政府办公室", "乙局")

    merged = run(
        "merge", tmp_path / "收回", "--roster", roster, "--name", "某区", "-o", tmp_path / "t.xlsx"
    )

    assert merged.exit_code == 0, merged.output
    assert "2 份报表已汇总" in merged.output and "M08" not in merged.output


def test_another_districts_unit_is_not_taken_for_the_roster_unit_of_that_name(tmp_path):
    roster = _roster(tmp_path / "名册.csv", "东城区人民政府", "财政局", "教育局")
    _returns(tmp_path / "收回", "东城区人民政府", "教育局")
    _returns(tmp_path / "收回", "西城区人民政府", "西城区财政局", seed=5)

    status = run("status", tmp_path / "收回", "--roster", roster)

    assert "未报 | 财政局" in status.output, status.output
    assert "需要催报的单位 1 个：财政局（未报）" in status.output
    assert (
        "「财政局」前面加上「西城区」" in status.output and "多半是别的地区的报表" in status.output
    )

    merged = run(
        "merge",
        tmp_path / "收回",
        "--roster",
        roster,
        "--name",
        "东城区",
        "-o",
        tmp_path / "t.xlsx",
    )
    assert "未报 1 个单位：财政局" in merged.output
    assert "不在名册中的单位 1 个（其中 1 个已计入汇总" in merged.output


def test_a_city_added_before_a_roster_units_name_is_still_that_unit(tmp_path):
    roster = _roster(tmp_path / "名册.csv", "某市东城区人民政府", "东城区财政局", "东城区教育局")
    _returns(tmp_path / "收回", "某市东城区人民政府", "东城区教育局")
    _returns(tmp_path / "收回", "某市东城区人民政府", "某市东城区财政局", seed=5)

    status = run("status", tmp_path / "收回", "--roster", roster)

    assert "名册中的 2 个单位均已报送" in status.output, status.output
    assert "M06" in status.output and "未报" not in status.output


def test_last_years_summary_left_in_the_folder_reports_none_of_its_units(tmp_path):
    roster = _roster(tmp_path / "名册.csv", "某区人民政府", "甲局", "乙局")
    last = tmp_path / "去年"
    last.mkdir()
    for seed, unit in enumerate(("甲局", "乙局"), start=1):
        ret = valid_return(FORM, seed, unit=unit, year=YEAR - 1, parent="某区人民政府")
        write_return(last / f"{unit}.xlsx", FORM, ret)
    inbox = tmp_path / "收回"
    assert run("merge", last, "--name", "某区", "-o", inbox / "某区去年汇总.xlsx").exit_code == 0
    _returns(inbox, "某区人民政府", "甲局", seed=7)

    status = run("status", inbox, "--roster", roster, "--year", YEAR)

    assert "需要催报的单位 1 个：乙局（未报）" in status.output, status.output
    assert "均已报送" not in status.output and "含在「某区」的汇总表中" not in status.output
    merged = run(
        "merge",
        inbox,
        "--roster",
        roster,
        "--year",
        YEAR,
        "--skip-invalid",
        "-o",
        tmp_path / "t.xlsx",
    )
    assert "未报 1 个单位：乙局" in merged.output, merged.output


def test_a_units_copies_beside_its_return_of_another_year_are_said_once(tmp_path):
    inbox = tmp_path / "收回"
    _returns(inbox, "某区人民政府", "甲局", "乙局")
    assert run("publish", inbox / "甲局.xlsx", "-o", inbox / "甲局年报.docx").exit_code == 0
    ret = valid_return(FORM, 9, unit="甲局", year=YEAR - 1, parent="某区人民政府")
    write_return(inbox / "甲局-去年.xlsx", FORM, ret)  # C03: left out as an error

    merged = run("merge", inbox, "--year", YEAR, "-o", tmp_path / "t.xlsx")

    assert merged.exit_code == 1
    assert merged.output.count("[M01]") == 1, merged.output


def test_status_says_which_year_it_checked_against_when_none_was_given(tmp_path):
    roster = _roster(tmp_path / "名册.csv", "某区人民政府", "甲局", "乙局", "丙局")
    inbox = tmp_path / "收回"
    _returns(inbox, "某区人民政府", "甲局")
    for seed, unit in enumerate(("乙局", "丙局"), start=3):  # last year's, left in
        ret = valid_return(FORM, seed, unit=unit, year=YEAR - 1, parent="某区人民政府")
        write_return(inbox / f"{unit}-去年.xlsx", FORM, ret)

    guessed = run("status", inbox, "--roster", roster)
    told = run("status", inbox, "--roster", roster, "--year", YEAR)

    assert f"未用 --year 指定年度：同一批报表的年度不一致，已按多数报表的 {YEAR - 1} 年度核对" in (
        guessed.output
    )
    assert "未用 --year" not in told.output


def test_group_summaries_of_an_earlier_run_left_in_the_folder_are_named(tmp_path):
    roster = tmp_path / "名册.csv"
    roster.write_text("单位名称,上级单位\n甲局,甲系统\n乙局,乙系统\n", encoding="utf-8")
    _returns(tmp_path / "收回", "某区人民政府", "甲局", "乙局")
    out = tmp_path / "汇总.xlsx"
    assert (
        run("merge", tmp_path / "收回", "--roster", roster, "--by-parent", "-o", out).exit_code == 0
    )
    # the roster's groups change: 乙局 moves under 甲系统; 乙系统.xlsx is last run's
    roster.write_text("单位名称,上级单位\n甲局,甲系统\n乙局,甲系统\n", encoding="utf-8")

    again = run("merge", tmp_path / "收回", "--roster", roster, "--by-parent", "-o", out, "--force")

    assert again.exit_code == 0, again.output
    assert "该文件夹中另有 1 份不是本次生成的汇总表：乙系统.xlsx" in again.output
    assert (tmp_path / "汇总-分组" / "乙系统.xlsx").exists()  # named, never deleted


# -- from a regression tester's pass over the rules above ---------------------------------------


def test_the_citys_own_report_among_district_summaries_is_the_one_left_out(tmp_path):
    inbox = tmp_path / "各区汇总"
    inbox.mkdir()
    for seed, district in enumerate(("道外区", "南岗区"), start=1):
        _returns(tmp_path / district, f"{district}人民政府", f"{district}甲局", seed=seed)
        made = run(
            "merge", tmp_path / district, "--name", district, "-o", inbox / f"{district}.xlsx"
        )
        assert made.exit_code == 0, made.output
    city = tmp_path / "市汇总.xlsx"
    assert run("merge", inbox, "--name", "哈尔滨市", "-o", city).exit_code == 0
    assert run("publish", city, "-o", inbox / "哈尔滨市年报.docx").exit_code == 0

    merged = run("merge", inbox, "--name", "哈尔滨市", "--skip-invalid", "-o", tmp_path / "t.xlsx")

    assert "哈尔滨市年报.docx" in merged.output and merged.output.count("[M08") == 1, merged.output
    assert "2 份报表已汇总" in merged.output


@pytest.mark.parametrize(
    ("roster_units", "cover"),
    [
        ((), "道外区人民政府办公室"),  # no roster: a unit named after the government is a unit
        (("道外区人民政府办公室", "乙局"), "哈尔滨市道外区人民政府办公室"),  # matched by its place
        (("道外区教育局", "乙局"), "哈尔滨市道外区教育局"),  # a roster unit that is also a 上级单位
    ],
)
def test_a_unit_named_like_its_government_is_summed_as_a_unit(tmp_path, roster_units, cover):
    inbox = tmp_path / "收回"
    _returns(inbox, "道外区人民政府", cover, "乙局")
    args = ["merge", inbox, "--name", "道外区", "-o", tmp_path / "t.xlsx"]
    if roster_units:
        roster = tmp_path / "名册.csv"
        roster.write_text(
            "单位名称,上级单位\n"
            + "".join(f"{u},道外区人民政府\n" for u in roster_units)
            + "某小学,道外区教育局\n",
            encoding="utf-8",
        )
        args += ["--roster", roster]
        _returns(inbox, "道外区教育局", "某小学", seed=7)

    merged = run(*args)

    assert "M08" not in merged.output, merged.output
    assert "份报表已汇总" in merged.output


@pytest.mark.parametrize(
    ("parent", "unit", "cover", "ours"),
    [
        ("尚志市人民政府", "尚志市财政局", "哈尔滨市尚志市财政局", True),  # a county-level city
        ("沙市区人民政府", "财政局", "荆州市沙市区财政局", True),  # 沙市区, not 沙市 + 区
        ("道外区城市管理局", "道外区环境卫生管理所", "哈尔滨市道外区环境卫生管理所", True),
        ("沙市区人民政府", "财政局", "荆州区财政局", False),  # a sister district's
    ],
)
def test_a_place_before_a_roster_units_name_is_weighed_against_the_district(
    tmp_path, parent, unit, cover, ours
):
    roster = tmp_path / "名册.csv"
    roster.write_text(f"单位名称,上级单位\n{unit},{parent}\n教育局,{parent}\n", encoding="utf-8")
    inbox = tmp_path / "收回"
    _returns(inbox, parent, cover)
    _returns(inbox, parent, "教育局", seed=5)

    status = run("status", inbox, "--roster", roster)

    assert ("均已报送" in status.output) is ours, status.output
    assert (f"未报 | {unit}" in status.output) is not ours
