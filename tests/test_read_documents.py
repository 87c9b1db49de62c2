"""Published reports read end to end: check, merge and export accept web pages, Word, text and
PDF, with the same rules and messages as a workbook, and findings located by table, row and
column (and page).

Three kinds of input:
- returns printed as reports by tests/support/documents.py (exactly the form's tables, or with
  the deviations seen in real reports: one-row （六）, typos, notes, split tables);
- returns written by nianbao and saved by LibreOffice as a web page and as a PDF;
- the real published reports in ../shared/reference (skipped where absent), with their
  figures transcribed by hand in tests/data/published/.
"""

from __future__ import annotations

import json
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from nianbao.checks.engine import validate_return
from nianbao.cli import cli
from nianbao.form import get_form
from nianbao.form.data import complete
from nianbao.form.findings import Place, Rule
from nianbao.form.v2021 import ONE_ROW_OTHER
from nianbao.recognise.reader import UnknownLayout, read_return
from nianbao.sources.preflight import UnreadableFile
from nianbao.xlsx.summary import FINDINGS_SHEET
from nianbao.xlsx.writer import write_return
from tests.support.documents import (
    TRANSCRIBED,
    Printing,
    published,
    report_docx,
    report_html,
    report_text,
    transcribed_values,
)
from tests.support.returns import consistent_previous, valid_return
from tests.support.soffice import convert, requires_soffice

KINDS = ("html", "docx", "text")


def run(*args: object):
    return CliRunner().invoke(cli, [str(a) for a in args])


def write_report(
    folder: Path, kind: str, form, values, printing: Printing | None = None, name: str = "报告"
) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    if kind == "html":
        path = folder / f"{name}.html"
        path.write_text(report_html(form, values, printing), encoding="utf-8")
    elif kind == "docx":
        path = report_docx(folder / f"{name}.docx", form, values, printing)
    else:
        path = folder / f"{name}.txt"
        path.write_text(report_text(form, values, printing), encoding="utf-8")
    return path


def titled(year: int, unit: str = "某某区人民政府", **options) -> Printing:
    return Printing(title=f"{unit}\n{year}年政府信息公开工作年度报告", **options)


def rules(findings) -> Counter:
    return Counter(f.rule.id for f in findings)


# -- returns printed as reports --------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("vintage", ["2021", "2019"])
def test_a_return_printed_as_a_report_reads_back_every_value_and_passes(tmp_path, kind, vintage):
    form = get_form(vintage)
    source = valid_return(form, seed=5)
    path = write_report(tmp_path, kind, form, source.values, titled(source.year))
    ret = read_return(path)
    assert ret.form is form and ret.values == source.values
    assert (ret.unit, ret.year, ret.document) == ("某某区人民政府", source.year, kind)
    assert ret.narrative is not None and "一、总体情况" in ret.narrative
    assert validate_return(ret) == []
    cell = form.cell("三:1:c2")
    assert ret.places[cell.key] == Place("表三", cell.row_label, cell.column_label)


@pytest.mark.parametrize("kind", KINDS)
def test_findings_name_table_row_and_column_never_grid_cells(tmp_path, kind):
    form = get_form("2021")
    values = dict(valid_return(form, seed=6).values)
    values["三:3.7:c1"] += 1  # （七）总计, 自然人 printed one too many: E3
    values["四:1:ar5"] = 0  # 行政复议 总计 printed as 0: E5
    path = write_report(tmp_path, kind, form, values, titled(2024))
    findings = validate_return(read_return(path))
    assert rules(findings) == Counter({"E3": 1, "E5": 1})
    for finding in findings:
        assert finding.sheet is None and finding.cells == () and finding.places
    (e5,) = [f for f in findings if f.rule is Rule.E5]
    assert e5.places == (Place("表四", "", "行政复议·总计"),)
    (e3,) = [f for f in findings if f.rule is Rule.E3]
    assert e3.places == (Place("表三", form.cell("三:3.7:c1").row_label, "自然人"),)


