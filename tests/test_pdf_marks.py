"""What a PDF prints off the line or struck through (sources/pdf.py, point 5 of its docstring).

A figure read must be the figure printed, or the cell says it is not a figure (V01). A Word
report whose 行政许可 cell shows 58 with a raised footnote mark 1, exported to PDF, was read as
581; a struck-through 59 followed by 58 as 5958: both passed every check. Now a superscript or
subscript reads set off the line (``58¹``: V01 at that cell), struck text is not read (the
figure left standing is), and a line through a figure that may or may not be a strike shows
the figure crossed (no figure, V01) rather than guessing.

PDFs are drawn by hand (tests/support/pdfs.py, Helvetica: digits are 0.556 em wide) for the
geometry, and one is laid out by LibreOffice from the Word report `nianbao publish` writes.
"""

from __future__ import annotations

import random
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from nianbao.checks.engine import validate_return
from nianbao.documents.docx import write_docx
from nianbao.documents.report import build_report
from nianbao.form import get_form
from nianbao.form.data import Return, filled_return
from nianbao.form.findings import Rule
from nianbao.recognise.normalize import normalize
from nianbao.recognise.reader import read_return
from nianbao.sources.pdf import read_pdf
from tests.support.pdfs import A4, Page, write_pdf
from tests.support.returns import balanced_inputs
from tests.support.soffice import convert, requires_soffice

X = [72.0, 200.0, 320.0]  # a two-column table: a label, a figure
TOPS = [100.0, 124.0, 148.0, 172.0, 196.0]
LEFT = X[1] + 3  # where a figure starts in its cell
SIZE = 10.0


def digits(text: str, size: float = SIZE) -> float:
    """The width of ``text`` (digits and brackets) in Helvetica at ``size``."""
    return sum(0.333 if ch in "()" else 0.556 for ch in text) * size


def write(
    page: Page, x: float, baseline: float, text: str, size: float = SIZE, rise: float = 0.0
) -> float:
    """``text`` with its baseline at ``baseline`` (top-down), raised by a text rise of
    ``rise``; returns where it ends."""
    page.ops.append(
        f"BT /F1 {size} Tf {rise} Ts 1 0 0 1 {x} {page.height - baseline} Tm ({text}) Tj ET"
    )
    return x + digits(text, size)


def baseline(row: int) -> float:
    return TOPS[row] + 16


def table(page: Page | None = None) -> Page:
    """The ruled table with a label in each row and its figure cells left empty."""
    page = page or Page()
    return page.grid(X, TOPS, [[label, ""] for label in "ABCD"])


def figures(path: Path) -> list[str | None]:
    """The figure column of the table read from the PDF at ``path``."""
    rows = read_pdf(path).sheets[0].rows
    assert [row[0] for row in rows] == list("ABCD")
    return [row[1] if len(row) > 1 else None for row in rows]


def no_figure(text: str) -> bool:
    """The text is no figure: the checks reject it at its cell (V01)."""
    value, _ = normalize(text, document=True)
    return isinstance(value, str)


# -- superscript and subscript ---------------------------------------------------------------------


def marked(page: Page) -> Page:
    """58 with a raised footnote mark 1 (placed by the text matrix, as office suites do), a
    smaller note on the line's own baseline, 58 with a lowered 2, 58 with a mark raised by
    a text rise (Ts)."""
    table(page)
    end = write(page, LEFT, baseline(0), "58")
    write(page, end, baseline(0) - 3.5, "1", size=6)
    end = write(page, LEFT, baseline(1), "22")
    write(page, end, baseline(1), "(16)", size=7)
    end = write(page, LEFT, baseline(2), "58")
    write(page, end, baseline(2) + 1.2, "2", size=6)
    end = write(page, LEFT, baseline(3), "58")
    write(page, end, baseline(3), "1", size=6, rise=3.5)
    return page


