"""`nianbao publish` end to end: what it writes, what it refuses, and what it says."""

from __future__ import annotations

import contextlib
import os
import threading
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from nianbao.cli import cli
from nianbao.errors import UserError
from nianbao.form import get_form
from nianbao.xlsx.writer import write_return
from tests.support.readback import docx_tables, html_page
from tests.support.returns import valid_return

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
EDU = SAMPLES / "2021" / "道外区教育局.xlsx"
TITLE = "道外区教育局2021年政府信息公开工作年度报告"


def run(*args: object):
    return CliRunner().invoke(cli, [str(a) for a in args])


def refused(result, message: str) -> bool:
    """The command stopped with a UserError (``nianbao`` prints it and exits 2) saying this."""
    return isinstance(result.exception, UserError) and message in str(result.exception)


def leftovers(folder: Path) -> list[str]:
    """Temporary files an interrupted or failed write could leave."""
    return [p.name for p in folder.rglob("*") if p.name.startswith(".") or p.suffix == ".tmp"]


@pytest.mark.parametrize("suffix", [".docx", ".html"])
def test_the_suffix_picks_the_format(tmp_path, suffix):
    target = tmp_path / f"年报{suffix}"
    result = run("publish", EDU, "-o", target)
    assert result.exit_code == 0, result.output
    assert f"已生成：{target}" in result.output and "9 处「（请填写：…）」待填写" in result.output
    if suffix == ".docx":
        assert docx.Document(str(target)).paragraphs[0].text.replace("\n", "") == TITLE
    else:
        assert html_page(target).findtext(".//h1") == TITLE
    assert leftovers(tmp_path) == []


def test_an_existing_file_is_kept_unless_force(tmp_path):
    target = tmp_path / "年报.docx"
    target.write_bytes(b"the office's edited report")
    result = run("publish", EDU, "-o", target)
    assert refused(result, "已经存在") and refused(result, "--force")
    assert target.read_bytes() == b"the office's edited report"
    result = run("publish", EDU, "-o", target, "--force")
    assert result.exit_code == 0, result.output
    assert len(docx_tables(target)) == 3


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-o", "年报.pdf"], "以 .docx（Word 文档）或 .html（网页）结尾"),
        (["-o", "年报"], "以 .docx（Word 文档）或 .html（网页）结尾"),
        ([], "请用 -o 指定年报文件"),
        (["-o", "a.docx", "--out-dir", "x"], "请用 -o 指定年报文件"),
        (["-o", "a.docx", "--format", "html"], "不需要 --format"),
        (["--out-dir", "x", "--narrative", "n.txt"], "--narrative 只能用于一份报表"),
    ],
)
def test_argument_problems_are_refused_in_chinese_before_reading(tmp_path, args, message):
    result = run("publish", EDU, *args)
    assert refused(result, message)


def test_several_returns_need_out_dir(tmp_path):
    result = run("publish", SAMPLES / "2021", "-o", tmp_path / "a.docx")
    assert refused(result, "请用 --out-dir")
    assert not (tmp_path / "a.docx").exists()


def test_a_folder_publishes_one_document_per_unit_named_by_title(tmp_path):
    out = tmp_path / "年报"
    result = run(
        "publish", SAMPLES / "2020", "--out-dir", out, "--format", "docx", "--format", "html"
    )
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in out.iterdir())
    assert len(names) == 20 and "道外区教育局2020年政府信息公开工作年度报告.docx" in names
    assert "共 10 份报表：已生成年报 10 份，未发布 0 份。" in result.output
    assert leftovers(out) == []


def test_returns_with_errors_are_not_published_and_the_rest_are(tmp_path):
    out = tmp_path / "年报"
    result = run("publish", SAMPLES / "2021", SAMPLES / "broken", "--out-dir", out)
    assert result.exit_code == 2  # one broken file cannot even be read
    written = {p.name for p in out.iterdir()}
    assert len(written) == 9 and all(n.startswith("道外区") for n in written)
    assert "[E1 错误]" in result.output and "→ 未发布：有 2 个错误" in result.output
    assert "[V01 错误]" in result.output and "损坏的文件.xlsx" in result.output
    assert "共 15 份报表：已生成年报 9 份，未发布 6 份。" in result.output


def test_a_return_with_errors_alone_exits_1_and_writes_nothing(tmp_path):
    target = tmp_path / "年报.docx"
    result = run("publish", SAMPLES / "broken" / "表三不平衡-示例街道.xlsx", "-o", target)
    assert result.exit_code == 1 and "未发布" in result.output
    assert not target.exists() and leftovers(tmp_path) == []


def test_warnings_are_shown_and_the_return_is_published(tmp_path):
    target = tmp_path / "年报.html"
    result = run("publish", SAMPLES / "seed" / "道外区水泥路街道办事处-2021.xlsx", "-o", target)
    assert result.exit_code == 0, result.output
    assert "[V06 警告]" in result.output and "照常发布" in result.output
    assert target.exists()


