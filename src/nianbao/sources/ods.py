"""What an OpenDocument spreadsheet's content.xml (and styles.xml) says beyond the values
calamine reads: the cells holding an error value (V08), the merged ranges (calamine gives
none for .ods), and what each cell shows (its data style and colours, a conditional format's
style:map, a text's spans formatted apart: V13) and the rows and columns hidden (V14). As biff.py is for .xls: one walk of the XML, for files preflight has
passed (its sizes proven, no DTD, repeats bounded).
"""

from __future__ import annotations

import html as html_text
import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from nianbao.sources.looks import (
    LAZY_ATTRIBUTES,
    SHUT_HEIGHT_POINTS,
    SHUT_WIDTH_POINTS,
    CellStyle,
    ConditionalRule,
    Differential,
    Look,
    RunFormat,
    Shown,
    changed_look,
    conditional_look,
    look_of,
    rule_condition,
    run_apart_why,
    shown_as,
    xml_attributes,
)
from nianbao.sources.preflight import ODS_REPEAT

_ODS_PLACE = re.compile(
    rb"<(/?)(?:[\w.-]+:)?(table-row|table-cell|covered-table-cell|table)(?=[\s/>])"
    + LAZY_ATTRIBUTES
    + rb"(/?)>"
)
_ODS_NAME = re.compile(rb"""(?:^|\s)(?:[\w.-]+:)?name\s*=\s*(["'])(.*?)\1""", re.DOTALL)
_ODS_ERROR = re.compile(rb"""value-type\s*=\s*["']error["']""")
_ODS_SHOWN = re.compile(rb"<(?:[\w.-]+:)?p(?:\s[^>]*)?>([^<]*)<")
_ODS_SPANNED = re.compile(rb"number-(rows|columns)-spanned\s*=\s*[\"']\s*([0-9]{1,9})")
ODS_REPEATS_FLAGGED = 100  # an error value repeated over more cells is flagged in its first
_ODS_FLAGS_KEPT = 100_000  # per sheet: a return has about 200 data cells


@dataclass(frozen=True)
class _OdsCell:
    """A cell element of content.xml where calamine places it: its sheet, first row and
    column, how many rows (its row's repeat) and columns (its own repeat) it stands for."""

    sheet: str
    row: int
    col: int
    rows: int
    cols: int
    attributes: bytes
    end: int  # where its start tag ends in content.xml
    empty: bool  # a self-closing tag: no content


def _ods_cells(content: bytes) -> Iterator[_OdsCell]:
    """Every cell element of an ODS file's content.xml (one preflight has passed), covered
    cells included, placed by counting rows and columns with their repeats."""
    from xml.sax.saxutils import unescape

    name = ""
    row = col = 0
    rows = 1  # the current row's repeat count
    for match in _ODS_PLACE.finditer(content):
        closing, tag, attributes, empty = match.groups()
        if tag == b"table":
            if not closing:
                named = _ODS_NAME.search(attributes)
                name = unescape(named.group(2).decode("utf-8", "replace"), _QUOTES) if named else ""
                row = 0
            continue
        counted = ODS_REPEAT.search(attributes)
        repeat = int(counted.group(1)) if counted else 1
        if tag == b"table-row":
            if closing or empty:
                row += repeat if empty else rows
            else:
                rows, col = repeat, 0
            continue
        if closing:
            continue
        yield _OdsCell(name, row, col, rows, repeat, attributes, match.end(), bool(empty))
        col += repeat


def ods_cell_flags(content: bytes) -> dict[str, dict[tuple[int, int], str]]:
    """Sheet name -> (row, col) -> the error value a cell shows (#DIV/0!, Err:502), from an
    ODS file's content.xml (one preflight has passed). calamine reads such a cell as blank."""
    if b"error" not in content:
        return {}
    flags: dict[str, dict[tuple[int, int], str]] = {}
    for cell in _ods_cells(content):
        if cell.empty or not _ODS_ERROR.search(cell.attributes):
            continue
        sheet = flags.setdefault(cell.sheet, {})
        end = content.find(b"table-cell>", cell.end)
        shown = _ODS_SHOWN.search(content, cell.end, end if end >= 0 else len(content))
        value = shown.group(1).decode("utf-8", "replace").strip() if shown else ""
        for dr in range(min(cell.rows, ODS_REPEATS_FLAGGED)):
            for dc in range(min(cell.cols, ODS_REPEATS_FLAGGED)):
                if len(sheet) < _ODS_FLAGS_KEPT:
                    sheet[(cell.row + dr, cell.col + dc)] = value or "#N/A"
    return {name: cells for name, cells in flags.items() if cells}


