"""A PDF's figures are read as the page shows them (sources/pdf.py, point 8 of its docstring).

Real offices' PDFs hold text that the page does not show, or show text that cannot be got
out: a font without a character map (pdfminer gives 「(cid:53)」, and 「1(cid:53)」 read as 1
with a V10 note), glyphs mapped into the Private Use Area (「1」 beside one read as 1, with no
finding), an OCR layer of invisible text over a scan (its guesses read as the report's
figures), an old figure kept in white beside the new one, or covered by a white patch with
the new one written on top, as PDF editors change a figure (both read, glued: 「1215」), text
clipped away. Now only what the page shows is read; where the page shows no figure the text
layer has one, the cell says why (V01 at that cell), and a report whose text cannot be got
out is refused saying so.

The reports are drawn by hand (tests/support/pdfs.py): the three tables of a 2021 return
as nianbao prints them on a web page, each cell its own ruled box, in the CJK font.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from nianbao.form import get_form
from nianbao.form.findings import Finding, Rule
from nianbao.pipeline.check import check_paths
from nianbao.sources.pdf import read_pdf
from tests.support.documents import Printing, report_tables
from tests.support.pdfs import Page, write_cjk_pdf
from tests.support.returns import valid_return

FORM = get_form("2021")
RETURN = valid_return(FORM, seed=12)
SIZE, ROW = 6.0, 14.0  # the tables' type size and row height
TITLE = "某某区人民政府2024年政府信息公开工作年度报告"
LABEL = "行政处罚"  # the row whose figure the tests print otherwise (表二, 第二十条第（六）项)
KEY = "二:20-6.1:c1"  # its cell
FIGURE = str(RETURN.values[KEY])  # 5

# draws the figure cell at (x, top) instead of the plain figure
Drawing = Callable[[Page, float, float], None]


def _tables() -> list[list[list[str | None]]]:
    """The three tables of RETURN's report as nianbao prints them (tests/support/documents.py),
    as rows: each merged cell's text in its top-left position."""
    tables = []
    for _, cells in report_tables(FORM, RETURN.values, Printing()):
        grid: dict[tuple[int, int], str] = {}
        taken: set[tuple[int, int]] = set()
        for r, line in enumerate(cells):
            c = 0
            for cell in line:
                while (r, c) in taken:
                    c += 1
                grid[(r, c)] = cell.text
                taken.update(
                    (r + i, c + j) for i in range(cell.rowspan) for j in range(cell.colspan)
                )
                c += cell.colspan
        width = 1 + max(c for _, c in taken)
        tables.append([[grid.get((r, c)) or None for c in range(width)] for r in range(len(cells))])
    return tables


def _width(text: str) -> float:
    return sum(SIZE if ord(ch) > 0x7F else SIZE / 2 for ch in text)


def report(folder: Path, figure: Drawing | None = None, **options: Any) -> Path:
    """RETURN's report as a PDF of one page (``report_page``)."""
    page = report_page(figure, **options)
    return write_cjk_pdf(folder / "报告.pdf", [page])


def report_page(
    figure: Drawing | None = None,
    *,
    labels: Callable[[str], str] = lambda text: text,
    text: dict[str, Any] | None = None,
    ruled: bool = True,
    scan: bool = False,
) -> Page:
    """RETURN's report on one page: the title and the three tables. ``figure`` draws
    the 行政处罚 figure; ``labels`` retypes every other text; ``text`` is how all text is
    printed (``Page.cjk``'s options); ``ruled=False`` leaves out the rulings and
    ``scan=True`` puts a page image under everything, as a scanner does."""
    style = text or {}
    tables = _tables()
    columns = [
        [
            max([24.0, *(_width(row[c]) + 6 for row in table if c < len(row) and row[c])])
            for c in range(max(map(len, table)))
        ]
        for table in tables
    ]
    page = Page(
        width=120 + max(map(sum, columns)),
        height=120 + sum(len(table) * ROW + 30 for table in tables),
    )
    if scan:
        page.picture()
    page.cjk(60, 40, labels(TITLE), size=12, **style)
    top = 80.0
    for table, widths in zip(tables, columns, strict=True):
        xs = [60.0]
        for width in widths:
            xs.append(xs[-1] + width)
        tops = [top + ROW * r for r in range(len(table) + 1)]
        if ruled:
            page.grid(xs, tops)
        for r, row in enumerate(table):
            for c, cell in enumerate(row):
                x, y = xs[c] + 3, tops[r] + 4
                if figure is not None and row[0] == LABEL and c == 1:
                    figure(page, x, y)
                elif cell:
                    page.cjk(x, y, labels(cell), size=SIZE, **style)
        top = tops[-1] + 30
    return page


