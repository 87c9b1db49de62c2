"""Web pages whose statutory tables are laid out without ``<table>`` markup (CSS tables, ARIA
grids, CSS grids, flex rows, preformatted text), and tables in a few places around the page
(``<details>``, a closed ``<dialog>``, print and screen copies): each figure is read as a
browser shows it, or the page is refused saying why and what to send instead; never a wrong
figure in silence.

What was wrong before this sweep:

- tables of ``<div>``s laid out by CSS (``display:table``, ``table-row``, ``table-cell``), ARIA
  grids (``role="table"``) and CSS grids were not read, and the page got the reader's
  「未找到统计表」, which does not say why;
- a table pasted as preformatted text (``<pre>``) lost its line breaks and column spacing.
"""

from __future__ import annotations

import html as html_escape
import random
from collections.abc import Callable
from pathlib import Path

import pytest

from nianbao.checks.engine import validate_return
from nianbao.form import get_form
from nianbao.form.data import Return, filled_return
from nianbao.form.findings import Rule
from nianbao.recognise.reader import read_return
from tests.support.documents import Printing, refused, report_tables, report_text
from tests.support.returns import balanced_inputs

FORM = get_form("2021")
SOURCE = filled_return(
    FORM, balanced_inputs(FORM, random.Random(17), high=40), unit="某某区人民政府", year=2024
)
TITLE = "某某区人民政府2024年政府信息公开工作年度报告"
TABLES = report_tables(FORM, SOURCE.values, Printing(title=TITLE))
# a figure of 表三 no balance rule would miss, printed otherwise by the print-only copy
OTHER = {key: (value + 1 if key == "三:1:c1" else value) for key, value in SOURCE.values.items()}

Grid = list[list[str]]


def flat(rows) -> Grid:
    """A table's rows as a browser lays them out, one text per position: a merged cell's text
    in its top-left position, the positions it covers blank (as CSS tables must print it)."""
    width = sum(cell.colspan for cell in rows[0])
    covered: list[set[int]] = [set() for _ in rows]
    grid: Grid = [[""] * width for _ in rows]
    for r, line in enumerate(rows):
        c = 0
        for cell in line:
            while c in covered[r]:
                c += 1
            grid[r][c] = cell.text
            for below in covered[r : r + cell.rowspan]:
                below.update(range(c, c + cell.colspan))
            c += cell.colspan
    return grid


def page(tables: Callable[[list[tuple[str, object]]], str], head: str = "") -> str:
    """SOURCE as a report page, its tables (heading, rows) laid out by ``tables``."""
    return (
        f"<!DOCTYPE html><html><head><meta charset=utf-8>{head}<title>{TITLE}</title></head>"
        f"<body><h1>{TITLE}</h1><p>一、总体情况</p><p>本年度政府信息公开工作有序开展。</p>"
        f"{tables(TABLES)}<p>五、存在的主要问题及改进情况</p></body></html>"
    )


def each(table: Callable[[object], str]) -> Callable[[list[tuple[str, object]]], str]:
    return lambda tables: "".join(f"<p>{heading}</p>{table(rows)}" for heading, rows in tables)


def text(value: str) -> str:
    return html_escape.escape(value).replace("\n", "<br>")


def saved(tmp_path: Path, html: str) -> Path:
    path = tmp_path / "报告.html"
    path.write_text(html, encoding="utf-8")
    return path


def as_printed(ret: Return, values=None) -> None:
    assert ret.values == (SOURCE.values if values is None else values)
    assert validate_return(ret) == []


# -- 1. CSS tables and ARIA grids ----------------------------------------------------------------------


def css_inline(rows) -> str:
    cell = '<div style="display:table-cell;border:1px solid">{}</div>'
    lines = "".join(
        '<div style="display: table-row">' + "".join(cell.format(text(t)) for t in line) + "</div>"
        for line in flat(rows)
    )
    return f'<div style="display:table;border-collapse:collapse">{lines}</div>'


