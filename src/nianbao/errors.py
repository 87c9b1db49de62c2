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
