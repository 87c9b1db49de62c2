"""Read a workbook with both engines and insist they agree: calamine, which every run uses,
against openpyxl, the reference reader (the differential test of each reading path)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from nianbao.form.data import Return
from nianbao.recognise.reader import read_return
from nianbao.sources.grid import load_grid

ENGINES = ("calamine", "openpyxl")


def read_with_both_engines(path: Path, **options: Any) -> Return:
    """The Return calamine reads, once openpyxl has read the same grid, values, places, unit,
    year and findings (word for word, at the same cells) from ``path``."""
    fast, reference = (read_return(path, engine=engine, **options) for engine in ENGINES)
    assert (fast.values, fast.locations, fast.unit, fast.year) == (
        reference.values,
        reference.locations,
        reference.unit,
        reference.year,
    )
    assert fast.notes == reference.notes
    assert load_grid(path, "calamine").as_dict() == load_grid(path, "openpyxl").as_dict()
    return fast
