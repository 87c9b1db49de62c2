"""Word files as offices really make them: the markup Word, WPS and document systems write
around a statutory table's cells (content controls, fields, tracked changes, legacy merges,
skipped grid columns, Strict Open XML, chunks of other documents). Each variant of a report
with known figures reads to exactly those figures, or is flagged (V01 at the cell) or refused
(F02) saying why: never a wrong figure in silence."""

from __future__ import annotations

import copy
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from lxml import etree

from nianbao.checks.engine import validate_return
from nianbao.form import get_form
from nianbao.form.findings import Rule
from nianbao.recognise.reader import read_return
from tests.support.documents import Printing, refused, report_docx
from tests.support.returns import valid_return

FORM = get_form("2021")
SOURCE = valid_return(FORM, seed=5)
KEY = "三:1:c1"  # 一、本年新收 · 自然人: 73
FIGURE = SOURCE.values[KEY]
MARK = "@@"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = f"{{{W_NS}}}"
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
FIRST = "一、本年新收政府信息公开申请数量"
SECOND = "二、上年结转政府信息公开申请数量"
TITLE = "某某区人民政府2024年政府信息公开工作年度报告"


def _printing() -> Printing:
    def text(key: str, value: object) -> str:
        return MARK if key == KEY else ("" if value is None else str(value))

    return Printing(title=TITLE, text=text)


def _rewrite(path: Path, edit: Callable[[str], str], extra: dict[str, str] | None = None) -> Path:
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    parts["word/document.xml"] = edit(parts["word/document.xml"].decode()).encode()
    parts.update({name: data.encode() for name, data in (extra or {}).items()})
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def _word(tmp_path: Path, markup: str, name: str = "报告.docx") -> Path:
    """The report, the cell KEY holding ``markup`` (paragraphs) in place of its paragraph."""
    path = report_docx(tmp_path / name, FORM, SOURCE.values, _printing())
    plain = f"<w:p><w:r><w:t xml:space='preserve'>{MARK}</w:t></w:r></w:p>"
    return _rewrite(path, lambda document: document.replace(plain, markup))


def _run(text: str, properties: str = "") -> str:
    pr = f"<w:rPr>{properties}</w:rPr>" if properties else ""
    return f"<w:r>{pr}<w:t xml:space='preserve'>{text}</w:t></w:r>"


def _field(code: str, result: str) -> str:
    """A complex field: begin, its code (``code`` markup), separate, ``result``, end."""
    return (
        "<w:r><w:fldChar w:fldCharType='begin'/></w:r>"
        f"{code}<w:r><w:fldChar w:fldCharType='separate'/></w:r>{result}"
        "<w:r><w:fldChar w:fldCharType='end'/></w:r>"
    )


def _instr(code: str) -> str:
    return f"<w:r><w:instrText xml:space='preserve'>{code}</w:instrText></w:r>"


def _exact(path: Path) -> None:
    ret = read_return(path)
    assert ret.values == SOURCE.values
    assert validate_return(ret) == []


def _flagged(path: Path, shown: str) -> None:
    """The cell KEY is read as the text ``shown`` (no figure) and named by a V01."""
    ret = read_return(path)
    assert ret.values[KEY] == shown
    assert {k: v for k, v in ret.values.items() if k != KEY} == {
        k: v for k, v in SOURCE.values.items() if k != KEY
    }
    messages = [f.message for f in validate_return(ret) if f.rule is Rule.V01]
    assert any(shown.replace("\n", " ") in message for message in messages), messages


# -- fields: the result is what a reader sees, never the code ------------------------------------


def test_a_field_nested_in_a_formula_shows_the_formulas_result_not_the_nested_one(tmp_path):
    """{ = { REF 上年 } + 3 } shows 73: the nested field's result 70 is part of the code."""
    code = _instr(" = ") + _field(_instr(" REF 上年 "), _run("70")) + _instr(" +3 ")
    _exact(_word(tmp_path, f"<w:p>{_field(code, _run(str(FIGURE)))}</w:p>"))


def test_a_field_code_written_as_text_is_not_shown(tmp_path):
    _exact(_word(tmp_path, f"<w:p>{_field(_run(' =1+72 '), _run(str(FIGURE)))}</w:p>"))


