"""A coordinator's season, as a hostile tester played it (sweep 6): which returns and
summaries are one unit (a code under two names, a name with and without its places, one
bureau's name in two districts), and what status says of them."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from nianbao.cli import cli
from nianbao.errors import UserError
from nianbao.form import get_form
from nianbao.xlsx.writer import write_return
from tests.support.returns import valid_return

FORM = get_form("2021")
YEAR = 2025


def run(*args: object):
    return CliRunner().invoke(cli, [str(a) for a in args])


def said(result) -> str:
    """What the command prints: its output, and a refusal (a UserError the entry point prints
    as 错误：…)."""
    refused = result.exception if isinstance(result.exception, UserError) else None
    return result.output + (str(refused) if refused is not None else "")


def unit_return(path: Path, unit: str, code: str | None = None, seed: int = 1) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    write_return(path, FORM, valid_return(FORM, seed, unit=unit, year=YEAR), code=code)
    return path


def summary(folder: Path, name: str, out: Path) -> Path:
    result = run("merge", folder, "--name", name, "-o", out)
    assert result.exit_code == 0, said(result)
    return out


def test_one_unit_in_two_summaries_under_a_longer_name_and_its_code_is_counted_twice(tmp_path):
    unit_return(tmp_path / "东" / "太古.xlsx", "道外区太古街道办事处", "230104002", seed=1)
    unit_return(tmp_path / "东" / "靖宇.xlsx", "道外区靖宇街道办事处", "230104003", seed=2)
    unit_return(tmp_path / "西" / "太古.xlsx", "哈尔滨市道外区太古街道办事处", "230104002", seed=3)
    unit_return(tmp_path / "西" / "崇俭.xlsx", "道外区崇俭街道办事处", "230104004", seed=4)
    summary(tmp_path / "东", "东片区", tmp_path / "片区" / "东.xlsx")
    summary(tmp_path / "西", "西片区", tmp_path / "片区" / "西.xlsx")
    result = run("merge", tmp_path / "片区", "--name", "道外区", "-o", tmp_path / "区.xlsx")
    assert result.exit_code == 1, said(result)
    assert "[M01] 单位「道外区太古街道办事处」同时计入了 2 份报表" in said(result)
    assert "「哈尔滨市道外区太古街道办事处」），单位代码同为 230104002，是同一单位" in said(result)
    assert not (tmp_path / "区.xlsx").exists()


def test_a_renamed_unit_in_two_summaries_is_one_unit_by_its_code(tmp_path):
    unit_return(tmp_path / "东" / "教育局.xlsx", "某区教育局", "230104009", seed=1)
    unit_return(tmp_path / "西" / "教体局.xlsx", "某区教育和体育局", "230104009", seed=2)
    unit_return(tmp_path / "西" / "财政局.xlsx", "某区财政局", "230104010", seed=3)
    summary(tmp_path / "东", "东片区", tmp_path / "片区" / "东.xlsx")
    summary(tmp_path / "西", "西片区", tmp_path / "片区" / "西.xlsx")
    result = run("merge", tmp_path / "片区", "--name", "某区", "-o", tmp_path / "区.xlsx")
    assert result.exit_code == 1, said(result)
    assert "[M01] 单位「某区教育局」同时计入了 2 份报表" in said(result)


def test_two_returns_on_one_units_template_under_two_names_are_that_units_two(tmp_path):
    unit_return(tmp_path / "收回" / "教育局.xlsx", "某区教育局", "230104002", seed=1)
    unit_return(tmp_path / "收回" / "教体局.xlsx", "某区教育和体育局", "230104002", seed=2)
    unit_return(tmp_path / "收回" / "财政局.xlsx", "某区财政局", "230104003", seed=3)
    result = run("merge", tmp_path / "收回", "-o", tmp_path / "汇总.xlsx")
    assert result.exit_code == 1, said(result)
    assert "[M01] 单位「某区教育和体育局」报送了 2 份报表" in said(result)
    assert "单位代码同为 230104002" in said(result)


def test_the_same_bureau_name_in_two_districts_summaries_is_two_units(tmp_path):
    # each district's roster names its bureaus without the district: 「区财政局」
    districts = (("甲区", "230101", 1), ("乙区", "230102", 2))
    for district, codes, seed in districts:
        unit_return(tmp_path / district / "财政局.xlsx", "区财政局", f"{codes}001", seed=seed)
        unit_return(tmp_path / district / "教育局.xlsx", "区教育局", f"{codes}002", seed=10 + seed)
        summary(tmp_path / district, district, tmp_path / "各区" / f"{district}.xlsx")
    result = run("merge", tmp_path / "各区", "--name", "某市", "-o", tmp_path / "市.xlsx")
    assert result.exit_code == 0, said(result)
    assert "2 份报表已汇总" in said(result)


def test_the_same_bureau_name_without_codes_in_two_districts_summaries_is_two_units(tmp_path):
    for seed, district in enumerate(("甲区", "乙区")):
        unit_return(tmp_path / district / "财政局.xlsx", "区财政局", seed=seed)
        unit_return(tmp_path / district / "教育局.xlsx", "区教育局", seed=10 + seed)
        summary(tmp_path / district, district, tmp_path / "各区" / f"{district}.xlsx")
    result = run("merge", tmp_path / "各区", "--name", "某市", "-o", tmp_path / "市.xlsx")
    assert result.exit_code == 0, said(result)


def test_one_street_in_two_summaries_of_one_district_without_codes_is_still_counted_twice(
    tmp_path,
):
    unit_return(tmp_path / "东" / "太古.xlsx", "太古街道办事处", seed=1)
    unit_return(tmp_path / "东" / "靖宇.xlsx", "靖宇街道办事处", seed=2)
    unit_return(tmp_path / "西" / "太古.xlsx", "太古街道办事处", seed=3)
    unit_return(tmp_path / "西" / "崇俭.xlsx", "崇俭街道办事处", seed=4)
    summary(tmp_path / "东", "东片区", tmp_path / "片区" / "东.xlsx")
    summary(tmp_path / "西", "西片区", tmp_path / "片区" / "西.xlsx")
    result = run("merge", tmp_path / "片区", "--name", "道外区", "-o", tmp_path / "区.xlsx")
    assert result.exit_code == 1, said(result)
    assert "[M01] 单位「太古街道办事处」同时计入了 2 份报表" in said(result)


# -- a return that is the sum of the others -----------------------------------------------------


def three_units(folder: Path) -> list[Path]:
    names = ("某某区财政局", "某某区教育局", "东一街道办事处")
    return [unit_return(folder / f"{name}.xlsx", name, seed=i + 1) for i, name in enumerate(names)]


def test_the_districts_published_report_in_the_returns_folder_is_not_summed_again(tmp_path):
    three_units(tmp_path / "收回")
    assert (
        run("merge", tmp_path / "收回", "--name", "某某区", "-o", tmp_path / "区.xlsx").exit_code
        == 0
    )
    published = run("publish", tmp_path / "区.xlsx", "-o", tmp_path / "收回" / "区年报.docx")
    assert published.exit_code == 0, said(published)
    result = run("merge", tmp_path / "收回", "-o", tmp_path / "again.xlsx")  # no --name
    assert result.exit_code == 1, said(result)
    assert "[M08 错误] 「" in said(
        result
    ) and "区年报.docx」的数字逐格等于其余 3 份报表之和" in said(result)
    assert not (tmp_path / "again.xlsx").exists()


def test_a_hand_made_sum_under_a_units_name_is_not_summed_with_its_units(tmp_path):
    from nianbao.form.data import filled_return
    from nianbao.recognise.reader import read_return
    from tests.support.returns import inputs_of

    paths = three_units(tmp_path / "收回")
    returns = [read_return(path) for path in paths]
    total = {key: sum(inputs_of(ret)[key] or 0 for ret in returns) for key in FORM.input_keys}
    hand = filled_return(FORM, total, unit="区政府办公室", year=YEAR)
    write_return(tmp_path / "收回" / "办公室.xlsx", FORM, hand)
    result = run("merge", tmp_path / "收回", "--skip-invalid", "-o", tmp_path / "区.xlsx")
    assert "办公室.xlsx」的数字逐格等于其余 3 份报表之和（填报单位「区政府办公室」）" in said(
        result
    )
    assert "3 份报表已汇总" in said(result)


# -- a unit of the city, not of the district ------------------------------------------------------


def test_the_city_bureau_is_not_taken_for_the_district_bureau_of_the_same_short_name(tmp_path):
    unit_return(tmp_path / "收回" / "哈尔滨市财政局.xlsx", "哈尔滨市财政局", seed=1)
    unit_return(tmp_path / "收回" / "教育局.xlsx", "教育局", seed=2)
    roster = tmp_path / "名册.csv"
    roster.write_text(
        "单位名称,上级单位,单位代码,联系人\n财政局,哈尔滨市道外区人民政府,01,张三\n"
        "教育局,哈尔滨市道外区人民政府,02,李四\n",
        encoding="utf-8",
    )
    result = run("status", tmp_path / "收回", "--roster", roster)
    assert "未报 | 财政局（01）" in said(result)
    assert "需要催报的单位 1 个：财政局（未报，张三）" in said(result)
    assert "多半是哈尔滨市本级的单位（而不是本区县的），没有认作「财政局」" in said(result)


def test_the_district_bureau_with_city_and_district_before_its_name_is_still_ours(tmp_path):
    unit_return(tmp_path / "收回" / "财政局.xlsx", "哈尔滨市道外区财政局", seed=1)
    roster = tmp_path / "名册.csv"
    roster.write_text("单位名称,上级单位\n财政局,哈尔滨市道外区人民政府\n", encoding="utf-8")
    result = run("status", tmp_path / "收回", "--roster", roster)
    assert "有警告 | 财政局" in said(result) and "M06" in said(result)
    assert "需要催报" not in said(result)


# -- last year's return with this year on its cover -----------------------------------------------


def test_last_years_return_with_the_cover_year_changed_is_told(tmp_path):
    import openpyxl

    from nianbao.form.layout import COVER_FIELDS, COVER_SHEET, COVER_VALUE_COL

    path = tmp_path / "财政局.xlsx"
    last = valid_return(FORM, 1, unit="某区财政局", year=YEAR - 1)
    write_return(path, FORM, last, code="01")
    year = next(f for f in COVER_FIELDS if f.key == "year")
    book = openpyxl.load_workbook(path)
    book[COVER_SHEET].cell(year.row + 1, COVER_VALUE_COL + 1, YEAR)
    book.save(path)
    result = run("check", path, "--year", YEAR)
    assert "[C05 警告]" in said(result)
    assert f"封面「报告年度」是 {YEAR}，而这份模板是为 {YEAR - 1} 年度下发的" in said(result)


# -- a blank template sent back beside the filled return, without a roster -----------------------


def test_without_a_roster_a_blank_beside_the_filled_return_is_no_duplicate_nor_chased(tmp_path):
    unit_return(tmp_path / "收回" / "财政局.xlsx", "某区财政局", "230104001", seed=1)
    blank = tmp_path / "收回" / "财政局-空白.xlsx"
    assert run("template", "--year", YEAR, "--unit", "某区财政局", "-o", blank).exit_code == 0
    result = run("status", tmp_path / "收回")
    assert "未填写 | 某区财政局 | " in said(result)
    assert "重复报送" not in said(result) and "需要催报" not in said(result)


# -- a file named by its unit's code ----------------------------------------------------------------


def test_a_file_named_by_a_roster_code_is_that_units_when_nothing_inside_says_whose(tmp_path):
    roster = tmp_path / "名册.csv"
    roster.write_text(
        "单位名称,单位代码,联系人\n某区财政局,230104001,张\n某区卫健局,230104003,王\n",
        encoding="utf-8",
    )
    unit_return(tmp_path / "收回" / "财政局.xlsx", "某区财政局", "230104001", seed=1)
    (tmp_path / "收回" / "230104003.xlsx").write_bytes(b"PK\x03\x04 a download cut short")
    result = run("status", tmp_path / "收回", "--roster", roster)
    assert "文件无法读取 | 某区卫健局（230104003） | " in said(result)
    assert "无法识别单位" not in said(result) and "未报 |" not in said(result)
    assert "需要催报的单位 1 个：某区卫健局（文件无法读取，王）" in said(result)


# -- an earlier run's reports in the output folder --------------------------------------------------


def test_publish_names_an_earlier_runs_report_left_in_its_output_folder(tmp_path):
    import openpyxl

    unit_return(tmp_path / "收回" / "财政局.xlsx", "某区财政局", seed=1)
    education = unit_return(tmp_path / "收回" / "教育局.xlsx", "某区教育局", seed=2)
    first = run("publish", tmp_path / "收回", "--out-dir", tmp_path / "年报")
    assert first.exit_code == 0, said(first)
    # the unit's corrected return now has an error (a figure typed over a total's input)
    book = openpyxl.load_workbook(education)
    sheet = book.worksheets[2]
    sheet["D5"] = 999  # 自然人 本年新收: 新收 + 结转 no longer balances the results
    book.save(education)
    again = run("publish", tmp_path / "收回", "--out-dir", tmp_path / "年报", "--force")
    assert again.exit_code == 1, said(again)
    assert "另有 1 份不是本次生成的年报：某区教育局2025年政府信息公开工作年度报告.docx" in said(
        again
    )
    assert (tmp_path / "年报" / "某区教育局2025年政府信息公开工作年度报告.docx").exists()


# -- last year's copy beside the unit's return of this year ----------------------------------------


def test_last_years_copy_beside_a_units_return_does_not_send_the_unit_back(tmp_path):
    roster = tmp_path / "名册.csv"
    roster.write_text(
        "单位名称,单位代码\n某区财政局,001\n某区市场监督管理局,005\n", encoding="utf-8"
    )
    unit_return(tmp_path / "收回" / "财政局.xlsx", "某区财政局", "001", seed=1)
    unit_return(tmp_path / "收回" / "市场监管局.xlsx", "某区市场监督管理局", "005", seed=2)
    old = tmp_path / "收回" / "旧邮件" / "市场监管局-2024.xlsx"
    old.parent.mkdir()
    write_return(
        old, FORM, valid_return(FORM, 3, unit="某区市场监督管理局", year=YEAR - 1), code="005"
    )
    merged = run(
        "merge",
        tmp_path / "收回",
        "--roster",
        roster,
        "--skip-invalid",
        "-o",
        tmp_path / "汇总.xlsx",
    )
    assert "2 份报表已汇总" in said(merged)
    assert "[C03 错误]" in said(merged) and "报表有错误的单位" not in said(merged)
    status = run("status", tmp_path / "收回", "--roster", roster)
    assert "需要退回改正" not in said(status)


# -- --unit given where the file names its unit -----------------------------------------------------


def test_publish_and_check_say_when_unit_is_not_used_because_the_cover_names_one(tmp_path):
    path = unit_return(tmp_path / "财政局.xlsx", "某区财政局", seed=1)
    checked = run("check", path, "--unit", "某区教育局")
    assert "注意：--unit「某区教育局」未使用：报表中已写明填报单位「某区财政局」" in checked.stderr
    published = run("publish", path, "--unit", "某区教育局", "-o", tmp_path / "年报.docx")
    assert published.exit_code == 0, said(published)
    assert "--unit「某区教育局」未使用" in published.stderr
    quiet = run("check", path, "--unit", "某区财政局")
    assert "未使用" not in quiet.stderr


def test_an_empty_argument_is_refused_naming_its_option_not_taken_for_this_folder(
    tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)  # where an empty path would have put the outputs
    unit_return(tmp_path / "收回" / "财政局.xlsx", "某区财政局", seed=1)
    write_return(tmp_path / "收回" / "乙局.xlsx", FORM, valid_return(FORM, 2, unit="乙局"))
    for args in (
        ("status", tmp_path / "收回", "-o", ""),
        ("check", tmp_path / "收回", "--annotate", ""),
    ):
        result = run(*args)
        assert result.exit_code == 2, said(result)
        assert f"命令中有一个空的参数（在 {args[2]} 之后）" in result.output
    assert [p.name for p in tmp_path.iterdir()] == ["收回"]


# -- last year on another form ---------------------------------------------------------------------


def test_year_on_year_does_not_compare_a_figure_whose_cell_means_another_thing_last_year(tmp_path):
    import openpyxl

    from nianbao.xlsx.summary import YEAR_SHEET

    samples = Path(__file__).resolve().parent.parent / "samples"
    out = tmp_path / "汇总.xlsx"
    result = run("merge", samples / "2021", "--previous", samples / "2020", "-o", out)
    assert out.exists(), said(result)
    sheet = openpyxl.load_workbook(out)[YEAR_SHEET]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    header = rows[1]
    stock = header.index("规范性文件现行有效")
    units = [row for row in rows[3:] if row[0] and isinstance(row[1], (int, float))]
    assert units and all(row[stock + 1] == "—" and row[stock + 2] == "—" for row in units)
    # the other key figures are the same cells in both forms: compared
    assert any(isinstance(row[header.index("新收") + 1], (int, float)) for row in units)
    notes = [row[0] for row in rows if row[0] and "另一版表式" in str(row[0])]
    assert len(notes) == 1
    assert notes[0].startswith("「规范性文件现行有效」：上年报表是另一版表式，该格在上年表中不是「")


def test_the_breakdown_gives_the_rosters_parent_where_the_cover_has_none(tmp_path):
    import openpyxl

    from nianbao.xlsx.summary import BREAKDOWN_SHEET

    path = tmp_path / "收回" / "甲局.xlsx"
    path.parent.mkdir()
    write_return(path, FORM, valid_return(FORM, 1, unit="甲局", year=YEAR, parent=None))
    unit_return(tmp_path / "收回" / "乙局.xlsx", "乙局", seed=2)
    roster = tmp_path / "名册.csv"
    roster.write_text("单位名称,上级单位\n甲局,某区人民政府\n乙局,某区人民政府\n", encoding="utf-8")
    out = tmp_path / "汇总.xlsx"
    assert run("merge", tmp_path / "收回", "--roster", roster, "-o", out).exit_code == 0
    sheet = openpyxl.load_workbook(out)[BREAKDOWN_SHEET]
    header = [c.value for c in sheet[1]]
    parents = {
        row[0]: row[header.index("上级单位")]
        for row in sheet.iter_rows(min_row=3, values_only=True)
    }
    assert parents["甲局"] == "某区人民政府"


# -- what a regression tester found in the rules above ---------------------------------------------


def test_one_units_two_returns_under_its_full_name_and_two_codes_are_still_one_unit(tmp_path):
    # last year's template (code renumbered since) and this year's, both 「道外区财政局」
    unit_return(tmp_path / "收回" / "财政局.xlsx", "道外区财政局", "230104005", seed=1)
    unit_return(tmp_path / "收回" / "财政局(1).xlsx", "道外区财政局", "230104004", seed=2)
    unit_return(tmp_path / "收回" / "教育局.xlsx", "道外区教育局", "230104006", seed=3)
    result = run("merge", tmp_path / "收回", "-o", tmp_path / "汇总.xlsx")
    assert result.exit_code == 1 and "[M01] 单位「道外区财政局」报送了 2 份报表" in said(result)


def test_a_citys_branch_in_the_district_is_the_rosters_branch(tmp_path):
    unit_return(tmp_path / "收回" / "公安.xlsx", "哈尔滨市公安局道外分局", seed=1)
    roster = tmp_path / "名册.csv"
    roster.write_text(
        "单位名称,上级单位\n公安局道外分局,哈尔滨市道外区人民政府\n", encoding="utf-8"
    )
    result = run("status", tmp_path / "收回", "--roster", roster)
    assert "有警告 | 公安局道外分局" in said(result) and "需要催报" not in said(result)


def test_two_districts_numbering_their_rosters_alike_are_not_one_unit_by_code(tmp_path):
    for district, names in (
        ("甲区", ("东风街道办事处", "民主乡人民政府")),
        ("乙区", ("红旗街道办事处", "太平街道办事处")),
    ):
        for n, name in enumerate(names, 1):
            unit_return(
                tmp_path / district / f"{name}.xlsx",
                name,
                f"00{n}",
                seed=n + (10 if district == "乙区" else 0),
            )
        summary(tmp_path / district, district, tmp_path / "各区" / f"{district}.xlsx")
    result = run("merge", tmp_path / "各区", "--name", "某市", "-o", tmp_path / "市.xlsx")
    assert result.exit_code == 0, said(result)


def test_a_bare_bureau_of_one_district_is_not_another_districts_or_the_citys(tmp_path):
    unit_return(tmp_path / "道外区" / "教育局.xlsx", "教育局", seed=1)
    unit_return(tmp_path / "道外区" / "财政局.xlsx", "财政局", seed=2)
    unit_return(tmp_path / "南岗区" / "教育局.xlsx", "南岗区教育局", seed=3)
    unit_return(tmp_path / "南岗区" / "财政局.xlsx", "南岗区财政局", seed=4)
    unit_return(tmp_path / "市本级" / "教育局.xlsx", "哈尔滨市教育局", seed=5)
    unit_return(tmp_path / "市本级" / "财政局.xlsx", "哈尔滨市财政局", seed=6)
    for name in ("道外区", "南岗区", "市本级"):
        summary(
            tmp_path / name,
            name if name != "市本级" else "哈尔滨市本级",
            tmp_path / "各级" / f"{name}.xlsx",
        )
    result = run("merge", tmp_path / "各级", "--name", "哈尔滨市", "-o", tmp_path / "市.xlsx")
    assert result.exit_code == 0, said(result)


def test_small_units_whose_figures_add_up_by_chance_are_all_summed(tmp_path):
    from nianbao.form.data import filled_return

    def few(*cells: tuple[str, int]) -> dict[str, int]:
        inputs = dict.fromkeys(FORM.input_keys, 0)
        inputs.update(cells)
        return inputs

    one = "三:1:c1"  # 自然人 本年新收
    opened, partly = "三:3.1:c1", "三:3.2:c1"
    units = {
        "民主乡人民政府": few((one, 1), (opened, 1)),
        "新农镇人民政府": few((one, 1), (partly, 1)),
        "红旗镇人民政府": few((one, 2), (opened, 1), (partly, 1)),
        "甲村委会": few(),
    }
    (tmp_path / "收回").mkdir()
    for name, inputs in units.items():
        ret = filled_return(FORM, inputs, unit=name, year=YEAR)
        write_return(tmp_path / "收回" / f"{name}.xlsx", FORM, ret)
    result = run("merge", tmp_path / "收回", "-o", tmp_path / "汇总.xlsx")
    assert result.exit_code == 0 and "4 份报表已汇总" in said(result), said(result)


def test_a_unit_that_sent_a_blank_beside_its_return_with_errors_is_sent_back(tmp_path):
    import openpyxl

    path = unit_return(tmp_path / "收回" / "财政局.xlsx", "道外区财政局", seed=1)
    book = openpyxl.load_workbook(path)
    book.worksheets[2]["D5"] = 999  # 本年新收 no longer balances the results
    book.save(path)
    blank = tmp_path / "收回" / "财政局-空白.xlsx"
    assert run("template", "--year", YEAR, "--unit", "道外区财政局", "-o", blank).exit_code == 0
    roster = tmp_path / "名册.csv"
    roster.write_text("单位名称,联系人\n道外区财政局,张三\n", encoding="utf-8")
    result = run("status", tmp_path / "收回", "--roster", roster)
    assert "需要退回改正的单位 1 个：道外区财政局（有错误，张三）" in said(result)


def two_levels(tmp_path: Path, district_units: tuple[str, ...], city_units: tuple[str, ...]):
    """道外区's summary of ``district_units`` and the city's own (市本级) of ``city_units``,
    merged by 哈尔滨市: the result."""
    for n, name in enumerate(district_units):
        unit_return(tmp_path / "道外" / f"{n}.xlsx", name, seed=n + 1)
    for n, name in enumerate(city_units):
        unit_return(tmp_path / "本级" / f"{n}.xlsx", name, seed=n + 1)
    summary(tmp_path / "道外", "道外区", tmp_path / "市" / "道外区.xlsx")
    summary(tmp_path / "本级", "哈尔滨市本级", tmp_path / "市" / "本级.xlsx")
    return run("merge", tmp_path / "市", "--name", "哈尔滨市", "-o", tmp_path / "市.xlsx")


def test_the_district_market_bureau_in_the_citys_summary_too_is_counted_twice(tmp_path):
    # 「道外区市场…」 is 道外区 + 市场监督管理局, not a place 「道外区市」
    result = two_levels(
        tmp_path, ("市场监督管理局", "教育局"), ("道外区市场监督管理局", "哈尔滨市教育局")
    )
    assert result.exit_code == 1 and "[M01]" in said(result), said(result)


def test_a_region_centre_of_the_district_in_the_citys_summary_too_is_counted_twice(tmp_path):
    result = two_levels(
        tmp_path, ("区域经济合作中心", "教育局"), ("道外区区域经济合作中心", "哈尔滨市教育局")
    )
    assert result.exit_code == 1 and "[M01]" in said(result), said(result)


def test_a_districts_relative_name_is_its_full_name(tmp_path):
    result = two_levels(tmp_path, ("区财政局", "区教育局"), ("道外区财政局", "哈尔滨市教育局"))
    assert result.exit_code == 1 and "[M01]" in said(result), said(result)


def test_two_county_level_cities_numbering_their_units_are_two_places(tmp_path):
    for seed, (city, code) in enumerate((("尚志市", "230183001"), ("五常市", "230184001"))):
        unit_return(tmp_path / city / "财政局.xlsx", "市财政局", code, seed=seed + 1)
        unit_return(tmp_path / city / "教育局.xlsx", "市教育局", code[:-1] + "2", seed=seed + 5)
        summary(tmp_path / city, city, tmp_path / "各县市" / f"{city}.xlsx")
    result = run("merge", tmp_path / "各县市", "--name", "哈尔滨市", "-o", tmp_path / "市.xlsx")
    assert result.exit_code == 0, said(result)


def test_a_roster_naming_its_bureaus_with_qu_identifies_their_full_names(tmp_path):
    unit_return(tmp_path / "收回" / "0.xlsx", "道外区财政局", seed=1)
    unit_return(tmp_path / "收回" / "1.xlsx", "哈尔滨市道外区教育局", seed=2)
    roster = tmp_path / "名册.csv"
    roster.write_text(
        "单位名称,上级单位\n区财政局,哈尔滨市道外区人民政府\n区教育局,哈尔滨市道外区人民政府\n",
        encoding="utf-8",
    )
    result = run("status", tmp_path / "收回", "--roster", roster)
    assert "名册中的 2 个单位均已报送" in said(result), said(result)
    assert "有警告 | 区财政局［封面：道外区财政局］" in said(result)
    assert "M05" not in said(result)
