"""Markup that changes what a figure looks like, in web pages and Word files: what a reader does
not see (hidden, struck, moved away) is not read, and what is set off the line (a footnote
mark) or drawn by a special character is read as shown, never glued onto the figure.

A figure read must be the figure printed, or the cell says it is not a figure (V01): 2629 with
a raised footnote mark 1 was read as 26291, with no finding at all.
"""

from __future__ import annotations

import random
import re
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from nianbao.checks.engine import validate_return
from nianbao.documents.docx import write_docx
from nianbao.documents.report import build_report
from nianbao.form import get_form
from nianbao.form.data import Return, filled_return
from nianbao.form.findings import Rule
from nianbao.recognise.reader import UnknownLayout, read_return
from nianbao.sources.dispatch import open_source
from tests.support.documents import Printing, published, report_html, transcribed_values
from tests.support.returns import balanced_inputs

FORM = get_form("2021")
# 表二, 第二十条第（五）项 行政许可: no balance rule would catch a wrong figure there
KEY = "二:20-5.1:c1"
FIGURE = 58
TITLE = "某某区人民政府\n2024年政府信息公开工作年度报告"


def source() -> Return:
    inputs = balanced_inputs(FORM, random.Random(3))
    inputs[KEY] = FIGURE
    return filled_return(FORM, inputs, unit="某某区人民政府", year=2024)


def read_as_shown(ret: Return, key: str, shown: str) -> None:
    """``key`` holds the text ``shown`` (no figure), the checks reject it at that cell, and
    every other figure is read as printed."""
    assert ret.values[key] == shown
    assert {k: v for k, v in ret.values.items() if k != key} == {
        k: v for k, v in source().values.items() if k != key
    }
    findings = validate_return(ret)
    assert [f.places for f in findings if f.rule is Rule.V01] == [(ret.places[key],)]


# -- web pages ---------------------------------------------------------------------------------------


def as_printed(ret: Return) -> None:
    """Every figure read as the source printed it, and nothing to say about any."""
    assert ret.values == source().values
    assert validate_return(ret) == []


def web_page(cell: str = "{}") -> str:
    """The report as a web page, the 行政许可 cell printed as ``cell`` ({} the figure)."""

    def printed(key: str, value: object) -> str:
        return cell.format(value) if key == KEY else str(value)

    return report_html(FORM, source().values, Printing(title=TITLE, text=printed))


def saved(tmp_path: Path, page: str) -> Path:
    path = tmp_path / "报告.html"
    path.write_text(page, encoding="utf-8")
    return path


NOT_SEEN_ON_A_PAGE = {
    "display-none": '<span style="display:none">1</span>{}',
    "display-none-any-case": "<span style='DISPLAY : None !important'>1</span>{}",
    "word-hidden-text": '{}<span style="display:none;mso-hide:all">0</span>',
    "mso-hide-alone": '<span style="mso-hide: all">1</span>{}',
    "hidden-attribute": "<span hidden>1</span><span hidden style='display:inline'>{}</span>",
    "visibility-hidden": '<span style="visibility:hidden">1<b style="visibility:visible">{}</b></span>',
    "s": "<s>59</s>{}",
    "strike": "<strike>59</strike>{}",
    "del": "<del>59</del>{}",
    "line-through": '<span style="color:red; Text-Decoration: LINE-THROUGH red">59</span>{}',
    "line-through-longhand": '<font style="text-decoration-line:line-through">5<b>9</b></font>{}',
}


@pytest.mark.parametrize("cell", NOT_SEEN_ON_A_PAGE.values(), ids=NOT_SEEN_ON_A_PAGE)
def test_hidden_and_struck_text_on_a_page_is_not_read(tmp_path, cell):
    as_printed(read_return(saved(tmp_path, web_page(cell))))


OFF_THE_LINE_ON_A_PAGE = {
    "sup": ("{}<sup>1</sup>", f"{FIGURE}¹"),
    "sub": ("{}<SUB>2</SUB>", f"{FIGURE}₂"),
    "vertical-align-super": ('{}<span style="vertical-align: Super">(1)</span>', f"{FIGURE}⁽¹⁾"),
    "sup-then-more": ("{}<sup>1<b>2</b></sup>", f"{FIGURE}¹²"),
    "word-raised-mark": (
        '{}<span style="position:relative;top:-3.0pt;mso-text-raise:3.0pt;font-size:6pt">1</span>',
        f"{FIGURE}¹",
    ),
    "mso-text-raise-alone": ('{}<span style="mso-text-raise:4pt">1</span>', f"{FIGURE}¹"),
    "vertical-align-top": (
        '{}<span style="vertical-align:top;font-size:7pt">1</span>',
        f"{FIGURE}¹",
    ),
    "vertical-align-length": ('{}<span style="vertical-align:0.4em">2</span>', f"{FIGURE}²"),
    "lowered-by-a-length": ('{}<span style="vertical-align:-20%">3</span>', f"{FIGURE}₃"),
    "position-bottom": ('{}<span style="position:relative;bottom:3px">1</span>', f"{FIGURE}¹"),
}


