"""No file is ever lost, nothing is skipped in silence, no run ever dies (issue 9, files and batch).

Outputs: nothing existing is replaced without --force, an input never; unwritable outputs are
a Chinese message and exit 2; a killed run's temporary files are removed by the next run.
Folders: every file is read by content or named as not read; summaries and annotated copies
among the returns are recognised. Units: one unit_key everywhere. Batches: a reader that
aborts, segfaults, is killed or hangs on one file costs that file only.

Runs that could kill or hang the test process on a build without these protections go through
a subprocess with a timeout.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from nianbao.cli import cli
from nianbao.errors import UserError
from nianbao.form import get_form
from nianbao.recognise.reader import read_return
from nianbao.sources.roster import read_roster
from nianbao.xlsx.summary import STATUS_SHEET
from nianbao.xlsx.writer import write_return
from tests.support import badfiles
from tests.support.foreign import ForeignStyle, write_foreign
from tests.support.pdfs import Page, tiny_pdf
from tests.support.returns import consistent_previous, inputs_of, valid_return

FORM = get_form("2021")
SRC = Path(__file__).resolve().parents[1] / "src"
UNITS = ["甲街道办事处", "乙局", "丙镇人民政府", "丁局", "戊局", "己局"]


def write_unit(folder: Path, unit: str, seed: int, *, name: str | None = None, year: int = 2021):
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / (name or f"{unit}.xlsx")
    write_return(path, FORM, valid_return(FORM, seed, unit=unit, year=year))
    return path


@pytest.fixture(scope="module")
def returns(tmp_path_factory) -> Path:
    """A returns folder of six valid 2021 returns, one per unit."""
    folder = tmp_path_factory.mktemp("trust") / "收回"
    for seed, unit in enumerate(UNITS):
        write_unit(folder, unit, seed)
    return folder


@pytest.fixture
def inbox(returns, tmp_path) -> Path:
    """A private copy of the returns folder (tests may add files to it)."""
    folder = tmp_path / "收回"
    shutil.copytree(returns, folder)
    return folder


def run(*args: object):
    return CliRunner().invoke(cli, [str(a) for a in args])


def real(*args: object, before: str = "", timeout: float = 120) -> subprocess.CompletedProcess:
    """The real command in a fresh interpreter; ``before`` is Python run first (to inject a
    failure). A run that never ends fails the test instead of hanging it."""
    code = f"{before}\nfrom nianbao.cli import main\nmain()\n"
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    return subprocess.run(
        [sys.executable, "-c", code, *map(str, args)],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
    )


def hashes(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def summed(paths) -> dict[str, object]:
    """The hand-computed sum of the input cells of ``paths``."""
    total: dict[str, object] = {}
    for path in paths:
        for key, value in inputs_of(read_return(path)).items():
            total[key] = total.get(key, 0) + (value or 0)
    return total


# -- outputs: never replaced without --force, an input never -------------------------------------


def _command(kind: str, folder: Path, target: Path) -> list[object]:
    return {
        "merge": ["merge", folder, "-o", target],
        "export": ["export", folder, "-o", target],
        "template": ["template", "--year", "2021", "-o", target],
    }[kind]


@pytest.mark.parametrize(
    ("kind", "name"),
    [("merge", "汇总.xlsx"), ("export", "数据.csv"), ("template", "模板.xlsx")],
)
def test_every_command_refuses_to_replace_an_existing_output_without_force(
    returns, tmp_path, kind, name
):
    target = tmp_path / name
    target.write_bytes(b"someone's work")
    result = run(*_command(kind, returns, target))
    assert isinstance(result.exception, UserError) and result.exception.exit_code == 2
    assert "已经存在" in str(result.exception) and "--force" in str(result.exception)
    assert target.read_bytes() == b"someone's work"
    forced = run(*_command(kind, returns, target), "--force")
    assert forced.exit_code == 0, forced.output
    assert target.read_bytes() != b"someone's work"


def test_check_annotate_refuses_to_replace_an_existing_copy_without_force(inbox, tmp_path):
    bad = valid_return(FORM, 40, unit="错表局", year=2021)
    bad.values["三:1:c1"] = "五"
    write_return(inbox / "错表局.xlsx", FORM, bad)
    out = tmp_path / "退回"
    out.mkdir()
    (out / "错表局-校验意见.xlsx").write_bytes(b"sent back last week")
    result = run("check", inbox, "--annotate", out)
    assert result.exit_code == 2 and "已经存在" in result.stderr and "--force" in result.stderr
    assert "未生成任何批注副本" in result.stderr
    assert (out / "错表局-校验意见.xlsx").read_bytes() == b"sent back last week"
    assert run("check", inbox, "--annotate", out, "--force").exit_code == 1
    assert openpyxl.load_workbook(out / "错表局-校验意见.xlsx").sheetnames[0] == "校验意见"


def test_force_is_one_shared_option_with_the_same_help_everywhere():
    helps = set()
    for name in ("template", "check", "merge", "export", "status", "publish"):
        command = cli.get_command(None, name)  # type: ignore[arg-type]
        (option,) = [p for p in command.params if p.name == "force"]
        helps.add(option.help)
    assert len(helps) == 1 and "输入文件" in helps.pop()


def test_last_runs_reports_in_the_publish_folder_are_set_aside_and_said(returns, tmp_path):
    inbox = tmp_path / "收回"
    shutil.copytree(returns, inbox)
    for _ in range(2):
        result = run("publish", inbox, "--out-dir", inbox / "年报", "--force")
        assert result.exit_code == 0, result.output
    # the second run found the first run's reports among the inputs: not read, and said
    assert f"已跳过 {len(UNITS)} 个上次生成的年报" in result.stderr
    assert len(list((inbox / "年报").iterdir())) == len(UNITS)


@pytest.mark.parametrize("force", [False, True])
def test_merge_into_the_returns_folder_never_replaces_a_units_return(inbox, force):
    victim = inbox / "乙局.xlsx"
    before = victim.read_bytes()
    result = run("merge", inbox, "-o", victim, *(["--force"] if force else []))
    assert isinstance(result.exception, UserError) and result.exception.exit_code == 2
    assert "同一个文件" in str(result.exception)
    assert victim.read_bytes() == before


@pytest.mark.parametrize("command", ["merge", "status"])
def test_an_output_onto_last_years_return_in_the_previous_folder_is_refused_with_force(
    inbox, tmp_path, command
):
    # --previous 去年/ names a folder: its returns are inputs as much as a file named directly
    last_year = tmp_path / "去年"
    victim = write_unit(last_year, "乙局", 7, year=2020)
    before = victim.read_bytes()
    result = run(command, inbox, "--previous", last_year, "-o", victim, "--force")
    assert isinstance(result.exception, UserError) and result.exception.exit_code == 2
    assert "同一个文件" in str(result.exception)
    assert victim.read_bytes() == before


def test_check_annotate_into_the_returns_folder_twice_touches_nothing_already_there(inbox):
    bad = valid_return(FORM, 41, unit="错表局", year=2021)
    bad.values["三:1:c1"] = "五"
    write_return(inbox / "错表局.xlsx", FORM, bad)
    first = run("check", inbox, "--annotate", inbox)
    assert first.exit_code == 1, first.output
    copy = inbox / "错表局-校验意见.xlsx"
    assert copy.exists()
    before = hashes(inbox)
    for force in ((), ("--force",)):
        again = run("check", inbox, "--annotate", inbox, *force)
        assert again.exit_code == 2, again.output
        assert hashes(inbox) == before
        # the copy is listed as what it is, never checked as a second 错表局
        assert f"{copy}：— 未读取" in again.stdout and "批注副本" in again.stdout
        assert "同一个文件" in again.stderr or "已经存在" in again.stderr


@pytest.mark.parametrize("where", ["folder", "under a file", "proc"])
def test_an_output_that_cannot_be_written_is_a_chinese_message_and_exit_2(returns, tmp_path, where):
    if where == "folder":
        target = tmp_path / "像文件名的文件夹.xlsx"
        target.mkdir()
    elif where == "under a file":
        (tmp_path / "说明.txt").write_text("x", encoding="utf-8")
        target = tmp_path / "说明.txt" / "汇总.xlsx"
    else:
        target = Path("/proc/nianbao-汇总.xlsx")
    done = real("merge", returns, "-o", target)
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith("错误：") and str(target) in done.stderr
    assert "Traceback" not in done.stderr + done.stdout


def test_a_missing_output_folder_is_created_and_the_output_says_so(returns, tmp_path):
    target = tmp_path / "新建" / "二级" / "汇总.xlsx"
    result = run("merge", returns, "-o", target)
    assert result.exit_code == 0 and target.exists()
    assert f"已新建文件夹 {target.parent}" in result.output


_KILL_WHILE_WRITING = """
import os, signal
import nianbao.xlsx.summary as summary
def die(*args, **kwargs):
    os.kill(os.getpid(), signal.SIG{name})
