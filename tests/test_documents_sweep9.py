"""Sweep 9 of published reports: 表四 set upright; two tables on one PDF page.

A report that prints 表四 upright — its fifteen columns as rows, each group's labels one under
another (行政复议 over 结果维持, 结果纠正 …) and the figures in a column beside them, as a page
made for phones does — is refused, never read by position. The refusal said the table was
「分成上下几部分印出」 and that 「其他结果」 was printed 「之前（左边）」 of 「结果纠正」, which it
is not: it is under it. It now says the table is set upright (竖排) and how the form prints it.
A table whose columns are merely swapped still says 「之前（左边）」.

A PDF page holding the foot of 表三 and the head of 表四, their column edges 2 pt apart (each
table's own widths), had all its rulings snapped together: 表四's edges moved off where they
are drawn, and off those of its part on the next page, and the report LibreOffice printed was
refused as 「两部分的列对不齐」 (L01), though every column met. A table's rulings are now merged
and snapped only with its own (those of its stretch of the page).

A web page that lists the unit's other reports (links, each with its date) before the
article, as content systems lay out a 「年度报告」 column, was read as the first linked
report's year — 2023 for 2024's report, in silence. A line of nothing but links is no part of
the report's text now, nor its title. Nor is a page's <title> taken before the heading the
page shows: Word writes last year's Title property there, and 2024's report read as 2023's.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from nianbao.form import get_form
from nianbao.form.findings import Rule
from nianbao.pipeline.check import check_paths
from nianbao.sources.pdf import _pieces
from tests.support.documents import Printing, report_html
from tests.support.returns import valid_return
from tests.support.soffice import convert, requires_soffice

FORM = get_form("2021")
RESULTS = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
GROUPS = (("ar", "行政复议", ""), ("ld", "行政诉讼", "未经复议直接起诉"), ("lr", "", "复议后起诉"))


def _td(text: object, rowspan: int = 1, colspan: int = 1) -> str:
    spans = (f" rowspan={rowspan}" if rowspan > 1 else "") + (
        f" colspan={colspan}" if colspan > 1 else ""
    )
    return f"<td{spans}><p class=MsoNormal>{text}</p></td>"


def _upright_table_four(values: dict[str, object]) -> str:
    """表四 with its columns as rows: a group's label spanning its rows, a result and its figure
    on each row."""
    rows = [f"<tr>{_td('项目', 1, 3)}{_td('数量')}</tr>"]
    for code, group, part in GROUPS:
        for k, result in enumerate(RESULTS, start=1):
            cells = ""
            if k == 1 and group == "行政复议":
                cells += _td(group, 5, 2)
            elif k == 1 and group:
                cells += _td(group, 10)
            if k == 1 and part:
                cells += _td(part, 5)
            cells += _td(result) + _td(values.get(f"四:1:{code}{k}", ""))
            rows.append(f"<tr>{cells}</tr>")
    return (
        "<p>四、政府信息公开行政复议、行政诉讼情况</p><table class=MsoNormalTable border=1>"
        f"{''.join(rows)}</table>"
    )


def test_table_four_set_upright_is_refused_saying_so(tmp_path: Path) -> None:
    ret = valid_return(FORM, seed=3, unit="某某区人民政府", year=2024)
    values = {**ret.values, **ret.completed()}
    page = report_html(FORM, values, Printing())
    start = page.rindex("<p>四、")
    path = tmp_path / "竖排表四.html"
    path.write_text(
        page[:start] + _upright_table_four(values) + "</div></body></html>", encoding="utf-8"
    )
    (checked,) = check_paths([path])
    assert checked.ret is None
    (refusal,) = checked.findings
    assert refusal.rule is Rule.L01
    assert "表四" in refusal.message and "竖排" in refusal.message
    assert "左边" not in refusal.message and "分成上下几部分" not in refusal.message


def test_table_four_with_two_columns_swapped_still_says_left(tmp_path: Path) -> None:
    ret = valid_return(FORM, seed=3, unit="某某区人民政府", year=2024)
    page = report_html(FORM, ret.values, Printing())
    start = page.rindex("<p>四、")
    table_four = page[start:]  # the labels of two columns exchanged, figures left in place
    for a, b in (("结果纠正", "\0"), ("其他结果", "结果纠正"), ("\0", "其他结果")):
        table_four = table_four.replace(a, b)
    path = tmp_path / "列次序.html"
    path.write_text(page[:start] + table_four, encoding="utf-8")
    (checked,) = check_paths([path])
    assert checked.ret is None
    (refusal,) = checked.findings
    assert refusal.rule is Rule.L01 and "左边" in refusal.message and "竖排" not in refusal.message


# -- a PDF page holding two tables whose column edges are 2 pt apart ------------------------------


def test_a_tables_rulings_are_not_snapped_to_another_tables_on_its_page() -> None:
    """表三 above, its column edge drawn at 206.0 on each row; 表四 below it on the same page, its
    edge at 204.0: each table's cells keep their own edges. Snapped together page-wide, 表四's
    moved to 205.8 — off its continuation's on the next page (204.0), which LibreOffice's PDF
    of a report then refused as not lined up (L01) though every column met."""
    rows = [60.0 + 20 * r for r in range(11)]
    horizontal = [(y, 40.0, 500.0) for y in rows] + [(760.0, 40.0, 500.0), (780.0, 40.0, 500.0)]
    vertical = [
        (x, a, b) for a, b in zip(rows, rows[1:], strict=False) for x in (40.0, 206.0, 500.0)
    ]
    vertical += [(x, 760.0, 780.0) for x in (40.0, 204.0, 500.0)]
    pieces = _pieces(1, horizontal, vertical, [])
    assert [sorted({cell[0] for cell in piece.cells}) for piece in pieces] == [
        [40.0, 206.0],
        [40.0, 204.0],
    ]


@pytest.mark.soffice
@requires_soffice
def test_a_report_printed_by_libreoffice_with_table_four_cut_by_the_page_is_read(
    tmp_path: Path,
) -> None:
    """A report as a web page made into Word and printed to PDF by LibreOffice: 表四's header cut
    by the page break under 表三's foot, its columns on the next page. Read whole, as the web
    page and the Word file are."""
    ret = valid_return(FORM, seed=3, unit="某某区人民政府", year=2024)
    values = {**ret.values, **ret.completed()}
    prose = "本年度，本机关认真贯彻落实政府信息公开条例，持续推进政务公开标准化规范化建设，各项工作取得积极成效。"
    said = "全年共收到政府信息公开申请593件，上年结转38件，办结607件，结转下年度24件。"
    page = report_html(FORM, values, Printing(narrative=("一、总体情况", *[prose * 3] * 14, said)))
    page = page.replace(
        "<table class=MsoNormalTable border=1>",
        '<table class=MsoNormalTable border=1 width=560 style="font-size:8pt">',
    )
    # 表三's three header rows as the table's head (repeated on each page it runs over)
    start = page.index("<tr>", page.index("<p>三、收到"))
    end = start
    for _ in range(3):
        end = page.index("</tr>", end) + len("</tr>")
    page = f"{page[:start]}<thead>{page[start:end]}</thead><tbody>{page[end:]}"
    page = page.replace("</table>", "</tbody></table>", 3)
    source = tmp_path / "报告.html"
    source.write_text(page, encoding="utf-8")
    word = convert(source, "docx:MS Word 2007 XML", tmp_path / "word")
    printed = convert(word, "pdf", tmp_path / "pdf")
    (checked,) = check_paths([printed])
    assert [f.message for f in checked.findings if f.is_error] == []
    assert checked.ret is not None and checked.ret.values == ret.values


# -- a web page listing other years' reports before its own title ---------------------------------

_OTHER_REPORTS = {
    "a column of the unit's reports": (
        "<div class=left><h3>年度报告</h3><ul>"
        "<li><a href=2023.html>某某区人民政府2023年政府信息公开工作年度报告</a> 2024-01-20</li>"
        "<li><a href=2022.html>某某区人民政府2022年政府信息公开工作年度报告</a> 2023-01-18</li>"
        "</ul></div>"
    ),
    "上一篇 / 下一篇": (
        "<div>上一篇：<a href=2023.html>某某区人民政府2023年政府信息公开工作年度报告</a></div>"
        "<div>下一篇：<a href=n.html>关于印发某某区2024年政务公开工作要点的通知</a></div>"
    ),
    "相关阅读": (
        "<div>相关阅读：<a href=2023.html>某某区人民政府2023年政府信息公开工作年度报告</a> "
        "<a href=2022.html>某某区人民政府2022年政府信息公开工作年度报告</a></div>"
    ),
}


@pytest.mark.parametrize("links", sorted(_OTHER_REPORTS))
def test_links_to_other_years_reports_are_not_the_pages_title(tmp_path: Path, links: str) -> None:
    """A content system's page lists the unit's other reports (links, each with its date, or
    after 「上一篇：」「相关阅读：」) before the article in the page's source: the report is
    2024's, as its own title says — it was read as 2023's in silence, the first linked title
    taken for its own (and 「上一篇：某某区人民政府」 for its unit)."""
    ret = valid_return(FORM, seed=3, unit="某某区人民政府", year=2024)
    page = report_html(FORM, ret.values, Printing())
    path = tmp_path / "年报.html"
    path.write_text(
        page.replace(
            "<div class=WordSection1>", _OTHER_REPORTS[links] + "<div class=WordSection1>"
        ),
        encoding="utf-8",
    )
    (checked,) = check_paths([path])
    assert checked.ret is not None
    assert (checked.ret.unit, checked.ret.year) == ("某某区人民政府", 2024)


def test_a_title_in_a_sentence_with_a_link_is_still_text(tmp_path: Path) -> None:
    """A line holding a link among its words is the page's text: 「附件：<a>…</a>」 keeps its
    title, and a sentence's link its sentence."""
    ret = valid_return(FORM, seed=3, unit="某某区人民政府", year=2024)
    page = report_html(FORM, ret.values, Printing(title="", narrative=()))
    own = "附件：<a href=x.pdf>某某区人民政府2024年政府信息公开工作年度报告</a>（PDF 版）"
    path = tmp_path / "年报.html"
    path.write_text(
        page.replace("<div class=WordSection1>", f"<div class=WordSection1><p>{own}</p>"),
        encoding="utf-8",
    )
    (checked,) = check_paths([path])
    assert checked.ret is not None
    assert (checked.ret.unit, checked.ret.year) == ("某某区人民政府", 2024)


