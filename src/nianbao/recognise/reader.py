"""Read a filled workbook or a published report into a Return: locate the tables, normalise the
cells, note what was done.

Two ways to find the data cells:

- **identity** (workbooks made by nianbao): the hidden ``_nianbao`` sheet names the vintage; data
  cells are read where ``layout_for(form)`` puts them, after checking the labels there. A table
  whose labels are not where the layout says (rows inserted, sheet renamed) is found again by
  its labels, with a warning;
- **labels** (any other workbook in the official layout): the tables are searched by their
  labels on every sheet (locate.py) and the vintage is recognised from labels only one vintage
  has.

Documents (web page, PDF, Word, text; sources/dispatch.py) are read by labels too, on the one
sheet their tables are stacked on; a text grid by order (sequence.py). What differs:

- unit and year come from the title in the running text (「某某2024年政府信息公开工作年度报告」),
  else from ``--unit`` / ``--year``;
- every data cell gets its place (table, the official row and column labels, the page of a
  PDF), and every reading note names places, never the grid's A1 cells;
- the running text is kept (``Return.narrative``) for the checks of text against tables.

A 2021 表三 that prints （六）其他处理 as one row, its three items missing, is read against the
variant form ``v2021.ONE_ROW_OTHER`` (only when the statutory form cannot be placed).

In a workbook every copy of every table is found, on every sheet, both ways (a template may
carry a pasted copy of last year's table, or Excel's 移动或复制 → 建立副本 may leave a blank
original beside a filled 「三、…(2)」), and the reader never chooses among them silently:

- a copy whose sheet name or title states another year than the return's (or 上年/去年) is
  not read, with a note naming it (L07). The return's year here is the one the workbook
  states (cover, identity sheet, else the single year its report titles give), else the year
  asked for (``year``);
- a copy on a hidden sheet competes only when no visible copy holds figures;
- of the rest, exactly one holding any figures is read, the blank ones named (L06); two or
  more holding figures is an error naming every one, and nothing is read (L05).

A document (last year's tables printed for comparison) is judged by its copies' figures
instead, having no sheet names: the same figures or one filled copy is read (L06), copies with
different figures are refused (L05). Each copy is searched only up to the next one's anchor
(locate.py), so a copy missing a caption or a row label stays incomplete; one with half its
cells found is compared at those cells (never read: when it alone holds figures, L01).

Nor is a figure read from a place the table's labels do not vouch for:

- labels all present but in another order than the form's (two columns or rows swapped) are
  refused (L01 saying which), never read by position; a 总计 column elsewhere is found by its
  label, its cells being computed;
- a row label printed again below its row (before the next row's label, or under the table
  with blank rows between) with other figures is L09 (the first is read); in a template's
  table read where the template puts it too;
- a figure under a merged range, which Excel does not show, is V11;
- a figure is read from under its column label's whole span (locate.py ``under_headers``):
  a label merged over three columns above a figure row of three separate cells (the 2019
  form's rows kept under a 2021 header) is read from the one cell that holds anything; two or
  more holding something is a V12 error at the cell naming them, and none of them is read
  (the cell counts as blank; never a V04 while a figure stands under its header).

Values follow normalize.py's policy. The reader judges nothing else: text, negative or
fractional counts are kept for the checker. Reading notes (L02/L04–L07/L09 labels and
copies, V04–V08/V10–V12 values) go into ``Return.notes``, one finding per kind of note and table.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import cache, cached_property
from pathlib import Path
from typing import NamedTuple

from nianbao.form import FORMS, VARIANTS
from nianbao.form.a1 import cell_name, column_letters, range_name
from nianbao.form.data import Return, Value, totals_without_text
from nianbao.form.findings import OTHER_TABLES_FOUND, PARTLY_FOUND, Finding, Place, Rule
from nianbao.form.layout import (
    ANNOTATION_HEADERS,
    ANNOTATION_SHEET,
    COVER_FIELDS,
    COVER_SHEET,
    COVER_VALUE_COL,
    EXPORT_HEADINGS,
    IDENTITY_MARKER,
    IDENTITY_SHEET,
    STATUS_HEADINGS,
    SUMMARY_SHEETS,
    Label,
    SheetLayout,
    layout_for,
)
from nianbao.form.model import Cell, Form, Table
from nianbao.recognise.labels import Match, compare, visible
from nianbao.recognise.locate import (
    LabelNote,
    Placement,
    Pos,
    SheetIndex,
    Stacking,
    StackProblem,
    anchor_label,
    column_numbers,
    locate_all,
    markers_present,
    numbered_row,
    per_layout,
    repeated_in_place,
    under_headers,
)
from nianbao.recognise.normalize import flagged, may_be_number, normalize, parse_year
from nianbao.recognise.sequence import locate_all_in_order
from nianbao.sources.dispatch import open_source
from nianbao.sources.document import DRAWN_NOT_TEXT
from nianbao.sources.grid import CellValue, Grid, Sheet
from nianbao.sources.looks import TEXT_SHOWN, Shown
from nianbao.sources.preflight import FORMULA_WITHOUT_RESULT, UnreadableFile, csv_not_a_report
from nianbao.text import show_value

__all__ = ["UnknownLayout", "read_return"]

_ADVICE = "请使用 nianbao template 生成的模板，或保持官方表式的行列标签。"
_DOCUMENT_ADVICE = (
    "请核对报告中的统计表是否完整、是否按官方表式印制；也可改用 nianbao template 生成的模板填报。"
)
_MAX_LISTED = 20  # cells named in one note; the rest are counted
_MAX_LISTED_PLACES = 6  # a document's cells are named by their labels: fewer fit in a line


@dataclass(frozen=True)
class _OwnOutput:
    """A file nianbao writes that is no return, told by its first sheet's name and heading row
    (a text file: by its first line), the headings the writers take from form/layout.py."""

    what: str
    headings: tuple[str, ...]  # the heading row starts with these
    sheet: str | None = None  # the first sheet's name (a text file has none)
    row: int = 0  # the heading row
    kind: str = "workbook"  # or "text": the first line is ``headings`` joined by commas
    advice: str = ""


_OWN_OUTPUTS = (
    _OwnOutput(
        f"批注副本（首个工作表为「{ANNOTATION_SHEET}」）",
        ANNOTATION_HEADERS,
        ANNOTATION_SHEET,
        advice=f"如果这是单位按批注改好后重新报送的文件，请删除「{ANNOTATION_SHEET}」工作表后再校验或汇总。",
    ),
    _OwnOutput(
        f"报送情况表（nianbao status -o 写出，首个工作表为「{SUMMARY_SHEETS[1]}」）",
        STATUS_HEADINGS,
        SUMMARY_SHEETS[1],
        row=1,
    ),
    _OwnOutput("导出数据（nianbao export 写出，工作表「数据」）", EXPORT_HEADINGS, "数据"),
    _OwnOutput("导出数据（nianbao export 写出的 CSV）", EXPORT_HEADINGS, kind="text"),
)


class UnknownLayout(Exception):
    """The statutory tables cannot be read from the file: ``finding`` says why (L01 not found,
    with what was expected; L05 copies of a table with different figures)."""

    def __init__(self, finding: Finding) -> None:
        super().__init__(finding.message)
        self.finding = finding


def read_return(
    path: str | os.PathLike[str],
    *,
    unit: str | None = None,
    year: int | None = None,
    engine: str = "calamine",
) -> Return:
    """Read the workbook or published report at ``path``.

    ``unit`` and ``year`` are used when the file itself does not say (no cover, no title).
    ``engine`` is "calamine" (xlsx, xlsm, xlsb, xls, ods) or "openpyxl" (xlsx, xlsm; the
    reference reader) for workbooks; documents have one reader each. Raises UnreadableFile
    (F01–F04) or UnknownLayout (L01).
    """
    with open_source(path, engine) as grid:
        return _Reader(grid, str(path)).read(unit, year)


@dataclass
class _Reader:
    grid: Grid
    source: str
    notes: list[Finding] = field(default_factory=list)
    _indexes: dict[str, SheetIndex] = field(default_factory=dict)
    _cover_positions: dict[str, tuple[int, int]] = field(default_factory=dict)
    # documents: the place of each data cell read, by key and by grid position
    _places: dict[str, Place] = field(default_factory=dict)
    _place_at: dict[tuple[int, int], Place] = field(default_factory=dict)
    # workbooks: numbers stored as text, and sheets holding copies of a table not read
    _text_numbers: frozenset[str] = frozenset()
    _passed_over: set[str] = field(default_factory=set)
    # blank data cells covered by a merged range from another data cell: (sheet, pos) -> range
    _merged_over: dict[tuple[str, Pos], tuple[Pos, Pos]] = field(default_factory=dict)
    _cover_values: dict[str, CellValue] | None = None  # the cover, read once

    @property
    def document(self) -> bool:
        return self.grid.kind != "workbook"

    def read(self, unit: str | None, year: int | None) -> Return:
        self._refuse_own_output()
        refused = (
            csv_not_a_report(self.source, self.grid.text or "")
            if self.grid.kind == "text"
            else None
        )
        if refused is not None:
            raise refused
        identity = None if self.document else self._identity()
        form = FORMS.get(str(identity.get("vintage"))) if identity else None
        # the year a workbook's copies of a table are judged by (a document's by their figures)
        target = None if self.document else (self._own_year(identity or {}) or year)
        if form is not None:
            plans = _plan(form)
            placements = [self._choose(plans[t.code], target, True) for t in form.tables]
        else:
            form, placements = self._place_tables(self._recognise_vintage(), target)
        values, locations = self._values(form, placements)
        ret = Return(form=form, values=values, source=self.source, locations=locations)
        ret.text_numbers = self._text_numbers
        if self.document:
            ret.document, ret.narrative, ret.places = self.grid.kind, self.grid.text, self._places
        self._describe(ret, identity or {}, unit, year, [p.sheet for p in placements])
        self._recognise_summary(ret, identity)
        ret.notes = self.notes
        return ret

    def _place_all(self, form: Form, target: int | None) -> list[Placement]:
        """Every table of ``form`` by its labels: in a document, its one copy; in a workbook,
        the copy chosen among all (notes of an attempt that fails are withdrawn)."""
        if self.document:
            return [self._place_by_labels(table) for table in form.tables]
        notes, passed_over = len(self.notes), set(self._passed_over)
        plans = _plan(form)
        try:
            return [self._choose(plans[t.code], target, False) for t in form.tables]
        except UnknownLayout:
            del self.notes[notes:]
            self._passed_over = passed_over
            raise

    def _place_tables(self, form: Form, target: int | None) -> tuple[Form, list[Placement]]:
        """Every table of ``form`` placed by its labels; when that fails, the first variant of
        the vintage that places completely (a 2021 表三 with （六） printed as one row)."""
        try:
            return form, self._place_all(form, target)
        except UnknownLayout as failure:
            for variant in VARIANTS.values():
                if variant.vintage != form.vintage:
                    continue
                try:
                    placements = self._place_all(variant, target)
                except UnknownLayout:
                    continue
                changed = [
                    p
                    for p in placements
                    if _cell_keys(p.table) != _cell_keys(form.table(p.table.code))
                ]
                if all(self._rows_are_whole(p) for p in changed):
                    return variant, placements
            raise self._in_a_report(failure, form) from None

    def _in_a_report(self, failure: UnknownLayout, form: Form) -> UnknownLayout:
        """``failure`` marked as a report's (OTHER_TABLES_FOUND) when other tables of the form
        are found, at least in half: a report whose 表三 is a scanned page or a picture is a
        report that cannot be read, never some other document a folder lists as 未读取."""
        if failure.finding.operands.get(PARTLY_FOUND):
            return failure
        locate = locate_all_in_order if self.grid.kind == "text" else locate_all
        found = [
            table.short
            for table in form.tables
            if any(
                2 * len(placement.cells) >= len(table.cells)
                for index in self._searchable()
                for placement in locate(table, index)
            )
        ]
        if not found:
            return failure
        operands = {**failure.finding.operands, OTHER_TABLES_FOUND: "、".join(found)}
        return UnknownLayout(replace(failure.finding, operands=operands))

    def _rows_are_whole(self, placement: Placement) -> bool:
        """Whether no numbers stand in the data columns between one data row of ``placement``
        and the next. A table read against a variant with one row where the form has several
        (（六）其他处理) must really print one row: three rows whose labels are missing are
        not one row. (A repeated header between rows holds no numbers.)"""
        sheet = self.grid.get(placement.sheet)
        assert sheet is not None
        rows = sorted({r for r, _ in placement.cells.values()})
        columns = {c for _, c in placement.cells.values()}
        for above, below in zip(rows, rows[1:], strict=False):
            for r in range(above + 1, below):
                for c in columns:
                    value, _ = normalize(sheet.cell(r, c), document=self.document)
                    if isinstance(value, int | Decimal):
                        return False
        return True

    # -- what kind of file: a return, a summary, one of nianbao's own outputs ------------------

    def _refuse_own_output(self) -> None:
        """A file nianbao wrote that is no return (``_OWN_OUTPUTS``: an annotated copy, a
        status workbook, an export) is not read: left among the returns, a copy would count its
        unit twice and the others are not returns at all. F05, which a folder lists as 未读取."""
        output = next((o for o in _OWN_OUTPUTS if self._is_own(o)), None)
        if output is not None:
            raise UnknownLayout(
                Finding(
                    Rule.F05,
                    f"文件「{Path(self.source).name}」是 nianbao 生成的{output.what}，不是报表，未读取。"
                    + output.advice,
                    file=self.source,
                )
            )

    def _is_own(self, output: _OwnOutput) -> bool:
        if output.kind == "text":
            if self.grid.kind != "text":
                return False
            first_line = (self.grid.text or "").lstrip("\ufeff").split("\n", 1)[0]
            return first_line.strip() == ",".join(output.headings)
        first = self.grid.sheets[0] if self.grid.sheets and not self.document else None
        if first is None or first.name != output.sheet or len(first.rows) <= output.row:
            return False
        heading = tuple(first.rows[output.row])[: len(output.headings)]
        return heading == output.headings

    def _recognise_summary(self, ret: Return, identity: dict[str, CellValue] | None) -> None:
        """A summary says so in its identity sheet; one that lost it still has the sheets a
        summary adds; a foreign workbook whose title or unit says 汇总 gets M09 (a hint)."""
        if ret.kind == "summary" or self.document:
            return
        if all(self.grid.get(name) is not None for name in SUMMARY_SHEETS):
            ret.kind = "summary"
            return
        if identity is not None:
            return
        said = next(
            (text for text in (ret.unit, self._title_text()) if text and "汇总" in text), None
        )
        if said is not None:
            self.notes.append(
                Finding(
                    Rule.M09,
                    f"「{said}」含有「汇总」二字，这份报表可能是汇总表。汇总表不能与各单位的报表"
                    "一起汇总（会重复计数）：如确是汇总表，请把它移出单位报表所在的文件夹。",
                    file=self.source,
                    operands={"text": said},
                )
            )

    def _title_text(self) -> str | None:
        """The first text in the top rows of the first visible sheet (a foreign table's title)."""
        for sheet in self.grid.sheets:
            if sheet.hidden:
                continue
            for line in sheet.rows[:_TITLE_ROWS]:
                for value in line:
                    if type(value) is str and value.strip():
                        return value.strip()
            return None
        return None

    # -- identity path -------------------------------------------------------------------------

    def _identity(self) -> dict[str, CellValue] | None:
        sheet = self.grid.get(IDENTITY_SHEET)
        if sheet is None:
            return None
        pairs = {
            str(line[0]): (line[1] if len(line) > 1 else None)
            for line in sheet.rows
            if line and line[0] is not None
        }
        return pairs if pairs.get("marker") == IDENTITY_MARKER else None

    # -- every copy of a table, and which one to read --------------------------------------------

    def _candidates(
        self, plan: _TablePlan, by_identity: bool
    ) -> tuple[list[_Candidate], Placement | None]:
        """Every copy of the table in the workbook: where the template puts it (identity path,
        labels in place), then by labels on every sheet, the template's own sheet first. A copy
        with half its cells found counts (it may hold figures); the second item is the copy
        that found most cells, for saying what is missing when none is complete."""
        layout = plan.layout
        found: list[_Candidate] = []
        best: Placement | None = None
        official = self.grid.get(layout.name) if by_identity else None
        skip: tuple[tuple[int, int], ...] = ()
        if official is not None:
            notes: list[LabelNote] = []
            # a 栏次 row typed under 表四's header moved its one data row down: found by labels
            if _labels_in_place(official, plan.checked, notes) and not _numbered_in_place(
                official, plan
            ):
                placement = Placement(
                    layout.table, official.name, cells=layout.cells, notes=notes, top=plan.top
                )
                placement.repeated = repeated_in_place(
                    layout.table, self._index(official), layout.cells
                )
                placement = under_headers(placement, self._index(official), layout=True)
                found.append(self._candidate(placement, plan, by_layout=True))
                skip = (plan.anchor,)
        for index in self._searchable(official):
            here = skip if index.sheet is official else ()
            for placement in locate_all(layout.table, index, here):
                if best is None or len(placement.cells) > len(best.cells):
                    best = placement
                if placement.complete or 2 * len(placement.cells) >= len(layout.cells):
                    found.append(self._candidate(placement, plan))
        return found, best

    def _candidate(
        self, placement: Placement, plan: _TablePlan, by_layout: bool = False
    ) -> _Candidate:
        sheet = self.grid.get(placement.sheet)
        assert sheet is not None
        year, said = _stated_year(sheet, placement.top)
        return _Candidate(placement, sheet, plan, by_layout, year, said)

    def _choose(self, plan: _TablePlan, target: int | None, by_identity: bool) -> Placement:
        table = plan.layout.table
        candidates, best = self._candidates(plan, by_identity)
        other_year = [c for c in candidates if c.other_year(target)]
        for candidate in other_year:
            self._passed_over.add(candidate.placement.sheet)
            self.notes.append(_year_note(candidate, table, target, self.source))
        eligible = [c for c in candidates if not c.other_year(target)]
        visible = [c for c in eligible if not c.sheet.hidden]
        # copies on hidden sheets compete only when no visible copy holds figures
        hidden_yield = len(visible) < len(eligible) and any(c.filled for c in visible)
        pool = visible if hidden_yield else eligible
        filled = [c for c in pool if c.filled] if len(pool) > 1 else []
        if len(filled) > 1:
            raise UnknownLayout(_ambiguous(table, filled, self.source))
        complete = [c for c in pool if c.placement.complete]
        chosen = filled[0] if filled else (complete[0] if complete else None)
        if chosen is None or not chosen.placement.complete:
            raise UnknownLayout(
                self._not_found(table, chosen.placement if chosen else best, other_year)
            )
        others = [c for c in eligible if c is not chosen]
        self._passed_over.update(c.placement.sheet for c in others)
        if others:
            self.notes.append(_choice_note(table, chosen, others, self.source))
        elif by_identity and not chosen.by_layout:
            self.notes.append(_moved_note(table, chosen.placement, self.source))
        return chosen.placement

    def _own_year(self, identity: dict[str, CellValue]) -> int | None:
        """The year the workbook says it is for: its cover, its identity sheet, else the one
        year all its report titles give (titles of two years say nothing)."""
        cover_year = self._year(self._cover().get("year"), silent=True)
        if cover_year is not None:
            return cover_year
        identity_year = self._year(identity.get("year"), silent=True)
        if identity_year is not None:
            return identity_year
        years = {year for _, year, _ in self._titles()}
        return years.pop() if len(years) == 1 else None

    # -- label path ----------------------------------------------------------------------------

    def _index(self, sheet: Sheet) -> SheetIndex:
        if sheet.name not in self._indexes:
            self._indexes[sheet.name] = SheetIndex(sheet)
        return self._indexes[sheet.name]

    def _searchable(self, first: Sheet | None = None) -> Iterator[SheetIndex]:
        """Sheets to search: ``first``, then visible ones, then hidden ones (never the identity)."""
        ordered = [first] if first is not None else []
        ordered += [s for s in self.grid.sheets if not s.hidden and s is not first]
        ordered += [
            s for s in self.grid.sheets if s.hidden and s is not first and s.name != IDENTITY_SHEET
        ]
        for sheet in ordered:
            yield self._index(sheet)

    def _recognise_vintage(self) -> Form:
        forms = tuple(FORMS.values())
        indexes = list(self._searchable())
        present = {
            form: markers_present(form, tuple(f for f in forms if f is not form), indexes)
            for form in forms
        }
        found = [form for form in forms if present[form]]
        if len(found) == 1:
            return found[0]
        if found:
            parts = "；".join(f"{form.label}的标签{_quoted(present[form][:3])}" for form in found)
            message = (
                f"文件「{Path(self.source).name}」同时含有两种表式的标签（{parts}），无法确定表式版本。"
                f"请按一种表式填报：{_vintages_by_year()}。{_ADVICE}"
            )
        else:
            message = f"文件「{Path(self.source).name}」中{_expected_tables()}{_ADVICE}"
        raise UnknownLayout(Finding(Rule.L01, message, file=self.source))

    def _place_by_labels(self, table: Table) -> Placement:
        """A document's table by its labels: its one complete copy (see _one_copy when it
        prints more than one, counting a copy with half its cells found, as in a workbook),
        else L01 saying what is missing."""
        locate = locate_all_in_order if self.grid.kind == "text" else locate_all
        placements = [p for index in self._searchable() for p in locate(table, index)]
        complete = [p for p in placements if p.complete]
        copies = [p for p in placements if p.complete or 2 * len(p.cells) >= len(table.cells)]
        if complete and len(copies) > 1:
            return self._one_copy(table, copies)
        placement = complete[0] if complete else max(placements, key=_found, default=None)
        if placement is not None and placement.complete:
            return placement
        name = Path(self.source).name
        advice = _DOCUMENT_ADVICE if self.document else _ADVICE
        if self.grid.textless:
            pages = "、".join(str(n) for n in self.grid.textless[:10])
            advice = (
                f"（第 {pages} 页没有文字层，可能是扫描的图片，其中的表格无法读取；nianbao 不做文字识别，"
                f"请提供可复制文字的 PDF 或 Word/Excel 版本。）{advice}"
            )
        if placement is None:
            anchor = anchor_label(table)
            message = f"文件「{name}」中未找到「{table.title}」表（{table.short}）中的「{anchor}」等标签。{advice}"
            sheet = None
        else:
            where = "" if self.document else f"的工作表「{placement.sheet}」"
            message = (
                f"文件「{name}」{where}中，{table.short}「{table.title}」"
                f"{_what_is_wrong(placement)}{self._unlabelled_hint(placement)}"
                f"{self._drawn_hint(placement)}。{advice}"
            )
            sheet = None if self.document else placement.sheet
        # a table partly found: the file is a report whose table is broken, not some other
        # document (a folder scan lists those as 未读取)
        found: dict[str, object] = {} if placement is None else {PARTLY_FOUND: len(placement.cells)}
        raise UnknownLayout(
            Finding(Rule.L01, message, file=self.source, sheet=sheet, operands=found)
        )

    def _one_copy(self, table: Table, copies: list[Placement]) -> Placement:
        """The copy to read of a table a document prints more than once (last year's tables
        printed for comparison, a table repeated): the first when every copy holds the same
        figures, the only one holding figures when the others are blank (L06); none when two
        hold different figures (L05): which year each is for cannot be told from the tables.

        A copy found only in part (a label missing: half its cells or more found) is compared
        at the cells it has; it is never read, so when it alone holds the figures nothing is
        (L01)."""
        figures = [self._figures(table, copy) for copy in copies]
        filled = [i for i, row in enumerate(figures) if any(_figure(v) for v in row)]
        where = [self._copy_where(copy, i) for i, copy in enumerate(copies)]
        listed = "、".join(w + _incomplete(copy) for w, copy in zip(where, copies, strict=True))
        named = f"{table.short}「{table.title}」"
        differing = next(
            (
                (a, b)
                for n, a in enumerate(filled)
                for b in filled[n + 1 :]
                if not _agree(figures[a], figures[b])
            ),
            None,
        )
        if differing is None:  # one set of figures (blank copies aside)
            readable = [i for i, copy in enumerate(copies) if copy.complete]
            chosen = next((i for i in filled if copies[i].complete), None)
            if chosen is None and filled:  # the figures are only in a copy not found whole
                self._only_partly_filled(table, copies[filled[0]], listed)
            chosen = readable[0] if chosen is None else chosen
            if len(set(figures)) == 1:
                why = "各份数字完全相同"
            elif len(filled) == 1:
                why = "只有这一份填了数字"
            elif all(copies[i].complete for i in filled):
                why = "填了数字的各份数字完全相同，其余空白"
            else:
                why = "填了数字的各份数字相同（不完整的一份只比对了找到的单元格）"
            self.notes.append(
                Finding(
                    Rule.L06,
                    f"{named}在报告中印了 {len(copies)} 份（{listed}）。{why}，"
                    f"已读取{where[chosen]}。",
                    file=self.source,
                    operands={"份数": len(copies)},
                )
            )
            return copies[chosen]
        a, b = differing
        at, cell = next(
            (i, cell)
            for i, (cell, x, y) in enumerate(zip(table.cells, figures[a], figures[b], strict=True))
            if x is not _NOT_FOUND and y is not _NOT_FOUND and x != y
        )
        differs = Place(
            table.short,
            row=cell.row_label if cell.block.show_row_labels else "",
            column=cell.column_label,
        ).describe(table=False)
        raise UnknownLayout(
            Finding(
                Rule.L05,
                f"文件「{Path(self.source).name}」中{named}印了 {len(copies)} 份"
                f"（{listed}），数字不同（如{differs}：{where[a]}为 "
                f"{_shown(figures[a][at])}，{where[b]}为 {_shown(figures[b][at])}）。"
                "无法确定哪一份是本年度的，未读取。如其中有上年或其他单位的表格，"
                "请另存一份只保留本年度表格的文件后再核对。",
                file=self.source,
                operands={"份数": len(copies)},
            )
        )

    def _only_partly_filled(self, table: Table, copy: Placement, listed: str) -> None:
        """L01: the only copy holding figures is not found whole (the others are blank)."""
        raise UnknownLayout(
            Finding(
                Rule.L01,
                f"文件「{Path(self.source).name}」中{table.short}「{table.title}」印了多份（{listed}），"
                f"填了数字的一份{_what_is_wrong(copy)}，其余各份空白，未读取。{_DOCUMENT_ADVICE}",
                file=self.source,
                operands={PARTLY_FOUND: len(copy.cells)},
            )
        )

    def _figures(self, table: Table, placement: Placement) -> tuple[Value | object, ...]:
        """Every cell of a placed copy, read as figures, in the table's cell order (a cell a
        copy found in part does not have: _NOT_FOUND)."""
        sheet = self.grid.get(placement.sheet)
        assert sheet is not None
        cells = placement.cells
        return tuple(
            normalize(sheet.cell(*cells[cell.key]), document=self.document)[0]
            if cell.key in cells
            else _NOT_FOUND
            for cell in table.cells
        )

    def _copy_where(self, placement: Placement, index: int) -> str:
        sheet = self.grid.get(placement.sheet)
        page = _page(sheet, placement.top) if sheet is not None else None
        return f"第 {index + 1} 份" + (f"（第 {page} 页）" if page is not None else "")

    def _not_found(
        self, table: Table, placement: Placement | None, other_year: list[_Candidate]
    ) -> Finding:
        """L01: the table is not in the workbook, or only part of its labels are."""
        name = Path(self.source).name
        passed = ""
        if other_year:
            listed = "、".join(f"工作表「{c.placement.sheet}」（{c.said}）" for c in other_year)
            passed = f"（{listed}中的{table.short}标明是其他年度的，未读取）"
        if placement is None or placement.complete:  # none, or only copies of other years
            anchor = anchor_label(table)
            message = f"文件「{name}」中未找到「{table.title}」表（{table.short}）中的「{anchor}」等标签{passed}。{_ADVICE}"
            sheet = None
        else:
            message = (
                f"文件「{name}」的工作表「{placement.sheet}」中，{table.short}「{table.title}」"
                f"{_what_is_wrong(placement)}{passed}{self._unlabelled_hint(placement)}"
                f"{self._drawn_hint(placement)}。{_ADVICE}"
            )
            sheet = placement.sheet
        return Finding(Rule.L01, message, file=self.source, sheet=sheet)

    def _drawn_hint(self, placement: Placement) -> str:
        """For a document's table refused for missing labels: its cells drawn as shapes, not
        text, where the labels missing may be (the PDF's printer drew their glyphs)."""
        sheet = self.grid.get(placement.sheet)
        if sheet is None or not placement.missing:
            return ""
        drawn = sum(value == DRAWN_NOT_TEXT for row in sheet.rows for value in row)
        if not drawn:
            return ""
        return (
            f"；文件的表格中有 {drawn} 格的内容是以图形绘制的，不是文字（制作 PDF 的程序把这些字画成了图形），"
            "缺少的标签可能就在其中：请索取由 Word 或 WPS 直接导出的 PDF，或 Word、网页版本"
        )

    def _unlabelled_hint(self, placement: Placement) -> str:
        """For a table refused for missing labels: the rows of figures without a label inside
        what was found of it (a label lost, as an image or cut), which may be the rows missing."""
        sheet = self.grid.get(placement.sheet)
        if sheet is None or not placement.cells or not placement.missing:
            return ""
        geometry = _geometry(placement.cells, False)
        first, bottom, left, right = geometry.bounds
        rows, columns = geometry.rows, geometry.columns
        strays = [
            stray
            for r in [*range(placement.top + 1, bottom), *_rows_under(sheet, bottom, right)]
            if r not in rows
            and (stray := _stray_row(sheet, r, columns, left, document=self.document))
            and not stray[1]
        ]
        if not strays:
            return ""
        listed = "；".join(
            self._stray_place(sheet, r, label, placement.top, left, first)
            + "（"
            + self._stray_figures(r, figures)
            + "）"
            for r, label, figures in strays[:_MAX_LISTED]
        )
        return f"；表中有 {len(strays)} 行数字没有行标签，可能就是缺少标签的行（标签是图片或被裁掉了）：{listed}"

    # -- values ------------------------------------------------------------------------------

    def _values(
        self, form: Form, placements: Iterable[Placement]
    ) -> tuple[dict[str, Value], dict[str, tuple[str, str]]]:
        values: dict[str, Value] = {}
        locations: dict[str, tuple[str, str]] = {}
        plans = _plan(form)
        collected: dict[tuple[Rule, str, Table], list[tuple[tuple[int, int], CellValue]]] = {}
        document = self.document
        as_text: set[str] = set()
        placements = list(placements)
        spans = {  # each table's rows, its top to its last data row
            id(p): range(
                p.top, _geometry(p.cells, p.cells is plans[p.table.code].layout.cells).bounds[1] + 1
            )
            for p in placements
            if p.cells
        }
        for placement in placements:
            table = placement.table
            sheet = self.grid.get(placement.sheet)
            assert sheet is not None
            plan = plans[table.code]
            official = plan.layout
            # cells where the layout puts them are not recorded (Return.location falls back to it)
            moved = placement.sheet != official.name or placement.cells is not official.cells
            rows = sheet.rows
            # what the sheet shows in place of a figure: a format or font (V13), a hidden row
            # or column, a shape laid over it (V14); nothing to look up on a plain return
            looks = {} if document else sheet.looks
            hidden_rows, hidden_columns = (
                (frozenset(), frozenset()) if document else sheet.hidden_lines
            )
            covers = [] if document else sheet.covers
            unlike: list[tuple[Pos, CellValue, Shown]] = []
            unseen: list[tuple[Pos, CellValue]] = []
            covered: list[tuple[Pos, CellValue, str]] = []
            in_place = placement.cells is official.cells  # a template read where it puts it
            merged_over = (
                {}
                if document
                else _merged_over_figures(
                    sheet,
                    _geometry(placement.cells, in_place).positions,
                    per_layout(_input_positions, placement.cells, in_place, plan),
                )
            )
            cells, spread, height = placement.cells, placement.spread, len(rows)
            watched = bool(looks or hidden_rows or hidden_columns or covers)
            for key, derived in plan.cells:
                pos = cells[key]
                r, c = pos
                line = rows[r] if r < height else ()
                raw = line[c] if c < len(line) else None
                value, rule = normalize(raw, document=document)
                values[key] = value
                if moved:
                    locations[key] = (placement.sheet, cell_name(*pos))
                if document:
                    self._places[key] = self._place_at[pos] = self._cell_place(form, key, sheet, r)
                if key in spread:  # which figure is the cell's cannot be told
                    values[key] = None
                    self.notes.append(self._spread_note(form, key, sheet, pos, spread[key]))
                    continue
                if derived:
                    continue  # recomputed from the inputs: a blank or odd total is not noted
                if watched and _figure_read(value):
                    look = looks.get(pos)
                    # a date the engine has made of the number is the checker's V01, which says so
                    if look is not None and not (look.why == "date" and type(raw) is str):
                        unlike.append((pos, raw, look))
                    if r in hidden_rows or c in hidden_columns:
                        unseen.append((pos, raw))
                    elif cover := next((k for k in covers if k.covers(r, c)), None):
                        covered.append((pos, raw, cover.what))
                elif watched and value == 0 and (look := looks.get(pos)) is not None:
                    if look.why in ("other", "cf"):  # 0 shown as a figure (0;-0;"3" shows 3)
                        unlike.append((pos, raw, look))
                if raw == 0 and type(raw) is int and not document and pos in sheet.stale:
                    # a formula's stored 0 in a workbook recalculated on opening: nobody
                    # computed it, and what Excel shows is not in the file
                    values[key] = None
                    raw, rule = FORMULA_WITHOUT_RESULT, Rule.V07
                if rule is None and raw is not None:
                    continue  # a figure as it should be: nothing to note
                if raw is None and sheet.flags.get(pos):  # only a blank can hide these
                    raw = sheet.flags[pos]
                    rule = flagged(raw)
                elif rule is Rule.V06:
                    as_text.add(key)
                elif raw is None and pos in merged_over:  # V04 names the merge over it
                    self._merged_over[(placement.sheet, pos)] = merged_over[pos]
                if rule is not None:
                    collected.setdefault((rule, placement.sheet, table), []).append((pos, raw))
            if unlike:
                self.notes.append(self._shown_note(table, sheet.name, unlike))
            if unseen:
                self.notes.append(self._unseen_note(table, sheet, unseen))
            if covered:
                self.notes.append(self._covered_note(table, sheet.name, covered))
            if sheet.hidden and not document:
                self._hidden_sheet_note(table, sheet, [values[key] for key, _ in plan.cells])
            self._label_notes(table, placement.notes)
            self._under_merges(placement, sheet, layout=in_place)
            others = frozenset(  # the rows of the other tables read on this sheet
                r
                for other in placements
                if other is not placement and other.sheet == placement.sheet and other.cells
                for r in spans[id(other)]
            )
            # a template read in place has no row of its own inside its tables, but a row may
            # be typed under one (表四's one data row: last year's figures pasted under it)
            self._rows_not_in_form(placement, sheet, others, layout=in_place)
            self._repeated_rows(form, placement, sheet)  # after: 表四's second row joins them
            if not in_place:  # a template read in place has no column of its own
                self._columns_not_in_form(placement, sheet)
            self._figures_beside(placement, sheet, layout=in_place)
        short = {key.split(":", 1)[0] for key in totals_without_text(form, values, as_text)}
        for (rule, sheet_name, table), noted in collected.items():
            self.notes.append(self._value_note(rule, sheet_name, table, noted, table.code in short))
        self._text_numbers = frozenset(as_text)
        return values, locations

    def _shown_note(
        self, table: Table, sheet: str, cells: list[tuple[Pos, CellValue, Shown]]
    ) -> Finding:
        """V13: figures the sheet shows as something else (a number format hiding, scaling or
        adding to them, a percentage, a date; a font the colour of the cell or too small to
        read; a conditional format; part of the text formatted apart). The figure stored is
        read (the sums count it), but the printed and signed table shows another or none, so
        which one the unit meant cannot be told: an error at each cell."""
        listed = [
            _shown_said(cell_name(*pos), show_value(raw), look)
            for pos, raw, look in cells[:_MAX_LISTED]
        ]
        more = f"等 {len(cells)} 个" if len(cells) > _MAX_LISTED else ""
        return Finding(
            Rule.V13,
            f"{_where(table, sheet)}有 {len(cells)} 个单元格表上显示的与存储的数字不符："
            f"{'；'.join(listed)}{more}。读取和合计用的是存储的数字，表上（打印、签字的表上）却是另一个样子，"
            f"无法确定填报的是哪一个数。请把这些单元格的{_shown_fix(cells)}，核对数字后重新报送。",
            file=self.source,
            sheet=sheet,
            cells=tuple(cell_name(*pos) for pos, _, _ in cells),
            operands={"count": len(cells)},
        )

    def _unseen_note(
        self, table: Table, sheet: Sheet, cells: list[tuple[Pos, CellValue]]
    ) -> Finding:
        """V14: figures of the table in hidden rows or columns. They are read and counted, as
        the sheet's own sums count them; hiding is done on purpose, so the figure is probably
        meant, but nobody sees it on screen or on paper: a warning naming the rows, columns and
        cells."""
        hidden_rows, _ = sheet.hidden_lines
        by_line: dict[str, list[str]] = {}
        for (r, c), raw in cells:
            line = f"第 {r + 1} 行" if r in hidden_rows else f"{column_letters(c)} 列"
            by_line.setdefault(line, []).append(f"{cell_name(r, c)}「{show_value(raw)}」")
        listed = "；".join(
            f"{line}（已隐藏）"
            + "、".join(figures[:_MAX_LISTED])
            + (f"等 {len(figures)} 个" if len(figures) > _MAX_LISTED else "")
            for line, figures in list(by_line.items())[:_MAX_LISTED]
        )
        return Finding(
            Rule.V14,
            f"{_where(table, sheet.name)}有 {len(cells)} 个数字在隐藏（或太矮、太窄，显示不出"
            f"数字）的行或列中：{listed}。"
            "这些数字已读取并计入合计，但在 Excel 中看不到，打印出来的表上也没有。"
            "请取消隐藏（选中隐藏处两侧的行或列，右键 →「取消隐藏」），太矮、太窄的行列请拉开，"
            "核对这些数字。",
            file=self.source,
            sheet=sheet.name,
            cells=tuple(cell_name(*pos) for pos, _ in cells),
            operands={"count": len(cells)},
        )

    def _covered_note(
        self, table: Table, sheet: str, cells: list[tuple[Pos, CellValue, str]]
    ) -> Finding:
        """V14: figures under a text box or filled shape of the sheet's drawing. Read and
        counted, as a hidden row's are; the screen and the printed table show the shape (its
        text, or nothing) instead: a warning naming each cell and what covers it."""
        listed = "；".join(
            f"{cell_name(*pos)}「{show_value(raw)}」被{what}盖住"
            for pos, raw, what in cells[:_MAX_LISTED]
        )
        more = f"等 {len(cells)} 个" if len(cells) > _MAX_LISTED else ""
        return Finding(
            Rule.V14,
            f"{_where(table, sheet)}有 {len(cells)} 个数字被工作表上的图形盖住：{listed}{more}。"
            "这些数字已读取并计入合计，但在 Excel 中和打印出来的表上看到的是盖在上面的图形，"
            "不是这些数字。请删除或移开这些图形（开始 →「查找和选择」→「选择窗格」列出"
            "工作表上的全部图形），核对这些数字。",
            file=self.source,
            sheet=sheet,
            cells=tuple(cell_name(*pos) for pos, _, _ in cells),
            operands={"count": len(cells)},
        )

    def _hidden_sheet_note(self, table: Table, sheet: Sheet, values: list[Value]) -> None:
        """V14 for a table read from a hidden sheet (no visible copy holds figures): read, as
        for a hidden row, but nobody opening the workbook or printing it sees the figures."""
        if not any(_figure_read(value) for value in values):
            return
        self.notes.append(
            Finding(
                Rule.V14,
                f"{table.short}所在的工作表「{sheet.name}」被隐藏（打开工作簿时看不到它，"
                "也不会打印出来），其中的数字已读取并计入合计。请取消隐藏该工作表（右键单击任一"
                "工作表标签 →「取消隐藏」；列表中没有它的，是用宏深度隐藏的，请技术人员协助），"
                "核对其中的数字。",
                file=self.source,
                sheet=sheet.name,
            )
        )

    def _rows_not_in_form(
        self, placement: Placement, sheet: Sheet, others: frozenset[int], *, layout: bool = False
    ) -> None:
        """L10 for rows of the table that are no row of the form but hold figures in its data
        columns: those figures are in no cell of the form, so they are not read, and the user
        is told where. Of the table is: between its top (caption or top header) and its first
        data row (figures typed into the header, or a row under it); between its data rows (a
        unit inserted 「9.其他不予公开情形」, or a row whose label was lost: an image, or cut);
        and under its last data row, down to the table's end (a row blank in its columns) or
        the next table (``others``): a row of figures printed or pasted under the table (表四's
        one data row with last year's under it). Which rows say nothing (header labels, 栏次
        numbers, a units row, zeros) is ``_stray_row``'s; a row label printed again is L09's.
        ``layout``: the cells are a template's, read in place."""
        geometry = _geometry(placement.cells, layout)
        top, bottom, left, right = geometry.bounds
        rows, columns = geometry.rows, geometry.columns
        again = {r for repeats in placement.repeated.values() for r, _ in repeats}
        candidates = [
            r for r in range(min(placement.top, top), bottom) if r not in rows and r not in others
        ]
        candidates += _rows_under(sheet, bottom, right, others)
        extra = [
            stray
            for r in candidates
            if r not in again
            and (stray := _stray_row(sheet, r, columns, left, document=self.document))
        ]
        table = placement.table
        block = table.blocks[0]
        if len(table.blocks) == 1 and not block.show_row_labels:
            # 表四: one data row and no row label to tell it by, so another row of figures in
            # its columns (last year's pasted under or over it) is its data row printed twice,
            # and which is the unit's cannot be told: L09, like a row label printed again
            # — and so is a row labelled as the other year's where the data row is labelled as
            # the year before (上年 over 本年, 2023年 over 2024年): the figures read are last year's
            (leaf,) = block.row_leaves
            own = _row_label(sheet, min(rows), left)
            twice = [r for r, label, _ in extra if not label or _year_before(own, label)]
            if twice:
                placement.repeated.setdefault(leaf.code, []).extend((r, 0) for r in twice)
                extra = [stray for stray in extra if stray[0] not in twice]
        if not extra:
            return
        shown = "；".join(
            self._stray_place(sheet, r, label, top, left, top)
            + "（"
            + self._stray_figures(r, figures)
            + "）"
            for r, label, figures in extra[:_MAX_LISTED]
        )
        positions = [(r, c) for r, _, figures in extra for c, _ in figures]
        places = [
            Place(table.short, row=show_value(label) if label else "", page=_page(sheet, r))
            for r, label, _ in extra
        ]
        self._not_in_form(Rule.L10, table, sheet, "行", shown, len(extra), positions, places)

    def _stray_place(
        self, sheet: Sheet, r: int, label: str, top: int, left: int, first: int
    ) -> str:
        """Where a row not in the form is: its label, or, without one, the labelled row above
        it (from ``top``; above the first data row ``first``, only the header row right above:
        a label higher up heads the whole header, as 表三's note does); in a document by page,
        in a workbook by row number."""
        page = _page(sheet, r) if self.document else None
        at = f"第 {page} 页" if page is not None else ("" if self.document else f"第 {r + 1} 行")
        if label:
            return f"{at}「{show_value(label)}」行"
        above = _label_above(sheet, r, r - 1 if r < first else top, left)
        if above:
            under = f"「{show_value(above)}」行下面"
        else:  # no row label above: in the header, or under a table without them (表四)
            under = "表头下面" if r < first else "数据行下面"
        return f"{at}{under}一行没有行标签的数字"

    def _stray_figures(self, r: int, figures: list[tuple[int, CellValue]]) -> str:
        shown = figures[:3] if not self.document else figures[:7]
        listed = "、".join(
            (
                f"「{show_value(raw)}」"
                if self.document
                else f"{cell_name(r, c)}「{show_value(raw)}」"
            )
            for c, raw in shown
        )
        return listed + ("等" if len(figures) > len(shown) else "")

    def _columns_not_in_form(self, placement: Placement, sheet: Sheet) -> None:
        """L11 for columns between the table's data columns that are no column of the form
        but hold figures in its data rows, under a label of their own (a unit inserted
        「个体工商户」 among the applicants): as for rows (L10), those figures are in no cell of
        the form, so they are not read, and the user is told where. Columns labelled
        小计/合计/总计/栏次/序号, without a label, or of zeros only are left alone, and so are
        cells inside a merged range (V11 and V12 say what is hidden or spread there)."""
        geometry = _geometry(placement.cells, False)
        first_row, _, left, right = geometry.bounds
        rows = sorted(geometry.rows)
        data_columns = geometry.columns
        candidates = [c for c in range(left + 1, right) if c not in data_columns]
        if not candidates:
            return
        covered = _covered_cells(sheet)
        extra: list[tuple[int, str, list[tuple[int, CellValue]]]] = []
        for c in candidates:
            figures: list[tuple[int, CellValue]] = [  # the figures lost (zeros lose nothing)
                (r, raw)
                for r in rows
                if (r, c) not in covered
                and (raw := sheet.cell(r, c)) is not None
                and isinstance(value := normalize(raw, document=self.document)[0], int | Decimal)
                and value != 0
            ]
            label = " ".join(
                t
                for r in range(placement.top, first_row)
                if (r, c) not in covered and (t := _text(sheet.cell(r, c)))
            )
            if figures and label and not any(word in label for word in _NOT_A_NEW_ROW):
                extra.append((c, label, figures))
        if not extra:
            return
        shown = "；".join(
            ("" if self.document else f"{column_letters(c)} 列")
            + f"「{show_value(label)}」（"
            + "、".join(self._figure_at(sheet, r, c, raw) for r, raw in figures[:3])
            + ("等" if len(figures) > 3 else "")
            + "）"
            for c, label, figures in extra[:_MAX_LISTED]
        )
        positions = [(r, c) for c, _, figures in extra for r, _ in figures]
        places = [
            Place(placement.table.short, column=show_value(label), page=_page(sheet, figures[0][0]))
            for _, label, figures in extra
        ]
        self._not_in_form(
            Rule.L11, placement.table, sheet, "列", shown, len(extra), positions, places
        )

    def _figures_beside(self, placement: Placement, sheet: Sheet, *, layout: bool) -> None:
        """L12 for figures right beside a block's data rows, in the column after its last data
        column, under no label: a row typed or pasted one cell to the right leaves its first
        cell blank (V04 alone said so) and its last figure outside the table, in silence. A
        column holding text near the block (another table, a note) or figures in most of its
        rows (a unit's helper column), and cells inside a merged range, are left alone. The
        common return, with nothing beside its rows, pays a few lookups. ``layout``: the cells
        are a template's, read in place."""
        beside: list[tuple[int, int, CellValue]] = []
        covered: set[Pos] | None = None  # worked out only once a figure is beside a row
        lines = sheet.rows
        for rows, c in _block_edges(placement.table, placement.cells, layout):
            figures = [
                (r, c, raw)
                for r in rows
                if r < len(lines)
                and c < len(line := lines[r])
                and (raw := line[c]) is not None
                and isinstance(value := normalize(raw, document=self.document)[0], int | Decimal)
                and value != 0
            ]
            if not figures:
                continue
            near = range(max(rows[0] - _HEADER_ROWS_NEAR, 0), rows[-1] + 1)
            if any(
                isinstance(normalize(sheet.cell(r, c), document=self.document)[0], str)
                for r in near
            ):
                continue
            covered = _covered_cells(sheet) if covered is None else covered
            figures = [figure for figure in figures if figure[:2] not in covered]
            if figures and (len(rows) <= 2 or 2 * len(figures) <= len(rows)):
                beside += figures
        if not beside:
            return
        shown = "、".join(
            self._figure_at(sheet, r, c, raw) for r, c, raw in beside[:_MAX_LISTED]
        ) + ("等" if len(beside) > _MAX_LISTED else "")
        table = placement.table
        pages = dict.fromkeys(_page(sheet, r) for r, _, _ in beside)
        self.notes.append(
            Finding(
                Rule.L12,
                f"{self._in(table, sheet.name)}数据行右侧没有列标题的格中有 {len(beside)} 个数字，"
                f"未读取：{shown}。这一行的数字可能整体向右错了一格（它左边的格因此空白或是别的数）；"
                "请核对后把数字填到表式中相应的列，删除表外的数字，改正后重新报送。",
                file=self.source,
                operands={"数字个数": len(beside)},
                **self._located(
                    sheet.name,
                    [(r, c) for r, c, _ in beside],
                    [Place(table.short, page=page) for page in pages],
                ),
            )
        )

    def _not_in_form(
        self,
        rule: Rule,
        table: Table,
        sheet: Sheet,
        what: str,
        shown: str,
        count: int,
        positions: list[Pos],
        places: list[Place],
    ) -> None:
        """L10 (``what`` 行) or L11 (列): rows or columns of a table that are none of the
        form's, their figures ``shown`` not read; at ``positions`` in a workbook, ``places``
        in a document."""
        label = "（行标签缺失的，补上标签）" if what == "行" else ""  # a row's label may be lost
        self.notes.append(
            Finding(
                rule,
                f"{self._in(table, sheet.name)}有 {count} {what}不是官方表式中的{what}，其中的数字未读取："
                f"{shown}。这些数字不在表式的任何一格里，也不计入任何合计；"
                f"请删除这些{what}，把数字填到表式中相应的{what}{label}，改正后重新报送。",
                file=self.source,
                operands={f"{what}数": count},
                **self._located(sheet.name, positions, places),
            )
        )

    def _repeated_rows(self, form: Form, placement: Placement, sheet: Sheet) -> None:
        """L09 for a row label printed again below its row with other figures (a row pasted
        twice, last year's row left in; ``Placement.repeated``): which row is the unit's cannot
        be told, so the first is read and the return does not pass until one is removed."""
        for leaf_code, others in placement.repeated.items():
            prefix = f"{placement.table.code}:{leaf_code}:"
            cells = [(key, pos) for key, pos in placement.cells.items() if key.startswith(prefix)]
            if not cells:
                continue
            row = cells[0][1][0]
            own = self._row_figures(sheet, row, cells)
            for other, shift in others:
                theirs = self._row_figures(sheet, other, cells, shift)
                if theirs != own and any(v is not None for v in theirs):
                    at = next(
                        i
                        for i, pair in enumerate(zip(own, theirs, strict=True))
                        if pair[0] != pair[1]
                    )
                    cell = form.cell(cells[at][0])
                    positions = [pos for _, pos in cells]
                    positions += [(other, c + shift) for _, (_, c) in cells]
                    self.notes.append(
                        self._repeat_note(
                            cell, sheet, positions, (row, other), (own[at], theirs[at])
                        )
                    )
                    break

    def _under_merges(self, placement: Placement, sheet: Sheet, layout: bool) -> None:
        """V11 for data cells that hold something but lie inside a merged range, not at its
        top-left: Excel shows only the top-left cell's content there, so a figure is counted
        that nobody sees (a merge pasted over filled cells). So is any cell a data cell's own
        merged range covers (表二's one-column blocks, merged over three): a figure there,
        where a figure row of three cells was merged, is one nobody sees and nobody counts."""
        merges = sheet.merged_ranges
        if not merges:
            return
        positions, (top, bottom, left, right), _, _ = _geometry(placement.cells, layout)
        hidden: list[tuple[tuple[int, int], CellValue, str]] = []
        for r1, c1, r2, c2 in merges:
            if r2 < top or r1 > bottom or c2 < left or c1 > right:
                continue
            # the data cells inside it: by its own cells when it is small (the usual merge of
            # a caption or a label; a data cell's own merge: every cell it covers), else by the
            # table's cells
            if (r2 - r1 + 1) * (c2 - c1 + 1) <= len(positions):
                inside = [(r, c) for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)]
                own = (r1, c1) in positions
                covered = [pos for pos in inside if own or pos in positions]
            else:
                covered = sorted(p for p in positions if r1 <= p[0] <= r2 and c1 <= p[1] <= c2)
            for pos in covered:
                if pos == (r1, c1):
                    continue
                raw = sheet.cell(*pos)
                # a blank data cell may hide a formula without its result; a blank cell beside
                # one (表二's blocks merged over three, on every return) has no figure to hide,
                # and asking would make every return read its sheet's formulas
                if raw is not None or (pos in positions and pos in sheet.flags):
                    shown = raw if raw is not None else sheet.flags[pos]
                    hidden.append((pos, shown, range_name((r1, c1), (r2, c2))))
        if not hidden:
            return
        listed = "、".join(
            f"{cell_name(*pos)}「{show_value(raw)}」（在 {span} 中）"
            for pos, raw, span in hidden[:_MAX_LISTED]
        )
        more = f"等 {len(hidden)} 个" if len(hidden) > _MAX_LISTED else ""
        counted = sum(1 for pos, _, _ in hidden if pos in positions)
        if counted == len(hidden):
            fate = "却会被计入"
        elif counted:
            fate = "其中数据格里的会被计入，其余的不会被读取"
        else:
            fate = "也不会被读取（读取的是合并区域左上角一格）"
        if self.document:  # a report's table: no cells to name by A1, nothing to unmerge
            values = "、".join(f"「{show_value(raw)}」" for _, raw, _ in hidden[:_MAX_LISTED])
            message = (
                f"{placement.table.short}有 {len(hidden)} 处文字落在跨行或跨列的"
                f"单元格范围之内：{values}{more}。它们属于表格的哪一格无法确定，{fate}。请核对原表格。"
            )
        else:
            message = (
                f"{_where(placement.table, sheet.name)}有 {len(hidden)} 个单元格被合并单元格遮住："
                f"{listed}{more}。合并后表上只显示合并区域左上角一格的内容，这些格里存着的数字看不到，"
                f"{fate}。请取消合并，逐格核对后重新填写。"
            )
        self.notes.append(
            Finding(
                Rule.V11,
                message,
                file=self.source,
                sheet=None if self.document else sheet.name,
                cells=() if self.document else tuple(cell_name(*pos) for pos, _, _ in hidden),
                operands={"count": len(hidden)},
            )
        )

    def _spread_note(
        self,
        form: Form,
        key: str,
        sheet: Sheet,
        pos: tuple[int, int],
        holding: list[tuple[int, int]],
    ) -> Finding:
        """V12 for a data cell whose column label is merged over several columns, the cells
        under it in the cell's row separate and more than one holding something (locate.py
        ``under_headers``): which one is the column's figure cannot be told, so none is read
        (the cell counts as blank) and the return does not pass until one is left."""
        cell = form.cell(key)
        column = cell.column_label
        if self.document:
            shown = "、".join(
                f"第 {c - pos[1] + 1} 格「{visible(str(sheet.cell(r, c)).strip())}」"
                for r, c in holding
            )
            where = "这一行"
        else:
            shown = "、".join(
                f"{cell_name(r, c)}「{_shown_raw(sheet, (r, c))}」" for r, c in holding
            )
            row = cell.row_label if cell.block.show_row_labels else cell.column_label
            where = f"{_where(cell.table, sheet.name)}「{row}」行"
        message = (
            f"{where}在「{column}」列下分成了几格（列标题合并了几列，这一行的格没有合并），"
            f"其中 {len(holding)} 格都有内容：{shown}。无法确定哪一格是「{column}」的数字，"
            f"未读取（暂按空白计）。请只在其中一格填写「{column}」的数字（或把这几格也合并），"
            "删除其余内容后再报送；沿用旧表式（如 2019 版表式这一行的三格）时常见这种情况。"
        )
        places = [self._cell_place(form, key, sheet, pos[0])]
        return Finding(
            Rule.V12,
            message,
            file=self.source,
            operands={"行": cell.row_label, "列": column, "格数": len(holding)},
            **self._located(sheet.name, holding, places),
        )

    def _row_figures(
        self, sheet: Sheet, row: int, cells: list[tuple[str, tuple[int, int]]], shift: int = 0
    ) -> list[Value]:
        return [
            normalize(sheet.cell(row, c + shift), document=self.document)[0] for _, (_, c) in cells
        ]

    def _repeat_note(
        self,
        cell: Cell,
        sheet: Sheet,
        positions: list[tuple[int, int]],
        rows: tuple[int, int],
        figures: tuple[Value, Value],
    ) -> Finding:
        first, second = (
            ("第 1 次", "第 2 次")
            if self.document
            else (f"第 {rows[0] + 1} 行", f"第 {rows[1] + 1} 行")
        )
        row_label = cell.row_label if cell.block.show_row_labels else ""
        # 表四's rows printed with labels of their own (「上年」「本年」): named by them
        left = min(c for _, c in positions)
        own = [_row_label(sheet, r, left) for r in rows] if not row_label else []
        if own and all(own):
            first, second = (f"「{label}」行" for label in own)
        # a document's note is shown after its place, which names the row
        if not row_label:  # 表四: its one data row, without a label
            where = cell.table.short if self.document else _where(cell.table, sheet.name)
            row = f"{where}的数据行" + ("" if own and all(own) else "（没有行标签）")
        elif self.document:
            row = "这一行"
        else:
            row = f"{_where(cell.table, sheet.name)}「{row_label}」行"
        message = (
            f"{row}出现了两次（{first}、{second}），数字不同（如「{cell.column_label}」列："
            f"{first}为 {_shown(figures[0])}，{second}为 {_shown(figures[1])}）。无法确定哪一行是本表的，"
            f"暂按{first}读取。请删除多余的一行（或核对哪一行正确）后再报送。"
        )
        places = [Place(cell.table.short, row=row_label, page=_page(sheet, rows[0]))]
        return Finding(
            Rule.L09,
            message,
            file=self.source,
            operands={"行": row_label or "数据行"},
            **self._located(sheet.name, positions, places),
        )

    # -- where a note points: A1 cells in a workbook, places in a document ------------------------

    def _cell_place(self, form: Form, key: str, sheet: Sheet, row: int) -> Place:
        cell = form.cell(key)
        return Place(
            cell.table.short,
            row=cell.row_label if cell.block.show_row_labels else "",
            column=cell.column_label,
            page=_page(sheet, row),
        )

    def _label_place(self, table: Table, note: LabelNote) -> Place:
        sheet = self.grid.get(note.sheet)
        page = _page(sheet, note.pos[0]) if sheet is not None else None
        if note.official in _row_labels(table):
            return Place(table.short, row=note.official, page=page)
        return Place(table.short, column=note.official, page=page)

    def _in(self, table: Table, sheet: str) -> str:
        """The table a note is about, as its message names it: a document has no sheets."""
        return table.short if self.document else _where(table, sheet)

    def _figure_at(self, sheet: Sheet, r: int, c: int, raw: CellValue) -> str:
        """A figure as a note lists it: by its A1 cell in a workbook, its page in a document."""
        if not self.document:
            return f"{cell_name(r, c)}「{show_value(raw)}」"
        page = _page(sheet, r)
        return f"「{show_value(raw)}」" + (f"（第 {page} 页）" if page is not None else "")

    def _located(self, sheet: str, positions: list[tuple[int, int]], places: list[Place]) -> dict:
        """The location keywords of a note's Finding."""
        if self.document:
            return {"places": tuple(places)}
        return {"sheet": sheet, "cells": tuple(cell_name(*pos) for pos in positions)}

    def _value_note(
        self,
        rule: Rule,
        sheet: str,
        table: Table,
        cells: list[tuple[tuple[int, int], CellValue]],
        totals_left_out: bool = False,
    ) -> Finding:
        positions = [pos for pos, _ in cells]
        if self.document:
            places = [self._place_at[pos] for pos in positions]
            names = [place.describe(table=False) for place in places[:_MAX_LISTED_PLACES]]
            where = table.short
        else:
            places = []
            names = [self._cell_name(sheet, pos, rule) for pos in positions]
            where = _where(table, sheet)
        raws = [raw for _, raw in cells]
        text = _value_text(rule, where, names, raws, len(cells), totals_left_out)
        if rule is Rule.V04 and any((sheet, pos) in self._merged_over for pos in positions):
            text += "被合并的数据格，请取消合并后逐格填写。"
        return Finding(
            rule,
            text,
            file=self.source,
            operands={"count": len(cells)},
            **self._located(sheet, positions, places),
        )

    def _cell_name(self, sheet_name: str, pos: Pos, rule: Rule) -> str:
        """A workbook cell as a value note names it: a blank covered by a merged range from
        another data cell (自然人 and 商业企业 merged over one figure: Excel shows and sums the
        first cell's figure across both) says so, since it does not look blank on the sheet."""
        span = self._merged_over.get((sheet_name, pos)) if rule is Rule.V04 else None
        if span is None:
            return cell_name(*pos)
        first, last = span
        sheet = self.grid.get(sheet_name)
        shown = _shown_raw(sheet, first) if sheet is not None else ""
        return (
            f"{cell_name(*pos)}（被合并进 {range_name(first, last)}，表上显示的「{shown}」"
            f"是 {cell_name(*first)} 的数字）"
        )

    def _label_notes(self, table: Table, notes: list[LabelNote]) -> None:
        by_rule: dict[tuple[Rule, str, bool], list[LabelNote]] = {}
        for note in notes:
            # In a document a label broken over lines or spaced out is layout (a narrow
            # column), not a retyping: such labels get one short note of their own.
            wrapped = self.document and "".join(note.found.split()) == note.official
            by_rule.setdefault((note.rule, note.sheet, wrapped), []).append(note)
        for (rule, sheet, wrapped), group in by_rule.items():
            places = [self._label_place(table, n) for n in group] if self.document else []
            shown = (
                [f"（第 {p.page} 页）" if p.page is not None else "" for p in places]
                if self.document
                else [cell_name(*n.pos) for n in group]
            )
            limit = _MAX_LISTED_PLACES if self.document else _MAX_LISTED
            # the same retyping at the same place (a document's table prints 「本年增/减」 in
            # three blocks, on one page or none) is listed once, with how many times
            listed: dict[tuple[str, str, str], int] = {}
            for at, n in zip(shown, group, strict=True):
                entry = (at, visible(n.found), n.official)
                listed[entry] = listed.get(entry, 0) + 1
            items = "；".join(
                (
                    f"{at}「{found}」应为「{official}」"
                    if found
                    else f"{at}空白（应为「{official}」）"
                )
                + (f"（{times} 处）" if times > 1 else "")
                for (at, found, official), times in list(listed.items())[:limit]
            )
            more = f"等 {len(group)} 处" if len(listed) > limit else ""
            where = table.short if self.document else _where(table, sheet)
            if wrapped:
                examples = "、".join(f"「{visible(n.found)}」" for n in group[:3])
                text = (
                    f"{where}有 {len(group)} 处标签因排版分行或带空格（如{examples}），"
                    "已按官方标签识别。"
                )
            elif rule is Rule.L02:
                text = f"{where}有 {len(group)} 处标签文字与官方表式略有出入，已按官方标签识别：{items}{more}。建议改回官方标签。"
            else:
                text = f"{where}有 {len(group)} 处标签与官方表式不符，已按位置读取：{items}{more}。请改回官方标签，并核对这些行列的数字。"
            self.notes.append(
                Finding(
                    rule,
                    text,
                    file=self.source,
                    operands={"count": len(group)},
                    **self._located(sheet, [n.pos for n in group], places),
                )
            )

    # -- unit, parent, year ----------------------------------------------------------------------

    def _describe(
        self,
        ret: Return,
        identity: dict[str, CellValue],
        unit: str | None,
        year: int | None,
        read_from: list[str],
    ) -> None:
        cover = self._cover()
        title_unit, title_year = (
            self._title(read_from) if not cover and not identity else (None, None)
        )
        ret.unit = _text(cover.get("unit")) or _text(identity.get("unit")) or title_unit or unit
        ret.parent = _text(cover.get("parent")) or _text(identity.get("parent"))
        # The roster's identity of a template (kept apart: the cover's name may have been edited).
        ret.code = _text(identity.get("code"))
        ret.issued = _text(identity.get("unit"))
        ret.year = (
            self._year(cover.get("year"))
            or self._year(identity.get("year"), silent=True)
            or title_year
            or year
        )
        typed = _text(cover.get("year"))
        if ret.year is None and typed:
            ret.cover["year"] = typed
        elif typed and self._year(cover.get("year"), silent=True) is None:
            # the year came from elsewhere (the template's identity): the cover still says
            # something else, which a reader of the printed return sees
            pos = self._cover_positions.get("year", (0, 0))
            self.notes.append(
                Finding(
                    Rule.C02,
                    f"封面「报告年度」填的是「{show_value(typed)}」，无法识别为年份；"
                    f"已按模板中保存的 {ret.year} 年读取。请改为四位数年份，如 {ret.year}。",
                    file=self.source,
                    sheet=COVER_SHEET,
                    cells=(cell_name(*pos),),
                    operands={"封面年度": typed, "读取年度": ret.year},
                )
            )
        issued_for = self._year(identity.get("year"), silent=True)
        if issued_for and ret.year and issued_for != ret.year and ret.kind != "summary":
            pos = self._cover_positions.get("year", (0, 0))
            self.notes.append(
                Finding(
                    Rule.C05,
                    f"封面「报告年度」是 {ret.year}，而这份模板是为 {issued_for} 年度下发的"
                    f"（模板中保存的年度）。如果是把 {issued_for} 年度的报表改了年度再报送，"
                    f"数字是 {issued_for} 年度的，请按 {ret.year} 年度重新填报；如果是用"
                    f" {issued_for} 年度的空白模板填报了 {ret.year} 年度的数字，核对无误即可"
                    "（下次请用本年度下发的模板）。",
                    file=self.source,
                    sheet=COVER_SHEET,
                    cells=(cell_name(*pos),),
                    operands={"封面年度": ret.year, "模板年度": issued_for},
                )
            )
        for key in ("preparer", "phone", "date"):
            text = _text(cover.get(key))
            if text:
                ret.cover[key] = text
        kind = _text(identity.get("kind"))
        if kind:
            ret.kind = kind
        members = identity.get("members")
        if type(members) is int and members > 0:
            ret.members = members

    def _cover(self) -> dict[str, CellValue]:
        if self._cover_values is None:
            self._cover_values = self._document_cover() if self.document else self._sheet_cover()
        return self._cover_values

    def _sheet_cover(self) -> dict[str, CellValue]:
        sheet = self.grid.get(COVER_SHEET)
        if sheet is None:
            return {}
        found: dict[str, CellValue] = {}
        for cover_field in COVER_FIELDS:
            pos = (cover_field.row, COVER_VALUE_COL)
            if (
                compare(sheet.cell(cover_field.row, COVER_VALUE_COL - 1), cover_field.label)
                is Match.NONE
            ):
                hits = self._index(sheet).find(cover_field.label)
                if not hits:
                    continue
                pos = (hits[0][0], hits[0][1] + 1)
            found[cover_field.key] = sheet.cell(*pos)
            self._cover_positions[cover_field.key] = pos
        return found

    def _document_cover(self) -> dict[str, CellValue]:
        """A cover printed as a table (a nianbao workbook saved as a web page or PDF): each
        cover label with its value in the next filled cell to its right."""
        index = self._index(self.grid.sheets[0])
        found: dict[str, CellValue] = {}
        for cover_field in COVER_FIELDS:
            for r, c, _ in index.find(cover_field.label):
                line = index.sheet.rows[r]
                value = next((v for v in line[c + 1 :] if v is not None), None)
                if value is not None:
                    found[cover_field.key] = value
                    break
        return found

    def _year(self, raw: CellValue, silent: bool = False) -> int | None:
        parsed, normalised = parse_year(raw)
        if parsed is not None and normalised and not silent and not self.document:
            pos = self._cover_positions.get("year", (0, 0))
            self.notes.append(
                Finding(
                    Rule.V06,
                    f"封面「报告年度」填写为「{str(raw).strip()}」，已按 {parsed} 年读取。建议只填写四位数年份，如 {parsed}。",
                    file=self.source,
                    sheet=COVER_SHEET,
                    cells=(cell_name(*pos),),
                )
            )
        return parsed

    def _titles(self) -> list[tuple[str | None, int, str]]:
        """(unit, year, sheet) of every report title like 「某某2021年政府信息公开工作年度报告」
        in the first rows of the visible sheets, in workbook order."""
        found: list[tuple[str | None, int, str]] = []
        for sheet in self.grid.sheets:
            if sheet.hidden:
                continue
            rows = sheet.rows[:_TITLE_ROWS]
            for r, line in enumerate(rows):
                for c, value in enumerate(line):
                    if type(value) is not str or "报告" not in value:
                        continue
                    match = _TITLE.search(re.sub(r"\s+", "", value))
                    if match:
                        unit = match.group("unit") or _above(sheet, r, c)
                        found.append((unit or None, _title_year(match), sheet.name))
        return found

    def _title(self, read_from: list[str]) -> tuple[str | None, int | None]:
        """Unit and year from a report title: a document's first; in a workbook, on a sheet the
        tables were read from first, else on any sheet but those holding copies not read."""
        if self.document:
            return _text_title(self.grid.text or "")
        titles = self._titles()
        ranked = [t for t in titles if t[2] in read_from] + [
            t for t in titles if t[2] not in read_from and t[2] not in self._passed_over
        ]
        if not ranked:
            return None, None
        unit, year, _ = ranked[0]
        return unit, year


