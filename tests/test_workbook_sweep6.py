"""Sweep 6 of how units fill and mangle the workbook, as a hostile tester played it: a figure
nobody sees on the signed table (a theme colour with a tint, a column too narrow to show it),
a far empty cell refused as a bomb, a table hidden by a date in its sheet name.

Each test builds its workbook from nianbao's own template and reads it with both engines,
which must agree.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from pathlib import Path

import pytest
from openpyxl.styles import Font, PatternFill
from openpyxl.styles.colors import Color

from nianbao.form import get_form
from nianbao.form.data import Return
from nianbao.form.findings import Finding, Rule
from nianbao.form.layout import layout_for
from nianbao.recognise.reader import UnknownLayout, read_return
from nianbao.sources.looks import theme_palette
from nianbao.sources.preflight import UnreadableFile, preflight
from tests.support import badfiles
from tests.support.engines import read_with_both_engines
from tests.support.returns import edited_copy, notes_of, written_template
from tests.support.soffice import convert_many, requires_soffice

FORM = get_form("2021")
LAYOUT = layout_for(FORM)
T3 = FORM.table("三").title
NEW = "三:1:c1"  # 表三 一、本年新收 · 自然人: a count
SHOWN_RULES = (Rule.V13, Rule.V14)


def a1(key: str) -> str:
    return LAYOUT.address(key)[1]


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    return written_template(tmp_path_factory.mktemp("sweep6") / "t.xlsx")


def shown_notes(ret: Return) -> list[Finding]:
    return notes_of(ret, *SHOWN_RULES)


def one_note(ret: Return, key: str, rule: Rule = Rule.V13) -> Finding:
    (note,) = shown_notes(ret)
    assert note.rule is rule
    assert note.sheet == LAYOUT.address(key)[0]
    assert note.cells == (a1(key),)
    return note


# -- 01. a theme colour with a tint: Excel's palette writes 60 of its 70 swatches so -----------

# 「白色，背景 1，深色 5%」 (F2F2F2), 「黑色，文字 1，淡色 95%」 (F2F2F2) on the light yellow
# input fill; 「白色，背景 1」 darker 15% (D9D9D9) stays legible on white, not on the yellow.
NEAR_WHITE = [Color(theme=0, tint=-0.0499893185216834), Color(theme=1, tint=0.95)]


@pytest.mark.parametrize("colour", NEAR_WHITE, ids=["theme0-darker5", "theme1-lighter95"])
def test_a_near_white_theme_font_with_a_tint_is_v13_as_its_rgb_is(template, tmp_path, colour):
    path = tmp_path / "r.xlsx"
    name, ref = LAYOUT.address(NEW)
    with edited_copy(template, path) as book:
        book[name][ref].font = Font(color=colour)
    note = one_note(read_with_both_engines(path), NEW)
    assert "字体颜色与底色相同" in note.message and f"{ref}「" in note.message


def test_a_near_black_theme_fill_under_black_text_is_v13(template, tmp_path):
    """「黑色，文字 1，淡色 5%」 (0D0D0D) filled under the template's own black (theme 1) text."""
    path = tmp_path / "r.xlsx"
    name, ref = LAYOUT.address(NEW)
    with edited_copy(template, path) as book:
        cell = book[name][ref]
        cell.fill = PatternFill("solid", fgColor=Color(theme=1, tint=0.0499893185216834))
        cell.font = Font(color=Color(theme=1))
    one_note(read_with_both_engines(path), NEW)


def test_accent_and_tinted_colours_that_can_be_read_stay_quiet(template, tmp_path):
    """An accent font (theme 4, the workbook's own blue), text 1 lighter 35%, a light accent
    fill under black text: all legible, as black or automatic text is."""
    path = tmp_path / "r.xlsx"
    name, _ = LAYOUT.address(NEW)
    keys = [c.key for c in FORM.cells if c.key.startswith("三:") and not c.derived][:3]
    with edited_copy(template, path) as book:
        sheet = book[name]
        sheet[a1(keys[0])].font = Font(color=Color(theme=4))
        sheet[a1(keys[1])].font = Font(color=Color(theme=1, tint=0.3499862666707358))
        sheet[a1(keys[2])].fill = PatternFill("solid", fgColor=Color(theme=4, tint=0.8))
    assert shown_notes(read_with_both_engines(path)) == []


