"""Finding the statutory tables in a grid by their labels (workbooks not made by nianbao).

A unit that typed the tables itself keeps the official labels but puts them anywhere: all three
tables on one sheet or one per sheet, any sheet names, title rows, blank rows, offsets. The
tables are found the way a person reads them:

- 表二: each block by its caption (第二十条第（一）项 …), its columns in the header row below
  the caption, its rows by their labels below that;
- 表三: the data rows by their row labels (一、本年新收… to 四、结转下年度继续办理), the data
  columns by the header tree above the first data row (申请人情况 › 自然人, 法人或其他组织 ›
  商业企业 …, 总计);
- 表四: the header tree from 行政复议 / 行政诉讼 down to the fifteen leaves, each leaf searched
  within the columns its parent spans; the data row is the row under the deepest header. Too
  wide for a portrait page, it may be printed as its column groups one under another (行政复议
  with its figure row, below it 行政诉讼 with its own, or 未经复议直接起诉 and 复议后起诉
  apart): each group is then found by its own header and its one figure row, and the groups
  are joined; a group whose figure row is missing or not the only one is recorded
  (``stack_problem``) for the reader to refuse, never guessed. Text reads the groups by order
  (recognise/sequence.py) and chooses among the ways of stacking as this module does
  (``stacked_reading``).

A data cell is where its row label's row meets its column label's column. A column label
merged over several columns (a workbook's merged range, a document's colspan or gridSpan:
``Sheet.merges``) stands over all of them: where the figure row has separate cells under it,
the figure is the one of them that holds anything, and more than one holding something is
recorded for the reader to refuse (``under_headers``; one policy for workbooks and documents,
the template's own layout included). A leaf label that is missing but sits between found
neighbours at the official distance is placed by position (reported as L04). The vintage is recognised by the labels only one vintage has; a workbook
with labels of both is refused rather than guessed.

A sheet may hold more than one copy of a table (last year's pasted below this year's, or side
by side): ``locate_all`` starts one search at every place the table's anchor label (its first
caption, first row label or first column root) occurs, a copy beside another confined to the
columns from its anchor to the next one's, a copy above another to the rows before the next
one's anchor (a copy missing a caption or a row label must not take the next copy's: it would
look complete, its own figures hidden), and returns every copy it finds; the reader decides
among them, never this module. An anchor label printed again right below itself (only blank
rows between: a row pasted twice) starts no copy of its own: it is a repeated row.

What this module does judge is whether the labels vouch for the places it gives: a label found
out of the form's order (two columns or rows swapped) marks the copy ``misordered`` (never
complete, never read by position), except a 总计 column, whose cells are computed and which is
placed by its label wherever it stands; a row label repeated below its row, before the next
row's label, or after the last row with only blank rows between, is recorded in ``repeated`` for
the reader to compare the figures (L09). Two column leaves are never placed in one column of the
page: where a group's label is lost (表四's 未经复议直接起诉 and 复议后起诉 repeat the same five
leaves), the leaves sought again in the same columns are not found and the group's label is
named missing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from enum import Enum
from functools import cache
from typing import Any, TypeVar, cast

from nianbao.form.findings import Rule
from nianbao.form.layout import layout_for
from nianbao.form.model import Block, Form, Header, Table
from nianbao.recognise.labels import Match, accepted, canonical, compare
from nianbao.recognise.normalize import normalize
from nianbao.sources.grid import CellValue, Sheet

Pos = tuple[int, int]
Hit = tuple[int, int, str]  # row, col, the text found there

# How far from its anchor a table's parts may be (rows). Generous for blank rows, tight enough
# not to reach into the next table on the same sheet.
HEADER_ROWS_ABOVE = 8
HEADER_ROWS_BELOW = 5
ROW_SLACK = 12
BIG = 1 << 30


@dataclass(frozen=True)
class LabelNote:
    """A label read as the official one although typed differently (L02), or placed by position (L04)."""

    rule: Rule
    sheet: str
    pos: Pos
    found: str  # what the cell holds ("" when empty)
    official: str


class Stacking(Enum):
    """Why a group of a stacked table cannot be read."""

    NOT_FOUND = "not found"  # its label is not under the group above
    LABELS = (
        "labels"  # its header lacks labels or has them out of order (``missing``, ``misordered``)
    )
    NO_FIGURES = "no figures"  # nothing under its header
    ROWS = "rows"  # more than one row of figures under its header


@dataclass(frozen=True)
class StackProblem:
    group: str  # the group's label
    why: Stacking
    rows: int = 0  # the rows of figures found under its header (ROWS)


@dataclass
class Placement:
    """Where one table's data cells are on one sheet."""

    table: Table
    sheet: str
    cells: dict[str, Pos] = field(default_factory=dict)
    notes: list[LabelNote] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # official labels not found
    # labels found out of the form's order: (label, the label it should follow, "行"/"列"; "竖"
    # for a column label under the one it should follow, in its column: the table set upright).
    # Such a table is never read by position: its figures would land in each other's cells.
    misordered: list[tuple[str, str, str]] = field(default_factory=list)
    # row leaf code -> (row, shift) of the rows below its own that repeat its label before
    # the next row's label, or after the last row with only blank rows between (a row pasted
    # twice), ``shift`` the columns their label stands right of its own: the reader compares
    # their figures (L09)
    repeated: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    # data cell key -> the cells under its column header's span, in its row, that hold
    # something, when more than one does: which is the figure cannot be told (the reader
    # reads none of them and says so); see ``under_headers``
    spread: dict[str, list[Pos]] = field(default_factory=dict)
    # 表四 printed as column groups one under another, each with its own header and figure
    # row: the groups' labels in order (empty for a table printed as the form has it), and
    # why the stack cannot be read when it cannot (its figure rows are never guessed)
    stack: tuple[str, ...] = ()
    stack_problem: StackProblem | None = None
    top: int = 0  # the table's first row (its caption or top header): a title above says its year
    left: int = (
        0  # the column its search started from (its anchor): tells copies side by side apart
    )

    @property
    def complete(self) -> bool:
        return (
            not self.missing
            and not self.misordered
            and self.stack_problem is None
            and len(self.cells) == _shape(self.table).cells
        )


