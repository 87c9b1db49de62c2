"""preflight: every file is judged by its bytes before a spreadsheet library touches it."""

from __future__ import annotations

import io
import os
import random
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter
from python_calamine import CalamineWorkbook

from nianbao.form.findings import Finding, Rule
from nianbao.sources import preflight as safety
from nianbao.sources.preflight import UnreadableFile, preflight
from tests.support import badfiles
from tests.support.soffice import convert, requires_soffice

SHEETS = ("封面", "表二", "表三", "表四")
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def _valid_bytes() -> bytes:
    out = io.BytesIO()
    workbook = xlsxwriter.Workbook(out, {"in_memory": True})
    for title in SHEETS:
        sheet = workbook.add_worksheet(title)
        sheet.write_string(0, 0, "政府信息公开工作年度报告")
        for row in range(1, 20):
            sheet.write_row(row, 0, list(range(10)))
    workbook.close()
    return out.getvalue()


@pytest.fixture(scope="module")
def valid_xlsx() -> bytes:
    return _valid_bytes()


def _refused(path: Path, rule: Rule) -> str:
    with pytest.raises(UnreadableFile) as caught:
        preflight(path)
    finding = caught.value.finding
    assert finding.rule is rule, finding.message
    assert finding.file == str(path)
    assert f"「{path.name}」" in finding.message
    assert finding.is_error
    return finding.message


def test_valid_xlsx_passes_as_xlsx(tmp_path: Path, valid_xlsx: bytes) -> None:
    assert preflight(badfiles.write(tmp_path / "填报.xlsx", valid_xlsx)) == "xlsx"


def test_format_is_detected_by_content_not_by_extension(tmp_path: Path, valid_xlsx: bytes) -> None:
    assert preflight(badfiles.write(tmp_path / "改了扩展名.xls", valid_xlsx)) == "xlsx"
    assert preflight(badfiles.write(tmp_path / "无扩展名", valid_xlsx)) == "xlsx"


def test_xlsm_is_read_as_xlsx(tmp_path: Path, valid_xlsx: bytes) -> None:
    assert preflight(badfiles.write(tmp_path / "宏.xlsm", valid_xlsx)) == "xlsx"


def test_xlsb_is_detected(tmp_path: Path) -> None:
    data = badfiles.zip_of({"[Content_Types].xml": b"<Types/>", "xl/workbook.bin": b"\x83\x01\x00"})
    assert preflight(badfiles.write(tmp_path / "二进制.xlsb", data)) == "xlsb"


def test_missing_file_is_F01(tmp_path: Path) -> None:
    assert "不存在" in _refused(tmp_path / "没有这个文件.xlsx", Rule.F01)


def test_folder_is_F01(tmp_path: Path) -> None:
    folder = tmp_path / "是文件夹.xlsx"
    folder.mkdir()
    assert "文件夹" in _refused(folder, Rule.F01)


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read a file without read permission")
def test_file_without_read_permission_is_F01(tmp_path: Path, valid_xlsx: bytes) -> None:
    path = badfiles.write(tmp_path / "无权限.xlsx", valid_xlsx)
    path.chmod(0)
    try:
        assert "无法读取" in _refused(path, Rule.F01)
    finally:
        path.chmod(0o644)


def test_empty_file_is_F01_and_says_zero_bytes(tmp_path: Path) -> None:
    assert "是空的（0 字节）" in _refused(badfiles.write(tmp_path / "空.xlsx", b""), Rule.F01)


