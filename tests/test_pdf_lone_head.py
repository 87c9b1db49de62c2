"""A table's first row left alone at the foot of a page, the rest of the table going on at the
top of the next (LibreOffice Writer keeps no row with the next): the row is the table's, read
with it, never lost to the running text (pdf.py point 3). 表二's caption row
「第二十条第（一）项」 is one cell spanning the table, a box that alone is a framed paragraph."""

from __future__ import annotations

from pathlib import Path

import pytest

from nianbao.sources.grid import Grid
from nianbao.sources.pdf import read_pdf
from tests.support.pdfs import Cell, Page, boxed_cells, write_cjk_pdf

COLUMNS = [60.0, 200.0, 290.0, 380.0, 470.0]  # 表二's label column and three figure columns
CAPTION = "第二十条第（一）项"
TABLE = [
    (0, 0, 0, 0, "信息内容"),
    (0, 1, 0, 1, "本年制发件数"),
    (0, 2, 0, 2, "本年废止件数"),
    (0, 3, 0, 3, "现行有效件数"),
    (1, 0, 1, 0, "规章"),
    (1, 1, 1, 1, "4"),
    (1, 2, 1, 2, "18"),
    (1, 3, 1, 3, "27"),
    (2, 0, 2, 0, "行政规范性文件"),
    (2, 1, 2, 1, "25"),
    (2, 2, 2, 2, "24"),
    (2, 3, 2, 3, "2"),
]
ROWS = [
    ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
    ["规章", "4", "18", "27"],
    ["行政规范性文件", "25", "24", "2"],
]
FOOT = 800.0  # where page 1's box ends


def _boxes(page: Page, cells: list[Cell], top: float, columns: list[float] = COLUMNS) -> Page:
    return boxed_cells(page, cells, top, columns)


def _read(
    tmp_path: Path, foot: list[Cell], rest: list[Cell], columns: list[float] = COLUMNS
) -> Grid:
    """A report whose page 1 ends with the boxes ``foot`` under a paragraph, page 2 opening
    with the boxes ``rest``."""
    height = 1 + max(r1 for _, _, r1, _, _ in foot)
    first = Page().cjk(60, 700, "二、主动公开政府信息情况", size=12)
    _boxes(first, foot, FOOT - 20.0 * height, columns)
    second = _boxes(Page(), rest, 60.0, columns).cjk(60, 200, "三、收到和处理政府信息公开申请情况")
    return read_pdf(write_cjk_pdf(tmp_path / "t.pdf", [first, second]))


def test_a_caption_row_alone_at_the_foot_of_a_page_heads_the_table_going_on(
    tmp_path: Path,
) -> None:
    grid = _read(tmp_path, [(0, 0, 0, 3, CAPTION)], TABLE)
    sheet = grid.sheets[0]
    assert sheet.rows == [[CAPTION], *ROWS]
    assert sheet.pages == [1, 2, 2, 2]
    assert CAPTION not in grid.text  # the table's, not running text as well


def test_a_caption_row_broken_by_the_page_heads_the_table_going_on(tmp_path: Path) -> None:
    """Its text on page 1, the rest of its cell an empty full-width box opening page 2."""
    rest = [(0, 0, 0, 3, ""), *((r0 + 1, c0, r1 + 1, c1, t) for r0, c0, r1, c1, t in TABLE)]
    sheet = _read(tmp_path, [(0, 0, 0, 3, CAPTION)], rest).sheets[0]
    assert sheet.rows == [[CAPTION], *ROWS]


@pytest.mark.parametrize(
    ("box", "columns"),
    [
        # not a label of the form: a framed note
        ((0, 0, 0, 3, "注：本表数据截至年底"), COLUMNS),
        # a label of another table (表三's), not of the table going on
        ((0, 0, 0, 3, "申请人情况"), COLUMNS),
        # the caption's box narrower than the table: it does not span it
        ((0, 0, 0, 2, CAPTION), COLUMNS),
    ],
)
def test_a_framed_box_that_does_not_start_the_table_going_on_stays_running_text(
    tmp_path: Path, box: Cell, columns: list[float]
) -> None:
    grid = _read(tmp_path, [box], TABLE, columns)
    assert grid.sheets[0].rows == ROWS
    assert box[4] in grid.text


