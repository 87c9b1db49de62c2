"""Publish checked returns as the annual report: Word (.docx) and web page (.html).

A return is published only when it is fit to be: readable, without errors (a return with
errors would put figures in public that contradict themselves or the form), and naming its
unit and report year (the title needs both). There is no switch to publish one anyway: fix the
return, check it again, publish it. Warnings do not stop it; the command shows them first.
"""

from __future__ import annotations

import copy
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from nianbao.documents.docx import write_docx
from nianbao.documents.html import write_html
from nianbao.documents.narrative import Narrative, read_narrative
from nianbao.documents.report import (
    GENERAL,
    OTHER,
    PROBLEMS,
    Report,
    build_report,
    headings,
    printed_unit,
    report_title,
)
from nianbao.errors import UserError
from nianbao.form.data import FileReport
from nianbao.form.findings import Finding
from nianbao.outputs import cannot_write, distinct_name, safe_filename, same_file
from nianbao.pipeline.check import Inputs, scan_inputs

Writer = Callable[[Report, "str | os.PathLike[str]"], None]
WRITERS: dict[str, Writer] = {".docx": write_docx, ".html": write_html, ".htm": write_html}
FORMATS = ("docx", "html")  # what --format offers


def document_suffix(path: str | os.PathLike[str]) -> str:
    """The format an output name asks for (its suffix); anything else is a UserError."""
    suffix = Path(path).suffix.lower()
    if suffix not in WRITERS:
        raise UserError(
            f"无法根据文件名 {path} 判断要生成的格式：请以 .docx（Word 文档）或 .html（网页）结尾。"
        )
    return suffix


@dataclass
class Publication:
    """One checked return and what becomes of it: the documents written, or why not."""

    report: FileReport
    targets: tuple[Path, ...] = ()
    refusal: str = ""  # why it is not published ("" when it is)
    todo: int = 0  # placeholders left in the written documents
    copy_of: Path | None = None  # not published: the same unit's figures, published from there

    @property
    def title(self) -> str:
        ret = self.report.ret
        assert ret is not None and ret.unit and ret.year
        return report_title(ret.unit, ret.year)


def input_files(
    paths: Sequence[str], *, output: Path | None = None, out_dir: Path | None = None
) -> Inputs:
    """The files to publish (as ``check.input_files`` finds them), less ``output`` when it
    lies in a folder given (last run's report, set aside; ``Inputs.notes`` says so). Last
    run's reports in ``out_dir`` are known only once read (``set_aside_last_run``). A file
    named explicitly stays: writing over it is refused later."""
    inputs = scan_inputs(paths)
    if output is not None:
        inputs.set_aside(output, LAST_RUN)
    if not inputs.files and not inputs.problems:
        raise UserError(
            "没有找到要发布的统计表（.xlsx / .xlsm / .xls / .xlsb / .ods）或年度报告"
            "（网页、PDF、Word）。请检查给出的文件或文件夹。"
        )
    return inputs


LAST_RUN = "上次生成的年报（位于本次的输出位置，不作为报表读取）"


def set_aside_last_run(
    inputs: Inputs, reports: Sequence[FileReport], out_dir: Path
) -> list[FileReport]:
    """``reports`` less last run's reports: a document found (not named) directly in
    ``out_dir`` under the very name ``plan`` gives its own unit and year (「某局2025年政府信息
    公开工作年度报告.docx」, or -2… of a second one). Rereading it would publish every unit
    twice; any other document there (a unit's own report downloaded from its website) is a
    report like the rest, read and published or refused. Set aside in ``inputs``, which
    ``Inputs.notes`` counts."""
    found = {path for path, named in zip(inputs.files, inputs.named, strict=True) if not named}
    last_run = {r.path for r in reports if r.path in found and _written_by_publish(r, out_dir)}
    inputs.take_aside(last_run, LAST_RUN)
    return [report for report in reports if report.path not in last_run]


def _written_by_publish(report: FileReport, out_dir: Path) -> bool:
    path, ret = report.path, report.ret
    if ret is None or not ret.unit or not ret.year or path.suffix.lower() not in WRITERS:
        return False
    if not same_file(path.parent, out_dir):
        return False
    stem = _stem(ret.unit, ret.year)
    name = path.name[: -len(path.suffix)]
    return re.fullmatch(re.escape(stem.casefold()) + r"(-\d+)?", name.casefold()) is not None


def _stem(unit: str, year: int) -> str:
    """A report's file name without its suffix: the unit's name, then the title's year and
    kind, kept whole however long the name."""
    return safe_filename(printed_unit(unit), after=report_title("", year))


def refusal(report: FileReport) -> str:
    """Why this return cannot be published, or "" when it can."""
    ret = report.ret
    if report.status == "skipped":
        return "不是报表，未读取。"
    if ret is None:
        return "无法读取，不能发布。"
    if report.errors:
        return f"有 {report.errors} 个错误，不能发布：请改正后重新校验，再发布。"
    if not printed_unit(ret.unit or ""):  # nothing a title could show: spaces, invisible marks
        return "没有填报单位，无法写出报告标题：请在表格中填写，或用 --unit 指定。"
    if not ret.year:
        return "没有报告年度，无法写出报告标题和统计期限：请在表格中填写，或用 --year 指定。"
    return ""


