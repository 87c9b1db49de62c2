"""What publish says before it writes: a narrative whose figures contradict the tables being
published (N01–N06, as check would say of the published page), and a report printed with
（六）其他处理 as one row (L08), which is published as check judges it: a warning."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from nianbao.cli import cli
from nianbao.pipeline.check import read_one

ROOT = Path(__file__).resolve().parent.parent
EDU = ROOT / "samples" / "2021" / "道外区教育局.xlsx"


def run(*args: object):
    return CliRunner().invoke(cli, [str(a) for a in args])


def test_a_narrative_contradicting_the_tables_is_said_and_the_report_published(tmp_path):
    received = read_one(EDU).completed()["三:1:c7"]  # type: ignore[union-attr]
    text = tmp_path / "文字.txt"
    text.write_text(
        f"一、总体情况\n全年共收到政府信息公开申请{received + 980}件。\n", encoding="utf-8"
    )
    target = tmp_path / "年报.html"
    result = run("publish", EDU, "-o", target, "--narrative", text)
    assert result.exit_code == 0, result.output
    assert target.is_file()
    assert (
        f"注意：叙述文字与统计表不一致（N01）：正文称「全年共收到政府信息公开申请{received + 980}件」"
        in result.output
    )
    assert f"列为 {received}。" in result.output


def test_a_narrative_agreeing_with_the_tables_says_nothing_more(tmp_path):
    received = read_one(EDU).completed()["三:1:c7"]  # type: ignore[union-attr]
    text = tmp_path / "文字.txt"
    text.write_text(f"一、总体情况\n全年共收到政府信息公开申请{received}件。\n", encoding="utf-8")
    result = run("publish", EDU, "-o", tmp_path / "年报.html", "--narrative", text)
    assert result.exit_code == 0, result.output
    assert "叙述文字与统计表不一致" not in result.output


def test_a_report_with_other_handling_as_one_row_is_republished_as_read(tmp_path):
    """L08 is a warning in check, and publish judges as check does: the report is printed with
    its one row (no items invented) and reads back with the same figures. Only merge, which
    adds the items up, refuses it."""
    from nianbao.form.v2021 import ONE_ROW_OTHER
    from nianbao.recognise.reader import read_return
    from tests.support.documents import Printing, report_html
    from tests.support.returns import valid_return

    source = valid_return(ONE_ROW_OTHER, seed=9)
    page = tmp_path / "报告.html"
    title = "某某区人民政府\n2024年政府信息公开工作年度报告"
    page.write_text(
        report_html(ONE_ROW_OTHER, source.values, Printing(title=title)), encoding="utf-8"
    )
    target = tmp_path / "重发.docx"
    result = run("publish", page, "-o", target)
    assert result.exit_code == 0, result.output
    assert "[L08 警告]" in result.output and "--skip-invalid" not in result.output
    again = read_return(target)
    assert again.form is ONE_ROW_OTHER and again.values == source.values
