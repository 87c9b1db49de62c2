"""Safe file output: atomic writes, no clobbering (of inputs ever, of other files without
--force), stale temporaries of killed runs removed, file names from unit names."""

from __future__ import annotations

import contextlib
import os
import re
import stat
import tempfile
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from nianbao.errors import UserError, system_reason
from nianbao.text import visible

# Characters Windows forbids in file names, control characters, and path separators.
_UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')
_RESERVED = {
    "CON",
    "PRN",
    "AUX",
    "NUL",
    *(f"COM{i}" for i in range(1, 10)),
    *(f"LPT{i}" for i in range(1, 10)),
}
_MAX_NAME_BYTES = 180  # leaves room for a suffix within the usual 255-byte limit

# The targets claim_outputs found absent: written only if they are still absent when the
# output is complete (another run writing the same name, or a person saving a file there
# meanwhile, is never overwritten). Absolute paths.
_FRESH: set[str] = set()


def safe_filename(name: str, fallback: str = "未命名单位", *, after: str = "") -> str:
    """A file name (without suffix) made from a unit name that cannot leave its folder;
    ``after`` (safe already: 「2024年政府信息公开工作年度报告」) is kept whole after it, the
    name cut to make room, so that a long name does not cut off what names the file's kind."""
    # Invisible characters (zero-width spaces, direction overrides) are dropped, not replaced:
    # they were never seen, and an override would show the suffix reversed.
    text = unicodedata.normalize("NFC", visible(name))
    text = _UNSAFE.sub("_", text).strip().strip(".")
    text = re.sub(r"\s+", " ", text)
    if not text or set(text) <= {"_", " "}:
        text = fallback
    if text.upper().split(".")[0] in _RESERVED:
        text = f"_{text}"
    while len((text + after).encode("utf-8")) > _MAX_NAME_BYTES:
        text = text[:-1]
    return text + after


# Temporary files are named after their target and writer: ``.{name}.nianbao-{pid}-{random}.tmp``.
# A run killed outright (SIGKILL, power cut) cannot remove its own; the next run that writes the
# same target removes those whose writer is gone.
_TEMP_TAG = ".nianbao-"
_TEMP_SUFFIX = ".tmp"


# A temporary name is its target's name plus at most this many bytes: ".", the tag, a process
# id (up to 10 digits), "-", mkstemp's 8 random characters and the suffix.
_TEMP_EXTRA_BYTES = 1 + len(_TEMP_TAG) + 10 + 1 + 8 + len(_TEMP_SUFFIX)
_NAME_MAX = 255  # bytes in one file name: Linux, macOS, Windows alike (where not told otherwise)
_PATH_MAX = 4096  # bytes in a whole path (Linux), the terminating NUL included


def _temp_stem(target: Path) -> str:
    """The target's name as its temporary files carry it: whole when the temporary name fits in
    a file name, else cut (at a character) and made unique with a short hash of the whole name,
    so that a target whose own name fits can always be written."""
    name = target.name
    room = limits(target.parent)[0] - _TEMP_EXTRA_BYTES
    if len(os.fsencode(name)) <= room:
        return name
    import hashlib

    tag = "~" + hashlib.sha256(os.fsencode(name)).hexdigest()[:8]
    cut = name
    while cut and len(os.fsencode(cut)) + len(tag) > room:
        cut = cut[:-1]
    return cut + tag


def limits(folder: Path) -> tuple[int, int]:
    """(the longest file name, the longest path), in bytes, that the file system holding
    ``folder`` takes (for a folder yet to be created, its nearest existing parent's)."""
    probe = folder
    while not os.path.isdir(probe) and probe != probe.parent:
        probe = probe.parent
    found = []
    for name, default in (("PC_NAME_MAX", _NAME_MAX), ("PC_PATH_MAX", _PATH_MAX)):
        try:
            value = os.pathconf(probe, name)
        except (AttributeError, OSError, ValueError):  # no pathconf (Windows), or not told
            value = -1
        found.append(value if value > 0 else default)
    return found[0], found[1]


