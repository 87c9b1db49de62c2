"""The bundled samples: up to date, valid where they should be, broken where they say, and the
README's main job works on them."""

import importlib.util
import re
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from nianbao.cli import cli
from nianbao.form.layout import COVER_SHEET
from nianbao.pipeline.check import check_paths
from nianbao.recognise.reader import read_return
from nianbao.sources.roster import read_roster

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
README = SAMPLES.parent / "README.md"  # the project README: what a newcomer runs


def _generator():
    spec = importlib.util.spec_from_file_location("samples_generate", SAMPLES / "generate.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


generate = _generator()


def test_samples_are_what_the_generator_makes_now():
    assert generate.stale(SAMPLES) == [], "运行 python samples/generate.py 重新生成示例"


def test_the_real_seed_return_is_copied_unchanged():
    copied = SAMPLES / "2021" / f"{generate.SEED_UNIT}.xlsx"
    assert copied.read_bytes() == (SAMPLES / generate.SEED_FILE).read_bytes()


def test_every_roster_unit_but_one_has_a_2021_return_and_all_have_2020_ones():
    roster = [e.unit for e in read_roster(SAMPLES / "roster-2021.csv")]
    assert len(roster) >= 8 and generate.SEED_UNIT in roster
    units_2021 = {read_return(p).unit for p in (SAMPLES / "2021").glob("*.xlsx")}
    assert set(roster) - units_2021 == {generate.MISSING_2021}
    assert {read_return(p).unit for p in (SAMPLES / "2020").glob("*.xlsx")} == set(roster)


@pytest.mark.parametrize("year", [2021, 2020])
def test_the_sample_returns_pass_check(year):
    reports = check_paths([SAMPLES / str(year)], year=year, require_unit=True)
    assert reports and all(r.status in ("ok", "warnings") for r in reports), [
        (r.path, [f.message for f in r.findings if f.is_error]) for r in reports
    ]
    # only the real seed (a foreign layout with numbers typed as text) has warnings
    assert {r.ret.unit for r in reports if r.status == "warnings"} <= {generate.SEED_UNIT}


def test_2021_carried_over_applications_match_2020_carried_forward_X1():
    previous = {r.unit: r for r in (read_return(p) for p in (SAMPLES / "2020").glob("*.xlsx"))}
    reports = check_paths([SAMPLES / "2021"], year=2021, previous=previous, require_unit=True)
    assert all(not f.is_error for r in reports for f in r.findings)


def test_invented_returns_say_so_on_the_cover_and_the_seed_does_not():
    import openpyxl

    for path in sorted((SAMPLES / "2021").glob("*.xlsx")) + sorted(
        (SAMPLES / "2020").glob("*.xlsx")
    ):
        ret = read_return(path)
        if path.parent.name == "2021" and ret.unit == generate.SEED_UNIT:
            continue
        cover = openpyxl.load_workbook(path)[COVER_SHEET]
        texts = [c for row in cover.iter_rows(values_only=True) for c in row if isinstance(c, str)]
        assert any("示例数据" in t for t in texts), path
        assert "示例数据" not in ret.unit


# What each broken sample must be refused for (the rule in its message).
BROKEN = {
    "表三不平衡-示例街道.xlsx": "E1",
    "填了文字-示例局.xlsx": "V01",
    "负数-示例镇.xlsx": "V02",
    "用错表式-2019版用于2021年.xlsx": "L03",
    "损坏的文件.xlsx": "F01",
    "未填单位名称.xlsx": "C01",
}


def test_each_broken_sample_fails_merge_checks_for_the_fault_in_its_name():
    reports = {
        r.path.name: r for r in check_paths([SAMPLES / "broken"], year=2021, require_unit=True)
    }
    assert set(reports) == set(BROKEN)
    for name, rule in BROKEN.items():
        errors = {f.rule.id for f in reports[name].findings if f.is_error}
        assert errors == {rule}, (name, errors)


def _main_job_command() -> list[str]:
    """The README's main-job command, as written there."""
    match = re.search(
        r"^\s*(nianbao merge samples/2021 .*)$", README.read_text(encoding="utf-8"), re.M
    )
    assert match, "README.md shows the main job"
    return match.group(1).split()[1:]


def test_the_readme_main_job_writes_the_district_summary(tmp_path, monkeypatch):
    args = _main_job_command()
    out_name = args[args.index("-o") + 1]
    args = [str(SAMPLES.parent / a) if a.startswith("samples/") else a for a in args]
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert f"未报 1 个单位：{generate.MISSING_2021}" in result.output
    summary = read_return(tmp_path / out_name)
    assert (summary.unit, summary.year, summary.kind, summary.members) == (
        "道外区",
        2021,
        "summary",
        9,
    )
    (report,) = check_paths([tmp_path / out_name], year=2021, require_unit=True)
    # valid; its one warning says the unit that did not report is not counted (M12)
    assert report.errors == 0
    assert [f.rule.id for f in report.findings] == ["M12"]
    assert f"未报：{generate.MISSING_2021}" in report.findings[0].message
