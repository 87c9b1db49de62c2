"""Write a Report as one self-contained web page (.html), for an office's website.

- Nothing outside the file: no scripts, no external style sheets, fonts or images; the style
  sheet is inline, so the page can be uploaded as it is or its ``<main>`` pasted into a CMS.
- Accessible: ``lang="zh-CN"``, one ``<h1>``, ``<h2>`` per part, ``<h3>`` for （一）…; each table
  has a ``<caption>``, header cells are ``<th>`` with ``scope``, merged exactly as the official
  table (``rowspan``/``colspan``), and every figure names its headers (``headers``/``id``) so a
  screen reader reads 「申请人情况 法人或其他组织 商业企业 … 1.属于国家秘密：3」.
- On a phone each table scrolls sideways inside its own box (keyboard-focusable region)
  instead of squeezing 15 columns into the screen; printed, tables are full width, their header
  rows repeat on each page, and rows are not split.
- Placeholders 「（请填写：…）」 are ``<mark class="todo">``: highlighted on screen and on paper.
- Tables carry ``border="1"`` too, so they stay ruled where a CMS strips the style sheet.
"""

from __future__ import annotations

import os

from lxml import etree
from lxml.builder import E

from nianbao import __version__
from nianbao.documents.report import Paragraph, Report
from nianbao.documents.tables import GridCell, TableGrid, alignment
from nianbao.outputs import atomic_output

STYLE = """
:root { color: #000; background: #fff; }
body { margin: 0; font-family: "仿宋", "FangSong", "STFangsong", "Songti SC", "SimSun", serif;
  font-size: 18px; line-height: 1.8; }
main { max-width: 52em; margin: 0 auto; padding: 1em; }
h1 { font-family: "方正小标宋简体", "宋体", "SimSun", "Songti SC", serif; font-weight: normal;
  font-size: 1.6em; line-height: 1.4; text-align: center; margin: 0.5em 0 1em; }
h2 { font-family: "黑体", "SimHei", "Heiti SC", sans-serif; font-weight: normal; font-size: 1em;
  margin: 1em 0 0; text-indent: 2em; }
h3 { font-family: "楷体", "KaiTi", "STKaiti", serif; font-weight: normal; font-size: 1em;
  margin: 0; text-indent: 2em; }
p { margin: 0; text-indent: 2em; text-align: justify; }
mark.todo { background: #ff0; color: #000; }
.table-wrap { overflow-x: auto; margin: 0.5em 0 1em; }
.table-wrap:focus { outline: 2px solid #06c; }
table { border-collapse: collapse; width: 100%; font-family: "宋体", "SimSun", "Songti SC", serif;
  font-size: 14px; line-height: 1.4; }
table.wide { min-width: 48em; }
/* The caption repeats the heading above the table: read aloud, not shown twice. */
caption { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0);
  white-space: nowrap; }
th, td { border: 1px solid #000; padding: 0.25em 0.3em; vertical-align: middle; }
th { font-weight: normal; text-align: center; }
th.caption { text-align: left; background: #c6d9f1; }
th.left { text-align: left; }
td { text-align: center; font-variant-numeric: tabular-nums; white-space: nowrap; }
@media print {
  @page { size: A4; margin: 3.7cm 2.6cm 3.5cm 2.8cm; }
  body { font-size: 16pt; line-height: 28pt; }
  main { max-width: none; padding: 0; }
  .table-wrap { overflow: visible; }
  table { font-size: 9pt; line-height: 1.3; }
  table.wide { min-width: 0; }
  thead { display: table-header-group; }
  tr, h2, h3 { break-inside: avoid; }
  h2, h3 { break-after: avoid; }
}
"""

# A table this many columns wide or more keeps a minimum width and scrolls on a phone.
WIDE_FROM = 8


def write_html(report: Report, path: str | os.PathLike[str]) -> None:
    """Write ``report`` to ``path`` atomically."""
    data = render_html(report)
    with atomic_output(path) as tmp:
        tmp.write_bytes(data)


def render_html(report: Report) -> bytes:
    main = E.main(E.h1(report.title))
    main.extend(_paragraph(p) for p in report.opening)
    for number, section in enumerate(report.sections, start=1):
        main.append(E.h2(section.heading))
        main.extend(_paragraph(p) for p in section.paragraphs)
        if section.table is not None:
            main.append(_table(section.table, f"table-{number}"))
    page = E.html(
        E.head(
            E.meta(charset="utf-8"),
            E.meta(name="viewport", content="width=device-width, initial-scale=1"),
            E.meta(name="generator", content=f"nianbao {__version__}"),
            E.title(report.title),
            E.style(STYLE),
        ),
        E.body(main),
        lang="zh-CN",
    )
    return etree.tostring(page, method="html", encoding="utf-8", doctype="<!DOCTYPE html>")


def _paragraph(paragraph: Paragraph):
    element = E.h3() if paragraph.kind == "subheading" else E.p()
    last = None
    for run in paragraph.runs:
        if run.todo:
            last = E.mark(run.text, {"class": "todo"})
            element.append(last)
        elif last is None:
            element.text = (element.text or "") + run.text
        else:
            last.tail = (last.tail or "") + run.text
    return element


def _table(grid: TableGrid, ident: str):
    caption_id = f"{ident}-caption"
    table = E.table(
        E.caption(_caption(grid), id=caption_id),  # visually hidden (see STYLE)
        {"border": "1", "class": "wide" if grid.width >= WIDE_FROM else "plain"},
    )
    rows = grid.rows()
    if grid.head_rows:
        table.append(E.thead(*(_row(cells, grid) for cells in rows[: grid.head_rows])))
    table.append(E.tbody(*(_row(cells, grid) for cells in rows[grid.head_rows :])))
    return E.div(
        table,
        {"class": "table-wrap", "role": "region", "aria-labelledby": caption_id, "tabindex": "0"},
    )


def _caption(grid: TableGrid) -> str:
    """「表三　收到和处理政府信息公开申请情况」: the table's title without its part number."""
    return f"{grid.table.short}　{grid.table.title.split('、', 1)[-1]}"


def _row(cells: list[GridCell], grid: TableGrid):
    return E.tr(*(_cell(cell, grid) for cell in cells))


def _cell(cell: GridCell, grid: TableGrid):
    attributes = {"id": cell.ident}
    if cell.rowspan > 1:
        attributes["rowspan"] = str(cell.rowspan)
    if cell.colspan > 1:
        attributes["colspan"] = str(cell.colspan)
    if cell.kind == "data":
        attributes["headers"] = " ".join(cell.headers)
        return E.td(cell.text, attributes)
    attributes["scope"] = cell.scope
    css = _header_class(cell, grid)
    if css:
        attributes["class"] = css
    return E.th(cell.text, attributes)


def _header_class(cell: GridCell, grid: TableGrid) -> str:
    if cell.kind == "caption":
        return "caption"
    return "left" if alignment(cell, grid) == "left" else ""


__all__ = ["render_html", "write_html"]
