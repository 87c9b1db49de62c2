"""text.py: one policy each for names and invisible characters, exact however fast."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

from nianbao.text import _hidden, clean, shown_name, unit_key, visible


def test_every_hidden_character_is_one_isprintable_rejects():
    """visible() and clean() return printable text untouched without looking at each
    character; that is only right if no hidden character is printable, in all of Unicode."""
    printable_but_hidden = [
        hex(code)
        for code in range(sys.maxunicode + 1)
        if _hidden(chr(code)) and chr(code).isprintable()
    ]
    assert printable_but_hidden == []


def test_names_with_and_without_invisible_characters_fold_alike():
    assert unit_key("道外区\u200b财政局") == unit_key("道外区财政局") == "道外区财政局"
    assert unit_key("（道外区）\u3000财政局\u202e") == "(道外区)财政局"
    assert visible("甲\t乙\n丙\u200d") == "甲\t乙\n丙"
    assert clean("甲\x1b[31m乙\n丙") == "甲�[31m乙 丙"
    assert clean("道外区财政局") == "道外区财政局"


@pytest.mark.parametrize(
    "name",
    ["表三街道.xlsx", "负数乡镇.xlsx", "损坏文件.xlsx", "丂乗弢.xlsx"],  # 街道: D6 B5 is UTF-8
)
def test_a_file_name_in_gbk_bytes_is_shown_as_gb18030(name):
    # a Windows zip unpacked on Linux: os.fsdecode keeps GBK bytes as lone surrogates
    raw = os.fsdecode(name.encode("gbk"))
    assert shown_name(raw) == name
    assert shown_name(f"收回/{raw}（某局）") == f"收回/{name}（某局）"
    assert clean(f"文件「{raw}」与「{raw}」") == f"文件「{name}」与「{name}」"


def test_bytes_that_are_neither_utf8_nor_gb18030_are_shown_as_replacement_characters():
    assert shown_name(os.fsdecode(b"\xff\xfe.xlsx")) == "\ufffd\ufffd.xlsx"
    assert shown_name("某局\udcb3.xlsx") == "某局\ufffd.xlsx"  # a lead byte without its pair
    assert shown_name("a\ud800b") == "a\ufffdb"  # a surrogate that is no byte of a name
    assert shown_name("道外区教育局.xlsx") == "道外区教育局.xlsx"


@pytest.mark.skipif(sys.platform != "linux", reason="file names as bytes: Linux")
def test_files_named_in_gbk_are_told_apart_in_check(tmp_path):
    from click.testing import CliRunner

    from nianbao.cli import cli

    samples = Path(__file__).resolve().parent.parent / "samples" / "broken"
    for sample, name in [
        ("表三不平衡-示例街道.xlsx", "表三街道.xlsx"),
        ("负数-示例镇.xlsx", "负数乡镇.xlsx"),
        ("损坏的文件.xlsx", "损坏文件.xlsx"),
    ]:
        target = os.fsencode(tmp_path) + b"/" + name.encode("gbk")
        with open(target, "wb") as out:
            out.write((samples / sample).read_bytes())
    result = CliRunner().invoke(cli, ["check", str(tmp_path)])
    for name in ("表三街道.xlsx", "负数乡镇.xlsx", "损坏文件.xlsx"):
        assert f"{tmp_path / name}" in result.output
    result = CliRunner().invoke(cli, ["check", str(tmp_path), "--format", "json"])
    paths = {entry["path"] for entry in json.loads(result.output)["files"]}
    assert paths == {str(tmp_path / n) for n in ("表三街道.xlsx", "负数乡镇.xlsx", "损坏文件.xlsx")}
