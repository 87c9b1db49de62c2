"""``nianbao status``: who has reported, who passed, whom to chase (催报) — one line per unit."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click

from nianbao.commands.options import (
    accept_option,
    force_option,
    format_option,
    jobs_option,
    progress_bar,
    roster_option,
    say,
    say_last_year,
    xlsx_output,
    year_option,
)
from nianbao.text import clean, listed, unit_key

if TYPE_CHECKING:
    from collections.abc import Sequence

    from nianbao.checks.status import StatusRow, SubmissionStatus
    from nianbao.form.data import FileReport
    from nianbao.form.findings import Finding

JSON_VERSION = 1
_STATUS_KEYS = {
    "已报通过": "passed",
    "有警告": "warnings",
    "有错误": "errors",
    "未填写": "blank",
    "未报": "missing",
    "文件无法读取": "unreadable",
    "未读取": "not_read",
}


def status_line(row: StatusRow, copies: int = 0) -> str:
    """「有错误 | 乙局（02） | 收回/乙局.xlsx | E1 …（2 处） | 联系人：李四 联系电话：…」;
    ``copies``: the returns the row's unit sent, when more than one."""
    from nianbao.checks.status import copies_note

    unit = row.unit or "（无法识别单位）"
    if row.code:
        unit += f"（{row.code}）"
    if row.cover_name:
        unit += f"［封面：{row.cover_name}］"
    parts = [row.status, unit, row.file or "—"]
    parts += [p for p in (row.problems, copies_note(copies)) if p]
    contacts = " ".join(f"{heading}：{value}" for heading, value in row.extra if value)
    if contacts:
        parts.append(contacts)
    return clean(" | ".join(parts))


def counts_line(status: SubmissionStatus) -> str:
    counts = "，".join(f"{word} {n}" for word, n in status.counts().items() if n)
    return f"报送情况（{status.scope}）：{counts or '没有任何报表'}。"


def chase_lines(status: SubmissionStatus) -> list[str]:
    """Whom to chase, with their contacts: not reported, blank, unreadable; then whom to ask
    for a corrected return (errors), so that 「均已报送」 is never the last word on a season
    whose summary will refuse some returns."""
    from nianbao.checks.status import NOT_READ, UNREADABLE

    chase = status.to_chase
    lines = []
    if chase:
        near = _nearest_returns(status)
        nobodys = [r for r in status.rows if not r.unit and r.file]  # looked through once
        names = []
        for row in chase:
            maybe = near.get(unit_key(row.unit), [])
            hint = (
                f"；不在名册中的{listed(maybe)}名称与本单位最相近，可能就是本单位" if maybe else ""
            )
            unnamed = _unnamed_files_like(nobodys, row)
            # a note, an archive, a broken file: no cover to fill in
            no_return = (NOT_READ, UNREADABLE)
            if returns := [r.file for r in unnamed if r.status not in no_return]:
                hint += (
                    f"；文件 {listed(returns)} 没有写填报单位，文件名中有本单位的名称或单位代码，"
                    "可能就是本单位的报表，请核实后在其封面填写填报单位"
                )
            if row.held:
                hint += (
                    f"；它的数字含在汇总表 {listed(list(row.held))} 中，但该汇总表不能汇总"
                    "（见该文件的问题），本单位因此仍算未报"
                )
            if others := [f"{r.file}（{r.status}）" for r in unnamed if r.status in no_return]:
                hint += (
                    f"；文件 {listed(others)} 的文件名中有本单位的名称或单位代码，可能是本单位交来的，"
                    "但不是可以读取的统计表，请核实后索取"
                )
            names.append(f"{row.unit}（{row.status}{_contacts(row)}{hint}）")
        lines.append(f"需要催报的单位 {len(chase)} 个：{listed(names, limit=50)}。")
    elif status.has_roster:
        lines.append(f"名册中的 {status.roster_size} 个单位均已报送。")
    if to_correct := status.to_correct:
        names = [f"{row.unit}（{row.status}{_contacts(row)}）" for row in to_correct]
        lines.append(
            f"需要退回改正的单位 {len(names)} 个：{listed(names, limit=50)}。"
            "改正后重新报送，才能计入汇总。"
        )
    return lines + summaries_left_in(status)


