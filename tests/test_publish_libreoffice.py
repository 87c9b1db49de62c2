"""The Word report laid out by a real word processor: LibreOffice prints it to PDF, and every
table rule and every character must lie inside the page's text area (nothing cut at the edge),
the tables spanning the text width exactly, every label and figure of 表四 legible."""

from __future__ import annotations

import random
import unicodedata
from collections import Counter
from pathlib import Path

import pdfplumber
import pytest

from nianbao.documents.docx import (
    MARGIN_BOTTOM,
    MARGIN_LEFT,
    MARGIN_RIGHT,
    MARGIN_TOP,
    write_docx,
)
from nianbao.documents.report import build_report
from nianbao.form import get_form
from nianbao.form.data import Return, filled_return
from nianbao.pipeline.check import check_paths
from nianbao.text import show_value
from tests.support.returns import balanced_inputs
from tests.support.soffice import convert_many, requires_soffice

pytestmark = [requires_soffice, pytest.mark.soffice]

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
POINTS_PER_EMU = 1 / 12700
TOLERANCE = 1.0  # points: a rule's half width


def _sample(path: Path) -> Return:
    (report,) = check_paths([path])
    assert report.ret is not None
    return report.ret


def _province() -> Return:
    """A national-scale summary: seven-digit 表三 figures, six-digit 表四 figures."""
    form = get_form("2021")
    inputs = balanced_inputs(form, random.Random(9))
    for key in form.input_keys:
        if key.startswith(("三:1:", "三:4:")):  # as many more received as carried over: balanced
            inputs[key] += 1_000_000
        elif key.startswith("四:"):
            inputs[key] = 123_456
    return filled_return(form, inputs, unit="某省", year=2024, kind="summary", members=14)


def _province_both_wide() -> Return:
    """Eight-digit 表三 figures as well: 表三 and 表四 both on landscape pages, one after the other."""
    form = get_form("2021")
    inputs = balanced_inputs(form, random.Random(9))
    for key in form.input_keys:
        if key.startswith(("三:1:", "三:4:")):
            inputs[key] += 10_000_000
        elif key.startswith("四:"):
            inputs[key] = 123_456
    return filled_return(form, inputs, unit="某省", year=2024, kind="summary", members=14)


CASES = {
    "2021": lambda: _sample(SAMPLES / "2021" / "道外区教育局.xlsx"),
    "2019 vintage": lambda: _sample(SAMPLES / "2020" / "道外区教育局.xlsx"),
    "national figures": _province,
    "both tables landscape": _province_both_wide,
}


@pytest.fixture(scope="module")
def all_printed(tmp_path_factory) -> dict[str, tuple[Return, Path]]:
    """Every case's Word report and its PDF, printed by one start of LibreOffice."""
    folder = tmp_path_factory.mktemp("printed")
    returns, words = {}, []
    for name in sorted(CASES):
        returns[name] = CASES[name]()
        words.append(folder / f"{name}.docx")
        write_docx(build_report(returns[name]), words[-1])
    pdfs = convert_many(words, "pdf", folder)
    return {name: (returns[name], pdf) for name, pdf in zip(sorted(CASES), pdfs, strict=True)}


@pytest.fixture(scope="module", params=sorted(CASES))
def printed(request, all_printed):
    ret, pdf = all_printed[request.param]
    with pdfplumber.open(pdf) as document:
        pages = [
            (
                page.width,
                page.height,
                [(c["x0"], c["x1"], c["top"], c["bottom"], c["text"]) for c in page.chars],
                # table rules are drawn as lines (shading and highlights as filled rects)
                [(e["x0"], e["x1"], e["top"], e["bottom"]) for e in page.lines],
                page.extract_text() or "",
            )
            for page in document.pages
        ]
    return ret, pages


def _area(width: float, height: float) -> tuple[float, float, float, float]:
    """(left, right, top, bottom) of the text area of an A4 page either way up, in points."""
    left, right = MARGIN_LEFT * POINTS_PER_EMU, MARGIN_RIGHT * POINTS_PER_EMU
    top, bottom = MARGIN_TOP * POINTS_PER_EMU, MARGIN_BOTTOM * POINTS_PER_EMU
    if width > height:  # landscape: the portrait margins turned with the paper
        left, right, top, bottom = top, bottom, left, right
    return left, width - right, top, height - bottom


