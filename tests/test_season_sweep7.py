"""Fixes from a hostile tester's pass over a messy season (sweep 7), each through the command line."""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
from click.testing import CliRunner, Result

from nianbao.cli import cli
from nianbao.errors import UserError
from nianbao.form import get_form
from nianbao.form.data import filled_return
from nianbao.form.findings import Finding
from nianbao.pipeline.merge import sum_returns
from nianbao.xlsx.writer import write_return
from tests.support.returns import inputs_of, valid_return

FORM = get_form("2021")
YEAR = 2025
DISTRICT = "道外区"
# The roster's 上级单位 of the bureaus directly under the district is the district itself;
# the streets are under a 片区.
UNITS = (
    ("道外区教育局", DISTRICT),
    ("道外区财政局", DISTRICT),
    ("水泥路街道办事处", "东片区"),
    ("太平街道办事处", "东片区"),
)


def run(*args: object) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args])


def district_season(root: Path) -> tuple[Path, Path]:
    """名册.csv and 收回/ with every unit's valid return."""
    roster = root / "名册.csv"
    roster.write_text(
        "单位名称,上级单位\n" + "".join(f"{u},{p}\n" for u, p in UNITS), encoding="utf-8"
    )
    folder = root / "收回"
    folder.mkdir()
    for seed, (unit, _) in enumerate(UNITS):
        ret = valid_return(FORM, seed, unit=unit, year=YEAR)
        write_return(folder / f"{unit}.xlsx", FORM, ret)
    return roster, folder


def district_merge(returns: Path, roster: Path, out: Path, *options: object) -> Result:
    """The district's merge of ``returns`` with its roster, ``options`` more."""
    return run("merge", returns, "--roster", roster, "--name", DISTRICT, *options, "-o", out)


def reconcile_sheet_text(path: Path) -> str:
    book = openpyxl.load_workbook(path)
    sheet = book["核对上报汇总"]
    return " ".join(str(c) for row in sheet.iter_rows(values_only=True) for c in row if c)


# -- --compare: a summary filed by the district is the district's total, not a group's ----------


def test_the_districts_own_earlier_summary_is_reconciled_with_the_total_not_a_group(tmp_path):
    """The roster's 上级单位 of the bureaus is 「道外区」, the district's own name: the total of
    an earlier run (filed by 「道外区」, its 分单位明细 listing all four units) was reconciled
    with the group of the two bureaus, and every cell of it was reported as different (M07)."""
    roster, folder = district_season(tmp_path)
    earlier = tmp_path / "上次汇总.xlsx"
    first = district_merge(folder, roster, earlier)
    assert first.exit_code == 0, first.output
    out = tmp_path / "汇总.xlsx"
    result = district_merge(folder, roster, out, "--compare", earlier)
    assert result.exit_code == 0, result.output
    assert "与各单位报表之和逐格一致，单位名单相同" in result.output
    assert "M07" not in reconcile_sheet_text(out)


def test_a_districts_summary_without_a_breakdown_is_reconciled_with_the_total(tmp_path):
    """Last year's published total, typed into a workbook by the district (no 分单位明细):
    filed by 「道外区」, it is the whole district's, not the group of units under 「道外区」."""
    roster, folder = district_season(tmp_path)
    members = [
        valid_return(FORM, seed, unit=unit, year=YEAR) for seed, (unit, _) in enumerate(UNITS)
    ]
    total = sum_returns(members)
    assert total is not None
    published = tmp_path / "道外区公布的汇总.xlsx"
    ret = filled_return(FORM, inputs_of(total), unit=DISTRICT, year=YEAR)
    write_return(published, FORM, ret)
    out = tmp_path / "汇总.xlsx"
    result = district_merge(folder, roster, out, "--compare", published)
    assert result.exit_code == 0, result.output
    assert "逐格一致" in result.output


def test_a_sub_districts_summary_is_still_reconciled_with_its_group(tmp_path):
    """The 片区's own summary (its two streets) stays reconciled with its group's sum."""
    roster, folder = district_season(tmp_path)
    east = tmp_path / "东片区"
    east.mkdir()
    for unit, parent in UNITS:
        if parent == "东片区":
            (east / f"{unit}.xlsx").write_bytes((folder / f"{unit}.xlsx").read_bytes())
    sent_up = tmp_path / "东片区上报汇总.xlsx"
    made = run("merge", east, "--name", "东片区", "-o", sent_up)
    assert made.exit_code == 0, made.output
    out = tmp_path / "汇总.xlsx"
    result = district_merge(folder, roster, out, "--compare", sent_up)
    assert result.exit_code == 0, result.output
    assert "逐格一致，单位名单相同" in result.output


