"""Published reports as plain text: sources/plaintext.py (text -> Grid of rows in order)."""

from __future__ import annotations

from pathlib import Path

from nianbao.sources.dispatch import open_source
from nianbao.sources.grid import Grid
from tests.support.documents import published

TITLE = "某某街道办事处\n2021年政府信息公开工作年度报告\n"


def read(tmp_path: Path, text: str, encoding: str = "utf-8") -> Grid:
    path = tmp_path / "报告.txt"
    path.write_bytes((TITLE + text).encode(encoding))
    with open_source(path) as grid:
        assert grid.kind == "text"
        return grid


def test_word_export_cells_on_tab_lines_rows_ended_by_blank_lines(tmp_path):
    grid = read(
        tmp_path,
        "二、主动公开政府信息情况\n"
        "\t第二十条第（一）项\n\n"
        "\t信息内容\n\t本年制发件数\n\n"
        "\t规章\n\t 0\n\n"
        "\t\n\t商业\n企业\n\t\n\n"
        "三、收到和处理政府信息公开申请情况\n"
        "\t一、本年新收政府信息公开申请数量\n\t0 \n\n",
    )
    assert grid.sheets[0].rows == [
        ["第二十条第（一）项"],
        ["信息内容", "本年制发件数"],
        ["规章", "0"],
        [None, "商业\n企业", None],  # empty cells kept: text is read by order
        [],
        ["一、本年新收政府信息公开申请数量", "0"],
    ]
    assert grid.text == (
        "某某街道办事处\n2021年政府信息公开工作年度报告\n"
        "二、主动公开政府信息情况\n三、收到和处理政府信息公开申请情况"
    )


def test_a_long_line_after_a_cell_ends_the_table_it_does_not_continue_the_cell(tmp_path):
    grid = read(
        tmp_path,
        "\t规章\n\t0\n五、存在的主要问题及改进情况：我街道在政务公开工作方面尽管做了一些工作。\n",
    )
    assert grid.sheets[0].rows == [["规章", "0"]]
    assert (grid.text or "").endswith("我街道在政务公开工作方面尽管做了一些工作。")


def test_a_paragraph_indented_with_a_tab_in_a_word_export_is_running_text(tmp_path):
    """Word's export leads each cell with a tab; a paragraph indented with one is a sentence,
    not a cell of a one-cell table (its figures were never compared with the tables)."""
    grid = read(
        tmp_path,
        "（二）依申请公开\n\t全年共收到政府信息公开申请150件。\n\n\t规章\n\t0\n\n",
    )
    assert grid.sheets[0].rows == [["规章", "0"]]
    assert "全年共收到政府信息公开申请150件。" in (grid.text or "").split("\n")


def test_one_row_per_line_cells_apart_by_tabs_wide_spaces_or_trailing_numbers(tmp_path):
    grid = read(
        tmp_path,
        "第二十条第（一）项\n"
        "信息内容\t本年制发件数\t本年废止件数\n"
        "规章 0 0\n"
        "行政规范性文件    3    1,234\n"
        "2023年全区受理政府信息公开申请21件。\n",
    )
    rows = grid.sheets[0].rows
    assert rows[-5:] == [
        ["第二十条第（一）项"],
        ["信息内容", "本年制发件数", "本年废止件数"],
        ["规章", "0", "0"],
        ["行政规范性文件", "3", "1,234"],
        ["2023年全区受理政府信息公开申请21件。"],
    ]
    assert (grid.text or "").splitlines()[-2:] == [
        "第二十条第（一）项",
        "2023年全区受理政府信息公开申请21件。",
    ]


def test_word_bookmarks_are_dropped_and_gbk_text_is_read(tmp_path):
    grid = read(tmp_path, "[bookmark: _GoBack]（二）依申请公开\n", encoding="gbk")
    assert (grid.text or "").splitlines()[-1] == "（二）依申请公开"


def test_the_seed_report_gives_every_row_label_followed_by_its_cells():
    expected, path = published("seed-report-2021-水泥路街道.json")
    with open_source(path) as grid:
        rows = grid.sheets[0].rows
    for key in ("二", "三"):
        for entry in expected[key]:
            (line,) = [line for line in rows if entry["label"] in line]
            assert line[line.index(entry["label"]) + 1 :] == entry["values"], entry["label"]
    assert expected["四"]["values"] in rows
    assert (grid.text or "").splitlines()[:2] == [
        "道外区水泥路街道办事处",
        "2021年政府信息公开工作年度报告",
    ]


def test_a_text_file_of_far_more_lines_than_a_report_is_refused_with_f04(tmp_path):
    from nianbao.form.findings import Rule
    from nianbao.sources.plaintext import MAX_LINES
    from tests.support.documents import refused

    path = tmp_path / "报告.txt"
    path.write_text("某区2024年政府信息公开工作年度报告\n" + "项目\t1\t2\n" * MAX_LINES)
    assert f"{MAX_LINES + 2:,} 行" in refused(path, Rule.F04)


def test_one_value_per_line_may_carry_its_unit(tmp_path):
    """「22件」 on a line of its own is a value of the row above it, as 「22」 is (it was taken
    for a label: 「该行应有 7 个数，文本中有 0 个」)."""
    from nianbao.sources.plaintext import text_tables

    lines = ["（一）予以公开", "22件", "0", "0", "0", "0", "0", "22件"]
    tables, _ = text_tables(lines)
    assert tables[0][-1][0] == "（一）予以公开" and len(tables[0][-1]) == 8


def test_a_row_of_numbers_typed_with_single_spaces_is_split_into_cells(tmp_path):
    """表四's data row typed as 「2 1 0 0 3 …」: one cell of fifteen numbers was refused
    (「应有 15 个数，文本中有 1 个」); a line of numbers only has a number per cell."""
    from nianbao.sources.plaintext import text_tables

    tables, _ = text_tables(["2 1 0 0 3 1 0 0 1 2 0 0 0 1 1"])
    assert tables[0] == [list("210031001200011")]
