"""A published report as plain text (copied from a web page or saved from Word) -> Grid.

Text has no table structure a reader can trust: merged cells leave no trace, so the columns of
a header row cannot be lined up with the numbers below it. What text does keep is order: each
row's label is followed by that row's cells. This reader therefore only cuts the text into rows
of cells, in order, and the recogniser reads a text grid by that order (recognise/sequence.py):
a row's values are the cells after its label, in the order of the form's columns.

Three shapes are read:

1. **Word's plain-text export** (the seed report 水泥路街道 2021): each table cell on its own
   line starting with a tab, a blank line after each row, a cell's own line breaks on lines
   without a tab (「商业」「企业」). Empty cells are kept (a tab alone on its line).
2. **One row per line** (a browser's copy of a web page): cells apart by tabs or by two or
   more spaces; a line ending in numbers apart by single spaces (「规章 0 0 0」) has those
   numbers as cells of their own, and labels apart by single spaces (「信息内容 本年制发件数
   本年废止件数」) are cells of their own where every piece is a label of the form (one
   spaced out inside, 「结果 纠正」, stays one). A tab always stands between two cells, so an empty cell
   keeps its place: 「规章\t\t0\t0」 is 规章 with a blank first value, a tab at the end of a row
   a blank last cell (a blank 总计 column) — unless every row ends with a tab, which then ends
   rows rather than opening a cell. A line of one text and nothing else (a paragraph a stray
   tab indents) is that text alone.
3. **One value per line** (LibreOffice's 「save as text」 of a web page, many viewers' copy): a
   row's label on a line and its values on the lines below, one a line. The lines of values
   right below a line that is one of the form's row labels are that row's values when there
   are exactly as many as the row has columns (in some vintage of the form); otherwise they
   are not joined to it, and the recogniser refuses the row as having no values (L01) rather
   than guess — an empty line is no sure sign of a blank cell here. Lines of values below
   anything else (表四's data row, below its header) are a row of their own.

In the first shape, lines that are not cells are the running text (``Grid.text``); in the
others, every line is a row and the lines of one text are also running text. Word's
``[bookmark: …]`` markers are dropped.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path

from nianbao.form.findings import Rule
from nianbao.form.labels import accepted, canonical
from nianbao.form.model import Form, Header
from nianbao.sources.document import cell_text, document_grid
from nianbao.sources.grid import CellValue, Grid, Rows
from nianbao.sources.preflight import corrupt, decode_text, unreadable

_BOOKMARK = re.compile(r"\[bookmark: [^\]]*\]")
_CELLS = re.compile(r"\t| {2,}|\u3000{2,}")
_WIDE = re.compile(r" {2,}|\u3000{2,}")
# A value on a line of its own: a figure, or a mark a form's cell may hold instead (V05).
_VALUE = re.compile(r"[-+]?\d[\d,]*(?:\.\d+)?(?:\s*(?:件|万元))?|[/／\-－—–]|——|无|暂无")
_NUMBERS_ONLY = re.compile(r"[-+]?\d[\d,.]*(?:\s+[-+]?\d[\d,.]*)+")
_TRAILING_NUMBERS = re.compile(r"^(.*?\D)\s+((?:[-+]?\d[\d,.]*\s+)*[-+]?\d[\d,.]*)$")
# A line under a cell that continues the cell (a label wrapped over two lines) is short.
_CONTINUATION_CHARS = 20
_SENTENCE_CHARS = 8  # a tab-led line this long ending in 。 is a paragraph, not a cell
# How many lines of header cells, at most, one value per line prints above a data row (表四:
# about 30, its labels broken over lines).
_HEADER_LINES = 60
# A report as text is a few hundred lines (the seed: about 200); far more is not one.
MAX_LINES = 20_000


def read_text(path: str | os.PathLike[str]) -> Grid:
    """The table rows and running text of the text file at ``path`` (preflight has passed it)."""
    try:
        text = decode_text(Path(path).read_bytes())
    except OSError:
        raise corrupt(path) from None
    if text is None:
        raise corrupt(path)
    lines = _BOOKMARK.sub("", text).replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if len(lines) > MAX_LINES:
        raise unreadable(
            Rule.F04,
            path,
            f"有 {len(lines):,} 行，远超文本格式的年度报告（通常几百行），为安全起见未予读取。"
            "请确认是否报错了文件。",
        )
    tables, running = text_tables(lines)
    return document_grid("text", tables, "\n".join(running), path, aligned=False)


def text_tables(lines: list[str]) -> tuple[list[Rows], list[str]]:
    """The table rows and running text of a text's lines (also a web page's ``<pre>``)."""
    lines = [_BOOKMARK.sub("", line) for line in lines]
    if _word_export(lines):
        return _tab_cells(lines)
    return _line_rows(lines)


def _tab_cells(lines: list[str]) -> tuple[list[Rows], list[str]]:
    """Word's export: a cell per tab-led line, rows ended by blank lines, tables by prose."""
    tables: list[Rows] = []
    table: list[list[str]] = []
    row: list[str] | None = None
    running: list[str] = []

    def end_row() -> None:
        nonlocal row
        if row is not None:
            table.append(row)
            row = None

    def end_table() -> None:
        nonlocal table
        end_row()
        if table:
            tables.append([_values(cells) for cells in table])
            table = []

    for line in lines:
        if line.startswith("\t") and _prose(line):
            end_table()  # a paragraph indented with a tab: running text, not a cell
            running.append(line.strip())
        elif line.startswith("\t"):
            if row is None:
                row = []
            row.append(line[1:])
        elif not line.strip():
            end_row()
        elif row and len(line.strip()) <= _CONTINUATION_CHARS and "。" not in line:
            row[-1] += "\n" + line
        else:
            end_table()
            running.append(line.strip())
    end_table()
    return tables, running


