"""pandera schemas generated from the form: one per table, over a wide frame of returns.

A wide frame has one row per return and one column per data cell key of the table; its
dtype is ``object`` and it holds the values as read (int | Decimal | str | None). The checks
are the cell-level rules of the form:

- V01: a number, not text;
- V02: not negative (COUNT and AMOUNT cells);
- V03: a whole number (COUNT and DELTA cells).

Blank cells pass (the reader has already reported them as V04/V05). Failures are turned into
Chinese findings, one per cell and rule; pandera's own text never reaches a user.

pandera and pandas are imported inside the functions: importing this module is cheap.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from functools import cache
from typing import TYPE_CHECKING, Any

from nianbao.form.data import Return
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
    import pandas as pd

    if _kind(series) not in _ALL_NUMBERS:
        series = series.where(~_is_text(series))  # text is V01's business, not V02's
    return ~(pd.to_numeric(series, errors="coerce") < 0)


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


def _whole(value: Any) -> bool:
    if isinstance(value, Decimal):
        return value.is_finite() and value == value.to_integral_value()
    return float(value).is_integer()


CHECKS = {
    Rule.V01: (is_number, (ValueType.COUNT, ValueType.AMOUNT, ValueType.DELTA)),
    Rule.V02: (is_not_negative, (ValueType.COUNT, ValueType.AMOUNT)),
    Rule.V03: (is_whole, (ValueType.COUNT, ValueType.DELTA)),
}


# -- schemas --------------------------------------------------------------------------


@cache
def table_schemas(form: Form) -> dict[str, pa.DataFrameSchema]:
    """Table code -> the pandera schema of its wide frame (columns: the table's cell keys)."""
    import pandera.pandas as pa

    schemas: dict[str, pa.DataFrameSchema] = {}
    for table in form.tables:
        columns = {}
        for cell in table.cells:
            checks = [
                pa.Check(function, element_wise=False, ignore_na=False, name=rule.id)
                for rule, (function, types) in CHECKS.items()
                if cell.value_type in types
            ]
            columns[cell.key] = pa.Column(object, checks=checks, nullable=True, coerce=False)
        schemas[table.code] = pa.DataFrameSchema(
            columns, name=table.short, strict=True, ordered=False
        )
    return schemas


@cache
def _column_index(form: Form) -> dict[str, int]:
    return {cell.key: i for i, cell in enumerate(form.cells)}


def wide_values(form: Form, returns: Sequence[Return]) -> np.ndarray:
    """An object matrix: one row per return, one column per cell of ``form`` (form.cells order)."""
    import numpy as np

    keys = [cell.key for cell in form.cells]
    matrix = np.empty((len(returns), len(keys)), dtype=object)
    for i, ret in enumerate(returns):
        get = ret.values.get
        matrix[i, :] = [get(key) for key in keys]
    return matrix


def type_findings(
    form: Form, returns: Sequence[Return], matrix: np.ndarray | None = None
) -> list[list[Finding]]:
    """V01/V02/V03 findings per return, by validating each table's wide frame lazily.

    ``matrix`` (from ``wide_values``) may be passed when the caller already built it. Callers
    pass at most a chunk of about 10,000 returns at a time (memory grows with the frame).
    """
    import pandas as pd
    import pandera.pandas as pa

    if matrix is None:
        matrix = wide_values(form, returns)
    found: list[list[Finding]] = [[] for _ in returns]
    if not returns:
        return found
    index = _column_index(form)
    for table in form.tables:
        keys = [cell.key for cell in table.cells]
        columns = [index[key] for key in keys]
        frame = pd.DataFrame(matrix[:, columns], columns=keys, dtype=object)
        try:
            table_schemas(form)[table.code].validate(frame, lazy=True)
        except pa.errors.SchemaErrors as errors:
            _collect(errors.failure_cases, form, returns, found)
    return found


def _collect(
    failures: pd.DataFrame, form: Form, returns: Sequence[Return], found: list[list[Finding]]
) -> None:
    rules = {rule.id: rule for rule in CHECKS}
    for column, check, value, row in zip(
        failures["column"],
        failures["check"],
        failures["failure_case"],
        failures["index"],
        strict=True,
    ):
        rule = rules.get(check)
        if rule is None or row is None or column not in form.cell_by_key:
            # Only our own checks can fail on frames we build; anything else is not the filler's
            # doing, and pandera's text must not reach them.
            continue
        ret = returns[int(row)]
        # failure_case may have been converted by pandas; take the value from the return itself.
        found[int(row)].append(
            value_finding(rule, form.cell(column), ret, ret.values.get(column, value))
        )


def value_finding(rule: Rule, cell: Cell, ret: Return, value: object) -> Finding:
    """The finding for one cell that breaks V01, V02 or V03, with a message that says what to type."""
    sheet, a1 = ret.location(cell.key)
    shown = show_value(value)
    where = cell.description
    if rule is Rule.V01:
        message = f"{where}填的是「{shown}」，不是数字。请填写阿拉伯数字，没有请填 0。"
    elif rule is Rule.V02:
        message = f"{where}填的是 {shown}，不能为负数。请填写实际数字（{cell.value_type.chinese}），没有请填 0。"
    else:
        message = f"{where}填的是 {shown}，应为{cell.value_type.chinese}。请填写整数。"
    return Finding(
        rule, message, sheet=sheet, cells=(a1,), operands={"值": value, "单元格": cell.key}
    )
