"""A return printed from a spreadsheet with 「打印网格线」 (print gridlines) instead of ruled borders
(sources/pdf.py, point 1).

The finding: LibreOffice draws the gridlines cell by cell, so the rulings along a row of a
merged label cell two columns wide are pieces that meet at the inner column edge, and no line
runs down that edge through the label. The reader closed the "open ends" of those pieces (as
it closes a table's missing outer border) with a line down the inner edge, cutting the label
「（二）部分公开（区分处理的，只计这一情形，不计其他情形）」 in two: a false L04 on a correct
return. A line the reader adds where none is drawn never cuts a run of printed text: the label
stays one cell, and the columns a real border leaves out are still closed where no text runs
across.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from nianbao.form.findings import Rule
from nianbao.sources.pdf import read_pdf
from tests.support.pdfs import Page, write_pdf
from tests.support.soffice import convert, requires_soffice

X = [60.0, 110.0, 300.0, 380.0, 460.0]  # group, item, two figure columns
TOPS = [100.0, 120.0, 140.0, 160.0, 180.0]
LABEL = "(2) Partly released (split ones, count only this case)"  # over both label columns
ROWS: list[list[str | None]] = [
    ["Item", None, "A", "B"],
    ["3.", "Released", "5", "1"],
    [LABEL, None, "3", "0"],
    ["4.", "Refused", "2", "7"],
]
MERGED = 2  # the row whose label cell spans the first two columns


def _gridlines(page: Page, merged: set[int], inner: bool = True) -> Page:
    """Gridlines drawn as a spreadsheet prints them: every piece along a row or down a column
    one cell long (pieces meeting at the cell corners, as LibreOffice leaves them 0.1 pt
    apart), none down a column edge inside a merged cell (rows ``merged``: the first two
    columns), none at all inside the table when not ``inner``."""
    for top in TOPS:
        for x0, x1 in zip(X, X[1:], strict=False):
            page.line(x0 + 0.1, top, x1, top)
    for r, (top, bottom) in enumerate(zip(TOPS, TOPS[1:], strict=False)):
        for c, x in enumerate(X):
            outer = c in (0, len(X) - 1)
            if outer or (inner and not (c == 1 and r in merged)):
                page.line(x, top + 0.1, x, bottom)
    return page


def _texts(page: Page, rows: list[list[str | None]]) -> Page:
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            if text:
                page.text(X[c] + 3, TOPS[r] + 5, text, size=9)
    return page


def _rows(tmp_path: Path, page: Page) -> list[list[object]]:
    return read_pdf(write_pdf(tmp_path / "t.pdf", [page])).sheets[0].rows


def test_a_merged_label_no_line_crosses_stays_one_cell(tmp_path: Path) -> None:
    page = _texts(_gridlines(Page(), {0, MERGED}), ROWS)
    assert _rows(tmp_path, page) == ROWS


def test_columns_a_table_leaves_unruled_are_still_closed_where_no_text_runs_across(
    tmp_path: Path,
) -> None:
    # a frame and the rows ruled in pieces, no line down the columns inside: the pieces'
    # meeting points still make the columns, the figures stay in theirs
    rows: list[list[str | None]] = [
        ["Item", "Kind", "A", "B"],
        ["3.", "Released", "5", "1"],
        ["4.", "Refused", "2", "7"],
        ["5.", "Other", "0", "4"],
    ]
    page = _texts(_gridlines(Page(), set(), inner=False), rows)
    assert _rows(tmp_path, page) == rows


# -- printed by LibreOffice --------------------------------------------------------------------

SAMPLE = Path(__file__).resolve().parents[1] / "samples" / "2021" / "道外区教育局.xlsx"


@requires_soffice
@pytest.mark.soffice
def test_workbook_printed_with_gridlines_reads_whole_labels(tmp_path: Path) -> None:
    import openpyxl
    from openpyxl.styles import Border

    from nianbao.pipeline.check import check_paths

    workbook = openpyxl.load_workbook(SAMPLE)
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                cell.border = Border()
        sheet.print_options.gridLines = True
    source = tmp_path / "网格线.xlsx"
    workbook.save(source)
    printed = convert(source, "pdf", tmp_path)

    rows = read_pdf(printed).sheets[0].rows
    label = "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"
    assert any(label in row for row in rows)
    (expected,) = check_paths([SAMPLE])
    (checked,) = check_paths([printed])
    assert checked.ret is not None and expected.ret is not None
    assert not [f for f in checked.findings if f.rule in (Rule.L04, Rule.L01)], checked.findings
    keys = expected.ret.form.input_keys
    assert {k: checked.ret.values[k] for k in keys} == {k: expected.ret.values[k] for k in keys}
