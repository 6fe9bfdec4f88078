"""Helpers for the dashboard's browser tests: Debian's Chromium, axe-core, waiting, screenshots."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from tests.support.live_servers import REPO_ROOT

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
]
# axe-core from the npm registry, pinned in tests/a11y/package-lock.json (`npm ci`, run by
# scripts/ensure-system-deps.sh, which `make test` calls).
AXE = REPO_ROOT / "tests" / "a11y" / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
SCREENSHOTS = REPO_ROOT / "artifacts" / "screenshots"
DESKTOP = {"width": 1400, "height": 1000}
PHONE = {"width": 390, "height": 844}
LOAD_TIMEOUT_MS = 90_000


def require(path: Path, how: str) -> None:
    """Skip without `path` on a workstation; fail in CI, where it must be installed."""
    if path.exists():
        return
    reason = f"{path} is missing ({how})"
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)


def require_chromium() -> None:
    require(CHROMIUM, "apt-get install -y chromium; never `playwright install`")


def require_axe() -> None:
    require(AXE, "make system-deps, or npm ci --prefix tests/a11y")


def settle(page: Any) -> None:
    """Wait until Streamlit has run the page's script and the browser has painted it."""
    page.wait_for_selector("[data-testid='stMain']", timeout=LOAD_TIMEOUT_MS)
    page.wait_for_timeout(500)
    page.wait_for_selector(
        "[data-testid='stStatusWidget']", state="detached", timeout=LOAD_TIMEOUT_MS
    )
    page.wait_for_timeout(800)


def axe_violations(page: Any, impacts: tuple[str, ...] = ("serious", "critical")) -> list[dict]:
    """axe-core's WCAG 2.1 A/AA violations of `impacts` on the page as it is now."""
    page.add_script_tag(path=str(AXE))
    options = {"runOnly": {"type": "tag", "values": AXE_TAGS}}
    result = page.evaluate("options => axe.run(document, options)", options)
    return [v for v in result["violations"] if v["impact"] in impacts]


def describe(violations: list[dict]) -> str:
    """A readable summary: rule, impact, and the first offending elements with axe's reason."""
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:3]:
            summary = node.get("failureSummary", "").replace("\n", " ")[:240]
            lines.append(f"    {node['target']}: {summary}")
    return "\n".join(lines)


def save(png: bytes, name: str) -> Path:
    """Write a screenshot under artifacts/screenshots (looked at by people, not asserted)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / name
    path.write_bytes(png)
    return path
