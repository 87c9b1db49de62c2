"""A report's text against its tables: checks/narrative.py (N01–N06, warnings)."""

from __future__ import annotations

import pytest

from nianbao.checks.engine import validate_return
from nianbao.checks.narrative import in_scope, narrative_findings, sentences
from nianbao.form import get_form
from nianbao.form.data import Return, filled_return
from nianbao.form.findings import Rule
from tests.support.returns import inputs_of, valid_return

FORM = get_form("2021")


def report(text: str, *, unit: str = "某某区人民政府", year: int = 2023, **figures: int) -> Return:
    """A return whose 表三 总计 column and 表四 totals hold ``figures`` (by short name)."""
    inputs = dict(inputs_of(valid_return(FORM, seed=1)))
    for key in FORM.input_keys:
        inputs[key] = 0
    wanted = {
        "new": ("三:1:c1", figures.get("new", 0)),
        "carried_in": ("三:2:c1", figures.get("carried_in", 0)),
        "handled": ("三:3.1:c1", figures.get("handled", 0)),
        "carried_out": ("三:4:c1", figures.get("carried_out", 0)),
        "review": ("四:1:ar1", figures.get("review", 0)),
        "direct": ("四:1:ld1", figures.get("direct", 0)),
        "after": ("四:1:lr1", figures.get("after", 0)),
    }
    for key, value in wanted.values():
        inputs[key] = value
    ret = filled_return(FORM, inputs, unit=unit, year=year)
    ret.narrative = text
    return ret


def found(ret: Return) -> list[tuple[str, int, int]]:
    return [(f.rule.id, f.operands["正文"], f.operands["统计表"]) for f in narrative_findings(ret)]


@pytest.mark.parametrize(
    ("text", "rule", "stated"),
    [
        ("2023年全区受理政府信息公开申请 21 件，均在法定期限答复。", "N01", 21),
        ("2023年，我局共收到政府信息公开申请21件。", "N01", 21),
        ("全年新收政府信息公开申请21件", "N01", 21),
        ("2023年全区接收通过邮寄、网络提交的各类政府信息公开申请共计21件。", "N01", 21),
        ("答复 3050 件（含上年度结转申请 34 件）", "N02", 34),
        ("办结依申请公开21件，其中予以公开10件。", "N03", 21),
        ("另有 103 件顺延到下年度答复。", "N04", 103),
        ("结转下年度继续办理5件。", "N04", 5),
        ("政府信息公开行政复议 351 件，其中结果维持 72 件。", "N05", 351),
        ("因政府信息公开引起的行政复议案件2件、行政诉讼案件7件。", "N06", 7),
    ],
)
def test_a_whole_body_statement_that_differs_from_the_table_is_a_warning_quoting_it(
    text, rule, stated
):
    ret = report(text)  # every figure of the tables is 0
    findings = [f for f in narrative_findings(ret) if f.rule.id == rule]
    assert [f.operands["正文"] for f in findings] == [stated]
    (finding,) = findings
    assert not finding.is_error
    assert f"「{''.join(text.split()).rstrip('。')}" in finding.message
    assert finding.operands["统计表"] == 0


def test_statements_that_agree_with_the_tables_raise_nothing():
    text = (
        "2024 年，全市共受理政府信息公开申请 3119 件，答复 3050 件（含上年度结转申请 34 件，"
        "另有 103 件顺延到下年度答复），均在法定期限内予以答复。政府信息公开行政复议 351\n件，"
        "其中结果维持 72 件；政府信息公开行政诉讼 46 件，其中结果维持 25 件。"
    )
    ret = report(
        text, year=2024, new=3119, carried_in=34, handled=3050, carried_out=103,
        review=351, direct=26, after=20,
    )  # fmt: skip
    assert found(ret) == []


def test_litigation_is_both_kinds_together():
    ret = report("行政诉讼案件7件。", direct=5, after=2)
    assert found(ret) == []
    assert found(report("行政诉讼案件7件。", direct=5)) == [("N06", 7, 5)]


@pytest.mark.parametrize(
    "text",
    [
        "2024年，区政府办代表区政府受理政府信息公开申请17件，均已在法定期限内予以答复。",
        "其中，区政府本级收到政府信息公开申请17件。",
        "各部门共收到政府信息公开申请17件。",
        "所属乡镇收到政府信息公开申请17件。",
        "区政府办公室受理政府信息公开申请17件。",
        "2022年全区收到政府信息公开申请17件。",  # another year
    ],
)
def test_a_narrower_or_other_year_statement_raises_no_alarm(text):
    ret = report(text, year=2024, new=95)
    assert found(ret) == []


