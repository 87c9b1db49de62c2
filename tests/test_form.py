"""The statutory form as data: the facts of docs/form.md, for both vintages."""

from __future__ import annotations

import pytest

from nianbao.form import FORMS, form_for_year, get_form
from nianbao.form.model import ValueType

# (vintage) -> cells of 表二, 表三, 表四 (docs/form.md: 10/175/15 in 2021; 22/161/15 in 2019)
CELL_COUNTS = {"2021": (10, 175, 15), "2019": (22, 161, 15)}


@pytest.mark.parametrize("vintage", sorted(CELL_COUNTS))
def test_each_table_has_the_statutory_number_of_data_cells(vintage):
    form = get_form(vintage)
    counts = tuple(len(table.cells) for table in form.tables)
    assert counts == CELL_COUNTS[vintage]
    assert [t.code for t in form.tables] == ["二", "三", "四"]


@pytest.mark.parametrize("vintage", sorted(FORMS))
def test_cell_keys_are_unique(vintage):
    form = get_form(vintage)
    keys = [c.key for c in form.cells]
    assert len(keys) == len(set(keys))


def test_2021_applications_table_has_the_25_statutory_rows_in_order():
    block = get_form("2021").table("三").blocks[0]
    assert [r.label for r in block.row_leaves] == [
        "一、本年新收政府信息公开申请数量",
        "二、上年结转政府信息公开申请数量",
        "（一）予以公开",
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
        "1.属于国家秘密",
        "2.其他法律行政法规禁止公开",
        "3.危及“三安全一稳定”",
        "4.保护第三方合法权益",
        "5.属于三类内部事务信息",
        "6.属于四类过程性信息",
        "7.属于行政执法案卷",
        "8.属于行政查询事项",
        "1.本机关不掌握相关政府信息",
        "2.没有现成信息需要另行制作",
        "3.补正后申请内容仍不明确",
        "1.信访举报投诉类申请",
        "2.重复申请",
        "3.要求提供公开出版物",
        "4.无正当理由大量反复申请",
        "5.要求行政机关确认或重新出具已获取信息",
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        "3.其他",
        "（七）总计",
        "四、结转下年度继续办理",
    ]
    assert [c.label for c in block.column_leaves] == [
        "自然人",
        "商业企业",
        "科研机构",
        "社会公益组织",
        "法律服务机构",
        "其他",
        "总计",
    ]
    assert block.corner == "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"


def test_2019_other_handling_is_one_row_without_items():
    rows = [r for r in get_form("2019").table("三").blocks[0].row_leaves]
    other = [r for r in rows if r.code.startswith("3.6")]
    assert [(r.code, r.label) for r in other] == [("3.6", "（六）其他处理")]


def test_2021_proactive_table_has_four_blocks_with_statutory_captions():
    table = get_form("2021").table("二")
    assert [b.caption for b in table.blocks] == [
        "第二十条第（一）项",
        "第二十条第（五）项",
        "第二十条第（六）项",
        "第二十条第（八）项",
    ]
    assert [c.label for c in table.blocks[0].column_leaves] == [
        "本年制发件数",
        "本年废止件数",
        "现行有效件数",
    ]
    assert [r.label for b in table.blocks for r in b.row_leaves] == [
        "规章",
        "行政规范性文件",
        "行政许可",
        "行政处罚",
        "行政强制",
        "行政事业性收费",
    ]


def test_the_fee_is_the_only_amount_of_2021_and_2019_has_signed_changes():
    amounts_2021 = [c.key for c in get_form("2021").cells if c.value_type is ValueType.AMOUNT]
    assert amounts_2021 == ["二:20-8.1:c1"]
    deltas_2019 = [c for c in get_form("2019").cells if c.value_type is ValueType.DELTA]
    assert deltas_2019 and {c.column.label for c in deltas_2019} == {"本年增/减"}
    assert not [c for c in get_form("2021").cells if c.value_type is ValueType.DELTA]


@pytest.mark.parametrize("vintage", sorted(FORMS))
def test_every_equation_refers_to_existing_cells(vintage):
    form = get_form(vintage)
    for equation in form.equations:
        for key in equation.keys:
            assert key in form.cell_by_key, f"{equation.rule} {equation.scope}: {key}"


@pytest.mark.parametrize("vintage", sorted(FORMS))
def test_derived_cells_are_exactly_the_totals(vintage):
    form = get_form(vintage)
    applications = form.table("三").blocks[0]
    total_column = [c for c in applications.column_leaves if c.label == "总计"]
    total_row = [r for r in applications.row_leaves if r.label == "（七）总计"]
    expected = {f"三:{r.code}:{c.code}" for r in applications.row_leaves for c in total_column}
    expected |= {f"三:{r.code}:{c.code}" for r in total_row for c in applications.column_leaves}
    review = form.table("四").blocks[0]
    expected |= {f"四:1:{c.code}" for c in review.column_leaves if c.label == "总计"}
    assert set(form.derived_keys) == expected
    rows = len(applications.row_leaves)  # 25 (2021) or 23 (2019)
    assert len(expected) == rows + 7 - 1 + 3
    assert set(form.defining) == expected


@pytest.mark.parametrize("vintage", sorted(FORMS))
def test_balance_equations_are_E1_one_per_applications_column(vintage):
    form = get_form(vintage)
    assert {eq.rule for eq in form.balance_equations} == {"E1"}
    assert len(form.balance_equations) == len(form.table("三").blocks[0].column_leaves)


@pytest.mark.parametrize(
    ("year", "vintage"), [(2019, "2019"), (2020, "2019"), (2021, "2021"), (2030, "2021")]
)
def test_the_vintage_follows_the_report_year(year, vintage):
    assert form_for_year(year).vintage == vintage


def test_a_year_before_the_format_existed_is_refused_in_chinese():
    with pytest.raises(ValueError, match="早于"):
        form_for_year(2018)
