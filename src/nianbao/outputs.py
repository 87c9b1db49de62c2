"""Safe file output: atomic writes, no clobbering of inputs, file names from unit names."""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
import unicodedata
from collections.abc import Iterable, Iterator
from pathlib import Path

from nianbao.errors import UserError

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
    text = unicodedata.normalize("NFC", name)
    text = _UNSAFE.sub("_", text).strip().strip(".")
    text = re.sub(r"\s+", " ", text)
    if not text or set(text) <= {"_", " "}:
        text = fallback
    if text.upper().split(".")[0] in _RESERVED:
        text = f"_{text}"
    while len(text.encode("utf-8")) > _MAX_NAME_BYTES:
        text = text[:-1]
    return text


@contextlib.contextmanager
def atomic_output(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; on success it replaces ``path`` in one step.

    On any failure (or Ctrl-C) the temporary file is removed and ``path`` is left as it was.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        # mkstemp creates 0600 files; give the output the usual permissions (umask applies).
        os.chmod(tmp_path, 0o666 & ~_current_umask())
        os.replace(tmp_path, target)
    finally:
        if tmp_path.exists():
            tmp_path.unlink()


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def refuse_overwriting_inputs(
    output: str | os.PathLike[str], inputs: Iterable[str | os.PathLike[str]]
) -> None:
    """Raise a UserError when ``output`` is one of ``inputs`` (same file, however spelled)."""
    out = Path(output)
    for given in inputs:
        src = Path(given)
        if _same_file(out, src):
            raise UserError(
                f"输出文件 {out} 与输入文件 {src} 是同一个文件，为保护原件已拒绝写入。请换一个输出文件名。"
            )


def _same_file(a: Path, b: Path) -> bool:
    try:
        if a.exists() and b.exists():
            return os.path.samefile(a, b)
    except OSError:
        pass
    return a.resolve() == b.resolve()
