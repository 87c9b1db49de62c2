"""Write a Report as a Word document (.docx) in Chinese government document style.

Page and type follow GB/T 9704 (党政机关公文格式) as offices use it for annual reports: A4,
margins 3.7 / 3.5 / 2.8 / 2.6 cm (top, bottom, left, right); title 方正小标宋简体 二号 (22 pt);
body 仿宋 三号 (16 pt) on a fixed 28 pt line, first line indented two characters; headings
一、… in 黑体 and （一）… in 楷体, both 三号; page numbers 「— 1 —」 at the foot.

The three tables are the official ones (see ``documents.tables``): the same merges, every label
letter for letter, 宋体 9 pt, with column widths computed to fill exactly the text width, so
表三 and 表四 never run past the margin. Their header rows repeat on each page.

Fonts are named on the styles with ``w:rFonts`` for every script (``font.name`` alone leaves
the East Asian face unset, and Word then draws Chinese text in its default font), and the
theme font references python-docx's default template puts there are removed, since a theme
reference overrides a named font. Faces missing on a machine are found by the
alternative names listed in the font table (仿宋 ↔ 仿宋_GB2312, 方正小标宋简体 → 宋体).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from datetime import datetime

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX, WD_LINE_SPACING
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor, Twips
from lxml import etree

from nianbao import __version__
from nianbao.documents.report import Paragraph, Report
from nianbao.documents.tables import GridCell, TableGrid, alignment, column_weights
from nianbao.outputs import atomic_output
from nianbao.text import text_width

# -- page (GB/T 9704) ---------------------------------------------------------------------

PAGE_WIDTH, PAGE_HEIGHT = Cm(21.0), Cm(29.7)
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = Cm(3.7), Cm(3.5), Cm(2.8), Cm(2.6)
FOOTER_DISTANCE = Cm(2.5)
# Word stores each length in whole twips: the text width is what those leave.
TEXT_WIDTH_TWIPS = PAGE_WIDTH.twips - MARGIN_LEFT.twips - MARGIN_RIGHT.twips  # 15.6 cm
# A table too wide for that gets a landscape page: the portrait margins turned with the paper.
LANDSCAPE_WIDTH_TWIPS = PAGE_HEIGHT.twips - MARGIN_TOP.twips - MARGIN_BOTTOM.twips  # 22.5 cm

# -- type ---------------------------------------------------------------------------------

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋"
HEADING_FONT = "黑体"
SUBHEADING_FONT = "楷体"
TABLE_FONT = "宋体"
# Alternative names by which Word/WPS find a face that is installed under another name, and the
# face to use where none is (GB2312 charset, so a Chinese face is chosen).
ALT_NAMES = {
    TITLE_FONT: "方正小标宋_GBK,宋体,SimSun",
    BODY_FONT: "仿宋_GB2312,FangSong",
    HEADING_FONT: "SimHei",
    SUBHEADING_FONT: "楷体_GB2312,KaiTi",
    TABLE_FONT: "SimSun",
}
TITLE_SIZE, BODY_SIZE, TABLE_SIZE = Pt(22), Pt(16), Pt(9)  # 二号, 三号, 小五
BODY_LINE = Pt(28)  # fixed line pitch: 22 lines a page
TITLE_LINE = Pt(36)
TABLE_TEXT_STYLE = "表格文字"
CAPTION_FILL = "C6D9F1"  # the official template's shading of 表二's 第二十条 rows
_ALIGN = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER}
CELL_MARGIN = Twips(57)  # 0.1 cm each side, as in the official template
# A row is at least 0.49 cm: a 9 pt line with air (the official template: 340 twips at 10 pt).
ROW_HEIGHT = Twips(280)
HALF_EM = round(TABLE_SIZE.pt * 20 / 2)  # twips per half-em of table text: a digit's width
LABEL_MIN = 6 * HALF_EM  # a label column keeps room for two characters and its margins

# When a document is made, fixed so the same return gives the same core properties.
FIXED_TIME = datetime(2021, 9, 26)


def write_docx(report: Report, path: str | os.PathLike[str]) -> None:
    """Write ``report`` to ``path`` atomically."""
    document = build_docx(report)
    with atomic_output(path) as tmp:
        document.save(str(tmp))


def build_docx(report: Report):
    document = Document()
    _drop_thumbnail(document)
    _set_page(document.sections[0])
    _set_styles(document)
    _set_font_table(document)
    _set_properties(document, report)
    body = document.element.body
    for child in list(body):  # the default template's empty paragraph; keep sectPr
        if child.tag == qn("w:p"):
            body.remove(child)
    title = document.add_paragraph(style="Title")
    unit_line, rest = report.unit, report.title[len(report.unit) :]
    title.add_run(unit_line)
    if not _fits_one_line(report.title, TITLE_SIZE):  # break after the unit's name
        title.add_run().add_break()
    title.add_run(rest)
    for paragraph in report.opening:
        _add_paragraph(document, paragraph)
    landscape = False  # the orientation of the pages being written
    for section in report.sections:
        widths, turned = _table_widths(section.table)
        # A part whose table needs landscape pages has them, heading and text with its table;
        # parts in a row that both do share them, with no portrait section between.
        if turned != landscape:
            _new_section(document, landscape=turned)
            landscape = turned
        last = document.add_paragraph(section.heading, style="Heading 1")
        for paragraph in section.paragraphs:
            last = _add_paragraph(document, paragraph)
        if section.table is not None:
            last.paragraph_format.keep_with_next = True  # the text that leads into the table
            _add_table(document, section.table, widths, _kept_rows(section.table, turned))
    _add_page_numbers(document.sections[0])
    return document


# -- document parts -------------------------------------------------------------------------


def _fits_one_line(text: str, size: Pt) -> bool:
    """Whether ``text`` set at ``size`` fits one line of the text block: a Chinese character is
    an em wide, a digit half of one, and Word and LibreOffice put a quarter em between Chinese
    text and the year on each side (「道外区委2021年…」: 21 characters, 19.5 ems, one line;
    「哈尔滨市委2021年…」: 20.5 ems, which would leave 「告」 alone on a second line)."""
    ems = text_width(text) / 2 + (0.5 if any(ch.isascii() and ch.isalnum() for ch in text) else 0)
    return ems * size.twips <= TEXT_WIDTH_TWIPS


def _drop_thumbnail(document) -> None:
    """python-docx's default template carries a picture of some other document as thumbnail."""
    package = document.part.package
    for rel_id, rel in list(package.rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            del package.rels[rel_id]


def _set_page(section, landscape: bool = False) -> None:
    section.footer_distance = FOOTER_DISTANCE
    if not landscape:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
        section.top_margin, section.bottom_margin = MARGIN_TOP, MARGIN_BOTTOM
        section.left_margin, section.right_margin = MARGIN_LEFT, MARGIN_RIGHT
        return
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = PAGE_HEIGHT, PAGE_WIDTH
    section.left_margin, section.right_margin = MARGIN_TOP, MARGIN_BOTTOM
    section.top_margin, section.bottom_margin = MARGIN_LEFT, MARGIN_RIGHT


def _new_section(document, landscape: bool) -> None:
    _set_page(document.add_section(WD_SECTION.NEW_PAGE), landscape)


def _table_widths(grid: TableGrid | None) -> tuple[list[int], bool]:
    """The table's column widths, and whether it needs a landscape page for its figures
    (a national summary's 表四 with six-digit figures does; nothing else does)."""
    if grid is None:
        return [], False
    portrait = column_twips(grid, TEXT_WIDTH_TWIPS)
    if portrait is not None:
        return portrait, False
    landscape = column_twips(grid, LANDSCAPE_WIDTH_TWIPS)
    if landscape is None:  # ten-digit figures (never seen in a report): they may wrap
        landscape = _shares(column_weights(grid), LANDSCAPE_WIDTH_TWIPS)
    return landscape, True


def set_fonts(element, face: str) -> None:
    """Name ``face`` for every script on a style's or run's rPr (theme references removed)."""
    rpr = element.get_or_add_rPr() if hasattr(element, "get_or_add_rPr") else element
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)
    for script in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(script), face)
    fonts.set(qn("w:hint"), "eastAsia")


