"""Time nianbao against its targets (issue 14), next to the calamine floor of the same run.

    python benchmarks/run.py                      # N = 100 and 1000
    python benchmarks/run.py 1000 10000 20000 --extrapolate 100000
    python benchmarks/run.py 1000 --repeat 5 --workers 1 2 4 8 16

Whole-process figures are fresh processes (imports count): the median wall time of
``--repeat`` runs (one run at N >= 10,000), their median CPU time (user + system of the process
and its workers, from ``os.wait4``: the figure to trust on a machine shared with other work)
and peak memory (max RSS). In-process figures (reading, writing, the serial tail) run in a
child interpreter with imports excluded. Every N gets the calamine floor: reading every cell of
every sheet of the same files with python-calamine (``to_python``), in process.

Prints a Markdown table of targets (target, figure, CPU, floor, verdict) and one of every
measurement. Nothing here is a test: no test asserts on time.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from functools import cache
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from make_returns import WORK, make_returns  # noqa: E402

NIANBAO = [sys.executable, "-m", "nianbao"]
# Child processes write bytecode caches, as an installed nianbao has them (a checkout run with
# PYTHONDONTWRITEBYTECODE=1 would otherwise recompile nianbao on every start).
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
MB = 1024.0


@dataclass
class Run:
    wall: float  # median seconds
    cpu: float  # median user + system seconds, workers included
    rss: float  # peak MB
    code: int


def timed(command: list[str], repeat: int) -> Run:
    """Median wall and CPU time, and peak RSS, of ``repeat`` fresh processes."""
    walls, cpus, peaks, code = [], [], [], 0
    for _ in range(repeat):
        start = time.perf_counter()
        process = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=ENV
        )
        _, status, usage = os.wait4(process.pid, 0)
        walls.append(time.perf_counter() - start)
        cpus.append(usage.ru_utime + usage.ru_stime)
        peaks.append(usage.ru_maxrss / MB)
        code = os.waitstatus_to_exitcode(status)
        process.returncode = code
    return Run(statistics.median(walls), statistics.median(cpus), max(peaks), code)


# -- in-process measurements, each in a child interpreter (imports excluded) ------------------

_CHILD = r"""
import json, sys, time, copy, resource, tempfile
from pathlib import Path
what, folder, count = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3])
files = sorted(folder.glob("*.xlsx"))
out = {}
if what not in ("calamine", "openpyxl", "openpyxl-ro"):
    from nianbao.processes import collect_rarely, one_thread_for_numerics
    one_thread_for_numerics()  # nianbao measured as the command runs it (cli.main);
    collect_rarely()  # floors as they are

def cpu():
    return time.process_time()

if what == "calamine":
    from python_calamine import CalamineWorkbook
    wall, c = time.perf_counter(), cpu()
    for f in files:
        wb = CalamineWorkbook.from_path(str(f))
        for name in wb.sheet_names:
            wb.get_sheet_by_name(name).to_python()
    out = {"wall": time.perf_counter() - wall, "cpu": cpu() - c}
elif what in ("openpyxl", "openpyxl-ro"):
    import openpyxl
    wall, c = time.perf_counter(), cpu()
    for f in files:
        wb = openpyxl.load_workbook(f, read_only=what == "openpyxl-ro", data_only=True)
        for ws in wb.worksheets:
            for row in ws.iter_rows(values_only=True):
                pass
        if what == "openpyxl-ro":
            wb.close()
    out = {"wall": time.perf_counter() - wall, "cpu": cpu() - c}
elif what == "read":
    from nianbao.pipeline.check import read_one
    from nianbao.sources.preflight import preflight
    read_one(files[0])
    wall, c = time.perf_counter(), cpu()
    for f in files:
        read_one(f)
    out = {"wall": time.perf_counter() - wall, "cpu": cpu() - c}
    c = cpu()
    for f in files:
        preflight(f)
    out["preflight_cpu"] = cpu() - c
    # preflight, then calamine opening the workbook, parsing every sheet and converting its
    # cells, as read_one does before the reader looks at them
    from nianbao.sources.grid import open_grid
    from nianbao.sources.preflight import inspect
    c = cpu()
    for f in files:
        inspected = inspect(f)
        with open_grid(f, "calamine", inspected.fmt, inspected) as grid:
            for sheet in grid.sheets:
                sheet.rows
    out["grid_cpu"] = cpu() - c
