"""The error values an .xls (BIFF8) workbook shows, which calamine reads as blank; and what
its cells show other than they store (V13) and the rows and columns it hides (V14).

A cell showing #DIV/0! or #REF! comes out of calamine empty, whatever the format. For .xlsx the
grid takes such cells from the worksheet XML, for .ods from content.xml; this does the same for
.xls (and WPS .et, the same format): in the workbook stream each sheet's FORMULA records hold
the formula's cached result, an error when its last two bytes are FFFF and its first is 2, and
BOOLERR records hold an error typed in.

The same walk reads what the xlsx reader takes from styles.xml and the worksheets' XML: the
number formats (FORMAT), fonts (FONT, their colour index into the palette, PALETTE) and cell
styles (XF) of the workbook globals, then each cell's style index (NUMBER, RK, MULRK, FORMULA,
LABELSST, LABEL) and the hidden rows (ROW) and columns (COLINFO) of each sheet; the figures
are judged by looks.py, as an xlsx's. A text in runs of their own fonts (the shared strings,
SST and its CONTINUE records) is judged by its runs, as an xlsx's rich text (looks.run_apart_why),
and a sheet's conditional formats (CFHEADER and its CF records) as an xlsx's rules.
Values come from calamine, except TRUE / FALSE (a BOOLERR, a formula's boolean result, or a
formula that is one ptgBool: =FALSE, which LibreOffice caches as the number 0), which calamine
gives as 1 / 0: the walk keeps them, and the grid gives them as booleans, as an .xlsx's.
LibreOffice stores a formula's text result (=TEXT(103,"0"), ="9"&"4") in an .xls as the number 0,
while it and Excel show the text: such a cell (its formula's last step makes text) is stale, as
an .xlsx's stored result nobody computed — no figure is read from it (V07).

Excel 95 workbooks (BIFF5, a stream named Book) are not looked into: their cells keep reading
as blank, as before.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from dataclasses import dataclass, field

from nianbao.sources.looks import (
    BUILTIN_FORMATS,
    SHUT_HEIGHT_POINTS,
    SHUT_WIDTH,
    CellStyle,
    ConditionalRule,
    Differential,
    Look,
    RunFormat,
    Shown,
    conditional_look,
    look_of,
    rule_condition,
    run_apart_why,
    shown_as,
)
from nianbao.sources.preflight import ole_stream

_BOF, _EOF, _BOUNDSHEET = 0x0809, 0x000A, 0x0085
_FORMULA, _BOOLERR = 0x0006, 0x0205
_BIFF8 = 0x0600
_ERRORS = {
    0x00: "#NULL!",
    0x07: "#DIV/0!",
    0x0F: "#VALUE!",
    0x17: "#REF!",
    0x1D: "#NAME?",
    0x24: "#NUM!",
    0x2A: "#N/A",
    0x2B: "#GETTING_DATA",
}
_HEADER = struct.Struct("<HH")


@dataclass
class BiffSheet:
    """What the walk finds in one worksheet: error values shown (row, col) -> text, cells shown
    as something other than stored (row, col) -> Shown, booleans, hidden rows and columns."""

    flags: dict[tuple[int, int], str] = field(default_factory=dict)
    looks: dict[tuple[int, int], Shown] = field(default_factory=dict)
    # TRUE / FALSE typed or a formula's result, which calamine gives as 1 / 0
    booleans: dict[tuple[int, int], bool] = field(default_factory=dict)
    # formulas making text whose stored result is the number 0 (LibreOffice's): not what is shown
    stale: set[tuple[int, int]] = field(default_factory=set)
    rows: frozenset[int] = frozenset()
    columns: frozenset[int] = frozenset()


def biff_cell_flags(data: bytes) -> dict[str, dict[tuple[int, int], str]]:
    """Sheet name -> {(row, col): the error value it shows}, zero-based, for an .xls file's
    bytes; empty when the workbook stream is missing, not BIFF8, or cannot be walked."""
    return {name: sheet.flags for name, sheet in biff_sheets(data).items()}


def biff_sheets(data: bytes) -> dict[str, BiffSheet]:
    """Sheet name -> what the walk finds in it (BiffSheet), for an .xls file's bytes; empty when
    the workbook stream is missing, not BIFF8, or cannot be walked."""
    stream = ole_stream(data, ("workbook",))
    if stream is None:
        return {}
    try:
        sheets = _sheets(stream)
        styles = _styles(stream)
        return {name: _walk(stream, offset, styles) for name, offset in sheets}
    except (struct.error, ValueError, UnicodeDecodeError, StopIteration, IndexError):
        return {}


def _records(stream: bytes, position: int) -> Iterator[tuple[int, int, int]]:
    """(type, payload start, payload length) from ``position`` to the substream's EOF."""
    end = len(stream)
    while position + 4 <= end:
        kind, length = _HEADER.unpack_from(stream, position)
        start = position + 4
        if start + length > end:
            raise ValueError("record beyond the stream")
        yield kind, start, length
        if kind == _EOF:
            return
        position = start + length


