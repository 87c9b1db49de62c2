"""A statutory table that carries a long 注 row (one cell spanning the whole table, over
PROSE_CHARS characters) is still a data table: real reports put such notes in their tables. Page
layout stays layout: a page wrapped in a table, a table nesting others, a long cell beside others.
The same for Word, which has no such threshold."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from nianbao.checks.engine import validate_return
from nianbao.cli import cli
from nianbao.form import get_form
from nianbao.recognise.reader import read_return
from nianbao.sources.dispatch import open_source
from nianbao.sources.document import PROSE_CHARS
from tests.support.documents import report_docx, report_html, w_cell, w_row
from tests.support.returns import valid_return

ROOT = Path(__file__).resolve().parent.parent
EDU = ROOT / "samples" / "2021" / "道外区教育局.xlsx"
FORM = get_form("2021")
TITLE = "某某区人民政府2024年政府信息公开工作年度报告"

NOTE = (
    "注：本表“本年新收政府信息公开申请数量”包括通过政府网站、信函、当面等渠道提交的申请；"
    "“上年结转”为2024年度受理、跨年度办理的申请；“结转下年度继续办理”为12月下旬受理、依法在下一年度答复的申请；"
    "同一申请人就同一事项重复提出的申请按一件统计；申请人在答复期限内撤回的申请计入“其他处理”；"
    "涉及多个申请事项的申请按申请件数统计，不按事项拆分统计；本表数据来源为本机关依申请公开登记台账，经办公室负责人审核后填报。"
)
PROSE = "本机关坚持以公开为常态、不公开为例外，不断完善政府信息公开工作机制。" * 8


def test_the_notes_are_longer_than_running_prose():
    assert len(NOTE) > PROSE_CHARS and len(PROSE) > PROSE_CHARS


def _with_note(page: str, nth: int, *, colspan: int) -> str:
    """``page`` with a row of one cell (NOTE) at the end of its ``nth`` table (1: 表二)."""
    end = -1
    for _ in range(nth):
        end = page.index("</table>", end + 1)
    return page[:end] + f"<tr><td colspan={colspan}>{NOTE}</td></tr>" + page[end:]


# (the table, 1: 表二, and its width in columns, which the note spans)
TABLES = [(1, 4), (2, 10), (3, 15)]


@pytest.mark.parametrize(("nth", "width"), TABLES)
def test_a_report_page_with_a_long_note_row_in_a_table_reads_its_figures(tmp_path, nth, width):
    source = valid_return(FORM, seed=31)
    path = tmp_path / "报告.html"
    page = _with_note(report_html(FORM, source.values), nth, colspan=width)
    path.write_text(page, encoding="utf-8")
    ret = read_return(path)
    assert ret.values == source.values
    assert not [f for f in validate_return(ret) if f.is_error]


def test_the_published_page_with_a_long_note_row_in_table_three_passes_check(tmp_path):
    page = tmp_path / "年报.html"
    published = CliRunner().invoke(cli, ["publish", str(EDU), "-o", str(page)])
    assert published.exit_code == 0, published.output
    text = page.read_text(encoding="utf-8")
    end = text.find("</tbody></table>", text.find("四、结转下年度继续办理"))
    noted = tmp_path / "带注.html"
    noted.write_text(
        text[:end] + f'<tr><td colspan="10">{NOTE}</td></tr>' + text[end:], encoding="utf-8"
    )
    result = CliRunner().invoke(cli, ["check", str(page), str(noted)])
    assert result.exit_code == 0, result.output
    assert "L01" not in result.output
    assert read_return(noted).values == read_return(page).values


def _read(tmp_path: Path, body: str):
    path = tmp_path / "页.html"
    path.write_text(f"<html><body><h1>{TITLE}</h1>{body}</body></html>", encoding="utf-8")
    with open_source(path) as grid:
        return grid.sheets[0].rows, grid.text or ""


FIGURES = (
    "<tr><td>项目</td><td>自然人</td><td>商业企业</td><td>总计</td></tr>"
    "<tr><td>一、本年新收政府信息公开申请数量</td><td>12</td><td>2</td><td>14</td></tr>"
    "<tr><td>二、上年结转政府信息公开申请数量</td><td>2</td><td>0</td><td>2</td></tr>"
)


def test_a_full_width_note_under_figures_keeps_the_table_a_data_table(tmp_path):
    table, text = _read(tmp_path, f"<table>{FIGURES}<tr><td colspan=4>{NOTE}</td></tr></table>")
    assert table[1] == ["一、本年新收政府信息公开申请数量", "12", "2", "14"]
    assert table[-1][0] == NOTE
    assert "一、本年新收政府信息公开申请数量" not in text


def test_a_page_wrapped_in_a_table_is_still_layout(tmp_path):
    # a banner row, the navigation and the page body spanning the whole width: no figures
    table, text = _read(
        tmp_path,
        "<table><tr><td>首页</td><td>政务公开</td><td>信息公开年报</td></tr>"
        f"<tr><td colspan=3>{PROSE}</td></tr>"
        "<tr><td>网站地图</td><td>联系我们</td><td>2025</td></tr></table>",
    )
    assert table == []
    assert PROSE in text.replace("\n", "")


def test_a_long_cell_beside_others_is_still_layout_even_with_figures(tmp_path):
    table, text = _read(
        tmp_path,
        f"<table>{FIGURES}<tr><td colspan=3>{PROSE}</td><td>x</td></tr></table>",
    )
    assert table == []
    assert PROSE in text.replace("\n", "")


def test_a_full_width_long_cell_in_a_table_nesting_another_is_still_layout(tmp_path):
    table, text = _read(
        tmp_path,
        f"<table><tr><td colspan=2>{PROSE}</td></tr>"
        f"<tr><td>导航</td><td><table>{FIGURES}</table></td></tr></table>",
    )
    assert table[1] == ["一、本年新收政府信息公开申请数量", "12", "2", "14"]
    assert PROSE in text.replace("\n", "") and "导航" in text


def test_a_full_width_note_not_long_enough_to_matter_reads_as_before(tmp_path):
    short = "注：本表数据统计期限为2025年1月1日至12月31日。"
    table, _ = _read(tmp_path, f"<table>{FIGURES}<tr><td colspan=4>{short}</td></tr></table>")
    assert table[-1][0] == short


# -- Word: every innermost table is a data table, whatever its cells hold -----------------------


@pytest.mark.parametrize(("nth", "width"), TABLES)
def test_a_word_report_with_a_long_note_row_in_a_table_reads_its_figures(tmp_path, nth, width):
    source = valid_return(FORM, seed=31)
    path = report_docx(tmp_path / "报告.docx", FORM, source.values)
    import zipfile

    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    document = parts["word/document.xml"].decode("utf-8")
    end = -1
    for _ in range(nth):
        end = document.index("</w:tbl>", end + 1)
    note = w_row(w_cell(NOTE, span=width))
    parts["word/document.xml"] = (document[:end] + note + document[end:]).encode("utf-8")
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    ret = read_return(path)
    assert ret.values == source.values
    assert not [f for f in validate_return(ret) if f.is_error]