def test_a_formula_field_without_a_result_is_flagged_not_read_as_a_blank(tmp_path):
    """=SUM(ABOVE) the file holds no result for: Word computes it only when fields are
    updated; read as a blank it would count as 0."""
    markup = (
        "<w:p><w:r><w:fldChar w:fldCharType='begin'/></w:r>"
        f"{_instr(' =SUM(ABOVE) ')}<w:r><w:fldChar w:fldCharType='end'/></w:r></w:p>"
    )
    _flagged(_word(tmp_path, markup), "〔未计算的公式：=SUM(ABOVE)〕")


def test_a_simple_formula_field_without_a_result_is_flagged(tmp_path):
    markup = "<w:p><w:fldSimple w:instr=' =SUM(LEFT) '/></w:p>"
    _flagged(_word(tmp_path, markup), "〔未计算的公式：=SUM(LEFT)〕")


def test_an_if_field_computing_a_formula_without_a_result_is_flagged(tmp_path):
    """{ IF 1 = 1 "{ =SUM(ABOVE) }" "0" } with no result stored: as blank as the formula's
    own field, read as 0 with only V04 where a formula was meant."""
    inner = (
        "<w:r><w:fldChar w:fldCharType='begin'/></w:r>"
        f"{_instr(' =SUM(ABOVE) ')}<w:r><w:fldChar w:fldCharType='end'/></w:r>"
    )
    markup = (
        "<w:p><w:r><w:fldChar w:fldCharType='begin'/></w:r>"
        f"{_instr(' IF 1 = 1 ')}{inner}{_instr(' 0 ')}"
        "<w:r><w:fldChar w:fldCharType='end'/></w:r></w:p>"
    )
    _flagged(_word(tmp_path, markup), "〔未计算的公式：IF 1 = 1 0〕")


# -- what a cell shows besides its line of text ---------------------------------------------------


def test_a_phonetic_guide_over_a_figure_is_never_read_into_it(tmp_path):
    markup = (
        f"<w:p><w:r><w:ruby><w:rubyPr/><w:rt>{_run('3')}</w:rt>"
        f"<w:rubyBase>{_run(str(FIGURE))}</w:rubyBase></w:ruby></w:r></w:p>"
    )
    _flagged(_word(tmp_path, markup), f"³{FIGURE}")  # never 373


def test_a_figure_split_by_a_deleted_paragraph_mark_reads_whole(tmp_path):
    """「7」¶「3」, the ¶ deleted with changes tracked: Word shows 73 on one line."""
    deleted = "<w:pPr><w:rPr><w:del w:id='1' w:author='甲'/></w:rPr></w:pPr>"
    markup = f"<w:p>{deleted}{_run('7')}</w:p><w:p>{_run('3')}</w:p>"
    _exact(_word(tmp_path, markup))


def test_a_figure_split_by_a_hidden_paragraph_mark_reads_whole(tmp_path):
    """「7」¶「3」, the ¶ hidden: Word runs the paragraph on into the next, 73 on one line
    (it was refused as 「7 3」)."""
    hidden = "<w:pPr><w:rPr><w:vanish/></w:rPr></w:pPr>"
    markup = f"<w:p>{hidden}{_run('7')}</w:p><w:p>{_run('3')}</w:p>"
    _exact(_word(tmp_path, markup))


WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"


@pytest.mark.parametrize(
    ("inside", "shown"),
    [
        (f"<w:drawing><wp:inline xmlns:wp='{WP}'/></w:drawing>", "〔图片〕"),
        ("<w:pict/>", "〔图片〕"),
        ("<w:object/>", "〔嵌入的对象〕"),
        ("<w:drawing><w:txbxContent><w:p/></w:txbxContent></w:drawing>", "〔文本框〕"),
        ("<w:pgNum/>", "〔页码〕"),
    ],
)
def test_a_cell_showing_no_text_but_something_else_is_never_a_blank(tmp_path, inside, shown):
    _flagged(_word(tmp_path, f"<w:p><w:r>{inside}</w:r></w:p>"), shown)


def test_a_picture_in_a_hidden_run_leaves_the_cell_blank(tmp_path):
    markup = f"<w:p><w:r><w:rPr><w:vanish/></w:rPr><w:drawing><wp:inline xmlns:wp='{WP}'/></w:drawing></w:r></w:p>"
    assert read_return(_word(tmp_path, markup)).values[KEY] is None


# -- table structure: merges, skipped grid columns, tracked cells ---------------------------------


