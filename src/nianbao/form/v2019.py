"""国办公开办函〔2019〕60号 (格式（试行）): for report years 2019 and 2020."""

from __future__ import annotations

from nianbao.form.common import (
    TITLE_2,
    amount_column,
    application_equations,
    application_table,
    carried_equations,
    review_equations,
    review_table,
    with_derived,
)
from nianbao.form.model import Block, Form, Header, Table, ValueType

H = Header
CONTENT = "信息内容"
LAST_YEAR, CHANGE, DECISIONS = "上一年项目数量", "本年增/减", "处理决定数量"
ITEM_COLUMNS = (H(LAST_YEAR, "c1"), H(CHANGE, "c2", value_type=ValueType.DELTA), H(DECISIONS, "c3"))

PROACTIVE = Table(
    "二",
    TITLE_2,
    (
        Block(
            caption="第二十条第（一）项",
            corner=CONTENT,
            columns=(
                H("本年新制作数量", "c1"),
                H("本年新公开数量", "c2"),
                H("对外公开总数量", "c3"),
            ),
            rows=(H("规章", "20-1.1"), H("规范性文件", "20-1.2")),
        ),
        Block(
            caption="第二十条第（五）项",
            corner=CONTENT,
            columns=ITEM_COLUMNS,
            rows=(H("行政许可", "20-5.1"), H("其他对外管理服务事项", "20-5.2")),
        ),
        Block(
            caption="第二十条第（六）项",
            corner=CONTENT,
            columns=ITEM_COLUMNS,
            rows=(H("行政处罚", "20-6.1"), H("行政强制", "20-6.2")),
        ),
        Block(
            caption="第二十条第（八）项",
            corner=CONTENT,
            columns=ITEM_COLUMNS[:2],
            rows=(H("行政事业性收费", "20-8.1"),),
        ),
        Block(
            caption="第二十条第（九）项",
            corner=CONTENT,
            columns=(H("采购项目数量", "c1"), amount_column("采购总金额", "c2")),
            rows=(H("政府集中采购", "20-9.1"),),
        ),
    ),
)

# The 2019 form has （六）其他处理 as a single data row without sub-items.
_applications = application_table(H("（六）其他处理", "3.6"))
_review = review_table()
_equations = application_equations(_applications) + review_equations(_review)
_cross_year = carried_equations(_applications)

FORM = Form(
    vintage="2019",
    document="国办公开办函〔2019〕60号",
    years=(2019, 2020),
    tables=(PROACTIVE, with_derived(_applications, _equations), with_derived(_review, _equations)),
    equations=_equations,
    cross_year=_cross_year,
)
