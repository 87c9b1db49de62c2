"""What the document readers (web page, Word, text) share: tables as grids, and one Grid.

A document's tables are put on one sheet the way grid.Grid's docstring says: each table
expanded (a merged cell's text in its top-left position, the positions it covers None), in
document order, a blank row between two tables. Two more rules make a table split in pieces
read as one:

- rows that hold no text at all are left out, so a blank row always means "between tables";
- every table is aligned on its **right** edge. The data columns of a statutory table are its
  rightmost ones; its label columns are on the left, and a table continued in a second table
  (a web page that starts a new table half way through 表三, a repeated header) often has
  fewer label columns than the first piece (the group cell 「三、本年度办理结果」 is not
  repeated). Aligned on the right, the pieces' data columns fall under the same header.
  Label search does not care where a table starts, so this costs nothing for whole tables.

Where a reader knows its tables' spans (a web page's rowspan/colspan, Word's gridSpan and
vertical merges), they become the sheet's ``merges``, in the sheet's own rows and columns, as a
workbook's merged ranges are: a column header merged over several columns says which cells of
a figure row stand under it (the reader reads a figure from under its header's whole span).

The expansion is bounded: a cell's colspan and rowspan are clamped as browsers do (1,000 and
65,534, and a rowspan ends with its table). A document is refused (F04) before anything is
allocated when its tables hold more than MAX_CELLS cells as marked up (each is read and
indexed: about 20 µs a cell) or would expand to more than MAX_POSITIONS places (spans, and the
tables stacked on one sheet as wide as the widest). A report's three statutory tables hold
about 300 cells in about 1,000 places.
"""

from __future__ import annotations

import bisect
import os
import re
from collections.abc import Sequence
from functools import cache

from nianbao.form import FORMS
from nianbao.form.findings import Rule
from nianbao.form.model import Header
from nianbao.sources.grid import CellValue, Grid, Merge, Rows, Sheet
from nianbao.sources.preflight import UnreadableFile, unreadable

SHEET_NAME = "表格"  # the one sheet of a document's grid (the PDF reader uses the same name)
MAX_CELLS = 50_000
MAX_POSITIONS = 500_000
MAX_COLSPAN = 1_000
MAX_ROWSPAN = 65_534
# What tells a statistical table from page layout (html.py, docx.py): a cell of running prose
# is longer than PROSE_CHARS characters (the longest statutory label has 38), and a table of
# figures has at least FIGURE_CELLS cells, and a quarter of those not blank, holding a figure.
PROSE_CHARS = 200
FIGURE_CELLS = 4
_FIGURE = re.compile(r"[0-9０-９][0-9０-９,，.．]*")
_ANY_SPACE = re.compile(r"\s+")


@cache
def _statutory_words() -> tuple[str, ...]:
    """The column labels heading the statutory tables' blocks, in every vintage (本年制发件数,
    申请人情况, 行政复议 …): one of them is in every statutory table printed as text."""
    return tuple(
        sorted(
            {
                column.label
                for form in FORMS.values()
                for table in form.tables
                for block in table.blocks
                for column in block.columns
            }
        )
    )


def holds_statutory_words(text: str) -> bool:
    """Whether ``text`` (a table's, white space aside) holds a label heading a statutory table:
    a page or document none of whose tables does has no statutory table as text (its tables
    are pictures, in a frame, an attachment or an embedded object; html.py, docx.py)."""
    compact = _ANY_SPACE.sub("", text)
    return any(word in compact for word in _statutory_words())


