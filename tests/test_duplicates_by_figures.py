"""One batch, one return per set of figures: returns of different units whose entered figures
are the same (M13: one return sent twice under two names, or copied), copies of one unit's
return told apart by what was entered (not by the totals a program stored), and a template
issued to one roster unit with another roster unit on its cover (M14)."""

from __future__ import annotations

import random
from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from nianbao.checks.status import (
    COPIED_FIGURES,
    COPIED_VALUES,
    SameFigures,
    copied_figures,
    duplicate_advice,
    duplicates_among,
    identify,
    same_figures,
    submission_status,
)
from nianbao.cli import cli
from nianbao.form import get_form
from nianbao.form.data import FileReport, Return, entered_figures, filled_return
from nianbao.form.findings import Rule
from nianbao.form.layout import layout_for
from nianbao.pipeline.merge import MergeConflict, merge_returns
from nianbao.sources.roster import RosterEntry
from tests.support.returns import balanced_inputs, valid_return
from tests.support.season import fill

FORM = get_form("2021")
YEAR = 2025


def run(*args: object):
    return CliRunner().invoke(cli, [str(a) for a in args])


def returned(inputs: dict, unit: str, year: int = YEAR) -> Return:
    return filled_return(FORM, inputs, unit=unit, year=year, source=f"收回/{unit}.xlsx")


def sparse(nonzero: int, values: int = 5) -> dict:
    """Inputs with exactly ``nonzero`` figures not 0 (表二's counts, then 表四's), of up to
    ``values`` different values (1, 2, 3 …), the rest 0: every balance holds (表二 and 表四
    have none across cells that these break)."""
    keys = [k for k in FORM.input_keys if k.startswith(("二:", "四:"))][:nonzero]
    assert len(keys) == nonzero
    inputs = dict.fromkeys(FORM.input_keys, 0)
    inputs.update({key: i % values + 1 for i, key in enumerate(keys)})
    return inputs


# -- what "the same figures" means --------------------------------------------------------------


def test_same_figures_compares_what_was_entered_not_the_totals_a_file_stored():
    # 甲局.xlsx saved by a program that does not calculate (no stored totals), 甲局(1).xlsx the
    # same file saved again in LibreOffice (totals stored), a blank typed as 0 in one of them
    first = valid_return(FORM, 1, unit="甲局", year=YEAR)
    second = valid_return(FORM, 1, unit="甲局", year=YEAR)
    for key in FORM.derived_keys:
        first.values[key] = None
    zero = next(k for k in FORM.input_keys if second.values[k] == 0)
    first.values[zero] = None
    assert same_figures(first, second)
    assert entered_figures(first) == entered_figures(second)
    assert "数字完全相同" in duplicate_advice([first, second])
    changed = valid_return(FORM, 1, unit="甲局", year=YEAR)
    changed.values[zero] = 1
    assert not same_figures(first, changed)
    assert "数字不同" in duplicate_advice([first, changed])


# -- M13: returns of different units with the same figures ---------------------------------------


def test_two_units_with_the_same_figures_are_M13_naming_both_files():
    inputs = balanced_inputs(FORM, random.Random(2))
    b, c = returned(inputs, "乙局"), returned(inputs, "丙街道")
    a = returned(balanced_inputs(FORM, random.Random(1)), "甲局")
    (found,) = duplicates_among([a, b, c], ["收回/甲局.xlsx", "收回/乙局.xlsx", "收回/丙街道.xlsx"])
    assert found.rule is Rule.M13 and found.is_error
    assert found.operands["files"] == ["收回/乙局.xlsx", "收回/丙街道.xlsx"]
    assert "数字完全相同" in found.message
    assert (
        "收回/乙局.xlsx（乙局）" in found.message and "收回/丙街道.xlsx（丙街道）" in found.message
    )
    # and a merge of the files received refuses them, saying so
    with pytest.raises(MergeConflict) as refused:
        merge_returns([a, b, c], name="某区", figures=True)
    assert [f.rule for f in refused.value.findings] == [Rule.M13]
    assert "数字完全相同" in str(refused.value)