def test_theme_colours_come_from_the_workbooks_own_theme():
    """theme="0" is the scheme's lt1 and theme="1" its dk1 (Excel swaps each pair); a system
    colour is its last shown colour."""
    scheme = (
        b'<a:theme xmlns:a="x"><a:themeElements><a:clrScheme name="t">'
        b'<a:dk1><a:sysClr val="windowText" lastClr="101010"/></a:dk1>'
        b'<a:lt1><a:srgbClr val="FEFEFE"/></a:lt1>'
        b'<a:dk2><a:srgbClr val="1F497D"/></a:dk2><a:lt2><a:srgbClr val="EEECE1"/></a:lt2>'
        b'<a:accent1><a:srgbClr val="4F81BD"/></a:accent1>'
        b"</a:clrScheme></a:themeElements></a:theme>"
    )
    palette = theme_palette(scheme)
    assert palette[:5] == (
        (254, 254, 254),
        (16, 16, 16),
        (238, 236, 225),
        (31, 73, 125),
        (79, 129, 189),
    )


# -- 02. a far cell that only has a format, as openpyxl writes it -----------------------------


def with_far_row(template: Path, path: Path, far: str) -> Path:
    """The template with ``far`` (a row's cells) added at row 100000 of its first sheet: 2.6
    million places up to column Z, refused (F04) if the cell counted."""
    part = "xl/worksheets/sheet1.xml"
    source = template.read_bytes()
    with zipfile.ZipFile(io.BytesIO(source)) as archive:
        xml = archive.read(part).decode()
    xml = xml.replace("</sheetData>", f'<row r="100000">{far}</row></sheetData>', 1)
    return badfiles.write(path, badfiles.rezip(source, replace={part: xml.encode()}))


@pytest.mark.parametrize(
    "far",
    [
        '<c r="Z100000" s="1" t="n"></c>',  # openpyxl's spelling of Excel's <c … s="1"/>
        '<c r="Z100000" s="1">\n  </c>',
        "<c s='1' r='Z100000' ></c >",
    ],
)
def test_a_far_cell_closed_at_once_holds_nothing_and_is_read(template, tmp_path, far):
    path = with_far_row(template, tmp_path / "远处格式.xlsx", far)
    assert preflight(path) == "xlsx"
    assert read_with_both_engines(path).values == read_return(template).values


@pytest.mark.parametrize(
    "far",
    [
        '<c r="Z100000" t="inlineStr"><is></is></c>',  # calamine places an empty text
        '<c r="Z100000" s="1"><v>1</v></c>',
        '<c r="Z100000" s=1></c>',  # not parsed strictly: counted
    ],
)
def test_a_far_cell_with_anything_inside_is_still_f04(template, tmp_path, far):
    path = with_far_row(template, tmp_path / "远处单元格.xlsx", far)
    with pytest.raises(UnreadableFile) as caught:
        preflight(path)
    assert caught.value.finding.rule is Rule.F04


# -- 06. a date or a carried-over year in a sheet name or title is not the table's year -------


@pytest.mark.parametrize(
    ("table", "edit"),
    [
        ("三", lambda sheet: setattr(sheet, "title", "三、收到和处理申请情况（2025.1.10修订）")),
        ("二", lambda sheet: setattr(sheet, "title", "二、主动公开（2025年1月报送）")),
        ("三", lambda sheet: setattr(sheet, "title", "三、申请情况（含上年结转）")),
        (
            "三",
            lambda sheet: sheet.__setitem__("A1", f"{T3}（2024年1月1日至12月31日，含2023年结转）"),
        ),
    ],
    ids=["revision-date", "submission-month", "carried-from-last-year", "title-carried-2023"],
)
def test_the_only_copy_of_a_table_is_read_whatever_date_its_name_or_title_gives(
    template, tmp_path, table, edit
):
    """A return compiled in January names the next year's date and last year's carried-over
    applications: neither is the year of the table, which is read (the cover says 2024)."""
    path = tmp_path / "r.xlsx"
    with edited_copy(template, path) as book:
        edit(book[FORM.table(table).title])
    ret, typed = read_with_both_engines(path), read_return(template)
    assert [ret.values[key] for key in FORM.input_keys] == [
        typed.values[key] for key in FORM.input_keys
    ]
    assert notes_of(ret, Rule.L07) == []


