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

from nianbao.checks.narrative import narrative_findings
from nianbao.form import get_form
from nianbao.form.data import Return, filled_return

FORM = get_form("2021")
UNIT = "道外区水泥路街道办事处"


def report(text: str, year: int = 2021, carried: int = 6) -> Return:
    inputs = dict.fromkeys(FORM.input_keys, 0)
    inputs.update(
        {
            "三:1:c1": 120,
            "三:2:c1": carried,
            "三:3.1:c1": 45,
            "三:3.2:c1": 68 + carried - 6,
            "三:4:c1": 13,
            "四:1:ar1": 3,
            "四:1:ld1": 2,
            "四:1:lr1": 1,
        }
    )
    ret = filled_return(FORM, inputs, unit=UNIT, year=year)
    ret.narrative = text
    return ret


def found(text: str, year: int = 2021, carried: int = 6) -> list[tuple[str, int]]:
    return sorted(
        (f.rule.id, f.operands["正文"]) for f in narrative_findings(report(text, year, carried))
    )


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
