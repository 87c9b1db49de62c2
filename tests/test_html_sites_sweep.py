"""Report pages the way district sites' content systems really publish them: each variant of the
page is read to exactly the figures printed, or refused with a message saying what is wrong;
never a wrong figure in silence, never a traceback.

What broke before this sweep:

- a ``<tfoot>`` written before ``<tbody>`` (as HTML 4 had it) was read in source order: 表四's
  row of figures in such a footer came out above its header, all 15 figures blank (V04 only);
- a figure published as a picture (``<img>`` in the cell), or a form control, was a blank cell
  counted as 0 with a V04 warning;
- a page whose tables are pictures, in a frame (``<iframe src>``, ``srcdoc``, ``<embed>``) or in
  an attached file got the reader's 「未找到统计表」, which does not say why.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from nianbao.checks.engine import validate_return
from nianbao.form import get_form
from nianbao.form.data import Return, filled_return
from nianbao.form.findings import Rule
from nianbao.recognise.reader import read_return
from tests.support.documents import Printing, refused, report_tables
from tests.support.returns import balanced_inputs

FORM = get_form("2021")
SOURCE = filled_return(
    FORM, balanced_inputs(FORM, random.Random(11), high=40), unit="某某区人民政府", year=2024
)
TITLE = "某某区人民政府2024年政府信息公开工作年度报告"
FIGURE = re.compile(r"[0-9.]+")
# two cells of 表三 holding 7, the figure a variant prints otherwise
SEVEN = sorted(key for key, value in SOURCE.values.items() if value == 7)

Cell = Callable[[str, int, int], str]  # (text, rowspan, colspan) -> the cell's markup


def td(text: str, rowspan: int, colspan: int, tag: str = "td") -> str:
    spans = (f' rowspan="{rowspan}"' if rowspan > 1 else "") + (
        f' colspan="{colspan}"' if colspan > 1 else ""
    )
    return f"<{tag}{spans}>{text}</{tag}>"


def figures(printed: Callable[[str], str]) -> Callable[[], str]:
    """The page with its figures printed as ``printed`` (text -> markup), labels as they are."""
    return lambda: page(
        lambda text, r, c: td(printed(text) if FIGURE.fullmatch(text) else text, r, c)
    )


def page(
    cell: Cell = td,
    *,
    table: Callable[[list[str]], str] = lambda rows: f"<table border=1>{''.join(rows)}</table>",
    row: Callable[[str], str] = lambda cells: f"<tr>{cells}</tr>",
    wrap: Callable[[str], str] = lambda body: body,
    head: str = '<meta charset="utf-8">',
    between: Callable[[str], str] = lambda heading: f"<p>{heading}</p>",
) -> str:
    """SOURCE as a content system's report page, each part of the markup replaceable."""
    body = [f"<h1>{TITLE}</h1><p>一、总体情况</p><p>本年度全区政府信息公开工作有序开展。</p>"]
    for heading, rows in report_tables(FORM, SOURCE.values, Printing(title=TITLE)):
        body.append(between(heading))
        lines = ["".join(cell(c.text, c.rowspan, c.colspan) for c in line) for line in rows]
        body.append(table([row(line) for line in lines]))
    body.append("<p>五、存在的主要问题及改进情况</p>")
    return (
        f"<!DOCTYPE html><html><head>{head}<title>{TITLE}</title></head>"
        f"<body>{wrap(''.join(body))}</body></html>"
    )


def saved(tmp_path: Path, html: str, data: bytes | None = None) -> Path:
    path = tmp_path / "报告.html"
    path.write_bytes(html.encode("utf-8") if data is None else data)
    return path


def read(tmp_path: Path, html: str, data: bytes | None = None) -> Return:
    return read_return(saved(tmp_path, html, data))


def as_printed(ret: Return) -> None:
    """Every figure read is the one printed, and nothing is found wrong."""
    assert ret.values == SOURCE.values
    assert validate_return(ret) == []


# -- variants read as printed -----------------------------------------------------------------------


def _word_cell(text: str, rowspan: int, colspan: int) -> str:
    spans = (f" rowspan={rowspan}" if rowspan > 1 else "") + (
        f" colspan={colspan}" if colspan > 1 else ""
    )
    lines = "".join(
        "<p class=MsoNormal align=center style='text-align:center;mso-pagination:widow-orphan'>"
        f"<span lang=EN-US style='font-family:仿宋_GB2312;mso-font-kerning:0pt'>{line}"
        "<o:p></o:p></span></p>"
        for line in text.split("\n")
        if text
    )
    empty = "<p class=MsoNormal><span lang=EN-US><o:p>&nbsp;</o:p></span></p>"
    return f"<td width=57 valign=top style='width:42.5pt;border:solid windowtext 1.0pt'{spans}>{lines or empty}</td>"


