"""Web pages where what a browser shows differs from what is in the file: a figure is read as
the browser shows it, or the cell says why not (V01); an old figure kept out of sight beside
the new one never glues into a wrong number.

What was wrong before this sweep:

- text a browser does not show for its size (``font-size:0``), its colour (white on a white
  page, or the colour of the cell's background), ``opacity:0``, a box of no height that hides
  what overflows it, or a rule of the page's own ``<style>`` sheet was read: a hidden 「1」
  before 58 was read as 158, with no finding at all;
- a rowspan written past ``</thead>`` pushed the first body row to the right, as no browser
  draws it: its figures were read under the wrong columns;
- a page with 表二 and 表四 as text and 表三 as a picture got an L01 that said which labels
  were missing, not that the table was probably a picture.
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
from nianbao.recognise.reader import UnknownLayout, read_return
from nianbao.sources.dispatch import open_source
from nianbao.sources.preflight import UnreadableFile
from tests.support.documents import Printing, report_html, report_tables
from tests.support.returns import balanced_inputs

FORM = get_form("2021")
# 表二, 第二十条第（五）项 行政许可: no balance rule would catch a wrong figure there
KEY = "二:20-5.1:c1"
TITLE = "某某区人民政府\n2024年政府信息公开工作年度报告"
MARK = "@@"  # where the cell's markup starts, for a test to dress its <td>


def source(figure: int = 58) -> Return:
    inputs = balanced_inputs(FORM, random.Random(3))
    inputs[KEY] = figure
    return filled_return(FORM, inputs, unit="某某区人民政府", year=2024)


def web_page(cell: str, figure: int = 58, head: str = "", td: str = "") -> str:
    """The report as a web page, the 行政许可 cell printed as ``cell`` ({} the figure), ``td``
    added to its <td>'s attributes, ``head`` to the page's head."""

    def printed(key: str, value: object) -> str:
        return MARK + cell.format(value) if key == KEY else str(value)

    page = report_html(FORM, source(figure).values, Printing(title=TITLE, text=printed))
    page, dressed = re.subn(
        f"<td([^>]*)><p class=MsoNormal><span>{MARK}", rf"<td\1{td}><p class=MsoNormal><span>", page
    )
    assert dressed == 1
    return page.replace("</head>", f"{head}</head>")


def read(tmp_path: Path, page: str) -> Return:
    path = tmp_path / "报告.html"
    path.write_text(page, encoding="utf-8")
    return read_return(path)


def as_printed(ret: Return, figure: int = 58) -> None:
    assert ret.values == source(figure).values
    assert validate_return(ret) == []


def read_as_text(ret: Return, shown: str, figure: int = 58) -> None:
    """The 行政许可 cell holds ``shown`` (no figure), rejected at that cell (V01) alone."""
    assert ret.values[KEY] == shown
    assert {k: v for k, v in ret.values.items() if k != KEY} == {
        k: v for k, v in source(figure).values.items() if k != KEY
    }
    findings = validate_return(ret)
    assert [f.places for f in findings if f.rule is Rule.V01] == [(ret.places[KEY],)]


# -- 1. text there but not shown ------------------------------------------------------------------

NOT_SHOWN = {
    "font-size-0": '<span style="font-size:0">1</span>{}',
    "font-size-0px-after": '{}<span style="font-size: 0px">0</span>',
    "font-shorthand-0": '<span style="font:0/0 a">1</span>{}',
    "font-size-0-em-inside-stays-0": '<span style="font-size:0">1<b style="font-size:2em">9</b></span>{}',
    "font-size-0-reset-by-a-child": '<span style="font-size:0">1<b style="font-size:12pt">{}</b></span>',
    "white-hex-short": '<span style="color:#fff">1</span>{}',
    "white-hex-long-upper": '<span style="COLOR: #FFFFFF">1</span>{}',
    "white-word": '<span style="color:white">1</span>{}',
    "white-rgb": '<span style="color: rgb(255, 255, 255)">1</span>{}',
    "near-white": '<span style="color:#fdfdfd">1</span>{}',
    "font-color-white": '<font color="#ffffff">1</font>{}',
    "transparent-text": '<span style="color:rgba(0,0,0,0)">1</span>{}',
    "opacity-0": '<span style="opacity:0">1</span>{}',
    "opacity-0-child-cannot-undo": '<span style="opacity:0">1<b style="opacity:1">9</b></span>{}',
    "height-0-overflow-hidden-div": '<div style="height:0;overflow:hidden">1</div>{}',
    "height-0-inline-block": '<span style="display:inline-block;height:0;overflow:hidden">1</span>{}',
    "max-height-0-overflow-y": '<p style="max-height:0px;overflow-y:hidden">1</p>{}',
    "clipped-to-nothing": '<span style="position:absolute;clip:rect(0 0 0 0)">1</span>{}',
    "off-the-page": '<span style="position:absolute;left:-9999px">1</span>{}',
    "white-hsl": '<span style="color:hsl(0, 0%, 100%)">1</span>{}',
    "white-hsl-spaces-turn": '<span style="color:hsl(0.5turn 0% 100%)">1</span>{}',
    "content-visibility-hidden": '{}<span style="content-visibility:hidden">9</span>',
    "ruby-brackets": "<ruby>{}<rp>(</rp><rt></rt><rp>)</rp></ruby>",
    "snow-named-colour": '<span style="color:Snow">1</span>{}',
    "ghostwhite-named-colour": '{}<span style="color:ghostwhite">0</span>',
    "letters-filled-see-through": '<span style="-webkit-text-fill-color:transparent">1</span>{}',
    "filter-opacity-0": '<span style="filter: opacity(0%)">1</span>{}',
    "clip-path-inset-100": '<span style="clip-path:inset(100%)">1</span>{}',
    "clip-path-circle-0": '{}<span style="clip-path:circle(0 at 50% 50%)">0</span>',
    "outlined-letters-show": (
        '<span style="-webkit-text-fill-color:transparent;-webkit-text-stroke:1px #000">{}</span>'
    ),
}


@pytest.mark.parametrize("cell", NOT_SHOWN.values(), ids=NOT_SHOWN)
def test_text_a_browser_does_not_show_is_not_read(tmp_path, cell):
    as_printed(read(tmp_path, web_page(cell)))


PINNED_NOT_SHOWN = {  # read right before this sweep too: pinned
    "visibility-hidden": '<span style="visibility:hidden">1</span>{}',
    "hidden-attribute": "<span hidden>1</span>{}",
    "template": "<template>1</template>{}",
    "noscript": "<noscript>1</noscript>{}",
    "comment": "<!-- 1 -->{}",
    "comment-between-digits": "5<!-- 1 -->8",
}


@pytest.mark.parametrize("cell", PINNED_NOT_SHOWN.values(), ids=PINNED_NOT_SHOWN)
def test_hidden_text_template_noscript_and_comments_stay_unread(tmp_path, cell):
    as_printed(read(tmp_path, web_page(cell)))


def test_a_figure_in_a_colour_of_its_own_cell_background_is_not_read(tmp_path):
    page = web_page('<span style="color:#ffffcc">1</span>{}', td=" bgcolor='#FFFFCC'")
    as_printed(read(tmp_path, page))


SHOWN = {  # what does show is read, hidden text beside it or not
    "white-on-a-dark-cell": (
        '<div style="background:#003366"><span style="color:#fff">{}</span></div>',
        58,
    ),
    "white-on-a-picture": (
        '<div style="background:url(b.png)"><span style="color:#fff">{}</span></div>',
        58,
    ),
    "height-0-inline-shows": ('<span style="height:0;overflow:hidden">1</span>{}', 158),
    "font-size-0-in-a-parent-set-back": (
        '<span style="font-size:0"><span style="font-size:14px">1</span></span>{}',
        158,
    ),
    "colour-set-back": ('<span style="color:#fff"><b style="color:#000">1</b></span>{}', 158),
}


@pytest.mark.parametrize("cell, figure", SHOWN.values(), ids=SHOWN)
def test_text_a_browser_shows_is_read(tmp_path, cell, figure):
    ret = read(tmp_path, web_page(cell))
    assert ret.values[KEY] == figure


def test_invisible_text_between_digits_keeps_its_room_so_no_number_is_glued(tmp_path):
    """A browser draws 「5 8」 (the white 0 takes its place on the line): not 508, nor 58."""
    read_as_text(read(tmp_path, web_page('5<span style="color:#fff">0</span>8')), "5 8")


# -- the page's own <style> sheet --------------------------------------------------------------------

SHEET_HIDES = {
    "class": (".old{display:none}", '<span class="old">1</span>{}'),
    "id": ("#was { visibility: hidden }", '<span id="was">1</span>{}'),
    "tag-and-class": ("span.x{font-size:0}", '<span class="a x">1</span>{}'),
    "descendant": ("div.TRS_Editor td .old{color:#fff}", '<span class="old">1</span>{}'),
    "child": ("span > span.old{opacity:0}", '<span class="old">1</span>{}'),
    "selector-list": ("h1, .old , .other{display:none}", '<span class="old">1</span>{}'),
    "in-a-comment-wrapper": ("<!-- .old{display:none} -->", '<span class="old">1</span>{}'),
    "media-screen": ("@media screen{.old{display:none}}", '<span class="old">1</span>{}'),
    "sheet-important-over-inline": (
        ".old{display:none !important}",
        '<span class="old" style="display:inline">1</span>{}',
    ),
    "more-specific-wins": (
        "#k{display:none} span.old{display:inline}",
        '<span id="k" class="old">1</span>{}',
    ),
}


@pytest.mark.parametrize("sheet, cell", SHEET_HIDES.values(), ids=SHEET_HIDES)
def test_text_hidden_by_a_rule_of_the_page_style_sheet_is_not_read(tmp_path, sheet, cell):
    page = web_page(cell, head=f"<style>{sheet}</style>")
    page = page.replace("<div class=WordSection1>", "<div class='WordSection1 TRS_Editor'>")
    as_printed(read(tmp_path, page))


SHEET_SHOWS = {
    "inline-over-sheet": (
        ".old{display:none}",
        '<span class="old" style="display:inline">1</span>{}',
    ),
    "print-only-rule": ("@media print{.old{display:none}}", '<span class="old">1</span>{}'),
    "print-only-sheet": (
        '<style media="print">.old{display:none}</style>',
        '<span class="old">1</span>{}',
    ),
    "hover-rule": (".old:hover{display:none}", '<span class="old">1</span>{}'),
    "other-class": (".olds{display:none}", '<span class="old">1</span>{}'),
    "ancestor-not-there": ("table.other .old{display:none}", '<span class="old">1</span>{}'),
}


@pytest.mark.parametrize("sheet, cell", SHEET_SHOWS.values(), ids=SHEET_SHOWS)
def test_a_sheet_rule_that_does_not_apply_on_screen_hides_nothing(tmp_path, sheet, cell):
    head = sheet if sheet.startswith("<style") else f"<style>{sheet}</style>"
    assert read(tmp_path, web_page(cell, head=head)).values[KEY] == 158


DOUBTFUL = {
    "first-child": ".old:first-child{display:none}",
    "attribute": "span.old[title]{visibility:hidden}",
    "sibling": "b + .old{font-size:0}",
    "before-content": '.old::before{content:"1"}',
}


@pytest.mark.parametrize("sheet", DOUBTFUL.values(), ids=DOUBTFUL)
def test_a_sheet_rule_nianbao_cannot_match_makes_the_cell_doubtful_not_a_figure(tmp_path, sheet):
    page = web_page('<span class="old" title="t">1</span>{}', head=f"<style>{sheet}</style>")
    ret = read(tmp_path, page)
    read_as_text(ret, "〔网页的样式可能隐藏或改动了此处的文字〕158")


# Rules CMS sites' own style sheets hold: white text on a coloured header row, a rule of a
# navigation list or a sidebar; none hides a figure of the report.
SITE_SHEETS = {
    "header-row-white-on-blue": "table tr:first-child td{color:#fff;background:#1a5fa8}",
    "first-column-white-on-colour": "td:first-child{color:#ffffff;background-color:#336699}",
    "sidebar-first-paragraph": ".sidebar p:first-child{display:none}",
    "navigation-list": ".nav li + li{display:none} li:first-child{visibility:hidden}",
    "hover-white": "tr:hover td{color:#fff}",
}


@pytest.mark.parametrize("sheet", SITE_SHEETS.values(), ids=SITE_SHEETS)
def test_a_sites_style_sheet_that_hides_no_figure_leaves_every_figure_read(tmp_path, sheet):
    """Before: a rule nianbao cannot match made every element of its last tag doubtful (every
    <td>, every <p>, whatever stood before it in the selector), and a white colour hid even
    where the rule gave its own background: the labels were lost and the page refused (L01)."""
    as_printed(read(tmp_path, web_page("{}", head=f"<style>{sheet}</style>")))


# -- 2. some of the tables as pictures ---------------------------------------------------------------

VALUES = source().values


def site_page(table: Callable[[str, list[str]], str]) -> str:
    """SOURCE as a content system's page, each statutory table as ``table(heading, rows)``."""
    body = [f"<h1>{TITLE}</h1><p>一、总体情况</p>"]
    for heading, rows in report_tables(FORM, VALUES, Printing(title=TITLE)):
        lines = [
            "<tr>"
            + "".join(f"<td rowspan={c.rowspan} colspan={c.colspan}>{c.text}</td>" for c in line)
            + "</tr>"
            for line in rows
        ]
        body.append(f"<p>{heading}</p>" + table(heading, lines))
    return (
        '<html><head><meta charset="utf-8"><title>年报</title></head>'
        f"<body><img src='/logo.png'>{''.join(body)}</body></html>"
    )


