"""A workbook as plain grids: sheet name -> rows of cell values, with each sheet's hidden state.

Two engines fill the same structure, and must produce identical grids for the same file:

- ``calamine`` (python-calamine, the default): reads xlsx, xlsm, xlsb, xls and ods, and opens a
  12 KB return in about 0.3 ms.
- ``openpyxl`` (``read_only=True, data_only=True``): the reference reader, xlsx and xlsm only.

The engines disagree on small things, so both grids go through the same cell conversion:

- numbers: a whole float (calamine gives ``12.0`` where openpyxl gives ``12``) becomes ``int``;
- blank: ``""`` (calamine) and ``None`` (openpyxl) become ``None``, as do formula errors
  (``#DIV/0!``, ``#REF!``): calamine reports them as empty, so openpyxl's error cells are
  dropped too (a typed text such as "#REF!" stays text in both);
- dates and times become ISO text (``2021-01-02``), whatever Python type an engine chose;
- line breaks inside text become ``\\n``;
- rows keep the A1 origin (row 0 is sheet row 1, column 0 is column A) and lose trailing
  blanks; trailing blank rows are dropped.

Formulas are read as the result cached in the file (neither engine computes anything).
Sheets are loaded on first use, so a workbook's unrelated sheets cost nothing.
"""

from __future__ import annotations

import datetime as _dt
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

CellValue = int | float | str | bool | None
Rows = list[list[CellValue]]

ENGINES = ("calamine", "openpyxl")
OPENPYXL_FORMATS = ("xlsx", "xlsm")


class GridError(Exception):
    """The engine could not read the file (its container or XML is broken)."""


@dataclass
class Sheet:
    """One sheet's cell values; ``rows[r][c]`` is the cell at zero-based (r, c)."""

    name: str
    hidden: bool
    _load: Callable[[], Rows] = field(repr=False, compare=False)
    # Documents only (PDF): the page each row was printed on, so a finding can name its page.
    pages: list[int] | None = field(default=None, compare=False)

    @cached_property
    def rows(self) -> Rows:
        return self._load()

    def cell(self, row: int, col: int) -> CellValue:
        rows = self.rows
        if row < 0 or col < 0 or row >= len(rows):
            return None
        line = rows[row]
        return line[col] if col < len(line) else None

    @cached_property
    def texts(self) -> dict[str, list[tuple[int, int]]]:
        """Every distinct text on the sheet -> the positions holding it (in reading order)."""
        found: dict[str, list[tuple[int, int]]] = {}
        for r, line in enumerate(self.rows):
            for c, value in enumerate(line):
                if type(value) is str:
                    found.setdefault(value, []).append((r, c))
        return found


@dataclass
class Grid:
    """The sheets of one workbook, in workbook order.

    A document (HTML, PDF, Word, plain text) is a Grid too: its tables, expanded so that a
    merged cell's value stands in its top-left cell and the cells it covers are None (as in a
    workbook), stacked in document order on one sheet with a blank row between tables; ``text``
    holds the document's running text outside the tables (title, narrative), in reading order.
    """

    sheets: list[Sheet]
    engine: str
    # "workbook", or the document kind: "html", "pdf", "docx", "text".
    kind: str = "workbook"
    text: str | None = None

    @cached_property
    def by_name(self) -> dict[str, Sheet]:
        return {sheet.name: sheet for sheet in self.sheets}

    def get(self, name: str) -> Sheet | None:
        return self.by_name.get(name)

    def as_dict(self) -> dict[str, tuple[bool, Rows]]:
        """name -> (hidden, rows): everything the grid holds, for comparing engines."""
        return {s.name: (s.hidden, s.rows) for s in self.sheets}


