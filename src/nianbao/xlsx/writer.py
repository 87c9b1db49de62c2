"""Write a return (or the blank form) as nianbao's workbook, with xlsxwriter.

The workbook renders ``layout_for(form)`` and nothing else: every label, merge and data cell
sits where the layout says, so the reader and annotator find them again. Sheets: 封面 (cover),
one sheet per statutory table, and the very hidden identity sheet ``_nianbao``.

Totals are formulas built from the rule that defines them, with their correct cached result
(readers and Protected View show the cache without recalculating). Live E1 checks below 表三
come from the same ``Equation`` objects the Python validator uses.
"""

from __future__ import annotations

import math
import os
import zipfile
from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any

import xlsxwriter
import xlsxwriter.exceptions
import xlsxwriter.workbook
from xlsxwriter.worksheet import Worksheet

from nianbao import __version__
from nianbao.form.data import Number, Return, Value, complete
from nianbao.form.layout import (
    COVER_FIELDS,
    COVER_SHEET,
    COVER_VALUE_COL,
    IDENTITY_MARKER,
    IDENTITY_SHEET,
    LAYOUT_VERSION,
    Label,
    SheetLayout,
    layout_for,
)
from nianbao.form.model import Cell, Form, ValueType
from nianbao.outputs import atomic_output
from nianbao.text import show_value, text_width
from nianbao.xlsx.styles import DEFAULT_FORMAT, Styles, make_styles

GENERATOR = f"nianbao {__version__}"
# xlsxwriter stamps the creation time; a fixed one makes the same command give the same bytes.
FIXED_CREATED = datetime(2021, 9, 26, 0, 0, 0)

# Sheet protection: the filler may resize rows/columns and select anything, nothing else.
PROTECTION = {
    "format_columns": True,
    "format_rows": True,
    "select_locked_cells": True,
    "select_unlocked_cells": True,
}

# Geometry (Excel column-width units ≈ width of "0"; a CJK character is about two of them).
MIN_DATA_WIDTH = 9.0
MIN_LABEL_WIDTH = 10.0
MAX_LABEL_WIDTH = 44.0  # longer labels (3.6.1's) wrap to two lines
GROUP_LINE = 16.0  # a group label longer than this is given two lines
WRAP_FACTOR, WRAP_MARGIN = 0.92, 1.5  # fonts substituted for 宋体 run a little wider
LINE_HEIGHT = 15.0  # points per line of 11 pt 宋体
ROW_PADDING = 6.0
TITLE_HEIGHT = 32.0
DELTA_LIMIT = 10**9  # a sane bound for 本年增/减

CHECK_OK = "✓ 平衡"
CHECK_FAIL = "✗ 相差 "
CHECK_LABEL = "校验：第一项＋第二项＝第三项＋第四项"
CHECK_HINT = "↑ 本行自动检查每列是否平衡（不打印）。显示红色时请核对该列数字。"


# -- public API ---------------------------------------------------------------------------


def write_return(
    path: str | os.PathLike[str],
    form: Form,
    ret: Return | None = None,
    *,
    unit: str | None = None,
    parent: str | None = None,
    year: int | None = None,
    password: str | None = None,
    kind: str = "return",
    members: int = 1,
    code: str | None = None,
) -> None:
    """Write a whole workbook to ``path`` atomically (the blank form when ``ret`` is None).

    ``code``: the roster's 单位代码, kept in the identity sheet so the unit is recognised even
    when the filler edits its name on the cover."""
    with atomic_output(path) as tmp:
        workbook = new_workbook(tmp)
        add_return_sheets(
            workbook,
            form,
            ret,
            unit=unit,
            parent=parent,
            year=year,
            password=password,
            kind=kind,
            members=members,
            code=code,
        )
        workbook.close()


class TextWorksheet(Worksheet):
    """A Worksheet whose text cells always hold the text as given.

    xlsxwriter writes a string that starts with ``<r>`` and ends with ``</r>`` into the file
    as raw rich-text XML (that is how it stores its own rich strings), so a unit name or a
    cell's text of that shape would make a broken workbook or inject markup. Such a string is
    written as a rich string of plain fragments instead: the same text, escaped. Text longer
    than a cell holds is cut to its 32,767 characters.
    """

    def _write_string(self, row: int, col: int, string: str, cell_format: Any = None) -> int:
        # Cut to what a cell holds here, as xlsxwriter would but without its warning on the
        # user's terminal (a unit name is a stranger's text).
        string = string[: self.xls_strmax]
        if string.startswith("<r>") and string.endswith("</r>"):
            parts = (string[:1], string[1:2], string[2:])  # xlsxwriter wants three or more
            return self._write_rich_string(row, col, *parts, *filter(None, [cell_format]))
        return super()._write_string(row, col, string, cell_format)


