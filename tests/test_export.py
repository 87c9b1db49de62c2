"""Tidy export: one row per unit and cell; CSV with BOM, XLSX, JSON; formula injection neutralised."""

import csv
import json
import os
import sys
from decimal import Decimal

import openpyxl
import pytest

from nianbao.errors import UserError
from nianbao.form import get_form
from nianbao.form.data import filled_return
from nianbao.pipeline.export import HEADINGS, KEYS, export_returns, neutralise, tidy_rows

FORM = get_form("2021")
HOSTILE = '=HYPERLINK("http://x","点我")'


def returns():
    a = filled_return(
        FORM,
        {"三:1:c1": 3, "二:20-8.1:c1": Decimal("12.34")},
        unit="乙局",
        parent="道外区",
        year=2021,
    )
    b = filled_return(FORM, {"三:1:c2": 1}, unit=HOSTILE, parent="@SUM(1)", year=2021)
    b.values["三:3.1:c1"] = "五"  # text typed into a number cell is exported as typed
    return [a, b]


def test_one_row_per_unit_and_data_cell_in_a_stable_order():
    rows = list(tidy_rows(returns()))
    assert len(rows) == 2 * len(FORM.cells)
    assert list(tidy_rows(reversed(returns()))) == rows
    first = next(
        r for r in rows if r.unit == "乙局" and r.row_code == "1" and r.column_code == "c7"
    )
    assert first.value == 3 and first.derived and first.table == "表三"
    assert first.row_label == FORM.cell("三:1:c7").row_label


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@A1", "\tx", "\rx"])
def test_text_that_looks_like_a_formula_gets_an_apostrophe(text):
    assert neutralise(text) == "'" + text


def test_ordinary_text_is_left_alone():
    assert neutralise("道外区水泥路街道办事处") == "道外区水泥路街道办事处"


def test_csv_has_a_bom_chinese_headings_and_neutralised_unit_names(tmp_path):
    out = tmp_path / "data.csv"
    count = export_returns(returns(), out)
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert tuple(rows[0]) == HEADINGS and len(rows) == count + 1
    units = {r[0] for r in rows[1:]}
    assert units == {"乙局", "'" + HOSTILE}
    assert {r[1] for r in rows[1:]} == {"道外区", "'@SUM(1)"}
    fee = next(r for r in rows if r[0] == "乙局" and r[7] == "c1" and r[5] == "20-8.1")
    assert fee[9] == "12.34"


def test_xlsx_writes_every_text_as_a_string_never_a_formula(tmp_path):
    out = tmp_path / "data.xlsx"
    export_returns(returns(), out)
    sheet = openpyxl.load_workbook(out).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == HEADINGS
    cells = [c for row in sheet.iter_rows(min_row=2) for c in row]
    assert all(c.data_type != "f" for c in cells)
    assert HOSTILE in {r[0] for r in rows[1:]}
    assert "五" in {r[9] for r in rows[1:]}


def test_json_is_an_array_of_objects_with_english_keys_and_verbatim_text(tmp_path):
    out = tmp_path / "data.json"
    export_returns(returns(), out)
    data = json.loads(out.read_text(encoding="utf-8"))
    assert len(data) == 2 * len(FORM.cells)
    assert set(data[0]) == set(KEYS)
    hostile = [r for r in data if r["unit"] == HOSTILE]
    assert hostile and hostile[0]["parent"] == "@SUM(1)"
    fee = next(r for r in data if r["unit"] == "乙局" and r["row_code"] == "20-8.1")
    assert fee["value"] == 12.34 and fee["derived"] is False and fee["year"] == 2021
    assert fee["vintage"] == "2021"


def test_an_unknown_output_suffix_is_a_chinese_user_error(tmp_path):
    with pytest.raises(UserError, match="csv"):
        export_returns(returns(), tmp_path / "data.txt")
    assert list(tmp_path.iterdir()) == []


