"""The command itself: Chinese throughout, and quick to start."""

import subprocess
import sys

from click.testing import CliRunner

from nianbao import __version__
from nianbao.cli import cli


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


def test_startup_imports_no_heavy_library():
    # `nianbao --version` and `--help` must stay fast: nothing heavy at import time.
    code = "import sys, nianbao.cli; print(sorted(m for m in ('pandas','pandera','openpyxl','xlsxwriter','numpy','python_calamine') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
