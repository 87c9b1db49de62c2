"""The rule engine: every rule caught alone, at the right cells, with the arithmetic shown.

Mutation tests start from a valid return (built from the form), break exactly one rule and
expect exactly that rule id at exactly the cells it concerns.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nianbao.checks.engine import (
    CHUNK,
    equation_findings,
    rule_findings,
    validate_returns,
)
from nianbao.form import FORMS, get_form
from nianbao.form.data import Return, filled_return
from nianbao.form.findings import Rule, Severity
from nianbao.form.model import Form, ValueType
from tests.support.returns import consistent_previous, cover_a1, inputs_of, valid_return

VINTAGES = sorted(FORMS)


def rebuilt(ret: Return, changes: dict[str, int]) -> Return:
    """The return with some inputs changed and every total recomputed (so only balances break)."""
    inputs = inputs_of(ret)
    for key, delta in changes.items():
        inputs[key] += delta
    return filled_return(ret.form, inputs, unit=ret.unit, year=ret.year)


def first_cell(form: Form, table: str, value_type: ValueType) -> str:
    return next(
        c.key for c in form.table(table).cells if c.value_type is value_type and not c.derived
    )


def locations(ret: Return, *keys: str) -> tuple[str, ...]:
    return tuple(ret.location(key)[1] for key in keys)


def column_cells(column: str) -> tuple[str, ...]:
    return tuple(f"三:{row}:{column}" for row in ("1", "2", "3.7", "4"))


def only(findings, rule: Rule):
    assert [f.rule for f in findings] == [rule] * len(findings), [f.message for f in findings]
    assert findings, f"expected {rule.id}"
    return findings


# -- valid returns --------------------------------------------------------------------------


@pytest.mark.parametrize("vintage", VINTAGES)
def test_valid_returns_give_no_findings(vintage):
    form = get_form(vintage)
    returns = [valid_return(form, seed) for seed in range(20)]
    assert validate_returns(returns) == [[] for _ in returns]


@pytest.mark.parametrize("vintage", VINTAGES)
def test_an_all_zero_return_is_valid(vintage):
    form = get_form(vintage)
    ret = filled_return(form, {}, unit="水泥路街道", year=form.years[0])
    assert validate_returns([ret], year=form.years[0]) == [[]]


def test_reading_notes_come_first_and_are_kept():
    ret = valid_return(get_form("2021"))
    from nianbao.form.findings import Finding

    note = Finding(Rule.V04, "空白按 0 计")
    ret.notes = [note]
    assert validate_returns([ret]) == [[note]]


# -- cell values (pandera) ----------------------------------------------------------------------


@pytest.mark.parametrize("vintage", VINTAGES)
def test_text_in_a_number_cell_is_V01_at_that_cell(vintage):
    ret = valid_return(get_form(vintage))
    key = first_cell(ret.form, "二", ValueType.COUNT)
    ret.values[key] = "十二"
    (finding,) = only(validate_returns([ret])[0], Rule.V01)
    assert (finding.sheet, finding.cells) == (ret.location(key)[0], locations(ret, key))
    assert finding.message == (
        f"{ret.form.cell(key).description}填的是「十二」，不是数字。请填写阿拉伯数字，没有请填 0。"
    )


@pytest.mark.parametrize("vintage", VINTAGES)
@pytest.mark.parametrize("value_type", [ValueType.COUNT, ValueType.AMOUNT])
def test_a_negative_count_or_amount_is_V02(vintage, value_type):
    ret = valid_return(get_form(vintage))
    key = first_cell(ret.form, "二", value_type)
    ret.values[key] = -3
    (finding,) = only(validate_returns([ret])[0], Rule.V02)
    assert finding.cells == locations(ret, key)
    assert "-3" in finding.message and "不能为负数" in finding.message


@pytest.mark.parametrize("vintage", VINTAGES)
def test_a_fractional_count_is_V03(vintage):
    ret = valid_return(get_form(vintage))
    key = first_cell(ret.form, "二", ValueType.COUNT)
    ret.values[key] = Decimal("1.5")
    (finding,) = only(validate_returns([ret])[0], Rule.V03)
    assert finding.cells == locations(ret, key)
    assert "1.5" in finding.message


@pytest.mark.parametrize("vintage", VINTAGES)
def test_a_fractional_amount_is_fine(vintage):
    ret = valid_return(get_form(vintage))
    ret.values[first_cell(ret.form, "二", ValueType.AMOUNT)] = Decimal("12.34")
    assert validate_returns([ret]) == [[]]


def test_a_2019_change_may_be_negative_but_not_fractional():
    form = get_form("2019")
    ret = valid_return(form)
    key = first_cell(form, "二", ValueType.DELTA)
    ret.values[key] = -7
    assert validate_returns([ret]) == [[]]
    ret.values[key] = Decimal("-0.5")
    (finding,) = only(validate_returns([ret])[0], Rule.V03)
    assert finding.cells == locations(ret, key)


def test_blank_cells_are_left_to_the_reader():
    ret = valid_return(get_form("2021"))
    ret.values[first_cell(ret.form, "二", ValueType.COUNT)] = None
    assert validate_returns([ret]) == [[]]


def test_text_in_a_balance_cell_counts_as_zero_in_the_arithmetic():
    form = get_form("2021")
    ret = filled_return(form, {"三:1:c1": 2, "三:3.1:c1": 2}, unit="某局", year=2022)
    ret.values["三:1:c1"] = "二"
    rules = {f.rule for f in validate_returns([ret])[0]}
    assert rules == {Rule.V01, Rule.E1, Rule.E4}  # 二 read as 0: the column and its row total break


# -- balance rules --------------------------------------------------------------------------


@pytest.mark.parametrize("vintage", VINTAGES)
def test_an_unbalanced_column_is_E1_at_its_four_cells(vintage):
    ret = rebuilt(valid_return(get_form(vintage)), {"三:4:c1": 1})
    findings = only(validate_returns([ret])[0], Rule.E1)
    # the column itself and the 总计 column, whose cells are sums of the same rows
    assert [f.cells for f in findings] == [
        locations(ret, *column_cells("c1")),
        locations(ret, *column_cells("c7")),
    ]
    assert findings[0].operands["差额"] == -1
    assert all(f.sheet == ret.location("三:1:c1")[0] for f in findings)


def test_the_E1_message_shows_the_arithmetic():
    form = get_form("2021")
    ret = filled_return(form, {"三:1:c1": 12, "三:2:c1": 3, "三:3.1:c1": 13, "三:4:c1": 1})
    finding = next(f for f in validate_returns([ret])[0] if f.rule is Rule.E1)
    assert finding.message.startswith(
        "表三 自然人列：本年新收 12 + 上年结转 3 = 15，但办理结果总计 13 + 结转下年度 1 = 14，相差 1。"
    )
    assert finding.operands == {
        "本年新收": 12,
        "上年结转": 3,
        "办理结果总计": 13,
        "结转下年度": 1,
        "差额": 1,
    }


@pytest.mark.parametrize("vintage", VINTAGES)
@pytest.mark.parametrize(
    ("rule", "key"),
    [(Rule.E3, "三:3.7:c1"), (Rule.E4, "三:1:c7"), (Rule.E4, "三:3.7:c7"), (Rule.E5, "四:1:ar5")],
)
def test_a_wrong_reported_total_is_caught_at_that_cell(vintage, rule, key):
    ret = valid_return(get_form(vintage))
    computed = ret.values[key]
    ret.values[key] = computed + 2
    (finding,) = only(validate_returns([ret])[0], rule)
    assert finding.cells == locations(ret, key)
    equation = ret.form.defining[key]
    assert finding.message.startswith(equation.explain(ret.completed(), reported=computed + 2))
    assert f"请改为 {computed}" in finding.message
    assert finding.operands["差额"] == 2


def test_a_blank_or_text_total_is_not_compared():
    ret = valid_return(get_form("2021"))
    ret.values["三:3.7:c1"] = None
    ret.values["四:1:ar5"] = "见附件"
    assert [f.rule for f in validate_returns([ret])[0]] == [Rule.V01]


def test_a_decimal_total_is_compared_exactly():
    ret = valid_return(get_form("2021"))
    ret.values["三:1:c7"] = Decimal(ret.values["三:1:c7"]) + Decimal("0.5")
    assert sorted(f.rule.id for f in validate_returns([ret])[0]) == ["E4", "V03"]


def test_huge_numbers_do_not_lose_precision():
    form = get_form("2021")
    big = 10**20
    ret = filled_return(form, {"三:1:c1": big, "三:3.1:c1": big}, unit="某局", year=2022)
    # no unit has 10²⁰ requests (V09 at each such cell), but the arithmetic stays exact: no E1
    assert {f.rule for f in validate_returns([ret])[0]} == {Rule.V09}
    ret = filled_return(form, {"三:1:c1": big + 1, "三:3.1:c1": big}, unit="某局", year=2022)
    e1 = only([f for f in validate_returns([ret])[0] if f.rule is not Rule.V09], Rule.E1)
    assert [f.operands["差额"] for f in e1] == [1, 1]


# -- cover sheet and year ---------------------------------------------------------------------


@pytest.mark.parametrize("vintage", VINTAGES)
def test_a_missing_unit_is_C01_a_warning_for_check_and_an_error_for_merge(vintage):
    ret = valid_return(get_form(vintage), unit=None)
    (finding,) = only(validate_returns([ret])[0], Rule.C01)
    assert finding.level is Severity.WARNING
    assert finding.cells == (cover_a1("unit"),) and finding.sheet == "封面"
    (finding,) = only(validate_returns([ret], require_unit=True)[0], Rule.C01)
    assert finding.level is Severity.ERROR


@pytest.mark.parametrize("vintage", VINTAGES)
def test_a_missing_year_is_C02(vintage):
    ret = valid_return(get_form(vintage), year=None)
    ret.cover["year"] = "去年"
    (finding,) = only(validate_returns([ret])[0], Rule.C02)
    assert "去年" in finding.message and finding.level is Severity.WARNING


@pytest.mark.parametrize(
    ("vintage", "year", "right"), [("2019", 2022, "2021"), ("2021", 2020, "2019")]
)
def test_a_form_used_for_a_year_it_does_not_cover_is_L03(vintage, year, right):
    ret = valid_return(get_form(vintage), year=year)
    (finding,) = only(validate_returns([ret])[0], Rule.L03)
    assert finding.is_error
    assert f"{right} 版模板" in finding.message and str(year) in finding.message


@pytest.mark.parametrize("vintage", VINTAGES)
def test_a_year_other_than_the_one_required_is_C03(vintage):
    form = get_form(vintage)
    ret = valid_return(form, year=form.years[0])
    (finding,) = only(validate_returns([ret], year=form.years[0] + 1)[0], Rule.C03)
    assert finding.is_error and finding.cells == (cover_a1("year"),)


def test_the_required_year_stands_in_for_a_missing_one():
    ret = valid_return(get_form("2019"), year=None)
    findings = validate_returns([ret], year=2023)[0]
    assert [f.rule for f in findings] == [Rule.C02, Rule.L03]


# -- across years ---------------------------------------------------------------------------


@pytest.mark.parametrize("vintage", VINTAGES)
def test_a_consistent_previous_year_gives_no_findings(vintage):
    ret = valid_return(get_form(vintage))
    assert validate_returns([ret], previous=consistent_previous(ret)) == [[]]


@pytest.mark.parametrize("vintage", VINTAGES)
def test_carried_in_differing_from_last_years_carried_out_is_X1(vintage):
    ret = valid_return(get_form(vintage))
    last = rebuilt(consistent_previous(ret), {"三:4:c2": 3})
    last.source = "上年.xlsx"
    (finding,) = only(validate_returns([ret], previous=last)[0], Rule.X1)
    assert finding.cells == locations(ret, "三:2:c2") and finding.is_error
    assert "上年.xlsx" in finding.message and "相差 3" in finding.message


def test_stock_of_rules_not_following_from_last_year_is_X3():
    ret = valid_return(get_form("2021"))
    last = rebuilt(consistent_previous(ret), {"二:20-1.2:c3": 2})
    last.year, last.source = ret.year - 1, "上年.xlsx"
    (finding,) = only(validate_returns([ret], previous=last)[0], Rule.X3)
    assert finding.cells == locations(ret, "二:20-1.2:c3")
    assert finding.level is Severity.WARNING
    assert "相差 2" in finding.message


def test_X3_is_not_checked_against_a_2019_return():
    ret = valid_return(get_form("2021"))
    last = consistent_previous(ret)
    inputs = {k: v for k, v in inputs_of(last).items() if k in get_form("2019").cell_by_key}
    old = filled_return(get_form("2019"), inputs, unit=ret.unit, year=ret.year - 1)
    old.values["二:20-1.1:c3"] = 10**6  # would break X3 if the columns were compared
    assert [f.rule for f in validate_returns([ret], previous=old)[0]] == []


@pytest.mark.parametrize("vintage", VINTAGES)
@pytest.mark.parametrize("change", ["unit", "year"])
def test_a_previous_return_of_another_unit_or_year_is_X4(vintage, change):
    ret = valid_return(get_form(vintage))
    last = consistent_previous(ret)
    if change == "unit":
        last.unit = "另一个单位"
    else:
        last.year = ret.year - 2
    (finding,) = only(validate_returns([ret], previous=last)[0], Rule.X4)
    assert finding.level is Severity.WARNING


def test_previous_returns_can_be_given_by_unit():
    first, second = (valid_return(get_form("2021"), seed) for seed in (1, 2))
    last = {second.unit: rebuilt(consistent_previous(second), {"三:4:c1": 1})}
    findings = validate_returns([first, second], previous=last)
    # the unit without last year's return is said to be unchecked (X7), not passed over
    assert [f.rule for f in findings[0]] == [Rule.X7] and [f.rule for f in findings[1]] == [Rule.X1]


# -- batching -----------------------------------------------------------------------------------

MUTATIONS: list[Callable[[Return], None]] = [
    lambda r: r.values.__setitem__("三:1:c1", "十二"),
    lambda r: r.values.__setitem__("三:3.7:c2", 999),
    lambda r: r.values.__setitem__("四:1:lr5", -1),
    lambda r: r.values.__setitem__("三:4:c3", r.values["三:4:c3"] + 1),
    lambda r: r.values.__setitem__("三:2:c4", Decimal("0.5")),
    lambda r: setattr(r, "unit", None),
    lambda r: None,
]


def test_validating_many_returns_at_once_equals_validating_each_alone(monkeypatch):
    import nianbao.checks.engine

    monkeypatch.setattr(
        nianbao.checks.engine, "CHUNK", 7
    )  # several chunks, and both vintages mixed
    rng = random.Random(5)
    returns = []
    for seed in range(24):
        ret = valid_return(get_form(VINTAGES[seed % 2]), seed)
        rng.choice(MUTATIONS)(ret)
        returns.append(ret)
    together = validate_returns(returns)
    alone = [validate_returns([ret])[0] for ret in returns]
    assert [[f.to_dict() for f in found] for found in together] == [
        [f.to_dict() for f in found] for found in alone
    ]
    assert any(together) and not all(together)
    assert CHUNK == 10_000


VALUES = st.one_of(
    st.none(),
    st.integers(min_value=-5, max_value=30),
    st.integers(min_value=2**60, max_value=2**70),
    st.decimals(min_value=-3, max_value=30, places=1),
    st.sampled_from(["十二", "", "/", "见附件"]),
)


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(VINTAGES), st.data())
def test_the_matrix_path_agrees_with_exact_arithmetic(vintage, data):
    from nianbao.checks.schemas import wide_values

    form = get_form(vintage)
    ret = valid_return(form, data.draw(st.integers(0, 1000)))
    keys = data.draw(
        st.lists(st.sampled_from([c.key for c in form.cells if c.table.code != "二"]), max_size=6)
    )
    for key in keys:
        ret.values[key] = data.draw(VALUES)
    fast = rule_findings(form, [ret], wide_values(form, [ret]))[0]
    assert [f.to_dict() for f in fast] == [f.to_dict() for f in equation_findings(form, ret)]


def test_a_balance_message_says_which_operand_is_not_a_number_instead_of_showing_its_zero():
    ret = valid_return(get_form("2021"))
    ret.values["三:1:c1"] = "十二"  # V01 at the cell; E1 is computed with it as 0
    (e1,) = [f for f in validate_returns([ret])[0] if f.rule is Rule.E1 and "自然人列" in f.message]
    assert "本年新收 0" in e1.message and "「本年新收」填的不是数字，上式按 0 计" in e1.message
    assert any(f.rule is Rule.V01 for f in validate_returns([ret])[0])
