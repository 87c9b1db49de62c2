"""Sweep 4 of published reports as web pages, Word files and text: what real pages and documents
do to a statutory table's cells, and what the reader makes of it.

- a cell holding a table of its own (a figure pasted into a cell as a one-cell table, a figure
  beside its unit in a small table): the statutory table around it is still read, the small
  table's text being that cell's text; a page or document laid out in tables stays layout;
- a Word text box anchored in a cell is not part of the cell's line: its digits are never
  run into the figure beside it (73 and a box holding 1 is not 731);
- a Word equation (OMML) in a cell shows its text; it is never dropped as if the cell were
  blank (counted as 0 in silence).
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from nianbao.checks.engine import validate_return
from nianbao.form import get_form
from nianbao.recognise.reader import read_return
from nianbao.sources.dispatch import open_source
from tests.support.documents import Printing, report_docx, report_html
from tests.support.returns import valid_return

FORM = get_form("2021")
SOURCE = valid_return(FORM, seed=5)
KEY = "三:1:c1"  # 一、本年新收 · 自然人
MARK = "@@"
TITLE = "某某区人民政府\n2024年政府信息公开工作年度报告"
M = "http://schemas.openxmlformats.org/officeDocument/2006/math"


def _marked() -> Printing:
    def text(key: str, value: object) -> str:
        if key == KEY:
            return MARK
        return "" if value is None else str(value)

    return Printing(title=TITLE, text=text)


def _page(tmp_path: Path, cell: str) -> Path:
    """The report as a web page, the cell KEY holding ``cell`` (markup)."""
    path = tmp_path / "报告.html"
    path.write_text(report_html(FORM, SOURCE.values, _marked()).replace(MARK, cell), "utf-8")
    return path


def _word(tmp_path: Path, paragraph: str) -> Path:
    """The report as a Word file, the cell KEY holding ``paragraph`` (body markup in place of
    its one paragraph)."""
    path = report_docx(tmp_path / "报告.docx", FORM, SOURCE.values, _marked())
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    document = parts["word/document.xml"].decode()
    marked = f"<w:p><w:r><w:t xml:space='preserve'>{MARK}</w:t></w:r></w:p>"
    assert marked in document
    document = document.replace(marked, paragraph).replace(
        "<w:document ", f"<w:document xmlns:m='{M}' ", 1
    )
    parts["word/document.xml"] = document.encode()
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def _run(text: str) -> str:
    return f"<w:r><w:t xml:space='preserve'>{text}</w:t></w:r>"


def _reads_as_printed(path: Path) -> None:
    ret = read_return(path)
    assert ret.values == SOURCE.values
    assert validate_return(ret) == []


# -- a table in a cell of the statutory table -------------------------------------------------------


def test_a_figure_in_a_table_of_its_own_inside_a_web_page_cell_is_read(tmp_path):
    value = SOURCE.values[KEY]
    _reads_as_printed(_page(tmp_path, f"<table><tr><td>{value}</td></tr></table>"))


def test_a_figure_in_a_table_of_its_own_inside_a_word_cell_is_read(tmp_path):
    value = SOURCE.values[KEY]
    nested = f"<w:tbl><w:tr><w:tc><w:p>{_run(value)}</w:p></w:tc></w:tr></w:tbl><w:p/>"
    _reads_as_printed(_word(tmp_path, nested))


def test_a_figure_beside_its_unit_in_a_small_table_is_that_cells_text(tmp_path):
    value = SOURCE.values[KEY]
    page = _page(tmp_path, f"<table><tr><td>{value}</td><td>件</td></tr></table>")
    ret = read_return(page)
    assert ret.values[KEY] == value  # 「73 件」: the figure, its unit noted (V06)
    assert {f.rule.id for f in validate_return(ret)} <= {"V06"}


def test_a_page_laid_out_in_tables_still_reads_its_innermost_tables(tmp_path):
    page = report_html(FORM, SOURCE.values, Printing(title=TITLE))
    page = page.replace(
        "<body><div class=WordSection1>",
        "<body><table><tr><td>首页</td><td>信息公开</td><td>1</td><td>2</td><td>3</td>"
        "<td>4</td></tr><tr><td>导航</td><td><div>",
    ).replace("</div></body>", "</div></td></tr></table></body>")
    path = tmp_path / "报告.html"
    path.write_text(page, "utf-8")
    _reads_as_printed(path)


# -- Word: text boxes and equations ------------------------------------------------------------------


def _text_box(text: str) -> str:
    """A run holding a floating text box (Word 2010+: a drawing, with a VML fallback)."""
    content = f"<w:txbxContent><w:p>{_run(text)}</w:p></w:txbxContent>"
    return (
        "<w:r><mc:AlternateContent xmlns:mc='http://schemas.openxmlformats.org/"
        "markup-compatibility/2006'><mc:Choice Requires='wps'><w:drawing><wp:anchor "
        "xmlns:wp='http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing'>"
        f"<wps:txbx xmlns:wps='http://schemas.microsoft.com/office/word/2010/wordprocessingShape'>"
        f"{content}</wps:txbx></wp:anchor></w:drawing></mc:Choice><mc:Fallback><w:pict>"
        f"<v:textbox xmlns:v='urn:schemas-microsoft-com:vml'>{content}</v:textbox></w:pict>"
        "</mc:Fallback></mc:AlternateContent></w:r>"
    )


def test_a_text_box_in_a_word_cell_is_never_run_into_the_figure_beside_it(tmp_path):
    value = SOURCE.values[KEY]
    path = _word(tmp_path, f"<w:p>{_run(value)}{_text_box('1')}</w:p>")
    ret = read_return(path)
    assert ret.values[KEY] == value  # never 731
    with open_source(path) as grid:
        assert "1" in grid.text.split("\n")  # the box's text is running text


def _inline_text_box(text: str) -> str:
    """A run holding a text box set in the line (``wp:inline``), as Word shows it there."""
    content = f"<w:txbxContent><w:p>{_run(text)}</w:p></w:txbxContent>"
    return (
        "<w:r><w:drawing><wp:inline "
        "xmlns:wp='http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing'>"
        "<wps:txbx xmlns:wps='http://schemas.microsoft.com/office/word/2010/wordprocessingShape'>"
        f"{content}</wps:txbx></wp:inline></w:drawing></w:r>"
    )


def test_a_text_box_set_in_a_cells_line_beside_a_figure_makes_it_no_figure(tmp_path):
    """Word shows 39 and an inline box holding 5 as 395: the figure read was 39, with no
    finding. A floating box may stand anywhere (above: its text is running text)."""
    value = SOURCE.values[KEY]
    ret = read_return(_word(tmp_path, f"<w:p>{_run(value)}{_inline_text_box('5')}</w:p>"))
    assert ret.values[KEY] == f"{value}〔单元格中的文本框：5〕"


def test_a_text_box_in_a_word_paragraph_is_a_line_of_its_own(tmp_path):
    path = _word(tmp_path, f"<w:p>{_run(SOURCE.values[KEY])}</w:p>")
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    document = parts["word/document.xml"].decode()
    box = f"<w:p>{_run('一、总体情况')}{_text_box('（盖章）')}</w:p>"
    document = document.replace("<w:body>", f"<w:body>{box}", 1)
    parts["word/document.xml"] = document.encode()
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    with open_source(path) as grid:
        lines = grid.text.split("\n")
    assert "一、总体情况" in lines and "（盖章）" in lines


def test_a_figure_typed_as_a_word_equation_is_read_not_dropped_as_blank(tmp_path):
    value = SOURCE.values[KEY]
    equation = f"<w:p><m:oMath><m:r><m:t>{value}</m:t></m:r></m:oMath></w:p>"
    _reads_as_printed(_word(tmp_path, equation))


def test_a_structured_equation_is_shown_never_read_as_one_figure(tmp_path):
    fraction = (
        "<w:p><m:oMath><m:f><m:num><m:r><m:t>1</m:t></m:r></m:num>"
        "<m:den><m:r><m:t>2</m:t></m:r></m:den></m:f></m:oMath></w:p>"
    )
    ret = read_return(_word(tmp_path, fraction))
    assert ret.values[KEY] not in (12, 1, 2, None)
    (v01,) = [f for f in validate_return(ret) if f.rule.id == "V01"]
    assert "1" in v01.message and "2" in v01.message


# -- spans and rows as browsers and Word show them -------------------------------------------------


def test_a_web_page_rowspan_of_zero_spans_the_rest_of_its_section_as_in_a_browser(tmp_path):
    # 「四、结转下年度」 set beside its figures in a last section whose group cell is
    # rowspan=0: a browser shows the group cell down to the section's end, the figures under
    # their columns; read as rowspan=1, each row below would shift left by one column
    page = (
        f"<html><body><h1>{TITLE.replace(chr(10), '')}</h1><table>"
        "<thead><tr><td rowspan=0>角</td><td>自然人</td><td>总计</td></tr></thead><tbody>"
        "<tr><td rowspan=0>三、本年度办理结果</td><td>（一）予以公开</td><td>1</td><td>2</td></tr>"
        "<tr><td>（二）部分公开</td><td>3</td><td>4</td></tr>"
        "<tr><td>（三）不予公开</td><td>5</td><td>6</td></tr>"
        "</tbody></table></body></html>"
    )
    path = tmp_path / "报告.html"
    path.write_text(page, "utf-8")
    with open_source(path) as grid:
        rows = grid.sheets[0].rows
    assert rows == [
        ["角", "自然人", "总计"],
        ["三、本年度办理结果", "（一）予以公开", "1", "2"],
        [None, "（二）部分公开", "3", "4"],
        [None, "（三）不予公开", "5", "6"],
    ]


def test_a_word_row_deleted_with_changes_tracked_is_not_read(tmp_path):
    path = report_docx(tmp_path / "报告.docx", FORM, SOURCE.values, Printing(title=TITLE))
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    document = parts["word/document.xml"].decode()
    label = document.index("一、本年新收政府信息公开申请数量")
    start = document.rfind("<w:tr>", 0, label)
    end = document.index("</w:tr>", label) + len("</w:tr>")
    row = document[start:end]
    # the row as it was: other figures, the whole row marked deleted (its runs left as they are,
    # as some editors write it)
    old = re.sub(r"(<w:t xml:space='preserve'>)(\d+)<", lambda m: f"{m[1]}{int(m[2]) + 100}<", row)
    old = old.replace("<w:tr>", "<w:tr><w:trPr><w:del w:id='9' w:author='a'/></w:trPr>", 1)
    parts["word/document.xml"] = (document[:start] + old + document[start:]).encode()
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    _reads_as_printed(path)
