"""Reading nianbao's own workbooks back (identity path), both engines, and the seed sample."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nianbao.form import FORMS, get_form
from nianbao.form.a1 import cell_name
from nianbao.form.data import Return, complete, filled_return
from nianbao.form.findings import Rule
from nianbao.form.layout import COVER_FIELDS, COVER_SHEET, COVER_VALUE_COL, layout_for
from nianbao.form.model import Form, ValueType
from nianbao.recognise.reader import UnknownLayout, read_return
from nianbao.sources.grid import load_grid, open_grid
from nianbao.sources.preflight import Inspected, UnreadableFile, inspect
from nianbao.xlsx.writer import write_return

ENGINES = ("calamine", "openpyxl")
ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "samples" / "seed" / "道外区水泥路街道办事处-2021.xlsx"


def numbered_inputs(form: Form) -> dict[str, int | Decimal]:
    """Distinct figures in every input cell, so a misplaced cell cannot go unnoticed."""
    inputs: dict[str, int | Decimal] = {}
    for i, key in enumerate(form.input_keys, start=1):
        cell = form.cell(key)
        inputs[key] = Decimal(i) + Decimal("0.25") if cell.value_type is ValueType.AMOUNT else i
    return inputs


def written(tmp_path: Path, form: Form, name: str = "r.xlsx", **attributes) -> tuple[Path, Return]:
    attributes = {
        "unit": "道外区测试局",
        "parent": "道外区人民政府",
        "year": form.years[0],
        **attributes,
    }
    ret = filled_return(form, numbered_inputs(form), **attributes)
    path = tmp_path / name
    write_return(path, form, ret)
    return path, ret


def comparable(ret: Return) -> tuple:
    """Everything a Return says, for comparing two reads."""
    return (
        ret.form.vintage,
        ret.values,
        ret.unit,
        ret.parent,
        ret.year,
        ret.kind,
        ret.members,
        ret.cover,
        ret.locations,
        [(n.rule, n.message, n.sheet, n.cells, n.operands) for n in ret.notes],
    )


def rules_of(ret: Return) -> list[Rule]:
    return [n.rule for n in ret.notes]


def inputs_of(ret: Return) -> dict:
    return {key: ret.values[key] for key in ret.form.input_keys}


def rewrite(path: Path, edit) -> None:
    """Edit a copy of the workbook as a user would in a spreadsheet (openpyxl stands in).

    openpyxl keeps formulas but not their cached results: totals read back blank.
    """
    book = openpyxl.load_workbook(path)
    edit(book)
    book.save(path)


# -- round trip --------------------------------------------------------------------------------


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("vintage", sorted(FORMS))
def test_a_written_return_reads_back_equal_to_itself(tmp_path, vintage, engine):
    form = get_form(vintage)
    path, ret = written(tmp_path, form)
    back = read_return(path, engine=engine)
    assert back.form is form
    assert back.values == ret.values
    assert (back.unit, back.parent, back.year) == (ret.unit, ret.parent, ret.year)
    assert back.notes == [] and back.locations == {}
    assert back.source == str(path)


def _returns(form: Form):
    def value(key: str):
        kind = form.cell(key).value_type
        if kind is ValueType.AMOUNT:
            return st.decimals(
                min_value=0, max_value=10**6, places=4, allow_nan=False, allow_infinity=False
            )
        if kind is ValueType.DELTA:
            return st.integers(-(10**6), 10**6)
        return st.integers(0, 10**6)

    return st.fixed_dictionaries({key: value(key) for key in form.input_keys})


@pytest.mark.parametrize("vintage", sorted(FORMS))
def test_any_valid_return_written_and_read_back_equals_itself(tmp_path_factory, vintage):
    form = get_form(vintage)
    folder = tmp_path_factory.mktemp(f"prop{vintage}")

    @settings(
        max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
    )
    @given(inputs=_returns(form), year=st.integers(form.years[0], form.years[1] or 2030))
    def check(inputs, year):
        ret = filled_return(form, inputs, unit="某某街道办事处", year=year)
        path = folder / "p.xlsx"
        write_return(path, form, ret)
        for engine in ENGINES:
            back = read_return(path, engine=engine)
            assert back.values == complete(form, inputs)
            assert (back.unit, back.year, back.notes) == ("某某街道办事处", year, [])

    check()


# -- identity path: what users do to a template ----------------------------------------------


def test_unit_and_year_come_from_the_cover_before_the_identity_sheet(tmp_path):
    form = get_form("2021")
    path, _ = written(tmp_path, form, year=2022)
    fields = {f.key: f for f in COVER_FIELDS}

    def edit(book):
        cover = book[COVER_SHEET]
        cover.cell(fields["unit"].row + 1, COVER_VALUE_COL + 1, "改过的单位名称")
        cover.cell(fields["year"].row + 1, COVER_VALUE_COL + 1, "2023年")
        cover.cell(fields["phone"].row + 1, COVER_VALUE_COL + 1, "0451-12345678")

    rewrite(path, edit)
    back = read_return(path)
    assert back.unit == "改过的单位名称"
    assert back.year == 2023
    assert back.cover["phone"] == "0451-12345678"
    note, issued = sorted(back.notes, key=lambda f: f.rule.id, reverse=True)
    assert note.rule is Rule.V06 and note.sheet == COVER_SHEET
    assert note.cells == (cell_name(fields["year"].row, COVER_VALUE_COL),)
    assert "2023年" in note.message
    # the template was issued for 2022: the cover's year differs (C05, at the same cell)
    assert issued.rule is Rule.C05 and issued.cells == note.cells
    assert issued.operands == {"封面年度": 2023, "模板年度": 2022}


def test_an_unreadable_year_is_left_missing_and_kept_as_typed_on_the_cover(tmp_path):
    form = get_form("2021")
    path, _ = written(tmp_path, form, year=None)
    year_row = next(f.row for f in COVER_FIELDS if f.key == "year")
    rewrite(path, lambda book: book[COVER_SHEET].cell(year_row + 1, COVER_VALUE_COL + 1, "今年"))
    back = read_return(path, year=None)
    assert back.year is None
    assert back.cover["year"] == "今年"


def test_the_year_argument_is_used_when_the_workbook_has_none(tmp_path):
    path, _ = written(tmp_path, get_form("2021"), year=None)
    assert read_return(path, year=2024).year == 2024


def test_rows_inserted_into_a_table_are_found_by_label_with_a_warning(tmp_path):
    form = get_form("2021")
    path, ret = written(tmp_path, form)
    sheet = layout_for(form).sheet_for("三:1:c1")
    rewrite(path, lambda book: book[sheet.name].insert_rows(sheet.cells["三:3.1:c1"][0] + 1, 2))
    for engine in ENGINES:
        back = read_return(path, engine=engine)
        assert inputs_of(back) == inputs_of(ret)
        moved = [n for n in back.notes if n.rule is Rule.L02]
        assert len(moved) == 1 and "表三" in moved[0].message and moved[0].sheet == sheet.name
        row, col = sheet.cells["三:3.1:c1"]
        assert back.location("三:3.1:c1") == (sheet.name, cell_name(row + 2, col))
        assert back.location("三:1:c1") == (sheet.name, sheet.address("三:1:c1"))


def test_a_renamed_sheet_is_found_by_its_labels_with_a_warning(tmp_path):
    form = get_form("2019")
    path, ret = written(tmp_path, form)
    title = form.table("四").title
    rewrite(path, lambda book: setattr(book[title], "title", "表四"))
    back = read_return(path)
    assert inputs_of(back) == inputs_of(ret)
    assert rules_of(back) == [Rule.L02]
    assert back.location("四:1:ar1")[0] == "表四"


def test_a_label_retyped_in_the_template_is_read_with_a_L02_warning(tmp_path):
    form = get_form("2021")
    path, ret = written(tmp_path, form)
    sheet = layout_for(form).sheet_for("三:1:c1")
    label = next(label for label in sheet.labels if label.text == "商业企业")
    rewrite(
        path,
        lambda book: book[sheet.name].cell(label.first[0] + 1, label.first[1] + 1, "商业\n企业"),
    )
    back = read_return(path)
    assert inputs_of(back) == inputs_of(ret) and back.locations == {}
    (note,) = back.notes
    assert note.rule is Rule.L02 and note.cells == (cell_name(*label.first),)
    assert "商业（换行）企业" in note.message and "「商业企业」" in note.message


def test_blank_and_placeholder_cells_are_noted_once_per_table_listing_every_cell(tmp_path):
    form = get_form("2021")
    inputs = numbered_inputs(form)
    blank = [k for k in form.input_keys if k.startswith("三:3.3")][:12]
    slashes = {"三:1:c1": "/", "三:2:c2": "—", "四:1:ar1": "无"}
    values = {**complete(form, inputs), **dict.fromkeys(blank), **slashes, "三:3.1:c3": " 5 "}
    path = tmp_path / "r.xlsx"
    write_return(path, form, Return(form, values, unit="甲", year=2021))
    back = read_return(path)
    layout = layout_for(form)
    by_rule = {(n.rule, n.sheet): n for n in back.notes}
    assert len(by_rule) == len(back.notes)
    v04 = by_rule[(Rule.V04, form.table("三").title)]
    assert set(v04.cells) == {layout.address(k)[1] for k in blank}
    assert "有 12 个空白单元格，已按 0 计" in v04.message and "请填写 0" in v04.message
    v05 = by_rule[(Rule.V05, form.table("三").title)]
    assert set(v05.cells) == {layout.address("三:1:c1")[1], layout.address("三:2:c2")[1]}
    assert (Rule.V05, form.table("四").title) in by_rule
    assert by_rule[(Rule.V06, form.table("三").title)].cells == (layout.address("三:3.1:c3")[1],)
    assert all(back.values[k] is None for k in [*blank, *slashes])
    assert back.values["三:3.1:c3"] == 5


def test_text_and_fractions_in_count_cells_are_kept_for_the_checker(tmp_path):
    form = get_form("2021")
    values = {**complete(form, numbered_inputs(form)), "三:1:c1": "十二", "三:1:c2": Decimal("2.5")}
    path = tmp_path / "r.xlsx"
    write_return(path, form, Return(form, values, unit="甲", year=2021))
    back = read_return(path)
    assert back.values["三:1:c1"] == "十二"
    assert back.values["三:1:c2"] == Decimal("2.5")
    assert back.notes == []


def test_a_workbook_without_the_tables_is_refused_with_L01_saying_what_was_expected(tmp_path):
    path = tmp_path / "other.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["姓名", "电话"])
    book.save(path)
    with pytest.raises(UnknownLayout) as caught:
        read_return(path)
    finding = caught.value.finding
    assert finding.rule is Rule.L01 and finding.file == str(path)
    assert "「一、本年新收政府信息公开申请数量」" in finding.message
    assert "nianbao template" in finding.message


def test_a_broken_file_is_unreadable_not_a_crash(tmp_path):
    path, _ = written(tmp_path, get_form("2021"))
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(UnreadableFile) as caught:
        read_return(path)
    assert caught.value.finding.rule.id.startswith("F")


# -- the seed and the engines ------------------------------------------------------------------


@pytest.mark.parametrize("engine", ENGINES)
def test_the_seed_workbook_reads_as_the_published_report(engine):
    ret = read_return(SEED, engine=engine)
    assert ret.unit == "道外区水泥路街道办事处" and ret.year == 2021
    assert ret.form.vintage == "2021"
    assert set(ret.values) == {c.key for c in ret.form.cells}
    assert set(ret.values.values()) == {0}
    rules = {(n.rule, n.sheet) for n in ret.notes}
    assert (Rule.V06, "Sheet1") in rules  # " 0" and "0 " typed as text
    assert (Rule.L02, "Sheet1") in rules  # 商业\n企业, 结果 纠正
    assert not any(n.is_error for n in ret.notes)
    assert ret.location("四:1:ar1")[0] == "Sheet1"


def test_the_seed_script_writes_the_committed_seed_byte_for_byte(tmp_path, monkeypatch):
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_seed", SEED.parent / "make_seed.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setattr(module, "TARGET", tmp_path / SEED.name)
    assert module.main().read_bytes() == SEED.read_bytes()


@pytest.fixture(scope="module")
def fixture_files(tmp_path_factory) -> list[Path]:
    """Workbooks of every kind the reader meets: written, edited, foreign, samples."""
    from tests.support.foreign import ForeignStyle, text_with_spaces, write_foreign

    folder = tmp_path_factory.mktemp("differential")
    files: list[Path] = []
    for vintage, form in FORMS.items():
        path, ret = written(folder, form, f"w{vintage}.xlsx")
        files.append(path)
        edited = folder / f"e{vintage}.xlsx"
        shutil.copy(path, edited)
        sheet = layout_for(form).sheet_for("三:1:c1")
        rewrite(edited, lambda book, name=sheet.name: book[name].insert_rows(8, 1))
        files.append(edited)
        foreign = folder / f"f{vintage}.xlsx"
        style = ForeignStyle(
            sheets="one",
            title=f"某局{form.years[0]}年政府信息公开工作年度报告",
            variants={"结果纠正": "结果 纠正"},
        )
        write_foreign(
            foreign,
            form,
            {**ret.values, "三:1:c1": None, "三:1:c2": "/"},
            style,
            write=text_with_spaces,
        )
        files.append(foreign)
        files.append(_flagged_copy(path, folder / f"flags{vintage}.xlsx", form))
    files += sorted((ROOT / "samples").rglob("*.xlsx"))
    return files


def _flagged_copy(source: Path, target: Path, form: Form) -> Path:
    """``source`` with cells that read blank but are not: a formula a script wrote without its
    result (openpyxl), and error values (#DIV/0! with its formula, #REF! alone)."""
    import io
    import re
    import zipfile

    from tests.support.badfiles import rezip

    sheet = layout_for(form).sheet_for("三:1:c1")
    book = openpyxl.load_workbook(source)
    book[sheet.name][sheet.address("三:1:c1")] = "=1+1"
    book.save(target)
    data = target.read_bytes()
    part = f"xl/worksheets/sheet{book.sheetnames.index(sheet.name) + 1}.xml"
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = archive.read(part).decode()
    for key, inner in (("三:1:c2", "<f>1/0</f><v>#DIV/0!</v>"), ("三:2:c1", "<v>#REF!</v>")):
        ref = sheet.address(key)
        xml, n = re.subn(
            rf'<c r="{ref}"( s="\d+")?[^>]*?(?:/>|>.*?</c>)',
            rf'<c r="{ref}"\1 t="e">{inner}</c>',
            xml,
        )
        assert n == 1
    target.write_bytes(rezip(data, replace={part: xml.encode()}))
    return target


def outcome(path: Path, engine: str) -> tuple:
    """What reading ``path`` gives: the grid and the Return, or the refusal."""
    try:
        ret = read_return(path, engine=engine)
    except (UnreadableFile, UnknownLayout) as refused:
        return ("refused", refused.finding.rule, refused.finding.message)
    return ("read", load_grid(path, engine).as_dict(), comparable(ret))


def test_both_engines_read_identical_grids_and_returns_on_every_sample_and_fixture(fixture_files):
    assert any(p.parent.name == "seed" for p in fixture_files)
    flagged = [load_grid(p).as_dict() for p in fixture_files if p.name.startswith("flags")]
    assert flagged and all(
        sorted(set().union(*(flags.values() for _, _, flags in grid.values())))
        == ["#DIV/0!", "#REF!", "="]
        for grid in flagged
    )
    for path in fixture_files:
        assert outcome(path, "calamine") == outcome(path, "openpyxl"), path


def _grid(path: Path, engine: str, inspected: Inspected | None) -> dict:
    with open_grid(path, engine, inspect(path).fmt, inspected) as grid:
        for sheet in grid.sheets:
            _ = sheet.rows, sheet.flags
        return grid.as_dict()


@pytest.mark.parametrize("engine", ["calamine", "openpyxl"])
def test_the_bytes_preflight_checked_read_as_the_file_itself(fixture_files, engine):
    """Reading hands the engines the bytes (and worksheet XML) preflight kept; opening the file
    anew (rosters, seasons) must give the same grid."""
    for path in fixture_files:
        try:
            inspected = inspect(path)
        except UnreadableFile:
            continue
        if engine == "openpyxl" and inspected.fmt not in ("xlsx", "xlsm"):
            continue
        assert inspected.data == path.read_bytes()
        assert _grid(path, engine, inspected) == _grid(path, engine, None), path


def test_what_is_read_is_what_preflight_checked_even_if_the_file_changes(tmp_path):
    form = get_form("2021")
    path = tmp_path / "r.xlsx"
    write_return(path, form, filled_return(form, {"三:1:c1": 5}, unit="甲", year=2021))
    inspected = inspect(path)
    assert inspected.parts and all(xml.startswith(b"<?xml") for xml in inspected.parts.values())
    write_return(path, form, filled_return(form, {"三:1:c1": 9}, unit="乙", year=2021))
    with open_grid(path, "calamine", inspected.fmt, inspected) as grid:
        sheet = grid.get(layout_for(form).sheet_for("三:1:c1").name)
        row, col = layout_for(form).position("三:1:c1")
        assert sheet is not None and sheet.cell(row, col) == 5  # the checked bytes, not the new


def test_flags_come_from_the_parts_preflight_kept_wherever_the_worksheet_lies(tmp_path):
    """worksheet_xml maps sheets to parts from the sheet list preflight kept, without opening
    the zip again: it must find a worksheet stored outside xl/worksheets/ (named by an absolute
    target) as reading the zip anew does, and the formula without a result there is flagged."""
    import io
    import re
    import zipfile

    from nianbao.sources.preflight import FORMULA_WITHOUT_RESULT
    from nianbao.sources.sheetxml import cell_flags, worksheet_xml
    from tests.support.badfiles import rezip

    form = get_form("2021")
    layout = layout_for(form)
    plain = tmp_path / "plain.xlsx"
    write_return(plain, form, filled_return(form, {"三:1:c1": 5}, unit="甲", year=2021))
    data = plain.read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheet = archive.read("xl/worksheets/sheet3.xml").decode()
        rels = archive.read("xl/_rels/workbook.xml.rels").decode()
    a1 = cell_name(*layout.position("三:1:c1"))
    sheet, n = re.subn(rf'(<c r="{a1}"[^>]*?)(?: t="\w+")?>.*?</c>', r"\1><f>2+3</f></c>", sheet)
    assert n == 1
    moved = rezip(
        data,
        replace={
            "xl/worksheets/sheet3.xml": None,
            "xl/_rels/workbook.xml.rels": rels.replace(
                '"worksheets/sheet3.xml"', '"/xl/Data/Tab3.xml"'
            ).encode(),
        },
        add={"xl/Data/Tab3.xml": sheet.encode()},
    )
    path = tmp_path / "moved.xlsx"
    path.write_bytes(moved)
    inspected = inspect(path)
    assert "xl/Data/Tab3.xml" in inspected.parts and "xl/workbook.xml" in inspected.parts
    kept, anew = worksheet_xml(path, inspected), worksheet_xml(path, None)
    assert kept.keys() == anew.keys() and len(kept) == 5
    assert {name: read() for name, read in kept.items()} == {n: r() for n, r in anew.items()}
    table = layout.sheet_for("三:1:c1").name
    flags = cell_flags(kept[table]())
    assert flags == {layout.position("三:1:c1"): FORMULA_WITHOUT_RESULT}