def test_blank_and_nearly_blank_returns_alike_are_no_M13():
    # small streets: nothing at all, or a handful of figures, are often alike by chance
    for nonzero in (0, 1, COPIED_FIGURES - 1):
        units = [returned(sparse(nonzero), name) for name in ("甲街道", "乙街道", "丙街道")]
        assert duplicates_among(units, ["a.xlsx", "b.xlsx", "c.xlsx"]) == [], nonzero
        merge_returns(units, name="某区", figures=True)  # merged as usual
    # many figures, but all 1 or 2: a few applications, each counted once
    many = [returned(sparse(20, COPIED_VALUES - 1), name) for name in ("甲街道", "乙街道")]
    assert duplicates_among(many, ["a.xlsx", "b.xlsx"]) == []
    units = [returned(sparse(COPIED_FIGURES), name) for name in ("甲街道", "乙街道")]
    assert [f.rule for f in duplicates_among(units, ["a.xlsx", "b.xlsx"])] == [Rule.M13]
    units = [returned(sparse(COPIED_FIGURES, COPIED_VALUES), n) for n in ("甲街道", "乙街道")]
    assert [f.rule for f in duplicates_among(units, ["a.xlsx", "b.xlsx"])] == [Rule.M13]


def test_the_same_figures_in_two_years_or_with_one_figure_changed_are_no_M13():
    inputs = balanced_inputs(FORM, random.Random(2))
    other = dict(inputs)
    key = next(k for k in FORM.input_keys if k.startswith("二:"))
    other[key] = other[key] + 1
    pairs = (
        [returned(inputs, "乙局"), returned(inputs, "丙街道", year=YEAR - 1)],
        [returned(inputs, "乙局"), returned(other, "丙街道")],
    )
    for pair in pairs:
        assert duplicates_among(pair, ["a.xlsx", "b.xlsx"]) == []


def test_the_sets_found_once_are_the_sets_found_anew_among_any_part_of_the_returns():
    # the status finds the sets among every return read; the merge asks again of those it sums
    first, second = balanced_inputs(FORM, random.Random(2)), balanced_inputs(FORM, random.Random(3))
    returns = [
        returned(first, "甲局"),
        returned(balanced_inputs(FORM, random.Random(1)), "乙局"),
        returned(second, "丙街道"),
        returned(first, "丁局"),
        returned(second, "戊镇"),
        returned(first, "己局"),
    ]
    same = SameFigures(returns)
    rng = random.Random(7)
    for _ in range(40):
        part = rng.sample(returns, rng.randint(0, len(returns)))
        files = [f"{r.unit}.xlsx" for r in part]
        assert copied_figures(part, files, same=same) == copied_figures(part, files)
    assert len(copied_figures(returns, [r.unit or "" for r in returns], same=same)) == 2
    # renamed by the season after the status (the roster's name): still known
    renamed = [replace(ret, unit=f"{ret.unit}（名册）") for ret in returns]
    files = [r.unit or "" for r in renamed]
    assert copied_figures(renamed, files, same=same) == copied_figures(renamed, files)
    # a return it was not made of (read later) has the sets found anew, with it among them
    later = returned(second, "庚街道")
    part = [returns[0], returns[2], later]
    (found,) = copied_figures(part, ["甲局", "丙街道", "庚街道"], same=same)
    assert found.operands["files"] == ["丙街道", "庚街道"]
    # as has one of another year with the same figures object
    other_year = replace(returns[4], year=YEAR - 1)
    part = [returns[2], other_year, later]
    (found,) = copied_figures(part, ["丙街道", "戊镇", "庚街道"], same=same)
    assert found.operands["files"] == ["丙街道", "庚街道"]


def test_copies_of_one_units_return_are_M01_only():
    inputs = balanced_inputs(FORM, random.Random(2))
    copies = [returned(inputs, "乙局"), returned(inputs, "乙局")]
    found = duplicates_among(copies, ["乙局.xlsx", "乙局(1).xlsx"])
    assert [f.rule for f in found] == [Rule.M01]
    # a third file, another unit's, with the same figures: M13 names all three
    third = [*copies, returned(inputs, "丙街道")]
    found = duplicates_among(third, ["乙局.xlsx", "乙局(1).xlsx", "丙街道.xlsx"])
    assert [f.rule for f in found] == [Rule.M01, Rule.M13]
    assert found[1].operands["files"] == ["乙局.xlsx", "乙局(1).xlsx", "丙街道.xlsx"]


ROSTER = [
    RosterEntry("甲局", "某区", "001"),
    RosterEntry("乙局", "某区", "002"),
    RosterEntry("丙街道", "某区", "003"),
]


