"""Generate nianbao's bundled samples: one example district's returns for 2021 and 2020.

    python samples/generate.py            # (re)write the samples beside this script
    python samples/generate.py --check    # exit 1 when the committed samples are stale

Deterministic: every figure comes from a random generator seeded with the unit's code and the
year, and nianbao's writer gives byte-identical workbooks, so --check compares bytes.

Every return is balanced (built with nianbao.form.data.filled_return so every total and every E1
balance holds) and 2021's 上年结转 (row 2 of 表三) equals 2020's 结转下年度 (row 4) per column.
All figures are invented (示例数据, said on each cover's 填报人 line) except the one real
return: samples/seed/ holds 道外区水泥路街道办事处's published 2021 report (all zeros) as
published, and it is copied, not rebuilt, into 2021/.
"""

from __future__ import annotations

import argparse
import csv
import filecmp
import random
import shutil
import sys
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from nianbao.form import form_for_year, get_form
from nianbao.form.common import ROW_CARRIED_IN, ROW_CARRIED_OUT, ROW_NEW
from nianbao.form.data import Number, Return, filled_return
from nianbao.form.model import Form, ValueType
from nianbao.outputs import safe_filename
from nianbao.xlsx.writer import write_return

HERE = Path(__file__).resolve().parent
PARENT = "哈尔滨市道外区人民政府"
DISTRICT = "道外区"
NOTE = "示例数据（虚构，仅供演示）"
SEED_UNIT = "道外区水泥路街道办事处"
SEED_FILE = Path("seed") / f"{SEED_UNIT}-2021.xlsx"
YEAR, PREVIOUS_YEAR = 2021, 2020


@dataclass(frozen=True)
class Unit:
    code: str
    name: str
    kind: str  # street / town / department / regulator: sets the size of its figures


UNITS = (
    Unit("230104001", SEED_UNIT, "street"),
    Unit("230104002", "道外区太古街道办事处", "street"),
    Unit("230104003", "道外区靖宇街道办事处", "street"),
    Unit("230104004", "道外区崇俭街道办事处", "street"),
    Unit("230104005", "道外区民主镇人民政府", "town"),
    Unit("230104006", "道外区发展和改革局", "department"),
    Unit("230104007", "道外区财政局", "department"),
    Unit("230104008", "道外区教育局", "department"),
    Unit("230104009", "道外区市场监督管理局", "regulator"),
    Unit("230104010", "道外区住房和城乡建设局", "department"),
)
# The unit that has not reported for 2021 (so the status shows 未报).
MISSING_2021 = "道外区住房和城乡建设局"

SCALE = {"street": 0.15, "town": 0.3, "department": 1.0, "regulator": 4.0}
# 表二: the largest count a department reports per row (districts make no 规章).
ROW_SIZE = {
    "20-1.1": 0,
    "20-1.2": 8,
    "20-5.1": 60,
    "20-5.2": 20,
    "20-6.1": 40,
    "20-6.2": 6,
    "20-8.1": 3,
    "20-9.1": 10,
}
# 表三: applications per applicant column for a department, and how outcomes are spread.
APPLICANTS = {"c1": 14, "c2": 3, "c3": 1, "c4": 1, "c5": 2, "c6": 1}
OUTCOME_WEIGHT = {"3.1": 40, "3.2": 8, "3.3.4": 3, "3.4.1": 12, "3.4.2": 3, "3.4.3": 2, "3.5.2": 2}


def _rng(unit: Unit, year: int, part: str) -> random.Random:
    return random.Random(f"{unit.code}:{year}:{part}")


def _count(rng: random.Random, top: float) -> int:
    return rng.randint(0, max(0, round(top)))


