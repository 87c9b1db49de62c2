"""What Excel shows against what the cell stores: the reader takes the stored value, a filler and
whoever signs the printed return see the shown one. Where they differ so that the figure cannot
be known (a format hiding it, scaling it, showing it as a percentage or with a digit of its
own; a font the colour of the cell), V13 names the cell, what it stores and what it shows;
figures in hidden rows or columns of a table are read and told (V14). Formats that show the
figure as it is (General, 0, #,##0, 0"件", [Red] …) stay silent.

Each test builds the workbook (openpyxl on a return nianbao wrote, or a foreign one) and reads
it with both engines, which must agree.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.styles import Font, PatternFill

from nianbao.form import get_form
from nianbao.form.data import Return
from nianbao.form.findings import Finding, Rule
from nianbao.form.layout import layout_for
from nianbao.recognise.reader import read_return
from tests.support.engines import read_with_both_engines
from tests.support.foreign import ForeignStyle, write_foreign
from tests.support.returns import edited_copy, notes_of, valid_return, written_template
from tests.support.soffice import convert_many, requires_soffice

FORM = get_form("2021")
LAYOUT = layout_for(FORM)
NEW = "三:1:c1"  # 表三 一、本年新收 · 自然人: a count
FEE = next(c.key for c in FORM.cells if c.value_type.name == "AMOUNT" and not c.derived)
SHOWN_RULES = (Rule.V13, Rule.V14)


def a1(key: str) -> str:
    return LAYOUT.address(key)[1]


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    return written_template(tmp_path_factory.mktemp("shown") / "t.xlsx")


def styled(
    template: Path,
    tmp_path: Path,
    key: str,
    value: object,
    fmt: str | None = None,
    font: Font | None = None,
    fill: PatternFill | None = None,
) -> Path:
    """The template with ``value`` typed at ``key`` in a cell given ``fmt``/``font``/``fill``."""
    path = tmp_path / "r.xlsx"
    name, ref = LAYOUT.address(key)
    with edited_copy(template, path) as book:
        cell = book[name][ref]
        cell.value = value
        if fmt is not None:
            cell.number_format = fmt
        if font is not None:
            cell.font = font
        if fill is not None:
            cell.fill = fill
    return path


def shown_notes(ret: Return) -> list[Finding]:
    return notes_of(ret, *SHOWN_RULES)


def one_v13(ret: Return, key: str) -> Finding:
    (note,) = shown_notes(ret)
    assert note.rule is Rule.V13 and note.is_error
    assert note.sheet == LAYOUT.address(key)[0]
    assert note.cells == (a1(key),)
    return note


# -- 1. a format that hides the figure --------------------------------------------------------


def test_a_figure_hidden_by_three_semicolons_is_an_error_at_its_cell(template, tmp_path):
    ret = read_with_both_engines(styled(template, tmp_path, NEW, 7, ";;;"))
    note = one_v13(ret, NEW)
    assert f"{a1(NEW)} 存的是 7" in note.message
    assert "「;;;」" in note.message and "空白" in note.message
    assert ret.values[NEW] == 7  # read as stored (the sums count it), never silently


def test_a_figure_falling_in_an_empty_positive_section_is_hidden_too(template, tmp_path):
    note = one_v13(read_with_both_engines(styled(template, tmp_path, NEW, 7, ";-0;0")), NEW)
    assert "空白" in note.message


@pytest.mark.parametrize(("fmt", "value"), [("0;-0;", 0), (";;;", 0), ("0;-0;", 7)])
def test_a_zero_section_left_empty_hides_only_a_zero_and_says_nothing(
    template, tmp_path, fmt, value
):
    assert shown_notes(read_with_both_engines(styled(template, tmp_path, NEW, value, fmt))) == []


# -- 2. a format that scales ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "value", "shown"),
    [("0,", 12345, "12"), ("0.00,,", 12345678, "12.35"), ('#,##0,"千"', 12345, "12千")],
)
def test_a_scaling_format_names_the_stored_figure_and_the_shown_one(
    template, tmp_path, fmt, value, shown
):
    note = one_v13(read_with_both_engines(styled(template, tmp_path, NEW, value, fmt)), NEW)
    assert f"存的是 {value}" in note.message
    assert f"「{fmt}」" in note.message and f"显示为「{shown}」" in note.message


# -- 3. percentages and dates on a count ------------------------------------------------------


def test_a_percent_format_on_a_whole_count_is_an_error(template, tmp_path):
    note = one_v13(read_with_both_engines(styled(template, tmp_path, NEW, 1, "0%")), NEW)
    assert "显示为「100%」" in note.message


def test_a_percent_format_on_an_amount_is_an_error(template, tmp_path):
    note = one_v13(read_with_both_engines(styled(template, tmp_path, FEE, 0.5, "0%")), FEE)
    assert "显示为「50%」" in note.message


@pytest.mark.parametrize("fmt", ["0%", "0,", "0.0%%"])
def test_a_huge_figure_under_a_percent_or_scaling_format_is_told_at_its_cell(
    template, tmp_path, fmt
):
    # 9.9E+307 (a typing or formula accident) shown by 0%: 308 digits, more than Decimal's
    # default 28 could round, failed the whole file as an unexpected problem
    note = one_v13(read_with_both_engines(styled(template, tmp_path, NEW, 9.9e307, fmt)), NEW)
    assert "存的是 9.9E+307" in note.message and "…" in note.message  # the shown text cut


@pytest.mark.parametrize("fmt", ['[>0]"-"', '[>=1]"";0', "[Red][>0]0,;0"])
def test_a_condition_written_with_a_raw_greater_than_sign_is_still_read(template, tmp_path, fmt):
    # ">" may stand unescaped in an attribute (valid XML; writers other than Excel do it):
    # the styles were cut at it, the cell's format lost, and the dash showed 7 in silence
    path = styled(template, tmp_path, NEW, 7, fmt)
    raw = tmp_path / "raw.xlsx"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(raw, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/styles.xml":
                assert b"&gt;" in data
                data = data.replace(b"&gt;", b">")
            target.writestr(item.filename, data)
    assert one_v13(read_with_both_engines(raw), NEW).cells == (a1(NEW),)


@pytest.mark.parametrize("fmt", ["0." + "0" * 30, "0." + "0" * 30 + "E+00"])
def test_thirty_decimals_show_the_figure_as_it_is(template, tmp_path, fmt):
    # Excel's most decimals, more places than Decimal's default precision holds: 5.000…E+00
    # failed the whole file as an unexpected problem; it shows 5, as stored
    assert shown_notes(read_with_both_engines(styled(template, tmp_path, FEE, 5, fmt))) == []


@pytest.mark.parametrize("fmt", ['m"月"d"日"', "yyyy/m/d", "h:mm"])
def test_a_count_shown_as_a_date_stays_one_v01_that_says_date(template, tmp_path, fmt):
    """Both engines turn a date-formatted number into a date: the checker's V01 says so at the
    cell; the reader adds nothing (no second note for the same cell)."""
    ret = read_with_both_engines(styled(template, tmp_path, NEW, 46086, fmt))
    assert shown_notes(ret) == []
    assert isinstance(ret.values[NEW], str)


@pytest.mark.parametrize(
    ("fmt", "value", "shown"),
    [
        ("[h]", 10, "240"),
        ("[h]:mm", 1.5, "36:00"),
        ("[h]:mm:ss", 1.5, "36:00:00"),
        ("[mm]:ss", 10, "14400:00"),
        ("[ss]", 10, "864000"),
        ('[h]"小时"', 10, "240小时"),
    ],
)
def test_a_count_in_an_elapsed_time_format_names_what_excel_shows(
    template, tmp_path, fmt, value, shown
):
    """Both engines turn a number under [h], [mm]:ss … into a duration: the user was shown
    Python's「10 days, 0:00:00」. It is the number of days stored, and Excel shows it as hours,
    minutes or seconds: V13 names both, as for any format that shows another figure."""
    note = one_v13(read_with_both_engines(styled(template, tmp_path, NEW, value, fmt)), NEW)
    assert f"存的是 {value}" in note.message and f"「{fmt}」" in note.message
    assert f"显示为「{shown}」" in note.message
    assert "day" not in note.message


def test_a_duration_whose_format_is_not_read_is_said_in_chinese_words():
    """.xlsb's formats are not read: its duration stays text (V01), in words a person reads,
    with the message for a cell formatted as a date or time."""
    import datetime

    from nianbao.checks.schemas import value_finding
    from nianbao.sources.grid import _convert_unjudged

    words = _convert_unjudged(datetime.timedelta(days=1, hours=12))
    assert words == "1 天 12 小时"
    ret = valid_return(FORM, 1, unit="某局", year=2024)
    cell = next(c for c in FORM.cells if c.key == NEW)
    message = value_finding(Rule.V01, cell, ret, words).message
    assert "读到的是「1 天 12 小时」" in message and "日期或时间格式" in message


@pytest.mark.parametrize(
    ("fmt", "shown"), [("# ?/?", "12 1/2"), ("?/?", "25/2"), ("# ?/8", "12 4/8")]
)
def test_an_amount_in_a_fraction_format_names_the_fraction_shown(template, tmp_path, fmt, shown):
    """12.5 under # ?/? shows 12 1/2: V13 says so, not 「分数」 (a fraction, but which?)."""
    note = one_v13(read_with_both_engines(styled(template, tmp_path, FEE, 12.5, fmt)), FEE)
    assert "存的是 12.5" in note.message and f"显示为「{shown}」" in note.message


