"""The style-sheet cascade tries a rule only on elements whose own keys (id, classes, tag) hold
its subject's key and whose ancestors hold the key of the compound left of it
(css._tried). That filter must never leave out a rule that selects: on random pages and sheets,
the cascade gives every element the same style, and the same doubt, as trying every rule on
every element."""

from __future__ import annotations

import itertools
import random

import lxml.html
import pytest

from nianbao.form import get_form
from nianbao.form.findings import Rule
from nianbao.sources import css
from nianbao.sources.dispatch import open_source
from nianbao.sources.preflight import UnreadableFile
from tests.support.documents import report_html
from tests.support.returns import valid_return

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
    assert styles == [("span", "font-size:0"), ("b", "color:#fff"), ("b", None)]


def test_a_compound_of_two_ids_selects_nothing():
    page = (
        "<html><head><style>#c#a {display:none}</style></head><body>"
        '<p id="a">5</p><p id="c">6</p></body></html>'
    )
    assert [style for tag, style, _ in _cascade(page) if tag == "p"] == [None, None]


def test_a_rule_repeated_thousands_of_times_leaves_one_value_per_property():
    # each element's style was every matching rule's declarations joined: 20,000 copies of
    # one rule made every cell's style 20,000 declarations long, parsed again at each look
    sheet = "td {color:#000} td {color:#fff}\n" * 10_000 + "td.k {color:red}"
    page = (
        f"<html><head><style>{sheet}</style></head><body><table><tr>"
        '<td style="font-size:12pt">5</td><td class="k">6</td></tr></table></body></html>'
    )
    cells = [style for tag, style, _ in _cascade(page) if tag == "td"]
    assert cells == ["color:#fff;font-size:12pt", "color:red"]


def test_the_cascade_keeps_importance_and_the_elements_own_style_in_order():
    page = (
        "<html><head><style>p {color:#fff !important; font-size:0} p.o {opacity:0}</style>"
        '</head><body><p style="color:red; font-size:9pt">5</p>'
        '<p style="color:red !important">6</p><p class="o" style="opacity:1">7</p></body></html>'
    )
    shown = [css.inline_declarations(style) for tag, style, _ in _cascade(page) if tag == "p"]
    assert shown == [
        {"color": "#fff", "font-size": "9pt"},  # the sheet's !important over the own style
        {"color": "red", "font-size": "0"},  # the element's own !important over all
        {"color": "#fff", "font-size": "0", "opacity": "1"},
    ]


def _stalling_page(cells: int) -> str:
    """A report's page under a sheet of 2,046 distinct selectors (``* > * td``, ``* * * td``,
    …), each selecting every cell: every one is tried on every cell."""
    selectors = [
        "".join(f"* {c}" for c in combinators) + "td"
        for n in range(1, 11)
        for combinators in itertools.product(("", "> "), repeat=n)
    ]
    sheet = "\n".join(f"{selector} {{color:#000}}" for selector in selectors)
    page = report_html(get_form("2021"), valid_return(get_form("2021"), seed=1).values)
    page = page.replace("</head>", f"<style>{sheet}</style></head>", 1)
    return page.replace("</body>", "<table><tr><td>x</td></tr></table>" * cells + "</body>")


def test_a_sheet_made_to_stall_the_reader_is_refused_naming_the_file(tmp_path, monkeypatch):
    # 2,046 selectors over a report's few hundred cells, 20 compounds in each try: the budget
    # is lowered so that the test refuses in a moment what a real run refuses in 5 s
    monkeypatch.setattr(css, "MAX_SELECTOR_TRIES", 1_000_000)
    path = tmp_path / "样式.html"
    path.write_text(_stalling_page(0), encoding="utf-8")
    with pytest.raises(UnreadableFile) as refused, open_source(path):
        pass
    assert refused.value.finding.rule is Rule.F01
    assert "样式.html" in str(refused.value) and "样式表" in str(refused.value)


def test_the_stalling_budget_is_far_above_a_real_page_with_a_large_table(monkeypatch):
    tried: list[int] = []
    selects = css._Facts.selects

    def counted(self, element, selector):
        tried.append(len(selector[0]))
        return selects(self, element, selector)

    monkeypatch.setattr(css._Facts, "selects", counted)
    page = report_html(get_form("2021"), valid_return(get_form("2021"), seed=1).values)
    # a content system's sheet: 200 rules for cells under the article's classes, 5,000 cells
    sheet = "\n".join(f".content .c{n} td, .article td.x{n} {{color:#333}}" for n in range(100))
    cells = "".join(f'<tr><td class="x{n % 100}">{n}</td></tr>' for n in range(5_000))
    page = page.replace("</head>", f"<style>{sheet}</style></head>", 1).replace(
        "<body>",
        f'<body><div class="content article">{" ".join(f"<div class=c{n}>" for n in range(100))}<table>{cells}</table>{"</div>" * 100}</div>',
        1,
    )
    css.apply_style_sheets(lxml.html.document_fromstring(page))
    assert 0 < sum(tried) < css.MAX_SELECTOR_TRIES / 5