def _picture_for(short: str) -> Callable[[str, list[str]], str]:
    return lambda heading, rows: (
        f'<p><img src="/u/cms/{short}.png"></p>'
        if heading.startswith(short[-1])
        else f"<table border=1>{''.join(rows)}</table>"
    )


@pytest.mark.parametrize("short", ["表二", "表三", "表四"])
@pytest.mark.parametrize(
    "widget", ["", "<iframe src='https://tianqi.example.com/w?id=26'></iframe>"]
)
def test_a_table_published_as_a_picture_among_text_tables_is_refused_saying_so(
    tmp_path, short, widget
):
    """The picture where the table would be is named, not a frame elsewhere on the page (a
    weather widget was named as where 表三 might be)."""
    path = tmp_path / "报告.html"
    path.write_text(site_page(_picture_for(short)).replace("<h1>", widget + "<h1>"), "utf-8")
    with pytest.raises((UnknownLayout, UnreadableFile)) as caught:
        read_return(path)
    finding = caught.value.finding
    assert finding.rule is Rule.L01
    assert finding.message.startswith(f"文件「报告.html」中没有可读取的{short}「")
    assert f"在应有表格的位置有图片：{short}可能是以图片形式发布的" in finding.message
    assert "不做文字识别" in finding.message and "框架" not in finding.message