@pytest.mark.parametrize("kind", KINDS)
def test_unit_and_year_come_from_the_title_else_from_the_arguments(tmp_path, kind):
    form = get_form("2021")
    values = valid_return(form, seed=7).values
    one_line = Printing(title="平潭综合实验区2022年度政府信息公开工作年度报告")
    ret = read_return(write_report(tmp_path / "a", kind, form, values, one_line))
    assert (ret.unit, ret.year) == ("平潭综合实验区", 2022)
    untitled = Printing(title="政府信息公开工作年度报告格式模板")
    path = write_report(tmp_path / "b", kind, form, values, untitled)
    ret = read_return(path, unit="某街道", year=2023)
    assert (ret.unit, ret.year) == ("某街道", 2023)
    bare = validate_return(read_return(path))
    assert {"C01", "C02"} <= set(rules(bare)) and all(
        "--" in f.message for f in bare if f.rule.id in ("C01", "C02")
    )


@pytest.mark.parametrize("kind", ("html", "docx"))
@pytest.mark.parametrize("repeat_header", [False, True])
def test_a_table_split_in_two_with_or_without_its_header_reads_as_one(
    tmp_path, kind, repeat_header
):
    form = get_form("2021")
    source = valid_return(form, seed=8)
    printing = titled(
        source.year, split_before="2.其他法律行政法规禁止公开", repeat_header=repeat_header
    )
    ret = read_return(write_report(tmp_path, kind, form, source.values, printing))
    assert ret.values == source.values
    assert validate_return(ret) == []


@pytest.mark.parametrize("kind", KINDS)
def test_one_row_other_handling_is_read_as_the_group_total_with_l08(tmp_path, kind):
    source = valid_return(ONE_ROW_OTHER, seed=9)
    path = write_report(tmp_path, kind, ONE_ROW_OTHER, source.values, titled(2024))
    ret = read_return(path)
    assert ret.form is ONE_ROW_OTHER and ret.values == source.values
    assert not any(key.startswith("三:3.6.") for key in ret.values)
    (note,) = validate_return(ret)
    assert note.rule is Rule.L08 and not note.is_error
    assert note.places and all(p.row.endswith("（六）其他处理") for p in note.places)
    # the total takes part in every rule: one too many there breaks its row (E4), （七） (E3, E4)
    # and the balance of its column and of 总计 (E1), exactly as any row of 表三 would
    broken = dict(source.values)
    broken["三:3.6:c1"] += 1
    ret = read_return(write_report(tmp_path / "broken", kind, ONE_ROW_OTHER, broken, titled(2024)))
    assert rules(validate_return(ret)) == Counter({"L08": 1, "E3": 1, "E4": 2, "E1": 2})


def test_three_rows_of_other_handling_without_labels_are_never_read_as_one(tmp_path):
    form = get_form("2021")
    source = valid_return(form, seed=10)
    items = {
        leaf.label: ""
        for leaf in form.table("三").blocks[0].row_leaves
        if leaf.code.startswith("3.6.")
    }
    path = write_report(tmp_path, "html", form, source.values, titled(2024, labels=items))
    with pytest.raises(UnknownLayout) as caught:
        read_return(path)
    assert caught.value.finding.rule is Rule.L01


def test_merge_refuses_a_one_row_other_handling_report_and_skips_it_when_asked(tmp_path):
    folder = tmp_path / "收回"
    one_row = valid_return(ONE_ROW_OTHER, seed=11)
    write_report(folder, "html", ONE_ROW_OTHER, one_row.values, titled(2024, "甲街道"), "甲")
    whole = valid_return(get_form("2021"), seed=12)
    write_report(folder, "html", get_form("2021"), whole.values, titled(2024, "乙街道"), "乙")
    out = tmp_path / "汇总.xlsx"
    result = run("merge", folder, "--name", "某区", "-o", out)
    assert result.exit_code == 1 and not out.exists()
    assert "[L08 错误]" in result.output and "不替单位拆分" in result.output
    result = run("merge", folder, "--name", "某区", "-o", out, "--skip-invalid")
    assert result.exit_code == 1, result.output  # written; the exit says a report had errors
    summary = read_return(out)
    assert summary.values == complete(get_form("2021"), whole.values)
    # the summary's list of findings names the document's table and row
    import openpyxl

    sheet = openpyxl.load_workbook(out, read_only=True)[FINDINGS_SHEET]
    (l08,) = [row for row in sheet.iter_rows(values_only=True) if row[2] == "L08"]
    assert l08[4] == "表三" and "（六）其他处理」行" in l08[5]


