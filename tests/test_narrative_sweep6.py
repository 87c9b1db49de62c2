"""A hostile tester's findings on the narrative check (the real seed report's tables): false
alarms on named departments, 政务服务 figures, totals that include the carried applications,
periods of several years or months and approximate figures; figures missed after 其中, an
aside or another year's figure, in 宗, in 分别 lists and in other wordings; a long joined
annex that made the check quadratic.

The tables throughout: 表三 本年新收 120, 上年结转 6, 办理结果总计 113 (予以公开 45, 部分公开 68),
结转下年度 13; 表四 行政复议 3, 行政诉讼 3 (直接起诉 2, 复议后起诉 1).
"""

from __future__ import annotations

import pytest

from nianbao.checks.narrative import narrative_findings
from tests.support.narrative import found, report

DISTRICT = "哈尔滨市道外区人民政府"


# 13: 「1月至12月」 inside 「11月至12月」 is no bound of the year
@pytest.mark.parametrize(
    "text",
    [
        "2021年11月至12月，共收到政府信息公开申请30件。",
        "2021年11月1日至12月31日，共收到政府信息公开申请30件。",
        "2021年11-12月，共收到政府信息公开申请30件。",
        "2021年十一月至十二月，共收到政府信息公开申请30件。",
    ],
)
def test_the_last_months_of_the_year_are_a_part_of_it(text):
    assert found(text) == []


def test_the_whole_year_from_january_is_still_compared():
    assert found("2021年1月1日至12月31日，共收到政府信息公开申请30件。") == [("N01", 30)]


# 14: figures of several years are not the year's
@pytest.mark.parametrize(
    "text",
    [
        "近年来，全区共受理政府信息公开申请500件。",
        "近几年，全区共受理政府信息公开申请500件。",
        "多年来，全区共受理政府信息公开申请500件。",
        "近年来，我区年均受理政府信息公开申请100件。",
        "自开展政府信息公开工作以来，共收到政府信息公开申请1000件。",
        "自依申请公开平台上线以来，共收到政府信息公开申请300件。",
        "“十四五”以来，共受理政府信息公开申请300件。",
    ],
)
def test_figures_of_several_years_are_not_compared(text):
    assert found(text, year=2023) == []


# 15: 两三件 is two or three, not 23
@pytest.mark.parametrize(
    "text",
    [
        "被申请行政复议两三件。",
        "全年受理申请七八件。",
        "全年收到政府信息公开申请三四十件。",
        "全年收到政府信息公开申请十七八件。",
    ],
)
def test_approximate_figures_are_not_read_as_numbers(text):
    assert found(text) == []


def test_chinese_figures_with_units_are_still_read():
    assert found("全年收到政府信息公开申请一百二十三件，被申请行政复议二〇件。") == [
        ("N01", 123),
        ("N05", 20),
    ]


# 9: 宗 counts as 件 does
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2021年，本机关共收到政府信息公开申请130宗，办结110宗。", [("N01", 130), ("N03", 110)]),
        ("全年因政府信息公开被申请行政复议5宗，被提起行政诉讼5宗。", [("N05", 5), ("N06", 5)]),
        ("结转下年度继续办理16宗。", [("N04", 16)]),
        ("2021年，本机关共收到政府信息公开申请120宗，办结113宗。", []),
    ],
)
def test_figures_in_zong_are_compared(text, expected):
    assert found(text) == expected


# 2: a body named before the figure is another body than the district's government
@pytest.mark.parametrize(
    "text",
    [
        "从申请对象看，区自然资源局受理申请50件，区住建局受理30件，区人社局受理20件。",
        "申请量较多的是区自然资源局，受理申请50件，占全区总量的41.7%。",
        "区自然资源局收到政府信息公开申请50件，占比41.7%。",
        "区卫健委收到申请8件。",
        "区人民法院受理申请8件。",
        "镇人民政府收到申请8件。",
    ],
)
def test_a_named_department_is_not_the_district(text):
    assert found(text, unit=DISTRICT) == []


