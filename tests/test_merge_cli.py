"""`nianbao merge` and `nianbao export` end to end: real workbooks in, summary workbook out."""

import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from nianbao.checks.engine import validate_returns
from nianbao.cli import cli
from nianbao.errors import UserError
from nianbao.form import get_form
from nianbao.form.data import complete
from nianbao.pipeline.check import check_paths
from nianbao.pipeline.merge import MergeConflict
from nianbao.recognise.reader import read_return
from nianbao.xlsx.summary import BREAKDOWN_SHEET, FINDINGS_SHEET, STATUS_SHEET, TOTAL_LABEL
from nianbao.xlsx.writer import write_return
from tests.support.returns import valid_return
from tests.support.soffice import convert, requires_soffice

FORM = get_form("2021")
EAST = ["东区甲街道办事处", "东区乙局", "东区丙镇人民政府"]
WEST = ["西区甲街道办事处", "西区乙局"]
HOSTILE = '=HYPERLINK("http://example.com","点我")'


def write_unit(folder: Path, unit: str, seed: int, *, form=FORM, year=2021, name=None) -> Path:
    path = folder / f"{name or unit}.xlsx"
    write_return(
        path, form, valid_return(form, seed, unit=unit, year=year, parent="某市某区人民政府")
    )
    return path


@pytest.fixture(scope="module")
def district(tmp_path_factory) -> Path:
    """east/ and west/ folders of valid 2021 returns, and a roster of east with one unit missing."""
    root = tmp_path_factory.mktemp("district")
    for folder, units, offset in (("east", EAST, 0), ("west", WEST, 10)):
        (root / folder).mkdir()
        for i, unit in enumerate(units):
            write_unit(root / folder, unit, offset + i)
    (root / "roster.csv").write_text(
        "单位名称,上级单位,单位代码\n"
        + "".join(f"{u},东区人民政府,E{i}\n" for i, u in enumerate(EAST))
        + "东区丁局,东区人民政府,E9\n",
        encoding="utf-8",
    )
    return root


def run(*args: object):
    return CliRunner().invoke(cli, [str(a) for a in args])


def members_of(*folders: Path):
    return [read_return(p) for folder in folders for p in sorted(folder.glob("*.xlsx"))]


def sheet_rows(path: Path, sheet: str) -> list[tuple]:
    """Cell values as cached in the file (formulas give their cached result)."""
    return list(openpyxl.load_workbook(path, data_only=True)[sheet].iter_rows(values_only=True))


