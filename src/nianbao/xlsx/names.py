"""File names of the workbooks nianbao writes (kept apart from the writer: the CLI names
files without importing xlsxwriter)."""

from __future__ import annotations

from nianbao.form import Form
from nianbao.outputs import safe_filename

BASE_NAME = "政府信息公开年报统计表"
SUFFIX = ".xlsx"


def file_stem(form: Form, year: int | None, unit: str | None = None) -> str:
    """The default file name (without suffix): 单位-政府信息公开年报统计表-2025年度 or -2021版."""
    edition = f"{year}年度" if year else f"{form.vintage}版"
    parts = [safe_filename(unit)] if unit else []
    return "-".join([*parts, BASE_NAME, edition])
