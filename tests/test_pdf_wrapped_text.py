"""The running text of a PDF follows the document's real paragraphs (sources/pdf.py, point 7).

Two findings: a report printed by LibreOffice from the real blank Word template (its body
prints with a line gap a little over 1.5 em) had every printed line taken as a paragraph of
its own, so a sentence wrapped after 「区政府办代表」 lost its scope word and gave a false N01;
and a centred title too long for one line (「淮安市洪泽区人民政府2023年政府信息公开工作」 over
「年度报告」) gave neither unit nor year (C01, C02: merge refuses the report), although the same
report as .docx reads fine. A paragraph's lines now read as one line, and so does a centred
title wrapped over lines; a title set on two lines on purpose (the unit's name over the rest,
as WPS reports print it) stays two lines, which the reader reads as one title.

The PDFs are drawn by hand (tests/support/pdfs.py, ``Page.cjk``: wide characters 1 em, ASCII
half an em) with the geometry of the printed template; the last tests let LibreOffice print
the Word report ``nianbao publish`` writes, its title and body set as the finding's.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from nianbao.form.findings import Rule
from nianbao.sources.pdf import read_pdf
from tests.support.pdfs import Page, write_cjk_pdf
from tests.support.soffice import convert, requires_soffice

# The printed template: A4, text from 90 to 505 pt; body 12 pt, first lines indented 2 em,
# lines 31.2 pt apart (a gap of 1.6 em), paragraphs 46.8 pt apart; the title centred.
LEFT, RIGHT = 90.0, 505.0
BODY, INDENT, PITCH, PARAGRAPH = 12.0, 24.0, 31.2, 46.8
TITLE = 22.0  # 二号


def _width(text: str, size: float) -> float:
    return sum(size / 2 if ch.isascii() else size for ch in text)


def _wrapped(text: str, size: float, first: float, rest: float) -> list[str]:
    """``text`` broken into lines as a word processor fills them: ``first`` pt for the first
    line, ``rest`` for the others (CJK breaks anywhere)."""
    lines = [""]
    for ch in text:
        room = first if len(lines) == 1 else rest
        if _width(lines[-1] + ch, size) > room:
            lines.append("")
        lines[-1] += ch
    return lines


class Layout:
    """A page laid out top down."""

    def __init__(self) -> None:
        self.page = Page()
        self.top = 90.0

    def centred(self, text: str, size: float = TITLE, after: float = 12.0) -> list[str]:
        lines = _wrapped(text, size, RIGHT - LEFT, RIGHT - LEFT)
        for line in lines:
            self.page.cjk((LEFT + RIGHT - _width(line, size)) / 2, self.top, line, size)
            self.top += size * 1.5
        self.top += after
        return lines

    def paragraph(
        self, text: str, indent: float = INDENT, pitch: float = PITCH, after: float = PARAGRAPH
    ) -> list[str]:
        """A paragraph of body text; ``after``: its last line's distance to the next line."""
        lines = _wrapped(text, BODY, RIGHT - LEFT - indent, RIGHT - LEFT)
        for n, line in enumerate(lines):
            self.page.cjk(LEFT + (indent if n == 0 else 0.0), self.top, line, BODY)
            self.top += pitch if n < len(lines) - 1 else after
        return lines


def _text(tmp_path: Path, *layouts: Layout) -> list[str]:
    path = write_cjk_pdf(tmp_path / "t.pdf", [layout.page for layout in layouts])
    return (read_pdf(path).text or "").splitlines()


# -- paragraphs --------------------------------------------------------------------------------

SCOPE = "在区委区政府的坚强领导下，我区认真贯彻落实条例要求，区政府办代表区政府受理政府信息公开申请17件，均按时答复。"
YEAR = "在区委区政府的坚强领导下，我区认真贯彻落实条例要求，2022年度区政府受理政府信息公开申请75件，全部按时答复。"
LONG = (
    "2023年全区接收通过邮寄、网络提交的各类政府信息公开申请共计81件，涉及自然人80件、商业企业1件。"
    "办结依申请公开81件。因政府信息公开引起的行政复议案件2件、行政诉讼案件7件。"
)


