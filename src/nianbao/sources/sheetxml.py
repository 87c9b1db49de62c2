"""What an xlsx worksheet's XML says beyond the values the engines read, for a file that passed
preflight (its parts' sizes are proven, none declares a DTD; ``inspect`` kept the worksheets, the
sheet list, the styles and the shared strings it inflated, and these are read from there).

- ``cell_flags``: cells read as blank that are not: a formula the file holds no result for, an
  error value (#DIV/0!). The grid asks only for sheets where it meets a blank.
- ``merged_ranges``: the sheet's merged cells.
- what a cell shows other than it stores (looks.py judges): ``shown_cells`` (its number format
  and font), ``conditional_cells`` (a conditional format's rule), ``runs_apart_cells`` (a text in
  runs formatted apart); ``hidden_lines``, the rows and columns it hides.

Each walk is a search of the XML bytes, never a parse into a tree, and each starts only when a
cheaper test (``first_look`` of each worksheet, a style that may mislead) says there may be
something to find: a plain return pays a few searches.
"""

from __future__ import annotations

import html as html_text
import io
import os
import posixpath
import re
import zipfile
import zlib
from collections.abc import Iterator
from typing import Any, NamedTuple

from nianbao.sources.looks import (
    ATTRIBUTES,
    LAZY_ATTRIBUTES,
    SHUT_HEIGHT_POINTS,
    SHUT_WIDTH,
    ConditionalRule,
    Differential,
    Look,
    Shown,
    conditional_look,
    differential_formats,
    differentials_may_mislead,
    rule_condition,
    runs_apart,
    shown_as,
    style_of,
    xml_attributes,
)
from nianbao.sources.preflight import (
    FORMULA_WITHOUT_RESULT,
    RELATIONSHIPS,
    SHARED_STRINGS,
    SHEET_LIST,
    SHEET_LIST_ORDER,
    STYLES,
    Inspected,
    cell_positions,
    cell_reference,
    column_number,
    part_key,
    relationships_of,
    row_number,
)

# Cells whose value a reader cannot give: <c><f>…</f></c> with no <v> (a formula the file holds
# no result for) and t="e" (an error value such as #DIV/0!). Both engines read them as blank.
_FORMULA = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f[\s/>]")
_ERROR_TYPE = re.compile(rb"\st\s*=\s*[\"']e[\"']")
_CELL = re.compile(rb"<((?:[A-Za-z_][\w.-]*:)?)c([\s/>][^>]*|)>", re.DOTALL)
# a stored result: a <v> with text in it, or an inline string (openpyxl writes <v></v> for a
# formula it cannot compute, and calamine reads that as empty)
_VALUE = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(?:v(?:\s[^>/]*)?>[^<]|is[\s/>])")
_STRING_TYPE = re.compile(rb"\st\s*=\s*[\"']str[\"']")  # an empty <v> is an empty string
_ANY_VALUE = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?v[\s/>]")
_VALUE_TEXT = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?v(?:\s[^>]*)?>([^<]*)<")


_MERGE = re.compile(
    rb"<(?:[A-Za-z_][\w.-]*:)?mergeCell\s[^>]*?\bref\s*=\s*[\"']\s*"
    rb"([A-Za-z]+)([0-9]+)(?::([A-Za-z]+)([0-9]+))?\s*[\"']"
)


class _Places:
    """Where a worksheet's cells stand: a cell's own r="…", else (a cell placed by counting) the
    place found by following every tag from the start, worked out once for the sheet."""

    def __init__(self, xml: bytes) -> None:
        self.xml = xml
        self.counted: dict[int, tuple[int, int]] | None = None

    def of(self, start: int, attributes: bytes) -> tuple[int, int] | None:
        """(row, col) of the cell whose tag starts at ``start``; None where none can be told."""
        row, col = cell_reference(attributes)
        if row is not None and col is not None:
            return row, col
        if self.counted is None:
            self.counted = {offset: (r, c) for offset, r, c in cell_positions(self.xml)}
        return self.counted.get(start)


