"""Published reports as an assessor reads them: the unit's name in the title and the text, and
the title's line break (sweep 4 of the publish output)."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from nianbao.cli import cli
from nianbao.documents.docx import write_docx
from nianbao.documents.html import write_html
from nianbao.documents.report import build_report, printed_unit
from nianbao.form import get_form
from nianbao.pipeline.check import read_one
from nianbao.text import unit_key
from nianbao.xlsx.writer import write_return
from tests.support.readback import html_page
from tests.support.returns import valid_return

SUFFIX = "2021年政府信息公开工作年度报告"


def run(*args: object):
    return CliRunner().invoke(cli, [str(a) for a in args])


def _return(unit: str):
    return valid_return(get_form("2021"), seed=4, unit=unit, year=2021)


def _title_lines(word: Path) -> list[str]:
    """The Word title as printed: its lines, split where the document breaks it."""
    title = docx.Document(str(word)).paragraphs[0]
    assert title.style.name == "Title"
    return title.text.split("\n")


# -- the unit's name as printed --------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "printed"),
    [
        ("道外区教育局\n二科", "道外区教育局二科"),  # Alt+Enter in the 封面 cell
        ("道外区\t教育局", "道外区教育局"),
        ("道外区　教育局", "道外区教育局"),  # a full-width space between 区 and 局
        ("  道外区教育局\u3000\u3000", "道外区教育局"),
        ("道外区 Hello  World 中心", "道外区Hello World中心"),  # Latin words keep one space
        ("道外区\u200b教育局", "道外区教育局"),
    ],
)
def test_a_unit_name_prints_on_one_line_without_the_gaps_typed_in_its_cell(typed, printed):
    assert printed_unit(typed) == printed
    assert unit_key(printed) == unit_key(typed)  # still the same unit for every comparison


def test_the_title_and_sentences_name_the_unit_without_a_line_break_typed_in_its_cell(tmp_path):
    ret = _return("道外区教育局\n二科")
    report = build_report(ret)
    assert report.title == f"道外区教育局二科{SUFFIX}"
    sentences = [p.text for s in report.sections for p in s.paragraphs if p.kind == "figures"]
    assert sentences and all(s.startswith("2021年，道外区教育局二科") for s in sentences)
    word, web = tmp_path / "r.docx", tmp_path / "r.html"
    write_docx(report, word)
    write_html(report, web)
    assert _title_lines(word) == ["道外区教育局二科", SUFFIX]
    page = html_page(web)
    assert page.findtext(".//h1") == report.title == page.findtext(".//title")
    for path in (word, web):  # read back as the same unit, no warning about a missing one
        item = read_one(path)
        assert item.unit == "道外区教育局二科" and item.completed() == ret.completed()


def test_a_folder_names_each_report_after_its_printed_title(tmp_path):
    form = get_form("2021")
    inbox, out = tmp_path / "收回", tmp_path / "年报"
    inbox.mkdir()
    write_return(inbox / "a.xlsx", form, _return("道外区　教育局"))
    result = run("publish", inbox, "--out-dir", out, "--format", "docx", "--format", "html")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == [
        f"道外区教育局{SUFFIX}.docx",
        f"道外区教育局{SUFFIX}.html",
    ]


@pytest.mark.parametrize("unit", ["\u200b", "\u3000\u200b\u3000", " \n "])
def test_a_unit_name_with_nothing_to_print_is_not_published(tmp_path, unit):
    """A title 「2021年政府信息公开工作年度报告」 names no one: refused like a missing unit."""
    source, target = tmp_path / "a.xlsx", tmp_path / "年报.html"
    ret = _return("占位")
    ret.unit = unit
    write_return(source, get_form("2021"), ret)
    result = run("publish", source, "-o", target)
    assert result.exit_code == 1, result.output
    assert "填报单位" in result.output and not target.exists()
    with pytest.raises(ValueError):
        build_report(ret)


# -- the title's line break --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("unit", "lines"),
    [
        ("道外区", 1),  # 18 characters wide at 二号: one line of the 15.6 cm text block
        ("道外区委", 1),  # 19 wide, 21 characters: the four digits are half as wide
        ("哈尔滨市委", 2),  # 20 wide and the space around the year: 「告」 would wrap alone
        ("道外区教育局", 2),  # 21 wide: more than the line holds, broken after the unit
    ],
)
def test_the_title_breaks_after_the_unit_only_when_it_does_not_fit_one_line(tmp_path, unit, lines):
    word = tmp_path / "r.docx"
    write_docx(build_report(_return(unit)), word)
    assert len(_title_lines(word)) == lines
    assert "".join(_title_lines(word)) == f"{unit}{SUFFIX}"
