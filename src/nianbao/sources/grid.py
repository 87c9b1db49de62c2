"""A workbook as plain grids: sheet name -> rows of cell values, with each sheet's hidden state.

Two engines fill the same structure, and must produce identical grids for the same file:

- ``calamine`` (python-calamine, the default): reads xlsx, xlsm, xlsb, xls and ods, and opens a
  12 KB return in about 0.3 ms.
- ``openpyxl`` (``read_only=True, data_only=True``): the reference reader, xlsx and xlsm only.

The engines disagree on small things, so both grids go through the same cell conversion:

- numbers: a whole float (calamine gives ``12.0`` where openpyxl gives ``12``) becomes ``int``
  (below 2**53, where floats are exact integers);
- blank: ``""`` (calamine) and ``None`` (openpyxl) become ``None``, as do formula errors
  (``#DIV/0!``, ``#REF!``): calamine reports them as empty, so openpyxl's error cells are
  dropped too (a typed text such as "#REF!" stays text in both);
- a blank that is not blank in the file is flagged (``Sheet.flags``): a formula the file holds
  no result for (``FORMULA_WITHOUT_RESULT``), or the error value a cell shows. Neither engine
  reports a formula without its result, so both take those flags from the sheet's XML
  (xlsx/xlsm; sheetxml.cell_flags); openpyxl flags error cells itself, calamine from the XML
  (.ods: content.xml; .xls and .et: the FORMULA records, biff.py; .xlsb: not at all).
  Flags are read on first use, so a sheet without blanks never pays for them;
- dates and times become ISO text (``2021-01-02``), whatever Python type an engine chose; a
  duration (an elapsed-time format: [h], [mm]:ss) becomes the number of days it stores, to be
  judged with its format as any number is (.xlsb, .ods, whose duration formats are not read:
  text in words, 「10 天 0 小时」);
- line breaks inside text become ``\\n``;
- rows keep the A1 origin (row 0 is sheet row 1, column 0 is column A) and lose trailing
  blanks; trailing blank rows are dropped.

Formulas are read as the result cached in the file (neither engine computes anything).
Sheets are loaded on first use, so a workbook's unrelated sheets cost nothing.
"""

from __future__ import annotations

import datetime as _dt
import io
import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from nianbao.sources.looks import Shown
    from nianbao.sources.preflight import Inspected
    from nianbao.sources.sheetdrawing import Cover
    from nianbao.sources.sheetxml import FirstLook, PartReader

CellValue = int | float | str | bool | None
Rows = list[list[CellValue]]

ENGINES = ("calamine", "openpyxl")
OPENPYXL_FORMATS = ("xlsx", "xlsm")


class GridError(Exception):
    """The engine could not read the file (its container or XML is broken)."""


Flags = dict[tuple[int, int], str]
# A merged range: its top-left and bottom-right (row, col), zero-based and inclusive.
Merge = tuple[tuple[int, int], tuple[int, int]]


def _no_flags() -> Flags:
    return {}


def _no_merges() -> list[Merge]:
    return []


Looks = dict[tuple[int, int], "Shown"]
Lines = tuple[frozenset[int], frozenset[int]]  # hidden rows, hidden columns


def _no_looks() -> Looks:
    return {}


def _no_lines() -> Lines:
    return frozenset(), frozenset()


def _no_covers() -> list[Cover]:
    return []