def _style(document, name: str, face: str, size: Pt, *, base: str | None = "Normal"):
    styles = document.styles
    try:
        style = styles[name]
    except KeyError:
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = styles[base] if base else None
    set_fonts(style.element, face)
    font = style.font
    font.size = size
    font.bold = False
    font.italic = False
    font.color.rgb = RGBColor(0, 0, 0)
    lang = style.element.get_or_add_rPr().find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        style.element.get_or_add_rPr().append(lang)
    lang.set(qn("w:eastAsia"), "zh-CN")
    fmt = style.paragraph_format
    fmt.space_before = fmt.space_after = Pt(0)
    return style


def _set_styles(document) -> None:
    defaults = document.styles.element.find(qn("w:docDefaults"))
    rpr_default = defaults.find(qn("w:rPrDefault"))
    set_fonts(rpr_default.find(qn("w:rPr")), BODY_FONT)

    normal = _style(document, "Normal", BODY_FONT, BODY_SIZE, base=None)
    fmt = normal.paragraph_format
    fmt.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = BODY_LINE
    fmt.first_line_indent = Pt(BODY_SIZE.pt * 2)
    fmt.widow_control = True
    # No punctuation hanging into the margin (LibreOffice's default): the text block keeps its
    # edge, as a 公文's does.
    hang = OxmlElement("w:overflowPunct")
    hang.set(qn("w:val"), "0")
    normal.element.get_or_add_pPr().append(hang)
    _order(normal.element.get_or_add_pPr(), _PPR_ORDER)

    title = _style(document, "Title", TITLE_FONT, TITLE_SIZE)
    ppr = title.element.get_or_add_pPr()
    for border in ppr.findall(qn("w:pBdr")):  # the default template underlines its Title
        ppr.remove(border)
    fmt = title.paragraph_format
    fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER
    fmt.first_line_indent = Pt(0)
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = TITLE_LINE
    fmt.space_after = BODY_LINE
    title.element.get_or_add_rPr().remove_all("w:spacing", "w:kern")

    for name, face in (("Heading 1", HEADING_FONT), ("Heading 2", SUBHEADING_FONT)):
        heading = _style(document, name, face, BODY_SIZE)
        fmt = heading.paragraph_format
        fmt.keep_with_next = True
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = BODY_LINE
        fmt.first_line_indent = Pt(BODY_SIZE.pt * 2)
        heading.font.bold = False

    table_text = _style(document, TABLE_TEXT_STYLE, TABLE_FONT, TABLE_SIZE)
    fmt = table_text.paragraph_format
    fmt.first_line_indent = Pt(0)
    fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER
    fmt.widow_control = False