@pytest.mark.parametrize("cell, shown", OFF_THE_LINE_ON_A_PAGE.values(), ids=OFF_THE_LINE_ON_A_PAGE)
def test_a_footnote_mark_on_a_page_is_shown_raised_and_rejected_at_its_cell(tmp_path, cell, shown):
    read_as_shown(read_return(saved(tmp_path, web_page(cell))), KEY, shown)


def test_a_figure_struck_with_nothing_left_standing_on_a_page_is_no_blank(tmp_path):
    """A struck 59 and nothing in its place read as a blank cell, 0 with only V04."""
    read_as_shown(
        read_return(saved(tmp_path, web_page("<del>59</del>"))), KEY, "〔只有划去的数字：59〕"
    )


MOVED_WHOLE = {
    "raised-span": '<span style="position:relative;top:-1px">{}</span>',
    "word-raised-paragraph": '<span style="position:relative;top:2.0pt;mso-text-raise:-2.0pt">{}</span>',
    "aligned-top-in-its-cell": '<span style="vertical-align:top">{}</span>',
}


@pytest.mark.parametrize("cell", MOVED_WHOLE.values(), ids=MOVED_WHOLE)
def test_a_figure_moved_whole_is_on_its_own_line_and_read(tmp_path, cell):
    as_printed(read_return(saved(tmp_path, web_page(cell))))


@pytest.mark.parametrize("cell", ['<bdo dir="rtl">{}</bdo>', '<span dir="RTL">1{}</span>'])
def test_a_figure_set_right_to_left_is_not_read(tmp_path, cell):
    """A browser may show its digits in another order (「<bdo dir=rtl>1234」 shows 4321)."""
    ret = read_return(saved(tmp_path, web_page(cell)))
    assert not isinstance(ret.values[KEY], int)
    v01 = [f.places for f in validate_return(ret) if f.rule is Rule.V01]
    assert v01 == [(ret.places[KEY],)]


def test_a_hidden_row_or_cell_is_not_part_of_the_table(tmp_path):
    """A browser lays out neither: a hidden copy of a row with other figures must not be read
    instead of the row shown, nor a hidden cell shift the cells of its row."""
    page = web_page()
    start = page.rindex("<tr>", 0, page.index("（二）部分公开"))
    end = page.index("</tr>", start) + len("</tr>")
    row = page[start:end]
    hidden_copy = re.sub(r"<span>(\d+)</span>", r"<span>9\1</span>", row)
    hidden_copy = hidden_copy.replace("<tr>", "<tr style='display: none'>")
    last = row.rindex("<td>")
    with_hidden_cell = row[:last] + "<td hidden><p>7</p></td>" + row[last:]
    ret = read_return(saved(tmp_path, page[:start] + hidden_copy + with_hidden_cell + page[end:]))
    assert ret.values == source().values
    assert validate_return(ret) == []


def _row_of(page: str, label: str) -> tuple[int, int]:
    start = page.rindex("<tr>", 0, page.index(label))
    return start, page.index("</tr>", start) + len("</tr>")


def test_a_figure_cell_hidden_in_one_row_marks_the_figures_it_moves(tmp_path):
    """A browser draws the cells after a hidden <td> one column left: the figure read under a
    column would be its neighbour's (silently: the row's total moved into the last column and
    still balanced). Each figure after the hidden cell is V01 at its cell."""
    page = web_page()
    start, end = _row_of(page, "（二）部分公开")
    row = page[start:end]
    cells = [m.start() for m in re.finditer(r"<td\b", row)]
    second = cells[2]  # the row's label, its first figure, then the figure hidden
    row = row[:second] + '<td style="display:none"' + row[second + len("<td") :]
    ret = read_return(saved(tmp_path, page[:start] + row + page[end:]))
    moved = [k for k, v in ret.values.items() if isinstance(v, str) and "左移" in v]
    shifted_row = [cell.key for cell in FORM.cells if cell.key.startswith("三:3.2:")]
    assert moved == [k for k in shifted_row[1:] if k in ret.values][: len(moved)]
    assert len(moved) >= 5
    others = {k: v for k, v in ret.values.items() if not k.startswith("三:3.2:")}
    assert others == {k: v for k, v in source().values.items() if not k.startswith("三:3.2:")}
    v01 = {f.places[0] for f in validate_return(ret) if f.rule is Rule.V01}
    assert v01 == {ret.places[k] for k in moved}


