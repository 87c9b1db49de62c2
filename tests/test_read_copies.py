"""A published report that prints a statutory table more than once (last year's tables for
comparison, a table repeated) is read only when which copy to read is certain: the copies hold
the same figures, or only one holds figures (L06); copies with different figures are refused
(L05), never read from the first one met."""

from __future__ import annotations

from pathlib import Path

import pytest

from nianbao.form import get_form
from nianbao.form.findings import Rule
from nianbao.recognise.reader import UnknownLayout, read_return
from tests.support.documents import Printing, report_docx, report_html, report_text
from tests.support.returns import inputs_of, valid_return

KINDS = ("html", "docx", "text")
FORM = get_form("2021")
THIS_YEAR = valid_return(FORM, seed=1).values
LAST_YEAR = valid_return(FORM, seed=2).values
TITLE = "某某区人民政府\n2024年政府信息公开工作年度报告"


def write(folder: Path, kind: str, printing: Printing, values=THIS_YEAR) -> Path:
    if kind == "docx":
        return report_docx(folder / "报告.docx", FORM, values, printing)
    path = folder / f"报告.{'html' if kind == 'html' else 'txt'}"
    printed = report_html if kind == "html" else report_text
    path.write_text(printed(FORM, values, printing), encoding="utf-8")
    return path


@pytest.mark.parametrize("kind", KINDS)
def test_last_years_tables_printed_first_are_refused_not_read_as_this_years(tmp_path, kind):
    path = write(tmp_path, kind, Printing(title=TITLE, earlier=LAST_YEAR))
    with pytest.raises(UnknownLayout) as refused:
        read_return(path)
    finding = refused.value.finding
    assert finding.rule is Rule.L05
    assert "印了 2 份（第 1 份、第 2 份），数字不同" in finding.message
    assert "无法确定哪一份是本年度的，未读取" in finding.message


@pytest.mark.parametrize("kind", KINDS)
def test_a_table_printed_twice_with_the_same_figures_is_read_with_l06(tmp_path, kind):
    path = write(tmp_path, kind, Printing(title=TITLE, earlier=THIS_YEAR))
    ret = read_return(path)
    assert inputs_of(ret) == {key: THIS_YEAR[key] for key in FORM.input_keys}
    notes = [n for n in ret.notes if n.rule is Rule.L06]
    assert len(notes) == 3  # one per table
    assert all("各份数字完全相同，已读取第 1 份" in n.message for n in notes)


@pytest.mark.parametrize("kind", ["html", "docx"])
def test_a_blank_copy_yields_to_the_one_with_figures(tmp_path, kind):
    blank = dict.fromkeys(THIS_YEAR)
    path = write(tmp_path, kind, Printing(title=TITLE, earlier=blank))
    ret = read_return(path)
    assert inputs_of(ret) == {key: THIS_YEAR[key] for key in FORM.input_keys}
    notes = [n for n in ret.notes if n.rule is Rule.L06]
    assert notes and all("只有这一份填了数字，已读取第 2 份" in n.message for n in notes)


def test_the_refusal_names_a_cell_where_the_copies_differ(tmp_path):
    earlier = dict(THIS_YEAR)
    key = "三:1:c1"  # 一、本年新收 · 自然人
    earlier[key] = THIS_YEAR[key] + 80  # type: ignore[operator]
    path = write(tmp_path, "html", Printing(title=TITLE, earlier=earlier))
    with pytest.raises(UnknownLayout) as refused:
        read_return(path)
    message = refused.value.finding.message
    assert "表三「三、收到和处理政府信息公开申请情况」印了 2 份" in message
    assert (
        f"「一、本年新收政府信息公开申请数量」行「自然人」列：第 1 份为 {earlier[key]}，"
        f"第 2 份为 {THIS_YEAR[key]}"
    ) in message


def _three_copies(tmp_path: Path, first, second, third) -> Path:
    page = report_html(FORM, second, Printing(title=TITLE, earlier=first))
    more = report_html(FORM, third, Printing(title="", narrative=()))
    body = more.split("<div class=WordSection1>", 1)[1].rsplit("</div></body>", 1)[0]
    path = tmp_path / "报告.html"
    path.write_text(page.replace("</div></body>", body + "</div></body>"), encoding="utf-8")
    return path


def test_two_same_copies_and_a_blank_one_read_the_figures_with_l06(tmp_path):
    path = _three_copies(tmp_path, THIS_YEAR, THIS_YEAR, dict.fromkeys(THIS_YEAR))
    ret = read_return(path)
    assert inputs_of(ret) == {key: THIS_YEAR[key] for key in FORM.input_keys}
    notes = [n for n in ret.notes if n.rule is Rule.L06]
    assert notes and all("填了数字的各份数字完全相同，其余空白" in n.message for n in notes)


def test_a_third_copy_with_other_figures_is_refused_naming_it(tmp_path):
    path = _three_copies(tmp_path, THIS_YEAR, THIS_YEAR, LAST_YEAR)
    with pytest.raises(UnknownLayout) as refused:
        read_return(path)
    assert refused.value.finding.rule is Rule.L05
    assert "印了 3 份" in refused.value.finding.message
    assert "第 1 份为" in refused.value.finding.message
    assert "第 3 份为" in refused.value.finding.message