# -- 4. literal digits, and the harmless formats ------------------------------------------------


@pytest.mark.parametrize(("fmt", "shown"), [('0"0"', "50"), ('"1"0', "15"), ("0\\0", "50")])
def test_a_literal_digit_in_the_format_changes_the_figure_shown(template, tmp_path, fmt, shown):
    note = one_v13(read_with_both_engines(styled(template, tmp_path, NEW, 5, fmt)), NEW)
    assert f"显示为「{shown}」" in note.message


HARMLESS = [
    "General",
    "0",
    "#,##0",
    "0.00",
    '0"件"',
    '#,##0.00"万元"',
    "0_ ",
    "[Red]0",
    "0;-0;;@",
    "#,##0 ;(#,##0)",
    "#,##0 ;[Red](#,##0)",
    "#,##0.00;(#,##0.00)",
    "#,##0.00;[Red](#,##0.00)",
    '_-* #,##0_-;-* #,##0_-;_-* "-"_-;_-@_-',
    "@",
    "0;[Red]-0",
    "0.0",
    "[$-804]0",
    "[DBNum1]0",
    # what Chinese Excel and WPS write: General in the Chinese locale (G/通用格式, on nearly every
    # cell of a workbook made there), with its number shown in Chinese characters, Chinese
    # colour names, the Chinese accounting format
    "G/通用格式",
    "[DBNum1][$-804]G/通用格式",
    'G/通用格式"件"',
    "#,##0;[红色]-#,##0",
    "0_);[Red]\\(0\\)",
    '_ * #,##0_ ;_ * -#,##0_ ;_ * "-"_ ;_ @_ ',
    '_ ￥* #,##0.00_ ;_ ￥* -#,##0.00_ ;_ ￥* "-"??_ ;_ @_ ',
]