@cache
def _own_labels() -> dict[str, tuple[str, frozenset[str]]]:
    """Each statutory table's code -> (its title, the labels it prints and no other statutory
    table does, white space aside), in every vintage."""
    labels: dict[str, set[str]] = {}
    titles: dict[str, str] = {}
    for form in FORMS.values():
        for table in form.tables:
            titles.setdefault(table.code, table.title)
            found = labels.setdefault(table.code, set())
            for block in table.blocks:
                found.update(filter(None, (block.caption, block.corner)))
                found.update(h.label for h in _headers(block.rows + block.columns) if h.label)
    return {
        code: (
            titles[code],
            frozenset(
                _ANY_SPACE.sub("", label)
                for label in own
                # nor is part of one (表三's 「其他」 is in 表四's 「其他结果」)
                if not any(
                    label in theirs
                    for key, other in labels.items()
                    if key != code
                    for theirs in other
                )
            ),
        )
        for code, own in labels.items()
    }


def _headers(nodes: tuple[Header, ...]) -> list[Header]:
    return [h for node in nodes for h in (node, *_headers(node.children))]


def statutory_tables() -> list[tuple[str, str]]:
    """The statutory tables as (short name, title): 表二, 表三, 表四."""
    return [(f"表{code}", title) for code, (title, _) in _own_labels().items()]


def tables_not_printed(texts: Sequence[str]) -> list[tuple[str, str]]:
    """The statutory tables (short name, title) none of whose own labels is in ``texts`` (the
    text of the tables a document's reader reads): the reader cannot find them there. A
    label printed with a typo or a line break still leaves the table's other labels."""
    compact = [_ANY_SPACE.sub("", text) for text in texts]
    return [
        (f"表{code}", title)
        for code, (title, labels) in _own_labels().items()
        if not any(label in text for text in compact for label in labels)
    ]


def tables_as_pictures(missing: Sequence[tuple[str, str]], pictures: int | None) -> str:
    """L01/F02's text for the ``missing`` statutory tables (short name, title; none: all of
    them) published as pictures (html.py, docx.py): ``pictures`` in the document (None: one
    stands where a missing table would)."""
    what = "、".join(f"{short}「{title}」" for short, title in missing) or "统计表"
    them = "、".join(short for short, _ in missing) or "统计表"
    where = "在应有表格的位置有图片" if pictures is None else f"网页中有 {pictures} 张图片"
    return (
        f"中没有可读取的{what}，{where}：{them}可能是以图片形式发布的。"
        "nianbao 不做文字识别，请提供表格为文字的网页、PDF、Word 或 Excel 版本。"
    )


# Own statutory labels in a document's running text: its tables are printed there, as text
# or in anything but table markup (html.py, docx.py); a report's prose names a few at most.
LAYOUT_LABELS = 12


def labels_printed(text: str) -> int:
    """How many of the statutory tables' own labels ``text`` holds, white space aside (the
    tables printed as anything but table markup hold scores of them; a report's prose a few)."""
    compact = _ANY_SPACE.sub("", text)
    return sum(1 for _, labels in _own_labels().values() for label in labels if label in compact)


# A line saying that the table under it continues the one before (or that the table above
# it goes on): 「续表」「（续上表）」「接上表」「表三（续）」, as Word and WPS users print it.
_CONTINUED = re.compile(r"续上?表|[接承]上表|[（(]续[)）]")
_MARK_LENGTH = 30  # a continuation mark is a short line of its own, never a sentence


def continued_mark(text: str) -> bool:
    """Whether a line of running text between two tables says the second continues the first
    (pdf.py, docx.py)."""
    text = _ANY_SPACE.sub("", text)
    return len(text) <= _MARK_LENGTH and _CONTINUED.search(text) is not None


# A marked-up table: rows of (text, rowspan, colspan); text None for an empty cell.
MarkedCell = tuple[str | None, int, int]

_SPACES = re.compile(r"[ \t\r\f\v\u00a0\u3000]+")


def cell_text(raw: str) -> str | None:
    """A cell's text as a document shows it: runs of spaces as one, each line stripped, empty
    lines dropped; None when nothing is left. Line breaks stay (labels wrap; the recogniser
    reads through them)."""
    lines = (_SPACES.sub(" ", line).strip() for line in raw.splitlines())
    text = "\n".join(line for line in lines if line)
    return text or None