def test_a_hidden_cell_spanning_rows_marks_the_figures_of_every_row_it_spans(tmp_path):
    """Hiding 「三、本年度办理结果」 (rowspan 22) moves all 22 rows' cells one column left:
    every figure of them is V01, none read under its neighbour's header."""
    page = web_page()
    at = page.index("<td rowspan=22><p class=MsoNormal><span>三、本年度办理结果")
    page = page[:at] + '<td style="display:none" rowspan=22' + page[at + len("<td rowspan=22") :]
    ret = read_return(saved(tmp_path, page))
    results = {k: v for k, v in ret.values.items() if k.startswith("三:3.")}
    marked = [v for v in results.values() if isinstance(v, str) and "左移" in v]
    assert len(marked) > 100 and all(v is None or v in marked for v in results.values())
    others = {k: v for k, v in ret.values.items() if k not in results}
    assert others == {k: v for k, v in source().values.items() if k not in results}


def test_a_column_hidden_in_every_row_is_a_whole_table(tmp_path):
    """Excel's web page of a sheet with a hidden column: every row hides a cell in the same
    place, the table is drawn whole, and every figure is read as printed."""
    page = web_page()
    body = page.index("<div class=WordSection1>")
    rows = re.sub(r"<tr>", '<tr><td style="display:none"><p>9</p></td>', page[body:])
    ret = read_return(saved(tmp_path, page[:body] + rows))
    assert ret.values == source().values
    assert validate_return(ret) == []


def test_a_hidden_table_and_hidden_text_are_not_read(tmp_path):
    page = web_page()
    body = page.index("<div class=WordSection1>")
    hidden = (
        "<div style='display:none'><p>隐藏的旧数据</p>"
        "<table><tr><td>行政许可</td><td>9999</td></tr><tr><td>规章</td><td>9999</td></tr></table>"
        "</div>"
    )
    path = saved(tmp_path, page[:body] + hidden + page[body:])
    assert read_return(path).values == source().values
    with open_source(path) as grid:
        assert "9999" not in str(grid.sheets[0].rows)
        assert "隐藏的旧数据" not in (grid.text or "")


MARKUP_ON_THE_REAL_PAGE = {
    "sup": ("2629<sup>1</sup>", "2629¹"),
    "s": ("<s>2630</s>2629", 2629),
    "del": ("<del>2630</del>2629", 2629),
    "display-none": ('<span style="display:none">1</span>2629', 2629),
    "word-hidden-text": ('2629<span style="display:none;mso-hide:all">0</span>', 2629),
}


@pytest.mark.parametrize(
    "markup, read", MARKUP_ON_THE_REAL_PAGE.values(), ids=MARKUP_ON_THE_REAL_PAGE
)
def test_the_real_pingtan_page_reads_its_administrative_licences_as_printed(tmp_path, markup, read):
    """表二 行政许可 on the 平潭 2023 page prints 2629; the tester's markup around it."""
    expected, original = published("2023_平潭综合实验区.json")
    page = original.read_text(encoding="utf-8")
    assert page.count(">2629<") == 1
    path = tmp_path / "平潭.html"
    path.write_text(page.replace(">2629<", f">{markup}<"), encoding="utf-8")
    ret = read_return(path)
    values = transcribed_values(expected, ret.form)
    assert values[KEY] == 2629
    assert ret.values == {**values, KEY: read}
    v01 = [f.places for f in validate_return(ret) if f.rule is Rule.V01]
    assert v01 == ([(ret.places[KEY],)] if isinstance(read, str) else [])


# -- Word files --------------------------------------------------------------------------------------

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


@pytest.fixture(scope="module")
def published_word(tmp_path_factory) -> Path:
    """The return published as Word, as `nianbao publish` writes it."""
    folder = tmp_path_factory.mktemp("word")
    path = folder / "报告.docx"
    write_docx(build_report(source()), path)
    as_is = read_return(word_report(folder / "as-is", path, "<w:r><w:t>{}</w:t></w:r>"))
    assert as_is.values == source().values and validate_return(as_is) == []
    return path