class SheetIndex:
    """The texts of one sheet by canonical form, for label lookups in a region."""

    def __init__(self, sheet: Sheet) -> None:
        self.sheet = sheet
        index: dict[str, list[Hit]] = {}
        for r, line in enumerate(sheet.rows):
            for c, value in enumerate(line):
                if type(value) is str and (key := canonical(value)):
                    hits = index.get(key)
                    if hits is None:
                        index[key] = [(r, c, value)]
                    else:
                        hits.append((r, c, value))
        self.by_canonical = index

    def find(
        self, official: str, rows: tuple[int, int] = (0, BIG), cols: tuple[int, int] = (0, BIG)
    ) -> list[Hit]:
        """Cells in the region holding ``official`` or a tolerated variant, in reading order."""
        lo, hi = rows
        left, right = cols
        hits = [
            hit
            for form in accepted(official)
            for hit in self.by_canonical.get(form, ())
            if lo <= hit[0] <= hi and left <= hit[1] <= right
        ]
        hits.sort()
        return hits

    def has(self, official: str) -> bool:
        return any(form in self.by_canonical for form in accepted(official))


# -- vintage ---------------------------------------------------------------------------------


@cache
def form_labels(form: Form) -> frozenset[str]:
    """Every caption, column and row label of ``form``."""
    return frozenset(
        label.text for sheet in layout_for(form).sheets for label in sheet.fixing_labels
    )


@cache
def vintage_markers(form: Form, others: tuple[Form, ...]) -> tuple[str, ...]:
    """Labels of ``form`` that no other vintage has, even allowing for tolerated variants."""
    other_forms: set[str] = set()
    for other in others:
        for text in form_labels(other):
            other_forms |= accepted(text)
    return tuple(sorted(text for text in form_labels(form) if not accepted(text) & other_forms))


def markers_present(
    form: Form, others: tuple[Form, ...], indexes: Sequence[SheetIndex]
) -> list[str]:
    return [m for m in vintage_markers(form, others) if any(ix.has(m) for ix in indexes)]


# -- what follows from a form, worked out once --------------------------------------------------

_T = TypeVar("_T")
_ONCE: dict[tuple[Callable[..., object], int], tuple[object, object]] = {}


def once_for(owner: Any, work: Callable[..., _T], *args: Any) -> _T:
    """``work(owner, *args)``, worked out once for ``owner``: a form's table or a layout's
    cells, which live as long as the process (``args`` follow from ``owner``). Keyed by
    identity: a Table hashes by value, walking its whole header tree each time, and a dict
    of cells does not hash at all."""
    entry = _ONCE.get((work, id(owner)))
    if entry is None or entry[0] is not owner:
        entry = (owner, work(owner, *args))
        _ONCE[work, id(owner)] = entry
    return cast(_T, entry[1])


# -- tables ----------------------------------------------------------------------------------

Cols = tuple[int, int]  # the columns a search may look in, inclusive


@dataclass(frozen=True)
class _Shape:
    """What every search needs to know of a table, computed once."""

    cells: int  # its data cells
    height: int  # rows a copy spans at most: its row leaves and headers
    anchors: tuple[str, ...]  # the label a copy starts with; for 表三 its first three rows


def _shape(table: Table) -> _Shape:
    return once_for(table, _work_out_shape)


def _work_out_shape(table: Table) -> _Shape:
    block = table.blocks[0]
    if block.caption:
        first: tuple[str, ...] = (block.caption,)
    elif block.show_row_labels:
        first = tuple(leaf.label for leaf in block.row_leaves[:3])
    else:
        first = (block.columns[0].label,)
    rows = sum(len(b.row_leaves) for b in table.blocks)
    return _Shape(len(table.cells), rows + HEADER_ROWS_ABOVE, first)


def anchor_label(table: Table) -> str:
    """The label a copy of ``table`` starts with (named in messages when none is found)."""
    return _shape(table).anchors[0]


def anchors(table: Table, index: SheetIndex) -> list[Hit]:
    """Where copies of ``table`` may start on the sheet, in reading order: the anchor label's
    hits; for 表三 the first of its first three row labels found, moved up to where the first
    one would be (a retyped first label must not hide the table)."""
    for i, label in enumerate(_shape(table).anchors):
        hits = index.find(label)
        if hits:
            return [(r - i, c, text) for r, c, text in hits]
    return []


