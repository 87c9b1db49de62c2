"""A Return's canonical arithmetic: inputs as numbers, every total recomputed."""

from decimal import Decimal

import pytest

from nianbao.form import FORMS
from nianbao.form.data import blank_return, complete, derivation_order, filled_return

VINTAGES = sorted(FORMS)


@pytest.mark.parametrize("vintage", VINTAGES)
def test_every_derived_cell_is_computed_once_after_the_cells_it_sums(vintage):
    form = FORMS[vintage]
    order = derivation_order(form)
    assert sorted(k for k, _ in order) == sorted(form.derived_keys)
    seen = set(form.input_keys)
    for key, equation in order:
        assert all(t.key in seen for t in equation.rhs)
        seen.add(key)


@pytest.mark.parametrize("vintage", VINTAGES)
def test_completed_values_satisfy_every_total_rule(vintage):
    form = FORMS[vintage]
    inputs = {key: (i % 7) for i, key in enumerate(form.input_keys)}
    values = complete(form, inputs)
    for equation in form.equations:
        if equation.defines:
            assert equation.holds(values), equation


def test_reported_totals_are_ignored_and_blanks_and_text_count_as_zero():
    form = FORMS["2021"]
    ret = blank_return(form)
    ret.values["三:1:c1"] = 5
    ret.values["三:1:c2"] = "五"
    ret.values["三:1:c7"] = 99  # a wrong typed total is never trusted
    values = ret.completed()
    assert values["三:1:c7"] == 5
    assert values["三:3.7:c7"] == 0


def test_outcome_total_of_total_column_sums_all_outcomes():
    form = FORMS["2021"]
    outcome_inputs = [k for k in form.input_keys if k.startswith("三:3.")]
    ret = filled_return(form, dict.fromkeys(outcome_inputs, 1))
    assert ret.values["三:3.7:c1"] == 21
    assert ret.values["三:3.7:c7"] == 21 * 6


def test_amounts_stay_exact_decimals():
    form = FORMS["2021"]
    ret = filled_return(form, {"二:20-8.1:c1": Decimal("0.1")})
    assert ret.values["二:20-8.1:c1"] == Decimal("0.1")