# -- helpers ---------------------------------------------------------------------------------

_TITLE_ROWS = 6
# The year as titles print it: 2020, full-width ２０２０, or in Chinese numerals (二〇二〇, 二零二〇).
_CHINESE_DIGIT = "〇零○一二三四五六七八九"
# A character of a unit's name: 年 among them (青少年活动中心, 老年大学) but not a year's 年 (a
# date before the title, 「2024年1月」 or 「发布时间：2024年」, is no part of the unit) unless the
# year is inside a name, between its words and not a month's (「道外区2021年第七次全国人口普查
# 领导小组办公室」, 「某市2022年冬运会筹备委员会办公室」).
_UNIT_CHARACTER = (
    rf"(?:[^年]|(?<![0-9０-９{_CHINESE_DIGIT}])年"
    r"|(?<=[\u4e00-\u9fff][0-9０-９]{4})年(?![0-9０-９〇零一二三四五六七八九十]{1,2}月|度))"
)
# The unit: up to 60 characters.
_TITLE = re.compile(
    rf"(?P<unit>{_UNIT_CHARACTER}{{0,60}}?)"
    rf"(?P<year>(?:19|20|１９|２０)[0-9０-９]{{2}}|(?:一九|二[〇零○])[{_CHINESE_DIGIT}]{{2}})"
    r"年度?政府信息公开(?:工作)?年度报告"
)


