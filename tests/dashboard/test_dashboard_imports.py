"""The dashboard talks to the public API over HTTP only: it never imports the API or the core."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.support.live_servers import REPO_ROOT

FORBIDDEN = ("api", "observatoire", "etl")
MODULES = sorted((REPO_ROOT / "dashboard").rglob("*.py"))


def imported_modules(path: Path) -> set[str]:
    """Every module named by an `import` or `from … import` in `path`."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
        elif isinstance(node, ast.Call) and getattr(node.func, "id", "") == "__import__":
            names.update(a.value for a in node.args if isinstance(a, ast.Constant))
    return names


def test_the_scan_sees_the_dashboard_modules() -> None:
    assert len(MODULES) >= 10
    assert "httpx" in imported_modules(REPO_ROOT / "dashboard" / "client.py")


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(REPO_ROOT)))
def test_dashboard_module_imports_neither_api_nor_core(path: Path) -> None:
    bad = {m for m in imported_modules(path) if m.split(".")[0] in FORBIDDEN}
    assert not bad, f"{path} imports {sorted(bad)}"


def test_only_client_does_http() -> None:
    users = [
        str(p.relative_to(REPO_ROOT / "dashboard"))
        for p in MODULES
        if {"httpx", "requests", "urllib.request"} & imported_modules(p)
    ]
    # The public client, and the association space's own (it sends the key).
    assert users == ["client.py", "espace/client.py"]


def test_modules_stay_small() -> None:
    long = {p.name: n for p in MODULES if (n := len(p.read_text().splitlines())) > 300}
    assert not long, long
