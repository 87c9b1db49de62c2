"""One unit's return for another year in this year's folder is caught by check and status
without --year (found by a sweep: status said every unit had reported and passed, and only
merge noticed, M03). The year most returns give is the season's; published reports, export
and merge keep their own policies."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from nianbao.cli import cli
from nianbao.form import get_form
from nianbao.xlsx.writer import write_return
from tests.support.returns import valid_return

FORM = get_form("2021")


def run(*args: object):
    return CliRunner().invoke(cli, [str(a) for a in args])


def collection(tmp_path: Path, years: dict[str, int]) -> Path:
    folder = tmp_path / "收回"
    folder.mkdir()
    for seed, (unit, year) in enumerate(years.items()):
        write_return(folder / f"{unit}.xlsx", FORM, valid_return(FORM, seed, unit=unit, year=year))
    return folder


def findings_by_file(result) -> dict[str, list[dict]]:
    return {Path(f["path"]).stem: f["findings"] for f in json.loads(result.output)["files"]}


def test_check_gives_c03_to_the_return_for_another_year_than_most(tmp_path):
    folder = collection(tmp_path, {"甲局": 2025, "乙局": 2025, "丙局": 2024})
    result = run("check", folder, "--format", "json")
    assert result.exit_code == 1
    found = findings_by_file(result)
    assert found["甲局"] == [] and found["乙局"] == []
    (c03,) = found["丙局"]
    assert c03["rule"] == "C03" and c03["cells"] == ["B5"]
    assert "2025 年度 2 份，2024 年度 1 份" in c03["message"]
    assert "--year 2024" in c03["message"]


def test_status_chases_it_instead_of_counting_it_passed(tmp_path):
    folder = collection(tmp_path, {"甲局": 2025, "乙局": 2025, "丙局": 2024})
    roster = tmp_path / "名册.csv"
    roster.write_text("单位名称\n甲局\n乙局\n丙局\n", encoding="utf-8")
    result = run("status", folder, "--roster", roster)
    assert result.exit_code == 1
    assert "有错误 | 丙局" in result.output and "C03" in result.output
    assert "已报通过 2，有错误 1" in result.output


@pytest.mark.parametrize("years", [{"甲局": 2025, "乙局": 2024}, {"甲局": 2025, "乙局": 2025}])
def test_no_c03_when_no_year_is_the_most_common_or_all_agree(tmp_path, years):
    result = run("check", collection(tmp_path, years), "--format", "json")
    assert result.exit_code == 0, result.output
    assert all(found == [] for found in findings_by_file(result).values())


def test_the_year_asked_for_wins_over_the_most_common(tmp_path):
    folder = collection(tmp_path, {"甲局": 2025, "乙局": 2025, "丙局": 2024})
    result = run("check", folder, "--year", "2024", "--format", "json")
    found = findings_by_file(result)
    assert [f["rule"] for f in found["甲局"]] == ["C03"] and found["丙局"] == []
    assert "本次要求的是 2024 年度" in found["甲局"][0]["message"]


def test_export_of_several_years_is_no_error(tmp_path):
    folder = collection(tmp_path, {"甲局": 2025, "乙局": 2025, "丙局": 2024})
    result = run("export", folder, "-o", tmp_path / "全部.csv")
    assert result.exit_code == 0, result.output