def _title_year(match: re.Match[str]) -> int:
    """The year of a title ``_TITLE`` matched, whichever digits it is printed in."""
    year, _ = parse_year(match.group("year"))
    assert year is not None  # the pattern admits only years parse_year reads
    return year


# What may stand before the unit's name on a title's line: a web page's breadcrumbs (「首页 >
# 政务公开 > 某局2021年…」, 「当前位置：」), a file name (「附件1：」), a site's name (「某市政府网 |
# 」), a sentence quoting the title (「现将《某局2021年…》」). A unit's own name may hold > / : “ "
# (「甲/乙局:联合办公室」, 「<b>某某</b>局」), so only what looks like these is taken off: a > that
# closes a < is no breadcrumb, / only in a path (two of them, or set apart by spaces) or after
# 首页/位置, a colon only after a label, 《 or “ only the one the 》 or ” after the title closes.
# A separator set apart by spaces, 「某市政府网 - 某局」: always a breadcrumb. NUL, not \x1f: Python
# counts \x1c–\x1f as whitespace, and the line's spaces are taken out after this mark is set.
_SEPARATOR = "\x00"
_SPACED = re.compile(r"\s+[>»＞›/|｜:：_—\-]\s*|[>»＞›/|｜:：_—\-]\s+")
_ALWAYS_BEFORE = re.compile(r".*[>»＞›|｜_—\-\\\x00]")  # > of a <tag> masked first
_PATH_BEFORE = re.compile(r".*/")
_NAVIGATION = re.compile(r"首页|主页|当前位置|您的位置|现在的位置|位置[:：]")
_LABEL_BEFORE = re.compile(
    r".*(?:附件[0-9０-９一二三四五六七八九十]*|标题|题目|名称|文件名?|来源|位置)[:：]"
)
_SITE_AFTER = re.compile(r"[|｜_—\-\x00]+$")  # 「某局 - 2021年…报告 - 某市政府网」
_TAG = re.compile(r"<[^<>]*>")
_QUOTES = {"》": "《", "”": "“", "」": "「", '"': '"'}
# The unit's longest form: all of the line before the year but a date's 年 (「2024年1月」).
_UNIT_TAIL = re.compile(rf"{_UNIT_CHARACTER}*\Z")
_LONGEST_UNIT = 120  # a name over 60 characters, read only from a heading (a line of its own)
_SENTENCE = re.compile(r"[，。；！？,;!?]")
_DATE_REST = re.compile(r"^[0-9０-９]{1,2}月(?:[0-9０-９]{1,2}日)?")
_FILE_AFTER = re.compile(r"(?:[.．](?:docx?|pdf|wps|ofd|html?|xlsx?|txt))?")