def _inner(xml: bytes, tag: re.Match[bytes]) -> bytes:
    """What a cell tag holds, up to its end tag (the rest of the sheet for a cell left open)."""
    end = xml.find(b"</" + tag.group(1) + b"c>", tag.end())
    return xml[tag.end() : end if end >= 0 else len(xml)]


def merged_ranges(xml: bytes) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """A worksheet's merged ranges as ((top, left), (bottom, right)), zero-based, inclusive."""
    found = []
    for letters, digits, last_letters, last_digits in _MERGE.findall(xml):
        top, left = row_number(digits), column_number(letters)
        bottom = row_number(last_digits) if last_digits else top
        right = column_number(last_letters) if last_letters else left
        if None not in (top, left, bottom, right):
            found.append(((top, left), (bottom, right)))
    return found  # type: ignore[return-value]  # None was filtered out


def cell_flags(xml: bytes) -> dict[tuple[int, int], str]:
    """(row, col) -> FORMULA_WITHOUT_RESULT or the error value shown, for one worksheet's XML."""
    prefixed = xml.find(b":c ") >= 0 or xml.find(b":c>") >= 0
    tags = [m.start() for m in _CELL.finditer(xml)] if prefixed else []
    starts: set[int] = set()
    for position in _formulas(xml):
        # the usual case, a result follows the formula before the cell ends: nothing to flag
        end = xml.find(b"c>", position)
        if end >= 0 and _VALUE.search(xml, position, end):
            continue
        starts.add(_cell_start(xml, position, tags))
    if xml.find(b'"e"') >= 0 or xml.find(b"'e'") >= 0:
        for match in _ERROR_TYPE.finditer(xml):
            starts.add(_cell_start(xml, match.start(), tags))
    flags: dict[tuple[int, int], str] = {}
    places = _Places(xml)
    for start in sorted(starts - {-1}):
        tag = _CELL.match(xml, start)
        if tag is None or tag.group(2).endswith(b"/"):
            continue
        inner = _inner(xml, tag)
        attributes = tag.group(2)
        if _ERROR_TYPE.search(attributes):
            shown = _VALUE_TEXT.search(inner)
            flag = shown.group(1).decode("ascii", "replace").strip() if shown else ""
            flag = flag or (FORMULA_WITHOUT_RESULT if _FORMULA.search(inner) else "#N/A")
        elif (
            _FORMULA.search(inner)
            and not _VALUE.search(inner)
            and not (_STRING_TYPE.search(attributes) and _ANY_VALUE.search(inner))
        ):
            flag = FORMULA_WITHOUT_RESULT
        else:
            continue
        place = places.of(start, attributes)
        if place is not None:
            flags[place] = flag
    return flags


# The workbook asks to be recalculated on opening (<calcPr fullCalcOnLoad="1"/>): what a
# spreadsheet program shows of a formula is what it computes then, not the result stored.
_RECALCULATED = re.compile(
    rb"<(?:[A-Za-z_][\w.-]*:)?calcPr\s[^>]*?\bfullCalcOnLoad\s*=\s*[\"'](?:1|true)[\"']"
)
# A formula stored with the result 0 (what a program writes when it computes nothing:
# xlsxwriter's write_formula without a value).
_ZERO_RESULT = re.compile(
    rb"<(?:[A-Za-z_][\w.-]*:)?f(?:\s[^>]*)?(?:/>|>[^<]*</(?:[A-Za-z_][\w.-]*:)?f>)"
    rb"\s*<(?:[A-Za-z_][\w.-]*:)?v>\s*[+-]?0*(?:\.0*)?(?:[Ee][+-]?\d+)?\s*</"
)


def recalculated(workbook: bytes) -> bool:
    """Whether the workbook part asks for every formula to be recalculated on opening."""
    return _RECALCULATED.search(workbook) is not None


