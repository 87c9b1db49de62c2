"""Published reports for tests: their hand transcriptions (tests/data/published/) and the
shared originals (never copied into the repository; a test that needs one skips without it)."""

from __future__ import annotations

import json
import tracemalloc
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path

import pytest

from nianbao.form.findings import Rule
from nianbao.form.model import Block, Form, Header, Table, depth_of
from nianbao.recognise.labels import accepted, canonical

HERE = Path(__file__).resolve().parent.parent
DATA = HERE / "data" / "published"
SHARED = (
    (HERE.parent / "../shared/reference").resolve(),
    Path("/work/shared/reference"),
)
TRANSCRIBED = sorted(p.name for p in DATA.glob("*.json"))


def transcribed(name: str) -> dict:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def refused(path: Path, rule: Rule) -> str:
    """The message of the finding ``rule`` that opening ``path`` as a source is refused with."""
    from nianbao.sources.dispatch import open_source
    from nianbao.sources.preflight import UnreadableFile

    with pytest.raises(UnreadableFile) as caught:
        with open_source(path):
            pass
    assert caught.value.finding.rule is rule, caught.value.finding.message
    return caught.value.finding.message


@contextmanager
def allocations() -> Iterator[Callable[[], int]]:
    """The peak of Python's allocations inside the block, asked after it: what a refusal
    allocated before it refused (a bomb must be refused before it is built, not after)."""
    tracemalloc.start()
    peak = 0
    try:
        yield lambda: peak
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()


def published(name: str) -> tuple[dict, Path]:
    """The transcription ``name`` and the path of the report it was transcribed from."""
    expected = transcribed(name)
    source = expected["source"]
    for folder in SHARED:
        for path in (folder / "published" / source, folder / source):
            if path.is_file():
                return expected, path
    pytest.skip(f"published report {source} is not in ../shared/reference")


def figure(text: str | None) -> int | Decimal | None:
    """A transcribed figure as nianbao holds it: an int, a Decimal with a fraction, or None."""
    if text is None:
        return None
    number = Decimal(text)
    return int(number) if number == number.to_integral_value() else number


def transcribed_values(expected: dict, form: Form) -> dict[str, int | Decimal | None]:
    """Cell key -> figure, every cell of ``form`` (derived ones as printed), matching each
    transcribed row label to the form's row the way the reader does (known variants too)."""
    values: dict[str, int | Decimal | None] = {}
    for code in ("二", "三"):
        table = form.table(code)
        leaves = [(block, leaf) for block in table.blocks for leaf in block.row_leaves]
        for entry in expected[code]:
            key = canonical(entry["label"])
            (block, leaf), *others = [
                (block, leaf) for block, leaf in leaves if key in accepted(leaf.label)
            ]
            assert not others, entry["label"]
            columns = block.column_leaves
            assert len(columns) == len(entry["values"]), entry["label"]
            for column, text in zip(columns, entry["values"], strict=True):
                values[f"{code}:{leaf.code}:{column.code}"] = figure(text)
    block = form.table("四").blocks[0]
    (row,) = block.row_leaves
    for column, text in zip(block.column_leaves, expected["四"]["values"], strict=True):
        values[f"四:{row.code}:{column.code}"] = figure(text)
    assert set(values) == {cell.key for cell in form.cells}
    return values


# -- Word files written by hand: exactly the markup a test needs ----------------------------------

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def w_paragraph(text: str) -> str:
    return f"<w:p><w:r><w:t xml:space='preserve'>{text}</w:t></w:r></w:p>"


def w_cell(text: str = "", *, span: int = 1, vmerge: str | None = None) -> str:
    """A table cell; ``vmerge`` "restart" starts a vertical merge, "" continues one."""
    properties = ""
    if span > 1:
        properties += f"<w:gridSpan w:val='{span}'/>"
    if vmerge == "restart":
        properties += "<w:vMerge w:val='restart'/>"
    elif vmerge is not None:
        properties += "<w:vMerge/>"
    paragraphs = "".join(w_paragraph(line) for line in text.split("\n")) if text else "<w:p/>"
    return f"<w:tc><w:tcPr>{properties}</w:tcPr>{paragraphs}</w:tc>"


def w_row(*cells: str, before: int = 0) -> str:
    properties = f"<w:trPr><w:gridBefore w:val='{before}'/></w:trPr>" if before else ""
    return f"<w:tr>{properties}{''.join(cells)}</w:tr>"


def w_table(*rows: str) -> str:
    return f"<w:tbl><w:tblPr/>{''.join(rows)}</w:tbl>"


