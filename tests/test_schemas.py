"""pandera schemas generated from the form, and their failures turned into Chinese findings."""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal

import pytest

from nianbao.checks.schemas import (
    cells_of_type,
    type_findings,
    value_frame,
    value_schemas,
    wide_values,
)
from nianbao.form import FORMS, get_form
from nianbao.form.findings import Rule
from nianbao.form.model import ValueType
from nianbao.text import show_value
from tests.support.returns import valid_return

VINTAGES = sorted(FORMS)

# value typed into a cell -> the rules it breaks, per value type of the cell
BREAKS = {
    "十二": {ValueType.COUNT: {"V01"}, ValueType.AMOUNT: {"V01"}, ValueType.DELTA: {"V01"}},
    -2: {ValueType.COUNT: {"V02"}, ValueType.AMOUNT: {"V02"}, ValueType.DELTA: set()},
    Decimal("2.5"): {ValueType.COUNT: {"V03"}, ValueType.AMOUNT: set(), ValueType.DELTA: {"V03"}},
    Decimal("-2.5"): {
        ValueType.COUNT: {"V02", "V03"},
        ValueType.AMOUNT: {"V02"},
        ValueType.DELTA: {"V03"},
    },
    Decimal("3"): {ValueType.COUNT: set(), ValueType.AMOUNT: set(), ValueType.DELTA: set()},
    None: {ValueType.COUNT: set(), ValueType.AMOUNT: set(), ValueType.DELTA: set()},
    0: {ValueType.COUNT: set(), ValueType.AMOUNT: set(), ValueType.DELTA: set()},
    10**9: {ValueType.COUNT: set(), ValueType.AMOUNT: set(), ValueType.DELTA: set()},
    10**9 + 1: {ValueType.COUNT: {"V09"}, ValueType.AMOUNT: {"V09"}, ValueType.DELTA: {"V09"}},
    -(10**10): {
        ValueType.COUNT: {"V02", "V09"},
        ValueType.AMOUNT: {"V02", "V09"},
        ValueType.DELTA: {"V09"},
    },
    99 * 10**306: {ValueType.COUNT: {"V09"}, ValueType.AMOUNT: {"V09"}, ValueType.DELTA: {"V09"}},
    10**400: {ValueType.COUNT: {"V09"}, ValueType.AMOUNT: {"V09"}, ValueType.DELTA: {"V09"}},
    Decimal("1E+400"): {
        ValueType.COUNT: {"V09"},
        ValueType.AMOUNT: {"V09"},
        ValueType.DELTA: {"V09"},
    },
}


@pytest.mark.parametrize("vintage", VINTAGES)
def test_one_schema_per_value_type_holding_every_cell_of_that_type(vintage):
    form = get_form(vintage)
    types = [t for t in ValueType if any(c.value_type is t for c in form.cells)]
    schemas = value_schemas(form)
    assert list(schemas) == types
    for value_type in types:
        assert list(schemas[value_type].columns) == [value_type.value]
    positions = cells_of_type(form)
    assert sorted(p for t in types for p in positions[t]) == list(range(len(form.cells)))
    for value_type, held in positions.items():
        assert all(form.cells[p].value_type is value_type for p in held)


@pytest.mark.parametrize("vintage", VINTAGES)
def test_checks_follow_the_value_type_of_each_cell(vintage):
    form = get_form(vintage)
    for cell in form.cells:
        schema = value_schemas(form)[cell.value_type]
        names = {check.name for check in schema.columns[cell.value_type.value].checks}
        expected = {"V01"} | ({"V02"} if cell.value_type is not ValueType.DELTA else set())
        expected |= {"V03"} if cell.value_type is not ValueType.AMOUNT else set()
        expected |= {"V09"}  # every number cell: no unit reports more than 10⁹
        assert names == expected, cell.key


