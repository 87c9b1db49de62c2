"""Balance rules as linear equations over data cells.

One ``Equation`` object yields all three faces of a rule, so they can never disagree:
the Python check (``residual``), the Chinese explanation with its operands (``explain``)
and the Excel formula of a live check or total cell (``excel``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from nianbao.form.a1 import cell_name, range_name
from nianbao.text import show_value

Number = int | Decimal
Values = Mapping[str, Number | None]  # cell key -> value (blank: None or absent)
Position = Callable[[str], tuple[int, int]]  # cell key -> zero-based (row, col) on its sheet

# A side with more terms than this is named as a whole in messages, not listed term by term.
_MAX_LISTED_TERMS = 4


@dataclass(frozen=True)
class Term:
    key: str  # data cell key, e.g. 三:1:c1
    name: str  # short name inside a message, e.g. 本年新收
    # True: the value comes from last year's return (cross-year rules X1, X3).
    last_year: bool = False


@dataclass(frozen=True)
class Equation:
    """``sum(lhs) == sum(rhs)`` for one column, row or group of one table.

    When ``defines`` is set the equation is the definition of a derived cell (a 总计): the
    lhs is that one cell and the check compares what the return reports there with the sum
    computed from the inputs.
    """

    rule: str  # stable rule id: E1, E3, E4, E5; X1, X3 across years
    table: str  # 二 / 三 / 四
    scope: str  # where it applies, e.g. 自然人列
    lhs: tuple[Term, ...]
    rhs: tuple[Term, ...]
    lhs_name: str = ""  # the side as a whole, e.g. 办理结果（一）至（六）各项之和
    rhs_name: str = ""
    defines: str | None = None

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(t.key for t in self.lhs + self.rhs)

    @property
    def across_years(self) -> bool:
        return any(t.last_year for t in self.lhs + self.rhs)

    # -- the Python face -------------------------------------------------------------
    @staticmethod
    def value(term: Term, values: Values, last: Values | None) -> Number:
        """A term's value: this year's, or last year's for a ``last_year`` term (blank is 0)."""
        source = last if term.last_year else values
        return (source or {}).get(term.key) or 0

    @classmethod
    def side(cls, terms: Sequence[Term], values: Values, last: Values | None = None) -> Number:
        total: Number = 0
        for term in terms:
            total += cls.value(term, values, last)
        return total

    def residual(self, values: Values, last: Values | None = None) -> Number:
        """lhs − rhs on ``values`` (and ``last``, last year's values, for cross-year rules)."""
        return self.side(self.lhs, values, last) - self.side(self.rhs, values, last)

    def holds(self, values: Values, last: Values | None = None) -> bool:
        return self.residual(values, last) == 0

    # -- the human face ---------------------------------------------------------------
    def _describe_side(
        self, terms: Sequence[Term], name: str, values: Values, last: Values | None = None
    ) -> str:
        total = self.side(terms, values, last)
        if len(terms) == 1:
            return f"{terms[0].name} {show_value(self.value(terms[0], values, last))}"
        if len(terms) > _MAX_LISTED_TERMS and name:
            return f"{name}为 {show_value(total)}"
        listed = " + ".join(f"{t.name} {show_value(self.value(t, values, last))}" for t in terms)
        return f"{listed} = {show_value(total)}"

    def explain(
        self,
        values: Values,
        reported: Number | None = None,
        last: Values | None = None,
    ) -> str:
        """The arithmetic in Chinese.

        For a balance (E1): 表三 自然人列：本年新收 12 + 上年结转 3 = 15，但办理结果总计 13 +
        结转下年度 1 = 14，相差 1。 For a derived cell, pass what the return ``reported`` there:
        表三 自然人列：（七）总计 填报 13，但（一）至（六）各项之和为 12，相差 1。
        """
        where = f"表{self.table} {self.scope}"
        if self.defines is not None and reported is not None:
            computed = self.side(self.rhs, values)
            rhs = self._describe_side(self.rhs, self.rhs_name, values)
            return (
                f"{where}：{self.lhs[0].name}填报 {show_value(reported)}，但{rhs}，"
                f"相差 {show_value(abs(reported - computed))}。"
            )
        left = self._describe_side(self.lhs, self.lhs_name, values, last)
        right = self._describe_side(self.rhs, self.rhs_name, values, last)
        diff = abs(self.residual(values, last))
        return f"{where}：{left}，但{right}，相差 {show_value(diff)}。"

    # -- the Excel face ---------------------------------------------------------------
    def excel_side(self, terms: Sequence[Term], position: Position) -> str:
        if any(t.last_year for t in terms):
            raise ValueError("a cross-year rule has no formula within one workbook")
        return excel_sum([position(t.key) for t in terms])

    def excel(self, position: Position) -> str:
        """The equation as an Excel boolean expression, e.g. ``D5+D6=D27+D29``."""
        return f"{self.excel_side(self.lhs, position)}={self.excel_side(self.rhs, position)}"

    def excel_difference(self, position: Position) -> str:
        """lhs − rhs as an Excel expression, for a check cell that shows the gap."""
        return f"({self.excel_side(self.lhs, position)})-({self.excel_side(self.rhs, position)})"


def excel_sum(cells: Sequence[tuple[int, int]]) -> str:
    """Cells as a sum; runs of adjacent cells in one column or row collapse to SUM(A1:A9)."""
    parts: list[str] = []
    i = 0
    while i < len(cells):
        j = i
        while j + 1 < len(cells) and _adjacent(cells[j], cells[j + 1], cells[i]):
            j += 1
        if j - i >= 2:
            parts.append(f"SUM({range_name(cells[i], cells[j])})")
        else:
            parts.extend(cell_name(*c) for c in cells[i : j + 1])
        i = j + 1
    return "+".join(parts)


def _adjacent(a: tuple[int, int], b: tuple[int, int], start: tuple[int, int]) -> bool:
    same_column = a[1] == b[1] == start[1] and b[0] == a[0] + 1
    same_row = a[0] == b[0] == start[0] and b[1] == a[1] + 1
    return same_column or same_row