def test_annotating_a_document_writes_nothing_and_says_why(tmp_path):
    form = get_form("2021")
    values = dict(valid_return(form, seed=24).values)
    values["四:1:ar5"] = 0
    path = write_report(tmp_path, "html", form, values, titled(2024))
    result = run("check", path, "--annotate", tmp_path / "批注")
    assert result.exit_code == 1
    assert "已发布的年度报告不生成批注副本" in result.output
    assert not (tmp_path / "批注").exists() or not any((tmp_path / "批注").iterdir())


def test_export_of_a_one_row_other_handling_report_has_row_3_6_and_no_invented_items(tmp_path):
    source = valid_return(ONE_ROW_OTHER, seed=13)
    path = write_report(tmp_path, "html", ONE_ROW_OTHER, source.values, titled(2024))
    out = tmp_path / "数据.json"
    assert run("export", path, "-o", out).exit_code == 0
    rows = json.loads(out.read_text(encoding="utf-8"))
    codes = {row["row_code"] for row in rows if row["table"] == "表三"}
    assert "3.6" in codes and not any(code.startswith("3.6.") for code in codes)
    other = [row for row in rows if row["row_code"] == "3.6"]
    assert [row["value"] for row in other] == [source.values[f"三:3.6:c{i}"] for i in range(1, 8)]
    assert {row["vintage"] for row in rows} == {"2021"}


@pytest.mark.parametrize("kind", KINDS)
def test_a_known_typo_is_read_with_l02_naming_it(tmp_path, kind):
    form = get_form("2021")
    source = valid_return(form, seed=14)
    typo = {"2.其他法律行政法规禁止公开": "2.其他法律行政止公开"}
    ret = read_return(write_report(tmp_path, kind, form, source.values, titled(2024, labels=typo)))
    assert ret.values == source.values
    (note,) = ret.notes
    assert note.rule is Rule.L02
    assert "「2.其他法律行政止公开」应为「2.其他法律行政法规禁止公开」" in note.message
    assert note.places == (Place("表三", row="2.其他法律行政法规禁止公开"),)


@pytest.mark.parametrize("kind", KINDS)
def test_labels_broken_by_layout_get_one_short_note_per_table(tmp_path, kind):
    form = get_form("2021")
    source = valid_return(form, seed=15)
    wrapped = {"商业企业": "商业\n企业", "科研机构": "科研\n机构", "结果纠正": "结 果\n纠 正"}
    ret = read_return(
        write_report(tmp_path, kind, form, source.values, titled(2024, labels=wrapped))
    )
    assert ret.values == source.values
    assert [(n.rule, n.operands["count"]) for n in ret.notes] in (
        [(Rule.L02, 2), (Rule.L02, 3)],  # 表四's three 结果纠正 columns
        [(Rule.L02, 2), (Rule.L02, 1)],  # text: one label per column, repeated ones noted once
    )
    assert all("因排版分行或带空格" in n.message for n in ret.notes)


@pytest.mark.parametrize("kind", KINDS)
def test_a_number_with_a_note_is_the_number_and_the_note_is_kept(tmp_path, kind):
    form = get_form("2021")
    source = valid_return(form, seed=16)
    key = "二:20-1.2:c1"

    def printed(k: str, value: object) -> str:
        return f"{value}（其中修订16件）" if k == key else str(value)

    ret = read_return(write_report(tmp_path, kind, form, source.values, titled(2024, text=printed)))
    assert ret.values == source.values
    (note,) = ret.notes
    assert note.rule is Rule.V10 and not note.is_error
    assert f"「{source.values[key]}（其中修订16件）」" in note.message
    assert note.places == (ret.places[key],)


@pytest.mark.parametrize("kind", KINDS)
def test_spaces_inside_numbers_are_joined_only_in_groups_of_three(tmp_path, kind):
    form = get_form("2021")
    values = dict(valid_return(form, seed=17).values)
    values["二:20-5.1:c1"] = 447228
    wide = {"二:20-5.1:c1": "447 228", "二:20-6.1:c1": "12 3"}

    def printed(k: str, value: object) -> str:
        return wide.get(k, str(value))

    ret = read_return(write_report(tmp_path, kind, form, values, titled(2024, text=printed)))
    assert ret.values["二:20-5.1:c1"] == 447228
    assert ret.values["二:20-6.1:c1"] == "12 3"  # two numbers run together? never guessed
    found = rules(validate_return(ret))
    assert found["V06"] == 1 and found["V01"] == 1


