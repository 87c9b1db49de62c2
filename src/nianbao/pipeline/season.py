"""The coordinator's season around ``check`` and ``merge``: which roster unit each file is for,
last year's returns, explanations, a summary that was sent up. Functions returning results;
``status`` and ``merge`` are built from them in one order:

    check every file (with last year's returns: X1/X3–X6)
    → identify each file's roster unit (单位代码, then name; M06 for a renamed cover)
    → apply the explanations (已说明; stale ones A01, refused errors A02)
    → submission status → the roster's names for the members.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from nianbao.checks.accept import AcceptOutcome, Explanation, apply_explanations
from nianbao.checks.status import Identification, SubmissionStatus, identify, submission_status
from nianbao.checks.units import UnitIndex, returns_index
from nianbao.errors import UserError
from nianbao.form.data import FileReport, Number, Return, complete
from nianbao.form.findings import Finding
from nianbao.form.model import Form
from nianbao.pipeline.check import Progress, check_paths, expand_paths, read_one, read_paths
from nianbao.sources.roster import RosterEntry


@dataclass
class LastYear:
    """Last year's returns (``--previous``): by unit, and their total."""

    source: str
    returns: list[Return]
    index: UnitIndex[Return]
    total: Return | None  # last year's summary as given, else the sum of the returns
    note: str = ""  # why there is no total, or where the returns came from

    def find(self, ret: Return) -> Return | None:
        return self.index.find_return(ret)[0]


def load_last_year(path: str | os.PathLike[str], *, year: int | None = None) -> LastYear:
    """A folder of last year's returns, or last year's summary (its members from its 分单位明细),
    or one return. Unreadable files in a folder are skipped (those units get no cross-year
    checks and are named as having no prior-year return)."""
    source = Path(path)
    if source.is_dir():
        returns = [
            item
            for item in read_paths(expand_paths([source]), year=year)
            if isinstance(item, Return)
        ]
        if not returns:
            raise UserError(f"上年报表文件夹（--previous）{source} 中没有可以读取的统计表。")
        return LastYear(str(source), returns, returns_index(returns), _sum(returns), "")
    item = read_one(source, year=year)
    if isinstance(item, Finding):
        raise UserError(f"上年报表（--previous）无法使用：{item.message}")
    item.source = item.source or str(source)
    if item.kind == "summary":
        members = read_breakdown(source, item.form)
        if members is None:
            return LastYear(
                str(source),
                [],
                returns_index([]),
                item,
                "上年汇总表中没有分单位明细，只能与上年汇总数对比，不能逐个单位核对。",
            )
        return LastYear(str(source), members, returns_index(members), item)
    return LastYear(str(source), [item], returns_index([item]), item)


def _sum(returns: Sequence[Return]) -> Return | None:
    """Last year's total: the cell-wise sum of returns of one vintage (None when mixed)."""
    forms = {r.form.vintage for r in returns}
    if len(forms) != 1:
        return None
    form = returns[0].form
    totals: dict[str, Number] = dict.fromkeys(form.input_keys, 0)
    for ret in returns:
        completed = ret.completed()
        for key in form.input_keys:
            totals[key] += completed[key]
    return Return(form=form, values=dict(complete(form, totals)), kind="summary")


def read_breakdown(path: str | os.PathLike[str], form: Form) -> list[Return] | None:
    """The members of a nianbao summary, read back from its 分单位明细 sheet; None when the
    sheet is absent, left out (too many members) or not in the layout nianbao writes."""
    from nianbao.recognise.normalize import normalize
    from nianbao.sources.grid import GridError, open_grid
    from nianbao.xlsx.summary import BREAKDOWN_SHEET, TAIL_HEADINGS, TOTAL_LABEL, column_headings

    try:
        with open_grid(path) as grid:
            sheet = grid.get(BREAKDOWN_SHEET)
            rows = sheet.rows if sheet is not None else []
    except GridError:
        return None
    width = len(form.cells)
    if len(rows) < 3 or [rows[1][1 + k] if 1 + k < len(rows[1]) else None for k in range(width)] != [
        *column_headings(form)
    ]:
        return None
    tail = {str(rows[0][c]): c for c in range(1 + width, len(rows[0])) if rows[0][c]}
    members: list[Return] = []
    for line in rows[2:]:
        unit = line[0] if line else None
        if not isinstance(unit, str) or unit == TOTAL_LABEL:
            continue
        values = {}
        for k, cell in enumerate(form.cells):
            raw = line[1 + k] if 1 + k < len(line) else None
            values[cell.key] = normalize(raw)[0]
        inputs = {key: values[key] for key in form.input_keys}

        def text(heading: str, line: list = line) -> str | None:
            c = tail.get(heading)
            value = line[c] if c is not None and c < len(line) else None
            return None if value is None else str(value)

        members.append(
            Return(
                form=form,
                values=dict(complete(form, inputs)),
                unit=unit,
                parent=text(TAIL_HEADINGS[0]),
                code=text(TAIL_HEADINGS[1]),
                source=f"{path}（{BREAKDOWN_SHEET}）",
            )
        )
    return members


# -- one pass over the returns ------------------------------------------------------------------


@dataclass
class Season:
    """Every file checked, paired with the roster, explained; and what was noticed on the way."""

    reports: list[FileReport]
    roster: list[RosterEntry] | None
    identified: Identification
    status: SubmissionStatus
    accept: AcceptOutcome | None = None
    last_year: LastYear | None = None

    def without_last_year(self) -> list[FileReport]:
        """Readable returns for which last year's has not been found."""
        if self.last_year is None:
            return []
        return [
            r for r in self.reports if r.ret is not None and self.last_year.find(r.ret) is None
        ]

    @property
    def extra_findings(self) -> list[Finding]:
        """Findings about the explanations file itself (A01 stale, A02 refused)."""
        return self.accept.findings if self.accept else []


def gather(
    files: Sequence[Path],
    *,
    roster: list[RosterEntry] | None = None,
    year: int | None = None,
    jobs: int = 1,
    require_unit: bool = False,
    last_year: LastYear | None = None,
    explanations: Sequence[Explanation] | None = None,
    allow_accepting_errors: bool = True,
    progress: Progress | None = None,
) -> Season:
    """Check ``files`` and pair them with the roster, last year and the explanations."""
    reports = check_paths(
        files,
        year=year,
        jobs=jobs,
        require_unit=require_unit,
        previous=last_year.index if last_year is not None else None,
        progress=progress,
    )
    identified = identify(reports, roster)
    for report in reports:
        renamed = identified.renamed.get(str(report.path))
        if renamed is not None:
            report.findings.append(renamed)
    accept = None
    if explanations is not None:

        def roster_name(report: FileReport) -> tuple[str | None, ...]:
            entry = identified.entry(report)
            return (entry.unit, entry.code) if entry is not None else ()

        accept = apply_explanations(
            reports, explanations, allow_errors=allow_accepting_errors, names=roster_name
        )
    status = submission_status(reports, roster, identified)
    for report in reports:  # from here on a member goes by the roster's name and code
        entry = identified.entry(report)
        if entry is not None and report.ret is not None:
            report.ret = replace(
                report.ret, unit=entry.unit, code=report.ret.code or entry.code
            )
    return Season(reports, roster, identified, status, accept, last_year)
