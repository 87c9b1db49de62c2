"""Published reports as Word files: sources/docx.py (.docx -> Grid), through the dispatch."""

from __future__ import annotations

from pathlib import Path

from nianbao.form.findings import Rule
from nianbao.sources.dispatch import open_source
from nianbao.sources.grid import Grid
from tests.support import badfiles
from tests.support.documents import (
    allocations,
    docx_file,
    published,
    refused,
    w_cell,
    w_paragraph,
    w_row,
    w_table,
)

TITLE = w_paragraph("某某区人民政府2024年政府信息公开工作年度报告")


def read(tmp_path: Path, *blocks: str) -> Grid:
    path = docx_file(tmp_path / "报告.docx", TITLE, *blocks)
    with open_source(path) as grid:
        assert grid.kind == "docx"
        return grid


def test_grid_span_and_vertical_merges_leave_covered_cells_none(tmp_path):
    grid = read(
        tmp_path,
        w_table(
            w_row(w_cell("角", span=2, vmerge="restart"), w_cell("申请人情况", span=2)),
            w_row(w_cell(span=2, vmerge=""), w_cell("自然人"), w_cell("总计")),
            w_row(
                w_cell("三、本年度办理结果", vmerge="restart"),
                w_cell("（一）予以公开"),
                w_cell("1"),
                w_cell("2"),
            ),
            w_row(w_cell(vmerge=""), w_cell("（二）部分公开"), w_cell("3"), w_cell("4")),
        ),
    )
    assert grid.sheets[0].rows == [
        ["角", None, "申请人情况"],
        [None, None, "自然人", "总计"],
        ["三、本年度办理结果", "（一）予以公开", "1", "2"],
        [None, "（二）部分公开", "3", "4"],
    ]


def test_grid_before_skips_columns_and_paragraphs_in_a_cell_are_lines(tmp_path):
    grid = read(
        tmp_path,
        w_table(
            w_row(w_cell("信息内容"), w_cell("本年制发件数")),
            w_row(w_cell("12"), before=1),
            w_row(w_cell("商业\n企业"), w_cell("0")),
        ),
    )
    assert grid.sheets[0].rows == [["信息内容", "本年制发件数"], [None, "12"], ["商业\n企业", "0"]]


def test_runs_deleted_text_field_codes_tabs_and_breaks(tmp_path):
    paragraph = (
        "<w:p><w:r><w:t>全区受理</w:t></w:r>"
        "<w:del><w:r><w:delText>删去的</w:delText></w:r></w:del>"
        "<w:ins><w:r><w:t>政府信息公开</w:t></w:r></w:ins>"
        "<w:r><w:instrText> PAGE </w:instrText></w:r>"
        "<w:r><w:t>申请</w:t><w:tab/><w:t>21</w:t><w:br/><w:t>件</w:t></w:r></w:p>"
    )
    grid = read(tmp_path, paragraph)
    assert (grid.text or "").splitlines() == [
        "某某区人民政府2024年政府信息公开工作年度报告",
        "全区受理政府信息公开申请 21 件",
    ]


def test_a_layout_table_is_opened_up_its_inner_table_read_and_its_text_kept(tmp_path):
    inner = w_table(w_row(w_cell("规章"), w_cell("0")), w_row(w_cell("行政许可"), w_cell("550")))
    outer = w_table(
        w_row(f"<w:tc>{w_paragraph('一、总体情况')}{inner}{w_paragraph('二、主动公开')}</w:tc>")
    )
    grid = read(tmp_path, outer, w_paragraph("五、存在的主要问题"))
    assert grid.sheets[0].rows == [["规章", "0"], ["行政许可", "550"]]
    assert (grid.text or "").splitlines()[1:] == [
        "一、总体情况",
        "二、主动公开",
        "五、存在的主要问题",
    ]


def test_tables_stack_right_aligned_with_a_blank_row_between(tmp_path):
    grid = read(
        tmp_path,
        w_table(w_row(w_cell("a"), w_cell("b"), w_cell("1"))),
        w_paragraph("（续表）"),
        w_table(w_row(w_cell("c"), w_cell("2"))),
    )
    assert grid.sheets[0].rows == [["a", "b", "1"], [], [None, "c", "2"]]


# -- refused ---------------------------------------------------------------------------------------


def test_an_old_word_file_is_f02_save_as_docx(tmp_path):
    path = badfiles.write(tmp_path / "报告.doc", badfiles.word97_bytes())
    assert "另存为 .docx" in refused(path, Rule.F02)


def test_a_zip_bomb_in_the_body_is_f04_in_bounded_time(tmp_path):
    data = badfiles.deflated_zeros_zip(
        "word/document.xml", 64 * 1024 * 1024, {"[Content_Types].xml": b"<Types/>"}
    )
    path = badfiles.write(tmp_path / "炸弹.docx", data)
    with allocations() as peak:
        assert "压缩炸弹" in refused(path, Rule.F04)
    assert peak() < 32 * 1024 * 1024  # the 64 MB body is never inflated


def test_a_body_declaring_entities_is_f04(tmp_path):
    data = badfiles.zip_of(
        {
            "[Content_Types].xml": b"<Types/>",
            "word/document.xml": badfiles.billion_laughs("w:document"),
        }
    )
    path = badfiles.write(tmp_path / "实体.docx", data)
    assert "实体" in refused(path, Rule.F04)


def test_a_body_lying_about_its_size_is_f04(tmp_path):
    body = (
        "<?xml version='1.0'?><w:document xmlns:w='http://schemas.openxmlformats.org/wordprocessingml/2006/main'>"
        "<w:body>"
        + "<w:p><w:r><w:t>政府信息公开</w:t></w:r></w:p>" * 2000
        + "</w:body></w:document>"
    ).encode()
    data = bytearray(
        badfiles.zip_of({"[Content_Types].xml": b"<Types/>", "word/document.xml": body})
    )
    declared = len(body).to_bytes(4, "little")
    smaller = (len(body) // 100).to_bytes(4, "little")
    data = data.replace(declared, smaller)  # local header and central directory both
    path = badfiles.write(tmp_path / "说谎.docx", bytes(data))
    refused(path, Rule.F04)


# -- the published template ------------------------------------------------------------------------


def test_the_published_blank_template_has_its_three_tables_and_no_figures():
    expected, path = published("2021版年报模板-空白.json")
    with open_source(path) as grid:
        rows = grid.sheets[0].rows
    assert sum(1 for line in rows if not line) == 2
    labels = [entry["label"] for key in ("二", "三") for entry in expected[key]]
    for label in labels:
        (line,) = [line for line in rows if label in line]
        assert all(value is None for value in line[line.index(label) + 1 :]), label
    assert "政府信息公开工作年度报告格式模板" in (grid.text or "")
