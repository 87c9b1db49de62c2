"""The summary workbook: a valid return of kind "summary" plus three sheets for the coordinator.

Sheets: 封面 and the statutory tables with the sums (written by the writer, so the summary is
read, checked and merged upward like any return), then 分单位明细 (every member's cells, with
a 合计 row that equals the summary), 报送情况 (the roster status) and 校验问题 (every finding).

Every text that comes from a user (unit names, file names, messages) is written with
``write_string``: a string cell is never a formula, whatever it starts with.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterator, Sequence
from decimal import Decimal
from typing import Any

from nianbao.checks.status import ERRORS, MISSING, PASSED, WARNINGS, SubmissionStatus
from nianbao.form.a1 import cell_name
from nianbao.form.data import Number, Return, complete
from nianbao.form.findings import Finding
from nianbao.form.model import Cell
from nianbao.outputs import atomic_output
from nianbao.xlsx.rows import MAX_ROWS, RowBlockWorksheet
from nianbao.xlsx.styles import DEFAULT_FORMAT, DERIVED_FILL, FAIL_FILL, INPUT_FILL
from nianbao.xlsx.writer import add_return_sheets, new_workbook, text_width

BREAKDOWN_SHEET = "分单位明细"
STATUS_SHEET = "报送情况"
FINDINGS_SHEET = "校验问题"
TOTAL_LABEL = "合计"
# Members 分单位明细 can list: a sheet's rows less the two header rows and the 合计 row.
BREAKDOWN_LIMIT = MAX_ROWS - 3

STATUS_HEADINGS = ("单位名称", "上级单位", "单位代码", "状态", "错误数", "警告数", "文件")
FINDING_HEADINGS = ("单位", "文件", "规则", "级别", "工作表", "单元格", "说明")
_STATUS_FILL = {PASSED: "#E2EFDA", WARNINGS: INPUT_FILL, ERRORS: FAIL_FILL, MISSING: "#D9D9D9"}

# 分单位明细: the unit name first (repeated on every printed page), the data, then these.
_TAIL_COLUMNS = (("上级单位", 22.0), ("文件", 30.0))
_DATA_WIDTH = 9.0
LINE_HEIGHT = 14.0
_IN_MEMORY_UP_TO = 2_000  # members


def write_summary(
    path: str | os.PathLike[str],
    summary: Return,
    members: Sequence[Return],
    *,
    status: SubmissionStatus | None = None,
    findings: Sequence[tuple[str, Finding]] = (),
) -> None:
    """Write the summary workbook atomically.

    ``members`` are the returns summed into ``summary`` (in the order to list them);
    ``findings`` pairs each finding with the unit (or file) it concerns.
    """
    with atomic_output(path) as tmp:
        # Large breakdowns go through temporary files: their XML is ~6 KB a member.
        workbook = new_workbook(tmp, in_memory=len(members) < _IN_MEMORY_UP_TO)
        add_return_sheets(workbook, summary.form, summary, kind="summary", members=summary.members)
        styles = _Styles(workbook)
        _write_breakdown(workbook, styles, summary, members)
        _write_status(workbook, styles, status, members)
        _write_findings(workbook, styles, findings)
        workbook.close()


class _Styles:
    def __init__(self, workbook: Any) -> None:
        def fmt(**props: Any) -> Any:
            return workbook.add_format({**DEFAULT_FORMAT, **props})

        box = {"border": 1, "valign": "vcenter", "text_wrap": True}
        self.title = fmt(bold=True, font_size=14, valign="vcenter")
        self.note = fmt(font_size=10, italic=True, valign="vcenter")
        self.header = fmt(**box, bold=True, align="center")
        self.text = fmt(**box, align="left")
        self.plain = fmt(border=1, valign="vcenter", align="left")  # one line, no wrapping
        self.number = fmt(**box, align="center", num_format="General")
        self.total_label = fmt(**box, bold=True, align="center", bg_color=DERIVED_FILL)
        self.total = fmt(
            **box, bold=True, align="center", bg_color=DERIVED_FILL, num_format="General"
        )
        self.status = {
            word: fmt(**box, align="center", bg_color=fill) for word, fill in _STATUS_FILL.items()
        }


def _text(ws: Any, row: int, col: int, value: object, fmt: Any) -> None:
    """A user's text as a string cell (never a formula); blank when empty."""
    text = "" if value is None else str(value)
    if text:
        ws.write_string(row, col, text, fmt)
    else:
        ws.write_blank(row, col, None, fmt)