@pytest.mark.parametrize(
    "text",
    [
        "区政府共收到政府信息公开申请130件。",
        "道外区人民政府共收到政府信息公开申请130件。",
        "在新的发展格局下，全区共收到政府信息公开申请130件。",
    ],
)
def test_the_unit_itself_named_is_still_compared(text):
    assert found(text, unit=DISTRICT) == [("N01", 130)]


# 6: 政务服务 applications are not disclosure applications
@pytest.mark.parametrize(
    "text",
    [
        "全年共受理依申请政务服务事项5000件，办结5000件。",
        "区政务服务中心全年受理各类申请5000件，办结5000件。",
        "全年共办结依申请事项5000件，按时办结率100%。",
        "全区政务服务大厅全年共受理群众申请5000件，办结4990件。",
        "全年受理营业执照申请500件。",
    ],
)
def test_government_service_applications_are_not_compared(text):
    assert found(text, unit=DISTRICT) == []


def test_handled_disclosure_applications_after_them_still_are():
    assert found("全年共受理政府信息公开申请120件，办结110件。", unit=DISTRICT) == [("N03", 110)]


# 3: last year's carried and this year's new applications named together: their total
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("全年共受理上年结转和本年新收的政府信息公开申请126件。", []),
        ("全年共收到上年度结转及本年度新收申请共126件。", []),
        ("上年结转和本年新收申请合计126件，办结113件。", []),
        ("全年共有上年结转与本年新收申请126件。", []),
        ("全年共受理新收及上年结转政府信息公开申请126件。", []),
        ("全年共受理上年结转和本年新收的政府信息公开申请130件。", [("N01", 130)]),
        ("上年结转和本年新收申请合计130件，办结113件。", [("N01", 130)]),
    ],
)
def test_carried_and_new_said_together_are_the_total(text, expected):
    assert found(text) == expected


def test_the_total_of_both_years_is_compared_with_their_sum():
    (finding,) = narrative_findings(report("全年共受理上年结转和本年新收的政府信息公开申请130件。"))
    assert finding.operands["统计表"] == 126
    assert "上年结转" in finding.message and "之和" in finding.message


# 7: all the body's cases, then those of disclosure: the table counts the latter
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("全年共发生行政复议案件8件，其中涉及政府信息公开的3件。", []),
        ("全年被申请行政复议8件，其中政府信息公开类3件。", []),
        ("本年度区政府作为被告的行政诉讼案件共20件，其中政府信息公开案件3件。", []),
        ("全年区政府负责人出庭应诉行政诉讼案件12件。", []),
        ("全年共发生行政复议案件8件，其中涉及政府信息公开的5件。", [("N05", 5)]),
        ("本年度区政府作为被告的行政诉讼案件共20件，其中政府信息公开案件5件。", [("N06", 5)]),
        ("全年被申请行政复议8件（其中政府信息公开类5件）。", [("N05", 5)]),
    ],
)
def test_all_cases_then_disclosure_cases_compare_the_disclosure_ones(text, expected):
    assert found(text, unit=DISTRICT) == expected


# 8: a total said, in other words, to include last year's carried applications (126 = 120 + 6)
@pytest.mark.parametrize(
    "text",
    [
        "全年共受理政府信息公开申请126件。其中新收120件，上年结转6件。",
        "全年共受理政府信息公开申请126件：新收120件，上年结转6件。",
        "全年共收到政府信息公开申请126件，其中新收120件，结转6件。",
        "全年共收到政府信息公开申请126件，含上年度未办结的6件。",
        "全年共收到政府信息公开申请126件，含上年度遗留6件。",
        "全年共收到政府信息公开申请126件（含往年结转6件）。",
        "全年共收到政府信息公开申请126件（含跨年度申请6件）。",
        "全年共受理政府信息公开申请126件，其中新申请120件，上年度转入6件。",
        "全年共受理政府信息公开申请126件，6件为上年度结转申请。",
    ],
)
def test_a_total_said_to_include_the_carried_is_compared_with_both(text):
    assert found(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "全年共受理政府信息公开申请130件。其中新收124件，上年结转6件。",
        "全年共收到政府信息公开申请130件（含跨年度申请6件）。",
    ],
)
def test_a_wrong_total_that_includes_the_carried_is_still_found(text):
    findings = narrative_findings(report(text))
    totals = [(f.rule.id, f.operands["正文"], f.operands["统计表"]) for f in findings]
    assert ("N01", 130, 126) in totals


