"""The official blank workbook: structure read back with openpyxl, labels vs the seed, CLI."""

from __future__ import annotations

import io
import json
import os
import tempfile
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from openpyxl.utils import get_column_letter

from nianbao.cli import cli
from nianbao.errors import UserError
from nianbao.form import FORMS, get_form
from nianbao.form.data import Return, blank_return
from nianbao.form.layout import (
    COVER_FIELDS,
    COVER_SHEET,
    COVER_VALUE_COL,
    IDENTITY_MARKER,
    IDENTITY_SHEET,
    LAYOUT_VERSION,
    layout_for,
)
from nianbao.form.model import ValueType
from nianbao.xlsx.writer import CHECK_FAIL, CHECK_OK, write_return
from tests.support.returns import valid_return

SEED_LABELS = Path(__file__).parent / "data" / "seed_labels_2021.json"


@pytest.fixture(scope="module")
def blank_books(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("blank")
    paths = {}
    for vintage, form in FORMS.items():
        paths[vintage] = folder / f"{vintage}.xlsx"
        write_return(
            paths[vintage], form, unit="水泥路街道办事处", parent="道外区", year=form.years[0]
        )
    return paths


def _rc(pos: tuple[int, int]) -> tuple[int, int]:
    return pos[0] + 1, pos[1] + 1


def _merged(ws) -> set[str]:
    return {str(r) for r in ws.merged_cells.ranges}


def _validation_for(ws, coordinate: str):
    found = [dv for dv in ws.data_validations.dataValidation if coordinate in dv.sqref]
    assert len(found) == 1, f"{ws.title}!{coordinate}: {len(found)} validations"
    return found[0]


# -- structure -------------------------------------------------------------------------------


@pytest.mark.parametrize("vintage", sorted(FORMS))
def test_sheets_are_cover_then_one_per_table_then_the_very_hidden_identity(blank_books, vintage):
    form = get_form(vintage)
    wb = openpyxl.load_workbook(blank_books[vintage])
    assert wb.sheetnames == [COVER_SHEET, *(t.title for t in form.tables), IDENTITY_SHEET]
    assert wb[IDENTITY_SHEET].sheet_state == "veryHidden"
    assert all(wb[name].sheet_state == "visible" for name in wb.sheetnames[:-1])
    assert wb.active.title == COVER_SHEET


@pytest.mark.parametrize("vintage", sorted(FORMS))
def test_every_label_sits_at_its_layout_position_with_its_merge(blank_books, vintage):
    form = get_form(vintage)
    wb = openpyxl.load_workbook(blank_books[vintage])
    for sheet in layout_for(form).sheets:
        ws = wb[sheet.name]
        merged = _merged(ws)
        for label in sheet.labels:
            assert ws.cell(*_rc(label.first)).value == label.text, (sheet.name, label)
            span = f"{ws.cell(*_rc(label.first)).coordinate}:{ws.cell(*_rc(label.last)).coordinate}"
            assert (span in merged) == label.merged, (sheet.name, label)
        for key, end in sheet.cell_ends.items():
            first = ws.cell(*_rc(sheet.cells[key])).coordinate
            assert f"{first}:{ws.cell(*_rc(end)).coordinate}" in merged


@pytest.mark.parametrize("vintage", sorted(FORMS))
def test_input_cells_are_unlocked_and_validated_by_value_type(blank_books, vintage):
    form = get_form(vintage)
    wb = openpyxl.load_workbook(blank_books[vintage])
    layout = layout_for(form)
    expected = {
        ValueType.COUNT: ("whole", "greaterThanOrEqual", "0"),
        ValueType.AMOUNT: ("decimal", "greaterThanOrEqual", "0"),
        ValueType.DELTA: ("whole", None, None),  # "between" is the default, not written
    }
    for key in form.input_keys:
        name, address = layout.address(key)
        cell = wb[name][address]
        assert cell.protection.locked is False, key
        assert cell.value is None, key
        assert cell.fill.fgColor.rgb.endswith("FFF2CC"), key  # the filler sees where to type
        dv = _validation_for(wb[name], address)
        kind, operator, formula = expected[form.cell(key).value_type]
        assert (dv.type, dv.operator) == (kind, operator), key
        if formula is not None:
            assert dv.formula1 == formula
        assert dv.showErrorMessage and dv.showInputMessage
        assert dv.errorStyle in (None, "stop")
        assert "没有" in dv.prompt and "请填" in dv.prompt and "填写" in dv.promptTitle
        assert form.cell(key).description in dv.prompt
        assert "只能填" in dv.error and dv.errorTitle == "填写有误"


@pytest.mark.parametrize("vintage", sorted(FORMS))
def test_derived_cells_are_locked_formulas_of_their_defining_rule(blank_books, vintage):
    form = get_form(vintage)
    wb = openpyxl.load_workbook(blank_books[vintage])
    layout = layout_for(form)
    for key in form.derived_keys:
        sheet = layout.sheet_for(key)
        cell = wb[sheet.name][sheet.address(key)]
        equation = form.defining[key]
        assert cell.value == "=" + equation.excel_side(equation.rhs, sheet.cells.__getitem__)
        assert cell.protection.locked is True
        assert not cell.fill.fgColor.rgb.endswith("FFF2CC")


@pytest.mark.parametrize("vintage", sorted(FORMS))
def test_labels_are_locked_and_every_sheet_is_protected_without_password(blank_books, vintage):
    form = get_form(vintage)
    wb = openpyxl.load_workbook(blank_books[vintage])
    for sheet in layout_for(form).sheets:
        ws = wb[sheet.name]
        for label in sheet.labels:
            assert ws.cell(*_rc(label.first)).protection.locked is True
    for ws in wb.worksheets:
        assert ws.protection.sheet is True, ws.title
        assert not ws.protection.password, ws.title
        assert ws.protection.formatColumns is False and ws.protection.formatRows is False  # allowed


def test_a_password_protects_every_sheet(tmp_path):
    path = tmp_path / "p.xlsx"
    write_return(path, get_form("2021"), password="秘密123")
    wb = openpyxl.load_workbook(path)
    assert all(ws.protection.password for ws in wb.worksheets)


@pytest.mark.parametrize("vintage", sorted(FORMS))
def test_live_checks_come_from_the_E1_rules_with_a_red_conditional_format(blank_books, vintage):
    form = get_form(vintage)
    wb = openpyxl.load_workbook(blank_books[vintage])
    sheet = layout_for(form).sheet_for("三:1:c1")
    ws = wb[sheet.name]
    position = sheet.cells.__getitem__
    formats = {str(rng.sqref): rules for rng, rules in ws.conditional_formatting._cf_rules.items()}
    for equation in form.balance_equations:
        col = position(equation.lhs[0].key)[1]
        cell = ws.cell(sheet.check_row + 1, col + 1)
        diff = equation.excel_difference(position)
        assert cell.value == f'=IF({diff}=0,"{CHECK_OK}","{CHECK_FAIL}"&ABS({diff}))'
        (rule,) = formats[cell.coordinate]
        assert rule.formula == [f"{diff}<>0"]
        assert rule.dxf.fill is not None
    label = ws.cell(sheet.check_row + 1, 1).value
    assert label.startswith("校验")


@pytest.mark.parametrize("vintage", sorted(FORMS))
def test_every_table_prints_on_one_a4_landscape_page_with_repeated_headers(blank_books, vintage):
    form = get_form(vintage)
    wb = openpyxl.load_workbook(blank_books[vintage])
    for sheet in layout_for(form).sheets:
        ws = wb[sheet.name]
        assert ws.page_setup.orientation == "landscape"
        assert ws.page_setup.paperSize in (9, "9")
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.page_setup.fitToWidth in (1, "1", None)  # None: Excel's default of 1
        first, last = sheet.header_rows
        assert ws.print_title_rows.replace("$", "") == f"{first + 1}:{last + 1}"
        last_cell = ws.cell(sheet.last_row + 1, sheet.width).coordinate
        assert ws.print_area.replace("$", "").endswith(f"A1:{last_cell}")
        for row in range(sheet.last_row + 1):
            assert all(c.font.name == "宋体" for c in ws[row + 1] if c.value is not None)


def test_long_labels_get_wide_columns_and_tall_rows(blank_books):
    form = get_form("2021")
    wb = openpyxl.load_workbook(blank_books["2021"])
    sheet = layout_for(form).sheet_for("三:3.6.1:c1")
    ws = wb[sheet.name]
    row, _ = sheet.cells["三:3.6.1:c1"]
    label = next(lb for lb in sheet.labels if lb.text.startswith("1.申请人无正当理由"))
    width = ws.column_dimensions[get_column_letter(label.first[1] + 1)].width
    height = ws.row_dimensions[row + 1].height
    # about 2 columns per CJK character over the lines the row gives it
    lines = height // 15
    assert width * lines >= 2 * len(label.text) * 0.9


def test_cover_is_prefilled_and_names_the_vintage(blank_books):
    form = get_form("2021")
    wb = openpyxl.load_workbook(blank_books["2021"])
    ws = wb[COVER_SHEET]
    values = {f.key: ws.cell(f.row + 1, COVER_VALUE_COL + 1) for f in COVER_FIELDS}
    labels = {f.key: ws.cell(f.row + 1, COVER_VALUE_COL).value for f in COVER_FIELDS}
    assert labels == {f.key: f.label for f in COVER_FIELDS}
    assert values["unit"].value == "水泥路街道办事处"
    assert values["parent"].value == "道外区"
    assert values["year"].value == 2021
    assert all(c.protection.locked is False for c in values.values())
    text = "\n".join(str(c.value) for row in ws.iter_rows() for c in row if c.value)
    assert form.document in text
    for phrase in ("浅黄色", "填 0", "总计", "校验", "不要插入"):
        assert phrase in text
    assert any(
        dv for dv in ws.data_validations.dataValidation if values["year"].coordinate in dv.sqref
    )


@pytest.mark.parametrize("vintage", sorted(FORMS))
def test_identity_sheet_says_what_the_workbook_is(blank_books, vintage):
    wb = openpyxl.load_workbook(blank_books[vintage])
    ws = wb[IDENTITY_SHEET]
    identity = {row[0].value: row[1].value for row in ws.iter_rows(max_col=2)}
    assert identity["marker"] == IDENTITY_MARKER
    assert identity["vintage"] == vintage
    assert identity["layout"] == LAYOUT_VERSION
    assert identity["generator"].startswith("nianbao ")
    assert identity["year"] == get_form(vintage).years[0]
    assert identity["unit"] == "水泥路街道办事处"
    assert identity["parent"] == "道外区"
    assert identity["kind"] == "return" and identity["members"] == 1
    assert vintage in wb.properties.keywords and "nianbao" in wb.properties.keywords


# -- values ----------------------------------------------------------------------------------


def _filled(vintage: str) -> Return:
    ret = valid_return(get_form(vintage), seed=7)
    form = ret.form
    # Make one column of 表三 unbalanced so a check must fail.
    key = next(k for k in form.input_keys if k.startswith("三:1:"))
    ret.values[key] += 5
    return ret


@pytest.mark.parametrize("vintage", sorted(FORMS))
def test_a_return_round_trips_with_correct_cached_totals_and_checks(tmp_path, vintage):
    ret = _filled(vintage)
    form = ret.form
    path = tmp_path / "r.xlsx"
    write_return(path, form, ret)
    cached = openpyxl.load_workbook(path, data_only=True)
    layout = layout_for(form)
    completed = ret.completed()
    for key in form.input_keys:
        value = cached[layout.address(key)[0]][layout.address(key)[1]].value
        expected = ret.values[key]
        assert value == (float(expected) if isinstance(expected, Decimal) else expected), key
    for key in form.derived_keys:
        value = cached[layout.address(key)[0]][layout.address(key)[1]].value
        assert value == completed[key], key
    sheet = layout.sheet_for("三:1:c1")
    statuses = []
    for equation in form.balance_equations:
        col = sheet.cells[equation.lhs[0].key][1]
        shown = cached[sheet.name].cell(sheet.check_row + 1, col + 1).value
        residual = equation.residual(completed)
        assert shown == (CHECK_OK if residual == 0 else f"{CHECK_FAIL}{abs(residual)}")
        statuses.append(residual == 0)
    assert not all(statuses) and any(statuses)
    assert cached[IDENTITY_SHEET]["B6"].value == ret.unit


def test_text_and_blank_values_are_written_as_typed(tmp_path):
    form = get_form("2021")
    ret = blank_return(form, unit="某局", year=2022)
    inputs = list(form.input_keys)
    ret.values[inputs[0]] = "/"
    ret.values[inputs[1]] = 3
    ret.values["二:20-8.1:c1"] = Decimal("1.25")
    path = tmp_path / "t.xlsx"
    write_return(path, form, ret)
    wb = openpyxl.load_workbook(path)
    layout = layout_for(form)

    def value(key):
        name, address = layout.address(key)
        return wb[name][address].value

    assert value(inputs[0]) == "/"
    assert value(inputs[1]) == 3
    assert value("二:20-8.1:c1") == 1.25
    assert value(inputs[2]) is None


def test_a_summary_return_is_marked_as_such(tmp_path):
    form = get_form("2021")
    ret = valid_return(form, seed=3, unit="道外区")
    path = tmp_path / "s.xlsx"
    write_return(path, form, ret, kind="summary", members=12)
    wb = openpyxl.load_workbook(path)
    identity = {row[0].value: row[1].value for row in wb[IDENTITY_SHEET].iter_rows(max_col=2)}
    assert identity["kind"] == "summary" and identity["members"] == 12
    assert "汇总" in wb[COVER_SHEET]["A1"].value


# -- determinism and the shipped templates ---------------------------------------------------


def test_the_same_call_gives_byte_identical_files(tmp_path):
    form = get_form("2021")
    ret = valid_return(form, seed=1)
    write_return(tmp_path / "a.xlsx", form, ret, password="x")
    write_return(tmp_path / "b.xlsx", form, ret, password="x")
    assert (tmp_path / "a.xlsx").read_bytes() == (tmp_path / "b.xlsx").read_bytes()


def _members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(path.read_bytes())) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


