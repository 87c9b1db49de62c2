"""A published report as a Word document (.docx) -> Grid.

Only the main part, ``word/document.xml``, is read: its paragraphs and tables in body order.
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
2. **Text** is the ``w:t`` of runs (inserted text included, deleted text ``w:delText`` and
   field codes not: a field shows its result, a formula field without one is marked, _Field),
   ``w:tab``/``w:ptab`` as a space, ``w:br``/``w:cr`` and paragraph ends as line breaks (a
   paragraph mark deleted with changes tracked joins its paragraph to the next); a phonetic
   guide (``w:rt``) is set off the line. Content controls (``w:sdt``) are read through; of a
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
5. **Tables elsewhere** (F02, _tables_elsewhere): a chunk of another document (``w:altChunk``)
   is refused naming its part; without statutory tables as text, an embedded object or
   pictures say where the tables may be. A Strict Open XML document is read as the same
   markup (_transitional).

Safety: preflight has checked the whole container (sizes, compression ratio, no DTD in any
part). The part is inflated under the same discipline (preflight.read_body: bounded, refused
when it inflates beyond its declared size) and parsed with entities, DTDs and network off.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field

from nianbao.form.findings import Rule
from nianbao.sources.document import (
    MAX_CELLS,
    MAX_COLSPAN,
    PROSE_CHARS,
    cell_text,
    document_grid,
    holds_statutory_words,
    of_figures,
    off_the_line,
    span,
    too_many_cells,
)
from nianbao.sources.grid import CellValue, Grid, Merge, Rows
from nianbao.sources.preflight import (
    MAX_WORD_BODY_BYTES,
    WORD_BODY,
    UnreadableFile,
    corrupt,
    read_body,
    unreadable,
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
    f"{W}tab": " ",
    f"{W}ptab": " ",
    f"{W}br": "\n",
    f"{W}cr": "\n",
    f"{W}noBreakHyphen": "\u2011",  # shown as a hyphen: 5‑8 must not read as 58
    f"{W}softHyphen": "",  # shown only where a line breaks at it
    f"{W}pgNum": "〔页码〕",  # the page number, no figure of the table
}
_UNSEEN = (f"{W}vanish", f"{W}specVanish", f"{W}strike", f"{W}dstrike")
_NOTE_MARKS = (f"{W}footnoteReference", f"{W}endnoteReference")
_SET_ASIDE = frozenset({f"{MC}Fallback", f"{W}del", f"{W}moveFrom"})
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
        raise corrupt(path) from None
    _transitional(root)
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
        elsewhere = _tables_elsewhere(body, path, tables)
        if elsewhere is not None:
            raise unreadable(Rule.F02, path, elsewhere)
    return document_grid("docx", tables, "\n".join(lines), path, spans=spans)


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


def _chunk_part(path: str | os.PathLike[str], chunk) -> str:
    """The package part a ``w:altChunk`` refers to (「word/afchunk.htm」), as named in a
    message; 「altChunk」 when the relationships part does not say."""
    from lxml import etree

    target = None
    try:
        rels = etree.fromstring(
            read_body(path, _RELATIONSHIPS, MAX_WORD_BODY_BYTES),
            parser=etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False),
        )
        wanted = chunk.get(f"{R}id")
        for relationship in rels:
            if relationship.get("Id") == wanted:
                target = relationship.get("Target")
    except (UnreadableFile, etree.XMLSyntaxError, ValueError):
        target = None
    if not target:
        return "嵌入的文档块"
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
    for child in _content(container):
        if child.tag == f"{W}p":
            text = pending + _paragraph(child, boxes)
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
    """Whether the paragraph's mark was deleted (or moved away) with changes tracked."""
    mark = paragraph.find(f"{W}pPr/{W}rPr")
    return mark is not None and any(
        mark.find(tag) is not None for tag in (f"{W}del", f"{W}moveFrom")
    )


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
    if spans is not None:
        spans += [
            ((top, left), (bottom, right))
            for top, left, bottom, right in ranges
            if bottom > top or right > left
        ]
    return rows


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
    if text is None:
        text = _embedded(cell)
    properties = cell.find(f"{W}tcPr")
    if properties is not None and properties.find(f"{W}cellDel") is not None:
        return _deleted_cell(text)
    return text


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


