"""Finding the statutory tables in a text grid by order (reports saved as plain text).

Plain text loses merged cells, so header cells cannot be lined up with the columns below them
(sources/plaintext.py keeps each row's cells in order, nothing more). What text keeps is the
order the form prints things in, and that is how a person reads such a text:

- a row of 表二 or 表三 is its row label followed by its values, one per column of the form,
  in the form's column order; the row is found by its label (tolerant of the usual variants,
  in order, like locate.py);
- 表四's one data row is the first row after its header rows, its fifteen values in order;
- every column label of the table must be present in the table's header rows (checked, not
  used for positions), so that a text whose columns are not the form's is not read.

A row with more or fewer values than the form has columns cannot be lined up (a blank cell
left out, two cells run together): it is reported missing (L01) rather than guessed.

As in locate.py, a text that prints a table more than once has each copy searched only up to
the next copy's anchor, and a row label printed again below its row is recorded for L09.
"""

from __future__ import annotations

from nianbao.form.findings import Rule
from nianbao.form.model import Block, Header, Table
from nianbao.recognise.labels import Match, compare
from nianbao.recognise.locate import (
    BIG,
    HEADER_ROWS_ABOVE,
    HEADER_ROWS_BELOW,
    ROW_SLACK,
    LabelNote,
    Placement,
    SheetIndex,
    copy_anchors,
    next_anchor,
    repeated_rows,
)


def locate_all_in_order(table: Table, index: SheetIndex) -> list[Placement]:
    """Every copy of ``table`` in a text grid (last year's tables printed too): one search
    from each place its anchor label occurs, each ending before the next one, as
    locate.locate_all does."""
    placements: list[Placement] = []
    found = copy_anchors(table, index)
    for row, _, _ in found:
        bottom = next_anchor(found, row, (0, BIG))
        placement = locate_in_order(table, index, start=row, bottom=bottom)
        if placement is not None and all(p.cells != placement.cells for p in placements):
            placements.append(placement)
    return placements


def locate_in_order(
    table: Table, index: SheetIndex, start: int = 0, bottom: int = BIG
) -> Placement | None:
    """``table`` in a text grid, from row ``start`` to row ``bottom`` (the next copy's); None
    when its anchor label is not there at all."""
    block = table.blocks[0]
    if block.caption:
        return _captioned(table, index, start, bottom)
    if block.show_row_labels:
        hits = [index.find(leaf.label, rows=(start, bottom)) for leaf in block.row_leaves[:3]]
        anchor = next((found[0][0] for found in hits if found), None)
        if anchor is None:
            return None
        placement = Placement(table, index.sheet.name)
        hi = min(anchor + len(block.row_leaves) + ROW_SLACK, bottom)
        first = _rows(index, placement, block, anchor, hi, bottom)
        _check_columns(index, placement, block, (max(0, first - HEADER_ROWS_ABOVE), first - 1))
        return placement
    return _single_row(table, block, index, start, bottom)


def _captioned(table: Table, index: SheetIndex, start: int, bottom: int) -> Placement | None:
    """表二: each block's caption, its column labels below it, then its rows."""
    placement = Placement(table, index.sheet.name)
    top = start
    anchored = False
    for block in table.blocks:
        hits = index.find(block.caption, rows=(top, bottom))
        if not hits:
            placement.missing.append(block.caption)
            continue
        caption_row, col, text = hits[0]
        anchored = True
        _note(placement, (caption_row, col), text, block.caption)
        header = (caption_row + 1, min(caption_row + HEADER_ROWS_BELOW, bottom))
        _check_columns(index, placement, block, header)
        hi = min(caption_row + 1 + ROW_SLACK, bottom)
        last = _rows(index, placement, block, caption_row + 1, hi, bottom)
        top = max(last, caption_row) + 1
    return placement if anchored else None


def _rows(
    index: SheetIndex, placement: Placement, block: Block, lo: int, hi: int, bottom: int
) -> int:
    """Place each row leaf of ``block`` at its label's row, its values the cells after the
    label (a label printed again below its row is recorded for L09). Returns the first data
    row found (for the header search above it) — or, for a captioned block, the last one."""
    rows = index.sheet.rows
    columns = block.column_leaves
    previous = lo - 1
    found: list[int] = []
    label_rows: list[int | None] = []
    for leaf in block.row_leaves:
        hits = index.find(leaf.label, rows=(previous + 1, hi))
        if not hits:
            placement.missing.append(leaf.label)
            label_rows.append(None)
            continue
        r, c, text = hits[0]
        label_rows.append(r)
        _note(placement, (r, c), text, leaf.label)
        values = len(rows[r]) - c - 1
        if values != len(columns):
            placement.missing.append(
                f"{leaf.label}（该行应有 {len(columns)} 个数，文本中有 {values} 个，无法对应各列）"
            )
            previous = r
            continue
        for j, column in enumerate(columns):
            placement.cells[f"{placement.table.code}:{leaf.code}:{column.code}"] = (r, c + 1 + j)
        found.append(r)
        previous = r
    placement.repeated.update(repeated_rows(index, block, label_rows, bottom=bottom))
    if not found:
        return lo
    return found[-1] if block.caption else found[0]


def _check_columns(
    index: SheetIndex, placement: Placement, block: Block, rows: tuple[int, int]
) -> None:
    """Every column label of ``block`` must appear in ``rows`` (presence only)."""
    for header in _headers(block.columns):
        hits = index.find(header.label, rows=rows)
        if hits:
            r, c, text = hits[0]
            _note(placement, (r, c), text, header.label)
        else:
            placement.missing.append(header.label)


def _single_row(
    table: Table, block: Block, index: SheetIndex, start: int, bottom: int
) -> Placement | None:
    """表四: the header rows from 行政复议 down, then one row of values in column order."""
    hits = index.find(block.columns[0].label, rows=(start, bottom))
    if not hits:
        return None
    top = hits[0][0]
    placement = Placement(table, index.sheet.name)
    window = (top, min(top + HEADER_ROWS_BELOW, bottom))
    _check_columns(index, placement, block, window)
    labels = {header.label for header in _headers(block.columns)}
    rows = index.sheet.rows
    r = top
    while r < len(rows) and r <= window[1] and _is_header(rows[r], labels):
        r += 1
    while r < len(rows) and not any(value is not None for value in rows[r]):
        r += 1
    columns = block.column_leaves
    if r >= len(rows) or r > bottom or len(rows[r]) != len(columns):
        count = len(rows[r]) if r < len(rows) and r <= bottom else 0
        placement.missing.append(
            f"{table.short}数据行（应有 {len(columns)} 个数，文本中有 {count} 个，无法对应各列）"
        )
        return placement
    (row,) = block.row_leaves
    for j, column in enumerate(columns):
        placement.cells[f"{table.code}:{row.code}:{column.code}"] = (r, j)
    return placement


def _is_header(line: list, labels: set[str]) -> bool:
    return any(
        type(value) is str and any(compare(value, label) is not Match.NONE for label in labels)
        for value in line
    )


def _headers(nodes: tuple[Header, ...]) -> list[Header]:
    """Every header of the tree, parents before children (the order they are printed in)."""
    found: list[Header] = []
    for node in nodes:
        if node.label:
            found.append(node)
        found.extend(_headers(node.children))
    return found


def _note(placement: Placement, pos: tuple[int, int], text: str, official: str) -> None:
    if compare(text, official) is Match.VARIANT and all(n.pos != pos for n in placement.notes):
        placement.notes.append(LabelNote(Rule.L02, placement.sheet, pos, text, official))
