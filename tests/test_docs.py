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