@pytest.mark.parametrize("vintage", sorted(FORMS))
def test_shipped_templates_are_up_to_date(tmp_path, vintage):
    from templates.regenerate import template_path

    shipped = template_path(vintage)
    fresh = tmp_path / shipped.name
    result = CliRunner().invoke(cli, ["template", "--vintage", vintage, "-o", str(fresh)])
    assert result.exit_code == 0, result.output
    # Compare the unzipped parts: deflate output may differ between zlib builds.
    assert shipped.exists() and _members(shipped) == _members(fresh), (
        f"{shipped} 已过期：请在仓库根目录运行 python templates/regenerate.py 重新生成。"
    )


# -- the seed: labels of a real published 2021 report ---------------------------------------


def _label_cells_in_reading_order(ws, sheet) -> list[str]:
    """Every text cell of the table outside the data cells, row by row, left to right."""
    data = set()
    for key, pos in sheet.cells.items():
        end = sheet.cell_ends.get(key, pos)
        data |= {(pos[0], c) for c in range(pos[1], end[1] + 1)}
    texts = []
    for row in ws.iter_rows(min_row=2, max_row=sheet.last_row + 1, max_col=sheet.width):
        for cell in row:
            if (cell.row - 1, cell.column - 1) in data:
                continue
            if isinstance(cell.value, str) and cell.value:
                texts.append(cell.value)
    return texts