# CT_PPrBase's schema order (the part of it styles use).
_PPR_ORDER = (
    "pStyle",
    "keepNext",
    "keepLines",
    "pageBreakBefore",
    "framePr",
    "widowControl",
    "numPr",
    "suppressLineNumbers",
    "pBdr",
    "shd",
    "tabs",
    "suppressAutoHyphens",
    "kinsoku",
    "wordWrap",
    "overflowPunct",
    "topLinePunct",
    "autoSpaceDE",
    "autoSpaceDN",
    "bidi",
    "adjustRightInd",
    "snapToGrid",
    "spacing",
    "ind",
    "contextualSpacing",
    "mirrorIndents",
    "suppressOverlap",
    "jc",
    "textDirection",
    "textAlignment",
    "textboxTightWrap",
    "outlineLvl",
    "divId",
    "cnfStyle",
    "rPr",
    "sectPr",
    "pPrChange",
)


def _set_font_table(document) -> None:
    """Declare each face with its alternative names and the GB2312 charset (see module doc)."""
    part = next(
        p for p in document.part.package.iter_parts() if p.partname == "/word/fontTable.xml"
    )
    root = etree.fromstring(part.blob)
    for face, alt in ALT_NAMES.items():
        for old in root.findall(qn("w:font")):
            if old.get(qn("w:name")) == face:
                root.remove(old)
        font = etree.SubElement(root, qn("w:font"))
        font.set(qn("w:name"), face)
        for tag, value in (("w:altName", alt), ("w:charset", "86"), ("w:family", "modern")):
            child = etree.SubElement(font, qn(tag))
            child.set(qn("w:val"), value)
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


# Word's core properties hold at most 255 characters each (python-docx refuses more); a unit
# cell with a note pasted after the name is longer. The body keeps the whole title.
_PROPERTY_CHARS = 255


def _property(text: str) -> str:
    return text if len(text) <= _PROPERTY_CHARS else text[: _PROPERTY_CHARS - 1] + "…"


