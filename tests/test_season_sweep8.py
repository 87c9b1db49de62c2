"""Fixes from a hostile tester's pass over a messy season (sweep 8), each through the command line."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import openpyxl
from click.testing import CliRunner, Result

from nianbao.cli import cli
from nianbao.errors import UserError
from nianbao.form import get_form
from nianbao.form.data import filled_return
from nianbao.pipeline.merge import sum_returns
from nianbao.xlsx.writer import write_return
from tests.support.returns import consistent_previous, inputs_of, valid_return

FORM = get_form("2021")
YEAR = 2025


def run(*args: object) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args])


def unit_return(path: Path, unit: str, code: str | None = None, seed: int = 1) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    write_return(path, FORM, valid_return(FORM, seed, unit=unit, year=YEAR), code=code)
    return path


def roster(path: Path, *rows: tuple[str, str]) -> Path:
    path.write_text("单位名称,上级单位\n" + "".join(f"{u},{p}\n" for u, p in rows), "utf-8")
    return path


# -- a 片区 among the roster's 上级单位 is no district ---------------------------------------------


def test_a_bureau_saying_only_qu_is_the_rosters_though_streets_are_under_pianqu(tmp_path):
    """The streets' 上级单位 is 「东片区」「西片区」: taken for two more districts beside 道外区,
    the district was no longer known, and the cover 「区财政局」 was not the roster's
    「道外区财政局」 (M05, the bureau chased as 未报)."""
    names = roster(
        tmp_path / "名册.csv",
        ("道外区财政局", "道外区"),
        ("太平街道办事处", "东片区"),
        ("南马街道办事处", "西片区"),
    )
    folder = tmp_path / "收回"
    unit_return(folder / "区财政局.xlsx", "区财政局", seed=1)
    unit_return(folder / "太平.xlsx", "太平街道办事处", seed=2)
    unit_return(folder / "南马.xlsx", "南马街道办事处", seed=3)
    result = run("status", folder, "--roster", names)
    assert "M05" not in result.output, result.output
    assert "M06" in result.output
    assert result.exit_code == 0, result.output


def test_a_street_with_its_district_before_it_is_not_another_districts_under_pianqu(tmp_path):
    """A roster of streets under two 片区: 「道外区太平街道办事处」 was said to be another
    district's (「名册中的单位不在道外区」), for 东片区 was taken for a district."""
    names = roster(
        tmp_path / "名册.csv", ("太平街道办事处", "东片区"), ("南马街道办事处", "西片区")
    )
    folder = tmp_path / "收回"
    unit_return(folder / "太平.xlsx", "道外区太平街道办事处", seed=2)
    unit_return(folder / "南马.xlsx", "南马街道办事处", seed=3)
    result = run("status", folder, "--roster", names)
    assert "别的地区" not in result.output, result.output
    assert "M05" not in result.output
    assert "太平街道办事处" in result.output and "M06" in result.output
    assert result.exit_code == 0, result.output


# -- --previous: a return the roster knows by its place is paired with that unit's last year ----


def test_last_years_return_is_found_for_a_cover_saying_only_qu(tmp_path):
    """The roster knows the cover 「区财政局」 as its 「道外区财政局」 (M06), but last year's
    return of 「道外区财政局」 was not found for it: the merge said both 「没有上年报表的单位：
    道外区财政局」 and 「上年有报表、本年未汇总的单位：道外区财政局」, and X1 went unchecked."""
    names = roster(tmp_path / "名册.csv", ("道外区财政局", "道外区"), ("道外区教育局", "道外区"))
    folder, last = tmp_path / "收回", tmp_path / "去年"
    folder.mkdir()
    last.mkdir()
    for cover, unit, seed in (("区财政局", "道外区财政局", 1), ("道外区教育局", "道外区教育局", 2)):
        ret = valid_return(FORM, seed, unit=cover, year=YEAR)
        write_return(folder / f"{cover}.xlsx", FORM, ret)
        write_return(last / f"{unit}.xlsx", FORM, replace(consistent_previous(ret), unit=unit))
    out = tmp_path / "汇总.xlsx"
    result = run("merge", folder, "--roster", names, "--previous", last, "-o", out)
    assert result.exit_code == 0, result.output
    assert "没有上年报表的单位" not in result.output
    assert "本年未汇总的单位" not in result.output
    checked = run("check", folder / "区财政局.xlsx", "--previous", last)
    assert "X7" not in checked.output, checked.output


