"""Read and validate many files: the pipeline ``check`` and ``merge`` share.

``check_paths`` expands folders, reads every file (in worker processes when ``jobs`` > 1),
turns every file that cannot be read into a report instead of an exception, and validates all
readable returns in one batched call. It never raises for a bad file.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, fields, replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from nianbao.errors import UserError, system_reason
from nianbao.form import get_form
from nianbao.form.data import CellValues, FileReport, Return, cell_positions, cell_row
from nianbao.form.findings import OTHER_TABLES_FOUND, PARTLY_FOUND, Finding, Rule, Severity
from nianbao.outputs import file_key, real_path, same_file
from nianbao.processes import processors

if TYPE_CHECKING:
    from nianbao.checks.engine import Previous
    from nianbao.checks.units import LastYear

# Names that say "workbook": such a file in a folder is meant to be a return, so a failure to
# read it is an error (F01–F04, L01), never a quiet 未读取. Files are read by content, though:
# a return saved without one of these names is read all the same. (.et, .ett: WPS)
WORKBOOK_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xls", ".xlsb", ".ods", ".et", ".ett"})
# Found in a folder, a text file is far more often a note than a report: it is listed as not
# read, unread (a text report is read when named explicitly).
NOTE_SUFFIXES = frozenset({".txt"})
_WHAT_WE_READ = "（.xlsx / .xlsm / .xls / .xlsb / .ods / .et）或年度报告（网页、PDF、Word）"
Progress = Callable[[int, int], None]  # (files done, files in all)

_MAX_CHUNK = 64  # files per task sent to a worker
# Returns validated together while the rest is read: pandera's fixed cost per call is a few
# ms, so small batches keep validation overlapped with reading instead of left for the end.
VALIDATE_BATCH = 1_000
# Files per worker from which the workers validate what they read: each then imports pandas
# and pandera (~0.45 s CPU), which pays once validation here (~0.09 ms a return, 0.2 s for
# 2,000) would cost as much; below it, this process validates, its one import overlapping the
# reading. Above it the parent holds no pandas (less memory) and has no batch left at the end.
WORKER_VALIDATION_FROM = 2_000


# -- finding the files ------------------------------------------------------------------------


@dataclass
class Inputs:
    """The files of a run: every file named, and every file inside the folders named.

    Nothing in a folder is passed over in silence: ``files`` are read (by content: a workbook
    named 说明.doc is read, a Word file named 某局.xlsx is refused as one); ``ignored`` are the
    lock files of Excel/WPS (``~$…``), hidden files and folders and system files (Thumbs.db),
    which the commands count in one line; ``problems`` are folders that could not be listed.
    """

    files: list[Path] = field(default_factory=list)
    named: list[bool] = field(default_factory=list)  # per file: named, not found in a folder
    ignored: list[Path] = field(default_factory=list)
    problems: list[tuple[Path, str]] = field(default_factory=list)  # (folder, why)
    # Files found in the command's own output location (last run's results), with why they
    # are not read: the one thing --force may replace inside an input folder.
    aside: list[tuple[Path, str]] = field(default_factory=list)

    @property
    def everything(self) -> list[Path]:
        """Every input found: what an output must never replace."""
        return [*self.files, *self.ignored]

    def set_aside(self, location: Path, why: str) -> None:
        """Take the files found in folders at or under ``location`` (an output file of this
        run, a side file or folder) out of the files to read (``take_aside``). A file named on
        the command line stays: an output that is one is refused (claim_outputs)."""
        if not location.exists():
            return
        where = real_path(location)
        key = file_key(location)
        self.take_aside(
            [
                path
                for path, named in zip(self.files, self.named, strict=True)
                if not named and (file_key(path) == key or where in real_path(path).parents)
            ],
            why,
        )

    def take_aside(self, paths: Iterable[Path], why: str) -> None:
        """Take ``paths`` (files found in folders) out of the files to read; ``notes`` names
        how many and ``why``."""
        chosen = set(paths)
        self.aside += [(path, why) for path in self.files if path in chosen]
        kept = [
            (p, named) for p, named in zip(self.files, self.named, strict=True) if p not in chosen
        ]
        self.files = [path for path, _ in kept]
        self.named = [named for _, named in kept]

    def set_aside_given(self, given: Iterable[str | os.PathLike[str] | None]) -> None:
        """Take the run's other inputs (a roster, an explanations file, last year's returns)
        out of the files to read when they lie in an input folder. One that holds every file
        to read is a UserError: it is the same folder given twice, not a side file."""
        for path in given:
            if not path:
                continue
            self._refuse_named_in(Path(path))
            before = len(self.files)
            self.set_aside(Path(path), GIVEN_FILES)
            if before and not self.files:
                raise UserError(
                    f"另行给出的 {path}（名册、说明文件或上年报表）包含了要读取的全部报表："
                    "同一个文件夹不能既作本年报表又作上年报表。请检查命令中的路径，"
                    "把上年报表放在另一个文件夹中给出。"
                )

    def _refuse_named_in(self, given: Path) -> None:
        """A file named as this year's that is (or lies in) another input of the run (last
        year's returns, above all): the same file cannot be both. A UserError, as a folder
        given twice is (``check F --previous F`` as ``merge DIR --previous DIR``)."""
        if not given.exists():
            return
        where = real_path(given)
        for path, named in zip(self.files, self.named, strict=True):
            if not named:  # found in a folder: set aside, if it is there (set_aside)
                continue
            itself = same_file(path, given)
            if itself or where in real_path(path).parents:
                how = "又作为" if itself else f"又在另行给出的 {given} 之中，作为"
                raise UserError(
                    f"{path} 既作为本年报表给出，{how}名册、说明文件或上年报表给出："
                    "同一个文件不能既作本年报表又作上年报表。请检查命令中的路径，"
                    "把上年报表放在另一个文件夹中给出。"
                )

    def notes(self) -> list[str]:
        """The lines that account for every file found and not read."""
        lines = [self.ignored_line()] if self.ignored else []
        by_why: dict[str, int] = {}
        for _, why in self.aside:
            by_why[why] = by_why.get(why, 0) + 1
        lines += [f"已跳过 {n} 个{why}。" for why, n in by_why.items()]
        return [line for line in lines if line]

    def ignored_line(self) -> str | None:
        """「已跳过 … 个」: the one line that accounts for the ignored files."""
        if not self.ignored:
            return None
        locks = sum(1 for p in self.ignored if p.name.startswith(_LOCK_PREFIX))
        parts = [f"{locks} 个 Excel / WPS 临时锁定文件（~$ 开头）"] if locks else []
        if len(self.ignored) > locks:
            parts.append(f"{len(self.ignored) - locks} 个隐藏文件或系统文件")
        return f"已跳过 {'和 '.join(parts)}：它们不是报表。"


GIVEN_FILES = "本次另行给出的名册、说明文件或上年报表（不作为本年报表读取）"
_LOCK_PREFIX = "~$"
# Files an operating system puts in folders by itself.
_SYSTEM_FILES = frozenset({"thumbs.db", "ehthumbs.db", "desktop.ini", "icon\r"})


# Excel's and WPS's lock file names its owner in a few hundred bytes: a 「~$」 file larger than
# this is a workbook saved under such a name (a return), never passed over as a lock file.
_LOCK_FILE_AT_MOST = 4096


def _ignored(path: Path) -> bool:
    name = path.name
    if name.startswith(".") or name.casefold() in _SYSTEM_FILES:
        return True
    if not name.startswith(_LOCK_PREFIX):
        return False
    try:
        return path.stat().st_size <= _LOCK_FILE_AT_MOST
    except OSError:
        return True


def input_files_within(paths: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """The files inside those of ``paths`` that are folders (last year's returns given with
    --previous): inputs an output must never replace."""
    return scan_inputs([p for p in paths if os.path.isdir(p)]).everything


def scan_inputs(paths: Iterable[str | os.PathLike[str]]) -> Inputs:
    """Files as given, folders replaced by every file inside them (recursively, sorted;
    linked folders too, each folder once).

    A file named explicitly is always read (reading it says what is wrong with it). Each
    file appears once, however many times or ways it is named; found in a folder both as
    itself and through a symbolic link, by its own name.
    """
    inputs = Inputs()
    seen: dict[object, int] = {}

    def add(candidate: Path, named: bool) -> None:
        key = file_key(candidate)
        if key not in seen:
            seen[key] = len(inputs.files)
            inputs.files.append(candidate)
            inputs.named.append(named)
        elif named:  # found in a folder and named as well: named wins
            inputs.named[seen[key]] = True
        elif (
            not inputs.named[seen[key]]
            and inputs.files[seen[key]].is_symlink()
            and not candidate.is_symlink()
        ):
            inputs.files[seen[key]] = candidate  # a link found first: the file's own name

    for given in paths:
        path = Path(given)
        if path.is_dir():
            for found in _files_in(path, inputs):
                add(found, False)
        else:
            add(path, True)
    return inputs


def expand_paths(paths: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """The files ``scan_inputs`` would read, in order."""
    return scan_inputs(paths).files


def _files_in(folder: Path, inputs: Inputs) -> Iterator[Path]:
    def unlisted(error: OSError) -> None:
        where = Path(error.filename) if error.filename else folder
        inputs.problems.append((where, system_reason(error)))

    # A linked folder (a shared drive mapped as a link) is read like any other; each folder
    # once, by its (device, inode), so that a link back up the tree or to a folder read
    # already neither loops nor reads its files twice.
    seen: set[tuple[int, int]] = set()
    for root, dirs, files in os.walk(folder, onerror=unlisted, followlinks=True):
        try:
            info = os.stat(root)
        except OSError as error:
            inputs.problems.append((Path(root), system_reason(error)))
            dirs[:] = []
            continue
        if (info.st_dev, info.st_ino) in seen:
            dirs[:] = []
            continue
        seen.add((info.st_dev, info.st_ino))
        hidden = [d for d in dirs if d.startswith(".")]
        inputs.ignored += [Path(root) / d for d in sorted(hidden)]
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if _ignored(Path(root) / name):
                inputs.ignored.append(Path(root) / name)
            else:
                yield Path(root) / name


def input_files(paths: Sequence[str | os.PathLike[str]]) -> Inputs:
    """The files to read; a UserError when there is none at all."""
    inputs = scan_inputs(paths)
    if not inputs.files and not inputs.problems:
        raise UserError(
            f"没有找到要校验的表格文件{_WHAT_WE_READ}：给出的文件夹是空的"
            "（或只有临时锁定文件、隐藏文件）。请检查给出的文件或文件夹。"
        )
    return inputs


def _not_a_return(report_path: Path, named: bool, finding: Finding) -> Finding:
    """A file found in a folder that is not a return at all (a Word note, a PDF, an archive,
    a workbook without the statutory tables under a name that is not a workbook's, nianbao's
    own annotated copy): listed as 未读取 (F05, a warning), not counted as unreadable.

    A file named on the command line, or named like a workbook (某局.xlsx), that cannot be read
    stays an error: it was meant to be a return.
    """
    if named:
        return finding
    if finding.rule is Rule.F05:
        return replace(finding, severity=Severity.WARNING)
    if finding.rule is Rule.L01 and (
        finding.operands.get(PARTLY_FOUND) or finding.operands.get(OTHER_TABLES_FOUND)
    ):
        return finding  # a report whose table is broken, or missing beside the others
    if finding.rule in (Rule.F02, Rule.L01) and report_path.suffix.lower() not in WORKBOOK_SUFFIXES:
        return Finding(
            Rule.F05,
            f"未读取：{finding.message}",
            severity=Severity.WARNING,
            file=finding.file,
            operands={"原因": finding.rule.id},
        )
    return finding


# -- reading ------------------------------------------------------------------------------------


def read_one(path: Path, *, unit: str | None = None, year: int | None = None) -> Return | Finding:
    """The Return in ``path``, or the Finding that says why it cannot be read. Never raises.

    A summary's 分单位明细 is read too (a second pass over the file, summaries only): its
    members' names (``member_names``: a unit counted in two summaries is reported twice, M01)
    and M10 in its notes where its tables are not the sum of those members."""
    read = read_with_members(path, unit=unit, year=year)
    return read if isinstance(read, Finding) else read[0]


# A file read with its members: a summary's as its 分单位明细 lists them, else None.
WithMembers = tuple[Return, list[Return] | None]


def read_with_members(
    path: Path, *, unit: str | None = None, year: int | None = None
) -> WithMembers | Finding:
    """``read_one``, with a summary's members as its 分单位明细 lists them (None for a return,
    and for a summary without a breakdown nianbao can read): the one reading of a summary's
    breakdown, for whoever needs its members (``--previous``, ``merge --compare``)."""
    try:
        from nianbao.recognise.reader import UnknownLayout, read_return
        from nianbao.sources.preflight import UnreadableFile

        try:
            ret = read_return(path, unit=unit, year=year)
        except (UnreadableFile, UnknownLayout) as problem:
            return problem.finding
        members = None
        if ret.kind == "summary":
            from nianbao.pipeline.breakdown import read_members

            members = read_members(path, ret)
        return compact(ret), members
    except MemoryError:
        return crashed(path, "内存不足")
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
        f"文件「{path.name}」读取时遇到意外问题，未能校验。请用原来的软件（Excel、WPS 或 Word）"
        f"打开后重新保存再试（从网站下载的年度报告请重新下载）；如仍不行，请把文件发给技术支持人员。",
        file=str(path),
        operands={"异常": type(error).__name__},
    )


def crashed(path: Path, how: str) -> Finding:
    """F04 for a file whose reading kills the reader (twice, the second time alone)."""
    return Finding(
        Rule.F04,
        f"文件「{path.name}」读取时使读取程序异常终止（{how}），为安全起见未予读取，"
        "同批其他文件不受影响。文件可能已损坏，或含有异常内容（如在极远的单元格误输入了数据）："
        "请在 Excel 或 WPS 中打开检查后重新保存为 .xlsx 再报送。",
        file=str(path),
        operands={"终止方式": how},
    )


def read_paths(
    paths: Sequence[Path],
    *,
    unit: str | None = None,
    year: int | None = None,
    jobs: int = 1,
    progress: Progress | None = None,
    on_read: Callable[[int, Return | Finding], None] | None = None,
    on_start: Callable[[], None] | None = None,
    finish: Callable[[list[tuple[int, Any]]], Any] | None = None,
    on_finish: Callable[[Any], None] | None = None,
) -> list[Return | Finding]:
    """Read every path, in input order, in worker processes (``jobs`` of them; 0: one per
    processor) that may crash without harming the rest: see pipeline/isolation.py. A file
    whose reading kills its worker twice gets F04.

    ``on_read(index, item)`` is called as soon as each file is read (in completion order), so
    a caller can start work on early results while the workers read the rest. ``on_start``
    runs once the workers are reading (to overlap the caller's imports with them).
    ``finish``/``on_finish``: a step run in the workers on each chunk they read (see
    ``run_isolated``); not run when the files are read here.
    """
    read = _read_all(
        paths,
        members=False,
        unit=unit,
        year=year,
        jobs=jobs,
        progress=progress,
        on_read=on_read,
        on_start=on_start,
        finish=finish,
        on_finish=on_finish,
    )
    return cast(list[Return | Finding], read)


def read_paths_with_members(
    paths: Sequence[Path], *, year: int | None = None, jobs: int = 1
) -> list[WithMembers | Finding]:
    """``read_paths``, each summary with the members its 分单位明细 lists (``read_with_members``:
    read in the same pass as the summary, never a second time)."""
    read = _read_all(paths, members=True, year=year, jobs=jobs)
    return cast(list[WithMembers | Finding], read)


def _read_all(
    paths: Sequence[Path],
    *,
    members: bool,
    unit: str | None = None,
    year: int | None = None,
    jobs: int = 1,
    progress: Progress | None = None,
    on_read: Callable[[int, Any], None] | None = None,
    on_start: Callable[[], None] | None = None,
    finish: Callable[[list[tuple[int, Any]]], Any] | None = None,
    on_finish: Callable[[Any], None] | None = None,
) -> list[Any]:
    """``read_paths`` (``members``: ``read_paths_with_members``)."""
    from nianbao.pipeline.isolation import Crash, run_isolated, worth_a_process

    jobs = processors() if jobs <= 0 else jobs
    total = len(paths)
    results: list[Any] = [None] * total
    done = 0

    def take(index: int, item: Any) -> None:
        nonlocal done
        results[index] = item
        done += 1
        if on_read:
            on_read(index, item)
        if progress:
            progress(done, total)

    if not worth_a_process(total, jobs):
        if on_start:
            on_start()
        for index, path in enumerate(paths):
            if members:
                take(index, read_with_members(path, unit=unit, year=year))
            else:
                take(index, read_one(path, unit=unit, year=year))
    else:

        def received(index: int, packed: object) -> None:
            if isinstance(packed, Crash):
                take(index, crashed(paths[index], packed.how))
            elif isinstance(packed, _PackedWithMembers):
                take(index, packed.unpack())
            else:
                take(index, _unpack(packed))

        # Files per task: big enough to keep inter-process traffic cheap, small enough that
        # the work spreads evenly and progress moves.
        size = max(1, min(_MAX_CHUNK, -(-total // (jobs * 4))))
        run_isolated(
            _read_packed,
            paths,
            args=(unit, year, members),
            jobs=jobs,
            chunk=size,
            on_result=received,
            on_start=on_start,
            finish=finish,
            on_finish=on_finish,
        )
    return results  # every index was filled


def warm_validation_imports() -> None:
    """Load what validation needs (pandas, pandera: ~0.5 s) while the workers read."""
    import pandera.pandas  # noqa: F401


@dataclass(frozen=True)
class _Validation:
    """What validating returns needs besides the returns: check_paths' options."""

    previous: LastYear | None
    year: int | None
    require_unit: bool
    summing: bool

    def __call__(self, returns: Sequence[Return]) -> list[list[Finding]]:
        from nianbao.checks.engine import validate_returns

        return validate_returns(
            returns,
            previous=self.previous,
            year=self.year,
            require_unit=self.require_unit,
            summing=self.summing,
        )


def _validate_read(
    results: list[tuple[int, object]], validation: _Validation
) -> list[tuple[int, list[Finding]]]:
    """In a worker, after a chunk: the findings of the returns it has just read and sent
    (packed), so the parent only gathers. Never raises: what cannot be validated here is
    validated by the parent."""
    try:
        read = [(index, _unpack(packed)) for index, packed in results if type(packed) is tuple]
        found = validation([ret for _, ret in read])  # type: ignore[misc]
        return [(index, findings) for (index, _), findings in zip(read, found, strict=True)]
    except Exception:
        return []


def _read_packed(path: Path, unit: str | None, year: int | None, members: bool = False) -> object:
    if not members:
        return _pack(read_one(path, unit=unit, year=year))
    read = read_with_members(path, unit=unit, year=year)
    if isinstance(read, Finding):
        return read
    ret, members_read = read
    return _PackedWithMembers(
        _pack(ret), None if members_read is None else tuple(map(_pack, members_read))
    )


@dataclass(frozen=True)
class _PackedWithMembers:
    """A file read with its members (``read_paths_with_members``), packed to cross the process
    boundary: the return and each member as ``_pack`` packs them."""

    ret: object
    members: tuple[object, ...] | None

    def unpack(self) -> WithMembers:
        ret = _unpack(self.ret)
        members = None if self.members is None else [_unpack(m) for m in self.members]
        assert isinstance(ret, Return)
        return ret, cast(list[Return] | None, members)


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
    # Any: the packed fields are Return's own, in _RETURN_FIELDS order (see _pack).
    vintage, variant, packed = cast(tuple[str, str, tuple[Any, ...]], item)
    form = get_form(vintage, variant)
    fields: dict[str, Any] = dict(zip(_RETURN_FIELDS, packed, strict=True))
    fields["values"] = CellValues(form, fields["values"])
    return Return(form=form, **fields)


# -- the pipeline -------------------------------------------------------------------------------


def check_paths(
    paths: Inputs | Iterable[str | os.PathLike[str]],
    *,
    year: int | None = None,
    previous: Previous | str | os.PathLike[str] = None,
    jobs: int = 1,
    require_unit: bool = False,
    summing: bool = False,
    unit: str | None = None,
    progress: Progress | None = None,
    validate: bool = True,
    one_season: bool = False,
) -> list[FileReport]:
    """Read and validate every file; one FileReport per file, in input order.

    ``paths``: files and folders, or what ``input_files`` found in them. Files in folders that
    are no return at all are reported as skipped (未读取, F05); a folder that cannot be listed
    is reported as unreadable.
    ``previous``: last year's return (a Return, or the path of its file) compared with every
    return, or last year's returns by unit name (or a folder of them); see
    ``checks.engine.validate_returns``.
    ``require_unit``: every return must name its unit (merge, publish); ``summing``: the
    returns are to be added up cell by cell (merge), see ``checks.engine.validate_returns``.
    ``validate=False``: read only (export); readable returns get no findings.
    ``one_season``: the workbooks are one year's collection (check, status, merge): without
    ``year``, those for another year than most of them get C03 (merge's M03 is left for a
    batch with no most common year; export and publish may take several years at once).
    Raises UserError only for bad arguments: no file at all, or a ``previous`` that cannot
    be used.
    """
    from nianbao.checks.engine import previous_index

    inputs = paths if isinstance(paths, Inputs) else input_files(list(paths))
    if isinstance(previous, str | os.PathLike):
        previous = load_last_year(previous, year=year - 1 if year else None)
    # Last year's returns indexed once, here, not once per batch (nor per worker).
    last_year = previous_index(previous)
    run = _Checking(inputs)
    to_read = run.to_read()
    if last_year is not None and last_year.single and len(to_read) > 1:
        last_year = last_year.by_units_only()  # one unit's return is not everyone's
    # Last year's figures are compared once all are read: the pairing with last year's
    # returns is one to one over the whole batch (checks.engine.previous_findings).
    validation = _Validation(None, year, require_unit, summing)
    run.validation = validation if validate else None
    in_workers = validate and _validated_in_workers(len(to_read), jobs)
    read_paths(
        [inputs.files[i] for i in to_read],
        unit=unit,
        year=year,
        jobs=jobs,
        progress=progress,
        on_read=lambda index, item: run.on_read(to_read[index], item, here=not in_workers),
        on_start=warm_validation_imports if validate and not in_workers else None,
        finish=partial(_validate_read, validation=validation) if in_workers else None,
        on_finish=(lambda found: run.on_validated(found, to_read)) if in_workers else None,
    )
    reports = run.reports_in_order()
    if validate and last_year is not None:
        _compare_with_last_year(reports, last_year)
    if validate and one_season and year is None:
        _odd_years(reports)
    return reports


def _compare_with_last_year(reports: Sequence[FileReport], last_year: LastYear) -> None:
    """Each readable return's cross-year findings, after its others: all paired at once."""
    from nianbao.checks.engine import previous_findings

    read = [report for report in reports if report.ret is not None]
    found = previous_findings([cast(Return, report.ret) for report in read], last_year)
    for report, more in zip(read, found, strict=True):
        report.findings += [f.at_file(str(report.path)) for f in more]


def _odd_years(reports: Sequence[FileReport]) -> None:
    """C03 on the workbooks of a batch whose year is not the one most of them give, when no
    year was asked for: one unit's last-year return in this year's folder would otherwise
    pass check and count as reported in status. Published reports are left alone (an auditor
    reads several years' reports at once); so is a batch where no year is the most common."""
    from nianbao.checks.engine import wrong_year

    returns = [r for r in reports if r.ret is not None and not r.ret.document]
    batch = Counter(r.ret.year for r in returns if r.ret is not None and r.ret.year is not None)
    if len(batch) < 2:
        return
    (most, count), (_, runner_up) = batch.most_common(2)
    if count == runner_up:
        return
    for report in returns:
        assert report.ret is not None
        if report.ret.year is not None and report.ret.year != most:
            report.findings.append(wrong_year(report.ret, most, batch))


def _validated_in_workers(files: int, jobs: int) -> bool:
    """Where each worker reads many files, it validates the returns it reads (a chunk at a
    time), so this process only gathers (and never imports pandas); otherwise they are
    validated here in batches while the rest is read, this process's imports overlapping the
    workers' reading (see WORKER_VALIDATION_FROM)."""
    from nianbao.pipeline.isolation import worth_a_process

    workers = min(files, processors() if jobs <= 0 else jobs)
    return worth_a_process(files, jobs) and files >= WORKER_VALIDATION_FROM * max(workers, 1)


class _Checking:
    """The reports of one check_paths call, filled as files are read and validated."""

    def __init__(self, inputs: Inputs) -> None:
        self.inputs = inputs
        self.validation: _Validation | None = None  # None: read only
        self.reports: list[FileReport | None] = [None] * len(inputs.files)
        self.waiting: list[FileReport] = []  # read, to be validated here
        self.validated: set[int] = set()  # report indices validated (here or in a worker)

    def to_read(self) -> list[int]:
        """The indices of the files to read; text files found in folders are noted instead."""
        indices = []
        for index, path in enumerate(self.inputs.files):
            if not self.inputs.named[index] and path.suffix.lower() in NOTE_SUFFIXES:
                self.reports[index] = FileReport(path, None, [_text_note(path)])
            else:
                indices.append(index)
        return indices

    def on_read(self, index: int, item: Return | Finding, *, here: bool) -> None:
        path = self.inputs.files[index]
        if not isinstance(item, Return):
            finding = _not_a_return(path, self.inputs.named[index], item)
            self.reports[index] = FileReport(path, None, [finding])
            return
        report = self.reports[index] = FileReport(path, item, [])
        if self.validation is not None and here:
            self.waiting.append(report)
            self.validated.add(index)
            if len(self.waiting) >= VALIDATE_BATCH:
                self.validate_waiting()

    def on_validated(self, found: list[tuple[int, list[Finding]]], to_read: list[int]) -> None:
        for index, findings in found:
            report = self.reports[to_read[index]]
            assert report is not None  # a chunk's results arrive before its findings
            report.findings = findings
            self.validated.add(to_read[index])

    def validate_waiting(self) -> None:
        if not self.waiting or self.validation is None:
            return
        returns = [r.ret for r in self.waiting if r.ret is not None]
        for report, findings in zip(self.waiting, self.validation(returns), strict=True):
            report.findings = findings
        self.waiting.clear()

    def reports_in_order(self) -> list[FileReport]:
        if self.validation is not None:
            # returns no worker validated (one died while validating, or none could start)
            self.waiting += [
                r for i, r in enumerate(self.reports) if r and r.ret and i not in self.validated
            ]
        self.validate_waiting()
        checked = [r for r in self.reports if r is not None]  # on_read fills every index
        for report in checked:
            report.findings = [f.at_file(str(report.path)) for f in report.findings]
        checked += [_unlisted(folder, why) for folder, why in self.inputs.problems]
        return checked


def _text_note(path: Path) -> Finding:
    return Finding(
        Rule.F05,
        f"未读取：文件「{path.name}」是文本文件，文件夹中的文本文件多为说明，不作为报表读取。"
        "如是文本格式的年度报告，请在命令中单独给出这个文件。",
        severity=Severity.WARNING,
        file=str(path),
    )


def _unlisted(folder: Path, why: str) -> FileReport:
    finding = Finding(
        Rule.F01,
        f"文件夹「{folder}」无法打开（{why}），其中的文件都没有读取。请检查文件夹的访问权限。",
        file=str(folder),
    )
    return FileReport(folder, None, [finding])


def load_last_year(path: str | os.PathLike[str], *, year: int | None = None) -> LastYear:
    """Last year's returns for ``--previous``: a folder of returns, a summary (its members
    read back from its 分单位明细), or one unit's return. A file that cannot be used is a
    UserError.

    In a folder, a summary stands for the members its 分单位明细 lists (a folder of last
    year's group summaries is a folder of their units); one without a readable 分单位明细 is
    added to last year's total, but its units cannot be paired (said in the note). Files that
    cannot be read are named in the note, once; their units get X7, which says so. One unit
    found twice (two returns, a return and a summary's member row, two summaries' rows) is a
    UserError naming both, as two returns of one unit are for merge (M01): which one holds
    last year's figures cannot be guessed.
    """
    from nianbao.checks.units import LastYear

    source = Path(path)
    if source.is_dir():
        return _last_year_folder(source, year)
    read = read_with_members(source, year=year)
    if isinstance(read, Finding):
        raise UserError(f"上年报表（--previous）无法使用：{read.message}")
    item, members = read
    item.source = item.source or str(source)
    if item.kind != "summary":
        return LastYear(str(source), [item], item)
    if members is None:
        note = "上年汇总表中没有分单位明细，只能与上年汇总数对比，不能逐个单位核对。"
        return LastYear(str(source), [], item, note)
    _refuse_contradicted(item, source)
    _refuse_twice(members, str(source))
    return LastYear(str(source), members, item, summaries=((item, tuple(members)),))


def _last_year_folder(source: Path, year: int | None) -> LastYear:
    from nianbao.checks.units import LastYear
    from nianbao.pipeline.merge import sum_returns

    paths = expand_paths([source])
    returns: list[Return] = []  # by unit: returns, and the members of summaries
    parts: list[Return] = []  # what last year's total adds up
    unread: list[tuple[str, str, bool]] = []
    without_members: list[str] = []
    opaque: list[Return] = []  # summaries whose units cannot be told (no 分单位明细)
    summaries: list[tuple[Return, tuple[Return, ...]]] = []
    seen = _Seen(f"上年报表文件夹 {source}")
    for path, read in zip(paths, read_paths_with_members(paths, year=year), strict=True):
        if isinstance(read, Finding):
            unread.append(_unread(path, read))
            continue
        item, members = read  # a summary's members: read with it, once
        item.source = item.source or str(path)
        if item.kind != "summary":
            if seen.add(item, str(path)):
                returns.append(item)
                parts.append(item)
            continue
        _refuse_contradicted(item, path)
        if members is None:
            without_members.append(str(path))
            opaque.append(item)
            continue
        members = [
            member
            for member in members
            if seen.add(member, f"{path}（{item.unit or '汇总表'}的分单位明细）")
        ]
        returns.extend(members)
        parts.extend(members)
        summaries.append((item, tuple(members)))
    notes = []
    if without_members and parts:
        # beside other returns its units may be among theirs: added to them, they could count twice
        notes.append(
            f"上年汇总表 {'、'.join(without_members)} 没有可读的分单位明细，无法确定其中的单位是否"
            "与文件夹中其他报表重复，未计入上年合计，其中的单位也不能逐个核对。"
        )
    elif without_members:
        parts.extend(opaque)
        notes.append(
            f"上年汇总表 {'、'.join(without_members)} 没有可读的分单位明细，只能与上年合计对比，"
            "其中的单位不能逐个核对。"
        )
    if unread:
        listed = "；".join(f"{Path(p).name}（{why}）" for p, why, _ in unread)
        notes.append(f"上年报表文件夹中有 {len(unread)} 个文件未能读取，未用于跨年核对：{listed}。")
    if not parts:
        raise UserError(
            f"上年报表文件夹（--previous）{source} 中没有可以读取的统计表。" + "".join(notes)
        )
    total = sum_returns(parts)
    if total is not None:  # named as the folder whose returns it adds up
        total.source = str(source)
    return LastYear(
        str(source),
        returns,
        total,
        "".join(notes),
        tuple(unread),
        tuple(parts),
        summaries=tuple(summaries),
        summed=sum_returns,
    )


def _unread(path: Path, finding: Finding) -> tuple[str, str, bool]:
    """A file of last year's folder that is no return: (path, why, whether it is an error:
    a broken return, not a Word note)."""
    listed = _not_a_return(path, False, finding)
    if not listed.is_error:
        return str(path), "不是报表", False
    return str(path), f"{finding.rule.id} {finding.rule.title}", True


class _Seen:
    """Last year's units found so far in a folder, matched as every unit is (by code, then
    name: ``checks.units.UnitIndex``): one found again is a UserError naming both sources."""

    def __init__(self, where: str) -> None:
        from nianbao.checks.units import UnitIndex

        self.where = where  # 「上年报表文件夹 去年/」
        # (return, where it was found), by its code, its cover name and the name it was issued to
        self.found: UnitIndex[tuple[Return, str]] = UnitIndex(
            (), lambda f: f[0].unit, lambda f: f[0].code
        )

    def add(self, ret: Return, where: str) -> bool:
        """Whether ``ret`` is a unit not found before; False for a copy of one found (the same
        figures: a report published as .docx and .html), which says nothing more."""
        from nianbao.checks.status import same_figures
        from nianbao.checks.units import same_unit

        for earlier, first in self.found.candidates(ret.code, ret.unit, ret.issued):
            if same_unit(earlier, ret):
                if same_figures(earlier, ret):
                    return False
                raise UserError(
                    f"{self.where} 中单位「{ret.unit or ret.issued}」有两份报表："
                    f"{first} 和 {where}。不知道哪一份是上年的数字，不能用于跨年核对。"
                    "请只保留一份（单位的更正报表请用来重新生成上年汇总表，不要与汇总表放在一起），"
                    "再用 --previous 核对。"
                )
        self.found.add((ret, where), ret.issued)
        return True


def _refuse_twice(members: Sequence[Return], source: str) -> None:
    """A summary whose 分单位明细 lists one unit twice: which row is last year's is unknown."""
    seen = _Seen(f"上年汇总表（--previous）{source}")
    for member in members:
        seen.add(member, f"{source}（分单位明细中「{member.unit}」一行）")


def _refuse_contradicted(item: Return, source: Path) -> None:
    contradictions = [f for f in item.notes if f.rule is Rule.M10]
    if contradictions:
        # Its total and its members cannot both be last year's figures.
        raise UserError(
            f"上年汇总表（--previous）{source} 与它自己的分单位明细不一致（{len(contradictions)} 处），"
            f"不知道哪一边是上年的数字，不能用于跨年核对。{contradictions[0].message}"
            "请改用上年各单位报表所在的文件夹，或由各单位报表重新生成的上年汇总表。"
        )
