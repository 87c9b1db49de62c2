"""Fixes from a tester's pass over one reporting season, each through the command line:

- ``status --roster`` shows a return from a unit not on the roster (M05) and its nearest name;
- a roster row with more fields than headings (an unquoted comma) is an error at its line;
- ``template --roster`` checks every name before writing and leaves no half-done batch;
- an output that is a device, a pipe or a folder is refused as given, before ``.xlsx`` is added;
- ``check`` on files none of which is a return says why it exits 2.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner, Result

from nianbao.cli import cli
from nianbao.errors import UserError
from nianbao.form import get_form
from nianbao.xlsx.writer import write_return
from tests.support.returns import valid_return

FORM = get_form("2021")
YEAR = 2024
LONG_UNIT = "很长的单位名称" * 15  # 315 bytes: more than a file name holds


def run(*args: object) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args])


def code(result: Result) -> int:
    """The exit status ``nianbao`` itself would have (cli.main turns a UserError into it)."""
    if isinstance(result.exception, UserError):
        return result.exception.exit_code
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code


def said(result: Result) -> str:
    """Everything the run said: its output and, when it stopped on one, the error."""
    error = str(result.exception) if isinstance(result.exception, UserError) else ""
    return result.output + error


def returns(folder: Path, *units: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for seed, unit in enumerate(units):
        write_return(folder / f"{unit}.xlsx", FORM, valid_return(FORM, seed, unit=unit, year=YEAR))
    return folder


def files_in(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


# -- 1. status: a unit not on the roster (M05) ---------------------------------------------------


@pytest.fixture
def with_one_off_roster(tmp_path: Path) -> tuple[Path, Path]:
    folder = returns(tmp_path / "收回", "甲局", "乙局", "甲局办公室")
    roster = tmp_path / "名册.csv"
    roster.write_text(
        "单位名称,上级单位,单位代码\n甲局,区政府,001\n乙局,区政府,002\n", encoding="utf-8"
    )
    return folder, roster


def test_status_text_shows_a_unit_not_on_the_roster_with_the_nearest_roster_name(
    with_one_off_roster,
):
    folder, roster = with_one_off_roster
    result = run("status", folder, "--roster", roster)
    assert code(result) == 0, said(result)  # a warning: nothing to chase, nothing to correct
    lines = result.output.splitlines()
    # the counts add up: 2 on the roster and 1 not on it, 3 returns
    assert (
        lines[0] == "报送情况（名册 2 个单位，另有不在名册中的单位 1 个）：已报通过 2，有警告 1。"
    )
    assert f"  有警告 | 甲局办公室 | {folder / '甲局办公室.xlsx'} | M05 报送单位不在名册中" in lines
    (m05,) = [line for line in lines if line.startswith("[M05 警告]")]
    assert "「甲局办公室」" in m05 and "不在名册中。名册中最相近的单位：甲局。" in m05
    assert "已报通过 3" not in result.output


def test_status_json_carries_the_unit_not_on_the_roster_as_a_warning_with_M05(
    with_one_off_roster,
):
    folder, roster = with_one_off_roster
    result = run("status", folder, "--roster", roster, "--format", "json")
    assert code(result) == 0, said(result)
    data = json.loads(result.output)
    (extra,) = [u for u in data["units"] if not u["on_roster"]]
    assert extra["unit"] == "甲局办公室" and extra["status"] == "warnings"
    assert extra["warnings"] == 1 and "M05" in extra["problems"]
    (m05,) = extra["findings"]
    assert m05["rule"] == "M05" and m05["operands"]["nearest"] == "甲局"
    assert data["counts"]["passed"] == 2 and data["counts"]["warnings"] == 1
    assert sum(data["counts"].values()) == len(data["units"]) == 3


def test_the_printed_status_sheet_marks_the_unit_not_on_the_roster(with_one_off_roster, tmp_path):
    from nianbao.xlsx.summary import STATUS_SHEET

    folder, roster = with_one_off_roster
    sheet = tmp_path / "报送情况.xlsx"
    result = run("status", folder, "--roster", roster, "-o", sheet)
    assert code(result) == 0, said(result)
    printed = openpyxl.load_workbook(sheet)[STATUS_SHEET]
    assert "另有不在名册中的单位 1 个" in printed["A1"].value
    (row,) = [r for r in printed.iter_rows(min_row=3, values_only=True) if r[0] == "甲局办公室"]
    assert row[3] == "有警告" and "M05" in row[7]


# -- 2. roster: a row with more fields than headings ---------------------------------------------


def test_a_roster_row_with_more_fields_than_headings_is_an_error_naming_its_line(tmp_path):
    folder = returns(tmp_path / "收回", "道外区财政局")
    roster = tmp_path / "名册.csv"
    roster.write_text(
        "单位名称,上级单位,单位代码,联系人\n"
        "道外区财政局,区政府,230104007,张三\n"
        "道外区教育局,直属,分局,区政府,230104008,李四\n",
        encoding="utf-8",
    )
    result = run("status", folder, "--roster", roster)
    assert code(result) == 2
    message = said(result)
    assert f"名册 {roster}" in message
    assert "第 3 行有 6 列，而第一行的列名只有 4 列" in message and "「李四」" in message
    assert "英文双引号" in message
    assert "未报" not in result.output  # nothing was listed from a shifted row


def test_template_from_a_ragged_roster_writes_nothing_but_trailing_blanks_are_fine(tmp_path):
    roster = tmp_path / "名册.csv"
    roster.write_text("单位名称,单位代码\n甲局,1\n乙局,分局,2\n", encoding="utf-8")
    out = tmp_path / "下发"
    result = run("template", "--year", 2025, "--roster", roster, "--out-dir", out)
    assert code(result) == 2 and "第 3 行有 3 列" in said(result)
    assert not out.exists()
    # empty fields after the last heading (a spreadsheet's export) and a quoted comma shift nothing
    roster.write_text('单位名称,单位代码\n甲局,1,,\n"乙局,分局",2\n', encoding="utf-8")
    result = run("template", "--year", 2025, "--roster", roster, "--out-dir", out)
    assert code(result) == 0, said(result)
    assert len(files_in(out)) == 2


# -- 3. template --roster: all or nothing --------------------------------------------------------


def test_a_unit_name_too_long_for_a_file_name_still_gets_its_template(tmp_path):
    roster = tmp_path / "名册.csv"
    roster.write_text(
        f"单位名称,单位代码\n甲局,1\n乙局,2\n{LONG_UNIT},3\n丁局,4\n", encoding="utf-8"
    )
    out = tmp_path / "下发"
    result = run("template", "--year", 2025, "--roster", roster, "--out-dir", out)
    assert code(result) == 0, said(result)
    names = files_in(out)
    assert len(names) == 4 and all(len(os.fsencode(n)) <= 255 for n in names)
    assert not any(n.startswith(".") for n in names)  # no temporary file left behind


def _deep_folder(tmp_path: Path, length: int) -> Path:
    """A folder (not yet created) whose absolute path is about ``length`` bytes."""
    folder = tmp_path.resolve()
    while len(os.fsencode(str(folder))) < length - 200:
        folder = folder / ("层" * 60)  # 180 bytes a name
    return folder / ("a" * (length - len(os.fsencode(str(folder))) - 1))


def test_a_path_too_long_for_one_unit_stops_the_batch_before_anything_is_written(tmp_path):
    out = _deep_folder(tmp_path, 3900)  # room for 甲局's file name, not for the long unit's
    roster = tmp_path / "名册.csv"
    roster.write_text(f"单位名称,单位代码\n甲局,1\n{LONG_UNIT},2\n乙局,3\n", encoding="utf-8")
    result = run("template", "--year", 2025, "--roster", roster, "--out-dir", out)
    assert code(result) == 2
    message = said(result)
    assert "名称或路径过长" in message and "未写入任何文件" in message
    assert "很长的单位名称" in message and "甲局-" not in message
    assert not out.exists()  # not even the folder


def test_a_write_that_fails_midway_removes_the_templates_it_wrote_and_a_rerun_works(
    tmp_path, monkeypatch
):
    import nianbao.xlsx.writer as writer
    from nianbao.outputs import cannot_write

    real = writer.write_return
    calls: list[Path] = []

    def full_disk_on_the_third(path, *args, **kwargs):
        calls.append(Path(path))
        if len(calls) == 3:
            raise cannot_write(Path(path), OSError(28, "No space left on device"))
        return real(path, *args, **kwargs)

    monkeypatch.setattr(writer, "write_return", full_disk_on_the_third)
    roster = tmp_path / "名册.csv"
    roster.write_text("单位名称\n甲局\n乙局\n丙局\n丁局\n", encoding="utf-8")
    out = tmp_path / "下发" / "2025"
    result = run("template", "--year", 2025, "--roster", roster, "--out-dir", out)
    assert code(result) == 2
    message = said(result)
    assert "无法写入" in message and "丙局" in message
    assert "本次已生成的 2 个模板已删除" in message and "重新运行即可" in message
    assert not (tmp_path / "下发").exists()  # the folders it created are gone too

    monkeypatch.setattr(writer, "write_return", real)
    again = run("template", "--year", 2025, "--roster", roster, "--out-dir", out)
    assert code(again) == 0, said(again)
    assert len(files_in(out)) == 4


def test_a_failure_midway_under_force_names_the_files_it_replaced(tmp_path, monkeypatch):
    import nianbao.xlsx.writer as writer
    from nianbao.outputs import cannot_write

    roster = tmp_path / "名册.csv"
    roster.write_text("单位名称\n甲局\n乙局\n丙局\n", encoding="utf-8")
    out = tmp_path / "下发"
    assert code(run("template", "--year", 2025, "--roster", roster, "--out-dir", out)) == 0
    real = writer.write_return
    calls: list[Path] = []

    def fails_on_the_second(path, *args, **kwargs):
        calls.append(Path(path))
        if len(calls) == 2:
            raise cannot_write(Path(path), OSError(28, "No space left on device"))
        return real(path, *args, **kwargs)

    monkeypatch.setattr(writer, "write_return", fails_on_the_second)
    result = run("template", "--year", 2025, "--roster", roster, "--out-dir", out, "--force")
    assert code(result) == 2
    message = said(result)
    assert "以下 1 个原有文件已被新模板覆盖（--force）" in message and "甲局-" in message
    assert len(files_in(out)) == 3  # the others were there before: nothing of theirs removed


# -- 4. an output that is a device, a pipe or a folder -------------------------------------------


@pytest.fixture
def one_return(tmp_path: Path) -> Path:
    return returns(tmp_path / "收回", "甲局") / "甲局.xlsx"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
@pytest.mark.parametrize("command", ["merge", "status", "template"])
def test_a_pipe_given_as_output_is_refused_not_renamed(tmp_path, one_return, command):
    pipe = tmp_path / "管道"
    os.mkfifo(pipe)
    args = {"merge": ["merge", one_return, "--name", "区"], "status": ["status", one_return]}
    result = run(*args.get(command, ["template"]), "-o", pipe)
    assert code(result) == 2
    assert f"{pipe} 不是普通文件" in said(result)
    assert files_in(tmp_path) == ["收回", "管道"]  # no 管道.xlsx beside it


@pytest.mark.parametrize("command", ["merge", "status", "template"])
def test_a_folder_given_as_output_is_refused_not_renamed(tmp_path, one_return, command):
    folder = tmp_path / "汇总"
    folder.mkdir()
    args = {"merge": ["merge", one_return, "--name", "区"], "status": ["status", one_return]}
    result = run(*args.get(command, ["template"]), "-o", folder)
    assert code(result) == 2
    assert f"{folder} 是文件夹" in said(result)
    assert files_in(tmp_path) == ["收回", "汇总"]  # no 汇总.xlsx beside it


@pytest.mark.skipif(os.name != "posix", reason="/dev is POSIX")
@pytest.mark.parametrize(
    ("command", "output"),
    [
        ("merge", "/dev/null"),
        ("status", "/dev/null"),
        ("template", "/dev/null"),
        ("template", "/dev/stdout"),
        ("export", "/dev/null.csv"),
    ],
)
def test_a_device_path_is_refused_for_every_command(one_return, command, output):
    made = [Path(output + ".xlsx"), Path(output)]
    before = {p: p.exists() for p in made}
    args = {
        "merge": ["merge", one_return, "--name", "区"],
        "status": ["status", one_return],
        "export": ["export", one_return],
    }
    try:
        result = run(*args.get(command, ["template"]), "-o", output)
        assert code(result) == 2
        assert f"{output} 位于系统文件夹 /dev 中" in said(result)
    finally:
        for path in made:  # what a failing run may have created in /dev: remove it
            if not before[path] and path.is_file() and not path.is_symlink():
                path.unlink()
    assert not Path(output + ".xlsx").exists()


@pytest.mark.parametrize("command", ["merge", "status", "template"])
@pytest.mark.parametrize("name", [".xlsx", ".汇总.xlsx"])
def test_a_hidden_output_name_is_refused(tmp_path, one_return, command, name):
    """「-o 汇总/.xlsx」 wrote a hidden 「.xlsx.xlsx」: not seen in a file manager, and
    passed over by nianbao itself when it reads the folder."""
    args = {"merge": ["merge", one_return, "--name", "区"], "status": ["status", one_return]}
    result = run(*args.get(command, ["template"]), "-o", tmp_path / name)
    assert code(result) == 2
    assert "是隐藏文件" in said(result)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_an_output_name_too_long_is_refused_before_anything_is_read(tmp_path, one_return):
    result = run("merge", one_return, "--name", "区", "-o", tmp_path / ("汇" * 90 + ".xlsx"))
    assert code(result) == 2
    assert "名称或路径过长" in said(result) and "文件名 275 字节，此处最多 255 字节" in said(result)


# -- 5. check: nothing in the folder is a return -------------------------------------------------


def test_check_of_a_folder_without_any_return_says_why_it_exits_2(tmp_path):
    folder = tmp_path / "收回"
    folder.mkdir()
    (folder / "readme.txt").write_text("请于 1 月 15 日前报送。", encoding="utf-8")
    result = run("check", folder)
    assert result.exit_code == 2
    assert "未读取（不是报表）1" in result.stdout
    assert "没有找到任何统计表" in result.stderr and "退出码为 2" in result.stderr
    assert "文本格式（.txt）的年度报告请在命令中单独给出文件名" in result.stderr

    as_json = run("check", folder, "--format", "json")
    assert as_json.exit_code == 2
    assert json.loads(as_json.stdout)["summary"]["skipped"] == 1  # stdout stays JSON
    assert "没有找到任何统计表" in as_json.stderr

    returns(folder, "甲局")  # the same note beside a return: listed, and no bearing on the exit
    beside = run("check", folder)
    assert beside.exit_code == 0, beside.output
    assert "没有找到任何统计表" not in beside.output


def test_merge_of_a_folder_without_returns_says_they_are_no_returns(tmp_path):
    folder = tmp_path / "收回"
    folder.mkdir()
    (folder / "说明.txt").write_text("请于月底前报送。", encoding="utf-8")
    result = CliRunner().invoke(cli, ["merge", str(folder), "-o", str(tmp_path / "汇总.xlsx")])
    assert isinstance(result.exception, UserError)  # nianbao prints it and exits 2
    assert "共 1 个文件：1 个文件不是报表（未读取）" in str(result.exception)
    assert "均有错误" not in str(result.exception)


def test_an_explanations_row_with_more_fields_than_headings_is_refused_naming_its_line(tmp_path):
    from nianbao.checks.accept import read_explanations

    path = tmp_path / "说明.csv"
    path.write_text(
        "单位,规则,单元格,说明\n甲局,X3,,2025 年集中清理\n乙局,V04,D8,已核实, 属实\n",
        encoding="utf-8",
    )
    with pytest.raises(UserError) as refused:
        read_explanations(path)
    message = str(refused.value)
    assert "第 3 行有 5 列，而第一行的列名只有 4 列（多出「属实」）" in message


def test_by_parent_groups_parents_as_unit_names_are_compared_and_takes_off_roster_covers(
    tmp_path,
):
    """「东片（一）」 and 「东片(一)」 are one 上级单位 (the name comparison of the roster, merge
    and status); a unit not on the roster whose cover names 西片 is in 西片's group."""
    from nianbao.pipeline.check import read_one
    from tests.support.returns import valid_return

    form = get_form("2021")
    returns = tmp_path / "收回"
    returns.mkdir()
    units = {"甲局": "东片（一）", "乙局": "东片(一)", "丙局": "西片", "丁局": "西片"}
    for seed, (unit, parent) in enumerate(units.items()):
        ret = valid_return(form, seed=seed, unit=unit, year=2025, parent=parent)
        write_return(returns / f"{unit}.xlsx", form, ret)
    roster = tmp_path / "名册.csv"
    roster.write_text(
        "单位名称,上级单位\n甲局,东片（一）\n乙局,东片(一)\n丙局,西片\n", encoding="utf-8"
    )
    out = tmp_path / "全区.xlsx"
    result = CliRunner().invoke(
        cli, ["merge", str(returns), "--roster", str(roster), "--by-parent", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    folder = tmp_path / "全区-分组"
    assert sorted(p.name for p in folder.iterdir()) == ["东片（一）.xlsx", "西片.xlsx"]
    east, west = read_one(folder / "东片（一）.xlsx"), read_one(folder / "西片.xlsx")
    assert east.members == 2 and west.members == 2  # type: ignore[union-attr]
    book = openpyxl.load_workbook(folder / "西片.xlsx", read_only=True)
    listed = [row[0] for row in book["报送情况"].iter_rows(min_row=3, values_only=True)]
    assert "丁局" in listed


@pytest.mark.parametrize(
    "parents",
    [
        # a bureau over two units, itself under the district
        {"甲局": "区政府", "乙所": "甲局", "丙所": "甲局", "丁局": "区政府"},
        # a roster with a loop (甲局 over 乙所, 乙所 over 甲局): no unit is lost or counted twice
        {"甲局": "乙所", "乙所": "甲局", "丙所": "甲局", "丁局": "区政府"},
    ],
    ids=["bureau-over-units", "loop"],
)
def test_by_parent_puts_a_reporting_parent_in_its_own_group_so_the_groups_merge_up(
    tmp_path, parents
):
    """A 上级单位 that reports itself heads its group: its return is summed with the units under
    it and not again in its own parent's group, so the groups merge up to the total; before,
    merging them up was refused (M01: 甲局 counted in two groups)."""
    from nianbao.pipeline.check import read_one
    from tests.support.returns import valid_return

    form = get_form("2021")
    returns = tmp_path / "收回"
    returns.mkdir()
    for seed, (unit, parent) in enumerate(parents.items()):
        ret = valid_return(form, seed=seed, unit=unit, year=2025, parent=parent)
        write_return(returns / f"{unit}.xlsx", form, ret)
    roster = tmp_path / "名册.csv"
    roster.write_text(
        "单位名称,上级单位\n" + "".join(f"{u},{p}\n" for u, p in parents.items()),
        encoding="utf-8",
    )
    out = tmp_path / "全区.xlsx"
    result = run("merge", returns, "--roster", roster, "--by-parent", "--name", "区", "-o", out)
    assert result.exit_code == 0, result.output
    up = tmp_path / "再汇总.xlsx"
    again = run("merge", tmp_path / "全区-分组", "--name", "区", "-o", up)
    assert again.exit_code == 0, again.output
    total, merged_up = read_one(out), read_one(up)
    assert merged_up.values == total.values and merged_up.members == total.members == 4  # type: ignore[union-attr]
    bureau = read_one(tmp_path / "全区-分组" / "甲局.xlsx")
    assert "甲局" in bureau.member_names  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        ("二、主动公开政府信息情况!B4", {"B4"}),
        ("二、主动公开政府信息情况!B4,C5", {"B4", "C5"}),
        ("B4、C5", {"B4", "C5"}),
        ("表二!B4；C5", {"B4", "C5"}),
        ("B4,表二!C5", {"B4", "C5"}),
    ],
)
def test_explanation_cells_may_be_written_as_check_prints_them(tmp_path, cells, expected):
    from nianbao.checks.accept import read_explanations

    path = tmp_path / "说明.csv"
    path.write_text(f'单位,规则,单元格,说明\n甲局,V04,"{cells}",确无此项\n', encoding="utf-8")
    (entry,) = read_explanations(path)
    assert entry.cells == expected