@pytest.mark.parametrize("name", ["三、申请情况（2023年）", "三、申请情况2023"])
def test_a_sheet_that_plainly_names_another_year_is_still_set_aside(template, tmp_path, name):
    path = tmp_path / "r.xlsx"
    with edited_copy(template, path) as book:
        book[T3].title = name
    with pytest.raises(UnknownLayout) as caught:
        read_return(path)
    assert "标明是其他年度的" in caught.value.finding.message


# -- 05. a row or column dragged nearly shut shows no digit -----------------------------------


def _resized(template: Path, path: Path, edit) -> Return:
    with edited_copy(template, path) as book:
        edit(book[T3])
    return read_with_both_engines(path)


NEW_COLUMN = "".join(ch for ch in a1(NEW) if ch.isalpha())
NEW_ROW = int("".join(ch for ch in a1(NEW) if ch.isdigit()))


@pytest.mark.parametrize(
    ("edit", "line"),
    [
        (lambda sheet: setattr(sheet.column_dimensions[NEW_COLUMN], "width", 1.0), "列"),
        (lambda sheet: setattr(sheet.column_dimensions[NEW_COLUMN], "width", 0.5), "列"),
        (lambda sheet: setattr(sheet.row_dimensions[NEW_ROW], "height", 1.0), "行"),
    ],
    ids=["width-1", "width-0.5", "height-1pt"],
)
def test_a_line_too_small_to_show_a_digit_is_v14_as_a_hidden_one(template, tmp_path, edit, line):
    """LibreOffice prints ### in a column of width 1, a row 1 pt high is a hairline: the
    figures are read and told, as in a row or column of no size."""
    ret = _resized(template, tmp_path / "r.xlsx", edit)
    (note,) = notes_of(ret, Rule.V14)
    assert a1(NEW) in note.cells and "太窄" in note.message
    if line == "列":
        assert f"{NEW_COLUMN} 列（已隐藏）" in note.message
    else:
        assert f"第 {NEW_ROW} 行（已隐藏）" in note.message


@pytest.mark.parametrize(
    "edit",
    [
        lambda sheet: setattr(sheet.column_dimensions[NEW_COLUMN], "width", 1.71),  # one digit
        lambda sheet: setattr(sheet.column_dimensions[NEW_COLUMN], "width", 4),
        lambda sheet: setattr(sheet.row_dimensions[NEW_ROW], "height", 9),
    ],
    ids=["width-one-digit", "width-4", "height-9pt"],
)
def test_narrow_lines_that_still_show_a_digit_stay_quiet(template, tmp_path, edit):
    assert notes_of(_resized(template, tmp_path / "r.xlsx", edit), Rule.V14) == []


# -- 03. an .ods cell kept off the printed table by its protection ----------------------------


def _ods_sheet(protected: bool, cell_properties: str) -> bytes:
    """A one-sheet content.xml: 1 in a plain cell, 7 in a cell of style ce1 (properties
    ``cell_properties``)."""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="o" xmlns:style="s" xmlns:table="t" xmlns:text="x">
