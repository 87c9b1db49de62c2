"""A1 cell names, without an Excel library (the core must not import one)."""

from __future__ import annotations

import re

_A1 = re.compile(r"^\$?([A-Z]{1,3})\$?(\d+)$")


def column_letters(col: int) -> str:
    """Zero-based column index to letters: 0 -> A, 26 -> AA."""
    letters = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def cell_name(row: int, col: int) -> str:
    """Zero-based (row, col) to an A1 name: (0, 0) -> A1."""
    return f"{column_letters(col)}{row + 1}"


def parse_cell_name(name: str) -> tuple[int, int]:
    """An A1 name to zero-based (row, col)."""
    match = _A1.match(name.upper())
    if not match:
        raise ValueError(f"not an A1 cell name: {name!r}")
    letters, digits = match.groups()
    col = 0
    for ch in letters:
        col = col * 26 + (ord(ch) - 64)
    return int(digits) - 1, col - 1


def range_name(first: tuple[int, int], last: tuple[int, int]) -> str:
    if first == last:
        return cell_name(*first)
    return f"{cell_name(*first)}:{cell_name(*last)}"