def locate_all(table: Table, index: SheetIndex, skip: Iterable[Pos] = ()) -> list[Placement]:
    """Every copy of ``table`` on the sheet (complete or not), one search per anchor except
    those at ``skip`` (a copy the caller has already placed), each ending before the next
    copy's anchor below it."""
    found = copy_anchors(table, index)
    skipped = set(skip)
    height = _shape(table).height
    placements: list[Placement] = []
    seen: set[frozenset[tuple[str, Pos]]] = set()
    for row, col, _ in found:
        if (row, col) in skipped:
            continue
        # side by side: from its own anchor to the next copy's (a table's labels and data are
        # not left of its anchor); alone on its rows, the whole width as ever
        beside = [c for r, c, _ in found if abs(r - row) <= height and c != col]
        cols = (
            col if any(c < col for c in beside) else 0,
            min((c - 1 for c in beside if c > col), default=BIG),
        )
        placement = locate_table(table, index, (row, col), cols, next_anchor(found, row, cols))
        placement.left = col
        key = frozenset(placement.cells.items())
        if key not in seen:
            seen.add(key)
            placements.append(placement)
    return placements


def copy_anchors(table: Table, index: SheetIndex) -> list[Hit]:
    """Where copies of ``table`` start (``anchors``), less an anchor label printed again below
    itself with only blank rows between (a row or caption pasted twice): that is one copy with
    a repeated row, not a copy of its own."""
    found = anchors(table, index)
    kept: list[Hit] = []
    for hit in found:
        above = [h for h in found if h[1] == hit[1] and h[0] < hit[0]]
        if above and blank_between(index.sheet, max(h[0] for h in above), hit[0], (hit[1], BIG)):
            continue
        kept.append(hit)
    return kept


def next_anchor(found: Iterable[Hit], row: int, cols: Cols) -> int:
    """The last row a copy anchored at ``row`` may use: the row before the next copy's anchor
    below it in its columns (BIG when there is none)."""
    return min((r - 1 for r, c, _ in found if r > row and cols[0] <= c <= cols[1]), default=BIG)


def blank_between(sheet: Sheet, above: int, below: int, cols: Cols) -> bool:
    """Whether every row strictly between ``above`` and ``below`` is blank in ``cols``."""
    return all(_blank_row(sheet, r, cols) for r in range(above + 1, below))


def _blank_row(sheet: Sheet, row: int, cols: Cols) -> bool:
    rows = sheet.rows
    if row >= len(rows):
        return True
    line = rows[row]
    return all(
        value is None or (type(value) is str and not value.strip())
        for value in line[cols[0] : cols[1] + 1]
    )


def locate_table(
    table: Table,
    index: SheetIndex,
    anchor: Pos | None = None,
    cols: Cols = (0, BIG),
    bottom: int = BIG,
) -> Placement:
    """Find ``table`` on the indexed sheet starting at ``anchor`` (default: its first anchor),
    using no row below ``bottom`` (the next copy's)."""
    if anchor is None:
        found = anchors(table, index)
        anchor = (found[0][0], found[0][1]) if found else (0, 0)
    block = table.blocks[0]
    if block.caption:
        placement = _locate_captioned(table, index, anchor[0], cols, bottom)
    elif block.show_row_labels:
        placement = _locate_rows_first(table, block, index, anchor[0], cols, bottom)
    else:
        placement = _locate_header_first(table, block, index, anchor[0], cols, bottom)
    return under_headers(placement, index)


# -- a figure under its column header's span ----------------------------------------------------


def under_headers(placement: Placement, index: SheetIndex, *, layout: bool = False) -> Placement:
    """``placement`` with each data cell read from under its column header's whole span.

    A data cell stands where its row meets its column label's column: the label's own (its
    merged range's first) column. A label merged over several columns (「本年处理决定数量」
    over three, in a workbook's merged range or a document's colspan/gridSpan) may stand over
    a figure row of separate cells, the figure in the second or third (a unit that kept the
    2019 form's three cells in the row and merged only the header). The figure is whichever
    of the cells under the span, in the data cell's row, holds anything (V04 says what is
    blank; a formula without its result or an error value counts): exactly one, that one is
    the data cell, with nothing to say; more than one, they are recorded in ``spread`` (an
    error naming them: which one is the column's figure cannot be told); none, the label's
    column as before (blank). A cell covered by a merged range of its own row (a data cell
    merged over the span, as the template has it) is not one of them: only its range's first
    cell is (a figure hidden under it is V11's). The header is the column label nearest
    above the data cell in its column, within the table (a block's own header).

    A placement whose cells are a layout's (shared by every template return; ``layout``) is
    given a cells dict of its own when one moves, never changes the layout's."""
    sheet = index.sheet
    ranges = sheet.merged_ranges
    wide = {(r1, c1): c2 for r1, c1, _, c2 in ranges if c2 > c1}
    if not wide:
        return placement
    starts = {c for _, c in wide}
    table = placement.table
    taken, by_header = per_layout(_by_column_header, placement.cells, layout, table)
    cells = placement.cells
    covered: dict[int, set[int]] = {}  # a row's covered columns, looked up once
    for label, c, members in by_header:
        if c not in starts:
            continue
        # the column's labels, in reading order
        labelled = index.find(label, rows=(placement.top, BIG), cols=(c, c))
        for key, r in members:
            above = [hit for hit in labelled if hit[0] < r]
            right = wide.get(above[-1][:2]) if above else None
            if right is None:
                continue
            if r not in covered:
                covered[r] = _covered_in_row(ranges, r)
            hidden = covered[r]
            under = [(r, c)] + [
                (r, col)
                for col in range(c + 1, right + 1)
                if (r, col) not in taken and col not in hidden
            ]
            if len(under) == 1:
                continue  # the data cell merged over the span (the form as printed)
            holding = [pos for pos in under if _holds(sheet, pos)]
            if len(holding) > 1:
                placement.spread[key] = holding
            elif holding and holding[0] != (r, c):
                if cells is placement.cells:
                    cells = dict(cells)
                cells[key] = holding[0]
    placement.cells = cells
    return placement


