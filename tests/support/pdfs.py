"""Small PDFs for the PDF source's tests: written by hand here, or by LibreOffice from HTML.

``tiny_pdf`` writes a valid PDF (cross-reference table and all) whose pages are content
streams built with ``Page``: ASCII text in Helvetica, ruled lines, filled or stroked
rectangles, an image. Coordinates are given top-down, as a reader sees the page.

``html_pdf`` lets LibreOffice Writer lay out an HTML document (CJK text, merged cells, a table
running over several pages with a repeated header, running headers and page-number footers).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from tests.support.soffice import convert

if TYPE_CHECKING:
    from nianbao.form.data import Return

A4 = (595.0, 842.0)
Colour = float | tuple[float, float, float]  # a gray, or RGB


def _styled(ops: str, render: int | None, colour: Colour | None) -> str:
    """A text object's ``ops`` in a rendering mode and fill colour of their own."""
    if render is None and colour is None:
        return ops
    state = "" if render is None else f"{render} Tr "
    if isinstance(colour, tuple):
        state += " ".join(map(str, colour)) + " rg "
    elif colour is not None:
        state += f"{colour} g "
    return f"q {state}{ops} Q"


@dataclass
class Page:
    """One page's drawing, top-down coordinates in points."""

    width: float = A4[0]
    height: float = A4[1]
    rotate: int = 0  # the page's /Rotate
    # Drawn on a page of height x width, turned a quarter anticlockwise: a landscape table
    # printed sideways on a portrait page (its text runs up the page).
    sideways: bool = False
    ops: list[str] = field(default_factory=list)
    image: bool = False

    def text(
        self,
        x: float,
        top: float,
        text: str,
        size: float = 10,
        up: bool = False,
        *,
        render: int | None = None,
        colour: Colour | None = None,
    ) -> Page:
        """Text from (x, top); ``up``: running up the page from its baseline at (x, top).
        ``render``: a text rendering mode (3: invisible, as an OCR layer); ``colour``: its
        fill colour (a gray, or an RGB triple)."""
        escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        if up:
            matrix = f"0 1 -1 0 {x + size} {self.height - top}"
        else:
            matrix = f"1 0 0 1 {x} {self.height - top - size}"
        self.ops.append(_styled(f"BT /F1 {size} Tf {matrix} Tm ({escaped}) Tj ET", render, colour))
        return self

    def line(
        self, x0: float, top0: float, x1: float, top1: float, width: float = 0.5, gray: float = 0
    ) -> Page:
        y0, y1 = self.height - top0, self.height - top1
        self.ops.append(f"q {gray} G {width} w {x0} {y0} m {x1} {y1} l S Q")
        return self

    def rect(
        self,
        x: float,
        top: float,
        width: float,
        height: float,
        fill: float | None = None,
        stroke: float | None = None,
        *,
        translucent: bool = False,
    ) -> Page:
        """A rectangle filled and/or stroked in the given gray (0 black, 1 white);
        ``translucent``: painted at 30% opacity (a highlighter's mark)."""
        y = self.height - top - height
        paint = {(True, True): "B", (True, False): "f", (False, True): "S"}[
            (fill is not None, stroke is not None)
        ]
        colours = (f"{fill} g " if fill is not None else "") + (
            f"{stroke} G " if stroke is not None else ""
        )
        alpha = "/Half gs " if translucent else ""
        self.ops.append(f"q {alpha}{colours}{x} {y} {width} {height} re {paint} Q")
        return self

    def rulings(self, x: list[float], top: list[float]) -> Page:
        """A fully ruled table's lines: vertical rulings at ``x``, horizontal ones at ``top``."""
        for position in x:
            self.line(position, top[0], position, top[-1])
        for position in top:
            self.line(x[0], position, x[-1], position)
        return self

    def grid(self, x: list[float], top: list[float], texts: list[list[str]] | None = None) -> Page:
        """A fully ruled table (``rulings``) with ``texts[r][c]`` written inside each cell."""
        self.rulings(x, top)
        for r, row in enumerate(texts or []):
            for c, text in enumerate(row):
                if text:
                    self.text(x[c] + 3, top[r] + 4, text)
        return self

    def cjk(
        self,
        x: float,
        top: float,
        text: str,
        size: float = 12,
        *,
        mapped: bool = True,
        render: int | None = None,
        colour: Colour | None = None,
    ) -> Page:
        """CJK (any BMP) text from (x, top) in the CJK font of ``cjk_pdf``: wide characters
        1 em wide, ASCII ones half an em. ``mapped=False``: in the same font without a
        ToUnicode map (/F3), whose text a reader cannot extract; ``render``, ``colour``: as
        for ``text``."""
        codes = "".join(f"{ord(ch):04X}" for ch in text)
        font = "F2" if mapped else "F3"
        ops = f"BT /{font} {size} Tf 1 0 0 1 {x} {self.height - top - size} Tm <{codes}> Tj ET"
        self.ops.append(_styled(ops, render, colour))
        return self

    def clip(self, x: float, top: float, width: float, height: float) -> Page:
        """Clip what follows to a rectangle, until ``unclip``."""
        self.ops.append(f"q {x} {self.height - top - height} {width} {height} re W n")
        return self

    def unclip(self) -> Page:
        self.ops.append("Q")
        return self

    def picture(self) -> Page:
        """A full-page image, as a scanner makes."""
        self.image = True
        self.ops.append(f"q {self.width} 0 0 {self.height} 0 0 cm /Im1 Do Q")
        return self