def stale_results(xml: bytes) -> set[tuple[int, int]]:
    """(row, col) of the formula cells that store 0 as their result, in a workbook that is
    recalculated on opening (``recalculated``): a result nobody computed, not the figure a
    spreadsheet program shows. The reader takes them for a formula without a result."""
    # cells are read from the (first) sheet data only: the rest of the part (validations,
    # formats: most of a return's worksheet) is not searched
    stop = xml.find(b"</sheetData>")
    stop = len(xml) if stop < 0 else stop
    prefixed = _main_prefixed(xml, stop)
    # laid out over lines (a formula apart from its result): single-byte finds are memchr
    start = xml.find(b"<sheetData")
    laid_out = any(xml.find(space, max(start, 0), stop) >= 0 for space in _LINE_SPACES)
    if prefixed or laid_out:  # <x:f>, </f>⏎<v>: the full search
        starts = [m.start() for m in _ZERO_RESULT.finditer(xml)]
    else:  # each formula with a result (…</f><v> or <f …/><v>), found by memchr
        starts = []
        for end in (b"</f><v>", b"/><v>"):
            position = xml.find(end, 0, stop)
            while position >= 0:
                first = xml[position + len(end) : position + len(end) + 1]
                if first in _ZERO_STARTS:  # a result of 1 to 9… is a computed one: not looked at
                    formula = xml.rfind(b"<f", max(0, position - _FORMULA_REACH), position)
                    if formula >= 0 and _ZERO_RESULT.match(xml, formula):
                        starts.append(formula)
                position = xml.find(end, position + len(end), stop)
    if not starts:
        return set()
    tags = [m.start() for m in _CELL.finditer(xml)] if prefixed else []
    places = _Places(xml)
    found: set[tuple[int, int]] = set()
    for formula in starts:
        start = _cell_start(xml, formula, tags)
        tag = _CELL.match(xml, start) if start >= 0 else None
        if tag is None or _ERROR_TYPE.search(tag.group(2)) or _STRING_TYPE.search(tag.group(2)):
            continue
        place = places.of(start, tag.group(2))
        if place is not None:
            found.add(place)
    return found


# Sheet data laid out over lines, which may set a formula's result apart from it (the search
# by memchr looks for the two side by side, as every producer writes them).
_LINE_SPACES = (b"\t", b"\r", b"\n")
# How far before its end a formula's start may be: a return's formulas are short (a longer
# one is not looked at: its result, whatever it is, was computed by whoever wrote that much).
_FORMULA_REACH = 8192
_ZERO_STARTS = frozenset((b"0", b"+", b"-", b".", b" ", b"\t", b"\r", b"\n"))
# The main namespace bound to a prefix (<x:c>, <x:f>): the slow search follows prefixes.
_MAIN_NAMESPACE = (b'spreadsheetml/2006/main"', b'ooxml/spreadsheetml/main"')


def _main_prefixed(xml: bytes, stop: int) -> bool:
    """Whether the worksheet binds its namespace to a prefix before ``stop`` (found by the
    namespace's name, a long needle: cheaper than looking for every prefixed tag)."""
    for name in _MAIN_NAMESPACE:
        position = xml.find(name, 0, stop)
        while position >= 0:
            declared = xml.rfind(b"xmlns", 0, position)
            if declared >= 0 and xml.startswith(b"xmlns:", declared):
                return True
            position = xml.find(name, position + len(name), stop)
    return False


def _formulas(xml: bytes) -> Iterator[int]:
    """Offsets of the formula tags (<f>, <f …>, <f/>; prefixed ones by a slower search)."""
    if xml.find(b":f") >= 0:
        yield from (m.start() for m in _FORMULA.finditer(xml))
        return
    for opening in (b"<f>", b"<f ", b"<f/"):
        position = xml.find(opening)
        while position >= 0:
            yield position
            position = xml.find(opening, position + 3)


def _cell_start(xml: bytes, position: int, prefixed_tags: list[int]) -> int:
    """Where the cell containing ``position`` starts (-1: none)."""
    start = max(xml.rfind(b"<c ", 0, position), xml.rfind(b"<c>", 0, position))
    if prefixed_tags:
        import bisect

        i = bisect.bisect_right(prefixed_tags, position)
        if i:
            start = max(start, prefixed_tags[i - 1])
    return start


class PartReader:
    """A function giving one worksheet's XML, read when called, and the part it is (its
    relationships lie beside it: drawing_xml)."""

    def __init__(self, member: str, source: Any, kept: dict[str, bytes]) -> None:
        self.member, self._source, self._kept = member, source, kept

    def __call__(self) -> bytes:
        if self.member in self._kept:
            return self._kept[self.member]
        with zipfile.ZipFile(self._source) as archive:
            return archive.read(self.member)


