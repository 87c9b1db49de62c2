"""Comparing a label found in a workbook with the official one, tolerant of known variants.

Three outcomes:

- ``EXACT``: the same text (surrounding spaces aside): nothing to report;
- ``VARIANT``: the same label typed differently — full- or half-width punctuation （）() ：: “”"",
  spaces or line breaks inside the label (商业\\n企业, 结果 纠正), punctuation left out or
  changed (1、 for 1.), the cells' unit named in brackets or not (「采购总金额（万元）」; never 元),
  and the retypings seen in published reports (规范性文件 for 行政规范性文件 and back, 情况 for
  情形, 内容 for 内部, 本年制作数量 for the 2019 form's 本年新制作数量): read, and reported as a
  warning (L02);
- ``NONE``: another label.

The comparison works on the canonical form of form/labels.py (NFKC, then every whitespace and
punctuation character removed) and its known retypings: the one tolerance of variants, shared
with the sources below (a PDF row cut by a page break).
"""

from __future__ import annotations

from enum import Enum

from nianbao.form.labels import RETYPINGS, accepted, canonical

__all__ = ["RETYPINGS", "Match", "accepted", "canonical", "compare", "visible"]


class Match(Enum):
    EXACT = "exact"
    VARIANT = "variant"
    NONE = "none"


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
