"""A table row broken across a page break (Word and LibreOffice let a row break by default) is
read as one row when that is plain, and never glues two genuine rows (pdf.py point 3)."""

from __future__ import annotations

from pathlib import Path

import pytest

from nianbao.sources.pdf import read_pdf
from tests.support.pdfs import Cell, Page, boxed_cells, write_cjk_pdf, write_pdf

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


# -- a row or header cell cut beside labels merged over several rows ----------------------------
# As Word and LibreOffice print 表三 and 表四 when the page breaks inside a row: the group label
# merged over the rows (「三、本年度办理结果」, 「（六）其他处理」) spans the break too, so it has
# text on both pages; a header cell spanning two header rows is cut as well.

COLUMNS = [40.0, 130.0, 330.0, 380.0, 430.0]  # a group label, a row label, two figure columns


def _merged(cells: list[Cell], top: float, rows: int) -> Page:
    """A table of ``rows`` rows 20 pt high from ``top``, each cell boxed over its rows and
    columns."""
    return boxed_cells(Page(), cells, top, COLUMNS)


def _cut(tmp_path: Path, end: list[Cell], start: list[Cell]) -> list[list[str | None]]:
    """The rows of a table whose cells ``end`` close page 1 (under a header row) and ``start``
    open page 2."""
    before = [(0, 0, 0, 1, "项目"), (0, 2, 0, 2, "甲"), (0, 3, 0, 3, "乙")]
    before += [(r0 + 1, c0, r1 + 1, c1, text) for r0, c0, r1, c1, text in end]
    height = 1 + max(r1 for _, _, r1, _, _ in end)
    first = _merged(before, 800.0 - 20.0 * (height + 1), height + 1)
    second = _merged(start, 60.0, 1 + max(r1 for _, _, r1, _, _ in start))
    return read_pdf(write_cjk_pdf(tmp_path / "t.pdf", [first, second])).sheets[0].rows


HEAD = ["项目", None, "甲", "乙"]
PART = "（二）部分公开（区分处理的，只计这一情"
REST = "形，不计其他情形）"
WHOLE = "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"
GROUP_TOP = [(0, 0, 1, 0, "三、本年度办"), (0, 1, 0, 1, "（一）予以公开"), (0, 2, 0, 2, "1")]
GROUP_TOP += [(0, 3, 0, 3, "2"), (1, 1, 1, 1, PART), (1, 2, 1, 2, "3"), (1, 3, 1, 3, "4")]
NEXT = [(1, 1, 1, 1, "（三）不予公开"), (1, 2, 1, 2, "5"), (1, 3, 1, 3, "6")]


def test_a_row_cut_beside_a_merged_group_label_covering_it_from_above_is_joined(
    tmp_path: Path,
) -> None:
    """「三、本年度办」 over two rows on page 1, 「理结果」 going on over the rows of page 2: the
    cut row's label joined is the form's, so the row is one, its figures where they were."""
    rows = _cut(tmp_path, GROUP_TOP, [(0, 0, 1, 0, "理结果"), (0, 1, 0, 1, REST), *NEXT])
    assert rows == [
        HEAD,
        ["三、本年度办", "（一）予以公开", "1", "2"],
        ["理结果", WHOLE, "3", "4"],
        [None, "（三）不予公开", "5", "6"],
    ]


def test_a_row_cut_at_the_first_row_of_a_merged_group_label_joins_both_labels(
    tmp_path: Path,
) -> None:
    """The group 「（六）其他处理」 starts in the cut row: its two parts are joined as the row
    label's are, and the figures all on page 1 stay in their columns."""
    rows = _cut(
        tmp_path,
        [(0, 0, 0, 0, "（六）其"), (0, 1, 0, 1, "1.申请人无正当理由逾期不补正、")]
        + [(0, 2, 0, 2, "0"), (0, 3, 0, 3, "2")],
        [(0, 0, 1, 0, "他处理"), (0, 1, 0, 1, "行政机关不再处理其政府信息公开申请")]
        + [(1, 1, 1, 1, "3.其他"), (1, 2, 1, 2, "1"), (1, 3, 1, 3, "1")],
    )
    assert rows == [
        HEAD,
        ["（六）其他处理", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"]
        + ["0", "2"],
        [None, "3.其他", "1", "1"],
    ]


@pytest.mark.parametrize(
    "beside",
    [
        # the cell beside is the row's own (one row high): two labels, not one going on
        (0, 0, 0, 0, "理结果"),
        # the cell beside starts a group of its own
        (0, 0, 1, 0, "（三）不予"),
    ],
)
def test_a_label_beside_that_does_not_go_on_over_the_break_keeps_the_rows_apart(
    tmp_path: Path, beside: Cell
) -> None:
    rows = _cut(tmp_path, GROUP_TOP, [beside, (0, 1, 0, 1, REST), *NEXT])
    assert rows[2:4] == [[None, PART, "3", "4"], [beside[4], REST]]


def test_a_group_label_beside_a_cut_row_that_no_cell_above_spans_keeps_the_rows_apart(
    tmp_path: Path,
) -> None:
    """Nothing on page 1 goes on into page 2's merged label: it is a group of its own."""
    end = [(0, 0, 0, 0, ""), (0, 1, 0, 1, PART), (0, 2, 0, 2, "3"), (0, 3, 0, 3, "4")]
    rows = _cut(tmp_path, end, [(0, 0, 1, 0, "理结果"), (0, 1, 0, 1, REST), *NEXT])
    assert rows[1:3] == [[None, PART, "3", "4"], ["理结果", REST]]


def test_header_cells_spanning_two_rows_cut_by_the_page_keep_the_other_row_apart(
    tmp_path: Path,
) -> None:
    """表四's 「结果维持」 and 「其他结果」 span its two lower header rows and are cut between
    「结果」 and 「维持」; 「未经复议直接起诉」 above 「结果维持」 and 「总计」 are two rows."""
    rows = _cut(
        tmp_path,
        [(0, 0, 0, 0, "结果"), (0, 1, 0, 1, "其他"), (0, 2, 0, 3, "未经复议直接起诉")],
        [(0, 0, 0, 0, "维持"), (0, 1, 0, 1, "结果"), (0, 2, 0, 2, "结果维持")]
        + [(0, 3, 0, 3, "总计"), (1, 0, 1, 0, "3"), (1, 1, 1, 1, "8"), (1, 2, 1, 2, "7")]
        + [(1, 3, 1, 3, "5")],
    )
    assert rows == [
        HEAD,
        ["结果维持", "其他结果", "未经复议直接起诉"],
        [None, None, "结果维持", "总计"],
        ["3", "8", "7", "5"],
    ]


def test_header_cells_cut_by_the_page_are_joined_and_nothing_else() -> None:
    """「商业」「企业」 is a header of the form and 「企业」 is none: one cell cut in two. Two
    headers of the form stay apart, and rows holding a figure are no header rows."""
    from nianbao.sources.pdf import _cut_headers

    assert _cut_headers([None, "商业", "社会公益", "其他"], [None, "企业", "组织"]) == (
        [None, "商业企业", "社会公益组织", "其他"],
        [],
    )
    assert _cut_headers([None, "商业企业", "其他"], [None, "科研机构", "总计"]) is None
    assert _cut_headers([None, "商业", "其他"], [None, "企业", "12"]) is None
    assert _cut_headers(["行政事", "1.65"], ["业性收费"]) is None
