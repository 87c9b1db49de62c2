"""Write the seed: 道外区水泥路街道办事处's published 2021 report as the unit typed it.

    python samples/seed/make_seed.py          # (re)write 道外区水泥路街道办事处-2021.xlsx beside this script

The workbook is what a unit that typed the three tables itself would send: one sheet, no
cover, no identity sheet, the report's title in the first row, the tables in the official
layout with the labels exactly as published (line breaks in 商业\\n企业, spaces in 结果 纠正),
and every figure typed as text, with the spaces of the published report (" 0", "0 ").
Nothing here comes from nianbao: the labels are transcribed from the published report, so the
reader is tested against a workbook it did not make. Deterministic: fixed document times.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import xlsxwriter

HERE = Path(__file__).resolve().parent
UNIT = "道外区水泥路街道办事处"
TARGET = HERE / f"{UNIT}-2021.xlsx"
TITLE = f"{UNIT}2021年政府信息公开工作年度报告"

# 二、主动公开政府信息情况: (caption, header, rows); each row of figures as published.
PROACTIVE = (
    (
        "第二十条第（一）项",
        ("信息内容", "本年制发件数", "本年废止件数", "现行有效件数"),
        ("规章", "行政规范性文件"),
    ),
    ("第二十条第（五）项", ("信息内容", "本年处理决定数量"), ("行政许可",)),
    ("第二十条第（六）项", ("信息内容", "本年处理决定数量"), ("行政处罚", "行政强制")),
    ("第二十条第（八）项", ("信息内容", "本年收费金额（单位：万元）"), ("行政事业性收费",)),
)

# 三、收到和处理政府信息公开申请情况: rows as (group, subgroup, item); a merged cell repeats None.
APPLICATION_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
APPLICANTS = ("商业\n企业", "科研\n机构", "社会公益组织", "法律服务机构", "其他")
OUTCOME_GROUPS = (
    ("（一）予以公开", ()),
    ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", ()),
    (
        "（三）不予公开",
        (
            "1.属于国家秘密",
            "2.其他法律行政法规禁止公开",
            "3.危及“三安全一稳定”",
            "4.保护第三方合法权益",
            "5.属于三类内部事务信息",
            "6.属于四类过程性信息",
            "7.属于行政执法案卷",
            "8.属于行政查询事项",
        ),
    ),
    (
        "（四）无法提供",
        ("1.本机关不掌握相关政府信息", "2.没有现成信息需要另行制作", "3.补正后申请内容仍不明确"),
    ),
    (
        "（五）不予处理",
        (
            "1.信访举报投诉类申请",
            "2.重复申请",
            "3.要求提供公开出版物",
            "4.无正当理由大量反复申请",
            "5.要求行政机关确认或重新出具已获取信息",
        ),
    ),
    (
        "（六）其他处理",
        (
            "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
            "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
            "3.其他",
        ),
    ),
    ("（七）总计", ()),
)

# 四、政府信息公开行政复议、行政诉讼情况: the leaves as published (spaces included).
REVIEW_LEAVES = ("结果维持", "结果 纠正", "其他 结果", "尚未 审结", "总计")
LAWSUIT_LEAVES = ("结果 维持", "结果 纠正", "其他 结果", "尚未 审结", "总计")
REVIEW_FIGURES = (" 0",) + ("0 ",) * 14


def main() -> Path:
    workbook = xlsxwriter.Workbook(str(TARGET), {"in_memory": True, "strings_to_numbers": False})
    workbook.set_properties({"created": datetime(2022, 1, 20, 9, 0, 0), "author": UNIT})
    cell = workbook.add_format(
        {"border": 1, "align": "center", "valign": "vcenter", "text_wrap": True}
    )
    text = workbook.add_format({"num_format": "@", "border": 1, "align": "center"})
    heading = workbook.add_format({"bold": True})
    ws = workbook.add_worksheet("Sheet1")
    ws.set_column(0, 2, 16)
    ws.set_column(3, 14, 9)
    ws.write_string(0, 0, TITLE, workbook.add_format({"bold": True, "font_size": 16}))

    row = 2
    ws.write_string(row, 0, "二、主动公开政府信息情况", heading)
    row += 1
    for caption, header, labels in PROACTIVE:
        ws.merge_range(row, 0, row, 3, caption, cell)
        row += 1
        _header_row(ws, row, header, cell)
        row += 1
        for label in labels:
            ws.write_string(row, 0, label, cell)
            if len(header) == 2:
                ws.merge_range(row, 1, row, 3, "0", text)
            else:
                for col in range(1, len(header)):
                    ws.write_string(row, col, "0", text)
            row += 1

    row += 1
    ws.write_string(row, 0, "三、收到和处理政府信息公开申请情况", heading)
    row += 1
    ws.merge_range(row, 0, row + 2, 2, APPLICATION_NOTE, cell)
    ws.merge_range(row, 3, row, 9, "申请人情况", cell)
    ws.merge_range(row + 1, 3, row + 2, 3, "自然人", cell)
    ws.merge_range(row + 1, 4, row + 1, 8, "法人或其他组织", cell)
    ws.merge_range(row + 1, 9, row + 2, 9, "总计", cell)
    for offset, label in enumerate(APPLICANTS):
        ws.write_string(row + 2, 4 + offset, label, cell)
    row += 3
    row = _application_row(ws, row, "一、本年新收政府信息公开申请数量", cell, text)
    row = _application_row(ws, row, "二、上年结转政府信息公开申请数量", cell, text)
    outcome_rows = sum(max(1, len(items)) for _, items in OUTCOME_GROUPS)
    ws.merge_range(row, 0, row + outcome_rows - 1, 0, "三、本年度办理结果", cell)
    for group, items in OUTCOME_GROUPS:
        if not items:
            ws.merge_range(row, 1, row, 2, group, cell)
            row = _figures(ws, row, text)
            continue
        ws.merge_range(row, 1, row + len(items) - 1, 1, group, cell)
        for item in items:
            ws.write_string(row, 2, item, cell)
            row = _figures(ws, row, text)
    row = _application_row(ws, row, "四、结转下年度继续办理", cell, text)

    row += 1
    ws.write_string(row, 0, "四、政府信息公开行政复议、行政诉讼情况", heading)
    row += 1
    ws.merge_range(row, 0, row, 4, "行政复议", cell)
    ws.merge_range(row, 5, row, 14, "行政诉讼", cell)
    for col, label in enumerate(REVIEW_LEAVES):
        ws.merge_range(row + 1, col, row + 2, col, label, cell)
    ws.merge_range(row + 1, 5, row + 1, 9, "未经复议直接起诉", cell)
    ws.merge_range(row + 1, 10, row + 1, 14, "复议后起诉", cell)
    for col, label in enumerate(LAWSUIT_LEAVES * 2, start=5):
        ws.write_string(row + 2, col, label, cell)
    for col, figure in enumerate(REVIEW_FIGURES):
        ws.write_string(row + 3, col, figure, text)
    workbook.close()
    return TARGET


def _header_row(ws, row: int, header: tuple[str, ...], fmt) -> None:  # type: ignore[no-untyped-def]
    ws.write_string(row, 0, header[0], fmt)
    if len(header) == 2:
        ws.merge_range(row, 1, row, 3, header[1], fmt)
    else:
        for col, label in enumerate(header[1:], start=1):
            ws.write_string(row, col, label, fmt)


def _application_row(ws, row: int, label: str, fmt, text) -> int:  # type: ignore[no-untyped-def]
    ws.merge_range(row, 0, row, 2, label, fmt)
    return _figures(ws, row, text)


def _figures(ws, row: int, text) -> int:  # type: ignore[no-untyped-def]
    for col in range(3, 10):
        ws.write_string(row, col, " 0", text)
    return row + 1


if __name__ == "__main__":
    print(main())