def css_classes(rows) -> str:
    grid = flat(rows)
    head = "".join(
        '<div class="tr">' + "".join(f'<span class="td">{text(t)}</span>' for t in line) + "</div>"
        for line in grid[:1]
    )
    body = "".join(
        '<div class="tr">' + "".join(f'<span class="td">{text(t)}</span>' for t in line) + "</div>"
        for line in grid[1:]
    )
    return f'<div class="tbl"><div class="thead">{head}</div><div class="tbody">{body}</div></div>'


CSS_SHEET = (
    "<style>.tbl{display:table;width:100%} .tbl .thead{display:table-header-group}"
    " .tbl .tbody{display:table-row-group} .tbl .tr{display:table-row}"
    " .tr > .td{display:table-cell;padding:4px}</style>"
)


def aria(spans: bool) -> Callable[[object], str]:
    def table(rows) -> str:
        if not spans:
            lines = [
                [(t, "rowheader" if c == 0 and t else "cell", 1, 1) for c, t in enumerate(line)]
                for line in flat(rows)
            ]
        else:
            lines = [
                [(cell.text, "cell", cell.rowspan, cell.colspan) for cell in line] for line in rows
            ]
        out = []
        for line in lines:
            cells = "".join(
                f'<div role="{role}"'
                + (f' aria-rowspan="{down}"' if down > 1 else "")
                + (f' aria-colspan="{across}"' if across > 1 else "")
                + f">{text(t)}</div>"
                for t, role, down, across in line
            )
            out.append(f'<div role="row" class="row">{cells}</div>')
        return f'<div role="table" class="t"><div role="rowgroup">{"".join(out)}</div></div>'

    return table


def grid_of(columns: Callable[[int], str]) -> Callable[[object], str]:
    def table(rows) -> str:
        grid = flat(rows)
        cells = "".join(f"<div>{text(t)}</div>" for line in grid for t in line)
        return (
            f'<div style="display:grid;grid-template-columns:{columns(len(grid[0]))}">{cells}</div>'
        )

    return table


READ = {
    "css-table-inline-style": (each(css_inline), ""),
    "css-table-style-sheet-classes": (each(css_classes), CSS_SHEET),
    "aria-table-flat": (each(aria(spans=False)), ""),
    "aria-table-with-aria-spans": (each(aria(spans=True)), ""),
    "css-grid-repeat": (each(grid_of(lambda n: f"repeat({n}, minmax(0, 1fr))")), ""),
    "css-grid-track-list": (
        each(grid_of(lambda n: "[label] 12em " + " ".join(["1fr"] * (n - 1)) + " [end]")),
        "",
    ),
    "css-grid-mixed-repeat": (each(grid_of(lambda n: f"200px repeat({n - 1}, 60px)")), ""),
}


@pytest.mark.parametrize("tables, head", READ.values(), ids=READ)
def test_tables_laid_out_by_css_or_aria_are_read(tmp_path, tables, head):
    as_printed(read_return(saved(tmp_path, page(tables, head))))


def flex_rows(rows) -> str:
    lines = "".join(
        '<div style="display:flex">'
        + "".join(f'<div style="flex:1">{text(t)}</div>' for t in line)
        + "</div>"
        for line in flat(rows)
    )
    return f"<div>{lines}</div>"


def grid_spanning(rows) -> str:
    """A CSS grid whose merged cells span columns (``grid-column: span n``)."""
    width = sum(cell.colspan for cell in rows[0])
    cells = "".join(
        f'<div style="grid-column: span {cell.colspan}">{text(cell.text)}</div>'
        if cell.colspan > 1
        else f"<div>{text(cell.text)}</div>"
        for line in rows
        for cell in line
    )
    return f'<div style="display:grid;grid-template-columns:repeat({width}, 1fr)">{cells}</div>'


def plain_divs(rows) -> str:
    return "".join(f"<div>{text(t)}</div>" for line in flat(rows) for t in line)


def css_table_with_a_stray_block(rows) -> str:
    """A CSS table one of whose rows holds a block that is no cell (a browser makes it an
    anonymous cell of its own, or several of them one)."""
    html = css_inline(rows)
    return html.replace(
        '<div style="display: table-row">', '<div style="display: table-row"><p>*</p>', 1
    )