@dataclass
class Sheet:
    """One sheet's cell values; ``rows[r][c]`` is the cell at zero-based (r, c)."""

    name: str
    hidden: bool
    _load: Callable[[], Rows] = field(repr=False, compare=False)
    # Documents only (PDF): the page each row was printed on, so a finding can name its page.
    pages: list[int] | None = field(default=None, compare=False)
    # A document's tables, one under another (document.py): an empty row is where one table
    # ends and the next begins, never a blank row of a table (those are left out).
    document: bool = field(default=False, compare=False)
    _load_flags: Callable[[], Flags] = field(default=_no_flags, repr=False, compare=False)
    _load_merges: Callable[[], list[Merge]] = field(default=_no_merges, repr=False, compare=False)
    _load_looks: Callable[[], Looks] = field(default=_no_looks, repr=False, compare=False)
    _load_lines: Callable[[], Lines] = field(default=_no_lines, repr=False, compare=False)
    _load_covers: Callable[[], list[Cover]] = field(default=_no_covers, repr=False, compare=False)
    _load_stale: Callable[[], frozenset[tuple[int, int]]] = field(
        default=frozenset, repr=False, compare=False
    )

    @cached_property
    def rows(self) -> Rows:
        return self._load()

    @cached_property
    def flags(self) -> Flags:
        """(row, col) of a cell read as blank -> FORMULA_WITHOUT_RESULT or its error value."""
        return self._load_flags()

    @cached_property
    def merges(self) -> list[Merge]:
        """The sheet's merged ranges: a workbook's; a document's spans (a web page's
        rowspan/colspan, Word's gridSpan and vertical merges; not yet a PDF's), expanded in
        ``rows`` and kept here as the ranges they cover. The reader reads a data cell from
        under its column header's whole span (recognise/locate.py ``under_headers``)."""
        return self._load_merges()

    @cached_property
    def merged_ranges(self) -> list[tuple[int, int, int, int]]:
        """``merges`` as (top, left, bottom, right), whichever corners a file gave."""
        return [
            (min(a[0], b[0]), min(a[1], b[1]), max(a[0], b[0]), max(a[1], b[1]))
            for a, b in self.merges
        ]

    @cached_property
    def looks(self) -> Looks:
        """(row, col) -> how a cell shows something other than the value read (a number format
        hiding, scaling or adding to it, a font the colour of the cell): xlsx/xlsm from the
        styles and the sheet's XML, the same for both engines (sheetxml.shown_cells); .xls
        from its records (biff.py); .ods from its styles (ods.ods_looks)."""
        return self._load_looks()

    @cached_property
    def hidden_lines(self) -> Lines:
        """The sheet's hidden rows and columns, zero-based (xlsx/xlsm, xls, ods)."""
        return self._load_lines()

    @cached_property
    def covers(self) -> list[Cover]:
        """The shapes laid over the sheet's cells that hide what is under them (xlsx/xlsm:
        sheetdrawing.covers)."""
        return self._load_covers()

    @cached_property
    def stale(self) -> frozenset[tuple[int, int]]:
        """Formula cells storing 0 as their result in a workbook recalculated on opening
        (xlsx: sheetxml.stale_results): a result nobody computed, not the figure shown."""
        return self._load_stale()

    def cell(self, row: int, col: int) -> CellValue:
        rows = self.rows
        if row < 0 or col < 0 or row >= len(rows):
            return None
        line = rows[row]
        return line[col] if col < len(line) else None


@dataclass
class Grid:
    """The sheets of one workbook, in workbook order.

    A document (HTML, PDF, Word, plain text) is a Grid too: its tables, expanded so that a
    merged cell's value stands in its top-left cell and the cells it covers are None (as in a
    workbook; the ranges it covers in ``Sheet.merges`` where the reader knows them), stacked
    in document order on one sheet with a blank row between tables; ``text``
    holds the document's running text outside the tables (title, narrative), in reading order.
    """

    sheets: list[Sheet]
    engine: str
    # "workbook", or the document kind: "html", "pdf", "docx", "text".
    kind: str = "workbook"
    text: str | None = None
    textless: tuple[int, ...] = ()  # a PDF's pages without text (scanned images)

    @cached_property
    def by_name(self) -> dict[str, Sheet]:
        return {sheet.name: sheet for sheet in self.sheets}

    def get(self, name: str) -> Sheet | None:
        return self.by_name.get(name)

    def as_dict(self) -> dict[str, tuple[bool, Rows, Flags]]:
        """name -> (hidden, rows, flags): everything the grid holds, for comparing engines."""
        return {s.name: (s.hidden, s.rows, s.flags) for s in self.sheets}


