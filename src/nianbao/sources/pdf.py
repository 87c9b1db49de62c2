"""A published report in PDF (its text layer) as a Grid: the tables, and the running text.

The policy, in the order the reader applies it:

1. **Rulings, not whitespace, make a table.** Only visible rulings count: stroked lines and
   rectangles, and filled rectangles thin enough to be drawn lines (≤ 2.5 pt). Filled
   rectangles are backgrounds (WPS puts a white one behind every line of text; shaded caption
   rows are coloured ones) and white strokes are invisible, so neither makes a cell edge.
   Where a table leaves out its outer left/right (or top/bottom) border, the border is closed
   along the rows that a real ruling shows to be inside the table, but never through a run of
   text: no line is drawn there, and rulings printed in pieces (a spreadsheet's gridlines,
   drawn cell by cell) end there only because they meet inside a merged cell, whose text
   stays one cell (``_cuts_text``). A border drawn thick (a 3 pt frame) or as lines side by
   side (Word's 粗细线, a double or 3-D border) is one ruling along its middle, and the
   rulings that stop at its inner edge end on it (``_one_ruling_each``). Cells come from
   pdfplumber's table finder run on exactly these rulings. A box of one cell is a framed
   paragraph, not a table, unless it is a table's first row left alone at a page's foot
   (point 3). Without rulings there is no table: its text stays in ``text``
   (columns apart by a space), never a guessed grid; a report none of whose tables holds a
   statutory label while its text holds the tables' labels is refused (F02) saying that its
   tables have no rulings, and from which page (``_refuse_unruled``). A line striking text through is no
   ruling (point 5).
2. **Merged cells** are read from the ruling geometry: a cell spanning several row or column
   edges puts its text in its top-left position and leaves the positions it covers None, as in
   a workbook. Column edges are shared by all the pieces of one table, so a continued table
   keeps its columns on every page. A table's rulings are snapped together only with the
   rulings of its own (those of one stretch of the page, down from top to bottom): 表四's
   column edge 2 pt from 表三's above it on the same page stays where it is drawn, where it
   goes on on the next page (``_ruled_bands``).
3. **A table continued on the next page** (the last thing on a page and the first thing on
   the next, with the same left and right edges) is one table: its rows follow directly. So
   is a 续表, a second table that Word and WPS users start on the next page: the lines between
   it and the table before are all marks saying so, short lines such as 「续表」「（续上表）」
   「接上表」「表二（续）」, at the foot of the one page or the head of the next (a 续表 that
   the layout kept on the same page, below such a mark, too). So are rows right under a table
   on the same page, blank space between, whose first row holds figures, no column header
   above them (``_headless``): a Word table split in two (拆分表格) left them in a table of
   their own, which only the columns above can place. A table's columns are the edges
   of all its pieces, so a 续表 that draws the header's wide label cell as three (a group
   label and its items) keeps its figures under the header's columns. A continuation must
   line up with the rows it goes on from (``_lined_up``): no cell of it holding a digit may
   straddle two columns of a cell in the last rows of the page before (up to the first row
   there holding a digit). One that does not, or a 续表 drawn to other left and right edges,
   is a table of its own where that is safe: every figure in it has a column header of its
   own above it on its page and it does not open with the table's first row again (表二's
   blocks), or neither part holds a label of the form. Else the report is refused (L01,
   naming the page): its figures are never read into columns they may not belong to. Rows at
   the top of the continuation that repeat the table's first rows (a repeated header) are
   dropped. A table's first row left alone at the foot of a page by a page break that the
   rest of the table follows (LibreOffice keeps no row with the next) is the table's first
   row too, though one cell spanning the table (表二's caption 「第二十条第（一）项」) is a box
   of one cell: where it spans the table going on at the top of the next page (its left and
   right edges), nothing but continuation marks stand between them, and its text is a label
   of the form of that table (``_lone_heads``); a row of several cells joins as any piece
   does. A row broken by the page break (Word and LibreOffice let a row break across pages)
   is joined back into one row, on its first page, only where that is plain (``_split_row``):
   one column (the label's) has text in both parts and no other column does, the second part's
   label starts with no row numbering (``3.``, ``（二）``, ``四、``) and nothing stands left
   of it, and the label is visibly unfinished: the first part leaves a bracket or quote open
   that the second closes, or the first part is a numbered label with its figures and the
   second holds nothing but the rest of the label, or the parts together are a label of the
   form (as the reader accepts it: half-width brackets, spaces, retypings; form/labels.py)
   that neither part is alone (「行政事」「业性收费」). A group label merged over several rows
   beside it (「三、本年度办理结果」, 「（六）其他处理」) spans the break too and has text on
   the second page: that text is no cell of the second part's own where its cell there spans
   the rows below and it is, without row numbering, the rest of the group label, of the
   first part's text in that column (together a label of the form that the rest alone is not)
   or, the first part having none, of a cell spanning it from a row above (``_merged_rest``).
   A figure the break cut (its part before fills its cell, as in point 4, and the part after
   is nothing but figure characters in the same column) is joined too, alone or beside such
   a label. Header cells the break cut (rows holding no digit; ``_cut_headers``) are joined
   cell by cell: a cell whose two parts together are a label of the form that the part after
   the break alone is not (「商业」「企业」, 「其他」「结果」) reads whole on the first page (in
   the cell spanning the last row from a row above, where that is the cell cut: 表三's
   「自然」 over two header rows, 「人」 after the break; a line through such a part is the
   cell's own ruling, which LibreOffice draws through a cut label it lays out past the
   cell's foot, never a correction: no figure is in these rows), and the rest of the second
   row stays a row of its own (表四's cells spanning two header rows cut, 「结果维持」 under
   「未经复议直接起诉」 not). Anything else stays two rows (the row's label is then missing and
   the report refused), never two genuine rows glued together.
4. **Cell text** is the text as printed, joined: the lines of one cell are joined with
   nothing between them where either side is a CJK (wide) character, and with a space
   between two narrow characters (so ``12`` over ``3`` reads ``12 3``, never ``123``), except
   a figure the word processor wrapped (``_cell_text``): a line ending in a figure character
   that could not take the next line's first one (also a figure character) within the cell's
   width less its padding (the narrowest gap between text and rulings in the table; within a
   point, ``_WRAP_SLACK``: the word processor wraps in a little less room than its text's
   position shows) goes on with nothing between, ``6049`` over ``4`` in a narrow portrait column reading ``60494``. Within
   a line, a gap becomes a space between narrow characters, and between any characters when it
   is wider than 1.5 em. Notes in a cell stay: ``22（其中修订16件）`` is kept for the
   recognition layer to judge. Numbers stay text; an empty cell is None, unless it shows a
   picture or shapes drawn within it (``_drawn_cells``: a figure pasted as a picture, glyphs
   a PDF printer drew as outlines): it reads 「〔图片〕」 or 「〔以图形绘制、不是文字的内容〕」
   (V01 at the cell), never a blank read as 0.
5. **Text is read as a reader sees it** (cells and running text alike, shared with the web
   page and Word readers):
   - *superscript and subscript* (``_shown``): a character noticeably smaller than the
     largest of its stretch of line (under 0.8 of its height; a stretch ends at a gap wider
     than 1.5 em) whose baseline stands above or below that of the stretch's full-size
     characters (by more than 0.05 of their height) is read set off the line
     (document.off_the_line): 58 with a raised footnote mark 1 reads ``58¹``, no figure (V01
     at that cell), never 581. A smaller character on the line's own baseline (a note in a
     smaller size) is plain text. A baseline is where a glyph sits, whatever moved it (a text
     matrix or a text rise): the glyph box's foot raised by its font's descent, the descent
     being what most of that font's characters on the page show (``_drops``). A glyph box
     pdfminer puts under its baseline (a font re-embedded with a descent over an em, as
     pdftocairo does) is set back over it (``_on_its_baseline``).
   - *struck text is not read* (``_strike_out``): a struck figure is a corrected one, and
     the figure read is the one left standing, as for a tracked deletion in Word. A line
     crosses a character when it runs through the glyph's body, between 0.05 and 0.75 em
     above its baseline (an underline lies below the baseline, an overline or a cell border
     above the glyph), over more than a third of its width. A drawn line (stroked, a thin
     filled rectangle, a rectangle's side; not a piece of a polyline, such as a seal's
     outline) is a strike when it covers each character it crosses for at least 0.6 of its
     width and runs no more than 1 em beyond them: those characters are not read, though
     their place on the line still counts (no gap opens where they stood; a line all struck
     through is no line), and the strike is no ruling (point 1). Any other such line
     crossing characters (one running on past them, as a cell border through text that overflows its
     cell, or one that ends inside a glyph) cannot be told from a strike with confidence: the
     characters are kept and shown crossed (U+0336 after each: ``5̶9̶5̶8``), so that the cell
     reads as no figure (V01, quoting the cell), never as a figure that may be a struck one
     or may have lost digits.
   - *an underline is no ruling* (``_without_underlines``): a line just under the baseline
     of the characters over it, as wide as they are, meeting no other line (or only the sides
     of the one cell it lies in, stopping short of them, with no line at its height going on
     into the next cell: a label's underline where the label fills its cell), is read as the
     underline it is: the figure is read, its cell not cut in two. Pieces drawn end to end
     (one per run of text) are judged as the one line they make. Nor is a border drawn
     round text (``_without_text_borders``: a rectangle tight round characters, inside a
     cell, meeting none of the table's lines).
6. **Orientation**: pages rotated by ``/Rotate`` are read as displayed; a page whose text
   mostly runs sideways (a landscape table printed on a portrait page) is turned so that its
   text reads left to right before anything else; a sideways label inside a cell is read along
   its own direction.
7. **Running text** (``Grid.text``) is everything outside the tables, in reading order, one
   paragraph per line, as the document's paragraphs are (``_goes_on``): the lines of a
   paragraph are joined like cell lines (nothing between CJK characters). A line goes on
   with the paragraph above it when it starts at the left margin (where the lines that
   paragraphs wrap onto start, not where most lines start: short paragraphs and headings
   start at the first-line indent), the line above runs to the right margin, in the same font
   size, at no wider a gap than 1.5 em or the document's regular line pitch for that size
   (printed from Word's templates, a paragraph's lines may stand more than 1.5 em apart). A
   paragraph ends at a first-line indent, a line that ended short, a change of font size, a
   gap wider than that (or wider by 0.6 em than between the paragraph's own lines), a
   section's numbering (「二、」「（三）」) after a sentence's end, or a table; a line with
   columns set apart (a table without rulings) stays a line of its own. A centred line as
   wide as the text (a title too long for one line), at the top of the document (no line
   above it but centred ones) or larger than the body text, goes on on the centred line
   under it in the same size (``_title_wraps``): the title reads as one line; one set on two
   lines on purpose (the unit's name over the rest, its first line short) stays two. Page
   headers and footers are removed: a page's first or last line inside the top or bottom
   margin band that is a page number (``-1-``, ``第 2 页，共 4 页``, ``3/6``) or that recurs
   at the same end of other pages.
8. **Only what the page shows is read** (``_lay_out``: pdfplumber's layout, made by a pdfminer
   device and interpreter that follow what pdfminer itself ignores). A character is not
   shown, and not read, when it is invisible (text rendering mode 3 or 7, as a scanner's OCR
   layer over the page image; or painted at opacity 0), in the colour of what lies under it
   (white on the paper, or the colour of the last fill under its centre: an old figure kept
   in white beside the new one), covered by an opaque filled rectangle painted after it
   (over half its box and its centre: how PDF editors change a figure, a white patch and the
   new figure on top), or outside the clipping path (its bounding box; a clip of another
   shape keeps what lies in its box). A translucent fill, one blended or soft-masked, an
   image and any other shape cover nothing. The characters left standing are read as ever;
   a cell that shows nothing where the text layer has such characters reads as them within
   a mark saying why (「〔被后画的色块遮盖、看不见的文字：12〕」: V01 at the cell, never a blank
   read as 0, never the hidden figure); in running text they are dropped (the gap they leave
   counts as a gap). A glyph whose font gives no character for it (pdfminer's ``(cid:N)``
   from a font without a ToUnicode map, a Private Use Area character, U+FFFD) reads as
   U+FFFD, and a cell holding one is marked (「〔字体缺少字符映射，这一格的文字无法提取〕」:
   V01). A report no table of which holds a label of the form, with pages most of whose
   text is invisible or at least a tenth of whose glyphs have no character, is refused (F02)
   saying so: its text cannot be got out, rather than 「未找到」 the tables.

Every table goes onto one sheet, in document order, with a blank row between tables;
``Sheet.pages`` gives the page (1-based) each row was printed on (a blank separating row
carries the page of the row above it). A table row with no text at all is left out, so a
blank row always means "between two tables".
"""

from __future__ import annotations

import bisect
import math
import os
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from typing import Any

from nianbao.form.findings import PARTLY_FOUND, Finding, Rule
from nianbao.form.labels import accepted, canonical
from nianbao.form.model import Header
from nianbao.sources.document import (
    DRAWN_NOT_TEXT,
    LAYOUT_LABELS,
    continued_mark,
    holds_statutory_words,
    labels_printed,
    off_the_line,
    placed_spans,
    struck_only,
)
from nianbao.sources.grid import CellValue, Grid, Merge, Rows, Sheet
from nianbao.sources.preflight import (
    MAX_PDF_PAGES,
    UnreadableFile,
    pdf_corrupt,
    pdf_password,
    pdf_too_long,
    unreadable,
)

SHEET_NAME = "表格"
ENGINE = "pdfplumber"

# Geometry, in PDF points (1/72 inch).
_RULING_MAX_THICKNESS = 2.5  # a filled rectangle this thin is a drawn line, not a background
_EDGE_TOLERANCE = 2.0  # cell edges closer than this are the same ruling
_MIN_RULING = 3.0  # shorter strokes are glyph parts or noise
_STITCH_TOLERANCE = 4.0  # a continuation's left and right edges match the table's within this
_MARGIN_BAND = 0.12  # headers and footers live in the top and bottom 12% of the page
_WIDE_GAP_EM = 1.5  # a gap wider than this many em separates even CJK characters
_NARROW_GAP_EM = 0.25  # a gap wider than this separates two narrow characters
_WHITE = 0.97  # colour components at least this light (gray, RGB) count as white
_MIN_MARK = 0.5  # a drawn line shorter than this strikes nothing
# Superscript and subscript (point 5), as shares of the full-size characters' height (em).
_SMALL = 0.8  # a character lower than this is small
_OFF_LINE = 0.05  # a small character whose baseline is further than this off the line
_DESCENT = (0.0, 0.5)  # a font's descent, as a share of em, if plausible...
_USUAL_DESCENT = 0.2  # ...else this
# Struck text (point 5), in em of the characters crossed.
_BODY = (0.05, 0.75)  # a line at this height above the baseline crosses a glyph's body
_COVERED = 0.6  # a strike covers each character it touches for at least this share of it
_TOUCHED = 0.35  # a line covering less of a character's box passes beside its glyph
_STRIKE_REACH = 1.0  # a strike runs no further than this beyond the characters it crosses
_UNDER = 0.5  # an underline lies no further than this (em) under its characters' baseline
_JOINED = 0.5  # lines at one height whose ends are this close are one line drawn in pieces
_BORDER_ROOM = 0.6  # a border drawn round text leaves no more room than this (em) round it
_BORDER_LINES = 3  # a border round text is no taller than this many of its lines
# Borders round text looked into on one page, at most: a page of the report's tables has a
# few hundred figures; each costs a look at every line of the page, so a page made of tens of
# thousands keeps its lines as rulings rather than take minutes.
_BORDERS_PER_PAGE = 1_000
_TOUCHING = 0.6  # lines drawn to meet meet within a line's width (points)
_CROSSED = "\u0336"  # COMBINING LONG STROKE OVERLAY: shown after a character a line crosses


