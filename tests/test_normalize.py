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
    [("十二", "十二"), (" 12件 ", "12件"), ("#REF!", "#REF!"), ("2021-01-02", "2021-01-02")],
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