def rewritten(
    base: Path, path: Path, edit, *, styles: str = "", parts: dict[str, str] | None = None
) -> Path:
    """``base`` written to ``path`` with ``edit`` done to its body (the document's root),
    ``styles`` (w:style elements) added to its styles part and ``parts`` added or replaced."""
    with zipfile.ZipFile(base) as archive:
        written = {info.filename: archive.read(info) for info in archive.infolist()}
    if styles:
        written["word/styles.xml"] = written["word/styles.xml"].replace(
            b"</w:styles>", styles.encode() + b"</w:styles>"
        )
    root = etree.fromstring(written["word/document.xml"])
    edit(root)
    written["word/document.xml"] = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    written.update({name: text.encode() for name, text in (parts or {}).items()})
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in written.items():
            archive.writestr(name, data)
    return path


def figure_paragraph(root):
    """The paragraph of the 行政许可 figure cell (表二's, the one KEY reads)."""
    (label,) = [tc for tc in root.iter(f"{{{W}}}tc") if "".join(tc.itertext()) == "行政许可"]
    return label.getnext().find(f"{{{W}}}p")


def word_report(tmp_path: Path, base: Path, runs: str, styles: str = "") -> Path:
    """``base`` with the runs of the 行政许可 cell replaced by ``runs`` ({} the figure), and
    ``styles`` (w:style elements) added to its styles part."""

    def edit(root) -> None:
        paragraph = figure_paragraph(root)
        for run in paragraph.findall(f"{{{W}}}r"):
            paragraph.remove(run)
        paragraph.extend(etree.fromstring(f'<x xmlns:w="{W}">{runs.format(FIGURE)}</x>'))

    return rewritten(base, tmp_path / "报告.docx", edit, styles=styles)


def run(text: str, properties: str = "") -> str:
    return f"<w:r><w:rPr>{properties}</w:rPr><w:t>{text}</w:t></w:r>"


MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
OMML = "http://schemas.openxmlformats.org/officeDocument/2006/math"
_DIRTY_FIELD = (
    "<w:r><w:fldChar w:fldCharType='begin' w:dirty='true'/></w:r>"
    "<w:r><w:instrText xml:space='preserve'> =50+8 </w:instrText></w:r>"
    "<w:r><w:fldChar w:fldCharType='separate'/></w:r><w:r><w:t>{}</w:t></w:r>"
    "<w:r><w:fldChar w:fldCharType='end'/></w:r>"
)


def _alternate(*choices: str, fallback: str, requires: str = "w14") -> str:
    """``mc:AlternateContent`` with ``choices`` (each requiring ``requires``) and a fallback."""
    branches = "".join(f"<mc:Choice Requires='{requires}'>{c}</mc:Choice>" for c in choices)
    return (
        f"<mc:AlternateContent xmlns:mc='{MC}' xmlns:zz='http://example.com/zz'>{branches}"
        f"<mc:Fallback>{fallback}</mc:Fallback></mc:AlternateContent>"
    )


NOT_SEEN_IN_WORD = {
    "vanish": run("1", "<w:vanish/>") + run("{}"),
    "spec-vanish": run("{}") + run("0", "<w:specVanish/>"),
    "moved-away": '<w:moveFrom w:id="3" w:author="a">' + run("1") + "</w:moveFrom>" + run("{}"),
    "strike": run("59", "<w:strike/>") + run("{}"),
    "double-strike": run("59", "<w:dstrike w:val='true'/>") + run("{}"),
    "switched-off-is-shown": run("1", "<w:vanish w:val='1'/>")
    + run("{}", "<w:vanish w:val='0'/><w:strike w:val='false'/><w:dstrike w:val='off'/>"),
    # of alternate content, the one branch Word shows: the first choice it knows, else the
    # fallback (two choices were both read: 5858; a choice for an unknown namespace was read)
    "two-choices-one-shown": _alternate(run("{0}"), run("{0}"), fallback=run("{0}")),
    "choice-for-an-unknown-namespace": _alternate(run("9"), fallback=run("{}"), requires="zz"),
    # white by the theme's Background 1, whatever its w:val says: it keeps its room
    "theme-white": run("{}") + run("0", "<w:color w:val='000000' w:themeColor='background1'/>"),
    # a complex-script run is sized by w:szCs: 1 pt, a speck
    "complex-script-speck": run("{}") + run("5", "<w:cs/><w:sz w:val='18'/><w:szCs w:val='2'/>"),
    "equation-hidden-digit": f"<m:oMath xmlns:m='{OMML}'><m:r><m:t>{{}}</m:t></m:r>"
    "<m:r><w:rPr><w:vanish/></w:rPr><m:t>5</m:t></m:r></m:oMath>",
    "equation-struck-digit": f"<m:oMath xmlns:m='{OMML}'><m:r><w:rPr><w:strike/></w:rPr>"
    "<m:t>7</m:t></m:r><m:r><m:t>{}</m:t></m:r></m:oMath>",
    "alternate-content-in-a-run": "<w:r>"
    + _alternate("<w:t>{0}</w:t>", fallback="<w:t>{0}</w:t>")
    + "</w:r>",
}


