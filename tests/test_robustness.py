"""A coordinator's inbox of bad files: every one gets its rule and a Chinese message naming it,
and the batch goes on. Also: unit names that are formulas stay inert in every output.

The corpus (tests/support/badfiles.py) holds: an empty file, text posing as .xlsx, a truncated
zip, a CSV, an HTML "xls", password-protected xlsx and xls, a Word file, an .xlsm, sheets renamed,
deleted, hidden and reordered, rows inserted, a sheet of a million rows, a 1 GB zip bomb, billion
laughs, an external entity, a cell at XFD1048576, formula-like unit names, and (with LibreOffice)
.xls and .ods copies of a valid return.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from nianbao.cli import cli
from nianbao.form import get_form
from nianbao.form.data import Return
from nianbao.form.findings import Rule
from nianbao.pipeline.check import check_paths
from nianbao.recognise.reader import UnknownLayout, read_return
from nianbao.sources.preflight import UnreadableFile
from tests.support import badfiles
from tests.support.soffice import SOFFICE

FORM = get_form("2021")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Return, list[badfiles.Case]]:
    folder = tmp_path_factory.mktemp("robust") / "收回"
    source, cases = badfiles.build_corpus(folder, FORM, libreoffice=SOFFICE is not None)
    return folder, source, cases


def _arguments(folder: Path) -> list[str]:
    """The folder, and the CSV by name: found in a folder, a CSV is listed as not read (F05, a
    warning: a roster may share the folder); named explicitly, it is read and refused (F02)."""
    return [str(folder), str(folder / "名册.csv")]


def _contents(corpus) -> dict[str, bytes]:
    folder, _, cases = corpus
    return {case.name: (folder / case.name).read_bytes() for case in cases}


@pytest.fixture(scope="module")
def checked(corpus) -> dict:
    folder, _, _ = corpus
    before = _contents(corpus)
    result = CliRunner().invoke(cli, ["check", *_arguments(folder), "--format", "json"])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return {
        "exit_code": result.exit_code,
        "output": result.output,
        "data": json.loads(result.output),
        "inputs": (before, _contents(corpus)),
    }


@pytest.fixture(scope="module")
def text_checked(corpus):
    """The text report of the corpus (one run of `check`, shared by the tests that read it),
    with every input's bytes before and after the run."""
    folder, _, _ = corpus
    before = _contents(corpus)
    result = CliRunner().invoke(cli, ["check", *_arguments(folder)])
    return result, (before, _contents(corpus))


def _by_name(data: dict) -> dict[str, dict]:
    return {Path(entry["path"]).name: entry for entry in data["files"]}


def test_every_file_of_the_corpus_is_reported_once(corpus, checked) -> None:
    _, _, cases = corpus
    assert sorted(_by_name(checked["data"])) == sorted(case.name for case in cases)


def test_every_bad_file_gets_its_rule_and_a_chinese_message_naming_it(corpus, checked) -> None:
    _, _, cases = corpus
    files = _by_name(checked["data"])
    for case in cases:
        if case.rule is None:
            continue
        entry = files[case.name]
        assert entry["status"] == "unreadable", (case.name, entry)
        (finding,) = entry["findings"]
        assert finding["rule"] == case.rule, (case.name, finding)
        assert finding["severity"] == "error"
        assert f"「{case.name}」" in finding["message"], finding["message"]
        assert case.says in finding["message"], (case.name, finding["message"])
        assert Path(finding["file"]).name == case.name


def test_files_that_can_be_read_are_read_and_checked_despite_the_bad_ones(corpus, checked) -> None:
    _, source, cases = corpus
    files = _by_name(checked["data"])
    for case in cases:
        if case.rule is not None:
            continue
        entry = files[case.name]
        assert entry["status"] in ("ok", "warnings"), (case.name, entry["findings"])
        assert entry["unit"] == (case.unit or source.unit)
        rules = {finding["rule"] for finding in entry["findings"]}
        if case.note:
            assert case.note in rules, (case.name, rules)


def test_the_valid_return_passes_cleanly(checked) -> None:
    assert _by_name(checked["data"])["合格.xlsx"]["status"] == "ok"


def test_exit_code_is_2_when_a_file_is_unreadable(checked) -> None:
    assert checked["exit_code"] == 2


def test_text_report_has_no_traceback_and_names_every_bad_file(corpus, text_checked) -> None:
    _, _, cases = corpus
    result, _ = text_checked
    assert result.exit_code == 2
    assert "Traceback" not in result.output and "Error" not in result.output
    for case in cases:
        assert case.name in result.output


@pytest.mark.parametrize("jobs", ["2"])
def test_parallel_check_reports_the_same_as_serial(corpus, checked, jobs: str) -> None:
    folder, _, _ = corpus
    result = CliRunner().invoke(
        cli, ["check", *_arguments(folder), "--format", "json", "--jobs", jobs]
    )
    assert result.exit_code == 2
    serial = {
        n: (e["status"], [f["rule"] for f in e["findings"]])
        for n, e in _by_name(checked["data"]).items()
    }
    parallel = {
        n: (e["status"], [f["rule"] for f in e["findings"]])
        for n, e in _by_name(json.loads(result.output)).items()
    }
    assert parallel == serial