def test_a_picture_elsewhere_on_the_page_is_counted_not_placed(tmp_path):
    """表三 left out with no picture in its place: the page's pictures are counted, as
    before, where nothing better is known."""
    page = site_page(
        lambda h, rows: "" if h.startswith("三") else f"<table>{''.join(rows)}</table>"
    )
    path = tmp_path / "报告.html"
    path.write_text(page, encoding="utf-8")
    with pytest.raises((UnknownLayout, UnreadableFile)) as caught:
        read_return(path)
    assert "网页中有 1 张图片：表三可能是以图片形式发布的" in caught.value.finding.message


def test_a_table_left_out_of_a_page_without_pictures_is_still_named_by_its_labels(tmp_path):
    page = site_page(
        lambda heading, rows: (
            "" if heading.startswith("三") else f"<table border=1>{''.join(rows)}</table>"
        )
    ).replace("<img src='/logo.png'>", "")
    with pytest.raises(UnknownLayout) as caught:
        read(tmp_path, page)
    assert caught.value.finding.rule is Rule.L01
    assert "图片" not in caught.value.finding.message
    assert "未找到「三、收到和处理政府信息公开申请情况」表" in caught.value.finding.message


# -- 3. a rowspan written past its row group ---------------------------------------------------------


def test_a_header_rowspan_written_past_thead_ends_there_as_in_a_browser(tmp_path):
    """表三's corner cell says rowspan=4 over a 3-row <thead>: browsers end it at </thead>."""

    def table(heading: str, rows: list[str]) -> str:
        if not heading.startswith("三"):
            return f"<table border=1>{''.join(rows)}</table>"
        first = rows[0].replace("rowspan=3", "rowspan=4", 1)
        assert first != rows[0]
        return (
            f"<table border=1><thead>{first}{''.join(rows[1:3])}</thead>"
            f"<tbody>{''.join(rows[3:])}</tbody></table>"
        )

    as_printed(read(tmp_path, site_page(table).replace("<img src='/logo.png'>", "")))


