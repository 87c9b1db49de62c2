"""A Return: one unit's filled form for one year, as plain values (no Excel)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, MutableMapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import cache
from operator import itemgetter
from pathlib import Path
from typing import Any, TypeVar

from nianbao.form.findings import Finding, Place
from nianbao.form.layout import layout_for
from nianbao.form.model import Form
from nianbao.form.rules import Equation

Number = int | Decimal
# A cell as read: a number; None for blank (and for "/", "—", "无", recorded as a finding);
# or the text typed there when it is not a number (an error the validator reports).
Value = Number | str | None
T = TypeVar("T")


@cache
def cell_positions(form: Form) -> dict[str, int]:
    """Cell key -> its position in ``form.cells``."""
    return {cell.key: i for i, cell in enumerate(form.cells)}


class CellValues(MutableMapping[str, Value]):
    """A return's values by cell key, held as one list in ``form.cells`` order.

    It behaves as the dict of every data cell it replaces, at a quarter of the memory (1.7 KB
    instead of 6.5 KB a return: 100,000 returns held for a merge). Keys are the form's cells
    only: setting another key is a KeyError, and no cell can be removed.
    """

    __slots__ = ("form", "row")

    def __init__(self, form: Form, row: Iterable[Value]) -> None:
        self.form = form
        self.row: list[Value] = list(row)  # row[i] is the value of form.cells[i]
        if len(self.row) != len(form.cells):
            raise ValueError(f"{len(self.row)} values for {len(form.cells)} cells")

    @classmethod
    def of(cls, form: Form, values: Mapping[str, Value]) -> CellValues:
        """``values`` (a dict of cell keys) as CellValues; cells missing from it are blank."""
        return cls(form, cell_row(form, values))

    def __getitem__(self, key: str) -> Value:
        return self.row[cell_positions(self.form)[key]]

    def get(self, key: str, default: Any = None) -> Any:
        position = cell_positions(self.form).get(key)
        return default if position is None else self.row[position]

    def __setitem__(self, key: str, value: Value) -> None:
        self.row[cell_positions(self.form)[key]] = value

    def __delitem__(self, key: str) -> None:
        raise TypeError("a return has every cell of its form; set a cell to None to blank it")

    def __contains__(self, key: object) -> bool:
        return key in cell_positions(self.form)

    def __iter__(self) -> Iterator[str]:
        return iter(cell_positions(self.form))

    def __len__(self) -> int:
        return len(self.row)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, CellValues) and other.form is self.form:
            return self.row == other.row
        return isinstance(other, Mapping) and dict(self.items()) == dict(other.items())

    __hash__ = None  # type: ignore[assignment]  # mutable, like the dict it stands for

    def __repr__(self) -> str:
        return f"CellValues({dict(self.items())!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (_cell_values, (self.form.vintage, self.form.variant, self.row))


def _cell_values(vintage: str, variant: str, row: list[Value]) -> CellValues:
    from nianbao.form import get_form

    return CellValues(get_form(vintage, variant), row)


def cell_row(form: Form, values: Mapping[str, Value]) -> list[Value]:
    """``values`` in ``form.cells`` order (blank where missing): a CellValues' own list, at once."""
    if type(values) is CellValues and values.form is form:
        return values.row
    return list(map(values.get, cell_positions(form)))