def ods_merges(content: bytes) -> dict[str, list[tuple[tuple[int, int], tuple[int, int]]]]:
    """Sheet name -> its merged ranges, from the cells that span others in content.xml
    (calamine gives none for .ods)."""
    if b"-spanned" not in content:
        return {}
    merges: dict[str, list[tuple[tuple[int, int], tuple[int, int]]]] = {}
    for cell in _ods_cells(content):
        spans = dict(_ODS_SPANNED.findall(cell.attributes))
        down, across = int(spans.get(b"rows", b"1")), int(spans.get(b"columns", b"1"))
        if down > 1 or across > 1:
            last = (cell.row + down - 1, cell.col + across - 1)
            merges.setdefault(cell.sheet, []).append(((cell.row, cell.col), last))
    return merges


_QUOTES = {"&quot;": '"', "&apos;": "'"}


# --- what an .ods cell shows: its data style and colours (looks.py judges) --------------------

_ODS_ANY_TAG = re.compile(
    rb"<(/?)(?:[\w.-]+:)?([\w.-]+)(\s" + LAZY_ATTRIBUTES[1:-1] + rb")?(/?)>|<!--.*?-->|<\?.*?\?>",
    re.S,
)
_ODS_STYLE_KINDS = (
    b"number-style",
    b"percentage-style",
    b"currency-style",
    b"date-style",
    b"time-style",
    b"text-style",
    b"boolean-style",
)
_ODS_HIDES = re.compile(rb"""visibility\s*=\s*["']\s*(?:collapse|filter)""")
_ODS_WALK = re.compile(
    rb"<(/?)(?:[\w.-]+:)?(table-row|table-cell|covered-table-cell|table-column|table)"
    rb"(?=[\s/>])" + LAZY_ATTRIBUTES + rb"(/?)>"
)
_ODS_CONDITION = re.compile(r"value\(\)\s*(<=|>=|!=|<>|<|>|=)\s*(-?[0-9]*\.?[0-9]+)\s*$")
_ODS_PROTECTED = re.compile(rb"""(?:^|\s)(?:[\w.-]+:)?protected\s*=\s*["']\s*true""")
_ODS_LINES_RUN = 1_000  # a hidden run of more repeated rows/columns: empty filler, kept short
_ODS_COLOUR = re.compile(r"#([0-9a-fA-F]{6})")


@dataclass
class _OdsElement:
    name: bytes
    attributes: dict[str, str]
    children: list[_OdsElement] = field(default_factory=list)
    text: str = ""


def _ods_elements(xml: bytes, start: int = 0, end: int | None = None) -> list[_OdsElement]:
    """The elements of ``xml[start:end]`` as a small tree, any prefix (a styles part)."""
    top: list[_OdsElement] = []
    stack: list[_OdsElement] = []
    end = len(xml) if end is None else end
    at = start
    for match in _ODS_ANY_TAG.finditer(xml, start, end):
        if stack and match.start() > at:
            text = xml[at : match.start()].decode("utf-8", "replace")
            stack[-1].text += html_text.unescape(text) if "&" in text else text
        at = match.end()
        closing, name, attributes, empty = match.groups()
        if name is None:  # a comment, a declaration
            continue
        if closing:
            while stack:
                if stack.pop().name == name:
                    break
            continue
        element = _OdsElement(name, xml_attributes(attributes or b""))
        (stack[-1].children if stack else top).append(element)
        if not empty:
            stack.append(element)
    return top


def _ods_walk_styles(elements: list[_OdsElement], found: dict[str, Any]) -> None:
    """Data styles (name -> element) and cell styles (name -> element) of a styles tree."""
    for element in elements:
        if element.name in _ODS_STYLE_KINDS and "name" in element.attributes:
            found["data"][element.attributes["name"]] = element
        elif element.name == b"style" and element.attributes.get("family") == "table-cell":
            found["cell"].setdefault(element.attributes.get("name", ""), element)
        elif element.name == b"default-style" and element.attributes.get("family") == "table-cell":
            found["default"] = element
        elif element.name == b"style" and element.attributes.get("family") == "text":
            found["text"].setdefault(element.attributes.get("name", ""), element)
        else:
            _ods_walk_styles(element.children, found)