def test_the_2021_workbook_has_exactly_the_labels_of_the_published_seed_report(blank_books):
    seed = json.loads(SEED_LABELS.read_text(encoding="utf-8"))
    form = get_form("2021")
    wb = openpyxl.load_workbook(blank_books["2021"])
    sheets = layout_for(form).sheets
    assert [t["title"] for t in seed["tables"]] == [s.name for s in sheets]
    for expected, sheet in zip(seed["tables"], sheets, strict=True):
        ws = wb[sheet.name]
        assert ws["A1"].value == expected["title"]
        assert _label_cells_in_reading_order(ws, sheet) == expected["labels"], sheet.name


# -- the command -----------------------------------------------------------------------------


def _run(args: list[str], cwd: Path | None = None):
    runner = CliRunner()
    if cwd is None:
        return runner.invoke(cli, args)
    folder = Path(tempfile.mkdtemp(dir=cwd))  # a fresh working folder, as a user's would be
    previous = os.getcwd()
    os.chdir(folder)
    try:
        return runner.invoke(cli, args)
    finally:
        os.chdir(previous)


def _cover(path: Path) -> dict[str, object]:
    ws = openpyxl.load_workbook(path)[COVER_SHEET]
    return {f.key: ws.cell(f.row + 1, COVER_VALUE_COL + 1).value for f in COVER_FIELDS}


