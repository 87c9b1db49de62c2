"""Correct report text that N01/N03 once read as the whole-year figure: a part of a quantity (延期答复,
a count by channel, the 办结 of last year's or this year's applications) and a received figure
said to hold last year's carried applications by 「（其中上年结转…）」. The rule is 宁可少比对，不误报:
a figure is compared only when the sentence surely states the whole quantity."""

from __future__ import annotations

import pytest

from nianbao.checks.narrative import narrative_findings
from nianbao.form import get_form
from nianbao.form.data import Return, filled_return
from tests.support.returns import inputs_of, valid_return

FORM = get_form("2021")


def report(
    text: str, *, new: int = 14, carried_in: int = 2, handled: int = 15, review: int = 0
) -> Return:
    """表三: 新收 14, 上年结转 2, 办结 15 (all 予以公开), 结转下年度 1; 表四 all 0 but 行政复议
    ``review``."""
    inputs = dict(inputs_of(valid_return(FORM, seed=1)))
    for key in FORM.input_keys:
        inputs[key] = 0
    inputs["三:1:c1"] = new
    inputs["三:2:c1"] = carried_in
    inputs["三:3.1:c1"] = handled
    inputs["三:4:c1"] = new + carried_in - handled
    inputs["四:1:ar1"] = review
    ret = filled_return(FORM, inputs, unit="某某区人民政府", year=2025)
    ret.narrative = text
    return ret


def found(text: str, **figures: int) -> list[tuple[str, int, int]]:
    return [
        (f.rule.id, f.operands["正文"], f.operands["统计表"])
        for f in narrative_findings(report(text, **figures))
    ]


@pytest.mark.parametrize(
    "text",
    [
        "全年共受理政府信息公开申请16件（其中上年结转2件）。",
        "全年共受理政府信息公开申请16件，其中上年结转2件。",
        "依法延期答复政府信息公开申请3件。",
        "通过网上受理申请10件，当面受理申请4件。",
        "本年度办结上年结转申请2件，办结本年新收申请13件。",
    ],
)
def test_correct_text_from_the_sweep_raises_no_alarm(text):
    assert found(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "依法延期答复政府信息公开申请3件。",
        "逾期答复申请1件。",
        "当场答复申请4件。",
        "尚未答复申请1件。",
    ],
)
def test_a_reply_of_one_kind_is_not_the_handled_total(text):
    assert found(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "通过网上受理申请10件。",
        "当面受理政府信息公开申请4件。",
        "全年受理网上申请10件。",
        "通过信函方式收到申请3件。",
    ],
)
def test_a_count_by_one_channel_is_not_the_received_total(text):
    assert found(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "办结上年结转申请2件。",
        "办结本年新收申请13件。",
        "答复本年度新收的申请13件。",
    ],
)
def test_the_handled_of_last_years_or_this_years_applications_is_a_part(text):
    assert found(text) == []


def test_two_different_figures_for_one_quantity_in_one_sentence_are_parts():
    assert found("受理政府信息公开申请10件，受理政府信息公开申请4件。") == []
    # the same figure twice is one statement, still compared
    assert found("全区受理申请9件，即受理申请9件。") == [("N01", 9, 14)]


# -- the true alarms stay ------------------------------------------------------------------------


def test_the_total_said_to_hold_the_carried_by_qizhong_is_compared_with_both():
    assert found("全年共受理政府信息公开申请17件（其中上年结转2件）。") == [("N01", 17, 16)]
    assert found("全年共受理政府信息公开申请17件，其中上年结转2件。") == [("N01", 17, 16)]
    # 其中 further on belongs to another figure: the received alone
    assert found("全年共受理申请14件，办结15件，其中上年结转2件。") == []
    assert found("全年共受理申请16件，办结15件，其中上年结转2件。") == [("N01", 16, 14)]


def test_a_wrong_whole_figure_next_to_parts_still_warns():
    assert found("依法办结政府信息公开申请13件，其中延期答复3件。") == [("N03", 13, 15)]
    assert found("全年受理申请20件，其中网上受理申请10件。") == [("N01", 20, 14)]
    assert found("办结申请13件（含上年结转2件）。") == [("N03", 13, 15)]


def test_channels_listed_as_all_of_them_are_the_whole():
    assert found("通过网上、信函等渠道共受理申请12件。") == [("N01", 12, 14)]
    assert found("全年通过各种渠道共受理申请12件。") == [("N01", 12, 14)]
    assert found("接收通过邮寄、网络提交的各类政府信息公开申请共计12件。") == [("N01", 12, 14)]
    assert found("通过网上、信函等渠道共受理申请14件。") == []


# -- reviews the body decides as 复议机关, whatever the verb ----------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "区政府作为行政复议机关，全年收到行政复议申请80件。",
        "区政府作为复议机关，全年行政复议案件80件。",
        "全年收到政府信息公开行政复议申请80件。",
        "全年接收行政复议申请80件。",
        "全年办结行政复议案件80件。",
        "全年审结政府信息公开类行政复议案件80件。",
    ],
)
def test_reviews_the_body_receives_or_decides_as_the_review_organ_are_not_its_own(text):
    assert found(text, review=3) == []


def test_reviews_of_the_body_next_to_a_verb_of_another_item_are_still_compared():
    text = "全年收到政府信息公开申请14件、无政府信息公开行政复议案件。"
    assert found(text, review=3) == [("N05", 0, 3)]
    assert found("全年收到政府信息公开申请14件，被申请行政复议2件。", review=3) == [("N05", 2, 3)]
    assert found("全年收到政府信息公开申请14件，被申请行政复议3件。", review=3) == []


# -- 答复 / 办结 of something else than disclosure applications ------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "全年开展政府信息公开培训4次，答复网民留言88件。",
        "全年答复群众信访事项56件。",
        "召开政务公开专题会议3次，办结群众诉求120件。",
        "全年答复政务咨询20件。",
        "召开会议3次，办结20件。",
    ],
)
def test_replies_to_other_things_than_applications_are_not_the_handled_total(text):
    assert found(text) == []


def test_handled_applications_are_still_compared():
    assert found("全年办结政府信息公开申请13件。") == [("N03", 13, 15)]
    assert found("办结依申请公开13件。") == [("N03", 13, 15)]
    assert found("全年收到申请14件，办结13件。") == [("N03", 13, 15)]
    assert found("答复网民留言88件，办结政府信息公开申请13件。") == [("N03", 13, 15)]


# -- a part of the year ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "上半年收到政府信息公开申请30件。",
        "第一季度收到政府信息公开申请5件。",
        "2025年下半年，全区共受理政府信息公开申请8件。",
        "前三季度受理政府信息公开申请10件。",
        "1-6月收到政府信息公开申请6件。",
        "2025年1月至6月，全区收到政府信息公开申请6件。",
        "6月份收到政府信息公开申请3件。",
        "截至9月底，全年已办结政府信息公开申请10件。",
    ],
)
def test_a_figure_for_part_of_the_year_is_not_the_years(text):
    assert found(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "2025年1月1日至12月31日，全区收到政府信息公开申请20件。",
        "2025年1月1日至2025年12月31日，全区收到政府信息公开申请20件。",
        "2025年1-12月，全区收到政府信息公开申请20件。",
        "截至2025年12月31日，全区收到政府信息公开申请20件。",
        "截至12月底，全区收到政府信息公开申请20件。",
    ],
)
def test_the_years_own_bounds_are_the_whole_year(text):
    assert found(text) == [("N01", 20, 14)]
