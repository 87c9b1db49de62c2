"""Seeded fuzzing of valid returns: bytes of the zip, XML of the sheets, and cell values.

For every mutant: reading (both engines) either succeeds or raises one of the two documented
exceptions (UnreadableFile, UnknownLayout); nothing else escapes, nothing hangs past a generous
bound, and the whole batch through check_paths gives every file a clean read or findings.

Each case runs in a forked worker process with a deadline, so a hang or a crash of the native
reader fails one test instead of stopping the suite. No timing is asserted.
"""

from __future__ import annotations

import io
import multiprocessing
import random
import re
import traceback
import warnings
import zipfile
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest

from nianbao.form import get_form
from nianbao.form.data import Return
from tests.support import badfiles
from tests.support.returns import valid_return

FORM = get_form("2021")
SEED = 20250101
DEADLINE = 30.0  # seconds per case: far above the few milliseconds a case takes; a hang bound


# --- what the worker does with one file ------------------------------------------------------


def _probe(path: str) -> tuple[str, str]:
    """("read", rule ids of notes) / ("refused", rule id) / ("crash", traceback)."""
    from nianbao.recognise.reader import UnknownLayout, read_return
    from nianbao.sources.preflight import UnreadableFile

    outcomes = []
    for engine in ("calamine", "openpyxl"):
        try:
            ret = read_return(path, engine=engine)
            outcomes.append(("read", ",".join(sorted({n.rule.id for n in ret.notes}))))
        except (UnreadableFile, UnknownLayout) as problem:
            finding = problem.finding
            if Path(path).name not in finding.message:
                return ("crash", f"{engine}: message does not name the file: {finding.message}")
            outcomes.append(("refused", finding.rule.id))
        except BaseException:  # noqa: BLE001 - the point: nothing else may escape
            return ("crash", f"{engine}: {traceback.format_exc()}")
    return outcomes[0]


def _figures_or_refusal(path: str) -> tuple:
    """("read", values, unit, year) or ("refused", rule id), or ("crash", traceback)."""
    from nianbao.pipeline.check import read_one

    try:
        item = read_one(Path(path))
    except BaseException:  # noqa: BLE001 - read_one must not raise at all
        return ("crash", traceback.format_exc())
    if isinstance(item, Return):
        return ("read", dict(item.values), item.unit, item.year)
    return ("refused", item.rule.id)


def _check_all(paths: list[str]) -> list[tuple[str, str, list[str], bool]]:
    """check_paths over every file: (path, status, rule ids, an unexpected-error finding?)."""
    from nianbao.commands.render import render_json, render_text
    from nianbao.pipeline.check import check_paths

    reports = check_paths(paths)
    render_text(reports, {})  # what a user reads must render whatever the cells held
    render_json(reports)
    return [
        (
            str(r.path),
            r.status,
            [f.rule.id for f in r.findings],
            any("异常" in f.operands for f in r.findings),
        )
        for r in reports
    ]


@pytest.fixture(scope="module")
def worker():
    context = multiprocessing.get_context("fork")
    pool = context.Pool(1)
    yield pool
    pool.terminate()
    pool.join()


def _run(worker, function: Callable, argument: object, deadline: float = DEADLINE):
    try:
        return worker.apply_async(function, (argument,)).get(timeout=deadline)
    except multiprocessing.TimeoutError:
        pytest.fail(f"no answer within {deadline} s for {argument!r}: a hang (or a dead worker)")


# --- the valid starting point ------------------------------------------------------------------


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> tuple[Return, bytes]:
    from nianbao.xlsx.writer import write_return

    ret = valid_return(FORM, seed=5, unit="水泥路街道", parent="道外区")
    path = tmp_path_factory.mktemp("fuzz-source") / "valid.xlsx"
    write_return(path, FORM, ret)
    return ret, path.read_bytes()


# --- mutations ---------------------------------------------------------------------------------


def flip_bytes(rng: random.Random, data: bytes) -> bytes:
    mutated = bytearray(data)
    for _ in range(rng.randint(1, 24)):
        mutated[rng.randrange(len(mutated))] = rng.randrange(256)
    return bytes(mutated)


def truncate(rng: random.Random, data: bytes) -> bytes:
    return data[: rng.randrange(1, len(data))]


