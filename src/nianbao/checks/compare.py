"""Comparing returns: this year with last (key figures, 雷同, swings) and a summary that was
sent up with the sum of its members (reconcile). Pure: returns in, rows and findings out.

The swing rule (X5, a warning): a key figure moved by at least ``SWING_MIN`` and by more than
``SWING_SHARE`` of last year's figure — so 100 → 160 is flagged, 100 → 140 and 5 → 20 are not,
0 → 20 and 30 → 0 are. ``SWING_RULE`` states it in Chinese wherever the flag is shown.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from nianbao.checks.units import UnitIndex
from nianbao.form.data import Number, Return, complete
from nianbao.form.findings import Finding, Rule
from nianbao.form.model import Form
from nianbao.text import show_value


@dataclass(frozen=True)
class KeyFigure:
    """A figure a coordinator compares year on year: the sum of some cells of the form."""

    name: str  # short heading (新收, 办结 …); the statutory labels come from the cells
    keys: tuple[str, ...]

    def value(self, completed: Mapping[str, Number]) -> Number:
        return sum((completed[key] for key in self.keys), 0)

    def meaning(self, form: Form) -> str:
        """The statutory cells it sums, as the form names them."""
        return " + ".join(form.cell(key).description for key in self.keys)


# The same keys in both vintages (表三 and 表四 are shared; 表二 row 20-1.2 column c3 is
# 现行有效件数 (2021) / 对外公开总数量 (2019) of 规范性文件).
KEY_FIGURES = (
    KeyFigure("新收", ("三:1:c7",)),
    KeyFigure("办结", ("三:3.7:c7",)),
    KeyFigure("结转", ("三:4:c7",)),
    KeyFigure("复议", ("四:1:ar5",)),
    KeyFigure("诉讼", ("四:1:ld5", "四:1:lr5")),
    KeyFigure("规范性文件现行有效", ("二:20-1.2:c3",)),
)
SWING_SHARE = 0.5
SWING_MIN = 20
SWING_RULE = f"与上年相比增减超过上年数的一半，且相差 {SWING_MIN} 件以上"
IDENTICAL = "雷同"
SWING = "波动"


def key_figures(ret: Return) -> dict[str, Number]:
    completed = ret.completed()
    return {figure.name: figure.value(completed) for figure in KEY_FIGURES}


def is_swing(before: Number, now: Number) -> bool:
    change = abs(Decimal(now) - Decimal(before))
    return change >= SWING_MIN and change > Decimal(str(SWING_SHARE)) * abs(Decimal(before))


def is_identical(ret: Return, last: Return) -> bool:
    """Every input cell the same as last year's (and not all zero: a unit with nothing to
    report may truly report nothing twice)."""
    if ret.form.vintage != last.form.vintage:
        return False
    now, then = complete(ret.form, ret.values), complete(last.form, last.values)
    inputs = ret.form.input_keys
    return all(now[k] == then[k] for k in inputs) and any(now[k] for k in inputs)


def year_on_year_findings(ret: Return, last: Return, name: str) -> list[Finding]:
    """X6 (the same figures as last year) and X5 (a key figure swung); ``name`` names last
    year's return in the messages."""
    if is_identical(ret, last):
        return [
            Finding(
                Rule.X6,
                f"本表各项数字与上年报表（{name}）完全相同。请确认没有误把上年的报表再报一次；"
                "如确属实，可在说明文件中说明。",
                operands={"上年报表": name},
            )
        ]
    found: list[Finding] = []
    now, then = key_figures(ret), key_figures(last)
    for figure in KEY_FIGURES:
        before, current = then[figure.name], now[figure.name]
        if not is_swing(before, current):
            continue
        located = [ret.location(key) for key in figure.keys]
        change = current - before
        word = "增加" if change > 0 else "减少"
        found.append(
            Finding(
                Rule.X5,
                f"{figure.meaning(ret.form)}：上年 {show_value(before)}，本年 {show_value(current)}，"
                f"{word} {show_value(abs(change))}（提示标准：{SWING_RULE}）。"
                "如情况属实（如职能调整、专项工作），可在说明文件中说明；否则请核对。",
                sheet=located[0][0],
                cells=tuple(a1 for _, a1 in located),
                operands={"项目": figure.name, "上年": before, "本年": current, "增减": change},
            )
        )
    return found


