"""A published report as a web page (HTML) -> Grid.

Report pages come from content systems (the report's body inside the site's own layout), from
Word's "save as web page" (``MsoNormalTable``, ``<p class=MsoNormal>`` in every cell, a hidden
row of column widths) and from older sites that lay the whole page out in nested tables. The
reader's rules:

1. **Data tables are the innermost ones**: a ``<table>`` with another table inside it is page
   layout, and so is a table of a single column, or one with a cell of running prose (over
   PROSE_CHARS characters; the longest statutory label has 38). The one exception is a table
   in a cell of a statistical table (a figure pasted into the cell as a table of its own, a
   figure beside its unit): a table whose cells are all short and look statistical (as for a
   note row, below) is data though it holds tables, and a table inside it is that cell's text
   (a page's layout table has a cell holding the whole report, or no figures). A note row is no such cell
   (``_is_data_table``): a row of one long cell spanning the table's whole width (「注：……」
   under 表三), in a table whose other cells are short and look statistical (at least
   FIGURE_CELLS, and a quarter, of them are figures) — a page wrapped in a table (banner,
   navigation, the body spanning the width) has no figures and stays layout. Layout tables
   contribute their text to the running text; data tables become grids (document.expand:
   rowspan/colspan expanded, merged text in the top-left position, the spans kept as the
   sheet's ``merges``). A table of a single row may be either (a page's header bar, or the
   last row of 表三 continued in a table of its own): it is both.
   A ``rowspan="0"`` spans the rest of the cell's row group, as in a browser. Rows are read
   in the order a browser draws them: the first ``<thead>`` on top and the first ``<tfoot>``
   at the bottom, wherever they stand in the source (``_rows_of``).
2. **Cell text** is what a browser shows: runs of white space as one space, a line break for
   ``<br>`` and between block elements (paragraphs in a Word cell), each line stripped.
   ``<script>``, ``<style>`` and comments are dropped.
3. **Text a reader does not see is not read, and what a reader sees is read as shown**
   (``_inside``, the one place that decides what an element shows):
   - hidden text: an element hidden by its inline style (``display:none``, ``visibility:hidden``
     or ``collapse``, Word's ``mso-hide:all``) or by the ``hidden`` attribute. A ``<tr>`` or
     ``<td>`` not laid out at all (``display:none``, ``mso-hide:all``, ``hidden``) is no row
     or cell of its table, and such a table is not read; an invisible one keeps its place
     and shows no text;
   - struck text: ``<del>``, ``<s>``, ``<strike>`` and ``text-decoration: line-through``. A
     struck figure is a corrected one: the figure read is the one left standing, as for a
     tracked deletion in Word;
   - superscript and subscript (``<sup>``, ``<sub>``, ``vertical-align: super|sub``) are read as
     shown, set off the line (document.off_the_line): ``2629<sup>1</sup>`` is ``2629¹``, which
     is no figure (V01 at that cell), never 26291. So is text moved up or down from the rest
     of its cell (``position:relative;top:-3pt``, ``mso-text-raise``, ``vertical-align`` to
     the line's top or by a length: Word's web pages print a raised mark so); a cell moved
     whole is on its own line and read;
   - invisible text takes its room: a colour like the background's (CSS's named colours
     known), letters filled see-through (``-webkit-text-fill-color``, unless outlined),
     ``opacity:0``, ``filter:opacity(0)``, a ``clip-path`` that leaves nothing;
   - text set right to left (``dir="rtl"``, ``<bdo>``, ``direction``, ``unicode-bidi``) may
     show its digits in another order: no figure is read from it (V01).
   The page's inline markup counts (the ``style`` and ``hidden`` attributes, the tags), and
   its own ``<style>`` sheets folded into it (css.apply_style_sheets); a linked sheet is not
   in the file.
   A cell that shows no text but a picture, a frame or a form control reads as what it
   shows (「〔图片〕」…: V01 at that cell), never as a blank cell counted as 0 (``_embedded``).
4. **A page without its tables as text** (none of its tables holds a statutory label) that
   shows a frame, an embedded file, a link to an attached document or pictures is refused
   (F02) saying where the tables may be (``_tables_elsewhere``).
5. **Running text** (``Grid.text``) is everything outside the data tables, one block element
   per line, in document order, then the page's ``<title>`` (the browser's tab shows it, not
   the page: the report's title where the page shows none) — but a line that shows nothing but links
   to other pages (a menu, a list of other years' reports with their dates): never the
   report's own text, nor its title (``_running_text``).

6. **Tables without ``<table>`` markup** (``_tables_from_layout``): a CSS table
   (``display:table``/``table-row``/``table-cell``, inline or by the page's sheet) or an ARIA
   grid (``role="table"``/``row``/``cell``…, ``aria-colspan``/``aria-rowspan``) every row and
   cell of which is one, and a CSS grid whose column count is exact (``repeat(N, …)`` or N
   tracks, items in source order, none placed or spanning), are rewritten as tables. A page
   whose text holds the tables' labels but no table does: a ``<pre>`` holding them is read as
   the text reader reads text; otherwise refused (F02) saying how they are laid out (grid,
   flex, paragraphs) and what to send. Tables only in a ``<dialog>`` not open: refused (F02).

Safety: preflight has bounded the size (MAX_DOCUMENT_BYTES) and refused entity declarations.
lxml's HTML parser never fetches anything (``no_network``) and keeps libxml2's limits on depth
and text size (``huge_tree=False``); a page that reaches them is refused (F01), since libxml2
drops what lies beyond them silently; document.expand bounds the cells.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from nianbao.form.findings import OTHER_TABLES_FOUND, Rule
from nianbao.sources.css import (
    DOUBTFUL,
    SEE_THROUGH,
    WHITE_PAGE,
    Colour,
    StyleSheetTooComplex,
    all_zero,
    apply_style_sheets,
    font_hides,
    inline_declarations,
    parse_background,
    parse_colour,
    parse_length,
    parse_opacity,
    same_colour,
)
from nianbao.sources.document import (
    LAYOUT_LABELS,
    MAX_CELLS,
    MAX_COLSPAN,
    MAX_POSITIONS,
    MAX_ROWSPAN,
    PROSE_CHARS,
    MarkedCell,
    cell_text,
    document_grid,
    expand,
    holds_statutory_words,
    labels_printed,
    may_be_figure,
    of_figures,
    off_the_line,
    span,
    statutory_tables,
    struck_only,
    tables_as_pictures,
    tables_not_printed,
    too_many_cells,
)
from nianbao.sources.grid import Grid, Merge, Rows
from nianbao.sources.plaintext import text_tables
from nianbao.sources.preflight import corrupt, decode_text, unreadable, web_page

# rp: the brackets around a ruby annotation, shown only by a browser without ruby
_SKIPPED = frozenset(
    {"script", "style", "noscript", "template", "object", "iframe", "select", "rp"}
)
_BLOCKS = frozenset(
    {
        "address", "article", "aside", "blockquote", "br", "caption", "center", "dd",
        "details", "div", "dl", "dt", "figcaption", "figure", "footer", "form", "h1", "h2",
        "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre",
        "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "title", "tr",
        "ul",
    }
)  # fmt: skip
# A <details> is read as if opened, as a reader opens it: its text on lines of its own.
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_WHITE = re.compile(r"[ \t\r\n\f\v]+")
_STRUCK = frozenset({"del", "s", "strike"})
_RAISED_TAGS = {"sup": True, "sub": False, "rt": True}  # rt: a ruby annotation, above its text
_RAISED_ALIGN = {"super": True, "sub": False}  # vertical-align
_MARKED_TAGS = _STRUCK | _RAISED_TAGS.keys() | {"font"}  # tags that change text without a style
_VISIBILITY = {"visible": True, "hidden": False, "collapse": False}


class _Showing(NamedTuple):
    """How an element's text shows, from its own inline markup and its ancestors'."""

    visible: bool = True  # CSS visibility: inherited, and a descendant may set it back
    struck: bool = False  # a line through it: no descendant takes that away
    raised: bool | None = None  # superscript (True), subscript (False), on the line (None)
    lifted: bool | None = None  # moved up (True) or down (False) from the line by a length
    faded: bool = False  # opacity 0, clipped away: nothing in it shows, it still takes room
    clipped: bool = False  # in a box of no height (or width) that hides what overflows it
    tiny: bool = False  # font-size 0: inherited, an absolute size sets it back
    colour: Colour | None = None  # the text's colour; None: the browser's (black)
    background: Colour | None = WHITE_PAGE  # None: not known (a picture, a blend)
    doubtful: bool = False  # a style sheet rule nianbao cannot match may change it
    preformatted: bool = False  # <pre>, white-space:pre: spaces and line breaks kept

    @property
    def shows_text(self) -> bool:
        return (
            self.visible
            and not (self.struck or self.faded or self.clipped or self.tiny)
            and not same_colour(self.colour, self.background)
        )

    @property
    def shows_pictures(self) -> bool:
        return self.visible and not (self.struck or self.faded or self.clipped)


_ON_THE_PAGE = _Showing()


def read_html(path: str | os.PathLike[str]) -> Grid:
    """The data tables and running text of the web page at ``path`` (preflight has passed it)."""
    from lxml import etree
    from lxml import html as lxml_html

    try:
        data = web_page(path, Path(path).read_bytes())
    except OSError:
        raise corrupt(path) from None
    text = decode_text(data) if data is not None else None
    if text is None:
        raise corrupt(path)
    if _cut_off(text):
        raise unreadable(Rule.F01, path, _CUT_OFF)
    # lxml refuses a str that still declares an encoding; the text is decoded already.
    text = _XML_DECLARATION.sub("", text, count=1)
    parser = lxml_html.HTMLParser(
        no_network=True, huge_tree=False, remove_comments=True, remove_pis=True
    )
    try:
        root = lxml_html.document_fromstring(text, parser=parser)
    except (etree.ParserError, ValueError):
        raise corrupt(path) from None
    for error in parser.error_log:
        if error.type == etree.ErrorTypes.ERR_RESOURCE_LIMIT:
            # libxml2 stops building the tree at its limit and recovers silently: what lies
            # deeper, or after an over-long text, would read as blank cells, counted as 0
            too_deep = "depth" in error.message
            raise unreadable(Rule.F01, path, _TOO_DEEP if too_deep else _TOO_LONG)
    count = 0
    for count, _ in enumerate(root.iter("td", "th")):  # counted before any is looked into
        if count >= MAX_CELLS:
            raise too_many_cells(path)
    try:
        apply_style_sheets(root)
    except StyleSheetTooComplex:
        raise unreadable(Rule.F01, path, _STYLES_TOO_COMPLEX) from None
    if count + _tables_from_layout(root) >= MAX_CELLS:
        raise too_many_cells(path)
    data_tables: list[tuple[Any, _Showing]] = []
    read: set[int] = set()
    for table in root.iter("table"):
        if any(id(outer) in read for outer in table.iterancestors("table")):
            continue  # a table in a data table's cell: that cell's text
        showing = _showing_in(table, None, _ON_THE_PAGE)
        if showing is not None and _is_data_table(table):
            data_tables.append((table, showing))
            read.add(id(table))
    if not any(holds_statutory_words(table.text_content()) for table, _ in data_tables) and any(
        holds_statutory_words(dialog.text_content())
        for dialog in root.iter("dialog")
        if dialog.get("open") is None
    ):
        raise unreadable(Rule.F02, path, _IN_A_DIALOG)
    # none of its tables (layout ones too: a statutory table taken for layout is not pictures)
    # holds a statutory label: the reader's L01 (「未找到统计表」) would not say why
    if not any(
        holds_statutory_words(table.text_content())
        for table in root.xpath("//table[not(ancestor::table)]")
    ):
        running = _running_text(root, set())
        if labels_printed(running) >= LAYOUT_LABELS and (pre := _preformatted_tables(root)):
            # a table pasted as text (<pre>): read as the text reader reads that text
            tables, _ = text_tables(pre)
            return document_grid("text", tables, running, path, aligned=False)
        if (why := _not_table_markup(root, running)) is not None:
            raise unreadable(Rule.F02, path, why)
        elsewhere = _tables_elsewhere(root)
        if elsewhere is not None:
            raise unreadable(Rule.F02, path, elsewhere)
    elif missing := tables_not_printed([table.text_content() for table, _ in data_tables]):
        # some tables as text, the others not at all (表三 a picture between 表二 and 表四):
        # the reader's L01 would say only which labels it misses, not why
        pictured = _pictures_where_missing(root, [table for table, _ in data_tables], missing)
        if len(missing) < 3 and (elsewhere := _tables_elsewhere(root, missing, pictured)):
            found = [short for short, title in statutory_tables() if (short, title) not in missing]
            raise unreadable(Rule.L01, path, elsewhere, **{OTHER_TABLES_FOUND: "、".join(found)})
    grids: list[Rows] = []
    spans: list[list[Merge]] = []
    before: _Marked = ([], [])
    for table, showing in data_tables:
        spans.append([])
        before = _continued(before, _marked_rows(table, showing))
        grids.append(expand(before[0], path, spans[-1]))
    running = _running_text(
        root, {id(table) for table, _ in data_tables if len(_rows_of(table)) > 1}
    )
    return document_grid("html", grids, running, path, spans=spans)


# A page that opens <html> but reaches neither </body> nor </html> was cut off: a download
# that did not finish, or a page saved before it had loaded. A parser closes whatever is open,
# so a table cut in the middle would read with its last cells blank, counted as 0.
_PAGE_START = re.compile(r"<html[\s>]", re.IGNORECASE)
_PAGE_END = re.compile(r"</(?:body|html)\s*>", re.IGNORECASE)
_CUT_OFF = (
    "在网页结尾（</html>）之前就中断了，可能没有下载或保存完整：表格后面的数字可能缺失，不能据此核对。"
    "请重新下载或重新保存该网页后再试。"
)


_TOO_DEEP = (
    "的标签层层嵌套超过 256 层（多为网页编辑器留下的大量未闭合的 <font>、<span> 等标签）："
    "更深处的内容无法可靠解析，表格中的数字可能缺失，不能据此核对。"
    "请提供该报告的 Word 或 PDF 版本，或请网站修正网页后重新下载。"
)
_TOO_LONG = (
    "中有一段不分行的文字或数据超过 10 MB（多为嵌入网页的图片或脚本数据）：其后的内容无法可靠解析，"
    "表格中的数字可能缺失，不能据此核对。请提供该报告的 Word 或 PDF 版本。"
)

_STYLES_TOO_COMPLEX = (
    "的样式表（<style>）规则过多，逐一套用到表格上要数百万次比对（多为成千上万条重复规则）："
    "无法在合理时间内判断哪些文字在网页上显示，不能据此核对。"
    "请提供该报告的 Word 或 PDF 版本，或请网站修正网页后重新下载。"
)


_IN_A_DIALOG = (
    "中的统计表在一个没有打开的对话框（<dialog>）里，浏览器不显示它（要由网页的脚本打开），"
    "不能确定它是否就是本报告的统计表，未读取。请提供统计表直接显示在网页上的版本，"
    "或 Word、PDF、Excel 版本。"
)


def _preformatted_tables(root) -> list[str]:
    """The lines of the page's shown preformatted text (``<pre>``) that holds statutory
    labels: tables pasted as text."""
    lines: list[str] = []
    for pre in root.iter("pre"):
        showing = _showing_in(pre, None, _ON_THE_PAGE)
        if showing is None or not holds_statutory_words(pre.text_content()):
            continue
        parts: list[str] = []
        _collect(pre, parts, set(), showing)
        lines += [*_as_shown("".join(parts)).split("\n"), ""]
    return lines


def _cut_off(text: str) -> bool:
    start = _PAGE_START.search(text)
    return start is not None and _PAGE_END.search(text, start.end()) is None


# A link to an attached document, where a page without its tables as text may keep them.
_ATTACHMENT = re.compile(r"\.(?:pdf|docx?|wps|xlsx?|et|ofd)$", re.IGNORECASE)
_SHOWN_ADDRESS = 80  # characters of an address named in a message


def _pictures_where_missing(
    root, tables: Sequence[Any], missing: Sequence[tuple[str, str]]
) -> bool:
    """Whether a picture the page shows stands where a ``missing`` table would (between the
    tables printed as text, before them for 表二, after them for 表四): more telling than a
    frame or a link elsewhere on the page (a weather widget, a site's other pages)."""
    elements = list(root.iter())  # held: an lxml element's id lasts as long as its proxy
    order = {id(element): i for i, element in enumerate(elements)}
    spans = sorted((order[id(table)], max(order[id(e)] for e in table.iter())) for table in tables)
    if not spans:
        return False
    shorts = {short for short, _ in missing}
    first, last = spans[0][0], spans[-1][1]
    for element in root.iter("img", "canvas", "svg"):
        at = order[id(element)]
        if any(start <= at <= end for start, end in spans):
            continue  # in a data table's cell: that cell's
        placed = (
            first < at < last
            or ("表二" in shorts and at < first)
            or ("表四" in shorts and at > last)
        )
        shown = _showing_in(element, None, _ON_THE_PAGE)
        if placed and shown is not None and shown.shows_pictures:
            return True
    return False


def _tables_elsewhere(
    root, missing: Sequence[tuple[str, str]] = (), pictured: bool = False
) -> str | None:
    """Where the statutory tables are, on a page without them as text (a page whose tables
    are pictures, in a frame, or in an attached file): what to do instead, for F02; or where
    the ``missing`` ones are (short name, title), on a page holding the others as text. None
    when the page shows none of these (the reader then says which labels it misses)."""
    what = "、".join(f"{short}「{title}」" for short, title in missing) or "统计表"
    them = "、".join(short for short, _ in missing)
    if pictured:  # a picture where the missing table would be
        return tables_as_pictures(missing, None)
    frames = [
        element
        for element in root.iter("iframe", "frame", "object", "embed")
        if _showing_in(element, None, _ON_THE_PAGE) is not None
    ]
    for frame in frames:
        if frame.tag in ("iframe", "frame") and frame.get("srcdoc") is not None:
            return (
                f"中没有可读取的{what}：{them or '表格'}可能在网页嵌入的框架（iframe srcdoc）中，"
                "nianbao 不读取框架中的内容。请把表格放在网页正文中，或提供 PDF、Word 或 Excel 版本。"
            )
    for frame in frames:
        address = _address(frame.get("src") or frame.get("data"))
        if address:
            return (
                f"中没有可读取的{what}：{them or '表格'}可能在网页嵌入的"
                f"{'框架' if 'frame' in frame.tag else '文件'}"
                f"（{address}）中，其内容没有保存在这个网页文件里。"
                "请在浏览器中打开该地址，将其中的网页或文件另存后再读取。"
            )
    attachments = [
        address
        for link in root.iter("a")
        if (address := _address(link.get("href"))) and _ATTACHMENT.search(address.split("?")[0])
    ]
    if attachments:
        return (
            f"中没有可读取的{what}：{them or '年度报告'}可能在附件（{attachments[0]}）中。"
            "请下载附件后读取附件本身。"
        )
    pictures = [
        element
        for element in root.iter("img", "canvas", "svg")
        if (shown := _showing_in(element, None, _ON_THE_PAGE)) is not None and shown.shows_pictures
    ]
    if pictures:
        return tables_as_pictures(missing, len(pictures))
    return None


def _address(value: str | None) -> str:
    """An address as named in a message: white space dropped, cut to _SHOWN_ADDRESS."""
    address = _WHITE.sub("", value or "")
    return address if len(address) <= _SHOWN_ADDRESS else address[: _SHOWN_ADDRESS - 1] + "…"


def _rows_of(table) -> list:
    """The table's own rows (not those of tables nested in it) in the order a browser lays
    them out, less those it does not lay out (hidden, or in a hidden section): they are no
    rows of the table. A browser draws the first ``<thead>`` on top and the first ``<tfoot>``
    at the bottom wherever they stand in the source (HTML 4 had ``<tfoot>`` written before
    ``<tbody>``): read in source order, 表四's row of figures in such a footer came out above
    its header, and every figure was read as blank."""
    return [row for group in _row_groups(table) for row in group]


def _row_groups(table) -> list[list]:
    """The table's row groups, each one's rows laid out, in the order a browser draws them:
    the first ``<thead>`` on top, the first ``<tfoot>`` at the bottom, the other sections and
    each run of rows outside any section (a group of its own) between, in source order."""
    sections = [
        section
        for section in table.xpath("./tr | ./thead | ./tbody | ./tfoot")
        if not _removed(section)
    ]
    head = next((section for section in sections if section.tag == "thead"), None)
    foot = next((section for section in sections if section.tag == "tfoot"), None)
    groups: list[tuple[int, list]] = []  # (0 head, 1 body, 2 foot; the group's rows)
    bare = False  # the last group is a run of rows outside any section
    for section in sections:
        if section.tag == "tr":
            if not bare:
                groups.append((1, []))
            groups[-1][1].append(section)
        else:
            band = 0 if section is head else 2 if section is foot else 1
            groups.append((band, section.xpath("./tr")))
        bare = section.tag == "tr"
    groups.sort(key=lambda group: group[0])  # stable: source order within the body
    return [kept for _, rows in groups if (kept := [row for row in rows if not _removed(row)])]


def _cells_of(row) -> list:
    return [cell for cell in row.xpath("./td | ./th") if not _removed(cell)]


def _is_data_table(table) -> bool:
    rows = [_cells_of(row) for row in _rows_of(table)]
    if max((len(cells) for cells in rows), default=0) < 2:
        return False
    width = max(sum(span(cell.get("colspan"), MAX_COLSPAN) for cell in cells) for cells in rows)
    notes = [cells[0] for cells in rows if len(cells) == 1 and _prose(cells[0])]
    others = [cell for cells in rows for cell in cells if cell not in notes]
    if any(_prose(cell) for cell in others):
        return False
    if table.find(".//table") is not None:
        # tables in its cells: a figure set in a table of its own (pasted into the cell) in a
        # table of short cells that look statistical; page layout otherwise
        return not notes and _of_figures(others)
    return not notes or (
        all(span(note.get("colspan"), MAX_COLSPAN) >= width for note in notes)
        and _of_figures(others)
    )


def _prose(cell) -> bool:
    return len(_WHITE.sub(" ", cell.text_content())) > PROSE_CHARS


def _of_figures(cells: list) -> bool:
    """Whether these cells look like a statistical table's (document.of_figures)."""
    return of_figures([cell.text_content() for cell in cells])


_HEADER_ROWS_REPEATED = 5  # at most, atop a continued table (表三's header has 3)
# A table's rows of cells as laid out, and the same cells with their rowspans as written
_Marked = tuple[list[list[MarkedCell]], list[list[MarkedCell]]]


def _marked_rows(table, showing: _Showing) -> _Marked:
    """The table's rows of cells, and the same cells with their rowspans as written (past
    the end of the table too); ``showing``: how the table's own content shows.

    A browser ends every rowspan with its row group (thead, a tbody, a run of rows outside
    any section; rowspan="0" spans the group's rest): a header cell written to span past
    ``</thead>`` does not push the first body row's cells to the right. Only where ending
    them leaves the table's rows of unequal width while the spans as written fit (a page
    putting each row in a ``<tbody>`` of its own, its header spanning them) are the spans
    read as written: that table is drawn broken, and its markup says what was meant.

    A cell the page hides (``display:none`` on a ``<td>``) is not drawn, and the row's later
    cells move one column left. Where every row hides the same columns (Excel's web page of
    a sheet with hidden columns) the table is whole; where hiding leaves rows of unequal width
    that are equal with the hidden cells, the figures after a hidden cell are marked
    (_SHIFTED_SAID): which column each is in cannot be told."""
    marked: list[list[MarkedCell]] = []
    written: list[list[MarkedCell]] = []
    unhidden: list[list[MarkedCell]] = []  # as marked, with the hidden cells in their places
    shifted: list[list[bool]] = []
    rows: list = []
    left: list[int] = []  # for each row, the rows from it to its group's end
    for group in _row_groups(table):
        rows += group
        left += range(len(group), 0, -1)
    hidden_over = -1  # the last row a hidden cell spanning rows reaches: all of theirs move
    for r, (row, to_end) in enumerate(zip(rows, left, strict=True)):
        in_row = _showing_in(row, table, showing)
        assert in_row is not None  # _rows_of has left out the rows not laid out
        cells: list[MarkedCell] = []
        whole: list[MarkedCell] = []
        moved: list[bool] = []
        after_hidden = r <= hidden_over
        for cell in row.xpath("./td | ./th"):
            down = to_end if _to_the_end(cell) else span(cell.get("rowspan"), MAX_ROWSPAN)
            across = span(cell.get("colspan"), MAX_COLSPAN)
            whole.append((None, min(down, to_end), across))
            if _removed(cell):
                after_hidden = True
                hidden_over = max(hidden_over, r + min(down, to_end) - 1)
                continue
            text = cell_text(_shown(cell, in_row)) or _embedded(cell, in_row)
            cells.append((text, down, across))
            moved.append(after_hidden)
        written.append(cells)
        marked.append([(text, min(down, to_end), across) for text, down, across in cells])
        unhidden.append(whole)
        shifted.append(moved)
    if any(any(row) for row in shifted) and _ragged(marked) and not _ragged(unhidden):
        marked, written = (
            [
                [
                    (_shifted(text, moved), down, across)
                    for (text, down, across), moved in zip(row, moves, strict=True)
                ]
                for row, moves in zip(rows_of, shifted, strict=True)
            ]
            for rows_of in (marked, written)
        )
    if marked != written and _ragged(marked) and not _ragged(written):
        return written, written
    return marked, written


# A figure after a cell the page hides, in a table hiding leaves uneven: a browser draws the
# row's later cells one column left of where the markup puts them, so which column a figure
# is in cannot be told (V01 at the cell, never the neighbour's figure read in silence).
_SHIFTED_SAID = "〔此格之前有被网页隐藏的单元格，这一行其后的数字在浏览器中左移，所属的列无法确定〕"


def _shifted(text: str | None, moved: bool) -> str | None:
    """A cell's text, marked when it may be a figure moved by a hidden cell before it."""
    if not moved or not text or not may_be_figure(text):
        return text
    return _SHIFTED_SAID + text


def _ragged(rows: list[list[MarkedCell]]) -> bool:
    """Whether the rows, laid out with their spans, end at different columns. A table whose
    spans cover more than MAX_POSITIONS places is not laid out (``expand`` refuses it, F04):
    laying it out here would allocate what that bound is there to prevent."""
    if sum(down * across for row in rows for _, down, across in row) > MAX_POSITIONS:
        return False
    covered: list[set[int]] = [set() for _ in rows]
    for _ in _cells_placed(rows, covered):
        pass
    return len({max(taken, default=-1) for taken in covered}) > 1


def _cells_placed(
    rows: list[list[MarkedCell]], covered: list[set[int]]
) -> Iterator[tuple[int, int, MarkedCell]]:
    """Each cell with the row and column a browser puts it at, ``covered`` filled in with the
    columns each row's cells (its own and those spanning into it) take."""
    for r, row in enumerate(rows):
        c = 0
        for cell in row:
            _, down, across = cell
            while c in covered[r]:
                c += 1
            for below in covered[r : r + down]:
                below.update(range(c, c + across))
            yield r, c, cell
            c += across


def _continued(before: _Marked, table: _Marked) -> _Marked:
    """``table``, continuing the table ``before`` (表三 cut in two, its header not repeated,
    or repeated above its rows), with the cells of ``before`` written to span past its end
    (「三、本年度办理结果」, rowspan 22) carried over as blank cells, where the continuation
    leaves their columns out: its rows are then as wide as each other, each figure under its
    own column. A browser draws such rows shifted left, unevenly; their labels and figures
    say what was meant.
    Only when the cut cells are the leftmost columns and carrying them over makes the ragged
    rows even; otherwise ``table`` as it is."""
    laid, written = before
    rows, as_written = table
    covered: list[set[int]] = [set() for _ in laid]
    cut = [
        (c, across, r + down - len(laid))
        for (r, c, (_, _, across)), (_, down, _) in zip(
            _cells_placed(laid, covered), (cell for row in written for cell in row), strict=True
        )
        if r + down > len(laid)
    ]
    if not cut or not rows or not _ragged(rows):
        return table
    cut.sort()
    if [c for c, _, _ in cut] != [sum(across for _, across, _ in cut[:n]) for n in range(len(cut))]:
        return table
    for top in range(min(len(rows), _HEADER_ROWS_REPEATED + 1)):  # under a repeated header
        carried = [(None, min(left, len(rows) - top), across) for _, across, left in cut]
        padded = [*rows[:top], carried + rows[top], *rows[top + 1 :]]
        if not _ragged(padded):
            cells = [(None, left, across) for _, across, left in cut]
            return padded, [*as_written[:top], cells + as_written[top], *as_written[top + 1 :]]
    return table


# What a cell shows that is not text, as a reader would name it.
_EMBEDDED = {
    "img": "图片", "canvas": "图片", "svg": "图片", "video": "视频", "input": "输入框",
    "select": "选择框", "iframe": "嵌入的框架", "object": "嵌入的内容", "embed": "嵌入的内容",
}  # fmt: skip


def _embedded(cell, showing: _Showing) -> str | None:
    """What a cell shows when it shows no text but a picture, a frame or a form control
    (「〔图片〕」…): no figure is read from it (V01 at that cell). A figure published as a
    picture was read as a blank cell, counted as 0 with no more than a V04 warning."""
    for element in cell.iter(*_EMBEDDED):
        if element.tag == "input" and (element.get("type") or "").strip().lower() == "hidden":
            continue
        shown = _showing_in(element, cell, showing)
        if shown is not None and shown.shows_pictures:
            return f"〔{_EMBEDDED[element.tag]}〕"
    return None


def _to_the_end(cell) -> bool:
    """Whether the cell's rowspan is 0: it spans the rest of its section (HTML's rule)."""
    digits = re.match(r"\s*(\d+)", cell.get("rowspan") or "")
    return digits is not None and int(digits.group(1)[:9]) == 0


def _shown(element, around: _Showing) -> str:
    """The element's text as shown: block boundaries and <br> as line breaks; ``around``: how
    its parent's content shows. Text with a digit that a style sheet rule nianbao cannot match
    may hide (or add to) is said to be so, once, at the start: no figure is read from it (V01).
    A label (it has a word) is read as it is: the rule may hide it, but no figure comes of it,
    and a page styling every first cell so would lose its tables."""
    parts: list[str] = []
    _collect(element, parts, set(), around)
    collected = "".join(parts)
    shown = _lifts_shown(_STRUCK_PIECE.sub("", collected))
    if not shown.replace(_DOUBT, "").strip() and (
        struck := struck_only("".join(_STRUCK_PIECE.findall(collected)))
    ):
        return struck  # no figure left standing: not a blank cell (0)
    if _DOUBT not in shown:
        return shown
    shown = shown.replace(_DOUBT, "")
    return _DOUBT_SAID + shown.lstrip() if may_be_figure(shown) else shown


def _running_text(root, tables: set[int]) -> str:
    """The page's text outside ``tables``, a line for each block; a line that is nothing but
    links to other pages (a site's menu, a list of other years' reports 「某区2023年政府信息
    公开工作年度报告」, a date beside each) is none of the report's text: left out, so that
    such a link is never taken for the report's title (its unit and year)."""
    parts: list[str] = []
    # the page's <title> last: shown in the browser's tab, not on the page, it is the
    # report's title only where the page shows none (a copy of last year's page may keep
    # last year's <title> over this year's heading)
    titles = list(root.iter("title"))
    _collect(root, parts, tables | {id(title) for title in titles}, _ON_THE_PAGE, links=True)
    for title in titles:
        _collect(title, parts, set(), _ON_THE_PAGE, links=True)
    lines = (line.strip() for line in _as_shown("".join(parts)).split("\n"))
    return "\n".join(
        _LINK_MARKS.sub("", line).strip() for line in lines if line and not _only_links(line)
    )


# in collected running text: a link's text (\x06) to its end (\x07)
_LINK_STARTS, _LINK_ENDS = "\x06", "\x07"
_LINK_PIECE = re.compile("\x06[^\x07]*\x07")
_LINK_MARKS = re.compile("[\x06\x07]")
# what a list of links may hold beside them: dates, numbering, bullets, separators, and a
# label saying they lead elsewhere (「上一篇：」「相关阅读：」; not 「附件：」, the report's own)
_BESIDE_LINKS = re.compile(
    r"\s*(?:上一?篇|下一?篇|上一条|下一条|相关(?:阅读|链接|文章|信息|新闻|稿件|推荐)|延伸阅读"
    r"|推荐阅读)?[\s\d\-－/.．:：年月日()（）\[\]【】·•>»|｜、,，]*"
)


def _only_links(line: str) -> bool:
    """Whether a line of running text shows nothing but links (and dates, bullets beside)."""
    rest = _LINK_PIECE.sub("", line)
    return rest != line and _BESIDE_LINKS.fullmatch(rest) is not None


def _collect(
    element, parts: list[str], skip: set[int], around: _Showing, *, links: bool = False
) -> None:
    """Append the text ``element`` shows, and its tail (which shows as ``around``, its
    parent's content, does); ``links``: a link's text (``<a href>``) marked as such."""
    tag = element.tag if isinstance(element.tag, str) else ""
    inside = None if tag in _SKIPPED else _inside(element, around)
    if inside is None:
        _text(element.tail, parts, around)
        return
    block = tag in _BLOCKS or _laid_out_as_block(element)
    link = links and tag == "a" and element.get("href") is not None
    if block:
        parts.append("\n")
    if link:
        parts.append(_LINK_STARTS)
    if id(element) not in skip:
        _text(element.text, parts, inside)
        for child in element:
            _collect(child, parts, skip, inside, links=links)
    if link:
        parts.append(_LINK_ENDS)
    if block:
        parts.append("\n")
    _text(element.tail, parts, around)


# inline styles that set an element on lines of its own, as a <div> is
_BLOCK_DISPLAYS = frozenset({"block", "list-item", "flex", "grid", "table", "flow-root"})


def _laid_out_as_block(element) -> bool:
    """Whether an inline style sets the element on lines of its own
    (``<span style="display:block">``): what is on either side of it is not one number."""
    if element.get("style") is None:
        return False
    display = _style(element).get("display", "").split()
    return bool(display) and display[0] in _BLOCK_DISPLAYS


def _text(text: str | None, parts: list[str], showing: _Showing) -> None:
    if not text:
        return
    if showing.shows_text:
        shown = text.replace("\r\n", "\n") if showing.preformatted else _WHITE.sub(" ", text)
        if showing.doubtful:
            parts.append(_DOUBT)
        if showing.raised is not None:
            shown = off_the_line(shown, showing.raised)
        elif showing.lifted is not None:
            shown = _LIFTED[showing.lifted] + shown + _LIFT_ENDS
        parts.append(shown)
    elif showing.struck and showing._replace(struck=False).shows_text:
        # shown struck through: not read, but a cell showing nothing else says it (_shown)
        parts.append(_STRUCK_STARTS + _WHITE.sub(" ", text) + _STRUCK_ENDS)
    elif not (showing.struck or showing.clipped or showing.tiny):
        # invisible text keeps its room on the line: 「5」, a white 「0」, 「8」 shows as 「5 8」
        parts.append(" ")


# -- what the page's inline markup shows and hides -------------------------------------------------


def _inside(element, around: _Showing) -> _Showing | None:
    """How ``element``'s content shows, inside a parent whose content shows as ``around``;
    None when the element is not laid out at all."""
    if not isinstance(element.tag, str):
        return around
    style = _style(element)
    if _removed(element, style):
        return None
    if (
        not style
        and element.tag not in _MARKED_TAGS
        and element.tag != "pre"
        and element.get("bgcolor") is None
        and element.get(DOUBTFUL) is None
        and element.get("dir") is None
    ):
        return around  # most elements: nothing of their own changes how text shows
    decoration = f"{style.get('text-decoration', '')} {style.get('text-decoration-line', '')}"
    raised = _RAISED_ALIGN.get(style.get("vertical-align", ""), _RAISED_TAGS.get(element.tag))
    colour = _fill(style) or (element.get("color") if element.tag == "font" else None)
    background = parse_background(style.get("background-color") or style.get("background"))
    if background is SEE_THROUGH and element.get("bgcolor"):
        background = parse_background(element.get("bgcolor"))
    return _Showing(
        visible=_VISIBILITY.get(style.get("visibility", ""), around.visible),
        struck=around.struck or element.tag in _STRUCK or "line-through" in decoration.split(),
        raised=around.raised if raised is None else raised,
        lifted=_lifted(element, style, around.lifted),
        # content-visibility:hidden skips drawing the content, whatever a descendant says
        faded=around.faded
        or parse_opacity(style.get("opacity")) == 0
        or _filtered_away(style.get("filter", ""))
        or _clipped_to_nothing(style.get("clip-path", ""))
        or style.get("content-visibility") == "hidden",
        clipped=around.clipped or _clips(element, style),
        tiny=font_hides(style, around.tiny),
        colour=around.colour if colour is None else parse_colour(colour),
        background=around.background if background is SEE_THROUGH else background,
        doubtful=around.doubtful
        or element.get(DOUBTFUL) is not None
        or _reshapes(style)
        or _right_to_left(element),
        preformatted=_preformatted(element, style, around.preformatted),
    )


def _fill(style: dict[str, str]) -> str | None:
    """The colour the text's letters are filled with: ``-webkit-text-fill-color`` over
    ``color``, unless the letters are outlined (``-webkit-text-stroke``): an outline shows."""
    fill = style.get("-webkit-text-fill-color")
    stroke = style.get("-webkit-text-stroke-width") or style.get("-webkit-text-stroke", "")
    width = parse_length(stroke.split()[0]) if stroke.split() else None
    if fill is not None and not (width is not None and width[0] > 0):
        return fill
    return style.get("color")


def _filtered_away(value: str) -> bool:
    """Whether a CSS ``filter`` makes the element wholly see-through (``opacity(0)``)."""
    return any(parse_opacity(amount) == 0 for amount in _FILTER_OPACITY.findall(value.lower()))


def _clipped_to_nothing(value: str) -> bool:
    """Whether a ``clip-path`` leaves nothing of the element: an inset that meets itself
    (``inset(100%)``, ``inset(50%)``) or a circle or ellipse of no size."""
    value = value.strip().lower()
    if (shape := _CIRCLE.match(value)) is not None:
        return all(
            (length := parse_length(radius)) is not None and length[0] <= 0
            for radius in shape.group(1).split("at")[0].split() or ["x"]
        )
    if (inset := _INSET.match(value)) is None:
        return False
    sides = [parse_length(part) for part in inset.group(1).split("round")[0].split()]
    if not 1 <= len(sides) <= 4 or None in sides:
        return False
    top, right, bottom, left = _BOX_SIDES[len(sides)](sides)
    return any(
        a is not None and b is not None and a[1] == b[1] == "%" and a[0] + b[0] >= 100
        for a, b in ((top, bottom), (left, right))
    )


def _lifted(element, style: dict[str, str], around: bool | None) -> bool | None:
    """Whether the element's text is moved up (True) or down (False) from the line it is on,
    as Word's web pages print a raised footnote mark (``position:relative;top:-3pt;
    mso-text-raise:3pt``), or by ``vertical-align`` to the line's top or by a length. A
    table cell's vertical-align places its content in the cell, not off the line."""
    align = style.get("vertical-align", "")
    if (
        align
        and element.tag not in _TABLE_PARTS
        and not style.get("display", "").startswith("table")
    ):
        if align in _TO_THE_EDGE:
            return _TO_THE_EDGE[align]
        if (length := parse_length(align)) is not None and length[0]:
            return length[0] > 0
    if (raise_by := parse_length(style.get("mso-text-raise", ""))) is not None and raise_by[0]:
        return raise_by[0] > 0
    if style.get("position") == "relative":
        for side, up in (("top", -1), ("bottom", 1)):
            if (length := parse_length(style.get(side, ""))) is not None and length[0]:
                return length[0] * up > 0
    return around


def _right_to_left(element) -> bool:
    """Whether the element sets its text right to left (``<bdo dir="rtl">``, ``dir="rtl"``):
    its digits may show in another order than they are written."""
    return (element.get("dir") or "").strip().lower() == "rtl"


def _lifts_shown(text: str) -> str:
    """Collected text with its moved-up or moved-down pieces set off the line, as superscript
    or subscript (1234 with a raised 1 is 1234¹, never 12341); where everything that shows is
    moved alike (a figure printed a little higher) it is on its own line and read as it is."""
    if _LIFT_ENDS not in text:
        return text
    pieces = _LIFTED_PIECE.split(text)
    on_the_line = "".join(pieces[0::3]).replace(_DOUBT, "")
    alike = not _UNLIFTED.sub("", on_the_line).strip()
    shown = "".join(
        off_the_line(piece, pieces[n - 1] == _LIFTED[True]) if n % 3 == 2 and not alike else piece
        for n, piece in enumerate(pieces)
        if n % 3 != 1
    )
    return _UNLIFTED.sub("", shown)  # a piece cut by a line break: on its lines as written


def _as_shown(text: str) -> str:
    """Collected running text as shown, line by line: pieces moved from the rest of their
    line set off it (a line moved whole is read as it is), no marks of doubt."""
    lines = (_lifts_shown(line) for line in _STRUCK_PIECE.sub("", text).split("\n"))
    return _MARKS.sub("", "\n".join(lines))


# a font this small shows a figure as a dot: what a reader sees of it cannot be told
_LEGIBLE_FROM = {"px": 4.0, "pt": 3.0, "mm": 1.0, "q": 4.0}


def _reshapes(style: dict[str, str]) -> bool:
    """Whether inline styling may hide, move or reorder text in a way nianbao does not lay
    out: a transform (``scale(0)``, a mirror), a float (「69<span style="float:right">8</span>」
    shows 869), a negative indent (text pushed off the page), text set right to left, or a
    font too small to read. A figure under it is not read (V01)."""
    if style.get("transform", "none") != "none" or style.get("float", "none") != "none":
        return True
    indent = parse_length(style.get("text-indent", ""))
    if indent is not None and indent[0] < 0:
        return True
    if style.get("direction") == "rtl" or "bidi-override" in style.get("unicode-bidi", ""):
        return True
    size = parse_length(style.get("font-size", ""))
    return size is not None and 0 < size[0] < _LEGIBLE_FROM.get(size[1], 0)


def _preformatted(element, style: dict[str, str], around: bool) -> bool:
    """Whether the element keeps its text's spaces and line breaks (``<pre>``, white-space)."""
    white = style.get("white-space", "")
    if white.startswith("pre") or white == "break-spaces":
        return True
    if white in ("normal", "nowrap"):
        return False
    return around or element.tag == "pre"


# -- a box that hides what it holds ------------------------------------------------------------

_INLINE = frozenset({"a", "b", "em", "font", "i", "small", "span", "strong", "sub", "sup", "u"})
_TABLE_PARTS = frozenset({"table", "tbody", "td", "tfoot", "th", "thead", "tr", "caption"})
_HIDES_OVERFLOW = frozenset({"hidden", "clip", "scroll", "auto"})
_OFF_SCREEN = -999  # px: left or top this far off, as image replacement and 「sr-only」 put text
_NO_RECTANGLE = re.compile(r"^rect\(\s*0[a-z]*(?:\s*,?\s*0[a-z]*){3}\s*\)$")


def _clips(element, style: dict[str, str]) -> bool:
    """Whether the element is a box of no height or width that hides what overflows it
    (``height:0;overflow:hidden``, unpadded), clipped to nothing (``position:absolute;
    clip:rect(0 0 0 0)``) or put far off the page. An inline element has no height of its own,
    and a table's cells and rows grow to what they hold: for them neither hides anything."""
    position = style.get("position")
    if position in ("absolute", "fixed"):
        if _NO_RECTANGLE.match(style.get("clip", "")):
            return True
        for side in ("left", "top"):
            length = parse_length(style.get(side, ""))
            if length is not None and length[1] == "px" and length[0] <= _OFF_SCREEN:
                return True
    display = style.get("display", "")
    if (
        element.tag in _TABLE_PARTS
        or display.startswith("table")
        or display.startswith("inline")
        and display != "inline-block"
    ):
        return False
    if (
        not display
        and (element.tag in _INLINE or element.tag not in _BLOCKS)
        and position not in ("absolute", "fixed")
        and style.get("float", "none") == "none"
    ):
        return False
    if any(all_zero(value) is False for key, value in style.items() if key.startswith("padding")):
        return False
    overflow = style.get("overflow", "")
    for axis, sizes in (("y", ("height", "max-height")), ("x", ("width", "max-width"))):
        hides = style.get(
            f"overflow-{axis}", overflow.split()[-1 if axis == "y" else 0] if overflow else ""
        )
        if hides in _HIDES_OVERFLOW and any(all_zero(style.get(size, "")) for size in sizes):
            return True
    return False


def _removed(element, style: dict[str, str] | None = None) -> bool:
    """Not laid out: ``display:none``, Word's ``mso-hide:all``, or the ``hidden`` attribute
    (which an inline ``display`` overrides, as in a browser)."""
    if style is None:
        style = _style(element)
    if style.get("mso-hide") == "all":
        return True
    if "display" in style:
        return style["display"] == "none"
    # a <dialog> not open is not shown (until a script opens it)
    return element.get("hidden") is not None or (
        element.tag == "dialog" and element.get("open") is None
    )


def _style(element) -> dict[str, str]:
    """The element's inline style as {property: value}, both in lower case with runs of white
    space as one space and ``!important`` left off; a later declaration wins."""
    return inline_declarations(element.get("style"))


def _showing_in(element, outer, around: _Showing) -> _Showing | None:
    """How ``element``'s content shows inside ``outer``, an ancestor whose content shows as
    ``around`` (``outer`` None: inside the page); None when it is not laid out."""
    path = []
    while element is not None and element is not outer:
        path.append(element)
        element = element.getparent()
    showing = around
    for node in reversed(path):
        inside = _inside(node, showing)
        if inside is None:
            return None
        showing = inside
    return showing


# -- text an unmatched style-sheet rule may change ------------------------------------------------

_DOUBT = "\x00"  # in collected text: what follows is such an element's
# in collected text: a piece moved up (\x01) or down (\x02) from the line, to its end (\x03)
_LIFTED = {True: "\x01", False: "\x02"}
_LIFT_ENDS = "\x03"
_MARKS = re.compile("[\x00-\x05]")  # what collected text marks, never text itself
# in collected text: a piece struck through (\x04), to its end (\x05)
_STRUCK_STARTS, _STRUCK_ENDS = "\x04", "\x05"
_STRUCK_PIECE = re.compile("\x04([^\x05]*)\x05")
_UNLIFTED = re.compile("[\x01-\x03]")
_LIFTED_PIECE = re.compile("([\x01\x02])([^\x03]*)\x03")
_FILTER_OPACITY = re.compile(r"opacity\(\s*([^)\s]*)\s*\)")
_CIRCLE = re.compile(r"^(?:circle|ellipse)\(([^)]*)\)$")
_INSET = re.compile(r"^inset\(([^)]*)\)$")
# a box's sides as CSS writes them, one to four values: top, right, bottom, left
_BOX_SIDES: dict[int, Callable[[list[Any]], tuple[Any, Any, Any, Any]]] = {
    1: lambda v: (v[0], v[0], v[0], v[0]),
    2: lambda v: (v[0], v[1], v[0], v[1]),
    3: lambda v: (v[0], v[1], v[2], v[1]),
    4: lambda v: (v[0], v[1], v[2], v[3]),
}
_TO_THE_EDGE = {"top": True, "text-top": True, "bottom": False, "text-bottom": False}
_DOUBT_SAID = "〔网页的样式可能隐藏或改动了此处的文字〕"

# -- tables laid out without <table> markup: CSS tables, ARIA grids, CSS grids ----------------------

_TABLE_ROLES = frozenset({"table", "grid", "treegrid"})
_CELL_ROLES = frozenset({"cell", "gridcell", "columnheader", "rowheader"})
_GROUPS = {"table-row-group": "tbody", "table-header-group": "thead", "table-footer-group": "tfoot"}
_GRID_PLACING = frozenset(
    {
        "grid-column", "grid-row", "grid-area", "grid-column-start", "grid-column-end",
        "grid-row-start", "grid-row-end", "order",
    }
)  # fmt: skip
_TRACK = re.compile(r"\[[^\]]*\]|[^\s(]+\([^()]*(?:\([^()]*\)[^()]*)*\)|[^\s\[]+")
_REPEAT = re.compile(r"^repeat\(\s*(\d+)\s*,(.*)\)$", re.DOTALL)


def _part(element) -> str | None:
    """The table part an element is laid out as (CSS ``display``) or marked as (ARIA
    ``role``), as the tag a ``<table>`` would have it: table, thead, tbody, tfoot, tr, td, th."""
    display = _style(element).get("display", "")
    role = (element.get("role") or "").strip().lower()
    if display in ("table", "inline-table") or role in _TABLE_ROLES:
        return "table"
    if display in _GROUPS:
        return _GROUPS[display]
    if role == "rowgroup":
        return "tbody"
    if display == "table-row" or role == "row":
        return "tr"
    if role in ("columnheader", "rowheader"):
        return "th"
    if display == "table-cell" or role in _CELL_ROLES:
        return "td"
    return None


def _laid_out(element) -> list:
    """The element's children laid out (not display:none), or None when text stands between
    them (a browser puts it in a box of its own: no cell nianbao can place)."""
    if (element.text or "").strip() or any((child.tail or "").strip() for child in element):
        return None  # type: ignore[return-value]
    return [child for child in element if isinstance(child.tag, str) and not _removed(child)]


def _tables_from_layout(root) -> int:
    """Rewrite as ``<table>`` markup each table laid out by CSS (``display:table``…) or marked
    by ARIA (``role="table"``…) whose every row and cell is one, and each CSS grid whose
    columns are known exactly (``grid-template-columns``: ``repeat(N, …)`` or N tracks), its
    items in source order, none placed or spanning: then they read as tables do. Any other
    is left as it is (its text is running text). The cells rewritten, counted."""
    cells = 0
    for element in list(root.iter()):
        if not isinstance(element.tag, str) or element.tag in _TABLE_PARTS:
            continue
        if _part(element) == "table":
            cells += _from_css_table(element)
        elif _style(element).get("display") in ("grid", "inline-grid"):
            cells += _from_grid(element)
    return cells


def _from_css_table(table) -> int:
    rows: list = []
    groups: list = []
    children = _laid_out(table)
    if children is None:
        return 0
    for child in children:
        part = _part(child)
        if part == "tr":
            rows.append(child)
        elif part in ("thead", "tbody", "tfoot") and (inner := _laid_out(child)) is not None:
            if not all(_part(row) == "tr" for row in inner):
                return 0
            groups.append((child, part))
            rows += inner
        else:
            return 0
    cells = []
    for row in rows:
        inner = _laid_out(row)
        if inner is None or not inner or not all(_part(c) in ("td", "th") for c in inner):
            return 0
        cells += inner
    if not cells or any(element.tag in _TABLE_PARTS for element in [*rows, *cells]):
        return 0
    table.tag = "table"
    for group, tag in groups:
        group.tag = tag
    for row in rows:
        row.tag = "tr"
    for cell in cells:
        cell.tag = _part(cell) or "td"
        for name in ("colspan", "rowspan"):  # a <div>'s own colspan spans nothing; ARIA's does
            aria = cell.get(f"aria-{name}")
            cell.attrib.pop(name, None)
            if aria is not None:
                cell.set(name, aria)
    return len(cells)


def _tracks(value: str | None) -> int | None:
    """The number of columns ``grid-template-columns`` defines, when it says exactly."""
    if not value:
        return None
    count = 0
    for token in _TRACK.findall(value.strip()):
        if token.startswith("["):
            continue  # a line's name
        repeat = _REPEAT.match(token)
        if repeat is not None:
            inner = _tracks(repeat.group(2))
            if inner is None:
                return None
            count += int(repeat.group(1)[:4]) * inner
        elif token.startswith(("repeat(", "var(", "subgrid", "masonry", "none")) or token in (
            "inherit",
            "initial",
            "unset",
            "auto-fill",
        ):
            return None
        else:
            count += 1
    return count or None


def _grid_doubt(grid) -> str | None:
    """Why the items of this CSS grid cannot be placed exactly (None: they can)."""
    style = _style(grid)
    items = _laid_out(grid)
    columns = _tracks(style.get("grid-template-columns"))
    if items is None:
        return "网格中有不在格子里的文字"
    if columns is None or any(key in style for key in ("grid-template", "grid")):
        return "其列数（grid-template-columns）无法确定"
    if "column" in style.get("grid-auto-flow", "") or "dense" in style.get("grid-auto-flow", ""):
        return "格子不是按行依次排列的"
    if any(_GRID_PLACING & _style(item).keys() for item in items):
        return "有的格子跨行、跨列或另行指定了位置（grid-column、grid-row 等）"
    if any(_style(item).get("display") == "contents" for item in items):
        return "有的格子的内容直接排进了网格（display:contents）"
    if len(items) % columns:
        return f"格子数（{len(items)}）不是列数（{columns}）的整数倍"
    return None


def _from_grid(grid) -> int:
    from lxml import etree

    if _grid_doubt(grid) is not None:
        return 0
    items = _laid_out(grid)
    columns = _tracks(_style(grid).get("grid-template-columns")) or 1
    if columns < 2 or len(items) < 2 * columns:
        return 0  # no table: a page's columns (side bar, main), a row of boxes
    if any(item.tag in _TABLE_PARTS for item in items):
        return 0
    hidden = [child for child in grid if child not in items]  # not laid out: kept out of rows
    for child in list(grid):
        grid.remove(child)
    grid.tag = "table"
    for child in hidden:
        grid.append(child)
    for start in range(0, len(items), columns):
        row = etree.SubElement(grid, "tr")
        for item in items[start : start + columns]:
            item.tag = "td"
            item.attrib.pop("colspan", None)
            item.attrib.pop("rowspan", None)
            row.append(item)
    return len(items)


def _not_table_markup(root, running: str) -> str | None:
    """For a page none of whose tables holds a statutory label while its text holds the
    tables' labels (they are laid out otherwise): why nianbao does not read them, and what to
    send instead, for F02. None when its text does not hold them."""
    if labels_printed(running) < LAYOUT_LABELS:
        return None
    why = "统计表的文字以段落或 <div> 逐项排列，没有表格的行和列"
    for element in root.iter():
        if not isinstance(element.tag, str) or _showing_in(element, None, _ON_THE_PAGE) is None:
            continue
        display = _style(element).get("display", "")
        if not holds_statutory_words(element.text_content()):
            continue
        if display in ("grid", "inline-grid"):
            why = (
                f"统计表用 CSS 网格（display:grid）排列，{_grid_doubt(element) or '不是规整的表格'}"
            )
        elif display in ("flex", "inline-flex") and len(element) > 1:
            why = "统计表用 CSS 弹性布局（display:flex）排列，各格所在的列只由宽度决定"
        elif _part(element) == "table":
            why = (
                "统计表用 CSS 表格（display:table）或 ARIA 表格（role=table）排列，"
                "但其中有的行或格子不是表格的行、格（如行中夹着段落或文字）"
            )
        else:
            continue
        break
    return (
        f"中的统计表不是表格（<table>）：{why}，nianbao 无法确定每个数字所在的行和列，未读取。"
        "请提供 Word、PDF 或 Excel 版本，或统计表为 <table> 表格的网页。"
    )
