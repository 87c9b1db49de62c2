"""The CSS a web page's reader needs to tell what a browser shows: values (lengths, font
sizes, opacity, colours and when a colour cannot be seen on another) and the page's own
``<style>`` sheets, folded into each element's ``style`` attribute as a browser cascades them
(``apply_style_sheets``). Only what decides whether text shows is looked at; html.py decides,
element by element, what that means for the text it reads.
"""

from __future__ import annotations

import colorsys
import math
import re
from collections.abc import Iterator
from typing import Any

from nianbao.sources.document import indistinguishable

_WHITE = re.compile(r"[ \t\r\n\f\v]+")
_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
_IMPORTANT = re.compile(r"\s*!\s*important\s*$")
Colour = tuple[int, int, int, float]  # red, green, blue, alpha
WHITE_PAGE: Colour = (255, 255, 255, 1.0)  # a page's background unless it says otherwise


def inline_declarations(attribute: str | None) -> dict[str, str]:
    """A ``style`` attribute as {property: value}, both in lower case with runs of white space
    as one space and ``!important`` left off; a later declaration wins."""
    if not attribute:
        return {}
    declarations: dict[str, str] = {}
    for declaration in _CSS_COMMENT.sub("", attribute).split(";"):
        name, colon, value = declaration.partition(":")
        if colon:
            value = _IMPORTANT.sub("", _WHITE.sub(" ", value).strip().lower())
            declarations[name.strip().lower()] = value
    return declarations


# -- values: lengths, font sizes, opacity, colours -----------------------------------------------


_NUMBER = re.compile(r"^[+-]?(?:\d+\.?\d*|\.\d+)")
_ABSOLUTE = frozenset({"px", "pt", "pc", "cm", "mm", "in", "q", "rem", "vw", "vh", "vmin", "vmax"})
_SIZE_WORDS = frozenset(
    {"xx-small", "x-small", "small", "medium", "large", "x-large", "xx-large", "xxx-large"}
)


def parse_length(value: str) -> tuple[float, str] | None:
    """A CSS length as (number, unit), the unit in lower case ("" for none); None if it is
    not one (a keyword, a calc())."""
    number = _NUMBER.match(value.strip())
    if number is None:
        return None
    return float(number.group()), value.strip()[number.end() :].strip()


def font_hides(style: dict[str, str], around: bool) -> bool:
    """Whether the text is set in a font of size 0 (``font-size:0``, ``font: 0/0 a``): it
    takes no room and shows nothing. An absolute size sets it back; a relative one (em, %)
    of nothing is still nothing."""
    size = style.get("font-size")
    if size is None and "font" in style:
        sizes = [part.split("/")[0] for part in style["font"].split() if parse_length(part)]
        size = sizes[0] if sizes else None
    if size is None:
        return around
    if size in _SIZE_WORDS:
        return False
    length = parse_length(size)
    if length is None:
        return around
    number, unit = length
    if number <= 0:
        return True
    return False if unit in _ABSOLUTE else around


def parse_opacity(value: str | None) -> float | None:
    length = parse_length(value) if value else None
    if length is None:
        return None
    number, unit = length
    return max(0.0, number / 100 if unit == "%" else number)


def all_zero(value: str) -> bool | None:
    """Whether each length in ``value`` is 0 (None: ``value`` is no length)."""
    lengths = [parse_length(part) for part in value.split()]
    if not lengths or None in lengths:
        return None
    return all(length[0] == 0 for length in lengths if length is not None)


