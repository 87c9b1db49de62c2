"""Pairing this year's units with last year's returns (``--previous``): one to one, never by a
code that moved.

Roster codes numbered in order (230104001 …) shift when a unit is inserted: this year 新设局
gets 002, 乙局 moves to 003, 丙街道 to 004. A unit is paired with last year's return its code
and name agree on, else its name's, else (a renamed unit) its code's; a code whose return
carries another unit's name that another unit of this year has is that unit's (the code
moved). One last-year return is never used for two units: the better match gets it and the
other is told, naming both. X4 says the real reason.
"""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from nianbao.checks.accept import AcceptOutcome, Explanation, apply_explanations
from nianbao.checks.engine import validate_returns
from nianbao.checks.units import LastYear, UnitIndex
from nianbao.cli import cli
from nianbao.form import get_form
from nianbao.form.data import FileReport, Number, filled_return
from nianbao.form.findings import Finding, Rule
from nianbao.pipeline import check as pipeline_check
from nianbao.xlsx.summary import YEAR_SHEET
from nianbao.xlsx.writer import write_return
from tests.support.returns import carried_inputs

FORM = get_form("2021")
YEAR = 2025
APPLICANTS = ("c1", "c2", "c3", "c4", "c5", "c6")


def run(*args: object):
    return CliRunner().invoke(cli, [str(a) for a in args])


def inputs(**figures: int) -> dict[str, Number]:
    return carried_inputs(FORM, **figures)


def write(path: Path, unit: str, year: int, *, code: str | None = None, **figures) -> Path:
    ret = filled_return(FORM, inputs(**figures), unit=unit)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_return(path, FORM, ret, unit=unit, year=year, code=code)
    return path


def findings_by_unit(result) -> dict[str, list[dict]]:
    assert result.exit_code in (0, 1), result.output
    return {
        Path(entry["path"]).stem: entry["findings"] for entry in json.loads(result.stdout)["files"]
    }


def rules(found: list[dict]) -> set[str]:
    return {f["rule"] for f in found}


def shifted(tmp_path: Path, *, carried: bool = True) -> None:
    """Last year 甲局 001, 乙局 002, 丙街道 003; this year 新设局 is inserted at 002 and the
    codes after it move by one. Each unit carries over its own applications (结转): 乙局 2
    a column, 丙街道 3, so a return compared with another unit's gets X1."""
    out = (1, 2, 3) if carried else (0, 0, 0)
    write(
        tmp_path / "去年/甲局.xlsx", "甲局", YEAR - 1, code="230104001", new=5, carried_out=out[0]
    )
    write(
        tmp_path / "去年/乙局.xlsx", "乙局", YEAR - 1, code="230104002", new=40, carried_out=out[1]
    )
    write(
        tmp_path / "去年/丙街道.xlsx",
        "丙街道",
        YEAR - 1,
        code="230104003",
        new=1,
        carried_out=out[2],
    )
    write(tmp_path / "收回/甲局.xlsx", "甲局", YEAR, code="230104001", new=6, carried_in=out[0])
    write(tmp_path / "收回/新设局.xlsx", "新设局", YEAR, code="230104002", new=2, carried_in=0)
    write(tmp_path / "收回/乙局.xlsx", "乙局", YEAR, code="230104003", new=40, carried_in=out[1])
    write(tmp_path / "收回/丙街道.xlsx", "丙街道", YEAR, code="230104004", new=1, carried_in=out[2])


# -- codes that shifted ---------------------------------------------------------------------------


def test_a_unit_whose_code_moved_is_paired_by_name_and_the_new_unit_is_told(tmp_path):
    shifted(tmp_path)
    result = run("check", tmp_path / "收回", "--previous", tmp_path / "去年", "--format", "json")
    found = findings_by_unit(result)
    assert not found["甲局"]
    # each unit is compared with its own last-year return: no X1, no meaningless X4
    assert not rules(found["乙局"]) & {"X1", "X4", "X7"}, found["乙局"]
    assert not rules(found["丙街道"]) & {"X1", "X4", "X7"}, found["丙街道"]
    # 新设局 is not compared with 乙局's figures: it has no last-year return, and is told
    # plainly that its code's return is 乙局's
    assert not rules(found["新设局"]) & {"X1", "X4"}, found["新设局"]
    (x7,) = [f for f in found["新设局"] if f["rule"] == "X7"]
    message = x7["message"]
    assert "230104002" in message and "「乙局」" in message and "乙局.xlsx" in message, message
    assert "230104003" in message  # this year's 乙局, which has it
    assert result.exit_code == 0, result.output