def report(unit: str, inputs: dict, *, code: str | None = None, name: str | None = None):
    ret = returned(inputs, unit)
    ret.code, ret.issued = code, None
    return FileReport(Path(f"收回/{name or unit}.xlsx"), ret, [])


def test_status_lists_returns_with_the_same_figures_as_errors_on_both_rows():
    inputs = balanced_inputs(FORM, random.Random(2))
    reports = [
        report("甲局", balanced_inputs(FORM, random.Random(1)), code="001"),
        report("乙局", inputs, code="002"),
        report("丙街道", inputs, code="003"),
    ]
    status = submission_status(reports, ROSTER)
    assert [f.rule for f in status.duplicates] == [Rule.M13]
    rows = {row.unit: row for row in status.rows}
    assert rows["甲局"].status == "已报通过"
    for unit in ("乙局", "丙街道"):
        assert rows[unit].status == "有错误" and rows[unit].errors == 1
        assert "M13 不同单位的报表数字完全相同" in rows[unit].problems
        assert status.copies(rows[unit].file) == 0  # no 「本单位共 2 份」: they are two units


def test_copies_of_one_roster_unit_under_two_cover_names_are_M01_copies_not_M13():
    inputs = balanced_inputs(FORM, random.Random(2))
    first = report("甲局", inputs, code="001")
    renamed = report("甲局机关", inputs, code="001", name="甲局(1)")
    status = submission_status([first, renamed], ROSTER)
    (m01,) = status.duplicates
    assert m01.rule is Rule.M01 and "这 2 份的数字完全相同（多半是同一文件的副本）" in m01.message


# -- M14: another roster unit's template ---------------------------------------------------------


def test_a_cover_naming_another_roster_unit_than_the_templates_code_is_M14():
    borrowed = report("乙局", balanced_inputs(FORM, random.Random(2)), code="001")
    found = identify([borrowed], ROSTER)
    assert found.entry(borrowed).unit == "甲局"  # the code's unit, as before …
    assert str(borrowed.path) not in found.renamed  # … but no M06: the cover is another unit
    ((named, m14),) = found.disputed.values()
    assert named.unit == "乙局" and m14.rule is Rule.M14 and m14.is_error
    assert "封面填的是「乙局」，但这份模板是发给「甲局」的" in m14.message
    assert "单位代码 001" in m14.message and "用本单位的模板重新填报" in m14.message
    assert found.findings(borrowed) == [m14]
    # 甲局 sends its own later: its own return is no duplicate of the borrowed template
    own = report("甲局", balanced_inputs(FORM, random.Random(1)), code="001")
    status = submission_status([borrowed, own], ROSTER)
    assert not [f for f in status.findings if f.rule is Rule.M01]
    (missing,) = [f for f in status.findings if f.rule is Rule.M04 and f.operands["unit"] == "乙局"]
    assert "收回/乙局.xlsx" in missing.message and "发给「甲局」的模板" in missing.message
    row = next(r for r in status.rows if r.unit == "乙局")
    assert row.status == "未报" and "M14" in row.problems


def test_a_renamed_cover_that_is_no_other_roster_unit_stays_M06():
    renamed = report("甲局机关", balanced_inputs(FORM, random.Random(2)), code="001")
    found = identify([renamed], ROSTER)
    assert found.entry(renamed).unit == "甲局"
    assert found.renamed[str(renamed.path)].rule is Rule.M06 and not found.disputed


# -- the commands ---------------------------------------------------------------------------------


def season_folder(tmp_path: Path) -> tuple[Path, Path, dict[str, Path]]:
    """A roster of three units with codes, templates made from it, an empty 收回/."""
    roster = tmp_path / "名册.csv"
    roster.write_text(
        "单位名称,上级单位,单位代码,联系人\n"
        "甲局,某区,230104001,张三\n乙局,某区,230104002,李四\n丙街道,某区,230104003,王五\n",
        encoding="utf-8-sig",
    )
    result = run("template", "--year", YEAR, "--roster", roster, "--out-dir", tmp_path / "下发")
    assert result.exit_code == 0, result.output
    templates = {
        unit: next((tmp_path / "下发").glob(f"{unit}-*.xlsx"))
        for unit in ("甲局", "乙局", "丙街道")
    }
    returns = tmp_path / "收回"
    returns.mkdir()
    return roster, returns, templates


