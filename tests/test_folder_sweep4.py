"""A coordinator's 收回/ folder as it is after weeks of e-mail and WeChat downloads, through the
command line as a user types it:

- a return whose cover names the unit with a suffix the roster does not have (「东一街道办事处」
  for the roster's 「东一街道」) is offered the roster name it extends first, not a neighbour
  whose name merely shares more characters (「西一街道办事处」);
- a return whose cover has no unit, saved under its unit's name (「戊局.xlsx」), is listed under
  that roster unit, not as 未报 beside a row 「（无法识别单位）」;
- ``status`` judges each return as ``merge`` will: a return without a unit, which ``merge``
  refuses (C01 is an error there), is 有错误 in ``status``, not 有警告.
"""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner, Result

from nianbao.cli import cli
from nianbao.form import get_form
from nianbao.xlsx.writer import write_return
from tests.support.returns import valid_return

FORM = get_form("2021")
YEAR = 2024


def run(*args: object) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args])


def write(path: Path, unit: str | None, seed: int) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    write_return(path, FORM, valid_return(FORM, seed, unit=unit, year=YEAR))
    return path


def roster(tmp_path: Path, *units: str) -> Path:
    path = tmp_path / "名册.csv"
    path.write_text("单位名称,上级单位\n" + "".join(f"{u},区\n" for u in units), "utf-8")
    return path


def status_json(*args: object) -> dict:
    result = run("status", *args, "--format", "json")
    return json.loads(result.output)


def test_a_name_with_a_suffix_the_roster_lacks_is_offered_the_roster_name_it_extends_first(
    tmp_path,
):
    inbox = tmp_path / "收回"
    write(inbox / "东街道" / "东一街道.xlsx", "东一街道办事处", 1)
    write(inbox / "西街道" / "西一街道办事处.xlsx", "西一街道办事处", 2)
    names = roster(tmp_path, "东一街道", "西一街道办事处")
    result = run("status", inbox, "--roster", names)
    assert "名册中最相近的单位：东一街道、西一街道办事处。" in result.output
    data = status_json(inbox, "--roster", names)
    (m05,) = [f for row in data["units"] for f in row["findings"] if f["rule"] == "M05"]
    assert m05["operands"]["nearest"].startswith("东一街道、")


def test_a_return_without_a_unit_named_after_a_roster_unit_is_listed_under_that_unit(tmp_path):
    inbox = tmp_path / "收回"
    write(inbox / "甲局.xlsx", "甲局", 1)
    write(inbox / "戊局.xlsx", None, 2)
    names = roster(tmp_path, "甲局", "戊局")
    data = status_json(inbox, "--roster", names)
    rows = {row["unit"]: row for row in data["units"]}
    assert None not in rows and "" not in rows, data["units"]
    assert rows["戊局"]["file"] == str(inbox / "戊局.xlsx")
    assert rows["戊局"]["status_text"] != "未报"
    text = run("status", inbox, "--roster", names).output
    assert "无法识别单位" not in text and "戊局（未报）" not in text


def test_status_judges_a_return_without_a_unit_as_merge_does(tmp_path):
    inbox = tmp_path / "收回"
    write(inbox / "甲局.xlsx", "甲局", 1)
    write(inbox / "戊局.xlsx", None, 2)
    names = roster(tmp_path, "甲局", "戊局")
    merged = run("merge", inbox, "--roster", names, "--name", "某区", "-o", tmp_path / "汇总.xlsx")
    assert merged.exit_code == 1 and "C01 错误" in merged.output
    status = run("status", inbox, "--roster", names)
    data = status_json(inbox, "--roster", names)
    (row,) = [row for row in data["units"] if row["file"] == str(inbox / "戊局.xlsx")]
    assert row["status_text"] == "有错误", row
    assert status.exit_code == 1
    assert "有错误 | 戊局 |" in status.output and "C01" in status.output


def test_a_link_to_a_return_in_the_same_folder_lists_the_return_under_its_own_name(tmp_path):
    # the return is read once (one file, two names); the name listed is the file's own, not
    # the link's, which sorts before it
    inbox = tmp_path / "收回"
    write(inbox / "丙局.xlsx", "丙局", 1)
    (inbox / "丙局-链接.xlsx").symlink_to(inbox / "丙局.xlsx")
    data = status_json(inbox, "--roster", roster(tmp_path, "丙局"))
    files = [row["file"] for row in data["units"] if row["file"]]
    assert files == [str(inbox / "丙局.xlsx")]


def test_a_roster_unit_to_chase_is_told_of_the_off_roster_return_nearest_to_it(tmp_path):
    # 「东一街道」 is on the roster, 「东一街道办事处」 sent a return: before the coordinator
    # chases 东一街道 on the telephone, the chase line says which file may be its own
    inbox = tmp_path / "收回"
    write(inbox / "东街道" / "东一街道.xlsx", "东一街道办事处", 1)
    names = roster(tmp_path, "东一街道", "西一街道办事处")
    out = run("status", inbox, "--roster", names).output
    (chase,) = [line for line in out.splitlines() if line.startswith("需要催报")]
    east, west = chase.split("西一街道办事处（")
    assert "东一街道（未报" in east
    assert str(inbox / "东街道" / "东一街道.xlsx") in east and "「东一街道办事处」" in east
    assert "东一街道办事处" not in west


