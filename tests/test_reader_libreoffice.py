"""Returns re-saved by LibreOffice (a real spreadsheet application) read back correctly."""

from __future__ import annotations

import random
from decimal import Decimal
from pathlib import Path

import pytest

from nianbao.form import get_form
from nianbao.form.data import filled_return
from nianbao.form.findings import Rule
from nianbao.form.model import ValueType
from nianbao.recognise.reader import read_return
from nianbao.sources.preflight import UnreadableFile
from nianbao.xlsx.writer import write_return
from tests.support.soffice import convert_many, requires_soffice

pytestmark = [requires_soffice, pytest.mark.soffice]

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "samples" / "seed" / "道外区水泥路街道办事处-2021.xlsx"
FORM = get_form("2021")


def _inputs() -> dict:
    return {
        key: Decimal(i) / 4 if FORM.cell(key).value_type is ValueType.AMOUNT else i
        for i, key in enumerate(FORM.input_keys, start=1)
    }


RETURN = filled_return(FORM, _inputs(), unit="道外区测试局", parent="道外区人民政府", year=2023)


def _error_cells() -> tuple[str, str, str]:
    """The sheet and the cells of 三:1:c1 and 三:2:c1, where a formula shows an error value."""
    from nianbao.form.layout import layout_for

    sheet, new = layout_for(FORM).address("三:1:c1")
    carried = layout_for(FORM).address("三:2:c1")[1]
    return sheet, new, carried


@pytest.fixture(scope="module")
def converted(tmp_path_factory) -> dict[str, Path]:
    """One batch of conversions for the whole module (each costs a LibreOffice start, so the
    files of one target format are converted together)."""
    import openpyxl

    folder = tmp_path_factory.mktemp("lo")
    source = folder / "填报.xlsx"
    write_return(source, FORM, RETURN)
    seed_copy = folder / "seed.xlsx"
    seed_copy.write_bytes(SEED.read_bytes())
    # the same return with formulas showing error values in two of its cells
    errors = folder / "错误值.xlsx"
    write_return(errors, FORM, RETURN)
    sheet, new, carried = _error_cells()
    book = openpyxl.load_workbook(errors)
    book[sheet][new] = "=1/0"
    book[sheet][carried] = "=#REF!+1"
    book.save(errors)
    xlsx, errors_xlsx, seed = convert_many([source, errors, seed_copy], "xlsx", folder / "xlsx")
    ods, errors_ods = convert_many([source, errors], "ods", folder / "ods")
    xls, errors_xls = convert_many([source, errors], "xls", folder / "xls")
    return {
        "xlsx": xlsx,
        "ods": ods,
        "xls": xls,
        "seed": seed,
        "errors-xlsx": errors_xlsx,
        "errors-ods": errors_ods,
        "errors-xls": errors_xls,
    }


@pytest.mark.parametrize("engine", ["calamine", "openpyxl"])
def test_a_return_resaved_by_libreoffice_reads_back_equal(converted, engine):
    back = read_return(converted["xlsx"], engine=engine)
    assert back.form is FORM
    assert back.values == RETURN.values  # totals recalculated by LibreOffice agree
    assert (back.unit, back.parent, back.year) == (RETURN.unit, RETURN.parent, RETURN.year)
    assert back.notes == []


@pytest.mark.parametrize("fmt", ["ods", "xls"])
def test_a_return_saved_as_ods_or_xls_is_read_by_the_fast_engine(converted, fmt):
    back = read_return(converted[fmt])
    assert back.values == RETURN.values
    assert (back.unit, back.year) == (RETURN.unit, RETURN.year)


def test_the_reference_engine_refuses_formats_it_cannot_read_with_F02(converted):
    with pytest.raises(UnreadableFile) as caught:
        read_return(converted["ods"], engine="openpyxl")
    assert caught.value.finding.rule is Rule.F02


def test_the_seed_resaved_by_libreoffice_reads_as_the_published_report(converted):
    back = read_return(converted["seed"])
    assert (back.unit, back.year, back.form.vintage) == ("道外区水泥路街道办事处", 2021, "2021")
    assert set(back.values.values()) == {0}


@pytest.mark.parametrize("fmt", ["ods", "xls"])
def test_error_values_in_a_return_saved_as_ods_or_xls_are_named_like_in_xlsx(converted, fmt):
    """calamine reads an error cell as blank; an .ods's content.xml, an .xls's FORMULA records
    say what it shows (V08), not a blank counted as 0 (V04)."""
    _, new, carried = _error_cells()
    saved = converted[f"errors-{fmt}"]
    resaved = converted["errors-xlsx"]
    notes = {
        name: [(n.rule, n.sheet, n.cells, n.message) for n in read_return(path).notes]
        for name, path in ((fmt, saved), ("xlsx", resaved))
    }
    assert notes[fmt] == notes["xlsx"]
    (v08,) = [n for n in notes[fmt] if n[0] is Rule.V08]
    assert v08[2] == (new, carried) and f"{new}「#DIV/0!」" in v08[3] and "#REF!" in v08[3]


def test_error_values_of_a_damaged_xls_are_found_or_not_never_a_crash(converted):
    from nianbao.sources.biff import biff_cell_flags

    data = converted["xls"].read_bytes()
    assert set(biff_cell_flags(data)) >= {FORM.table("三").title}
    rng = random.Random(7)
    for _ in range(200):
        damaged = bytearray(data)
        for _ in range(rng.randint(1, 8)):
            damaged[rng.randrange(len(damaged))] = rng.randrange(256)
        assert isinstance(biff_cell_flags(bytes(damaged)), dict)
    assert isinstance(biff_cell_flags(data[: len(data) // 2]), dict)  # truncated
