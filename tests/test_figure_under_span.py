"""A figure is read from under its column header's whole span.

表二's （五）（六）（八） blocks have one data column each, its label 「本年处理决定数量」 (or
「本年收费金额（单位：万元）」) merged over three columns. A unit that kept the 2019 form's rows
(处理决定数量 was the third of three cells there) and merged only the header prints the figure
row as three separate cells with the figure in the second or third. The figure was read from
the label's first column: blank, so 0, with no more than a V04 warning (the report passed and
merge summed 0; found in the real 2023 平潭综合实验区 report). The rule (locate.under_headers):

- exactly one cell under the span holds something: that is the figure, read without a word;
- more than one: an error (V12) at the cell naming them, none read (counted as blank);
- none: blank as ever (V04).

Web pages (colspan), Word (gridSpan) and workbooks (a merged range) alike: one policy, over the
spans the sources give as ``Sheet.merges``.
"""

from __future__ import annotations

import io
import re
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from nianbao.form import get_form
from nianbao.form.findings import Rule
from nianbao.form.layout import layout_for
from nianbao.recognise.reader import read_return
from nianbao.sources.dispatch import open_source
from nianbao.xlsx.writer import write_return
from tests.support import badfiles, documents
from tests.support.documents import (
    docx_file,
    report_docx,
    report_html,
    w_cell,
    w_paragraph,
    w_row,
    w_table,
)
from tests.support.foreign import ForeignStyle, write_foreign
from tests.support.returns import valid_return
from tests.support.soffice import convert, requires_soffice

FORM = get_form("2021")
LAYOUT = layout_for(FORM).sheet_for("二:")
T2 = FORM.table("二")
# the one-column blocks' cells: 行政许可, 行政处罚, 行政强制, 行政事业性收费
ONE_COLUMN = ("二:20-5.1:c1", "二:20-6.1:c1", "二:20-6.2:c1", "二:20-8.1:c1")
PERMITS = ONE_COLUMN[0]
LABEL_OF = {key: FORM.cell(key).row_label.split()[-1] for key in ONE_COLUMN}


def figures() -> dict[str, object]:
    ret = valid_return(FORM, seed=21)
    values = dict(ret.values)
    values[PERMITS], values["二:20-8.1:c1"] = 2629, Decimal("5949.09")
    return values


def notes(ret, rule: Rule) -> list:
    return [note for note in ret.notes if note.rule is rule]


# -- documents: a figure row of three cells under a header merged over three -------------------


def _split(cells: dict[str, tuple[str, str, str]]):
    """report_tables printing the rows of ``cells`` (row label -> the three cells' texts) as
    three cells under their block's merged header, the rest as the form has it."""
    original = documents.report_tables

    def report_tables(form, values, printing):
        tables = original(form, values, printing)
        for _, rows in tables:
            for line in rows:
                if len(line) == 2 and line[0].text in cells and line[1].colspan == 3:
                    texts = cells[line[0].text]
                    line[1:] = [documents._Cell(text) for text in texts]
        return tables

    return report_tables


def _place(values: dict[str, object], key: str, where: int) -> tuple[str, str, str]:
    texts = ["", "", ""]
    texts[where] = str(values[key])
    return texts[0], texts[1], texts[2]


def _document(kind: str, tmp_path: Path, values, monkeypatch, cells) -> Path:
    monkeypatch.setattr(documents, "report_tables", _split(cells))
    if kind == "html":
        path = tmp_path / "报告.html"
        path.write_text(report_html(FORM, values), encoding="utf-8")
        return path
    return report_docx(tmp_path / "报告.docx", FORM, values)


@pytest.mark.parametrize("kind", ["html", "docx"])
@pytest.mark.parametrize("where", [1, 2], ids=["middle", "last"])
def test_a_figure_in_a_later_cell_under_the_merged_header_is_read(
    tmp_path, monkeypatch, kind, where
):
    values = figures()
    cells = {LABEL_OF[key]: _place(values, key, where) for key in ONE_COLUMN}
    ret = read_return(_document(kind, tmp_path, values, monkeypatch, cells))
    for key in ONE_COLUMN:
        assert ret.values[key] == values[key], key
    assert not notes(ret, Rule.V04), [n.message for n in notes(ret, Rule.V04)]
    assert not [n for n in ret.notes if n.level.value == "error"]


