"""A published report as a Word document (.docx) -> Grid.

The main part, ``word/document.xml``, is read: its paragraphs and tables in body order (and
the styles part for how its text shows, rule 3).
The rules:

1. **Tables**: each ``<w:tbl>`` with no table nested in it is a data table (a table holding
   tables is layout; its own paragraphs are running text) — unless its cells are all short and
   look statistical (document.of_figures): a figure pasted into a cell as a table of its own
   leaves the statutory table a data table, the small table's text that cell's text. A row's cells take the grid columns
   their ``w:gridSpan`` says, after the ``w:gridBefore`` columns it skips; a cell continuing a
   vertical merge (``w:vMerge`` without ``restart``) or a legacy horizontal one (``w:hMerge``)
   is covered: None, as in a workbook, with the text in the merge's first cell (text typed in
   a covered cell is added to it on a line of its own, never dropped: V01); a continuing cell
   with no merge open above or before it is a cell of its own, as LibreOffice shows it. The
   ranges merged cells cover are the sheet's ``merges``, as a workbook's merged ranges are.
   A row deleted with changes tracked (``w:trPr/w:del``) is no row of its table; a cell deleted
   so (``w:cellDel``) is marked, never read (_deleted_cell). A cell showing no text but a
   picture, an object or a text box reads 「〔图片〕」… (V01), never blank (_embedded).
   A table split in two (Word's 拆分表格: the second right under the first, nothing but
   blank paragraphs or a 「续表」 mark between, the same grid columns) is one table: stacked
   as two, each would be aligned on its own widest row and its figures shifted.
2. **Text** is the ``w:t`` of runs (inserted text included, deleted text ``w:delText`` and
   field codes not: a field shows its result, a formula field without one is marked, _Field),
   ``w:tab``/``w:ptab`` as a space (a tab, where a table is typed as text: point 6),
   ``w:br``/``w:cr`` and paragraph ends as line breaks (a
   paragraph mark deleted with changes tracked joins its paragraph to the next); a phonetic
   guide (``w:rt``) is set off the line. Content controls (``w:sdt``) are read through; of a
   ``mc:AlternateContent`` (around paragraphs, tables or a run's text) only the branch Word
   shows is read: the first choice whose namespaces Word knows, else the fallback. A text
   box (``w:txbxContent``) floating over the page (``wp:anchor``) is no part of the line it
   is anchored in: its paragraphs are lines of running text of their own, so its digits never
   run into a figure in the cell; one set in the cell's line (``wp:inline``, a VML shape not
   positioned absolutely) shows beside the figure, which is then no figure (V01, quoting it). An
   equation (``m:oMath``) shows its text: a figure typed as one is read; one with structure
   (a fraction...) is shown as its pieces marked 〔公式：…〕, never one figure.
3. **Text a reader does not see is not read, and what a reader sees is read as shown**
   (``_run_text``, the one place that decides what a run shows):
   - hidden text: a run marked ``w:vanish`` or ``w:specVanish``, and text moved away
     (``w:moveFrom``: Word shows it at its new place, ``w:moveTo``);
   - struck text: a run marked ``w:strike`` or ``w:dstrike``. A struck figure is a corrected
     one: the figure read is the one left standing, as for a tracked deletion (``w:del``);
   - superscript and subscript (``w:vertAlign``), a run raised or lowered from the rest of
     its paragraph (``w:position``), and a footnote's mark (the run holding its
     ``w:footnoteReference``/``w:endnoteReference``), are read set off the line
     (document.off_the_line): 58 with a raised 1 is ``58¹``, no figure (V01 at that cell),
     never 581; a mark Word numbers itself shows as 〔脚注〕/〔尾注〕;
   - a paragraph Word numbers (``w:numPr``, its own or its style's) shows the label its list
     prints before it (``_list_labels``: 「1.」, 「（一）」, in the list's format, counted in
     document order): a row label typed without its number is still the label printed;
   - special characters are shown, never dropped: ``w:noBreakHyphen`` is U+2011 (5‑8 is not
     58), ``w:softHyphen`` shows nothing, ``w:sym`` is the character it shows (_symbol);
   - text Word draws otherwise than it is written is no figure (V01): in a picture font
     (Wingdings: U+FFFD each), set as 双行合一 (``w:eastAsianLayout w:combine``), in
     ``w:bdo``/``w:dir`` right to left (said with the direction's control characters), and a
     formula field to be recomputed when the file opens (``w:dirty``: quoted with the
     result stored); an equation's runs hide, strike and colour as a run of text does;
   - text a reader cannot see (_shows): in the colour of what is painted behind it (its
     highlight, its own shading, its paragraph's, its cell's, its table's, the page's
     ``w:background``; white on a white page; a theme colour, Background 1, is white), or
     under 4 pt (``w:sz`` under 8: specks, not
     digits). It still takes room on the line, so it reads as a space: 「5」, a white 「0」,
     「8」 is 「5 8」 (V01), never 508. ``auto`` colour is never hidden (Word turns it white
     on a dark background); where the background is not known (a table style's shading, a
     patterned shading, a text box) the text is read.
   Whether a run is hidden, struck, coloured or sized is its direct formatting over its
   character style, over its paragraph's style (each with its basedOn chain), over its
   table's style (its run properties; not its conditional ones for header rows and bands),
   over the document defaults (styles.xml, parsed once: _Looks); vanish and strike set by both the
   paragraph and the character style cancel, as in Word. Raised or lowered text is read from
   direct formatting over the character style over the paragraph style.
4. **Running text** (``Grid.text``): the paragraphs outside data tables, one per line.
5. **Tables elsewhere** (F02, _tables_elsewhere): a chunk of another document (``w:altChunk``)
   is refused naming its part; without statutory tables as text, an embedded object or
   pictures say where the tables may be. A Strict Open XML document is read as the same
   markup (_transitional).
6. **Tables typed as text** (_typed_tables): where no Word table holds a statutory label and
   the paragraphs hold the tables' labels (a table pasted as text, a row a paragraph, its
   cells apart by tabs or spaces), the paragraphs are read as the text reader reads a text
   (plaintext.py: by order, a row whose values cannot all be placed refused, never guessed),
   as a web page's ``<pre>`` is.

Safety: preflight has checked the whole container (sizes, compression ratio, no DTD in any
part). The part is inflated under the same discipline (preflight.read_body: bounded, refused
when it inflates beyond its declared size) and parsed with entities, DTDs and network off.
"""

from __future__ import annotations

import os
import re
import zipfile
from collections import Counter
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, NamedTuple