summary._write_findings = die
"""


def _temporaries(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_temporary_files_of_a_killed_run_are_removed_by_the_next_run(returns, tmp_path):
    target = tmp_path / "out" / "汇总.xlsx"
    killed = real("merge", returns, "-o", target, before=_KILL_WHILE_WRITING.format(name="KILL"))
    assert killed.returncode == -signal.SIGKILL
    (left,) = _temporaries(target.parent)
    assert left.startswith(".汇总.xlsx.nianbao-") and not target.exists()
    running = target.parent / f".汇总.xlsx.nianbao-{os.getpid()}-abc.tmp"  # a live writer's
    running.write_bytes(b"")
    done = real("merge", returns, "-o", target)
    assert done.returncode == 0, done.stderr
    assert _temporaries(target.parent) == [running.name] and target.exists()


def test_sigterm_stops_a_run_like_ctrl_c_and_leaves_no_temporary_file(returns, tmp_path):
    target = tmp_path / "out" / "汇总.xlsx"
    done = real("merge", returns, "-o", target, before=_KILL_WHILE_WRITING.format(name="TERM"))
    assert done.returncode == 130 and done.stderr.strip().endswith("已中止。")
    assert "Traceback" not in done.stderr
    # nothing left: no temporary file, no summary, and not the folder the run created for it
    assert not target.parent.exists()


# SIGTERM while the second group's summary is written (merge --by-parent): the run's outputs
# are one, so none is left, the district summary already written included (found by a sweep:
# a complete 汇总.xlsx and some of the groups were left, and a rerun refused them).
_KILL_IN_SECOND_GROUP = """
import os, signal
import nianbao.xlsx.summary as summary
real, calls = summary.write_summary, []
def write(*args, **kwargs):
    calls.append(args[0])
    if len(calls) == 3:
        os.kill(os.getpid(), signal.SIGTERM)
    return real(*args, **kwargs)
