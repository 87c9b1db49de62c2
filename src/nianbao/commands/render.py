"""Show check results: Chinese text for people, a stable JSON structure for programs.

The JSON structure is documented in docs/json-format.md; ``JSON_VERSION`` changes only when a
key is removed or changes meaning (adding keys keeps the version).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING

from nianbao.form.findings import Finding, places_text, sorted_findings
from nianbao.text import clean, shown_name

if TYPE_CHECKING:
    from nianbao.form.data import FileReport

JSON_VERSION = 1
STATUSES = ("ok", "warnings", "errors", "unreadable", "skipped")

_LISTED_CELLS = 6  # cells named on a text line; JSON always has them all


def verdict(report: FileReport) -> str:
    """One line that says how the file fared."""
    status = report.status
    if status == "unreadable":
        return "✗ 无法读取"
    if status == "skipped":
        return "— 未读取（不是报表）"
    if status == "errors":
        extra = f"（另有 {report.warnings} 条警告）" if report.warnings else ""
        return f"✗ 有 {report.errors} 个错误{extra}"
    explained = f"，{report.accepted} 条已说明" if report.accepted else ""
    if status == "warnings":
        return f"⚠ 通过（有 {report.warnings} 条警告{explained}）"
    return f"✓ 通过（{report.accepted} 条已说明）" if report.accepted else "✓ 通过"


def finding_line(finding: Finding) -> str:
    """「[E1 错误] 三、…!D5,D6,D28,D29 表三 自然人列：…」; in a document
    「[E5 错误] 表四「行政复议·总计」（第 4 页） 表四 行政复议：…」."""
    where = ""
    if finding.places:
        where = places_text(finding.places) + " "
    elif finding.sheet:
        where = (
            f"{finding.sheet}!{cells_text(finding.cells)} "
            if finding.cells
            else f"{finding.sheet} "
        )
    if finding.accepted:
        return clean(
            f"[{finding.rule.id} {finding.level.chinese}·已说明] {where}{finding.message}"
            f" 说明：{finding.explanation}"
        )
    return clean(f"[{finding.rule.id} {finding.level.chinese}] {where}{finding.message}")


def cells_text(cells: Sequence[str]) -> str:
    """A1 names joined by commas; a long list is cut (the message itself says how many)."""
    if len(cells) <= _LISTED_CELLS:
        return ",".join(cells)
    return ",".join(cells[:_LISTED_CELLS]) + f"…（共 {len(cells)} 格）"


def describe(report: FileReport) -> str:
    """What the file is: unit, year, vintage (for the verdict line)."""
    ret = report.ret
    if ret is None:
        return ""
    parts = [
        ret.unit or "未填单位",
        f"{ret.year} 年度" if ret.year else "年度未填",
        f"{ret.form.vintage}版表式",
    ]
    if ret.kind == "summary":  # a summary among returns would count its units twice
        parts.append(f"汇总表，{ret.members} 个单位")
    return clean("（" + "，".join(parts) + "）")


def file_lines(report: FileReport, notes: Sequence[str] = ()) -> list[str]:
    """One file's verdict line, then its findings (indented, sorted), then ``notes``."""
    lines = [clean(f"{report.path}") + describe(report) + f"：{verdict(report)}"]
    lines += [f"  {finding_line(f)}" for f in sorted_findings(report.findings)]
    lines += [f"  {clean(note)}" for note in notes]
    return lines


def render_text(reports: Sequence[FileReport], notes: dict[str, list[str]] | None = None) -> str:
    """The whole text report. ``notes``: extra lines per file path (e.g. where the annotated copy went)."""
    lines: list[str] = []
    for report in reports:
        lines += file_lines(report, (notes or {}).get(str(report.path), ()))
    lines.append(summary_line(reports))
    # each file may pass, and still a unit sent two: status and merge will ask for one
    from nianbao.checks.status import duplicate_findings

    lines += [clean(f"重复报送：{f.message}") for f in duplicate_findings(reports)]
    return "\n".join(lines) + "\n"


def summary(reports: Sequence[FileReport]) -> dict[str, int]:
    counts = dict.fromkeys(STATUSES, 0)
    for report in reports:
        counts[report.status] += 1
    return {"files": len(reports), **counts}


def summary_line(reports: Sequence[FileReport]) -> str:
    s = summary(reports)
    skipped = f"，未读取（不是报表）{s['skipped']}" if s["skipped"] else ""
    return (
        f"共 {s['files']} 个文件：通过 {s['ok']}，有警告 {s['warnings']}，"
        f"有错误 {s['errors']}，无法读取 {s['unreadable']}{skipped}。"
    )


def file_dict(report: FileReport) -> dict[str, object]:
    ret = report.ret
    return {
        "path": str(report.path),
        "status": report.status,
        "unit": ret.unit if ret else None,
        "year": ret.year if ret else None,
        "vintage": ret.form.vintage if ret else None,
        "document": ret.document if ret else None,
        "errors": report.errors,
        "warnings": report.warnings,
        "accepted": report.accepted,
        "findings": [f.to_dict() for f in sorted_findings(report.findings)],
    }


def to_json_data(reports: Sequence[FileReport]) -> dict[str, object]:
    from nianbao.checks.status import duplicate_findings

    return {
        "version": JSON_VERSION,
        "files": [file_dict(r) for r in reports],
        "summary": summary(reports),
        "duplicates": [f.to_dict() for f in duplicate_findings(reports)],
    }


def render_json(reports: Sequence[FileReport]) -> str:
    return json_text(to_json_data(reports)) + "\n"


def json_text(data: object) -> str:
    """The one way a command prints JSON: every text with a file name's non-UTF-8 bytes shown
    as everywhere else (shown_name), so that the output is UTF-8 whatever the terminal's
    locale (a lone surrogate cannot be written in UTF-8)."""
    return json.dumps(_shown_texts(data), ensure_ascii=False, indent=2)


def _shown_texts(data: object) -> object:
    if isinstance(data, str):
        return shown_name(data)
    if isinstance(data, dict):
        return {_shown_texts(key): _shown_texts(value) for key, value in data.items()}
    if isinstance(data, list | tuple):
        return [_shown_texts(item) for item in data]
    return data


def exit_code(reports: Sequence[FileReport]) -> int:
    """0: no errors (warnings allowed); 1: some error; 2: some file could not be read, or no
    file was a return at all. Files found in folders that are no return (skipped) do not
    count otherwise: they are listed."""
    statuses = {r.status for r in reports}
    if "unreadable" in statuses or statuses <= {"skipped"}:
        return 2
    return 1 if "errors" in statuses else 0
