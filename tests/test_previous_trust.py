"""Last year's returns (``--previous``) are used only for what was read from them with certainty.

A cross-year comparison never uses a figure of last year's that is not a number read with
certainty (text, a formula without its result, a row printed twice with other figures …): it
says at this year's cell that last year's figure could not be read and the comparison was not
made. A folder of last year's summaries stands for their members; a unit found twice in last
year's files is refused, as two returns of one unit are; files that cannot be read are named;
a return that is not of the year before is not held to the cross-year equalities; and one file
cannot be this year's and last year's at once.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from nianbao.checks.compare import UNSURE
from nianbao.checks.units import unsure_figures
from nianbao.cli import cli
from nianbao.errors import UserError
from nianbao.form import get_form
from nianbao.form.data import Number, filled_return
from nianbao.form.layout import layout_for
from nianbao.pipeline.merge import merge_returns
from nianbao.xlsx.summary import YEAR_SHEET, write_summary
from nianbao.xlsx.writer import write_return
from tests.support.returns import carried_inputs

FORM = get_form("2021")
YEAR = 2025
T3 = layout_for(FORM).address("三:4:c1")[0]  # 表三's sheet
APPLICANTS = ("c1", "c2", "c3", "c4", "c5", "c6")


def run(*args: object):
    return CliRunner().invoke(cli, [str(a) for a in args])


def inputs(**figures: int) -> dict[str, Number]:
    return carried_inputs(FORM, **figures)


def write(path: Path, unit: str, year: int, *, code: str | None = None, **figures) -> Path:
    changed = figures.pop("cells", {})
    values = {**inputs(**figures), **changed}
    ret = filled_return(FORM, {k: v for k, v in values.items() if isinstance(v, int)}, unit=unit)
    for key, value in changed.items():
        ret.values[key] = value  # text, blank: written as given
    path.parent.mkdir(parents=True, exist_ok=True)
    write_return(path, FORM, ret, unit=unit, year=year, code=code)
    return path


def findings(result) -> list[dict]:
    assert result.exit_code in (0, 1), result.output
    return [f for entry in json.loads(result.stdout)["files"] for f in entry["findings"]]


def of_rule(found: list[dict], rule: str, severity: str | None = None) -> list[dict]:
    return [f for f in found if f["rule"] == rule and severity in (None, f["severity"])]


# -- a figure of last year's that was not read with certainty --------------------------------


def test_text_in_last_years_carry_out_is_not_compared_as_0_but_said_at_the_cell(tmp_path):
    # 自然人: last year's 结转下年度 holds text, this year's 上年结转 is 0 (it used to pass in
    # silence); 商业企业: last year's cell is blank, which counts as 0 (V04, documented): this
    # year's 1 is still an X1 error there.
    write(
        tmp_path / "去年/甲局.xlsx", "甲局", YEAR - 1, cells={"三:4:c1": "无此项", "三:4:c2": None}
    )
    carried = {"三:2:c1": 0, "三:1:c1": 4}  # the table still balances: 4 + 0 = 3 + 1
    write(tmp_path / "收回/甲局.xlsx", "甲局", YEAR, cells=carried)
    result = run("check", tmp_path / "收回", "--previous", tmp_path / "去年", "--format", "json")
    found = findings(result)
    (unsure,) = of_rule(found, "X1", "warning")
    assert unsure["cells"] == ["D6"] and "无此项" in unsure["message"]
    assert "未用它核对" in unsure["message"] and "自然人" in unsure["message"]
    (error,) = of_rule(found, "X1", "error")
    assert error["cells"] == ["E6"] and "相差 1" in error["message"]


def test_a_formula_without_its_result_last_year_is_not_a_0_either(tmp_path):
    last = write(tmp_path / "去年/甲局.xlsx", "甲局", YEAR - 1)
    book = openpyxl.load_workbook(last)
    book[T3]["D29"] = "=1+1"  # saved without a result (V07)
    book.save(last)
    write(tmp_path / "收回/甲局.xlsx", "甲局", YEAR, cells={"三:2:c1": 0, "三:1:c1": 4})
    found = findings(run("check", tmp_path / "收回", "--previous", last, "--format", "json"))
    (unsure,) = of_rule(found, "X1", "warning")
    assert unsure["cells"] == ["D6"] and "V07" in unsure["message"]
    assert not of_rule(found, "X1", "error")


def test_a_row_printed_twice_in_last_years_report_is_not_taken_as_fact(tmp_path):
    """L09 (an error when last year's report is read): which row holds the figures is unknown,
    so X1 uses neither; the first row used to raise six X1 errors."""
    write(tmp_path / "p.xlsx", "某某局", YEAR - 1, carried_out=2, new=4)
    assert run("publish", tmp_path / "p.xlsx", "-o", tmp_path / "p.html").exit_code == 0
    page = (tmp_path / "p.html").read_text(encoding="utf-8")
    at = page.index(">四、结转下年度继续办理<")
    start, end = page.rindex("<tr", 0, at), page.index("</tr>", at) + len("</tr>")
    again = re.sub(
        r"(<td[^>]*>)(\d+)(</td>)", lambda m: f"{m[1]}{int(m[2]) + 1}{m[3]}", page[start:end]
    )
    (tmp_path / "上年年报.html").write_text(page[:end] + again + page[end:], encoding="utf-8")
    this_year = write(tmp_path / "c.xlsx", "某某局", YEAR, carried_in=3, new=4, carried_out=1)
    found = findings(
        run("check", this_year, "--previous", tmp_path / "上年年报.html", "--format", "json")
    )
    assert not of_rule(found, "X1", "error"), found
    (unsure,) = of_rule(found, "X1", "warning")
    assert "L09" in unsure["message"] and len(unsure["cells"]) == len(APPLICANTS)


def test_year_on_year_sheet_shows_no_number_for_a_figure_not_read(tmp_path):
    write(tmp_path / "去年/甲局.xlsx", "甲局", YEAR - 1, cells={"三:4:c1": "无此项"})
    write(tmp_path / "去年/乙局.xlsx", "乙局", YEAR - 1)
    write(tmp_path / "收回/甲局.xlsx", "甲局", YEAR)
    write(tmp_path / "收回/乙局.xlsx", "乙局", YEAR)
    write(tmp_path / "收回/丙局.xlsx", "丙局", YEAR)  # new: the like-for-like total is shown
    target = tmp_path / "汇总.xlsx"
    result = run("merge", tmp_path / "收回", "--previous", tmp_path / "去年", "-o", target)
    assert result.exit_code == 0, result.output
    assert UNSURE in result.stdout
    sheet = openpyxl.load_workbook(target)[YEAR_SHEET]
    rows = _year_rows(sheet)
    carried = 1 + 3 * 2 + 1  # 结转: this year, last year, change
    assert rows["甲局"][carried] == "无法确定" and rows["甲局"][carried + 1] == "—"
    assert rows["乙局"][carried] == len(APPLICANTS)  # last year's, read for sure
    totals = [label for label in rows if label.startswith(("合计", "可比单位合计"))]
    assert len(totals) == 2
    for label in totals:  # a sum with an unknown figure in it is unknown
        assert rows[label][carried] == "无法确定", rows[label]
        assert rows[label][1 + 1] == 3 * len(APPLICANTS) * 2  # 新收 was read for sure
    notes = [row[0] for row in sheet.iter_rows(values_only=True) if row[0]]
    assert any("甲局" in n and "无此项" in n and "无法确定" in n for n in notes), notes


def _year_rows(sheet) -> dict[str, tuple]:
    """与上年对比's lines by unit (the notes below them left out)."""
    return {
        row[0]: row
        for row in sheet.iter_rows(min_row=4, values_only=True)
        if row[0] and isinstance(row[1], int)
    }


@pytest.mark.parametrize(
    ("value", "rule"),
    [(-1, "V02"), (Decimal("1.5"), "V03"), (10**12, "V09"), ("两件", "V01")],
)
def test_a_figure_no_count_can_be_is_unsure(value, rule):
    last = filled_return(FORM, inputs(), unit="甲局", year=YEAR - 1)
    last.values["三:4:c3"] = value
    found = unsure_figures(last)
    assert list(found) == ["三:4:c3"] and found["三:4:c3"].startswith(rule)


def test_blank_cells_count_as_0_but_a_blank_template_is_no_figures():
    last = filled_return(FORM, inputs(), unit="甲局", year=YEAR - 1)
    last.values["三:4:c3"] = None
    assert unsure_figures(last) == {}  # V04: counted as 0, as the README says
    blank = filled_return(FORM, {}, unit="甲局", year=YEAR - 1)
    for key in FORM.input_keys:
        blank.values[key] = None
    assert set(unsure_figures(blank)) == set(FORM.input_keys)


# -- last year's summaries in a folder -----------------------------------------------------------


def _summary(path: Path, name: str, members: dict[str, dict]) -> Path:
    returns = [
        filled_return(FORM, inputs(**figures), unit=unit, year=YEAR - 1)
        for unit, figures in members.items()
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    write_summary(path, merge_returns(returns, name=name, year=YEAR - 1), returns)
    return path


def test_a_summary_in_the_previous_folder_stands_for_its_members(tmp_path):
    _summary(tmp_path / "去年/东片.xlsx", "东片", {"甲局": {}, "乙局": {}})
    _summary(tmp_path / "去年/西片.xlsx", "西片", {"丙街道": {"new": 5, "carried_out": 3}})
    write(tmp_path / "收回/甲局.xlsx", "甲局", YEAR)  # carries 1, as last year's row says
    write(tmp_path / "收回/丙街道.xlsx", "丙街道", YEAR, carried_in=2, new=3)  # not 3: X1
    found = findings(
        run("check", tmp_path / "收回", "--previous", tmp_path / "去年", "--format", "json")
    )
    assert not of_rule(found, "X7"), found
    errors = of_rule(found, "X1", "error")
    assert len(errors) == len(APPLICANTS) and all("西片.xlsx" in f["message"] for f in errors)
    target = tmp_path / "汇总.xlsx"
    result = run(
        "merge", tmp_path / "收回", "--previous", tmp_path / "去年", "-o", target, "--skip-invalid"
    )
    rows = _year_rows(openpyxl.load_workbook(target)[YEAR_SHEET])
    total = next(row for label, row in rows.items() if label.startswith("合计"))
    assert total[1 + 3 * 2 + 1] == (1 + 1 + 3) * len(APPLICANTS), result.output  # 结转, once each


def test_a_unit_in_two_of_last_years_summaries_is_refused_naming_both(tmp_path):
    _summary(tmp_path / "去年/东片.xlsx", "东片", {"甲局": {}, "乙局": {}})
    _summary(tmp_path / "去年/西片.xlsx", "西片", {"甲局": {"new": 4, "carried_out": 2}})
    write(tmp_path / "收回/甲局.xlsx", "甲局", YEAR)
    result = run(
        "merge", tmp_path / "收回", "--previous", tmp_path / "去年", "-o", tmp_path / "m.xlsx"
    )
    assert isinstance(result.exception, UserError) and result.exception.exit_code == 2
    message = str(result.exception)
    assert "「甲局」有两份报表" in message and "东片.xlsx" in message and "西片.xlsx" in message
    assert not (tmp_path / "m.xlsx").exists()


def test_last_years_summary_and_a_corrected_return_of_a_member_are_refused(tmp_path):
    _summary(tmp_path / "去年/全区汇总.xlsx", "全区", {"甲局": {}, "乙局": {}})
    write(tmp_path / "去年/甲局-更正.xlsx", "甲局", YEAR - 1, new=4, carried_out=2)
    write(tmp_path / "收回/甲局.xlsx", "甲局", YEAR)
    result = run("check", tmp_path / "收回", "--previous", tmp_path / "去年")
    assert result.exit_code == 2
    assert "全区汇总.xlsx" in result.stderr and "甲局-更正.xlsx" in result.stderr
    assert "有两份报表" in result.stderr


# -- files of last year's folder that cannot be read ----------------------------------------------


def test_an_unreadable_previous_file_is_named_once_and_its_units_x7_says_so(tmp_path):
    write(tmp_path / "去年/甲局.xlsx", "甲局", YEAR - 1)
    whole = write(tmp_path / "full.xlsx", "丙街道", YEAR - 1).read_bytes()
    (tmp_path / "去年/丙街道.xlsx").write_bytes(whole[:3000])  # cut short
    for unit in ("甲局", "丙街道", "丁局"):  # 丁局 is new this year
        write(tmp_path / f"收回/{unit}.xlsx", unit, YEAR)
    result = run("check", tmp_path / "收回", "--previous", tmp_path / "去年", "--format", "json")
    assert result.stderr.count("丙街道.xlsx") == 1 and "F01" in result.stderr
    by_unit = {
        entry["unit"]: of_rule(entry["findings"], "X7")
        for entry in json.loads(result.stdout)["files"]
    }
    (own,) = by_unit["丙街道"]
    assert "丙街道.xlsx" in own["message"] and "无法读取" in own["message"]
    (other,) = by_unit["丁局"]
    assert "1 个文件无法读取" in other["message"]
    assert not by_unit["甲局"]
    # status and merge name it too, once
    for command in (("status",), ("merge", "-o", tmp_path / "汇总.xlsx")):
        said = run(command[0], tmp_path / "收回", *command[1:], "--previous", tmp_path / "去年")
        assert said.stderr.count("上年报表：") == 1 and "丙街道.xlsx" in said.stderr, command


# -- last year's return of another year, or this year's file again ----------------------------------


def test_a_return_two_years_back_is_not_held_to_the_cross_year_equalities(tmp_path):
    old = write(tmp_path / "甲局-2023.xlsx", "甲局", YEAR - 2, code="001")
    write(tmp_path / "收回/甲局.xlsx", "甲局", YEAR, code="001", carried_in=2, new=2)
    result = run("check", tmp_path / "收回", "--previous", old, "--format", "json")
    found = findings(result)
    assert not of_rule(found, "X1") and not of_rule(found, "X3"), found
    (x4,) = of_rule(found, "X4")
    assert "未用它核对上年结转（X1）" in x4["message"]
    assert result.exit_code == 0


def test_one_file_as_this_years_and_last_years_is_refused(tmp_path):
    this_year = write(tmp_path / "收回/甲局.xlsx", "甲局", YEAR)
    for previous in (this_year, tmp_path / "收回"):
        result = run("check", this_year, "--previous", previous)
        assert result.exit_code == 2, result.output
        assert "同一个文件不能既作本年报表又作上年报表" in result.stderr
    result = run("merge", this_year, "--previous", this_year, "-o", tmp_path / "m.xlsx")
    assert isinstance(result.exception, UserError) and result.exception.exit_code == 2


def test_a_groups_total_with_a_figure_not_read_last_year_is_not_a_number(tmp_path):
    roster = tmp_path / "名册.csv"
    roster.write_text("单位名称,上级单位\n甲局,东片\n乙局,东片\n", encoding="utf-8")
    write(tmp_path / "去年/甲局.xlsx", "甲局", YEAR - 1, cells={"三:4:c1": "无此项"})
    write(tmp_path / "去年/乙局.xlsx", "乙局", YEAR - 1)
    for unit in ("甲局", "乙局"):
        write(tmp_path / f"收回/{unit}.xlsx", unit, YEAR)
    target = tmp_path / "汇总.xlsx"
    result = run(
        "merge", tmp_path / "收回", "--roster", roster, "--by-parent",
        "--previous", tmp_path / "去年", "-o", target,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    (group,) = (tmp_path / "汇总-分组").glob("*.xlsx")
    rows = _year_rows(openpyxl.load_workbook(group)[YEAR_SHEET])
    total = next(row for label, row in rows.items() if label.startswith("合计"))
    assert total[1 + 3 * 2 + 1] == "无法确定" and total[1 + 1] == 3 * len(APPLICANTS) * 2


def test_summaries_of_summaries_compare_with_last_years_summaries_of_the_same_name(tmp_path):
    """A district merges its two 片 summaries, with last year's two 片 summaries as --previous:
    each is compared with its own of last year, and the units inside them are not listed as
    gone (they are merged, within the summaries)."""
    _group_summaries(tmp_path)
    result = run(
        "merge", tmp_path / "sums2021", "--name", "道外区", "-o", tmp_path / "区.xlsx",
        "--previous", tmp_path / "sums2020",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "本年未汇总" not in result.output and "没有上年报表的单位" not in result.output
    rows = list(openpyxl.load_workbook(tmp_path / "区.xlsx", read_only=True)[YEAR_SHEET].values)
    compared = [row for row in rows if row and row[0] in ("街镇片", "部门片")]
    assert len(compared) == 2 and all("无上年报表" not in map(str, row) for row in compared)


def test_last_years_report_published_as_docx_and_html_is_one_report(tmp_path):
    """The README's own `publish --format docx --format html` leaves two copies of each unit's
    report: the same figures are one report of last year, not two to choose between."""
    samples = Path(__file__).resolve().parent.parent / "samples"
    published = tmp_path / "年报2020"
    made = run(
        "publish", samples / "2020", "--out-dir", published, "--format", "docx", "--format", "html"
    )
    assert made.exit_code == 0, made.output
    result = run("check", samples / "2021", "--previous", published, "--format", "json")
    assert result.exit_code in (0, 1) and "有两份报表" not in result.output + result.stderr
    # copies that differ are still refused
    html = next(published.glob("*.html"))
    page, n = re.subn(
        r'(headers="[^"]*">)(\d+)(<)',
        lambda m: f"{m.group(1)}{int(m.group(2)) + 1}{m.group(3)}",
        html.read_text(encoding="utf-8"),
        count=1,
    )
    assert n == 1
    html.write_text(page, encoding="utf-8")
    changed = run("check", samples / "2021", "--previous", published)
    assert changed.exit_code == 2
    assert "有两份报表" in changed.stderr


def test_summaries_of_summaries_are_compared_unit_by_unit_inside(tmp_path):
    """道外区 = 街镇片 + 部门片 both years; a unit inside 部门片 went. Their 片 members are the
    same, but the units they count are not: X4 names the unit, and X1/X3 are not checked on
    totals that no longer add up the same units."""
    _group_summaries(tmp_path)
    for year in ("2020", "2021"):
        top = tmp_path / f"道外区{year}.xlsx"
        assert run("merge", tmp_path / f"sums{year}", "--name", "道外区", "-o", top).exit_code == 0
    result = run(
        "check", tmp_path / "道外区2021.xlsx", "--previous", tmp_path / "道外区2020.xlsx",
        "--format", "json",
    )  # fmt: skip
    found = findings(result)
    assert not of_rule(found, "X1"), found
    (x4,) = of_rule(found, "X4")
    assert "上年有、本年没有的单位 1 个（道外区住房和城乡建设局）" in x4["message"]
    merged = run(
        "merge", tmp_path / "道外区2021.xlsx", "--name", "市", "-o", tmp_path / "市.xlsx",
        "--previous", tmp_path / "道外区2020.xlsx",
    )  # fmt: skip
    assert merged.exit_code == 0, merged.output
    assert "没有上年报表的单位" not in merged.output and "本年未汇总" not in merged.output


def _group_summaries(tmp_path: Path) -> None:
    """The samples of 2020 and 2021 merged into two 片 each, in ``sums2020/`` and ``sums2021/``:
    街镇片 (streets and towns) and 部门片 (departments)."""
    samples = Path(__file__).resolve().parent.parent / "samples"
    for year in ("2020", "2021"):
        for group, pick in (("街镇片", ("街道", "镇")), ("部门片", ("局",))):
            folder = tmp_path / f"{group}{year}"
            folder.mkdir()
            for source in (samples / year).glob("*.xlsx"):
                if any(word in source.stem for word in pick):
                    (folder / source.name).write_bytes(source.read_bytes())
            out = tmp_path / f"sums{year}" / f"{group}.xlsx"
            assert run("merge", folder, "--name", group, "-o", out).exit_code in (0, 1)


def test_a_previous_summary_without_its_breakdown_beside_returns_is_left_out_of_the_total(
    tmp_path,
):
    """Its units cannot be told, and they may be the returns beside it: adding it to them
    could count them twice, so last year's total leaves it out and says so."""
    from nianbao.pipeline.check import load_last_year

    last = tmp_path / "去年"
    for unit in ("甲局", "乙局"):
        write(last / f"{unit}.xlsx", unit, YEAR - 1)
    summary = tmp_path / "汇总.xlsx"
    merged = run("merge", last, "--name", "某区", "-o", summary)
    assert merged.exit_code == 0, merged.output
    book = openpyxl.load_workbook(summary)
    del book["分单位明细"]
    book.save(last / "某区汇总.xlsx")
    last_year = load_last_year(last, year=YEAR - 1)
    assert last_year.total is not None and last_year.total.members == 2
    assert "未计入上年合计" in last_year.note
