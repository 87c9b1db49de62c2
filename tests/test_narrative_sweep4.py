"""Sweep 4 of how reports word their figures (checks/narrative.py): correct text that N01–N06
once warned about, wrong text they missed, and text that is not a statement of the table's
figure at all (宁可少比对，不误报).

表三: 新收 21, 上年结转 2, 办结 22, 结转下年度 1; 表四: 行政复议 3, 行政诉讼 1 + 2."""

from __future__ import annotations

import pytest

from nianbao.checks.narrative import chinese_number, narrative_findings
from nianbao.form import get_form
from nianbao.form.data import Return, filled_return
from tests.support.returns import inputs_of, valid_return

FORM = get_form("2021")


def report(text: str) -> Return:
    inputs = dict(inputs_of(valid_return(FORM, seed=1)))
    for key in FORM.input_keys:
        inputs[key] = 0
    inputs |= {"三:1:c1": 21, "三:2:c1": 2, "三:3.1:c1": 22, "三:4:c1": 1}
    inputs |= {"四:1:ar1": 3, "四:1:ld1": 1, "四:1:lr1": 2}
    ret = filled_return(FORM, inputs, unit="某某区人民政府", year=2023)
    ret.narrative = text
    return ret


def found(text: str) -> list[tuple[str, int, int]]:
    return [
        (f.rule.id, f.operands["正文"], f.operands["统计表"])
        for f in narrative_findings(report(text))
    ]


@pytest.mark.parametrize(
    "text",
    [
        "全年受理政府信息公开申请23件，其中，本年新收21件，上年结转2件。",
        "全年受理政府信息公开申请23件，其中本年新收21件、上年结转2件。",
        "全年受理政府信息公开申请23件（其中本年新收21件、上年结转2件）。",
    ],
)
def test_a_received_figure_split_into_this_and_last_years_includes_the_carried(text):
    assert found(text) == []


def test_carried_applications_in_the_next_clause_are_not_the_received_figures():
    text = "全年收到政府信息公开申请21件，办结22件（含上年结转2件），结转下年度1件。"
    assert found(text) == []
    text = "全年收到政府信息公开申请23件，办结22件（含上年结转2件）。"
    assert found(text) == [("N01", 23, 21)]


@pytest.mark.parametrize(
    "text",
    [
        "全年受理政府信息公开申请达20件以上。",
        "全年受理政府信息公开申请20件左右。",
        "全年办结政府信息公开申请约20件。",
        "全年办结政府信息公开申请超过20件。",
        "全年办结政府信息公开申请约二十件。",
        "全年收到政府信息公开申请上千件。",
    ],
)
def test_an_approximate_figure_is_not_compared(text):
    assert found(text) == []


@pytest.mark.parametrize(
    "text",
    ["全年未收到申请人对答复结果的投诉。", "未收到申请人提出异议。"],
)
def test_none_from_applicants_is_not_none_received(text):
    assert found(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "全年未发生行政复议被纠错的情况。",
        "未发生行政复议案件被纠正的情形。",
        "未出现行政诉讼败诉情况。",
    ],
)
def test_none_of_one_outcome_is_not_none_at_all(text):
    assert found(text) == []


def test_none_happened_of_the_cases_themselves_is_still_zero():
    text = "全年未发生因政府信息公开被申请行政复议或被提起行政诉讼的情况。"
    assert found(text) == [("N05", 0, 3), ("N06", 0, 3)]
    assert found("未发生行政复议、行政诉讼等情况。") == [("N05", 0, 3), ("N06", 0, 3)]


@pytest.mark.parametrize(
    "text",
    [
        "本机关作为复议机关受理政府信息公开行政复议申请50件。",
        "市政府审理政府信息公开类行政复议案件50件。",
    ],
)
def test_reviews_the_body_decides_as_the_review_organ_are_not_its_own(text):
    assert found(text) == []


@pytest.mark.parametrize(
    "text",
    ["复议后起诉的行政诉讼案件2件。", "经复议后提起行政诉讼2件。", "未经复议直接提起行政诉讼1件。"],
)
def test_one_kind_of_lawsuit_is_not_all_of_them(text):
    assert found(text) == []


@pytest.mark.parametrize(
    "text",
    ["对涉及国家秘密的申请不予公开答复2件。", "予以公开答复15件。", "办结了1件上年结转的申请。"],
)
def test_handled_figures_of_one_outcome_or_year_are_parts(text):
    assert found(text) == []


def test_the_application_procedure_as_a_whole_is_no_channel():
    assert found("通过依申请公开渠道共受理申请21件。") == []
    assert found("通过依申请公开渠道共受理申请20件。") == [("N01", 20, 21)]
    assert found("通过网上依申请公开平台受理申请10件。") == []  # still one channel


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("全年共收到政府信息公开申请二十件。", [("N01", 20, 21)]),
        ("全年共收到政府信息公开申请二十一件。", []),
        ("共收到申请二十一件，办结二十件，结转下年度两件。", [("N03", 20, 22), ("N04", 2, 1)]),
        ("行政复议三件、行政诉讼两件。", [("N06", 2, 3)]),
    ],
)
def test_figures_in_chinese_numerals_are_compared(text, expected):
    assert found(text) == expected


@pytest.mark.parametrize("text", ["做到答复一件、规范一件。", "确保答复每一件申请。"])
def test_one_in_prose_is_no_figure(text):
    assert found(text) == []


@pytest.mark.parametrize("text", ["受理依申请公开20件。", "受理政府信息公开申请数量为20件。"])
def test_more_wordings_of_the_received_figure_are_compared(text):
    assert found(text) == [("N01", 20, 21)]


@pytest.mark.parametrize(
    ("said", "value"),
    [
        ("二十一", 21),
        ("十二", 12),
        ("一百零五", 105),
        ("两千", 2000),
        ("一万二千", 12000),
        ("二〇", 20),
    ],
)
def test_chinese_numerals(said, value):
    assert chinese_number(said) == value


@pytest.mark.parametrize("text", ["", "。。。", "件件", "申请件", "收到申请,,,件", "行政复议件"])
def test_odd_text_does_not_crash(text):
    assert found(text) == []
