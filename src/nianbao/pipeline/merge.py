"""Many returns -> one summary return (pure: no Excel).

A summary is itself a return (kind="summary") in the same vintage and layout, so summaries
merge upward: merging two district summaries gives the same values as merging all their
members at once (closure). Only the inputs are summed, from each member's *completed*
values (data.complete: reported totals are never trusted); every derived cell of the
summary is then recomputed, so E1–E5 hold for it whenever they hold for the members.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from itertools import islice
from operator import is_not

from nianbao.checks.engine import variant_findings
from nianbao.checks.status import (
    COPIED_FIGURES,
    COPIED_VALUES,
    LEVEL,
    WARNINGS,
    SameFigures,
    SubmissionStatus,
    duplicates_among,
    marked_as_level,
    sent_by_mistake,
    submission_status,
)
from nianbao.checks.units import of_level
from nianbao.errors import UserError
from nianbao.form.data import (
    FileReport,
    Number,
    Return,
    Value,
    cell_row,
    complete,
    input_values,
    inputs_of,
    numeric,
)
from nianbao.form.findings import Finding, Rule, sorted_findings
from nianbao.form.model import Form
from nianbao.sources.roster import RosterEntry
from nianbao.text import unit_key


class MergeConflict(UserError):
    """The returns cannot be summed together (M01 duplicate unit, M02 vintages, M03 years,
    M13 returns of different units with the same figures)."""

    exit_code = 1

    def __init__(self, findings: Sequence[Finding], after: Sequence[str] = ()) -> None:
        self.findings = list(findings)
        self.after = list(after)
        lines = "\n".join(f"  [{f.rule.id}] {f.message}" for f in self.findings)
        super().__init__("\n".join([f"以下报表不能汇总在一起：\n{lines}", *self.after]))

    def followed_by(self, lines: Sequence[str]) -> MergeConflict:
        """The same conflict, its message followed by ``lines`` (whom to chase)."""
        return MergeConflict(self.findings, [*self.after, *lines])


def sort_returns(returns: Iterable[Return]) -> list[Return]:
    """The canonical order of members: by unit name (as compared), then source file."""
    return sorted(returns, key=lambda r: (unit_key(r.unit), r.unit or "", r.source or ""))


def conflicts(
    returns: Sequence[Return],
    *,
    year: int | None = None,
    figures: bool = False,
    same: SameFigures | None = None,
) -> list[Finding]:
    """Why ``returns`` cannot be merged: L08 a form that cannot be summed cell by cell (a 2021
    表三 with （六） as one row), M02 mixed vintages, M03 mixed years, M01 a unit counted twice
    (two returns of it, or it is a member of two summaries, or of a summary and has its own);
    with ``figures``, M13 returns of different units with the same figures (one return sent
    twice under two names, or copied: checks.status.copied_figures) — a judgement on the
    files a season received (``merge_reports``), not on sums built from given returns;
    ``same``: the returns with the same figures, found already (the submission status's)."""
    ordered = sort_returns(returns)
    findings: list[Finding] = [
        ret.placed(finding).at_file(ret.source or "")
        for ret in ordered
        if ret.form.variant
        for finding in variant_findings(ret, merging=True)
    ]
    if findings:
        return findings
    # said with the rest, so that a folder is put right in one go: a unit counts twice only
    # within one report year, so last year's returns left in add no M01 of their own
    findings = [f for f in (_mixed_vintages(ordered), _mixed_years(ordered, year)) if f]
    return findings + _duplicates(ordered, figures=figures, same=same)


def _mixed_vintages(ordered: Sequence[Return]) -> Finding | None:
    vintages = sorted({r.form.vintage for r in ordered})
    if len(vintages) <= 1:
        return None
    groups = "；".join(
        f"{v}版：{_names(r for r in ordered if r.form.vintage == v)}" for v in vintages
    )
    return Finding(
        Rule.M02,
        f"这些报表使用了不同版本的表式（{groups}），不同版本的表格不能逐格相加。"
        "请让使用旧版表式的单位改用本年度的官方模板重新填报。",
        operands={"vintages": vintages},
    )


def _mixed_years(ordered: Sequence[Return], year: int | None) -> Finding | None:
    years = sorted({r.year for r in ordered if r.year is not None} | ({year} if year else set()))
    if len(years) <= 1:
        return None
    groups = "；".join(
        f"{y}年：{_names(r for r in ordered if r.year == y)}"
        if any(r.year == y for r in ordered)
        else f"要求 {y} 年（--year）"
        for y in years
    )
    return Finding(
        Rule.M03,
        f"这些报表的报告年度不一致（{groups}），不能汇总。请只汇总同一年度的报表，"
        "或核对封面上的报告年度。",
        operands={"years": years},
    )


def _duplicates(
    ordered: Sequence[Return], *, figures: bool, same: SameFigures | None
) -> list[Finding]:
    """M01 for each unit counted more than once: a unit with more than one return (units
    compared by text.unit_key), or a unit listed in a summary's 分单位明细 and again in
    another summary or in its own return (summaries merged upward must not overlap); M13 for
    returns of different units whose figures are the same (the same figures counted twice)."""
    files = [r.source or "（未知文件）" for r in ordered]
    return duplicates_among(ordered, files, figures=figures, same=same)


def merge_returns(
    returns: Sequence[Return],
    *,
    name: str,
    parent: str | None = None,
    year: int | None = None,
    figures: bool = False,
    same: SameFigures | None = None,
) -> Return:
    """The cell-wise sum of ``returns`` as one summary return named ``name``.

    Raises MergeConflict (findings M01/M02/M03; M13 with ``figures``, see ``conflicts``) when
    the returns cannot be summed together, and UserError when there is nothing to merge. The
    result does not depend on the order of ``returns``. ``same``: see ``conflicts``.
    """
    if not returns:
        raise UserError("没有可以汇总的报表。")
    found = conflicts(returns, year=year, figures=figures, same=same)
    if found:
        raise MergeConflict(found)
    form = returns[0].form
    # Only inputs are summed; totals are derived afterwards. Exact arithmetic needs no order.
    totals = column_sums(form, [ret.values for ret in returns])
    # conflicts() has made sure the members agree on the year.
    summary_year = (
        year if year is not None else next((r.year for r in returns if r.year is not None), None)
    )
    return Return(
        form=form,
        values=dict(complete(form, totals)),
        unit=name,
        parent=parent,
        year=summary_year,
        kind="summary",
        members=sum(r.members for r in returns),
    )


def sum_returns(returns: Sequence[Return]) -> Return | None:
    """The cell-wise sum of ``returns`` as a summary listing them, with none of merge's
    conflict checks (last year's returns, as they were); None when they are of several forms."""
    if not returns or len({r.form for r in returns}) != 1:
        return None
    form = returns[0].form
    return Return(
        form=form,
        values=dict(complete(form, column_sums(form, [r.values for r in returns]))),
        kind="summary",
        members=sum(r.members for r in returns),
        member_names=tuple(r.unit or r.source or "" for r in returns),
    )


def column_sums(form: Form, many: Iterable[Mapping[str, Value]]) -> dict[str, Number]:
    """Input key -> the exact sum of that cell over ``many`` (blank and text count as 0).

    The cells of a few thousand members at a time, turned into columns by ``zip`` and each
    input column summed by the builtin ``sum`` (C loops over ints and Decimals): 100,000
    returns in a few tenths of a second, where adding member by member into a dict took 2-3 s.
    A member's row is its CellValues' own list (no copy); a column with blanks is summed
    without them, in C too. Chunks keep the columns' memory small; the sums are exact, so
    their order does not matter.
    """
    inputs = inputs_of(form)
    totals: list[Number] = [0] * len(form.input_keys)
    rows = (cell_row(form, values) for values in many)
    while chunk := list(islice(rows, _SUM_CHUNK)):
        for k, column in enumerate(inputs(list(zip(*chunk, strict=True)))):
            try:
                totals[k] += sum(column)  # numbers only: the usual column
            except TypeError:  # a blank (None) or text in the column
                try:
                    totals[k] += sum(filter(_not_blank, column))
                except TypeError:  # text: counts as 0
                    totals[k] += sum(map(numeric, column))
    return dict(zip(form.input_keys, totals, strict=True))


_not_blank = partial(is_not, None)


_SUM_CHUNK = 4_096  # members whose inputs are turned into columns at once


def _names(returns: Iterable[Return], limit: int = 3) -> str:
    """The files of ``returns`` (else their units), the first few of them."""
    labels = [r.source or r.label for r in returns]
    shown = "、".join(labels[:limit])
    return shown + (f" 等 {len(labels)} 份" if len(labels) > limit else f"（{len(labels)} 份）")


# -- the merge step of the pipeline: checked reports in, a summary (or why not) out ---------------


@dataclass
class MergeOutcome:
    """What ``merge_reports`` decided; the command renders it and writes the summary."""

    reports: list[FileReport]  # every input file, in path order
    excluded: list[FileReport]  # with errors, or unreadable: not summed
    status: SubmissionStatus
    summary: Return | None = None  # None when blocked
    members: list[Return] = field(default_factory=list)  # summed, in the order to list them
    # blocked by errors: what would still stop the merge of the others (M01, M03, M13 …), so
    # that every blocker is said in one run, not one kind per run
    conflicts: list[Finding] = field(default_factory=list)

    @property
    def blocked(self) -> bool:
        return self.summary is None

    @property
    def warned(self) -> int:
        """Files with warnings as the submission status (the summary's 报送情况) counts them:
        with what the roster adds (a unit not on it, M05; a renamed cover, M06)."""
        return sum(
            1 for row in self.status.rows if row.status == WARNINGS and row.file and not row.within
        )

    def findings(self) -> list[tuple[str, Finding]]:
        """Every finding for the 校验问题 sheet, with the unit it concerns."""
        rows: list[tuple[str, Finding]] = []
        for report in self.reports:
            unit = report.ret.unit if report.ret is not None and report.ret.unit else ""
            rows += [(unit, f) for f in sorted_findings(report.findings)]
        rows += [(str(f.operands.get("unit", "")), f) for f in self.status.findings]
        return rows


def mark_mixed_summaries(
    reports: Sequence[FileReport],
    level: Collection[str] = (),
    on_roster: Callable[[FileReport], bool] = lambda report: False,
) -> list[FileReport]:
    """M08 on every summary among unit returns (a summary left in the returns folder by an
    earlier run would count its units twice). Summaries only, or returns only, are fine:
    district summaries merge upward into a city's. ``level``: the unit keys of the summary
    being made (its name, the roster's 上级单位; places only: ``units.level_names``): a return or a
    published report whose 填报单位 is one of them (``of_level``), and that is no roster unit's
    (``on_roster``), is the district's own, its figures the sum of what else is there: marked
    whenever anything else is read. So is a return whose figures are the sum of the others'
    (``sums_of_the_rest``), whatever its name says. Returns the summaries marked (a level's
    report too)."""
    read = [(r, r.ret) for r in reports if r.ret is not None and not marked_as_level(r)]
    own = [
        r
        for r, ret in read
        if ret.kind != "summary" and not on_roster(r) and of_level(ret.unit, level)
    ]
    apart = {id(r) for r in own}
    summed = sums_of_the_rest(
        [r for r, ret in read if ret.kind != "summary" and id(r) not in apart]
    )
    apart |= {id(r) for r in summed}
    others = [r for r, _ in read if id(r) not in apart]
    summaries = [r for r, ret in read if id(r) not in apart and ret.kind == "summary"]
    returns = len(others) - len(summaries)
    marked = own if others else []
    if summaries and returns:
        marked += summaries
    for report in marked + summed:
        ret = report.ret
        assert ret is not None
        if any(f.rule is Rule.M08 for f in report.findings):
            continue  # marked already (pipeline.season marks before the status is made)
        kind = "年度报告" if ret.document else "报表"
        if ret.kind == "summary":
            what = f"是汇总表（{ret.unit or '未填单位'}，{ret.members} 个单位的合计）"
            where = "可能是上次汇总留在输入文件夹中的结果"
            count = f"与 {returns} 份单位报表"
        elif report in summed:
            what = (
                f"的数字逐格等于其余 {len(others)} 份报表之和（填报单位「{ret.unit or '未填单位'}」），"
                "是它们的合计"
            )
            where = f"多半是本级的{kind}或另做的汇总表放进了收回文件夹"
            count = "与它们"
        else:
            what = (
                f"的填报单位「{ret.unit}」是本次汇总的单位（汇总表的名称或名册中的上级单位），"
                f"这是本级的{kind}，数字是各单位的合计"
            )
            where = f"可能是本级的{kind}放进了收回文件夹"
            count = f"与其余 {len(others)} 份报表"
        report.findings.append(
            Finding(
                Rule.M08,
                f"「{report.path}」{what}，不能{count}一起汇总，否则这些单位会被重复计数。"
                f"{where}：请把它移出输入文件夹再汇总；逐级汇总时只给出各下级的汇总表。",
                file=str(report.path),
                operands={"unit": ret.unit, "members": ret.members, LEVEL: ret.kind != "summary"},
            )
        )
    return marked + summed


_SAMPLE = 200  # returns whose figures choose the cell looked at first


def sums_of_the_rest(reports: Sequence[FileReport]) -> list[FileReport]:
    """Those of ``reports`` (unit returns) whose figures are, cell by cell, the sum of all the
    others' of their form and year, and two of the others not blank: the district's own
    return or published report under another name (a report's title), or a summary made by
    hand, which a merge would add to its own units. Only with as many figures not 0, of as
    many values, as a return copied from another's (M13: ``COPIED_FIGURES`` of
    ``COPIED_VALUES``): a few small units' returns (1 + 1 = 2 applications) add up to
    another's by chance.

    Every return is looked at through one cell first, one with a large total among the first
    returns (one comparison); only a return that passes it is compared cell by cell."""
    groups: dict[tuple[Form, int | None], list[FileReport]] = {}
    for report in reports:
        if report.ret is not None:
            groups.setdefault((report.ret.form, report.ret.year), []).append(report)
    found: list[FileReport] = []
    for (form, _), group in groups.items():
        if len(group) < 3:
            continue
        # one cell first, a large one: the sum of the others holds half its total
        sample = [r.ret.values for r in group[:_SAMPLE] if r.ret is not None]
        key = max(form.input_keys, key=lambda k: sum(numeric(v.get(k)) for v in sample))
        column = [numeric(r.ret.values.get(key)) for r in group if r.ret is not None]
        total = sum(column)
        candidates = [r for r, v in zip(group, column, strict=True) if v and 2 * v == total]
        if not candidates:
            continue  # nearly always
        sums = column_sums(form, (r.ret.values for r in group if r.ret is not None))
        totals = [sums[k] for k in form.input_keys]
        for report in candidates:
            assert report.ret is not None
            figures = [numeric(v) for v in input_values(form, report.ret.values)]
            shown = [v for v in figures if v]
            if (
                len(shown) < COPIED_FIGURES
                or len(set(shown)) < COPIED_VALUES
                or any(2 * v != t for v, t in zip(figures, totals, strict=True))
            ):
                continue
            others = [r.ret for r in group if r is not report and r.ret is not None]
            if sum(1 for ret in others if any(map(numeric, input_values(form, ret.values)))) >= 2:
                found.append(report)
    return found


def _sent_again(passed: Sequence[Return], excluded: Sequence[FileReport]) -> list[Finding]:
    """M01 for a unit with a return that passed and another left out for its errors: which
    of them is the unit's cannot be told (the one with errors is often the correction sent
    after), so --skip-invalid must not sum the one that passed as if it were the only one.
    A file sent by mistake (a blank template, another unit's figures: ``sent_by_mistake``)
    is no such correction."""
    summed = {unit_key(r.unit) for r in passed} - {""}
    errored = [
        r.ret
        for r in excluded
        if r.ret is not None and unit_key(r.ret.unit) in summed and not sent_by_mistake(r)
    ]
    if not errored:
        return []
    again = {unit_key(r.unit) for r in errored}
    ordered = sort_returns([*(r for r in passed if unit_key(r.unit) in again), *errored])
    files = [r.source or "（未知文件）" for r in ordered]
    return duplicates_among(ordered, files, members=False, figures=False)


def merge_reports(
    reports: Sequence[FileReport],
    *,
    name: str,
    parent: str | None = None,
    year: int | None = None,
    roster: Sequence[RosterEntry] | None = None,
    skip_invalid: bool = False,
    status: SubmissionStatus | None = None,
) -> MergeOutcome:
    """Sum the reports that passed into one summary named ``name``.

    Any report with errors (or unreadable) blocks the merge unless ``skip_invalid``; then it
    is left out and listed (when none passed, the merge is blocked all the same). ``status``: the submission status when the caller has made it
    already (pipeline.season, which pairs files with the roster by code). Raises MergeConflict
    (M01–M03, M13) and UserError (nothing to merge).
    The same files in any order give the same summary.
    """
    ordered = sorted(reports, key=lambda r: str(r.path))
    mark_mixed_summaries(ordered)
    excluded = [r for r in ordered if r.status in ("errors", "unreadable")]
    passed = [r.ret for r in ordered if r.status in ("ok", "warnings") and r.ret is not None]
    outcome = MergeOutcome(ordered, excluded, status or submission_status(ordered, roster))
    same = outcome.status.same_figures  # the status compared every return read already
    sent_again = _sent_again(passed, excluded)
    if excluded and (not skip_invalid or not passed):
        # nothing passed to sum, --skip-invalid or not: blocked the same way, each file's
        # errors and whom to chase said, never one bare line
        others = conflicts(passed, year=year, figures=True, same=same) if passed else []
        # a unit's M01 may come from both (its copies passed, another left out): said once
        said = {(f.rule, f.message) for f in sent_again}
        outcome.conflicts = sent_again + [f for f in others if (f.rule, f.message) not in said]
        return outcome
    if sent_again:
        raise MergeConflict(sent_again)
    if not passed:
        skipped = sum(r.status == "skipped" for r in ordered)
        parts = [f"{len(excluded)} 份有错误或无法读取"] if excluded else []
        parts += [f"{skipped} 个文件不是报表（未读取）"] if skipped else []
        raise UserError(
            f"没有通过校验的报表可以汇总（共 {len(ordered)} 个文件：{'，'.join(parts)}）。"
        )
    # the files received: returns of different units with the same figures are refused (M13)
    outcome.summary = merge_returns(
        passed, name=name, parent=parent, year=year, figures=True, same=same
    )
    rank = {unit_key(e.unit): i for i, e in enumerate(roster or ())}
    outcome.members = sorted(
        sort_returns(passed), key=lambda r: rank.get(unit_key(r.unit), len(rank))
    )
    return outcome