def test_values_survive_every_readable_oddity(corpus) -> None:
    """Renamed, hidden, reordered sheets, inserted rows, .xlsm, .xls, .ods, a long extra sheet:
    the very same figures as the return that was written."""
    folder, source, cases = corpus
    for case in cases:
        if case.rule is None and case.unit is None:
            ret = read_return(folder / case.name)
            assert ret.values == source.values, case.name


def test_read_return_raises_only_the_two_documented_exceptions(corpus) -> None:
    folder, _, cases = corpus
    for case in cases:
        if case.rule is None:
            continue
        with pytest.raises((UnreadableFile, UnknownLayout)) as caught:
            read_return(folder / case.name)
        assert caught.value.finding.rule.id == case.rule


def test_check_paths_never_raises_and_keeps_input_order(corpus) -> None:
    folder, _, cases = corpus
    paths = [folder / case.name for case in reversed(cases)]
    reports = check_paths(paths)
    assert [r.path for r in reports] == paths
    for report, case in zip(reports, reversed(cases), strict=True):
        if case.rule is None:
            assert report.ret is not None, (case.name, report.findings)
        else:
            assert report.status == "unreadable"
            assert [f.rule.id for f in report.findings] == [case.rule]


def test_inputs_are_left_byte_for_byte_as_they_were(checked, text_checked) -> None:
    # every file of the corpus, read as it was before and after each run of `check` over the
    # folder (the JSON report's and the text report's)
    for before, after in (checked["inputs"], text_checked[1]):
        assert after == before


# --- formula injection through unit names ----------------------------------------------------


def _injected(corpus) -> list[Path]:
    folder, _, cases = corpus
    return [folder / case.name for case in cases if case.unit]


def test_injected_unit_names_are_kept_verbatim_when_read(corpus) -> None:
    names = {read_return(path).unit for path in _injected(corpus)}
    assert names == set(badfiles.INJECTED_UNITS)


def test_injected_unit_names_are_inert_in_csv_export(corpus, tmp_path: Path) -> None:
    out = tmp_path / "导出.csv"
    result = CliRunner().invoke(cli, ["export", *map(str, _injected(corpus)), "-o", str(out)])
    assert result.exit_code == 0, result.output
    with open(out, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    units = {row[0] for row in rows[1:]}
    assert units == {"'" + unit for unit in badfiles.INJECTED_UNITS}
    for row in rows[1:]:
        for text in row:
            assert not text.startswith(("=", "+", "-", "@")) or _is_number(text), row


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def test_injected_unit_names_are_plain_strings_in_xlsx_export(corpus, tmp_path: Path) -> None:
    out = tmp_path / "导出.xlsx"
    result = CliRunner().invoke(cli, ["export", *map(str, _injected(corpus)), "-o", str(out)])
    assert result.exit_code == 0, result.output
    workbook = openpyxl.load_workbook(out)
    for ws in workbook.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
    units = {
        ws.cell(row, 1).value for ws in workbook.worksheets for row in range(2, ws.max_row + 1)
    }
    assert set(badfiles.INJECTED_UNITS) <= units


def test_injected_unit_names_are_verbatim_data_in_json_export(corpus, tmp_path: Path) -> None:
    out = tmp_path / "导出.json"
    result = CliRunner().invoke(cli, ["export", *map(str, _injected(corpus)), "-o", str(out)])
    assert result.exit_code == 0, result.output
    records = json.loads(out.read_text(encoding="utf-8"))
    assert {record["unit"] for record in records} == set(badfiles.INJECTED_UNITS)


def test_injected_unit_names_are_never_formulas_in_the_merged_summary(
    corpus, tmp_path: Path
) -> None:
    folder, _, _ = corpus
    out = tmp_path / "汇总.xlsx"
    members = [*map(str, _injected(corpus)), str(folder / "合格.xlsx")]
    result = CliRunner().invoke(cli, ["merge", *members, "--name", "道外区", "-o", str(out)])
    assert out.exists(), result.output
    assert "Traceback" not in result.output
    workbook = openpyxl.load_workbook(out)
    seen: set[str] = set()
    for ws in workbook.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value in badfiles.INJECTED_UNITS:
                    assert cell.data_type == "s", (ws.title, cell.coordinate)
                    seen.add(cell.value)
                if cell.data_type == "f":
                    assert not any(unit in str(cell.value) for unit in badfiles.INJECTED_UNITS)
    assert seen == set(badfiles.INJECTED_UNITS)


def test_json_check_report_keeps_injected_names_as_data(corpus, checked) -> None:
    files = _by_name(checked["data"])
    units = {entry["unit"] for entry in files.values() if entry["unit"]}
    assert set(badfiles.INJECTED_UNITS) <= units


def test_a_reader_bug_is_F01_with_advice_that_fits_a_report_as_well_as_a_workbook(
    tmp_path: Path, monkeypatch
) -> None:
    # A bug in a reader must never reach the user; an auditor's web page must not be told
    # to become an Excel workbook.
    import nianbao.recognise.reader as reader
    from nianbao.pipeline.check import read_one

    def broken(path, **_):
        raise RuntimeError("a reader bug")

    monkeypatch.setattr(reader, "read_return", broken)
    finding = read_one(tmp_path / "某区2024年报.html")
    assert finding.rule is Rule.F01 and "「某区2024年报.html」" in finding.message
    assert ".xlsx" not in finding.message and "技术支持" in finding.message
