"""Validate returns: cell types (pandera), balance rules, cover sheet and year, last year's figures.

``validate_returns`` works on many returns at once. Returns are grouped by vintage and cut into
chunks of ``CHUNK`` rows; within a chunk the cell checks run as one pandera validation per
table and the balance rules as one matrix product, so only the returns that fail pay for
Python-level work (building their Chinese messages).

The arithmetic is always done on the canonical values (``data.complete``): blank and text
count as 0 and every total is recomputed from the inputs. A total the return *reported* is
only compared with the recomputed one (E3/E4/E5 at that cell); it is never used in a sum.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from nianbao.checks.compare import year_on_year_findings
from nianbao.checks.units import (
    LAST_YEAR_NAME,
    LastYear,
    Paired,
    code_key,
    doubtful,
    unit_match,
    unsure_figures,
    unsure_text,
)
from nianbao.form import form_for_year
from nianbao.form.a1 import cell_name
from nianbao.form.common import OTHER_HANDLING_ITEMS
from nianbao.form.data import (
    Number,
    Return,
    complete,
    derivation_order,
    totals_without_text,
)
from nianbao.form.findings import Finding, Rule, Severity
from nianbao.form.layout import COVER_FIELDS, COVER_SHEET, COVER_VALUE_COL
from nianbao.form.model import Form
from nianbao.form.rules import Equation, Term
from nianbao.form.v2021 import FORM as FORM_2021
from nianbao.form.v2021 import ONE_ROW_OTHER_VARIANT
from nianbao.text import show_value

if TYPE_CHECKING:
    import numpy as np

CHUNK = 10_000  # rows per pandera frame: one frame of 100,000 returns needs gigabytes
# Sums of integers below this stay exact in float64 (2**53) even over hundreds of terms.
_EXACT_LIMIT = 2**40

# previous: last year's return for every return checked, last year's returns by unit (a
# mapping from unit name), or LastYear (what --previous gave: checks.units).
Previous = Return | Mapping[str, Return] | LastYear | None


def validate_returns(
    returns: Sequence[Return],
    *,
    previous: Previous = None,
    year: int | None = None,
    require_unit: bool = False,
    summing: bool = False,
) -> list[list[Finding]]:
    """Every finding of every return, in the order of ``returns``.

    Per return: its reading notes, then V01–V03 (pandera), E1/E3/E4/E5, L08 (a variant form),
    C01–C03/L03, N01–N06 (a document's text against its tables) and, when ``previous`` gives
    last year's return, X1/X3/X4. A document's findings name places (table, row and column
    labels, page), not the A1 cells of the grid it was read into.

    ``previous`` is one Return (compared with every return: the usual ``check FILE
    --previous LAST.xlsx``), a mapping from unit name to last year's Return (a batch of many
    units; a unit without an entry gets X7), or a LastYear (``LastYear.pair`` pairs them,
    ``returns`` all at once: a unit with its own return, a summary with last year's summary);
    see ``previous_findings``.
    ``year``: the report year required (C03 when a return says another year).
    ``require_unit``: a missing unit is an error instead of a warning (merge, publish).
    ``summing``: the returns are to be added up cell by cell (merge): a form that cannot be
    (L08, （六） printed as one row) is an error; published, it is printed as it was read.
    """
    previous = previous_index(previous)
    results = [_reading_notes(ret) for ret in returns]
    groups: dict[Form, list[int]] = {}  # by form: a vintage's variant has other cells
    for i, ret in enumerate(returns):
        groups.setdefault(ret.form, []).append(i)
    for indices in groups.values():
        form = returns[indices[0]].form
        for start in range(0, len(indices), CHUNK):
            chunk = indices[start : start + CHUNK]
            batch = [returns[i] for i in chunk]
            for i, found in zip(chunk, _validate_chunk(form, batch), strict=True):
                results[i].extend(found)
    for i, ret in enumerate(returns):
        results[i].extend(variant_findings(ret, merging=summing))
        results[i].extend(cover_findings(ret, year=year, require_unit=require_unit))
        if ret.narrative is not None:
            # a published report's text against its tables; a workbook has none, and the
            # module's patterns take 20 ms to compile (a fifth of a check's own time)
            from nianbao.checks.narrative import narrative_findings

            results[i].extend(narrative_findings(ret))
        if ret.places:
            results[i] = [ret.placed(finding) for finding in results[i]]
    if previous is not None:
        for i, found in enumerate(previous_findings(returns, previous)):
            results[i].extend(found)
    return results


def previous_findings(returns: Sequence[Return], previous: Previous) -> list[list[Finding]]:
    """The cross-year findings of each of ``returns`` (X1, X3–X7), in order: ``returns`` are
    paired with last year's all at once (``LastYear.pair``: one to one, so a batch checked in
    parts must be paired here once, whole: ``pipeline.check.check_paths``).

    A unit paired with its own return is compared with it (``cross_year_findings``); a unit
    without one gets X7 when last year's returns were given by unit, saying why (none of its
    code or name; or the one its code or name found is another unit's). A blank return says
    nothing about last year."""
    last_year = previous_index(previous)
    if last_year is None:
        return [[] for _ in returns]
    if not last_year.single:
        last_year.pair(returns)
    results: list[list[Finding]] = []
    for ret in returns:
        found: list[Finding] = []
        last = last_year.for_return(ret)
        if last is not None and not is_blank(ret):
            pairing = last_year.pairing(ret) if not last_year.single else None
            matched = pairing.how if pairing is not None and pairing.item is last else None
            found = cross_year_findings(ret, last, last_year.unsure(last), matched=matched)
        elif last_year.by_unit and not is_blank(ret):
            # returns by unit were given, none is this one's: said, not passed over (an empty
            # index, last year's summary without its members, is said once by the caller)
            found = [no_previous(ret, last_year)]
        results.append([ret.placed(f) for f in found] if ret.places else found)
    return results


def no_previous(ret: Return, last_year: LastYear | None = None) -> Finding:
    """X7: last year's returns were given by unit, but none of them is this unit's. When files
    of last year's folder could not be read, it says so: one named like this unit by name,
    else how many there are (``last_year.note`` names them all, once)."""
    checked = _checked(ret)
    operands: dict[str, object] = {"unit": ret.unit}
    pairing = last_year.pairing(ret) if last_year is not None else None
    if pairing is not None and pairing.lost:
        assert last_year is not None
        return _taken(ret, pairing, last_year)
    like = last_year.unread_like(ret) if last_year is not None else []
    broken = last_year.broken if last_year is not None else []
    if like:
        files = "、".join(f"「{Path(path).name}」（{why}）" for path, why in like)
        operands["无法读取的上年文件"] = [path for path, _ in like]
        return Finding(
            Rule.X7,
            f"--previous 给出的上年报表中，文件{files}看来是「{ret.unit or ret.issued}」的"
            f"（文件名与单位名称或代码相符），但无法读取；其余上年报表中没有该单位的报表"
            f"（按单位代码和名称查找），因此未核对{checked}。请重新提供该单位上一年度可以读取的报表"
            "（如在 Excel / WPS 中打开后另存为 .xlsx）。",
            operands=operands,
        )
    if ret.unit:
        why = f"--previous 给出的上年报表中没有「{ret.unit}」的报表（按单位代码和名称查找）"
    else:
        why = "本表没有填写填报单位，无法在 --previous 给出的上年报表中找到对应的报表"
    unread = ""
    if broken:
        operands["无法读取的上年文件"] = broken
        unread = f"（上年报表中另有 {len(broken)} 个文件无法读取，该单位的报表可能在其中。）"
    return Finding(
        Rule.X7,
        f"{why}，未核对{checked}。{unread}请补充该单位上一年度的报表，或核对两年的单位名称是否一致。",
        operands=operands,
    )


def _taken(ret: Return, pairing: Paired, last_year: LastYear) -> Finding:
    """X7 for a unit whose code or name found one of last year's returns that is another
    unit's: it went to a unit of this year that matches it better, or to none of those that
    match it as well (``UnitIndex.pair``). Names both, never compares with it."""
    said = []
    for lost in pairing.lost[:2]:
        item = lost.item
        found = (
            f"{_matched_by(ret, lost.how)}找到的上年报表（{previous_name(item)}{_code(item)}）"
            f"是「{item.unit or '未填单位'}」的"
        )
        others = "、".join(
            f"「{other.unit or '未填单位'}」（{other.source or '本批报表'}{_code(other)}）"
            for other in lost.to
        )
        if lost.tie:
            said.append(
                f"{found}，本年的{others}与它同样相符，无法确定是哪个单位的，都没有用它核对"
            )
            continue
        winner = last_year.pairing(lost.to[0]).how
        moved = "（单位代码多半重新编排过）" if lost.how == "code" and winner != "code" else ""
        said.append(f"{found}，与本年的{others}{_SAME.get(winner, '相符')}，已与该单位配对{moved}")
    if all(lost.tie for lost in pairing.lost):
        advice = (
            "同名的单位按单位代码区分：请核对两年的单位代码（各单位用本年下发给它的模板填报）。"
        )
    else:
        advice = (
            f"如本单位就是上年的「{pairing.lost[0].item.unit or '未填单位'}」（只是改了名称），"
            "请核对两年的单位名称和单位代码。"
        )
    return Finding(
        Rule.X7,
        f"{'；'.join(said)}。本表没有可用的上年报表，未核对{_checked(ret)}。{advice}",
        operands={
            "unit": ret.unit,
            "上年报表": [previous_name(lost.item) for lost in pairing.lost],
            "已配对或同样相符的本年单位": [o.unit for lost in pairing.lost for o in lost.to],
        },
    )


def _matched_by(ret: Return, how: str) -> str:
    """「按单位代码 230104002 」: how ``ret`` found one of last year's returns, as said."""
    if how == "code":
        return f"按单位代码 {ret.code} "
    if how == "name":
        return f"按单位名称「{ret.unit}」"
    if how == "issued":
        return f"按模板下发时的单位名称「{ret.issued}」"
    if how == "place":
        return f"按单位名称「{ret.unit}」（只差地名）"
    return "按单位代码和名称"