def check(pdf: Path) -> tuple[dict[str, object] | None, list[Finding]]:
    (result,) = check_paths([pdf])
    return (None if result.ret is None else dict(result.ret.values)), list(result.findings)


def at_the_cell(findings: list[Finding]) -> Finding:
    """The one finding of the report, V01 at the 行政处罚 cell."""
    assert [f.rule for f in findings if f.is_error] == [Rule.V01], findings
    (finding,) = [f for f in findings if f.is_error]
    assert LABEL in str(finding.places), finding.places
    return finding


def reads_as(pdf: Path, figure: str) -> None:
    """The report reads clean, its 行政处罚 figure ``figure``, every other one as printed."""
    values, findings = check(pdf)
    assert [f.message for f in findings if f.is_error] == []
    assert values is not None
    assert values[KEY] == int(figure)
    assert {k: v for k, v in values.items() if k != KEY} == {
        k: v for k, v in RETURN.values.items() if k != KEY
    }


def cjk(text: str, **style: Any) -> Drawing:
    def draw(page: Page, x: float, top: float) -> None:
        page.cjk(x, top, text, size=SIZE, **style)

    return draw


def drawn(*drawings: Drawing) -> Drawing:
    def draw(page: Page, x: float, top: float) -> None:
        for drawing in drawings:
            drawing(page, x, top)

    return draw


def beside(width: float, drawing: Drawing) -> Drawing:
    """``drawing`` moved ``width`` points right."""

    def draw(page: Page, x: float, top: float) -> None:
        drawing(page, x + width, top)

    return draw


def patch(fill: float = 1.0, *, translucent: bool = False) -> Drawing:
    """A filled rectangle over the figure's place (a PDF editor's cover, or a highlight)."""

    def draw(page: Page, x: float, top: float) -> None:
        page.rect(x - 1, top - 1, 20, SIZE + 2, fill=fill, translucent=translucent)

    return draw


# -- 1. text that cannot be got out --------------------------------------------------------------


def test_a_figure_with_a_glyph_without_a_character_map_is_no_figure(tmp_path: Path) -> None:
    """「1」 and a 「5」 in a font without a ToUnicode map: pdfminer gives 「1(cid:53)」."""
    pdf = report(tmp_path, drawn(cjk("1"), beside(SIZE / 2, cjk(FIGURE, mapped=False))))
    finding = at_the_cell(check(pdf)[1])
    assert "字符映射" in finding.message and "(cid:" not in finding.message


@pytest.mark.parametrize("glyphs", ["\ue035", "1\ue035", "1\ufffd"])
def test_private_use_or_replacement_glyphs_in_a_figure_are_no_figure(
    tmp_path: Path, glyphs: str
) -> None:
    finding = at_the_cell(check(report(tmp_path, cjk(glyphs)))[1])
    assert "字符映射" in finding.message


@pytest.mark.parametrize("title", ["mapped", "unmapped"])
def test_a_report_whose_text_cannot_be_got_out_is_refused_saying_why(
    tmp_path: Path, title: str
) -> None:
    """Every label in a font without a character map (the title too, or not): the tables
    cannot be found, and the refusal says why and what to ask for."""
    pdf = report(tmp_path, text={"mapped": False})
    if title == "mapped":  # the same tables under a title that can be read
        page = Page(width=400, height=200).cjk(60, 40, TITLE)
        tables = report_page(text={"mapped": False})
        pdf = write_cjk_pdf(tmp_path / "title.pdf", [page, tables])
    values, findings = check(pdf)
    assert values is None
    (finding,) = findings
    assert finding.rule is Rule.F02
    assert "字符映射" in finding.message and "Word" in finding.message
    assert "未找到" not in finding.message


# -- 2. invisible text (rendering mode 3) ------------------------------------------------------


def test_an_invisible_figure_is_no_figure(tmp_path: Path) -> None:
    finding = at_the_cell(check(report(tmp_path, cjk(FIGURE, render=3)))[1])
    assert "不可见" in finding.message


def test_invisible_text_beside_a_shown_figure_is_not_read(tmp_path: Path) -> None:
    pdf = report(tmp_path, drawn(cjk(FIGURE), beside(SIZE / 2, cjk("2", render=3))))
    reads_as(pdf, FIGURE)


def test_an_invisible_word_in_running_text_is_not_read(tmp_path: Path) -> None:
    page = Page().cjk(72, 100, "本年共收到申请")
    page.cjk(72 + 7 * 12, 100, "999件", render=3)
    page.cjk(72 + 7 * 12 + 24, 100, "12件。")
    text = read_pdf(write_cjk_pdf(tmp_path / "t.pdf", [page])).text
    assert text == "本年共收到申请 12件。"  # the gap it leaves on the page, as shown


