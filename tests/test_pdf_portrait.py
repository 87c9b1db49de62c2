"""Reports printed on portrait A4 pages: the cells are narrow, and their text wraps.

Finding: the blank 2021 Word template (what many offices fill in) printed by LibreOffice on its
portrait page has 表三's and 表四's figure columns about 33 pt wide; a five-digit figure there
wraps inside its cell, 「6049」 over 「4」, and was read as 「6049 4」 (point 4 of sources/pdf.py
kept two narrow lines of a cell apart by a space): V01 on 23 cells, and the balance checks
failed on figures that were printed right. A figure a word processor wrapped because its next
character did not fit in the cell now reads as one figure; two figures a person set on two
lines of a roomy cell (「12」 over 「3」) still never read as 123.

The first tests draw the cells by hand (tests/support/pdfs.py); the rest let LibreOffice print
nianbao's own Word report and the filled-in template, and compare every figure of 表二, 三 and
四 with the return they were filled from, for figures of 1–3 digits and of 4–5 digits.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from nianbao.documents.docx import write_docx
from nianbao.documents.report import build_report
from nianbao.form import get_form
from nianbao.form.data import Return, filled_return
from nianbao.pipeline.check import check_paths
from nianbao.sources.pdf import read_pdf
from nianbao.text import show_value
from tests.support.documents import published
from tests.support.pdfs import Page, write_cjk_pdf, write_pdf
from tests.support.returns import balanced_inputs
from tests.support.soffice import convert_many, requires_soffice

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
DIGIT = 5.56  # a digit's width in 10 pt Helvetica (tests/support/pdfs.py)


def _rows(path: Path) -> list[list[str | None]]:
    return read_pdf(path).sheets[0].rows  # type: ignore[return-value]


# -- cells drawn by hand ----------------------------------------------------------------------


def _narrow_table(page: Page, figure_lines: list[str], width: float) -> Page:
    """A label column and a figure column ``width`` pt wide, one row; the figure cell's
    text set on ``figure_lines`` (left-aligned 3 pt in, as a word processor sets it)."""
    x = [60.0, 160.0, 160.0 + width]
    top = [100.0, 140.0]
    page.grid(x, top, [["Row one"]])
    for n, text in enumerate(figure_lines):
        page.text(x[1] + 3, top[0] + 4 + 12 * n, text)
    return page


def test_a_figure_wrapped_in_a_narrow_cell_reads_as_one_figure(tmp_path: Path) -> None:
    # 28 pt wide, 3 pt either side: 「6049」 fills it, the 「4」 could not follow
    path = write_pdf(tmp_path / "narrow.pdf", [_narrow_table(Page(), ["6049", "4"], 28)])
    assert _rows(path)[0] == ["Row one", "60494"]


def test_a_label_running_over_its_ruling_does_not_hide_a_wrap(tmp_path: Path) -> None:
    """The padding is the room text leaves beside the rulings: a label too long for its cell,
    running over the ruling, leaves none, but says nothing of the figure cells'. Taken as 0,
    「6049」 over 「4」 seemed to leave room for the 「4」: about 50 figures of a narrow 表三
    were refused (V01) as two numbers."""
    page = _narrow_table(Page(), ["6049", "4"], 28)
    page.text(58, 120, "Label")  # its first letter over the ruling at 60
    assert _rows(write_pdf(tmp_path / "over.pdf", [page]))[0][1] == "60494"


def test_a_figure_wrapped_over_three_lines_reads_as_one_figure(tmp_path: Path) -> None:
    path = write_pdf(tmp_path / "three.pdf", [_narrow_table(Page(), ["12", "34", "5"], 18)])
    assert _rows(path)[0] == ["Row one", "12345"]


def test_two_lines_that_fit_side_by_side_stay_two_numbers(tmp_path: Path) -> None:
    # 「12」 and 「3」 would fit on one line of this cell: the break was typed, not a wrap
    path = write_pdf(tmp_path / "roomy.pdf", [_narrow_table(Page(), ["12", "3"], 60)])
    assert _rows(path)[0] == ["Row one", "12 3"]


def test_a_line_ending_short_of_a_narrow_cell_is_no_wrap(tmp_path: Path) -> None:
    # 「1」 then 「2」 in a cell where 「12」 fits: two numbers, however narrow the cell
    path = write_pdf(tmp_path / "short.pdf", [_narrow_table(Page(), ["1", "2"], 4 * DIGIT)])
    assert _rows(path)[0] == ["Row one", "1 2"]


def test_text_beside_a_figure_is_not_glued_to_it(tmp_path: Path) -> None:
    # only figure characters on both sides of the break: a word wraps at its space
    path = write_pdf(tmp_path / "words.pdf", [_narrow_table(Page(), ["1234", "abc"], 28)])
    assert _rows(path)[0] == ["Row one", "1234 abc"]


def test_a_figure_the_page_break_cut_reads_as_one_figure(tmp_path: Path) -> None:
    """LibreOffice breaks a row across pages, a wrapped figure too: 「2110」 at the foot of one
    page, 「9」 at the head of the next, in the same cell (the filled-in template, 表三)."""
    x = [60.0, 160.0, 188.0]
    first = Page().grid(x, [700.0, 740.0], [["Row one"]]).text(x[1] + 3, 704, "6049")
    second = Page().grid(x, [72.0, 90.0, 120.0], [[], ["Row two", "5"]]).text(x[1] + 3, 76, "4")
    rows = _rows(write_pdf(tmp_path / "broken.pdf", [first, second]))
    assert rows == [["Row one", "60494"], ["Row two", "5"]]


def test_a_short_figure_before_the_page_break_is_not_joined(tmp_path: Path) -> None:
    # 「60」 leaves room in its cell: the 「4」 over the page is no part of it
    x = [60.0, 160.0, 188.0]
    first = Page().grid(x, [700.0, 740.0], [["Row one", "60"]])
    second = Page().grid(x, [72.0, 90.0, 120.0], [["", "4"], ["Row two", "5"]])
    rows = _rows(write_pdf(tmp_path / "short-break.pdf", [first, second]))
    assert rows == [["Row one", "60"], [None, "4"], ["Row two", "5"]]


def test_a_long_label_wrapped_over_several_lines_of_its_cell_is_one_label(
    tmp_path: Path,
) -> None:
    """表三's longest labels in a narrow label column, each row's figures beside them: every
    label reads whole, and no text of one row or cell joins another's."""
    labels = [
        ["1.申请人无正当理由逾期不补", "正、行政机关不再处理其政府", "信息公开申请"],
        ["2.申请人逾期未按收费通知要", "求缴纳费用、行政机关不再处", "理其政府信息公开申请"],
        ["3.其他"],
    ]
    x = [60.0, 225.0, 255.0, 285.0]
    top = [100.0]
    for lines in labels:
        top.append(top[-1] + 6 + 14 * len(lines))
    page = Page().rulings(x, top)
    for r, lines in enumerate(labels):
        for n, line in enumerate(lines):
            page.cjk(x[0] + 2, top[r] + 3 + 14 * n, line, size=12)
        page.text(x[1] + 3, top[r] + 3, str(r + 1))
        page.text(x[2] + 3, top[r] + 3, str(10 * r))
    rows = read_pdf(write_cjk_pdf(tmp_path / "labels.pdf", [page])).sheets[0].rows
    assert rows == [
        ["1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", "1", "0"],
        ["2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "2", "10"],
        ["3.其他", "3", "20"],
    ]


# -- printed by LibreOffice -------------------------------------------------------------------


def _sample(path: Path) -> Return:
    (report,) = check_paths([path])
    assert report.ret is not None
    return report.ret


def _large_figures() -> Return:
    """A 2021 return with figures of 4 and 5 digits (totals), every balance kept: one-digit
    balanced figures scaled (the balances are sums, so they hold scaled too)."""
    form = get_form("2021")
    inputs = balanced_inputs(form, random.Random(5))
    scaled = {k: v * 1111 if isinstance(v, int) else v for k, v in inputs.items()}
    return filled_return(form, scaled, unit="某某区人民政府", year=2021)


RETURNS = {
    "sample, 1–3 digits": lambda: _sample(SAMPLES / "2021" / "道外区教育局.xlsx"),
    "4–5 digits": _large_figures,
}


def _read_back(pdf: Path) -> Return:
    (report,) = check_paths([pdf])
    assert report.ret is not None, [f.message for f in report.findings]
    errors = [f.message for f in report.findings if f.is_error]
    assert errors == []
    return report.ret


def _same_figures(ret: Return, read: Return) -> None:
    expected = {k: show_value(v) for k, v in ret.completed().items()}
    got = {k: show_value(v) for k, v in read.completed().items()}
    assert {k: got.get(k) for k in expected if got.get(k) != expected[k]} == {}


@pytest.fixture(scope="module")
def printed(tmp_path_factory) -> dict[tuple[str, str], tuple[Return, Path]]:
    """For each case, nianbao's Word report ("report") and the blank template filled in with
    the same figures ("filled"), as (return, PDF): all printed by one start of LibreOffice."""
    folder = tmp_path_factory.mktemp("portrait")
    _, template = published("2021版年报模板-空白.json")
    made: dict[tuple[str, str], tuple[Return, Path]] = {}
    for n, case in enumerate(sorted(RETURNS)):
        ret = RETURNS[case]()
        word = folder / f"report{n}.docx"
        write_docx(build_report(ret), word)
        made["report", case] = (ret, word)
        ret = RETURNS[case]()
        made["filled", case] = (ret, _fill_template(template, ret, folder / f"filled{n}.docx"))
    pdfs = convert_many([word for _, word in made.values()], "pdf", folder / "pdf")
    return {key: (ret, pdf) for (key, (ret, _)), pdf in zip(made.items(), pdfs, strict=True)}


@requires_soffice
@pytest.mark.soffice
@pytest.mark.parametrize("case", sorted(RETURNS))
def test_nianbaos_word_report_printed_on_portrait_pages_reads_every_figure(
    case: str, printed
) -> None:
    ret, pdf = printed["report", case]
    _same_figures(ret, _read_back(pdf))


def _fill_template(template: Path, ret: Return, target: Path) -> Path:
    """The blank 2021 template with ``ret``'s figures typed into its cells, and a title."""
    import docx

    values = ret.completed()
    document = docx.Document(str(template))
    document.paragraphs[1].text = "某某区人民政府2021年政府信息公开工作年度报告"
    two, three, four = document.tables
    form = get_form("2021")

    def put(cell, key: str) -> None:
        cell.text = show_value(values[key])

    # 表二: its figure rows, below each block's caption and header rows
    spots = {
        "20-1.1": 2,
        "20-1.2": 3,
        "20-5.1": 6,
        "20-6.1": 9,
        "20-6.2": 10,
        "20-8.1": 13,
    }
    for block in form.table("二").blocks:
        for leaf in block.row_leaves:
            for n, column in enumerate(block.column_leaves):
                put(two.rows[spots[leaf.code]].cells[1 + n], f"二:{leaf.code}:{column.code}")
    (block,) = form.table("三").blocks
    for r, leaf in enumerate(block.row_leaves):
        for n, column in enumerate(block.column_leaves):
            put(three.rows[3 + r].cells[3 + n], f"三:{leaf.code}:{column.code}")
    (block,) = form.table("四").blocks
    for n, column in enumerate(block.column_leaves):
        put(four.rows[3].cells[n], f"四:1:{column.code}")
    document.save(str(target))
    return target


@requires_soffice
@pytest.mark.soffice
@pytest.mark.parametrize("case", sorted(RETURNS))
def test_the_blank_template_filled_in_and_printed_reads_every_figure(case: str, printed) -> None:
    ret, pdf = printed["filled", case]
    _same_figures(ret, _read_back(pdf))
