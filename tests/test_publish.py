"""The published report: Word and web page carry exactly the return's tables, labels and figures.

Every sample (2021, 2020 = 2019 vintage, the real seed) and a district summary are published
in both formats and read back with python-docx and lxml; the tables must equal the statutory
layout filled with the return's figures, cell for cell, merge for merge.
"""

from __future__ import annotations

import json
import random
import re
from decimal import Decimal
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from docx.enum.text import WD_COLOR_INDEX
from docx.oxml.ns import qn
from docx.shared import Cm

from nianbao.cli import cli
from nianbao.documents.docx import (
    LANDSCAPE_WIDTH_TWIPS,
    TEXT_WIDTH_TWIPS,
    build_docx,
    column_twips,
    write_docx,
)
from nianbao.documents.html import write_html
from nianbao.documents.narrative import parse_narrative
from nianbao.documents.report import (
    GENERAL,
    PROBLEMS,
    TODO_OPEN,
    build_report,
    headings,
)
from nianbao.documents.tables import table_grid
from nianbao.form import FORMS, get_form
from nianbao.form.data import Return, filled_return
from nianbao.pipeline.check import check_paths, read_one
from nianbao.text import show_value
from tests.support.readback import (
    docx_tables,
    expected_tables,
    html_page,
    html_tables,
    label_order,
)
from tests.support.returns import balanced_inputs, valid_return

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
SAMPLE_FILES = sorted(
    [*(SAMPLES / "2021").glob("*.xlsx"), *(SAMPLES / "2020").glob("*.xlsx")]
    + [*(SAMPLES / "seed").glob("*.xlsx")]
)
SEED_LABELS = Path(__file__).parent / "data" / "seed_labels_2021.json"


def _read(*paths: Path) -> list[Return]:
    """The returns of ``paths``, checked in one batch, each read cleanly (or with warnings)."""
    returns = []
    for report in check_paths(list(paths)):
        assert report.status in ("ok", "warnings") and report.ret is not None, report.path
        returns.append(report.ret)
    return returns


def _publish(ret: Return, folder: Path, stem: str) -> tuple[Path, Path]:
    report = build_report(ret)
    word, web = folder / f"{stem}.docx", folder / f"{stem}.html"
    write_docx(report, word)
    write_html(report, web)
    return word, web


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> dict[str, tuple[Return, Path, Path]]:
    """Every sample and the 2021 district summary, each as Word and as web page."""
    folder = tmp_path_factory.mktemp("published")
    found: dict[str, tuple[Return, Path, Path]] = {}
    for n, (path, ret) in enumerate(zip(SAMPLE_FILES, _read(*SAMPLE_FILES), strict=True)):
        found[f"{path.parent.name}/{path.name}"] = (ret, *_publish(ret, folder, f"r{n}"))
    summary = folder / "道外区汇总.xlsx"
    result = CliRunner().invoke(
        cli, ["merge", str(SAMPLES / "2021"), "--name", "道外区", "-o", str(summary)]
    )
    assert result.exit_code == 0, result.output
    (ret,) = _read(summary)
    found["summary"] = (ret, *_publish(ret, folder, "summary"))
    return found


CASES = [f"{p.parent.name}/{p.name}" for p in SAMPLE_FILES] + ["summary"]


def test_the_samples_cover_both_vintages_the_seed_and_a_summary(published):
    vintages = {ret.form.vintage for ret, _, _ in published.values()}
    assert vintages == {"2019", "2021"}
    assert published["summary"][0].kind == "summary"
    assert any(name.startswith("seed/") for name in published)


@pytest.mark.parametrize("case", CASES)
def test_word_tables_are_the_statutory_tables_with_the_returns_figures(published, case):
    ret, word, _ = published[case]
    expected = expected_tables(ret)
    found = docx_tables(word)
    assert len(found) == len(ret.form.tables) == 3
    for table, got, want in zip(ret.form.tables, found, expected, strict=True):
        assert [c.shape for c in got] == [c.shape for c in want], table.short
    _figures_are_the_returns(ret, found)