# -- status: a unit chased while a file named after it names no unit -----------------------------


def test_the_chase_line_names_a_file_without_a_unit_whose_name_holds_the_units_code(tmp_path):
    """「230104002-太平街道.xlsx」 has no 填报单位 on its cover (C01) and its name is not the unit's
    name or code alone, so it is nobody's: 太平街道办事处 was chased as 未报 with no word of it."""
    roster = tmp_path / "名册.csv"
    roster.write_text(
        "单位名称,单位代码\n太平街道办事处,230104002\n道外区财政局,230104004\n", encoding="utf-8"
    )
    folder = tmp_path / "收回"
    folder.mkdir()
    ret = valid_return(FORM, 2, unit="", year=YEAR)
    write_return(folder / "230104002-太平街道.xlsx", FORM, ret)
    write_return(
        folder / "财政局2025年报表(终稿).xlsx", FORM, valid_return(FORM, 3, unit="", year=YEAR)
    )
    result = run("status", folder, "--roster", roster)
    assert result.exit_code == 1, result.output
    chase = next(line for line in result.output.splitlines() if line.startswith("需要催报"))
    taiping = chase.split("、道外区财政局")[0]
    assert "太平街道办事处（未报" in taiping
    assert f"{folder.name}/230104002-太平街道.xlsx" in taiping
    assert "可能就是本单位的报表" in taiping
    # the code as a part of a longer number is no code: 财政局's file names neither
    assert "道外区财政局（未报）" in chase


# -- merge --skip-invalid when no return passed ---------------------------------------------------


def test_skip_invalid_with_no_return_that_passed_says_each_files_errors_and_whom_to_chase(
    tmp_path,
):
    """Every return has an error (a blank template, last year's return): the merge said one
    line, 「没有通过校验的报表可以汇总（共 2 个文件：2 份有错误或无法读取）」, and neither
    which files nor why, nor whom to chase."""
    roster, folder = district_season(tmp_path)
    for path in folder.iterdir():
        path.unlink()
    blank = run("template", "--year", YEAR, "--unit", "道外区教育局", "-o", folder / "教育局.xlsx")
    assert blank.exit_code == 0, blank.output
    last = valid_return(FORM, 1, unit="道外区财政局", year=YEAR - 1)
    write_return(folder / "财政局.xlsx", FORM, last)
    out = tmp_path / "汇总.xlsx"
    result = run("merge", folder, "--roster", roster, "--year", YEAR, "--skip-invalid", "-o", out)
    assert result.exit_code == 1, result.output
    assert not out.exists()
    assert "[C04 错误]" in result.output and "[C03 错误]" in result.output
    assert "教育局.xlsx" in result.output and "财政局.xlsx" in result.output
    assert "加了 --skip-invalid 也没有可以汇总的报表" in result.output
    assert "需要催报的单位" in result.output and "水泥路街道办事处（未报" in result.output


# -- merge --by-parent: where a summary among the returns goes -------------------------------------


def test_by_parent_puts_a_summary_among_the_returns_in_the_group_its_roster_units_share(tmp_path):
    """The bureaus' summary (「区直部门汇总」, not a roster unit, its cover with no 上级单位) counts
    two bureaus whose roster 上级单位 is 「道外区」: it was summed in a group
    「（未填上级单位）」, and the run said 「上级单位「道外区」下的单位都没有可以汇总的报表（未报、
    空白、有错误或无法读取）」 of a unit that had reported."""
    roster, folder = district_season(tmp_path)
    received = tmp_path / "各系统汇总"
    received.mkdir()
    bureau = tmp_path / "教育系统"
    bureau.mkdir()
    for unit in ("道外区教育局", "道外区财政局"):
        (folder / f"{unit}.xlsx").rename(bureau / f"{unit}.xlsx")
    made = run("merge", bureau, "--name", "区直部门汇总", "-o", received / "区直部门.xlsx")
    assert made.exit_code == 0, made.output
    east = tmp_path / "东片区"
    east.mkdir()
    for unit in ("水泥路街道办事处", "太平街道办事处"):
        (folder / f"{unit}.xlsx").rename(east / f"{unit}.xlsx")
    made = run("merge", east, "--name", "东片区", "-o", received / "东片区汇总.xlsx")
    assert made.exit_code == 0, made.output
    out = tmp_path / "汇总.xlsx"
    result = district_merge(received, roster, out, "--by-parent")
    assert result.exit_code == 0, result.output
    assert "没有可以汇总的报表" not in result.output
    groups = tmp_path / "汇总-分组"
    assert sorted(p.name for p in groups.iterdir()) == ["东片区.xlsx", "道外区（直属单位）.xlsx"]
    assert "（未填上级单位）" not in result.output