# CSS's named colours (CSS Color 4, the 148 of its table), as hex
_CSS_COLOUR_NAMES = """
aliceblue f0f8ff antiquewhite faebd7 aqua 00ffff aquamarine 7fffd4 azure f0ffff beige f5f5dc
bisque ffe4c4 black 000000 blanchedalmond ffebcd blue 0000ff blueviolet 8a2be2 brown a52a2a
burlywood deb887 cadetblue 5f9ea0 chartreuse 7fff00 chocolate d2691e coral ff7f50
cornflowerblue 6495ed cornsilk fff8dc crimson dc143c cyan 00ffff darkblue 00008b darkcyan 008b8b
darkgoldenrod b8860b darkgray a9a9a9 darkgreen 006400 darkgrey a9a9a9 darkkhaki bdb76b
darkmagenta 8b008b darkolivegreen 556b2f darkorange ff8c00 darkorchid 9932cc darkred 8b0000
darksalmon e9967a darkseagreen 8fbc8f darkslateblue 483d8b darkslategray 2f4f4f
darkslategrey 2f4f4f darkturquoise 00ced1 darkviolet 9400d3 deeppink ff1493 deepskyblue 00bfff
dimgray 696969 dimgrey 696969 dodgerblue 1e90ff firebrick b22222 floralwhite fffaf0
forestgreen 228b22 fuchsia ff00ff gainsboro dcdcdc ghostwhite f8f8ff gold ffd700
goldenrod daa520 gray 808080 green 008000 greenyellow adff2f grey 808080 honeydew f0fff0
hotpink ff69b4 indianred cd5c5c indigo 4b0082 ivory fffff0 khaki f0e68c lavender e6e6fa
lavenderblush fff0f5 lawngreen 7cfc00 lemonchiffon fffacd lightblue add8e6 lightcoral f08080
lightcyan e0ffff lightgoldenrodyellow fafad2 lightgray d3d3d3 lightgreen 90ee90 lightgrey d3d3d3
lightpink ffb6c1 lightsalmon ffa07a lightseagreen 20b2aa lightskyblue 87cefa
lightslategray 778899 lightslategrey 778899 lightsteelblue b0c4de lightyellow ffffe0 lime 00ff00
limegreen 32cd32 linen faf0e6 magenta ff00ff maroon 800000 mediumaquamarine 66cdaa
mediumblue 0000cd mediumorchid ba55d3 mediumpurple 9370db mediumseagreen 3cb371
mediumslateblue 7b68ee mediumspringgreen 00fa9a mediumturquoise 48d1cc mediumvioletred c71585
midnightblue 191970 mintcream f5fffa mistyrose ffe4e1 moccasin ffe4b5 navajowhite ffdead
navy 000080 oldlace fdf5e6 olive 808000 olivedrab 6b8e23 orange ffa500 orangered ff4500
orchid da70d6 palegoldenrod eee8aa palegreen 98fb98 paleturquoise afeeee palevioletred db7093
papayawhip ffefd5 peachpuff ffdab9 peru cd853f pink ffc0cb plum dda0dd powderblue b0e0e6
purple 800080 rebeccapurple 663399 red ff0000 rosybrown bc8f8f royalblue 4169e1
saddlebrown 8b4513 salmon fa8072 sandybrown f4a460 seagreen 2e8b57 seashell fff5ee sienna a0522d
silver c0c0c0 skyblue 87ceeb slateblue 6a5acd slategray 708090 slategrey 708090 snow fffafa
springgreen 00ff7f steelblue 4682b4 tan d2b48c teal 008080 thistle d8bfd8 tomato ff6347
turquoise 40e0d0 violet ee82ee wheat f5deb3 white ffffff whitesmoke f5f5f5 yellow ffff00
yellowgreen 9acd32
"""
_NAMED_COLOURS: dict[str, Colour] = {
    name: (int(code[0:2], 16), int(code[2:4], 16), int(code[4:6], 16), 1.0)
    for name, code in zip(*[iter(_CSS_COLOUR_NAMES.split())] * 2, strict=True)
}
_NAMED_COLOURS |= {
    "windowtext": (0, 0, 0, 1.0), "window": (255, 255, 255, 1.0), "transparent": (0, 0, 0, 0.0),
}  # fmt: skip
UNKNOWN_COLOUR: Colour = (-1, -1, -1, 1.0)  # equal to no colour nianbao knows
SEE_THROUGH: Colour = (0, 0, 0, 0.0)  # a background showing its parent's
_HEX = re.compile(r"^#([0-9a-f]{3,4}|[0-9a-f]{6}|[0-9a-f]{8})$")
_RGB = re.compile(r"^rgba?\(([^)]*)\)$")
_HSL = re.compile(r"^hsla?\(([^)]*)\)$")
_TURN = {"": 1 / 360, "deg": 1 / 360, "turn": 1.0, "rad": 1 / (2 * math.pi), "grad": 1 / 400}
_COLOUR_WORD = re.compile(r"#[0-9a-f]+|(?:rgb|hsl)a?\([^)]*\)|[a-z]+")


