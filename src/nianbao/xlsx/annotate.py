"""An annotated copy of a checked workbook: failing cells in red with a comment, and a first
sheet 「校验意见」 that lists every finding with a link to its cell.

The original is never opened for writing: its bytes are copied to a temporary file, openpyxl
edits the copy, and the copy is renamed into place (fsutil.atomic_output).
"""

from __future__ import annotations

import io
import os
import re
import shutil
import zipfile
from collections.abc import Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape

from nianbao.form.a1 import cell_name, parse_cell_name
from nianbao.form.findings import Finding, sorted_findings
from nianbao.form.layout import ANNOTATION_HEADERS, ANNOTATION_SHEET
from nianbao.outputs import atomic_output, refuse_overwriting_inputs
from nianbao.text import clean
from nianbao.xlsx.styles import wrapped_lines

if TYPE_CHECKING:
    from nianbao.form.data import FileReport

SHEET = ANNOTATION_SHEET
SUFFIX = "-校验意见"
AUTHOR = "nianbao"
ANNOTATABLE = (".xlsx", ".xlsm")
ERROR_FILL = "FFC7CE"  # Excel's own "bad" red
WARNING_FILL = "FFEB9C"  # and its "neutral" yellow
ACCEPTED_FILL = "DDEBF7"  # pale blue: explained (--accept), no longer counted
_HEADERS = (*ANNOTATION_HEADERS, "已说明的理由")
_WIDTHS = (6, 7, 10, 24, 14, 70, 28)
_LINE_HEIGHT = 15.0  # points per line of 11 pt text


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
    _check_size(source)
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
        _print_in_colour(workbook)
        _title_pages(workbook[SHEET], report, source)
        # openpyxl drops the cached results of formulas: have Excel/WPS recompute on opening,
        # and put the source's results back for a viewer that shows stored values only
        workbook.calculation.fullCalcOnLoad = True
        workbook.save(tmp)
        parts = {ws.title: ws.path.lstrip("/") for ws in workbook.worksheets if ws.title != SHEET}
        _keep_results(tmp, source, parts)
    return target


# A formula cell as openpyxl writes it, its result dropped: <c r="D5" s="3"><f>…</f><v></v></c>.
_DROPPED = re.compile(
    rb'<c r="([A-Z]{1,3}[0-9]{1,7})"([^>]*)>(<f[^>]*/>|<f[^>]*>[^<]*</f>)<v></v></c>'
)
_TYPE = re.compile(rb'\st="[^"]*"')


def _keep_results(copy: Path, source: Path, parts: dict[str, str]) -> None:
    """Give the formulas of ``copy`` (openpyxl's save of ``source``; ``parts``: sheet name ->
    its worksheet part) the results ``source`` stored: Excel's Protected View, in which an
    e-mailed attachment opens, and previews show stored results without computing, so the copy
    sent back to a unit would show its totals, and any figure it typed as a formula, blank.
    A result that is not a number, a text or a truth value is left out (Excel computes it).
    Should the source's results not be read, the copy stays as openpyxl wrote it: Excel still
    computes its formulas on opening (fullCalcOnLoad), and no half-rewritten copy is left."""
    from openpyxl import load_workbook

    try:
        stored = load_workbook(io.BytesIO(source.read_bytes()), data_only=True, read_only=True)
        try:
            results = {
                name: {
                    cell.coordinate: cell.value
                    for row in stored[name].iter_rows()
                    for cell in row
                    if getattr(cell, "value", None) is not None
                }
                for name in parts
                if name in stored.sheetnames
            }
        finally:
            stored.close()
    except Exception:  # openpyxl fails in many ways on odd files; the copy itself is written
        return
    by_part = {part: results[name] for name, part in parts.items() if name in results}
    rewritten = io.BytesIO()
    with zipfile.ZipFile(copy) as archive, zipfile.ZipFile(rewritten, "w") as out:
        for info in archive.infolist():
            data = archive.read(info)
            if info.filename in by_part:
                data = _DROPPED.sub(partial(_with_result, by_part[info.filename]), data)
            out.writestr(info, data)
    copy.write_bytes(rewritten.getvalue())  # the temporary copy, renamed into place after


