"""A coordinator's season, built the way it happens: a roster of 12 units with codes and
contacts, templates made from it, returns filled in those templates (one renamed on the cover,
one sent back blank, one missing, one with a true warning explained, one in error, one that
cannot be read), last year's returns, an explanations file, and the summary a sub-district sent
up. Every figure is known here, so the tests can check the outputs figure by figure.
"""

from __future__ import annotations

import random
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
from click.testing import CliRunner

from nianbao.cli import cli
from nianbao.form import get_form
from nianbao.form.a1 import cell_name
from nianbao.form.common import ROW_CARRIED_IN, ROW_CARRIED_OUT, ROW_NEW
from nianbao.form.data import Number, Return, filled_return
from nianbao.form.layout import COVER_FIELDS, COVER_SHEET, COVER_VALUE_COL, layout_for
from nianbao.pipeline.merge import merge_returns
from nianbao.xlsx.summary import write_summary
from nianbao.xlsx.writer import write_return
from tests.support.returns import balanced_inputs

FORM = get_form("2021")
YEAR = 2025
EAST, WEST = "东城片区", "西城片区"
CONTACTS = ("联系人", "联系电话", "邮箱")


@dataclass(frozen=True)
class Unit:
    name: str
    parent: str
    code: str
    person: str
    phone: str

    @property
    def email(self) -> str:
        return f"gk{self.code[-3:]}@example.cn"


UNITS = (
    Unit("东城甲街道办事处", EAST, "230104001", "张明", "0451-88010001"),
    Unit("东城乙街道办事处", EAST, "230104002", "李华", "0451-88010002"),  # renamed on its cover
    Unit("东城丙局", EAST, "230104003", "王芳", "0451-88010003"),  # sends the template back blank
    Unit("东城丁局", EAST, "230104004", "赵强", "0451-88010004"),  # does not report
    Unit("东城戊局", EAST, "230104005", "钱进", "0451-88010005"),  # a true X3, explained
    Unit("东城己镇人民政府", EAST, "230104006", "孙丽", "0451-88010006"),  # E1 error
    Unit("西城甲局", WEST, "230104007", "周立", "0451-88020007"),  # the same figures as last year
    Unit("西城乙局", WEST, "230104008", "吴敏", "0451-88020008"),  # 新收 swings, explained
    Unit("西城丙街道办事处", WEST, "230104009", "郑伟", "0451-88020009"),
    Unit("西城丁街道办事处", WEST, "230104010", "冯静", "0451-88020010"),  # new: no last year
    Unit("西城戊局", WEST, "230104011", "陈刚", "0451-88020011"),
    Unit("西城己局", WEST, "230104012", "褚红", "0451-88020012"),  # file cannot be read
)
BY_NAME = {u.name: u for u in UNITS}
RENAMED_COVER = "东城乙街道"
STOCK = "二:20-1.2:c3"  # 行政规范性文件 现行有效件数
ISSUED, REPEALED = "二:20-1.2:c1", "二:20-1.2:c2"
X3_GAP = 5  # 东城戊局 cleared 5 documents it did not count as repealed
SWING_ADD = 600  # 西城乙局's extra applications by 自然人 (a campaign), all disclosed
SENT_UP_EXTRA = 3  # the sub-district's copy of 东城甲 has 3 more applications, all disclosed


def _rng(name: str, salt: int) -> random.Random:
    return random.Random(f"{name}-{salt}")


def last_year_inputs(unit: Unit) -> dict[str, Number]:
    inputs = balanced_inputs(FORM, _rng(unit.name, 2024))
    for row in ("20-1.1", "20-1.2"):
        inputs[f"二:{row}:c3"] = 40 + inputs[f"二:{row}:c3"]  # a stock to draw on
    if unit.name == "西城甲局":  # figures a unit can report twice and stay consistent
        for column in _applicant_columns():
            carried = inputs[f"三:{ROW_CARRIED_OUT}:{column}"]
            inputs[f"三:{ROW_NEW}:{column}"] -= carried - inputs[f"三:{ROW_CARRIED_IN}:{column}"]
            inputs[f"三:{ROW_CARRIED_IN}:{column}"] = carried
        for row in ("20-1.1", "20-1.2"):
            inputs[f"二:{row}:c2"] = inputs[f"二:{row}:c1"]
    return inputs