# How the unit that was paired with a return matches it (``units.MATCHES``), as said.
_SAME = {
    "code+name": "单位代码和名称都相同",
    "name": "单位名称相同",
    "issued": "模板下发时的单位名称相同",
    "code": "单位代码相同",
    "place": "单位名称只差地名",
}


def _code(ret: Return) -> str:
    """「，单位代码 230104002」 when ``ret`` has one (inside brackets, after the file)."""
    return f"，单位代码 {ret.code}" if code_key(ret.code) else ""


def _checked(ret: Return) -> str:
    """The cross-year rules of ``ret``'s form, as a message names them."""
    if ret.form.vintage == "2021":
        return "上年结转（X1）和现行有效件数（X3）"
    return "上年结转（X1）"


def variant_findings(ret: Return, *, merging: bool = False) -> list[Finding]:
    """L08: a 2021 表三 read with （六）其他处理 as one row (form variant ONE_ROW_OTHER).

    Its rules are checked exactly (the group's total stands in its one row), but how the
    total splits into the three items is unknown, so a merge, which adds up items, refuses it.
    """
    if ret.form.variant != ONE_ROW_OTHER_VARIANT:
        return []
    table = ret.form.table("三")
    row = next(leaf for leaf in table.blocks[0].row_leaves if leaf.code == _OTHER_ROW)
    items = "".join(f"「{item.label}」" for item in OTHER_HANDLING_ITEMS)
    keys = [cell.key for cell in table.cells if cell.row is row]
    sheet, cells = _cells(ret, keys)
    message = (
        f"表三「{row.label}」只印了一行，没有{FORM_2021.vintage}版表式中的{items}三个分项。"
        "已把这一行读作该组的合计，各项勾稽关系照常核对；导出时这一行按行代码 3.6 输出，不编造三个分项。"
    )
    if merging:
        message += (
            "汇总需要逐项相加，而这一合计如何分到三个分项无从得知（nianbao 不替单位拆分）："
            "请向该单位索取三个分项的数字，用模板重新报送；或加 --skip-invalid 先汇总其余报表。"
        )
    else:
        message += "汇总时需要三个分项：请向该单位索取分项数字。"
    return [
        Finding(
            Rule.L08,
            message,
            severity=Severity.ERROR if merging else None,
            sheet=sheet,
            cells=cells,
            operands={"合计行": row.label},
        )
    ]