def _with_result(values: dict[str, object], match: re.Match[bytes]) -> bytes:
    """The cell ``match`` found with its result from ``values`` (A1 -> the source's result)."""
    from openpyxl.cell.cell import ERROR_CODES

    value = values.get(match[1].decode())
    attributes = _TYPE.sub(b"", match[2])
    if isinstance(value, bool):
        kind, text = b' t="b"', b"1" if value else b"0"
    elif isinstance(value, int | float):
        kind, text = b"", repr(value).encode()
    elif isinstance(value, str):
        kind = b' t="e"' if value in ERROR_CODES else b' t="str"'
        text = escape(value).encode()
    else:
        return match[0]
    return b'<c r="%s"%s%s>%s<v>%s</v></c>' % (match[1], attributes, kind, match[3], text)


# openpyxl holds every stored cell as an object (about 1 KB each, and 0.1 ms to load and save):
# the largest workbook nianbao itself writes, a summary listing 500 units, stores about 130,000.
ANNOTATE_MAX_CELLS = 150_000


def _check_size(source: Path) -> None:
    """Refuse, before openpyxl loads it, a workbook beyond reading's limits (preflight) or with
    more stored cells than an annotated copy can be made of in reasonable time and memory."""
    from nianbao.sources.preflight import UnreadableFile, preflight
    from nianbao.sources.sheetxml import worksheet_xml

    try:
        preflight(source)
    except UnreadableFile as problem:
        raise CannotAnnotate(problem.finding.message) from None
    total = 0
    for sheet, read in worksheet_xml(source).items():
        xml = read()
        cells = xml.count(b"<c ") + xml.count(b"<c>") + xml.count(b":c ") + xml.count(b":c>")
        total += cells
        if total > ANNOTATE_MAX_CELLS:
            raise CannotAnnotate(
                f"「{source.name}」的工作表「{sheet}」存有 {cells:,} 个单元格（一份报表通常不足 1,000 个），"
                "超出生成批注副本的限度。可能是表格下方或右侧的大片区域留有内容或格式：请删除多余的行列后"
                "重新保存再校验，或直接按上面列出的意见修改原文件。"
            )


def mark_cells(workbook: Any, findings: Sequence[Finding]) -> None:
    """Red (errors) or yellow (warnings) fill and a comment on every cell a finding names.

    A cell covered by a merge cannot hold a comment (Excel shows only the merge's top-left
    cell): its findings go on that anchor, each line saying which cell it is about.
    """
    from openpyxl.comments import Comment
    from openpyxl.styles import PatternFill

    by_cell: dict[tuple[str, str], list[tuple[str, Finding]]] = {}
    for finding in findings:
        if finding.sheet is not None and finding.sheet in workbook.sheetnames:
            for a1 in finding.cells:
                try:
                    anchor = _merged_anchor(workbook[finding.sheet], a1)
                except ValueError:  # not a cell reference
                    continue
                by_cell.setdefault((finding.sheet, anchor), []).append((a1, finding))
    for (sheet, anchor), cell_findings in by_cell.items():
        cell = workbook[sheet][anchor]
        counted = [f for _, f in cell_findings if not f.accepted]
        if any(f.is_error for f in counted):
            colour = ERROR_FILL
        else:
            colour = WARNING_FILL if counted else ACCEPTED_FILL
        cell.fill = PatternFill(fill_type="solid", start_color=colour, end_color=colour)
        if isinstance(cell.value, int | float) and not isinstance(cell.value, bool):
            # The template's "0" format would show 1.5 as 2: the wrong decimal must be seen.
            cell.number_format = "General"
        lines: list[str] = []
        for a1, finding in cell_findings:
            line = _comment_line(finding)
            if a1 != anchor:
                line = f"{a1}（被合并进本格）：{line}"
            if line not in lines:  # a finding naming two cells of one merge: said once
                lines.append(line)
        text = "\n".join(lines)
        if cell.comment is not None and cell.comment.text:
            text = f"{cell.comment.text}\n{text}"
        comment = Comment(text, AUTHOR)
        comment.width, comment.height = 420, min(60 + 50 * len(lines), 400)
        cell.comment = comment