@dataclass
class _Char:
    """A character in the page's reading frame: u runs along the text, v down the lines."""

    u0: float
    v0: float
    u1: float
    v1: float
    text: str
    size: float
    turn: int  # quarter turns of this character's direction relative to the frame
    drop: float = 0.0  # the baseline's height above the box's foot (the font's descent)
    struck: bool = False  # a strike runs through it: it is not read
    crossed: bool = False  # a line runs through it that may or may not be a strike
    hidden: str = ""  # why the page does not show it (``_lay_out``); "": shown


@dataclass
class _Line:
    u0: float
    v0: float
    u1: float
    v1: float
    text: str
    size: float
    tabular: bool  # has a gap wider than _WIDE_GAP_EM: columns set apart, a table without rulings
    base: float | None = None  # where its characters sit (their baseline); None: its foot
    lead: float | None = None  # its first character's width; None: read sideways
    tail: float | None = None  # its last character's width; None: read sideways

    @property
    def baseline(self) -> float:
        return self.v1 if self.base is None else self.base


@dataclass
class _Piece:
    """The part of a table printed on one page: cell boxes (u0, v0, u1, v1) and their text."""

    page: int
    u0: float
    v0: float
    u1: float
    v1: float
    cells: list[tuple[float, float, float, float]]
    texts: list[str | None]
    # cells whose last line is a figure as wide as the cell holds: it may go on in the same
    # cell on the next page, where the page break cut the row (``_split_row``)
    full: set[int] = field(default_factory=set)


@dataclass
class _Page:
    number: int
    width: float
    height: float
    lines: list[_Line]
    pieces: list[_Piece]
    items: list[_Line | _Piece] = field(default_factory=list)
    # boxes of one cell (framed paragraphs, their text in ``lines``): one may be a table's
    # first row left alone at the page's foot (``_lone_heads``)
    frames: list[_Piece] = field(default_factory=list)
    unmapped: int = 0  # characters whose font gives no character for their glyph
    invisible: int = 0  # characters in invisible text (an OCR layer)
    shown: int = 0  # characters shown
    images: int = 0


def read_pdf(path: str | os.PathLike[str]) -> Grid:
    """The tables and running text of the PDF at ``path`` (see the module docstring).

    Raises UnreadableFile (F01) when the file's structure is broken, L01 when a table of the
    form continued on another page cannot be lined up with its part before (point 3); run
    ``preflight.check_pdf`` first for the safety limits, encryption and scans.
    """
    import pdfplumber

    try:
        with pdfplumber.open(os.fspath(path)) as pdf:
            if len(pdf.pages) > MAX_PDF_PAGES:  # pdfminer's own count, should pdfium's differ
                raise pdf_too_long(path, len(pdf.pages))
            pages = [_read_page(page, _lay_out(page)) for page in pdf.pages]
            # pages without a character of text: a scan among text pages, whose tables cannot
            # be read (said when a table is not found)
            textless = tuple(page.page_number for page in pdf.pages if not page.chars)
    except UnreadableFile:
        raise
    except Exception as error:  # pdfminer fails in many ways on a mangled file: all mean corrupt
        if _needs_password(error):
            raise pdf_password(path) from None
        raise pdf_corrupt(path) from None
    _refuse_unshown(pages, path)
    _drop_running_lines(pages)
    for page in pages:
        page.items = sorted([*page.lines, *page.pieces], key=lambda item: (item.v0, item.u0))
    _lone_heads(pages)
    tables = _join_continued(pages, path)
    rows: Rows = []
    row_pages: list[int] = []
    merges: list[Merge] = []
    for table in tables:
        if rows:
            rows.append([])
            row_pages.append(row_pages[-1])
        table_rows, table_pages, table_merges = _table_rows(table, len(rows))
        rows.extend(table_rows)
        row_pages.extend(table_pages)
        merges += table_merges
    text = _running_text(pages)
    _refuse_unruled(pages, rows, text, path)
    sheet = Sheet(
        SHEET_NAME, False, lambda: rows, pages=row_pages, _load_merges=lambda: merges, document=True
    )
    return Grid([sheet], ENGINE, kind="pdf", text=text, textless=textless)


def _refuse_unruled(
    pages: list[_Page], rows: Rows, text: str, path: str | os.PathLike[str]
) -> None:
    """F02 where no table holds a statutory label while the running text holds the tables'
    labels: the tables are printed without rulings (a table with its borders set to none, or
    typed as text), whose columns nianbao does not guess (point 1). The reader's L01 would
    say only that the labels are not found, which are printed there."""
    if holds_statutory_words("".join(str(v) for line in rows for v in line if v is not None)):
        return
    if labels_printed(text) < LAYOUT_LABELS:
        return
    first = next(
        (
            page.number
            for page in pages
            if labels_printed("".join(line.text for line in page.lines))
        ),
        None,
    )
    where = f"（第 {first} 页起）" if first else ""
    raise unreadable(
        Rule.F02,
        path,
        f"中的统计表{where}没有表格线：PDF 中表格的行和列只按画出的表格线确定，"
        "没有表格线时无法确定每个数字所在的行和列，未读取。"
        "请提供统计表带表格线的 PDF，或 Word、网页、Excel 版本。",
    )


def _needs_password(error: BaseException | None) -> bool:
    """Whether pdfminer's error (pdfplumber wraps it) says the file needs a password."""
    while error is not None:
        if type(error).__name__ in ("PDFPasswordIncorrect", "PDFEncryptionError"):
            return True
        error = error.__cause__ or error.__context__
    return False


# -- what the page shows (point 8) ---------------------------------------------------------------

# A glyph whose font gives no character for it: pdfminer's 「(cid:N)」, a Private Use Area
# character (U+E000–U+F8FF), the replacement character. Read as U+FFFD.
_NO_MAP = re.compile(r"\(cid:\d+\)|[\ue000-\uf8ff\ufffd]+")
_UNMAPPED = "\ufffd"
_NO_MAP_MARK = "〔字体缺少字符映射，这一格的文字无法提取〕"
# why a character is not shown
_HID_INVISIBLE = "invisible"  # text rendering mode 3 or 7, or painted fully transparent
_HID_UNCOLOURED = "uncoloured"  # in the colour of what lies under it (white on the page)
_HID_COVERED = "covered"  # an opaque fill painted over it afterwards
_HID_CLIPPED = "clipped"  # outside the clipping path
_HIDDEN_MARKS = {
    _HID_INVISIBLE: "不可见的文字（多为扫描件的文字识别结果）",
    _HID_UNCOLOURED: "与底色相同、看不见的文字",
    _HID_COVERED: "被后画的色块遮盖、看不见的文字",
    _HID_CLIPPED: "被裁剪掉、看不见的文字",
}
_SAME_COLOUR = 0.05  # colours no further apart than this in any RGB component look the same
_COVER_SHARE = 0.5  # a fill covering this share of a character's box (and its centre) hides it


def _lay_out(page: Any) -> list[tuple[dict[str, Any], str]]:
    """Lay ``page`` out as pdfplumber does, leaving out of it (and so out of ``page.chars``)
    the characters the page does not show; returns those, as pdfplumber's character dicts,
    with why (point 8)."""
    device_class, interpreter_class = _shown_classes()
    device = device_class(page.pdf.rsrcmgr, pageno=page.page_number, laparams=page.pdf.laparams)
    interpreter_class(page.pdf.rsrcmgr, device).process_page(page.page_obj)
    layout = device.get_result()
    unseen: list[tuple[Any, str]] = []
    if device.hid:
        _take_unseen(layout, unseen)
    page._layout = layout  # pdfplumber's own cache: page.chars, rects... come from it
    return [(page.process_object(char), why) for char, why in unseen]


def _take_unseen(container: Any, unseen: list[tuple[Any, str]]) -> None:
    kept = []
    for item in container._objs:
        why = getattr(item, "nianbao_hidden", "")
        if why:
            unseen.append((item, why))
            continue
        if hasattr(item, "_objs"):
            _take_unseen(item, unseen)
        kept.append(item)
    container._objs = kept


def _rgb(colour: object) -> tuple[float, ...] | None:
    """A gray, RGB or CMYK colour as RGB; None for a pattern or anything else."""
    if isinstance(colour, int | float):
        colour = (colour,)
    if not isinstance(colour, tuple) or not all(isinstance(v, int | float) for v in colour):
        return None
    if len(colour) == 1:
        return (float(colour[0]),) * 3
    if len(colour) == 3:
        return tuple(float(v) for v in colour)
    if len(colour) == 4:
        c, m, y, k = colour
        return tuple(1.0 - min(1.0, float(v) + float(k)) for v in (c, m, y))
    return None


_BLACK = (0.0, 0.0, 0.0)
_WHITE_RGB = (1.0, 1.0, 1.0)
_BAND = 24.0  # characters are kept in horizontal bands this high (pt) for the cover test
_HALF_BAND = 0.5 / _BAND  # a character's band: its top and bottom added, times this