_OTHER_ROW = "3.6"


def previous_index(previous: Previous) -> LastYear | None:
    """``previous`` as a LastYear (its returns found by code, then name)."""
    if previous is None or isinstance(previous, LastYear):
        return previous
    if isinstance(previous, Return):
        return LastYear(previous.source or "", [previous], previous)
    last_year = LastYear("", list(previous.values()), None)
    for name, last in previous.items():  # the mapping's own names count as well
        last_year.index.alias(name, last)
    return last_year


def is_blank(ret: Return) -> bool:
    """Not a single input cell filled: the template came back as it was sent. (Cells holding
    formulas without results, V07, or error values, V08, read as None but are not blank.)"""
    return all(ret.values.get(key) is None for key in ret.form.input_keys) and not any(
        note.rule in _NOT_BLANK for note in ret.notes
    )


_NOT_BLANK = (Rule.V07, Rule.V08)


def _reading_notes(ret: Return) -> list[Finding]:
    """The reader's notes; for a blank return one C04 instead of a V04 naming every cell."""
    if not is_blank(ret):
        return list(ret.notes)
    kept = [note for note in ret.notes if note.rule is not Rule.V04]
    return [
        *kept,
        Finding(
            Rule.C04,
            "统计表中没有填写任何数字（全部空白），看来是未填写的空白模板。请填写后重新报送；"
            "没有发生的事项请填 0。",
            file=ret.source,
        ),
    ]


def validate_return(ret: Return, **options: object) -> list[Finding]:
    """The findings of one return (see ``validate_returns`` for the options)."""
    return validate_returns([ret], **options)[0]  # type: ignore[arg-type]