def _deleted_cell(text: str | None) -> str:
    """A cell deleted with changes tracked (``w:cellDel``) but not yet accepted: Word still
    shows it in place, and accepting moves every cell after it one column left. Which column
    the figures belong to cannot be told, so the cell is marked (V01 at it), never read."""
    return f"〔修订中已删除的单元格：{text}〕" if text else "〔修订中已删除的单元格〕"


def _paragraph(paragraph, boxes: list[str]) -> str:
    """The paragraph's text as shown on its line. A text box anchored in it is no part of the
    line (a box drawn beside or over it: its digits are never run into a figure): its lines
    are added to ``boxes``. An equation (OMML) shows its text (_equation); a field shows its
    result, never its code (_Field); a phonetic guide (ruby) is set off the line."""
    parts: list[str] = []
    fields: list[_Field] = []  # the complex fields open at this point of the line
    for element in paragraph.iter(f"{W}r", f"{M}oMath", _BOX, f"{W}fldSimple"):
        if _set_aside(element, paragraph, _IN_PARAGRAPH):
            continue
        if element.tag == _BOX:
            boxes.extend(_lines(element, boxes))
        elif element.tag == f"{W}r":  # in a field's code too: its field marks count
            text = _run_text(element, fields)
            ruby = _set_aside(element, paragraph, frozenset({_RUBY_TEXT}))
            parts.append(off_the_line(text, True) if ruby else text)
        elif not _showing(fields):
            continue  # in a field's code
        elif element.tag == f"{M}oMath":
            parts.append(_equation(element))
        elif element.find(f".//{W}t") is None:  # a simple field with no result
            parts.append(_without_result(element.get(f"{W}instr") or ""))
    return "".join(parts)


@dataclass
class _Field:
    """A complex field (``w:fldChar`` begin … separate … end): what runs between its begin
    and its separator is its code (an instruction, nested fields' results included), what
    runs after the separator is its result, the one thing a reader sees."""

    code: list[str] = field(default_factory=list)
    result: bool = False


def _showing(fields: list[_Field]) -> bool:
    """Whether text at this point shows: outside every open field's code."""
    return all(open_field.result for open_field in fields)


def _field_mark(mark, fields: list[_Field]) -> str:
    """Follow a ``w:fldChar``; what it shows: only a formula field ended without a result."""
    kind = mark.get(f"{W}fldCharType")
    if kind == "begin":
        fields.append(_Field())
    elif kind == "separate" and fields:
        fields[-1].result = True
    elif kind == "end" and fields:
        ended = fields.pop()
        if not ended.result and _showing(fields):
            return _without_result("".join(ended.code))
    return ""


def _without_result(code: str) -> str:
    """What a field the file holds no result for shows: a formula (=SUM(ABOVE)) is marked
    (no figure: V01 at its cell), since Word computes it only when fields are updated and
    a blank read as 0 would be a wrong figure in silence; other fields show nothing."""
    code = " ".join(code.split())
    return f"〔未计算的公式：{code}〕" if code.startswith("=") else ""


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


def _run_text(run, fields: list[_Field] | None = None) -> str:
    """The text ``run`` shows, by its own properties: none when hidden or struck, set off the
    line when superscript or subscript (or a footnote's mark). Its field marks and field code
    are followed in ``fields`` (hidden or not: they still open and close fields)."""
    if fields is None:
        fields = []
    properties = run.find(f"{W}rPr")
    unseen = _unseen(run)
    parts: list[str] = []
    raised: bool | None = None
    for element in run:
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
            raised = True  # a custom mark follows; its style (not read) raises it
        else:
            parts.append(_SHOWN.get(element.tag, ""))
    if unseen:
        return ""
    alignment = properties.find(f"{W}vertAlign") if properties is not None else None
    if alignment is not None:
        raised = _RAISED.get(alignment.get(f"{W}val", ""), raised)
    text = "".join(parts)
    return text if raised is None else off_the_line(text, raised)


def _unseen(run) -> bool:
    """Whether the run's own properties hide or strike it."""
    properties = run.find(f"{W}rPr")
    return properties is not None and any(_is_on(properties.find(tag)) for tag in _UNSEEN)


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