def _strip_before_unit(unit: str, after: str = "") -> str:
    """The unit's name from what stands before a title's year on its line (or on the line
    above): ``after`` is what follows the title, where a quotation's 》 or ” closes."""
    closer = after[:1]
    if closer in _QUOTES:
        opener, depth = _QUOTES[closer], 0
        for i in range(len(unit) - 1, -1, -1):
            if unit[i] == opener and (depth == 0 or opener == closer):
                return _strip_before_unit(unit[i + 1 :])
            if unit[i] == closer:
                depth += 1
            elif unit[i] == opener:
                depth -= 1
    site = _SITE_AFTER.search(unit)
    if site and not _ALWAYS_BEFORE.match(unit[: site.start()]):
        unit = unit[: site.start()]  # the unit before its site's name, 「某局 - 2021年…」
    masked = _TAG.sub(lambda tag: "<" + "." * (len(tag.group()) - 1), unit)
    cut = 0
    if match := _ALWAYS_BEFORE.match(masked):
        cut = match.end()
    # After a breadcrumb's > or a spaced separator, a / or : is the name's own (「甲/乙局:…」);
    # before any, navigation's words say the / and : are the page's.
    navigation = cut == 0 and _NAVIGATION.search(masked) is not None
    if masked.count("/", cut) >= 2 or navigation:
        if match := _PATH_BEFORE.match(masked):
            cut = max(cut, match.end())
    if match := _LABEL_BEFORE.match(masked):
        cut = max(cut, match.end())
    if navigation and (match := re.match(r".*[:：]", masked)):
        cut = max(cut, match.end())
    # the rest of a date whose year's 年 ended the search (「2022年1月5日 某局2021年…」)
    return _DATE_REST.sub("", unit[cut:])