def test_by_parent_says_a_summary_of_units_under_several_parents_is_summed_whole_in_one_group(
    tmp_path,
):
    """A summary counting a bureau (under 「道外区」) and the two streets (under 「东片区」) cannot
    be split by 上级单位: the run said 「上级单位「东片区」下的单位都没有可以汇总的报表（未报、
    空白、有错误或无法读取）」 of streets that had reported, and nothing of the 道外区 group's
    summary missing the bureau."""
    roster, folder = district_season(tmp_path)
    received = tmp_path / "各系统汇总"
    received.mkdir()
    bureau = tmp_path / "教育局"
    bureau.mkdir()
    (folder / "道外区教育局.xlsx").rename(bureau / "道外区教育局.xlsx")
    made = run("merge", bureau, "--name", "教育系统汇总", "-o", received / "教育.xlsx")
    assert made.exit_code == 0, made.output
    made = run("merge", folder, "--name", "其余单位汇总", "-o", received / "其余.xlsx")
    assert made.exit_code == 0, made.output
    out = tmp_path / "汇总.xlsx"
    result = district_merge(received, roster, out, "--by-parent")
    assert result.exit_code == 0, result.output
    assert "没有可以汇总的报表" not in result.output
    line = next(s for s in result.output.splitlines() if "不能按上级单位拆开" in s)
    assert "其余.xlsx" in line and "东片区" in line and "道外区" in line


# -- --accept: a rule and cells typed in full width ------------------------------------------------


def test_an_explanation_typed_in_full_width_is_read_as_typed_in_half_width(tmp_path):
    """A Chinese input method in full-width mode types 「Ｖ０４」 and 「Ｄ５」: the whole
    explanations file was refused (「第 2 行的规则「Ｖ０４」不是 nianbao 的规则编号」), though
    the unit column is compared width folded."""
    from nianbao.form.layout import layout_for

    path = tmp_path / "道外区教育局.xlsx"
    write_return(path, FORM, valid_return(FORM, 1, unit="道外区教育局", year=YEAR))
    sheet, a1 = layout_for(FORM).address("二:20-1.1:c1")
    book = openpyxl.load_workbook(path)
    book[sheet][a1] = None  # V04: a blank counted as 0
    book.save(path)
    wide = "".join(chr(ord(c) + 0xFEE0) for c in a1)  # 「Ｂ４」
    accept = tmp_path / "说明.csv"
    accept.write_text(
        f"单位,规则,单元格,说明\n道外区教育局,Ｖ０４,{wide},本年没有制发规章\n", encoding="utf-8"
    )
    result = run("check", path, "--accept", accept, "--format", "json")
    assert result.exit_code == 0, result.output
    assert "不是 nianbao 的规则编号" not in result.output
    assert "A01" not in result.output
    assert "本年没有制发规章" in result.output


def test_the_chase_line_does_not_ask_for_the_cover_of_an_archive_named_after_the_unit(tmp_path):
    """A unit that sent its return zipped (「太平街道办事处报表.zip」, 未读取): the chase line
    says the file may be the unit's and is no return it can read, not to fill in its cover."""
    roster = tmp_path / "名册.csv"
    roster.write_text("单位名称,单位代码\n太平街道办事处,230104002\n", encoding="utf-8")
    folder = tmp_path / "收回"
    folder.mkdir()
    with zipfile.ZipFile(folder / "太平街道办事处报表.zip", "w") as archive:
        archive.writestr("太平街道办事处.xlsx", b"")
    result = run("status", folder, "--roster", roster)
    chase = next(line for line in result.output.splitlines() if line.startswith("需要催报"))
    assert "太平街道办事处报表.zip（未读取）" in chase
    assert "不是可以读取的统计表" in chase
    assert "封面" not in chase


# -- the roster: a code Excel saved in scientific notation -----------------------------------------