class TextWorkbook(xlsxwriter.Workbook):
    """An xlsxwriter Workbook whose sheets are TextWorksheets (every workbook nianbao writes)."""

    worksheet_class = TextWorksheet

    def close(self) -> None:
        """Close, giving a file system's refusal (a full disk, a read-only folder) as the
        OSError it is: xlsxwriter wraps it in FileCreateError, which outputs.atomic_output
        would not recognise as a failed write."""
        try:
            super().close()
        except xlsxwriter.exceptions.FileCreateError as error:
            cause = error.args[0] if error.args else None
            if isinstance(cause, OSError):
                raise cause from None
            raise


def new_workbook(path: str | os.PathLike[str], *, large: bool = False) -> Any:
    """An xlsxwriter Workbook set up for byte-identical output (fixed times, in-memory zip).

    ``large=True`` is for sheets of hundreds of megabytes of XML (a summary of 100,000
    members): each part goes through a temporary file instead of memory, and is deflated at
    level 1 instead of 6 (compression was 40 % of writing 分单位明细; the file grows by a
    third). Zip member times then depend on the time zone.
    """
    workbook = (_LargeWorkbook if large else TextWorkbook)(
        str(path),
        {
            "in_memory": not large,  # zip member times fixed at 1980-01-01 whatever the time zone
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "default_format_properties": dict(DEFAULT_FORMAT),
        },
    )
    workbook.set_properties({"created": FIXED_CREATED})
    return workbook


class _FastZipFile(zipfile.ZipFile):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, compresslevel=1, **kwargs)  # type: ignore[call-overload]


class _LargeWorkbook(TextWorkbook):
    """A Workbook whose zip is deflated at level 1 (see ``new_workbook``)."""

    def _store_workbook(self) -> None:
        # xlsxwriter makes its ZipFile inside this method, at the default level, and offers no
        # option for it; the name it uses is swapped for the length of the call (xlsxwriter is
        # pinned to 3.3.x; nianbao writes one workbook at a time).
        module = xlsxwriter.workbook
        original = module.ZipFile
        module.ZipFile = _FastZipFile
        try:
            super()._store_workbook()
        finally:
            module.ZipFile = original


def add_return_sheets(
    workbook: Any,
    form: Form,
    ret: Return | None = None,
    *,
    unit: str | None = None,
    parent: str | None = None,
    year: int | None = None,
    password: str | None = None,
    kind: str = "return",
    members: int = 1,
    code: str | None = None,
) -> None:
    """Add 封面, one sheet per table and the hidden identity sheet to an open workbook."""
    if ret is not None:
        if ret.form is not form:
            raise ValueError(f"return is of vintage {ret.form.vintage}, not {form.vintage}")
        unit = unit if unit is not None else ret.unit
        parent = parent if parent is not None else ret.parent
        year = year if year is not None else ret.year
        code = code if code is not None else ret.code
        if kind == "return" and ret.kind != "return":
            kind, members = ret.kind, ret.members
    values: Mapping[str, Value] = ret.values if ret is not None else {}
    completed = complete(form, values)
    styles = make_styles(workbook)
    identity: dict[str, object] = {
        "marker": IDENTITY_MARKER,
        "vintage": form.vintage,
        "layout": LAYOUT_VERSION,
        "generator": GENERATOR,
        "year": year,
        "unit": unit,
        "parent": parent,
        "kind": kind,
        "members": members,
    }
    if code:  # only when known: templates without one stay byte-identical
        identity["code"] = code
    cover: dict[str, object] = dict(ret.cover) if ret is not None else {}
    cover.update({"unit": unit, "parent": parent, "year": year})
    _write_cover(workbook, styles, form, cover, kind, members, password)
    layout = layout_for(form)
    for sheet in layout.sheets:
        _write_table(workbook, styles, form, sheet, values, completed, password, kind)
    _write_identity(workbook, identity, password)
    _set_properties(workbook, form, identity)


# -- cover --------------------------------------------------------------------------------


