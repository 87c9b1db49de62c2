"""The three faces of a rule — Python check, Chinese explanation, Excel formula — agree."""

from decimal import Decimal

import pytest

from nianbao.form.rules import Equation, Term, excel_sum

BALANCE = Equation(
    "E1",
    "三",
    "自然人列",
    (Term("a", "本年新收"), Term("b", "上年结转")),
    (Term("c", "办理结果总计"), Term("d", "结转下年度")),
)
POSITIONS = {"a": (4, 3), "b": (5, 3), "c": (27, 3), "d": (28, 3)}


def test_residual_is_lhs_minus_rhs_with_blanks_as_zero():
    assert BALANCE.residual({"a": 12, "b": 3, "c": 13, "d": None}) == 2
    assert BALANCE.holds({"a": 1, "b": None, "c": 1})


def test_explanation_shows_both_sides_and_the_gap_in_chinese():
    text = BALANCE.explain({"a": 12, "b": 3, "c": 13, "d": 1})
    assert (
        text
        == "表三 自然人列：本年新收 12 + 上年结转 3 = 15，但办理结果总计 13 + 结转下年度 1 = 14，相差 1。"
    )


def test_explanation_of_a_derived_cell_names_the_reported_and_computed_values():
    total = Equation(
        "E5",
        "四",
        "行政复议",
        (Term("t", "总计"),),
        (Term("x", "结果维持"), Term("y", "结果纠正")),
        defines="t",
    )
    text = total.explain({"x": 2, "y": 1}, reported=5)
    assert text == "表四 行政复议：总计填报 5，但结果维持 2 + 结果纠正 1 = 3，相差 2。"


def test_long_sides_are_named_as_a_whole():
    many = tuple(Term(f"k{i}", f"第{i}项") for i in range(10))
    eq = Equation(
        "E3", "三", "自然人列", (Term("t", "（七）总计"),), many, rhs_name="各项之和", defines="t"
    )
    assert "各项之和为 10" in eq.explain(dict.fromkeys((t.key for t in many), 1), reported=9)


def test_excel_formula_uses_the_cells_positions():
    assert BALANCE.excel(POSITIONS.__getitem__) == "D5+D6=D28+D29"
    assert BALANCE.excel_difference(POSITIONS.__getitem__) == "(D5+D6)-(D28+D29)"


def test_excel_sum_collapses_runs_of_adjacent_cells():
    column_run = [(r, 3) for r in range(6, 27)]
    assert excel_sum(column_run) == "SUM(D7:D27)"
    assert excel_sum([(4, 0), (4, 1), (4, 2), (4, 3)]) == "SUM(A5:D5)"
    assert excel_sum([(0, 0), (1, 0)]) == "A1+A2"  # two cells read better as a plain sum
    assert excel_sum([(0, 0), (0, 2), (0, 4)]) == "A1+C1+E1"


def test_decimal_amounts_are_explained_without_float_noise():
    eq = Equation("E9", "二", "收费", (Term("a", "甲"),), (Term("b", "乙"),))
    assert "甲 1.5" in eq.explain({"a": Decimal("1.50"), "b": Decimal("1.2")})


def test_cross_year_rules_are_equations_of_the_form_with_last_year_terms():
    from nianbao.form import get_form

    for vintage, expected in (("2021", {"X1": 6, "X3": 2}), ("2019", {"X1": 6})):
        form = get_form(vintage)
        counts: dict[str, int] = {}
        for eq in form.cross_year:
            counts[eq.rule] = counts.get(eq.rule, 0) + 1
            assert eq.across_years and not any(t.last_year for t in eq.lhs)
        assert counts == expected, vintage


def test_a_cross_year_equation_checks_and_explains_with_last_years_values():
    from nianbao.form import get_form

    (eq,) = [e for e in get_form("2021").cross_year if e.rule == "X1" and e.scope == "自然人列"]
    now, last = {"三:2:c1": 4}, {"三:4:c1": 5}
    assert eq.residual(now, last) == -1 and not eq.holds(now, last)
    assert eq.holds({"三:2:c1": 5}, last)
    assert eq.explain(now, last=last) == (
        "表三 自然人列：本年「上年结转」 4，但上年报表的「结转下年度」 5，相差 1。"
    )
    with pytest.raises(ValueError):
        eq.excel(lambda key: (0, 0))  # no formula can reach last year's workbook
