"""The annotated copy: failing cells marked and explained, a findings sheet, the original untouched."""

from __future__ import annotations

import os
from pathlib import Path

import openpyxl
import pytest

from nianbao.form import get_form
from nianbao.form.data import FileReport
from nianbao.form.findings import Finding, Rule, Severity
from nianbao.form.layout import layout_for
from nianbao.pipeline.check import check_paths
from nianbao.recognise.reader import UnknownLayout, read_return
from nianbao.xlsx.annotate import (
    AUTHOR,
    ERROR_FILL,
    SHEET,
    WARNING_FILL,
    CannotAnnotate,
    annotate,
)
from nianbao.xlsx.writer import write_return
from tests.support import badfiles
from tests.support.returns import valid_return
from tests.support.soffice import convert, requires_soffice

FORM = get_form("2021")
TEXT_CELL, TOTAL_CELL = "三:1:c1", "四:1:ar5"


@pytest.fixture(scope="module")
def checked(tmp_path_factory) -> tuple[Path, FileReport, Path]:
    """A workbook with a text cell (V01 + E1) and no unit (C01), checked and annotated once."""
    root = tmp_path_factory.mktemp("annotate")
    ret = valid_return(FORM, 4, unit=None, year=2024)
    ret.values[TEXT_CELL] = "十二"
    source = root / "某单位.xlsx"
    write_return(source, FORM, ret, year=2024)
    os.utime(source, (1_600_000_000, 1_600_000_000))
    (report,) = check_paths([source])
    out = annotate(source, report, root / "批注")
    return source, report, out


def test_the_copy_is_named_after_the_original_and_the_original_is_untouched(checked, tmp_path):
    source, report, out = checked
    assert out.name == "某单位-校验意见.xlsx" and out.exists()
    before = source.read_bytes()
    again = annotate(source, report, tmp_path)
    assert source.read_bytes() == before and source.stat().st_mtime == 1_600_000_000
    assert again.read_bytes() != before


def test_every_failing_cell_is_filled_and_carries_the_messages(checked):
    _, report, out = checked
    book = openpyxl.load_workbook(out)
    sheet, a1 = layout_for(FORM).address(TEXT_CELL)
    cell = book[sheet][a1]
    assert cell.fill.fgColor.rgb.endswith(ERROR_FILL)
    assert cell.comment.author == AUTHOR
    for finding in report.findings:
        if a1 in finding.cells and finding.sheet == sheet:
            assert (
                f"[{finding.rule.id} {finding.level.chinese}] {finding.message}"
                in cell.comment.text
            )
    assert "[V01 错误]" in cell.comment.text and "[E1 错误]" in cell.comment.text
    e1 = next(f for f in report.findings if f.rule is Rule.E1)
    for other in e1.cells:
        assert book[sheet][other].comment is not None


def test_the_findings_sheet_comes_first_and_links_to_each_cell(checked):
    _, report, out = checked
    book = openpyxl.load_workbook(out)
    assert book.sheetnames[0] == SHEET and book.active.title == SHEET
    rows = list(book[SHEET].iter_rows(min_row=2, values_only=True))
    assert len(rows) == len(report.findings)
    assert {(r[1], r[2], r[3] or None, r[4] or "") for r in rows} == {
        (f.rule.id, f.level.chinese, f.sheet, ",".join(f.cells)) for f in report.findings
    }
    for row in book[SHEET].iter_rows(min_row=2):
        rule_id, sheet, cells = row[1].value, row[3].value, row[4].value
        if sheet and cells:
            assert row[4].hyperlink.location == f"'{sheet}'!{cells.split(',')[0]}", rule_id


def as_resent(copy: Path, folder: Path) -> Path:
    """The annotated copy as a unit sends it back after following its advice: the 校验意见
    sheet deleted (a copy with it is never read as a return); cached results kept."""
    folder.mkdir(parents=True, exist_ok=True)
    resent = folder / copy.name
    resent.write_bytes(badfiles.delete_sheet(copy.read_bytes(), SHEET))
    return resent


def test_an_annotated_copy_is_never_read_as_a_return(checked):
    _, _, out = checked
    with pytest.raises(UnknownLayout) as refused:
        read_return(out)
    assert refused.value.finding.rule is Rule.F05 and "批注副本" in refused.value.finding.message


def test_the_annotated_copy_keeps_every_input_and_every_total_formula(checked, tmp_path):
    source, _, out = checked
    copy, original = read_return(as_resent(out, tmp_path)).values, read_return(source).values
    assert {k: copy[k] for k in FORM.input_keys} == {k: original[k] for k in FORM.input_keys}
    # the formulas themselves stay (their stored results too: the next test)
    book = openpyxl.load_workbook(out)
    for key in FORM.derived_keys:
        sheet, a1 = layout_for(FORM).address(key)
        assert str(book[sheet][a1].value).startswith("="), key
    assert book.calculation.fullCalcOnLoad