@pytest.mark.parametrize("kind", ["html", "docx"])
def test_two_cells_with_figures_under_the_header_are_an_error_and_neither_is_read(
    tmp_path, monkeypatch, kind
):
    values = figures()
    # 2019's three cells kept whole: 上一年项目数量 120, 本年增/减 blank, 处理决定数量 2629
    cells = {"行政许可": ("120", "", "2629")}
    ret = read_return(_document(kind, tmp_path, values, monkeypatch, cells))
    assert ret.values[PERMITS] is None  # neither figure is the cell's: none is guessed
    (note,) = notes(ret, Rule.V12)
    assert note.level.value == "error"
    assert "「120」" in note.message and "「2629」" in note.message
    assert "第 1 格" in note.message and "第 3 格" in note.message
    (place,) = note.places
    assert place.row.endswith("行政许可") and place.column == "本年处理决定数量"
    # no blank is claimed where figures stand, and the other rows read as ever
    assert not notes(ret, Rule.V04)
    for key in ONE_COLUMN[1:]:
        assert ret.values[key] == values[key]


@pytest.mark.parametrize("kind", ["html", "docx"])
def test_a_placeholder_beside_a_figure_under_the_header_is_not_guessed_either(
    tmp_path, monkeypatch, kind
):
    cells = {"行政处罚": ("/", "1330", "")}
    ret = read_return(_document(kind, tmp_path, figures(), monkeypatch, cells))
    assert ret.values["二:20-6.1:c1"] is None
    (note,) = notes(ret, Rule.V12)
    assert "「/」" in note.message and "「1330」" in note.message


@pytest.mark.parametrize("kind", ["html", "docx"])
def test_three_blank_cells_under_the_header_are_blank_as_before(tmp_path, monkeypatch, kind):
    values = figures()
    cells = {"行政强制": ("", "", "")}
    ret = read_return(_document(kind, tmp_path, values, monkeypatch, cells))
    assert ret.values["二:20-6.2:c1"] is None
    (note,) = notes(ret, Rule.V04)
    assert note.operands["count"] == 1
    assert not notes(ret, Rule.V12)


@pytest.mark.parametrize("kind", ["html", "docx"])
def test_the_form_as_printed_reads_as_ever(tmp_path, kind):
    """The figure in one cell merged over the three (the form's own printing): read, no note."""
    values = figures()
    if kind == "html":
        path = tmp_path / "报告.html"
        path.write_text(report_html(FORM, values), encoding="utf-8")
    else:
        path = report_docx(tmp_path / "报告.docx", FORM, values)
    ret = read_return(path)
    for key in ONE_COLUMN:
        assert ret.values[key] == values[key]
    assert not notes(ret, Rule.V04) and not notes(ret, Rule.V12)


# -- the spans a document gives ------------------------------------------------------------------


def test_a_web_page_gives_its_spans_where_its_table_lands_on_the_sheet(tmp_path):
    """Blank rows are dropped and tables right-aligned on the sheet: the spans follow."""
    page = (
        "<html><body><p>某区2024年政府信息公开工作年度报告</p><table>"
        "<tr><td>甲</td><td>乙</td><td>丙</td><td>丁</td></tr></table>"
        "<table><tr><td></td><td></td></tr>"  # a blank row: dropped
        "<tr><td rowspan=2>表头</td><td>x</td></tr>"
        "<tr><td>y</td></tr>"
        "<tr><td colspan=2>合并</td></tr></table></body></html>"
    )
    path = tmp_path / "p.html"
    path.write_text(page, encoding="utf-8")
    with open_source(path) as grid:
        sheet = grid.sheets[0]
        assert sheet.rows[2:] == [
            [None, None, "表头", "x"],
            [None, None, None, "y"],
            [None, None, "合并"],
        ]
        assert sorted(sheet.merges) == [((2, 2), (3, 2)), ((4, 2), (4, 3))]


