"""Finding the statutory tables in a text grid by order (reports saved as plain text).

Plain text loses merged cells, so header cells cannot be lined up with the columns below them
(sources/plaintext.py keeps each row's cells in order, nothing more). What text keeps is the
order the form prints things in, and that is how a person reads such a text:

- a row of 表二 or 表三 is its row label followed by its values, one per column of the form,
  in the form's column order; the row is found by its label (tolerant of the usual variants,
  in order, like locate.py);
- 表四's one data row is the first row after its header rows, its fifteen values in order;
  printed as column groups one under another (行政复议, below it 行政诉讼, or 未经复议直接起诉
  and 复议后起诉 apart), each group's header and its one row of figures, read only when every
  label of the group is there in the form's order and the figures are exactly as many as its
  columns (locate.py chooses among the ways of stacking, one policy for grids and text);
- every column label of the table must be present in the table's header rows (checked, not
  used for positions), so that a text whose columns are not the form's is not read.

A row with more or fewer values than the form has columns cannot be lined up (a blank cell
left out, two cells run together): it is reported missing (L01) rather than guessed.

As in locate.py, a text that prints a table more than once has each copy searched only up to
the next copy's anchor, and a row label printed again below its row is recorded for L09.
"""

from __future__ import annotations

from nianbao.form.findings import Rule
from nianbao.form.model import Block, Header, Table, leaves_of, path_to
from nianbao.recognise.labels import Match, compare
from nianbao.recognise.locate import (
    BIG,
    HEADER_ROWS_ABOVE,
    HEADER_ROWS_BELOW,
    ROW_SLACK,
    Hit,
    LabelNote,
    Placement,
    SheetIndex,
    Stacking,
    StackProblem,
    column_numbers,
    copy_anchors,
    has_number,
    next_anchor,
    repeated_rows,
    stacked_reading,
)
from nianbao.sources.grid import CellValue, Rows, Sheet


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
    """表四: the header rows from 行政复议 down, then one row of values in column order. Not
    read so, its column groups printed one under another (``_stacked_in_order``)."""
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
    if r < len(rows) and len(rows[r]) == len(columns) and column_numbers(rows[r]):
        r += 1  # the header's 栏次 row (1 … 15): the figures are under it
        while r < len(rows) and not any(value is not None for value in rows[r]):
            r += 1
    if r >= len(rows) or r > bottom or len(rows[r]) != len(columns):
        count = len(rows[r]) if r < len(rows) and r <= bottom else 0
        placement.missing.append(
            f"{table.short}数据行（应有 {len(columns)} 个数，文本中有 {count} 个，无法对应各列）"
        )
    else:
        (row,) = block.row_leaves
        for j, column in enumerate(columns):
            placement.cells[f"{table.code}:{row.code}:{column.code}"] = (r, j)
    if placement.complete:
        return placement
    return _stacked_in_order(table, block, index, hits[0], bottom) or placement


# -- 表四 printed as column groups one under another ------------------------------------------------


def _stacked_in_order(
    table: Table, block: Block, index: SheetIndex, first: Hit, bottom: int
) -> Placement | None:
    """表四 too wide for the page, printed as its column groups one under another (行政复议 with
    its figures, below it 行政诉讼 with its own): each group's header and one row of figures,
    read by order, the groups joined. Which ways are tried and which reading stands is
    locate.py's policy (``stacked_reading``), as for a grid; None when the table is not
    stacked (its one-row placement says what is wrong)."""
    return stacked_reading(
        block, lambda groups: _groups_in_order(table, block, index, groups, first, bottom)
    )