summary.write_summary = write
"""


def _merge_by_parent(returns: Path, tmp_path: Path, target: Path) -> tuple[object, ...]:
    """merge's arguments for ``returns`` in three groups (a roster of 东片, 西片, 南片)."""
    roster = tmp_path / "名册.csv"
    parents = ("东片", "东片", "西片", "西片", "南片", "南片")
    roster.write_text(
        "单位名称,上级单位\n" + "".join(f"{u},{p}\n" for u, p in zip(UNITS, parents, strict=True)),
        encoding="utf-8",
    )
    return ("merge", returns, "--roster", roster, "--by-parent", "--name", "区", "-o", target)


def test_sigterm_while_groups_are_written_leaves_no_summary(returns, tmp_path):
    target = tmp_path / "out" / "汇总.xlsx"
    args = _merge_by_parent(returns, tmp_path, target)
    done = real(*args, before=_KILL_IN_SECOND_GROUP)
    assert done.returncode == 130 and "已中止。" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "out").exists()  # no summary, no group, no folder it created
    again = real(*args)
    assert again.returncode == 0, again.stderr
    assert len(list((tmp_path / "out" / "汇总-分组").glob("*.xlsx"))) == 3


def test_sigterm_after_force_replaced_a_file_names_it(returns, tmp_path):
    """The run's files written under --force before the interrupt cannot be put back: 已中止
    alone hid that the district summary had been replaced and the groups were gone."""
    target = tmp_path / "out" / "汇总.xlsx"
    args = _merge_by_parent(returns, tmp_path, target)
    assert real(*args).returncode == 0
    done = real(*args, "--force", before=_KILL_IN_SECOND_GROUP)
    assert done.returncode == 130 and "已中止。" in done.stderr and "Traceback" not in done.stderr
    assert "以下 2 个原有文件已被新汇总表覆盖（--force）" in done.stderr
    assert str(target) in done.stderr and "重新运行时覆盖这些文件仍需加 --force" in done.stderr


