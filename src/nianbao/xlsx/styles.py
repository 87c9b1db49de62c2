"""Cell formats of nianbao's workbooks (xlsxwriter formats are bound to one workbook).

One font family everywhere: 宋体, which Chinese Excel and WPS render and LibreOffice maps to
its CJK serif. Fills tell the filler where to type (pale yellow) and what is computed (grey);
the workbook prints in black and white, so the printout looks like the official table.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from nianbao.form.model import ValueType
from nianbao.text import text_width

FONT = "宋体"
FONT_SIZE = 11
DEFAULT_FORMAT = {"font_name": FONT, "font_size": FONT_SIZE}

INPUT_FILL = "#FFF2CC"  # pale yellow: type here
DERIVED_FILL = "#E7E6E6"  # grey: computed, locked
FAIL_FILL = "#FFC7CE"
FAIL_FONT = "#9C0006"
PASS_FONT = "#006100"

_BOX = {"border": 1, "valign": "vcenter", "text_wrap": True}


@dataclass(frozen=True)
class Styles:
    title: Any
    caption: Any
    header: Any
    note: Any
    row_label: Any
    group_label: Any
    inputs: dict[ValueType, Any]
    derived: Any
    summed: Any  # a summary's data cell: a sum, not an input
    check_label: Any
    check: Any
    check_fail: Any  # a conditional format (dxf), not a cell format
    hint: Any
    cover_title: Any
    cover_label: Any
    cover_input: Any
    cover_year: Any
    cover_fixed: Any
    cover_heading: Any
    cover_text: Any


def make_styles(workbook: Any) -> Styles:
    def fmt(**props: Any) -> Any:
        return workbook.add_format({**DEFAULT_FORMAT, **props})

    def input_format(num_format: str) -> Any:
        return fmt(**_BOX, align="center", locked=False, bg_color=INPUT_FILL, num_format=num_format)

    return Styles(
        title=fmt(bold=True, font_size=16, align="center", valign="vcenter"),
        caption=fmt(**_BOX, bold=True, align="center"),
        header=fmt(**_BOX, bold=True, align="center"),
        note=fmt(**_BOX, align="left", font_size=10),
        row_label=fmt(**_BOX, align="left", indent=1),
        group_label=fmt(**_BOX, align="center"),
        inputs={
            ValueType.COUNT: input_format("0"),
            ValueType.DELTA: input_format("0"),
            ValueType.AMOUNT: input_format("General"),
        },
        derived=fmt(**_BOX, align="center", bold=True, bg_color=DERIVED_FILL, num_format="General"),
        summed=fmt(**_BOX, align="center", num_format="General"),
        check_label=fmt(bold=True, align="right", valign="vcenter", font_size=10),
        check=fmt(
            align="center", valign="vcenter", font_size=10, font_color=PASS_FONT, shrink=True
        ),
        check_fail=workbook.add_format(
            {"bg_color": FAIL_FILL, "font_color": FAIL_FONT, "bold": True}
        ),
        hint=fmt(font_size=10, italic=True, valign="vcenter"),
        cover_title=fmt(bold=True, font_size=18, align="center", valign="vcenter"),
        cover_label=fmt(**_BOX, bold=True, align="center"),
        cover_input=fmt(**_BOX, align="left", locked=False, bg_color=INPUT_FILL, num_format="@"),
        cover_year=fmt(**_BOX, align="left", locked=False, bg_color=INPUT_FILL, num_format="0"),
        cover_fixed=fmt(**_BOX, align="left"),
        cover_heading=fmt(bold=True, font_size=12, valign="vcenter"),
        cover_text=fmt(text_wrap=True, valign="top", align="left"),
    )


def wrapped_lines(text: str, width: float) -> int:
    """Lines ``text`` takes in a wrapping cell ``width`` units wide (Excel's measure, with a
    little to spare; LibreOffice's substitute font needs fewer). Neither sizes such rows when
    a workbook written by a program is opened, so the writer sets the height."""
    if not text:
        return 1
    room = max(width - 2.0, 2.0)
    if "\n" not in text and 1.05 * (2 * len(text)) <= room:
        return 1  # no character is wider than 2: fits whatever it is (a row per unit)
    return sum(max(1, math.ceil(1.05 * text_width(part) / room)) for part in text.split("\n"))
