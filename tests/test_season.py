"""A coordinator's season end to end (tests/support/season.py builds it): status, merge with
last year, explanations and a sub-district's summary, groups by 上级单位 — each output checked
figure by figure against the figures the scenario planted."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from nianbao.checks.compare import KEY_FIGURES, SWING_RULE
from nianbao.form.layout import layout_for
from nianbao.recognise.reader import read_return
from nianbao.xlsx.summary import (
    BREAKDOWN_SHEET,
    FINDINGS_SHEET,
    LIKE_FOR_LIKE,
    RECONCILE_SHEET,
    STATUS_SHEET,
    TOTAL_LABEL,
    YEAR_SHEET,
)
from tests.support.season import (
    BY_NAME,
    EAST,
    FORM,
    RENAMED_COVER,
    SENT_UP_EXTRA,
    STOCK,
    UNITS,
    WEST,
    X3_GAP,
    Season,
    build,
    run,
    run_district_merge,
    sent_up_members,
)
from tests.test_check_cli import documented_keys

# What each roster unit is, once its return is checked with last year's and the explanations.
EXPECTED_STATUS = {
    "东城甲街道办事处": "已报通过",
    "东城乙街道办事处": "有警告",  # M06: renamed on the cover, found by its code
    "东城丙局": "未填写",
    "东城丁局": "未报",
    "东城戊局": "已报通过",  # its X3 is explained
    "东城己镇人民政府": "有错误",  # E1; the explanation offered for it is refused
    "西城甲局": "有警告",  # X6: the same figures as last year
    "西城乙局": "已报通过",  # X5 (新收, 办结) explained by code 230104008
    "西城丙街道办事处": "已报通过",
    "西城丁街道办事处": "有警告",  # X7: no return last year, said (not passed over in silence)
    "西城戊局": "已报通过",
    "西城己局": "文件无法读取",
}
MERGED = [u.name for u in UNITS if EXPECTED_STATUS[u.name] in ("已报通过", "有警告")]


@pytest.fixture(scope="module")
def season(tmp_path_factory) -> Season:
    return build(tmp_path_factory.mktemp("season"))


def rows_of(path: Path, sheet: str) -> list[tuple]:
    return list(openpyxl.load_workbook(path, data_only=True)[sheet].iter_rows(values_only=True))


def number(value: object) -> Decimal:
    return Decimal(str(value))


# -- status -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def status(season):
    out = season.root / "报送情况.xlsx"
    args = ("status", season.returns, "--roster", season.roster, "--previous", season.last_year)
    text = run(*args, "--accept", season.accept, "-o", out)
    data = run(*args, "--accept", season.accept, "--format", "json")
    return text, json.loads(data.stdout), out


def test_status_lists_every_roster_unit_once_with_its_word_file_problems_and_contacts(status):
    text, _, _ = status
    assert text.exit_code == 2  # 西城己局's file cannot be read (and there are units to chase)
    lines = [line.strip() for line in text.output.splitlines() if " | " in line]
    assert len(lines) == len(UNITS)
    for unit, line in zip(UNITS, lines, strict=True):
        word, name, file, *rest = line.split(" | ")
        assert word == EXPECTED_STATUS[unit.name], line
        assert name.startswith(f"{unit.name}（{unit.code}）")
        assert rest[-1] == f"联系人：{unit.person} 联系电话：{unit.phone} 邮箱：{unit.email}"
        if word == "未报":
            assert file == "—"
        else:
            assert file.endswith(f"{unit.name}.xlsx")
    by_unit = dict(zip((u.name for u in UNITS), lines, strict=True))
    assert f"［封面：{RENAMED_COVER}］" in by_unit["东城乙街道办事处"]
    assert "M06" in by_unit["东城乙街道办事处"]
    assert "C04" in by_unit["东城丙局"]
    assert "X3 已说明：2025 年集中清理" in by_unit["东城戊局"]
    assert "E1 本年新收＋上年结转≠办理结果总计＋结转下年度（2 处）" in by_unit["东城己镇人民政府"]
    assert "X6" in by_unit["西城甲局"] and "X5 已说明：2025 年开展专项整治" in by_unit["西城乙局"]
    assert "已损坏或不完整" in by_unit["西城己局"]
    counts = "已报通过 5，有警告 3，有错误 1，未填写 1，未报 1，文件无法读取 1"
    assert f"报送情况（名册 12 个单位）：{counts}。" in text.output


def test_status_names_whom_to_chase_and_the_explanations_that_do_not_apply(status):
    text, _, _ = status
    chase = next(line for line in text.output.splitlines() if line.startswith("需要催报"))
    assert chase.startswith("需要催报的单位 3 个：东城丙局（未填写，王芳 0451-88010003")
    assert "东城丁局（未报，赵强" in chase and "西城己局（文件无法读取，褚红" in chase
    # the E1 offered for 东城己镇 is refused (A02); the V04 for 西城戊局 matches nothing (A01)
    assert "[A02 警告] 说明文件第 4 行（单位「东城己镇人民政府」，规则 E1" in text.output
    assert (
        "[A01 警告] 说明文件第 5 行（单位「西城戊局」，规则 V04，D8）没有对应任何问题"
        in text.output
    )


def test_status_json_carries_the_same_rows_counts_and_contacts(status):
    _, data, _ = status
    assert [u["unit"] for u in data["units"]] == [u.name for u in UNITS]
    assert [u["status_text"] for u in data["units"]] == [EXPECTED_STATUS[u.name] for u in UNITS]
    assert data["counts"] == {
        "passed": 5,
        "warnings": 3,
        "errors": 1,
        "blank": 1,
        "missing": 1,
        "unreadable": 1,
        "not_read": 0,
    }
    renamed = data["units"][1]
    assert renamed["cover_name"] == RENAMED_COVER and renamed["code"] == "230104002"
    assert data["units"][0]["contacts"] == {
        "联系人": "张明",
        "联系电话": "0451-88010001",
        "邮箱": "gk001@example.cn",
    }
    accepted = [f for f in data["units"][4]["findings"] if f["accepted"]]
    assert [(f["rule"], f["explanation"][:10]) for f in accepted] == [("X3", "2025 年集中清理")]
    assert {n["rule"] for n in data["notes"]} == {"A01", "A02"}
    keys = documented_keys()
    assert set(data) == keys["status: top level"] - {"output"}  # output: only with -o
    for unit in data["units"]:
        assert set(unit) == keys["status: units[]"]


def test_status_workbook_has_a_row_per_unit_with_problems_and_contact_columns(status):
    _, _, out = status
    rows = rows_of(out, STATUS_SHEET)
    header = rows[1]
    assert header == (
        "单位名称",
        "上级单位",
        "单位代码",
        "状态",
        "错误数",
        "警告数",
        "文件",
        "问题",
        "联系人",
        "联系电话",
        "邮箱",
    )
    body = rows[2:]
    assert [r[0] for r in body] == [u.name for u in UNITS]
    for unit, row in zip(UNITS, body, strict=True):
        assert row[1:4] == (unit.parent, unit.code, EXPECTED_STATUS[unit.name])
        assert row[8:] == (unit.person, unit.phone, unit.email)
    assert body[5][4] == 2 and body[3][4] is None  # E1 twice; nothing counted for the missing


# -- the merge --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def merged(season):
    out = season.root / "区汇总.xlsx"
    result = run_district_merge(season, out, "--by-parent")
    return result, out


def sums(season: Season, names: list[str]) -> dict[str, Decimal]:
    return {
        cell.key: sum((number(season.completed(n)[cell.key]) for n in names), Decimal(0))
        for cell in FORM.cells
    }


def test_the_summary_is_the_cell_wise_sum_of_the_units_that_passed(season, merged):
    result, out = merged
    assert "8 份报表已汇总" in result.output
    assert "未报 1 个单位：东城丁局（赵强 0451-88010004 gk004@example.cn）。" in result.output
    summary = read_return(out)
    expected = sums(season, MERGED)
    for cell in FORM.cells:
        assert number(summary.values[cell.key]) == expected[cell.key], cell.key
    assert (summary.unit, summary.year, summary.members) == ("某某区", 2025, 8)


def test_the_breakdown_lists_members_by_roster_name_and_code(season, merged):
    _, out = merged
    rows = rows_of(out, BREAKDOWN_SHEET)
    body = rows[2:-1]
    assert [r[0] for r in body] == MERGED  # roster order, the renamed unit under its roster name
    tail = len(FORM.cells) + 1
    for row in body:
        unit = BY_NAME[row[0]]
        assert row[tail : tail + 2] == (unit.parent, unit.code)
        for k, cell in enumerate(FORM.cells, start=1):
            assert number(row[k]) == number(season.completed(unit.name)[cell.key])
    assert rows[-1][0] == TOTAL_LABEL


def test_explained_findings_show_their_reason_and_a_refused_error_still_counts(merged):
    result, out = merged
    findings = rows_of(out, FINDINGS_SHEET)[2:]
    explained = {(r[0], r[2]): r for r in findings if r[3].endswith("已说明")}
    assert set(explained) == {("东城戊局", "X3"), ("西城乙局", "X5")}
    assert explained[("东城戊局", "X3")][7].startswith("2025 年集中清理")
    assert any(r[2] == "E1" and r[3] == "错误" for r in findings)
    assert any(r[2] == "A02" and "汇总时错误不能以说明放行" in r[6] for r in findings)
    assert any(r[2] == "A01" and "西城戊局" in r[6] for r in findings)
    assert any(r[2] == "M06" and RENAMED_COVER in r[6] for r in findings)
    assert "[A02 警告]" in result.output and "[A01 警告]" in result.output


def test_year_on_year_gives_each_unit_and_the_total_this_year_last_year_and_the_change(
    season, merged
):
    result, out = merged
    rows = rows_of(out, YEAR_SHEET)
    body = {r[0]: r for r in rows[3:] if r[0] and (r[0] in BY_NAME or r[0].startswith("合计"))}
    assert [name for name in body if name in BY_NAME] == MERGED
    for name in MERGED:
        row = body[name]
        for k, figure in enumerate(KEY_FIGURES):
            now = sum(number(season.completed(name)[key]) for key in figure.keys)
            assert number(row[1 + 3 * k]) == now, (name, figure.name)
            if name == "西城丁街道办事处":
                assert row[2 + 3 * k] == "—" and row[3 + 3 * k] == "—"
            else:
                before = sum(number(season.before(name)[key]) for key in figure.keys)
                assert number(row[2 + 3 * k]) == before, (name, figure.name)
                assert number(row[3 + 3 * k]) == now - before
    flags = {name: body[name][-1] for name in MERGED}
    assert flags["西城甲局"] == "雷同"
    assert flags["西城乙局"] == "波动：新收、办结"
    assert flags["西城丁街道办事处"] == "无上年报表"
    assert all(
        not flags[n] for n in MERGED if n not in ("西城甲局", "西城乙局", "西城丁街道办事处")
    )
    total = body[f"{TOTAL_LABEL}（某某区）"]
    last_units = [u.name for u in UNITS if u.name != "西城丁街道办事处"]
    for k, figure in enumerate(KEY_FIGURES):
        before = sum(number(season.before(n)[key]) for n in last_units for key in figure.keys)
        now = sum(number(season.completed(n)[key]) for n in MERGED for key in figure.keys)
        assert (number(total[1 + 3 * k]), number(total[2 + 3 * k])) == (now, before)
    both = [n for n in MERGED if n != "西城丁街道办事处"]
    (like,) = [
        r for r in rows if str(r[0]).startswith(f"{LIKE_FOR_LIKE}（两年都有报表的 7 个单位）")
    ]
    for k, figure in enumerate(KEY_FIGURES):
        before = sum(number(season.before(n)[key]) for n in both for key in figure.keys)
        now = sum(number(season.completed(n)[key]) for n in both for key in figure.keys)
        assert (number(like[1 + 3 * k]), number(like[2 + 3 * k])) == (now, before)
        assert number(like[3 + 3 * k]) == now - before
    notes = " ".join(str(r[0]) for r in rows if r[0])
    assert SWING_RULE in notes
    assert "没有上年报表的单位 1 个：西城丁街道办事处" in result.output
    assert "上年有报表、本年未汇总的单位 4 个：东城丁局、东城丙局、东城己镇人民政府、西城己局" in (
        result.output
    )


def test_the_explained_X3_names_the_planted_gap(merged):
    """东城戊局's 现行有效件数 is 5 short of last year's stock + issued − repealed."""
    _, out = merged
    findings = rows_of(out, FINDINGS_SHEET)[2:]
    (x3,) = [r for r in findings if (r[0], r[2]) == ("东城戊局", "X3")]
    assert x3[5] == layout_for(FORM).address(STOCK)[1]
    assert f"相差 {X3_GAP}" in x3[6]


# -- reconciling the sub-district's summary -------------------------------------------------------


def test_the_sub_districts_summary_is_reconciled_with_its_groups_sum_cell_by_cell(season, merged):
    result, out = merged
    # the summary that was sent up does not agree (1); 西城己局's file cannot be read (2)
    assert result.exit_code == 2
    east = [n for n in MERGED if BY_NAME[n].parent == EAST]
    ours = sums(season, east)
    theirs = {cell.key: Decimal(0) for cell in FORM.cells}
    for member in sent_up_members(season):
        for cell in FORM.cells:
            theirs[cell.key] += number(member.completed()[cell.key])
    differing = [c for c in FORM.cells if ours[c.key] != theirs[c.key]]
    rows = [r for r in rows_of(out, RECONCILE_SHEET)[2:] if r[1] and r[3] is not None]
    layout = layout_for(FORM)
    assert [(r[0], r[1]) for r in rows] == [
        (f"表{layout.address(c.key)[0].split('、')[0]}", layout.address(c.key)[1])
        for c in differing
    ]
    for row, cell in zip(rows, differing, strict=True):
        assert (number(row[3]), number(row[4])) == (theirs[cell.key], ours[cell.key])
        assert number(row[5]) == theirs[cell.key] - ours[cell.key]
        assert row[2] == cell.description
    text = " ".join(str(r[0]) for r in rows_of(out, RECONCILE_SHEET) if r[0])
    assert "只在上报汇总表中的单位：东城丁局" in text
    assert "「东城甲街道办事处」的数字与上报汇总表的分单位明细不同" in text
    assert f"核对上报汇总表 {season.sent_up}：不一致。" in result.output
    assert f"{len(differing)} 个单元格不同" in result.output


def test_the_planted_difference_in_东城甲_is_named_with_both_figures(season, merged):
    _, out = merged
    text = " ".join(str(r[0]) for r in rows_of(out, RECONCILE_SHEET) if r[0])
    sheet, a1 = layout_for(FORM).address("三:1:c1")
    mine = season.completed("东城甲街道办事处")["三:1:c1"]
    assert f"表三 {a1} 上报 {mine + SENT_UP_EXTRA}、本次 {mine}" in text


# -- groups -----------------------------------------------------------------------------------


def test_by_parent_writes_one_valid_summary_per_parent_whose_sum_is_the_total(season, merged):
    result, out = merged
    folder = out.with_name(f"{out.stem}-分组")
    total = read_return(out)
    added = {cell.key: Decimal(0) for cell in FORM.cells}
    for parent in (EAST, WEST):
        path = folder / f"{parent}.xlsx"
        assert f"{parent}（" in result.output
        group = read_return(path)
        names = [n for n in MERGED if BY_NAME[n].parent == parent]
        assert (group.unit, group.parent, group.kind, group.members) == (
            parent,
            "某某区",
            "summary",
            len(names),
        )
        expected = sums(season, names)
        for cell in FORM.cells:
            assert number(group.values[cell.key]) == expected[cell.key]
            added[cell.key] += number(group.values[cell.key])
        status = rows_of(path, STATUS_SHEET)[2:]
        assert [r[0] for r in status] == [u.name for u in UNITS if u.parent == parent]
        check = run("check", path, "--year", 2025)
        assert check.exit_code == 0, check.output
    for cell in FORM.cells:
        assert added[cell.key] == number(total.values[cell.key])


def test_a_blocked_merge_still_says_whom_to_chase(season):
    result = run("merge", season.returns, "--roster", season.roster, "-o", season.root / "x.xlsx")
    assert result.exit_code == 2  # blocked, and 西城己局's file cannot be read
    assert "未生成汇总表" in result.output
    assert "需要催报的单位 3 个：东城丙局（未填写" in result.output
    assert not (season.root / "x.xlsx").exists()