# -- a roster whose 上级单位 is one merged cell over its units -------------------------------------


def test_a_parent_merged_over_several_units_of_an_xlsx_roster_is_each_units(tmp_path):
    """Offices merge the 上级单位 cell over the units under it: only the first unit got the
    parent, the others none, so --by-parent split the 片区 and put its second street in
    「（未填上级单位）」."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["道外区2025年报送名册"])
    sheet.merge_cells("A1:C1")
    sheet.append(["上级单位", "单位名称", "联系人"])
    for row in (
        ("道外区", "道外区财政局", "张三"),
        (None, "道外区教育局", "李四"),
        ("东片区", "太平街道办事处", "赵六"),
        (None, "水泥路街道办事处", "钱七"),
    ):
        sheet.append(list(row))
    sheet.merge_cells("A3:A4")
    sheet.merge_cells("A5:A6")
    names = tmp_path / "名册.xlsx"
    book.save(names)
    folder = tmp_path / "收回"
    for seed, unit in enumerate(
        ("道外区财政局", "道外区教育局", "太平街道办事处", "水泥路街道办事处")
    ):
        unit_return(folder / f"{unit}.xlsx", unit, seed=seed)
    out = tmp_path / "汇总.xlsx"
    result = run("merge", folder, "--roster", names, "--by-parent", "-o", out)
    assert result.exit_code == 0, result.output
    assert "东片区（2 个单位）" in result.output
    assert "未填上级单位" not in result.output
    listed = openpyxl.load_workbook(out)["报送情况"]
    parents = {row[0]: row[1] for row in listed.iter_rows(min_row=3, values_only=True)}
    assert parents["水泥路街道办事处"] == "东片区"
    assert parents["道外区教育局"] == "道外区"


def test_units_the_roster_leaves_without_a_parent_are_not_said_to_have_nothing_to_sum(tmp_path):
    """The roster leaves the bureaus' 上级单位 blank and the templates were issued with
    --parent 道外区: their returns are summed in the group of 道外区, yet the merge said
    「上级单位「（未填上级单位）」下的单位都没有可以汇总的报表」."""
    names = roster(
        tmp_path / "名册.csv",
        ("道外区财政局", ""),
        ("道外区教育局", ""),
        ("太平街道办事处", "东片区"),
    )
    folder = tmp_path / "收回"
    folder.mkdir()
    for seed, unit in enumerate(("道外区财政局", "道外区教育局", "太平街道办事处")):
        ret = valid_return(FORM, seed, unit=unit, year=YEAR, parent="道外区")
        write_return(folder / f"{unit}.xlsx", FORM, ret)
    out = tmp_path / "汇总.xlsx"
    result = run("merge", folder, "--roster", names, "--by-parent", "-o", out)
    assert result.exit_code == 0, result.output
    assert "道外区（2 个单位）" in result.output
    assert "没有可以汇总的报表" not in result.output, result.output


# -- status: a return known by the roster under another name is counted again in a summary ------


def test_a_return_known_by_its_code_is_said_counted_twice_with_the_summary_listing_it(tmp_path):
    """Last run's total left among the returns lists 「道外区财政局」 (code 001); the bureau's
    return says 「区财政局」 on a template of code 001. Every other unit was said to be in both
    (M01), this one not, and the header counted one unit fewer 「报送了不止一份」."""
    names = tmp_path / "名册.csv"
    names.write_text(
        "单位名称,上级单位,单位代码\n道外区财政局,道外区,001\n道外区教育局,道外区,002\n", "utf-8"
    )
    folder = tmp_path / "收回"
    unit_return(folder / "道外区财政局.xlsx", "道外区财政局", "001", seed=1)
    unit_return(folder / "道外区教育局.xlsx", "道外区教育局", "002", seed=2)
    earlier = tmp_path / "上次汇总.xlsx"
    made = run("merge", folder, "--roster", names, "--name", "道外区", "-o", earlier)
    assert made.exit_code == 0, made.output
    unit_return(folder / "道外区财政局.xlsx", "区财政局", "001", seed=1).replace(
        folder / "区财政局.xlsx"
    )
    (folder / "上次汇总.xlsx").write_bytes(earlier.read_bytes())
    result = run("status", folder, "--roster", names)
    assert "2 个单位报送了不止一份" in result.output, result.output
    assert "单位「道外区财政局」同时计入了 2 份报表" in result.output


def test_the_code_a_renamed_cover_was_identified_by_stands_apart_from_the_words(tmp_path):
    """「已按单位代码 001认定为…」: the code ran into the next word."""
    names = tmp_path / "名册.csv"
    names.write_text("单位名称,单位代码\n道外区财政局,001\n", "utf-8")
    folder = tmp_path / "收回"
    unit_return(folder / "财政.xlsx", "区财政局", "001")
    result = run("status", folder, "--roster", names, "--format", "json")
    assert "已按单位代码 001 认定为「道外区财政局」" in result.output, result.output


# -- a roster kept on two sheets ---------------------------------------------------------------


def test_a_roster_with_its_units_on_two_sheets_is_refused_naming_them(tmp_path):
    """区直部门 on one sheet, 街道 on another: only the first was read, the streets were 「不在名册
    中」 and one that sent nothing was never chased."""
    book = openpyxl.Workbook()
    first = book.active
    first.title = "区直部门"
    first.append(["单位名称", "上级单位"])
    first.append(["道外区财政局", "道外区"])
    second = book.create_sheet("街道")
    second.append(["单位名称", "上级单位"])
    second.append(["太平街道办事处", "东片区"])
    second.append(["南马街道办事处", "西片区"])
    names = tmp_path / "名册.xlsx"
    book.save(names)
    folder = tmp_path / "收回"
    unit_return(folder / "财政.xlsx", "道外区财政局")
    unit_return(folder / "太平.xlsx", "太平街道办事处", seed=2)
    result = run("status", folder, "--roster", names)
    assert isinstance(result.exception, UserError), result.output
    assert "2 个工作表都有「单位名称」列（「区直部门」、「街道」）" in str(result.exception)
    issued = run("template", "--year", YEAR, "--roster", names, "--out-dir", tmp_path / "下发")
    assert isinstance(issued.exception, UserError), issued.output
    assert not (tmp_path / "下发").exists()


# -- --compare: a summary of another year ------------------------------------------------------


def test_a_summary_of_another_year_given_to_compare_is_said_to_be_of_that_year(tmp_path):
    """Last year's published total given to --compare by mistake: every cell was listed as
    different (192 of them), and nothing said the two were of different years."""
    names = roster(tmp_path / "名册.csv", ("道外区财政局", "道外区"), ("道外区教育局", "道外区"))
    folder, last = tmp_path / "收回", tmp_path / "去年"
    for seed, unit in enumerate(("道外区财政局", "道外区教育局")):
        unit_return(folder / f"{unit}.xlsx", unit, seed=seed)
        last.mkdir(exist_ok=True)
        ret = valid_return(FORM, seed + 10, unit=unit, year=YEAR - 1)
        write_return(last / f"{unit}.xlsx", FORM, ret)
    published = tmp_path / "去年汇总.xlsx"
    made = run("merge", last, "--roster", names, "--name", "道外区", "-o", published)
    assert made.exit_code == 0, made.output
    out = tmp_path / "汇总.xlsx"
    result = run(
        "merge", folder, "--roster", names, "--name", "道外区", "--compare", published, "-o", out
    )
    assert result.exit_code == 1, result.output
    assert f"上报的汇总表是 {YEAR - 1} 年度的，本次汇总是 {YEAR} 年度的" in result.output
    assert "个单元格不同" not in result.output
    assert "。。" not in result.output


def test_a_pianqus_own_report_among_its_streets_is_no_unit_missing_from_the_roster(tmp_path):
    """东片区 typed its own total into a template and left it beside its streets' returns: it is
    M08 (the 上级单位's own), but status also said M05 「不在名册中…请把该单位补入名册」 (which
    would count the streets twice), counted it among 「不在名册中的单位」, and — with 片区 no
    longer taken for a district — called it 「别的地区的报表」."""
    names = roster(
        tmp_path / "名册.csv",
        ("道外区财政局", "道外区"),
        ("太平街道办事处", "东片区"),
        ("南马街道办事处", "东片区"),
    )
    folder = tmp_path / "收回"
    streets = [
        valid_return(FORM, seed, unit=u, year=YEAR)
        for seed, u in ((2, "太平街道办事处"), (3, "南马街道办事处"))
    ]
    for ret in streets:
        write_return(folder / f"{ret.unit}.xlsx", FORM, ret)
    unit_return(folder / "道外区财政局.xlsx", "道外区财政局", seed=1)
    total = sum_returns(streets)
    assert total is not None
    own = filled_return(FORM, inputs_of(total), unit="东片区", year=YEAR)
    write_return(folder / "东片区.xlsx", FORM, own)
    result = run("status", folder, "--roster", names)
    assert "M08" in result.output, result.output
    assert "M05" not in result.output
    assert "别的地区" not in result.output
    assert "不在名册中的单位" not in result.output
    assert "另有本级的报表 1 份" in result.output


# -- 单位代码 whose leading zeros Excel dropped ----------------------------------------------------


def test_a_code_that_lost_its_leading_zeros_in_excel_is_the_same_code(tmp_path):
    """The templates were issued from an .xlsx roster whose codes Excel kept as numbers (001
    shown, 1 stored); the office's CSV roster says 001. A renamed cover was then 「不在名册中」
    (M05) instead of found by its template's code."""
    names = tmp_path / "名册.csv"
    names.write_text(
        "单位名称,上级单位,单位代码\n道外区财政局,道外区,001\n道外区教育局,道外区,002\n", "utf-8"
    )
    folder = tmp_path / "收回"
    unit_return(folder / "财政.xlsx", "道外区财政局（国资局）", "1", seed=1)
    unit_return(folder / "教育.xlsx", "道外区教育局", "2", seed=2)
    result = run("status", folder, "--roster", names)
    assert "M05" not in result.output, result.output
    assert "M06" in result.output
    assert result.exit_code == 0


