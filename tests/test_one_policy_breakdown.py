"""A summary's 分单位明细 is read once, with the summary (``pipeline.check.read_with_members``),
and its members kept for whoever needs them: last year's folder or summary (``--previous``)
and a summary sent up (``merge --compare``) read it no second time."""

from __future__ import annotations

from pathlib import Path

import pytest

import nianbao.pipeline.breakdown as breakdown
import nianbao.pipeline.isolation as isolation
from nianbao.form import get_form
from nianbao.form.findings import Finding, Rule
from nianbao.pipeline.check import load_last_year, read_paths_with_members, scan_inputs
from nianbao.pipeline.merge import merge_returns
from nianbao.pipeline.season import read_sent_up
from nianbao.xlsx.summary import write_summary
from nianbao.xlsx.writer import write_return
from tests.support.returns import consistent_previous, valid_return
from tests.support.season import run

FORM = get_form("2021")
YEAR = 2024
MEMBERS = ("甲街道", "乙街道", "丙镇")


@pytest.fixture
def counted(tmp_path, monkeypatch) -> Path:
    """A file with a line per reading of a 分单位明细 (its file's name): worker processes
    write to it too."""
    log = tmp_path / "读取记录.txt"
    log.touch()
    real = breakdown.read_breakdown

    def reading(path, form, **options):
        with open(log, "a", encoding="utf-8") as out:
            out.write(Path(path).name + "\n")
        return real(path, form, **options)

    monkeypatch.setattr(breakdown, "read_breakdown", reading)
    return log


@pytest.fixture(params=["workers", "here"])
def where(request, monkeypatch) -> str:
    """Files read in worker processes (forked, as on Linux and macOS), or in this one."""
    if request.param == "here":
        monkeypatch.setattr(isolation, "worth_a_process", lambda items, jobs: False)
    return request.param


def _summary(path: Path, name: str, year: int, seed: int = 0) -> list:
    members = [valid_return(FORM, seed + i, unit=unit, year=year) for i, unit in enumerate(MEMBERS)]
    write_summary(path, merge_returns(members, name=name, year=year), members)
    return members


def _readings(log: Path, name: str) -> int:
    return log.read_text(encoding="utf-8").splitlines().count(name)


def _figures(members) -> list[tuple[str | None, list]]:
    return [(m.unit, [m.values.get(k) for k in FORM.input_keys]) for m in members]


def test_last_years_folder_reads_a_summarys_breakdown_once(tmp_path, counted, where):
    folder = tmp_path / "去年"
    folder.mkdir()
    written = _summary(folder / "某区汇总.xlsx", "某区", YEAR - 1)
    write_return(folder / "丁局.xlsx", FORM, valid_return(FORM, 9, unit="丁局", year=YEAR - 1))
    last = load_last_year(folder, year=YEAR - 1)
    assert _readings(counted, "某区汇总.xlsx") == 1
    assert _readings(counted, "丁局.xlsx") == 0  # a unit's return has none to read
    assert sorted(r.unit or "" for r in last.returns) == sorted([*MEMBERS, "丁局"])
    ((summary, members),) = last.summaries
    assert summary.unit == "某区" and sorted(summary.member_names or ()) == sorted(MEMBERS)
    assert sorted(_figures(members)) == sorted(_figures(written))
    assert all(m.source and "某区汇总.xlsx" in m.source for m in members)


def test_each_file_comes_with_its_members(tmp_path, where):
    folder = tmp_path / "去年"
    folder.mkdir()
    _summary(folder / "某区汇总.xlsx", "某区", YEAR - 1)
    unit = folder / "丁局.xlsx"
    write_return(unit, FORM, valid_return(FORM, 9, unit="丁局", year=YEAR - 1))
    (folder / "说明.txt").write_text("不是报表", encoding="utf-8")
    paths = sorted(folder.iterdir())
    read = dict(zip(paths, read_paths_with_members(paths), strict=True))
    found, of_unit, note = read[folder / "某区汇总.xlsx"], read[unit], read[folder / "说明.txt"]
    assert isinstance(found, tuple) and isinstance(of_unit, tuple)
    summary, members = found
    assert summary.kind == "summary" and members is not None
    assert [m.unit for m in members] == list(MEMBERS)
    assert of_unit[0].unit == "丁局" and of_unit[1] is None  # a unit's return has no members
    assert isinstance(note, Finding) and note.rule is Rule.F02  # no return at all


def test_last_years_summary_reads_its_breakdown_once(tmp_path, counted):
    path = tmp_path / "去年汇总.xlsx"
    _summary(path, "某区", YEAR - 1)
    last = load_last_year(path, year=YEAR - 1)
    assert _readings(counted, "去年汇总.xlsx") == 1
    assert sorted(r.unit or "" for r in last.returns) == sorted(MEMBERS)


def test_a_summary_sent_up_reads_its_breakdown_once(tmp_path, counted):
    returns = tmp_path / "收回"
    returns.mkdir()
    write_return(returns / "丁局.xlsx", FORM, valid_return(FORM, 9, unit="丁局", year=YEAR))
    sent = tmp_path / "上报汇总.xlsx"
    written = _summary(sent, "某区", YEAR)
    (found,) = read_sent_up([sent], scan_inputs([returns]), roster=None, name="某市")
    assert _readings(counted, "上报汇总.xlsx") == 1
    assert found.members is not None
    assert _figures(found.members) == _figures(written)


def test_the_commands_read_a_summarys_breakdown_once(tmp_path, counted):
    this_year = tmp_path / "收回"
    this_year.mkdir()
    returns = [valid_return(FORM, 20 + i, unit=unit, year=YEAR) for i, unit in enumerate(MEMBERS)]
    for ret in returns:
        write_return(this_year / f"{ret.unit}.xlsx", FORM, ret)
    last = tmp_path / "去年"
    last.mkdir()
    then = [consistent_previous(ret) for ret in returns]  # no cross-year error
    write_summary(last / "去年汇总.xlsx", merge_returns(then, name="某区", year=YEAR - 1), then)
    sent = tmp_path / "上报汇总.xlsx"
    write_summary(sent, merge_returns(returns, name="某区", year=YEAR), returns)

    result = run("check", this_year, "--previous", last, "--year", YEAR, "--format", "json")
    assert result.exit_code == 0, result.output
    assert _readings(counted, "去年汇总.xlsx") == 1

    out = tmp_path / "汇总.xlsx"
    result = run(
        "merge", this_year, "--name", "某区", "--year", YEAR, "--previous", last,
        "--compare", sent, "-o", out,
    )  # fmt: skip
    assert result.exit_code == 0 and out.exists(), result.output
    assert _readings(counted, "去年汇总.xlsx") == 2  # once for check, once for merge
    assert _readings(counted, "上报汇总.xlsx") == 1
