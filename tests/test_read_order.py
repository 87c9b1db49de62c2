"""A table whose labels are all there but in another order than the form's (two columns or
two column groups swapped, two rows swapped) is refused, and the refusal says so: reading it
by position would put each figure in its neighbour's cell, and "缺少标签" would send the user
looking for a label that is printed.

Also here: how messages tell apart copies of a table side by side on one sheet, and a value
note in a document that names its cell once."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from nianbao.checks.engine import validate_return
from nianbao.form import get_form
from nianbao.form.findings import Rule
from nianbao.form.layout import layout_for
from nianbao.recognise.reader import UnknownLayout, read_return
from nianbao.xlsx.writer import write_return
from tests.support.documents import Printing, report_docx, report_html
from tests.support.returns import valid_return

FORM = get_form("2021")
LAYOUT = layout_for(FORM)
T3 = FORM.table("三").title
VALUES = valid_return(FORM, seed=4).values
SUED = "未经复议直接起诉"
SUED_AFTER = "复议后起诉"


def refusal(path: Path) -> str:
    with pytest.raises(UnknownLayout) as refused:
        read_return(path)
    assert refused.value.finding.rule is Rule.L01
    return refused.value.finding.message


def html_with(tmp_path: Path, edit) -> Path:
    path = tmp_path / "报告.html"
    page = report_html(FORM, VALUES, Printing())
    path.write_text(edit(page), encoding="utf-8")
    return path


def test_litigation_groups_printed_in_the_other_order_are_refused_as_misordered(tmp_path):
    def swap(page: str) -> str:
        assert page.count(SUED) == 1 and page.count(SUED_AFTER) == 1
        return page.replace(SUED, "@@").replace(SUED_AFTER, SUED).replace("@@", SUED_AFTER)

    message = refusal(html_with(tmp_path, swap))
    assert "的列次序与官方表式不同" in message
    assert f"「{SUED_AFTER}」应在「{SUED}」之后，却印在了它之前（左边）" in message
    assert "缺少标签" not in message


def test_two_swapped_columns_of_a_workbook_are_refused_as_misordered(tmp_path):
    path = tmp_path / "r.xlsx"
    write_return(path, FORM, valid_return(FORM, seed=5))
    book = openpyxl.load_workbook(path)
    sheet = book[T3]
    business, research = "商业企业", "科研机构"
    cells = {
        c.value: c for row in sheet.iter_rows() for c in row if c.value in (business, research)
    }
    cells[business].value, cells[research].value = research, business
    book.save(path)
    message = refusal(path)
    assert f"「{research}」应在「{business}」之后，却印在了它之前（左边）" in message
    assert "缺少标签" not in message


def test_two_swapped_rows_are_refused_as_misordered(tmp_path):
    table = FORM.table("三")
    first, second = (leaf.label for leaf in table.blocks[0].row_leaves[3:5])

    def swap(page: str) -> str:
        return page.replace(first, "@@").replace(second, first).replace("@@", second)

    message = refusal(html_with(tmp_path, swap))
    assert "的行次序与官方表式不同" in message
    assert f"「{second}」应在「{first}」之后，却印在了它之上" in message


def test_a_retyped_label_is_still_placed_by_position_not_called_misordered(tmp_path):
    ret = read_return(html_with(tmp_path, lambda page: page.replace("科研机构", "科研单位")))
    (note,) = [n for n in ret.notes if n.rule is Rule.L04]
    assert "科研机构" in note.message
    assert all("次序" not in n.message for n in ret.notes)


def test_copies_side_by_side_are_named_by_their_columns(tmp_path):
    path = tmp_path / "r.xlsx"
    write_return(path, FORM, valid_return(FORM, seed=6))
    book = openpyxl.load_workbook(path)
    sheet = book[T3]
    for row in list(sheet.iter_rows(min_row=1, max_row=sheet.max_row)):
        for cell in row:
            if cell.value is not None and not str(cell.value).startswith("="):
                sheet.cell(row=cell.row, column=cell.column + 12, value=cell.value)
    sheet["P5"] = 7  # the copy differs: two filled copies
    book.save(path)
    with pytest.raises(UnknownLayout) as refused:
        read_return(path)
    message = refused.value.finding.message
    assert refused.value.finding.rule is Rule.L05
    assert f"工作表「{T3}」第 2 行起（已填）" in message
    assert f"工作表「{T3}」第 2 行、M 列起（已填）" in message


def test_a_value_note_in_a_document_names_its_cell_once(tmp_path):
    key = "二:20-5.1:c1"  # 行政许可 · 本年处理决定数量
    cell = FORM.cell(key)

    def printed(k: str, value: object) -> str:
        return "49件左右" if k == key else ("" if value is None else str(value))

    path = tmp_path / "报告.html"
    path.write_text(report_html(FORM, VALUES, Printing(text=printed)), encoding="utf-8")
    (v01,) = [f for f in validate_return(read_return(path)) if f.rule is Rule.V01]
    assert v01.message.startswith("此格填的是「49件左右」，不是数字")
    assert cell.description not in v01.message


# -- a row printed twice ---------------------------------------------------------------------

PERMIT = "二:20-5.1:c1"  # 第二十条第（五）项 行政许可 · 本年处理决定数量


def html_with_row_twice(tmp_path: Path, figure: object) -> Path:
    """The 行政许可 row printed again right below itself, with ``figure`` in its cell."""
    page = report_html(FORM, VALUES, Printing())
    label = FORM.cell(PERMIT).row.label
    start = page.index(label)
    row_start = page.rindex("<tr>", 0, start)
    row_end = page.index("</tr>", start) + len("</tr>")
    row = page[row_start:row_end]
    again = row.replace(f"<span>{VALUES[PERMIT]}</span>", f"<span>{figure}</span>")
    path = tmp_path / "报告.html"
    path.write_text(page[:row_end] + again + page[row_end:], encoding="utf-8")
    return path


def test_a_row_printed_twice_with_other_figures_is_l09_and_does_not_pass(tmp_path):
    other = VALUES[PERMIT] + 371  # type: ignore[operator]
    ret = read_return(html_with_row_twice(tmp_path, other))
    (note,) = [n for n in ret.notes if n.rule is Rule.L09]
    assert note.level.value == "error"
    assert note.message.startswith("这一行出现了两次（第 1 次、第 2 次），数字不同")
    assert f"「本年处理决定数量」列：第 1 次为 {VALUES[PERMIT]}，第 2 次为 {other}" in note.message
    assert note.places[0].row == FORM.cell(PERMIT).row_label


def test_a_row_printed_twice_with_the_same_figures_reads_without_a_note(tmp_path):
    ret = read_return(html_with_row_twice(tmp_path, VALUES[PERMIT]))
    assert not [n for n in ret.notes if n.rule is Rule.L09]
    assert ret.values[PERMIT] == VALUES[PERMIT]


def test_a_workbook_row_pasted_twice_names_both_rows(tmp_path):
    path = tmp_path / "r.xlsx"
    write_return(path, FORM, valid_return(FORM, seed=7))
    book = openpyxl.load_workbook(path)
    sheet = book[T3]
    label = FORM.table("三").blocks[0].row_leaves[3].label
    (row,) = [c.row for line in sheet.iter_rows() for c in line if c.value == label]
    sheet.insert_rows(row + 1)
    for column in range(1, sheet.max_column + 1):
        source = sheet.cell(row=row, column=column).value
        if source is not None and not str(source).startswith("="):
            sheet.cell(row=row + 1, column=column, value=source)
    sheet.cell(row=row + 1, column=4, value=999)
    book.save(path)
    ret = read_return(path)
    (note,) = [n for n in ret.notes if n.rule is Rule.L09]
    assert f"{label}」行出现了两次（第 {row} 行、第 {row + 1} 行）" in note.message
    assert f"第 {row + 1} 行为 999" in note.message


def test_a_total_column_printed_first_is_read_by_its_label(tmp_path):
    """总计 before 自然人: its cells are computed from the others, so it is found by its label
    wherever it stands; nothing is refused and nothing is noted."""
    from lxml import html as lxml_html

    root = lxml_html.document_fromstring(report_html(FORM, VALUES, Printing()))
    (table,) = [t for t in root.iter("table") if "自然人" in t.text_content()]
    for row in table.iter("tr"):
        cells = row.findall("td")
        texts = [c.text_content().strip() for c in cells]
        if "自然人" in texts:
            total = cells[texts.index("总计")]
            row.remove(total)
            row.insert(texts.index("自然人"), total)
        elif len(cells) >= 7 and texts[0] not in ("申请人情况",) and "商业企业" not in texts:
            if all(t.isdigit() for t in texts[-7:]):
                last = cells[-1]
                row.remove(last)
                row.insert(len(cells) - 7, last)
    path = tmp_path / "报告.html"
    path.write_bytes(lxml_html.tostring(root, encoding="utf-8"))
    ret = read_return(path)
    assert {k: ret.values[k] for k in FORM.input_keys} == {k: VALUES[k] for k in FORM.input_keys}
    assert not [n for n in ret.notes if n.rule in (Rule.L01, Rule.L04)]
    assert not validate_return(ret)


def test_a_report_with_a_broken_table_in_a_folder_is_an_error_not_skipped(tmp_path):
    """A folder scan lists documents that are no report at all (a notice) as 未读取; a report
    whose table is there but cannot be read stays an error and fails the run."""
    from click.testing import CliRunner

    from nianbao.cli import cli

    folder = tmp_path / "收回"
    folder.mkdir()
    page = report_html(FORM, VALUES, Printing())
    swapped = page.replace(SUED, "@@").replace(SUED_AFTER, SUED).replace("@@", SUED_AFTER)
    (folder / "甲.html").write_text(swapped, encoding="utf-8")
    notice = "<html><body><p>关于报送政府信息公开工作年度报告的通知</p></body></html>"
    (folder / "通知.html").write_text(notice, encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", str(folder)])
    assert result.exit_code == 2, result.output
    assert "[L01 错误]" in result.output and "列次序与官方表式不同" in result.output
    assert "未读取：文件「通知.html」" in result.output


def _html_without(missing: int, path: Path) -> None:
    """The report as a web page with one table replaced by a picture."""
    from lxml import html as lxml_html

    root = lxml_html.document_fromstring(report_html(FORM, VALUES, Printing()))
    tables = root.xpath("//table")
    assert len(tables) == 3
    tables[missing].getparent().replace(tables[missing], lxml_html.fromstring("<p><img></p>"))
    path.write_bytes(lxml_html.tostring(root, encoding="utf-8"))


def _docx_without(missing: int, path: Path) -> None:
    """The report as a Word file with one table left out (pasted as a picture, say)."""
    import zipfile

    from lxml import etree

    whole = report_docx(path.with_name("整份.docx"), FORM, VALUES, Printing())
    with zipfile.ZipFile(whole) as source, zipfile.ZipFile(path, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "word/document.xml":
                root = etree.fromstring(data)
                tables = root.findall(".//{*}tbl")
                assert len(tables) == 3
                tables[missing].getparent().remove(tables[missing])
                data = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
            target.writestr(item, data)
    whole.unlink()


@pytest.mark.parametrize("missing", [0, 1, 2], ids=["表二", "表三", "表四"])
@pytest.mark.parametrize(
    ("suffix", "without"), [(".html", _html_without), (".docx", _docx_without)]
)
def test_a_report_with_a_table_left_out_in_a_folder_is_an_error_not_skipped(
    tmp_path, missing, suffix, without
):
    """A report whose table is a scanned page or a picture has none of that table's labels:
    its other tables make it a report all the same, unreadable (an error that fails the run
    and keeps it out of a merge), never a document listed as 未读取 and merged without."""
    from click.testing import CliRunner

    from nianbao.cli import cli

    folder = tmp_path / "收回"
    folder.mkdir()
    without(missing, folder / f"乙{suffix}")
    (folder / "甲.html").write_text(report_html(FORM, VALUES, Printing()), encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", str(folder)])
    assert result.exit_code == 2, result.output
    assert f"乙{suffix}：✗ 无法读取" in result.output
    assert "未读取（不是报表）" not in result.output
    merged = CliRunner().invoke(cli, ["merge", str(folder), "-o", str(tmp_path / "汇总.xlsx")])
    assert merged.exit_code != 0 and not (tmp_path / "汇总.xlsx").exists()
