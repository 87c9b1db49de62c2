"""How a data cell's content becomes a value: one explicit policy, never silent.

Every data cell of the three tables is read as what a person looking at it would understand,
and every change that was needed is reported (as a warning, grouped per table: one note lists
all the cells it concerns). The policy:

1. **Numbers** are read as numbers. A whole number is an integer (``12.0`` is ``12``). A number
   with a fractional part is kept exactly as a decimal (``2.5``); for a count this is an error
   the checker reports at that cell (V03), for an amount in 万元 it is normal. Binary noise from
   spreadsheet arithmetic is removed by keeping the 15 significant digits Excel itself shows
   (``0.30000000000000004`` is ``0.3``; ``9.9E+307`` is 99 followed by 306 zeros, not the
   float's binary tail). A number no statistics cell can hold (above 10⁹) is kept for the
   checker, which reports it at that cell (V09).
2. **Numbers typed as text** — with surrounding spaces (the seed has ``" 0"`` and ``"0 "``),
   in full-width digits (``１２``), with thousands separators (``1,234``), a full-width point
   or minus, Excel's text prefix written out (``'95``), the cell's unit after it (``81件``,
   ``2.5万元``; not ``元``, which would be 10,000 times a 万元 cell), or characters nobody
   sees (a zero-width space a web editor left, a soft hyphen) — are read as the number, and
   reported as V06 「数字格式已规范化」 at those cells. Not a direction control: an override,
   embedding or isolate (U+202A–U+202E, U+2066–U+2069) reorders what is shown (「\u202e12」
   shows 21), and so does a mark (U+200E, U+200F, U+061C) between digits (「12\u200f34」 shows
   3412), so which order the digits were meant in cannot be told: such text is kept as text,
   the control shown as 〔文字方向控制符〕 (V01), in every kind of file and workbook. A spreadsheet's own SUM leaves such
   text out, so a stored total can be short by exactly them: totals are recomputed from the
   numbers read (6.), and the note says the file's totals left them out.
3. **Blank cells** are read as blank and counted as 0 in every sum; reported as V04 「空白单元格按
   0 计」 with the advice to type 0. A cell holding only spaces is blank.
4. **Placeholders for "none"**: ``/`` ``／`` ``\\`` ``-`` ``－`` ``--`` ``—`` ``——`` ``–``
   ``―`` ``无`` ``暂无``, alone or typed more than once apart by spaces (``— —``, ``- -``), are
   read as blank, counted as 0, and reported as V05 「“/”“—”“无”等按 0 计」.
5. **Anything else** (other text, ``TRUE``/``FALSE``, a date, a negative count) is kept as
   typed (text stays text, surrounding spaces removed) and judged by the checker: text in a
   number cell is an error (V01), a negative count is an error (V02).
   A cell that reads blank but is not blank in the file is an error at that cell, never a 0:
   a formula the file holds no result for (V07: written by a program, or saved by software
   that does not calculate; opening and saving it in Excel/WPS stores the results), or an
   error value such as ``#DIV/0!`` or ``#REF!`` (V08, named as such). The grid flags them
   (grid.py ``Sheet.flags``); ``flagged`` gives their rule.
6. **Totals** (总计 cells) are read the same way but never trusted: they are recomputed from
   the other cells and a reported total that disagrees is an error. A blank total is not
   reported as V04, since it is recomputed anyway.
7. **Documents** (web page, PDF, Word, text) hold nothing but text, so there:
   a plain number (digits, a decimal point, a sign: the 2019 form's 本年增/减 prints 「+3」「-2」;
   spaces around it and characters nobody sees are layout) is simply the number, with nothing to report; digits in groups of three apart by spaces or a line break
   (``1 234``, a number wrapped in a narrow cell) are the number, V06; a number followed by a
   note in brackets (``22（其中修订16件）``) is the number, and the note is kept in a V10
   warning that quotes the cell. Digits apart in any other way (``12 3``: one number wrapped,
   or two numbers run together?) are not guessed: the text stays text (V01).
8. **What a workbook shows** (xlsx/xlsm; grid.py ``Sheet.looks``, ``Sheet.hidden_lines``): the
   value stored is read, as the sheet's own sums take it, but a figure other than 0 that the
   sheet shows as something else is an error at its cell (V13), naming what it stores and
   what it shows, since which one the unit meant cannot be told: a number format that hides
   it (``;;;``, an empty section for positive numbers), scales it (``0,`` ``0.00,,``),
   makes it a percentage (``0%``) or adds a digit of its own (``0"0"``), or a font the colour
   of the cell (white on white). Formats that show the figure as it is are silent: General,
   ``0``, ``#,##0``, decimals (rounding an amount to the places shown), the cell's unit
   (``0"件"``), spacing, colours, a sign or brackets for negatives, a dash or nothing for 0.
   A date format both engines turn into a date, which the checker's V01 names as such.
   A figure in a hidden row or column of a table is read and reported as V14 (a warning:
   hiding is done on purpose, so the figure is probably meant, but nobody sees it).
"""

