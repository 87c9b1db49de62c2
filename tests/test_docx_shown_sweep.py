"""Word files read as Word shows them: text a reader cannot see — white on a white page, in the
colour of its shading or highlight, set too small to read, hidden by a character or paragraph
style (styles.xml, with its basedOn chain and the document defaults) — is not read, and text
that is invisible but still takes room on the line keeps a space there, so an old figure kept
hidden beside the new one never glues into a wrong number (「5」, a white 「0」, 「8」 is
「5 8」: V01 at the cell, never 508 nor 58). Tests named ``pin_`` hold behaviour that was
already right (and must stay so)."""

from __future__ import annotations

import random
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from nianbao.checks.engine import validate_return
from nianbao.form import get_form
from nianbao.form.data import filled_return
from nianbao.form.findings import Rule
from nianbao.recognise.reader import read_return
from tests.support.documents import Printing, refused, report_docx
from tests.support.returns import balanced_inputs

FORM = get_form("2021")
KEY = "二:20-5.1:c1"  # 表二 行政许可: no balance rule would catch a wrong figure there
FIGURE = 58
_INPUTS = balanced_inputs(FORM, random.Random(3))
_INPUTS[KEY] = FIGURE
SOURCE = filled_return(FORM, _INPUTS, unit="某某区人民政府", year=2024)
MARK = "@@"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
# The KEY cell as report_docx writes it: spanning 3 columns, one paragraph holding MARK.
SPAN = "<w:gridSpan w:val='3'/>"
PLAIN_CELL = f"<w:tcPr>{SPAN}</w:tcPr><w:p><w:r><w:t xml:space='preserve'>{MARK}</w:t></w:r></w:p>"
WHITE = "<w:color w:val='FFFFFF'/>"


def _printing() -> Printing:
    def text(key: str, value: object) -> str:
        return MARK if key == KEY else ("" if value is None else str(value))

    return Printing(title="某某区人民政府2024年政府信息公开工作年度报告", text=text)


def run(text: str, properties: str = "") -> str:
    pr = f"<w:rPr>{properties}</w:rPr>" if properties else "<w:rPr/>"
    return f"<w:r>{pr}<w:t xml:space='preserve'>{text}</w:t></w:r>"


def styles(*definitions: str, defaults: str = "") -> str:
    """A styles part: ``definitions`` (w:style elements), ``defaults`` the run defaults."""
    return (
        f"<?xml version='1.0' encoding='UTF-8'?><w:styles xmlns:w='{W_NS}'>"
        f"<w:docDefaults><w:rPrDefault><w:rPr>{defaults}</w:rPr></w:rPrDefault></w:docDefaults>"
        f"{''.join(definitions)}</w:styles>"
    )


def style(kind: str, ident: str, properties: str = "", based_on: str = "", **extra: str) -> str:
    based = f"<w:basedOn w:val='{based_on}'/>" if based_on else ""
    default = " w:default='1'" if extra.get("default") else ""
    paragraph = f"<w:pPr>{extra['ppr']}</w:pPr>" if extra.get("ppr") else ""
    table = f"<w:tblPr>{extra['tblpr']}</w:tblPr>" if extra.get("tblpr") else ""
    return (
        f"<w:style w:type='{kind}' w:styleId='{ident}'{default}><w:name w:val='{ident}'/>"
        f"{based}{paragraph}{table}<w:rPr>{properties}</w:rPr></w:style>"
    )


def word(
    tmp_path: Path,
    paragraphs: str,
    *,
    cell: str = "",
    part_styles: str | None = None,
    edit: Callable[[str], str] | None = None,
) -> Path:
    """The report as a Word file, the KEY cell holding ``paragraphs`` (its properties
    ``cell``); ``part_styles`` its styles part; ``edit`` rewrites the whole document part."""
    path = report_docx(tmp_path / "报告.docx", FORM, SOURCE.values, _printing())
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    document = parts["word/document.xml"].decode()
    assert PLAIN_CELL in document
    document = document.replace(PLAIN_CELL, f"<w:tcPr>{SPAN}{cell}</w:tcPr>{paragraphs}")
    parts["word/document.xml"] = (edit(document) if edit else document).encode()
    if part_styles is not None:
        parts["word/styles.xml"] = part_styles.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def p(*runs: str, properties: str = "") -> str:
    return f"<w:p><w:pPr>{properties}</w:pPr>{''.join(runs)}</w:p>"


def exact(path: Path) -> None:
    """Every figure read as printed (the KEY cell shows FIGURE), no finding at all."""
    ret = read_return(path)
    assert ret.values == SOURCE.values, ret.values[KEY]
    assert validate_return(ret) == []