@pytest.mark.parametrize("case", CASES)
def test_web_tables_are_the_statutory_tables_with_the_returns_figures(published, case):
    ret, _, web = published[case]
    expected = expected_tables(ret)
    found = html_tables(web)
    assert len(found) == 3
    for table, got, want in zip(ret.form.tables, found, expected, strict=True):
        assert got == want, table.short  # shape, text, and th exactly where labels are
    _figures_are_the_returns(ret, found)


def _figures_are_the_returns(ret: Return, tables) -> None:
    """Read each figure back as a number: inputs equal what the return holds, totals its sums."""
    from nianbao.form.layout import layout_for

    completed = ret.completed()
    for sheet, cells in zip(layout_for(ret.form).sheets, tables, strict=True):
        at = {(c.row, c.col): c.text for c in cells}
        for key, (row, col) in sheet.cells.items():
            text = at[(row - 1, col)]
            number = Decimal(text) if "." in text else int(text)
            assert number == completed[key], key
            if key in ret.form.input_keys:
                assert number == ret.values[key], key


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("kind", ["docx", "html"])
def test_nianbao_reads_its_published_report_back_as_the_same_return(published, case, kind):
    """The strongest round trip: the reader offices use on published reports finds in ours the
    unit, year, vintage and every figure of the return it was made from."""
    ret, word, web = published[case]
    item = read_one(word if kind == "docx" else web)
    assert isinstance(item, Return), item
    assert (item.unit, item.year, item.form) == (ret.unit, ret.year, ret.form)
    assert item.completed() == ret.completed()


@pytest.mark.parametrize("case", CASES)
def test_title_heading_and_opening_name_the_unit_year_and_format(published, case):
    ret, word, web = published[case]
    document = docx.Document(str(word))
    title = f"{ret.unit}{ret.year}年政府信息公开工作年度报告"
    paragraphs = [p.text.replace("\n", "") for p in document.paragraphs]
    assert paragraphs[0] == title and document.paragraphs[0].style.name == "Title"
    opening = paragraphs[1]
    assert f"统计期限自{ret.year}年1月1日起至{ret.year}年12月31日止" in opening
    assert ret.form.document in opening and "《中华人民共和国政府信息公开条例》" in opening
    assert [p.text for p in document.paragraphs if p.style.name == "Heading 1"] == list(
        headings(ret.form)
    )
    page = html_page(web)
    assert page.findtext(".//h1") == title and page.findtext(".//title") == title
    assert [h.text_content() for h in page.iter("h2")] == list(headings(ret.form))
    if ret.kind == "summary":
        assert f"由{ret.members}个单位的统计表汇总而成" in opening


def test_the_six_parts_are_those_of_the_national_format():
    for form in FORMS.values():
        assert headings(form) == (
            "一、总体情况",
            "二、主动公开政府信息情况",
            "三、收到和处理政府信息公开申请情况",
            "四、政府信息公开行政复议、行政诉讼情况",
            "五、存在的主要问题及改进情况",
            "六、其他需要报告的事项",
        )


# -- labels against the real published report ------------------------------------------------


def test_the_2021_tables_have_exactly_the_labels_of_the_published_seed_report(published):
    seed = json.loads(SEED_LABELS.read_text(encoding="utf-8"))
    ret, word, web = published["seed/道外区水泥路街道办事处-2021.xlsx"]
    expected = expected_tables(ret)
    headings_in_doc = [p.text for p in docx.Document(str(word)).paragraphs]
    for tables in (docx_tables(word), html_tables(web)):
        for want, got, table in zip(seed["tables"], tables, expected, strict=True):
            assert want["title"] in headings_in_doc
            assert label_order(got, table) == want["labels"], want["title"]


# -- sentences that state the tables' figures --------------------------------------------------


def _sentence(report, code: str) -> str:
    title = report.form.table(code).title
    (section,) = [s for s in report.sections if s.heading == title]
    (paragraph,) = [p for p in section.paragraphs if p.kind == "figures"]
    return paragraph.text