def _level(finding: Finding) -> str:
    return finding.level.chinese + ("·已说明" if finding.accepted else "")


def _comment_line(finding: Finding) -> str:
    line = f"[{finding.rule.id} {_level(finding)}] {clean(finding.message)}"
    return line + (f" 说明：{clean(finding.explanation or '')}" if finding.accepted else "")


def _print_in_colour(workbook: Any) -> None:
    """The template prints its tables in black and white (they look like the official form);
    the red, yellow and blue marks of an annotated copy must print."""
    for sheet in workbook.worksheets:
        sheet.page_setup.blackAndWhite = False


def _title_pages(sheet: Any, report: FileReport, source: Path) -> None:
    """校验意见 on A4 landscape, as wide as the page, titled on every page with the unit, the
    file and the date of the check."""
    from datetime import date

    unit = report.ret.unit if report.ret is not None and report.ret.unit else "未填单位"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = sheet.ORIENTATION_LANDSCAPE
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "1:1"
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.page_margins.top = 0.9
    sheet.oddHeader.left.text = _header_text(f"校验意见：{clean(unit)}")
    sheet.oddHeader.left.size = 14
    sheet.oddHeader.left.font = "宋体,Bold"
    sheet.oddHeader.right.text = _header_text(
        f"文件：{clean(source.name)}　校验日期：{date.today():%Y-%m-%d}"
    )
    sheet.oddFooter.center.text = "第 &P 页，共 &N 页"


def _header_text(text: str) -> str:
    return text.replace("&", "&&")


def _merged_anchor(sheet: Any, a1: str) -> str:
    """``a1`` itself, or the top-left cell of the merge that covers it. ValueError for a
    reference that is no cell."""
    r, c = parse_cell_name(a1)  # ValueError for a column, a row or a range
    row, column = r + 1, c + 1
    for merged in sheet.merged_cells.ranges:
        if merged.min_row <= row <= merged.max_row and merged.min_col <= column <= merged.max_col:
            return cell_name(merged.min_row - 1, merged.min_col - 1)
    return cell_name(r, c)


def add_findings_sheet(workbook: Any, findings: Sequence[Finding]) -> None:
    """First sheet 「校验意见」: one row per finding, the cell column linked to the cell."""
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.worksheet.hyperlink import Hyperlink

    if SHEET in workbook.sheetnames:  # annotating an annotated copy again
        del workbook[SHEET]
    sheet = workbook.create_sheet(SHEET, 0)
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    for col, (header, width) in enumerate(zip(_HEADERS, _WIDTHS, strict=True), start=1):
        cell = _text(sheet.cell(1, col), header)
        cell.font = Font(bold=True)
        cell.border = border
        cell.alignment = Alignment(horizontal="center")
        sheet.column_dimensions[cell.column_letter].width = width
    ordered = sorted_findings(findings)
    if not ordered:
        _text(sheet.cell(2, 1), "未发现问题。")
    for row, finding in enumerate(ordered, start=2):
        values = (
            str(row - 1),
            finding.rule.id,
            _level(finding),
            finding.sheet or "",
            ",".join(finding.cells),
            clean(finding.message),
            clean(finding.explanation or ""),
        )
        for col, value in enumerate(values, start=1):
            cell = _text(sheet.cell(row, col), value)
            cell.alignment = Alignment(wrap_text=col in (4, 5, 6, 7), vertical="top")
            cell.border = border
        lines = max(wrapped_lines(v, w) for v, w in zip(values, _WIDTHS, strict=True))
        sheet.row_dimensions[row].height = lines * _LINE_HEIGHT + 4
        if finding.accepted:
            for col in (3, 7):
                sheet.cell(row, col).fill = PatternFill(
                    fill_type="solid", start_color=ACCEPTED_FILL, end_color=ACCEPTED_FILL
                )
        if finding.sheet is not None and finding.sheet in workbook.sheetnames and finding.cells:
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