def test_a_roster_code_saved_as_excel_showed_it_in_scientific_notation_is_refused(tmp_path):
    """Excel shows a 12-digit code as 「2.30104E+11」 and saves the CSV so: the code was taken as
    given, matched no template's code, and the unit was chased as 未报 though it had reported.
    A 统一社会信用代码 holding an E (no +) is a code like any other."""
    roster = tmp_path / "名册.csv"
    roster.write_text(
        "单位名称,单位代码\n水泥路街道办事处,2.30104E+11\n太平街道办事处,112301044000000E12\n",
        encoding="utf-8",
    )
    folder = tmp_path / "收回"
    folder.mkdir()
    write_return(folder / "a.xlsx", FORM, valid_return(FORM, 1, unit="太平街道办事处", year=YEAR))
    result = run("status", folder, "--roster", roster)
    assert isinstance(result.exception, UserError) and result.exception.exit_code == 2
    said = str(result.exception)
    assert "第 2 行的单位代码「2.30104E+11」是科学记数法" in said
    assert "第 3 行" not in said


# -- status: units whose figures are in a sub-district's summary left among the returns ----------


def test_units_only_in_a_summary_that_cannot_be_summed_are_chased_saying_where_they_are(tmp_path):
    """东片区 sent its summary of its two streets, which lies among the bureaus' returns (M08):
    the streets were chased as 未报 with no word that their figures had come, and the
    summary was to be 「移出收回报表的文件夹」, which leaves them out of the district's."""
    roster, folder = district_season(tmp_path)
    east = tmp_path / "东片区"
    east.mkdir()
    for unit in ("水泥路街道办事处", "太平街道办事处"):
        (folder / f"{unit}.xlsx").rename(east / f"{unit}.xlsx")
    made = run("merge", east, "--name", "东片区", "-o", folder / "东片区汇总.xlsx")
    assert made.exit_code == 0, made.output
    result = run("status", folder, "--roster", roster)
    assert result.exit_code == 1, result.output
    rows = [line for line in result.output.splitlines() if line.startswith("  未报 | ")]
    assert len(rows) == 2
    assert all("含在汇总表" in row and "东片区汇总.xlsx" in row for row in rows)
    chase = next(line for line in result.output.splitlines() if line.startswith("需要催报"))
    assert chase.count("东片区汇总.xlsx") == 2
    assert "移出它就没有计入这些单位" in result.output


def test_an_earlier_total_left_among_the_returns_is_not_said_to_hold_a_missing_units_figures(
    tmp_path,
):
    """The district's total of an earlier run, left in 收回/, counts every unit; one unit's
    return has since been taken out: its old figures are no reason to keep that total."""
    roster, folder = district_season(tmp_path)
    made = run("merge", folder, "--roster", roster, "-o", folder / "上次汇总.xlsx")
    assert made.exit_code == 0, made.output
    (folder / "太平街道办事处.xlsx").unlink()
    result = run("status", folder, "--roster", roster)
    assert "未报 | 太平街道办事处 | —\n" in result.output
    assert "含在汇总表" not in result.output
    assert "移出它就没有计入这些单位" not in result.output


# -- a unit's second return under a shorter name ---------------------------------------------------


def test_a_return_under_a_reported_units_shorter_name_is_said_to_be_counted_twice(tmp_path):
    """水泥路街道办事处 reported, then sent its 「终稿」 with 「水泥路街道」 on the cover and other
    figures: status said only M05 (not on the roster), and merge summed both returns, exit 0,
    with 「不在名册中的单位 1 个（其中 1 个已计入汇总）」 as the only word of it."""
    roster, folder = district_season(tmp_path)
    final = valid_return(FORM, 11, unit="水泥路街道", year=YEAR)
    write_return(folder / "水泥路街道(终稿).xlsx", FORM, final)
    for command in ("status", "merge"):
        out = ("-o", tmp_path / "汇总.xlsx") if command == "merge" else ()
        result = run(command, folder, "--roster", roster, *out)
        line = next(s for s in result.output.splitlines() if s.startswith("可能重复报送"))
        assert "「水泥路街道」" in line and "水泥路街道(终稿).xlsx" in line
        assert "「水泥路街道办事处」" in line and "水泥路街道办事处.xlsx" in line
        assert "汇总时两份都会计入" in line


# -- the roster's codes renumbered after the templates were issued ---------------------------------