def worksheet_xml(
    path: str | os.PathLike[str], inspected: Inspected | None = None
) -> dict[str, PartReader]:
    """Sheet name -> a function giving that worksheet's XML, for an xlsx file that passed
    preflight (its parts' sizes are proven, and none declares a DTD). Empty when the workbook
    part or its relationships cannot be parsed. With what ``inspect`` kept of the file, its
    bytes and the XML it inflated are used instead of the file."""
    import xml.etree.ElementTree as ElementTree

    source: Any = io.BytesIO(inspected.data) if inspected and inspected.data else path
    kept = inspected.parts if inspected else {}
    try:
        if SHEET_LIST <= kept.keys():  # inspect kept every worksheet: no need to open the zip
            names = {part_key(name): name for name in kept}
            listing = [kept[part] for part in SHEET_LIST_ORDER]
        else:
            with zipfile.ZipFile(source) as archive:
                names = {part_key(name): name for name in archive.namelist()}
                listing = [archive.read(names[part]) for part in SHEET_LIST_ORDER]
        workbook, rels = (ElementTree.fromstring(xml) for xml in listing)
    except (OSError, KeyError, zipfile.BadZipFile, ElementTree.ParseError, zlib.error):
        return {}
    targets: dict[str, str] = {}
    for rel in rels:
        target = (rel.get("Target") or "").replace("\\", "/")
        part = target[1:] if target.startswith("/") else posixpath.normpath(f"xl/{target}")
        targets[rel.get("Id") or ""] = part.lower()

    parts: dict[str, PartReader] = {}
    for sheet in workbook.iter():
        name = sheet.get("name")
        if not sheet.tag.endswith("}sheet") or not name:
            continue
        rid = next((v for k, v in sheet.attrib.items() if k.endswith("}id")), "")
        member = names.get(targets.get(rid, ""))
        if member is not None:
            parts[name] = PartReader(member, source, kept)
    return parts


# --- what a cell shows: the cells a worksheet shows other than stored, hidden rows and columns
# (the number formats and colours themselves: looks.py)


_STYLE_ATTR = re.compile(rb"""\ss\s*=\s*["']\s*([0-9]+)\s*["']""")
_TYPE_ATTR = re.compile(rb"""\st\s*=\s*["']\s*(\w+)\s*["']""")


def _style_index(attributes: bytes) -> int:
    """A cell's cellXfs index (its s="…"; 0, the default style, without one)."""
    style = _STYLE_ATTR.search(attributes)
    return int(style.group(1)) if style else 0


def shown_cells(xml: bytes, looks: dict[int, Look]) -> dict[tuple[int, int], Shown]:
    """(row, col) -> Shown for one worksheet's cells whose cellXfs index is one of ``looks``
    and whose shown content differs from the value stored (zero is shown as zero whatever the
    format; a text is judged only by its font and a fourth, text, section)."""
    if not looks:
        return {}
    if 0 in looks:  # the default style: every cell without s="…" has it
        starts = [m.start() for m in _CELL.finditer(xml)]
    else:
        wanted = b"|".join(str(index).encode() for index in looks)
        styled = re.compile(rb"""\ss\s*=\s*["']\s*(?:""" + wanted + rb""")\s*["']""")
        starts = sorted({_cell_start(xml, m.start(), []) for m in styled.finditer(xml)})
        if xml.find(b":c ") >= 0:  # prefixed cells: every tag, as cell_flags does
            starts = [m.start() for m in _CELL.finditer(xml)]
    found: dict[tuple[int, int], Shown] = {}
    places = _Places(xml)
    for start in starts:
        tag = _CELL.match(xml, start) if start >= 0 else None
        if tag is None or tag.group(2).endswith(b"/"):
            continue
        attributes = tag.group(2)
        look = looks.get(_style_index(attributes))
        if look is None:
            continue
        inner = _inner(xml, tag)
        typed = _TYPE_ATTR.search(attributes)
        kind = typed.group(1) if typed else b"n"
        stored = _VALUE_TEXT.search(inner)
        if kind in (b"b", b"e") or (stored is None and kind != b"inlineStr"):
            continue
        number = None  # a text (shared, inline, a formula's string)
        if kind == b"n" and stored is not None:
            try:
                number = float(stored.group(1))
            except ValueError:
                continue
        shown = shown_as(look, number)
        if shown is None:
            continue
        place = places.of(start, attributes)
        if place is not None:
            found[place] = shown
    return found