@contextmanager
def _malformed_as_grid_error() -> Iterator[None]:
    """Malformed parts surface as many exception types: each is the grid's GridError."""
    try:
        yield
    except Exception as error:
        raise GridError(str(error)) from error


@contextmanager
def open_grid(
    path: str | os.PathLike[str],
    engine: str = "calamine",
    fmt: str | None = None,
    inspected: Inspected | None = None,
) -> Iterator[Grid]:
    """Open ``path`` with ``engine``; sheets can be read while the context is open.

    ``fmt`` is the format preflight found in the content ("xlsx", "xls", "xlsb", "ods"): both
    engines choose a parser by the file name's suffix, so a file whose suffix says another
    format (an .xls saved under a .xlsx name, a WPS .et) is handed over as an open file, to
    be judged by its content. ``inspected`` (preflight.inspect's) hands over the bytes
    preflight checked instead: the engine parses what was checked, and worksheets preflight
    inflated are not inflated again for cell flags. Raises GridError when the engine fails on
    the file's content.
    """
    if engine == "calamine":
        opener = _open_calamine
    elif engine == "openpyxl":
        opener = _open_openpyxl
    else:
        raise ValueError(f"unknown engine {engine!r}; choose one of {ENGINES}")
    by_content = fmt is not None and Path(path).suffix.lower() not in _SUFFIXES.get(fmt, ())
    with opener(path, by_content, inspected) as grid:
        yield grid


_SUFFIXES = {
    "xlsx": (".xlsx", ".xlsm"),
    "xls": (".xls",),
    "xlsb": (".xlsb",),
    "ods": (".ods",),
}


def load_grid(path: str | os.PathLike[str], engine: str = "calamine") -> Grid:
    """Read every sheet of ``path`` eagerly (for tests and tools; the reader uses open_grid),
    after the same preflight as the reader's (raises UnreadableFile)."""
    from nianbao.sources.preflight import inspect

    inspected = inspect(path)
    with open_grid(path, engine, inspected.fmt, inspected) as grid:
        for sheet in grid.sheets:
            _ = sheet.rows, sheet.flags
        return grid