def _word_row(cells: str) -> str:
    # Word's "save as web page": a zero-width cell ends each row, for IE's misaligned columns
    return (
        f"<tr style='height:20.0pt'>{cells}<![if !supportMisalignedColumns]>"
        "<td style='height:20.0pt;border:none' width=0 height=27></td><![endif]></tr>"
    )


def _word_table(rows: list[str]) -> str:
    widths = "<td width=57 style='border:none'></td>" * 18
    return (
        "<div align=center><table class=MsoNormalTable border=1 cellspacing=0 cellpadding=0 "
        "style='border-collapse:collapse;mso-yfti-tbllook:1184'>"
        f"{''.join(rows)}<![if !supportMisalignedColumns]><tr height=0>{widths}</tr>"
        "<![endif]></table></div>"
    )


_WORD_HEAD = (
    '<meta http-equiv=Content-Type content="text/html; charset=utf-8">'
    "<meta name=ProgId content=Word.Document><meta name=Generator content='Microsoft Word 15'>"
    "<!--[if gte mso 9]><xml><o:DocumentProperties><o:Author>x</o:Author>"
    "</o:DocumentProperties></xml><![endif]--><style><!-- p.MsoNormal {margin:0cm;} --></style>"
)


def _wps_cell(text: str, rowspan: int, colspan: int) -> str:
    spans = (f' rowspan="{rowspan}"' if rowspan > 1 else "") + (
        f' colspan="{colspan}"' if colspan > 1 else ""
    )
    lines = "".join(
        '<p class="MsoNormal" align="center"><span style="mso-spacerun:\'yes\';'
        f'font-family:仿宋_GB2312;font-size:12.0000pt;">{line}</span>'
        '<span style="font-size:12.0000pt;"><o:p></o:p></span></p>'
        for line in text.split("\n")
        if text
    )
    return f'<td width="62" valign="center"{spans} style="width:46.8pt;">{lines}</td>'


def _three_sections(rows: list[str]) -> str:
    """The header rows in <thead>, the last row in a <tfoot> written before <tbody> (HTML 4)."""
    if len(rows) < 3:
        return f"<table>{''.join(rows)}</table>"
    depth = 3 if len(rows) > 4 else len(rows) - 1
    head, body, foot = rows[:depth], rows[depth:-1], rows[-1]
    return (
        f"<table><thead>{''.join(head)}</thead><tfoot>{foot}</tfoot>"
        f"<tbody>{''.join(body)}</tbody></table>"
    )


def _footer_first(rows: list[str]) -> str:
    """Every row but the first in a <tfoot> written first, then the first row in <thead>."""
    return f"<table><tfoot>{''.join(rows[1:])}</tfoot><thead>{rows[0]}</thead></table>"


def _repeated_header(rows: list[str]) -> str:
    """表三's header rows printed again before its last row (a page made from a print-out)."""
    if len(rows) > 20:
        rows = rows[:-1] + rows[:3] + rows[-1:]
    return f"<table border=1>{''.join(rows)}</table>"


def _one_table() -> str:
    """All three tables in one HTML table, a heading row spanning it before each."""
    parts = []
    for heading, rows in report_tables(FORM, SOURCE.values, Printing(title=TITLE)):
        parts.append(f"<tr><td colspan=17>{heading}</td></tr>")
        parts += ["<tr>" + "".join(td(c.text, c.rowspan, c.colspan) for c in line) + "</tr>" for line in rows]  # fmt: skip
    return (
        f"<html><head><meta charset=utf-8></head><body><h1>{TITLE}</h1>"
        f"<table border=1>{''.join(parts)}</table></body></html>"
    )


def _split(label: str, repeat: bool) -> str:
    """表三 continued in a second table from ``label`` on, after a few blank paragraphs."""
    body = [f"<h1>{TITLE}</h1>"]
    printing = Printing(title=TITLE, split_before=label, repeat_header=repeat)
    for heading, rows in report_tables(FORM, SOURCE.values, printing):
        body.append("<br><p>&nbsp;</p><br>" if heading == "（续表）" else f"<p>{heading}</p>")
        lines = ["<tr>" + "".join(td(c.text, c.rowspan, c.colspan) for c in line) + "</tr>" for line in rows]  # fmt: skip
        body.append(f"<table border=1>{''.join(lines)}</table>")
    return f"<html><head><meta charset=utf-8></head><body>{''.join(body)}</body></html>"


