"""Web pages and text reports in the encodings they really come in: a UTF-8 page with a few
damaged bytes is read as a browser shows it (the damage visible, never another number), a text
saved as UTF-16 without a byte-order mark is read, and a Word file that lost its body is called
a damaged Word file, not a workbook."""

from __future__ import annotations

import io
import zipfile

import pytest

from nianbao.checks.engine import validate_return
from nianbao.form import get_form
from nianbao.form.findings import Rule
from nianbao.recognise.reader import read_return
from nianbao.sources.preflight import UnreadableFile, preflight
from tests.support.documents import Printing, report_html, report_text
from tests.support.returns import inputs_of, valid_return

FORM = get_form("2021")
RET = valid_return(FORM, seed=11)
TITLE = "某某区人民政府\n2024年政府信息公开工作年度报告"
PERMIT = "二:20-5.1:c1"


def test_a_utf8_page_with_a_damaged_byte_outside_the_tables_reads_every_figure(tmp_path):
    page = report_html(FORM, RET.values, Printing(title=TITLE)).encode("utf-8")
    damaged = page.replace("年度报告".encode(), b"\xff" + "度报告".encode(), 1)
    path = tmp_path / "报告.html"
    path.write_bytes(damaged)
    assert inputs_of(read_return(path)) == inputs_of(RET)


def test_a_damaged_byte_inside_a_figure_is_v01_never_another_number(tmp_path):
    def printed(key: str, value: object) -> str:
        return "2\udcff9" if key == PERMIT else ("" if value is None else str(value))

    page = report_html(FORM, RET.values, Printing(title=TITLE, text=printed))
    path = tmp_path / "报告.html"
    path.write_bytes(page.encode("utf-8", "surrogateescape"))
    found = validate_return(read_return(path))
    (v01,) = [f for f in found if f.rule is Rule.V01]
    assert "2\ufffd9" in v01.message


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_a_text_report_saved_as_utf16_without_a_byte_order_mark_reads(tmp_path, codec):
    path = tmp_path / "报告.txt"
    path.write_bytes(report_text(FORM, RET.values, Printing(title=TITLE)).encode(codec))
    assert preflight(path) == "text"
    assert inputs_of(read_return(path)) == inputs_of(RET)


def test_binary_data_with_zero_bytes_is_still_not_text(tmp_path):
    path = tmp_path / "x.txt"
    path.write_bytes(bytes(range(256)) * 64)
    with pytest.raises(UnreadableFile) as refused:
        preflight(path)
    assert refused.value.finding.rule is Rule.F02


def test_a_word_file_without_its_body_is_a_damaged_word_file(tmp_path):
    import docx

    source = tmp_path / "原.docx"
    document = docx.Document()
    document.add_paragraph("某某区人民政府2024年政府信息公开工作年度报告")
    document.save(str(source))
    out = io.BytesIO()
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(out, "w") as new:
        for info in old.infolist():
            if info.filename != "word/document.xml":
                new.writestr(info.filename, old.read(info.filename))
    path = tmp_path / "报告.docx"
    path.write_bytes(out.getvalue())
    with pytest.raises(UnreadableFile) as refused:
        preflight(path)
    assert refused.value.finding.rule is Rule.F01
    assert "看起来是 Word 文档，但缺少正文部分" in refused.value.finding.message
    assert "Excel" not in refused.value.finding.message


def test_a_gbk_page_with_a_damaged_byte_outside_the_tables_reads_every_figure(tmp_path):
    page = report_html(FORM, RET.values, Printing(title=TITLE)).replace(
        'charset=utf-8"', 'charset=gbk"'
    )
    data = page.encode("gbk")
    marker = "年度报告".encode("gbk")
    damaged = data.replace(marker, b"\xff" + marker[1:], 1)  # a broken two-byte character
    path = tmp_path / "报告.html"
    path.write_bytes(damaged)
    assert inputs_of(read_return(path)) == inputs_of(RET)


def test_a_gbk_page_with_few_chinese_characters_is_read_in_the_encoding_it_declares(tmp_path):
    """Few non-ASCII bytes could pass for UTF-8 with some damage: the declared GBK comes first."""
    padding = "<p>2024</p>" * 200  # mostly ASCII: few bytes are not
    page = (
        f'<html><head><meta charset="gbk"></head><body><p>政府信息公开</p>{padding}</body></html>'
    )
    path = tmp_path / "p.html"
    path.write_bytes(page.encode("gbk"))
    from nianbao.sources.preflight import decode_text

    assert decode_text(path.read_bytes()) == page