# -- 4. pieces of a figure -------------------------------------------------------------------------------

PIECES = {  # markup, figure in the source, read as
    "br-in-a-figure": ("12<br>3", 123, "12\n3"),
    "sup-mark": ("{}<sup>1</sup>", 58, "58¹"),
    "sub-mark": ("{}<sub>2</sub>", 58, "58₂"),
    "sup-circled": ("{}<sup>①</sup>", 58, "58①"),
    "nbsp-between-digits": ("5&nbsp;8", 58, "5 8"),
    "ruby-annotation": ("<ruby>{}<rt>9</rt></ruby>", 58, "58⁹"),
    "span-as-block": ('<span style="display:block">5</span><span>8</span>', 58, "5\n8"),
    "details-read-opened": ("{}<details><summary></summary>9</details>", 58, "58\n9"),
}


@pytest.mark.parametrize("cell, figure, shown", PIECES.values(), ids=PIECES)
def test_a_figure_in_pieces_a_person_could_not_be_sure_of_is_no_figure(
    tmp_path, cell, figure, shown
):
    read_as_text(read(tmp_path, web_page(cell, figure)), shown, figure)


RESHAPED = {  # inline styling that may hide, move or reorder the digits: no figure is read
    "transform-scale-0": '{}<span style="display:inline-block;transform:scale(0)">9</span>',
    "transform-mirror": '<span style="display:inline-block;transform:scaleX(-1)">{}</span>',
    "float-right": '<span style="float:right">8</span>5',
    "float-left": '5<span style="float:left">8</span>',
    "negative-indent": '{}<span style="text-indent:-9999px;display:block">9</span>',
    "right-to-left-override": '<span style="direction:rtl;unicode-bidi:bidi-override">85</span>',
    "font-1px": '{}<span style="font-size:1px">9</span>',
    "font-half-point": '{}<span style="font-size:0.5pt">9</span>',
}


