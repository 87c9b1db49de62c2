"""pandera schemas generated from the form: one per value type, over a chunk of returns.

The schema of a value type (COUNT, AMOUNT, DELTA) has one column, named after the type,
holding that type's cells of every return in a chunk, as read (int | Decimal | str | None,
dtype ``object``). Its checks are the cell-level rules for that type:

- V01: a number, not text;
- V02: not negative (COUNT and AMOUNT cells);
- V03: a whole number (COUNT and DELTA cells);
- V09: within what any unit can report (at most 10⁹ requests, documents, cases or 万元):
  ``9.9E+307`` or 10¹⁰ in a count is a typing or formula accident, never a figure.

Blank cells pass (the reader has already reported them as V04/V05). Failures are turned into
Chinese findings, one per cell and rule; pandera's own text never reaches a user.

pandera and pandas are imported inside the functions: importing this module is cheap.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from decimal import Decimal
from functools import cache
from types import ModuleType
from typing import TYPE_CHECKING, Any

from nianbao.form.data import Return, cell_row
from nianbao.form.findings import Finding, Rule
from nianbao.form.model import Cell, Form, ValueType
from nianbao.text import show_value

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd
    import pandera.pandas as pa

NUMBER_TYPES = (int, Decimal, float)


# -- the checks (vectorised over one column) --------------------------------------------


# infer_dtype is a fast C pass; columns of plain numbers (the usual case) skip the element loop.
_ALL_NUMBERS = frozenset({"integer", "empty", "decimal", "floating", "mixed-integer-float"})
_ALL_WHOLE = frozenset({"integer", "empty"})


def _kind(series: pd.Series) -> str:
    from pandas.api.types import infer_dtype

    return infer_dtype(series, skipna=True)


def _is_text(series: pd.Series) -> pd.Series:
    """True where the value is present but not a number (the reader keeps such text as str)."""
    kinds = series.map(type)
    return ~kinds.isin(NUMBER_TYPES) & series.notna()


def is_number(series: pd.Series) -> pd.Series:
    import pandas as pd

    if _kind(series) in _ALL_NUMBERS:
        return pd.Series(True, index=series.index)
    return ~_is_text(series)


def is_not_negative(series: pd.Series) -> pd.Series:
    import numpy as np
    import pandas as pd

    values = series.to_numpy()
    # Compare the numbers themselves (int, Decimal, float), skipping blanks and text (text is
    # V01's business, not V02's): four times faster than converting the column to float.
    present = (
        pd.notna(values) if _kind(series) in _ALL_NUMBERS else ~_is_text(series) & series.notna()
    )
    negative = np.zeros(len(values), dtype=bool)
    try:
        np.less(values, 0, out=negative, where=np.asarray(present, dtype=bool))
    except ArithmeticError:  # Decimal("NaN") cannot be ordered: compare as floats instead
        negative = (pd.to_numeric(series.where(present), errors="coerce") < 0).to_numpy()
    return pd.Series(~negative, index=series.index)


def is_whole(series: pd.Series) -> pd.Series:
    import pandas as pd

    result = pd.Series(True, index=series.index)
    if _kind(series) in _ALL_WHOLE:
        return result
    # Only Decimal (or float) can be fractional, and those are few: test them exactly.
    suspects = series.map(type).isin((Decimal, float))
    if suspects.any():
        result[suspects] = [_whole(v) for v in series[suspects]]
    return result


# No unit handles a billion of anything in a year (nor 10⁹ 万元 in fees): a larger number is
# an accident, and sums of such numbers would leave the range a spreadsheet can hold.
PLAUSIBLE_MAX = 10**9


def is_plausible(series: pd.Series) -> pd.Series:
    import pandas as pd

    if _kind(series) not in _ALL_NUMBERS:
        series = series.where(~_is_text(series))  # text is V01's business
    try:
        numbers = pd.to_numeric(series, errors="coerce")
    except OverflowError:  # an integer beyond float range: judged one by one
        numbers = pd.Series(
            [float("inf") if isinstance(v, int) and abs(v) > PLAUSIBLE_MAX else v for v in series],
            index=series.index,
        ).pipe(pd.to_numeric, errors="coerce")
    return ~(numbers.abs() > PLAUSIBLE_MAX)


def _whole(value: Any) -> bool:
    if isinstance(value, Decimal):
        return value.is_finite() and value == value.to_integral_value()
    return float(value).is_integer()


# The cell-level rules, each with the value types it applies to: the one place that says so
# (the schemas are built from it, and ``checks.units.unsure_figures`` asks ``rules_for``).
CHECKS = {
    Rule.V01: (is_number, (ValueType.COUNT, ValueType.AMOUNT, ValueType.DELTA)),
    Rule.V02: (is_not_negative, (ValueType.COUNT, ValueType.AMOUNT)),
    Rule.V03: (is_whole, (ValueType.COUNT, ValueType.DELTA)),
    Rule.V09: (is_plausible, (ValueType.COUNT, ValueType.AMOUNT, ValueType.DELTA)),
}


@cache
def rules_for(value_type: ValueType) -> frozenset[Rule]:
    """The cell-level rules (``CHECKS``) a cell of ``value_type`` must pass."""
    return frozenset(rule for rule, (_, types) in CHECKS.items() if value_type in types)


# -- the schema -----------------------------------------------------------------------


def import_pandera() -> ModuleType:
    """``pandera.pandas``, without the optional imports that cost more than validating does.

    pandera imports hypothesis (only for synthesising data, never used here: about 0.2 s) in
    ``pandera.strategies.base_strategies`` whenever it is installed. While that module loads,
    ``hypothesis`` is marked absent, so pandera takes its own no-hypothesis branch; a process
    that already imported hypothesis (the test suite) keeps it.
    """
    import pandera.pandas as pa

    if "pandera.strategies.base_strategies" in sys.modules or "hypothesis" in sys.modules:
        return pa
    sys.modules["hypothesis"] = None  # type: ignore[assignment]  # "import hypothesis" fails
    try:
        import pandera.strategies.base_strategies  # noqa: F401
    finally:
        if sys.modules.get("hypothesis", 0) is None:
            del sys.modules["hypothesis"]
    return pa


def _value_types(form: Form) -> tuple[ValueType, ...]:
    present = {cell.value_type for cell in form.cells}
    return tuple(t for t in ValueType if t in present)


@cache
def value_schemas(form: Form) -> dict[ValueType, pa.DataFrameSchema]:
    """Value type -> the pandera schema of that type's cells (one column named after the type).

    pandera's cost is per column and per check, hardly per row, so this shape (a long column
    per value type) validates 1 or 10,000 returns in a few milliseconds, where a column per
    data cell cost 0.1–0.2 s a call.
    """
    pa = import_pandera()
    return {
        value_type: pa.DataFrameSchema(
            {
                value_type.value: pa.Column(
                    object,
                    checks=[
                        pa.Check(function, element_wise=False, ignore_na=False, name=rule.id)
                        for rule, (function, _) in CHECKS.items()
                        if rule in rules_for(value_type)
                    ],
                    nullable=True,
                    coerce=False,
                )
            },
            name=f"{form.label} {value_type.chinese}",
            strict=True,
        )
        for value_type in _value_types(form)
    }


@cache
def cells_of_type(form: Form) -> dict[ValueType, tuple[int, ...]]:
    """Value type -> positions (in ``form.cells``) of the cells of that type, in form order."""
    return {
        value_type: tuple(i for i, cell in enumerate(form.cells) if cell.value_type is value_type)
        for value_type in _value_types(form)
    }


def wide_values(form: Form, returns: Sequence[Return]) -> np.ndarray:
    """An object matrix: one row per return, one column per cell of ``form`` (form.cells order)."""
    import numpy as np

    matrix = np.empty((len(returns), len(form.cells)), dtype=object)
    for i, ret in enumerate(returns):
        matrix[i, :] = cell_row(form, ret.values)
    return matrix


def value_frame(form: Form, value_type: ValueType, matrix: np.ndarray) -> pd.DataFrame:
    """The frame ``value_schemas(form)[value_type]`` validates: ``matrix``'s cells of that
    type, row by row (return 0's cells in form order, then return 1's, ...)."""
    import pandas as pd

    column = matrix[:, cells_of_type(form)[value_type]].ravel()
    return pd.DataFrame({value_type.value: column}, dtype=object, copy=False)


def type_findings(
    form: Form, returns: Sequence[Return], matrix: np.ndarray | None = None
) -> list[list[Finding]]:
    """V01/V02/V03 findings per return (in form cell order), from lazy pandera validations.

    ``matrix`` (from ``wide_values``) may be passed when the caller already built it. Callers
    pass at most a chunk of about 10,000 returns at a time (memory grows with the frame).
    """
    pa = import_pandera()
    if matrix is None:
        matrix = wide_values(form, returns)
    found: list[list[Finding]] = [[] for _ in returns]
    if not returns:
        return found
    failed: set[tuple[int, int, Rule]] = set()
    for value_type, schema in value_schemas(form).items():
        try:
            schema.validate(value_frame(form, value_type, matrix), lazy=True)
        except pa.errors.SchemaErrors as errors:
            failed |= _failed(errors.failure_cases, cells_of_type(form)[value_type])
    for ret_index, position, rule in sorted(failed, key=lambda f: (f[0], f[1], f[2].id)):
        ret, cell = returns[ret_index], form.cells[position]
        found[ret_index].append(value_finding(rule, cell, ret, ret.values.get(cell.key)))
    return found


def _failed(failures: pd.DataFrame, positions: tuple[int, ...]) -> set[tuple[int, int, Rule]]:
    """(return index, cell position in form.cells, rule) of each failure of one type's frame."""
    rules = {rule.id: rule for rule in CHECKS}
    failed: set[tuple[int, int, Rule]] = set()
    for check, row in zip(failures["check"], failures["index"], strict=True):
        rule = rules.get(check)
        if rule is None or row is None:
            # Only our own checks can fail on frames we build; anything else is not the filler's
            # doing, and pandera's text must not reach them.
            continue
        ret_index, offset = divmod(int(row), len(positions))
        failed.add((ret_index, positions[offset], rule))
    return failed