def test_a_return_without_unit_takes_unit_and_year_from_the_options(tmp_path):
    form = get_form("2021")
    source = tmp_path / "无名.xlsx"
    write_return(source, form, valid_return(form, 3, unit=None, year=None))
    result = run("publish", source, "-o", tmp_path / "a.docx")
    assert result.exit_code == 1 and "[C01 错误]" in result.output
    result = run("publish", source, "-o", tmp_path / "a.docx", "--unit", "某局")
    assert result.exit_code == 1 and "没有报告年度" in result.output
    result = run("publish", source, "-o", tmp_path / "a.docx", "--unit", "某局", "--year", "2023")
    assert result.exit_code == 0, result.output
    first = docx.Document(str(tmp_path / "a.docx")).paragraphs[0].text.replace("\n", "")
    assert first == "某局2023年政府信息公开工作年度报告"


def test_the_narrative_option_fills_the_parts_and_says_what_is_left(tmp_path):
    text = tmp_path / "文字.txt"
    text.write_text("一、总体情况\n（一）主动公开\n全年主动公开信息100条。\n", encoding="gbk")
    target = tmp_path / "年报.docx"
    result = run("publish", EDU, "-o", target, "--narrative", text)
    assert result.exit_code == 0, result.output
    assert "没有「五、存在的主要问题及改进情况」部分" in result.output
    assert "没有「一、总体情况」" not in result.output
    paragraphs = [p.text for p in docx.Document(str(target)).paragraphs]
    assert "全年主动公开信息100条。" in paragraphs
    assert "4 处「（请填写：…）」待填写" in result.output  # opening 2, 五, 六


def test_a_missing_narrative_file_is_a_clear_error(tmp_path):
    result = run("publish", EDU, "-o", tmp_path / "a.docx", "--narrative", tmp_path / "无.txt")
    assert refused(result, "无法读取叙述文件")
    assert not (tmp_path / "a.docx").exists()


def test_publish_is_listed_with_the_other_commands():
    result = run("--help")
    assert "publish" in result.output and "生成年度报告" in result.output


def test_reports_published_into_the_input_folder_are_not_read_as_returns_next_time(tmp_path):
    inputs = tmp_path / "收回"
    inputs.mkdir()
    for name in ("道外区教育局.xlsx", "道外区财政局.xlsx"):
        (inputs / name).write_bytes((SAMPLES / "2021" / name).read_bytes())
    for _ in range(2):
        result = run("publish", inputs, "--out-dir", inputs / "年报", "--force")
        assert result.exit_code == 0, result.output
        assert "共 2 份报表：已生成年报 2 份" in result.output
    assert len(list((inputs / "年报").iterdir())) == 2


def test_a_published_report_can_be_republished_in_the_other_format(tmp_path):
    word = tmp_path / "年报.docx"
    assert run("publish", EDU, "-o", word).exit_code == 0
    result = run("publish", word, "-o", tmp_path / "年报.html")
    assert result.exit_code == 0, result.output
    assert html_page(tmp_path / "年报.html").findtext(".//h1") == TITLE
    assert refused(run("publish", word, "-o", word, "--force"), "同一个文件")


def test_files_in_the_folder_that_are_no_returns_are_listed_and_do_not_fail_the_run(tmp_path):
    inputs = tmp_path / "收回"
    inputs.mkdir()
    (inputs / "道外区教育局.xlsx").write_bytes(EDU.read_bytes())
    (inputs / "说明.txt").write_text("今年的报表请于一月底前报送。", encoding="utf-8")
    (inputs / "~$道外区教育局.xlsx").write_bytes(b"lock")
    result = run("publish", inputs, "--out-dir", tmp_path / "年报")
    assert result.exit_code == 0, result.output
    assert "说明.txt" in result.output and "已跳过 1 个 Excel / WPS 临时锁定文件" in result.output
    assert "已生成年报 1 份，未发布 0 份（另有 1 个不是报表）" in result.output
    assert [p.name for p in (tmp_path / "年报").iterdir()] == [f"{TITLE}.docx"]


def test_the_narrative_file_is_an_input_and_never_written_over(tmp_path):
    text = tmp_path / "年报.html"
    text.write_text("一、总体情况\n全年主动公开信息100条。\n", encoding="utf-8")
    before = text.read_bytes()
    result = run("publish", EDU, "-o", text, "--narrative", text, "--force")
    assert refused(result, "是同一个文件")
    assert text.read_bytes() == before


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes: POSIX")
def test_a_narrative_that_is_a_pipe_or_a_device_is_refused_before_it_is_opened(tmp_path):
    # a pipe is read until its writer closes it (forever, when nobody writes), /dev/zero
    # until the memory is full: neither is a narrative, and neither may be opened
    pipe = tmp_path / "文字.txt"
    os.mkfifo(pipe)

    # a writer, so that reading the pipe (the bug) ends and fails the test instead of hanging
    def write() -> None:
        with contextlib.suppress(OSError):  # the reader below may have closed it already
            pipe.write_text("一、总体情况\n", encoding="utf-8")

    writer = threading.Thread(target=write)
    writer.start()
    target = tmp_path / "年报.docx"
    try:
        result = run("publish", EDU, "-o", target, "--narrative", pipe)
    finally:
        os.close(os.open(pipe, os.O_RDONLY | os.O_NONBLOCK))  # lets a writer still waiting go
        writer.join()
    assert refused(result, f"叙述文件 {pipe} 不是普通文件（可能是设备、管道等特殊文件）")
    assert not target.exists()
    if os.path.exists("/dev/zero"):
        result = run("publish", EDU, "-o", target, "--narrative", "/dev/zero")
        assert refused(result, "叙述文件 /dev/zero 不是普通文件") and not target.exists()


