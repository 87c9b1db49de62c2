"""A block of plain rows written straight into a worksheet's XML, for sheets of many thousand rows.

xlsxwriter keeps every cell as an object and writes each through several Python calls when
the workbook is closed: about 1 ms for a row of 200 numbers, so 100,000 members' rows of
分单位明细 would take minutes and gigabytes. ``RowBlockWorksheet`` takes one block of rows as a
function that yields them when the sheet is written (nothing is kept per cell), while every
other cell of the sheet (headers, the 合计 row, merges, print setup) goes through xlsxwriter's
ordinary API as usual.

A row of the block is a sequence of cells: ``str`` (an inline string: never a formula; escaped
as xlsxwriter escapes text), ``int``/``float``/``Decimal`` (a number, written as xlsxwriter
writes it: 16 significant digits) or ``None`` (a blank cell, written only when it has a format);
any of them wrapped in ``Styled`` to take another format than its column's.

This reaches into xlsxwriter's worksheet internals (``_write_rows``, ``_check_dimensions``,
``Format._get_xf_index``, its control-character escape), which is why xlsxwriter is pinned to
3.3.x; tests read the sheets back with openpyxl and calamine.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal
from typing import Any, NamedTuple

from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.worksheet import Worksheet

from nianbao.text import show_value
from nianbao.xlsx.writer import TextWorksheet, cell_number

Row = Sequence[object]


class Styled(NamedTuple):
    """A cell of a row block in a format of its own (not its column's)."""

    value: object
    format: Any


# Excel's limits: rows per sheet, UTF-16 code units per cell.
MAX_ROWS = 1_048_576
_MAX_TEXT = 32_767


class RowBlockWorksheet(TextWorksheet):
    """An xlsxwriter Worksheet that also writes one block of rows (``set_row_block``).

    Create it with ``workbook.add_worksheet(name, worksheet_class=RowBlockWorksheet)``.
    """

    dim_rowmin: int  # set by xlsxwriter: the rows written so far
    dim_rowmax: int

    def __init__(self) -> None:
        super().__init__()
        self._block: tuple[int, int, int, Callable[[], Iterable[Any]], Sequence[Any], bool] | None
        self._block = None

    def set_row_block(
        self,
        first_row: int,
        count: int,
        rows: Callable[[], Iterable[Any]],
        formats: Sequence[Any],
        first_col: int = 0,
        *,
        heights: bool = False,
    ) -> None:
        """Rows ``first_row`` .. ``first_row + count - 1``, cells from column ``first_col``.

        ``rows()`` is called once, when the workbook is closed, and must yield ``count`` rows;
        ``formats[k]`` is the format of column ``first_col + k`` (every row has as many cells).
        With ``heights``, it yields ``(row, height)`` pairs instead: the row's height in points,
        or None for the default. Nothing of a row is kept once written. No other cell may be
        written inside the block's rows.
        """
        if count <= 0:
            return
        if self._block is not None:
            raise ValueError("a worksheet takes one row block")
        last_row = first_row + count - 1
        if self._check_dimensions(first_row, first_col) or self._check_dimensions(
            last_row, first_col + len(formats) - 1
        ):
            raise ValueError(f"rows {first_row}-{last_row} exceed the sheet's limits")
        self._block = (first_row, last_row, first_col, rows, formats, heights)

    def _write_rows(self) -> None:
        # xlsxwriter writes rows dim_rowmin..dim_rowmax from its cell table: let it write the
        # rows above the block and those below, and write the block in between.
        if self._block is None:
            super()._write_rows()
            return
        first_row, last_row, first_col, rows, formats, heights = self._block
        low, high = self.dim_rowmin, self.dim_rowmax
        try:
            self.dim_rowmax = first_row - 1
            super()._write_rows()
            produced = _exactly(rows(), last_row - first_row + 1)
            sized = produced if heights else ((row, None) for row in produced)
            self._write_block(first_row, first_col, sized, formats)
            self.dim_rowmin, self.dim_rowmax = last_row + 1, high
            super()._write_rows()
        finally:
            self.dim_rowmin, self.dim_rowmax = low, high

    def _write_block(
        self,
        first_row: int,
        first_col: int,
        rows: Iterable[tuple[Row, float | None]],
        formats: Sequence[Any],
    ) -> None:
        write = self.fh.write
        # Per column: the opening of a cell element up to the row number, and its style.
        heads = [
            (f'<c r="{xl_col_to_name(first_col + k)}', _style(fmt)) for k, fmt in enumerate(formats)
        ]
        for row_number, (row, height) in enumerate(rows, first_row + 1):
            if height:
                parts = [f'<row r="{row_number}" ht="{height:g}" customHeight="1">']
            else:
                parts = [f'<row r="{row_number}">']
            for (head, style), value in zip(heads, row, strict=True):
                if type(value) is Styled:  # type() is: this loop runs for every cell
                    value, style = value.value, _style(value.format)  # type: ignore[attr-defined]
                if type(value) is int and -_EXACT_INT < value < _EXACT_INT:
                    parts.append(f'{head}{row_number}"{style}><v>{value}</v></c>')
                elif type(value) is str:
                    parts.append(f'{head}{row_number}"{style} t="inlineStr">{_inline(value)}</c>')
                elif value is None:
                    if style:
                        parts.append(f'{head}{row_number}"{style}/>')
                else:
                    parts.append(_number_cell(f"{head}{row_number}", style, value))
            parts.append("</row>")
            write("".join(parts))


# ints below this print the same with str() as with xlsxwriter's "%.16G" (and faster)
_EXACT_INT = 10**15


def _number_cell(head: str, style: str, value: object) -> str:
    """A number cell; a number beyond what a cell holds (only sums of implausible figures, V09,
    get there) is written as its text, as Excel shows it (9.9E+307)."""
    if not isinstance(value, int | float | Decimal) or isinstance(value, bool):
        raise TypeError(f"a row block holds text, numbers or None, not {type(value).__name__}")
    number = cell_number(value)
    if number is None:
        return f'{head}"{style} t="inlineStr">{_inline(show_value(value))}</c>'
    return f'{head}"{style}><v>{float(number):.16G}</v></c>'


def _style(fmt: Any) -> str:
    index = fmt._get_xf_index() if fmt is not None else 0
    return f' s="{index}"' if index else ""


def _inline(text: str) -> str:
    """The ``<is>`` element of a text cell: cut to what a cell holds (as ``write_string`` does),
    control characters as Excel's _xHHHH_ escapes, XML escaped, edge spaces kept."""
    if len(text) > _MAX_TEXT // 2:
        text = text.encode("utf-16-le", "surrogatepass")[: 2 * _MAX_TEXT].decode(
            "utf-16-le", "ignore"
        )
    text = text.encode("utf-8", "replace").decode("utf-8")  # lone surrogates (odd file names)
    text = Worksheet._escape_control_characters(text)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    space = ' xml:space="preserve"' if text[:1].isspace() or text[-1:].isspace() else ""
    return f"<is><t{space}>{text}</t></is>"


def _exactly(rows: Iterable[Any], count: int) -> Iterator[Any]:
    produced = 0
    for row in rows:
        produced += 1
        if produced > count:
            break
        yield row
    if produced != count:
        raise ValueError(f"the row block promised {count} rows and yielded {produced}")