def _ods_literal(text: str) -> str:
    if not text:
        return ""
    return '"' + text + '"' if '"' not in text else "".join("\\" + ch for ch in text)


def _ods_number(element: _OdsElement) -> str:
    """An Excel number format for a <number:number> (decimals, grouping, display factor)."""
    a = element.attributes

    def count(key: str, default: int) -> int:
        value = a.get(key, "").strip()
        return min(int(value), 30) if value.isdecimal() else default

    integers = count("min-integer-digits", 1)
    places = count("decimal-places", 0)
    least = min(count("min-decimal-places", places), places)
    whole = "0" * integers or "#"
    if a.get("grouping") == "true":
        whole = "#,##" + whole if integers <= 1 else "#," + whole
    code = whole + ("." + "0" * least + "#" * (places - least) if places else "")
    factor = a.get("display-factor", "1").strip()
    try:
        scale = float(factor)
    except ValueError:
        scale = 1.0
    if scale != 1:
        power = round(math.log(scale, 1000)) if scale > 0 else 0
        if power > 0 and 1000**power == scale:
            code += "," * power
        else:  # another factor: another figure, said as such
            code += _ods_literal(f"(÷{factor})")
    return code


def _ods_section(element: _OdsElement) -> str:
    """The Excel format section a data style's own children make (maps aside)."""
    kind = element.name
    if kind in (b"date-style", b"time-style"):
        return "yyyy/m/d" if kind == b"date-style" else "h:mm"
    if kind == b"boolean-style":
        return '"TRUE"'
    out = []
    for child in element.children:
        name = child.name
        if name == b"number":
            out.append(_ods_number(child))
        elif name == b"scientific-number":
            places = child.attributes.get("decimal-places", "2").strip()
            shown = min(int(places), 30) if places.isdecimal() else 2  # a hostile 10⁹ places
            out.append("0." + "0" * shown + "E+00" if shown else "0E+00")
        elif name == b"fraction":
            out.append("# ?/?")
        elif name == b"text-content":
            out.append("@")
        elif name == b"text":
            if kind == b"percentage-style" and "%" in child.text:
                before, _, after = child.text.partition("%")
                out.append(_ods_literal(before) + "%" + _ods_literal(after))
            else:
                out.append(_ods_literal(child.text))
        elif name == b"currency-symbol":
            out.append(_ods_literal(child.text))
        elif name == b"text-properties" and _ODS_COLOUR.fullmatch(
            child.attributes.get("color", "")
        ):
            out.insert(0, f"[{child.attributes['color']}]")  # figures painted a colour of their own
        # fill characters, anything else: nothing shown in place of the figure
    return "".join(out)


def _ods_code(name: str, data: dict[str, _OdsElement], depth: int = 0) -> str:
    """An Excel format code for the data style ``name``: its maps (value()>0 …) as the
    sections of a number; "General" for a style not found."""
    element = data.get(name)
    if element is None or depth > 4:
        return "General"
    main = _ods_section(element)
    maps = [c.attributes for c in element.children if c.name == b"map"]
    if not maps:
        return main if main or element.name != b"text-style" else '""'  # text only: nothing
    slots: dict[str, str] = {}
    conditional = []
    for found in maps:
        condition = _ODS_CONDITION.match(found.get("condition", "").strip())
        applied = found.get("apply-style-name", "")
        sub = data.get(applied)
        section = _ods_section(sub) if sub is not None else "General"
        if condition is None:
            continue  # a condition not on the value: the main style
        op, limit = condition.groups()
        op = "<>" if op == "!=" else op
        conditional.append(f"[{op}{limit}]{section or chr(34) * 2}")
        if float(limit) != 0:
            continue
        for slot in {">": "p", ">=": "pz", "<": "n", "<=": "nz", "=": "z"}.get(op, ""):
            slots.setdefault(slot, section)
    if len(slots) != len(conditional) and any(
        not c.startswith(("[>0]", "[>=0]", "[<0]", "[<=0]", "[=0]")) for c in conditional
    ):  # conditions Excel spells only as such
        return ";".join([*conditional, main or "General"][:3])
    text = element.name == b"text-style"
    fill = "General" if text else main
    numbers = [slots.get(s, fill) for s in "pnz"]
    if text:
        return ";".join([*numbers, main])
    return ";".join(numbers)