<office:automatic-styles><style:style style:name="ce1" style:family="table-cell">
<style:table-cell-properties {cell_properties}/></style:style></office:automatic-styles>
<office:body><office:spreadsheet>
<table:table table:name="S"{' table:protected="true"' if protected else ""}>
<table:table-column/><table:table-row>
<table:table-cell office:value-type="float" office:value="1"><text:p>1</text:p></table:table-cell>
<table:table-cell table:style-name="ce1" office:value-type="float" office:value="7">
<text:p>7</text:p></table:table-cell></table:table-row>
</table:table></office:spreadsheet></office:body></office:document-content>""".encode()


@pytest.mark.parametrize(
    ("protected", "properties", "said"),
    [
        (False, 'style:print-content="false"', "打印时隐藏"),
        (True, 'style:print-content="false" style:cell-protect="none"', "打印时隐藏"),
        (True, 'style:cell-protect="hidden-and-protected"', "全部隐藏"),
        (False, 'style:cell-protect="hidden-and-protected"', None),  # works on a protected sheet
        (True, 'style:print-content="true" style:cell-protect="protected"', None),
    ],
)
def test_an_ods_cell_not_printed_is_shown_as_such(protected, properties, said):
    from nianbao.sources.ods import ods_looks

    found = ods_looks(_ods_sheet(protected, properties), b"")
    cells = found["S"][0] if found else {}
    if said is None:
        assert cells == {}
    else:
        assert set(cells) == {(0, 1)}
        assert (cells[(0, 1)].why, cells[(0, 1)].text) == ("unprinted", said)


@requires_soffice
def test_a_return_saved_as_ods_with_a_figure_hidden_when_printing_is_v13(template, tmp_path):
    """LibreOffice's Format Cells → Cell Protection → 「打印时隐藏」 on 表三's first figure:
    LibreOffice's own PDF leaves it out; V13 at that cell."""
    (ods,) = convert_many([template], "ods", tmp_path / "ods")
    with zipfile.ZipFile(ods) as archive:
        content = archive.read("content.xml").decode()
    table = content.index(f'table:name="{T3}"')
    value = read_return(template).values[NEW]
    cell = content.rindex("<table:table-cell", 0, content.index(f'office:value="{value}"', table))
    style = re.search(r'table:style-name="([^"]+)"', content[cell:]).group(1)
    content = content.replace(
        "</office:automatic-styles>",
        f'<style:style style:name="ceNP" style:family="table-cell" '
        f'style:parent-style-name="{style}"><style:table-cell-properties '
        'style:print-content="false"/></style:style></office:automatic-styles>',
        1,
    )
    content = content[:cell] + content[cell:].replace(
        f'table:style-name="{style}"', 'table:style-name="ceNP"', 1
    )
    patched = tmp_path / "r.ods"
    patched.write_bytes(badfiles.rezip(ods.read_bytes(), replace={"content.xml": content.encode()}))
    note = one_note(read_return(patched), NEW)
    assert "「打印时隐藏」" in note.message and note.is_error


# -- 04. a text box or shape laid over a figure ------------------------------------------------

_DRAWING_NS = (
    'xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"'
)


def _shape(
    text: str = "",
    fill: str = '<a:solidFill><a:srgbClr val="FFFFFF"/></a:solidFill>',
    extra: str = "",
) -> str:
    body = (
        f"<xdr:txBody><a:bodyPr/><a:p><a:r><a:t>{text}</a:t></a:r></a:p></xdr:txBody>"
        if text
        else ""
    )
    return (
        f'<xdr:sp macro="" textlink=""><xdr:nvSpPr><xdr:cNvPr id="2" name="TextBox 1"{extra}/>'
        '<xdr:cNvSpPr txBox="1"/></xdr:nvSpPr><xdr:spPr><a:xfrm><a:off x="0" y="0"/>'
        '<a:ext cx="952500" cy="190500"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/>'
        f'</a:prstGeom>{fill}<a:ln><a:solidFill><a:srgbClr val="000000"/></a:solidFill>'
        f"</a:ln></xdr:spPr>{body}</xdr:sp>"
    )