def _too_long(target: Path) -> str | None:
    """Why ``target`` cannot be written for the length of its name or path, or None."""
    name_max, path_max = limits(target.parent)
    name = len(os.fsencode(target.name))
    if name > name_max:
        return f"文件名 {name} 字节，此处最多 {name_max} 字节"
    path = len(os.fsencode(os.path.abspath(target))) + _TEMP_EXTRA_BYTES
    if path >= path_max:
        return f"完整路径过长，此处最多约 {path_max - _TEMP_EXTRA_BYTES} 字节"
    return None


def temp_prefix(target: Path) -> str:
    """How this process's temporary files for ``target`` begin."""
    return f".{_temp_stem(target)}{_TEMP_TAG}{os.getpid()}-"


def remove_stale_temps(target: Path) -> list[Path]:
    """Remove the temporary files of ``target`` left by writers that no longer run."""
    removed: list[Path] = []
    pattern = re.compile(
        re.escape(f".{_temp_stem(target)}{_TEMP_TAG}") + r"(\d+)-[^/\\]*" + re.escape(_TEMP_SUFFIX)
    )
    try:
        names = os.listdir(target.parent)
    except OSError:
        return removed
    for name in names:
        match = pattern.fullmatch(name)
        if match is None or _running(int(match.group(1))):
            continue
        stale = target.parent / name
        try:
            stale.unlink()
            removed.append(stale)
        except OSError:
            pass  # another run removed it first, or we may not: it stays harmless and hidden
    return removed


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, OSError):
        return True  # someone else's process: leave its files alone
    return True


