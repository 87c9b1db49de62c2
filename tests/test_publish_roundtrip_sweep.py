"""Red-team sweep of the publish → read-back round trip: a published report carries exactly the
figures of the checked return, and `nianbao export` / `check` of the report (Word, web page, and
with LibreOffice: the Word file printed to PDF, Word and web page saved as text) give back every
one of its ~200 cells, value by value, with no finding the return did not have.

Edge returns: six- and seven-digit counts, 收费金额 with decimals (0.05, 1234.5, 12.345, the
float 0.1 + 0.2 typed by a spreadsheet), all zeros, a merged summary of many units, the 2019
format with negative 本年增/减, a return with warnings (published) and one with errors (refused);
unit names with brackets, quotes, ampersands, angle brackets, path characters and great length;
a narrative with markup and title-like lines.
"""

from __future__ import annotations

import csv
import random
import shutil
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import cast

import docx
import lxml.html
import openpyxl
import pytest
from click.testing import CliRunner, Result

from nianbao.cli import cli
from nianbao.form import get_form
from nianbao.form.a1 import cell_name
from nianbao.form.data import Return, filled_return
from nianbao.form.layout import layout_for
from nianbao.form.model import Form, ValueType
from nianbao.pipeline.check import check_paths
from nianbao.xlsx.writer import write_return
from tests.support.returns import balanced_inputs, valid_return
from tests.support.soffice import convert_many, requires_soffice

F21, F19 = get_form("2021"), get_form("2019")
SUFFIX = "年政府信息公开工作年度报告"
# Findings that describe how a workbook cell was typed (blank, 「/」, text-stored digits): the
# report prints the figure as counted, so they have nothing to say about the report.
TYPING = {"V04", "V05", "V06"}

Cell = tuple[str, str, str]  # 表, 行代码, 列代码 as `nianbao export` writes them


def run(*args: object) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args])


def _amount_key(form: Form) -> str:
    return next(k for k in form.input_keys if form.cell(k).value_type is ValueType.AMOUNT)


def _large(form: Form, seed: int, unit: str, year: int, amount: Decimal) -> Return:
    """Six- and seven-digit counts (a province's summary), every amount ``amount``."""
    inputs = balanced_inputs(form, random.Random(seed), high=999_999)
    for key in form.input_keys:
        if form.cell(key).value_type is ValueType.AMOUNT:
            inputs[key] = amount
        elif key.startswith(("三:1:", "三:4:")):  # as many more received as carried: balanced
            inputs[key] += 1_000_000
    return filled_return(form, inputs, unit=unit, year=year)


def _zeros(form: Form, unit: str, year: int) -> Return:
    return filled_return(form, dict.fromkeys(form.input_keys, 0), unit=unit, year=year)


def _workbook(folder: Path, ret: Return) -> Path:
    path = folder / "报表.xlsx"
    write_return(path, ret.form, ret, unit=ret.unit, year=ret.year)
    return path


def _retyped(folder: Path, ret: Return, cells: dict[str, object]) -> Path:
    """``ret``'s workbook with some input cells typed over as a spreadsheet user would."""
    path = _workbook(folder, ret)
    book = openpyxl.load_workbook(path)
    for key, value in cells.items():
        sheet = next(s for s in layout_for(ret.form).sheets if key in s.cells)
        book[sheet.name][cell_name(*sheet.cells[key])] = value
    book.save(path)
    return path


def _with_warnings(folder: Path) -> Path:
    """A blank cell (V04), digits stored as text with spaces (V06), and 「/」 for a 0 (V05)."""
    ret = valid_return(F21, seed=9, unit="丁局", year=2022)
    typed: dict[str, object] = {"二:20-1.1:c1": None, "三:1:c2": f" {ret.values['三:1:c2']} "}
    zero = next(k for k in F21.input_keys if k.startswith("四:") and ret.values[k] == 0)
    typed[zero] = "/"
    return _retyped(folder, ret, typed)


def _summary(folder: Path) -> Path:
    """`nianbao merge` of 24 units, each with a fee of tenths and hundredths of 万元."""
    inbox = folder / "收回"
    inbox.mkdir()
    for i in range(24):
        ret = valid_return(F21, seed=100 + i, unit=f"道外区第{i}单位（分局）", year=2023)
        ret.values[_amount_key(F21)] = Decimal(i) / 10 + Decimal("0.05")
        write_return(inbox / f"u{i}.xlsx", F21, ret, unit=ret.unit, year=2023)
    path = folder / "道外区汇总.xlsx"
    result = run("merge", inbox, "--name", "道外区", "-o", path)
    assert result.exit_code == 0, result.output
    return path


