"""Exceptions whose message is meant for the user (in Chinese), never a traceback."""

from __future__ import annotations


class UserError(Exception):
    """A problem the user can fix: bad arguments, a bad roster, an output that would clobber."""

    exit_code = 2
