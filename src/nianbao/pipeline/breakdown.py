"""A nianbao summary's members, read back from its 分单位明细 sheet (the sheet
``xlsx.summary`` writes): for every summary read (its members' names, for M01 across summaries,
and M10: its tables against the sum of its members), for last year's summary given to
``--previous``, and for a summary compared with another (``--compare``)."""

from __future__ import annotations

import os
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from nianbao.form.data import Number, Return, Value, complete, numeric
from nianbao.form.findings import Finding, Rule
from nianbao.form.model import Form
from nianbao.text import show_value

Rows = list[list[Any]]


def _summary_sheets(path: str | os.PathLike[str], *names: str) -> dict[str, Rows] | None:
    """The rows of the sheets ``names`` of the workbook at ``path`` ([] for a sheet it lacks);
    None when the file cannot be read. It goes through the same preflight as any return."""
    from nianbao.sources.grid import GridError, open_grid
    from nianbao.sources.preflight import UnreadableFile, inspect

    try:
        inspected = inspect(path)
        with open_grid(path, "calamine", inspected.fmt, inspected) as grid:
            found = {name: grid.get(name) for name in names}
            return {name: sheet.rows if sheet else [] for name, sheet in found.items()}
    except (UnreadableFile, GridError):
        return None


def read_breakdown(
    path: str | os.PathLike[str],
    form: Form,
    *,
    year: int | None = None,
    not_counted: list[tuple[str, str]] | None = None,
) -> list[Return] | None:
    """The members listed in ``path``'s 分单位明细, of the summary's ``year``; None when the
    file cannot be read or the sheet is absent or not in the layout nianbao writes (its two
    header rows, a row per member, the 合计 row last: a summary too large for one sheet has a
    note instead).
    ``not_counted``, when given, receives the units its 报送情况 lists as not counted
    (``not_counted``), read in the same pass over the file."""
    from nianbao.xlsx.summary import BREAKDOWN_SHEET, STATUS_SHEET

    names = (BREAKDOWN_SHEET,) if not_counted is None else (BREAKDOWN_SHEET, STATUS_SHEET)
    sheets = _summary_sheets(path, *names)
    if sheets is None:
        return None
    if not_counted is not None:
        not_counted.extend(units_not_counted(sheets[STATUS_SHEET]))
    return _members(path, sheets[BREAKDOWN_SHEET], form, year)


def _members(
    path: str | os.PathLike[str], rows: Rows, form: Form, year: int | None
) -> list[Return] | None:
    from nianbao.recognise.normalize import normalize
    from nianbao.xlsx.summary import (
        BREAKDOWN_SHEET,
        INCLUDES_HEADING,
        TAIL_HEADINGS,
        TOTAL_LABEL,
        column_headings,
    )

    width = len(form.cells)
    if len(rows) < 3 or [
        rows[1][1 + k] if 1 + k < len(rows[1]) else None for k in range(width)
    ] != [*column_headings(form)]:
        return None
    # The 合计 row closes the members; without one the sheet lists none (the note written
    # instead of more rows than a sheet holds), and a note is no member.
    total_at = next(
        (i for i in range(len(rows) - 1, 1, -1) if rows[i] and rows[i][0] == TOTAL_LABEL), None
    )
    if total_at is None:
        return None
    tail = {str(rows[0][c]): c for c in range(1 + width, len(rows[0])) if rows[0][c]}
    members: list[Return] = []
    for line in rows[2:total_at]:
        unit = line[0] if line else None
        if not isinstance(unit, str) or unit == TOTAL_LABEL:
            continue
        values = {}
        for k, cell in enumerate(form.cells):
            raw = line[1 + k] if 1 + k < len(line) else None
            values[cell.key] = normalize(raw)[0]
        inputs = {key: values[key] for key in form.input_keys}

        def text(heading: str, line: list = line) -> str | None:
            c = tail.get(heading)
            value = line[c] if c is not None and c < len(line) else None
            return None if value is None else str(value)

        includes = text(INCLUDES_HEADING)
        members.append(
            Return(
                form=form,
                values=dict(complete(form, inputs)),
                unit=unit,
                year=year,  # a member's figures are of its summary's year
                parent=text(TAIL_HEADINGS[0]),
                code=text(TAIL_HEADINGS[1]),
                source=f"{path}（{BREAKDOWN_SHEET}）",
                counted_names=(
                    tuple(name for name in includes.split("\n") if name.strip())
                    if includes
                    else None
                ),
            )
        )
    return members


def read_members(path: str | os.PathLike[str], summary: Return) -> list[Return] | None:
    """``summary``'s members from the 分单位明细 of ``path`` (the file it was read from), with
    what they tell about it: its ``member_names``, and M10 in its notes at each cell where its
    tables differ from the sum of its members. None when the file has no breakdown nianbao can
    read: M11 (a warning) says that neither could be checked. And M12 (a warning) when its
    报送情况 lists units it does not count. A second pass over the file: only summaries pay
    it."""
    left_out: list[tuple[str, str]] = []
    members = read_breakdown(path, summary.form, year=summary.year, not_counted=left_out)
    if left_out:
        summary.notes.append(_incomplete(summary, left_out))
    if members is None:
        summary.notes.append(_unchecked(summary))
        return None
    summary.member_names = tuple(m.unit or "" for m in members)
    summary.member_codes = tuple(m.code or "" for m in members)
    if any(m.counted_names is not None for m in members):
        summary.counted_names = tuple(name for m in members for name in m.units_counted())
    summary.notes.extend(breakdown_findings(summary, members))
    return members