@contextmanager
def open_grid(path: str | os.PathLike[str], engine: str = "calamine") -> Iterator[Grid]:
    """Open ``path`` with ``engine``; sheets can be read while the context is open.

    Raises GridError when the engine fails on the file's content.
    """
    if engine == "calamine":
        opener = _open_calamine
    elif engine == "openpyxl":
        opener = _open_openpyxl
    else:
        raise ValueError(f"unknown engine {engine!r}; choose one of {ENGINES}")
    with opener(path) as grid:
        yield grid


def load_grid(path: str | os.PathLike[str], engine: str = "calamine") -> Grid:
    """Read every sheet of ``path`` eagerly (for tests and tools; the reader uses open_grid)."""
    with open_grid(path, engine) as grid:
        for sheet in grid.sheets:
            _ = sheet.rows
        return grid


# -- cell conversion shared by both engines -------------------------------------------------


def _convert(value: Any) -> CellValue:
    kind = type(value)
    if kind is float:
        return int(value) if value.is_integer() else value
    if kind is str:
        if not value:
            return None
        return value.replace("\r\n", "\n").replace("\r", "\n") if "\r" in value else value
    if value is None or kind is int or kind is bool:
        return value
    if kind is _dt.datetime:
        if value.time() == _dt.time():
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, _dt.date | _dt.time):
        return value.isoformat()
    if isinstance(value, _dt.timedelta):
        return str(value)
    return str(value)


def _trim(rows: list[list[CellValue]]) -> Rows:
    for line in rows:
        while line and line[-1] is None:
            line.pop()
    while rows and not rows[-1]:
        rows.pop()
    return rows


# -- calamine --------------------------------------------------------------------------------


def _engine_failure(error: BaseException) -> GridError:
    """calamine's errors, and its Rust panics (PanicException, a BaseException), as GridError."""
    if isinstance(error, KeyboardInterrupt | SystemExit | GeneratorExit):
        raise error
    return GridError(f"{type(error).__name__}: {error}")


@contextmanager
def _open_calamine(path: str | os.PathLike[str]) -> Iterator[Grid]:
    import python_calamine as pc

    try:
        workbook = pc.CalamineWorkbook.from_path(os.fspath(path))
    except BaseException as error:  # a Rust panic (PanicException) is a BaseException
        raise _engine_failure(error) from error
    hidden_states = (pc.SheetVisibleEnum.Hidden, pc.SheetVisibleEnum.VeryHidden)

    def loader(name: str) -> Callable[[], Rows]:
        def load() -> Rows:
            try:
                raw = workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
            except BaseException as error:  # a Rust panic (PanicException) is a BaseException
                raise _engine_failure(error) from error
            return _trim([[_convert(v) for v in line] for line in raw])

        return load

    try:
        sheets = [
            Sheet(meta.name, meta.visible in hidden_states, loader(meta.name))
            for meta in workbook.sheets_metadata
            if meta.typ == pc.SheetTypeEnum.WorkSheet
        ]
        yield Grid(sheets, "calamine")
    finally:
        workbook.close()


# -- openpyxl (reference) --------------------------------------------------------------------


@contextmanager
def _open_openpyxl(path: str | os.PathLike[str]) -> Iterator[Grid]:
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(
            os.fspath(path), read_only=True, data_only=True, keep_links=False
        )
    except Exception as error:  # malformed parts surface as many exception types
        raise GridError(str(error)) from error

    def loader(ws: Any) -> Callable[[], Rows]:
        def load() -> Rows:
            ws.reset_dimensions()  # a wrong <dimension> in the file must not hide cells
            try:
                return _trim(
                    [
                        [None if c.data_type == "e" else _convert(c.value) for c in line]
                        for line in ws.iter_rows()
                    ]
                )
            except Exception as error:  # malformed parts surface as many exception types
                raise GridError(str(error)) from error

        return load

    try:
        sheets = [
            Sheet(ws.title, ws.sheet_state != "visible", loader(ws)) for ws in workbook.worksheets
        ]
        yield Grid(sheets, "openpyxl")
    finally:
        workbook.close()
