"""The statutory form as plain frozen data: no I/O, no Excel.

A form (one vintage) has tables; a table has blocks (表二 has four, 表三 and 表四 one each);
a block crosses a tree of row headers with a tree of column headers. Every pair of leaves
is one data cell. Everything else in nianbao — workbook layout, reader, schemas, rules,
summary, export — is derived from these objects.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import Enum
from functools import cached_property

from nianbao.form.rules import Equation


class ValueType(Enum):
    """What a data cell may hold."""

    COUNT = "count"  # non-negative whole number (件、个、宗)
    AMOUNT = "amount"  # non-negative amount in 万元, decimals allowed
    DELTA = "delta"  # whole number that may be negative (2019 本年增/减)

    @property
    def chinese(self) -> str:
        return {"count": "非负整数", "amount": "非负金额（万元）", "delta": "整数（可为负数）"}[
            self.value
        ]


@dataclass(frozen=True)
class Header:
    """A node of a row or column header tree.

    Leaves carry the code that identifies their row or column; ``short`` is the name used
    inside messages where the full statutory label would be unwieldy.
    """

    label: str
    code: str = ""
    children: tuple[Header, ...] = ()
    short: str = ""
    value_type: ValueType | None = None  # columns only; None means the block's default

    @property
    def is_leaf(self) -> bool:
        return not self.children

    @property
    def name(self) -> str:
        return self.short or self.label

    def leaves(self) -> Iterator[Header]:
        if self.is_leaf:
            yield self
        else:
            for child in self.children:
                yield from child.leaves()

    @property
    def depth(self) -> int:
        return 1 + max((c.depth for c in self.children), default=0)


def leaves_of(nodes: tuple[Header, ...]) -> tuple[Header, ...]:
    return tuple(leaf for node in nodes for leaf in node.leaves())


def depth_of(nodes: tuple[Header, ...]) -> int:
    return max((n.depth for n in nodes), default=0)


def path_to(nodes: tuple[Header, ...], leaf: Header) -> tuple[Header, ...]:
    """The chain of headers from a root of ``nodes`` down to ``leaf``."""
    for node in nodes:
        if node is leaf:
            return (node,)
        sub = path_to(node.children, leaf)
        if sub:
            return (node, *sub)
    return ()


@dataclass(frozen=True)
class Block:
    """One rectangular part of a table: a caption, a corner label, row and column headers."""

    rows: tuple[Header, ...]
    columns: tuple[Header, ...]
    caption: str = ""  # 表二's 第二十条第（一）项 …
    corner: str = ""  # top-left header cell: 信息内容, or 表三's note on the balance
    default_type: ValueType = ValueType.COUNT
    show_row_labels: bool = True  # 表四 has a single unlabelled data row

    # Cached: the reader walks them for every table of every file it reads.
    @cached_property
    def row_leaves(self) -> tuple[Header, ...]:
        return leaves_of(self.rows)

    @cached_property
    def column_leaves(self) -> tuple[Header, ...]:
        return leaves_of(self.columns)

    def value_type(self, column: Header) -> ValueType:
        return column.value_type or self.default_type


@dataclass(frozen=True)
class Cell:
    """One data cell of the form, identified by ``key`` = ``表:行:列`` (e.g. ``三:3.3.1:c1``)."""

    table: Table
    block: Block
    row: Header
    column: Header
    derived: bool

    @property
    def key(self) -> str:
        return f"{self.table.code}:{self.row.code}:{self.column.code}"

    @property
    def value_type(self) -> ValueType:
        return self.block.value_type(self.column)

    @property
    def row_path(self) -> tuple[Header, ...]:
        return path_to(self.block.rows, self.row)

    @property
    def column_path(self) -> tuple[Header, ...]:
        return path_to(self.block.columns, self.column)

    @property
    def row_label(self) -> str:
        """The row as a reader of the table names it (表二 prefixes its block caption)."""
        parts = [h.label for h in self.row_path if h.label]
        if self.block.caption:
            parts.insert(0, self.block.caption)
        return " ".join(parts)

    @property
    def column_label(self) -> str:
        # 表三's shared root 申请人情况 says nothing about the column; leave it out.
        path = self.column_path
        if len(self.block.columns) == 1 and len(path) > 1:
            path = path[1:]
        return "·".join(h.label for h in path)

    @property
    def description(self) -> str:
        """Chinese description for messages, e.g. 表三「一、本年新收…」行「自然人」列."""
        if not self.block.show_row_labels:
            return f"{self.table.short}「{self.column_label}」"
        return f"{self.table.short}「{self.row_label}」行「{self.column_label}」列"


@dataclass(frozen=True)
class Table:
    code: str  # 二 / 三 / 四
    title: str  # the statutory heading, also the sheet name
    blocks: tuple[Block, ...]
    # keys of derived cells: filled by the form from its equations
    derived_keys: frozenset[str] = field(default=frozenset())

    @property
    def short(self) -> str:
        return f"表{self.code}"

    @property
    def cells(self) -> tuple[Cell, ...]:
        return tuple(
            Cell(
                self,
                block,
                row,
                column,
                f"{self.code}:{row.code}:{column.code}" in self.derived_keys,
            )
            for block in self.blocks
            for row in block.row_leaves
            for column in block.column_leaves
        )


# eq=False: a form is a singleton per vintage; hashing by identity keeps every
# functools.cache keyed on a form cheap (a deep hash walks all 200 cells).
@dataclass(frozen=True, eq=False)
class Form:
    """One vintage of the statutory form."""

    vintage: str  # "2021" or "2019"
    document: str  # 国办公开办函〔2021〕30号
    years: tuple[int, int | None]  # first and last report year it is for (None: still current)
    tables: tuple[Table, ...]
    equations: tuple[Equation, ...]  # E1, E3, E4, E5, each instantiated per row/column
    # Rules against last year's return (X1, X3): their last_year terms read that return.
    cross_year: tuple[Equation, ...] = ()
    # "" for the statutory form itself; else how a published report departs from it in a way
    # that can still be read exactly (see v2021.ONE_ROW_OTHER). Never offered in templates.
    variant: str = ""

    @cached_property
    def cells(self) -> tuple[Cell, ...]:
        return tuple(cell for table in self.tables for cell in table.cells)

    @cached_property
    def cell_by_key(self) -> dict[str, Cell]:
        return {cell.key: cell for cell in self.cells}

    def cell(self, key: str) -> Cell:
        return self.cell_by_key[key]

    @cached_property
    def input_keys(self) -> tuple[str, ...]:
        return tuple(c.key for c in self.cells if not c.derived)

    @cached_property
    def derived_keys(self) -> tuple[str, ...]:
        return tuple(c.key for c in self.cells if c.derived)

    def table(self, code: str) -> Table:
        for table in self.tables:
            if table.code == code:
                return table
        raise KeyError(code)

    @cached_property
    def defining(self) -> dict[str, Equation]:
        """For each derived cell, the one equation that defines it (its owner for findings)."""
        owners: dict[str, Equation] = {}
        for eq in self.equations:
            if eq.defines and eq.defines not in owners:
                owners[eq.defines] = eq
        return owners

    @cached_property
    def balance_equations(self) -> tuple[Equation, ...]:
        """Equations that define no cell: checked on the completed values (E1)."""
        return tuple(eq for eq in self.equations if not eq.defines)

    def covers_year(self, year: int) -> bool:
        first, last = self.years
        return year >= first and (last is None or year <= last)

    @property
    def label(self) -> str:
        return f"{self.vintage}版（{self.document}）"