_ByHeader = tuple[tuple[str, int, tuple[tuple[str, int], ...]], ...]


def _by_column_header(cells: dict[str, Pos], table: Table) -> tuple[frozenset[Pos], _ByHeader]:
    """The positions of ``cells``, and the table's inputs among them grouped by their column
    label and column: (label, column, ((key, row), …)), in the order of ``cells``."""
    groups: dict[tuple[str, int], list[tuple[str, int]]] = {}
    for key, (r, c) in cells.items():
        if key not in table.derived_keys:
            groups.setdefault((_column_label(table, key), c), []).append((key, r))
    by_header = tuple((label, c, tuple(members)) for (label, c), members in groups.items())
    return frozenset(cells.values()), by_header


def _covered_in_row(ranges: list[tuple[int, int, int, int]], row: int) -> set[int]:
    """The columns of ``row`` that lie inside a merged range other than as its first cell."""
    covered: set[int] = set()
    for r1, c1, r2, c2 in ranges:
        if r1 <= row <= r2:
            covered.update(range(c1 + 1 if row == r1 else c1, c2 + 1))
    return covered


def _holds(sheet: Sheet, pos: Pos) -> bool:
    """Whether the cell holds anything: not blank as V04 has it, or flagged (a formula
    without its result, an error value)."""
    raw = sheet.cell(*pos)
    if raw is None:
        return pos in sheet.flags
    return normalize(raw)[1] is not Rule.V04


def _column_label(table: Table, key: str) -> str:
    """The label of the data cell ``key``'s column leaf."""
    return once_for(table, _column_labels)[key]


def _column_labels(table: Table) -> dict[str, str]:
    return {
        f"{table.code}:{row.code}:{column.code}": column.label
        for block in table.blocks
        for row in block.row_leaves
        for column in block.column_leaves
    }


def _locate_captioned(
    table: Table, index: SheetIndex, top: int, cols: Cols, bottom: int = BIG
) -> Placement:
    """表二: blocks one below the other, each starting with its caption."""
    placement = Placement(table, index.sheet.name, top=top)
    for block in table.blocks:
        hits = index.find(block.caption, rows=(top, bottom), cols=cols)
        if not hits:
            placement.missing.append(block.caption)
            continue
        caption_row, _, text = hits[0]
        _note_variant(placement, (caption_row, hits[0][1]), text, block.caption)
        header = (caption_row + 1, min(caption_row + HEADER_ROWS_BELOW, bottom))
        columns = _place_columns(index, placement, block, header, cols, prefer_near_top=True)
        found_rows = [hit[0] for hit in columns.values() if hit is not None]
        data_top = max(found_rows, default=caption_row + 1) + 1
        hi = min(data_top + len(block.row_leaves) + ROW_SLACK, bottom)
        rows = _place_rows(index, placement, block, data_top, hi, cols, bottom)
        _fill_cells(placement, block, rows, columns)
        top = max([r for r in rows if r is not None], default=data_top) + 1
    return placement


def _locate_rows_first(
    table: Table, block: Block, index: SheetIndex, anchor: int, cols: Cols, bottom: int = BIG
) -> Placement:
    """表三: row labels first (they are long and unique), then the header tree above them."""
    leaves = block.row_leaves
    placement = Placement(table, index.sheet.name, top=BIG)
    hi = min(anchor + len(leaves) + ROW_SLACK, bottom)
    rows = _place_rows(index, placement, block, anchor, hi, cols, bottom)
    data_top = min((r for r in rows if r is not None), default=anchor)
    header = (max(0, data_top - HEADER_ROWS_ABOVE), data_top - 1)
    columns = _place_columns(index, placement, block, header, cols, prefer_near_top=False)
    placement.top = min(placement.top, data_top)  # the top header row found, if any
    _fill_cells(placement, block, rows, columns)
    return placement


def _locate_header_first(
    table: Table, block: Block, index: SheetIndex, top: int, cols: Cols, bottom: int = BIG
) -> Placement:
    """表四: the header tree from its first root down; one data row under the deepest header.
    Not found whole so, its column groups printed one under another (``_locate_stacked``)."""
    placement = Placement(table, index.sheet.name, top=top)
    header = (top, min(top + HEADER_ROWS_BELOW, bottom))
    columns = _place_columns(index, placement, block, header, cols, prefer_near_top=True)
    deepest = max((hit[0] for hit in columns.values() if hit is not None), default=top)
    row = deepest + 1
    found = [hit[1] for hit in columns.values() if hit is not None]
    if _table_ends(index.sheet, row) and _figures_only(index.sheet, row + 1, found):
        row += 1  # a document's header table, its data row in a table of its own (a page break)
    if numbered_row(index.sheet, row, [hit[1] for hit in columns.values() if hit is not None]):
        row += 1  # the header's 栏次 row (1 … 15): the figures are under it
    if row > bottom:  # the next copy starts right under the header: no data row
        placement.missing.append(f"{table.short}数据行")
    else:
        _fill_cells(placement, block, [row], columns)
    if placement.complete:
        return placement
    return _locate_stacked(table, block, index, top, cols, bottom) or placement