_CONDITIONAL = re.compile(
    rb"<(?:[A-Za-z_][\w.-]*:)?conditionalFormatting\b" + ATTRIBUTES + rb">(.*?)"
    rb"</(?:[A-Za-z_][\w.-]*:)?conditionalFormatting>",
    re.DOTALL,
)
_CF_RULE = re.compile(
    rb"<(?:[A-Za-z_][\w.-]*:)?cfRule\b"
    + LAZY_ATTRIBUTES
    + rb"(?:/>|>(.*?)</(?:[A-Za-z_][\w.-]*:)?cfRule>)",
    re.DOTALL,
)
_CF_FORMULA = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?formula\b[^>]*>([^<]*)<")
_VALUE_HIDDEN = re.compile(rb"""showValue\s*=\s*["']\s*(?:0|false)\s*["']""")


def conditional_cells(
    xml: bytes, styles: bytes, theme: bytes = b""
) -> dict[tuple[int, int], Shown]:
    """(row, col) -> Shown ("cf") for one worksheet's numbers that a conditional format shows
    as another figure or none (looks.conditional_look: a rule whose condition holds for the
    number, or one whose condition nianbao cannot work out: a formula, a rank), over the
    cell's own style. Nothing is walked unless a rule of the sheet may mislead at all."""
    start, end = _conditional_region(xml)
    if start < 0:
        return {}
    misleading = differentials_may_mislead(styles, theme)
    if not misleading and _VALUE_HIDDEN.search(xml, start, end) is None:
        return {}
    rules = list(_conditional_rules(xml, start, differential_formats(styles, theme), misleading))
    if not rules:
        return {}
    found: dict[tuple[int, int], Shown] = {}
    places = _Places(xml)
    for tag in _CELL.finditer(xml, 0, _lines_end(xml)):
        attributes = tag.group(2)
        typed = _TYPE_ATTR.search(attributes)
        if attributes.endswith(b"/") or (typed is not None and typed.group(1) != b"n"):
            continue
        stored = _VALUE_TEXT.search(_inner(xml, tag))
        try:
            number = float(stored.group(1)) if stored else None
        except ValueError:
            continue
        if number is None:
            continue  # a blank (a zero is judged: a rule's format may show it as a figure)
        place = places.of(tag.start(), attributes)
        if place is None:
            continue
        own = style_of(styles, _style_index(attributes), theme)
        shown = conditional_look((r for r in rules if r.covers(*place)), own, number)
        if shown is not None:
            found[place] = shown
    return found


def _conditional_region(xml: bytes, lines_end: int | None = None) -> tuple[int, int]:
    """Where a worksheet's conditional formats lie: after its cells and merged ranges, before
    its data validations (the schema's order); (-1, -1) for none. ``lines_end``: _lines_end's,
    when known."""
    found = xml.find(b"conditionalFormatting", _lines_end(xml) if lines_end is None else lines_end)
    if found < 0:
        return -1, -1
    end = xml.find(b"dataValidations", found)
    return xml.rfind(b"<", 0, found), len(xml) if end < 0 else end  # from its tag, any prefix