def docx_file(path: Path, *blocks: str) -> Path:
    """A Word file whose body is ``blocks`` (paragraphs and tables)."""
    import zipfile

    document = (
        f"<?xml version='1.0' encoding='UTF-8' standalone='yes'?><w:document xmlns:w='{_W}'>"
        f"<w:body>{''.join(blocks)}<w:sectPr/></w:body></w:document>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            "<?xml version='1.0'?><Types xmlns='http://schemas.openxmlformats.org/package/2006/content-types'/>",
        )
        archive.writestr("word/document.xml", document)
    return path


# -- a return printed as a published report: web page, Word or text -------------------------------

Text = Callable[[str, object], str]  # (cell key, value) -> the text printed in the cell


@dataclass
class Printing:
    """How a report prints its tables; the defaults print them exactly as the form has them."""

    title: str = "某某区人民政府\n2024年政府信息公开工作年度报告"
    narrative: tuple[str, ...] = ("一、总体情况",)
    labels: dict[str, str] = field(default_factory=dict)  # official label -> as printed
    text: Text | None = None  # a cell's value as printed (default: the number, blank for None)
    split_before: str | None = None  # a 表三 row label: the table continues in a second table
    repeat_header: bool = False  # the continuation repeats the header rows
    # figures of another set of the tables printed before the report's own (last year's,
    # for comparison), each under a heading 「上年对照：…」
    earlier: Mapping[str, object] | None = None


@dataclass
class _Cell:
    text: str
    rowspan: int = 1
    colspan: int = 1


def _printed(printing: Printing, key: str, value: object) -> str:
    if printing.text is not None:
        return printing.text(key, value)
    return "" if value is None else str(value)


def _label(printing: Printing, label: str) -> str:
    return printing.labels.get(label, label)


def _header_rows(printing: Printing, block: Block, row_depth: int) -> list[list[_Cell]]:
    depth = depth_of(block.columns)
    rows: list[list[_Cell]] = [[] for _ in range(depth)]
    if row_depth:
        rows[0].append(_Cell(_label(printing, block.corner), depth, row_depth))

    def walk(nodes: tuple[Header, ...], level: int) -> None:
        for node in nodes:
            span = len(list(node.leaves()))
            rowspan = depth - level if node.is_leaf else 1
            rows[level].append(_Cell(_label(printing, node.label), rowspan, span))
            walk(node.children, level + 1)

    walk(block.columns, 0)
    return rows


def _data_rows(
    printing: Printing, table: Table, block: Block, values: Mapping[str, object]
) -> list[tuple[str, list[_Cell]]]:
    """(leaf label, cells) per data row; row label cells carry their rowspans."""
    depth = depth_of(block.rows) if block.show_row_labels else 0
    rows: list[tuple[str, list[_Cell]]] = []

    def walk(nodes: tuple[Header, ...], level: int, opened: list[_Cell]) -> None:
        for node in nodes:
            cell = _Cell(_label(printing, node.label), len(list(node.leaves())))
            if node.is_leaf:
                cell.colspan = depth - level
                cells = [*opened, cell] if block.show_row_labels else []
                for column in block.column_leaves:
                    key = f"{table.code}:{node.code}:{column.code}"
                    cells.append(_Cell(_printed(printing, key, values.get(key))))
                rows.append((node.label, cells))
                opened = []
            else:
                walk(node.children, level + 1, [*opened, cell])
                opened = []

    walk(block.rows, 0, [])
    return rows


def report_tables(
    form: Form, values: Mapping[str, object], printing: Printing
) -> list[tuple[str, list[list[_Cell]]]]:
    """The report's tables in order as (heading before it, rows of cells)."""
    if printing.earlier is not None:
        own = replace(printing, earlier=None)
        earlier = report_tables(form, printing.earlier, own)
        return [(f"上年对照：{heading}", rows) for heading, rows in earlier] + report_tables(
            form, values, own
        )
    tables: list[tuple[str, list[list[_Cell]]]] = []
    for table in form.tables:
        rows: list[list[_Cell]] = []
        width = 1 + max(len(block.column_leaves) for block in table.blocks)
        for block in table.blocks:
            depth = depth_of(block.rows) if block.show_row_labels else 0
            if block.caption:
                rows.append([_Cell(_label(printing, block.caption), 1, width)])
            header = _header_rows(printing, block, depth)
            data = _data_rows(printing, table, block, values)
            if block.caption:  # 表二: a block narrower than the table widens its last column
                for line in [*header, *(cells for _, cells in data)]:
                    line[-1].colspan += width - sum(c.colspan for c in line)
            rows.extend(header)
            split = next(
                (i for i, (label, _) in enumerate(data) if label == printing.split_before), None
            )
            if split is None:
                rows.extend(cells for _, cells in data)
                continue
            rows.extend(cells for _, cells in data[:split])
            tables.append((table.title, rows))
            rows = [list(line) for line in header] if printing.repeat_header else []
            for _, cells in data[split:]:
                # the groups opened above the split continue in an empty cell (as Word splits
                # a vertical merge), so every row keeps the table's columns
                missing = sum(c.colspan for c in data[0][1]) - sum(c.colspan for c in cells)
                padding = [_Cell("", 1, missing)] if missing else []
                rows.append([*padding, *[_Cell(c.text, 1, c.colspan) for c in cells]])
            title = "（续表）"
            tables.append((title, rows))
            rows = []
        if rows:
            tables.append((table.title, rows))
    return tables