def parse_colour(value: str) -> Colour:
    """A CSS or HTML colour (``#fff``, ``#ffffff``, ``rgb(255, 255, 255)``,
    ``hsl(0, 0%, 100%)``, ``white``, ``snow``); one nianbao does not know (``lab()``,
    ``currentcolor``) is UNKNOWN_COLOUR, equal to none."""
    value = value.strip().lower()
    if value in _NAMED_COLOURS:
        return _NAMED_COLOURS[value]
    if (hexa := _HEX.match(value)) is not None:
        digits = hexa.group(1)
        if len(digits) <= 4:
            digits = "".join(d * 2 for d in digits)
        alpha = int(digits[6:8], 16) / 255 if len(digits) == 8 else 1.0
        return (int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16), alpha)
    if (rgb := _RGB.match(value)) is not None:
        parts = [part for part in re.split(r"[\s,/]+", rgb.group(1)) if part]
        numbers = [parse_length(part) for part in parts]
        if len(numbers) in (3, 4) and None not in numbers:
            channels = [
                round(n * 2.55) if unit == "%" else round(n)
                for n, unit in (number for number in numbers[:3] if number is not None)
            ]
            return (*channels, _alpha(numbers))  # type: ignore[return-value]
    if (hsl := _HSL.match(value)) is not None:
        return _hsl(hsl.group(1))
    return UNKNOWN_COLOUR


def _hsl(arguments: str) -> Colour:
    """``hsl(hue, saturation, lightness[, alpha])`` as red, green, blue and alpha."""
    numbers = [parse_length(part) for part in re.split(r"[\s,/]+", arguments) if part]
    if len(numbers) not in (3, 4) or None in numbers:
        return UNKNOWN_COLOUR
    (hue, turn), (saturation, _), (lightness, _) = numbers[:3]  # type: ignore[misc]
    if turn not in _TURN:
        return UNKNOWN_COLOUR
    red, green, blue = colorsys.hls_to_rgb(
        hue * _TURN[turn] % 1, min(max(lightness / 100, 0), 1), min(max(saturation / 100, 0), 1)
    )
    return (round(red * 255), round(green * 255), round(blue * 255), _alpha(numbers))


def _alpha(numbers: list[tuple[float, str] | None]) -> float:
    """The opacity a colour function's fourth argument gives (1 without one)."""
    if len(numbers) < 4 or numbers[3] is None:
        return 1.0
    n, unit = numbers[3]
    return n / 100 if unit == "%" else n


def parse_background(value: str | None) -> Colour | None:
    """The colour a ``background`` or ``background-color`` paints; SEE_THROUGH for none
    (the parent's shows through), None for one not known (a picture, a gradient, a colour
    partly see-through)."""
    if value is None:
        return SEE_THROUGH
    value = value.strip().lower()
    if "url(" in value or "gradient(" in value:
        return None
    for word in _COLOUR_WORD.findall(value):
        colour = parse_colour(word)
        if colour is not UNKNOWN_COLOUR or word.startswith(("#", "rgb")):
            if colour[3] == 0:
                return SEE_THROUGH
            return colour if colour[3] == 1 else None
    return SEE_THROUGH if value in ("none", "initial", "inherit", "") else None


def same_colour(text: Colour | None, background: Colour | None) -> bool:
    """Whether text of colour ``text`` cannot be seen on ``background``: see-through text, or
    a colour a reader cannot tell from the background's (white on a white page)."""
    if text is None:
        return False
    if text[3] <= 0.05:
        return True
    if background is None or text is UNKNOWN_COLOUR or background is UNKNOWN_COLOUR:
        return False
    return indistinguishable(text, background)


# -- the page's own style sheets (<style>): rules of simple selectors ------------------------------