def _write_cover(
    workbook: Any,
    styles: Styles,
    form: Form,
    cover: Mapping[str, Any],
    kind: str,
    members: int,
    password: str | None,
) -> None:
    ws = workbook.add_worksheet(COVER_SHEET)
    label_col, value_col = COVER_VALUE_COL - 1, COVER_VALUE_COL
    ws.set_column(label_col, label_col, 14)
    ws.set_column(value_col, value_col, 62)
    title = "政府信息公开工作年度报告统计表"
    if kind == "summary":
        title += "（汇总）"
    ws.set_row(0, TITLE_HEIGHT)
    ws.merge_range(0, label_col, 0, value_col, title, styles.cover_title)
    for field in COVER_FIELDS:
        ws.set_row(field.row, 22)
        ws.write_string(field.row, label_col, field.label, styles.cover_label)
        value = cover.get(field.key, cover.get(field.label))
        if field.key == "year":
            _write_value(ws, field.row, value_col, value, styles.cover_year)
            ws.data_validation(
                field.row,
                value_col,
                field.row,
                value_col,
                {
                    "validate": "integer",
                    "criteria": "between",
                    "minimum": form.years[0],
                    "maximum": 2100,
                    "input_title": "报告年度",
                    "input_message": "填写四位数年份，例如 2025。",
                    "error_title": "年份有误",
                    "error_message": f"请填写四位数年份（{form.years[0]} 年及以后），例如 2025。",
                },
            )
        else:
            text = "" if value is None else str(value)
            if text:
                ws.write_string(field.row, value_col, text, styles.cover_input)
            else:
                ws.write_blank(field.row, value_col, None, styles.cover_input)
    row = COVER_FIELDS[-1].row + 1
    if kind == "summary":
        ws.write_string(row, label_col, "汇总单位数", styles.cover_label)
        ws.write_number(row, value_col, members, styles.cover_fixed)
        row += 1
    ws.set_row(row, 22)
    ws.write_string(row, label_col, "表式版本", styles.cover_label)
    ws.write_string(row, value_col, _vintage_line(form), styles.cover_fixed)
    row += 2
    summary = kind == "summary"
    ws.write_string(row, label_col, "汇总说明" if summary else "填表说明", styles.cover_heading)
    row += 1
    lines = _summary_instructions(form, members) if summary else _instructions(form)
    for number, text in enumerate(lines, start=1):
        line = f"{number}. {text}"
        ws.merge_range(row, label_col, row, value_col, line, styles.cover_text)
        ws.set_row(row, _text_height(line, 14 + 62))
        row += 1
    ws.set_paper(9)
    ws.set_portrait()
    ws.fit_to_pages(1, 1)
    ws.center_horizontally()
    ws.set_margins(left=0.7, right=0.7, top=0.8, bottom=0.8)
    ws.print_area(0, label_col, row - 1, value_col)
    ws.hide_gridlines(2)
    ws.activate()
    ws.set_first_sheet()
    ws.protect(password or "", PROTECTION)


def _vintage_line(form: Form) -> str:
    first, last = form.years
    span = f"{first}年度及以后" if last is None else f"{first}—{last}年度"
    return f"{form.label}，适用于{span}的年度报告"


def _instructions(form: Form) -> list[str]:
    """Short instructions for the filler, worded from the form itself."""
    tables = "、".join(f"「{t.title}」" for t in form.tables)
    types = {cell.value_type for cell in form.cells if not cell.derived}
    kinds = ["件数、个数等只能填 0 或正整数"]
    if ValueType.AMOUNT in types:
        amounts = _column_names(form, ValueType.AMOUNT)
        kinds.append(f"{amounts}以万元为单位，可以填小数")
    if ValueType.DELTA in types:
        deltas = _column_names(form, ValueType.DELTA)
        kinds.append(f"{deltas}减少时填负数（如 -2）")
    return [
        f"请只在浅黄色的格子里填写。本页填写单位、年度和填报人信息；{tables}各在同名的工作表中填写。",
        "没有发生的事项请填 0，不要留空，也不要填“/”“—”“无”等符号。" + "；".join(kinds) + "。",
        "灰色格子是自动计算的总计，已设公式，无需填写，也不能修改。",
        f"「{form.table('三').title}」表格下方的“校验”行会自动检查每列是否满足"
        "“第一项＋第二项＝第三项＋第四项”：显示“✓ 平衡”为正确；显示红色“✗ 相差…”表示该列不平衡，请核对修改。",
        "请不要重命名或删除工作表，不要插入、删除行或列，不要改动表格文字，否则汇总时无法识别。",
        f"本工作簿按{form.label}制作，请勿改用其他版本的表格。填好后保存为 .xlsx 格式报送。",
    ]


