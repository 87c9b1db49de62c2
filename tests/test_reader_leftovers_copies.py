"""Copies of a table each searched only up to the next copy's anchor, and a row printed again
below its table.

A document that prints a table twice (last year's before this year's) must not let a copy
missing a caption or a row label borrow the next copy's rows: the borrowed copy would be
taken as complete and, its own figures hidden, compared as "the same figures" (L06) while its
own figures differ. A copy missing a label is judged as what it is (placed by position where
the form allows, L04; else incomplete), and an incomplete copy holding other figures than the
complete one is refused with it (L05), never passed over in silence.

A row label printed again below its row after blank rows (below the table's last row) is L09,
like one right below."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest

from nianbao.checks.engine import validate_return
from nianbao.form import get_form
from nianbao.form.data import complete
from nianbao.form.findings import Rule
from nianbao.recognise.reader import UnknownLayout, read_return
from nianbao.xlsx.writer import write_return
from tests.support.documents import (
    Printing,
    _with_continued_cells,
    docx_file,
    report_html,
    report_tables,
    report_text,
    w_cell,
    w_paragraph,
    w_row,
    w_table,
)
from tests.support.foreign import ForeignStyle, write_foreign
from tests.support.returns import inputs_of, valid_return

FORM = get_form("2021")
TITLE = "某某区人民政府\n2024年政府信息公开工作年度报告"
THIS_YEAR = valid_return(FORM, seed=1).values
CAPTION_5 = "第二十条第（五）项"
PENALTY = "二:20-6.1:c1"  # 第二十条第（六）项 行政处罚 · 本年处理决定数量
PERMIT = "二:20-5.1:c1"  # 第二十条第（五）项 行政许可


def _html_body(page: str) -> str:
    return page.split("<div class=WordSection1>", 1)[1].rsplit("</div></body>", 1)[0]


def two_reports(tmp_path: Path, kind: str, first: dict, first_printing: Printing) -> Path:
    """A report printing the tables twice: ``first`` (as ``first_printing`` prints them, under
    the title), then this year's, printed as the form has them."""
    second_printing = Printing(title="", narrative=())
    if kind == "html":
        page = report_html(FORM, first, first_printing)
        more = _html_body(report_html(FORM, THIS_YEAR, second_printing))
        path = tmp_path / "报告.html"
        path.write_text(page.replace("</div></body>", more + "</div></body>"), encoding="utf-8")
        return path
    if kind == "text":
        path = tmp_path / "报告.txt"
        text = report_text(FORM, first, first_printing) + report_text(
            FORM, THIS_YEAR, second_printing
        )
        path.write_text(text, encoding="utf-8")
        return path
    blocks = [w_paragraph(line) for line in first_printing.title.split("\n")]
    for values, printing in ((first, first_printing), (THIS_YEAR, second_printing)):
        for heading, rows in report_tables(FORM, values, printing):
            blocks.append(w_paragraph(heading))
            grid = [
                [
                    w_cell(span=span, vmerge="")
                    if c is None
                    else w_cell(c.text, span=span, vmerge="restart" if c.rowspan > 1 else None)
                    for c, span in line
                ]
                for line in _with_continued_cells(rows)
            ]
            blocks.append(w_table(*(w_row(*cells) for cells in grid)))
    return docx_file(tmp_path / "报告.docx", *blocks)


NO_CAPTION_5 = Printing(title=TITLE, labels={CAPTION_5: "（五）标题缺失"})