def flagged(path: Path, shown: str) -> None:
    """The KEY cell reads as the text ``shown`` (no figure) and only it has a V01, naming it."""
    ret = read_return(path)
    assert ret.values[KEY] == shown
    assert {k: v for k, v in ret.values.items() if k != KEY} == {
        k: v for k, v in SOURCE.values.items() if k != KEY
    }
    v01 = [f for f in validate_return(ret) if f.rule is Rule.V01]
    assert [f.places for f in v01] == [(ret.places[KEY],)]
    assert shown in v01[0].message


def shd(fill: str, pattern: str = "clear", colour: str = "auto") -> str:
    return f"<w:shd w:val='{pattern}' w:color='{colour}' w:fill='{fill}'/>"


def outline(fill: str) -> str:
    """Word 2010's text outline (w14:textOutline) painted with ``fill``."""
    return f"<w14:textOutline xmlns:w14='{W14_NS}' w14:w='9525'>{fill}</w14:textOutline>"


W14_NS = "http://schemas.microsoft.com/office/word/2010/wordml"
BLACK_FILL = "<w14:solidFill><w14:srgbClr w14:val='000000'/></w14:solidFill>"

# -- 1. colour: white on the white page, the colour of the cell's, paragraph's or run's shading ----

HIDDEN_BY_COLOUR = {
    "white-on-the-page": dict(runs=run("1", WHITE) + run("58")),
    "near-white-on-the-page": dict(runs=run("1", "<w:color w:val='FBFCFD'/>") + run("58")),
    "colour-of-the-cells-shading": dict(
        runs=run("1", "<w:color w:val='D9D9D9'/>") + run("58"), cell=shd("D9D9D9")
    ),
    "colour-of-its-own-shading": dict(
        runs=run("1", "<w:color w:val='FFFF00'/>" + shd("FFFF00")) + run("58")
    ),
    "colour-of-its-highlight": dict(
        runs=run("1", "<w:color w:val='00FF00'/><w:highlight w:val='green'/>") + run("58")
    ),
    "solid-pattern-shading-of-its-colour": dict(
        runs=run("1", "<w:color w:val='000080'/>" + shd("FFFFFF", "solid", "000080")) + run("58")
    ),
    "white-on-a-white-paragraph-in-a-dark-cell": dict(
        runs=run("1", WHITE) + run("58", "<w:color w:val='000000'/>"),
        cell=shd("000000"),
        paragraph=shd("FFFFFF"),
    ),
    "black-on-a-black-page": dict(
        runs=run("1", "<w:color w:val='000000'/>") + run("58", WHITE),
        page="<w:background w:color='000000'/>",
    ),
    "white-emboss-turned-off": dict(runs=run("1", WHITE + "<w:emboss w:val='0'/>") + run("58")),
    "white-outline-without-fill": dict(runs=run("1", WHITE + outline("<w14:noFill/>")) + run("58")),
}


@pytest.mark.parametrize("case", HIDDEN_BY_COLOUR.values(), ids=HIDDEN_BY_COLOUR)
def test_text_in_the_colour_of_what_is_behind_it_is_not_read(tmp_path, case):
    """An old 1 kept invisible before the new 58 read 158 in silence."""
    page = case.get("page", "")
    path = word(
        tmp_path,
        p(case["runs"], properties=case.get("paragraph", "")),
        cell=case.get("cell", ""),
        edit=(lambda d: d.replace("<w:body>", f"{page}<w:body>")) if page else None,
    )
    exact(path)


SHOWN_DESPITE_COLOUR = {
    # effects that draw the letters' edges or a shade in colours of their own
    "white-embossed": dict(runs=run("58", WHITE + "<w:emboss/>")),
    "white-imprinted": dict(runs=run("58", WHITE + "<w:imprint/>")),
    "white-shadowed": dict(runs=run("58", WHITE + "<w:shadow w:val='1'/>")),
    "white-with-a-black-outline": dict(runs=run("58", WHITE + outline(BLACK_FILL))),
    "white-with-a-glow": dict(
        runs=run("58", WHITE + f"<w14:glow xmlns:w14='{W14_NS}' w14:rad='63500'/>")
    ),
    "white-on-dark-cell-shading": dict(runs=run("58", WHITE), cell=shd("1F3864")),
    "white-on-dark-highlight": dict(runs=run("58", WHITE + "<w:highlight w:val='darkBlue'/>")),
    "auto-colour-on-black": dict(runs=run("58", "<w:color w:val='auto'/>"), cell=shd("000000")),
    "auto-colour-on-white": dict(runs=run("58", "<w:color w:val='auto'/>"), cell=shd("FFFFFF")),
    "white-on-a-dark-page": dict(runs=run("58", WHITE), page="<w:background w:color='1F3864'/>"),
    "highlight-none-is-no-highlight": dict(
        runs=run("58", "<w:color w:val='000000'/><w:highlight w:val='none'/>"),
        cell=shd("FFFFFF"),
    ),
    "shading-fill-auto-is-no-fill": dict(
        runs=run("58", "<w:color w:val='000000'/>"), cell=shd("auto"), paragraph=shd("auto")
    ),
}