@pytest.fixture(scope="module")
def east_summary(district, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("out") / "东区汇总.xlsx"
    result = run(
        "merge", district / "east", "--roster", district / "roster.csv", "--name", "东区", "-o", out
    )
    assert result.exit_code == 0, result.output
    return out


# -- the summary itself ---------------------------------------------------------------------


def test_summary_cells_equal_the_sums_of_the_members(district, east_summary):
    summary = read_return(east_summary)
    members = members_of(district / "east")
    for cell in FORM.cells:
        expected = sum(complete(FORM, m.values)[cell.key] for m in members)
        assert summary.values[cell.key] == expected, cell.key
    assert (summary.unit, summary.year, summary.kind, summary.members) == (
        "东区",
        2021,
        "summary",
        3,
    )


def test_summary_passes_check_like_any_return(east_summary):
    """No error; its one warning says that 东区丁局 on the roster is not counted (M12)."""
    (report,) = check_paths([east_summary], require_unit=True)
    assert report.errors == 0, report.findings
    assert [f.rule.id for f in report.findings] == ["M12"]
    assert "未报：东区丁局" in report.findings[0].message
    (rules,) = validate_returns([report.ret], year=2021, require_unit=True)
    assert [f.rule.id for f in rules] == ["M12"]


def test_breakdown_has_a_row_per_unit_and_a_total_row_equal_to_the_summary(district, east_summary):
    rows = sheet_rows(east_summary, BREAKDOWN_SHEET)
    summary = read_return(east_summary)
    body = rows[2:]
    assert sorted(r[0] for r in body[:-1]) == sorted(EAST)
    total = body[-1]
    assert total[0] == TOTAL_LABEL
    for k, cell in enumerate(FORM.cells, start=1):
        assert total[k] == pytest.approx(float(summary.values[cell.key]))
        assert sum(r[k] for r in body[:-1]) == pytest.approx(float(summary.values[cell.key]))


def test_status_sheet_lists_roster_units_in_order_with_the_missing_one(east_summary):
    rows = sheet_rows(east_summary, STATUS_SHEET)
    assert rows[1][:7] == ("单位名称", "上级单位", "单位代码", "状态", "错误数", "警告数", "文件")
    by_unit = {r[0]: r for r in rows[2:]}
    assert [r[0] for r in rows[2:]] == [*EAST, "东区丁局"]
    assert by_unit["东区丁局"][3] == "未报" and by_unit["东区乙局"][3] == "已报通过"
    findings = sheet_rows(east_summary, FINDINGS_SHEET)
    assert any(r[2] == "M04" and "东区丁局" in r[6] for r in findings[2:])


def test_the_command_says_what_it_merged_and_who_is_missing(district, tmp_path):
    out = tmp_path / "s.xlsx"
    result = run("merge", district / "east", "--roster", district / "roster.csv", "-o", out)
    assert result.exit_code == 0
    assert "3 份报表已汇总" in result.output and str(out) in result.output
    assert "未报 1 个单位：东区丁局" in result.output
    # without --name the roster's common 上级单位 names the summary
    assert read_return(out).unit == "东区人民政府"


def test_a_unit_not_on_the_roster_is_reported_M05(district, tmp_path):
    out = tmp_path / "s.xlsx"
    result = run(
        "merge",
        district / "east",
        district / "west",
        "--roster",
        district / "roster.csv",
        "-o",
        out,
    )
    assert result.exit_code == 0, result.output
    assert "不在名册中的单位 2 个" in result.output
    rules = [r[2] for r in sheet_rows(out, FINDINGS_SHEET)[2:]]
    assert rules.count("M05") == 2


# -- closure and determinism ----------------------------------------------------------------------


def test_merging_two_district_summaries_equals_merging_all_members(
    district, east_summary, tmp_path
):
    west = tmp_path / "西区.xlsx"
    assert run("merge", district / "west", "--name", "西区", "-o", west).exit_code == 0
    city = tmp_path / "city" / "市.xlsx"
    result = run("merge", east_summary, west, "--name", "市", "-o", city)
    assert result.exit_code == 0, result.output
    direct = tmp_path / "direct.xlsx"
    assert (
        run("merge", district / "east", district / "west", "--name", "市", "-o", direct).exit_code
        == 0
    )
    upward, flat = read_return(city), read_return(direct)
    assert upward.values == flat.values
    assert upward.members == flat.members == len(EAST) + len(WEST)


def test_input_order_does_not_change_the_output_bytes(district, tmp_path):
    files = sorted((district / "east").glob("*.xlsx")) + sorted((district / "west").glob("*.xlsx"))
    a, b = tmp_path / "a" / "s.xlsx", tmp_path / "b" / "s.xlsx"
    assert run("merge", *files, "-o", a).exit_code == 0
    assert run("merge", *reversed(files), "-o", b).exit_code == 0
    assert a.read_bytes() == b.read_bytes()


def test_a_summary_written_into_the_input_folder_is_not_merged_into_the_next_run(
    district, tmp_path
):
    folder = tmp_path / "in"
    shutil.copytree(district / "west", folder)
    out = folder / "汇总.xlsx"
    assert run("merge", folder, "--name", "西区", "-o", out).exit_code == 0
    written = out.read_bytes()
    # the next run finds last run's summary among the inputs: it is neither replaced (it is
    # an input now, --force or not) nor summed again
    for force in ((), ("--force",)):
        again = run("merge", folder, "--name", "西区", "-o", out, *force)
        assert isinstance(again.exception, UserError) and again.exception.exit_code == 2
        assert "同一个文件" in str(again.exception) and "--force 也不会覆盖" in str(again.exception)
    other = run("merge", folder, "--name", "西区", "-o", tmp_path / "另一个.xlsx")
    assert other.exit_code == 1 and "M08" in other.output and "汇总.xlsx" in other.output
    assert not (tmp_path / "另一个.xlsx").exists()
    assert out.read_bytes() == written and read_return(out).members == len(WEST)


# -- refusals -------------------------------------------------------------------------------------


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_returns_with_errors_stop_the_merge_and_nothing_is_written(district, tmp_path):
    folder = tmp_path / "in"
    shutil.copytree(district / "west", folder)
    bad = valid_return(FORM, 5, unit="坏局", year=2021)
    bad.values["三:1:c1"] = "五"
    write_return(folder / "坏局.xlsx", FORM, bad)
    (folder / "空文件.xlsx").write_bytes(b"")
    out = tmp_path / "out" / "汇总.xlsx"
    result = run("merge", folder, "-o", out)
    assert result.exit_code == 2  # a file cannot be read (空文件.xlsx): 2, as for check
    assert (
        "坏局.xlsx" in result.output and "V01" in result.output and "空文件.xlsx" in result.output
    )
    assert "未生成汇总表" in result.output and "--skip-invalid" in result.output
    assert _leftovers(out.parent) == []


def test_skip_invalid_merges_the_valid_ones_and_lists_the_excluded(district, tmp_path):
    folder = tmp_path / "in"
    shutil.copytree(district / "west", folder)
    (folder / "坏的.xlsx").write_bytes(b"PK\x03\x04 broken")
    out = tmp_path / "汇总.xlsx"
    result = run("merge", folder, "--skip-invalid", "-o", out)
    assert result.exit_code == 2, (
        result.output
    )  # the summary is written; the exit says a file was not
    assert "坏的.xlsx" in result.output and "已跳过" in result.output
    assert read_return(out).members == len(WEST)
    status = sheet_rows(out, STATUS_SHEET)[2:]
    assert any(r[3] == "文件无法读取" and r[6].endswith("坏的.xlsx") for r in status)


def test_the_same_unit_twice_is_refused_naming_both_files(district, tmp_path):
    folder = tmp_path / "in"
    shutil.copytree(district / "west", folder)
    twin = write_unit(folder, WEST[0], 77, name="重复报送")
    out = tmp_path / "汇总.xlsx"
    result = run("merge", folder, "-o", out)
    assert isinstance(result.exception, MergeConflict)
    message = str(result.exception)
    assert "M01" in message and twin.name in message and f"{WEST[0]}.xlsx" in message
    assert not out.exists()


def test_a_unit_whose_second_return_has_errors_is_not_summed_from_the_first(district, tmp_path):
    """A corrected return sent after the first, with an error of its own: with --skip-invalid
    the first passed and was summed as the unit's only return, the duplicate unsaid."""
    folder = tmp_path / "in"
    shutil.copytree(district / "west", folder)
    corrected = valid_return(FORM, 78, unit=WEST[0], year=2021, parent="某市某区人民政府")
    corrected.values["三:1:c1"] = "五"
    write_return(folder / "更正.xlsx", FORM, corrected)
    out = tmp_path / "汇总.xlsx"
    for skip in (["--skip-invalid"], []):
        result = run("merge", folder, *skip, "-o", out)
        assert result.exit_code == 1, result.output
        said = result.output + str(result.exception or "")
        assert "[M01]" in said and "更正.xlsx" in said and f"{WEST[0]}.xlsx" in said
        assert not out.exists()
    # once the unit's old return is taken away, the others merge without the one with errors
    (folder / f"{WEST[0]}.xlsx").unlink()
    result = run("merge", folder, "--skip-invalid", "-o", out)
    assert result.exit_code == 1 and read_return(out).members == len(WEST) - 1


@pytest.mark.parametrize("other", ["vintage", "year"])
def test_a_return_of_another_year_than_most_is_an_error_that_blocks_the_merge(
    district, tmp_path, other
):
    # last year's return left among this year's is 有错误 (C03), as status says; it blocks the
    # merge and is left out with --skip-invalid, never summed with this year's
    folder = tmp_path / "in"
    shutil.copytree(district / "west", folder)
    if other == "vintage":
        odd = write_unit(folder, "旧表局", 3, form=get_form("2019"), year=2020)
    else:
        odd = write_unit(folder, "明年局", 3, year=2022)
    out = tmp_path / "汇总.xlsx"
    result = run("merge", folder, "-o", out)
    assert result.exit_code == 1 and not out.exists(), result.output
    assert f"{odd}" in result.output and "C03" in result.output
    result = run("merge", folder, "--skip-invalid", "-o", out)
    assert result.exit_code == 1 and read_return(out).members == len(WEST), result.output


def test_returns_of_two_years_with_none_the_most_common_are_refused_as_mixed(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    write_unit(folder, "甲局", 1, year=2021)
    write_unit(folder, "乙局", 2, year=2022)
    out = tmp_path / "汇总.xlsx"
    result = run("merge", folder, "-o", out)
    assert isinstance(result.exception, MergeConflict)
    assert "M03" in str(result.exception)
    assert not out.exists()


def test_year_option_turns_other_years_into_errors(district, tmp_path):
    result = run("merge", district / "west", "--year", "2022", "-o", tmp_path / "s.xlsx")
    assert result.exit_code == 1 and "C03" in result.output


def test_an_output_that_is_an_input_is_refused_and_the_input_kept(district, tmp_path):
    folder = tmp_path / "in"
    shutil.copytree(district / "west", folder)
    victim = sorted(folder.glob("*.xlsx"))[0]
    before = victim.read_bytes()
    result = run("merge", *sorted(folder.glob("*.xlsx")), "-o", victim)
    assert result.exception is not None and "同一个文件" in str(result.exception)
    assert victim.read_bytes() == before


def test_errors_give_exit_code_1_and_chinese_without_traceback_from_the_real_command(
    district, tmp_path
):
    folder = tmp_path / "in"
    shutil.copytree(district / "west", folder)
    write_unit(folder, WEST[0], 78, name="重复")
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "from nianbao.cli import main; main()",
            "merge",
            str(folder),
            "-o",
            str(tmp_path / "s.xlsx"),
        ],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 1
    assert (
        done.stderr.startswith("错误：") and "M01" in done.stderr and "Traceback" not in done.stderr
    )


# -- user text in the workbook ------------------------------------------------------------------------


def test_unit_names_that_look_like_formulas_are_written_as_plain_text(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    write_unit(folder, HOSTILE, 1, name="hostile")
    write_unit(folder, "正常局", 2)
    out = tmp_path / "s.xlsx"
    assert run("merge", folder, "-o", out).exit_code == 0
    book = openpyxl.load_workbook(out)
    for name in (BREAKDOWN_SHEET, STATUS_SHEET):
        cells = [c for row in book[name].iter_rows() for c in row if c.value == HOSTILE]
        assert cells and all(c.data_type == "s" for c in cells)


def test_help_is_chinese():
    for name in ("merge", "export"):
        result = run(name, "--help")
        assert result.exit_code == 0 and "用法" in result.output and "Usage" not in result.output
        assert "required" not in result.output


# -- export ---------------------------------------------------------------------------------------


def test_export_writes_a_bom_csv_of_every_readable_return_and_lists_the_unreadable(
    district, tmp_path
):
    folder = tmp_path / "in"
    shutil.copytree(district / "west", folder)
    (folder / "坏的.xlsx").write_bytes(b"not a zip")
    out = tmp_path / "data.csv"
    result = run("export", folder, "-o", out)
    assert result.exit_code == 2  # a file cannot be read: 2, as for check and merge
    assert "坏的.xlsx" in result.output and "无法读取" in result.output
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert raw.decode("utf-8-sig").count("\n") == 1 + len(WEST) * len(FORM.cells)


@pytest.mark.parametrize("suffix", ["json", "xlsx"])
def test_export_other_formats_by_suffix(district, tmp_path, suffix):
    out = tmp_path / f"data.{suffix}"
    result = run("export", district / "west", "-o", out)
    assert result.exit_code == 0, result.output
    assert out.exists() and f"{len(WEST) * len(FORM.cells)} 行" in result.output


def test_export_refuses_an_unknown_suffix_before_reading(district, tmp_path):
    result = run("export", district / "west", "-o", tmp_path / "data.txt")
    assert result.exception is not None and ".csv" in str(result.exception)


# -- in a real spreadsheet application --------------------------------------------------------------


@requires_soffice
def test_libreoffice_recomputes_the_same_totals_as_the_cached_ones(east_summary, tmp_path):
    """Every formula (the statutory totals and the breakdown's 合计 row) recalculated by
    LibreOffice equals the value nianbao cached, so Protected View shows the right figures."""
    recalculated = convert(east_summary, "xlsx", tmp_path)
    cached = openpyxl.load_workbook(east_summary, data_only=True)
    fresh = openpyxl.load_workbook(recalculated, data_only=True)
    formulas = openpyxl.load_workbook(east_summary)
    checked = 0
    for ws in formulas.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    ref = cell.coordinate
                    assert fresh[ws.title][ref].value == cached[ws.title][ref].value, (
                        ws.title,
                        ref,
                    )
                    checked += 1
    assert checked > len(FORM.cells)


def test_a_failure_while_writing_leaves_no_summary_and_no_temporary_file(
    district, tmp_path, monkeypatch
):
    import nianbao.xlsx.summary as summary_module

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(summary_module, "_write_findings", interrupted)
    out = tmp_path / "out" / "汇总.xlsx"
    result = run("merge", district / "west", "-o", out)
    assert result.exit_code != 0
    assert _leftovers(out.parent) == []


def test_a_very_large_merge_leaves_the_breakdown_to_export(district, tmp_path, monkeypatch):
    import nianbao.xlsx.summary as summary_module

    monkeypatch.setattr(summary_module, "BREAKDOWN_LIMIT", 2)
    out = tmp_path / "s.xlsx"
    result = run("merge", district / "east", "-o", out)
    assert result.exit_code == 0 and "分单位明细" in result.output
    rows = sheet_rows(out, BREAKDOWN_SHEET)
    assert "nianbao export" in rows[2][0] and len(rows) == 3
    assert read_return(out).members == len(EAST)


def test_the_findings_sheet_lists_each_finding_and_marks_the_explained_ones(tmp_path):
    from nianbao.form.findings import Finding, Rule
    from nianbao.pipeline.merge import merge_returns
    from nianbao.xlsx.summary import write_summary

    members = [valid_return(FORM, seed, unit=unit, year=2021) for seed, unit in enumerate(EAST)]
    summary = merge_returns(members, name="东区")
    long = "请核对本表的合计数。" * 20  # several lines in its 60-wide column
    findings = [
        ("东区乙局", Finding(Rule.V04, "空白", file="乙.xlsx", sheet="表二", cells=("C5",))),
        ("东区丙镇人民政府", Finding(Rule.E1, long, file="丙.xlsx", sheet="表三", cells=("D9",))),
        ("东区乙局", Finding(Rule.V04, "空白", file="乙.xlsx", sheet="表二").explained("确无此项")),
        ("", Finding(Rule.M04, "名册中的单位「东区丁局」没有报送统计表。")),
    ]
    out = tmp_path / "s.xlsx"
    write_summary(out, summary, members, findings=findings)
    sheet = openpyxl.load_workbook(out)[FINDINGS_SHEET]
    rows = [tuple(c.value for c in row) for row in sheet.iter_rows(min_row=3)]
    assert rows == [
        ("东区乙局", "乙.xlsx", "V04", "警告", "表二", "C5", "空白", None),
        ("东区丙镇人民政府", "丙.xlsx", "E1", "错误", "表三", "D9", long, None),
        ("东区乙局", "乙.xlsx", "V04", "警告·已说明", "表二", None, "空白", "确无此项"),
        (None, None, "M04", "警告", None, None, findings[3][1].message, None),
    ]
    assert sheet["A1"].value == "校验问题（共 4 条：错误 1 条，警告 2 条，已说明 1 条）"
    # the explained one in pale blue where it says so (its level and its explanation)
    fills = {c.coordinate: c.fill.fgColor.rgb for c in sheet[5]}
    assert fills["D5"] == fills["H5"] == "FFDDEBF7" and fills["A5"] != "FFDDEBF7"
    assert sheet.row_dimensions[3].height is None  # one line
    assert sheet.row_dimensions[4].height >= 4 * 15  # the long message, wrapped
    assert sheet.auto_filter.ref == "A2:H6"


def test_two_summaries_made_without_a_name_are_told_to_be_named_not_asked_about(district, tmp_path):
    """Two districts' summaries made without --name are both 「汇总」: M01 said 「请向该单位确认
    哪一份是正确的」, as if one unit had sent two versions."""
    up = tmp_path / "各区"
    up.mkdir()
    for folder in ("east", "west"):
        assert run("merge", district / folder, "-o", up / f"{folder}.xlsx").exit_code == 0
    result = run("merge", up, "-o", tmp_path / "市.xlsx")
    assert isinstance(result.exception, MergeConflict)
    message = str(result.exception)
    assert "M01" in message and "没有写明单位名称的汇总表" in message and "--name" in message
    assert "确认哪一份是正确的" not in message


def test_a_merge_refused_as_mixed_also_names_duplicates_and_whom_to_chase(tmp_path):
    # everything that stops the merge is said in one run, not one kind per run
    folder = tmp_path / "in"
    folder.mkdir()
    write_unit(folder, "甲局", 1, year=2021)
    write_unit(folder, "丙局", 3, year=2021)
    write_unit(folder, "乙局", 2, year=2022)
    write_unit(folder, "乙局", 4, year=2022, name="乙局（修改版）")
    roster = tmp_path / "名册.csv"
    roster.write_text("单位名称\n甲局\n乙局\n丙局\n丁局\n", encoding="utf-8")
    result = run("merge", folder, "--roster", roster, "-o", tmp_path / "汇总.xlsx")
    assert isinstance(result.exception, MergeConflict)
    said = str(result.exception)
    assert "[M03]" in said and "[M01] 单位「乙局」报送了 2 份报表" in said
    assert "需要催报的单位 1 个：丁局（未报）" in said


def test_the_warnings_said_on_screen_are_those_the_status_sheet_counts(district, tmp_path):
    # a unit missing from the roster (M05) is a warning on its row of 报送情况: the screen
    # said no return had warnings while the sheet said one had
    roster = tmp_path / "名册.csv"
    roster.write_text("单位名称\n" + "\n".join(WEST[1:]) + "\n", encoding="utf-8")
    out = tmp_path / "汇总.xlsx"
    result = run("merge", district / "west", "--roster", roster, "-o", out)
    assert result.exit_code == 0, result.output
    title = sheet_rows(out, STATUS_SHEET)[0][0]
    assert "有警告 1" in title and "其中 1 份有警告" in result.output