def _validate_chunk(form: Form, batch: list[Return]) -> list[list[Finding]]:
    from nianbao.checks.schemas import type_findings, wide_values

    matrix = wide_values(form, batch)
    found = type_findings(form, batch, matrix)
    for i, rule_found in enumerate(rule_findings(form, batch, matrix)):
        found[i].extend(rule_found)
    return found


# -- balance rules -------------------------------------------------------------------------


@dataclass(frozen=True)
class RuleMatrix:
    """The form's equations as coefficients over its input cells.

    ``balance`` (E1) rows give each equation's residual; ``defining`` (E3/E4/E5) rows give the
    value each derived cell must hold. Both are linear in the inputs because every total is.
    """

    input_columns: np.ndarray  # positions in form.cells of the input cells some equation uses
    derived_columns: np.ndarray  # positions of the derived cells, in ``defining_equations`` order
    balance: np.ndarray  # (balance equations × inputs)
    defining: np.ndarray  # (derived cells × inputs)
    balance_equations: tuple[Equation, ...]
    defining_equations: tuple[Equation, ...]


@cache
def rule_matrix(form: Form) -> RuleMatrix:
    import numpy as np

    inputs = form.input_keys
    position = {key: i for i, key in enumerate(inputs)}
    expansion: dict[str, np.ndarray] = {}
    for key in inputs:
        unit = np.zeros(len(inputs))
        unit[position[key]] = 1.0
        expansion[key] = unit
    for key, equation in derivation_order(form):
        expansion[key] = sum((expansion[t.key] for t in equation.rhs), np.zeros(len(inputs)))

    def side(terms) -> np.ndarray:
        return sum((expansion[t.key] for t in terms), np.zeros(len(inputs)))

    balance_eqs = form.balance_equations
    defining_eqs = tuple(form.defining[key] for key in form.derived_keys)
    balance = np.array([side(eq.lhs) - side(eq.rhs) for eq in balance_eqs]).reshape(
        len(balance_eqs), len(inputs)
    )
    defining = np.array([side(eq.rhs) for eq in defining_eqs]).reshape(
        len(defining_eqs), len(inputs)
    )
    # Inputs no equation uses (表二) need not be read at all: a decimal fee must not make a
    # return take the slow exact path.
    used = np.flatnonzero(np.abs(balance).sum(axis=0) + np.abs(defining).sum(axis=0))
    cell_index = {cell.key: i for i, cell in enumerate(form.cells)}
    return RuleMatrix(
        input_columns=np.array([cell_index[inputs[i]] for i in used], dtype=np.intp),
        derived_columns=np.array([cell_index[k] for k in form.derived_keys], dtype=np.intp),
        balance=balance[:, used],
        defining=defining[:, used],
        balance_equations=balance_eqs,
        defining_equations=defining_eqs,
    )


def rule_findings(form: Form, batch: Sequence[Return], matrix: np.ndarray) -> list[list[Finding]]:
    """E1/E3/E4/E5 findings for a chunk of returns of one form; ``matrix`` from wide_values."""
    import numpy as np

    rules = rule_matrix(form)
    inputs, inputs_exotic = _numbers(matrix[:, rules.input_columns], blank=0.0)
    reported, reported_exotic = _numbers(matrix[:, rules.derived_columns], blank=np.nan)
    exotic = inputs_exotic | reported_exotic
    residuals = inputs @ rules.balance.T
    computed = inputs @ rules.defining.T
    balance_fail = residuals != 0
    defining_fail = ~np.isnan(reported) & (reported != computed)
    found: list[list[Finding]] = [[] for _ in batch]
    suspects = np.flatnonzero(exotic | balance_fail.any(axis=1) | defining_fail.any(axis=1))
    for row in suspects.tolist():
        # Exact arithmetic on the few returns that fail (or hold decimals or huge numbers).
        found[row] = equation_findings(form, batch[row])
    return found


def _numbers(values: np.ndarray, blank: float) -> tuple[np.ndarray, np.ndarray]:
    """Object values as float64 the way ``data.numeric`` reads them (text counts as 0, blank as
    ``blank``), and a per-row flag for rows that need exact arithmetic (decimals, huge numbers)."""
    import numpy as np
    from pandas.api.types import infer_dtype

    rows, columns = values.shape
    numbers = np.empty((rows, columns), dtype=np.float64)
    exotic = np.zeros(rows, dtype=bool)
    if infer_dtype(values.ravel(), skipna=True) in ("integer", "empty"):
        # The usual chunk holds whole numbers and blanks only: one conversion for all of it.
        numbers[:] = _whole_numbers(values.ravel()).reshape(rows, columns)
    else:
        for j in range(columns):
            column = values[:, j]
            if infer_dtype(column, skipna=True) in ("integer", "empty"):
                numbers[:, j] = _whole_numbers(column)
            else:
                numbers[:, j] = [_as_float(v, blank) for v in column]
                exotic |= np.array([isinstance(v, Decimal | float) for v in column], dtype=bool)
    blanks = np.isnan(numbers)
    if blank == 0.0:
        numbers[blanks] = 0.0
    exotic |= (np.abs(np.where(blanks, 0.0, numbers)) >= _EXACT_LIMIT).any(axis=1)
    return numbers, exotic


