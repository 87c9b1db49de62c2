"""``nianbao check``: validate filled workbooks, cell by cell, and say what to fix."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from nianbao.commands.options import YearType, accept_option, jobs_option
from nianbao.errors import UserError

# Above this many files a progress line is shown on a terminal.
_PROGRESS_FROM = 20


@click.command(
    options_metavar="[选项]",
    short_help="校验填好的统计表，逐个单元格指出问题",
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.argument(
    "files", nargs=-1, required=True, type=click.Path(path_type=Path), metavar="文件或文件夹..."
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="输出格式：text 为中文说明；json 供程序处理（结构见 docs/json-format.md）。",
)
@click.option(
    "--annotate",
    "annotate_dir",
    type=click.Path(file_okay=False, path_type=Path),
    metavar="文件夹",
    help="为每个有问题的文件在此文件夹中生成「原名-校验意见.xlsx」：问题单元格标红并加批注，首页列出全部意见。原文件不会被修改。",
)
@click.option(
    "--previous",
    type=click.Path(path_type=Path),
    metavar="文件",
    help="上一年度的统计表（或装有各单位上年报表的文件夹），用于核对「上年结转」与上年「结转下年度」等跨年数字。",
)
@click.option(
    "--year", type=YearType(), metavar="年份", help="要求的报告年度；报表填写的年度与此不同时报错。"
)
@click.option("--unit", metavar="单位名称", help="表格中找不到填报单位时使用的单位名称。")
@accept_option
@jobs_option
@click.pass_context
def command(
    ctx: click.Context,
    files: tuple[Path, ...],
    output_format: str,
    annotate_dir: Path | None,
    previous: Path | None,
    year: int | None,
    unit: str | None,
    accept: str | None,
    jobs: int,
) -> None:
    """校验填好的统计表：逐个文件、逐个单元格指出问题和改法。

    \b
    可以给出多个文件，也可以给出文件夹（会查找其中所有 .xlsx/.xlsm/.xls/.xlsb/.ods 文件，
    以及 .html/.htm/.pdf/.docx/.doc 格式的已发布年度报告；.txt 文本报告请直接给出文件名）。
    年度报告中的问题按表、行、列（PDF 还有页码）指出，并核对正文所述数字与统计表是否一致。
    退出码：0 没有错误（可以有警告）；1 有错误；2 有文件无法读取或参数有误。

    \b
    例：
      nianbao check 收回/
      nianbao check 某单位.xlsx --previous 某单位-2024.xlsx --annotate 批注/
      nianbao check 收回/ --format json > 校验结果.json
    """
    from nianbao.commands.render import exit_code, render_text
    from nianbao.pipeline.check import check_paths

    try:
        reports = check_paths(
            files, year=year, previous=previous, jobs=jobs, unit=unit, progress=_progress()
        )
        notes = _explain(reports, accept) if accept else []
        annotated, lines = _annotate_all(reports, annotate_dir) if annotate_dir else ({}, {})
    except UserError as error:
        click.echo(f"错误：{error}", err=True)
        sys.exit(2)
    if output_format == "json":
        import json

        from nianbao.commands.render import to_json_data

        data = to_json_data(reports)
        if annotate_dir is not None:
            for entry in data["files"]:  # type: ignore[union-attr]
                entry["annotated"] = annotated.get(entry["path"])
        data["notes"] = [f.to_dict() for f in notes]
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        from nianbao.commands.render import finding_line

        text = render_text(reports, lines)
        click.echo(text + "".join(f"{finding_line(f)}\n" for f in notes), nl=False)
    # sys.exit, not ctx.exit: click returns ctx.exit's code from main(standalone_mode=False)
    # instead of exiting with it.
    sys.exit(exit_code(reports))


def _explain(reports: list, path: str) -> list:
    """Mark the findings the explanations file explains; its stale entries (A01) back."""
    from nianbao.checks.accept import apply_explanations, read_explanations

    outcome = apply_explanations(reports, read_explanations(path), allow_errors=True)
    return outcome.findings


def _annotate_all(
    reports: list, out_dir: Path
) -> tuple[dict[str, str | None], dict[str, list[str]]]:
    """Annotated copies of every readable file with findings; notes say where each went."""
    from nianbao.xlsx.annotate import CannotAnnotate, annotate, annotated_name

    annotated: dict[str, str | None] = {}
    notes: dict[str, list[str]] = {}
    used: set[str] = set()
    for report in reports:
        key = str(report.path)
        annotated[key] = None
        if report.ret is None or not report.findings:
            continue
        if report.ret.document:
            notes[key] = ["（已发布的年度报告不生成批注副本：问题已按表、行、列列出。）"]
            continue
        name = annotated_name(report.path)
        stem, suffix = Path(name).stem, Path(name).suffix
        n = 1
        while name.casefold() in used:  # same file name from different folders
            n += 1
            name = f"{stem}-{n}{suffix}"
        used.add(name.casefold())
        try:
            target = annotate(report.path, report, out_dir, name=name)
        except (CannotAnnotate, UserError) as problem:
            notes[key] = [f"（未生成批注副本：{problem}）"]
            continue
        except OSError as problem:
            notes[key] = [
                f"（未能写入批注副本：{problem.strerror or problem}。请检查 --annotate 文件夹是否可写。）"
            ]
            continue
        annotated[key] = str(target)
        notes[key] = [f"→ 批注副本：{target}"]
    return annotated, notes


def _progress():
    """A progress line on stderr for long runs at a terminal; None otherwise."""
    if not sys.stderr.isatty():
        return None

    def show(done: int, total: int) -> None:
        if total < _PROGRESS_FROM:
            return
        click.echo(f"\r已读取 {done}/{total} 个文件……", err=True, nl=done == total)

    return show