def _applicant_columns() -> list[str]:
    return [
        c.column.code for c in FORM.cells if c.key.startswith(f"三:{ROW_NEW}:") and not c.derived
    ]


def this_year_inputs(unit: Unit, last: dict[str, Number]) -> dict[str, Number]:
    """Figures that follow from last year's by the cross-year rules (X1, X3), but for the
    scenario's deliberate exceptions."""
    if unit.name == "西城甲局":
        return dict(last)
    # Much like last year: every count moves by at most one (no swing but the planted one).
    rng = _rng(unit.name, YEAR)
    inputs = {
        key: max(0, value + rng.choice((-1, 0, 1))) if isinstance(value, int) else value
        for key, value in last.items()
        if key in FORM.input_keys
    }
    outcome_rows = [
        r.code for r in FORM.table("三").blocks[0].row_leaves if r.code.startswith("3.")
    ]
    for column in _applicant_columns():
        carried_in = inputs[f"三:{ROW_CARRIED_IN}:{column}"] = last[
            f"三:{ROW_CARRIED_OUT}:{column}"
        ]
        if unit.name == "西城乙局" and column == "c1":  # a campaign: many more, all disclosed
            inputs[f"三:3.1:{column}"] += SWING_ADD
        handled = sum(inputs.get(f"三:{r}:{column}", 0) for r in outcome_rows)
        carried_out = max(0, last[f"三:{ROW_CARRIED_OUT}:{column}"] + rng.choice((-1, 0, 1)))
        inputs[f"三:{ROW_CARRIED_OUT}:{column}"] = carried_out
        inputs[f"三:{ROW_NEW}:{column}"] = handled + carried_out - carried_in
        assert inputs[f"三:{ROW_NEW}:{column}"] >= 0
    for row in ("20-1.1", "20-1.2"):
        stock = last[f"二:{row}:c3"] + inputs[f"二:{row}:c1"] - inputs[f"二:{row}:c2"]
        inputs[f"二:{row}:c3"] = stock
    if unit.name == "东城戊局":
        inputs[STOCK] -= X3_GAP
    if unit.name == "东城己镇人民政府":
        inputs[f"三:{ROW_NEW}:c1"] += 1  # one application counted in, not out: E1
    return inputs


@dataclass
class Season:
    root: Path
    roster: Path
    templates: Path
    returns: Path  # 收回/
    last_year: Path  # 去年/
    accept: Path
    sent_up: Path  # the sub-district's summary
    this_year: dict[str, dict[str, Number]] = field(default_factory=dict)
    last: dict[str, dict[str, Number]] = field(default_factory=dict)

    def completed(self, name: str) -> dict[str, Number]:
        return filled_return(FORM, self.this_year[name]).values  # type: ignore[return-value]

    def before(self, name: str) -> dict[str, Number]:
        return filled_return(FORM, self.last[name]).values  # type: ignore[return-value]

    def file(self, name: str) -> Path:
        return self.returns / BY_NAME[name].parent / f"{name}.xlsx"


def run_district_merge(season: Season, out: Path, *options: object):
    """The district's merge of the season as its coordinator runs it: roster, last year,
    explanations, the sub-district's summary to reconcile, errors skipped; ``options`` more."""
    return run(
        "merge",
        season.returns,
        "--roster",
        season.roster,
        "--previous",
        season.last_year,
        "--accept",
        season.accept,
        "--compare",
        season.sent_up,
        *options,
        "--skip-invalid",
        "--name",
        "某某区",
        "-o",
        out,
    )


def run(*args: object):
    return CliRunner().invoke(cli, [str(a) for a in args])