def table_two(form: Form, unit: Unit, year: int) -> dict[str, Number]:
    rng = _rng(unit, year, "二")
    scale = SCALE[unit.kind]
    values: dict[str, Number] = {}
    for cell in form.table("二").cells:
        top = ROW_SIZE.get(cell.row.code, 5) * scale
        if unit.kind == "street" and cell.row.code.startswith("20-1."):
            top = 0  # streets issue no 规章 or 规范性文件
        if cell.value_type is ValueType.AMOUNT:
            values[cell.key] = (
                Decimal(_count(rng, 4000 * scale)) / 100 if unit.kind != "street" else Decimal(0)
            )
        elif cell.value_type is ValueType.DELTA:
            before = values.get(cell.key.replace(":c2", ":c1"), 0)
            values[cell.key] = max(-int(before), rng.randint(-2, 2))
        elif cell.row.code.startswith("20-1.") and cell.column.code == "c3":
            # 现行有效件数 / 对外公开总数量: at least this year's new documents
            values[cell.key] = values[cell.key.replace(":c3", ":c1")] + _count(rng, 3 * top)
        else:
            values[cell.key] = rng.randint(round(top / 3), round(top))
    return values


def table_three(
    form: Form, unit: Unit, year: int, carried_in: Mapping[str, int]
) -> dict[str, Number]:
    """Applications per applicant column, balanced: new + carried in = outcomes + carried out."""
    rng = _rng(unit, year, "三")
    scale = SCALE[unit.kind]
    table = form.table("三")
    outcomes = [
        r.code for r in table.blocks[0].row_leaves if r.code.startswith("3.") and r.code != "3.7"
    ]
    weights = [OUTCOME_WEIGHT.get(code, 1) for code in outcomes]
    values: dict[str, Number] = {}
    for column, top in APPLICANTS.items():
        new = _count(rng, top * scale)
        before = carried_in.get(column, 0)
        # a few applications from natural persons run into next year (never at a street)
        out = min(new + before, _count(rng, 2)) if column == "c1" and unit.kind != "street" else 0
        counts = dict.fromkeys(outcomes, 0)
        for code in rng.choices(outcomes, weights, k=new + before - out):
            counts[code] += 1
        values[f"三:{ROW_NEW}:{column}"] = new
        values[f"三:{ROW_CARRIED_IN}:{column}"] = before
        values[f"三:{ROW_CARRIED_OUT}:{column}"] = out
        values.update({f"三:{code}:{column}": n for code, n in counts.items()})
    return values


def table_four(form: Form, unit: Unit, year: int) -> dict[str, Number]:
    rng = _rng(unit, year, "四")
    chance = {"street": 0.02, "town": 0.05, "department": 0.15, "regulator": 0.4}[unit.kind]
    return {key: int(rng.random() < chance) for key in form.input_keys if key.startswith("四:")}


def build_return(unit: Unit, year: int, carried_in: Mapping[str, int] | None = None) -> Return:
    form = form_for_year(year)
    inputs = {
        **table_two(form, unit, year),
        **table_three(form, unit, year, carried_in or {}),
        **table_four(form, unit, year),
    }
    cover = {"preparer": NOTE, "phone": "0451-00000000", "date": f"{year + 1}-01-20"}
    return filled_return(form, inputs, unit=unit.name, parent=PARENT, year=year, cover=cover)


def carried_out(ret: Return) -> dict[str, int]:
    """表三 row 4 per applicant column: next year's row 2."""
    return {col: int(ret.values[f"三:{ROW_CARRIED_OUT}:{col}"] or 0) for col in APPLICANTS}


def _write(path: Path, ret: Return) -> None:
    write_return(path, ret.form, ret)


def write_roster(path: Path) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["单位名称", "上级单位", "单位代码"])
        for unit in UNITS:
            out.writerow([unit.name, PARENT, unit.code])


