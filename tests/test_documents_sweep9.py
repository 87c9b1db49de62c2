"""Sweep 9 of published reports: 表四 set upright.

A report that prints 表四 upright — its fifteen columns as rows, each group's labels one under
another (行政复议 over 结果维持, 结果纠正 …) and the figures in a column beside them, as a page
made for phones does — is refused, never read by position. The refusal said the table was
「分成上下几部分印出」 and that 「其他结果」 was printed 「之前（左边）」 of 「结果纠正」, which it
is not: it is under it. It now says the table is set upright (竖排) and how the form prints it.
A table whose columns are merely swapped still says 「之前（左边）」.
"""

from __future__ import annotations

from pathlib import Path

from nianbao.form import get_form
from nianbao.form.findings import Rule
from nianbao.pipeline.check import check_paths
from tests.support.documents import Printing, report_html
from tests.support.returns import valid_return

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