def test_a_superscript_or_subscript_in_a_cell_reads_set_off_the_line(tmp_path):
    read = figures(write_pdf(tmp_path / "t.pdf", [marked(Page())]))
    assert read == ["58¹", "22(16)", "58₂", "58¹"]
    assert no_figure("58¹") and no_figure("58₂")


@pytest.mark.parametrize("page", ["rotated", "sideways"])
def test_marks_on_a_turned_page_read_the_same(tmp_path, page):
    """A page turned by /Rotate, and a landscape table printed sideways on a portrait page:
    the glyphs' baselines are measured along their own direction."""
    if page == "rotated":
        drawn = marked(Page(rotate=90))
    else:
        drawn = marked(Page(width=A4[1], height=A4[0], sideways=True))
    line = TOPS[-1] + 16  # a row more, its figure struck
    drawn.grid(X, [TOPS[-1], TOPS[-1] + 24], [["E", ""]])
    end = write(drawn, LEFT, line, "59")
    drawn.line(LEFT, line - 3.5, end, line - 3.5)
    write(drawn, end, line, "58")
    rows = read_pdf(write_pdf(tmp_path / "t.pdf", [drawn])).sheets[0].rows
    assert [row[1] for row in rows] == ["58¹", "22(16)", "58₂", "58¹", "58"]


def test_a_footnote_mark_in_the_running_text_is_set_off_the_line(tmp_path):
    page = Page()
    end = write(page, 72, 100, "58")
    write(page, end, 96.5, "1", size=6)
    assert read_pdf(write_pdf(tmp_path / "t.pdf", [page])).text == "58¹"


# -- struck text ---------------------------------------------------------------------------------------


def test_struck_figures_are_not_read_and_the_one_left_standing_is(tmp_path):
    """A struck 59 before 58: by a stroked line, a thin filled rectangle (as Word draws it),
    a double line; and an underline is no strike."""
    page = table()
    for row in range(3):
        end = write(page, LEFT, baseline(row), "59")
        write(page, end, baseline(row), "58")
    page.line(LEFT, baseline(0) - 3.5, LEFT + digits("59"), baseline(0) - 3.5)
    page.rect(LEFT, baseline(1) - 3.8, digits("59"), 0.6, fill=0)
    page.line(LEFT, baseline(2) - 2.5, LEFT + digits("59"), baseline(2) - 2.5, width=0.3)
    page.line(LEFT, baseline(2) - 4.5, LEFT + digits("59"), baseline(2) - 4.5, width=0.3)
    end = write(page, LEFT, baseline(3), "58")
    page.line(LEFT, baseline(3) + 1.5, end, baseline(3) + 1.5)  # underlined
    assert figures(write_pdf(tmp_path / "t.pdf", [page])) == ["58", "58", "58", "58"]


def test_a_figure_struck_with_nothing_left_standing_is_no_blank(tmp_path):
    """A struck 741 and nothing in its place read as a blank cell, 0 with only V04 saying
    「空白」: the cell says what it shows (V01), a struck word alone stays blank."""
    page = table()
    end = write(page, LEFT, baseline(0), "741")
    page.line(LEFT, baseline(0) - 3.5, end, baseline(0) - 3.5)
    read = figures(write_pdf(tmp_path / "t.pdf", [page]))
    assert read[0] == "〔只有划去的数字：741〕" and no_figure(read[0])


def test_a_line_through_a_figure_that_may_not_be_a_strike_shows_it_crossed(tmp_path):
    """A line through 58 running on far past it (is it a strike? a stray rule?), and a
    strike through 59 that ends inside the 5 of 58 (is that 5 struck?): the figures are
    shown crossed, which is no figure (V01), never 58 or 8 read as if nothing were there."""
    page = table()
    end = write(page, LEFT, baseline(0), "58")
    page.line(LEFT, baseline(0) - 3.5, X[2] - 10, baseline(0) - 3.5)
    end = write(page, LEFT, baseline(1), "59")
    write(page, end, baseline(1), "58")
    page.line(LEFT, baseline(1) - 3.5, end + digits("5") / 2, baseline(1) - 3.5)
    read = figures(write_pdf(tmp_path / "t.pdf", [page]))
    assert read == ["5\u03368\u0336", "5\u03369\u03365\u03368", None, None]
    assert all(no_figure(text) for text in read if text)


