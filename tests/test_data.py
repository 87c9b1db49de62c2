"""A Return's canonical arithmetic: inputs as numbers, every total recomputed."""

import pickle
from decimal import Decimal

import pytest

from nianbao.form import FORMS
from nianbao.form.data import (
    CellValues,
    blank_return,
    cell_row,
    complete,
    completed_row,
    derivation_order,
    filled_return,
)
from tests.support.returns import valid_return

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


# -- CellValues: the compact values a merge holds for every return --------------------------


def odd_values(form):
    """Every kind of value a cell can hold, in turns."""
    kinds = [3, None, "十二", Decimal("2.5"), 2**70, 0]
    return {cell.key: kinds[i % len(kinds)] for i, cell in enumerate(form.cells)}


@pytest.mark.parametrize("vintage", VINTAGES)
def test_cell_values_behave_as_the_dict_they_stand_for(vintage):
    form = FORMS[vintage]
    plain = odd_values(form)
    compact = CellValues.of(form, plain)
    assert compact == plain and plain == compact and dict(compact) == plain
    assert list(compact) == list(plain) and len(compact) == len(plain)
    key = form.cells[5].key
    assert compact[key] == plain[key] and compact.get(key) == plain[key] and key in compact
    assert compact.get("三:99:zz") is None and compact.get("三:99:zz", 7) == 7
    assert "三:99:zz" not in compact
    with pytest.raises(KeyError):
        compact["三:99:zz"]
    compact[key] = 41
    assert compact[key] == 41 and compact != plain
    with pytest.raises(KeyError):
        compact["三:99:zz"] = 1  # a return holds the cells of its form, nothing else
    with pytest.raises(TypeError):
        del compact[key]


@pytest.mark.parametrize("vintage", VINTAGES)
def test_cell_values_survive_pickling_and_complete_as_the_dict_does(vintage):
    form = FORMS[vintage]
    plain = odd_values(form)
    compact = CellValues.of(form, plain)
    again = pickle.loads(pickle.dumps(compact))
    assert type(again) is CellValues and again.form is form and again == plain
    assert complete(form, compact) == complete(form, plain)
    assert cell_row(form, compact) is compact.row
    assert cell_row(form, plain) == compact.row


def test_cell_values_of_a_partial_dict_are_blank_where_it_has_no_key():
    form = FORMS["2021"]
    first = form.cells[0].key
    compact = CellValues.of(form, {first: 5})
    assert compact[first] == 5 and all(compact[c.key] is None for c in form.cells[1:])


@pytest.mark.parametrize("vintage", VINTAGES)
def test_a_completed_row_is_complete_in_the_forms_cell_order(vintage):
    form = FORMS[vintage]
    ret = valid_return(form, seed=5)
    ret.values[form.input_keys[0]] = "十二"  # text counts as 0 in both
    ret.values[form.derived_keys[0]] = 999_999  # a reported total is ignored in both
    for values in (dict(ret.values), CellValues.of(form, ret.values)):
        completed = complete(form, values)
        assert completed_row(form, values) == tuple(completed[c.key] for c in form.cells)