def summaries_left_in(status: SubmissionStatus) -> list[str]:
    """The line naming the summaries found among the returns, and what to do with them."""
    files = [row.file for row in status.rows if row.summary_left_in]
    if not files:
        return []
    lines = [
        f"与单位报表放在一起的汇总表（或本级的年报）{len(files)} 份：{listed(files, limit=10)}。"
        "多半是上次生成的汇总表或本级年报：请把它移出收回报表的文件夹（不是退回哪个单位改正），再汇总。"
    ]
    # a sub-district's summary: units only it counts would be lost by moving it out
    only_in: dict[str, list[str]] = {}
    for row in status.rows:
        for file in row.held:
            if file in files:
                only_in.setdefault(file, []).append(row.unit)
    for file, units in only_in.items():
        lines.append(
            f"但 {file} 中的名册单位 {listed(units, limit=10)} 没有单独的报表，移出它就没有计入这些单位："
            "请向报来它的单位索取这些单位的报表放进收回文件夹，或先把其余单位报表汇总成一份汇总表，"
            "再与它一起汇总（全部是汇总表时可以汇总）。"
        )
    return lines


def _contacts(row: StatusRow) -> str:
    """「，联系人 电话」 from the roster's other columns, or nothing."""
    contacts = " ".join(value for _, value in row.extra if value)
    return "，" + contacts if contacts else ""


def _nearest_returns(status: SubmissionStatus) -> dict[str, list[str]]:
    """Roster unit (key) -> the returns not on the roster whose nearest roster name it is
    (M05's first) and whose name holds it whole or is held by it
    (``units.one_holds_the_other``): 「东一街道办事处」（收回/东一街道.xlsx）, for its chase
    line — the unit to chase may well have sent it under a longer or shorter name."""
    from nianbao.checks.units import one_holds_the_other
    from nianbao.form.findings import Rule

    near: dict[str, list[str]] = {}
    for finding in status.findings:
        if finding.rule is not Rule.M05:
            continue
        first = str(finding.operands.get("nearest", "")).split("、")[0]
        unit = str(finding.operands.get("unit", ""))
        if one_holds_the_other(unit, first):
            near.setdefault(unit_key(first), []).append(f"「{unit}」（{finding.file}）")
    return near


def _unnamed_files_like(nobodys: list[StatusRow], row: StatusRow) -> list[StatusRow]:
    """Of ``nobodys``, the rows of files whose unit could not be told (no 填报单位 on the
    cover, unreadable, no return), those whose file name holds ``row``'s unit name or code
    (``units.file_names_unit``):
    「230104002-太平街道.xlsx」 for the chase line of 太平街道办事处 (230104002), which would
    else read as if nothing came."""
    from nianbao.checks.units import file_names_unit

    return [r for r in nobodys if file_names_unit(r.file, (row.unit,), row.code)]


def sent_twice_lines(status: SubmissionStatus) -> list[str]:
    """A return not on the roster (M05) whose name is that of a roster unit which reported,
    with something more or less (「水泥路街道」 beside 「水泥路街道办事处」,
    ``units.one_holds_the_other``): most often the same unit sending again (a corrected
    「终稿」 under a shorter name), and a merge sums both. Said, for the coordinator to decide:
    a unit inside another (「某局机关幼儿园」) may report on its own."""
    from nianbao.checks.status import ERRORS, PASSED, WARNINGS
    from nianbao.checks.units import one_holds_the_other

    reported: dict[str, tuple[str, str]] = {}
    for row in status.rows:
        if (
            row.on_roster
            and row.file
            and not row.within
            and row.status in (PASSED, WARNINGS, ERRORS)
        ):
            reported.setdefault(unit_key(row.unit), (row.unit, row.file))
    lines = []
    for finding in not_on_roster(status):
        first = str(finding.operands.get("nearest", "")).split("、")[0]
        unit = str(finding.operands.get("unit", ""))
        if unit_key(first) in reported and one_holds_the_other(unit, first):
            name, file = reported[unit_key(first)]
            lines.append(
                f"可能重复报送：不在名册中的「{unit}」（{finding.file}）与已报送的「{name}」（{file}）"
                "名称只差前后缀，多半是同一单位又报了一份（如更正后的终稿）：汇总时两份都会计入。"
                f"请核实：是同一单位的，只保留要用的一份；确是另一单位的，把它补入名册。"
            )
    return lines


