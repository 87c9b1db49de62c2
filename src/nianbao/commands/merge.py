"""``nianbao merge``: compile many returns into one summary workbook, with the roster status.

The summary's name (填报单位 on its cover) is ``--name``; without it, the roster's 上级单位
when every unit of the roster has the same one, else 「汇总」.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

from nianbao.commands.options import (
    accept_option,
    force_option,
    jobs_option,
    output_option,
    progress_bar,
    require_output,
    roster_option,
    say,
    say_last_year,
    xlsx_output,
    year_option,
)
from nianbao.errors import UserError
from nianbao.text import DEFAULT_SUMMARY_NAME, clean, listed, show_value, unit_key

if TYPE_CHECKING:
    from nianbao.checks.compare import Reconciliation
    from nianbao.checks.status import StatusRow
    from nianbao.form.data import FileReport
    from nianbao.form.findings import Finding
    from nianbao.pipeline.merge import MergeOutcome
    from nianbao.pipeline.season import SeasonMerge

MAX_LISTED = 20  # units named in one line of the closing summary
MAX_CELLS_SHOWN = 30  # differing cells listed on the terminal; the sheet has them all


def report_lines(reports: Sequence[FileReport]) -> list[str]:
    """Each file's verdict and findings, exactly as `nianbao check` shows them."""
    from nianbao.commands.render import file_lines

    return [line for report in reports for line in file_lines(report)]


