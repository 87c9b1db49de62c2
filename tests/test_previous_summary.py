"""`check --previous` given last year's summary: a unit's return is compared with that unit's
row of last year's 分单位明细, not with the district total; a summary is compared with the
summary, and only when the two years summed the same units is a 结转 gap an error."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nianbao.form.common import ROW_CARRIED_IN, ROW_NEW
from nianbao.form.data import filled_return
from nianbao.pipeline.merge import merge_returns
from nianbao.xlsx.summary import write_summary
from tests.support.season import BY_NAME, FORM, UNITS, YEAR, Season, build, run

# Units whose figures follow last year's by X1 (see tests/support/season.this_year_inputs).
CONSISTENT = "东城甲街道办事处"


@pytest.fixture(scope="module")
def season(tmp_path_factory) -> Season:
    return build(tmp_path_factory.mktemp("previous"))


def _returns(season: Season, figures: dict, names, year: int):
    return [
        filled_return(
            FORM,
            {k: v for k, v in figures[name].items() if k in FORM.input_keys},
            unit=name,
            parent=BY_NAME[name].parent,
            year=year,
        )
        for name in names
    ]


@pytest.fixture(scope="module")
def summaries(season):
    """Last year's summary of every unit that reported then, and this year's of the units
    that reported both years (so equal) and of every unit (so one more than last year)."""
    then = [u.name for u in UNITS if u.name != "西城丁街道办事处"]
    last_members = _returns(season, season.last, then, YEAR - 1)
    last = season.root / "去年汇总.xlsx"
    write_summary(last, merge_returns(last_members, name="某某区", year=YEAR - 1), last_members)
    written = {}
    for label, names in (("same", then), ("more", [u.name for u in UNITS])):
        members = _returns(season, season.this_year, names, YEAR)
        # 东城己镇's planted E1 is within the year; across years it follows last year (X1).
        path = season.root / f"本年汇总-{label}.xlsx"
        write_summary(path, merge_returns(members, name="某某区", year=YEAR), members)
        written[label] = path
    return last, written


def _findings(result) -> list[dict]:
    assert result.exit_code in (0, 1), result.output
    return [f for file in json.loads(result.stdout)["files"] for f in file["findings"]]


def test_a_unit_is_compared_with_its_own_row_of_last_years_summary(season, summaries):
    last, _ = summaries
    result = run("check", season.file(CONSISTENT), "--previous", last, "--format", "json")
    rules = {f["rule"] for f in _findings(result)}
    assert "X1" not in rules and "X4" not in rules, result.stdout
    assert result.exit_code == 0


def test_a_unit_differing_from_its_own_row_gets_X1_naming_that_row(season, summaries, tmp_path):
    last, _ = summaries
    changed = dict(season.this_year[CONSISTENT])
    changed[f"三:{ROW_CARRIED_IN}:c1"] += 2  # now disagrees with last year's 结转下年度
    changed[f"三:{ROW_NEW}:c1"] -= 2  # the table still balances
    ret = filled_return(
        FORM, {k: v for k, v in changed.items() if k in FORM.input_keys}, unit=CONSISTENT, year=YEAR
    )
    from nianbao.xlsx.writer import write_return

    path = tmp_path / f"{CONSISTENT}.xlsx"
    write_return(path, FORM, ret)
    found = _findings(run("check", path, "--previous", last, "--format", "json"))
    x1 = [f for f in found if f["rule"] == "X1"]
    assert len(x1) == 1 and "相差 2" in x1[0]["message"], found


def test_summaries_of_the_same_units_are_compared_total_with_total(season, summaries):
    last, this = summaries
    result = run("check", this["same"], "--previous", last, "--format", "json")
    rules = [f["rule"] for f in _findings(result)]
    assert "X1" not in rules and "X4" not in rules, result.stdout


def test_summaries_of_different_units_do_not_raise_X1_but_say_why(season, summaries):
    last, this = summaries
    result = run("check", this["more"], "--previous", last, "--format", "json")
    found = _findings(result)
    assert not [f for f in found if f["rule"] == "X1"], result.stdout
    notes = [f for f in found if f["rule"] == "X4"]
    assert notes and "西城丁街道办事处" in notes[0]["message"], found


def test_one_units_last_return_given_for_a_folder_is_that_units_only(season):
    """Every unit of the folder was compared with 东城甲's last year: X1 errors for all."""
    from nianbao.form.data import filled_return
    from nianbao.xlsx.writer import write_return

    last = filled_return(
        FORM,
        {k: v for k, v in season.last[CONSISTENT].items() if k in FORM.input_keys},
        unit=CONSISTENT,
        year=YEAR - 1,
    )
    path = season.root / f"{CONSISTENT}-上年.xlsx"
    write_return(path, FORM, last)
    found = json.loads(run("check", season.returns, "--previous", path, "--format", "json").stdout)
    by_unit = {
        (entry.get("unit") or entry["path"]): {f["rule"] for f in entry["findings"]}
        for entry in found["files"]
    }
    x1 = [unit for unit, rules in by_unit.items() if "X1" in rules]
    assert x1 == [], x1
    assert "X4" not in set().union(*by_unit.values())
    # the one unit it belongs to is compared; a unit without it is said to have none (X7)
    assert "X7" not in by_unit[CONSISTENT]
    assert "X7" in by_unit["西城丙街道办事处"]


