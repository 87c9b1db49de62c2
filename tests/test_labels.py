"""Label comparison tolerant of the variants seen in published reports (excel/labels.py)."""

from __future__ import annotations

import pytest

from nianbao.form import FORMS
from nianbao.form.layout import layout_for
from nianbao.recognise.labels import Match, canonical, compare


def test_the_official_label_matches_exactly():
    assert compare("（一）予以公开", "（一）予以公开") is Match.EXACT
    assert compare(" 规章 ", "规章") is Match.EXACT


@pytest.mark.parametrize(
    ("found", "official"),
    [
        ("商业\n企业", "商业企业"),
        ("结果 纠正", "结果纠正"),
        ("(一)予以公开", "（一）予以公开"),
        ("本年收费金额(单位:万元)", "本年收费金额（单位：万元）"),
        ('3.危及"三安全一稳定"', "3.危及“三安全一稳定”"),
        ("1、属于国家秘密", "1.属于国家秘密"),
        ("规范性文件", "行政规范性文件"),
        (
            "（二）部分公开（区分处理的，只计这一情况，不计其他情况）",
            "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
        ),
        ("5.属于三类内容事务信息", "5.属于三类内部事务信息"),
        ("第二十条第(一)项", "第二十条第（一）项"),
    ],
)
def test_known_variants_are_tolerated_as_variants(found, official):
    assert compare(found, official) is Match.VARIANT


@pytest.mark.parametrize(
    ("found", "official"),
    [
        ("本年新制作数量", "本年制发件数"),
        ("其他", "3.其他"),
        ("总计", "（七）总计"),
        ("", "规章"),
        (None, "规章"),
        (0, "规章"),
    ],
)
def test_other_labels_do_not_match(found, official):
    assert compare(found, official) is Match.NONE


def test_no_two_labels_of_a_table_share_a_canonical_form():
    for form in FORMS.values():
        for sheet in layout_for(form).sheets:
            texts = {label.text for label in sheet.labels if label.text}
            assert len({canonical(t) for t in texts}) == len(texts), sheet.name