_PIXELS = bytes(range(0, 256, 4))  # 8 x 8 gray
_IMAGE = (
    b"<< /Type /XObject /Subtype /Image /Width 8 /Height 8 /ColorSpace /DeviceGray "
    b"/BitsPerComponent 8 /Length %d >>\nstream\n" % len(_PIXELS) + _PIXELS + b"\nendstream"
)
# an extended graphics state painting at 30% opacity (``Page.rect(translucent=True)``)
_HALF = b" /ExtGState << /Half << /Type /ExtGState /ca 0.3 /CA 0.3 >> >>"


# A table cell as tests draw it: first row, first column, last row, last column, text.
Cell = tuple[int, int, int, int, str]


def boxed_cells(page: Page, cells: list[Cell], top: float, columns: list[float]) -> Page:
    """``cells`` drawn on ``page`` as boxes of rows 20 pt high from ``top`` between the
    ``columns`` edges, each with its text (CJK, 8 pt) in its top-left corner."""
    for r0, c0, r1, c1, text in cells:
        x0, x1 = columns[c0], columns[c1 + 1]
        y0, y1 = top + 20.0 * r0, top + 20.0 * (r1 + 1)
        page.line(x0, y0, x1, y0).line(x0, y1, x1, y1).line(x0, y0, x0, y1).line(x1, y0, x1, y1)
        if text:
            page.cjk(x0 + 3, y0 + 5, text, size=8)
    return page


def tiny_pdf(pages: list[Page], copies: int = 1) -> bytes:
    """A PDF of ``pages``, the whole sequence repeated ``copies`` times (sharing objects, so a
    10,000-page file stays small)."""
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    catalog = add(b"")  # filled in below
    tree = add(b"")
    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    image = add(_IMAGE)
    kids = []
    for page in pages:
        ops = page.ops
        width, height = page.width, page.height
        if page.sideways:
            ops = [f"q 0 1 -1 0 {height} 0 cm", *ops, "Q"]
            width, height = height, width
        content = "\n".join(ops).encode("latin-1")
        stream = add(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
        xobjects = b" /XObject << /Im1 %d 0 R >>" % image if page.image else b""
        kids.append(
            add(
                b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 %g %g] /Rotate %d "
                b"/Resources << /Font << /F1 %d 0 R >>%s%s >> /Contents %d 0 R >>"
                % (tree, width, height, page.rotate, font, xobjects, _HALF, stream)
            )
        )
    references = b" ".join(b"%d 0 R" % kid for kid in kids * copies)
    objects[catalog - 1] = b"<< /Type /Catalog /Pages %d 0 R >>" % tree
    objects[tree - 1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        references,
        len(kids) * copies,
    )
    return _serialised(objects, catalog)