def test_one_units_last_return_for_one_return_is_compared_whatever_the_names(season, tmp_path):
    """The usual `check 某单位.xlsx --previous 某单位-上年.xlsx`: a renamed unit is still
    compared (X4 says the names differ)."""
    from nianbao.form.data import filled_return
    from nianbao.xlsx.writer import write_return

    last = filled_return(
        FORM,
        {k: v for k, v in season.last[CONSISTENT].items() if k in FORM.input_keys},
        unit="东城甲街道",
        year=YEAR - 1,
    )
    path = tmp_path / "上年.xlsx"
    write_return(path, FORM, last)
    found = _findings(run("check", season.file(CONSISTENT), "--previous", path, "--format", "json"))
    assert {f["rule"] for f in found} >= {"X4"}


def test_side_files_inside_the_returns_folder_are_not_read_as_returns(season, tmp_path):
    """The roster, the explanations and last year's folder kept inside 收回/ are inputs of
    another kind: not read as this year's returns, not listed as 未读取, accounted for once."""
    import shutil

    folder = tmp_path / "收回"
    shutil.copytree(season.returns, folder)
    roster = shutil.copy(season.roster, folder / "名册.xlsx")
    accept = shutil.copy(season.accept, folder / "说明.csv")
    last = shutil.copytree(season.last_year, folder / "去年")
    expected = {p.name for p in season.returns.rglob("*.xlsx")}
    for args in (
        ("check", folder, "--previous", last, "--accept", accept),
        ("status", folder, "--roster", roster, "--previous", last, "--accept", accept),
    ):
        result = run(*args, "--format", "json")
        assert result.exit_code in (0, 1, 2), result.output
        data = json.loads(result.stdout)
        if args[0] == "check":  # not given the roster: 名册.xlsx is a file like any other
            read = {Path(f["path"]) for f in data["files"]}
            assert {p.name for p in read} == expected | {"名册.xlsx"}
        else:
            read = {Path(u["file"]) for u in data["units"] if u.get("file")}
            assert "名册.xlsx" not in {p.name for p in read}
        assert not [p for p in read if last in p.parents or p.name == "说明.csv"], read
        assert "已跳过" in result.stderr and "另行给出的名册" in result.stderr


@pytest.mark.parametrize("command", ["check", "status", "merge"])
def test_the_returns_folder_given_again_as_last_year_is_refused_not_read_as_nothing(
    season, tmp_path, command
):
    """`status 收回/ --previous 收回/` set every return aside and reported every unit 未报."""
    args = [command, season.returns, "--previous", season.returns]
    if command != "check":
        args += ["--roster", season.roster]
    if command == "merge":
        args += ["-o", tmp_path / "汇总.xlsx"]
    result = run(*args)
    # check says it itself; merge and status raise, and cli.main prints it with exit 2
    said = result.output if command == "check" else str(result.exception)
    code = result.exit_code if command == "check" else getattr(result.exception, "exit_code", 0)
    assert code == 2 and "同一个文件夹不能既作本年报表又作上年报表" in said, result.output
    assert not (tmp_path / "汇总.xlsx").exists()