def test_two_roster_codes_that_differ_only_in_leading_zeros_are_refused(tmp_path):
    names = tmp_path / "名册.csv"
    names.write_text("单位名称,单位代码\n道外区财政局,1\n道外区教育局,001\n", "utf-8")
    folder = tmp_path / "收回"
    unit_return(folder / "教育.xlsx", "道外区教育局", seed=2)
    result = run("status", folder, "--roster", names)
    assert isinstance(result.exception, UserError), result.output
    assert "第 3 行的单位代码「001」与第 2 行相同" in str(result.exception)


def test_a_sent_up_summary_naming_a_unit_with_its_district_before_it_lists_the_same_units(tmp_path):
    """The 片区's summary lists 「道外区太平街道办事处」 (as its street's cover says), our merge
    「太平街道办事处」 (the roster's): one unit, its figures the same, yet M07 said the unit lists
    differ (「只在上报汇总表中的单位」 and 「只在本次汇总中的单位」) and the merge exited 1."""
    names = roster(
        tmp_path / "名册.csv",
        ("道外区财政局", "道外区"),
        ("太平街道办事处", "东片区"),
        ("水泥路街道办事处", "东片区"),
    )
    folder, east = tmp_path / "收回", tmp_path / "东片区"
    unit_return(folder / "财政.xlsx", "道外区财政局", seed=1)
    for seed, (ours, theirs) in enumerate(
        (("太平街道办事处", "道外区太平街道办事处"), ("水泥路街道办事处", "水泥路街道办事处")), 2
    ):
        unit_return(folder / f"{ours}.xlsx", ours, seed=seed)
        unit_return(east / f"{ours}.xlsx", theirs, seed=seed)
    sent_up = tmp_path / "东片区上报汇总.xlsx"
    made = run("merge", east, "--name", "东片区", "-o", sent_up)
    assert made.exit_code == 0, made.output
    out = tmp_path / "汇总.xlsx"
    result = run(
        "merge", folder, "--roster", names, "--name", "道外区", "--compare", sent_up, "-o", out
    )
    assert result.exit_code == 0, result.output
    assert "逐格一致，单位名单相同" in result.output


