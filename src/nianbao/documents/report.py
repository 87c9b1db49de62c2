"""The annual report as content, before any file format: title, opening, six parts, tables.

``build_report`` turns a checked Return (and, if given, the narrative the office wrote) into a
``Report``; ``documents.docx`` and ``documents.html`` render the same Report. Everything a
reader can check against the tables is generated from the return's figures: the three tables
themselves and one sentence each in 三 and 四 stating their key figures, so the text cannot
contradict the tables. What only the office can write is left as a marked placeholder
「（请填写：…）」, highlighted in every format, unless the narrative supplies it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from nianbao.documents.narrative import Narrative, is_subheading
from nianbao.documents.tables import TableGrid, figure_texts, table_grid
from nianbao.form.common import (
    APPLICANT_TOTAL,
    ROW_CARRIED_IN,
    ROW_CARRIED_OUT,
    ROW_NEW,
    ROW_OUTCOME_TOTAL,
)
from nianbao.form.data import Number, Return
from nianbao.form.model import Form, Header
from nianbao.text import show_value as show
from nianbao.text import visible

# The report's parts besides the three tables (whose headings are the tables' titles), as the
# national format (国办公开办函〔2019〕60号, 〔2021〕30号) names them.
GENERAL = "一、总体情况"
PROBLEMS = "五、存在的主要问题及改进情况"
OTHER = "六、其他需要报告的事项"

# The notices that set each vintage's format, cited in the opening paragraph.
NOTICES = {
    "2021": "国务院办公厅政府信息与政务公开办公室关于印发〈中华人民共和国政府信息公开工作年度报告格式〉的通知",
    "2019": "国务院办公厅政府信息与政务公开办公室关于政府信息公开工作年度报告有关事项的通知",
}
REGULATION = "《中华人民共和国政府信息公开条例》（以下简称《条例》）"
TITLE_SUFFIX = "政府信息公开工作年度报告"

TODO_OPEN, TODO_CLOSE = "（请填写：", "）"
_TODO = re.compile(f"({re.escape(TODO_OPEN)}[^{TODO_CLOSE}]*{TODO_CLOSE})")

# 一、总体情况: the five topics published reports cover, each with what to write.
GENERAL_TOPICS = (
    ("（一）主动公开", "本年度主动公开政府信息的主要内容、数量和渠道"),
    ("（二）依申请公开", "本年度受理和办理政府信息公开申请的情况，件数请与表三一致"),
    ("（三）政府信息管理", "政府信息公开审查、发布、解读和回应关切等管理工作"),
    ("（四）政府信息公开平台建设", "政府网站、政务新媒体、公开专栏等平台的建设情况"),
    ("（五）监督保障", "工作机构、制度、培训、考核和社会评议等监督保障情况"),
)
PROMPTS = {
    PROBLEMS: "本年度政府信息公开工作存在的主要问题，以及改进情况和下一步工作安排",
    OTHER: "本年度收取信息处理费的情况（未收取的写明“本年度未收取信息处理费”），以及其他需要报告的事项",
}
_NUMBERING = re.compile(r"^（[一二三四五六七八九十]+）")


@dataclass(frozen=True)
class Run:
    text: str
    todo: bool = False  # a placeholder the office must replace: highlighted


@dataclass(frozen=True)
class Paragraph:
    runs: tuple[Run, ...]
    kind: str = "body"  # body / subheading (楷体 （一）…) / figures (generated from the tables)

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)


@dataclass(frozen=True)
class Section:
    heading: str  # 一、总体情况 …
    paragraphs: tuple[Paragraph, ...]
    table: TableGrid | None = None  # printed after the paragraphs


@dataclass(frozen=True)
class Report:
    form: Form
    unit: str
    year: int
    kind: str  # "return" or "summary"
    opening: tuple[Paragraph, ...]
    sections: tuple[Section, ...]
    figures: Mapping[str, str] = field(default_factory=dict)  # every data cell as printed

    @property
    def title(self) -> str:
        return report_title(self.unit, self.year)

    @property
    def paragraphs(self) -> Iterable[Paragraph]:
        yield from self.opening
        for section in self.sections:
            yield from section.paragraphs

    @property
    def todo(self) -> int:
        """How many placeholders are left to fill."""
        return sum(run.todo for p in self.paragraphs for run in p.runs)


def report_title(unit: str, year: int) -> str:
    """「道外区水泥路街道办事处2021年政府信息公开工作年度报告」, the unit as ``printed_unit``."""
    return f"{printed_unit(unit)}{year}年{TITLE_SUFFIX}"


def printed_unit(name: str) -> str:
    """A unit's name as the report prints it (title, sentences, file names): on one line,
    without invisible characters, and without the white space typed inside it (a line break
    made with Alt+Enter in the cover cell, a tab, the full-width space some put between 区 and
    局), which a title would show as a gap or a broken line; only two Latin words keep one space
    between them. The same unit for ``text.unit_key``, which ignores all white space."""
    printed = ""
    for word in visible(name).split():  # every kind of white space, U+3000 included
        if printed and _latin(printed[-1]) and _latin(word[0]):
            printed += " "
        printed += word
    return printed


def _latin(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def headings(form: Form) -> tuple[str, ...]:
    """The six parts of a report of this vintage, in order."""
    return (GENERAL, *(table.title for table in form.tables), PROBLEMS, OTHER)


def runs_of(text: str) -> tuple[Run, ...]:
    """Text as runs, each 「（请填写：…）」 in it a placeholder run."""
    return tuple(Run(part, todo=bool(_TODO.fullmatch(part))) for part in _TODO.split(text) if part)


def todo(what: str) -> Run:
    return Run(f"{TODO_OPEN}{what}{TODO_CLOSE}", todo=True)


def build_report(ret: Return, narrative: Narrative | None = None) -> Report:
    """The report of a checked return; it must name its unit and year (the title needs both).
    Figures print as every message of nianbao shows them (``text.show_value``)."""
    unit = printed_unit(ret.unit or "")
    if not unit or not ret.year:
        raise ValueError("a published report needs the return's unit and year")
    form, year = ret.form, ret.year
    completed = ret.completed()
    figures = figure_texts(form, completed)
    written = narrative.sections if narrative else {}
    sections: list[Section] = []
    for heading in headings(form):
        own = tuple(_paragraph(line) for line in written.get(heading, ()))
        table = next((t for t in form.tables if t.title == heading), None)
        if table is None:
            sections.append(Section(heading, own or _placeholder(heading)))
            continue
        generated = _figure_sentences(form, table.code, completed, unit, year)
        sections.append(Section(heading, (*generated, *own), table_grid(form, table.code, figures)))
    opening = (
        tuple(_paragraph(line) for line in narrative.opening)
        if narrative and narrative.opening
        else (_opening(ret),)
    )
    return Report(form, unit, year, ret.kind, opening, tuple(sections), figures)


def _paragraph(line: str) -> Paragraph:
    line = visible(line)
    return Paragraph(runs_of(line), "subheading" if is_subheading(line) else "body")


def _placeholder(heading: str) -> tuple[Paragraph, ...]:
    if heading == GENERAL:
        return tuple(
            paragraph
            for topic, what in GENERAL_TOPICS
            for paragraph in (Paragraph((Run(topic),), "subheading"), Paragraph((todo(what),)))
        )
    return (Paragraph((todo(PROMPTS[heading]),)),)


def _opening(ret: Return) -> Paragraph:
    form, year = ret.form, ret.year
    runs = [
        Run(f"本报告根据{REGULATION}和《{NOTICES[form.vintage]}》（{form.document}）要求编制。")
    ]
    if ret.kind == "summary":
        runs.append(Run(f"本报告的统计数据由{ret.members}个单位的统计表汇总而成。"))
    runs += [
        Run(f"本报告所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。本报告电子版可在"),
        todo("网站名称及网址"),
        Run("查阅和下载。如对本报告有疑问，请与"),
        todo("联系单位、地址、邮编和电话"),
        Run("联系。"),
    ]
    return Paragraph(tuple(runs))


# -- sentences stating the tables' key figures ----------------------------------------------


def _figure_sentences(
    form: Form,
    code: str,
    completed: Mapping[str, Number],
    unit: str,
    year: int,
) -> tuple[Paragraph, ...]:
    if code == "三":
        text = _applications_sentence(form, completed)
    elif code == "四":
        text = _reviews_sentence(form, completed)
    else:
        return ()
    return (Paragraph((Run(f"{year}年，{unit}{text}"),), "figures"),)


def _sum(completed: Mapping[str, Number], keys: Iterable[str]) -> Number:
    return sum((completed[key] for key in keys), 0)


def _applications_sentence(form: Form, completed: Mapping[str, Number]) -> str:
    """新收 … 件，上年结转 … 件；办理结果总计 … 件，其中予以公开 … 件、…；结转下年度 … 件。

    Each outcome group is the sum of its rows in the 总计 column (rows that print no total
    of their own); groups with nothing are left out of 「其中」."""
    table = form.table("三")
    block = table.blocks[0]

    def total(row: Header) -> Number:
        return _sum(completed, (f"三:{leaf.code}:{APPLICANT_TOTAL}" for leaf in row.leaves()))

    rows = {leaf.code: leaf for leaf in block.row_leaves}
    outcomes = next(node for node in block.rows if node.children)
    parts = _breakdown(
        (_NUMBERING.sub("", node.name), total(node))
        for node in outcomes.children
        if node.code != ROW_OUTCOME_TOTAL
    )
    return (
        f"新收政府信息公开申请{show(total(rows[ROW_NEW]))}件，"
        f"上年结转政府信息公开申请{show(total(rows[ROW_CARRIED_IN]))}件；"
        f"本年度办理结果总计{show(total(rows[ROW_OUTCOME_TOTAL]))}件{parts}；"
        f"结转下年度继续办理{show(total(rows[ROW_CARRIED_OUT]))}件。"
    )


def _breakdown(items: Iterable[tuple[str, Number]]) -> str:
    """「，其中予以公开 9 件、部分公开 3 件」: the items that are not zero (nothing if none is)."""
    listed = [f"{name}{show(n)}件" for name, n in items if n]
    return "，其中" + "、".join(listed) if listed else ""


# How the report says a unit was taken to review or to court, by the 表四 heading.
_REVIEW_VERBS = {"行政复议": "被申请", "行政诉讼": "被提起"}


def _reviews_sentence(form: Form, completed: Mapping[str, Number]) -> str:
    """因政府信息公开工作被申请行政复议 … 件，其中结果维持 … 件、…；被提起行政诉讼 … 件（…），其中 …。"""
    table = form.table("四")
    block = table.blocks[0]
    (row,) = block.row_leaves
    derived = set(form.derived_keys)

    def key(leaf: Header) -> str:
        return f"四:{row.code}:{leaf.code}"

    def totals(node: Header) -> Number:
        return _sum(completed, (key(leaf) for leaf in node.leaves() if key(leaf) in derived))

    clauses = []
    for node in block.columns:
        by_result: dict[str, Number] = {}
        for leaf in node.leaves():
            if key(leaf) not in derived:
                by_result[leaf.label] = by_result.get(leaf.label, 0) + completed[key(leaf)]
        groups = [child for child in node.children if child.children]
        split = "、".join(f"{g.label}{show(totals(g))}件" for g in groups if totals(g))
        clauses.append(
            f"{_REVIEW_VERBS[node.label]}{node.label}{show(totals(node))}件"
            + (f"（{split}）" if split else "")
            + _breakdown(by_result.items())
        )
    return "因政府信息公开工作" + "；".join(clauses) + "。"


__all__ = [
    "GENERAL",
    "OTHER",
    "PROBLEMS",
    "Paragraph",
    "Report",
    "Run",
    "Section",
    "build_report",
    "headings",
    "printed_unit",
    "report_title",
    "runs_of",
]