def not_on_roster(status: SubmissionStatus) -> list[Finding]:
    """M05: each return from a unit the roster does not have, with the nearest roster names."""
    from nianbao.form.findings import Rule

    return [f for f in status.findings if f.rule is Rule.M05]


def assumed_year(status: SubmissionStatus) -> list[str]:
    """The line saying which year the returns were checked against when no --year was given
    and they are of several years (the year most of them give: checks.engine.wrong_year), for
    a folder that still holds more of last year's returns than this year's reads upside down."""
    from nianbao.checks.engine import MOST_RETURNS
    from nianbao.form.findings import Rule

    other = [
        f
        for row in status.rows
        if not row.within
        for f in row.findings
        if f.rule is Rule.C03 and f.operands.get(MOST_RETURNS)
    ]
    if not other:
        return []
    year = other[0].operands.get("要求年度")
    return [
        f"未用 --year 指定年度：同一批报表的年度不一致，已按多数报表的 {year} 年度核对，"
        f"其他年度的 {len(other)} 份列为有错误。如本次收的是其他年度的报表，请加 --year 指定后重新运行。"
    ]


def note_lines(status: SubmissionStatus, notes: list[Finding]) -> list[str]:
    """What follows the units, in the text output and on the printed workbook (-o) alike:
    each duplicate (whether its copies hold the same figures), each unit not on the roster
    (with the nearest roster names), whom to chase with their contacts, the explanations
    file's notes (A01, A02)."""
    from nianbao.commands.render import finding_line

    lines = assumed_year(status)
    lines += [f"重复报送：{clean(f.message)}" for f in status.duplicates]
    lines += [finding_line(f) for f in not_on_roster(status)]
    lines += sent_twice_lines(status)
    lines += chase_lines(status)
    lines += [finding_line(f) for f in notes]
    return lines


def copy_advice(status: SubmissionStatus, reports: Sequence[FileReport]) -> dict[str, str]:
    """Per file of a unit that sent several returns, whether they hold the same figures: the
    words of its duplicate line (checks.status.duplicate_advice), for that file's row."""
    from nianbao.checks.status import duplicate_advice

    read = {str(r.path): r.ret for r in reports if r.ret is not None}
    advice: dict[str, str] = {}
    for finding in status.duplicates:
        files = finding.operands.get("files")
        if finding.operands.get("summaries") or not isinstance(files, list):
            continue  # a unit counted in a summary: no file is a copy of another
        returns = [read[f] for f in files if f in read]
        if len(returns) == len(files) > 1:
            advice.update(dict.fromkeys(files, duplicate_advice(returns)))
    return advice


def render_text(status: SubmissionStatus, notes: list[Finding]) -> str:
    lines = [counts_line(status)]
    lines += [f"  {status_line(row, status.copies(row.file))}" for row in status.rows]
    lines += note_lines(status, notes)
    return "\n".join(lines) + "\n"


def to_json_data(status: SubmissionStatus, notes: list[Finding]) -> dict[str, object]:
    return {
        "version": JSON_VERSION,
        "roster_size": status.roster_size,
        "units": [
            {
                "unit": row.unit or None,
                "code": row.code or None,
                "parent": row.parent or None,
                "status": _STATUS_KEYS[row.status],
                "status_text": row.status,
                "on_roster": row.on_roster,
                "file": row.file or None,
                "cover_name": row.cover_name or None,
                "within": row.within or None,
                "members_on_roster": row.members_on_roster,
                "errors": row.errors,
                "warnings": row.warnings,
                "accepted": row.accepted,
                "problems": row.problems,
                "findings": [f.to_dict() for f in row.findings],
                "contacts": dict(row.extra),
            }
            for row in status.rows
        ],
        "counts": {_STATUS_KEYS[word]: n for word, n in status.counts().items()},
        "duplicates": [f.to_dict() for f in status.duplicates],
        "notes": [f.to_dict() for f in notes],
    }