def _set_properties(document, report: Report) -> None:
    props = document.core_properties
    props.title = _property(report.title)
    props.author = _property(report.unit)
    props.last_modified_by = _property(report.unit)
    props.subject = f"{report.form.label}"
    props.keywords = f"政府信息公开,年度报告,{report.year}"
    props.comments = f"由 nianbao {__version__} 根据统计表生成；表格数字与统计表一致。"
    props.category = "政府信息公开工作年度报告"
    props.created = props.modified = FIXED_TIME
    props.revision = 1


def _add_paragraph(document, paragraph: Paragraph):
    style = "Heading 2" if paragraph.kind == "subheading" else None
    out = document.add_paragraph(style=style)
    for run in paragraph.runs:
        added = out.add_run(run.text)
        if run.todo:
            added.font.highlight_color = WD_COLOR_INDEX.YELLOW
    return out


def _add_page_numbers(section) -> None:
    """「— 1 —」 centred at the foot of every page (宋体 四号 digits, as GB/T 9704 has them)."""
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.paragraph_format.first_line_indent = Pt(0)
    for text in ("— ", None, " —"):
        run = footer.add_run()
        set_fonts(run._r, TABLE_FONT)
        run.font.size = Pt(14)
        if text is not None:
            run.text = text
            continue
        field = OxmlElement("w:fldSimple")
        field.set(qn("w:instr"), " PAGE ")
        run._r.addprevious(field)
        field.append(run._r)


# -- tables -----------------------------------------------------------------------------------


def column_twips(grid: TableGrid, width: int) -> list[int] | None:
    """Column widths in twips adding up to exactly ``width``, or None when the figures alone
    are wider than that.

    Each column gets what ``column_weights`` asks for, stretched to fill the width: with the
    data columns' headers on one line where they all fit so, else wrapped. When the width is
    short even so, the data columns keep what their figures need (a figure is never broken
    over two lines) and the label columns share the rest: their labels wrap onto more lines.
    """
    for whole_headers in (True, False):
        needs = [w * HALF_EM for w in column_weights(grid, whole_headers)]
        if sum(needs) <= width:
            return _shares(needs, width)
    labels, data = needs[: grid.label_columns], needs[grid.label_columns :]
    room = width - sum(data)
    if room < grid.label_columns * LABEL_MIN:
        return None
    return _shares(labels, room) + _shares(data, width - room)


def _shares(weights: Sequence[float], width: int) -> list[int]:
    """Whole twips in proportion to ``weights`` that add up to ``width`` exactly."""
    total = sum(weights)
    widths = [int(width * w / total) for w in weights]
    widths[-1] += width - sum(widths)
    return widths


def _kept_rows(grid: TableGrid, landscape: bool) -> int:
    """How many of the table's first rows keep with the next, and so with the heading and text
    above it (Word's "keep with next" on a row holds it to the row below).

    On portrait pages all rows but the last: the table moves whole to the next page rather
    than split. A landscape page is 15.6 cm high, and 表三 is taller than that: chaining all
    its rows asks for what cannot be, and a word processor then leaves the heading and text
    alone on the page and starts the table on the next. There only the header rows keep with
    the next, so heading, text, header and first row stand together and the table runs on
    over the page, its header repeated (表四, header and one row, still keeps whole).
    """
    return grid.head_rows if landscape else grid.height - 1


def _add_table(document, grid: TableGrid, widths: list[int], kept: int) -> None:
    table = document.add_table(rows=grid.height, cols=grid.width)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _table_properties(table, sum(widths))
    for col, gridcol in zip(range(grid.width), table._tbl.tblGrid.gridCol_lst, strict=True):
        gridcol.w = Twips(widths[col])
    for index, row in enumerate(table.rows):
        trpr = row._tr.get_or_add_trPr()
        trpr.append(OxmlElement("w:cantSplit"))
        if index < grid.head_rows:
            trpr.append(OxmlElement("w:tblHeader"))  # repeat the column header on each page
        height = OxmlElement("w:trHeight")
        height.set(qn("w:val"), str(ROW_HEIGHT.twips))
        height.set(qn("w:hRule"), "atLeast")
        trpr.append(height)
    # Every cell looked up once, before merging (python-docx's table.cell walks the whole
    # table on each call); a merge keeps its top-left cell, and no printed cell starts inside
    # another's merge, so these stay valid.
    at = [list(row.cells) for row in table.rows]
    style_id = document.styles[TABLE_TEXT_STYLE].style_id
    for cell in grid.cells:
        target = at[cell.row][cell.col]
        if cell.rowspan > 1 or cell.colspan > 1:
            end = at[cell.row + cell.rowspan - 1][cell.col + cell.colspan - 1]
            target = target.merge(end)
        _fill(target, cell, grid, style_id)
    _set_cell_widths(table, widths)
    for tr in table._tbl.tr_lst[:kept]:
        for p in tr.iter(qn("w:p")):
            p.get_or_add_pPr().get_or_add_keepNext()
    # A table directly after a table would join it; an empty paragraph keeps them apart.
    spacer = document.add_paragraph()
    spacer.paragraph_format.line_spacing = Pt(12)