def _vintage(path: Path) -> str:
    ws = openpyxl.load_workbook(path)[IDENTITY_SHEET]
    return {row[0].value: row[1].value for row in ws.iter_rows(max_col=2)}["vintage"]


def test_template_help_is_entirely_chinese():
    result = CliRunner().invoke(cli, ["template", "--help"], prog_name="nianbao")
    assert result.exit_code == 0
    for option in (
        "--year",
        "--vintage",
        "--unit",
        "--parent",
        "--output",
        "--password",
        "--roster",
        "--out-dir",
    ):
        assert option in result.output
    words = [w for w in result.output.replace("-", " ").split() if w.isascii() and w.isalpha()]
    # Only option names, metavars and the command names may be ASCII words.
    allowed = {
        "nianbao",
        "template",
        "year",
        "vintage",
        "unit",
        "parent",
        "o",
        "output",
        "password",
    }
    allowed |= {"roster", "out", "dir", "force", "h", "help", "xlsx", "csv"}
    assert set(w.lower() for w in words) <= allowed, words
    assert "Show this message" not in result.output and "Usage" not in result.output


@pytest.mark.parametrize(
    ("year", "vintage"), [("2020", "2019"), ("2021", "2021"), ("2025", "2021")]
)
def test_the_year_chooses_the_vintage(tmp_path, year, vintage):
    out = tmp_path / "t.xlsx"
    result = _run(["template", "--year", year, "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert _vintage(out) == vintage
    assert _cover(out)["year"] == int(year)


def test_vintage_overrides_the_year_with_a_chinese_warning(tmp_path):
    out = tmp_path / "t.xlsx"
    result = _run(["template", "--year", "2023", "--vintage", "2019", "-o", str(out)])
    assert result.exit_code == 0
    assert _vintage(out) == "2019"
    assert "注意" in result.output and "2021版" in result.output


def test_default_output_is_a_chinese_name_in_the_current_folder(tmp_path, monkeypatch):
    runner = CliRunner()
    monkeypatch.chdir(tmp_path)
    folder = tmp_path
    result = runner.invoke(
        cli, ["template", "--year", "2025", "--unit", "某某局", "--parent", "某某区"]
    )
    assert result.exit_code == 0, result.output
    (made,) = Path(folder).glob("*.xlsx")
    assert made.name == "某某局-政府信息公开年报统计表-2025年度.xlsx"
    assert _cover(made)["unit"] == "某某局" and _cover(made)["parent"] == "某某区"
    assert "已生成" in result.output


def test_an_existing_file_is_not_overwritten_without_force(tmp_path):
    out = tmp_path / "t.xlsx"
    out.write_bytes(b"filled return")
    result = _run(["template", "-o", str(out)])
    assert isinstance(result.exception, UserError) and "--force" in str(result.exception)
    assert out.read_bytes() == b"filled return"
    assert _run(["template", "-o", str(out), "--force"]).exit_code == 0
    assert _vintage(out) == "2021"


@pytest.mark.parametrize(
    ("args", "phrase"),
    [
        (["--year", "2018"], "2019 年及以后"),
        (["--year", "二〇二五"], "不是年份"),
        (["--vintage", "2020"], "不在可选值"),
        (["-o", "t.xls"], ".xlsx"),
        (["--out-dir", "d"], "--roster"),
    ],
)
def test_bad_arguments_are_refused_in_chinese(tmp_path, args, phrase):
    result = _run(["template", *args], cwd=tmp_path)
    message = str(result.exception) if isinstance(result.exception, UserError) else result.output
    assert result.exit_code != 0
    assert phrase in message
    assert not list(tmp_path.rglob("*.xlsx"))


def _roster(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def test_roster_writes_one_prefilled_workbook_per_unit(tmp_path):
    roster = _roster(
        tmp_path / "名册.csv",
        "单位名称,上级单位,单位代码\n水泥路街道办事处,道外区,001\n某某局,,002\n",
        "gbk",
    )
    out = tmp_path / "下发"
    result = _run(
        [
            "template",
            "--year",
            "2025",
            "--roster",
            str(roster),
            "--out-dir",
            str(out),
            "--parent",
            "某某区",
        ]
    )
    assert result.exit_code == 0, result.output
    made = sorted(out.iterdir())
    assert len(made) == 2
    covers = {_cover(p)["unit"]: _cover(p) for p in made}
    assert covers["水泥路街道办事处"]["parent"] == "道外区"
    assert covers["某某局"]["parent"] == "某某区"  # --parent fills the roster's gaps
    assert all(c["year"] == 2025 for c in covers.values())
    assert "2 个单位" in result.output


def test_roster_names_are_made_safe_and_collisions_numbered_inside_the_folder(tmp_path):
    roster = _roster(tmp_path / "r.csv", "单位名称\n../../越界局\nA/B局\nA_B局\na_b局\nCON\n")
    out = tmp_path / "out"
    result = _run(["template", "--roster", str(roster), "--out-dir", str(out)])
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in out.iterdir())
    assert len(names) == 5 and all(p.parent == out for p in out.iterdir())
    assert not list(tmp_path.glob("*.xlsx"))  # nothing escaped the folder
    stems = [n.split("-政府信息公开年报统计表")[0] for n in names]
    assert "A_B局" in stems
    assert any(n.endswith("-2.xlsx") for n in names) and any(n.endswith("-3.xlsx") for n in names)
    units = {_cover(out / n)["unit"] for n in names}
    assert units == {"../../越界局", "A/B局", "A_B局", "a_b局", "CON"}
    again = tmp_path / "again"
    _run(["template", "--roster", str(roster), "--out-dir", str(again)])
    assert sorted(p.name for p in again.iterdir()) == names  # deterministic naming


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("名称,上级单位\n某局,某区\n", "缺少「单位名称」列"),
        ("单位名称\n某局\n某局\n", "重复"),
        ("单位名称,上级单位\n某局,某区\n,某区\n", "是空的"),
    ],
)
def test_a_bad_roster_writes_nothing(tmp_path, text, phrase):
    roster = _roster(tmp_path / "r.csv", text)
    out = tmp_path / "out"
    result = _run(["template", "--roster", str(roster), "--out-dir", str(out)])
    assert isinstance(result.exception, UserError)
    assert phrase in str(result.exception) and "r.csv" in str(result.exception)
    assert not out.exists()


