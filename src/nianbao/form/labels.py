"""When two texts are the same label of the form: the tolerance of label variants, in one place.

A label found in a file counts as an official one when their canonical forms agree, or when it
is one of the retypings seen in published reports. The canonical form: NFKC (full-width to
half-width: （）→ (), ：→ :), the unit the form's cells are in when a label names it in brackets
(「采购总金额（万元）」, 「本年收费金额（单位：万元）」: the same column with or without its unit;
never 元, which is 10,000 times another figure), then every whitespace and punctuation character
removed (line breaks inside a label, 1、 for 1., “” for "", brackets left out). The retypings:
规范性文件 for 行政规范性文件 and back (2020 reports on the 2019 form use the new term), 情况 for
情形, 内容 for 内部, the 2019 form's 本年新制作数量 / 本年新公开数量 without 新, and a typo printed
in published reports.

Here, below both, so that the sources (a PDF row cut by a page break, sources/pdf.py) and the
recogniser (recognise/labels.py, locate.py) tell labels apart the same way. Canonical forms
are cached: comparing the same text twice costs a dict lookup.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

# Official text -> how units retype it (docs/form.md, "What real reports get wrong").
RETYPINGS: tuple[tuple[str, str], ...] = (
    ("行政规范性文件", "规范性文件"),
    # the 2019 form's 规范性文件, printed with the term 2020 reports had taken up
    ("规范性文件", "行政规范性文件"),
    # the 2019 form's 表二, printed without 新
    ("本年新制作数量", "本年制作数量"),
    ("本年新公开数量", "本年公开数量"),
    ("情形", "情况"),
    ("内部", "内容"),
    # a typo printed in published reports (淮安市洪泽区 2023, 2024): 2.其他法律行政止公开
    ("法规禁止公开", "止公开"),
)

_DROP_CATEGORIES = frozenset(
    {"Zs", "Zl", "Zp", "Cc", "Cf", "Pc", "Pd", "Ps", "Pe", "Pi", "Pf", "Po"}
)


# A label's unit in brackets (after NFKC): (万元), (单位:万元), (件). Not 元. Spaces may
# stand between any two characters, as in the rest of a label (分散对齐: 「（单 位：万 元）」).
_UNIT_NOTE = re.compile(r"[(\[]\s*(?:单\s*位\s*:?\s*)?(?:万\s*元|件)\s*[)\]]")


@cache
def canonical(text: str) -> str:
    """The label with width, whitespace, punctuation and unit-note differences erased."""
    folded = _UNIT_NOTE.sub("", unicodedata.normalize("NFKC", text))
    return "".join(ch for ch in folded if unicodedata.category(ch) not in _DROP_CATEGORIES)


@cache
def accepted(official: str) -> frozenset[str]:
    """Canonical forms that count as ``official`` (the label itself and its known retypings)."""
    forms = {canonical(official)}
    for original, retyped in RETYPINGS:
        forms |= {canonical(f.replace(canonical(original), canonical(retyped))) for f in forms}
    return frozenset(forms)
