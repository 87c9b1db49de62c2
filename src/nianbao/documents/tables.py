"""A statutory table as the cells a document prints: text, spans, header links (no file format).

The grid is the workbook layout (``layout_for``) without its title row: every label sits where
the official table has it, merged over the same rows and columns, and every data cell holds
the return's figure. Word and HTML both render this one grid, so they cannot disagree with each
other or with the workbook.

Each data cell also names its header cells (block caption, column headers top down, row headers
left to right) so a web page can tie them together for screen readers (``headers``/``id``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

from nianbao.form.data import Number
from nianbao.form.layout import SheetLayout, layout_for
from nianbao.form.model import Form, Table, depth_of
from nianbao.text import show_value, text_width

# The layout's row 0 is the sheet's title; a document prints it as the section heading instead.
_FIRST_ROW = 1


@dataclass(frozen=True)
class GridCell:
    """One printed cell: where it starts, how far it is merged, and what it says."""

    row: int  # zero-based in the printed table
    col: int
    rowspan: int
    colspan: int
    text: str
    kind: str  # caption / corner / column / row / data
    key: str = ""  # data cells: the form's cell key
    ident: str = ""  # a stable id (for HTML ``id``/``headers``)
    headers: tuple[str, ...] = ()  # data cells: idents of their header cells, outermost first

    @property
    def is_header(self) -> bool:
        return self.kind != "data"

    @property
    def scope(self) -> str:
        """HTML ``scope`` of a header cell: row headers name rows, the others columns."""
        if self.kind == "row":
            return "rowgroup" if self.rowspan > 1 else "row"
        return "colgroup" if self.colspan > 1 else "col"


@dataclass(frozen=True)
class TableGrid:
    table: Table
    width: int  # columns
    height: int  # rows
    cells: tuple[GridCell, ...]  # in reading order: row by row, left to right
    # Leading rows that are the column header of the whole table (repeated on every page);
    # 0 for 表二, whose blocks each have their own header.
    head_rows: int
    label_columns: int  # leading columns that hold row labels (0 for 表四)

    def rows(self) -> list[list[GridCell]]:
        """The cells that start in each row, left to right."""
        rows: list[list[GridCell]] = [[] for _ in range(self.height)]
        for cell in self.cells:
            rows[cell.row].append(cell)
        return rows

    def data(self) -> dict[str, GridCell]:
        return {cell.key: cell for cell in self.cells if cell.kind == "data"}


def table_grid(form: Form, code: str, figures: Mapping[str, str]) -> TableGrid:
    """Table ``code`` of ``form`` with each data cell showing ``figures[key]``."""
    skeleton = _skeleton(form, code)
    cells = tuple(
        GridCell(**{**vars(cell), "text": figures[cell.key]}) if cell.kind == "data" else cell
        for cell in skeleton.cells
    )
    return TableGrid(
        skeleton.table,
        skeleton.width,
        skeleton.height,
        cells,
        skeleton.head_rows,
        skeleton.label_columns,
    )


def figure_texts(form: Form, completed: Mapping[str, Number]) -> dict[str, str]:
    """Every data cell's figure as printed: as every message of nianbao shows a number."""
    return {cell.key: show_value(completed[cell.key]) for cell in form.cells}


@cache
def _skeleton(form: Form, code: str) -> TableGrid:
    sheets = layout_for(form).sheets
    number, sheet = next((n, s) for n, s in enumerate(sheets, start=1) if s.table.code == code)
    table = sheet.table
    prefix = f"nb-t{number}"  # ASCII ids: safe in any CMS, unique on a page with all three
    headers: list[GridCell] = []
    for index, label in enumerate(sheet.labels):
        if label.kind == "title":
            continue
        headers.append(_cell(label.text, label.first, label.last, label.kind, f"{prefix}-h{index}"))
    data = [
        _cell("", pos, sheet.cell_ends.get(key, pos), "data", f"{prefix}-d{n}", key=key)
        for n, (key, pos) in enumerate(sheet.cells.items())
    ]
    data = [_with_headers(cell, headers, sheet, form) for cell in data]
    cells = tuple(sorted([*headers, *data], key=lambda c: (c.row, c.col)))
    height = sheet.last_row - _FIRST_ROW + 1
    _check_tiling(cells, sheet.width, height, table)
    first = table.blocks[0]
    return TableGrid(
        table=table,
        width=sheet.width,
        height=height,
        cells=cells,
        head_rows=sheet.header_rows[1] - _FIRST_ROW + 1 if len(table.blocks) == 1 else 0,
        label_columns=depth_of(first.rows) if first.show_row_labels else 0,
    )


def _cell(text: str, first, last, kind: str, ident: str, key: str = "") -> GridCell:
    (top, left), (bottom, right) = first, last
    return GridCell(
        row=top - _FIRST_ROW,
        col=left,
        rowspan=bottom - top + 1,
        colspan=right - left + 1,
        text=text,
        kind=kind,
        key=key,
        ident=ident,
    )


