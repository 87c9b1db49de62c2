"""A published report as a Word document (.docx) -> Grid.

Only the main part, ``word/document.xml``, is read: its paragraphs and tables in body order.
The rules:

1. **Tables**: each ``<w:tbl>`` with no table nested in it is a data table (a table holding
   tables is layout; its own paragraphs are running text). A row's cells take the grid columns
   their ``w:gridSpan`` says, after the ``w:gridBefore`` columns it skips; a cell continuing a
   vertical merge (``w:vMerge`` without ``restart``) or a legacy horizontal one (``w:hMerge``)
   is covered: None, as in a workbook, with the text in the merge's first cell.
2. **Text** is the ``w:t`` of runs (inserted text included, deleted text ``w:delText`` and
   field codes ``w:instrText`` not), ``w:tab`` as a space, ``w:br``/``w:cr`` and paragraph ends as
   line breaks. Content controls (``w:sdt``) are read through; of a ``mc:AlternateContent`` only
   the first choice is read (its fallback repeats it).
3. **Running text** (``Grid.text``): the paragraphs outside data tables, one per line.

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
    cell_text,
    document_grid,
    span,
    too_many_cells,
)
from nianbao.sources.grid import CellValue, Grid, Rows
from nianbao.sources.preflight import MAX_WORD_BODY_BYTES, WORD_BODY, corrupt, read_body

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_BREAKS = frozenset({f"{W}br", f"{W}cr"})


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
    lines: list[str] = []
    budget = [0]
    if body is not None:
        for kind, element in _blocks(body):
            if kind == "table":
                tables.append(_table(element, path, budget))
            else:
                text = cell_text(_paragraph(element))
                if text:
                    lines.append(text.replace("\n", " "))
    return document_grid("docx", tables, "\n".join(lines), path)


def _blocks(container) -> Iterator[tuple[str, object]]:
    """("paragraph", p) and ("table", tbl) in body order; layout tables are opened up."""
    for child in _content(container):
        if child.tag == f"{W}p":
            yield "paragraph", child
        elif child.tag == f"{W}tbl":
            if child.find(f".//{W}tbl") is None:
                yield "table", child
            else:
                for row in child.iterchildren(f"{W}tr"):
                    for cell in row.iterchildren(f"{W}tc"):
                        yield from _blocks(cell)


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


def _table(table, path: str | os.PathLike[str], budget: list[int]) -> Rows:
    rows: Rows = []
    for row in _content(table):
        if row.tag != f"{W}tr":
            continue
        line: list[CellValue] = [None] * _int_attr(row, f"{W}trPr/{W}gridBefore")
        for cell in _content(row):
            if cell.tag != f"{W}tc":
                continue
            width = span(_int_attr(cell, f"{W}tcPr/{W}gridSpan"), MAX_COLSPAN)
            vmerge = cell.find(f"{W}tcPr/{W}vMerge")
            hmerge = cell.find(f"{W}tcPr/{W}hMerge")
            continues = (vmerge is not None and vmerge.get(f"{W}val") != "restart") or (
                hmerge is not None and hmerge.get(f"{W}val") != "restart"
            )
            text = None if continues else _cell(cell)
            line.append(text)
            line.extend([None] * (width - 1))
        budget[0] += len(line)
        if budget[0] > MAX_CELLS:
            raise too_many_cells(path)
        rows.append(line)
    return rows


def _int_attr(element, path: str) -> int:
    found = element.find(path)
    if found is None:
        return 0
    try:
        return max(0, min(int(found.get(f"{W}val", "1")), MAX_COLSPAN))
    except ValueError:
        return 1


def _cell(cell) -> str | None:
    paragraphs = [_paragraph(element) for kind, element in _blocks(cell) if kind == "paragraph"]
    return cell_text("\n".join(paragraphs))


def _paragraph(paragraph) -> str:
    parts: list[str] = []
    for run in paragraph.iter(f"{W}r"):
        if _inside_fallback(run, paragraph):
            continue
        for element in run:
            if element.tag == f"{W}t":
                parts.append(element.text or "")
            elif element.tag == f"{W}tab":
                parts.append(" ")
            elif element.tag in _BREAKS:
                parts.append("\n")
    return "".join(parts)


def _inside_fallback(element, stop) -> bool:
    parent = element.getparent()
    while parent is not None and parent is not stop:
        if parent.tag == f"{MC}Fallback":
            return True
        parent = parent.getparent()
    return False
