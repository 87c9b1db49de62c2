"""Sweep 8 of hostile workbook returns: what a unit sends back that is not what it seems.

- A sheet saved as CSV (and a CSV renamed .xlsx) names every label of the form: it was taken
  for a text report and refused as one without tables (L01, 「请保持官方表式的行列标签」, every
  label there); it is a CSV file, not a workbook, and is told so (F02).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
import pytest

from nianbao.form import get_form
from nianbao.form.findings import Finding, Rule
from nianbao.form.layout import layout_for
from nianbao.pipeline.check import read_one
from tests.support.returns import written_template

FORM = get_form("2021")
LAYOUT = layout_for(FORM)


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    return written_template(tmp_path_factory.mktemp("sweep8") / "t.xlsx")


# -- 01. a sheet saved as CSV ------------------------------------------------------------------


def _as_csv(template: Path, separator: str) -> bytes:
    """The statutory tables of ``template`` as Excel's 「CSV（逗号分隔）」 writes a sheet: every
    row as wide as the widest, formulas as their results (here: left out), in GB18030."""
    book = openpyxl.load_workbook(template)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=separator, lineterminator="\r\n")
    for name in book.sheetnames[1:4]:
        sheet = book[name]
        for row in sheet.iter_rows(values_only=True):
            writer.writerow(["" if v is None or str(v).startswith("=") else v for v in row])
    return out.getvalue().encode("gb18030")


@pytest.mark.parametrize("name", ["回执.csv", "回执.xlsx", "回执.txt"])
@pytest.mark.parametrize("separator", [",", ";"])
def test_a_return_saved_as_csv_is_told_as_csv_not_as_a_report_without_tables(
    template, tmp_path, name, separator
):
    path = tmp_path / name
    path.write_bytes(_as_csv(template, separator))
    read = read_one(path)
    assert isinstance(read, Finding) and read.rule is Rule.F02, read
    assert "CSV" in read.message and "另存为 .xlsx" in read.message
    if name.endswith(".xlsx"):
        assert "扩展名虽为 .xlsx" in read.message