def test_a_unit_that_pasted_another_units_figures_is_noted_by_check_listed_by_status_refused_by_merge(
    tmp_path,
):
    roster, returns, templates = season_folder(tmp_path)
    copied = balanced_inputs(FORM, random.Random(2))
    fill(templates["甲局"], returns / "甲局.xlsx", balanced_inputs(FORM, random.Random(1)), {})
    fill(templates["乙局"], returns / "乙局.xlsx", copied, {})
    fill(templates["丙街道"], returns / "丙街道.xlsx", copied, {})

    checked = run("check", returns)
    assert checked.exit_code == 0, checked.output  # each file is fine on its own
    assert "重复报送" in checked.output and "数字完全相同" in checked.output

    status = run("status", returns, "--roster", roster)
    assert status.exit_code == 1, status.output
    lines = status.output.splitlines()
    for unit in ("乙局", "丙街道"):
        line = next(line for line in lines if f"| {unit}（" in line)
        assert line.startswith("  有错误") and "M13" in line
    assert "数字完全相同" in status.output

    out = tmp_path / "汇总.xlsx"
    merged = run("merge", returns, "--roster", roster, "--name", "某区", "-o", out)
    assert merged.exit_code == 1, merged.output
    refused = str(merged.exception)  # MergeConflict: the command prints it as 错误：…
    assert "[M13]" in refused and "数字完全相同" in refused
    assert str(returns / "乙局.xlsx") in refused and str(returns / "丙街道.xlsx") in refused
    assert not out.exists()


def test_a_workbook_beside_its_own_published_report_is_not_counted_twice(tmp_path):
    import docx

    roster, returns, templates = season_folder(tmp_path)
    fill(templates["甲局"], returns / "甲局.xlsx", balanced_inputs(FORM, random.Random(1)), {})
    fill(templates["乙局"], returns / "乙局.xlsx", balanced_inputs(FORM, random.Random(2)), {})
    fill(templates["丙街道"], returns / "丙街道.xlsx", balanced_inputs(FORM, random.Random(3)), {})
    draft = tmp_path / "draft.docx"
    published = run("publish", returns / "甲局.xlsx", "-o", draft)
    assert published.exit_code == 0, published.output
    document = docx.Document(str(draft))
    for run_ in document.paragraphs[0].runs:  # the office gives the unit's full name
        run_.text = run_.text.replace("甲局", "某市某区甲局")
    report_file = returns / "某市某区甲局2025年政府信息公开工作年度报告.docx"
    document.save(str(report_file))

    status = run("status", returns, "--roster", roster)
    assert status.exit_code == 1, status.output
    assert "数字完全相同" in status.output and "年度报告" in status.output

    out = tmp_path / "汇总.xlsx"
    merged = run("merge", returns, "--roster", roster, "--name", "某区", "-o", out)
    assert merged.exit_code == 1, merged.output
    refused = str(merged.exception)
    # the report's title names the unit with the places before it: the unit's second return
    assert "[M01] 单位「甲局」报送了 2 份报表" in refused and "是年度报告" in refused
    assert str(report_file) in refused and str(returns / "甲局.xlsx") in refused
    assert not out.exists()
    report_file.unlink()  # moved out, as advised: the two workbooks merge
    merged = run("merge", returns, "--roster", roster, "--name", "某区", "-o", out)
    assert merged.exit_code == 0, merged.output


def test_a_copy_saved_again_with_its_totals_is_said_to_hold_the_same_figures(tmp_path):
    roster, returns, templates = season_folder(tmp_path)
    inputs = balanced_inputs(FORM, random.Random(1))
    fill(templates["甲局"], returns / "甲局.xlsx", inputs, {})  # totals: formulas, no results
    # the same file saved again by a program that calculates: the totals hold numbers
    book = openpyxl.load_workbook(returns / "甲局.xlsx")
    layout = layout_for(FORM)
    completed = filled_return(FORM, inputs).values
    for key in FORM.derived_keys:
        sheet, a1 = layout.address(key)
        book[sheet][a1] = completed[key]
    book.save(returns / "甲局(1).xlsx")
    fill(templates["乙局"], returns / "乙局.xlsx", balanced_inputs(FORM, random.Random(2)), {})
    fill(templates["丙街道"], returns / "丙街道.xlsx", balanced_inputs(FORM, random.Random(3)), {})

    status = run("status", returns, "--roster", roster)
    assert status.exit_code == 1, status.output
    assert "这 2 份的数字完全相同" in status.output and "数字不同" not in status.output
    assert "M13" not in status.output  # one unit's copies: M01 alone


