"""Sweep 9 of the narrative check.

- A count said with no unit after 为 / 是 at its clause's end is a figure: 「本年度政府信息公开
  行政复议、行政诉讼案件数量均为0」, 「行政复议、行政诉讼均为零」, 「政府信息公开申请数量为0」
  — the usual wording of a report with none — is compared with the tables like 「…均为0件」.
  A report that said so beside a 表四 of 3 and 3 passed in silence.
- 「本年度无依申请公开（事项、情况）」 and 「未发生政府信息公开申请」 say no application was
  received: compared with 表三's 本年新收 as 「未收到…申请」 is (they passed in silence beside a
  table of 120); none of one outcome (「…申请逾期答复的情况」, 「…申请被驳回」) is still no
  statement.
- 「全年政府信息公开申请共计99件」 (no verb, no 数量) and 「共有99件政府信息公开申请」 state the
  received applications as 「…申请数量为99件」 and 「共收到99件…申请」 do: compared (silent before).
- A table figure that adds up a cell holding text instead of a number (「120 5」 read from a
  cell: V01 there) is not known: the text is not set against the sum that counts that cell 0
  (it warned 「表三…为 0」 — or a printed total's items without it — and asked to change a
  sentence that agreed with the printed table).
- A figure after a colon, as a list of the figures prints it (「行政复议：0件；行政诉讼：0件」,
  「收到政府信息公开申请：99件」, 「行政复议：0」), is compared (silent before).
- Not a figure: a rate (为0%, 纠错率为0, 办结率为100), a figure of another year or of the body as
  复议机关, a figure followed by a unit of something else, or one compared with last year's.

The tables throughout: 表三 本年新收 120, 上年结转 6, 办理结果总计 113, 结转下年度 13;
表四 行政复议 3, 行政诉讼 3.
"""

from __future__ import annotations

import pytest

from nianbao.checks.narrative import narrative_findings
from tests.support.narrative import found, report


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("本年度政府信息公开行政复议、行政诉讼案件数量均为0。", [("N05", 0), ("N06", 0)]),
        ("本年度行政复议、行政诉讼均为零。", [("N05", 0), ("N06", 0)]),
        ("本年度行政复议案件数为零，行政诉讼案件数为零。", [("N05", 0), ("N06", 0)]),
        ("全年行政复议为0，行政诉讼为0。", [("N05", 0), ("N06", 0)]),
        ("本年度政府信息公开行政复议案件为0。", [("N05", 0)]),
        ("本年度政府信息公开申请数量为0。", [("N01", 0)]),
        ("本年度收到政府信息公开申请数量为0。", [("N01", 0)]),
        ("上年结转政府信息公开申请数量为0。", [("N02", 0)]),
        # all the received, though all had one outcome
        ("收到政府信息公开申请100件并全部予以公开。", [("N01", 100)]),
        ("结转下年度继续办理的申请数为0。", [("N04", 0)]),
    ],
)
def test_a_count_without_its_unit_is_compared(text: str, expected: list[tuple[str, int]]) -> None:
    assert found(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        # the same figures as the tables
        "全年行政复议为3，行政诉讼为3。",
        "本年度政府信息公开申请数量为120。",
        "本年度收到政府信息公开申请数量为120，上年结转为6，办结为113，结转下年度为13。",
        # rates, and figures of something else
        "行政复议纠错率为0。",
        "行政复议、行政诉讼败诉率均为0。",
        "行政复议案件为0%。",
        "办结率为100。",
        "答复时间为15，办结申请为113。",
        "收到申请的期限为20。",
        "行政复议案件为2021年度。",
        # a share or a time of the applications, said with no %
        "结转下年度的申请占比为10。",
        "上年结转的申请占比为5。",
        "办结申请比例为94。",
        "结转下年度继续办理的申请期限为20。",
        # applications of one outcome, not all the received
        "予以公开的政府信息公开申请共计45件。",
        "不予公开的政府信息公开申请共计5件。",
        "政府信息公开申请共45件予以公开。",
        # of another year, compared with it, or the body as 复议机关
        "2020年行政复议案件为0。",
        "行政复议、行政诉讼案件数量与上年相比均为0。",
        "区政府作为行政复议机关，受理行政复议案件为0。",
        # all the body's cases, then those of disclosure
        "行政复议案件为0，其中政府信息公开的为0。",
    ],
)
def test_what_is_no_count_without_its_unit_is_not_compared(text: str) -> None:
    assert found(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "本年度无依申请公开。",
        "本年度无依申请公开事项。",
        "本年度我单位无依申请公开情况。",
        "本年度未发生依申请公开事项。",
        "本年度未发生政府信息公开申请。",
        "本年度无政府信息公开申请情况。",
    ],
)
def test_no_application_said_so_is_compared(text: str) -> None:
    assert found(text) == [("N01", 0)]


@pytest.mark.parametrize(
    "text",
    [
        "本年度无依申请公开申请被驳回。",
        "本年度未发生依申请公开逾期答复的情况。",
        "本年度未出现政府信息公开申请逾期答复情况。",
        "本年度无依申请公开工作。",
        "上年无依申请公开。",
    ],
)
def test_none_of_one_outcome_or_of_another_year_is_not_compared(text: str) -> None:
    assert found(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "全年政府信息公开申请共计99件。",
        "本年度政府信息公开申请共99件。",
        "本年度，共有99件政府信息公开申请。",
    ],
)
def test_a_total_of_applications_without_a_verb_is_compared(text: str) -> None:
    assert found(text) == [("N01", 99)]


@pytest.mark.parametrize(
    "text",
    [
        "全年政府信息公开申请共计120件。",
        "本年度，共有120件政府信息公开申请。",
        "本年度，共有99件政府信息公开申请逾期。",
        "本年度办理政府信息公开申请共99件。",
        "涉及房屋征收的政府信息公开申请共计5件。",
        "全年各部门政府信息公开申请共计99件。",
        "2020年政府信息公开申请共计99件。",
        "全年政府信息公开申请共计126件，其中上年结转6件。",
    ],
)
def test_such_a_total_that_agrees_or_is_of_another_quantity_is_silent(text: str) -> None:
    assert found(text) == []


def test_a_table_figure_with_an_unreadable_cell_is_not_compared() -> None:
    ret = report("全年共收到政府信息公开申请120件，被申请行政复议9件。")
    ret.values["三:1:c1"] = "120 5"  # V01 at its cell: 本年新收 adds it as 0
    ret.values["三:1:c7"] = 120  # the printed total, which the text agrees with
    said = [(f.rule.id, f.operands["正文"]) for f in narrative_findings(ret)]
    assert said == [("N05", 9)]  # the other figures are still compared


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("行政复议：0件；行政诉讼：0件。", [("N05", 0), ("N06", 0)]),
        ("行政复议:9件,行政诉讼:9件。", [("N05", 9), ("N06", 9)]),
        ("行政复议：0，行政诉讼：0。", [("N05", 0), ("N06", 0)]),
        ("收到政府信息公开申请：99件。", [("N01", 99)]),
        ("本年新收政府信息公开申请数量：99件。", [("N01", 99)]),
        ("结转下年度：9件。", [("N04", 9)]),
        # the same figures as the tables, and what is no figure of the whole
        ("行政复议：3件；行政诉讼：3件。", []),
        ("行政复议：维持3件。", []),
        ("行政复议：1、2。", []),
    ],
)
def test_a_figure_after_a_colon_is_compared(text: str, expected: list[tuple[str, int]]) -> None:
    assert found(text) == expected
