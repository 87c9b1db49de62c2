"""How tall a wrapped row is written (xlsx/styles.py): Excel and LibreOffice size no row of a
workbook a program wrote, so the lines a text takes are counted from its characters' widths."""

from __future__ import annotations

import math
import random
import unicodedata

from nianbao.xlsx.styles import wrapped_lines


def by_definition(text: str, width: float) -> int:
    """Each line of ``text`` in Excel column units (a wide or full-width character is 2), with
    a little to spare, over the cell's room: at least one line each."""
    room = max(width - 2.0, 2.0)
    lines = 0
    for part in text.split("\n"):
        units = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in part)
        lines += max(1, math.ceil(1.05 * units / room))
    return lines


def test_lines_are_counted_from_the_widths_of_the_characters_at_every_length_and_width():
    rng = random.Random(5)
    alphabet = "某局街道办事处ＡＢ１２ab12 -_.·（）()\n"
    widths = [2.0, 6.0, 8.0, 12.0, 16.0, 22.0, 23.0, 24.0, 26.0, 34.0, 44.0, 60.0]
    for _ in range(3_000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        width = rng.choice(widths)
        assert wrapped_lines(text, width) == by_definition(text, width), (text, width)
    # at the edge of one line: ten wide characters need 21 units with the margin
    for width in (22.0, 23.0, 23.5, 24.0):
        for text in ("街" * 10, "a" * 20, "街" * 9 + "a", "街" * 11):
            assert wrapped_lines(text, width) == by_definition(text, width), (text, width)
    assert wrapped_lines("", 10.0) == 1
