"""Read and validate many files: the pipeline ``check`` and ``merge`` share.

``check_paths`` expands folders, reads every file (in worker processes when ``jobs`` > 1),
turns every file that cannot be read into a report instead of an exception, and validates all
readable returns in one batched call. It never raises for a bad file.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import fields
from pathlib import Path
from typing import TYPE_CHECKING

from nianbao.errors import UserError
from nianbao.form import get_form
from nianbao.form.data import CellValues, FileReport, Return, cell_positions, cell_row
from nianbao.form.findings import Finding, Rule
from nianbao.outputs import refuse_overwriting_inputs

if TYPE_CHECKING:
    from nianbao.checks.engine import Previous

SPREADSHEET_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xls", ".xlsb", ".ods", ".et"})  # .et: WPS
# Published reports in a folder (the format is still decided by content; .doc is taken so that
# it is answered 「请另存为 .docx」 rather than passed over in silence). A .txt in a folder of
# returns is far more often a note than a report: a text report is read when named explicitly.
DOCUMENT_SUFFIXES = frozenset({".html", ".htm", ".pdf", ".docx", ".doc"})
INPUT_SUFFIXES = SPREADSHEET_SUFFIXES | DOCUMENT_SUFFIXES
_WHAT_WE_READ = "（.xlsx / .xlsm / .xls / .xlsb / .ods / .et）或年度报告（网页、PDF、Word）"
Progress = Callable[[int, int], None]  # (files done, files in all)

# Files per task sent to a worker: big enough to keep inter-process traffic cheap, small enough
# that the work spreads evenly and progress moves.
_MAX_CHUNK = 64
# Returns validated together while the rest is read: pandera's fixed cost per call is a few
# ms, so small batches keep validation overlapped with reading instead of left for the end.
VALIDATE_BATCH = 1_000


# -- finding the files ------------------------------------------------------------------------


def expand_paths(paths: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """Files as given, folders replaced by the workbooks and reports inside them (recursively,
    sorted; INPUT_SUFFIXES).

    Inside folders, Office lock files (``~$…``) and hidden files and folders are skipped. A file
    named explicitly is kept whatever its suffix (reading it will say what is wrong). Each file
    appears once.
    """
    found: list[Path] = []
    seen: set[object] = set()
    for given in paths:
        path = Path(given)
        candidates = _spreadsheets_in(path) if path.is_dir() else [path]
        for candidate in candidates:
            key = _identity(candidate)
            if key not in seen:
                seen.add(key)
                found.append(candidate)
    return found


def _spreadsheets_in(folder: Path) -> Iterator[Path]:
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.startswith((".", "~$")):
                continue
            if Path(name).suffix.lower() in INPUT_SUFFIXES:
                yield Path(root) / name


def _identity(path: Path) -> object:
    """What makes two spellings the same file: its device and inode (one stat, where
    resolving the path would lstat every component of it)."""
    try:
        stat = path.stat()
        return (stat.st_dev, stat.st_ino)
    except OSError:
        return path.absolute()


def input_files(paths: Sequence[str], output: Path | None = None) -> list[Path]:
    """The spreadsheets to read; ``output`` never counts as an input (a rerun into the same
    folder must not sum last run's summary into this one)."""
    given = [Path(p) for p in paths]
    if output is not None:
        refuse_overwriting_inputs(output, given)  # an output named as an input file
    files = expand_paths(given)
    if output is not None:
        target = output.resolve()
        # Only a file of that name can be the output; resolving all 100,000 paths costs seconds.
        files = [f for f in files if f.name != target.name or f.resolve() != target]
    if not files:
        raise UserError(f"没有找到要汇总的表格文件{_WHAT_WE_READ}。请检查给出的文件或文件夹。")
    return files


# -- reading ------------------------------------------------------------------------------------


def read_one(path: Path, *, unit: str | None = None, year: int | None = None) -> Return | Finding:
    """The Return in ``path``, or the Finding that says why it cannot be read. Never raises."""
    try:
        from nianbao.recognise.reader import UnknownLayout, read_return
        from nianbao.sources.preflight import UnreadableFile

        try:
            ret = read_return(path, unit=unit, year=year)
        except (UnreadableFile, UnknownLayout) as problem:
            return problem.finding
        return compact(ret)
    except Exception as error:  # last resort: a user must never see a traceback
        return unexpected(path, error)


def compact(ret: Return) -> Return:
    """``ret`` with its values as CellValues (a quarter of a dict's memory: a batch holds every
    return read), when they are cells of its form and nothing else."""
    values = ret.values
    if type(values) is not CellValues and values.keys() <= cell_positions(ret.form).keys():
        ret.values = CellValues.of(ret.form, values)
    return ret


def unexpected(path: Path, error: BaseException) -> Finding:
    return Finding(
        Rule.F01,
        f"文件「{path.name}」读取时遇到意外问题，未能校验。请在 Excel 或 WPS 中打开后另存为 .xlsx"
        f"（“Excel 工作簿”）再试；如仍不行，请把文件发给技术支持人员。",
        file=str(path),
        operands={"异常": type(error).__name__},
    )


def read_paths(
    paths: Sequence[Path],
    *,
    unit: str | None = None,
    year: int | None = None,
    jobs: int = 1,
    progress: Progress | None = None,
    on_read: Callable[[int, Return | Finding], None] | None = None,
) -> list[Return | Finding]:
    """Read every path (in ``jobs`` worker processes when > 1), in input order.

    ``on_read(index, item)`` is called as soon as each file is read (in completion order), so
    a caller can start work on early results while the workers read the rest.
    """
    jobs = (os.cpu_count() or 1) if jobs <= 0 else jobs
    total = len(paths)
    if jobs == 1 or total < 2 * jobs:
        results: list[Return | Finding] = []
        for done, path in enumerate(paths, start=1):
            results.append(read_one(path, unit=unit, year=year))
            if on_read:
                on_read(done - 1, results[-1])
            if progress:
                progress(done, total)
        return results
    return _read_parallel(
        paths, unit=unit, year=year, jobs=jobs, progress=progress, on_read=on_read
    )


def _read_parallel(
    paths: Sequence[Path],
    *,
    unit: str | None,
    year: int | None,
    jobs: int,
    progress: Progress | None,
    on_read: Callable[[int, Return | Finding], None] | None = None,
) -> list[Return | Finding]:
    from concurrent.futures import ProcessPoolExecutor, as_completed

    size = max(1, min(_MAX_CHUNK, -(-len(paths) // (jobs * 4))))
    chunks = [list(paths[i : i + size]) for i in range(0, len(paths), size)]
    results: list[list[Return | Finding] | None] = [None] * len(chunks)
    done = 0
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        futures = {pool.submit(_read_chunk, chunk, unit, year): i for i, chunk in enumerate(chunks)}
        # The workers are forked now; load what validation needs while they read, instead of
        # paying pandas' and pandera's ~0.5 s import after them.
        _warm_validation_imports()
        for future in as_completed(futures):
            i = futures[future]
            try:
                results[i] = [_unpack(item) for item in future.result()]
            except Exception as error:  # a worker died (e.g. killed for memory): those files fail
                results[i] = [unexpected(path, error) for path in chunks[i]]
            if on_read:
                for offset, item in enumerate(results[i]):  # type: ignore[arg-type]
                    on_read(i * size + offset, item)
            done += len(chunks[i])
            if progress:
                progress(done, len(paths))
    return [item for chunk in results if chunk is not None for item in chunk]


def _warm_validation_imports() -> None:
    import pandera.pandas  # noqa: F401


def _read_chunk(paths: list[Path], unit: str | None, year: int | None) -> list[object]:
    return [_pack(read_one(path, unit=unit, year=year)) for path in paths]


# A Return crosses the process boundary without its Form (a large object graph that the
# parent already has): the vintage and variant name it.
_RETURN_FIELDS = tuple(f.name for f in fields(Return) if f.name != "form")


def _pack(item: Return | Finding) -> object:
    # The cell values travel as one list in the form's cell order (no keys) and arrive as
    # CellValues: a quarter of a dict's memory, for the parent that holds every return.
    if isinstance(item, Finding):
        return item
    form = item.form
    fields = tuple(
        cell_row(form, compact(item).values) if name == "values" else getattr(item, name)
        for name in _RETURN_FIELDS
    )
    return (form.vintage, form.variant, fields)


def _unpack(item: object) -> Return | Finding:
    if isinstance(item, Finding):
        return item
    vintage, variant, packed = item  # type: ignore[misc]
    form = get_form(vintage, variant)
    fields = dict(zip(_RETURN_FIELDS, packed, strict=True))
    fields["values"] = CellValues(form, fields["values"])
    return Return(form=form, **fields)


# -- the pipeline -------------------------------------------------------------------------------


def check_paths(
    paths: Iterable[str | os.PathLike[str]],
    *,
    year: int | None = None,
    previous: Previous | str | os.PathLike[str] = None,
    jobs: int = 1,
    require_unit: bool = False,
    unit: str | None = None,
    progress: Progress | None = None,
) -> list[FileReport]:
    """Read and validate every file; one FileReport per file, in input order.

    ``previous``: last year's return (a Return, or the path of its file) compared with every
    return, or last year's returns by unit name; see ``validate.validate_returns``.
    Raises UserError only for bad arguments: no file at all, or a ``previous`` file that
    cannot be read.
    """
    from nianbao.checks.engine import validate_returns

    files = expand_paths(paths)
    if not files:
        raise UserError(f"没有找到要校验的表格文件{_WHAT_WE_READ}。请检查给出的文件或文件夹。")
    if isinstance(previous, str | os.PathLike):
        previous = load_previous(Path(previous), year=year - 1 if year else None)
    reports: list[FileReport | None] = [None] * len(files)
    waiting: list[FileReport] = []  # read, not yet validated

    def validate_waiting() -> None:
        if not waiting:
            return
        found = validate_returns(
            [r.ret for r in waiting],  # type: ignore[misc]
            previous=previous,
            year=year,
            require_unit=require_unit,
        )
        for report, findings in zip(waiting, found, strict=True):
            report.findings = findings
        waiting.clear()

    def on_read(index: int, item: Return | Finding) -> None:
        # Validation is per return, so batches can be validated while the rest is read.
        if isinstance(item, Return):
            reports[index] = FileReport(files[index], item, [])
            waiting.append(reports[index])  # type: ignore[arg-type]
            if len(waiting) >= VALIDATE_BATCH:
                validate_waiting()
        else:
            reports[index] = FileReport(files[index], None, [item])

    read_paths(files, unit=unit, year=year, jobs=jobs, progress=progress, on_read=on_read)
    validate_waiting()
    checked = [r for r in reports if r is not None]  # on_read fills every index
    for report in checked:
        report.findings = [f.at_file(str(report.path)) for f in report.findings]
    return checked


def load_previous(path: Path, *, year: int | None = None) -> Return | dict[str, Return]:
    """Last year's return for ``--previous``; a file that cannot be read is a UserError.

    A folder gives last year's returns by unit (unreadable files in it are skipped: the units
    concerned just get no cross-year checks).
    """
    if path.is_dir():
        from nianbao.text import unit_key

        returns = [
            item for item in read_paths(expand_paths([path]), year=year) if isinstance(item, Return)
        ]
        for ret in returns:
            ret.source = ret.source or str(path)
        return {unit_key(ret.unit): ret for ret in returns if ret.unit}
    item = read_one(path, year=year)
    if isinstance(item, Finding):
        raise UserError(f"上年报表（--previous）无法使用：{item.message}")
    if item.source is None:
        item.source = str(path)
    return item
