"""The style-sheet cascade tries a rule only on elements whose own keys (id, classes, tag) hold
its subject's key and whose ancestors hold the key of the compound left of it
(css._tried). That filter must never leave out a rule that selects: on random pages and sheets,
the cascade gives every element the same style, and the same doubt, as trying every rule on
every element."""

from __future__ import annotations

import random

import lxml.html
import pytest

from nianbao.sources import css

TAGS = ("div", "span", "td", "tr", "table", "p", "b")
NAMES = ("a", "b", "c", "hd")


def _compound(rng: random.Random) -> str:
    tag = rng.choice((*TAGS, "*", ""))
    parts = "".join(
        rng.choice((".", "#")) + rng.choice(NAMES) for _ in range(rng.choice((0, 0, 1, 2)))
    )
    compound = tag + parts
    return compound if compound and compound != "*" or rng.random() < 0.3 else "div"


def _selector(rng: random.Random) -> str:
    written = _compound(rng)
    for _ in range(rng.choice((0, 1, 1, 2, 3))):
        written = _compound(rng) + rng.choice((" ", " > ")) + written
    if rng.random() < 0.15:  # one nianbao does not match: its doubt must reach the same elements
        written += rng.choice((":first-child", "[title]", " + b"))
    return written


def _sheet(rng: random.Random) -> str:
    declarations = ("font-size:0", "color:#fff", "display:none", "color:red", "opacity:0")
    return "\n".join(
        f"{', '.join(_selector(rng) for _ in range(rng.choice((1, 1, 2))))} "
        f"{{{rng.choice(declarations)}{' !important' if rng.random() < 0.1 else ''}}}"
        for _ in range(rng.randint(1, 25))
    )


def _element(rng: random.Random, depth: int) -> str:
    tag = rng.choice(TAGS)
    attributes = ""
    if rng.random() < 0.5:
        attributes += f' class="{" ".join(rng.sample(NAMES, rng.randint(1, 3)))}"'
    if rng.random() < 0.2:
        attributes += f' id="{rng.choice(NAMES)}"'
    if rng.random() < 0.2:
        attributes += ' style="color:blue"'
    inner = "".join(_element(rng, depth + 1) for _ in range(rng.randint(0, 3) if depth < 5 else 0))
    return f"<{tag}{attributes}>x{inner}</{tag}>"


def _cascade(page: str) -> list[tuple[str, str | None, str | None]]:
    root = lxml.html.document_fromstring(page)
    css.apply_style_sheets(root)
    return [
        (element.tag, element.get("style"), element.get(css.DOUBTFUL))
        for element in root.iter()
        if isinstance(element.tag, str)
    ]


def _every_rule(keyed, keys, above):
    """The reference: every selector of the sheet, on every element."""
    for by_left in keyed.values():
        for selectors in by_left.values():
            yield from selectors


def _page(seed: int) -> str:
    rng = random.Random(seed)
    body = "".join(_element(rng, 0) for _ in range(rng.randint(2, 6)))
    return f"<html><head><style>{_sheet(rng)}</style></head><body>{body}</body></html>"


SEEDS = range(60)


@pytest.mark.parametrize("seed", SEEDS)
def test_the_rule_index_leaves_out_no_rule_that_selects(seed, monkeypatch):
    page = _page(seed)
    indexed = _cascade(page)
    monkeypatch.setattr(css, "_tried", _every_rule)
    assert indexed == _cascade(page)


def test_the_random_pages_are_styled_and_doubted_by_their_sheets():
    # the comparison above means something only if the sheets do select elements
    cascaded = [_cascade(_page(seed)) for seed in SEEDS]
    styled = sum(any(s and s != "color:blue" for _, s, _ in page) for page in cascaded)
    doubted = sum(any(d is not None for _, _, d in page) for page in cascaded)
    assert styled >= 30 and doubted >= 5


def test_a_descendant_rule_keyed_by_a_far_ancestor_still_applies():
    page = (
        "<html><head><style>#hd p span {font-size:0} .a > b {color:#fff}</style></head><body>"
        '<div id="hd"><div><p><i><span>5</span></i></p></div></div>'
        '<div class="a"><b>7</b></div><div class="c"><b>8</b></div></body></html>'
    )
    styles = [(tag, style) for tag, style, _ in _cascade(page) if tag in ("span", "b")]
    # the cascade writes the sheet's declarations, then the element's own (none here)
    assert styles == [("span", "font-size:0;"), ("b", "color:#fff;"), ("b", None)]


def test_a_compound_of_two_ids_selects_nothing():
    page = (
        "<html><head><style>#c#a {display:none}</style></head><body>"
        '<p id="a">5</p><p id="c">6</p></body></html>'
    )
    assert [style for tag, style, _ in _cascade(page) if tag == "p"] == [None, None]