# -- a table printed as column groups one under another -------------------------------------------


def stackings(nodes: tuple[Header, ...]) -> list[tuple[Header, ...]]:
    """The ways the column groups ``nodes`` may be printed one under another, coarsest first:
    each a sequence of groups (headers with columns under them) whose leaves are ``nodes``'
    in order. 表四: 行政复议 · 行政诉讼, or 行政复议 · 未经复议直接起诉 · 复议后起诉."""
    ways: list[tuple[Header, ...]] = [()]
    for node in nodes:
        own: list[tuple[Header, ...]] = [(node,)]
        if node.children and all(child.children for child in node.children):
            own += stackings(node.children)  # its subgroups apart, each under its own header
        ways = [way + more for way in ways for more in own]
    return ways


def _locate_stacked(
    table: Table, block: Block, index: SheetIndex, top: int, cols: Cols, bottom: int
) -> Placement | None:
    """``table`` printed as column groups one under another (表四 too wide for a portrait page:
    行政复议 with its figure row, and below it 行政诉讼 with its own): each group found by its
    own header, its figure row the one row under it, the groups joined into the one table.
    The first way of ``stackings`` found whole, else the one found furthest, so that the
    reader can say what is wrong with it; None when no two groups are found one under the
    other (the table is not stacked: its own placement says what is wrong)."""
    return stacked_reading(block, lambda way: _stacked(table, block, index, way, top, cols, bottom))


def stacked_reading(
    block: Block, read: Callable[[tuple[Header, ...]], Placement]
) -> Placement | None:
    """Which reading of ``block`` as column groups one under another stands (one policy for
    grids and text, recognise/sequence.py): ``read`` reads it as one way of ``stackings``;
    the first way read whole, else the stacked one read furthest (what is wrong with it is
    what the reader says); None when no way is stacked (no two groups one under the other) or
    a column has no group over it, which cannot be printed apart."""
    if any(not root.children for root in block.columns):
        return None
    tries = [read(way) for way in stackings(block.columns)]
    stacked = [p for p in tries if p.stack]
    whole = [p for p in stacked if p.complete]
    if whole:
        return whole[0]
    return max(stacked, key=lambda p: len(p.cells), default=None)


def _stacked(
    table: Table,
    block: Block,
    index: SheetIndex,
    groups: tuple[Header, ...],
    top: int,
    cols: Cols,
    bottom: int,
) -> Placement:
    """``table`` read as ``groups`` printed one under another, from ``top``; its ``stack``
    empty when the second group's label is not under the first group (beside it, the table
    is printed as the form has it: its own placement says what is wrong)."""
    sheet = index.sheet
    placement = Placement(table, sheet.name, top=top)
    rows = (top, min(top + HEADER_ROWS_BELOW, bottom))  # where the next group's label may be
    for n, group in enumerate(groups):
        hits = index.find(group.label, rows=rows, cols=cols)
        if not hits:
            placement.stack_problem = StackProblem(group.label, Stacking.NOT_FOUND)
            return placement
        label_row = hits[0][0]
        # its header ends before the next group's label: a label missing from it must not be
        # taken from the next group's header, which repeats the same leaf labels
        later = [
            hit
            for other in groups[n + 1 :]
            for hit in index.find(other.label, rows=(label_row + 1, bottom), cols=cols)[:1]
        ]
        last = min([r - 1 for r, _, _ in later], default=min(label_row + HEADER_ROWS_BELOW, bottom))
        part = replace(block, columns=(group,))
        columns = _place_columns(
            index, placement, part, (label_row, last), cols, prefer_near_top=True
        )
        found = [hit for hit in columns.values() if hit is not None]
        span = _span(sheet, [*found, hits[0]])
        if n + 1 < len(groups) and index.find(
            groups[n + 1].label, rows=(label_row, label_row), cols=(span[1] + 1, cols[1])
        ):  # the next group printed beside this one, not under it: not this way
            return Placement(table, sheet.name, top=top)
        if n == 0:
            if not any(c <= span[1] for _, c, _ in later):
                return placement
            placement.stack = tuple(g.label for g in groups)
        if placement.missing or placement.misordered:
            placement.stack_problem = StackProblem(group.label, Stacking.LABELS)
            return placement
        figure_row = max(hit[0] for hit in found) + 1
        if figure_row > last or not _figure_row(sheet, figure_row, span, block):
            placement.stack_problem = StackProblem(group.label, Stacking.NO_FIGURES)
            return placement
        # below it, to the next group's label (the last group: to the first blank row), no
        # other row of figures: which of them is the group's cannot be told
        end = last if n + 1 < len(groups) else _last_filled(sheet, figure_row, last, span)
        more = [r for r in range(figure_row + 1, end + 1) if has_number(sheet, r, span)]
        if more:
            placement.stack_problem = StackProblem(group.label, Stacking.ROWS, 1 + len(more))
            return placement
        _fill_cells(placement, part, [figure_row], columns)
        rows = (figure_row + 1, min(figure_row + HEADER_ROWS_BELOW, bottom))
    return placement