def test_struck_words_in_the_running_text_are_not_read_and_leave_no_gap(tmp_path):
    page = Page()
    words = [("were", False), ("59", True), ("58", False), ("in 2024", False)]
    x = 72.0
    for word, struck in words:
        end = write(page, x, 100, word)
        width = digits(word) if word.isdigit() else len(word) * 5.0
        if struck:
            page.line(x, 96.5, x + width, 96.5)
        x += width + 2.78  # a space
    # a polyline through "in 2024" (a seal's outline, say) strikes nothing
    page.ops.append(f"{x - 40} {page.height - 96.5} m {x} {page.height - 96.5} l {x} 400 l S")
    end = write(page, 72, 114, "2023")  # a line struck through entirely says nothing
    page.line(72, 110.5, end, 110.5)
    text = read_pdf(write_pdf(tmp_path / "t.pdf", [page])).text
    assert text == "were 58 in 2024"


# -- a Word report printed to PDF by LibreOffice ---------------------------------------------------

FORM = get_form("2021")
LICENCES = "二:20-5.1:c1"  # 表二 行政许可
PENALTIES = "二:20-6.1:c1"  # 表二 行政处罚
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def source() -> Return:
    inputs = balanced_inputs(FORM, random.Random(3))
    inputs[LICENCES] = 58
    inputs[PENALTIES] = 58
    return filled_return(FORM, inputs, unit="某某区人民政府", year=2024)


def runs_in(root: etree._Element, label: str, runs: str) -> None:
    """Replace the runs of the figure cell beside ``label`` with ``runs``."""
    (cell,) = [tc for tc in root.iter(f"{{{W}}}tc") if "".join(tc.itertext()) == label]
    paragraph = cell.getnext().find(f"{{{W}}}p")
    for run in paragraph.findall(f"{{{W}}}r"):
        paragraph.remove(run)
    paragraph.extend(etree.fromstring(f'<x xmlns:w="{W}">{runs}</x>'))


@requires_soffice
@pytest.mark.soffice
def test_a_word_report_printed_to_pdf_reads_its_marks_as_shown(tmp_path):
    """行政许可 shows 58 with a superscript footnote mark 1; 行政处罚 a struck 59, then 58."""
    word = tmp_path / "base.docx"
    write_docx(build_report(source()), word)
    with zipfile.ZipFile(word) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    root = etree.fromstring(parts["word/document.xml"])
    runs_in(
        root,
        "行政许可",
        "<w:r><w:t>58</w:t></w:r>"
        "<w:r><w:rPr><w:vertAlign w:val='superscript'/></w:rPr><w:t>1</w:t></w:r>",
    )
    runs_in(
        root,
        "行政处罚",
        "<w:r><w:rPr><w:strike/></w:rPr><w:t>59</w:t></w:r><w:r><w:t>58</w:t></w:r>",
    )
    parts["word/document.xml"] = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    marked_word = tmp_path / "报告.docx"
    with zipfile.ZipFile(marked_word, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    pdf = convert(marked_word, "pdf", tmp_path / "pdf")

    ret = read_return(pdf)
    assert ret.values[LICENCES] == "58¹"
    assert ret.values[PENALTIES] == 58
    expected = source().values
    assert {k: v for k, v in ret.values.items() if k != LICENCES} == {
        k: v for k, v in expected.items() if k != LICENCES
    }
    v01 = [f.places for f in validate_return(ret) if f.rule is Rule.V01]
    assert v01 == [(ret.places[LICENCES],)]