def test_merge_shows_no_unit_with_another_units_figures(tmp_path):
    shifted(tmp_path, carried=False)
    target = tmp_path / "汇总.xlsx"
    result = run(
        "merge", tmp_path / "收回", "--previous", tmp_path / "去年", "--name", "某区", "-o", target
    )
    assert result.exit_code == 0, result.output
    sheet = openpyxl.load_workbook(target)[YEAR_SHEET]
    rows = {row[0]: row for row in sheet.iter_rows(min_row=4, values_only=True) if row[0]}
    new = 1  # 新收: this year, last year, change
    assert rows["乙局"][new + 1] == 40 * len(APPLICANTS)  # its own 2024 figure
    assert rows["丙街道"][new + 1] == 1 * len(APPLICANTS)
    assert rows["新设局"][new + 1] == "—"
    notes = [row[0] for row in sheet.iter_rows(values_only=True) if row[0]]
    assert "没有上年报表的单位 1 个：新设局。" in notes, notes
    assert not any("本年未汇总" in note for note in notes), notes
    assert "没有上年报表的单位 1 个：新设局" in result.output


def test_the_code_that_moved_is_not_used_when_its_units_return_is_not_in_yet(tmp_path):
    """乙局 (now 003) is paired with its own return even while 丙街道 (last year 003) has
    not reported, and 丙街道's return is not taken for it."""
    shifted(tmp_path)
    (tmp_path / "收回/丙街道.xlsx").unlink()
    result = run("check", tmp_path / "收回", "--previous", tmp_path / "去年", "--format", "json")
    found = findings_by_unit(result)
    assert not rules(found["乙局"]) & {"X1", "X4", "X7"}, found["乙局"]


def test_pairing_is_one_to_one_across_validation_batches(tmp_path, monkeypatch):
    """However many returns are read and validated in batches, the pairing is made over all
    of them: 新设局 in one batch, 乙局 in another, still one last-year return each."""
    monkeypatch.setattr(pipeline_check, "VALIDATE_BATCH", 1)
    shifted(tmp_path)
    result = run("check", tmp_path / "收回", "--previous", tmp_path / "去年", "--format", "json")
    found = findings_by_unit(result)
    assert not rules(found["新设局"]) & {"X1", "X4"} and "X7" in rules(found["新设局"])
    assert not rules(found["乙局"]) & {"X1", "X4", "X7"}, found["乙局"]


# -- a renamed unit --------------------------------------------------------------------------


def test_a_renamed_unit_is_still_paired_by_its_code(tmp_path):
    write(tmp_path / "去年/区教育局.xlsx", "区教育局", YEAR - 1, code="230104001", carried_out=2)
    write(tmp_path / "去年/丙街道.xlsx", "丙街道", YEAR - 1, code="230104002")
    write(
        tmp_path / "收回/区教育和体育局.xlsx",
        "区教育和体育局",
        YEAR,
        code="230104001",
        carried_in=1,
    )
    write(tmp_path / "收回/丙街道.xlsx", "丙街道", YEAR, code="230104002")
    result = run("check", tmp_path / "收回", "--previous", tmp_path / "去年", "--format", "json")
    found = findings_by_unit(result)["区教育和体育局"]
    assert not rules(found) & {"X4", "X7"}, found
    x1 = [f for f in found if f["rule"] == "X1"]
    assert x1, found  # compared with 区教育局's return: its 结转 was 2
    # what it was compared with is named: the file, found by code, and last year's name
    assert all("区教育局.xlsx" in f["message"] and "「区教育局」" in f["message"] for f in x1)


# -- one last-year return, two units ----------------------------------------------------------


def _last(*units: tuple[str, str | None]) -> LastYear:
    returns = [
        filled_return(
            FORM, inputs(), unit=unit, code=code, year=YEAR - 1, source=f"去年/{unit}.xlsx"
        )
        for unit, code in units
    ]
    return LastYear("去年", returns, None)


