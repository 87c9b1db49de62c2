"""Where every label and data cell of a form sits in nianbao's workbook (pure, no Excel).

The writer renders this layout, the reader looks for data cells where it says and checks the
labels it lists, the annotator marks findings by it. Coordinates are zero-based (row, col).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from nianbao.form.a1 import cell_name
from nianbao.form.model import Block, Form, Header, Table, depth_of

# Bumped whenever a position below changes; written into every workbook's identity.
LAYOUT_VERSION = "1"

COVER_SHEET = "封面"
IDENTITY_SHEET = "_nianbao"  # hidden sheet: key/value pairs that say what the workbook is
IDENTITY_MARKER = "nianbao-return"
# The first sheet of an annotated copy (`check --annotate`): its heading row (these columns
# first) tells the copy from a return, so a copy left among the returns is never read as one.
ANNOTATION_SHEET = "校验意见"
ANNOTATION_HEADERS = ("序号", "规则", "级别", "工作表", "单元格", "说明")
# The sheets a summary workbook adds after the statutory tables (xlsx/summary.py).
SUMMARY_SHEETS = ("分单位明细", "报送情况", "校验问题")
# The heading rows of nianbao's other outputs that are no return: 报送情况 (a summary's sheet,
# and the first sheet of `status -o`) and `export`'s rows (CSV, and its workbook's sheet
# 「数据」). The writers write these, and the reader knows such files by them.
STATUS_HEADINGS = ("单位名称", "上级单位", "单位代码", "状态", "错误数", "警告数", "文件", "问题")
EXPORT_HEADINGS = (
    "单位",
    "上级单位",
    "年度",
    "表式版本",
    "表",
    "行代码",
    "行标签",
    "列代码",
    "列标签",
    "值",
    "计算项",
    "校验结果",
    "文件",
)


@dataclass(frozen=True)
class CoverField:
    key: str  # unit, parent, year, preparer, phone, date
    label: str
    row: int  # the label sits in column A, the value in column B


COVER_FIELDS = (
    CoverField("unit", "填报单位", 2),
    CoverField("parent", "上级单位", 3),
    CoverField("year", "报告年度", 4),
    CoverField("preparer", "填报人", 5),
    CoverField("phone", "联系电话", 6),
    CoverField("date", "填报日期", 7),
)
COVER_VALUE_COL = 1

Pos = tuple[int, int]


@dataclass(frozen=True)
class Label:
    text: str
    first: Pos
    last: Pos  # equal to first unless the label is merged over a range
    kind: str  # title / caption / corner / column / row

    @property
    def merged(self) -> bool:
        return self.first != self.last


@dataclass(frozen=True)
class SheetLayout:
    table: Table
    labels: tuple[Label, ...]
    cells: dict[str, Pos]  # data cell key -> position
    cell_ends: dict[str, Pos]  # a data cell merged over several columns (表二) -> its last cell
    width: int  # columns used by the table
    header_rows: tuple[int, int]  # first and last row of column headers (repeat on print)
    last_row: int  # last row of the table proper (checks come below it)
    check_row: int | None  # row of the live E1 checks, if the table has balance rules

    @property
    def name(self) -> str:
        return self.table.title

    @property
    def fixing_labels(self) -> tuple[Label, ...]:
        """Captions, column and row labels: the ones that fix where data cells are (a title
        or the corner note may be reworded without moving anything)."""
        return tuple(
            label
            for label in self.labels
            if label.kind in ("caption", "column", "row") and label.text
        )

    def address(self, key: str) -> str:
        return cell_name(*self.cells[key])


@dataclass(frozen=True)
class WorkbookLayout:
    form: Form
    sheets: tuple[SheetLayout, ...]

    def sheet_for(self, key: str) -> SheetLayout:
        table = key.split(":", 1)[0]
        for sheet in self.sheets:
            if sheet.table.code == table:
                return sheet
        raise KeyError(key)

    def position(self, key: str) -> Pos:
        return self.sheet_for(key).cells[key]

    def address(self, key: str) -> tuple[str, str]:
        """(sheet name, A1) of a data cell."""
        sheet = self.sheet_for(key)
        return sheet.name, sheet.address(key)


@cache
def layout_for(form: Form) -> WorkbookLayout:
    return WorkbookLayout(form, tuple(_table_layout(form, table) for table in form.tables))


def _table_layout(form: Form, table: Table) -> SheetLayout:
    width = max(_row_label_columns(b) + len(b.column_leaves) for b in table.blocks)
    labels: list[Label] = [Label(table.title, (0, 0), (0, width - 1), "title")]
    cells: dict[str, Pos] = {}
    cell_ends: dict[str, Pos] = {}
    top = 1
    header_rows = (1, 1)
    for index, block in enumerate(table.blocks):
        if block.caption:
            labels.append(Label(block.caption, (top, 0), (top, width - 1), "caption"))
            top += 1
        block_labels, block_cells, block_ends, data_top = _block_layout(table, block, top, width)
        labels += block_labels
        cells.update(block_cells)
        cell_ends.update(block_ends)
        if index == 0:
            header_rows = (top, data_top - 1)
        top = data_top + len(block.row_leaves)
    has_balance = any(eq.table == table.code for eq in form.balance_equations)
    return SheetLayout(
        table=table,
        labels=tuple(labels),
        cells=cells,
        cell_ends=cell_ends,
        width=width,
        header_rows=header_rows,
        last_row=top - 1,
        check_row=top + 1 if has_balance else None,
    )


def _row_label_columns(block: Block) -> int:
    return depth_of(block.rows) if block.show_row_labels else 0


def _block_layout(table: Table, block: Block, top: int, width: int):
    label_cols = _row_label_columns(block)
    header_depth = depth_of(block.columns)
    data_top = top + header_depth
    labels: list[Label] = []
    if label_cols:
        corner_last = (data_top - 1, label_cols - 1)
        labels.append(Label(block.corner, (top, 0), corner_last, "corner"))
    column_leaves = block.column_leaves
    last_col = width - 1

    def column_span(leaf_index: int) -> int:
        # The last column of a narrower block (表二) stretches to the table's width.
        col = label_cols + leaf_index
        return last_col if leaf_index == len(column_leaves) - 1 else col

    for node, depth, first, last in _walk(block.columns):
        first_col, last_col_of_node = label_cols + first, column_span(last)
        bottom = top + depth if node.children else data_top - 1
        labels.append(
            Label(node.label, (top + depth, first_col), (bottom, last_col_of_node), "column")
        )
    if label_cols:
        for node, depth, first, last in _walk(block.rows):
            right = depth if node.children else label_cols - 1
            labels.append(
                Label(node.label, (data_top + first, depth), (data_top + last, right), "row")
            )
    cells: dict[str, Pos] = {}
    ends: dict[str, Pos] = {}
    for i, row in enumerate(block.row_leaves):
        for k, column in enumerate(column_leaves):
            key = f"{table.code}:{row.code}:{column.code}"
            pos = (data_top + i, label_cols + k)
            cells[key] = pos
            end = (data_top + i, column_span(k))
            if end != pos:
                ends[key] = end
    return labels, cells, ends, data_top


def _walk(nodes: tuple[Header, ...], depth: int = 0, start: int = 0):
    """Yield (node, depth, first leaf index, last leaf index) for every node, in order."""
    index = start
    for node in nodes:
        count = sum(1 for _ in node.leaves())
        yield node, depth, index, index + count - 1
        if node.children:
            yield from _walk(node.children, depth + 1, index)
        index += count