def _groups_in_order(
    table: Table,
    block: Block,
    index: SheetIndex,
    groups: tuple[Header, ...],
    first: Hit,
    bottom: int,
) -> Placement:
    """``table`` read as ``groups`` printed one under another, the first group's label at
    ``first``. Text keeps order, not columns, so a group is read only when it is certain:

    - it is the next thing printed after the group above it (no other column label between:
      a group printed out of the form's order is not found where it should be, never read
      in another's place);
    - every label under it is in its header, in the form's order level by level (a 总计
      printed first is out of order here: unlike a grid, the figures would shift);
    - its figure row, the first row under its header, has exactly as many cells as it has
      columns; and no other row of figures follows it before the next group (the last group:
      right under it).

    ``stack`` stays empty when the groups are not printed one under another (the next
    group's label, or 行政诉讼 over it, beside this one's in its row: the form's own layout)."""
    sheet = index.sheet
    rows = sheet.rows
    placement = Placement(table, sheet.name)
    labels = {header.label for header in _headers(block.columns)}
    hit: Hit | None = first
    figure_row = first[0] - 1
    for n, group in enumerate(groups):
        if n:
            window = (figure_row + 1, min(figure_row + HEADER_ROWS_BELOW, bottom))
            hits = index.find(group.label, rows=window)
            hit = hits[0] if hits else None
        own = {node.label for node in path_to(block.columns, group)}
        if hit is None or _labels_between(rows, figure_row, hit, labels - own):
            placement.stack_problem = StackProblem(group.label, Stacking.NOT_FOUND)
            return placement
        label_row, label_col, text = hit
        later = groups[n + 1 :]
        beside = {g.label for g in later} | {
            root.label for root in block.columns if root.label not in own
        }
        if _is_header(rows[label_row], beside):  # printed beside it: not this way
            return Placement(table, sheet.name)
        below = [
            hits[0][0] for g in later if (hits := index.find(g.label, rows=(label_row + 1, bottom)))
        ]
        if n == 0:
            if not below:
                return placement  # nothing under the first group: not stacked
            placement.stack = tuple(g.label for g in groups)
        # its header ends before the next group's label: that repeats the same leaf labels
        last = min(below) - 1 if below else min(label_row + HEADER_ROWS_BELOW, bottom)
        _note(placement, (label_row, label_col), text, group.label)
        header_end = label_row
        while header_end < last and header_end + 1 < len(rows):
            if not _is_header(rows[header_end + 1], labels):
                break
            header_end += 1
        _group_labels(index, placement, group, hit, (label_row, header_end))
        # a subgroup missing from its header but printed below it (复议后起诉 under its own
        # header): the groups are split finer than this way
        apart = [
            child.label
            for child in group.children
            if child.children
            and child.label in placement.missing
            and index.find(child.label, rows=(header_end + 1, bottom))
        ]
        if apart:
            return Placement(table, sheet.name)
        if placement.missing or placement.misordered:
            placement.stack_problem = StackProblem(group.label, Stacking.LABELS)
            return placement
        figure_row = header_end + 1
        while figure_row <= last and figure_row < len(rows) and _blank(rows[figure_row]):
            figure_row += 1
        columns = leaves_of((group,))
        if figure_row > last or figure_row >= len(rows):
            placement.stack_problem = StackProblem(group.label, Stacking.NO_FIGURES)
            return placement
        found = len(rows[figure_row])
        if found != len(columns):
            if not has_number(sheet, figure_row, (0, BIG)):
                placement.stack_problem = StackProblem(group.label, Stacking.NO_FIGURES)
            else:  # a figure left out or two run together: which is which cannot be told
                placement.missing.append(
                    f"{group.label}部分的数字行（应有 {len(columns)} 个数，文本中有 {found} 个，"
                    "无法对应各列）"
                )
            return placement
        # the last group: the rows right under its figures (no next label to stop at)
        more = _more_figures(sheet, figure_row, last if later else bottom, in_a_row=not later)
        if more:
            placement.stack_problem = StackProblem(group.label, Stacking.ROWS, 1 + more)
            return placement
        (row,) = block.row_leaves
        for j, column in enumerate(columns):
            placement.cells[f"{table.code}:{row.code}:{column.code}"] = (figure_row, j)
    return placement


def _labels_between(rows: Rows, above: int, hit: Hit, labels: set[str]) -> bool:
    """Whether a cell after row ``above`` and before ``hit`` in reading order holds one of
    ``labels`` (another group's header printed first)."""
    row, col, _ = hit
    between = [*rows[above + 1 : row], rows[row][:col]]
    return any(_is_header(line, labels) for line in between)


def _group_labels(
    index: SheetIndex, placement: Placement, group: Header, hit: Hit, rows: tuple[int, int]
) -> None:
    """Every label under ``group`` in ``rows``, after its own label, in the form's order level
    by level (text keeps only order: 未经复议直接起诉 before 复议后起诉, then the ten leaves in
    turn); one found only before the label it should follow is ``misordered``, one not found
    ``missing``. A leaf label repeated (结果维持 under each of the two) is taken once."""
    level = list(group.children)
    taken: set[tuple[int, int]] = set()
    while level:
        cursor, previous = hit[:2], group.label
        for node in level:
            hits = [h for h in index.find(node.label, rows=rows) if h[:2] not in taken]
            after = next((h for h in hits if h[:2] > cursor), None)
            if after is None:
                if any(hit[:2] < h[:2] < cursor for h in hits):
                    placement.misordered.append((node.label, previous, "列"))
                else:
                    placement.missing.append(node.label)
                continue
            taken.add(after[:2])
            cursor, previous = after[:2], node.label
            _note(placement, after[:2], after[2], node.label)
        level = [child for node in level for child in node.children]


def _more_figures(sheet: Sheet, row: int, last: int, *, in_a_row: bool) -> int:
    """How many rows after ``row``, up to ``last``, hold a figure (``in_a_row``: only those
    right under it, up to the first that holds none)."""
    count = 0
    for r in range(row + 1, min(last, len(sheet.rows) - 1) + 1):
        if has_number(sheet, r, (0, BIG)):
            count += 1
        elif in_a_row:
            break
    return count


def _blank(line: list[CellValue]) -> bool:
    return all(value is None or (type(value) is str and not value.strip()) for value in line)


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
