"""Published reports as web pages: sources/html.py (HTML -> Grid), through the dispatch."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nianbao.form.findings import Rule
from nianbao.sources.dispatch import open_source
from nianbao.sources.document import MAX_CELLS, MAX_POSITIONS, SHEET_NAME
from nianbao.sources.grid import Grid
from nianbao.sources.preflight import UnreadableFile
from tests.support.documents import allocations, published, refused

TITLE = "某某区人民政府2024年政府信息公开工作年度报告"


def read(tmp_path: Path, body: str, *, head: str = "", encoding: str = "utf-8") -> Grid:
    page = f"<html><head>{head}</head><body><h1>{TITLE}</h1>{body}</body></html>"
    path = tmp_path / "报告.html"
    path.write_bytes(page.encode(encoding))
    with open_source(path) as grid:
        return grid


def rows(grid: Grid) -> list[list]:
    assert grid.kind == "html" and [s.name for s in grid.sheets] == [SHEET_NAME]
    return grid.sheets[0].rows


def test_rowspan_and_colspan_put_the_text_top_left_and_leave_covered_cells_none(tmp_path):
    grid = read(
        tmp_path,
        "<table>"
        "<tr><td rowspan=2 colspan=2>角</td><td colspan=2>申请人情况</td></tr>"
        "<tr><td>自然人</td><td>总计</td></tr>"
        "<tr><td rowspan=2>三、本年度办理结果</td><td>（一）予以公开</td><td>1</td><td>2</td></tr>"
        "<tr><td>（二）部分公开</td><td>3</td><td>4</td></tr>"
        "</table>",
    )
    assert rows(grid) == [
        ["角", None, "申请人情况"],
        [None, None, "自然人", "总计"],
        ["三、本年度办理结果", "（一）予以公开", "1", "2"],
        [None, "（二）部分公开", "3", "4"],
    ]


def test_word_exported_html_reads_paragraphs_in_cells_and_skips_the_width_row(tmp_path):
    cell = "<td width=60 valign=top style='border:solid windowtext 1.0pt'><p class=MsoNormal align=center><span lang=EN-US style='font-size:10.5pt'>{}</span></p></td>"
    grid = read(
        tmp_path,
        "<div class=WordSection1><table class=MsoNormalTable border=1 cellspacing=0 cellpadding=0>"
        "<tr>" + cell.format("信息内容") + cell.format("本年制发件数") + "</tr>"
        "<tr>"
        + cell.format("行政规范\n性文件")
        + "<td><p class=MsoNormal>88<o:p></o:p></p><p class=MsoNormal>&nbsp;</p></td></tr>"
        "<tr>" + cell.format("商业<br>企业") + cell.format("&nbsp;") + "</tr>"
        "<![if !supportMisalignedColumns]><tr height=0><td width=60 style='border:none'></td>"
        "<td width=60 style='border:none'></td></tr><![endif]>"
        "</table></div>",
    )
    assert rows(grid) == [
        ["信息内容", "本年制发件数"],
        ["行政规范 性文件", "88"],  # a line break in the source is a space in the browser
        ["商业\n企业"],  # <br> is a line break; the &nbsp; cell is empty
    ]


def test_innermost_tables_are_data_layout_tables_are_running_text(tmp_path):
    grid = read(
        tmp_path,
        "<table><tr><td>导航</td><td>"
        "<p>一、总体情况</p><p>2024年全区受理政府信息公开申请21件。</p>"
        "<table><tr><td>规章</td><td>0</td></tr><tr><td>行政许可</td><td>550</td></tr></table>"
        "</td></tr></table>"
        "<table><tr><td>只有一列</td></tr><tr><td>的表格</td></tr></table>"
        f"<table><tr><td>{'很长的正文' * 50}</td><td>x</td></tr><tr><td>a</td><td>b</td></tr></table>",
    )
    assert rows(grid) == [["规章", "0"], ["行政许可", "550"]]
    text = grid.text or ""
    assert "2024年全区受理政府信息公开申请21件。" in text.splitlines()
    assert "导航" in text and "只有一列" in text and "很长的正文" in text
    assert "行政许可" not in text and "550" not in text
    assert text.splitlines()[0] == TITLE


def test_a_table_continued_in_a_second_table_lines_up_on_the_right(tmp_path):
    """The continuation leaves out the group cell: its data columns still fall under the header.
    A table of one row is read as a table (and kept in the running text too)."""
    grid = read(
        tmp_path,
        "<table><tr><td colspan=3>申请人情况</td><td>自然人</td><td>总计</td></tr>"
        "<tr><td rowspan=2>三、本年度办理结果</td><td colspan=2>（一）予以公开</td><td>1</td><td>1</td></tr>"
        "<tr><td rowspan=1>（三）不予公开</td><td>1.属于国家秘密</td><td>2</td><td>2</td></tr></table>"
        "<p>（续表）</p>"
        "<table><tr><td rowspan=1>（三）不予公开</td><td>2.其他法律行政法规禁止公开</td><td>3</td><td>3</td></tr></table>",
    )
    table = rows(grid)
    assert table[-1] == [None, "（三）不予公开", "2.其他法律行政法规禁止公开", "3", "3"]
    assert table[-2] == []  # a blank row between the pieces
    header = table[0]
    assert header.index("自然人") == table[-1].index("3") == table[2].index("2")
    assert "2.其他法律行政法规禁止公开" in (grid.text or "")


def test_a_page_header_bar_of_one_row_keeps_its_text(tmp_path):
    grid = read(tmp_path, "<table><tr><td>首页</td><td>政务公开</td></tr></table>")
    assert rows(grid) == [["首页", "政务公开"]]
    assert "首页 政务公开" in (grid.text or "").replace("\n", " ")


def test_scripts_styles_and_comments_are_not_text_and_the_title_is(tmp_path):
    grid = read(
        tmp_path,
        "<script>var a = '政府信息公开';</script><style>p{}</style><!-- 注释 --><p>正文</p>",
        head="<title>页面标题</title><style>.x{}</style>",
    )
    lines = (grid.text or "").splitlines()
    # the <title> last: the page's own heading is the report's title (sweep 9)
    assert lines == [TITLE, "正文", "页面标题"]
    assert not any("var a" in line or "注释" in line for line in lines)


def test_a_gbk_page_is_decoded_by_its_declared_charset(tmp_path):
    grid = read(
        tmp_path,
        "<table><tr><td>规章</td><td>０</td></tr><tr><td>行政许可</td><td>9487</td></tr></table>",
        head='<meta http-equiv="Content-Type" content="text/html; charset=gb2312">',
        encoding="gbk",
    )
    assert rows(grid) == [["规章", "０"], ["行政许可", "9487"]]
    assert (grid.text or "").startswith(TITLE)


def test_a_page_spelling_its_chinese_as_character_references_is_a_report(tmp_path):
    path = tmp_path / "实体字符.html"
    words = "".join(f"&#{ord(ch)};" for ch in "政府信息公开")
    path.write_text(f"<html><body><p>{words}</p></body></html>", encoding="ascii")
    with open_source(path) as grid:
        assert grid.kind == "html" and grid.text == "政府信息公开"


# -- hostile pages: refused in bounded time -------------------------------------------------------


def test_a_span_bomb_is_refused_with_f04_before_anything_is_allocated(tmp_path):
    path = tmp_path / "跨度.html"
    path.write_text(
        "<html><body><p>政府信息公开</p><table>"
        + "<tr><td rowspan=65534 colspan=1000>x</td><td>y</td></tr>" * 100
        + "</table></body></html>",
        encoding="utf-8",
    )
    with allocations() as peak:
        message = refused(path, Rule.F04)
    # the grid it spans (6.5 billion places) is never built: what is held stays small
    assert peak() < 32 * 1024 * 1024
    assert f"{MAX_POSITIONS:,}" in message


def test_an_entity_bomb_is_refused_with_f04(tmp_path):
    laughs = "".join(f'<!ENTITY l{i} "{"&l" + str(i - 1) + ";" * 10}">' for i in range(1, 10))
    path = tmp_path / "实体.html"
    path.write_text(
        f'<!DOCTYPE html [<!ENTITY l0 "政府信息公开">{laughs}]><html><body>&l9;</body></html>',
        encoding="utf-8",
    )
    assert "实体" in refused(path, Rule.F04)


def test_a_huge_page_is_refused_with_f04(tmp_path):
    from nianbao.sources.preflight import MAX_DOCUMENT_BYTES

    row = "<tr><td>政府信息公开</td><td>1</td></tr>".encode()
    path = tmp_path / "巨大.html"
    path.write_bytes(b"<html><body><table>" + row * (MAX_DOCUMENT_BYTES // len(row) + 1))
    assert "为安全起见未予打开" in refused(path, Rule.F04)


def test_a_page_whose_tables_hold_far_more_cells_than_a_report_is_refused_with_f04(tmp_path):
    """Under the size limit but 200 times a report's cells: refused before any is read (it
    took a minute to read every cell and index their texts)."""
    path = tmp_path / "大表.html"
    rows = "".join(f"<tr><td>{i}</td><td>{i}</td></tr>" for i in range(MAX_CELLS // 2 + 1))
    path.write_text(f"<html><body><h1>{TITLE}</h1><table>{rows}</table></body></html>")
    assert f"{MAX_CELLS:,} 个单元格" in refused(path, Rule.F04)


def test_a_page_with_many_cells_below_the_bound_is_still_read(tmp_path):
    body = "".join(f"<tr><td>项{i}</td><td>{i}</td></tr>" for i in range(MAX_CELLS // 2 - 10))
    read_rows = rows(read(tmp_path, f"<table>{body}</table>"))
    assert len(read_rows) == MAX_CELLS // 2 - 10 and read_rows[-1] == ["项24989", "24989"]


def test_a_deeply_nested_page_is_read_or_refused_never_a_crash(tmp_path):
    path = tmp_path / "嵌套.html"
    path.write_text(
        "<html><body><p>政府信息公开</p>" + "<div>" * 100_000 + "x" + "</div>" * 100_000,
        encoding="utf-8",
    )
    try:
        with open_source(path) as grid:
            assert grid.kind == "html"
    except UnreadableFile as problem:
        assert problem.finding.rule in (Rule.F01, Rule.F04)


# -- the published pages ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["2022_平潭综合实验区.json", "2023_平潭综合实验区.json"])
def test_published_pages_give_their_transcribed_rows(name):
    expected, path = published(name)
    with open_source(path) as grid:
        table = rows(grid)
    for key in ("二", "三"):
        for entry in expected[key]:
            found = [line for line in table if entry["label"] in line]
            assert len(found) == 1, entry["label"]
            assert found[0][-len(entry["values"]) :] == entry["values"], entry["label"]
    assert expected["四"]["values"] in table
    assert sum(1 for line in table if not line) == 2  # 表二, 表三, 表四: three tables
    assert json.dumps(grid.text, ensure_ascii=False).count("本年新收政府信息公开申请数量") == 0


# -- web archives (a browser's "save as single file": .mhtml / .mht) -------------------------------


def web_archive(html: bytes, *, encoding: str = "quoted-printable", charset: str = "") -> bytes:
    """A page as Chrome (quoted-printable) or IE (base64) saves it, with an image part after."""
    import base64
    import quopri

    body = quopri.encodestring(html) if encoding == "quoted-printable" else base64.encodebytes(html)
    kind = f"text/html; charset={charset}" if charset else "text/html"
    return (
        b"From: <Saved by Blink>\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: multipart/related;\r\n\ttype="text/html";\r\n\tboundary="--b--"\r\n\r\n'
        b"----b--\r\nContent-Type: " + kind.encode() + b"\r\n"
        b"Content-Transfer-Encoding: " + encoding.encode() + b"\r\n"
        b"Content-Location: http://example.gov.cn/report.html\r\n\r\n" + body + b"\r\n"
        b"----b--\r\nContent-Type: image/png\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        b"iVBORw0KGgo=\r\n----b----\r\n"
    )


@pytest.mark.parametrize(
    ("encoding", "charset", "codec"),
    [("quoted-printable", "", "utf-8"), ("base64", "gbk", "gbk")],
)
def test_a_saved_web_archive_reads_like_the_page_it_holds(tmp_path, encoding, charset, codec):
    expected, page = published("2023_平潭综合实验区.json")
    html = page.read_bytes()
    if codec != "utf-8":  # the page as a GBK site serves it (its meta says utf-8: the part wins)
        html = html.decode("utf-8").encode(codec, "replace")
    archive = tmp_path / "报告.mhtml"
    archive.write_bytes(web_archive(html, encoding=encoding, charset=charset))
    with open_source(page) as grid:
        want = rows(grid)
    with open_source(archive) as grid:
        assert rows(grid) == want


def test_a_web_archive_without_a_page_says_so(tmp_path):
    archive = tmp_path / "存档.mht"
    data = web_archive(b"<html></html>").replace(b"text/html;", b"text/plain;", 1)
    archive.write_bytes(data.replace(b"Content-Type: text/html", b"Content-Type: text/css"))
    assert "网页存档（MHTML）" in refused(archive, Rule.F02)


def test_a_web_archive_nested_deeper_than_browsers_write_is_refused_with_f04(tmp_path):
    depth = 2_000  # Python's MIME parser recurses once per level
    opening = "".join(
        f'--b{i}\r\nContent-Type: multipart/related; boundary="b{i + 1}"\r\n\r\n'
        for i in range(depth)
    )
    page = f"--b{depth}\r\nContent-Type: text/html\r\n\r\n<p>政府信息公开</p>\r\n"
    closing = "".join(f"--b{i}--\r\n" for i in reversed(range(depth + 1)))
    archive = tmp_path / "嵌套.mhtml"
    archive.write_text(
        'MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary="b0"\r\n\r\n'
        + opening
        + page
        + closing,
        encoding="utf-8",
    )
    assert "层层嵌套" in refused(archive, Rule.F04)