@pytest.mark.parametrize(
    ("sentence", "first_line_ends"), [(SCOPE, "区政府办代表"), (YEAR, "2022年度区政")]
)
def test_lines_of_a_paragraph_a_gap_of_over_1_5_em_apart_read_as_one(
    tmp_path: Path, sentence: str, first_line_ends: str
) -> None:
    layout = Layout()
    layout.centred("区教育局2023年政府信息公开工作年度报告", size=18.0)
    layout.paragraph("一、总体情况")
    lines = layout.paragraph(sentence)
    assert len(lines) == 2 and lines[0].endswith(first_line_ends)  # cut as in the finding
    layout.paragraph("二、主动公开政府信息情况")
    assert _text(tmp_path, layout) == [
        "区教育局2023年政府信息公开工作年度报告",
        "一、总体情况",
        sentence,  # joined with nothing between: CJK
        "二、主动公开政府信息情况",
    ]


def test_a_paragraph_over_several_lines_and_pages_reads_as_one(tmp_path: Path) -> None:
    first = Layout()
    first.paragraph("一、总体情况")
    first.top = 700.0
    text = LONG
    while _width(_wrapped(text, BODY, RIGHT - LEFT - INDENT, RIGHT - LEFT)[-1], BODY) < 400:
        text += "甲"  # until the paragraph's last line on the page is full
    assert len(first.paragraph(text, after=0.0)) >= 3
    second = Layout()
    second.paragraph("第二页上接着写完。", indent=0.0)
    assert _text(tmp_path, first, second) == ["一、总体情况", text + "第二页上接着写完。"]


def test_a_new_paragraph_starts_at_a_first_line_indent(tmp_path: Path) -> None:
    # most lines are first lines, as in the template (headings, short paragraphs): the left
    # margin is where the lines a paragraph wraps onto start, not where most lines start
    first = "甲" * 32 + "乙" * 34
    layout = Layout()
    layout.paragraph("一、总体情况")
    layout.paragraph("（一）主动公开")
    layout.paragraph("本年度主动公开政府信息。")
    assert [len(line) for line in layout.paragraph(first, after=PITCH)] == [32, 34]
    layout.paragraph(SCOPE)
    assert _text(tmp_path, layout)[3:] == [first, SCOPE]


def test_a_new_paragraph_starts_after_a_line_that_ended_short(tmp_path: Path) -> None:
    layout = Layout()
    layout.paragraph("第一段只有一行，没写满。", after=PITCH)
    layout.paragraph("第二段不缩进，紧接着上一段，" + "丙" * 30, indent=0.0)
    assert _text(tmp_path, layout) == [
        "第一段只有一行，没写满。",
        "第二段不缩进，紧接着上一段，" + "丙" * 30,
    ]


def test_a_new_paragraph_starts_at_a_larger_gap(tmp_path: Path) -> None:
    # two paragraphs set without indent, the first one's lines running to the right margin:
    # only the gap between them tells them apart
    first, second = "甲" * 68, "乙" * 40
    layout = Layout()
    assert [len(line) for line in layout.paragraph(first, indent=0.0)] == [34, 34]
    layout.paragraph(second, indent=0.0)
    assert _text(tmp_path, layout) == [first, second]


def test_a_new_paragraph_starts_at_a_gap_larger_than_between_its_lines(tmp_path: Path) -> None:
    # single-spaced paragraphs without indent, a gap of 1.2 em between them (no wider than
    # a line gap elsewhere may be): wider than the paragraph's own lines are apart
    first, second = "甲" * 68, "乙" * 40
    layout = Layout()
    layout.paragraph(first, indent=0.0, pitch=BODY * 1.3, after=BODY * 2.2)
    layout.paragraph(second, indent=0.0, pitch=BODY * 1.3)
    assert _text(tmp_path, layout) == [first, second]


def test_a_new_paragraph_starts_at_a_numbered_heading(tmp_path: Path) -> None:
    first = "甲" * 66 + "。"
    layout = Layout()
    assert [len(line) for line in layout.paragraph(first, indent=0.0, after=PITCH)] == [34, 33]
    layout.paragraph("二、主动公开政府信息情况", indent=0.0)
    assert _text(tmp_path, layout) == [first, "二、主动公开政府信息情况"]


def test_a_paragraph_of_single_spaced_lines_still_reads_as_one(tmp_path: Path) -> None:
    layout = Layout()
    layout.paragraph(LONG, pitch=BODY * 1.3)
    layout.paragraph(SCOPE, pitch=BODY * 1.3)
    assert _text(tmp_path, layout) == [LONG, SCOPE]


# -- titles ------------------------------------------------------------------------------------

UNITS = ["平潭综合实验区", "淮安市洪泽区人民政府", "哈尔滨市道外区人民政府办公厅政务公开办公室"]