def _broken(out: Path) -> None:
    """Returns each with one fault, named for it."""
    street = Unit("230104901", "示例街道办事处", "street")
    bureau = Unit("230104902", "示例局", "department")
    town = Unit("230104903", "示例镇人民政府", "town")
    centre = Unit("230104904", "示例中心", "department")

    unbalanced = build_return(street, YEAR)
    inputs = {k: v for k, v in unbalanced.values.items() if k in unbalanced.form.input_keys}
    inputs[f"三:{ROW_NEW}:c1"] += 2  # two more new applications than were handled or carried over
    _write(
        out / "表三不平衡-示例街道.xlsx",
        filled_return(
            unbalanced.form,
            inputs,
            unit=street.name,
            parent=PARENT,
            year=YEAR,
            cover=unbalanced.cover,
        ),
    )

    text = build_return(bureau, YEAR)
    # words typed where a number belongs (in a cell that should be 0, so nothing else breaks)
    blank = next(k for k in text.form.input_keys if k.startswith("三:3.3") and text.values[k] == 0)
    text.values[blank] = "无此项"
    _write(out / "填了文字-示例局.xlsx", text)

    negative = build_return(town, YEAR)
    negative.values["二:20-6.1:c1"] = -3
    _write(out / "负数-示例镇.xlsx", negative)

    # The 2019 layout filled in for 2021: right figures, wrong form.
    old = build_return(centre, PREVIOUS_YEAR)
    old.year = YEAR
    _write(out / "用错表式-2019版用于2021年.xlsx", old)

    nameless = build_return(Unit("230104905", "", "department"), YEAR)
    _write(out / "未填单位名称.xlsx", nameless)

    # A file cut off in transfer: the first 3 KB of a valid workbook.
    whole = out / ".whole.xlsx"
    _write(whole, build_return(bureau, YEAR))
    (out / "损坏的文件.xlsx").write_bytes(whole.read_bytes()[:3000])
    whole.unlink()


def generate(root: Path, seed_dir: Path = HERE) -> None:
    """Write every sample under ``root`` (the seed workbook is taken from ``seed_dir``)."""
    for folder in ("2021", "2020", "broken"):
        (root / folder).mkdir(parents=True, exist_ok=True)
    write_roster(root / "roster-2021.csv")
    assert form_for_year(PREVIOUS_YEAR) is get_form("2019")
    for unit in UNITS:
        before = build_return(unit, PREVIOUS_YEAR)
        _write(root / "2020" / f"{safe_filename(unit.name)}.xlsx", before)
        if unit.name == MISSING_2021:
            continue
        target = root / "2021" / f"{safe_filename(unit.name)}.xlsx"
        if unit.name == SEED_UNIT:
            if (seed_dir / SEED_FILE).resolve() != target.resolve():
                shutil.copyfile(seed_dir / SEED_FILE, target)
            continue
        _write(target, build_return(unit, YEAR, carried_out(before)))
    _broken(root / "broken")


GENERATED = ("roster-2021.csv", "2021", "2020", "broken")


def stale(root: Path = HERE) -> list[str]:
    """Files under ``root`` that differ from a fresh generation (missing, extra or changed)."""
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp)
        generate(fresh, root)
        problems: list[str] = []
        for name in GENERATED:
            if (fresh / name).is_file():
                if not (root / name).is_file() or not filecmp.cmp(
                    fresh / name, root / name, shallow=False
                ):
                    problems.append(name)
                continue
            new = {p.relative_to(fresh) for p in (fresh / name).iterdir()}
            old = (
                {p.relative_to(root) for p in (root / name).iterdir()}
                if (root / name).is_dir()
                else set()
            )
            problems += [f"{p}（多余）" for p in sorted(old - new)]
            problems += [f"{p}（缺少）" for p in sorted(new - old)]
            problems += [
                str(p)
                for p in sorted(new & old)
                if not filecmp.cmp(fresh / p, root / p, shallow=False)
            ]
        return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="生成 nianbao 的示例数据（samples/）")
    parser.add_argument("--check", action="store_true", help="只检查示例是否为最新，不写文件")
    parser.add_argument(
        "--out", type=Path, default=HERE, help="输出文件夹（默认：本脚本所在的 samples/）"
    )
    args = parser.parse_args(argv)
    if args.check:
        problems = stale(args.out)
        for problem in problems:
            print(f"示例已过期：{problem}", file=sys.stderr)
        if problems:
            print("请运行 python samples/generate.py 重新生成。", file=sys.stderr)
        return 1 if problems else 0
    generate(args.out)
    print(f"示例已写入 {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
