"""One policy for matching unit names (``checks.units.UnitIndex``, names compared by
``text.unit_key``): last year's folder (``--previous``) finds a unit given twice as every
other place finds a unit, whatever invisible characters, widths or spaces its name carries."""

from __future__ import annotations

import pytest

from nianbao.checks.units import UnitIndex, returns_index
from nianbao.errors import UserError
from nianbao.form import get_form
from nianbao.pipeline.check import _Seen, load_last_year
from nianbao.xlsx.writer import write_return
from tests.support.returns import valid_return

FORM = get_form("2021")
YEAR = 2024
UNIT = "甲区财政局"
# How a name copied from a web page or WeChat differs from the roster's: unit_key folds them.
SPELLINGS = ("甲区\u200b财政局", "\ufeff甲区财政局", "甲区　财政局", "甲区财政局\u00ad")


def _write(folder, name: str, unit: str, seed: int, **attributes):
    folder.mkdir(exist_ok=True)
    ret = valid_return(FORM, seed, unit=unit, year=YEAR, **attributes)
    write_return(folder / name, FORM, ret)
    return ret


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_one_unit_twice_in_last_years_folder_is_found_whatever_its_name_carries(spelling, tmp_path):
    folder = tmp_path / "去年"
    _write(folder, "a.xlsx", UNIT, 1)
    _write(folder, "b.xlsx", spelling, 2)  # other figures: which is last year's?
    with pytest.raises(UserError, match="有两份报表") as raised:
        load_last_year(folder)
    assert "a.xlsx" in str(raised.value) and "b.xlsx" in str(raised.value)


def test_a_copy_with_a_zero_width_space_in_its_name_is_one_unit(tmp_path):
    folder = tmp_path / "去年"
    _write(folder, "a.xlsx", UNIT, 1)
    _write(folder, "b.xlsx", SPELLINGS[0], 1)  # the same figures: a copy
    last = load_last_year(folder)
    assert [r.unit for r in last.returns] == [UNIT]
    this_year = valid_return(FORM, 5, unit=SPELLINGS[0], year=YEAR + 1)
    assert last.find(this_year) is last.returns[0]


def test_the_name_a_template_was_issued_to_finds_the_unit_too(tmp_path):
    seen = _Seen("上年报表文件夹 去年/")
    renamed = valid_return(FORM, 1, unit="甲区财政", issued=UNIT, year=YEAR)
    assert seen.add(renamed, "a.xlsx")
    with pytest.raises(UserError, match="a.xlsx 和 b.xlsx"):
        seen.add(valid_return(FORM, 2, unit=SPELLINGS[0], year=YEAR), "b.xlsx")


def test_units_of_one_name_and_different_codes_are_two_units():
    """By code first: a code tells units apart whatever their names (same_unit)."""
    seen = _Seen("上年报表文件夹 去年/")
    assert seen.add(valid_return(FORM, 1, unit=UNIT, code="001", year=YEAR), "a.xlsx")
    assert seen.add(valid_return(FORM, 2, unit=SPELLINGS[0], code="002", year=YEAR), "b.xlsx")
    with pytest.raises(UserError, match="有两份报表"):
        seen.add(valid_return(FORM, 3, unit="改了名的局", code="００２", year=YEAR), "c.xlsx")


def test_the_folder_is_matched_by_unit_index(monkeypatch, tmp_path):
    """_Seen asks UnitIndex, the one matcher: every lookup goes through it."""
    asked = []
    real = UnitIndex.candidates

    def counted(self, code, *names):
        asked.append(names)
        return real(self, code, *names)

    monkeypatch.setattr(UnitIndex, "candidates", counted)
    folder = tmp_path / "去年"
    _write(folder, "a.xlsx", UNIT, 1)
    _write(folder, "b.xlsx", "乙区财政局", 2)
    load_last_year(folder)
    assert [names[0] for names in asked] == [UNIT, "乙区财政局"]


def test_an_index_grown_one_item_at_a_time_finds_as_one_built_at_once():
    returns = [
        valid_return(FORM, 1, unit=UNIT, code="001", issued="甲区财政局（旧）"),
        valid_return(FORM, 2, unit="乙区财政局"),
        valid_return(FORM, 3, unit=SPELLINGS[0], code="003"),
    ]
    grown: UnitIndex = UnitIndex((), lambda r: r.unit, lambda r: r.code)
    for ret in returns:
        grown.add(ret, ret.issued)
    built = returns_index(returns)
    for code, names in (
        ("001", ()),
        ("００３", ("乙区财政局",)),
        (None, ("甲区\u200b财政局（旧）",)),
        (None, ("丙", "乙区 财政局")),
        (None, ("丙",)),
    ):
        assert grown.find(code, *names) == built.find(code, *names)
    # candidates: what find could answer, code first, each once
    assert grown.candidates("003", UNIT) == [returns[2], returns[0]]
    assert grown.candidates("001", UNIT) == [returns[0]]
    assert grown.candidates(None, "丙") == []
