"""One place says which value types the cell-level rules apply to: ``checks.schemas.CHECKS``
(the pandera checks derived from the form). Last year's figures that are no figure
(``checks.units.unsure_figures``) are judged by the same rules, read from there
(``schemas.rules_for``), and agree with what validation reports for the same cell."""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal

import pytest

from nianbao.checks import schemas
from nianbao.checks.schemas import CHECKS, rules_for, type_findings
from nianbao.checks.units import unsure_figures
from nianbao.form import get_form
from nianbao.form.findings import Rule
from nianbao.form.model import ValueType
from tests.support.returns import valid_return

FORM = get_form("2019")  # the vintage with every value type (DELTA: 本年增/减)
CELLS = {
    value_type: next(k for k in FORM.input_keys if FORM.cell(k).value_type is value_type)
    for value_type in ValueType
}
VALUES = (
    7,
    0,
    -3,
    Decimal("2.5"),
    Decimal("-2.5"),
    Decimal("0.25"),
    10**10,
    -(10**10),
    Decimal("1E+12"),
    Decimal("-1.5E+10"),
)
# The order in which unsure_figures names the one rule a value breaks.
ORDER = (Rule.V09, Rule.V02, Rule.V03)


def test_rules_for_is_read_from_the_checks():
    for value_type in ValueType:
        assert rules_for(value_type) == {
            r for r, (_, types) in CHECKS.items() if value_type in types
        }
    assert Rule.V02 not in rules_for(ValueType.DELTA)
    assert Rule.V03 not in rules_for(ValueType.AMOUNT)


@pytest.mark.parametrize("value_type", list(ValueType), ids=lambda t: t.value)
@pytest.mark.parametrize("value", VALUES, ids=str)
def test_last_years_unsure_figure_is_what_validation_reports(value_type, value):
    key = CELLS[value_type]
    ret = valid_return(FORM, 1, year=2020)
    ret.values[key] = value
    validated = {f.rule for f in type_findings(FORM, [ret])[0] if f.operands.get("单元格") == key}
    unsure = unsure_figures(ret).get(key)
    if not validated:
        assert unsure is None
    else:
        first = next(rule for rule in ORDER if rule in validated)
        assert unsure is not None and unsure.startswith(first.id), (validated, unsure)


def test_the_types_a_rule_applies_to_are_said_once():
    """Changing CHECKS changes what unsure_figures says: it restates nothing."""
    key = CELLS[ValueType.AMOUNT]
    ret = valid_return(FORM, 1, year=2020)
    ret.values[key] = Decimal("-2.5")
    assert unsure_figures(ret)[key].startswith("V02")
    original = CHECKS[Rule.V02]
    try:
        CHECKS[Rule.V02] = (original[0], (ValueType.COUNT,))
        rules_for.cache_clear()
        assert key not in unsure_figures(ret)
    finally:
        CHECKS[Rule.V02] = original
        rules_for.cache_clear()
    assert unsure_figures(ret)[key].startswith("V02")
    assert schemas.CHECKS[Rule.V02] == original


def test_the_units_module_imports_neither_pandas_nor_pandera():
    code = (
        "import sys, nianbao.checks.units; "
        "print(sorted(m for m in ('pandas', 'pandera', 'numpy') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