def test_a_summary_of_more_units_than_a_sparse_sheet_may_span_is_read_back(tmp_path):
    """分单位明细 of a province: more cells than MAX_SHEET_CELLS, but every one of them written
    (a dense range is data, not a bomb). nianbao used to refuse its own summary as F04."""
    import copy

    from nianbao.form import get_form
    from nianbao.recognise.reader import read_return
    from nianbao.sources import preflight
    from tests.support.returns import valid_return

    form = get_form("2021")
    width = 1 + len(form.cells)
    count = preflight.MAX_SHEET_CELLS // width + 200
    pattern = valid_return(form, seed=1, year=2024, parent="某省")
    members = []
    for index in range(count):
        member = copy.copy(pattern)
        member.unit, member.source = f"单位{index:05d}", f"单位{index:05d}.xlsx"
        members.append(member)
    path = tmp_path / "省汇总.xlsx"
    write_summary(path, merge_returns(members, name="某省"), members)
    assert preflight.preflight(path) == "xlsx"
    back = read_return(path)
    assert back.kind == "summary" and back.members == count


def test_last_years_returns_beside_the_summary_made_of_them_are_one_last_year(tmp_path):
    """The usual layout of last year's folder: the returns and the summary merged from them.
    Each unit is in it twice with the same figures (its return, its summary row): no doubt
    which are last year's, so the folder is used (the cross-year rules run), not refused."""
    from nianbao.xlsx.writer import write_return
    from tests.support.returns import valid_return

    last, now = tmp_path / "去年", tmp_path / "今年"
    last.mkdir()
    now.mkdir()
    for seed, unit in enumerate(("甲局", "乙局"), start=1):
        write_return(
            last / f"{unit}.xlsx", FORM, valid_return(FORM, seed, unit=unit, year=YEAR - 1)
        )
        write_return(now / f"{unit}.xlsx", FORM, valid_return(FORM, seed + 4, unit=unit, year=YEAR))
    summary = last / "某区去年汇总.xlsx"
    assert run("merge", last, "--name", "某区", "-o", summary).exit_code == 0

    checked = run("check", now / "甲局.xlsx", "--previous", last)
    merged = run("merge", now, "--previous", last, "-o", tmp_path / "今年汇总.xlsx")

    for result in (checked, merged):  # 1: the figures break X1 (random), not 2: refused
        assert result.exit_code == 1, result.output
        assert "[X1 错误]" in result.output and "有两份报表" not in result.output


def _sub_district(season, tmp_path, names) -> Path:
    members = _returns(season, season.this_year, names, YEAR)
    path = tmp_path / "东片区汇总.xlsx"
    write_summary(path, merge_returns(members, name="东片区", year=YEAR), members)
    return path


def test_a_sub_districts_summary_is_compared_with_its_own_units_of_last_years_folder(
    season, tmp_path
):
    """A folder of last year's returns was compared as one total: a sub-district's summary of
    two units got X4 listing every other unit of the district as gone, and nothing else
    checked. Its units' own returns of last year are summed and compared instead."""
    path = _sub_district(season, tmp_path, ["东城甲街道办事处", "东城乙街道办事处"])
    result = run("check", path, "--previous", season.last_year, "--format", "json")
    assert "X4" not in {f["rule"] for f in _findings(result)}, result.stdout


def test_a_unit_new_this_year_in_the_summary_is_the_only_one_said_and_the_sum_is_named(
    season, tmp_path
):
    """西城丁街道办事处 did not report last year: X4 names it, none of the district's other
    units, and the sum it is compared with by the folder (it said 「（（未命名单位））」)."""
    path = _sub_district(season, tmp_path, ["东城甲街道办事处", "西城丁街道办事处"])
    result = run("check", path, "--previous", season.last_year, "--format", "json")
    notes = [f for f in _findings(result) if f["rule"] == "X4"]
    assert len(notes) == 1, result.stdout
    message = notes[0]["message"]
    assert "本年有、上年没有的单位 1 个（西城丁街道办事处）" in message
    assert "上年有、本年没有的单位 0 个" in message
    assert f"{season.last_year} 中这些单位的报表之和" in message
    assert "未命名单位" not in message