class _XmlFlags:
    """Cell flags from the worksheets' XML, located on first use (xlsx/xlsm only)."""

    def __init__(self, path: str | os.PathLike[str], inspected: Inspected | None = None) -> None:
        self.path = path
        self.inspected = inspected

    @cached_property
    def parts(self) -> dict[str, PartReader]:
        from nianbao.sources.sheetxml import worksheet_xml

        return worksheet_xml(self.path, self.inspected)

    def loader(
        self, name: str, keep: Callable[[str], bool] = lambda flag: True
    ) -> Callable[[], Flags]:
        def load() -> Flags:
            from nianbao.sources.sheetxml import cell_flags

            read = self.parts.get(name)
            if read is None:
                return {}
            with _malformed_as_grid_error():
                flags = cell_flags(read())
            return {pos: flag for pos, flag in flags.items() if keep(flag)}

        return load

    @cached_property
    def recalculated(self) -> bool:
        """Whether the workbook asks to be recalculated on opening (sheetxml.recalculated)."""
        from nianbao.sources.sheetxml import recalculated, workbook_xml

        return recalculated(workbook_xml(self.path, self.inspected))

    @cached_property
    def kept_stale(self) -> dict[int, frozenset[tuple[int, int]]]:
        """The stored results nobody computed (sheetxml.stale_results) of each worksheet
        inspect kept, by the identity of its XML (the very bytes ``parts`` hands out): looked
        at once, before ``parts``, whose sheet list costs more than looking."""
        from nianbao.sources.sheetxml import stale_results

        with _malformed_as_grid_error():
            return {id(xml): frozenset(stale_results(xml)) for _, xml in self._kept_worksheets}

    def stale_loader(self, name: str) -> Callable[[], frozenset[tuple[int, int]]]:
        def load() -> frozenset[tuple[int, int]]:
            if not self.recalculated:
                return frozenset()
            known = self.kept_stale
            if known and not any(known.values()):
                return frozenset()  # no worksheet holds one: the sheet list is not needed
            read = self.parts.get(name)
            if read is None:
                return frozenset()
            xml = read()
            if id(xml) in known:
                return known[id(xml)]
            from nianbao.sources.sheetxml import stale_results

            with _malformed_as_grid_error():
                return frozenset(stale_results(xml))  # a worksheet inspect did not keep

        return load

    @cached_property
    def first_looks(self) -> list[FirstLook] | None:
        """sheetxml.first_look of every worksheet inspect kept: a workbook-wide first look
        that spares parsing the sheet list (None where nothing was kept: then look at each
        sheet)."""
        from nianbao.sources.preflight import part_key, relationships_of
        from nianbao.sources.sheetxml import first_look

        names = self.inspected.names if self.inspected is not None else frozenset()
        return [
            first_look(xml, not names or part_key(relationships_of(name)) in names)
            for name, xml in self._kept_worksheets
        ] or None

    @property
    def _kept_worksheets(self) -> list[tuple[str, bytes]]:
        """The worksheets inspect kept (every part whose root is a worksheet, wherever the
        workbook's relationships put it: 「xl/ws/sheet4.xml」 too, which Excel shows), by name."""
        from nianbao.sources.preflight import KEPT

        kept = self.inspected.parts if self.inspected is not None else {}
        return [(name, xml) for name, xml in kept.items() if name not in KEPT]

    @cached_property
    def styles_part(self) -> bytes:
        from nianbao.sources.sheetxml import styles_xml

        return styles_xml(self.path, self.inspected)

    @cached_property
    def theme_part(self) -> bytes:
        """The workbook's theme, read only when a style names a colour by it that is not plain
        white or black (looks.needs_theme); b"": the default theme's colours."""
        from nianbao.sources.looks import needs_theme
        from nianbao.sources.sheetxml import theme_xml

        return theme_xml(self.path, self.inspected) if needs_theme(self.styles_part) else b""

    @cached_property
    def styles(self) -> dict[int, Any]:
        """The workbook's cellXfs that may show a value other than it is (parsed once)."""
        from nianbao.sources.looks import cell_looks

        with _malformed_as_grid_error():
            return cell_looks(self.styles_part, self.theme_part)

    @cached_property
    def any_conditional(self) -> bool:
        """Whether a conditional format may show some figure as another or none: a rule's
        format that may mislead (differentials_may_mislead), or a data bar or icon set that
        may hide its value; asked before ``parts``, as any_hidden_lines is."""
        from nianbao.sources.looks import differentials_may_mislead

        with _malformed_as_grid_error():
            if differentials_may_mislead(self.styles_part, self.theme_part):
                return True
        looks = self.first_looks
        return looks is None or any(look.hides_values for look in looks)

    @cached_property
    def formatted_strings(self) -> dict[int, bytes]:
        """The workbook's shared strings with runs formatted on their own (parsed once)."""
        from nianbao.sources.sheetxml import formatted_strings, shared_strings_xml

        with _malformed_as_grid_error():
            return formatted_strings(shared_strings_xml(self.path, self.inspected))

    @cached_property
    def fills(self) -> list[object]:
        from nianbao.sources.looks import cell_fills

        with _malformed_as_grid_error():
            return cell_fills(self.styles_part, self.theme_part)

    @cached_property
    def any_runs_apart(self) -> bool:
        """Whether some text may be in runs formatted apart (a shared string's, or an inline
        string's in some worksheet): asked before ``parts``, as any_hidden_lines is."""
        if self.formatted_strings:
            return True
        looks = self.first_looks
        return looks is None or any(look.inline_runs for look in looks)

    def looks_loader(self, name: str) -> Callable[[], Looks]:
        def load() -> Looks:
            from nianbao.sources.sheetxml import conditional_cells, runs_apart_cells, shown_cells

            styles = self.styles
            runs_apart, conditional = self.any_runs_apart, self.any_conditional
            # nothing to find, nothing to read: no such style, no text in runs, no such rule
            read = self.parts.get(name) if styles or runs_apart or conditional else None
            if read is None:
                return {}
            xml = read()
            shown = shown_cells(xml, styles) if styles else {}
            if not (runs_apart or conditional):
                return shown
            with _malformed_as_grid_error():
                runs = (
                    runs_apart_cells(xml, self.formatted_strings, self.fills, self.theme_part)
                    if runs_apart
                    else {}
                )
                rules = (
                    conditional_cells(xml, self.styles_part, self.theme_part) if conditional else {}
                )
            # the cell's own format or font first, then a rule's, then a run (part of the text)
            return {**runs, **rules, **shown}

        return load

    @cached_property
    def any_hidden_lines(self) -> bool:
        """Whether some worksheet may hide a row or column: asked before ``parts``, which
        parses the sheet list (a return that hides nothing need not)."""
        looks = self.first_looks
        return looks is None or any(look.hides_lines for look in looks)

    def lines_loader(self, name: str) -> Callable[[], Lines]:
        def load() -> Lines:
            from nianbao.sources.sheetxml import hidden_lines

            read = self.parts.get(name) if self.any_hidden_lines else None
            return hidden_lines(read()) if read is not None else _no_lines()

        return load

    def covers_loader(self, name: str) -> Callable[[], list[Cover]]:
        def load() -> list[Cover]:
            looks = self.first_looks
            if looks is not None and not any(look.draws for look in looks):
                return []  # no worksheet has a drawing: the sheet list is not needed
            read = self.parts.get(name)
            if read is None:
                return []
            from nianbao.sources.sheetdrawing import covers
            from nianbao.sources.sheetxml import drawing_xml

            # a drawing no program could show is no reason to refuse the figures: none read
            drawing = drawing_xml(self.path, self.inspected, read.member, read())
            return covers(drawing) if drawing else []

        return load

    def merges_loader(self, name: str) -> Callable[[], list[Merge]]:
        def load() -> list[Merge]:
            from nianbao.sources.sheetxml import merged_ranges

            read = self.parts.get(name)
            return merged_ranges(read()) if read is not None else []

        return load


