"""Fixes from a hostile tester's pass over a messy season (sweep 8), each through the command line."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from click.testing import CliRunner, Result

from nianbao.cli import cli
from nianbao.form import get_form
from nianbao.xlsx.writer import write_return
from tests.support.returns import consistent_previous, valid_return

FORM = get_form("2021")
YEAR = 2025


def run(*args: object) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args])


def unit_return(path: Path, unit: str, code: str | None = None, seed: int = 1) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    write_return(path, FORM, valid_return(FORM, seed, unit=unit, year=YEAR), code=code)
    return path


def roster(path: Path, *rows: tuple[str, str]) -> Path:
    path.write_text("单位名称,上级单位\n" + "".join(f"{u},{p}\n" for u, p in rows), "utf-8")
    return path


# -- a 片区 among the roster's 上级单位 is no district ---------------------------------------------


def test_a_bureau_saying_only_qu_is_the_rosters_though_streets_are_under_pianqu(tmp_path):
    """The streets' 上级单位 is 「东片区」「西片区」: taken for two more districts beside 道外区,
    the district was no longer known, and the cover 「区财政局」 was not the roster's
    「道外区财政局」 (M05, the bureau chased as 未报)."""
    names = roster(
        tmp_path / "名册.csv",
        ("道外区财政局", "道外区"),
        ("太平街道办事处", "东片区"),
        ("南马街道办事处", "西片区"),
    )
    folder = tmp_path / "收回"
    unit_return(folder / "区财政局.xlsx", "区财政局", seed=1)
    unit_return(folder / "太平.xlsx", "太平街道办事处", seed=2)
    unit_return(folder / "南马.xlsx", "南马街道办事处", seed=3)
    result = run("status", folder, "--roster", names)
    assert "M05" not in result.output, result.output
    assert "M06" in result.output
    assert result.exit_code == 0, result.output


def test_a_street_with_its_district_before_it_is_not_another_districts_under_pianqu(tmp_path):
    """A roster of streets under two 片区: 「道外区太平街道办事处」 was said to be another
    district's (「名册中的单位不在道外区」), for 东片区 was taken for a district."""
    names = roster(
        tmp_path / "名册.csv", ("太平街道办事处", "东片区"), ("南马街道办事处", "西片区")
    )
    folder = tmp_path / "收回"
    unit_return(folder / "太平.xlsx", "道外区太平街道办事处", seed=2)
    unit_return(folder / "南马.xlsx", "南马街道办事处", seed=3)
    result = run("status", folder, "--roster", names)
    assert "别的地区" not in result.output, result.output
    assert "M05" not in result.output
    assert "太平街道办事处" in result.output and "M06" in result.output
    assert result.exit_code == 0, result.output


# -- --previous: a return the roster knows by its place is paired with that unit's last year ----


def test_last_years_return_is_found_for_a_cover_saying_only_qu(tmp_path):
    """The roster knows the cover 「区财政局」 as its 「道外区财政局」 (M06), but last year's
    return of 「道外区财政局」 was not found for it: the merge said both 「没有上年报表的单位：
    道外区财政局」 and 「上年有报表、本年未汇总的单位：道外区财政局」, and X1 went unchecked."""
    names = roster(tmp_path / "名册.csv", ("道外区财政局", "道外区"), ("道外区教育局", "道外区"))
    folder, last = tmp_path / "收回", tmp_path / "去年"
    folder.mkdir()
    last.mkdir()
    for cover, unit, seed in (("区财政局", "道外区财政局", 1), ("道外区教育局", "道外区教育局", 2)):
        ret = valid_return(FORM, seed, unit=cover, year=YEAR)
        write_return(folder / f"{cover}.xlsx", FORM, ret)
        write_return(last / f"{unit}.xlsx", FORM, replace(consistent_previous(ret), unit=unit))
    out = tmp_path / "汇总.xlsx"
    result = run("merge", folder, "--roster", names, "--previous", last, "-o", out)
    assert result.exit_code == 0, result.output
    assert "没有上年报表的单位" not in result.output
    assert "本年未汇总的单位" not in result.output
    checked = run("check", folder / "区财政局.xlsx", "--previous", last)
    assert "X7" not in checked.output, checked.output