def test_roster_refuses_to_overwrite_returns_already_in_the_folder(tmp_path):
    roster = _roster(tmp_path / "r.csv", "单位名称\n甲局\n乙局\n")
    out = tmp_path / "out"
    assert _run(["template", "--roster", str(roster), "--out-dir", str(out)]).exit_code == 0
    filled = sorted(out.iterdir())[0]
    filled.write_bytes(b"filled")
    result = _run(["template", "--roster", str(roster), "--out-dir", str(out)])
    assert isinstance(result.exception, UserError)
    assert filled.read_bytes() == b"filled"


def test_the_cli_prints_user_errors_in_chinese_with_exit_code_2(tmp_path):
    import subprocess
    import sys

    roster = _roster(tmp_path / "r.csv", "单位名称\n某局\n某局\n")
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "from nianbao.cli import main; main()",
            "template",
            "--roster",
            str(roster),
            "--out-dir",
            str(tmp_path / "o"),
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2
    assert result.stderr.startswith("错误：") and "Traceback" not in result.stderr


@pytest.mark.parametrize("engine", ["calamine", "openpyxl"])
@pytest.mark.parametrize("vintage", sorted(FORMS))
def test_the_reader_gets_back_exactly_what_the_writer_wrote(tmp_path, vintage, engine):
    from nianbao.recognise.reader import read_return

    form = get_form(vintage)
    ret = valid_return(form, seed=5, unit="水泥路街道办事处", parent="道外区")
    path = tmp_path / "rt.xlsx"
    write_return(path, form, ret)
    back = read_return(path, engine=engine)
    assert back.form is form
    assert (back.unit, back.parent, back.year) == (ret.unit, ret.parent, ret.year)
    assert back.values == ret.values
    blank = tmp_path / "blank.xlsx"
    write_return(blank, form)
    values = read_return(blank, engine=engine).values
    assert all(values[key] is None for key in form.input_keys)