def test_one_units_returns_of_two_years_are_no_duplicates(tmp_path):
    samples = Path(__file__).resolve().parent.parent / "samples"
    result = CliRunner().invoke(
        cli, ["export", str(samples / "2020"), str(samples / "2021"), "-o", str(tmp_path / "x.csv")]
    )
    assert result.exit_code == 0, result.output
    assert "重复报送" not in result.output


def test_a_shortened_cell_list_copied_from_check_is_refused_saying_so(tmp_path):
    from nianbao.checks.accept import read_explanations

    path = tmp_path / "说明.csv"
    path.write_text(
        '单位,规则,单元格,说明\n甲局,V04,"Sheet1!B6,C6,D6,B7,C7,D7…（共 10 格）",确无此项\n',
        encoding="utf-8",
    )
    with pytest.raises(UserError) as refused:
        read_explanations(path)
    assert "是校验结果中缩写的列表（带「…」）" in str(refused.value)
    assert "不是单元格地址" not in str(refused.value)


def test_by_parent_names_a_group_none_of_whose_units_has_a_return_to_sum(tmp_path):
    """A 上级单位 whose only unit did not report got no summary, and nothing on screen said so:
    a coordinator sending one file per group would not miss it."""
    samples = Path(__file__).resolve().parent.parent / "samples"
    roster = tmp_path / "名册.csv"
    roster.write_text(
        (samples / "roster-2021.csv")
        .read_text(encoding="utf-8-sig")
        .replace(
            "道外区住房和城乡建设局,哈尔滨市道外区人民政府", "道外区住房和城乡建设局,道外区城建口"
        ),
        encoding="utf-8",
    )
    out = tmp_path / "汇总.xlsx"
    result = run("merge", samples / "2021", "--roster", roster, "--by-parent", "-o", out)
    assert code(result) == 0
    assert "上级单位「道外区城建口」下的单位都没有可以汇总的报表" in said(result)
    assert [p.name for p in (tmp_path / "汇总-分组").iterdir()] == ["哈尔滨市道外区人民政府.xlsx"]