@pytest.mark.parametrize("kind", ["html", "docx", "text"])
def test_a_copy_missing_a_caption_does_not_borrow_the_next_copys_block(tmp_path, kind):
    """Last year's 表二 printed first without its （五） caption, its 行政处罚 figure other than
    this year's: the copies differ, so nothing is read (before: the first copy took the second
    copy's blocks, "各份数字完全相同" was said and this year's figures read as certain)."""
    earlier = dict(THIS_YEAR)
    earlier[PENALTY] = THIS_YEAR[PENALTY] + 40  # type: ignore[operator]
    path = two_reports(tmp_path, kind, earlier, NO_CAPTION_5)
    with pytest.raises(UnknownLayout) as refused:
        read_return(path)
    finding = refused.value.finding
    assert finding.rule is Rule.L05, finding.message
    message = finding.message
    assert "表二「二、主动公开政府信息情况」印了 2 份" in message
    assert f"缺少标签「{CAPTION_5}」" in message  # the first copy said to be incomplete
    assert f"第 1 份为 {earlier[PENALTY]}，第 2 份为 {THIS_YEAR[PENALTY]}" in message
    assert "行政处罚" in message


@pytest.mark.parametrize("kind", ["html", "text"])
def test_an_incomplete_copy_with_the_same_figures_lets_the_complete_one_be_read(tmp_path, kind):
    path = two_reports(tmp_path, kind, dict(THIS_YEAR), NO_CAPTION_5)
    ret = read_return(path)
    assert inputs_of(ret) == {key: THIS_YEAR[key] for key in FORM.input_keys}
    (note,) = [n for n in ret.notes if n.rule is Rule.L06 and "表二" in n.message]
    assert "第 1 份（不完整，缺少标签「第二十条第（五）项」）" in note.message
    assert "已读取第 2 份" in note.message


def test_a_blank_incomplete_copy_lets_the_filled_one_be_read(tmp_path):
    path = two_reports(tmp_path, "html", dict.fromkeys(THIS_YEAR), NO_CAPTION_5)
    ret = read_return(path)
    assert inputs_of(ret) == {key: THIS_YEAR[key] for key in FORM.input_keys}
    notes = [n for n in ret.notes if n.rule is Rule.L06]
    assert len(notes) == 3
    assert all("只有这一份填了数字，已读取第 2 份" in n.message for n in notes)


def test_figures_only_in_the_incomplete_copy_are_not_read_as_the_blank_ones(tmp_path):
    """The tables printed twice, the second time blank (a template left in), the filled 表二
    missing its （五） caption: before, the blank copy was the only complete one and was read in
    silence, every figure of 表二 a blank counted as 0. Now nothing is read (L01, saying why)."""
    first = two_reports(tmp_path, "html", dict(THIS_YEAR), NO_CAPTION_5)
    page = first.read_text(encoding="utf-8")
    blank = _html_body(
        report_html(FORM, dict.fromkeys(THIS_YEAR), Printing(title="", narrative=()))
    )
    filled = _html_body(report_html(FORM, THIS_YEAR, Printing(title="", narrative=())))
    first.write_text(page.replace(filled, blank), encoding="utf-8")
    with pytest.raises(UnknownLayout) as refused:
        read_return(first)
    finding = refused.value.finding
    assert finding.rule is Rule.L01, finding.message
    assert "表二「二、主动公开政府信息情况」印了多份" in finding.message
    assert f"填了数字的一份缺少标签「{CAPTION_5}」" in finding.message
    assert "其余各份空白，未读取" in finding.message


# -- 表三 printed twice, one after the other -------------------------------------------------

T3 = FORM.table("三")
PUBLIC = T3.blocks[0].row_leaves[2].label  # （一）予以公开


def _table_html(values: dict, printing: Printing, code: str) -> str:
    """The <table> of 表``code`` as report_html prints it (the heading paragraph before it too)."""
    body = _html_body(report_html(FORM, values, printing))
    title = FORM.table(code).title
    start = body.index(f"<p>{title}</p>")
    return body[start : body.index("</table>", start) + len("</table>")]


