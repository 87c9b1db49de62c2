"""Pieces both vintages share: 表三 (but for its （六）其他处理 row), 表四, and the rule builders."""

from __future__ import annotations

from dataclasses import replace

from nianbao.form.model import Block, Header, Table, ValueType, leaves_of
from nianbao.form.rules import Equation, Term

H = Header

TITLE_2 = "二、主动公开政府信息情况"
TITLE_3 = "三、收到和处理政府信息公开申请情况"
TITLE_4 = "四、政府信息公开行政复议、行政诉讼情况"

APPLICATION_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"

APPLICANT_COLUMNS = (
    H(
        "申请人情况",
        children=(
            H("自然人", "c1"),
            H(
                "法人或其他组织",
                children=(
                    H("商业企业", "c2"),
                    H("科研机构", "c3"),
                    H("社会公益组织", "c4"),
                    H("法律服务机构", "c5"),
                    H("其他", "c6"),
                ),
            ),
            H("总计", "c7"),
        ),
    ),
)
APPLICANT_TOTAL = "c7"

ROW_NEW = "1"
ROW_CARRIED_IN = "2"
ROW_OUTCOME_TOTAL = "3.7"
ROW_CARRIED_OUT = "4"

OTHER_HANDLING_ITEMS = (
    H("1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", "3.6.1"),
    H("2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "3.6.2"),
    H("3.其他", "3.6.3"),
)


def application_table(other_handling: Header) -> Table:
    """表三. ``other_handling`` is （六）其他处理: a group of three items (2021) or one row (2019)."""
    outcomes = H(
        "三、本年度办理结果",
        "3",
        children=(
            H("（一）予以公开", "3.1"),
            H(
                "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
                "3.2",
                short="（二）部分公开",
            ),
            H(
                "（三）不予公开",
                "3.3",
                children=(
                    H("1.属于国家秘密", "3.3.1"),
                    H("2.其他法律行政法规禁止公开", "3.3.2"),
                    H("3.危及“三安全一稳定”", "3.3.3"),
                    H("4.保护第三方合法权益", "3.3.4"),
                    H("5.属于三类内部事务信息", "3.3.5"),
                    H("6.属于四类过程性信息", "3.3.6"),
                    H("7.属于行政执法案卷", "3.3.7"),
                    H("8.属于行政查询事项", "3.3.8"),
                ),
            ),
            H(
                "（四）无法提供",
                "3.4",
                children=(
                    H("1.本机关不掌握相关政府信息", "3.4.1"),
                    H("2.没有现成信息需要另行制作", "3.4.2"),
                    H("3.补正后申请内容仍不明确", "3.4.3"),
                ),
            ),
            H(
                "（五）不予处理",
                "3.5",
                children=(
                    H("1.信访举报投诉类申请", "3.5.1"),
                    H("2.重复申请", "3.5.2"),
                    H("3.要求提供公开出版物", "3.5.3"),
                    H("4.无正当理由大量反复申请", "3.5.4"),
                    H("5.要求行政机关确认或重新出具已获取信息", "3.5.5"),
                ),
            ),
            other_handling,
            H("（七）总计", ROW_OUTCOME_TOTAL, short="办理结果总计"),
        ),
    )
    rows = (
        H("一、本年新收政府信息公开申请数量", ROW_NEW, short="本年新收"),
        H("二、上年结转政府信息公开申请数量", ROW_CARRIED_IN, short="上年结转"),
        outcomes,
        H("四、结转下年度继续办理", ROW_CARRIED_OUT, short="结转下年度"),
    )
    return Table(
        "三", TITLE_3, (Block(rows=rows, columns=APPLICANT_COLUMNS, corner=APPLICATION_NOTE),)
    )


def _five(prefix: str) -> tuple[Header, ...]:
    names = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
    return tuple(H(name, f"{prefix}{i}") for i, name in enumerate(names, start=1))


REVIEW_GROUPS = (("行政复议", "ar"), ("未经复议直接起诉", "ld"), ("复议后起诉", "lr"))


def review_table() -> Table:
    """表四: one unlabelled data row, 15 columns (the same in both vintages)."""
    (review, _), (direct, _), (after, _) = REVIEW_GROUPS
    columns = (
        H(review, children=_five("ar")),
        H("行政诉讼", children=(H(direct, children=_five("ld")), H(after, children=_five("lr")))),
    )
    return Table(
        "四", TITLE_4, (Block(rows=(H("", "1"),), columns=columns, show_row_labels=False),)
    )


# -- rules --------------------------------------------------------------------------------


def _term(table: str, row: Header, col: Header, name: str) -> Term:
    return Term(f"{table}:{row.code}:{col.code}", name)


def application_equations(table: Table) -> tuple[Equation, ...]:
    """E1 (balance per column), E3 (（七）总计 per column), E4 (总计 per row) for 表三."""
    block = table.blocks[0]
    rows = {r.code: r for r in block.row_leaves}
    outcome_rows = [
        r for r in block.row_leaves if r.code.startswith("3.") and r.code != ROW_OUTCOME_TOTAL
    ]
    columns = block.column_leaves
    parts = [c for c in columns if c.code != APPLICANT_TOTAL]
    total = next(c for c in columns if c.code == APPLICANT_TOTAL)
    code = table.code
    equations: list[Equation] = []
    # E4 first: it owns every cell of the 总计 column, (七)总计 included.
    for row in block.row_leaves:
        equations.append(
            Equation(
                "E4",
                code,
                f"「{row.label}」行",
                (_term(code, row, total, "总计"),),
                tuple(_term(code, row, c, c.label) for c in parts),
                rhs_name="自然人至其他各列之和",
                defines=f"{code}:{row.code}:{total.code}",
            )
        )
    # E3 per column but 总计, whose (七)总计 cell E4 already owns.
    for col in parts:
        scope = f"{col.label}列"
        equations.append(
            Equation(
                "E3",
                code,
                scope,
                (_term(code, rows[ROW_OUTCOME_TOTAL], col, "（七）总计"),),
                tuple(_term(code, r, col, r.label) for r in outcome_rows),
                rhs_name="（一）至（六）各项之和",
                defines=f"{code}:{ROW_OUTCOME_TOTAL}:{col.code}",
            )
        )
    for col in columns:
        equations.append(
            Equation(
                "E1",
                code,
                f"{col.label}列",
                (
                    _term(code, rows[ROW_NEW], col, rows[ROW_NEW].name),
                    _term(code, rows[ROW_CARRIED_IN], col, rows[ROW_CARRIED_IN].name),
                ),
                (
                    _term(code, rows[ROW_OUTCOME_TOTAL], col, rows[ROW_OUTCOME_TOTAL].name),
                    _term(code, rows[ROW_CARRIED_OUT], col, rows[ROW_CARRIED_OUT].name),
                ),
            )
        )
    return tuple(equations)


def review_equations(table: Table) -> tuple[Equation, ...]:
    """E5: in 表四 each 总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结 (three groups)."""
    block = table.blocks[0]
    (row,) = block.row_leaves
    columns = block.column_leaves
    equations = []
    for name, prefix in REVIEW_GROUPS:
        group = [c for c in columns if c.code.startswith(prefix)]
        total, parts = group[-1], group[:-1]
        equations.append(
            Equation(
                "E5",
                table.code,
                name,
                (_term(table.code, row, total, "总计"),),
                tuple(_term(table.code, row, c, c.label) for c in parts),
                defines=f"{table.code}:{row.code}:{total.code}",
            )
        )
    return tuple(equations)


def carried_equations(table: Table) -> tuple[Equation, ...]:
    """X1: in 表三 each applicant column's 上年结转 equals last year's 结转下年度 (the 总计 column
    follows from the others)."""
    block = table.blocks[0]
    rows = {r.code: r for r in block.row_leaves}
    carried_in, carried_out = rows[ROW_CARRIED_IN], rows[ROW_CARRIED_OUT]
    return tuple(
        Equation(
            "X1",
            table.code,
            f"{col.label}列",
            (_term(table.code, carried_in, col, f"本年「{carried_in.name}」"),),
            (_last_year(_term(table.code, carried_out, col, f"上年报表的「{carried_out.name}」")),),
        )
        for col in block.column_leaves
        if col.code != APPLICANT_TOTAL
    )


def stock_equations(table: Table) -> tuple[Equation, ...]:
    """X3 (2021 表二 第二十条第（一）项, per row): 现行有效件数 = last year's 现行有效件数 +
    本年制发件数 − 本年废止件数, written without a minus: 现行有效 + 废止 = 上年现行有效 + 制发."""
    block = table.blocks[0]
    issued, repealed, in_force = block.column_leaves
    return tuple(
        Equation(
            "X3",
            table.code,
            row.label,
            (
                _term(table.code, row, in_force, in_force.label),
                _term(table.code, row, repealed, repealed.label),
            ),
            (
                _last_year(_term(table.code, row, in_force, f"上年{in_force.label}")),
                _term(table.code, row, issued, issued.label),
            ),
        )
        for row in block.row_leaves
    )


def _last_year(term: Term) -> Term:
    return replace(term, last_year=True)


def with_derived(table: Table, equations: tuple[Equation, ...]) -> Table:
    """The table with its derived cells marked, as the equations define them."""
    keys = frozenset(eq.defines for eq in equations if eq.defines and eq.table == table.code)
    return replace(table, derived_keys=keys)


def amount_column(label: str, code: str) -> Header:
    return H(label, code, value_type=ValueType.AMOUNT)


__all__ = [
    "APPLICANT_COLUMNS",
    "OTHER_HANDLING_ITEMS",
    "TITLE_2",
    "application_equations",
    "application_table",
    "leaves_of",
    "review_equations",
    "review_table",
    "with_derived",
]
