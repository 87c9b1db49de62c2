"""The season's paper: what a coordinator prints, rendered by LibreOffice to PDF and read back.

报送情况 on one A4 landscape page with the contacts; the summary's 分单位明细 broken between
column groups exactly as planned (each page's 合计 row holds that page's columns, the unit
names on every page); the annotated copy's 校验意见 landscape and titled, its marks printed in
colour, a wrong decimal shown as typed.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from nianbao.form.layout import layout_for
from nianbao.recognise.reader import read_return
from nianbao.xlsx.annotate import SHEET as ANNOTATION_SHEET
from nianbao.xlsx.summary import page_breaks
from tests.support.season import FORM, UNITS, build, run, run_district_merge
from tests.support.soffice import convert_many, requires_soffice

pdfplumber = pytest.importorskip("pdfplumber")
pytestmark = requires_soffice

A4_LANDSCAPE = (842, 595)  # points, rounded
MERGED = [
    "东城甲街道办事处",
    "东城乙街道办事处",
    "东城戊局",
    "西城甲局",
    "西城乙局",
    "西城丙街道办事处",
    "西城丁街道办事处",
    "西城戊局",
]


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    season = build(tmp_path_factory.mktemp("print"))
    root = season.root
    status = root / "报送情况.xlsx"
    run("status", season.returns, "--roster", season.roster, "-o", status)
    summary = root / "区汇总.xlsx"
    result = run_district_merge(season, summary)
    assert summary.exists(), result.output
    # a count typed with a decimal: the template's "0" format would print it as 2
    decimal_file = root / "小数" / "西城丙街道办事处.xlsx"
    decimal_file.parent.mkdir()
    book = openpyxl.load_workbook(season.file("西城丙街道办事处"))
    sheet, a1 = layout_for(FORM).address("三:3.1:c1")
    book[sheet][a1] = 1.5
    book.save(decimal_file)
    run("check", decimal_file, "--annotate", root / "退回")
    annotated = root / "退回" / "西城丙街道办事处-校验意见.xlsx"
    assert annotated.exists()
    files = {"status": status, "summary": summary, "annotated": annotated}
    pdfs = dict(zip(files, convert_many(list(files.values()), "pdf", root / "pdf"), strict=True))
    return season, files, pdfs


@pytest.fixture(scope="module")
def printed_pages(printed) -> dict[str, list]:
    """Each PDF's pages as :func:`pages` reads them, read once for every test (no test changes
    them)."""
    _, _, pdfs = printed
    return {name: pages(pdf) for name, pdf in pdfs.items()}


def pages(pdf: Path) -> list:
    with pdfplumber.open(pdf) as document:
        return [
            {
                "size": (round(p.width), round(p.height)),
                "text": p.extract_text() or "",
                "words": p.extract_words(),
                "fills": {
                    tuple(round(c, 2) for c in r["non_stroking_color"])
                    for r in p.rects
                    if isinstance(r.get("non_stroking_color"), list | tuple)
                },
            }
            for p in document.pages
        ]


def sheet_pages(all_pages: list, sheet: str) -> list:
    """The pages of one sheet of a workbook's PDF: its footer names it."""
    return [p for p in all_pages if re.search(rf"{sheet} 第 \d+ 页", p["text"])]


def test_status_prints_on_one_landscape_page_with_every_unit_and_contact(printed_pages):
    (page,) = printed_pages["status"]
    assert page["size"] == A4_LANDSCAPE
    for unit in UNITS:
        assert unit.name in page["text"] and unit.email in page["text"]  # the last column
    # the statuses are printed in colour (未报 grey, 有错误 red, 已报通过 green)
    assert {(0.89, 0.94, 0.85), (1.0, 0.78, 0.81)} <= page["fills"]


def test_breakdown_pages_break_between_column_groups_exactly_as_planned(printed, printed_pages):
    _, files, _ = printed
    breakdown = sheet_pages(printed_pages["summary"], "分单位明细")
    breaks = page_breaks(FORM)
    assert len(breakdown) == len(breaks) + 1  # no page overflowed into an extra one
    summary = read_return(files["summary"])
    starts = [1, *breaks]
    for page, start, end in zip(breakdown, starts, [*breaks, None], strict=True):
        assert page["size"] == A4_LANDSCAPE
        for name in MERGED:  # the unit names on every page
            assert name in page["text"]
        if end is None:
            continue  # the tail page: 上级单位, 单位代码, 文件
        total = next(w for w in page["words"] if w["text"] == "合计")
        row = [w["text"] for w in page["words"] if abs(w["top"] - total["top"]) < 2][1:]
        expected = [summary.values[c.key] for c in FORM.cells[start - 1 : end - 1]]
        assert [Decimal(x) for x in row] == [Decimal(str(v)) for v in expected]


def test_the_other_sheets_fit_the_width_of_a_landscape_page(printed_pages):
    everything = printed_pages["summary"]
    for sheet, most in (("报送情况", 1), ("校验问题", 2), ("与上年对比", 1)):
        found = sheet_pages(everything, sheet)
        assert 1 <= len(found) <= most, sheet
        assert all(p["size"] == A4_LANDSCAPE for p in found)
    year = sheet_pages(everything, "与上年对比")[0]["text"]
    assert "规范性文件现行有效" in year and "提示" in year  # the last column group and the flags
    reconcile = sheet_pages(everything, "核对上报汇总")
    assert reconcile and "相差" in reconcile[0]["text"]


def test_the_summary_is_not_a_form_to_fill_in(printed, printed_pages):
    _, files, _ = printed
    book = openpyxl.load_workbook(files["summary"])
    sheet, a1 = layout_for(FORM).address("三:1:c1")
    cell = book[sheet][a1]
    assert cell.fill.fill_type is None and cell.protection.locked  # not a yellow input cell
    assert cell.number_format == "General"
    cover = printed_pages["summary"][0]["text"]
    assert "汇总说明" in cover and "不需要填写" in cover
    assert "请只在浅黄色的格子里填写" not in cover


def test_the_annotated_copy_prints_its_opinions_titled_in_colour_and_the_decimal_as_typed(
    printed, printed_pages
):
    _, files, _ = printed
    book = openpyxl.load_workbook(files["annotated"])
    assert all(not ws.page_setup.blackAndWhite for ws in book.worksheets)
    everything = printed_pages["annotated"]
    opinions = everything[0]
    assert opinions["size"] == A4_LANDSCAPE
    assert "校验意见：西城丙街道办事处" in opinions["text"]
    assert "文件：西城丙街道办事处.xlsx" in opinions["text"] and "校验日期：" in opinions["text"]
    assert "V03" in opinions["text"]
    table = next(p for p in everything if p["text"].startswith("三、收到和处理"))
    assert "1.5" in table["text"]  # not rounded to 2 by the template's "0" format
    assert (1.0, 0.78, 0.81) in table["fills"]  # the red mark prints
    assert book.sheetnames[0] == ANNOTATION_SHEET
