"""A small table a coordinator keeps by hand (the roster, the explanations file): CSV or a
spreadsheet, with a header row of Chinese column names.

CSV: Excel on Chinese Windows saves GBK, other tools UTF-8 with or without a BOM, Excel's
「Unicode 文本」 UTF-16; commas or tabs (decode_plain). Spreadsheets (.xlsx, .xlsm, .xls, .ods …)
go through the same safety checks as returns and are read from the first visible sheet whose
first row holds the table's key heading (单位名称), else from the first visible sheet (an
instruction sheet put first must not hide the list);
numbers become text as they show (230104001, not 230104001.0). Every problem is a UserError that names the file (and line where it has one).
"""

from __future__ import annotations

import csv
import io
import os
import stat
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from nianbao.errors import UserError, system_reason

if TYPE_CHECKING:
    from nianbao.sources.grid import Sheet

SPREADSHEETS = frozenset({".xlsx", ".xlsm", ".xls", ".xlsb", ".ods", ".et"})
MAX_TABLE_BYTES = 20 * 1024 * 1024  # a roster of 100,000 units is ~5 MB
_BLANKS = " \t\r\n\u3000\ufeff"  # ASCII and full-width spaces, a stray BOM


@dataclass(frozen=True)
class TextTable:
    """The header (cleaned column names) and the non-blank rows, each with its line number in
    the file (a CSV record's first line, a sheet's row number)."""

    source: Path
    header: list[str]
    rows: list[tuple[int, list[str]]]
    sheet: str | None = None  # a spreadsheet's sheet the table was read from

    @property
    def where(self) -> str:
        """The file, and the sheet where the table came from a spreadsheet."""
        return f"{self.source}（工作表「{self.sheet}」）" if self.sheet else str(self.source)

    def column(self, name: str) -> int | None:
        return self.header.index(name) if name in self.header else None

    def shifted(self, line: int, row: list[str]) -> str | None:
        """Why a row cannot be trusted, or None: in a text file, a row with more fields than
        there are headings has its columns shifted (an unquoted comma in a name), so nothing
        in it is where its heading says. A spreadsheet's cells cannot shift; a note beside
        its table is no field."""
        if self.source.suffix.lower() in SPREADSHEETS:
            return None
        width = max((i + 1 for i, name in enumerate(self.header) if name), default=0)
        extra = "、".join(f"「{value}」" for value in row[width:] if value)
        if not extra:
            return None
        return (
            f"第 {line} 行有 {len(row)} 列，而第一行的列名只有 {width} 列（多出{extra}），这一行的各列已错位："
            '内容中如有英文逗号，请用英文双引号把这一项括起来（如 "某局,某分局"）或改用中文逗号；'
            "如确是另外一列，请在第一行补上列名。"
        )


def read_text_table(path: str | os.PathLike[str], what: str, example: str) -> TextTable:
    """The table in ``path``; ``what`` names it in messages (「名册」), ``example`` is a header
    line to suggest when the file is empty."""
    source = Path(path)
    if not source.exists():
        raise UserError(f"找不到{file_word(what)} {source}，请检查文件名和所在文件夹。")
    _refuse_by_type_and_size(source, what)
    sheet = None
    if source.suffix.lower() in SPREADSHEETS:
        sheet, lines = _spreadsheet_lines(source, what, key=example.split(",")[0])
    else:
        lines = _csv_lines(source, what)
    cleaned = _non_blank(lines)
    if not cleaned:
        raise UserError(f"{what} {source} 是空的。第一行应为列名，例如：{example}")
    key = example.split(",")[0]
    at = _header_at(cleaned, key)
    (_, header), body = cleaned[at], cleaned[at + 1 :]
    # a header of two rows (「联系人」 over 「姓名」「电话」) has its 单位名称 merged down over
    # both: the second row, given the merged heading (``_sheet_lines``), is the header's, no unit
    column = header.index(key) if key in header else None
    while body and column is not None and body[0][1][column : column + 1] == [key]:
        body = body[1:]
    return TextTable(source, header, body, sheet)


_TITLE_LINES = 5  # 「附件2」, a title, a subtitle, 填报单位（盖章）, a date line: above a header


def _header_at(cleaned: list[tuple[int, list[str]]], key: str) -> int:
    """Which of the non-blank lines is the header: the first, unless it lacks ``key`` and it
    and the lines up to the one that has it (a few at most) each hold one text alone — a
    title typed above the table (「道外区2025年年报报送名册」), skipped."""
    for at, (_, row) in enumerate(cleaned[: _TITLE_LINES + 1]):
        if key in row:
            return at
        if sum(1 for cell in row if cell) != 1:
            break
    return 0


def _non_blank(lines: list[tuple[int, list[str]]]) -> list[tuple[int, list[str]]]:
    cleaned = [(line, [clean(c) for c in row]) for line, row in lines]
    return [(line, row) for line, row in cleaned if any(row)]


def file_word(what: str) -> str:
    """「名册」→「名册文件」; a name that says 文件 already (说明文件, 叙述文件) stays as it is."""
    return what if what.endswith("文件") else f"{what}文件"


def refuse_special_file(source: Path, what: str) -> os.stat_result:
    """Before opening a file the user named (``what``: 名册, 说明文件, 叙述文件): a folder, or a
    pipe or a device (/dev/zero, a FIFO), which would block or never end, is refused with a
    UserError. Its stat otherwise."""
    try:
        info = os.stat(source)
    except OSError as error:
        raise UserError(f"无法读取{file_word(what)} {source}（{system_reason(error)}）。") from None
    if stat.S_ISDIR(info.st_mode):
        raise UserError(f"{what} {source} 是文件夹，不是文件。请指定{file_word(what)}。")
    if not stat.S_ISREG(info.st_mode):
        raise UserError(
            f"{what} {source} 不是普通文件（可能是设备、管道等特殊文件）。请指定{file_word(what)}。"
        )
    return info