def _flag_loaders(
    path: str | os.PathLike[str],
    inspected: Inspected | None,
    xml: _XmlFlags | None = None,
    walk: _BiffWalk | None = None,
) -> Callable[[str], Callable[[], Flags]]:
    """Sheet name -> its flags' loader, for calamine: from the worksheets' XML (xlsx), from
    content.xml for the error values an .ods shows, from the FORMULA and BOOLERR records of an
    .xls (biff.py); none for .xlsb (its binary records are not read here: an error value there
    reads as blank)."""
    if inspected is None or inspected.fmt not in ("ods", "xls"):
        return (xml or _XmlFlags(path, inspected)).loader
    by_sheet: dict[str, Flags] | None = None

    def read_all() -> dict[str, Flags]:
        if inspected.fmt == "ods":
            from nianbao.sources.ods import ods_cell_flags

            content = inspected.parts.get("content.xml")
            return ods_cell_flags(content) if content is not None else {}
        sheets = (walk or _BiffWalk(path, inspected)).sheets
        return {name: found.flags for name, found in sheets.items()}

    def loader(name: str) -> Callable[[], Flags]:
        def load() -> Flags:
            nonlocal by_sheet
            if by_sheet is None:  # every sheet's flags in one pass, on the first blank met
                by_sheet = read_all()
            return by_sheet.get(name, {})

        return load

    return loader


