"""Dependencies flow one way: read from the source, as the README promises."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("observatoire", "api", "etl", "dashboard")


# Import cycles that another change removes (issue #17 breaks the loader's reader/table
# circle): empty this set once it is merged.
def _module(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports() -> dict[str, set[str]]:
    """Every module of our packages -> the modules of our packages it imports (anywhere)."""
    out: dict[str, set[str]] = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            found: set[str] = set()
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    found |= {alias.name for alias in node.names}
                elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                    found.add(node.module)
                    found |= {f"{node.module}.{alias.name}" for alias in node.names}
            out[_module(path)] = {m for m in found if m.split(".")[0] in PACKAGES}
    return {m: {d for d in deps if d in out and d != m} for m, deps in out.items()}


def test_etl_imports_neither_api_nor_dashboard():
    wrong = {
        (module, dep)
        for module, deps in imports().items()
        if module.startswith("etl")
        for dep in deps
        if dep.split(".")[0] in ("api", "dashboard")
    }
    assert not wrong


def test_api_does_not_import_etl_and_the_core_imports_neither():
    graph = imports()
    for module, deps in graph.items():
        top = module.split(".")[0]
        tops = {d.split(".")[0] for d in deps}
        if top == "api":
            assert "etl" not in tops, module
        if top == "observatoire":
            assert not tops & {"api", "etl", "dashboard"}, module


def test_no_module_imports_a_private_name_of_another():
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.ImportFrom) and node.module:
                    private = [a.name for a in node.names if a.name.startswith("_")]
                    assert not private, f"{path.relative_to(ROOT)} imports {private}"


def _cycles(graph: dict[str, set[str]]) -> list[frozenset[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[frozenset[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for dep in graph[node]:
            if dep not in index:
                visit(dep)
                low[node] = min(low[node], low[dep])
            elif dep in on_stack:
                low[node] = min(low[node], index[dep])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                out.append(frozenset(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return out


def test_no_import_cycle_between_modules():
    graph = imports()
    # A package imports its own modules to re-export them: that is not a cycle of ideas.
    for module in graph:
        graph[module] = {d for d in graph[module] if not module.startswith(d + ".")}
    assert set(_cycles(graph)) == set()