def _text_title(text: str) -> tuple[str | None, int | None]:
    """Unit and year from the first title line of a document's running text; a unit on the
    line above a title that starts with the year (a title set on two lines). A unit cut short
    (over 60 characters, not a heading of its own) is unknown rather than its last part."""
    previous = ""
    for line in text.splitlines():
        compact = re.sub(r"\s+", "", _SPACED.sub(_SEPARATOR, line.strip()))
        match = _TITLE.search(compact) if "报告" in compact else None
        if match:
            after = compact[match.end() :]
            unit = match.group("unit")
            if len(unit) >= 60:  # perhaps cut: the longest it can be
                tail = _UNIT_TAIL.search(compact[: match.start("year")])
                unit = tail.group() if tail else unit
            unit = _strip_before_unit(unit, after)
            heading = _FILE_AFTER.fullmatch(after) is not None
            if len(unit) > 60 and not (
                (heading or after[:1] in _QUOTES)
                and len(unit) <= _LONGEST_UNIT
                and not _SENTENCE.search(unit)
            ):
                return None, _title_year(match)
            if not unit:
                above = _strip_before_unit(previous).replace(_SEPARATOR, "")
                long = len(above) > 60 and (len(above) > _LONGEST_UNIT or _SENTENCE.search(above))
                unit = above if not long and "报告" not in above else ""
            return (unit.replace(_SEPARATOR, "") or None), _title_year(match)
        if compact:
            previous = compact
    return None, None