@click.command(
    options_metavar="[选项]",
    short_help="汇总各单位的统计表",
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.argument("paths", nargs=-1, required=True, metavar="文件或文件夹...")
@output_option("汇总表的文件名（.xlsx）。", "汇总表.xlsx")
@click.option(
    "--name",
    metavar="名称",
    help=f"汇总表的填报单位名称，如「道外区」。默认取名册中共同的上级单位；没有名册时为「{DEFAULT_SUMMARY_NAME}」。",
)
@click.option("--parent", metavar="上级单位", help="汇总表封面上的上级单位（可不填）。")
@roster_option("用于列出未报送和不在名册中的单位。")
@year_option(
    "要求的报告年度（如 2025）：封面年度不符的报表按错误处理。不给时以报表本身的年度为准（各报表须一致）。"
)
@click.option(
    "--skip-invalid",
    is_flag=True,
    help="跳过有错误或无法读取的报表，只汇总通过校验的报表（被跳过的会逐一列出，退出码仍为 1 或 2）。默认有任何错误都不汇总。",
)
@click.option(
    "--previous",
    metavar="去年/",
    help="上年各单位报表所在文件夹，或上年的汇总表：逐个单位核对上年结转等跨年数字，并在汇总表中加「与上年对比」。",
)
@accept_option
@click.option(
    "--compare",
    metavar="上报汇总.xlsx",
    multiple=True,
    help="与已上报的汇总表逐格核对，列出每个不同的单元格和两边不同的单位（可给多次）。"
    "填报单位是名册中某个上级单位的（如下级街道报来的汇总），与该组单位之和核对；否则与总汇总核对。",
)
@click.option(
    "--by-parent",
    is_flag=True,
    help="按名册中的上级单位分组，每组另生成一份汇总表（保存在「汇总表名-分组」文件夹中），总汇总表照常生成。需要 --roster。",
)
@force_option
@jobs_option
def command(
    paths: tuple[str, ...],
    output: str | None,
    name: str | None,
    parent: str | None,
    roster: str | None,
    year: int | None,
    skip_invalid: bool,
    previous: str | None,
    accept: str | None,
    compare: tuple[str, ...],
    by_parent: bool,
    force: bool,
    jobs: int,
) -> None:
    """把各单位报送的统计表汇总为本级汇总表（xlsx），并列出报送情况和校验问题。

    先按与 check 相同的规则校验每一份报表。默认只要有一份报表有错误或无法读取，就不生成汇总表，并列出问题所在；加 --skip-invalid 则跳过这些报表，只汇总其余的。表式版本或报告年度不一致、同一单位报送两份时，一律不汇总。

    汇总表本身也是一份合格的统计表：各区的汇总表可以再汇总为全市的汇总表。

    \b
    退出码：0 已汇总、没有错误；1 有错误（汇总被阻止，或 --compare 核对不一致）；
    2 有文件无法读取（加了 --skip-invalid 也是 2，汇总表照常生成）、输出无法写入或参数有误。
    输入文件夹中不是报表的文件（Word、PDF、压缩包、批注副本等）逐一列为「未读取」，不影响退出码。

    \b
    示例：
      nianbao merge 收回/ -o 道外区汇总.xlsx --name 道外区
      nianbao merge 收回/ --roster 名册.csv --name 道外区 -o 道外区2021年汇总.xlsx
      nianbao merge 收回/ --roster 名册.csv --previous 去年/ --accept 说明.csv -o 汇总.xlsx
      nianbao merge 收回/ --roster 名册.csv --by-parent -o 全区汇总.xlsx
      nianbao merge 各区汇总/ --name 哈尔滨市 -o 全市汇总.xlsx
    """
    from nianbao.commands.render import exit_code
    from nianbao.commands.status import chase_lines
    from nianbao.outputs import all_or_nothing, claim_outputs
    from nianbao.pipeline.check import input_files
    from nianbao.pipeline.merge import MergeConflict
    from nianbao.pipeline.season import (
        SeasonFiles,
        gather,
        merge_season,
        read_sent_up,
        summary_name,
    )
    from nianbao.xlsx.summary import write_summary

    target = xlsx_output(require_output(output, "汇总.xlsx"), "汇总表")
    if by_parent and not roster:
        raise UserError("--by-parent 按名册中的上级单位分组，需要同时给出 --roster 名册。")
    files = SeasonFiles.read(
        roster=roster, accept=accept, previous=previous, year=year, also=compare
    )
    entries = files.roster
    name = summary_name(entries, name)
    inputs = input_files(paths)
    # before the side files are set aside: a --compare file among the returns is refused,
    # never quietly taken out of the merge
    sent_up = read_sent_up(compare, inputs, roster=entries, name=name)
    inputs.set_aside_given(files.given)
    created = claim_outputs([target], force=force, inputs=[*inputs.everything, *files.protected])
    with progress_bar(len(inputs.files), "正在读取和校验") as progress:
        season = gather(
            inputs,
            roster=entries,
            year=year,
            jobs=jobs,
            require_unit=True,
            summing=True,
            last_year=files.last_year,
            explanations=files.explanations,
            progress=progress,
            # last year's return left among this year's is 有错误 (C03), as status says, and
            # --skip-invalid leaves it out: not a conflict hiding every other problem
            one_season=True,
            name=name,
        )
    try:
        merged = merge_season(
            season,
            name=name,
            parent=parent,
            year=year,
            skip_invalid=skip_invalid,
            by_parent=by_parent,
            compare=sent_up,
        )
    except MergeConflict as conflict:
        # whoever is still to be chased is as much to be told as when errors block the merge
        lines = chase_lines(season.status) if entries is not None else []
        raise conflict.followed_by(lines) from None
    outcome = merged.outcome
    notes = [f for _, f in merged.extra]
    for line in inputs.notes():
        say(line, err=True)
    say_last_year(files.last_year)
    if outcome.summary is None:
        _say_blocked(
            merged,
            notes,
            files=len(season.reports),
            roster_given=entries is not None,
            skip_invalid=skip_invalid,
        )
        sys.exit(exit_code(outcome.reports))
    groups = _group_paths(merged, target)
    created += claim_outputs(groups, force=force, inputs=[*inputs.everything, *files.protected])
    # the summary and its groups' summaries are one output: an interrupted run leaves none
    with all_or_nothing([target, *groups], "汇总表") as written:
        write_summary(
            target,
            outcome.summary,
            outcome.members,
            status=outcome.status,
            findings=merged.findings,
            year_rows=merged.year_rows,
            year_notes=merged.year_notes,
            reconciliations=merged.reconciliations,
        )
        written.append(target)
        _write_groups(merged, groups, written)
    for note in dict.fromkeys(created):
        say(note)
    _report(outcome, target, roster_given=entries is not None)
    _say_season(merged, notes, written[1:])
    code = exit_code(outcome.reports)
    if any(not result.agrees for result in merged.reconciliations):
        code = max(code, 1)
    sys.exit(code)


def _say_blocked(
    merged: SeasonMerge,
    notes: list[Finding],
    *,
    files: int,
    roster_given: bool,
    skip_invalid: bool = False,
) -> None:
    """Why no summary was written, and (with a roster) who is still to be chased. With
    ``skip_invalid`` it was blocked because no return passed at all."""
    outcome = merged.outcome
    say("\n".join(report_lines(outcome.excluded)), err=True)
    _say_skipped(outcome.reports)
    for line in _note_lines(notes):
        say(line, err=True)
    if skip_invalid:
        advice = "没有一份报表通过校验，加了 --skip-invalid 也没有可以汇总的报表。请让相关单位改正后重新报送。"
    else:
        advice = "请让相关单位改正后重新报送；如需先汇总其余报表，请加 --skip-invalid。"
    say(
        f"有 {len(outcome.excluded)} 份报表有错误或无法读取（共 {files} 个文件），未生成汇总表。\n"
        + advice,
        err=True,
    )
    if outcome.conflicts:
        lines = "\n".join(f"  [{f.rule.id}] {f.message}" for f in outcome.conflicts)
        say(
            f"此外，其余报表也不能汇总在一起（加 --skip-invalid 也一样），需先解决：\n{lines}",
            err=True,
        )
    if roster_given:  # whoever has not reported is still to be chased
        for line in _chase_lines(outcome):
            say(line, err=True)


def _say_season(merged: SeasonMerge, notes: list[Finding], written: list[Path]) -> None:
    """The closing lines of the season's extras: explanations, last year, groups, reconcile."""
    from nianbao.outputs import left_from_earlier

    for line in _note_lines(notes):
        say(line)
    for line in merged.year_notes:
        say(line)
    if merged.year_rows is not None:
        flagged = [r for r in merged.year_rows if r.flags]
        if flagged:
            shown = "；".join(f"{r.unit}：{'，'.join(r.flags)}" for r in flagged)
            say(f"与上年对比的提示 {len(flagged)} 处：{shown}。详见「与上年对比」工作表。")
    if written:
        say(f"按上级单位分组汇总 {len(written)} 份，保存在 {written[0].parent}：")
        for group, path in zip(merged.groups, written, strict=True):
            say(f"  {group.name}（{len(group.members)} 个单位）→ {path.name}")
        # a group summary of an earlier run (the roster's groups have changed since) is left as
        # it was, never deleted: said, for it must not be sent to anyone as this run's
        older = left_from_earlier(written[0].parent, written, (".xlsx",))
        if older:
            say(
                f"该文件夹中另有 {len(older)} 份不是本次生成的汇总表：{listed(older, limit=10)}。"
                "多半是以前分组汇总留下的（名册的上级单位已有变化）：请核对后移走或删除，不要当作本次的分组汇总表报送。"
            )
    split = {parent for _, parents in merged.spanning.values() for parent in parents}
    nothing = [g for g in merged.empty_groups if g not in split]
    if nothing:
        say(
            f"上级单位{listed([f'「{g}」' for g in nothing], limit=20)}下的单位都没有可以汇总的报表"
            "（未报、空白、有错误或无法读取，见上），没有生成这些组的汇总表。"
        )
    if written:
        for file, (home, parents) in merged.spanning.items():
            others = [f"「{p}」" for p in parents if p != home]
            say(
                f"汇总表 {file} 含有不同上级单位（{'、'.join(parents)}）的单位，不能按上级单位拆开，"
                f"已整份计入「{home}」组：{'、'.join(others)}组的汇总表不含其中的单位"
                "（没有其他报表的组不生成汇总表）。要按上级单位分组，请提供各单位的报表或按上级单位分别汇总的汇总表。"
            )
    for result in merged.reconciliations:
        for line in _reconcile_lines(result):
            say(line)


def _say_skipped(reports: Sequence[FileReport]) -> None:
    """Files of the input folders that are no return: named, each with what it is."""
    skipped = [r for r in reports if r.status == "skipped"]
    if skipped:
        say(f"以下 {len(skipped)} 个文件不是报表，未读取：", err=True)
        say("\n".join(f"  {r.path}：{r.findings[0].message}" for r in skipped), err=True)


def _note_lines(notes: Sequence[Finding]) -> list[str]:
    from nianbao.commands.render import finding_line

    return [finding_line(f) for f in notes]


def _chase_lines(outcome: MergeOutcome) -> list[str]:
    from nianbao.commands.status import chase_lines

    return chase_lines(outcome.status)


def _group_paths(merged: SeasonMerge, target: Path) -> list[Path]:
    """Where each group's summary goes: 「<汇总表名>-分组/」, named after its 上级单位."""
    from nianbao.outputs import distinct_name, safe_filename

    folder = target.with_name(f"{target.stem}-分组")
    paths: list[Path] = []
    used: set[str] = set()
    for group in merged.groups:
        paths.append(folder / distinct_name(f"{safe_filename(group.name)}.xlsx", used))
    return paths


def _write_groups(merged: SeasonMerge, paths: list[Path], written: list[Path]) -> None:
    """Each group's summary at its path (claimed beforehand), appended to ``written``."""
    from nianbao.xlsx.summary import write_summary

    for group, path in zip(merged.groups, paths, strict=True):
        write_summary(
            path,
            group.summary,
            group.members,
            status=group.status,
            findings=group.findings,
            year_rows=group.year_rows,
            year_notes=(),
            reconciliations=group.reconciliations,
        )
        written.append(path)


def _reconcile_lines(result: Reconciliation) -> list[str]:
    from nianbao.xlsx.summary import NO_LIST

    if result.comparable:
        return [f"核对上报汇总表 {result.source}：{result.comparable}"]
    if result.agrees:
        names = "单位名单相同" if result.has_list else f"但{NO_LIST}"
        return [clean(f"核对上报汇总表 {result.source}：与各单位报表之和逐格一致，{names}。")]
    lines = [f"核对上报汇总表 {result.source}：不一致。"]
    if result.cells:
        lines.append(f"  {len(result.cells)} 个单元格不同（上报汇总表 / 各单位之和）：")
        lines += [
            f"    {d.sheet}!{d.a1} {d.description}：{show_value(d.theirs)} / {show_value(d.ours)}"
            f"（相差 {show_value(d.difference)}）"
            for d in result.cells[:MAX_CELLS_SHOWN]
        ]
        if len(result.cells) > MAX_CELLS_SHOWN:
            lines.append(
                f"    ……共 {len(result.cells)} 格，全部列在汇总表的「核对上报汇总」工作表中。"
            )
    if not result.has_list:
        lines.append(f"  {NO_LIST}。")
    if result.only_theirs:
        lines.append(f"  只在上报汇总表中的单位：{'、'.join(result.only_theirs)}")
    if result.only_ours:
        lines.append(f"  只在本次汇总中的单位：{'、'.join(result.only_ours)}")
    for member in result.members:
        lines.append(f"  「{member.unit}」有 {len(member.cells)} 格与上报汇总表的分单位明细不同。")
    return [clean(line) for line in lines]


def _report(outcome: MergeOutcome, target: Path, *, roster_given: bool) -> None:
    """The closing lines of a merge that wrote its summary."""
    from nianbao.checks.status import BLANK, ERRORS, UNREADABLE
    from nianbao.xlsx.summary import BREAKDOWN_LIMIT

    summary, status = outcome.summary, outcome.status
    assert summary is not None
    if outcome.excluded:
        say("\n".join(report_lines(outcome.excluded)), err=True)
        say(f"以上 {len(outcome.excluded)} 份报表有错误或无法读取，已跳过，未计入汇总。", err=True)
    _say_skipped(outcome.reports)
    say(
        f"{len(outcome.members)} 份报表已汇总（{summary.year or '年度未知'}年度，{summary.form.vintage}版表式），"
        f"写入 {target}。"
    )
    if len(outcome.members) > BREAKDOWN_LIMIT:
        say(
            f"汇总的报表超过 {BREAKDOWN_LIMIT} 份，汇总表中省略了「分单位明细」；"
            "如需各单位的明细数据，请用 nianbao export 导出。"
        )
    if outcome.warned:
        say(f"其中 {outcome.warned} 份有警告，详见汇总表的「校验问题」工作表。")
    if not roster_given:
        return
    missing = [_with_contacts(row) for row in status.missing]
    if missing:
        say(f"未报 {len(missing)} 个单位：{listed(missing, limit=MAX_LISTED)}。")
    elif not status.to_chase:  # a blank template or a broken file is not reported (said below)
        say(f"名册中的 {status.roster_size} 个单位均已报送。")
    extra = [row.unit for row in status.off_roster]
    if extra:
        # summed like any unit's (M05 is a warning): said so, for a return from another
        # district must be taken out by hand
        summed = {unit_key(ret.unit) for ret in outcome.members}
        counted = sum(1 for unit in extra if unit_key(unit) in summed)
        said = (
            f"（其中 {counted} 个已计入汇总，如不应计入请移出其报表后重新汇总）" if counted else ""
        )
        say(f"不在名册中的单位 {len(extra)} 个{said}：{listed(extra, limit=MAX_LISTED)}。")
        from nianbao.commands.status import sent_twice_lines

        for line in sent_twice_lines(status):
            say(line)
    from nianbao.commands.status import summaries_left_in

    for word in (ERRORS, BLANK, UNREADABLE):
        # a unit counted in a summary is the summary's row: said once, by the summary's name;
        # last run's summary left among the returns is no unit with errors to send back
        units = [
            row.unit or row.file
            for row in (
                status.to_correct
                if word == ERRORS
                else (r for r in status.rows if r.status == word)
            )
            if not row.within and not status.blank_beside_filled(row) and not row.summary_left_in
        ]
        if units:
            say(f"{_WHO[word]} {len(units)} 个：{listed(units, limit=MAX_LISTED)}。")
    for line in summaries_left_in(status):
        say(line)


def _with_contacts(row: StatusRow) -> str:
    """「东城丁局（赵强 0451-88010004）」 when the roster gives contacts."""
    contacts = " ".join(value for _, value in row.extra if value)
    return f"{row.unit}（{contacts}）" if contacts else row.unit


_WHO = {
    "有错误": "报表有错误的单位",
    "未填写": "报来空白表（未填写）的单位",
    "文件无法读取": "文件无法读取的单位",
}