def test_merge_does_not_say_every_unit_reported_when_one_sent_a_blank_template(tmp_path):
    """--skip-invalid summed the others and said 「名册中的 2 个单位均已报送」, then
    「报来空白表（未填写）的单位 1 个」: a blank is not reported (status chases it)."""
    names = roster(tmp_path / "名册.csv", ("道外区财政局", "道外区"), ("道外区教育局", "道外区"))
    folder = tmp_path / "收回"
    unit_return(folder / "财政.xlsx", "道外区财政局", seed=1)
    write_return(folder / "教育.xlsx", FORM, unit="道外区教育局", year=YEAR)
    out = tmp_path / "汇总.xlsx"
    result = run("merge", folder, "--roster", names, "--skip-invalid", "-o", out)
    assert out.exists(), result.output
    assert "均已报送" not in result.output
    assert "报来空白表（未填写）的单位 1 个：道外区教育局" in result.output


def test_a_roster_under_an_attachment_number_a_title_a_filer_and_a_date_is_read(tmp_path):
    """「附件2」, the title, 「填报单位（盖章）：…」 and 「填表日期：…」 above the header row: four
    lines of one text each, one more than were skipped, and the roster was refused as having
    no 「单位名称」 column."""
    book = openpyxl.Workbook()
    sheet = book.active
    for line in (
        "附件2",
        "道外区2025年度政府信息公开工作年度报告报送名册",
        "填报单位（盖章）：道外区政务服务中心",
        "填表日期：2026年1月5日",
    ):
        sheet.append([line])
    sheet.append(["序号", "单位名称", "上级单位"])
    sheet.append([1, "道外区财政局", "道外区"])
    names = tmp_path / "名册.xlsx"
    book.save(names)
    folder = tmp_path / "收回"
    unit_return(folder / "财政.xlsx", "道外区财政局")
    result = run("status", folder, "--roster", names)
    assert result.exit_code == 0, result.output
    assert "名册中的 1 个单位均已报送" in result.output