Bounds = tuple[int, int, int, int]  # top, bottom, left, right


# Labels of rows inside a table that are not lost figures: a sum printed again, column numbers.
# So are the sign-off lines typed right under a table (填表人 … 联系电话 13912345678, 填报日期
# 2025 1 15): their numbers are a phone number or a date.
_NOT_A_NEW_ROW = (
    "小计",
    "合计",
    "总计",
    "栏次",
    "序号",
    "填表",
    "填报",
    "电话",
    "审核",
    "负责人",
    "日期",
)


def _stray_row(
    sheet: Sheet, r: int, columns: tuple[int, ...], left: int, *, document: bool
) -> tuple[int, str, list[tuple[int, CellValue]]] | None:
    """Row ``r`` as (row, label, its non-zero figures in ``columns``) when those figures are
    lost to the form: None for a row of zeros or blanks (nothing is lost), a row labelled
    小计/合计/总计 (a sum printed again) or 栏次/序号, and a row of column numbers (1, 2, 3 …
    in order, with or without a label). A row without a label counts: its label may be what
    was lost (an image, cut off), and its figures with it."""
    line = sheet.rows[r] if 0 <= r < len(sheet.rows) else ()
    figures: list[tuple[int, CellValue]] = [
        (c, raw)
        for c in columns
        if c < len(line)
        and (raw := line[c]) is not None
        and may_be_number(raw)
        and isinstance(value := normalize(raw, document=document)[0], int | Decimal)
        and value != 0
    ]
    if not figures:
        return None
    label = _row_label(sheet, r, left)
    if any(word in label for word in _NOT_A_NEW_ROW):
        return None
    if column_numbers([sheet.cell(r, c) for c in columns]):
        return None
    return r, label, figures