class _Counts(dict):
    """「…名称 N 件」 in a sentence, by name; a name matches the words just before the figure."""

    def __init__(self, text: str) -> None:
        super().__init__(
            (name, int(n)) for name, n in re.findall(r"([\u4e00-\u9fff]+)(\d+)件", text)
        )

    def _key(self, name: object) -> object:
        found = [k for k in self.keys() if k.endswith(name)]  # type: ignore[arg-type]
        assert len(found) <= 1, (name, found)
        return found[0] if found else name

    def __getitem__(self, name: object) -> int:
        return super().__getitem__(self._key(name))

    def __contains__(self, name: object) -> bool:
        return super().__contains__(self._key(name))

    def get(self, name: object, default: int = 0) -> int:  # type: ignore[override]
        return self[name] if name in self else default


def _counts(text: str) -> _Counts:
    return _Counts(text)


@pytest.mark.parametrize("vintage", sorted(FORMS))
@pytest.mark.parametrize("seed", range(6))
def test_section_three_states_the_totals_of_the_applications_table(vintage, seed):
    ret = valid_return(get_form(vintage), seed=seed, unit="某局", year=2021)
    report = build_report(ret)
    completed = ret.completed()
    text = _sentence(report, "三")
    assert text.startswith("2021年，某局")
    counts = _counts(text)

    def total(*codes: str) -> int:
        return sum(
            v for k, v in completed.items() if k.endswith(":c7") and k.split(":")[1] in codes
        )

    rows = [c.row.code for c in ret.form.table("三").cells if c.column.code == "c7"]
    assert counts["新收政府信息公开申请"] == total("1")
    assert counts["上年结转政府信息公开申请"] == total("2")
    assert counts["本年度办理结果总计"] == total("3.7")
    assert counts["结转下年度继续办理"] == total("4")
    groups = {"予以公开": "3.1", "部分公开": "3.2", "不予公开": "3.3", "无法提供": "3.4"}
    groups |= {"不予处理": "3.5", "其他处理": "3.6"}
    for name, code in groups.items():
        value = total(*(r for r in rows if r == code or r.startswith(code + ".")))
        assert counts.get(name, 0) == value, name  # groups with nothing are not named
        assert (name in counts) == (value > 0)


@pytest.mark.parametrize("seed", range(6))
def test_section_four_states_review_and_litigation_totals_by_result(seed):
    ret = valid_return(get_form("2021"), seed=seed, unit="某局", year=2022)
    values = ret.completed()
    text = _sentence(build_report(ret), "四")
    review, litigation = text.split("；")
    row = {k.split(":")[2]: v for k, v in values.items() if k.startswith("四:")}
    assert _counts(review)["被申请行政复议"] == row["ar5"]
    assert _counts(litigation)["被提起行政诉讼"] == row["ld5"] + row["lr5"]
    names = ("结果维持", "结果纠正", "其他结果", "尚未审结")
    for part, columns in ((review, ("ar",)), (litigation, ("ld", "lr"))):
        counts = _counts(part.split("其中")[-1]) if "其中" in part else {}
        for i, name in enumerate(names, start=1):
            assert counts.get(name, 0) == sum(row[f"{c}{i}"] for c in columns), name
    if row["ld5"] or row["lr5"]:
        split = _counts(litigation.split("（")[1].split("）")[0])
        assert split.get("未经复议直接起诉", 0) == row["ld5"]
        assert split.get("复议后起诉", 0) == row["lr5"]


def test_a_unit_with_no_applications_says_so_without_a_breakdown():
    form = get_form("2021")
    ret = filled_return(form, {}, unit="某街道", year=2023)
    text = _sentence(build_report(ret), "三")
    assert text == (
        "2023年，某街道新收政府信息公开申请0件，上年结转政府信息公开申请0件；"
        "本年度办理结果总计0件；结转下年度继续办理0件。"
    )
    assert _sentence(build_report(ret), "四") == (
        "2023年，某街道因政府信息公开工作被申请行政复议0件；被提起行政诉讼0件。"
    )


# -- placeholders and narrative ------------------------------------------------------------------


