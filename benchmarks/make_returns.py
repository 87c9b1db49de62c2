"""Generate N synthetic returns with nianbao's own writer, for the benchmarks.

    python benchmarks/make_returns.py 1000            # -> benchmarks/_work/returns-1000/

About 90% are valid; the rest carry a warning (a blank cell) or an error (a broken balance).
Generation is seeded, so two runs give the same files. Writing is done once per distinct
return pattern and copied, since the writer is not what is measured; each copy gets its own unit
name and its own figure in one 表二 cell that no balance involves, so no two units hand in the
same figures (M13 would rightly stop the merge).
"""

from __future__ import annotations

import io
import random
import shutil
import sys
import zipfile
from pathlib import Path

WORK = Path(__file__).resolve().parent / "_work"
PATTERNS = 50  # distinct workbooks written; the rest are copies under other unit names


PLACEHOLDER = "测试单位XXXXXX"
FREE_KEY = "二:20-5.1:c1"  # 行政许可 处理决定数量: in no balance, so any count keeps a return valid
FREE_SENTINEL = 987654321


def make_returns(count: int, folder: Path | None = None) -> Path:
    from nianbao.form import get_form
    from nianbao.form.data import Return
    from nianbao.xlsx.writer import write_return

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from tests.support.returns import valid_return

    form = get_form("2021")
    folder = folder or WORK / f"returns-{count}"
    if folder.exists() and len(list(folder.glob("*.xlsx"))) == count:
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    patterns = WORK / "patterns"
    patterns.mkdir(parents=True, exist_ok=True)
    rng = random.Random(count)
    keys = sorted(form.input_keys)
    made: dict[tuple[int, str], bytes] = {}
    for index in range(count):
        pattern = index % PATTERNS
        roll = rng.random()
        kind = "warning" if roll < 0.05 else "error" if roll < 0.10 else "valid"
        if (pattern, kind) not in made:
            ret = valid_return(form, seed=pattern, unit=PLACEHOLDER, parent="测试区")
            values = dict(ret.values)
            values[FREE_KEY] = FREE_SENTINEL
            if kind == "warning":
                blanks = [k for k in keys if k.startswith("二:") and k != FREE_KEY]
                values[blanks[pattern % len(blanks)]] = None  # V04: a blank cell
            elif kind == "error":
                key = [k for k in keys if k.startswith("三:")][pattern]
                values[key] = (values[key] or 0) + 1  # E1: a broken balance
            path = patterns / f"{pattern}-{kind}.xlsx"
            write_return(
                path,
                form,
                Return(form=form, values=values, unit=PLACEHOLDER, parent="测试区", year=ret.year),
            )
            made[(pattern, kind)] = path.read_bytes()
        unit = f"测试单位{index:06d}"
        workbook = _renamed(made[(pattern, kind)], unit, figure=index)
        (folder / f"{unit}.xlsx").write_bytes(workbook)
    return folder


def _renamed(workbook: bytes, unit: str, figure: int) -> bytes:
    """The workbook with the placeholder unit name replaced in every part and the sentinel
    figure replaced by ``figure``."""
    old, new = PLACEHOLDER.encode(), unit.encode()
    sentinel, value = f"<v>{FREE_SENTINEL}</v>".encode(), f"<v>{figure}</v>".encode()
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(workbook)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            part = source.read(info).replace(old, new).replace(sentinel, value)
            target.writestr(info, part)
    return out.getvalue()


if __name__ == "__main__":
    for arg in sys.argv[1:] or ["100"]:
        print(make_returns(int(arg)))