def report_html(form: Form, values: Mapping[str, object], printing: Printing | None = None) -> str:
    """A report as Word's "save as web page" prints it (MsoNormalTable, paragraphs in cells)."""
    printing = printing or Printing()

    def cell(c: _Cell) -> str:
        spans = (f" rowspan={c.rowspan}" if c.rowspan > 1 else "") + (
            f" colspan={c.colspan}" if c.colspan > 1 else ""
        )
        lines = "".join(
            f"<p class=MsoNormal><span>{line}</span></p>" for line in c.text.split("\n")
        )
        return f"<td{spans}>{lines or '<p class=MsoNormal>&nbsp;</p>'}</td>"

    title = "".join(f"<p class=MsoTitle>{line}</p>" for line in printing.title.split("\n"))
    body = [title, *(f"<p>{p}</p>" for p in printing.narrative)]
    for heading, rows in report_tables(form, values, printing):
        body.append(f"<p>{heading}</p><table class=MsoNormalTable border=1>")
        body += ["<tr>" + "".join(cell(c) for c in line) + "</tr>" for line in rows]
        body.append("</table>")
    return (
        '<html xmlns:o="urn:schemas-microsoft-com:office:office"><head>'
        '<meta http-equiv=Content-Type content="text/html; charset=utf-8"></head>'
        f"<body><div class=WordSection1>{''.join(body)}</div></body></html>"
    )


def _with_continued_cells(rows: list[list[_Cell]]) -> list[list[tuple[_Cell | None, int]]]:
    """Each row's cells as (cell, colspan), with (None, colspan) where a cell of a row above
    continues into this row (its row span): how Word's tables and text export show them."""
    out: list[list[tuple[_Cell | None, int]]] = []
    pending: dict[int, tuple[int, int]] = {}  # column -> (rows still merged, colspan)
    for line in rows:
        placed: list[tuple[_Cell | None, int]] = []
        column = 0
        cells = iter(line)
        while True:
            if column in pending:
                left, span = pending.pop(column)
                placed.append((None, span))
                if left > 1:
                    pending[column] = (left - 1, span)
                column += span
                continue
            c = next(cells, None)
            if c is None:
                break
            placed.append((c, c.colspan))
            if c.rowspan > 1:
                pending[column] = (c.rowspan - 1, c.colspan)
            column += c.colspan
        out.append(placed)
    return out


def report_docx(
    path: Path, form: Form, values: Mapping[str, object], printing: Printing | None = None
) -> Path:
    """A report as a Word file: gridSpan for column spans, vMerge for row spans."""
    printing = printing or Printing()
    blocks = [w_paragraph(line) for line in printing.title.split("\n")]
    blocks += [w_paragraph(p) for p in printing.narrative]
    for heading, rows in report_tables(form, values, printing):
        blocks.append(w_paragraph(heading))
        grid = [
            [
                w_cell(span=span, vmerge="")
                if c is None
                else w_cell(c.text, span=span, vmerge="restart" if c.rowspan > 1 else None)
                for c, span in line
            ]
            for line in _with_continued_cells(rows)
        ]
        blocks.append(w_table(*(w_row(*cells) for cells in grid)))
    return docx_file(path, *blocks)


def report_text(form: Form, values: Mapping[str, object], printing: Printing | None = None) -> str:
    """A report as Word's plain-text export prints it (the seed report): a tab-led line per
    cell, a blank line after each row; a merged cell is one cell, and one empty cell in each
    row its row span continues into."""
    printing = printing or Printing()
    lines = [*printing.title.split("\n"), *printing.narrative]
    for heading, rows in report_tables(form, values, printing):
        lines.append(heading)
        for line in _with_continued_cells(rows):
            lines += ["\t" if c is None else "\t" + c.text for c, _ in line]
            lines.append("")
    return "\n".join(lines) + "\n"