from __future__ import annotations

import math
import re
from decimal import Decimal

from nianbao.form.data import Value
from nianbao.form.findings import Rule
from nianbao.sources.preflight import FORMULA_WITHOUT_RESULT
from nianbao.text import visible

PLACEHOLDERS = frozenset({"/", "\\", "-", "--", "—", "——", "–", "―", "无", "暂无"})

# Full-width digits and signs to ASCII; exotic spaces to a plain space (then stripped).
_TO_ASCII = str.maketrans(
    "０１２３４５６７８９．，－＋／＼−\u3000\u00a0\u2002\u2003\u2009\u202f\ufeff",
    "0123456789.,-+/\\-       ",
)
# ASCII digits only (full-width ones are translated first): 「৪7」 is a Bengali 4 that looks
# like an 8, and int() would read it as 47
_NUMBER = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d*)?|[+-]?\.\d+", re.ASCII)
_MAX_DIGITS = 20  # Excel keeps 15 significant digits; a few more for typed-in leading zeros
_EXACT_FLOAT = 2**53  # whole floats below this are exact integers; above, binary noise
# Excel's text prefix (typed to keep a number as text), when a program wrote it out
_TEXT_PREFIX = "'‘’"
# The units the form's cells are in, when written after the number (a count's 件, a fee's
# 万元). Not 元: a fee in 元 in a cell of 万元 is 10,000 times too large, so it stays text.
_UNITS = ("件", "万元")


def normalize(value: object, *, document: bool = False) -> tuple[Value, Rule | None]:
    """A grid cell's content -> (value, the V04/V05/V06/V10 rule it calls for, or None).

    ``value`` is what grid.py yields: None, int, float, str or bool. ``document``: the cell
    is a document's text (point 7).
    """
    kind = type(value)
    if kind is int:  # the usual figure first
        return value, None  # type: ignore[return-value]
    if value is None:
        return None, Rule.V04
    if isinstance(value, str):
        if _reorders(value):
            return _BIDI.sub(_BIDI_SAID, value.strip()), None
        return _from_document(value) if document else _from_text(value)
    if kind is float:
        return _from_float(value), None  # type: ignore[arg-type]
    if kind is bool:
        return ("TRUE" if value else "FALSE"), None
    return str(value), None


# Direction embeddings, overrides and isolates: invisible, but they reorder the text after
# them when shown (Word, LibreOffice and browsers show 「\u202e12」 as 21). A direction mark
# reorders nothing but runs it splits: 「12\u200f34」 shows 3412, 「\u200e2629」 is 2629.
_OVERRIDES = re.compile("[\u202a-\u202e\u2066-\u2069]")
_MARKS = re.compile("[\u061c\u200e\u200f]")
_BIDI = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]+")
_BIDI_SAID = "〔文字方向控制符〕"


def _reorders(text: str) -> bool:
    """Whether ``text`` has digits whose order as shown a direction control makes uncertain:
    an override, embedding or isolate anywhere, or a mark between digits. No figure is read
    from it, whatever file it comes from."""
    if text.isprintable():  # the usual cell: no control at all, in C
        return False
    digits = [match.start() for match in _DIGIT.finditer(text)]
    if not digits:
        return False
    return bool(_OVERRIDES.search(text) or _MARKS.search(text, digits[0], digits[-1]))


def may_be_number(value: object) -> bool:
    """Whether ``normalize`` could read ``value`` as a number: anything but text without a
    digit (a label, a note), which a scan of many cells can pass over without normalising."""
    return type(value) is not str or _DIGIT.search(value) is not None


# every digit a number in text can have (full-width ones too: \d is Unicode's)
_DIGIT = re.compile(r"\d")


