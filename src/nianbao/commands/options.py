"""Options and terminal helpers shared by several commands, defined once."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

from nianbao.errors import UserError
from nianbao.text import clean, listed, unit_key

if TYPE_CHECKING:
    from nianbao.checks.units import LastYear
    from nianbao.form.data import FileReport
    from nianbao.pipeline.check import Progress

# A progress bar is worth showing from this many files on (reading is ~1 ms a file).
PROGRESS_FROM = 50


def _non_negative(ctx: click.Context, param: click.Parameter, value: int) -> int:
    if value < 0:
        raise click.BadParameter(
            f"{value} 不能为负数：请填写 0（按本机处理器核数）或正整数。", ctx, param
        )
    return value


def jobs_option(function):
    """--jobs: worker processes for reading; 0 (the default) means one per processor."""
    return click.option(
        "--jobs",
        "-j",
        type=int,
        default=0,
        callback=_non_negative,
        metavar="N",
        help="同时读取文件的进程数；默认 0，即按本机处理器核数（文件很少时自动只用 1 个）。",
    )(function)


class YearType(click.ParamType):
    """A report year, with a Chinese message when it is not one."""

    name = "年份"

    def convert(
        self, value: object, param: click.Parameter | None, ctx: click.Context | None
    ) -> int:
        if isinstance(value, int):
            return value
        text = str(value).strip()
        if not (text.isascii() and text.isdigit() and len(text) == 4):
            self.fail(f"「{value}」不是年份：请填写四位数年份，例如 2025。", param, ctx)
        year = int(text)
        if not first_report_year() <= year <= LAST_REPORT_YEAR:
            # A typo (2205 for 2025) would otherwise make every file of a batch a C03 error.
            self.fail(
                f"报告年度 {year} 不正确：请填写四位数年份，{first_report_year()} 年及以后，例如 2025。",
                param,
                ctx,
            )
        return year


LAST_REPORT_YEAR = 2100  # a bound on typos, not on the form


def first_report_year() -> int:
    """The first year any vintage of the form covers (2019)."""
    from nianbao.form import FORMS

    return min(form.years[0] for form in FORMS.values())


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


def output_option(help_text: str, metavar: str):
    """-o, required in effect (click's own "required" marker would be English)."""
    return click.option("-o", "--output", metavar=metavar, help=f"（必填）{help_text}")


def require_output(output: str | None, example: str) -> str:
    if not output:
        raise UserError(f"请用 -o 指定输出文件，例如 -o {example}。")
    return output


def xlsx_output(output: str, what: str) -> Path:
    """``-o`` of a command that writes a workbook: ``.xlsx`` added when there is no suffix,
    any other suffix refused (``what`` names the workbook in the message). A folder, a device
    or a pipe (``-o /dev/null``) is refused as it is given, before any suffix is added: writing
    a regular file beside it under another name is not what was asked."""
    from nianbao.outputs import refuse_special_output

    path = Path(output)
    refuse_special_output(path)
    if path.suffix == "":
        return path.with_name(path.name + ".xlsx")
    if path.suffix.lower() != ".xlsx":
        raise UserError(f"{what}只能保存为 .xlsx 格式：请把输出文件名 {output} 改为以 .xlsx 结尾。")
    return path


def year_option(help_text: str):
    return click.option("--year", type=YearType(), metavar="年份", help=help_text)


def roster_option(purpose: str):
    """--roster: what a roster is (sources.roster reads CSV and .xlsx alike), then ``purpose``."""
    return click.option(
        "--roster",
        metavar="名册",
        help=f"单位名册（CSV 或 .xlsx，列：单位名称、上级单位、单位代码，可另加联系人等列）：{purpose}",
    )


def accept_option(function):
    """--accept: the explanations file (checks.accept)."""
    return click.option(
        "--accept",
        metavar="说明.csv",
        help="说明文件（CSV 或 .xlsx，列：单位、规则、单元格、说明）：属实的警告经说明后显示为「已说明」并注明理由，"
        "不再计入警告；没有对应任何问题的说明会被指出。",
    )(function)


def force_option(function):
    """--force: the one switch that lets a command replace an existing output (never an input)."""
    return click.option(
        "--force",
        is_flag=True,
        help="输出文件已存在时覆盖它（默认不覆盖，以免误删已有文件）。"
        "输入文件（包括输入文件夹中找到的文件）无论如何都不会被覆盖。",
    )(function)


def say(text: str, *, err: bool = False, nl: bool = True) -> None:
    """Print to the terminal: every line a command prints goes through text.clean, so a
    unit or file name can never carry an escape sequence or a bell to the terminal."""
    click.echo(clean(text, lines=True), err=err, nl=nl)


def say_unit_not_used(unit: str | None, reports: Sequence[FileReport]) -> None:
    """Say so when ``--unit`` was given but the files name their unit themselves: it is used
    only where a file names none, and a user who typed it expects to see it somewhere."""
    if not unit:
        return
    named = sorted(
        {r.ret.unit for r in reports if r.ret is not None and r.ret.unit}
        - {
            r.ret.unit
            for r in reports
            if r.ret is not None and unit_key(r.ret.unit) == unit_key(unit)
        }
    )
    if named:
        say(
            f"注意：--unit「{unit}」未使用：报表中已写明填报单位{listed([f'「{n}」' for n in named])}"
            "（--unit 只用于没有写填报单位的报表；要改单位名称，请改正报表的封面）。",
            err=True,
        )


def say_last_year(last_year: LastYear | None) -> None:
    """What was set aside of last year's returns (files that could not be read, a summary
    whose units cannot be paired), once, in every command that takes --previous."""
    if last_year is not None and last_year.note:
        say(f"上年报表：{last_year.note}", err=True)


def format_option(help_text: str):
    """--format text|json: Chinese for people, JSON (docs/json-format.md) for programs."""
    return click.option(
        "--format",
        "output_format",
        type=click.Choice(["text", "json"]),
        default="text",
        show_default=True,
        help=help_text,
    )
