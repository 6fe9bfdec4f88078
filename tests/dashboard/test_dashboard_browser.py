"""Key journeys in a real headless browser: the map must really be drawn, not just specified."""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.live_servers import REPO_ROOT, running_api, running_dashboard

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = REPO_ROOT / "artifacts" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
]
CHART = "[data-testid='stVegaLiteChart']"
LOAD_TIMEOUT_MS = 90_000

pytestmark = pytest.mark.browser


def require_chromium() -> None:
    """Skip without Chromium on a workstation; fail in CI, where it must be installed."""
    if CHROMIUM.exists():
        return
    reason = f"{CHROMIUM} is missing (apt-get install -y chromium; never `playwright install`)"
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture(scope="module")
def dashboard_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The dashboard served by `streamlit run`, reading a real API."""
    require_chromium()
    workdir = tmp_path_factory.mktemp("servers")
    with running_api(workdir) as api_url, running_dashboard(workdir, api_url) as url:
        yield url


@pytest.fixture(scope="module")
def browser(dashboard_url: str):
    """Debian's Chromium driven by Playwright."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="fr-FR")
    page = context.new_page()
    yield page
    context.close()


def wait_for_app(page) -> None:
    """Wait until Streamlit has finished running the script and a chart is drawn."""
    page.wait_for_selector(f"{CHART} canvas, {CHART} svg", timeout=LOAD_TIMEOUT_MS)
    page.wait_for_selector(
        "[data-testid='stStatusWidget']", state="detached", timeout=LOAD_TIMEOUT_MS
    )


def colour_stats(png: bytes) -> tuple[float, int]:
    """Share of non-background pixels and number of distinct colours used by many pixels."""
    import numpy as np
    from PIL import Image

    pixels = np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).reshape(-1, 3).astype(int)
    colours, counts = np.unique(pixels, axis=0, return_counts=True)
    background = colours[counts.argmax()]
    painted = np.abs(pixels - background).sum(axis=1) > 30
    # Colours covering many pixels are fills; antialiased edges make rare in-between ones.
    fills = [c for c, n in zip(colours, counts, strict=True) if n >= 200]
    distinct = sum(1 for c in fills if np.abs(c - background).sum() > 30)
    return float(painted.mean()), distinct


def save(png: bytes, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / name
    path.write_bytes(png)
    return path


def test_map_is_really_drawn(page, dashboard_url: str) -> None:
    page.goto(f"{dashboard_url}/")
    wait_for_app(page)
    chart = page.locator(CHART).first
    chart.scroll_into_view_if_needed()
    page.wait_for_timeout(500)  # let Vega finish painting after the last rerun
    save(page.screenshot(), "carte-page.png")
    png = chart.screenshot()
    save(png, "carte-chart.png")
    painted, colours = colour_stats(png)
    # An empty map (wrong data, wrong ring orientation, Arrow-mangled geometries) paints
    # nothing or one flat colour; the population map paints five classes over ~30% of its box.
    assert painted > 0.15, f"only {painted:.1%} of the chart is painted"
    assert colours >= 5, f"only {colours} colours on the map"
    assert page.get_by_role("heading", name="Population par département").is_visible()
    assert page.locator("[data-testid='stDataFrame']").count() == 1


def test_english_link_and_navigation_to_methodology(page, dashboard_url: str) -> None:
    page.goto(f"{dashboard_url}/?lang=en")
    wait_for_app(page)
    assert page.get_by_role("heading", name="Population by département").is_visible()
    page.get_by_role("link", name="Methodology").click()
    page.get_by_role("heading", name="Methodology and sources").wait_for(timeout=30_000)
    page.wait_for_selector(
        "[data-testid='stStatusWidget']", state="detached", timeout=LOAD_TIMEOUT_MS
    )
    page.wait_for_selector("[data-testid='stDataFrame']", timeout=LOAD_TIMEOUT_MS)
    assert page.get_by_text("Licence Ouverte 2.0").first.is_visible()
    assert "lang=en" in page.url  # the language survives the change of page
    save(page.screenshot(), "methodologie-en.png")


def test_language_switch_updates_the_url(page, dashboard_url: str) -> None:
    page.goto(f"{dashboard_url}/")
    wait_for_app(page)
    page.locator("[data-testid='stButtonGroup'] button", has_text="EN").click()
    page.get_by_role("heading", name="Population by département").wait_for(timeout=30_000)
    assert "lang=en" in page.url