def _tree(tmp_path: Path, edit: Callable[[etree._Element], None], name: str = "报告.docx") -> Path:
    path = report_docx(tmp_path / name, FORM, SOURCE.values, _printing())

    def change(document: str) -> str:
        root = etree.fromstring(document.replace(MARK, str(FIGURE)).encode())
        edit(root)
        return etree.tostring(root, encoding="unicode")

    return _rewrite(path, change)


def _row(root, label: str):
    return next(tr for tr in root.iter(f"{W}tr") if any(t.text == label for t in tr.iter(f"{W}t")))


def _cells(row) -> list:
    return [cell for cell in row if cell.tag == f"{W}tc"]


def _add(parent, tag: str, first: bool = False, **attributes: str):
    element = etree.Element(f"{W}{tag}", {f"{W}{k}": v for k, v in attributes.items()})
    if first:
        parent.insert(0, element)
    else:
        parent.append(element)
    return element


def _properties(element, tag: str = "tcPr"):
    found = element.find(f"{W}{tag}")
    return found if found is not None else _add(element, tag, first=True)


def _vmerge_without_restart(root) -> None:
    """上年结转 · 自然人 marked as continuing a vertical merge, though the cell above (本年新收
    · 自然人) opens none: a cell of its own (as LibreOffice shows it), its figure read."""
    _add(_properties(_cells(_row(root, SECOND))[1]), "vMerge")


def _hmerge_without_restart(root) -> None:
    _add(_properties(_cells(_row(root, SECOND))[1]), "hMerge")


def test_a_continuing_vertical_merge_with_none_open_above_is_a_cell_of_its_own(tmp_path):
    _exact(_tree(tmp_path, _vmerge_without_restart))


def test_a_continuing_horizontal_merge_with_none_open_before_is_a_cell_of_its_own(tmp_path):
    _exact(_tree(tmp_path, _hmerge_without_restart))


def test_a_figure_in_the_covered_part_of_a_horizontal_merge_is_never_dropped(tmp_path):
    def edit(root) -> None:
        cells = _cells(_row(root, FIRST))
        _add(_properties(cells[1]), "hMerge", val="restart")
        _add(_properties(cells[2]), "hMerge")

    ret = read_return(_tree(tmp_path, edit))
    assert ret.values[KEY] == f"{FIGURE}\n{SOURCE.values['三:1:c2']}"  # V01: two figures
    assert any(f.rule is Rule.V01 for f in validate_return(ret))


def test_a_figure_in_the_covered_part_of_a_vertical_merge_is_never_dropped(tmp_path):
    def edit(root) -> None:
        _add(_properties(_cells(_row(root, FIRST))[1]), "vMerge", val="restart")
        _add(_properties(_cells(_row(root, SECOND))[1]), "vMerge")

    ret = read_return(_tree(tmp_path, edit))
    assert ret.values[KEY] == f"{FIGURE}\n{SOURCE.values['三:2:c1']}"
    assert any(f.rule is Rule.V01 for f in validate_return(ret))


def test_a_cell_deleted_with_changes_tracked_is_flagged_in_place(tmp_path):
    """Accepting the deletion would move every later cell one column left: not read."""

    def edit(root) -> None:
        _add(_properties(_cells(_row(root, FIRST))[1]), "cellDel", id="9", author="甲")

    _flagged(_tree(tmp_path, edit), f"〔修订中已删除的单元格：{FIGURE}〕")


# -- packages: Strict Open XML, chunks of other documents, tables as objects -----------------------


def test_a_strict_open_xml_document_reads_as_the_same_report(tmp_path):
    path = _word(tmp_path, f"<w:p>{_run(str(FIGURE))}</w:p>")
    strict = "http://purl.oclc.org/ooxml/wordprocessingml/main"
    _exact(_rewrite(path, lambda document: document.replace(W_NS, strict)))


def _package(path: Path, body: str, extra: dict[str, str] | None = None) -> Path:
    document = (
        f"<?xml version='1.0' encoding='UTF-8'?><w:document xmlns:w='{W_NS}' "
        f"xmlns:r='{R_NS}'><w:body><w:p>{_run(TITLE)}</w:p>{body}<w:sectPr/></w:body></w:document>"
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            "<Types xmlns='http://schemas.openxmlformats.org/package/2006/content-types'/>",
        )
        archive.writestr("word/document.xml", document)
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return path