def _row_label(sheet: Sheet, r: int, left: int) -> str:
    """The texts of row ``r`` left of a table's data columns (which start at ``left``)."""
    return " ".join(t for c in range(left) if (t := _text(sheet.cell(r, c))))


# A row's label that says this year too (「本年（与上年相比）」: the year's row, last year named
# beside); a label's last year and its year are said as a copy's are (``_EARLIER_NAME``,
# ``_NAME_YEAR``).
_THIS_YEAR = ("本年", "今年", "当年")


def _year_before(own: str, other: str) -> bool:
    """Whether a table's data row labelled ``own`` holds the year before the figures of the
    row labelled ``other`` printed with it (「上年」 over 「本年」, 「2023年」 over 「2024年」):
    by the years the two labels name where both name one (「2024年（与上年相比）」 over
    「2023年」 is this year's), else by its words."""
    years = [_one_year(_NAME_YEAR, label) for label in (own, other)]
    if years[0] is not None and years[1] is not None:
        return years[0] < years[1]
    return bool(_EARLIER_NAME.search(own)) and not any(word in own for word in _THIS_YEAR)


def _rows_under(
    sheet: Sheet, bottom: int, right: int, others: frozenset[int] = frozenset()
) -> list[int]:
    """The rows under a table's last data row ``bottom`` that are still the table's: down to
    a row blank in its columns (up to ``right``; a document's tables end so, sources/
    document.py, and a workbook's notes stand apart) or to the next table's rows
    (``others``)."""
    under: list[int] = []
    r = bottom + 1
    while (
        r < len(sheet.rows)
        and r not in others
        and any(v is not None and v != "" for v in sheet.rows[r][: right + 1])
    ):
        under.append(r)
        r += 1
    return under


def _label_above(sheet: Sheet, r: int, top: int, left: int) -> str | None:
    """The nearest row label above row ``r``, down from the table's ``top``: its last
    (innermost) label cell."""
    for above in range(r - 1, top - 1, -1):
        labels = [t for c in range(left) if (t := _text(sheet.cell(above, c)))]
        if labels:
            return labels[-1]
    return None


_HEADER_ROWS_NEAR = 3  # rows above a block's first data row where its column labels stand


def _covered_cells(sheet: Sheet) -> set[Pos]:
    """The positions inside the sheet's merged ranges but their first (top-left) cells."""
    return {
        (r, c)
        for r1, c1, r2, c2 in sheet.merged_ranges
        for r in range(r1, r2 + 1)
        for c in range(c1, c2 + 1)
        if (r, c) != (r1, c1)
    }


class _Geometry(NamedTuple):
    """Where a placement's data cells stand: their positions, bounds, rows and columns."""

    positions: frozenset[Pos]
    bounds: Bounds
    rows: frozenset[int]
    columns: tuple[int, ...]  # in order


def _geometry(cells: dict[str, Pos], layout: bool) -> _Geometry:
    """A placement's data positions, their bounds, rows and columns (``layout``: see
    ``per_layout``)."""
    return per_layout(_work_out_geometry, cells, layout)


def _work_out_geometry(cells: dict[str, Pos]) -> _Geometry:
    positions = frozenset(cells.values())
    rows, cols = zip(*positions, strict=True)
    return _Geometry(
        positions,
        (min(rows), max(rows), min(cols), max(cols)),
        frozenset(rows),
        tuple(sorted(set(cols))),
    )


def _block_edges(
    table: Table, cells: dict[str, Pos], layout: bool
) -> tuple[tuple[tuple[int, ...], int], ...]:
    """Each block of ``table`` placed in ``cells``: its data rows in order and the column
    right of its last data column (``layout``: see ``per_layout``)."""
    return per_layout(_work_out_block_edges, cells, layout, table)


def _work_out_block_edges(
    cells: dict[str, Pos], table: Table
) -> tuple[tuple[tuple[int, ...], int], ...]:
    block_of = {cell.key: id(cell.block) for cell in table.cells}
    blocks: dict[int, list[Pos]] = {}  # the table's block -> its cells placed
    for key, pos in cells.items():
        blocks.setdefault(block_of[key], []).append(pos)
    return tuple(
        (tuple(sorted({r for r, _ in placed})), max(c for _, c in placed) + 1)
        for placed in blocks.values()
    )


def _input_positions(cells: dict[str, Pos], plan: _TablePlan) -> frozenset[Pos]:
    """Where the table's inputs stand (its totals are recomputed)."""
    return frozenset(cells[key] for key, derived in plan.cells if not derived)


def _merged_over_figures(
    sheet: Sheet, positions: frozenset[Pos], inputs: frozenset[Pos]
) -> dict[Pos, tuple[Pos, Pos]]:
    """A workbook's input cells (``inputs`` among the table's data ``positions``; totals are
    recomputed anyway), blank in the file,
    inside a merged range whose first (top-left) cell is another data cell of the table ->
    that range (first, last). A unit merged a row's cells over two columns (自然人 and 商业企业):
    Excel keeps and sums only the first cell's figure, shown across both, so the covered cell
    does not look blank; the V04 note says so. A data cell's own merge over cells that are no
    data cells (表二's one-figure blocks, as the template has them) is not one; a covered cell
    that holds something is ``_under_merges``' (V11: a figure nobody sees)."""
    merges = sheet.merged_ranges
    if not merges:
        return {}
    found: dict[Pos, tuple[Pos, Pos]] = {}
    for r1, c1, r2, c2 in merges:
        if (r1, c1) not in positions or (r1, c1) == (r2, c2):
            continue
        if (r2 - r1 + 1) * (c2 - c1 + 1) <= len(inputs):  # a small range: by its own cells
            inside: Iterable[Pos] = [
                pos
                for pos in ((r, c) for r in range(r1, r2 + 1) for c in range(c1, c2 + 1))
                if pos in inputs
            ]
        else:
            inside = [pos for pos in inputs if r1 <= pos[0] <= r2 and c1 <= pos[1] <= c2]
        for pos in inside:
            if pos != (r1, c1) and sheet.cell(*pos) is None and pos not in sheet.flags:
                found[pos] = ((r1, c1), (r2, c2))
    return found


def _what_is_wrong(placement: Placement) -> str:
    """Why a placement cannot be read: its column groups stacked so that their figures cannot
    be told, labels out of the form's order, else those missing."""
    if placement.stack_problem is not None:
        return _what_is_wrong_stacked(placement, placement.stack_problem)
    if placement.misordered:
        label, after, kind = placement.misordered[0]
        if kind == "竖":
            return _upright(label, after)
        before = "之上" if kind == "行" else "之前（左边）"
        return (
            f"的{kind}次序与官方表式不同：「{label}」应在「{after}」之后，却印在了它{before}。"
            f"标签都在，但数字按位置无法对应到正确的{kind}，未读取。请按官方表式的{kind}次序排列"
        )
    more = "等" if len(placement.missing) > 6 else ""
    return f"缺少标签{_quoted(placement.missing[:6])}{more}，无法确定数据位置"


def _upright(label: str, after: str) -> str:
    """Why a table set upright (its columns printed as rows: 表四's labels one under another,
    its figures in a column beside them) cannot be read."""
    return (
        f"印成了竖排：列标签「{label}」印在「{after}」的下方（同一列），行与列同官方表式相反，"
        "数字按位置无法对应到正确的列，未读取。请按官方表式横排印制（各列标签在上、数字在下方一行）"
    )


def _what_is_wrong_stacked(placement: Placement, problem: StackProblem) -> str:
    """Why a table printed as column groups one under another (表四 in parts: 行政复议, and
    below it 行政诉讼) cannot be read: never a column order, which is the form's in each part."""
    groups = "、".join(f"「{label}」" for label in placement.stack)
    stacked = f"分成上下几部分印出（{groups}各有表头）"
    group = f"「{problem.group}」"
    if problem.why is Stacking.LABELS:
        if placement.misordered:
            label, after, kind = placement.misordered[0]
            if kind == "竖":  # its groups' labels one under another: no stack, upright
                return _upright(label, after)
            return (
                f"{stacked}，但{group}部分的表头中「{label}」应在「{after}」之后，"
                "却印在了它之前（左边），数字无法对应到正确的列，未读取"
            )
        more = "等" if len(placement.missing) > 6 else ""
        return (
            f"{stacked}，但{group}部分的表头缺少标签{_quoted(placement.missing[:6])}{more}，"
            "无法确定数据位置"
        )
    if problem.why is Stacking.NOT_FOUND:
        return (
            f"{stacked}，但其下未找到{group}部分（应有{group}及其下各列的表头和一行数字），"
            f"{placement.table.short}的数字不全，未读取"
        )
    if problem.why is Stacking.NO_FIGURES:
        return (
            f"{stacked}，但{group}部分的表头下没有数字行，"
            "无法确定这一部分的数字，未读取。请在每一部分的表头下印出它的一行数字（没有的填 0）"
        )
    return (
        f"{stacked}，但{group}部分的表头下有 {problem.rows} 行数字，"
        "无法确定哪一行是本表的数字，未读取。请只保留本年度的一行"
    )


def _found(placement: Placement) -> int:
    return len(placement.cells)


_NOT_FOUND = object()  # a cell a copy found in part does not have


def _shown_said(name: str, stored: str, look: Shown) -> str:
    """One cell of a V13 note: what it stores and what the sheet shows instead."""
    said = {
        "font": f"{name}「{stored}」的字体颜色与底色相同，表上看不到",
        "painted": f"{name}「{stored}」的数字格式「{look.code}」把它设成了与底色相同的颜色，表上看不到",
        "tiny": f"{name}「{stored}」的字号极小，表上看不清",
        "unprinted": f"{name}「{stored}」的单元格保护设为「{look.text}」，打印出来的表上没有它",
        "runs": f"{name} 存的是「{stored}」，其中{look.text}",
        "cf": f"{name} 存的是 {stored}，{look.text}",
    }
    if look.why in said:
        return said[look.why]
    text = look.text.replace(TEXT_SHOWN, stored)  # a text section's text (looks.show_text)
    shown = {"blank": "空白", "date": "日期"}.get(look.why, f"「{show_value(text)}」")
    return f"{name} 存的是 {stored}，数字格式「{look.code}」使它在表上显示为{shown}"


def _shown_fix(cells: list[tuple[Pos, CellValue, Shown]]) -> str:
    """What to change in the cells of a V13: their number format, font colour, the text's
    own formatting, or several."""
    fixes = {
        "runs": "文字去掉上标、下标、删除线等单独的格式（或清除格式后重新输入数字）",
        "font": "字体颜色改为黑色（或换掉底色）",
        "tiny": "字号改为正常大小",
        "unprinted": "单元格保护去掉「打印时隐藏」「全部隐藏」的勾选（格式 → 单元格 → 单元格保护）",
        "cf": "条件格式清除（开始 → 条件格式 → 清除规则）",
    }
    wanted = {fixes.get(look.why, "数字格式改为「常规」或「数值」") for _, _, look in cells}
    order = ["数字格式改为「常规」或「数值」", *fixes.values()]
    return "、".join(fix for fix in order if fix in wanted)


def _figure_read(value: object) -> bool:
    """A figure other than 0 was read: what a hidden row, a format or a font can keep from view
    (a 0 or a blank shown as blank, or hidden, says the same)."""
    return isinstance(value, int | Decimal) and not isinstance(value, bool) and value != 0


def _figure(value: object) -> bool:
    """Whether a copy's cell holds something (not blank, not missing from the copy)."""
    return value is not None and value is not _NOT_FOUND


def _agree(a: tuple[object, ...], b: tuple[object, ...]) -> bool:
    """Whether two copies hold the same figures in every cell both have."""
    return all(x == y for x, y in zip(a, b, strict=True) if _NOT_FOUND not in (x, y))


def _incomplete(placement: Placement) -> str:
    """How a copy found only in part is named in a list of copies (empty for a whole one)."""
    if placement.complete:
        return ""
    if placement.stack_problem is not None:
        return "（不完整，分成上下几部分印出，数字无法逐格确定）"
    if placement.misordered:
        return "（不完整，行列次序与官方表式不同）"
    more = "等" if len(placement.missing) > 3 else ""
    return f"（不完整，缺少标签{_quoted(placement.missing[:3])}{more}）"


def _shown(value: object) -> str:
    return "空白" if value is None else show_value(value)


def _shown_raw(sheet: Sheet, pos: tuple[int, int]) -> str:
    """What a workbook cell holds, as a message quotes it (its flag when it reads blank)."""
    raw = sheet.cell(*pos)
    if raw is None:
        return sheet.flags.get(pos, "")
    return visible(str(raw).strip()) if type(raw) is str else show_value(raw)


