"""A table row broken across a page break (Word and LibreOffice let a row break by default) is
read as one row when that is plain, and never glues two genuine rows (pdf.py point 3)."""

from __future__ import annotations

from pathlib import Path

import pytest

from nianbao.sources.pdf import read_pdf
from tests.support.pdfs import Page, write_pdf

X = [60.0, 300.0, 380.0, 460.0]  # a label column and two figure columns
HEADER = ["Item", "A", "B"]


def _page(rows: list[list[str | None]], top: float) -> Page:
    tops = [top + 20.0 * n for n in range(len(rows) + 1)]
    return Page().grid(X, tops, [[text or "" for text in row] for row in rows])


def _read(tmp_path: Path, end: list[list[str | None]], start: list[list[str | None]]):
    """A table whose last rows on page 1 are ``end`` (after a header), running on at the top
    of page 2 with ``start``: its rows and their pages."""
    before = [HEADER, *end]
    first = _page(before, 800.0 - 20.0 * len(before))  # cut at the page's foot
    second = _page(start, 60.0)
    sheet = read_pdf(write_pdf(tmp_path / "t.pdf", [first, second])).sheets[0]
    return sheet.rows, sheet.pages


def test_label_left_open_by_a_bracket_is_joined_with_its_rest(tmp_path: Path) -> None:
    rows, pages = _read(
        tmp_path,
        [["1.Held", "3", "4"], ["2.Held (state", "5", "7"]],
        [["secret)", None, None], ["3.Other", "1", "2"]],
    )
    assert rows == [
        HEADER,
        ["1.Held", "3", "4"],
        ["2.Held (state secret)", "5", "7"],
        ["3.Other", "1", "2"],
    ]
    assert pages == [1, 1, 1, 2]


def test_numbered_label_with_its_figures_takes_the_rest_of_its_label(tmp_path: Path) -> None:
    rows, _ = _read(
        tmp_path,
        [["3.Endangers three", "0", "9"]],
        [["safeties", None, None], ["4.Other", "1", "2"]],
    )
    assert rows == [HEADER, ["3.Endangers three safeties", "0", "9"], ["4.Other", "1", "2"]]


def test_figures_split_between_the_parts_are_joined_cell_by_cell(tmp_path: Path) -> None:
    rows, _ = _read(tmp_path, [["2.Held (state", "5", None]], [["secret)", None, "7"]])
    assert rows == [HEADER, ["2.Held (state secret)", "5", "7"]]


@pytest.mark.parametrize(
    ("end", "start"),
    [
        # two genuine rows
        ([["1.Held", "5", "7"]], [["2.Other", "1", "2"]]),
        # a figure on both sides: the parts cannot be told apart safely
        ([["2.Held (state", "5", "7"]], [["secret)", "6", None]]),
        # a label-only row after a row of figures, nothing left open
        ([["Fees", "59", "1"]], [["Article 20 (8)", None, None]]),
        # the next part starts a numbered row of its own
        ([["2.Held (state", "5", "7"]], [["3.Other)", None, None]]),
        # a heading row over a row of figures
        ([["Article 20 (6)", None, None]], [["Contents", "12", "3"]]),
    ],
)
def test_rows_that_are_not_plainly_one_stay_apart(
    tmp_path: Path, end: list[list[str | None]], start: list[list[str | None]]
) -> None:
    rows, _ = _read(tmp_path, end, start)
    expected = [HEADER, *end, *start]
    assert rows == _trimmed(expected)


def _trimmed(rows: list[list[str | None]]) -> list[list[str | None]]:
    out = []
    for row in rows:
        row = list(row)
        while row and row[-1] is None:
            row.pop()
        out.append(row)
    return out


def test_a_page_that_is_all_table_under_its_page_number_is_still_continued(tmp_path: Path) -> None:
    """The page number is the page's only line: it is still a footer (dropped), not text after
    the table that would end it, so the row broken over the page is joined."""
    before = [HEADER, ["3.Endangers three", "0", "9"]]
    first = _page(before, 800.0 - 20.0 * len(before)).text(290, 815, "-3-", size=9)
    second = _page([["safeties", None, None], ["4.Other", "1", "2"]], 60.0).text(
        290, 815, "-4-", size=9
    )
    sheet = read_pdf(write_pdf(tmp_path / "t.pdf", [first, second])).sheets[0]
    assert sheet.rows == [HEADER, ["3.Endangers three safeties", "0", "9"], ["4.Other", "1", "2"]]


def test_an_unnumbered_label_cut_by_the_page_is_joined_when_together_it_is_the_forms() -> None:
    """「行政事」 + 「业性收费」 is a label of the form and neither part is: one row cut in two.
    Two labels of the form stay two rows, and parts that make no label stay apart."""
    from nianbao.sources.pdf import _split_row

    assert _split_row(["行政事", "1.65"], ["业性收费"]) == ["行政事业性收费", "1.65"]
    assert _split_row(["规章", "1", "2"], ["行政规范性文件"]) is None
    assert _split_row(["行政事", "1.65"], ["业性费用"]) is None