@pytest.mark.parametrize("runs", NOT_SEEN_IN_WORD.values(), ids=NOT_SEEN_IN_WORD)
def test_hidden_struck_and_moved_text_in_word_is_not_read(tmp_path, published_word, runs):
    as_printed(read_return(word_report(tmp_path, published_word, runs)))


SHOWN_IN_WORD = {
    "superscript": (run("{}") + run("1", "<w:vertAlign w:val='superscript'/>"), f"{FIGURE}¹"),
    "subscript": (run("{}") + run("2", "<w:vertAlign w:val='subscript'/>"), f"{FIGURE}₂"),
    "footnote-custom-mark": (
        run("{}")
        + "<w:r><w:footnoteReference w:customMarkFollows='1' w:id='1'/><w:t>1</w:t></w:r>",
        f"{FIGURE}¹",
    ),
    "raised-by-position": (
        run("{}") + run("1", "<w:position w:val='6'/><w:sz w:val='12'/>"),
        f"{FIGURE}¹",
    ),
    "lowered-by-position-in-points": (
        run("{}") + run("2", "<w:position w:val='-3pt'/>"),
        f"{FIGURE}₂",
    ),
    "footnote-numbered-by-word": (
        run("{}")
        + "<w:r><w:rPr><w:rStyle w:val='a5'/></w:rPr><w:footnoteReference w:id='1'/></w:r>",
        f"{FIGURE}〔脚注〕",
    ),
    "endnote-numbered-by-word": (
        run("{}") + "<w:r><w:endnoteReference w:id='2'/></w:r>",
        f"{FIGURE}〔尾注〕",
    ),
    "struck-alone": (run("59", "<w:strike/>"), "〔只有划去的数字：59〕"),
    # shown in another order, as symbols, in two lines, or recomputed when the file opens
    "set-right-to-left": (
        "<w:bdo w:val='rtl'>" + run("{}") + "</w:bdo>",
        f"〔文字方向控制符〕{FIGURE}〔文字方向控制符〕",
    ),
    "bound-to-document-data": (
        "<w:sdt><w:sdtPr><w:dataBinding w:xpath='/r/v' w:storeItemID='X1'/></w:sdtPr>"
        "<w:sdtContent>" + run("{}") + "</w:sdtContent></w:sdt>",
        f"〔内容控件绑定到文档数据，Word 显示的可能是另一个数：{FIGURE}〕",
    ),
    "picture-font": (
        run("{}", "<w:rFonts w:ascii='Wingdings' w:hAnsi='Wingdings'/>"),
        "\ufffd" * 2,
    ),
    "two-lines-in-one": (
        run("5858", "<w:eastAsianLayout w:id='1' w:combine='1'/>"),
        "〔双行合一：5858〕",
    ),
    "formula-to-be-recomputed": (
        _DIRTY_FIELD,
        f"〔打开文档时会重新计算的公式 =50+8，文件中存的结果：{FIGURE}〕",
    ),
    "simple-formula-to-be-recomputed": (
        "<w:fldSimple w:instr=' =50+8 ' w:dirty='true'>" + run("{}") + "</w:fldSimple>",
        f"〔打开文档时会重新计算的公式 =50+8，文件中存的结果：{FIGURE}〕",
    ),
    "no-break-hyphen": ("<w:r><w:t>5</w:t><w:noBreakHyphen/><w:t>8</w:t></w:r>", "5\u20118"),
    "wingdings-is-no-digit": (
        run("{}") + "<w:r><w:sym w:font='Wingdings' w:char='F030'/></w:r>",
        f"{FIGURE}\ufffd",
    ),
    "soft-hyphen-is-nothing-a-sign-itself": (
        "<w:r><w:t>5</w:t><w:softHyphen/><w:t>8</w:t><w:sym w:font='Arial' w:char='00B2'/></w:r>",
        "58²",
    ),
}


@pytest.mark.parametrize("runs, shown", SHOWN_IN_WORD.values(), ids=SHOWN_IN_WORD)
def test_raised_text_and_special_characters_in_word_are_read_as_shown(
    tmp_path, published_word, runs, shown
):
    read_as_shown(read_return(word_report(tmp_path, published_word, runs)), KEY, shown)