def _with_headers(
    cell: GridCell, headers: list[GridCell], sheet: SheetLayout, form: Form
) -> GridCell:
    """The data cell with the idents of its caption, column and row headers.

    A block's column headers are the column labels in the rows just above its first data row
    (as many rows as its column tree is deep); its caption sits in the row above those.
    """
    block = form.cell(cell.key).block
    block_keys = [
        f"{sheet.table.code}:{r.code}:{c.code}"
        for r in block.row_leaves
        for c in block.column_leaves
    ]
    data_top = min(sheet.cells[k][0] for k in block_keys) - _FIRST_ROW
    band_top = data_top - depth_of(block.columns)
    first, last = cell.col, cell.col + cell.colspan - 1

    def overlaps(h: GridCell) -> bool:
        return h.col <= last and first <= h.col + h.colspan - 1

    found = [h for h in headers if h.kind == "caption" and h.row == band_top - 1]
    found += sorted(
        (h for h in headers if h.kind == "column" and band_top <= h.row < data_top and overlaps(h)),
        key=lambda h: h.row,
    )
    found += sorted(
        (
            h
            for h in headers
            if h.kind == "row" and h.row <= cell.row < h.row + h.rowspan and h.col < first
        ),
        key=lambda h: h.col,
    )
    return GridCell(**{**vars(cell), "headers": tuple(h.ident for h in found)})


def _check_tiling(cells: tuple[GridCell, ...], width: int, height: int, table: Table) -> None:
    """Every position of the table is covered by exactly one printed cell."""
    seen: set[tuple[int, int]] = set()
    for cell in cells:
        for r in range(cell.row, cell.row + cell.rowspan):
            for c in range(cell.col, cell.col + cell.colspan):
                if (r, c) in seen or not (0 <= r < height and 0 <= c < width):
                    raise ValueError(f"{table.short}: cells overlap or overflow at {(r, c)}")
                seen.add((r, c))
    if len(seen) != width * height:
        raise ValueError(f"{table.short}: {width * height - len(seen)} positions uncovered")


def alignment(cell: GridCell, grid: TableGrid) -> str:
    """ "left" or "center", as in the official tables: block captions, the balance note and
    表三's row labels are set left; 表二's row labels, column headers and figures are centred."""
    if cell.kind == "caption" or (cell.kind == "corner" and cell.colspan > 1):
        return "left"
    if cell.kind == "row" and grid.label_columns > 1:
        return "left"
    return "center"


# -- column widths ------------------------------------------------------------------------

# In half-ems (a CJK character is two):
_LABEL_CAP = 26.0  # a label column asks for at most this much; longer labels wrap
_DATA_HEADER = 4.0  # data column headers wrap at two characters, as in the official tables
# A digit is half an em in 宋体 but 0.636 em in DejaVu Sans, the face LibreOffice substitutes
# where 宋体 is missing: figures are measured at the wider.
_DIGIT = 1.27
_PADDING = 1.4  # cell margins (2 × 0.1 cm: 1.27 half-ems of 9 pt) and a little air
_ROWS_PER_LINE = 6  # a group label merged down n rows takes about n / 6 lines (at least one)
_GROUP_LINES = 3  # … and at most three


def column_weights(grid: TableGrid, whole_headers: bool = False) -> list[float]:
    """Relative widths of the columns, for a renderer to scale to the width it has.

    A label column asks for its widest single-column label (capped, so long labels wrap). A
    group label merged down many rows may take a few lines; one over a few rows stays on one
    line, so 「（三）不予公开」 is never broken after 「（三」. Data columns are all as wide as the
    widest asks: its longest figure (never wrapped: a figure is never broken) or its header,
    on one line with ``whole_headers`` (where the page has room, as for 表二), else two
    characters a line (as the official 表三 and 表四 have them).
    """
    label_needs = [0.0] * grid.label_columns
    data_need = _DATA_HEADER
    for cell in grid.cells:
        if cell.colspan != 1:
            continue
        need = text_width(cell.text)
        if cell.col < grid.label_columns:
            lines = min(_GROUP_LINES, max(1, cell.rowspan // _ROWS_PER_LINE))
            label_needs[cell.col] = max(label_needs[cell.col], min(need / lines, _LABEL_CAP))
        elif cell.kind == "data":
            data_need = max(data_need, need * _DIGIT)
        elif whole_headers:
            data_need = max(data_need, min(need, _LABEL_CAP))
    labels = [math.ceil(n) + _PADDING for n in label_needs]
    return labels + [data_need + _PADDING] * (grid.width - grid.label_columns)


__all__ = [
    "GridCell",
    "TableGrid",
    "alignment",
    "column_weights",
    "figure_texts",
    "table_grid",
]