class _BiffWalk:
    """The .xls workbook stream walked once (biff.biff_sheets), on the first loader that asks:
    the flags, looks and hidden lines of every sheet."""

    def __init__(self, path: str | os.PathLike[str], inspected: Inspected) -> None:
        self.path, self.inspected = path, inspected

    @cached_property
    def sheets(self) -> dict[str, Any]:
        from nianbao.sources.biff import biff_sheets

        data = self.inspected.data
        return biff_sheets(data if data is not None else _bytes(self.path))

    def stale_loader(self, name: str) -> Callable[[], frozenset[tuple[int, int]]]:
        """The sheet's formulas making text that store the number 0 (biff.BiffSheet.stale)."""

        def load() -> frozenset[tuple[int, int]]:
            found = self.sheets.get(name)
            return frozenset(found.stale) if found is not None else frozenset()

        return load


class _OdsLooks:
    """An .ods's data styles and colours judged once (ods.ods_looks, from content.xml
    and styles.xml), on the first loader that asks: the looks and hidden lines of every sheet."""

    def __init__(self, inspected: Inspected) -> None:
        self.inspected = inspected

    @cached_property
    def sheets(self) -> dict[str, tuple[Looks, Lines]]:
        from nianbao.sources.ods import ods_looks

        content = self.inspected.parts.get("content.xml")
        styles = self.inspected.parts.get("styles.xml", b"")
        return ods_looks(content, styles) if content is not None else {}


def _other_looks(
    inspected: Inspected | None, walk: _BiffWalk | None
) -> tuple[Callable[[str], Callable[[], Looks]], Callable[[str], Callable[[], Lines]]] | None:
    """Loaders of what the cells of an .xls show and the lines it hides (biff.py, the walk
    that finds its flags), of an .ods (its styles and content.xml, ods.ods_looks); None
    for other formats (.xlsb: not read)."""
    if inspected is not None and inspected.fmt == "ods":
        ods = _OdsLooks(inspected)

        def ods_looks(name: str) -> Callable[[], Looks]:
            return lambda: ods.sheets.get(name, ({}, _no_lines()))[0]

        def ods_lines(name: str) -> Callable[[], Lines]:
            return lambda: ods.sheets.get(name, ({}, _no_lines()))[1]

        return ods_looks, ods_lines
    if inspected is None or inspected.fmt != "xls" or walk is None:
        return None

    def looks(name: str) -> Callable[[], Looks]:
        def load() -> Looks:
            found = walk.sheets.get(name)
            return found.looks if found is not None else {}

        return load

    def lines(name: str) -> Callable[[], Lines]:
        def load() -> Lines:
            found = walk.sheets.get(name)
            return (found.rows, found.columns) if found is not None else _no_lines()

        return load

    return looks, lines


def _bytes(path: str | os.PathLike[str]) -> bytes:
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError as error:
        raise GridError(str(error)) from error


# -- cell conversion shared by both engines -------------------------------------------------


def _convert(value: Any) -> CellValue:
    kind = type(value)
    if kind is float:
        # a whole float beyond 2**53 keeps its binary noise as an int: normalize rounds it
        return int(value) if value.is_integer() and abs(value) < 2**53 else value
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
        # an elapsed-time format ([h], [mm]:ss): the engine's duration is the number of days
        # stored, judged with the cell's format as every number is (looks.py: 10 in [h] shows 240)
        days = value / _dt.timedelta(days=1)
        return int(days) if days.is_integer() and abs(days) < 2**53 else days
    return str(value)


# How calamine gives an .ods cell of a duration (office:time-value): PT240H00M00S as
# LibreOffice writes it; an xsd:duration may leave parts out, or count days (PT103H, P4DT7H),
# or be whole days with no time part at all (P5D).
_ISO_DURATION = re.compile(
    r"(-?)P(?=\d|T\d)(?:(\d+)D)?(?:T(?=\d)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?"
)