def _prose(line: str) -> bool:
    """A sentence, not a table's cell: a few words ended as a sentence is (no statutory cell
    ends with 。)."""
    text = line.strip()
    return len(text) >= _SENTENCE_CHARS and text.endswith(("。", "；", "！", "？"))


def _word_export(lines: list[str]) -> bool:
    """Word's export has each cell on a tab-led line with no other tab; a browser's copy has
    tabs between cells (a row whose first cell is empty starts with one too)."""
    led = sum(1 for line in lines if line.startswith("\t") and "\t" not in line[1:])
    between = sum(1 for line in lines if "\t" in line.lstrip("\t"))
    return led > between


def _line_rows(lines: list[str]) -> tuple[list[Rows], list[str]]:
    """One row per line, or one value per line (the module docstring). Every line is a row
    (a caption or group label is a line of one cell); only lines of one text are running
    text."""
    tabbed = [line.rstrip(" \u3000") for line in lines if "\t" in line.strip(" \u3000")]
    if tabbed and all(line.endswith("\t") for line in tabbed):  # a tab ends every row
        lines = [line.rstrip(" \u3000").removesuffix("\t") for line in lines]
    split: list[list[str] | None] = [_split(line) if line.strip() else None for line in lines]
    rows: list[list[str]] = []
    running: list[str] = []
    label: str | None = None  # the line just read, when it is one text
    i = 0
    while i < len(split):
        cells = split[i]
        if not cells:
            label = None
            i += 1
            continue
        if _is_value(cells):
            run: list[str] = []
            while i < len(split) and (line := split[i]) and _is_value(line):
                run.append(line[0])
                i += 1
            if label is not None and len(run) in _row_widths(label):
                rows.pop()
                running.pop()
                _header_above(rows)
                rows.append([label, *run])
            else:
                _header_above(rows)
                rows.append(run)
            label = None
            continue
        rows.append(cells)
        texts = [cell for cell in cells if cell.strip()]
        label = texts[0] if len(cells) == 1 else None
        if len(texts) == 1:
            running.append(texts[0].strip())
        i += 1
    return [[_values(cells) for cells in rows]], running


def _header_above(rows: list[list[str]]) -> None:
    """One value per line prints a table's header cells one a line too (a cell's own line
    breaks on lines of their own: 「商业」「企业」): the short lines of one text right above a
    data row, back to the first that is not one (a paragraph, a row of the table, one of the
    form's row labels or captions, which stay where they are), become one header row, with
    the pieces of a column label broken over lines put back together. The recogniser only
    looks for the column labels there (presence, not positions)."""
    start = len(rows)
    while start > 0 and len(rows) - start < _HEADER_LINES and _header_line(rows[start - 1]):
        start -= 1
    if len(rows) - start < 2:
        return
    cells = [cell for line in rows[start:] for cell in line]
    labels = _column_labels()
    n = 0
    while n + 1 < len(cells):
        joined = cells[n] + cells[n + 1]
        if canonical(joined) in labels and canonical(cells[n + 1]) not in labels:
            cells[n : n + 2] = [joined]
        else:
            n += 1
    rows[start:] = [cells]


