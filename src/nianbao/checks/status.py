"""Submission status against a roster (pure): who reported, who passed, who is missing.

Works on the FileReports of ``pipeline.check`` and the roster's RosterEntry rows. Which roster
unit a file is for is decided once, by ``identify`` (checks.units: 单位代码 first, then the name),
and every list — status, merge, groups — uses that decision.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import cache, cached_property
from operator import itemgetter
from typing import NamedTuple, cast

from nianbao.checks.units import (
    UnitIndex,
    above_us,
    begins_with_place,
    code_key,
    county_of,
    file_unit_name,
    last_place,
    member_county,
    place_prefix,
    places_in,
    relative_name,
    without_places,
)
from nianbao.form.data import (
    CellValues,
    FileReport,
    Return,
    Value,
    cell_positions,
    entered_figures,
    nonzero_figures,
)
from nianbao.form.findings import Finding, Rule
from nianbao.form.model import Form
from nianbao.sources.roster import RosterEntry
from nianbao.text import DEFAULT_SUMMARY_NAME, listed, unit_key

PASSED = "已报通过"
WARNINGS = "有警告"
ERRORS = "有错误"
BLANK = "未填写"
MISSING = "未报"
UNREADABLE = "文件无法读取"
NOT_READ = "未读取"  # a file in the returns folder that is no return (Word note, archive…)
STATUS_WORDS = (PASSED, WARNINGS, ERRORS, BLANK, MISSING, UNREADABLE, NOT_READ)  # counted so
# Statuses of units to chase (催报): nothing usable has come in.
TO_CHASE = (MISSING, BLANK, UNREADABLE, NOT_READ)


def status_word(report: FileReport) -> str:
    """How a file counts: unreadable, blank (C04), errors, warnings (explained ones do not
    count) or passed."""
    if report.ret is None:
        return NOT_READ if report.status == "skipped" else UNREADABLE
    if any(f.rule is Rule.C04 and not f.accepted for f in report.findings):
        return BLANK
    errors, warnings, _ = counts(report.findings)
    if errors:
        return ERRORS
    return WARNINGS if warnings else PASSED


def sent_by_mistake(report: FileReport) -> bool:
    """A file that is no return of the unit it is filed under, whatever else that unit sent:
    the blank template sent back (C04: it cannot be a correction of a filled return), or a
    template issued to this unit that another roster unit filled in (M14: the figures are
    that unit's)."""
    return status_word(report) == BLANK or any(
        f.rule is Rule.M14 and not f.accepted for f in report.findings
    )


def copies_note(count: int, advice: str = "") -> str:
    """A duplicate's row: how many returns its unit sent (0: one, no note), and ``advice``
    (whether they hold the same figures)."""
    if not count:
        return ""
    return f"重复报送：本单位共 {count} 份，汇总只能保留一份" + (f"。{advice}" if advice else "")


def counts(findings: Sequence[Finding]) -> tuple[int, int, int]:
    """(errors, warnings, explained): explained findings count as neither."""
    accepted = sum(1 for f in findings if f.accepted)
    errors = sum(1 for f in findings if f.is_error and not f.accepted)
    return errors, len(findings) - accepted - errors, accepted


@dataclass(frozen=True)
class StatusRow:
    unit: str  # as on the roster, else as on the return; "" when it could not be read
    parent: str
    code: str
    status: str  # one of STATUS_WORDS
    errors: int
    warnings: int
    file: str  # "" when not reported
    on_roster: bool
    accepted: int = 0  # findings explained (--accept): shown, not counted
    findings: tuple[Finding, ...] = ()
    extra: tuple[tuple[str, str], ...] = ()  # the roster's other columns (联系人 …)
    cover_name: str = ""  # the name on the cover when it differs from the roster's
    # A roster unit with no return of its own that a received summary counts (``file``): the
    # summary's 填报单位. The row has the summary's verdict and counts, not its findings.
    within: str = ""
    # A summary: how many roster units it counts as members (``counted_in_summaries``).
    members_on_roster: int = 0
    # A roster unit not reported (未报) whose figures only a summary of this season left among
    # the returns counts (M08, a sub-district's: none of its units sent a return of its own):
    # those summaries' files. It cannot be summed, so the unit is still chased, saying so.
    held: tuple[str, ...] = ()

    @property
    def summary_left_in(self) -> bool:
        """Whether the row's file is a summary among the returns (M08: last run's summary
        saved into the folder): to be moved out, not sent back to anyone for correction."""
        return any(finding.rule is Rule.M08 for finding in self.findings)

    @property
    def problems(self) -> str:
        """The file's problems on one line (see ``problem_line``); for a unit counted in a
        summary, where it is counted."""
        if self.within:
            return f"含在「{self.within}」的汇总表中，没有单独的报表（状态和问题数是该汇总表的）"
        found = problem_line(self.findings)
        if self.held:
            held = f"含在汇总表 {listed(list(self.held))} 中，但该汇总表不能汇总（见该文件的问题）"
            return f"{held}；{found}" if found else held
        if self.members_on_roster:
            also = "另" if self.on_roster else ""  # besides its own unit, when on the roster
            counted = f"汇总表，{also}含名册中的 {self.members_on_roster} 个单位"
            return f"{counted}；{found}" if found else counted
        return found


def problem_line(findings: Sequence[Finding]) -> str:
    """Findings on one line: 「E1 本年新收＋上年结转≠…（2 处）；X3 已说明：因清理…」.

    A file that cannot be read says why (its one finding's message); otherwise one item per
    rule, errors first, explained findings last with their reason."""
    if len(findings) == 1 and findings[0].rule.id.startswith("F"):
        return findings[0].message
    counted: dict[Rule, int] = {}
    reasons: dict[Rule, list[str]] = {}
    for finding in findings:
        if finding.accepted:
            reasons.setdefault(finding.rule, [])
            if finding.explanation not in reasons[finding.rule]:
                reasons[finding.rule].append(finding.explanation or "")
        else:
            counted[finding.rule] = counted.get(finding.rule, 0) + 1
    items = [
        f"{rule.id} {rule.title}" + (f"（{n} 处）" if n > 1 else "")
        for rule, n in sorted(
            counted.items(), key=lambda item: (item[0].severity.value != "error", item[0].id)
        )
    ]
    items += [f"{rule.id} 已说明：{'；'.join(texts)}" for rule, texts in reasons.items()]
    return "；".join(items)


# Returns of different units whose entered figures are the same one by one are one return sent
# twice, or copied (M13), once enough of the figures say something: at least COPIED_FIGURES of
# them not 0, with at least COPIED_VALUES different values among those. A return has 166
# figures to enter (either form), in cells whose values vary from unit to unit. A small street
# has none or a handful (no application at all, or one or two: 2–4 figures in 表三, a few counts
# in 表二 — the sample returns of streets have 0, 4 and 5), and two such returns are often alike
# by chance, so they are exempt; so are returns whose figures are all one or two values (a few
# applications, each counted once: 1 in every cell it touches), however many cells they fill.
# Eight or more, each in its own cell, of three values or more, equal one by one, with every
# other cell 0 as well, do not happen by chance: the units that have them (a bureau, a town:
# 12 to 33 figures of 5 to 13 values in the samples) differ in several of them every year.
COPIED_FIGURES = 8
COPIED_VALUES = 3


def same_figures(a: Return, b: Return) -> bool:
    """Whether two returns hold the same figures: the same year and form and every figure the
    unit entered the same (``data.entered_figures``: totals are recomputed whatever the file
    stored, a blank counts as 0) — 「某局(1).xlsx」 beside 「某局.xlsx」 re-saved in another
    program, or one report published as .docx and .html."""
    return a.year == b.year and a.form is b.form and entered_figures(a) == entered_figures(b)


def duplicate_advice(returns: Sequence[Return]) -> str:
    """What the coordinator does about several returns of one unit: copies (``same_figures``)
    are moved aside; versions are asked about. (Returns of different units with the same
    figures, M13, are no copies of one unit's: see ``copied_finding``.)"""
    n = len(returns)
    if all(r.kind == "summary" and r.unit == DEFAULT_SUMMARY_NAME for r in returns):
        return (
            f"这 {n} 份都是没有写明单位名称的汇总表（名称都是默认的「{DEFAULT_SUMMARY_NAME}」），"
            "多半是不同地区的汇总：请在生成每份汇总表时用 --name 写明单位（如 --name 某某区），"
            "重新生成后再汇总。"
        )
    if all(same_figures(returns[0], other) for other in returns[1:]):
        documents = [r.source or r.label for r in returns if r.document]
        if documents and len(documents) < n:
            return (
                f"这 {n} 份的数字完全相同：其中 {listed(documents)} 是年度报告，"
                "多半是本单位把统计表和年度报告一起交来，把年度报告移出文件夹再汇总即可。"
            )
        return f"这 {n} 份的数字完全相同（多半是同一文件的副本），只留一份、把其余移出文件夹再汇总即可。"
    return f"这 {n} 份的数字不同：请向该单位确认哪一份是正确的，只保留一份再汇总。"


def _named_apart(named: Sequence[tuple[str, str]]) -> str:
    """Why hits under different names (name, code) are one unit: their 单位代码, or places."""
    names = list(dict.fromkeys(name for name, _ in named if name))
    if len({unit_key(name) for name in names}) < 2:
        return ""
    codes = {code_key(code) for _, code in named if code_key(code)}
    why = f"单位代码同为 {codes.pop()}" if len(codes) == 1 else "名称只差前面的地名"
    return f"各处的单位名称写法不同（{listed([f'「{n}」' for n in names])}），{why}，是同一单位。"


def _copied_advice(returns: Sequence[Return]) -> str:
    documents = [r.source or r.label for r in returns if r.document]
    sent_again = (
        f"其中 {listed(documents)} 是年度报告，多半是某个单位把统计表和本单位的年度报告一起交来"
        "（报告标题中的单位名称另有写法）；这样的，把年度报告移出文件夹即可。"
        if documents and len(documents) < len(returns)
        else ""
    )
    return (
        "不同单位各自填报，不会恰好填出这么多相同的数字：多半是同一份报表以另一个单位名称又交了一次，"
        f"或一个单位抄用了另一个单位的报表。{sent_again}请向这几个单位核实：同一份报表的，只留一份；"
        "抄用的，请该单位按本单位的实际情况重新填报。"
    )


def duplicate_finding(
    unit: str, returns: Sequence[Return], files: Sequence[str] | None = None
) -> Finding:
    """M01: one unit, several returns (status, check and export list them; merge refuses to sum
    them). ``files``: where each was read, when not its ``source``."""
    files = list(files) if files is not None else [r.source or "（未知文件）" for r in returns]
    return Finding(
        Rule.M01,
        f"单位「{unit}」报送了 {len(returns)} 份报表：{listed(files, limit=10)}。"
        f"{_named_apart([(r.unit or '', r.code or '') for r in returns])}"
        f"{duplicate_advice(returns)}",
        file=files[-1],
        operands={"unit": unit, "files": files},
    )


def duplicate_findings(
    reports: Sequence[FileReport],
    unit: str | None = None,
    *,
    members: bool = True,
    figures: bool = True,
) -> list[Finding]:
    """M01 for each unit with more than one readable return among ``reports``: units by the
    name on the cover (compared with text.unit_key), or all of them ``unit``'s (the files a
    roster unit was paired with). ``members`` (not with ``unit``): also each unit counted
    again in a summary's 分单位明细 (see ``duplicates_among``); ``figures`` (not with
    ``unit``): also M13, returns of different units with the same figures."""
    read = [report for report in reports if report.ret is not None]
    if unit is None:
        returns = [report.ret for report in read if report.ret is not None]
        files = [str(r.path) for r in read]
        return duplicates_among(returns, files, members=members, figures=figures)
    if len(read) < 2 or not unit_key(unit):
        return []
    # returns of different report years are no duplicates (a merge refuses mixed years itself)
    years = Counter(report.ret.year for report in read if report.ret is not None)
    read = [r for r in read if r.ret is not None and years[r.ret.year] > 1]
    if not read:
        return []
    returns = [report.ret for report in read if report.ret is not None]
    return [duplicate_finding(unit, returns, [str(r.path) for r in read])]


def duplicates_among(
    returns: Sequence[Return],
    files: Sequence[str],
    *,
    own: bool = True,
    members: bool = True,
    said: Iterable[Iterable[str]] = (),
    figures: bool = True,
    same: SameFigures | None = None,
) -> list[Finding]:
    """M01 for each unit counted in more than one of ``returns`` (read from ``files``), in the
    order the units are met: with ``own``, a unit's returns (by the name on the cover); with
    ``members``, a unit counted in a summary (its 分单位明细) and again in another summary or
    in its own return, which a merge would count twice. Then, with ``figures``, M13 for each
    set of returns with the same figures (``copied_figures``; ``same``: found already) not
    named together already.

    A unit counted as a member only by files already named together in an M01 (two copies
    of one summary: a duplicate of the summary's unit, found first, or listed in ``said``) is
    not named again for each of its members."""
    position = {file: i for i, file in enumerate(files)}
    named = {frozenset(position[file] for file in group if file in position) for group in said}
    findings = _units_counted_twice(returns, files, named, own=own, members=members)
    if figures:
        findings += copied_figures(returns, files, named, same)
    return findings


def _units_counted_twice(
    returns: Sequence[Return],
    files: Sequence[str],
    named: set[frozenset[int]],
    *,
    own: bool,
    members: bool,
) -> list[Finding]:
    """``duplicates_among``'s M01s; each set of files named adds to ``named``."""
    listing = [ret.kind == "summary" and bool(ret.member_names) for ret in returns]
    if not own and not any(listing):
        return []
    hits: list[_Counted] = []
    for index, ret in enumerate(returns):
        if listing[index]:
            hits += _counted(index, ret)
        elif own_unit := _own(index, ret):
            hits.append(own_unit)
    findings: list[Finding] = []
    shared = _same_units(hits)
    copies = [group for group in shared if not any(hit.member for hit in group)]
    named |= {frozenset(hit.at for hit in group) for group in copies}
    # a summary counted whole (its own unit among the hits) is said before the units inside it
    for group in sorted(shared, key=lambda group: all(hit.member for hit in group)):
        indices = [hit.at for hit in group]
        as_found = [(hit.at, hit.name, hit.member) for hit in group]
        if not any(hit.member for hit in group):
            if not own:
                continue
            found = [returns[i] for i in indices]
            findings.append(duplicate_finding(group[0].name, found, [files[i] for i in indices]))
        elif members and frozenset(indices) not in named:
            codes = [(hit.name, hit.code) for hit in group]
            findings.append(counted_twice(as_found, returns, files, codes))
            named.add(frozenset(indices))  # the units inside, counted by the same files: said
    return findings


class _Counted(NamedTuple):
    """A unit one of the returns compared counts: its own (``member`` False), or a member of a
    summary, with the 单位代码 it was reported under (``code_key``'s), the district or county
    its name places it in (``units.member_county``), that of the summary listing it
    (``context``), and whether its name begins with a place. A tuple: one for each of 100,000
    returns."""

    at: int  # index into the returns compared
    name: str
    key: str  # the name's unit_key
    member: bool
    code: str
    year: int | None
    county: str = ""
    context: str = ""
    placed: bool = False
    area: str = ""  # the place of the summary listing it, of any division (尚志市 too)
    # whether ``county`` and ``placed`` are found: a return's own unit is placed only when
    # another hit shares its name (``_located``), as most of 100,000 names are met once
    located: bool = True


def same_unit_groups(returns: Sequence[Return]) -> list[list[int]]:
    """The returns that are one unit's, two or more each (indices into ``returns``), as
    ``duplicates_among`` tells units: by name with or without places, by code."""
    hits = [hit for index, ret in enumerate(returns) if (hit := _own(index, ret))]
    return [[hit.at for hit in group] for group in _same_units(hits)]


def _own(index: int, ret: Return) -> _Counted | None:
    """The unit ``ret`` is by its cover (None when it names none), not yet ``_located``."""
    key = unit_key(ret.unit)
    if not key:
        return None
    code = code_key(ret.code) if ret.code else ""
    return _Counted(index, ret.unit or "", key, False, code, ret.year, located=False)


def _located(hit: _Counted) -> _Counted:
    """``hit`` with the district its name places it in, and whether it begins with a place."""
    if hit.located:
        return hit
    county = county_of(hit.name)
    placed = bool(county) or begins_with_place(hit.name)
    return hit._replace(county=county, placed=placed, located=True)


def _counted(index: int, ret: Return) -> list[_Counted]:
    """The units summary ``ret`` counts: its members (分单位明细, with their codes), the units
    inside the summaries among them, and its own. A member named without its place is of the
    summary's county when it says only 「区」 (「区财政局」 in 道外区's summary and in 南岗区's
    are two units: ``member_county``)."""
    codes = ret.member_codes or ()
    context, area = county_of(ret.unit), last_place(ret.unit)
    seen: set[str] = set()
    found: list[_Counted] = []
    for position, name in enumerate((*(ret.member_names or ()), *ret.units_counted())):
        key = unit_key(name)
        if not key or key in seen or key == unit_key(ret.unit):
            continue
        seen.add(key)
        code = code_key(codes[position]) if position < len(codes) else ""
        county = member_county(name, ret.unit)
        if context and relative_name(name):
            key = context + key[1:]  # 道外区's 「区财政局」 is 「道外区财政局」
        hit = _Counted(
            index, name, key, True, code, ret.year, county, context, begins_with_place(name), area
        )
        found.append(hit)
    if own := _own(index, ret):
        found.append(own)
    return found


def _same_units(hits: Sequence[_Counted]) -> list[list[_Counted]]:
    """The sets of ``hits`` (two or more, in the order met) that are one unit counted more than
    once within one report year: the same name, or one name with places before it
    (``without_places``), or the same 单位代码 under another name within one place's
    returns (a unit renamed, a corrected return with a longer name: codes are a roster's own
    numbering, 001 in two districts' summaries is two units) — less those surely two units
    (``_two_units``)."""
    same = without_places(hit.key for hit in hits)
    names = [(same.get(hit.key, hit.key), hit.year) for hit in hits]
    # a hit whose name and code no other hit shares is one unit counted once: most of them,
    # left out before grouping (a province's 100,000 returns, one of them sent twice)
    name_counts = Counter(names)
    code_counts = Counter((hit.code, hit.year, hit.area) for hit in hits if hit.code)
    by_name: dict[tuple[str, int | None], list[_Counted]] = {}
    for hit, name in zip(hits, names, strict=True):
        if name_counts[name] > 1 or (hit.code and code_counts[hit.code, hit.year, hit.area] > 1):
            by_name.setdefault(name, []).append(hit)
    # names that share a code are one unit: each name's hits join the first name seen with
    # any of its codes, and a name with the codes of two such names joins those two (codes in
    # the order met: a set's order changed from run to run which name was joined)
    first_with: dict[tuple[str, int | None, str], tuple[str, int | None]] = {}
    joined: dict[tuple[str, int | None], list[_Counted]] = {}
    for name, group in by_name.items():
        codes = list(dict.fromkeys((hit.code, hit.year, hit.area) for hit in group if hit.code))
        targets = list(dict.fromkeys(first_with[c] for c in codes if c in first_with))
        target = targets[0] if targets else name
        for other in targets[1:]:
            joined[target] += joined.pop(other)
            for c, was in first_with.items():
                if was == other:
                    first_with[c] = target
        for c in codes:
            first_with.setdefault(c, target)
        joined.setdefault(target, []).extend(group)
    found: list[list[_Counted]] = []
    for group in joined.values():
        if len(group) > 1:
            found += [part for part in _told_apart(group) if len(part) > 1]
    return found


def _two_units(a: _Counted, b: _Counted) -> bool:
    """Whether two hits of one name are surely two units: their names (or 「区…」 in their
    summaries) place them in two districts; one is placed in a district, the other in a city
    only (the city's own unit) or is a bare name in another district's summary; one names a
    city above the district whose summary lists the other bare; or both are members of two
    places' summaries (districts, county-level cities) under two codes.
    Two bare names in two districts' summaries may be one unit both count: not told apart."""
    if a.county and b.county:
        return a.county != b.county
    for one, other in ((a, b), (b, a)):
        if one.county and other.placed and not other.county:  # 「哈尔滨市教育局」: the city's
            return True
        if other.member and other.context and not other.placed and not other.county:
            if one.county and one.county != other.context:
                return True
            if one.placed and not one.county:  # 「哈尔滨市教育局」: the city's own
                return True
    return (
        a.member
        and b.member
        and bool(a.area and b.area and a.code and b.code)
        and a.area != b.area
        and a.code != b.code
    )


def _told_apart(hits: Sequence[_Counted]) -> list[list[_Counted]]:
    """``hits`` of one name in sets of one unit: linked unless ``_two_units`` (a hit that may
    be either of two units links them, and all are said together)."""
    hits = [_located(hit) for hit in hits]
    parent = list(range(len(hits)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(len(hits)):
        for j in range(i + 1, len(hits)):
            if not _two_units(hits[i], hits[j]):
                parent[root(j)] = root(i)
    sets: dict[int, list[_Counted]] = {}
    for i, hit in enumerate(hits):
        sets.setdefault(root(i), []).append(hit)
    return list(sets.values())


def copied_figures(
    returns: Sequence[Return],
    files: Sequence[str],
    named: Iterable[frozenset[int]] = (),
    same: SameFigures | None = None,
) -> list[Finding]:
    """M13 for each set of ``returns`` (read from ``files``) of one year and form whose entered
    figures (``data.entered_figures``) are the same one by one, at least ``COPIED_FIGURES`` of
    them not 0 and of ``COPIED_VALUES`` different values (blank and nearly blank returns are
    often alike by chance, and so are figures that are all 1), unless the set is
    among files named together already (``named``: indices into ``returns``; an M01 has said
    they are one unit's). In the order of their first file. ``same``: the sets, found already
    among these returns and perhaps others (``SameFigures``)."""
    groups = same.among(returns) if same is not None else _copy_groups(returns)
    said = list(named)
    return [
        copied_finding([returns[i] for i in group], [files[i] for i in group])
        for group in sorted(groups)
        if not any(set(group) <= other for other in said)
    ]


class SameFigures:
    """The sets of returns with the same figures (``copied_figures``), found once and asked of
    any part of the returns: the submission status finds them among every return read, and
    the merge asks again of those it sums, without comparing 100,000 returns a second time.
    Sameness is an equivalence, so the sets among a part are the parts of the sets.

    A return is known by its figures object, form and year: a season renames its returns
    after the status (the roster's name, ``dataclasses.replace``), which keeps all three."""

    def __init__(self, returns: Sequence[Return]) -> None:
        self._held = [ret.values for ret in returns]  # their identities stay theirs
        self._set_of: dict[tuple[int, Form, int | None], int | None] = dict.fromkeys(
            map(_known_as, returns)
        )
        for number, group in enumerate(_copy_groups(returns)):
            for index in group:
                self._set_of[_known_as(returns[index])] = number

    def among(self, returns: Sequence[Return]) -> list[list[int]]:
        """The sets among ``returns`` (indices into it, each in order), two returns or more;
        found anew if one of them is not among the returns this was made of."""
        set_of = self._set_of
        sets: dict[int, list[int]] = {}
        for index, ret in enumerate(returns):
            key = _known_as(ret)
            if key not in set_of:
                return _copy_groups(returns)
            number = set_of[key]
            if number is not None:
                sets.setdefault(number, []).append(index)
        return [indices for indices in sets.values() if len(indices) > 1]


def _known_as(ret: Return) -> tuple[int, Form, int | None]:
    return id(ret.values), ret.form, ret.year


def _copy_groups(returns: Sequence[Return]) -> list[list[int]]:
    """``copied_figures``'s sets, as indices into ``returns``, each in order.

    Every return is looked at once, through a sample of its figures (``_sampled``, about a
    microsecond); only returns whose samples agree are compared further, by their figures
    not 0 and then by all of them. No figures are held for the whole batch (100,000 returns)."""
    coarse: dict[tuple[object, int | None, int], list[int]] = {}
    for index, ret in enumerate(returns):
        sample = tuple(filter(None, _sampled(ret)))  # blank and 0 alike, as in the figures
        coarse.setdefault((ret.form, ret.year, hash(sample)), []).append(index)
    groups: list[list[int]] = []
    for indices in coarse.values():
        if len(indices) < 2:
            continue  # the usual case: no other return has the same sample
        fine: dict[int, list[int]] = {}
        for index in indices:
            figures = nonzero_figures(returns[index])
            if len(figures) >= COPIED_FIGURES and len(set(figures)) >= COPIED_VALUES:
                fine.setdefault(hash(figures), []).append(index)
        for candidates in fine.values():
            if len(candidates) < 2:
                continue
            same: dict[tuple[Value, ...], list[int]] = {}
            for index in candidates:
                same.setdefault(entered_figures(returns[index]), []).append(index)
            groups += [group for group in same.values() if len(group) > 1]
    return groups


_SAMPLE_STRIDE = 5  # every fifth figure: 34 of 166, in each of the three tables


def _sampled(ret: Return) -> tuple[Value, ...]:
    """Some of the figures ``ret``'s unit entered (a blank as it is): equal figures have equal
    samples."""
    form, values = ret.form, ret.values
    if type(values) is CellValues and values.form is form:
        return _sample_getter(form)(values.row)
    return tuple(map(values.get, form.input_keys[::_SAMPLE_STRIDE]))


@cache
def _sample_getter(form: Form) -> Callable[[list[Value]], tuple[Value, ...]]:
    positions = cell_positions(form)
    getter = itemgetter(*(positions[key] for key in form.input_keys[::_SAMPLE_STRIDE]))
    if len(form.input_keys[::_SAMPLE_STRIDE]) == 1:
        return lambda row: (getter(row),)
    return getter


def copied_finding(returns: Sequence[Return], files: Sequence[str]) -> Finding:
    """M13: returns of different units with the same figures (``copied_figures``)."""
    figures = len(nonzero_figures(returns[0]))
    units = [ret.unit or "未填单位" for ret in returns]
    places = [f"{file}（{unit}）" for file, unit in zip(files, units, strict=True)]
    return Finding(
        Rule.M13,
        f"{len(returns)} 份不同单位的报表数字完全相同（{figures} 个不为 0 的数字逐格一致）："
        f"{listed(places, limit=10, sep='；')}。{_copied_advice(returns)}"
        f"核实之前不能汇总：否则这些数字会被计算 {len(returns)} 次。",
        file=files[-1],
        operands={"units": units, "files": list(files), "figures": figures},
    )


def counted_twice(
    hits: Sequence[tuple[int, str, bool]],
    returns: Sequence[Return],
    files: Sequence[str],
    codes: Sequence[tuple[str, str]],
) -> Finding:
    """M01: one unit counted in several inputs of a merge, at least one of them a summary that
    lists it among its members. ``hits``: (index into ``returns`` and ``files``, the name
    there, whether as a member); ``codes``: each hit's name and 单位代码, where known."""
    unit = next((name for _, name, member in hits if not member), hits[0][1])
    places = []
    for index, _, member in hits:
        ret, file = returns[index], files[index]
        if member:
            what = f"{ret.unit or '未填单位'}的汇总表，其分单位明细中有该单位"
        elif ret.kind == "summary":
            what = "该单位的汇总表"
        else:
            what = "该单位的报表"
        places.append(f"{file}（{what}）")
    summaries = [files[index] for index, _, member in hits if member]
    return Finding(
        Rule.M01,
        f"单位「{unit}」同时计入了 {len(hits)} 份报表：{listed(places, limit=10, sep='；')}。"
        f"{_named_apart(codes)}"
        "把它们汇总在一起，该单位的数字会被重复计算，因此不能汇总：同一单位只能计入一份。"
        "请核对各汇总表的分单位明细，确认该单位应归入哪一份，从其余汇总表中去掉它并重新生成后"
        "再汇总（多余的文件，如上次汇总的结果，移出输入文件夹即可）。",
        file=files[hits[-1][0]],
        operands={
            "unit": unit,
            "files": [files[index] for index, *_ in hits],
            "summaries": summaries,
        },
    )


@dataclass(frozen=True)
class Identification:
    """Which roster entry each file is for, and what was noticed on the way."""

    entries: dict[str, RosterEntry]  # file path -> its roster entry
    renamed: dict[str, Finding] = field(default_factory=dict)  # file path -> M06
    nearest: dict[str, list[str]] = field(default_factory=dict)  # file path -> close names
    # file path -> (the roster entry its cover names, M14): a template issued to one roster
    # unit whose cover names another; it stays with the template's unit (``entries``) but
    # counts for neither
    disputed: dict[str, tuple[RosterEntry, Finding]] = field(default_factory=dict)
    # file path -> (roster unit, place): a roster unit's name with another district's place
    # before it (「西城区财政局」 beside the roster's 「财政局」 of 东城区): not that unit
    elsewhere: dict[str, tuple[str, str]] = field(default_factory=dict)

    def entry(self, report: FileReport) -> RosterEntry | None:
        return self.entries.get(str(report.path))

    def findings(self, report: FileReport) -> list[Finding]:
        """What identifying ``report`` adds to its findings: M06 or M14."""
        path = str(report.path)
        found = [self.renamed[path]] if path in self.renamed else []
        return found + ([self.disputed[path][1]] if path in self.disputed else [])


def identify(
    reports: Sequence[FileReport],
    roster: Sequence[RosterEntry] | None,
    name: str | None = None,
) -> Identification:
    """Pair each file with its roster unit: by the template's 单位代码, else the cover's name,
    else the name the template was issued to; an unreadable file, or one that names no unit,
    by its file name. A unit matched by anything but the cover's own name gets M06 showing
    both names — unless the cover names another roster unit (a template passed on to a
    neighbour, who typed its own name): then M14, an error, for the figures are either
    unit's. ``name``: the summary being made (``merge --name``); with the roster's 上级单位 it
    says where the district is, and a name with another district's place before a roster
    unit's is not that unit (``units.foreign_place``)."""
    if not roster:
        return Identification({})
    index = UnitIndex(roster, lambda e: e.unit, lambda e: e.code)
    ours = places_in([name, *(entry.parent for entry in roster)])
    entries: dict[str, RosterEntry] = {}
    renamed: dict[str, Finding] = {}
    nearest: dict[str, list[str]] = {}
    disputed: dict[str, tuple[RosterEntry, Finding]] = {}
    elsewhere: dict[str, tuple[str, str]] = {}
    for report in reports:
        path, ret = str(report.path), report.ret
        if ret is None or not (ret.unit or ret.code or ret.issued):
            # nothing in the file says whose it is: its name, as units name their files, so
            # that the unit is not chased as 未报 (the file is never summed: without a unit on
            # its cover it has C01, an error wherever a unit must be known)
            stem = file_unit_name(path)  # a unit's name, or its code (「230104003.xlsx」)
            entry, _ = index.find(stem, stem)
            if entry is not None:
                entries[path] = entry
            continue
        entry, how = index.find_return(ret)
        moved = how == "code" and entry is not None and _code_moved(index, entry, ret)
        if moved:
            # the template was issued to the unit its cover names, under a code the roster now
            # gives another unit (a unit inserted, the codes after it renumbered): the name's
            assert entry is not None
            code_of = entry
            entry, how = index.find(None, ret.issued)
            assert entry is not None
            renamed[path] = _code_moved_finding(ret.code or "", code_of, entry, path)
            entries[path] = entry
            continue
        if entry is None and (entry := index.by_place(ret.unit, ours)) is not None:
            how = "place"  # 「哈尔滨市道外区财政局」 is the roster's 「道外区财政局」
        if entry is None:
            if (other := index.elsewhere(ret.unit, ours)) is not None:
                elsewhere[path] = (other[0].unit if other[0] else "", other[1])
            nearest[path] = [] if path in elsewhere else index.nearest(ret.unit)
            continue
        entries[path] = entry
        if not ret.unit or unit_key(ret.unit) == unit_key(entry.unit):
            continue
        named = index.find(None, ret.unit)[0] if how == "code" else None
        if named is not None and named is not entry:
            disputed[path] = (named, _borrowed(ret.unit, named, entry, ret.code or "", path))
        else:
            renamed[path] = _renamed(ret.unit, entry, how, path)
    return Identification(entries, renamed, nearest, disputed, elsewhere)


def _code_moved(index: UnitIndex[RosterEntry], by_code: RosterEntry, ret: Return) -> bool:
    """Whether the template's 单位代码 found ``by_code`` only because the roster's codes were
    changed after the templates were issued: the template was issued to another roster unit
    (its identity sheet says which), and the cover names that unit too (or none) — not a
    template passed on to a neighbour (M14: the cover names another unit than it was issued
    to)."""
    issued = unit_key(ret.issued)
    if not issued or issued == unit_key(by_code.unit):
        return False
    named = index.find(None, ret.issued)[0]
    if named is None or named is by_code:
        return False
    return not ret.unit or unit_key(ret.unit) == issued or index.find(None, ret.unit)[0] is named


def _code_moved_finding(code: str, code_of: RosterEntry, entry: RosterEntry, path: str) -> Finding:
    """M06 for a return whose template's 单位代码 the roster now gives another unit."""
    now = f"（名册中本单位的代码是 {entry.code}）" if entry.code else ""
    return Finding(
        Rule.M06,
        f"模板是发给「{entry.unit}」的，其中的单位代码 {code} 在名册中现在是「{code_of.unit}」的{now}："
        f"已按模板下发时的单位名称认定为「{entry.unit}」。名册的单位代码在下发模板之后改动过"
        "（如中间插入了新单位），请核对名册；以后下发模板后请不要再改动已有单位的代码。",
        file=path,
        sheet=None,
        operands={"模板单位代码": code, "名册单位": entry.unit, "单位代码": entry.code},
    )


def _renamed(cover: str, entry: RosterEntry, how: str, path: str) -> Finding:
    prefix = place_prefix(cover, entry.unit)
    by = {
        "code": f"单位代码 {entry.code} ",  # a space before 认定, as around every number
        "place": f"名称（两者只差地名「{prefix}」）"
        if prefix
        else "名称（一处只写「区」「县」，另一处写出了区县的名称）",
    }.get(how, "模板下发时的单位名称")
    return Finding(
        Rule.M06,
        f"封面填报单位为「{cover}」，与名册中的「{entry.unit}」不同；已按{by}认定为「{entry.unit}」。"
        "如单位确已更名，请同时修改名册；否则请把封面改回名册中的名称。",
        file=path,
        sheet=None,
        operands={"封面单位": cover, "名册单位": entry.unit, "单位代码": entry.code},
    )


def _borrowed(cover: str, named: RosterEntry, entry: RosterEntry, code: str, path: str) -> Finding:
    """M14: the cover names roster unit ``named``, the template's code is ``entry``'s."""
    own = f"；「{named.unit}」的是 {named.code}" if named.code else ""
    return Finding(
        Rule.M14,
        f"封面填的是「{cover}」，但这份模板是发给「{entry.unit}」的（模板中的单位代码 {code} "
        f"是名册中「{entry.unit}」的{own}）。这些数字是哪个单位的，无法从文件判断，因此不计入"
        f"任何单位：报送情况中它按单位代码列在「{entry.unit}」名下，为有错误，"
        f"「{named.unit}」没有其他报表的仍列为未报。如果是「{named.unit}」的报表"
        f"（借用了「{entry.unit}」的模板），请「{named.unit}」用本单位的模板重新填报；"
        f"如果是「{entry.unit}」的报表，请把封面上的填报单位改回「{entry.unit}」。",
        file=path,
        sheet=None,
        operands={
            "封面单位": cover,
            "名册单位": named.unit,
            "模板单位": entry.unit,
            "单位代码": code,
        },
    )


@dataclass(frozen=True)
class SubmissionStatus:
    rows: tuple[StatusRow, ...]
    findings: tuple[Finding, ...]  # M04 (missing) and M05 (not on the roster)
    roster_size: int  # units on the roster (0: no roster given)
    extra_headings: tuple[str, ...] = ()  # the roster's other columns, in file order
    # the returns read with the same figures, for the merge to ask of those it sums
    same_figures: SameFigures | None = field(default=None, compare=False, repr=False)

    @property
    def has_roster(self) -> bool:
        return self.roster_size > 0

    @property
    def missing(self) -> list[StatusRow]:
        return [row for row in self.rows if row.status == MISSING]

    @property
    def to_chase(self) -> list[StatusRow]:
        """Roster units with nothing usable in: not reported, blank, or unreadable. A blank
        template sent back by a unit that also sent its filled return is no reason to chase."""
        return [
            row
            for row in self.rows
            if row.status in TO_CHASE and row.on_roster and not self.blank_beside_filled(row)
        ]

    @property
    def to_correct(self) -> list[StatusRow]:
        """Whom to send a return back to for correction, a row per unit: units with errors
        (roster units, or the makers of summaries of roster units) but not a unit with a usable
        return (passed, or with warnings; a blank template is none) beside the one with errors (last year's left in, a resend: which one counts is
        the duplicate's question), a unit counted in a summary (its maker corrects it), nor
        last run's summary left among the returns."""
        usable = {unit_key(row.unit) for row in self.rows if row.status in (PASSED, WARNINGS)}
        found: dict[str, StatusRow] = {}
        for row in self.rows:
            ours = (row.on_roster and not row.within) or row.members_on_roster
            key = unit_key(row.unit)
            if row.status == ERRORS and ours and key not in usable and not row.summary_left_in:
                found.setdefault(key, row)
        return list(found.values())

    def blank_beside_filled(self, row: StatusRow) -> bool:
        """Whether ``row`` is a blank template its unit sent back beside a filled return (of
        the same unit by name, or by code: a blank made with ``template --unit`` has none)."""
        if row.status != BLANK:
            return False
        names, codes = self._filled
        return unit_key(row.unit) in names or (bool(row.code) and code_key(row.code) in codes)

    @cached_property
    def _filled(self) -> tuple[set[str], set[str]]:
        filled = [row for row in self.rows if row.status in (PASSED, WARNINGS, ERRORS)]
        return {unit_key(row.unit) for row in filled}, {code_key(row.code) for row in filled}

    @property
    def off_roster(self) -> list[StatusRow]:
        """Units not on the roster; a summary of roster units is none (its units are), nor is a
        上级单位's own report (M08 says what it is)."""
        return [
            row
            for row in self.rows
            if not row.on_roster
            and row.unit
            and not row.members_on_roster
            and not of_the_level(row.findings)
        ]

    def count(self, status: str) -> int:
        return sum(1 for row in self.rows if row.status == status)

    @property
    def scope(self) -> str:
        """「名册 10 个单位」, the units not on it (M05) that sent returns, and the files received
        when a unit sent more than one (the counts are of files: so that they add up)."""
        scope = f"名册 {self.roster_size} 个单位" if self.has_roster else "未提供名册"
        off_roster = len({unit_key(row.unit) for row in self.off_roster})
        if off_roster:
            scope += f"，另有不在名册中的单位 {off_roster} 个"
        # rows of their own, beside their units': so that the counts add up
        summaries = sum(1 for row in self.rows if row.members_on_roster and not row.on_roster)
        if summaries:
            scope += f"，另有汇总表 {summaries} 份"
        level = sum(1 for row in self.rows if not row.on_roster and of_the_level(row.findings))
        if level:
            scope += f"，另有本级的报表 {level} 份"
        twice = sum(1 for f in self.duplicates if f.rule is Rule.M01)  # more files than units
        if not twice:
            return scope
        return scope + f"，收到 {self.files} 个文件，其中 {twice} 个单位报送了不止一份，按文件计数"

    @property
    def files(self) -> int:
        """Files listed (a unit that sent two has two rows; a summary's units are not its
        files)."""
        return sum(1 for row in self.rows if row.file and not row.within)

    @cached_property
    def duplicates(self) -> list[Finding]:
        """M01 for each unit that sent more than one readable return, and M13 for returns of
        different units with the same figures (one return sent twice, or copied)."""
        return [f for f in self.findings if f.rule in (Rule.M01, Rule.M13)]

    @cached_property
    def _copies(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for finding in self.duplicates:
            if finding.rule is not Rule.M01 or finding.operands.get("summaries"):
                # a unit counted in a summary, or returns of different units (M13, on each
                # one's row): no file is a copy of another of its unit
                continue
            files = finding.operands.get("files", [])
            if isinstance(files, list):
                counts.update(dict.fromkeys(files, len(files)))
        return counts

    def copies(self, file: str) -> int:
        """How many returns the unit of ``file`` sent (0 when it sent one): asked for every
        row of a roster of thousands, so answered from one table."""
        return self._copies.get(file, 0)

    def counts(self) -> dict[str, int]:
        return {word: self.count(word) for word in STATUS_WORDS}


def _filled_if_any(reports: Sequence[FileReport]) -> list[FileReport]:
    """One unit's files without the blank templates it sent back, when it also sent a filled
    return: a blank is no second return (no M01)."""
    if any(status_word(r) != BLANK for r in reports):
        return [r for r in reports if status_word(r) != BLANK]
    return list(reports)


def reported_unit(report: FileReport, roster_keys: dict[str, str] | None = None) -> str:
    """The unit a file reports for: its cover's 填报单位; for a file that could not be read,
    its file name when that names a roster unit (units often name files after themselves)."""
    if report.ret is not None and report.ret.unit:
        return report.ret.unit
    named = unit_key(file_unit_name(report.path))
    if roster_keys and named in roster_keys:
        return roster_keys[named]
    return ""


LEVEL = "本级"  # M08's operand: the file is the district's own return or report, no summary


def marked_as_level(report: FileReport) -> bool:
    """A return marked already as the district's (or a roster 上级单位's) own, M08
    (pipeline.merge.mark_mixed_summaries): no unit of the roster, nor one missing from it."""
    return of_the_level(report.findings)


def of_the_level(findings: Iterable[Finding]) -> bool:
    """Whether ``findings`` (a file's) mark it as the district's own (``marked_as_level``)."""
    return any(f.rule is Rule.M08 and f.operands.get(LEVEL) for f in findings)


def submission_status(
    reports: Sequence[FileReport],
    roster: Sequence[RosterEntry] | None = None,
    identified: Identification | None = None,
) -> SubmissionStatus:
    """One row per roster unit (in roster order), then units not on the roster, then files
    whose unit could not be told. Without a roster: one row per file."""
    roster = list(roster or [])
    identified = identified or identify(reports, roster)
    by_entry: dict[int, list[FileReport]] = {}
    others: list[FileReport] = []
    for report in sorted(reports, key=lambda r: str(r.path)):
        entry = identified.entry(report)
        if entry is None:
            others.append(report)
        else:
            by_entry.setdefault(id(entry), []).append(report)

    within, members_on_roster, held = counted_in_summaries(reports, roster, identified)
    # a summary left among the returns holds the figures of units that sent nothing else only
    # when none of its units sent a return of its own (a sub-district's summary); an earlier
    # run's total, whose units sent their returns again, holds their old figures
    units_of: dict[str, list[int]] = {}
    for entry_id, summaries in held.items():
        for summary in summaries:
            units_of.setdefault(str(summary.path), []).append(entry_id)
    holding = {path for path, ids in units_of.items() if not any(by_entry.get(i) for i in ids)}
    # a roster unit named on the cover of a template issued to another (M14): its files
    claimed: dict[int, list[Finding]] = {}
    for named_entry, m14 in identified.disputed.values():
        claimed.setdefault(id(named_entry), []).append(m14)

    rows: list[StatusRow] = []
    findings: list[Finding] = []
    for entry in roster:
        found = by_entry.get(id(entry), [])
        parent, code = entry.parent or "", entry.code or ""
        if not found and id(entry) in within:
            # no return of its own, but its figures are in: not to chase, not missing
            for summary in within[id(entry)]:
                row = _row(summary, entry.unit, parent, code, True, entry.extra)
                rows.append(replace(row, findings=(), cover_name="", within=_label(summary)))
        elif not found:
            rows.append(
                StatusRow(
                    entry.unit,
                    parent,
                    code,
                    MISSING,
                    0,
                    0,
                    "",
                    True,
                    extra=entry.extra,
                    findings=tuple(claimed.get(id(entry), ())),
                    held=tuple(
                        str(r.path) for r in held.get(id(entry), ()) if str(r.path) in holding
                    ),
                )
            )
            findings.append(_missing(entry, claimed.get(id(entry), [])))
        rows += [_row(r, entry.unit, parent, code, True, entry.extra) for r in found]
        # a file whose cover names another roster unit (M14) is not this unit's second return,
        # nor is a blank template it sent back beside a filled one
        own = [r for r in found if str(r.path) not in identified.disputed]
        findings += duplicate_findings(_filled_if_any(own), unit=entry.unit)
    named = sorted(
        (r for r in others if reported_unit(r)),
        key=lambda r: (unit_key(reported_unit(r)), str(r.path)),
    )
    for report in named:
        unit = reported_unit(report)
        row = _row(report, unit, _parent_of(report), _code_of(report), not roster, ())
        if str(report.path) in members_on_roster:
            # a summary of roster units (a district's, named after their 上级单位): its
            # units are on the roster, listed with it, so it is no unit missing from it (M05)
            row = replace(row, members_on_roster=members_on_roster[str(report.path)])
        elif roster and not marked_as_level(report):
            # a 上级单位's own report (「东片区」) is said by its M08: adding it to the roster
            # (M05's advice) would count its units twice
            close = identified.nearest.get(str(report.path), [])
            hint = f"名册中最相近的单位：{listed(close)}。" if close else "名册中没有相近的单位。"
            if str(report.path) in identified.elsewhere:
                roster_unit, place = identified.elsewhere[str(report.path)]
                if above_us(place):
                    hint = (
                        f"它的名称以「{place}」开头，却没有写名册中各单位所在的区县："
                        f"多半是{place}本级的单位（而不是本区县的）"
                        + (f"，没有认作「{roster_unit}」" if roster_unit else "")
                        + "；如果是本区县的单位漏写了区县名，请改正封面。"
                    )
                else:
                    hint = (
                        f"它是名册中的「{roster_unit}」前面加上「{place}」，而名册中的单位不在{place}："
                        f"多半是别的地区的报表，没有认作「{roster_unit}」。"
                        if roster_unit
                        else f"它的名称以「{place}」开头，而名册中的单位不在{place}：多半是别的地区的报表。"
                    )
            m05 = Finding(
                Rule.M05,
                f"报送单位「{unit}」（{report.path}）不在名册中。{hint}请核对封面上的填报单位名称"
                "是否与名册一致，或把该单位补入名册。",
                file=str(report.path),
                operands={"unit": unit, "nearest": "、".join(close)},
            )
            findings.append(m05)
            row = _not_on_roster(row, m05)
        rows.append(row)
    by_unit: dict[str, list[FileReport]] = {}
    for report in named:
        by_unit.setdefault(unit_key(reported_unit(report)), []).append(report)
    sent = [report for group in by_unit.values() for report in _filled_if_any(group)]
    findings += duplicate_findings(sent, members=False, figures=False)
    # A unit in two summaries (or in a summary and its own return) whatever their roster units
    # (a city's roster lists the districts whose summaries it merges); and returns of
    # different units with the same figures (M13), whichever units they were paired with.
    # A return goes by the roster unit it was identified as (「区财政局」 on the template of
    # code 001 is 「道外区财政局」), as a summary's 分单位明细 lists it.
    ordered = [r for r in sorted(reports, key=lambda r: str(r.path)) if r.ret is not None]
    returns = [_as_identified(r, identified) for r in ordered]
    same = SameFigures(returns)
    findings += duplicates_among(
        returns,
        [str(r.path) for r in ordered],
        own=False,
        said=[_files(f) for f in findings if f.rule is Rule.M01],
        same=same,
    )
    rows += [_row(r, "", "", "", False, ()) for r in others if not reported_unit(r)]
    rows = [
        replace(row, members_on_roster=members_on_roster[row.file])
        if row.file in members_on_roster and not row.within and not row.members_on_roster
        else row
        for row in rows
    ]
    rows = _copied_rows(rows, [f for f in findings if f.rule is Rule.M13])
    headings = tuple(h for h, _ in roster[0].extra) if roster else ()
    return SubmissionStatus(tuple(rows), tuple(findings), len(roster), headings, same)


def _as_identified(report: FileReport, identified: Identification) -> Return:
    """``report``'s return under its roster unit's name and code, where it was paired with one
    (its figures object kept: ``SameFigures`` knows a return by it)."""
    ret, entry = cast(Return, report.ret), identified.entry(report)
    if entry is None or report.ret is None:
        return ret
    return replace(ret, unit=entry.unit, code=entry.code or ret.code)


def counted_in_summaries(
    reports: Sequence[FileReport],
    roster: Sequence[RosterEntry],
    identified: Identification,
) -> tuple[dict[int, list[FileReport]], dict[str, int], dict[int, list[FileReport]]]:
    """The roster units the summaries among ``reports`` count as members (``_counted``: their
    分单位明细, and the units inside the summaries among those members), by code or name:
    id(roster entry) -> the summaries, in file order; and per summary file, how many roster
    units it counts so. A summary's own 填报单位 is its return's unit (identified as any
    return's is), not one of these. A summary that cannot stand for its units this season
    (left among their returns, M08; of another year, C03) counts none of them as reported:
    they are still to be chased, and the third mapping (id(roster entry) -> the summaries of
    this season left among the returns, M08 but not C03) says where their figures are."""
    summaries = sorted(
        (
            r
            for r in reports
            if r.ret is not None and r.ret.kind == "summary" and r.ret.member_names
        ),
        key=lambda r: str(r.path),
    )
    if not summaries or not roster:
        return {}, {}, {}
    index = UnitIndex(roster, lambda e: e.unit, lambda e: e.code)
    within: dict[int, list[FileReport]] = {}
    held: dict[int, list[FileReport]] = {}
    members: dict[str, int] = {}
    for report in summaries:
        assert report.ret is not None
        own = identified.entry(report)
        stands = not any(f.rule in (Rule.M08, Rule.C03) for f in report.findings)
        # this season's figures, only left among the returns (not last year's: C03)
        holds = not stands and not any(f.rule is Rule.C03 for f in report.findings)
        for hit in _counted(0, report.ret):
            entry = index.find(hit.code or None, hit.name)[0] if hit.member else None
            if entry is None or entry is own:
                continue
            if stands:
                within.setdefault(id(entry), []).append(report)
            elif holds:
                held.setdefault(id(entry), []).append(report)
            members[str(report.path)] = members.get(str(report.path), 0) + 1
    return within, members, held


def _label(report: FileReport) -> str:
    return (report.ret.unit or str(report.path)) if report.ret is not None else str(report.path)


def _missing(entry: RosterEntry, claims: Sequence[Finding]) -> Finding:
    """M04 for a roster unit without a return; one whose name is on the cover of a template
    issued to another unit (M14) is told so: its figures are there, in the wrong template."""
    if not claims:
        return Finding(
            Rule.M04,
            f"名册中的单位「{entry.unit}」没有报送统计表。请催报，或确认它是否已并入其他单位。",
            operands={"unit": entry.unit},
        )
    files = [f.file or "" for f in claims]
    templates = listed([str(f.operands.get("模板单位", "")) for f in claims])
    return Finding(
        Rule.M04,
        f"名册中的单位「{entry.unit}」没有用本单位的模板报送统计表：{listed(files)} 的封面填的是"
        f"「{entry.unit}」，用的却是发给「{templates}」的模板（见该文件的 {Rule.M14.id}），"
        "没有计入本单位。请该单位用本单位的模板重新填报。",
        file=files[-1],
        operands={"unit": entry.unit, "files": files},
    )


def _copied_rows(rows: list[StatusRow], copied: Sequence[Finding]) -> list[StatusRow]:
    """Each row of a file with the same figures as another unit's (M13): the finding among its
    problems, counted as an error (one of them, or both, is to be sent again)."""
    by_file: dict[str, list[Finding]] = {}
    for finding in copied:
        for file in _files(finding):
            by_file.setdefault(file, []).append(finding)
    if not by_file:
        return rows
    return [
        replace(
            row,
            status=ERRORS if row.status in (PASSED, WARNINGS) else row.status,
            errors=row.errors + len(by_file[row.file]),
            findings=(*row.findings, *by_file[row.file]),
        )
        if row.file in by_file
        else row
        for row in rows
    ]


def _not_on_roster(row: StatusRow, m05: Finding) -> StatusRow:
    """A return from a unit the roster does not have: M05 among its problems, and a return
    that passed counts as 有警告 (someone has to look: a typo on the cover, or a unit that does
    not belong), so that no list shows it as simply 已报通过."""
    return replace(
        row,
        status=WARNINGS if row.status == PASSED else row.status,
        warnings=row.warnings + 1,
        findings=(*row.findings, m05),
    )


def _files(finding: Finding) -> list[str]:
    files = finding.operands.get("files")
    return [str(f) for f in files] if isinstance(files, list) else []


def _parent_of(report: FileReport) -> str:
    return (report.ret.parent or "") if report.ret is not None else ""


def _code_of(report: FileReport) -> str:
    return (report.ret.code or "") if report.ret is not None else ""


def _row(
    report: FileReport,
    unit: str,
    parent: str,
    code: str,
    on_roster: bool,
    extra: tuple[tuple[str, str], ...],
) -> StatusRow:
    cover = report.ret.unit if report.ret is not None and report.ret.unit else ""
    errors, warnings, accepted = counts(report.findings)
    return StatusRow(
        unit=unit,
        parent=parent,
        code=code,
        status=status_word(report),
        errors=errors,
        warnings=warnings,
        file=str(report.path),
        on_roster=on_roster,
        accepted=accepted,
        findings=tuple(report.findings),
        extra=extra,
        cover_name=cover if cover and unit_key(cover) != unit_key(unit) else "",
    )
