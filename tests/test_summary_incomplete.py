"""A summary that does not count every unit says so wherever it is read (M12).

``merge --skip-invalid`` leaves out returns with errors or unreadable; a roster unit that did
not report is not in the sum either. merge says so when it writes the summary, and its 报送情况
sheet lists them; but afterwards check passed the summary, publish printed a district report
from it and the city's status counted it 已报通过, with nothing said (found by a sweep)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from nianbao.cli import cli
from nianbao.form import get_form
from nianbao.xlsx.writer import write_return
from tests.support.returns import valid_return

FORM = get_form("2021")
YEAR = 2025


def run(*args: object):
    return CliRunner().invoke(cli, [str(a) for a in args])


def m12(result) -> list[dict]:
    findings = [f for file in json.loads(result.output)["files"] for f in file["findings"]]
    return [f for f in findings if f["rule"] == "M12"]


@pytest.fixture(scope="module")
def season(tmp_path_factory) -> Path:
    """收回/ with 甲局 and 乙局 (valid), 丙局 (an E1 error) and a file that is no workbook;
    the roster names 丁局 too, who sent nothing. 区/测试区.xlsx: merged with --skip-invalid.
    区/完整区.xlsx: merged from the valid returns only, with a roster of just those two."""
    root = tmp_path_factory.mktemp("season")
    folder = root / "收回"
    folder.mkdir()
    for seed, unit in enumerate(["甲局", "乙局", "丙局"]):
        ret = valid_return(FORM, seed, unit=unit, year=YEAR)
        if unit == "丙局":
            ret.values["三:1:c1"] = (ret.values.get("三:1:c1") or 0) + 1  # 新收 ≠ 办理结果
        write_return(folder / f"{unit}.xlsx", FORM, ret)
    (folder / "戊局.xlsx").write_bytes(b"PK\x03\x04 not really a workbook")
    roster = root / "名册.csv"
    roster.write_text("单位名称\n甲局\n乙局\n丙局\n丁局\n戊局\n", encoding="utf-8")
    (root / "区").mkdir()
    merged = run(
        "merge", folder, "--roster", roster, "--name", "测试区", "-o", root / "区" / "测试区.xlsx",
        "--skip-invalid",
    )  # fmt: skip
    assert (root / "区" / "测试区.xlsx").exists(), merged.output
    whole = root / "完整"
    whole.mkdir()
    for unit in ("甲局", "乙局"):
        shutil.copy(folder / f"{unit}.xlsx", whole)
    small = root / "名册2.csv"
    small.write_text("单位名称\n甲局\n乙局\n", encoding="utf-8")
    merged = run("merge", whole, "--roster", small, "--name", "完整区", "-o", root / "完整区.xlsx")
    assert merged.exit_code == 0, merged.output
    return root


def test_check_warns_that_a_summary_leaves_units_out_and_names_them(season):
    result = run("check", season / "区" / "测试区.xlsx", "--format", "json")
    assert result.exit_code == 0, (
        result.output
    )  # a warning: the figures are right for what it counts
    (finding,) = m12(result)
    assert finding["severity"] == "warning"
    message = finding["message"]
    assert "有 3 个单位没有计入" in message
    for said in ("未报：丁局", "有错误：丙局", "文件无法读取：戊局"):
        assert said in message, message
    assert "其余 2 个单位的合计" in message


def test_a_summary_that_counts_every_unit_has_no_m12(season):
    result = run("check", season / "完整区.xlsx", "--format", "json")
    assert result.exit_code == 0, result.output
    assert m12(result) == []


def test_publish_and_the_next_level_say_so_too(season, tmp_path):
    published = run("publish", season / "区" / "测试区.xlsx", "-o", tmp_path / "年报.html")
    assert published.exit_code == 0, published.output
    assert "M12" in published.output and "没有计入" in published.output
    status = run("status", season / "区")
    assert "有警告 | 测试区" in status.output and "M12" in status.output
    merged = run("merge", season / "区", "--name", "某市", "-o", tmp_path / "市.xlsx")
    assert merged.exit_code == 0, merged.output
    assert "1 份有警告" in merged.output
