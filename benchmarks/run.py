"""Time nianbao as whole processes, next to the floor of reading the same files, in one run.

    python benchmarks/run.py                 # N = 100 and 1000
    python benchmarks/run.py 100 1000 10000  # add 10,000 (generation takes ~30 s the first time)
    python benchmarks/run.py --repeat 5

Every figure is the median wall time of ``--repeat`` runs of a fresh process (so imports count),
and the peak memory (max RSS) of that process. The floors read the same cells of the same files
in one process: python-calamine (every sheet, to_python) and openpyxl ``load_workbook`` (the
naive peer), so each nianbao figure is also shown as a multiple of the calamine floor.
Prints a Markdown table; nothing here is a test.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from make_returns import WORK, make_returns  # noqa: E402

NIANBAO = shutil.which("nianbao") or "nianbao"

_FLOOR = """
import sys, time
from pathlib import Path
files = sorted(Path(sys.argv[2]).glob("*.xlsx"))
start = time.perf_counter()
if sys.argv[1] == "calamine":
    from python_calamine import CalamineWorkbook
    for f in files:
        wb = CalamineWorkbook.from_path(str(f))
        for name in wb.sheet_names:
            wb.get_sheet_by_name(name).to_python()
elif sys.argv[1] == "openpyxl":
    import openpyxl
    for f in files:
        wb = openpyxl.load_workbook(f, data_only=True)
        for ws in wb.worksheets:
            for row in ws.iter_rows(values_only=True):
                pass
elif sys.argv[1] == "openpyxl-ro":
    import openpyxl
    for f in files:
        wb = openpyxl.load_workbook(f, read_only=True, data_only=True)
        for ws in wb.worksheets:
            for row in ws.iter_rows(values_only=True):
                pass
        wb.close()
print(time.perf_counter() - start)
"""


def timed_rss(command: list[str], repeat: int) -> tuple[float, float, int]:
    """(median seconds, peak RSS in MB, exit code) of ``repeat`` fresh processes (os.wait4
    gives each process's own peak memory)."""
    times, peaks, code = [], [], 0
    for _ in range(repeat):
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(process.pid, 0)
        times.append(time.perf_counter() - start)
        peaks.append(usage.ru_maxrss / 1024)
        code = os.waitstatus_to_exitcode(status)
        process.returncode = code
    return statistics.median(times), max(peaks), code


def floor(engine: str, folder: Path, repeat: int) -> float:
    """Median in-process seconds to read every cell of every file (imports not counted)."""
    runs = []
    for _ in range(repeat):
        out = subprocess.run(
            [sys.executable, "-c", _FLOOR, engine, str(folder)], capture_output=True, text=True
        )
        runs.append(float(out.stdout.strip()))
    return statistics.median(runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[100, 1000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--openpyxl-up-to", type=int, default=1000, help="skip the slow openpyxl floors above N"
    )
    args = parser.parse_args()
    repeat = args.repeat
    rows: list[tuple[str, str, str, str, str]] = []

    def row(what: str, n: int | None, seconds: float, rss: float | None, floor_s: float | None):
        per = f"{seconds / n * 1000:.2f} ms" if n else ""
        ratio = f"{seconds / floor_s:.1f}×" if floor_s else ""
        rows.append((what, f"{seconds:.3f} s", per, f"{rss:.0f} MB" if rss else "", ratio))
        print(f"  {what}: {seconds:.3f} s", file=sys.stderr)

    seconds, rss, _ = timed_rss([NIANBAO, "--version"], repeat)
    row("nianbao --version", None, seconds, rss, None)
    seconds, rss, _ = timed_rss([NIANBAO, "--help"], repeat)
    row("nianbao --help", None, seconds, rss, None)
    with tempfile.TemporaryDirectory() as scratch:
        target = Path(scratch) / "模板.xlsx"
        seconds, rss, _ = timed_rss(
            [NIANBAO, "template", "--year", "2025", "-o", str(target), "--force"], repeat
        )
        row("nianbao template", None, seconds, rss, None)
        one = make_returns(100) / "测试单位000000.xlsx"
        seconds, rss, _ = timed_rss([NIANBAO, "check", str(one)], repeat)
        row("nianbao check (1 file)", 1, seconds, rss, None)
        for n in args.sizes:
            folder = make_returns(n)
            repeat = args.repeat if n < 10_000 else 1  # minutes per run at 10,000
            calamine = floor("calamine", folder, repeat)
            row(f"floor: calamine read, N={n}", n, calamine, None, calamine)
            if n <= args.openpyxl_up_to:  # 20-60 ms a file: minutes at 10,000
                readonly = floor("openpyxl-ro", folder, repeat)
                row(f"floor: openpyxl read_only, N={n}", n, readonly, None, calamine)
                naive = floor("openpyxl", folder, 1)
                row(f"peer: openpyxl load_workbook, N={n}", n, naive, None, calamine)
            for jobs in (1, 2):
                seconds, rss, _ = timed_rss(
                    [NIANBAO, "check", str(folder), "--jobs", str(jobs), "--format", "json"],
                    repeat,
                )
                row(f"nianbao check N={n} --jobs {jobs}", n, seconds, rss, calamine)
                summary = Path(scratch) / f"汇总-{n}-{jobs}.xlsx"
                seconds, rss, code = timed_rss(
                    [
                        NIANBAO,
                        "merge",
                        str(folder),
                        "--skip-invalid",
                        "--name",
                        "测试区",
                        "-o",
                        str(summary),
                        "--jobs",
                        str(jobs),
                    ],
                    repeat,
                )
                note = "" if code in (0, 1) else f" (exit {code})"
                row(f"nianbao merge N={n} --jobs {jobs}{note}", n, seconds, rss, calamine)

    print(
        f"\nMachine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}, {platform.system()} {platform.release()}"
    )
    print(
        f"Command: python benchmarks/run.py {' '.join(map(str, args.sizes))} --repeat {args.repeat}"
    )
    print("(N = 10,000 and above: one run each)")
    print(f"Files: {WORK}/returns-N (about 19 KB each; ~5% warnings, ~5% errors)\n")
    print("| what | median wall time | per return | peak RSS | × calamine floor |")
    print("|---|---:|---:|---:|---:|")
    for what, seconds, per, rss, ratio in rows:
        print(f"| {what} | {seconds} | {per} | {rss} | {ratio} |")
    print("\nFloors are in-process (imports excluded); nianbao figures are whole processes.")


if __name__ == "__main__":
    main()
