"""A hostile tester's findings on the narrative check: figures missed when the count comes
before its noun (「共收到99件政府信息公开申请」, 「共发生3起…行政复议案件」), with no verb
(「政府信息公开申请数量为99件」), in 个 or 条, of 依申请公开事项, or of 收到并办结; and the
wordings of the same shapes that must stay silent (the right figure, another year, a narrower
body, other kinds of applications, a total of every kind before its disclosure part).

The tables throughout: 表三 本年新收 120, 上年结转 6, 办理结果总计 113 (予以公开 45, 部分公开 68),
结转下年度 13; 表四 行政复议 3, 行政诉讼 3 (直接起诉 2, 复议后起诉 1) — or, with ``carried=0``,
本年新收 120, 上年结转 0, 办结 107, 结转下年度 13.
"""

from __future__ import annotations

import pytest

from tests.support.narrative import found

# the same shapes that stay silent: right, or not of the whole
SILENT = (
    # the right figures
    "2021年度，本机关共收到120件政府信息公开申请，均按时答复。",
    "已办结113件政府信息公开申请。",
    "本年度共发生3起政府信息公开行政复议案件，3起行政诉讼案件。",
    # another year, a part of it, a narrower body
    "2020年度，本机关共收到99件政府信息公开申请。",
    "上年共收到99件政府信息公开申请。",
    "上半年共收到99件政府信息公开申请。",
    "区教育局共收到99件政府信息公开申请。",
    "上年共发生5起政府信息公开行政复议案件。",
    # other kinds of applications, or of applications of every kind
    "全年共受理99件依申请事项。",
    "全年共受理99件依申请政务服务事项。",
    "全年共受理99件行政许可申请。",
    "全年共收到99件申请。",
    "全年共收到99件各类申请，其中政府信息公开申请120件。",
    "全年共收到99件涉及房屋征收的政府信息公开申请。",
    # approximations, parts, the applicant's papers, a part among them
    "全年共收到约99件政府信息公开申请。",
    "其中，通过网上收到99件政府信息公开申请。",
    "全年共收到99件政府信息公开申请材料。",
    "收到的99件政府信息公开申请中，已办结90件。",
    "延期答复9件政府信息公开申请。",
    # cases: the body as 复议机关, of one outcome, of both kinds, all of them
    "区政府作为复议机关，共发生9起政府信息公开行政复议案件。",
    "共发生9起政府信息公开行政复议案件被纠错。",
    "共发生9起行政复议和行政诉讼案件。",
    "共发生9起行政复议、行政诉讼案件。",
    "共发生9起行政诉讼案件，其中涉及政府信息公开的3起。",
    "共收到9件行政复议申请。",
)


# the count before its noun: 「收到99件政府信息公开申请」
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2021年度，本机关共收到99件政府信息公开申请，均按时答复。", [("N01", 99)]),
        ("全年共受理99件依申请公开事项。", [("N01", 99)]),
        ("全年共收到了99件各类政府信息公开申请。", [("N01", 99)]),
        ("全年新收九十九件信息公开申请。", [("N01", 99)]),
        ("已办结99件政府信息公开申请。", [("N03", 99)]),
        ("全年共答复99件依申请公开申请。", [("N03", 99)]),
        ("本年度共发生3起政府信息公开行政复议案件，共发生8起行政诉讼案件。", [("N06", 8)]),
        ("本年度共发生5起政府信息公开行政复议案件。", [("N05", 5)]),
        ("本年度共发生8起因政府信息公开引起的行政诉讼案件。", [("N06", 8)]),
        ("本年度发生一起行政诉讼案件。", [("N06", 1)]),
        *((text, []) for text in SILENT),
    ],
)
def test_a_count_before_its_noun_is_compared(text, expected):
    assert found(text) == expected


# no verb: 「政府信息公开申请数量为99件」 is what was received
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2021年，本街道政府信息公开申请数量为99件。", [("N01", 99)]),
        ("全年依申请公开申请总数为99件。", [("N01", 99)]),
        ("2021年，本街道政府信息公开申请数量为126件，其中新收120件，上年结转6件。", []),
        ("2021年，本街道政府信息公开申请数量为120件。", []),
        ("2020年，本街道政府信息公开申请数量为99件。", []),
        ("2021年，区教育局政府信息公开申请数量为99件。", []),
        ("结转下年度的政府信息公开申请数量为9件。", [("N04", 9)]),
        ("办结的政府信息公开申请数量为99件。", [("N03", 99)]),
        ("上年结转政府信息公开申请数量为9件。", [("N02", 9)]),
        ("其中，政府信息公开申请数量为99件。", []),
        ("全年依申请事项数量为99件。", []),
    ],
)
def test_the_number_of_applications_without_a_verb_is_compared(text, expected):
    assert found(text) == expected


# 个 and 条 count applications too, when the figure ends its clause
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("全年共受理政府信息公开申请99个。", [("N01", 99)]),
        ("全年共受理政府信息公开申请99条，均已办结。", [("N01", 99)]),
        ("全年共受理政府信息公开申请120个。", []),
        ("受理政府信息公开申请10个工作日内答复。", []),
        ("全年共受理政府信息公开申请一个。", []),
    ],
)
def test_applications_counted_in_ge_and_tiao_are_compared(text, expected):
    assert found(text) == expected


# 依申请公开事项 are disclosure applications; 依申请事项 alone, 依申请政务服务事项 are not
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("全年共收到依申请公开事项99件。", [("N01", 99)]),
        ("全年共收到依申请公开事项120件。", []),
        ("全年共收到依申请事项99件。", []),
        ("全年共受理依申请政务服务事项99件。", []),
    ],
)
def test_disclosure_matters_are_applications(text, expected):
    assert found(text) == expected


# a total of every kind of application, then its disclosure part: not the table's figure
@pytest.mark.parametrize(
    "text",
    [
        "全年共收到各类申请99件，其中政府信息公开申请120件。",
        "全年共收到申请99件，其中依申请公开120件。",
    ],
)
def test_a_total_of_every_kind_before_its_disclosure_part_is_not_compared(text):
    assert found(text) == []


# 收到并办结 X: X received, and X handled of them — the handled figure is the table's only
# when no applications were carried over from last year
@pytest.mark.parametrize(
    ("text", "carried", "expected"),
    [
        ("全年共收到并办结政府信息公开申请99件。", 0, [("N01", 99), ("N03", 99)]),
        ("全年共受理并答复99件政府信息公开申请。", 0, [("N01", 99), ("N03", 99)]),
        ("全年共收到并办结政府信息公开申请99件。", 6, [("N01", 99)]),
        ("全年共收到并办结政府信息公开申请120件。", 0, [("N03", 120)]),
        ("全年共收到并办结政府信息公开申请107件。", 0, [("N01", 107)]),
        ("全年共收到并办结政府信息公开申请120件。", 6, []),
        ("2020年共收到并办结政府信息公开申请99件。", 0, []),
        ("全年共收到并办结上年结转的政府信息公开申请9件。", 0, []),
    ],
)
def test_received_and_handled_is_both(text, carried, expected):
    assert found(text, carried=carried) == expected