@dataclass
class Return:
    form: Form
    # Every data cell key (a dict, or CellValues where many returns are held); derived cells
    # hold what was reported.
    values: MutableMapping[str, Value]
    unit: str | None = None
    parent: str | None = None
    year: int | None = None
    # 单位代码 and the unit a template was made for (its identity sheet, from the roster): they
    # identify the unit even when the filler edits the name on the cover.
    code: str | None = None
    issued: str | None = None
    source: str | None = None  # the file it was read from
    kind: str = "return"  # "return" or "summary" (a merge of returns)
    members: int = 1  # returns summed into it
    # A summary's members by name, when its 分单位明细 lists them (None: not known).
    member_names: tuple[str, ...] | None = None
    # and the 单位代码 each was reported under ("" for none), where its 分单位明细 says
    member_codes: tuple[str, ...] | None = None
    # Every unit a summary counts, down through summaries among its members (their 所含单位
    # in its 分单位明细); None: its members are units themselves, or it is not known.
    counted_names: tuple[str, ...] | None = None
    cover: dict[str, str] = field(default_factory=dict)  # the rest of the cover sheet
    # Where each data cell was found in ``source`` as (sheet, A1); missing keys are where the
    # nianbao layout puts them.
    locations: dict[str, tuple[str, str]] = field(default_factory=dict)
    notes: list[Finding] = field(default_factory=list)  # findings raised while reading
    # Documents only (web page, PDF, Word, text): the kind ("html", "pdf", "docx", "text"),
    # the report's running text outside the tables (title, narrative), and each data cell's
    # place as a reader of the document finds it (table, row and column labels, page).
    document: str | None = None
    narrative: str | None = None
    places: dict[str, Place] = field(default_factory=dict)
    # Input keys whose number was stored as text (read as the number, noted V06): a
    # spreadsheet's SUM leaves them out, so a stored total short by exactly them is not an
    # E3/E4 error (the note at those cells says so).
    text_numbers: frozenset[str] = frozenset()

    def location(self, key: str) -> tuple[str, str]:
        return self.locations.get(key) or layout_for(self.form).address(key)

    def completed(self) -> dict[str, Number]:
        return complete(self.form, self.values)

    def units_counted(self) -> tuple[str, ...]:
        """The units this return's figures count: a summary's members as far down as known
        (the units inside summaries among them), else its own unit."""
        if self.counted_names is not None:
            return self.counted_names
        if self.kind == "summary" and self.member_names is not None:
            return self.member_names
        return (self.unit,) if self.unit else ()

    def placed(self, finding: Finding) -> Finding:
        """``finding`` as a document names it: the A1 cells of the grid the document was read
        into (which no one can look up) replaced by the places of those cells. Workbook
        returns, and findings that already have places, are returned unchanged."""
        if not self.places or finding.places or not finding.cells or finding.sheet is None:
            return finding
        by_cell = {location: key for key, location in self.locations.items()}
        keys = [by_cell.get((finding.sheet, a1)) for a1 in finding.cells]
        places = tuple(self.places[key] for key in keys if key in self.places)
        if not places:
            return finding
        return replace(finding, sheet=None, cells=(), places=places)

    @property
    def label(self) -> str:
        """How messages name the return: the unit, else the file."""
        return self.unit or self.source or "（未命名单位）"


# isinstance with a tuple: three times faster than with the union int | Decimal (Python 3.11).
_NUMBERS = (int, Decimal)


def numeric(value: Value) -> Number:
    """A cell's value for arithmetic: blank and text count as 0 (they are reported apart)."""
    return value if isinstance(value, _NUMBERS) else 0


def complete(form: Form, values: Mapping[str, Value]) -> dict[str, Number]:
    """Inputs as numbers and every derived cell recomputed from them; reported totals ignored."""
    keys = _completion_plan(form)[0]
    return dict(zip(keys, _completed(form, values), strict=True))


def completed_row(form: Form, values: Mapping[str, Value]) -> tuple[Number, ...]:
    """``complete``'s values in ``form.cells`` order (a row of 分单位明细), without the dict."""
    return _cells_order(form)(_completed(form, values))


def _completed(form: Form, values: Mapping[str, Value]) -> list[Number]:
    """The completed values in ``complete``'s key order (inputs, then derived cells)."""
    sums = _completion_plan(form)[2]
    # A list indexed by position, not a dict by key: summaries and 分单位明细 complete every
    # member, and this is twice as fast as summing Equation sides over a dict.
    result: list[Number] = [v if isinstance(v, _NUMBERS) else 0 for v in input_values(form, values)]
    take = result.__getitem__
    for terms in sums:
        result.append(sum(map(take, terms)))
    return result


@cache
def _cells_order(form: Form) -> Callable[[list[Number]], tuple[Number, ...]]:
    """From ``_completed``'s order to ``form.cells`` order, in one C call."""
    position = {key: i for i, key in enumerate(_completion_plan(form)[0])}
    return itemgetter(*(position[cell.key] for cell in form.cells))


def input_values(form: Form, values: Mapping[str, Value]) -> tuple[Value, ...]:
    """``values``' input cells in ``form.input_keys`` order (blank where missing): a
    CellValues' in one C call."""
    if type(values) is CellValues and values.form is form:
        return inputs_of(form)(values.row)
    return tuple(map(values.get, form.input_keys))


@cache
def inputs_of(form: Form) -> Callable[[Sequence[T]], tuple[T, ...]]:
    """From a sequence in ``form.cells`` order (a row of values, the columns of many rows)
    to its inputs in ``form.input_keys`` order, in one C call."""
    positions = cell_positions(form)
    getter = itemgetter(*(positions[key] for key in form.input_keys))
    if len(form.input_keys) == 1:  # itemgetter of one item gives the item, not a tuple
        return lambda row: (getter(row),)
    return getter


