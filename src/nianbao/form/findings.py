"""Findings: what check and merge report, one object per problem, with a stable rule id.

The catalogue below is the one list of rule ids. A rule's id never changes once released;
its title is the Chinese name shown in reports and in the README's rule table.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from enum import Enum, StrEnum

from nianbao.form.a1 import parse_cell_name

# L01's operand for a table partly found (how many of its data cells were placed): the file
# is a report whose table is broken, not a file of another kind
PARTLY_FOUND = "已找到的数据格"
# L01's operand for a table not found in a file where other tables are (表二、表四, say, around
# a 表三 printed as a picture): the file is a report that cannot be read, not another kind
OTHER_TABLES_FOUND = "已找到的其他表"


class Severity(StrEnum):
    ERROR = "error"  # blocks merge
    WARNING = "warning"  # reported, does not block

    @property
    def chinese(self) -> str:
        return "错误" if self is Severity.ERROR else "警告"


class Rule(Enum):
    """Rule id -> (default severity, Chinese title)."""

    # the file itself
    F01 = ("F01", Severity.ERROR, "文件无法打开或已损坏")
    F02 = ("F02", Severity.ERROR, "文件格式不受支持")
    F03 = ("F03", Severity.ERROR, "文件已加密（设有打开密码）")
    F04 = ("F04", Severity.ERROR, "文件超出安全限制")
    # a file that is no return at all (a Word note, an archive, nianbao's annotated copy): an
    # error when named on the command line, a warning (listed as 未读取) when found in a folder
    F05 = ("F05", Severity.ERROR, "不是统计表，未读取")
    # the layout: sheets, labels, vintage
    L01 = ("L01", Severity.ERROR, "无法识别表式")
    L02 = ("L02", Severity.WARNING, "标签文字与官方表式略有出入")
    L03 = ("L03", Severity.ERROR, "表式版本与报告年度不符")
    L04 = ("L04", Severity.ERROR, "标签文字与官方表式不符")
    L05 = ("L05", Severity.ERROR, "同一张表有多份填了数字，无法确定读取哪一份")
    L06 = ("L06", Severity.WARNING, "同一张表有多份，已读取唯一填了数字的一份")
    L07 = ("L07", Severity.WARNING, "标明其他年度的表格未读取")
    L08 = ("L08", Severity.WARNING, "（六）其他处理只印了一行，缺少三个分项")
    L09 = ("L09", Severity.ERROR, "同一行标签出现多次且数字不同，无法确定读取哪一行")
    # a row inside a table that is not a row of the form (a unit inserted 「9.其他…」) and
    # holds figures: they are in no cell of the form, so they are not read
    L10 = ("L10", Severity.WARNING, "表中有表式以外的行，其中的数字未读取")
    # ... and a column between its data columns (a unit inserted 「个体工商户」 among the
    # applicants): its figures are in no cell of the form either
    L11 = ("L11", Severity.WARNING, "表中有表式以外的列，其中的数字未读取")
    # ... and a figure right beside a data row, under no column label (a row typed or pasted
    # one cell to the right: its first cell blank, its last figure outside the table)
    L12 = ("L12", Severity.WARNING, "数据行右侧没有列标题的格中有数字，未读取")
    # cell values
    V01 = ("V01", Severity.ERROR, "数字单元格中填了文字")
    V02 = ("V02", Severity.ERROR, "出现负数")
    V03 = ("V03", Severity.ERROR, "件数不是整数")
    V04 = ("V04", Severity.WARNING, "空白单元格按 0 计")
    V05 = ("V05", Severity.WARNING, "「/」「—」「无」等按 0 计")
    V06 = ("V06", Severity.WARNING, "数字格式已规范化")
    V07 = ("V07", Severity.ERROR, "公式没有计算结果")
    V08 = ("V08", Severity.ERROR, "单元格显示错误值（#DIV/0! 等）")
    V09 = ("V09", Severity.ERROR, "数值超出合理范围")
    V10 = ("V10", Severity.WARNING, "数字后附有说明文字")
    V11 = ("V11", Severity.ERROR, "数字被合并单元格遮住，表上看不到")
    # a column label merged over several columns above separate cells, more than one of them
    # holding something: which is the column's figure cannot be told (none is read)
    V12 = ("V12", Severity.ERROR, "一列标题下的几格都有内容，无法确定哪一格是数字")
    # what Excel shows is not the figure stored (a format hiding, scaling or adding to it, a
    # percentage; a font the colour of the cell): which one the unit meant cannot be told
    V13 = ("V13", Severity.ERROR, "单元格显示的与存储的数字不符")
    # a figure in a hidden row or column of a table, or under a shape: read (the sums count
    # it) but not seen
    V14 = ("V14", Severity.WARNING, "数字所在的行、列或工作表被隐藏（或被图形盖住），已读取")
    # balance rules (勾稽关系)
    E1 = ("E1", Severity.ERROR, "本年新收＋上年结转≠办理结果总计＋结转下年度")
    E3 = ("E3", Severity.ERROR, "（七）总计不等于各项办理结果之和")
    E4 = ("E4", Severity.ERROR, "总计列不等于各类申请人之和")
    E5 = ("E5", Severity.ERROR, "表四总计不等于各项结果之和")
    # cover sheet and year
    C01 = ("C01", Severity.WARNING, "未填写填报单位")
    C02 = ("C02", Severity.WARNING, "未填写或无法识别报告年度")
    C03 = ("C03", Severity.ERROR, "报告年度与要求不符")
    C04 = ("C04", Severity.ERROR, "统计表未填写（全部空白）")
    # the template was issued for another year than its cover says: last year's return with
    # the year changed, or this year's figures in last year's blank
    C05 = ("C05", Severity.WARNING, "封面年度与模板下发的年度不同")
    # across years
    X1 = ("X1", Severity.ERROR, "上年结转与上年报表的结转下年度不一致")
    X3 = ("X3", Severity.WARNING, "现行有效件数与上年不衔接")
    X4 = ("X4", Severity.WARNING, "上年报表与本年不是同一单位、年度不相邻，或两年汇总的单位不同")
    X5 = ("X5", Severity.WARNING, "关键数字与上年相比增减异常")
    X6 = ("X6", Severity.WARNING, "与上年报表完全相同（雷同）")
    X7 = ("X7", Severity.WARNING, "上年报表中没有该单位，未做跨年核对")
    # a published report's text against its own tables (documents only)
    N01 = ("N01", Severity.WARNING, "正文所述收到申请数与表三不一致")
    N02 = ("N02", Severity.WARNING, "正文所述上年结转数与表三不一致")
    N03 = ("N03", Severity.WARNING, "正文所述办结（答复）数与表三不一致")
    N04 = ("N04", Severity.WARNING, "正文所述结转下年度数与表三不一致")
    N05 = ("N05", Severity.WARNING, "正文所述行政复议案件数与表四不一致")
    N06 = ("N06", Severity.WARNING, "正文所述行政诉讼案件数与表四不一致")
    # merging
    M01 = ("M01", Severity.ERROR, "同一单位重复报送")
    M02 = ("M02", Severity.ERROR, "表式版本不一致，不能汇总")
    M03 = ("M03", Severity.ERROR, "报告年度不一致，不能汇总")
    M04 = ("M04", Severity.WARNING, "名册中的单位未报送")
    M05 = ("M05", Severity.WARNING, "报送单位不在名册中")
    M06 = (
        "M06",
        Severity.WARNING,
        "封面单位名称或单位代码与名册不同，已按代码、名称、模板或所在地名认定",
    )
    M07 = ("M07", Severity.ERROR, "上报的汇总表与各单位报表之和不一致")
    M08 = ("M08", Severity.ERROR, "汇总表与单位报表混在一起，不能汇总")
    M09 = ("M09", Severity.WARNING, "疑似汇总表")
    # a summary whose statutory tables are not the sum of the members its 分单位明细 lists
    # (edited by hand after merge wrote it): it contradicts itself
    M10 = ("M10", Severity.ERROR, "汇总表与其分单位明细各单位之和不一致")
    # a summary without a 分单位明细 nianbao can read: neither M10 nor M01 across summaries
    # can be checked on it
    M11 = ("M11", Severity.WARNING, "汇总表没有可读的分单位明细，未能核对")
    # a summary whose 报送情况 lists units not counted in it (未报, errors skipped with
    # --skip-invalid, unreadable): its figures are not the whole roster's
    M12 = ("M12", Severity.WARNING, "汇总表未计入部分单位")
    # returns of different units (by name) whose entered figures are the same one by one, with
    # enough of them not 0 that it is no coincidence (checks.status.COPIED_FIGURES): one return
    # sent twice under two names (a workbook and its published report), or one unit's figures
    # copied by another. Treated as M01: merge refuses, status lists them.
    M13 = ("M13", Severity.ERROR, "不同单位的报表数字完全相同")
    # a template issued to one roster unit (its hidden 单位代码) whose cover names another
    # roster unit: whose figures they are cannot be told, so they count for neither
    M14 = ("M14", Severity.ERROR, "封面是名册中另一单位，与模板的单位代码不符")
    # explanations (--accept)
    A01 = ("A01", Severity.WARNING, "说明没有对应任何问题（可能已改正）")
    A02 = ("A02", Severity.WARNING, "错误不能以说明放行")

    def __init__(self, rule_id: str, severity: Severity, title: str) -> None:
        self.id = rule_id
        self.severity = severity
        self.title = title


@dataclass(frozen=True)
class Place:
    """A cell of a table in a document (web page, PDF, Word, text) as a reader of it finds it.

    Documents have no sheets or A1 names a person could look up: a finding there names the
    table, the row and column labels (the official ones, from the form) and, in a PDF, the page.
    """

    table: str  # 表二 / 表三 / 表四
    row: str = ""  # the row's label; "" for 表四's single row or for a column label itself
    column: str = ""  # the column's label; "" for a row label itself
    page: int | None = None  # PDFs: the page the row is printed on (1-based)

    def describe(self, table: bool = True) -> str:
        """「表三「（七）总计」行「自然人」列（第 3 页）」; without the table when ``table`` is
        false (inside a message that has named it)."""
        parts = [self.table] if table else []
        if self.row:
            parts.append(f"「{self.row}」行")
        if self.column:
            parts.append(f"「{self.column}」" + ("列" if self.row else ""))
        page = f"（第 {self.page} 页）" if self.page is not None else ""
        return "".join(parts) + page

    def to_dict(self) -> dict[str, object]:
        return {"table": self.table, "row": self.row, "column": self.column, "page": self.page}


@dataclass(frozen=True)
class Finding:
    """One problem, located as precisely as possible: a workbook's sheet and A1 cells, or a
    document's table, row and column labels (``places``)."""

    rule: Rule
    message: str  # Chinese: what is wrong, where, and what to do
    severity: Severity | None = None  # None: the rule's default
    file: str | None = None
    sheet: str | None = None
    cells: tuple[str, ...] = ()  # A1 names on ``sheet``
    places: tuple[Place, ...] = ()  # documents: the table cells concerned
    operands: dict[str, object] = field(default_factory=dict, compare=False, hash=False)
    # Why the finding is true and accepted (--accept): shown as 已说明, no longer counted.
    explanation: str | None = None

    @property
    def level(self) -> Severity:
        return self.severity or self.rule.severity

    @property
    def is_error(self) -> bool:
        return self.level is Severity.ERROR

    @property
    def accepted(self) -> bool:
        """Explained as true (--accept): shown as 已说明 and counted neither as error nor warning."""
        return self.explanation is not None

    def explained(self, reason: str) -> Finding:
        return replace(self, explanation=reason)

    def at_file(self, file: str) -> Finding:
        return replace(self, file=file)

    def to_dict(self) -> dict[str, object]:
        """The stable JSON shape (documented in the README)."""
        return {
            "rule": self.rule.id,
            "severity": self.level.value,
            "title": self.rule.title,
            "message": self.message,
            "file": self.file,
            "sheet": self.sheet,
            "cells": list(self.cells),
            "places": [place.to_dict() for place in self.places],
            "operands": {k: _jsonable(v) for k, v in self.operands.items()},
            "accepted": self.accepted,
            "explanation": self.explanation,
        }


