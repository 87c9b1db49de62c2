"""The error values an .xls (BIFF8) workbook shows, which calamine reads as blank.

A cell showing #DIV/0! or #REF! comes out of calamine empty, whatever the format. For .xlsx the
grid takes such cells from the worksheet XML, for .ods from content.xml; this does the same for
.xls (and WPS .et, the same format): in the workbook stream each sheet's FORMULA records hold
the formula's cached result, an error when its last two bytes are FFFF and its first is 2, and
BOOLERR records hold an error typed in. Nothing else is read: values come from calamine.

Excel 95 workbooks (BIFF5, a stream named Book) are not looked into: their cells keep reading
as blank, as before.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator

from nianbao.sources.preflight import ole_stream

_BOF, _EOF, _BOUNDSHEET = 0x0809, 0x000A, 0x0085
_FORMULA, _BOOLERR = 0x0006, 0x0205
_BIFF8 = 0x0600
_ERRORS = {
    0x00: "#NULL!",
    0x07: "#DIV/0!",
    0x0F: "#VALUE!",
    0x17: "#REF!",
    0x1D: "#NAME?",
    0x24: "#NUM!",
    0x2A: "#N/A",
    0x2B: "#GETTING_DATA",
}
_HEADER = struct.Struct("<HH")


def biff_cell_flags(data: bytes) -> dict[str, dict[tuple[int, int], str]]:
    """Sheet name -> {(row, col): the error value it shows}, zero-based, for an .xls file's
    bytes; empty when the workbook stream is missing, not BIFF8, or cannot be walked."""
    stream = ole_stream(data, ("workbook",))
    if stream is None:
        return {}
    try:
        return {name: _errors(stream, offset) for name, offset in _sheets(stream)}
    except (struct.error, ValueError, UnicodeDecodeError, StopIteration):
        return {}


def _records(stream: bytes, position: int) -> Iterator[tuple[int, int, int]]:
    """(type, payload start, payload length) from ``position`` to the substream's EOF."""
    end = len(stream)
    while position + 4 <= end:
        kind, length = _HEADER.unpack_from(stream, position)
        start = position + 4
        if start + length > end:
            raise ValueError("record beyond the stream")
        yield kind, start, length
        if kind == _EOF:
            return
        position = start + length


def _sheets(stream: bytes) -> list[tuple[str, int]]:
    """(name, offset of its BOF) of each worksheet, from the workbook globals."""
    records = _records(stream, 0)
    kind, start, length = next(records)
    if kind != _BOF or length < 2 or struct.unpack_from("<H", stream, start)[0] != _BIFF8:
        raise ValueError("not BIFF8")
    found = []
    for kind, start, length in records:
        if kind != _BOUNDSHEET or length < 8:
            continue
        offset, _state, sheet_type, count, flags = struct.unpack_from("<IBBBB", stream, start)
        if sheet_type != 0:  # 0: a worksheet (charts, macros and VB modules have no cells)
            continue
        text = stream[start + 8 : start + length]
        name = (
            text[: count * 2].decode("utf-16-le") if flags & 1 else text[:count].decode("latin-1")
        )
        found.append((name, offset))
    return found


def _errors(stream: bytes, offset: int) -> dict[tuple[int, int], str]:
    flags: dict[tuple[int, int], str] = {}
    for kind, start, length in _records(stream, offset):
        if kind == _FORMULA and length >= 14:
            row, col = struct.unpack_from("<HH", stream, start)
            result = stream[start + 6 : start + 14]
            if result[6:8] == b"\xff\xff" and result[0] == 2:
                flags[(row, col)] = _error(result[2])
        elif kind == _BOOLERR and length >= 8:
            row, col = struct.unpack_from("<HH", stream, start)
            value, is_error = stream[start + 6], stream[start + 7]
            if is_error:
                flags[(row, col)] = _error(value)
    return flags


def _error(code: int) -> str:
    """The error value as Excel shows it; an unknown code as what it is, not as another error."""
    return _ERRORS.get(code) or f"错误值（代码 {code:#04x}）"
