"""A figure typed as text whose characters are formatted apart, in runs (.xlsx, .ods): both
engines join the runs, so 「5」 with a superscript 「1」 (a footnote mark) is read 51, and a
white or tiny 「8」 after a 5 is read 58 where the sheet shows 5. Such a figure is V13 at its
cell, naming the run and why; runs that show as the rest (bold, red, another size) say nothing.

Each .xlsx is read with both engines, which must agree (values and notes). Rich text comes as
an inline string (openpyxl writes one), as a shared string (Excel, WPS and LibreOffice), and
as an .ods span with a text style of its own (LibreOffice), and as an .xls shared string in
runs of its own fonts, read across the SST's CONTINUE records.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.styles import PatternFill

from nianbao.form import get_form
from nianbao.form.data import Return
from nianbao.form.findings import Finding, Rule
from nianbao.form.layout import layout_for
from nianbao.recognise.reader import read_return
from tests.support.badfiles import rezip
from tests.support.engines import read_with_both_engines
from tests.support.returns import edited_copy, notes_of, written_template
from tests.support.soffice import convert_many, requires_soffice

FORM = get_form("2021")
LAYOUT = layout_for(FORM)
NEW = "三:1:c1"  # 表三 一、本年新收 · 自然人: a count


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    return written_template(tmp_path_factory.mktemp("runs") / "t.xlsx")


def typed_in_runs(
    template: Path, tmp_path: Path, runs: list[str | TextBlock], fill: str | None = None
) -> Path:
    """The template with ``runs`` typed at NEW as rich text (openpyxl writes an inline
    string), the cell filled with ``fill`` if given."""
    path = tmp_path / "r.xlsx"
    name, ref = LAYOUT.address(NEW)
    with edited_copy(template, path, rich_text=True) as book:
        cell = book[name][ref]
        cell.value = CellRichText(runs)
        if fill is not None:
            cell.fill = PatternFill("solid", fgColor=fill)
    return path


def v13(ret: Return) -> list[Finding]:
    return notes_of(ret, Rule.V13)


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
    ret = read_with_both_engines(typed_in_runs(template, tmp_path, ["5", TextBlock(font, "1")]))
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
    ret = read_with_both_engines(typed_in_runs(template, tmp_path, ["5", TextBlock(font, "1")]))
    assert ret.values[NEW] == 51
    assert not v13(ret)


def test_a_run_is_judged_against_the_cells_own_fill(template, tmp_path):
    yellow = "FFFFFF00"
    on_yellow = typed_in_runs(
        template, tmp_path, ["5", TextBlock(InlineFont(color=yellow), "1")], fill=yellow
    )
    assert "「1」与底色同色，看不到" in v13(read_with_both_engines(on_yellow))[0].message
    white_on_dark = typed_in_runs(
        template, tmp_path, ["5", TextBlock(InlineFont(color="FFFFFFFF"), "1")], fill="FF000080"
    )
    assert not v13(read_with_both_engines(white_on_dark))


RAISED = '<r><t>5</t></r><r><rPr><vertAlign val="superscript"/></rPr><t>1</t></r>'


def _worksheet(template: Path, key: str) -> tuple[str, str, str]:
    """(the part, its XML, the cell's reference) of the worksheet holding ``key``."""
    name, ref = LAYOUT.address(key)
    with zipfile.ZipFile(template) as archive:
        order = re.findall(r'<sheet name="([^"]+)"', archive.read("xl/workbook.xml").decode())
        part = f"xl/worksheets/sheet{order.index(name) + 1}.xml"
        return part, archive.read(part).decode(), ref


def _with_cell(xml: str, ref: str, cell: str) -> str:
    xml, count = re.subn(rf'<c r="{ref}"[^>]*?(?:/>|>.*?</c>)', cell, xml)
    assert count == 1
    return xml


def test_a_shared_string_in_runs_is_judged_as_an_inline_one(template, tmp_path):
    """Excel, WPS and LibreOffice keep a cell's text in the shared strings (t="s")."""
    part, xml, ref = _worksheet(template, NEW)
    with zipfile.ZipFile(template) as archive:
        shared = archive.read("xl/sharedStrings.xml").decode()
    index = shared.count("<si>") + shared.count("<si/>")
    shared = shared.replace("</sst>", f"<si>{RAISED}</si></sst>")
    xml = _with_cell(xml, ref, f'<c r="{ref}" t="s"><v>{index}</v></c>')
    path = tmp_path / "shared.xlsx"
    replace = {part: xml.encode(), "xl/sharedStrings.xml": shared.encode()}
    path.write_bytes(rezip(template.read_bytes(), replace=replace))
    ret = read_with_both_engines(path)
    assert ret.values[NEW] == 51
    assert f"{ref} 存的是「51」，其中「1」是上标" in v13(ret)[0].message


def test_an_inline_string_written_by_hand_is_judged(template, tmp_path):
    part, xml, ref = _worksheet(template, NEW)
    xml = _with_cell(xml, ref, f'<c r="{ref}" t="inlineStr"><is>{RAISED}</is></c>')
    path = tmp_path / "inline.xlsx"
    path.write_bytes(rezip(template.read_bytes(), replace={part: xml.encode()}))
    ret = read_with_both_engines(path)
    assert ret.values[NEW] == 51
    assert "「1」是上标" in v13(ret)[0].message


# One figure per way of setting a run apart, and one shown as the rest, for LibreOffice to save.
_APART = {
    "三:1:c2": (InlineFont(vertAlign="superscript"), "「1」是上标"),
    "三:1:c3": (InlineFont(vertAlign="subscript"), "「1」是下标"),
    "三:1:c4": (InlineFont(strike=True), "「1」有删除线"),
    "三:1:c5": (InlineFont(sz=1), "「1」字号极小，看不清"),
    "三:1:c6": (InlineFont(color="FFFFFFFF"), "「1」与底色同色，看不到"),
    NEW: (InlineFont(b=True), None),
}


@requires_soffice
def test_runs_apart_are_found_as_libreoffice_saves_them_in_xlsx_xls_and_ods(template, tmp_path):
    source = tmp_path / "runs.xlsx"
    with edited_copy(template, source, rich_text=True) as book:
        # Thousands of texts before the figures, Latin and Chinese: the .xls shared strings run on
        # in CONTINUE records, some split inside a text, from 8 to 16 bits a character and back.
        notes = book.create_sheet("附注", 0)
        for i in range(2500):
            notes.cell(
                i + 1, 1, f"note {i} " * (i % 7 + 1) if i % 3 else f"附注第{i}条" * (i % 5 + 1)
            )
        for key, (font, _) in _APART.items():
            name, ref = LAYOUT.address(key)
            book[name][ref].value = CellRichText(["5", TextBlock(font, "1")])
    converted = [
        convert_many([source], kind, tmp_path / kind)[0] for kind in ("xlsx", "xls", "ods")
    ]
    for path in converted:
        ret = read_with_both_engines(path) if path.suffix == ".xlsx" else read_return(path)
        (note,) = v13(ret)
        for key, (_, why) in _APART.items():
            ref = LAYOUT.address(key)[1]
            assert ret.values[key] == 51, (path.suffix, key)
            if why is None:
                assert ref not in note.cells, path.suffix
            else:
                assert f"{ref} 存的是「51」，其中{why}" in note.message, (path.suffix, key)


def test_a_label_with_a_footnote_mark_is_no_figure_and_says_nothing(template, tmp_path):
    path = tmp_path / "r.xlsx"
    with edited_copy(template, path, rich_text=True) as book:
        sheet = book[LAYOUT.address(NEW)[0]]
        label = next(
            c
            for row in sheet.iter_rows()
            for c in row
            if c.value == "一、本年新收政府信息公开申请数量"
        )
        label.value = CellRichText(
            [
                "一、本年新收政府信息公开申请数量",
                TextBlock(InlineFont(vertAlign="superscript"), "1"),
            ]
        )
    assert not v13(read_with_both_engines(path))


@requires_soffice
def test_xls_shared_strings_read_across_continue_records_give_every_text(tmp_path):
    """The SST walk (its texts are what runs are cut from) against the texts themselves:
    thousands of them, Latin and Chinese, over many CONTINUE records, some split inside."""
    from nianbao.sources import biff
    from nianbao.sources.preflight import ole_stream

    book = openpyxl.Workbook()
    texts = [
        f"note {i} " * (i % 7 + 1) if i % 3 else f"附注第{i}条" * (i % 5 + 1) for i in range(2500)
    ]
    for i, text in enumerate(texts):
        book.active.cell(i + 1, 1, text)
    book.save(tmp_path / "texts.xlsx")
    (xls,) = convert_many([tmp_path / "texts.xlsx"], "xls", tmp_path / "xls")
    stream = ole_stream(xls.read_bytes(), ("workbook",))
    assert stream is not None
    segments = biff.sst_segments(stream)
    assert len(segments) > 10  # the SST and its CONTINUE records
    assert [text for text, _ in biff.shared_strings(stream, segments)] == texts