def test_a_word_table_gives_its_grid_spans_and_vertical_merges(tmp_path):
    path = docx_file(
        tmp_path / "t.docx",
        w_paragraph("某区2024年政府信息公开工作年度报告"),
        w_table(
            w_row(w_cell("甲", vmerge="restart"), w_cell("乙", span=2)),
            w_row(w_cell(vmerge=""), w_cell("1"), w_cell("2")),
            w_row(w_cell("丙"), w_cell("3"), w_cell("4")),
        ),
    )
    with open_source(path) as grid:
        sheet = grid.sheets[0]
        assert sheet.rows == [["甲", "乙"], [None, "1", "2"], ["丙", "3", "4"]]
        assert sorted(sheet.merges) == [((0, 0), (1, 0)), ((0, 1), (0, 2))]


# -- workbooks: a merged header over separate cells -----------------------------------------------


def _unmerged(path: Path, sheet: str, moves: dict[str, dict[str, object]]) -> Path:
    """The workbook at ``path`` with the data cells of ``moves`` (A1 of a data cell merged
    over its row's three cells -> what to type in each of the three) unmerged and retyped,
    the header above still merged."""
    workbook = openpyxl.load_workbook(path)
    ws = workbook[sheet]
    for first, typed in moves.items():
        merged = next(str(m) for m in ws.merged_cells.ranges if str(m).startswith(first + ":"))
        ws.unmerge_cells(merged)
        for a1, value in typed.items():
            ws[a1] = value
    workbook.save(path)
    return path


def _row_cells(first: str) -> list[str]:
    """The three A1 cells of a 表二 one-column block's row, from its first."""
    row = first[1:]
    return [f"{col}{row}" for col in "BCD"]


@pytest.mark.parametrize("engine", ["calamine", "openpyxl"])
@pytest.mark.parametrize("identity", [True, False], ids=["template", "foreign"])
def test_a_workbook_figure_under_a_merged_header_is_read_from_its_cell(tmp_path, engine, identity):
    values = figures()
    path = tmp_path / "r.xlsx"
    if identity:
        ret = valid_return(FORM, seed=21)
        ret.values.update(values)
        write_return(path, FORM, ret)
        sheet = LAYOUT.name
        at = {key: LAYOUT.address(key) for key in ONE_COLUMN}
    else:
        located = write_foreign(path, FORM, values, ForeignStyle(sheets="one"))
        sheet = located[PERMITS][0]
        at = {key: located[key][1] for key in ONE_COLUMN}
    moves = {}
    for n, key in enumerate(ONE_COLUMN):
        cells = _row_cells(at[key])
        moves[at[key]] = {cells[0]: None, cells[1 + n % 2]: values[key]}
    ret = read_return(_unmerged(path, sheet, moves), engine=engine)
    for n, key in enumerate(ONE_COLUMN):
        assert ret.values[key] == values[key], key
        assert ret.location(key) == (sheet, _row_cells(at[key])[1 + n % 2])
    assert not notes(ret, Rule.V04) and not notes(ret, Rule.V12)
    assert not notes(ret, Rule.V11)


@pytest.mark.parametrize("engine", ["calamine", "openpyxl"])
def test_two_workbook_cells_with_figures_under_a_merged_header_are_an_error(tmp_path, engine):
    values = figures()
    path = tmp_path / "r.xlsx"
    ret = valid_return(FORM, seed=21)
    ret.values.update(values)
    write_return(path, FORM, ret)
    first = LAYOUT.address(PERMITS)
    b, c, d = _row_cells(first)
    ret = read_return(_unmerged(path, LAYOUT.name, {first: {b: 120, d: 2629}}), engine=engine)
    assert ret.values[PERMITS] is None
    (note,) = notes(ret, Rule.V12)
    assert note.level.value == "error"
    assert note.sheet == LAYOUT.name and note.cells == (b, d)
    assert f"{b}「120」" in note.message and f"{d}「2629」" in note.message
    assert not notes(ret, Rule.V04)


def test_the_template_as_written_reads_as_ever(tmp_path):
    """The template merges each one-column block's data cell over the three: no cell under
    the header is a separate one, so nothing moves (and the template's layout is untouched)."""
    ret = valid_return(FORM, seed=21)
    path = tmp_path / "r.xlsx"
    write_return(path, FORM, ret)
    read = read_return(path)
    assert read.values == ret.values
    assert read.locations == {}
    assert not [n for n in read.notes if n.rule in (Rule.V12, Rule.V04, Rule.V11)]


