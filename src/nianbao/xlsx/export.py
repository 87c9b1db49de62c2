"""A plain table as a workbook (the tidy export): one sheet, a header row, a filter.

Text cells are always written as strings, so a text that looks like a formula stays text.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from nianbao.errors import UserError
from nianbao.form.data import Value
from nianbao.outputs import atomic_output
from nianbao.xlsx.writer import TextWorkbook, write_number

XLSX_MAX_ROWS = 1_048_575  # Excel's last row, less the header


def write_table(
    path: str | Path,
    sheet_name: str,
    headings: Sequence[str],
    rows: Iterable[Sequence[Value | bool]],
    widths: Sequence[float] = (),
) -> int:
    """Write ``rows`` under ``headings`` atomically; returns the rows written."""
    count = 0
    with atomic_output(path) as tmp:
        workbook = TextWorkbook(str(tmp), {"constant_memory": True})
        sheet = workbook.add_worksheet(sheet_name)
        bold = workbook.add_format({"bold": True})
        for col, heading in enumerate(headings):
            sheet.write_string(0, col, heading, bold)
        for row in rows:
            count += 1
            if count > XLSX_MAX_ROWS:
                workbook.close()
                raise UserError(
                    f"数据共超过 {XLSX_MAX_ROWS} 行，超出 Excel 工作表的行数上限。请改为导出 .csv 或 .json。"
                )
            for col, value in enumerate(row):
                _write_cell(sheet, count, col, value)
        sheet.freeze_panes(1, 0)
        sheet.autofilter(0, 0, max(count, 1), len(headings) - 1)
        for col, width in enumerate(widths):
            sheet.set_column(col, col, width)
        workbook.close()
    return count


def _write_cell(sheet, row: int, col: int, value: Value | bool) -> None:
    if value is None:
        return
    if isinstance(value, bool | str):
        sheet.write_string(row, col, str(value))
    else:
        write_number(sheet, row, col, value)
