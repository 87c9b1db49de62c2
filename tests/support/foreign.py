"""Workbooks in the official layout that nianbao did not make: the way units type the tables.

No identity sheet, no cover; the tables at any offset on any sheets, with optional headings,
a report title, blank rows, and labels retyped with variants. Positions are the official
table structure (the same header trees as ``layout_for``), shifted and stretched, so a test can
say where every data cell must be found.

>>> locations = write_foreign(path, get_form("2021"), values, sheets="one", variants={"商业企业": "商业\\n企业"})
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import xlsxwriter

from nianbao.form.a1 import cell_name
from nianbao.form.layout import Label, SheetLayout, layout_for
from nianbao.form.model import Form

Write = Callable[[str, Any], Any]  # (cell key, value) -> what to type into the cell


@dataclass
class ForeignStyle:
    """How the unit laid its workbook out."""

    sheets: str | Mapping[str, str] = "per-table"  # "one", "per-table" or table code -> sheet name
    sheet_names: Mapping[str, str] = field(
        default_factory=lambda: {"二": "表二", "三": "表三", "四": "表四"}
    )
    origin: tuple[int, int] = (0, 0)  # where the first table starts on its sheet
    title: str | None = None  # a report title in the first row of the first sheet
    headings: bool = True  # the statutory heading (二、主动公开政府信息情况 …) above each table
    gap: int = 2  # blank rows between tables that share a sheet
    blank_before: Mapping[str, Iterable[int]] = field(
        default_factory=dict
    )  # table code -> layout rows
    variants: Mapping[str, str] = field(default_factory=dict)  # official label -> as typed
    column_offsets: Mapping[str, int] = field(default_factory=dict)  # table code -> extra columns
    extra_sheets: Mapping[str, list[list[Any]]] = field(default_factory=dict)  # name -> rows, first
    # table code -> the form whose version of that table is typed (a unit mixing vintages)
    table_forms: Mapping[str, Form] = field(default_factory=dict)
    hidden_copy: Mapping[str, Any] | None = None  # values of an old copy on a hidden first sheet
    # other copies of all three tables, each on its own visible sheet before the real ones:
    # sheet name -> (values, a report title in its first row or None)
    copies: Mapping[str, tuple[Mapping[str, Any], str | None]] = field(default_factory=dict)


def write_foreign(
    path: str | Path,
    form: Form,
    values: Mapping[str, Any],
    style: ForeignStyle | None = None,
    *,
    write: Write | None = None,
) -> dict[str, tuple[str, str]]:
    """Write the workbook; return where each data cell was put as key -> (sheet, A1).

    ``values`` maps cell keys to numbers, text or None (left blank); ``write`` may turn each value
    into what the unit typed (e.g. ``lambda key, v: f" {v}"`` for numbers typed as text).
    """
    style = style or ForeignStyle()
    write = write or (lambda key, value: value)
    workbook = xlsxwriter.Workbook(str(path), {"in_memory": True, "strings_to_numbers": False})
    workbook.set_properties({"created": datetime(2022, 1, 10, 9, 0, 0)})
    wrap = workbook.add_format(
        {"text_wrap": True, "border": 1, "align": "center", "valign": "vcenter"}
    )
    for name, rows in style.extra_sheets.items():
        ws = workbook.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is not None:
                    ws.write(r, c, value)
    if style.hidden_copy is not None:
        # an old copy of the tables on a hidden sheet before the real ones
        hidden = ForeignStyle(
            sheets="one", sheet_names={"one": "旧表"}, table_forms=style.table_forms
        )
        _write_tables(workbook, form, style.hidden_copy, hidden, lambda key, value: value, wrap)
        workbook.get_worksheet_by_name("旧表").hide()
    for name, (copy_values, title) in style.copies.items():
        copy = ForeignStyle(
            sheets="one", sheet_names={"one": name}, title=title, table_forms=style.table_forms
        )
        _write_tables(workbook, form, copy_values, copy, lambda key, value: value, wrap)
    locations = _write_tables(workbook, form, values, style, write, wrap)
    if style.hidden_copy is not None:
        # xlsxwriter keeps the active sheet visible: make a real one active
        workbook.get_worksheet_by_name(_sheet_name(style, "二")).activate()
    workbook.close()
    return locations


def _write_tables(
    workbook: Any,
    form: Form,
    values: Mapping[str, Any],
    style: ForeignStyle,
    write: Write,
    wrap: Any,
) -> dict[str, tuple[str, str]]:
    sheets: dict[str, Any] = {}
    next_row: dict[str, int] = {}
    locations: dict[str, tuple[str, str]] = {}
    for index, official in enumerate(layout_for(form).sheets):
        code = official.table.code
        other = style.table_forms.get(code)
        layout = layout_for(other).sheet_for(f"{code}:") if other else official
        name = _sheet_name(style, code)
        if name not in sheets:
            sheets[name] = workbook.add_worksheet(name)
            next_row[name] = style.origin[0]
            if index == 0 and style.title:
                sheets[name].write_string(0, 0, style.title)
                next_row[name] = max(next_row[name], 2)
        ws = sheets[name]
        top = next_row[name]
        left = style.origin[1] + style.column_offsets.get(code, 0)
        row_of = _row_map(layout, top, style.blank_before.get(code, ()))
        _write_table(ws, layout, row_of, left, style, wrap)
        for key, (r, c) in layout.cells.items():
            pos = (row_of(r), left + c)
            locations[key] = (name, cell_name(*pos))
            value = write(key, values.get(key))
            _write_value(ws, pos, value)
            end = layout.cell_ends.get(key)
            if end is not None:
                ws.merge_range(*pos, row_of(end[0]), left + end[1], None)
                _write_value(ws, pos, value)
        next_row[name] = row_of(layout.last_row) + 1 + style.gap
    return locations


def _sheet_name(style: ForeignStyle, code: str) -> str:
    if style.sheets == "one":
        return style.sheet_names.get("one", "Sheet1")
    if style.sheets == "per-table":
        return style.sheet_names[code]
    assert isinstance(style.sheets, Mapping)
    return style.sheets[code]


def _row_map(layout: SheetLayout, top: int, blank_before: Iterable[int]) -> Callable[[int], int]:
    gaps = sorted(blank_before)

    def row_of(r: int) -> int:
        return top + r + sum(1 for g in gaps if g <= r)

    return row_of


def _write_table(
    ws: Any,
    layout: SheetLayout,
    row_of: Callable[[int], int],
    left: int,
    style: ForeignStyle,
    fmt: Any,
) -> None:
    for label in layout.labels:
        if label.kind == "title" and not style.headings:
            continue
        text = style.variants.get(label.text, label.text)
        first = (row_of(label.first[0]), left + label.first[1])
        if label.kind == "title":
            ws.write_string(*first, text)  # a heading line, not merged over the table
            continue
        _write_label(ws, label, first, (row_of(label.last[0]), left + label.last[1]), text, fmt)


def _write_label(
    ws: Any, label: Label, first: tuple[int, int], last: tuple[int, int], text: str, fmt: Any
) -> None:
    if label.merged:
        ws.merge_range(*first, *last, text, fmt)
    elif text:
        ws.write_string(*first, text, fmt)


def _write_value(ws: Any, pos: tuple[int, int], value: Any) -> None:
    if value is None:
        return
    if isinstance(value, bool):
        ws.write_boolean(*pos, value)
    elif isinstance(value, int | float | Decimal):
        ws.write_number(*pos, float(value) if isinstance(value, Decimal) else value)
    else:
        ws.write_string(*pos, str(value))


def text_with_spaces(key: str, value: Any) -> Any:
    """Numbers typed as text with spaces around them, as in the seed (" 0", "0 ")."""
    if value is None:
        return None
    return f" {value}" if len(key) % 2 else f"{value} "
