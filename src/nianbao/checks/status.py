"""Submission status against a roster (pure): who reported, who passed, who is missing.

Works on the FileReports of ``pipeline.check`` and the roster's RosterEntry rows. Unit names
are compared with text.unit_key.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from nianbao.form.data import FileReport
from nianbao.form.findings import Finding, Rule
from nianbao.sources.roster import RosterEntry
from nianbao.text import unit_key

PASSED = "已报通过"
WARNINGS = "有警告"
ERRORS = "有错误"
MISSING = "未报"

_STATUS_WORDS = {"ok": PASSED, "warnings": WARNINGS, "errors": ERRORS, "unreadable": ERRORS}


@dataclass(frozen=True)
class StatusRow:
    unit: str  # as on the roster, else as on the return; "" when it could not be read
    parent: str
    code: str
    status: str  # 已报通过 / 有警告 / 有错误 / 未报
    errors: int
    warnings: int
    file: str  # "" when not reported
    on_roster: bool


@dataclass(frozen=True)
class SubmissionStatus:
    rows: tuple[StatusRow, ...]
    findings: tuple[Finding, ...]  # M04 (missing) and M05 (not on the roster)
    roster_size: int  # units on the roster (0: no roster given)

    @property
    def has_roster(self) -> bool:
        return self.roster_size > 0

    @property
    def missing(self) -> list[StatusRow]:
        return [row for row in self.rows if row.status == MISSING]

    @property
    def off_roster(self) -> list[StatusRow]:
        return [row for row in self.rows if not row.on_roster and row.unit]

    def count(self, status: str) -> int:
        return sum(1 for row in self.rows if row.status == status)


def reported_unit(report: FileReport, roster_keys: dict[str, str] | None = None) -> str:
    """The unit a file reports for: its cover's 填报单位; for a file that could not be read,
    its file name when that names a roster unit (units often name files after themselves)."""
    if report.ret is not None and report.ret.unit:
        return report.ret.unit
    stem = Path(str(report.path)).stem
    if roster_keys and unit_key(stem) in roster_keys:
        return roster_keys[unit_key(stem)]
    return ""


def submission_status(
    reports: Sequence[FileReport], roster: Sequence[RosterEntry] | None = None
) -> SubmissionStatus:
    """One row per roster unit (in roster order), then units not on the roster, then files
    whose unit could not be told. Without a roster: one row per file."""
    roster = list(roster or [])
    roster_keys = {unit_key(entry.unit): entry.unit for entry in roster}
    by_unit: dict[str, list[FileReport]] = {}
    for report in sorted(reports, key=lambda r: str(r.path)):
        by_unit.setdefault(unit_key(reported_unit(report, roster_keys)), []).append(report)

    rows: list[StatusRow] = []
    findings: list[Finding] = []
    for entry in roster:
        found = by_unit.pop(unit_key(entry.unit), [])
        parent, code = entry.parent or "", entry.code or ""
        if not found:
            rows.append(StatusRow(entry.unit, parent, code, MISSING, 0, 0, "", True))
            findings.append(
                Finding(
                    Rule.M04,
                    f"名册中的单位「{entry.unit}」没有报送统计表。请催报，或确认它是否已并入其他单位。",
                    operands={"unit": entry.unit},
                )
            )
        rows += [_row(r, entry.unit, parent, code, on_roster=True) for r in found]
    unknown = by_unit.pop("", [])
    for key in sorted(by_unit):
        for report in by_unit[key]:
            unit = reported_unit(report)
            row = _row(report, unit, _parent_of(report), "", on_roster=not roster)
            rows.append(row)
            if roster:
                findings.append(
                    Finding(
                        Rule.M05,
                        f"报送单位「{unit}」（{report.path}）不在名册中。请核对封面上的填报单位名称"
                        "是否与名册一致，或把该单位补入名册。",
                        file=str(report.path),
                        operands={"unit": unit},
                    )
                )
    rows += [_row(r, "", "", "", on_roster=False) for r in unknown]
    return SubmissionStatus(tuple(rows), tuple(findings), len(roster))


def _parent_of(report: FileReport) -> str:
    return (report.ret.parent or "") if report.ret is not None else ""


def _row(report: FileReport, unit: str, parent: str, code: str, *, on_roster: bool) -> StatusRow:
    errors = sum(1 for f in report.findings if f.is_error)
    warnings = len(report.findings) - errors
    return StatusRow(
        unit=unit,
        parent=parent,
        code=code,
        status=_STATUS_WORDS.get(report.status, ERRORS),
        errors=errors,
        warnings=warnings,
        file=str(report.path),
        on_roster=on_roster,
    )