# How the grid writes a workbook cell a date or time format turned into a date (grid._convert):
# 2021-01-02, 2021-01-02 08:30:00, 08:30:00; an .xlsb's duration (grid.duration_words):
# 10 天 0 小时, 2 天 2 小时 57 分 46.598 秒.
_DATE_SHOWN = re.compile(
    r"\d{4}-\d{2}-\d{2}(?: \d{2}:\d{2}:\d{2}(?:\.\d+)?)?"
    r"|\d{1,2}:\d{2}:\d{2}(?:\.\d+)?"
    r"|(?:负 )?(?:\d+ 天 )?\d+ 小时(?: \d+ 分)?(?: [\d.]+ 秒)?"
)


def value_finding(rule: Rule, cell: Cell, ret: Return, value: object) -> Finding:
    """The finding for one cell that breaks V01, V02, V03 or V09, with a message that says what to type."""
    sheet, a1 = ret.location(cell.key)
    shown = show_value(value)
    # a document's finding is shown after its place (表二「…」行「…」列), which says the same
    where = cell.description if ret.document is None else "此格"
    if rule is Rule.V01 and ret.document is None and _DATE_SHOWN.fullmatch(str(value)):
        message = (
            f"{where}被设成了日期或时间格式，填进去的数字显示成了日期或时间（读到的是「{shown}」，"
            "表格中的样子取决于格式），不是数字。"
            "请把这一格的格式改为「常规」或「数值」，再填写阿拉伯数字，没有请填 0。"
        )
    elif rule is Rule.V01:
        message = f"{where}填的是「{shown}」，不是数字。请填写阿拉伯数字，没有请填 0。"
    elif rule is Rule.V02:
        message = f"{where}填的是 {shown}，不能为负数。请填写实际数字（{cell.value_type.chinese}），没有请填 0。"
    elif rule is Rule.V03:
        message = f"{where}填的是 {shown}，应为{cell.value_type.chinese}。请填写整数。"
    else:
        message = (
            f"{where}填的是 {shown}，超出合理范围（不可能超过 {PLAUSIBLE_MAX:,}），"
            "可能是误输入或公式出错。请核对后填写实际数字。"
        )
    return Finding(
        rule, message, sheet=sheet, cells=(a1,), operands={"值": value, "单元格": cell.key}
    )