# -- 与上年对比 -----------------------------------------------------------------------------


@dataclass(frozen=True)
class YearRow:
    """One line of 与上年对比: a unit (or the whole summary) this year and last."""

    unit: str
    now: dict[str, Number]
    before: dict[str, Number] | None  # None: no return last year
    flags: tuple[str, ...]  # 雷同, 波动：新收、办结 …
    previous_source: str = ""

    def change(self, name: str) -> Number | None:
        return None if self.before is None else self.now[name] - self.before[name]


def year_row(unit: str, ret: Return, last: Return | None, source: str = "") -> YearRow:
    now = key_figures(ret)
    if last is None:
        return YearRow(unit, now, None, (), source)
    before = key_figures(last)
    flags: list[str] = []
    if is_identical(ret, last):
        flags.append(IDENTICAL)
    swung = [f.name for f in KEY_FIGURES if is_swing(before[f.name], now[f.name])]
    if swung:
        flags.append(f"{SWING}：" + "、".join(swung))
    return YearRow(unit, now, before, tuple(flags), source)


# -- reconcile a summary that was sent up ---------------------------------------------------


@dataclass(frozen=True)
class CellDifference:
    key: str
    description: str  # the statutory cell, as the form names it
    sheet: str
    a1: str
    theirs: Number  # in the summary that was sent up
    ours: Number  # the sum nianbao computed from the members

    @property
    def difference(self) -> Number:
        return self.theirs - self.ours


@dataclass(frozen=True)
class MemberDifference:
    """A unit in both lists whose figures differ: a likely cause of the cell differences."""

    unit: str
    cells: tuple[CellDifference, ...]


@dataclass(frozen=True)
class Reconciliation:
    source: str
    cells: tuple[CellDifference, ...]
    only_theirs: tuple[str, ...]  # units in the sent-up summary's list, not among ours
    only_ours: tuple[str, ...]  # units we summed that the sent-up summary does not list
    members: tuple[MemberDifference, ...]
    has_list: bool  # whether the sent-up summary lists its members (a 分单位明细 sheet)
    comparable: str = ""  # why it could not be compared at all (other vintage); "" when it was

    @property
    def agrees(self) -> bool:
        return (
            not self.comparable
            and not self.cells
            and not self.only_theirs
            and not self.only_ours
            and not self.members
        )


def cell_differences(ours: Return, theirs: Return) -> tuple[CellDifference, ...]:
    """Every cell (inputs and totals, as recomputed) where the two disagree, in form order."""
    mine, other = ours.completed(), theirs.completed()
    found = []
    for cell in ours.form.cells:
        if mine[cell.key] != other[cell.key]:
            sheet, a1 = ours.location(cell.key)
            found.append(
                CellDifference(
                    cell.key, cell.description, sheet, a1, other[cell.key], mine[cell.key]
                )
            )
    return tuple(found)


def reconcile(
    ours: Return,
    our_members: Sequence[Return],
    theirs: Return,
    their_members: Sequence[Return] | None,
) -> Reconciliation:
    """Compare a summary that was sent up (``theirs``, with its member list when it has one)
    with the sum nianbao computed (``ours`` from ``our_members``)."""
    source = theirs.source or theirs.label
    if ours.form.vintage != theirs.form.vintage:
        why = f"上报的汇总表是{theirs.form.label}表式，本次汇总是{ours.form.label}表式，不能逐格核对。"
        return Reconciliation(source, (), (), (), (), their_members is not None, why)
    cells = cell_differences(ours, theirs)
    if their_members is None:
        return Reconciliation(source, cells, (), (), (), False)
    index = UnitIndex(their_members, lambda r: r.unit, lambda r: r.code)
    matched: dict[int, Return] = {}  # id of their member -> ours
    only_ours: list[str] = []
    members: list[MemberDifference] = []
    for mine in our_members:
        other, _ = index.find_return(mine)
        if other is None or id(other) in matched:
            only_ours.append(mine.unit or "")
            continue
        matched[id(other)] = mine
        found = cell_differences(mine, other)
        if found:
            members.append(MemberDifference(mine.unit or "", found))
    only_theirs = tuple(m.unit or "" for m in their_members if id(m) not in matched)
    return Reconciliation(source, cells, only_theirs, tuple(only_ours), tuple(members), True)
