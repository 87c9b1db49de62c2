"""``nianbao check``: validate filled workbooks, cell by cell, and say what to fix."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from nianbao.commands.options import (
    YearType,
    accept_option,
    force_option,
    format_option,
    jobs_option,
    say,
    say_last_year,
    say_unit_not_used,
)
from nianbao.errors import UserError, internal_error

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
@format_option("输出格式：text 为中文说明；json 供程序处理（结构见 docs/json-format.md）。")
@click.option(
    "--annotate",
    "annotate_dir",
    type=click.Path(file_okay=False, path_type=Path),
    metavar="文件夹",
    help="为每个有问题的文件在此文件夹中生成「原名-校验意见.xlsx」：问题单元格标红并加批注，首页列出全部意见。"
    "原文件不会被修改；已存在的批注副本不会被覆盖（加 --force 才覆盖，输入文件夹中的文件始终不覆盖）。",
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
@force_option
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
    force: bool,
    jobs: int,
) -> None:
    """校验填好的统计表：逐个文件、逐个单元格指出问题和改法。

    \b
    可以给出多个文件，也可以给出文件夹：文件夹中的每个文件都会列出——按内容识别并读取工作簿
    和已发布的年度报告（网页、PDF、Word；.txt 文本报告请直接给出文件名），Word 说明、压缩包等
    不是报表的文件标为「未读取」并说明原因；临时锁定文件（~$…）和隐藏文件跳过，并说明跳过了几个。
    年度报告中的问题按表、行、列（PDF 还有页码）指出，并核对正文所述数字与统计表是否一致。
    退出码：0 没有错误（可以有警告）；1 有错误；2 有文件无法读取、输出无法写入或参数有误。

    \b
    例：
      nianbao check 收回/
      nianbao check 某单位.xlsx --previous 某单位-2024.xlsx --annotate 批注/
      nianbao check 收回/ --format json > 校验结果.json
    """
    from nianbao.commands.render import exit_code, render_text
    from nianbao.pipeline.check import (
        check_paths,
        input_files,
        input_files_within,
        load_last_year,
    )

    try:
        inputs = input_files(files)
        inputs.set_aside_given([previous, accept])
        last_year = load_last_year(previous, year=year - 1 if year else None) if previous else None
        reports = check_paths(
            inputs,
            year=year,
            previous=last_year,
            jobs=jobs,
            unit=unit,
            progress=_progress(),
            one_season=True,
        )
        notes = _explain(reports, accept) if accept else []
        say_unit_not_used(unit, reports)
    except UserError as error:
        say(f"错误：{error}", err=True)
        sys.exit(2)
    annotated: dict[str, str | None] = {}
    lines: dict[str, list[str]] = {}
    refused: str | None = None
    failed = False
    created: list[str] = []
    if annotate_dir is not None:
        protected = [*inputs.everything, *([accept] if accept else [])]
        if previous is not None:
            protected += [previous, *input_files_within([previous])]
        try:
            annotated, lines, failed, created = _annotate_all(
                reports, annotate_dir, force=force, inputs=protected
            )
        except UserError as error:
            refused = str(error)
    if output_format == "json":
        from nianbao.commands.render import json_text, to_json_data

        data = to_json_data(reports)
        data["ignored"] = [str(p) for p in inputs.ignored]
        if annotate_dir is not None:
            for entry in data["files"]:  # type: ignore[attr-defined]
                entry["annotated"] = annotated.get(entry["path"])
        data["notes"] = [f.to_dict() for f in notes]
        click.echo(json_text(data))
    else:
        from nianbao.commands.render import finding_line

        text = render_text(reports, lines)
        click.echo(text + "".join(f"{finding_line(f)}\n" for f in notes), nl=False)
    for line in inputs.notes():
        say(line, err=True)
    say_last_year(last_year)
    for note in created:
        say(note, err=True)
    if refused is not None:
        say(f"错误：{refused}", err=True)
        say("未生成任何批注副本。", err=True)
    if reports and all(r.status == "skipped" for r in reports):
        say(f"错误：{_no_return_found(reports)}", err=True)
    # sys.exit, not ctx.exit: click returns ctx.exit's code from main(standalone_mode=False)
    # instead of exiting with it.
    sys.exit(2 if refused is not None or failed else exit_code(reports))


def _no_return_found(reports: list) -> str:
    """Why a run that found files, none of them a return, exits 2: nothing was checked, which
    is not the all-clear that 0 would say (render.exit_code)."""
    text = any(Path(r.path).suffix.lower() == ".txt" for r in reports)
    return (
        f"没有找到任何统计表：找到的 {len(reports)} 个文件都不是报表（已列为「未读取」），"
        "没有校验任何报表，因此退出码为 2。请检查给出的文件或文件夹是否正确"
        + ("；文本格式（.txt）的年度报告请在命令中单独给出文件名。" if text else "。")
    )


def _explain(reports: list, path: str) -> list:
    """Mark the warnings the explanations file explains; its entries for errors (A02: an error
    is corrected, never explained, as in status and merge) and stale entries (A01) back."""
    from nianbao.checks.accept import apply_explanations, read_explanations

    outcome = apply_explanations(reports, read_explanations(path))
    return outcome.findings


def _annotate_all(
    reports: list, out_dir: Path, *, force: bool, inputs: list
) -> tuple[dict[str, str | None], dict[str, list[str]], bool, list[str]]:
    """Annotated copies of every readable file with findings.

    Every target is claimed first (outputs.claim_outputs): when one exists (without --force)
    or is an input, none is written. Returns (copy per file, notes per file saying where each
    went, whether some copy could not be written, notes about folders created).
    """
    from nianbao.outputs import claim_outputs, distinct_name
    from nianbao.xlsx.annotate import ANNOTATABLE, CannotAnnotate, annotate, annotated_name

    annotated: dict[str, str | None] = {str(r.path): None for r in reports}
    notes: dict[str, list[str]] = {}
    targets: dict[str, Path] = {}
    used: set[str] = set()
    for report in reports:
        if report.ret is None or not report.findings:
            continue
        if report.ret.document:
            notes[str(report.path)] = [
                "（已发布的年度报告不生成批注副本：问题已按表、行、列列出。）"
            ]
            continue
        if report.path.suffix.lower() not in ANNOTATABLE:
            notes[str(report.path)] = [
                f"（未生成批注副本：「{report.path.name}」不是 .xlsx 文件。请在 Excel 或 WPS 中另存为 .xlsx 后重新校验。）"
            ]
            continue
        # the same file name from different folders
        targets[str(report.path)] = out_dir / distinct_name(annotated_name(report.path), used)
    created = claim_outputs(list(targets.values()), force=force, inputs=inputs)
    failed = False
    for report in reports:
        key = str(report.path)
        if key not in targets:
            continue
        try:
            target = annotate(report.path, report, out_dir, name=targets[key].name)
        except CannotAnnotate as problem:
            notes[key] = [f"（未生成批注副本：{problem}）"]
            continue
        except UserError as problem:
            notes[key] = [f"（未能写入批注副本：{problem}）"]
            failed = True
            continue
        except Exception as error:  # a fault of nianbao's own: the other copies are still written
            notes[key] = [f"（未能生成批注副本：{internal_error(error, f'生成 {targets[key]}')}）"]
            failed = True
            continue
        annotated[key] = str(target)
        notes[key] = [f"→ 批注副本：{target}"]
    return annotated, notes, failed, created if any(annotated.values()) else []


def _progress():
    """A progress line on stderr for long runs at a terminal; None otherwise."""
    if not sys.stderr.isatty():
        return None

    def show(done: int, total: int) -> None:
        if total < _PROGRESS_FROM:
            return
        click.echo(f"\r已读取 {done}/{total} 个文件……", err=True, nl=done == total)

    return show