@cache
def _shown_classes() -> tuple[type, type]:
    """pdfminer's layout device and interpreter, taught what the page shows (point 8):
    pdfminer keeps the text rendering mode in its text state but gives it to no character,
    ignores the graphics state's transparency and the clipping path, and knows nothing of
    what is painted over a character after it."""
    from pdfminer.layout import LTChar
    from pdfminer.pdfinterp import PDFPageInterpreter
    from pdfminer.psparser import PSLiteral
    from pdfplumber.page import PDFPageAggregatorWithMarkedContent  # the device pdfplumber uses
    from pdfplumber.utils.pdfinternals import resolve

    def resolve1(value: Any) -> Any:
        for _ in range(32):  # a reference to a reference...; a loop of them ends here
            resolved = resolve(value)
            if resolved is value:
                break
            value = resolved
        return value

    def literal_name(value: Any) -> str | None:
        if not isinstance(value, PSLiteral):
            return None
        name = value.name
        return name.decode("latin-1") if isinstance(name, bytes) else str(name)

    class Device(PDFPageAggregatorWithMarkedContent):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.clip: tuple[float, float, float, float] | None = None
            self.alpha = 1.0  # the fill's opacity (ExtGState /ca)
            self.opaque = True  # a fill paints over what lies under it (no blend, no mask)
            self.saved: list[tuple[Any, ...]] = []
            self.fills: list[tuple[tuple[float, float, float, float], tuple[float, ...]]] = []
            self.bands: dict[int, list[Any]] = {}  # shown characters by band, for covers
            self.hid = False
            self.colours: dict[object, tuple[float, ...] | None] = {}
            self.states: dict[tuple[int, str | None], tuple[float | None, bool | None]] = {}

        def save(self) -> None:
            self.saved.append((self.clip, self.alpha, self.opaque))

        def restore(self) -> None:
            if self.saved:
                self.clip, self.alpha, self.opaque = self.saved.pop()

        def render_string(self, textstate: Any, seq: Any, ncs: Any, graphicstate: Any) -> None:
            objs = self.cur_item._objs
            start = len(objs)
            super().render_string(textstate, seq, ncs, graphicstate)
            mode = textstate.render
            why = _HID_INVISIBLE if mode in (3, 7) or self.alpha <= 0.0 else ""
            colour = self.colour(graphicstate.scolor if mode in (1, 5) else graphicstate.ncolor)
            black = colour is None or colour == _BLACK  # shows on all but black: no test
            clip = self.clip
            bands = self.bands
            for char in objs[start:]:
                if not isinstance(char, LTChar):
                    continue
                reason = why
                if not reason and clip is not None:
                    x, y = (char.x0 + char.x1) / 2, (char.y0 + char.y1) / 2
                    if not (clip[0] <= x <= clip[2] and clip[1] <= y <= clip[3]):
                        reason = _HID_CLIPPED
                if not reason and not black:
                    reason = self._uncoloured(char, colour)
                if reason:
                    char.nianbao_hidden = reason  # type: ignore[attr-defined]
                    self.hid = True
                else:
                    band = int((char.y0 + char.y1) * _HALF_BAND)
                    bands.setdefault(band, []).append(char)

        def colour(self, colour: object) -> tuple[float, ...] | None:
            try:
                return self.colours[colour]
            except KeyError:
                rgb = self.colours[colour] = _rgb(colour)
                return rgb
            except TypeError:  # unhashable: no colour of ours
                return _rgb(colour)

        def _uncoloured(self, char: Any, colour: tuple[float, ...] | None) -> str:
            """_HID_UNCOLOURED where ``char`` is in the colour of the last fill under its centre
            (the paper's white if none), else ""."""
            x, y = (char.x0 + char.x1) / 2, (char.y0 + char.y1) / 2
            under: tuple[float, ...] = _WHITE_RGB
            for box, fill in reversed(self.fills):
                if box[0] <= x <= box[2] and box[1] <= y <= box[3]:
                    under = fill
                    break
            if colour is not None and all(
                abs(a - b) <= _SAME_COLOUR for a, b in zip(colour, under, strict=True)
            ):
                return _HID_UNCOLOURED
            return ""

        def paint_path(
            self, gstate: Any, stroke: bool, fill: bool, evenodd: bool, path: Any
        ) -> None:
            objs = self.cur_item._objs
            start = len(objs)
            super().paint_path(gstate, stroke, fill, evenodd, path)
            if not fill or not self.opaque or self.alpha < 1.0:
                return
            colour = self.colour(gstate.ncolor)
            if colour is None:
                return
            for rect in objs[start:]:
                if (
                    type(rect).__name__ == "LTRect"  # pdfminer's rectangle (no other shape)
                    and min(rect.width, rect.height) > _RULING_MAX_THICKNESS
                ):
                    self._cover(rect.bbox)
                    self.fills.append((rect.bbox, colour))

        def _cover(self, box: tuple[float, float, float, float]) -> None:
            x0, y0, x1, y1 = box
            for band in range(int(y0 // _BAND), int(y1 // _BAND) + 1):  # as _HALF_BAND
                for char in self.bands.get(band, ()):
                    if getattr(char, "nianbao_hidden", ""):
                        continue
                    x, y = (char.x0 + char.x1) / 2, (char.y0 + char.y1) / 2
                    if not (x0 <= x <= x1 and y0 <= y <= y1):
                        continue
                    area = (char.x1 - char.x0) * (char.y1 - char.y0)
                    covered = (min(x1, char.x1) - max(x0, char.x0)) * (
                        min(y1, char.y1) - max(y0, char.y0)
                    )
                    if area > 0 and covered >= _COVER_SHARE * area:
                        char.nianbao_hidden = _HID_COVERED
                        self.hid = True

    class Interpreter(PDFPageInterpreter):
        device: Device

        def do_q(self) -> None:
            super().do_q()
            self.device.save()

        def do_Q(self) -> None:
            if self.gstack:
                self.device.restore()
            super().do_Q()

        def do_W(self) -> None:
            self._clip()

        def do_W_a(self) -> None:
            self._clip()

        def _clip(self) -> None:
            """Narrow the clip to the current path's bounding box (a rectangle, as editors
            and word processors clip; any other shape's box is a bound that keeps more)."""
            a, b, c, d, e, f = self.ctm
            xs, ys = [], []
            for segment in self.curpath:
                for n in range(1, len(segment) - 1, 2):
                    x, y = float(segment[n]), float(segment[n + 1])
                    xs.append(a * x + c * y + e)
                    ys.append(b * x + d * y + f)
            if not xs:
                return
            box = (min(xs), min(ys), max(xs), max(ys))
            clip = self.device.clip
            if clip is not None:
                box = (
                    max(box[0], clip[0]),
                    max(box[1], clip[1]),
                    min(box[2], clip[2]),
                    min(box[3], clip[3]),
                )
            self.device.clip = box

        def do_gs(self, name: Any) -> None:
            """Follow the fill's opacity (/ca) and whether it paints over what lies under it
            (no blend mode, no soft mask), which pdfminer ignores."""
            states = resolve1((self.resources or {}).get("ExtGState"))
            key = (id(states), literal_name(name))
            found = self.device.states.get(key)
            if found is None:
                found = self.device.states[key] = _paint_state(states, key[1])
            alpha, opaque = found
            if alpha is not None:
                self.device.alpha = alpha
            if opaque is not None:
                self.device.opaque = opaque

        def do_Do(self, xobjid_arg: Any) -> None:
            self.device.save()  # a form's own state ends with it
            depth = len(self.device.saved)
            super().do_Do(xobjid_arg)
            del self.device.saved[depth:]
            self.device.restore()

    def _paint_state(states: object, name: str | None) -> tuple[float | None, bool | None]:
        """The fill's opacity and whether it is opaque, as the ExtGState ``name`` in
        ``states`` sets them (None: left as they were)."""
        state = resolve1(states.get(name)) if isinstance(states, dict) else None
        if not isinstance(state, dict):
            return None, None
        alpha = resolve1(state.get("ca"))
        opaque = None
        if "BM" in state or "SMask" in state:
            blend = resolve1(state.get("BM"))
            if isinstance(blend, list):
                blend = blend[0] if blend else None
            mask = resolve1(state.get("SMask"))
            opaque = (blend is None or literal_name(blend) in ("Normal", "Compatible")) and (
                mask is None or literal_name(mask) == "None"
            )
        return (float(alpha) if isinstance(alpha, int | float) else None), opaque

    return Device, Interpreter


_MOSTLY = 10  # a page one in this many of whose characters have no character map is unreadable


def _refuse_unshown(pages: list[_Page], path: str | os.PathLike[str]) -> None:
    """Refuse (F02) a report whose tables cannot be found because its text cannot be got out:
    glyphs without characters (a font without a character map), or a text layer the page
    does not show (an OCR layer over a scan), where no table holds a label of the form."""
    # a page whose text is mostly such: a stray glyph does not explain a table not found
    unmapped = [page.number for page in pages if page.unmapped * _MOSTLY >= page.shown > 0]
    scanned = [page.number for page in pages if page.invisible > page.shown]
    if not (unmapped or scanned) or _statutory([p for page in pages for p in page.pieces]):
        return
    from nianbao.sources.preflight import unreadable

    if unmapped:
        listed = "、".join(map(str, unmapped[:10])) + ("等" if len(unmapped) > 10 else "")
        problem = (
            f"第 {listed} 页的文字无法提取：PDF 中的字体缺少字符映射（复制出来是乱码或空白），"
            "找不到统计表的标签，未读取。请向发布单位索取 Word 或网页版本。"
        )
    else:
        listed = "、".join(map(str, scanned[:10])) + ("等" if len(scanned) > 10 else "")
        what = "是扫描的图片，其上的文字" if any(p.images for p in pages) else "的文字"
        problem = (
            f"第 {listed} 页{what}是不可见的文字层（多为文字识别的结果，未必与页面所印的一致），"
            "不能作为报告的数字读取（nianbao 不做文字识别），未读取。"
            "请提供可复制文字的 PDF 或 Word/Excel 版本。"
        )
    raise unreadable(Rule.F02, path, problem)


# -- one page ----------------------------------------------------------------------------------


def _read_page(page: Any, unseen: Sequence[tuple[dict[str, Any], str]] = ()) -> _Page:
    """One page; ``unseen``: its characters the page does not show, with why (``_lay_out``)."""
    width, height = float(page.width), float(page.height)
    raw_chars = [_on_its_baseline(c) for c in page.chars if c["text"].strip()]
    turn = _dominant_turn(raw_chars)
    drops = _drops(raw_chars, float(page.mediabox[0]))
    chars = [
        _to_frame_char(c, turn, width, height, drop)
        for c, drop in zip(raw_chars, drops, strict=True)
    ]
    unmapped = sum(char.text == _UNMAPPED for char in chars)
    hidden = [
        replace(_to_frame_char(c, turn, width, height, 0.0), hidden=why)
        for c, why in unseen
        if c["text"].strip()
    ]
    thick: _Thickness = {}
    horizontal, vertical, polyline_horizontal, polyline_vertical = _rulings(
        page, turn, width, height, thick
    )
    if turn % 2:
        width, height = height, width
    chars, horizontal, vertical = _strike_out(chars, horizontal, vertical, width, height)
    horizontal = _without_underlines(chars, horizontal, vertical)
    horizontal, vertical = _without_text_borders(chars, horizontal, vertical)
    # each stretch of the page on its own: a line is one border with lines beside it in its
    # own table only, not with another table's column edge a little to the side
    ruled = [_one_ruling_each(*band, thick) for band in _ruled_bands(horizontal, vertical)]
    horizontal = [segment for across, _ in ruled for segment in across]
    vertical = [segment for _, down in ruled for segment in down]
    horizontal, vertical = _close_open_borders(
        [s for s in horizontal + polyline_horizontal if s[2] - s[1] >= _MIN_RULING],
        [s for s in vertical + polyline_vertical if s[2] - s[1] >= _MIN_RULING],
        chars,
    )
    boxes = _pieces(page.page_number, horizontal, vertical, chars)
    pieces = [box for box in boxes if len(box.cells) > 1]
    frames = [box for box in boxes if len(box.cells) == 1]  # a framed paragraph, so far
    inside = [False] * len(chars)
    shown = _to_frame(*_visible_box(page), turn, float(page.width), float(page.height))
    drawn = _drawn(page, turn)
    for piece in pieces:
        _fill_cells(piece, chars, inside, shown, hidden)
        _drawn_cells(piece, drawn)
    for frame in frames:  # its text stays running text unless it is taken for a table's head
        _fill_cells(frame, chars, [False] * len(chars), shown, hidden)
    outside = [c for c, taken in zip(chars, inside, strict=True) if not taken]
    return _Page(
        page.page_number,
        width,
        height,
        _lines(outside),
        pieces,
        frames=frames,
        unmapped=unmapped,
        invisible=sum(c.hidden == _HID_INVISIBLE for c in hidden),
        shown=len(chars),
        images=len(page.images),
    )


# What a cell shows with no text, but a picture or shapes (glyphs drawn as outlines, as some
# PDF printers draw the characters of a font they cannot embed): no figure is read from it.
_PICTURE = "〔图片〕"
_Drawn = list[tuple[tuple[float, float, float, float], str]]


def _drawn(page: Any, turn: int) -> _Drawn:
    """The page's pictures and drawn shapes (curves: a glyph's outline, a hand-drawn mark),
    each box in the reading frame with what a cell showing it reads as."""
    width, height = float(page.width), float(page.height)
    found: _Drawn = []
    for objects, what in ((page.images, _PICTURE), (page.curves, DRAWN_NOT_TEXT)):
        for item in objects:
            box = (float(item["x0"]), float(item["top"]), float(item["x1"]), float(item["bottom"]))
            found.append((_to_frame(*box, turn, width, height), what))
    return found


def _drawn_cells(piece: _Piece, drawn: _Drawn) -> None:
    """Each cell of ``piece`` with no text that shows a picture (over half the cell, or within
    it) or a shape drawn within it reads as that (V01 at the cell), never as blank read as 0:
    a figure printed as a picture, or in glyphs drawn as outlines, is no text to read."""
    if not drawn:
        return
    for index, (u0, v0, u1, v1) in enumerate(piece.cells):
        if piece.texts[index] is not None:
            continue
        area = max((u1 - u0) * (v1 - v0), 1e-9)
        for (a0, b0, a1, b1), what in drawn:
            inside = (
                a0 >= u0 - _CUT_TOLERANCE
                and a1 <= u1 + _CUT_TOLERANCE
                and b0 >= v0 - _CUT_TOLERANCE
                and b1 <= v1 + _CUT_TOLERANCE
                and (a1 - a0) + (b1 - b0) > _CUT_TOLERANCE
            )
            overlap = max(0.0, min(a1, u1) - max(a0, u0)) * max(0.0, min(b1, v1) - max(b0, v0))
            if inside or (what == _PICTURE and overlap > area / 2):
                piece.texts[index] = what
                break


# Where an upright glyph's box lies about its baseline, in em: a CJK face's body from 0.88 above
# to 0.12 below (Noto, SimSun, FangSong alike), as pdfminer measures it from sound metrics.
_ABOVE_BASELINE, _BELOW_BASELINE = 0.88, 0.12
# pdfminer's box whose top is below this (in em above the baseline) stands on bad metrics
_TOP_AT_LEAST = 0.25


def _on_its_baseline(char: dict[str, Any]) -> dict[str, Any]:
    """``char`` with its box set back over its baseline when pdfminer put it below: a font
    re-embedded at size 1 under a scaling text matrix (pdftocairo's reprints) gets a box a
    whole em under the glyph, so labels fell into the row below, struck by its ruling. The
    baseline is where the text matrix places the glyph, whatever the font's metrics say."""
    matrix = char.get("matrix")
    if not matrix or matrix[1] or matrix[2] or matrix[0] <= 0 or matrix[3] <= 0:
        return char  # not upright: its box is pdfminer's
    size = float(char["size"])
    baseline = float(char["bottom"]) + float(char["y0"]) - float(matrix[5])
    if size <= 0 or float(char["top"]) <= baseline - _TOP_AT_LEAST * size:
        return char
    top, bottom = baseline - _ABOVE_BASELINE * size, baseline + _BELOW_BASELINE * size
    moved = float(char["top"]) - top
    return {
        **char,
        "top": top,
        "bottom": bottom,
        "y1": float(char["y1"]) + moved,
        "y0": float(char["y0"]) + moved,
        "doctop": float(char.get("doctop", char["top"])) - moved,
    }


def _char_turn(char: dict[str, Any]) -> int:
    """Quarter turns clockwise of a character's writing direction (0: left to right)."""
    a, b = char["matrix"][0], char["matrix"][1]  # the direction, in PDF space (y up)
    if abs(a) >= abs(b):
        return 0 if a > 0 else 2
    return 1 if b < 0 else 3


def _dominant_turn(chars: Sequence[dict[str, Any]]) -> int:
    if not chars:
        return 0
    counts = Counter(_char_turn(c) for c in chars)
    turn, count = counts.most_common(1)[0]
    return turn if count * 2 > len(chars) else 0


def _to_frame(
    x0: float, top: float, x1: float, bottom: float, turn: int, width: float, height: float
) -> tuple[float, float, float, float]:
    """A box in page space (x right, top down) in the reading frame of text turned ``turn``."""
    if turn == 0:
        return x0, top, x1, bottom
    if turn == 1:  # text runs down the page: the next line is to its left
        return top, width - x1, bottom, width - x0
    if turn == 2:
        return width - x1, height - bottom, width - x0, height - top
    return height - bottom, x0, height - top, x1  # text runs up: the next line is to its right


def _to_frame_char(
    char: dict[str, Any], turn: int, width: float, height: float, drop: float
) -> _Char:
    box = _to_frame(char["x0"], char["top"], char["x1"], char["bottom"], turn, width, height)
    text = _UNMAPPED if _NO_MAP.fullmatch(char["text"]) else char["text"]
    return _Char(*box, text, float(char["size"]), (_char_turn(char) - turn) % 4, drop)


def _drops(chars: Sequence[dict[str, Any]], left: float) -> list[float]:
    """Each character's baseline height above its box's foot, in points.

    pdfminer sets a glyph's box from the pen position (the text matrix's origin) down by the
    font's descent and up by the text rise, so the box's foot less the pen position is the
    descent for most of a font's characters, and descent plus rise for a raised or lowered
    one. The descent of a font is what most of its characters show (a plausible share of em,
    else a usual one); a character's baseline is its foot raised by it, wherever a text
    matrix or a text rise put the glyph. ``left`` is the page's MediaBox left edge (pdfplumber
    shifts x by it, the matrix is not).
    """
    ems: list[float] = []
    counts: dict[str, Counter[float]] = {}
    for char in chars:
        _, _, _, _, e, f = char["matrix"]
        turn = _char_turn(char)
        if turn == 0:  # the glyph's up is up the page (y grows upwards in PDF space)
            em, gap = char["y1"] - char["y0"], f - char["y0"]
        elif turn == 2:
            em, gap = char["y1"] - char["y0"], char["y1"] - f
        elif turn == 1:  # runs down the page: up is to the right
            em, gap = char["x1"] - char["x0"], e - (char["x0"] - left)
        else:
            em, gap = char["x1"] - char["x0"], (char["x1"] - left) - e
        share = round(gap / em, 2) if em > 0 else 0.0
        counts.setdefault(char["fontname"], Counter())[share] += 1
        ems.append(em)
    descent = {}
    for font, count in counts.items():
        share = count.most_common(1)[0][0]
        descent[font] = share if _DESCENT[0] <= share <= _DESCENT[1] else _USUAL_DESCENT
    return [descent[c["fontname"]] * em for c, em in zip(chars, ems, strict=True)]


# -- rulings -----------------------------------------------------------------------------------


def _visible(color: object) -> bool:
    """False for a white (or near-white) colour; a pattern or unknown colour counts as visible."""
    if color is None:
        return True  # the default colour is black
    if isinstance(color, int | float):
        color = (color,)
    if not isinstance(color, tuple) or not all(isinstance(v, int | float) for v in color):
        return True
    if len(color) == 4:  # CMYK: white is no ink at all
        return any(v > 1 - _WHITE for v in color)
    return any(v < _WHITE for v in color)


Segment = tuple[float, float, float]  # (position across, start along, end along)


def _rulings(
    page: Any, turn: int, width: float, height: float, thick: _Thickness | None = None
) -> tuple[list[Segment], list[Segment], list[Segment], list[Segment]]:
    """Visible drawn lines in the reading frame, as (position, start, end), down to _MIN_MARK
    long: the horizontal and vertical lines and rectangles' sides (a strike is one of them),
    then the horizontal and vertical straight pieces of polylines (a seal's outline, say: no
    strike). The rulings are those at least _MIN_RULING long that are no strike. ``thick``
    is given each line's and side's thickness (``_one_ruling_each``)."""
    if thick is None:
        thick = {}
    boxes: list[tuple[float, float, float, float]] = []  # thin boxes, each one ruling
    pens: list[float] = []  # the width of the pen each line and rectangle side is drawn with
    for line in page.lines:
        if line.get("stroke", True) and _visible(line.get("stroking_color")):
            boxes.append((line["x0"], line["top"], line["x1"], line["bottom"]))
            pens.append(float(line.get("linewidth") or 0))
    for rect in page.rects:
        x0, top, x1, bottom = rect["x0"], rect["top"], rect["x1"], rect["bottom"]
        if rect.get("stroke") and _visible(rect.get("stroking_color")):
            boxes += [(x0, top, x1, top), (x0, bottom, x1, bottom)]
            boxes += [(x0, top, x0, bottom), (x1, top, x1, bottom)]
            pens += [float(rect.get("linewidth") or 0)] * 4
        elif (
            rect.get("fill")
            and _visible(rect.get("non_stroking_color"))
            and min(x1 - x0, bottom - top) <= _RULING_MAX_THICKNESS
        ):
            boxes.append((x0, top, x1, bottom))
            pens.append(0.0)
    drawn = len(boxes)  # lines and rectangles before, polylines after
    for curve in page.curves:  # polylines: their straight axis-parallel segments
        if not (curve.get("stroke") and _visible(curve.get("stroking_color"))):
            continue
        points = curve.get("pts") or []
        for (ax, ay), (bx, by) in zip(points, points[1:], strict=False):
            if abs(ax - bx) < 0.5 or abs(ay - by) < 0.5:
                boxes.append((min(ax, bx), min(ay, by), max(ax, bx), max(ay, by)))
    segments: tuple[list[Segment], ...] = ([], [], [], [])
    for number, box in enumerate(boxes):
        u0, v0, u1, v1 = _to_frame(*box, turn, width, height)
        if min(u1 - u0, v1 - v0) > _RULING_MAX_THICKNESS:
            continue  # a slanted line
        kind = 0 if number < drawn else 2
        pen = pens[number] if number < drawn else 0.0
        if u1 - u0 >= v1 - v0:
            if u1 - u0 >= _MIN_MARK:
                segment = ((v0 + v1) / 2, u0, u1)
                segments[kind].append(segment)
                thick[(0, segment)] = max(thick.get((0, segment), 0.0), pen, v1 - v0)
        elif v1 - v0 >= _MIN_MARK:
            segment = ((u0 + u1) / 2, v0, v1)
            segments[kind + 1].append(segment)
            thick[(1, segment)] = max(thick.get((1, segment), 0.0), pen, u1 - u0)
    return segments[0], segments[1], segments[2], segments[3]


# Where a line is inked across its length: (from, to, start, end) along it.
_Ink = tuple[float, float, float, float]
# How thick each drawn line is: (0 horizontal / 1 vertical, its segment) -> pt.
_Thickness = dict[tuple[int, Segment], float]
# A border drawn as two or three lines side by side (Word's 粗细线, a double or 3-D "outset"
# border: LibreOffice draws each line) leaves no more paper than this between them (pt)...
_BORDER_GAP = 1.5
# ...and is no wider than this in all (pt): no row or column of a table is so narrow.
_BORDER_WIDTH = 4.5
# A ruling at least this thick (pt) is a frame: the rulings that meet it stop at its inner
# edge, or reach past its middle (a pen's square end), and are set to end on its middle.
_THICK = 1.2


def _one_ruling_each(
    horizontal: list[Segment], vertical: list[Segment], thick: _Thickness
) -> tuple[list[Segment], list[Segment]]:
    """The rulings (position, start, end) the drawn lines make: a border drawn as several lines
    side by side is one ruling along its middle, and the rulings meeting a thick one end on
    its middle. Else a thick frame (3 pt, 外粗内细) or a double one is taken for two rulings,
    or the inner rulings' ends miss it by more than the tolerance: cells split into slivers
    or merged across the row, their text read into the wrong cell."""
    inks = (
        [(at, start, end, thick.get((kind, (at, start, end)), 0.0) / 2) for at, start, end in lines]
        for kind, lines in enumerate((horizontal, vertical))
    )
    rows, columns = (
        _borders([(at - half, at + half, start, end) for at, start, end, half in lines])
        for lines in inks
    )
    frames = [[band for band in bands if band[1] - band[0] >= _THICK] for bands in (rows, columns)]
    return (
        [_meeting(band, frames[1]) for band in rows],
        [_meeting(band, frames[0]) for band in columns],
    )


def _borders(inks: list[_Ink]) -> list[_Ink]:
    """``inks`` (parallel lines), those side by side (a border of several lines, the pieces
    of one drawn cell by cell) given the ink of them all: one ruling along its middle."""
    tracks: list[list[_Ink]] = []
    for ink in sorted(inks):
        track = tracks[-1] if tracks else []
        if (
            track
            and ink[0] <= max(high for _, high, _, _ in track) + _BORDER_GAP
            and ink[1] - track[0][0] <= _BORDER_WIDTH
        ):
            track.append(ink)
        else:
            tracks.append([ink])
    borders: list[_Ink] = []
    for track in tracks:
        low, high = track[0][0], max(high for _, high, _, _ in track)
        borders += [(low, high, start, end) for _, _, start, end in track]
    return borders


def _meeting(band: _Ink, thick: list[_Ink]) -> Segment:
    """``band`` as a ruling along its middle, each end that lies on one of the ``thick``
    rulings across it (within its ink, or as near as rulings meet) set on that ruling's
    middle: near as it is to the ink, it may be further than that from the middle."""
    low, high, start, end = band
    at = (low + high) / 2
    ends = [start, end]
    for t_low, t_high, t_start, t_end in thick:
        if not t_start - _EDGE_TOLERANCE <= at <= t_end + _EDGE_TOLERANCE:
            continue
        for n, point in enumerate(ends):
            if t_low - _EDGE_TOLERANCE <= point <= t_high + _EDGE_TOLERANCE:
                ends[n] = (t_low + t_high) / 2
    return at, ends[0], ends[1]


def _strike_out(
    chars: list[_Char],
    horizontal: list[Segment],
    vertical: list[Segment],
    width: float,
    height: float,
) -> tuple[list[_Char], list[Segment], list[Segment]]:
    """The characters, those struck through marked ``struck`` (they are not read, but still
    take their place on the line) and those crossed by a line that may or may not be a
    strike marked ``crossed``; and the drawn lines that are no strikes (point 5). Each
    character is judged in its own upright frame, against the lines running along it there.
    """
    struck: set[int] = set()
    crossed: set[int] = set()
    strikes: set[tuple[int, int]] = set()  # (0 horizontal / 1 vertical, index)
    for turn in sorted({c.turn for c in chars}):
        members = [n for n, c in enumerate(chars) if c.turn == turn]
        boxes = [_to_frame(*_box(chars[n]), turn, width, height) for n in members]
        feet = sorted(
            (box[3] - chars[n].drop, box, n) for n, box in zip(members, boxes, strict=True)
        )
        baselines = [foot[0] for foot in feet]
        reach = _BODY[1] * max(box[3] - box[1] for box in boxes)
        kind = turn % 2  # the lines along these characters: horizontal, or vertical
        for index, (at, start, end) in enumerate((horizontal, vertical)[kind]):
            if kind:
                u0, v0, u1, v1 = _to_frame(at, start, at, end, turn, width, height)
            else:
                u0, v0, u1, v1 = _to_frame(start, at, end, at, turn, width, height)
            v = (v0 + v1) / 2
            touched: list[tuple[float, tuple[float, float, float, float], int]] = []
            for i in range(bisect.bisect_left(baselines, v), len(baselines)):
                baseline, box, n = feet[i]
                if baseline > v + reach:
                    break
                em = box[3] - box[1]
                if not _BODY[0] * em < baseline - v < _BODY[1] * em:
                    continue
                share = (min(u1, box[2]) - max(u0, box[0])) / ((box[2] - box[0]) or 1.0)
                if share > _TOUCHED:
                    touched.append((share, box, n))
            if not touched:
                continue
            em = max(box[3] - box[1] for _, box, _ in touched)
            if (
                all(share >= _COVERED for share, _, _ in touched)
                and u0 >= min(box[0] for _, box, _ in touched) - _STRIKE_REACH * em
                and u1 <= max(box[2] for _, box, _ in touched) + _STRIKE_REACH * em
            ):
                struck.update(n for _, _, n in touched)
                strikes.add((kind, index))
            else:
                crossed.update(n for _, _, n in touched)
    if not struck and not crossed:
        return chars, horizontal, vertical
    for n in struck:
        chars[n].struck = True
    for n in crossed - struck:
        chars[n].crossed = True
    return (
        chars,
        [s for i, s in enumerate(horizontal) if (0, i) not in strikes],
        [s for i, s in enumerate(vertical) if (1, i) not in strikes],
    )


def _without_underlines(
    chars: Sequence[_Char], horizontal: list[Segment], vertical: list[Segment]
) -> list[Segment]:
    """The horizontal lines less the underlines (Word's 下划线 under a figure, single or
    double): a line just under the baseline of the characters above it (within _UNDER em),
    covering each of them for _COVERED of its width and running no more than _STRIKE_REACH
    em beyond them, that meets no other line at its ends. Taken for a ruling it cut the
    figure's cell in two (a figure read as blank, another as hidden under a merge). A ruling
    meets the table's other rulings; a cell's border drawn on its own meets the cell's sides.
    Nor is a line that meets only the sides of the one cell it lies in (``_inside_one_cell``):
    the underline of a label wrapped to the cell's width, as LibreOffice draws it, ends a point
    or so short of the sides. Pieces drawn end to end (one per run of text) are judged as the
    one line they make: each piece alone "meets" the next."""
    feet = sorted((c.v1 - c.drop, n) for n, c in enumerate(chars) if c.turn == 0)
    if not feet:
        return horizontal
    baselines = [foot for foot, _ in feet]
    deepest = _UNDER * max(c.v1 - c.v0 for c in chars)
    joined, members = _end_to_end(horizontal)
    dropped: set[int] = set()
    near = _Nearby(joined, vertical)  # each line weighed against those near it alone
    for index, (v, u0, u1) in enumerate(joined):
        touched = []
        for i in range(
            bisect.bisect_left(baselines, v - deepest), bisect.bisect_left(baselines, v)
        ):
            char = chars[feet[i][1]]
            em = char.v1 - char.v0
            share = (min(u1, char.u1) - max(u0, char.u0)) / ((char.u1 - char.u0) or 1.0)
            if v - baselines[i] <= _UNDER * em and share > _TOUCHED:
                touched.append((share, char))
        em = max((char.v1 - char.v0 for _, char in touched), default=0.0)
        if (
            touched
            and all(share >= _COVERED for share, _ in touched)
            and u0 >= min(char.u0 for _, char in touched) - _STRIKE_REACH * em
            and u1 <= max(char.u1 for _, char in touched) + _STRIKE_REACH * em
            and (
                not _meets_a_line(index, joined, vertical, near)
                or _inside_one_cell(index, joined, vertical, near)
            )
        ):
            dropped.update(members[index])  # an underline
    return [line for n, line in enumerate(horizontal) if n not in dropped]


def _end_to_end(horizontal: list[Segment]) -> tuple[list[Segment], list[list[int]]]:
    """The horizontal lines with those drawn end to end at one height (within _JOINED) joined
    into one, and for each the indices of the lines it was made of."""
    order = sorted(range(len(horizontal)), key=lambda n: (horizontal[n][0], horizontal[n][1]))
    joined: list[Segment] = []
    members: list[list[int]] = []
    for n in order:
        v, u0, u1 = horizontal[n]
        if joined:
            at, start, end = joined[-1]
            if abs(v - at) <= _JOINED and u0 <= end + _JOINED:
                joined[-1] = (at, min(start, u0), max(end, u1))
                members[-1].append(n)
                continue
        joined.append((v, u0, u1))
        members.append([n])
    return joined, members


def _inside_one_cell(
    index: int, horizontal: list[Segment], vertical: list[Segment], near: _Nearby
) -> bool:
    """Whether horizontal line ``index`` lies inside one cell: no vertical line crosses it or
    ends on it; those at its ends (within _EDGE_TOLERANCE) are the cell's sides, running on
    above and below it, and it stops short of them (a border is drawn to the sides); and no
    line at its height goes on past a side into the next cell. A row's border crosses the
    column rulings, or is drawn cell by cell, each piece meeting the next across a side."""
    v, u0, u1 = horizontal[index]
    tolerance = _EDGE_TOLERANCE
    left, right = u0, u1
    reach = math.ceil(tolerance)
    for place in range(round(u0) - reach, round(u1) + reach + 1):
        for k in near.down.get(place, ()):
            x, start, end = vertical[k]
            if not (
                u0 - tolerance <= x <= u1 + tolerance and start - tolerance <= v <= end + tolerance
            ):
                continue
            if u0 + tolerance < x < u1 - tolerance:
                return False  # a column ruling crosses it, or ends on it
            if not (start < v - tolerance and end > v + tolerance):
                return False  # a corner: the side ends on it
            if x >= u1 - tolerance:
                if x <= u1:
                    return False  # drawn to the side
                right = max(right, x)
            elif x >= u0:
                return False  # drawn to the side
            else:
                left = min(left, x)
    return not any(
        n != index
        and abs(at - v) <= tolerance
        and start <= right + tolerance
        and end >= left - tolerance
        # goes on past it (as a double underline's other line does not)
        and (start < u0 - tolerance or end > u1 + tolerance)
        for place in range(round(v) - reach, round(v) + reach + 1)
        for n in near.across.get(place, ())
        for at, start, end in (horizontal[n],)
    )


def _meets_a_line(
    index: int, horizontal: list[Segment], vertical: list[Segment], near: _Nearby
) -> bool:
    """Whether horizontal line ``index`` meets another line at either end, or another at its
    height goes on past it: a ruling of a table, or a cell's border, never an underline (a
    double underline's two lines run alongside each other, neither past the other). ``near``:
    the lines by their rounded position, so that only those close by are looked at."""
    v, u0, u1 = horizontal[index]
    tolerance = _EDGE_TOLERANCE
    return any(
        start - tolerance <= v <= end + tolerance
        for edge in (u0, u1)
        for k in near.lines(near.down, edge)
        if abs((line := vertical[k])[0] - edge) <= tolerance
        for _, start, end in (line,)
    ) or any(
        n != index
        and abs(at - v) <= tolerance
        and start <= u1 + tolerance
        and end >= u0 - tolerance
        and (start < u0 - tolerance or end > u1 + tolerance)  # goes on: a double underline does not
        for n in near.lines(near.across, v)
        for at, start, end in (horizontal[n],)
    )


class _Nearby:
    """Lines by their position across, rounded to a point: those within _EDGE_TOLERANCE of a
    place are in the buckets round it."""

    def __init__(self, horizontal: list[Segment], vertical: list[Segment]) -> None:
        self.across: dict[int, list[int]] = {}
        self.down: dict[int, list[int]] = {}
        for lines, buckets in ((horizontal, self.across), (vertical, self.down)):
            for n, (at, _, _) in enumerate(lines):
                buckets.setdefault(round(at), []).append(n)

    @staticmethod
    def lines(buckets: dict[int, list[int]], at: float) -> Iterator[int]:
        reach = math.ceil(_EDGE_TOLERANCE)
        for place in range(round(at) - reach, round(at) + reach + 1):
            yield from buckets.get(place, ())


def _without_text_borders(
    chars: Sequence[_Char], horizontal: list[Segment], vertical: list[Segment]
) -> tuple[list[Segment], list[Segment]]:
    """The lines less the borders drawn round text (Word's 字符边框 round a figure): a
    rectangle of four lines meeting no other line, round characters it holds tightly (within
    _BORDER_ROOM em of them), inside a cell of other rulings. Taken for rulings, each made a
    cell of its own inside the table's: figures read as blank (0) or a column off.

    Rectangles are looked for only as tall as a few lines of text, their sides found by their
    position and the characters by their height: a table drawn cell by cell (WPS's) is made of
    rectangles, hundreds of them, none tight round its text."""
    if not chars:
        return horizontal, vertical
    tallest = _BORDER_LINES * max(c.v1 - c.v0 for c in chars)
    by_span: dict[tuple[int, int], list[int]] = {}
    for i, (_, u0, u1) in enumerate(horizontal):
        by_span.setdefault((round(u0), round(u1)), []).append(i)
    by_place: dict[int, list[int]] = {}  # a vertical line's rounded position -> its lines
    for k, (at, _, _) in enumerate(vertical):
        by_place.setdefault(round(at), []).append(k)
    middles = sorted(((c.v0 + c.v1) / 2, n) for n, c in enumerate(chars))
    heights = [middle for middle, _ in middles]
    boxes: list[tuple[set[int], set[int]]] = []  # the lines of each rectangle round text
    for i, (top, u0, u1) in enumerate(horizontal):
        for j in by_span.get((round(u0), round(u1)), ()):
            bottom = horizontal[j][0]
            if not top < bottom <= top + tallest:
                continue
            sides = _sides(vertical, by_place, (u0, top, u1, bottom))
            if sides is None:
                continue
            held = [
                chars[n]
                for _, n in middles[
                    bisect.bisect_right(heights, top) : bisect.bisect_left(heights, bottom)
                ]
                if u0 < (chars[n].u0 + chars[n].u1) / 2 < u1
            ]
            if not held or not _tight(held, (u0, top, u1, bottom)):
                continue
            if len(boxes) >= _BORDERS_PER_PAGE:
                return horizontal, vertical  # no report's page: its lines all stay rulings
            box = ({i, j}, set(sides))
            if _inside_a_cell((u0, top, u1, bottom), box, horizontal, vertical):
                boxes.append(box)
    # a figure wrapped in its cell has a border round each line, one against the next
    in_boxes = ({n for own, _ in boxes for n in own}, {n for _, own in boxes for n in own})
    dropped_h: set[int] = set()
    dropped_v: set[int] = set()
    for box in boxes:
        if not _box_meets_other_lines(box, in_boxes, horizontal, vertical):
            dropped_h |= box[0]
            dropped_v |= box[1]
    if not dropped_h:
        return horizontal, vertical
    return (
        [line for n, line in enumerate(horizontal) if n not in dropped_h],
        [line for n, line in enumerate(vertical) if n not in dropped_v],
    )


def _sides(
    vertical: list[Segment], by_place: dict[int, list[int]], rect: tuple[float, float, float, float]
) -> list[int] | None:
    """The two vertical lines that close ``rect`` left and right (each from its top to its
    bottom), None when it is not so closed."""
    u0, top, u1, bottom = rect
    tolerance = _EDGE_TOLERANCE
    sides = []
    for edge in (u0, u1):
        near = (
            k
            for at in range(round(edge - tolerance), round(edge + tolerance) + 1)
            for k in by_place.get(at, ())
        )
        found = next(
            (
                k
                for k in near
                if abs(vertical[k][0] - edge) <= tolerance
                and abs(vertical[k][1] - top) <= tolerance
                and abs(vertical[k][2] - bottom) <= tolerance
            ),
            None,
        )
        if found is None:
            return None
        sides.append(found)
    return sides if sides[0] != sides[1] else None


def _tight(held: Sequence[_Char], rect: tuple[float, float, float, float]) -> bool:
    """Whether ``rect`` fits the characters it holds within _BORDER_ROOM em on every side."""
    em = max(c.v1 - c.v0 for c in held)
    u0, v0, u1, v1 = rect
    room = _BORDER_ROOM * em
    return (
        min(c.u0 for c in held) - u0 <= room
        and u1 - max(c.u1 for c in held) <= room
        and min(c.v0 for c in held) - v0 <= room
        and v1 - max(c.v1 for c in held) <= room
    )


def _box_meets_other_lines(
    box: tuple[set[int], set[int]],
    boxes: tuple[set[int], set[int]],
    horizontal: list[Segment],
    vertical: list[Segment],
) -> bool:
    """Whether a line but those of ``boxes`` (rectangles round text) meets the box as a
    table's lines meet: a vertical line along or across one of its sides, a horizontal one
    crossing its sides or carrying on from one of its corners. A row's ruling passing right
    over or under it (the row grown to fit a wrapped figure) is no part of it."""
    tolerance = _TOUCHING
    own_h, own_v = box
    for n, (v, u0, u1) in enumerate(horizontal):
        if n in boxes[0]:
            continue
        for k in own_v:  # across a side, not at its ends
            at, start, end = vertical[k]
            if start + tolerance < v < end - tolerance and u0 - tolerance <= at <= u1 + tolerance:
                return True
        for k in own_h:  # carrying on from a corner
            at, start, end = horizontal[k]
            if abs(v - at) <= tolerance and (
                abs(u1 - start) <= tolerance or abs(u0 - end) <= tolerance
            ):
                return True
    for n, (u, v0, v1) in enumerate(vertical):
        if n in boxes[1]:
            continue
        for k in own_v:
            at, start, end = vertical[k]
            if abs(u - at) <= tolerance and v0 <= end + tolerance and v1 >= start - tolerance:
                return True
        for k in own_h:
            at, start, end = horizontal[k]
            if start - tolerance <= u <= end + tolerance and v0 - tolerance <= at <= v1 + tolerance:
                return True
    return False


def _inside_a_cell(
    rect: tuple[float, float, float, float],
    box: tuple[set[int], set[int]],
    horizontal: list[Segment],
    vertical: list[Segment],
) -> bool:
    """Whether other lines above, below, left and right of ``rect`` enclose it: it stands in
    a table's cell (a framed paragraph standing alone is no text's border)."""
    u0, v0, u1, v1 = rect
    own_h, own_v = box
    across = [(at, s, e) for n, (at, s, e) in enumerate(horizontal) if n not in own_h]
    down = [(at, s, e) for n, (at, s, e) in enumerate(vertical) if n not in own_v]
    return (
        any(at < v0 and s <= u0 and e >= u1 for at, s, e in across)
        and any(at > v1 and s <= u0 and e >= u1 for at, s, e in across)
        and any(at < u0 and s <= v0 and e >= v1 for at, s, e in down)
        and any(at > u1 and s <= v0 and e >= v1 for at, s, e in down)
    )


def _box(char: _Char) -> tuple[float, float, float, float]:
    return char.u0, char.v0, char.u1, char.v1


def _upright(char: _Char, turn: int, span: float) -> _Char:
    """``char`` (turned ``turn``) in the square frame of side ``span`` where it stands upright."""
    u0, v0, u1, v1 = _to_frame(*_box(char), turn, span, span)
    return replace(char, u0=u0, v0=v0, u1=u1, v1=v1, turn=0)


def _close_open_borders(
    horizontal: list[Segment], vertical: list[Segment], chars: Sequence[_Char] = ()
) -> tuple[list[Segment], list[Segment]]:
    """Add the outer borders a table left out, along the bands a real ruling crosses; never
    one through a run of ``chars`` (no line is drawn there: the rulings' ends there are
    pieces meeting inside a merged cell, as a spreadsheet prints its gridlines)."""
    boxes = sorted((_box(c) for c in chars), key=_middle)
    flipped = sorted(((v0, u0, v1, u1) for u0, v0, u1, v1 in boxes), key=_middle)
    return (
        horizontal + [s for s in _closing(vertical, horizontal) if not _cuts_text(s, flipped)],
        vertical + [s for s in _closing(horizontal, vertical) if not _cuts_text(s, boxes)],
    )


def _middle(box: _Box) -> float:
    return (box[1] + box[3]) / 2


_TOUCH = 0.5  # text reaching this close to a line from both sides runs across it (pt)


def _cuts_text(segment: Segment, boxes: Sequence[_Box]) -> bool:
    """Whether the line ``segment`` (at u = position, from v = start to end) runs through a
    run of text: a character's box across it, or two characters of one line meeting on it.
    ``boxes``: the characters' (u0, v0, u1, v1), in the order of their middles along v."""
    at, start, end = segment
    band = boxes[
        bisect.bisect_right(boxes, start, key=_middle) : bisect.bisect_left(boxes, end, key=_middle)
    ]
    before = [box for box in band if box[0] < at - _TOUCH <= box[2]]
    after = [box for box in band if box[2] > at + _TOUCH >= box[0]]
    return any(
        abs(_middle(a) - _middle(b)) <= min(a[3] - a[1], b[3] - b[1]) / 2
        for a in before
        for b in after
    )


def _closing(rules: list[Segment], crossing: list[Segment]) -> list[Segment]:
    """Segments (across ``rules``) closing the ends of parallel ``rules`` that share an end,
    between neighbours whose band a ``crossing`` ruling spans from one to the other."""
    added: list[Segment] = []
    for end in (1, 2):
        by_end: dict[float, list[float]] = {}
        for rule in rules:
            key = _snap_key(rule[end])
            by_end.setdefault(key, []).append(rule[0])
        for at, positions in by_end.items():
            positions.sort()
            for a, b in zip(positions, positions[1:], strict=False):
                if b - a <= _EDGE_TOLERANCE:
                    continue
                if any(
                    c[1] <= a + _EDGE_TOLERANCE and c[2] >= b - _EDGE_TOLERANCE for c in crossing
                ):
                    added.append((at, a, b))
    return added


def _snap_key(value: float) -> float:
    return round(value / _EDGE_TOLERANCE) * _EDGE_TOLERANCE


# -- tables on a page --------------------------------------------------------------------------


def _pieces(
    page_number: int, horizontal: list[Segment], vertical: list[Segment], chars: list[_Char]
) -> list[_Piece]:
    """The ruled boxes on a page: tables, and boxes of one cell (framed paragraphs)."""
    if len(horizontal) < 2 or len(vertical) < 2:
        return []
    from pdfplumber.table import TableFinder

    def edge(orientation: str, position: float, start: float, end: float) -> dict[str, Any]:
        if orientation == "h":
            x0, x1, top, bottom = start, end, position, position
        else:
            x0, x1, top, bottom = position, position, start, end
        return {
            "object_type": "ruling_edge",
            "orientation": orientation,
            "x0": x0,
            "x1": x1,
            "top": top,
            "bottom": bottom,
            "doctop": top,
            "width": x1 - x0,
            "height": bottom - top,
        }

    settings = {
        "vertical_strategy": "explicit",
        "horizontal_strategy": "explicit",
        "explicit_vertical_lines": [edge("v", *s) for s in vertical],
        "explicit_horizontal_lines": [edge("h", *s) for s in horizontal],
        "snap_tolerance": _EDGE_TOLERANCE,
        "join_tolerance": _EDGE_TOLERANCE,
        "intersection_tolerance": _EDGE_TOLERANCE,
        "edge_min_length": _MIN_RULING,
    }
    pieces: list[_Piece] = []
    boxes: list[_Piece] = []  # boxes of one cell, after the tables as the finder gives them
    for across, down in _ruled_bands(horizontal, vertical):
        if len(across) < 2 or len(down) < 2:
            continue  # no box
        finder = TableFinder(
            None,  # type: ignore[arg-type]
            {
                **settings,
                "explicit_vertical_lines": [edge("v", *s) for s in down],
                "explicit_horizontal_lines": [edge("h", *s) for s in across],
            },
        )
        for table in finder.tables:
            cells = [tuple(map(float, c)) for c in table.cells]
            u0, v0, u1, v1 = table.bbox
            pieces.append(_Piece(page_number, u0, v0, u1, v1, cells, [None] * len(cells)))  # type: ignore[arg-type]
        # the finder leaves out a box of one cell (no table): every cell in none of its tables
        tabled = {tuple(cell) for table in finder.tables for cell in table.cells}
        for cell in finder.cells:
            if tuple(cell) not in tabled:
                u0, v0, u1, v1 = map(float, cell)
                boxes.append(_Piece(page_number, u0, v0, u1, v1, [(u0, v0, u1, v1)], [None]))
    return pieces + boxes


def _ruled_bands(
    horizontal: list[Segment], vertical: list[Segment]
) -> list[tuple[list[Segment], list[Segment]]]:
    """The rulings of a page in stretches from top to bottom that no ruling bridges: (its
    horizontal, its vertical) each. Lines side by side are taken for one border
    (``_one_ruling_each``) and the finder snaps together rulings closer than the tolerance,
    anywhere on what they are given; given one stretch at a time, a table's rulings are
    merged and snapped only with its own, never with another table's (表三's column edge 2 pt
    beside 表四's moved that one off its place, and off its continuation's on the next page)."""
    spans = sorted(
        [(s[0], s[0], "h", s) for s in horizontal] + [(s[1], s[2], "v", s) for s in vertical],
        key=lambda span: span[:2],
    )
    bands: list[tuple[list[Segment], list[Segment]]] = []
    bottom = -math.inf
    for top, end, kind, segment in spans:
        if top > bottom + _EDGE_TOLERANCE:
            bands.append(([], []))
        bands[-1][0 if kind == "h" else 1].append(segment)
        bottom = max(bottom, end)
    return bands


def _visible_box(page: Any) -> tuple[float, float, float, float]:
    """The part of the page a viewer shows and a printer prints (the crop box within the media
    box), in pdfplumber's coordinates (x right, top down, from the media box's corner), where
    its characters are: pdfplumber gives every character, also those outside it."""
    mx0, mtop = float(page.mediabox[0]), float(page.mediabox[1])
    cx0, ctop, cx1, cbottom = (float(v) for v in page.cropbox)
    width, height = float(page.width), float(page.height)
    return (
        max(0.0, cx0 - mx0),
        max(0.0, ctop - mtop),
        min(width, cx1 - mx0),
        min(height, cbottom - mtop),
    )


def _fill_cells(
    piece: _Piece,
    chars: list[_Char],
    inside: list[bool],
    shown: tuple[float, float, float, float] | None = None,
    hidden: Sequence[_Char] = (),
) -> None:
    """Give each cell of ``piece`` the text of the characters centred in it; a figure whose
    characters run past its cell's rulings or past the page's ``shown`` box (point 4) is
    marked as not read whole. A cell showing nothing where the text layer has ``hidden``
    characters, or holding a glyph without a character (point 8), says so."""
    us = _clusters([c[0] for c in piece.cells] + [c[2] for c in piece.cells])
    vs = _clusters([c[1] for c in piece.cells] + [c[3] for c in piece.cells])
    owner: dict[tuple[int, int], int] = {}
    for index, (u0, v0, u1, v1) in enumerate(piece.cells):
        for r in range(_index(vs, v0), _index(vs, v1)):
            for c in range(_index(us, u0), _index(us, u1)):
                owner[(r, c)] = index
    found: dict[int, list[_Char]] = {}
    beyond: set[int] = set()  # cells at the page's edge with text past it, beyond the table
    for n, char in enumerate(chars):
        u, v = (char.u0 + char.u1) / 2, (char.v0 + char.v1) / 2
        if not (piece.u0 <= u < piece.u1 and piece.v0 <= v < piece.v1):
            if (edge := _edge_cell(piece, char, shown, owner, us, vs)) is not None:
                inside[n] = True
                beyond.add(edge)
            continue
        cell = owner.get((bisect.bisect_right(vs, v) - 1, bisect.bisect_right(us, u) - 1))
        if cell is None:
            continue
        inside[n] = True
        found.setdefault(cell, []).append(char)
    for char in hidden:  # clipped at the page's edge: the rest of a figure the page cuts
        u, v = (char.u0 + char.u1) / 2, (char.v0 + char.v1) / 2
        if not (piece.u0 <= u < piece.u1 and piece.v0 <= v < piece.v1):
            if (edge := _edge_cell(piece, char, shown, owner, us, vs)) is not None:
                beyond.add(edge)
    unshown = _unshown_cells(piece, hidden, found, owner, us, vs) if hidden else {}
    cut = _cut_cells(piece, found, shown, owner, us, vs)
    cut.update(dict.fromkeys(beyond, _PAST_PAGE))
    lines = {cell: _lines(cell_chars) for cell, cell_chars in found.items()}
    pad = _cell_padding(piece, lines)
    for cell, cell_lines in lines.items():
        u0, _, u1, _ = piece.cells[cell]
        room = u1 - u0 - 2 * pad
        text = _cell_text(cell_lines, room)
        if cell in cut and _FIGURE_TEXT.fullmatch(text):
            text += cut[cell]  # never a figure: V01 at the cell, saying why
        if _UNMAPPED in text:
            text += _NO_MAP_MARK
        if not text and (struck := struck_only("".join(c.text for c in found[cell] if c.struck))):
            text = struck  # a figure struck through and nothing left standing: no blank (0)
        piece.texts[cell] = text or None
        last = cell_lines[-1] if cell_lines else None
        if (
            last is not None
            and last.tail is not None
            and last.text[-1:] in _FIGURE_CHARS
            and last.u1 - last.u0 + last.tail > room  # no room for another digit
        ):
            piece.full.add(cell)
    for cell, text in unshown.items():  # cells that show nothing (found holds none of them)
        piece.texts[cell] = text
    for cell in beyond - found.keys() - unshown.keys():  # all of its text past the page's edge
        piece.texts[cell] = _ALL_PAST_PAGE
    for cell in _cut_by_the_page(piece, shown):
        if piece.texts[cell] is None:  # what it held, if anything, is not in the file
            piece.texts[cell] = _CUT_BY_THE_PAGE


def _unshown_cells(
    piece: _Piece,
    hidden: Sequence[_Char],
    found: dict[int, list[_Char]],
    owner: dict[tuple[int, int], int],
    us: list[float],
    vs: list[float],
) -> dict[int, str]:
    """The cells of ``piece`` that show nothing while the text layer holds ``hidden``
    characters there -> their text: those characters, marked with why they are not shown
    (V01 at the cell: the figure printed there, if any, cannot be read)."""
    held: dict[int, list[_Char]] = {}
    for char in hidden:
        u, v = (char.u0 + char.u1) / 2, (char.v0 + char.v1) / 2
        if not (piece.u0 <= u < piece.u1 and piece.v0 <= v < piece.v1):
            continue
        cell = owner.get((bisect.bisect_right(vs, v) - 1, bisect.bisect_right(us, u) - 1))
        if cell is not None and cell not in found:
            held.setdefault(cell, []).append(char)
    out = {}
    for cell, chars in held.items():
        text = _cell_text(_lines([replace(c, hidden="") for c in chars]), float("inf"))
        why = Counter(c.hidden for c in chars).most_common(1)[0][0]
        out[cell] = f"〔{_HIDDEN_MARKS[why]}：{text}〕"
    return out


# A figure's characters reaching this far (points) past a ruling of its cell or past the edge
# of the page shown were cut or clipped (WPS's own cells keep theirs 0.1 pt inside at most).
_CUT_TOLERANCE = 0.5
_PAST_PAGE = "〔数字超出页面边缘，印出的不完整〕"
_ALL_PAST_PAGE = "〔这一格的内容在页面边缘之外，印不出来〕"
_CUT_BY_THE_PAGE = "〔表格超出页面，这一格被页面边缘截断，内容可能在页面之外〕"
# A table whose outer ruling stands this close to the page's edge (points) was cut by it.
_EDGE_REACH = 3.0
_PAST_CELL = "〔数字超出单元格边框，无法确定是否完整〕"
# a cell's text that reads as figures (a cut one is marked): digits, separators, signs
_FIGURE_TEXT = re.compile(r"[+\-－]?[0-9,.，．\s]*[0-9][0-9,.，．\s]*")


def _cut_by_the_page(piece: _Piece, shown: tuple[float, float, float, float] | None) -> list[int]:
    """The cells of ``piece`` whose outer ruling is the very edge of the page shown: a table
    wider than the page, cut there (no word processor draws a table to the paper's edge). A
    figure wholly beyond it is not in the file at all, so such a cell showing nothing is no
    blank to read as 0."""
    if shown is None:
        return []
    return [
        n
        for n, (u0, _, u1, _) in enumerate(piece.cells)
        if u1 >= shown[2] - _CUT_TOLERANCE or u0 <= shown[0] + _CUT_TOLERANCE
    ]


def _edge_cell(
    piece: _Piece,
    char: _Char,
    shown: tuple[float, float, float, float] | None,
    owner: dict[tuple[int, int], int],
    us: list[float],
    vs: list[float],
) -> int | None:
    """The cell of ``piece`` that ``char``, outside the table and past the edge of the page
    shown, was printed in: a table wider than the page, its rulings cut at the page's edge
    (as a word processor draws them), the rest of its row's figure beyond them (「89818」 of
    which 「898」 shows). None for a character elsewhere."""
    if shown is None:
        return None
    v = (char.v0 + char.v1) / 2
    if not piece.v0 <= v < piece.v1:
        return None
    row = bisect.bisect_right(vs, v) - 1
    if char.u1 > shown[2] + _CUT_TOLERANCE and piece.u1 >= shown[2] - _EDGE_REACH:
        return owner.get((row, len(us) - 2))
    if char.u0 < shown[0] - _CUT_TOLERANCE and piece.u0 <= shown[0] + _EDGE_REACH:
        return owner.get((row, 0))
    return None


def _cut_cells(
    piece: _Piece,
    found: dict[int, list[_Char]],
    shown: tuple[float, float, float, float] | None,
    owner: dict[tuple[int, int], int],
    us: list[float],
    vs: list[float],
) -> dict[int, str]:
    """Cells whose text cannot be read whole -> the mark saying why (point 4): a character
    past the edge of the page shown (a viewer and a printer show only part of the figure,
    though the text layer holds it all), or past its cell's left or right ruling. A figure running
    over a ruling may have lost characters to the next cell (each takes the characters
    centred in it: 「1234」 over the ruling reads 「123」 and 「4」), so the cell the character
    reaches into is marked too."""
    cut: dict[int, str] = {}
    for cell, cell_chars in found.items():
        u0, _, u1, _ = piece.cells[cell]
        for char in cell_chars:
            if shown is not None and (
                char.u0 < shown[0] - _CUT_TOLERANCE
                or char.v0 < shown[1] - _CUT_TOLERANCE
                or char.u1 > shown[2] + _CUT_TOLERANCE
                or char.v1 > shown[3] + _CUT_TOLERANCE
            ):
                cut[cell] = _PAST_PAGE
                continue
            reached = [
                u
                for u, past in (
                    (char.u0, char.u0 < u0 - _CUT_TOLERANCE),
                    (char.u1, char.u1 > u1 + _CUT_TOLERANCE),
                )
                if past
            ]
            if not reached:  # a glyph's box over a row's ruling loses no digit to a neighbour
                continue
            cut.setdefault(cell, _PAST_CELL)
            v = (char.v0 + char.v1) / 2
            for u in reached:  # the neighbour in the same row that the character reaches into
                other = owner.get((bisect.bisect_right(vs, v) - 1, bisect.bisect_right(us, u) - 1))
                if other is not None and other != cell:
                    cut.setdefault(other, _PAST_CELL)
    return cut


# No word processor's default cell margin is wider (Word, WPS: 0.19 cm; the template: 0.1 cm):
# a padding guessed too wide would take a line break a person typed for a wrap.
_MAX_PADDING = 5.7


def _cell_padding(piece: _Piece, lines: dict[int, list[_Line]]) -> float:
    """The room a cell of ``piece`` leaves between its rulings and its text on either side: the
    narrowest found beside a line of text in any of its cells (left-aligned text and wrapped
    lines run to it), at most _MAX_PADDING. A line running over its cell's ruling (a label
    too long for its cell) says nothing of the room the others leave."""
    gaps = [
        gap
        for cell, cell_lines in lines.items()
        for line in cell_lines
        if line.lead is not None
        and (gap := min(line.u0 - piece.cells[cell][0], piece.cells[cell][2] - line.u1)) >= 0
    ]
    return min([_MAX_PADDING, *gaps])


# Characters of a figure: a word processor breaks a figure too long for its cell's width
# anywhere among them, as it breaks a word with no room to break it elsewhere.
_FIGURE_CHARS = frozenset("0123456789,.，．")


def _cell_text(lines: list[_Line], room: float) -> str:
    """The lines of one cell joined (point 4): a figure wrapped because its next character did
    not fit in the ``room`` the cell has for text (its width less the padding) goes on with
    nothing between, as a reader sees one figure; anything else is glued by ``_glue``."""
    text = ""
    previous: _Line | None = None
    for line in lines:
        if previous is None:
            text = line.text
        elif _wrapped_figure(previous, line, room):
            text += line.text
        else:
            text = text + _glue(text, line.text) + line.text
        previous = line
    return text


def _wrapped_figure(line: _Line, below: _Line, room: float) -> bool:
    """Whether ``below`` carries on a figure that ``line`` (a line of the same cell) could not
    hold: both sides of the break are figure characters and ``line`` with ``below``'s first
    character would be wider than the ``room``."""
    return (
        below.lead is not None
        and line.lead is not None
        and bool(line.text)
        and bool(below.text)
        and line.text[-1] in _FIGURE_CHARS
        and below.text[0] in _FIGURE_CHARS
        and line.u1 - line.u0 + below.lead > room - _WRAP_SLACK
    )


# The room a word processor lays a cell's text out in is a little narrower than its drawing
# shows: LibreOffice sets a cell's text about half a point nearer the ruling than its margin
# (the padding read, ``_cell_padding``) but wraps within the margin and the border's width
# (「72121」 in a 35 pt column at 12 pt: 「721」 over 「21」, though 「7212」 seemed to fit by 0.2
# pt). Less than a digit: a line that leaves room for a digit and more is still no wrap.
_WRAP_SLACK = 1.0


def _clusters(values: Iterable[float]) -> list[float]:
    """Sorted positions with those closer than the tolerance merged (the first one stands)."""
    out: list[float] = []
    for value in sorted(values):
        if not out or value - out[-1] > _EDGE_TOLERANCE:
            out.append(value)
    return out


def _index(edges: list[float], value: float) -> int:
    """The index of the edge ``value`` belongs to (the nearest one)."""
    i = bisect.bisect_left(edges, value)
    if i == len(edges) or (i > 0 and value - edges[i - 1] < edges[i] - value):
        i -= 1
    return i


# -- text ----------------------------------------------------------------------------------------


def _wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("W", "F", "A")


def _glue(left: str, right: str) -> str:
    """What goes between two pieces of text that the layout set apart (by a gap or a line
    break): nothing beside a CJK character, a space between narrow ones."""
    return "" if _wide(left.rstrip(_CROSSED)[-1]) or _wide(right[0]) else " "


def _lines(chars: list[_Char]) -> list[_Line]:
    """The characters as lines of text, top to bottom in the frame.

    Characters turned against the frame (a sideways label in a cell, a note up the margin)
    are read along their own direction, each line then placed back where it stands.
    """
    lines: list[_Line] = []
    for turn in sorted({c.turn for c in chars}):
        group = [c for c in chars if c.turn == turn]
        if not turn:
            lines += _upright_lines(group)
            continue
        span = max(max(c.u1 for c in group), max(c.v1 for c in group))  # a square frame
        turned = [_upright(c, turn, span) for c in group]
        for line in _upright_lines(turned):
            back = _to_frame(line.u0, line.v0, line.u1, line.v1, (4 - turn) % 4, span, span)
            lines.append(_Line(*back, line.text, line.size, line.tabular))
    return sorted(lines, key=lambda line: (line.v0, line.u0))


def _upright_lines(chars: list[_Char]) -> list[_Line]:
    ordered = sorted(chars, key=lambda c: (c.v0 + c.v1) / 2)
    groups: list[list[_Char]] = []
    low = high = 0.0
    for char in ordered:
        middle = (char.v0 + char.v1) / 2
        if groups and low <= middle <= high:
            groups[-1].append(char)
        else:
            groups.append([char])
            low, high = char.v0, char.v1
    lines = [_line(sorted(group, key=lambda c: c.u0)) for group in groups]
    return [line for line in lines if line.text]  # a line all struck through says nothing


def _line(chars: list[_Char]) -> _Line:
    parts: list[str] = []
    previous: _Char | None = None
    tabular = False
    # The space a gap calls for, held until the next character read: a struck character
    # takes its place on the line but is not read (a gap before or after it still counts).
    space = wide = False
    for char, text in zip(chars, _shown(chars), strict=True):
        if previous is not None:
            if char.text == previous.text and abs(char.u0 - previous.u0) < 0.5 * (
                previous.u1 - previous.u0
            ):
                continue  # fake bold: the same glyph printed twice, overlapping
            gap = char.u0 - previous.u1
            em = min(char.size, previous.size) or 1.0
            if gap > _WIDE_GAP_EM * em:
                space = wide = True
            elif gap > _NARROW_GAP_EM * em and not _wide(previous.text) and not _wide(char.text):
                space = True
        if not char.struck:
            if space and parts:
                parts.append(" ")
                tabular = tabular or wide
            parts.append(text)
            space = wide = False
        previous = char
    sizes = Counter(round(c.size, 1) for c in chars)
    size = sizes.most_common(1)[0][0]
    baselines = sorted(c.v1 - c.drop for c in chars if round(c.size, 1) == size)
    return _Line(
        min(c.u0 for c in chars),
        min(c.v0 for c in chars),
        max(c.u1 for c in chars),
        max(c.v1 for c in chars),
        "".join(parts),
        size,
        tabular,
        baselines[len(baselines) // 2],
        next((c.u1 - c.u0 for c in chars if not c.struck), None),
        next((c.u1 - c.u0 for c in reversed(chars) if not c.struck), None),
    )


def _shown(chars: list[_Char]) -> list[str]:
    """Each character of a line (left to right) as shown: set off the line where it is a
    superscript or subscript, followed by U+0336 where a line crosses it (point 5)."""
    shown = [c.text + _CROSSED if c.crossed else c.text for c in chars]
    ems = [c.v1 - c.v0 for c in chars]
    if min(ems) >= _SMALL * max(ems):
        return shown  # all of a size: nothing is off the line
    start = 0
    for end in range(1, len(chars) + 1):  # stretches of the line, apart at wide gaps
        if end < len(chars):
            em = min(chars[end].size, chars[end - 1].size) or 1.0
            if chars[end].u0 - chars[end - 1].u1 <= _WIDE_GAP_EM * em:
                continue
        stretch = range(start, end)
        start = end
        full = max(ems[n] for n in stretch)
        baselines = sorted(chars[n].v1 - chars[n].drop for n in stretch if ems[n] >= _SMALL * full)
        baseline = baselines[len(baselines) // 2]
        for n in stretch:
            if ems[n] < _SMALL * full:
                shift = baseline - (chars[n].v1 - chars[n].drop)  # > 0: raised
                if abs(shift) > _OFF_LINE * full:
                    text = off_the_line(chars[n].text, shift > 0)
                    shown[n] = text + _CROSSED if chars[n].crossed else text
    return shown


# -- headers, footers, page numbers --------------------------------------------------------------

_PAGE_NUMBER = re.compile(
    r"[\s\-—–－_·•|]*(?:第\s*)?\d{1,4}\s*页?"
    r"(?:\s*[/／]\s*\d{1,4}|\s*[,，]?\s*共\s*\d{1,4}\s*页)?[\s\-—–－_·•|]*"
    r"|(?:page|p\.)\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?",
    re.IGNORECASE,
)


def _drop_running_lines(pages: list[_Page]) -> None:
    """Remove page numbers and running headers/footers from each page's lines."""
    seen: Counter[tuple[str, str]] = Counter()
    for page in pages:
        for band, line in _margin_lines(page):
            seen[(band, _running_key(line.text))] += 1
    for page in pages:
        drop = {
            id(line)
            for band, line in _margin_lines(page)
            if _PAGE_NUMBER.fullmatch(line.text.strip())
            or seen[(band, _running_key(line.text))] >= 2
        }
        page.lines = [line for line in page.lines if id(line) not in drop]


def _margin_lines(page: _Page) -> list[tuple[str, _Line]]:
    """The lines at the very top and bottom of a page (nothing, not even a table, beyond them)
    that lie within the margin bands."""
    if not page.lines:
        return []
    out = []
    top = min(page.lines, key=lambda line: line.v0)
    if top.v1 <= page.height * _MARGIN_BAND and all(p.v0 >= top.v1 for p in page.pieces):
        out.append(("top", top))
    bottom = max(page.lines, key=lambda line: line.v1)
    # one line may be the page's only one (its number under a page that is all table): it is
    # the bottom line unless it was taken as the top one
    taken = bool(out) and bottom is top
    if not taken and bottom.v0 >= page.height * (1 - _MARGIN_BAND):
        if all(p.v1 <= bottom.v0 for p in page.pieces):
            out.append(("bottom", bottom))
    return out


def _running_key(text: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", text))


# -- tables across pages -----------------------------------------------------------------------


def _join_continued(pages: list[_Page], path: str | os.PathLike[str]) -> list[list[_Piece]]:
    """The document's tables in order, each as its pieces (one per page it spans; point 3).

    Raises UnreadableFile (L01, naming the page) where a part of one of the form's tables
    continued on the next page cannot be lined up with the part before it.
    """
    tables: list[list[_Piece]] = []
    previous: _Piece | None = None  # the last piece so far
    between: list[_Line] = []  # the lines since it
    for page in pages:
        for item in page.items:
            if isinstance(item, _Line):
                between.append(item)
                continue
            if previous is not None and _carries_on(previous, item, between):
                if _same_frame(previous, item):
                    tables[-1].append(item)
                    previous, between = item, []
                    continue
                if between or _headless(item):  # continued, yet drawn to another width
                    above = "上面" if item.page == previous.page else "上一页"
                    _stands_alone(path, tables[-1], item, f"左右边线与{above}的表格不同")
            tables.append([item])
            previous, between = item, []
    return [part for table in tables for part in _lined_up(table, path)]


def _lone_heads(pages: list[_Page]) -> None:
    """Take a box of one cell alone at the foot of a page for the first row of the table that
    goes on at the top of the next page (point 3): a caption row (表二's 「第二十条第（一）项」)
    the page break left behind. It is taken where it would carry on into that table as a
    piece of it would (``_carries_on``: nothing but continuation marks between), has the
    table's left and right edges (``_same_frame``: it spans the table) and its text is a label
    of the form of the table that goes on (``_starts``). Its text then is the table's, no
    longer running text; any other framed box stays a paragraph."""
    for page, after in zip(pages, pages[1:], strict=False):
        tables = [item for item in after.items if isinstance(item, _Piece)]
        if not page.frames or not tables:
            continue
        head, table = max(page.frames, key=lambda frame: frame.v0), tables[0]
        own = [line for line in page.lines if _framed(line, head)]
        # what follows the box on its page and what comes before the table on the next
        between = [
            item
            for item in page.items
            if item.v1 > head.v0 + _EDGE_TOLERANCE and all(item is not line for line in own)
        ]
        between += after.items[: after.items.index(table)]
        lines = [item for item in between if isinstance(item, _Line)]
        text = head.texts[0]
        if (
            text is not None
            and len(lines) == len(between)  # no table follows the box on its page
            and _carries_on(head, table, lines)
            and _same_frame(head, table)
            and _starts(text, table)
        ):
            page.lines = [line for line in page.lines if all(line is not o for o in own)]
            page.pieces.append(head)
            page.items = sorted([*page.lines, *page.pieces], key=lambda item: (item.v0, item.u0))


def _framed(line: _Line, box: _Piece) -> bool:
    """Whether ``line`` lies inside ``box`` (its text is the box's)."""
    return (
        box.u0 - _EDGE_TOLERANCE <= line.u0
        and line.u1 <= box.u1 + _EDGE_TOLERANCE
        and box.v0 <= (line.v0 + line.v1) / 2 <= box.v1
    )


def _starts(text: str, table: _Piece) -> bool:
    """Whether ``text`` is a label of the form of a table that ``table`` holds a label of: the
    first row of that table (its caption or its first header)."""
    label = canonical(text)
    return any(
        label in labels and any(t is not None and canonical(t) in labels for t in table.texts)
        for labels in _table_texts().values()
    )


def _continued_mark(line: _Line) -> bool:
    return continued_mark(line.text)


def _carries_on(piece: _Piece, after: _Piece, between: list[_Line]) -> bool:
    """Whether ``after`` may continue ``piece`` (the piece before it): nothing but continuation
    marks between them, and ``after`` on the next page (``piece`` last on its page and
    ``after`` first on its own, marks aside), or on the same page below a mark or with
    a first row of figures, no column header over them (``_headless``)."""
    if not all(_continued_mark(line) for line in between):
        return False
    if after.page == piece.page + 1:
        return True
    return after.page == piece.page and (bool(between) or _headless(after))


def _headless(piece: _Piece) -> bool:
    """Whether ``piece`` opens with a row of figures, no column header above them: rows cut
    off from the table above (a Word table split in two, 「拆分表格」, leaves 「四、结转下年度
    继续办理」 in a table of its own under 表三), which only the columns above can place."""
    return any(_is_number(text) for text in _row_texts(piece, 0))


def _same_frame(piece: _Piece, after: _Piece) -> bool:
    """Whether ``after`` has ``piece``'s left and right edges."""
    return (
        abs(piece.u0 - after.u0) <= _STITCH_TOLERANCE
        and abs(piece.u1 - after.u1) <= _STITCH_TOLERANCE
    )


# A cell holding a figure (or a numbered label): its column must be certain.
_DIGIT = re.compile(r"\d")

_Box = tuple[float, float, float, float]


def _figures(piece: _Piece) -> list[tuple[_Box, str]]:
    """The cells of ``piece`` with a digit in them, and their text."""
    return [
        (cell, text)
        for cell, text in zip(piece.cells, piece.texts, strict=True)
        if text is not None and _DIGIT.search(text)
    ]


def _lined_up(table: list[_Piece], path: str | os.PathLike[str]) -> list[list[_Piece]]:
    """``table`` as one table when every continuation lines up with the piece before it, on
    the columns the whole table's rows are set on (``_table_rows``): no cell with a digit in
    the continuation straddles the edge between two columns of a cell with text in the last
    rows above it (``_last_rows``): its column would then depend on the edge it is read by.
    Where one does not, the table is cut there (``_stands_alone``)."""
    us = _clusters(u for piece in table for cell in piece.cells for u in (cell[0], cell[2]))

    def span(cell: _Box) -> tuple[int, int]:
        return _index(us, cell[0]), _index(us, cell[2])

    for number in range(1, len(table)):
        above = {span(cell): text for cell, text in _last_rows(table[number - 1])}
        # a figure is the plainest example to name: figures first, then numbered labels
        for cell, text in sorted(_figures(table[number]), key=lambda f: not _is_number(f[1])):
            a, b = span(cell)
            for (c, d), other in above.items():
                if max(a, c) < min(b, d) and not (c <= a and b <= d or a <= c and d <= b):
                    where = (
                        f"如「{text}」一格与第 {table[number - 1].page} 页的「{other}」一格左右错开"
                    )
                    _stands_alone(path, table[:number], table[number], where)
                    # each part on its own columns, as _table_rows sets it
                    return [*_lined_up(table[:number], path), *_lined_up(table[number:], path)]
    return [table]


def _last_rows(piece: _Piece) -> list[tuple[_Box, str]]:
    """The cells with text in the last rows of ``piece``, those a continuation goes on from:
    up from its foot to the first row holding a digit (every row, where none does)."""
    vs = _clusters(v for cell in piece.cells for v in (cell[1], cell[3]))
    cells = [
        (cell, text, _index(vs, cell[1]), _index(vs, cell[3]))
        for cell, text in zip(piece.cells, piece.texts, strict=True)
        if text is not None
    ]
    kept: dict[int, tuple[_Box, str]] = {}
    for row in range(len(vs) - 2, -1, -1):
        here = [n for n, (_, _, top, foot) in enumerate(cells) if top <= row < foot]
        kept.update((n, cells[n][:2]) for n in here)
        if any(_DIGIT.search(cells[n][1]) for n in here):
            break
    return list(kept.values())


def _stands_alone(
    path: str | os.PathLike[str], before: list[_Piece], after: _Piece, why: str
) -> None:
    """``after`` continues the table ``before`` but cannot be lined up with it: it is read as
    a table of its own where that is safe, else the report is refused.

    Safe where ``after`` holds no figure, or neither part a label of the form, or every
    figure of ``after`` has a column header of its own above it on its page (a text cell
    without digits over the same columns: 表二's blocks bring theirs) and ``after`` does not
    open with the table's first row again (a repeated header makes no 续表 a table of its
    own: its figures belong under the table's columns). Else UnreadableFile: L01, naming the
    page.
    """
    if not _figures(after) or not _statutory([*before, after]):
        return
    if _own_headers(after) and _row_texts(after, 0) != _row_texts(before[0], 0):
        return
    raise _unaligned(path, before, after, why)


def _own_rows(piece: _Piece) -> list[tuple[int, int, int, str | None]]:
    """Each cell of ``piece`` on the piece's own grid: (row, first column, end column, text)."""
    us = _clusters(u for cell in piece.cells for u in (cell[0], cell[2]))
    vs = _clusters(v for cell in piece.cells for v in (cell[1], cell[3]))
    return [
        (_index(vs, cell[1]), _index(us, cell[0]), _index(us, cell[2]), text)
        for cell, text in zip(piece.cells, piece.texts, strict=True)
    ]


def _row_texts(piece: _Piece, row: int) -> list[str]:
    """The texts of the ``row``-th row of ``piece`` that has text, left to right."""
    cells = sorted((r, c, text) for r, c, _, text in _own_rows(piece) if text is not None)
    rows = sorted({r for r, _, _ in cells})
    return [text for r, _, text in cells if r == rows[row]] if row < len(rows) else []


def _own_headers(piece: _Piece) -> bool:
    """Whether every cell with a digit in ``piece`` has, above it in ``piece``, a text cell
    without digits spanning exactly its columns: its column header, on its own page."""
    cells = _own_rows(piece)
    headers = {
        (c0, c1, r) for r, c0, c1, text in cells if text is not None and not _DIGIT.search(text)
    }
    return all(
        any((c0, c1) == (h0, h1) and hr < r for h0, h1, hr in headers)
        for r, c0, c1, text in cells
        if text is not None and _DIGIT.search(text)
    )


def _unaligned(
    path: str | os.PathLike[str], before: list[_Piece], after: _Piece, why: str
) -> UnreadableFile:
    """L01 for a table continued on page ``after.page`` whose columns cannot be lined up with
    its part on the page before."""
    name = os.path.basename(os.fspath(path))
    figures = sum(len(_figures(piece)) for piece in [*before, after])
    above = "其上" if before[-1].page == after.page else f"第 {before[-1].page} 页"
    return UnreadableFile(
        Finding(
            Rule.L01,
            f"文件「{name}」第 {after.page} 页的表格接续{above}的表格，"
            f"但两部分的列对不齐（{why}），无法确定第 {after.page} 页的数字各属于哪一列，未读取。"
            "请提供各页列宽一致的 PDF，或 Word/Excel 版本。",
            file=os.fspath(path),
            operands={PARTLY_FOUND: figures, "页": after.page},
        )
    )


@cache
def _form_texts() -> frozenset[str]:
    """Every label of every vintage's tables (captions, corners, row and column headers at
    every level), as canonical forms with the variants the reader accepts."""
    return frozenset().union(*_table_texts().values())


@cache
def _table_texts() -> dict[str, frozenset[str]]:
    """Each table's labels (表二's, 表三's, 表四's: ``Table.code``), of every vintage, as
    ``_form_texts`` gives them."""
    from nianbao.form import FORMS

    def headers(nodes: tuple[Header, ...]) -> Iterable[Header]:
        for node in nodes:
            yield node
            yield from headers(node.children)

    texts: dict[str, set[str]] = {}
    for form in FORMS.values():
        for table in form.tables:
            texts.setdefault(table.code, set()).update(
                variant
                for block in table.blocks
                for text in (
                    block.caption,
                    block.corner,
                    *(h.label for h in headers(block.rows)),
                    *(h.label for h in headers(block.columns)),
                )
                if text
                for variant in accepted(text)
            )
    return {code: frozenset(found) for code, found in texts.items()}


def _statutory(table: list[_Piece]) -> bool:
    """Whether a cell of ``table`` holds one of the form's labels: a part of 表二, 三 or 四."""
    labels = _form_texts()
    return any(
        text is not None and canonical(text) in labels for piece in table for text in piece.texts
    )


def _table_rows(pieces: list[_Piece], top: int = 0) -> tuple[Rows, list[int], list[Merge]]:
    """One table's rows (merged cells' text in their top-left position), their pages, and
    its merged cells' ranges on the sheet (the table's first row at sheet row ``top``)."""
    us = _clusters(u for piece in pieces for cell in piece.cells for u in (cell[0], cell[2]))
    rows: Rows = []
    pages: list[int] = []
    header: Rows = []
    merges: list[Merge] = []
    full: set[int] = set()  # the columns of the last row so far whose figure fills its cell
    covered: set[int] = set()  # the columns of the last row so far a cell from a row above spans
    # ... and where the text of each such cell stands: column -> (its row in rows, its column)
    spanned: dict[int, tuple[int, int]] = {}
    for number, piece in enumerate(pieces):
        vs = _clusters(v for cell in piece.cells for v in (cell[1], cell[3]))
        grid: list[list[CellValue]] = [[None] * (len(us) - 1) for _ in range(len(vs) - 1)]
        spans: list[Merge] = []
        filled: set[tuple[int, int]] = set()
        for n, ((u0, v0, u1, v1), text) in enumerate(zip(piece.cells, piece.texts, strict=True)):
            r0, c0 = _index(vs, v0), _index(us, u0)
            grid[r0][c0] = text
            if n in piece.full:
                filled.add((r0, c0))
            r1, c1 = _index(vs, v1) - 1, _index(us, u1) - 1
            if r1 > r0 or c1 > c0:
                spans.append(((r0, c0), (r1, c1)))
        for line in grid:
            while line and line[-1] is None:
                line.pop()
        # An empty row says nothing and would read as the gap between two tables.
        origin = [n for n, line in enumerate(grid) if line]
        grid = [line for line in grid if line]
        if number == 0:
            header = grid
        else:
            skip = _repeated_header(header, grid)
            grid, origin = grid[skip:], origin[skip:]
            labels: dict[int, str] = {}  # the labels of cells spanning from above, cut
            if rows and grid:
                # the columns whose cell in the continuation's first row spans rows below it
                spanning = {c0 for (r0, c0), (r1, _) in spans if r0 == origin[0] and r1 > r0}
                if (joined := _split_row(rows[-1], grid[0], full, covered, spanning)) is not None:
                    rows[-1] = joined  # a row broken by the page break: one row, on its first page
                    grid, origin = grid[1:], origin[1:]
                elif (
                    cut := _cut_headers(rows[-1], grid[0], _texts(rows, spanned), labels)
                ) is not None:
                    for c, label in labels.items():  # a cell spanning from above was cut
                        r, c0 = spanned[c]
                        rows[r][c0] = label
                    rows[-1], rest = cut
                    if rest:
                        grid[0] = rest
                    else:
                        grid, origin = grid[1:], origin[1:]
        if origin:
            full = {c for r, c in filled if r == origin[-1]}
            covered = {
                c
                for (r0, c0), (r1, c1) in spans
                if r0 < origin[-1] <= r1
                for c in range(c0, c1 + 1)
            }
            spanned = {
                c: (len(rows) + origin.index(r0), c0)
                for (r0, c0), (r1, c1) in spans
                if r0 < origin[-1] <= r1 and r0 in origin
                for c in range(c0, c1 + 1)
            }
        merges += placed_spans(spans, origin, top + len(rows), 0)
        rows.extend(grid)
        pages.extend([piece.page] * len(grid))
    return rows, pages, merges


def _texts(rows: Rows, spanned: dict[int, tuple[int, int]]) -> dict[int, str]:
    """The text of each cell spanning the last of ``rows`` from a row above, by its first
    column (``spanned``: column -> where that cell's text stands)."""
    return {
        c: text
        for c, (r, c0) in spanned.items()
        if c == c0
        and rows[-1][c : c + 1] in ([], [None])
        and isinstance(text := _at(rows[r], c0), str)
    }


def _at(line: list[CellValue], c: int) -> CellValue:
    """The value in column ``c`` of ``line`` (None past its end)."""
    return line[c] if c < len(line) else None


def _repeated_header(header: Rows, grid: Rows) -> int:
    """How many leading rows of a continuation repeat the table's first rows."""
    count = 0
    while (
        count < len(grid)
        and count < len(header)
        and grid[count] == header[count]
        and any(isinstance(v, str) and not _is_number(v) for v in grid[count])
    ):
        count += 1
    return count if count < len(grid) else 0


# A row label's own numbering (``3.``, ``（二）``, ``四、``): a new row, never a label's remainder.
_ROW_MARK = re.compile(
    r"\s*(\d+\s*[.．、]|[（(]\s*[\d一二三四五六七八九十]+\s*[)）]|[一二三四五六七八九十]+\s*[、.．])"
)
_OPENING = "（(“‘「《【〔["
_CLOSING = "）)”’」》】〕]"


def _split_row(
    last: list[CellValue],
    first: list[CellValue],
    full: set[int] | frozenset[int] = frozenset(),
    covered: set[int] | frozenset[int] = frozenset(),
    spanning: set[int] | frozenset[int] = frozenset(),
) -> list[CellValue] | None:
    """``last`` (a piece's last row) and ``first`` (the continuation's first row) joined into
    one row when they are one row broken by the page break (point 3), else None.

    Only where it is plain: one column (the label's, the rightmost with text in both parts)
    has text in both parts, neither part a number there; no text left of it in ``first`` but
    a merged label going on (``_merged_rest``); every other column has text in at most one
    part (figures are never glued); ``first``'s label does not start with a row's numbering; and the label is visibly
    unfinished: ``last``'s label leaves a bracket or quote open that ``first``'s closes, or
    ``last``'s label is numbered, ``last`` has figures right of it and ``first`` has nothing
    but the rest of the label, or the two labels together are one of the form's
    (``_is_form_label``).

    A label merged over several rows beside it (a group's, 「（六）其他处理」 or
    「三、本年度办理结果」) spans the break too, so it has text after the break, and before it
    where its cell starts in ``last``: a column in ``spanning`` (its cell in ``first`` spans
    the rows below) whose text there is the rest of that label (``_merged_rest``; ``covered``:
    the columns of ``last`` a cell from a row above spans) is no text of ``first``'s own. Its
    two parts are joined; a part after the break alone stays in the row, as it stands on the
    first row of a page when the break falls between rows.

    A figure the break cut goes on too: a column in ``full`` (``last``'s figure there fills its
    cell, no room for another digit) whose part in ``first`` is nothing but figure characters
    is joined with nothing between; such columns alone may make the row (``first`` holding
    nothing else), as a figure wrapped inside its cell reads as one (``_cell_text``).
    """
    width = max(len(last), len(first))
    a = [*last, *[None] * (width - len(last))]
    b = [*first, *[None] * (width - len(first))]
    carried = {
        c
        for c in full
        if c < width
        and isinstance(a[c], str)
        and isinstance(b[c], str)
        and set(str(b[c])) <= _FIGURE_CHARS
    }
    both = [
        c
        for c in range(width)
        if isinstance(a[c], str) and isinstance(b[c], str) and c not in carried
    ]
    if carried and not both and all(b[c] is None for c in range(width) if c not in carried):
        return _glued(a, b, carried)
    if not both:
        return None
    k = both[-1]  # the row's own label: group labels stand left of it
    merged = {c for c in spanning if c < k and _merged_rest(a[c], b[c], c in covered)}
    head, rest = a[k], b[k]
    assert isinstance(head, str) and isinstance(rest, str)
    if _is_number(head) or _is_number(rest) or _ROW_MARK.match(rest):
        return None
    if any(b[c] is not None for c in range(k) if c not in merged):
        return None
    opened = _open_brackets(head)
    closes = bool(opened) and not _open_brackets(head + rest)
    label_rest_only = (
        _ROW_MARK.match(head) is not None
        and all(b[c] is None for c in range(width) if c != k and c not in carried | merged)
        and any(a[c] is not None for c in range(k + 1, width))
    )
    label = head + _glue(head, rest) + rest
    if not (closes or label_rest_only or _is_form_label(label, head, rest)):
        return None
    joined = _glued(a, b, carried)
    joined[k] = label
    for c in merged:
        if isinstance(before := a[c], str) and isinstance(after := b[c], str):
            joined[c] = before + _glue(before, after) + after
    return joined


def _merged_rest(head: CellValue, rest: CellValue, covered: bool) -> bool:
    """Whether ``rest``, the text after the page break of a cell spanning several rows beside a
    row the break cut, is the rest of a merged label that goes on over the break: no number and
    no row numbering of its own (「（三）不予公开」 starts a group: the row is a new one), and
    either the rest of ``head`` (its text before the break, ``_cut_label``) or, where it has
    none there, of a cell from a row above (``covered``)."""
    if not isinstance(rest, str) or _is_number(rest) or _ROW_MARK.match(rest):
        return False
    if head is None:
        return covered
    return isinstance(head, str) and _cut_label(head, rest)


def _cut_headers(
    last: list[CellValue],
    first: list[CellValue],
    above: Mapping[int, str] | None = None,
    whole: dict[int, str] | None = None,
) -> tuple[list[CellValue], list[CellValue]] | None:
    """Header cells the page break cut (point 3): where neither ``last`` (a piece's last row)
    nor ``first`` (the continuation's first row) holds a digit, each column whose two parts are
    one label cut in two (``_cut_label``: 「商业」「企业」, 「其他」「结果」) has its whole label
    in ``last``. ``above``: the text of each cell spanning ``last`` from a row above, by its
    column (表三's 「自然人」 over two header rows, 「自然」 before the break, 「人」 after it): its
    part after the break is joined too, leaving that column of ``last`` as it was: its whole
    label goes into ``whole`` (by column), for the caller to put in the spanning cell. ``first`` keeps its other
    cells, a header row of its own (表四's 「结果维持」 under 「未经复议直接起诉」, beside the cells
    that span both rows and were cut), empty when it held nothing else. None where no cell was
    cut."""
    width = max(len(last), len(first))
    a = [*last, *[None] * (width - len(last))]
    b = [*first, *[None] * (width - len(first))]
    heads = [v if v is not None else (above or {}).get(c) for c, v in enumerate(a)]
    if any(isinstance(v, str) and any(ch.isdigit() for ch in v) for v in (*heads, *b)):
        return None
    # No figure is in these rows: a line crossing a header's characters is the cell's own
    # ruling, drawn through text laid out past it (LibreOffice lets a cut cell's label run
    # over its lower border), no strike of a label anyone corrected.
    heads = [v.replace(_CROSSED, "") if isinstance(v, str) else v for v in heads]
    b = [v.replace(_CROSSED, "") if isinstance(v, str) else v for v in b]
    cut = [
        c
        for c in range(width)
        if isinstance(head := heads[c], str)
        and isinstance(rest := b[c], str)
        and not _ROW_MARK.match(rest)
        and _cut_label(head, rest)
    ]
    if not cut:
        return None
    for c in cut:
        label = _label_cut(str(heads[c]), str(b[c]))
        if a[c] is not None:
            a[c] = label
        elif whole is not None:
            whole[c] = label
        b[c] = None
    for row in (a, b):
        while row and row[-1] is None:
            row.pop()
    return a, b


def _label_cut(head: str, rest: str) -> str:
    """The label a page break cut into ``head`` and ``rest``, whole."""
    return head + _glue(head, rest) + rest


def _cut_label(head: str, rest: str) -> bool:
    """Whether ``head`` and ``rest``, a cell's text before and after the page break, are one
    label cut in two: together they are a text of the form (any label, column headers
    included, as the reader accepts it) and ``rest`` alone is not, so it is no cell of its
    own. (``head`` alone may be one: 「其他」 of 「其他结果」.)"""
    texts = _form_texts()
    return canonical(head + _glue(head, rest) + rest) in texts and canonical(rest) not in texts


def _glued(a: list[CellValue], b: list[CellValue], carried: set[int]) -> list[CellValue]:
    """Two parts of one row as one: each column's text from the part that has it, the
    figures cut in ``carried`` columns joined."""
    joined = [x if x is not None else y for x, y in zip(a, b, strict=True)]
    for c in carried:
        joined[c] = f"{a[c]}{b[c]}"
    while joined and joined[-1] is None:
        joined.pop()
    return joined


@cache
def _form_labels() -> frozenset[str]:
    """Every row label and caption of every vintage, as canonical forms (form/labels.py): each
    label and the variants the reader accepts for it (half-width brackets, spaces, retypings)."""
    from nianbao.form import FORMS

    return frozenset(
        variant
        for form in FORMS.values()
        for table in form.tables
        for block in table.blocks
        for text in (block.caption, *(leaf.label for leaf in block.row_leaves))
        if text
        for variant in accepted(text)
    )


def _is_form_label(label: str, head: str, rest: str) -> bool:
    """Whether the two parts together are one of the form's labels, as the reader would accept
    it (「第二十条第(五)」 and 「项」), which neither is alone (「行政事」 and 「业性收费」): a label
    the page break cut in two."""
    labels = _form_labels()
    return (
        canonical(label) in labels
        and canonical(head) not in labels
        and canonical(rest) not in labels
    )


def _open_brackets(text: str) -> int:
    """How many brackets and quotes ``text`` leaves open (never below 0 along the way)."""
    depth = 0
    for ch in text:
        if ch in _OPENING:
            depth += 1
        elif ch in _CLOSING:
            depth = max(0, depth - 1)
    return depth


def _is_number(text: str) -> bool:
    return bool(re.fullmatch(r"[\d.,\s]+", text))


# -- running text ------------------------------------------------------------------------------


def _running_text(pages: list[_Page]) -> str:
    """Paragraphs of the text outside tables, in reading order, one per line (point 7)."""
    layout = _layout(pages)
    paragraphs: list[str] = []
    current = ""
    above: tuple[_Line, _Page] | None = None  # the paragraph's last line so far, its page
    pitch: float | None = None  # the paragraph's own line pitch, once two lines show it
    top = True  # every line so far is centred: the document's title lines
    for page in pages:
        same_page = False
        for item in page.items:
            if isinstance(item, _Piece):
                above = None  # a table ends the paragraph before it
                continue
            line = item
            if above is not None and _goes_on(layout, *above, line, page, same_page, pitch, top):
                if same_page and pitch is None:
                    pitch = line.baseline - above[0].baseline
                current = current + _glue(current, line.text) + line.text
            else:
                if current:
                    paragraphs.append(current)
                current, pitch = line.text, None
            top = top and _measure(layout, line, page) is not None
            above, same_page = (line, page), True
    if current:
        paragraphs.append(current)
    return "\n".join(paragraphs)


# The running text's paragraphs (point 7), in em of the lines' size.
_FULL_EM = 2.0  # a line ending this close to the right margin ran to it: it wrapped
_GAP_EM = 1.5  # a gap between lines up to this wide is within a paragraph
_MAX_PITCH_EM = 3.5  # a line pitch wider than this is no paragraph's
_PITCH_SLACK_EM = 0.25  # a pitch this much over the regular one is still regular
_LARGER_GAP_EM = 0.6  # a pitch this much over the paragraph's own: a new paragraph
_CENTRED_EM = 0.5  # a centred line's middle lies this close to the middle of the text
_CENTRED_FULL_EM = 2.5  # a centred line this close to the text's width wrapped
# A section's numbering opening a line (「二、」「（三）」): a heading, after a sentence's end.
_HEADING = re.compile(r"[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）]")
_SENTENCE_END = "。！？；：!?;:"


@dataclass
class _Layout:
    """How the document sets its running text."""

    margins: dict[int, tuple[float, float]]  # page width -> the text's left and right margins
    pitches: dict[float, float]  # size -> its regular line pitch (baseline to baseline)
    body: float  # the size of most of the text


def _layout(pages: list[_Page]) -> _Layout:
    margins = _margins(pages)
    steps: dict[float, list[float]] = {}
    for page, previous, line in _neighbours(pages):
        left, right = margins[round(page.width)]
        if _wraps_onto(previous, line, left, right):
            step = line.baseline - previous.baseline
            if 0 < step <= _MAX_PITCH_EM * line.size:
                steps.setdefault(_size_key(line.size), []).append(step)
    sizes: Counter[float] = Counter()
    for page in pages:
        for line in page.lines:
            sizes[_size_key(line.size)] += len(line.text)
    return _Layout(
        margins,
        {size: sorted(found)[len(found) // 2] for size, found in steps.items()},
        sizes.most_common(1)[0][0] if sizes else 0.0,
    )


def _size_key(size: float) -> float:
    return round(size * 2) / 2


def _neighbours(pages: list[_Page]) -> Iterable[tuple[_Page, _Line, _Line]]:
    """Each two lines one under the other on a page, no table between them."""
    for page in pages:
        previous: _Line | None = None
        for item in page.items:
            if isinstance(item, _Line) and previous is not None:
                yield page, previous, item
            previous = item if isinstance(item, _Line) else None


def _wraps_onto(previous: _Line, line: _Line, left: float, right: float) -> bool:
    """Whether ``line`` is shaped as the line ``previous`` wrapped onto: ``previous`` runs to
    the right margin ``right``, ``line`` starts at ``left`` (or left of it, or less than 1 em
    right of it), in the same size, neither a table's row."""
    return (
        not previous.tabular
        and not line.tabular
        and abs(line.size - previous.size) <= 0.5
        and previous.u1 >= right - _FULL_EM * previous.size
        and line.u0 <= left + line.size
    )


def _goes_on(
    layout: _Layout,
    previous: _Line,
    previous_page: _Page,
    line: _Line,
    page: _Page,
    same_page: bool,
    pitch: float | None,
    top: bool,
) -> bool:
    """Whether ``line`` goes on with the paragraph whose last line so far is ``previous``
    (point 7). ``pitch``: the paragraph's own line pitch, where known; ``top``: no line before
    ``line`` but centred ones (the title)."""
    if line.tabular or previous.tabular or abs(line.size - previous.size) > 0.5:
        return False
    size = line.size
    if same_page:
        step = line.baseline - previous.baseline
        regular = layout.pitches.get(_size_key(size))
        if line.v0 - previous.v1 > _GAP_EM * size and (
            regular is None or step > regular + _PITCH_SLACK_EM * size
        ):
            return False  # a gap wider than the document's lines are apart
        if pitch is not None and step > pitch + _LARGER_GAP_EM * size:
            return False  # a larger gap than between the paragraph's own lines
        if (top or size > layout.body + 0.5) and _title_wraps(layout, previous, line, page):
            return True
    left, _ = layout.margins.get(round(page.width), (0.0, 0.0))
    _, right = layout.margins.get(round(previous_page.width), (0.0, 0.0))
    if line.u0 > left + size:
        return False  # indented: a first line
    if previous.u1 < right - _FULL_EM * previous.size:
        return False  # the paragraph ended short of the right margin
    text = previous.text.rstrip()
    return not (_HEADING.match(line.text) and text and text[-1] in _SENTENCE_END)


def _title_wraps(layout: _Layout, previous: _Line, line: _Line, page: _Page) -> bool:
    """Whether ``previous`` and ``line`` (under it on ``page``) are one centred line (a
    title) wrapped: both centred on the text, ``previous`` as wide as the text (the next
    word would not fit), at most a normal gap between them."""
    measure = _measure(layout, previous, page)
    return (
        measure is not None
        and _measure(layout, line, page) is not None
        and line.v0 - previous.v1 <= _GAP_EM * line.size
        and previous.u1 - previous.u0 >= measure - _CENTRED_FULL_EM * previous.size
    )


def _measure(layout: _Layout, line: _Line, page: _Page) -> float | None:
    """The width of the text ``line`` is centred in (the page's middle, or the middle of its
    text's margins), or None when it is not centred."""
    left, right = layout.margins.get(round(page.width), (0.0, 0.0))
    middle = (line.u0 + line.u1) / 2
    for centre in (page.width / 2, (left + right) / 2):
        if centre > left and abs(middle - centre) <= _CENTRED_EM * line.size:
            return 2 * (centre - left)
    return None


def _margins(pages: list[_Page]) -> dict[int, tuple[float, float]]:
    """Page width -> the text's (left, right) margins: where the lines a paragraph wrapped
    onto start (else where most lines start), where the widest ends (pages of one width share
    them, so a page of few lines is judged rightly)."""
    starts: dict[int, Counter[int]] = {}
    ends: dict[int, float] = {}
    for page in pages:
        width = round(page.width)
        for line in page.lines:
            starts.setdefault(width, Counter())[round(line.u0)] += 1
            ends[width] = max(ends.get(width, 0.0), line.u1)
    wrapped: dict[int, Counter[int]] = {}
    for page, previous, line in _neighbours(pages):
        width = round(page.width)
        # a line under a full one, starting no further right than it (by under 1 em): not
        # a centred title's second line, nor a paragraph's first line at its indent
        if _wraps_onto(previous, line, previous.u0, ends[width]):
            wrapped.setdefault(width, Counter())[round(line.u0)] += 1
    return {
        width: (_most_common(wrapped.get(width) or counts), ends[width])
        for width, counts in starts.items()
    }


def _most_common(counts: Counter[int]) -> float:
    """The value counted most often (the smallest of those)."""
    return float(min(u for u, n in counts.items() if n == max(counts.values())))