def _or_none(text: str | None) -> str | None:
    """A user's text for a row block: the text, or None (a blank cell) when empty."""
    return str(text) if text else None


def _number(value: Number) -> int | float:
    return float(value) if isinstance(value, Decimal) else value


def _sheet_setup(ws: Any, header_row: int, widths: Sequence[float]) -> None:
    for col, width in enumerate(widths):
        ws.set_column(col, col, width)
    ws.freeze_panes(header_row + 1, 1)
    ws.set_paper(9)
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(0, header_row)


# -- 分单位明细 ------------------------------------------------------------------------------


def _header_label(cell: Cell) -> str:
    return f"{cell.table.short} {cell.row_label}".strip()


def _write_breakdown(
    workbook: Any, styles: _Styles, summary: Return, members: Sequence[Return]
) -> None:
    ws = workbook.add_worksheet(BREAKDOWN_SHEET, worksheet_class=RowBlockWorksheet)
    form = summary.form
    cells = form.cells
    first, tail = 1, 1 + len(cells)
    ws.merge_range(0, 0, 1, 0, "单位名称", styles.header)
    ws.set_column(0, 0, 26)
    for k, (heading, width) in enumerate(_TAIL_COLUMNS):
        ws.merge_range(0, tail + k, 1, tail + k, heading, styles.header)
        ws.set_column(tail + k, tail + k, width)
    # Row 0: table and row label, merged over that row's columns; row 1: the column label.
    start = 0
    while start < len(cells):
        end = start
        label = _header_label(cells[start])
        while end + 1 < len(cells) and _header_label(cells[end + 1]) == label:
            end += 1
        if end > start:
            ws.merge_range(0, first + start, 0, first + end, label, styles.header)
        else:
            ws.write_string(0, first + start, label, styles.header)
        start = end + 1
    for k, cell in enumerate(cells):
        ws.write_string(1, first + k, cell.column_label or cell.table.short, styles.header)
    ws.set_column(first, first + len(cells) - 1, _DATA_WIDTH)
    ws.set_row(0, 6 * LINE_HEIGHT)
    ws.set_row(1, 4 * LINE_HEIGHT + 4)  # 法人或其他组织·商业企业 wraps over three lines
    ws.freeze_panes(2, 1)
    ws.set_paper(9)
    ws.set_landscape()
    ws.repeat_rows(0, 1)
    ws.repeat_columns(0, 0)
    ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    ws.set_print_scale(85)
    ws.set_footer("&C分单位明细 第 &P 页，共 &N 页")
    if len(members) > BREAKDOWN_LIMIT:
        ws.write_string(
            2,
            0,
            f"共 {len(members)} 个单位，超过一个工作表能容纳的 {BREAKDOWN_LIMIT} 行，本表从略。"
            "分单位数据请用「nianbao export」导出为 CSV 查看。",
            styles.note,
        )
        return
    ws.set_column(tail + 1, tail + 1, _file_width([m.source or "" for m in members]))
    keys = [cell.key for cell in cells]

    def rows() -> Iterator[list[object]]:
        # Written row by row when the workbook closes (xlsx/rows.py): ~0.1 ms a member.
        for ret in members:
            values = complete(form, ret.values)
            yield [
                _or_none(ret.unit),
                *map(values.__getitem__, keys),
                _or_none(ret.parent),
                _or_none(ret.source),
            ]

    formats = [styles.plain, *[styles.number] * len(cells), styles.plain, styles.plain]
    ws.set_row_block(2, len(members), rows, formats)
    total_row = len(members) + 2
    ws.write_string(total_row, 0, TOTAL_LABEL, styles.total_label)
    for k, cell in enumerate(cells):
        col = first + k
        formula = f"=SUM({cell_name(2, col)}:{cell_name(total_row - 1, col)})" if members else "=0"
        ws.write_formula(total_row, col, formula, styles.total, _number(summary.values[cell.key]))
    ws.autofilter(1, 0, total_row - 1, tail + len(_TAIL_COLUMNS) - 1)


