"""How names, numbers and lists read to a person: one policy each, used everywhere.

- ``unit_key``: when two spellings of a unit name are the same unit (merge duplicates, roster
  matching, ``--previous`` folders, submission status all use it);
- ``code_key``: when two spellings of a 单位代码 are the same code;
- ``shown_name``: a file name (or a text holding one) whose bytes are not UTF-8, as a person
  reads it: the one way such a name is shown, on the terminal and in every file written;
- ``clean``: text from a file made safe for a terminal or a one-line message;
- ``visible``: text from a file without its invisible characters, for a document;
- ``show_value``: a cell value as a message shows it;
- ``listed``: "the first N, 等 M 个" — the one way a long list is cut;
- ``text_width``: how wide a text prints (CJK and full-width characters count double).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from decimal import Context, Decimal
from functools import cache, lru_cache

_SPACES = re.compile(r"\s+")
_SHOWN_TEXT = 30  # characters of a text value quoted in a message
LIST_LIMIT = 6  # items named before "等 N 个"


# The 填报单位 of a summary made without a name (merge --name not given, no roster parent): two
# such summaries are not one unit's, though their names are the same
DEFAULT_SUMMARY_NAME = "汇总"


# Remembered: a merge asks for each member's key several times (status, duplicates, order).
@lru_cache(maxsize=1 << 18)
def unit_key(name: str | None) -> str:
    """A unit name as compared: full/half-width folded (NFKC: （）→(), １→1, U+3000 → space),
    invisible characters and every kind of white space removed.

    Invisible means every control and format character (the same ones ``clean`` shows as �):
    zero-width spaces and joiners, soft hyphen, BOM, direction marks and overrides. A unit name
    copied from a web page or WeChat often carries one.

    Nothing else is normalised: 水泥路街道 and 水泥路街道办事处 are different units.
    """
    folded = unicodedata.normalize("NFKC", name or "")
    return _SPACES.sub("", visible(folded))


def code_key(code: str | None) -> str:
    """A 单位代码 as compared: width folded, spaces removed (「２３０１ ０４」 = 「230104」), and a
    code of digits without its leading zeros: Excel keeps a code typed into a number cell as a
    number, 001 shown and 1 stored, so a roster (and the templates issued from it) may say 1
    where another copy of it says 001."""
    key = "".join(unicodedata.normalize("NFKC", code or "").split())
    return (key.lstrip("0") or "0") if key.isascii() and key.isdigit() else key


def visible(text: str) -> str:
    """``text`` without the characters nobody sees: control and format characters (escape
    sequences, bells, zero-width spaces, direction marks), keeping tabs and line breaks.

    For text from a file that goes into a document (Word's XML cannot hold a control
    character) or into a file name (a direction override would show the suffix reversed).
    """
    if text.isprintable():  # no character of those categories at all: the usual name, in C
        return text
    return "".join(ch for ch in text if ch in "\t\n\r" or not _hidden(ch))


# os.fsdecode keeps the bytes of a file name that are not UTF-8 (a Windows zip unpacked on
# Linux: GBK) as lone surrogates U+DC80–U+DCFF, which no UTF-8 file or terminal can hold; a
# pair of GBK bytes that happens to be valid UTF-8 (D6 B5 of 「街道」) comes out as a character
# between them. One name's bytes: from its first escaped byte to its last, not across the
# marks that set a name apart in a message (a path's /, 「」, （）, ：, spaces), and one ASCII
# byte after it (GBK's second byte may be 0x40–0x7E: 「丂」 is 81 40).
_APART = "\\s/\"'「」『』（）《》：，、；。"
_NAME_BYTES = re.compile(
    f"[\udc80-\udcff](?:[^{_APART}]*[\udc80-\udcff])?[\x40-\x7e]?|[\ud800-\udfff]+"
)


def shown_name(text: str) -> str:
    """``text`` with the bytes of a file name that are not UTF-8 shown as a person reads them:
    as GB18030 (GBK's superset: by far the most common such name in China) where they decode
    cleanly, else as U+FFFD (as a UTF-8 decoder shows them); a lone surrogate of any other
    origin as U+FFFD. Everything else is left as it is."""
    if text.isprintable():  # no surrogate at all: the usual name, in C
        return text
    return _NAME_BYTES.sub(_name_bytes, text)


def _name_bytes(run: re.Match[str]) -> str:
    try:
        data = run.group().encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # a lone surrogate that stands for no byte of a name
        return "\ufffd" * len(run.group())
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        return data.decode("utf-8", "replace")
    # a byte pair in GB18030's user-defined areas decodes to a private-use character: no name
    return text if text.isprintable() else data.decode("utf-8", "replace")


def clean(text: str, *, lines: bool = False) -> str:
    """Text safe for a terminal, on one line: control and format characters from a file's
    contents or name (escape sequences, bells, direction overrides) are shown as �.

    ``lines``: keep line breaks (a message of several lines), cleaning each line.
    """
    if lines:
        return "\n".join(clean(line) for line in text.split("\n"))
    text = text.replace("\n", " ")
    if text.isprintable():
        return text
    text = shown_name(text)
    return "".join("�" if _hidden(ch) else ch for ch in text)


def _hidden(ch: str) -> bool:
    # str.isprintable() is False for every character this is True for (and for spaces other
    # than U+0020), which is what lets visible() and clean() skip it for ordinary text.
    return unicodedata.category(ch)[0] == "C" or unicodedata.category(ch) in ("Zl", "Zp")


# Beyond this a number is shown as Excel shows it, 9.9E+307, not as its 308 digits.
_PLAIN_BELOW = 10**15


def show_value(value: object) -> str:
    """A value as a message shows it: numbers plainly (huge ones as 9.9E+307), text on one line
    and cut when long."""
    if isinstance(value, int | Decimal | float) and not isinstance(value, bool):
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        if number.is_finite() and abs(number) >= _PLAIN_BELOW:
            return str(number.normalize(Context(prec=15)))  # Excel's 15 significant digits
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value.is_finite() else str(value)
    text = " ".join(str(value).split()) if isinstance(value, str) else str(value)
    text = clean(text)
    return text if len(text) <= _SHOWN_TEXT else text[: _SHOWN_TEXT - 1] + "…"


def listed(
    items: Sequence[str], *, limit: int = LIST_LIMIT, measure: str = "个", sep: str = "、"
) -> str:
    """「甲、乙、丙 等 9 个」: the first ``limit`` items, and the count when some are left out."""
    shown = sep.join(items[:limit])
    return shown + (f" 等 {len(items)} {measure}" if len(items) > limit else "")


def text_width(text: str) -> float:
    """Width in Excel column units: CJK and full-width characters count double."""
    if text.isascii():
        return float(len(text))
    # Per character through a cache: 报送情况 sizes a row for each of thousands of units.
    return float(sum(map(_char_width, text)))


@cache
def _char_width(ch: str) -> int:
    return 2 if unicodedata.east_asian_width(ch) in "WF" else 1
