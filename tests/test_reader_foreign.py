"""Workbooks in the official layout not made by nianbao: tables found by their labels."""

from __future__ import annotations

import pytest

from nianbao.form import FORMS, get_form
from nianbao.form.data import Return, complete
from nianbao.form.findings import Rule
from nianbao.form.layout import layout_for
from nianbao.form.model import Form
from nianbao.recognise.reader import UnknownLayout, read_return
from tests.support.engines import read_with_both_engines
from tests.support.foreign import ForeignStyle, text_with_spaces, write_foreign

SEED_VARIANTS = {
    "商业企业": "商业\n企业",
    "科研机构": "科研\n机构",
    "结果纠正": "结果 纠正",
    "其他结果": "其他 结果",
}


def numbered(form: Form) -> dict:
    return complete(form, {key: i for i, key in enumerate(form.input_keys, start=1)})


def notes(ret: Return, rule: Rule) -> list:
    return [n for n in ret.notes if n.rule is rule]


@pytest.mark.parametrize("vintage", sorted(FORMS))
def test_tables_typed_one_per_sheet_are_read_where_they_were_typed(tmp_path, vintage):
    form = get_form(vintage)
    values = numbered(form)
    path = tmp_path / "f.xlsx"
    locations = write_foreign(
        path,
        form,
        values,
        ForeignStyle(sheet_names={"二": "主动公开", "三": "依申请", "四": "复议诉讼"}),
    )
    ret = read_with_both_engines(path)
    assert ret.form is form
    assert ret.values == values
    assert ret.locations == locations
    assert ret.notes == []


@pytest.mark.parametrize("vintage", sorted(FORMS))
def test_all_tables_on_one_sheet_with_offsets_blank_rows_and_variants_read_correctly(
    tmp_path, vintage
):
    form = get_form(vintage)
    values = numbered(form)
    style = ForeignStyle(
        sheets="one",
        title="道外区某某局2021年政府信息公开工作年度报告",
        origin=(4, 3),
        gap=3,
        blank_before={"二": [5, 8]},
        column_offsets={"四": 2},
        variants={
            **SEED_VARIANTS,
            "（一）予以公开": "(一)予以公开",
            "本年收费金额（单位：万元）": "本年收费金额(单位:万元)",
        },
    )
    path = tmp_path / "f.xlsx"
    locations = write_foreign(path, form, values, style, write=text_with_spaces)
    ret = read_with_both_engines(path)
    assert ret.form is form
    assert ret.values == values
    assert ret.locations == locations
    assert (ret.unit, ret.year) == ("道外区某某局", 2021)
    variants = notes(ret, Rule.L02)
    assert variants and all(n.sheet == "Sheet1" for n in variants)
    text = " ".join(n.message for n in variants)
    assert (
        "「商业（换行）企业」应为「商业企业」" in text and "「结果 纠正」应为「结果纠正」" in text
    )
    assert "「(一)予以公开」应为「（一）予以公开」" in text
    assert {n.sheet for n in notes(ret, Rule.V06)} == {"Sheet1"}
    assert len(notes(ret, Rule.V06)) == 3  # one per table


def test_the_2021_retyping_of_its_label_is_a_variant_and_the_2019_label_is_exact(tmp_path):
    path = tmp_path / "f.xlsx"
    write_foreign(
        path,
        get_form("2021"),
        numbered(get_form("2021")),
        ForeignStyle(variants={"行政规范性文件": "规范性文件"}),
    )
    ret = read_with_both_engines(path)
    assert ret.form.vintage == "2021"
    (note,) = notes(ret, Rule.L02)
    assert "「规范性文件」应为「行政规范性文件」" in note.message
    path19 = tmp_path / "f19.xlsx"
    write_foreign(path19, get_form("2019"), numbered(get_form("2019")))
    assert read_with_both_engines(path19).notes == []


@pytest.mark.parametrize(("vintage", "other"), [("2019", "2021"), ("2021", "2019")])
def test_a_vintage_is_never_read_as_the_other(tmp_path, vintage, other):
    form = get_form(vintage)
    path = tmp_path / "f.xlsx"
    write_foreign(
        path,
        form,
        numbered(form),
        ForeignStyle(
            sheets="one", title=f"某局{get_form(other).years[0]}年政府信息公开工作年度报告"
        ),
    )
    ret = read_with_both_engines(path)
    assert ret.form.vintage == vintage  # the layout decides; the title's year does not
    assert set(ret.values) == {c.key for c in form.cells}


def test_labels_of_both_vintages_are_refused_with_L01_naming_them(tmp_path):
    form = get_form("2021")
    path = tmp_path / "f.xlsx"
    write_foreign(
        path, form, numbered(form), ForeignStyle(variants={"本年制发件数": "本年新制作数量"})
    )
    with pytest.raises(UnknownLayout) as caught:
        read_return(path)
    finding = caught.value.finding
    assert finding.rule is Rule.L01
    assert (
        "「本年新制作数量」" in finding.message
        and "2021版" in finding.message
        and "2019版" in finding.message
    )


