"""表四's two litigation groups repeat the same five column labels (结果维持 … 总计) under
未经复议直接起诉 and 复议后起诉. Where a page or sheet lost those two group labels, both groups'
leaves were sought across all of 行政诉讼 and found in the same five columns: 复议后起诉's figures
were read from 未经复议直接起诉's columns, in silence (found by fuzzing a web page). Two columns
of the form are never read from one column of the page: the table is refused, naming the
labels missing."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from nianbao.form import get_form
from nianbao.form.findings import Rule
from nianbao.recognise.reader import UnknownLayout, read_return
from tests.support.documents import report_html
from tests.support.foreign import write_foreign
from tests.support.returns import valid_return

FORM = get_form("2021")
SOURCE = valid_return(FORM, seed=5)
GROUPS = ("未经复议直接起诉", "复议后起诉")


def _refused_naming(path: Path, labels: tuple[str, ...]) -> None:
    with pytest.raises(UnknownLayout) as refused:
        read_return(path)
    finding = refused.value.finding
    assert finding.rule is Rule.L01
    assert all(f"「{label}」" in finding.message for label in labels)


def _page_without(tmp_path: Path, lost: tuple[str, ...]) -> Path:
    page = report_html(FORM, SOURCE.values)
    for label in lost:
        page = page.replace(f">{label}<", "><")
    path = tmp_path / "报告.html"
    path.write_text(page, encoding="utf-8")
    return path


def test_a_web_page_without_the_litigation_group_labels_is_refused(tmp_path):
    _refused_naming(_page_without(tmp_path, GROUPS), GROUPS)


def test_the_first_group_label_lost_is_refused_naming_it(tmp_path):
    # 复议后起诉's leaves are sought from the last label found before it (a merged label may
    # stand centred over its columns): with 未经复议直接起诉 lost, that was 行政诉讼's first
    # column, and 复议后起诉 read 未经复议直接起诉's five figures
    _refused_naming(_page_without(tmp_path, GROUPS[:1]), GROUPS[:1])


def test_the_second_group_label_lost_still_reads_each_figure_from_its_column(tmp_path):
    # 未经复议直接起诉's label bounds the search: the leaves after its five are the others'
    assert read_return(_page_without(tmp_path, GROUPS[1:])).values == SOURCE.values


def test_a_workbook_without_the_litigation_group_labels_is_refused(tmp_path):
    path = tmp_path / "自制.xlsx"
    write_foreign(path, FORM, SOURCE.values)
    workbook = openpyxl.load_workbook(path)
    for row in workbook["表四"].iter_rows():
        for cell in row:
            if cell.value in GROUPS:
                cell.value = None
    workbook.save(path)
    _refused_naming(path, GROUPS)


def test_the_page_with_its_group_labels_reads_every_figure(tmp_path):
    path = tmp_path / "报告.html"
    path.write_text(report_html(FORM, SOURCE.values), encoding="utf-8")
    assert read_return(path).values == SOURCE.values
