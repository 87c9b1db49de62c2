"""`nianbao check` end to end: real workbooks written by the project's writer, read back."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from nianbao.cli import cli
from nianbao.commands.render import render_text
from nianbao.form import get_form
from nianbao.form.data import FileReport
from nianbao.form.findings import Rule
from nianbao.form.layout import layout_for
from nianbao.pipeline.check import check_paths, expand_paths
from nianbao.xlsx.writer import write_return
from tests.support.returns import (
    consistent_previous,
    cover_a1,
    folder_with_a_copy,
    valid_return,
)

FORM = get_form("2021")
BAD_CELL = "二:20-5.1:c1"
DOC = Path(__file__).resolve().parents[1] / "docs" / "json-format.md"


def write(path: Path, ret) -> Path:
    write_return(path, ret.form, ret, unit=ret.unit, year=ret.year)
    return path


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("check")
    folder = root / "收回"
    folder.mkdir()
    good = valid_return(FORM, 1, unit="甲街道", year=2024)
    bad = valid_return(FORM, 2, unit="乙局", year=2024)
    bad.values[BAD_CELL] = "十二"
    no_unit = valid_return(FORM, 3, unit=None, year=2024)
    last = consistent_previous(good)
    last.values["三:4:c2"] += 1  # last year's carried-out no longer matches this year's carried-in
    paths = {
        "good": write(folder / "a-甲街道.xlsx", good),
        "bad": write(folder / "b-乙局.xlsx", bad),
        "no_unit": write(folder / "c-无单位.xlsx", no_unit),
        "last": write(root / "甲街道-2023.xlsx", last),
        "consistent": write(root / "甲街道-2023-对.xlsx", consistent_previous(good)),
    }
    paths["broken"] = folder / "d-损坏.xlsx"
    paths["broken"].write_bytes(b"PK\x03\x04 this is not a workbook")
    (folder / "~$a-甲街道.xlsx").write_bytes(b"lock")  # Office lock file: skipped
    (folder / ".hidden.xlsx").write_bytes(b"hidden")
    (folder / "说明.txt").write_text("not a spreadsheet", encoding="utf-8")
    paths["folder"] = folder
    paths["root"] = root
    return paths


def run(*args: object):
    return CliRunner().invoke(cli, ["check", *map(str, args)])


def test_a_good_file_passes_with_exit_code_0(files):
    result = run(files["good"])
    assert result.exit_code == 0, result.output
    assert (
        result.output.splitlines()[0] == f"{files['good']}（甲街道，2024 年度，2021版表式）：✓ 通过"
    )
    assert result.output.splitlines()[-1] == "共 1 个文件：通过 1，有警告 0，有错误 0，无法读取 0。"


def test_warnings_alone_still_exit_0(files):
    result = run(files["no_unit"])
    assert result.exit_code == 0, result.output
    assert "⚠ 通过（有 1 条警告）" in result.output
    assert f"[C01 警告] 封面!{cover_a1('unit')} 没有找到填报单位" in result.output


def test_the_unit_option_fills_in_a_missing_unit(files):
    result = run(files["no_unit"], "--unit", "丙办公室")
    assert (
        result.exit_code == 0
        and "（丙办公室，2024 年度" in result.output
        and "C01" not in result.output
    )


def test_an_error_exits_1_and_names_sheet_and_cell(files):
    result = run(files["bad"])
    assert result.exit_code == 1, result.output
    sheet, a1 = layout_for(FORM).address(BAD_CELL)
    assert "✗ 有 1 个错误" in result.output
    line = next(line for line in result.output.splitlines() if "V01" in line)
    cell = FORM.cell(BAD_CELL)
    assert (
        line
        == f"  [V01 错误] {sheet}!{a1} {cell.description}填的是「十二」，不是数字。请填写阿拉伯数字，没有请填 0。"
    )


def test_a_folder_of_mixed_files_reports_every_file_and_exits_2(files):
    result = run(files["folder"])
    assert result.exit_code == 2
    verdicts = [line for line in result.stdout.splitlines() if not line.startswith(" ")]
    assert [v.split("：", 1)[0].split("（")[0] for v in verdicts[:-1]] == [
        *(str(files[k]) for k in ("good", "bad", "no_unit", "broken")),
        str(files["folder"] / "说明.txt"),
    ]
    assert (
        verdicts[-1] == "共 5 个文件：通过 1，有警告 1，有错误 1，无法读取 1，未读取（不是报表）1。"
    )
    assert "✗ 无法读取" in verdicts[3] and "[F01 错误]" in result.output
    # every file in the folder is accounted for: the note is listed as not read, with why
    assert (
        "— 未读取" in verdicts[4]
        and "[F05 警告] 未读取：文件「说明.txt」是文本文件" in result.output
    )
    assert "已跳过 1 个 Excel / WPS 临时锁定文件（~$ 开头）和 1 个隐藏文件" in result.stderr
    assert "Traceback" not in result.output


def test_a_return_saved_under_a_lock_files_name_is_read_not_skipped(tmp_path):
    """A lock file names its owner in a few hundred bytes; a workbook named 「~$…」 is a
    return (a unit saved it so), and was passed over while the unit was chased as 未报."""
    folder = tmp_path / "收回"
    folder.mkdir()
    write(folder / "~$丙局.xlsx", valid_return(FORM, 4, unit="丙局", year=2024))
    (folder / "~$丁局.xlsx").write_bytes(b"\x0bowner" + b" " * 150)  # Excel's own lock file
    result = run(folder)
    assert "~$丙局.xlsx（丙局，2024 年度" in result.stdout
    assert "已跳过 1 个 Excel / WPS 临时锁定文件" in result.stderr


def test_a_missing_file_does_not_stop_the_others(files, tmp_path):
    result = run(tmp_path / "没有这个文件.xlsx", files["good"])
    assert result.exit_code == 2
    assert "不存在" in result.output and "✓ 通过" in result.output


def documented_keys() -> dict[str, set[str]]:
    """The keys of each table in docs/json-format.md, by section heading."""
    sections: dict[str, set[str]] = {}
    heading = ""
    for line in DOC.read_text(encoding="utf-8").splitlines():
        if line.startswith("### "):
            heading = line[4:].strip().strip("`")
            sections[heading] = set()
        elif heading and (match := re.match(r"\| `(\w+)` \|", line)):
            sections[heading].add(match.group(1))
    return sections


def test_json_output_has_exactly_the_documented_keys(files):
    result = run(files["folder"], "--format", "json")
    assert result.exit_code == 2
    data = json.loads(result.stdout)
    keys = documented_keys()
    assert set(data) == keys["Top level"]
    assert set(data["summary"]) == keys["summary"]
    assert data["summary"] == {
        "files": 5,
        "ok": 1,
        "warnings": 1,
        "errors": 1,
        "unreadable": 1,
        "skipped": 1,
    }
    assert sorted(Path(p).name for p in data["ignored"]) == [".hidden.xlsx", "~$a-甲街道.xlsx"]
    for entry in data["files"]:
        assert set(entry) == keys["files[]"] - {"annotated"}  # annotated: only with --annotate
        for finding in entry["findings"]:
            assert set(finding) == keys["files[].findings[]"]
            assert finding["file"] == entry["path"]
    by_status = {entry["status"]: entry for entry in data["files"]}
    assert by_status["unreadable"]["findings"][0]["rule"] == "F01"
    assert by_status["unreadable"]["unit"] is None
    assert by_status["errors"]["findings"][0]["cells"] == [layout_for(FORM).address(BAD_CELL)[1]]
    assert by_status["ok"]["vintage"] == "2021" and by_status["ok"]["year"] == 2024


def test_the_documented_example_is_valid_json_with_the_documented_keys():
    example = re.search(r"```json\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S).group(1)
    data = json.loads(example)
    keys = documented_keys()
    assert set(data) == keys["Top level"] and set(data["files"][0]) == keys["files[]"]
    assert set(data["files"][0]["findings"][0]) == keys["files[].findings[]"]


def test_annotate_writes_marked_copies_and_leaves_the_originals_alone(files, tmp_path):
    import openpyxl

    before = {p: p.read_bytes() for p in files["folder"].iterdir()}
    out = tmp_path / "批注"
    result = run(files["folder"], "--annotate", out, "--format", "json")
    assert result.exit_code == 2
    assert {p: p.read_bytes() for p in files["folder"].iterdir()} == before
    annotated = {e["path"]: e["annotated"] for e in json.loads(result.stdout)["files"]}
    assert annotated == {
        str(files["good"]): None,  # nothing to mark
        str(files["bad"]): str(out / "b-乙局-校验意见.xlsx"),
        str(files["no_unit"]): str(out / "c-无单位-校验意见.xlsx"),
        str(files["broken"]): None,
        str(files["folder"] / "说明.txt"): None,  # not a return: listed, never annotated
    }
    book = openpyxl.load_workbook(out / "b-乙局-校验意见.xlsx")
    assert book.sheetnames[0] == "校验意见"
    sheet, a1 = layout_for(FORM).address(BAD_CELL)
    cell = book[sheet][a1]
    assert "V01" in cell.comment.text and cell.comment.author == "nianbao"
    # the copy now exists: a second run replaces it only when told to
    copy = out / "b-乙局-校验意见.xlsx"
    first = copy.read_bytes()
    again = run(files["bad"], "--annotate", out)
    assert again.exit_code == 2 and "--force" in again.stderr and copy.read_bytes() == first
    text = run(files["bad"], "--annotate", out, "--force")
    assert f"→ 批注副本：{copy}" in text.output


def test_previous_year_carried_out_must_match(files):
    result = run(files["good"], "--previous", files["last"])
    assert result.exit_code == 1
    (line,) = [line for line in result.output.splitlines() if "[X1" in line]
    assert (
        f"!{layout_for(FORM).address('三:2:c2')[1]} " in line
        and str(files["last"]) in line
        and "相差 1" in line
    )
    assert run(files["good"], "--previous", files["consistent"]).exit_code == 0


def test_an_unreadable_previous_file_is_an_argument_error(files):
    result = run(files["good"], "--previous", files["broken"])
    assert result.exit_code == 2
    assert "错误：上年报表（--previous）无法使用" in result.output


def test_a_folder_of_previous_returns_is_matched_by_unit(files, tmp_path):
    shutil.copy(files["last"], tmp_path / "上年.xlsx")
    result = run(files["good"], files["bad"], "--previous", tmp_path, "--format", "json")
    rules = {
        e["unit"]: [f["rule"] for f in e["findings"]] for e in json.loads(result.stdout)["files"]
    }
    # 乙局 has no return in last year's folder: said (X7), not passed over
    assert rules == {"甲街道": ["X1"], "乙局": ["X7", "V01"]}


def test_a_year_other_than_the_required_one_is_an_error(files):
    result = run(files["good"], "--year", "2025")
    assert result.exit_code == 1 and "[C03 错误]" in result.output


@pytest.mark.parametrize(
    "args",
    [("--format", "xml"), ("--year", "二〇二四"), ("--jobs", "-1"), ()],
    ids=["format", "year", "jobs", "no-file"],
)
def test_bad_arguments_exit_2_with_a_chinese_message(files, args):
    result = CliRunner().invoke(cli, ["check", *args, *([str(files["good"])] if args else [])])
    assert result.exit_code == 2
    assert "错误" in result.output or "缺少" in result.output
    assert "Error" not in result.output and "Usage" not in result.output


def test_an_empty_folder_is_an_argument_error(tmp_path):
    result = run(tmp_path)
    assert result.exit_code == 2 and "没有找到要校验的表格文件" in result.output


def test_help_is_chinese():
    result = CliRunner().invoke(cli, ["check", "--help"])
    assert result.exit_code == 0
    for option in ("--format", "--annotate", "--previous", "--year", "--unit", "--jobs", "退出码"):
        assert option in result.output


def test_reading_in_worker_processes_gives_the_same_reports(files):
    one = check_paths([files["folder"]], jobs=1)
    two = check_paths([files["folder"]], jobs=2)
    assert render_text(two) == render_text(one)
    assert [r.ret.values if r.ret else None for r in two] == [
        r.ret.values if r.ret else None for r in one
    ]


def test_an_unexpected_failure_while_reading_becomes_F01(files, monkeypatch):
    import nianbao.recognise.reader

    def explode(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(nianbao.recognise.reader, "read_return", explode)
    (report,) = check_paths([files["good"]])
    assert report.status == "unreadable"
    (finding,) = report.findings
    assert (
        finding.rule is Rule.F01
        and "boom" not in finding.message
        and "RuntimeError" not in finding.message
    )
    assert finding.file == str(files["good"])


def test_folders_skip_lock_hidden_and_other_files(files):
    found = expand_paths([files["folder"], files["good"]])
    assert [p.name for p in found] == [
        "a-甲街道.xlsx",
        "b-乙局.xlsx",
        "c-无单位.xlsx",
        "d-损坏.xlsx",
        "说明.txt",  # every file of a folder is accounted for; lock and hidden files are not read
    ]


def test_a_file_report_status_follows_its_findings(files):
    reports = check_paths([files["folder"]])
    assert [r.status for r in reports] == ["ok", "errors", "warnings", "unreadable", "skipped"]
    assert all(isinstance(r, FileReport) for r in reports)
    assert all(f.file == str(r.path) for r in reports for f in r.findings)


def test_text_lines_cut_long_cell_lists_and_neutralise_control_characters(files):
    from nianbao.commands.render import finding_line
    from nianbao.form.findings import Finding

    (report,) = check_paths([files["good"]])
    report.ret.unit = "甲\x1b[31m街道"
    many = Finding(Rule.V04, "空白", sheet="表", cells=tuple(f"A{i}" for i in range(1, 21)))
    assert finding_line(many) == "[V04 警告] 表!A1,A2,A3,A4,A5,A6…（共 20 格） 空白"
    text = render_text([report])
    assert "\x1b" not in text and "甲�[31m街道" in text


@pytest.mark.parametrize("command", ["check", "merge", "status", "export", "publish", "template"])
@pytest.mark.parametrize("year", ["1999", "2205"])
def test_a_year_no_report_can_have_is_refused_by_every_command(files, tmp_path, command, year):
    # --year 2205 for 2025: one typo, and every file of the batch was a C03 error.
    paths = [] if command == "template" else [str(files["good"])]
    out = {
        "check": [],
        "export": ["-o", str(tmp_path / "x.csv")],
        "publish": ["-o", str(tmp_path / "x.docx")],
    }.get(command, ["-o", str(tmp_path / "x.xlsx")])
    result = CliRunner().invoke(cli, [command, *paths, "--year", year, *out])
    assert result.exit_code == 2, result.output
    assert f"{year}" in result.output and "2019 年及以后" in result.output
    assert list(tmp_path.iterdir()) == []


def test_a_folder_with_a_units_return_twice_says_so_after_the_files(tmp_path):
    folder = folder_with_a_copy(tmp_path, "甲局", 2024, seed=4)
    result = run(folder)
    assert result.exit_code == 0  # each file is judged on its own, and both pass
    last = result.stdout.splitlines()[-1]
    assert last.startswith("重复报送：单位「甲局」报送了 2 份报表") and "数字完全相同" in last
    data = json.loads(run(folder, "--format", "json").stdout)
    (duplicate,) = data["duplicates"]
    assert duplicate["rule"] == "M01" and len(duplicate["operands"]["files"]) == 2


def test_one_copy_that_cannot_be_annotated_does_not_stop_the_others(files, tmp_path, monkeypatch):
    """A fault of nianbao's own while annotating one file is said at that file (in Chinese,
    exit 2); the other copies are written, and no traceback reaches the user."""
    from nianbao.xlsx import annotate

    marked = annotate.mark_cells

    def fails_for_the_first(workbook, findings):
        if any(f.rule is Rule.V01 for f in findings):
            raise AttributeError("'MergedCell' object attribute 'comment' is read-only")
        marked(workbook, findings)

    monkeypatch.setattr(annotate, "mark_cells", fails_for_the_first)
    out = tmp_path / "批注"
    result = run(files["bad"], files["no_unit"], "--annotate", out)
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert "（未能生成批注副本：nianbao 内部出错，生成 " in result.stdout
    assert f"→ 批注副本：{out / 'c-无单位-校验意见.xlsx'}" in result.stdout
    assert sorted(p.name for p in out.iterdir()) == ["c-无单位-校验意见.xlsx"]