from nianbao.form.findings import OTHER_TABLES_FOUND, Rule
from nianbao.sources.document import (
    LAYOUT_LABELS,
    MAX_CELLS,
    MAX_COLSPAN,
    PROSE_CHARS,
    cell_text,
    continued_mark,
    document_grid,
    holds_statutory_words,
    indistinguishable,
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
from nianbao.sources.grid import CellValue, Grid, Merge, Rows
from nianbao.sources.looks import TINY_POINTS
from nianbao.sources.plaintext import text_tables
from nianbao.sources.preflight import (
    MAX_WORD_BODY_BYTES,
    WORD_BODY,
    UnreadableFile,
    read_body,
    unreadable,
    word_corrupt,
)

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
M = "{http://schemas.openxmlformats.org/officeDocument/2006/math}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
# Word's "Strict Open XML Document": the same markup under other namespaces (_transitional).
_STRICT = {
    "{http://purl.oclc.org/ooxml/wordprocessingml/main}": W,
    "{http://purl.oclc.org/ooxml/officeDocument/math}": M,
    "{http://purl.oclc.org/ooxml/officeDocument/relationships}": R,
}
# What a run's special elements show (w:t and w:sym aside).
_SHOWN = {
    f"{W}tab": "\t",  # a space in a cell or a line of text (cell_text); a cell's edge in a
    f"{W}ptab": "\t",  # table typed as text (_typed_tables)
    f"{W}br": "\n",
    f"{W}cr": "\n",
    f"{W}noBreakHyphen": "\u2011",  # shown as a hyphen: 5‑8 must not read as 58
    f"{W}softHyphen": "",  # shown only where a line breaks at it
    f"{W}pgNum": "〔页码〕",  # the page number, no figure of the table
}
_UNSEEN = (f"{W}vanish", f"{W}specVanish", f"{W}strike", f"{W}dstrike")
# A footnote's or endnote's mark as Word numbers it (1, 2 …; i, ii …): shown as what it is
_NOTE_MARKS = {f"{W}footnoteReference": "〔脚注〕", f"{W}endnoteReference": "〔尾注〕"}
_SET_ASIDE = frozenset({f"{W}del", f"{W}moveFrom"})
_BRANCHES = (f"{MC}Choice", f"{MC}Fallback")
_BOX = f"{W}txbxContent"  # a text box's content: paragraphs (and tables) of its own
_RUBY_TEXT = f"{W}rt"  # a phonetic guide, set above its base text
_FIELD = f"{W}fldChar"
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
        raise word_corrupt(path) from None
    _transitional(root)
    looks = _looks_of(path, root, parser)
    looks.labels = _list_labels(path, root, parser, looks)
    token = _LOOKS.set(looks)
    try:
        return _read(root, path)
    finally:
        _LOOKS.reset(token)


def _read(root, path: str | os.PathLike[str]) -> Grid:
    body = root.find(f"{W}body")
    tables: list[Rows] = []
    spans: list[list[Merge]] = []
    lines: list[str] = []
    budget = [0]
    # the grid of the last table while nothing but blank lines or 「续表」 follows it
    split_from: tuple[int, ...] | None = None
    pictures: list[int] = []  # for each picture in the running text, how many tables precede it
    typed: list[str] = []  # the paragraphs' lines as typed, tabs kept (_typed_tables)
    if body is not None:
        for kind, element in _blocks(body):
            boxes: list[str] = []  # the text boxes' lines, after the block they are in
            if kind == "table":
                merged: list[Merge] = []
                rows = _table(element, path, budget, merged, boxes)
                grid = _grid(element)
                if grid is not None and grid == split_from:
                    # one table split in two (Word's 拆分表格, to push rows to the next page):
                    # its columns are the first part's, so it reads as one table; stacked as a
                    # table of its own, it would be aligned on its own widest row instead
                    spans[-1] += [
                        ((top + len(tables[-1]), left), (bottom + len(tables[-1]), right))
                        for (top, left), (bottom, right) in merged
                    ]
                    tables[-1] = [*tables[-1], *rows]
                else:
                    spans.append(merged)
                    tables.append(rows)
            else:
                boxes.insert(0, _paragraph(element, boxes))
                typed += boxes[0].split("\n")
                if _embedded(element) == _AS_PICTURE:
                    pictures.append(len(tables))
                    split_from = None
            for line in boxes:
                text = cell_text(line)
                if text:
                    lines.append(text.replace("\n", " "))
                    if not continued_mark(text):
                        split_from = None
            if kind == "table":
                split_from = grid
        if (found := _typed_tables(tables, lines, typed)) is not None:
            return document_grid("text", found, "\n".join(lines), path, aligned=False)
        elsewhere = _tables_elsewhere(body, path, tables)
        if elsewhere is not None:
            raise unreadable(Rule.F02, path, elsewhere)
        _refuse_pictured(path, tables, pictures)
    return document_grid("docx", tables, "\n".join(lines), path, spans=spans)


def _typed_tables(tables: list[Rows], lines: list[str], typed: list[str]) -> list[Rows] | None:
    """The statutory tables typed as text, where no Word table holds them and the paragraphs
    hold their labels (a table pasted as text, its cells apart by tabs or spaces, a row a
    paragraph): read as the text reader reads that text (plaintext.py, by order; a row whose
    values cannot all be placed is refused there, never guessed). None otherwise."""
    texts = ("".join(str(value) for line in table for value in line if value) for table in tables)
    if any(holds_statutory_words(text) for text in texts):
        return None
    if labels_printed("\n".join(lines)) < LAYOUT_LABELS:
        return None
    found, _ = text_tables(typed)
    return found or None


def _grid(table) -> tuple[int, ...] | None:
    """The widths of the table's grid columns (``w:tblGrid``); None when any is not given."""
    widths = [column.get(f"{W}w") for column in table.findall(f"{W}tblGrid/{W}gridCol")]
    if not widths or not all(width and width.isdigit() for width in widths):
        return None
    return tuple(int(width) for width in widths if width)


def _transitional(root) -> None:
    """A Strict Open XML document's elements and attributes renamed into the (transitional)
    namespaces read here: the markup is the same, only its namespaces differ."""
    if not isinstance(root.tag, str) or not any(root.tag.startswith(ns) for ns in _STRICT):
        return
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        element.tag = _renamed(element.tag)
        for name in [name for name in element.attrib if name.startswith("{")]:
            renamed = _renamed(name)
            if renamed != name:
                element.set(renamed, element.attrib.pop(name))


def _renamed(name: str) -> str:
    for strict, transitional in _STRICT.items():
        if name.startswith(strict):
            return transitional + name[len(strict) :]
    return name


# Words every statutory table's labels hold one of (as html.py's): a document none of whose
# tables holds any has no statutory table as text.
_CHUNK = f"{W}altChunk"
_RELATIONSHIPS = "word/_rels/document.xml.rels"


def _tables_elsewhere(body, path: str | os.PathLike[str], tables: list[Rows]) -> str | None:
    """Why the statutory tables may not be read from the body, for F02; None when nothing
    says so. A chunk of another document (``w:altChunk``: a web page or Word file kept whole
    in the package, which Word turns into body text only when it opens and saves the file)
    is content the body does not hold: read without it, its tables would be missing or
    incomplete. Without statutory tables as text, an embedded object (an Excel table pasted
    as an object) or pictures say where the tables are."""
    for chunk in body.iter(_CHUNK):
        if not _set_aside(chunk, body):
            return (
                f"的部分内容嵌在文档包的另一部件中（{_chunk_part(path, chunk)}，“altChunk”），"
                "不在 Word 正文里，nianbao 不读取这部分内容，统计表可能就在其中。"
                "请用 Word 或 WPS 打开后另存为 .docx（保存时会转为正文中的普通表格）再试。"
            )
    texts = ("".join(str(value) for line in table for value in line if value) for table in tables)
    if any(holds_statutory_words(text) for text in texts):
        return None
    kinds = [
        _EMBEDDED[element.tag]
        for element in body.iter(*_EMBEDDED)
        if not _set_aside(element, body) and element.find(f".//{_BOX}") is None
    ]
    if "嵌入的对象" in kinds:
        return (
            "中没有可读取的统计表：表格可能是嵌入的对象（如粘贴进来的 Excel 表格），"
            "nianbao 不读取嵌入对象。请在 Word 中把它转换为普通表格（或选择性粘贴为“带格式文本”）"
            "后另存为 .docx，或直接报送 Excel 工作簿。"
        )
    if kinds:
        return (
            f"中没有可读取的统计表，文档中有 {len(kinds)} 张图片：统计表可能是以图片形式插入的。"
            "nianbao 不做文字识别，请提供表格为文字的 Word、网页、PDF 或 Excel 版本。"
        )
    return None


_AS_PICTURE = "〔图片〕"


def _refuse_pictured(path: str | os.PathLike[str], tables: list[Rows], pictures: list[int]) -> None:
    """L01 saying so where some statutory tables are text and a missing one is not, with a
    picture where it would stand (表三 pasted as a screenshot between 表二 and 表四; before
    the tables for 表二, after them for 表四): the reader's L01 would say only which labels it
    misses. ``pictures``: how many tables precede each picture in the running text."""
    texts = ["".join(str(value) for line in table for value in line if value) for table in tables]
    missing = tables_not_printed(texts)
    statutory = [n for n, text in enumerate(texts) if holds_statutory_words(text)]
    if not statutory or not missing or len(missing) == 3:
        return
    shorts = {short for short, _ in missing}
    first, last = statutory[0], statutory[-1] + 1  # a picture after ``last`` tables is after them
    if any(
        first < at < last or ("表二" in shorts and at <= first) or ("表四" in shorts and at >= last)
        for at in pictures
    ):
        found = [short for short, title in statutory_tables() if (short, title) not in missing]
        raise unreadable(
            Rule.L01,
            path,
            tables_as_pictures(missing, None),
            **{OTHER_TABLES_FOUND: "、".join(found)},
        )


def _chunk_part(path: str | os.PathLike[str], chunk) -> str:
    """The package part a ``w:altChunk`` refers to (「word/afchunk.htm」), as named in a
    message; 「altChunk」 when the relationships part does not say."""
    wanted = chunk.get(f"{R}id")
    return next(
        (_part(target) for ident, _, target in _relationships(path) if ident == wanted),
        "嵌入的文档块",
    )


def _relationships(path: str | os.PathLike[str]) -> list[tuple[str, str, str]]:
    """(id, type, target) of the main part's relationships; none when they cannot be read."""
    from lxml import etree

    try:
        rels = etree.fromstring(
            read_body(path, _RELATIONSHIPS, MAX_WORD_BODY_BYTES),
            parser=etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False),
        )
    except (UnreadableFile, etree.XMLSyntaxError, ValueError):
        return []
    return [
        (relationship.get("Id") or "", relationship.get("Type") or "", target)
        for relationship in rels
        if (target := relationship.get("Target"))
    ]


