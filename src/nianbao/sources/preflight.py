"""File-level checks before any spreadsheet or document library touches a file.

``preflight(path)`` looks at a file's bytes (never its extension) and either returns the
detected format — a workbook ("xlsx", "xls", "xlsb", "ods") or a published report
("html", "docx", "pdf", "text"; see DOCUMENTS) — or raises ``UnreadableFile`` carrying a
Finding (F01 unreadable/corrupt, F02 not a supported format, F03 password-protected, F04
beyond the safety limits: too large, zip bomb, XML DTD/entity declarations, a used range a
reader would allocate densely).

What counts as a report: a PDF (its reader refuses one without a text layer); a Word .docx,
a web page or a plain-text file only when its text mentions 政府信息公开 (every report's title
and table headings do). Nearly any file is "text", so without that word a text file, a web
page exported by some business system, or an unrelated Word file is refused as before with
advice to send the workbook.

Every part values are read from (worksheets, VALUE_PARTS, an .ods content.xml) is inflated once
and its CRC-32 compared with the one the zip declares: calamine stops reading a sheet where its
cells end, before the checksum, so a damaged download with one changed byte would otherwise be
read as another number.

It runs on every file of a batch, so the common case (a 12 KB xlsx) is kept to one read of the
file, zipfile's central directory, inflating those parts once and the first few hundred bytes of
the others. What a worksheet's XML says beyond its values (error values, formulas without a
result, what a cell shows, hidden lines, merged ranges) is read from the parts kept here by
``sheetxml.py``.
"""

from __future__ import annotations

import html as html_text
import io
import mmap
import os
import posixpath
import re
import stat
import struct
import zipfile
import zlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nianbao.errors import system_reason
from nianbao.form.findings import Finding, Rule
from nianbao.sources.looks import (
    LAZY_ATTRIBUTES,
)

# Limits. A return is ~12 KB with ~15 parts; these leave room for heavily formatted workbooks.
MAX_FILE_BYTES = 100 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024  # sum of the declared sizes of all parts
MAX_ENTRIES = 5_000
MAX_RATIO = 200  # uncompressed : compressed, only judged on parts larger than RATIO_MIN_BYTES
RATIO_MIN_BYTES = 4 * 1024 * 1024
# A sheet's cells as a dense grid: calamine allocates rows x columns of the used range, so two
# cells at A1 and XFD1048576 in a 2 KB file would ask for 500 GB and abort the process. A range
# larger than MAX_SHEET_CELLS is refused when the cells in it are too few to fill half of it
# (a sparse range: the bomb), or when it is larger than MAX_DENSE_CELLS whatever it holds. A
# dense range is real data (分单位明细 of a summary of 19,000 units: 3.9 million cells), and the
# 200 MB cap on a file's parts keeps it below MAX_DENSE_CELLS in practice.
MAX_SHEET_CELLS = 2_000_000
MAX_DENSE_CELLS = 12_000_000
MAX_PROLOG_BYTES = 64 * 1024  # an XML part must reach its root element within this many bytes
# A part's size and CRC-32 are proven by inflating it (bounded by its declared size) and
# comparing: a part that lies about its size could inflate ~1000x in a reader that trusts the
# stream, and calamine does not check the CRC, so a damaged download (one changed byte in a
# part stored uncompressed) would read as another number. The parts values are read from
# (worksheets, VALUE_PARTS, an .ods content.xml, a Word body) are always proven, the others
# above this much compressed data (below it, the worst lying part inflates to ~33 MB).
VERIFY_ABOVE_COMPRESSED = 32 * 1024
# Beside the worksheets, the parts a workbook's values are read from: sheet list, strings,
# number formats (a date format turns a number into a date).
VALUE_PARTS = frozenset(
    {
        *(
            f"xl/{part}.{kind}"
            for part in ("workbook", "sharedStrings", "styles")
            for kind in ("xml", "bin")
        ),
        "xl/_rels/workbook.xml.rels",
        "xl/_rels/workbook.bin.rels",
    }
)
# VALUE_PARTS up to this size are inflated whole (their start checked from the same bytes),
# larger ones in bounded chunks.
INFLATE_WHOLE_UP_TO = 1024 * 1024
_READ_WHOLE_BELOW = 8 * 1024 * 1024
# A web page or text file of a report is well under 1 MB (a saved page with its styling ~300 KB).
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024

DOCUMENTS = ("html", "docx", "pdf", "text")
REPORT_MARKER = "政府信息公开"

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
_SAVE_AS = "请在 Excel 或 WPS 中打开后另存为 .xlsx 格式（“Excel 工作簿”）再报送。"
_USE_TEMPLATE = "请在下发的 Excel 模板中填报，报送 .xlsx 工作簿文件。"
_RESEND = "请向报送单位重新索取原文件，或在 Excel / WPS 中打开后重新保存为 .xlsx 再报送。"
_SAVE_AS_DOCX = "请在 Word 或 WPS 中打开后另存为 .docx（或网页、PDF）再试。"
# A damaged Word report: no workbook advice (.xlsx) for it.
_WORD_RESEND = "请用 Word 或 WPS 打开后重新保存为 .docx 再试；从网站下载的年度报告请重新下载。"
_WORD_SUFFIXES = frozenset({".docx", ".docm", ".dotx", ".dotm"})
# China's fixed-layout format (GB/T 33190), in which some sites publish their reports: its
# text is glyph codes placed one by one, with no tables; the same report is on the site as a
# web page or a PDF, and an OFD reader exports one.
_OFD = (
    "是 OFD 版式文件，nianbao 不能直接读取。请用 OFD 阅读器（如数科 OFD 阅读器、福昕 OFD 版式办公套件）"
    "或 WPS 打开后导出为 PDF 再试，或从网站下载同一报告的网页、Word 或 PDF 版本。"
)
# After F04 the file may be a workbook or a downloaded report (web page, Word): advice for both.
_RESAVE_SAFE = "请用原来的软件（Excel、WPS 或 Word）打开检查、重新保存后再报送；从网站下载的年度报告请重新下载。"
_NO_REPORT = "其中没有政府信息公开工作年度报告的内容（找不到“政府信息公开”字样）"


FORMULA_WITHOUT_RESULT = "="  # the flag of a formula cell the file holds no result for


class UnreadableFile(Exception):
    """A file that cannot or must not be opened; ``finding`` says why, in Chinese."""

    def __init__(self, finding: Finding) -> None:
        super().__init__(finding.message)
        self.finding = finding


def unreadable(
    rule: Rule, path: str | os.PathLike[str], problem: str, **operands: object
) -> UnreadableFile:
    """Build the exception for ``path``: the message is 「文件「名称」problem」."""
    name = Path(path).name or str(path)
    return UnreadableFile(
        Finding(rule, f"文件「{name}」{problem}", file=str(path), operands=operands)
    )


def corrupt(path: str | os.PathLike[str], advice: str | None = None) -> UnreadableFile:
    """The F01 for a file whose container or XML turns out broken while reading it. Unless
    ``advice`` is given, it is for what the file's name says it is: a broken zip cannot say
    more (a truncated one has lost the list of its parts), and a .docx is no workbook."""
    if advice is None:
        advice = _WORD_RESEND if Path(path).suffix.lower() in _WORD_SUFFIXES else _RESEND
    return unreadable(Rule.F01, path, f"已损坏或不完整（可能未下载完整），无法打开。{advice}")


def word_corrupt(path: str | os.PathLike[str]) -> UnreadableFile:
    """F01 for a Word file found broken while reading it, whatever its name."""
    return corrupt(path, _WORD_RESEND)


def preflight(path: str | os.PathLike[str]) -> str:
    """Return the format detected from the content of ``path`` (a workbook format or one of
    DOCUMENTS), or raise UnreadableFile."""
    return inspect(path).fmt


@dataclass(frozen=True)
class Inspected:
    """What ``inspect`` checked: the format, and the bytes it checked, for a reader to parse
    those very bytes (not the file read again, which may have changed in between, and not
    inflated twice)."""

    fmt: str
    data: bytes | None  # the whole file; None above _READ_WHOLE_BELOW (checked through mmap)
    # parts inflated whole while checking, by name: an xlsx's worksheets, its workbook part and
    # that part's relationships (which sheet is which part); an .ods's content.xml
    parts: dict[str, bytes] = field(default_factory=dict)
    # an xlsx's parts by ``part_key``: what a reader can find in it
    names: frozenset[str] = frozenset()