@pytest.mark.parametrize("case", SHOWN_DESPITE_COLOUR.values(), ids=SHOWN_DESPITE_COLOUR)
def test_pin_text_on_a_background_it_stands_out_from_is_read(tmp_path, case):
    page = case.get("page", "")
    path = word(
        tmp_path,
        p(case["runs"], properties=case.get("paragraph", "")),
        cell=case.get("cell", ""),
        edit=(lambda d: d.replace("<w:body>", f"{page}<w:body>")) if page else None,
    )
    exact(path)


def test_pin_white_text_in_a_table_whose_style_shades_it_is_read(tmp_path):
    """A table style may shade the cell (a dark header row, banded rows): the background is
    not known, so white text is read (a header row's labels are white on the style's blue)."""
    shaded = style("table", "Dark", tblpr=shd("1F3864"))
    path = word(
        tmp_path,
        p(run("58", WHITE)),
        part_styles=styles(shaded),
        edit=lambda d: d.replace("<w:tblPr/>", "<w:tblPr><w:tblStyle w:val='Dark'/></w:tblPr>"),
    )
    exact(path)


# -- 2. size: text under 4 pt (w:sz under 8 half-points) is not read -----------------------------


@pytest.mark.parametrize("size", ["0", "1", "2", "7"])
def test_text_too_small_to_read_is_not_read(tmp_path, size):
    exact(word(tmp_path, p(run("1", f"<w:sz w:val='{size}'/>"), run("58"))))


def test_pin_small_but_legible_text_is_read(tmp_path):
    """4 pt (w:sz 8) figures are small print, still read."""
    exact(word(tmp_path, p(run("5", "<w:sz w:val='8'/>"), run("8", "<w:sz w:val='8'/>"))))


# -- 5. invisible text that takes room keeps a space; hidden text takes none ------------------------

GLUED = {
    "white": run("0", WHITE),
    "colour-of-the-cell": run("0", "<w:color w:val='1F3864'/>"),
    "half-a-point": run("0", "<w:sz w:val='1'/>"),
    "white-with-a-tab": "<w:r><w:rPr><w:color w:val='FFFFFF'/></w:rPr><w:t>0</w:t><w:tab/></w:r>",
}


@pytest.mark.parametrize("between", GLUED.values(), ids=GLUED)
def test_invisible_text_between_digits_keeps_its_room(tmp_path, between):
    """「5」, an invisible 「0」, 「8」 shows as 「5 8」: V01 at the cell, never 508 or 58."""
    cell = shd("1F3864") if "1F3864" in between else ""
    paragraph = p(
        run("5", "<w:color w:val='000000'/>"), between, run("8", "<w:color w:val='000000'/>")
    )
    flagged(word(tmp_path, paragraph, cell=cell), "5 8")


# -- 3. already handled: hidden, deleted, struck text; a row marked hidden ---------------------------

ALREADY_NOT_READ = {
    "vanish-takes-no-room": run("5") + run("0", "<w:vanish/>") + run("8"),
    "spec-vanish": run("58") + run("0", "<w:specVanish/>"),
    "deleted": run("5")
    + "<w:del w:id='1' w:author='a'><w:r><w:delText>0</w:delText></w:r></w:del>"
    + run("8"),
    "struck": run("59", "<w:strike/>") + run("58"),
}


@pytest.mark.parametrize("runs", ALREADY_NOT_READ.values(), ids=ALREADY_NOT_READ)
def test_pin_hidden_deleted_and_struck_text_is_not_read(tmp_path, runs):
    exact(word(tmp_path, p(runs)))


def test_pin_a_row_marked_hidden_is_read_as_word_shows_it(tmp_path):
    """``w:trPr/w:hidden`` hides only the row's end mark (ECMA-376 17.4.20); Word still shows
    the row and its text, so its figures are read."""
    path = word(
        tmp_path,
        p(run(str(FIGURE))),
        edit=lambda d: d.replace(
            "<w:tr><w:tc><w:tcPr></w:tcPr><w:p><w:r><w:t xml:space='preserve'>行政许可",
            "<w:tr><w:trPr><w:hidden/></w:trPr><w:tc><w:tcPr></w:tcPr><w:p><w:r>"
            "<w:t xml:space='preserve'>行政许可",
        ),
    )
    assert "<w:hidden/>" in zipfile.ZipFile(path).read("word/document.xml").decode()
    exact(path)


def test_pin_a_picture_in_white_text_still_shows(tmp_path):
    picture = "<w:r><w:rPr><w:color w:val='FFFFFF'/></w:rPr><w:drawing/></w:r>"
    flagged(word(tmp_path, p(picture)), "〔图片〕")