def _fit_row(ws: Any, row: int, texts: Sequence[str], widths: Sequence[float]) -> None:
    """A row tall enough for its wrapped texts (LibreOffice and Excel do not size them on open)."""
    lines = max(
        math.ceil(1.2 * text_width(t) / max(w - 2.0, 2.0)) if t else 1
        for t, w in zip(texts, widths, strict=True)
    )
    if lines > 1:
        ws.set_row(row, lines * LINE_HEIGHT + 4)


def _cells_text(cells: Sequence[str], limit: int = 6) -> str:
    shown = "、".join(cells[:limit])
    return shown + (f" 等 {len(cells)} 个" if len(cells) > limit else "")


# -- 报送情况 --------------------------------------------------------------------------------


def _write_status(
    workbook: Any, styles: _Styles, status: SubmissionStatus | None, members: Sequence[Return]
) -> None:
    ws = workbook.add_worksheet(STATUS_SHEET)
    if status is None:
        ws.write_string(0, 0, "报送情况（未提供名册：下表只列出已汇总的报表）", styles.title)
        lines = [
            (m.unit or "", m.parent or "", "", "已汇总", None, None, m.source or "")
            for m in members
        ]
    else:
        counts = "，".join(
            f"{word} {status.count(word)}" for word in (PASSED, WARNINGS, ERRORS, MISSING)
        )
        scope = f"名册 {status.roster_size} 个单位" if status.has_roster else "未提供名册"
        ws.write_string(0, 0, f"报送情况（{scope}；{counts}）", styles.title)
        lines = [
            (
                r.unit or "（无法识别单位）",
                r.parent,
                r.code,
                r.status,
                None if r.status == MISSING else r.errors,
                None if r.status == MISSING else r.warnings,
                r.file,
            )
            for r in status.rows
        ]
    widths = (30.0, 22.0, 14.0, 10.0, 8.0, 8.0, _file_width([line[6] for line in lines]))
    header = 1
    for col, heading in enumerate(STATUS_HEADINGS):
        ws.write_string(header, col, heading, styles.header)
    row = header
    for row, (unit, parent, code, word, errors, warnings, file) in enumerate(
        lines, start=header + 1
    ):
        _text(ws, row, 0, unit, styles.text)
        _text(ws, row, 1, parent, styles.text)
        _text(ws, row, 2, code, styles.text)
        ws.write_string(row, 3, word, styles.status.get(word, styles.number))
        for col, count in ((4, errors), (5, warnings)):
            if count is None:
                ws.write_blank(row, col, None, styles.number)
            else:
                ws.write_number(row, col, count, styles.number)
        _text(ws, row, 6, file, styles.text)
        _fit_row(ws, row, (unit, parent, code, "", "", "", file), widths)
    ws.autofilter(header, 0, max(row, header), len(STATUS_HEADINGS) - 1)
    _sheet_setup(ws, header, widths)


def _file_width(names: Sequence[str]) -> float:
    return min(1.15 * max([text_width(n) for n in names] + [10.0]) + 3, 60.0)


# -- 校验问题 --------------------------------------------------------------------------------


def _write_findings(
    workbook: Any, styles: _Styles, findings: Sequence[tuple[str, Finding]]
) -> None:
    ws = workbook.add_worksheet(FINDINGS_SHEET)
    if findings:
        errors = sum(1 for _, f in findings if f.is_error)
        title = (
            f"校验问题（共 {len(findings)} 条：错误 {errors} 条，警告 {len(findings) - errors} 条）"
        )
    else:
        title = "校验问题：没有发现问题。"
    ws.write_string(0, 0, title, styles.title)
    header = 1
    for col, heading in enumerate(FINDING_HEADINGS):
        ws.write_string(header, col, heading, styles.header)
    widths = (26.0, 34.0, 6.0, 6.0, 22.0, 16.0, 70.0)
    row = header
    for row, (unit, finding) in enumerate(findings, start=header + 1):
        texts = (
            unit,
            finding.file or "",
            finding.rule.id,
            finding.level.chinese,
            finding.sheet or "",
            _cells_text(finding.cells),
            finding.message,
        )
        for col, text in enumerate(texts):
            _text(ws, row, col, text, styles.number if col in (2, 3) else styles.text)
        _fit_row(ws, row, texts, widths)
    ws.autofilter(header, 0, max(row, header), len(FINDING_HEADINGS) - 1)
    _sheet_setup(ws, header, widths)
