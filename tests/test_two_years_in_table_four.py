"""A published report whose 表四 prints last year's figures as a row beside this year's, each
row labelled (「上年」 over 「本年」, 「2023年」 over 「2024年」): the form has one data row, and
the first was read, last year's, with only L10 said of this year's row (found by the
documents sweep). The year before above: L09, which row is the year's cannot be told from
the form; this year's above: read, the other row L10 as before."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from nianbao.form import get_form
from nianbao.form.common import TITLE_4
from nianbao.form.findings import Rule
from nianbao.pipeline.check import check_paths
from tests.support.documents import report_html
from tests.support.returns import valid_return

FORM = get_form("2021")
YEAR = 2024
THIS = valid_return(FORM, seed=3, unit="某某区人民政府", year=YEAR)
LAST = valid_return(FORM, seed=8, unit="某某区人民政府", year=YEAR - 1)
FOUR = [cell.key for cell in FORM.table("四").cells]


def _table_four(html: str) -> tuple[int, int, list[str]]:
    """Where 表四's table is in ``html`` and its rows."""
    start = html.index("<table", html.index(TITLE_4))
    end = html.index("</table>", start)
    return start, end, re.findall(r"<tr>.*?</tr>", html[start:end], re.DOTALL)


def _labelled(row: str, label: str, span: int = 1) -> str:
    spans = f" rowspan={span}" if span > 1 else ""
    return row.replace("<tr>", f"<tr><td{spans}><p class=MsoNormal>{label}</p></td>", 1)


def _page(tmp_path: Path, first: tuple[str, dict], second: tuple[str, dict]) -> Path:
    html = report_html(FORM, THIS.values)
    start, end, rows = _table_four(html)
    *header, _ = rows
    data = {
        label: _table_four(report_html(FORM, values))[2][-1] for label, values in (first, second)
    }
    table = "".join(
        [_labelled(header[0], "年度", len(header)), *header[1:]]
        + [_labelled(data[label], label) for label, _ in (first, second)]
    )
    opened = html.index(">", start) + 1
    path = tmp_path / "年报.html"
    path.write_text(html[:opened] + table + html[end:], encoding="utf-8")
    return path


@pytest.mark.parametrize(("before", "now"), [("上年", "本年"), ("2023年", "2024年")])
def test_last_years_row_above_this_years_is_not_read_in_silence(tmp_path, before, now):
    path = _page(tmp_path, (before, LAST.values), (now, THIS.values))
    (report,) = check_paths([path])
    assert report.ret is not None
    notes = [f for f in report.findings if f.rule is Rule.L09]
    assert notes and notes[0].is_error, [f.message for f in report.findings]
    assert f"「{before}」行" in notes[0].message and f"「{now}」行" in notes[0].message


def test_this_years_row_above_last_years_is_read(tmp_path):
    path = _page(tmp_path, ("本年", THIS.values), ("上年", LAST.values))
    (report,) = check_paths([path])
    assert report.ret is not None
    assert [report.ret.values[key] for key in FOUR] == [THIS.values[key] for key in FOUR]
    assert not [f for f in report.findings if f.rule is Rule.L09]
    assert any(f.rule is Rule.L10 and "上年" in f.message for f in report.findings)


@pytest.mark.parametrize(
    ("now", "before"),
    [("2024年（与上年相比）", "2023年"), ("本年（上年数据见附表）", "2023年")],
)
def test_this_years_row_naming_last_year_beside_is_read(tmp_path, now, before):
    # the data row's label names last year only beside this year: it is the year's (a false
    # L09 error read 「上年」 in it as its own year)
    path = _page(tmp_path, (now, THIS.values), (before, LAST.values))
    (report,) = check_paths([path])
    assert report.ret is not None
    assert [report.ret.values[key] for key in FOUR] == [THIS.values[key] for key in FOUR]
    assert not [f for f in report.findings if f.rule is Rule.L09]


@pytest.mark.parametrize(
    ("before", "now"), [("上年（2023年）", "本年（2024年）"), ("上年同期", "本年")]
)
def test_last_years_row_named_in_words_and_years_is_still_L09(tmp_path, before, now):
    path = _page(tmp_path, (before, LAST.values), (now, THIS.values))
    (report,) = check_paths([path])
    assert any(f.rule is Rule.L09 and f.is_error for f in report.findings)
