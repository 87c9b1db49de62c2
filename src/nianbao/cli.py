"""The ``nianbao`` command. Kept thin and quick to start: each subcommand lives in its own
module under ``nianbao.commands`` and is imported only when it is run (or its help is shown),
so ``nianbao --version`` never pays for pandas, pandera or openpyxl.
"""

from __future__ import annotations

import codecs
import contextlib
import errno
import importlib
import io
import os
import signal
import sys

import click

from nianbao import __version__
from nianbao.commands import zh as cli_zh
from nianbao.errors import INTERNAL_ERROR_EXIT, UserError, internal_error, system_reason
from nianbao.processes import collect_rarely, one_thread_for_numerics
from nianbao.text import clean

cli_zh.install()

# name -> (module under nianbao.commands, one-line Chinese summary for the command list)
COMMANDS = {
    "template": ("template", "生成官方空白统计表工作簿（可按名册为各单位分别生成）"),
    "check": ("check", "校验填好的统计表，逐个单元格指出问题"),
    "status": ("status", "列出名册中各单位的报送情况（已报、未报、有错误……），便于催报"),
    "merge": ("merge", "把各单位的统计表汇总为本级汇总表，并列出报送情况"),
    "export": ("export", "把统计表导出为长表数据（CSV / Excel / JSON），供分析使用"),
    "publish": ("publish", "生成年度报告（Word 文档或网页），表格与官方版式相同、数字取自统计表"),
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in COMMANDS:
            return None
        module = importlib.import_module(f"nianbao.commands.{COMMANDS[name][0]}")
        return module.command

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        # An empty argument (-o '', a shell variable that was never set) names no file: taken
        # as a path it is the current folder, where an output would land unasked.
        for before, arg in zip(["", *args], args, strict=False):
            if not arg.strip():
                after = f"（在 {before} 之后）" if before.startswith("-") else ""
                raise click.UsageError(
                    f"命令中有一个空的参数{after}：请写出文件、文件夹或名称，不能是空的。", ctx
                )
        return super().parse_args(ctx, args)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        # Summaries come from the table above so listing commands imports none of them.
        with formatter.section("命令"):
            formatter.write_dl([(name, summary) for name, (_, summary) in COMMANDS.items()])


CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


@click.group(
    cls=LazyGroup,
    context_settings=CONTEXT,
    options_metavar="[选项]",
    subcommand_metavar="命令 [参数]...",
)
@click.version_option(
    __version__, "-V", "--version", prog_name="nianbao", message="%(prog)s %(version)s"
)
def cli() -> None:
    """政府信息公开工作年度报告 统计表工具：生成模板、校验填报、汇总上报。

    \b
    常用流程：
      nianbao template --year 2025 --roster 名册.csv --out-dir 下发/
      nianbao check 收回/*.xlsx
      nianbao merge 收回/ --name 某某区 --roster 名册.csv -o 某某区汇总.xlsx
      nianbao publish 某某区汇总.xlsx -o 某某区2025年年报.docx
    """


def _interrupted(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def main() -> None:
    # SIGTERM (kill, a scheduler stopping the job) ends a run like Ctrl-C: temporary files are
    # removed, worker processes stopped, "已中止。" said, exit 130.
    signal.signal(signal.SIGTERM, _interrupted)
    _console_streams()
    one_thread_for_numerics()
    _quiet_libraries()
    collect_rarely()
    _leave(_run())


def _console_streams() -> None:
    """Let the terminal and redirected output carry every character a unit name can hold.

    Redirected on a Chinese Windows (``> 结果.txt``), output is GBK, which lacks the rarer
    characters of place names (𠮷, 𬌗): one of them ended the run as an internal error. GB18030
    is GBK for every character GBK has and encodes the rest; any other narrow encoding shows
    what it cannot encode as an escape (\\U00020bb7) rather than losing the line.
    """
    for stream in (sys.stdout, sys.stderr):
        if not isinstance(stream, io.TextIOWrapper):
            continue
        try:
            encoding = codecs.lookup(stream.encoding).name
        except LookupError:
            continue
        if encoding.startswith("utf"):
            continue
        if encoding in ("gbk", "gb2312"):
            stream.reconfigure(encoding="gb18030")
        else:
            stream.reconfigure(errors="backslashreplace")


# The output place itself failed (stdout to a full disk, a network folder gone): the user's
# matter to mend, not a fault of nianbao's.
_OUTPUT_FAILURES = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EIO, errno.EFBIG, errno.EROFS})


def _quiet_libraries() -> None:
    """Keep the libraries' own English warnings and log lines (openpyxl on a WPS extension,
    pdfminer on a damaged page) off the user's terminal: what matters in them reaches the
    user as a finding in Chinese, at its file and cell."""
    import logging
    import warnings

    warnings.simplefilter("ignore")
    logging.getLogger().addHandler(logging.NullHandler())
    # An error in a finaliser (a zip file closed on a full disk as it is collected) is printed
    # as "Exception ignored in ...": the failure itself has reached the user already.
    sys.unraisablehook = lambda unraisable: None


def _run() -> int:
    """Run the command line; the exit status."""
    try:
        code = cli.main(prog_name="nianbao", standalone_mode=False)
        # Without standalone mode click returns ctx.exit(N)'s code instead of exiting.
        return code if isinstance(code, int) and not isinstance(code, bool) else 0
    except click.exceptions.Exit as stop:
        return stop.exit_code
    except SystemExit as stop:
        return stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
    except click.ClickException as error:
        error.show()
        return error.exit_code
    except (click.Abort, KeyboardInterrupt) as stop:
        click.echo("已中止。", err=True)
        # what became of the files written (outputs.all_or_nothing), on the interrupt that
        # click turned into Abort
        for note in getattr(stop.__cause__ or stop, "__notes__", ()):
            click.echo(clean(note, lines=True), err=True)
        return 130
    except UserError as error:
        click.echo(clean(f"错误：{error}", lines=True), err=True)
        return error.exit_code
    except BrokenPipeError:
        return 1
    except OSError as error:
        if error.errno not in _OUTPUT_FAILURES:
            return _internal(error)
        _say_output_failed(error)
        return UserError.exit_code
    except Exception as error:  # last resort: a fault of nianbao's own, never a traceback
        return _internal(error)


def _internal(error: BaseException) -> int:
    click.echo(clean(f"错误：{internal_error(error)}", lines=True), err=True)
    return INTERNAL_ERROR_EXIT


def _say_output_failed(error: OSError) -> None:
    with contextlib.suppress(OSError, ValueError):  # stderr may be the one that failed
        click.echo(
            f"错误：结果无法写出（{system_reason(error)}）。请检查输出所在的磁盘或文件夹后重新运行；"
            "输入的文件没有被改动。",
            err=True,
        )


def _leave(code: int) -> None:
    """Exit with ``code`` once everything said is written, without tearing the interpreter
    down: every file is closed and every worker joined by now, and unloading pandas and
    numpy module by module takes a tenth of a second, a fifth of a one-file check."""
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (BrokenPipeError, ValueError):  # a reader that went away; a closed stream
        code = code or 1
    except OSError as error:  # the last lines met a full disk
        _say_output_failed(error)
        code = UserError.exit_code if code in (0, 1) else code
    os._exit(code)