def write_roster(path: Path) -> None:
    """The roster as an .xlsx, as offices keep it: codes as numbers, contacts beside them."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "名册"
    sheet.append(["单位名称", "上级单位", "单位代码", *CONTACTS])
    for unit in UNITS:
        sheet.append([unit.name, unit.parent, int(unit.code), unit.person, unit.phone, unit.email])
    book.save(path)


def fill(template: Path, target: Path, inputs: dict[str, Number], cover: dict[str, str]) -> None:
    """What a filler does: type the figures into the template's yellow cells (and perhaps
    edit the cover), then save."""
    book = openpyxl.load_workbook(template)
    layout = layout_for(FORM)
    for key, value in inputs.items():
        sheet, a1 = layout.address(key)
        book[sheet][a1] = value
    rows = {f.key: f.row for f in COVER_FIELDS}
    for key, value in cover.items():
        book[COVER_SHEET][cell_name(rows[key], COVER_VALUE_COL)] = value
    target.parent.mkdir(parents=True, exist_ok=True)
    book.save(target)


def build(root: Path) -> Season:
    season = Season(
        root,
        root / "名册.xlsx",
        root / "下发",
        root / "收回",
        root / "去年",
        root / "说明.csv",
        root / "东城片区上报汇总.xlsx",
    )
    write_roster(season.roster)
    result = run(
        "template", "--year", YEAR, "--roster", season.roster, "--out-dir", season.templates
    )
    assert result.exit_code == 0, result.output
    templates = {u.name: next(season.templates.glob(f"{u.name}-*.xlsx")) for u in UNITS}
    season.last_year.mkdir()
    for unit in UNITS:
        last = last_year_inputs(unit)
        season.last[unit.name] = last
        if unit.name != "西城丁街道办事处":  # a new unit: nothing last year
            # last year's templates predate codes: the name is all that identifies them
            ret = filled_return(FORM, last, unit=unit.name, parent=unit.parent, year=YEAR - 1)
            write_return(season.last_year / f"{unit.name}-2024.xlsx", FORM, ret)
        season.this_year[unit.name] = this_year_inputs(unit, last)
    for unit in UNITS:
        target = season.file(unit.name)
        if unit.name == "东城丁局":
            continue
        if unit.name == "东城丙局":
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(templates[unit.name], target)
            continue
        if unit.name == "西城己局":
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(b"PK\x03\x04 not a workbook any more")
            continue
        cover = {"preparer": unit.person, "phone": unit.phone}
        if unit.name == "东城乙街道办事处":
            cover["unit"] = RENAMED_COVER
        inputs = {k: v for k, v in season.this_year[unit.name].items() if k in FORM.input_keys}
        fill(templates[unit.name], target, inputs, cover)
    stock_sheet, stock_a1 = layout_for(FORM).address(STOCK)
    season.accept.write_text(
        "单位,规则,单元格,说明\n"
        f"东城戊局,X3,{stock_a1},2025 年集中清理，5 件规范性文件宣布失效，未计入本年废止件数\n"
        "230104008,X5,,2025 年开展专项整治，自然人申请大幅增加\n"
        "东城己镇人民政府,E1,,申请人撤回后重新提交，按两件计\n"
        "西城戊局,V04,D8,上次报送时有空白格\n",
        encoding="utf-8",
    )
    write_sent_up(season)
    return season


def sent_up_members(season: Season) -> list[Return]:
    """The returns the 东城片区 coordinator summed: 东城丁局 reported to them (not to us), and
    their copy of 东城甲's return has 3 more applications by 自然人, all disclosed."""
    members = []
    for name in ("东城甲街道办事处", "东城乙街道办事处", "东城丁局", "东城戊局"):
        unit = BY_NAME[name]
        inputs = dict(season.this_year[name])
        if name == "东城甲街道办事处":
            inputs[f"三:{ROW_NEW}:c1"] += SENT_UP_EXTRA
            inputs["三:3.1:c1"] += SENT_UP_EXTRA
        inputs = {k: v for k, v in inputs.items() if k in FORM.input_keys}
        members.append(
            filled_return(FORM, inputs, unit=name, parent=EAST, year=YEAR, code=unit.code)
        )
    return members


def write_sent_up(season: Season) -> None:
    members = sent_up_members(season)
    summary = merge_returns(members, name=EAST, parent="某某区", year=YEAR)
    write_summary(season.sent_up, summary, members)