def test_tables_in_a_chunk_of_another_document_are_refused_naming_the_part(tmp_path):
    rels = (
        "<Relationships xmlns='http://schemas.openxmlformats.org/package/2006/relationships'>"
        "<Relationship Id='rId9' Type='http://schemas.openxmlformats.org/officeDocument/2006/"
        "relationships/aFChunk' Target='afchunk.htm'/></Relationships>"
    )
    path = _package(
        tmp_path / "报告.docx",
        "<w:altChunk r:id='rId9'/>",
        {"word/_rels/document.xml.rels": rels, "word/afchunk.htm": "<table></table>"},
    )
    message = refused(path, Rule.F02)
    assert "word/afchunk.htm" in message and "altChunk" in message and "另存为 .docx" in message


def test_a_chunk_beside_the_tables_is_refused_too(tmp_path):
    """What the chunk holds (last year's table, the rest of 表三…) is not read: not guessed."""
    path = _word(tmp_path, f"<w:p>{_run(str(FIGURE))}</w:p>")
    chunk = f"<w:altChunk xmlns:r='{R_NS}' r:id='rId9'/></w:body>"
    message = refused(_rewrite(path, lambda d: d.replace("</w:body>", chunk)), Rule.F02)
    assert "altChunk" in message


def test_tables_pasted_as_an_embedded_object_are_refused_saying_so(tmp_path):
    body = (
        f"<w:p>{_run('三、收到和处理政府信息公开申请情况')}</w:p><w:p><w:r><w:object/></w:r></w:p>"
    )
    assert "嵌入的对象" in refused(_package(tmp_path / "报告.docx", body), Rule.F02)


def test_tables_inserted_as_pictures_are_refused_saying_so(tmp_path):
    picture = f"<w:p><w:r><w:drawing><wp:inline xmlns:wp='{WP}'/></w:drawing></w:r></w:p>"
    message = refused(_package(tmp_path / "报告.docx", picture * 2), Rule.F02)
    assert "2 张图片" in message


# -- variants that read exactly as printed ---------------------------------------------------------

RED = "<w:b/><w:color w:val='FF0000'/><w:sz w:val='18'/>"
VANISH_OFF = "<w:vanish w:val='0'/>"
CELL_MARKUP = {
    "runs of different formats": f"<w:p>{_run('7', '<w:b/>')}{_run('3', RED)}</w:p>",
    "full-width digits in two runs": f"<w:p>{_run('７')}{_run('３', RED)}</w:p>",
    "hyperlink": f"<w:p><w:hyperlink w:anchor='a'>{_run('73')}</w:hyperlink></w:p>",
    "simple field": f"<w:p><w:fldSimple w:instr=' =SUM(ABOVE) '>{_run('73')}</w:fldSimple></w:p>",
    "complex field": f"<w:p>{_field(_instr(' =SUM(ABOVE) '), _run('73'))}</w:p>",
    "content control on runs": f"<w:p><w:sdt><w:sdtPr/><w:sdtContent>{_run('73')}</w:sdtContent></w:sdt></w:p>",
    "content control on paragraphs": f"<w:sdt><w:sdtPr/><w:sdtContent><w:p>{_run('73')}</w:p></w:sdtContent></w:sdt>",
    "customXml": f"<w:p><w:customXml w:element='n'>{_run('73')}</w:customXml></w:p>",
    "smartTag": f"<w:p><w:smartTag w:uri='u' w:element='n'>{_run('73')}</w:smartTag></w:p>",
    "insertion": f"<w:p><w:ins w:id='1' w:author='甲'>{_run('73')}</w:ins></w:p>",
    "replaced figure": f"<w:p><w:del w:id='1' w:author='甲'><w:r><w:delText>37</w:delText></w:r></w:del><w:ins w:id='2' w:author='甲'>{_run('73')}</w:ins></w:p>",
    "moved here": f"<w:p><w:moveTo w:id='1' w:author='甲'>{_run('73')}</w:moveTo></w:p>",
    "bidi container": f"<w:p><w:dir w:val='ltr'>{_run('73')}</w:dir></w:p>",
    "soft hyphen": "<w:p><w:r><w:t>7</w:t><w:softHyphen/><w:t>3</w:t></w:r></w:p>",
    "leading tab": "<w:p><w:r><w:tab/><w:t>73</w:t></w:r></w:p>",
    "trailing break": "<w:p><w:r><w:t>73</w:t><w:br/></w:r></w:p>",
    "field in a deletion": f"<w:p><w:del w:id='1' w:author='甲'><w:fldSimple w:instr='x'><w:r><w:delText>9</w:delText></w:r></w:fldSimple></w:del>{_run('73')}</w:p>",
    "vanish off": f"<w:p>{_run('73', VANISH_OFF)}</w:p>",
    "web hidden": f"<w:p>{_run('73', '<w:webHidden/>')}</w:p>",
}


