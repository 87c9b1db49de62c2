"""``nianbao export``: every readable return as tidy rows (one per unit and cell) for analysts."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from nianbao.commands.options import (
    force_option,
    jobs_option,
    output_option,
    progress_bar,
    require_output,
    say,
    year_option,
)


@click.command(
    options_metavar="[选项]",
    short_help="导出为长表数据（CSV / Excel / JSON）",
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.argument("paths", nargs=-1, required=True, metavar="文件或文件夹...")
@output_option("输出文件：以 .csv、.xlsx 或 .json 结尾，据此决定格式。", "文件")
@year_option("封面没有写报告年度的报表按此年度读取。")
@force_option
@jobs_option
def command(
    paths: tuple[str, ...], output: str | None, year: int | None, force: bool, jobs: int
) -> None:
    """把统计表导出为长表数据：每个单位的每个数据格一行。

    也可以导出已发布的年度报告（网页、PDF、Word、文本）中的统计表，结果与工作簿相同。

    \b
    列：单位、上级单位、年度、表式版本、表、行代码、行标签、列代码、列标签、值、计算项、校验结果、文件。
    CSV 为带 BOM 的 UTF-8，Excel 可直接打开；JSON 为对象数组，键名为英文
    （unit, parent, year, vintage, table, row_code, row_label, column_code,
    column_label, value, derived, check, file）。
    \b
    输入格填的是什么就导出什么（数字、文字或空白）；总计等计算项按输入格重新计算。
    每份报表照常校验，「校验结果」列写明通过、有警告或有错误：有错误的报表照原样导出，
    屏幕上列出这些报表，请用 nianbao check 查看错误。
    CSV 和 Excel 中以 = + - @ 开头的文字会加上 ' 前缀或按纯文本写入，防止被当作公式执行；
    JSON 原样保留文字（JSON 是数据，不会被执行，使用方请勿把它当公式处理）。
    只导出能读取的报表（不论校验是否通过）；汇总表与单位报表混在一起时不导出汇总表（以免重复计数）。
    一个单位有几份报表时每份都导出（「文件」列区分），屏幕上列出「重复报送」：按单位求和前请只保留一份。
    无法读取的报表在屏幕上列出，此时退出码为 2；有报表校验有错误、有汇总表被排除或有单位重复报送时退出码为 1。

    \b
    示例：
      nianbao export 收回/ -o 数据.csv
      nianbao export 收回/ -o 数据.json
    """
    from nianbao.checks.status import duplicate_findings
    from nianbao.outputs import claim_outputs
    from nianbao.pipeline.check import check_paths, input_files
    from nianbao.pipeline.export import export_format, export_returns
    from nianbao.pipeline.merge import mark_mixed_summaries

    target = Path(require_output(output, "数据.csv"))
    export_format(target)  # a bad suffix is refused before anything is read
    inputs = input_files(paths)
    created = claim_outputs([target], force=force, inputs=inputs.everything)
    with progress_bar(len(inputs.files), "正在读取") as progress:
        reports = check_paths(inputs, year=year, jobs=jobs, progress=progress)
    refused = mark_mixed_summaries(reports)
    returns = [r.ret for r in reports if r.ret is not None and r not in refused]
    for line in inputs.notes():
        say(line, err=True)
    failed = [r for r in reports if r.status == "unreadable"]
    for report in failed:
        say(f"{report.path}：✗ 无法读取，未导出。{report.findings[0].message}", err=True)
    for report in refused:
        say(f"{report.path}：✗ 未导出。{report.findings[-1].message}", err=True)
    for report in reports:
        if report.status == "skipped":
            say(f"{report.path}：— {report.findings[0].message}", err=True)
    with_errors = [r for r in reports if r.status == "errors" and r not in refused]
    for report in with_errors:
        say(
            f"{report.path}：✗ 校验有错误，数字照原样导出（「校验结果」列为「有错误」）。", err=True
        )
    duplicates = duplicate_findings([r for r in reports if r not in refused])
    for finding in duplicates:
        say(f"重复报送：{finding.message}（几份都已导出，「文件」列可区分。）", err=True)
    if returns:
        checks = {id(r.ret): r.status for r in reports if r.ret is not None}
        rows = export_returns(returns, target, checks)
        for note in created:
            say(note)
        say(f"已导出 {len(returns)} 份报表（{rows} 行）到 {target}。")
        if with_errors:
            say(
                f"其中 {len(with_errors)} 份报表校验有错误，其数字照原样导出；"
                "请用 nianbao check 查看并改正后再用于分析。",
                err=True,
            )
    else:
        say("没有能读取的报表，未生成导出文件。", err=True)
    if failed:
        say(f"有 {len(failed)} 份报表无法读取，未导出。", err=True)
        sys.exit(2)
    if refused or with_errors or duplicates or not returns:
        sys.exit(1 if returns else 2)
