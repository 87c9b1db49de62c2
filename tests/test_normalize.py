"""The cell normalisation policy (excel/normalize.py), case by case."""

from __future__ import annotations

from decimal import Decimal

import pytest

from nianbao.form.findings import Rule
from nianbao.recognise.normalize import PLACEHOLDERS, normalize, parse_year


@pytest.mark.parametrize("raw", [0, 7, 12345])
def test_whole_numbers_are_read_as_they_are_without_a_note(raw):
    assert normalize(raw) == (raw, None)


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        (" 0", 0),
        ("0 ", 0),
        ("12", 12),
        ("１２", 12),
        ("1,234", 1234),
        ("12.0", 12),
        ("\u30003\u3000", 3),
        ("－2", -2),
    ],
)
def test_numbers_typed_as_text_are_read_as_numbers_and_noted_V06(raw, value):
    result, rule = normalize(raw)
    assert result == value and type(result) is int
    assert rule is Rule.V06


def test_fractional_numbers_are_kept_exactly_as_decimals():
    assert normalize(2.5) == (Decimal("2.5"), None)
    assert normalize("2.50") == (Decimal("2.5"), Rule.V06)
    assert normalize("１２．５") == (Decimal("12.5"), Rule.V06)


def test_float_noise_is_removed_to_the_15_digits_a_spreadsheet_shows():
    value, rule = normalize(0.1 + 0.2)
    assert value == Decimal("0.3") and rule is None
    assert normalize(1.2345)[0] == Decimal("1.2345")


@pytest.mark.parametrize("raw", [None, "", "   ", "\u3000"])
def test_blank_cells_are_read_as_blank_and_noted_V04(raw):
    assert normalize(raw) == (None, Rule.V04)


@pytest.mark.parametrize("raw", sorted(PLACEHOLDERS) + ["／", " / ", "——", "－"])
def test_placeholders_for_none_are_read_as_blank_and_noted_V05(raw):
    assert normalize(raw) == (None, Rule.V05)


@pytest.mark.parametrize(
    ("raw", "kept"),
    [("十二", "十二"), (" 12个 ", "12个"), ("#REF!", "#REF!"), ("2021-01-02", "2021-01-02")],
)
def test_other_text_is_kept_as_typed_for_the_checker(raw, kept):
    assert normalize(raw) == (kept, None)


def test_booleans_are_kept_as_text():
    assert normalize(True) == ("TRUE", None)
    assert normalize(False) == ("FALSE", None)


def test_negative_numbers_are_kept_for_the_checker():
    assert normalize(-3) == (-3, None)
    assert normalize("-3") == (-3, Rule.V06)


@pytest.mark.parametrize(
    ("raw", "year", "normalised"),
    [
        (2021, 2021, False),
        (2021.0, 2021, False),
        ("2021", 2021, True),
        ("2021年", 2021, True),
        ("2021年度", 2021, True),
        ("２０２１", 2021, True),
        ("二〇二一年", 2021, True),
        ("明年", None, False),
        (None, None, False),
        (21, None, False),
        (True, None, False),
    ],
)
def test_report_years_parse_from_what_people_type(raw, year, normalised):
    assert parse_year(raw) == (year, normalised)


# Zero-width spaces, joiners, soft hyphens and direction marks: a web editor (UEditor, WeChat)
# leaves them in cells; nobody sees them, so a figure holding one is that figure (found by a
# sweep: 「2629​」 was V01, shown as 「2629�」 as if the file were damaged).
@pytest.mark.parametrize(
    "raw", ["2629\u200b", "\u200b2629", "26\u00ad29", "2629\u2060", "\u200e2629"]
)
def test_characters_nobody_sees_in_a_figure_are_dropped(raw):
    assert normalize(raw) == (2629, Rule.V06)  # a workbook: typed as text, noted
    assert normalize(raw, document=True) == (2629, None)  # a document: layout, as spaces are


def test_a_cell_holding_only_an_invisible_character_is_blank():
    assert normalize("\u200b") == (None, Rule.V04)


# 「81件」「0 件」: the cell's unit written after the figure (found by a sweep: 22 V01 errors on a
# correct report, cascading into E1 and N-rule alarms).
@pytest.mark.parametrize(
    ("raw", "value"),
    [("81件", 81), ("0件", 0), ("1 件", 1), ("5949.09万元", Decimal("5949.09")), ("１２件", 12)],
)
@pytest.mark.parametrize("document", [False, True])
def test_a_figure_followed_by_its_unit_is_read_and_noted_v06(raw, value, document):
    assert normalize(raw, document=document) == (value, Rule.V06)


# 元 is not the unit of any cell: a fee in 元 in a cell of 万元 would be 10,000 times too large.
@pytest.mark.parametrize("raw", ["5949元", "件", "81件件", "81个"])
def test_other_words_after_a_figure_stay_text(raw):
    assert normalize(raw) == (raw, None)


# A note in brackets beside a document's figure is read past (V10), but not one naming a unit
# of money other than the cell's 万元: 「5949.09（元）」 read as 5949.09 万元 was 10,000 times
# the fee (found by a sweep).
@pytest.mark.parametrize(
    "raw", ["5949.09（元）", "5949.09(元)", "12（千元）", "3（单位：元）", "7(亿元)"]
)
def test_a_figure_noted_in_another_unit_of_money_stays_text(raw):
    assert normalize(raw, document=True) == (raw, None)


@pytest.mark.parametrize(
    ("raw", "value"),
    [("5949.09（万元）", Decimal("5949.09")), ("12（件）", 12), ("3（含上年结转1件）", 3)],
)
def test_a_figure_noted_in_its_own_unit_or_in_words_is_read_with_v10(raw, value):
    assert normalize(raw, document=True) == (value, Rule.V10)


# The cell's own 万元 however the note labels or spaces it is read (it was refused as another
# unit: 「（单位：万元）」 matched 「单位」 then 「：万元」), and 元 behind 「金额单位：」 or with
# 「人民币」 is another unit still (it was read as 万元, 10,000 times the fee).
@pytest.mark.parametrize(
    "raw", ["12.5（单位：万元）", "12.5（单位:万元）", "12.5（ 万元）", "12.5（单位 万元）"]
)
def test_a_figure_noted_in_its_own_unit_with_a_label_or_a_space_is_read(raw):
    assert normalize(raw, document=True) == (Decimal("12.5"), Rule.V10)


@pytest.mark.parametrize("raw", ["12.5（金额单位：元）", "12.5（人民币元）", "12.5（元人民币）"])
def test_a_figure_noted_in_yuan_behind_a_label_or_with_renminbi_stays_text(raw):
    assert normalize(raw, document=True) == (raw, None)


@pytest.mark.parametrize("raw", ["৪7", "٤٢", "٣", "१२", "2০21"])
@pytest.mark.parametrize("document", [False, True])
def test_digits_of_other_scripts_are_no_figure(raw, document):
    """int() reads any script's decimal digits: a Bengali 「৪」 (4) looks like an 8, so
    「৪7」 was read as 47 where a reader sees 87. Only ASCII and full-width digits make a
    figure; the rest is text (V01 at the cell)."""
    value, rule = normalize(raw, document=document)
    assert value == raw and rule is None