def exit_code(status: SubmissionStatus) -> int:
    """0: every unit reported and passed (warnings allowed); 1: someone to chase or to correct;
    2: a file could not be read (as for check and merge). A file in the folder that is no
    return (未读取) counts only when it is a roster unit's."""
    from nianbao.checks.status import NOT_READ, UNREADABLE

    if any(row.status == UNREADABLE for row in status.rows):
        return 2
    if status.duplicates:  # merge would refuse them: one return per unit
        return 1
    fine = ("已报通过", "有警告")
    return (
        0
        if all(r.status in fine or (r.status == NOT_READ and not r.unit) for r in status.rows)
        else 1
    )


@click.command(
    options_metavar="[选项]",
    short_help="列出名册中各单位的报送情况（催报）",
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.argument("paths", nargs=-1, required=True, metavar="文件或文件夹...")
@roster_option("逐个单位列出报送情况，联系人等列列在每个单位后面。")
@year_option("要求的报告年度（如 2025）：封面年度不符的报表按错误处理。")
@accept_option
@click.option(
    "--previous",
    metavar="去年/",
    help="上年各单位报表所在文件夹（或上年汇总表），一并核对上年结转等跨年数字。",
)
@format_option("输出格式：text 为中文列表；json 供程序处理。")
@click.option(
    "-o",
    "--output",
    metavar="报送情况.xlsx",
    help="另存为可打印（A4）的报送情况表（.xlsx），含联系人等名册信息。",
)
@force_option
@jobs_option
def command(
    paths: tuple[str, ...],
    roster: str | None,
    year: int | None,
    accept: str | None,
    previous: str | None,
    output_format: str,
    output: str | None,
    force: bool,
    jobs: int,
) -> None:
    """列出名册中每个单位的报送情况：已报通过 / 有警告 / 有错误 / 未填写 / 未报 / 文件无法读取，
    每个单位一行，带文件名、问题和名册中的联系人，便于催报和退回修改。

    \b
    退出码：0 名册中的单位都已报送并通过（可以有警告）；1 有单位需要催报或改正；
    2 有文件无法读取、输出无法写入或参数有误。

    \b
    示例：
      nianbao status 收回/ --roster 名册.csv
      nianbao status 收回/ --roster 名册.xlsx -o 报送情况.xlsx
      nianbao status 收回/ --roster 名册.csv --accept 说明.csv --format json
    """
    from nianbao.commands.render import json_text
    from nianbao.outputs import claim_outputs
    from nianbao.pipeline.check import input_files
    from nianbao.pipeline.season import SeasonFiles, gather, summary_name

    target = xlsx_output(output, "报送情况表") if output is not None else None
    files = SeasonFiles.read(roster=roster, accept=accept, previous=previous, year=year)
    entries = files.roster
    inputs = input_files(paths)
    inputs.set_aside_given(files.given)
    created = (
        claim_outputs([target], force=force, inputs=[*inputs.everything, *files.protected])
        if target is not None
        else []
    )
    with progress_bar(len(inputs.files), "正在读取和校验") as progress:
        season = gather(
            inputs,
            roster=entries,
            year=year,
            jobs=jobs,
            # each return judged as merge will judge it: one that merge refuses (no unit, C01;
            # a form that cannot be added up cell by cell, L08) is 有错误 here, not 已报通过
            require_unit=True,
            summing=True,
            last_year=files.last_year,
            explanations=files.explanations,
            progress=progress,
            one_season=True,
            name=summary_name(entries) if entries else None,
        )
    say_last_year(files.last_year)
    notes = season.extra_findings
    if target is not None:
        from nianbao.xlsx.summary import write_status_workbook

        write_status_workbook(
            target,
            season.status,
            title=counts_line(season.status),
            notes=note_lines(season.status, notes),
            copies=copy_advice(season.status, season.reports),
        )
    if output_format == "json":
        data = to_json_data(season.status, notes)
        if target is not None:
            data["output"] = str(target)
        data["ignored"] = [str(p) for p in inputs.ignored]
        click.echo(json_text(data))
    else:
        say(render_text(season.status, notes), nl=False)
        for note in created:
            say(note)
        if target is not None:
            say(f"报送情况表已写入 {target}。")
    for line in inputs.notes():
        say(line, err=True)
    sys.exit(exit_code(season.status))
