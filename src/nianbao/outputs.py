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


def safe_filename(name: str, fallback: str = "未命名单位") -> str:
    """A file name (without suffix) made from a unit name that cannot leave its folder."""
    # Invisible characters (zero-width spaces, direction overrides) are dropped, not replaced:
    # they were never seen, and an override would show the suffix reversed.
    text = unicodedata.normalize("NFC", visible(name))
    text = _UNSAFE.sub("_", text).strip().strip(".")
    text = re.sub(r"\s+", " ", text)
    if not text or set(text) <= {"_", " "}:
        text = fallback
    if text.upper().split(".")[0] in _RESERVED:
        text = f"_{text}"
    while len(text.encode("utf-8")) > _MAX_NAME_BYTES:
        text = text[:-1]
    return text


# Temporary files are named after their target and writer: ``.{name}.nianbao-{pid}-{random}.tmp``.
# A run killed outright (SIGKILL, power cut) cannot remove its own; the next run that writes the
# same target removes those whose writer is gone.
_TEMP_TAG = ".nianbao-"
_TEMP_SUFFIX = ".tmp"


def temp_prefix(target: Path) -> str:
    """How this process's temporary files for ``target`` begin."""
    return f".{target.name}{_TEMP_TAG}{os.getpid()}-"


def remove_stale_temps(target: Path) -> list[Path]:
    """Remove the temporary files of ``target`` left by writers that no longer run."""
    removed: list[Path] = []
    pattern = re.compile(
        re.escape(f".{target.name}{_TEMP_TAG}") + r"(\d+)-[^/\\]*" + re.escape(_TEMP_SUFFIX)
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
    say so: see ``claim_outputs``).
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
        os.replace(tmp_path, target)
    except OSError as error:
        raise cannot_write(target, error) from None
    finally:
        with contextlib.suppress(OSError):
            tmp_path.unlink()


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

    Refused (UserError, nothing written): a target that is a folder or not a regular file;
    a target that is one of ``inputs`` (a file named on the command line or found in an input
    folder), even with ``force``; a target that exists, unless ``force``; a folder that cannot
    be created or written. Returns notes for the user: the folders that will be created.
    """
    paths = [Path(t) for t in targets]
    existing = [p for p in paths if os.path.lexists(p)]
    for path in existing:
        _refuse_odd_target(path)
    if existing:
        refuse_overwriting_inputs(existing, inputs)
    if existing and not force:
        shown = "\n  ".join(str(p) for p in existing[:10])
        more = f"\n  ……共 {len(existing)} 个" if len(existing) > 10 else ""
        raise UserError(
            f"以下文件已经存在，为免覆盖，未写入任何文件：\n  {shown}{more}\n"
            "请换一个输出文件名或文件夹；确需覆盖时加 --force。"
        )
    notes: list[str] = []
    for folder, target in {p.parent: p for p in reversed(paths)}.items():
        notes += _check_folder(folder, target)
    return notes


def _refuse_odd_target(path: Path) -> None:
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return  # a dangling link: replacing it harms nothing
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
        raise UserError(
            f"无法写入 {target}：没有在 {probe} 中写入的权限。请换一个有写入权限的位置。"
        )
    return [f"已新建文件夹 {folder}。"] if missing is not None else []


def refuse_overwriting_inputs(
    outputs: str | os.PathLike[str] | Sequence[str | os.PathLike[str]],
    inputs: Iterable[str | os.PathLike[str]],
) -> None:
    """Raise a UserError when an output is one of ``inputs`` (same file, however spelled)."""
    targets = (
        [Path(outputs)] if isinstance(outputs, str | os.PathLike) else list(map(Path, outputs))
    )
    identities = {_identity(t): t for t in targets}
    names = {t.name for t in targets}
    for given in inputs:
        src = Path(given)
        out = identities.get(_identity(src))
        if out is None and src.name in names:
            out = next((t for t in targets if _same_file(t, src)), None)
        if out is not None:
            raise UserError(
                f"输出文件 {out} 与输入文件 {src} 是同一个文件，为保护原件已拒绝写入（加 --force 也不会覆盖输入文件）。"
                "请换一个输出文件名，或把输出写到输入文件夹之外。"
            )


def _identity(path: Path) -> object:
    try:
        info = os.stat(path)
        return (info.st_dev, info.st_ino)
    except OSError:
        return ("missing", os.path.abspath(path))


def _same_file(a: Path, b: Path) -> bool:
    try:
        if a.exists() and b.exists():
            return os.path.samefile(a, b)
    except OSError:
        pass
    return a.resolve() == b.resolve()


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
