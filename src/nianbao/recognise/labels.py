"""Comparing a label found in a workbook with the official one, tolerant of known variants.

Three outcomes:

- ``EXACT``: the same text (surrounding spaces aside): nothing to report;
- ``VARIANT``: the same label typed differently — full- or half-width punctuation （）() ：: “”"",
  spaces or line breaks inside the label (商业\\n企业, 结果 纠正), punctuation left out or
  changed (1、 for 1.), and the retypings seen in published reports (规范性文件 for
  行政规范性文件, 情况 for 情形, 内容 for 内部): read, and reported as a warning (L02);
- ``NONE``: another label.

The comparison works on a canonical form: NFKC (full-width to half-width), then every
whitespace and punctuation character removed. Canonical forms are cached, so comparing the
same text twice costs a dict lookup.
"""

from __future__ import annotations

import unicodedata
from enum import Enum
from functools import cache

# Official text -> how units retype it (docs/form.md, "What real reports get wrong").
RETYPINGS: tuple[tuple[str, str], ...] = (
    ("行政规范性文件", "规范性文件"),
    ("情形", "情况"),
    ("内部", "内容"),
    # a typo printed in published reports (淮安市洪泽区 2023, 2024): 2.其他法律行政止公开
    ("法规禁止公开", "止公开"),
)


class Match(Enum):
    EXACT = "exact"
    VARIANT = "variant"
    NONE = "none"


_DROP_CATEGORIES = frozenset(
    {"Zs", "Zl", "Zp", "Cc", "Cf", "Pc", "Pd", "Ps", "Pe", "Pi", "Pf", "Po"}
)


@cache
def canonical(text: str) -> str:
    """The label with width, whitespace and punctuation differences erased."""
    folded = unicodedata.normalize("NFKC", text)
    return "".join(ch for ch in folded if unicodedata.category(ch) not in _DROP_CATEGORIES)


@cache
def accepted(official: str) -> frozenset[str]:
    """Canonical forms that count as ``official`` (the label itself and its known retypings)."""
    forms = {canonical(official)}
    for original, retyped in RETYPINGS:
        forms |= {canonical(f.replace(canonical(original), canonical(retyped))) for f in forms}
    return frozenset(forms)


def compare(found: object, official: str) -> Match:
    """How the cell content ``found`` relates to the label ``official``."""
    if type(found) is not str:
        return Match.EXACT if found is None and not official else Match.NONE
    if found == official or found.strip() == official:
        return Match.EXACT
    if canonical(found) in accepted(official):
        return Match.VARIANT
    return Match.NONE


def visible(text: str) -> str:
    """A label as a message shows it: line breaks made visible."""
    return text.strip().replace("\n", "（换行）")