def _ods_colour(value: str | None) -> tuple[int, int, int] | None:
    found = _ODS_COLOUR.fullmatch((value or "").strip())
    if found is None:
        return None
    digits = found.group(1)
    return (int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16))


class _OdsStyles:
    """The cell styles of an .ods (content.xml's automatic ones, styles.xml's named ones),
    each judged once (looks.look_of) when a cell first names it."""

    def __init__(self, content: bytes, styles: bytes) -> None:
        found: dict[str, Any] = {"data": {}, "cell": {}, "default": None, "text": {}}
        start = content.find(b"automatic-styles")
        end = content.find(b"automatic-styles>", start + 16) if start >= 0 else -1
        if start >= 0 and end >= 0:  # none, or empty (<office:automatic-styles/>): none kept
            _ods_walk_styles(_ods_elements(content, start - 1, end), found)
        if styles:
            _ods_walk_styles(_ods_elements(styles), found)
        self.data: dict[str, _OdsElement] = found["data"]
        self.cells: dict[str, _OdsElement] = found["cell"]
        self.default: _OdsElement | None = found["default"]
        self.judged: dict[str | None, Look | None] = {}
        self.owned: dict[str | None, CellStyle] = {}
        self.conditioned: dict[str | None, list[ConditionalRule]] = {}
        # text styles (a span's) that set a run apart: name -> how
        self.runs_apart: dict[str, RunFormat] = {}
        for name, element in found["text"].items():
            run = _ods_run_format(element)
            if run != RunFormat():
                self.runs_apart[name] = run

    def _chain(self, name: str | None, pick: Callable[[_OdsElement], str | None]) -> str | None:
        """What style ``name`` or a style it is based on sets (``pick``); None: none does."""
        seen = set()
        while name is not None and name in self.cells and name not in seen:
            seen.add(name)
            value = pick(self.cells[name])
            if value is not None:
                return value
            name = self.cells[name].attributes.get("parent-style-name")
        return None

    def _inherited(self, name: str | None, pick: Callable[[_OdsElement], str | None]) -> str | None:
        """What a cell of style ``name`` has: its style's chain, else the default cell style."""
        value = self._chain(name, pick)
        if value is None and self.default is not None:
            return pick(self.default)
        return value

    def own(self, name: str | None) -> CellStyle:
        """A cell of style ``name``'s own CellStyle."""
        if name not in self.owned:
            data = self._inherited(name, _data_style)
            self.owned[name] = CellStyle(
                _ods_code(data, self.data) if data else "General",
                _ods_colour(self._inherited(name, _font_colour)),
                _ods_colour(self._inherited(name, _background)),
                _ods_points(self._inherited(name, _font_size)),
            )
        return self.owned[name]

    def look(self, name: str | None) -> Look | None:
        if name not in self.judged:
            self.judged[name] = look_of(*self.own(name))
        return self.judged[name]

    def unprinted(self, name: str | None) -> str | None:
        """How a cell of style ``name`` is kept off the printed table, as LibreOffice's cell
        protection names it: 「打印时隐藏」 (print-content="false"), 「全部隐藏」
        (cell-protect="hidden-and-protected": on a protected sheet only); None: printed."""
        if self._inherited(name, _print_content) == "false":
            return _NOT_PRINTED
        if self._inherited(name, _cell_protect) == "hidden-and-protected":
            return _ALL_HIDDEN
        return None

    def fill(self, name: str | None) -> object:
        """The colour behind a cell of style ``name`` (None: no fill, white)."""
        return self.own(name).fill

    def conditions(self, name: str | None) -> list[ConditionalRule]:
        """The conditional formats (style:map) of cell style ``name`` whose applied style may
        show a figure as another or none over the cell's own."""
        if name not in self.conditioned:
            element = self.cells.get(name) if name is not None else None
            rules = []
            for child in element.children if element is not None else []:
                applied = child.attributes.get("apply-style-name")
                if child.name != b"map" or applied not in self.cells:
                    continue
                change = self._change(applied)
                if changed_look(self.own(name), change) is not None:
                    holds, words = _ods_condition(child.attributes.get("condition", ""))
                    rules.append(ConditionalRule(holds, words, change))
            self.conditioned[name] = rules
        return self.conditioned[name]

    def _change(self, applied: str) -> Differential:
        """What a rule's applied style (or a style it is based on) sets over a cell's own."""
        data = self._chain(applied, _data_style)
        return Differential(
            _ods_code(data, self.data) if data else None,
            _ods_colour(self._chain(applied, _font_colour)),
            _ods_colour(self._chain(applied, _background)),
            _ods_points(self._chain(applied, _font_size)),
        )


