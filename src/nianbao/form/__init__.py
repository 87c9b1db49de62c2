"""The statutory form, one module per vintage.

>>> from nianbao.form import form_for_year
>>> form_for_year(2023).vintage
'2021'
"""

from __future__ import annotations

from nianbao.form.model import Block, Cell, Form, Header, Table, ValueType
from nianbao.form.v2019 import FORM as FORM_2019
from nianbao.form.v2021 import FORM as FORM_2021
from nianbao.form.v2021 import ONE_ROW_OTHER

FORMS: dict[str, Form] = {f.vintage: f for f in (FORM_2021, FORM_2019)}
VINTAGES = tuple(FORMS)
# Readable departures from a vintage (never recognised on their own, never templated).
VARIANTS: dict[tuple[str, str], Form] = {(f.vintage, f.variant): f for f in (ONE_ROW_OTHER,)}


def get_form(vintage: str, variant: str = "") -> Form:
    if variant:
        try:
            return VARIANTS[vintage, variant]
        except KeyError:
            raise ValueError(f"未知的表式变体「{vintage}/{variant}」") from None
    try:
        return FORMS[vintage]
    except KeyError:
        raise ValueError(f"未知的表式版本「{vintage}」，可选：{'、'.join(VINTAGES)}") from None


def form_for_year(year: int) -> Form:
    """The vintage in force for a report year: 2019 and 2020 → 2019版, 2021 on → 2021版."""
    for form in FORMS.values():
        if form.covers_year(year):
            return form
    raise ValueError(f"报告年度 {year} 早于《政府信息公开工作年度报告格式》的适用年度（2019年起）")


__all__ = [
    "FORMS",
    "VARIANTS",
    "VINTAGES",
    "Block",
    "Cell",
    "Form",
    "Header",
    "Table",
    "ValueType",
    "form_for_year",
    "get_form",
]