def test_a_file_named_by_a_code_with_its_leading_zeros_is_that_units(tmp_path):
    """A code is keyed without its leading zeros (1 = 001); the file's name keeps them: a file
    「001-统计表.xlsx」 is still named by the unit of code 001 (or 1), not by 2001's."""
    from nianbao.checks.units import file_names_unit

    assert file_names_unit(tmp_path / "001-统计表.xlsx", ["丙街道"], "001")
    assert file_names_unit(tmp_path / "001_丙/统计表.xlsx", ["丁街道"], "1")
    assert file_names_unit(tmp_path / "1-统计表.xlsx", ["丙街道"], "001")
    assert not file_names_unit(tmp_path / "2001-统计表.xlsx", ["丙街道"], "001")
    assert not file_names_unit(tmp_path / "0012-统计表.xlsx", ["丙街道"], "001")


def test_a_header_of_two_rows_with_its_headings_merged_down_is_no_unit(tmp_path):
    """A roster's header in two rows (「联系人」 over 「姓名」「电话」), 单位名称 and the others
    merged down over both: the second header row, given the merged headings, was read as a
    unit named 「单位名称」 under 「上级单位」, to be chased as not reported."""
    from nianbao.sources.roster import read_roster

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["单位名称", "上级单位", "单位代码", "联系人", None])
    sheet.append([None, None, None, "姓名", "电话"])
    for merged in ("A1:A2", "B1:B2", "C1:C2", "D1:E1"):
        sheet.merge_cells(merged)
    sheet.append(["道外区财政局", "道外区", "001", "张三", "123"])
    sheet.append(["道外区教育局", "道外区", "002", "李四", "456"])
    names = tmp_path / "名册.xlsx"
    book.save(names)
    assert [(e.unit, e.parent, e.code) for e in read_roster(names)] == [
        ("道外区财政局", "道外区", "001"),
        ("道外区教育局", "道外区", "002"),
    ]