@pytest.mark.parametrize("markup", CELL_MARKUP.values(), ids=CELL_MARKUP.keys())
def test_markup_around_a_figure_reads_it_exactly(tmp_path, markup):
    assert FIGURE == 73
    _exact(_word(tmp_path, markup))


@pytest.mark.parametrize(
    ("markup", "shown"),
    [
        ("<w:p><w:r><w:t>7</w:t><w:noBreakHyphen/><w:t>3</w:t></w:r></w:p>", "7\u20113"),
        ("<w:p><w:r><w:t>7</w:t><w:tab/><w:t>3</w:t></w:r></w:p>", "7 3"),
        ("<w:p><w:r><w:t>7</w:t><w:br/><w:t>3</w:t></w:r></w:p>", "7\n3"),
        ("<w:p><w:r><w:t>7</w:t><w:cr/><w:t>3</w:t></w:r></w:p>", "7\n3"),
    ],
    ids=["no-break hyphen", "tab", "break", "carriage return"],
)
def test_a_figure_broken_by_a_special_character_is_flagged_never_joined(tmp_path, markup, shown):
    _flagged(_word(tmp_path, markup), shown)


def _grid_before(root) -> None:
    row = _row(root, FIRST)
    _cells(row)[0].find(f"{W}tcPr/{W}gridSpan").set(f"{W}val", "2")
    _add(_properties(row, "trPr"), "gridBefore", val="1")


def _grid_after_and_before(root) -> None:
    """Rows starting with a skipped grid column, one ending with a skipped column too."""
    _grid_before(root)
    _add(_properties(_row(root, FIRST), "trPr"), "gridAfter", val="1")


def _legacy_merge(label: str, count: int):
    def edit(root) -> None:
        cell = next(c for c in _cells(_row(root, label)) if "".join(c.itertext()) == label)
        properties = _properties(cell)
        properties.remove(properties.find(f"{W}gridSpan"))
        _add(properties, "hMerge", val="restart")
        for _ in range(count - 1):
            cell.addnext(
                etree.fromstring(
                    f"<w:tc xmlns:w='{W_NS}'><w:tcPr><w:hMerge/></w:tcPr><w:p/></w:tc>"
                )
            )

    return edit


def _wrapped(what: str, wrapper: str):
    def edit(root) -> None:
        row = _row(root, FIRST)
        target = {"row": row, "cell": _cells(row)[1], "table": row.getparent()}[what]
        outer = etree.fromstring(wrapper)
        target.addprevious(outer)
        (outer.find(f"{W}sdtContent") if outer.tag == f"{W}sdt" else outer).append(target)

    return edit


SDT = f"<w:sdt xmlns:w='{W_NS}'><w:sdtPr/><w:sdtContent/></w:sdt>"
CUSTOM = f"<w:customXml xmlns:w='{W_NS}' w:element='n'/>"


def _each_row(tag: str, **attributes: str):
    def edit(root) -> None:
        for row in _row(root, FIRST).getparent().iterchildren(f"{W}tr"):
            _add(_properties(row, "trPr"), tag, **attributes)

    return edit


def _zero_widths(root) -> None:
    for cell in _cells(_row(root, FIRST)):
        _add(_properties(cell), "tcW", w="0", type="dxa")


def _tracked_inserted(root) -> None:
    row = _row(root, FIRST)
    _add(_properties(row, "trPr"), "ins", id="8", author="甲")
    _add(_properties(_cells(row)[2]), "cellIns", id="9", author="甲")


def _alternate(changed_fallback: bool):
    """表三 in mc:AlternateContent, a copy in its fallback (last year's figure when
    ``changed_fallback``): the choice is read, never both."""

    def edit(root) -> None:
        table = _row(root, FIRST).getparent()
        alternate = etree.fromstring(
            f"<mc:AlternateContent xmlns:mc='{MC_NS}'><mc:Choice Requires='w14'/>"
            "<mc:Fallback/></mc:AlternateContent>"
        )
        table.addprevious(alternate)
        fallback = copy.deepcopy(table)
        if changed_fallback:
            for text in fallback.iter(f"{W}t"):
                if text.text == str(FIGURE):
                    text.text = "1"
        alternate[0].append(table)
        alternate[1].append(fallback)

    return edit