def _anchored(shape: str, row: int, col: int) -> str:
    """``shape`` anchored over the one cell at zero-based (row, col), edge to edge."""
    return (
        f"<xdr:twoCellAnchor><xdr:from><xdr:col>{col}</xdr:col><xdr:colOff>0</xdr:colOff>"
        f"<xdr:row>{row}</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:from><xdr:to>"
        f"<xdr:col>{col + 1}</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>{row + 1}</xdr:row>"
        f"<xdr:rowOff>0</xdr:rowOff></xdr:to>{shape}<xdr:clientData/></xdr:twoCellAnchor>"
    )


def with_drawing(template: Path, path: Path, anchors: str) -> Path:
    """The template with a drawing of ``anchors`` on 表三's sheet, as Excel links one."""
    sheet = f"xl/worksheets/sheet{FORM.tables.index(FORM.table('三')) + 2}.xml"
    rels = sheet.replace("worksheets/", "worksheets/_rels/") + ".rels"
    source = template.read_bytes()
    with zipfile.ZipFile(io.BytesIO(source)) as archive:
        assert T3.encode() in archive.read("xl/workbook.xml")
        xml = archive.read(sheet).decode()
        types = archive.read("[Content_Types].xml").decode()
        old_rels = archive.read(rels).decode() if rels in archive.namelist() else None
    if "xmlns:r=" not in xml[:1000]:
        xml = xml.replace(
            "<worksheet ",
            '<worksheet xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships" ',
            1,
        )
    xml = xml.replace("</worksheet>", '<drawing r:id="rIdDr9"/></worksheet>')
    link = (
        '<Relationship Id="rIdDr9" Type="http://schemas.openxmlformats.org/officeDocument/'
        '2006/relationships/drawing" Target="../drawings/drawing9.xml"/>'
    )
    relationships = (
        old_rels.replace("</Relationships>", link + "</Relationships>")
        if old_rels
        else '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
        f'openxmlformats.org/package/2006/relationships">{link}</Relationships>'
    )
    types = types.replace(
        "</Types>",
        '<Override PartName="/xl/drawings/drawing9.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.drawing+xml"/></Types>',
    )
    drawing = f'<?xml version="1.0" encoding="UTF-8"?><xdr:wsDr {_DRAWING_NS}>{anchors}</xdr:wsDr>'
    replace = {sheet: xml.encode(), "[Content_Types].xml": types.encode()}
    add = {"xl/drawings/drawing9.xml": drawing.encode()}
    if old_rels:
        replace[rels] = relationships.encode()
    else:
        add[rels] = relationships.encode()
    return badfiles.write(path, badfiles.rezip(source, replace=replace, add=add))


def _new_place() -> tuple[int, int]:
    from nianbao.sources.sheetxml import cell_reference

    return cell_reference(f'r="{a1(NEW)}"'.encode())  # type: ignore[return-value]


@pytest.mark.parametrize(
    ("shape", "said"),
    [
        (_shape("15"), "被文本框「15」盖住"),  # a box with its own figure over 表三's first
        (_shape(), "被不透明的图形盖住"),  # a white box: the cell looks blank
        (_shape("15", fill="<a:noFill/>"), "被文本框「15」盖住"),  # see-through: 15 over 12
    ],
)
def test_a_figure_under_a_text_box_or_filled_shape_is_v14_at_its_cell(
    template, tmp_path, shape, said
):
    row, col = _new_place()
    path = with_drawing(template, tmp_path / "r.xlsx", _anchored(shape, row, col))
    ret = read_with_both_engines(path)
    note = one_note(ret, NEW, Rule.V14)
    assert said in note.message and not note.is_error
    assert ret.values[NEW] == read_return(template).values[NEW]  # still read


@pytest.mark.parametrize(
    "shape",
    [
        _shape(fill="<a:noFill/>"),  # a frame drawn round a figure
        _shape(
            fill='<a:solidFill><a:srgbClr val="FFFF00"><a:alpha val="30000"/></a:srgbClr>'
            "</a:solidFill>"
        ),  # a highlighter
        _shape("15", extra=' hidden="1"'),
    ],
    ids=["no-fill", "see-through", "hidden"],
)
def test_shapes_the_figure_shows_through_say_nothing(template, tmp_path, shape):
    row, col = _new_place()
    path = with_drawing(template, tmp_path / "r.xlsx", _anchored(shape, row, col))
    assert shown_notes(read_with_both_engines(path)) == []