def _character_style(ident: str, properties: str) -> str:
    return (
        f'<w:style w:type="character" w:customStyle="1" w:styleId="{ident}">'
        f'<w:name w:val="{ident}"/><w:rPr>{properties}</w:rPr></w:style>'
    )


def _styled(ident: str, text: str) -> str:
    return f'<w:r><w:rPr><w:rStyle w:val="{ident}"/></w:rPr><w:t>{text}</w:t></w:r>'


STYLED_IN_WORD = {
    "superscript": (
        "<w:vertAlign w:val='superscript'/>",
        run("{}") + _styled("S", "1"),
        f"{FIGURE}¹",
    ),
    "raised-by-position": ("<w:position w:val='6'/>", run("{}") + _styled("S", "1"), f"{FIGURE}¹"),
    "struck-alone": ("<w:strike/>", _styled("S", "59"), "〔只有划去的数字：59〕"),
}


@pytest.mark.parametrize("properties, runs, shown", STYLED_IN_WORD.values(), ids=STYLED_IN_WORD)
def test_raised_and_struck_text_by_a_character_style_is_read_as_shown(
    tmp_path, published_word, properties, runs, shown
):
    """A footnote mark raised by its character style (as Word's own 「脚注引用」 style does)
    was read as one more digit: 581."""
    path = word_report(tmp_path, published_word, runs, _character_style("S", properties))
    read_as_shown(read_return(path), KEY, shown)


def test_a_figure_raised_whole_is_on_its_line(tmp_path, published_word):
    """A cell's paragraph printed a little higher is not a footnote mark: the figure is read."""
    ret = read_return(word_report(tmp_path, published_word, run("{}", "<w:position w:val='4'/>")))
    assert ret.values == source().values


def test_a_symbol_font_minus_is_a_minus_not_nothing(tmp_path, published_word):
    runs = "<w:r><w:sym w:font='Symbol' w:char='F02D'/><w:t>{}</w:t></w:r>"
    ret = read_return(word_report(tmp_path, published_word, runs))
    assert ret.values[KEY] == -FIGURE
    v02 = [f.places for f in validate_return(ret) if f.rule is Rule.V02]
    assert v02 == [(ret.places[KEY],)]


PART = "三:3.2:"  # 表三 （二）部分公开: seven figures in a row of ten grid columns


def _word_row_edited(tmp_path: Path, base: Path, edit) -> Path:
    """``base`` with the （二）部分公开 row handed to ``edit`` (the row, its figure cells)."""

    def in_the_row(root) -> None:
        (label,) = [
            tc
            for tc in root.iter(f"{{{W}}}tc")
            if "".join(tc.itertext()).startswith("（二）部分公开")
        ]
        row = label.getparent()
        edit(row, row.findall(f"{{{W}}}tc")[-7:])

    return rewritten(base, tmp_path / "错位.docx", in_the_row)


def _widen(row, cells) -> None:
    properties = cells[2].find(f"{{{W}}}tcPr")
    for old in properties.findall(f"{{{W}}}gridSpan"):
        properties.remove(old)
    properties.append(etree.fromstring(f'<w:gridSpan xmlns:w="{W}" w:val="2"/>'))


def _lose_one(row, cells) -> None:
    row.remove(cells[2])


def _end_early(row, cells) -> None:
    """The row's label a grid column narrower, a w:gridAfter filling the row out: the row is
    as wide as the grid, but its figures stand a column left of everyone else's."""
    label = cells[0].getprevious()
    spanned = label.find(f"{{{W}}}tcPr/{{{W}}}gridSpan")
    assert spanned is not None and int(spanned.get(f"{{{W}}}val")) >= 2
    spanned.set(f"{{{W}}}val", str(int(spanned.get(f"{{{W}}}val")) - 1))
    properties = row.find(f"{{{W}}}trPr")
    if properties is None:
        properties = etree.Element(f"{{{W}}}trPr")
        row.insert(0, properties)
    properties.insert(0, etree.fromstring(f'<w:gridAfter xmlns:w="{W}" w:val="1"/>'))


@pytest.mark.parametrize(
    "edit",
    [_widen, _lose_one, _end_early],
    ids=["a cell too wide", "a cell lost", "ended early by gridAfter"],
)
def test_a_word_row_off_the_table_grid_marks_its_figures(published_word, tmp_path, edit):
    """Word draws a row whose cells take more or fewer grid columns than the table has with
    its later cells off their columns: the figures were read from their neighbours' places.
    Each figure of the row is V01 at its cell; every other row reads as printed."""
    ret = read_return(_word_row_edited(tmp_path, published_word, edit))
    row = {k: v for k, v in ret.values.items() if k.startswith(PART)}
    assert len(row) == 7
    assert all(v is None or isinstance(v, str) and "对不齐" in v for v in row.values())
    assert sum(isinstance(v, str) for v in row.values()) >= 5
    others = {k: v for k, v in ret.values.items() if k not in row}
    assert others == {k: v for k, v in source().values.items() if k not in row}