def test_sigterm_while_workers_read_stops_them_all(returns):
    before = """
import os, signal
import nianbao.recognise.reader as reader
real = reader.read_return
def read(path, **kw):
    if str(path).endswith("丙镇人民政府.xlsx"):
        os.kill(os.getppid(), signal.SIGTERM)  # the parent, from inside a worker
    return real(path, **kw)
reader.read_return = read
"""
    done = real("check", returns, "--jobs", "2", before=before, timeout=60)
    assert done.returncode == 130 and "已中止。" in done.stderr and "Traceback" not in done.stderr


def test_sigterm_while_a_worker_is_still_starting_prints_no_traceback(returns):
    # A forked worker holds the parent's SIGTERM handler until its own code resets it; a
    # SIGTERM in that window (the parent stopping its workers) raised KeyboardInterrupt in the
    # worker, and multiprocessing printed its traceback. Seen on a busy machine; made certain
    # here by a worker that is slow to start.
    before = """
import os, signal, time
import nianbao.pipeline.isolation as isolation
real_main = isolation._worker_main
def slow(*args, **kwargs):
    os.kill(os.getppid(), signal.SIGTERM)  # the run is stopped while this worker starts
    time.sleep(1)
    return real_main(*args, **kwargs)
isolation._worker_main = slow
"""
    done = real("check", returns, "--jobs", "2", before=before, timeout=60)
    assert done.returncode == 130 and "已中止。" in done.stderr
    assert "Traceback" not in done.stderr, done.stderr


# -- folders: every file accounted for -----------------------------------------------------------


def _zip_of(name: str, data: bytes) -> bytes:
    return badfiles.zip_of({name: data})


@pytest.fixture
def mixed(inbox) -> Path:
    """The returns plus what else lands in a coordinator's folder."""
    (inbox / "庚局.et").write_bytes(write_unit(inbox, "庚局", 30, name="tmp.xlsx").read_bytes())
    (inbox / "tmp.xlsx").unlink()
    (inbox / "说明.docx").write_bytes(badfiles.docx_bytes())
    (inbox / "年报.pdf").write_bytes(tiny_pdf([Page().text(50, 50, "Meeting notes, no tables")]))
    (inbox / "名单.csv").write_bytes(badfiles.CSV_TEXT)
    (inbox / "附件.zip").write_bytes(_zip_of("说明.txt", "说明".encode()))
    (inbox / "~$乙局.xlsx").write_bytes(b"lock")
    (inbox / ".DS_Store").write_bytes(b"\0\0\0\1Bud1")
    (inbox / "Thumbs.db").write_bytes(badfiles.ole_file({"Catalog": b"x" * 64}))
    return inbox


