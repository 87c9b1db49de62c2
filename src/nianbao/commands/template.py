"""``nianbao template``: write the official blank workbook, one per unit of a roster if asked."""

from __future__ import annotations

from pathlib import Path

import click

from nianbao.commands.options import YearType, force_option, roster_option, say, xlsx_output
from nianbao.errors import UserError
from nianbao.form import FORMS, Form, form_for_year, get_form
from nianbao.form.findings import Finding
from nianbao.outputs import all_or_nothing, claim_outputs, distinct_name, real_path
from nianbao.xlsx.names import SUFFIX, file_stem


def choose_form(year: int | None, vintage: str | None) -> Form:
    """The vintage for ``year`` (a report year: options.YearType) unless ``vintage`` overrides it
    (with a warning if they disagree)."""
    if vintage is not None:
        form = get_form(vintage)
        if year is not None and not form.covers_year(year):
            expected = form_for_year(year)
            say(
                f"注意：{year}年度应使用 {expected.label}；您指定了 {form.label}，将按您指定的版本生成。",
                err=True,
            )
        return form
    if year is None:
        return max(FORMS.values(), key=lambda f: f.years[0])  # the one in force now
    return form_for_year(year)


def roster_targets(units: list[str], out_dir: Path, form: Form, year: int | None) -> list[Path]:
    """One file per unit inside ``out_dir``; names that collide after sanitising get -2, -3…

    Collisions are judged case-insensitively (Windows and macOS folders are) and resolved in
    roster order, so the same roster always gives the same names.
    """
    used: set[str] = set()
    targets: list[Path] = []
    root = real_path(out_dir)
    for unit in units:
        target = out_dir / distinct_name(file_stem(form, year, unit) + SUFFIX, used)
        if real_path(target).parent != root:  # safe_filename makes this impossible; be sure
            raise UserError(f"单位名称「{unit}」无法生成安全的文件名，请修改名册中的名称。")
        targets.append(target)
    return targets


def _output_path(output: str | None, form: Form, year: int | None, unit: str | None) -> Path:
    if output is None:
        return Path(file_stem(form, year, unit) + SUFFIX)
    return xlsx_output(output, "模板")


@click.command(
    options_metavar="[选项]",
    short_help="生成官方空白统计表工作簿",
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.option(
    "--year",
    type=YearType(),
    metavar="年份",
    help="报告年度（如 2025），写入封面，并据此选择表式版本：2019、2020 年度用 2019 版，2021 年度起用 2021 版。",
)
@click.option(
    "--vintage",
    type=click.Choice(sorted(FORMS)),
    metavar="2019|2021",
    help="指定表式版本（2019 或 2021），优先于 --year 的自动选择。",
)
@click.option("--unit", metavar="单位名称", help="填报单位名称，预先填入封面。")
@click.option(
    "--parent",
    metavar="上级单位",
    help="上级单位名称，预先填入封面；与 --roster 同用时作为名册中未填上级单位者的默认值。",
)
@click.option(
    "-o",
    "--output",
    metavar="文件",
    help="输出文件名（.xlsx）。默认在当前文件夹生成，如「政府信息公开年报统计表-2025年度.xlsx」。",
)
@click.option(
    "--password",
    metavar="密码",
    help="工作表保护密码。默认不设密码（仍然保护，防止误改表格文字和公式）。",
)
@roster_option("为每个单位各生成一个已填好单位名称（和单位代码）的工作簿。")
@click.option(
    "--out-dir",
    metavar="文件夹",
    help="与 --roster 同用：各单位工作簿的保存文件夹（不存在时自动创建）。",
)
@force_option
def command(
    year: int | None,
    vintage: str | None,
    unit: str | None,
    parent: str | None,
    output: str | None,
    password: str | None,
    roster: str | None,
    out_dir: str | None,
    force: bool,
) -> None:
    """生成官方空白统计表工作簿（封面＋表二、表三、表四），供各单位填报。

    \b
    示例：
      nianbao template --year 2025
      nianbao template --year 2025 --unit 某某局 --parent 某某区人民政府
      nianbao template --year 2025 --roster 名册.csv --out-dir 下发/
    """
    form = choose_form(year, vintage)
    if roster is None:
        if out_dir is not None:
            raise UserError("--out-dir 需与 --roster 一起使用；生成单个工作簿请用 -o 指定文件名。")
        target = _output_path(output, form, year, unit)
        _refuse_replacing_returns([target])
        created = claim_outputs([target], force=force)
        _write(target, form, unit=unit, parent=parent, year=year, password=password)
        for note in created:
            say(note)
        say(f"已生成{form.label}统计表：{target}")
        return
    if output is not None or unit is not None:
        raise UserError(
            "使用 --roster 时单位名称取自名册，不能同时使用 -o 或 --unit；请用 --out-dir 指定保存文件夹。"
        )
    if out_dir is None:
        raise UserError(
            "使用 --roster 时请用 --out-dir 指定各单位工作簿的保存文件夹，例如 --out-dir 下发/。"
        )
    from nianbao.sources.roster import read_roster

    entries = read_roster(roster)  # a bad roster stops here, before anything is written
    directory = Path(out_dir)
    if directory.exists() and not directory.is_dir():
        raise UserError(f"--out-dir {directory} 是一个文件，不是文件夹。请换一个文件夹。")
    targets = roster_targets([e.unit for e in entries], directory, form, year)
    # every name, length and existing file is checked here, before the first is written
    _refuse_replacing_returns(targets)
    created = claim_outputs(targets, force=force, inputs=[roster])
    with all_or_nothing(targets, "模板") as written:
        for entry, target in zip(entries, targets, strict=True):
            _write(
                target,
                form,
                unit=entry.unit,
                parent=entry.parent or parent,
                year=year,
                password=password,
                code=entry.code,
            )
            written.append(target)
    for note in created:
        say(note)
    say(f"已按名册 {roster} 为 {len(entries)} 个单位生成{form.label}统计表，保存在 {directory}：")
    for entry, target in zip(entries, targets, strict=True):
        say(f"  {entry.unit} → {target.name}")


def _refuse_replacing_returns(targets: list[Path]) -> None:
    """A template is never written over a filled return, --force or not: units send theirs
    back under the template's own name, and a coordinator saving one into the folder the
    templates went out from lost its figures to a blank template on the next --force."""
    existing = [target for target in targets if _is_file(target)]
    if not existing:
        return
    from nianbao.checks.engine import is_blank
    from nianbao.pipeline.check import read_one

    filled = [t for t in existing if not isinstance(r := read_one(t), Finding) and not is_blank(r)]
    if filled:
        shown = "\n  ".join(str(t) for t in filled[:10])
        more = f"\n  ……共 {len(filled)} 个" if len(filled) > 10 else ""
        raise UserError(
            f"以下文件已经填有数字（看来是单位交回的报表），即使加 --force 也不会用空白模板覆盖，"
            f"未写入任何文件：\n  {shown}{more}\n请先把它们移到收回报表的文件夹，再生成模板。"
        )


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except OSError:  # a name too long for the file system: claim_outputs says so
        return False


def _write(target: Path, form: Form, **options: object) -> None:
    from nianbao.xlsx.writer import write_return

    write_return(target, form, **options)  # type: ignore[arg-type]  # refusals are UserErrors