def _cut(label: str, repeat: bool) -> str:
    """表三 cut in two right above ``label``'s row, as an editor does: the first part's
    rowspans (「三、本年度办理结果」 spans 22 rows) still written in full, the second part's
    rows without those cells, ``repeat``: 表三's header rows atop the second part."""
    whole = page()
    start = whole.index("<table", whole.index("三、收到和处理政府信息公开申请情况"))
    first = whole.rindex("<tr", 0, whole.index("一、本年新收政府信息公开申请数量"))
    header = whole[whole.index("<tr", start) : first] if repeat else ""
    at = whole.rindex("<tr", 0, whole.index(label, start))
    return whole[:at] + "</table><p>（续表）</p><table border=1>" + header + whole[at:]


def _spans(rowspan: Callable[[int], str], colspan: Callable[[int], str]) -> Cell:
    """Cells whose span attributes are written by ``rowspan`` and ``colspan`` (span -> markup)."""
    return lambda text, r, c: f"<td{rowspan(r)}{colspan(c)}>{text}</td>"


_META = (
    '<table class="xxgk"><tr><td>索引号：</td><td>11350128MB1234567X/2024-00012</td>'
    "<td>发布机构：</td><td>某某区人民政府办公室</td></tr><tr><td>生成日期：</td>"
    "<td>2024-01-26</td><td>文号：</td><td>某政办〔2024〕3号</td></tr></table>"
)
_FOOT = (
    "<table><tr><td>【打印本页】</td><td>【关闭窗口】</td></tr></table><table><tr>"
    "<td>主办：某某区人民政府办公室</td><td>ICP备案：闽ICP备12345678号-1</td></tr></table>"
)
_FULL_WIDTH = str.maketrans("0123456789.", "０１２３４５６７８９．")

READ_AS_PRINTED: dict[str, Callable[[], str]] = {
    "trs-editor-zoom-center": lambda: page(
        wrap=lambda b: f'<div class="TRS_Editor"><div id="zoom"><center>{b}</center></div></div>'
    ),
    "site-metadata-and-footer-tables": lambda: page(
        wrap=lambda b: f'{_META}<div class="TRS_Editor">{b}</div>{_FOOT}'
    ),
    "page-laid-out-in-a-table": lambda: page(
        wrap=lambda b: (
            f"<table width=1000><tr><td>{_META}</td></tr><tr><td><table><tr>"
            f"<td>首页</td><td>政务公开</td></tr></table></td></tr><tr><td><div id=zoom>{b}</div>"
            f"</td></tr><tr><td>{_FOOT}</td></tr></table>"
        )
    ),
    "table-inside-p-and-span": lambda: page(
        table=lambda rows: f"<p><span><table border=1>{''.join(rows)}</table></span></p>"
    ),
    "a-tbody-per-row": lambda: page(
        table=lambda rows: "<table>" + "".join(f"<tbody>{r}</tbody>" for r in rows) + "</table>"
    ),
    "thead-tfoot-before-tbody": lambda: page(table=_three_sections),
    "tfoot-and-thead-in-reverse": lambda: page(table=_footer_first),
    "th-cells-everywhere": lambda: page(lambda t, r, c: td(t, r, c, "th")),
    "colgroup-and-caption": lambda: page(
        table=lambda rows: (
            "<table><caption>表</caption><colgroup><col width=100><col span=3>"
            f"</colgroup>{''.join(rows)}</table>"
        ),
        between=lambda heading: "",
    ),
    "paragraphs-and-br-in-cells": lambda: page(
        lambda t, r, c: td(f"<p>{t.replace(chr(10), '<br>')}</p><p>&nbsp;</p>" if t else "", r, c)
    ),
    "nbsp-and-ideographic-padding": figures(lambda t: f"&nbsp;\u3000{t}&emsp;&nbsp;"),
    "font-b-span-style": figures(
        lambda t: f'<font face="仿宋"><b><span style="font-size:14pt">{t}</span></b></font>'
    ),
    "digits-in-a-span-each": figures(lambda t: "".join(f"<span>{d}</span>" for d in t)),
    "zero-width-and-soft-hyphen": figures(lambda t: f"&#xfeff;{t[0]}&#8203;&shy;<wbr>{t[1:]}"),
    "figures-as-links": figures(lambda t: f'<a href="#" target="_blank">{t}</a>'),
    "full-width-digits": figures(lambda t: t.translate(_FULL_WIDTH)),
    "word-save-as-web-page": lambda: page(
        _word_cell,
        row=_word_row,
        table=_word_table,
        head=_WORD_HEAD,
        wrap=lambda b: f"<div class=WordSection1 style='layout-grid:15.6pt'>{b}</div>",
    ),
    "wps-export": lambda: page(
        _wps_cell,
        row=lambda cells: f'<tr style="height:28.35pt;">{cells}</tr>',
        table=lambda rows: (
            '<table class="MsoNormalTable" border="1" cellspacing="0" '
            f'style="mso-table-layout-alt:fixed;">{"".join(rows)}</table>'
        ),
        head='<meta http-equiv="Content-Type" content="text/html; charset=utf-8">'
        '<meta name="Generator" content="Microsoft Word 14">',
        wrap=lambda b: f'<div class="Section0" style="layout-grid:15.6pt;">{b}</div>',
    ),
    "header-rows-repeated-mid-table": lambda: page(table=_repeated_header),
    "three-tables-in-one": _one_table,
    "split-with-blank-paragraphs": lambda: _split("1.本机关不掌握相关政府信息", False),
    "split-repeating-the-header": lambda: _split("（五）不予处理", True),
    # the second part's rows short of the cells spanning down from the first: a browser draws
    # them shifted left (figures were read a column off, 134 of them)
    "cut-inside-a-group": lambda: _cut("2.其他法律行政法规禁止公开", False),
    "cut-before-a-group": lambda: _cut("（三）不予公开", False),
    "cut-before-the-total": lambda: _cut("（七）总计", False),
    "cut-inside-a-group-header-repeated": lambda: _cut("2.没有现成信息需要另行制作", True),
    "cut-before-a-group-header-repeated": lambda: _cut("（五）不予处理", True),
    "spans-padded-with-spaces": lambda: page(
        _spans(
            lambda r: f' rowspan="{r} "' if r > 1 else "",
            lambda c: f' colspan=" {c} "' if c > 1 else "",
        )
    ),
    "spans-with-units-and-fractions": lambda: page(
        _spans(lambda r: f' rowspan="{r}px"' if r > 1 else "", lambda c: f' colspan="{c}.0"')
    ),
    "span-one-written-0-negative-or-empty": lambda: page(
        _spans(
            lambda r: f' rowspan="{r}"' if r > 1 else ' rowspan="-1"',
            lambda c: f' colspan="{c}"' if c > 1 else ' colspan="0"',
        )
    ),
    "huge-colspan-closing-each-row": lambda: page(
        row=lambda cells: f'<tr>{cells}<td colspan="100000"></td></tr>'
    ),
    "huge-rowspan-under-the-table": lambda: page(
        table=lambda rows: (
            f"<table>{''.join(rows)}"
            '<tr><td rowspan="2147483648">x</td><td colspan="100000">y</td></tr></table>'
        )
    ),
}


