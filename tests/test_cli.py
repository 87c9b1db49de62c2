"""The command itself: Chinese throughout, and quick to start."""

import subprocess
import sys

import pytest
from click.testing import CliRunner

from nianbao import __version__
from nianbao.cli import COMMANDS, cli


def test_version_is_printed():
    result = CliRunner().invoke(cli, ["--version"])
    assert result.exit_code == 0
    assert __version__ in result.output


def test_top_level_help_is_chinese():
    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0
    for word in ("用法", "命令", "显示本帮助并退出", "template", "check", "merge", "export"):
        assert word in result.output
    assert "Usage" not in result.output and "Show this message" not in result.output


def test_unknown_command_is_explained_in_chinese():
    result = CliRunner().invoke(cli, ["bogus"])
    assert result.exit_code == 2
    assert "没有这个命令" in result.output


HEAVY = ("pandas", "pandera", "openpyxl", "xlsxwriter", "numpy", "python_calamine")


@pytest.mark.parametrize("module", ["nianbao.cli", *(f"nianbao.commands.{c}" for c in COMMANDS)])
def test_startup_and_command_help_import_no_heavy_library(module):
    # `nianbao --version` and every `nianbao CMD --help` must stay fast: heavy libraries are
    # imported only inside the command that needs them.
    code = f"import sys, {module}; print(sorted(m for m in {HEAVY!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def _entry_point(*args: str) -> subprocess.CompletedProcess[str]:
    """The installed ``nianbao`` command as a user runs it (cli.main, not click's runner)."""
    code = "import sys; from nianbao.cli import main; sys.argv[0] = 'nianbao'; main()"
    return subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=300
    )


def test_the_command_exits_with_its_status_after_writing_everything_it_says(tmp_path):
    """main() leaves with os._exit (unloading pandas takes longer than a check): every byte
    of a long JSON report must still arrive, and the status must be the command's."""
    import json
    from pathlib import Path

    samples = Path(__file__).resolve().parents[1] / "samples" / "2021"
    done = _entry_point("check", str(samples), "--format", "json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert len(report["files"]) == len(list(samples.glob("*.xlsx")))
    missing = _entry_point("check", str(tmp_path / "没有这个文件.xlsx"))
    assert missing.returncode == 2 and "不存在" in missing.stdout
    wrong = _entry_point("merge", str(samples), "-o", str(tmp_path / "汇总.txt"))
    assert wrong.returncode == 2 and "只能保存为 .xlsx" in wrong.stderr


def test_library_warnings_and_log_lines_do_not_reach_the_terminal():
    code = (
        "import logging, sys, warnings\n"
        "from nianbao import cli\n"
        "def noisy():\n"
        "    warnings.warn('Data Validation extension is not supported')\n"
        "    logging.getLogger('pdfminer.pdfpage').warning('CropBox missing from /Page')\n"
        "    return 0\n"
        "cli._run = noisy\n"
        "cli.main()\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0 and done.stderr == "" and done.stdout == ""


@pytest.mark.parametrize(
    ("error", "reason"),
    [("ENOSPC", "磁盘已满"), ("EROFS", "磁盘或文件夹只读"), ("EIO", "读写出错")],
)
def test_a_full_disk_is_a_message_naming_the_file_not_a_traceback(tmp_path, error, reason):
    """The file system refusing the workbook as it is stored (xlsxwriter wraps that OSError in
    its own FileCreateError): one line in Chinese naming the file, exit 2, nothing left."""
    target = tmp_path / "模板.xlsx"
    code = (
        "import errno, sys, xlsxwriter.workbook as w\n"
        "def refuse(self):\n"
        f"    raise OSError(errno.{error}, 'refused')\n"
        "w.Workbook._store_workbook = refuse\n"
        "from nianbao.cli import main\n"
        f"sys.argv = ['nianbao', 'template', '-o', {str(target)!r}]\n"
        "main()\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr and "Error" not in done.stderr
    assert f"无法写入 {target}（{reason}" in done.stderr
    assert list(tmp_path.iterdir()) == []


def _blas_threads_seen(env: dict[str, str]) -> list[str]:
    """What the command's run sees: OPENBLAS_NUM_THREADS, and whether numpy was loaded by then."""
    import os

    code = (
        "import os, sys, nianbao.cli as c\n"
        "c._run = lambda: print(os.environ.get('OPENBLAS_NUM_THREADS'), 'numpy' in sys.modules) or 0\n"
        "c.main()"
    )
    clean = {k: v for k, v in os.environ.items() if not k.endswith("NUM_THREADS")}
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={**clean, **env},
    )
    return out.stdout.split()


def test_the_command_runs_numpy_on_one_thread_unless_the_user_said_otherwise():
    # OpenBLAS's thread per core spins while pandas loads: CPU taken from the reading workers.
    # The setting must be made before numpy is imported, or it does nothing.
    assert _blas_threads_seen({}) == ["1", "False"]
    assert _blas_threads_seen({"OPENBLAS_NUM_THREADS": "4"}) == ["4", "False"]