_NOT_PRINTED, _ALL_HIDDEN = "打印时隐藏", "全部隐藏"


def _print_content(style: _OdsElement) -> str | None:
    value = _ods_property(style, b"table-cell-properties", "print-content")
    return value.strip().lower() if value is not None else None


def _cell_protect(style: _OdsElement) -> str | None:
    value = _ods_property(style, b"table-cell-properties", "cell-protect")
    return value.strip().lower() if value is not None else None


def _data_style(style: _OdsElement) -> str | None:
    return style.attributes.get("data-style-name")


def _font_colour(style: _OdsElement) -> str | None:
    return _ods_property(style, b"text-properties", "color")


def _background(style: _OdsElement) -> str | None:
    return _ods_property(style, b"table-cell-properties", "background-color")


def _font_size(style: _OdsElement) -> str | None:
    return _ods_property(style, b"text-properties", "font-size")


_ODS_COMPARISON = re.compile(r"\s*cell-content\(\)\s*(<=|>=|!=|<|>|=)\s*(.+?)\s*$")
_ODS_BETWEEN = re.compile(r"\s*cell-content-is-(not-)?between\(([^,]*),([^,]*)\)\s*$")
_ODS_FORMULA = re.compile(r"\s*is-true-formula\((.*)\)\s*$")
_ODS_OPERATORS = {
    "=": "equal",
    "!=": "notEqual",
    ">": "greaterThan",
    ">=": "greaterThanOrEqual",
    "<": "lessThan",
    "<=": "lessThanOrEqual",
}


def _ods_condition(condition: str) -> tuple[Callable[[float], bool | None], str]:
    """An .ods style:map condition in the terms of an xlsx rule (looks.rule_condition)."""
    compared = _ODS_COMPARISON.match(condition)
    if compared:
        return rule_condition("cellIs", _ODS_OPERATORS[compared.group(1)], [compared.group(2)])
    between = _ODS_BETWEEN.match(condition)
    if between:
        operator = "notBetween" if between.group(1) else "between"
        return rule_condition("cellIs", operator, [between.group(2), between.group(3)])
    formula = _ODS_FORMULA.match(condition)
    if formula:
        return rule_condition("expression", "", [formula.group(1).strip()])
    return (lambda number: None), f"条件 {condition.strip() or '未知'}"


_ODS_LENGTH = re.compile(r"\s*([0-9]*\.?[0-9]+)\s*(pt|cm|mm|in|px)\s*$")
_POINTS_PER = {"pt": 1.0, "cm": 72 / 2.54, "mm": 72 / 25.4, "in": 72.0, "px": 0.75}
_ODS_POSITION = re.compile(r"\s*(super|sub|-?[0-9]*\.?[0-9]+%)")


def _ods_run_format(style: _OdsElement) -> RunFormat:
    """How an .ods text style (a span's) sets its run apart, as an xlsx run's rPr would."""
    properties = next((c.attributes for c in style.children if c.name == b"text-properties"), {})
    position = _ODS_POSITION.match(properties.get("text-position", ""))
    word = position.group(1) if position else "0%"
    shift = {"super": 1.0, "sub": -1.0}.get(word) or float(word[:-1])  # "33%": raised a third
    return RunFormat(
        raised="上标" if shift > 0 else "下标" if shift < 0 else None,
        struck=_ods_struck(properties),
        points=_ods_points(properties.get("font-size")),
        colour=_ods_colour(properties.get("color")),
        hidden=properties.get("display", "").strip() == "none",
    )


def _ods_points(size: str | None) -> float | None:
    """A font size in points (12pt, 0.5cm…); None for none or a relative one (80%)."""
    found = _ODS_LENGTH.match(size or "")
    return float(found.group(1)) * _POINTS_PER[found.group(2)] if found else None