def test_a_row_label_missing_in_the_first_of_two_adjacent_copies_is_placed_by_position(tmp_path):
    """Two copies of 表三 one after the other, the first missing 「（一）予以公开」: it used to
    take that row and every row after it from the second copy, so the copies looked the same
    (L06) although the first copy's figures differ from its third row on. Now the missing row is
    placed by position in its own copy (L04) and the copies' figures are compared: L05."""
    earlier = dict(THIS_YEAR)
    key = "三:3.3.1:c1"  # 1.属于国家秘密 · 自然人: a row after the missing one
    earlier[key] = THIS_YEAR[key] + 7  # type: ignore[operator]
    plain = Printing(title="", narrative=())
    first = _table_html(earlier, replace(plain, labels={PUBLIC: "（一）予以公开信息"}), "三")
    page = report_html(FORM, THIS_YEAR, Printing(title=TITLE))
    at = page.index(f"<p>{T3.title}</p>")
    path = tmp_path / "报告.html"
    path.write_text(page[:at] + first + page[at:], encoding="utf-8")
    with pytest.raises(UnknownLayout) as refused:
        read_return(path)
    finding = refused.value.finding
    assert finding.rule is Rule.L05, finding.message
    assert f"第 1 份为 {earlier[key]}，第 2 份为 {THIS_YEAR[key]}" in finding.message


# -- a row printed again after blank rows (L09) ------------------------------------------------

LAST_ROW = T3.blocks[0].row_leaves[-1]  # 四、结转下年度继续办理


def _paste_last_row(sheet, gap: int, figure: int) -> tuple[int, int]:
    """Type the last row of 表三 again ``gap`` rows below itself (openpyxl, 1-based rows), with
    ``figure`` in its first data cell; (the row, the pasted row)."""
    (label,) = [c for line in sheet.iter_rows() for c in line if c.value == LAST_ROW.label]
    row, below = label.row, label.row + gap
    for r in range(row + 1, below + 1):
        assert all(c.value is None for c in sheet[r]), "the rows below the table must be free"
    for column in range(1, sheet.max_column + 1):
        value = sheet.cell(row=row, column=column).value
        if value is not None and not str(value).startswith("="):
            sheet.cell(row=below, column=column, value=value)
    first = next(
        c
        for c in range(label.column + 1, sheet.max_column + 1)
        if isinstance(sheet.cell(row=row, column=c).value, int)
    )
    sheet.cell(row=below, column=first, value=figure)
    return row, below


def test_a_row_pasted_again_after_a_blank_row_below_the_table_is_l09(tmp_path):
    """A workbook typed by the unit: the last row of 表三 typed again two rows below the table
    with other figures. Its figures were never compared: the first row was read in silence."""
    form = FORM
    values = complete(form, {key: i for i, key in enumerate(form.input_keys, start=1)})
    path = tmp_path / "f.xlsx"
    write_foreign(
        path, form, values, ForeignStyle(sheet_names={"二": "主动", "三": "依申请", "四": "复议"})
    )
    book = openpyxl.load_workbook(path)
    row, below = _paste_last_row(book["依申请"], 2, 999)
    book.save(path)
    read = read_return(path)
    (note,) = [n for n in read.notes if n.rule is Rule.L09]
    assert f"{LAST_ROW.label}」行出现了两次（第 {row} 行、第 {below} 行）" in note.message
    assert f"第 {below} 行为 999" in note.message
    assert any(f.rule is Rule.L09 for f in validate_return(read))


def test_a_row_typed_again_under_the_templates_table_is_l09(tmp_path):
    """A return made from the template (its tables where the template puts them): the last row
    of 表三 typed again in the free row under the table. The template's own placement never
    looked for repeated rows."""
    path = tmp_path / "r.xlsx"
    write_return(path, FORM, valid_return(FORM, seed=7))
    book = openpyxl.load_workbook(path)
    row, below = _paste_last_row(book[T3.title], 1, 999)
    book.save(path)
    read = read_return(path)
    (note,) = [n for n in read.notes if n.rule is Rule.L09]
    assert f"{LAST_ROW.label}」行出现了两次（第 {row} 行、第 {below} 行）" in note.message
    assert not [
        n for n in read.notes if n.rule is Rule.L02
    ]  # still read where the template puts it


