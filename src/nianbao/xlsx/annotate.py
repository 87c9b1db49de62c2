"""An annotated copy of a checked workbook: failing cells in red with a comment, and a first
sheet 「校验意见」 that lists every finding with a link to its cell.

The original is never opened for writing: its bytes are copied to a temporary file, openpyxl
edits the copy, and the copy is renamed into place (fsutil.atomic_output).
"""

from __future__ import annotations

import io
import os
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from nianbao.form.findings import Finding, sorted_findings
from nianbao.outputs import atomic_output, refuse_overwriting_inputs
from nianbao.text import clean

if TYPE_CHECKING:
    from nianbao.form.data import FileReport

SHEET = "校验意见"
SUFFIX = "-校验意见"
AUTHOR = "nianbao"
ANNOTATABLE = (".xlsx", ".xlsm")
ERROR_FILL = "FFC7CE"  # Excel's own "bad" red
WARNING_FILL = "FFEB9C"  # and its "neutral" yellow
_HEADERS = ("序号", "规则", "级别", "工作表", "单元格", "说明")
_WIDTHS = (6, 7, 7, 34, 16, 100)


class CannotAnnotate(Exception):
    """The file cannot get an annotated copy; the message (Chinese) says why and what to do."""


def annotated_name(path: Path) -> str:
    return f"{path.stem}{SUFFIX}{path.suffix.lower()}"


def annotate(
    path: str | os.PathLike[str],
    report: FileReport,
    out_dir: str | os.PathLike[str],
    *,
    name: str | None = None,
) -> Path:
    """Write ``<stem>-校验意见.xlsx`` into ``out_dir`` and return its path.

    Raises CannotAnnotate for formats openpyxl cannot edit (only .xlsx / .xlsm) or a workbook
    it cannot open.
    """
    source = Path(path)
    if source.suffix.lower() not in ANNOTATABLE:
        raise CannotAnnotate(
            f"「{source.name}」不是 .xlsx 文件，无法生成批注副本。请在 Excel 或 WPS 中另存为 .xlsx 后重新校验。"
        )
    target = Path(out_dir) / (name or annotated_name(source))
    refuse_overwriting_inputs(target, [source])
    from openpyxl import load_workbook

    with atomic_output(target) as tmp:
        shutil.copyfile(source, tmp)
        try:
            # Bytes, not the path: openpyxl judges a file by its name's suffix (the copy's is .tmp).
            workbook = load_workbook(
                io.BytesIO(tmp.read_bytes()),
                keep_vba=source.suffix.lower() == ".xlsm",
                keep_links=True,
            )
        except Exception as error:  # openpyxl fails in many ways on odd files
            raise CannotAnnotate(
                f"「{source.name}」无法用于生成批注副本（文件结构 openpyxl 无法处理）。请直接按上面列出的意见修改原文件。"
            ) from error
        mark_cells(workbook, report.findings)
        add_findings_sheet(workbook, report.findings)
        # openpyxl drops the cached results of formulas: have Excel/WPS recompute on opening.
        workbook.calculation.fullCalcOnLoad = True
        workbook.save(tmp)
    return target


def mark_cells(workbook: Any, findings: Sequence[Finding]) -> None:
    """Red (errors) or yellow (warnings) fill and a comment on every cell a finding names."""
    from openpyxl.comments import Comment
    from openpyxl.styles import PatternFill

    by_cell: dict[tuple[str, str], list[Finding]] = {}
    for finding in findings:
        if finding.sheet in workbook.sheetnames:
            for a1 in finding.cells:
                by_cell.setdefault((finding.sheet, a1), []).append(finding)
    for (sheet, a1), cell_findings in by_cell.items():
        try:
            cell = workbook[sheet][a1]
        except (ValueError, KeyError):
            continue
        if not hasattr(cell, "comment"):  # inside a merged range: mark its top-left cell
            cell = _merged_anchor(workbook[sheet], a1) or cell
            if not hasattr(cell, "comment"):
                continue
        error = any(f.is_error for f in cell_findings)
        colour = ERROR_FILL if error else WARNING_FILL
        cell.fill = PatternFill(fill_type="solid", start_color=colour, end_color=colour)
        text = "\n".join(
            f"[{f.rule.id} {f.level.chinese}] {clean(f.message)}" for f in cell_findings
        )
        if cell.comment is not None and cell.comment.text:
            text = f"{cell.comment.text}\n{text}"
        comment = Comment(text, AUTHOR)
        comment.width, comment.height = 420, min(60 + 50 * len(cell_findings), 400)
        cell.comment = comment


def _merged_anchor(sheet: Any, a1: str) -> Any:
    for merged in sheet.merged_cells.ranges:
        if a1 in merged:
            return sheet.cell(merged.min_row, merged.min_col)
    return None


def add_findings_sheet(workbook: Any, findings: Sequence[Finding]) -> None:
    """First sheet 「校验意见」: one row per finding, the cell column linked to the cell."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.worksheet.hyperlink import Hyperlink

    if SHEET in workbook.sheetnames:  # annotating an annotated copy again
        del workbook[SHEET]
    sheet = workbook.create_sheet(SHEET, 0)
    for col, (header, width) in enumerate(zip(_HEADERS, _WIDTHS, strict=True), start=1):
        _text(sheet.cell(1, col), header).font = Font(bold=True)
        sheet.column_dimensions[sheet.cell(1, col).column_letter].width = width
    ordered = sorted_findings(findings)
    if not ordered:
        _text(sheet.cell(2, 1), "未发现问题。")
    for row, finding in enumerate(ordered, start=2):
        values = (
            str(row - 1),
            finding.rule.id,
            finding.level.chinese,
            finding.sheet or "",
            ",".join(finding.cells),
            clean(finding.message),
        )
        for col, value in enumerate(values, start=1):
            cell = _text(sheet.cell(row, col), value)
            cell.alignment = Alignment(wrap_text=col == 6, vertical="top")
        if finding.sheet in workbook.sheetnames and finding.cells:
            link = sheet.cell(row, 5)
            quoted = finding.sheet.replace("'", "''")
            link.hyperlink = Hyperlink(
                ref=link.coordinate, location=f"'{quoted}'!{finding.cells[0]}"
            )
            link.font = Font(color="0563C1", underline="single")
    sheet.freeze_panes = "A2"
    for other in workbook.worksheets:
        other.sheet_view.tabSelected = False
    workbook.active = 0
    sheet.sheet_view.tabSelected = True


def _text(cell: Any, value: str) -> Any:
    """Write ``value`` as plain text: a message that starts with = must never become a formula."""
    cell.value = value
    cell.data_type = "s"
    return cell
