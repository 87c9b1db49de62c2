"""The summary workbook: a valid return of kind "summary" plus the sheets a coordinator prints.

Sheets: 封面 and the statutory tables with the sums (written by the writer, so the summary is
read, checked and merged upward like any return), then 分单位明细 (every member's cells, with
a 合计 row that equals the summary), 报送情况 (the roster status, with the roster's contacts),
校验问题 (every finding, explained ones with their reason), and when asked 与上年对比 and
核对上报汇总. ``write_status_workbook`` writes 报送情况 alone (``nianbao status -o``).

Every sheet prints on A4 landscape: headers repeat on every page, the unit name column repeats
on every page of 分单位明细, whose pages break between column groups (a table's row, or 表四's
复议 and 诉讼), never inside one.

Every text that comes from a user (unit names, file names, messages) is written with
``write_string``: a string cell is never a formula, whatever it starts with.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from nianbao.checks.compare import KEY_FIGURES, SWING_RULE, Reconciliation, YearRow
from nianbao.checks.status import (
    BLANK,
    ERRORS,
    MISSING,
    NOT_READ,
    PASSED,
    STATUS_WORDS,
    UNREADABLE,
    WARNINGS,
    SubmissionStatus,
    copies_note,
)
from nianbao.form.a1 import cell_name
from nianbao.form.data import Number, Return, completed_row, numeric
from nianbao.form.findings import Finding, places_text
from nianbao.form.layout import STATUS_HEADINGS, SUMMARY_SHEETS
from nianbao.form.model import Cell, Form
from nianbao.outputs import atomic_output
from nianbao.text import show_value, text_width
from nianbao.xlsx.rows import MAX_ROWS, RowBlockWorksheet, Styled
from nianbao.xlsx.styles import (
    DEFAULT_FORMAT,
    DERIVED_FILL,
    FAIL_FILL,
    INPUT_FILL,
    wrapped_lines,
)
from nianbao.xlsx.writer import add_return_sheets, cell_number, new_workbook

BREAKDOWN_SHEET, STATUS_SHEET, FINDINGS_SHEET = SUMMARY_SHEETS
# 报送情况's 单位名称 for a file that is no return, and for one whose unit cannot be told
NOT_A_RETURN, UNKNOWN_UNIT = "（不是报表）", "（无法识别单位）"
YEAR_SHEET = "与上年对比"
RECONCILE_SHEET = "核对上报汇总"
NO_LIST = "上报的汇总表没有「分单位明细」，无法核对单位名单"  # the sheet and merge's text
TOTAL_LABEL = "合计"
LIKE_FOR_LIKE = "可比单位合计"  # 与上年对比: the units with a return in both years
# Members 分单位明细 can list: a sheet's rows less the two header rows and the 合计 row.
BREAKDOWN_LIMIT = MAX_ROWS - 3
_LARGE_FROM = 500  # members: a summary written through temporary files, quickly deflated

FINDING_HEADINGS = ("单位", "文件", "规则", "级别", "工作表", "单元格", "说明", "已说明的理由")
_STATUS_FILL = {
    PASSED: "#E2EFDA",
    WARNINGS: INPUT_FILL,
    ERRORS: FAIL_FILL,
    BLANK: FAIL_FILL,
    UNREADABLE: FAIL_FILL,
    NOT_READ: "#D9D9D9",
    MISSING: "#D9D9D9",
}
ACCEPTED_FILL = "#DDEBF7"  # pale blue: explained, no longer counted

# 分单位明细: the unit name first (repeated on every printed page), the data, then these.
TAIL_HEADINGS = ("上级单位", "单位代码", "文件")
_TAIL_WIDTHS = (22.0, 14.0, 30.0)
# and when some members are summaries: the units each of those counts, one per line, so that a
# unit two levels down is still seen when this summary is merged again (M01)
INCLUDES_HEADING = "所含单位"
_INCLUDES_WIDTH = 30.0
_UNIT_WIDTH = 24.0
_DATA_WIDTH = 8.0
LINE_HEIGHT = 14.0

# Printing 分单位明细: A4 landscape at a fixed scale, pages broken between column groups, two
# of 表三's rows (14 columns) on a page. Widths are planned at 10 px per width unit: Excel's
# 宋体 takes 7, LibreOffice's substitute for it measured 9.5 (tests/test_season_print.py), so a
# planned page never overflows into an extra one.
PRINT_SCALE = 72
_PAGE_WIDTH_MM = 297 - 2 * 0.4 * 25.4  # A4 landscape less the 0.4-inch side margins
_PX_PER_UNIT, _PX_PADDING = 10.0, 5.0


def write_summary(
    path: str | os.PathLike[str],
    summary: Return,
    members: Sequence[Return],
    *,
    status: SubmissionStatus | None = None,
    findings: Sequence[tuple[str, Finding]] = (),
    year_rows: Sequence[YearRow] | None = None,
    year_notes: Sequence[str] = (),
    reconciliations: Sequence[Reconciliation] = (),
) -> None:
    """Write the summary workbook atomically.

    ``members`` are the returns summed into ``summary`` (in the order to list them);
    ``findings`` pairs each finding with the unit (or file) it concerns; ``year_rows`` (the
    whole summary last) and ``year_notes`` fill 与上年对比; ``reconciliations`` 核对上报汇总.
    """
    with atomic_output(path) as tmp:
        # Large breakdowns go through temporary files: their XML is ~6 KB a member.
        workbook = new_workbook(tmp, large=len(members) >= _LARGE_FROM)
        add_return_sheets(workbook, summary.form, summary, kind="summary", members=summary.members)
        styles = _Styles(workbook)
        _write_breakdown(workbook, styles, summary, members)
        _write_status(workbook, styles, status, members)
        _write_findings(workbook, styles, findings)
        if year_rows is not None:
            _write_year_on_year(workbook, styles, summary.form, year_rows, year_notes)
        if reconciliations:
            _write_reconcile(workbook, styles, reconciliations)
        workbook.close()


def write_status_workbook(
    path: str | os.PathLike[str],
    status: SubmissionStatus,
    *,
    title: str | None = None,
    notes: Sequence[str] = (),
    copies: Mapping[str, str] | None = None,
) -> None:
    """报送情况 ready to print (``nianbao status -o``), saying what the text output says:
    ``title`` its first line (the counts) and ``notes`` its lines after the units (duplicates,
    units not on the roster with the nearest roster names, whom to chase), both at the top of
    the sheet; ``copies`` per file of a duplicate whether its copies hold the same figures."""
    with atomic_output(path) as tmp:
        workbook = new_workbook(tmp)
        styles = _Styles(workbook)
        _write_status(workbook, styles, status, (), title=title, notes=notes, copies=copies)
        workbook.close()


class _Styles:
    def __init__(self, workbook: Any) -> None:
        def fmt(**props: Any) -> Any:
            return workbook.add_format({**DEFAULT_FORMAT, **props})

        box = {"border": 1, "valign": "vcenter", "text_wrap": True}
        self.title = fmt(bold=True, font_size=14, valign="vcenter")
        # 报送情况's title with the notes under it, in one cell: two runs of text
        self.title_block = fmt(valign="top", text_wrap=True)
        self.title_run = fmt(bold=True, font_size=14)
        self.note_run = fmt(font_size=10)
        self.note = fmt(font_size=10, italic=True, valign="vcenter")
        self.wrapped_note = fmt(font_size=10, valign="top", text_wrap=True)
        self.header = fmt(**box, bold=True, align="center")
        self.text = fmt(**box, align="left")
        self.plain = fmt(border=1, valign="vcenter", align="left")  # one line, no wrapping
        self.unit = fmt(border=1, valign="vcenter", align="left", text_wrap=True)
        self.number = fmt(**box, align="center", num_format="General")
        self.flag = fmt(**box, align="center", bold=True, font_color="#9C0006")
        self.accepted = fmt(**box, align="left", bg_color=ACCEPTED_FILL)
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


def _number(value: Number) -> int | float | str:
    """A formula's cached result (the text of a number beyond a cell's range)."""
    number = cell_number(value)
    return show_value(value) if number is None else number


def _print_setup(ws: Any, header_row: int, widths: Sequence[float], title: str) -> None:
    """A4 landscape, the width on one page, the title and headers on every page."""
    for col, width in enumerate(widths):
        ws.set_column(col, col, width)
    ws.set_row(0, 24)  # the sheet's title, in 14 pt
    ws.freeze_panes(header_row + 1, 1)
    ws.set_paper(9)
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(0, header_row)
    ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    ws.set_header("&R打印日期：&D")
    ws.set_footer(f"&C{_escape(title)} 第 &P 页，共 &N 页")


def _escape(text: str) -> str:
    """Header/footer text: & starts a code there."""
    return text.replace("&", "&&")


# -- 分单位明细 ------------------------------------------------------------------------------


def _group_label(cell: Cell) -> str:
    """The column group a cell belongs to: a table's row (表三 一、本年新收…), or for a table
    without row labels its first column header (表四 行政复议, 表四 行政诉讼)."""
    if cell.row_label:
        return f"{cell.table.short} {cell.row_label}"
    return f"{cell.table.short} {cell.column_path[0].label}"


def column_headings(form: Form) -> tuple[str, ...]:
    """The second header row of 分单位明细: one heading per data cell, in form order (how
    ``pipeline.season.read_breakdown`` recognises the sheet)."""
    return tuple(cell.column_label or cell.table.short for cell in form.cells)


def column_groups(form: Form) -> list[tuple[str, int, int]]:
    """(label, first, last) cell indexes of each column group, in form order."""
    groups: list[tuple[str, int, int]] = []
    for k, cell in enumerate(form.cells):
        label = _group_label(cell)
        if groups and groups[-1][0] == label:
            groups[-1] = (label, groups[-1][1], k)
        else:
            groups.append((label, k, k))
    return groups


def _mm(width: float) -> float:
    """A column's printed width in millimetres (96 px to the inch), at the print scale."""
    return (_PX_PER_UNIT * width + _PX_PADDING) * 25.4 / 96 * PRINT_SCALE / 100