def test_every_file_in_a_returns_folder_is_read_by_content_or_named_as_not_read(mixed):
    result = run("check", mixed, "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    files = {Path(e["path"]).name: e for e in data["files"]}
    assert set(files) == {
        *(f"{u}.xlsx" for u in UNITS),
        "庚局.et",
        "说明.docx",
        "年报.pdf",
        "名单.csv",
        "附件.zip",
    }
    assert files["庚局.et"]["status"] == "ok" and files["庚局.et"]["unit"] == "庚局"  # by content
    for name in ("说明.docx", "年报.pdf", "名单.csv", "附件.zip"):
        entry = files[name]
        assert entry["status"] == "skipped", entry
        (finding,) = entry["findings"]
        assert finding["rule"] == "F05" and finding["severity"] == "warning"
        assert f"「{name}」" in finding["message"]
    assert "CSV" in files["名单.csv"]["findings"][0]["message"]
    assert "压缩包" in files["附件.zip"]["findings"][0]["message"]
    assert sorted(Path(p).name for p in data["ignored"]) == [
        ".DS_Store",
        "Thumbs.db",
        "~$乙局.xlsx",
    ]
    text = run("check", mixed)
    assert "已跳过 1 个 Excel / WPS 临时锁定文件（~$ 开头）和 2 个隐藏文件或系统文件" in text.stderr
    assert "未读取（不是报表）4" in text.stdout


def test_a_file_named_like_a_workbook_that_is_none_stays_an_error(inbox):
    (inbox / "辛局.xlsx").write_bytes(badfiles.docx_bytes())
    result = run("check", inbox)
    assert result.exit_code == 2 and "[F02 错误] 文件「辛局.xlsx」是 Word 文档" in result.stdout


def test_the_status_sheet_lists_the_files_that_were_not_read(mixed, tmp_path):
    roster = tmp_path / "名册.csv"
    roster.write_text(
        "单位名称\n" + "".join(f"{u}\n" for u in [*UNITS, "庚局", "年报"]), encoding="utf-8"
    )
    out = tmp_path / "汇总.xlsx"
    result = run("merge", mixed, "--roster", roster, "-o", out)
    assert result.exit_code == 0, result.output
    assert "以下 4 个文件不是报表，未读取" in result.stderr and "说明.docx" in result.stderr
    rows = list(openpyxl.load_workbook(out)[STATUS_SHEET].iter_rows(min_row=3, values_only=True))
    not_read = {Path(r[6]).name: r for r in rows if r[3] == "未读取"}
    assert set(not_read) == {"说明.docx", "年报.pdf", "名单.csv", "附件.zip"}
    assert not_read["年报.pdf"][0] == "年报"  # a roster unit that sent a PDF: not read, not 未报
    assert read_return(out).members == len(UNITS) + 1


# -- summaries and annotated copies among the returns -------------------------------------------


@pytest.fixture(scope="module")
def last_summary(returns, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("last") / "汇总.xlsx"
    assert run("merge", returns, "--name", "某区", "-o", out).exit_code == 0
    return out


def test_a_summary_left_among_the_returns_is_refused_naming_it(inbox, last_summary, tmp_path):
    shutil.copy(last_summary, inbox / "去年的汇总.xlsx")
    out = tmp_path / "汇总.xlsx"
    result = run("merge", inbox, "-o", out)
    assert result.exit_code == 1 and not out.exists()
    assert "[M08 错误]" in result.output and "去年的汇总.xlsx" in result.output


def test_skip_invalid_leaves_the_summary_out_and_counts_each_unit_once(
    inbox, last_summary, tmp_path
):
    shutil.copy(last_summary, inbox / "去年的汇总.xlsx")
    out = tmp_path / "汇总.xlsx"
    result = run("merge", inbox, "--skip-invalid", "-o", out)
    assert result.exit_code == 1, result.output  # written; the exit says something was left out
    merged = read_return(out)
    assert merged.members == len(UNITS)
    expected = summed(inbox / f"{u}.xlsx" for u in UNITS)
    assert {k: merged.values[k] for k in FORM.input_keys} == expected


def test_summaries_alone_still_merge_upward(returns, tmp_path):
    folder = tmp_path / "各区"
    # each district its own units: a unit in both summaries would be counted twice (M01)
    for district, units in (("东区", UNITS[:3]), ("西区", UNITS[3:])):
        files = [returns / f"{u}.xlsx" for u in units]
        made = run("merge", *files, "--name", district, "-o", folder / f"{district}.xlsx")
        assert made.exit_code == 0
    result = run("merge", folder, "--name", "某市", "-o", tmp_path / "市.xlsx")
    assert result.exit_code == 0, result.output
    assert read_return(tmp_path / "市.xlsx").members == len(UNITS)


def test_a_summary_that_lost_its_identity_sheet_is_still_a_summary(last_summary, tmp_path):
    stripped = tmp_path / "无标识.xlsx"
    stripped.write_bytes(badfiles.delete_sheet(last_summary.read_bytes(), "_nianbao"))
    assert read_return(stripped).kind == "summary"


def test_a_foreign_workbook_titled_as_a_summary_gets_the_hint_M09(tmp_path):
    path = tmp_path / "表.xlsx"
    values = inputs_of(valid_return(FORM, 3))
    write_foreign(
        path, FORM, values, ForeignStyle(title="某区2021年政府信息公开工作年度报告汇总表")
    )
    ret = read_return(path)
    assert [n.rule.id for n in ret.notes if n.rule.id == "M09"] == ["M09"]


def test_annotated_copies_among_the_returns_are_listed_and_never_summed(inbox, tmp_path):
    bad = valid_return(FORM, 42, unit="错表局", year=2021)
    bad.values["三:1:c1"] = "五"
    write_return(inbox / "错表局.xlsx", FORM, bad)
    assert run("check", inbox, "--annotate", inbox).exit_code == 1
    (inbox / "错表局.xlsx").unlink()  # the unit's return is withdrawn; its copy stays behind
    out = tmp_path / "汇总.xlsx"
    result = run("merge", inbox, "-o", out)
    assert result.exit_code == 0, result.output
    assert "错表局-校验意见.xlsx" in result.stderr and "批注副本" in result.stderr
    assert read_return(out).members == len(UNITS)


# -- one unit, one key ------------------------------------------------------------------------------


def test_a_zero_width_space_does_not_make_a_second_unit(inbox, tmp_path):
    write_unit(inbox, "乙\u200b局", 50, name="乙局-重报.xlsx")
    result = run("merge", inbox, "-o", tmp_path / "汇总.xlsx")
    assert "M01" in str(result.exception) and not (tmp_path / "汇总.xlsx").exists()


@pytest.mark.parametrize("twin", ["乙\u200b局", "乙\ufeff局", "乙\u3000局", "（乙局）"])
def test_a_roster_naming_one_unit_twice_is_refused_however_it_is_spelled(tmp_path, twin):
    roster = tmp_path / "名册.csv"
    first = "(乙局)" if twin.startswith("（") else "乙局"
    roster.write_text(f"单位名称\n{first}\n{twin}\n", encoding="utf-8")
    with pytest.raises(UserError, match="重复"):
        read_roster(roster)


def test_check_previous_and_merge_agree_on_which_returns_are_one_unit(tmp_path):
    current = write_unit(tmp_path / "今年", "乙局", 1, year=2022)
    previous = consistent_previous(read_return(current))
    previous.unit = "乙\u200b局"  # copied from a web page: a zero-width space inside
    last = tmp_path / "去年"
    last.mkdir()
    write_return(last / "乙局-2021.xlsx", FORM, previous, unit=previous.unit, year=2021)
    result = run("check", current, "--previous", last, "--format", "json")
    (entry,) = json.loads(result.stdout)["files"]
    assert entry["status"] == "ok", entry["findings"]  # matched, checked, consistent
    # two returns of one unit however spelled: merge says M01, check --previous will not guess
    twice = tmp_path / "去年两份"
    write_unit(twice, "乙\u200b局", 2, name="乙局-a.xlsx")
    write_unit(twice, "乙局", 3, name="乙局-b.xlsx")
    assert "M01" in str(run("merge", twice, "-o", tmp_path / "s.xlsx").exception)
    refused = run("check", current, "--previous", twice)
    assert refused.exit_code == 2 and "两份报表" in refused.output


def test_a_unit_without_a_return_in_the_previous_folder_gets_X7(returns, tmp_path):
    last = tmp_path / "去年"
    last.mkdir()
    previous = consistent_previous(read_return(returns / "乙局.xlsx"))
    write_return(last / "乙局.xlsx", FORM, previous, unit="乙局", year=2020)
    result = run("check", returns, "--previous", last, "--format", "json")
    rules = {
        e["unit"]: [f["rule"] for f in e["findings"]] for e in json.loads(result.stdout)["files"]
    }
    assert rules.pop("乙局") == []
    assert rules == {unit: ["X7"] for unit in UNITS if unit != "乙局"}
    assert result.exit_code == 0  # a warning: said, not blocking


# -- exit codes and terminal-safe output ------------------------------------------------------------


@pytest.mark.parametrize("skip", [False, True])
def test_merge_exits_2_when_a_file_cannot_be_read(inbox, tmp_path, skip):
    (inbox / "坏的.xlsx").write_bytes(b"PK\x03\x04 broken")
    done = real("merge", inbox, "-o", tmp_path / "汇总.xlsx", *(["--skip-invalid"] if skip else []))
    assert done.returncode == 2, done.stderr
    assert (tmp_path / "汇总.xlsx").exists() is skip


def test_control_characters_in_unit_names_never_reach_the_terminal(inbox, tmp_path):
    write_unit(inbox, "庚\x1b[2J局\x07", 60, name="庚局.xlsx")
    roster = tmp_path / "名册.csv"
    roster.write_text(
        "单位名称\n" + "".join(f"{u}\n" for u in UNITS) + "辛\x1b]0;标题\x07局\n", encoding="utf-8"
    )
    outputs = [
        run("merge", inbox, "--roster", roster, "-o", tmp_path / "汇总.xlsx").output,
        run("template", "--roster", roster, "--out-dir", tmp_path / "下发").output,
        run("check", inbox).output,
        run("export", inbox, "-o", tmp_path / "数据.csv").output,
    ]
    for output in outputs:
        assert "\x1b" not in output and "\x07" not in output, output


# -- crashes, hangs, special files ------------------------------------------------------------------

_CRASH = """
import os, signal, time
import nianbao.recognise.reader as reader
try:
    import nianbao.pipeline.isolation as isolation
    isolation.ITEM_TIMEOUT = 3
except ImportError:
    pass
real_read = reader.read_return
def read(path, **kwargs):
    if os.path.basename(str(path)) == "丙镇人民政府.xlsx":
        how = {how!r}
        if how == "abort":
            os.abort()
        elif how == "hang":
            time.sleep(3600)
        else:
            os.kill(os.getpid(), getattr(signal, how))
    return real_read(path, **kwargs)
reader.read_return = read
"""


@pytest.fixture(scope="module")
def clean_reports(returns) -> dict[str, dict]:
    result = run("check", returns, "--format", "json", "--jobs", "1")
    return {Path(e["path"]).name: e for e in json.loads(result.stdout)["files"]}


@pytest.mark.parametrize("jobs", ["1", "2"])
@pytest.mark.parametrize("how", ["abort", "SIGSEGV", "SIGKILL", "hang"])
def test_a_reader_crash_on_one_file_costs_only_that_file(returns, clean_reports, jobs, how):
    done = real(
        "check",
        returns,
        "--format",
        "json",
        "--jobs",
        jobs,
        before=_CRASH.format(how=how),
        timeout=90,
    )
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr and "panicked" not in done.stderr
    files = {Path(e["path"]).name: e for e in json.loads(done.stdout)["files"]}
    crashed = files.pop("丙镇人民政府.xlsx")
    (finding,) = crashed["findings"]
    assert crashed["status"] == "unreadable" and finding["rule"] == "F04"
    assert "同批其他文件不受影响" in finding["message"]
    assert (
        finding["operands"]["终止方式"]
        == {
            "abort": "SIGABRT",
            "SIGSEGV": "SIGSEGV",
            "SIGKILL": "SIGKILL",
            "hang": "超时",
        }[how]
    )
    assert files == {k: v for k, v in clean_reports.items() if k != "丙镇人民政府.xlsx"}


def _far_reference(valid: bytes) -> bytes:
    """A cell reference with leading zeros, XFD0000001048576: row 1048576 to calamine (a 500 GB
    dense range, an allocation failure that aborts the process)."""
    part = "xl/worksheets/sheet2.xml"
    with zipfile.ZipFile(__import__("io").BytesIO(valid)) as archive:
        xml = archive.read(part).decode("utf-8")
    far = '<row r="30"><c r="XFD0000001048576"><v>1</v></c></row>'
    return badfiles.rezip(valid, replace={part: xml.replace("</sheetData>", far + "</sheetData>")})


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_file_that_really_crashes_the_reader_gets_F04_and_its_neighbours_are_read(inbox, jobs):
    crasher = inbox / "远处.xlsx"
    crasher.write_bytes(_far_reference((inbox / "乙局.xlsx").read_bytes()))
    done = real("check", inbox, "--format", "json", "--jobs", jobs, timeout=90)
    assert done.returncode == 2, done.stderr
    assert "memory allocation" not in done.stderr and "Traceback" not in done.stderr
    files = {Path(e["path"]).name: e for e in json.loads(done.stdout)["files"]}
    assert files.pop("远处.xlsx")["findings"][0]["rule"] == "F04"
    assert {e["status"] for e in files.values()} == {"ok"} and len(files) == len(UNITS)


def test_pipes_and_devices_are_refused_by_type_and_never_block(inbox, tmp_path):
    os.mkfifo(inbox / "管道.xlsx")
    done = real("check", inbox, "/dev/zero", timeout=60)
    assert done.returncode == 2
    assert done.stdout.count("不是普通文件") == 2 and "✓ 通过" in done.stdout
    fifo_roster = tmp_path / "名册.csv"
    os.mkfifo(fifo_roster)
    for roster in (fifo_roster, Path("/dev/zero")):
        refused = real("merge", inbox, "--roster", roster, "-o", tmp_path / "s.xlsx", timeout=60)
        assert refused.returncode == 2 and "不是普通文件" in refused.stderr


def test_an_absurdly_large_roster_is_refused_by_its_size(tmp_path):
    roster = tmp_path / "名册.csv"
    with open(roster, "wb") as handle:
        handle.truncate(2 * 1024**3)  # sparse: 2 GB that take no disk
    with pytest.raises(UserError, match="远超正常名册"):
        read_roster(roster)