def _conditional_rules(
    xml: bytes, start: int, changes: list[Differential], misleading: frozenset[int]
) -> Iterator[ConditionalRule]:
    """The sheet's rules that may show a figure as another or none: a data bar or icon set
    hiding its value, or a rule whose dxf (``changes``) is among ``misleading``."""
    for block in _CONDITIONAL.finditer(xml, start):
        attributes = xml_attributes(block.group(1))
        areas = tuple(filter(None, map(_area, attributes.get("sqref", "").split())))
        if not areas:
            continue
        for rule in _CF_RULE.finditer(block.group(2)):
            found = xml_attributes(rule.group(1))
            body = rule.group(2) or b""
            formulas = [
                html_text.unescape(f.decode("utf-8", "replace")).strip()
                for f in _CF_FORMULA.findall(body)
            ]
            dxf = found.get("dxfId", "").strip()
            if _VALUE_HIDDEN.search(body):
                words = "不显示数值的数据条或图标集"
                yield ConditionalRule(lambda number: True, words, None, areas)
            elif dxf.isdecimal() and int(dxf) in misleading and int(dxf) < len(changes):
                holds, words = rule_condition(
                    found.get("type", ""), found.get("operator", ""), formulas
                )
                yield ConditionalRule(holds, words, changes[int(dxf)], areas)


_AREA_PART = re.compile(r"\$?([A-Za-z]{0,3})\$?([0-9]{0,7})")


def _area(reference: str) -> tuple[int, int, int, int] | None:
    """A sqref range (A1, A1:B9, A:A, 5:5) as zero-based (top, left, bottom, right)."""
    corners = []
    for part in reference.split(":")[:2]:
        found = _AREA_PART.fullmatch(part.strip())
        if found is None or not any(found.groups()):
            return None
        letters, digits = found.groups()
        corners.append(
            (
                int(digits) - 1 if digits else None,
                _column_index(letters) if letters else None,
            )
        )
    (r1, c1), (r2, c2) = corners[0], corners[-1]
    return (
        0 if r1 is None else r1,
        0 if c1 is None else c1,
        1_048_575 if r2 is None else r2,
        16_383 if c2 is None else c2,
    )


def _column_index(letters: str) -> int:
    index = 0
    for letter in letters.upper():
        index = index * 26 + ord(letter) - 64
    return index - 1


class FirstLook(NamedTuple):
    """What a worksheet may hold that is worth a closer look (a few searches up to the end of
    its rows, and of its conditional formats): a walk starts only where one says yes."""

    hides_lines: bool  # a row or column hidden (``hidden_lines`` says which)
    inline_runs: bool  # an inline string in runs (``runs_apart_cells``)
    hides_values: bool  # a data bar or icon set with showValue="0" (``conditional_cells``)
    draws: bool = False  # a drawing laid over the cells (``drawing_xml``, sheetdrawing.py)


def first_look(xml: bytes, related: bool = True) -> FirstLook:
    """The worksheet's FirstLook, the end of its rows found once for the three. ``related``:
    whether the worksheet has relationships (False: it can show no drawing, which names its
    part through them, and its XML after the rows, most of a return's, is not searched)."""
    end = _lines_end(xml)
    start, stop = _conditional_region(xml, end)
    return FirstLook(
        _may_hide_lines(xml, end),
        _has_inline_runs(xml, end),
        start >= 0 and _VALUE_HIDDEN.search(xml, start, stop) is not None,
        related and xml.find(b"drawing", end) >= 0,  # <drawing r:id> follows the cells
    )


def _has_inline_runs(xml: bytes, lines_end: int) -> bool:
    # inlineStr first: the longer needle is the quicker search
    return xml.find(b"inlineStr", 0, lines_end) >= 0 and xml.find(b"rPr", 0, lines_end) >= 0


def _lines_end(xml: bytes) -> int:
    """Where a worksheet's rows end: its columns and rows come before (any prefix)."""
    start = xml.find(b"sheetData")  # its start tag; the end tag after it
    end = xml.find(b"sheetData>", start + 10) if start >= 0 else -1
    return len(xml) if end < 0 else end


_HIDDEN_LINE = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(row|col)\b([^>]*)>")
# A row or column too small to show a digit (looks.SHUT_HEIGHT_POINTS, SHUT_WIDTH) hides its
# figures as a hidden one does. Quick searches for such sizes (a superset: hidden_lines
# judges): heights under 3, widths under 2; the space keeps customHeight="1" out.
_MAY_BE_SHUT_ROW = re.compile(rb' ht="[0-2][".]')
_MAY_BE_SHUT_COLUMN = re.compile(rb'width="(?:0|1[".])')


