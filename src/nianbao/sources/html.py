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
     is no figure (V01 at that cell), never 26291.
   Only the page's own inline markup counts (the ``style`` and ``hidden`` attributes, the
   tags): classes styled by a ``<style>`` sheet or a linked one are not looked into.
   A cell that shows no text but a picture, a frame or a form control reads as what it
   shows (「〔图片〕」…: V01 at that cell), never as a blank cell counted as 0 (``_embedded``).
4. **A page without its tables as text** (none of its tables holds a statutory label) that
   shows a frame, an embedded file, a link to an attached document or pictures is refused
   (F02) saying where the tables may be (``_tables_elsewhere``).
5. **Running text** (``Grid.text``) is the page title and everything outside the data tables,
   one block element per line, in document order.

Safety: preflight has bounded the size (MAX_DOCUMENT_BYTES) and refused entity declarations.
lxml's HTML parser never fetches anything (``no_network``) and keeps libxml2's limits on depth
and text size (``huge_tree=False``); document.expand bounds the cells.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import NamedTuple

from nianbao.form.findings import Rule
from nianbao.sources.document import (
    MAX_CELLS,
    MAX_COLSPAN,
    MAX_ROWSPAN,
    PROSE_CHARS,
    MarkedCell,
    cell_text,
    document_grid,
    expand,
    holds_statutory_words,
    of_figures,
    off_the_line,
    span,
    too_many_cells,
)
from nianbao.sources.grid import Grid, Merge, Rows
from nianbao.sources.preflight import corrupt, decode_text, unreadable, web_page

_SKIPPED = frozenset({"script", "style", "noscript", "template", "object", "iframe", "select"})
_BLOCKS = frozenset(
    {
        "address", "article", "aside", "blockquote", "br", "caption", "center", "dd", "div",
        "dl", "dt", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5",
        "h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "table",
        "tbody", "td", "tfoot", "th", "thead", "title", "tr", "ul",
    }
)  # fmt: skip
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_WHITE = re.compile(r"[ \t\r\n\f\v]+")
_STRUCK = frozenset({"del", "s", "strike"})
_RAISED_TAGS = {"sup": True, "sub": False}
_RAISED_ALIGN = {"super": True, "sub": False}  # vertical-align
_VISIBILITY = {"visible": True, "hidden": False, "collapse": False}
_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
_IMPORTANT = re.compile(r"\s*!\s*important\s*$")


class _Showing(NamedTuple):
    """How an element's text shows, from its own inline markup and its ancestors'."""

    visible: bool = True  # CSS visibility: inherited, and a descendant may set it back
    struck: bool = False  # a line through it: no descendant takes that away
    raised: bool | None = None  # superscript (True), subscript (False), on the line (None)


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
    for count, _ in enumerate(root.iter("td", "th")):  # counted before any is looked into
        if count >= MAX_CELLS:
            raise too_many_cells(path)
    data_tables: list[tuple[object, _Showing]] = []
    read: set[int] = set()
    for table in root.iter("table"):
        if any(id(outer) in read for outer in table.iterancestors("table")):
            continue  # a table in a data table's cell: that cell's text
        showing = _showing_in(table, None, _ON_THE_PAGE)
        if showing is not None and _is_data_table(table):
            data_tables.append((table, showing))
            read.add(id(table))
    # none of its tables (layout ones too: a statutory table taken for layout is not pictures)
    # holds a statutory label: the reader's L01 (「未找到统计表」) would not say why
    if not any(
        holds_statutory_words(table.text_content())
        for table in root.xpath("//table[not(ancestor::table)]")
    ):
        elsewhere = _tables_elsewhere(root)
        if elsewhere is not None:
            raise unreadable(Rule.F02, path, elsewhere)
    grids: list[Rows] = []
    spans: list[list[Merge]] = []
    for table, showing in data_tables:
        spans.append([])
        grids.append(expand(_marked_rows(table, showing), path, spans[-1]))
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


def _cut_off(text: str) -> bool:
    start = _PAGE_START.search(text)
    return start is not None and _PAGE_END.search(text, start.end()) is None


# A link to an attached document, where a page without its tables as text may keep them.
_ATTACHMENT = re.compile(r"\.(?:pdf|docx?|wps|xlsx?|et|ofd)$", re.IGNORECASE)
_SHOWN_ADDRESS = 80  # characters of an address named in a message


def _tables_elsewhere(root) -> str | None:
    """Where the statutory tables are, on a page without them as text (a page whose tables
    are pictures, in a frame, or in an attached file): what to do instead, for F02. None
    when the page shows none of these (the reader then says which labels it misses)."""
    frames = [
        element
        for element in root.iter("iframe", "frame", "object", "embed")
        if _showing_in(element, None, _ON_THE_PAGE) is not None
    ]
    for frame in frames:
        if frame.tag in ("iframe", "frame") and frame.get("srcdoc") is not None:
            return (
                "中没有可读取的统计表：表格可能在网页嵌入的框架（iframe srcdoc）中，"
                "nianbao 不读取框架中的内容。请把表格放在网页正文中，或提供 PDF、Word 或 Excel 版本。"
            )
    for frame in frames:
        address = _address(frame.get("src") or frame.get("data"))
        if address:
            return (
                f"中没有可读取的统计表：表格可能在网页嵌入的{'框架' if 'frame' in frame.tag else '文件'}"
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
            f"中没有可读取的统计表：年度报告可能在附件（{attachments[0]}）中。"
            "请下载附件后读取附件本身。"
        )
    pictures = [
        element
        for element in root.iter("img", "canvas", "svg")
        if (shown := _showing_in(element, None, _ON_THE_PAGE)) is not None and shown.visible
    ]
    if pictures:
        return (
            f"中没有可读取的统计表，网页中有 {len(pictures)} 张图片：统计表可能是以图片形式发布的。"
            "nianbao 不做文字识别，请提供表格为文字的网页、PDF、Word 或 Excel 版本。"
        )
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
    sections = [
        section
        for section in table.xpath("./tr | ./thead | ./tbody | ./tfoot")
        if not _removed(section)
    ]
    head = next((section for section in sections if section.tag == "thead"), None)
    foot = next((section for section in sections if section.tag == "tfoot"), None)
    body = [section for section in sections if section is not head and section is not foot]
    ordered = [section for section in (head, *body, foot) if section is not None]
    return [
        row
        for section in ordered
        for row in ([section] if section.tag == "tr" else section.xpath("./tr"))
        if not _removed(row)
    ]


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