def test_running_text_sets_a_raised_mark_off_and_reads_a_line_raised_whole(tmp_path):
    """In the report's text too: 「共58件」 with a raised 1 is 58¹, not 581; a paragraph
    printed a little higher is read as it is."""
    page = web_page().replace(
        "<body>",
        "<body><p>全年共受理申请58件<span style='position:relative;top:-3pt;"
        "mso-text-raise:3pt'>1</span>。</p><p><span style='position:relative;top:-1px'>"
        "主动公开文件120件。</span></p>",
        1,
    )
    with open_source(saved(tmp_path, page)) as grid:
        lines = (grid.text or "").split("\n")
    assert "全年共受理申请58件¹。" in lines
    assert "主动公开文件120件。" in lines


# -- Word's list numbering --------------------------------------------------------------------------

NUMBERING = (
    f'<?xml version="1.0" encoding="UTF-8"?><w:numbering xmlns:w="{W}">'
    '<w:abstractNum w:abstractNumId="7"><w:lvl w:ilvl="0"><w:start w:val="{start}"/>'
    '<w:numFmt w:val="decimal"/><w:suff w:val="nothing"/><w:lvlText w:val="{text}"/></w:lvl>'
    '</w:abstractNum><w:num w:numId="7"><w:abstractNumId w:val="7"/></w:num></w:numbering>'
)


def _numbered(base: Path, tmp_path: Path, numbering: str, edit) -> Path:
    """``base`` with ``numbering`` as its numbering part and ``edit`` done to its body."""
    return rewritten(base, tmp_path / "报告.docx", edit, parts={"word/numbering.xml": numbering})


def _number(paragraph) -> None:
    """Make ``paragraph`` an item of list 7 (its first level)."""
    properties = paragraph.find(f"{{{W}}}pPr")
    if properties is None:
        properties = etree.SubElement(paragraph, f"{{{W}}}pPr")
        paragraph.insert(0, properties)
    numbered = etree.fromstring(
        f'<w:numPr xmlns:w="{W}"><w:ilvl w:val="0"/><w:numId w:val="7"/></w:numPr>'
    )
    properties.append(numbered)


def test_row_labels_numbered_by_word_read_with_their_numbers(tmp_path, published_word):
    """「1.属于国家秘密」 … 「8.属于行政查询事项」 typed without their numbers, which Word's list
    numbering prints (「%1.」): the labels were missing to the reader (L01), as printed."""
    item = re.compile(r"^([1-8])\.(属于国家秘密|其他法律行政法规禁止公开|危及|保护第三方|属于)")

    def edit(root) -> None:
        cells = [tc for tc in root.iter(f"{{{W}}}tc") if item.match("".join(tc.itertext()))]
        assert len(cells) >= 8
        for tc in cells[:8]:  # 表三's 不予公开 items, in order
            texts = list(tc.iter(f"{{{W}}}t"))
            texts[0].text = re.sub(r"^[1-8]\.", "", texts[0].text)
            _number(tc.find(f"{{{W}}}p"))

    numbering = NUMBERING.replace("{start}", "1").replace("{text}", "%1.")
    ret = read_return(_numbered(published_word, tmp_path, numbering, edit))
    assert ret.values == source().values


def test_a_number_word_prints_before_a_figure_is_part_of_it(tmp_path, published_word):
    """A figure cell made a list item numbered 「%1」 from 5: Word shows 「8」 as 58."""

    def edit(root) -> None:
        paragraph = figure_paragraph(root)
        for text in paragraph.iter(f"{{{W}}}t"):
            text.text = "8"
        _number(paragraph)

    numbering = NUMBERING.replace("{start}", "5").replace("{text}", "%1")
    ret = read_return(_numbered(published_word, tmp_path, numbering, edit))
    assert ret.values == source().values


