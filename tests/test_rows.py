"""Row blocks (xlsx/rows.py) read back exactly like the same cells written with xlsxwriter's API."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from nianbao.sources.grid import load_grid
from nianbao.xlsx.rows import RowBlockWorksheet, Styled
from nianbao.xlsx.writer import new_workbook

TEXTS = [
    "东区甲局",
    "=SUM(A1:A2)",  # a formula only in looks
    "a & b < c > d \"q\" 'q'",
    "  edge spaces  ",
    "ctrl\x01\x1fchars _x0041_",
    "_x0041_ alone, printable",  # Excel's escape written as text: escaped itself
    "two\nlines",
    "𠀀 astral",
    "x" * 40_000,  # more than a cell holds
]
NUMBERS = [0, 7, -3, 10**15 - 1, 10**15, 2**70, -(2**70), Decimal("0.35"), Decimal("12"), 1.5, 1e-7]


def rows_of(n: int) -> list[list[object]]:
    """Rows mixing every kind of cell: text, numbers of each type, and blanks."""
    rows = []
    for i in range(n):
        text = TEXTS[i % len(TEXTS)]
        rows.append([text, *NUMBERS[i % 3 :], *NUMBERS[: i % 3], None, f"file-{i}.xlsx"])
    return rows


def write_both(path: Path, rows: list[list[object]]) -> None:
    """Sheet "block" through the row block, sheet "api" through write_* calls, same cells and
    formats; both with a header row above and a total row below."""
    workbook = new_workbook(path)
    bold = workbook.add_format({"bold": True})
    number = workbook.add_format({"num_format": "General", "border": 1})
    plain = workbook.add_format({"border": 1})
    width = len(rows[0])
    formats = [plain, *[number] * (width - 2), plain]
    for name in ("block", "api"):
        ws = workbook.add_worksheet(name, worksheet_class=RowBlockWorksheet)
        ws.write_string(0, 0, "单位名称", bold)
        ws.merge_range(0, 1, 0, 3, "表头", bold)
        if name == "block":
            ws.set_row_block(1, len(rows), lambda start, stop: iter(rows[start:stop]), formats)
        else:
            for r, row in enumerate(rows, start=1):
                for c, value in enumerate(row):
                    if isinstance(value, str):
                        ws.write_string(r, c, value, formats[c])
                    elif value is None:
                        ws.write_blank(r, c, None, formats[c])
                    else:
                        number_value = float(value) if isinstance(value, Decimal) else value
                        ws.write_number(r, c, number_value, formats[c])
        ws.write_formula(len(rows) + 1, 1, f"=SUM(B2:B{len(rows) + 1})", bold, 123)
        ws.autofilter(0, 0, len(rows), width - 1)
    workbook.close()


def test_a_row_block_reads_back_like_the_same_cells_written_one_by_one(tmp_path):
    path = tmp_path / "rows.xlsx"
    write_both(path, rows_of(25))
    book = openpyxl.load_workbook(path)
    block, api = book["block"], book["api"]
    assert block.dimensions == api.dimensions
    for got, want in zip(block.iter_rows(), api.iter_rows(), strict=True):
        for a, b in zip(got, want, strict=True):
            assert a.data_type == b.data_type, a.coordinate
            # openpyxl decodes Excel's _xHHHH_ escapes in shared strings only, not inline ones
            if not (isinstance(a.value, str) and "_x" in a.value):
                assert a.value == b.value, a.coordinate
            assert a.font.b == b.font.b and a.border.left.style == b.border.left.style
    grid = load_grid(path).as_dict()
    assert grid["block"] == grid["api"]  # calamine (the reader) decodes both to the same text
    texts = [line[0] for line in grid["block"][1][1 : len(TEXTS) + 1]]
    assert texts == [t[:32_767] for t in TEXTS]


def test_a_file_name_with_a_lone_surrogate_is_written_as_every_output_shows_it(tmp_path):
    # os.listdir gives undecodable bytes of a file name as lone surrogates; UTF-8 has none.
    # The terminal, JSON and export show such a byte as U+FFFD (text.shown_name): so does a cell.
    path = tmp_path / "rows.xlsx"
    workbook = new_workbook(path)
    ws = workbook.add_worksheet("s", worksheet_class=RowBlockWorksheet)
    ws.set_row_block(0, 1, lambda start, stop: iter([["某局\udcb3.xlsx"]]), [None])
    workbook.close()
    assert openpyxl.load_workbook(path)["s"]["A1"].value == "某局\ufffd.xlsx"


def test_text_is_never_a_formula_and_long_text_is_cut_to_what_a_cell_holds(tmp_path):
    path = tmp_path / "rows.xlsx"
    write_both(path, rows_of(len(TEXTS)))
    sheet = openpyxl.load_workbook(path)["block"]
    texts = [row[0].value for row in sheet.iter_rows(min_row=2, max_row=len(TEXTS) + 1)]
    assert texts[:2] == ["东区甲局", "=SUM(A1:A2)"]
    assert len(texts[-1]) == 32_767
    assert all(row[0].data_type == "s" for row in sheet.iter_rows(min_row=2, max_row=9))


def test_text_that_looks_like_rich_text_markup_stays_text(tmp_path):
    # xlsxwriter's own write_string passes "<r>…</r>" into the file as markup; a block does not.
    path = tmp_path / "rows.xlsx"
    workbook = new_workbook(path)
    ws = workbook.add_worksheet("s", worksheet_class=RowBlockWorksheet)
    texts = [["<r>not rich</r>"], ["<r><t>&</t></r>"]]
    ws.set_row_block(0, 2, lambda start, stop: iter(texts[start:stop]), [None])
    workbook.close()
    values = [row[0] for row in openpyxl.load_workbook(path)["s"].iter_rows(values_only=True)]
    assert values == ["<r>not rich</r>", "<r><t>&</t></r>"]


def test_a_block_must_yield_the_rows_it_promised(tmp_path):
    workbook = new_workbook(tmp_path / "short.xlsx")
    ws = workbook.add_worksheet("s", worksheet_class=RowBlockWorksheet)
    ws.set_row_block(1, 3, lambda start, stop: iter([[1], [2]]), [None])
    with pytest.raises(ValueError, match="promised 3 rows"):
        workbook.close()


def test_a_block_beyond_the_sheet_is_refused(tmp_path):
    workbook = new_workbook(tmp_path / "big.xlsx")
    ws = workbook.add_worksheet("s", worksheet_class=RowBlockWorksheet)
    with pytest.raises(ValueError, match="exceed"):
        ws.set_row_block(1, 1_048_576, lambda start, stop: iter(()), [None])


def test_a_large_workbook_is_written_through_files_and_reads_back_the_same(tmp_path):
    import zipfile

    import xlsxwriter.workbook

    small, large = tmp_path / "small.xlsx", tmp_path / "large.xlsx"
    for path, is_large in ((small, False), (large, True)):
        workbook = new_workbook(path, large=is_large)
        ws = workbook.add_worksheet("s", worksheet_class=RowBlockWorksheet)
        ws.set_row_block(
            0, 500, lambda start, stop: iter(rows_of(500)[start:stop]), [None] * len(rows_of(1)[0])
        )
        workbook.close()
    assert xlsxwriter.workbook.ZipFile is zipfile.ZipFile  # the level is set for one call only
    assert load_grid(large).as_dict() == load_grid(small).as_dict()
    with zipfile.ZipFile(large) as archive:
        assert archive.testzip() is None


def test_rows_of_a_block_may_have_their_own_height_and_cells_their_own_format(tmp_path):
    path = tmp_path / "styled.xlsx"
    workbook = new_workbook(path)
    plain = workbook.add_format({"border": 1})
    red = workbook.add_format({"bg_color": "#FF0000"})
    ws = workbook.add_worksheet("s", worksheet_class=RowBlockWorksheet)
    rows = [(["甲", Styled("错误", red)], 32.0), (["乙", "通过"], None)]
    ws.set_row_block(1, 2, lambda start, stop: iter(rows[start:stop]), [plain, plain], heights=True)
    workbook.close()
    sheet = openpyxl.load_workbook(path)["s"]
    assert sheet.row_dimensions[2].height == 32 and sheet.row_dimensions[3].height is None
    assert sheet["B2"].value == "错误" and sheet["B2"].fill.fgColor.rgb.endswith("FF0000")
    assert sheet["B3"].value == "通过" and sheet["B3"].border.left.style == "thin"


def _block_sheet_xml(
    path: Path, count: int, rows, monkeypatch, *, parallel: bool, large: bool = False
) -> bytes:
    """A sheet with one block of ``count`` rows from ``rows(start, stop)``, written by one
    process or by three (``large``: through temporary files, as a big summary is); its XML."""
    import zipfile

    from nianbao.xlsx import rows as block_module

    monkeypatch.setattr(block_module, "PARALLEL_FROM", 8 if parallel else 10**9)
    monkeypatch.setattr(block_module, "_processors", lambda: 3)
    workbook = new_workbook(path, large=large)
    ws = workbook.add_worksheet("s", worksheet_class=RowBlockWorksheet)
    number = workbook.add_format({"num_format": "0"})
    ws.write_string(0, 0, "上")
    ws.set_row_block(1, count, rows, [None, number])
    ws.write_string(count + 1, 0, "下")
    workbook.close()
    with zipfile.ZipFile(path) as archive:
        return archive.read("xl/worksheets/sheet1.xml")


def _own_temporary_folder(tmp_path: Path, monkeypatch) -> Path:
    """A temporary folder for this test alone: the suite runs in parallel, so the shared one
    may hold another test's row files at any moment."""
    import tempfile

    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