def test_placeholders_are_highlighted_in_word_and_marked_in_the_web_page(published):
    ret, word, web = published["2021/道外区教育局.xlsx"]
    report = build_report(ret)
    assert report.todo == 9  # opening 2, 总体情况 5, 五 1, 六 1
    document = docx.Document(str(word))
    runs = [r for p in document.paragraphs for r in p.runs if r.text.startswith(TODO_OPEN)]
    assert len(runs) == report.todo
    assert all(r.font.highlight_color == WD_COLOR_INDEX.YELLOW for r in runs)
    others = [r for p in document.paragraphs for r in p.runs if not r.text.startswith(TODO_OPEN)]
    assert all(r.font.highlight_color is None for r in others)
    marks = html_page(web).findall(".//mark")
    assert len(marks) == report.todo and all(m.text.startswith(TODO_OPEN) for m in marks)


NARRATIVE = """\
本报告由某局办公室编制。本报告电子版可在某局网站（www.example.gov.cn）查阅。

一、总体情况
　　2023年，某局认真贯彻《条例》。
（一）主动公开
全年主动公开政府信息120条。
三、收到和处理政府信息公开申请情况
申请均在法定期限内答复。
五、存在的主要问题及改进情况
一是公开内容还不够全面。（请填写：改进措施）
二、主动公开数据
"""


def test_the_narrative_fills_its_parts_and_keeps_placeholders_elsewhere(tmp_path):
    form = get_form("2021")
    ret = valid_return(form, seed=2, unit="某局", year=2023)
    narrative = parse_narrative(NARRATIVE, headings(form), "文字.txt")
    assert narrative.opening == (
        "本报告由某局办公室编制。本报告电子版可在某局网站（www.example.gov.cn）查阅。",
    )
    assert narrative.sections[GENERAL] == (
        "2023年，某局认真贯彻《条例》。",
        "（一）主动公开",
        "全年主动公开政府信息120条。",
    )
    # a heading-like line that is not a heading: body text, with a warning naming its line
    assert narrative.sections[PROBLEMS][-1] == "二、主动公开数据"
    assert any("第 11 行" in w and "二、主动公开数据" in w for w in narrative.warnings)
    report = build_report(ret, narrative)
    word, web = tmp_path / "r.docx", tmp_path / "r.html"
    write_docx(report, word)
    write_html(report, web)
    texts = [(p.style.name, p.text) for p in docx.Document(str(word)).paragraphs]
    assert texts[1] == ("Normal", narrative.opening[0])
    at = texts.index(("Heading 1", GENERAL))
    assert texts[at + 1 : at + 4] == [
        ("Normal", "2023年，某局认真贯彻《条例》。"),
        ("Heading 2", "（一）主动公开"),
        ("Normal", "全年主动公开政府信息120条。"),
    ]
    three = texts.index(("Heading 1", form.table("三").title))
    assert texts[three + 1][1].startswith("2023年，某局新收")  # generated first, then the text
    assert texts[three + 2] == ("Normal", "申请均在法定期限内答复。")
    # 六 is not in the file: its placeholder stays; the one typed into 五 stays marked
    assert report.todo == 2
    page = html_page(web)
    assert [m.text for m in page.findall(".//mark")] == [
        "（请填写：改进措施）",
        report.sections[-1].paragraphs[0].text,
    ]
    assert [h.text for h in page.iter("h3")] == ["（一）主动公开"]


def test_a_heading_twice_in_the_narrative_is_refused_naming_the_line():
    from nianbao.errors import UserError

    text = "一、总体情况\n甲\n一、 总体 情况\n乙\n"
    with pytest.raises(UserError, match="第 3 行.*一、总体情况.*两次"):
        parse_narrative(text, headings(get_form("2021")), "文字.txt")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"PK\x03\x04 a word file", "不是纯文本"),
        (b"\x00\x01binary", "不是纯文本"),
        (b"\xff\xfe\xfa" * 3, "编码无法识别"),
    ],
)
def test_a_narrative_that_is_not_text_is_refused(tmp_path, data, message):
    from nianbao.documents.narrative import read_narrative
    from nianbao.errors import UserError

    path = tmp_path / "文字.txt"
    path.write_bytes(data)
    with pytest.raises(UserError, match=message):
        read_narrative(path, headings(get_form("2021")))


