"""国办公开办函〔2021〕30号: the current form, for report years 2021 onward."""

from __future__ import annotations

from nianbao.form.common import (
    OTHER_HANDLING_ITEMS,
    TITLE_2,
    amount_column,
    application_equations,
    application_table,
    carried_equations,
    review_equations,
    review_table,
    stock_equations,
    with_derived,
)
from nianbao.form.model import Block, Form, Header, Table

H = Header
CONTENT = "信息内容"
DECISIONS = (H("本年处理决定数量", "c1"),)

PROACTIVE = Table(
    "二",
    TITLE_2,
    (
        Block(
            caption="第二十条第（一）项",
            corner=CONTENT,
            columns=(H("本年制发件数", "c1"), H("本年废止件数", "c2"), H("现行有效件数", "c3")),
            rows=(H("规章", "20-1.1"), H("行政规范性文件", "20-1.2")),
        ),
        Block(
            caption="第二十条第（五）项",
            corner=CONTENT,
            columns=DECISIONS,
            rows=(H("行政许可", "20-5.1"),),
        ),
        Block(
            caption="第二十条第（六）项",
            corner=CONTENT,
            columns=DECISIONS,
            rows=(H("行政处罚", "20-6.1"), H("行政强制", "20-6.2")),
        ),
        Block(
            caption="第二十条第（八）项",
            corner=CONTENT,
            columns=(amount_column("本年收费金额（单位：万元）", "c1"),),
            rows=(H("行政事业性收费", "20-8.1"),),
        ),
    ),
)

_applications = application_table(H("（六）其他处理", "3.6", children=OTHER_HANDLING_ITEMS))
_review = review_table()
_equations = application_equations(_applications) + review_equations(_review)
_cross_year = carried_equations(_applications) + stock_equations(PROACTIVE)

FORM = Form(
    vintage="2021",
    document="国办公开办函〔2021〕30号",
    years=(2021, None),
    tables=(PROACTIVE, with_derived(_applications, _equations), with_derived(_review, _equations)),
    equations=_equations,
    cross_year=_cross_year,
)


# Published reports (淮安市洪泽区 2023, 2024) print （六）其他处理 as one row in a 2021 table, its
# three sub-rows missing. Such a table is read against this variant: the 2021 form with 表三's
# （六） as the single row it has in the 2019 layout. Every rule, message and export then names
# that row as printed; nothing is guessed about how its total splits into the three items, so
# such a return cannot be summed with complete ones (merge refuses it, L08).
ONE_ROW_OTHER_VARIANT = "（六）其他处理一行"
_one_row_applications = application_table(H("（六）其他处理", "3.6"))
_one_row_equations = application_equations(_one_row_applications) + review_equations(_review)
ONE_ROW_OTHER = Form(
    vintage=FORM.vintage,
    document=FORM.document,
    years=FORM.years,
    tables=(
        PROACTIVE,
        with_derived(_one_row_applications, _one_row_equations),
        with_derived(_review, _one_row_equations),
    ),
    equations=_one_row_equations,
    cross_year=carried_equations(_one_row_applications) + stock_equations(PROACTIVE),
    variant=ONE_ROW_OTHER_VARIANT,
)