def test_units_whose_returns_have_errors_are_listed_to_correct_not_said_all_reported(tmp_path):
    """A season where every roster unit has sent something but one return has an error (which
    merge will refuse): the closing lines must not end on 「均已报送」; they name the unit to
    ask for a corrected return, with its contacts."""
    import openpyxl

    from nianbao.form.layout import layout_for

    inbox = tmp_path / "收回"
    write(inbox / "甲局.xlsx", "甲局", 1)
    broken = write(inbox / "乙局.xlsx", "乙局", 2)
    sheet_name, a1 = layout_for(FORM).address("三:1:c1")
    book = openpyxl.load_workbook(broken)
    book[sheet_name][a1] = (book[sheet_name][a1].value or 0) + 5  # E1: a broken balance
    book.save(broken)
    names = tmp_path / "名册.csv"
    names.write_text("单位名称,联系人\n甲局,张三\n乙局,李四 0451-1234\n", "utf-8")
    result = run("status", inbox, "--roster", names)
    assert "名册中的 2 个单位均已报送。" in result.output
    assert "需要退回改正的单位 1 个：乙局（有错误，李四 0451-1234）。" in result.output
    assert result.exit_code == 1
    merged = run("merge", inbox, "--roster", names, "--name", "区", "-o", tmp_path / "汇总.xlsx")
    assert "需要退回改正的单位 1 个：乙局（有错误" in merged.output


def test_merge_blocked_by_errors_also_names_what_would_still_stop_the_others(tmp_path):
    """Every blocker in one run: a folder with a broken return and a unit's return sent twice
    with other figures. The refusal names the broken file and also the duplicate (M01), which
    --skip-invalid would meet next; it used to surface only on the second run."""
    import openpyxl

    from nianbao.form.layout import layout_for

    inbox = tmp_path / "收回"
    write(inbox / "甲局.xlsx", "甲局", 1)
    write(inbox / "乙局.xlsx", "乙局", 2)
    write(inbox / "乙局(1).xlsx", "乙局", 3)
    broken = write(inbox / "丙局.xlsx", "丙局", 4)
    sheet_name, a1 = layout_for(FORM).address("三:1:c1")
    book = openpyxl.load_workbook(broken)
    book[sheet_name][a1] = (book[sheet_name][a1].value or 0) + 5  # E1: a broken balance
    book.save(broken)
    result = run("merge", inbox, "--name", "区", "-o", tmp_path / "汇总.xlsx")
    assert result.exit_code != 0 and not (tmp_path / "汇总.xlsx").exists()
    assert "丙局.xlsx" in result.output and "未生成汇总表" in result.output
    assert "加 --skip-invalid 也一样" in result.output
    assert "[M01] 单位「乙局」报送了 2 份报表" in result.output
    skipped = run("merge", inbox, "--name", "区", "-o", tmp_path / "汇总.xlsx", "--skip-invalid")
    said = skipped.output + str(skipped.exception or "")  # CliRunner keeps the UserError
    assert "[M01] 单位「乙局」报送了 2 份报表" in said  # what was said, met next


def test_a_unit_with_a_usable_return_beside_a_broken_one_is_a_duplicate_not_to_correct(tmp_path):
    import openpyxl

    from nianbao.form.layout import layout_for

    inbox = tmp_path / "收回"
    write(inbox / "甲局.xlsx", "甲局", 1)
    broken = write(inbox / "甲局(1).xlsx", "甲局", 2)
    sheet_name, a1 = layout_for(FORM).address("三:1:c1")
    book = openpyxl.load_workbook(broken)
    book[sheet_name][a1] = (book[sheet_name][a1].value or 0) + 5
    book.save(broken)
    result = run("status", inbox, "--roster", roster(tmp_path, "甲局"))
    assert "重复报送：单位「甲局」报送了 2 份报表" in result.output
    assert "需要退回改正" not in result.output


def test_a_file_named_after_its_unit_is_paired_through_a_copys_suffix(tmp_path):
    """「戊局(1).xlsx」 with no unit on its cover, and an unreadable 「丁局 - 副本.xlsx」: units
    name files after themselves, and a second download or a copy adds (1) or 副本; the roster
    unit is listed with its file, not chased as 未报 beside an unidentified row."""
    inbox = tmp_path / "收回"
    write(inbox / "戊局(1).xlsx", None, 5)
    inbox.joinpath("丁局 - 副本.xlsx").write_bytes(b"PK\x03\x04 broken")
    data = status_json(inbox, "--roster", roster(tmp_path, "戊局", "丁局"))
    by_unit = {row["unit"]: row for row in data["units"]}
    assert by_unit["戊局"]["status"] == "errors" and by_unit["戊局"]["file"].endswith(
        "戊局(1).xlsx"
    )
    assert by_unit["丁局"]["status"] == "unreadable"
    assert all(row["unit"] for row in data["units"])
