"""A street office's report with the tables of the seed report's shape (本年新收 120, 上年结转
6, 办结 113, 结转下年度 13, 行政复议 3, 行政诉讼 3) and a text to compare with them: what the
narrative sweeps build their cases on."""

from __future__ import annotations

from nianbao.checks.narrative import narrative_findings
from nianbao.form import get_form
from nianbao.form.data import Return, filled_return

FORM = get_form("2021")
STREET = "道外区水泥路街道办事处"


def report(text: str, *, unit: str = STREET, year: int = 2021, carried: int = 6) -> Return:
    """The report, ``carried`` applications carried from last year (all of them disclosed in
    part, so the tables balance whatever it is)."""
    inputs = dict.fromkeys(FORM.input_keys, 0)
    inputs.update(
        {
            "三:1:c1": 120,
            "三:2:c1": carried,
            "三:3.1:c1": 45,
            "三:3.2:c1": 68 + carried - 6,
            "三:4:c1": 13,
            "四:1:ar1": 3,
            "四:1:ld1": 2,
            "四:1:lr1": 1,
        }
    )
    ret = filled_return(FORM, inputs, unit=unit, year=year)
    ret.narrative = text
    return ret


def found(
    text: str, *, unit: str = STREET, year: int = 2021, carried: int = 6
) -> list[tuple[str, int]]:
    """The narrative findings of ``text`` in that report: (rule, the figure the text states)."""
    ret = report(text, unit=unit, year=year, carried=carried)
    return sorted((f.rule.id, f.operands["正文"]) for f in narrative_findings(ret))