@pytest.mark.parametrize("value", [7, 0, 12345])
def test_formats_that_show_the_figure_as_it_is_say_nothing(template, tmp_path, value):
    """Every harmless format at once, each on its own count of 表三 (one workbook to read)."""
    keys = [key for key in FORM.input_keys if key.startswith("三:")][: len(HARMLESS)]
    path = tmp_path / "r.xlsx"
    with edited_copy(template, path) as book:
        for key, fmt in zip(keys, HARMLESS, strict=True):
            name, ref = LAYOUT.address(key)
            book[name][ref].value = value
            book[name][ref].number_format = fmt
    assert shown_notes(read_with_both_engines(path)) == []


@pytest.mark.parametrize("fmt", ["0.00", "#,##0.00", "0.0", "0"])
def test_an_amount_rounded_by_its_format_says_nothing(template, tmp_path, fmt):
    assert shown_notes(read_with_both_engines(styled(template, tmp_path, FEE, 2.5, fmt))) == []


# -- 5. a font the colour of the cell ---------------------------------------------------------


@pytest.mark.parametrize(
    ("colour", "fill"), [("FFFFFFFF", None), ("FFFFFF", "FFFFFF"), ("FFF2CC", "FFF2CC")]
)
def test_a_figure_in_a_font_the_colour_of_its_fill_is_an_error(template, tmp_path, colour, fill):
    """White on the template's light yellow input fill (hardly any contrast), white on white,
    the input fill's own yellow."""
    solid = PatternFill("solid", fgColor=fill) if fill else None
    path = styled(template, tmp_path, NEW, 7, font=Font(color=colour), fill=solid)
    note = one_v13(read_with_both_engines(path), NEW)
    assert "字体颜色与底色相同" in note.message and f"{a1(NEW)}「7」" in note.message


def test_a_white_font_on_a_theme_background_colour_is_an_error(template, tmp_path):
    from openpyxl.styles.colors import Color

    note = one_v13(
        read_with_both_engines(styled(template, tmp_path, NEW, 7, font=Font(color=Color(theme=0)))),
        NEW,
    )
    assert "字体颜色与底色相同" in note.message


def test_a_white_figure_on_a_dark_fill_or_a_white_zero_says_nothing(template, tmp_path):
    dark = PatternFill("solid", fgColor="FF1F4E79")
    white = Font(color="FFFFFFFF")
    assert (
        shown_notes(
            read_with_both_engines(styled(template, tmp_path, NEW, 7, font=white, fill=dark))
        )
        == []
    )
    assert shown_notes(read_with_both_engines(styled(template, tmp_path, NEW, 0, font=white))) == []