def _may_hide_lines(xml: bytes, end: int) -> bool:
    """Whether a row or column may be hidden or shut (``hidden_lines`` says which): three
    searches of the bytes (the columns' only up to the rows), the usual sheet's whole cost."""
    rows_start = xml.find(b"sheetData", 0, end)
    return (
        xml.find(b"hidden", 0, end) >= 0
        or _MAY_BE_SHUT_ROW.search(xml, 0, end) is not None
        or _MAY_BE_SHUT_COLUMN.search(xml, 0, end if rows_start < 0 else rows_start) is not None
    )


def _shut(attributes: dict[str, str], size: str, below: float) -> bool:
    try:
        return float(attributes.get(size, "").strip() or "nan") < below
    except ValueError:
        return False


def hidden_lines(xml: bytes) -> tuple[frozenset[int], frozenset[int]]:
    """The zero-based rows and columns a worksheet hides (hidden="1"; an outline collapsed, a
    filter, or 隐藏 by hand) or shuts (too low or narrow to show a digit), searched up to the
    end of its cells."""
    end = _lines_end(xml)
    if not _may_hide_lines(xml, end):
        return frozenset(), frozenset()
    rows: set[int] = set()
    columns: set[int] = set()
    row = -1
    for match in _HIDDEN_LINE.finditer(xml, 0, end):
        attributes = xml_attributes(match.group(2))
        hidden = attributes.get("hidden", "").strip().lower() in ("1", "true")
        if match.group(1) == b"row":
            hidden = hidden or _shut(attributes, "ht", SHUT_HEIGHT_POINTS)
            number = attributes.get("r", "").strip()
            row = int(number) - 1 if number.isdecimal() else row + 1
            if hidden:
                rows.add(row)
        elif hidden or _shut(attributes, "width", SHUT_WIDTH):
            first, last = attributes.get("min", ""), attributes.get("max", "")
            if first.isdecimal() and last.isdecimal():
                columns.update(range(int(first) - 1, min(int(last), 16384)))
    return frozenset(rows), frozenset(columns)


def styles_xml(path: str | os.PathLike[str], inspected: Inspected | None = None) -> bytes:
    """The styles part of an xlsx file that passed preflight (b"" when it has none)."""
    return _kept_part(STYLES, path, inspected)


def theme_xml(path: str | os.PathLike[str], inspected: Inspected | None = None) -> bytes:
    """The theme part of an xlsx file that passed preflight, the one the workbook's
    relationships name (b"" when it has none, or one too large to be a theme)."""
    relationships = _kept_part(RELATIONSHIPS, path, inspected)
    part = _related(relationships, "xl/workbook.xml", kind="/theme") or "xl/theme/theme1.xml"
    return _kept_part(part, path, inspected, limit=_THEME_AT_MOST)


def drawing_xml(
    path: str | os.PathLike[str], inspected: Inspected | None, member: str, xml: bytes
) -> bytes:
    """The drawing part (text boxes, shapes, pictures laid over the cells) of worksheet
    ``member`` whose XML is ``xml``, named by its <drawing r:id>; b"" when it has none."""
    found = _DRAWING.search(xml, _lines_end(xml))
    rid = xml_attributes(found.group(1)).get("id") if found else None
    if not rid:
        return b""
    relationships = _kept_part(relationships_of(member), path, inspected)
    part = _related(relationships, member, rid=rid)
    return _kept_part(part, path, inspected, limit=_DRAWING_AT_MOST) if part else b""


# A theme is ~7 KB (its fonts for every script); more is no theme a reader would honour. A
# drawing's XML is a few KB a shape (its pictures are parts of their own).
_THEME_AT_MOST = 1024 * 1024
_DRAWING_AT_MOST = 4 * 1024 * 1024
_DRAWING = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?drawing\b" + ATTRIBUTES + rb">")