def _page(sheet: Sheet, row: int) -> int | None:
    pages = sheet.pages
    return pages[row] if pages is not None and row < len(pages) else None


@cache
def _cell_keys(table: Table) -> frozenset[str]:
    return frozenset(cell.key for cell in table.cells)


@cache
def _row_labels(table: Table) -> frozenset[str]:
    """Captions and row labels of ``table`` (a label note on one of them names a row)."""
    labels = {block.caption for block in table.blocks if block.caption}
    for block in table.blocks:
        labels |= {leaf.label for leaf in block.row_leaves}
    return frozenset(labels)


def _above(sheet: Sheet, row: int, col: int) -> str | None:
    """The unit of a title split over two lines: the text just above the year line."""
    for r in range(row - 1, max(-1, row - 3), -1):
        value = sheet.cell(r, col)
        if (
            type(value) is str
            and value.strip()
            and "报告" not in value
            and len(value.strip()) <= 60
        ):
            return value.strip()
    return None


# -- copies of a table -----------------------------------------------------------------------

EARLIER = "上年"  # a copy whose sheet name says it is last year's (上年, 去年, 上一年度…)
# A year that is not the table's: a date's (2026.1.10修订, 2026年1月报送, 2026-01) and a carried
# over year's (含2024年结转, 上年结转): a table compiled in January names both.
_NOT_ITS_YEAR = r"(?!\s*(?:年\s*\d{1,2}\s*月|[.．\-－/／]\s*\d{1,2}(?!\d))|\s*年?度?\s*的?\s*结转)"
_EARLIER_NAME = re.compile(r"(?:上一?年|去年|往年|以前年度)(?!度?\s*的?\s*结转)")
_NAME_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)" + _NOT_ITS_YEAR)
# a year in a title or heading: 2023年, 2023年度
_TEXT_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?=\s*年)" + _NOT_ITS_YEAR)
_TITLE_ABOVE = 4  # rows above a table where its title or heading says its year


@dataclass
class _Candidate:
    """One copy of a table: where it is, whether it is the template's own, what year it says."""

    placement: Placement
    sheet: Sheet
    plan: _TablePlan
    by_layout: bool
    year: int | str | None  # the year its sheet name or title states; EARLIER; None: says none
    said: str  # where it says so, for messages

    def other_year(self, target: int | None) -> bool:
        if self.year == EARLIER:
            return True
        return target is not None and self.year is not None and self.year != target

    @cached_property
    def filled(self) -> bool:
        """Whether any input cell holds anything (a formula without its result counts; so
        do cells under a column header's span that hold more than one thing, Placement.spread)."""
        if self.placement.spread:
            return True
        cells = self.placement.cells
        for key, derived in self.plan.cells:
            pos = cells.get(key)
            if derived or pos is None:
                continue
            raw = self.sheet.cell(*pos)
            if normalize(raw)[1] is not Rule.V04 or (raw is None and pos in self.sheet.flags):
                return True
        return False

    @property
    def where(self) -> str:
        left = self.placement.left
        column = f"、{column_letters(left)} 列" if left else ""
        return f"工作表「{self.placement.sheet}」第 {self.placement.top + 1} 行{column}起"

    def describe(self) -> str:
        hidden = "，隐藏" if self.sheet.hidden else ""
        year = f"，{self.said}" if self.year is not None else ""
        return f"{self.where}（{'已填' if self.filled else '空白'}{hidden}{year}）"


def _stated_year(sheet: Sheet, top: int) -> tuple[int | str | None, str]:
    """The year a copy says it is for: its sheet name, else a title or heading in the rows
    just above it, else the report title at the top of its sheet (for every table there)."""
    name = sheet.name
    if _EARLIER_NAME.search(name):
        return EARLIER, "工作表名称表明是上年的表"
    year = _one_year(_NAME_YEAR, name)
    if year is not None:
        return year, f"工作表名称标明 {year} 年"
    above = sheet.rows[max(0, top - _TITLE_ABOVE) : top]
    for line in [*above, *sheet.rows[: min(top, _TITLE_ROWS)]]:
        for value in line:
            if type(value) is str and (year := _one_year(_TEXT_YEAR, value)) is not None:
                return year, f"标题标明 {year} 年"
    return None, ""


def _one_year(pattern: re.Pattern[str], text: str) -> int | None:
    """The one year ``text`` states (``pattern``); None when it states none, or several: a
    doubtful year never sets the only copy of a table aside."""
    years = set(pattern.findall(text))
    return int(years.pop()) if len(years) == 1 else None


def _year_note(candidate: _Candidate, table: Table, target: int | None, source: str) -> Finding:
    """L07: a copy of another year, not read."""
    this = f"本报表是 {target} 年度的，" if target is not None else ""
    return Finding(
        Rule.L07,
        f"工作表「{candidate.placement.sheet}」中的{table.short}（{candidate.said}）不是本年度的表格，"
        f"{this}未读取。如确属本年度，请改正工作表名称或标题中的年份。",
        file=source,
        sheet=candidate.placement.sheet,
        operands={"年度": candidate.year, "本报表年度": target},
    )


def _ambiguous(table: Table, filled: list[_Candidate], source: str) -> Finding:
    """L05: two or more copies hold figures; none is read."""
    listed = "、".join(c.describe() for c in filled)
    return Finding(
        Rule.L05,
        f"文件「{Path(source).name}」中{table.short}「{table.title}」有 {len(filled)} 份都填了数字：{listed}。"
        f"无法确定哪一份是本次报送的，未读取。请删除不属于本次报送的表格（如上年的表或复制出的副本），"
        f"只保留一份后重新报送；如各份分属不同年度，也可以在工作表名称或标题中写明年份。",
        file=source,
        operands={"工作表": [c.placement.sheet for c in filled]},
    )


def _choice_note(
    table: Table, chosen: _Candidate, others: list[_Candidate], source: str
) -> Finding:
    """L06: several copies, one read; names every one and why."""
    listed = "、".join(c.describe() for c in [chosen, *others])
    if not chosen.filled:
        why = "各份都是空白"
    elif any(c.filled for c in others):  # hidden ones: they yield to a visible filled copy
        why = "可见的工作表中只有这一份填了数字（隐藏工作表中的表格不参与选择）"
    else:
        why = "只有这一份填了数字"
    return Finding(
        Rule.L06,
        f"{table.short}「{table.title}」在文件中有 {len(others) + 1} 份：{listed}。"
        f"{why}，已读取{chosen.where}的一份。请核对，并删除多余的表格后再报送。",
        file=source,
        sheet=chosen.placement.sheet,
        operands={"读取": chosen.placement.sheet, "未读取": [c.placement.sheet for c in others]},
    )


def _moved_note(table: Table, placement: Placement, source: str) -> Finding:
    """L02: a template's table found by its labels, not where the template puts it."""
    where = (
        f"工作表「{placement.sheet}」中"
        if placement.sheet == table.title
        else f"在工作表「{placement.sheet}」中找到"
    )
    return Finding(
        Rule.L02,
        f"{table.short}的位置与模板不一致（可能插入或删除了行列、改动了工作表），已按标签重新定位，"
        f"{where}读取。请核对读取结果，建议在原模板中重新填写。",
        file=source,
        sheet=placement.sheet,
    )


def _labels_in_place(sheet: Sheet, labels: tuple[Label, ...], notes: list[LabelNote]) -> bool:
    """Whether every label is where the layout puts it (variants noted)."""
    rows = sheet.rows
    for label in labels:
        r, c = label.first
        line = rows[r] if r < len(rows) else ()
        found = line[c] if c < len(line) else None
        if found == label.text:
            continue
        match = compare(found, label.text)
        if match is Match.NONE:
            return False
        if match is Match.VARIANT:
            notes.append(LabelNote(Rule.L02, sheet.name, label.first, str(found), label.text))
    return True


def _numbered_in_place(sheet: Sheet, plan: _TablePlan) -> bool:
    """Whether the one data row the layout gives a table (表四's) holds the header's 栏次
    (1 … 15) instead: the figures are in the row under it, where the labels find them."""
    rows = {pos[0] for pos in plan.layout.cells.values()}
    if len(rows) != 1:
        return False
    return numbered_row(sheet, rows.pop(), sorted({pos[1] for pos in plan.layout.cells.values()}))


@dataclass(frozen=True)
class _TablePlan:
    """What reading one table of a form needs, computed once per form."""

    layout: SheetLayout
    checked: tuple[Label, ...]  # labels that fix data positions (titles and notes may be reworded)
    cells: tuple[tuple[str, bool], ...]  # (key, derived) of every data cell
    anchor: tuple[int, int]  # where the template puts the label a copy of the table starts with
    top: int  # the template's first table row (the heading above it may say a year)


@cache
def _plan(form: Form) -> dict[str, _TablePlan]:
    """Table code -> its plan."""
    plans: dict[str, _TablePlan] = {}
    for sheet in layout_for(form).sheets:
        anchor = anchor_label(sheet.table)
        plans[sheet.table.code] = _TablePlan(
            sheet,
            sheet.fixing_labels,
            tuple((cell.key, cell.derived) for cell in sheet.table.cells),
            next(label.first for label in sheet.fixing_labels if label.text == anchor),
            min(label.first[0] for label in sheet.fixing_labels),
        )
    return plans


def _where(table: Table, sheet: str) -> str:
    return table.short if sheet == table.title else f"{table.short}（工作表「{sheet}」）"


def _value_text(
    rule: Rule,
    where: str,
    names: list[str],
    raws: list[CellValue],
    n: int,
    totals_left_out: bool = False,
) -> str:
    """A value note's message: ``where`` (表三…), then the first cells by ``names`` and
    content; ``n`` cells in all. ``totals_left_out``: the file's own totals left out the
    numbers stored as text (V06)."""
    shown = list(zip(names, raws, strict=False))[:_MAX_LISTED]
    more = f"等 {n} 个" if n > len(shown) else ""
    if rule is Rule.V04:
        listed = "、".join(name for name, _ in shown)
        text = f"{where}有 {n} 个空白单元格，已按 0 计：{listed}{more}。如确实为 0，请填写 0。"
    elif rule is Rule.V05:
        listed = "、".join(f"{name}「{visible(str(raw))}」" for name, raw in shown)
        text = (
            f"{where}有 {n} 个单元格填写了「/」「—」「无」等，已按 0 计：{listed}{more}。"
            "如确无此项，请填写 0。"
        )
    elif rule is Rule.V10:
        listed = "、".join(f"{name}「{visible(str(raw))}」" for name, raw in shown)
        text = (
            f"{where}有 {n} 个单元格在数字后附有说明文字，已按数字读取，说明照录：{listed}{more}。"
            "请核对数字是否正确；说明文字宜写在表外。"
        )
    elif rule is Rule.V07:
        listed = "、".join(name for name, _ in shown)
        text = (
            f"{where}有 {n} 个单元格是公式，但文件中没有保存公式的计算结果，或只存了 0 而要求"
            f"打开时重新计算（文件可能由程序生成，或用不计算公式的软件保存过），无法读取数字："
            f"{listed}{more}。"
            "公式没有计算结果，请在 Excel/WPS 中打开并保存后再报送。"
        )
    elif rule is Rule.V08:
        listed = "、".join(f"{name}「{visible(str(raw))}」" for name, raw in shown)
        text = (
            f"{where}有 {n} 个单元格显示的是公式错误值，不是数字：{listed}{more}。"
            "请改正这些单元格的公式，或直接填写数字。"
        )
    else:
        listed = "、".join(f"{name}「{visible(str(raw))}」" for name, raw in shown)
        left_out = (
            "表格自带的合计没有计入这些数字（以文本形式存储的数字不参加 Excel/WPS 的求和），"
            "nianbao 已按数字重新计算合计。"
            if totals_left_out
            else ""
        )
        text = (
            f"{where}有 {n} 个单元格的数字以文本形式存储（带空格、全角数字、千位分隔符或文本前缀等），"
            f"已按数值读取：{listed}{more}。{left_out}建议改为数值格式。"
        )
    return text


def _text(value: CellValue) -> str | None:
    if value is None or type(value) is bool:
        return None
    text = str(value).strip()
    return text or None


def _quoted(labels: Iterable[str]) -> str:
    return "".join(f"「{label}」" for label in labels)


def _vintages_by_year() -> str:
    """Which vintage each report year uses: 「2019、2020 年度使用2019版…；2021 年度起使用2021版…」
    (a report mixing both is as often a 2020 one on the new template as the reverse)."""
    parts = []
    for form in sorted(FORMS.values(), key=lambda f: f.years[0]):
        first, last = form.years
        years = (
            f"{first} 年度起"
            if last is None
            else "、".join(str(y) for y in range(first, last + 1)) + " 年度"
        )
        parts.append(f"{years}使用{form.label}")
    return "；".join(parts)


def _current_form() -> Form:
    return max(FORMS.values(), key=lambda f: f.years[0])


def _expected_tables() -> str:
    form = _current_form()
    parts = "，".join(f"「{table.title}」表中的「{anchor_label(table)}」" for table in form.tables)
    return f"未找到政府信息公开工作年度报告的统计表（应有{parts}等标签）。"


__all__ += ["UnreadableFile"]
