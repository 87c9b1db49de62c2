"""A small PDF can ask its readers for a billion drawing operations: a form XObject drawn ten
times by a form drawn ten times…, or one compressed stream inflating to gigabytes. pdfium and
pdfminer expand every form where it is drawn before anything can count it, so a 4 KB file held
a worker for minutes and 20 GB. check_pdf weighs the drawing from the file's objects first
(sources/pdfdrawing.py) and counts the objects inside forms too."""

from __future__ import annotations

from pathlib import Path

import pytest

from nianbao.form.findings import Rule
from nianbao.sources import preflight
from nianbao.sources.preflight import UnreadableFile, check_pdf
from tests.support.pdfs import forms_pdf

RULING = b"10 10 100 0.5 re f\n"


def _refusal(path: Path) -> tuple[Rule, str]:
    with pytest.raises(UnreadableFile) as caught:
        check_pdf(path)
    return caught.value.finding.rule, caught.value.finding.message


def test_forms_drawing_forms_are_weighed_before_any_page_is_laid_out(tmp_path, monkeypatch):
    # 100 drawings of a form of 2,000 rulings: 3.8 MB of drawing for a file of a few KB; the
    # limit is lowered so that the file stays small and, without the weighing, takes seconds
    monkeypatch.setattr(preflight, "MAX_PDF_DRAWING", 1 << 20)
    path = tmp_path / "层层引用.pdf"
    path.write_bytes(forms_pdf(RULING * 2_000, depth=3))
    assert path.stat().st_size < 10_000
    rule, message = _refusal(path)
    assert rule is Rule.F04 and "「层层引用.pdf」" in message and "绘图指令异常庞大" in message


def test_a_billion_operations_in_nested_forms_is_refused_by_the_real_limit(tmp_path):
    path = tmp_path / "十层.pdf"
    path.write_bytes(forms_pdf(RULING * 100, depth=9))  # 10⁸ drawings of 100 rulings
    rule, _ = _refusal(path)
    assert rule is Rule.F04


def test_a_stream_inflating_past_the_limit_is_refused_without_inflating_it_all(tmp_path):
    path = tmp_path / "压缩.pdf"
    path.write_bytes(forms_pdf(b" " * (40 << 20)))  # 40 MB of nothing, 40 KB compressed
    assert path.stat().st_size < 100_000
    rule, _ = _refusal(path)
    assert rule is Rule.F04


def test_the_objects_inside_a_form_count_toward_the_object_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(preflight, "MAX_PDF_OBJECTS", 1_000)
    path = tmp_path / "表单.pdf"
    path.write_bytes(forms_pdf(RULING * 2_000))  # drawn once: light, but 2,000 objects
    rule, message = _refusal(path)
    assert rule is Rule.F04 and "绘图对象" in message


def test_a_form_drawing_itself_is_a_broken_file(tmp_path):
    path = tmp_path / "自引用.pdf"
    path.write_bytes(forms_pdf(RULING, depth=3, cyclic=True))
    rule, message = _refusal(path)
    assert rule is Rule.F01 and "「自引用.pdf」" in message


def test_a_form_drawn_a_few_times_is_read(tmp_path):
    # a letterhead or a seal drawn as a form on every page is ordinary
    path = tmp_path / "页眉.pdf"
    path.write_bytes(forms_pdf(RULING * 50, depth=2, fan=3))
    assert check_pdf(path) is None
