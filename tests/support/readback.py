"""Read published documents back, independently of the code that wrote them.

A table comes back as its printed cells: (row, col, rowspan, colspan, text, is_header), found
by the format's own rules (Word's gridSpan/vMerge, HTML's rowspan/colspan table algorithm).
The expected cells are built here from the form's layout and the return's figures, not from
``nianbao.documents``: a test compares the document with the statutory table, not with itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import docx
import lxml.html
from docx.table import _Cell

from nianbao.form.data import Return
from nianbao.form.layout import layout_for
from nianbao.text import show_value


@dataclass(frozen=True)
class Printed:
    row: int
    col: int
    rowspan: int
    colspan: int
    text: str
    header: bool | None = None  # a label cell (th); None where the format does not say (Word)

    @property
    def shape(self) -> tuple[int, int, int, int, str]:
        return (self.row, self.col, self.rowspan, self.colspan, self.text)


def expected_tables(ret: Return) -> list[list[Printed]]:
    """Each statutory table as printed: the layout without its title row (labels merged as
    the official table has them) and every figure of the return."""
    completed = ret.completed()
    tables = []
    for sheet in layout_for(ret.form).sheets:
        cells = [
            Printed(a[0] - 1, a[1], b[0] - a[0] + 1, b[1] - a[1] + 1, label.text, True)
            for label in sheet.labels
            if label.kind != "title"
            for a, b in [(label.first, label.last)]
        ]
        for key, (row, col) in sheet.cells.items():
            end = sheet.cell_ends.get(key, (row, col))
            cells.append(
                Printed(row - 1, col, 1, end[1] - col + 1, show_value(completed[key]), False)
            )
        tables.append(sorted(cells, key=lambda c: (c.row, c.col)))
    return tables


def label_order(cells: list[Printed], expected: list[Printed]) -> list[str]:
    """The texts of ``cells`` where ``expected`` has labels, in reading order (row by row, left
    to right; a merged cell once, at its top-left)."""
    labels = {(c.row, c.col) for c in expected if c.header}
    return [c.text for c in cells if (c.row, c.col) in labels and c.text]


# -- Word ---------------------------------------------------------------------------------


def docx_tables(path: Path) -> list[list[Printed]]:
    document = docx.Document(str(path))
    return [_word_table(table) for table in document.tables]


def _word_table(table) -> list[Printed]:
    origins: dict[tuple[int, int], list] = {}  # (row, col) of a cell's top-left -> fields
    above: dict[int, tuple[int, int]] = {}  # column -> origin of the cell last seen there
    for r, tr in enumerate(table._tbl.tr_lst):
        col = 0
        for tc in tr.tc_lst:
            span = tc.grid_span
            merge = tc.vMerge  # None, "restart" or "continue"
            if merge == "continue":
                origin = above[col]
                origins[origin][2] += 1
            else:
                origins[(r, col)] = [r, col, 1, span, _Cell(tc, table).text]
                above[col] = (r, col)
            col += span
    return sorted((Printed(*fields) for fields in origins.values()), key=lambda c: (c.row, c.col))


# -- HTML ---------------------------------------------------------------------------------


def html_page(path: Path):
    return lxml.html.fromstring(path.read_bytes())


def html_tables(path: Path) -> list[list[Printed]]:
    return [_html_table(table) for table in html_page(path).iter("table")]


def _html_table(table) -> list[Printed]:
    taken: set[tuple[int, int]] = set()
    cells = []
    for r, tr in enumerate(table.iter("tr")):
        col = 0
        for cell in tr:
            if cell.tag not in ("td", "th"):
                continue
            while (r, col) in taken:
                col += 1
            rowspan = int(cell.get("rowspan", "1"))
            colspan = int(cell.get("colspan", "1"))
            for dr in range(rowspan):
                for dc in range(colspan):
                    taken.add((r + dr, col + dc))
            cells.append(Printed(r, col, rowspan, colspan, cell.text_content(), cell.tag == "th"))
            col += colspan
    return sorted(cells, key=lambda c: (c.row, c.col))