def test_a_template_passed_on_to_another_roster_unit_counts_for_neither(tmp_path):
    roster, returns, templates = season_folder(tmp_path)
    # 乙局 filled 甲局's template (its hidden code is 甲局's) and typed its own name on the cover
    fill(
        templates["甲局"],
        returns / "乙局.xlsx",
        balanced_inputs(FORM, random.Random(2)),
        {"unit": "乙局"},
    )
    fill(templates["丙街道"], returns / "丙街道.xlsx", balanced_inputs(FORM, random.Random(3)), {})

    status = run("status", returns, "--roster", roster)
    assert status.exit_code == 1, status.output
    line = next(line for line in status.output.splitlines() if "乙局.xlsx" in line)
    assert line.startswith("  有错误") and "M14" in line
    assert "已报通过 | 甲局" not in status.output

    out = tmp_path / "汇总.xlsx"
    merged = run("merge", returns, "--roster", roster, "--name", "某区", "-o", out)
    assert merged.exit_code == 1, merged.output
    assert (
        "封面填的是「乙局」，但这份模板是发给「甲局」的（模板中的单位代码 230104001"
        in merged.output
    )
    assert not out.exists()

    # 甲局 sends its own return as well: not a second return of 甲局
    fill(templates["甲局"], returns / "甲局.xlsx", balanced_inputs(FORM, random.Random(1)), {})
    status = run("status", returns, "--roster", roster)
    assert "报送了 2 份报表" not in status.output and "M01" not in status.output
    assert "M14" in status.output

    # … nor for merge, which sums 甲局's own return and leaves the borrowed template out
    merged = run("merge", returns, "--roster", roster, "--skip-invalid", "-o", out)
    assert merged.exit_code == 1 and out.exists(), merged.output
    assert "M01" not in merged.output and "2 份报表已汇总" in merged.output


def test_a_blank_template_sent_back_beside_the_filled_return_is_no_second_return(tmp_path):
    # units often send the blank template first, then the filled one
    roster, returns, templates = season_folder(tmp_path)
    for seed, unit in enumerate(("甲局", "乙局", "丙街道"), 1):
        fill(
            templates[unit],
            returns / f"{unit}.xlsx",
            balanced_inputs(FORM, random.Random(seed)),
            {},
        )
    blank = returns / "甲局-空白.xlsx"
    blank.write_bytes(templates["甲局"].read_bytes())

    status = run("status", returns, "--roster", roster)
    assert "未填写 | 甲局" in status.output  # the file is listed as what it is …
    assert "M01" not in status.output and "报送了 2 份报表" not in status.output
    assert "需要催报" not in status.output  # … but 甲局 has reported: nobody to chase

    out = tmp_path / "汇总.xlsx"
    merged = run("merge", returns, "--roster", roster, "--skip-invalid", "-o", out)
    assert merged.exit_code == 1 and out.exists(), merged.output
    assert "M01" not in merged.output and "3 份报表已汇总" in merged.output
    assert "报来空白表" not in merged.output

    # a unit that sent only the blank template is still chased
    (returns / "甲局.xlsx").unlink()
    status = run("status", returns, "--roster", roster)
    assert "需要催报的单位 1 个：甲局（未填写，张三）" in status.output


def test_each_row_of_a_unit_that_sent_two_returns_says_so_on_screen(tmp_path):
    # the rows alone read 已报通过 twice, as if all were well; the sheet marked them already
    roster, returns, templates = season_folder(tmp_path)
    fill(templates["甲局"], returns / "甲局.xlsx", balanced_inputs(FORM, random.Random(1)), {})
    fill(
        templates["甲局"],
        returns / "甲局（修改版）.xlsx",
        balanced_inputs(FORM, random.Random(5)),
        {},
    )
    status = run("status", returns, "--roster", roster)
    rows = [line for line in status.output.splitlines() if line.startswith("  已报通过 | 甲局")]
    assert len(rows) == 2 and all("重复报送：本单位共 2 份" in row for row in rows)