CASES: dict[str, Callable[[Path], Path]] = {
    "2021 单位": lambda d: _workbook(d, valid_return(F21, seed=1, unit="道外区教育局", year=2021)),
    "七位数 收费1234.5": lambda d: _workbook(d, _large(F21, 2, "某省", 2023, Decimal("1234.5"))),
    "六位数 收费0.05": lambda d: _workbook(d, _large(F21, 3, "甲局", 2022, Decimal("0.05"))),
    "收费三位小数": lambda d: _workbook(d, _large(F21, 4, "乙局", 2022, Decimal("12.345"))),
    "收费0.1+0.2": lambda d: _retyped(
        d, valid_return(F21, seed=8, unit="丙局", year=2022), {_amount_key(F21): 0.1 + 0.2}
    ),
    "全为0": lambda d: _workbook(d, _zeros(F21, "水泥路街道办事处", 2021)),
    "2019版": lambda d: _workbook(d, valid_return(F19, seed=5, unit="道外区教育局", year=2020)),
    "2019版 大数 负增减": lambda d: _workbook(d, _large(F19, 6, "某市", 2019, Decimal("0.125"))),
    "2019版 全为0": lambda d: _workbook(d, _zeros(F19, "某街道", 2019)),
    "有警告": lambda d: _with_warnings(d),
    "汇总表": _summary,
}