@pytest.mark.parametrize(
    ("number", "kind", "printed"),
    [
        (3, "decimal", "3"),
        (3, "decimalZero", "03"),
        (12, "decimalFullWidth", "１２"),
        (1, "chineseCounting", "一"),
        (10, "chineseCountingThousand", "十"),
        (14, "chineseCounting", "十四"),
        (20, "japaneseCounting", "二十"),
        (3, "ideographTraditional", "丙"),
        (2, "decimalEnclosedCircleChinese", "②"),
        (28, "upperLetter", "BB"),
        (9, "lowerRoman", "ix"),
        (5, "hebrew1", "〔编号〕"),
    ],
)
def test_list_numbers_print_in_their_format(number, kind, printed):
    """As Word prints a list's numbers: 「（%1）」 in chineseCounting is 表三's 「（一）」."""
    from nianbao.sources.docx import _counted

    assert _counted(number, kind) == printed


def test_a_fields_code_running_over_two_paragraphs_shows_only_its_result(tmp_path, published_word):
    """An IF field whose code goes on in the cell's next paragraph, a SEQ field (result 7)
    nested in it: Word shows the IF's result 58; the code's nested 7 was read with it (758)."""

    def field(kind: str) -> str:
        return f"<w:r><w:fldChar w:fldCharType='{kind}'/></w:r>"

    def code(text: str) -> str:
        return f"<w:r><w:instrText xml:space='preserve'>{text}</w:instrText></w:r>"

    first = field("begin") + code(' IF 1 = 1 "58" "')
    second = (
        field("begin") + code(" SEQ x ") + field("separate") + "<w:r><w:t>7</w:t></w:r>"
        + field("end") + code('" ') + field("separate") + "<w:r><w:t>58</w:t></w:r>" + field("end")
    )  # fmt: skip

    def edit(root) -> None:
        paragraph = figure_paragraph(root)
        for run in paragraph.findall(f"{{{W}}}r"):
            paragraph.remove(run)
        paragraph.extend(etree.fromstring(f'<x xmlns:w="{W}">{first}</x>'))
        after = etree.fromstring(f'<w:p xmlns:w="{W}">{second}</w:p>')
        paragraph.addnext(after)

    numbering = NUMBERING.replace("{start}", "1").replace("{text}", "%1")
    ret = read_return(_numbered(published_word, tmp_path, numbering, edit))
    assert ret.values == source().values


def test_a_numbered_paragraph_word_does_not_show_is_not_counted(tmp_path, published_word):
    """Alternate content holds a numbered paragraph in its choice and again in its fallback:
    Word shows (and counts) one. The figure cell numbered after it shows 「6」 before its 8."""
    item = f'<w:p xmlns:w="{W}"><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="7"/></w:numPr></w:pPr></w:p>'

    def edit(root) -> None:
        paragraph = figure_paragraph(root)
        for text in paragraph.iter(f"{{{W}}}t"):
            text.text = "8"
        _number(paragraph)
        alternate = etree.fromstring(
            f"<mc:AlternateContent xmlns:mc='{MC}'><mc:Choice Requires='w14'>{item}</mc:Choice>"
            f"<mc:Fallback>{item}</mc:Fallback></mc:AlternateContent>"
        )
        body = root.find(f"{{{W}}}body")
        body.insert(0, alternate)

    numbering = NUMBERING.replace("{start}", "5").replace("{text}", "%1")
    ret = read_return(_numbered(published_word, tmp_path, numbering, edit))
    assert ret.values[KEY] == 68  # 5 for the choice's paragraph, 6 for the cell's


def _table_styled(base: Path, tmp_path: Path, properties: str) -> Path:
    """``base`` with the table holding 行政许可 in a table style whose run properties are
    ``properties``."""
    style = (
        f'<w:style w:type="table" w:styleId="T9"><w:name w:val="T9"/>'
        f"<w:rPr>{properties}</w:rPr></w:style>"
    )

    def edit(root) -> None:
        table = next(figure_paragraph(root).iterancestors(f"{{{W}}}tbl"))
        properties_of_table = table.find(f"{{{W}}}tblPr")
        for old in properties_of_table.findall(f"{{{W}}}tblStyle"):
            properties_of_table.remove(old)
        properties_of_table.insert(0, etree.fromstring(f'<w:tblStyle xmlns:w="{W}" w:val="T9"/>'))

    return rewritten(base, tmp_path / "报告.docx", edit, styles=style)


def test_text_a_table_style_hides_is_not_read(tmp_path, published_word):
    """A table style's run properties apply to the text in its tables: hidden by it, 表二 shows
    nothing in Word, and every figure of it was read all the same."""
    with pytest.raises(UnknownLayout) as refused:
        read_return(_table_styled(published_word, tmp_path, "<w:vanish/>"))
    assert "二、主动公开政府信息情况" in str(refused.value)
    coloured = read_return(
        _table_styled(published_word, tmp_path / "red", "<w:color w:val='FF0000'/>")
    )
    assert coloured.values == source().values