DOUBTFUL = "data-nianbao-doubtful"  # set on an element a rule nianbao cannot match may change
# what a sheet's rule may do to what shows; rules setting nothing else are not looked at
_SHOWN_BY = frozenset(
    {
        "display", "visibility", "mso-hide", "text-decoration", "text-decoration-line",
        "vertical-align", "font-size", "font", "color", "background", "background-color",
        "opacity", "height", "max-height", "width", "max-width", "overflow", "overflow-x",
        "overflow-y", "padding", "padding-top", "padding-bottom", "padding-left",
        "padding-right", "position", "clip", "left", "top", "float", "content",
        "white-space", "grid-template-columns", "grid-template", "grid", "grid-auto-flow",
        "grid-template-areas", "grid-column", "grid-row", "grid-area", "grid-column-start",
        "grid-column-end", "grid-row-start", "grid-row-end", "order", "flex-direction",
        "bottom", "mso-text-raise", "-webkit-text-fill-color", "-webkit-text-stroke",
        "-webkit-text-stroke-width", "filter", "clip-path",
    }
)  # fmt: skip
_COMPOUND = re.compile(r"^(?P<tag>[a-z][a-z0-9-]*|\*)?(?P<rest>(?:[.#][\w-]+)*)$", re.IGNORECASE)
_PART = re.compile(r"([.#])([\w-]+)")
_CHILD = re.compile(r"\s*>\s*")
# what a rule only does while the reader points, clicks or selects: not what the page shows
_DYNAMIC = re.compile(
    r":(?:hover|focus|focus-within|focus-visible|active|visited|target|checked)"
    r"|::?(?:selection|placeholder|marker|backdrop|first-line|first-letter)",
    re.IGNORECASE,
)
_NO_CONTENT = frozenset({"none", "normal", '""', "''"})
_SCREEN_MEDIA = frozenset({"", "all", "screen", "only screen"})
_MAX_COMPOUNDS = 16  # a longer selector is no page's; it is left unmatched, as doubtful
# Selector compounds tried on a page's elements, at most (about 5 s of work). The published
# pages in the reference take none, a framework's sheet of class selectors few; a table of
# 5,000 cells under 200 rules for cells (`.content .c1 td`) 1.5 million. A sheet made to stall a
# reader (thousands of distinct rules each selecting every cell) takes billions.
MAX_SELECTOR_TRIES = 10_000_000


class StyleSheetTooComplex(Exception):
    """Applying the page's style sheets would take more than MAX_SELECTOR_TRIES."""


# A compound selector: (tag or None, ids, classes); a selector: compounds from the subject
# leftwards and the combinator (">" or " ") before each.
_Compound = tuple[str | None, frozenset[str], frozenset[str]]
_Selector = tuple[tuple[_Compound, ...], tuple[str, ...]]


