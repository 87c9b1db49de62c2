"""The README stays true: every rule of the catalogue is in its table, with its title."""

from pathlib import Path

from nianbao.form.findings import Rule

README = Path(__file__).resolve().parent.parent / "README.md"


def test_readme_rule_table_lists_every_rule_with_its_severity_and_title():
    text = README.read_text(encoding="utf-8")
    for rule in Rule:
        assert f"| {rule.id} | {rule.severity.chinese} | {rule.title} |" in text, rule.id


def test_readme_gives_one_command_each_to_install_run_and_test():
    text = README.read_text(encoding="utf-8")
    assert "python3 -m pip install -e '.[test]'" in text
    assert "\nnianbao merge samples/2021 " in text
    assert "python3 -m pytest" in text


def test_the_readme_code_map_names_every_room_and_only_rooms_that_exist():
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    readme = (root / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## 代码结构") :]
    block = section[section.index("```") + 3 : section.index("```", section.index("```") + 3)]
    named = set(re.findall(r"^ +([a-z_]+(?:/|\.py))", block, re.M))
    package = root / "src" / "nianbao"
    rooms = {f"{p.name}/" for p in package.iterdir() if p.is_dir() and not p.name.startswith("_")}
    assert rooms <= named, f"rooms missing from the README's code map: {rooms - named}"
    assert all((package / name.rstrip("/")).exists() for name in named), named
