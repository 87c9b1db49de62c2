"""A published report as a Word document (.docx) -> Grid.

Only the main part, ``word/document.xml``, is read: its paragraphs and tables in body order.
The rules:

1. **Tables**: each ``<w:tbl>`` with no table nested in it is a data table (a table holding
   tables is layout; its own paragraphs are running text) — unless its cells are all short and
   look statistical (document.of_figures): a figure pasted into a cell as a table of its own
   leaves the statutory table a data table, the small table's text that cell's text. A row's cells take the grid columns
   their ``w:gridSpan`` says, after the ``w:gridBefore`` columns it skips; a cell continuing a
   vertical merge (``w:vMerge`` without ``restart``) or a legacy horizontal one (``w:hMerge``)
   is covered: None, as in a workbook, with the text in the merge's first cell; the ranges
   merged cells cover are the sheet's ``merges``, as a workbook's merged ranges are.
   A row deleted with changes tracked (``w:trPr/w:del``) is no row of its table.
2. **Text** is the ``w:t`` of runs (inserted text included, deleted text ``w:delText`` and
   field codes ``w:instrText`` not), ``w:tab``/``w:ptab`` as a space, ``w:br``/``w:cr`` and
   paragraph ends as line breaks. Content controls (``w:sdt``) are read through; of a
   ``mc:AlternateContent`` only the first choice is read (its fallback repeats it). A text
   box (``w:txbxContent``) is no part of the line it is anchored in: its paragraphs are lines
   of running text of their own, so its digits never run into a figure in the cell. An
   equation (``m:oMath``) shows its text: a figure typed as one is read; one with structure
   (a fraction...) is shown as its pieces marked 〔公式：…〕, never one figure.
3. **Text a reader does not see is not read, and what a reader sees is read as shown**
   (``_run_text``, the one place that decides what a run shows):
   - hidden text: a run marked ``w:vanish`` or ``w:specVanish``, and text moved away
     (``w:moveFrom``: Word shows it at its new place, ``w:moveTo``);
   - struck text: a run marked ``w:strike`` or ``w:dstrike``. A struck figure is a corrected
     one: the figure read is the one left standing, as for a tracked deletion (``w:del``);
   - superscript and subscript (``w:vertAlign``), and a footnote's mark (the run holding its
     ``w:footnoteReference``/``w:endnoteReference``), are read set off the line
     (document.off_the_line): 58 with a raised 1 is ``58¹``, no figure (V01 at that cell),
     never 581;
   - special characters are shown, never dropped: ``w:noBreakHyphen`` is U+2011 (5‑8 is not
     58), ``w:softHyphen`` shows nothing, ``w:sym`` is the character it shows (_symbol).
   Only the run's own properties count: a character style (``w:rStyle``, defined in
   styles.xml) that hides, strikes or raises text is not looked into.
4. **Running text** (``Grid.text``): the paragraphs outside data tables, one per line.

Safety: preflight has checked the whole container (sizes, compression ratio, no DTD in any
part). The part is inflated under the same discipline (preflight.read_body: bounded, refused
when it inflates beyond its declared size) and parsed with entities, DTDs and network off.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

from nianbao.sources.document import (
    MAX_CELLS,
    MAX_COLSPAN,
    PROSE_CHARS,
    cell_text,
    document_grid,
    of_figures,
    off_the_line,
    span,
    too_many_cells,
)
from nianbao.sources.grid import CellValue, Grid, Merge, Rows
from nianbao.sources.preflight import MAX_WORD_BODY_BYTES, WORD_BODY, corrupt, read_body

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
M = "{http://schemas.openxmlformats.org/officeDocument/2006/math}"
# What a run's special elements show (w:t and w:sym aside).
_SHOWN = {
    f"{W}tab": " ",
    f"{W}ptab": " ",
    f"{W}br": "\n",
    f"{W}cr": "\n",
    f"{W}noBreakHyphen": "\u2011",  # shown as a hyphen: 5‑8 must not read as 58
    f"{W}softHyphen": "",  # shown only where a line breaks at it
}
_UNSEEN = (f"{W}vanish", f"{W}specVanish", f"{W}strike", f"{W}dstrike")
_NOTE_MARKS = (f"{W}footnoteReference", f"{W}endnoteReference")
_SET_ASIDE = frozenset({f"{MC}Fallback", f"{W}del", f"{W}moveFrom"})
_BOX = f"{W}txbxContent"  # a text box's content: paragraphs (and tables) of its own
_OFF = frozenset({"0", "false", "off"})
_RAISED = {"superscript": True, "subscript": False}
_SYMBOL_ASCII = range(0xF020, 0xF07F)  # Word's private place for the Symbol font's ASCII
_UNKNOWN = "\ufffd"


def read_docx(path: str | os.PathLike[str]) -> Grid:
    """The data tables and running text of the Word file at ``path`` (preflight has passed it)."""
    from lxml import etree

    xml = read_body(path, WORD_BODY, MAX_WORD_BODY_BYTES)
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        load_dtd=False,
        dtd_validation=False,
        remove_comments=True,
        remove_pis=True,
    )
    try:
        root = etree.fromstring(xml, parser=parser)
    except (etree.XMLSyntaxError, ValueError):
        raise corrupt(path) from None
    body = root.find(f"{W}body")
    tables: list[Rows] = []
    spans: list[list[Merge]] = []
    lines: list[str] = []
    budget = [0]
    if body is not None:
        for kind, element in _blocks(body):
            boxes: list[str] = []  # the text boxes' lines, after the block they are in
            if kind == "table":
                spans.append([])
                tables.append(_table(element, path, budget, spans[-1], boxes))
            else:
                boxes.insert(0, _paragraph(element, boxes))
            for line in boxes:
                text = cell_text(line)
                if text:
                    lines.append(text.replace("\n", " "))
    return document_grid("docx", tables, "\n".join(lines), path, spans=spans)


def _blocks(container) -> Iterator[tuple[str, object]]:
    """("paragraph", p) and ("table", tbl) in body order; layout tables are opened up."""
    for child in _content(container):
        if child.tag == f"{W}p":
            yield "paragraph", child
        elif child.tag == f"{W}tbl":
            if child.find(f".//{W}tbl") is None or _of_figures(child):
                yield "table", child
            else:
                for row in child.iterchildren(f"{W}tr"):
                    for cell in row.iterchildren(f"{W}tc"):
                        yield from _blocks(cell)


def _of_figures(table) -> bool:
    """Whether a table holding tables is a statistical one with a table in a cell (a figure
    pasted into the cell as a table of its own) rather than layout: rows of two cells or more,
    none of running prose (the whole report in a layout table's cell), cells that look
    statistical (document.of_figures)."""
    rows = [[cell for cell in _content(row) if cell.tag == f"{W}tc"] for row in _rows(table)]
    if max((len(cells) for cells in rows), default=0) < 2:
        return False
    texts: list[str] = []
    for cells in rows:
        for cell in cells:
            if _longer_than(cell, PROSE_CHARS):
                return False
            texts.append("".join(_lines(cell, [])))
    return of_figures(texts)


def _longer_than(element, limit: int) -> bool:
    """Whether the text in ``element`` (all of it, shown or not) is longer than ``limit``:
    counted only as far as the limit."""
    length = 0
    for text in element.itertext(f"{W}t", f"{M}t"):
        length += len(text)
        if length > limit:
            return True
    return False


def _rows(table) -> Iterator:
    return (row for row in _content(table) if row.tag == f"{W}tr")


def _lines(container, boxes: list[str]) -> Iterator[str]:
    """The lines of text in a cell (or text box), tables in it included: a paragraph a line,
    a table's cells one after another."""
    for child in _content(container):
        if child.tag == f"{W}p":
            yield _paragraph(child, boxes)
        elif child.tag == f"{W}tbl":
            for row in _rows(child):
                for cell in _content(row):
                    if cell.tag == f"{W}tc":
                        yield from _lines(cell, boxes)


def _content(container) -> Iterator:
    """Children, with content controls and alternate content read through."""
    for child in container:
        if child.tag == f"{W}sdt":
            inner = child.find(f"{W}sdtContent")
            if inner is not None:
                yield from _content(inner)
        elif child.tag == f"{MC}AlternateContent":
            choice = child.find(f"{MC}Choice")
            if choice is not None:
                yield from _content(choice)
        elif child.tag in (f"{W}ins", f"{W}customXml", f"{W}smartTag"):
            yield from _content(child)
        else:
            yield child


def _table(
    table,
    path: str | os.PathLike[str],
    budget: list[int],
    spans: list[Merge] | None = None,
    boxes: list[str] | None = None,
) -> Rows:
    """The table's rows; each merged cell (gridSpan, a vertical merge, a legacy horizontal
    one) is added to ``spans`` as the range it covers, in the table's rows and columns; the
    lines of text boxes in its cells to ``boxes``."""
    if boxes is None:
        boxes = []
    rows: Rows = []
    ranges: list[list[int]] = []  # [top, left, bottom, right] of each merged cell
    below: dict[int, list[int]] = {}  # first column -> the vertical merge it may continue
    for row in _content(table):
        if row.tag != f"{W}tr" or _is_on(row.find(f"{W}trPr/{W}del")):
            continue  # a row deleted with changes tracked is gone, whatever its runs say
        r = len(rows)
        line: list[CellValue] = [None] * _int_attr(row, f"{W}trPr/{W}gridBefore")
        beside: list[int] | None = None  # the legacy horizontal merge open in this row
        opened: dict[int, list[int]] = {}
        for cell in _content(row):
            if cell.tag != f"{W}tc":
                continue
            width = span(_int_attr(cell, f"{W}tcPr/{W}gridSpan"), MAX_COLSPAN)
            vmerge = cell.find(f"{W}tcPr/{W}vMerge")
            hmerge = cell.find(f"{W}tcPr/{W}hMerge")
            down = vmerge is not None and vmerge.get(f"{W}val") != "restart"
            across = hmerge is not None and hmerge.get(f"{W}val") != "restart"
            c, last = len(line), len(line) + width - 1
            if across:  # continues the horizontal merge before it
                if beside is not None:
                    beside[3] = last
            elif down:  # continues the vertical merge above it
                beside = None
                if c in below:
                    below[c][2] = r
                    below[c][3] = max(below[c][3], last)
                    opened[c] = below[c]
            else:
                merged = [r, c, r, last]
                ranges.append(merged)
                opened[c] = merged
                beside = merged if hmerge is not None else None
            text = None if down or across else _cell(cell, boxes)
            line.append(text)
            line.extend([None] * (width - 1))
        below = opened
        budget[0] += len(line)
        if budget[0] > MAX_CELLS:
            raise too_many_cells(path)
        rows.append(line)
    if spans is not None:
        spans += [
            ((top, left), (bottom, right))
            for top, left, bottom, right in ranges
            if bottom > top or right > left
        ]
    return rows


def _int_attr(element, path: str) -> int:
    found = element.find(path)
    if found is None:
        return 0
    try:
        return max(0, min(int(found.get(f"{W}val", "1")), MAX_COLSPAN))
    except ValueError:
        return 1


def _cell(cell, boxes: list[str]) -> str | None:
    return cell_text("\n".join(_lines(cell, boxes)))


def _paragraph(paragraph, boxes: list[str]) -> str:
    """The paragraph's text as shown on its line. A text box anchored in it is no part of the
    line (a box drawn beside or over it: its digits are never run into a figure): its lines
    are added to ``boxes``. An equation (OMML) shows its text (_equation)."""
    parts: list[str] = []
    for element in paragraph.iter(f"{W}r", f"{M}oMath", _BOX):
        if _set_aside(element, paragraph, _IN_PARAGRAPH):
            continue
        if element.tag == _BOX:
            boxes.extend(_lines(element, boxes))
        elif element.tag == f"{M}oMath":
            parts.append(_equation(element))
        else:
            parts.append(_run_text(element))
    return "".join(parts)


# What a paragraph's own text leaves to others: text boxes (read on their own) and equations
# (read whole, by _equation).
_IN_PARAGRAPH = _SET_ASIDE | {_BOX, f"{M}oMath"}


def _set_aside(element, paragraph, aside: frozenset[str] = _SET_ASIDE) -> bool:
    """Whether the element is not in the paragraph's text as shown: in a fallback (its choice
    is read), deleted or moved away; or in ``aside`` elements that are read on their own."""
    parent = element.getparent()
    while parent is not None and parent is not paragraph:
        if parent.tag in aside:
            return True
        parent = parent.getparent()
    return False


def _equation(math) -> str:
    """An equation's text as shown. A plain one (a figure typed in an equation) is its text;
    one with structure (a fraction, a power, a root...) is shown as its pieces, marked as an
    equation, so that 1 over 2 is never read as the figure 12."""
    pieces = [
        text
        for element in math.iter(f"{M}t", f"{W}t")
        if (text := element.text) and not _set_aside(element, math)
    ]
    plain = all(
        child.tag in (f"{M}r", f"{M}ctrlPr", f"{W}ins") or not isinstance(child.tag, str)
        for child in math
    )
    if plain:
        return "".join(pieces)
    return "〔公式：" + " ".join(pieces) + "〕"


def _run_text(run) -> str:
    """The text ``run`` shows, by its own properties: none when hidden or struck, set off the
    line when superscript or subscript (or a footnote's mark)."""
    properties = run.find(f"{W}rPr")
    if properties is not None and any(_is_on(properties.find(tag)) for tag in _UNSEEN):
        return ""
    parts: list[str] = []
    raised: bool | None = None
    for element in run:
        if element.tag == f"{W}t":
            parts.append(element.text or "")
        elif element.tag == f"{W}sym":
            parts.append(_symbol(element))
        elif element.tag in _NOTE_MARKS:
            raised = True  # a custom mark follows; its style (not read) raises it
        else:
            parts.append(_SHOWN.get(element.tag, ""))
    alignment = properties.find(f"{W}vertAlign") if properties is not None else None
    if alignment is not None:
        raised = _RAISED.get(alignment.get(f"{W}val", ""), raised)
    text = "".join(parts)
    return text if raised is None else off_the_line(text, raised)


def _is_on(toggle) -> bool:
    """Whether a run property that is on or off (w:vanish, w:strike...) is there and on."""
    return toggle is not None and toggle.get(f"{W}val", "true").strip().lower() not in _OFF


def _symbol(sym) -> str:
    """The character a ``w:sym`` shows, never nothing: the Symbol font's F020–F07E are its
    printable ASCII (F02D is its minus), any other character is itself; U+FFFD where that is
    not printable, as Word's private area (F0xx) of other symbol fonts is: a Wingdings F030
    is a folder, not the digit 0."""
    try:
        code = int(sym.get(f"{W}char", ""), 16)
    except ValueError:
        return _UNKNOWN
    if code in _SYMBOL_ASCII and (sym.get(f"{W}font") or "").strip().lower() == "symbol":
        code -= 0xF000
    shown = chr(code) if 0 <= code <= 0x10FFFF else _UNKNOWN
    return shown if shown.isprintable() else _UNKNOWN