def _whole_numbers(values: np.ndarray) -> np.ndarray:
    """Python ints and blanks (None) as float64, blanks NaN."""
    import numpy as np
    import pandas as pd

    blank = pd.isna(values)
    numbers = np.full(len(values), np.nan)
    try:
        numbers[~blank] = values[~blank].astype(np.float64)
    except OverflowError:  # an integer beyond float range (V09): exact arithmetic takes over
        numbers[~blank] = [_as_float(v, np.nan) for v in values[~blank]]
    return numbers


def _as_float(value: object, blank: float) -> float:
    if value is None:
        return blank
    if isinstance(value, int | Decimal | float) and not isinstance(value, bool):
        try:
            return float(value)
        except OverflowError:  # beyond float range (V09): exact arithmetic takes over
            return math.copysign(math.inf, value)
    return 0.0 if blank == 0.0 else float("nan")  # text: 0 in a sum, not a reported number


def equation_findings(form: Form, ret: Return) -> list[Finding]:
    """E1/E3/E4/E5 for one return, in exact arithmetic (the reference the matrix must agree with).

    A reported total that equals the sum without the numbers stored as text (what a
    spreadsheet's SUM gives) is not an error here: the reader's note at those input cells says
    the file's totals left them out, and points at the cells to fix.
    """
    completed = complete(form, ret.values)
    left_out = totals_without_text(form, ret.values, ret.text_numbers)
    found: list[Finding] = []
    for key in form.derived_keys:
        reported = ret.values.get(key)
        if isinstance(reported, int | Decimal) and reported != completed[key]:
            if key not in left_out:
                found.append(derived_finding(form.defining[key], ret, completed, reported))
    for equation in form.balance_equations:
        if equation.residual(completed) != 0:
            found.append(balance_finding(equation, ret, completed))
    return found


def balance_finding(equation: Equation, ret: Return, completed: Mapping[str, Number]) -> Finding:
    """E1: a balance that does not hold, located at all its cells."""
    sheet, cells = _cells(ret, equation.keys)
    operands: dict[str, object] = {t.name: completed[t.key] for t in equation.lhs + equation.rhs}
    operands["差额"] = equation.residual(completed)
    message = (
        f"{equation.explain(completed)}{_not_numbers(equation.lhs + equation.rhs, ret)}"
        "请逐项核对这几个数字，改正后两边应相等。"
    )
    return Finding(_rule(equation), message, sheet=sheet, cells=cells, operands=operands)


def _not_numbers(terms: Sequence[Term], ret: Return) -> str:
    """Say which operands are not numbers (each reported at its cell: V01 text, V07 a formula
    without its result, V08 an error value), or are totals of such cells, so a balance
    message never shows such a cell's 0 as if it were the figure."""
    unreadable = {
        (note.sheet, a1): note.rule
        for note in ret.notes
        if note.rule in _NOT_BLANK
        for a1 in note.cells
    }

    def why_not(key: str) -> str | None:
        if isinstance(ret.values.get(key), str):
            return "填的不是数字"
        rule = unreadable.get(ret.location(key))
        return _WHY_NOT_A_NUMBER[rule] if rule is not None else None

    groups: dict[str, list[str]] = {}
    for term in terms:
        if term.key in ret.form.defining:  # a total: recomputed from its inputs
            parts = _inputs_of(ret.form, term.key)
            why = "的合计中有不是数字的格" if any(why_not(k) for k in parts) else None
        else:
            why = why_not(term.key)
        if why is not None:
            groups.setdefault(why, []).append(f"「{term.name}」")
    if not groups:
        return ""
    said = "，".join(f"{'、'.join(names)}{why}" for why, names in groups.items())
    return f"（其中{said}，上式按 0 计，请先改正。）"


@cache
def _inputs_of(form: Form, key: str) -> tuple[str, ...]:
    """The input cells a total adds up, through the totals it adds."""
    found: list[str] = []
    for term in form.defining[key].rhs:
        found.extend(_inputs_of(form, term.key) if term.key in form.defining else [term.key])
    return tuple(found)


_WHY_NOT_A_NUMBER = {Rule.V07: "是没有计算结果的公式", Rule.V08: "显示的是错误值"}


