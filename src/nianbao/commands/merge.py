"""``nianbao merge``: compile many returns into one summary workbook, with the roster status.

The summary's name (填报单位 on its cover) is ``--name``; without it, the roster's 上级单位
when every unit of the roster has the same one, else 「汇总」.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

from nianbao.commands.options import (
    jobs_option,
    output_option,
    progress_bar,
    require_output,
    year_option,
)
from nianbao.errors import UserError
from nianbao.text import listed

if TYPE_CHECKING:
    from nianbao.form.data import FileReport
    from nianbao.pipeline.merge import MergeOutcome
    from nianbao.sources.roster import RosterEntry

DEFAULT_NAME = "汇总"
MAX_LISTED = 20  # units named in one line of the closing summary


def check_files(
    files: Sequence[Path], *, year: int | None, jobs: int, require_unit: bool
) -> list[FileReport]:
    """pipeline.check.check_paths, with a progress bar when the run is long."""
    from nianbao.pipeline.check import check_paths

    with progress_bar(len(files), "正在读取和校验") as progress:
        return check_paths(
            files, year=year, jobs=jobs, require_unit=require_unit, progress=progress
        )


def report_lines(reports: Sequence[FileReport]) -> list[str]:
    """Each file's verdict and findings, exactly as `nianbao check` shows them."""
    from nianbao.commands.render import file_lines

    return [line for report in reports for line in file_lines(report)]


def default_name(roster: Sequence[RosterEntry] | None) -> str:
    parents = {entry.parent for entry in roster or ()}
    if len(parents) == 1 and None not in parents:
        return str(parents.pop())
    return DEFAULT_NAME


def output_path(output: str) -> Path:
    path = Path(output)
    if path.suffix == "":
        path = path.with_name(path.name + ".xlsx")
    if path.suffix.lower() != ".xlsx":
        raise UserError(f"汇总表只能保存为 .xlsx 格式：请把输出文件名 {output} 改为以 .xlsx 结尾。")
    if path.is_dir():
        raise UserError(
            f"{path} 是文件夹，不能作为输出文件。请给出汇总表的文件名，例如 -o 汇总.xlsx。"
        )
    return path


@click.command(
    options_metavar="[选项]",
    short_help="汇总各单位的统计表",
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.argument("paths", nargs=-1, required=True, metavar="文件或文件夹...")
@output_option("汇总表的文件名（.xlsx）。", "汇总表.xlsx")
@click.option(
    "--name",
    metavar="名称",
    help=f"汇总表的填报单位名称，如「道外区」。默认取名册中共同的上级单位；没有名册时为「{DEFAULT_NAME}」。",
)
@click.option("--parent", metavar="上级单位", help="汇总表封面上的上级单位（可不填）。")
@click.option(
    "--roster",
    metavar="名册.csv",
    help="单位名册（CSV，列：单位名称、上级单位、单位代码），用于列出未报送和不在名册中的单位。",
)
@year_option(
    "要求的报告年度（如 2025）：封面年度不符的报表按错误处理。不给时以报表本身的年度为准（各报表须一致）。"
)
@click.option(
    "--skip-invalid",
    is_flag=True,
    help="跳过有错误或无法读取的报表，只汇总通过校验的报表（被跳过的会逐一列出）。默认有任何错误都不汇总。",
)
@jobs_option
def command(
    paths: tuple[str, ...],
    output: str | None,
    name: str | None,
    parent: str | None,
    roster: str | None,
    year: int | None,
    skip_invalid: bool,
    jobs: int,
) -> None:
    """把各单位报送的统计表汇总为本级汇总表（xlsx），并列出报送情况和校验问题。

    先按与 check 相同的规则校验每一份报表。默认只要有一份报表有错误或无法读取，就不生成汇总表，并列出问题所在；加 --skip-invalid 则跳过这些报表，只汇总其余的。表式版本或报告年度不一致、同一单位报送两份时，一律不汇总。

    汇总表本身也是一份合格的统计表：各区的汇总表可以再汇总为全市的汇总表。

    \b
    示例：
      nianbao merge 收回/ -o 道外区汇总.xlsx --name 道外区
      nianbao merge 收回/ --roster 名册.csv --name 道外区 -o 道外区2021年汇总.xlsx
      nianbao merge 各区汇总/ --name 哈尔滨市 -o 全市汇总.xlsx
    """
    from nianbao.pipeline.check import input_files
    from nianbao.pipeline.merge import merge_reports
    from nianbao.sources.roster import read_roster
    from nianbao.xlsx.summary import write_summary

    target = output_path(require_output(output, "汇总.xlsx"))
    entries = read_roster(roster) if roster else None
    files = input_files(paths, target)
    reports = check_files(files, year=year, jobs=jobs, require_unit=True)
    outcome = merge_reports(
        reports,
        name=name or default_name(entries),
        parent=parent,
        year=year,
        roster=entries,
        skip_invalid=skip_invalid,
    )
    if outcome.summary is None:
        click.echo("\n".join(report_lines(outcome.excluded)), err=True)
        click.echo(
            f"有 {len(outcome.excluded)} 份报表有错误或无法读取（共 {len(reports)} 份），未生成汇总表。\n"
            "请让相关单位改正后重新报送；如需先汇总其余报表，请加 --skip-invalid。",
            err=True,
        )
        sys.exit(1)
    write_summary(
        target, outcome.summary, outcome.members, status=outcome.status, findings=outcome.findings()
    )
    _report(outcome, target, roster_given=entries is not None)


def _report(outcome: MergeOutcome, target: Path, *, roster_given: bool) -> None:
    """The closing lines of a merge that wrote its summary."""
    from nianbao.checks.status import ERRORS
    from nianbao.xlsx.summary import BREAKDOWN_LIMIT

    summary, status = outcome.summary, outcome.status
    assert summary is not None
    if outcome.excluded:
        click.echo("\n".join(report_lines(outcome.excluded)), err=True)
        click.echo(
            f"以上 {len(outcome.excluded)} 份报表有错误或无法读取，已跳过，未计入汇总。", err=True
        )
    click.echo(
        f"{len(outcome.members)} 份报表已汇总（{summary.year or '年度未知'}年度，{summary.form.vintage}版表式），"
        f"写入 {target}。"
    )
    if len(outcome.members) > BREAKDOWN_LIMIT:
        click.echo(
            f"汇总的报表超过 {BREAKDOWN_LIMIT} 份，汇总表中省略了「分单位明细」；"
            "如需各单位的明细数据，请用 nianbao export 导出。"
        )
    if outcome.warned:
        click.echo(f"其中 {len(outcome.warned)} 份有警告，详见汇总表的「校验问题」工作表。")
    if not roster_given:
        return
    missing = [row.unit for row in status.missing]
    if missing:
        click.echo(f"未报 {len(missing)} 个单位：{listed(missing, limit=MAX_LISTED)}。")
    else:
        click.echo(f"名册中的 {status.roster_size} 个单位均已报送。")
    extra = [row.unit for row in status.off_roster]
    if extra:
        click.echo(f"不在名册中的单位 {len(extra)} 个：{listed(extra, limit=MAX_LISTED)}。")
    errors = [row.unit or row.file for row in status.rows if row.status == ERRORS]
    if errors:
        click.echo(f"报表有错误的单位 {len(errors)} 个：{listed(errors, limit=MAX_LISTED)}。")