def test_a_stale_page_title_gives_way_to_the_reports_own_heading(tmp_path: Path) -> None:
    """Word's 「另存为网页」 writes the document's Title property into <title>, kept from last
    year's file: the heading the page shows is this year's, and the report's."""
    ret = valid_return(FORM, seed=3, unit="某某区人民政府", year=2024)
    page = report_html(FORM, ret.values, Printing()).replace(
        "</head>", "<title>某某区人民政府2023年政府信息公开工作年度报告</title></head>"
    )
    path = tmp_path / "年报.html"
    path.write_text(page, encoding="utf-8")
    (checked,) = check_paths([path])
    assert checked.ret is not None
    assert (checked.ret.unit, checked.ret.year) == ("某某区人民政府", 2024)


def test_the_page_title_is_the_reports_where_the_page_shows_none(tmp_path: Path) -> None:
    ret = valid_return(FORM, seed=3, unit="某某区人民政府", year=2024)
    page = report_html(FORM, ret.values, Printing(title="")).replace(
        "</head>",
        "<title>某某区人民政府2024年政府信息公开工作年度报告_某某区人民政府网</title></head>",
    )
    path = tmp_path / "年报.html"
    path.write_text(page, encoding="utf-8")
    (checked,) = check_paths([path])
    assert checked.ret is not None
    assert (checked.ret.unit, checked.ret.year) == ("某某区人民政府", 2024)