def breakdown_findings(summary: Return, members: Sequence[Return]) -> list[Finding]:
    """M10 (an error) at each input cell of ``summary`` that is not the sum of ``members`` (its
    分单位明细): a summary written by merge equals it cell for cell, so one that differs was
    changed by hand afterwards, in its tables or in its breakdown, and contradicts itself.

    Input cells only: a summary's totals are recomputed from them (a reported total that
    differs is E3/E4/E5's). A cell holding text is V01's (an error already)."""
    from nianbao.xlsx.summary import BREAKDOWN_SHEET

    form = summary.form
    found: list[Finding] = []
    for key in form.input_keys:
        reported = summary.values.get(key)
        if isinstance(reported, str):
            continue
        total: Number = sum((numeric(m.values.get(key)) for m in members), 0)
        if _same(numeric(reported), total):
            continue
        cell = form.cell(key)
        sheet, a1 = summary.location(key)
        difference = numeric(reported) - total
        found.append(
            Finding(
                Rule.M10,
                f"{cell.description}：汇总表填报 {_shown(reported)}，但本表「{BREAKDOWN_SHEET}」所列 "
                f"{len(members)} 个单位之和为 {show_value(total)}，相差 {show_value(difference)}。"
                "汇总表与它自己的分单位明细矛盾，多半是生成后被手工改动过（统计表或分单位明细）："
                "汇总表不能手工修改，请用 nianbao merge 从各单位的报表重新生成。",
                sheet=sheet,
                cells=(a1,),
                operands={
                    "汇总表": numeric(reported),
                    "分单位明细之和": total,
                    "差额": difference,
                    "单位数": len(members),
                },
            )
        )
    return found


def _unchecked(summary: Return) -> Finding:
    from nianbao.xlsx.summary import BREAKDOWN_SHEET

    return Finding(
        Rule.M11,
        f"这份汇总表（{summary.unit or '未填单位'}，{summary.members} 个单位的合计）没有 nianbao 能读取的"
        f"「{BREAKDOWN_SHEET}」（工作表已删除或表头被改动，或单位太多而从略），无法核对统计表是否等于"
        "各单位之和，再汇总时也无法核对它与其他汇总表有没有相同的单位。请确认它没有被手工改动、"
        "与一同汇总的汇总表没有重复的单位；最好用 nianbao merge 从各单位的报表重新生成。",
        operands={"unit": summary.unit, "members": summary.members},
    )


def units_not_counted(rows: Rows) -> list[tuple[str, str]]:
    """(unit, status) of each unit the 报送情况 sheet of a summary lists as not counted in it:
    not reported, blank, with errors (left out by ``--skip-invalid``), unreadable, or a roster
    unit whose file was no return. Rows under the heading row nianbao writes; none for a sheet
    in another layout."""
    from nianbao.checks.status import BLANK, ERRORS, MISSING, NOT_READ, UNREADABLE
    from nianbao.form.layout import STATUS_HEADINGS
    from nianbao.xlsx.summary import NOT_A_RETURN, UNKNOWN_UNIT

    heading = next(
        (
            i
            for i, line in enumerate(rows[:3])
            if tuple(line[: len(STATUS_HEADINGS)]) == STATUS_HEADINGS
        ),
        None,
    )
    if heading is None:
        return []
    unit_at, status_at, file_at = (
        STATUS_HEADINGS.index(heading) for heading in ("单位名称", "状态", "文件")
    )
    left_out = []
    for line in rows[heading + 1 :]:
        unit, word, file = (
            line[c] if c < len(line) else None for c in (unit_at, status_at, file_at)
        )
        if word not in (MISSING, BLANK, ERRORS, UNREADABLE, NOT_READ) or unit == NOT_A_RETURN:
            continue  # counted; or a file that is neither a return nor a roster unit's
        if unit == UNKNOWN_UNIT or not isinstance(unit, str) or not unit.strip():
            unit = f"文件 {Path(str(file)).name}" if file else UNKNOWN_UNIT
        left_out.append((unit.strip(), str(word)))
    return left_out


_LISTED = 10


def _incomplete(summary: Return, left_out: Sequence[tuple[str, str]]) -> Finding:
    from nianbao.xlsx.summary import STATUS_SHEET

    by_status: dict[str, list[str]] = {}
    for unit, word in left_out:
        by_status.setdefault(word, []).append(unit)
    listed = "；".join(
        f"{word}：{'、'.join(units[:_LISTED])}{f' 等 {len(units)} 个' if len(units) > _LISTED else ''}"
        for word, units in by_status.items()
    )
    return Finding(
        Rule.M12,
        f"这份汇总表（{summary.unit or '未填单位'}）汇总时有 {len(left_out)} 个单位没有计入（{listed}），"
        f"统计表的数字只是其余 {summary.members} 个单位的合计，不是全部单位的（见本表「{STATUS_SHEET}」）。"
        "上报或发布前请补齐这些单位的报表，再用 nianbao merge 重新汇总；确实不应计入的，请在报告中说明。",
        sheet=STATUS_SHEET,
        operands={"unit": summary.unit, "left_out": len(left_out), "members": summary.members},
    )


def _same(reported: Number, total: Number) -> bool:
    """Whether a summary's cell holds ``total``: exactly, or for amounts (万元) as the float a
    workbook stores it keeps 15 significant digits (the summary's cell and each member's were
    written as floats and read back)."""
    if reported == total:
        return True
    if isinstance(reported, Decimal) or isinstance(total, Decimal):
        return format(float(reported), ".15g") == format(float(total), ".15g")
    return False


def _shown(value: Value) -> str:
    return "空白（按 0 计）" if value is None else show_value(value)
