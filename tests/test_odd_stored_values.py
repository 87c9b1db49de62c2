"""A stored value written as no spreadsheet program writes it (hand-edited XML, from a tester's
variants): 「<v>1<!--x-->7</v>」 was read as 1, 「<v><![CDATA[7]]></v>」 and 「<v>&#55;</v>」
as blank (V04, merged as 0), with ✓ 通过 or a warning. The readers disagree on such a value,
so the file is refused (F01) naming the part; a character reference in a text stays read."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest

from nianbao.form import get_form
from nianbao.form.data import Return
from nianbao.form.findings import Finding, Rule
from nianbao.form.layout import layout_for
from nianbao.pipeline.check import read_one
from nianbao.xlsx.writer import write_return
from tests.support.badfiles import rezip
from tests.support.returns import valid_return

FORM = get_form("2021")
KEY = "二:20-5.1:c1"


def _cell_written(tmp_path: Path, inner: str, kind: str = "") -> Path:
    path = tmp_path / "r.xlsx"
    write_return(path, FORM, valid_return(FORM, 1, unit="甲局", year=2025))
    sheet = layout_for(FORM).sheet_for(KEY)
    ref = sheet.address(KEY)
    part = f"xl/worksheets/sheet{openpyxl.load_workbook(path).sheetnames.index(sheet.name) + 1}.xml"
    data = path.read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = archive.read(part).decode()
    xml, n = re.subn(
        rf'<c r="{ref}"( s="\d+")?[^>]*?(?:/>|>.*?</c>)', rf'<c r="{ref}"\1{kind}>{inner}</c>', xml
    )
    assert n == 1
    path.write_bytes(rezip(data, replace={part: xml.encode()}))
    return path


@pytest.mark.parametrize(
    "inner",
    ["<v>1<!--x-->7</v>", "<v><!--x-->7</v>", "<v>1<?pi x?>7</v>", "<v><![CDATA[7]]></v>",
     "<v>&#55;</v>", "<v>1&#x37;</v>"],
)  # fmt: skip
def test_a_stored_value_no_program_writes_is_refused_naming_the_part(tmp_path, inner):
    read = read_one(_cell_written(tmp_path, inner))

    assert isinstance(read, Finding) and read.rule is Rule.F01, read
    assert "xl/worksheets/sheet" in read.message and "字符引用" in read.message


def test_a_character_reference_in_a_text_is_read(tmp_path):
    path = _cell_written(tmp_path, "<is><t>7&#10;</t></is>", kind=' t="inlineStr"')
    read = read_one(path)

    assert isinstance(read, Return)
    assert read.values[KEY] == 7  # the figure, read from the text (V06 says so)
