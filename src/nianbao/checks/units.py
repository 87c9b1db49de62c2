"""Which unit a return is: the roster's 单位代码 first, then the name.

One policy for every place that pairs a return with something kept by unit: the roster (status,
merge, groups), last year's returns (``--previous``) and explanations (``--accept``).

- a code (written into the template's identity sheet by ``template --roster``) identifies the
  unit whatever the cover says: fillers edit names (「某某街道办事处」 → 「某某街道」);
- names compare with ``text.unit_key`` (width, spaces and invisible characters folded, nothing
  else): the cover's 填报单位 first, then the name the template was issued to.
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from nianbao.form.data import Return
from nianbao.text import unit_key

T = TypeVar("T")

# How much two names must share (difflib's ratio on their keys) to be offered as 「最相近」.
_NEAREST_RATIO = 0.5


def code_key(code: str | None) -> str:
    """A 单位代码 as compared: width folded, spaces removed (「２３０１ ０４」 = 「230104」)."""
    return "".join(unicodedata.normalize("NFKC", code or "").split())


class UnitIndex(Generic[T]):
    """Items (roster entries, last year's returns) found by code, then by name."""

    def __init__(
        self,
        items: Iterable[T],
        name: Callable[[T], str | None],
        code: Callable[[T], str | None] = lambda _: None,
    ) -> None:
        self.items = list(items)
        self._names: dict[str, T] = {}
        self._codes: dict[str, T] = {}
        for item in self.items:
            key, number = unit_key(name(item)), code_key(code(item))
            if key:
                self._names.setdefault(key, item)
            if number:
                self._codes.setdefault(number, item)
        self._name = name

    def alias(self, name: str | None, item: T) -> None:
        """Let ``item`` be found by another name too (the first name given for a key wins)."""
        key = unit_key(name)
        if key:
            self._names.setdefault(key, item)

    def __len__(self) -> int:
        return len(self.items)

    def find(self, code: str | None, *names: str | None) -> tuple[T | None, str]:
        """The item with this code, else the first of ``names`` that one has; and how it was
        found: "code", "name" (the first name), "issued" (a later name) or "" (not found)."""
        number = code_key(code)
        if number and number in self._codes:
            return self._codes[number], "code"
        for i, name in enumerate(names):
            key = unit_key(name)
            if key and key in self._names:
                return self._names[key], "name" if i == 0 else "issued"
        return None, ""

    def find_return(self, ret: Return) -> tuple[T | None, str]:
        return self.find(ret.code, ret.unit, ret.issued)

    def nearest(self, name: str | None, limit: int = 2) -> list[str]:
        """The names closest to ``name`` (for 「名册中最相近的单位：…」), best first."""
        key = unit_key(name)
        if not key:
            return []
        scored = []
        for item in self.items:
            other = self._name(item) or ""
            ratio = difflib.SequenceMatcher(None, key, unit_key(other)).ratio()
            if ratio >= _NEAREST_RATIO:
                scored.append((-ratio, other))
        return [other for _, other in sorted(scored)[:limit]]


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


@dataclass
class LastYear:
    """Last year's returns (``--previous``) as given: one return, a folder of returns, or a
    summary with its members (read back from its 分单位明细).

    One policy says which of them a return of this year is compared with (``for_return``):
    a summary with last year's total; a unit's return with that unit's own (by code, then
    name), never with the total; and when a single unit's return was given, every return with
    it (``check 某单位.xlsx --previous 某单位-上年.xlsx``; X4 says when the units differ).
    """

    source: str
    returns: list[Return]
    total: Return | None  # the summary or return given, else the sum of a folder's returns
    note: str = ""  # why the returns cannot be paired by unit, or where they came from
    index: UnitIndex[Return] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.index = returns_index(self.returns)

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
        return LastYear(self.source, self.returns, None, self.note)

    def find(self, ret: Return) -> Return | None:
        """``ret``'s unit's return of last year (by code, then name)."""
        return self.index.find_return(ret)[0]

    def for_return(self, ret: Return) -> Return | None:
        if self.single or ret.kind == "summary":
            return self.total
        return self.find(ret)
