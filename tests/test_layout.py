"""Sanity of nianbao's workbook layout: every label and data cell has its own place."""

from __future__ import annotations

import pytest

from nianbao.form import FORMS, get_form
from nianbao.form.layout import COVER_FIELDS, layout_for


def _covered(first, last):
    return {(r, c) for r in range(first[0], last[0] + 1) for c in range(first[1], last[1] + 1)}


@pytest.mark.parametrize("vintage", sorted(FORMS))
def test_every_data_cell_of_the_form_has_a_position(vintage):
    form = get_form(vintage)
    layout = layout_for(form)
    assert sorted(k for s in layout.sheets for k in s.cells) == sorted(c.key for c in form.cells)
    assert [s.name for s in layout.sheets] == [t.title for t in form.tables]


@pytest.mark.parametrize("vintage", sorted(FORMS))
def test_labels_and_data_cells_never_overlap(vintage):
    for sheet in layout_for(get_form(vintage)).sheets:
        taken: dict[tuple[int, int], str] = {}
        spans = [(label.first, label.last, label.text) for label in sheet.labels]
        spans += [(pos, sheet.cell_ends.get(key, pos), key) for key, pos in sheet.cells.items()]
        for first, last, what in spans:
            for point in _covered(first, last):
                assert point not in taken, f"{sheet.name} {point}: {what} over {taken[point]}"
                taken[point] = what
            assert 0 <= first[1] <= last[1] < sheet.width
            assert first[0] <= last[0] <= sheet.last_row


@pytest.mark.parametrize("vintage", sorted(FORMS))
def test_the_table_area_is_filled_without_holes(vintage):
    # A table that prints like the official one has a label or data cell in every grid cell.
    for sheet in layout_for(get_form(vintage)).sheets:
        covered = set()
        for label in sheet.labels:
            covered |= _covered(label.first, label.last)
        for key, pos in sheet.cells.items():
            covered |= _covered(pos, sheet.cell_ends.get(key, pos))
        assert covered == _covered((0, 0), (sheet.last_row, sheet.width - 1)), sheet.name


@pytest.mark.parametrize("vintage", sorted(FORMS))
def test_checks_sit_below_the_table_under_their_columns(vintage):
    form = get_form(vintage)
    for sheet in layout_for(form).sheets:
        balances = [eq for eq in form.balance_equations if eq.table == sheet.table.code]
        if not balances:
            assert sheet.check_row is None
            continue
        assert sheet.check_row is not None and sheet.check_row > sheet.last_row
        columns = {sheet.cells[eq.lhs[0].key][1] for eq in balances}
        assert len(columns) == len(balances)  # one check per column


def test_header_rows_precede_the_first_data_row():
    for sheet in layout_for(get_form("2021")).sheets:
        first, last = sheet.header_rows
        assert 0 < first <= last < min(r for r, _ in sheet.cells.values())


def test_cover_fields_have_distinct_rows():
    rows = [f.row for f in COVER_FIELDS]
    assert len(rows) == len(set(rows))
    assert [f.label for f in COVER_FIELDS] == [
        "填报单位",
        "上级单位",
        "报告年度",
        "填报人",
        "联系电话",
        "填报日期",
    ]