def _convert_unjudged(value: Any) -> CellValue:
    """_convert for a workbook whose duration formats are not read (.xlsb, .ods): a duration
    stays text, in words (V01), so that a figure shown as another is never read as stored."""
    if isinstance(value, _dt.timedelta):
        return duration_words(value)
    if type(value) is str and "P" in value[:2]:
        found = _ISO_DURATION.fullmatch(value)
        if found is not None:
            sign, days, hours, minutes, seconds = (part or "0" for part in found.groups())
            span = _dt.timedelta(
                days=int(days), hours=int(hours), minutes=int(minutes), seconds=float(seconds)
            )
            return duration_words(-span if sign == "-" else span)
    return _convert(value)


def duration_words(value: _dt.timedelta) -> str:
    """A duration as a person reads it: 「10 天 0 小时」, 「1 天 12 小时 30 分」."""
    seconds = round(abs(value.total_seconds()), 3)
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, rest = divmod(rest, 60)
    parts = [f"{int(days)} 天"] if days else []
    parts.append(f"{int(hours)} 小时")
    if minutes or rest:
        parts.append(f"{int(minutes)} 分")
    if rest:
        parts.append(f"{rest:g} 秒")
    return ("负 " if value < _dt.timedelta(0) else "") + " ".join(parts)


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
def _open_calamine(
    path: str | os.PathLike[str], by_content: bool = False, inspected: Inspected | None = None
) -> Iterator[Grid]:
    import python_calamine as pc

    try:
        if inspected is not None and inspected.data is not None:
            workbook = pc.CalamineWorkbook.from_filelike(io.BytesIO(inspected.data))
        elif by_content:
            with open(path, "rb") as handle:  # read whole at opening
                workbook = pc.CalamineWorkbook.from_filelike(handle)
        else:
            workbook = pc.CalamineWorkbook.from_path(os.fspath(path))
    except BaseException as error:  # a Rust panic (PanicException) is a BaseException
        raise _engine_failure(error) from error
    hidden_states = (pc.SheetVisibleEnum.Hidden, pc.SheetVisibleEnum.VeryHidden)

    parsed: dict[str, Any] = {}
    judged = inspected is None or inspected.fmt not in ("xlsb", "ods")
    convert = _convert if judged else _convert_unjudged

    def parse(name: str) -> Any:
        if name not in parsed:
            try:
                parsed[name] = workbook.get_sheet_by_name(name)
            except BaseException as error:  # a Rust panic (PanicException) is a BaseException
                raise _engine_failure(error) from error
        return parsed[name]

    def loader(name: str) -> Callable[[], Rows]:
        def load() -> Rows:
            try:
                raw = parse(name).to_python(skip_empty_area=False)
            except BaseException as error:  # a Rust panic (PanicException) is a BaseException
                raise _engine_failure(error) from error
            rows = [[convert(v) for v in line] for line in raw]
            if walk is not None:  # an .xls: calamine gives TRUE / FALSE as 1 / 0
                found = walk.sheets.get(name)
                for (r, c), truth in found.booleans.items() if found is not None else ():
                    if r < len(rows) and c < len(rows[r]):
                        rows[r][c] = truth
            return _trim(rows)

        return load

    ods: dict[str, list[Merge]] | None = None

    def merges(name: str) -> Callable[[], list[Merge]]:
        def load() -> list[Merge]:
            nonlocal ods
            if inspected is not None and inspected.fmt == "ods":  # calamine gives none
                if ods is None:
                    from nianbao.sources.ods import ods_merges

                    content = inspected.parts.get("content.xml")
                    ods = ods_merges(content) if content is not None else {}
                return ods.get(name, [])
            try:
                return list(parse(name).merged_cell_ranges or ())
            except BaseException as error:  # a Rust panic (PanicException) is a BaseException
                raise _engine_failure(error) from error

        return load

    # what a cell shows, from the xlsx XML (the same loaders as openpyxl's: both engines agree),
    # from the records of an .xls, from an .ods's styles; not for .xlsb (not read)
    xml = _XmlFlags(path, inspected) if inspected is None or inspected.fmt == "xlsx" else None
    # .xls: one walk of the workbook stream for the flags, looks and lines
    walk = _BiffWalk(path, inspected) if inspected is not None and inspected.fmt == "xls" else None
    flags = _flag_loaders(path, inspected, xml, walk)
    other = _other_looks(inspected, walk)
    try:
        sheets = [
            Sheet(
                meta.name,
                meta.visible in hidden_states,
                loader(meta.name),
                _load_flags=flags(meta.name),
                _load_merges=merges(meta.name),
                _load_looks=(
                    xml.looks_loader(meta.name)
                    if xml
                    else other[0](meta.name)
                    if other
                    else _no_looks
                ),
                _load_lines=(
                    xml.lines_loader(meta.name)
                    if xml
                    else other[1](meta.name)
                    if other
                    else _no_lines
                ),
                _load_stale=(
                    xml.stale_loader(meta.name)
                    if xml
                    else walk.stale_loader(meta.name)
                    if walk
                    else frozenset
                ),
                _load_covers=xml.covers_loader(meta.name) if xml else _no_covers,
            )
            for meta in workbook.sheets_metadata
            if meta.typ == pc.SheetTypeEnum.WorkSheet
        ]
        yield Grid(sheets, "calamine")
    finally:
        workbook.close()