def test_a_gbk_narrative_reads_as_a_utf8_one(tmp_path):
    from nianbao.documents.narrative import read_narrative

    form = get_form("2021")
    # Notepad's 「Unicode」 is UTF-16 with a byte-order mark
    for encoding, name in (("gbk", "a.txt"), ("utf-8-sig", "b.txt"), ("utf-16", "c.txt")):
        (tmp_path / name).write_bytes(NARRATIVE.encode(encoding))
    gbk, utf8, utf16 = (
        read_narrative(tmp_path / n, headings(form)) for n in ("a.txt", "b.txt", "c.txt")
    )
    assert (gbk.opening, gbk.sections) == (utf8.opening, utf8.sections)
    assert (utf16.opening, utf16.sections) == (utf8.opening, utf8.sections)
    assert utf8.sections[GENERAL][0] == "2023年，某局认真贯彻《条例》。"


# -- Word: page, fonts, widths -------------------------------------------------------------------


def test_the_page_is_a4_portrait_with_the_gbt9704_margins(published):
    _, word, _ = published["2021/道外区教育局.xlsx"]
    (section,) = docx.Document(str(word)).sections
    found = (section.page_width, section.page_height, section.top_margin, section.bottom_margin)
    found += (section.left_margin, section.right_margin)
    wanted = (Cm(21), Cm(29.7), Cm(3.7), Cm(3.5), Cm(2.8), Cm(2.6))
    assert all(abs(a - b) < 635 for a, b in zip(found, wanted, strict=True))  # to the twip


EXPECTED_FACES = {
    "Title": ("方正小标宋简体", 22),
    "Normal": ("仿宋", 16),
    "Heading 1": ("黑体", 16),
    "Heading 2": ("楷体", 16),
    "表格文字": ("宋体", 9),
}


def test_styles_name_the_chinese_faces_for_every_script_without_theme_fonts(published):
    _, word, _ = published["2021/道外区教育局.xlsx"]
    document = docx.Document(str(word))
    for name, (face, size) in EXPECTED_FACES.items():
        style = document.styles[name]
        fonts = style.element.rPr.find(qn("w:rFonts"))
        assert fonts.get(qn("w:eastAsia")) == face, name  # what Chinese text is set in
        assert fonts.get(qn("w:ascii")) == fonts.get(qn("w:hAnsi")) == face, name
        assert not [a for a in fonts.attrib if a.endswith("Theme") or a.endswith("theme")], name
        assert style.font.size.pt == size and not style.font.bold, name
    table_runs = [
        p.style.name
        for table in document.tables
        for row in table.rows
        for cell in row.cells
        for p in cell.paragraphs
    ]
    assert set(table_runs) == {"表格文字"}


def test_the_font_table_gives_each_face_its_alternative_names(published):
    import zipfile

    from lxml import etree

    _, word, _ = published["2021/道外区教育局.xlsx"]
    with zipfile.ZipFile(word) as archive:
        root = etree.fromstring(archive.read("word/fontTable.xml"))
    alternatives = {
        f.get(qn("w:name")): f.find(qn("w:altName")).get(qn("w:val"))
        for f in root.findall(qn("w:font"))
        if f.find(qn("w:altName")) is not None
    }
    assert "宋体" in alternatives["方正小标宋简体"]
    assert "仿宋_GB2312" in alternatives["仿宋"] and "楷体_GB2312" in alternatives["楷体"]


