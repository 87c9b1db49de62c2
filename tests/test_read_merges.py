"""A figure under a merged range is not counted in silence (V11).

Merging B4:C4 over two filled cells (a merge style pasted over figures) makes Excel and WPS
show only B4's content across both; C4 keeps its number, which nobody sees but every reader
returns. Both engines must say so at C4, and agree."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest

from nianbao.form import get_form
from nianbao.form.findings import Rule
from nianbao.form.layout import layout_for
from nianbao.recognise.reader import read_return
from nianbao.xlsx.writer import write_return
from tests.support import badfiles
from tests.support.returns import valid_return
from tests.support.soffice import convert_many, requires_soffice

FORM = get_form("2021")
LAYOUT = layout_for(FORM)
T2 = FORM.table("二").title
PART = "xl/worksheets/sheet2.xml"
MADE, REPEALED = "二:20-1.1:c1", "二:20-1.1:c2"  # 规章 · 本年制发件数, 本年废止件数


def with_merge(tmp_path: Path, ref: str, repealed: object = 40) -> Path:
    ret = valid_return(FORM, seed=8)
    ret.values[REPEALED] = repealed
    path = tmp_path / "r.xlsx"
    write_return(path, FORM, ret)
    data = path.read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = archive.read(PART).decode()
    xml, n = re.subn(
        r'<mergeCells count="(\d+)">',
        lambda m: f'<mergeCells count="{int(m.group(1)) + 1}"><mergeCell ref="{ref}"/>',
        xml,
    )
    assert n == 1
    path.write_bytes(badfiles.rezip(data, replace={PART: xml.encode()}))
    return path


def a1(key: str) -> str:
    return LAYOUT.address(key)[1]


@pytest.mark.parametrize("engine", ["calamine", "openpyxl"])
def test_a_figure_under_a_merge_is_v11_at_its_cell(tmp_path, engine):
    span = f"{a1(MADE)}:{a1(REPEALED)}"
    ret = read_return(with_merge(tmp_path, span), engine=engine)
    (note,) = [n for n in ret.notes if n.rule is Rule.V11]
    assert note.level.value == "error"
    assert note.sheet == T2 and note.cells == (a1(REPEALED),)
    assert f"{a1(REPEALED)}「40」（在 {span} 中）" in note.message


def test_both_engines_say_the_same(tmp_path):
    path = with_merge(tmp_path, f"{a1(MADE)}:{a1(REPEALED)}")
    fast, reference = (read_return(path, engine=e) for e in ("calamine", "openpyxl"))
    assert [(n.rule, n.message, n.cells) for n in fast.notes] == [
        (n.rule, n.message, n.cells) for n in reference.notes
    ]


def test_a_merge_over_a_blank_cell_or_over_labels_says_nothing(tmp_path):
    span = f"{a1(MADE)}:{a1(REPEALED)}"
    ret = read_return(with_merge(tmp_path, span, repealed=None))
    assert not [n for n in ret.notes if n.rule is Rule.V11]
    # the template's own merges (titles, labels, headers) never cover a data cell
    plain = tmp_path / "plain"
    plain.mkdir()
    path = plain / "r.xlsx"
    write_return(path, FORM, valid_return(FORM, seed=8))
    assert not [n for n in read_return(path).notes if n.rule is Rule.V11]


@requires_soffice
@pytest.mark.parametrize("fmt", ["ods", "xls"])
def test_a_figure_under_a_merge_is_v11_after_libreoffice_saves_it_as(tmp_path, fmt):
    """calamine gives an .xls's merges but none for .ods: those come from content.xml."""
    span = f"{a1(MADE)}:{a1(REPEALED)}"
    plain = tmp_path / "plain"
    plain.mkdir()
    write_return(plain / "plain.xlsx", FORM, valid_return(FORM, seed=8))
    # both saved by one start of LibreOffice
    saved, plain_saved = convert_many(
        [with_merge(tmp_path, span), plain / "plain.xlsx"], fmt, tmp_path / "saved"
    )
    ret = read_return(saved)
    (note,) = [n for n in ret.notes if n.rule is Rule.V11]
    assert note.cells == (a1(REPEALED),) and f"（在 {span} 中）" in note.message
    assert not [n for n in read_return(plain_saved).notes if n.rule is Rule.V11]