def write_pdf(path: Path, pages: list[Page], copies: int = 1) -> Path:
    path.write_bytes(tiny_pdf(pages, copies))
    return path


_HTML = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><style>
@page {{ size: {page}; margin: 2cm }}
body {{ font-size: 10.5pt }}
table {{ border-collapse: collapse }}
td, th {{ border: 1px solid black; padding: 3pt }}
</style></head><body>
{header}{body}{footer}
</body></html>"""


def html_pdf(
    folder: Path,
    name: str,
    body: str,
    *,
    header: str | None = None,
    page_numbers: bool = False,
    landscape: bool = False,
) -> Path:
    """Lay out ``body`` (HTML) in LibreOffice Writer and export it as ``folder/name.pdf``.

    ``header`` repeats on every page; ``page_numbers`` puts 「- n -」 in the footer.
    """
    source = folder / f"{name}.html"
    source.write_text(
        _HTML.format(
            page="29.7cm 21cm" if landscape else "21cm 29.7cm",
            header=f'<div title="header"><p>{header}</p></div>' if header else "",
            body=body,
            footer=(
                '<div title="footer"><p align="center">- <sdfield type=PAGE subtype=RANDOM '
                "format=PAGE>1</sdfield> -</p></div>"
                if page_numbers
                else ""
            ),
        ),
        encoding="utf-8",
    )
    return convert(source, "pdf:writer_pdf_Export", folder, infilter="HTML (StarWriter)")


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def word_report(folder: Path) -> tuple[Return, Path]:
    """A return (2021 form, 测试局, 2025) and the Word report nianbao publishes of it, in
    ``folder``: the source the 续表 variants (``continued_table_docx``) are made from."""
    from nianbao.documents.docx import write_docx
    from nianbao.documents.report import build_report
    from nianbao.form import get_form
    from tests.support.returns import valid_return

    ret = valid_return(get_form("2021"), seed=11, unit="测试局", year=2025)
    word = folder / "报告.docx"
    write_docx(build_report(ret), word)
    return ret, word


def continued_table_docx(
    source: Path,
    target: Path,
    *,
    table: int,
    cut: int,
    header: int = 0,
    mark: str = "（续表）",
    mark_on_next_page: bool = False,
    restart_merges: bool = True,
    widths: list[int] | None = None,
    new_page: bool = True,
) -> Path:
    """A copy of the Word report ``source`` whose table ``table`` (0-based) goes on in a second
    table (a 续表) from its row ``cut``, on a new page: what a unit does in Word or WPS when a
    long table runs over a page. ``new_page=False``: right under the first, only ``mark``
    between (Word's 拆分表格 leaves an empty paragraph).

    ``header``: how many of the table's first rows the 续表 repeats. ``mark``: the paragraph
    between the two tables (「」: an empty one, which Word needs to keep them apart), printed at
    the foot of the first page, or at the head of the next with ``mark_on_next_page``.
    ``restart_merges``: a cell of the 续表's first row that continued a vertical merge starts
    one of its own, as Word's 拆分表格 leaves it; left continuing, LibreOffice merges it into
    the repeated header above it (a malformed 续表, printed with the header's note across the
    rows below). ``widths``: the 续表's column widths (twips, one per column of the table's
    grid), where it is drawn otherwise than the table it continues.
    """
    import copy

    import docx  # python-docx: nianbao publish writes Word with it

    document = docx.Document(str(source))
    first = document.tables[table]._tbl
    rows = first.findall(_W + "tr")
    second = copy.deepcopy(first)
    for row in second.findall(_W + "tr"):
        second.remove(row)
    for row in rows[:header]:
        second.append(copy.deepcopy(row))
    for n, row in enumerate(rows[cut:]):
        first.remove(row)
        second.append(row)
        if n == 0 and restart_merges:
            for merge in row.iter(_W + "vMerge"):
                if merge.get(_W + "val") != "restart":
                    merge.set(_W + "val", "restart")
    if widths is not None:
        _set_widths(second, widths)
    paragraph = docx.oxml.OxmlElement("w:p")
    properties = docx.oxml.OxmlElement("w:pPr")
    paragraph.append(properties)
    if mark:
        run = docx.oxml.OxmlElement("w:r")
        text = docx.oxml.OxmlElement("w:t")
        text.text = mark
        run.append(text)
        paragraph.append(run)
    page_break = docx.oxml.OxmlElement("w:pageBreakBefore")
    if not new_page:
        first.addnext(paragraph)
        paragraph.addnext(second)
    elif mark_on_next_page:
        properties.append(page_break)  # the mark opens the next page, the 续表 under it
        first.addnext(paragraph)
        paragraph.addnext(second)
    else:  # the mark closes the page; an empty paragraph opens the next one
        opener = docx.oxml.OxmlElement("w:p")
        opener_properties = docx.oxml.OxmlElement("w:pPr")
        opener_properties.append(page_break)
        opener.append(opener_properties)
        first.addnext(paragraph)
        paragraph.addnext(opener)
        opener.addnext(second)
    document.save(str(target))
    return target


def _set_widths(table: object, widths: list[int]) -> None:
    """Give a Word table (its w:tbl element) the column widths ``widths`` (twips): its grid,
    its width and every cell's width (the sum of the grid columns it spans)."""
    columns = table.find(_W + "tblGrid").findall(_W + "gridCol")  # type: ignore[attr-defined]
    assert len(columns) == len(widths), (len(columns), widths)
    for column, width in zip(columns, widths, strict=True):
        column.set(_W + "w", str(width))
    table.find(_W + "tblPr").find(_W + "tblW").set(_W + "w", str(sum(widths)))  # type: ignore[attr-defined]
    for row in table.findall(_W + "tr"):  # type: ignore[attr-defined]
        at = 0
        for cell in row.findall(_W + "tc"):
            properties = cell.find(_W + "tcPr")
            span = properties.find(_W + "gridSpan")
            count = int(span.get(_W + "val")) if span is not None else 1
            properties.find(_W + "tcW").set(_W + "w", str(sum(widths[at : at + count])))
            at += count


