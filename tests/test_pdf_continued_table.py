"""A table continued on the next page as a second table (a 续表), as units make one in Word or
WPS: the PDF printed from it reads every figure in its cell, as the Word file does; where the
续表's columns cannot be lined up with the table it continues, the report is refused once
(L01, naming the page), never read into the wrong cells (pdf.py point 3)."""

from __future__ import annotations

from pathlib import Path

import pytest

from nianbao.form import get_form
from nianbao.form.data import Return
from nianbao.form.findings import PARTLY_FOUND, Rule
from nianbao.pipeline.check import check_paths
from nianbao.sources.pdf import _carries_on, _continued_mark, _Line, _Piece, read_pdf
from nianbao.sources.preflight import UnreadableFile
from tests.support.pdfs import Page, continued_table_docx, word_report, write_pdf
from tests.support.soffice import convert, requires_soffice

FORM = get_form("2021")
# 表三's rows in the published Word report: three header rows, then 一、 (3), 二、 (4), ...
# row 12 is 「6.属于四类过程性信息」, inside the merged group labels 三、 and （三）.
TABLE_TWO, TABLE_THREE = 0, 1


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> tuple[Return, Path]:
    return word_report(tmp_path_factory.mktemp("continued"))


def _printed(report: tuple[Return, Path], tmp_path: Path, **split: object) -> Path:
    _, word = report
    continued = continued_table_docx(word, tmp_path / "续表.docx", **split)  # type: ignore[arg-type]
    return convert(continued, "pdf", tmp_path)


def _read(path: Path) -> tuple[Return | None, list]:
    (checked,) = check_paths([path])
    return checked.ret, checked.findings


def _pages(path: Path) -> list[str]:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        return [page.extract_text() or "" for page in pdf.pages]


SPLITS = {
    # the finding: the 续表 under 「（续表）」 at the foot of the page, no header repeated
    "表三 from 二、, mark at the foot": dict(table=TABLE_THREE, cut=4),
    "表三 inside its merged groups, header repeated, mark opening the page": dict(
        table=TABLE_THREE, cut=12, header=3, mark="续表", mark_on_next_page=True
    ),
    "表三 inside its merged groups, no header": dict(table=TABLE_THREE, cut=12, mark="续上表"),
    "表三 without a mark (an empty paragraph)": dict(table=TABLE_THREE, cut=12, mark=""),
    "表三 from 二、, header repeated, no mark": dict(table=TABLE_THREE, cut=4, header=3, mark=""),
    "表二 at its （五） block": dict(table=TABLE_TWO, cut=4, mark="表二（续）"),
    # drawn otherwise, each block under its own header: read as a table of its own
    "表二 at its （五） block, its columns shifted": dict(
        table=TABLE_TWO, cut=4, mark="表二（续）", widths=[2849, 1998, 1998, 2000]
    ),
    "表二 at its （五） block, narrower": dict(
        table=TABLE_TWO, cut=4, mark="（续表）", widths=[2049, 2131, 2131, 2134]
    ),
}


@pytest.mark.soffice
@requires_soffice
@pytest.mark.parametrize("split", sorted(SPLITS))
def test_a_continued_table_reads_every_figure_as_the_word_file_does(
    report: tuple[Return, Path], tmp_path: Path, split: str
) -> None:
    ret, _ = report
    pdf = _printed(report, tmp_path, **SPLITS[split])
    read, findings = _read(pdf)
    assert [f.message for f in findings if f.is_error] == []
    assert read is not None
    assert {key: read.values[key] for key in ret.values} == ret.values
    word, _ = _read(tmp_path / "续表.docx")
    assert word is not None and word.values == read.values