def derived_finding(
    equation: Equation, ret: Return, completed: Mapping[str, Number], reported: Number
) -> Finding:
    """E3/E4/E5: a total the return reports that differs from the sum of its items."""
    key = equation.defines
    assert key is not None
    sheet, cells = _cells(ret, (key,))
    computed = completed[key]
    operands: dict[str, object] = {t.name: completed[t.key] for t in equation.rhs}
    operands[f"{equation.lhs[0].name}（填报）"] = reported
    operands[equation.rhs_name or "各项之和"] = computed
    operands["差额"] = reported - computed
    message = (
        f"{equation.explain(completed, reported=reported)}{_not_numbers(equation.rhs, ret)}"
        f"请改为 {show_value(computed)}，或核对各项数字。"
    )
    return Finding(_rule(equation), message, sheet=sheet, cells=cells, operands=operands)


def _rule(equation: Equation) -> Rule:
    return Rule[equation.rule]


def _cells(ret: Return, keys: Sequence[str]) -> tuple[str | None, tuple[str, ...]]:
    located = [ret.location(key) for key in keys]
    return located[0][0], tuple(a1 for _, a1 in located)


# -- cover sheet and year ----------------------------------------------------------------------

_COVER = {f.key: f for f in COVER_FIELDS}
_TITLE_EXAMPLE = "某某区人民政府2024年政府信息公开工作年度报告"


def cover_cell(ret: Return, field: str) -> tuple[str | None, tuple[str, ...]]:
    """Where a cover field is: as the reader recorded it (``locations["cover:<field>"]``), else
    on nianbao's 封面 for a return read by identity (no recorded locations), else unknown."""
    recorded = ret.locations.get(f"cover:{field}")
    if recorded:
        return recorded[0], (recorded[1],)
    if not ret.locations:
        return COVER_SHEET, (cell_name(_COVER[field].row, COVER_VALUE_COL),)
    return None, ()


def cover_findings(
    ret: Return, *, year: int | None = None, require_unit: bool = False
) -> list[Finding]:
    """C01 (unit), C02 (year), L03 (vintage for the year), C03 (the year required)."""
    found: list[Finding] = []
    unit_label, year_label = _COVER["unit"].label, _COVER["year"].label
    if not (ret.unit or "").strip():
        sheet, cells = cover_cell(ret, "unit")
        advice = (
            f"报告标题中没有单位名称（标题应如「{_TITLE_EXAMPLE}」），请在命令中用 --unit 指定。"
            if ret.document
            else f"请在「{COVER_SHEET}」工作表「{unit_label}」一栏填写本单位全称"
            f"（不是用模板填写的表格，也可以在命令中用 --unit 指定）。"
        )
        found.append(
            Finding(
                Rule.C01,
                f"没有找到{unit_label}。{advice}",
                severity=Severity.ERROR if require_unit else None,
                sheet=sheet,
                cells=cells,
            )
        )
    effective = ret.year if ret.year is not None else year
    if ret.year is None:
        sheet, cells = cover_cell(ret, "year")
        raw = (ret.cover.get("year") or "").strip()
        seen = f"（填的是「{show_value(raw)}」，无法识别）" if raw else ""
        advice = (
            f"报告标题中没有年度（标题应如「{_TITLE_EXAMPLE}」），请在命令中用 --year 指定。"
            if ret.document
            else f"请在「{COVER_SHEET}」工作表「{year_label}」一栏填写四位数年份，"
            f"如 2024，或在命令中用 --year 指定。"
        )
        found.append(
            Finding(
                Rule.C02,
                f"没有找到{year_label}{seen}。{advice}",
                sheet=sheet,
                cells=cells,
                operands={year_label: raw or None},
            )
        )
    if effective is not None and not ret.form.covers_year(effective):
        found.append(_vintage_finding(ret.form, effective))
    if year is not None and ret.year is not None and ret.year != year:
        found.append(wrong_year(ret, year))
    return found


def wrong_year(ret: Return, year: int, batch: Mapping[int, int] | None = None) -> Finding:
    """C03: ``ret`` is for another year than ``year``: the year asked for (--year), or, where
    none was asked for, the year most returns of the batch are for (``batch``: how many
    returns give each year)."""
    year_label = _COVER["year"].label
    sheet, cells = cover_cell(ret, "year")
    if batch is None:
        why = f"本次要求的是 {year} 年度"
    else:
        counts = "，".join(f"{y} 年度 {n} 份" for y, n in sorted(batch.items(), reverse=True))
        why = (
            f"同一批报表的年度不一致（{counts}），多数是 {year} 年度"
            f"（本次未用 --year 指定年度；如本次收的确是 {ret.year} 年度，请用 --year {ret.year}）"
        )
    return Finding(
        Rule.C03,
        f"{year_label}填的是 {ret.year}，但{why}。请核对「{year_label}」，或确认是否发错了文件。",
        sheet=sheet,
        cells=cells,
        operands={"填报年度": ret.year, "要求年度": year, MOST_RETURNS: batch is not None},
    )


