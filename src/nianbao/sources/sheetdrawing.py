"""What a worksheet's drawing lays over its cells (xlsx/xlsm): a text box or a filled shape
anchored over a figure covers it on screen and on the printed table, which show the box's
text (「15」 over a 12) or nothing; the cell's own figure is still what is read and summed.

Only shapes count: a text box or shape with text, or one filled (not「无填充」, not see-through);
a line, a connector, a hidden shape do not, nor a picture (a seal's image over the table lets
the figures through, as in a PDF). A shape covers every cell its anchor overlaps
(twoCellAnchor; a oneCellAnchor its first cell: its size in cells needs the sheet's column
widths). The drawing part is parsed only for a sheet that has one (sheetxml.first_look).
"""

from __future__ import annotations

import html as html_text
import re
from dataclasses import dataclass

from nianbao.sources.looks import ATTRIBUTES, xml_attributes


@dataclass(frozen=True)
class Cover:
    """A shape over the cells top..bottom × left..right (zero-based, inclusive), and what it is
    in Chinese (「文本框「15」」, 「不透明的图形」)."""

    top: int
    left: int
    bottom: int
    right: int
    what: str

    def covers(self, row: int, col: int) -> bool:
        return self.top <= row <= self.bottom and self.left <= col <= self.right


_PREFIX = rb"(?:[A-Za-z_][\w.-]*:)?"
_END = rb"</" + _PREFIX
_ANCHOR = re.compile(
    rb"<" + _PREFIX + rb"(twoCellAnchor|oneCellAnchor)\b[^>]*>(.*?)" + _END + rb"\1>", re.DOTALL
)
_CORNER = re.compile(rb"<" + _PREFIX + rb"(from|to)>(.*?)" + _END + rb"\1>", re.DOTALL)
_PLACE = re.compile(rb"<" + _PREFIX + rb"(col|colOff|row|rowOff)>\s*(-?[0-9]{1,12})\s*<")
_SHAPE = re.compile(rb"<" + _PREFIX + rb"sp\b[^>]*>(.*?)" + _END + rb"sp>", re.DOTALL)
_NAMING = re.compile(rb"<" + _PREFIX + rb"cNvPr\b" + ATTRIBUTES + rb">")
_SHAPE_PROPERTIES = re.compile(
    rb"<" + _PREFIX + rb"spPr\b[^>]*>(.*?)" + _END + rb"spPr>", re.DOTALL
)
_OUTLINE = re.compile(
    rb"<" + _PREFIX + rb"ln\b[^>]*/>|<" + _PREFIX + rb"ln\b.*?" + _END + rb"ln>", re.DOTALL
)
_FILLED = re.compile(rb"<" + _PREFIX + rb"(solidFill|gradFill|blipFill|pattFill|noFill)\b")
_SEE_THROUGH = re.compile(rb"<" + _PREFIX + rb"alpha\b" + ATTRIBUTES + rb">")
_STYLE_FILL = re.compile(rb"<" + _PREFIX + rb"fillRef\b" + ATTRIBUTES + rb">")
_LINE_GEOMETRY = re.compile(rb"""prst\s*=\s*["'](?:line|straightConnector1)["']""")
_TEXT = re.compile(rb"<" + _PREFIX + rb"t\b[^>]*>([^<]*)<")
# A fill under this opacity (Excel's 透明度 over 10%) lets the figure show through.
_OPAQUE = 90_000
_MAX_COVERS = 1_000  # a drawing of more shapes is no return's: the first ones are told


def covers(drawing: bytes) -> list[Cover]:
    """The shapes of a drawing part that cover cells, in its order."""
    found: list[Cover] = []
    for anchor in _ANCHOR.finditer(drawing):
        corners = {m.group(1): _place(m.group(2)) for m in _CORNER.finditer(anchor.group(2))}
        start = corners.get(b"from")
        if start is None:
            continue
        top, left = start[0], start[1]
        bottom, right = top, left
        end = corners.get(b"to") if anchor.group(1) == b"twoCellAnchor" else None
        if end is not None:  # a corner on a cell's edge (no offset) does not reach into it
            bottom = max(top, end[0] - (end[2] == 0))
            right = max(left, end[1] - (end[3] == 0))
        for shape in _SHAPE.finditer(anchor.group(2)):
            what = _covering(shape.group(1))
            if what is not None:
                found.append(Cover(top, left, bottom, right, what))
                break
        if len(found) >= _MAX_COVERS:
            break
    return found


def _place(corner: bytes) -> tuple[int, int, int, int] | None:
    """(row, col, row offset, col offset) of an anchor's corner; None when one is missing."""
    values = {m.group(1): int(m.group(2)) for m in _PLACE.finditer(corner)}
    if b"row" not in values or b"col" not in values:
        return None
    return (
        max(values[b"row"], 0),
        max(values[b"col"], 0),
        values.get(b"rowOff", 0),
        values.get(b"colOff", 0),
    )


def _covering(shape: bytes) -> str | None:
    """What a shape (an <sp>'s content) shows over the cells under it: its text, or 「不透明的
    图形」 when it is filled; None when the figure shows through (no fill, see-through, a
    line, hidden)."""
    naming = _NAMING.search(shape)
    if naming and xml_attributes(naming.group(1)).get("hidden", "").lower() in ("1", "true"):
        return None
    properties = _SHAPE_PROPERTIES.search(shape)
    own = _OUTLINE.sub(b"", properties.group(1)) if properties else b""
    if _LINE_GEOMETRY.search(own):
        return None
    text = "".join(
        html_text.unescape(t.decode("utf-8", "replace")) for t in _TEXT.findall(shape)
    ).strip()
    if text:
        return f"文本框「{text[:20]}{'…' if len(text) > 20 else ''}」"
    return "不透明的图形" if _filled(own, shape) else None


def _filled(own: bytes, shape: bytes) -> bool:
    """Whether a shape's own properties (outline aside) or, where they say none, its style fill
    it opaquely."""
    fill = _FILLED.search(own)
    if fill is not None:
        if fill.group(1) == b"noFill":
            return False
        alpha = _SEE_THROUGH.search(own)
        if alpha is None:
            return True
        value = xml_attributes(alpha.group(1)).get("val", "100000").rstrip("%")
        try:
            return float(value) >= _OPAQUE
        except ValueError:
            return True
    style = _STYLE_FILL.search(shape)
    return style is not None and xml_attributes(style.group(1)).get("idx", "0").strip() != "0"
