"""Sweep 4 of how units fill and mangle the workbook: what was still read wrong, or said wrong.

Each test names a situation a unit creates in Excel or WPS and what nianbao must say about it,
read by both engines (which must agree).
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from nianbao.checks.engine import validate_return
from nianbao.form import get_form
from nianbao.form.data import Return
from nianbao.form.findings import Rule
from nianbao.form.layout import layout_for
from nianbao.recognise.normalize import normalize
from nianbao.recognise.reader import read_return
from nianbao.xlsx.writer import write_return
from tests.support.engines import read_with_both_engines
from tests.support.returns import valid_return

FORM = get_form("2021")
LAYOUT = layout_for(FORM)
T3 = FORM.table("三").title


def a1(key: str) -> str:
    return LAYOUT.address(key)[1]


def written(tmp_path: Path, name: str = "r.xlsx") -> tuple[Path, Return]:
    ret = valid_return(FORM, seed=3, unit="水泥路街道", year=2024)
    path = tmp_path / name
    write_return(path, FORM, ret)
    return path, ret


# -- placeholders typed with spaces between their marks ---------------------------------------


@pytest.mark.parametrize("typed", ["— —", "- -", "－ －", "— — ", "/ /", "——  ——"])
def test_a_placeholder_typed_with_spaces_between_its_marks_is_v05_not_text(typed):
    """「— —」 is a dash typed twice with a space, as 「——」 is without: none, counted as 0."""
    assert normalize(typed) == (None, Rule.V05)


@pytest.mark.parametrize("typed", ["1 2", "- 3", "无 1", "/ 0"])
def test_a_placeholder_beside_a_figure_is_still_text(typed):
    value, rule = normalize(typed)
    assert (value, rule) == (typed, None)


def test_a_spaced_placeholder_in_a_workbook_is_read_as_none_at_its_cell(tmp_path):
    path, _ = written(tmp_path)
    book = openpyxl.load_workbook(path)
    book[T3][a1("三:1:c1")] = "— —"
    book.save(path)
    ret = read_with_both_engines(path)
    assert ret.values["三:1:c1"] is None
    (note,) = [n for n in ret.notes if n.rule is Rule.V05]
    assert note.cells == (a1("三:1:c1"),) and "「— —」" in note.message
    assert not [f for f in validate_return(ret) if f.rule is Rule.V01]


# -- a figure merged across several data cells -------------------------------------------------


def merged_over_two_columns(tmp_path: Path) -> tuple[Path, Return]:
    """自然人 and 商业企业 of row 1 merged (D5:E5): Excel keeps D5's figure, shown across both
    (E5's figure is dropped by the merge, so E5 is blank in the file)."""
    path, ret = written(tmp_path)
    book = openpyxl.load_workbook(path)
    book[T3].merge_cells(f"{a1('三:1:c1')}:{a1('三:1:c2')}")
    book.save(path)
    return path, ret


def test_a_data_cell_merged_under_anothers_figure_is_not_called_a_plain_blank(tmp_path):
    """E5 does not look blank on the sheet: the merge shows D5's figure across it. The V04
    note (the cell counts as 0; the figure is D5's, as Excel sums it) says so at E5, naming
    the merge and the figure shown, and asks to unmerge."""
    path, ret = merged_over_two_columns(tmp_path)
    read = read_with_both_engines(path)
    natural, business = a1("三:1:c1"), a1("三:1:c2")
    assert read.values["三:1:c1"] == ret.values["三:1:c1"]  # the figure Excel keeps and sums
    assert read.values["三:1:c2"] is None
    (note,) = [n for n in read.notes if n.rule is Rule.V04]
    assert note.sheet == T3 and note.cells == (business,)
    shown = ret.values["三:1:c1"]
    named = f"{business}（被合并进 {natural}:{business}，表上显示的「{shown}」是 {natural} 的数字）"
    assert named in note.message
    assert "请取消合并后逐格填写" in note.message


def test_a_plain_blank_beside_a_merged_one_is_named_plainly(tmp_path):
    path, _ = merged_over_two_columns(tmp_path)
    book = openpyxl.load_workbook(path)
    book[T3][a1("三:2:c1")] = None
    book.save(path)
    (note,) = [n for n in read_with_both_engines(path).notes if n.rule is Rule.V04]
    assert note.cells == (a1("三:1:c2"), a1("三:2:c1"))
    assert f"、{a1('三:2:c1')}。" in note.message


def test_the_templates_own_merged_data_cells_still_say_nothing(tmp_path):
    """表二's one-figure blocks are merged over three columns in the template: not two data
    cells, nothing to say."""
    path, _ = written(tmp_path)
    read = read_with_both_engines(path)
    assert not [n for n in read.notes if n.rule in (Rule.V11, Rule.V04)]
    assert not [f for f in validate_return(read) if f.level.value == "error"]


@pytest.mark.parametrize(("typed", "rule"), [("12\n件", Rule.V06), ("—\n—", Rule.V05)])
def test_a_value_note_quotes_a_cell_with_a_line_break_on_one_line(tmp_path, typed, rule):
    """A message is one line per finding: a cell typed over two lines (Alt+Enter) is quoted
    with its line break shown, not broken across the terminal or the JSON reader's line."""
    form = get_form("2021")
    ret = valid_return(form, seed=3)
    key = "三:1:c1"
    path = tmp_path / "r.xlsx"
    write_return(path, form, ret)
    book = openpyxl.load_workbook(path)
    sheet_name, a1 = layout_for(form).address(key)
    book[sheet_name][a1] = typed
    book.save(path)
    (note,) = [n for n in read_return(path).notes if n.rule is rule]
    assert "\n" not in note.message
    assert "（换行）" in note.message


# -- a table on a hidden sheet ----------------------------------------------------------------


@pytest.mark.parametrize("state", ["hidden", "veryHidden"])
def test_a_table_read_from_a_hidden_sheet_is_v14_naming_the_sheet(tmp_path, state):
    """The only copy of 表三 on a hidden sheet is read, as the figures of a hidden row are,
    but nobody sees them on screen or on paper: a warning names the sheet (it passed silently)."""
    path, ret = written(tmp_path)
    book = openpyxl.load_workbook(path)
    book[T3].sheet_state = state
    book.save(path)
    read = read_with_both_engines(path)
    assert {k: read.values[k] for k in FORM.input_keys} == {
        k: ret.values[k] for k in FORM.input_keys
    }
    (note,) = [n for n in read.notes if n.rule is Rule.V14]
    assert note.sheet == T3 and f"工作表「{T3}」被隐藏" in note.message


def test_a_visible_sheet_read_beside_a_hidden_one_is_no_v14(tmp_path):
    path, _ = written(tmp_path)
    book = openpyxl.load_workbook(path)
    book[FORM.table("二").title].sheet_state = "hidden"
    blank = book.copy_worksheet(book[T3])  # a hidden copy with no figures read
    blank.sheet_state = "hidden"
    book.save(path)
    read = read_return(path)
    assert [n.sheet for n in read.notes if n.rule is Rule.V14] == [FORM.table("二").title]


# -- a row or column dragged shut ---------------------------------------------------------------


def _patched(path: Path, part: str, change) -> None:
    """Rewrite one part of the workbook at ``path`` with ``change(xml) -> xml``."""
    import zipfile

    with zipfile.ZipFile(path) as source:
        items = [(item, source.read(item)) for item in source.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for item, data in items:
            target.writestr(item, change(data) if item.filename == part else data)


# Excel writes a row dragged shut as ht="0" without hidden="1", a column as width="0"
_SHUT = {
    "row": (b'<row r="17" spans="1:10" ht="21"', b'<row r="17" spans="1:10" ht="0"'),
    "column": (b'<col min="5" max="6" width="11.7109375"', b'<col min="5" max="6" width="0"'),
}


@pytest.mark.parametrize(("shut", "line"), [("row", "第 17 行"), ("column", "E 列")])
def test_a_row_or_column_of_no_height_or_width_is_hidden_v14(tmp_path, shut, line):
    """A row or column dragged shut shows nothing, as a hidden one: its figures were read
    without a word."""
    path, ret = written(tmp_path)
    before, after = _SHUT[shut]
    sheet = f"xl/worksheets/sheet{FORM.tables.index(FORM.table('三')) + 2}.xml"

    def shut_it(xml: bytes) -> bytes:
        assert before in xml
        return xml.replace(before, after)

    _patched(path, sheet, shut_it)
    read = read_with_both_engines(path)
    (note,) = [n for n in read.notes if n.rule is Rule.V14]
    assert f"{line}（已隐藏）" in note.message
    assert {k: read.values[k] for k in FORM.input_keys} == {
        k: ret.values[k] for k in FORM.input_keys
    }