@pytest.mark.parametrize("unit", UNITS)
def test_a_centred_title_wrapped_over_lines_reads_as_one_line(tmp_path: Path, unit: str) -> None:
    title = f"{unit}2023年政府信息公开工作年度报告"
    layout = Layout()
    assert len(layout.centred(title)) >= 2  # too long for one line
    layout.paragraph("一、总体情况")
    layout.paragraph(SCOPE)
    assert _text(tmp_path, layout) == [title, "一、总体情况", SCOPE]


def test_a_title_set_on_two_lines_on_purpose_stays_two_lines(tmp_path: Path) -> None:
    # as the WPS reports print it: the unit's name over the rest (the reader joins them)
    layout = Layout()
    layout.centred("洪泽区人民政府", after=0.0)
    layout.centred("2023年政府信息公开工作年度报告")
    layout.paragraph(SCOPE)
    assert _text(tmp_path, layout) == ["洪泽区人民政府", "2023年政府信息公开工作年度报告", SCOPE]


def test_a_wrapped_title_keeps_apart_from_a_centred_line_of_another_size(tmp_path: Path) -> None:
    title = "淮安市洪泽区人民政府2023年政府信息公开工作年度报告"
    layout = Layout()
    layout.centred(title, after=0.0)
    layout.centred("（2024年1月）", size=16.0)
    layout.paragraph(SCOPE)
    assert _text(tmp_path, layout) == [title, "（2024年1月）", SCOPE]


def test_a_full_body_line_keeps_apart_from_a_centred_line_under_it(tmp_path: Path) -> None:
    first = "甲" * 32 + "乙" * 34
    layout = Layout()
    layout.centred("区教育局2023年政府信息公开工作年度报告", size=18.0)
    layout.paragraph(first, pitch=BODY * 1.3, after=BODY * 1.3)
    layout.centred("主动公开政府信息情况统计表", size=BODY)
    assert _text(tmp_path, layout) == [
        "区教育局2023年政府信息公开工作年度报告",
        first,
        "主动公开政府信息情况统计表",
    ]


# -- printed by LibreOffice --------------------------------------------------------------------


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, int]:
    """The Word report nianbao writes for a unit with a long name, set as the template prints:
    its title on one line (no break after the unit's name: it wraps where the line is full)
    and its body lines 42 pt apart (a gap of 1.6 em at 三号), the finding's sentence under
    总体情况; printed to PDF by LibreOffice. Returns the PDF, the sentence and 表三's total."""
    import docx
    from docx.shared import Pt

    from nianbao.documents.docx import write_docx
    from nianbao.documents.report import build_report
    from nianbao.form import get_form
    from tests.support.returns import valid_return

    folder = tmp_path_factory.mktemp("wrapped")
    ret = valid_return(get_form("2021"), seed=5, unit="淮安市洪泽区人民政府", year=2023)
    word = folder / "报告.docx"
    write_docx(build_report(ret), word)
    document = docx.Document(str(word))
    title = document.paragraphs[0]
    assert title.text.startswith("淮安市洪泽区人民政府")
    for br in title._p.iter("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}br"):
        br.getparent().remove(br)
    total = ret.values["三:1:c7"]
    claimed = 17 if total != 17 else 18
    # 25 characters: the first line's worth at 三号 after the indent, so that (with the
    # fonts LibreOffice has here) the line ends at 「区政府办代表」 as in the finding; no
    # punctuation, which LibreOffice may hang into the margin
    filler = "在区委区政府的坚强领导下我区认真贯彻落"
    sentence = f"{filler}区政府办代表区政府受理政府信息公开申请{claimed}件，均按时答复。"
    body = next(p for p in document.paragraphs if p.text.startswith("（请填写：本年度受理"))
    body.runs[0].text = sentence
    for run in body.runs[1:]:
        run.text = ""
    for paragraph in document.paragraphs[1:]:
        paragraph.paragraph_format.line_spacing = Pt(42)
    document.save(str(word))
    return convert(word, "pdf", folder), sentence, claimed


@requires_soffice
@pytest.mark.soffice
def test_printed_report_reads_its_wrapped_title_and_whole_sentences(
    printed: tuple[Path, str, int],
) -> None:
    from nianbao.pipeline.check import check_paths

    path, sentence, _ = printed
    lines = (read_pdf(path).text or "").splitlines()
    assert lines[0] == "淮安市洪泽区人民政府2023年政府信息公开工作年度报告"
    assert sentence in lines
    (checked,) = check_paths([path])
    assert checked.ret is not None
    assert (checked.ret.unit, checked.ret.year) == ("淮安市洪泽区人民政府", 2023)
    rules = {finding.rule for finding in checked.findings}
    assert not rules & {Rule.C01, Rule.C02, Rule.N01}, checked.findings