def _span(sheet: Sheet, hits: Sequence[Hit]) -> Cols:
    """The columns a group's labels stand over, merged ranges included."""
    ends = {(r1, c1): c2 for r1, c1, _, c2 in sheet.merged_ranges}
    return min(hit[1] for hit in hits), max(ends.get(hit[:2], hit[1]) for hit in hits)


def _figure_row(sheet: Sheet, row: int, span: Cols, block: Block) -> bool:
    """Whether ``row`` may be a group's figure row: something in ``span``, no column label
    of the table (the next group's header: this group's figures are not printed)."""
    if _blank_row(sheet, row, span):
        return False
    labels = _column_forms(block)
    return not any(
        type(raw) is str and canonical(raw) in labels
        for raw in sheet.rows[row][span[0] : span[1] + 1]
    )


@cache
def _column_forms(block: Block) -> frozenset[str]:
    """Every column label of ``block`` in its canonical forms, tolerated variants too."""

    def walk(nodes: tuple[Header, ...]) -> Iterable[str]:
        for node in nodes:
            yield from accepted(node.label)
            yield from walk(node.children)

    return frozenset(walk(block.columns))


def _last_filled(sheet: Sheet, row: int, last: int, span: Cols) -> int:
    """The row above the first blank one after ``row`` (in ``span``), at most ``last``."""
    end = min(last, len(sheet.rows) - 1)
    while row < end and not _blank_row(sheet, row + 1, span):
        row += 1
    return row


def _table_ends(sheet: Sheet, row: int) -> bool:
    """Whether a document's table ends above ``row`` and another begins below it (Word's
    拆分表格 before a page break leaves 表四's header and its data row in two tables)."""
    rows = sheet.rows
    return sheet.document and row + 1 < len(rows) and not rows[row] and bool(rows[row + 1])


def _figures_only(sheet: Sheet, row: int, columns: Iterable[int]) -> bool:
    """Whether ``row`` holds figures (or 「—」 for none) and nothing else in ``columns``: the
    data row of a table split off from its header, not the next table or the next copy (a
    title, a header) after a copy whose data row was printed blank."""
    cells = [sheet.cell(row, c) for c in columns]
    values = [normalize(v, document=True)[0] for v in cells if v is not None and str(v).strip()]
    return bool(values) and all(isinstance(v, int | Decimal) or v is None for v in values)


def numbered_row(sheet: Sheet, row: int, columns: Iterable[int]) -> bool:
    """Whether ``row`` is a header's 栏次 row in ``columns`` (every one filled, 1 … 15): a
    table's one data row (表四's) is the row under it, whether found by labels or in place."""
    numbered = [sheet.cell(row, c) for c in columns]
    return all(v is not None for v in numbered) and column_numbers(numbered)


def column_numbers(values: Sequence[CellValue]) -> bool:
    """Whether a row's cells in a table's data columns are its column numbers (栏次: 1, 2, 3 …;
    0, 1, 2 …; or numbering carried on from the table before), not figures: every filled cell
    a whole number, at least two, each the one before plus one. 表四's data row never is (its
    总计 is the sum of the four before it), nor a row a unit adds: the reader passes such a
    row under a header over, and does not count it as figures lost (L10)."""
    filled = [v for v in values if v is not None and not (type(v) is str and not v.strip())]
    numbers = [n for v in filled if type(n := normalize(v, document=True)[0]) is int]
    return 2 <= len(numbers) == len(filled) and all(
        b == a + 1 for a, b in zip(numbers, numbers[1:], strict=False)
    )


def has_number(sheet: Sheet, row: int, span: Cols) -> bool:
    """Whether ``row`` holds a figure in ``span`` (a heading or a note holds none)."""
    line = sheet.rows[row] if row < len(sheet.rows) else []
    return any(
        isinstance(normalize(raw, document=True)[0], int | Decimal)
        for raw in line[span[0] : span[1] + 1]
        if raw is not None
    )


# -- rows and columns --------------------------------------------------------------------------


def _place_rows(
    index: SheetIndex,
    placement: Placement,
    block: Block,
    lo: int,
    hi: int,
    cols: Cols,
    bottom: int = BIG,
) -> list[int | None]:
    """The sheet row of each row leaf, in order; missing ones placed by position when possible."""
    rows: list[int | None] = []
    label_cols: list[int] = []
    previous = lo - 1
    for leaf in block.row_leaves:
        hits = index.find(leaf.label, rows=(previous + 1, hi), cols=cols)
        if hits:
            r, c, text = hits[0]
            _note_variant(placement, (r, c), text, leaf.label)
            rows.append(r)
            label_cols.append(c)
            previous = r
        else:
            rows.append(None)
            earlier = [
                hit
                for hit in index.find(leaf.label, rows=(lo, previous), cols=cols)
                if hit[0] not in rows
            ]
            if earlier:
                placement.misordered.append((leaf.label, _last_found(block.row_leaves, rows), "行"))
    placement.repeated.update(repeated_rows(index, block, rows, cols, bottom))
    inferred = _infer(rows)
    label_col = max(label_cols, default=0)
    for i, leaf in enumerate(block.row_leaves):
        row = inferred[i]
        if rows[i] is None and row is not None:
            _note_position(placement, index, (row, label_col), leaf.label)
        elif row is None:
            placement.missing.append(leaf.label)
    return inferred