def flagged(flag: str) -> Rule:
    """The rule for a blank the grid flagged: a formula without its result, or an error value."""
    return Rule.V07 if flag == FORMULA_WITHOUT_RESULT else Rule.V08


def _from_float(value: float) -> Value:
    if not math.isfinite(value):
        return str(value)
    if value.is_integer() and abs(value) < _EXACT_FLOAT:
        return int(value)
    return _exact(Decimal(format(value, ".15g")))


def _exact(number: Decimal) -> int | Decimal:
    if number == number.to_integral_value():
        return int(number)
    return number.normalize()


def _from_text(text: str) -> tuple[Value, Rule | None]:
    plain = visible(text).translate(_TO_ASCII).strip()
    if not plain:
        return None, Rule.V04
    if all(mark in PLACEHOLDERS for mark in plain.split()):  # 「—」, 「— —」 typed with a space
        return None, Rule.V05
    if plain[0] in _TEXT_PREFIX:
        plain = plain[1:].strip()
    unit = next((unit for unit in _UNITS if plain.endswith(unit)), "")
    if unit:  # 「81件」「5949.09万元」: the cell's own unit written out
        plain = plain[: -len(unit)].rstrip()
    # More digits than a spreadsheet number holds stays text (V01): a 5,000-digit integer
    # cannot even be printed (Python's int-to-str limit) or become a float.
    if _NUMBER.fullmatch(plain) and sum(ch.isdigit() for ch in plain) <= _MAX_DIGITS:
        return _exact(Decimal(plain.replace(",", ""))), Rule.V06
    return text.strip(), None


_PLAIN = re.compile(r"[+-]?\d+(?:\.\d+)?", re.ASCII)  # a sign too: the 2019 form's 本年增/减 「+3」
_GROUPED = re.compile(r"\d{1,3}(?:\s+\d{3})+(?:\.\d+)?", re.ASCII)
_NOTED = re.compile(r"(?P<number>[^（(]+?)\s*[（(](?P<note>[^（()）]*)[)）]", re.DOTALL)
# A note naming the figure's unit of money, other than the cells' 万元 (元, 千元, 亿元 …): the
# figure is not in the cell's unit, and stays text (V01), as 「5949元」 does. The note is
# compared without spaces, its 「（金额）单位：」 and 「人民币」: 「（单位：万元）」「（ 万元）」
# are the cell's own unit (read, V10), 「（金额单位：元）」「（人民币元）」 another.
_UNIT_LABEL = re.compile(r"(?:金额)?单位[:：为是]?")
_MONEY = re.compile(r"\D{0,3}元")


def _other_money(note: str) -> bool:
    unit = _UNIT_LABEL.sub("", "".join(note.split()), count=1).replace("人民币", "")
    return unit != "万元" and _MONEY.fullmatch(unit) is not None


def _from_document(text: str) -> tuple[Value, Rule | None]:
    plain = visible(text).translate(_TO_ASCII).strip()
    if _PLAIN.fullmatch(plain) and len(plain) <= _MAX_DIGITS:
        return _exact(Decimal(plain)), None
    if _GROUPED.fullmatch(plain) and len(plain) <= 2 * _MAX_DIGITS:
        return _exact(Decimal("".join(plain.split()))), Rule.V06
    noted = _NOTED.fullmatch(plain)
    if noted and not _other_money(noted.group("note")):
        value, _ = _from_document(noted.group("number"))
        if isinstance(value, int | Decimal):
            return value, Rule.V10
    return _from_text(text)


# -- years -----------------------------------------------------------------------------------

_CHINESE_DIGITS = str.maketrans("〇零○一二三四五六七八九", "00012345678" + "9")
_YEAR = re.compile(r"((?:19|20)[0-9][0-9])\s*(?:年度?)?")


def parse_year(value: object) -> tuple[int | None, bool]:
    """A report year as typed -> (year or None, whether it had to be normalised).

    2021, 2021.0, "2021", "2021年", "2021年度", "２０２１", "二〇二一年" all give 2021.
    """
    if type(value) is bool or value is None:
        return None, False
    if isinstance(value, int | float):
        if float(value).is_integer() and 1900 <= value <= 2100:
            return int(value), False
        return None, False
    text = str(value).translate(_TO_ASCII).translate(_CHINESE_DIGITS).strip()
    match = _YEAR.fullmatch(text)
    if match:
        return int(match.group(1)), True
    return None, False