def apply_style_sheets(root) -> None:
    """Fold the rules of the page's ``<style>`` sheets into each element's ``style`` attribute,
    as a browser cascades them: a sheet's rule under the element's own style, its
    ``!important`` over it (the element's own ``!important`` over all), a more specific
    selector over a less specific one, a later rule over an earlier one.

    Selectors of tags, classes and ids, joined by descendant and child combinators, are
    matched. A rule hiding text whose selector says more (``:first-child``, ``[title]``,
    ``a + b``) or that adds text (``::before { content: … }``) is not guessed at: the text of
    the elements it may apply to is said to be doubtful (no figure is read from it: V01).
    Rules only for print, for some screen widths, or while the reader points at something,
    and linked sheets (not in the file) do not count."""
    rules: list[tuple[_Selector, tuple[int, int, int], int, dict[str, str], dict[str, str]]] = []
    doubtful: list[_Selector] = []
    order = 0
    for sheet in root.iter("style"):
        media = _WHITE.sub(" ", (sheet.get("media") or "").strip().lower())
        if media not in _SCREEN_MEDIA or any(
            outer.tag in ("template", "noscript", "svg") for outer in sheet.iterancestors()
        ):
            continue
        for selectors, body in _css_rules(sheet.text or ""):
            normal, important = _declarations(body)
            if not normal and not important:
                continue
            declared = {**normal, **important}
            for written in selectors.split(","):
                written = written.strip()
                order += 1
                if not written or _DYNAMIC.search(written):
                    continue
                selector = _selector(written)
                if selector is not None:
                    rules.append((selector, _specificity(selector), order, normal, important))
                elif (loose := _doubt_selector(written)) is not None and (
                    _hides(declared)
                    or (":before" in written or ":after" in written)
                    and declared.get("content", "none") not in _NO_CONTENT
                ):
                    doubtful.append(loose)
    if not rules and not doubtful:
        return
    # Each distinct selector is tried once per element, and only where its subject's key (its
    # id, a class, else its tag) is the element's and the key of the compound left of it is an
    # ancestor's, as browsers filter: a page inlining a framework's thousands of rules over
    # thousands of elements took a minute when every rule was tried on every element.
    rules_of: dict[_Selector, list[int]] = {}  # a selector -> the rules written with it
    for n, (selector, *_rest) in enumerate(rules):
        rules_of.setdefault(selector, []).append(n)
    by_key, doubtful_by_key = _by_keys(rules_of), _by_keys(dict.fromkeys(doubtful))
    facts = _Facts()
    path: list[tuple[Any, list[str]]] = []  # the ancestors of the element and their keys
    above: dict[str, int] = {}  # the keys of the ancestors, counted
    # What the sheets give an element depends only on the selectors that select it: folded
    # once per such set, so a sheet repeating a rule thousands of times costs once, and each
    # element's style holds one value per property, not one per rule.
    folded: dict[frozenset[_Selector], tuple[dict[str, str], dict[str, str]]] = {}
    tries = 0
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        parent = element.getparent()
        while path and path[-1][0] is not parent:
            for key in path.pop()[1]:
                above[key] -= 1
                if not above[key]:
                    del above[key]
        keys = facts.keys(element)
        path.append((element, keys))
        for selector in _tried(doubtful_by_key, keys, above):
            tries += len(selector[0])
            if facts.selects(element, selector):
                element.set(DOUBTFUL, "")
                break
        matched = []
        for selector in _tried(by_key, keys, above):
            tries += len(selector[0])
            if facts.selects(element, selector):
                matched.append(selector)
        if tries > MAX_SELECTOR_TRIES:
            raise StyleSheetTooComplex
        for key in keys:
            above[key] = above.get(key, 0) + 1
        if not matched:
            continue
        chosen = frozenset(matched)
        if chosen not in folded:
            folded[chosen] = _fold([n for s in chosen for n in rules_of[s]], rules)
        normal, important = folded[chosen]
        own = element.get("style") or ""
        style = {**normal, **inline_declarations(own), **important, **_declarations(own)[1]}
        element.set("style", ";".join(f"{k}:{v}" for k, v in style.items()))


def _fold(
    numbers: list[int],
    rules: list[tuple[_Selector, tuple[int, int, int], int, dict[str, str], dict[str, str]]],
) -> tuple[dict[str, str], dict[str, str]]:
    """The declarations of ``rules[n]`` for ``n`` in ``numbers`` as the cascade leaves them:
    (normal, ``!important``), a more specific rule over a less specific one, a later over an
    earlier."""
    normal: dict[str, str] = {}
    important: dict[str, str] = {}
    for n in sorted(numbers, key=lambda n: (rules[n][1], rules[n][2])):
        normal.update(rules[n][3])
        important.update(rules[n][4])
    return normal, important


def _key(compound: _Compound) -> str | None:
    """What an element must have to match ``compound``: its id, one of its classes, else its
    tag; None when any element may (``*``)."""
    tag, ids, classes = compound
    if ids:
        return f"#{next(iter(ids))}"
    if classes:
        return f".{next(iter(classes))}"
    return tag


_Keyed = dict[str, dict[str | None, list[_Selector]]]


def _by_keys(selectors: dict[_Selector, Any]) -> _Keyed:
    """The selectors by their subject's key ("*" for any element), then by the key of the
    compound left of the subject (None: none, or any element)."""
    found: _Keyed = {}
    for selector in selectors:
        compounds = selector[0]
        subject = _key(compounds[0]) or "*"
        left = _key(compounds[1]) if len(compounds) > 1 else None
        found.setdefault(subject, {}).setdefault(left, []).append(selector)
    return found