def _to_unicode_cmap() -> bytes:
    """A ToUnicode CMap reading each two-byte code as the BMP character of that number."""
    ranges = [f"<{h:02X}00> <{h:02X}FF> <{h:02X}00>" for h in range(256) if not 0xD8 <= h <= 0xDF]
    blocks = []
    for start in range(0, len(ranges), 100):
        chunk = ranges[start : start + 100]
        blocks.append(f"{len(chunk)} beginbfrange\n" + "\n".join(chunk) + "\nendbfrange")
    return (
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
        "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n"
        + "\n".join(blocks)
        + "\nendcmap\nCMapName currentdict /CMap defineresource pop\nend\nend"
    ).encode("ascii")


def cjk_pdf(pages: list[Page]) -> bytes:
    """A PDF of ``pages`` whose text may be CJK (``Page.cjk``, font /F2: a CID font, not
    embedded, Identity-H, each code its character's number, with a ToUnicode map) as well as
    ASCII (``Page.text``, Helvetica), and a font without a ToUnicode map (/F3)."""
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    catalog = add(b"")
    tree = add(b"")
    helvetica = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    descriptor = add(
        b"<< /Type /FontDescriptor /FontName /SimSun /Flags 4 /FontBBox [0 -120 1000 880] "
        b"/ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 700 /StemV 80 >>"
    )
    cid_font = add(
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /SimSun "
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> "
        b"/FontDescriptor %d 0 R /DW 1000 /W [32 126 500] /CIDToGIDMap /Identity >>" % descriptor
    )
    cmap = _to_unicode_cmap()
    to_unicode = add(b"<< /Length %d >>\nstream\n" % len(cmap) + cmap + b"\nendstream")
    cjk = add(
        b"<< /Type /Font /Subtype /Type0 /BaseFont /SimSun /Encoding /Identity-H "
        b"/DescendantFonts [%d 0 R] /ToUnicode %d 0 R >>" % (cid_font, to_unicode)
    )
    unmapped = add(
        b"<< /Type /Font /Subtype /Type0 /BaseFont /SimSun /Encoding /Identity-H "
        b"/DescendantFonts [%d 0 R] >>" % cid_font
    )
    image = add(_IMAGE)
    kids = []
    for page in pages:
        content = "\n".join(page.ops).encode("latin-1")
        stream = add(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
        xobjects = b" /XObject << /Im1 %d 0 R >>" % image if page.image else b""
        kids.append(
            add(
                b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 %g %g] /Rotate %d "
                b"/Resources << /Font << /F1 %d 0 R /F2 %d 0 R /F3 %d 0 R >>%s%s >> "
                b"/Contents %d 0 R >>"
                % (
                    tree,
                    page.width,
                    page.height,
                    page.rotate,
                    helvetica,
                    cjk,
                    unmapped,
                    xobjects,
                    _HALF,
                    stream,
                )
            )
        )
    objects[catalog - 1] = b"<< /Type /Catalog /Pages %d 0 R >>" % tree
    objects[tree - 1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % kid for kid in kids),
        len(kids),
    )
    return _serialised(objects, catalog)