@pytest.mark.parametrize("command", ["template", "merge", "status"])
def test_every_roster_option_says_a_roster_may_be_csv_or_xlsx(command):
    # template read .xlsx rosters all along, but its help said CSV only.
    from nianbao.cli import cli

    sub = cli.get_command(None, command)  # type: ignore[arg-type]
    (option,) = [p for p in sub.params if p.name == "roster"]
    assert "CSV 或 .xlsx" in option.help and "单位名称" in option.help


def test_a_filled_return_is_never_overwritten_by_a_template_even_with_force(tmp_path):
    """A unit sends its return back under the template's name; saved into the folder the
    templates went out from, a later `template --roster --out-dir --force` put a blank
    template in its place and its figures were gone."""
    roster = tmp_path / "名册.csv"
    roster.write_text("单位名称\n甲局\n乙局\n", encoding="utf-8")
    out = tmp_path / "下发"
    assert (
        _run(
            ["template", "--year", "2025", "--roster", str(roster), "--out-dir", str(out)]
        ).exit_code
        == 0
    )
    sent_back = next(out.glob("甲局*.xlsx"))
    ret = valid_return(get_form("2021"), 1, unit="甲局", year=2025)
    write_return(sent_back, ret.form, ret, unit="甲局", year=2025)
    before = sent_back.read_bytes()
    again = [
        "template", "--year", "2025", "--roster", str(roster), "--out-dir", str(out), "--force"
    ]  # fmt: skip
    result = _run(again)
    assert isinstance(result.exception, UserError)
    assert "已经填有数字" in str(result.exception) and sent_back.name in str(result.exception)
    assert sent_back.read_bytes() == before
    sent_back.unlink()  # moved to 收回/: the templates are made again
    assert _run(again).exit_code == 0
