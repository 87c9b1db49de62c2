"""表四 printed as column groups stacked one under another (web pages, Word).

The form's 15 columns are too wide for a portrait page, so some reports print 行政复议 with its
five columns and figure row, and below it 行政诉讼 (or 未经复议直接起诉 and 复议后起诉 apart),
each under its own header. Each group is read under its own header and the groups are joined
into the one 表四; a stack whose figure rows cannot be told is refused, saying so.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from nianbao.checks.engine import validate_return
from nianbao.form import get_form
from nianbao.form.findings import Rule
from nianbao.recognise.reader import UnknownLayout, read_return
from tests.support.documents import Printing, report_docx, report_html, w_cell, w_row, w_table
from tests.support.foreign import write_foreign
from tests.support.pdfs import html_pdf
from tests.support.returns import valid_return
from tests.support.soffice import requires_soffice

FORM = get_form("2021")
RESULTS = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
# every cell of 表四 a figure of its own, totals that add up: a figure in the wrong cell shows
FIGURES = {
    "ar": (1, 2, 3, 4, 10),
    "ld": (5, 6, 7, 8, 26),
    "lr": (11, 12, 13, 14, 50),
}

Row = list[tuple[str, int]]  # (text, colspan) per cell
Part = list[Row]  # one printed table


def figures(group: str, span: int = 1) -> Row:
    return [(str(n), span) for n in FIGURES[group]]


def results(span: int = 1) -> Row:
    return [(label, span) for label in RESULTS]


REVIEW: Part = [[("行政复议", 5)], results(), figures("ar")]
LITIGATION: Part = [
    [("行政诉讼", 10)],
    [("未经复议直接起诉", 5), ("复议后起诉", 5)],
    results() + results(),
    figures("ld") + figures("lr"),
]
DIRECT: Part = [[("行政诉讼", 5)], [("未经复议直接起诉", 5)], results(), figures("ld")]
AFTER: Part = [[("复议后起诉", 5)], results(), figures("lr")]

LAYOUTS: dict[str, list[Part]] = {
    "two tables": [REVIEW, LITIGATION],
    "three tables": [REVIEW, DIRECT, AFTER],
    "three tables, no 行政诉讼 heading": [REVIEW, DIRECT[1:], AFTER],
    # one table ten columns wide, 行政复议's columns two apiece
    "one table": [[[("行政复议", 10)], results(2), figures("ar", 2), *LITIGATION]],
}


def html_tables(parts: list[Part]) -> str:
    def cell(text: str, span: int) -> str:
        return f"<td colspan={span}>{text}</td>" if span > 1 else f"<td>{text}</td>"

    return "".join(
        "<table class=MsoNormalTable border=1>"
        + "".join("<tr>" + "".join(cell(*c) for c in row) + "</tr>" for row in part)
        + "</table>"
        for part in parts
    )


def word_tables(parts: list[Part]) -> str:
    return "".join(
        w_table(*(w_row(*(w_cell(text, span=span) for text, span in row)) for row in part))
        for part in parts
    )


def _replace_last(markup: str, opening: str, closing: str, replacement: str) -> str:
    start = markup.rindex(opening)
    end = markup.index(closing, start) + len(closing)
    return markup[:start] + replacement + markup[end:]


def filled_values() -> dict[str, object]:
    """A valid return's figures, 表四's those of FIGURES."""
    values = dict(valid_return(FORM, seed=11, year=2024).values)
    for group, row in FIGURES.items():
        for i, n in enumerate(row, start=1):
            values[f"四:1:{group}{i}"] = n
    return values


def write(folder: Path, kind: str, parts: list[Part]) -> Path:
    """A report whose 表四 (its last table) is printed as ``parts``, the rest as the form has it."""
    values = filled_values()
    printing = Printing(title="某某区人民政府\n2024年政府信息公开工作年度报告")
    folder.mkdir(parents=True, exist_ok=True)
    if kind == "html":
        path = folder / "报告.html"
        page = report_html(FORM, values, printing)
        path.write_text(
            _replace_last(page, "<table", "</table>", html_tables(parts)), encoding="utf-8"
        )
        return path
    made = report_docx(folder / "made.docx", FORM, values, printing)
    path = folder / "报告.docx"
    with zipfile.ZipFile(made) as old, zipfile.ZipFile(path, "w") as new:
        for item in old.infolist():
            data = old.read(item)
            if item.filename == "word/document.xml":
                body = _replace_last(data.decode(), "<w:tbl>", "</w:tbl>", word_tables(parts))
                data = body.encode()
            new.writestr(item, data)
    return path


@pytest.mark.parametrize("kind", ["html", "docx"])
@pytest.mark.parametrize("layout", LAYOUTS)
def test_stacked_groups_are_read_each_under_its_own_header(tmp_path, kind, layout):
    ret = read_return(write(tmp_path, kind, LAYOUTS[layout]))
    for group, row in FIGURES.items():
        for i, n in enumerate(row, start=1):
            key = f"四:1:{group}{i}"
            assert ret.values[key] == n, (key, FORM.cell(key).column_label)
    assert validate_return(ret) == []


@requires_soffice
def test_a_pdf_with_the_groups_stacked_is_read(tmp_path):
    """The web page laid out and exported to PDF by LibreOffice: the groups as ruled tables."""
    page = write(tmp_path, "html", LAYOUTS["two tables"]).read_text(encoding="utf-8")
    body = page[page.index("<body>") + len("<body>") : page.index("</body>")]
    ret = read_return(html_pdf(tmp_path, "报告", body, landscape=True))
    for group, row in FIGURES.items():
        for i, n in enumerate(row, start=1):
            assert ret.values[f"四:1:{group}{i}"] == n, f"{group}{i}"
    assert validate_return(ret) == []


def test_a_workbook_with_the_groups_stacked_on_its_sheet_is_read_the_same(tmp_path):
    """A unit that typed 表四 as stacked groups, each group label merged over its columns."""
    import openpyxl

    path = tmp_path / "报表.xlsx"
    write_foreign(path, FORM, filled_values())
    workbook = openpyxl.load_workbook(path)
    del workbook["表四"]
    sheet = workbook.create_sheet("表四")
    row = 1
    for part in LAYOUTS["three tables"]:
        for line in part:
            col = 1
            for text, span in line:
                sheet.cell(row, col, int(text) if text.isdigit() else text)
                if span > 1:
                    sheet.merge_cells(
                        start_row=row, start_column=col, end_row=row, end_column=col + span - 1
                    )
                col += span
            row += 1
        row += 1  # a blank row between the groups
    workbook.save(path)
    ret = read_return(path, unit="某街道", year=2024)
    assert {key: ret.values[key] for key in ret.values if key.startswith("四:")} == {
        f"四:1:{group}{i}": n for group, row in FIGURES.items() for i, n in enumerate(row, start=1)
    }


def refusal(tmp_path: Path, parts: list[Part]) -> str:
    with pytest.raises(UnknownLayout) as caught:
        read_return(write(tmp_path, "html", parts))
    finding = caught.value.finding
    assert finding.rule is Rule.L01
    assert "表四「四、政府信息公开行政复议、行政诉讼情况」分成上下" in finding.message
    assert "次序" not in finding.message  # the columns are not misordered: the parts are stacked
    return finding.message


def test_a_group_without_its_figure_row_is_refused_naming_it(tmp_path):
    message = refusal(tmp_path, [REVIEW[:2], LITIGATION])
    assert "「行政复议」" in message and "没有数字行" in message


def test_a_group_with_two_rows_that_may_be_its_figures_is_refused(tmp_path):
    last_year = [(str(n + 100), 1) for n in FIGURES["ar"]]
    message = refusal(tmp_path, [[*REVIEW, last_year], LITIGATION])
    assert "「行政复议」" in message and "哪一行" in message


def test_a_group_missing_from_the_stack_is_named(tmp_path):
    message = refusal(tmp_path, [REVIEW, DIRECT])
    assert "「复议后起诉」" in message


def test_the_last_group_without_its_figure_row_is_refused_naming_it(tmp_path):
    message = refusal(tmp_path, [REVIEW, DIRECT, AFTER[:2]])
    assert "「复议后起诉」部分的表头下没有数字行" in message


def test_labels_out_of_order_inside_a_group_name_the_group(tmp_path):
    swapped = [("结果纠正", 1), ("结果维持", 1), *results()[2:]]
    message = refusal(tmp_path, [REVIEW, [*LITIGATION[:2], results() + swapped, LITIGATION[3]]])
    assert "「行政诉讼」部分的表头中「结果纠正」应在「结果维持」之后" in message