@dataclass
class _Kept:
    """What ``inspect`` keeps while checking a file: Inspected's parts and names."""

    parts: dict[str, bytes] = field(default_factory=dict)
    names: frozenset[str] = frozenset()


def part_key(name: str) -> str:
    """A part's name as readers look it up in an archive: / for \\, in any case."""
    return name.replace("\\", "/").lower()


def relationships_of(part: str) -> str:
    """The name of the part that says what ``part`` refers to (its drawing, its links)."""
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels")


def inspect(path: str | os.PathLike[str]) -> Inspected:
    """``preflight`` keeping what it read: the file's bytes and the parts it inflated whole."""
    p = Path(path)
    info = _regular_file(p, "工作簿", "统计表（通常不足 100 KB）", _RESEND)
    kept = _Kept()
    try:
        with open(p, "rb") as handle:
            if info.st_size <= _READ_WHOLE_BELOW:
                data = handle.read()
                fmt = _classify(p, data, kept)
                return Inspected(fmt, data, kept.parts, kept.names)
            with mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as mapped:
                return Inspected(_classify(p, mapped, _Kept()), None)
    except UnreadableFile:
        raise
    except OSError as error:
        raise unreadable(Rule.F01, p, f"无法读取（{system_reason(error)}）。") from None


def _regular_file(path: Path, what: str, typical: str, resend: str) -> os.stat_result:
    """The stat of ``path``, refused unless it is a non-empty regular file within
    MAX_FILE_BYTES; ``what`` names the kind of file expected, ``typical`` its normal size."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise unreadable(Rule.F01, path, "不存在，请检查文件名和路径。") from None
    except OSError as error:
        raise unreadable(Rule.F01, path, f"无法访问（{system_reason(error)}）。") from None
    if stat.S_ISDIR(info.st_mode):
        raise unreadable(Rule.F01, path, f"是一个文件夹，不是{what}文件。")
    if not stat.S_ISREG(info.st_mode):
        raise unreadable(Rule.F01, path, f"不是普通文件，无法作为{what}打开。")
    if info.st_size == 0:
        raise unreadable(Rule.F01, path, f"是空的（0 字节），没有任何内容。{resend}")
    if info.st_size > MAX_FILE_BYTES:
        raise unreadable(
            Rule.F04,
            path,
            f"大小为 {info.st_size / 1024 / 1024:.0f} MB，远超正常{typical}，"
            "为安全起见未予打开。请确认是否报错了文件。",
        )
    return info


def _classify(path: Path, data: bytes | mmap.mmap, kept: _Kept) -> str:
    """The format of ``data``; ``kept`` receives what is inflated whole on the way
    (Inspected.parts) and an xlsx's part names."""
    head = bytes(data[:8])
    if head.startswith(b"%PDF"):
        return "pdf"  # the PDF reader checks the rest (text layer, pages) with its parser
    zipped = head.startswith((b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08"))
    if not zipped and head != OLE_MAGIC:
        return _check_text(path, data)
    try:
        return _check_zip(path, data, kept) if zipped else _check_ole(path, data)
    except UnreadableFile:
        raise
    except Exception:  # zipfile and struct fail in many ways on mangled bytes: all mean corrupt
        raise corrupt(path) from None


# --- zip containers: xlsx / xlsm / xlsb / ods -------------------------------------------------


def _check_zip(path: Path, data: bytes | mmap.mmap, kept: _Kept) -> str:
    parts = kept.parts
    try:
        archive = zipfile.ZipFile(io.BytesIO(data) if isinstance(data, bytes) else _MmapFile(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, struct.error):
        raise corrupt(path) from None
    with archive:
        entries = archive.infolist()
        _check_sizes(path, entries)
        names = {entry.filename for entry in entries}
        if len({part_key(name) for name in names}) < len(entries):
            # two parts of one name (in any case, as a package's names are): which one is read
            # differs from reader to reader (nianbao's took the last, Excel repairs the file),
            # so no figure in either can be trusted; no program writes such a file
            raise corrupt(path)
        fmt = _zip_format(path, archive, names)
        proven: set[str] = set()  # parts whose size and checksum are proven
        for entry in entries:
            if entry.file_size == 0 or entry.is_dir():
                continue
            if entry.filename.startswith("xl/worksheets/") or (
                entry.filename in VALUE_PARTS and entry.file_size <= INFLATE_WHOLE_UP_TO
            ):
                xml = _inflate_all(path, data, entry)  # read whole: a worksheet's extent too
                root = _check_prolog(path, entry, xml[:MAX_PROLOG_BYTES])
                proven.add(entry.filename)
                if entry.filename in KEPT:
                    parts[entry.filename] = xml
            else:
                xml, root = None, _check_entry(path, data, entry)
            if root is not None and root.endswith(b"worksheet"):
                xml = xml or _inflate_all(path, data, entry)
                try:
                    cells_end = _check_sheet_data(path, entry, xml)
                except UnreadableFile:  # a far cell, said first (F04), may be why
                    _check_sheet_extent(path, entry, xml, len(xml))
                    raise
                _check_sheet_extent(path, entry, xml, cells_end)
                parts[entry.filename] = xml
                proven.add(entry.filename)
        large = sum(entry.compress_size for entry in entries) > VERIFY_ABOVE_COMPRESSED
        for entry in entries:
            if entry.filename not in proven and (large or entry.filename in VALUE_PARTS):
                _verify_inflated(path, data, entry)
        if fmt == "ods":
            _check_ods(path, data, entries, parts)
        if fmt == "docx":
            _check_docx(path, data, archive.getinfo(WORD_BODY))
        if fmt == "xlsx":
            kept.names = frozenset(part_key(name) for name in names)
    return fmt


def _check_sizes(path: Path, entries: list[zipfile.ZipInfo]) -> None:
    if len(entries) > MAX_ENTRIES:
        raise _too_big(path, f"包含 {len(entries)} 个内部部件，结构异常")
    total = 0
    for entry in entries:
        total += entry.file_size
        if entry.file_size > RATIO_MIN_BYTES and entry.file_size > MAX_RATIO * max(
            entry.compress_size, 1
        ):
            raise _too_big(path, "内部数据压缩比异常（疑似“压缩炸弹”）")
    if total > MAX_UNCOMPRESSED_BYTES:
        raise _too_big(path, f"解压后将达 {total / 1024 / 1024:.0f} MB，异常庞大（疑似“压缩炸弹”）")


def _zip_format(path: Path, archive: zipfile.ZipFile, names: set[str]) -> str:
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "xl/workbook.bin" in names:
        return "xlsb"
    if "mimetype" in names:
        mimetype = _read_small(path, archive, "mimetype").strip()
        if mimetype == ODS_MIMETYPE:
            return "ods"
        if mimetype.startswith(b"application/vnd.oasis.opendocument.text"):
            raise unreadable(
                Rule.F02, path, "是 Writer 文字文档（ODT），nianbao 不能直接读取。" + _SAVE_AS_DOCX
            )
        raise unreadable(Rule.F02, path, f"是 OpenDocument 文件但不是电子表格。{_SAVE_AS}")
    if WORD_BODY in names:
        return "docx"
    if any(name.lower() == "ofd.xml" for name in names):
        raise unreadable(Rule.F02, path, _OFD)
    if "ppt/presentation.xml" in names:
        raise unreadable(
            Rule.F02, path, "是 PowerPoint 演示文稿，不是 Excel 工作簿。" + _USE_TEMPLATE
        )
    if any(name.startswith("word/") for name in names) or (
        "[Content_Types].xml" in names
        and b"wordprocessingml" in _read_small(path, archive, "[Content_Types].xml", 16384)
    ):
        raise unreadable(
            Rule.F01,
            path,
            f"看起来是 Word 文档，但缺少正文部分（已损坏或不完整）。{_WORD_RESEND}",
        )
    if "[Content_Types].xml" in names or any(name.startswith("xl/") for name in names):
        raise unreadable(
            Rule.F01, path, f"看起来是 Excel 工作簿，但缺少工作簿主体（已损坏）。{_RESEND}"
        )
    raise unreadable(
        Rule.F02, path, "是一个 ZIP 压缩包，不是工作簿。请解压后单独报送其中的 .xlsx 统计表文件。"
    )


WORD_BODY = "word/document.xml"
# The main part of a Word report is ~250 KB (the statutory tables are verbose XML).
MAX_WORD_BODY_BYTES = 50 * 1024 * 1024
_XML_TAG = re.compile(rb"<[^>]*>")


def _check_docx(path: Path, data: bytes | mmap.mmap, entry: zipfile.ZipInfo) -> None:
    """A Word file is read as a report only when its body mentions 政府信息公开."""
    if entry.file_size > MAX_WORD_BODY_BYTES:
        raise _too_big(
            path, f"Word 正文部件解压后达 {entry.file_size / 1024 / 1024:.0f} MB，异常庞大"
        )
    body = _inflate_all(path, data, entry)
    text = _XML_TAG.sub(b"", body).decode("utf-8", "replace")
    if REPORT_MARKER not in "".join(text.split()):
        if _ALT_CHUNK in body:  # a converter's document: all of it in a chunk Word opens later
            raise unreadable(
                Rule.F02,
                path,
                "是 Word 文档（.docx），但正文的内容嵌在文档包的另一部件中（“altChunk”，"
                "Word 打开后才转为正文），nianbao 不读取这部分内容。"
                "请用 Word 或 WPS 打开后另存为 .docx（保存时会转为正文中的普通表格）再试。",
            )
        raise unreadable(Rule.F02, path, f"是 Word 文档（.docx），但{_NO_REPORT}。{_SEND_REPORT}")


_ALT_CHUNK = b":altChunk"


def read_body(path: str | os.PathLike[str], part: str, limit: int) -> bytes:
    """The inflated bytes of one part of a zip container that preflight has passed, read under
    the same discipline: a part larger than ``limit`` or inflating beyond its declared size
    is refused (F04), a broken container is F01."""
    p = Path(path)
    try:
        data = p.read_bytes()
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entry = archive.getinfo(part)
    except KeyError:
        raise corrupt(p) from None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, struct.error):
        raise corrupt(p) from None
    if entry.file_size > limit:
        raise _too_big(
            p, f"内部部件 {part} 解压后达 {entry.file_size / 1024 / 1024:.0f} MB，异常庞大"
        )
    try:
        return _inflate_all(p, data, entry)
    except UnreadableFile:
        raise
    except Exception:  # zlib and struct fail in many ways on mangled bytes: all mean corrupt
        raise corrupt(p) from None


def _read_small(path: Path, archive: zipfile.ZipFile, name: str, limit: int = 4096) -> bytes:
    try:
        with archive.open(name) as part:
            return part.read(limit)
    except (zipfile.BadZipFile, OSError, zlib.error, EOFError, NotImplementedError, RuntimeError):
        raise corrupt(path) from None


_LOCAL_HEADER = struct.Struct("<4s22xHH")
_DTD = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_ROOT_START = re.compile(rb"<([^?!\s/>][^\s/>]*)")


def _entry_payload(path: Path, data: bytes | mmap.mmap, entry: zipfile.ZipInfo) -> tuple[int, int]:
    """(start, end) of an entry's compressed bytes, from its local header."""
    offset = entry.header_offset
    if offset + 30 > len(data):
        raise corrupt(path)
    signature, name_len, extra_len = _LOCAL_HEADER.unpack_from(data, offset)
    if signature != b"PK\x03\x04":
        raise corrupt(path)
    start = offset + 30 + name_len + extra_len
    end = start + entry.compress_size
    if end > len(data):
        raise corrupt(path)
    return start, end


def _inflate(
    path: Path, data: bytes | mmap.mmap, entry: zipfile.ZipInfo, limit: int, first: int = 256
) -> Iterator[bytes]:
    """Yield the growing uncompressed prefix of ``entry`` (``first`` bytes, then 8x more each
    time), never more than ``limit`` bytes in all."""
    _refuse_unusual(path, entry)
    start, end = _entry_payload(path, data, entry)
    if entry.compress_type == zipfile.ZIP_STORED:
        yield bytes(data[start : min(end, start + limit)])
        return
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    produced = b""
    position = start
    target = min(first, limit)
    try:
        while True:
            while len(produced) < target and (inflater.unconsumed_tail or position < end):
                chunk = inflater.unconsumed_tail
                if not chunk:
                    chunk = data[position : min(end, position + 256)]
                    position += len(chunk)
                produced += inflater.decompress(chunk, target - len(produced))
            yield produced
            if target >= limit or (position >= end and not inflater.unconsumed_tail):
                return
            target = min(target * 8, limit)
    except zlib.error:
        raise corrupt(path) from None


def _check_entry(path: Path, data: bytes | mmap.mmap, entry: zipfile.ZipInfo) -> bytes | None:
    """Inflate the start of a part just far enough for _check_prolog; returns the root's name."""
    limit = min(entry.file_size, MAX_PROLOG_BYTES)
    for prefix in _inflate(path, data, entry, limit):
        root = _check_prolog(path, entry, prefix, final=len(prefix) >= limit)
        if root is not _MORE:
            return root
    return None


_MORE = b""  # _check_prolog: the root element was not reached yet


def _check_prolog(
    path: Path, entry: zipfile.ZipInfo, prefix: bytes, final: bool = True
) -> bytes | None:
    """Refuse DTD/ENTITY declarations (entity expansion, external entities) at the start of a part.

    A DTD can only appear before the root element, so the text up to the first start tag
    suffices. Returns the root element's name, None for a part that is not XML, or _MORE when
    ``prefix`` ends before the root element (and is not ``final``).
    """
    text = prefix.replace(b"\x00", b"")  # UTF-16 parts: ASCII markup survives dropping NULs
    if not text.lstrip(b" \t\r\n\xef\xbb\xbf\xff\xfe").startswith(b"<"):
        return None  # not XML (image, binary part): nothing for an XML parser to expand
    root = _ROOT_START.search(text)
    if _DTD.search(text, 0, root.start() if root else len(text)):
        raise _too_big(
            path, f"内部部件 {entry.filename} 含有 XML 实体/文档类型声明（可被用于攻击）"
        )
    if root:
        return root.group(1)
    if not final:
        return _MORE
    if entry.file_size > MAX_PROLOG_BYTES:
        raise _too_big(path, f"内部部件 {entry.filename} 的 XML 开头异常冗长")
    return None


def _inflate_all(path: Path, data: bytes | mmap.mmap, entry: zipfile.ZipInfo) -> bytes:
    """The whole part, refused when it inflates beyond its declared size, and as corrupt when
    its checksum is not the one the zip declares."""
    _refuse_unusual(path, entry)
    start, end = _entry_payload(path, data, entry)
    if entry.compress_type == zipfile.ZIP_STORED:
        whole = bytes(data[start:end])
    else:
        try:
            inflater = zlib.decompressobj(-zlib.MAX_WBITS)
            whole = inflater.decompress(data[start:end], entry.file_size + 1)
        except zlib.error:
            raise corrupt(path) from None
        if len(whole) > entry.file_size:
            raise _too_big(
                path, f"内部部件 {entry.filename} 解压后大小与声明不符（疑似“压缩炸弹”）"
            )
    if zlib.crc32(whole) != entry.CRC:
        raise corrupt(path)
    return whole


def _refuse_unusual(path: Path, entry: zipfile.ZipInfo) -> None:
    if entry.flag_bits & 0x1:
        # ZIP-level encryption: Excel never writes it; no reader we use can open it.
        raise unreadable(
            Rule.F03, path, "内部数据被加密，无法打开。请去掉密码后重新保存为 .xlsx 再报送。"
        )
    if entry.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise _too_big(path, "使用了非常规的压缩方式")


# A row or cell tag that does not start with a reference near A1 (at most one letter and one
# to four digits, leading zeros included, right after the tag's name): none in a return, so the
# exact extent is only computed for the rare sheet that has one: a place far from A1, or a tag
# placed by counting (no reference first; every producer writes r="…" first). Readers take a
# cell's place from its own tag only, so this one search covers every place they use. Markup
# in text is escaped, so text cannot hide a tag from it.
_NOT_NEAR = re.compile(rb'<(?:c|row)(?=[\s>/])(?! r="[A-Za-z]?[0-9]{1,4}")')
# Of those, the tags placed by counting, which only the exact pass by counting follows; and
# tags with a namespace prefix, always placed by counting.
# (Separate searches: one with alternatives is ten times slower.)
_UNADDRESSED = re.compile(rb'<(?:c|row)(?=[\s>/])(?! r=")')
_PREFIXED = re.compile(rb":(?:c|row)[\s/>]")
_TAG = re.compile(rb"<(/?)((?:[A-Za-z_][\w.-]*:)?)(c|row)(?=[\s/>])([^>]*)>")
_SPACED_REF = re.compile(rb'\sr\s*=\s*["\']\s*([A-Za-z]*)([0-9]*)')
_REF_ATTR = re.compile(rb'(?:^|\s)r\s*=\s*(["\'])(.*?)\1', re.DOTALL)
_REFERENCE = re.compile(rb"\s*([A-Za-z]*)([0-9]*)\s*")
_WRAP = 1 << 32  # calamine adds up a reference's digits and letters in wrapping u32 arithmetic
# Tags parsed strictly (every attribute quoted; a quoted value may hold > or /): a cell that
# holds nothing, self-closing (Excel) or closed at once with only whitespace between
# (<c r="Z9" s="1" t="n"></c>: openpyxl), with its reference as _SPACED_REF captures it; a row
# tag's number. Any child at all (an empty <v></v>, <is></is>) still counts.
_STRICT_ATTRIBUTE = rb"""\s+[^\s=/>"']+\s*=\s*(?:"[^"]*"|'[^']*')"""
_PREFIX = rb"(?:[A-Za-z_][\w.-]*:)?"
_HOLDS_NOTHING = rb"\s*(?:/>|>\s*</" + _PREFIX + rb"c\s*>)"
_EMPTY_CELL = re.compile(rb"<" + _PREFIX + rb"c(?:" + _STRICT_ATTRIBUTE + rb")*" + _HOLDS_NOTHING)
_EMPTY_CELL_REF = re.compile(
    rb"<" + _PREFIX + rb"c(?:" + _STRICT_ATTRIBUTE + rb""")*?\s+r\s*=\s*(["'])\s*"""
    rb"([A-Za-z]*)([0-9]*)\s*\1(?:" + _STRICT_ATTRIBUTE + rb")*" + _HOLDS_NOTHING
)
_ROW_REF = re.compile(
    rb"<" + _PREFIX + rb"row(?:" + _STRICT_ATTRIBUTE + rb""")*?\s+r\s*=\s*(["'])\s*"""
    rb"([0-9]*)\s*\1(?:" + _STRICT_ATTRIBUTE + rb")*\s*/?>"
)


def _check_sheet_extent(path: Path, entry: zipfile.ZipInfo, xml: bytes, stop: int) -> None:
    """Refuse a worksheet whose cells a reader would allocate as a huge grid, looking up to
    ``stop``, where its cells end for every reader (``_check_sheet_data``): what follows
    (a return's validation prompts, 80% of 表三's part) holds none that a reader places."""
    # Whitespace other than spaces after the root start tag (rare: producers write none) sends
    # the sheet to the exact count as well. Single-byte finds are memchr.
    body = xml.find(b"<", xml.find(b"?>") + 1)
    odd_spacing = (
        xml.find(b"\t", body, stop) >= 0
        or xml.find(b"\n", body, stop) >= 0
        or xml.find(b"\r", body, stop) >= 0
    )
    prefixed = _PREFIXED.search(xml, 0, stop)
    if not (odd_spacing or prefixed or _NOT_NEAR.search(xml, 0, stop)):
        return
    xml = xml[:stop]
    counted = prefixed or _UNADDRESSED.search(xml)
    height, width, places = _extent(xml, counted is not None, with_empty=True)
    if _too_sparse(height, width, places):
        # Only cells holding something make a reader allocate: a far cell that is merely
        # formatted (<c r="J1000000" s="3"/>, a stray Ctrl+B) does not. Counted again without
        # the empty cells and the row tags, which only a sheet this large pays for.
        height, width, places = _extent(xml, counted is not None, with_empty=False)
        if _too_sparse(height, width, places):
            raise _huge_sheet(path, entry.filename, height, width)


def _too_sparse(height: int, width: int, places: int) -> bool:
    """A used range a reader must not allocate: large, and either mostly empty or too large."""
    cells = height * width
    return cells > MAX_SHEET_CELLS and (cells > 2 * places or cells > MAX_DENSE_CELLS)


def _extent(xml: bytes, counted: bool, *, with_empty: bool) -> tuple[int, int, int]:
    """(height, width) of the places a reader may allocate, and how many places were found,
    from every row and cell tag, or (``with_empty=False``) without the cells that are surely
    empty: tags holding nothing whose attributes parse strictly. Anything else still counts, so
    a cell a reader would place is never left out."""
    if counted:  # cells placed by counting: follow them one by one
        positions = [
            (row, col)
            for offset, row, col in cell_positions(xml)
            if with_empty or not _EMPTY_CELL.match(xml, offset)
        ]
        rows, columns = {row for row, _ in positions}, {col for _, col in positions}
        places = len(positions)
    else:  # every place is written out: its distinct row numbers and column letters suffice
        pairs = Counter(_SPACED_REF.findall(xml))
        if not with_empty:
            pairs.subtract(Counter(m.group(2, 3) for m in _EMPTY_CELL_REF.finditer(xml)))
            pairs.subtract(Counter((b"", m.group(2)) for m in _ROW_REF.finditer(xml)))
        present = [pair for pair, count in pairs.items() if count > 0]
        places = sum(count for count in pairs.values() if count > 0)
        found_rows = {row_number(digits) for digits in {digits for _, digits in present}}
        found_columns = {column_number(letters) for letters in {letters for letters, _ in present}}
        rows = {row for row in found_rows if row is not None}
        columns = {col for col in found_columns if col is not None}
    height = max(rows) - min(rows) + 1 if rows else 1
    width = max(columns) - min(columns) + 1 if columns else 1
    return height, width, places


def cell_positions(xml: bytes) -> Iterator[tuple[int, int, int]]:
    """(offset of the tag, row, column) of every cell, zero-based, as calamine places them.

    A cell's r="…" gives its place (digits and letters of any length, leading zeros included,
    summed modulo 2**32 as calamine does); a cell without one follows the previous cell of its
    row, and a row without one follows the previous row. Self-closing tags count too.
    """
    row_index = col_index = 0
    for match in _TAG.finditer(xml):
        closing, _, name, attributes = match.groups()
        empty = attributes.endswith(b"/")
        if name == b"row":
            if not closing:
                row, _ = cell_reference(attributes)
                if row is not None:
                    row_index = row
            if closing or empty:
                row_index += 1
                col_index = 0
            continue
        if closing:
            continue
        row, col = cell_reference(attributes)
        position = (row_index if row is None else row, col_index if col is None else col)
        col_index = position[1] + 1
        yield match.start(), position[0], position[1]


def cell_reference(attributes: bytes) -> tuple[int | None, int | None]:
    """The zero-based (row, column) of an r="…" attribute; None for a part it does not give."""
    found = _REF_ATTR.search(attributes)
    if found is None:
        return None, None
    parts = _REFERENCE.fullmatch(found.group(2))
    if parts is None:
        return None, None  # calamine refuses such a reference: the file fails to open
    letters, digits = parts.groups()
    return row_number(digits), column_number(letters)


# 10**k and 26**k are multiples of 2**32 from k = 32 on: places before the last 32 add nothing.


def row_number(digits: bytes) -> int | None:
    """Zero-based row of a reference's digits, as calamine sums them (every digit, leading
    zeros included, modulo 2**32); None for none or 0."""
    row = int(digits[-32:]) % _WRAP - 1 if digits else -1
    return row if row >= 0 else None


def column_number(letters: bytes) -> int | None:
    """Zero-based column of a reference's letters (any number of them, modulo 2**32)."""
    col = -1
    for letter in letters[-32:].upper():
        col = ((col + 1) * 26 + letter - 64) % _WRAP - 1
    return col if col >= 0 else None


RELATIONSHIPS = "xl/_rels/workbook.xml.rels"
# Which sheet is which worksheet part: the sheet list and its relationships. inspect keeps
# them (they are among VALUE_PARTS, inflated whole) beside every worksheet it inflated.
SHEET_LIST_ORDER = ("xl/workbook.xml", RELATIONSHIPS)
SHEET_LIST = frozenset(SHEET_LIST_ORDER)
STYLES = "xl/styles.xml"  # kept too: what a cell shows (cell_looks)
SHARED_STRINGS = "xl/sharedStrings.xml"  # kept too: a text's runs formatted apart (runs_apart)
KEPT = SHEET_LIST | {STYLES, SHARED_STRINGS}


# A stored value (<v>) holding a comment, a processing instruction or CDATA, or a digit, sign
# or point written as a character reference: no spreadsheet program writes one, and the
# readers disagree on it (calamine reads 「1<!--x-->7」 as 1, 「&#55;」 as blank; the text
# is 17 and 7).
_ODD_VALUE = re.compile(
    rb"<(?:[A-Za-z_][\w.-]*:)?v(?:\s[^>]*)?>[^<]*?"
    rb"(?:<[!?]|&#(?:0*(?:4[3568]|49|5[0-7])|[xX]0*(?:2[bdeBDE]|3[0-9]));)"
)
# The sheet data's tags: <sheetData> or <x:sheetData> (then whitespace, > or />) and its end tag.
_DATA_START = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(sheetData)[\s/>]")
_DATA_END = re.compile(rb"</(?:[A-Za-z_][\w.-]*:)?(sheetData)\s*>")
_PREFIX_REACH = 64  # how far before "sheetData" its tag's < may be (a prefix's length)
_ODD_DATA = (
    "的内部部件 {part} 的单元格数据区写法异常（夹带注释、处理指令或 CDATA，或“sheetData”"
    "标记不止一对；Excel、WPS 不会这样保存，各软件读出的单元格不同），无法确定填报的数字，"
    "未读取。请在 Excel 或 WPS 中打开核对后另存为 .xlsx 再报送。"
)


def _find_pair(xml: bytes, pair: bytes, start: int, stop: int) -> int:
    """``xml.find(pair, start, stop)`` for a two-byte ``pair`` whose second byte is rare in a
    worksheet (! # ?): found by memchr for that byte, each find a few hundred times quicker
    than a search for both bytes (which stops at every <)."""
    lead, mark = pair[0], pair[1:]
    at = xml.find(mark, start + 1, stop)
    while at >= 0:
        if xml[at - 1] == lead:
            return at - 1
        at = xml.find(mark, at + 1, stop)
    return -1


def _sheet_data(xml: bytes) -> tuple[int, int] | None:
    """Where a worksheet's sheet data lies: (the start of its start tag, the start of its end
    tag; len(xml) for <sheetData/>), or None when the part has no sheet data. Raises
    ValueError unless the bytes "sheetData" occur there and nowhere else.

    calamine reads cells up to the first end tag an XML parser sees; the searches that judge
    a worksheet's cells (here and in sheetxml.py) stop at the first "sheetData" end they
    find. The two are the same place only when the name occurs once in each tag and in no
    comment, attribute or text before them, which every spreadsheet program's output holds.
    The last look, backwards from the part's end, is the one search of the whole part.
    """
    first = xml.find(b"sheetData")
    if first < 0:
        return None
    reach = max(0, first - _PREFIX_REACH)
    tag = xml.rfind(b"<", reach, first)
    opened = _DATA_START.match(xml, tag) if tag >= 0 else None
    if opened is None or opened.start(1) != first:
        raise ValueError("not the start tag")
    second = xml.find(b"sheetData", first + 9)
    if second < 0:
        if not xml.startswith(b"/>", xml.find(b">", first) - 1):
            raise ValueError("not closed")
        return tag, len(xml)
    end = xml.rfind(b"</", max(reach, second - _PREFIX_REACH), second)
    closed = _DATA_END.match(xml, end) if end >= 0 else None
    if closed is None or closed.start(1) != second or xml.rfind(b"sheetData") != second:
        raise ValueError("not the end tag, or not the last")
    return tag, end


def _check_sheet_data(path: Path, entry: zipfile.ZipInfo, xml: bytes) -> int:
    """Refuse a worksheet whose stored values are written as no program writes them
    (``_ODD_VALUE``), looked for in its sheet data only (where the values are) and only
    when one of the marks it needs is there; and one whose sheet data another reader would
    find elsewhere (``_sheet_data``), or holding a comment, a processing instruction or CDATA
    (no program writes one there; a tag in one is a cell to the searches, none to calamine).
    Returns where its cells end for every reader: its sheet data's end tag (the part's end
    where it has none)."""
    try:
        found = _sheet_data(xml)
    except ValueError:
        raise unreadable(Rule.F01, path, _ODD_DATA.format(part=entry.filename)) from None
    if found is None:
        return len(xml)
    start, stop = found
    markup = _find_pair(xml, b"<!", start, stop) >= 0 or _find_pair(xml, b"<?", start, stop) >= 0
    if (markup or _find_pair(xml, b"&#", start, stop) >= 0) and _ODD_VALUE.search(xml, start, stop):
        raise unreadable(
            Rule.F01,
            path,
            f"的内部部件 {entry.filename} 中有单元格的数字夹带注释、CDATA 或用字符引用写成"
            "（Excel、WPS 不会这样保存，各软件读出的数字不同），无法确定填报的数字，未读取。"
            "请在 Excel 或 WPS 中打开核对后另存为 .xlsx 再报送。",
        )
    if markup:
        raise unreadable(Rule.F01, path, _ODD_DATA.format(part=entry.filename))
    return stop


def _huge_sheet(path: Path, part: str, height: int, width: int) -> UnreadableFile:
    return unreadable(
        Rule.F04,
        path,
        f"的内部部件 {part} 数据区域异常庞大（{height} 行 × {width} 列），为安全起见未予打开。"
        "可能是在很远的单元格（如最后一行、最后一列）误输入了内容：请删除多余的行列后"
        "重新保存为 .xlsx 再报送。",
    )


def _verify_inflated(path: Path, data: bytes | mmap.mmap, entry: zipfile.ZipInfo) -> None:
    """Inflate ``entry`` in bounded chunks: refused when it yields more than its declared size,
    corrupt when its checksum is not the declared one."""
    _refuse_unusual(path, entry)
    start, end = _entry_payload(path, data, entry)
    crc, produced, position = 0, 0, start
    inflater = (
        None if entry.compress_type == zipfile.ZIP_STORED else zlib.decompressobj(-zlib.MAX_WBITS)
    )
    try:
        while position < end or (inflater is not None and inflater.unconsumed_tail):
            chunk = inflater.unconsumed_tail if inflater is not None else b""
            if not chunk:
                chunk = data[position : min(end, position + 256 * 1024)]
                position += len(chunk)
            out = inflater.decompress(chunk, 1024 * 1024) if inflater is not None else chunk
            produced += len(out)
            if produced > entry.file_size:
                raise _too_big(
                    path, f"内部部件 {entry.filename} 解压后大小与声明不符（疑似“压缩炸弹”）"
                )
            crc = zlib.crc32(out, crc)
    except zlib.error:
        raise corrupt(path) from None
    if crc != entry.CRC:
        raise corrupt(path)


# ODF rows and cells carry repeat counts: a 1 KB content.xml can ask for billions of cells.
_ODS_TAG = re.compile(
    rb"<(/?)(?:[\w.-]+:)?(table-row|table-cell|covered-table-cell)\b" + LAZY_ATTRIBUTES + rb"(/?)>"
)
ODS_REPEAT = re.compile(rb"number-(?:rows|columns)-repeated\s*=\s*[\"']\s*([0-9]{1,12})")


def _check_ods(
    path: Path, data: bytes | mmap.mmap, entries: list[zipfile.ZipInfo], parts: dict[str, bytes]
) -> None:
    for entry in entries:
        if entry.filename == "META-INF/manifest.xml":
            *_, manifest = _inflate(path, data, entry, min(entry.file_size, 1024 * 1024))
            if b"encryption-data" in manifest:
                raise _password(path)
    for entry in entries:
        if entry.filename == "content.xml":
            content = _inflate_all(path, data, entry)
            _check_ods_extent(path, content, entry.filename)
            _check_ods_markup(path, content)
            parts[entry.filename] = content  # for ods.py: error values, merges, looks
        elif entry.filename == "styles.xml" and entry.file_size <= INFLATE_WHOLE_UP_TO:
            parts[entry.filename] = _inflate_all(
                path, data, entry
            )  # for ods.ods_looks: data styles


_ODS_TABLE = re.compile(rb"<(?:[\w.-]+:)?table[\s/>]")


def _check_ods_markup(path: Path, content: bytes) -> None:
    """Refuse an .ods whose tables hold a comment, a processing instruction or CDATA: no
    program writes one there, and a row or cell tag in one is counted by ods.py, which places
    cells by counting, and not by calamine (a hidden row or a format told at the row below)."""
    first = _ODS_TABLE.search(content)
    if first is None:
        return
    start, stop = first.start(), len(content)
    if _find_pair(content, b"<!", start, stop) >= 0 or _find_pair(content, b"<?", start, stop) >= 0:
        raise unreadable(
            Rule.F01,
            path,
            "的内部部件 content.xml 的表格中夹带注释、处理指令或 CDATA（LibreOffice、WPS 不会"
            "这样保存，各软件读出的单元格位置不同），无法确定填报的数字，未读取。"
            "请在 LibreOffice、WPS 或 Excel 中打开核对后重新保存再报送。",
        )


def _check_ods_extent(path: Path, xml: bytes, part: str) -> None:
    """Count the cells a reader would materialise: non-empty cells, repeats expanded; refused
    as for xlsx (_too_sparse) against the cell elements written."""
    cells = repeat_rows = column = last = widest = elements = 0
    for match in _ODS_TAG.finditer(xml):
        closing, tag, attributes, empty = match.groups()
        elements += 1
        counted = ODS_REPEAT.search(attributes)
        repeat = int(counted.group(1)) if counted else 1
        if tag == b"table-row":
            if closing:
                cells += repeat_rows * last
                widest = max(widest, last)
            else:
                repeat_rows, column, last = repeat, 0, 0
                if empty:
                    repeat_rows = 0
        elif not closing:
            column += repeat
            if not empty or b"value-type" in attributes:
                last = column
        if cells > MAX_SHEET_CELLS and (cells > 2 * elements or cells > MAX_DENSE_CELLS):
            raise _huge_sheet(path, part, cells // max(widest, 1), widest)


class _MmapFile(io.RawIOBase):
    """A seekable read-only file over an mmap, for zipfile on large files."""

    def __init__(self, mapped: mmap.mmap) -> None:
        self._data = mapped
        self._pos = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def seek(self, offset: int, whence: int = 0) -> int:
        base = {0: 0, 1: self._pos, 2: len(self._data)}[whence]
        self._pos = max(0, base + offset)
        return self._pos

    def tell(self) -> int:
        return self._pos

    def readinto(self, buffer: Any) -> int:
        chunk = self._data[self._pos : self._pos + len(buffer)]
        buffer[: len(chunk)] = chunk
        self._pos += len(chunk)
        return len(chunk)


# --- OLE compound files: .xls, encrypted OOXML, old Word --------------------------------------

_ENDOFCHAIN = 0xFFFFFFFE
_FREESECT = 0xFFFFFFFF


def _check_ole(path: Path, data: bytes | mmap.mmap) -> str:
    try:
        streams = _ole_streams(data)
    except (struct.error, ValueError, IndexError):
        raise corrupt(path) from None
    names = {name.lower() for name in streams}
    if "encryptedpackage" in names or "encryptioninfo" in names:
        raise _password(path)
    if "workbook" in names or "book" in names:
        workbook = next(v for k, v in streams.items() if k.lower() in ("workbook", "book"))
        if _biff_has_filepass(data, workbook):
            raise _password(path)
        return "xls"
    if "worddocument" in names:
        raise unreadable(
            Rule.F02,
            path,
            "是旧版 Word 文档（.doc），nianbao 不能直接读取。" + _SAVE_AS_DOCX,
        )
    if "powerpoint document" in names:
        raise unreadable(
            Rule.F02, path, "是 PowerPoint 演示文稿，不是 Excel 工作簿。" + _USE_TEMPLATE
        )
    raise unreadable(
        Rule.F02, path, f"是一种无法识别的旧式 Office 文件，不是 Excel 工作簿。{_SAVE_AS}"
    )


class _Ole:
    def __init__(self, data: bytes | mmap.mmap) -> None:
        self.data = data
        shift = struct.unpack_from("<H", data, 30)[0]
        if not 7 <= shift <= 16:
            raise ValueError("sector size")
        self.sector = 1 << shift
        self.sectors = (len(data) - 512) // self.sector + 1
        fat_count, self.dir_start = struct.unpack_from("<II", data, 44)
        difat_start, difat_count = struct.unpack_from("<II", data, 68)
        fat_sectors = [s for s in struct.unpack_from("<109I", data, 76) if s < _ENDOFCHAIN]
        per_sector = self.sector // 4
        seen = 0
        while difat_start < _ENDOFCHAIN and seen <= difat_count and seen < self.sectors:
            values = struct.unpack_from(f"<{per_sector}I", data, self._offset(difat_start))
            fat_sectors += [s for s in values[:-1] if s < _ENDOFCHAIN]
            difat_start = values[-1]
            seen += 1
        fat: list[int] = []
        for s in fat_sectors[: max(fat_count, 1) + 1]:
            fat += struct.unpack_from(f"<{per_sector}I", data, self._offset(s))
        self.fat = fat

    def _offset(self, sector: int) -> int:
        offset = 512 + sector * self.sector
        if offset >= len(self.data):
            raise ValueError("sector out of range")
        return offset

    def chain(self, start: int, limit: int) -> Iterator[int]:
        sector, steps = start, 0
        while sector < len(self.fat) and steps < min(limit, self.sectors):
            yield sector
            sector = self.fat[sector]
            steps += 1


def _ole_streams(data: bytes | mmap.mmap) -> dict[str, tuple[int, int, _Ole]]:
    """Directory entry name -> (start sector, size, container), walking the directory chain."""
    ole = _Ole(data)
    streams: dict[str, tuple[int, int, _Ole]] = {}
    for sector in ole.chain(ole.dir_start, 4096):
        base = ole._offset(sector)
        for entry in range(base, min(base + ole.sector, len(data)) - 127, 128):
            name_len, kind = struct.unpack_from("<HB", data, entry + 64)
            if kind not in (1, 2, 5) or not 2 <= name_len <= 64:
                continue
            name = bytes(data[entry : entry + name_len - 2]).decode("utf-16-le", "replace")
            start, size = struct.unpack_from("<II", data, entry + 116)
            streams[name] = (start, size, ole)
    if not streams:
        raise ValueError("empty directory")
    return streams


def ole_stream(data: bytes | mmap.mmap, names: tuple[str, ...]) -> bytes | None:
    """The whole stream of an OLE file (``data``, which preflight has passed) named one of
    ``names`` (case ignored); None when there is none or it lives in the mini stream (under
    4 KB: no workbook does)."""
    try:
        streams = _ole_streams(data)
        found = next((v for k, v in streams.items() if k.lower() in names), None)
        if found is None or found[1] < 4096:
            return None
        start, size, ole = found
        sectors = ole.chain(start, size // ole.sector + 2)
        whole = b"".join(bytes(data[ole._offset(s) : ole._offset(s) + ole.sector]) for s in sectors)
    except (struct.error, ValueError, IndexError):
        return None
    return whole[:size] if len(whole) >= size else None


def _biff_has_filepass(data: bytes | mmap.mmap, stream: tuple[int, int, _Ole]) -> bool:
    """True when the workbook globals carry a FILEPASS record (a password to open)."""
    start, size, ole = stream
    if size < 4096:  # small streams live in the mini stream; a real workbook never does
        return False
    head = b"".join(
        bytes(data[ole._offset(s) : ole._offset(s) + ole.sector]) for s in ole.chain(start, 4)
    )
    position = 0
    for _ in range(64):  # FILEPASS follows BOF within the first few records
        if position + 4 > len(head):
            break
        record, length = struct.unpack_from("<HH", head, position)
        if record == 0x002F:
            return True
        if record == 0x000A:  # EOF of the globals substream
            break
        position += 4 + length
    return False


# --- everything else: a web page or text of a report, or say what the file actually is ------

_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"{\\rtf", "是 RTF 文字文档，nianbao 不能直接读取。" + _SAVE_AS_DOCX),
    (
        b"\x89PNG",
        "是一张图片（PNG），不是 Excel 工作簿。请报送填好的 .xlsx 统计表文件，而不是截图或照片。",
    ),
    (
        b"\xff\xd8\xff",
        "是一张图片（JPEG），不是 Excel 工作簿。请报送填好的 .xlsx 统计表文件，而不是截图或照片。",
    ),
    (b"Rar!", "是一个 RAR 压缩包，不是工作簿。请解压后单独报送其中的 .xlsx 统计表文件。"),
    (
        b"7z\xbc\xaf\x27\x1c",
        "是一个 7z 压缩包，不是工作簿。请解压后单独报送其中的 .xlsx 统计表文件。",
    ),
    (b"\x1f\x8b", "是一个 gzip 压缩文件，不是工作簿。请解压后单独报送其中的 .xlsx 统计表文件。"),
)
_SEND_REPORT = "请报送年度报告（网页、PDF、Word 均可）或填好的 .xlsx 统计表。"
# An entity declaration has no business in a web page: refused before any parser sees it.
_ENTITY_DECLARATION = re.compile(r"<!\s*ENTITY", re.IGNORECASE)
_TEXT_TAG = re.compile(r"<[^>]*>")


def _check_text(path: Path, data: bytes | mmap.mmap) -> str:
    """ "html" or "text" for a web page or text file of a report; else the F02 that says what
    the file is (F04 when it is too large or declares XML entities)."""
    head = bytes(data[:4096])
    for magic, _ in _SIGNATURES:
        if head.startswith(magic):
            raise _not_a_workbook(path, head)
    start = _as_text(head)
    if start is None:
        raise _not_a_workbook(path, head)
    lowered = start.lstrip().lower()
    if lowered.startswith("<?xml") and "urn:schemas-microsoft-com:office:spreadsheet" in lowered:
        raise _not_a_workbook(path, head)
    kind = "html" if _is_html(lowered) or _is_web_archive(lowered) else "text"
    if len(data) > MAX_DOCUMENT_BYTES:
        what = "网页" if kind == "html" else "文本"
        raise unreadable(
            Rule.F04,
            path,
            f"是{what}文件，大小为 {len(data) / 1024 / 1024:.0f} MB，远超正常年度报告（通常不足 1 MB），"
            "为安全起见未予打开。请确认是否报错了文件。",
        )
    page = web_page(path, bytes(data))
    if page is None:
        raise unreadable(
            Rule.F02,
            path,
            "是网页存档（MHTML）文件，但其中没有网页。请在浏览器中打开后另存为 .html。",
        )
    text = decode_text(page)
    if text is None:
        raise _not_a_workbook(path, head)
    if _ENTITY_DECLARATION.search(text):
        raise _too_big(path, "含有 XML 实体声明（可被用于攻击）")
    # a page may spell its Chinese as character references (&#25919;…)
    plain = html_text.unescape(_TEXT_TAG.sub("", text)) if kind == "html" else text
    if REPORT_MARKER in "".join(plain.split()):
        return kind
    raise _not_a_workbook(path, head)


_MAX_ARCHIVE_PARTS = 50  # multipart containers in one archive (a browser writes one)


def _is_web_archive(lowered: str) -> bool:
    """A web page saved by a browser as one file (.mhtml/.mht): MIME headers, then parts."""
    headers = lowered.split("\n\n", 1)[0].split("\r\n\r\n", 1)[0]
    return "mime-version:" in headers and "multipart/related" in headers


def web_page(path: str | os.PathLike[str], data: bytes) -> bytes | None:
    """The HTML of a web page file: the file itself, or the page inside a web archive (MHTML:
    its first text/html part, transfer encoding undone, as UTF-8 with a byte-order mark when
    the part names its charset); None for an archive without a page. An archive nested
    deeper than browsers write (they nest one or two levels) is F04: the parser recurses."""
    head = _as_text(data[:4096])
    if head is None or not _is_web_archive(head.lstrip().lower()):
        return data
    import email
    import email.policy

    if data.lower().count(b"multipart/") > _MAX_ARCHIVE_PARTS:
        raise _too_big(Path(path), "是网页存档（MHTML），但其中的部件层层嵌套，结构异常")
    message = email.message_from_bytes(data, policy=email.policy.compat32)
    for part in message.walk():
        if part.get_content_type() != "text/html":
            continue
        payload = part.get_payload(decode=True)
        if not isinstance(payload, bytes):
            continue
        charset = part.get_content_charset()
        if charset:
            codec = "gb18030" if charset in ("gb2312", "gbk", "x-gbk", "gb_2312-80") else charset
            try:
                return b"\xef\xbb\xbf" + payload.decode(codec).encode("utf-8")
            except (LookupError, UnicodeDecodeError):
                pass
        return payload
    return None


def _is_html(lowered: str) -> bool:
    return (
        lowered.startswith(("<!doctype html", "<html", "<table", "<meta", "<head"))
        or "<html" in lowered[:512]
    )


_CHARSET = re.compile(rb"""charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)


def decode_text(data: bytes) -> str | None:
    """The text of a web page or text file: a byte-order mark, else UTF-8, else the charset a
    page declares, else GB18030 (GBK and GB2312 are subsets); None for binary data."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", "replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", "replace")
    if b"\x00" in data[:4096]:
        return _utf16_without_mark(data)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    found = _CHARSET.search(data[:8192])
    declared = found.group(1).decode("ascii").lower() if found else None
    codec = "gb18030"
    if declared in _WESTERN:
        # a Chinese site's page template declaring a Western charset, its server sending GBK
        # (a header lost when the page is saved): a browser showed GBK. Every byte is some
        # Western character, so that charset cannot be told wrong; GB18030 can.
        try:
            return data.decode("gb18030")
        except UnicodeDecodeError:
            pass
    if declared is not None and declared.replace("-", "").replace("_", "") != "utf8":
        codec = "gb18030" if declared in ("gb2312", "gbk", "x-gbk", "gb_2312-80") else declared
        try:
            return data.decode(codec)  # the page in the encoding it declares, before any repair
        except (LookupError, UnicodeDecodeError):
            codec = "gb18030"
    else:
        # UTF-8 with a few damaged bytes, before GB18030, which reads nearly any bytes as
        # something (a damaged UTF-8 page would come out as nonsense)
        repaired = _few_damaged(data, "utf-8")
        if repaired is not None:
            return repaired
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        return _few_damaged(data, codec)


def _few_damaged(data: bytes, codec: str) -> str | None:
    """``data`` in ``codec`` when only a few bytes are damaged (text in another encoding fails
    on nearly every character): shown as U+FFFD, as a browser shows them, so a number they
    fall in reads as text (V01), never as another number."""
    try:
        text = data.decode(codec, "replace")
    except LookupError:
        return None
    damaged = text.count("\ufffd")
    return text if damaged <= _DAMAGED_BYTES and damaged * 100 < len(text) else None


_DAMAGED_BYTES = 16
# Single-byte charsets that read any bytes: declared on a page in GBK, they give no error.
_WESTERN = frozenset(
    ("iso-8859-1", "iso8859-1", "latin1", "latin-1", "windows-1252", "cp1252", "iso-8859-15")
    + ("us-ascii", "ascii")
)


def _utf16_without_mark(data: bytes) -> str | None:
    """Text saved as UTF-16 without a byte-order mark (Notepad's 「Unicode」 written by some
    programs): the byte order whose zero bytes fall where ASCII characters put them."""
    data = data[: len(data) // 2 * 2]
    even, odd = data[0::2].count(0), data[1::2].count(0)
    # text: the zero bytes of its ASCII characters (line ends, tabs, digits) all on one side,
    # only a few on the other (U+3000 and the like); binary data has them on both alike
    if max(even, odd) < 4 * min(even, odd) or max(even, odd) * 50 < len(data) // 2:
        return None
    try:
        return data.decode("utf-16-le" if odd > even else "utf-16-be")
    except UnicodeDecodeError:
        return None


def _not_a_workbook(path: Path, head: bytes) -> UnreadableFile:
    for magic, problem in _SIGNATURES:
        if head.startswith(magic):
            return unreadable(Rule.F02, path, problem)
    suffix = path.suffix.lower()
    named_as = (
        f"扩展名虽为 {path.suffix}，但"
        if suffix in (".xlsx", ".xlsm", ".xls", ".et", ".ods")
        else ""
    )
    text = _as_text(head)
    if text is None:
        return unreadable(Rule.F02, path, f"{named_as}不是可识别的工作簿格式。{_SAVE_AS}")
    lowered = text.lstrip().lower()
    if lowered.startswith("<?xml") and "urn:schemas-microsoft-com:office:spreadsheet" in lowered:
        return unreadable(Rule.F02, path, f"{named_as}是旧式“XML 电子表格 2003”格式。{_SAVE_AS}")
    if _is_html(lowered):
        return unreadable(
            Rule.F02,
            path,
            f"{named_as}实际上是网页（HTML）文件（常见于从业务系统直接导出的表格），{_NO_REPORT}。{_SAVE_AS}",
        )
    if _looks_like_csv(text) or suffix in (".csv", ".tsv"):
        return unreadable(
            Rule.F02, path, f"{named_as}是 CSV 文本文件（逗号分隔的纯文本），不是工作簿。{_SAVE_AS}"
        )
    return unreadable(Rule.F02, path, f"{named_as}是纯文本文件，{_NO_REPORT}。{_SAVE_AS}")


def csv_not_a_report(path: str | os.PathLike[str], text: str) -> UnreadableFile | None:
    """F02 for a text file read as a report that is a sheet saved as CSV (one named .xlsx or
    .txt too): it names the form's labels, yet its cells are apart by commas or semicolons no
    report's text puts between them; told as the CSV it is, not as a report without tables.
    (Asked by the reader after its own outputs are told: nianbao's export CSV is one.)"""
    head = text[:4096]
    if not _looks_like_csv(head, separators=(",", ";")):
        return None
    return _not_a_workbook(Path(path), head.encode("utf-8"))


def _as_text(head: bytes) -> str | None:
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return head.decode("utf-16")
        except UnicodeDecodeError:
            return None
    if b"\x00" in head:
        return _utf16_without_mark(head)
    for encoding in ("utf-8-sig", "gb18030"):
        for cut in range(4):  # the head may end inside a multi-byte character
            try:
                return head[: len(head) - cut].decode(encoding)
            except UnicodeDecodeError:
                continue
    # a few damaged bytes, as decode_text allows
    return _few_damaged(head, "utf-8") or _few_damaged(head, "gb18030")


def _looks_like_csv(text: str, separators: tuple[str, ...] = (",", "\t", ";")) -> bool:
    """Rows with the same number (at least one) of commas, tabs or semicolons (``separators``);
    or one line with two or more. Chinese prose with a full-width comma is not CSV."""
    lines = [line for line in text.splitlines()[:10] if line.strip()]
    if len(lines) > 1 and not text.endswith(("\n", "\r")):
        lines = lines[:-1]  # the head may cut the last line short
    for separator in separators:
        counts = {line.count(separator) for line in lines}
        if len(counts) == 1 and min(counts) >= (1 if len(lines) > 1 else 2):
            return True
    return False


def _too_big(path: Path, problem: str) -> UnreadableFile:
    return unreadable(
        Rule.F04,
        path,
        f"{problem}，为安全起见未予打开。{_RESAVE_SAFE}",
    )


def _password(path: Path) -> UnreadableFile:
    return unreadable(
        Rule.F03,
        path,
        "设有打开密码，无法读取。请去掉密码后重新保存再报送（文件 → 信息 → 保护工作簿 → 用密码进行加密，清空密码）。",
    )


# --- PDF: a published report -----------------------------------------------------------------

# A report is 5-20 pages with a few thousand characters; these bound the reader's time (pdfplumber
# reads about 10,000 characters a second) while leaving room for long reports with attachments.
MAX_PDF_PAGES = 200
MAX_PDF_CHARS = 300_000
MAX_PDF_OBJECTS = 300_000  # text runs, paths and images on all pages together, forms' too
# Bytes of drawing instructions on all pages, a form counted each time it is drawn: a report's
# page has 20-30 KB, so 200 pages take 6 MB; past this a reader takes minutes and gigabytes.
MAX_PDF_DRAWING = 16 << 20
# Fewer characters than this per page on average is a scan (a scanner app's stamp, no text).
MIN_PDF_CHARS_PER_PAGE = 16
_PDF_RESEND = "请重新下载，或向发布单位索取原文件。"
PDF_SCANNED = (
    "扫描件没有文字层，无法读取（不做文字识别），请提供可复制文字的 PDF 或 Word/Excel 版本"
)


def pdf_corrupt(path: str | os.PathLike[str]) -> UnreadableFile:
    """The F01 for a PDF whose structure turns out broken."""
    return corrupt(path, _PDF_RESEND)


def pdf_password(path: str | os.PathLike[str]) -> UnreadableFile:
    """The F03 for a PDF that needs a password to open."""
    return unreadable(
        Rule.F03,
        path,
        "设有打开密码，无法读取。请提供没有密码的 PDF，或 Word/Excel 版本。",
    )


def pdf_too_long(path: str | os.PathLike[str], pages: int) -> UnreadableFile:
    """The F04 for a PDF of more than MAX_PDF_PAGES pages."""
    return unreadable(
        Rule.F04,
        path,
        f"共 {pages} 页，超过年度报告的合理篇幅（上限 {MAX_PDF_PAGES} 页），"
        "为安全起见未予打开。请只提供年度报告本身。",
    )


def check_pdf(path: str | os.PathLike[str]) -> None:
    """Refuse, with a Finding, a PDF that nianbao cannot or must not read; else return.

    By content, never by extension: the file must start like a PDF (F02 otherwise), open
    without a password (F03), have at most MAX_PDF_PAGES pages and bounded content (F04, the
    page count is read from the page tree, so a 10,000-page file is refused at once), and carry a
    text layer (F02 for a scan: no OCR is done).
    """
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    p = Path(path)
    _regular_file(p, " PDF ", "年度报告（通常不足 5 MB）", _PDF_RESEND)
    try:
        with open(p, "rb") as handle:
            head = handle.read(1024)
    except OSError as error:
        raise unreadable(Rule.F01, p, f"无法读取（{system_reason(error)}）。") from None
    if b"%PDF-" not in head:
        raise unreadable(Rule.F02, p, "不是 PDF 文件（文件开头没有 PDF 标记）。")
    try:
        document = pdfium.PdfDocument(str(p))
    except pdfium.PdfiumError as error:
        if getattr(error, "err_code", None) == pdfium_c.FPDF_ERR_PASSWORD:
            raise pdf_password(p) from None
        raise pdf_corrupt(p) from None
    try:
        pages = len(document)
        if pages == 0:
            raise pdf_corrupt(p)
        if pages > MAX_PDF_PAGES:
            raise pdf_too_long(p, pages)
        _weigh_drawing(p)
        chars = objects = 0
        for index in range(pages):
            page = document[index]
            try:
                objects += _objects_drawn(page.raw, MAX_PDF_OBJECTS - objects)
                textpage = page.get_textpage()
                chars += textpage.count_chars()
                textpage.close()
            finally:
                page.close()
            if chars > MAX_PDF_CHARS or objects > MAX_PDF_OBJECTS:
                raise unreadable(
                    Rule.F04,
                    p,
                    f"内容异常庞大（前 {index + 1} 页已有 {chars} 个字符、{objects} 个绘图对象），"
                    "为安全起见未予打开。请只提供年度报告本身。",
                )
    except pdfium.PdfiumError:
        raise pdf_corrupt(p) from None
    finally:
        document.close()
    if chars < MIN_PDF_CHARS_PER_PAGE * pages:
        raise unreadable(Rule.F02, p, f"：{PDF_SCANNED}。")


def _weigh_drawing(path: Path) -> None:
    """Refuse (F04) a PDF whose pages, its forms counted each time they are drawn, ask for
    more than MAX_PDF_DRAWING bytes of drawing instructions; a form drawing itself is a
    broken file (F01). Done before pdfium lays out a page: it expands every form drawn."""
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfparser import PDFParser

    from nianbao.sources.pdfdrawing import CyclicForms, TooMuchDrawing, drawing_bytes

    try:
        with open(path, "rb") as handle:
            drawing_bytes(PDFDocument(PDFParser(handle)), MAX_PDF_DRAWING)
    except TooMuchDrawing:
        raise unreadable(
            Rule.F04,
            path,
            f"的页面绘图指令异常庞大（超过 {MAX_PDF_DRAWING >> 20} MB，"
            "多为同一图形被层层重复引用），为安全起见未予打开。请只提供年度报告本身。",
        ) from None
    except OSError as error:
        raise unreadable(Rule.F01, path, f"无法读取（{system_reason(error)}）。") from None
    except (CyclicForms, Exception):  # pdfminer fails in many ways on a mangled file
        raise pdf_corrupt(path) from None


def _objects_drawn(page: Any, room: int) -> int:
    """The objects pdfium laid out on ``page``, those inside forms too; counting stops once
    past ``room``."""
    import pypdfium2.raw as pdfium_c

    def count(obj: Any) -> int:
        found = 1
        if pdfium_c.FPDFPageObj_GetType(obj) == pdfium_c.FPDF_PAGEOBJ_FORM:
            for index in range(pdfium_c.FPDFFormObj_CountObjects(obj)):
                found += count(pdfium_c.FPDFFormObj_GetObject(obj, index))
                if found > room:
                    break
        return found

    total = 0
    for index in range(pdfium_c.FPDFPage_CountObjects(page)):
        total += count(pdfium_c.FPDFPage_GetObject(page, index))
        if total > room:
            break
    return total