def _section_break(root) -> None:
    """表三 split in two by a section break (a landscape section begins at （一）予以公开)."""
    row = _row(root, "（一）予以公开")
    table = row.getparent()
    rows = list(table.iterchildren(f"{W}tr"))
    rest = etree.Element(f"{W}tbl")
    rest.append(copy.deepcopy(table.find(f"{W}tblPr")))
    brk = etree.fromstring(
        f"<w:p xmlns:w='{W_NS}'><w:pPr><w:sectPr><w:pgSz w:orient='landscape'/>"
        "</w:sectPr></w:pPr></w:p>"
    )
    table.addnext(brk)
    brk.addnext(rest)
    for moved in rows[rows.index(row) :]:
        rest.append(moved)


def _data_row_split_off(root) -> None:
    """表四's header rows in one table and its data row in another after a page break, as
    Word's 拆分表格 leaves them: the data row was read as blank, then as a second one (L09)."""
    header = _row(root, "行政复议").getparent()
    data = list(header.iterchildren(f"{W}tr"))[-1]
    rest = etree.Element(f"{W}tbl")
    rest.append(copy.deepcopy(header.find(f"{W}tblPr")))
    brk = etree.fromstring(f"<w:p xmlns:w='{W_NS}'><w:r><w:br w:type='page'/></w:r></w:p>")
    header.addnext(brk)
    brk.addnext(rest)
    rest.append(data)


TABLE_EDITS = {
    "gridBefore": _grid_before,
    "gridBefore and gridAfter": _grid_after_and_before,
    "hMerge label": _legacy_merge(FIRST, 3),
    "hMerge header": _legacy_merge("申请人情况", 7),
    "sdt around a cell": _wrapped("cell", SDT),
    "sdt around a row": _wrapped("row", SDT),
    "sdt around the table": _wrapped("table", SDT),
    "customXml around a cell": _wrapped("cell", CUSTOM),
    "customXml around a row": _wrapped("row", CUSTOM),
    "tblHeader": _each_row("tblHeader"),
    "cantSplit": _each_row("cantSplit"),
    "zero tcW": _zero_widths,
    "inserted row and cell": _tracked_inserted,
    "AlternateContent": _alternate(False),
    "AlternateContent, fallback differs": _alternate(True),
    "section break": _section_break,
    "表四's data row in a table of its own": _data_row_split_off,
}


@pytest.mark.parametrize("edit", TABLE_EDITS.values(), ids=TABLE_EDITS.keys())
def test_table_markup_offices_write_reads_exactly(tmp_path, edit):
    _exact(_tree(tmp_path, edit))


@pytest.mark.parametrize("name", ["报告.docm", "报告.dotx"])
def test_macro_enabled_documents_and_templates_read_as_reports(tmp_path, name):
    _exact(_word(tmp_path, f"<w:p>{_run('73')}</w:p>", name=name))


def test_a_table_of_figures_in_the_page_header_is_not_confused_with_the_body(tmp_path):
    header = (
        f"<w:hdr xmlns:w='{W_NS}'><w:tbl><w:tr><w:tc><w:p>{_run(FIRST)}</w:p></w:tc>"
        f"<w:tc><w:p>{_run('1')}</w:p></w:tc></w:tr></w:tbl></w:hdr>"
    )
    path = _word(tmp_path, f"<w:p>{_run('73')}</w:p>")
    _exact(_rewrite(path, lambda document: document, {"word/header1.xml": header}))


def test_a_document_held_whole_in_a_chunk_is_refused_saying_so(tmp_path):
    """An HTML-to-Word converter's file: the body is one altChunk, so the body itself never
    says 政府信息公开; not 「没有年度报告的内容」, but where the content is."""
    document = (
        f"<?xml version='1.0' encoding='UTF-8'?><w:document xmlns:w='{W_NS}' "
        f"xmlns:r='{R_NS}'><w:body><w:altChunk r:id='rId9'/><w:sectPr/></w:body></w:document>"
    )
    path = tmp_path / "报告.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            "<Types xmlns='http://schemas.openxmlformats.org/package/2006/content-types'/>",
        )
        archive.writestr("word/document.xml", document)
        archive.writestr("word/afchunk.htm", f"<html><body><h1>{TITLE}</h1></body></html>")
    message = refused(path, Rule.F02)
    assert "altChunk" in message and "另存为 .docx" in message
    assert "找不到" not in message
