"""The unit a report's title line gives: breadcrumbs, file names, site titles and sentences
quoting the title are stripped from before the unit, and a unit whose own name holds > / : " &
or is longer than 60 characters reads back whole (or, cut where it cannot be told, unknown:
never silently another unit's name)."""

from __future__ import annotations

import pytest

from nianbao.recognise.reader import _text_title

T = "2021年政府信息公开工作年度报告"

# Lines a web page, a file listing or a sentence prints the title in: the unit is 某某区财政局.
AROUND_THE_TITLE = {
    "breadcrumb >": f"首页 > 政务公开 > 年度报告 > 某某区财政局{T}",
    "breadcrumb > compact": f"首页>政务公开>年度报告>某某区财政局{T}",
    "breadcrumb »": f"首页 » 信息公开 » 某某区财政局{T}",
    "breadcrumb /": f"首页 / 政府信息公开 / 某某区财政局{T}",
    "breadcrumb ｜": f"政务公开｜年报｜某某区财政局{T}",
    "breadcrumb | one": f"某某区人民政府门户网站 | 某某区财政局{T}",
    "当前位置": f"当前位置：首页 > 信息公开 > 某某区财政局{T}",
    "您的位置": f"您的位置：首页>政府信息公开>年报>某某区财政局{T}",
    "位置 alone": f"位置：某某区财政局{T}",
    "file name": f"附件1：某某区财政局{T}.docx",
    "file name no number": f"附件：某某区财政局{T}.pdf",
    "file path": f"政务公开/年度报告/某某区财政局{T}.pdf",
    "sentence 《》": f"现将《某某区财政局{T}》公布如下。",
    "sentence “”": f"现将“某某区财政局{T}”予以公布。",
    "sentence 详见": f"具体内容详见《某某区财政局{T}》",
    "site title": f"某某区财政局 - {T} - 某某市人民政府网",
    "site title after": f"某某区财政局{T}_某某市人民政府",
    "site title before": f"某某市人民政府网 - 某某区财政局{T}",
    "site title —": f"某某市人民政府 — 某某区财政局{T}",
    "underscore": f"政府信息公开_某某区财政局{T}",
    "标题": f"标题：某某区财政局{T}",
    # a date before the title is no part of the unit, though a year may be (below)
    "date before": f"2022年1月5日 某某区财政局{T}",
    "published in": f"发布时间：2022年 某某区财政局{T}",
    "year alone before": f"2022年某某区财政局{T}",
}


@pytest.mark.parametrize("line", AROUND_THE_TITLE.values(), ids=list(AROUND_THE_TITLE))
def test_breadcrumbs_file_names_and_quotations_are_not_the_unit(line):
    assert _text_title(f"{line}\n一、总体情况\n") == ("某某区财政局", 2021)


# The line above a title that starts with the year (a title set on two lines): the unit is
# 某某区财政局, after what a page prints before it.
HEADINGS = [
    "某某区财政局",
    "首页 > 政务公开 > 某某区财政局",
    "当前位置：首页>信息公开>某某区财政局",
    "附件1：某某区财政局",
    "某某市人民政府网 | 某某区财政局",
]


@pytest.mark.parametrize("heading", HEADINGS)
def test_a_title_starting_with_the_year_takes_the_unit_from_the_heading_above(heading):
    assert _text_title(f"{heading}\n{T}\n一、总体情况\n") == ("某某区财政局", 2021)


def test_a_breadcrumb_above_a_title_starting_with_the_year_is_no_unit():
    assert _text_title(f"首页 > 政务公开 > 年度报告 >\n{T}\n") == (None, 2021)
    assert _text_title(f"首页>政务公开>{T}\n") == (None, 2021)


LONG = (
    "黑龙江省哈尔滨市道外区人民政府办公室（区政务服务管理办公室、区大数据中心、"
    "区营商环境建设监督局）关于政务公开工作的领导小组办公室"
)
# Names that hold a breadcrumb's or a quotation's character themselves.
ODD_NAMES = [
    '<b>某某</b>局&"测试"',
    "甲/乙局:联合办公室",
    "某某局＆“测试”中心",
    "哈尔滨市道外区（市场监督管理局）[试点]",
    LONG,
]


@pytest.mark.parametrize("name", ODD_NAMES)
def test_an_odd_unit_name_on_the_title_line_reads_back_whole(name):
    assert _text_title(f"{name}{T}\n一、总体情况\n") == (name, 2021)


@pytest.mark.parametrize("name", ODD_NAMES)
def test_an_odd_unit_name_on_the_line_above_reads_back_whole(name):
    assert _text_title(f"{name}\n{T}\n一、总体情况\n") == (name, 2021)


@pytest.mark.parametrize("name", ODD_NAMES)
def test_an_odd_unit_name_in_a_quoted_title_reads_back_whole(name):
    assert _text_title(f"现将《{name}{T}》公布如下。\n") == (name, 2021)


@pytest.mark.parametrize("name", ["甲/乙局:联合办公室", '<b>某某</b>局&"测试"'])
def test_an_odd_unit_name_after_breadcrumbs_reads_back_after_them(name):
    assert _text_title(f"当前位置：首页 > 政务公开 > {name}{T}\n") == (name, 2021)


def test_a_long_name_cut_in_a_sentence_is_unknown_not_its_tail():
    # a line with more before the title than any unit's name: which part is the unit?
    line = "本单位" + "按照上级要求认真做好各项工作，" * 8 + f"某某局{T}已编制完成。"
    unit, year = _text_title(line)
    assert year == 2021
    assert unit is None


def test_a_long_heading_reads_back_whole():
    assert _text_title(f"{LONG}{T}\n") == (LONG, 2021)


@pytest.mark.parametrize(
    "unit", ["道外区2021年第七次全国人口普查领导小组办公室", "某市2022年冬运会筹备委员会办公室"]
)
def test_a_year_inside_a_units_name_is_part_of_it(unit):
    assert _text_title(f"{unit}{T}") == (unit, 2021)
