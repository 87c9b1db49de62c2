"""text.py: one policy each for names and invisible characters, exact however fast."""

from __future__ import annotations

import sys

from nianbao.text import _hidden, clean, unit_key, visible


def test_every_hidden_character_is_one_isprintable_rejects():
    """visible() and clean() return printable text untouched without looking at each
    character; that is only right if no hidden character is printable, in all of Unicode."""
    printable_but_hidden = [
        hex(code)
        for code in range(sys.maxunicode + 1)
        if _hidden(chr(code)) and chr(code).isprintable()
    ]
    assert printable_but_hidden == []


def test_names_with_and_without_invisible_characters_fold_alike():
    assert unit_key("道外区\u200b财政局") == unit_key("道外区财政局") == "道外区财政局"
    assert unit_key("（道外区）\u3000财政局\u202e") == "(道外区)财政局"
    assert visible("甲\t乙\n丙\u200d") == "甲\t乙\n丙"
    assert clean("甲\x1b[31m乙\n丙") == "甲�[31m乙 丙"
    assert clean("道外区财政局") == "道外区财政局"