def entered_figures(ret: Return) -> tuple[Value, ...]:
    """What the unit entered: its input cells in ``form.input_keys`` order, a blank as 0 (it
    counts as 0, V04). Totals are left out: they are recomputed from the inputs whatever the
    file stored (a file saved by a program that does not calculate stores none, the same
    file saved again in Excel or LibreOffice stores them), so two files with these equal hold
    the same figures."""
    raw = input_values(ret.form, ret.values)
    if None in raw:
        return tuple(0 if value is None else value for value in raw)
    return raw


def nonzero_figures(ret: Return) -> tuple[Value, ...]:
    """The figures of ``entered_figures`` that are not 0 (nor blank), in cell order: none for
    a blank or all-zero return. Equal ``entered_figures`` have equal ones; it takes a few
    microseconds a return (no comparison with None or 0 in Python), for whole batches."""
    return tuple(filter(None, input_values(ret.form, ret.values)))


@cache
def _completion_plan(
    form: Form,
) -> tuple[tuple[str, ...], tuple[str, ...], tuple[tuple[int, ...], ...]]:
    """(every key in ``complete``'s order, the input keys, per derived cell in derivation order
    the positions of the cells it sums). Equations are plain sums of their rhs terms."""
    keys = list(form.input_keys)
    position = {key: i for i, key in enumerate(keys)}
    sums = []
    for key, equation in derivation_order(form):
        sums.append(tuple(position[t.key] for t in equation.rhs))
        position[key] = len(keys)
        keys.append(key)
    return tuple(keys), tuple(form.input_keys), tuple(sums)


def totals_without_text(
    form: Form, values: Mapping[str, Value], text_numbers: frozenset[str] | set[str]
) -> frozenset[str]:
    """Derived keys whose reported total is short by exactly the numbers stored as text: it
    equals the sum a spreadsheet's SUM gives (text left out), not the sum of the numbers read."""
    if not text_numbers:
        return frozenset()
    right = complete(form, values)
    spreadsheet = complete(form, {k: v for k, v in values.items() if k not in text_numbers})
    return frozenset(
        key
        for key in form.derived_keys
        if isinstance(values.get(key), int | Decimal)
        and values[key] != right[key]
        and values[key] == spreadsheet[key]
    )


@cache
def derivation_order(form: Form) -> tuple[tuple[str, Equation], ...]:
    """Derived cells in an order where each is computed after the cells it sums."""
    pending = dict(form.defining)
    known = set(form.input_keys)
    order: list[tuple[str, Equation]] = []
    while pending:
        ready = [k for k, eq in pending.items() if all(t.key in known for t in eq.rhs)]
        if not ready:
            raise ValueError(f"circular totals in form {form.vintage}: {sorted(pending)}")
        for key in ready:
            order.append((key, pending.pop(key)))
            known.add(key)
    return tuple(order)


def blank_return(form: Form, **attributes: Any) -> Return:
    return Return(form=form, values=dict.fromkeys(c.key for c in form.cells), **attributes)


def filled_return(form: Form, inputs: Mapping[str, Number], **attributes: Any) -> Return:
    """A consistent return from input values: derived cells computed (blank inputs are 0)."""
    values = complete(form, inputs)
    return Return(form=form, values=dict(values), **attributes)


@dataclass
class FileReport:
    """One input file: the return read from it (None when unreadable) and every finding."""

    path: Path
    ret: Return | None
    findings: list[Finding] = field(default_factory=list)

    @property
    def errors(self) -> int:
        """Errors that count (explained ones do not)."""
        return sum(1 for f in self.findings if f.is_error and not f.accepted)

    @property
    def warnings(self) -> int:
        """Warnings that count (explained ones do not)."""
        return sum(1 for f in self.findings if not f.is_error and not f.accepted)

    @property
    def accepted(self) -> int:
        return sum(1 for f in self.findings if f.accepted)

    @property
    def status(self) -> str:
        """One of "unreadable", "skipped", "errors", "warnings", "ok".

        "skipped" (未读取): a file found in a folder that is no return at all; its one finding
        (F05, a warning) says what it is.
        """
        if self.ret is None:
            return "unreadable" if self.errors else "skipped"
        if self.errors:
            return "errors"
        return "warnings" if self.warnings else "ok"