def _ods_struck(properties: dict[str, str]) -> bool:
    """A line through: a style other than none, or (LibreOffice writes only this) a type."""
    style = properties.get("text-line-through-style", "").strip()
    kind = properties.get("text-line-through-type", "").strip()
    return style != "none" and (style != "" or kind not in ("", "none"))


_ODS_SPAN = re.compile(
    rb"<(?:[\w.-]+:)?span(?=[\s/>])" + LAZY_ATTRIBUTES + rb">(.*?)</(?:[\w.-]+:)?span>", re.S
)
_ODS_TAG = re.compile(rb"<[^>]*>")


def _ods_runs_apart(inner: bytes, runs: dict[str, RunFormat], fill: object) -> str | None:
    """What sets the spans of a cell's text (``inner``, its content) apart from the figure as
    read, which joins them (run_apart_why); None when none does."""
    from xml.sax.saxutils import unescape

    apart = []
    for span in _ODS_SPAN.finditer(inner):
        run = runs.get(xml_attributes(span.group(1)).get("style-name", ""))
        text = unescape(_ODS_TAG.sub(b"", span.group(2)).decode("utf-8", "replace"), _QUOTES)
        why = run_apart_why(run, fill) if run is not None and text.strip() else None
        if why:
            apart.append(f"「{text}」{why}")
    return "、".join(apart) or None


def _ods_property(element: _OdsElement, kind: bytes, key: str) -> str | None:
    for child in element.children:
        if child.name == kind and key in child.attributes:
            return child.attributes[key]
    return None


_ODS_NUMBER_TYPES = ("float", "percentage", "currency")


def ods_looks(
    content: bytes, styles: bytes
) -> dict[str, tuple[dict[tuple[int, int], Shown], tuple[frozenset[int], frozenset[int]]]]:
    """Sheet name -> (the cells whose shown content differs from their value, the rows and
    columns hidden), from an ODS file's content.xml and styles.xml (one preflight has passed).
    The styles are judged once; the cells are walked only when a style may mislead or a line is
    hidden."""
    hides = _ODS_HIDES.search(content) is not None
    shut_rows, shut_columns = _ods_shut_styles(content)
    hides = hides or bool(shut_rows or shut_columns)
    judge = _OdsStyles(content, styles)
    names = {None, *judge.cells}
    suspicious = {name for name in names if judge.look(name) is not None or judge.unprinted(name)}
    runs = judge.runs_apart
    conditioned = {name for name in names if judge.conditions(name)}
    if not suspicious and not hides and not runs and not conditioned:
        return {}
    from xml.sax.saxutils import unescape

    found: dict[str, tuple[dict[tuple[int, int], Shown], set[int], set[int]]] = {}
    sheet: tuple[dict[tuple[int, int], Shown], set[int], set[int]] = ({}, set(), set())
    row = col = column = 0
    rows = 1
    row_style: str | None = None
    column_styles: list[tuple[int, int, str | None]] = []  # (first, last, default style)
    protected = False  # the sheet's: 「全部隐藏」 hides only there
    for match in _ODS_WALK.finditer(content):
        closing, tag, raw, empty = match.groups()
        if tag == b"table":
            if not closing:
                named = _ODS_NAME.search(raw)
                title = (
                    unescape(named.group(2).decode("utf-8", "replace"), _QUOTES) if named else ""
                )
                sheet = found.setdefault(title, ({}, set(), set()))
                row = column = 0
                column_styles = []
                protected = _ODS_PROTECTED.search(raw or b"") is not None
            continue
        if closing:
            if tag == b"table-row":
                row += rows
            continue
        counted = ODS_REPEAT.search(raw)
        repeat = int(counted.group(1)) if counted else 1
        if tag == b"table-column":
            default = (
                xml_attributes(raw).get("default-cell-style-name")
                if b"default-cell" in raw
                else None
            )
            column_styles.append((column, column + repeat - 1, default))
            if _ODS_HIDES.search(raw) or _ods_line_style(raw, shut_columns):
                sheet[2].update(range(column, column + min(repeat, _ODS_LINES_RUN)))
            column += repeat
            continue
        if tag == b"table-row":
            if _ODS_HIDES.search(raw) or _ods_line_style(raw, shut_rows):
                sheet[1].update(range(row, row + min(repeat, _ODS_LINES_RUN)))
            if empty:
                row += repeat
            else:
                rows, col = repeat, 0
                row_style = (
                    xml_attributes(raw).get("default-cell-style-name")
                    if b"default-cell" in raw
                    else None
                )
            continue
        first_col = col  # a cell
        col += repeat
        if not (suspicious or runs or conditioned) or tag != b"table-cell":
            continue
        if b"value-type" not in raw:
            continue
        attributes = xml_attributes(raw)
        style = attributes.get("style-name", row_style)
        if style is None:
            style = next((s for a, b, s in column_styles if a <= first_col <= b), None)
        kind = attributes.get("value-type", "")
        shown = _ods_shown(judge, style, kind, attributes) if style in suspicious else None
        if shown is None and style in suspicious and kind in (*_ODS_NUMBER_TYPES, "string"):
            kept_off = judge.unprinted(style)
            if kept_off == _NOT_PRINTED or (kept_off == _ALL_HIDDEN and protected):
                shown = Shown("unprinted", kept_off, judge.own(style).code)
        if shown is None and style in conditioned and kind in _ODS_NUMBER_TYPES:
            number = _ods_value(attributes)
            if number is not None:
                shown = conditional_look(judge.conditions(style), judge.own(style), number)
        if shown is None and runs and kind == "string" and not empty:
            end = content.find(b"table-cell>", match.end())
            inner = content[match.end() : end if end >= 0 else len(content)]
            apart = _ods_runs_apart(inner, runs, judge.fill(style)) if b"span" in inner else None
            shown = Shown("runs", apart, "") if apart else None
        if shown is None:
            continue
        for dr in range(min(rows, ODS_REPEATS_FLAGGED)):
            for dc in range(min(repeat, ODS_REPEATS_FLAGGED)):
                if len(sheet[0]) < _ODS_FLAGS_KEPT:
                    sheet[0][(row + dr, first_col + dc)] = shown
    return {
        name: (cells, (frozenset(hidden_rows), frozenset(hidden_columns)))
        for name, (cells, hidden_rows, hidden_columns) in found.items()
        if cells or hidden_rows or hidden_columns
    }


