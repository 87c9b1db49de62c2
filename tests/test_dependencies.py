"""Every library the code imports is declared, so a fresh ``pip install -e '.[test]'`` runs it.

A library present only because a developer's environment happened to have it (lxml once was)
makes every web page and Word report unreadable for a newcomer, and the suite fails on a clone.
"""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
LOCAL = {"nianbao", "tests", "templates", "make_returns"}


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def declared(requirements: list[str]) -> set[str]:
    return {canonical(re.match(r"[A-Za-z0-9_.-]+", r).group()) for r in requirements}  # type: ignore[union-attr]


def third_party_imports(folder: str) -> set[str]:
    """Top-level names of the libraries imported anywhere under ``folder``, lazy imports too."""
    names: set[str] = set()
    for path in (ROOT / folder).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module.split(".")[0])
    return {n for n in names if n not in sys.stdlib_module_names and n not in LOCAL}


def undeclared(folder: str, requirements: list[str]) -> list[str]:
    distributions = packages_distributions()
    allowed = declared(requirements)
    return sorted(
        module
        for module in third_party_imports(folder)
        if not {canonical(d) for d in distributions.get(module, [module])} & allowed
    )


def test_the_package_declares_every_library_it_imports():
    assert undeclared("src", PROJECT["dependencies"]) == []


def test_the_tests_import_only_declared_libraries():
    everything = PROJECT["dependencies"] + PROJECT["optional-dependencies"]["test"]
    assert undeclared("tests", everything) == []
