"""A coordinator's real folder, end to end: what arrives in 收回/ in a real season, checked and
annotated into the same folder twice, merged twice with the summary written inside the folder,
exported. Every figure of the summary is the hand-computed sum of the real returns, no input's
bytes change, every file that is not read is named, and the exit codes are those documented.

收回/ holds: returns written by nianbao, two of them re-saved by LibreOffice (one of those as
.xls content under an .xlsx name); a return that carries a copy of last year's 表三 before this
year's; a blank template sent back as it was; last year's district summary; a Word note; an
Excel lock file; an annotated copy from last year's round.
"""

from __future__ import annotations

import csv
import hashlib
import shutil
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from nianbao.cli import cli
from nianbao.errors import UserError
from nianbao.form import get_form
from nianbao.form.data import blank_return, complete
from nianbao.form.layout import layout_for
from nianbao.recognise.reader import read_return
from nianbao.xlsx.summary import STATUS_SHEET
from nianbao.xlsx.writer import write_return
from tests.support import badfiles
from tests.support.returns import inputs_of, valid_return
from tests.support.soffice import convert, requires_soffice

pytestmark = [requires_soffice, pytest.mark.soffice]

FORM = get_form("2021")
YEAR = 2024
T3 = FORM.table("三").title
REAL = ["甲街道办事处", "乙局", "丙镇人民政府", "丁局"]  # the returns that count
BLANK, MISSING = "戊局", "己局"


def run(*args: object):
    return CliRunner().invoke(cli, [str(a) for a in args])


def hashes(folder: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.iterdir())
        if p.is_file()
    }


def _last_years_sheet_before(path: Path, figure: int) -> None:
    """A copy of 表三 named 「三（2023年）」 with last year's (other) figures, placed first."""
    layout = layout_for(FORM)
    book = openpyxl.load_workbook(path)
    copy = book.copy_worksheet(book[T3])
    copy.title = f"三（{YEAR - 1}年）"
    for cell in FORM.table("三").cells:
        if not cell.derived:
            row, col = layout.position(cell.key)
            copy.cell(row + 1, col + 1, figure)
    book.move_sheet(copy, -(len(book.sheetnames) - 1))
    book.save(path)


@pytest.fixture(scope="module")
def season(tmp_path_factory) -> dict[str, object]:
    root = tmp_path_factory.mktemp("coordinator")
    inbox, staging = root / "收回", root / "制作"
    inbox.mkdir()
    staging.mkdir()
    returns = {
        unit: valid_return(FORM, seed, unit=unit, year=YEAR, parent="某区人民政府")
        for seed, unit in enumerate(REAL, start=1)
    }

    def made(unit: str) -> Path:
        write_return(staging / f"{unit}.xlsx", FORM, returns[unit])
        return staging / f"{unit}.xlsx"

    # re-saved by LibreOffice, as a unit that edits in it sends it back
    shutil.copy(convert(made("甲街道办事处"), "xlsx", staging / "lo"), inbox / "甲街道办事处.xlsx")
    write_return(inbox / "乙局.xlsx", FORM, returns["乙局"])
    # saved as .xls (Excel 97–2003) by LibreOffice, sent under an .xlsx name
    shutil.copy(convert(made("丙镇人民政府"), "xls", staging / "xls"), inbox / "丙镇人民政府.xlsx")
    write_return(inbox / "丁局.xlsx", FORM, returns["丁局"])
    _last_years_sheet_before(inbox / "丁局.xlsx", 7)
    write_return(inbox / f"{BLANK}.xlsx", FORM, blank_return(FORM, unit=BLANK, year=YEAR))
    # last year's summary of the same units, left in the folder
    last = root / "去年"
    for seed, unit in enumerate(REAL, start=11):
        write_return(
            last / f"{unit}.xlsx", FORM, valid_return(FORM, seed, unit=unit, year=YEAR - 1)
        )
    assert (
        run("merge", last, "--name", "某区", "-o", inbox / f"{YEAR - 1}年汇总.xlsx").exit_code == 0
    )
    (inbox / "说明.docx").write_bytes(badfiles.docx_bytes("关于报送政府信息公开工作年度报告的说明"))
    (inbox / "~$甲街道办事处.xlsx").write_bytes(b"\x0cwps lock")
    # last round's annotated copy of 乙局, sent back and kept
    old = root / "上一轮"
    wrong = valid_return(FORM, 2, unit="乙局", year=YEAR)
    wrong.values["三:1:c1"] = "十二"
    write_return(old / "乙局.xlsx", FORM, wrong)
    assert run("check", old, "--annotate", old / "批注").exit_code == 1
    shutil.copy(old / "批注" / "乙局-校验意见.xlsx", inbox / "乙局-校验意见.xlsx")
    roster = root / "名册.csv"
    roster.write_text(
        "单位名称,上级单位\n" + "".join(f"{u},某区人民政府\n" for u in [*REAL, BLANK, MISSING]),
        encoding="utf-8",
    )
    expected: dict[str, Decimal] = dict.fromkeys(FORM.input_keys, Decimal(0))
    for ret in returns.values():  # summed here from the figures written, not read back
        for key, value in inputs_of(ret).items():
            expected[key] += Decimal(str(value))
    return {
        "root": root,
        "inbox": inbox,
        "roster": roster,
        "expected": complete(FORM, expected),
        "before": hashes(inbox),
    }