def test_a_scan_under_an_invisible_text_layer_is_refused_saying_so(tmp_path: Path) -> None:
    """A scanned report with an OCR layer: a page image, the text over it invisible."""
    pdf = report(tmp_path, text={"render": 3}, ruled=False, scan=True)
    values, findings = check(pdf)
    assert values is None
    (finding,) = findings
    assert finding.rule is Rule.F02
    assert "扫描的图片" in finding.message and "不可见的文字层" in finding.message
    assert "文字识别" in finding.message and "未找到" not in finding.message


# -- 3. text in the colour of what lies under it -----------------------------------------------


def test_a_white_figure_beside_the_shown_one_is_not_read(tmp_path: Path) -> None:
    pdf = report(tmp_path, drawn(cjk("1", colour=1.0), beside(SIZE / 2, cjk(FIGURE))))
    reads_as(pdf, FIGURE)


def test_text_in_its_cells_background_colour_is_not_read(tmp_path: Path) -> None:
    shade = (0.85, 0.9, 1.0)
    pdf = report(
        tmp_path,
        drawn(
            lambda page, x, top: page.ops.append(
                f"q 0.85 0.9 1 rg {x - 2} {page.height - top - SIZE - 3} 40 {SIZE + 4} re f Q"
            ),
            cjk("1", colour=shade),
            beside(SIZE / 2, cjk(FIGURE)),
        ),
    )
    reads_as(pdf, FIGURE)


def test_a_cell_holding_only_white_text_is_no_figure(tmp_path: Path) -> None:
    finding = at_the_cell(check(report(tmp_path, cjk(FIGURE, colour=1.0)))[1])
    assert "看不见" in finding.message


def test_white_text_on_a_dark_cell_is_read(tmp_path: Path) -> None:
    """Pinned: white on black is shown."""
    pdf = report(tmp_path, drawn(patch(0.0), cjk(FIGURE, colour=1.0)))
    reads_as(pdf, FIGURE)


# -- 4. text covered by what is drawn after it -------------------------------------------------


def test_a_figure_covered_by_a_patch_reads_as_the_figure_on_top(tmp_path: Path) -> None:
    """A PDF editor's change: the old 「12」, a white patch over it, the new figure on top."""
    reads_as(report(tmp_path, drawn(cjk("12"), patch(), cjk(FIGURE))), FIGURE)


def test_a_covered_figure_with_nothing_on_top_is_no_figure(tmp_path: Path) -> None:
    finding = at_the_cell(check(report(tmp_path, drawn(cjk(FIGURE), patch())))[1])
    assert "遮盖" in finding.message


def test_a_translucent_highlight_over_a_figure_hides_nothing(tmp_path: Path) -> None:
    """Pinned: a highlighter's mark (30% opacity) leaves the figure shown."""
    pdf = report(tmp_path, drawn(cjk(FIGURE), patch(0.0, translucent=True)))
    reads_as(pdf, FIGURE)


def test_a_background_drawn_before_the_figure_hides_nothing(tmp_path: Path) -> None:
    """Pinned: WPS paints a white box behind each line of text before the text."""
    reads_as(report(tmp_path, drawn(patch(), cjk(FIGURE))), FIGURE)


# -- 5. text clipped away ------------------------------------------------------------------------


def test_text_clipped_away_is_not_read(tmp_path: Path) -> None:
    def clipped(page: Page, x: float, top: float) -> None:
        page.clip(0, 0, 20, 20)  # far from the cell: nothing drawn in the cell is shown
        page.cjk(x, top, "1", size=SIZE)
        page.unclip()

    reads_as(report(tmp_path, drawn(clipped, beside(SIZE / 2, cjk(FIGURE)))), FIGURE)


# -- 6. labels in Kangxi radicals and compatibility ideographs -----------------------------------

# what WPS and Word PDFs map some glyphs to: ⾏ (U+2F8F), ⼀ (U+2F00), ⽂ (U+2F42), 﨑-like forms
KANGXI = str.maketrans({"行": "\u2f8f", "一": "\u2f00", "文": "\u2f42", "人": "\u2f08"})


def test_labels_in_kangxi_radicals_are_read(tmp_path: Path) -> None:
    """Pinned: labels are compared in NFKC, which folds these into the ideographs."""
    pdf = report(tmp_path, labels=lambda text: text.translate(KANGXI))
    rows = read_pdf(pdf).sheets[0].rows
    assert any(row and row[0] == "\u2f8f政处罚" for row in rows)
    reads_as(pdf, FIGURE)
