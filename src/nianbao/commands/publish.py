"""``nianbao publish``: the annual report as a Word document or web page, from checked returns."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from nianbao.commands.options import (
    force_option,
    jobs_option,
    progress_bar,
    say,
    say_unit_not_used,
    year_option,
)
from nianbao.errors import UserError
from nianbao.text import listed

if TYPE_CHECKING:
    from nianbao.documents.narrative import Narrative
    from nianbao.pipeline.publish import Publication


@click.command(
    options_metavar="[选项]",
    short_help="生成年度报告（Word 文档或网页），表格数字取自校验通过的统计表",
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.argument("paths", nargs=-1, required=True, metavar="文件或文件夹...")
@click.option(
    "-o",
    "--output",
    metavar="报告.docx|报告.html",
    help="一份报表（单位报表或汇总表）的年报文件名：以 .docx 结尾生成 Word 文档，以 .html 结尾生成网页。",
)
@click.option(
    "--out-dir",
    metavar="文件夹",
    help="多份报表（如一个文件夹）：每个单位一份年报，保存在此文件夹，文件名为报告标题。",
)
@click.option(
    "--format",
    "formats",
    type=click.Choice(["docx", "html"]),
    multiple=True,
    metavar="docx|html",
    help="与 --out-dir 同用：生成的格式，默认 docx；两种都要时写两次（--format docx --format html）。",
)
@click.option(
    "--narrative",
    metavar="文字.txt",
    help="年报文字部分（纯文本，按“一、总体情况”至“六、其他需要报告的事项”分节，格式见 README），只用于一份报表。",
)
@year_option("报告年度：表格中没有写年度时使用；与表格所写不符时报错。")
@click.option(
    "--unit", metavar="单位名称", help="表格中没有写填报单位时使用的单位名称（只用于一份报表）。"
)
@force_option
@jobs_option
def command(
    paths: tuple[str, ...],
    output: str | None,
    out_dir: str | None,
    formats: tuple[str, ...],
    narrative: str | None,
    year: int | None,
    unit: str | None,
    force: bool,
    jobs: int,
) -> None:
    """生成政府信息公开工作年度报告：Word 文档（.docx）或网页（.html）。

    \b
    标题、导语、“一、总体情况”至“六、其他需要报告的事项”六个部分齐全；二、三、四部分的
    表格与官方表格版式相同，数字取自统计表，三、四部分各有一句话写明主要数字（由表格生成，
    不会与表格矛盾）。其余文字部分留有黄色标出的「（请填写：…）」，或用 --narrative 从文本
    文件取得。
    \b
    先按与 check 相同的规则校验：有错误的报表不发布（没有跳过校验的开关，改正后再发布），
    有警告的照常发布并列出警告。已有的文件不会被覆盖，除非加 --force。
    退出码：0 全部已生成；1 有报表因错误未发布；2 有文件无法读取或参数有误。

    \b
    示例：
      nianbao publish 某局.xlsx -o 某局2025年年报.docx
      nianbao publish 某局.xlsx -o 某局2025年年报.html --narrative 某局年报文字.txt
      nianbao publish 道外区汇总.xlsx -o 道外区2025年年报.docx
      nianbao publish 收回/ --out-dir 年报/ --format docx --format html
    """
    from nianbao.commands.render import exit_code
    from nianbao.outputs import claim_outputs, left_from_earlier
    from nianbao.pipeline import publish
    from nianbao.pipeline.check import check_paths

    target = _choose_outputs(output, out_dir, formats, narrative)
    inputs = publish.input_files(
        paths,
        output=target if output is not None else None,
        out_dir=target if out_dir is not None else None,
    )
    count = len(inputs.files)
    _one_return_only(count, output=output, unit=unit)
    with progress_bar(count, "正在读取和校验") as progress:
        reports = check_paths(
            inputs, year=year, unit=unit, jobs=jobs, require_unit=True, progress=progress
        )
    say_unit_not_used(unit, reports)
    if out_dir is not None:
        reports = publish.set_aside_last_run(inputs, reports, target)
    for line in inputs.notes():
        say(line, err=True)
    suffixes = tuple(f".{f}" for f in dict.fromkeys(formats or ("docx",)))
    publications = publish.plan(
        reports,
        output=target if output is not None else None,
        out_dir=target if out_dir is not None else None,
        suffixes=suffixes,
    )
    ready = [p for p in publications if not p.refusal]
    _show_problems(publications)
    story = _narrative(Path(narrative), ready) if narrative and ready else None
    # the narrative is an input like the returns: -o naming it is refused, --force or not
    protected = [*inputs.everything, *([Path(narrative)] if narrative else [])]
    for note in claim_outputs(publish.targets(ready), force=force, inputs=protected):
        say(note)
    unwritten = 0
    for publication in ready:
        problem = _write(publication, story)
        if problem:
            unwritten += 1
            say(f"错误：{problem}", err=True)
            continue
        for path in publication.targets:
            say(f"已生成：{path}")
        if publication.todo:
            say(
                f"  其中有 {publication.todo} 处「（请填写：…）」待填写（已用黄色标出），发布前请补全。"
            )
    refused = [
        p for p in publications if p.refusal and p.report.status != "skipped" and not p.copy_of
    ]
    copies = sum(1 for p in publications if p.copy_of)
    if len(publications) > 1:
        say(_tally(len(publications), len(ready) - unwritten, len(refused) + unwritten, copies))
    if out_dir is not None:
        written = [path for p in ready for path in p.targets]
        older = left_from_earlier(target, written, tuple(publish.WRITERS))
        if older:
            say(
                f"输出文件夹 {target} 中另有 {len(older)} 份不是本次生成的年报：{listed(older, limit=10)}。"
                "多半是以前生成的（其单位的报表这次有错误未发布，或已不在输入中）：数字不一定是"
                "单位现在的报表，请核对后移走或删除，不要当作本次的年报发布。"
            )
    # As check: 2 when a file could not be read, or none was a return; 1 when a return was not
    # published (errors, or no unit or year for its title).
    code = 0
    if refused:
        code = max(1, exit_code([p.report for p in refused]))
    elif not ready:
        code = 2
    if unwritten:
        code = max(code, 2)
    if code:
        sys.exit(code)


def _write(publication: Publication, story: Narrative | None) -> str:
    """Write one report; what went wrong, or "". One report that cannot be written (a full
    disk, a fault of nianbao's own) does not stop the others."""
    from nianbao.errors import internal_error
    from nianbao.pipeline import publish

    try:
        publish.write(publication, story)
    except UserError as error:
        return str(error)
    except Exception as error:  # a fault of nianbao's own: the other reports are still written
        names = "、".join(str(path) for path in publication.targets)
        return internal_error(error, f"生成 {names}")
    return ""


def _one_return_only(count: int, *, output: str | None, unit: str | None) -> None:
    """-o and --unit name one report: refuse them for a folder of many."""
    if output is not None and count > 1:
        raise UserError(
            f"找到 {count} 个文件，-o 只能用于一份报表；多份报表请用 --out-dir 指定保存文件夹。"
        )
    if unit is not None and count > 1:
        raise UserError("--unit 只能用于一份报表：各单位的名称应写在各自的表格中。")


def _narrative(path: Path, ready: list[Publication]) -> Narrative:
    """The narrative file, read once for every report, with what it lacks said."""
    from nianbao.pipeline import publish

    story = publish.load_narrative(path, ready)
    for line in story.warnings:
        say(f"注意：{line}", err=True)
    for finding in publish.disagreements(ready[0], story):
        say(f"注意：叙述文字与统计表不一致（{finding.rule.id}）：{finding.message}", err=True)
    for heading in publish.missing_parts(story):
        say(f"注意：叙述文件中没有「{heading}」部分，该部分保留待填写的提示。", err=True)
    return story


def _tally(files: int, ready: int, refused: int, copies: int = 0) -> str:
    others = files - ready - refused - copies
    besides = [
        f"{copies} 份是已发布报表的副本" if copies else "",
        f"{others} 个不是报表" if others else "",
    ]
    said = "，".join(b for b in besides if b)
    said = f"（另有 {said}）" if said else ""
    noun = "个文件" if others else "份报表"
    return f"共 {files} {noun}：已生成年报 {ready} 份，未发布 {refused} 份{said}。"


def _choose_outputs(
    output: str | None, out_dir: str | None, formats: tuple[str, ...], narrative: str | None
) -> Path:
    """The output file or folder, after every argument problem is refused (before reading)."""
    from nianbao.pipeline.publish import document_suffix

    if (output is None) == (out_dir is None):
        raise UserError(
            "请用 -o 指定年报文件（一份报表，如 -o 年报.docx），或用 --out-dir 指定保存文件夹（多份报表）。"
        )
    if output is not None:
        if formats:
            raise UserError("用 -o 时格式由文件名的后缀决定（.docx 或 .html），不需要 --format。")
        document_suffix(output)
        if Path(output).is_dir():
            raise UserError(
                f"{output} 是文件夹，不能作为输出文件。请给出文件名，例如 -o 年报.docx。"
            )
        return Path(output)
    assert out_dir is not None
    if narrative is not None:
        raise UserError("--narrative 只能用于一份报表（用 -o）：每个单位的年报文字各不相同。")
    folder = Path(out_dir)
    if folder.exists() and not folder.is_dir():
        raise UserError(f"--out-dir {folder} 是一个文件，不是文件夹。请换一个文件夹。")
    return folder


def _show_problems(publications) -> None:
    """Each return that will not be published, and each one published with warnings, with its
    findings as `nianbao check` shows them."""
    from nianbao.commands.render import file_lines

    for publication in publications:
        report = publication.report
        if publication.refusal:
            lines = file_lines(report, [f"→ 未发布：{publication.refusal}"])
        elif report.findings:
            lines = file_lines(report, ["→ 照常发布（以上为警告，请核对）。"])
        else:
            continue
        say("\n".join(lines), err=True)