def _marked_rows(table, showing: _Showing) -> list[list[MarkedCell]]:
    """The table's rows of cells; ``showing``: how the table's own content shows."""
    marked: list[list[MarkedCell]] = []
    rows = _rows_of(table)
    # rowspan="0": down to the last row of the row's section (thead, tbody...), as browsers
    left: list[int] = []  # for each row, the rows from it to its section's end
    seen: dict[object, int] = {}  # keyed by the section itself: its proxy stays alive
    for row in reversed(rows):
        section = row.getparent()
        seen[section] = seen.get(section, 0) + 1
        left.append(seen[section])
    left.reverse()
    for row, to_end in zip(rows, left, strict=True):
        in_row = _showing_in(row, table, showing)
        assert in_row is not None  # _rows_of has left out the rows not laid out
        marked.append(
            [
                (
                    cell_text(_shown(cell, in_row)) or _embedded(cell, in_row),
                    to_end if _to_the_end(cell) else span(cell.get("rowspan"), MAX_ROWSPAN),
                    span(cell.get("colspan"), MAX_COLSPAN),
                )
                for cell in _cells_of(row)
            ]
        )
    return marked


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
        if shown is not None and shown.visible and not shown.struck:
            return f"〔{_EMBEDDED[element.tag]}〕"
    return None


def _to_the_end(cell) -> bool:
    """Whether the cell's rowspan is 0: it spans the rest of its section (HTML's rule)."""
    digits = re.match(r"\s*(\d+)", cell.get("rowspan") or "")
    return digits is not None and int(digits.group(1)[:9]) == 0


def _shown(element, around: _Showing) -> str:
    """The element's text as shown: block boundaries and <br> as line breaks; ``around``: how
    its parent's content shows."""
    parts: list[str] = []
    _collect(element, parts, set(), around)
    return "".join(parts)


def _running_text(root, tables: set[int]) -> str:
    parts: list[str] = []
    _collect(root, parts, tables, _ON_THE_PAGE)
    lines = (line.strip() for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line)


def _collect(element, parts: list[str], skip: set[int], around: _Showing) -> None:
    """Append the text ``element`` shows, and its tail (which shows as ``around``, its
    parent's content, does)."""
    tag = element.tag if isinstance(element.tag, str) else ""
    inside = None if tag in _SKIPPED else _inside(element, around)
    if inside is None:
        _text(element.tail, parts, around)
        return
    block = tag in _BLOCKS
    if block:
        parts.append("\n")
    if id(element) not in skip:
        _text(element.text, parts, inside)
        for child in element:
            _collect(child, parts, skip, inside)
    if block:
        parts.append("\n")
    _text(element.tail, parts, around)


def _text(text: str | None, parts: list[str], showing: _Showing) -> None:
    if text and showing.visible and not showing.struck:
        shown = _WHITE.sub(" ", text)
        parts.append(shown if showing.raised is None else off_the_line(shown, showing.raised))


# -- what the page's inline markup shows and hides -------------------------------------------------


def _inside(element, around: _Showing) -> _Showing | None:
    """How ``element``'s content shows, inside a parent whose content shows as ``around``;
    None when the element is not laid out at all."""
    if not isinstance(element.tag, str):
        return around
    style = _style(element)
    if _removed(element, style):
        return None
    decoration = f"{style.get('text-decoration', '')} {style.get('text-decoration-line', '')}"
    raised = _RAISED_ALIGN.get(style.get("vertical-align", ""), _RAISED_TAGS.get(element.tag))
    return _Showing(
        visible=_VISIBILITY.get(style.get("visibility", ""), around.visible),
        struck=around.struck or element.tag in _STRUCK or "line-through" in decoration.split(),
        raised=around.raised if raised is None else raised,
    )


def _removed(element, style: dict[str, str] | None = None) -> bool:
    """Not laid out: ``display:none``, Word's ``mso-hide:all``, or the ``hidden`` attribute
    (which an inline ``display`` overrides, as in a browser)."""
    if style is None:
        style = _style(element)
    if style.get("mso-hide") == "all":
        return True
    if "display" in style:
        return style["display"] == "none"
    return element.get("hidden") is not None


def _style(element) -> dict[str, str]:
    """The element's inline style as {property: value}, both in lower case with runs of white
    space as one space and ``!important`` left off; a later declaration wins."""
    attribute = element.get("style")
    if not attribute:
        return {}
    declarations: dict[str, str] = {}
    for declaration in _CSS_COMMENT.sub("", attribute).split(";"):
        name, colon, value = declaration.partition(":")
        if colon:
            value = _IMPORTANT.sub("", _WHITE.sub(" ", value).strip().lower())
            declarations[name.strip().lower()] = value
    return declarations


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