@contextlib.contextmanager
def atomic_output(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; on success it replaces ``path`` in one step.

    On any failure (or Ctrl-C, or SIGTERM, which the CLI turns into Ctrl-C) the temporary file
    is removed and ``path`` is left as it was. A file system that refuses the write (read-only,
    full, no permission) is a UserError naming ``path``. A missing folder is created (callers
    say so: see ``claim_outputs``). A target ``claim_outputs`` found absent is created only if
    still absent (``_create_only``).
    """
    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        remove_stale_temps(target)
        fd, tmp = tempfile.mkstemp(
            prefix=temp_prefix(target), suffix=_TEMP_SUFFIX, dir=target.parent
        )
        os.close(fd)
    except OSError as error:
        raise cannot_write(target, error) from None
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        # mkstemp creates 0600 files; give the output the usual permissions (umask applies).
        os.chmod(tmp_path, 0o666 & ~_current_umask())
        if os.path.abspath(target) in _FRESH:
            _create_only(tmp_path, target)
            _FRESH.discard(os.path.abspath(target))  # claimed once, for this one output
        else:
            os.replace(tmp_path, target)
    except OSError as error:
        raise cannot_write(target, error) from None
    finally:
        with contextlib.suppress(OSError):
            tmp_path.unlink()


def _create_only(tmp: Path, target: Path) -> None:
    """Put ``tmp`` at ``target`` unless something is there: a hard link fails on an existing
    name in one step; where the file system has none (FAT, some shares), the check and the
    rename are two steps, the window between them a moment."""
    try:
        os.link(tmp, target)
        return
    except FileExistsError:
        pass
    except OSError:
        if not os.path.lexists(target):
            os.replace(tmp, target)
            return
    raise UserError(
        f"{target} 在本次运行期间已被创建（另一次运行或其他程序写入了同名文件），"
        "为免覆盖，本次的结果没有写入。请换一个输出文件名；确认要覆盖时加 --force 重新运行。"
    )


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def cannot_write(target: Path, error: OSError) -> UserError:
    """The message for an output the file system refuses."""
    reason = system_reason(error)
    return UserError(
        f"无法写入 {target}（{reason}）。请检查文件夹是否存在、是否有写入权限、磁盘是否已满，"
        "或该文件是否正在 Excel / WPS 中打开。"
    )


def claim_outputs(
    targets: Sequence[str | os.PathLike[str]],
    *,
    force: bool,
    inputs: Iterable[str | os.PathLike[str]] = (),
) -> list[str]:
    """The one policy for every file nianbao writes, checked before anything is written.

    Refused (UserError, nothing written): a name or path too long for the file system; a
    target that is a folder or not a regular file;
    a target that is one of ``inputs`` (a file named on the command line or found in an input
    folder), even with ``force``; a target that exists, unless ``force``; a folder that cannot
    be created or written. A target that does not exist yet is created only if it still does
    not when written (``atomic_output``). Returns notes for the user: the folders that will be
    created.
    """
    paths = [Path(t) for t in targets]
    too_long = [(p, why) for p in paths if (why := _too_long(p)) is not None]
    if too_long:
        shown = "\n  ".join(f"{p}（{why}）" for p, why in too_long[:10])
        more = f"\n  ……共 {len(too_long)} 个" if len(too_long) > 10 else ""
        raise UserError(
            f"以下输出文件的名称或路径过长，系统无法保存，未写入任何文件：\n  {shown}{more}\n"
            "请缩短文件名（按名册生成模板时请缩短名册中的单位名称），或换一个路径较短的文件夹。"
        )
    for path in paths:
        refuse_special_output(path)
    existing = [p for p in paths if os.path.lexists(p)]
    if existing:
        refuse_overwriting_inputs(existing, inputs)
    if existing and not force:
        raise UserError(
            f"以下文件已经存在，为免覆盖，未写入任何文件：{_listed(existing)}\n"
            "请换一个输出文件名或文件夹；确需覆盖时加 --force。"
        )
    notes: list[str] = []
    for folder, target in {p.parent: p for p in reversed(paths)}.items():
        notes += _check_folder(folder, target)
    for path in paths:
        if path in existing:
            _FRESH.discard(os.path.abspath(path))
        else:
            _FRESH.add(os.path.abspath(path))
    return notes


# Folders of devices and of the running system (POSIX): /dev/null, /dev/stdout, /proc/self/fd/1.
# A file written there is never what was meant (/dev/shm is ordinary memory-backed storage).
_SYSTEM_FOLDERS = ("/dev", "/proc", "/sys")
_ORDINARY_IN_SYSTEM = ("/dev/shm",)


def _system_folder(path: Path) -> str | None:
    if os.name != "posix":
        return None
    absolute = os.path.normpath(os.path.abspath(path))

    def within(folder: str) -> bool:
        return absolute == folder or absolute.startswith(folder + "/")

    if any(within(folder) for folder in _ORDINARY_IN_SYSTEM):
        return None
    return next((folder for folder in _SYSTEM_FOLDERS if within(folder)), None)


def refuse_special_output(path: Path) -> None:
    """A UserError when ``path`` is a folder, a device, a pipe or another file that is not a
    regular one, lies among the system's devices (/dev, /proc, /sys), or is a hidden file
    (「.xlsx」 given as a name): nothing is written there, nor beside it under another name."""
    if path.name.startswith("."):
        raise UserError(
            f"{path} 以「.」开头，是隐藏文件（文件夹里看不到，nianbao 读文件夹时也会跳过它），"
            "不能作为输出文件。请给出一个文件名，如 某某区汇总.xlsx。"
        )
    folder = _system_folder(path)
    if folder is not None:
        raise UserError(
            f"{path} 位于系统文件夹 {folder} 中（那里是设备、终端等特殊文件，不是普通文件），"
            "不能作为输出文件。请把输出写到普通文件夹中。"
        )
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return  # missing, or a dangling link: replacing it harms nothing
    if stat.S_ISDIR(mode):
        raise UserError(f"{path} 是文件夹，不能作为输出文件。请给出文件名。")
    if not stat.S_ISREG(mode):
        raise UserError(
            f"{path} 不是普通文件（可能是设备、管道等特殊文件），不能作为输出文件。请换一个文件名。"
        )


def _check_folder(folder: Path, target: Path) -> list[str]:
    """The folder that will receive ``target``: it exists and is writable, or can be created."""
    missing: Path | None = None
    probe = folder
    while not os.path.lexists(probe) and probe != probe.parent:
        missing, probe = probe, probe.parent
    if os.path.lexists(probe) and not probe.is_dir():
        raise UserError(f"无法写入 {target}：{probe} 是一个文件，不是文件夹。请换一个位置。")
    if not os.access(probe, os.W_OK | os.X_OK):
        if _read_only(probe):  # no permission would help: say what the place is
            raise UserError(
                f"无法写入 {target}：{probe} 所在的磁盘或位置是只读的（如光盘、只读的共享文件夹"
                "或只读挂载），不能写入。请换一个可以写入的位置。"
            )
        raise UserError(
            f"无法写入 {target}：没有在 {probe} 中写入的权限。请换一个有写入权限的位置。"
        )
    return [f"已新建文件夹 {folder}。"] if missing is not None else []


def _read_only(folder: Path) -> bool:
    """Whether ``folder`` lies on a file system mounted read-only."""
    try:
        return bool(os.statvfs(folder).f_flag & os.ST_RDONLY)
    except (OSError, AttributeError):  # statvfs: not on every platform
        return False


def refuse_overwriting_inputs(
    outputs: str | os.PathLike[str] | Sequence[str | os.PathLike[str]],
    inputs: Iterable[str | os.PathLike[str]],
) -> None:
    """Raise a UserError when an output is one of ``inputs`` (same file, however spelled:
    see ``same_file``)."""
    targets = (
        [Path(outputs)] if isinstance(outputs, str | os.PathLike) else list(map(Path, outputs))
    )
    keys = {file_key(t): t for t in targets}
    some_missing = any(isinstance(key, str) for key in keys)
    for given in inputs:
        src = Path(given)
        key = file_key(src)
        out = keys.get(key)
        if out is None and (some_missing or isinstance(key, str)):
            out = next((t for t in targets if same_file(t, src)), None)
        if out is not None:
            raise UserError(
                f"输出文件 {out} 与输入文件 {src} 是同一个文件，为保护原件已拒绝写入（加 --force 也不会覆盖输入文件）。"
                "请换一个输出文件名，或把输出写到输入文件夹之外。"
            )


# -- the one test of "the same file" -----------------------------------------------------------


def real_path(path: str | os.PathLike[str]) -> Path:
    """``path`` absolute, with every symbolic link followed: the one way nianbao resolves a
    path it was given or found. Never raises: a link loop (loopA -> loopB -> loopA) is left
    where it loops, so that reading it says 符号链接循环 like any file that cannot be opened;
    ``Path.resolve`` raises there (RuntimeError before Python 3.13, OSError since)."""
    return Path(os.path.realpath(path))


def file_key(path: str | os.PathLike[str]) -> tuple[int, int] | str:
    """What makes two spellings of a path one file, as a key to compare or index by: the
    device and inode of the file (a hard link, a symbolic link, a relative or an absolute
    spelling, another case on a case-insensitive disk: one key), found with one stat where
    resolving the path would look at every folder on it. A path that cannot be looked at (a
    missing file, a dangling link, a link loop) is keyed by the path itself, resolved: a
    ``str``, never equal to an existing file's key (``same_file`` compares such paths)."""
    try:
        info = os.stat(path)
    except OSError:
        return str(real_path(path))
    return (info.st_dev, info.st_ino)


def same_file(a: str | os.PathLike[str], b: str | os.PathLike[str]) -> bool:
    """Whether ``a`` and ``b`` are one file, however spelled: the same ``file_key``; and where
    one of them does not exist (yet), the same path once resolved (``sub/../a.xlsx`` is
    ``a.xlsx``: writing it creates ``sub`` and replaces ``a.xlsx``)."""
    key_a, key_b = file_key(a), file_key(b)
    if key_a == key_b:
        return True
    if isinstance(key_a, str) or isinstance(key_b, str):
        return real_path(a) == real_path(b)
    return False


def distinct_name(name: str, used: set[str]) -> str:
    """``name``, or 「stem-2.suffix」, 「stem-3.suffix」… when ``used`` already holds it. Names are
    compared ignoring case, as Windows and macOS folders do; the name chosen joins ``used``."""
    stem, suffix = Path(name).stem, Path(name).suffix
    candidate, n = name, 1
    while candidate.casefold() in used:
        n += 1
        candidate = f"{stem}-{n}{suffix}"
    used.add(candidate.casefold())
    return candidate


# -- several outputs as one --------------------------------------------------------------------


@contextlib.contextmanager
def all_or_nothing(targets: Sequence[Path], what: str) -> Iterator[list[Path]]:
    """Write ``targets`` (claimed beforehand) as one output: the caller appends each target to
    the list yielded once it is written. When a write fails (a UserError) or the run is
    interrupted (Ctrl-C, SIGTERM), the files this run created are removed again, and the
    folders it created if left empty, so that nothing is left half-done and a rerun starts
    afresh; a UserError then also says what happened to each file written (``what`` names
    them: 模板, 汇总表). A file that existed before and was replaced (--force) cannot be put
    back: it is named."""
    folders = {target.parent for target in targets}
    new_folders = sorted(
        {folder for parent in folders for folder in _missing_folders(parent)},
        key=lambda folder: len(folder.parts),
        reverse=True,
    )
    existed = {target for target in targets if os.path.lexists(target)}
    written: list[Path] = []
    try:
        yield written
    except UserError as error:
        raise UserError(f"{error}\n{_undo(written, existed, new_folders, what)}") from None
    except BaseException as stop:  # Ctrl-C, SIGTERM: leave no half-done batch
        said = _undo(written, existed, new_folders, what, stopped=True)
        if written:  # what became of the files written: the CLI says it beside 已中止
            stop.add_note(said)
        raise


def _missing_folders(directory: Path) -> list[Path]:
    """The folders of ``directory`` that do not exist yet (the deepest first): the ones a
    failed run created and removes again."""
    missing = []
    probe = directory
    while not os.path.lexists(probe) and probe != probe.parent:
        missing.append(probe)
        probe = probe.parent
    return missing


def _undo(
    written: list[Path],
    existed: set[Path],
    new_folders: list[Path],
    what: str,
    *,
    stopped: bool = False,
) -> str:
    """Remove the files of ``written`` this run created and the empty ``new_folders``; say
    what happened to each file written (``stopped``: the run was interrupted, not failed)."""
    kept = [target for target in written if target in existed]  # replaced under --force
    left: list[Path] = []
    for target in written:
        if target in existed:
            continue
        try:
            target.unlink()
        except FileNotFoundError:
            pass
        except OSError:
            left.append(target)
    for folder in new_folders:
        with contextlib.suppress(OSError):
            folder.rmdir()  # only when empty: never a file of anyone else's
    removed = len(written) - len(kept) - len(left)
    lines = []
    if not written:
        lines.append(f"未写入任何{what}。")
    elif removed:
        lines.append(f"本次已生成的 {removed} 个{what}已删除，以免只生成了一部分。")
    if kept:
        lines.append(f"以下 {len(kept)} 个原有文件已被新{what}覆盖（--force）：" + _listed(kept))
    if left:
        lines.append(f"以下 {len(left)} 个已生成的{what}未能删除：" + _listed(left))
    if stopped:
        lines += ["重新运行时覆盖这些文件仍需加 --force。"] if kept else []
    else:
        lines.append(
            "解决上述问题后重新运行即可" + ("（覆盖的文件仍需加 --force）。" if kept else "。")
        )
    return "\n".join(lines)


def _listed(paths: list[Path], limit: int = 10) -> str:
    shown = "".join(f"\n  {path}" for path in paths[:limit])
    return shown + (f"\n  ……共 {len(paths)} 个" if len(paths) > limit else "")


def left_from_earlier(folder: Path, written: Iterable[Path], suffixes: Sequence[str]) -> list[str]:
    """The names of files in ``folder`` with one of ``suffixes`` that this run did not write
    (``written``): an earlier run's outputs, never deleted, to be said — an output folder is
    sent on whole (uploaded, mailed), and such a file must not go as this run's."""
    ours = {Path(path).name for path in written}
    try:
        found = [entry.name for entry in os.scandir(folder) if entry.is_file()]
    except OSError:
        return []
    return sorted(
        name
        for name in found
        if name not in ours
        and Path(name).suffix.lower() in suffixes
        and not name.startswith(("~$", "."))
    )