def duplicate_entry(rng: random.Random, data: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
    name = rng.choice(names)
    other = rng.choice(names)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        payload = archive.read(other)  # the first copy keeps its content, the second lies
    out = io.BytesIO(data)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about the duplicate name
        with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(name, payload)
    return out.getvalue()


def drop_entry(rng: random.Random, data: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        name = rng.choice(archive.namelist())
    return badfiles.rezip(data, replace={name: None})


def shuffle_entries(rng: random.Random, data: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    names = list(parts)
    rng.shuffle(names)
    return badfiles.zip_of({name: parts[name] for name in names})


def mangle_xml(rng: random.Random, data: bytes) -> bytes:
    """Flip, delete or insert a few characters inside one XML part, then re-zip properly."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = [n for n in archive.namelist() if n.endswith((".xml", ".rels"))]
        name = rng.choice(names)
        text = bytearray(archive.read(name))
    for _ in range(rng.randint(1, 6)):
        at = rng.randrange(len(text))
        action = rng.random()
        if action < 0.4:
            text[at] = rng.choice(b'<>/"=&;abc01 \x00\xff\xe4')
        elif action < 0.7:
            del text[at : at + rng.randint(1, 40)]
        else:
            text[at:at] = rng.choice(
                [b"<", b"</c>", b"&amp", b"]]>", b"<v>", "表".encode(), b"\xff"]
            )
    return badfiles.rezip(data, replace={name: bytes(text)})


_CELL_VALUE = re.compile(rb'(<c r="[A-Z]+[0-9]+"[^>]*?)(/>|>.*?</c>)', re.S)
_WEIRD_CELLS = [
    b' t="n"><v>NaN</v></c>',
    b' t="n"><v>1e999</v></c>',
    b' t="n"><v>-1e999</v></c>',
    b' t="n"><v>99999999999999999999999999999</v></c>',
    b' t="n"><v>1.5.5</v></c>',
    b' t="n"><v></v></c>',
    b' t="n"><v>-0</v></c>',
    b' t="n"><v>0x1F</v></c>',
    b' t="e"><v>#DIV/0!</v></c>',
    b' t="e"><v>#REF!</v></c>',
    b' t="b"><v>1</v></c>',
    b' t="b"><v>7</v></c>',
    b' t="s"><v>99999</v></c>',
    b' t="s"><v>-1</v></c>',
    b' t="zz"><v>1</v></c>',
    b' t="str"><v>=1+1</v></c>',
    b' t="inlineStr"><is><t>\xef\xbc\x91\xef\xbc\x92</t></is></c>',
    b' t="inlineStr"><is><t>' + b"9" * 5000 + b"</t></is></c>",
    b' t="inlineStr"><is><t>' + b"1" + b"0" * 400 + b".5</t></is></c>",
    b' t="inlineStr"><is><t>\xe2\x80\xae12</t></is></c>',
    b' t="d"><v>2021-13-45T99:99:99</v></c>',
    b' t="d"><v>2021-01-02</v></c>',
    b' t="n"><f>1/0</f><v>#DIV/0!</v></c>',
    b"/>",
]


def weird_cells(rng: random.Random, data: bytes) -> bytes:
    """Replace some cells of one table sheet with values no spreadsheet application wrote."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/")]
        name = rng.choice(sheets)
        xml = archive.read(name)
    cells = list(_CELL_VALUE.finditer(xml))
    if not cells:
        return data
    chosen = sorted(rng.sample(cells, min(len(cells), rng.randint(1, 12))), key=lambda m: m.start())
    out, last = bytearray(), 0
    for match in chosen:
        head = re.sub(rb' t="[^"]*"', b"", match.group(1))
        out += xml[last : match.start()] + head + rng.choice(_WEIRD_CELLS)
        last = match.end()
    out += xml[last:]
    return badfiles.rezip(data, replace={name: bytes(out)})


BYTE_MUTATIONS = [flip_bytes, truncate, duplicate_entry, drop_entry, shuffle_entries]
XML_MUTATIONS = [mangle_xml, weird_cells]


def _random_text(rng: random.Random, length: int) -> str:
    """Any characters a workbook can hold: no surrogates, no XML-forbidden control characters."""
    text = []
    while len(text) < length:
        code = rng.randint(0x20, 0x2FFFF)
        if not 0xD800 <= code <= 0xDFFF and code not in (0xFFFE, 0xFFFF):
            text.append(chr(code))
    return "".join(text)


def random_value(rng: random.Random) -> object:
    choices: list[Callable[[], object]] = [
        lambda: rng.randint(-(10**6), 10**6),
        lambda: rng.choice([10**15, 10**18, 10**30, -(10**30), 2**63]),
        lambda: Decimal(rng.randint(-(10**9), 10**9)) / Decimal(10 ** rng.randint(0, 12)),
        lambda: Decimal("1E-30"),
        lambda: None,
        lambda: "",
        lambda: rng.choice(
            ["/", "—", "无", "-", "N/A", " 12 ", "１２", "1,234", "1e5", "五", "0.5"]
        ),
        lambda: rng.choice(["=1+1", '=HYPERLINK("x")', "+cmd", "@SUM(A1)", "-1+1", "#REF!"]),
        lambda: _random_text(rng, rng.randint(1, 30)),
        lambda: "9" * rng.choice([20, 400, 5000]),
        lambda: "\u202e" + str(rng.randint(0, 99)),
    ]
    return rng.choice(choices)()


def random_unit(rng: random.Random) -> str | None:
    return rng.choice(
        [
            None,
            "",
            "水泥路街道",
            "=cmd|' /C calc'!A0",
            "单位\x07\x1b[31m红字",
            "很长的单位名称" * 1500,
            "../../etc/passwd",
            "\u202etxt.exe",
            _random_text(rng, 20),
        ]
    )


# --- the tests ---------------------------------------------------------------------------------


def _assert_outcome(path: Path, outcome: tuple[str, str]) -> None:
    kind, detail = outcome
    assert kind in ("read", "refused"), f"{path.name}: {detail}"
    if kind == "refused":
        assert detail in ("F01", "F02", "F03", "F04", "L01"), (path.name, detail)


@pytest.fixture(scope="module")
def mutants(source, tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Several hundred seeded mutants of the valid return's workbook."""
    _, data = source
    folder = tmp_path_factory.mktemp("fuzz")
    rng = random.Random(SEED)
    paths = []
    for index in range(240):
        mutate = BYTE_MUTATIONS[index % len(BYTE_MUTATIONS)]
        paths.append(badfiles.write(folder / f"bytes{index:03}.xlsx", mutate(rng, data)))
    for index in range(200):
        mutate = XML_MUTATIONS[index % len(XML_MUTATIONS)]
        paths.append(badfiles.write(folder / f"xml{index:03}.xlsx", mutate(rng, data)))
    return paths


@pytest.fixture(scope="module")
def cell_mutants(source, tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Returns whose values (and unit names) are random numbers, texts, formulas, unicode."""
    from nianbao.xlsx.writer import write_return

    ret, _ = source
    folder = tmp_path_factory.mktemp("fuzz-cells")
    rng = random.Random(SEED + 1)
    keys = sorted(FORM.input_keys)
    paths = []
    for index in range(120):
        values = dict(ret.values)
        for key in rng.sample(keys, rng.randint(1, 15)):
            values[key] = random_value(rng)
        mutant = Return(form=FORM, values=values, unit=random_unit(rng), year=ret.year)
        path = folder / f"cells{index:03}.xlsx"
        write_return(path, FORM, mutant)
        paths.append(path)
    return paths


@pytest.fixture(scope="module")
def probed(worker, mutants) -> list[tuple[str, str]]:
    """Each byte and XML mutant's outcome in the worker (what :func:`_probe` says), in order."""
    return [_run(worker, _probe, str(path)) for path in mutants]


def test_byte_and_xml_mutants_read_or_are_refused_never_crash(mutants, probed) -> None:
    for path, outcome in zip(mutants, probed, strict=True):
        _assert_outcome(path, outcome)


def test_cell_mutants_read_or_are_refused_never_crash(worker, cell_mutants) -> None:
    for path in cell_mutants:
        _assert_outcome(path, _run(worker, _probe, str(path)))


@pytest.mark.parametrize("compression", [zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED])
def test_one_changed_byte_never_reads_as_other_figures(
    worker, source, tmp_path: Path, compression: int
) -> None:
    """A damaged download: whichever single byte of the file changed, the return is refused or
    read with exactly the figures, unit and year it had (a byte of a part no value comes from
    may change unnoticed). Stored uncompressed, a changed byte in a worksheet is a changed
    digit; deflated, a changed bit can turn one character into another and leave the rest."""
    ret, data = source
    data = badfiles.rezip(data, compression=compression)
    original = ("read", dict(ret.values), ret.unit, ret.year)
    assert (
        _run(worker, _figures_or_refusal, str(badfiles.write(tmp_path / "原件.xlsx", data)))
        == original
    )
    rng = random.Random(SEED + compression)
    for index in range(150):
        at = rng.randrange(len(data))
        changed = bytes([data[at] ^ (1 << rng.randrange(8))])
        path = badfiles.write(tmp_path / f"改{index:03}.xlsx", data[:at] + changed + data[at + 1 :])
        outcome = _run(worker, _figures_or_refusal, str(path))
        assert outcome[0] != "crash", outcome
        assert outcome[0] == "refused" or outcome == original, (at, outcome[:1])


def test_check_paths_gives_every_mutant_a_clean_read_or_findings(
    worker, mutants, cell_mutants
) -> None:
    paths = [str(p) for p in [*mutants, *cell_mutants]]
    results = _run(worker, _check_all, paths, deadline=DEADLINE * 10)
    assert [path for path, *_ in results] == paths
    for path, status, rules, unexpected in results:
        assert not unexpected, f"{Path(path).name}: an unexpected exception became {rules}"
        assert status in ("ok", "warnings", "errors", "unreadable")
        if status == "unreadable":
            assert len(rules) == 1 and rules[0] in ("F01", "F02", "F03", "F04", "L01")
        elif status != "ok":
            assert rules


def test_the_fuzz_actually_exercises_every_outcome(worker, probed, cell_mutants) -> None:
    """Guard against a fuzz that only ever hits one branch (e.g. every mutant refused)."""
    outcomes = {kind for kind, _ in probed[:60]}
    assert outcomes == {"read", "refused"}
    statuses = {s for _, s, _, _ in _run(worker, _check_all, [str(p) for p in cell_mutants])}
    assert {"errors"} <= statuses