@pytest.mark.parametrize("cell", RESHAPED.values(), ids=RESHAPED)
def test_a_figure_under_inline_styling_that_reshapes_it_is_doubtful_not_read(tmp_path, cell):
    ret = read(tmp_path, web_page(cell))
    shown = ret.values[KEY]
    assert isinstance(shown, str) and shown.startswith("〔网页的样式可能隐藏或改动了此处的文字〕")
    read_as_text(ret, shown)


def test_a_small_but_legible_font_and_a_positive_indent_are_read(tmp_path):
    cell = '<span style="font-size:6pt;text-indent:2em;float:none;transform:none">{}</span>'
    as_printed(read(tmp_path, web_page(cell)))


GROUPED = {
    "thin-space-grouping": "1&thinsp;234",
    "nbsp-grouping": "1&nbsp;234",
    "narrow-nbsp-grouping": "1&#8239;234",
    "br-grouping": "1<br>234",
}


@pytest.mark.parametrize("cell", GROUPED.values(), ids=GROUPED)
def test_digits_grouped_by_three_are_read_with_v06(tmp_path, cell):
    ret = read(tmp_path, web_page(cell, 1234))
    assert ret.values == source(1234).values
    findings = validate_return(ret)
    assert {f.rule for f in findings} == {Rule.V06}
    assert [f.places for f in findings] == [(ret.places[KEY],)]


@pytest.mark.parametrize(
    "cell", ["１２３４", '<a href="#">1</a>234', "1<span>2</span>34", "<font>12</font><b>34</b>"]
)
def test_full_width_digits_and_digits_in_pieces_of_markup_read_as_one_figure(tmp_path, cell):
    as_printed(read(tmp_path, web_page(cell, 1234)), 1234)


# -- 5. statutory tables inside a layout table ---------------------------------------------------------


LAYOUTS = {
    "content-cell-beside-a-sidebar-of-counts": lambda body: (
        "<table width=1000><tr><td width=200><table><tr><td>访问量</td><td>12345</td></tr>"
        "<tr><td>今日</td><td>67</td></tr><tr><td>在线</td><td>8</td></tr></table></td>"
        f"<td>{body}</td></tr></table>"
    ),
    "each-table-in-a-two-cell-layout-row": None,
}


def test_a_statutory_table_in_a_layout_table_cell_is_read_and_the_layout_ignored(tmp_path):
    wrap = LAYOUTS["content-cell-beside-a-sidebar-of-counts"]
    assert wrap is not None
    page = site_page(lambda heading, rows: f"<table border=1>{''.join(rows)}</table>")
    start, end = page.index("<h1>"), page.index("</body>")
    page = page[:start] + wrap(page[start:end]) + page[end:]
    ret = read(tmp_path, page.replace("<img src='/logo.png'>", ""))
    as_printed(ret)
    with open_source(tmp_path / "报告.html") as grid:
        assert "访问量" in str(grid.sheets[0].rows)  # a table of its own, beside the report


def test_each_statutory_table_wrapped_in_a_layout_row_of_its_own_is_read(tmp_path):
    page = site_page(
        lambda heading, rows: (
            f"<table><tr><td>{heading[0]}</td><td><table border=1>{''.join(rows)}</table>"
            "</td></tr></table>"
        )
    )
    as_printed(read(tmp_path, page.replace("<img src='/logo.png'>", "")))