def _tried(keyed: _Keyed, keys: list[str], above: dict[str, int]) -> Iterator[_Selector]:
    """The selectors worth trying on an element of ``keys`` under ancestors of ``above``."""
    for key in (*keys, "*"):
        by_left = keyed.get(key)
        if not by_left:
            continue
        yield from by_left.get(None, ())
        if len(by_left) <= len(above):
            for left, selectors in by_left.items():
                if left is not None and left in above:
                    yield from selectors
        else:
            for left in above:
                yield from by_left.get(left, ())


def _css_rules(css: str, depth: int = 0) -> list[tuple[str, str]]:
    """The (selectors, declarations) of a style sheet's rules that apply on a screen: those
    in ``@media screen`` and ``@media all`` too, none in other at-rules."""
    css = _CSS_COMMENT.sub(" ", css).replace("<!--", " ").replace("-->", " ")
    found: list[tuple[str, str]] = []
    at = 0
    while (brace := css.find("{", at)) != -1:
        prelude = css[at:brace]
        if ";" in prelude and prelude.lstrip().startswith("@"):  # @import …; @charset …;
            at += prelude.index(";") + 1
            continue
        end, nested = brace + 1, 1
        while end < len(css) and nested:
            nested += {"{": 1, "}": -1}.get(css[end], 0)
            end += 1
        body = css[brace + 1 : end - 1]
        prelude = _WHITE.sub(" ", prelude.strip())
        if prelude.lower().startswith("@media"):
            queries = prelude[6:].lower().split(",")
            if depth < 4 and all(query.strip() in _SCREEN_MEDIA - {""} for query in queries):
                found += _css_rules(body, depth + 1)
        elif not prelude.startswith("@"):
            found.append((prelude, body))
        at = end
    return found


def _declarations(body: str) -> tuple[dict[str, str], dict[str, str]]:
    """A declaration block's declarations of what shows: (normal, ``!important``)."""
    normal: dict[str, str] = {}
    important: dict[str, str] = {}
    for declaration in _CSS_COMMENT.sub("", body).split(";"):
        name, colon, value = declaration.partition(":")
        name = name.strip().lower()
        if colon and name in _SHOWN_BY:
            value = _WHITE.sub(" ", value).strip().lower()
            plain = _IMPORTANT.sub("", value)
            (important if plain != value else normal)[name] = plain
    return normal, important


def _selector(written: str) -> _Selector | None:
    """A selector of tags, classes and ids joined by descendant or child combinators; None
    for any other."""
    tokens = _CHILD.sub(" > ", written).split()
    compounds: list[_Compound] = []
    combinators: list[str] = []
    expect_compound = True
    for token in tokens:
        if token == ">":
            if expect_compound:
                return None
            combinators.append(">")
            expect_compound = True
            continue
        if not expect_compound:
            combinators.append(" ")
        compound = _compound(token)
        if compound is None:
            return None
        compounds.append(compound)
        expect_compound = False
    if expect_compound or not compounds or len(compounds) > _MAX_COMPOUNDS:
        return None
    compounds.reverse()
    combinators.reverse()
    return tuple(compounds), tuple(combinators)


def _compound(token: str) -> _Compound | None:
    match = _COMPOUND.match(token)
    if match is None or not token:
        return None
    tag = match.group("tag")
    parts = _PART.findall(match.group("rest"))
    return (
        None if tag in (None, "*") else tag.lower(),
        frozenset(name for kind, name in parts if kind == "#"),
        frozenset(name for kind, name in parts if kind == "."),
    )