def test_a_text_box_beside_the_table_says_nothing(template, tmp_path):
    """A note in a text box below the table covers no figure of it."""
    path = with_drawing(template, tmp_path / "r.xlsx", _anchored(_shape("说明：无"), 60, 1))
    assert shown_notes(read_with_both_engines(path)) == []


def test_a_drawing_whose_relationships_part_is_named_in_other_case_still_covers(template, tmp_path):
    """Part names are compared in any case, as readers find them: a worksheet's relationships
    part spelt in capitals still names its drawing (V14), though the worksheet's own name is
    in lower case."""
    row, col = _new_place()
    drawn = with_drawing(template, tmp_path / "r.xlsx", _anchored(_shape("15"), row, col))
    sheet = f"xl/worksheets/sheet{FORM.tables.index(FORM.table('三')) + 2}.xml"
    rels = sheet.replace("worksheets/", "worksheets/_rels/") + ".rels"
    with zipfile.ZipFile(drawn) as archive:
        relationships = archive.read(rels)
    data = badfiles.rezip(
        drawn.read_bytes(), replace={rels: None}, add={rels.upper(): relationships}
    )
    path = badfiles.write(tmp_path / "大写.xlsx", data)
    note = one_note(read_return(path), NEW, Rule.V14)
    assert "被文本框「15」盖住" in note.message


def _moved(source: bytes, sheet: str, to: str) -> bytes:
    """``source`` with worksheet ``sheet`` stored as ``to`` (its relationships beside it), the
    workbook's relationships and content types pointing there, as Excel finds any part."""
    rels = sheet.replace("worksheets/", "worksheets/_rels/") + ".rels"
    to_rels = posixpath.join(posixpath.dirname(to), "_rels", posixpath.basename(to) + ".rels")
    with zipfile.ZipFile(io.BytesIO(source)) as archive:
        related = rels in archive.namelist()
        moved = {to: archive.read(sheet)} | ({to_rels: archive.read(rels)} if related else {})
        replace: dict[str, bytes | None] = {sheet: None} | ({rels: None} if related else {})
        for part, old, new in (
            ("xl/_rels/workbook.xml.rels", sheet[3:], to[3:]),
            ("[Content_Types].xml", "/" + sheet, "/" + to),
        ):
            replace[part] = archive.read(part).replace(old.encode(), new.encode())
    return badfiles.rezip(source, replace=replace, add=moved)


def test_a_worksheet_stored_outside_the_worksheets_folder_is_looked_at_too(template, tmp_path):
    """A worksheet part may lie anywhere the workbook's relationships say (Excel opens
    「xl/ws/sheet4.xml」): its drawing over a figure and its hidden row are V14 as in
    xl/worksheets/ (only parts there were looked at first, and none said a drawing or a
    hidden row: nothing was said)."""
    sheet = f"xl/worksheets/sheet{FORM.tables.index(FORM.table('三')) + 2}.xml"
    row, col = _new_place()
    drawn = with_drawing(template, tmp_path / "r.xlsx", _anchored(_shape("15"), row, col))
    path = badfiles.write(tmp_path / "移走.xlsx", _moved(drawn.read_bytes(), sheet, "xl/ws/s.xml"))
    note = one_note(read_return(path), NEW, Rule.V14)
    assert "被文本框「15」盖住" in note.message
    with zipfile.ZipFile(template) as archive:
        xml = re.sub(
            rb"<row r=\"%d\"" % (row + 1), rb'\g<0> hidden="1"', archive.read(sheet), count=1
        )
    hidden = badfiles.write(
        tmp_path / "隐藏.xlsx",
        _moved(badfiles.rezip(template.read_bytes(), replace={sheet: xml}), sheet, "xl/ws/s.xml"),
    )
    (note,) = shown_notes(read_return(hidden))
    assert note.rule is Rule.V14 and "（已隐藏）" in note.message and a1(NEW) in note.cells
