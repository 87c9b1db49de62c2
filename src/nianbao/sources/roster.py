"""The roster (名册): the units an office sends the form to and expects returns from.

A CSV file or a spreadsheet (sources.table) with a header row: 单位名称 (required), 上级单位 and
单位代码 (optional); any other column (联系人, 联系电话, 邮箱 …) is kept, in file order, and
carried through to every status list. Every problem is reported at once, in Chinese, with the
file and line, before anything is written from the roster.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

from nianbao.errors import UserError
from nianbao.sources.table import read_text_table
from nianbao.text import code_key, unit_key

UNIT, PARENT, CODE = "单位名称", "上级单位", "单位代码"
_MAX_LISTED = 20  # problems listed in one message; more are counted


@dataclass(frozen=True)
class RosterEntry:
    unit: str
    parent: str | None = None
    code: str | None = None
    # The roster's other columns, (heading, value) in file order ("" where blank).
    extra: tuple[tuple[str, str], ...] = ()


def extra_headings(roster: list[RosterEntry] | tuple[RosterEntry, ...]) -> list[str]:
    """The roster's other columns (联系人, 联系电话 …), in file order."""
    return [heading for heading, _ in roster[0].extra] if roster else []


def read_roster(path: str | os.PathLike[str]) -> list[RosterEntry]:
    """The units of a roster file, in file order; raise UserError for a bad roster."""
    table = read_text_table(path, "名册", f"{UNIT},{PARENT},{CODE}")
    source, header = table.where, table.header
    if UNIT not in header:
        shown = "、".join(h for h in header if h) or "（空）"
        raise UserError(
            f"名册 {source} 缺少「{UNIT}」列：第一行是 {shown}。"
            f"请把第一行改为列名，例如：{UNIT},{PARENT},{CODE}（{PARENT}、{CODE}两列可以没有）。"
        )
    columns = {name: header.index(name) for name in (UNIT, PARENT, CODE) if name in header}
    others = [
        (i, name) for i, name in enumerate(header) if name and name not in (UNIT, PARENT, CODE)
    ]
    entries: list[RosterEntry] = []
    first_line: dict[str, int] = {}
    code_line: dict[str, int] = {}
    problems: list[str] = []
    for line, row in table.rows:
        shifted = table.shifted(line, row)
        if shifted:
            problems.append(shifted)
            continue
        unit = _field(row, columns.get(UNIT))
        if not unit:
            problems.append(f"第 {line} 行的「{UNIT}」是空的：请填写单位名称，或删除这一行。")
            continue
        key = unit_key(unit)
        if _NOT_A_UNIT.match(key):
            problems.append(
                f"第 {line} 行的「{unit}」不是单位名称（像是表尾的合计、制表人或说明）："
                "请从名册中删除这一行。"
            )
            continue
        if key in first_line:
            problems.append(
                f"第 {line} 行的单位「{unit}」与第 {first_line[key]} 行重复：每个单位只能出现一次，请删除重复的一行。"
            )
            continue
        first_line[key] = line
        code = _field(row, columns.get(CODE))
        if _SCIENTIFIC.match(code):
            problems.append(
                f"第 {line} 行的{CODE}「{code}」是科学记数法：Excel 把较长的代码当作数字、只显示前几位，"
                "另存为 CSV 时保存的就是这几位，原来的代码已经丢失。请在 Excel 中把"
                f"「{CODE}」列设为文本格式、重新填写代码后再保存（或直接用 .xlsx 名册）。"
            )
            continue
        number = code_key(code)  # 1 and 001 are one code (Excel drops the zeros)
        if number and number in code_line:
            problems.append(
                f"第 {line} 行的{CODE}「{code}」与第 {code_line[number]} 行相同：每个单位的代码应各不相同。"
            )
            continue
        if number:
            code_line[number] = line
        entries.append(
            RosterEntry(
                unit,
                _field(row, columns.get(PARENT)) or None,
                code or None,
                tuple((name, _field(row, i)) for i, name in others),
            )
        )
    if problems:
        listed = problems[:_MAX_LISTED]
        more = (
            f"\n  ……另有 {len(problems) - _MAX_LISTED} 处问题"
            if len(problems) > _MAX_LISTED
            else ""
        )
        raise UserError(
            f"名册 {source} 有 {len(problems)} 处问题，未生成任何文件：\n  "
            + "\n  ".join(listed)
            + more
        )
    if not entries:
        raise UserError(f"名册 {source} 中没有任何单位：请在「{UNIT}」列下逐行填写单位名称。")
    return entries


# What a roster's footer holds in the name column (「合计：2个单位」, 「制表人：王五」,
# 「注：…」): a colon no unit's name has, or a footer's word first (unit_key folds widths).
_NOT_A_UNIT = re.compile(r".*:|(?:合计|总计|小计|共计|制表|填表|审核|备注|说明)")


# A code Excel showed as a number in scientific notation and a CSV kept as shown
# (230104001001 → 「2.30104E+11」): the digits after the first few are gone. Excel's form only
# (one digit, 「E+」, two or three digits): a 统一社会信用代码 may hold an E, never a +.
_SCIENTIFIC = re.compile(r"\d(?:\.\d+)?[eE]\+\d{2,3}$")


def _field(row: list[str], index: int | None) -> str:
    if index is None or index >= len(row):
        return ""
    return row[index]
