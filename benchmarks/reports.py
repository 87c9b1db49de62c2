"""Time reading published reports of every kind: web page, Word, text (and PDF), per file.

    python benchmarks/reports.py                     # the reports in ../shared/reference
    python benchmarks/reports.py a.html b.docx       # any reports
    python benchmarks/reports.py --repeat 7

For each file, the median of ``--repeat`` in-process runs (imports excluded, paid once) of:
the source alone (sources.dispatch.open_source: preflight, parse, tables to a Grid), the whole
read (recognise.reader.read_return: the Grid, labels, vintage, values, places) and the check
(read_return and validate_return: pandera, rules, narrative). Also a web page of 100 copies of
the statutory tables (a long page of attachments, about 28,000 cells: sources/document.py
refuses a page of more than 50,000), a page under 8,000 style rules, and the refusal of a span
bomb. Prints a
Markdown table; nothing here is a test.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from timing import median_seconds, seconds_to_refuse  # noqa: E402

from nianbao.checks.engine import validate_return  # noqa: E402
from nianbao.recognise.reader import read_return  # noqa: E402
from nianbao.sources.dispatch import open_source  # noqa: E402
from nianbao.sources.preflight import UnreadableFile  # noqa: E402

SHARED = ((ROOT / "../shared/reference").resolve(), Path("/work/shared/reference"))
KINDS = (".html", ".htm", ".docx", ".txt", ".pdf")


def source(path: Path) -> None:
    with open_source(path) as grid:
        _ = [sheet.rows for sheet in grid.sheets]


def check(path: Path) -> None:
    validate_return(read_return(path))


def found_reports() -> list[Path]:
    for folder in SHARED:
        if folder.is_dir():
            files = [*folder.glob("*.txt"), *(folder / "published").glob("*")]
            return sorted(p for p in files if p.suffix.lower() in KINDS)
    return []


def long_page(folder: Path) -> Path:
    from nianbao.form import get_form
    from tests.support.documents import report_html
    from tests.support.returns import valid_return

    form = get_form("2021")
    page = report_html(form, valid_return(form, seed=1).values)
    start, end = page.index("<p>二、"), page.rindex("</table>") + len("</table>")
    path = folder / "100张表.html"
    path.write_text(page[:end] + page[start:end] * 99 + page[end:], encoding="utf-8")
    return path


def style_heavy_page(folder: Path) -> Path:
    """The report under a page's own style sheet of 8,000 rules (a framework inlined by a
    content system: distinct selectors sharing subjects, rules nianbao cannot match that hide)
    over 4,000 more elements. Trying every rule on every element took 68 s; the rules are now
    tried only where their subject's and its left neighbour's keys are present."""
    from nianbao.form import get_form
    from tests.support.documents import report_html
    from tests.support.returns import valid_return

    form = get_form("2021")
    page = report_html(form, valid_return(form, seed=1).values)
    rules = "\n".join(
        f"body div.a{i} span {{font-size:0}} .b{i} td:first-child {{display:none}}"
        for i in range(4000)
    )
    blocks = "".join(f'<div class="c{i}"><div><span class="x{i % 7}">t</span></div></div>'
                     for i in range(4000))  # fmt: skip
    path = folder / "样式表.html"
    page = page.replace("</head>", f"<style>{rules}</style></head>", 1)
    path.write_text(page.replace("</body>", blocks + "</body>", 1), encoding="utf-8")
    return path


def span_bomb(folder: Path) -> float:
    path = folder / "跨度.html"
    path.write_text(
        "<html><body><p>政府信息公开</p><table>"
        + "<tr><td rowspan=65534 colspan=1000>x</td><td>y</td></tr>" * 1000
        + "</table></body></html>",
        encoding="utf-8",
    )
    return seconds_to_refuse(lambda: source(path), UnreadableFile, "the span bomb")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        files = [*(args.files or found_reports()), long_page(folder), style_heavy_page(folder)]
        check(files[0])  # imports and caches warm
        print("| file | kind | KB | grid rows | source ms | read_return ms | check ms |")
        print("|---|---|---:|---:|---:|---:|---:|")
        for path in files:
            with open_source(path) as grid:
                rows, kind = len(grid.sheets[0].rows), grid.kind
            times = [
                median_seconds(lambda w=work, p=path: w(p), args.repeat)
                for work in (source, read_return, check)
            ]
            shown = " | ".join(f"{t * 1000:.0f}" for t in times)
            print(f"| {path.name} | {kind} | {path.stat().st_size / 1024:.0f} | {rows} | {shown} |")
        print(f"\na span bomb (1,000 cells of rowspan 65534 × colspan 1000) refused in "
              f"{span_bomb(folder) * 1000:.0f} ms")  # fmt: skip


if __name__ == "__main__":
    main()
