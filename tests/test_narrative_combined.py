"""Report text that states two quantities as one figure, or a part of a quantity by where the
applications came from, is not compared (宁可少比对，不误报); a sentence that says there was none
of a whole quantity, this year, for the reporting body, is (checks/narrative.py).

From the real 2023 平潭 report (表三 新收 81; 表四 复议 2, 诉讼 5 + 2 = 7)."""

from __future__ import annotations

import pytest

from nianbao.checks.narrative import narrative_findings
from nianbao.form import get_form
from nianbao.form.data import Return, filled_return
from tests.support.returns import inputs_of, valid_return

FORM = get_form("2021")


def report(
    text: str, *, new: int = 81, carried_in: int = 0, review: int = 2, direct: int = 5,
    after: int = 2, year: int = 2023, unit: str = "平潭综合实验区",
) -> Return:  # fmt: skip
    inputs = dict(inputs_of(valid_return(FORM, seed=1)))
    for key in FORM.input_keys:
        inputs[key] = 0
    inputs["三:1:c1"] = new
    inputs["三:2:c1"] = carried_in
    inputs["三:3.1:c1"] = new + carried_in
    inputs["四:1:ar1"] = review
    inputs["四:1:ld1"] = direct
    inputs["四:1:lr1"] = after
    ret = filled_return(FORM, inputs, unit=unit, year=year)
    ret.narrative = text
    return ret


def found(text: str, **figures: int) -> list[tuple[str, int, int]]:
    return [
        (f.rule.id, f.operands["正文"], f.operands["统计表"])
        for f in narrative_findings(report(text, **figures))
    ]


# -- a combined count of review and litigation is neither ---------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "2023年，全区因政府信息公开引起的行政复议、行政诉讼案件共9件。",
        "2023年，全区发生政府信息公开行政复议、行政诉讼案件9件，其中行政复议2件、行政诉讼7件。",
        "全区政府信息公开行政复议和行政诉讼案件合计9件。",
        "全区行政诉讼、行政复议案件共9件。",
        "全区行政复议案件及行政诉讼案件共9件。",
    ],
)
def test_review_and_litigation_said_together_are_not_compared(text):
    assert found(text) == []


def test_a_combined_count_is_not_compared_whatever_its_figure():
    assert found("全区行政复议、行政诉讼案件共12件。") == []


def test_review_and_litigation_each_with_its_own_figure_are_still_compared():
    assert found("因政府信息公开引起的行政复议案件2件、行政诉讼案件9件。") == [("N06", 9, 7)]
    assert found("发生行政复议3件和行政诉讼7件。") == [("N05", 3, 2)]
    assert found("全区发生行政复议2起、行政诉讼7起。") == []


def test_received_and_carried_said_together_are_not_the_carried():
    assert found("本年新收、上年结转政府信息公开申请共90件。", carried_in=9) == []


# -- a part by where the applications came from -------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "全区收到上级转办的政府信息公开申请3件，均已按时办结。",
        "全区共收到政府信息公开申请81件，其中收到上级转办的政府信息公开申请3件，均已按时办结。",
        "收到上级机关转来的政府信息公开申请2件。",
        "受理市政府交办的政府信息公开申请4件。",
        "接收其他行政机关移送的政府信息公开申请1件。",
        "收到省、市等上级机关转交的政府信息公开申请3件。",
    ],
)
def test_applications_from_one_source_are_a_part(text):
    assert found(text) == []


def test_the_whole_next_to_a_part_by_source_still_warns():
    text = "全区共收到政府信息公开申请80件，其中收到上级转办的政府信息公开申请3件。"
    assert found(text) == [("N01", 80, 81)]


def test_sources_said_to_be_all_of_them_are_the_whole():
    assert found("通过网上提交、上级转办等各类渠道共收到申请80件。") == [("N01", 80, 81)]


# -- none of the whole quantity -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2023年，全区无政府信息公开行政复议案件。", [("N05", 0, 2)]),
        ("本年度无因政府信息公开引起的行政复议、行政诉讼案件。", [("N05", 0, 2), ("N06", 0, 7)]),
        ("全区无政府信息公开行政复议和行政诉讼案件。", [("N05", 0, 2), ("N06", 0, 7)]),
        ("全年无涉及政府信息公开的行政诉讼案件。", [("N06", 0, 7)]),
        ("全年无行政复议和诉讼案件。", [("N05", 0, 2), ("N06", 0, 7)]),
    ],
)
def test_none_of_a_whole_quantity_against_cases_in_the_table_warns(text, expected):
    assert found(text) == expected


def test_none_of_a_whole_quantity_that_agrees_raises_nothing():
    text = "2023年，全区无政府信息公开行政复议、行政诉讼案件。"
    assert found(text, review=0, direct=0, after=0) == []


@pytest.mark.parametrize(
    "text",
    [
        "全区无政府信息公开行政复议案件被纠正。",  # none of one outcome, not none at all
        "无行政复议案件败诉。",
        "无行政复议结果纠正的情况。",
        "对无法提供的申请，申请人可依法申请行政复议。",
        "告知申请人如无正当理由逾期不补正，可依法申请行政复议。",
        "有无行政复议案件均应如实报告。",
        "尚无行政复议案件审结。",
        "2022年全区无政府信息公开行政复议案件。",  # another year
        "去年无政府信息公开行政复议案件。",
        "上年无政府信息公开行政复议案件，本年发生2件。",
        "区政府办无政府信息公开行政复议案件。",  # a narrower body
        "各部门均无政府信息公开行政复议案件。",
    ],
)
def test_none_said_of_a_part_another_year_or_body_or_not_at_all_is_not_compared(text):
    assert [f for f in found(text) if f[0] in ("N05", "N06")] == []


def test_none_said_of_each_in_a_list_is_still_compared():
    text = "全年未收到政府信息公开申请、未发生政府信息公开行政复议。"
    assert found(text) == [("N01", 0, 81), ("N05", 0, 2)]
