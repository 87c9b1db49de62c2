"""Tidy export: one row per unit and data cell, as CSV, XLSX or JSON.

Values: input cells as the return reported them (a number, the text typed there, or blank);
derived cells (the 总计) recomputed from the inputs, flagged ``derived``. Text that a
spreadsheet would run as a formula (a leading = + - @ tab or carriage return; unit names come
from strangers' workbooks) is neutralised in CSV with a leading apostrophe, and written as a
plain string cell in XLSX. JSON keeps every text verbatim: JSON is data, never executed.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import astuple, dataclass, fields
from decimal import Decimal
from pathlib import Path

from nianbao.form.data import Return, Value, complete
from nianbao.errors import UserError
from nianbao.outputs import atomic_output
from nianbao.pipeline.merge import sort_returns

FORMATS = ("csv", "xlsx", "json")
# Rows a worksheet can hold below its header (Excel's limit is 1,048,576 rows).
XLSX_MAX_ROWS = 1_048_575

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    """Text a spreadsheet must not run as a formula: a leading apostrophe when it looks like one."""
    return "'" + text if text.startswith(_FORMULA_START) else text


@dataclass(frozen=True)
class ExportRow:
    unit: str
    parent: str
    year: int | None
    vintage: str
    table: str
    row_code: str
    row_label: str
    column_code: str
    column_label: str
    value: Value
    derived: bool


# Chinese column headings of CSV/XLSX, in ExportRow's field order.
HEADINGS = (
    "单位",
    "上级单位",
    "年度",
    "表式版本",
    "表",
    "行代码",
    "行标签",
    "列代码",
    "列标签",
    "值",
    "计算项",
)
KEYS = tuple(f.name for f in fields(ExportRow))


def tidy_rows(returns: Iterable[Return]) -> Iterator[ExportRow]:
    """Rows in a stable order: units sorted by name, cells in the form's order."""
    for ret in sort_returns(returns):
        form = ret.form
        computed = complete(form, ret.values)
        for cell in form.cells:
            value = computed[cell.key] if cell.derived else ret.values.get(cell.key)
            yield ExportRow(
                unit=ret.unit or "",
                parent=ret.parent or "",
                year=ret.year,
                vintage=form.vintage,
                table=cell.table.short,
                row_code=cell.row.code,
                row_label=cell.row_label,
                column_code=cell.column.code,
                column_label=cell.column_label,
                value=value,
                derived=cell.derived,
            )


def export_format(path: str | Path) -> str:
    suffix = Path(path).suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        raise UserError(
            f"无法根据输出文件名 {path} 判断导出格式：请使用 .csv、.xlsx 或 .json 结尾的文件名。"
        )
    return suffix


def export_returns(returns: Sequence[Return], path: str | Path) -> int:
    """Write ``returns`` to ``path`` in the format its suffix names; returns the rows written."""
    writer = {"csv": write_csv, "xlsx": write_xlsx, "json": write_json}[export_format(path)]
    return writer(tidy_rows(returns), path)


def _plain(value: Value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, str):
        return neutralise(value)
    return str(value)


def _csv_fields(row: ExportRow) -> list[str]:
    out = [_plain(v) for v in astuple(row)[:-1]]
    return [*out, "是" if row.derived else "否"]


def write_csv(rows: Iterable[ExportRow], path: str | Path) -> int:
    """UTF-8 with BOM (so Excel on Chinese Windows detects the encoding), CRLF line ends."""
    count = 0
    with atomic_output(path) as tmp, open(tmp, "w", encoding="utf-8-sig", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(HEADINGS)
        for row in rows:
            out.writerow(_csv_fields(row))
            count += 1
    return count


def _json_value(value: Value) -> int | float | str | None:
    if isinstance(value, Decimal):
        # float's shortest repr keeps amounts such as 12.34 exact in the text
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def write_json(rows: Iterable[ExportRow], path: str | Path) -> int:
    """A JSON array of objects with English keys (see KEYS); texts verbatim, UTF-8."""
    count = 0
    with atomic_output(path) as tmp, open(tmp, "w", encoding="utf-8") as handle:
        handle.write("[")
        for row in rows:
            record = dict(zip(KEYS, astuple(row), strict=True))
            record["value"] = _json_value(row.value)
            handle.write(("," if count else "") + "\n  " + json.dumps(record, ensure_ascii=False))
            count += 1
        handle.write("\n]\n")
    return count


def write_xlsx(rows: Iterable[ExportRow], path: str | Path) -> int:
    """One sheet 数据 with a header row and a filter; text cells are always strings."""
    import xlsxwriter  # only this format needs it

    count = 0
    with atomic_output(path) as tmp:
        workbook = xlsxwriter.Workbook(str(tmp), {"constant_memory": True})
        sheet = workbook.add_worksheet("数据")
        bold = workbook.add_format({"bold": True})
        for col, heading in enumerate(HEADINGS):
            sheet.write_string(0, col, heading, bold)
        for row in rows:
            count += 1
            if count > XLSX_MAX_ROWS:
                workbook.close()
                raise UserError(
                    f"数据共超过 {XLSX_MAX_ROWS} 行，超出 Excel 工作表的行数上限。请改为导出 .csv 或 .json。"
                )
            for col, value in enumerate(astuple(row)[:-1]):
                _write_cell(sheet, count, col, value)
            sheet.write_string(count, len(HEADINGS) - 1, "是" if row.derived else "否")
        sheet.freeze_panes(1, 0)
        sheet.autofilter(0, 0, max(count, 1), len(HEADINGS) - 1)
        for col, width in enumerate((28, 20, 6, 8, 6, 9, 40, 6, 24, 10, 6)):
            sheet.set_column(col, col, width)
        workbook.close()
    return count


def _write_cell(sheet, row: int, col: int, value: Value) -> None:
    if value is None:
        return
    if isinstance(value, bool | str):
        sheet.write_string(row, col, str(value))
    elif isinstance(value, Decimal):
        sheet.write_number(row, col, float(value))
    else:
        sheet.write_number(row, col, value)
