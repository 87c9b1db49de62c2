"""preflight.inspect hands calamine the archive it checked with the parts it inflated stored
as they are (``Inspected.archive``): the same parts, in the same order, under the same names,
holding the same bytes; calamine reads the same cells from it as from the file."""

from __future__ import annotations

import io
import warnings
import zipfile
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from nianbao.pipeline.check import read_one
from nianbao.sources.preflight import VALUE_PARTS, inspect
from tests.support import badfiles
from tests.support.returns import written_template


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return written_template(tmp_path_factory.mktemp("stored") / "水泥路街道.xlsx")


def _parts(data: bytes) -> list[tuple[str, int, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None  # every checksum holds
        return [(i.filename, i.flag_bits & 0x800, archive.read(i)) for i in archive.infolist()]


def _cells(data: bytes) -> dict[str, list[list[object]]]:
    workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    return {name: workbook.get_sheet_by_name(name).to_python() for name in workbook.sheet_names}


def test_the_copy_holds_every_part_as_the_file_does_and_the_checked_ones_stored(
    template: Path,
) -> None:
    data = template.read_bytes()
    inspected = inspect(template)
    assert inspected.archive is not None
    assert _parts(inspected.archive) == _parts(data)
    with zipfile.ZipFile(io.BytesIO(inspected.archive)) as archive:
        stored = {i.filename for i in archive.infolist() if i.compress_type == zipfile.ZIP_STORED}
        deflated = {i.filename for i in archive.infolist()} - stored
    assert {n for n in stored if n.startswith("xl/worksheets/")} == {
        n for n in inspected.parts if n.startswith("xl/worksheets/")
    }
    assert "xl/sharedStrings.xml" in stored and "xl/styles.xml" in stored
    assert "xl/theme/theme1.xml" in deflated  # not inflated by preflight: its bytes as they are
    assert _cells(inspected.archive) == _cells(data)


def test_names_outside_ascii_keep_their_encoding(template: Path, tmp_path: Path) -> None:
    data = badfiles.rezip(template.read_bytes(), add={"docProps/附件说明.xml": b"<a/>"})
    path = badfiles.write(tmp_path / "附件.xlsx", data)
    inspected = inspect(path)
    assert inspected.archive is not None
    assert _parts(inspected.archive) == _parts(data)
    assert ("docProps/附件说明.xml", 0x800, b"<a/>") in _parts(inspected.archive)


def test_a_file_whose_parts_share_a_name_is_parsed_as_it_is(template: Path, tmp_path: Path) -> None:
    # which of two parts of one name a reader takes is its own choice: no copy chooses for it
    data = template.read_bytes()
    out = io.BytesIO(data)
    with warnings.catch_warnings(), zipfile.ZipFile(out, "a") as archive:
        warnings.simplefilter("ignore")  # zipfile warns of the duplicate name
        archive.writestr("docProps/app.xml", b"<Properties/>")
    path = badfiles.write(tmp_path / "重名部件.xlsx", out.getvalue())
    inspected = inspect(path)
    assert inspected.archive is None
    read, original = read_one(path), read_one(template)
    assert isinstance(read, type(original)), read
    assert read.values == original.values


def test_value_parts_a_reader_takes_values_from_are_stored(template: Path) -> None:
    inspected = inspect(template)
    assert inspected.archive is not None
    with zipfile.ZipFile(io.BytesIO(inspected.archive)) as archive:
        for info in archive.infolist():
            if info.filename in VALUE_PARTS:
                assert info.compress_type == zipfile.ZIP_STORED, info.filename