def _now(unit: str, code: str | None = None, **figures):
    return filled_return(
        FORM, inputs(**figures), unit=unit, code=code, year=YEAR, source=f"收回/{unit}.xlsx"
    )


def test_one_last_year_return_is_never_paired_with_two_units():
    last = _last(("乙局", "002"))
    new, moved = _now("新设局", "002"), _now("乙局", "003")
    for order in ([new, moved], [moved, new]):
        found = validate_returns(order, previous=last)
        by_unit = dict(zip((r.unit for r in order), found, strict=True))
        assert not [f for f in by_unit["乙局"] if f.rule in (Rule.X7, Rule.X4)]
        assert [f.rule for f in by_unit["新设局"]] == [Rule.X7]
        assert last.find(moved) is last.returns[0] and last.find(new) is None


def test_two_units_matching_one_return_equally_are_both_told_and_neither_compared():
    last = _last(("乙局", "002"))
    first, second = _now("乙局", "005"), _now("乙局", "006")
    found = validate_returns([first, second], previous=last)
    for other, own in ((second, found[0]), (first, found[1])):
        (x7,) = own
        assert x7.rule is Rule.X7 and str(other.code) in x7.message, x7.message
    assert last.find(first) is None and last.find(second) is None


def test_copies_of_one_units_return_share_its_last_year_return():
    """Two files of one unit (a duplicate submission, M01 in merge) are one unit, not two."""
    last = _last(("乙局", "002"))
    one, two = _now("乙局", "002", new=4), _now("乙局", "002", new=4)
    two.source = "收回/乙局(1).xlsx"
    found = validate_returns([one, two], previous=last)
    assert found == [[], []]


def test_pairing_happens_in_unit_index(monkeypatch):
    asked = []
    real = UnitIndex.pair

    def counted(self, queries, *args, **kwargs):
        asked.append(len(queries))
        return real(self, queries, *args, **kwargs)

    monkeypatch.setattr(UnitIndex, "pair", counted)
    last = _last(("乙局", "002"), ("丙街道", "003"))
    validate_returns([_now("乙局", "003"), _now("丙街道", "004")], previous=last)
    assert asked == [2]


def test_last_years_unpaired_returns_are_those_no_unit_was_paired_with():
    last = _last(("乙局", "002"), ("丙街道", "003"))
    new, moved = _now("新设局", "002"), _now("乙局", "003")
    validate_returns([new, moved], previous=last)
    assert [r.unit for r in last.unmatched([new, moved])] == ["丙街道"]


# -- X4 tells the real reason -----------------------------------------------------------------


def test_one_returns_last_year_with_the_same_name_and_another_code_is_no_other_unit(tmp_path):
    this_year = write(tmp_path / "收回/丙街道.xlsx", "丙街道", YEAR, code="230104004")
    last = write(tmp_path / "去年/丙街道.xlsx", "丙街道", YEAR - 1, code="230104003")
    result = run("check", this_year, "--previous", last, "--format", "json")
    assert "X4" not in rules(findings_by_unit(result)["丙街道"])


def test_x4_for_another_unit_names_both_units_and_codes(tmp_path):
    this_year = write(tmp_path / "收回/新设局.xlsx", "新设局", YEAR, code="230104005")
    last = write(tmp_path / "去年/乙局.xlsx", "乙局", YEAR - 1, code="230104002")
    result = run("check", this_year, "--previous", last, "--format", "json")
    (x4,) = [f for f in findings_by_unit(result)["新设局"] if f["rule"] == "X4"]
    message = x4["message"]
    assert "不是同一单位" in message and "「乙局」" in message and "「新设局」" in message
    assert "230104002" in message and "230104005" in message
    assert "年度不相邻" not in message


def test_x4_for_a_year_not_adjacent_says_only_that(tmp_path):
    this_year = write(tmp_path / "收回/甲局.xlsx", "甲局", YEAR, code="001")
    last = write(tmp_path / "去年/甲局.xlsx", "甲局", YEAR - 2, code="001")
    result = run("check", this_year, "--previous", last, "--format", "json")
    (x4,) = [f for f in findings_by_unit(result)["甲局"] if f["rule"] == "X4"]
    assert "不是同一单位" not in x4["message"] and "不相邻" in x4["message"]
    assert str(YEAR - 2) in x4["message"]


