"""Options shared by several commands, defined once."""

from __future__ import annotations

import click


def _non_negative(ctx: click.Context, param: click.Parameter, value: int) -> int:
    if value < 0:
        raise click.BadParameter(f"{value} 不能为负数：请填写 0（按本机处理器核数）或正整数。", ctx, param)
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
