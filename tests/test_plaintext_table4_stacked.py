"""表四 in a plain-text report printed as column groups one under another (recognise/sequence.py).

A report too narrow for 表四's fifteen columns prints 行政复议 with its five columns and figure
row, and below it 行政诉讼 (or 未经复议直接起诉 and 复议后起诉 apart), each under its own header.
Saved as text or copied from the browser, that is a header line (or lines) and a line of figures
per group. Each group is read by order under its own header, as workbooks and web pages are
(tests/test_table4_stacked.py), and only when certain: every label of the group in the form's
order, its figures exactly as many as its columns; otherwise the report is refused (L01) saying
which group is wrong, never read shifted.

Both text shapes are covered: a browser copy (a table row per line, cells apart by tabs) and one
cell per line (LibreOffice's 「save as text」 of the page).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from nianbao.checks.engine import validate_return
from nianbao.cli import cli
from nianbao.form import get_form
from nianbao.form.findings import Rule
from nianbao.form.model import Form
from nianbao.recognise.reader import UnknownLayout, read_return
from tests.support.documents import Printing, report_tables, report_text
from tests.support.returns import valid_return

RESULTS = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
# every cell of 表四 a figure of its own, totals that add up: a figure one column off shows
FIGURES = {
    "ar": (1, 2, 3, 4, 10),
    "ld": (5, 6, 7, 8, 26),
    "lr": (11, 12, 13, 14, 50),
}
YEAR = {"2021": 2024, "2019": 2020}  # a year each vintage is for

Line = list[str]  # the cells of one table row
Part = list[Line]  # one printed group


def figures(group: str) -> Line:
    return [str(n) for n in FIGURES[group]]


REVIEW: Part = [["行政复议"], RESULTS, figures("ar")]
LITIGATION: Part = [
    ["行政诉讼"],
    ["未经复议直接起诉", "复议后起诉"],
    RESULTS + RESULTS,
    figures("ld") + figures("lr"),
]
DIRECT: Part = [["行政诉讼"], ["未经复议直接起诉"], RESULTS, figures("ld")]
AFTER: Part = [["复议后起诉"], RESULTS, figures("lr")]

LAYOUTS: dict[str, list[Part]] = {
    "two groups": [REVIEW, LITIGATION],
    "three groups": [REVIEW, DIRECT, AFTER],
    "three groups, no 行政诉讼 heading": [REVIEW, DIRECT[1:], AFTER],
}
SHAPES = ("tabs", "lines")


def filled_values(form: Form) -> dict[str, object]:
    """A valid return's figures, 表四's those of FIGURES."""
    values = dict(valid_return(form, seed=11, year=YEAR[form.vintage]).values)
    for group, row in FIGURES.items():
        for i, n in enumerate(row, start=1):
            values[f"四:1:{group}{i}"] = n
    return values


def report(form: Form, shape: str, parts: list[Part] | None) -> str:
    """The whole report as text, 表四 printed as ``parts`` (None: as the form has it, one wide
    table). ``shape``: "tabs", a row per line with its cells apart by tabs (a browser's copy);
    "lines", each cell on a line of its own (LibreOffice's 「save as text」)."""
    title = f"某某区人民政府\n{YEAR[form.vintage]}年政府信息公开工作年度报告"
    narrative = ("一、总体情况", "本年度共收到政府信息公开申请若干件。")
    printing = Printing(title=title, narrative=narrative)
    lines = [*title.split("\n"), *narrative]
    for heading, rows in report_tables(form, filled_values(form), printing):
        lines.append(heading)
        table = [[cell.text for cell in row] for row in rows]
        if heading.startswith("四、") and parts is not None:
            table = [line for part in parts for line in part]
        for line in table:
            lines += ["\t".join(line)] if shape == "tabs" else line
    lines += ["五、存在的主要问题及改进情况", "无。"]
    return "\n".join(lines) + "\n"


def write(tmp_path: Path, text: str, name: str = "报告.txt") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def table_four(values: dict[str, object]) -> dict[str, object]:
    return {key: value for key, value in values.items() if key.startswith("四:")}


def refusal(tmp_path: Path, text: str) -> str:
    with pytest.raises(UnknownLayout) as caught:
        read_return(write(tmp_path, text))
    finding = caught.value.finding
    assert finding.rule is Rule.L01
    assert "表四「四、政府信息公开行政复议、行政诉讼情况」" in finding.message
    return finding.message


# -- read: every figure in its own cell ------------------------------------------------------------


@pytest.mark.parametrize("vintage", ["2021", "2019"])
@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("shape", SHAPES)
def test_stacked_groups_are_read_each_figure_in_its_own_cell(tmp_path, shape, layout, vintage):
    form = get_form(vintage)
    ret = read_return(write(tmp_path, report(form, shape, LAYOUTS[layout])))
    assert ret.form is form
    assert table_four(ret.values) == {
        f"四:1:{group}{i}": n for group, row in FIGURES.items() for i, n in enumerate(row, start=1)
    }
    assert validate_return(ret) == []
    # the same report printed as one wide table reads the same, every table
    wide = read_return(write(tmp_path, report(form, shape, None), "宽表.txt"))
    assert ret.values == wide.values


def test_groups_apart_by_blank_lines_and_a_blank_figure_keep_their_places(tmp_path):
    """A blank line between the groups changes nothing; in a browser copy a blank cell keeps
    its place between two tabs (blank, V04), never closing up the row."""
    form = get_form("2021")
    blank = [*figures("ld")[:1], "", *figures("ld")[2:]]  # 未经复议直接起诉 · 结果纠正 blank
    parts = [[*REVIEW, []], [*DIRECT[:-1], blank, []], AFTER]
    ret = read_return(write(tmp_path, report(form, "tabs", parts)))
    assert ret.values["四:1:ld2"] is None
    assert [ret.values[f"四:1:ld{i}"] for i in (1, 3, 4)] == [5, 7, 8]
    assert [ret.values[f"四:1:lr{i}"] for i in range(1, 6)] == list(FIGURES["lr"])
    assert {f.rule for f in validate_return(ret) if f.is_error} <= {Rule.V04, Rule.E5}


def test_word_plain_text_export_of_stacked_groups_is_read(tmp_path):
    """Word's 「save as plain text」 (the seed report's shape): each cell on a tab-led line, a
    blank line after each row; the groups as three tables one under another."""
    form = get_form("2021")
    text = report_text(form, filled_values(form), Printing())
    text = text[: text.index("四、政府信息公开行政复议、行政诉讼情况")]
    text += "四、政府信息公开行政复议、行政诉讼情况\n"
    for line in [line for part in LAYOUTS["three groups"] for line in part]:
        text += "".join(f"\t{cell}\n" for cell in line) + "\n"
    ret = read_return(write(tmp_path, text + "五、存在的主要问题及改进情况\n"))
    assert table_four(ret.values) == {
        f"四:1:{g}{i}": n for g, row in FIGURES.items() for i, n in enumerate(row, start=1)
    }


def test_a_one_row_table_four_is_read_as_before(tmp_path):
    for shape in SHAPES:
        ret = read_return(write(tmp_path, report(get_form("2021"), shape, None)))
        assert table_four(ret.values) == {
            f"四:1:{g}{i}": n for g, row in FIGURES.items() for i, n in enumerate(row, start=1)
        }


def test_a_one_row_table_four_one_figure_short_is_refused_as_before(tmp_path):
    text = report(get_form("2021"), "tabs", None).replace("\t50\n", "\n")
    message = refusal(tmp_path, text)
    assert "表四数据行（应有 15 个数，文本中有 14 个，无法对应各列）" in message
    assert "分成上下" not in message


# -- refused: never guessed --------------------------------------------------------------------------


@pytest.mark.parametrize("shape", SHAPES)
def test_a_group_one_figure_short_is_refused_naming_it(tmp_path, shape):
    parts = [[*REVIEW[:-1], figures("ar")[:4]], LITIGATION]
    message = refusal(tmp_path, report(get_form("2021"), shape, parts))
    assert "行政复议部分的数字行（应有 5 个数，文本中有 4 个，无法对应各列）" in message


@pytest.mark.parametrize("shape", SHAPES)
def test_the_litigation_group_one_figure_short_is_refused_naming_it(tmp_path, shape):
    short = figures("ld") + figures("lr")[:4]
    message = refusal(tmp_path, report(get_form("2021"), shape, [REVIEW, [*LITIGATION[:3], short]]))
    assert "行政诉讼部分的数字行（应有 10 个数，文本中有 9 个，无法对应各列）" in message


def test_a_blank_figure_one_cell_per_line_is_refused_naming_its_group(tmp_path):
    """One cell per line, a blank cell is an empty line: no telling which column is blank, so
    the group's figures are refused (named: 未经复议直接起诉, not the way it is not printed)."""
    blank = [*figures("ld")[:1], "", *figures("ld")[2:]]
    parts = [REVIEW, [*DIRECT[:-1], blank], AFTER]
    message = refusal(tmp_path, report(get_form("2021"), "lines", parts))
    assert "未经复议直接起诉部分的数字行（应有 5 个数，文本中有 1 个，无法对应各列）" in message


@pytest.mark.parametrize("shape", SHAPES)
def test_groups_swapped_are_refused_not_read_shifted(tmp_path, shape):
    message = refusal(tmp_path, report(get_form("2021"), shape, [REVIEW, AFTER, DIRECT]))
    assert "分成上下几部分印出" in message
    assert "未找到「未经复议直接起诉」部分" in message


@pytest.mark.parametrize("shape", SHAPES)
def test_sub_groups_swapped_under_one_heading_are_refused(tmp_path, shape):
    swapped = [
        ["行政诉讼"],
        ["复议后起诉", "未经复议直接起诉"],
        RESULTS + RESULTS,
        figures("lr") + figures("ld"),
    ]
    message = refusal(tmp_path, report(get_form("2021"), shape, [REVIEW, swapped]))
    assert "「行政诉讼」部分的表头中「复议后起诉」应在「未经复议直接起诉」之后" in message


@pytest.mark.parametrize("shape", SHAPES)
def test_litigation_printed_above_review_is_refused(tmp_path, shape):
    refusal(tmp_path, report(get_form("2021"), shape, [LITIGATION, REVIEW]))


@pytest.mark.parametrize("shape", SHAPES)
def test_result_labels_out_of_order_inside_a_group_name_the_group(tmp_path, shape):
    swapped = ["结果纠正", "结果维持", *RESULTS[2:]]
    parts = [REVIEW, [*LITIGATION[:2], RESULTS + swapped, LITIGATION[3]]]
    message = refusal(tmp_path, report(get_form("2021"), shape, parts))
    assert "「行政诉讼」部分的表头中「结果纠正」应在「结果维持」之后" in message


@pytest.mark.parametrize("shape", SHAPES)
def test_a_total_printed_first_is_refused_in_text(tmp_path, shape):
    """A workbook places a 总计 column printed first by its label; text has only order, so
    the figures would shift: refused."""
    moved = ["总计", *RESULTS[:4]]
    parts = [[REVIEW[0], moved, figures("ar")], LITIGATION]
    message = refusal(tmp_path, report(get_form("2021"), shape, parts))
    assert "「行政复议」部分的表头中" in message


@pytest.mark.parametrize("shape", SHAPES)
def test_a_label_missing_from_a_group_is_refused_naming_it(tmp_path, shape):
    parts = [[REVIEW[0], RESULTS[:3] + RESULTS[4:], figures("ar")[:4]], LITIGATION]
    message = refusal(tmp_path, report(get_form("2021"), shape, parts))
    assert "「行政复议」部分的表头缺少标签「尚未审结」" in message


def test_a_group_without_its_figure_row_is_refused_naming_it(tmp_path):
    message = refusal(tmp_path, report(get_form("2021"), "tabs", [REVIEW[:2], LITIGATION]))
    assert "「行政复议」部分的表头下没有数字行" in message


def test_a_group_without_its_figure_row_one_cell_per_line_is_refused(tmp_path):
    """One cell per line, the two headers run together with nothing between: that is one
    header over ten figures, refused as the one-row table it looks like."""
    message = refusal(tmp_path, report(get_form("2021"), "lines", [REVIEW[:2], LITIGATION]))
    assert "表四数据行（应有 15 个数，文本中有 10 个，无法对应各列）" in message


@pytest.mark.parametrize("shape", SHAPES)
def test_the_last_group_without_its_figure_row_is_refused_naming_it(tmp_path, shape):
    message = refusal(tmp_path, report(get_form("2021"), shape, [REVIEW, DIRECT, AFTER[:2]]))
    assert "「复议后起诉」部分的表头下没有数字行" in message


def test_a_group_with_two_rows_that_may_be_its_figures_is_refused(tmp_path):
    last_year = [str(n + 100) for n in FIGURES["ar"]]
    parts = [[*REVIEW, last_year], LITIGATION]
    message = refusal(tmp_path, report(get_form("2021"), "tabs", parts))
    assert "「行政复议」部分的表头下有 2 行数字" in message


def test_the_last_group_with_a_second_row_of_figures_is_refused(tmp_path):
    last_year = [str(n + 100) for n in FIGURES["lr"]]
    parts = [REVIEW, DIRECT, [*AFTER, last_year]]
    message = refusal(tmp_path, report(get_form("2021"), "tabs", parts))
    assert "「复议后起诉」部分的表头下有 2 行数字" in message


@pytest.mark.parametrize("shape", SHAPES)
def test_a_group_missing_from_the_stack_is_named(tmp_path, shape):
    message = refusal(tmp_path, report(get_form("2021"), shape, [REVIEW, DIRECT]))
    assert "未找到「复议后起诉」部分" in message


# -- end to end -------------------------------------------------------------------------------------


@pytest.mark.parametrize("shape", SHAPES)
def test_check_passes_a_balanced_stacked_text_report(tmp_path, shape):
    path = write(tmp_path, report(get_form("2021"), shape, LAYOUTS["three groups"]))
    result = CliRunner().invoke(cli, ["check", str(path)])
    assert result.exit_code == 0, result.output
    assert "L01" not in result.output and "E5" not in result.output
    assert "✓ 通过" in result.output


def test_check_names_the_group_of_a_short_stacked_text_report(tmp_path):
    parts = [[*REVIEW[:-1], figures("ar")[:4]], LITIGATION]
    path = write(tmp_path, report(get_form("2021"), "tabs", parts))
    result = CliRunner().invoke(cli, ["check", str(path)])
    assert result.exit_code == 2, result.output
    assert "L01" in result.output and "行政复议部分的数字行" in result.output