# -- explanations written under last year's name ---------------------------------------------


def _explained(entry_unit: str) -> tuple[list[Finding], AcceptOutcome]:
    last = _last(("区教育局", "001"))
    now = _now("区教育和体育局", "001", new=30)
    found = validate_returns([now], previous=last)[0]
    assert Rule.X5 in {f.rule for f in found}, found
    report = FileReport(Path("收回/区教育和体育局.xlsx"), now, found)
    entry = Explanation("说明.csv", 2, entry_unit, Rule.X5, frozenset(), "机构改革，职能增加")
    outcome = apply_explanations([report], [entry])
    return report.findings, outcome


@pytest.mark.parametrize("unit", ["区教育局", "001", "区教育和体育局"])
def test_an_explanation_under_last_years_name_or_the_code_explains_the_renamed_unit(unit):
    found, outcome = _explained(unit)
    assert outcome.accepted >= 1 and not outcome.stale, outcome
    assert all(f.accepted for f in found if f.rule is Rule.X5)


def test_an_explanation_for_a_unit_not_checked_says_so():
    found, outcome = _explained("区文化局")
    (stale,) = outcome.stale
    assert "没有单位「区文化局」" in stale.message and "单位代码" in stale.message


def test_a_cover_copied_from_another_unit_still_finds_the_units_own_return_by_code():
    """甲街道 (001) wrote 乙局 on its cover: 乙局's return is this year's 乙局's (code and name
    agree); 甲街道's own, found by its code and claimed by no name, is still its own."""
    last = _last(("甲街道", "001"), ("乙局", "002"))
    copied, own = _now("乙局", "001", new=4), _now("乙局", "002", new=5)
    found = validate_returns([copied, own], previous=last)
    assert last.find(copied) is last.returns[0] and last.find(own) is last.returns[1]
    assert not [f for f in found[0] + found[1] if f.rule in (Rule.X4, Rule.X7)]


def test_check_accepts_an_explanation_under_a_renamed_units_old_name(tmp_path):
    write(tmp_path / "去年/区教育局.xlsx", "区教育局", YEAR - 1, code="230104001")
    write(tmp_path / "收回/区教育和体育局.xlsx", "区教育和体育局", YEAR, code="230104001", new=30)
    accept = tmp_path / "说明.csv"
    accept.write_text("单位,规则,单元格,说明\n区教育局,X5,,机构改革，职能增加\n", "utf-8")
    result = run(
        "check", tmp_path / "收回", "--previous", tmp_path / "去年", "--accept", accept,
        "--format", "json",
    )  # fmt: skip
    data = json.loads(result.stdout)
    (entry,) = data["files"]
    x5 = [f for f in entry["findings"] if f["rule"] == "X5"]
    assert x5 and all(f.get("explanation") == "机构改革，职能增加" for f in x5), x5
    assert not [n for n in data["notes"] if n["rule"] == "A01"], data["notes"]


def test_last_years_return_named_with_its_city_is_the_units(tmp_path):
    """Last year's cover said 「哈尔滨市道外区财政局」, this year's 「道外区财政局」 (no codes):
    the same unit by its name with the places before it; it was listed as 「上年有报表、本年
    未汇总」 and its figures were not compared across years."""
    write(tmp_path / "去年/财政局.xlsx", "哈尔滨市道外区财政局", YEAR - 1, new=5, carried_out=2)
    write(tmp_path / "去年/教育局.xlsx", "道外区教育局", YEAR - 1, new=3, carried_out=0)
    write(tmp_path / "收回/财政局.xlsx", "道外区财政局", YEAR, new=6, carried_in=1)
    write(tmp_path / "收回/教育局.xlsx", "道外区教育局", YEAR, new=3, carried_in=0)

    checked = run("check", tmp_path / "收回", "--previous", tmp_path / "去年", "--format", "json")
    merged = run(
        "merge", tmp_path / "收回", "--previous", tmp_path / "去年", "-o", tmp_path / "s.xlsx"
    )

    assert "X1" in rules(findings_by_unit(checked)["财政局"])  # 1 carried in, 2 carried out
    assert "上年有报表、本年未汇总" not in merged.output