MOST_RETURNS = "按多数报表的年度"  # C03's operand: the year asked for is the batch's, not --year


def _vintage_finding(form: Form, year: int) -> Finding:
    operands = {"报告年度": year, "表式版本": form.vintage}
    try:
        right = form_for_year(year)
    except ValueError:
        message = f"报告年度 {year} 早于年度报告格式的适用年度（2019 年起）。请核对报告年度。"
        return Finding(Rule.L03, message, operands=operands)
    message = (
        f"{year} 年度的报告应使用{right.label}表式，但本文件是{form.label}表式。"
        f"请用 {right.vintage} 版模板（nianbao template --year {year}）重新填报。"
    )
    return Finding(Rule.L03, message, operands=operands)


# -- across years ------------------------------------------------------------------------------


def previous_name(last: Return) -> str:
    return last.source or last.label


def cross_year_findings(
    ret: Return,
    last: Return,
    unsure: Mapping[str, str] | None = None,
    *,
    matched: str | None = None,
) -> list[Finding]:
    """X4 (not the same unit / not the year before), X1 (结转), X3 (现行有效件数, 2021 only),
    X5/X6 (swings, the same figures again: checks.compare).

    ``matched``: how ``ret``'s unit was paired with ``last`` (``units.MATCHES``: by unit, so
    the same unit); None: ``last`` was given as last year's for it, and X4 says when code and
    names say it is another unit (``units.unit_match``). Found by its code alone under another
    name (a renamed unit, or a code given to another unit), every finding names last year's
    unit and says so.

    ``unsure``: last year's input cells whose figure was not read with certainty (default:
    ``units.unsure_figures(last)``). No rule uses them: where one would, a warning at this
    year's cells says which of last year's figures could not be read and that the comparison
    was not made. When last year's return is not of the year before (X4), X1 and X3 are not
    checked at all: their equalities hold between adjacent years only.
    """
    name = previous_name(last)
    if ret.kind == "summary" and last.kind == "summary":
        changed = membership_change(ret, last, name)
        if changed is not None:
            return [changed]
    if unsure is None:
        unsure = unsure_figures(last)
    found: list[Finding] = []
    if matched is None:
        matched = unit_match(ret, last)
    other_unit = matched == ""
    renamed = matched == "code" and bool(last.unit)
    if renamed:  # what it is compared with is said wherever it is named
        name = f"{name}，按单位代码 {ret.code} 找到，上年的单位名称是「{last.unit}」"
    not_adjacent = ret.year is not None and last.year is not None and last.year != ret.year - 1
    if other_unit or not_adjacent:
        found.append(_not_applicable(ret, last, name, other_unit, not_adjacent))
    now, then = ret.completed(), last.completed()
    skipped: dict[Rule, list[tuple[Equation, list[str]]]] = {}
    for eq in ret.form.cross_year if not not_adjacent else ():
        if not _comparable(eq, ret.form, last.form):
            continue
        rule = Rule[eq.rule]
        unknown = doubtful(last.form, [t.key for t in eq.rhs + eq.lhs if t.last_year], unsure)
        if unknown:
            skipped.setdefault(rule, []).append((eq, unknown))
            continue
        if eq.holds(now, then):
            continue
        sheet, a1 = ret.location(eq.lhs[0].key)
        operands: dict[str, object] = {
            t.name: Equation.value(t, now, then) for t in (*eq.lhs, *eq.rhs)
        }
        operands["差额"] = eq.residual(now, then)
        found.append(
            Finding(
                rule,
                f"{eq.explain(now, last=then)}（上年报表：{name}）{_CROSS_YEAR_ADVICE[rule]}",
                sheet=sheet,
                cells=(a1,),
                operands=operands,
            )
        )
    for rule, equations in skipped.items():
        found.append(_not_compared(rule, equations, ret, last, name, unsure))
    if not other_unit:  # figures of another unit say nothing about this one's swings
        found.extend(year_on_year_findings(ret, last, name, unsure))
    if renamed:  # an explanation under last year's name is for this unit (checks.accept)
        found = [replace(f, operands={**f.operands, LAST_YEAR_NAME: last.unit}) for f in found]
    return found


