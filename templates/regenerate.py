#!/usr/bin/env python3
"""Regenerate the official blank workbooks in this folder with nianbao itself.

Run from the repository root after changing the form, the layout or the writer:

    python templates/regenerate.py

It runs, for each vintage, exactly ``nianbao template --vintage <v> -o templates/<name> --force``.
tests/test_template.py fails while these files are stale.
"""

from __future__ import annotations

from pathlib import Path

from nianbao.cli import cli
from nianbao.commands.template import SUFFIX, file_stem
from nianbao.form import FORMS

HERE = Path(__file__).resolve().parent


def template_path(vintage: str) -> Path:
    return HERE / (file_stem(FORMS[vintage], None) + SUFFIX)


def main() -> None:
    for vintage in sorted(FORMS):
        args = ["template", "--vintage", vintage, "-o", str(template_path(vintage)), "--force"]
        cli.main(args=args, prog_name="nianbao", standalone_mode=False)


if __name__ == "__main__":
    main()
