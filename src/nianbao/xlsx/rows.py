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

A block of ``PARALLEL_FROM`` rows or more is written by as many processes as there are
processors where the platform forks (nianbao.processes): the rows are a pure function of their
index, so forked children write slices to temporary files that follow this process's own slice;
a child that fails or hangs has its slice written here, and the sheet is byte for byte the same.

This reaches into xlsxwriter's worksheet internals (``_write_rows``, ``_check_dimensions``,
``Format._get_xf_index``, its control-character escape), which is why xlsxwriter is pinned to
3.3.x; tests read the sheets back with openpyxl and calamine.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal
from typing import Any, NamedTuple

from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.worksheet import Worksheet

from nianbao.processes import FORKS, processors
from nianbao.text import show_value, shown_name
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
        self._block: tuple[int, int, int, RowSource, Sequence[Any], bool] | None = None

    def set_row_block(
        self,
        first_row: int,
        count: int,
        rows: RowSource,
        formats: Sequence[Any],
        first_col: int = 0,
        *,
        heights: bool = False,
    ) -> None:
        """Rows ``first_row`` .. ``first_row + count - 1``, cells from column ``first_col``.

        ``rows(start, stop)`` yields the block's rows ``start`` .. ``stop - 1`` (counted from
        the block's first); it is called when the workbook is closed, once for the whole block
        or, for a long block on a machine with several processors, once per slice in as many
        processes (``PARALLEL_FROM``). ``formats[k]`` is the format of column
        ``first_col + k`` (every row has as many cells).
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
            # Per column: the opening of a cell element up to the row number, and its style.
            heads = [
                (f'<c r="{xl_col_to_name(first_col + k)}', _style(fmt))
                for k, fmt in enumerate(formats)
            ]
            block = _Block(first_row, last_row - first_row + 1, rows, heads, heights)
            if block.size >= PARALLEL_FROM and _processors() > 1:
                _write_in_parallel(block, self.fh)
            else:
                block.write(0, block.size, self.fh.write)
            self.dim_rowmin, self.dim_rowmax = last_row + 1, high
            super()._write_rows()
        finally:
            self.dim_rowmin, self.dim_rowmax = low, high


# rows(start, stop): the rows start..stop-1 of a block (see set_row_block)
RowSource = Callable[[int, int], Iterable[Any]]
# A block this long is written by several processes (each writes 分单位明细 rows at ~0.13 ms).
PARALLEL_FROM = 4_000


def _processors() -> int:
    """Processes a long block is written by: one where this platform does not fork."""
    return processors() if FORKS else 1


class _Block(NamedTuple):
    """A row block ready to write: what set_row_block was given, styles resolved."""

    first_row: int
    size: int  # rows
    rows: RowSource
    heads: list[tuple[str, str]]
    heights: bool

    def write(self, start: int, stop: int, write: Callable[[str], object]) -> None:
        """Rows ``start`` .. ``stop - 1`` of the block as XML, through ``write``."""
        produced = _exactly(self.rows(start, stop), stop - start)
        sized = produced if self.heights else ((row, None) for row in produced)
        heads = self.heads
        for row_number, (row, height) in enumerate(sized, self.first_row + start + 1):
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


def _write_in_parallel(block: _Block, out: Any) -> None:
    """The block in slices, into the sheet's file ``out``: this process writes the first
    while forked children write the others to temporary files, which follow it in order. A
    slice whose child fails (killed, out of memory, stuck) is written here after all, so the
    sheet is the same either way."""
    write = out.write
    slices = min(_processors(), -(-block.size // (PARALLEL_FROM // 2)))
    bounds = [block.size * k // slices for k in range(slices + 1)]
    # (pid, its file, start, stop); pid 0: no child could be started (no file: none could be
    # made), written here
    children: list[tuple[int, str, int, int]] = []
    try:
        for start, stop in zip(bounds[1:-1], bounds[2:], strict=True):
            try:
                handle, name = tempfile.mkstemp(prefix="nianbao-rows-", suffix=".xml")
            except OSError:  # the temporary folder is full or closed: written here instead
                children.append((0, "", start, stop))
                continue
            os.close(handle)
            children.append((0, name, start, stop))
            pid = _fork_writer(block, start, stop, name)
            children[-1] = (pid, name, start, stop)
        began = time.monotonic()
        block.write(bounds[0], bounds[1], write)
        # A child has as many rows as this process had: one that takes far longer is stuck.
        deadline = time.monotonic() + max(_PATIENCE, 5 * (time.monotonic() - began))
        while children:
            pid, name, start, stop = children[0]
            if pid and _finished(pid, deadline):
                _append(name, out)
            else:
                block.write(start, stop, write)
            children.pop(0)
            if name:
                os.unlink(name)
    finally:
        for pid, name, _, _ in children:  # interrupted: stop and remove what is left
            if pid:
                with contextlib.suppress(OSError):  # ChildProcessError: already waited for
                    os.kill(pid, signal.SIGKILL)
                    os.waitpid(pid, 0)
            if name:
                with contextlib.suppress(OSError):
                    os.unlink(name)


def _fork_writer(block: _Block, start: int, stop: int, name: str) -> int:
    """A child writing rows ``start`` .. ``stop - 1`` into the file ``name``; its pid, or 0
    when none can be started (the parent writes those rows)."""
    try:
        pid = os.fork()
    except OSError:  # no more processes or memory: not a failure of the workbook
        return 0
    if pid:
        return pid
    code = 1  # the child: its slice into its file, then leave without Python's cleanup
    try:
        with open(name, "w", encoding="utf-8") as part:
            block.write(start, stop, part.write)
        code = 0
    finally:
        os._exit(code)


_PATIENCE = 60.0  # seconds a child may take beyond this process's own slice, at least


def _finished(pid: int, deadline: float) -> bool:
    """Whether child ``pid`` wrote its slice (exit 0) by ``deadline``; it is killed if not."""
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status) == 0
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            return False
        time.sleep(0.005)


def _append(name: str, out: Any) -> None:
    """The UTF-8 file ``name`` at the end of ``out``: as bytes into a file's own buffer (a large
    workbook's sheets go through temporary files), else as text (an in-memory sheet)."""
    buffer = getattr(out, "buffer", None)
    if buffer is not None and getattr(out, "encoding", "").lower().replace("-", "") == "utf8":
        out.flush()
        with open(name, "rb") as done:
            shutil.copyfileobj(done, buffer, 1 << 20)
        return
    with open(name, encoding="utf-8") as done:
        shutil.copyfileobj(done, out, 1 << 20)


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
    # Printable text (most of it: names, files) has no lone surrogate, control character or
    # U+FFFE/U+FFFF; with no "_x" either, both steps below would leave it as it is.
    if not text.isprintable() or "_x" in text:
        text = shown_name(text)  # lone surrogates (file names)
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
