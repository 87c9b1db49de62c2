"""Read a filled workbook into a Return: locate the tables, normalise the cells, note what was done.

Two ways to find the data cells:

- **identity** (workbooks made by nianbao): the hidden ``_nianbao`` sheet names the vintage; data
  cells are read where ``layout_for(form)`` puts them, after checking the labels there. A table
  whose labels are not where the layout says (rows inserted, sheet renamed) is found again by
  its labels, with a warning;
- **labels** (any other workbook in the official layout): the tables are searched by their
  labels on every sheet (locate.py) and the vintage is recognised from labels only one vintage
  has.

Values follow normalize.py's policy. The reader judges nothing else: text, negative or
fractional counts are kept for the checker. Reading notes (L02/L04 labels, V04/V05/V06 values)
go into ``Return.notes``, one finding per kind of note and table.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from nianbao.form import FORMS
from nianbao.form.a1 import cell_name
from nianbao.form.data import Return, Value
from nianbao.form.findings import Finding, Rule
from nianbao.form.layout import (
    COVER_FIELDS,
    COVER_SHEET,
    COVER_VALUE_COL,
    IDENTITY_MARKER,
    IDENTITY_SHEET,
    Label,
    SheetLayout,
    layout_for,
)
from nianbao.form.model import Form, Table
from nianbao.recognise.labels import Match, compare, visible
from nianbao.recognise.locate import (
    LabelNote,
    Placement,
    SheetIndex,
    best_placement,
    markers_present,
)
from nianbao.recognise.normalize import normalize, parse_year
from nianbao.sources.grid import OPENPYXL_FORMATS, CellValue, Grid, GridError, Sheet, open_grid
from nianbao.sources.preflight import UnreadableFile, corrupt, preflight, unreadable

__all__ = ["UnknownLayout", "read_return"]

_ADVICE = "请使用 nianbao template 生成的模板，或保持官方表式的行列标签。"
_MAX_LISTED = 20  # cells named in one note; the rest are counted


class UnknownLayout(Exception):
    """The statutory tables cannot be found in the workbook; ``finding`` (L01) says what was expected."""

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
    """Read the workbook at ``path``.

    ``unit`` and ``year`` are used when the workbook itself does not say (no cover, no title).
    ``engine`` is "calamine" (xlsx, xlsm, xlsb, xls, ods) or "openpyxl" (xlsx, xlsm; the
    reference reader). Raises UnreadableFile (F01–F04) or UnknownLayout (L01).
    """
    fmt = preflight(path)
    if engine == "openpyxl" and fmt not in OPENPYXL_FORMATS:
        raise unreadable(
            Rule.F02, path, f"是 {fmt} 格式，参考读取器（openpyxl）只能读取 .xlsx / .xlsm 文件。"
        )
    try:
        with open_grid(path, engine) as grid:
            return _Reader(grid, str(path)).read(unit, year)
    except GridError:
        raise corrupt(path) from None


@dataclass
class _Reader:
    grid: Grid
    source: str
    notes: list[Finding] = field(default_factory=list)
    _indexes: dict[str, SheetIndex] = field(default_factory=dict)
    _cover_positions: dict[str, tuple[int, int]] = field(default_factory=dict)

    def read(self, unit: str | None, year: int | None) -> Return:
        identity = self._identity()
        form = FORMS.get(str(identity.get("vintage"))) if identity else None
        if form is not None:
            placements = [self._place_by_identity(plan) for plan in _plan(form).values()]
        else:
            form = self._recognise_vintage()
            placements = [self._place_by_labels(table) for table in form.tables]
        values, locations = self._values(form, placements)
        ret = Return(form=form, values=values, source=self.source, locations=locations)
        self._describe(ret, identity or {}, unit, year)
        ret.notes = self.notes
        return ret

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

    def _place_by_identity(self, plan: _TablePlan) -> Placement:
        layout = plan.layout
        table = layout.table
        sheet = self.grid.get(layout.name)
        if sheet is not None:
            placement = Placement(table, sheet.name, cells=layout.cells)
            if _labels_in_place(sheet, plan.checked, placement.notes):
                return placement
        placement = self._place_by_labels(table, first=sheet)
        where = (
            f"工作表「{placement.sheet}」中"
            if placement.sheet == layout.name
            else f"在工作表「{placement.sheet}」中找到"
        )
        self.notes.append(
            Finding(
                Rule.L02,
                f"{table.short}的位置与模板不一致（可能插入或删除了行列、改动了工作表），已按标签重新定位，"
                f"{where}读取。请核对读取结果，建议在原模板中重新填写。",
                file=self.source,
                sheet=placement.sheet,
            )
        )
        return placement

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
                f"请按一种表式填报：{_current_form().vintage}年度起使用{_current_form().label}。{_ADVICE}"
            )
        else:
            message = f"文件「{Path(self.source).name}」中{_expected_tables()}{_ADVICE}"
        raise UnknownLayout(Finding(Rule.L01, message, file=self.source))

    def _place_by_labels(self, table: Table, first: Sheet | None = None) -> Placement:
        placement = best_placement(table, self._searchable(first))
        if placement is not None and placement.complete:
            return placement
        name = Path(self.source).name
        if placement is None:
            anchor = _anchor_label(table)
            message = f"文件「{name}」中未找到「{table.title}」表（{table.short}）中的「{anchor}」等标签。{_ADVICE}"
            sheet = None
        else:
            message = (
                f"文件「{name}」的工作表「{placement.sheet}」中，{table.short}「{table.title}」缺少标签"
                f"{_quoted(placement.missing[:6])}{'等' if len(placement.missing) > 6 else ''}，无法确定数据位置。{_ADVICE}"
            )
            sheet = placement.sheet
        raise UnknownLayout(Finding(Rule.L01, message, file=self.source, sheet=sheet))

    # -- values ------------------------------------------------------------------------------

    def _values(
        self, form: Form, placements: Iterable[Placement]
    ) -> tuple[dict[str, Value], dict[str, tuple[str, str]]]:
        values: dict[str, Value] = {}
        locations: dict[str, tuple[str, str]] = {}
        plans = _plan(form)
        collected: dict[tuple[Rule, str, Table], list[tuple[tuple[int, int], CellValue]]] = {}
        for placement in placements:
            table = placement.table
            sheet = self.grid.get(placement.sheet)
            assert sheet is not None
            plan = plans[table.code]
            official = plan.layout
            # cells where the layout puts them are not recorded (Return.location falls back to it)
            moved = placement.sheet != official.name or placement.cells is not official.cells
            rows = sheet.rows
            for key, derived in plan.cells:
                pos = placement.cells[key]
                r, c = pos
                line = rows[r] if r < len(rows) else ()
                raw = line[c] if c < len(line) else None
                value, rule = normalize(raw)
                values[key] = value
                if moved:
                    locations[key] = (placement.sheet, cell_name(*pos))
                if rule is not None and not (derived and rule is Rule.V04):
                    collected.setdefault((rule, placement.sheet, table), []).append((pos, raw))
            self._label_notes(table, placement.notes)
        for (rule, sheet_name, table), cells in collected.items():
            self.notes.append(_value_note(rule, sheet_name, table, cells, self.source))
        return values, locations

    def _label_notes(self, table: Table, notes: list[LabelNote]) -> None:
        by_rule: dict[tuple[Rule, str], list[LabelNote]] = {}
        for note in notes:
            by_rule.setdefault((note.rule, note.sheet), []).append(note)
        for (rule, sheet), group in by_rule.items():
            items = "；".join(
                f"{cell_name(*n.pos)}「{visible(n.found)}」应为「{n.official}」"
                for n in group[:_MAX_LISTED]
            )
            more = f"等 {len(group)} 处" if len(group) > _MAX_LISTED else ""
            where = _where(table, sheet)
            if rule is Rule.L02:
                text = f"{where}有 {len(group)} 处标签文字与官方表式略有出入，已按官方标签识别：{items}{more}。建议改回官方标签。"
            else:
                text = f"{where}有 {len(group)} 处标签与官方表式不符，已按位置读取：{items}{more}。请改回官方标签，并核对这些行列的数字。"
            self.notes.append(
                Finding(
                    rule,
                    text,
                    file=self.source,
                    sheet=sheet,
                    cells=tuple(cell_name(*n.pos) for n in group),
                    operands={"count": len(group)},
                )
            )

    # -- unit, parent, year ----------------------------------------------------------------------

    def _describe(
        self, ret: Return, identity: dict[str, CellValue], unit: str | None, year: int | None
    ) -> None:
        cover = self._cover()
        title_unit, title_year = self._title() if not cover and not identity else (None, None)
        ret.unit = _text(cover.get("unit")) or _text(identity.get("unit")) or title_unit or unit
        ret.parent = _text(cover.get("parent")) or _text(identity.get("parent"))
        ret.year = (
            self._year(cover.get("year"))
            or self._year(identity.get("year"), silent=True)
            or title_year
            or year
        )
        if ret.year is None and _text(cover.get("year")):
            ret.cover["year"] = _text(cover.get("year"))  # type: ignore[assignment]
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

    def _year(self, raw: CellValue, silent: bool = False) -> int | None:
        parsed, normalised = parse_year(raw)
        if parsed is not None and normalised and not silent:
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

    def _title(self) -> tuple[str | None, int | None]:
        """Unit and year from a title like 「某某2021年政府信息公开工作年度报告」."""
        for sheet in self.grid.sheets:
            if sheet.hidden:
                continue
            rows = sheet.rows[:_TITLE_ROWS]
            for r, line in enumerate(rows):
                for c, value in enumerate(line):
                    if type(value) is not str or "报告" not in value:
                        continue
                    match = _TITLE.search(re.sub(r"\s+", "", value))
                    if not match:
                        continue
                    unit = match.group("unit") or _above(sheet, r, c)
                    return (unit or None), int(match.group("year"))
        return None, None


# -- helpers ---------------------------------------------------------------------------------

_TITLE_ROWS = 6
_TITLE = re.compile(
    r"(?P<unit>[^年]{0,60}?)(?P<year>(?:19|20)\d\d)年度?政府信息公开(?:工作)?年度报告"
)


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


def _labels_in_place(sheet: Sheet, labels: tuple[Label, ...], notes: list[LabelNote]) -> bool:
    """Whether every label is where the layout puts it (variants noted)."""
    for label in labels:
        found = sheet.cell(*label.first)
        if found == label.text:
            continue
        match = compare(found, label.text)
        if match is Match.NONE:
            return False
        if match is Match.VARIANT:
            notes.append(LabelNote(Rule.L02, sheet.name, label.first, str(found), label.text))
    return True


@dataclass(frozen=True)
class _TablePlan:
    """What reading one table of a form needs, computed once per form."""

    layout: SheetLayout
    checked: tuple[Label, ...]  # labels that fix data positions (titles and notes may be reworded)
    cells: tuple[tuple[str, bool], ...]  # (key, derived) of every data cell


@cache
def _plan(form: Form) -> dict[str, _TablePlan]:
    """Table code -> its plan."""
    return {
        sheet.table.code: _TablePlan(
            sheet,
            sheet.fixing_labels,
            tuple((cell.key, cell.derived) for cell in sheet.table.cells),
        )
        for sheet in layout_for(form).sheets
    }


def _where(table: Table, sheet: str) -> str:
    return table.short if sheet == table.title else f"{table.short}（工作表「{sheet}」）"


def _value_note(
    rule: Rule,
    sheet: str,
    table: Table,
    cells: list[tuple[tuple[int, int], CellValue]],
    source: str,
) -> Finding:
    names = [cell_name(*pos) for pos, _ in cells]
    n = len(cells)
    where = _where(table, sheet)
    more = f"等 {n} 个" if n > _MAX_LISTED else ""
    shown = list(zip(names, (raw for _, raw in cells), strict=True))[:_MAX_LISTED]
    if rule is Rule.V04:
        listed = "、".join(name for name, _ in shown)
        text = f"{where}有 {n} 个空白单元格，已按 0 计：{listed}{more}。如确实为 0，请填写 0。"
    elif rule is Rule.V05:
        listed = "、".join(f"{name}「{str(raw).strip()}」" for name, raw in shown)
        text = (
            f"{where}有 {n} 个单元格填写了「/」「—」「无」等，已按 0 计：{listed}{more}。"
            "如确无此项，请填写 0。"
        )
    else:
        listed = "、".join(f"{name}「{raw}」" for name, raw in shown)
        text = (
            f"{where}有 {n} 个单元格的数字以文本形式填写（带空格、全角数字或千位分隔符等），"
            f"已按数值读取：{listed}{more}。建议改为数值格式。"
        )
    return Finding(rule, text, file=source, sheet=sheet, cells=tuple(names), operands={"count": n})


def _text(value: CellValue) -> str | None:
    if value is None or type(value) is bool:
        return None
    text = str(value).strip()
    return text or None


def _quoted(labels: Iterable[str]) -> str:
    return "".join(f"「{label}」" for label in labels)


def _anchor_label(table: Table) -> str:
    block = table.blocks[0]
    if block.caption:
        return block.caption
    if block.show_row_labels:
        return block.row_leaves[0].label
    return block.columns[0].label


def _current_form() -> Form:
    return max(FORMS.values(), key=lambda f: f.years[0])


def _expected_tables() -> str:
    form = _current_form()
    parts = "，".join(f"「{table.title}」表中的「{_anchor_label(table)}」" for table in form.tables)
    return f"未找到政府信息公开工作年度报告的统计表（应有{parts}等标签）。"


__all__ += ["UnreadableFile"]
