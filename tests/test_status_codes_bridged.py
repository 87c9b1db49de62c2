"""Units told one by their 单位代码 (M01): a name reported under the codes of two other names
makes those three one unit, whatever order Python happens to hold the codes in."""

from __future__ import annotations

from nianbao.checks.status import duplicates_among, same_unit_groups
from nianbao.form import get_form
from tests.support.returns import valid_return

FORM = get_form("2021")


def test_a_name_under_two_codes_joins_the_names_of_both_codes():
    # a unit renamed: its old name under its code, the filler's other return mistyped the
    # code as the merged-in unit's; the new name was sent under both
    returns = [
        valid_return(FORM, 1, unit="道外区市场监督管理局", code="230104011", year=2024),
        valid_return(FORM, 2, unit="道外区食品药品监督管理局", code="230104012", year=2024),
        valid_return(FORM, 3, unit="道外区市场监管局", code="230104011", year=2024),
        valid_return(FORM, 4, unit="道外区市场监管局", code="230104012", year=2024),
    ]
    assert [sorted(group) for group in same_unit_groups(returns)] == [[0, 1, 2, 3]]
    files = ["监督.xlsx", "食药.xlsx", "监管甲.xlsx", "监管乙.xlsx"]
    (finding,) = duplicates_among(returns, files, figures=False)
    for file in files:
        assert file in finding.message