def _export(path: Path, folder: Path) -> tuple[str, dict[Cell, str]]:
    """(unit, every cell's 值) as `nianbao export` writes them for ``path``."""
    target = folder / f"{path.name}.csv"
    result = run("export", path, "-o", target)
    assert target.exists(), result.output
    with target.open(encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    units = {row["单位"] for row in rows}
    assert len(units) == 1, units
    return units.pop(), {(r["表"], r["行代码"], r["列代码"]): r["值"] for r in rows}


def _rules(path: Path) -> set[str]:
    (report,) = check_paths([path])
    return {f.rule.id for f in report.findings}


def _as_published(values: dict[Cell, str]) -> dict[Cell, str]:
    """The source's cells as the report prints them: a blank input was counted as 0 (V04)."""
    return {cell: value or "0" for cell, value in values.items()}


def _assert_reads_back(source: Path, published: Path, folder: Path) -> None:
    unit, want = _export(source, folder)
    got_unit, got = _export(published, folder)
    assert len(got) == len(want) >= 198
    assert [(c, want[c], got.get(c)) for c in want if _as_published(want)[c] != got.get(c)] == []
    assert got_unit == unit.replace("\u3000", "")
    new = _rules(published) - _rules(source)
    assert new == set(), new


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> dict[str, tuple[Path, Path, Path]]:
    """Every case as (workbook, Word report, web report), published by the command."""
    found = {}
    for n, (name, make) in enumerate(CASES.items()):
        folder = tmp_path_factory.mktemp(f"case{n}")
        source = make(folder)
        for suffix in (".docx", ".html"):
            result = run("publish", source, "-o", folder / f"年报{suffix}")
            assert result.exit_code == 0, (name, result.output)
        found[name] = (source, folder / "年报.docx", folder / "年报.html")
    return found


@pytest.mark.parametrize("case", list(CASES))
@pytest.mark.parametrize("kind", ["docx", "html"])
def test_every_cell_of_the_published_report_reads_back_as_the_return(
    published, case, kind, tmp_path
):
    source, word, web = published[case]
    _assert_reads_back(source, word if kind == "docx" else web, tmp_path)


def test_a_return_with_warnings_is_published_and_says_so(tmp_path):
    source = CASES["有警告"](tmp_path)
    result = run("publish", source, "-o", tmp_path / "年报.html")
    assert result.exit_code == 0
    assert "[V04 警告]" in result.output and "照常发布" in result.output


def test_a_return_with_errors_is_not_published_in_either_format(tmp_path):
    ret = valid_return(F21, seed=10, unit="戊局", year=2022)
    source = _retyped(tmp_path, ret, {"三:1:c1": cast(int, ret.values["三:1:c1"]) + 1})
    for suffix in (".docx", ".html"):
        result = run("publish", source, "-o", tmp_path / f"年报{suffix}")
        assert result.exit_code == 1
        assert "[E1 错误]" in result.output and "未发布" in result.output
        assert not (tmp_path / f"年报{suffix}").exists()


# -- unit names a stranger typed -------------------------------------------------------------

ODD_UNITS = {
    "括号": "哈尔滨市道外区（市场监督管理局）[试点]",
    "全角空格": "道外区　卫生健康局",
    "「」与＆": "「某某」局＆测试中心",
    "较长": "哈尔滨市道外区人民政府办公室（区政务服务管理办公室）",
}
# Names the title's reader cuts short: the figures come back, the unit does not (see below).
# A 年 in the name (青少年, 老年, 青年) ended the title's unit there: on a one-line title (Word,
# web page) 「…青少年活动中心」 was read back as 「活动中心」, silently another unit's name in
# export, merge and status.
NAMES_WITH_NIAN = [
    "哈尔滨市道外区青少年活动中心",
    "某某区老年大学",
    "共青团某某区委员会青年工作部",
    # a year inside the name (a body set up for one event): read back as the part after it
    "道外区2021年第七次全国人口普查领导小组办公室",
    "哈尔滨市2022年冬季运动会筹备委员会办公室",
]

# Names the title's reader once cut short: it took a title's line only after the last
# > / | : _ " “ 《 — - (a web page's breadcrumbs), so these characters in the name itself lost
# what stands before them, and it took at most 60 characters of unit (a longer name came back
# as its last 60).
PUNCTUATED_UNITS = {
    "尖括号与引号": '<b>某某</b>局 & "测试"',
    "路径字符": "甲/乙局:联合办公室",
    "超过60字": "黑龙江省哈尔滨市道外区人民政府办公室（区政务服务管理办公室、区大数据中心、"
    "区营商环境建设监督局）关于政务公开工作的领导小组办公室",
}


def _publish_unit(folder: Path, unit: str) -> tuple[Path, Path, Path]:
    source = _workbook(folder, valid_return(F21, seed=7, unit=unit, year=2022))
    for suffix in (".docx", ".html"):
        result = run("publish", source, "-o", folder / f"年报{suffix}")
        assert result.exit_code == 0, result.output
    return source, folder / "年报.docx", folder / "年报.html"


@pytest.fixture(scope="module")
def unit_published(tmp_path_factory) -> Callable[[str], tuple[Path, Path, Path]]:
    """:func:`_publish_unit` run once per unit name for the whole module: the tests only read
    the workbook and the two reports (what they write goes to their own tmp_path)."""
    done: dict[str, tuple[Path, Path, Path]] = {}

    def publish(unit: str) -> tuple[Path, Path, Path]:
        if unit not in done:
            done[unit] = _publish_unit(tmp_path_factory.mktemp("unit"), unit)
        return done[unit]

    return publish


@pytest.mark.parametrize("unit", [*ODD_UNITS.values(), *PUNCTUATED_UNITS.values()])
def test_an_odd_unit_name_is_escaped_in_the_page_and_valid_in_word(unit_published, tmp_path, unit):
    _, word, web = unit_published(unit)
    title = f"{unit.replace('　', '').replace(' ', '')}2022{SUFFIX}"
    page = lxml.html.fromstring(web.read_bytes())
    assert page.findtext(".//h1").replace(" ", "") == title
    assert page.findtext(".//title").replace(" ", "") == title
    assert page.find(".//b") is None and page.find(".//script") is None  # text, not markup
    paragraph = docx.Document(str(word)).paragraphs[0]
    assert paragraph.text.replace("\n", "").replace(" ", "") == title


@pytest.mark.parametrize("unit", list(ODD_UNITS.values()))
@pytest.mark.parametrize("kind", ["docx", "html"])
def test_an_odd_unit_name_reads_back_with_every_figure(unit_published, tmp_path, unit, kind):
    source, word, web = unit_published(unit)
    _assert_reads_back(source, word if kind == "docx" else web, tmp_path)


@pytest.mark.parametrize("unit", list(PUNCTUATED_UNITS.values()), ids=list(PUNCTUATED_UNITS))
@pytest.mark.parametrize("kind", ["docx", "html"])
def test_a_unit_name_with_breadcrumb_characters_or_over_60_reads_back_whole(
    unit_published, tmp_path, unit, kind
):
    source, word, web = unit_published(unit)
    unit_read, got = _export(word if kind == "docx" else web, tmp_path)
    assert unit_read == unit.replace(" ", "")
    assert got == _export(source, tmp_path)[1]


@pytest.mark.parametrize("unit", NAMES_WITH_NIAN)
@pytest.mark.parametrize("kind", ["docx", "html"])
def test_a_unit_name_holding_nian_reads_back_whole_from_the_title(
    unit_published, tmp_path, unit, kind
):
    source, word, web = unit_published(unit)
    unit_read, got = _export(word if kind == "docx" else web, tmp_path)
    assert unit_read == unit
    assert got == _export(source, tmp_path)[1]


def test_odd_unit_names_give_safe_file_names_in_a_folder(tmp_path):
    inbox, out = tmp_path / "收回", tmp_path / "年报"
    inbox.mkdir()
    units = ["<script>x</script>局", "甲/乙局:*?|办公室", '"引号"局', "..", "CON"]
    for n, unit in enumerate(units):
        write_return(inbox / f"{n}.xlsx", F21, valid_return(F21, seed=n, unit=unit, year=2022))
    result = run("publish", inbox, "--out-dir", out, "--format", "docx", "--format", "html")
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in out.iterdir())
    assert len(names) == 2 * len(units)
    assert all(p.parent == out and not set(p.name) & set('<>:"/\\|?*') for p in out.iterdir())
    assert all(name.endswith((f"2022{SUFFIX}.docx", f"2022{SUFFIX}.html")) for name in names)