def test_text_whose_row_has_a_cell_too_few_is_refused_not_guessed(tmp_path):
    form = get_form("2021")
    source = valid_return(form, seed=18)
    text = report_text(form, source.values, titled(2024))
    label = "\t（一）予以公开\n"
    start = text.index(label) + len(label)
    text = text[:start] + text[text.index("\n", start) + 1 :]  # drop the row's first value
    path = tmp_path / "报告.txt"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(UnknownLayout) as caught:
        read_return(path)
    assert "该行应有 7 个数，文本中有 6 个" in caught.value.finding.message


@pytest.mark.parametrize("cells_lost", [1, 4, 12])
def test_a_page_cut_off_before_its_end_is_f01_not_blank_cells_counted_as_0(tmp_path, cells_lost):
    """A download that did not finish: the parser would close the cut table, and its last
    cells would read as blank (0) with no more than a warning."""
    form = get_form("2021")
    source = valid_return(form, seed=19)
    page = report_html(form, source.values, titled(2024))
    whole = tmp_path / "完整.html"
    whole.write_text(page, encoding="utf-8")
    assert read_return(whole).values == source.values
    cut = len(page)
    for _ in range(cells_lost):
        cut = page.rindex("<td", 0, cut)
    path = tmp_path / "不完整.html"
    path.write_text(page[:cut], encoding="utf-8")
    with pytest.raises(UnreadableFile) as caught:
        read_return(path)
    assert caught.value.finding.rule is Rule.F01
    assert "中断" in caught.value.finding.message and "不完整.html" in caught.value.finding.message
    assert run("check", path).exit_code != 0


@pytest.mark.parametrize(
    ("damage", "said"),
    [
        # a page editor's unclosed tags: every cell after them lies deeper than 256 levels
        (lambda page: page.replace("<table", "<font size=3>" * 260 + "<table", 1), "256 层"),
        # one cell's figure wrapped 300 times
        (lambda page: page.replace("<td>", "<td>" + "<span>" * 300, 1), "256 层"),
        # a text of more than 10 MB before the tables
        (lambda page: page.replace("<body>", "<body><p>" + "文" * 3_700_000 + "</p>", 1), "10 MB"),
    ],
    ids=["unclosed-tags", "a-cell-wrapped-300-times", "a-long-text"],
)
def test_a_page_beyond_the_html_parsers_limits_is_f01_not_blank_cells_counted_as_0(
    tmp_path, damage, said
):
    """libxml2 stops building the tree at its limits and recovers without a word: every cell
    beyond them would read as blank (0), with no more than a warning."""
    form = get_form("2021")
    source = valid_return(form, seed=19)
    page = report_html(form, source.values, titled(2024))
    path = tmp_path / "嵌套.html"
    path.write_text(damage(page), encoding="utf-8")
    with pytest.raises(UnreadableFile) as caught:
        read_return(path)
    assert caught.value.finding.rule is Rule.F01
    assert said in caught.value.finding.message and "嵌套.html" in caught.value.finding.message
    assert run("check", path).exit_code == 2


def test_a_page_nested_deep_within_the_parsers_limits_is_read_whole(tmp_path):
    form = get_form("2021")
    source = valid_return(form, seed=19)
    page = report_html(form, source.values, titled(2024))
    path = tmp_path / "嵌套.html"
    path.write_text(page.replace("<table", "<font size=3>" * 200 + "<table", 1), encoding="utf-8")
    assert read_return(path).values == source.values


def test_a_page_fragment_without_html_tags_is_read_as_before(tmp_path):
    form = get_form("2021")
    source = valid_return(form, seed=20)
    page = report_html(form, source.values, titled(2024))
    body = page[page.index("<body>") + len("<body>") : page.index("</body>")]
    path = tmp_path / "片段.html"
    path.write_text('<meta charset="utf-8">' + body, encoding="utf-8")
    assert read_return(path).values == source.values


def test_check_json_gives_places_and_the_document_kind(tmp_path):
    form = get_form("2021")
    values = dict(valid_return(form, seed=19).values)
    values["四:1:ar5"] = 0
    path = write_report(tmp_path, "html", form, values, titled(2024))
    result = run("check", path, "--format", "json")
    assert result.exit_code == 1
    (entry,) = json.loads(result.stdout)["files"]
    assert entry["document"] == "html"
    (e5,) = entry["findings"]
    assert e5["rule"] == "E5" and e5["sheet"] is None and e5["cells"] == []
    assert e5["places"] == [{"table": "表四", "row": "", "column": "行政复议·总计", "page": None}]
    text = run("check", path).output
    assert "[E5 错误] 表四「行政复议·总计」 表四 行政复议：总计填报 0" in text