# Digits and signs set above or below the line, as a reader sees them: a footnote mark after a
# figure (2629 with a raised 1) is shown 2629¹, not 26291.
_RAISED = str.maketrans("0123456789+-=()", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾")
_LOWERED = str.maketrans("0123456789+-=()", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎")


# Of 255, in each of red, green and blue: colours a reader cannot tell apart (html.py, docx.py).
NEAR_COLOUR = 8


def indistinguishable(text: Sequence[float], background: Sequence[float]) -> bool:
    """Whether text of colour ``text`` (red, green, blue) cannot be seen on ``background``:
    white on a white page, grey on the same grey shading."""
    return all(abs(a - b) <= NEAR_COLOUR for a, b in zip(text[:3], background[:3], strict=True))


def of_figures(texts: Sequence[str]) -> bool:
    """Whether cells holding ``texts`` look like a statistical table's: at least FIGURE_CELLS
    of them, and a quarter of those that are not blank, hold a figure alone."""
    shown = [text for raw in texts if (text := _ANY_SPACE.sub("", raw))]
    figures = sum(1 for text in shown if _FIGURE.fullmatch(text))
    return figures >= FIGURE_CELLS and 4 * figures >= len(shown)


# A cell's text that may be a figure: a digit, and no CJK word (every label has one).
_MAY_BE_FIGURE = re.compile(r"^[^\u3400-\u9fff]*[0-9０-９][^\u3400-\u9fff]*$")


def may_be_figure(text: str) -> bool:
    """Whether a cell's ``text`` may be a figure: what a mark of doubt goes on (a label is
    left as it is, so that the tables are still found)."""
    return _MAY_BE_FIGURE.search(text) is not None


def struck_only(struck: str) -> str | None:
    """What a cell showing nothing but ``struck``, text struck through, reads as: a struck
    figure is a corrected one, but with nothing written in its place the cell is no blank to
    read as 0 (「〔只有划去的数字：741〕」, V01 at it); None when no digit was struck."""
    struck = struck.strip()
    return f"〔只有划去的数字：{struck}〕" if any(ch.isdigit() for ch in struck) else None


# What a document's cell reads as when it shows no text but shapes: glyphs drawn as outlines
# (some PDF printers draw a font they cannot embed so), a hand-drawn mark. No figure.
DRAWN_NOT_TEXT = "〔以图形绘制、不是文字的内容〕"


def off_the_line(text: str, raised: bool) -> str:
    """``text`` set as superscript (``raised``) or subscript, as shown: its digits and signs
    as superscript or subscript characters, which no figure is read from (the cell gets V01
    naming what it holds), so that a footnote mark is never read as one more digit."""
    return text.translate(_RAISED if raised else _LOWERED)


def span(value: object, limit: int) -> int:
    """A rowspan/colspan attribute as a browser reads it: a whole number from 1 to ``limit``."""
    digits = re.match(r"\s*(\d+)", str(value or ""))
    number = int(digits.group(1)[:9]) if digits else 1
    return min(max(number, 1), limit)


def expand(
    rows: Sequence[Sequence[MarkedCell]],
    path: str | os.PathLike[str],
    spans: list[Merge] | None = None,
) -> Rows:
    """A table marked up with rowspan/colspan as a grid: each cell at the first position its
    row leaves free, the positions its spans cover None; each cell spanning more than one
    position is added to ``spans`` (when given) as the range it covers. Raises F04 when the
    table would expand beyond MAX_POSITIONS places."""
    height = len(rows)
    # the places the spans cover, counted before any is allocated
    if (
        sum(min(down, height - r) * across for r, row in enumerate(rows) for _, down, across in row)
        > MAX_POSITIONS
    ):
        raise too_many_positions(path)
    covered: list[set[int]] = [set() for _ in range(height)]
    placed: list[dict[int, str]] = [{} for _ in range(height)]
    for r, row in enumerate(rows):
        c = 0
        taken = covered[r]
        for text, rowspan, colspan in row:
            while c in taken:
                c += 1
            rowspan = min(rowspan, height - r)
            if text is not None:
                placed[r][c] = text
            if spans is not None and (rowspan > 1 or colspan > 1):
                spans.append(((r, c), (r + rowspan - 1, c + colspan - 1)))
            for dr in range(rowspan):
                covered[r + dr].update(range(c, c + colspan))
            c += colspan
    grid: Rows = []
    for line in placed:
        width = max(line, default=-1) + 1
        grid.append([line.get(c) for c in range(width)])
    return grid


def too_many_cells(path: str | os.PathLike[str]) -> UnreadableFile:
    return unreadable(
        Rule.F04,
        path,
        f"中的表格超过 {MAX_CELLS:,} 个单元格（年度报告的三张统计表共约 300 个），"
        "为安全起见未予读取。请确认是否报错了文件。",
    )


def too_many_positions(path: str | os.PathLike[str]) -> UnreadableFile:
    return unreadable(
        Rule.F04,
        path,
        f"中的表格展开后超过 {MAX_POSITIONS:,} 个单元格（合并单元格的跨行、跨列数异常），"
        "为安全起见未予读取。请确认是否报错了文件。",
    )


def document_grid(
    kind: str,
    tables: Sequence[Rows],
    text: str,
    path: str | os.PathLike[str],
    *,
    aligned: bool = True,
    spans: Sequence[Sequence[Merge]] | None = None,
) -> Grid:
    """One sheet holding ``tables`` (blank rows dropped, right-aligned, a blank row between
    tables) and ``text`` as the running text.

    ``aligned=False`` keeps every row exactly as given (plain text, read by order: its empty
    cells count, so nothing is trimmed, dropped or shifted). ``spans``: each table's merged
    ranges in its own rows and columns (expand's), put where the table lands on the sheet.
    """
    kept: list[tuple[Rows, list[int]]] = []  # rows, and the table row each came from
    for table in tables:
        rows: Rows = []
        origin: list[int] = []
        for n, line in enumerate(table):
            if aligned:
                while line and line[-1] is None:
                    line = line[:-1]
            if line and (not aligned or any(value is not None for value in line)):
                rows.append(list(line))
                origin.append(n)
        kept.append((rows, origin))
    width = max((len(line) for rows, _ in kept for line in rows), default=0)
    if sum(len(rows) for rows, _ in kept) * max(width, 1) > MAX_POSITIONS:
        raise too_many_positions(path)
    grid: Rows = []
    merges: list[Merge] = []
    for n, (rows, origin) in enumerate(kept):
        if not rows:
            continue
        if grid:
            grid.append([])
        offset = width - max(len(line) for line in rows) if aligned else 0
        if spans is not None and n < len(spans):
            merges += placed_spans(spans[n], origin, len(grid), offset)
        padding: list[CellValue] = [None] * offset
        grid.extend(padding + line for line in rows)
    sheet = Sheet(SHEET_NAME, False, lambda: grid, _load_merges=lambda: merges, document=True)
    return Grid([sheet], kind, kind=kind, text=text)


def placed_spans(spans: Sequence[Merge], origin: list[int], top: int, left: int) -> list[Merge]:
    """A table's merged ranges on the sheet: ``origin`` the table rows kept, in order (blank
    ones are dropped), the first at sheet row ``top``, every column moved right by ``left``.
    A range left with one position (its other rows dropped) is no merge. (A reader that
    stacks its own tables, as the PDF reader does, can place its spans with it too.)"""
    placed: list[Merge] = []
    for (r1, c1), (r2, c2) in spans:
        first = bisect.bisect_left(origin, r1)
        last = bisect.bisect_right(origin, r2) - 1
        if first > last or (first == last and c1 == c2):
            continue
        placed.append(((top + first, left + c1), (top + last, left + c2)))
    return placed