def _jsonable(value: object) -> object:
    if isinstance(value, int | float | str | bool) or value is None:
        return value
    if isinstance(value, list | tuple):  # the files of M01, the years of M03
        return [_jsonable(item) for item in value]
    return str(value)


# Workbook order of the sheets a finding can name (by title prefix).
_SHEET_ORDER = ("封面", "二、", "三、", "四、")
_TABLE_ORDER = ("", "表二", "表三", "表四")  # the same positions, for a document's places


def finding_order(finding: Finding) -> tuple:
    """File-level findings first, then by sheet (workbook order) and cell (row, then column);
    a document's findings by table, in the order they were found."""
    if finding.places:
        table = finding.places[0].table
        return (1, next((i for i, t in enumerate(_TABLE_ORDER) if t == table), 9), -1, -1)
    if not finding.sheet:
        return (0, 0, 0, 0)
    sheet = next(
        (i for i, prefix in enumerate(_SHEET_ORDER) if finding.sheet.startswith(prefix)), 9
    )
    try:
        row, col = parse_cell_name(finding.cells[0]) if finding.cells else (-1, -1)
    except ValueError:
        row, col = -1, -1
    return (1, sheet, row, col)


def sorted_findings(findings: Sequence[Finding]) -> list[Finding]:
    return sorted(findings, key=finding_order)


def places_text(places: Sequence[Place], limit: int = 2) -> str:
    """A document's cells by table, row and column label, for a line of a report; a long list
    is cut (the message itself says how many)."""
    if len(places) <= limit:
        return "、".join(place.describe() for place in places)
    rows = {(place.table, place.row) for place in places}
    if len(rows) == 1 and places[0].row:  # one row's cells (E4, L08): name the row
        return f"{replace(places[0], column='').describe()}（{len(places)} 格）"
    tables = "、".join(dict.fromkeys(place.table for place in places))
    return f"{tables}（{len(places)} 处）"
