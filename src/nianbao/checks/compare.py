"""Comparing returns: this year with last (key figures, 雷同, swings) and a summary that was
sent up with the sum of its members (reconcile). Pure: returns in, rows and findings out.

The swing rule (X5, a warning): a key figure moved by at least ``SWING_MIN`` and by more than
``SWING_SHARE`` of last year's figure — so 100 → 160 is flagged, 100 → 140 and 5 → 20 are not,
0 → 20 and 30 → 0 are. ``SWING_RULE`` states it in Chinese wherever the flag is shown.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from nianbao.checks.units import UnitIndex, doubtful, unsure_figures, unsure_text
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
UNSURE = "上年数字无法确定"  # a key figure of last year's not read with certainty: not compared


def key_figures(ret: Return) -> dict[str, Number]:
    completed = ret.completed()
    return {figure.name: figure.value(completed) for figure in KEY_FIGURES}


def is_swing(before: Number, now: Number) -> bool:
    change = abs(Decimal(now) - Decimal(before))
    return change >= SWING_MIN and change > Decimal(str(SWING_SHARE)) * abs(Decimal(before))


def is_identical(ret: Return, last: Return, unsure: Mapping[str, str] | None = None) -> bool:
    """Every input cell the same as last year's (and not all zero: a unit with nothing to
    report may truly report nothing twice). Never when some of last year's cells could not
    be read with certainty (``unsure``): what they hold is not known to be the same."""
    if ret.form.vintage != last.form.vintage:
        return False
    if unsure:
        return False
    now, then = complete(ret.form, ret.values), complete(last.form, last.values)
    inputs = ret.form.input_keys
    return all(now[k] == then[k] for k in inputs) and any(now[k] for k in inputs)


def unsure_key_figures(last: Return, unsure: Mapping[str, str]) -> dict[str, list[str]]:
    """Key figure name -> last year's input cells under it that were not read with certainty
    (only the figures that have some)."""
    found = {}
    for figure in KEY_FIGURES:
        unknown = doubtful(last.form, figure.keys, unsure)
        if unknown:
            found[figure.name] = unknown
    return found


def year_on_year_findings(
    ret: Return, last: Return, name: str, unsure: Mapping[str, str] | None = None
) -> list[Finding]:
    """X6 (the same figures as last year) and X5 (a key figure swung); ``name`` names last
    year's return in the messages. ``unsure``: last year's cells not read with certainty
    (default: ``units.unsure_figures(last)``); a key figure made of some is not compared, and
    one X5 warning says so."""
    if unsure is None:
        unsure = unsure_figures(last)
    if is_identical(ret, last, unsure):
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
    unknown = unsure_key_figures(last, unsure)
    for figure in KEY_FIGURES:
        if figure.name in unknown:
            continue
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
    if unknown:
        found.append(_swings_not_compared(ret, last, name, unknown, unsure))
    return found


def _swings_not_compared(
    ret: Return,
    last: Return,
    name: str,
    unknown: Mapping[str, list[str]],
    unsure: Mapping[str, str],
) -> Finding:
    """X5 (a warning): key figures whose last year's value could not be read with certainty,
    so their swing was not checked, at this year's cells of those figures."""
    cells = list(dict.fromkeys(key for keys in unknown.values() for key in keys))
    located = [
        ret.location(key) for figure in KEY_FIGURES if figure.name in unknown for key in figure.keys
    ]
    figures = "、".join(f"「{figure}」" for figure in unknown)
    return Finding(
        Rule.X5,
        f"上年报表（{name}）中{unsure_text(last.form, cells, unsure)}不是读得准的数字，"
        f"因此未核对{figures}与上年相比的增减。请核对上年报表中的这些格。",
        sheet=located[0][0],
        cells=tuple(dict.fromkeys(a1 for _, a1 in located)),
        operands={
            "项目": list(unknown),
            "上年报表": name,
            "上年单元格": [last.form.cell(key).description for key in cells],
            "原因": [unsure[key] for key in cells],
        },
    )


# -- 与上年对比 -----------------------------------------------------------------------------


@dataclass(frozen=True)
class YearRow:
    """One line of 与上年对比: a unit (or the whole summary) this year and last."""

    unit: str
    now: dict[str, Number]
    # None: no return last year; a figure None: last year's could not be read with certainty
    before: dict[str, Number | None] | None
    flags: tuple[str, ...]  # 雷同, 波动：新收、办结 …, 上年数字无法确定：结转
    previous_source: str = ""
    # key figure name -> why last year's is not known (its first unsure cell and the reason)
    unsure: dict[str, str] = field(default_factory=dict)
    # key figures whose cells mean another thing in last year's form (2019's 对外公开总数量
    # where 2021 has 现行有效件数): last year's is not shown, nor compared
    apart: tuple[str, ...] = ()

    def change(self, name: str) -> Number | None:
        if self.before is None:
            return None
        before = self.before[name]
        return None if before is None else self.now[name] - before


def year_row(
    unit: str,
    ret: Return,
    last: Return | None,
    source: str = "",
    unsure: Mapping[str, str] | None = None,
) -> YearRow:
    """``unsure``: last year's input cells not read with certainty (default: those of
    ``last`` itself, ``units.unsure_figures``; a sum of last year's returns has none of its
    own, so the caller gives theirs: ``LastYear.unsure_of``). A key figure made of some is
    shown as not known, not as a number, and is not compared."""
    now = key_figures(ret)
    if last is None:
        return YearRow(unit, now, None, (), source)
    if unsure is None:
        unsure = unsure_figures(last)
    unknown = unsure_key_figures(last, unsure)
    apart = tuple(f.name for f in KEY_FIGURES if f.meaning(last.form) != f.meaning(ret.form))
    before: dict[str, Number | None] = {
        name: None if name in unknown or name in apart else value
        for name, value in key_figures(last).items()
    }
    flags: list[str] = []
    if is_identical(ret, last, unsure):
        flags.append(IDENTICAL)
    swung = [
        f.name
        for f in KEY_FIGURES
        if (then := before[f.name]) is not None and is_swing(then, now[f.name])
    ]
    if swung:
        flags.append(f"{SWING}：" + "、".join(swung))
    if unknown:
        flags.append(f"{UNSURE}：" + "、".join(unknown))
    reasons = {
        name: f"{last.form.cell(keys[0]).description}（{unsure[keys[0]]}）"
        + (f" 等 {len(keys)} 格" if len(keys) > 1 else "")
        for name, keys in unknown.items()
    }
    return YearRow(unit, now, before, tuple(flags), source, reasons, apart)


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
    if ours.year is not None and theirs.year is not None and ours.year != theirs.year:
        # last year's published total given by mistake: every cell differs, and none of it
        # says why
        why = (
            f"上报的汇总表是 {theirs.year} 年度的，本次汇总是 {ours.year} 年度的，不能逐格核对"
            "（请给出同一年度的汇总表）。"
        )
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
        if other is None:  # 「道外区太平街道办事处」 in theirs is our 「太平街道办事处」
            other = index.by_place(mine.unit, index.places())
        if other is None or id(other) in matched:
            only_ours.append(mine.unit or "")
            continue
        matched[id(other)] = mine
        found = cell_differences(mine, other)
        if found:
            members.append(MemberDifference(mine.unit or "", found))
    only_theirs = tuple(m.unit or "" for m in their_members if id(m) not in matched)
    return Reconciliation(source, cells, only_theirs, tuple(only_ours), tuple(members), True)