def _summary_instructions(form: Form, members: int) -> list[str]:
    """What a summary is, for whoever reads or signs it (nobody fills it in)."""
    tables = "、".join(f"「{t.title}」" for t in form.tables)
    return [
        f"本表是汇总表：{tables}的每个数字都是 {members} 个单位报表中同一格的数字之和，由 nianbao merge "
        "生成，不需要填写。数字有误时请让相关单位改正报表后重新汇总，不要在本表中直接修改。",
        "总计格是公式，汇总时已按各项重新计算；各表之间的勾稽关系（第一项＋第二项＝第三项＋第四项等）均已校验。",
        "「分单位明细」逐个单位列出每一格的数字，最后一行「合计」等于本表；「报送情况」列出名册中每个单位的报送和"
        "校验结果；「校验问题」列出全部问题，已说明的警告注明了理由。给出上年报表或上报汇总表时，另有"
        "「与上年对比」「核对上报汇总」两页。",
        "本汇总表本身也是一份合格的统计表，可以与其他汇总表再次汇总（nianbao merge）。",
        f"本工作簿按{form.label}制作。",
    ]


def _column_names(form: Form, value_type: ValueType) -> str:
    names: list[str] = []
    for cell in form.cells:
        if cell.value_type is value_type and cell.column.label not in names:
            names.append(cell.column.label)
    return "、".join(f"“{n}”" for n in names)


# -- tables -------------------------------------------------------------------------------


def _write_table(
    workbook: Any,
    styles: Styles,
    form: Form,
    sheet: SheetLayout,
    values: Mapping[str, Value],
    completed: Mapping[str, Number],
    password: str | None,
    kind: str = "return",
) -> None:
    ws = workbook.add_worksheet(sheet.name)
    widths = _column_widths(sheet)
    for col, width in enumerate(widths):
        ws.set_column(col, col, width)
    for row, height in _row_heights(sheet, widths).items():
        ws.set_row(row, height)
    for label in sheet.labels:
        _write_label(ws, styles, label)
    position = sheet.cells.__getitem__
    cells = [form.cell(key) for key in sheet.cells]
    for cell in cells:
        row, col = sheet.cells[cell.key]
        end = sheet.cell_ends.get(cell.key)
        if cell.derived:
            equation = form.defining[cell.key]
            formula = "=" + equation.excel_side(equation.rhs, position)
            _write_span(ws, row, col, end, styles.derived)
            ws.write_formula(row, col, formula, styles.derived, cached_total(completed[cell.key]))
        elif kind == "summary":  # sums, not a place to type: plain, locked, shown in full
            _write_span(ws, row, col, end, styles.summed)
            _write_value(ws, row, col, values.get(cell.key), styles.summed)
        else:
            fmt = styles.inputs[cell.value_type]
            _write_span(ws, row, col, end, fmt)
            _write_value(ws, row, col, values.get(cell.key), fmt)
            ws.data_validation(row, col, row, col, _validation(cell))
    if sheet.check_row is not None:
        _write_checks(ws, styles, form, sheet, completed)
    ws.print_area(0, 0, sheet.last_row, sheet.width - 1)
    ws.repeat_rows(*sheet.header_rows)
    ws.set_paper(9)
    ws.set_landscape()
    ws.fit_to_pages(1, 1)  # each statutory table on one sheet of paper
    ws.center_horizontally()
    ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.6)
    ws.set_footer("&C第 &P 页，共 &N 页")
    ws.print_black_and_white()
    ws.hide_gridlines(2)
    freeze = _freeze_at(sheet)
    if freeze:
        ws.freeze_panes(*freeze)
    ws.protect(password or "", PROTECTION)


def _write_label(ws: Any, styles: Styles, label: Label) -> None:
    fmt = {
        "title": styles.title,
        "caption": styles.caption,
        "column": styles.header,
        "row": styles.group_label if label.first[0] != label.last[0] else styles.row_label,
    }.get(label.kind)
    if label.kind == "corner":
        fmt = styles.note if label.merged else styles.header
    if label.merged:
        ws.merge_range(*label.first, *label.last, label.text, fmt)
    else:
        ws.write_string(*label.first, label.text, fmt)


def _write_span(ws: Any, row: int, col: int, end: tuple[int, int] | None, fmt: Any) -> None:
    """Merge a data cell over the columns the layout gives it (表二's narrower blocks)."""
    if end is not None:
        ws.merge_range(row, col, *end, None, fmt)


