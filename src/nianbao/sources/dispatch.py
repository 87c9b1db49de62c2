"""Any input file -> Grid: the one entry point the recogniser uses.

The format is decided by content (preflight), never by the file's name: a workbook goes to
grid.open_grid (calamine or openpyxl), a published report to its document reader — web page
(html.py), Word (docx.py), PDF (pdf.py), plain text (plaintext.py). Every reader's failures
arrive as UnreadableFile carrying a finding (F01–F04).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

from nianbao.form.findings import Rule
from nianbao.sources.grid import OPENPYXL_FORMATS, Grid, GridError, open_grid
from nianbao.sources.preflight import DOCUMENTS, corrupt, inspect, unreadable


@contextmanager
def open_source(path: str | os.PathLike[str], engine: str = "calamine") -> Iterator[Grid]:
    """The Grid of the file at ``path``; a workbook's sheets can be read while the context is
    open. ``engine`` chooses the workbook reader ("calamine", or "openpyxl" for xlsx/xlsm);
    documents have one reader each. Raises UnreadableFile."""
    inspected = inspect(path)
    fmt = inspected.fmt
    if fmt in DOCUMENTS:
        yield read_document(path, fmt)
        return
    if engine == "openpyxl" and fmt not in OPENPYXL_FORMATS:
        raise unreadable(
            Rule.F02, path, f"是 {fmt} 格式，参考读取器（openpyxl）只能读取 .xlsx / .xlsm 文件。"
        )
    try:
        with open_grid(path, engine, fmt, inspected) as grid:
            yield grid
    except GridError:
        raise corrupt(path) from None


def read_document(path: str | os.PathLike[str], fmt: str) -> Grid:
    """The Grid of a published report whose format preflight detected as ``fmt``."""
    if fmt == "html":
        from nianbao.sources.html import read_html

        return read_html(path)
    if fmt == "docx":
        from nianbao.sources.docx import read_docx

        return read_docx(path)
    if fmt == "text":
        from nianbao.sources.plaintext import read_text

        return read_text(path)
    if fmt == "pdf":
        from nianbao.sources.pdf import read_pdf
        from nianbao.sources.preflight import check_pdf

        check_pdf(path)
        return read_pdf(path)
    raise ValueError(f"not a document format: {fmt!r}")