REFUSED = {
    "css-grid-auto-fill": (
        each(grid_of(lambda n: "repeat(auto-fill, minmax(60px, 1fr))")),
        "网格",
    ),
    "css-grid-columns-in-a-style-sheet-unknown": (
        each(lambda rows: grid_of(lambda n: "var(--cols)")(rows)),
        "网格",
    ),
    "css-grid-spans": (each(grid_spanning), "网格"),
    "flex-rows": (each(flex_rows), "弹性"),
    "plain-divs": (each(plain_divs), "不是表格"),
    "css-table-stray-block": (each(css_table_with_a_stray_block), "不是表格"),
}


@pytest.mark.parametrize("tables, why", REFUSED.values(), ids=REFUSED)
def test_tables_not_in_table_markup_and_not_read_exactly_are_refused_saying_so(
    tmp_path, tables, why
):
    message = refused(saved(tmp_path, page(tables)), Rule.F02)
    assert why in message
    assert "不是表格（<table>）" in message
    assert "Word" in message  # what to send instead
    assert "未找到统计表" not in message


# -- 3. preformatted text --------------------------------------------------------------------------


def test_tables_pasted_as_preformatted_text_are_read_as_text(tmp_path):
    """Word's plain-text export (a tab-led line a cell) pasted in a ``<pre>``: read as the
    text reader reads that text, line breaks and tabs kept."""
    pre = html_escape.escape(report_text(FORM, SOURCE.values, Printing(title=TITLE)))
    html = page(lambda tables: f"<pre>{pre}</pre>")
    as_printed(read_return(saved(tmp_path, html)))


def test_a_pre_beside_real_tables_is_running_text(tmp_path):
    pre = "<pre>注：  本表    单位：件\n  1   2   3</pre>"
    ret = read_return(saved(tmp_path, page(each(css_inline)).replace("<h1>", pre + "<h1>")))
    as_printed(ret)


# -- 4. around the tables ----------------------------------------------------------------------


def _table(rows) -> str:
    lines = "".join(
        "<tr>"
        + "".join(f"<td rowspan={c.rowspan} colspan={c.colspan}>{text(c.text)}</td>" for c in line)
        + "</tr>"
        for line in rows
    )
    return f"<table border=1>{lines}</table>"


def test_tables_in_a_collapsed_details_are_read(tmp_path):
    html = page(
        lambda tables: f"<details><summary>查看统计表</summary>{each(_table)(tables)}</details>"
    )
    as_printed(read_return(saved(tmp_path, html)))


def test_tables_only_in_a_closed_dialog_are_refused_saying_so(tmp_path):
    """A ``<dialog>`` not open is not shown (a script opens it): its tables are not what the
    page shows. The page is refused (no statutory table shown), never read in silence."""
    html = page(lambda tables: f"<dialog>{each(_table)(tables)}</dialog>")
    message = refused(saved(tmp_path, html), Rule.F02)
    assert "对话框" in message


def test_tables_in_an_open_dialog_are_read(tmp_path):
    html = page(lambda tables: f"<dialog open>{each(_table)(tables)}</dialog>")
    as_printed(read_return(saved(tmp_path, html)))


def _print_and_screen(tables) -> str:
    other = report_tables(FORM, OTHER, Printing(title=TITLE))
    return f'<div class="p">{each(_table)(other)}</div><div class="s">{each(_table)(tables)}</div>'


PRINT_SCREEN = {
    "media-rules": "@media print{.s{display:none}} @media screen{.p{display:none}}",
    "screen-rule-only": ".p{display:none} @media print{.p{display:block} .s{display:none}}",
}


@pytest.mark.parametrize("sheet", PRINT_SCREEN.values(), ids=PRINT_SCREEN)
def test_pin_of_print_and_screen_copies_only_the_screen_copy_is_read(tmp_path, sheet):
    html = page(_print_and_screen, head=f"<style>{sheet}</style>")
    as_printed(read_return(saved(tmp_path, html)))


def test_pin_print_copy_hidden_by_a_print_only_sheet_and_media_attribute(tmp_path):
    head = '<style media="screen">.p{display:none}</style><style media="print">.s{display:none}</style>'
    as_printed(read_return(saved(tmp_path, page(_print_and_screen, head=head))))