@pytest.mark.parametrize("case", ["2021/道外区教育局.xlsx", "2020/道外区教育局.xlsx", "summary"])
def test_every_table_is_exactly_as_wide_as_the_text(published, case):
    _, word, _ = published[case]
    document = docx.Document(str(word))
    (section,) = document.sections
    text_width = section.page_width - section.left_margin - section.right_margin
    assert TEXT_WIDTH_TWIPS == round(text_width / 635)  # EMU per twip
    for table in document.tables:
        grid = [int(c.get(qn("w:w"))) for c in table._tbl.tblGrid.findall(qn("w:gridCol"))]
        assert sum(grid) == TEXT_WIDTH_TWIPS
        assert table._tbl.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
        for tr in table._tbl.tr_lst:  # each cell as wide as the grid columns it spans
            col = 0
            for tc in tr.tc_lst:
                width = int(tc.tcPr.find(qn("w:tcW")).get(qn("w:w")))
                assert width == sum(grid[col : col + tc.grid_span])
                col += tc.grid_span


# Digits of 宋体 9 pt are half an em (90 twips), of DejaVu Sans 0.636 em (115); cells keep
# 2 × 57 twips of margin.
DIGIT_TWIPS, CELL_MARGINS = 115, 114


@pytest.mark.parametrize("figure", [0, 1007, 10**5 + 7])
def test_large_figures_widen_the_data_columns_without_breaking_a_number(figure):
    form = get_form("2021")
    inputs = {k: figure for k in form.input_keys if form.cell(k).value_type.value == "count"}
    # 1007: 表四's totals have four digits; 100007: 表三's grand total has eight
    ret = filled_return(form, inputs, unit="某市", year=2024)
    for table in form.tables:
        grid = table_grid(form, table.code, {k: show_value(v) for k, v in ret.completed().items()})
        portrait = column_twips(grid, TEXT_WIDTH_TWIPS)
        if figure < 10**4:
            assert portrait is not None, table.short  # four-digit figures fit upright
        widths = portrait or column_twips(grid, LANDSCAPE_WIDTH_TWIPS)
        assert widths is not None and sum(widths) in (TEXT_WIDTH_TWIPS, LANDSCAPE_WIDTH_TWIPS)
        for cell in grid.cells:
            if cell.kind == "data":
                room = sum(widths[cell.col : cell.col + cell.colspan]) - CELL_MARGINS
                assert len(cell.text) * DIGIT_TWIPS <= room, (table.short, cell.key, cell.text)


@pytest.mark.parametrize("vintage", sorted(FORMS))
def test_table_two_has_room_for_its_column_headers_on_one_line(vintage):
    """表二 has four columns on a page that holds far more: no 「本年新制作数/量」 breaks."""
    form = get_form(vintage)
    ret = valid_return(form, seed=1, unit="某局", year=form.years[0])
    grid = table_grid(form, "二", {k: show_value(v) for k, v in ret.completed().items()})
    widths = column_twips(grid, TEXT_WIDTH_TWIPS)
    assert widths is not None
    for cell in grid.cells:
        if cell.kind == "column" and cell.colspan == 1:
            room = widths[cell.col] - CELL_MARGINS
            assert len(cell.text) * 2 * 90 <= room, cell.text  # 宋体 9 pt: 180 twips a character


def _placed(document, form) -> dict[str, int]:
    """Which section each table (table1, table2…) and heading falls in: a paragraph's sectPr
    ends its section."""
    section, placed = 0, {}
    for child in document.element.body.iterchildren():
        if child.tag == qn("w:tbl"):
            placed[f"table{len([k for k in placed if k.startswith('table')]) + 1}"] = section
        elif child.tag == qn("w:p"):
            text = "".join(t.text or "" for t in child.iter(qn("w:t")))
            if text in headings(form):
                placed[text] = section
            if child.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is not None:
                section += 1
    return placed


def test_a_table_whose_figures_need_more_room_gets_a_landscape_page(tmp_path):
    form = get_form("2021")
    inputs = balanced_inputs(form, random.Random(5))
    inputs |= {k: 123456 for k in form.input_keys if k.startswith("四:")}
    ret = filled_return(form, inputs, unit="某省", year=2024)
    word, _ = _publish(ret, tmp_path, "wide")
    document = docx.Document(str(word))
    placed = _placed(document, form)
    sections = document.sections
    four = form.table("四").title
    assert placed[four] == placed["table3"] != placed[form.table("三").title]
    for name, index in placed.items():
        landscape = sections[index].page_width > sections[index].page_height
        assert landscape == (index == placed["table3"]), name
    wide = sections[placed["table3"]]
    grid = document.tables[2]._tbl.tblGrid.findall(qn("w:gridCol"))
    text_width = (wide.page_width - wide.left_margin - wide.right_margin) // 635
    assert sum(int(c.get(qn("w:w"))) for c in grid) == text_width == LANDSCAPE_WIDTH_TWIPS