def test_the_carried_in_the_next_clause_of_another_figure_is_not_the_totals():
    assert found("全年共收到政府信息公开申请126件，办结113件（含上年结转6件）。") == [("N01", 126)]


# 1: the whole of the district's bodies is the district
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2021年，全区各级行政机关共收到政府信息公开申请130件。", [("N01", 130)]),
        ("2021年，全区各级各部门共受理政府信息公开申请130件。", [("N01", 130)]),
        (
            "2021年，全区行政机关共收到政府信息公开申请130件，办结110件。",
            [("N01", 130), ("N03", 110)],
        ),
        ("2021年，全区各单位共受理政府信息公开申请130件。", [("N01", 130)]),
        ("2021年，全区各级行政机关因政府信息公开被申请行政复议5件。", [("N05", 5)]),
        ("2021年，全市各级行政机关共收到政府信息公开申请1300件。", []),
    ],
)
def test_all_the_districts_bodies_are_the_district(text, expected):
    assert found(text, unit=DISTRICT) == expected


def test_all_the_districts_bodies_are_not_a_streets():
    assert found("2021年，全区各级行政机关共收到政府信息公开申请1300件。") == []


# 11: a 其中 list or an aside early in a sentence governs only what it lists
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "全年共收到政府信息公开申请120件，其中自然人申请100件、法人或其他组织申请20件，"
            "共办结110件，结转下年度16件。",
            [("N03", 110), ("N04", 16)],
        ),
        (
            "全年共收到政府信息公开申请120件，其中网上申请80件、信函申请40件，共答复110件。",
            [("N03", 110)],
        ),
        (
            "全年共收到政府信息公开申请120件，其中当面申请20件，被申请行政复议5件，被提起行政诉讼5件。",
            [("N05", 5), ("N06", 5)],
        ),
        ("全年共收到政府信息公开申请120件（区政府办公室收到40件），办结110件。", [("N03", 110)]),
        # what the list is of, or a body, still governs the figures after it
        ("全区共收到申请500件，其中区政府办公室收到120件，办结110件。", [("N01", 500)]),
        ("全年发生行政复议、行政诉讼9件，其中行政复议2件，行政诉讼7件。", []),
        ("全年共收到政府信息公开申请120件，其中网上申请80件，已办结70件。", []),
    ],
)
def test_a_list_or_aside_does_not_silence_the_rest_of_the_sentence(text, expected):
    assert found(text, unit=DISTRICT) == expected


@pytest.mark.parametrize(
    "text",
    [
        # a 其中 list by body: what follows may be the body's, even the government's own
        "全区共收到申请120件，其中区政府收到100件（含上年结转5件）。",
        "全区共收到申请120件，其中区政府收到100件，共办结90件。",
        "全区共收到申请120件，其中区政府上年结转5件。",
    ],
)
def test_a_list_by_body_still_governs_what_follows(text):
    assert found(text, unit=DISTRICT) == []


# 4: after 其中, 本年新收 and 上年结转 are the table's own rows
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "全年共收到政府信息公开申请126件，其中新收121件、上年结转5件；办结113件。",
            [("N01", 121), ("N02", 5)],
        ),
        ("全年共收到政府信息公开申请126件，其中本年新收申请120件，上年结转申请5件。", [("N02", 5)]),
        ("全年共受理政府信息公开申请126件（其中上年结转5件）。", [("N02", 5)]),
        ("全年共收到政府信息公开申请126件，其中新收120件、上年结转6件。", []),
    ],
)
def test_new_and_carried_after_qizhong_are_compared(text, expected):
    assert found(text) == expected