@pytest.mark.parametrize("large", [False, True])
def test_a_long_block_written_by_several_processes_is_the_same_sheet(tmp_path, monkeypatch, large):
    rows = [[f"单位{i}·“引号”&<>", i * 7] for i in range(101)]

    def source(start, stop):
        return iter(rows[start:stop])

    serial, parallel = (
        _block_sheet_xml(tmp_path / f"{k}.xlsx", 101, source, monkeypatch, parallel=k, large=large)
        for k in (False, True)
    )
    assert parallel == serial
    assert (
        '<c r="A102" t="inlineStr"><is><t>单位100·“引号”&amp;&lt;&gt;</t></is></c>'.encode()
        in serial
    )


def test_a_slice_whose_process_fails_is_written_by_the_parent(tmp_path, monkeypatch):
    import os

    temporary = _own_temporary_folder(tmp_path, monkeypatch)
    rows = [[f"单位{i}", i] for i in range(60)]
    parent = os.getpid()

    def source(start, stop):
        if os.getpid() != parent:
            raise MemoryError  # a child that cannot finish its slice
        return iter(rows[start:stop])

    serial = _block_sheet_xml(tmp_path / "a.xlsx", 60, source, monkeypatch, parallel=False)
    parallel = _block_sheet_xml(tmp_path / "b.xlsx", 60, source, monkeypatch, parallel=True)
    assert parallel == serial
    assert list(temporary.glob("nianbao-rows-*")) == []