elif what == "validate":
    from nianbao.pipeline.check import read_one
    from nianbao.checks.engine import validate_returns
    returns = [read_one(f) for f in files]
    validate_returns(returns[:1])
    c = cpu()
    validate_returns(returns)
    out = {"cpu": cpu() - c}
elif what in ("summary", "breakdown"):
    # ``count`` members: the first 50 files read, copied under distinct unit names.
    from nianbao.pipeline.check import read_one
    from nianbao.pipeline.merge import merge_returns
    from nianbao.xlsx import summary as S
    from nianbao.xlsx.writer import new_workbook
    patterns = [read_one(f) for f in files[:50]]
    members = []
    for i in range(count):
        m = copy.copy(patterns[i % len(patterns)])
        m.unit, m.source = f"单位{i:06d}", f"{folder}/单位{i:06d}.xlsx"
        members.append(m)
    with tempfile.TemporaryDirectory() as scratch:
        target = Path(scratch) / "s.xlsx"
        if what == "summary":  # the summary return itself: the sum and its four sheets
            wall, c = time.perf_counter(), cpu()
            summary = merge_returns(members, name="测试区")
            S.write_summary(target, summary, [])
            out = {"wall": time.perf_counter() - wall, "cpu": cpu() - c}
        else:  # 分单位明细 alone, from opening the workbook to closing it
            summary = merge_returns(members, name="测试区")
            wall, c = time.perf_counter(), cpu()
            workbook = new_workbook(target, large=count >= S._LARGE_FROM)
            S._write_breakdown(workbook, S._Styles(workbook), summary, members)
            workbook.close()
            out = {"wall": time.perf_counter() - wall, "cpu": cpu() - c}
    out["rss"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
elif what == "tail":
    # merge as the command runs it; the serial tail is the wall time after the last file read
    from nianbao.pipeline.check import check_paths, input_files
    from nianbao.pipeline.merge import merge_reports
    from nianbao.xlsx.summary import write_summary
    jobs = count
    start = time.perf_counter()
    read = [start]
    def progress(done, total):
        read[0] = time.perf_counter()
    reports = check_paths(input_files([folder]), jobs=jobs, require_unit=True, progress=progress)
    gathered = time.perf_counter()
    outcome = merge_reports(reports, name="测试区", skip_invalid=True)
    merged = time.perf_counter()
    with tempfile.TemporaryDirectory() as scratch:
        write_summary(Path(scratch) / "s.xlsx", outcome.summary, outcome.members,
                      status=outcome.status, findings=outcome.findings())
    end = time.perf_counter()
    out = {
        "wall": end - start,
        "tail": end - read[0],
        "merging": merged - gathered,  # merge_reports: status, conflicts, sums
        "writing": end - merged,
        "rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "worker_rss": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
    }
print(json.dumps(out))
"""


def child(what: str, folder: Path, count: int = 0, repeat: int = 1) -> dict[str, float]:
    """Median of each figure over ``repeat`` child runs."""
    runs = []
    for _ in range(repeat):
        out = subprocess.run(
            [sys.executable, "-c", _CHILD, what, str(folder), str(count)],
            capture_output=True,
            text=True,
            env=ENV,
            check=True,
        )
        runs.append(json.loads(out.stdout))
    return {key: statistics.median(run[key] for run in runs) for key in runs[0]}


# -- the report ---------------------------------------------------------------------------------


class Report:
    def __init__(self) -> None:
        self.rows: list[tuple[str, ...]] = []
        self.targets: list[tuple[str, ...]] = []

    def measured(
        self,
        what: str,
        wall: float | None,
        *,
        cpu: float | None = None,
        n: int | None = None,
        rss: float | None = None,
        floor: float | None = None,
    ) -> None:
        per = f"{wall / n * 1000:.2f} ms" if wall is not None and n else ""
        cells = (
            what,
            f"{wall:.3f} s" if wall is not None else "",
            f"{cpu:.3f} s" if cpu is not None else "",
            per,
            f"{rss:.0f} MB" if rss else "",
            f"{wall / floor:.1f}×" if wall is not None and floor else "",
        )
        self.rows.append(cells)
        print("  " + " | ".join(c for c in cells if c), file=sys.stderr, flush=True)

    def target(
        self, what: str, target: str, figure: str, met: bool | None, floor: str = ""
    ) -> None:
        verdict = "—" if met is None else ("达到" if met else "未达到")
        self.targets.append((what, target, figure, floor, verdict))

    def print(self, args: argparse.Namespace) -> None:
        print(
            f"Machine: {platform.machine()}, {os.cpu_count()} CPUs, "
            f"Python {platform.python_version()}, {platform.system()} {platform.release()}"
        )
        print(f"Command: python benchmarks/run.py {' '.join(sys.argv[1:])}")
        load = os.getloadavg() if hasattr(os, "getloadavg") else None
        if load:
            print(
                f"Load average at the end: {load[0]:.1f} (other work on the machine inflates wall times)"
            )
        print(f"Files: {WORK}/returns-N (about 19 KB each; ~5% warnings, ~5% errors)\n")
        print("| target | goal | figure | calamine floor | verdict |")
        print("|---|---|---|---|---|")
        for row in self.targets:
            print("| " + " | ".join(row) + " |")
        print(
            "\n| measurement | median wall | median CPU | per return | peak RSS | × calamine floor |"
        )
        print("|---|---:|---:|---:|---:|---:|")
        for row in self.rows:
            print("| " + " | ".join(row) + " |")
        print(
            "\nWhole-process rows include imports; CPU counts workers too. Floors and in-process "
            "rows exclude imports. Wall times on a shared machine vary by ±30 %: compare CPU."
        )


def merge_command(folder: Path, out: Path, jobs: int | None) -> list[str]:
    command = [*NIANBAO, "merge", str(folder), "--skip-invalid", "--name", "测试区", "-o", str(out)]
    command += ["--force"] if "--force" in _merge_options() else []
    return command + (["--jobs", str(jobs)] if jobs is not None else [])


@cache
def _merge_options() -> str:
    return subprocess.run(
        [*NIANBAO, "merge", "--help"], capture_output=True, text=True, env=ENV
    ).stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[100, 1000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--workers", nargs="*", type=int, default=[1, 2, 4, 8, 16], help="speed-up of merge N=1000"
    )
    parser.add_argument(
        "--extrapolate", type=int, default=100_000, help="fit the two largest N to this N"
    )
    parser.add_argument("--members", type=int, default=10_000, help="分单位明细 members timed")
    parser.add_argument(
        "--summary-members", type=int, default=100_000, help="members of the summary timed"
    )
    parser.add_argument(
        "--openpyxl-up-to", type=int, default=1000, help="skip the slow openpyxl floors above N"
    )
    args = parser.parse_args()
    report = Report()
    repeat = args.repeat

    run = timed([*NIANBAO, "--version"], repeat)  # also writes the bytecode caches
    run = timed([*NIANBAO, "--help"], repeat)
    report.measured("nianbao --help", run.wall, cpu=run.cpu, rss=run.rss)
    report.target(
        "`nianbao --help`", "≤ 0.1 s", f"{run.wall:.3f} s（CPU {run.cpu:.3f} s）", run.wall <= 0.1
    )

    hundred = make_returns(100)
    one = hundred / "测试单位000000.xlsx"
    run = timed([*NIANBAO, "check", str(one)], max(repeat, 5))
    report.measured("nianbao check (1 file)", run.wall, cpu=run.cpu, n=1, rss=run.rss)
    report.target(
        "`nianbao check` 1 个文件",
        "≤ 0.5 s",
        f"{run.wall:.3f} s（CPU {run.cpu:.3f} s）",
        run.wall <= 0.5,
    )
    imports = timed(
        [
            sys.executable,
            "-c",
            "from nianbao.processes import one_thread_for_numerics; one_thread_for_numerics(); "
            "from nianbao.checks.schemas import import_pandera; import_pandera()",
        ],
        max(repeat, 5),
    )
    report.measured("  of which: importing pandas + pandera", imports.wall, cpu=imports.cpu)

    floors: dict[int, float] = {}
    merges: dict[int, Run] = {}
    tails: dict[int, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as scratch:
        for n in args.sizes:
            folder = make_returns(n)
            reps = repeat if n < 10_000 else 1
            floor = child("calamine", folder, repeat=reps)
            floors[n] = floor["wall"]
            report.measured(
                f"floor: calamine read, N={n}",
                floor["wall"],
                cpu=floor["cpu"],
                n=n,
                floor=floor["wall"],
            )
            if n <= args.openpyxl_up_to:
                ro = child("openpyxl-ro", folder, repeat=reps)
                report.measured(
                    f"floor: openpyxl read_only, N={n}", ro["wall"], n=n, floor=floors[n]
                )
            if n == 1000 or n == min(args.sizes):
                read = child("read", folder, repeat=reps)
                report.measured(
                    f"read (preflight + read_return), N={n}",
                    read["wall"],
                    cpu=read["cpu"],
                    n=n,
                    floor=floors[n],
                )
                report.measured(f"  of which preflight, N={n}", None, cpu=read["preflight_cpu"])
                report.measured(
                    f"  of which calamine (open, parse every sheet, convert cells), N={n}",
                    None,
                    cpu=read["grid_cpu"] - read["preflight_cpu"],
                )
                report.measured(
                    f"  of which the reader (find every copy, take and judge the figures), N={n}",
                    None,
                    cpu=read["cpu"] - read["grid_cpu"],
                )
                per = read["cpu"] / n * 1000
                report.target(
                    "读取每份报表（CPU）",
                    "≤ 1.3 ms",
                    f"{per:.2f} ms（其中安全检查 {read['preflight_cpu'] / n * 1000:.2f} ms）",
                    per <= 1.3,
                    f"{floor['cpu'] / n * 1000:.2f} ms",
                )
                validated = child("validate", folder)
                report.measured(
                    f"validate_returns (in process), N={n}", None, cpu=validated["cpu"], n=None
                )
            for jobs in (1, None):
                label = "--jobs 1" if jobs == 1 else "--jobs 默认"
                run = timed(
                    [*NIANBAO, "check", str(folder), "--format", "json"]
                    + (["--jobs", "1"] if jobs else []),
                    reps,
                )
                report.measured(
                    f"nianbao check N={n} {label}",
                    run.wall,
                    cpu=run.cpu,
                    n=n,
                    rss=run.rss,
                    floor=floors[n],
                )
                run = timed(merge_command(folder, Path(scratch) / f"s-{n}-{jobs}.xlsx", jobs), reps)
                note = "" if run.code in (0, 1) else f" (exit {run.code})"
                report.measured(
                    f"nianbao merge N={n} {label}{note}",
                    run.wall,
                    cpu=run.cpu,
                    n=n,
                    rss=run.rss,
                    floor=floors[n],
                )
                if jobs is None:
                    merges[n] = run
                if n == 1000 and jobs is None:
                    report.target(
                        "`merge` 1,000 份（默认 --jobs）",
                        "≤ 1.5 s",
                        f"{run.wall:.2f} s（CPU {run.cpu:.2f} s）",
                        run.wall <= 1.5,
                        f"{floors[n]:.2f} s",
                    )
                if n == 1000 and jobs == 1:
                    ratio = run.wall / floors[n]
                    report.target(
                        "`merge` 1,000 份 --jobs 1",
                        "≤ 2× floor",
                        f"{run.wall:.2f} s = {ratio:.1f}×",
                        ratio <= 2,
                        f"{floors[n]:.2f} s",
                    )
            if n >= 10_000:
                tail = child("tail", folder, count=2)
                tails[n] = tail
                share = tail["tail"] / tail["wall"]
                report.measured(
                    f"merge N={n}, 2 workers, in process (parent's peak RSS)",
                    tail["wall"],
                    n=n,
                    rss=tail["rss"],
                )
                report.measured(
                    f"  of which the serial tail (largest worker {tail['worker_rss']:.0f} MB)",
                    tail["tail"],
                )
                report.measured("    merge_reports (status, conflicts, sums)", tail["merging"])
                report.measured("    writing the summary workbook", tail["writing"])
                if n == 10_000:
                    report.target(
                        "串行尾部（10,000 份，2 个进程）",
                        "≤ 10 %",
                        f"{share * 100:.1f} %（{tail['tail']:.2f} / {tail['wall']:.2f} s）",
                        share <= 0.10,
                    )

        # Speed-up with workers on merge of 1,000.
        if 1000 in args.sizes and args.workers:
            folder = make_returns(1000)
            base = None
            cells = []
            for jobs in args.workers:
                run = timed(merge_command(folder, Path(scratch) / f"w-{jobs}.xlsx", jobs), repeat)
                base = base or run.wall
                report.measured(
                    f"merge N=1000 --jobs {jobs}", run.wall, cpu=run.cpu, n=1000, floor=floors[1000]
                )
                cells.append(f"{jobs}: {base / run.wall:.2f}×")
            report.target(
                f"进程数加速比（merge 1,000 份；本机 {os.cpu_count()} 核）",
                "随核数增加",
                "；".join(cells),
                None,
            )

    # 100,000: from the two largest in-process merges (the command's work less its start-up),
    # whose times are steadier than whole processes on a shared machine; memory is the
    # parent's own peak (it holds every return), beside the workers' (level whatever N).
    measured = sorted(tails)
    if merges and max(merges) >= args.extrapolate:
        r = merges[max(merges)]
        report.target(
            f"`merge` {max(merges):,} 份（实测）",
            "≤ 60 s, ≤ 1 GB",
            f"{r.wall:.0f} s, {r.rss:.0f} MB",
            r.wall <= 60 and r.rss <= 1024,
        )
    elif len(measured) >= 2:
        n1, n2 = measured[-2], measured[-1]
        r1, r2 = tails[n1], tails[n2]
        target_n = args.extrapolate
        t = r2["wall"] + (r2["wall"] - r1["wall"]) / (n2 - n1) * (target_n - n2)
        m = r2["rss"] + (r2["rss"] - r1["rss"]) / (n2 - n1) * (target_n - n2)
        workers = r2["worker_rss"]
        report.measured(
            f"merge N={target_n} (extrapolated from N={n1}, {n2})", t, n=target_n, rss=m
        )
        report.target(
            f"`merge` {target_n:,} 份（由 {n1:,} 与 {n2:,} 份线性外推）",
            "≤ 60 s, ≤ 1 GB",
            f"{t:.0f} s；主进程 {m:.0f} MB，每个读取进程 {workers:.0f} MB",
            t <= 60 and m + 2 * workers <= 1024,
        )

    patterns = make_returns(100)
    summary = child("summary", patterns, count=args.summary_members)
    report.measured(
        f"summary of {args.summary_members:,} members: merge_returns + write",
        summary["wall"],
        cpu=summary["cpu"],
        rss=summary["rss"],
    )
    report.target(
        f"汇总表本身（{args.summary_members:,} 个单位：求和并写出）",
        "≤ 1 s",
        f"{summary['wall']:.2f} s（CPU {summary['cpu']:.2f} s）",
        summary["wall"] <= 1,
    )
    breakdown = child("breakdown", patterns, count=args.members)
    per = breakdown["cpu"] / args.members * 1000
    report.measured(
        f"分单位明细 of {args.members:,} members",
        breakdown["wall"],
        cpu=breakdown["cpu"],
        n=args.members,
        rss=breakdown["rss"],
    )
    report.target(
        f"分单位明细（{args.members:,} 个单位，不设上限）",
        "≤ 0.3 ms/单位",
        f"{per:.3f} ms（CPU）",
        per <= 0.3,
    )

    report.print(args)


if __name__ == "__main__":
    main()