@pytest.mark.parametrize("variant", READ_AS_PRINTED)
def test_a_content_system_variant_reads_every_figure_as_printed(tmp_path, variant):
    as_printed(read(tmp_path, READ_AS_PRINTED[variant]()))


_GBK_HEAD = '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">'
ENCODED: dict[str, Callable[[], bytes]] = {
    # a GBK page declaring its charset only after 1,024 (and after 8,192) bytes
    "gbk-meta-late": lambda: page(head=f"<!-- {'x' * 2000} -->{_GBK_HEAD}").encode("gbk"),
    "gbk-meta-very-late": lambda: page(head=f"<!-- {'x' * 9000} -->{_GBK_HEAD}").encode("gbk"),
    "gbk-bytes-meta-charset-utf8-first": lambda: page(
        head='<meta charset="utf-8">' + _GBK_HEAD.replace("gb2312", "gbk")
    ).encode("gbk"),
    "utf8-bytes-meta-gbk-first": lambda: page(head=_GBK_HEAD + '<meta charset="utf-8">').encode(),
    "utf8-bom-and-gb2312-meta": lambda: b"\xef\xbb\xbf" + page(head=_GBK_HEAD).encode(),
    "gb18030-bytes-big5-meta": lambda: page(head='<meta charset="big5">').encode("gb18030"),
    "utf16-with-bom": lambda: page(head='<meta charset="utf-16">').encode("utf-16"),
}


@pytest.mark.parametrize("variant", ENCODED)
def test_a_page_in_any_encoding_sites_serve_reads_every_figure_as_printed(tmp_path, variant):
    as_printed(read(tmp_path, "", ENCODED[variant]()))


@pytest.mark.parametrize("declared", ["iso-8859-1", "windows-1252", "us-ascii"])
def test_a_gbk_page_whose_template_declares_a_western_charset_is_read(tmp_path, declared):
    """The site's HTTP header said GBK; saved, the page keeps only its template's meta."""
    data = page(head=f'<meta charset="{declared}">').encode("gbk")
    as_printed(read(tmp_path, "", data))


