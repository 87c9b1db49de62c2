"""2019-format reports (国办公开办函〔2019〕60号, report years 2019 and 2020) as real sites
publish them: web pages, Word files and plain text with the labels retyped, 2019 and 2021
tables mixed in one report, changes (本年增/减) written with a sign, amounts in 万元 with
decimals, the year in Chinese numerals. The vintage is recognised right and every figure read
into its cell, or the user is told exactly why not."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from nianbao.checks.engine import validate_return
from nianbao.cli import cli
from nianbao.form import get_form
from nianbao.form.model import Form, ValueType
from nianbao.form.v2021 import ONE_ROW_OTHER
from nianbao.recognise.labels import Match, compare
from nianbao.recognise.reader import UnknownLayout, read_return
from nianbao.xlsx.writer import write_return
from tests.support.documents import Printing, report_docx, report_html, report_text
from tests.support.returns import valid_return

KINDS = ("html", "docx", "text")
F2019 = get_form("2019")
F2021 = get_form("2021")


def write_report(folder: Path, kind: str, form: Form, values, printing: Printing) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    if kind == "html":
        path = folder / "报告.html"
        path.write_text(report_html(form, values, printing), encoding="utf-8")
    elif kind == "docx":
        path = report_docx(folder / "报告.docx", form, values, printing)
    else:
        path = folder / "报告.txt"
        path.write_text(report_text(form, values, printing), encoding="utf-8")
    return path


def titled(year: int = 2020, **options) -> Printing:
    return Printing(title=f"某某区人民政府\n{year}年政府信息公开工作年度报告", **options)


def rules(findings) -> Counter:
    return Counter(f.rule.id for f in findings)


def printed(special: dict[object, str]):
    """A cell's text: ``special[value]`` where given, else the number as usual."""

    def text(_key: str, value: object) -> str:
        if value in special:
            return special[value]
        return "" if value is None else str(value)

    return text


# -- the year ---------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    "title",
    [
        "某某区人民政府\n二〇二〇年政府信息公开工作年度报告",
        "某某区人民政府二〇二〇年度政府信息公开工作年度报告",
        "某某区人民政府二零二零年政府信息公开工作年度报告",
        "某某区人民政府２０２０年政府信息公开工作年度报告",
    ],
)
def test_a_title_with_the_year_in_chinese_numerals_or_full_width_gives_unit_and_year(
    tmp_path, kind, title
):
    source = valid_return(F2019, seed=1)
    path = write_report(tmp_path, kind, F2019, source.values, Printing(title=title))
    ret = read_return(path)
    assert (ret.unit, ret.year) == ("某某区人民政府", 2020)
    assert ret.form is F2019 and ret.values == source.values
    assert validate_return(ret) == []


# -- labels retyped ---------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    "labels",
    [
        {"本年新制作数量": "本年制作数量", "本年新公开数量": "本年公开数量"},
        {"规范性文件": "行政规范性文件"},
        {"采购总金额": "采购总金额（万元）"},
        {"采购总金额": "采购总金额（单位：万元）"},
    ],
)
def test_2019_labels_retyped_as_reports_print_them_are_read_with_a_warning(tmp_path, kind, labels):
    source = valid_return(F2019, seed=2)
    path = write_report(tmp_path, kind, F2019, source.values, titled(labels=labels))
    ret = read_return(path)
    assert ret.form is F2019 and ret.values == source.values
    findings = validate_return(ret)
    assert set(rules(findings)) == {"L02"}
    message = " ".join(f.message for f in findings)
    for official, retyped in labels.items():
        assert f"「{retyped}」应为「{official}」" in message


@pytest.mark.parametrize("found", ["采购总金额（元）", "采购总金额（单位：元）", "采购总数量"])
def test_an_amount_label_in_another_unit_is_not_the_official_one(found):
    # 元 is not 万元: figures under such a label would be 10,000 times too large
    assert compare(found, "采购总金额") is Match.NONE
    assert compare("本年收费金额（元）", "本年收费金额（单位：万元）") is Match.NONE
    assert compare("本年收费金额（万元）", "本年收费金额（单位：万元）") is Match.VARIANT


@pytest.mark.parametrize("kind", ("html", "docx"))
def test_one_retyping_repeated_in_several_blocks_is_listed_once_with_its_count(tmp_path, kind):
    source = valid_return(F2019, seed=3)
    printing = titled(labels={"本年增/减": "本年增减"})
    ret = read_return(write_report(tmp_path, kind, F2019, source.values, printing))
    assert ret.values == source.values
    (note,) = [f for f in validate_return(ret) if f.rule.id == "L02"]
    assert note.message.count("「本年增减」应为「本年增/减」") == 1
    assert "3 处" in note.message


# -- 本年增/减 and amounts -------------------------------------------------------------------