def _ods_shut_styles(content: bytes) -> tuple[frozenset[str], frozenset[str]]:
    """The row and column styles of content.xml too low or narrow to show a digit
    (looks.SHUT_HEIGHT_POINTS, SHUT_WIDTH_POINTS): their figures are hidden as a hidden
    line's are. A row of optimal height is sized to its text when opened: never shut."""
    start = content.find(b"automatic-styles")
    end = content.find(b"automatic-styles>", start + 16) if start >= 0 else -1
    section = content[start:end] if end >= 0 else b""
    if b"row-height" not in section and b"column-width" not in section:
        return frozenset(), frozenset()
    rows: set[str] = set()
    columns: set[str] = set()
    for element in _ods_elements(content, start, end):
        family = element.attributes.get("family")
        if element.name != b"style" or family not in ("table-row", "table-column"):
            continue
        for child in element.children:
            a = child.attributes
            if child.name == b"table-row-properties" and a.get("use-optimal-row-height") != "true":
                height = _ods_points(a.get("row-height"))
                if height is not None and height < SHUT_HEIGHT_POINTS:
                    rows.add(element.attributes.get("name", ""))
            elif child.name == b"table-column-properties":
                width = _ods_points(a.get("column-width"))
                if width is not None and width < SHUT_WIDTH_POINTS:
                    columns.add(element.attributes.get("name", ""))
    return frozenset(rows), frozenset(columns)


def _ods_line_style(raw: bytes | None, shut: frozenset[str]) -> bool:
    """Whether a <table:row>/<table:column> tag's style is one of ``shut``."""
    return bool(shut and raw and b"style-name" in raw) and (
        xml_attributes(raw or b"").get("style-name") in shut
    )


def _ods_value(attributes: dict[str, str]) -> float | None:
    """A cell's office:value as a number (None where it is not one)."""
    try:
        return float(attributes.get("value", ""))
    except ValueError:
        return None


def _ods_shown(
    judge: _OdsStyles, style: str | None, kind: str, attributes: dict[str, str]
) -> Shown | None:
    """How a cell's style shows its value, when that differs from the value (shown_as)."""
    look = judge.look(style)
    if look is None or kind not in (*_ODS_NUMBER_TYPES, "string"):
        return None
    number = None
    if kind != "string":
        number = _ods_value(attributes)
        if number is None:
            return None
    return shown_as(look, number)