def _refuse_by_type_and_size(source: Path, what: str) -> None:
    """Before opening: a pipe or a device would block or never end, a huge file would fill
    the memory; none of them is a table kept by hand."""
    info = refuse_special_file(source, what)
    if info.st_size > MAX_TABLE_BYTES:
        raise UserError(
            f"{what} {source} 有 {info.st_size / 1024 / 1024:.0f} MB，远超正常{what}（通常不足 1 MB），"
            f"未予读取。请确认给出的是{file_word(what)}。"
        )


def clean(value: str) -> str:
    return unicodedata.normalize("NFC", value).strip(_BLANKS)


# -- CSV --------------------------------------------------------------------------------------


def _csv_lines(source: Path, what: str) -> list[tuple[int, list[str]]]:
    try:
        data = source.read_bytes()
    except OSError as error:
        raise UserError(f"无法读取{file_word(what)} {source}（{system_reason(error)}）。") from None
    text = _decode(source, data, what)
    dialect = _dialect(text)
    reader = csv.reader(io.StringIO(text, newline=""), dialect=dialect)
    lines: list[tuple[int, list[str]]] = []
    previous_end = 0
    for row in reader:
        lines.append((previous_end + 1, row))  # a quoted field may span lines
        previous_end = reader.line_num
    return lines


def _decode(source: Path, data: bytes, what: str) -> str:
    text = decode_plain(data)
    if text is None:
        raise UserError(
            f"无法识别{what} {source} 的文字编码，或它不是 CSV 文本文件。"
            "请在 Excel/WPS 中“另存为”“CSV（逗号分隔）”或“CSV UTF-8”格式，或直接使用 .xlsx 文件。"
        )
    return text


def decode_plain(data: bytes) -> str | None:
    """A text file a person saved (a roster, an explanations file, a report's narrative): a
    byte-order mark says UTF-8 or UTF-16 (Excel's 「Unicode 文本」, old Notepad's 「Unicode」),
    else UTF-8, else GB18030 (GBK and GB2312 are subsets); None for what is none of them or
    binary."""
    if data.startswith(b"\xef\xbb\xbf"):
        encodings: tuple[str, ...] = ("utf-8-sig",)
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings = ("utf-16",)
    else:
        encodings = ("utf-8", "gb18030")  # gb18030 is a superset of GBK and GB2312
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:
            return None  # a binary file that happened to decode
        return text
    return None


def _dialect(text: str) -> type[csv.Dialect]:
    first = next((line for line in text.splitlines() if line.strip()), "")
    if "\t" in first and "," not in first:
        return csv.excel_tab
    return csv.excel


# -- spreadsheets -----------------------------------------------------------------------------


def _spreadsheet_lines(
    source: Path, what: str, key: str
) -> tuple[str | None, list[tuple[int, list[str]]]]:
    """(sheet name, its rows as text lines) of the first visible sheet whose header row
    (``_header_at``) holds ``key``, else of the first visible sheet."""
    from nianbao.sources.grid import GridError, open_grid
    from nianbao.sources.preflight import UnreadableFile, preflight

    try:
        preflight(source)
        with open_grid(source) as grid:
            tables = [
                (sheet.name, _sheet_lines(sheet)) for sheet in grid.sheets if not sheet.hidden
            ]
    except UnreadableFile as problem:
        raise UserError(f"{what}无法使用：{problem.finding.message}") from None
    except GridError:
        raise UserError(
            f"{what} {source} 已损坏或不完整，无法打开。请在 Excel/WPS 中打开后重新保存。"
        ) from None
    if not tables:
        return None, []
    headed = [(name, lines) for name, lines in tables if _has_header(lines, key)]
    if len(headed) > 1:
        # a roster kept one sheet per 片区 (区直部门, 街道), or this year's beside last year's:
        # one sheet only would be read, the units of the others silently left out
        names = "、".join(f"「{name}」" for name, _ in headed)
        raise UserError(
            f"{what} {source} 有 {len(headed)} 个工作表都有「{key}」列（{names}），"
            f"只能读取其中一个，其余工作表中的内容会被漏掉。请把它们合并到一个工作表中"
            "（不用的工作表请删除或隐藏）后重新运行。"
        )
    if headed:
        name, lines = headed[0]
        return (name if len(tables) > 1 else None), lines
    name, lines = tables[0]
    return (name if len(tables) > 1 else None), lines


def _has_header(lines: list[tuple[int, list[str]]], key: str) -> bool:
    cleaned = _non_blank(lines)
    return bool(cleaned) and key in cleaned[_header_at(cleaned, key)][1]


def _sheet_lines(sheet: Sheet) -> list[tuple[int, list[str]]]:
    """A sheet's rows as text lines, a cell merged down over several rows given to each of
    them: a roster's 上级单位 (「东片区」) is typed once and merged over the units under it, and
    each of them is under it. A cell merged across columns stays in its first column only (a
    title over the table is one text, as ``_header_at`` looks for)."""
    lines = [[_as_text(v) for v in row] for row in sheet.rows]
    for top, left, bottom, _ in sheet.merged_ranges:
        if bottom == top or top >= len(lines) or left >= len(lines[top]):
            continue
        for line in lines[top + 1 : bottom + 1]:
            line.extend([""] * (left + 1 - len(line)))
            if not line[left]:
                line[left] = lines[top][left]
    return [(r + 1, line) for r, line in enumerate(lines)]


def _as_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
