"""Time reading published reports in PDF: check_pdf, then read_pdf, per file.

    python benchmarks/documents.py                 # the published PDFs in ../shared, if present
    python benchmarks/documents.py a.pdf b.pdf     # any PDFs
    python benchmarks/documents.py --repeat 7

Every figure is the median of ``--repeat`` in-process runs (imports excluded, paid once). The
floor is pdfplumber alone loading every page's characters and drawing objects, which read_pdf
cannot avoid; the rest is nianbao's own work (rulings, cells, stitching, text). Also times
check_pdf on a 10,000-page PDF (refused from the page count alone). Prints a Markdown table;
nothing here is a test.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

import pypdfium2  # noqa: E402
from timing import median_seconds, seconds_to_refuse  # noqa: E402

from nianbao.sources.pdf import read_pdf  # noqa: E402
from nianbao.sources.preflight import UnreadableFile, check_pdf  # noqa: E402

SHARED = (
    (ROOT / "../shared/reference/published").resolve(),
    Path("/work/shared/reference/published"),
)


def floor(path: Path) -> None:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            _ = page.chars, page.lines, page.rects, page.curves


def refused_fast() -> float:
    from tests.support.pdfs import Page, write_pdf

    with tempfile.TemporaryDirectory() as folder:
        path = write_pdf(Path(folder) / "万页.pdf", [Page().text(72, 72, "x")], copies=10_000)
        return seconds_to_refuse(lambda: check_pdf(path), UnreadableFile, "a 10,000-page PDF")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    files = args.files or next(
        (sorted(folder.glob("*.pdf")) for folder in SHARED if folder.is_dir()), []
    )
    if not files:
        sys.exit("no PDF given and none found in ../shared/reference/published")
    read_pdf(files[0])  # imports and caches warm
    print("| file | pages | rows | text chars | check_pdf ms | read_pdf ms | pdfplumber floor ms |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for path in files:
        with pypdfium2.PdfDocument(path) as document:
            pages = len(document)
        grid = read_pdf(path)
        sheet = grid.sheets[0]
        check = median_seconds(lambda p=path: check_pdf(p), args.repeat)
        read = median_seconds(lambda p=path: read_pdf(p), args.repeat)
        least = median_seconds(lambda p=path: floor(p), args.repeat)
        print(
            f"| {path.name} | {pages} | {len(sheet.rows)} | {len(grid.text or '')} "
            f"| {check * 1000:.0f} | {read * 1000:.0f} | {least * 1000:.0f} |"
        )
    print(f"\ncheck_pdf refusing a 10,000-page PDF: {refused_fast() * 1000:.0f} ms")


if __name__ == "__main__":
    main()
