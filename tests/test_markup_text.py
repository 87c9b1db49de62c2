"""Text shaped like xlsxwriter's own rich-string XML (``<r>…</r>``) is written as text.

xlsxwriter stores a string that starts with ``<r>`` and ends with ``</r>`` as raw XML, so a
unit called 「<r>甲</r>」 made a workbook Excel refuses to open, and a crafted one could inject
markup. Every workbook nianbao writes must hold such a name exactly as given."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from nianbao.form import get_form
from nianbao.form.findings import Finding, Rule
from nianbao.pipeline.export import export_returns
from nianbao.pipeline.merge import merge_returns
from nianbao.recognise.reader import read_return
from nianbao.xlsx.summary import write_summary
from nianbao.xlsx.writer import write_return
from tests.support.returns import valid_return

FORM = get_form("2021")
NAMES = ("<r>甲局</r>", "<r><t>乙局</t></r>", '<r><rPr><b/></rPr><t xml:space="x">丙</t></r>')


def texts(path: Path) -> tuple[set[str], set[str]]:
    """Every text cell of every sheet, as openpyxl and as calamine read them."""
    by_openpyxl = {
        value
        for sheet in openpyxl.load_workbook(path).worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if isinstance(value, str)
    }
    book = CalamineWorkbook.from_path(str(path))
    by_calamine = {
        value
        for name in book.sheet_names
        for row in book.get_sheet_by_name(name).to_python()
        for value in row
        if isinstance(value, str)
    }
    return by_openpyxl, by_calamine


@pytest.mark.parametrize("name", NAMES)
def test_a_return_for_a_unit_named_like_markup_reads_back_with_that_name(tmp_path, name):
    path = tmp_path / "return.xlsx"
    write_return(path, FORM, valid_return(FORM, unit=name))
    assert read_return(path).unit == name
    for found in texts(path):
        assert name in found


def test_a_summary_names_such_units_exactly_on_every_sheet(tmp_path):
    members = [valid_return(FORM, seed=i, unit=name) for i, name in enumerate(NAMES)]
    summary = merge_returns(members, name=NAMES[0])
    findings = [(name, Finding(Rule.V04, name)) for name in NAMES]
    path = tmp_path / "summary.xlsx"
    write_summary(path, summary, members, findings=findings)
    for found in texts(path):
        assert set(NAMES) <= found


def test_export_writes_such_text_as_text(tmp_path):
    path = tmp_path / "export.xlsx"
    export_returns([valid_return(FORM, unit=name) for name in NAMES], path)
    for found in texts(path):
        assert set(NAMES) <= found


def test_text_longer_than_a_cell_holds_is_cut_quietly_even_when_shaped_like_markup(tmp_path):
    import warnings

    long_name = "<r>" + "甲" * 40_000 + "</r>"
    path = tmp_path / "return.xlsx"
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # xlsxwriter's warning would reach the user's terminal
        write_return(path, FORM, valid_return(FORM, unit=long_name))
    assert read_return(path).unit == long_name[:32_767]
