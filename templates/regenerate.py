#!/usr/bin/env python3
"""Regenerate the official blank workbooks in this folder with nianbao itself.

Run from the repository root after changing the form, the layout or the writer:

    python templates/regenerate.py

It writes, for each vintage, the same blank workbook as ``nianbao template --vintage <v>``.
tests/test_template.py fails while these files are stale.
"""

from __future__ import annotations

from pathlib import Path

from nianbao.form import FORMS
from nianbao.xlsx.names import SUFFIX, file_stem
from nianbao.xlsx.writer import write_return

HERE = Path(__file__).resolve().parent


def template_path(vintage: str) -> Path:
    return HERE / (file_stem(FORMS[vintage], None) + SUFFIX)


def main() -> None:
    for vintage in sorted(FORMS):
        write_return(template_path(vintage), FORMS[vintage])


if __name__ == "__main__":
    main()
