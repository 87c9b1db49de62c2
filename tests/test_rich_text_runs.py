"""A figure typed as text whose characters are formatted apart, in runs (.xlsx): both engines
join the runs, so 「5」 with a superscript 「1」 (a footnote mark) is read 51, and a white or
tiny 「8」 after a 5 is read 58 where the sheet shows 5. Such a figure is V13 at its cell,
naming the run and why; runs that show as the rest (bold, red, another size) say nothing.

Each workbook is read with both engines, which must agree (values and notes).
"""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.styles import PatternFill

from nianbao.form import get_form
from nianbao.form.data import Return
from nianbao.form.findings import Rule
from nianbao.form.layout import layout_for
from nianbao.recognise.reader import read_return
from nianbao.xlsx.writer import write_return
from tests.support.badfiles import rezip
from tests.support.returns import valid_return

FORM = get_form("2021")
LAYOUT = layout_for(FORM)
ENGINES = ("calamine", "openpyxl")
NEW = "三:1:c1"  # 表三 一、本年新收 · 自然人: a count


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("runs") / "t.xlsx"
    write_return(path, FORM, valid_return(FORM, seed=3, unit="水泥路街道", year=2024))
    return path


def read_both(path: Path) -> Return:
    fast, reference = (read_return(path, engine=engine) for engine in ENGINES)
    assert fast.values == reference.values
    assert [(n.rule, n.message, n.cells) for n in fast.notes] == [
        (n.rule, n.message, n.cells) for n in reference.notes
    ]
    return fast


def typed_in_runs(
    template: Path, tmp_path: Path, runs: list[str | TextBlock], fill: str | None = None
) -> Path:
    """The template with ``runs`` typed at NEW as rich text (a shared string, as Excel saves
    it), the cell filled with ``fill`` if given."""
    path = tmp_path / "r.xlsx"
    shutil.copy(template, path)
    name, ref = LAYOUT.address(NEW)
    book = openpyxl.load_workbook(path, rich_text=True)
    cell = book[name][ref]
    cell.value = CellRichText(runs)
    if fill is not None:
        cell.fill = PatternFill("solid", fgColor=fill)
    book.save(path)
    return path


def v13(ret: Return) -> list:
    return [n for n in ret.notes if n.rule is Rule.V13]


@pytest.mark.parametrize(
    ("font", "why"),
    [
        (InlineFont(vertAlign="superscript"), "「1」是上标"),
        (InlineFont(vertAlign="subscript"), "「1」是下标"),
        (InlineFont(strike=True), "「1」有删除线"),
        (InlineFont(sz=1), "「1」字号极小，看不清"),
        (InlineFont(color="FFFFFFFF"), "「1」与底色同色，看不到"),
    ],
)
def test_a_run_formatted_apart_from_the_figure_is_V13_naming_it(template, tmp_path, font, why):
    ret = read_both(typed_in_runs(template, tmp_path, ["5", TextBlock(font, "1")]))
    assert ret.values[NEW] == 51  # the stored text, read as the sums read it
    (note,) = v13(ret)
    ref = LAYOUT.address(NEW)[1]
    assert note.cells == (ref,)
    assert f"{ref} 存的是「51」，其中{why}" in note.message
    assert "去掉上标、下标、删除线" in note.message


@pytest.mark.parametrize(
    "font",
    [InlineFont(b=True), InlineFont(color="FFFF0000"), InlineFont(sz=14), InlineFont(i=True)],
)
def test_runs_that_show_as_the_rest_say_nothing(template, tmp_path, font):
    ret = read_both(typed_in_runs(template, tmp_path, ["5", TextBlock(font, "1")]))
    assert ret.values[NEW] == 51
    assert not v13(ret)


def test_a_run_is_judged_against_the_cells_own_fill(template, tmp_path):
    yellow = "FFFFFF00"
    on_yellow = typed_in_runs(
        template, tmp_path, ["5", TextBlock(InlineFont(color=yellow), "1")], fill=yellow
    )
    assert "「1」与底色同色，看不到" in v13(read_both(on_yellow))[0].message
    white_on_dark = typed_in_runs(
        template, tmp_path, ["5", TextBlock(InlineFont(color="FFFFFFFF"), "1")], fill="FF000080"
    )
    assert not v13(read_both(white_on_dark))


def test_an_inline_string_in_runs_is_judged_as_a_shared_one(template, tmp_path):
    """Writers other than Excel put the text in the cell (t="inlineStr")."""
    name, ref = LAYOUT.address(NEW)
    data = template.read_bytes()
    with zipfile.ZipFile(template) as archive:
        workbook = archive.read("xl/workbook.xml").decode()
        order = re.findall(r'<sheet name="([^"]+)"', workbook)
        part = f"xl/worksheets/sheet{order.index(name) + 1}.xml"
        xml = archive.read(part).decode()
    cell = (
        f'<c r="{ref}" t="inlineStr"><is><r><t>5</t></r>'
        f'<r><rPr><vertAlign val="superscript"/></rPr><t>1</t></r></is></c>'
    )
    xml, count = re.subn(rf'<c r="{ref}"[^>]*?(?:/>|>.*?</c>)', cell, xml)
    assert count == 1
    path = tmp_path / "inline.xlsx"
    path.write_bytes(rezip(data, replace={part: xml.encode()}))
    ret = read_both(path)
    assert ret.values[NEW] == 51
    assert "「1」是上标" in v13(ret)[0].message


def test_a_label_with_a_footnote_mark_is_no_figure_and_says_nothing(template, tmp_path):
    path = tmp_path / "r.xlsx"
    shutil.copy(template, path)
    book = openpyxl.load_workbook(path, rich_text=True)
    sheet = book[LAYOUT.address(NEW)[0]]
    label = next(
        c for row in sheet.iter_rows() for c in row if c.value == "一、本年新收政府信息公开申请数量"
    )
    label.value = CellRichText(
        ["一、本年新收政府信息公开申请数量", TextBlock(InlineFont(vertAlign="superscript"), "1")]
    )
    book.save(path)
    assert not v13(read_both(path))
