"""A PDF whose first pages have text and whose table pages are scanned images: the table is
not found, and the refusal says which pages have no text layer (instead of only listing the
labels it could not find, as if the report had left them out)."""

from __future__ import annotations

import pypdfium2 as pdfium
import pytest

from nianbao.form import get_form
from nianbao.form.findings import Rule
from nianbao.recognise.reader import UnknownLayout, read_return
from tests.support.documents import Printing, report_html
from tests.support.pdfs import Page, write_pdf
from tests.support.returns import valid_return
from tests.support.soffice import requires_soffice

FORM = get_form("2021")


@requires_soffice
def test_table_pages_that_are_scans_are_named_in_the_refusal(tmp_path):
    from tests.support.pdfs import html_pdf

    page = report_html(FORM, valid_return(FORM, seed=12).values, Printing())
    body = page.split("<body>", 1)[1].split("</body>", 1)[0]
    text = html_pdf(tmp_path, "text", body)
    scan = write_pdf(tmp_path / "scan.pdf", [Page().picture()])
    document = pdfium.PdfDocument(str(text))
    kept = 1  # the title and 表二; the rest is "scanned"
    for index in reversed(range(kept, len(document))):
        document.del_page(index)
    document.import_pages(pdfium.PdfDocument(str(scan)))
    mixed = tmp_path / "部分扫描.pdf"
    document.save(str(mixed))
    with pytest.raises(UnknownLayout) as refused:
        read_return(mixed)
    finding = refused.value.finding
    assert finding.rule is Rule.L01
    assert f"第 {kept + 1} 页没有文字层，可能是扫描的图片" in finding.message