def _related(
    relationships: bytes, source: str, *, rid: str | None = None, kind: str | None = None
) -> str | None:
    """The part a relationships part names for part ``source``: the one of id ``rid``, or the
    first whose type ends with ``kind``; None when none does (or the part is no XML)."""
    import xml.etree.ElementTree as ElementTree

    try:
        root = ElementTree.fromstring(relationships) if relationships else None
    except ElementTree.ParseError:
        return None
    for relationship in root if root is not None else ():
        if (rid is not None and relationship.get("Id") == rid) or (
            kind is not None and (relationship.get("Type") or "").endswith(kind)
        ):
            target = (relationship.get("Target") or "").replace("\\", "/").strip()
            if relationship.get("TargetMode") == "External" or not target:
                return None
            if target.startswith("/"):
                return target[1:]
            return posixpath.normpath(posixpath.join(posixpath.dirname(source), target))
    return None


def shared_strings_xml(path: str | os.PathLike[str], inspected: Inspected | None = None) -> bytes:
    """The shared strings part of an xlsx file that passed preflight (b"" when it has none)."""
    return _kept_part(SHARED_STRINGS, path, inspected)


def workbook_xml(path: str | os.PathLike[str], inspected: Inspected | None = None) -> bytes:
    """The workbook part of an xlsx file that passed preflight (b"" when it has none)."""
    return _kept_part(SHEET_LIST_ORDER[0], path, inspected)


def _kept_part(
    part: str,
    path: str | os.PathLike[str],
    inspected: Inspected | None,
    limit: int | None = None,
) -> bytes:
    if inspected is not None and part in inspected.parts:
        return inspected.parts[part]
    source: Any = io.BytesIO(inspected.data) if inspected and inspected.data else path
    try:
        with zipfile.ZipFile(source) as archive:
            names = {part_key(name): name for name in archive.namelist()}
            if part_key(part) not in names:
                return b""
            name = names[part_key(part)]
            if limit is not None and archive.getinfo(name).file_size > limit:
                return b""
            return archive.read(name)
    except (OSError, KeyError, zipfile.BadZipFile, zlib.error):
        return b""


_STRING_ITEM = re.compile(
    rb"<(?:[A-Za-z_][\w.-]*:)?si\b[^>]*?(?:/>|>(.*?)</(?:[A-Za-z_][\w.-]*:)?si>)", re.DOTALL
)


def formatted_strings(shared: bytes) -> dict[int, bytes]:
    """Shared string index -> its item, for the items with runs formatted on their own (the
    only ones runs_apart may judge); empty, after one search, for nearly every workbook."""
    if shared.find(b"rPr") < 0:
        return {}
    return {
        index: item.group(1)
        for index, item in enumerate(_STRING_ITEM.finditer(shared))
        if item.group(1) and b"rPr" in item.group(1)
    }


_INLINE = re.compile(
    rb"<(?:[A-Za-z_][\w.-]*:)?is\b[^>]*>(.*?)</(?:[A-Za-z_][\w.-]*:)?is>", re.DOTALL
)


def runs_apart_cells(
    xml: bytes, formatted: dict[int, bytes], fills: list[object], theme: bytes = b""
) -> dict[tuple[int, int], Shown]:
    """(row, col) -> Shown ("runs") for one worksheet's text cells whose runs are formatted
    apart from the figure read (runs_apart): a shared string among ``formatted``, or an inline
    string. Nothing is parsed unless the workbook or the sheet has run properties at all."""
    if not formatted and not _has_inline_runs(xml, _lines_end(xml)):
        return {}
    found: dict[tuple[int, int], Shown] = {}
    places = _Places(xml)
    for tag in _CELL.finditer(xml):
        attributes = tag.group(2)
        if attributes.endswith(b"/"):
            continue
        typed = _TYPE_ATTR.search(attributes)
        kind = typed.group(1) if typed else b"n"
        inner = _inner(xml, tag)
        item = None
        if kind == b"s" and formatted:
            stored = _VALUE_TEXT.search(inner)
            index = stored.group(1).strip() if stored else b""
            item = formatted.get(int(index)) if index.isdigit() else None
        elif kind == b"inlineStr" and b"rPr" in inner:
            inline = _INLINE.search(inner)
            item = inline.group(1) if inline else None
        if item is None:
            continue
        xf = _style_index(attributes)
        apart = runs_apart(item, fills[xf] if xf < len(fills) else None, theme)
        if apart is None:
            continue
        place = places.of(tag.start(), attributes)
        if place is not None:
            found[place] = Shown("runs", apart, "")
    return found
