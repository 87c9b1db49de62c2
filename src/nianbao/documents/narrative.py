"""The narrative an office writes for its report, as a plain text file (``--narrative``).

Format (documented in the README):

1. UTF-8 (with or without BOM) or GBK/GB18030 plain text, as Notepad or WPS saves ``.txt``.
2. A line that is exactly one of the report's six headings (一、总体情况 … 六、其他需要报告的事项,
   white space ignored) starts that part; every following line belongs to it.
3. Lines before the first heading are the opening paragraph (导语), replacing the generated one.
4. Every other non-empty line is one paragraph; leading and trailing spaces (also the
   full-width indentation 「　　」) are dropped. A short line starting 「（一）」…「（十）」 with no
   「。」 is a sub-heading (楷体 in Word).
5. In 二、三、四 the text comes after the generated sentence and before the table; in 一、五、六 it
   replaces the placeholders. A part the file leaves out keeps its placeholders.
6. 「（请填写：…）」 in the text stays a highlighted placeholder.

Problems that make the file unusable (not text, a heading twice) raise UserError naming the file
and line; doubtful lines (one that looks like a heading but is not one) become warnings.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from nianbao.errors import UserError, system_reason
from nianbao.sources.table import decode_plain, refuse_special_file

MAX_BYTES = 2 * 1024 * 1024  # a report's text is tens of kilobytes; more is not a narrative
_SUBHEADING = re.compile(r"^（[一二三四五六七八九十]+）[^。]{0,28}$")
_HEADING_LIKE = re.compile(r"^[一二三四五六七八九十]+、.{0,40}$")
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Narrative:
    opening: tuple[str, ...] = ()
    sections: dict[str, tuple[str, ...]] = field(default_factory=dict)  # heading -> paragraphs
    warnings: tuple[str, ...] = ()


def is_subheading(line: str) -> bool:
    return bool(_SUBHEADING.match(line))


def read_narrative(path: Path, headings: Sequence[str]) -> Narrative:
    """Read and parse a narrative file for a report with these ``headings``."""
    refuse_special_file(path, "叙述文件")  # /dev/zero would fill the memory, a FIFO hang
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_BYTES + 1)  # more is refused (decode), never read whole
    except OSError as error:
        raise UserError(f"无法读取叙述文件 {path}（{system_reason(error)}）。") from None
    return parse_narrative(decode(data, path), headings, path.name)


def decode(data: bytes, path: Path) -> str:
    if len(data) > MAX_BYTES:
        raise UserError(f"叙述文件 {path} 超过 2 MB，不像是年报的文字部分。请检查是否选错了文件。")
    text = None if data.startswith(b"PK\x03\x04") else decode_plain(data)
    if text is None and (data.startswith(b"PK\x03\x04") or b"\x00" in data):
        raise UserError(
            f"叙述文件 {path} 不是纯文本文件（Word 文档等请先“另存为”纯文本 .txt，编码选 UTF-8）。"
        )
    if text is None:
        raise UserError(f"叙述文件 {path} 的编码无法识别：请另存为 UTF-8 编码的 .txt 文件。")
    return text


def parse_narrative(text: str, headings: Sequence[str], name: str) -> Narrative:
    by_key = {_key(h): h for h in headings}
    opening: list[str] = []
    sections: dict[str, list[str]] = {}
    warnings: list[str] = []
    current: list[str] = opening
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        heading = by_key.get(_key(line))
        if heading is not None:
            if heading in sections:
                raise UserError(
                    f"叙述文件 {name} 第 {number} 行：「{heading}」出现了两次，请合并为一处。"
                )
            current = sections[heading] = []
            continue
        if _HEADING_LIKE.match(line):
            warnings.append(
                f"叙述文件 {name} 第 {number} 行「{line}」像是标题，但不是年报的六个标题之一"
                f"（{''.join(f'「{h}」' for h in headings)}），已作为正文处理。"
            )
        current.append(line)
    return Narrative(
        tuple(opening), {h: tuple(lines) for h, lines in sections.items()}, tuple(warnings)
    )


def _key(line: str) -> str:
    return _SPACE.sub("", line)


__all__ = ["Narrative", "decode", "is_subheading", "parse_narrative", "read_narrative"]
