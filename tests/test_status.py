"""Submission status against a roster: 已报通过 / 有警告 / 有错误 / 未报, M04 and M05."""

from pathlib import Path

from nianbao.checks.status import (
    ERRORS,
    MISSING,
    PASSED,
    UNREADABLE,
    WARNINGS,
    submission_status,
)
from nianbao.form import get_form
from nianbao.form.data import FileReport, blank_return
from nianbao.form.findings import Finding, Rule, Severity
from nianbao.sources.roster import RosterEntry
from nianbao.text import unit_key

FORM = get_form("2021")


def Report(path, ret, findings, status=None):  # noqa: N802 (status: implied by the findings)
    return FileReport(Path(path), ret, list(findings))


def Entry(unit, parent="道外区人民政府", code=None):  # noqa: N802
    return RosterEntry(unit, parent, code)


def report(unit, path=None, status="ok", findings=()):
    ret = blank_return(FORM, unit=unit, year=2021) if unit is not None else None
    return Report(path or f"收回/{unit}.xlsx", ret, list(findings), status)


WARNING = Finding(Rule.V04, "空白", file="x")
ERROR = Finding(Rule.E1, "不平衡", file="x")
ROSTER = [
    Entry("甲街道办事处", code="01"),
    Entry("乙局", code="02"),
    Entry("丙镇人民政府", code="03"),
]


def test_each_roster_unit_gets_its_status_in_roster_order_and_missing_ones_are_M04():
    result = submission_status(
        [report("乙局", status="warnings", findings=[WARNING]), report("甲街道办事处")], ROSTER
    )
    assert [(r.unit, r.status, r.code) for r in result.rows] == [
        ("甲街道办事处", PASSED, "01"),
        ("乙局", WARNINGS, "02"),
        ("丙镇人民政府", MISSING, "03"),
    ]
    assert [f.rule for f in result.findings] == [Rule.M04]
    assert "丙镇人民政府" in result.findings[0].message
    assert result.rows[1].warnings == 1 and result.rows[1].errors == 0
    assert result.rows[0].file == "收回/甲街道办事处.xlsx" and result.rows[2].file == ""


def test_a_unit_not_on_the_roster_is_M05_with_its_file():
    result = submission_status(
        [report("甲街道办事处"), report("丁中心", path="收回/d.xlsx")], ROSTER
    )
    (extra,) = result.off_roster
    assert extra.unit == "丁中心" and not extra.on_roster
    m05 = [f for f in result.findings if f.rule is Rule.M05]
    assert len(m05) == 1 and "收回/d.xlsx" in m05[0].message


def test_unit_names_match_after_width_and_space_folding():
    result = submission_status(
        [report(" 甲街道办事处　"), report("乙局"), report("丙镇人民政府")], ROSTER
    )
    assert result.findings == ()
    assert [r.unit for r in result.rows] == [e.unit for e in ROSTER]


def test_a_file_with_errors_counts_as_有错误_and_an_unreadable_one_as_文件无法读取():
    unreadable = Report("收回/乙局.xlsx", None, [Finding(Rule.F01, "坏了")], "unreadable")
    result = submission_status(
        [report("甲街道办事处", status="errors", findings=[ERROR, WARNING]), unreadable], ROSTER
    )
    by_unit = {r.unit: r for r in result.rows}
    assert by_unit["甲街道办事处"].status == ERRORS
    assert (by_unit["甲街道办事处"].errors, by_unit["甲街道办事处"].warnings) == (1, 1)
    # an unreadable file named after a roster unit is matched to it by its file name
    assert by_unit["乙局"].status == UNREADABLE and by_unit["乙局"].file == "收回/乙局.xlsx"


def test_an_unreadable_file_of_unknown_unit_is_listed_without_a_unit():
    unreadable = Report(
        "收回/乱码.xlsx", None, [Finding(Rule.F01, "坏了", severity=Severity.ERROR)], "unreadable"
    )
    result = submission_status([unreadable], ROSTER)
    assert result.rows[-1].unit == "" and result.rows[-1].status == UNREADABLE
    assert len(result.missing) == 3


def test_without_a_roster_every_file_is_a_row_and_nothing_is_missing():
    result = submission_status([report("乙局"), report("甲街道办事处")])
    assert [r.unit for r in result.rows] == sorted(["乙局", "甲街道办事处"], key=unit_key)
    assert result.findings == () and not result.has_roster
    assert all(r.on_roster for r in result.rows)


def test_a_roster_name_pasted_with_direction_marks_or_control_characters_is_the_same_unit():
    # A name copied from a web page can carry a left-to-right mark (U+200E), a bidi isolate or
    # a stray control character; none is visible, so none may make it another unit (M04 + M05).
    roster = [Entry("乙局\u200e"), Entry("\u2066甲街道办事处\u2069\x07")]
    result = submission_status([report("乙局"), report("甲街道办事处")], roster)
    assert [r.status for r in result.rows] == [PASSED, PASSED]
    assert list(result.findings) == []
    assert unit_key("乙局\u200e\u202e") == unit_key("乙局")
    assert unit_key("乙局\x1b") == unit_key("乙局")


def test_a_unit_that_sent_several_returns_is_m01_saying_whether_they_differ():
    copy = report("乙局", path="收回/乙局(1).xlsx")
    other = report("乙局", path="收回/乙局-改.xlsx")
    other.ret.values["三:1:c1"] = 5
    result = submission_status([report("乙局"), copy, report("甲街道办事处")], ROSTER)
    (duplicate,) = result.duplicates
    assert duplicate.rule is Rule.M01 and "乙局(1).xlsx" in duplicate.message
    assert "2 份报表" in duplicate.message and "数字完全相同" in duplicate.message
    assert result.files == 3 and [r.unit for r in result.rows].count("乙局") == 2
    versions = submission_status([report("乙局"), other], ROSTER)
    assert "数字不同" in versions.duplicates[0].message
    off_roster = submission_status(
        [report("丁局"), report("丁局", path="收回/丁局(1).xlsx")], ROSTER
    )
    assert [f.operands["unit"] for f in off_roster.duplicates] == ["丁局"]
    unreadable = report(None, path="收回/乙局.xls")
    assert submission_status([report("乙局"), unreadable], ROSTER).duplicates == []


def test_status_command_names_a_copy_sent_twice_and_its_counts_add_up(tmp_path):
    from click.testing import CliRunner

    from nianbao.cli import cli
    from tests.support.returns import folder_with_a_copy

    folder = folder_with_a_copy(tmp_path, "乙局", 2024, seed=2)
    roster = tmp_path / "名册.csv"
    roster.write_text("单位名称,单位代码\n甲街道办事处,01\n乙局,02\n", encoding="utf-8")
    sheet = tmp_path / "报送情况.xlsx"
    args = ["status", str(folder), "--roster", str(roster), "-o", str(sheet)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1  # merge would refuse: one return per unit
    assert (
        "报送情况（名册 2 个单位，收到 2 个文件，其中 1 个单位报送了不止一份，按文件计数）："
        "已报通过 2，未报 1。" in result.output
    )
    assert "重复报送：单位「乙局」报送了 2 份报表" in result.output
    assert "数字完全相同" in result.output
    import openpyxl

    from nianbao.xlsx.summary import STATUS_SHEET

    printed = openpyxl.load_workbook(sheet)[STATUS_SHEET]
    assert "收到 2 个文件" in printed["A1"].value
    marked = [r for r in printed.iter_rows(min_row=3, values_only=True) if r[0] == "乙局"]
    assert len(marked) == 2 and all("重复报送：本单位共 2 份" in (r[7] or "") for r in marked)
