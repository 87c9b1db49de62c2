"""Sweep 7 of hostile workbooks: a worksheet whose cells end in one place for calamine and in
another for nianbao's own searches of the XML.

calamine reads cells up to the first end of the sheet data an XML parser sees; the searches
that judge the cells (a value written as no program writes it, a hidden row, what a format
shows) stop at the first 「sheetData」 end tag they find in the bytes. A 「</sheetData>」 in a
comment, a processing instruction, CDATA or an attribute value before the real end made the
two differ: the cells after it were read by calamine and judged by nobody (「1<!--x-->7」 read
as 1, LibreOffice shows 17). No spreadsheet program writes the name anywhere but in the two
tags, nor a comment among the cells: such a worksheet is refused (F01), naming the part.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest

from nianbao.form import get_form
from nianbao.form.data import Return
from nianbao.form.findings import Finding, Rule
from nianbao.form.layout import layout_for
from nianbao.pipeline.check import read_one
from tests.support.badfiles import rezip
from tests.support.returns import written_template
from tests.support.soffice import convert, requires_soffice

FORM = get_form("2021")
LAYOUT = layout_for(FORM)
KEY = "三:1:c1"  # 表三 一、本年新收 · 自然人


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    return written_template(tmp_path_factory.mktemp("sweep7") / "t.xlsx")


def _part(path: Path, key: str = KEY) -> str:
    sheet = LAYOUT.sheet_for(key)
    index = openpyxl.load_workbook(path, read_only=True).sheetnames.index(sheet.name)
    return f"xl/worksheets/sheet{index + 1}.xml"


def _edited(source: Path, path: Path, edit: Callable[[str, str], str], key: str = KEY) -> Path:
    """``source`` with the worksheet holding ``key`` rewritten by ``edit(xml, its A1)``."""
    part = _part(source, key)
    data = source.read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = archive.read(part).decode()
    path.write_bytes(rezip(data, replace={part: edit(xml, LAYOUT.address(key)[1]).encode()}))
    return path


def _value(inner: str) -> Callable[[str, str], str]:
    def edit(xml: str, ref: str) -> str:
        xml, n = re.subn(
            rf'<c r="{ref}"( s="\d+")?[^>]*?(?:/>|>.*?</c>)', rf'<c r="{ref}"\1>{inner}</c>', xml
        )
        assert n == 1
        return xml

    return edit


def _refused(read: Return | Finding, part: str) -> None:
    assert isinstance(read, Finding) and read.rule is Rule.F01, read
    assert part in read.message and "未读取" in read.message


# Where a fake end of the sheet data hides: each is before the real end, so calamine reads on.
FAKE_ENDS = {
    "comment": ("<sheetData>", "<sheetData><!--</sheetData>-->"),
    "instruction": ("<sheetData>", "<sheetData><?x </sheetData>?>"),
    "cdata": ("<sheetData>", "<sheetData><![CDATA[</sheetData>]]>"),
    # not well-formed (a < in an attribute value), yet calamine reads on
    "attribute": ('<row r="1"', '<row x="a></sheetData>" r="1"'),
    "spaced end": ("<sheetData>", "<sheetData><!--</sheetData >-->"),
}


@pytest.mark.parametrize("where", FAKE_ENDS)
def test_a_value_after_a_fake_end_of_the_sheet_data_is_not_read(template, tmp_path, where):
    old, new = FAKE_ENDS[where]
    odd = _value("<v>1<!--x-->7</v>")  # calamine: 1; LibreOffice shows 17

    def edit(xml: str, ref: str) -> str:
        assert old in xml
        return odd(xml.replace(old, new, 1), ref)

    path = _edited(template, tmp_path / "r.xlsx", edit)
    _refused(read_one(path), _part(template))


def test_a_hidden_row_after_the_name_in_a_comment_before_the_cells_is_not_missed(
    template, tmp_path
):
    # the searches of hidden lines took the comment's 「sheetData」 for the start tag and the
    # real start tag for the end: the hidden row of figures was read with nothing said
    row = LAYOUT.address(KEY)[1].lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")

    def edit(xml: str, ref: str) -> str:
        xml = xml.replace("<sheetData>", "<!-- sheetData --><sheetData>", 1)
        xml, n = re.subn(rf'<row r="{row}"', f'<row r="{row}" hidden="1"', xml)
        assert n == 1
        return xml

    path = _edited(template, tmp_path / "r.xlsx", edit)
    _refused(read_one(path), _part(template))


@pytest.mark.parametrize(
    "inside", ["<!-- 第 5 行 -->", "<?x 5?>", "<![CDATA[5]]>"], ids=["comment", "pi", "cdata"]
)
def test_a_comment_among_the_cells_is_refused(template, tmp_path, inside):
    # no program writes one there; a cell in one is a cell to the searches, none to calamine
    path = _edited(template, tmp_path / "r.xlsx", lambda xml, ref: xml.replace(
        "</row>", "</row>" + inside, 1))  # fmt: skip
    _refused(read_one(path), _part(template))


@pytest.mark.parametrize(
    "edit",
    [
        lambda xml: xml.replace("<worksheet ", "<!-- made by hand --><worksheet ", 1),
        lambda xml: xml,
        lambda xml: re.sub(r"<(/?)(sheetData)", r"<\1x:\2", xml).replace(
            "<worksheet ",
            '<worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" ',
            1,
        ),
        lambda xml: xml.replace("</sheetData>", "</sheetData >", 1),
    ],
    ids=["comment before the root", "as written", "prefixed tags", "spaced end tag"],
)
def test_sheet_data_written_as_a_parser_reads_it_is_read(template, tmp_path, edit):
    path = _edited(template, tmp_path / "r.xlsx", lambda xml, ref: edit(xml))
    read = read_one(path)
    assert isinstance(read, Return), read
    assert read.values == read_one(template).values


# -- an .ods: a row tag in a comment among the rows -------------------------------------------


@pytest.fixture(scope="module")
def hidden_row_ods(template, tmp_path_factory) -> Path:
    """The template with 表三's row of KEY hidden, saved as .ods by LibreOffice."""
    folder = tmp_path_factory.mktemp("sweep7-ods")
    source = folder / "hidden.xlsx"
    book = openpyxl.load_workbook(template)
    row = int(LAYOUT.address(KEY)[1].lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
    book[LAYOUT.sheet_for(KEY).name].row_dimensions[row].hidden = True
    book.save(source)
    return convert(source, "ods", folder)


def _ods_edited(source: Path, path: Path, inside: str) -> Path:
    """``source`` with ``inside`` written before the first row of KEY's table."""
    data = source.read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        content = archive.read("content.xml").decode()
    table = content.index(f'table:name="{LAYOUT.sheet_for(KEY).name}"')
    first_row = content.index("<table:table-row", table)
    content = content[:first_row] + inside + content[first_row:]
    path.write_bytes(rezip(data, replace={"content.xml": content.encode()}))
    return path


@requires_soffice
@pytest.mark.parametrize(
    "inside",
    ["<!--<table:table-row/>-->", "<?x <table:table-row/>?>"],
    ids=["comment", "instruction"],
)
def test_an_ods_row_in_a_comment_is_refused_not_counted(hidden_row_ods, tmp_path, inside):
    # ods.py counted the commented row: the hidden row was told one row below, at figures
    # shown, and the hidden figures were read with nothing said of them
    told = read_one(hidden_row_ods)
    assert isinstance(told, Return) and [n.rule for n in told.notes] == [Rule.V14]
    read = read_one(_ods_edited(hidden_row_ods, tmp_path / "r.ods", inside))
    _refused(read, "content.xml")


@requires_soffice
def test_an_ods_with_a_comment_before_its_tables_is_read(hidden_row_ods, tmp_path):
    data = hidden_row_ods.read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        content = archive.read("content.xml").decode()
    content = content.replace("<office:body>", "<!-- 导出 --><office:body>", 1)
    path = tmp_path / "r.ods"
    path.write_bytes(rezip(data, replace={"content.xml": content.encode()}))
    read = read_one(path)
    assert isinstance(read, Return) and [n.rule for n in read.notes] == [Rule.V14]