def test_tables_three_and_four_both_on_landscape_pages_share_one_landscape_section(tmp_path):
    """Two landscape parts in a row are one section: a portrait section between them would hold
    only a section break, a blank page with a number. 表三 is taller than a landscape page, so
    only its header rows keep with the next: chained whole, it would leave its heading alone."""
    form = get_form("2021")
    inputs = balanced_inputs(form, random.Random(5))
    for key in form.input_keys:
        if key.startswith(("三:1:", "三:4:")):  # eight-digit figures, still balanced
            inputs[key] += 10_000_000
        elif key.startswith("四:"):
            inputs[key] = 123456
    ret = filled_return(form, inputs, unit="某省", year=2024)
    word, _ = _publish(ret, tmp_path, "wide")
    document = docx.Document(str(word))
    placed = _placed(document, form)
    assert [s.page_width > s.page_height for s in document.sections] == [False, True, False]
    titles = [form.table(code).title for code in ("三", "四")]
    assert {placed[titles[0]], placed["table2"], placed[titles[1]], placed["table3"]} == {1}
    keep = f"{qn('w:pPr')}/{qn('w:keepNext')}"
    two, three = (
        [any(p.find(keep) is not None for p in tr.iter(qn("w:p"))) for tr in table._tbl.tr_lst]
        for table in document.tables[:2]
    )
    assert three == [True] * 3 + [False] * (len(three) - 3)
    assert two == [True] * (len(two) - 1) + [False]  # a portrait table still keeps whole


def test_table_header_rows_repeat_on_each_page_only_for_single_block_tables(published):
    ret, word, _ = published["2021/道外区教育局.xlsx"]
    document = docx.Document(str(word))
    repeated = [
        sum(1 for tr in t._tbl.tr_lst if tr.trPr.find(qn("w:tblHeader")) is not None)
        for t in document.tables
    ]
    assert repeated == [0, 3, 3]  # 表二's blocks each have their own header


# -- the web page ----------------------------------------------------------------------------------


@pytest.mark.parametrize("case", ["2021/道外区教育局.xlsx", "2020/道外区教育局.xlsx"])
def test_the_web_page_is_self_contained(published, case):
    _, _, web = published[case]
    page = html_page(web)
    assert page.get("lang") == "zh-CN"
    assert page.find(".//meta[@name='viewport']") is not None
    assert page.find(".//meta[@charset='utf-8']") is not None
    assert not page.findall(".//script") and not page.findall(".//link")
    assert not page.findall(".//img") and not page.findall(".//iframe")
    assert not [e for e in page.iter() if e.get("src") or e.get("href")]
    style = page.findtext(".//style")
    assert "@media print" in style and "url(" not in style and "@import" not in style
    assert web.read_bytes().startswith(b"<!DOCTYPE html>")


