"""How much drawing a PDF's pages ask for, measured before any reader lays a page out.

A page's content stream may draw a form XObject (``/X0 Do``), which may draw others: a file of
a few KB can ask for 10⁹ drawing operations (ten forms, each drawing the next ten times), and
both readers (pdfium, pdfminer) expand every form where it is drawn, for minutes and gigabytes,
before any count can stop them. So the content streams are weighed first, from the file's
objects: each page's own bytes of drawing instructions plus, for each form it draws, that
form's weight, as many times as it is drawn; compressed streams are inflated only as far as
the limit.
"""

from __future__ import annotations

import re
import zlib
from typing import Any

# a name before the Do operator: /X0 Do (a name may escape a byte as #xx)
_DO = re.compile(rb"/([^\s/\[\]()<>{}%]+)\s*Do(?![^\s/\[\]()<>{}%])")
_ESCAPED = re.compile(rb"#([0-9A-Fa-f]{2})")


class TooMuchDrawing(Exception):
    """The pages ask for more than the limit's bytes of drawing instructions."""


class CyclicForms(Exception):
    """A form draws itself, directly or through others: a broken file."""


def drawing_bytes(document: Any, limit: int) -> int:
    """The bytes of drawing instructions the pages of ``document`` (a pdfminer PDFDocument)
    run, a form counted each time it is drawn. Raises TooMuchDrawing past ``limit``,
    CyclicForms for a form that draws itself."""
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdftypes import resolve1

    weighing = _Weighing(limit)
    for page in PDFPage.create_pages(document):
        resources = resolve1(page.resources) or {}
        contents = page.contents if isinstance(page.contents, list) else [page.contents]
        data = b"".join(weighing.inflate(resolve1(stream)) for stream in contents if stream)
        weighing.add(len(data))
        weighing.draws(data, resources, ())
    return weighing.total


class _Weighing:
    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.total = 0
        self._forms: dict[tuple[int, int], int] = {}  # (form, resources) -> its weight

    def add(self, size: int) -> None:
        self.total += size
        if self.total > self.limit:
            raise TooMuchDrawing

    def draws(self, data: bytes, resources: Any, drawing: tuple[int, ...]) -> None:
        """Count the forms ``data`` draws (named in ``resources``), each as often as drawn."""
        from pdfminer.pdftypes import PDFStream, resolve1

        if b"Do" not in data:
            return
        xobjects = resolve1(resources.get("XObject")) if isinstance(resources, dict) else None
        if not isinstance(xobjects, dict):
            return
        for name in _DO.findall(data):
            key = _ESCAPED.sub(lambda m: bytes([int(m.group(1), 16)]), name)
            form = xobjects.get(key.decode("latin-1"))
            stream = resolve1(form)
            if not isinstance(stream, PDFStream) or _name(stream.get("Subtype")) != "Form":
                continue
            self.add(self._weight(stream, id(form), resources, drawing))

    def _weight(self, form: Any, key: int, outer: Any, drawing: tuple[int, ...]) -> int:
        """The weight of one drawing of ``form``: its bytes and the forms it draws. Its own
        resources name those; a form without them uses those of where it is drawn."""
        from pdfminer.pdftypes import resolve1

        own = resolve1(form.get("Resources"))
        resources = own if isinstance(own, dict) else outer
        memo = (form.objid or key, id(resources))
        if memo in self._forms:
            return self._forms[memo]
        if memo[0] in drawing:
            raise CyclicForms
        before = self.total
        data = self.inflate(form)
        self.add(len(data))
        self.draws(data, resources, (*drawing, memo[0]))
        weight = self.total - before
        self.total = before  # the caller adds it once per drawing
        self._forms[memo] = weight
        return weight

    def inflate(self, stream: Any) -> bytes:
        """The stream's instructions; a plain Flate stream of an unencrypted file inflated no
        further than the limit needs, any other decoded by pdfminer."""
        if not hasattr(stream, "get_filters"):
            return b""
        filters = stream.get_filters()
        plain_flate = (
            stream.decipher is None
            and stream.rawdata is not None
            and len(filters) == 1
            and _name(filters[0][0]) in ("FlateDecode", "Fl")
            and not filters[0][1]
        )
        if not plain_flate:
            return stream.get_data() or b""
        room = max(self.limit - self.total, 0) + 1
        inflater = zlib.decompressobj()
        pieces: list[bytes] = []
        size = 0
        for start in range(0, len(stream.rawdata), 1 << 16):
            try:
                piece = inflater.decompress(stream.rawdata[start : start + (1 << 16)], room - size)
            except zlib.error:
                break  # a damaged stream: what inflated before the damage is drawn
            pieces.append(piece)
            size += len(piece)
            if size >= room:
                break
        return b"".join(pieces)


def _name(value: Any) -> str:
    return str(getattr(value, "name", value))