def test_a_document_row_printed_again_after_the_table_is_l09(tmp_path):
    """The 行政事业性收费 row printed again in a table of its own right after 表二 (a blank row
    between them in the document's grid), with another amount."""
    page = report_html(FORM, THIS_YEAR, Printing(title=TITLE))
    label = FORM.cell("二:20-8.1:c1").row.label
    start = page.index(label)
    row_start = page.rindex("<tr>", 0, start)
    row_end = page.index("</tr>", start) + len("</tr>")
    row = page[row_start:row_end]
    fee = THIS_YEAR["二:20-8.1:c1"]
    again = row.replace(f"<span>{fee}</span>", "<span>123.45</span>")
    assert again != row
    table_end = page.index("</table>", start) + len("</table>")
    extra = f"<table class=MsoNormalTable border=1>{again}</table>"
    path = tmp_path / "报告.html"
    path.write_text(page[:table_end] + extra + page[table_end:], encoding="utf-8")
    ret = read_return(path)
    (note,) = [n for n in ret.notes if n.rule is Rule.L09]
    assert "第 1 次为" in note.message and "第 2 次为 123.45" in note.message


def test_a_row_label_further_below_past_other_labels_is_no_repeat(tmp_path):
    """The last row of 表二 and, after 表三 and 表四, a copy of 表二 (same figures): no L09."""
    ret = read_return(two_reports(tmp_path, "html", dict(THIS_YEAR), Printing(title=TITLE)))
    assert not [n for n in ret.notes if n.rule is Rule.L09]
    assert inputs_of(ret) == {key: THIS_YEAR[key] for key in FORM.input_keys}


def _row_twice(page: str, label: str, old: object, new: object) -> str:
    """An HTML report with the row of ``label`` printed again right below it, ``old`` there
    replaced by ``new``."""
    start = page.index(label)
    row_start = page.rindex("<tr>", 0, start)
    row_end = page.index("</tr>", start) + len("</tr>")
    row = page[row_start:row_end]
    again = row.replace(f"<span>{old}</span>", f"<span>{new}</span>", 1)
    assert again != row
    return page[:row_end] + again + page[row_end:]


def test_the_first_row_of_table_3_printed_twice_is_one_table_with_a_repeated_row(tmp_path):
    """The row a copy of 表三 is anchored by, printed twice: one table with a row pasted twice
    (L09), not two copies of the table each searched up to the other."""
    first = T3.blocks[0].row_leaves[0]
    key = f"三:{first.code}:c1"
    page = report_html(FORM, THIS_YEAR, Printing(title=TITLE))
    path = tmp_path / "报告.html"
    path.write_text(_row_twice(page, first.label, THIS_YEAR[key], 555), encoding="utf-8")
    ret = read_return(path)
    (note,) = [n for n in ret.notes if n.rule is Rule.L09]
    assert f"第 1 次为 {THIS_YEAR[key]}，第 2 次为 555" in note.message
    assert not [n for n in ret.notes if n.rule in (Rule.L05, Rule.L06)]
    assert ret.values[key] == THIS_YEAR[key]


def test_a_row_printed_twice_in_a_text_report_is_l09(tmp_path):
    """A report saved as text: its rows are read by order, and a row printed twice was passed
    over in silence (the first read)."""
    text = report_text(FORM, THIS_YEAR, Printing(title=TITLE))
    label = FORM.cell(PERMIT).row.label
    lines = text.split("\n")
    at = lines.index("\t" + label)
    end = lines.index("", at)  # a blank line ends the row
    row = lines[at : end + 1]
    again = [line.replace(f"\t{THIS_YEAR[PERMIT]}", "\t371") for line in row]
    assert again != row
    path = tmp_path / "报告.txt"
    path.write_text("\n".join(lines[: end + 1] + again + lines[end + 1 :]), encoding="utf-8")
    ret = read_return(path)
    (note,) = [n for n in ret.notes if n.rule is Rule.L09]
    assert f"第 1 次为 {THIS_YEAR[PERMIT]}，第 2 次为 371" in note.message
    assert ret.values[PERMIT] == THIS_YEAR[PERMIT]