def test_only_reports_under_the_names_publish_gives_are_last_runs_in_the_output_folder(tmp_path):
    inputs = tmp_path / "收回"
    inputs.mkdir()
    (inputs / "道外区教育局.xlsx").write_bytes(EDU.read_bytes())
    finance = SAMPLES / "2021" / "道外区财政局.xlsx"
    assert run("publish", finance, "-o", inputs / "财政局网站年报.html").exit_code == 0
    # a unit's own published report, downloaded from its website: a return like the others
    result = run("publish", inputs, "--out-dir", inputs, "--format", "html")
    assert result.exit_code == 0, result.output
    assert "共 2 份报表：已生成年报 2 份" in result.output
    assert "上次生成的年报" not in result.output
    # what that run wrote is last run's output the next time, and only that
    result = run("publish", inputs, "--out-dir", inputs, "--format", "html", "--force")
    assert result.exit_code == 0, result.output
    assert "已跳过 2 个上次生成的年报" in result.output
    assert "共 2 份报表：已生成年报 2 份" in result.output
    assert sorted(p.name for p in inputs.iterdir()) == sorted(
        [
            "道外区教育局.xlsx",
            "财政局网站年报.html",
            "道外区教育局2021年政府信息公开工作年度报告.html",
            "道外区财政局2021年政府信息公开工作年度报告.html",
        ]
    )


def test_a_unit_with_two_different_returns_in_the_folder_is_not_published(tmp_path):
    """A corrected return beside the first: which is the unit's cannot be told, so neither is
    published (a report under the plain name with the superseded figures was)."""
    form = get_form("2021")
    inputs = tmp_path / "收回"
    inputs.mkdir()
    for seed, name in ((1, "东二街道v1.xlsx"), (2, "东二街道v2（更正）.xlsx")):
        write_return(inputs / name, form, valid_return(form, seed, unit="东二街道", year=2025))
    (inputs / "道外区教育局.xlsx").write_bytes(EDU.read_bytes())

    result = run("publish", inputs, "--out-dir", tmp_path / "年报")

    assert result.exit_code == 1, result.output
    assert "单位「东二街道」有 2 份数字不同的报表" in result.output
    assert "共 3 份报表：已生成年报 1 份，未发布 2 份。" in result.output
    assert [p.name for p in (tmp_path / "年报").iterdir()] == [
        "道外区教育局2021年政府信息公开工作年度报告.docx"
    ]


def test_a_copy_of_a_return_is_published_once(tmp_path):
    inputs = tmp_path / "收回"
    inputs.mkdir()
    (inputs / "道外区教育局.xlsx").write_bytes(EDU.read_bytes())
    (inputs / "道外区教育局(1).xlsx").write_bytes(EDU.read_bytes())

    result = run("publish", inputs, "--out-dir", tmp_path / "年报")

    assert result.exit_code == 0, result.output
    assert "同一份报表（数字完全相同），只按" in result.output
    assert f"只按 {inputs / '道外区教育局.xlsx'} 发布一份" in result.output  # not the (1)
    assert "已生成年报 1 份，未发布 0 份（另有 1 份是已发布报表的副本）" in result.output
    assert len(list((tmp_path / "年报").iterdir())) == 1


def test_a_units_returns_under_its_code_or_its_place_and_one_with_errors_are_one_unit(tmp_path):
    """Two returns of one unit are one unit's however its cover is typed (the template's code,
    the place added before its name), and one with errors beside it may be the correction:
    none is published (one was, under each name, or the one without errors alone)."""
    form = get_form("2021")
    inputs = tmp_path / "收回"
    inputs.mkdir()
    first = valid_return(form, 1, unit="道外区财政局", year=2025)
    write_return(inputs / "财政局.xlsx", form, first)
    again = valid_return(form, 2, unit="哈尔滨市道外区财政局", year=2025)
    write_return(inputs / "财政局(2).xlsx", form, again)
    broken = valid_return(form, 3, unit="道外区教育局", year=2025)
    write_return(inputs / "教育局.xlsx", form, broken)
    wrong = valid_return(form, 4, unit="道外区教育局", year=2025)
    wrong.values["三:1:c1"] = 999  # 表三 no longer balances: errors
    write_return(inputs / "教育局(更正).xlsx", form, wrong)

    result = run("publish", inputs, "--out-dir", tmp_path / "年报")

    assert result.exit_code == 1, result.output
    assert "已生成年报 0 份" in result.output
    assert (
        "有 2 份数字不同的报表" in result.output and "本单位还有另一份报表（有错误" in result.output
    )
    assert not (tmp_path / "年报").exists()
