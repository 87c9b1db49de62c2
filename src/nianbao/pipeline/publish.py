"""Publish checked returns as the annual report: Word (.docx) and web page (.html).

A return is published only when it is fit to be: readable, without errors (a return with
errors would put figures in public that contradict themselves or the form), and naming its
unit and report year (the title needs both). There is no switch to publish one anyway: fix the
return, check it again, publish it. Warnings do not stop it; the command shows them first.
"""

from __future__ import annotations

import copy
import os
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
from nianbao.outputs import cannot_write, distinct_name, safe_filename
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

    @property
    def title(self) -> str:
        ret = self.report.ret
        assert ret is not None and ret.unit and ret.year
        return report_title(ret.unit, ret.year)


def input_files(
    paths: Sequence[str], *, output: Path | None = None, out_dir: Path | None = None
) -> Inputs:
    """The files to publish (as ``check.input_files`` finds them), less the documents this run
    writes: inside the folders given, neither ``output`` nor a report publish writes (.docx,
    .html) in ``out_dir`` counts as an input (a rerun into a folder inside the input folder
    must not publish last run's reports again); they are set aside, and ``Inputs.notes`` says
    how many. Workbooks in ``out_dir`` stay inputs (``--out-dir .`` beside 收回/ holds the
    returns themselves). A file named explicitly stays: writing over it is refused later."""
    inputs = scan_inputs(paths)
    why = "上次生成的年报（位于本次的输出位置，不作为报表读取）"
    if output is not None:
        inputs.set_aside(output, why)
    if out_dir is not None:
        inputs.set_aside(out_dir, why, suffixes=frozenset(WRITERS))
    if not inputs.files and not inputs.problems:
        raise UserError(
            "没有找到要发布的统计表（.xlsx / .xlsm / .xls / .xlsb / .ods）或年度报告"
            "（网页、PDF、Word）。请检查给出的文件或文件夹。"
        )
    return inputs


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
    used: set[str] = set()
    for publication in ready:
        ret = publication.report.ret
        assert ret is not None and ret.unit and ret.year
        # the unit's name, then the title's year and kind, kept whole however long the name
        stem = safe_filename(printed_unit(ret.unit), after=report_title("", ret.year))
        targets = []
        for suffix in suffixes:
            # the same unit twice, or names equal once sanitised
            targets.append(out_dir / distinct_name(stem + suffix, used))
        publication.targets = tuple(targets)
    return publications


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
    "write",
]
