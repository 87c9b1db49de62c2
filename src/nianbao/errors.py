"""Exceptions whose message is meant for the user (in Chinese), never a traceback."""

from __future__ import annotations

import errno


class UserError(Exception):
    """A problem the user can fix: bad arguments, a bad roster, an output that would clobber."""

    exit_code = 2


# What the file system said, in the user's words (OSError.strerror is English).
_REASONS = {
    errno.ENOSPC: "磁盘已满",
    errno.EDQUOT: "超出磁盘配额",
    errno.EACCES: "没有权限",
    errno.EPERM: "没有权限",
    errno.EROFS: "磁盘或文件夹只读",
    errno.ENAMETOOLONG: "文件名过长",
    errno.EBUSY: "文件正被占用",
    errno.EIO: "读写出错，可能是磁盘或网络故障",
    errno.ELOOP: "符号链接循环指向自身",
    errno.ENOENT: "不存在",
    errno.ENOTDIR: "路径中有一段不是文件夹",
    errno.EISDIR: "是一个文件夹",
}


def system_reason(error: OSError) -> str:
    """Why the file system refused, in Chinese where the reason is a common one."""
    return _REASONS.get(error.errno or 0) or error.strerror or str(error) or type(error).__name__


# Exit status of a run stopped by a fault in nianbao itself (0–2 say what the files hold).
INTERNAL_ERROR_EXIT = 3


def internal_error(error: BaseException, what: str = "本次运行") -> str:
    """What the user is told when nianbao itself fails (a bug, not their file): in Chinese,
    without a traceback; the traceback goes to a file they can send to the maintainers."""
    import tempfile
    import traceback

    detail = f"{type(error).__name__}: {error}"
    try:
        handle, log = tempfile.mkstemp(prefix="nianbao-内部错误-", suffix=".txt")
        with open(handle, "w", encoding="utf-8") as out:
            out.write("".join(traceback.format_exception(error)))
        kept = f"错误详情已保存到 {log}，请连同所用命令发给维护者。"
    except OSError:
        kept = "请把所用命令和这段话发给维护者。"
    return (
        f"nianbao 内部出错，{what}未能完成（{detail[:200]}）。这是 nianbao 的问题，"
        f"不是您的文件的问题；输入的文件没有被改动。{kept}"
    )