@pytest.mark.parametrize("case", ["2021/道外区教育局.xlsx", "2020/道外区教育局.xlsx", "summary"])
def test_every_figure_names_its_headers_as_the_form_describes_the_cell(published, case):
    """Screen readers read a figure with its headers: the block caption, the column headers
    top down and the row headers left to right, exactly the form's paths to that cell."""
    ret, _, web = published[case]
    page = html_page(web)
    by_id = {e.get("id"): e for e in page.iter() if e.get("id")}
    tables = page.findall(".//table")
    for table, element in zip(ret.form.tables, tables, strict=True):
        caption = element.find("caption")
        assert caption.text.endswith(table.title.split("、", 1)[1])
        wrapper = element.getparent()
        assert wrapper.get("class") == "table-wrap" and wrapper.get("tabindex") == "0"
        assert wrapper.get("aria-labelledby") == caption.get("id")
        for th in element.iter("th"):
            assert th.get("scope") in ("col", "colgroup", "row", "rowgroup")
        grid = table_grid(ret.form, table.code, dict.fromkeys(ret.values, ""))
        data = [td for td in element.iter("td")]
        assert len(data) == len(table.cells)
        cells = [c for c in grid.cells if c.kind == "data"]  # reading order, as the <td>s
        for td, cell in zip(data, cells, strict=True):
            form_cell = ret.form.cell(cell.key)
            names = [by_id[i].text_content() for i in td.get("headers").split()]
            expected = [form_cell.block.caption] if form_cell.block.caption else []
            expected += [h.label for h in form_cell.column_path]
            expected += [h.label for h in form_cell.row_path if h.label]
            assert names == expected, cell.key


def test_table_ids_are_unique_and_ascii_on_the_page(published):
    _, _, web = published["summary"]
    ids = [e.get("id") for e in html_page(web).iter() if e.get("id")]
    assert len(ids) == len(set(ids)) and all(i.isascii() for i in ids)


# -- determinism and formats ---------------------------------------------------------------------


def test_the_same_return_gives_the_same_web_page_and_word_text(tmp_path):
    ret = valid_return(get_form("2021"), seed=4, unit="某局", year=2022)
    a, b = _publish(ret, tmp_path, "a"), _publish(ret, tmp_path, "b")
    assert a[1].read_bytes() == b[1].read_bytes()
    assert build_docx(build_report(ret)).element.xml == build_docx(build_report(ret)).element.xml


def test_a_return_without_unit_or_year_cannot_be_built_into_a_report():
    ret = valid_return(get_form("2021"), seed=1, unit=None, year=2022)
    with pytest.raises(ValueError):
        build_report(ret)
    ret = valid_return(get_form("2021"), seed=1, unit="某局", year=None)
    with pytest.raises(ValueError):
        build_report(ret)


def test_an_amount_prints_as_its_value_without_trailing_zeros(tmp_path):
    from nianbao.form.layout import layout_for

    form = get_form("2021")
    inputs = balanced_inputs(form, random.Random(3))
    inputs["二:20-8.1:c1"] = Decimal("12.50")
    ret = filled_return(form, inputs, unit="某局", year=2022)
    word, web = _publish(ret, tmp_path, "fee")
    row, col = layout_for(form).position("二:20-8.1:c1")
    for tables in (docx_tables(word), html_tables(web)):
        assert {(c.row, c.col): c.text for c in tables[0]}[(row - 1, col)] == "12.5"


def test_control_characters_in_the_unit_name_or_narrative_are_left_out_of_both_formats(tmp_path):
    # Excel keeps a control character typed or pasted into a cell (as _x001B_); Word's XML
    # cannot hold one, so publishing such a unit ended in a traceback and stopped the batch.
    form = get_form("2021")
    ret = valid_return(form, seed=2, unit="某\x1b[31m局\x07\u200b", year=2023)
    narrative = parse_narrative(
        "一、总体情况\n全年\x1b主动公开\x08120条。\n", headings(form), "文字.txt"
    )
    report = build_report(ret, narrative)
    assert report.title == "某[31m局2023年政府信息公开工作年度报告"
    word, web = tmp_path / "r.docx", tmp_path / "r.html"
    write_docx(report, word)
    write_html(report, web)
    texts = [p.text for p in docx.Document(str(word)).paragraphs]
    assert "全年主动公开120条。" in texts
    assert html_page(web).findtext(".//h1") == report.title
    from nianbao.xlsx.writer import write_return

    write_return(tmp_path / "某局.xlsx", form, ret)
    result = CliRunner().invoke(
        cli, ["publish", str(tmp_path / "某局.xlsx"), "-o", str(tmp_path / "c.docx")]
    )
    assert result.exit_code == 0 and result.exception is None, result.output
    assert docx.Document(str(tmp_path / "c.docx")).core_properties.title == report.title