def _header_line(cells: list[str]) -> bool:
    if len(cells) != 1 or _is_value(cells):
        return False
    text = cells[0].strip()
    return (
        len(text) <= _CONTINUATION_CHARS
        and "。" not in text
        and canonical(text) not in _row_labels()
    )


def _is_value(cells: list[str]) -> bool:
    return len(cells) == 1 and _VALUE.fullmatch(cells[0].strip()) is not None


@cache
def _widths() -> dict[str, frozenset[int]]:
    """Canonical row label (and its accepted variants) -> how many columns its row has, in
    any vintage or variant of the form."""
    widths: dict[str, set[int]] = {}
    for form in _forms():
        for table in form.tables:
            for block in table.blocks:
                if not block.show_row_labels:
                    continue
                for leaf in block.row_leaves:
                    for variant in accepted(leaf.label):
                        widths.setdefault(variant, set()).add(len(block.column_leaves))
    return {label: frozenset(counts) for label, counts in widths.items()}


def _row_widths(label: str) -> frozenset[int]:
    return _widths().get(canonical(label), frozenset())


def _forms() -> tuple[Form, ...]:
    from nianbao.form import FORMS, VARIANTS

    return (*FORMS.values(), *VARIANTS.values())


@cache
def _row_labels() -> frozenset[str]:
    """Every caption and row label (every level) of every vintage, canonical, with variants."""
    return frozenset(
        variant
        for form in _forms()
        for table in form.tables
        for block in table.blocks
        for text in (block.caption, *(node.label for node in _nodes(block.rows)))
        if text
        for variant in accepted(text)
    )


@cache
def _column_labels() -> frozenset[str]:
    """Every column label (every level) of every vintage, canonical, with variants."""
    return frozenset(
        variant
        for form in _forms()
        for table in form.tables
        for block in table.blocks
        for node in _nodes(block.columns)
        if node.label
        for variant in accepted(node.label)
    )


def _nodes(nodes: tuple[Header, ...]) -> Iterator[Header]:
    for node in nodes:
        yield node
        yield from _nodes(node.children)


def _split(line: str) -> list[str]:
    if "\t" in line:
        # a tab stands between two cells: an empty piece is a blank cell in its place
        cells: list[str] = []
        for piece in line.split("\t"):
            cells.extend([part for part in _WIDE.split(piece) if part.strip()] or [""])
        filled = [n for n, cell in enumerate(cells) if cell.strip()]
        if not filled:
            return []
        if len(filled) == 1 and filled[0] > 0:  # one text set in by a tab: that text alone
            cells = [cells[filled[0]]]
    elif _NUMBERS_ONLY.fullmatch(line.strip()):
        cells = line.split()  # 表四's row typed with single spaces: 「2 1 0 0 3 …」
    else:
        cells = [cell for cell in _CELLS.split(line.strip()) if cell.strip()]
    if cells and cells[-1].strip():
        last = _TRAILING_NUMBERS.match(cells[-1].strip())
        if last:
            cells[-1:] = [last.group(1), *last.group(2).split()]
    return [piece for cell in cells for piece in _labels_apart(cell)]


def _labels_apart(cell: str) -> list[str]:
    """A cell of labels set apart by single spaces (a copy that kept one space between cells:
    「信息内容 本年制发件数 本年废止件数 现行有效件数」): each label a cell, when every piece is
    a label of the form. A label printed with a space inside (「结果 纠正」) is one cell."""
    pieces = cell.split()
    if len(pieces) < 2 or not all(canonical(piece) in _all_labels() for piece in pieces):
        return [cell]
    return pieces


@cache
def _all_labels() -> frozenset[str]:
    """Every caption, corner, row and column label of every vintage, canonical, with variants."""
    corners = frozenset(
        variant
        for form in _forms()
        for table in form.tables
        for block in table.blocks
        if block.corner
        for variant in accepted(block.corner)
    )
    return _row_labels() | _column_labels() | corners


def _values(cells: list[str]) -> list[CellValue]:
    return [cell_text(cell) for cell in cells]
