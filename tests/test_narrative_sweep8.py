"""Sweep 8 of the narrative check: a received figure followed by 「包括上年结转…在内共…件」 or
「含上年结转共…件」 is this year's figure; the phrase about last year's carried applications
leads on to a total of its own, which is the figure that includes them. Neither the figure
before it (N01) nor that total (N02) may be warned about as if the report contradicted 表三.

The tables throughout: 表三 本年新收 120, 上年结转 6, 办理结果总计 113, 结转下年度 13.
"""

from __future__ import annotations

import pytest

from tests.support.narrative import found

SILENT = (
    "全年共收到政府信息公开申请120件，包括上年结转6件在内共126件。",
    "全年共收到政府信息公开申请120件，包括上年结转6件在内，共需办理126件。",
    "全年共收到政府信息公开申请120件，含上年结转共126件。",
    "全年共收到政府信息公开申请120件，包括上年结转的在内合计126件。",
    # the usual wordings that say the figure itself includes them, still right
    "全年共收到政府信息公开申请126件，包括上年结转的6件。",
    "全年共收到政府信息公开申请126件，含上年结转6件。",
)


@pytest.mark.parametrize("text", SILENT)
def test_a_total_after_the_carried_is_not_the_received_figure(text: str) -> None:
    assert found(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # this year's figure is still compared, and still found wrong
        ("全年共收到政府信息公开申请99件，包括上年结转6件在内共105件。", [("N01", 99)]),
        # a figure said to include the carried ones is still their total
        ("全年共收到政府信息公开申请130件，包括上年结转的6件。", [("N01", 130)]),
        ("全年共收到政府信息公开申请120件，含上年结转6件。", [("N01", 120)]),
        # the carried figure itself is still compared
        ("全年共收到政府信息公开申请120件，含上年结转9件。", [("N01", 120), ("N02", 9)]),
        ("上年结转共9件。", [("N02", 9)]),
    ],
)
def test_figures_that_say_otherwise_are_still_compared(
    text: str, expected: list[tuple[str, int]]
) -> None:
    assert found(text) == expected
