"""The roster: CSV in the encodings Chinese offices produce, and clear Chinese errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from nianbao.errors import UserError
from nianbao.sources.roster import RosterEntry, read_roster

ROSTER = (
    "单位名称,上级单位,单位代码\n水泥路街道办事处,道外区,230104001\n某某区教育局,某某区人民政府,\n"
)
EXPECTED = [
    RosterEntry("水泥路街道办事处", "道外区", "230104001"),
    RosterEntry("某某区教育局", "某某区人民政府", None),
]


def _write(tmp_path: Path, text: str, encoding: str = "utf-8", name: str = "名册.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_roster_is_read_in_every_encoding_excel_and_wps_save(tmp_path, encoding):
    assert read_roster(_write(tmp_path, ROSTER, encoding)) == EXPECTED


def test_gbk_roster_with_crlf_line_ends_from_excel_on_windows(tmp_path):
    path = _write(tmp_path, ROSTER.replace("\n", "\r\n"), "gbk")
    assert read_roster(path) == EXPECTED


def test_spaces_are_stripped_and_blank_lines_skipped(tmp_path):
    text = " 单位名称 ,上级单位\n\n\u3000水泥路街道办事处 , 道外区 \n,\n"
    assert read_roster(_write(tmp_path, text)) == [RosterEntry("水泥路街道办事处", "道外区", None)]


def test_only_the_unit_column_is_required_and_columns_may_come_in_any_order(tmp_path):
    text = "单位代码,单位名称\n001,甲局\n002,乙局\n"
    assert read_roster(_write(tmp_path, text)) == [
        RosterEntry("甲局", None, "001"),
        RosterEntry("乙局", None, "002"),
    ]


def test_a_quoted_name_with_a_comma_is_one_unit(tmp_path):
    text = '单位名称\n"某某区住房和城乡建设局（人防办, 地震局）"\n'
    assert read_roster(_write(tmp_path, text))[0].unit == "某某区住房和城乡建设局（人防办, 地震局）"


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be"])
def test_excels_unicode_text_roster_utf16_with_tabs_is_read(tmp_path, encoding):
    text = ROSTER.replace(",", "\t").replace("\n", "\r\n")
    bom = "\ufeff" if encoding == "utf-16-be" else ""  # "utf-16" writes its own BOM
    path = _write(tmp_path, bom + text, encoding, name="名册.txt")
    assert read_roster(path) == EXPECTED


def test_tab_separated_roster_is_accepted(tmp_path):
    text = "单位名称\t上级单位\n甲局\t某区\n"
    assert read_roster(_write(tmp_path, text)) == [RosterEntry("甲局", "某区", None)]


def test_missing_unit_column_names_the_file_and_shows_the_header(tmp_path):
    path = _write(tmp_path, "名称,上级单位\n甲局,某区\n")
    with pytest.raises(UserError) as caught:
        read_roster(path)
    message = str(caught.value)
    assert str(path) in message and "缺少「单位名称」列" in message and "名称、上级单位" in message


def test_duplicate_unit_names_both_lines(tmp_path):
    path = _write(tmp_path, "单位名称\n甲局\n乙局\n 甲局 \n")
    with pytest.raises(UserError) as caught:
        read_roster(path)
    message = str(caught.value)
    assert "第 4 行" in message and "第 2 行" in message and "甲局" in message and "重复" in message


def test_names_differing_only_in_width_or_inner_spaces_are_duplicates(tmp_path):
    path = _write(tmp_path, "单位名称\nＡ局\nA 局\n")
    with pytest.raises(UserError, match="重复"):
        read_roster(path)


def test_empty_name_names_the_line(tmp_path):
    path = _write(tmp_path, "单位名称,上级单位\n甲局,某区\n ,某区\n")
    with pytest.raises(UserError) as caught:
        read_roster(path)
    assert "第 3 行" in str(caught.value) and "是空的" in str(caught.value)


def test_line_numbers_count_lines_of_the_file_not_records(tmp_path):
    text = '单位名称,上级单位\n甲局,"某区\n人民政府"\n,某区\n'
    with pytest.raises(UserError, match="第 4 行"):
        read_roster(_write(tmp_path, text))


def test_all_problems_are_reported_at_once(tmp_path):
    path = _write(tmp_path, "单位名称\n甲局\n甲局\n\n乙局\n乙局\n")
    with pytest.raises(UserError) as caught:
        read_roster(path)
    assert "2 处问题" in str(caught.value)


@pytest.mark.parametrize(
    ("content", "phrase"),
    [
        (b"", "是空的"),
        (b"\xff\xfe\x00\x00garbage\x00", "编码"),
        ("单位名称\n".encode(), "没有任何单位"),
    ],
)
def test_empty_or_unreadable_rosters_are_explained(tmp_path, content, phrase):
    path = tmp_path / "r.csv"
    path.write_bytes(content)
    with pytest.raises(UserError, match=phrase):
        read_roster(path)


def test_missing_file_and_spreadsheet_rosters_are_explained(tmp_path):
    with pytest.raises(UserError, match="找不到名册"):
        read_roster(tmp_path / "nope.csv")
    with pytest.raises(UserError, match="另存为"):
        read_roster(_write(tmp_path, "x", name="名册.xlsx"))
    with pytest.raises(UserError, match="文件夹"):
        read_roster(tmp_path)


def _workbook(path: Path, sheets: dict[str, list[list[str]]]) -> Path:
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def test_a_roster_workbook_with_an_instruction_sheet_first_is_read_from_its_list(tmp_path):
    path = _workbook(
        tmp_path / "名册.xlsx",
        {
            "填表说明": [["请在「名册」工作表中逐行填写单位名称"], ["单位代码可以不填"]],
            "名册": [["单位名称", "单位代码"], ["甲街道办事处", "001"], ["乙局", "002"]],
        },
    )
    assert read_roster(path) == [
        RosterEntry("甲街道办事处", code="001"),
        RosterEntry("乙局", code="002"),
    ]


def test_a_roster_workbook_without_the_heading_names_the_sheet_it_read(tmp_path):
    path = _workbook(
        tmp_path / "名册.xlsx",
        {"说明": [["各单位名单见下"]], "单位": [["名称", "代码"], ["甲街道办事处", "001"]]},
    )
    with pytest.raises(UserError) as caught:
        read_roster(path)
    assert "工作表「说明」" in str(caught.value) and "缺少「单位名称」列" in str(caught.value)


def test_a_rosters_footer_rows_are_refused_naming_their_lines(tmp_path):
    path = tmp_path / "名册.csv"
    path.write_text(
        "单位名称,上级单位,单位代码\n某区财政局,某区,001\n共青团某区委员会,某区,002\n\n"
        "合计：2个单位,,\n制表人：王五 联系电话：84000000,,\n",
        encoding="utf-8",
    )
    with pytest.raises(UserError) as refused:
        read_roster(path)
    message = str(refused.value)
    assert "有 2 处问题" in message
    assert "第 5 行的「合计：2个单位」不是单位名称" in message
    assert "第 6 行的「制表人：王五 联系电话：84000000」不是单位名称" in message


def test_a_title_typed_above_the_header_is_skipped(tmp_path):
    """A roster as offices print it: its title (and a date line) above the header row. It was
    refused as having no 「单位名称」 column."""
    csv_path = _write(tmp_path, "道外区2025年政府信息公开年报报送名册,,\n" + ROSTER)
    assert read_roster(csv_path) == EXPECTED
    book = _workbook(
        tmp_path / "名册.xlsx",
        {
            "名册": [
                ["道外区2025年政府信息公开年报报送名册"],
                ["2025年12月"],
                ["单位名称", "上级单位", "单位代码"],
                ["水泥路街道办事处", "道外区", "230104001"],
                ["某某区教育局", "某某区人民政府", None],
            ]
        },
    )
    assert read_roster(book) == EXPECTED


def test_a_first_line_of_several_cells_without_the_unit_column_is_still_refused(tmp_path):
    """Only lines holding one text alone are taken for a title: a header with other names is
    the header, and its missing 「单位名称」 is said."""
    path = _write(tmp_path, "名称,上级单位\n单位名称,上级单位\n甲局,某区\n")
    with pytest.raises(UserError) as caught:
        read_roster(path)
    assert "缺少「单位名称」列" in str(caught.value)
