"""The roster (名册): the units an office sends the form to and expects returns from.

A CSV file with a header row: 单位名称 (required), 上级单位 and 单位代码 (optional). Excel on
Chinese Windows saves CSV as GBK, other tools as UTF-8 with or without a BOM: all are read.
Every problem is reported at once, in Chinese, with the file and line, before anything is
written from the roster.
"""

from __future__ import annotations

import csv
import io
import os
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from nianbao.errors import UserError

UNIT, PARENT, CODE = "单位名称", "上级单位", "单位代码"
_MAX_LISTED = 20  # problems listed in one message; more are counted
_BLANKS = " \t\r\n\u3000\ufeff"  # ASCII and full-width spaces, a stray BOM


@dataclass(frozen=True)
class RosterEntry:
    unit: str
    parent: str | None = None
    code: str | None = None


def read_roster(path: str | os.PathLike[str]) -> list[RosterEntry]:
    """The units of a roster file, in file order; raise UserError for a bad roster."""
    source = Path(path)
    text = _decode(source, _read_bytes(source))
    rows = list(csv.reader(io.StringIO(text, newline=""), dialect=_dialect(text)))
    lines = _line_numbers(text)
    header_index = next((i for i, row in enumerate(rows) if any(_clean(c) for c in row)), None)
    if header_index is None:
        raise UserError(f"名册 {source} 是空的。第一行应为列名，例如：{UNIT},{PARENT},{CODE}")
    header = [_clean(c) for c in rows[header_index]]
    if UNIT not in header:
        shown = "、".join(h for h in header if h) or "（空）"
        raise UserError(
            f"名册 {source} 缺少「{UNIT}」列：第一行是 {shown}。"
            f"请把第一行改为列名，例如：{UNIT},{PARENT},{CODE}（{PARENT}、{CODE}两列可以没有）。"
        )
    columns = {name: header.index(name) for name in (UNIT, PARENT, CODE) if name in header}
    entries: list[RosterEntry] = []
    first_line: dict[str, int] = {}
    problems: list[str] = []
    for index in range(header_index + 1, len(rows)):
        row = [_clean(c) for c in rows[index]]
        if not any(row):
            continue  # blank lines are harmless
        line = lines[index] if index < len(lines) else index + 1
        unit = _field(row, columns.get(UNIT))
        if not unit:
            problems.append(f"第 {line} 行的「{UNIT}」是空的：请填写单位名称，或删除这一行。")
            continue
        key = _identity(unit)
        if key in first_line:
            problems.append(
                f"第 {line} 行的单位「{unit}」与第 {first_line[key]} 行重复：每个单位只能出现一次，请删除重复的一行。"
            )
            continue
        first_line[key] = line
        entries.append(
            RosterEntry(
                unit,
                _field(row, columns.get(PARENT)) or None,
                _field(row, columns.get(CODE)) or None,
            )
        )
    if problems:
        listed = problems[:_MAX_LISTED]
        more = (
            f"\n  ……另有 {len(problems) - _MAX_LISTED} 处问题"
            if len(problems) > _MAX_LISTED
            else ""
        )
        raise UserError(
            f"名册 {source} 有 {len(problems)} 处问题，未生成任何文件：\n  "
            + "\n  ".join(listed)
            + more
        )
    if not entries:
        raise UserError(f"名册 {source} 中没有任何单位：请在「{UNIT}」列下逐行填写单位名称。")
    return entries


def _read_bytes(source: Path) -> bytes:
    if source.suffix.lower() in {".xlsx", ".xls", ".et", ".ods"}:
        raise UserError(
            f"名册 {source} 是电子表格文件，请在 Excel/WPS 中“另存为”CSV 格式（逗号分隔）后再使用。"
        )
    try:
        return source.read_bytes()
    except FileNotFoundError:
        raise UserError(f"找不到名册文件 {source}，请检查文件名和所在文件夹。") from None
    except IsADirectoryError:
        raise UserError(f"名册 {source} 是文件夹，不是文件。请指定名册 CSV 文件。") from None
    except OSError as error:
        raise UserError(f"无法读取名册文件 {source}（{error.strerror or error}）。") from None


def _decode(source: Path, data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        encodings = ("utf-8-sig",)
    else:
        encodings = ("utf-8", "gb18030")  # gb18030 is a superset of GBK and GB2312
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:
            break  # UTF-16 or a binary file: not a CSV we can read
        return text
    raise UserError(
        f"无法识别名册 {source} 的文字编码，或它不是 CSV 文本文件。"
        "请在 Excel/WPS 中“另存为”“CSV（逗号分隔）”或“CSV UTF-8”格式后重试。"
    )


def _dialect(text: str) -> type[csv.Dialect]:
    first = next((line for line in text.splitlines() if line.strip()), "")
    if "\t" in first and "," not in first:
        return csv.excel_tab
    return csv.excel


def _line_numbers(text: str) -> list[int]:
    """The file line each CSV record starts on (a quoted field may span lines)."""
    reader = csv.reader(io.StringIO(text, newline=""), dialect=_dialect(text))
    starts: list[int] = []
    previous_end = 0
    for _ in reader:
        starts.append(previous_end + 1)
        previous_end = reader.line_num
    return starts


def _clean(value: str) -> str:
    return unicodedata.normalize("NFC", value).strip(_BLANKS)


def _field(row: list[str], index: int | None) -> str:
    if index is None or index >= len(row):
        return ""
    return row[index]


def _identity(unit: str) -> str:
    """Names that differ only in inner spacing or full/half width are the same unit."""
    return "".join(unicodedata.normalize("NFKC", unit).split())