def repeated_rows(
    index: SheetIndex,
    block: Block,
    rows: Sequence[int | None],
    cols: Cols = (0, BIG),
    bottom: int = BIG,
) -> dict[str, list[tuple[int, int]]]:
    """Row leaf code -> (row, shift) of each row below its own that prints its label again
    (L09), ``shift`` the columns its label stands right of the row's own (a row printed in a
    table of its own, aligned otherwise): before the next row found, or, below the last row
    found, after blank rows only (not past another table's row or another label: a row pasted
    under the table, a blank row between)."""
    repeated: dict[str, list[tuple[int, int]]] = {}
    below: list[int | None] = []  # the next row found below each (one pass, from the bottom)
    found_below = None
    for row in reversed(rows):
        below.append(found_below)
        found_below = row if row is not None else found_below
    below.reverse()
    for leaf, row, following in zip(block.row_leaves, rows, below, strict=True):
        if row is None:
            continue
        if following is None:
            again = _pasted_below(index, leaf.label, row, cols, bottom)
        elif following > row + 1:
            again = index.find(leaf.label, rows=(row + 1, following - 1), cols=cols)
        else:
            continue  # the next row right below: no room for a repeat
        own = index.find(leaf.label, rows=(row, row), cols=cols) if again else []
        if own:  # (a row placed by position, L04, has no label to be printed again)
            repeated[leaf.code] = [(r, c - own[0][1]) for r, c, _ in again]
    return repeated


def repeated_in_place(
    table: Table, index: SheetIndex, cells: dict[str, Pos]
) -> dict[str, list[tuple[int, int]]]:
    """``repeated`` (L09) of a copy placed without a search (a template's table where the
    template puts it): its row labels printed again below their rows."""
    repeated: dict[str, list[tuple[int, int]]] = {}
    for block, rows in _layout_rows(table, cells):
        repeated.update(repeated_rows(index, block, rows))
    return repeated


_BlockRows = list[tuple[Block, list[int | None]]]


def _layout_rows(table: Table, cells: dict[str, Pos]) -> _BlockRows:
    """Each labelled block of ``table`` with the row of each of its row leaves in ``cells`` (a
    layout's fixed positions: worked out once per layout)."""
    return per_layout(_work_out_layout_rows, cells, True, table)


def _work_out_layout_rows(cells: dict[str, Pos], table: Table) -> _BlockRows:
    blocks: _BlockRows = []
    for block in table.blocks:
        if not block.show_row_labels:
            continue
        first = block.column_leaves[0].code
        rows = [
            pos[0] if (pos := cells.get(f"{table.code}:{leaf.code}:{first}")) else None
            for leaf in block.row_leaves
        ]
        blocks.append((block, rows))
    return blocks


def per_layout(work: Callable[..., _T], cells: dict[str, Pos], layout: bool, *args: Any) -> _T:
    """``work(cells, *args)``. ``layout``: the cells are a layout's, which every template
    return shares (and ``args`` follow from them): worked out once (``once_for``)."""
    return once_for(cells, work, *args) if layout else work(cells, *args)


def _pasted_below(index: SheetIndex, label: str, row: int, cols: Cols, bottom: int) -> list[Hit]:
    """The hits of ``label`` under ``row``, blank rows apart, up to the first row that is
    neither (or ``bottom``)."""
    hits = {hit[0]: hit for hit in reversed(index.find(label, rows=(row + 1, bottom), cols=cols))}
    again: list[Hit] = []
    r = row + 1
    limit = min(bottom, len(index.sheet.rows) - 1)
    while r <= limit:
        if r in hits:
            again.append(hits[r])
        elif not _blank_row(index.sheet, r, cols):
            break
        r += 1
    return again


