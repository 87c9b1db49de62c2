"""What a workbook shows for a cell, beside the value stored that the readers give: the number
format (a small renderer of what Excel shows for a number) and the font's colour against the
cell's fill, read from xl/styles.xml.

Where the two differ so that a person reads another figure, or none, the reader says so (V13):
a format that hides a figure (``;;;``), scales it (``0,``), makes it a percentage or adds a digit
of its own (``0"0"``), or a white font on a white cell. styles.xml is small: ``cell_looks``
parses it once and keeps only the cellXfs indexes that may show a value other than it is, so a
return whose formats are General (G/通用格式), 0, #,##0 … pays for the parse alone; preflight's
``shown_cells`` then looks for the cells of a worksheet using them.
"""

from __future__ import annotations

import colorsys
import functools
import html as html_text
import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple, TypeVar


@dataclass(frozen=True)
class Look:
    """A cellXfs entry that may show a value other than it is: its number format code (None when
    the format shows every number as it is), whether its font has the colour of its fill, and
    whether its font is too small to read."""

    code: str | None
    invisible: bool
    tiny: bool = False
    # a format whose sections paint figures a colour of their own ([White]0, [红色]…), where
    # that changes what is seen: its code and, per section, whether its colour cannot be seen
    # on the cell's fill (None: the section sets none, the font's shows)
    painted: tuple[str, tuple[bool | None, ...]] | None = None


_Item = TypeVar("_Item")


class CellStyle(NamedTuple):
    """A cell's own style as the judgements need it: its number format code, its font's colour
    (None: automatic), its fill's colour (None: none, white) and its font size in points (None:
    not said)."""

    code: str
    font: object
    fill: object
    points: float | None = None


@dataclass(frozen=True)
class Shown:
    """A cell whose shown content differs from its stored value: ``why`` is "font" (the font
    has the colour of the cell), "painted" (the number format paints it the colour of the
    cell: [White]0), "tiny" (the font is too small to read), "unprinted" (the
    cell is kept off the printed table, as ``text`` says: an .ods cell's protection), "blank"
    (the format shows nothing), "date", "other" (the format shows ``text``, another figure or
    no figure),
    "runs" (part of the text is formatted apart, as ``text`` says: runs_apart) or "cf" (a
    conditional format shows it so, as ``text`` says: conditional_look); ``code`` is the
    number format."""

    why: str
    text: str
    code: str