def test_every_row_says_whether_its_return_passed_and_errors_are_named_on_screen(tmp_path):
    from click.testing import CliRunner

    from nianbao.cli import cli
    from nianbao.xlsx.writer import write_return
    from tests.support.returns import valid_return

    good = valid_return(FORM, seed=1, unit="甲局", year=2021)
    bad = valid_return(FORM, seed=2, unit="乙局", year=2021)
    bad.values["三:1:c1"] += 1  # 本年新收 one more than is accounted for: E1
    for ret in (good, bad):
        write_return(tmp_path / f"{ret.unit}.xlsx", FORM, ret)
    out = tmp_path / "out" / "数据.csv"
    result = CliRunner().invoke(cli, ["export", str(tmp_path), "-o", str(out)])
    assert result.exit_code == 1, result.output  # exported, and 1 as for every command: errors
    rows = list(csv.DictReader(out.read_text(encoding="utf-8-sig").splitlines()))
    assert {(r["单位"], r["校验结果"]) for r in rows} == {("甲局", "通过"), ("乙局", "有错误")}
    assert "乙局.xlsx：✗ 校验有错误，数字照原样导出" in result.stderr
    assert "其中 1 份报表校验有错误" in result.stderr
    assert "甲局.xlsx：✗" not in result.stderr


def test_a_unit_that_sent_two_returns_is_named_and_its_rows_tell_the_files_apart(tmp_path):
    from click.testing import CliRunner

    from nianbao.cli import cli
    from tests.support.returns import folder_with_a_copy

    folder = folder_with_a_copy(tmp_path, "甲局", 2021)
    out = tmp_path / "数据.csv"
    result = CliRunner().invoke(cli, ["export", str(folder), "-o", str(out)])
    assert result.exit_code == 1  # exported; summing by unit would count 甲局 twice
    assert "重复报送：单位「甲局」报送了 2 份报表" in result.stderr
    rows = list(csv.DictReader(out.read_text(encoding="utf-8-sig").splitlines()))
    assert {r["文件"] for r in rows} == {str(folder / "甲局.xlsx"), str(folder / "甲局(1).xlsx")}


def _folder_with_a_gbk_name(tmp_path):
    """Two returns, one under a name in GBK bytes (a Windows zip unpacked on Linux)."""
    from nianbao.xlsx.writer import write_return
    from tests.support.returns import valid_return

    folder = tmp_path / "收回"
    folder.mkdir()
    gbk = os.fsencode(folder) + b"/" + "财政局.xlsx".encode("gbk")
    write_return(os.fsdecode(gbk), FORM, valid_return(FORM, seed=1, unit="财政局", year=2021))
    write_return(folder / "教育局.xlsx", FORM, valid_return(FORM, seed=2, unit="教育局", year=2021))
    return folder


def _files_column(path):
    if path.suffix == ".csv":
        return {r["文件"] for r in csv.DictReader(path.read_text(encoding="utf-8").splitlines())}
    if path.suffix == ".json":
        return {r["file"] for r in json.loads(path.read_text(encoding="utf-8"))}
    sheet = openpyxl.load_workbook(path).active
    return {row[-1] for row in sheet.iter_rows(min_row=2, values_only=True)}


@pytest.mark.skipif(sys.platform != "linux", reason="file names as bytes: Linux")
@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".json"])
def test_a_file_name_that_is_not_utf8_is_exported_as_it_is_shown(tmp_path, suffix):
    from click.testing import CliRunner

    from nianbao.cli import cli

    folder = _folder_with_a_gbk_name(tmp_path)
    out = tmp_path / f"数据{suffix}"
    result = CliRunner().invoke(cli, ["export", str(folder), "-o", str(out)])
    assert result.exit_code == 0, result.output
    files = _files_column(out)
    assert str(folder / "教育局.xlsx") in files and len(files) == 2
    (other,) = files - {str(folder / "教育局.xlsx")}
    assert other.startswith(str(folder)) and other.endswith(".xlsx") and other.isprintable()


@pytest.mark.skipif(sys.platform != "linux", reason="file names as bytes: Linux")
@pytest.mark.parametrize("command", ["check", "status"])
def test_json_output_is_utf8_whatever_the_file_names(tmp_path, command):
    from click.testing import CliRunner

    from nianbao.cli import cli

    folder = _folder_with_a_gbk_name(tmp_path)
    result = CliRunner().invoke(cli, [command, str(folder), "--format", "json"])
    assert result.exit_code == 0, result.output
    result.stdout_bytes.decode("utf-8")  # strictly: no name's raw bytes in the JSON
    assert "\ufffd" in result.stdout or "财政局.xlsx" in result.stdout
