"""Valid returns with random figures, built from the form (for validation and CLI tests)."""

from __future__ import annotations

import random
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any

from nianbao.form.a1 import cell_name
from nianbao.form.common import ROW_CARRIED_IN, ROW_CARRIED_OUT, ROW_NEW
from nianbao.form.data import Return, filled_return
from nianbao.form.findings import Finding, Rule
from nianbao.form.layout import COVER_FIELDS, COVER_VALUE_COL
from nianbao.form.model import Form, ValueType


def balanced_inputs(form: Form, rng: random.Random, high: int = 9) -> dict[str, int | Decimal]:
    """Random inputs for which every balance holds: 结转下年度 = 新收 + 结转 − 办理结果 (≥ 0)."""
    inputs: dict[str, int | Decimal] = {}
    for key in form.input_keys:
        cell = form.cell(key)
        if cell.value_type is ValueType.AMOUNT:
            inputs[key] = Decimal(rng.randint(0, 999)) / 100
        elif cell.value_type is ValueType.DELTA:
            inputs[key] = rng.randint(-high, high)
        else:
            inputs[key] = rng.randint(0, high)
    table = form.table("三")
    outcome_rows = [r for r in table.blocks[0].row_leaves if r.code.startswith("3.")]
    for column in table.blocks[0].column_leaves:
        if f"三:{ROW_NEW}:{column.code}" not in inputs:
            continue  # the 总计 column is derived
        handled = sum(inputs.get(f"三:{r.code}:{column.code}", 0) for r in outcome_rows)
        new = inputs[f"三:{ROW_NEW}:{column.code}"]
        carried_in = inputs[f"三:{ROW_CARRIED_IN}:{column.code}"]
        if new + carried_in < handled:
            new = inputs[f"三:{ROW_NEW}:{column.code}"] = (
                handled - carried_in + rng.randint(0, high)
            )
        inputs[f"三:{ROW_CARRIED_OUT}:{column.code}"] = new + carried_in - handled
    return inputs


def valid_return(form: Form, seed: int = 0, **attributes: object) -> Return:
    """A valid return: balanced figures, every total computed, unit and a year of the vintage."""
    attributes.setdefault("unit", f"测试单位{seed}")
    attributes.setdefault("year", form.years[0] + 1 if form.years[1] is None else form.years[1])
    return filled_return(form, balanced_inputs(form, random.Random(seed)), **attributes)


def written_template(path: Path) -> Path:
    """A 2021-form template return written by nianbao, filled with valid figures (a street
    office's, 2024): what the checks of what a cell shows start from."""
    from nianbao.form import get_form
    from nianbao.xlsx.writer import write_return

    form = get_form("2021")
    write_return(path, form, valid_return(form, seed=3, unit="水泥路街道", year=2024))
    return path


def inputs_of(ret: Return) -> dict[str, object]:
    return {key: ret.values[key] for key in ret.form.input_keys}


def consistent_previous(ret: Return) -> Return:
    """Last year's return that agrees with ``ret`` on every cross-year rule of the form: each
    rule's last-year term is solved for from the rule itself, not re-derived here."""
    form = ret.form
    last = dict(inputs_of(ret))
    for eq in form.cross_year:
        (term,) = [t for t in (*eq.lhs, *eq.rhs) if t.last_year]
        gap = eq.residual(ret.values, last)
        last[term.key] = last[term.key] + (gap if term in eq.rhs else -gap)
    return filled_return(form, last, unit=ret.unit, year=ret.year - 1, source="上年.xlsx")


def cover_a1(key: str) -> str:
    """Where nianbao's 封面 holds a field's value (unit, year, …)."""
    field = next(f for f in COVER_FIELDS if f.key == key)
    return cell_name(field.row, COVER_VALUE_COL)


def folder_with_a_copy(parent: Path, unit: str, year: int, seed: int = 1) -> Path:
    """收回/ holding ``unit``'s return and a copy of it (「某局(1).xlsx」, as a second download
    or a resend saves it): one unit, two returns with the same figures."""
    import shutil

    from nianbao.form import get_form
    from nianbao.xlsx.writer import write_return

    folder = parent / "收回"
    folder.mkdir()
    form = get_form("2021")
    write_return(folder / f"{unit}.xlsx", form, valid_return(form, seed=seed, unit=unit, year=year))
    shutil.copy(folder / f"{unit}.xlsx", folder / f"{unit}(1).xlsx")
    return folder


def carried_inputs(
    form: Form, new: int = 3, carried_in: int = 1, carried_out: int = 1
) -> dict[str, int | Decimal]:
    """Every input 0 but 表三's, per applicant column (c1 … c6): 新收 + 上年结转 = 予以公开 +
    结转下年度, the figures the cross-year checks (X1, X3) compare."""
    values: dict[str, int | Decimal] = dict.fromkeys(form.input_keys, 0)
    for column in ("c1", "c2", "c3", "c4", "c5", "c6"):
        values[f"三:1:{column}"] = new
        values[f"三:2:{column}"] = carried_in
        values[f"三:3.1:{column}"] = new + carried_in - carried_out
        values[f"三:4:{column}"] = carried_out
    return values


@contextmanager
def edited_copy(template: Path, path: Path, *, rich_text: bool = False) -> Iterator[Any]:
    """``template`` copied to ``path`` and opened with openpyxl (the workbook, to edit in the
    block); saved to ``path`` when the block ends. The template itself is never changed."""
    import openpyxl

    shutil.copy(template, path)
    book = openpyxl.load_workbook(path, rich_text=rich_text)
    yield book
    book.save(path)


def notes_of(ret: Return, *rules: Rule) -> list[Finding]:
    """The reading notes of ``ret`` under ``rules``, in order."""
    return [note for note in ret.notes if note.rule in rules]
