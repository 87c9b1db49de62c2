"""check_paths validates returns in batches as they are read; the batching never shows."""

import subprocess
import sys

import pytest

from nianbao.form import get_form
from nianbao.form.data import CellValues
from nianbao.pipeline import check as checking
from nianbao.xlsx.writer import write_return
from tests.support.returns import valid_return


@pytest.fixture(scope="module")
def mixed_folder(tmp_path_factory):
    folder = tmp_path_factory.mktemp("inbox")
    form = get_form("2021")
    for i in range(7):
        ret = valid_return(form, seed=i, unit=f"单位{i}", year=2021)
        if i % 3 == 0:
            ret.values["三:1:c1"] = (ret.values["三:1:c1"] or 0) + 1  # breaks E1
        write_return(folder / f"单位{i}.xlsx", form, ret, unit=ret.unit, year=ret.year)
    (folder / "坏文件.xlsx").write_bytes(b"not a workbook")
    return folder


def _summary(reports):
    return [
        (r.path.name, r.status, [(f.rule.id, f.sheet, f.cells) for f in r.findings])
        for r in reports
    ]


@pytest.mark.parametrize("jobs", [1, 2])
def test_small_validation_batches_give_the_same_reports_as_one_batch(
    mixed_folder, monkeypatch, jobs
):
    whole = checking.check_paths([mixed_folder], year=2021, jobs=jobs)
    monkeypatch.setattr(checking, "VALIDATE_BATCH", 2)
    batched = checking.check_paths([mixed_folder], year=2021, jobs=jobs)
    assert _summary(batched) == _summary(whole)
    # every report is in input order and holds the return read from its own file
    assert [r.path for r in batched] == checking.expand_paths([mixed_folder])
    assert all(r.ret is None or r.ret.source == str(r.path) for r in batched)
    assert [r.status for r in whole].count("errors") == 3
    assert [r.status for r in whole].count("unreadable") == 1


def test_returns_read_in_workers_hold_the_same_values_as_read_here(mixed_folder):
    here = checking.check_paths([mixed_folder], year=2021, jobs=1)
    there = checking.check_paths([mixed_folder], year=2021, jobs=2)
    assert len(here) == len(there) >= 4  # enough files for two workers
    for mine, theirs in zip(here, there, strict=True):
        if mine.ret is None:
            assert theirs.ret is None
            continue
        assert type(theirs.ret.values) is type(mine.ret.values) is CellValues  # compact
        assert theirs.ret.values == mine.ret.values
        assert theirs.ret == mine.ret


def _everything(reports):
    return [
        (r.path.name, r.status, [(f.rule.id, f.sheet, f.cells, f.message) for f in r.findings])
        for r in reports
    ]


def test_returns_validated_in_the_workers_get_the_findings_validation_here_gives(
    mixed_folder, monkeypatch
):
    from nianbao.pipeline import isolation

    monkeypatch.setattr(checking, "WORKER_VALIDATION_FROM", 1)
    in_workers = checking.check_paths([mixed_folder], year=2021, jobs=2, require_unit=True)
    monkeypatch.setattr(isolation, "worth_a_process", lambda items, jobs: False)
    here = checking.check_paths([mixed_folder], year=2021, jobs=2, require_unit=True)
    assert _everything(in_workers) == _everything(here)
    assert any(r.findings for r in here if r.ret is not None)


def test_returns_a_worker_could_not_validate_are_validated_here(mixed_folder, monkeypatch):
    monkeypatch.setattr(checking, "WORKER_VALIDATION_FROM", 1)
    normal = checking.check_paths([mixed_folder], year=2021, jobs=2)
    monkeypatch.setattr(checking, "_validate_read", lambda results, validation: [])
    fallback = checking.check_paths([mixed_folder], year=2021, jobs=2)
    assert _everything(fallback) == _everything(normal)


def test_the_parent_only_gathers_when_workers_read_many_files_each(mixed_folder):
    code = (
        "import sys\n"
        "from nianbao.pipeline import check\n"
        "check.WORKER_VALIDATION_FROM = 1\n"
        f"reports = check.check_paths([{str(mixed_folder)!r}], year=2021, jobs=2)\n"
        "print(sum(1 for r in reports if r.findings), 'pandas' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    found, pandas = out.stdout.split()
    assert int(found) > 0 and pandas == "False"