def test_warnings_are_marked_yellow_and_text_never_becomes_a_formula(tmp_path):
    ret = valid_return(FORM, 5, unit="某局", year=2024)
    source = tmp_path / "a.xlsx"
    write_return(source, FORM, ret, unit=ret.unit, year=2024)
    sheet, a1 = layout_for(FORM).address(TOTAL_CELL)
    findings = [
        Finding(Rule.X3, '=HYPERLINK("http://example.com","点此")', sheet=sheet, cells=(a1,)),
    ]
    out = annotate(source, FileReport(source, ret, findings), tmp_path / "out")
    book = openpyxl.load_workbook(out)
    assert book[sheet][a1].fill.fgColor.rgb.endswith(WARNING_FILL)
    message = book[SHEET].cell(2, 6)
    assert message.data_type == "s" and message.value.startswith("=HYPERLINK")
    assert findings[0].level is Severity.WARNING


def test_annotating_an_annotated_copy_replaces_its_findings_sheet(checked, tmp_path):
    _, report, out = checked
    twice = annotate(out, report, tmp_path)
    book = openpyxl.load_workbook(twice)
    assert book.sheetnames.count(SHEET) == 1 and book.sheetnames[0] == SHEET


def test_only_xlsx_and_xlsm_can_be_annotated(checked, tmp_path):
    source, report, _ = checked
    other = tmp_path / "某单位.xls"
    other.write_bytes(source.read_bytes())
    with pytest.raises(CannotAnnotate, match="不是 .xlsx 文件"):
        annotate(other, report, tmp_path / "out")
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_the_copy_never_overwrites_its_original(checked, tmp_path):
    from nianbao.errors import UserError

    source, report, _ = checked
    inside = tmp_path / "某单位.xlsx"
    inside.write_bytes(source.read_bytes())
    with pytest.raises(UserError):
        annotate(inside, report, tmp_path, name=inside.name)
    assert inside.read_bytes() == source.read_bytes()


@requires_soffice
def test_libreoffice_opens_the_annotated_copy(checked, tmp_path):
    source, _, out = checked
    converted = convert(out, "xlsx", tmp_path)
    book = openpyxl.load_workbook(converted)
    assert SHEET in book.sheetnames
    sheet, a1 = layout_for(FORM).address(TEXT_CELL)
    assert book[sheet][a1].comment is not None
    assert (
        read_return(as_resent(converted, tmp_path / "resent")).values == read_return(source).values
    )


def test_findings_at_a_cell_covered_by_a_merge_are_noted_on_the_merges_top_left_cell(tmp_path):
    """A unit merged D5:E5: E5 (now blank, V04 and E1) can hold no comment of its own, and
    annotating it once stopped the whole run. Its findings go on D5, each saying it is E5's."""
    ret = valid_return(FORM, 6, unit="某局", year=2024)
    source = tmp_path / "合并.xlsx"
    write_return(source, FORM, ret, unit=ret.unit, year=2024)
    sheet, anchor = layout_for(FORM).address("三:1:c1")
    _, covered = layout_for(FORM).address("三:1:c2")
    book = openpyxl.load_workbook(source)
    book[sheet].merge_cells(f"{anchor}:{covered}")
    book.save(source)
    (report,) = check_paths([source])
    at_covered = [f for f in report.findings if f.sheet == sheet and covered in f.cells]
    assert {f.rule for f in at_covered} >= {Rule.V04, Rule.E1}
    out = annotate(source, report, tmp_path / "out")
    cell = openpyxl.load_workbook(out)[sheet][anchor]
    assert cell.fill.fgColor.rgb.endswith(ERROR_FILL) and cell.comment.author == AUTHOR
    lines = cell.comment.text.splitlines()
    for finding in at_covered:
        line = f"{covered}（被合并进本格）：[{finding.rule.id} {finding.level.chinese}] {finding.message}"
        assert lines.count(line) == 1


def test_the_annotated_copy_stores_the_results_the_original_stored(checked):
    """Excel's Protected View (an e-mailed attachment) and previews show stored results only:
    the copy sent back shows every total as the unit's file did, not blank."""
    source, _, out = checked
    stored = openpyxl.load_workbook(source, data_only=True)
    copied = openpyxl.load_workbook(out, data_only=True)
    compared = 0
    for key in FORM.derived_keys:
        sheet, a1 = layout_for(FORM).address(key)
        if stored[sheet][a1].value is not None:
            assert copied[sheet][a1].value == stored[sheet][a1].value, key
            compared += 1
    assert compared == len(FORM.derived_keys)