def test_truncated_zip_is_F01_possibly_incomplete_download(
    tmp_path: Path, valid_xlsx: bytes
) -> None:
    for cut in (100, len(valid_xlsx) // 2, len(valid_xlsx) - 10):
        path = badfiles.write(tmp_path / f"截断{cut}.xlsx", valid_xlsx[:cut])
        assert "已损坏或不完整（可能未下载完整）" in _refused(path, Rule.F01)


_WORD_ADVICE = "请用 Word 或 WPS 打开后重新保存为 .docx 再试；从网站下载的年度报告请重新下载。"


def test_a_truncated_word_file_gets_word_advice_not_workbook_advice(tmp_path: Path) -> None:
    report = badfiles.docx_bytes("某某区人民政府2024年政府信息公开工作年度报告" * 40)
    for cut in (100, len(report) // 2, len(report) - 10):
        for suffix in (".docx", ".DOCM", ".dotx"):
            path = badfiles.write(tmp_path / f"截断{cut}{suffix}", report[:cut])
            message = _refused(path, Rule.F01)
            assert message.endswith(f"已损坏或不完整（可能未下载完整），无法打开。{_WORD_ADVICE}")
            assert "Excel" not in message and ".xlsx" not in message
        # the same bytes named as a workbook: a truncated zip cannot say what it held
        assert "重新保存为 .xlsx" in _refused(
            badfiles.write(tmp_path / f"截断{cut}.xlsx", report[:cut]), Rule.F01
        )


def test_a_word_file_whose_body_is_broken_xml_gets_word_advice_whatever_its_name(
    tmp_path: Path,
) -> None:
    from nianbao.recognise.reader import read_return

    body = "<w:document><w:body><w:p><w:t>政府信息公开工作年度报告</w:t></w:p>"  # never closed
    data = badfiles.zip_of({"word/document.xml": body.encode()})
    path = badfiles.write(tmp_path / "年度报告", data)  # no suffix: known as Word by its parts
    with pytest.raises(UnreadableFile) as caught:
        read_return(path)
    assert caught.value.finding.rule is Rule.F01
    assert caught.value.finding.message.endswith(_WORD_ADVICE)


def test_zip_whose_part_data_is_missing_is_F01(tmp_path: Path, valid_xlsx: bytes) -> None:
    # keep the central directory, wipe the first part's local header
    data = bytearray(valid_xlsx)
    data[0:30] = b"\0" * 30
    data[0:4] = b"PK\x03\x04"
    data[4:30] = b"\xff" * 26
    assert "已损坏" in _refused(badfiles.write(tmp_path / "坏头.xlsx", bytes(data)), Rule.F01)


def test_corrupt_deflate_stream_is_F01(tmp_path: Path, valid_xlsx: bytes) -> None:
    archive = zipfile.ZipFile(io.BytesIO(valid_xlsx))
    info = archive.getinfo("xl/workbook.xml")
    data = bytearray(valid_xlsx)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    data[start : start + 8] = b"\xff" * 8  # an invalid deflate block type
    assert "已损坏" in _refused(badfiles.write(tmp_path / "坏流.xlsx", bytes(data)), Rule.F01)


def test_a_changed_digit_in_a_stored_worksheet_is_F01_not_another_number(tmp_path: Path) -> None:
    """A damaged download whose zip still opens and whose XML is still well formed: a return
    stored uncompressed, one digit of a figure changed in place."""
    from nianbao.form import get_form
    from nianbao.pipeline.check import read_one
    from nianbao.xlsx.writer import write_return
    from tests.support.returns import valid_return

    form = get_form("2021")
    written = tmp_path / "原件.xlsx"
    write_return(written, form, valid_return(form, seed=3))
    stored = badfiles.rezip(written.read_bytes(), compression=zipfile.ZIP_STORED)
    part = "xl/worksheets/sheet2.xml"
    info = zipfile.ZipFile(io.BytesIO(stored)).getinfo(part)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    figure = re.compile(rb'<c r="([A-Z]+[0-9]+)" s="[0-9]+"><v>([0-9])</v>')
    found = figure.search(stored, start, start + info.compress_size)
    assert found is not None
    digit = found.start(2)
    changed = b"9" if found.group(2) != b"9" else b"8"
    damaged = stored[:digit] + changed + stored[digit + 1 :]
    intact = badfiles.write(tmp_path / "完好.xlsx", stored)
    path = badfiles.write(tmp_path / "损坏.xlsx", damaged)

    # calamine stops reading a sheet at its data, before the checksum: it reads another number
    def figures(source: Path) -> list:
        workbook = CalamineWorkbook.from_path(str(source))
        return workbook.get_sheet_by_name(workbook.sheet_names[1]).to_python()

    assert figures(path) != figures(intact)
    assert preflight(intact) == "xlsx" and not isinstance(read_one(intact), Finding)
    assert "已损坏" in _refused(path, Rule.F01)
    finding = read_one(path)
    assert isinstance(finding, Finding) and finding.rule is Rule.F01


@pytest.mark.parametrize(
    "part", ["xl/sharedStrings.xml", "xl/workbook.xml", "xl/styles.xml", "xl/worksheets/sheet1.xml"]
)
def test_a_part_values_are_read_from_whose_bytes_do_not_match_its_checksum_is_F01(
    tmp_path: Path, valid_xlsx: bytes, part: str
) -> None:
    crc = zipfile.ZipFile(io.BytesIO(valid_xlsx)).getinfo(part).CRC
    damaged = badfiles.set_declared_crc(valid_xlsx, part, crc ^ 1)
    assert "已损坏" in _refused(badfiles.write(tmp_path / "校验不符.xlsx", damaged), Rule.F01)


def test_a_large_part_is_checked_against_its_checksum_in_chunks(
    tmp_path: Path, valid_xlsx: bytes
) -> None:
    # above INFLATE_WHOLE_UP_TO a part is inflated in chunks: its checksum is proven there too
    items = "".join(f"<si><t>单位{i}</t></si>" for i in range(safety.INFLATE_WHOLE_UP_TO // 20))
    strings = f'<sst xmlns="{_MAIN}">{items}</sst>'.encode()
    assert len(strings) > safety.INFLATE_WHOLE_UP_TO
    big = badfiles.rezip(valid_xlsx, replace={"xl/sharedStrings.xml": strings})
    assert preflight(badfiles.write(tmp_path / "大.xlsx", big)) == "xlsx"
    crc = zipfile.ZipFile(io.BytesIO(big)).getinfo("xl/sharedStrings.xml").CRC
    damaged = badfiles.set_declared_crc(big, "xl/sharedStrings.xml", crc ^ 1)
    assert "已损坏" in _refused(badfiles.write(tmp_path / "大损坏.xlsx", damaged), Rule.F01)


def test_in_a_large_archive_every_part_is_checked_against_its_checksum(
    tmp_path: Path, valid_xlsx: bytes
) -> None:
    picture = random.Random(0).randbytes(safety.VERIFY_ABOVE_COMPRESSED * 2)  # incompressible
    with_picture = badfiles.rezip(valid_xlsx, add={"xl/media/image1.png": picture})
    assert preflight(badfiles.write(tmp_path / "有图.xlsx", with_picture)) == "xlsx"
    crc = zipfile.ZipFile(io.BytesIO(with_picture)).getinfo("xl/media/image1.png").CRC
    damaged = badfiles.set_declared_crc(with_picture, "xl/media/image1.png", crc ^ 1)
    assert "已损坏" in _refused(badfiles.write(tmp_path / "图损坏.xlsx", damaged), Rule.F01)


def test_xlsx_missing_its_workbook_part_is_F01(tmp_path: Path, valid_xlsx: bytes) -> None:
    data = badfiles.rezip(valid_xlsx, replace={"xl/workbook.xml": None})
    assert "缺少工作簿主体" in _refused(badfiles.write(tmp_path / "缺主体.xlsx", data), Rule.F01)


@pytest.mark.parametrize(
    ("name", "data", "says"),
    [
        ("名册.csv", badfiles.CSV_TEXT, "CSV 文本文件"),
        ("伪装.xlsx", badfiles.CSV_TEXT, "扩展名虽为 .xlsx"),
        ("说明.txt", badfiles.PLAIN_TEXT, "纯文本"),
        ("截图.xlsx", badfiles.PNG_HEAD, "图片"),
        ("系统导出.xls", badfiles.HTML_TABLE, "网页（HTML）"),
        ("旧格式.xml", badfiles.XML_SPREADSHEET_2003, "XML 电子表格 2003"),
        ("随机.xlsx", bytes(range(256)) * 4, "不是可识别的工作簿格式"),
    ],
)
def test_file_that_is_not_a_workbook_is_F02_and_says_save_as_xlsx(
    tmp_path: Path, name: str, data: bytes, says: str
) -> None:
    message = _refused(badfiles.write(tmp_path / name, data), Rule.F02)
    assert says in message
    if "图片" not in says:
        assert "另存为 .xlsx" in message


_TITLE = "某某区2024年政府信息公开工作年度报告"


@pytest.mark.parametrize(
    ("name", "build", "kind"),
    [
        ("报告.pdf", lambda: badfiles.PDF_HEAD, "pdf"),
        ("报告.xlsx", lambda: badfiles.PDF_HEAD, "pdf"),
        ("年报.html", lambda: f"<html><body><h1>{_TITLE}</h1></body></html>".encode(), "html"),
        (
            "年报.htm",
            lambda: "<html><body><p>政府<b>信息</b>\n公开</p></body></html>".encode("gbk"),
            "html",
        ),
        ("年报.txt", lambda: f"{_TITLE}\n一、总体情况\n".encode("gbk"), "text"),
        ("年报", lambda: f"\ufeff{_TITLE}\n".encode("utf-16"), "text"),
        ("年报.docx", lambda: badfiles.docx_bytes(_TITLE), "docx"),
    ],
)
def test_a_published_report_is_recognised_as_a_document_by_content(
    tmp_path: Path, name: str, build, kind: str
) -> None:
    assert preflight(badfiles.write(tmp_path / name, build())) == kind


@pytest.mark.parametrize(
    ("name", "data", "says"),
    [
        (
            "说明.html",
            b"<html><body><table><tr><td>1</td></tr></table></body></html>",
            "网页（HTML）",
        ),
        (
            "说明.docx",
            badfiles.docx_bytes("会议纪要"),
            "Word 文档（.docx），但其中没有政府信息公开",
        ),
        ("说明.txt", "会议纪要\n".encode(), "纯文本文件，其中没有政府信息公开"),
    ],
)
def test_a_document_that_is_not_a_report_is_F02(
    tmp_path: Path, name: str, data: bytes, says: str
) -> None:
    assert says in _refused(badfiles.write(tmp_path / name, data), Rule.F02)


def test_a_web_page_declaring_xml_entities_is_F04_before_any_parser(tmp_path: Path) -> None:
    page = (
        '<!DOCTYPE html [<!ENTITY a "政府信息公开政府信息公开"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>'
        "<html><body>&b;&b;&b;</body></html>"
    ).encode()
    assert "实体" in _refused(badfiles.write(tmp_path / "实体.html", page), Rule.F04)


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("实体.html", b'<!DOCTYPE html [<!ENTITY a "x">]><html><body>&a;</body></html>'),
        ("炸弹.docx", badfiles.zeros_bomb("word/document.xml")),
    ],
)
def test_a_report_refused_for_safety_is_not_told_to_resave_as_a_workbook(
    tmp_path: Path, name: str, data: bytes
) -> None:
    # An auditor checking a downloaded web page or Word report cannot "save it as .xlsx".
    message = _refused(badfiles.write(tmp_path / name, data), Rule.F04)
    assert ".xlsx" not in message
    assert "Word" in message and "重新下载" in message


def test_a_huge_web_page_is_F04_without_being_parsed(tmp_path: Path) -> None:
    path = tmp_path / "巨大.html"
    row = "<tr><td>政府信息公开</td></tr>".encode()
    path.write_bytes(b"<html><body><table>" + row * (safety.MAX_DOCUMENT_BYTES // len(row) + 1))
    assert "为安全起见未予打开" in _refused(path, Rule.F04)


@pytest.mark.parametrize(
    ("name", "build", "says"),
    [
        ("报告.docx", badfiles.docx_bytes, "Word 文档"),
        ("报告.xlsx", badfiles.pptx_bytes, "PowerPoint"),
        ("旧报告.doc", badfiles.word97_bytes, "Word 文档（.doc）"),
        ("打包.zip", lambda: badfiles.zip_of({"a/填报.xlsx": b"x"}), "ZIP 压缩包"),
        (
            "年报.ofd",
            lambda: badfiles.zip_of({"OFD.xml": b"<ofd:OFD/>", "Doc_0/Document.xml": b"<x/>"}),
            "OFD 版式文件",
        ),
    ],
)
def test_office_file_that_is_not_a_spreadsheet_is_F02(
    tmp_path: Path, name: str, build, says: str
) -> None:
    assert says in _refused(badfiles.write(tmp_path / name, build()), Rule.F02)


def test_password_protected_xlsx_is_F03(tmp_path: Path) -> None:
    path = badfiles.write(tmp_path / "加密.xlsx", badfiles.encrypted_ooxml_bytes())
    assert "设有打开密码" in _refused(path, Rule.F03)
    assert "去掉密码后重新保存再报送" in _refused(path, Rule.F03)


def test_password_protected_xls_is_F03(tmp_path: Path) -> None:
    path = badfiles.write(tmp_path / "加密.xls", badfiles.xls_like_bytes(password=True))
    assert "设有打开密码" in _refused(path, Rule.F03)


def test_unprotected_biff_workbook_is_xls(tmp_path: Path) -> None:
    assert preflight(badfiles.write(tmp_path / "旧版.xls", badfiles.xls_like_bytes())) == "xls"


def test_password_protected_ods_is_F03(tmp_path: Path) -> None:
    path = badfiles.write(tmp_path / "加密.ods", badfiles.encrypted_ods_bytes())
    assert "设有打开密码" in _refused(path, Rule.F03)


def test_corrupt_ole_container_is_F01(tmp_path: Path) -> None:
    data = badfiles.xls_like_bytes()[:600]  # header and a cut FAT: no directory
    assert "已损坏" in _refused(badfiles.write(tmp_path / "残缺.xls", data), Rule.F01)


# --- safety limits (F04) ----------------------------------------------------------------------


def test_file_over_the_size_cap_is_F04_without_being_read(tmp_path: Path) -> None:
    path = tmp_path / "巨大.xlsx"
    with open(path, "wb") as handle:
        handle.truncate(safety.MAX_FILE_BYTES + 1)  # sparse: costs no disk
    assert "为安全起见未予打开" in _refused(path, Rule.F04)


def test_zip_bomb_with_high_ratio_part_is_F04(tmp_path: Path, valid_xlsx: bytes) -> None:
    size = safety.RATIO_MIN_BYTES * 2
    data = badfiles.deflated_zeros_zip(
        "xl/worksheets/sheet9.xml", size, {"xl/workbook.xml": b"<w/>"}
    )
    assert "压缩炸弹" in _refused(badfiles.write(tmp_path / "炸弹.xlsx", data), Rule.F04)


def test_zip_declaring_gigabytes_is_F04_without_inflating(
    tmp_path: Path, valid_xlsx: bytes
) -> None:
    data = badfiles.set_declared_size(valid_xlsx, "xl/worksheets/sheet1.xml", 3 * 1024**3)
    assert "压缩炸弹" in _refused(badfiles.write(tmp_path / "声明巨大.xlsx", data), Rule.F04)


@pytest.mark.parametrize("part", ["xl/worksheets/sheet1.xml", "xl/media/image1.png"])
def test_part_that_inflates_beyond_its_declared_size_is_F04(tmp_path: Path, part: str) -> None:
    # a lying header: declares 1 KB, really inflates to 64 MB (a reader trusting the stream would)
    data = badfiles.deflated_zeros_zip(part, 64 * 1024 * 1024, {"xl/workbook.xml": b"<w/>"})
    data = badfiles.set_declared_size(data, part, 1024)
    message = _refused(badfiles.write(tmp_path / "说谎.xlsx", data), Rule.F04)
    assert "解压后大小与声明不符" in message


def test_too_many_parts_is_F04(tmp_path: Path) -> None:
    parts = {"xl/workbook.xml": b"<w/>"} | {
        f"xl/x/{i}.bin": b"" for i in range(safety.MAX_ENTRIES + 1)
    }
    data = badfiles.zip_of(parts, zipfile.ZIP_STORED)
    assert "结构异常" in _refused(badfiles.write(tmp_path / "碎片.xlsx", data), Rule.F04)


def _with_part(valid: bytes, name: str, data: bytes) -> bytes:
    return badfiles.rezip(
        valid, replace={name: data}, add={} if name in _names(valid) else {name: data}
    )


def _names(data: bytes) -> set[str]:
    return set(zipfile.ZipFile(io.BytesIO(data)).namelist())


@pytest.fixture(scope="module")
def laughs_xlsx(valid_xlsx: bytes) -> bytes:
    return _with_string_table(valid_xlsx, badfiles.billion_laughs())


@pytest.fixture(scope="module")
def xxe_xlsx(valid_xlsx: bytes) -> bytes:
    return _with_string_table(valid_xlsx, badfiles.external_entity())


def _with_string_table(valid: bytes, sst: bytes) -> bytes:
    """A real xlsx whose cell A1 of the first sheet refers to shared string 0, replaced by ``sst``."""
    sheet = zipfile.ZipFile(io.BytesIO(valid)).read("xl/worksheets/sheet1.xml").decode()
    # xlsxwriter wrote the title as shared string 0 already: only the table is swapped
    assert 't="s"' in sheet
    return badfiles.rezip(valid, replace={"xl/sharedStrings.xml": sst})


def test_billion_laughs_is_refused_as_F04(tmp_path: Path, laughs_xlsx: bytes) -> None:
    message = _refused(badfiles.write(tmp_path / "笑.xlsx", laughs_xlsx), Rule.F04)
    assert "xl/sharedStrings.xml" in message and "实体" in message


def test_external_entity_is_refused_as_F04(tmp_path: Path, xxe_xlsx: bytes) -> None:
    assert "实体" in _refused(badfiles.write(tmp_path / "外部实体.xlsx", xxe_xlsx), Rule.F04)


def test_dtd_in_a_utf16_part_is_refused(tmp_path: Path, valid_xlsx: bytes) -> None:
    text = badfiles.billion_laughs().decode().replace('encoding="UTF-8"', 'encoding="UTF-16"')
    data = _with_part(
        valid_xlsx, "xl/sharedStrings.xml", "\ufeff".encode("utf-16-le") + text.encode("utf-16-le")
    )
    assert "实体" in _refused(badfiles.write(tmp_path / "宽字符.xlsx", data), Rule.F04)


def test_dtd_in_a_part_with_an_unusual_name_is_refused(tmp_path: Path, valid_xlsx: bytes) -> None:
    data = _with_part(valid_xlsx, "xl/worksheets/data.bin", badfiles.billion_laughs("worksheet"))
    assert "实体" in _refused(badfiles.write(tmp_path / "改名部件.xlsx", data), Rule.F04)


def test_dtd_hidden_behind_a_long_prolog_is_refused(tmp_path: Path, valid_xlsx: bytes) -> None:
    padded = b'<?xml version="1.0"?>' + b"<!-- " + b" " * (safety.MAX_PROLOG_BYTES + 10) + b" -->"
    padded += badfiles.billion_laughs().split(b"?>", 1)[1]
    data = _with_part(valid_xlsx, "xl/sharedStrings.xml", padded)
    _refused(badfiles.write(tmp_path / "长序言.xlsx", data), Rule.F04)


def test_text_mentioning_doctype_inside_the_document_is_not_refused(
    tmp_path: Path, valid_xlsx: bytes
) -> None:
    ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    sst = f'<?xml version="1.0"?><sst xmlns="{ns}"><si><t>&lt;!DOCTYPE x&gt; <!-- <!ENTITY --></t></si></sst>'
    data = _with_part(valid_xlsx, "xl/sharedStrings.xml", sst.encode())
    assert preflight(badfiles.write(tmp_path / "正文提到.xlsx", data)) == "xlsx"


# --- the parsers behind preflight: a second line of defence -----------------------------------


def test_openpyxl_parses_with_defusedxml() -> None:
    import openpyxl.xml

    assert openpyxl.xml.DEFUSEDXML is True


def test_openpyxl_refuses_entity_expansion_if_preflight_were_bypassed(
    tmp_path: Path, laughs_xlsx: bytes, xxe_xlsx: bytes
) -> None:
    for name, data in (("笑.xlsx", laughs_xlsx), ("外部实体.xlsx", xxe_xlsx)):
        path = badfiles.write(tmp_path / name, data)
        with pytest.raises(Exception) as caught:
            openpyxl.load_workbook(path)
        causes = []
        error: BaseException | None = caught.value
        while error is not None:
            causes.append(type(error).__name__)
            error = error.__cause__ or error.__context__
        assert any("Forbidden" in cause for cause in causes), causes


def test_calamine_does_not_expand_entities_if_preflight_were_bypassed(
    tmp_path: Path, laughs_xlsx: bytes, xxe_xlsx: bytes
) -> None:
    for name, data in (("笑.xlsx", laughs_xlsx), ("外部实体.xlsx", xxe_xlsx)):
        path = badfiles.write(tmp_path / name, data)
        try:
            rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
        except Exception:
            continue  # refusing is as good as not expanding
        text = "".join(str(value) for row in rows for value in row)
        assert "lollollol" not in text and "root:" not in text


# --- real files written by LibreOffice --------------------------------------------------------


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("converted")
    source = badfiles.write(folder / "填报.xlsx", _valid_bytes())
    return {fmt: convert(source, fmt, folder / fmt) for fmt in ("xls", "ods")}


@requires_soffice
@pytest.mark.soffice
def test_xls_saved_by_libreoffice_is_detected_as_xls(converted: dict[str, Path]) -> None:
    assert preflight(converted["xls"]) == "xls"


@requires_soffice
@pytest.mark.soffice
def test_ods_saved_by_libreoffice_is_detected_as_ods(
    converted: dict[str, Path], tmp_path: Path
) -> None:
    assert preflight(converted["ods"]) == "ods"
    renamed = badfiles.write(tmp_path / "其实是ods.xlsx", converted["ods"].read_bytes())
    assert preflight(renamed) == "ods"


@requires_soffice
@pytest.mark.soffice
def test_ods_content_whose_bytes_do_not_match_its_checksum_is_F01(
    converted: dict[str, Path], tmp_path: Path
) -> None:
    data = converted["ods"].read_bytes()
    crc = zipfile.ZipFile(io.BytesIO(data)).getinfo("content.xml").CRC
    damaged = badfiles.set_declared_crc(data, "content.xml", crc ^ 1)
    assert "已损坏" in _refused(badfiles.write(tmp_path / "损坏.ods", damaged), Rule.F01)


# --- sheets whose used range is enormous (a reader would allocate it densely) -----------------


@pytest.mark.parametrize("separator", [" ", "\n", "\t"])
def test_sheet_with_a_cell_at_the_far_corner_is_F04(
    tmp_path: Path, valid_xlsx: bytes, separator: str
) -> None:
    data = badfiles.far_cell_xlsx(valid_xlsx, separator=separator)
    message = _refused(badfiles.write(tmp_path / "远处单元格.xlsx", data), Rule.F04)
    assert "数据区域异常庞大" in message and "1048576 行" in message


@pytest.mark.parametrize(
    ("separator", "reference"),
    [
        (" ", "XFD01048576"),  # leading zeros
        (" ", "Z1048576"),  # one letter, seven digits
        (' s="0" ', "XFD1048576"),  # the reference not the tag's first attribute
        (" ", "xfd1048576"),  # lower case
    ],
)
def test_every_spelling_of_a_far_place_is_F04(
    tmp_path: Path, valid_xlsx: bytes, separator: str, reference: str
) -> None:
    data = badfiles.far_cell_xlsx(valid_xlsx, separator=separator, reference=reference)
    message = _refused(badfiles.write(tmp_path / "远处单元格.xlsx", data), Rule.F04)
    assert "数据区域异常庞大" in message


FAR_ROW = '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'


@pytest.mark.parametrize(
    "edit",
    [
        # a second sheetData after the first (a reader may take either)
        lambda xml: xml.replace("</worksheet>", f"<sheetData>{FAR_ROW}</sheetData></worksheet>"),
        # a prefixed one after it
        lambda xml: xml.replace(
            "</worksheet>", f"<x:sheetData xmlns:x='a'>{FAR_ROW}</x:sheetData></worksheet>"
        ),
        # one left open at the end of the part
        lambda xml: xml.replace("</worksheet>", f"<sheetData>{FAR_ROW}</worksheet>"),
        # an empty one first, the cells in a later one
        lambda xml: xml.replace("<sheetData>", f"<sheetData/><sheetData>{FAR_ROW}", 1),
    ],
)
def test_far_cells_in_any_sheetdata_are_found_not_only_in_the_first(
    tmp_path: Path, valid_xlsx: bytes, edit
) -> None:
    """The search for far places skips what follows the cells (data validations), never a
    place a reader could take cells from."""
    with zipfile.ZipFile(io.BytesIO(valid_xlsx)) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode()
    changed = edit(xml)
    assert changed != xml
    data = badfiles.rezip(valid_xlsx, replace={"xl/worksheets/sheet1.xml": changed.encode()})
    message = _refused(badfiles.write(tmp_path / "远处单元格.xlsx", data), Rule.F04)
    assert "数据区域异常庞大" in message


def test_a_far_place_after_the_sheet_data_is_no_cell_and_is_not_refused(
    tmp_path: Path, valid_xlsx: bytes
) -> None:
    """The far-place search ends where every reader's cells end, the sheet data's one end tag
    (a part naming sheetData elsewhere is refused): what follows, a return's validation
    prompts, holds no cell a reader places, and is not searched."""
    from nianbao.sources.grid import load_grid

    with zipfile.ZipFile(io.BytesIO(valid_xlsx)) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode()
    tail = f'<extLst><ext uri="{{00000000-0000-0000-0000-000000000000}}">{FAR_ROW}</ext></extLst>'
    changed = xml.replace("</worksheet>", tail + "</worksheet>")
    assert changed != xml
    data = badfiles.rezip(valid_xlsx, replace={"xl/worksheets/sheet1.xml": changed.encode()})
    path = badfiles.write(tmp_path / "表后标记.xlsx", data)
    assert preflight(path) == "xlsx"
    sheet = load_grid(path).sheets[0]
    assert len(sheet.rows) == 20 and max(len(line) for line in sheet.rows) == 10


@pytest.mark.parametrize(
    "far",
    [
        '<row r="1048576"><c r="XFD1048576" s="1"/></row>',  # a stray Ctrl+B far away
        '<row r="1048576" spans="1:16384"><c r="XFD1048576" s="1" t="s"/></row>',
        "<row r='1048576'><c s='1' r='XFD1048576' /></row>",
        '<row r="1048576"><c s="1"/></row>',  # placed by counting
        '<row r="1048576" ht="20" customHeight="1"/>',  # a row given a height, no cells
    ],
)
def test_a_far_cell_that_is_only_formatted_is_read_not_refused(
    tmp_path: Path, valid_xlsx: bytes, far: str
) -> None:
    """calamine allocates for cells that hold something; one merely formatted far away (Excel
    writes it as a self-closing tag) does not make the sheet huge, and is no reason to refuse."""
    with zipfile.ZipFile(io.BytesIO(valid_xlsx)) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode()
    xml = xml.replace("</sheetData>", far + "</sheetData>", 1)
    data = badfiles.rezip(valid_xlsx, replace={"xl/worksheets/sheet1.xml": xml.encode()})
    path = badfiles.write(tmp_path / "远处格式.xlsx", data)
    assert preflight(path) == "xlsx"
    workbook = CalamineWorkbook.from_path(str(path))
    assert len(workbook.get_sheet_by_name(SHEETS[0]).to_python()) == 20


@pytest.mark.parametrize(
    "far",
    [
        # a value whose tag only looks self-closing to a careless reading
        '<row r="1048576"><c r="XFD1048576" x="/>"><v>1</v></c></row>',
        # a formula whose result is an empty text: calamine places it
        '<row r="1048576"><c r="XFD1048576" t="str"><f>""</f><v></v></c></row>',
        # an attribute left unquoted: not parsed strictly, so it counts
        '<row r="1048576"><c r="XFD1048576" s=1/></row>',
    ],
)
def test_a_far_cell_that_may_hold_something_is_still_f04(
    tmp_path: Path, valid_xlsx: bytes, far: str
) -> None:
    with zipfile.ZipFile(io.BytesIO(valid_xlsx)) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode()
    xml = xml.replace("</sheetData>", far + "</sheetData>", 1)
    data = badfiles.rezip(valid_xlsx, replace={"xl/worksheets/sheet1.xml": xml.encode()})
    message = _refused(badfiles.write(tmp_path / "远处单元格.xlsx", data), Rule.F04)
    assert "数据区域异常庞大" in message


def test_sheet_with_a_far_cell_within_bounds_passes(tmp_path: Path, valid_xlsx: bytes) -> None:
    # a note typed at row 50000 of column A: a long but narrow range, still readable
    with zipfile.ZipFile(io.BytesIO(valid_xlsx)) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode()
    xml = xml.replace("</sheetData>", '<row r="50000"><c r="A50000"><v>1</v></c></row></sheetData>')
    data = badfiles.rezip(valid_xlsx, replace={"xl/worksheets/sheet1.xml": xml.encode()})
    assert preflight(badfiles.write(tmp_path / "长表.xlsx", data)) == "xlsx"


def test_ods_repeating_a_cell_a_billion_times_is_F04(tmp_path: Path) -> None:
    path = badfiles.write(tmp_path / "重复.ods", badfiles.ods_repeat_bomb())
    assert "数据区域异常庞大" in _refused(path, Rule.F04)


def test_ods_with_repeated_empty_rows_and_columns_passes(tmp_path: Path) -> None:
    # LibreOffice writes trailing blank rows/columns as huge repeats of empty cells
    data = badfiles.ods_repeat_bomb(filled=False)
    assert preflight(badfiles.write(tmp_path / "空白重复.ods", data)) == "ods"


def test_ods_error_cells_are_flagged_where_calamine_places_the_cells_beside_them(
    tmp_path: Path,
) -> None:
    """Rows and cells repeated, covered cells, an empty row: each flag sits just left of the
    marker text calamine reads next to it."""
    from python_calamine import CalamineWorkbook

    from nianbao.sources.ods import ods_cell_flags
    from nianbao.sources.preflight import inspect

    error = (
        '<table:table-cell table:formula="of:=1/0" office:value-type="string" '
        'calcext:value-type="error"><text:p>#DIV/0!</text:p></table:table-cell>'
    )

    def marker(text: str) -> str:
        return f'<table:table-cell office:value-type="string"><text:p>{text}</text:p></table:table-cell>'

    rows = (
        '<table:table-row table:number-rows-repeated="3"><table:table-cell/></table:table-row>'
        f"<table:table-row>{marker('a')}<table:covered-table-cell/>{error}{marker('m1')}"
        "</table:table-row>"
        "<table:table-row/>"
        '<table:table-row><table:table-cell table:number-columns-repeated="4"/>'
        f"{error}{marker('m2')}</table:table-row>"
    )
    content = badfiles.ods_repeat_bomb(rows=1, cols=1)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        xml = archive.read("content.xml").decode()
    start, end = xml.index("<table:table-row"), xml.index("</table:table>")
    xml = xml[:start] + rows + xml[end:]
    xml = xml.replace(
        "office:version",
        'xmlns:calcext="urn:org:documentfoundation:names:experimental:calc:'
        'xmlns:calcext:1.0" office:version',
        1,
    )
    path = badfiles.write(
        tmp_path / "错误值.ods", badfiles.rezip(content, replace={"content.xml": xml.encode()})
    )
    flags = ods_cell_flags(inspect(path).parts["content.xml"])["表三"]
    sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("表三")
    grid = sheet.to_python(skip_empty_area=False)  # as sources/grid.py reads it
    markers = {
        value: (r, c) for r, line in enumerate(grid) for c, value in enumerate(line) if value
    }
    assert flags == {
        (markers["m1"][0], markers["m1"][1] - 1): "#DIV/0!",
        (markers["m2"][0], markers["m2"][1] - 1): "#DIV/0!",
    }
    assert markers["m1"] == (3, 3) and markers["m2"] == (5, 5)


def test_a_read_only_place_is_said_to_be_read_only(tmp_path: Path, monkeypatch) -> None:
    """Writing onto a read-only mount (a CD, a read-only share) is refused saying the place is
    read-only: no permission the user could ask for would help."""
    from nianbao import outputs
    from nianbao.errors import UserError

    real_statvfs = os.statvfs

    class _ReadOnly:
        def __init__(self, folder: str | os.PathLike[str]) -> None:
            self.f_flag = real_statvfs(folder).f_flag | os.ST_RDONLY

    monkeypatch.setattr(outputs.os, "access", lambda path, mode: False)
    monkeypatch.setattr(outputs.os, "statvfs", _ReadOnly)
    with pytest.raises(UserError) as refused:
        outputs.claim_outputs([tmp_path / "汇总.xlsx"], force=False)
    assert "只读" in str(refused.value) and str(tmp_path) in str(refused.value)
    assert not (tmp_path / "汇总.xlsx").exists()