@pytest.mark.parametrize("mark", ["-", "/", "——", "—", "无"])
def test_a_zero_printed_as_a_dash_or_word_is_blank_with_v05_at_each_such_cell(tmp_path, mark):
    ret = read(tmp_path, page(lambda t, r, c: td(mark if t == "0" else t, r, c)))
    zeros = {key for key, value in SOURCE.values.items() if value == 0}
    assert zeros and ret.values == {k: None if k in zeros else v for k, v in SOURCE.values.items()}
    findings = validate_return(ret)
    assert {f.rule for f in findings} == {Rule.V05}
    assert {p for f in findings for p in f.places} == {ret.places[key] for key in zeros}


# -- what a cell shows that is not text ----------------------------------------------------------------

NOT_TEXT = {
    "picture": ('<img src="/u/cms/num.png">', "〔图片〕"),
    "picture-with-alt-text": ('<img src="num.png" alt="7">', "〔图片〕"),
    "picture-in-a-paragraph": ('<p align=center><span><img src="n.gif"></span></p>', "〔图片〕"),
    "canvas": ("<canvas width=20 height=10></canvas>", "〔图片〕"),
    "input": ('<input type="text" value="7">', "〔输入框〕"),
    "select": ("<select><option selected>7</option></select>", "〔选择框〕"),
}


@pytest.mark.parametrize("variant", NOT_TEXT)
def test_a_figure_shown_as_a_picture_or_control_is_never_a_blank_cell(tmp_path, variant):
    markup, shown = NOT_TEXT[variant]
    ret = read(tmp_path, page(lambda t, r, c: td(markup if t == "7" else t, r, c)))
    assert SEVEN and {key: ret.values[key] for key in SEVEN} == dict.fromkeys(SEVEN, shown)
    assert {k: v for k, v in ret.values.items() if k not in SEVEN} == {
        k: v for k, v in SOURCE.values.items() if k not in SEVEN
    }
    findings = validate_return(ret)
    v01 = [f for f in findings if f.rule is Rule.V01]
    assert [f.places for f in v01] == [(ret.places[k],) for k in SEVEN]
    assert all(shown in f.message for f in v01)
    assert Rule.V04 not in {f.rule for f in findings}


def test_a_picture_beside_a_figure_or_hidden_in_a_blank_cell_changes_nothing(tmp_path):
    """An icon beside the figure is not the figure; a hidden picture shows nothing."""
    ret = read(
        tmp_path,
        page(
            lambda t, r, c: td(
                f'{t}<img src="i.gif">' if t == "7" else t or '<img hidden src="x.gif">', r, c
            )
        ),
    )
    as_printed(ret)


# -- pages whose tables are not text on the page -------------------------------------------------------

ELSEWHERE = {
    "tables-as-pictures": (
        lambda rows: '<p><img src="/u/cms/www/202401/biao.png" alt="表格"></p>',
        "3 张图片",
    ),
    "tables-in-an-iframe": (
        lambda rows: '<iframe src="/attach/table.html" width="100%"></iframe>',
        "框架（/attach/table.html）",
    ),
    "tables-in-an-iframe-srcdoc": (
        lambda rows: (
            '<iframe srcdoc="'
            + f"<table>{''.join(rows)}</table>".replace('"', "&quot;")
            + '"></iframe>'
        ),
        "iframe srcdoc",
    ),
    "tables-in-an-embedded-pdf": (
        lambda rows: '<embed src="/u/报告表格.pdf" type="application/pdf">',
        "文件（/u/报告表格.pdf）",
    ),
    "tables-in-an-attachment": (
        lambda rows: '<p>附件：<a href="/u/cms/2024年年报.pdf?id=3">2024年年报.pdf</a></p>',
        "附件（/u/cms/2024年年报.pdf?id=3）",
    ),
}


@pytest.mark.parametrize("variant", ELSEWHERE)
def test_a_page_without_its_tables_as_text_is_refused_saying_where_they_are(tmp_path, variant):
    table, said = ELSEWHERE[variant]
    message = refused(saved(tmp_path, page(table=table)), Rule.F02)
    assert message.startswith("文件「报告.html」中没有可读取的统计表") and said in message


def test_a_page_with_its_tables_and_a_logo_or_attachment_is_read(tmp_path):
    html = page(
        wrap=lambda b: (
            f'<img src="/logo.png"><iframe src="/share.html"></iframe>{b}'
            '<a href="/u/原文.pdf">下载原文</a>'
        )
    )
    as_printed(read(tmp_path, html))