def test_a_slice_whose_process_hangs_is_taken_back_and_written_by_the_parent(tmp_path, monkeypatch):
    import os
    import time

    from nianbao.xlsx import rows as block_module

    rows = [[f"单位{i}", i] for i in range(40)]
    parent = os.getpid()

    def source(start, stop):
        if os.getpid() != parent:
            time.sleep(600)  # stuck
        return iter(rows[start:stop])

    serial = _block_sheet_xml(tmp_path / "a.xlsx", 40, source, monkeypatch, parallel=False)
    monkeypatch.setattr(block_module, "_PATIENCE", 0.5)
    parallel = _block_sheet_xml(tmp_path / "b.xlsx", 40, source, monkeypatch, parallel=True)
    assert parallel == serial


def test_when_no_process_can_be_started_the_parent_writes_every_slice(tmp_path, monkeypatch):
    import os

    temporary = _own_temporary_folder(tmp_path, monkeypatch)
    rows = [[f"单位{i}", i] for i in range(30)]

    def source(start, stop):
        return iter(rows[start:stop])

    serial = _block_sheet_xml(tmp_path / "a.xlsx", 30, source, monkeypatch, parallel=False)

    def no_fork():
        raise OSError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", no_fork)
    parallel = _block_sheet_xml(tmp_path / "b.xlsx", 30, source, monkeypatch, parallel=True)
    assert parallel == serial
    assert list(temporary.glob("nianbao-rows-*")) == []


def test_when_no_temporary_file_can_be_made_the_parent_writes_those_slices(tmp_path, monkeypatch):
    import tempfile

    rows = [[f"单位{i}", i] for i in range(30)]

    def source(start, stop):
        return iter(rows[start:stop])

    serial = _block_sheet_xml(tmp_path / "a.xlsx", 30, source, monkeypatch, parallel=False)

    def full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(tempfile, "mkstemp", full)
    parallel = _block_sheet_xml(tmp_path / "b.xlsx", 30, source, monkeypatch, parallel=True)
    assert parallel == serial