# Built-in number formats (ECMA-376 18.8.30, and the zh-CN dates) by id; ids not listed show
# numbers as General does.
BUILTIN_FORMATS = {
    1: "0",
    2: "0.00",
    3: "#,##0",
    4: "#,##0.00",
    5: '"¥"#,##0;"¥"\\-#,##0',
    6: '"¥"#,##0;[Red]"¥"\\-#,##0',
    7: '"¥"#,##0.00;"¥"\\-#,##0.00',
    8: '"¥"#,##0.00;[Red]"¥"\\-#,##0.00',
    9: "0%",
    10: "0.00%",
    11: "0.00E+00",
    12: "# ?/?",
    13: "# ??/??",
    **dict.fromkeys((14, 15, 16, 17, 22, 27, 28, 29, 30, 31, 34, 35, 36), "yyyy/m/d"),
    **dict.fromkeys((50, 51, 52, 53, 54, 57, 58), "yyyy/m/d"),
    **dict.fromkeys((18, 19, 20, 21, 32, 33, 45, 47, 55, 56), "h:mm"),
    46: "[h]:mm:ss",  # elapsed hours: 1.5 shows 36:00:00
    37: "#,##0 ;(#,##0)",
    38: "#,##0 ;[Red](#,##0)",
    39: "#,##0.00;(#,##0.00)",
    40: "#,##0.00;[Red](#,##0.00)",
    41: '_(* #,##0_);_(* \\(#,##0\\);_(* "-"_);_(@_)',
    42: '_("¥"* #,##0_);_("¥"* \\(#,##0\\);_("¥"* "-"_);_(@_)',
    43: '_(* #,##0.00_);_(* \\(#,##0.00\\);_(* "-"??_);_(@_)',
    44: '_("¥"* #,##0.00_);_("¥"* \\(#,##0.00\\);_("¥"* "-"??_);_(@_)',
    48: "##0.0E+0",
    49: "@",
}
_ATTRIBUTE = re.compile(rb"""([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_PREFIX_OF = rb"<(?:[A-Za-z_][\w.-]*:)?"
# A tag's attributes up to its end: a quoted value may hold a raw ">" (valid XML, and what a
# format code such as [>0]"-" holds when its writer does not escape it)
ATTRIBUTES = rb"""((?:[^>"']|"[^"]*"|'[^']*')*)"""
LAZY_ATTRIBUTES = ATTRIBUTES[:-1] + b"?)"  # as few as reach the tag's end (a "/>" left over)
_NUMFMT = re.compile(_PREFIX_OF + rb"numFmt\b" + ATTRIBUTES + rb">")
_XF = re.compile(_PREFIX_OF + rb"xf\b" + ATTRIBUTES + rb">")
_FONT = re.compile(_PREFIX_OF + rb"font\b")
_FILL = re.compile(_PREFIX_OF + rb"fill\b")
_FONT_COLOUR = re.compile(_PREFIX_OF + rb"color\b" + ATTRIBUTES + rb">")
_FILL_COLOUR = re.compile(_PREFIX_OF + rb"fgColor\b" + ATTRIBUTES + rb">")
_PATTERN = re.compile(_PREFIX_OF + rb"patternFill\b" + ATTRIBUTES + rb">")
_WHITE = (255, 255, 255)
_BLACK = (0, 0, 0)


def xml_attributes(tag: bytes) -> dict[str, str]:
    found = {}
    for key, double, single in _ATTRIBUTE.findall(tag):
        value = (double if double or not single else single).decode("utf-8", "replace")
        found[key.decode("ascii", "replace").rsplit(":", 1)[-1]] = (
            html_text.unescape(value) if "&" in value else value
        )
    return found


def _number_attribute(tag: bytes, name: bytes) -> int:
    """An xf's numFmtId, fontId or fillId (0 when absent, as Excel reads it)."""
    at = tag.find(name)
    if at < 0:
        return 0
    found = _DIGITS_AFTER.match(tag, at + len(name))
    return int(found.group(1)) if found else 0


_USUAL_XF = re.compile(
    rb'\s*numFmtId="([0-9]{1,9})"\s+fontId="([0-9]{1,9})"\s+fillId="([0-9]{1,9})"'
)
_DIGITS_AFTER = re.compile(rb"""\s*=\s*["']\s*([0-9]{1,9})""")


def _section(styles: bytes, name: bytes) -> bytes:
    """The content of the styles part's element ``name`` (fonts, fills, cellXfs); b"" if none."""
    found = re.search(_PREFIX_OF + name + rb"\b", styles)
    if found is None:
        return b""
    tag_end = styles.find(b">", found.end())
    if tag_end > 0 and styles[tag_end - 1 : tag_end] == b"/":
        return b""  # <dxfs count="0"/>: an empty section
    end = styles.find(name + b">", found.end())
    return styles[found.end() : end if end >= 0 else len(styles)]


def _elements(section: bytes, start: re.Pattern[bytes]) -> list[bytes]:
    """Each element of a section (a font, a fill) as the bytes up to the next one."""
    starts = [m.start() for m in start.finditer(section)]
    ends = [*starts[1:], len(section)] if starts else []
    return [section[a:b] for a, b in zip(starts, ends, strict=True)]


@functools.lru_cache(maxsize=32)
def cell_looks(styles: bytes, theme: bytes = b"") -> dict[int, Look]:
    """cellXfs index -> Look, for the entries of a styles part that may show a value other than
    it is: a number format that may hide, scale, date or add to a number
    (``format_may_mislead``), or a font the colour of its fill (white on no fill), its theme
    colours taken from the workbook's ``theme`` part (b"": the default Office theme). Cached:
    the returns of a batch share their template's styles. Do not change the dict returned."""
    looks: dict[int, Look] = {}
    for index, style in enumerate(_cell_styles(styles, theme)):
        look = look_of(*style)
        if look is not None:
            looks[index] = look
    return looks


def cell_fills(styles: bytes, theme: bytes = b"") -> list[object]:
    """The colour behind each cellXfs entry's text (see _fill_colour), by index."""
    return [style.fill for style in _cell_styles(styles, theme)]


@functools.lru_cache(maxsize=32)
def _cell_styles(styles: bytes, theme: bytes = b"") -> list[CellStyle]:
    """Each cellXfs entry's CellStyle, by index."""
    codes = {}
    for match in _NUMFMT.finditer(styles):
        found = xml_attributes(match.group(1))
        if found.get("numFmtId", "").isdecimal():
            codes[int(found["numFmtId"])] = found.get("formatCode", "")
    palette = theme_palette(theme)
    fonts = [
        (_colour(_FONT_COLOUR, font, palette), _font_points(font))
        for font in _elements(_section(styles, b"fonts"), _FONT)
    ]
    fills = [_fill_colour(fill, palette) for fill in _elements(_section(styles, b"fills"), _FILL)]
    entries = []
    for match in _XF.finditer(_section(styles, b"cellXfs")):
        xf = match.group(1)
        usual = _USUAL_XF.match(xf)  # the order Excel and most writers use: one match
        number, font_id, fill_id = (
            map(int, usual.groups())
            if usual
            else (_number_attribute(xf, name) for name in (b"numFmtId", b"fontId", b"fillId"))
        )
        code = codes.get(number, BUILTIN_FORMATS.get(number, "General"))
        font, points = _pick(fonts, font_id, (None, None))
        entries.append(CellStyle(code, font, _pick(fills, fill_id, _WHITE), points))
    return entries


def _font_points(font: bytes) -> float | None:
    """A font's size (its <sz val>), None when it says none or nothing readable."""
    size = _SIZE.search(font)
    try:
        points = float(xml_attributes(size.group(1)).get("val", "")) if size else None
    except ValueError:
        return None
    return points if points is not None and math.isfinite(points) else None


# -- conditional formats: a format a rule puts on a cell (xlsx) ---------------------------------

_DXF = re.compile(_PREFIX_OF + rb"dxf\b")
_DXF_FILL_COLOUR = re.compile(_PREFIX_OF + rb"bgColor\b" + ATTRIBUTES + rb">")


@dataclass(frozen=True)
class Differential:
    """What a conditional format's rule changes (an xlsx dxf, an .xls DXFN, an .ods applied
    style): its number format code, font colour, fill colour and font size; None where it
    keeps the cell's own."""

    code: str | None
    font: object
    fill: object
    points: float | None = None


@dataclass(frozen=True)
class ConditionalRule:
    """One conditional format rule, whatever format wrote it: whether it holds for a number
    (None: nianbao cannot tell; rule_condition), how it reads in Chinese, what it changes
    (None: it hides the value, a data bar or icon set with showValue="0"), and the cells it
    covers as (top, left, bottom, right), none where the caller has placed it already (an .ods
    rule belongs to a cell style)."""

    holds: Callable[[float], bool | None]
    words: str
    change: Differential | None
    areas: tuple[tuple[int, int, int, int], ...] = ()

    def covers(self, row: int, col: int) -> bool:
        return any(r1 <= row <= r2 and c1 <= col <= c2 for r1, c1, r2, c2 in self.areas)


def conditional_look(
    rules: Iterable[ConditionalRule], own: CellStyle, number: float
) -> Shown | None:
    """The Shown ("cf") of ``number`` in a cell of style ``own`` under the first of ``rules``
    that holds for it (or may) and shows it as another figure or none; None when none does (a
    zero shown as blank says the same)."""
    if not math.isfinite(number):
        return None
    for rule in rules:
        holds = rule.holds(number)
        if holds is False:
            continue
        if rule.change is None:
            shown: Shown | None = Shown("blank", "", own.code) if number != 0 else None
        else:
            look = changed_look(own, rule.change)
            shown = shown_as(look, number) if look is not None else None
            if number == 0 and shown is not None and shown.why != "other":
                shown = None  # 0 hidden or shown as blank says the same
        if shown is not None:
            when = "使它" if holds else "成立时会使它"
            return Shown("cf", f"条件格式（{rule.words}）{when}{_shown_words(shown)}", shown.code)
    return None


@functools.lru_cache(maxsize=32)
def differential_formats(styles: bytes, theme: bytes = b"") -> list[Differential]:
    """The styles part's dxfs, by index (a cfRule's dxfId)."""
    palette = theme_palette(theme)
    found = []
    for dxf in _elements(_section(styles, b"dxfs"), _DXF):
        number = _NUMFMT.search(dxf)
        code = xml_attributes(number.group(1)).get("formatCode") if number else None
        font = _section(dxf, b"font")
        fill = _section(dxf, b"fill")
        solid = _PATTERN.search(fill)
        kind = xml_attributes(solid.group(1)).get("patternType", "solid") if solid else ""
        found.append(
            Differential(
                code,
                _colour(_FONT_COLOUR, font, palette) if font else None,
                (
                    _colour(_DXF_FILL_COLOUR, fill, palette)
                    if fill and kind in ("", "solid")
                    else None
                ),
            )
        )
    return found


@functools.lru_cache(maxsize=32)
def differentials_may_mislead(styles: bytes, theme: bytes = b"") -> frozenset[int]:
    """The dxf indexes whose change may show a figure as another or none: a misleading number
    format, or a font the colour of the dxf's fill (of any cell fill, where it sets none)."""
    fills = {style.fill for style in _cell_styles(styles, theme)} | {_WHITE}
    return frozenset(
        index
        for index, change in enumerate(differential_formats(styles, theme))
        if (change.code is not None and format_may_mislead(change.code))
        or (
            change.font is not None
            and any(
                _same_colour(change.font, fill)
                for fill in ({change.fill} if change.fill is not None else fills)
            )
        )
    )


# A cellIs rule's operator -> (how it reads, whether a number x passes it with operands a, b).
_CONDITION_TESTS = {
    "equal": ("=", lambda x, a, b: x == a),
    "notEqual": ("≠", lambda x, a, b: x != a),
    "greaterThan": (">", lambda x, a, b: x > a),
    "greaterThanOrEqual": ("≥", lambda x, a, b: x >= a),
    "lessThan": ("<", lambda x, a, b: x < a),
    "lessThanOrEqual": ("≤", lambda x, a, b: x <= a),
    "between": ("介于", lambda x, a, b: min(a, b) <= x <= max(a, b)),
    "notBetween": ("不介于", lambda x, a, b: not min(a, b) <= x <= max(a, b)),
}


def rule_condition(
    kind: str, operator: str, formulas: list[str]
) -> tuple[Callable[[float], bool | None], str]:
    """Whether a conditional format's rule holds for a number (None: nianbao cannot tell),
    and the rule in Chinese: Excel's cellIs with constants and a constant expression; any
    other rule (a formula of the unit's own, a rank) cannot be told. An .ods condition is
    given here in the same terms (ods.py)."""
    if kind == "cellIs" and operator in _CONDITION_TESTS:
        symbol, test = _CONDITION_TESTS[operator]
        values = [_constant(formula) for formula in formulas[:2]]
        shown = "、".join(formulas[:2])
        if values and all(value is not None for value in values):
            a, b = values[0], values[-1]
            return (lambda number: test(number, a, b)), f"单元格值 {symbol} {shown}"
        return (lambda number: None), f"单元格值 {symbol} {shown}"
    if kind == "expression" and formulas:
        constant = formulas[0].lstrip("=").strip().upper()
        if constant in ("TRUE", "TRUE()", "1"):
            return (lambda number: True), f"公式 {formulas[0]}"
        if constant in ("FALSE", "FALSE()", "0"):
            return (lambda number: False), f"公式 {formulas[0]}"
        return (lambda number: None), f"公式 {formulas[0]}"
    return (lambda number: None), f"规则 {kind or '未知'}"


def _constant(formula: str) -> float | None:
    try:
        value = float(formula.lstrip("=").strip())
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _shown_words(shown: Shown) -> str:
    words = {
        "font": "字体颜色与底色相同，看不到",
        "painted": "数字格式设定的颜色与底色相同，看不到",
        "tiny": "字号极小，看不清",
        "blank": "显示为空白",
        "date": "显示为日期",
    }
    return words.get(shown.why, f"显示为「{shown.text}」")


def style_of(styles: bytes, xf: int, theme: bytes = b"") -> CellStyle:
    """A cell's own CellStyle from its cellXfs index."""
    entries = _cell_styles(styles, theme)
    return entries[xf] if 0 <= xf < len(entries) else CellStyle("General", None, _WHITE)


def changed_look(own: CellStyle, change: Differential) -> Look | None:
    """The Look of a cell of style ``own`` while a rule's ``change`` applies (look_of)."""
    return look_of(
        change.code if change.code is not None else own.code,
        change.font if change.font is not None else own.font,
        change.fill if change.fill is not None else own.fill,
        change.points if change.points is not None else own.points,
    )


# -- rich text: a cell whose text is in runs formatted apart (xlsx) ----------------------------

_END_OF = rb"</(?:[A-Za-z_][\w.-]*:)?"
_RUN = re.compile(_PREFIX_OF + rb"r\b" + ATTRIBUTES + rb">(.*?)" + _END_OF + rb"r>", re.DOTALL)
_RUN_PROPERTIES = re.compile(
    _PREFIX_OF + rb"rPr\b" + ATTRIBUTES + rb">(.*?)" + _END_OF + rb"rPr>", re.DOTALL
)
_RUN_TEXT = re.compile(_PREFIX_OF + rb"t\b" + ATTRIBUTES + rb">([^<]*)<")
_VERTICAL = re.compile(_PREFIX_OF + rb"vertAlign\b" + ATTRIBUTES + rb">")
_STRIKE = re.compile(_PREFIX_OF + rb"strike\b" + ATTRIBUTES + rb">")
_SIZE = re.compile(_PREFIX_OF + rb"sz\b" + ATTRIBUTES + rb">")
_OFF = ("0", "false", "off")
# Text under this size is specks, not figures anyone reads: a workbook cell's or run's font, a
# Word run (docx.py), judged alike.
TINY_POINTS = 4.0
# A row or column too small to show one digit shows none, hidden or not (a row dragged shut:
# Excel writes ht="0" without hidden="1"; dragged nearly shut, ht="1"; LibreOffice prints ###
# in a column of width 1). Excel writes a column one digit wide as width 1.71 (the digit and
# the cell's margins); under 1.25 no digit fits. A row under 3 pt shows a sliver of one at most
# (the smallest font read at all is 4 pt, TINY_POINTS). A return's narrow columns (a 序号
# column: 4 or so) and its rows (12 pt and more) are far above both. Judged alike in every
# workbook format: xlsx (sheetxml.hidden_lines), xls (biff: ROW, COLINFO), ods (its row and
# column styles, whose sizes are lengths: LibreOffice saves a width of 1 as 0.0972 in, 7 pt).
SHUT_HEIGHT_POINTS, SHUT_WIDTH = 3.0, 1.25
SHUT_WIDTH_POINTS = SHUT_WIDTH * 7.0


@dataclass(frozen=True)
class RunFormat:
    """How a run of a cell's text is formatted apart from the cell, in whatever format it came
    (an xlsx run's rPr, an .ods text style): the one thing runs are judged by (run_apart_why)."""

    raised: str | None = None  # "上标" or "下标"
    struck: bool = False
    points: float | None = None  # its font size
    colour: object = None  # as _colour gives it; None: the cell's own
    hidden: bool = False  # not displayed at all (an .ods span's text:display="none")


def run_apart_why(run: RunFormat, fill: object) -> str | None:
    """Why a run is not read as the figure shows it, on a cell of ``fill``: raised or lowered
    (a footnote mark: 「5」 and a superscript 「1」 read as 51), struck, too small to read, or
    the colour of the cell; None when it shows as the rest."""
    if run.hidden:
        return "被隐藏，看不到"
    if run.raised:
        return f"是{run.raised}"
    if run.struck:
        return "有删除线"
    if run.points is not None and run.points < TINY_POINTS:
        return "字号极小，看不清"
    if run.colour is not None and _same_colour(run.colour, fill or _WHITE):
        return "与底色同色，看不到"
    return None


def runs_apart(item: bytes, fill: object, theme: bytes = b"") -> str | None:
    """What sets runs of a shared or inline string (an ``<si>``'s or ``<is>``'s content) apart
    from the figure as read, which joins every run (run_apart_why), on a cell of ``fill`` (see
    cell_fills) in a workbook of ``theme``: 「「1」是上标」; None when every run reads as it
    shows."""
    if b"rPr" not in item:
        return None
    palette = theme_palette(theme)
    apart = []
    for run in _RUN.finditer(item):
        body = run.group(2)
        properties = _RUN_PROPERTIES.search(body)
        text = "".join(
            html_text.unescape(t.decode("utf-8", "replace")) for _, t in _RUN_TEXT.findall(body)
        )
        if properties is None or not text.strip():
            continue
        why = run_apart_why(_run_format(properties.group(2), palette), fill)
        if why:
            apart.append(f"「{text}」{why}")
    return "、".join(apart) or None


def _run_format(properties: bytes, palette: Palette) -> RunFormat:
    """An xlsx run's properties (the content of its <rPr>)."""
    vertical = _VERTICAL.search(properties)
    position = xml_attributes(vertical.group(1)).get("val", "") if vertical else ""
    strike = _STRIKE.search(properties)
    struck = strike is not None and (
        xml_attributes(strike.group(1)).get("val", "1").strip().lower() not in _OFF
    )
    size = _SIZE.search(properties)
    try:
        points = float(xml_attributes(size.group(1)).get("val", "")) if size else None
    except ValueError:
        points = None
    return RunFormat(
        raised={"superscript": "上标", "subscript": "下标"}.get(position),
        struck=struck,
        points=points,
        colour=_colour(_FONT_COLOUR, properties, palette),
    )


def _pick(items: Sequence[_Item], index: int, default: _Item) -> _Item:
    return items[index] if index < len(items) else default


def _colour(pattern: re.Pattern[bytes], element: bytes, palette: Palette) -> object:
    """The colour an element names (a font's <color>, a fill's <fgColor>): an RGB triple (a
    theme colour's from ``palette``, tint applied), or a (kind, value, tint) key comparable
    only with itself; None: automatic."""
    found = pattern.search(element)
    return None if found is None else _named_colour(found.group(1), palette)


@functools.lru_cache(maxsize=256)
def _named_colour(tag: bytes, palette: Palette) -> object:
    """The colour of a <color>/<fgColor> tag's attributes (see _colour)."""
    attributes = xml_attributes(tag)
    try:
        tint = float(attributes.get("tint") or 0)
    except ValueError:
        tint = math.nan
    base: object = None
    if "rgb" in attributes:
        digits = attributes["rgb"][-6:]
        try:
            base = (
                tuple(int(digits[i : i + 2], 16) for i in (0, 2, 4)) if len(digits) == 6 else None
            )
        except ValueError:
            return None
    elif "theme" in attributes:
        index = attributes["theme"].strip()
        if index.isdecimal() and int(index) < len(palette):
            base = palette[int(index)]
    elif attributes.get("indexed", "").strip() in _INDEXED:
        base = _INDEXED[attributes["indexed"].strip()]
    if _is_rgb(base) and math.isfinite(tint) and -1 <= tint <= 1:
        return _tinted(base, tint) if tint else base  # type: ignore[arg-type]
    if "rgb" in attributes:
        return base
    for kind in ("theme", "indexed"):
        if kind in attributes:
            return (kind, attributes[kind], attributes.get("tint", "0"))
    return None


def _tinted(rgb: tuple[int, int, int], tint: float) -> tuple[int, int, int]:
    """``rgb`` with Excel's tint applied: its HLS lightness scaled toward black (tint < 0) or
    white (tint > 0) by that share: white at -0.05 is F2F2F2 (「白色，背景 1，深色 5%」)."""
    hue, light, saturation = colorsys.rgb_to_hls(*(v / 255 for v in rgb))
    light = light * (1 + tint) if tint < 0 else light * (1 - tint) + tint
    red, green, blue = colorsys.hls_to_rgb(hue, light, saturation)
    return round(red * 255), round(green * 255), round(blue * 255)


Palette = tuple[tuple[int, int, int], ...]
# A font's or fill's theme="n", in the order Excel numbers them: Background 1, Text 1,
# Background 2, Text 2 (the theme part's lt1, dk1, lt2, dk2: Excel swaps each pair), Accent 1–6,
# Hyperlink, Followed Hyperlink. The default, for a workbook without a theme part: Office's
# (2013 on).
_THEME_SLOTS = (
    b"lt1", b"dk1", b"lt2", b"dk2", b"accent1", b"accent2", b"accent3", b"accent4",
    b"accent5", b"accent6", b"hlink", b"folHlink",
)  # fmt: skip
DEFAULT_PALETTE: Palette = (
    _WHITE, _BLACK, (0xE7, 0xE6, 0xE6), (0x44, 0x54, 0x6A), (0x44, 0x72, 0xC4),
    (0xED, 0x7D, 0x31), (0xA5, 0xA5, 0xA5), (0xFF, 0xC0, 0x00), (0x5B, 0x9B, 0xD5),
    (0x70, 0xAD, 0x47), (0x05, 0x63, 0xC1), (0x95, 0x4F, 0x72),
)  # fmt: skip
# the legacy palette's black and white (indexed 64 and 65: the window's text and background)
_INDEXED = {
    **dict.fromkeys(("0", "8", "64"), _BLACK),
    **dict.fromkeys(("1", "9", "65"), _WHITE),
}
_SCHEME_COLOUR = re.compile(_PREFIX_OF + rb"(srgbClr|sysClr)\b" + ATTRIBUTES + rb">")
_SYSTEM_COLOURS = {"windowText": "000000", "window": "FFFFFF"}


@functools.lru_cache(maxsize=32)
def theme_palette(theme: bytes) -> Palette:
    """The colours a theme part's colour scheme gives theme="0" … theme="11" (DEFAULT_PALETTE's
    where it gives none: a slot missing, or a colour of another kind)."""
    if not theme:
        return DEFAULT_PALETTE
    palette = list(DEFAULT_PALETTE)
    for index, slot in enumerate(_THEME_SLOTS):
        found = re.search(_PREFIX_OF + slot + rb"\b[^>]*>\s*", theme)
        colour = _SCHEME_COLOUR.match(theme, found.end()) if found else None
        if colour is None:
            continue
        attributes = xml_attributes(colour.group(2))
        digits = (
            attributes.get("val", "")
            if colour.group(1) == b"srgbClr"  # a system colour: as last shown, else its usual
            else attributes.get("lastClr") or _SYSTEM_COLOURS.get(attributes.get("val", ""), "")
        )
        if len(digits) == 6 and all(ch in "0123456789abcdefABCDEF" for ch in digits):
            palette[index] = (int(digits[:2], 16), int(digits[2:4], 16), int(digits[4:], 16))
    return tuple(palette)


_THEME_COLOUR = re.compile(
    _PREFIX_OF + rb"(?:color|fgColor|bgColor)\b" + LAZY_ATTRIBUTES + rb"\btheme\s*=" + ATTRIBUTES
)


@functools.lru_cache(maxsize=32)
def needs_theme(styles: bytes) -> bool:
    """Whether a styles part names a theme colour other than plain Background 1 or Text 1 (white
    and black in every theme a return uses): only then is the theme part read."""
    if styles.find(b"theme") < 0:
        return False
    for tag in _THEME_COLOUR.finditer(styles):
        attributes = xml_attributes(tag.group())
        if attributes.get("theme", "").strip() not in ("0", "1"):
            return True
        try:
            if float(attributes.get("tint") or 0) != 0:
                return True
        except ValueError:
            return True
    return False


def _fill_colour(fill: bytes, palette: Palette) -> object:
    """What a fill shows behind the text: its foreground colour when solid; a pattern's
    colours mixed as much as it covers (darkGray: three parts foreground to one of background);
    a gradient's stops mixed; else white."""
    if _GRADIENT.search(fill):
        stops = [_colour(_STOP_COLOUR, stop.group(), palette) for stop in _STOP.finditer(fill)]
        return _mixed([(stop, 1.0) for stop in stops]) if stops else _WHITE
    pattern = _PATTERN.search(fill)
    kind = xml_attributes(pattern.group(1)).get("patternType") if pattern else None
    colour = _colour(_FILL_COLOUR, fill, palette)
    if kind == "solid":
        return _BLACK if colour is None else colour
    cover = _PATTERN_COVER.get(kind or "")
    if cover is None:
        return _WHITE
    behind = _colour(_DXF_FILL_COLOUR, fill, palette)  # indexed 64, automatic: the window's white
    behind = behind if _is_rgb(behind) else _WHITE
    return _mixed([(_BLACK if colour is None else colour, cover), (behind, 1 - cover)])


# How much of a cell a pattern covers with its foreground colour.
_PATTERN_COVER = {
    "darkGray": 0.75, "mediumGray": 0.5, "lightGray": 0.25, "gray125": 0.125, "gray0625": 0.0625,
    "darkHorizontal": 0.5, "darkVertical": 0.5, "darkDown": 0.5, "darkUp": 0.5,
    "darkGrid": 0.75, "darkTrellis": 0.75, "lightHorizontal": 0.25, "lightVertical": 0.25,
    "lightDown": 0.25, "lightUp": 0.25, "lightGrid": 0.4, "lightTrellis": 0.4,
}  # fmt: skip
_GRADIENT = re.compile(_PREFIX_OF + rb"gradientFill\b")
_STOP = re.compile(_PREFIX_OF + rb"stop\b.*?</(?:[A-Za-z_][\w.-]*:)?stop>", re.DOTALL)
_STOP_COLOUR = re.compile(_PREFIX_OF + rb"color\b" + ATTRIBUTES + rb">")


def _mixed(parts: list[tuple[object, float]]) -> object:
    """The colour ``parts`` (colour, share) show together, when every colour is RGB; a colour
    otherwise named stands for itself only when it is the one part that counts."""
    rgb = [(colour, share) for colour, share in parts if _is_rgb(colour)]
    total = sum(share for _, share in rgb)
    if len(rgb) != len(parts) or not total:
        named = {colour for colour, share in parts if share}
        return named.pop() if len(named) == 1 else _WHITE
    return tuple(
        round(sum(colour[i] * share for colour, share in rgb) / total)  # type: ignore[index]
        for i in range(3)
    )


@functools.lru_cache(maxsize=256)
def _same_colour(font: object, fill: object) -> bool:
    """Whether text in ``font`` cannot be seen on ``fill``: the same colour, or RGB colours of
    a contrast ratio below _UNSEEN (white on the template's light yellow is 1.13; light grey
    D9D9D9 on white, faint but legible, 1.4; black on white 21)."""
    if _is_rgb(font) and _is_rgb(fill):
        light, dark = sorted((_luminance(font), _luminance(fill)), reverse=True)  # type: ignore[arg-type]
        return (light + 0.05) / (dark + 0.05) < _UNSEEN
    return font is not None and font == fill


_UNSEEN = 1.2


def _is_rgb(colour: object) -> bool:
    return isinstance(colour, tuple) and len(colour) == 3 and all(type(v) is int for v in colour)


def _luminance(rgb: tuple[int, int, int]) -> float:
    """Relative luminance (WCAG 2)."""
    linear = [v / 255 / 12.92 if v <= 10 else ((v / 255 + 0.055) / 1.055) ** 2.4 for v in rgb]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


# -- number formats: a small renderer of what Excel shows for a number ------------------------

_DATE_LETTERS = frozenset("yYmMdDhHsSbBeEgG")
# General as a format code spells it: Excel and WPS in Chinese write G/通用格式 (on nearly every
# cell of a workbook made there), in Japanese G/標準; its G is no era of a date
_GENERAL = ("general", "g/通用格式", "g/標準")  # compared in lower case
_CONDITION = re.compile(r"\[\s*(<=|>=|<>|<|>|=)\s*(-?[0-9.]+)\s*\]")


def _sections(code: str) -> list[str]:
    """A format's sections (positive; negative; zero; text), split at ; outside quotes."""
    sections, current, i = [], [], 0
    while i < len(code):
        ch = code[i]
        if ch == '"':
            j = code.find('"', i + 1)
            j = len(code) if j < 0 else j
            current.append(code[i : j + 1])
            i = j + 1
            continue
        if ch in "\\_*" and i + 1 < len(code):
            current.append(code[i : i + 2])
            i += 2
            continue
        if ch == "[":
            j = code.find("]", i)
            j = len(code) - 1 if j < 0 else j
            current.append(code[i : j + 1])
            i = j + 1
            continue
        if ch == ";":
            sections.append("".join(current))
            current = []
        else:
            current.append(ch)
        i += 1
    sections.append("".join(current))
    return sections


def _tokens(section: str) -> list[tuple[str, str]]:
    """(kind, text) tokens of one section: "lit" text shown as is, "ph" a digit placeholder
    (0 # ?), "dot", "comma", "pct", "exp" (E+ / E-), "general", "text" (@), "date", "elapsed"
    (an elapsed time's first unit: [h], [mm], [ss]), "frac", "dbnum" (digits in Chinese
    characters)."""
    tokens: list[tuple[str, str]] = []
    i = 0
    while i < len(section):
        ch = section[i]
        if ch == '"':
            j = section.find('"', i + 1)
            j = len(section) if j < 0 else j
            tokens.append(("lit", section[i + 1 : j]))
            i = j + 1
            continue
        if ch in "\\_*":  # an escaped character; the width of one (a space); a fill
            after = section[i + 1 : i + 2]
            # a fill repeats its character across the cell: 7 in 0*0 shows 7000…
            fill = after * 3 + "…" if after.isdigit() or after in ("+", "-", ".") else ""
            tokens.append(("lit", {"\\": after, "_": " ", "*": fill}[ch]))
            i += 2
            continue
        if ch == "[":
            j = section.find("]", i)
            j = len(section) if j < 0 else j
            inner = section[i + 1 : j]
            if inner.startswith("$"):
                tokens.append(("lit", inner[1:].split("-", 1)[0]))
            elif inner and set(inner.lower()) <= set("hms"):
                tokens.append(("elapsed", inner))  # [h] [mm] [ss]: hours (…) in all
            elif inner.lower().startswith("dbnum"):
                tokens.append(("dbnum", inner))
            i = j + 1
            continue
        elif general := next(
            (g for g in _GENERAL if section[i : i + 7].lower().startswith(g)), None
        ):
            tokens.append(("general", ""))
            i += len(general)
            continue
        elif ch in "0#?":
            tokens.append(("ph", ch))
        elif ch == ".":
            tokens.append(("dot", ch))
        elif ch == ",":
            tokens.append(("comma", ch))
        elif ch == "%":
            tokens.append(("pct", ch))
        elif ch in "Ee" and section[i + 1 : i + 2] in ("+", "-"):
            tokens.append(("exp", section[i + 1]))
            i += 2
            continue
        elif ch == "/" and any(kind == "ph" for kind, _ in tokens):
            tokens.append(("frac", ch))
        elif ch == "@":
            tokens.append(("text", ch))
        elif ch in _DATE_LETTERS or section[i : i + 5].upper() == "AM/PM":
            tokens.append(("date", ch))
        else:
            tokens.append(("lit", ch))
        i += 1
    return tokens


def _scaled(tokens: list[tuple[str, str]]) -> tuple[int, bool]:
    """(how many commas scale the number by a thousand, whether a comma groups thousands)."""
    scale, grouped = 0, False
    for k, (kind, _) in enumerate(tokens):
        if kind != "comma":
            continue
        after = next((t for t, _ in tokens[k + 1 :] if t != "comma"), None)
        before = next((t for t, _ in reversed(tokens[:k]) if t != "comma"), None)
        if before == "ph" and after == "ph":
            grouped = True
        elif before == "ph":
            scale += 1
    return scale, grouped


@functools.lru_cache(maxsize=512)
def format_may_mislead(code: str) -> bool:
    """Whether a number format may show a number as another figure or none: a section for
    positive or negative numbers without a digit placeholder (;;; hides them), a percentage,
    a scaling comma, a date or time, an exponent or fraction, a literal digit, sign or point, or
    a text section that does not show the text. A zero section may be empty or a dash."""
    if code.strip().lower() in ("", "@", *_GENERAL):
        return False
    sections = _sections(code)
    for index, section in enumerate(sections[:3]):
        tokens = _tokens(section)
        kinds = {kind for kind, _ in tokens}
        if kinds & {"pct", "date", "elapsed", "exp", "frac"} or _scaled(tokens)[0]:
            return True
        literal = "".join(text for kind, text in tokens if kind == "lit")
        if any(ch.isdigit() or ch in "+-." for ch in literal) and not (
            index > 0 and literal.strip(" ()") in ("-", "")  # a negative's sign, a zero's dash
        ):
            return True
        if not kinds & {"ph", "general", "dbnum"} and index < 2:
            return True  # positive or negative numbers shown as no figure
        if index == 1 and not ("-" in literal or "(" in literal):
            return True  # a negative shown without its sign
    return len(sections) >= 4 and "@" not in sections[3]


def _section_for(code: str, value: float) -> tuple[str, bool]:
    """The section of ``code`` that shows ``value``, and whether Excel adds a minus sign."""
    at, minus = _section_at(code, value)
    return _sections(code)[at], minus


def _section_at(code: str, value: float) -> tuple[int, bool]:
    """The index of the section of ``code`` that shows ``value`` (_section_for)."""
    sections = _sections(code)[:3]
    if any(_CONDITION.search(s) for s in sections):
        for at, section in enumerate(sections):
            found = _CONDITION.search(section)
            if found is None:
                return at, value < 0
            op, limit = found.group(1), float(found.group(2))
            if {
                "<": value < limit,
                ">": value > limit,
                "=": value == limit,
                "<=": value <= limit,
                ">=": value >= limit,
                "<>": value != limit,
            }[op]:
                return at, value < 0
        return len(sections) - 1, value < 0
    if value < 0 and len(sections) >= 2:
        return 1, False
    if value == 0 and len(sections) >= 3:
        return 2, False
    return 0, value < 0


# The colours a format section may paint its figures ([Red], Chinese Excel's and WPS's [红色]),
# and [ColorN] of the first eight of the legacy palette, as Excel names them; an .ods data
# style's own colour comes as [#rrggbb] (ods.py).
_FORMAT_COLOURS = {
    name: rgb
    for names, rgb in (
        (("black", "黑色", "color1", "颜色1"), (0, 0, 0)),
        (("white", "白色", "color2", "颜色2"), (255, 255, 255)),
        (("red", "红色", "color3", "颜色3"), (255, 0, 0)),
        (("green", "绿色", "color4", "颜色4"), (0, 255, 0)),
        (("blue", "蓝色", "color5", "颜色5"), (0, 0, 255)),
        (("yellow", "黄色", "color6", "颜色6"), (255, 255, 0)),
        (("magenta", "洋红", "洋红色", "color7", "颜色7"), (255, 0, 255)),
        (("cyan", "青色", "color8", "颜色8"), (0, 255, 255)),
    )
    for name in names
}
_BRACKETED = re.compile(r"\[\s*([^\]]*?)\s*\]")


def _section_colours(code: str) -> tuple[tuple[int, int, int] | None, ...]:
    """The colour each number section of ``code`` paints its figures (None: the font's)."""
    colours = []
    for section in _sections(code)[:3]:
        named = (_format_colour(b) for b in _BRACKETED.findall(_unquoted(section)))
        colours.append(next((c for c in named if c is not None), None))
    return tuple(colours)


def _format_colour(name: str) -> tuple[int, int, int] | None:
    if len(name) == 7 and name.startswith("#"):
        try:
            return (int(name[1:3], 16), int(name[3:5], 16), int(name[5:7], 16))
        except ValueError:
            return None
    return _FORMAT_COLOURS.get(name.lower())


def _unquoted(section: str) -> str:
    """``section`` without its quoted literals (a 「"[White]"」 is text, not a colour)."""
    return re.sub(r'"[^"]*"?', "", section)


# Digits enough for any figure a cell holds (up to 10³⁰⁸) with every % of a 255-character
# format code applied and 30 decimals shown: the default 28 failed on 9.9E+307 under 0%.
_SHOWN_DIGITS = 1_000


def show_number(code: str, value: float) -> tuple[str, str]:
    """(kind, text) of how ``code`` shows ``value``: "same" (the figure, as a person reads it:
    rounded to the decimals shown), "blank" (nothing, or a dash for a non-zero figure), "date",
    or "other" (``text``, which reads as another figure or none)."""
    from decimal import localcontext

    if not format_may_mislead(code):
        return "same", ""
    with localcontext(prec=_SHOWN_DIGITS):
        if value == 0:
            return _show_zero(code)
        return _show_number(code, value)


def _show_zero(code: str) -> tuple[str, str]:
    """How ``code`` shows 0: "same" (0, or nothing, a dash, 0%: zero either way) unless its
    section for 0 shows a figure of its own (0;-0;"3" shows 3, [=0]"5";0 shows 5)."""
    section, _ = _section_for(code, 0.0)
    literal = "".join(text for kind, text in _tokens(section) if kind == "lit")
    if not any(ch in "123456789" for ch in literal):
        return "same", ""
    kind, text = _show_number(code, 0.0)
    return (kind, text) if kind == "other" else ("same", "")


def _show_number(code: str, value: float) -> tuple[str, str]:
    from decimal import ROUND_HALF_UP, Decimal

    section, minus = _section_for(code, value)
    tokens = _tokens(section)
    kinds = {kind for kind, _ in tokens}
    if "elapsed" in kinds:
        elapsed = _show_elapsed(tokens, value)
        return ("other", elapsed) if elapsed is not None else ("date", "")
    if "date" in kinds:
        return "date", ""
    if "text" in kinds:
        return "same", ""  # a text section: a number is shown as it is
    if kinds & {"general", "dbnum"}:
        return _show_general(tokens, value, minus)
    if "frac" in kinds:
        if float(value).is_integer():
            return "same", ""
        shown = _show_fraction(tokens, value, minus)
        return ("other", shown) if shown is not None else ("other", "分数")
    scale, grouped = _scaled(tokens)
    number = Decimal(repr(abs(value))) * Decimal(100) ** sum(k == "pct" for k, _ in tokens)
    number /= Decimal(1000) ** scale
    exp_at = next((k for k, (kind, _) in enumerate(tokens) if kind == "exp"), len(tokens))
    dot_at = next((k for k, (kind, _) in enumerate(tokens[:exp_at]) if kind == "dot"), exp_at)
    integer = [k for k in range(dot_at) if tokens[k][0] == "ph"]
    decimals = [k for k in range(dot_at, exp_at) if tokens[k][0] == "ph"]
    exponent = 0
    if exp_at < len(tokens) and number:
        exponent = number.adjusted()
        step = max(len(integer), 1) if len(integer) > 1 and tokens[integer[0]][1] == "#" else 1
        exponent -= exponent % step
        number = number.scaleb(-exponent)
    rounded = number.quantize(Decimal(1).scaleb(-len(decimals)), rounding=ROUND_HALF_UP)
    whole, _, fraction = f"{rounded:f}".partition(".")
    whole = whole.lstrip("0")
    out: list[str] = ["-"] if minus else []
    for k, (kind, text) in enumerate(tokens):
        if kind == "ph" and k < dot_at:
            place = len(integer) - 1 - integer.index(k)  # digit places from the right
            digit = whole[-1 - place] if place < len(whole) else {"0": "0", "?": " "}.get(text, "")
            if k == integer[0]:
                digit = whole[: max(len(whole) - len(integer), 0)] + digit
            out.append(digit)
        elif kind == "ph" and k < exp_at:
            i = decimals.index(k)
            digit = fraction[i] if i < len(fraction) else "0"
            if text != "0" and not fraction[i:].strip("0"):
                digit = "" if text == "#" else " "
            out.append(digit)
        elif kind == "ph":
            width = sum(1 for t, _ in tokens[exp_at:] if t == "ph")
            if k == next(j for j in range(exp_at, len(tokens)) if tokens[j][0] == "ph"):
                out.append(str(abs(exponent)).rjust(width, "0"))
        elif kind == "exp":
            out.append("E" + ("-" if exponent < 0 else "+" if text == "+" else ""))
        elif kind in ("lit", "pct", "dot"):
            out.append(text)
    text = "".join(out)
    if grouped and integer:
        text = text.replace(whole, f"{int(whole or 0):,}", 1) if whole else text
    read = _reads_as(text)
    if read is None:
        return ("blank" if not text.strip() or text.strip() in _DASHES else "other"), text.strip()
    exact = Decimal(repr(value))
    if read == exact or (
        exp_at == len(tokens)
        and read == exact.quantize(Decimal(1).scaleb(-len(decimals)), rounding=ROUND_HALF_UP)
    ):
        return "same", ""
    return "other", text.strip()


def _show_general(tokens: list[tuple[str, str]], value: float, minus: bool) -> tuple[str, str]:
    """A section that shows the number as it is (General, G/通用格式, Chinese numerals) with
    what it adds: 「7」 in General"0" shows 70, in "1"General 17, in General% 700%."""
    from decimal import Decimal

    added = "".join(text for kind, text in tokens if kind == "lit")
    pct = sum(kind == "pct" for kind, _ in tokens)
    if not pct and not any(ch.isdigit() or ch in "+-." for ch in added):
        return "same", ""  # 「7件」: the figure, with words
    if any(kind == "dbnum" for kind, _ in tokens):
        return "other", "（中文数字）" + added  # digits beside Chinese numerals
    number = Decimal(repr(abs(value))) * Decimal(100) ** pct
    shown = f"{number.normalize():f}" if number == number.to_integral() else f"{number:.10g}"
    out = ["-"] if minus else []
    for kind, text in tokens:
        if kind == "general":
            out.append(shown)
        elif kind in ("lit", "pct"):
            out.append(text)
    text = "".join(out).strip()
    read = _reads_as(text)
    return ("same", "") if read == Decimal(repr(value)) else ("other", text)


def _show_fraction(tokens: list[tuple[str, str]], value: float, minus: bool) -> str | None:
    """What Excel shows for ``value`` in a fraction format: 12.5 in # ?/? is 12 1/2, in ?/? is
    25/2; a fixed denominator (# ?/8) rounds to it. None for a shape not rendered here."""
    from fractions import Fraction

    at = next(k for k, (kind, _) in enumerate(tokens) if kind == "frac")
    start = at
    while start > 0 and tokens[start - 1][0] == "ph":
        start -= 1
    below = tokens[at + 1 :]
    digits = "".join(text for _, text in below if text.isdigit())
    if start == at or not below:
        return None
    whole_part = any(kind == "ph" for kind, _ in tokens[:start])
    number = Fraction(repr(abs(value)))
    whole = int(number) if whole_part else 0
    rest = number - whole
    if below[0][0] == "lit" and digits:  # a fixed denominator
        denominator = int(digits)
        numerator = round(rest * denominator)
    else:
        places = sum(1 for kind, _ in below if kind == "ph")
        rest = rest.limit_denominator(10**places - 1)
        numerator, denominator = rest.numerator, rest.denominator
    if numerator == denominator:
        whole, numerator = whole + 1, 0
    parts = [str(whole)] if whole else []
    if numerator:
        parts.append(f"{numerator}/{denominator}")
    return ("-" if minus else "") + (" ".join(parts) or "0")


_ELAPSED_SECONDS = {"h": 3600, "m": 60, "s": 1}


def _show_elapsed(tokens: list[tuple[str, str]], value: float) -> str | None:
    """What Excel shows for ``value`` (days) in an elapsed-time format ([h], [h]:mm, [h]:mm:ss,
    [mm]:ss, [ss], with literals and decimals of a second): 10 in [h] is 240, 1.5 in [h]:mm
    is 36:00. None for any other date or time (a day, a month, AM/PM: not rendered here)."""
    from decimal import ROUND_HALF_UP, Decimal

    units: list[tuple[str, str]] = []  # hh, mm as one unit each
    for kind, text in tokens:
        if kind == "date" and units and units[-1][0] == "date" and units[-1][1][0] == text:
            units[-1] = (kind, units[-1][1] + text)
        else:
            units.append((kind, text))
    for kind, text in units:
        if kind in ("elapsed", "date") and text[0].lower() not in _ELAPSED_SECONDS:
            return None
        if kind not in ("elapsed", "date", "lit", "dot", "ph") or (kind == "ph" and text != "0"):
            return None
    if value < 0:
        return "#" * 8  # Excel cannot show a negative time: it fills the cell with #
    # Excel rounds to the fraction of a second shown, then cuts each unit from the total
    decimals = sum(1 for kind, _ in units if kind == "ph")
    seconds = (Decimal(repr(value)) * 86400).quantize(
        Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP
    )
    whole, fraction = int(seconds), f"{seconds:f}".partition(".")[2]
    out: list[str] = []
    for kind, text in units:
        if kind in ("elapsed", "date"):
            size = _ELAPSED_SECONDS[text[0].lower()]
            amount = whole // size
            if kind == "date":  # a unit inside the larger one the format shows in all
                amount %= 24 if size == 3600 else 60
            out.append(str(amount).rjust(len(text), "0"))
        elif kind == "ph":
            out.append(fraction[:1])
            fraction = fraction[1:]
        else:
            out.append(text)
    return "".join(out)


_DASHES = frozenset({"-", "--", "—", "——", "–", "/", "无"})
_SHOWN_NUMBER = re.compile(r"([+-]?)(\d+(?:\.\d*)?|\.\d+)(?:E([+-]?\d+))?")


def _reads_as(text: str):  # -> Decimal | None
    """The figure a person reads in ``text`` shown by a format: spaces, thousands separators,
    a currency sign and the cell's unit (件, 万元) aside; (5) is -5. None: no figure."""
    from decimal import Decimal

    plain = "".join(text.split()).replace(",", "").strip("¥￥$")
    for unit in ("件", "万元"):
        plain = plain.removesuffix(unit)
    negative = plain.startswith("(") and plain.endswith(")")
    if negative:
        plain = plain[1:-1]
    found = _SHOWN_NUMBER.fullmatch(plain)
    if found is None:
        return None
    number = Decimal(found.group(2)).scaleb(int(found.group(3) or 0))
    return -number if negative or found.group(1) == "-" else number


TEXT_SHOWN = "@"  # in a Shown's text: where the cell's own text is shown (show_text)


def show_text(code: str) -> tuple[str, str]:
    """(kind, text) of how ``code`` shows a text: "same" unless a fourth section without @,
    or a text section that adds digits, a sign or a point to the text (「7」 in "1"@ shows 17:
    a figure the reader would take from the text is not the one shown; TEXT_SHOWN stands for
    the text, which the reader puts in)."""
    sections = _sections(code)
    if len(sections) >= 4 and "@" not in sections[3]:
        shown = "".join(text for kind, text in _tokens(sections[3]) if kind == "lit").strip()
        return ("blank" if not shown else "other"), shown
    section = sections[3] if len(sections) >= 4 else sections[-1]
    tokens = _tokens(section)
    if not any(kind == "text" for kind, _ in tokens):
        return "same", ""
    added = "".join(text for kind, text in tokens if kind == "lit")
    if not any(ch.isdigit() or ch in "+-." for ch in added):
        return "same", ""
    return "other", "".join(
        TEXT_SHOWN if kind == "text" else text for kind, text in tokens if kind in ("lit", "text")
    )


# -- one cell's judgement, for the xlsx worksheets (sheetxml.shown_cells) and .xls (biff.py) ---


def look_of(code: str, font: object, fill: object, points: float | None = None) -> Look | None:
    """The Look of a cell style with number format ``code``, font colour ``font`` (an RGB
    triple; None: automatic, black), fill ``fill`` (an RGB triple; None: no fill, white) and
    font size ``points`` (None: not said), as cell_looks makes them for xlsx; None when the
    style shows every value as it is."""
    invisible = _same_colour(font if font is not None else _BLACK, fill or _WHITE)
    tiny = points is not None and points < TINY_POINTS
    misleads = format_may_mislead(code)
    painted = None
    if "[" in code:  # a section's own colour paints its figures instead of the font's
        unseen = tuple(
            None if colour is None else _same_colour(colour, fill or _WHITE)
            for colour in _section_colours(code)
        )
        if any(hidden is not None and hidden != invisible for hidden in unseen):
            painted = (code, unseen)
    if not (misleads or invisible or tiny or painted):
        return None
    return Look(code if misleads else None, invisible, tiny, painted)


def shown_as(look: Look, number: float | None) -> Shown | None:
    """How a cell of ``look`` shows its value (a number, or None for a text), when it differs
    from the value stored (zero shows as zero whatever the format; a text is judged only by its
    font and a fourth, text, section)."""
    shown = ("same", "")
    if number is not None and look.code is not None:
        if math.isfinite(number):
            shown = show_number(look.code, number)
    elif number is None and look.code is not None:
        shown = show_text(look.code)
    invisible, painted_away, code = look.invisible, False, look.code or ""
    if number is not None and look.painted is not None and math.isfinite(number):
        painted, unseen = look.painted
        at = _section_at(painted, number)[0]
        if at < len(unseen) and (hidden := unseen[at]) is not None:  # not the font's colour
            invisible = painted_away = hidden
            code = painted if painted_away else code
    if shown[0] == "same" and invisible:
        shown = ("painted" if painted_away else "font", "")
    elif shown[0] == "same" and look.tiny:
        shown = ("tiny", "")
    return None if shown[0] == "same" else Shown(shown[0], shown[1], code)
