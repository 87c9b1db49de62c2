"""The coordinator's season around ``check`` and ``merge``: which roster unit each file is for,
last year's returns, explanations, a summary that was sent up. Functions returning results;
``status`` and ``merge`` are built from them in one order:

    check every file (with last year's returns: X1/X3–X6)
    → identify each file's roster unit (单位代码, then name; M06 for a renamed cover, M14 for
      a cover naming another roster unit than the template's code)
    → apply the explanations (已说明; stale ones A01, refused errors A02)
    → submission status → the roster's names for the members.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from nianbao.checks.accept import (
    AcceptOutcome,
    Explanation,
    apply_explanations,
    read_explanations,
)
from nianbao.checks.compare import Reconciliation, YearRow, reconcile, year_row
from nianbao.checks.status import (
    Identification,
    StatusRow,
    SubmissionStatus,
    identify,
    submission_status,
)
from nianbao.checks.units import LastYear, UnitIndex, level_names, of_level
from nianbao.errors import UserError
from nianbao.form.data import FileReport, Return
from nianbao.form.findings import Finding, Rule
from nianbao.outputs import file_key
from nianbao.pipeline.breakdown import read_breakdown
from nianbao.pipeline.check import (
    Inputs,
    Progress,
    check_paths,
    input_files_within,
    load_last_year,
    read_with_members,
)
from nianbao.pipeline.merge import (
    MergeOutcome,
    mark_mixed_summaries,
    merge_reports,
    merge_returns,
    sum_returns,
)
from nianbao.sources.roster import RosterEntry, read_roster
from nianbao.text import DEFAULT_SUMMARY_NAME, show_value, unit_key
from nianbao.xlsx.summary import LIKE_FOR_LIKE, TOTAL_LABEL


@dataclass
class SeasonFiles:
    """What ``status`` and ``merge`` are given besides the returns, read once (a file that
    cannot be used is a UserError before any return is read)."""

    roster: list[RosterEntry] | None
    explanations: list[Explanation] | None
    last_year: LastYear | None
    given: list[str]  # their paths: inputs, never to be written over

    @classmethod
    def read(
        cls,
        *,
        roster: str | None,
        accept: str | None,
        previous: str | None,
        year: int | None,
        also: Sequence[str] = (),
    ) -> SeasonFiles:
        """``also``: more input files the command was given (merge's --compare)."""
        return cls(
            read_roster(roster) if roster else None,
            read_explanations(accept) if accept else None,
            load_last_year(previous, year=year - 1 if year else None) if previous else None,
            [g for g in (roster, accept, previous, *also) if g],
        )

    @property
    def protected(self) -> list[str | Path]:
        """Every file these were read from, last year's folder opened: what an output must
        never replace, even with --force."""
        return [*self.given, *input_files_within(self.given)]


# -- the summaries sent up (--compare) ------------------------------------------------------------


@dataclass(frozen=True)
class SentUp:
    """A summary given to reconcile with (``merge --compare``), read before any return."""

    path: str
    summary: Return
    members: list[Return] | None  # its 分单位明细; None when it has none nianbao can read


def read_sent_up(
    paths: Sequence[str | os.PathLike[str]],
    inputs: Inputs,
    *,
    roster: Sequence[RosterEntry] | None,
    name: str,
) -> list[SentUp]:
    """Each summary of ``--compare``, read and judged before anything is merged or written.

    Refused (UserError): a file that is also among the returns to merge (found in an input
    folder or named as one: taking it out would drop a unit's return from the summary, and
    keeping it would compare the summary with itself), one that cannot be read, and one that is
    no summary (a unit's return given by mistake: comparing it would report a unit as the whole).
    A summary is what nianbao recognises as one (``Return.kind``), or a table that says so: its
    填报单位 or title has 「汇总」 (M09), or its 填报单位 is a roster 上级单位 or ``name``, the
    summary being made (a published report of the same level)."""
    among = _among_inputs(paths, inputs)
    if among:
        shown = "、".join(str(p) for p in among)
        raise UserError(
            f"用 --compare 给出的 {shown} 也在本次要汇总的报表之中（在给出的文件夹里，或在命令中作为报表给出）。"
            "同一个文件不能既作为报表汇总、又作为上报的汇总表来核对，因此没有汇总，也没有写入任何文件。"
            "如果它是下级报来的汇总表，请把它移出收回文件夹后再用 --compare 给出；"
            "如果它是单位的报表，请去掉 --compare。"
        )
    groups = {unit_key(e.parent) for e in roster or () if e.parent} | {unit_key(name)}
    index: UnitIndex[RosterEntry] = UnitIndex(roster or (), lambda e: e.unit, lambda e: e.code)
    sent_up = []
    for path in paths:
        read = read_with_members(Path(path))
        if isinstance(read, Finding):
            raise UserError(f"要核对的上报汇总表（--compare）{path} 无法使用：{read.message}")
        theirs, members = read  # a summary's 分单位明细: read with it, once
        theirs.source = theirs.source or str(path)
        if not _is_summary(theirs, groups):
            raise UserError(_not_a_summary(path, theirs, index))
        if theirs.kind != "summary":  # a table that says it is one: its breakdown is unread
            members = read_breakdown(path, theirs.form, year=theirs.year)
        sent_up.append(SentUp(str(path), theirs, members))
    return sent_up


def _among_inputs(paths: Sequence[str | os.PathLike[str]], inputs: Inputs) -> list[str]:
    """The ``paths`` that are also files to read (the same file, however it is spelled:
    ``outputs.file_key``). A path that does not exist is none of them: reading it says what
    is wrong."""
    keys = {file_key(path): str(path) for path in paths}
    wanted: dict[object, str] = {k: p for k, p in keys.items() if not isinstance(k, str)}
    if not wanted:
        return []
    found = []
    for file in inputs.files:
        hit = wanted.pop(file_key(file), None)
        if hit is not None:
            found.append(hit)
            if not wanted:
                break
    return found


def _is_summary(ret: Return, groups: set[str]) -> bool:
    if ret.kind == "summary" or any(f.rule is Rule.M09 for f in ret.notes):
        return True
    return bool(unit_key(ret.unit)) and unit_key(ret.unit) in groups


def _not_a_summary(path: str | os.PathLike[str], ret: Return, index: UnitIndex[RosterEntry]) -> str:
    entry, _ = index.find_return(ret)
    what = "年度报告" if ret.document else "报表"
    if entry is not None:
        whose = f"名册中「{entry.unit}」的{what}"
    elif ret.unit:
        whose = f"「{ret.unit}」的{what}"
    else:
        whose = f"一份没有填报单位的{what}"
    return (
        f"用 --compare 给出的 {path} 不是汇总表：它是{whose}。"
        "--compare 用来把下级报来的汇总表（或上年公布的汇总表）与本次各单位报表之和逐格核对，"
        "可以核对的是 nianbao merge 生成的汇总表，或填报单位、标题中写明「汇总」，"
        "或填报单位是名册中的上级单位、本次汇总的名称（--name）的表格。"
        "单位的报表请放进收回文件夹一起汇总，不要用 --compare 给出。未汇总，也没有写入任何文件。"
    )


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
        return [r for r in self.reports if r.ret is not None and self.last_year.find(r.ret) is None]

    @property
    def extra_findings(self) -> list[Finding]:
        """Findings about the explanations file itself (A01 stale, A02 refused)."""
        return self.accept.findings if self.accept else []


def summary_name(roster: Sequence[RosterEntry] | None, name: str | None = None) -> str:
    """The name of the summary being made: ``--name``, else the roster's one 上级单位, else
    「汇总」."""
    if name:
        return name
    parents = {entry.parent for entry in roster or ()}
    if len(parents) == 1 and None not in parents:
        return str(parents.pop())
    return DEFAULT_SUMMARY_NAME


def gather(
    files: Inputs | Sequence[Path],
    *,
    roster: list[RosterEntry] | None = None,
    year: int | None = None,
    jobs: int = 1,
    require_unit: bool = False,
    summing: bool = False,
    last_year: LastYear | None = None,
    explanations: Sequence[Explanation] | None = None,
    progress: Progress | None = None,
    one_season: bool = False,
    name: str | None = None,
) -> Season:
    """Check ``files`` and pair them with the roster, last year and the explanations (which
    explain warnings only: an entry for an error is refused, A02, as in ``check``).
    ``one_season``: see ``check_paths`` (status). ``name``: the summary being made (merge's
    ``--name``, else the roster's common 上级单位): a return or report of that level among
    the units' is marked as a summary would be (``mark_mixed_summaries``)."""
    reports = check_paths(
        files,
        year=year,
        jobs=jobs,
        require_unit=require_unit,
        summing=summing,
        previous=last_year,
        progress=progress,
        one_season=one_season,
    )
    identified = identify(reports, roster, name)
    # before the status is made: a summary, or the district's own report, among the units'
    # returns is an error; a return paired with a roster unit is that unit's, whatever its name
    given = name if name and name != DEFAULT_SUMMARY_NAME else None
    level = level_names([given, *(e.parent for e in roster or ())])
    mark_mixed_summaries(reports, level, lambda report: identified.entry(report) is not None)
    for report in reports:  # M06 (a renamed cover), M14 (another roster unit's template)
        report.findings += identified.findings(report)
    accept = None
    if explanations is not None:

        def roster_name(report: FileReport) -> tuple[str | None, ...]:
            entry = identified.entry(report)
            return (entry.unit, entry.code) if entry is not None else ()

        accept = apply_explanations(reports, explanations, names=roster_name)
    status = submission_status(reports, roster, identified)
    # from here on a member goes by the roster's name and code, and its 上级单位 where its cover
    # has none
    for report in reports:
        entry = identified.entry(report)
        if entry is not None and report.ret is not None:
            report.ret = replace(
                report.ret,
                unit=entry.unit,
                code=entry.code or report.ret.code,  # the roster's, were its codes renumbered
                parent=report.ret.parent or entry.parent,  # as 报送情况 shows it
            )
    return Season(reports, roster, identified, status, accept, last_year)


# -- merging a season ---------------------------------------------------------------------------

NO_PARENT = "（未填上级单位）"


@dataclass
class Group:
    """The members under one 上级单位, summed into a summary of their own (``--by-parent``)."""

    name: str
    summary: Return
    members: list[Return]
    status: SubmissionStatus
    findings: list[tuple[str, Finding]]
    year_rows: list[YearRow] | None
    reconciliations: list[Reconciliation] = field(default_factory=list)


@dataclass
class SeasonMerge:
    outcome: MergeOutcome
    year_rows: list[YearRow] | None = None  # per member, the whole summary last
    year_notes: list[str] = field(default_factory=list)
    # each summary given with --compare, reconciled with the total or with its group's sum
    reconciliations: list[Reconciliation] = field(default_factory=list)
    groups: list[Group] = field(default_factory=list)
    # the roster's 上级单位 with no return of their units to sum: no summary of theirs is written
    empty_groups: list[str] = field(default_factory=list)
    # summaries among the returns whose roster units are under several 上级单位: each is summed
    # whole in one group (its file -> that group, the 上级单位 of its units)
    spanning: dict[str, tuple[str, list[str]]] = field(default_factory=dict)

    @property
    def findings(self) -> list[tuple[str, Finding]]:
        """Every finding for 校验问题: the files', the roster's, the explanations', the
        reconciliation's."""
        return self.outcome.findings() + self.extra

    extra: list[tuple[str, Finding]] = field(default_factory=list)


def merge_season(
    season: Season,
    *,
    name: str,
    parent: str | None = None,
    year: int | None = None,
    skip_invalid: bool = False,
    by_parent: bool = False,
    compare: Sequence[SentUp] = (),
) -> SeasonMerge:
    """Merge the season's reports, and compare the result with last year and with summaries
    that were sent up. A blocked merge (errors) gives an outcome without summary and nothing
    else. Raises MergeConflict and UserError as ``merge_reports`` does.

    A summary given in ``compare`` whose 填报单位 names a group (a 上级单位 of the roster: a
    sub-district that sent up its own summary) is reconciled with that group's sum; any other
    with the total (``_sent_up_group``)."""
    outcome = merge_reports(
        season.reports,
        name=name,
        parent=parent,
        year=year,
        roster=season.roster,
        skip_invalid=skip_invalid,
        status=season.status,
    )
    result = SeasonMerge(outcome, extra=[("", f) for f in season.extra_findings])
    summary = outcome.summary
    if summary is None:
        return result
    if season.last_year is not None:
        result.year_rows = _year_rows(season.last_year, summary, outcome.members)
        result.year_notes = _year_notes(season.last_year, outcome.members)
    empty: list[str] = []
    groups = _groups(season, result, empty, name=name, year=year) if by_parent or compare else []
    for sent_up in compare:
        _reconcile_sent_up(result, sent_up, _sent_up_group(sent_up, groups))
    if by_parent:
        result.groups, result.empty_groups = groups, empty
    return result


def _year_rows(last: LastYear, summary: Return, members: Sequence[Return]) -> list[YearRow]:
    """Each member against its last year's return, the like-for-like total when units came
    or went, and the total against last year's."""
    rows = [
        year_row(m.unit or "", m, last.find(m), (last.find(m) or m).source or "") for m in members
    ]
    pairs = [(m, before) for m in members if (before := last.find(m)) is not None]
    if pairs and (len(pairs) < len(members) or last.unmatched(members)):
        # Units came or went: the like-for-like total says more than the whole one.
        now, then = sum_returns([m for m, _ in pairs]), sum_returns([b for _, b in pairs])
        if now is not None and then is not None:
            label = f"{LIKE_FOR_LIKE}（两年都有报表的 {len(pairs)} 个单位）"
            rows.append(year_row(label, now, then, unsure=last.unsure_of(b for _, b in pairs)))
    total = last.total
    unsure = last.unsure(total) if total is not None else None
    rows.append(year_row(f"{TOTAL_LABEL}（{summary.unit}）", summary, total, unsure=unsure))
    return rows


def _sent_up_group(sent_up: SentUp, groups: Sequence[Group]) -> Group | None:
    """The group a summary that was sent up is to be reconciled with: the one its 填报单位
    names, else none (the total). A summary filed by the district itself (「道外区」: an
    earlier run's total, last year's published one) is the total's: the group of the units
    whose 上级单位 is the district is 「道外区（直属单位）」 (``_group_name``)."""
    theirs = sent_up.summary
    return next((g for g in groups if unit_key(g.name) == unit_key(theirs.unit)), None)


def _reconcile_sent_up(result: SeasonMerge, sent_up: SentUp, group: Group | None) -> None:
    """A summary that was sent up against its group's sum (``_sent_up_group``), else against
    the total; a difference is a finding of the merge (and of the group's)."""
    outcome = result.outcome
    assert outcome.summary is not None
    theirs = sent_up.summary
    ours, members = (group.summary, group.members) if group else (outcome.summary, outcome.members)
    found = reconcile(ours, members, theirs, sent_up.members)
    result.reconciliations.append(found)
    if found.agrees:
        return
    result.extra.append((ours.unit or "", _reconcile_finding(found)))
    if group is not None:
        group.findings.append((ours.unit or "", _reconcile_finding(found)))
        group.reconciliations.append(found)


def _year_notes(last: LastYear, members: Sequence[Return]) -> list[str]:
    notes = [last.note] if last.note else []
    without = [m.unit or m.source or "" for m in members if last.find(m) is None]
    if without:
        notes.append(f"没有上年报表的单位 {len(without)} 个：{'、'.join(without)}。")
    gone = [r.unit or r.source or "" for r in last.unmatched(members)]
    if gone:
        notes.append(f"上年有报表、本年未汇总的单位 {len(gone)} 个：{'、'.join(gone)}。")
    return notes


def _reconcile_finding(result: Reconciliation) -> Finding:
    parts = []
    if result.comparable:
        parts.append(result.comparable.rstrip("。"))  # a sentence of its own: joined with 。
    if result.cells:
        shown = "；".join(
            f"{d.description}（{d.a1}）上报 {show_value(d.theirs)}、各单位之和 {show_value(d.ours)}"
            for d in result.cells[:3]
        )
        more = f" 等 {len(result.cells)} 格" if len(result.cells) > 3 else ""
        parts.append(f"{len(result.cells)} 个单元格不同：{shown}{more}")
    if result.only_theirs:
        parts.append(f"只在上报汇总表中的单位：{'、'.join(result.only_theirs)}")
    if result.only_ours:
        parts.append(f"只在本次汇总中的单位：{'、'.join(result.only_ours)}")
    if result.members:
        parts.append(f"数字不同的单位：{'、'.join(m.unit for m in result.members)}")
    return Finding(
        Rule.M07,
        f"上报的汇总表（{result.source}）与各单位报表之和不一致。" + "。".join(parts) + "。"
        "详见「核对上报汇总」工作表。",
        file=result.source,
        operands={"cells": len(result.cells)},
    )


def _groups(
    season: Season, merged: SeasonMerge, empty: list[str], *, name: str, year: int | None
) -> list[Group]:
    """One summary per 上级单位 (the roster's, else the cover's): in roster order, then others;
    the roster's 上级单位 none of whose units has a return to sum are added to ``empty``."""
    outcome = merged.outcome
    # Parents are compared as unit names are (「东片（一）」 is 「东片(一)」), each group named
    # as the roster spells it, else as the first cover does.
    spelled: dict[str, str] = {}  # a group's key -> its name

    def key(parent: str | None) -> str:
        name = parent or NO_PARENT
        spelled.setdefault(unit_key(name), name)
        return unit_key(name)

    # A roster unit without a 上级单位 is in the group of its cover's (as its return is summed
    # below), not in 「（未填上级单位）」: else that group was said to have nothing to sum
    covers: dict[int, str] = {}
    for report in season.reports:
        entry = season.identified.entry(report)
        if entry is not None and report.ret is not None and report.ret.parent:
            covers.setdefault(id(entry), report.ret.parent)
    order = [key(entry.parent or covers.get(id(entry))) for entry in season.roster or ()]
    # A summary among the returns (a 片区's, a bureau's system) that is no roster unit: the
    # 上级单位 its roster units share, when they share one, is its group's (its cover's 上级
    # 单位 is whatever its maker typed, most often none)
    members_under: dict[str, set[str]] = {}  # a summary's file -> its roster units' parents
    for row in outcome.status.rows:
        if row.within and row.file:
            members_under.setdefault(row.file, set()).add(unit_key(row.parent))
    parent_of: dict[int, str] = {}  # a return -> its group's key
    parent_of_file: dict[str, str] = {}  # a file -> its group's key (status rows off the roster)
    for report in season.reports:
        if report.ret is not None:
            entry = season.identified.entry(report)
            under = members_under.get(str(report.path), set())
            if entry is None and len(under) == 1 and (shared := next(iter(under))):
                parent_of[id(report.ret)] = parent_of_file[str(report.path)] = shared
                continue
            parent = (entry.parent if entry is not None else None) or report.ret.parent
            parent_of[id(report.ret)] = parent_of_file[str(report.path)] = key(parent)
    # A 上级单位 that reports itself (a bureau over its own units) heads its group: its return
    # is summed with the units under it, as the bureau's own summary would be, and not again in
    # its parent's group; else merging the groups up counts the bureau in two of them (M01).
    heads = set(spelled)
    for report in season.reports:
        if report.ret is not None and (own := unit_key(report.ret.unit)) in heads:
            parent_of[id(report.ret)] = parent_of_file[str(report.path)] = own
    for file, under in members_under.items():
        parents = sorted(spelled[k] for k in under if k in spelled)
        if len(parents) > 1 and file in parent_of_file:
            merged.spanning[file] = (spelled[parent_of_file[file]], parents)
    rows_by: dict[str, list[StatusRow]] = {}
    for row in outcome.status.rows:
        if unit_key(row.unit) in heads:
            group = unit_key(row.unit)
        elif row.parent:
            group = key(row.parent)
        else:
            group = parent_of_file.get(row.file) or key(None)
        rows_by.setdefault(group, []).append(row)
    others = sorted(set(spelled) - set(order), key=lambda group: spelled[group])
    groups: list[Group] = []
    for group in dict.fromkeys([*order, *others]):
        shown = spelled[group]
        members = [m for m in outcome.members if parent_of.get(id(m)) == group]
        if members:
            rows = rows_by.get(group, [])
            whole = len(members) == len(outcome.members)  # every unit: the total itself
            label = shown if whole else _group_name(shown, name)
            groups.append(_group(label, members, rows, season, merged, name, year))
        else:
            empty.append(shown)
    return groups


def _group_name(parent: str, name: str) -> str:
    """The name of the group of units under ``parent``: the 上级单位 itself, but
    「道外区（直属单位）」 where it is the summary's own place (``name``, or its 人民政府): a
    district's bureaus name the district as theirs, and a group summary filed as 「道外区」
    would pass for the district's total (published as its report, summed for the city). A
    group of every unit summed is the total, and keeps the name."""
    return f"{parent}（直属单位）" if of_level(parent, level_names([name])) else parent


def _group(
    group: str,
    members: list[Return],
    rows: list[StatusRow],
    season: Season,
    merged: SeasonMerge,
    name: str,
    year: int | None,
) -> Group:
    """One 上级单位's summary, with the status rows, findings and year rows of its units."""
    outcome = merged.outcome
    units = {unit_key(r.unit) for r in rows} | {unit_key(m.unit) for m in members}
    files = {r.file for r in rows if r.file}

    def concerns(unit: str, finding: Finding) -> bool:
        return unit_key(unit) in units or (finding.file or "") in files

    status = SubmissionStatus(
        tuple(rows),
        tuple(f for f in outcome.status.findings if concerns(str(f.operands.get("unit", "")), f)),
        sum(1 for r in rows if r.on_roster),
        outcome.status.extra_headings,
    )
    findings = [(unit, f) for unit, f in merged.findings if concerns(unit, f)]
    summary = merge_returns(members, name=group, parent=name, year=year)
    year_rows = None
    if merged.year_rows is not None and season.last_year is not None:
        year_rows = [r for r in merged.year_rows if unit_key(r.unit) in units]
        before = [r for m in members if (r := season.last_year.find(m)) is not None]
        total = sum_returns(before) if before else None
        unsure = season.last_year.unsure_of(before)
        year_rows.append(year_row(f"{TOTAL_LABEL}（{group}）", summary, total, unsure=unsure))
    return Group(group, summary, members, status, findings, year_rows)
