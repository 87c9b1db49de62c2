"""merge_returns: the summary is the cell-wise sum of its members, order-free, closed."""

import random
from decimal import Decimal

import pytest

from nianbao.form import FORMS, get_form
from nianbao.form.data import CellValues, complete, filled_return
from nianbao.form.findings import Rule
from nianbao.pipeline import merge
from nianbao.pipeline.merge import MergeConflict, conflicts, merge_returns
from nianbao.text import unit_key
from tests.support.returns import valid_return

FORM = get_form("2021")


def member(unit, seed, *, form=FORM, year=2021, source=None):
    return valid_return(form, seed, unit=unit, year=year, source=source or f"{unit}.xlsx")


MEMBERS = [member(f"单位{i}", i) for i in range(6)]


def test_every_summary_cell_is_the_sum_of_the_members_completed_cells():
    summary = merge_returns(MEMBERS, name="道外区")
    for cell in FORM.cells:
        expected = sum(complete(FORM, m.values)[cell.key] for m in MEMBERS)
        assert summary.values[cell.key] == expected, cell.key
    assert summary.kind == "summary"
    assert summary.members == len(MEMBERS)
    assert summary.unit == "道外区" and summary.year == 2021


def test_summary_of_balanced_returns_satisfies_every_equation_of_the_form():
    summary = merge_returns(MEMBERS, name="道外区")
    assert all(eq.holds(summary.values) for eq in FORM.equations)


def test_amounts_are_summed_exactly_as_decimals():
    a = filled_return(FORM, {"二:20-8.1:c1": Decimal("0.1")}, unit="甲", year=2021)
    b = filled_return(FORM, {"二:20-8.1:c1": Decimal("0.2")}, unit="乙", year=2021)
    assert merge_returns([a, b], name="区").values["二:20-8.1:c1"] == Decimal("0.3")


@pytest.mark.parametrize("held", ["dict", "CellValues"])
@pytest.mark.parametrize("chunk", [1, 3, 4_096])
def test_blanks_text_decimals_and_huge_numbers_sum_as_complete_reads_them(chunk, held, monkeypatch):
    # the members' columns are summed a chunk of members at a time: 1 and 3 split these 4
    monkeypatch.setattr(merge, "_SUM_CHUNK", chunk)
    odd = [member(f"单位{i}", 40 + i) for i in range(4)]
    odd[0].values["三:1:c1"] = None  # blank: 0
    odd[1].values["三:1:c1"] = "十二"  # text: 0 (V01 elsewhere)
    odd[2].values["三:1:c2"] = 2**70  # beyond float and int64: exact
    odd[1].values["三:1:c3"] = None  # a column whose only odd value is a blank
    odd[3].values["二:20-8.1:c1"] = Decimal("0.35")
    if held == "CellValues":  # as many returns are held for a merge: the row itself is summed
        for ret in odd:
            ret.values = CellValues.of(FORM, ret.values)
    summary = merge_returns(odd, name="区")
    for cell in FORM.cells:
        expected = sum(complete(FORM, m.values)[cell.key] for m in odd)
        assert summary.values[cell.key] == expected, cell.key
        assert type(summary.values[cell.key]) is type(expected), cell.key


def test_reported_totals_of_members_are_not_trusted():
    bad = member("错总计", 99)
    bad.values["三:1:c7"] = 10_000
    summary = merge_returns([bad], name="区")
    assert summary.values["三:1:c7"] == sum(bad.values[f"三:1:c{i}"] for i in range(1, 7))


def test_input_order_does_not_change_the_summary():
    shuffled = MEMBERS[:]
    random.Random(1).shuffle(shuffled)
    assert merge_returns(shuffled, name="区") == merge_returns(MEMBERS, name="区")


@pytest.mark.parametrize("vintage", sorted(FORMS))
def test_merging_two_district_summaries_equals_merging_all_their_members(vintage):
    form = get_form(vintage)
    year = 2021 if vintage == "2021" else 2020
    members = [member(f"单位{i}", i, form=form, year=year) for i in range(7)]
    east = merge_returns(members[:3], name="东区")
    west = merge_returns(members[3:], name="西区")
    city = merge_returns([east, west], name="市")
    direct = merge_returns(members, name="市")
    assert city.values == direct.values
    assert city.members == direct.members == 7


def test_mixed_vintages_are_refused_with_M02_naming_the_files():
    old = member("旧表单位", 5, form=get_form("2019"), year=2021, source="旧表单位.xlsx")
    with pytest.raises(MergeConflict) as caught:
        merge_returns([*MEMBERS[:2], old], name="区")
    rules = [f.rule for f in caught.value.findings]
    assert rules == [Rule.M02]
    assert "旧表单位.xlsx" in str(caught.value)


def test_mixed_years_are_refused_with_M03():
    other = member("去年单位", 5, year=2020)
    with pytest.raises(MergeConflict) as caught:
        merge_returns([MEMBERS[0], other], name="区")
    assert [f.rule for f in caught.value.findings] == [Rule.M03]
    assert "2020" in str(caught.value) and "2021" in str(caught.value)


def test_a_year_asked_for_that_differs_from_the_returns_is_M03():
    assert [f.rule for f in conflicts(MEMBERS, year=2022)] == [Rule.M03]


def test_same_unit_twice_is_M01_naming_both_files():
    twin = member("单位1 ", 42, source="另一份.xlsx")  # trailing space: still the same unit
    with pytest.raises(MergeConflict) as caught:
        merge_returns([*MEMBERS, twin], name="区")
    (finding,) = caught.value.findings
    assert finding.rule is Rule.M01
    assert "单位1.xlsx" in finding.message and "另一份.xlsx" in finding.message
    assert "数字不同" in finding.message


def test_a_copy_of_a_return_is_m01_saying_the_figures_are_the_same():
    copy = member("单位0", 0, source="单位0(1).xlsx")  # the same seed: the same figures
    with pytest.raises(MergeConflict) as caught:
        merge_returns([*MEMBERS, copy], name="区")
    (finding,) = caught.value.findings
    assert finding.rule is Rule.M01 and "数字完全相同" in finding.message


def test_unit_names_are_compared_after_width_and_space_folding_only():
    assert unit_key(" 道外区　水泥路街道（办事处） ") == unit_key("道外区水泥路街道(办事处)")
    assert unit_key("水泥路街道") != unit_key("水泥路街道办事处")


def test_nothing_to_merge_is_a_user_error():
    from nianbao.errors import UserError

    with pytest.raises(UserError):
        merge_returns([], name="区")