def _sheets(stream: bytes) -> list[tuple[str, int]]:
    """(name, offset of its BOF) of each worksheet, from the workbook globals."""
    records = _records(stream, 0)
    kind, start, length = next(records)
    if kind != _BOF or length < 2 or struct.unpack_from("<H", stream, start)[0] != _BIFF8:
        raise ValueError("not BIFF8")
    found = []
    for kind, start, length in records:
        if kind != _BOUNDSHEET or length < 8:
            continue
        offset, _state, sheet_type, count, flags = struct.unpack_from("<IBBBB", stream, start)
        if sheet_type != 0:  # 0: a worksheet (charts, macros and VB modules have no cells)
            continue
        text = stream[start + 8 : start + length]
        name = (
            text[: count * 2].decode("utf-16-le") if flags & 1 else text[:count].decode("latin-1")
        )
        found.append((name, offset))
    return found


_FORMAT, _FONT, _XF, _PALETTE, _SST, _CONTINUE = 0x041E, 0x0031, 0x00E0, 0x0092, 0x00FC, 0x003C
_NUMBER, _RK, _MULRK, _LABELSST, _LABEL = 0x0203, 0x027E, 0x00BD, 0x00FD, 0x0204
_ROW, _COLINFO = 0x0208, 0x007D
_AUTOMATIC = 0x7FFF  # a font's colour index: the window's text colour (black)
# the BIFF8 palette for colour indexes 8 to 63, where the workbook has no PALETTE record
_DEFAULT_PALETTE = (
    "000000 FFFFFF FF0000 00FF00 0000FF FFFF00 FF00FF 00FFFF 800000 008000 000080 808000 "
    "800080 008080 C0C0C0 808080 9999FF 993366 FFFFCC CCFFFF 660066 FF8080 0066CC CCCCFF "
    "000080 FF00FF FFFF00 00FFFF 800080 800000 008080 0000FF 00CCFF CCFFFF CCFFCC FFFF99 "
    "99CCFF FF99CC CC99FF FFCC99 3366FF 33CCCC 99CC00 FFCC00 FF9900 FF6600 666699 969696 "
    "003366 339966 003300 333300 993300 993366 333399 333333"
).split()
# indexes 0 to 7 are fixed; 64 is the window's text colour, 65 its background
_FIXED = {**dict(enumerate(_DEFAULT_PALETTE[:8])), 64: "000000", 65: "FFFFFF"}


def _rgb(digits: str) -> tuple[int, int, int]:
    return (int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16))


def _text(stream: bytes, at: int, end: int) -> str:
    """An XLUnicodeString at ``at``: a 16-bit count of characters, flags, the characters."""
    count, flags = struct.unpack_from("<HB", stream, at)
    if flags & 1:
        return stream[at + 3 : min(at + 3 + 2 * count, end)].decode("utf-16-le", "replace")
    return stream[at + 3 : min(at + 3 + count, end)].decode("latin-1")


@dataclass
class _Styles:
    """What the workbook globals say about how cells show: XF index -> Look for the cell styles
    that may show a value other than it is; each XF's fill; and the shared strings in runs of
    fonts that set them apart (index -> (text, [(first character, font)])), with those fonts."""

    looks: dict[int, Look]
    fills: list[object]
    rich: dict[int, tuple[str, list[tuple[int, int]]]]
    runs: dict[int, RunFormat]
    # each XF's (number format code, font colour, fill colour), as a conditional format's
    # change is applied over it; the number format codes by id; the palette
    own: list[CellStyle] = field(default_factory=list)
    codes: dict[int, str] = field(default_factory=dict)
    palette: list[str] = field(default_factory=lambda: list(_DEFAULT_PALETTE))