def test_codes_renumbered_after_the_templates_were_issued_do_not_move_returns_to_other_units(
    tmp_path,
):
    """Templates issued from a roster numbered 001–003; then 新设局 is inserted as 002 and the
    codes after it renumbered. 乙局's return (template code 002, cover and issued name 乙局)
    was taken for 新设局's with M14, 丙局's for 乙局's: 新设局 was to correct a return it never
    sent, and the merge took 乙局 and 新设局 for one unit (M01, one code)."""
    from tests.support.season import fill

    first = tmp_path / "名册-下发时.csv"
    first.write_text(
        "单位名称,单位代码\n甲局,230104001\n乙局,230104002\n丙局,230104003\n", encoding="utf-8"
    )
    issued = tmp_path / "下发"
    assert run("template", "--year", YEAR, "--roster", first, "--out-dir", issued).exit_code == 0
    roster = tmp_path / "名册.csv"
    roster.write_text(
        "单位名称,单位代码\n甲局,230104001\n新设局,230104002\n乙局,230104003\n丙局,230104004\n",
        encoding="utf-8",
    )
    again = tmp_path / "补发"
    assert run("template", "--year", YEAR, "--roster", roster, "--out-dir", again).exit_code == 0
    folder = tmp_path / "收回"
    templates = {
        "甲局": issued,
        "乙局": issued,
        "丙局": issued,
        "新设局": again,
    }
    for seed, (unit, where) in enumerate(templates.items()):
        template = next(where.glob(f"{unit}-*.xlsx"))
        inputs = inputs_of(valid_return(FORM, seed, unit=unit, year=YEAR))
        fill(template, folder / f"{unit}.xlsx", inputs, {})
    result = run("status", folder, "--roster", roster)
    rows = [line for line in result.output.splitlines() if line.startswith("  ")]
    for unit in templates:
        (row,) = [r for r in rows if f"| {unit}（" in r]
        assert f"收回/{unit}.xlsx" in row, row
    assert "M14" not in result.output
    out = tmp_path / "汇总.xlsx"
    merged = run("merge", folder, "--roster", roster, "-o", out)
    assert merged.exit_code == 0, merged.output
    assert "4 份报表已汇总" in merged.output
    book = openpyxl.load_workbook(out)
    said = " ".join(str(c) for row in book["校验问题"].iter_rows(values_only=True) for c in row)
    assert "单位代码 230104002 在名册中现在是「新设局」的（名册中本单位的代码是 230104003）" in said


def test_the_chase_line_names_a_file_without_a_unit_in_a_folder_named_after_the_unit(tmp_path):
    """An OA system's download keeps each unit's attachment in a folder of its own
    (「230104002_太平街道办事处/统计表.xlsx」): with no 填报单位 on the cover, the unit was chased
    as 未报 with no word of the file in its folder."""
    roster = tmp_path / "名册.csv"
    roster.write_text("单位名称,单位代码\n太平街道办事处,230104002\n", encoding="utf-8")
    folder = tmp_path / "收回"
    (folder / "230104002_太平街道办事处").mkdir(parents=True)
    ret = valid_return(FORM, 2, unit="", year=YEAR)
    write_return(folder / "230104002_太平街道办事处" / "统计表.xlsx", FORM, ret)
    result = run("status", folder, "--roster", roster)
    chase = next(line for line in result.output.splitlines() if line.startswith("需要催报"))
    assert "230104002_太平街道办事处/统计表.xlsx" in chase
    assert "可能就是本单位的报表" in chase


# -- merge --by-parent: the units directly under the district -------------------------------------


def test_the_group_of_units_directly_under_the_district_is_not_named_as_the_district(tmp_path):
    """The bureaus' 上级单位 is the district itself: their group's summary was filed as
    「道外区」, with only the bureaus' figures, beside the district's total — published or summed
    for the city as the district's report, it would leave out the streets."""
    from nianbao.pipeline.check import read_one

    roster, folder = district_season(tmp_path)
    out = tmp_path / "汇总.xlsx"
    result = district_merge(folder, roster, out, "--by-parent")
    assert result.exit_code == 0, result.output
    group = read_one(tmp_path / "汇总-分组" / "道外区（直属单位）.xlsx")
    assert not isinstance(group, Finding)
    assert group.unit == "道外区（直属单位）" and group.parent == DISTRICT
    assert group.member_names == ("道外区教育局", "道外区财政局")
    total = read_one(out)
    assert not isinstance(total, Finding) and total.unit == DISTRICT


def test_a_group_of_every_unit_under_the_district_is_the_total_and_keeps_its_name(tmp_path):
    """Every unit's 上级单位 is the district: the one group is the total itself, filed as the
    district (a 「（直属单位）」 would say it is a part)."""
    roster, folder = district_season(tmp_path)
    roster.write_text(
        "单位名称,上级单位\n" + "".join(f"{u},{DISTRICT}\n" for u, _ in UNITS), encoding="utf-8"
    )
    result = district_merge(folder, roster, tmp_path / "汇总.xlsx", "--by-parent")
    assert result.exit_code == 0, result.output
    assert [p.name for p in (tmp_path / "汇总-分组").iterdir()] == ["道外区.xlsx"]
