"""The season's pieces one by one: rosters (xlsx, contacts, codes), unit identity (code, then
name), explanations (--accept), the year-on-year rules (X5, X6) and reconciling a summary."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from nianbao.checks.accept import apply_explanations, read_explanations
from nianbao.checks.compare import is_identical, is_swing, reconcile, year_on_year_findings
from nianbao.checks.engine import validate_returns
from nianbao.checks.status import identify, submission_status
from nianbao.checks.units import UnitIndex, same_unit
from nianbao.cli import cli
from nianbao.errors import UserError
from nianbao.form import get_form
from nianbao.form.data import FileReport, blank_return, filled_return
from nianbao.form.findings import Finding, Rule
from nianbao.form.layout import IDENTITY_SHEET, layout_for
from nianbao.recognise.reader import read_return
from nianbao.sources.roster import RosterEntry, read_roster
from nianbao.xlsx.writer import write_return
from tests.support.returns import inputs_of, valid_return

FORM = get_form("2021")


def run(*args: object):
    return CliRunner().invoke(cli, [str(a) for a in args])


# -- rosters ----------------------------------------------------------------------------------


def test_an_xlsx_roster_keeps_numeric_codes_as_typed_and_carries_every_other_column(tmp_path):
    path = tmp_path / "名册.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["单位代码", "单位名称", "联系人", "上级单位", "联系电话"])
    book.active.append([230104001, "甲局", "张三", "某区", "0451-1"])
    book.active.append([None, "乙局", None, None, "0451-2"])
    book.save(path)
    assert read_roster(path) == [
        RosterEntry("甲局", "某区", "230104001", (("联系人", "张三"), ("联系电话", "0451-1"))),
        RosterEntry("乙局", None, None, (("联系人", ""), ("联系电话", "0451-2"))),
    ]


def test_two_units_with_one_code_are_refused_naming_both_lines(tmp_path):
    path = tmp_path / "名册.csv"
    path.write_text("单位名称,单位代码\n甲局,001\n乙局,001\n", encoding="utf-8")
    with pytest.raises(UserError, match="第 3 行的单位代码「001」与第 2 行相同"):
        read_roster(path)


def test_a_damaged_xlsx_roster_is_explained(tmp_path):
    path = tmp_path / "名册.xlsx"
    path.write_bytes(b"PK\x03\x04 broken")
    with pytest.raises(UserError, match="名册无法使用"):
        read_roster(path)


# -- unit identity ----------------------------------------------------------------------------


def test_a_template_from_a_roster_keeps_name_and_code_in_its_identity_sheet(tmp_path):
    roster = tmp_path / "名册.csv"
    roster.write_text("单位名称,上级单位,单位代码\n甲街道办事处,某区,0042\n", encoding="utf-8")
    result = run("template", "--year", 2025, "--roster", roster, "--out-dir", tmp_path / "下发")
    assert result.exit_code == 0, result.output
    (made,) = (tmp_path / "下发").glob("*.xlsx")
    identity = {
        r[0].value: r[1].value
        for r in openpyxl.load_workbook(made)[IDENTITY_SHEET].iter_rows(max_col=2)
    }
    assert identity["code"] == "0042" and identity["unit"] == "甲街道办事处"
    ret = read_return(made)
    assert (ret.code, ret.issued, ret.unit) == ("0042", "甲街道办事处", "甲街道办事处")


def report_for(unit, *, code=None, issued=None, path=None):
    ret = valid_return(FORM, 1, unit=unit, year=2025)
    ret.code, ret.issued = code, issued
    return FileReport(Path(path or f"收回/{unit}.xlsx"), ret, [])


ROSTER = [
    RosterEntry("甲街道办事处", "某区", "001"),
    RosterEntry("乙局", "某区", "002"),
    RosterEntry("丙镇人民政府", "某区", None),
]


def test_code_first_then_name_and_a_renamed_cover_is_M06_showing_both_names():
    renamed = report_for("甲街道", code="001", issued="甲街道办事处")
    by_name = report_for("乙局")
    by_issued = report_for("丙镇", issued="丙镇人民政府")
    found = identify([renamed, by_name, by_issued], ROSTER)
    assert [found.entry(r).unit for r in (renamed, by_name, by_issued)] == [
        "甲街道办事处",
        "乙局",
        "丙镇人民政府",
    ]
    m06 = found.renamed[str(renamed.path)]
    assert (
        m06.rule is Rule.M06 and "「甲街道」" in m06.message and "「甲街道办事处」" in m06.message
    )
    assert "单位代码 001" in m06.message
    assert "模板下发时的单位名称" in found.renamed[str(by_issued.path)].message
    assert str(by_name.path) not in found.renamed


def test_a_code_beats_a_name_that_belongs_to_another_unit():
    # a filler copied the neighbour's name onto its cover; the code says who it is
    report = report_for("乙局", code="001")
    assert identify([report], ROSTER).entry(report).unit == "甲街道办事处"


def test_a_name_matching_nothing_gets_the_nearest_roster_names():
    report = report_for("甲街道办")
    status = submission_status([report], ROSTER)
    (m05,) = [f for f in status.findings if f.rule is Rule.M05]
    assert "名册中最相近的单位：甲街道办事处。" in m05.message
    far = submission_status([report_for("完全无关的中心")], ROSTER)
    assert "名册中没有相近的单位" in next(f for f in far.findings if f.rule is Rule.M05).message


def test_a_name_with_the_places_before_it_is_the_roster_units_and_a_second_return_of_it():
    """「某市某区乙局」 is the roster's 「乙局」 (the title of its published report beside its
    return, a return typed with the full name): a unit not on the roster, its figures summed
    a second time, was all that was said (M05)."""
    full = report_for("黑龙江省某市某区乙局", path="收回/某区乙局年报.html")
    found = identify([full], ROSTER)
    assert found.entry(full).unit == "乙局"
    m06 = found.renamed[str(full.path)]
    assert "两者只差地名「黑龙江省某市某区」" in m06.message
    status = submission_status([full, report_for("乙局")], ROSTER)
    assert not [f for f in status.findings if f.rule is Rule.M05]
    (twice,) = [f for f in status.findings if f.rule is Rule.M01]
    assert "单位「乙局」报送了 2 份报表" in twice.message


def test_without_a_roster_a_name_with_the_places_before_it_is_the_same_unit():
    status = submission_status([report_for("某市某区乙局"), report_for("乙局")])
    (twice,) = [f for f in status.findings if f.rule is Rule.M01]
    assert "报送了 2 份报表" in twice.message
    other = submission_status([report_for("某区乙局分局"), report_for("乙局")])
    assert not [f for f in other.findings if f.rule is Rule.M01]


def test_a_name_that_adds_more_than_places_is_not_the_roster_unit():
    for name in ("乙局机关幼儿园", "某区乙局分局", "某区教育乙局"):
        report = report_for(name)
        assert identify([report], ROSTER).entry(report) is None, name


def test_the_same_unit_by_code_whatever_the_names_and_by_name_without_codes():
    a = filled_return(FORM, {}, unit="甲街道", code="001")
    assert same_unit(a, filled_return(FORM, {}, unit="完全不同", code="001")) is True
    assert same_unit(a, filled_return(FORM, {}, unit="甲街道", code="002")) is False
    assert same_unit(a, filled_return(FORM, {}, unit="甲 街道")) is True
    assert same_unit(a, filled_return(FORM, {})) is None


def test_last_years_return_is_found_by_code_then_by_the_issued_name():
    last = filled_return(FORM, {}, unit="甲街道办事处", year=2024)
    index = UnitIndex([last], lambda r: r.unit, lambda r: r.code)
    renamed = filled_return(FORM, {}, unit="甲街道", issued="甲街道办事处", year=2025)
    assert index.find_return(renamed) == (last, "issued")
    found = validate_returns([renamed], previous={"甲街道办事处": last})[0]
    assert not any(f.rule is Rule.X4 for f in found)  # not taken for another unit


# -- blank returns ----------------------------------------------------------------------------


def test_a_blank_template_is_C04_alone_not_a_V04_for_every_cell(tmp_path):
    path = tmp_path / "空白.xlsx"
    write_return(path, FORM, unit="甲局", year=2025)
    (report,) = [
        FileReport(path, read_return(path), f) for f in validate_returns([read_return(path)])
    ]
    assert [f.rule for f in report.findings] == [Rule.C04]
    assert report.status == "errors"
    assert submission_status([report]).rows[0].status == "未填写"


# -- explanations -----------------------------------------------------------------------------


def test_explanations_are_read_from_csv_and_xlsx_alike(tmp_path):
    csv = tmp_path / "说明.csv"
    csv.write_text('单位,规则,单元格,说明\n甲局,x3,"D4，D5",清理\n乙局,V04,,空白属实\n', "utf-8")
    xlsx = tmp_path / "说明.xlsx"
    book = openpyxl.Workbook()
    for row in (
        ("单位", "规则", "单元格", "说明"),
        ("甲局", "X3", "D4,D5", "清理"),
        ("乙局", "V04", None, "空白属实"),
    ):
        book.active.append(row)
    book.save(xlsx)
    for path in (csv, xlsx):
        first, second = read_explanations(path)
        assert (first.unit, first.rule, first.cells, first.reason) == (
            "甲局",
            Rule.X3,
            frozenset({"D4", "D5"}),
            "清理",
        )
        assert second.cells == frozenset() and second.line == 3


def test_every_bad_line_of_an_explanations_file_is_named_at_once(tmp_path):
    path = tmp_path / "说明.csv"
    path.write_text(
        "单位,规则,单元格,说明\n甲局,Z9,D4,因为\n乙局,X3,第四格,因为\n丙局,X3,D4,\n", "utf-8"
    )
    with pytest.raises(UserError) as caught:
        read_explanations(path)
    message = str(caught.value)
    assert "3 处问题" in message
    assert "第 2 行的规则「Z9」" in message and "第 3 行的单元格「第四格」" in message
    assert "第 4 行没有填写「说明」" in message


def test_a_line_without_a_rule_says_the_rule_is_missing(tmp_path):
    path = tmp_path / "说明.csv"
    path.write_text("单位,规则,单元格,说明\n甲局,,D4,因为\n", "utf-8")
    with pytest.raises(UserError) as caught:
        read_explanations(path)
    assert "第 2 行没有填写「规则」" in str(caught.value)
    assert "规则「」" not in str(caught.value)


def explanation_file(tmp_path, text):
    path = tmp_path / "说明.csv"
    path.write_text("单位,规则,单元格,说明\n" + text, encoding="utf-8")
    return read_explanations(path)


def warned(unit="甲局"):
    ret = valid_return(FORM, 2, unit=unit, year=2025, code="007")
    findings = [
        Finding(Rule.X3, "现行有效", sheet="二", cells=("D5",)),
        Finding(Rule.V04, "空白", sheet="三", cells=("D7", "E7")),
        Finding(Rule.E1, "不平衡", sheet="三", cells=("D5", "D6", "D28", "D29")),
    ]
    return FileReport(Path(f"{unit}.xlsx"), ret, findings)


def test_a_matching_warning_is_explained_and_no_longer_counts(tmp_path):
    report = warned()
    entries = explanation_file(tmp_path, '甲局,X3,D5,清理\n007,V04,"D7,E7,F7",属实\n')
    outcome = apply_explanations([report], entries)
    assert outcome.accepted == 2 and not outcome.stale and not outcome.refused
    assert [(f.rule.id, f.explanation) for f in report.findings if f.accepted] == [
        ("X3", "清理"),
        ("V04", "属实"),  # matched by the unit's code; every cell of the finding is listed
    ]
    assert (report.errors, report.warnings, report.accepted) == (1, 0, 2)


def test_an_entry_must_name_every_cell_of_the_finding(tmp_path):
    report = warned()
    (entry,) = explanation_file(tmp_path, "甲局,V04,D7,只说了一格\n")
    outcome = apply_explanations([report], [entry])
    assert outcome.accepted == 0 and [f.rule for f in outcome.stale] == [Rule.A01]
    assert "第 2 行（单位「甲局」，规则 V04，D7）没有对应任何问题" in outcome.stale[0].message


def test_errors_are_never_explained_away(tmp_path):
    entries = explanation_file(tmp_path, "甲局,E1,,上年报表有误\n")
    report = warned()
    refused = apply_explanations([report], entries)
    assert [f.rule for f in refused.refused] == [Rule.A02] and not refused.stale
    assert "汇总时错误不能以说明放行" in refused.refused[0].message
    assert report.errors == 1 and report.accepted == 0


def test_check_shows_explained_findings_and_stale_entries(tmp_path):
    path = tmp_path / "甲局.xlsx"
    ret = valid_return(FORM, 3, unit="甲局", year=2025)
    ret.values["二:20-5.1:c1"] = None  # one blank (in no balance rule): V04
    write_return(path, FORM, ret)
    sheet, a1 = layout_for(FORM).address("二:20-5.1:c1")
    accept = tmp_path / "说明.csv"
    accept.write_text(
        f"单位,规则,单元格,说明\n甲局,V04,{a1},确无此项\n乙局,X3,,过时的说明\n", "utf-8"
    )
    result = run("check", path, "--accept", accept)
    assert result.exit_code == 0, result.output
    assert "✓ 通过（1 条已说明）" in result.output
    assert f"[V04 警告·已说明] {sheet}!{a1}" in result.output and "说明：确无此项" in result.output
    assert "[A01 警告] 说明文件第 3 行" in result.output
    data = json.loads(run("check", path, "--accept", accept, "--format", "json").stdout)
    (entry,) = data["files"]
    assert (entry["status"], entry["accepted"], entry["warnings"]) == ("ok", 1, 0)
    assert entry["findings"][0]["explanation"] == "确无此项"
    assert [n["rule"] for n in data["notes"]] == ["A01"]


# -- year on year -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("before", "now", "flagged"),
    [
        (100, 160, True),
        (100, 140, False),
        (5, 20, False),
        (0, 20, True),
        (30, 0, True),
        (0, 19, False),
    ],
)
def test_the_swing_rule_needs_twenty_and_more_than_half(before, now, flagged):
    assert is_swing(before, now) is flagged


def test_the_same_figures_as_last_year_are_X6_unless_all_zero():
    ret = valid_return(FORM, 4, unit="甲局", year=2025)
    last = filled_return(FORM, inputs_of(ret), unit="甲局", year=2024)
    assert is_identical(ret, last)
    (x6,) = year_on_year_findings(ret, last, "去年.xlsx")
    assert x6.rule is Rule.X6 and "去年.xlsx" in x6.message
    zero = filled_return(FORM, {}, unit="甲局")
    assert not is_identical(zero, filled_return(FORM, {}, unit="甲局"))


def test_a_swing_is_X5_at_the_key_figures_cell_with_both_figures():
    inputs = {key: 0 for key in FORM.input_keys}
    last = filled_return(FORM, {**inputs, "四:1:ar1": 10}, unit="甲局", year=2024)
    ret = filled_return(FORM, {**inputs, "四:1:ar1": 40}, unit="甲局", year=2025)
    (x5,) = year_on_year_findings(ret, last, "去年.xlsx")
    assert x5.rule is Rule.X5 and x5.cells == (layout_for(FORM).address("四:1:ar5")[1],)
    assert "上年 10，本年 40，增加 30" in x5.message
    assert x5.operands["项目"] == "复议"


# -- reconcile ------------------------------------------------------------------------------------


def test_reconcile_names_each_differing_cell_and_the_units_in_one_list_only():
    a = valid_return(FORM, 5, unit="甲局", year=2025)
    b = valid_return(FORM, 6, unit="乙局", year=2025, code="002")
    c = valid_return(FORM, 7, unit="丙局", year=2025)
    ours = filled_return(
        FORM, {k: a.values[k] + b.values[k] for k in FORM.input_keys}, unit="区", year=2025
    )
    renamed_b = filled_return(FORM, inputs_of(b), unit="乙局（更名）", code="002")
    theirs_members = [renamed_b, c]
    theirs = filled_return(
        FORM, {k: b.values[k] + c.values[k] for k in FORM.input_keys}, unit="区", year=2025
    )
    result = reconcile(ours, [a, b], theirs, theirs_members)
    assert result.only_theirs == ("丙局",) and result.only_ours == ("甲局",)
    assert result.members == ()  # 乙局 is found by its code and its figures agree
    differing = {d.key for d in result.cells}
    assert differing == {
        cell.key
        for cell in FORM.cells
        if ours.completed()[cell.key] != theirs.completed()[cell.key]
    }
    d = result.cells[0]
    assert (d.theirs, d.ours) == (theirs.completed()[d.key], ours.completed()[d.key])
    assert not result.agrees


def test_reconcile_without_a_member_list_or_across_vintages_says_what_it_could_not_do():
    ret = valid_return(FORM, 8, unit="区", year=2025)
    alone = reconcile(ret, [ret], ret, None)
    assert alone.agrees and not alone.has_list
    old = blank_return(get_form("2019"), unit="区")
    other = reconcile(ret, [ret], old, None)
    assert "不能逐格核对" in other.comparable and not other.agrees


def test_amounts_reconcile_exactly():
    ret = valid_return(FORM, 9, unit="区", year=2025)
    theirs = filled_return(FORM, {**inputs_of(ret), "二:20-8.1:c1": Decimal("1.10")}, unit="区")
    ours = filled_return(FORM, {**inputs_of(ret), "二:20-8.1:c1": Decimal("1.1")}, unit="区")
    assert reconcile(ours, [], theirs, None).cells == ()


# -- last year's summary as --previous --------------------------------------------------------------


def test_last_years_summary_gives_back_its_members_by_name_and_code(tmp_path):
    from nianbao.pipeline.check import load_last_year
    from nianbao.pipeline.merge import merge_returns
    from nianbao.xlsx.summary import write_summary

    members = [
        valid_return(FORM, 10, unit="甲局", year=2024, code="001", parent="某区"),
        valid_return(FORM, 11, unit="乙局", year=2024, parent="某区"),
    ]
    members[1].values["二:20-8.1:c1"] = Decimal("12.34")
    path = tmp_path / "去年汇总.xlsx"
    write_summary(path, merge_returns(members, name="某区", year=2024), members)
    last = load_last_year(path)
    assert [(m.unit, m.code, m.parent) for m in last.returns] == [
        ("甲局", "001", "某区"),
        ("乙局", None, "某区"),
    ]
    for got, want in zip(last.returns, members, strict=True):
        assert got.completed() == want.completed()
    assert (
        last.total is not None
        and last.total.completed() == merge_returns(members, name="某区").completed()
    )
    renamed = filled_return(FORM, {}, unit="甲局（新名）", code="001", year=2025)
    assert last.find(renamed) is last.returns[0]


def test_the_annotated_copy_shows_an_explained_warning_with_its_reason(tmp_path):
    from nianbao.xlsx.annotate import ACCEPTED_FILL, SHEET

    path = tmp_path / "甲局.xlsx"
    ret = valid_return(FORM, 3, unit="甲局", year=2025)
    ret.values["二:20-5.1:c1"] = None
    ret.values["二:20-6.1:c1"] = None
    write_return(path, FORM, ret)
    sheet, a1 = layout_for(FORM).address("二:20-5.1:c1")
    _, other = layout_for(FORM).address("二:20-6.1:c1")
    accept = tmp_path / "说明.csv"
    accept.write_text(f'单位,规则,单元格,说明\n甲局,V04,"{a1},{other}",确无此项\n', "utf-8")
    result = run("check", path, "--accept", accept, "--annotate", tmp_path / "退回")
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(tmp_path / "退回" / "甲局-校验意见.xlsx")
    (row,) = list(book[SHEET].iter_rows(min_row=2, values_only=True))
    assert (row[1], row[2], row[6]) == ("V04", "警告·已说明", "确无此项")
    cell = book[sheet][a1]
    assert cell.fill.start_color.rgb.endswith(ACCEPTED_FILL)
    assert "说明：确无此项" in cell.comment.text