def test_pages_are_a4(printed):
    _, pages = printed
    for width, height, *_ in pages:
        assert sorted((round(width), round(height))) == [595, 842]


def test_every_table_rule_and_character_is_inside_the_text_area(printed):
    _, pages = printed
    for number, (width, height, chars, rules, _) in enumerate(pages, start=1):
        left, right, top, bottom = _area(width, height)
        for x0, x1, y0, y1 in rules:
            assert left - TOLERANCE <= x0 and x1 <= right + TOLERANCE, (number, x0, x1)
            assert top - TOLERANCE <= y0 and y1 <= bottom + TOLERANCE, (number, y0, y1)
        for x0, x1, y0, _, text in chars:
            if y0 > bottom:  # the page number in the footer
                assert text in "— 0123456789", (number, text)
                continue
            assert left - TOLERANCE <= x0, (number, text, x0)
            # LibreOffice hangs a line-final 、，。 into the margin (标点悬挂; the document asks
            # it not to, w:overflowPunct, which Word and WPS follow): a mark, not a cut.
            hanging = unicodedata.category(text).startswith("P") and x0 <= right + TOLERANCE
            assert x1 <= right + TOLERANCE or hanging, (number, text, x0, x1)


def test_tables_span_exactly_the_text_width(printed):
    _, pages = printed
    spans = [
        (min(e[0] for e in rules), max(e[1] for e in rules), _area(width, height))
        for width, height, _, rules, _ in pages
        if rules
    ]
    assert spans, "no table rules were printed"
    for x0, x1, (left, right, _, _) in spans:
        assert abs(x0 - left) <= 2 * TOLERANCE and abs(x1 - right) <= 2 * TOLERANCE


def test_every_figure_is_printed_whole(printed):
    """A figure too wide for its column would wrap into two pieces; each must come out as one
    word of the printed text (and as often as the tables hold it)."""
    ret, pages = printed
    words = Counter(word for page in pages for word in page[4].split())
    figures = Counter(show_value(v) for v in ret.completed().values())
    missing = {f: n - words[f] for f, n in figures.items() if words[f] < n}
    assert missing == {}


def test_every_figure_and_label_of_table_four_is_printed_whole(printed):
    ret, pages = printed
    text = "".join(page[4] for page in pages)
    joined = "".join(text.split())
    for label in ("行政复议", "行政诉讼", "未经复议直接起诉", "复议后起诉"):
        assert label in joined
    table = ret.form.table("四")
    completed = ret.completed()
    figures = [str(completed[c.key]) for c in table.cells]
    lines = ["".join(line.split()) for line in text.splitlines()]
    # the data row prints as one line: the fifteen figures in order, none broken
    assert "".join(figures) in lines, figures


def test_no_page_is_blank(printed):
    """Every page prints something in its text area: a page with nothing but its number (an
    empty portrait section between two landscape parts) would go out blank."""
    _, pages = printed
    for number, (width, height, chars, _, _) in enumerate(pages, start=1):
        _, _, _, bottom = _area(width, height)
        assert any(y0 <= bottom and text.strip() for _, _, y0, _, text in chars), number


def test_each_table_starts_on_the_page_of_its_heading(printed):
    """A table's heading and the text leading into it are printed with the table's first rows,
    never alone on a page with the table starting on the next."""
    ret, pages = printed
    for table in ret.form.tables:
        heading = "".join(table.title.split())
        for number, (_, _, chars, rules, _) in enumerate(pages, start=1):
            printed_chars = [(y0, text) for _, _, y0, _, text in chars if text.strip()]
            at = "".join(text for _, text in printed_chars).find(heading)
            if at >= 0:
                top = printed_chars[at][0]
                assert any(y0 > top for _, _, y0, _ in rules), (table.title, number)
                break
        else:
            raise AssertionError(f"{table.title} is not printed")