def test_last_years_report_checks_the_carried_figures_across_years(tmp_path):
    form = get_form("2021")
    now = valid_return(form, seed=25, year=2024)
    last = consistent_previous(now)
    this_year = write_report(tmp_path, "html", form, now.values, titled(2024), "2024")
    last_year = write_report(tmp_path, "docx", form, last.values, titled(2023), "2023")
    assert run("check", this_year, "--previous", last_year).exit_code == 0
    shifted = dict(last.values)
    shifted["三:4:c1"] += 1  # last year's 结转下年度, 自然人: no longer this year's 上年结转
    last_year = write_report(tmp_path, "docx", form, shifted, titled(2023), "2023改")
    result = run("check", this_year, "--previous", last_year, "--format", "json")
    (entry,) = json.loads(result.stdout)["files"]
    (x1,) = [f for f in entry["findings"] if f["rule"] == "X1"]
    cell = form.cell("三:2:c1")
    assert x1["places"] == [
        {"table": "表三", "row": cell.row_label, "column": "自然人", "page": None}
    ]


def test_a_folder_scan_takes_reports_and_leaves_text_notes(tmp_path):
    form = get_form("2021")
    folder = tmp_path / "收回"
    write_report(folder, "html", form, valid_return(form, seed=20).values, titled(2024, "甲"), "甲")
    write_report(folder, "docx", form, valid_return(form, seed=21).values, titled(2024, "乙"), "乙")
    write_report(folder, "text", form, valid_return(form, seed=22).values, titled(2024, "丙"), "丙")
    (folder / "旧.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    result = run("check", folder, "--format", "json")
    entries = {Path(e["path"]).name: e for e in json.loads(result.stdout)["files"]}
    assert sorted(entries) == ["丙.txt", "乙.docx", "旧.doc", "甲.html"]
    # 丙.txt: a text report is read when named explicitly; found in a folder it is listed, unread
    assert entries["丙.txt"]["status"] == "skipped" and entries["丙.txt"]["unit"] is None
    assert "单独给出" in entries["丙.txt"]["findings"][0]["message"]


# -- round trips through LibreOffice ---------------------------------------------------------------


@requires_soffice
@pytest.mark.soffice
@pytest.mark.parametrize("target", ["html", "pdf"])
@pytest.mark.parametrize("vintage", ["2021", "2019"])
def test_a_return_saved_by_libreoffice_as_a_page_or_pdf_reads_back_identical(
    tmp_path, target, vintage
):
    form = get_form(vintage)
    source = valid_return(form, seed=23, unit="水泥路街道", parent="道外区")
    workbook = tmp_path / "报表.xlsx"
    write_return(workbook, form, source)
    saved = convert(workbook, target, tmp_path / "out")
    ret = read_return(saved)
    assert ret.document == target and ret.form is form
    assert ret.values == source.values
    assert (ret.unit, ret.parent, ret.year) == ("水泥路街道", "道外区", source.year)
    assert validate_return(ret) == []


# -- the real published reports --------------------------------------------------------------------

# What `nianbao check` must find in each: rule id -> how many findings.
VERDICTS = {
    "2021版年报模板-空白.json": {"C04": 1, "C01": 1, "C02": 1, "L02": 2},  # C04: a blank form
    "2022_平潭综合实验区.json": {"L02": 2, "N01": 1},
    "2023_平潭综合实验区.json": {"L02": 2},
    "2023_淮安市洪泽区人民政府.json": {"E5": 2, "L02": 1, "L08": 1},
    "2024_淮安市人民政府.json": {"L02": 1},
    "2024_淮安市洪泽区人民政府.json": {"L02": 1, "L08": 1},
    "seed-report-2021-水泥路街道.json": {"L02": 2},
}
UNITS = {
    "2021版年报模板-空白.json": (None, None),
    "2022_平潭综合实验区.json": ("平潭综合实验区", 2022),
    "2023_平潭综合实验区.json": ("平潭综合实验区", 2023),
    "2023_淮安市洪泽区人民政府.json": ("洪泽区人民政府", 2023),
    "2024_淮安市人民政府.json": ("淮安市人民政府", 2024),
    "2024_淮安市洪泽区人民政府.json": ("淮安市洪泽区人民政府", 2024),
    "seed-report-2021-水泥路街道.json": ("道外区水泥路街道办事处", 2021),
}


def test_every_transcription_has_its_verdict():
    assert sorted(VERDICTS) == TRANSCRIBED == sorted(UNITS)


@pytest.mark.parametrize("name", TRANSCRIBED)
def test_published_reports_read_exactly_their_transcribed_figures(name):
    expected, path = published(name)
    ret = read_return(path)
    assert (ret.unit, ret.year) == UNITS[name]
    assert ret.values == transcribed_values(expected, ret.form)


@pytest.mark.parametrize("name", TRANSCRIBED)
def test_published_reports_get_their_true_findings(name):
    _, path = published(name)
    result = run("check", path, "--format", "json")
    (entry,) = json.loads(result.stdout)["files"]
    found = Counter(f["rule"] for f in entry["findings"])
    assert found == Counter(VERDICTS[name]), [f["message"] for f in entry["findings"]]
    assert result.exit_code == (
        1 if any(f["severity"] == "error" for f in entry["findings"]) else 0
    )
    for finding in entry["findings"]:
        assert finding["sheet"] is None and finding["cells"] == []


def test_huaian_hongze_2023_total_printed_as_0_is_e5_at_table_4_row_column_and_page():
    _, path = published("2023_淮安市洪泽区人民政府.json")
    result = run("check", path, "--format", "json")
    (entry,) = json.loads(result.stdout)["files"]
    e5 = [f for f in entry["findings"] if f["rule"] == "E5"]
    assert [f["places"] for f in e5] == [
        [{"table": "表四", "row": "", "column": "行政复议·总计", "page": 4}],
        [{"table": "表四", "row": "", "column": "行政诉讼·复议后起诉·总计", "page": 4}],
    ]
    assert e5[0]["operands"]["总计（填报）"] == 0 and e5[0]["operands"]["各项之和"] == 11
    line = "[E5 错误] 表四「行政复议·总计」（第 4 页） 表四 行政复议：总计填报 0，但结果维持 10 + 结果纠正 1"
    assert line in run("check", path).output


def test_a_narrower_scope_sentence_raises_no_alarm_but_a_whole_body_one_does():
    _, hongze = published("2024_淮安市洪泽区人民政府.json")
    ret = read_return(hongze)
    assert "区政府办代表区政府受理政府信息公开申请" in "".join((ret.narrative or "").split())
    assert not [f for f in validate_return(ret) if f.rule.id.startswith("N")]
    _, pingtan = published("2022_平潭综合实验区.json")
    (n01,) = [f for f in validate_return(read_return(pingtan)) if f.rule is Rule.N01]
    assert "「2022年，全区收到政府信息公开申请75件" in n01.message
    assert n01.operands["正文"] == 75 and n01.operands["统计表"] == 74
    assert "上年结转 1" in n01.message


@pytest.mark.parametrize("name", TRANSCRIBED)
def test_export_of_a_published_report_gives_the_transcribed_figures(tmp_path, name):
    expected, path = published(name)
    out = tmp_path / "数据.json"
    result = run("export", path, "-o", out)
    rows = json.loads(out.read_text(encoding="utf-8"))
    ret = read_return(path)
    # exported as printed either way; a report with errors says so on every row and exits 1
    has_errors = any(f.is_error for f in validate_return(ret))
    assert result.exit_code == (1 if has_errors else 0)
    assert {row["check"] for row in rows} == {"有错误" if has_errors else "有警告"}
    printed = transcribed_values(expected, ret.form)
    recomputed = complete(ret.form, printed)
    wrong_totals = {
        key
        for f in validate_return(ret)
        if f.rule.id in ("E3", "E4", "E5")
        for key, place in ret.places.items()
        if place in f.places
    }
    assert len(rows) == len(ret.form.cells)
    for row, cell in zip(rows, ret.form.cells, strict=True):
        assert (row["table"], row["row_code"], row["column_code"]) == (
            cell.table.short,
            cell.row.code,
            cell.column.code,
        )
        value = None if row["value"] is None else Decimal(str(row["value"]))
        if not cell.derived:
            assert value == printed[cell.key], cell.key  # as printed, blank stays blank
        else:
            assert value == recomputed[cell.key], cell.key  # totals recomputed ...
            if cell.key not in wrong_totals:  # ... and equal to the printed ones unless flagged
                assert printed[cell.key] in (None, recomputed[cell.key]), cell.key