def write_cjk_pdf(path: Path, pages: list[Page]) -> Path:
    path.write_bytes(cjk_pdf(pages))
    return path


def _serialised(objects: list[bytes], catalog: int) -> bytes:
    """A PDF file of ``objects`` (numbered from 1), its cross-reference table and trailer."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        catalog,
        xref,
    )
    return bytes(out)


def forms_pdf(leaf_ops: bytes, depth: int = 1, fan: int = 10, *, cyclic: bool = False) -> bytes:
    """A one-page PDF of a line of text that draws a form XObject: the form at the bottom
    holds ``leaf_ops`` (Flate-compressed), each of the ``depth - 1`` above it draws the one
    below ``fan`` times. ``cyclic``: the bottom form also draws the top one."""
    import zlib

    objects: list[bytes] = [b""]  # the catalog, filled in below
    top = len(objects) + 1 + depth - 1  # the forms take the next numbers, bottom first
    draw_top = b"/Top Do\n" if cyclic else b""
    for level in range(depth):
        if level == 0:
            data = zlib.compress(leaf_ops + draw_top)
            head, below = b"/Filter /FlateDecode ", b""
        else:
            data = b"/X0 Do\n" * fan
            head = b""
            below = b"/X0 %d 0 R " % (len(objects))
        resources = b"/Resources << /XObject << %s%s>> >> " % (
            below,
            b"/Top %d 0 R " % top if cyclic and level == 0 else b"",
        )
        objects.append(
            b"<< /Type /XObject /Subtype /Form /BBox [0 0 595 842] %s%s/Length %d >>\n"
            b"stream\n%s\nendstream" % (resources, head, len(data), data)
        )
    font = len(objects) + 1
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    text = b"BT /F1 10 Tf 50 800 Td (%s) Tj ET\n/X0 Do\n" % (b"Annual report " * 8)
    objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(text), text))
    page = len(objects) + 1
    objects.append(
        b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Contents %d 0 R "
        b"/Resources << /Font << /F1 %d 0 R >> /XObject << /X0 %d 0 R >> >> >>"
        % (page + 1, page - 1, font, top)
    )
    objects.append(b"<< /Type /Pages /Kids [%d 0 R] /Count 1 >>" % page)
    objects[0] = b"<< /Type /Catalog /Pages %d 0 R >>" % (page + 1)
    return _serialised(objects, 1)