def _not_applicable(
    ret: Return, last: Return, name: str, other_unit: bool, not_adjacent: bool
) -> Finding:
    """X4: last year's return is of another unit (neither its code nor a name is this
    unit's), or of a year that is not the year before (X1, X3 not checked)."""
    reasons = []
    if other_unit:
        reasons.append(
            f"不是同一单位：上年报表是「{last.unit or '未填单位'}」{_with_code(last)}的，"
            f"本表是「{ret.unit or '未填单位'}」{_with_code(ret)}的，单位名称"
            f"{'和单位代码都' if code_key(ret.code) and code_key(last.code) else ''}不同"
        )
    if not_adjacent:
        reasons.append(
            f"年度不相邻：上年报表是{last.year}年度的，本表是{ret.year}年度的，"
            f"本年的数字与它不衔接是正常的，因此未用它核对{_checked(ret)}"
        )
    return Finding(
        Rule.X4,
        f"上年报表（{name}）与本表{'；'.join(reasons)}。{'跨年核对可能不适用，' if other_unit else ''}"
        "请确认 --previous 给的是本单位上一年度的报表。",
        operands={
            "本年单位": ret.unit,
            "本年年度": ret.year,
            "上年单位": last.unit,
            "上年年度": last.year,
        },
    )


def _with_code(ret: Return) -> str:
    return f"（单位代码 {ret.code}）" if code_key(ret.code) else ""


def _not_compared(
    rule: Rule,
    equations: Sequence[tuple[Equation, list[str]]],
    ret: Return,
    last: Return,
    name: str,
    unsure: Mapping[str, str],
) -> Finding:
    """X1/X3 as a warning at this year's cells: last year's figures they need could not be
    read with certainty, so the comparison was not made (never made with a 0 or a guess)."""
    unknown = list(dict.fromkeys(key for _, keys in equations for key in keys))
    located = [ret.location(eq.lhs[0].key) for eq, _ in equations]
    first = equations[0][0]
    scopes = "、".join(eq.scope for eq, _ in equations)
    return Finding(
        rule,
        f"上年报表（{name}）中{unsure_text(last.form, unknown, unsure)}不是读得准的数字，"
        f"因此未用它核对：表{first.table}的{first.lhs[0].name}（{scopes}）没有与上年比较。"
        "请核对上年报表中的这些格（改正后再用 --previous 核对），在此之前请自行核对本年的数字。",
        severity=Severity.WARNING,
        sheet=located[0][0],
        cells=tuple(a1 for _, a1 in located),
        operands={
            "上年报表": name,
            "上年单元格": [last.form.cell(key).description for key in unknown],
            "原因": [unsure[key] for key in unknown],
        },
    )


def membership_change(ret: Return, last: Return, name: str) -> Finding | None:
    """X4 when two summaries did not sum the same units: a unit that came or went moves the
    totals' 结转 and 现行有效件数, so X1/X3 (and the swings) are not checked on them. Member
    names come from each summary's 分单位明细, down through summaries among the members (their
    所含单位); without them, the counts of members decide."""
    from nianbao.text import unit_key

    if ret.member_names is not None and last.member_names is not None:
        # the units inside member summaries when both list them (所含单位), else the members
        deep = ret.counted_names is not None and last.counted_names is not None
        now = {unit_key(n): n for n in (ret.units_counted() if deep else ret.member_names)}
        then = {unit_key(n): n for n in (last.units_counted() if deep else last.member_names)}
        came = [n for k, n in now.items() if k not in then]
        gone = [n for k, n in then.items() if k not in now]
        if not came and not gone:
            return None
        detail = (
            f"本年有、上年没有的单位 {len(came)} 个{_names(came)}，"
            f"上年有、本年没有的单位 {len(gone)} 个{_names(gone)}"
        )
    elif ret.members == last.members:
        return None
    else:
        detail = f"本年汇总 {ret.members} 个单位，上年汇总 {last.members} 个单位"
    return Finding(
        Rule.X4,
        f"本年汇总与上年汇总（{name}）汇总的单位不同：{detail}。单位有增减时两年的汇总数不能逐项"
        f"衔接，因此未核对汇总数的上年结转（X1）、现行有效件数（X3）和增减。逐个单位核对请用 "
        f"check（或 merge、status）的 --previous 给出上年各单位的报表或上年的汇总表。",
        operands={"本年单位数": ret.members, "上年单位数": last.members},
    )


def _names(names: Sequence[str], limit: int = 10) -> str:
    if not names:
        return ""
    shown = "、".join(names[:limit]) + ("等" if len(names) > limit else "")
    return f"（{shown}）"


_CROSS_YEAR_ADVICE = {
    Rule.X1: "两者应相等：请核对本年的上年结转数，或上年报表是否有误。",
    Rule.X3: "如因清理、合并等原因不衔接可不改，否则请核对。",
}


def _comparable(eq: Equation, form: Form, last_form: Form) -> bool:
    """A last-year term is read only where last year's form has the same cell: the same key
    under the same row and column labels (the 2019 表二 columns mean something else)."""
    for term in (*eq.lhs, *eq.rhs):
        if not term.last_year:
            continue
        then = last_form.cell_by_key.get(term.key)
        now = form.cell_by_key.get(term.key)
        if then is None or now is None:
            return False
        if (then.row.label, then.column.label) != (now.row.label, now.column.label):
            return False
    return True