def _place_columns(
    index: SheetIndex,
    placement: Placement,
    block: Block,
    rows: tuple[int, int],
    cols: Cols,
    *,
    prefer_near_top: bool,
) -> dict[str, Hit | None]:
    """Column leaf code -> the hit of its label, searched down the header tree."""
    found: dict[str, Hit | None] = {}

    def walk(
        nodes: tuple[Header, ...],
        row_lo: int,
        row_hi: int,
        left: int,
        right: int,
        near_top: bool,
        unfound: str | None = None,
    ) -> None:
        hits: list[Hit | None] = []
        previous = left - 1
        for node in nodes:
            candidates = index.find(node.label, rows=(row_lo, row_hi), cols=(previous + 1, right))
            if candidates:
                # near the top: the first row below the parent; else the row nearest the data
                pick = min(candidates, key=lambda h: (h[0] if near_top else -h[0], h[1]))
                hits.append(pick)
                previous = pick[1]
                placement.top = min(placement.top, pick[0])
            else:
                hits.append(None)
                claimed = {hit[:2] for hit in [*hits, *found.values()] if hit}
                earlier = [
                    hit
                    for hit in index.find(node.label, rows=(row_lo, row_hi), cols=(left, previous))
                    if hit[:2] not in claimed
                ]
                if earlier and _only_totals(placement.table, block, node):
                    # a total column printed elsewhere (总计 first): its cells are computed
                    # from the others, so where it stands changes no figure read
                    aside[node.code] = earlier[0]
                elif earlier:
                    # below the label it should follow, in that label's column: the table is
                    # set upright (its columns printed as rows, 表四 transposed), not two
                    # columns swapped
                    upright = any(hit[1] == previous for hit in earlier)
                    kind = "竖" if upright else "列"
                    placement.misordered.append((node.label, _last_found(nodes, hits), kind))
        for i, node in enumerate(nodes):
            hit = hits[i]
            # A parent's children lie between its neighbours, not necessarily from its own
            # column on: a merged label may stand centred over them (行政诉讼 in a PDF's grid).
            start = _prev_col(hits, i, left)
            end = _next_col(hits, i, right)
            if hit:
                _note_variant(placement, (hit[0], hit[1]), hit[2], node.label)
            if node.children:
                if hit:
                    walk(node.children, hit[0] + 1, row_hi, start, end, True, unfound)
                else:
                    walk(node.children, row_lo, row_hi, start, end, near_top, node.label)
            else:
                found[node.code] = hit or aside.get(node.code)
                if unfound is not None:
                    under_unfound[node.code] = unfound

    aside: dict[str, Hit] = {}  # leaves found out of order whose cells are all computed
    under_unfound: dict[str, str] = {}  # a leaf -> the label of a group over it not found
    walk(block.columns, rows[0], rows[1], cols[0], cols[1], prefer_near_top)
    leaves = block.column_leaves
    columns: list[int | None] = [hit[1] if (hit := found[leaf.code]) else None for leaf in leaves]
    inferred = _infer(columns)
    header_row = max((h[0] for h in found.values() if h), default=rows[0])
    for i, leaf in enumerate(leaves):
        col = inferred[i]
        if found[leaf.code] is None:
            if col is None:
                placement.missing.append(leaf.label)
            else:
                _note_position(placement, index, (header_row, col), leaf.label)
                found[leaf.code] = (header_row, col, "")
    # Two columns of the form found in one column of the page: a group's label is missing
    # (表四's 复议后起诉 repeats 未经复议直接起诉's leaves), and both groups' leaves were sought in
    # the same columns. The later one is not found: the label missing is said, no column read
    # twice.
    taken: dict[int, str] = {}  # a page's column -> the leaf found there first
    for leaf in leaves:
        hit = found[leaf.code]
        if hit is None:
            continue
        first = taken.setdefault(hit[1], leaf.code)
        if first != leaf.code:
            found[leaf.code] = None
            groups = [under_unfound[code] for code in (first, leaf.code) if code in under_unfound]
            for label in groups or [leaf.label]:
                if label not in placement.missing:
                    placement.missing.append(label)
    return found


def _only_totals(table: Table, block: Block, node: Header) -> bool:
    """Whether ``node`` is a column leaf whose every cell is computed (a 总计 column)."""
    return not node.children and all(
        f"{table.code}:{row.code}:{node.code}" in table.derived_keys for row in block.row_leaves
    )


def _last_found(nodes: Sequence[Header], found: Sequence[object]) -> str:
    """The label of the last node found so far (the one a misordered label came before)."""
    return next(
        (
            n.label
            for n, hit in zip(reversed(nodes[: len(found)]), reversed(found), strict=True)
            if hit is not None
        ),
        "",
    )


def _prev_col(hits: list[Hit | None], i: int, default: int) -> int:
    for hit in reversed(hits[:i]):
        if hit:
            return hit[1] + 1
    return default


def _next_col(hits: list[Hit | None], i: int, default: int) -> int:
    for hit in hits[i + 1 :]:
        if hit:
            return hit[1] - 1
    return default


def _infer(positions: list[int | None]) -> list[int | None]:
    """Place a lone missing leaf whose neighbours sit exactly where the official form has them.

    Only isolated gaps are filled: a missing leaf between two found ones one step apart on
    each side, or at either end of a run of found leaves that are all consecutive.
    """
    known = [(i, p) for i, p in enumerate(positions) if p is not None]
    if len(known) < 2 or len(known) == len(positions):
        return list(positions)
    consecutive = all(b[1] - a[1] == b[0] - a[0] for a, b in zip(known, known[1:], strict=False))
    result = list(positions)
    last = len(positions) - 1
    for i, p in enumerate(positions):
        if p is not None:
            continue
        before = positions[i - 1] if i > 0 else None
        after = positions[i + 1] if i < last else None
        if before is not None and after is not None and after - before == 2:
            result[i] = before + 1
        elif consecutive and i == 0 and after is not None:
            result[i] = after - 1
        elif consecutive and i == last and before is not None:
            result[i] = before + 1
    return result


def _fill_cells(
    placement: Placement, block: Block, rows: list[int | None], columns: dict[str, Hit | None]
) -> None:
    code = placement.table.code
    for leaf_row, r in zip(block.row_leaves, rows, strict=False):
        if r is None:
            continue
        for leaf_col in block.column_leaves:
            hit = columns.get(leaf_col.code)
            if hit is not None:
                placement.cells[f"{code}:{leaf_row.code}:{leaf_col.code}"] = (r, hit[1])


def _note_variant(placement: Placement, pos: Pos, text: str, official: str) -> None:
    if compare(text, official) is Match.VARIANT:
        placement.notes.append(LabelNote(Rule.L02, placement.sheet, pos, text, official))


def _note_position(placement: Placement, index: SheetIndex, pos: Pos, official: str) -> None:
    value = index.sheet.cell(*pos)
    found = "" if value is None else str(value)
    placement.notes.append(LabelNote(Rule.L04, placement.sheet, pos, found, official))
