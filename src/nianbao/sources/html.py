"""A published report as a web page (HTML) -> Grid.

Report pages come from content systems (the report's body inside the site's own layout), from
Word's "save as web page" (``MsoNormalTable``, ``<p class=MsoNormal>`` in every cell, a hidden
row of column widths) and from older sites that lay the whole page out in nested tables. The
reader's rules:

1. **Data tables are the innermost ones**: a ``<table>`` with another table inside it is page
   layout, and so is a table of a single column, or one with a cell of running prose (over
   PROSE_CHARS characters; the longest statutory label has 38). Layout tables contribute their
   text to the running text; data tables become grids (document.expand: rowspan/colspan
   expanded, merged text in the top-left position). A table of a single row may be either (a
   page's header bar, or the last row of 表三 continued in a table of its own): it is both.
2. **Cell text** is what a browser shows: runs of white space as one space, a line break for
   ``<br>`` and between block elements (paragraphs in a Word cell), each line stripped.
   ``<script>``, ``<style>`` and comments are dropped.
3. **Running text** (``Grid.text``) is the page title and everything outside the data tables,
   one block element per line, in document order.

Safety: preflight has bounded the size (MAX_DOCUMENT_BYTES) and refused entity declarations.
lxml's HTML parser never fetches anything (``no_network``) and keeps libxml2's limits on depth
and text size (``huge_tree=False``); document.expand bounds the cells.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from nianbao.form.findings import Rule
from nianbao.sources.document import (
    MAX_CELLS,
    MAX_COLSPAN,
    MAX_ROWSPAN,
    MarkedCell,
    cell_text,
    document_grid,
    expand,
    span,
    too_many_cells,
)
from nianbao.sources.grid import Grid, Rows
from nianbao.sources.preflight import corrupt, decode_text, unreadable, web_page

PROSE_CHARS = 200
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
    data_tables = [table for table in root.iter("table") if _is_data_table(table)]
    grids: list[Rows] = [expand(_marked_rows(table), path) for table in data_tables]
    running = _running_text(root, {id(table) for table in data_tables if len(_rows_of(table)) > 1})
    return document_grid("html", grids, running, path)


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


def _rows_of(table) -> list:
    """The table's own rows (not those of tables nested in it), in order."""
    return table.xpath("./tr | ./thead/tr | ./tbody/tr | ./tfoot/tr")


def _cells_of(row) -> list:
    return row.xpath("./td | ./th")


def _is_data_table(table) -> bool:
    if table.find(".//table") is not None:
        return False
    rows = _rows_of(table)
    if max((len(_cells_of(row)) for row in rows), default=0) < 2:
        return False
    return all(
        len(_WHITE.sub(" ", cell.text_content())) <= PROSE_CHARS
        for row in rows
        for cell in _cells_of(row)
    )


def _marked_rows(table) -> list[list[MarkedCell]]:
    return [
        [
            (
                cell_text(_shown(cell)),
                span(cell.get("rowspan"), MAX_ROWSPAN),
                span(cell.get("colspan"), MAX_COLSPAN),
            )
            for cell in _cells_of(row)
        ]
        for row in _rows_of(table)
    ]


def _shown(element) -> str:
    """The element's text as shown: block boundaries and <br> as line breaks."""
    parts: list[str] = []
    _collect(element, parts, skip=set())
    return "".join(parts)


def _running_text(root, tables: set[int]) -> str:
    parts: list[str] = []
    _collect(root, parts, skip=tables)
    lines = (line.strip() for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line)


def _collect(element, parts: list[str], skip: set[int]) -> None:
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag in _SKIPPED:
        _tail(element, parts)
        return
    block = tag in _BLOCKS
    if block:
        parts.append("\n")
    if id(element) not in skip:
        if element.text:
            parts.append(_WHITE.sub(" ", element.text))
        for child in element:
            _collect(child, parts, skip)
    if block:
        parts.append("\n")
    _tail(element, parts)


def _tail(element, parts: list[str]) -> None:
    if element.tail:
        parts.append(_WHITE.sub(" ", element.tail))