def test_a_2021_workbook_with_the_2019_other_handling_row_is_read_as_its_total_never_split(
    tmp_path,
):
    """2021 labels in 表二 but 表三 typed with （六） as one row (as in the 2019 form): that row
    is read as the group's total against the variant form, reported L08 (an error when
    merging), and nothing is put into the three 2021 items."""
    from nianbao.checks.engine import validate_return
    from nianbao.form.v2021 import ONE_ROW_OTHER

    values = numbered(ONE_ROW_OTHER)
    path = tmp_path / "f.xlsx"
    write_foreign(
        path, get_form("2021"), values, ForeignStyle(table_forms={"三": get_form("2019")})
    )
    ret = read_with_both_engines(path, unit="某街道", year=2024)
    assert ret.form is ONE_ROW_OTHER and ret.form.vintage == "2021"
    assert ret.values == values
    assert not any(key.startswith("三:3.6.") for key in ret.values)
    (note,) = [f for f in validate_return(ret) if f.rule is Rule.L08]
    assert not note.is_error and "（六）其他处理" in note.message and "3.其他" in note.message
    (merging,) = [
        f for f in validate_return(ret, require_unit=True, summing=True) if f.rule is Rule.L08
    ]
    assert merging.is_error and "不替单位拆分" in merging.message


def test_three_unlabelled_rows_are_not_guessed(tmp_path):
    form = get_form("2021")
    items = [
        leaf.label for leaf in form.table("三").blocks[0].row_leaves if leaf.code.startswith("3.6.")
    ]
    path = tmp_path / "f.xlsx"
    write_foreign(path, form, numbered(form), ForeignStyle(variants=dict.fromkeys(items, "")))
    with pytest.raises(UnknownLayout):
        read_return(path)


def test_a_single_mistyped_row_label_between_found_rows_is_read_by_position_as_L04(tmp_path):
    form = get_form("2021")
    values = numbered(form)
    path = tmp_path / "f.xlsx"
    locations = write_foreign(
        path, form, values, ForeignStyle(variants={"2.重复申请": "2.重复提出的申请"})
    )
    ret = read_with_both_engines(path)
    assert ret.values == values
    (note,) = notes(ret, Rule.L04)
    assert note.cells and "「2.重复提出的申请」应为「2.重复申请」" in note.message
    row = int(locations["三:3.5.2:c1"][1][1:])
    assert note.cells[0].endswith(str(row))


def test_a_table_missing_entirely_is_refused_with_L01(tmp_path):
    form = get_form("2021")
    path = tmp_path / "f.xlsx"
    title = form.table("四").title
    variants = {
        label.text: ""
        for label in layout_for(form).sheet_for("四:1:ar1").labels
        if label.kind != "title"
    }
    write_foreign(path, form, numbered(form), ForeignStyle(variants=variants))
    with pytest.raises(UnknownLayout) as caught:
        read_return(path)
    assert caught.value.finding.rule is Rule.L01 and title in caught.value.finding.message


def test_blank_inputs_are_V04_but_blank_totals_are_not(tmp_path):
    form = get_form("2021")
    values = {**numbered(form), **dict.fromkeys(form.derived_keys), "三:1:c1": None}
    path = tmp_path / "f.xlsx"
    locations = write_foreign(path, form, values)
    ret = read_with_both_engines(path)
    assert all(ret.values[k] is None for k in form.derived_keys)
    (v04,) = notes(ret, Rule.V04)
    assert v04.cells == (locations["三:1:c1"][1],)
    assert "有 1 个空白单元格" in v04.message


def test_unit_and_year_come_from_a_title_split_over_two_lines(tmp_path):
    form = get_form("2021")
    path = tmp_path / "f.xlsx"
    style = ForeignStyle(
        extra_sheets={"封面页": [["道外区水泥路街道办事处"], ["2021年政府信息公开工作年度报告"]]}
    )
    write_foreign(path, form, numbered(form), style)
    ret = read_with_both_engines(path)
    assert (ret.unit, ret.year) == ("道外区水泥路街道办事处", 2021)


def test_without_a_title_the_unit_and_year_arguments_are_used(tmp_path):
    form = get_form("2021")
    path = tmp_path / "f.xlsx"
    write_foreign(path, form, numbered(form))
    ret = read_with_both_engines(path, unit="某某镇人民政府", year=2022)
    assert (ret.unit, ret.year) == ("某某镇人民政府", 2022)
    assert (read_return(path).unit, read_return(path).year) == (None, None)


def test_the_visible_tables_are_read_not_an_old_copy_on_a_hidden_sheet(tmp_path):
    form = get_form("2021")
    values = numbered(form)
    old = {key: 0 for key in values}
    path = tmp_path / "f.xlsx"
    style = ForeignStyle(sheets="one", sheet_names={"one": "今年"}, hidden_copy=old)
    locations = write_foreign(path, form, values, style)
    ret = read_with_both_engines(path)
    assert ret.values == values
    assert ret.locations == locations
    assert {sheet for sheet, _ in ret.locations.values()} == {"今年"}


def test_a_row_label_left_blank_is_said_to_be_blank_not_quoted_empty(tmp_path):
    form = get_form("2021")
    values = numbered(form)
    path = tmp_path / "f.xlsx"
    write_foreign(path, form, values, ForeignStyle(variants={"2.重复申请": ""}))
    ret = read_with_both_engines(path)
    assert ret.values == values
    (note,) = notes(ret, Rule.L04)
    assert "「」" not in note.message
    assert "空白（应为「2.重复申请」）" in note.message