def test_a_comparison_before_the_figure_is_not_compared():
    assert found(report("较上年收到政府信息公开申请增加5件", new=95)) == []
    assert found(report("累计受理政府信息公开申请500件", new=95)) == []


def test_a_word_of_the_units_own_name_does_not_narrow_the_scope():
    text = "2021年，街道共收到政府信息公开申请3件。"
    assert found(report(text, unit="道外区水泥路街道办事处", year=2021)) == [("N01", 3, 0)]
    assert found(report(text, unit="道外区人民政府", year=2021)) == []


def test_the_body_naming_itself_is_the_whole_body():
    text = "2023年，本部门共收到政府信息公开申请3件。"
    assert found(report(text, unit="某某区教育局")) == [("N01", 3, 0)]
    assert found(report("我单位受理政府信息公开申请3件", unit="某某区教育局")) == [("N01", 3, 0)]
    assert found(report("区本级受理政府信息公开申请3件")) == []  # 本级: the district's organs only


def test_review_and_litigation_figures_are_never_taken_for_applications():
    ret = report("收到行政复议申请3件。", review=3)
    assert found(ret) == []


def test_none_received_is_zero():
    assert found(report("我街2021年未收到政府信息公开申请", year=2021)) == []
    assert found(report("我街2021年未收到政府信息公开申请", year=2021, new=2)) == [("N01", 0, 2)]
    text = "未发生因政府信息公开引起的行政复议、行政诉讼案件。"
    assert found(report(text, review=1, direct=1)) == [("N05", 0, 1), ("N06", 0, 1)]


def test_received_that_counts_last_years_applications_says_so():
    (finding,) = narrative_findings(
        report(
            "2022年，全区收到政府信息公开申请75件。", year=2022, new=74, carried_in=1, handled=75
        )
    )
    assert finding.rule is Rule.N01
    assert "本年新收 74 加上年结转 1 正好是 75" in finding.message


def test_sentences_end_at_punctuation_and_headings_and_lose_white_space():
    """A line without a sentence's end goes on into the next (a wrapped line, a web page's
    <br>: 「…公开」 / 「申请 21 件」); a heading and a blank line end a sentence."""
    text = (
        "一、总体情况\n全区受理政府信息公开\n申请 21 件。均已答复；行政复议 1 件\n\n二、其他\n"
        "政务服务申请办理情况\n全年共受理34800件。"
    )
    assert sentences(text) == [
        "一、总体情况",
        "全区受理政府信息公开申请21件",
        "均已答复",
        "行政复议1件",
        "二、其他",
        "政务服务申请办理情况",  # a heading without a number
        "全年共受理34800件",
    ]


def test_a_long_sentence_is_quoted_around_the_figure():
    text = "一" * 120 + "全区受理政府信息公开申请21件" + "二" * 120 + "。"
    (finding,) = narrative_findings(report(text))
    assert "…" in finding.message and "全区受理政府信息公开申请21件" in finding.message


def test_the_subject_rule():
    ret = report("", unit="某某区人民政府", year=2024)
    assert in_scope("2024年，全区共", ret)
    assert not in_scope("2024年，区政府办代表区政府", ret)
    assert not in_scope("2023年全区", ret)
    assert not in_scope("同比", ret)


def test_workbooks_have_no_narrative_and_no_narrative_findings():
    ret = valid_return(FORM, seed=2)
    assert ret.narrative is None and narrative_findings(ret) == []
    assert not [f for f in validate_return(ret) if f.rule.id.startswith("N")]


@pytest.mark.parametrize(
    "text",
    [
        "本年度受理申请（含上年结转）690件。",
        "共受理政府信息公开申请690件（含上年结转27件）。",
        "收到申请690件，包括上年结转的27件。",
    ],
)
def test_received_said_to_include_the_carried_is_compared_with_both(text):
    assert found(report(text, new=663, carried_in=27)) == []
    (n01,) = found(report(text, new=600, carried_in=27))
    assert n01 == ("N01", 690, 627)


def test_received_said_not_to_include_the_carried_is_compared_with_the_received_alone():
    text = "收到申请663件（不含上年结转27件）。"
    assert found(report(text, new=663, carried_in=27)) == []
    (n01,) = found(report(text, new=600, carried_in=27))
    assert n01 == ("N01", 663, 600)