# -- 4. styles: character and paragraph styles (basedOn), document defaults ------------------------

STYLED = {
    "character-style-vanish": dict(
        styles=styles(style("character", "Old", "<w:vanish/>")),
        runs=run("1", "<w:rStyle w:val='Old'/>") + run("58"),
    ),
    "character-style-white-through-based-on": dict(
        styles=styles(
            style("character", "Pale", WHITE),
            style("character", "Old", "<w:b/>", based_on="Pale"),
        ),
        runs=run("1", "<w:rStyle w:val='Old'/>") + run("58"),
    ),
    "character-style-half-a-point": dict(
        styles=styles(style("character", "Old", "<w:sz w:val='1'/>")),
        runs=run("1", "<w:rStyle w:val='Old'/>") + run("58"),
    ),
    "paragraph-style-white-run-made-black": dict(
        styles=styles(style("paragraph", "Quiet", WHITE)),
        runs=run("1") + run("58", "<w:color w:val='000000'/>"),
        paragraph="<w:pStyle w:val='Quiet'/>",
    ),
    "paragraph-style-vanish-based-on": dict(
        styles=styles(
            style("paragraph", "Gone", "<w:vanish/>"),
            style("paragraph", "Quiet", based_on="Gone"),
        ),
        runs=run("1") + run("58", "<w:vanish w:val='0'/>"),
        paragraph="<w:pStyle w:val='Quiet'/>",
    ),
    "paragraph-style-shading-the-colour-of-the-text": dict(
        styles=styles(style("paragraph", "Boxed", ppr=shd("FFFF00"))),
        runs=run("1", "<w:color w:val='FFFF00'/>") + run("58"),
        paragraph="<w:pStyle w:val='Boxed'/>",
    ),
    "default-paragraph-style-white": dict(
        styles=styles(style("paragraph", "Normal", WHITE, default="1")),
        runs=run("1") + run("58", "<w:color w:val='000000'/>"),
        black=True,
    ),
    "document-defaults-half-a-point": dict(
        styles=styles(defaults="<w:sz w:val='1'/>"),
        runs=run("1") + run("58", "<w:sz w:val='24'/>"),
        sized=True,
    ),
}


def _every_run(document: str, properties: str) -> str:
    """Every run the report writes given direct ``properties`` (the KEY cell's own aside)."""
    return document.replace("<w:r><w:t", f"<w:r><w:rPr>{properties}</w:rPr><w:t")


@pytest.mark.parametrize("case", STYLED.values(), ids=STYLED)
def test_text_a_style_hides_is_not_read(tmp_path, case):
    edit = None
    if case.get("black"):
        edit = lambda d: _every_run(d, "<w:color w:val='000000'/>")  # noqa: E731
    elif case.get("sized"):
        edit = lambda d: _every_run(d, "<w:sz w:val='24'/>")  # noqa: E731
    path = word(
        tmp_path,
        p(case["runs"], properties=case.get("paragraph", "")),
        part_styles=case["styles"],
        edit=edit,
    )
    exact(path)


STYLED_SHOWN = {
    # vanish is a toggle: set by the paragraph style and again by the character style, it is
    # off (ECMA-376 17.7.3), as Word shows it
    "paragraph-and-character-style-vanish-cancel": dict(
        styles=styles(
            style("paragraph", "Gone", "<w:vanish/>"), style("character", "Again", "<w:vanish/>")
        ),
        runs=run("58", "<w:rStyle w:val='Again'/>"),
        paragraph="<w:pStyle w:val='Gone'/>",
    ),
    "direct-formatting-wins": dict(
        styles=styles(style("character", "Old", "<w:vanish/>" + WHITE + "<w:sz w:val='1'/>")),
        runs=run(
            "58",
            "<w:rStyle w:val='Old'/><w:vanish w:val='false'/><w:color w:val='auto'/>"
            "<w:sz w:val='24'/>",
        ),
    ),
    "unknown-style-and-based-on-loop": dict(
        styles=styles(style("character", "A", based_on="B"), style("character", "B", based_on="A")),
        runs=run("58", "<w:rStyle w:val='A'/>"),
        paragraph="<w:pStyle w:val='Nowhere'/>",
    ),
}


@pytest.mark.parametrize("case", STYLED_SHOWN.values(), ids=STYLED_SHOWN)
def test_pin_text_its_styles_show_is_read(tmp_path, case):
    path = word(
        tmp_path,
        p(case["runs"], properties=case.get("paragraph", "")),
        part_styles=case["styles"],
    )
    exact(path)


def test_a_styles_part_that_is_not_xml_is_refused_as_corrupt(tmp_path):
    """Word will not open a file whose styles part is broken; no figure is guessed without it."""
    path = word(tmp_path, p(run("58")), part_styles="<w:styles xmlns:w='x'><w:style")
    assert refused(path, Rule.F01)
