"""Plain text copied from a published web page (sources/plaintext.py), in the two shapes the
copy takes besides Word's export:

- a browser copy (Ctrl-A, Ctrl-C): a table row per line, its cells apart by tabs; a blank cell
  keeps its place between two tabs (「规章\\t\\t0\\t0」, a blank 总计 column a tab at the line's end),
  so blanks are read as blanks (V04) in their own columns, never closing up the row;
- one value per line (LibreOffice's 「save as text」 of the page, many viewers' copy): a row's
  label on a line, then its figures, one a line. A label is joined with the figures below it only
  when their number is exactly what the form's row has; otherwise the row is refused (L01),
  named, as before — a blank cell there leaves no trace, and nothing is guessed.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from nianbao.checks.engine import validate_return
from nianbao.form import get_form
from nianbao.form.findings import Rule
from nianbao.recognise.reader import UnknownLayout, read_return
from nianbao.sources.dispatch import open_source
from tests.support.documents import (
    Printing,
    published,
    report_tables,
    transcribed,
    transcribed_values,
)
from tests.support.returns import inputs_of, valid_return
from tests.support.soffice import convert, requires_soffice

FORM = get_form("2021")
VALUES = valid_return(FORM, seed=3).values
TITLE = "某某区人民政府\n2024年政府信息公开工作年度报告"
NARRATIVE = ("一、总体情况", "2024年，全区共收到政府信息公开申请若干件。")


def browser_copy(values, form=FORM) -> str:
    """Each table row on a line, its cells (as marked up: no place for a merged cell's
    continuation) apart by tabs, the way Chrome and Firefox copy a page."""
    printing = Printing(title=TITLE, narrative=NARRATIVE)
    lines = [*TITLE.split("\n"), *NARRATIVE]
    for heading, rows in report_tables(form, values, printing):
        lines.append(heading)
        lines += ["\t".join(cell.text for cell in row) for row in rows]
    return "\n".join(lines) + "\n"


def one_per_line(values, form=FORM) -> str:
    """Each cell on a line of its own, no tab: a blank cell an empty line."""
    printing = Printing(title=TITLE, narrative=NARRATIVE)
    lines = [*TITLE.split("\n"), *NARRATIVE]
    for heading, rows in report_tables(form, values, printing):
        lines.append(heading)
        for row in rows:
            lines += [cell.text for cell in row]
    return "\n".join(lines) + "\n"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "报告.txt"
    path.write_text(text, encoding="utf-8")
    return path


def rows_of(path: Path) -> list[list]:
    with open_source(path) as grid:
        return grid.sheets[0].rows


# -- a browser copy: blank cells keep their places -------------------------------------------------


def test_a_browser_copy_of_a_full_report_reads_every_value(tmp_path):
    ret = read_return(write(tmp_path, browser_copy(VALUES)))
    assert ret.values == VALUES
    assert validate_return(ret) == []


def test_a_blank_cell_between_tabs_is_a_blank_in_its_own_column(tmp_path):
    values = dict(VALUES)
    values["二:20-1.1:c1"] = None  # 规章 · 本年制发件数
    path = write(tmp_path, browser_copy(values))
    (line,) = [row for row in rows_of(path) if row and row[0] == "规章"]
    assert line == ["规章", None, str(VALUES["二:20-1.1:c2"]), str(VALUES["二:20-1.1:c3"])]
    ret = read_return(path)
    assert ret.values["二:20-1.1:c1"] is None
    assert (ret.values["二:20-1.1:c2"], ret.values["二:20-1.1:c3"]) == (
        VALUES["二:20-1.1:c2"],
        VALUES["二:20-1.1:c3"],
    )
    (v04,) = [f for f in validate_return(ret) if f.rule is Rule.V04]
    assert "规章" in v04.message and "本年制发件数" in v04.message


def test_blank_cells_in_the_middle_and_at_the_end_of_a_row_keep_their_places(tmp_path):
    values = dict(VALUES)
    values["三:1:c3"] = None  # 一、本年新收 · 科研机构
    values["三:1:c7"] = None  # … · 总计 (a tab at the line's end)
    path = write(tmp_path, browser_copy(values))
    (line,) = [row for row in rows_of(path) if row and row[0] == "一、本年新收政府信息公开申请数量"]
    assert len(line) == 8 and line[3] is None and line[7] is None
    assert line[4] == str(VALUES["三:1:c4"])
    ret = read_return(path)
    assert inputs_of(ret) == {
        key: (None if key == "三:1:c3" else VALUES[key]) for key in FORM.input_keys
    }


def test_a_blank_total_column_is_read_and_the_totals_recomputed(tmp_path):
    values = dict(VALUES)
    for leaf in FORM.table("三").blocks[0].row_leaves:
        values[f"三:{leaf.code}:c7"] = None  # the whole 总计 column of 表三 left blank
    ret = read_return(write(tmp_path, browser_copy(values)))
    assert inputs_of(ret) == {key: VALUES[key] for key in FORM.input_keys}
    assert not [f for f in validate_return(ret) if f.is_error]


def test_a_blank_first_value_of_table_four_keeps_its_place(tmp_path):
    values = dict(VALUES)
    values["四:1:ar1"] = None  # 行政复议 · 结果维持: the row starts with a tab
    text = browser_copy(values)
    assert "\n\t" in text
    ret = read_return(write(tmp_path, text))
    assert ret.values["四:1:ar1"] is None
    assert inputs_of(ret) == {
        key: (None if key == "四:1:ar1" else VALUES[key]) for key in FORM.input_keys
    }
    assert "一、总体情况" in (ret.narrative or "")


def test_a_paragraph_with_a_stray_tab_stays_running_text(tmp_path):
    text = browser_copy(VALUES).replace(NARRATIVE[1], "\t" + NARRATIVE[1] + "\t")
    ret = read_return(write(tmp_path, text))
    assert NARRATIVE[1] in (ret.narrative or "")
    assert ret.values == VALUES


def test_an_extra_cell_is_still_refused_not_guessed(tmp_path):
    text = browser_copy(VALUES).replace("规章\t", "规章\t\t", 1)  # one place too many
    with pytest.raises(UnknownLayout) as refused:
        read_return(write(tmp_path, text))
    assert refused.value.finding.rule is Rule.L01
    assert "规章（该行应有 3 个数，文本中有 4 个" in refused.value.finding.message


# -- one value per line -----------------------------------------------------------------------------


@pytest.mark.parametrize("vintage", ["2021", "2019"])
def test_one_value_per_line_reads_every_value(tmp_path, vintage):
    form = get_form(vintage)
    source = valid_return(form, seed=4)
    text = one_per_line(source.values, form).replace("2024年", f"{source.year}年")
    ret = read_return(write(tmp_path, text))
    assert ret.form is form and ret.values == source.values
    assert validate_return(ret) == []
    assert NARRATIVE[0] in (ret.narrative or "")


def test_a_label_takes_the_figures_below_it_only_when_their_number_fits(tmp_path):
    path = write(tmp_path, one_per_line(VALUES))
    rows = rows_of(path)
    (line,) = [row for row in rows if row and row[0] == "规章"]
    assert line == ["规章", *(str(VALUES[f"二:20-1.1:{c}"]) for c in ("c1", "c2", "c3"))]
    # 表四: fifteen figures after its last header line form its data row on their own
    four = [VALUES[f"四:1:{leaf.code}"] for leaf in FORM.table("四").blocks[0].column_leaves]
    assert [str(v) for v in four] in rows


def test_a_blank_cell_one_value_per_line_is_refused_naming_the_row(tmp_path):
    values = dict(VALUES)
    values["二:20-1.1:c1"] = None  # an empty line: no telling which column is blank
    with pytest.raises(UnknownLayout) as refused:
        read_return(write(tmp_path, one_per_line(values)))
    message = refused.value.finding.message
    assert refused.value.finding.rule is Rule.L01
    assert "规章（该行应有 3 个数" in message


def test_figures_of_the_wrong_number_are_not_joined_to_a_label(tmp_path):
    text = "某区2024年政府信息公开工作年度报告\n规章\n1\n2\n行政许可\n3\n4\n5\n"
    rows = rows_of(write(tmp_path, text))
    assert ["规章", "1", "2"] not in rows  # 规章 has 3 columns
    assert ["行政许可", "3", "4", "5"] in rows  # 2019版: 行政许可 has 3 columns
    assert ["1", "2"] in rows


def test_a_lone_figure_in_the_running_text_is_not_a_table_row_of_anything(tmp_path):
    text = "某区2024年政府信息公开工作年度报告\n全区受理政府信息公开申请\n21\n件。\n"
    rows = rows_of(write(tmp_path, text))
    assert ["全区受理政府信息公开申请", "21"] not in rows


@requires_soffice
def test_libreoffice_text_of_the_real_pingtan_page_is_read(tmp_path):
    expected, page = published("2023_平潭综合实验区.json")
    text = convert(page, "txt:Text (encoded):UTF8", tmp_path, infilter="HTML (StarWriter)")
    content = text.read_text(encoding="utf-8")
    assert "\t" not in content and "\n80\n1\n0\n0\n0\n0\n81\n" in content  # one value a line
    ret = read_return(text)
    wanted = transcribed_values(transcribed("2023_平潭综合实验区.json"), ret.form)
    assert {key: ret.values[key] for key in ret.form.input_keys} == {
        key: wanted[key] for key in ret.form.input_keys
    }
    assert Counter(f.rule.id for f in validate_return(ret) if f.is_error) == Counter()
    assert expected["source"]
