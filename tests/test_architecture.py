"""The house rules: imports run one way, from the commands down to the form, and never in a loop.

Every import counts, also those inside functions and under TYPE_CHECKING: a lazy import is
still a dependency.
"""

from __future__ import annotations

import ast
from pathlib import Path

import nianbao

PACKAGE = Path(nianbao.__file__).parent

# Rooms, top to bottom: a module may import from its own room or any room below it.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("cli", "__main__"),
    ("commands",),
    ("pipeline",),
    ("xlsx", "documents"),
    ("checks",),
    ("recognise",),
    ("sources",),
    ("form",),
    ("text", "outputs", "errors", "processes", "__init__"),
)
RANK = {room: len(LAYERS) - i for i, rooms in enumerate(LAYERS) for room in rooms}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def room_of(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def imports_of(path: Path) -> set[str]:
    """The nianbao modules ``path`` imports (``from nianbao.x import y`` names nianbao.x.y when
    that is a module, else nianbao.x)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("nianbao")}
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("nianbao"):
            for alias in node.names:
                candidate = f"{node.module}.{alias.name}"
                found.add(candidate if candidate in MODULES else node.module)
    return found


MODULES = {module_name(p) for p in PACKAGE.rglob("*.py")}
GRAPH = {module_name(p): imports_of(p) for p in PACKAGE.rglob("*.py")}


def test_every_module_belongs_to_a_room():
    assert {room_of(m) for m in MODULES} <= set(RANK), "a new room must be placed in LAYERS"


def test_imports_run_downwards_only():
    upward = [
        f"{module} → {target}"
        for module, targets in GRAPH.items()
        for target in targets
        if target != "nianbao" and RANK[room_of(target)] > RANK[room_of(module)]
    ]
    assert upward == []


def test_no_import_cycles():
    # Package __init__ modules are left out: importing nianbao.form.x runs nianbao.form first,
    # which is how Python works, not a design loop.
    edges = {m: {t for t in ts if t in GRAPH and t != m} for m, ts in GRAPH.items()}
    cycles: list[list[str]] = []
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(edges[node]):
            if state.get(nxt) == 1:
                cycles.append(path[path.index(nxt) :] + [nxt])
            elif nxt not in state:
                visit(nxt)
        path.pop()
        state[node] = 2

    for node in sorted(edges):
        if node not in state:
            visit(node)
    assert cycles == []


def test_the_architecture_test_sees_an_upward_import(tmp_path):
    """The checker itself: an import inside a function, from a higher room, is caught."""
    probe = tmp_path / "probe.py"
    probe.write_text(
        "def f():\n    from nianbao.pipeline.merge import merge_returns\n", encoding="utf-8"
    )
    assert imports_of(probe) == {"nianbao.pipeline.merge"}
    assert RANK[room_of("nianbao.pipeline.merge")] > RANK[room_of("nianbao.form.model")]