def _write_value(ws: Any, row: int, col: int, value: Any, fmt: Any) -> None:
    if value is None or value == "":
        ws.write_blank(row, col, None, fmt)
    elif isinstance(value, bool):  # a bool is an int to Python, never a count here
        ws.write_string(row, col, str(value), fmt)
    elif isinstance(value, int | Decimal | float):
        write_number(ws, row, col, value, fmt)
    else:
        ws.write_string(row, col, str(value), fmt)


# The largest number a spreadsheet cell holds. Only sums of implausible figures (V09, such as
# 9.9E+307 typed twice) reach it; Python's integers do not overflow, a cell does.
EXCEL_MAX = 9.99999999999999e307


def cell_number(value: Number | float) -> int | float | None:
    """A number as a cell holds it (float for decimals), or None when no cell can."""
    try:
        number = float(value)
    except OverflowError:
        return None
    if not math.isfinite(number) or abs(number) > EXCEL_MAX:
        return None
    return value if isinstance(value, int) else number


def write_number(ws: Any, row: int, col: int, value: Number | float, fmt: Any = None) -> None:
    """Every number nianbao writes: as a number, or as its text (9.9E+307) beyond a cell's range."""
    number = cell_number(value)
    if number is None:
        ws.write_string(row, col, show_value(value), fmt)
    else:
        ws.write_number(row, col, number, fmt)


def cached_total(value: Number) -> int | float | str:
    """The cached result written with a total's formula (float for Decimal amounts)."""
    number = cell_number(value)
    return show_value(value) if number is None else number


_TYPE_TEXT = {
    ValueType.COUNT: (
        "请填写非负整数",
        "请填写非负整数（件数）。没有请填 0，不要留空或填“/”。",
        "这里只能填 0 或正整数（件数），不能填小数、负数或文字。没有请填 0。",
    ),
    ValueType.AMOUNT: (
        "请填写金额（万元）",
        "请填写金额，单位：万元，可以有小数。没有请填 0，不要留空或填“/”。",
        "这里只能填金额（单位：万元），可以有小数，不能为负数或文字。没有请填 0。",
    ),
    ValueType.DELTA: (
        "请填写整数（可为负数）",
        "请填写整数，减少时填负数（如 -2）。没有变化请填 0，不要留空。",
        "这里只能填整数，减少时填负数（如 -2），不能填小数或文字。没有变化请填 0。",
    ),
}


def _validation(cell: Cell) -> dict[str, Any]:
    title, message, error = _TYPE_TEXT[cell.value_type]
    rule: dict[str, Any]
    if cell.value_type is ValueType.COUNT:
        rule = {"validate": "integer", "criteria": ">=", "value": 0}
    elif cell.value_type is ValueType.AMOUNT:
        rule = {"validate": "decimal", "criteria": ">=", "value": 0}
    else:
        rule = {
            "validate": "integer",
            "criteria": "between",
            "minimum": -DELTA_LIMIT,
            "maximum": DELTA_LIMIT,
        }
    where = cell.description
    full = f"{where}：{message}"
    return {
        **rule,
        "input_title": title,
        "input_message": full if len(full) <= 255 else message,
        "error_title": "填写有误",
        "error_message": error,
        "error_type": "stop",
    }


def _write_checks(
    ws: Any, styles: Styles, form: Form, sheet: SheetLayout, completed: Mapping[str, Number]
) -> None:
    """One live E1 check per column, below the table and outside the print area."""
    position = sheet.cells.__getitem__
    row = sheet.check_row
    assert row is not None
    ws.set_row(row, 22)
    check_cols: list[int] = []
    for equation in form.balance_equations:
        if equation.table != sheet.table.code:
            continue
        col = position(equation.lhs[0].key)[1]
        check_cols.append(col)
        diff = equation.excel_difference(position)
        formula = f'=IF({diff}=0,"{CHECK_OK}","{CHECK_FAIL}"&ABS({diff}))'
        residual = equation.residual(completed)
        ws.write_formula(row, col, formula, styles.check, check_text(residual))
        ws.conditional_format(
            row,
            col,
            row,
            col,
            {"type": "formula", "criteria": f"={diff}<>0", "format": styles.check_fail},
        )
    first = min(check_cols)
    if first > 1:
        ws.merge_range(row, 0, row, first - 1, CHECK_LABEL, styles.check_label)
    else:
        ws.write_string(row, 0, CHECK_LABEL, styles.check_label)
    ws.write_string(row + 1, first, CHECK_HINT, styles.hint)