@pytest.mark.soffice
@requires_soffice
def test_a_malformed_repeated_header_printed_over_its_rows_costs_no_figure(
    report: tuple[Return, Path], tmp_path: Path
) -> None:
    """A malformed 续表 (as the finding built it): the repeated header's note cell left merging
    down into the rows (its first row's group cells continue a vertical merge). LibreOffice prints the note across the
    rows below, over their labels: that label is reported as printed (L04), every figure is
    read in its cell."""
    ret, _ = report
    pdf = _printed(report, tmp_path, table=TABLE_THREE, cut=12, header=3, restart_merges=False)
    read, findings = _read(pdf)
    assert read is not None
    assert {key: read.values[key] for key in ret.values} == ret.values
    assert {f.rule for f in findings if f.is_error} <= {Rule.L04}


# The published report's 表三 grid: three label columns, seven figure columns (twips).
WIDTHS = [743, 1547, 2754, 542, 542, 542, 542, 542, 542, 549]
# the label column 200 twips (10 pt) wider, the last one narrower: the figure columns shifted,
# each figure straddling two of the header's columns
SHIFTED = [*WIDTHS[:2], WIDTHS[2] + 200, *WIDTHS[3:9], WIDTHS[9] - 200]
# the label column 400 twips narrower: the whole 续表 is, its right edge not the table's
NARROWER = [*WIDTHS[:2], WIDTHS[2] - 400, *WIDTHS[3:]]


@pytest.mark.soffice
@requires_soffice
@pytest.mark.parametrize(("widths", "why"), [(SHIFTED, "左右错开"), (NARROWER, "左右边线")])
def test_a_continuation_whose_columns_cannot_be_lined_up_is_refused_naming_its_page(
    report: tuple[Return, Path], tmp_path: Path, widths: list[int], why: str
) -> None:
    pdf = _printed(report, tmp_path, table=TABLE_THREE, cut=4, widths=widths)
    page = next(n for n, text in enumerate(_pages(pdf), 1) if "二、上年结转" in text)
    with pytest.raises(UnreadableFile) as caught:
        read_pdf(pdf)
    finding = caught.value.finding
    assert finding.rule is Rule.L01
    assert f"第 {page} 页的表格接续第 {page - 1} 页的表格" in finding.message
    assert why in finding.message
    assert finding.operands[PARTLY_FOUND]
    read, findings = _read(pdf)  # refused once, as the one finding of the file
    assert read is None
    assert [f.rule for f in findings] == [Rule.L01]
    assert findings[0].is_error


# -- the rules, on PDFs written by hand (no LibreOffice) ----------------------------------------

X = [60.0, 200.0, 260.0, 320.0]
HEADER = ["Item", "A", "B"]


def _table(page: Page, x: list[float], top: float, rows: list[list[str]]) -> Page:
    return page.grid(x, [top + 20.0 * n for n in range(len(rows) + 1)], rows)


def test_a_continuation_on_the_same_columns_is_one_table(tmp_path: Path) -> None:
    first = _table(Page(), X, 740.0, [HEADER, ["One", "1", "2"]])
    second = _table(Page(), X, 60.0, [["Two", "3", "4"]])
    sheet = read_pdf(write_pdf(tmp_path / "t.pdf", [first, second])).sheets[0]
    assert sheet.rows == [HEADER, ["One", "1", "2"], ["Two", "3", "4"]]


def test_a_continuation_whose_figures_straddle_the_columns_above_is_never_one_table(
    tmp_path: Path,
) -> None:
    """Its columns shifted by 20 pt: read into the header's columns, 「3」 would be A's or B's
    depending on the edge it is read by. Not one of the form's tables: kept apart (one of
    theirs is refused, L01, above)."""
    first = _table(Page(), X, 740.0, [HEADER, ["One", "1", "2"]])
    shifted = [60.0, 220.0, 280.0, 320.0]
    second = _table(Page(), shifted, 60.0, [["Two", "3", "4"]])
    sheet = read_pdf(write_pdf(tmp_path / "t.pdf", [first, second])).sheets[0]
    assert sheet.rows == [HEADER, ["One", "1", "2"], [], ["Two", "3", "4"]]
    assert sheet.pages == [1, 1, 1, 2]