DELTAS = [k for k in F2019.input_keys if F2019.cell(k).value_type is ValueType.DELTA]
AMOUNTS = [k for k in F2019.input_keys if F2019.cell(k).value_type is ValueType.AMOUNT]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(("typed", "value"), [("-3", -3), ("－3", -3), ("−3", -3), ("+3", 3)])
def test_a_change_written_with_a_sign_is_read_as_that_number_without_a_note(
    tmp_path, kind, typed, value
):
    values = dict(valid_return(F2019, seed=4).values)
    marker = object()
    for key in DELTAS:
        values[key] = marker
    printing = titled(text=printed({marker: typed}))
    ret = read_return(write_report(tmp_path, kind, F2019, values, printing))
    assert all(ret.values[key] == value for key in DELTAS)
    assert validate_return(ret) == []  # a negative change is legitimate: no V02


@pytest.mark.parametrize("kind", KINDS)
def test_a_negative_count_beside_the_changes_is_still_V02_at_its_cell(tmp_path, kind):
    values = dict(valid_return(F2019, seed=4).values)
    for key in DELTAS:
        values[key] = -2
    values["二:20-5.1:c1"] = -1  # 上一年项目数量: a count
    ret = read_return(write_report(tmp_path, kind, F2019, values, titled()))
    findings = validate_return(ret)
    assert rules(findings) == Counter({"V02": 1})
    (v02,) = findings
    assert [p.column for p in v02.places] == ["上一年项目数量"]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("typed", ["1234.56", "1,234.56", "1234.56万元", "1 234.56"])
def test_an_amount_in_wan_yuan_with_decimals_is_read_exactly(tmp_path, kind, typed):
    values = dict(valid_return(F2019, seed=5).values)
    (key,) = AMOUNTS
    values[key] = Decimal("1234.56")
    printing = titled(text=printed({Decimal("1234.56"): typed}))
    ret = read_return(write_report(tmp_path, kind, F2019, values, printing))
    assert ret.values == values
    assert set(rules(validate_return(ret))) <= {"V06"}


# -- 2019 and 2021 tables in one report --------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_a_2020_report_on_the_2021_template_is_read_as_2021_and_L03(tmp_path, kind):
    source = valid_return(F2021, seed=6)
    ret = read_return(write_report(tmp_path, kind, F2021, source.values, titled()))
    assert ret.form is F2021 and ret.values == source.values and ret.year == 2020
    findings = validate_return(ret)
    assert rules(findings) == Counter({"L03": 1})
    assert "2019" in findings[0].message


@pytest.mark.parametrize("kind", KINDS)
def test_a_2020_report_with_a_2021_table_two_and_a_2019_table_three_is_L03_never_2019(
    tmp_path, kind
):
    # 表三 and 表四 as the 2019 form has them (（六）其他处理 one row), 表二 the 2021 one
    source = valid_return(ONE_ROW_OTHER, seed=7)
    ret = read_return(write_report(tmp_path, kind, ONE_ROW_OTHER, source.values, titled()))
    assert ret.form is ONE_ROW_OTHER and ret.values == source.values
    assert rules(validate_return(ret)) == Counter({"L03": 1, "L08": 1})


def _mixed_2019_2021() -> tuple[Form, dict]:
    form = Form(
        vintage="2019",
        document="测试",
        years=(2019, 2020),
        tables=(F2019.table("二"), F2021.table("三"), F2021.table("四")),
        equations=(),
        cross_year=(),
    )
    values = {
        **valid_return(F2021, seed=8).values,
        **{k: v for k, v in valid_return(F2019, seed=8).values.items() if k.startswith("二")},
    }
    return form, values


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("mix", ["table three of 2021", "one 2021 label in table two"])
def test_a_report_mixing_2019_and_2021_labels_is_refused_naming_both_and_their_years(
    tmp_path, kind, mix
):
    if mix == "table three of 2021":
        form, values = _mixed_2019_2021()
        printing = titled()
    else:
        form, values = F2019, valid_return(F2019, seed=8).values
        printing = titled(labels={"处理决定数量": "本年处理决定数量"})
    path = write_report(tmp_path, kind, form, values, printing)
    with pytest.raises(UnknownLayout) as caught:
        read_return(path)
    finding = caught.value.finding
    assert finding.rule.id == "L01"
    assert "同时含有两种表式的标签" in finding.message
    # the advice names the vintage for each report year, not only the current one
    assert "2019、2020 年度" in finding.message and "2021 年度起" in finding.message


# -- nianbao's own 2019-format report ----------------------------------------------------------


@pytest.mark.parametrize("suffix", ["html", "docx"])
def test_a_2019_report_written_by_publish_reads_back_every_figure(tmp_path, suffix):
    source = valid_return(F2019, seed=9, unit="水泥路街道", year=2020)
    workbook = tmp_path / "报表.xlsx"
    write_return(workbook, F2019, source)
    out = tmp_path / f"年报.{suffix}"
    result = CliRunner().invoke(cli, ["publish", str(workbook), "-o", str(out)])
    assert result.exit_code == 0, result.output
    ret = read_return(out)
    assert ret.form is F2019 and ret.values == source.values
    assert (ret.unit, ret.year) == ("水泥路街道", 2020)
    assert validate_return(ret) == []