def page_breaks(form: Form, first: int = 1) -> list[int]:
    """Sheet columns where a printed page of 分单位明细 starts: each table on new pages, as many
    whole column groups on a page as fit beside the repeated unit column."""
    room = _PAGE_WIDTH_MM - _mm(_UNIT_WIDTH)
    per_page = max(1, int(room // _mm(_DATA_WIDTH)))
    breaks: list[int] = []
    used, table = 0, None
    for _, start, end in column_groups(form):
        size = end - start + 1
        new_table = form.cells[start].table.code != table
        table = form.cells[start].table.code
        if start and (new_table or used + size > per_page):
            breaks.append(first + start)
            used = 0
        used += size
    breaks.append(first + len(form.cells))  # the tail columns on a page of their own
    return breaks


def _write_breakdown(
    workbook: Any, styles: _Styles, summary: Return, members: Sequence[Return]
) -> None:
    ws = workbook.add_worksheet(BREAKDOWN_SHEET, worksheet_class=RowBlockWorksheet)
    form = summary.form
    cells = form.cells
    first, tail = 1, 1 + len(cells)
    nested = any(m.kind == "summary" or m.counted_names is not None for m in members)
    headings = (*TAIL_HEADINGS, INCLUDES_HEADING) if nested else TAIL_HEADINGS
    widths = (*_TAIL_WIDTHS, _INCLUDES_WIDTH) if nested else _TAIL_WIDTHS
    ws.merge_range(0, 0, 1, 0, "单位名称", styles.header)
    ws.set_column(0, 0, _UNIT_WIDTH)
    for k, (heading, width) in enumerate(zip(headings, widths, strict=True)):
        ws.merge_range(0, tail + k, 1, tail + k, heading, styles.header)
        ws.set_column(tail + k, tail + k, width)
    # Row 0: the column group's label, merged over its columns; row 1: the column label.
    for label, start, end in column_groups(form):
        if end > start:
            ws.merge_range(0, first + start, 0, first + end, label, styles.header)
        else:
            ws.write_string(0, first + start, label, styles.header)
    for k, heading in enumerate(column_headings(form)):
        ws.write_string(1, first + k, heading, styles.header)
    ws.set_column(first, first + len(cells) - 1, _DATA_WIDTH)
    ws.set_row(0, 6 * LINE_HEIGHT)
    ws.set_row(1, 4 * LINE_HEIGHT + 4)  # 法人或其他组织·商业企业 wraps over three lines
    ws.freeze_panes(2, 1)
    ws.set_paper(9)
    ws.set_landscape()
    ws.repeat_rows(0, 1)
    ws.repeat_columns(0, 0)
    ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    ws.set_print_scale(PRINT_SCALE)
    ws.set_v_pagebreaks(page_breaks(form, first))
    ws.print_across()  # all the columns of the first units, then the next units
    ws.set_header(f"&L{_escape(summary.unit or '')} 分单位明细&R{summary.year or ''}年度")
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
    ws.set_column(tail + 2, tail + 2, _file_width([m.source or "" for m in members]))

    def rows(start: int, stop: int) -> Iterator[list[object]]:
        # Written row by row when the workbook closes (xlsx/rows.py): ~0.1 ms a member.
        for ret in members[start:stop]:
            row: list[object] = [
                _or_none(ret.unit),
                *completed_row(form, ret.values),
                _or_none(ret.parent),
                _or_none(ret.code),
                _or_none(ret.source),
            ]
            if nested:
                # a member summary whose units are not known (no 分单位明细) says none
                known = ret.counted_names is not None or ret.member_names is not None
                summed = ret.kind == "summary" and known
                row.append(("\n".join(ret.units_counted()) or None) if summed else None)
            yield row

    # The unit name wraps: it is the one column printed on every page, at a modest width.
    formats = [styles.unit, *[styles.number] * len(cells), *[styles.plain] * len(headings)]
    ws.set_row_block(2, len(members), rows, formats)
    total_row = len(members) + 2
    ws.write_string(total_row, 0, TOTAL_LABEL, styles.total_label)
    for k, cell in enumerate(cells):
        col = first + k
        formula = f"=SUM({cell_name(2, col)}:{cell_name(total_row - 1, col)})" if members else "=0"
        ws.write_formula(
            total_row, col, formula, styles.total, _number(numeric(summary.values[cell.key]))
        )
    ws.autofilter(1, 0, total_row - 1, tail + len(headings) - 1)


def _fit_row(ws: Any, row: int, texts: Sequence[str], widths: Sequence[float]) -> None:
    """A row tall enough for its wrapped texts (LibreOffice and Excel do not size them on open)."""
    height = _row_height(texts, widths)
    if height:
        ws.set_row(row, height)


def _row_height(texts: Sequence[str], widths: Sequence[float]) -> float | None:
    """The height a row of wrapped ``texts`` in columns of ``widths`` needs; None: one line."""
    lines = max(wrapped_lines(t, w) for t, w in zip(texts, widths, strict=True))
    return lines * LINE_HEIGHT + 4 if lines > 1 else None


def _cells_text(cells: Sequence[str], limit: int = 6) -> str:
    shown = "、".join(cells[:limit])
    return shown + (f" 等 {len(cells)} 个" if len(cells) > limit else "")


# -- 报送情况 --------------------------------------------------------------------------------


def _write_status(
    workbook: Any,
    styles: _Styles,
    status: SubmissionStatus | None,
    members: Sequence[Return],
    *,
    title: str | None = None,
    notes: Sequence[str] = (),
    copies: Mapping[str, str] | None = None,
) -> None:
    """The 报送情况 sheet: one row per roster unit and file. ``title`` replaces the counts line
    (``status -o`` gives the text output's); ``notes``, lines printed under the title, in the
    sheet's first row (the units' rows follow the header row, nothing else: a list to filter
    and sort); ``copies``: per file of a unit that sent several, whether they hold the same
    figures."""
    extra: tuple[str, ...] = ()
    copies = copies or {}
    if status is None:
        title = "报送情况（未提供名册：下表只列出已汇总的报表）"
        lines: list[tuple[str, str, str, str, int | None, int | None, str, str]] = [
            (m.unit or "", m.parent or "", m.code or "", "已汇总", None, None, m.source or "", "")
            for m in members
        ]
        extras: list[tuple[str, ...]] = [() for _ in members]
    else:
        counts = "，".join(
            f"{word} {status.count(word)}"
            for word in STATUS_WORDS
            if word != NOT_READ or status.count(word)  # files not read: only when there are
        )
        title = title or f"报送情况（{status.scope}；{counts}）"
        extra = status.extra_headings
        lines = [
            (
                r.unit or (NOT_A_RETURN if r.status == NOT_READ else UNKNOWN_UNIT),
                r.parent,
                r.code,
                r.status,
                None if r.status in (MISSING, NOT_READ) else r.errors,
                None if r.status in (MISSING, NOT_READ) else r.warnings,
                r.file,
                "；".join(
                    p
                    for p in (
                        r.problems,
                        copies_note(status.copies(r.file), copies.get(r.file, "")),
                    )
                    if p
                )
                + (f"（封面名称：{r.cover_name}）" if r.cover_name else ""),
            )
            for r in status.rows
        ]
        extras = [tuple(dict(r.extra).get(h, "") for h in extra) for r in status.rows]
    ws = workbook.add_worksheet(STATUS_SHEET, worksheet_class=RowBlockWorksheet)
    headings = (*STATUS_HEADINGS, *extra)
    widths = (
        24.0,
        16.0,
        12.0,
        10.0,
        6.0,
        6.0,
        min(_file_width([line[6] for line in lines]), 34.0),
        44.0,
        *(_extra_width(h, [e[i] for e in extras]) for i, h in enumerate(extra)),
    )
    header = 1
    for col, heading in enumerate(headings):
        ws.write_string(header, col, heading, styles.header)

    def rows(start: int, stop: int) -> Iterator[tuple[list[object], float | None]]:
        # Written row by row when the workbook closes (xlsx/rows.py): a row per roster unit.
        for line, more in zip(lines[start:stop], extras[start:stop], strict=True):
            unit, parent, code, word, errors, warnings, file, problems = line
            texts = (unit, parent, code, "", "", "", file, problems, *more)
            cells: list[object] = [
                _or_none(unit),
                _or_none(parent),
                _or_none(code),
                Styled(word, styles.status.get(word, styles.number)),
                errors,
                warnings,
                _or_none(file),
                _or_none(problems),
                *map(_or_none, more),
            ]
            yield cells, _row_height(texts, widths)

    formats = [styles.text] * 3 + [styles.number] * 3 + [styles.text] * (2 + len(extra))
    ws.set_row_block(header + 1, len(lines), rows, formats, heights=True)
    ws.autofilter(header, 0, header + len(lines), len(headings) - 1)
    _print_setup(ws, header, widths, STATUS_SHEET)
    if notes:
        _title_with_notes(ws, styles, title, notes, widths)
    else:
        ws.write_string(0, 0, title, styles.title)


_FROZEN_TITLE_LINES = 8  # a taller title (many notes) is not frozen: it would fill the screen


def _title_with_notes(
    ws: Any, styles: _Styles, title: str, notes: Sequence[str], widths: Sequence[float]
) -> None:
    """The title and, under it, ``notes`` in the first row, across the table: printed once,
    above the units (the header row alone repeats on the following pages)."""
    text = "\n".join(notes)
    ws.merge_range(0, 0, 0, len(widths) - 1, "", styles.title_block)
    ws.write_rich_string(
        0, 0, styles.title_run, title, styles.note_run, f"\n{text}", styles.title_block
    )
    lines = wrapped_lines(text, sum(widths))
    ws.set_row(0, 24 + lines * LINE_HEIGHT)
    ws.repeat_rows(1, 1)
    if lines > _FROZEN_TITLE_LINES:
        ws.freeze_panes(0, 1)


def _file_width(names: Sequence[str]) -> float:
    return min(1.15 * max([text_width(n) for n in names] + [10.0]) + 3, 60.0)


def _extra_width(heading: str, values: Sequence[str]) -> float:
    return min(max([text_width(v) for v in values] + [text_width(heading)]) + 2, 30.0)


# -- 校验问题 --------------------------------------------------------------------------------


def _write_findings(
    workbook: Any, styles: _Styles, findings: Sequence[tuple[str, Finding]]
) -> None:
    ws = workbook.add_worksheet(FINDINGS_SHEET, worksheet_class=RowBlockWorksheet)
    if findings:
        accepted = sum(1 for _, f in findings if f.accepted)
        errors = sum(1 for _, f in findings if f.is_error and not f.accepted)
        warnings = len(findings) - errors - accepted
        title = f"校验问题（共 {len(findings)} 条：错误 {errors} 条，警告 {warnings} 条，已说明 {accepted} 条）"
    else:
        title = "校验问题：没有发现问题。"
    ws.write_string(0, 0, title, styles.title)
    header = 1
    for col, heading in enumerate(FINDING_HEADINGS):
        ws.write_string(header, col, heading, styles.header)
    widths = (22.0, 26.0, 6.0, 8.0, 18.0, 14.0, 60.0, 30.0)

    def rows(start: int, stop: int) -> Iterator[tuple[list[object], float | None]]:
        # Written row by row when the workbook closes (xlsx/rows.py): a season of 100,000
        # returns has tens of thousands of findings.
        for unit, finding in findings[start:stop]:
            level = finding.level.chinese + ("·已说明" if finding.accepted else "")
            texts = (
                unit,
                finding.file or "",
                finding.rule.id,
                level,
                finding.sheet or "、".join(dict.fromkeys(p.table for p in finding.places)),
                _cells_text(finding.cells) or places_text(finding.places),
                finding.message,
                finding.explanation or "",
            )
            cells: list[object] = [_or_none(text) for text in texts]
            if finding.accepted:
                cells[3], cells[7] = (Styled(cells[k], styles.accepted) for k in (3, 7))
            yield cells, _row_height(texts, widths)

    formats = [styles.text] * 2 + [styles.number] * 2 + [styles.text] * 4
    ws.set_row_block(header + 1, len(findings), rows, formats, heights=True)
    ws.autofilter(header, 0, header + len(findings), len(FINDING_HEADINGS) - 1)
    _print_setup(ws, header, widths, FINDINGS_SHEET)


# -- 与上年对比 ------------------------------------------------------------------------------


def _write_year_on_year(
    workbook: Any, styles: _Styles, form: Form, rows: Sequence[YearRow], notes: Sequence[str]
) -> None:
    """Per unit (the whole summary last): each key figure this year, last year and the change,
    and the flags (雷同, 波动) with the rule that raised them."""
    ws = workbook.add_worksheet(YEAR_SHEET)
    ws.write_string(0, 0, "与上年对比（关键数字：本年 / 上年 / 增减）", styles.title)
    ws.merge_range(1, 0, 2, 0, "单位名称", styles.header)
    col = 1
    for figure in KEY_FIGURES:
        ws.merge_range(1, col, 1, col + 2, figure.name, styles.header)
        for k, word in enumerate(("本年", "上年", "增减")):
            ws.write_string(2, col + k, word, styles.header)
        col += 3
    flag_col = col
    ws.merge_range(1, flag_col, 2, flag_col, "提示", styles.header)
    widths = [24.0, *([7.0] * (3 * len(KEY_FIGURES))), 26.0]
    row = 3
    for line in rows:
        total = line.unit.startswith((TOTAL_LABEL, LIKE_FOR_LIKE))
        label_fmt = styles.total_label if total else styles.plain
        _text(ws, row, 0, line.unit, label_fmt)
        col = 1
        for figure in KEY_FIGURES:
            now = line.now[figure.name]
            before = None if line.before is None else line.before[figure.name]
            change = line.change(figure.name)
            ws.write_number(row, col, _number(now), styles.number)
            for k, value in ((1, before), (2, change)):
                if value is None and k == 1 and figure.name in line.unsure:
                    # read, but not with certainty: no number, and the note below says why
                    ws.write_string(row, col + k, UNSURE_CELL, styles.flag)
                elif value is None:
                    ws.write_string(row, col + k, "—", styles.number)
                else:
                    ws.write_number(row, col + k, _number(value), styles.number)
            col += 3
        flags = (
            "；".join(line.flags) if line.flags else ("无上年报表" if line.before is None else "")
        )
        _text(ws, row, flag_col, flags, styles.flag if line.flags else styles.text)
        row += 1
    notes = [
        f"提示标准：「雷同」为各项数字与上年报表完全相同（全部为 0 的除外）；「波动」为{SWING_RULE}。",
        *(f"{figure.name}：{figure.meaning(form)}" for figure in KEY_FIGURES),
        *_unsure_notes(rows),
        *_apart_notes(rows, form),
        *notes,
    ]
    row += 1
    for note in notes:
        ws.merge_range(row, 0, row, flag_col, note, styles.wrapped_note)
        _fit_row(ws, row, (note,), (sum(widths),))
        row += 1
    _print_setup(ws, 2, widths, YEAR_SHEET)
    ws.freeze_panes(3, 1)


UNSURE_CELL = "无法确定"  # 与上年对比: last year's figure was not read with certainty


def _apart_notes(rows: Sequence[YearRow], form: Form) -> list[str]:
    """One line per key figure whose cells mean another thing in last year's form."""
    apart = list(dict.fromkeys(name for line in rows for name in line.apart))
    return [
        f"「{name}」：上年报表是另一版表式，该格在上年表中不是「{_meaning(name, form)}」，"
        "含义不同，上年数写作「—」，未作比较。"
        for name in apart
    ]


def _meaning(name: str, form: Form) -> str:
    return next(figure.meaning(form) for figure in KEY_FIGURES if figure.name == name)


def _unsure_notes(rows: Sequence[YearRow]) -> list[str]:
    """One line per row with a last year's figure shown as 无法确定: which, and why."""
    lines = []
    for line in rows:
        if line.unsure:
            said = "；".join(f"「{name}」：{why}" for name, why in line.unsure.items())
            lines.append(
                f"{line.unit}：上年报表中的数字不是读得准的数字，上年数写作「{UNSURE_CELL}」，"
                f"未作比较（{said}）。请核对上年报表。"
            )
    return lines


# -- 核对上报汇总 ----------------------------------------------------------------------------


def _write_reconcile(workbook: Any, styles: _Styles, results: Sequence[Reconciliation]) -> None:
    """Each summary that was sent up, against the sum nianbao computed: every differing cell
    with both figures, then the units in one list and not the other."""
    ws = workbook.add_worksheet(RECONCILE_SHEET)
    headings = ("表", "单元格", "项目", "上报汇总表", "各单位之和", "相差")
    widths = (8.0, 10.0, 70.0, 12.0, 12.0, 10.0)
    ws.write_string(
        0, 0, "核对上报汇总（上报的汇总表与本次由各单位报表计算的和逐格比较）", styles.title
    )
    for col, heading in enumerate(headings):
        ws.write_string(1, col, heading, styles.header)
    row = 2
    for result in results:
        if result.comparable:
            verdict = result.comparable
        elif result.agrees:
            names = "，单位名单也相同" if result.has_list else ""  # else: NO_LIST, below
            verdict = f"一致：与各单位报表之和逐格相同{names}。"
        else:
            verdict = f"不一致：{len(result.cells)} 个单元格不同。"
        line = f"{result.source}：{verdict}"
        ws.merge_range(row, 0, row, len(headings) - 1, line, styles.wrapped_note)
        _fit_row(ws, row, (line,), (sum(widths),))
        row += 1
        for diff in result.cells:
            _text(ws, row, 0, _table_of(diff.sheet), styles.text)
            _text(ws, row, 1, diff.a1, styles.text)
            _text(ws, row, 2, diff.description, styles.text)
            _fit_row(ws, row, ("", "", diff.description), widths[:3])
            for col, value in ((3, diff.theirs), (4, diff.ours), (5, diff.difference)):
                ws.write_number(row, col, _number(value), styles.number)
            row += 1
        for line in _unit_lines(result):
            ws.merge_range(row, 0, row, len(headings) - 1, line, styles.wrapped_note)
            _fit_row(ws, row, (line,), (sum(widths),))
            row += 1
        row += 1
    _print_setup(ws, 1, widths, RECONCILE_SHEET)


def _unit_lines(result: Reconciliation) -> list[str]:
    lines = []
    if not result.has_list and not result.comparable:
        lines.append(f"{NO_LIST}。")
    if result.only_theirs:
        lines.append("只在上报汇总表中的单位：" + "、".join(result.only_theirs))
    if result.only_ours:
        lines.append("只在本次汇总中的单位：" + "、".join(result.only_ours))
    for member in result.members:
        shown = "；".join(
            f"{_table_of(d.sheet)} {d.a1} 上报 {show_value(d.theirs)}、本次 {show_value(d.ours)}"
            for d in member.cells[:8]
        )
        more = f" 等 {len(member.cells)} 格" if len(member.cells) > 8 else ""
        lines.append(f"「{member.unit}」的数字与上报汇总表的分单位明细不同：{shown}{more}")
    return lines


def _table_of(sheet: str) -> str:
    """「表三」 for the sheet 「三、收到和处理政府信息公开申请情况」."""
    return f"表{sheet.split('、')[0]}" if sheet else ""