@pytest.mark.parametrize("points", [1, 3.5])
def test_a_figure_in_a_font_too_small_to_read_is_an_error(template, tmp_path, points):
    """As a run under 4 pt is (tests/test_rich_text_runs.py), so is a whole cell's font."""
    path = styled(template, tmp_path, NEW, 7, font=Font(sz=points))
    note = one_v13(read_with_both_engines(path), NEW)
    assert f"{a1(NEW)}「7」的字号极小，表上看不清" in note.message
    assert "字号改为正常大小" in note.message


@pytest.mark.parametrize("points", [4, 8, 20])
def test_a_figure_in_a_small_but_readable_font_says_nothing(template, tmp_path, points):
    assert (
        shown_notes(
            read_with_both_engines(styled(template, tmp_path, NEW, 7, font=Font(sz=points)))
        )
        == []
    )


@requires_soffice
def test_a_tiny_font_is_found_in_xls_and_ods_as_in_xlsx(template, tmp_path):
    source = styled(template, tmp_path, NEW, 7, font=Font(sz=1))
    for kind in ("xls", "ods"):
        (path,) = convert_many([source], kind, tmp_path / kind)
        note = one_v13(read_return(path), NEW)
        assert "字号极小" in note.message, kind


# -- 6. hidden rows and columns inside a table --------------------------------------------------


def foreign(tmp_path: Path, hide_rows: tuple[str, ...] = (), hide_columns: tuple[str, ...] = ()):
    """A foreign workbook (one sheet per table) with the rows of ``hide_rows`` keys and the
    columns of ``hide_columns`` keys hidden."""
    ret = valid_return(FORM, seed=5, unit="某局", year=2024)
    path = tmp_path / "f.xlsx"
    values = {k: v for k, v in ret.values.items() if not FORM.cell(k).derived}
    places = write_foreign(
        path, FORM, values, ForeignStyle(title="某局2024年政府信息公开工作年度报告")
    )
    book = openpyxl.load_workbook(path)
    for key in hide_rows:
        sheet, ref = places[key]
        book[sheet].row_dimensions[openpyxl.utils.cell.coordinate_to_tuple(ref)[0]].hidden = True
    for key in hide_columns:
        sheet, ref = places[key]
        letter = openpyxl.utils.cell.coordinate_from_string(ref)[0]
        book[sheet].column_dimensions[letter].hidden = True
    book.save(path)
    return path, places, ret


def hidden_note(ret: Return) -> Finding:
    (note,) = shown_notes(ret)
    assert note.rule is Rule.V14 and not note.is_error
    return note


def test_a_hidden_row_of_figures_in_the_middle_of_a_table_is_read_and_told(tmp_path):
    row = "三:3.2:c1"  # （二）部分公开
    path, places, ret = foreign(tmp_path, hide_rows=(row,))
    read = read_with_both_engines(path)
    assert read.values[row] == ret.values[row]  # read as stored
    note = hidden_note(read)
    sheet, ref = places[row]
    assert note.sheet == sheet and ref in note.cells
    number = openpyxl.utils.cell.coordinate_to_tuple(ref)[0]
    assert f"第 {number} 行" in note.message and "隐藏" in note.message
    figures = [k for k in FORM.input_keys if k.startswith("三:3.2:") and ret.values[k]]
    assert len(note.cells) == len(figures)


def test_a_hidden_column_of_figures_is_read_and_told(tmp_path):
    column = "三:1:c2"  # 商业企业
    path, places, ret = foreign(tmp_path, hide_columns=(column,))
    note = hidden_note(read_with_both_engines(path))
    sheet, ref = places[column]
    letter = openpyxl.utils.cell.coordinate_from_string(ref)[0]
    assert note.sheet == sheet and ref in note.cells and f"{letter} 列" in note.message


def test_a_hidden_row_of_zeros_and_the_plain_template_say_nothing(tmp_path, template):
    ret = valid_return(FORM, seed=5, unit="某局", year=2024)
    path = tmp_path / "f.xlsx"
    values = {k: v for k, v in ret.values.items() if not FORM.cell(k).derived}
    values.update({k: 0 for k in FORM.input_keys if k.startswith("三:3.2:")})
    places = write_foreign(path, FORM, values)
    book = openpyxl.load_workbook(path)
    sheet, ref = places["三:3.2:c1"]
    book[sheet].row_dimensions[openpyxl.utils.cell.coordinate_to_tuple(ref)[0]].hidden = True
    book.save(path)
    assert shown_notes(read_with_both_engines(path)) == []
    assert shown_notes(read_with_both_engines(template)) == []