def test_a_long_units_file_name_keeps_the_year(tmp_path):
    inbox, out = tmp_path / "收回", tmp_path / "年报"
    inbox.mkdir()
    unit = PUNCTUATED_UNITS["超过60字"]
    write_return(inbox / "1.xlsx", F21, valid_return(F21, seed=1, unit=unit, year=2022))
    assert run("publish", inbox, "--out-dir", out).exit_code == 0
    (written,) = out.iterdir()
    assert f"2022{SUFFIX}" in written.name


# -- a narrative with tricky content ---------------------------------------------------------

NARRATIVE = "\n".join(
    [
        "本报告由<某局>办公室 & “政务公开科”编制。</p><script>alert(1)</script>",
        "一、总体情况",
        "（一）主动公开",
        "2023年，本局主动公开政府信息1,234条，详见《某局2022年政府信息公开工作年度报告》。",
        "二、主动公开政府信息情况",
        "规章 5 0 5",
        "三、收到和处理政府信息公开申请情况",
        "全部申请均在法定期限内答复。",
        "五、存在的主要问题及改进情况",
        "（请填写：问题）",
        "六、其他需要报告的事项",
        "本年度未收取信息处理费。",
    ]
)


@pytest.mark.parametrize("kind", ["docx", "html"])
def test_a_tricky_narrative_changes_no_figure_and_adds_no_finding(tmp_path, kind):
    source = _workbook(tmp_path, valid_return(F21, seed=11, unit="己局", year=2023))
    story = tmp_path / "文字.txt"
    story.write_text(NARRATIVE, encoding="utf-8")
    target = tmp_path / f"年报.{kind}"
    result = run("publish", source, "-o", target, "--narrative", story)
    assert result.exit_code == 0, result.output
    _assert_reads_back(source, target, tmp_path)
    if kind == "html":
        page = lxml.html.fromstring(target.read_bytes())
        assert page.find(".//script") is None
        assert "<script>alert(1)</script>" in page.text_content()


# -- through LibreOffice: PDF and text ------------------------------------------------------

PRINTED = ["七位数 收费1234.5", "2019版 大数 负增减", "有警告"]


@pytest.fixture(scope="module")
def printed(published, tmp_path_factory) -> dict[str, list[Path]]:
    """Each PRINTED case's Word report printed to PDF and saved as text, and its web page saved
    as text: one start of LibreOffice per kind of copy, for all the cases together (copied
    first under names that differ, the reports being all 年报.docx / 年报.html)."""
    folder = tmp_path_factory.mktemp("printed")
    words, webs = [], []
    for n, case in enumerate(PRINTED):
        _, word, web = published[case]
        words.append(Path(shutil.copy(word, folder / f"年报{n}.docx")))
        webs.append(Path(shutil.copy(web, folder / f"年报{n}.html")))
    pdfs = convert_many(words, "pdf", folder / "pdf")
    word_texts = convert_many(words, "txt:Text (encoded):UTF8", folder / "word-text")
    web_texts = convert_many(
        webs, "txt:Text (encoded):UTF8", folder / "web-text", infilter="HTML (StarWriter)"
    )
    return {
        case: list(copies)
        for case, *copies in zip(PRINTED, pdfs, word_texts, web_texts, strict=True)
    }


@requires_soffice
@pytest.mark.soffice
@pytest.mark.parametrize("case", PRINTED)
def test_the_report_printed_to_pdf_or_saved_as_text_reads_back_as_the_return(
    published, printed, case, tmp_path
):
    source, _, _ = published[case]
    for copy in printed[case]:
        _assert_reads_back(source, copy, tmp_path)
