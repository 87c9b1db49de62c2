"""Sweep 8 of the narrative check.

- A received figure followed by 「包括上年结转…在内共…件」 or 「含上年结转共…件」 is this year's
  figure; the phrase about last year's carried applications leads on to a total of its own,
  which is the figure that includes them. Neither the figure before it (N01) nor that total
  (N02) may be warned about as if the report contradicted 表三.
- 「无（未发生）因政府信息公开被申请行政复议、提起行政诉讼的情况」 and 「未因政府信息公开被申请
  行政复议或提起行政诉讼」 say there were none of either: compared with 表四 (the 复议 half was
  missed, or both, while 「被提起」 was the only verb the second quantity could take).
- Cases for one reason (「因逾期答复被申请行政复议1件」, 「未发生因答复不及时被申请行政复议的
  情况」) are no figure of all the body's cases: not compared (a false N05 before).
- Applications of one kind of applicant named as lawyers, a company or journalists
  (「收到律师事务所提出的政府信息公开申请5件」) are a part, as 「自然人」 ones are (a false N01).
- A figure up to the day of writing (「截至目前」, 「至今」: into the next year) or since a
  reorganisation in the year (「机构改革后」) is of another period (a false N01).
- 「行政诉讼案件2件，上年结转1件」: lawsuits carried from last year, no 上年结转 of applications
  (a false N02); and a case figure beside carried cases is not compared either (which of them
  表四 counts the text does not say).

The tables throughout: 表三 本年新收 120, 上年结转 6, 办理结果总计 113, 结转下年度 13;
表四 行政复议 3, 行政诉讼 3.
"""

from __future__ import annotations

import pytest

from tests.support.narrative import found

SILENT = (
    "全年共收到政府信息公开申请120件，包括上年结转6件在内共126件。",
    "全年共收到政府信息公开申请120件，包括上年结转6件在内，共需办理126件。",
    "全年共收到政府信息公开申请120件，含上年结转共126件。",
    "全年共收到政府信息公开申请120件，包括上年结转的在内合计126件。",
    # the usual wordings that say the figure itself includes them, still right
    "全年共收到政府信息公开申请126件，包括上年结转的6件。",
    "全年共收到政府信息公开申请126件，含上年结转6件。",
)


@pytest.mark.parametrize("text", SILENT)
def test_a_total_after_the_carried_is_not_the_received_figure(text: str) -> None:
    assert found(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # this year's figure is still compared, and still found wrong
        ("全年共收到政府信息公开申请99件，包括上年结转6件在内共105件。", [("N01", 99)]),
        # a figure said to include the carried ones is still their total
        ("全年共收到政府信息公开申请130件，包括上年结转的6件。", [("N01", 130)]),
        ("全年共收到政府信息公开申请120件，含上年结转6件。", [("N01", 120)]),
        # the carried figure itself is still compared
        ("全年共收到政府信息公开申请120件，含上年结转9件。", [("N01", 120), ("N02", 9)]),
        ("上年结转共9件。", [("N02", 9)]),
    ],
)
def test_figures_that_say_otherwise_are_still_compared(
    text: str, expected: list[tuple[str, int]]
) -> None:
    assert found(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("全年无因政府信息公开被申请行政复议、提起行政诉讼的情况。", [("N05", 0), ("N06", 0)]),
        (
            "本年度未发生因政府信息公开被申请行政复议、提起行政诉讼的情况。",
            [("N05", 0), ("N06", 0)],
        ),
        (
            "2021年度，本机关未因政府信息公开被申请行政复议或提起行政诉讼。",
            [("N05", 0), ("N06", 0)],
        ),
        ("本年度没有因政府信息公开工作被申请行政复议。", [("N05", 0)]),
    ],
)
def test_none_of_both_kinds_with_their_own_verbs_is_compared(
    text: str, expected: list[tuple[str, int]]
) -> None:
    assert found(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        # one reason among others
        "因逾期答复被申请行政复议1件。",
        "本年度未发生因答复不及时被申请行政复议的情况。",
        "未因答复不及时被申请行政复议。",
        # one outcome, or something else that did not happen because of them
        "本机关未因政府信息公开被申请行政复议而被纠错。",
        "本年度未发生因政府信息公开被申请行政复议、提起行政诉讼被纠错的情况。",
        "无因政府信息公开被申请行政复议、提起行政诉讼败诉的情况。",
        "未因行政复议、行政诉讼被追究责任。",
        # the right figures
        "本年度因政府信息公开被申请行政复议3件，被提起行政诉讼3件。",
    ],
)
def test_cases_of_one_reason_or_outcome_are_not_compared(text: str) -> None:
    assert found(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "全年收到律师事务所提出的政府信息公开申请5件。",
        "全年收到律师提出的政府信息公开申请5件。",
        "全年收到某某公司的政府信息公开申请5件。",
        "全年收到新闻记者提出的政府信息公开申请2件。",
    ],
)
def test_applications_of_one_kind_of_applicant_are_not_compared(text: str) -> None:
    assert found(text) == []


def test_applications_of_every_applicant_are_still_compared() -> None:
    assert found("全年收到公民、法人和其他组织提出的政府信息公开申请99件。") == [("N01", 99)]


@pytest.mark.parametrize(
    "text",
    [
        # up to the day of writing, in the next year
        "截至目前，共收到政府信息公开申请130件。",
        "今年至今，共收到政府信息公开申请130件。",
        # since a reorganisation in the year: a part of it
        "机构改革后，共收到政府信息公开申请60件。",
    ],
)
def test_figures_of_another_period_than_the_year_are_not_compared(text: str) -> None:
    assert found(text) == []


def test_the_year_itself_is_still_compared() -> None:
    assert found("今年以来，共收到政府信息公开申请99件。") == [("N01", 99)]


@pytest.mark.parametrize(
    "text",
    [
        # lawsuits carried, not applications; and of the lawsuits, which 表四 counts is unsaid
        "本年度新增政府信息公开行政诉讼案件2件，上年结转1件。",
        "行政诉讼案件5件，其中上年结转2件。",
        "被申请行政复议3件，上年结转1件。",
    ],
)
def test_cases_carried_from_last_year_are_no_carried_applications(text: str) -> None:
    assert found(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("全年受理申请120件，上年结转9件，行政复议3件。", [("N02", 9)]),
        ("行政复议3件；上年结转申请9件。", [("N02", 9)]),
        ("行政复议5件，上年结转申请6件。", [("N05", 5)]),
    ],
)
def test_carried_applications_beside_cases_are_still_compared(
    text: str, expected: list[tuple[str, int]]
) -> None:
    assert found(text) == expected
