"""``nianbao merge``: compile many returns into one summary workbook, with the roster status.

The summary's name (填报单位 on its cover) is ``--name``; without it, the roster's 上级单位
when every unit of the roster has the same one, else 「汇总」.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

from nianbao.commands.options import jobs_option
from nianbao.commands.template import YearType
from nianbao.errors import UserError

if TYPE_CHECKING:
    from nianbao.pipeline.check import FileReport, Progress
    from nianbao.form.findings import Finding

DEFAULT_NAME = "汇总"
# A progress bar is worth showing from this many files on (reading is ~1 ms a file).
PROGRESS_FROM = 50
MAX_LISTED = 20  # units named in one line of the closing summary


def input_files(paths: Sequence[str], output: Path | None = None) -> list[Path]:
    """The spreadsheets to read; ``output`` never counts as an input (a rerun into the same
    folder must not sum last run's summary into this one)."""
    from nianbao.pipeline.check import expand_paths
    from nianbao.outputs import refuse_overwriting_inputs

    given = [Path(p) for p in paths]
    if output is not None:
        refuse_overwriting_inputs(output, given)  # an output named as an input file
    files = expand_paths(given)
    if output is not None:
        target = output.resolve()
        # Only a file of that name can be the output; resolving all 100,000 paths costs seconds.
        files = [f for f in files if f.name != target.name or f.resolve() != target]
    if not files:
        raise UserError(
            "没有找到要汇总的表格文件（.xlsx / .xlsm / .xls / .xlsb / .ods）。请检查给出的文件或文件夹。"
        )
    return files


@contextlib.contextmanager
def progress_bar(total: int, label: str) -> Iterator[Progress | None]:
    """A click progress bar on stderr for long runs at a terminal, as a checking.Progress
    callback; None (no bar) for short runs, pipes and tests."""
    if total < PROGRESS_FROM or not sys.stderr.isatty():
        yield None
        return
    with click.progressbar(length=total, label=label, file=sys.stderr, show_pos=True) as bar:
        seen = [0]

        def progress(done: int, _total: int) -> None:
            bar.update(done - seen[0])
            seen[0] = done

        yield progress


def check_files(
    files: Sequence[Path], *, year: int | None, jobs: int, require_unit: bool
) -> list[FileReport]:
    """checking.check_paths, with a progress bar when the run is long."""
    from nianbao.pipeline.check import check_paths

    with progress_bar(len(files), "正在读取和校验") as progress:
        return check_paths(
            files, year=year, jobs=jobs, require_unit=require_unit, progress=progress
        )


def report_lines(reports: Sequence[FileReport]) -> list[str]:
    """Each file's verdict and findings, exactly as `nianbao check` shows them."""
    from nianbao.commands.render import file_lines

    return [line for report in reports for line in file_lines(report)]


def default_name(roster: Sequence[object] | None) -> str:
    parents = {getattr(entry, "parent", None) for entry in roster or ()}
    if len(parents) == 1 and None not in parents:
        return str(parents.pop())
    return DEFAULT_NAME


def _listed(names: Sequence[str]) -> str:
    shown = "、".join(names[:MAX_LISTED])
    return shown + (f" 等 {len(names)} 个" if len(names) > MAX_LISTED else "")


def _output_path(output: str) -> Path:
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


def output_option(help_text: str, metavar: str):
    """-o, required in effect (click's own "required" marker would be English)."""
    return click.option("-o", "--output", metavar=metavar, help=f"（必填）{help_text}")


def require_output(output: str | None, example: str) -> str:
    if not output:
        raise UserError(f"请用 -o 指定输出文件，例如 -o {example}。")
    return output


def year_option(help_text: str):
    return click.option("--year", type=YearType(), metavar="年份", help=help_text)


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
    from nianbao.xlsx.summary import BREAKDOWN_LIMIT, write_summary
    from nianbao.pipeline.merge import conflicts, merge_returns, sort_returns, unit_key
    from nianbao.sources.roster import read_roster
    from nianbao.checks.status import ERRORS, submission_status

    target = _output_path(require_output(output, "汇总.xlsx"))
    entries = read_roster(roster) if roster else None
    files = input_files(paths, target)
    reports = check_files(files, year=year, jobs=jobs, require_unit=True)
    reports.sort(key=lambda r: str(r.path))  # the same files in any order give the same summary

    bad = [r for r in reports if r.status in ("errors", "unreadable")]
    good = [r for r in reports if r.status in ("ok", "warnings")]
    if bad and not skip_invalid:
        click.echo("\n".join(report_lines(bad)), err=True)
        click.echo(
            f"有 {len(bad)} 份报表有错误或无法读取（共 {len(reports)} 份），未生成汇总表。\n"
            "请让相关单位改正后重新报送；如需先汇总其余报表，请加 --skip-invalid。",
            err=True,
        )
        sys.exit(1)
    if not good:
        raise UserError(f"没有通过校验的报表可以汇总（共 {len(reports)} 份，均有错误或无法读取）。")

    members = [r.ret for r in good if r.ret is not None]
    found = conflicts(members, year=year)
    if found:
        from nianbao.pipeline.merge import MergeConflict

        raise MergeConflict(found)

    status = submission_status(reports, entries)
    summary_name = name or default_name(entries)
    summary = merge_returns(members, name=summary_name, parent=parent, year=year)
    rank = {unit_key(e.unit): i for i, e in enumerate(entries or ())}
    ordered = sorted(sort_returns(members), key=lambda r: rank.get(unit_key(r.unit), len(rank)))
    findings = _all_findings(reports, status.findings)
    write_summary(target, summary, ordered, status=status, findings=findings)

    if bad:
        click.echo("\n".join(report_lines(bad)), err=True)
        click.echo(f"以上 {len(bad)} 份报表有错误或无法读取，已跳过，未计入汇总。", err=True)
    click.echo(
        f"{len(members)} 份报表已汇总（{summary.year or '年度未知'}年度，{summary.form.vintage}版表式），"
        f"写入 {target}。"
    )
    if len(members) > BREAKDOWN_LIMIT:
        click.echo(
            f"汇总的报表超过 {BREAKDOWN_LIMIT} 份，汇总表中省略了「分单位明细」；"
            "如需各单位的明细数据，请用 nianbao export 导出。"
        )
    warned = [r for r in good if r.status == "warnings"]
    if warned:
        click.echo(f"其中 {len(warned)} 份有警告，详见汇总表的「校验问题」工作表。")
    if entries is not None:
        missing = [row.unit for row in status.missing]
        if missing:
            click.echo(f"未报 {len(missing)} 个单位：{_listed(missing)}。")
        else:
            click.echo(f"名册中的 {len(entries)} 个单位均已报送。")
        extra = [row.unit for row in status.off_roster]
        if extra:
            click.echo(f"不在名册中的单位 {len(extra)} 个：{_listed(extra)}。")
        errors = [row.unit or row.file for row in status.rows if row.status == ERRORS]
        if errors:
            click.echo(f"报表有错误的单位 {len(errors)} 个：{_listed(errors)}。")


def _all_findings(
    reports: Sequence[FileReport], status_findings: Sequence[Finding]
) -> list[tuple[str, Finding]]:
    """Every finding for the 校验问题 sheet, with the unit it concerns."""
    from nianbao.commands.render import sorted_findings

    rows: list[tuple[str, Finding]] = []
    for report in reports:
        unit = report.ret.unit if report.ret is not None and report.ret.unit else ""
        rows += [(unit, f) for f in sorted_findings(report.findings)]
    rows += [(str(f.operands.get("unit", "")), f) for f in status_findings]
    return rows
