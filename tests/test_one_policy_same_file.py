"""One policy for "the same file, however spelled" (``outputs.file_key`` / ``same_file``): a
hard link, a symbolic link and another spelling of a file are that file, alike where inputs
are gathered (``pipeline.check.scan_inputs``), where an output is refused for being an input
(``outputs.refuse_overwriting_inputs``), where ``merge --compare`` is refused for naming a
return to merge (``pipeline.season._among_inputs``) and where ``--previous`` is refused for
naming a return of this year (``Inputs.set_aside_given``)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from nianbao.errors import UserError
from nianbao.outputs import file_key, refuse_overwriting_inputs, same_file
from nianbao.pipeline.check import GIVEN_FILES, scan_inputs
from nianbao.pipeline.season import _among_inputs, read_sent_up

LINKS = ("hard", "symbolic")


def _link(kind: str, source: Path, link: Path) -> Path:
    link.parent.mkdir(parents=True, exist_ok=True)
    if kind == "hard":
        os.link(source, link)
    else:
        link.symlink_to(source)
    return link


@pytest.fixture
def original(tmp_path) -> Path:
    path = tmp_path / "收回" / "甲局.xlsx"
    path.parent.mkdir()
    path.write_bytes(b"x")
    return path


@pytest.mark.parametrize("kind", LINKS)
def test_a_link_is_the_file_itself(kind, original, tmp_path):
    link = _link(kind, original, tmp_path / "别处" / "副本.xlsx")
    assert same_file(original, link) and same_file(link, original)
    assert file_key(original) == file_key(link)
    other = tmp_path / "别处" / "另一个.xlsx"
    other.write_bytes(b"x")  # the same bytes, another file
    assert not same_file(original, other)


def test_a_spelling_through_a_folder_yet_to_be_made_is_the_file_it_will_be(original, monkeypatch):
    monkeypatch.chdir(original.parent)
    assert same_file(Path("新建/../甲局.xlsx"), original)
    assert not same_file(Path("新建/甲局.xlsx"), original)
    # two missing spellings of one path are one file, two missing paths are not
    assert same_file(Path("丙.xlsx"), original.parent / "丙.xlsx")
    assert not same_file(Path("丙.xlsx"), Path("丁.xlsx"))


@pytest.mark.parametrize("kind", LINKS)
def test_inputs_list_a_file_named_twice_by_a_link_once(kind, original, tmp_path):
    link = _link(kind, original, tmp_path / "别处" / "副本.xlsx")
    inputs = scan_inputs([original, link])
    assert inputs.files == [original]


@pytest.mark.parametrize("kind", LINKS)
def test_an_output_that_is_an_input_by_a_link_is_refused(kind, original, tmp_path):
    link = _link(kind, original, tmp_path / "别处" / "汇总.xlsx")
    with pytest.raises(UserError, match="同一个文件"):
        refuse_overwriting_inputs(link, [original])
    with pytest.raises(UserError, match="同一个文件"):
        refuse_overwriting_inputs([tmp_path / "别的.xlsx", original], [link])


@pytest.mark.parametrize("kind", LINKS)
def test_a_compared_summary_that_is_a_return_to_merge_by_a_link_is_refused(
    kind, original, tmp_path
):
    link = _link(kind, original, tmp_path / "别处" / "上报汇总.xlsx")
    inputs = scan_inputs([original.parent])
    assert _among_inputs([link], inputs) == [str(link)]
    with pytest.raises(UserError, match="也在本次要汇总的报表之中"):
        read_sent_up([link], inputs, roster=None, name="某区")
    # a missing file is none of them (reading it says what is wrong)
    assert _among_inputs([tmp_path / "没有.xlsx"], inputs) == []


@pytest.mark.parametrize("kind", LINKS)
def test_last_years_return_that_is_this_years_by_a_link_is_refused(kind, original, tmp_path):
    """The stricter of the old twins: a hard link was not caught here (it compared resolved
    paths), though the same file cannot be both this year's return and last year's."""
    link = _link(kind, original, tmp_path / "去年" / "甲局.xlsx")
    inputs = scan_inputs([original])
    with pytest.raises(UserError, match="同一个文件不能既作本年报表又作上年报表"):
        inputs.set_aside_given([link])


@pytest.mark.parametrize("kind", LINKS)
def test_a_link_in_an_input_folder_to_a_side_file_is_set_aside(kind, original, tmp_path):
    roster = tmp_path / "名册.csv"
    roster.write_text("单位名称\n甲局\n", encoding="utf-8")
    _link(kind, roster, original.parent / "名册副本.csv")
    inputs = scan_inputs([original.parent])
    assert len(inputs.files) == 2
    inputs.set_aside_given([roster])
    assert inputs.files == [original]
    assert inputs.aside == [(original.parent / "名册副本.csv", GIVEN_FILES)]


def test_a_linked_folder_is_read_once_and_a_link_up_the_tree_does_not_loop(original, tmp_path):
    """A folder reached through a symbolic link (a shared drive mapped as a link) is read like
    any other: each file once, each folder once, whatever links lead back to it."""
    inbox = tmp_path / "本区"
    inbox.mkdir()
    (inbox / "街道").symlink_to(original.parent, target_is_directory=True)
    (inbox / "街道副本").symlink_to(original.parent, target_is_directory=True)  # the same again
    (original.parent / "上级").symlink_to(tmp_path, target_is_directory=True)  # back up: a loop
    inputs = scan_inputs([inbox])
    assert inputs.files == [inbox / "街道" / "甲局.xlsx"]
    assert inputs.problems == []