def _doubt_selector(written: str) -> _Selector | None:
    """For a selector nianbao does not match, one it does match selecting every element the
    written one may select: each compound without its pseudo-classes and attributes, and a
    compound before ``+`` or ``~`` left out (``.nav li + li`` may select any ``li`` in
    ``.nav``). None when its subject then names nothing (it might be any element: the rule is
    left alone) or a part is still not matched."""
    tokens = re.sub(r"\s*([>+~])\s*", r" \1 ", written.strip()).split()
    kept: list[str] = []
    for token in tokens:
        if token in ("+", "~"):
            if kept and kept[-1] != ">":
                kept.pop()  # the sibling: the subject shares its ancestors
            continue
        kept.append(token if token == ">" else re.split(r"[:\[]", token, maxsplit=1)[0] or "*")
    if not kept or kept[-1] in (">", "*"):
        return None
    selector = _selector(" ".join(kept))
    if selector is None or selector[0][0] == (None, frozenset(), frozenset()):
        return None
    return selector


def _hides(declarations: dict[str, str]) -> bool:
    """Whether these declarations hide what they apply to (for a rule nianbao cannot match).
    White text hides only on a page's own white: a rule giving its own background (white on
    blue, a header row's style) shows it."""
    background = declarations.get("background-color", declarations.get("background"))
    ground = WHITE_PAGE if background is None else parse_background(background)
    ground = WHITE_PAGE if ground is SEE_THROUGH else ground
    return (
        declarations.get("display") == "none"
        or declarations.get("visibility") in ("hidden", "collapse")
        or declarations.get("mso-hide") == "all"
        or parse_opacity(declarations.get("opacity")) == 0
        or font_hides(declarations, False)
        or ("color" in declarations and same_colour(parse_colour(declarations["color"]), ground))
    )


def _specificity(selector: _Selector) -> tuple[int, int, int]:
    compounds = selector[0]
    return (
        sum(len(ids) for _, ids, _ in compounds),
        sum(len(classes) for _, _, classes in compounds),
        sum(1 for tag, _, _ in compounds if tag is not None),
    )


_Fact = tuple[str, str, frozenset[str]]  # an element's tag, id and classes


class _Facts:
    """What selectors look at of each element (tag, id, classes) and of its ancestors, read
    from the tree once per element rather than once per selector tried."""

    def __init__(self) -> None:
        self._facts: dict[Any, _Fact] = {}
        self._ancestors: dict[Any, list[_Fact]] = {}

    def of(self, element: Any) -> _Fact:
        fact = self._facts.get(element)
        if fact is None:
            fact = self._facts[element] = (
                element.tag,
                (element.get("id") or "").strip(),
                frozenset((element.get("class") or "").split()),
            )
        return fact

    def keys(self, element: Any) -> list[str]:
        """The keys a selector's compound may require of ``element`` (``_key``)."""
        tag, own_id, classes = self.of(element)
        keys = [tag, *(f".{name}" for name in classes)]
        if own_id:
            keys.append(f"#{own_id}")
        return keys

    def ancestors(self, element: Any) -> list[_Fact]:
        found = self._ancestors.get(element)
        if found is None:
            found = self._ancestors[element] = [self.of(a) for a in element.iterancestors()]
        return found

    def selects(self, element: Any, selector: _Selector) -> bool:
        """Whether ``selector`` selects ``element``: its subject matches the element, and
        each compound to the left an ancestor (the parent, for ``>``) of the one matched
        before."""
        compounds, combinators = selector
        if not _compound_matches(self.of(element), compounds[0]):
            return False
        if not combinators:
            return True
        ancestors = self.ancestors(element)
        reached = [-1]  # the positions in ancestors (-1: the element) matched so far
        for compound, combinator in zip(compounds[1:], combinators, strict=True):
            if combinator == ">":
                reached = [
                    n + 1
                    for n in reached
                    if n + 1 < len(ancestors) and _compound_matches(ancestors[n + 1], compound)
                ]
            else:  # any ancestor above the nearest reached: the nearest leaves the most choice
                start = min(reached) + 1
                reached = [
                    n
                    for n in range(start, len(ancestors))
                    if _compound_matches(ancestors[n], compound)
                ]
            if not reached:
                return False
        return True


def _compound_matches(fact: _Fact, compound: _Compound) -> bool:
    tag, ids, classes = compound
    if tag is not None and fact[0] != tag:
        return False
    if ids and (len(ids) > 1 or fact[1] not in ids):  # #a#b: no element has two ids
        return False
    return not classes or classes <= fact[2]