# -- openpyxl (reference) --------------------------------------------------------------------


@contextmanager
def _open_openpyxl(
    path: str | os.PathLike[str], by_content: bool = False, inspected: Inspected | None = None
) -> Iterator[Grid]:
    import openpyxl

    # read_only keeps reading the file while sheets are loaded: an open handle stays open
    source: Any
    if inspected is not None and inspected.data is not None:
        source, by_content = io.BytesIO(inspected.data), True
    else:
        source = open(path, "rb") if by_content else os.fspath(path)  # noqa: SIM115
    try:
        workbook = openpyxl.load_workbook(source, read_only=True, data_only=True, keep_links=False)
    except Exception as error:  # malformed parts surface as many exception types
        if by_content:
            source.close()
        raise GridError(str(error)) from error

    from nianbao.sources.preflight import FORMULA_WITHOUT_RESULT

    xml = _XmlFlags(path, inspected)
    errors: dict[str, Flags] = {}

    def value(c: Any, r: int, col: int, found: Flags) -> CellValue:
        if c.data_type == "e":
            found[(r, col)] = str(c.value or "#N/A").strip()
            return None
        return _convert(c.value)

    def loader(ws: Any) -> Callable[[], Rows]:
        def load() -> Rows:
            ws.reset_dimensions()  # a wrong <dimension> in the file must not hide cells
            found = errors.setdefault(ws.title, {})
            with _malformed_as_grid_error():
                return _trim(
                    [
                        [value(c, r, col, found) for col, c in enumerate(line)]
                        for r, line in enumerate(ws.iter_rows())
                    ]
                )

        return load

    def flags(sheet: Sheet) -> Callable[[], Flags]:
        formulas = xml.loader(sheet.name, lambda flag: flag == FORMULA_WITHOUT_RESULT)

        def load() -> Flags:
            _ = sheet.rows  # error cells are seen while reading the rows
            return {**formulas(), **errors.get(sheet.name, {})}

        return load

    try:
        sheets = [
            Sheet(ws.title, ws.sheet_state != "visible", loader(ws)) for ws in workbook.worksheets
        ]
        for sheet in sheets:
            sheet._load_flags = flags(sheet)
            sheet._load_merges = xml.merges_loader(sheet.name)
            sheet._load_looks = xml.looks_loader(sheet.name)
            sheet._load_lines = xml.lines_loader(sheet.name)
            sheet._load_stale = xml.stale_loader(sheet.name)
            sheet._load_covers = xml.covers_loader(sheet.name)
        yield Grid(sheets, "openpyxl")
    finally:
        workbook.close()
        if by_content:
            source.close()