def _styles(stream: bytes) -> _Styles:
    """The workbook globals' formats, fonts, cell styles and palette judged as looks.look_of
    judges an xlsx's styles.xml, and the shared strings whose runs may be set apart."""
    codes: dict[int, str] = {}
    fonts: list[tuple[int, int, int, int]] = []  # colour index, height, options, escapement
    xfs: list[tuple[int, int, int | None]] = []  # font index, format id, solid fill's colour
    palette = list(_DEFAULT_PALETTE)
    for kind, start, length in _records(stream, 0):
        if kind == _FORMAT and length >= 5:
            codes[struct.unpack_from("<H", stream, start)[0]] = _text(
                stream, start + 2, start + length
            )
        elif kind == _FONT and length >= 10:
            height, options, shade, _, escapement = struct.unpack_from("<HHHHH", stream, start)
            fonts.append((shade, height, options, escapement))
        elif kind == _XF and length >= 20:
            font, number = struct.unpack_from("<HH", stream, start)
            pattern = struct.unpack_from("<I", stream, start + 14)[0] >> 26
            fore = struct.unpack_from("<H", stream, start + 18)[0] & 0x7F
            xfs.append((font, number, fore if pattern == 1 else None))  # 1: a solid fill
        elif kind == _PALETTE and length >= 2:
            count = struct.unpack_from("<H", stream, start)[0]
            for i in range(min(count, 56, (length - 2) // 4)):
                palette[i] = stream[start + 2 + 4 * i : start + 5 + 4 * i].hex().upper()

    def colour(index: int) -> tuple[int, int, int] | None:
        return _palette_colour(palette, index)

    def font_at(index: int) -> tuple[int, int, int, int] | None:
        index = index - 1 if index > 4 else index  # font 4 is never written
        return fonts[index] if index < len(fonts) else None

    looks: dict[int, Look] = {}
    fills: list[object] = []
    own: list[CellStyle] = []
    for index, (font, number, fill) in enumerate(xfs):
        code = _general(codes.get(number, BUILTIN_FORMATS.get(number, "General")))
        shade, height = (font_at(font) or (_AUTOMATIC, None))[:2]
        fills.append(None if fill is None else colour(fill))
        tint = None if shade == _AUTOMATIC else colour(shade)
        own.append(CellStyle(code, tint, fills[-1], None if height is None else height / 20))
        look = look_of(*own[-1])
        if look is not None:
            looks[index] = look
    runs: dict[int, RunFormat] = {}
    for index in range(len(fonts) + 1):
        found = font_at(index)
        if found is None or (index == 4 and len(fonts) > 4):
            continue
        shade, height, options, escapement = found
        run = RunFormat(
            raised={1: "上标", 2: "下标"}.get(escapement),
            struck=bool(options & 0x08),  # fStrikeOut
            points=height / 20,  # twips
            colour=None if shade == _AUTOMATIC else colour(shade),
        )
        if run_apart_why(run, None) or run.colour is not None:  # a colour: judged on its fill
            runs[index] = run
    try:  # a shared string table nianbao cannot walk costs the runs, not the error values
        rich = _rich_strings(stream, sst_segments(stream), runs) if runs else {}
    except (struct.error, ValueError, UnicodeDecodeError, IndexError):
        rich = {}
    return _Styles(looks, fills, rich, runs, own, codes, palette)


def _palette_colour(palette: list[str], index: int) -> tuple[int, int, int] | None:
    """The RGB of a colour index: fixed below 8 and at 64/65, else the workbook's palette."""
    if index in _FIXED:
        return _rgb(_FIXED[index])
    return _rgb(palette[index - 8]) if 8 <= index < 64 else None


# -- conditional formats: CFHEADER (the ranges) and its CF records (a rule each) ---------------

_CFHEADER, _CF = 0x01B0, 0x01B1
# a CF record's comparison (cp) as an xlsx cellIs operator
_COMPARISONS = {
    1: "between",
    2: "notBetween",
    3: "equal",
    4: "notEqual",
    5: "greaterThan",
    6: "lessThan",
    7: "greaterThanOrEqual",
    8: "lessThanOrEqual",
}
_NOT_SET = 0xFFFFFFFF  # a DXFN font's colour left as the cell's


def _cf_areas(stream: bytes, start: int, length: int) -> tuple[tuple[int, int, int, int], ...]:
    """A CFHEADER's ranges (its sqref after the bounding range)."""
    count = struct.unpack_from("<H", stream, start + 12)[0]
    found = []
    for k in range(min(count, (length - 14) // 8)):
        top, bottom, left, right = struct.unpack_from("<HHHH", stream, start + 14 + 8 * k)
        found.append((top, left, bottom, right))
    return tuple(found)


def _cf_rule(
    stream: bytes, start: int, areas: tuple[tuple[int, int, int, int], ...], styles: _Styles
) -> ConditionalRule:
    """A CF record: its condition (looks.rule_condition) and what its DXFN changes (a number
    format, the font's colour, a fill's colour; the blocks present as its flags say)."""
    kind, comparison, first, second = struct.unpack_from("<BBHH", stream, start)
    flags, more = struct.unpack_from("<IH", stream, start + 6)
    at = start + 12
    code: str | None = None
    font = fill = None
    if flags & 1 << 25:  # ibitAtrNum: a number format
        if more & 1:  # fIfmtUser: its code, in the record
            size = struct.unpack_from("<H", stream, at)[0]
            code = _text(stream, at + 2, at + size)
            at += size
        else:
            number = stream[at + 1]
            code = styles.codes.get(number, BUILTIN_FORMATS.get(number, "General"))
            at += 2
    if flags & 1 << 26:  # ibitAtrFnt: a font, its colour 80 bytes in
        shade = struct.unpack_from("<I", stream, at + 80)[0]
        if shade not in (_NOT_SET, _AUTOMATIC):
            font = _palette_colour(styles.palette, shade)
        at += 118
    at += 8 if flags & 1 << 27 else 0  # ibitAtrAlc: alignment
    at += 8 if flags & 1 << 28 else 0  # ibitAtrBdr: borders
    if flags & 1 << 29:  # ibitAtrPat: a fill; its background colour unless icvBNinch
        colours = struct.unpack_from("<H", stream, at + 2)[0]
        if not flags & 1 << 18:
            fill = _palette_colour(styles.palette, (colours >> 7) & 0x7F)
        at += 4
    at += 2 if flags & 1 << 30 else 0  # ibitAtrProt: protection
    formulas = [
        _constant(stream[at : at + first]),
        _constant(stream[at + first : at + first + second]),
    ]
    change = Differential(_general(code) if code is not None else None, font, fill)
    if kind == 1 and comparison in _COMPARISONS:
        operator = _COMPARISONS[comparison]
        operands = formulas[:2] if operator in ("between", "notBetween") else formulas[:1]
        holds, words = rule_condition("cellIs", operator, [o or "（公式）" for o in operands])
        return ConditionalRule(holds, words, change, areas)
    if kind == 2 and formulas[0] in ("TRUE", "FALSE"):
        holds, words = rule_condition("expression", "", [formulas[0]])
        return ConditionalRule(holds, words, change, areas)
    return ConditionalRule(lambda number: None, "公式", change, areas)


def _constant(tokens: bytes) -> str | None:
    """A formula of one constant (ptgInt, ptgNum, ptgBool; negated by ptgUminus) as text."""
    negated = tokens.endswith(b"\x13")
    body = tokens[:-1] if negated else tokens
    sign = "-" if negated else ""
    if len(body) == 3 and body[0] == 0x1E:
        return f"{sign}{struct.unpack_from('<H', body, 1)[0]}"
    if len(body) == 9 and body[0] == 0x1F:
        return f"{sign}{struct.unpack_from('<d', body, 1)[0]!r}"
    if len(body) == 2 and body[0] == 0x1D and not negated:
        return "TRUE" if body[1] else "FALSE"
    return None


def sst_segments(stream: bytes) -> list[tuple[int, int]]:
    """(start, end) of the SST's payload and of each CONTINUE record right after it."""
    segments: list[tuple[int, int]] = []
    for kind, start, length in _records(stream, 0):
        if kind == _SST:
            segments = [(start, start + length)]
        elif kind == _CONTINUE and segments and segments[-1][1] == start - 4:
            segments.append((start, start + length))
    return segments


def _rich_strings(
    stream: bytes, segments: list[tuple[int, int]], fonts: dict[int, RunFormat]
) -> dict[int, tuple[str, list[tuple[int, int]]]]:
    """Shared string index -> (its text, its runs), for the strings with a run in one of
    ``fonts`` (none without an SST)."""
    if not segments:
        return {}
    return {
        index: (text, runs)
        for index, (text, runs) in enumerate(shared_strings(stream, segments))
        if any(font in fonts for _, font in runs)
    }


def shared_strings(
    stream: bytes, segments: list[tuple[int, int]]
) -> Iterator[tuple[str, list[tuple[int, int]]]]:
    """Each shared string of the SST (``segments``: its payload and its CONTINUE records'),
    with its runs as (first character, font index). A string's characters may go on in the
    next CONTINUE record, which then starts with its own flags byte (8 or 16 bits a
    character)."""
    read = _Continued(stream, segments)
    _, unique = struct.unpack("<II", read.take(8))
    for _ in range(unique):
        count, flags = struct.unpack("<HB", read.take(3))
        runs = struct.unpack("<H", read.take(2))[0] if flags & 0x08 else 0
        extra = struct.unpack("<I", read.take(4))[0] if flags & 0x04 else 0
        text = read.characters(count, bool(flags & 0x01))
        starts = read.take(4 * runs)
        read.take(extra)
        yield text, [struct.unpack_from("<HH", starts, 4 * k) for k in range(runs)]


class _Continued:
    """Bytes read on across a record and its CONTINUE records (the SST's payloads)."""

    def __init__(self, stream: bytes, segments: list[tuple[int, int]]) -> None:
        self.stream, self.segments = stream, segments
        self.segment, self.at = 0, segments[0][0]

    def _next(self) -> None:
        self.segment += 1  # IndexError past the last: the walk gives up (biff_sheets)
        self.at = self.segments[self.segment][0]

    def take(self, count: int) -> bytes:
        parts = []
        while count > 0:
            if self.at >= self.segments[self.segment][1]:
                self._next()
            end = min(self.segments[self.segment][1], self.at + count)
            parts.append(self.stream[self.at : end])
            count -= end - self.at
            self.at = end
        return b"".join(parts)

    def characters(self, count: int, wide: bool) -> str:
        parts = []
        while count > 0:
            if self.at >= self.segments[self.segment][1]:
                self._next()
                wide = bool(self.stream[self.at] & 0x01)  # the continued characters' flags
                self.at += 1
            width = 2 if wide else 1
            fit = min(count, (self.segments[self.segment][1] - self.at) // width)
            if fit <= 0:
                raise ValueError("a character split between records")
            raw = self.stream[self.at : self.at + fit * width]
            parts.append(raw.decode("utf-16-le") if wide else raw.decode("latin-1"))
            self.at += fit * width
            count -= fit
        return "".join(parts)


def _runs_apart(
    text: str, runs: list[tuple[int, int]], fonts: dict[int, RunFormat], fill: object
) -> str | None:
    """What sets a shared string's runs apart from the figure read (looks.run_apart_why)."""
    apart = []
    bounds = [*(first for first, _ in runs[1:]), len(text)]
    for (first, font), last in zip(runs, bounds, strict=True):
        run = fonts.get(font)
        part = text[first:last]
        why = run_apart_why(run, fill) if run is not None and part.strip() else None
        if why:
            apart.append(f"「{part}」{why}")
    return "、".join(apart) or None


def _general(code: str) -> str:
    """General as Chinese Excel and WPS spell it, as LibreOffice writes it to an .xls saved in
    another language (g/"通用格式", its unit in the same quotes): G/通用格式."""
    lower = code[:8].lower()
    if lower.startswith(('g/"通用格式', 'g/"標準')):
        name = "通用格式" if "通用格式" in lower else "標準"
        rest = code[3 + len(name) :]
        return f'G/{name}"{rest}' if rest != '"' else f"G/{name}"
    return code


def _rk(value: int) -> float:
    """The number an RK value holds: a 30-bit integer or the top of a double, perhaps /100."""
    if value & 2:
        number: float = struct.unpack("<i", struct.pack("<I", value))[0] >> 2
    else:
        number = struct.unpack("<d", struct.pack("<Q", (value & 0xFFFFFFFC) << 32))[0]
    return number / 100 if value & 1 else number


_ZERO = bytes(8)
# Functions whose result is text (BIFF8 function numbers): TEXT, CONCATENATE, LEFT, MID, …
_TEXT_FUNCTIONS = frozenset(
    {13, 14, 30, 31, 48, 111, 112, 113, 114, 115, 116, 118, 119, 120, 130, 162, 336}
)
_CONCAT, _STR, _ATTR, _ATTR_SUM, _ATTR_CHOOSE = 0x08, 0x17, 0x19, 0x10, 0x04
# Token sizes (BIFF8 Ptg, in bytes with the token): operands and operators of fixed size; the
# classed tokens (0x20-0x7F) by their class-free number
_PTG_SIZES = {0x01: 5, 0x02: 5, 0x1C: 2, 0x1D: 2, 0x1E: 3, 0x1F: 9} | dict.fromkeys(
    range(0x03, 0x17), 1
)
_CLASSED_SIZES = {
    0x20: 8, 0x21: 3, 0x22: 4, 0x23: 5, 0x24: 5, 0x25: 9, 0x26: 7, 0x27: 7, 0x28: 7,
    0x29: 3, 0x2A: 5, 0x2B: 9, 0x2C: 5, 0x2D: 9, 0x2E: 3, 0x2F: 3,
    0x39: 7, 0x3A: 7, 0x3B: 11, 0x3C: 7, 0x3D: 11,
}  # fmt: skip


def _makes_text(stream: bytes, start: int, length: int) -> bool:
    """Whether a FORMULA record's formula ends in a step that makes text (&, a text constant,
    TEXT and its kin): its tokens walked to the last that computes. A token not known here
    (or a formula that is only the reference to a shared one) says no: never a guess."""
    size = struct.unpack_from("<H", stream, start + 20)[0]
    tokens = stream[start + 22 : start + min(length, 22 + size)]
    at, last = 0, False
    while at < len(tokens):
        ptg = tokens[at]
        if ptg == _STR and at + 2 < len(tokens):
            step = 3 + tokens[at + 1] * (2 if tokens[at + 2] & 1 else 1)
            last = True
        elif ptg == _ATTR and at + 3 < len(tokens):
            kind, count = tokens[at + 1], struct.unpack_from("<H", tokens, at + 2)[0]
            step = 4 + (2 * (count + 1) if kind & _ATTR_CHOOSE else 0)
            if kind & _ATTR_SUM:
                last = False  # SUM of one argument: a number
        elif ptg in _PTG_SIZES:
            step = _PTG_SIZES[ptg]
            last = ptg == _CONCAT
        elif ptg >= 0x20 and (classed := 0x20 | (ptg & 0x1F)) in _CLASSED_SIZES:
            step = _CLASSED_SIZES[classed]
            if classed in (0x21, 0x22) and at + step <= len(tokens):
                function = struct.unpack_from("<H", tokens, at + step - 2)[0] & 0x7FFF
                last = function in _TEXT_FUNCTIONS
            else:
                last = False
        else:
            return False
        at += step
    return last and at == len(tokens)


def _walk(stream: bytes, offset: int, styles: _Styles) -> BiffSheet:
    sheet = BiffSheet()
    flags, shown = sheet.flags, sheet.looks
    looks, rich = styles.looks, styles.rich
    numbers: list[tuple[int, int, int, float]] = []  # for the conditional formats, if any
    rules: list[ConditionalRule] = []
    areas: tuple[tuple[int, int, int, int], ...] = ()
    rows: set[int] = set()
    columns: set[int] = set()

    def judge(row: int, col: int, style: int, number: float | None) -> None:
        if number is not None:
            numbers.append((row, col, style, number))
        look = looks.get(style)
        if look is not None:
            found = shown_as(look, number)
            if found is not None:
                shown[(row, col)] = found

    for kind, start, length in _records(stream, offset):
        if kind == _NUMBER and length >= 14:
            row, col, style, number = struct.unpack_from("<HHHd", stream, start)
            judge(row, col, style, number)
        elif kind == _RK and length >= 10:
            row, col, style, value = struct.unpack_from("<HHHI", stream, start)
            judge(row, col, style, _rk(value))
        elif kind == _MULRK and length >= 12:
            row, first = struct.unpack_from("<HH", stream, start)
            for i in range((length - 6) // 6):
                style, value = struct.unpack_from("<HI", stream, start + 4 + 6 * i)
                judge(row, first + i, style, _rk(value))
        elif kind in (_LABELSST, _LABEL) and length >= 6:
            if looks:
                row, col, style = struct.unpack_from("<HHH", stream, start)
                judge(row, col, style, None)
            if rich and kind == _LABELSST and length >= 10:
                row, col, style, index = struct.unpack_from("<HHHI", stream, start)
                if index in rich and (row, col) not in shown:
                    fill = styles.fills[style] if style < len(styles.fills) else None
                    apart = _runs_apart(*rich[index], styles.runs, fill)
                    if apart:
                        shown[(row, col)] = Shown("runs", apart, "")
        elif kind == _FORMULA and length >= 14:
            row, col, style = struct.unpack_from("<HHH", stream, start)
            result = stream[start + 6 : start + 14]
            if result[6:8] != b"\xff\xff":
                if length >= 24 and stream[start + 20 : start + 23] == b"\x02\x00\x1d":
                    # =FALSE / =TRUE (one ptgBool): LibreOffice caches it as the number 0 / 1
                    sheet.booleans[(row, col)] = bool(stream[start + 23])
                    continue
                judge(row, col, style, struct.unpack("<d", result)[0])
                if result == _ZERO and length >= 22 and _makes_text(stream, start, length):
                    sheet.stale.add((row, col))
            elif result[0] == 2:
                flags[(row, col)] = _error(result[2])
            elif result[0] == 1:
                sheet.booleans[(row, col)] = bool(result[2])
            elif result[0] == 0 and looks:  # a text result
                judge(row, col, style, None)
        elif kind == _BOOLERR and length >= 8:
            row, col = struct.unpack_from("<HH", stream, start)
            value, is_error = stream[start + 6], stream[start + 7]
            if is_error:
                flags[(row, col)] = _error(value)
            else:
                sheet.booleans[(row, col)] = bool(value)
        elif kind == _ROW and length >= 16:
            # hidden (fDyZero), or too low to show a digit: its height in twips
            twips = struct.unpack_from("<H", stream, start + 6)[0] & 0x7FFF
            hidden = struct.unpack_from("<H", stream, start + 12)[0] & 0x20
            if hidden or twips < SHUT_HEIGHT_POINTS * 20:
                rows.add(struct.unpack_from("<H", stream, start)[0])
        elif kind == _COLINFO and length >= 10:
            # hidden, or too narrow to show a digit: its width in 1/256 of a character
            first, last, width = struct.unpack_from("<HHH", stream, start)
            if struct.unpack_from("<H", stream, start + 8)[0] & 1 or width < SHUT_WIDTH * 256:
                columns.update(range(first, min(last, 16383) + 1))
        elif kind == _CFHEADER and length >= 14:
            areas = _cf_areas(stream, start, length)
        elif kind == _CF and length >= 12 and areas:
            try:  # a rule nianbao cannot read costs that rule, not the sheet's other checks
                rules.append(_cf_rule(stream, start, areas, styles))
            except (struct.error, ValueError, IndexError, UnicodeDecodeError):
                pass
    if rules:
        _judge_conditional(numbers, rules, styles, shown)
    sheet.rows, sheet.columns = frozenset(rows), frozenset(columns)
    return sheet


def _judge_conditional(
    numbers: list[tuple[int, int, int, float]],
    rules: list[ConditionalRule],
    styles: _Styles,
    shown: dict[tuple[int, int], Shown],
) -> None:
    """The figures a rule shows as another or none (looks.conditional_look, as an xlsx's),
    where the cell's own style has not already said so."""
    for row, col, style, number in numbers:
        if (row, col) in shown:
            continue
        own = styles.own[style] if style < len(styles.own) else CellStyle("General", None, None)
        found = conditional_look((r for r in rules if r.covers(row, col)), own, number)
        if found is not None:
            shown[(row, col)] = found


def _error(code: int) -> str:
    """The error value as Excel shows it; an unknown code as what it is, not as another error."""
    return _ERRORS.get(code) or f"错误值（代码 {code:#04x}）"