@pytest.fixture(scope="module")
def rounds(season) -> dict[str, object]:
    """Every command of the season, in order, with the folder's files after each."""
    inbox, roster, root = season["inbox"], season["roster"], season["root"]
    done: dict[str, object] = {}
    done["check"] = run("check", inbox, "--annotate", inbox)
    done["after check"] = hashes(inbox)
    done["check again"] = run("check", inbox, "--annotate", inbox)
    done["check again --force"] = run("check", inbox, "--annotate", inbox, "--force")
    done["after check again"] = hashes(inbox)
    summary = inbox / f"{YEAR}年汇总.xlsx"
    merge = ("merge", inbox, "--roster", roster, "--name", "某区", "--skip-invalid")
    done["merge"] = run(*merge, "-o", summary)
    done["after merge"] = hashes(inbox)
    done["merge again"] = run(*merge, "-o", summary)
    done["merge again --force"] = run(*merge, "-o", summary, "--force")
    done["merge other name"] = run(*merge, "-o", inbox / "汇总-第二次.xlsx")
    done["export"] = run("export", inbox, "-o", root / "数据.csv")
    done["after all"] = hashes(inbox)
    return done


def test_no_input_changes_and_only_new_outputs_appear(season, rounds):
    before, after_all = season["before"], rounds["after all"]
    assert {name: after_all[name] for name in before} == before
    copies = [
        Path(line.split("→ 批注副本：", 1)[1]).name
        for line in rounds["check"].output.splitlines()
        if "→ 批注副本：" in line
    ]
    assert {"丁局-校验意见.xlsx", f"{BLANK}-校验意见.xlsx"} <= set(copies)
    new = sorted(set(after_all) - set(before))
    assert new == sorted([*copies, f"{YEAR}年汇总.xlsx", "汇总-第二次.xlsx"])
    # the second check touched nothing, the second and third merge did not replace the first
    assert rounds["after check again"] == rounds["after check"]
    assert rounds["after all"][f"{YEAR}年汇总.xlsx"] == rounds["after merge"][f"{YEAR}年汇总.xlsx"]


def test_the_exit_codes_are_the_documented_ones(rounds):
    assert rounds["check"].exit_code == 1  # 戊局 is blank (C04): an error
    assert rounds["check again"].exit_code == 2  # the copies exist: nothing written
    assert rounds["check again --force"].exit_code == 2  # they are inputs now: never replaced
    assert rounds["merge"].exit_code == 1  # written; blank return and last year's summary left out
    for again in ("merge again", "merge again --force"):  # the summary is an input now
        refused = rounds[again].exception
        assert isinstance(refused, UserError) and refused.exit_code == 2  # cli.main exits 2
        assert "同一个文件" in str(refused)
    assert rounds["merge other name"].exit_code == 1
    assert rounds["export"].exit_code == 1  # the summaries are not exported with the returns


def test_every_file_that_is_not_read_is_named_with_why(season, rounds):
    output = rounds["check"].output
    assert "说明.docx：— 未读取" in output
    assert "乙局-校验意见.xlsx：— 未读取" in output and "批注副本" in output
    assert "已跳过 1 个 Excel / WPS 临时锁定文件" in output
    merged = rounds["merge"].output
    for name in ("说明.docx", "乙局-校验意见.xlsx", "丁局-校验意见.xlsx", f"{BLANK}-校验意见.xlsx"):
        assert name in merged
    assert f"{YEAR - 1}年汇总.xlsx" in merged and "[M08 错误]" in merged
    exported = rounds["export"].output
    assert f"{YEAR - 1}年汇总.xlsx" in exported and f"{YEAR}年汇总.xlsx" in exported


def test_last_years_summary_left_among_the_returns_is_to_move_out_not_to_send_back(rounds):
    """It is 某区's own summary: no unit to send back 「改正后重新报送」, as merge and status
    said of it; they say to move it out of the folder."""
    merged = rounds["merge"].output
    (left,) = [
        line for line in merged.splitlines() if line.startswith("与单位报表放在一起的汇总表")
    ]
    assert f"{YEAR - 1}年汇总.xlsx" in left and "移出" in left
    assert not [
        line for line in merged.splitlines() if "某区" in line and "报表有错误的单位" in line
    ]


def test_every_figure_of_the_summary_is_the_sum_of_the_real_returns(season, rounds):
    expected = season["expected"]
    for name in (f"{YEAR}年汇总.xlsx", "汇总-第二次.xlsx"):
        summary = read_return(season["inbox"] / name)
        assert summary.kind == "summary" and summary.members == len(REAL)
        assert {k: Decimal(str(summary.values[k])) for k in expected} == expected, name


def test_the_status_sheet_says_blank_missing_and_not_read(season):
    rows = list(
        openpyxl.load_workbook(season["inbox"] / f"{YEAR}年汇总.xlsx")[STATUS_SHEET].iter_rows(
            min_row=3, values_only=True
        )
    )
    by_unit = {r[0]: r[3] for r in rows if r[0] in (*REAL, BLANK, MISSING)}
    assert set(by_unit) == {*REAL, BLANK, MISSING}
    assert {by_unit[unit] for unit in REAL} <= {"已报通过", "有警告"}
    assert (by_unit[BLANK], by_unit[MISSING]) == ("未填写", "未报")
    not_read = {Path(r[6]).name for r in rows if r[3] == "未读取"}
    assert {"说明.docx", "乙局-校验意见.xlsx"} <= not_read


def test_the_export_has_each_real_return_once_with_its_figures(season, rounds):
    with open(season["root"] / "数据.csv", encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    units = {row["单位"] for row in rows}
    assert units == {*REAL, BLANK}  # the blank return is data too; no summary among them
    summed: dict[tuple[str, str, str], Decimal] = {}
    for row in rows:
        if row["单位"] in REAL and row["值"] != "":
            key = (row["表"], row["行代码"], row["列代码"])
            summed[key] = summed.get(key, Decimal(0)) + Decimal(row["值"])
    expected = season["expected"]
    for cell in FORM.cells:
        key = (cell.table.short, cell.row.code, cell.column.code)
        assert summed.get(key, Decimal(0)) == expected[cell.key], key