@pytest.mark.parametrize("vintage", VINTAGES)
def test_each_frame_holds_every_return_s_cells_of_its_type_in_order(vintage):
    form = get_form(vintage)
    returns = [valid_return(form, seed) for seed in range(3)]
    matrix = wide_values(form, returns)
    for value_type, held in cells_of_type(form).items():
        column = list(value_frame(form, value_type, matrix)[value_type.value])
        assert column == [r.values[form.cells[p].key] for r in returns for p in held]


@pytest.mark.parametrize("vintage", VINTAGES)
@pytest.mark.parametrize("value", list(BREAKS), ids=repr)
def test_each_value_breaks_exactly_the_rules_of_its_cell_type(vintage, value):
    form = get_form(vintage)
    for value_type in ValueType:
        cells = [c for c in form.cells if c.value_type is value_type]
        if not cells:
            continue
        ret = valid_return(form)
        for cell in cells:
            ret.values[cell.key] = value
        found = type_findings(form, [ret])[0]
        expected = BREAKS[value][value_type]
        assert {(f.rule.id, f.cells[0]) for f in found} == {
            (rule, ret.location(c.key)[1]) for rule in expected for c in cells
        }


def test_findings_are_chinese_and_carry_no_pandera_text():
    form = get_form("2021")
    ret = valid_return(form)
    ret.values["三:1:c1"] = "十二"
    ret.values["二:20-1.1:c1"] = -4
    ret.values["四:1:ar1"] = Decimal("0.5")
    found = type_findings(form, [ret])[0]
    assert [f.rule for f in found] == [Rule.V02, Rule.V01, Rule.V03]
    assert found[1].message == (
        "表三「一、本年新收政府信息公开申请数量」行「自然人」列填的是「十二」，不是数字。请填写阿拉伯数字，没有请填 0。"
    )
    for finding in found:
        assert finding.sheet == ret.location(finding.operands["单元格"])[0]
        for word in ("pandera", "Schema", "Column", "failure", "Check", "dtype"):
            assert word not in finding.message


def test_findings_land_on_the_right_return_of_a_batch():
    form = get_form("2019")
    returns = [valid_return(form, seed) for seed in range(30)]
    returns[7].values["三:2:c3"] = "若干"
    returns[23].values["四:1:ld2"] = -1
    found = type_findings(form, returns, wide_values(form, returns))
    assert {i for i, f in enumerate(found) if f} == {7, 23}
    assert found[7][0].operands["值"] == "若干" and found[23][0].rule is Rule.V02


def test_long_or_control_text_is_shown_safely():
    assert show_value("a\x1b[31mb") == "a�[31mb"
    assert show_value("很长" * 40).endswith("…") and len(show_value("很长" * 40)) == 30
    assert show_value(Decimal("1.50")) == "1.5"
    assert show_value(99 * 10**306) == "9.9E+307"  # as Excel shows it, not its 308 digits
    assert show_value(10**15 + 1) == "1E+15"
    assert show_value("  两 行\n文字 ") == "两 行 文字"


def test_importing_the_schemas_does_not_import_pandera():
    code = "import sys, nianbao.checks.schemas, nianbao.checks.engine, nianbao.pipeline.check; print('pandera' in sys.modules, 'pandas' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def test_validating_does_not_import_hypothesis_and_still_finds_every_failure():
    """pandera imports hypothesis (0.2 s) whenever it is installed; nianbao never needs it."""
    code = (
        "import sys\n"
        "from nianbao.form import get_form\n"
        "from nianbao.form.data import filled_return\n"
        "from nianbao.checks.schemas import type_findings\n"
        "form = get_form('2021')\n"
        "ret = filled_return(form, {})\n"
        "ret.values['三:1:c1'] = '十二'\n"
        "ret.values['三:2:c1'] = -1\n"
        "print(sorted(f.rule.id for f in type_findings(form, [ret])[0]), 'hypothesis' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["['V01',", "'V02']", "False"]
