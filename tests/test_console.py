"""What nianbao says reaches the user whatever the output is: a Chinese Windows redirect (GBK)
holding a rare character of a place name, a narrow encoding, a full disk (found by a sweep:
each ended the run as 「nianbao 内部出错」, exit 3, blaming nianbao for the user's disk)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from nianbao.form import get_form
from nianbao.xlsx.writer import write_return
from tests.support.returns import valid_return

RARE = "𠮷野家街道"  # 𠮷 (U+20BB7) is in GB18030, not in GBK


def _nianbao(*args: object, encoding: str, stdout=subprocess.PIPE) -> subprocess.CompletedProcess:
    """The installed command as a user runs it (cli.main), its output in ``encoding``."""
    code = "import sys; from nianbao.cli import main; sys.argv[0] = 'nianbao'; main()"
    env = {**os.environ, "PYTHONIOENCODING": encoding}
    return subprocess.run(
        [sys.executable, "-c", code, *map(str, args)],
        stdout=stdout,
        stderr=subprocess.PIPE,
        env=env,
        timeout=300,
    )


@pytest.fixture
def rare_return(tmp_path: Path) -> Path:
    form = get_form("2021")
    path = tmp_path / "return.xlsx"
    write_return(path, form, valid_return(form, 1, unit=RARE, year=2025))
    return path


def test_a_gbk_output_carries_a_unit_name_gbk_lacks(rare_return):
    done = _nianbao("check", rare_return, encoding="gbk")
    assert done.returncode == 0, done.stderr.decode("gb18030")
    said = done.stdout.decode("gb18030")
    assert f"（{RARE}，2025 年度" in said
    assert "通过 1" in said
    # what GBK has is written as GBK: the redirect opens as before
    assert "共 1 个文件".encode("gbk") in done.stdout


def test_a_narrow_encoding_shows_what_it_cannot_hold_as_an_escape(rare_return):
    done = _nianbao("check", rare_return, "--format", "json", encoding="latin-1")
    assert done.returncode == 0, done.stderr
    said = done.stdout.decode("latin-1")
    assert "\\U00020bb7" in said and '"status": "ok"' in said


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full (a full disk)")
def test_output_to_a_full_disk_is_the_users_matter_not_an_internal_error(rare_return):
    with open("/dev/full", "w") as full:
        done = _nianbao("check", rare_return, encoding="utf-8", stdout=full)
    said = done.stderr.decode()
    assert done.returncode == 2, said
    assert "结果无法写出（磁盘已满）" in said
    assert "内部出错" not in said and "Traceback" not in said
