"""Which unit a return is: the roster's 单位代码 first, then the name.

One policy for every place that pairs a return with something kept by unit: the roster (status,
merge, groups), last year's returns (``--previous``) and explanations (``--accept``).

- a code (written into the template's identity sheet by ``template --roster``) identifies the
  unit whatever the cover says: fillers edit names (「某某街道办事处」 → 「某某街道」);
- names compare with ``text.unit_key`` (width, spaces and invisible characters folded, nothing
  else): the cover's 填报单位 first, then the name the template was issued to; against the
  roster, last, a name that is a roster unit's with the places before it added or left out
  (「哈尔滨市道外区财政局」, 「道外区财政局」: ``place_prefix``), when one roster unit is so.

Across years (``UnitIndex.pair``: this year's units with last year's returns) codes are not
enough: a roster numbered in order (230104001 …) renumbers the units after one inserted. There
each of last year's returns goes to one unit of this year at most, the best match first: code
and name agree, then the name, then the code alone (a renamed unit). A code whose return bears
another name while a return of this unit's name exists is not this unit's (the code moved).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Generic, TypeVar, cast

from nianbao.checks.schemas import PLAUSIBLE_MAX, rules_for
from nianbao.form.data import Return, Value, input_values
from nianbao.form.findings import Finding, Rule, Severity
from nianbao.form.model import Form, ValueType
from nianbao.text import code_key, show_value, unit_key

T = TypeVar("T")
Q = TypeVar("Q")

# How a unit of this year matched one of last year's (``UnitIndex.pair``), best first: its code
# and a name; its name (the cover's); the name its template was issued to; its code alone; its
# name with or without the places before it (「哈尔滨市道外区财政局」 last year).
MATCHES = ("code+name", "name", "issued", "code", "place")
# The operand of a cross-year finding naming last year's unit when it was found by code under
# another name (a renamed unit): an explanation under that name is for this unit (accept).
LAST_YEAR_NAME = "上年单位名称"

# How much two names must share (difflib's ratio on their keys) to be offered as 「最相近」.
_NEAREST_RATIO = 0.5


# What a download or a copy adds to a file's name: 「甲局(1)」「甲局（2）」「甲局 - 副本」「甲局_副本」
# 「甲局 - 复制」「甲局的副本」「甲局 copy」, repeated (「甲局 - 副本 (2)」).
_COPY_SUFFIX = re.compile(
    r"(?:\s*[-_－—]?\s*(?:的)?(?:副本|复制|拷贝|copy)\s*|\s*[(（]\s*\d{1,3}\s*[)）]\s*)+$",
    re.IGNORECASE,
)


def file_unit_name(path: str | Path) -> str:
    """The unit a file's name gives (units name their files after themselves): its stem
    without what a second download or a copy adds (「甲局(1).xlsx」, 「甲局 - 副本.xlsx」)."""
    stem = Path(path).stem
    return _COPY_SUFFIX.sub("", stem) or stem


def file_names_unit(path: str | Path, names: Iterable[str | None], code: str | None) -> bool:
    """Whether a file's name, or the name of the folder it is in (an OA system's download:
    「230104002_丙街道/统计表.xlsx」), holds one of a unit's ``names`` whole, or its 单位代码 not
    inside a longer number (「丙街道2024年报表(终稿).xlsx」, 「230104002-丙街道.xlsx」): a file
    that may be that unit's, said where it would help (never taken for the unit's on this
    alone)."""
    keys = {unit_key(name) for name in names} - {""}
    number = code_key(code)
    # a code of digits is keyed without its leading zeros: the name may keep them (「001-丙街道」)
    zeros = "0*" if number.isdigit() else ""
    for part in (Path(path).stem, Path(path).parent.name):
        stem = unit_key(part)
        if any(key in stem for key in keys):
            return True
        if number and re.search(rf"(?<!\d){zeros}{re.escape(number)}(?!\d)", code_key(stem)):
            return True
    return False


def one_holds_the_other(name: str | None, other: str | None) -> bool:
    """Whether one name is the other with something more (「东一街道」, 「东一街道办事处」;
    「区教育局」, 「某区教育局」): the same unit named with or without a suffix or prefix, more
    likely than by any name that only shares more characters."""
    key, other_key = unit_key(name), unit_key(other)
    return bool(key and other_key) and (key in other_key or other_key in key)


# What a unit's name may carry before the name the roster gives it: the places it is in
# (「哈尔滨市」「黑龙江省哈尔滨市道外区」), each a name ending in its kind of division.
_DIVISIONS = ("省", "自治区", "市", "自治州", "州", "地区", "盟", "区", "县", "旗")
# A division's word followed by another is inside the place's name (「荆州市」 is not 荆州 +
# 市, 「沙市区」 is not 沙市 + 区), unless that other begins a word of a unit's name: 市场, 市政,
# 市容, 区域, 县域, 区直, 区委 (「道外区市场监督管理局」 is 道外区 + 市场监督管理局).
_PLACE = re.compile(
    r"[\u3400-\u9fff]{1,9}?(" + "|".join(_DIVISIONS) + ")(?![省市区县州旗盟](?![场政容域直委]))"
)
_PLACES = re.compile(f"(?:{_PLACE.pattern})+")
_DIVISION_END = re.compile("[" + "".join({division[-1] for division in _DIVISIONS}) + "]")


def place_prefix(name: str | None, other: str | None) -> str:
    """The places one name adds before the other whole (「哈尔滨市道外区太古街道办事处」 and
    「道外区太古街道办事处」: 「哈尔滨市」), "" when neither is the other so prefixed: the
    same unit named with or without where it is."""
    key, other_key = unit_key(name), unit_key(other)
    if not key or not other_key or key == other_key:
        return ""
    longer, shorter = (key, other_key) if len(key) > len(other_key) else (other_key, key)
    prefix = longer[: len(longer) - len(shorter)]
    return prefix if longer.endswith(shorter) and _PLACES.fullmatch(prefix) else ""


def all_places(key: str) -> bool:
    """Whether a unit key is places only (「道外区」, 「哈尔滨市道外区」)."""
    return bool(key) and _PLACES.fullmatch(key) is not None


# How an office's own report names it beyond the name of its place (「哈尔滨市道外区人民政府」).
_GOVERNMENT = re.compile(r"(?:人民政府|政府)$")


def level_names(names: Iterable[str | None]) -> set[str]:
    """The unit keys among ``names`` that name a place's government (「道外区」, 「哈尔滨市道外区
    人民政府」), for ``mark_mixed_summaries``; a bureau (「道外区教育局」) may report as a unit
    of its own summary, and is none."""
    keys = {unit_key(name) for name in names} - {""}
    return {key for key in keys if all_places(_GOVERNMENT.sub("", key))}


def of_level(unit: str | None, level: Collection[str]) -> bool:
    """Whether ``unit`` is one of the ``level`` names (unit keys): the same, or with its places
    or 「人民政府」 added or left out (「哈尔滨市道外区人民政府」 is 「道外区」's report)."""
    key = unit_key(unit)
    if not key or not level:
        return False
    bare = _GOVERNMENT.sub("", key)
    for name in level:
        name_bare = _GOVERNMENT.sub("", name)
        if name_bare in (key, bare) or place_prefix(bare, name_bare):
            return True
    return False


def places_in(names: Iterable[str | None]) -> frozenset[str]:
    """The places the ``names`` begin with, each division on its own (「哈尔滨市道外区人民政府」:
    「哈尔滨市」, 「道外区」): where a district is (its name, its roster's 上级单位), against which
    a place added to a name is weighed (``foreign_place``). A part of a district that only
    reads like one (a roster's 上级单位 「东片区」: ``_WITHIN_A_DISTRICT``) is none: taken for a
    district beside ours, it hid which district ours is."""
    found: set[str] = set()
    for name in names:
        run = _PLACES.match(unit_key(name))
        if run is not None:
            places = (place.group() for place in _PLACE.finditer(run.group()))
            found.update(place for place in places if not place.endswith(_WITHIN_A_DISTRICT))
    return frozenset(found)


# The divisions a district's roster is of, whose names set one district apart from another
# (a 市 may be a prefecture above it or a county-level city beside it: never weighed).
_COUNTIES = ("区", "县", "旗")


def foreign_place(prefix: str, ours: frozenset[str]) -> str:
    """The place ``prefix`` (``place_prefix``'s) ends in, when it is not ours though ours has
    a district or county: another district (「西城区」 where ours is 「东城区」), or a city or
    province without our district (「哈尔滨市财政局」 beside 道外区's 「财政局」: the city's own
    bureau, a level above); "" when it ends in our district, or ours has none (a 市 may be
    a prefecture above it or a county-level city beside it: never weighed)."""
    places = list(_PLACE.finditer(prefix))
    last = places[-1].group() if places else ""
    if not last or not any(place.endswith(_COUNTIES) for place in ours):
        return ""
    if last.endswith(_WITHIN_A_DISTRICT):  # 「东片区」: a part of some district, not another
        return ""
    return "" if last in ours and last.endswith(_COUNTIES) else last


def above_us(place: str) -> bool:
    """Whether a place ``foreign_place`` gave is a level above a district (a city, a
    province), not another district."""
    return not place.endswith(_COUNTIES)


def _names_ours(name: str | None, ours: frozenset[str]) -> bool:
    """Whether ``name`` mentions one of our districts or counties, by its name without its
    kind (「道外」 of 道外区): 「公安局道外分局」 is a branch in 道外区."""
    key = unit_key(name)
    return any(len(place) > 2 and place[:-1] in key for place in ours if place.endswith(_COUNTIES))


def county_of(name: str | None) -> str:
    """The district or county a unit's name begins with (「道外区财政局」, 「哈尔滨市道外区太古街道
    办事处」: 「道外区」), "" when it names none (「财政局」, 「哈尔滨市财政局」) or a part of a
    district that only reads like one (「东片区」, 「工业园区」: ``_WITHIN_A_DISTRICT``)."""
    run = _PLACES.match(unit_key(name))
    places = [place.group() for place in _PLACE.finditer(run.group())] if run else []
    if not places or places[-1].endswith(_WITHIN_A_DISTRICT):
        return ""
    return places[-1] if places[-1].endswith(_COUNTIES) else ""


def relative_name(name: str | None) -> bool:
    """Whether a unit's name says only 「区」 or 「县」 for its district (「区财政局」), not
    「区域」 or 「县域」 of a name (「区域经济合作中心」)."""
    key = unit_key(name)
    return len(key) > 1 and key[0] in _COUNTIES and key[1] not in "域划块"


def member_county(name: str | None, summary_unit: str | None) -> str:
    """The district or county of a unit a summary of ``summary_unit`` counts: the one its own
    name begins with; for a name that says only 「区」 or 「县」 (``relative_name``: 「区财政局」,
    its own district's, as a district's roster names its bureaus), the summary's; else "" (a
    bare 「共建中心」 in two districts' summaries may be one unit both count)."""
    own = county_of(name)
    if own or not relative_name(name):
        return own
    return county_of(summary_unit)


def last_place(name: str | None) -> str:
    """The last of the places a name begins with, of any division (「尚志市」, 「道外区」), ""
    for none: where a summary's units are, for telling two places' codes apart."""
    run = _PLACES.match(unit_key(name))
    places = [place.group() for place in _PLACE.finditer(run.group())] if run else []
    return places[-1] if places and not places[-1].endswith(_WITHIN_A_DISTRICT) else ""


# Areas within a district whose names end in 区 like a district's: two 片区 summaries of one
# district are not two districts (their units may be one unit counted twice).
_WITHIN_A_DISTRICT = ("片区", "园区", "社区", "小区", "景区", "校区", "辖区", "街区", "分区")


def begins_with_place(name: str | None) -> bool:
    """Whether a unit's name begins with a place (「尚志市财政局」, 「哈尔滨市教育局」): a place
    added before a roster name that begins with its own is one above it (「哈尔滨市尚志市财政局」),
    never another district."""
    return _PLACES.match(unit_key(name)) is not None


def without_places(keys: Iterable[str]) -> dict[str, str]:
    """Those of ``keys`` (unit_key's) that are another of them with places before it ->
    the shortest such (「哈尔滨市道外区财政局」, 「道外区财政局」 -> 「财政局」): the units of
    returns compared among themselves, without a roster. A key not given is itself."""
    known = set(keys)
    found: dict[str, str] = {}
    for key in known:
        if not _DIVISION_END.search(key, 0, len(key) - 1):
            continue  # most names: no place in them to leave out
        ends = [m.end() for m in _DIVISION_END.finditer(key, 0, len(key) - 1)]
        for n in reversed(ends):
            if key[n:] in known and place_prefix(key, key[n:]):
                found[key] = key[n:]
                break
    return found


class UnitIndex(Generic[T]):
    """Items (roster entries, last year's returns) found by code, then by name."""

    def __init__(
        self,
        items: Iterable[T],
        name: Callable[[T], str | None],
        code: Callable[[T], str | None] = lambda _: None,
    ) -> None:
        self.items: list[T] = []
        self._names: dict[str, T] = {}
        self._codes: dict[str, T] = {}
        self._keys: dict[int, set[str]] = {}  # every name key of an item (by its id)
        self._name, self._code = name, code
        self._places: tuple[int, frozenset[str]] = (0, frozenset())  # (items seen, places)
        for item in items:
            self.add(item)

    def add(self, item: T, *aliases: str | None) -> None:
        """Let ``item`` be found by its code and name, and by ``aliases`` (other names it goes
        by): the first item given for a code or name wins."""
        self.items.append(item)
        number = code_key(self._code(item))
        if number:
            self._codes.setdefault(number, item)
        for name in (self._name(item), *aliases):
            self.alias(name, item)

    def alias(self, name: str | None, item: T) -> None:
        """Let ``item`` be found by another name too (the first name given for a key wins)."""
        key = unit_key(name)
        if key:
            self._names.setdefault(key, item)
            self._keys.setdefault(id(item), set()).add(key)

    def __len__(self) -> int:
        return len(self.items)

    def _hits(self, code: str | None, names: Sequence[str | None]) -> Iterator[tuple[T, str]]:
        """The items with this code, then with each of ``names``, with how each was found:
        "code", "name" (the first name) or "issued" (a later name)."""
        number = code_key(code)
        if number and number in self._codes:
            yield self._codes[number], "code"
        for i, name in enumerate(names):
            key = unit_key(name)
            if key and key in self._names:
                yield self._names[key], "name" if i == 0 else "issued"

    def find(self, code: str | None, *names: str | None) -> tuple[T | None, str]:
        """The item with this code, else the first of ``names`` that one has; and how it was
        found: "code", "name" (the first name), "issued" (a later name) or "" (not found)."""
        return next(self._hits(code, names), (None, ""))

    def candidates(self, code: str | None, *names: str | None) -> list[T]:
        """Every item ``find`` could answer with: the one with this code, then those with each
        of ``names`` (each once, in that order)."""
        found: dict[int, T] = {}
        for item, _ in self._hits(code, names):
            found.setdefault(id(item), item)
        return list(found.values())

    def find_return(self, ret: Return) -> tuple[T | None, str]:
        return self.find(ret.code, ret.unit, ret.issued)

    def claims(self, code: str | None, *names: str | None) -> tuple[list[tuple[T, str]], T | None]:
        """What a unit of another year with this code and ``names`` could be, best first, with
        how it matches (``MATCHES``); and the item its code finds when that bears none of
        ``names`` while an item of one of them exists (the code moved: the name's is this
        unit's). That item comes last: ``pair`` gives it only to a unit whose names' items went
        to units they match better (a cover copied from another unit), never before."""
        number = code_key(code)
        by_code = self._codes.get(number) if number else None
        keys = [unit_key(name) for name in names]
        named: list[tuple[T, str]] = []
        for i, key in enumerate(keys):
            item = self._names.get(key) if key else None
            if item is not None and all(item is not other for other, _ in named):
                named.append((item, "name" if i == 0 else "issued"))
        if by_code is None:
            name = names[0] if names else None
            if not named and (placed := self.by_place(name, self.places())) is not None:
                named.append((placed, "place"))  # 「哈尔滨市道外区财政局」 last year
            return named, None
        own = self._keys.get(id(by_code), set())
        if any(key and key in own for key in keys):
            return [(by_code, "code+name"), *((i, h) for i, h in named if i is not by_code)], None
        if named:
            return [*named, (by_code, "code")], by_code
        return [(by_code, "code")], None

    def match(self, code: str | None, *names: str | None) -> str:
        """How the best of ``claims`` matches (``MATCHES``), "" when nothing does."""
        found = self.claims(code, *names)[0]
        return found[0][1] if found else ""

    def pair(
        self,
        queries: Sequence[Q],
        code: Callable[[Q], str | None],
        names: Callable[[Q], Sequence[str | None]],
    ) -> list[Pairing[T, Q]]:
        """Each of ``queries`` (the units of another year, each once) with the item it is, one
        to one: an item claimed by several goes to the best match (``MATCHES``: code and name,
        then the name, the issued name, the code alone); claimed equally by several, to none of
        them. A query that loses a claim may still get its next one; every claim lost is kept
        (``Pairing.lost``) so that the unit can be told whose it is."""
        wanted = [self.claims(code(query), *names(query)) for query in queries]
        done: dict[int, tuple[T, str]] = {}  # query index -> (item, how)
        owner: dict[int, int] = {}  # id(item) -> the query it went to
        tied: dict[int, tuple[int, ...]] = {}  # id(item) -> the queries that claimed it equally
        lost: dict[int, list[Lost[T, Q]]] = {}
        for how in MATCHES:
            bids: dict[int, tuple[T, list[int]]] = {}
            for q, (claims, _) in enumerate(wanted):
                item = next((i for i, h in claims if h == how), None) if q not in done else None
                if item is None:
                    continue
                if id(item) in owner:
                    lost.setdefault(q, []).append(
                        Lost(item, how, (queries[owner[id(item)]],), False)
                    )
                elif id(item) in tied:
                    rivals = tuple(queries[o] for o in tied[id(item)])
                    lost.setdefault(q, []).append(Lost(item, how, rivals, True))
                else:
                    bids.setdefault(id(item), (item, []))[1].append(q)
            for key, (item, bidders) in bids.items():
                if len(bidders) == 1:
                    done[bidders[0]] = (item, how)
                    owner[key] = bidders[0]
                    continue
                tied[key] = tuple(bidders)
                for q in bidders:
                    rivals = tuple(queries[o] for o in bidders if o != q)
                    lost.setdefault(q, []).append(Lost(item, how, rivals, True))
        found: list[Pairing[T, Q]] = []
        for q in range(len(queries)):
            item, how = done.get(q, (None, ""))
            found.append(Pairing(item, how, tuple(lost.get(q, ())), wanted[q][1]))
        return found

    def places(self) -> frozenset[str]:
        """The places the items' names begin with (``places_in``): where last year's units
        are, so that a name saying only 「区」 (「区财政局」) is of their district, as a roster's
        上级单位 says for ``identify``. Found again only when items were added."""
        seen, found = self._places
        if seen != len(self.items):
            found = places_in(map(self._name, self.items))
            self._places = (len(self.items), found)
        return found

    def by_place(self, name: str | None, ours: frozenset[str] = frozenset()) -> T | None:
        """The one item whose name is ``name`` with or without the places before it
        (``place_prefix``), unless a place ``name`` adds is another than ``ours``
        (``foreign_place``: 「西城区财政局」 is not the roster's 「财政局」 of 东城区); None when
        none is, or several are. A name that says only 「区」 or 「县」 for its district
        (``relative_name``, in the roster or on the cover) is compared as our district's full
        name (「区财政局」 of 道外区 is 「道外区财政局」)."""
        counties = [place for place in ours if place.endswith(_COUNTIES)]
        county = counties[0] if len(counties) == 1 else ""

        def full(text: str | None) -> str:
            key = unit_key(text)
            return county + key[1:] if county and relative_name(key) else key

        def matches(item: T) -> bool:
            theirs = self._name(item)
            prefix = place_prefix(name, theirs)
            if prefix:
                return not self._another_districts(name, item, prefix, ours)
            ours_full, theirs_full = full(name), full(theirs)
            if ours_full == unit_key(name) and theirs_full == unit_key(theirs):
                return False  # neither says only 「区」: nothing more to compare
            return ours_full == theirs_full or bool(place_prefix(ours_full, theirs_full))

        found = [item for item in self.items if matches(item)]
        return found[0] if len(found) == 1 else None

    def _another_districts(
        self, name: str | None, item: T, prefix: str, ours: frozenset[str]
    ) -> bool:
        """Whether ``name`` is ``item``'s name with another district's place before it, or a
        city's without our district (unless the name says our district after it:
        「哈尔滨市公安局道外分局」 is the roster's 「公安局道外分局」)."""
        place = foreign_place(prefix, ours)
        return (
            bool(place)
            and unit_key(name).startswith(prefix)
            and not begins_with_place(self._name(item))
            and not (above_us(place) and _names_ours(self._name(item), ours))
        )

    def elsewhere(self, name: str | None, ours: frozenset[str]) -> tuple[T | None, str] | None:
        """When ``name`` begins with a place other than ``ours`` (``foreign_place``): the item
        ``by_place`` would find but for that place (「西城区财政局」: the roster's 「财政局」),
        or None, and the place."""
        for item in self.items:
            prefix = place_prefix(name, self._name(item))
            if prefix and self._another_districts(name, item, prefix, ours):
                return item, foreign_place(prefix, ours)
        run = _PLACES.match(unit_key(name))
        place = foreign_place(run.group(), ours) if run is not None else ""
        return (None, place) if place and not above_us(place) else None

    def nearest(self, name: str | None, limit: int = 2) -> list[str]:
        """The names closest to ``name`` (for 「名册中最相近的单位：…」), best first: a name
        that holds the other whole (「东一街道」 and 「东一街道办事处」: a suffix or prefix one
        of them lacks) before any that only shares more characters (「西一街道办事处」)."""
        key = unit_key(name)
        if not key:
            return []
        scored = []
        for item in self.items:
            other = self._name(item) or ""
            ratio = difflib.SequenceMatcher(None, key, unit_key(other)).ratio()
            if ratio >= _NEAREST_RATIO:
                scored.append((not one_holds_the_other(name, other), -ratio, other))
        return [other for *_, other in sorted(scored)[:limit]]


@dataclass(frozen=True)
class Lost(Generic[T, Q]):
    """A claim a unit lost (``UnitIndex.pair``): the item, how the unit matched it, and the
    units it went to (one) or that matched it as well as this one (``tie``: it went to none)."""

    item: T
    how: str
    to: tuple[Q, ...]
    tie: bool


@dataclass(frozen=True)
class Pairing(Generic[T, Q]):
    """What a unit was paired with (``UnitIndex.pair``): the item and how it matched ("" and
    None: none); the claims it lost; the item its code found that was left for its name's."""

    item: T | None = None
    how: str = ""
    lost: tuple[Lost[T, Q], ...] = ()
    moved: T | None = None


def returns_index(returns: Sequence[Return]) -> UnitIndex[Return]:
    """Returns found by their code, else their cover name, else the name they were issued to."""
    index: UnitIndex[Return] = UnitIndex(returns, lambda r: r.unit, lambda r: r.code)
    for ret in returns:  # a renamed unit is still found by the name its template was made for
        index.alias(ret.issued, ret)
    return index


def same_unit(a: Return, b: Return) -> bool | None:
    """Whether two returns are of one unit: by code when both have one, else by any of their
    names; None when one of them names no unit at all."""
    if code_key(a.code) and code_key(b.code):
        return code_key(a.code) == code_key(b.code)
    names_a = {unit_key(n) for n in (a.unit, a.issued)} - {""}
    names_b = {unit_key(n) for n in (b.unit, b.issued)} - {""}
    if not names_a or not names_b:
        return None
    return bool(names_a & names_b)


def unit_match(now: Return, last: Return) -> str | None:
    """How ``last``, a return given as last year's, matches ``now`` as one unit across years
    (``MATCHES``, as ``UnitIndex.pair`` pairs them): "" when neither its code nor a name does;
    None when one of them names no unit at all (nor gives a code)."""
    index = returns_index([last])
    how = index.match(now.code, now.unit, now.issued)
    if how or (code_key(now.code) and code_key(last.code)):
        return how
    if not ({unit_key(n) for n in (now.unit, now.issued)} - {""}) or not (
        {unit_key(n) for n in (last.unit, last.issued)} - {""}
    ):
        return None
    return ""


# A unit of this year paired with last year's return (``LastYear.pair``).
Paired = Pairing[Return, Return]


@dataclass
class LastYear:
    """Last year's returns (``--previous``) as given: one return, a folder of returns (and of
    summaries, each standing for the members its 分单位明细 lists), or a summary with its
    members (read back from its 分单位明细).

    One policy says which of them a return of this year is compared with (``for_return``):
    a summary with last year's summary (or member) of the same unit, else last year's total; a
    unit's return with that unit's own, never with the total; and when a single unit's return
    was given, every return with it (``check 某单位.xlsx --previous 某单位-上年.xlsx``; X4 says
    when the units differ). This year's returns are paired with last year's all at once
    (``pair``: one to one, by ``UnitIndex.pair``); a return not among them, alone.

    And one policy says which of last year's figures may be used at all (``unsure``): only
    those read with certainty (see ``unsure_figures``).
    """

    source: str
    returns: list[Return]
    total: Return | None  # the summary or return given, else the sum of a folder's returns
    note: str = ""  # why the returns cannot be paired by unit, or where they came from
    # Files of a folder that could not be read as returns: (path, why, whether an error: a
    # file meant to be a return that is broken, not a Word note)
    unread: tuple[tuple[str, str, bool], ...] = ()
    # What ``total`` adds up when it is a folder's sum (not a return read from a file): its
    # figures are as sure as theirs
    total_parts: tuple[Return, ...] = ()
    # A folder's summaries, each with the members its 分单位明细 lists (those are among
    # ``returns``): a summary of this year is compared with last year's of the same unit
    summaries: tuple[tuple[Return, tuple[Return, ...]], ...] = ()
    # How returns are summed (pipeline.merge.sum_returns, given by who reads the folder): a
    # summary of this year whose units have their own returns in a folder is compared with
    # the sum of those (``members_total``); None: with the folder's total
    summed: Callable[[Sequence[Return]], Return | None] | None = field(default=None, repr=False)
    index: UnitIndex[Return] = field(init=False, repr=False)
    summary_index: UnitIndex[Return] = field(init=False, repr=False)
    _unsure: dict[int, tuple[Return, dict[str, str]]] = field(
        init=False, repr=False, default_factory=dict
    )
    # The pairing of this year's returns (``pair``): by the return's id (kept with it), and by
    # its file (a return rebuilt with the roster's name is the same file); None: two returns
    # of that file were paired
    _pairs: dict[int, tuple[Return, Paired]] = field(init=False, repr=False, default_factory=dict)
    _by_source: dict[str, Paired | None] = field(init=False, repr=False, default_factory=dict)
    # the sums ``members_total`` made, with the returns each adds up (for ``unsure``)
    _sums: dict[int, tuple[Return, tuple[Return, ...]]] = field(
        init=False, repr=False, default_factory=dict
    )

    def __post_init__(self) -> None:
        self.index = returns_index(self.returns)
        self.summary_index = returns_index([summary for summary, _ in self.summaries])

    @property
    def single(self) -> bool:
        """One unit's return was given: it is last year's for every return checked."""
        return self.total is not None and self.total.kind != "summary"

    @property
    def by_unit(self) -> bool:
        """Units are paired with last year's by code and name (a unit without one gets X7)."""
        return not self.single and len(self.index) > 0

    def by_units_only(self) -> LastYear:
        """The same returns paired by unit only: one unit's return given while many returns
        are checked is that unit's, not everyone's (the others get X7)."""
        units = LastYear(
            self.source, self.returns, None, self.note, self.unread, summaries=self.summaries
        )
        units._pairs, units._by_source = self._pairs, self._by_source  # one pairing for both
        return units

    def pair(self, returns: Sequence[Return]) -> None:
        """Pair this year's ``returns`` with last year's, all at once, and keep it (``find``
        answers from it): a summary with last year's summary of the same unit; every other
        unit (returns of one unit, copies, count once) by ``UnitIndex.pair``, one to one."""
        this_year = returns_index(returns)
        units: dict[int, Return] = {}  # one return stands for each unit
        unit_of: list[int] = []
        for ret in returns:
            first = this_year.find_return(ret)[0] or ret
            units.setdefault(id(first), first)
            unit_of.append(id(first))
        found: dict[int, Paired] = {}
        queries = []
        for first in units.values():
            summary = self._summary(first)
            if summary is not None:
                found[id(first)] = summary
            else:
                queries.append(first)
        paired = self.index.pair(queries, lambda r: r.code, lambda r: (r.unit, r.issued))
        found.update((id(first), p) for first, p in zip(queries, paired, strict=True))
        by_source: dict[str, Paired | None] = {}
        for ret, unit in zip(returns, unit_of, strict=True):
            pairing = found[unit]
            self._pairs[id(ret)] = (ret, pairing)
            if ret.source:
                kept = by_source.setdefault(ret.source, pairing)
                by_source[ret.source] = pairing if kept is pairing else None
        self._by_source.update(by_source)

    def _summary(self, ret: Return) -> Paired | None:
        """A summary's pairing with last year's summary of the same unit, if there is one."""
        if ret.kind != "summary":
            return None
        summary, how = self.summary_index.find_return(ret)
        return Pairing(summary, how) if summary is not None else None

    def pairing(self, ret: Return) -> Paired:
        """How ``ret`` was paired (``pair``); a return that was not, alone."""
        kept = self._pairs.get(id(ret))
        if kept is not None and kept[0] is ret:
            return kept[1]
        by_source = self._by_source.get(ret.source) if ret.source else None
        if by_source is not None:
            return by_source
        summary = self._summary(ret)
        if summary is not None:
            return summary
        return self.index.pair([ret], lambda r: r.code, lambda r: (r.unit, r.issued))[0]

    def find(self, ret: Return) -> Return | None:
        """``ret``'s unit's return of last year (``pair``); for a summary, last year's summary
        of the same unit first."""
        return self.pairing(ret).item

    def for_return(self, ret: Return) -> Return | None:
        if self.single:
            return self.total
        if ret.kind == "summary":
            return self.find(ret) or self.members_total(ret) or self.total
        return self.find(ret)

    def members_total(self, ret: Return) -> Return | None:
        """Last year's returns of the units summary ``ret`` lists (its 分单位明细, by code and
        name), summed: what a sub-district's summary is compared with when last year's folder
        holds its units' returns, not the whole folder's total (which counts every unit of
        the district: X4 listed them all as gone). None when none of them is found, or all
        of last year's returns are (the folder's total is that sum)."""
        if self.summed is None or not ret.member_names:
            return None
        codes = ret.member_codes or ()
        found: dict[int, Return] = {}
        for position, name in enumerate(ret.member_names):
            code = codes[position] if position < len(codes) else None
            item = self.index.find(code, name)[0]
            if item is not None:
                found.setdefault(id(item), item)
        if not found or len(found) == len(self.returns):
            return None
        parts = tuple(found.values())
        total = self.summed(parts)
        if total is None:
            return None
        total.source = f"{self.source} 中这些单位的报表之和"
        self._sums[id(total)] = (total, parts)
        return total

    def unmatched(self, members: Sequence[Return]) -> list[Return]:
        """Last year's returns none of ``members`` (this year's) stands for: paired with none
        of them (``find``), and not a member of a summary of last year that one of them was
        paired with."""
        paired = {id(found) for member in members if (found := self.find(member)) is not None}
        covered = {
            id(unit) for summary, units in self.summaries if id(summary) in paired for unit in units
        }
        return [r for r in self.returns if id(r) not in covered and id(r) not in paired]

    def unsure(self, last: Return) -> dict[str, str]:
        """The input cells of ``last`` (one of these returns, or the total) whose figure was
        not read with certainty, and why: see ``unsure_figures``. A folder's total is as
        unsure as the returns it adds up (each reason names its unit)."""
        if last is self.total and self.total_parts:
            return self.unsure_of(self.total_parts)
        made = self._sums.get(id(last))
        if made is not None and made[0] is last:
            return self.unsure_of(made[1])
        kept = self._unsure.get(id(last))
        if kept is None or kept[0] is not last:
            kept = self._unsure[id(last)] = (last, unsure_figures(last))
        return kept[1]

    def unsure_of(self, returns: Iterable[Return]) -> dict[str, str]:
        """The unsure cells of a sum of ``returns`` (a like-for-like total, a group's)."""
        found: dict[str, str] = {}
        for last in returns:
            for key, why in self.unsure(last).items():
                found.setdefault(key, f"{last.label}：{why}")
        return found

    def unread_like(self, ret: Return) -> list[tuple[str, str]]:
        """Unread files whose name looks like ``ret``'s unit's (「丙街道.xlsx」 for 丙街道, or
        holds its 单位代码): (path, why)."""
        return [
            (path, why)
            for path, why, _ in self.unread
            if file_names_unit(path, (ret.unit, ret.issued), ret.code)
        ]

    @property
    def broken(self) -> list[str]:
        """Unread files that were meant to be returns (not notes and other files)."""
        return [path for path, _, error in self.unread if error]


# -- last year's figures that cannot be used ---------------------------------------------------


def unsure_figures(ret: Return) -> dict[str, str]:
    """The input cells of ``ret`` whose figure was not read with certainty, each with why
    (the rule and what the cell holds): a cross-year comparison must not use them.

    - text where a number belongs (V01), a negative count (V02), a fraction of a count (V03),
      a figure beyond what any unit reports (V09): what the cell holds is no figure;
    - cells an error-level reading note names (V07 a formula without its result, V08 an error
      value, V11 hidden under a merge, L09 a row printed twice with other figures, L04 a label
      that is not the form's …); a note that names no data cell makes its whole table unsure
      (its sheet, or the tables its places name), one that names nothing the whole return;
    - every cell of a return left blank (C04: the template sent back as it came).

    A blank cell of a filled return is not unsure: it counts as 0, as V04 says (README).
    """
    form = ret.form
    raw = input_values(form, ret.values)
    keys = form.input_keys
    errors = [note for note in ret.notes if note.level is Severity.ERROR]
    if raw.count(None) == len(raw) and not errors:
        return dict.fromkeys(keys, f"{Rule.C04.id} {Rule.C04.title}")
    found: dict[str, str] = {}
    if not _plain_counts(raw):
        for key, kind, value in zip(keys, _kinds(form), raw, strict=True):
            why = _not_a_figure(value, kind)
            if why is not None:
                found[key] = why
    for note in errors:
        why = f"{note.rule.id} {note.rule.title}"
        for key in _noted_keys(ret, note):
            found.setdefault(key, why)
    return found


def _plain_counts(raw: tuple[Value, ...]) -> bool:
    """Only blanks and whole numbers from 0 to PLAUSIBLE_MAX (the usual return: checked in C)."""
    if not set(map(type, raw)) <= _PLAIN_TYPES:
        return False
    present = cast(list[int], list(filter(None, raw)))  # no blanks (nor zeros: they pass)
    return not present or (min(present) > 0 and max(present) <= PLAUSIBLE_MAX)


_PLAIN_TYPES = frozenset({int, type(None)})


def _not_a_figure(value: Value, kind: ValueType) -> str | None:
    """Why ``value``, in a cell of ``kind``, is no figure: the cell-level rule it breaks (V01
    text, then those ``schemas.CHECKS`` applies to ``kind``: V09, V02, V03), or None."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        return f"{Rule.V01.id} 填的是「{show_value(value)}」，不是数字"
    if isinstance(value, Decimal) and not value.is_finite():
        return f"{Rule.V01.id} 填的是「{show_value(value)}」，不是数字"
    number: int | Decimal = value
    rules = rules_for(kind)
    if Rule.V09 in rules and (number > PLAUSIBLE_MAX or number < -PLAUSIBLE_MAX):
        return f"{Rule.V09.id} {show_value(value)} 超出合理范围"
    if Rule.V02 in rules and number < 0:
        return f"{Rule.V02.id} {show_value(value)} 是负数"
    if Rule.V03 in rules and number != int(number):
        return f"{Rule.V03.id} {show_value(value)} 不是整数"
    return None


@cache
def _kinds(form: Form) -> tuple[ValueType, ...]:
    return tuple(form.cell(key).value_type for key in form.input_keys)


def _noted_keys(ret: Return, note: Finding) -> list[str]:
    """The input cells a reading note is about: the cells (or document places) it names;
    else its table; else every cell."""
    form = ret.form
    keys = form.input_keys
    if note.places:
        tables = {place.table for place in note.places}
        named = [
            key
            for key in keys
            if (place := ret.places.get(key)) is not None
            and any(
                n.table == place.table
                and n.row in ("", place.row)
                and n.column in ("", place.column)
                and (n.row or n.column)
                for n in note.places
            )
        ]
        return named or [key for key in keys if form.cell(key).table.short in tables]
    if note.sheet is not None:
        on_sheet = [key for key in keys if ret.location(key)[0] == note.sheet]
        cells = set(note.cells)
        named = [key for key in on_sheet if ret.location(key)[1] in cells]
        return named or on_sheet or list(keys)
    return list(keys)


def inputs_of(form: Form, key: str) -> tuple[str, ...]:
    """The input cells a cell stands for: itself, or all that its total adds up."""
    return _inputs_of(form, key)


@cache
def _inputs_of(form: Form, key: str) -> tuple[str, ...]:
    equation = form.defining.get(key)
    if equation is None:
        return (key,)
    found: list[str] = []
    for term in equation.rhs:
        found.extend(_inputs_of(form, term.key))
    return tuple(found)


def doubtful(form: Form, keys: Iterable[str], unsure: Mapping[str, str]) -> list[str]:
    """The cells of ``unsure`` among ``keys`` (totals standing for their inputs), in order."""
    if not unsure:
        return []
    found = [k for key in keys for k in inputs_of(form, key) if k in unsure]
    return list(dict.fromkeys(found))


def unsure_text(form: Form, keys: Sequence[str], unsure: Mapping[str, str], limit: int = 3) -> str:
    """``keys`` as a message names them, by reason: 「表三「四、结转下年度继续办理」行「自然人」
    「法人或其他组织·商业企业」等 6 列（L09 …）」; the first few rows of a reason, 「等」 the rest."""
    by_why: dict[str, dict[tuple[str, str], list[str]]] = {}
    for key in keys:
        cell = form.cell(key)
        row = cell.row_label if cell.block.show_row_labels else ""
        by_why.setdefault(unsure[key], {}).setdefault((cell.table.short, row), []).append(
            cell.column_label
        )
    parts = []
    for why, rows in by_why.items():
        named = []
        for (table, row), columns in list(rows.items())[:limit]:
            shown = "".join(f"「{c}」" for c in columns[:limit])
            more = f"等 {len(columns)} " if len(columns) > limit else ""
            named.append(f"{table}「{row}」行{shown}{more}列" if row else f"{table}{shown}{more}格")
        more_rows = f"等 {len(rows)} 行" if len(rows) > limit else ""
        parts.append(f"{'、'.join(named)}{more_rows}（{why}）")
    return "；".join(parts)
