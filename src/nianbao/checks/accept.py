"""Explained findings (``--accept 说明.csv``): a warning that is true, with the reason why.

The file (CSV or a spreadsheet, read by sources.table) has the columns 单位, 规则, 单元格, 说明:

- 单位: the unit as on the roster or the cover, or its 单位代码 (checks.units decides); a unit
  renamed since last year is found by last year's name too when its findings were compared
  with last year's return under that name (found by its code: ``units.LAST_YEAR_NAME``);
- 规则: a rule id as the finding shows it (X3, V04 …);
- 单元格: the cells as the finding lists them (「D8」, 「D5,D6,D28,D29」; 、，; and spaces also
  separate), optionally with the sheet (「表三!D5」 is not needed: the rule fixes the table);
  blank: every finding of that rule in that unit. A sheet name may hold a separator itself
  (the form's table names do: 「二、主动公开政府信息情况!B4」): the form's own table names are
  known and taken off whole; another name holding one cannot be told from a list of cells
  (「B6、自填、附表!B7」), and the line is refused saying so, never read with a cell lost;
- 说明: the reason, required: it is shown wherever the finding is.

A finding matches an entry when unit and rule agree and every cell it names is among the
entry's cells (or the entry names none). A matched finding is kept, marked 已说明 with the
reason, and no longer counts. Errors are never explained, in any command (``check``,
``status``, ``merge`` give one verdict): a summary must balance, and a return that passes
``check`` must merge. An entry for an error is refused (A02) and the error still counts. An
entry that matches nothing is stale (A01).
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache

from nianbao.checks.units import LAST_YEAR_NAME, UnitIndex
from nianbao.errors import UserError
from nianbao.form import FORMS, VARIANTS
from nianbao.form.data import FileReport
from nianbao.form.findings import Finding, Rule
from nianbao.sources.table import read_text_table
from nianbao.text import listed, visible

UNIT, RULE, CELLS, REASON = "单位", "规则", "单元格", "说明"
_SEPARATORS = re.compile(r"[,，、;；\s]+")
# a sheet name before 「!」 that holds no separator (Sheet1!, 表三!); the form's table names,
# which hold 「、」, are taken off first (_known_sheets)
_SHEET_PREFIX = re.compile(r"[^,，、;；\s!！]*[!！]")
_A1 = re.compile(r"^\$?([A-Z]{1,3})\$?([1-9][0-9]{0,6})$")


@dataclass(frozen=True)
class Explanation:
    source: str
    line: int
    unit: str
    rule: Rule
    cells: frozenset[str]  # A1 names, upper case; empty: the whole rule in that unit
    reason: str

    @property
    def where(self) -> str:
        cells = "、".join(sorted(self.cells)) if self.cells else "全部单元格"
        return f"第 {self.line} 行（单位「{self.unit}」，规则 {self.rule.id}，{cells}）"

    def covers(self, finding: Finding) -> bool:
        if finding.rule is not self.rule:
            return False
        return not self.cells or (bool(finding.cells) and set(finding.cells) <= self.cells)


def read_explanations(path: str | os.PathLike[str]) -> list[Explanation]:
    """The entries of an explanations file; a UserError lists every bad line at once."""
    table = read_text_table(path, "说明文件", f"{UNIT},{RULE},{CELLS},{REASON}")
    missing = [name for name in (UNIT, RULE, REASON) if table.column(name) is None]
    if missing:
        shown = "、".join(h for h in table.header if h) or "（空）"
        raise UserError(
            f"说明文件 {table.where} 缺少「{'」「'.join(missing)}」列：第一行是 {shown}。"
            f"第一行应为列名：{UNIT},{RULE},{CELLS},{REASON}（{CELLS}可以留空，表示该规则的全部问题）。"
        )
    columns = {name: table.column(name) for name in (UNIT, RULE, CELLS, REASON)}
    entries: list[Explanation] = []
    problems: list[str] = []
    for line, row in table.rows:
        shifted = table.shifted(line, row)
        if shifted:
            problems.append(shifted)
            continue

        def cell(name: str, row: list[str] = row) -> str:
            index = columns[name]
            return row[index] if index is not None and index < len(row) else ""

        unit, rule_id, reason = cell(UNIT), _typed(cell(RULE)).strip().upper(), cell(REASON)
        rule = Rule.__members__.get(rule_id)
        cells, bad = _cells(cell(CELLS))
        if "…" in cell(CELLS):  # check shortens a long list of cells: 「B6,C6…（共 10 格）」
            problems.append(
                f"第 {line} 行的「{CELLS}」是校验结果中缩写的列表（带「…」），不是全部单元格："
                f"请留空（表示该单位这条规则的全部问题），或从 --format json 输出的 cells 中复制完整列表。"
            )
            continue
        if not unit:
            problems.append(f"第 {line} 行没有填写「{UNIT}」。")
        if not rule_id:
            problems.append(
                f"第 {line} 行没有填写「{RULE}」（如 X3、V04，见校验结果中方括号里的编号）。"
            )
        elif rule is None:
            problems.append(
                f"第 {line} 行的规则「{cell(RULE)}」不是 nianbao 的规则编号（如 X3、V04，见校验结果中方括号里的编号）。"
            )
        if not reason:
            problems.append(f"第 {line} 行没有填写「{REASON}」：说明为什么这个问题属实、不用改正。")
        if bad and _SHEET_PREFIX.search(cell(CELLS)):
            problems.append(
                f"第 {line} 行「{CELLS}」列的「{cell(CELLS)}」无法逐格读出：其中「{'、'.join(bad)}」"
                "不是单元格地址。工作表名称含「、」「，」等分隔符时，无法与单元格之间的分隔符区分。"
                "请去掉工作表名称，只写单元格地址（规则已确定是哪张表），如 B6、B7。"
            )
        elif bad:
            problems.append(f"第 {line} 行的单元格「{'、'.join(bad)}」不是单元格地址（如 D8）。")
        if unit and rule is not None and reason and not bad:
            entries.append(Explanation(str(table.source), line, unit, rule, cells, reason))
    if problems:
        raise UserError(
            f"说明文件 {table.where} 有 {len(problems)} 处问题：\n  "
            + "\n  ".join(problems[:20])
            + (f"\n  ……另有 {len(problems) - 20} 处" if len(problems) > 20 else "")
        )
    return entries


def _cells(text: str) -> tuple[frozenset[str], list[str]]:
    """The A1 names in ``text``, and the parts that are none (the line is then refused)."""
    cells: set[str] = set()
    bad: list[str] = []
    # a sheet name before ! (as check prints cells: 二、主动公开政府信息情况!B4) is allowed and
    # not needed; the form's own names first, whole, since they hold a separator (、)
    for name in _known_sheets():
        text = re.sub(re.escape(name) + r"\s*[!！]", " ", text)
    for part in _SEPARATORS.split(_typed(_SHEET_PREFIX.sub(" ", text)).upper()):
        if not part:
            continue
        match = _A1.match(part)
        if match:
            cells.add(match.group(1) + match.group(2))
        else:
            bad.append(part)
    return frozenset(cells), bad


def _typed(text: str) -> str:
    """A rule or cells as typed with a Chinese input method in full-width mode (「Ｘ３」,
    「Ｄ５，Ｄ６」) or copied with invisible characters: what they are (X3; D5,D6)."""
    return visible(unicodedata.normalize("NFKC", text))


@cache
def _known_sheets() -> tuple[str, ...]:
    """The sheet names the form's tables have (their titles, 二、主动公开政府信息情况) and their
    short names (表二), longest first: a name holding another is taken off whole."""
    names = {
        name
        for form in (*FORMS.values(), *VARIANTS.values())
        for table in form.tables
        for name in (table.title, table.short)
    }
    return tuple(sorted(names, key=lambda name: (-len(name), name)))


@dataclass
class AcceptOutcome:
    """What applying the explanations did: counts, and findings about the file itself."""

    accepted: int = 0
    stale: list[Finding] = field(default_factory=list)  # A01
    refused: list[Finding] = field(default_factory=list)  # A02

    @property
    def findings(self) -> list[Finding]:
        return self.refused + self.stale


def apply_explanations(
    reports: Sequence[FileReport],
    explanations: Sequence[Explanation],
    *,
    names: Callable[[FileReport], Sequence[str | None]] = lambda r: (),
) -> AcceptOutcome:
    """Mark the warnings the entries explain (in place, in each report's findings); an entry
    for an error explains nothing and gets A02 (errors are corrected, in every command).

    ``names``: more names a report's unit goes by (its roster name), besides the cover's and
    the one its template was issued to."""
    outcome = AcceptOutcome()
    used: set[int] = set()
    tried: dict[int, list[Finding]] = {}
    targets = _reports_of(explanations, reports, names)
    by_report: dict[int, list[Explanation]] = {}
    for explanation in explanations:
        for target in targets[id(explanation)]:
            by_report.setdefault(id(target), []).append(explanation)
    for report in reports:
        entries = by_report.get(id(report), [])
        if not entries:
            continue
        marked: list[Finding] = []
        for finding in report.findings:
            entry = next((e for e in entries if e.covers(finding)), None)
            if entry is None or finding.accepted:
                marked.append(finding)
            elif finding.is_error:
                tried.setdefault(id(entry), []).append(finding)
                marked.append(finding)
            else:
                used.add(id(entry))
                outcome.accepted += 1
                marked.append(finding.explained(entry.reason))
        report.findings = marked
    for entry in explanations:
        if id(entry) in tried and id(entry) not in used:
            outcome.refused.append(_refused(entry, tried[id(entry)]))
        elif id(entry) not in used:
            outcome.stale.append(_stale(entry, unit_found=bool(targets[id(entry)])))
    return outcome


def _reports_of(
    entries: Sequence[Explanation],
    reports: Sequence[FileReport],
    names: Callable[[FileReport], Sequence[str | None]],
) -> dict[int, list[FileReport]]:
    """The reports each entry is for (by the entry's id), as ``units.UnitIndex`` finds a unit:
    its 单位 is a report's 单位代码, or one of its names (the cover's, the one its template was
    issued to, ``names``). An entry no report has is tried under last year's names: a unit
    paired with last year's return by its code under another name (renamed) goes by that
    name in its cross-year findings (``units.LAST_YEAR_NAME``)."""
    readable = [report for report in reports if report.ret is not None]
    own = [_index(report, names(report)) for report in readable]
    last_years: list[UnitIndex[FileReport]] | None = None
    found: dict[int, list[FileReport]] = {}
    for entry in entries:
        hits = [r for r, index in zip(readable, own, strict=True) if _has(index, entry)]
        if not hits:
            if last_years is None:
                last_years = [_index(report, _last_years_names(report)) for report in readable]
            hits = [r for r, index in zip(readable, last_years, strict=True) if _has(index, entry)]
        found[id(entry)] = hits
    return found


def _index(report: FileReport, names: Sequence[str | None]) -> UnitIndex[FileReport]:
    """``report`` found by its code, its cover name, the name its template was issued to and
    ``names``."""
    ret = report.ret
    assert ret is not None
    index = UnitIndex([report], lambda _: ret.unit, lambda _: ret.code)
    for name in (ret.issued, *names):
        index.alias(name, report)
    return index


def _has(index: UnitIndex[FileReport], entry: Explanation) -> bool:
    """Whether the entry's 单位 (a code or a name) finds the report of ``index``."""
    return index.find(entry.unit, entry.unit)[0] is not None


def _last_years_names(report: FileReport) -> list[str]:
    """The names ``report``'s unit had last year, as its cross-year findings give them."""
    found = (f.operands.get(LAST_YEAR_NAME) for f in report.findings)
    return list(dict.fromkeys(name for name in found if isinstance(name, str)))


def _stale(entry: Explanation, *, unit_found: bool = True) -> Finding:
    if unit_found:
        why = "可能已经改正，或单位、规则、单元格与校验结果不一致。请核对，或删除这一行。"
    else:
        why = (
            f"本次校验的报表中没有单位「{entry.unit}」（按单位名称和单位代码查找）。"
            "单位改了名称的，请写本年的名称或单位代码；该单位尚未报送的，报送后再核对，或删除这一行。"
        )
    return Finding(
        Rule.A01,
        f"说明文件{entry.where}没有对应任何问题：{why}",
        file=entry.source,
        operands={"行": entry.line, "单位": entry.unit, "规则": entry.rule.id},
    )


def _refused(entry: Explanation, errors: list[Finding]) -> Finding:
    cells = listed([",".join(f.cells) or f.rule.id for f in errors])
    return Finding(
        Rule.A02,
        f"说明文件{entry.where}要说明的是错误（{cells}）：说明只用于属实的警告，错误必须改正——"
        "汇总时错误不能以说明放行，汇总表必须平衡，因此校验、报送情况和汇总都仍按错误处理。"
        "请让该单位改正后重新报送。",
        file=entry.source,
        operands={"行": entry.line, "单位": entry.unit, "规则": entry.rule.id},
    )
