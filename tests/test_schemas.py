"""pandera schemas generated from the form, and their failures turned into Chinese findings."""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal

import pytest

from nianbao.checks.schemas import table_schemas, type_findings, wide_values
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
}


@pytest.mark.parametrize("vintage", VINTAGES)
def test_one_schema_per_table_with_one_column_per_data_cell(vintage):
    form = get_form(vintage)
    schemas = table_schemas(form)
    assert list(schemas) == [t.code for t in form.tables]
    for table in form.tables:
        assert list(schemas[table.code].columns) == [c.key for c in table.cells]


@pytest.mark.parametrize("vintage", VINTAGES)
def test_checks_follow_the_value_type_of_each_cell(vintage):
    form = get_form(vintage)
    for cell in form.cells:
        names = {
            check.name for check in table_schemas(form)[cell.table.code].columns[cell.key].checks
        }
        expected = {"V01"} | ({"V02"} if cell.value_type is not ValueType.DELTA else set())
        expected |= {"V03"} if cell.value_type is not ValueType.AMOUNT else set()
        assert names == expected, cell.key


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
    assert show_value("  两 行\n文字 ") == "两 行 文字"


def test_importing_the_schemas_does_not_import_pandera():
    code = "import sys, nianbao.checks.schemas, nianbao.checks.engine, nianbao.pipeline.check; print('pandera' in sys.modules, 'pandas' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]
