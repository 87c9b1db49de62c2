"""A figure printed in a report's table is never lost in silence: a row of figures without a
row label inside the table (its label lost, or a row printed under the table) is named (L10,
or in the refusal when a form row's label is missing), and a figure cut at a cell's ruling or
at the page's edge reads as no figure (V01 at that cell), never as a smaller number."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from nianbao.form import get_form
from nianbao.form.findings import Rule
from nianbao.recognise.normalize import normalize
from nianbao.recognise.reader import UnknownLayout, read_return
from nianbao.sources.pdf import read_pdf
from tests.support.documents import Printing, report_html
from tests.support.pdfs import Page, html_pdf, tiny_pdf, write_pdf
from tests.support.returns import valid_return
from tests.support.soffice import requires_soffice

FORM = get_form("2021")
SOURCE = valid_return(FORM, seed=31)
LAST_ROW = "四、结转下年度继续办理"
STRAY = "".join(f"<td>{n}</td>" for n in (5, 6, 7, 8, 9, 4, 39))


def _after_row(page: str, label: str, row: str) -> str:
    """``page`` with ``row`` (a <tr>) inserted after the row labelled ``label``."""
    at = page.index("</tr>", page.index(label)) + len("</tr>")
    return page[:at] + row + page[at:]


def _l10(notes: list) -> list[str]:
    return [f.message for f in notes if f.rule is Rule.L10]


def test_a_row_of_figures_without_a_label_under_the_last_row_is_named(tmp_path: Path) -> None:
    page = _after_row(
        report_html(FORM, SOURCE.values), LAST_ROW, f"<tr><td colspan=3></td>{STRAY}</tr>"
    )
    path = tmp_path / "报告.html"
    path.write_text(page, encoding="utf-8")
    ret = read_return(path)
    assert ret.values == SOURCE.values
    (message,) = _l10(ret.notes)
    assert f"「{LAST_ROW}」行下面一行没有行标签的数字" in message
    assert "「5」、「6」、「7」" in message


def test_a_row_of_figures_without_a_label_between_rows_is_named(tmp_path: Path) -> None:
    page = _after_row(
        report_html(FORM, SOURCE.values), "（一）予以公开", f"<tr><td colspan=2></td>{STRAY}</tr>"
    )
    path = tmp_path / "报告.html"
    path.write_text(page, encoding="utf-8")
    (message,) = _l10(read_return(path).notes)
    assert "「（一）予以公开」行下面一行没有行标签的数字" in message


def test_a_refusal_for_a_lost_label_points_at_its_unlabelled_figures(tmp_path: Path) -> None:
    path = tmp_path / "报告.html"
    path.write_text(report_html(FORM, SOURCE.values, Printing(labels={"规章": ""})), "utf-8")
    with pytest.raises(UnknownLayout) as refused:
        read_return(path)
    message = str(refused.value)
    assert "缺少标签「规章」" in message
    assert "「信息内容」行下面一行没有行标签的数字" in message


@pytest.mark.parametrize(
    "row",
    [
        "<tr><td colspan=3></td>" + "<td>0</td>" * 7 + "</tr>",  # zeros lose nothing
        "<tr><td colspan=3></td>" + "".join(f"<td>{n}</td>" for n in range(1, 8)) + "</tr>",
        "<tr><td colspan=3>栏次</td>" + "".join(f"<td>{n}</td>" for n in range(8)) + "</tr>",
        "<tr><td colspan=10>注：本表数据截至2024年12月31日。</td></tr>",  # a note, no figures
    ],
)
def test_column_numbers_zeros_and_notes_under_the_table_stay_quiet(
    tmp_path: Path, row: str
) -> None:
    path = tmp_path / "报告.html"
    path.write_text(_after_row(report_html(FORM, SOURCE.values), LAST_ROW, row), "utf-8")
    ret = read_return(path)
    assert ret.values == SOURCE.values
    assert not _l10(ret.notes)


@requires_soffice
@pytest.mark.soffice
def test_a_pdf_names_the_page_of_a_row_of_figures_printed_under_the_table(tmp_path: Path) -> None:
    page = _after_row(
        report_html(FORM, SOURCE.values), LAST_ROW, f"<tr><td colspan=3></td>{STRAY}</tr>"
    )
    body = page.split("<body>")[1].split("</body>")[0]
    pdf = html_pdf(tmp_path, "报告", body, landscape=True, page_numbers=True)
    ret = read_return(pdf)
    assert ret.values == SOURCE.values
    (message,) = _l10(ret.notes)
    assert re.search(rf"第 \d+ 页「{LAST_ROW}」行下面一行没有行标签的数字", message)


# -- figures cut at a ruling or at the page's edge -----------------------------------------------

X = [60.0, 300.0, 340.0, 400.0]  # a label column and two figure columns
TOPS = [100.0, 120.0, 140.0]


def _cells(pdf: Path) -> list[list[object]]:
    return read_pdf(pdf).sheets[0].rows


def _no_figure(text: object) -> bool:
    value, rule = normalize(text, document=True)
    return not isinstance(value, int) and rule is None


@pytest.mark.parametrize(
    ("start", "first", "second"), [(320.0, "1234", "5"), (325.0, "123", "4 5")]
)
def test_a_figure_running_over_its_cells_ruling_is_no_figure(
    tmp_path: Path, start: float, first: str, second: str
) -> None:
    page = Page().grid(X, TOPS, [["Item", "A", "B"], ["Held", "", ""]])
    page.text(start, 124, "1234").text(380, 124, "5")
    rows = _cells(write_pdf(tmp_path / "t.pdf", [page]))
    a, b = rows[1][1], rows[1][2]
    assert str(a).startswith(first) and str(b).startswith(second)
    assert _no_figure(a) and _no_figure(b)
    assert "超出单元格边框" in str(a)


def test_a_figure_inside_its_cell_is_read_as_before(tmp_path: Path) -> None:
    page = Page().grid(X, TOPS, [["Item", "A", "B"], ["Held", "1234", "5"]])
    assert _cells(write_pdf(tmp_path / "t.pdf", [page]))[1] == ["Held", "1234", "5"]


def _with_crop_box(data: bytes, box: str) -> bytes:
    """``data`` (tiny_pdf's) with a /CropBox on its page, its cross-reference table redone."""
    data = data.replace(b"/Rotate 0", b"/CropBox [%s] /Rotate 0" % box.encode())
    body = data[: data.index(b"xref\n")]
    offsets = [m.start() for m in re.finditer(rb"(?m)^\d+ 0 obj\n", body)]
    out = bytearray(body)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(offsets) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    trailer = data[data.index(b"trailer\n") :]
    return bytes(out) + re.sub(rb"startxref\n\d+", b"startxref\n%d" % len(body), trailer)


@pytest.mark.parametrize("edge", ["media", "crop"])
def test_a_figure_running_past_the_pages_edge_is_no_figure(tmp_path: Path, edge: str) -> None:
    columns = [60.0, 300.0, 578.0, 640.0]  # the last column runs past the page's right edge
    texts = [["Item", "A", "B"], ["Held", "12", "123456"]]
    path = tmp_path / "t.pdf"
    if edge == "media":
        write_pdf(path, [Page().grid(columns, TOPS, texts)])
    else:
        path.write_bytes(
            _with_crop_box(tiny_pdf([Page(width=700).grid(columns, TOPS, texts)]), "0 0 595 842")
        )
    cell = _cells(path)[1][2]
    assert str(cell).startswith("123456") and "超出页面边缘" in str(cell)
    assert _no_figure(cell)


# -- a cell showing no text but a picture or shapes ------------------------------------------------


def _glyph(page: Page, x: float, top: float, size: float = 8) -> Page:
    """A filled outline the size of a digit, as a PDF printer draws a glyph it cannot embed."""
    y = page.height - top - size
    page.ops.append(
        f"q 0 g {x} {y} m {x + size / 2} {y + size} {x + size} {y + size} {x + size} {y} c "
        f"{x + size / 2} {y + size / 3} {x} {y} {x} {y} c f Q"
    )
    return page


def _picture(page: Page, x: float, top: float, width: float, height: float) -> Page:
    page.image = True
    page.ops.append(f"q {width} 0 0 {height} {x} {page.height - top - height} cm /Im1 Do Q")
    return page


def test_a_cell_showing_shapes_or_a_picture_but_no_text_is_no_blank(tmp_path: Path) -> None:
    """A figure whose glyphs were drawn as outlines, or pasted as a picture, was read as a
    blank cell (0, with no more than V04): such a cell reads as what it shows (V01)."""
    tops = [*TOPS, 160.0]
    page = Page().grid(X, tops, [["Item", "A", "B"], ["Held", "", ""], ["Kept", "", "7"]])
    _glyph(page, 310, 124)
    _picture(page, 342, 122, 50, 16)
    rows = _cells(write_pdf(tmp_path / "t.pdf", [page]))
    assert rows[1][1:] == ["〔以图形绘制、不是文字的内容〕", "〔图片〕"]
    assert all(_no_figure(cell) for cell in rows[1][1:])
    assert rows[2][1:] == [None, "7"]  # an empty cell with nothing drawn in it stays blank


def test_a_seal_over_the_table_leaves_its_empty_cells_blank(tmp_path: Path) -> None:
    """A shape larger than a cell (a seal's outline over the table) is no cell's content."""
    page = Page().grid(X, TOPS, [["Item", "A", "B"], ["Held", "", "5"]])
    _glyph(page, 290, 95, size=60)
    rows = _cells(write_pdf(tmp_path / "t.pdf", [page]))
    assert rows[1][1:] == [None, "5"]


def test_a_refusal_for_a_lost_label_says_cells_were_drawn_not_written(tmp_path: Path) -> None:
    """The label missing was drawn as shapes (a PDF printer's outlines): the refusal says
    so, and what to ask for, not only which label is missing."""
    drawn = "〔以图形绘制、不是文字的内容〕"  # how a PDF's cell of drawn glyphs reads
    path = tmp_path / "报告.html"
    path.write_text(report_html(FORM, SOURCE.values, Printing(labels={"规章": drawn})), "utf-8")
    with pytest.raises(UnknownLayout) as refused:
        read_return(path)
    message = str(refused.value)
    assert "缺少标签「规章」" in message
    assert "有 1 格的内容是以图形绘制的，不是文字" in message
    assert "请索取由 Word 或 WPS 直接导出的 PDF" in message


# A table wider than the page, its rulings cut at the page's right edge as a word processor
# draws them: what lies beyond is in no cell of it.
AT_THE_EDGE = [60.0, 300.0, 540.0, 595.0]


def test_a_figure_cut_by_the_page_edge_where_the_table_ends_is_no_figure(tmp_path: Path) -> None:
    """「89818」 of which 「898」 fits on the page was read as 898, passed in silence."""
    page = Page(width=595.0).grid(AT_THE_EDGE, TOPS, [["Item", "A", "B"], ["Held", "12", ""]])
    page.text(578.3, 124, "89818")  # 「898」 ends at 595.0, 「18」 lies beyond
    cell = _cells(write_pdf(tmp_path / "t.pdf", [page]))[1][2]
    assert str(cell).startswith("898") and "超出页面边缘" in str(cell)
    assert _no_figure(cell)


def test_a_figure_wholly_past_the_page_edge_is_no_blank(tmp_path: Path) -> None:
    page = Page(width=595.0).grid(AT_THE_EDGE, TOPS, [["Item", "A", "B"], ["Held", "12", ""]])
    page.text(600, 124, "89818")
    assert (
        _cells(write_pdf(tmp_path / "t.pdf", [page]))[1][2]
        == "〔这一格的内容在页面边缘之外，印不出来〕"
    )


def test_an_empty_cell_the_page_edge_cuts_may_hold_what_was_never_printed(tmp_path: Path) -> None:
    """A word processor leaves out of the file text wholly beyond the page: a cell cut by the
    page's edge showing nothing is no blank read as 0 (V04); one inside the page is."""
    texts = [["Item", "A", "B"], ["Held", "", ""]]
    cut = _cells(
        write_pdf(tmp_path / "cut.pdf", [Page(width=595.0).grid(AT_THE_EDGE, TOPS, texts)])
    )
    assert cut[1][1:] == [None, "〔表格超出页面，这一格被页面边缘截断，内容可能在页面之外〕"]
    inside = _cells(write_pdf(tmp_path / "in.pdf", [Page(width=595.0).grid(X, TOPS, texts)]))
    assert inside[1] == ["Held"]  # its blank cells: nothing at the end of the row


def _nine_point_table(rows: list[list[str]], down: float, mark) -> Page:
    """``rows`` in 9 pt text, as LibreOffice prints a narrow 表三: columns 35 pt wide, rows
    14 pt high, each text ``down`` pt under its row's ruling and each figure handed to
    ``mark`` (the page, the text's left, its row's top, the text) to draw round it."""
    columns = [79.4, 277.5, 312.3, 347.2, 382.0, 416.9][: len(rows[0]) + 1]
    tops = [100.0 + 14.0 * n for n in range(len(rows) + 1)]
    page = Page().rulings(columns, tops)
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            x = columns[c] + 6
            page.text(x, tops[r] + down, text, size=9)
            if r and c:
                mark(page, x, tops[r], text)
    return page


@pytest.mark.parametrize("double", [False, True])
def test_underlined_figures_are_read_and_their_underlines_are_no_rulings(
    tmp_path: Path, double: bool
) -> None:
    """Word's 下划线 (single or double) under each figure of a narrow table (表三, as LibreOffice
    prints it: 9 pt, the line 0.9 pt under the glyphs, 3 pt over the row's ruling) was taken
    for rulings: the table's columns split, figures read as blank (0) or under the wrong
    column."""
    rows = [
        ["Item", "A", "B", "C", "D"],
        ["Held", "5638", "231", "1890", "7"],
        ["Kept", "6", "78", "9", "1234"],
        ["More", "1", "2", "3", "4"],
    ]

    def underline(page: Page, x: float, top: float, text: str) -> None:
        for under in (10.7, 11.8) if double else (11.0,):  # as LibreOffice draws them
            page.line(x, top + under, x + 5.0 * len(text), top + under)

    page = _nine_point_table(rows, -0.8, underline)  # glyphs from 1.1 pt under the ruling
    assert _cells(write_pdf(tmp_path / "u.pdf", [page])) == rows


def test_a_cells_own_border_close_under_its_figure_stays_a_ruling(tmp_path: Path) -> None:
    """A border drawn cell by cell (as WPS draws them) meets the cell's sides: a ruling, even
    where it runs right under a figure as wide as the cell."""
    page = Page().grid(X, TOPS, [["Item", "A", "B"], ["Held", "1234", "5"]])
    page.line(300, 136, 340, 136)  # the figure cell's own bottom border, touching its sides
    rows = _cells(write_pdf(tmp_path / "b.pdf", [page]))
    assert rows[1] == ["Held", "1234", "5"] and len(rows) == 2


def _with_a_font_reembedded_badly(data: bytes) -> bytes:
    """``data`` (tiny_pdf's) with its font given metrics as pdftocairo re-embeds a face: a
    descent over an em (-1048), so pdfminer puts each glyph's box a whole em under it."""
    widths = b" ".join([b"556"] * 95)
    font = (
        b"<< /Type /Font /Subtype /Type1 /BaseFont /CairoFont /FirstChar 32 /LastChar 126 "
        b"/Widths [" + widths + b"] /FontDescriptor << /Type /FontDescriptor /FontName "
        b"/CairoFont /Flags 32 /Ascent 1808 /Descent -1048 /FontBBox [-1002 -1048 2928 1808] "
        b"/ItalicAngle 0 /StemV 80 /CapHeight 700 >> >>"
    )
    data = data.replace(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>", font)
    body = data[: data.index(b"xref\n")]
    offsets = [m.start() for m in re.finditer(rb"(?m)^\d+ 0 obj\n", body)]
    out = bytearray(body)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(offsets) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    trailer = data[data.index(b"trailer\n") :]
    return bytes(out) + re.sub(rb"startxref\n\d+", b"startxref\n%d" % len(body), trailer)


def test_text_whose_font_metrics_put_its_boxes_under_it_is_read_in_its_own_row(
    tmp_path: Path,
) -> None:
    """A clean report re-printed by pdftocairo was refused (L01: labels missing): its boxes
    sat an em low, so each label and figure fell into the row below, struck by its ruling.
    The baseline is where the text matrix puts the glyph, whatever the font's metrics."""
    rows = [["Item", "A", "B"], ["Held", "1234", "5"], ["Kept", "6", "78"]]
    page = Page().grid(X, [*TOPS, 160.0], rows)
    path = tmp_path / "cairo.pdf"
    path.write_bytes(_with_a_font_reembedded_badly(tiny_pdf([page])))
    assert _cells(path) == rows


def test_a_figure_inside_a_documents_spanned_cell_is_said_in_a_reports_words(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """V11 spoke of a report's table as of a workbook: 「表格!F42 … 请取消合并」, naming
    cells by A1 and a merge to undo in a PDF. It names the table and the text found."""
    from contextlib import contextmanager

    import nianbao.recognise.reader as reader
    from nianbao.sources.dispatch import open_source

    values = dict(SOURCE.values)
    values["三:1:c1"], values["三:1:c2"] = 98765, 45678
    path = tmp_path / "报告.html"
    path.write_text(report_html(FORM, values), encoding="utf-8")

    @contextmanager
    def spanned(source, engine="calamine"):  # the cell of 45678 inside its left neighbour's span
        with open_source(source, engine) as grid:
            sheet = grid.sheets[0]
            (r, c), *_ = [
                (r, row.index("45678")) for r, row in enumerate(sheet.rows) if "45678" in row
            ]
            sheet._load_merges = lambda: [((r, c - 1), (r, c))]
            yield grid

    monkeypatch.setattr(reader, "open_source", spanned)
    (v11,) = [f for f in reader.read_return(path).notes if f.rule is Rule.V11]
    assert "表三有 1 处文字落在跨行或跨列的单元格范围之内：「45678」" in v11.message
    assert "取消合并" not in v11.message and "工作表" not in v11.message and not v11.cells


def test_figures_with_a_border_round_them_are_read_in_their_cells(tmp_path: Path) -> None:
    """Word's 字符边框 round each figure, taken for rulings, made a cell inside each cell: 119
    figures of a report read as blank (0) or a column off. A rectangle tight round text,
    inside a cell and meeting none of its rulings, is the text's border."""
    rows = [["Item", "A", "B", "C"], ["Held", "5638", "231", "1890"], ["Kept", "6", "78", "9"]]

    def border(page: Page, x: float, top: float, text: str) -> None:
        left, right = x - 0.6, x + 5.0 * len(text) + 0.4  # 0.6 pt round the glyphs,
        upper, lower = top + 2.4, top + 12.0  # 2 pt off the row's rulings
        page.line(left, upper, right, upper).line(left, lower, right, lower)
        page.line(left, upper, left, lower).line(right, upper, right, lower)

    page = _nine_point_table(rows, 0.5, border)  # glyphs from 3 pt to 11.4 pt down
    assert _cells(write_pdf(tmp_path / "b.pdf", [page])) == rows


def test_a_table_drawn_cell_by_cell_keeps_every_cell(tmp_path: Path) -> None:
    """WPS draws each cell as a rectangle of its own: rectangles, but none a text's border."""
    page = Page()
    xs = [60.0 + 40.0 * c for c in range(5)]
    rows = [[f"{r}{c}" for c in range(4)] for r in range(1, 7)]
    for r, row in enumerate(rows):
        top = 60.0 + 18.0 * r
        for c, text in enumerate(row):
            left, right = xs[c], xs[c + 1]
            page.line(left, top, right, top).line(left, top + 18, right, top + 18)
            page.line(left, top, left, top + 18).line(right, top, right, top + 18)
            page.text(left + 3, top + 4, text)
    assert _cells(write_pdf(tmp_path / "cells.pdf", [page])) == rows