def test_a_continuation_splitting_a_wide_cell_above_is_one_table(tmp_path: Path) -> None:
    """The 续表 draws the label column the header spans as two (a group label and its items):
    nested in the header's cell, the figure columns the same: one table, lined up."""
    first = Page().grid([60.0, 200.0, 260.0, 320.0], [740.0, 760.0], [HEADER])
    second = _table(Page(), [60.0, 100.0, 200.0, 260.0, 320.0], 60.0, [["G", "Two", "3", "4"]])
    sheet = read_pdf(write_pdf(tmp_path / "t.pdf", [first, second])).sheets[0]
    assert sheet.rows == [["Item", None, "A", "B"], ["G", "Two", "3", "4"]]


def test_a_continuation_is_lined_up_with_the_rows_it_goes_on_from(tmp_path: Path) -> None:
    """A table whose second block divides its columns otherwise than the header (as 表二's
    blocks may): the continuation goes on under the block's columns, the last rows above it,
    and is one table with them, though its figure straddles the header's columns."""
    tops = [700.0, 720.0, 740.0, 760.0]
    first = Page()
    for top in tops:
        first.line(60, top, 320, top)
    first.line(60, tops[0], 60, tops[-1]).line(320, tops[0], 320, tops[-1])
    first.line(200, tops[0], 200, tops[1]).line(260, tops[0], 260, tops[1])
    first.line(150, tops[1], 150, tops[-1])
    for x, top, text in [(63, 704, "Item"), (203, 704, "A"), (263, 704, "B")]:
        first.text(x, top, text)
    for x, top, text in [(63, 724, "Kind"), (153, 724, "Amount"), (63, 744, "Fees")]:
        first.text(x, top, text)
    first.text(153, 744, "5")
    second = _table(Page(), [60.0, 150.0, 320.0], 60.0, [["Fines", "7"]])
    sheet = read_pdf(write_pdf(tmp_path / "t.pdf", [first, second])).sheets[0]
    assert sheet.rows == [
        ["Item", None, "A", "B"],
        ["Kind", "Amount"],
        ["Fees", "5"],
        ["Fines", "7"],
    ]
    assert sheet.pages == [1, 1, 1, 2]


def test_what_may_stand_between_a_table_and_its_continuation() -> None:
    def piece(page: int) -> _Piece:
        return _Piece(page, 60.0, 100.0, 320.0, 200.0, [], [])

    mark = _Line(72.0, 210.0, 140.0, 222.0, "（续表）", 12.0, False)
    heading = _Line(
        72.0, 210.0, 300.0, 222.0, "四、政府信息公开行政复议、行政诉讼情况", 12.0, False
    )
    assert _carries_on(piece(3), piece(4), [])  # last on its page, first on the next
    assert _carries_on(piece(3), piece(4), [mark])
    assert _carries_on(piece(3), piece(3), [mark])  # a 续表 that the layout kept on the page
    assert not _carries_on(piece(3), piece(3), [])  # two tables one under the other
    assert not _carries_on(piece(3), piece(4), [mark, heading])
    assert not _carries_on(piece(3), piece(5), [mark])


def _mark(text: str) -> bool:
    return _continued_mark(_Line(72.0, 100.0, 300.0, 112.0, text, 12.0, False))


@pytest.mark.parametrize(
    "text", ["（续表）", "续表", "续 表", "(续表)", "续上表", "接上表", "表三（续）", "续表三"]
)
def test_continuation_marks(text: str) -> None:
    assert _mark(text)


@pytest.mark.parametrize(
    "text",
    [
        "四、结转下年度继续办理",
        "三、收到和处理政府信息公开申请情况",
        "本年度继续推进政务公开标准化规范化建设，相关数据详见续表所列各项统计。",
    ],
)
def test_lines_that_are_no_continuation_mark(text: str) -> None:
    assert not _mark(text)
