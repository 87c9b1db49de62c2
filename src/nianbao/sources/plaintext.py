"""A published report as plain text (copied from a web page or saved from Word) -> Grid.

Text has no table structure a reader can trust: merged cells leave no trace, so the columns of
a header row cannot be lined up with the numbers below it. What text does keep is order: each
row's label is followed by that row's cells. This reader therefore only cuts the text into rows
of cells, in order, and the recogniser reads a text grid by that order (recognise/sequence.py):
a row's values are the cells after its label, in the order of the form's columns.

Two shapes are read:

1. **Word's plain-text export** (the seed report 水泥路街道 2021): each table cell on its own
   line starting with a tab, a blank line after each row, a cell's own line breaks on lines
   without a tab (「商业」「企业」). Empty cells are kept (a tab alone on its line).
2. **One row per line**: cells apart by tabs or by two or more spaces; a line ending in
   numbers apart by single spaces (「规章 0 0 0」) has those numbers as cells of their own.

In the first shape, lines that are not cells are the running text (``Grid.text``); in the
second, every line is a row and the lines of one cell are also running text. Word's
``[bookmark: …]`` markers are dropped.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from nianbao.form.findings import Rule
from nianbao.sources.document import cell_text, document_grid
from nianbao.sources.grid import CellValue, Grid, Rows
from nianbao.sources.preflight import corrupt, decode_text, unreadable

_BOOKMARK = re.compile(r"\[bookmark: [^\]]*\]")
_CELLS = re.compile(r"\t| {2,}|\u3000{2,}")
_TRAILING_NUMBERS = re.compile(r"^(.*?\D)\s+((?:[-+]?\d[\d,.]*\s+)*[-+]?\d[\d,.]*)$")
# A line under a cell that continues the cell (a label wrapped over two lines) is short.
_CONTINUATION_CHARS = 20
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
    if any(line.startswith("\t") for line in lines):
        tables, running = _tab_cells(lines)
    else:
        tables, running = _line_rows(lines)
    return document_grid("text", tables, "\n".join(running), path, aligned=False)


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
        if line.startswith("\t"):
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


def _line_rows(lines: list[str]) -> tuple[list[Rows], list[str]]:
    """One row per line. Every line is a row (a caption or group label is a line of one
    cell); only lines of one cell are running text."""
    table: Rows = []
    running: list[str] = []
    for line in lines:
        if not line.strip():
            continue
        cells = _split(line)
        table.append(_values(cells))
        if len(cells) == 1:
            running.append(line.strip())
    return [table], running


def _split(line: str) -> list[str]:
    cells = [cell for cell in _CELLS.split(line.strip()) if cell.strip()]
    if cells:
        last = _TRAILING_NUMBERS.match(cells[-1])
        if last:
            cells[-1:] = [last.group(1), *last.group(2).split()]
    return cells


def _values(cells: list[str]) -> list[CellValue]:
    return [cell_text(cell) for cell in cells]