def check_text(residual: Number) -> str:
    """What a check cell shows for an equation's residual (its cached result)."""
    return CHECK_OK if residual == 0 else f"{CHECK_FAIL}{show_value(abs(residual))}"


def _freeze_at(sheet: SheetLayout) -> tuple[int, int] | None:
    """Freeze under the column headers and right of the row labels of a long single-block table."""
    blocks = sheet.table.blocks
    if len(blocks) != 1 or len(blocks[0].row_leaves) < 10:
        return None
    top = sheet.header_rows[1] + 1
    left = min(col for _, col in sheet.cells.values())
    return top, left


# -- geometry -----------------------------------------------------------------------------


def _column_widths(sheet: SheetLayout) -> list[float]:
    widths = [0.0] * sheet.width
    data_cols = {col for _, col in sheet.cells.values()}
    for label in sheet.labels:
        (top, left), (bottom, right) = label.first, label.last
        if left != right or label.kind == "title":
            continue
        need = text_width(label.text)
        if bottom > top and need > GROUP_LINE:
            need = math.ceil(need / 2)  # a group label merged down many rows: two lines
        widths[left] = max(widths[left], min(_width_for(need), MAX_LABEL_WIDTH))
    return [
        max(w, MIN_DATA_WIDTH if col in data_cols else MIN_LABEL_WIDTH)
        for col, w in enumerate(widths)
    ]


def _width_for(text: float) -> float:
    """The column width whose usable part (see ``_lines``) holds ``text`` on one line."""
    return float(math.ceil((text + WRAP_MARGIN) / WRAP_FACTOR))


def _lines(text: str, width: float) -> int:
    usable = max(width * WRAP_FACTOR - WRAP_MARGIN, 2.0)
    return max(1, math.ceil(text_width(text) / usable))


def _text_height(text: str, width: float) -> float:
    return _lines(text, width) * LINE_HEIGHT + ROW_PADDING


def _row_heights(sheet: SheetLayout, widths: list[float]) -> dict[int, float]:
    """Row heights so wrapped labels are readable (neither Excel nor LibreOffice sizes merged cells)."""
    heights = {row: LINE_HEIGHT + ROW_PADDING for row in range(1, sheet.last_row + 1)}
    heights[0] = TITLE_HEIGHT
    tall: list[tuple[int, int, float]] = []
    for label in sheet.labels:
        if label.kind == "title":
            continue
        (top, left), (bottom, right) = label.first, label.last
        need = _text_height(label.text, sum(widths[left : right + 1]))
        if top == bottom:
            heights[top] = max(heights[top], need)
        else:
            tall.append((top, bottom, need))
    for top, bottom, need in tall:
        have = sum(heights[r] for r in range(top, bottom + 1))
        if have < need:
            extra = (need - have) / (bottom - top + 1)
            for r in range(top, bottom + 1):
                heights[r] += extra
    return heights


# -- identity and properties --------------------------------------------------------------


def _write_identity(workbook: Any, identity: Mapping[str, Any], password: str | None) -> None:
    ws = workbook.add_worksheet(IDENTITY_SHEET)
    for row, (key, value) in enumerate(identity.items()):
        ws.write_string(row, 0, key)
        if isinstance(value, int) and not isinstance(value, bool):
            ws.write_number(row, 1, value)
        elif value is not None:
            ws.write_string(row, 1, str(value))
    ws.very_hidden()
    ws.protect(password or "", PROTECTION)


def _set_properties(workbook: Any, form: Form, identity: Mapping[str, Any]) -> None:
    year = identity.get("year")
    title = "政府信息公开工作年度报告统计表"
    if year:
        title = f"{year}年度{title}"
    workbook.set_properties(
        {
            "title": f"{title}（{form.vintage}版）",
            "subject": f"{form.label}",
            "author": identity.get("unit") or "",
            "company": identity.get("parent") or "",
            "keywords": f"政府信息公开,年度报告,{form.vintage}版,{form.document},nianbao",
            "comments": f"由 {GENERATOR} 生成；表式 {form.vintage}版，版式 {LAYOUT_VERSION}。",
            "category": "政府信息公开工作年度报告",
            "created": FIXED_CREATED,
        }
    )
    workbook.set_custom_property("nianbao_vintage", form.vintage)
    workbook.set_custom_property("nianbao_layout", LAYOUT_VERSION)
    if year:
        workbook.set_custom_property("nianbao_year", int(year))


__all__ = [
    "add_return_sheets",
    "cached_total",
    "cell_number",
    "check_text",
    "new_workbook",
    "write_number",
    "write_return",
]
