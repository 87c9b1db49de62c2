"""Sweep 8 of hostile workbook returns: what a unit sends back that is not what it seems.

- A sheet saved as CSV (and a CSV renamed .xlsx) names every label of the form: it was taken
  for a text report and refused as one without tables (L01, 「请保持官方表式的行列标签」, every
  label there); it is a CSV file, not a workbook, and is told so (F02).
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest

from nianbao.checks.engine import validate_return
from nianbao.form import get_form
from nianbao.form.findings import Finding, Rule
from nianbao.form.layout import layout_for
from nianbao.pipeline.check import read_one
from tests.support.returns import edited_copy, notes_of, written_template
from tests.support.soffice import convert_many, requires_soffice

FORM = get_form("2021")
LAYOUT = layout_for(FORM)
KEY = "三:1:c1"  # 表三 一、本年新收 · 自然人
SHEET, A1 = LAYOUT.address(KEY)
COLUMN = "".join(ch for ch in A1 if ch.isalpha())
ROW = int("".join(ch for ch in A1 if ch.isdigit()))


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    return written_template(tmp_path_factory.mktemp("sweep8") / "t.xlsx")


# -- 01. a sheet saved as CSV ------------------------------------------------------------------


def _as_csv(template: Path, separator: str) -> bytes:
    """The statutory tables of ``template`` as Excel's 「CSV（逗号分隔）」 writes a sheet: every
    row as wide as the widest, formulas as their results (here: left out), in GB18030."""
    book = openpyxl.load_workbook(template)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=separator, lineterminator="\r\n")
    for name in book.sheetnames[1:4]:
        sheet = book[name]
        for row in sheet.iter_rows(values_only=True):
            writer.writerow(["" if v is None or str(v).startswith("=") else v for v in row])
    return out.getvalue().encode("gb18030")


@pytest.mark.parametrize("name", ["回执.csv", "回执.xlsx", "回执.txt"])
@pytest.mark.parametrize("separator", [",", ";"])
def test_a_return_saved_as_csv_is_told_as_csv_not_as_a_report_without_tables(
    template, tmp_path, name, separator
):
    path = tmp_path / name
    path.write_bytes(_as_csv(template, separator))
    read = read_one(path)
    assert isinstance(read, Finding) and read.rule is Rule.F02, read
    assert "CSV" in read.message and "另存为 .xlsx" in read.message
    if name.endswith(".xlsx"):
        assert "扩展名虽为 .xlsx" in read.message


# -- 02. a row or column too small to show a digit, in .xls and .ods ---------------------------

SIZES = {
    "height-1pt": (lambda sheet: setattr(sheet.row_dimensions[ROW], "height", 1.0), "行"),
    "width-1": (lambda sheet: setattr(sheet.column_dimensions[COLUMN], "width", 1.0), "列"),
    # sizes that still show a digit
    "height-9pt": (lambda sheet: setattr(sheet.row_dimensions[ROW], "height", 9.0), None),
    "width-one-digit": (
        lambda sheet: setattr(sheet.column_dimensions[COLUMN], "width", 1.71),
        None,
    ),
}


@pytest.fixture(scope="module")
def resized(template, tmp_path_factory) -> dict[tuple[str, str], Path]:
    """(size, format) -> the template with 表三's first figure's row or column so sized, saved by
    LibreOffice as .xls and as .ods (one start of LibreOffice per format)."""
    folder = tmp_path_factory.mktemp("resized")
    sources = []
    for name, (edit, _) in SIZES.items():
        path = folder / f"{name}.xlsx"
        with edited_copy(template, path) as book:
            edit(book[SHEET])
        sources.append(path)
    made = {}
    for fmt in ("xls", "ods"):
        for source, produced in zip(sources, convert_many(sources, fmt, folder / fmt), strict=True):
            made[(source.stem, fmt)] = produced
    return made


@requires_soffice
@pytest.mark.parametrize("fmt", ["xls", "ods"])
@pytest.mark.parametrize("size", ["height-1pt", "width-1"])
def test_a_line_too_small_to_show_a_digit_is_v14_in_xls_and_ods(resized, fmt, size):
    read = read_one(resized[(size, fmt)])
    assert not isinstance(read, Finding), read
    (note,) = notes_of(read, Rule.V14)
    assert note.sheet == SHEET and A1 in note.cells
    line = f"第 {ROW} 行" if SIZES[size][1] == "行" else f"{COLUMN} 列"
    assert line in note.message and "太窄" in note.message


@requires_soffice
@pytest.mark.parametrize("fmt", ["xls", "ods"])
@pytest.mark.parametrize("size", ["height-9pt", "width-one-digit"])
def test_lines_that_still_show_a_digit_stay_quiet_in_xls_and_ods(resized, fmt, size):
    read = read_one(resized[(size, fmt)])
    assert not isinstance(read, Finding), read
    assert notes_of(read, Rule.V14) == []


# -- 03. a number format that paints figures the colour of the cell ----------------------------


def _formatted(template: Path, path: Path, code: str, font: str | None = None) -> Path:
    from openpyxl.styles import Font

    with edited_copy(template, path) as book:
        cell = book[SHEET][A1]
        cell.number_format = code
        if font is not None:
            cell.font = Font(color=font)
    return path


@pytest.mark.parametrize("code", ["[White]0", "[白色]G/通用格式", "[Color2]0", "[Yellow]0"])
def test_a_format_painting_figures_the_colour_of_the_cell_is_v13(template, tmp_path, code):
    read = read_one(_formatted(template, tmp_path / "r.xlsx", code))
    assert not isinstance(read, Finding), read
    (note,) = notes_of(read, Rule.V13)
    assert note.sheet == SHEET and note.cells == (A1,)
    assert f"「{code}」" in note.message and "看不到" in note.message
    assert (
        "数字格式改为「常规」或「数值」" in note.message and "字体颜色改为黑色" not in note.message
    )


@pytest.mark.parametrize(
    ("code", "font"),
    [
        ("#,##0;[Red]-#,##0", None),  # red for negatives only, and red is seen
        ("[Blue]0", None),
        ("0;-0;[White]0", None),  # a zero painted away: zero either way
        ("[Black]0", "FFFFFFFF"),  # a white font, the figure painted black: seen
    ],
)
def test_formats_painting_figures_a_colour_that_is_seen_stay_quiet(template, tmp_path, code, font):
    read = read_one(_formatted(template, tmp_path / "r.xlsx", code, font))
    assert not isinstance(read, Finding), read
    assert notes_of(read, Rule.V13, Rule.V14) == []


@requires_soffice
def test_a_figure_painted_white_by_its_format_is_v13_in_xls_and_ods(template, tmp_path):
    source = _formatted(template, tmp_path / "白色.xlsx", "[White]0")
    for made in (convert_many([source], fmt, tmp_path / fmt)[0] for fmt in ("xls", "ods")):
        read = read_one(made)
        assert not isinstance(read, Finding), read
        (note,) = notes_of(read, Rule.V13)
        assert note.cells == (A1,) and "看不到" in note.message, made


# -- 04. one part stored twice -----------------------------------------------------------------


@pytest.mark.parametrize("second", ["same", "other case"])
def test_a_worksheet_stored_twice_is_refused_not_read_from_either(template, tmp_path, second):
    import warnings

    part = f"xl/worksheets/sheet{openpyxl.load_workbook(template).sheetnames.index(SHEET) + 1}.xml"
    out = io.BytesIO()
    with zipfile.ZipFile(template) as source, zipfile.ZipFile(out, "w") as target:
        for entry in source.infolist():
            data = source.read(entry.filename)
            target.writestr(entry.filename, data)
            if entry.filename == part:
                twin = part if second == "same" else part.replace("sheet", "Sheet")
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")  # zipfile warns of the duplicate name
                    target.writestr(
                        twin, re.sub(rf'(<c r="{A1}"[^>]*><v>)'.encode(), rb"\g<1>9", data)
                    )
    path = tmp_path / "r.xlsx"
    path.write_bytes(out.getvalue())
    read = read_one(path)
    assert isinstance(read, Finding) and read.rule is Rule.F01, read
    assert "损坏" in read.message


# -- 05. an .ods duration written short ------------------------------------------------------


@requires_soffice
@pytest.mark.parametrize(
    ("duration", "words"),
    [
        ("PT103H", "4 天 7 小时"),
        ("P4DT7H", "4 天 7 小时"),
        ("PT103H00M00S", "4 天 7 小时"),
        ("P5D", "5 天 0 小时"),  # whole days: no time part at all
    ],
)
def test_an_ods_duration_written_short_is_told_in_words(template, tmp_path, duration, words):
    from tests.support.badfiles import rezip

    (ods,) = convert_many([template], "ods", tmp_path)
    data = ods.read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        content = archive.read("content.xml").decode()
    label = "<text:p>一、本年新收政府信息公开申请数量</text:p>"
    at = content.index(label)
    cell = re.compile(
        r'office:value-type="float" office:value="(\d+)" calcext:value-type="float">'
        r"<text:p>\1</text:p>"
    )
    found = cell.search(content, at)
    assert found is not None
    timed = (
        f'office:value-type="time" office:time-value="{duration}" calcext:value-type="time">'
        "<text:p>103:00:00</text:p>"
    )
    content = content[: found.start()] + timed + content[found.end() :]
    path = tmp_path / "时长.ods"
    path.write_bytes(rezip(data, replace={"content.xml": content.encode()}))
    read = read_one(path)
    assert not isinstance(read, Finding), read
    (found,) = [f for f in validate_return(read) if f.rule is Rule.V01 and A1 in f.cells]
    assert words in found.message and duration not in found.message