# 12: another year's figure in an aside, or a year in a title, is no period of the rest
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "2021年共收到政府信息公开申请130件（2020年为100件），办结110件。",
            [("N01", 130), ("N03", 110)],
        ),
        (
            "2021年共收到政府信息公开申请130件，上年为100件，办结110件。",
            [("N01", 130), ("N03", 110)],
        ),
        (
            "2021年共收到政府信息公开申请130件，去年同期为100件，办结110件。",
            [("N01", 130), ("N03", 110)],
        ),
        (
            "按照《国务院办公厅关于印发2020年政务公开工作要点的通知》要求，全年共收到政府信息公开申请130件。",
            [("N01", 130)],
        ),
        ("对照上年度报告中存在的问题，全年共收到政府信息公开申请130件。", [("N01", 130)]),
        # a year that frames the sentence still does
        ("2020年收到政府信息公开申请100件，办结98件。", []),
        ("上年同期收到申请100件，办结100件。", []),
    ],
)
def test_another_years_figure_in_its_own_aside_does_not_silence_the_rest(text, expected):
    assert found(text) == expected


# 10: the years named for 上年结转 and 结转下年度, and 处理完毕
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("全年共处理完毕政府信息公开申请110件。", [("N03", 110)]),
        ("另有16件申请结转至2022年度继续办理。", [("N04", 16)]),
        ("16件因未到答复期限，结转至2022年继续办理。", [("N04", 16)]),
        ("2021年新收政府信息公开申请120件，2020年结转申请5件。", [("N02", 5)]),
        ("另有13件申请结转至2022年度继续办理。", []),
        # years that are not the report's next or last
        ("另有16件申请结转至2023年度继续办理。", []),
        ("2019年结转申请5件。", []),
    ],
)
def test_named_next_and_last_years_and_synonyms_are_compared(text, expected):
    assert found(text) == expected


# 16: a long annex joined into one sentence is looked at near each statement only
def test_each_statement_of_a_long_joined_line_is_judged_by_the_words_near_it(monkeypatch):
    from nianbao.checks import narrative

    looked_at: list[int] = []
    in_scope, is_part = narrative.in_scope, narrative.is_part

    def spy_scope(subject, *args):
        looked_at.append(len(subject))
        return in_scope(subject, *args)

    def spy_part(figure, sentence, match):
        looked_at.append(len(sentence))
        return is_part(figure, sentence, match)

    monkeypatch.setattr(narrative, "in_scope", spy_scope)
    monkeypatch.setattr(narrative, "is_part", spy_part)
    annex = "\n".join(f"第{i}单位 收到申请{i % 9 + 1}件 办结{i % 9 + 1}件" for i in range(1000))
    text = "全年共收到政府信息公开申请130件。\n附件：各单位依申请公开情况\n" + annex + "\n"
    assert ("N01", 130) in found(text)
    assert looked_at and max(looked_at) <= 2 * narrative._CONTEXT + narrative._WORDS + 20


# 5: quantities named in a list, their figures in the same order
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("全年收到、办结政府信息公开申请分别为130件和113件。", [("N01", 130)]),
        ("全年新收申请、办结申请、结转下年度申请分别为120件、113件、16件。", [("N04", 16)]),
        ("本年度行政复议、行政诉讼案件分别为3件和5件。", [("N06", 5)]),
        ("本年度发生政府信息公开行政复议、行政诉讼各5件。", [("N05", 5), ("N06", 5)]),
        ("全年新收申请、上年结转申请分别为120件和5件。", [("N02", 5)]),
        # another kind of application, names and figures that do not pair, bodies
        ("全年受理、办结行政许可申请分别为2000件和1990件。", []),
        ("全年收到、办结政府信息公开申请分别为130件。", []),
        ("行政复议、行政诉讼案件分别为3件、5件和2件。", []),
        ("2020年收到、办结申请分别为130件和110件。", []),
        ("区教育局、区卫健委分别受理政府信息公开申请30件、25件。", []),
    ],
)
def test_figures_of_a_list_are_paired_with_its_names_in_order(text, expected):
    assert found(text) == expected