@pytest.mark.parametrize("engine", ["calamine", "openpyxl"])
def test_a_figure_hidden_under_the_templates_merged_data_cell_is_v11(tmp_path, engine):
    """A cell covered by the data cell's own merged range is no separate cell under the
    header: the range's first cell is read, and the figure hidden beside it is V11 (read by
    nobody and seen by nobody; it was not reported before)."""
    values = figures()
    ret = valid_return(FORM, seed=21)
    ret.values.update(values)
    path = tmp_path / "r.xlsx"
    write_return(path, FORM, ret)
    first = LAYOUT.address(PERMITS)
    b, c, d = _row_cells(first)
    _unmerged(path, LAYOUT.name, {first: {d: 77}})  # a figure typed into D …
    part = "xl/worksheets/sheet2.xml"  # … and B:D merged again over it (test_read_merges)
    data = path.read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = archive.read(part).decode()
    assert f'<c r="{d}"' in xml
    xml, n = re.subn(
        r'<mergeCells count="(\d+)">',
        lambda m: f'<mergeCells count="{int(m.group(1)) + 1}"><mergeCell ref="{b}:{d}"/>',
        xml,
    )
    assert n == 1
    path.write_bytes(badfiles.rezip(data, replace={part: xml.encode()}))
    read = read_return(path, engine=engine)
    assert read.values[PERMITS] == values[PERMITS]
    (note,) = notes(read, Rule.V11)
    assert note.cells == (d,) and note.level.value == "error"
    assert f"{d}「77」" in note.message and "不会被读取" in note.message
    assert not notes(read, Rule.V12)


# -- Word as python-docx writes it (nianbao publish), and the PDF printed from it -----------------

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _published_word(tmp_path: Path, where: int) -> tuple[dict[str, object], Path]:
    """nianbao's own Word report of a return, its one-column blocks' figure cells (merged
    over three, as the form has them) split back into three with the figure in ``where``:
    what the real 2021 Word template filled in that way gives (python-docx)."""
    import copy

    import docx

    from nianbao.documents.docx import write_docx
    from nianbao.documents.report import build_report

    ret = valid_return(FORM, seed=21, unit="测试局", year=2025)
    source, target = tmp_path / "原.docx", tmp_path / "报告.docx"
    write_docx(build_report(ret), source)
    document = docx.Document(str(source))
    labels = set(LABEL_OF.values())
    for row in document.tables[0]._tbl.iter(_W + "tr"):
        cells = row.findall(_W + "tc")
        if len(cells) != 2 or "".join(t.text or "" for t in cells[0].iter(_W + "t")) not in labels:
            continue
        figure = cells[1]
        grid_span = figure.find(f"{_W}tcPr/{_W}gridSpan")
        grid_span.getparent().remove(grid_span)
        split = [figure, copy.deepcopy(figure), copy.deepcopy(figure)]
        for n, cell in enumerate(split):
            for text in cell.iter(_W + "t"):
                text.text = text.text if n == where else ""
        figure.addnext(split[1])
        split[1].addnext(split[2])
    document.save(str(target))
    return dict(ret.values), target


@pytest.mark.parametrize("where", [1, 2], ids=["middle", "last"])
def test_a_word_reports_figure_in_a_later_cell_under_the_merged_header_is_read(tmp_path, where):
    values, path = _published_word(tmp_path, where)
    ret = read_return(path)
    assert [ret.values[key] for key in ONE_COLUMN] == [values[key] for key in ONE_COLUMN]
    assert not notes(ret, Rule.V04)


@requires_soffice
def test_a_pdf_figure_in_a_later_cell_under_the_merged_header_is_read(tmp_path):
    values, word = _published_word(tmp_path, 2)
    ret = read_return(convert(word, "pdf", tmp_path))
    assert [ret.values[key] for key in ONE_COLUMN] == [values[key] for key in ONE_COLUMN]
    assert not notes(ret, Rule.V04)