def _table_properties(table, width: int) -> None:
    tblpr = table._tbl.tblPr
    tblw = tblpr.find(qn("w:tblW"))
    if tblw is None:
        tblw = OxmlElement("w:tblW")
        tblpr.append(tblw)
    tblw.set(qn("w:w"), str(width))
    tblw.set(qn("w:type"), "dxa")
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        line = OxmlElement(f"w:{edge}")
        for attr, value in (
            ("w:val", "single"),
            ("w:sz", "4"),
            ("w:space", "0"),
            ("w:color", "000000"),
        ):
            line.set(qn(attr), value)
        borders.append(line)
    tblpr.append(borders)
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tblpr.append(layout)
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        margin = OxmlElement(f"w:{side}")
        margin.set(qn("w:w"), str(CELL_MARGIN.twips))
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    tblpr.append(margins)
    _order(tblpr, _TBLPR_ORDER)


# CT_TblPr's schema order: Word rejects a file whose children are out of order.
_TBLPR_ORDER = (
    "tblStyle",
    "tblpPr",
    "tblOverlap",
    "bidiVisual",
    "tblStyleRowBandSize",
    "tblStyleColBandSize",
    "tblW",
    "jc",
    "tblCellSpacing",
    "tblInd",
    "tblBorders",
    "shd",
    "tblLayout",
    "tblCellMar",
    "tblLook",
)


def _order(element, order: Sequence[str]) -> None:
    """Put ``element``'s children in the schema's order (Word rejects a file out of order)."""
    rank = {qn(f"w:{name}"): i for i, name in enumerate(order)}
    for child in sorted(element, key=lambda child: rank.get(child.tag, len(rank))):
        element.append(child)


def _fill(target, cell: GridCell, grid: TableGrid, style_id: str) -> None:
    target.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    paragraph = target.paragraphs[0]
    paragraph._p.get_or_add_pPr().style = style_id  # by id: a lookup by name is slow
    paragraph.alignment = _ALIGN[alignment(cell, grid)]
    paragraph.add_run(cell.text)
    if cell.kind == "caption":
        shading = OxmlElement("w:shd")
        for attr, value in (("w:val", "clear"), ("w:color", "auto"), ("w:fill", CAPTION_FILL)):
            shading.set(qn(attr), value)
        target._tc.get_or_add_tcPr().append(shading)
        _order(target._tc.get_or_add_tcPr(), _TCPR_ORDER)


_TCPR_ORDER = (
    "cnfStyle",
    "tcW",
    "gridSpan",
    "hMerge",
    "vMerge",
    "tcBorders",
    "shd",
    "noWrap",
    "tcMar",
    "textDirection",
    "tcFitText",
    "vAlign",
    "hideMark",
)


def _set_cell_widths(table, widths: Sequence[int]) -> None:
    """Each cell's tcW is the sum of the grid columns it spans (Word lays out by them)."""
    for tr in table._tbl.tr_lst:
        col = 0
        for tc in tr.tc_lst:
            span = tc.grid_span
            tcpr = tc.get_or_add_tcPr()
            tcw = tcpr.find(qn("w:tcW"))
            if tcw is None:
                tcw = OxmlElement("w:tcW")
                tcpr.append(tcw)
            tcw.set(qn("w:w"), str(sum(widths[col : col + span])))
            tcw.set(qn("w:type"), "dxa")
            _order(tcpr, _TCPR_ORDER)
            col += span


__all__ = ["TEXT_WIDTH_TWIPS", "build_docx", "column_twips", "set_fonts", "write_docx"]
