"""A fault of nianbao's own never shows a traceback, and one report that cannot be written does
not stop the others (found by a sweep: a long 填报单位 crashed `publish` to Word)."""

from __future__ import annotations

import sys
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from nianbao import cli as cli_module
from nianbao.cli import cli
from nianbao.errors import INTERNAL_ERROR_EXIT
from nianbao.form import get_form
from nianbao.xlsx.writer import write_return
from tests.support.returns import valid_return

ROOT = Path(__file__).resolve().parent.parent
EDU = ROOT / "samples" / "2021" / "道外区教育局.xlsx"
# A unit cell with a note pasted after the name: longer than a Word property may be (255).
LONG_UNIT = (
    "某某区住房和城乡建设局（本表由局办公室汇总填报，含局属事业单位" + "、某某服务中心" * 40 + "）"
)


def run(*args: object):
    return CliRunner().invoke(cli, [str(a) for a in args])


def returns_folder(tmp_path: Path, units: list[str]) -> Path:
    folder = tmp_path / "收回"
    folder.mkdir()
    form = get_form("2021")
    for i, unit in enumerate(units):
        write_return(folder / f"{i}.xlsx", form, valid_return(form, i, unit=unit, year=2025))
    return folder


def test_a_unit_name_longer_than_a_word_property_is_published_whole_in_the_body(tmp_path):
    folder = returns_folder(tmp_path, [LONG_UNIT])
    target = tmp_path / "年报.docx"
    result = run("publish", folder / "0.xlsx", "-o", target)
    assert result.exit_code == 0, result.output
    document = docx.Document(str(target))
    title = f"{LONG_UNIT}2025年政府信息公开工作年度报告"
    assert document.paragraphs[0].text.replace("\n", "") == title
    props = document.core_properties
    assert len(props.title) == 255 and props.title.endswith("…")
    assert title.startswith(props.title[:-1])
    assert len(props.author) <= 255


def test_one_report_that_fails_to_write_does_not_stop_the_others(tmp_path, monkeypatch):
    from nianbao.documents import docx as word

    folder = returns_folder(tmp_path, ["甲局", "乙局"])
    real = word._set_properties

    def fail_for_one(document, report):
        if report.unit == "甲局":
            raise ValueError("a fault of nianbao's own")
        real(document, report)

    monkeypatch.setattr(word, "_set_properties", fail_for_one)
    out = tmp_path / "年报"
    result = run("publish", folder, "--out-dir", out, "--format", "docx")
    assert result.exit_code == 2
    assert "nianbao 内部出错" in result.output and "甲局" in result.output
    assert "Traceback" not in result.output
    written = sorted(p.name for p in out.iterdir())
    assert written == ["乙局2025年政府信息公开工作年度报告.docx"]
    assert "已生成年报 1 份，未发布 1 份" in result.output


def test_a_fault_of_nianbaos_own_is_a_chinese_message_and_exit_3(tmp_path, monkeypatch, capsys):
    from nianbao.pipeline import export

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(export, "export_returns", broken)
    monkeypatch.setattr(sys, "argv", ["nianbao", "export", str(EDU), "-o", str(tmp_path / "x.csv")])
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    code = cli_module._run()
    err = capsys.readouterr().err
    assert code == INTERNAL_ERROR_EXIT == 3
    assert "nianbao 内部出错" in err and "RuntimeError: boom" in err
    assert "Traceback" not in err
    (log,) = tmp_path.glob("nianbao-内部错误-*.txt")
    assert "Traceback" in log.read_text(encoding="utf-8") and "boom" in log.read_text("utf-8")
    assert str(log) in err.replace("\n", "")


@pytest.mark.parametrize("into", [".", "收回"])
def test_publishing_into_a_folder_holding_the_returns_reads_the_returns(
    tmp_path, monkeypatch, into
):
    returns_folder(tmp_path, ["甲局", "乙局"])
    monkeypatch.chdir(tmp_path)
    result = run("publish", "收回", "--out-dir", into, "--format", "html")
    assert result.exit_code == 0, result.output
    assert "已生成年报 2 份" in result.output
    published = sorted(p.name for p in Path(into).glob("*.html"))
    assert published == [
        "乙局2025年政府信息公开工作年度报告.html",
        "甲局2025年政府信息公开工作年度报告.html",
    ]
    # a rerun sets last run's reports aside (they are not inputs), and does not replace them
    before = {p: p.read_bytes() for p in Path(into).glob("*.html")}
    again = run("publish", "收回", "--out-dir", into, "--format", "html")
    if into == "收回":  # inside the input folder: seen, and set aside
        assert "已跳过 2 个上次生成的年报" in again.output
    assert "已经存在" in str(again.exception)
    assert {p: p.read_bytes() for p in Path(into).glob("*.html")} == before