def plan(
    reports: Sequence[FileReport],
    *,
    output: Path | None = None,
    out_dir: Path | None = None,
    suffixes: Sequence[str] = (".docx",),
) -> list[Publication]:
    """What to write for each report: ``output`` for a single return, or one file per
    publishable return and suffix in ``out_dir``, named after the report's title."""
    publications = [Publication(report, refusal=refusal(report)) for report in reports]
    ready = [p for p in publications if not p.refusal]
    if output is not None:
        for publication in ready:
            publication.targets = (output,)
        return publications
    assert out_dir is not None
    _one_per_unit(publications)
    ready = [p for p in ready if not p.refusal]
    used: set[str] = set()
    for publication in ready:
        ret = publication.report.ret
        assert ret is not None and ret.unit and ret.year
        stem = _stem(ret.unit, ret.year)
        targets = []
        for suffix in suffixes:
            # the same unit twice, or names equal once sanitised
            targets.append(out_dir / distinct_name(stem + suffix, used))
        publication.targets = tuple(targets)
    return publications


def _one_per_unit(publications: Sequence[Publication]) -> None:
    """A unit's report of a year is published once or not at all. Copies (the same figures: a
    file sent twice, the unit's own report beside its workbook) are published once, from a
    workbook first; versions that differ (a corrected return beside the first, even one with
    errors, which is often the later) are none of them published, for which is the unit's
    cannot be told here. A unit is known as merge and status know it (``same_unit_groups``)."""
    from nianbao.checks.status import same_figures, same_unit_groups

    read = [p for p in publications if p.report.ret is not None]
    returns = [p.report.ret for p in read if p.report.ret is not None]
    groups = [[read[i] for i in indices] for indices in same_unit_groups(returns)]
    for group in groups:
        if all(p.refusal for p in group):
            continue
        if not all(p.report.ret and not p.report.errors for p in group):
            ready = [p for p in group if not p.refusal]
            files = "、".join(str(p.report.path) for p in group)
            for publication in ready:
                publication.refusal = (
                    f"本单位还有另一份报表（有错误，未发布）：{files}。多半有一份是更正后重新报送的，"
                    "不知道哪一份是要发布的，均未发布：请只留下要发布的一份、改正后再运行。"
                )
            continue
        group.sort(key=_published_first)
        first = group[0].report
        assert first.ret is not None
        if all(p.report.ret and same_figures(first.ret, p.report.ret) for p in group[1:]):
            for publication in group[1:]:
                publication.copy_of = first.path
                publication.refusal = f"与 {first.path} 是同一单位的同一份报表（数字完全相同），只按 {first.path} 发布一份。"
            continue
        files = "、".join(str(p.report.path) for p in group)
        for publication in group:
            publication.refusal = (
                f"单位「{first.ret.unit}」有 {len(group)} 份数字不同的报表：{files}。"
                "不知道哪一份是要发布的（多半有一份是更正后重新报送的），均未发布："
                "请只留下要发布的一份再运行。"
            )


def _published_first(publication: Publication) -> tuple[bool, bool, str]:
    """Of copies, the one published: a workbook before a report, the file named as the unit
    names it before a second download or a copy (「某局(1).xlsx」, 「某局 - 副本.xlsx」)."""
    from nianbao.checks.units import file_unit_name

    path = publication.report.path
    ret = publication.report.ret
    return (bool(ret and ret.document), file_unit_name(path) != path.stem, str(path))


def targets(publications: Sequence[Publication]) -> list[Path]:
    return [t for p in publications for t in p.targets]


def load_narrative(path: Path, publications: Sequence[Publication]) -> Narrative:
    """The narrative for the one return being published, and what it leaves to fill."""
    ret = publications[0].report.ret
    assert ret is not None
    return read_narrative(path, headings(ret.form))


def disagreements(publication: Publication, narrative: Narrative) -> list[Finding]:
    """N01–N06 for the narrative against the figures being published: a report whose words
    contradict its own tables is what a reader of published reports finds first."""
    from nianbao.checks.narrative import narrative_findings

    ret = publication.report.ret
    assert ret is not None
    paragraphs = [*narrative.opening, *(p for part in narrative.sections.values() for p in part)]
    told = copy.copy(ret)
    told.narrative = "\n".join(paragraphs)
    return narrative_findings(told)


def missing_parts(narrative: Narrative) -> list[str]:
    """Parts with placeholders that the narrative does not write."""
    return [h for h in (GENERAL, PROBLEMS, OTHER) if h not in narrative.sections]


def write(publication: Publication, narrative: Narrative | None = None) -> None:
    """Write every target of a publishable return (each atomically; the targets were claimed
    first with ``outputs.claim_outputs``)."""
    ret = publication.report.ret
    assert ret is not None and not publication.refusal
    report = build_report(ret, narrative)
    for target in publication.targets:
        try:
            WRITERS[target.suffix.lower()](report, target)
        except OSError as error:
            raise cannot_write(target, error) from None
    publication.todo = report.todo


__all__ = [
    "FORMATS",
    "input_files",
    "Publication",
    "document_suffix",
    "targets",
    "load_narrative",
    "missing_parts",
    "plan",
    "refusal",
    "set_aside_last_run",
    "write",
]
