"""Outputs are atomic, never clobber an input, and never escape their folder."""

from pathlib import Path

import pytest

from nianbao.errors import UserError
from nianbao.outputs import (
    atomic_output,
    claim_outputs,
    refuse_overwriting_inputs,
    safe_filename,
)


def test_atomic_output_replaces_the_target_only_on_success(tmp_path):
    target = tmp_path / "out.xlsx"
    target.write_text("old")
    with pytest.raises(RuntimeError):
        with atomic_output(target) as tmp:
            tmp.write_text("half written")
            raise RuntimeError("interrupted")
    assert target.read_text() == "old"
    assert list(tmp_path.iterdir()) == [target]  # no temporary file left behind
    with atomic_output(target) as tmp:
        tmp.write_text("new")
    assert target.read_text() == "new"


@pytest.mark.parametrize(
    "name",
    [
        "../../etc/passwd",
        "a/b\\c",
        "CON",
        "  ..  ",
        "",
        '=HYPERLINK("x")',
        "单位:名?称*",
        "x" * 400,
    ],
)
def test_safe_filename_cannot_escape_its_folder(tmp_path, name):
    safe = safe_filename(name)
    assert safe and "/" not in safe and "\\" not in safe and safe not in {".", ".."}
    assert len(safe.encode()) <= 180
    assert (tmp_path / f"{safe}.xlsx").resolve().parent == tmp_path.resolve()


def test_safe_filename_keeps_ordinary_chinese_names():
    assert safe_filename("道外区水泥路街道办事处") == "道外区水泥路街道办事处"


def test_safe_filename_leaves_out_invisible_characters():
    # A right-to-left override shows 「局\u202e倒序.docx」 as 「局xcod.序倒」 in a file manager;
    # a zero-width space makes two names that look the same. Neither belongs in a file name.
    assert safe_filename("道外区\u200b财政局\u202e倒序\u2066") == "道外区财政局倒序"
    assert safe_filename("\u200b\u200e") == "未命名单位"


def test_output_equal_to_an_input_is_refused_however_spelled(tmp_path, monkeypatch):
    source = tmp_path / "a.xlsx"
    source.write_bytes(b"x")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(UserError, match="同一个文件"):
        refuse_overwriting_inputs(Path("./sub/../a.xlsx"), [source])
    refuse_overwriting_inputs(tmp_path / "b.xlsx", [source])


def test_a_file_system_refusal_is_told_in_chinese(tmp_path):
    from nianbao.form.findings import Rule
    from nianbao.pipeline.check import read_one

    loop = tmp_path / "自身.xlsx"
    loop.symlink_to(loop.name)  # a link to itself: the system says "Too many levels of ..."
    finding = read_one(loop)
    assert finding.rule is Rule.F01
    assert "符号链接循环指向自身" in finding.message and "levels" not in finding.message


SAMPLES = Path(__file__).resolve().parent.parent / "samples"


@pytest.mark.parametrize(
    "options",
    [
        ["merge", "--roster", SAMPLES / "roster-2021.csv", "-o", "汇总.xlsx"],
        ["status", "--roster", SAMPLES / "roster-2021.csv"],
        ["check", "--previous", SAMPLES / "2020" / "道外区教育局.xlsx"],
        ["check", "--accept", "说明.csv"],
    ],
    ids=["merge --roster", "status --roster", "check --previous", "check --accept"],
)
def test_a_link_loop_in_the_folder_is_unreadable_whatever_else_is_given(
    tmp_path, monkeypatch, options
):
    from click.testing import CliRunner

    from nianbao.cli import cli

    monkeypatch.chdir(tmp_path)
    inbox = tmp_path / "收回"
    inbox.mkdir()
    (inbox / "道外区教育局.xlsx").write_bytes((SAMPLES / "2021" / "道外区教育局.xlsx").read_bytes())
    (inbox / "loopA").symlink_to("loopB")
    (inbox / "loopB").symlink_to("loopA")
    Path("说明.csv").write_text("单位,规则,单元格,说明\n", encoding="utf-8")
    command, *rest = options
    result = CliRunner().invoke(cli, [command, str(inbox), *map(str, rest)])
    assert isinstance(result.exception, SystemExit), result.exception  # no internal error
    assert result.exit_code == 2, result.output
    assert "符号链接循环指向自身" in result.output


def _written_meanwhile(target: Path) -> None:
    """What another run (or a person saving a file) does while this one writes ``target``."""
    target.write_bytes(b"theirs")


@pytest.mark.parametrize("links", [True, False], ids=["hard links", "no hard links"])
def test_a_file_created_while_the_output_was_written_is_not_replaced(tmp_path, monkeypatch, links):
    if not links:  # FAT, some network shares: os.link fails, the check is made just before

        def no_link(*_args: object) -> None:
            raise PermissionError(1, "Operation not permitted")

        monkeypatch.setattr("nianbao.outputs.os.link", no_link)
    target = tmp_path / "汇总.xlsx"
    claim_outputs([target], force=False)
    with pytest.raises(UserError, match="在本次运行期间已被创建"):
        with atomic_output(target) as tmp:
            tmp.write_bytes(b"ours")
            _written_meanwhile(target)
    assert target.read_bytes() == b"theirs"
    assert [p.name for p in tmp_path.iterdir()] == ["汇总.xlsx"]

    other = tmp_path / "新.xlsx"
    claim_outputs([other], force=False)
    with atomic_output(other) as tmp:
        tmp.write_bytes(b"ours")
    assert other.read_bytes() == b"ours"


def test_a_forced_output_replaces_the_file_it_was_told_to(tmp_path):
    target = tmp_path / "汇总.xlsx"
    claim_outputs([target], force=False)
    with atomic_output(target) as tmp:
        tmp.write_bytes(b"first")
    claim_outputs([target], force=True)
    with atomic_output(target) as tmp:
        tmp.write_bytes(b"second")
    assert target.read_bytes() == b"second"


def test_a_claimed_output_once_written_may_be_written_again_by_the_same_process(tmp_path):
    """The claim is for one output: a later write of that path in the same process (a library
    user, a test) is not refused as if another run had made the file."""
    target = tmp_path / "r.xlsx"
    claim_outputs([target], force=False)
    with atomic_output(target) as tmp:
        tmp.write_bytes(b"first")
    with atomic_output(target) as tmp:
        tmp.write_bytes(b"second")
    assert target.read_bytes() == b"second"