@pytest.mark.parametrize("under", ["a paragraph", "a table"])
def test_a_framed_caption_not_last_on_its_page_stays_running_text(
    tmp_path: Path, under: str
) -> None:
    """Something other than a continuation mark follows the box on its page: the table going
    on at the top of the next page does not go on from it."""
    first = _boxes(Page(), [(0, 0, 0, 3, CAPTION)], 700.0)
    if under == "a paragraph":
        first.cjk(60, 760, "本年度未收取信息处理费。")
    else:
        _boxes(first, [(0, 0, 0, 0, "项目"), (0, 1, 0, 3, "说明")], 760.0)
    second = _boxes(Page(), TABLE, 60.0)
    grid = read_pdf(write_cjk_pdf(tmp_path / "t.pdf", [first, second]))
    assert grid.sheets[0].rows[-3:] == ROWS
    assert [CAPTION] not in grid.sheets[0].rows
    assert CAPTION in grid.text


# 表三's and 表四's first header row is several cells (a corner or group label and a group
# label): alone at the foot of a page, it is a piece of the table like any other.
WIDE = [40.0, 340.0, 400.0, 460.0, 520.0, 580.0]  # the corner's label fits on one line
TABLE_THREE = [
    (0, 0, 2, 0, "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"),
    (0, 1, 0, 4, "申请人情况"),
    (1, 1, 2, 1, "自然人"),
    (1, 2, 1, 3, "法人或其他组织"),
    (1, 4, 2, 4, "总计"),
    (2, 2, 2, 2, "商业企业"),
    (2, 3, 2, 3, "科研机构"),
    (3, 0, 3, 0, "一、本年新收政府信息公开申请数量"),
    (3, 1, 3, 1, "1"),
    (3, 2, 3, 2, "2"),
    (3, 3, 3, 3, "3"),
    (3, 4, 3, 4, "6"),
]
TABLE_FOUR = [
    (0, 0, 0, 1, "行政复议"),
    (0, 2, 0, 4, "行政诉讼"),
    (1, 0, 2, 0, "结果维持"),
    (1, 1, 2, 1, "尚未审结"),
    (1, 2, 1, 4, "未经复议直接起诉"),
    (2, 2, 2, 2, "结果维持"),
    (2, 3, 2, 3, "结果纠正"),
    (2, 4, 2, 4, "总计"),
    (3, 0, 3, 0, "1"),
    (3, 1, 3, 1, "2"),
    (3, 2, 3, 2, "3"),
    (3, 3, 3, 3, "4"),
    (3, 4, 3, 4, "7"),
]


@pytest.mark.parametrize("cells", [TABLE_THREE, TABLE_FOUR], ids=["表三", "表四"])
def test_a_first_header_row_alone_at_the_foot_of_a_page_reads_as_on_one_page(
    tmp_path: Path, cells: list[Cell]
) -> None:
    """The first row on page 1, the rest on page 2; a cell spanning the break cut in two, its
    text on page 1."""
    foot = [(r0, c0, 0, c1, text) for r0, c0, _, c1, text in cells if r0 == 0]
    rest = [(0, c0, r1 - 1, c1, "") for r0, c0, r1, c1, _ in cells if r0 == 0 < r1]
    rest += [(r0 - 1, c0, r1 - 1, c1, text) for r0, c0, r1, c1, text in cells if r0 > 0]
    whole = read_pdf(write_cjk_pdf(tmp_path / "one.pdf", [_boxes(Page(), cells, 60.0, WIDE)]))
    rows = _read(tmp_path, foot, rest, WIDE).sheets[0].rows
    assert rows == whole.sheets[0].rows
    assert rows[0][0] == cells[0][4]
