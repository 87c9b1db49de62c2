"""A nianbao summary's members, read back from its 分单位明细 sheet (the sheet
``xlsx.summary`` writes): for last year's summary given to ``--previous``, and for a summary
compared with another (``--compare``, and summaries of different units across years)."""

from __future__ import annotations

import os

from nianbao.form.data import Return, complete
from nianbao.form.model import Form


def read_breakdown(path: str | os.PathLike[str], form: Form) -> list[Return] | None:
    """The members listed in ``path``'s 分单位明细; None when the file cannot be read or the
    sheet is absent or not in the layout nianbao writes. The file goes through the same
    preflight as any return."""
    from nianbao.recognise.normalize import normalize
    from nianbao.sources.grid import GridError, open_grid
    from nianbao.sources.preflight import UnreadableFile, inspect
    from nianbao.xlsx.summary import BREAKDOWN_SHEET, TAIL_HEADINGS, TOTAL_LABEL, column_headings

    try:
        inspected = inspect(path)
        with open_grid(path, "calamine", inspected.fmt, inspected) as grid:
            sheet = grid.get(BREAKDOWN_SHEET)
            rows = sheet.rows if sheet is not None else []
    except (UnreadableFile, GridError):
        return None
    width = len(form.cells)
    if len(rows) < 3 or [
        rows[1][1 + k] if 1 + k < len(rows[1]) else None for k in range(width)
    ] != [*column_headings(form)]:
        return None
    tail = {str(rows[0][c]): c for c in range(1 + width, len(rows[0])) if rows[0][c]}
    members: list[Return] = []
    for line in rows[2:]:
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

        members.append(
            Return(
                form=form,
                values=dict(complete(form, inputs)),
                unit=unit,
                parent=text(TAIL_HEADINGS[0]),
                code=text(TAIL_HEADINGS[1]),
                source=f"{path}（{BREAKDOWN_SHEET}）",
            )
        )
    return members
