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
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import astuple, dataclass, fields
from decimal import Decimal
from pathlib import Path

from nianbao.errors import UserError
from nianbao.form.data import Return, Value, complete
from nianbao.form.layout import EXPORT_HEADINGS
from nianbao.outputs import atomic_output
from nianbao.pipeline.merge import sort_returns
from nianbao.text import shown_name

FORMATS = ("csv", "xlsx", "json")
# Rows a worksheet can hold below its header (Excel's limit is 1,048,576 rows).
_XLSX_WIDTHS = (28, 20, 6, 8, 6, 9, 40, 6, 24, 10, 6, 9, 40)

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
    check: str  # the return's check result: 通过, 有警告 or 有错误 ("" when not checked)
    file: str  # the file the return was read from: two files of one unit are told apart


# Chinese column headings of CSV/XLSX, in ExportRow's field order.
HEADINGS = EXPORT_HEADINGS
KEYS = tuple(f.name for f in fields(ExportRow))
_DERIVED = KEYS.index("derived")
# FileReport.status -> the 校验结果 column: a figure from a return with errors is exported as
# reported, and says so on every row.
CHECK_RESULTS = {"ok": "通过", "warnings": "有警告", "errors": "有错误"}


def tidy_rows(
    returns: Iterable[Return], checks: Mapping[int, str] | None = None
) -> Iterator[ExportRow]:
    """Rows in a stable order: units sorted by name, cells in the form's order.

    ``checks``: id() of a return -> its check result (a FileReport.status)."""
    checks = checks or {}
    for ret in sort_returns(returns):
        check = CHECK_RESULTS.get(checks.get(id(ret), ""), "")
        form = ret.form
        computed = complete(form, ret.values)
        # a unit named after its file, or the file, may hold a name's non-UTF-8 bytes
        unit, parent = shown_name(ret.unit or ""), shown_name(ret.parent or "")
        file = shown_name(ret.source or "")
        for cell in form.cells:
            value = computed[cell.key] if cell.derived else ret.values.get(cell.key)
            yield ExportRow(
                unit=unit,
                parent=parent,
                year=ret.year,
                vintage=form.vintage,
                table=cell.table.short,
                row_code=cell.row.code,
                row_label=cell.row_label,
                column_code=cell.column.code,
                column_label=cell.column_label,
                value=value,
                derived=cell.derived,
                check=check,
                file=file,
            )


def export_format(path: str | Path) -> str:
    suffix = Path(path).suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        raise UserError(
            f"无法根据输出文件名 {path} 判断导出格式：请使用 .csv、.xlsx 或 .json 结尾的文件名。"
        )
    return suffix


def export_returns(
    returns: Sequence[Return], path: str | Path, checks: Mapping[int, str] | None = None
) -> int:
    """Write ``returns`` to ``path`` in the format its suffix names; returns the rows written.
    ``checks`` as for ``tidy_rows``."""
    fmt = export_format(path)
    if fmt == "xlsx":
        from nianbao.xlsx.export import write_table  # only this format needs xlsxwriter

        rows = (_shown(row, list(astuple(row))) for row in tidy_rows(returns, checks))
        return write_table(path, "数据", HEADINGS, rows, _XLSX_WIDTHS)
    writer = {"csv": write_csv, "json": write_json}[fmt]
    return writer(tidy_rows(returns, checks), path)


def _shown(row: ExportRow, values: list) -> list:
    """A row's values for a spreadsheet: ``derived`` as 是/否."""
    values[_DERIVED] = "是" if row.derived else "否"
    return values


def _plain(value: Value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, str):
        return neutralise(value)
    return str(value)


def _csv_fields(row: ExportRow) -> list[str]:
    return _shown(row, [_plain(v) for v in astuple(row)])


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