def _part(target: str) -> str:
    """A relationship's target as the part's name in the package (「word/styles.xml」)."""
    target = target.lstrip("/")
    return target if target.startswith("word/") else f"word/{target}"


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
    a table's cells one after another. A paragraph whose mark was deleted with changes
    tracked runs on into the next one (「7」¶「3」 with the ¶ deleted shows 73)."""
    pending = ""
    fields: list[_Field] = []  # a field's code may run on over paragraphs of the cell
    for child in _content(container):
        if child.tag == f"{W}p":
            text = pending + _paragraph(child, boxes, fields)
            pending = text if _mark_deleted(child) else ""
            if not pending:
                yield text
        elif child.tag == f"{W}tbl":
            if pending:
                yield pending
                pending = ""
            for row in _rows(child):
                for cell in _content(row):
                    if cell.tag == f"{W}tc":
                        yield from _lines(cell, boxes)
    if pending:
        yield pending


def _mark_deleted(paragraph) -> bool:
    """Whether the paragraph's mark was deleted (or moved away) with changes tracked, or is
    hidden (``w:vanish``): either way Word shows the paragraph run on into the next."""
    mark = paragraph.find(f"{W}pPr/{W}rPr")
    return mark is not None and (
        any(mark.find(tag) is not None for tag in (f"{W}del", f"{W}moveFrom"))
        or _is_on(mark.find(f"{W}vanish"))
    )


def _content(container) -> Iterator:
    """Children, with content controls and alternate content read through."""
    for child in container:
        if child.tag == f"{W}sdt":
            inner = child.find(f"{W}sdtContent")
            if inner is not None:
                yield from _content(inner)
        elif child.tag == f"{MC}AlternateContent":
            branch = _branch(child)
            if branch is not None:
                yield from _content(branch)
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
    widths: list[int] = []  # the grid columns each row takes, its gridAfter included
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
            c, last = len(line), len(line) + width - 1
            text = _cell(cell, boxes)
            # A continuing cell with no merge open before it (none above it in its column, no
            # restart before it in its row) is a cell of its own, as Word and LibreOffice show it.
            if hmerge is not None and hmerge.get(f"{W}val") != "restart" and beside is not None:
                beside[3] = last
                _run_on(line, beside[1], text)
                text = None
            elif vmerge is not None and vmerge.get(f"{W}val") != "restart" and c in below:
                beside = None
                merged = below[c]
                merged[2] = r
                merged[3] = max(merged[3], last)
                opened[c] = merged
                _run_on(rows[merged[0]], merged[1], text)
                text = None
            else:
                merged = [r, c, r, last]
                ranges.append(merged)
                if vmerge is not None:
                    opened[c] = merged
                beside = merged if hmerge is not None else None
            line.append(text)
            line.extend([None] * (width - 1))
        below = opened
        budget[0] += len(line)
        if budget[0] > MAX_CELLS:
            raise too_many_cells(path)
        rows.append(line)
        widths.append(len(line) + _int_attr(row, f"{W}trPr/{W}gridAfter"))
    _mark_misaligned(rows, widths, len(table.findall(f"{W}tblGrid/{W}gridCol")))
    if spans is not None:
        spans += [
            ((top, left), (bottom, right))
            for top, left, bottom, right in ranges
            if bottom > top or right > left
        ]
    return rows


# A row whose cells take more or fewer grid columns than the table has (a cell's gridSpan
# too wide, a cell lost): Word draws its later cells off their columns, so which column a
# figure is in cannot be told (V01 at each of the row's figures, never a neighbour's read).
_MISALIGNED_SAID = "〔这一行的单元格与表格的列对不齐（Word 中此行错位），数字所属的列无法确定〕"


def _mark_misaligned(rows: Rows, widths: list[int], grid: int) -> None:
    """Mark the figures of each row whose width is not the table grid's ``grid`` columns,
    where most rows take exactly those (a grid no row fills says nothing of any row); and of
    each row whose cells end short of the grid (a ``gridAfter`` fills the rest) where most
    rows' cells reach its end: Word draws that row's cells a column off the others."""
    if not grid or 2 * sum(width == grid for width in widths) <= len(widths):
        return
    ends_short = 2 * sum(len(line) == grid for line in rows) > len(rows)
    for line, width in zip(rows, widths, strict=True):
        if width != grid or (ends_short and len(line) < grid):
            for c, value in enumerate(line):
                if isinstance(value, str) and may_be_figure(value):
                    line[c] = _MISALIGNED_SAID + value


def _run_on(line: list[CellValue], c: int, text: str | None) -> None:
    """Add the text of a cell continuing a merge to the merge's first cell, on a line of its
    own: a figure typed into the covered part is never dropped in silence (the merged cell
    then holds two things, and no figure is read from it: V01)."""
    if text is not None:
        first = line[c]
        line[c] = text if first is None else f"{first}\n{text}"


def _int_attr(element, path: str) -> int:
    found = element.find(path)
    if found is None:
        return 0
    try:
        return max(0, min(int(found.get(f"{W}val", "1")), MAX_COLSPAN))
    except ValueError:
        return 1


def _cell(cell, boxes: list[str]) -> str | None:
    """The cell's text; one that shows no text but a picture, an embedded object or a text
    box reads as what it shows (「〔图片〕」…: V01 at that cell), never as a blank counted
    as 0; a cell deleted with changes tracked is marked so (_deleted_cell)."""
    text = cell_text("\n".join(_lines(cell, boxes)))
    inline = _inline_boxes(cell)
    if text is not None and may_be_figure(text) and any(ch.isdigit() for ch in inline):
        text += f"〔单元格中的文本框：{inline}〕"  # set in the line beside the figure: no figure
    if text is None:
        text = _embedded(cell) or _struck_figure(cell)
    elif may_be_figure(text) and any(
        sdt.find(f"{W}sdtPr/{W}dataBinding") is not None for sdt in cell.iter(f"{W}sdt")
    ):  # Word shows what the document's data holds there, which may not be what is cached
        text = f"〔内容控件绑定到文档数据，Word 显示的可能是另一个数：{text}〕"
    properties = cell.find(f"{W}tcPr")
    if properties is not None and properties.find(f"{W}cellDel") is not None:
        return _deleted_cell(text)
    return text


_WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
_VML_SHAPES = frozenset(
    f"{{urn:schemas-microsoft-com:vml}}{name}" for name in ("shape", "rect", "roundrect", "oval")
)


def _inline_boxes(cell) -> str:
    """The text of the text boxes set in a line of the cell (``wp:inline``, or a VML shape
    not positioned absolutely), which Word shows beside the text there: 39 and a box holding
    5 show 395. A floating box (``wp:anchor``) may stand anywhere: its text is running text."""
    texts = []
    for box in cell.iter(_BOX):
        if _set_aside(box, cell):
            continue
        parent = box.getparent()
        while parent is not None and parent is not cell:
            if parent.tag == f"{_WP}inline" or (
                parent.tag in _VML_SHAPES
                and "absolute" not in (parent.get("style") or "").replace(" ", "")
            ):
                texts.append("".join(t.text or "" for t in box.iter(f"{W}t")))
                break
            if parent.tag == f"{_WP}anchor":
                break
            parent = parent.getparent()
    return " ".join(text for text in texts if text.strip())


# What a cell shows that is not text, as a reader would name it (html.py names a web page's).
_EMBEDDED = {f"{W}drawing": "图片", f"{W}pict": "图片", f"{W}object": "嵌入的对象"}


def _embedded(cell) -> str | None:
    """「〔图片〕」, 「〔嵌入的对象〕」 or 「〔文本框〕」 for a cell showing one (not in a
    fallback, deleted, moved away or in a hidden run), else None."""
    for element in cell.iter(*_EMBEDDED):
        run = element.getparent()
        if _set_aside(element, cell) or (run is not None and _unseen(run)):
            continue
        if element.find(f".//{_BOX}") is not None:
            return "〔文本框〕"
        return f"〔{_EMBEDDED[element.tag]}〕"
    return None


def _struck_figure(cell) -> str | None:
    """「〔只有划去的数字：741〕」 for a cell showing nothing but a figure struck through
    (``w:strike``/``w:dstrike``, its own or its styles'): the figure struck is a corrected
    one, but with nothing written in its place the cell is no blank to read as 0 (V01 at it)."""
    struck = []
    for paragraph in cell.iter(f"{W}p"):
        where = _Where(paragraph)
        for run in paragraph.iter(f"{W}r"):
            if not _set_aside(run, cell) and _struck_through(run, where):
                struck.append("".join(t.text or "" for t in run.iter(f"{W}t")))
    return struck_only("".join(struck))


def _struck_through(run, where: _Where) -> bool:
    """Whether ``run`` is struck through and not hidden: by its own formatting over its
    character style's and its paragraph style's."""
    properties = run.find(_RPR)
    named = properties.find(f"{W}rStyle") if properties is not None else None
    styled = _looks().styled(
        where.style, None if named is None else named.get(f"{W}val"), where.table
    )

    def on(tag: str) -> bool:
        own = properties.find(tag) if properties is not None else None
        return _is_on(own) if own is not None else _on(styled.get(tag))

    hidden = on(f"{W}vanish") or on(f"{W}specVanish")
    return not hidden and (on(f"{W}strike") or on(f"{W}dstrike"))


def _deleted_cell(text: str | None) -> str:
    """A cell deleted with changes tracked (``w:cellDel``) but not yet accepted: Word still
    shows it in place, and accepting moves every cell after it one column left. Which column
    the figures belong to cannot be told, so the cell is marked (V01 at it), never read."""
    return f"〔修订中已删除的单元格：{text}〕" if text else "〔修订中已删除的单元格〕"


def _paragraph(paragraph, boxes: list[str], fields: list[_Field] | None = None) -> str:
    """The paragraph's text as shown on its line. A text box anchored in it is no part of the
    line (a box drawn beside or over it: its digits are never run into a figure): its lines
    are added to ``boxes``. An equation (OMML) shows its text (_equation); a field shows its
    result, never its code (_Field); a phonetic guide (ruby) is set off the line."""
    parts: list[str] = []
    if fields is None:
        fields = []  # the complex fields open at this point of the line
    ends: list = []  # simple fields to be recomputed on opening, their stored result being read
    where = _Where(paragraph)
    label = _looks().labels.get(paragraph)
    if label:
        parts.append(label)
    for element in paragraph.iter(f"{W}r", f"{M}oMath", _BOX, f"{W}fldSimple"):
        if _set_aside(element, paragraph, _IN_PARAGRAPH):
            continue
        while ends and not _inside(element, ends[-1]):
            parts.append(_STORED_ENDS)
            ends.pop()
        if element.tag == _BOX:
            boxes.extend(_lines(element, boxes))
        elif element.tag == f"{W}r":  # in a field's code too: its field marks count
            text = _reordered(element, paragraph, _run_text(element, fields, where))
            ruby = _set_aside(element, paragraph, frozenset({_RUBY_TEXT}))
            parts.append(off_the_line(text, True) if ruby else text)
        elif not _showing(fields):
            continue  # in a field's code
        elif element.tag == f"{M}oMath":
            parts.append(_equation(element))
        elif element.find(f".//{W}t") is None:  # a simple field with no result
            parts.append(_without_result(element.get(f"{W}instr") or ""))
        elif _is_on_attribute(element, "dirty") and _is_formula(element.get(f"{W}instr")):
            instruction = " ".join((element.get(f"{W}instr") or "").split())
            parts.append(_RECOMPUTED.format(instruction))
            ends.append(element)  # its stored result (its runs) is read, then the mark closed
    parts += [_STORED_ENDS] * len(ends)
    return _stored_results("".join(parts))


@dataclass
class _Field:
    """A complex field (``w:fldChar`` begin … separate … end): what runs between its begin
    and its separator is its code (an instruction, nested fields' results included), what
    runs after the separator is its result, the one thing a reader sees."""

    code: list[str] = field(default_factory=list)
    result: bool = False
    dirty: bool = False  # to be updated when the document opens: its result is not what shows


def _showing(fields: list[_Field]) -> bool:
    """Whether text at this point shows: outside every open field's code."""
    return all(open_field.result for open_field in fields)


def _field_mark(mark, fields: list[_Field]) -> str:
    """Follow a ``w:fldChar``; what it shows: only a formula field ended without a result."""
    kind = mark.get(f"{W}fldCharType")
    if kind == "begin":
        fields.append(_Field(dirty=_is_on_attribute(mark, "dirty")))
    elif kind == "separate" and fields:
        fields[-1].result = True
        if fields[-1].dirty and _is_formula(code := "".join(fields[-1].code)):
            return _RECOMPUTED.format(" ".join(code.split()))
    elif kind == "end" and fields:
        ended = fields.pop()
        if not ended.result and _showing(fields):
            return _without_result("".join(ended.code))
        if ended.dirty and ended.result and _is_formula("".join(ended.code)):
            return _STORED_ENDS
    return ""


# A formula field marked to be updated when the document opens (``w:dirty``): Word shows what
# it computes then, not the result stored (no figure: V01 at its cell, quoting both).
_RECOMPUTED = "〔打开文档时会重新计算的公式 {}，文件中存的结果："
_STORED_ENDS = "\x01"  # in a paragraph's parts: where such a field's stored result ends


def _stored_results(text: str) -> str:
    return text.replace(_STORED_ENDS, "〕")


def _inside(element, container) -> bool:
    parent = element.getparent()
    while parent is not None:
        if parent is container:
            return True
        parent = parent.getparent()
    return False


def _is_formula(code: str | None) -> bool:
    return (code or "").strip().startswith("=")


def _is_on_attribute(element, name: str) -> bool:
    """Whether an on/off attribute (``w:dirty``) of ``element`` is there and on."""
    value = element.get(f"{W}{name}")
    return value is not None and value.strip().lower() not in _OFF


def _without_result(code: str) -> str:
    """What a field the file holds no result for shows: a formula (=SUM(ABOVE), or an IF or
    QUOTE field computing one) is marked
    (no figure: V01 at its cell), since Word computes it only when fields are updated and
    a blank read as 0 would be a wrong figure in silence; other fields show nothing."""
    code = " ".join(code.split())
    computes = code.startswith("=") or code.split(" ", 1)[0].upper() in _COMPUTING_FIELDS
    return f"〔未计算的公式：{code}〕" if computes else ""


# Fields that compute what they show, a formula among them (IF 1 = 1 "=SUM(ABOVE)" …)
_COMPUTING_FIELDS = frozenset({"IF", "QUOTE", "COMPARE"})


# What a paragraph's own text leaves to others: text boxes (read on their own) and equations
# (read whole, by _equation).
_IN_PARAGRAPH = _SET_ASIDE | {_BOX, f"{M}oMath"}


def _set_aside(element, paragraph, aside: frozenset[str] = _SET_ASIDE) -> bool:
    """Whether the element is not in the paragraph's text as shown: in a branch of alternate
    content Word does not show (_branch), deleted or moved away; or in ``aside`` elements that
    are read on their own."""
    parent = element.getparent()
    while parent is not None and parent is not paragraph:
        if parent.tag in aside:
            return True
        if parent.tag in _BRANCHES and _branch(parent.getparent()) is not parent:
            return True
        parent = parent.getparent()
    return False


# Namespaces Word knows, which an mc:Choice may require: its own, Office's, VML's
_KNOWN_NAMESPACES = (
    "http://schemas.microsoft.com/office/",
    "http://schemas.openxmlformats.org/",
    "urn:schemas-microsoft-com:",
)


# Prefixes Word writes for its own namespaces, known by name where a file leaves one undeclared
_KNOWN_PREFIXES = frozenset(
    "w14 w15 w16 w16se w16cid w16cex w16sdtdh wps wpg wpc wp14 wpi m v o w10 a14 mc".split()
)


def _known(branch, prefix: str) -> bool:
    uri = branch.nsmap.get(prefix)
    return uri.startswith(_KNOWN_NAMESPACES) if uri else prefix in _KNOWN_PREFIXES


def _branch(alternate):
    """The branch of ``mc:AlternateContent`` Word shows: the first ``mc:Choice`` whose
    required namespaces it knows, else the ``mc:Fallback`` (None: neither). Only that one:
    two choices read both, and a choice for a namespace Word does not know is not shown."""
    if alternate is None:
        return None
    for branch in alternate:
        if branch.tag == f"{MC}Fallback":
            return branch
        if branch.tag != f"{MC}Choice":
            continue
        required = (branch.get("Requires") or "").split()
        if required and all(_known(branch, prefix) for prefix in required):
            return branch
    return None


def _equation(math) -> str:
    """An equation's text as shown (its runs hidden, struck or invisible as a run of text is).
    A plain one (a figure typed in an equation) is its text;
    one with structure (a fraction, a power, a root...) is shown as its pieces, marked as an
    equation, so that 1 over 2 is never read as the figure 12."""
    pieces = []
    for element in math.iter(f"{M}t", f"{W}t"):
        if not (text := element.text) or _set_aside(element, math):
            continue
        run = element.getparent()  # an m:r (or a w:r) with Word's run formatting
        shows = _showing_run(run) if run is not None and run.find(_RPR) is not None else _READ
        if shows is _GONE:
            continue  # hidden or struck, as in a run of text
        pieces.append(text if shows is _READ else " ")  # invisible: it keeps its room
    plain = all(
        child.tag in (f"{M}r", f"{M}ctrlPr", f"{W}ins") or not isinstance(child.tag, str)
        for child in math
    )
    if plain:
        return "".join(pieces)
    return "〔公式：" + " ".join(pieces) + "〕"


def _run_text(run, fields: list[_Field] | None = None, where: _Where | None = None) -> str:
    """The text ``run`` shows (_showing_run): none when hidden or struck, a space where it is
    invisible but takes room, set off the line when superscript or subscript (or a footnote's
    mark). Its field marks and field code are followed in ``fields`` (hidden or not: they
    still open and close fields)."""
    if fields is None:
        fields = []
    shows = _showing_run(run, where)
    parts: list[str] = []
    raised: bool | None = None
    for element in _content(run):
        if element.tag == _FIELD:
            parts.append(_field_mark(element, fields))
        elif not _showing(fields):
            if element.tag in (f"{W}instrText", f"{W}t") and fields:
                fields[-1].code.append(element.text or "")
        elif element.tag == f"{W}t":
            parts.append(element.text or "")
        elif element.tag == f"{W}sym":
            parts.append(_symbol(element))
        elif element.tag in _NOTE_MARKS:
            raised = True  # its style (not read) raises the mark
            if not _is_on_attribute(element, "customMarkFollows"):
                parts.append(_NOTE_MARKS[element.tag])  # Word numbers it: a mark, no digit
        else:
            parts.append(_SHOWN.get(element.tag, ""))
    if shows is _GONE:
        return ""
    text = "".join(parts)
    if shows is _ROOM:
        # invisible text keeps its room on the line: 「5」, a white 「0」, 「8」 shows as 「5 8」
        return _NOT_A_BREAK.sub(" ", text)
    properties = run.find(_RPR)
    if properties is not None:
        text = _as_drawn(properties, text)
    return text if (raised := _raised(run, raised, where)) is None else off_the_line(text, raised)


# Fonts whose letters and digits are pictures: Word shows a digit typed in them as a symbol
_PICTURE_FONTS = frozenset({"wingdings", "wingdings 2", "wingdings 3", "webdings", "marlett"})


def _as_drawn(properties, text: str) -> str:
    """A run's text as its own formatting draws it: in a picture font (Wingdings) its
    characters are symbols, no digits (U+FFFD each); set as 双行合一 (two lines in one,
    ``w:eastAsianLayout w:combine``) it is marked so, never one figure."""
    fonts = properties.find(f"{W}rFonts")
    if fonts is not None and any(
        (fonts.get(f"{W}{script}") or "").strip().lower() in _PICTURE_FONTS
        for script in ("ascii", "hAnsi")
    ):
        text = "".join(ch if ch.isspace() else _UNKNOWN for ch in text)
    layout = properties.find(f"{W}eastAsianLayout")
    if layout is not None and _is_on_attribute(layout, "combine") and text.strip():
        text = f"〔双行合一：{text}〕"
    return text


def _reordered(run, paragraph, text: str) -> str:
    """``text`` of a run inside ``w:bdo``/``w:dir`` set right to left: its characters may show
    in another order (「395」 shows 593), said with the direction's control characters, which
    the reader marks (V01), as it does those typed in the text."""
    parent = run.getparent()
    while parent is not None and parent is not paragraph:
        if parent.tag in _DIRECTIONS and (parent.get(f"{W}val") or "").strip().lower() == "rtl":
            return _DIRECTIONS[parent.tag] + text + "\u202c" if text else text
        parent = parent.getparent()
    return text


_DIRECTIONS = {f"{W}bdo": "\u202e", f"{W}dir": "\u202b"}  # an override, an embedding


def _raised(run, note_mark: bool | None, where: _Where | None) -> bool | None:
    """Whether a run is set above the line (True), below it (False) or on it (None): by
    superscript or subscript (``w:vertAlign``), by a position raised or lowered from the rest
    of its paragraph's (``w:position``: a small 1 raised after 1234 is no fifth digit; a
    paragraph raised whole is on its line), or as a note's mark; each by the run's own
    formatting, else by its character style's or its paragraph style's."""
    alignment, position = _lift(run, where)
    if alignment in _RAISED:
        return _RAISED[alignment]
    shift = position - (where.line if where is not None else 0)
    return note_mark if not shift else shift > 0


def _lift(run, where: _Where | None) -> tuple[str | None, float]:
    """A run's vertical alignment (「superscript」…, None) and position (half-points up): its
    own formatting's, else its styles'."""
    properties = run.find(_RPR)
    alignment = properties.find(f"{W}vertAlign") if properties is not None else None
    position = properties.find(f"{W}position") if properties is not None else None
    if (alignment is None or position is None) and where is not None:
        named = properties.find(f"{W}rStyle") if properties is not None else None
        styled = _looks().lift(where.style, None if named is None else named.get(f"{W}val"))
    else:
        styled = (None, 0.0)
    return (
        styled[0] if alignment is None else alignment.get(f"{W}val"),
        styled[1] if position is None else _half_points_up(position),
    )


def _half_points_up(position) -> float:
    """A ``w:position``: how far it raises (lowers, when negative) its text, in half-points."""
    found = _SIGNED.match(position.get(f"{W}val") or "")
    return float(found.group()) if found else 0


def _unseen(run) -> bool:
    """Whether the run is hidden or struck (its pictures do not show either)."""
    return _showing_run(run) is _GONE


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


# -- what Word shows: styles, colours, sizes -------------------------------------------------------
#
# A run's look is its direct formatting over its character style, over its paragraph's style,
# over the document defaults (styles.xml, each style with its basedOn chain). Only what hides
# text is resolved: hidden (vanish), struck, colour, size, shading and highlight.

_Colour = tuple[int, int, int]
_WHITE: _Colour = (255, 255, 255)  # the page, unless the document gives it a colour
_W14 = "{http://schemas.microsoft.com/office/word/2010/wordml}"
# Effects that draw a letter's edges or a shade around it in colours of their own: text in the
# colour of its background shows all the same (Word's white embossed or shadowed text)
_DRAWN = (
    *(f"{W}{name}" for name in ("emboss", "imprint", "shadow")),
    *(f"{_W14}{name}" for name in ("textOutline", "shadow", "glow", "reflection", "props3d")),
)
_LOOKED_AT = frozenset(
    (
        *(f"{W}{name}" for name in ("vanish", "specVanish", "strike", "dstrike", "color")),
        *(f"{W}{name}" for name in ("sz", "shd", "highlight", "szCs", "cs", "rtl")),
        *_DRAWN,
    )
)
# Toggles: set by both the paragraph style and the character style, they are off (ECMA-376
# 17.7.3: bold paragraph style + bold character style shows plain); direct formatting decides.
_TOGGLES = (f"{W}vanish", f"{W}strike")
_TINY = round(TINY_POINTS * 2)  # in half-points, as w:sz is
_HIGHLIGHT: dict[str, _Colour] = {
    "black": (0, 0, 0), "blue": (0, 0, 255), "cyan": (0, 255, 255), "green": (0, 255, 0),
    "magenta": (255, 0, 255), "red": (255, 0, 0), "yellow": (255, 255, 0),
    "white": (255, 255, 255), "darkBlue": (0, 0, 128), "darkCyan": (0, 128, 128),
    "darkGreen": (0, 128, 0), "darkMagenta": (128, 0, 128), "darkRed": (128, 0, 0),
    "darkYellow": (128, 128, 0), "darkGray": (128, 128, 128), "lightGray": (192, 192, 192),
}  # fmt: skip
_PPR, _RPR, _SHD = f"{W}pPr", f"{W}rPr", f"{W}shd"
_HEX_COLOUR = re.compile(r"[0-9A-Fa-f]{6}")
_NOT_A_BREAK = re.compile(r"[^\n]+")
_SIGNED = re.compile(r"\s*[-+]?\d+(\.\d+)?")


class _Nothing(Enum):
    CLEAR = 0  # a shading that paints nothing: what is behind shows through


_CLEAR = _Nothing.CLEAR
_Paint = _Colour | _Nothing | None  # None: painted, but in a colour not worked out
_MAX_BASED_ON = 32  # a chain of styles longer than this is no document's (or a loop)
# How a run shows: read, not read and taking no room (hidden, struck: a corrected figure),
# not seen but taking room (white on white, too small to read).
_READ, _GONE, _ROOM = "read", "gone", "room"


@dataclass
class _Looks:
    """The document's styles (styles.xml, parsed once) and page colour."""

    page: _Colour | None = _WHITE
    # the label Word's list numbering prints before each numbered paragraph (「1.」, 「（一）」)
    labels: dict[Any, str] = field(default_factory=dict)
    styles: dict[tuple[str, str], Any] = field(default_factory=dict)  # (type, id) -> w:style
    defaults: dict[str, object] = field(default_factory=dict)  # docDefaults' run properties
    default_paragraph: str | None = None
    default_table: str | None = None
    _styled: dict[tuple[str | None, str | None, str | None], dict[str, object]] = field(
        default_factory=dict
    )
    _shading: dict[str | None, object] = field(default_factory=dict)  # paragraph style's
    _shaded: dict[str | None, bool] = field(default_factory=dict)  # table style's
    _behind: dict[object, _Colour | None] = field(default_factory=dict)  # a cell's, a table's
    _looks: dict[tuple[str | None, str | None, str | None], _Look] = field(default_factory=dict)
    _lifts: dict[tuple[str | None, str | None], tuple[str | None, float]] = field(
        default_factory=dict
    )
    own: dict[tuple, _Look] = field(default_factory=dict)  # with properties of the run's own

    def chain(self, kind: str, ident: str | None) -> Iterator:
        """The style ``ident`` of ``kind`` and those it is based on, nearest first."""
        seen: set[str] = set()
        while ident and ident not in seen and len(seen) < _MAX_BASED_ON:
            seen.add(ident)
            style = self.styles.get((kind, ident))
            if style is None:
                return
            yield style
            based = style.find(f"{W}basedOn")
            ident = based.get(f"{W}val") if based is not None else None

    def nearest(self, kind: str, ident: str | None, path: str) -> dict[str, object]:
        """The properties under ``path`` (``w:rPr``...) the style sets, nearest first."""
        found: dict[str, object] = {}
        for style in self.chain(kind, ident):
            properties = style.find(path)
            if properties is not None:
                for child in properties:
                    if child.tag in _LOOKED_AT:
                        found.setdefault(child.tag, child)
        return found

    def styled(
        self, paragraph: str | None, character: str | None, table: str | None = None
    ) -> dict[str, object]:
        """What the styles give a run of ``character`` style in a ``paragraph`` style, in a
        table of ``table`` style (its run properties under the paragraph style's, over the
        document defaults): toggles as True/False, the rest as their elements."""
        key = (paragraph, character, table)
        if key not in self._styled:
            tabled = self.nearest("table", table, f"{W}rPr") if table else {}
            levels = [
                self.nearest("paragraph", paragraph, f"{W}rPr"),
                self.nearest("character", character, f"{W}rPr"),
            ]
            looks: dict[str, object] = {
                tag: _is_on(element) if tag in _TOGGLES else element
                for tag, element in self.defaults.items()
            }
            for level in (tabled, *levels):
                for tag, element in level.items():
                    if tag not in _TOGGLES:
                        looks[tag] = element  # the character style's over the paragraph's
            for tag in _TOGGLES:
                set_by = [_is_on(level[tag]) for level in levels if tag in level]
                if set_by:
                    looks[tag] = sum(set_by) % 2 == 1
                elif tag in tabled:
                    looks[tag] = _is_on(tabled[tag])
            self._styled[key] = looks
        return self._styled[key]

    def lift(self, paragraph: str | None, character: str | None) -> tuple[str | None, float]:
        """The vertical alignment and position (``_lift``) a run of ``character`` style in a
        ``paragraph`` style has from them: the character style's over the paragraph's."""
        key = (paragraph, character)
        if key not in self._lifts:
            alignment: str | None = None
            position: float | None = None
            for kind, ident in (("character", character), ("paragraph", paragraph)):
                for style in self.chain(kind, ident):
                    properties = style.find(f"{W}rPr")
                    if properties is None:
                        continue
                    if (
                        alignment is None
                        and (found := properties.find(f"{W}vertAlign")) is not None
                    ):
                        alignment = found.get(f"{W}val")
                    if position is None and (found := properties.find(f"{W}position")) is not None:
                        position = _half_points_up(found)
            self._lifts[key] = (alignment, position or 0.0)
        return self._lifts[key]

    def look(self, paragraph: str | None, character: str | None, table: str | None = None) -> _Look:
        """How a run of ``character`` style in a ``paragraph`` style (in a table of ``table``
        style), with no properties of its own that hide, shows before its background."""
        key = (paragraph, character, table)
        if key not in self._looks:
            self._looks[key] = _look(self.styled(paragraph, character, table))
        return self._looks[key]

    def table_style(self, paragraph) -> str | None:
        """The style of the innermost table ``paragraph`` is in (the default table style for
        a table naming none); None outside tables."""
        parent = paragraph.getparent() if paragraph is not None else None
        while parent is not None and parent.tag != f"{W}tbl":
            parent = parent.getparent()
        if parent is None:
            return None
        named = parent.find(f"{W}tblPr/{W}tblStyle")
        return named.get(f"{W}val") if named is not None else self.default_table

    def paragraph_style(self, paragraph) -> str | None:
        named = _property(paragraph, _PPR, f"{W}pStyle")
        ident = named.get(f"{W}val") if named is not None else None
        return ident if ("paragraph", ident) in self.styles else self.default_paragraph

    def behind(self, element) -> _Colour | None:
        """What is painted behind the content of ``element`` (a cell, a table...): its
        shading, else what is behind it, out to the page (each cell and table worked out once)."""
        if element is None:
            return self.page
        if element in self._behind:
            return self._behind[element]
        painted: _Paint = _CLEAR
        if element.tag == f"{W}tc":
            painted = _fill(_property(element, f"{W}tcPr", _SHD))
        elif element.tag == f"{W}tbl":
            painted = _fill(_property(element, f"{W}tblPr", _SHD))
            if painted is _CLEAR and self.shades_tables(element):
                painted = None
        elif element.tag == _BOX:
            painted = None  # a text box's fill is the drawing's: not worked out
        elif element.tag == f"{W}body":
            painted = self.page
        found = self.behind(element.getparent()) if painted is _CLEAR else painted
        self._behind[element] = found
        return found

    def shades_tables(self, table) -> bool:
        """Whether the table's style (or the default one) shades any of its cells: a dark
        header row or banded rows, which nianbao does not work out."""
        named = table.find(f"{W}tblPr/{W}tblStyle")
        ident = named.get(f"{W}val") if named is not None else self.default_table
        if ident not in self._shaded:
            self._shaded[ident] = any(
                _fill(shading) not in (_CLEAR, _WHITE)
                for style in self.chain("table", ident)
                for shading in style.iter(f"{W}shd")
            )
        return self._shaded[ident]

    def shading(self, paragraph: str | None):
        """The ``w:shd`` the paragraph style gives its paragraphs (None: none)."""
        if paragraph not in self._shading:
            self._shading[paragraph] = self.nearest("paragraph", paragraph, f"{W}pPr").get(
                f"{W}shd"
            )
        return self._shading[paragraph]


# The looks of the document being read (read_docx sets them): without, a plain white page.
_LOOKS: ContextVar[_Looks | None] = ContextVar("docx_looks", default=None)


def _looks() -> _Looks:
    return _LOOKS.get() or _Looks()


class _Where:
    """What a paragraph's runs show against: its style, and what is painted behind it (worked
    out only for a run with a colour of its own: most have none)."""

    def __init__(self, paragraph) -> None:
        self.paragraph = paragraph
        self.style = _looks().paragraph_style(paragraph) if paragraph is not None else None
        self.table = _looks().table_style(paragraph)  # its run properties apply too
        self._background: _Paint = _CLEAR
        self._line: float | None = None

    @property
    def line(self) -> float:
        """The position most of the paragraph's text is printed at: the line a run is raised
        or lowered from."""
        if self._line is None:
            weights: Counter[float] = Counter()
            for run in self.paragraph.iter(f"{W}r") if self.paragraph is not None else ():
                shown = sum(len(t.text or "") for t in run.iter(f"{W}t"))
                weights[_lift(run, self)[1]] += shown
            self._line = weights.most_common(1)[0][0] if weights else 0
        return self._line

    @property
    def background(self) -> _Colour | None:
        """None: not known (a table style's shading, a text box's fill)."""
        if self._background is _CLEAR:
            self._background = _background(self.paragraph, self.style)
        return self._background


def _looks_of(path: str | os.PathLike[str], root, parser) -> _Looks:
    """The document's page colour and styles part (found through the relationships, else
    word/styles.xml). A styles part that is not XML is a file Word will not open (F01)."""
    from lxml import etree

    page = _WHITE
    background = root.find(f"{W}background")
    if background is not None:
        page = _colour(background.get(f"{W}color")) or _WHITE
    parts = [_part(target) for _, kind, target in _relationships(path) if kind.endswith("/styles")]
    name = parts[0] if parts else "word/styles.xml"
    try:
        with zipfile.ZipFile(path) as archive:
            present = name in archive.NameToInfo
    except (zipfile.BadZipFile, OSError, ValueError):
        present = False
    if not present:
        return _Looks(page=page)
    try:
        styles = etree.fromstring(read_body(path, name, MAX_WORD_BODY_BYTES), parser=parser)
    except (etree.XMLSyntaxError, ValueError):
        raise word_corrupt(path) from None
    _transitional(styles)
    looks = _Looks(page=page)
    for style in styles.iterchildren(f"{W}style"):
        kind, ident = style.get(f"{W}type") or "paragraph", style.get(f"{W}styleId")
        if ident is None:
            continue
        looks.styles.setdefault((kind, ident), style)
        if (style.get(f"{W}default") or "").strip().lower() in ("1", "true", "on"):
            if kind == "paragraph":
                looks.default_paragraph = looks.default_paragraph or ident
            elif kind == "table":
                looks.default_table = looks.default_table or ident
    defaults = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr")
    if defaults is not None:
        looks.defaults = {child.tag: child for child in defaults if child.tag in _LOOKED_AT}
    return looks


# -- list numbering: the labels Word prints before numbered paragraphs ---------------------------


def _list_labels(path: str | os.PathLike[str], root, parser, looks: _Looks) -> dict[Any, str]:
    """Each paragraph Word numbers (``w:numPr``, its own or its style's) -> the label it prints
    before it (lvlText with each level's count in its format, and the suffix), counted in
    document order as Word counts: per list (``w:num``), a level's count restarting under a
    new item of a level above. A row label typed as 「属于国家秘密」 in a list numbered 「%1.」
    shows 「1.属于国家秘密」; a figure cell numbered 「%1」 from 3 shows its 95 as 395."""
    from lxml import etree

    parts = [_part(t) for _, kind, t in _relationships(path) if kind.endswith("/numbering")]
    name = parts[0] if parts else "word/numbering.xml"
    try:
        with zipfile.ZipFile(path) as archive:
            if name not in archive.NameToInfo:
                return {}
        numbering = etree.fromstring(read_body(path, name, MAX_WORD_BODY_BYTES), parser=parser)
    except (zipfile.BadZipFile, OSError, ValueError, etree.XMLSyntaxError):
        return {}  # Word opens the document without its numbering: no labels
    _transitional(numbering)
    abstract = {
        a.get(f"{W}abstractNumId"): {lvl.get(f"{W}ilvl"): lvl for lvl in a.iter(f"{W}lvl")}
        for a in numbering.iterchildren(f"{W}abstractNum")
    }
    lists: dict[str | None, tuple[dict, dict[str | None, int]]] = {}
    for num in numbering.iterchildren(f"{W}num"):
        levels = abstract.get(_val(num.find(f"{W}abstractNumId")), {})
        starts = {
            o.get(f"{W}ilvl"): _int_val(o.find(f"{W}startOverride"), 1)
            for o in num.iterchildren(f"{W}lvlOverride")
            if o.find(f"{W}startOverride") is not None
        }
        lists[num.get(f"{W}numId")] = (levels, starts)
    labels: dict[Any, str] = {}
    counts: dict[str | None, dict[int, int]] = {}
    for paragraph in root.iter(f"{W}p"):
        if _set_aside(paragraph, root):
            continue  # a branch of alternate content not shown, deleted or moved away
        found = _numbered(paragraph, looks)
        if found is None or found[0] not in lists:
            continue
        num_id, level = found
        levels, starts = lists[num_id]
        definition = levels.get(str(level))
        if definition is None:
            continue
        count = counts.setdefault(num_id, {})
        for deeper in [k for k in count if k > level]:
            del count[deeper]
        start = starts.get(str(level), _int_val(definition.find(f"{W}start"), 1))
        count[level] = count[level] + 1 if level in count else start
        labels[paragraph] = _label(definition, levels, count, starts)
    return labels


def _numbered(paragraph, looks: _Looks) -> tuple[str | None, int] | None:
    """(numId, level) a paragraph is numbered with: its own ``w:numPr``, else its style's."""
    properties = paragraph.find(f"{W}pPr")
    own = properties.find(f"{W}numPr") if properties is not None else None
    if own is None:
        style = properties.find(f"{W}pStyle") if properties is not None else None
        for styled in looks.chain("paragraph", _val(style) or looks.default_paragraph):
            own = styled.find(f"{W}pPr/{W}numPr")
            if own is not None:
                break
    if own is None:
        return None
    num_id = _val(own.find(f"{W}numId"))
    if num_id in (None, "0"):
        return None  # numbering switched off
    return num_id, _int_val(own.find(f"{W}ilvl"), 0)


def _label(definition, levels: dict, count: dict[int, int], starts: dict) -> str:
    """The label of a numbered paragraph at ``definition``'s level, with its suffix."""
    kind = _val(definition.find(f"{W}numFmt")) or "decimal"
    if kind in ("bullet", "none"):
        return ""  # a bullet is no digit, nor part of a label
    text = _val(definition.find(f"{W}lvlText")) or ""

    def level_text(match: re.Match[str]) -> str:
        level = int(match.group(1)) - 1
        number = count.get(level)
        if number is None:  # a level above never used: its start
            above = levels.get(str(level))
            number = starts.get(
                str(level), _int_val(above.find(f"{W}start"), 1) if above is not None else 1
            )
        own = levels.get(str(level))
        return _counted(number, _val(own.find(f"{W}numFmt")) if own is not None else kind)

    suffix = {"tab": " ", "space": " ", "nothing": ""}.get(
        _val(definition.find(f"{W}suff")) or "tab", " "
    )
    return _LEVEL.sub(level_text, text) + suffix


_LEVEL = re.compile(r"%([1-9])")
_CHINESE = "〇一二三四五六七八九"
_HEAVENLY = "甲乙丙丁戊己庚辛壬癸"


def _counted(number: int, kind: str | None) -> str:
    """``number`` in a list's number format, as Word prints it."""
    if kind in (None, "decimal", "ordinal", "cardinalText", "ordinalText"):
        return str(number)
    if kind == "decimalZero":
        return f"{number:02d}"
    if kind == "decimalFullWidth" or kind == "decimalFullWidth2":
        return str(number).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    if kind in (
        "chineseCounting",
        "chineseCountingThousand",
        "japaneseCounting",
        "ideographDigital",
    ):
        return _chinese(number)
    if kind == "ideographTraditional" and 1 <= number <= 10:
        return _HEAVENLY[number - 1]
    if kind in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and 1 <= number <= 20:
        return chr(0x2460 + number - 1)
    if kind in ("upperLetter", "lowerLetter") and number >= 1:
        letter = chr(ord("A") + (number - 1) % 26) * ((number - 1) // 26 + 1)
        return letter if kind == "upperLetter" else letter.lower()
    if kind in ("upperRoman", "lowerRoman") and 1 <= number < 4000:
        roman = _roman(number)
        return roman if kind == "upperRoman" else roman.lower()
    return "〔编号〕"  # a format not worked out: said as a number Word prints, never a digit


def _chinese(number: int) -> str:
    """一 … 九十九 as Chinese lists count (十, 十一, 二十); larger counts in digits."""
    if not 0 < number < 100:
        return str(number)
    tens, ones = divmod(number, 10)
    text = ("" if tens == 1 else _CHINESE[tens]) + "十" if tens else ""
    return text + (_CHINESE[ones] if ones else "")


def _roman(number: int) -> str:
    out = ""
    for value, letters in (
        (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
        (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
    ):  # fmt: skip
        while number >= value:
            out += letters
            number -= value
    return out


def _int_val(element, default: int) -> int:
    try:
        return int((_val(element) or "").strip())
    except ValueError:
        return default


def _background(paragraph, style: str | None) -> _Colour | None:
    """The first thing painted behind the paragraph, from its shading out through its cells
    and tables to the page; None where that is not known."""
    looks = _looks()
    if paragraph is None:
        return looks.page
    shading = _property(paragraph, _PPR, _SHD)
    if shading is None:
        shading = looks.shading(style)
    painted = _fill(shading)
    if painted is not _CLEAR:
        return painted
    return looks.behind(paragraph.getparent())


def _properties(element, tag: str):
    """``element``'s properties (``w:rPr``, ``w:pPr``, ``w:tcPr``...): its first child."""
    first = element[0] if len(element) else None
    return first if first is not None and first.tag == tag else None


def _property(element, properties: str, tag: str):
    """The ``tag`` in ``element``'s properties."""
    found = _properties(element, properties)
    return None if found is None else found.find(tag)


def _showing_run(run, where: _Where | None = None) -> str:
    """How ``run`` shows (_READ, _GONE, _ROOM), by its own properties over its styles'."""
    if where is None:
        paragraph = run.getparent()
        while paragraph is not None and paragraph.tag != f"{W}p":
            paragraph = paragraph.getparent()
        where = _Where(paragraph)
    looks = _looks()
    properties = _properties(run, _RPR)
    if properties is None or not len(properties):  # most runs: as their paragraph's style shows
        return _shows(looks.look(where.style, None, where.table), where)
    own = [child for child in properties if child.tag in _LOOKED_AT]
    named = properties.find(f"{W}rStyle")
    character = None if named is None else named.get(f"{W}val")
    if not own:
        return _shows(looks.look(where.style, character, where.table), where)
    # offices set the same few properties on run after run: each set is worked out once
    key = (where.style, character, where.table, *((c.tag, *c.attrib.items()) for c in own))
    look = looks.own.get(key)
    if look is None:
        styled = dict(looks.styled(where.style, character, where.table))
        for child in own:
            styled[child.tag] = _is_on(child) if child.tag in _TOGGLES else child
        look = looks.own[key] = _look(styled)
    return _shows(look, where)


class _Look(NamedTuple):
    """What a run's resolved properties say about how it shows, before its background."""

    gone: bool  # hidden or struck
    tiny: bool  # under 4 pt
    colour: _Colour | None  # None: automatic
    painted: _Paint  # its highlight or own shading; _CLEAR: none
    drawn: bool  # an effect (emboss, shadow, outline...) draws it apart from its background


def _look(styled: dict[str, object]) -> _Look:
    highlight = _val(styled.get(f"{W}highlight"))
    # a complex-script run (w:cs, or right to left) is sized by w:szCs, as Word sizes it
    complex_script = _on(styled.get(f"{W}cs")) or _on(styled.get(f"{W}rtl"))
    size = styled.get(f"{W}szCs" if complex_script else f"{W}sz")
    return _Look(
        gone=any(_on(styled.get(tag)) for tag in _UNSEEN),
        tiny=size is not None and _half_points(size) < _TINY,
        colour=_text_colour(styled.get(f"{W}color")),
        painted=_HIGHLIGHT[highlight] if highlight in _HIGHLIGHT else _fill(styled.get(_SHD)),
        drawn=any(_draws(styled.get(tag)) for tag in _DRAWN),
    )


def _draws(effect: object) -> bool:
    """Whether a text effect is on: a toggle (w:emboss), or a w14 effect that paints (an
    outline without fill paints nothing)."""
    if effect is None:
        return False
    if isinstance(effect, bool) or effect.tag.startswith(W):  # type: ignore[attr-defined]
        return _on(effect)
    return effect.find(f"{_W14}noFill") is None  # type: ignore[attr-defined]


def _shows(look: _Look, where: _Where) -> str:
    """How text of ``look`` shows in its paragraph."""
    if look.gone:
        return _GONE
    if look.tiny:
        return _ROOM
    if look.colour is None or look.drawn:
        return _READ  # automatic (black, or white on a dark background): always seen
    background = where.background if look.painted is _CLEAR else look.painted
    if background is None or background is _CLEAR or not indistinguishable(look.colour, background):
        return _READ
    return _ROOM


def _on(value: object) -> bool:
    """Whether a toggle the styles resolved (True/False) or a run property element is on."""
    return value if isinstance(value, bool) else _is_on(value)


def _val(element) -> str | None:
    return element.get(f"{W}val") if element is not None else None


# The default theme's colours a text colour may name (w:themeColor), which Word shows over
# its w:val: Background 1 is white, Text 1 black. Another (an accent, a tinted one) is not
# worked out: read as seen.
_THEME_COLOURS: dict[str, _Colour] = {
    "background1": _WHITE, "light1": _WHITE, "text1": (0, 0, 0), "dark1": (0, 0, 0),
}  # fmt: skip


def _text_colour(element: object) -> _Colour | None:
    """A run's ``w:color``: its theme colour when it names one, else its RRGGBB value."""
    if element is None or isinstance(element, bool):
        return None
    theme = element.get(f"{W}themeColor")  # type: ignore[attr-defined]
    if theme is not None:
        tinted = any(
            element.get(f"{W}{change}") is not None  # type: ignore[attr-defined]
            for change in ("themeTint", "themeShade")
        )
        return None if tinted else _THEME_COLOURS.get(theme.strip())
    return _colour(_val(element))


def _colour(value: str | None) -> _Colour | None:
    """An RRGGBB colour; None for ``auto`` (Word's automatic colour) or none."""
    if value is None or not _HEX_COLOUR.fullmatch(value.strip()):
        return None
    value = value.strip()
    return (int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16))


def _fill(shading) -> _Paint:
    """What a ``w:shd`` paints: its fill (a clear pattern), its pattern colour (solid);
    _CLEAR where it paints nothing (none, nil, fill auto), None where it is a blend of the
    two (a percentage or stripes: not worked out)."""
    if shading is None:
        return _CLEAR
    pattern = (shading.get(f"{W}val") or "clear").strip()
    if pattern == "nil":
        return _CLEAR
    if pattern == "clear":
        fill = _colour(shading.get(f"{W}fill"))
        return _CLEAR if fill is None else fill
    if pattern == "solid":
        return _colour(shading.get(f"{W}color")) or (0, 0, 0)  # auto: black
    return None


def _half_points(size) -> int:
    """A ``w:sz`` in half-points; a value that is not a whole number counts as a normal size."""
    try:
        return int((size.get(f"{W}val") or "").strip())
    except ValueError:
        return _TINY
