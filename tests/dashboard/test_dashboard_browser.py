"""Key journeys in a real headless browser: the map must really be drawn, not just specified."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.browser import CHROMIUM, CHROMIUM_ARGS, SCREENSHOTS, require_chromium
from tests.support.live_servers import running_api, running_dashboard
from tests.support.published_fixture import prepare_published

CHART = "[data-testid='stVegaLiteChart']"
LOAD_TIMEOUT_MS = 90_000

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """The dashboard served by `streamlit run`, reading a real API."""
    require_chromium()
    workdir = tmp_path_factory.mktemp("servers")
    with (
        running_api(workdir, prepare=prepare_published) as api_url,
        running_dashboard(workdir, api_url) as url,
    ):
        yield url, api_url


@pytest.fixture(scope="module")
def browser(servers: tuple[str, str]):
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


@pytest.fixture
def dashboard_url(servers: tuple[str, str]) -> str:
    return servers[0]


def settle(page) -> None:
    page.wait_for_selector(
        "[data-testid='stStatusWidget']", state="detached", timeout=LOAD_TIMEOUT_MS
    )
    page.wait_for_timeout(800)  # let Vega finish painting after the last rerun


def test_map_is_really_drawn_and_changes_with_the_type(page, dashboard_url: str) -> None:
    page.goto(f"{dashboard_url}/")
    wait_for_app(page)
    settle(page)
    assert page.get_by_text("Données fictives de démonstration").first.is_visible()
    assert page.get_by_text("secret statistique").first.is_visible()
    save(page.screenshot(full_page=True), "carte-page.png")
    chart = page.locator(CHART).first
    png = chart.screenshot()
    save(png, "carte-chart.png")
    painted, colours = colour_stats(png)
    assert painted > 0.15, f"only {painted:.1%} of the chart is painted"
    assert colours >= 5, f"only {colours} colours on the map"

    page.locator("[data-testid='stSelectbox']").first.click()
    page.get_by_role("option", name="Famille : Délais et suivi").click()
    page.wait_for_url("**type=delais**", timeout=30_000)
    settle(page)
    after = chart.screenshot()
    save(after, "carte-delais.png")
    assert after != png, "the map did not change with the type filter"


def test_opening_the_table_keeps_the_drawn_map(page, dashboard_url: str) -> None:
    page.goto(f"{dashboard_url}/")
    wait_for_app(page)
    settle(page)
    assert page.locator("[data-testid='stDataFrame']").count() == 0
    marked = "el => { el.dataset.drawn = 'first'; return el.tagName; }"
    assert page.locator(f"{CHART} svg").first.evaluate(marked) == "svg"
    page.get_by_text("Tableau des départements").click()
    page.wait_for_url("**tableau=true**", timeout=30_000)
    page.locator("[data-testid='stDataFrame']").wait_for(timeout=LOAD_TIMEOUT_MS)
    settle(page)
    # The same SVG element: the rerun that built the table did not redraw the map.
    assert page.locator(f"{CHART} svg[data-drawn='first']").count() == 1


def test_prefecture_page_from_the_url(page, dashboard_url: str) -> None:
    page.goto(f"{dashboard_url}/prefecture?dep=93")
    wait_for_app(page)
    settle(page)
    assert page.get_by_role("heading", name="Seine-Saint-Denis (93)").is_visible()
    assert page.get_by_text("Alerte").first.is_visible()
    save(page.screenshot(full_page=True), "prefecture-93.png")


def test_csv_download_has_the_api_numbers(page, servers: tuple[str, str]) -> None:
    import httpx

    dashboard_url, api_url = servers
    page.goto(f"{dashboard_url}/?type=acces&periode=2024-T3&tableau=true")
    wait_for_app(page)
    settle(page)
    with page.expect_download(timeout=30_000) as info:
        page.locator("[data-testid='stDownloadButton'] button", has_text="CSV").first.click()
    downloaded = Path(info.value.path()).read_bytes()
    params = {"type": "acces", "periode": "2024-T3", "niveau": "departement", "format": "csv"}
    expected = httpx.get(f"{api_url}/v1/statistiques", params=params).content
    assert downloaded == expected
    assert b"secret" in downloaded.splitlines()[0]


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("/tendances", "tendances.png"),
        ("/alertes", "alertes.png"),
        ("/donnees", "donnees.png"),
        ("/methodologie?lang=en", "methodologie-en.png"),
    ],
)
def test_other_pages_render(page, dashboard_url: str, path: str, name: str) -> None:
    page.goto(f"{dashboard_url}{path}")
    page.wait_for_selector(
        f"{CHART} canvas, {CHART} svg, [data-testid='stDataFrame']", timeout=LOAD_TIMEOUT_MS
    )
    settle(page)
    assert page.locator("[data-testid='stException']").count() == 0
    save(page.screenshot(full_page=True), name)


def test_language_switch_updates_the_url(page, dashboard_url: str) -> None:
    page.goto(f"{dashboard_url}/")
    wait_for_app(page)
    page.get_by_test_id("stSidebarUserContent").get_by_role("radio", name="EN").click()
    page.get_by_role("heading", name="Reports by département").wait_for(timeout=30_000)
    assert "lang=en" in page.url


def test_chart_code_is_asked_for_before_the_websocket_opens(page, dashboard_url: str) -> None:
    # `dashboard/serving.py`: preloaded with the page, not fetched once the map has arrived.
    import httpx

    events: list[str] = []
    page.on("request", lambda request: events.append(request.url.rsplit("/", 1)[-1]))
    page.on("websocket", lambda ws: events.append("websocket"))
    page.goto(f"{dashboard_url}/")
    wait_for_app(page)
    chart_code = next(i for i, name in enumerate(events) if name.startswith("ArrowVegaLiteChart."))
    assert chart_code < events.index("websocket")
    # Streamlit's files come from memory with Streamlit's own caching headers.
    response = httpx.get(f"{dashboard_url}/static/js/{events[chart_code]}")
    assert response.status_code == 200
    assert response.headers["cache-control"] == "public, immutable, max-age=31536000"
    assert b"vega" in response.content


# The map's drawn box (its shapes, inset frames and legend) and the next element below it.
MAP_BOX_JS = """() => {
  const chart = document.querySelector("[data-testid='stVegaLiteChart']");
  const marks = [...chart.querySelectorAll("svg .mark-shape path, svg .role-legend")]
    .map((e) => e.getBoundingClientRect()).filter((r) => r.width > 0);
  const box = {
    left: Math.min(...marks.map((r) => r.left)), right: Math.max(...marks.map((r) => r.right)),
    top: Math.min(...marks.map((r) => r.top)), bottom: Math.max(...marks.map((r) => r.bottom)),
  };
  const holder = chart.closest("[data-testid='stElementContainer']");
  const next = [...document.querySelectorAll(
      "[data-testid='stMain'] [data-testid='stElementContainer']")]
    .filter((e) => e !== holder && !holder.contains(e) && !e.contains(holder))
    .map((e) => e.getBoundingClientRect())
    .filter((r) => r.height > 0 && r.top >= box.bottom - 1);
  const search = document.querySelector(".st-key-carte-search").getBoundingClientRect();
  return {box, next: Math.min(...next.map((r) => r.top)), search: search.bottom,
          width: innerWidth};
}"""


def test_on_a_phone_france_fills_the_width_with_the_legend_just_beneath(
    browser, dashboard_url: str
) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="fr-FR")
    page = context.new_page()
    try:
        page.goto(f"{dashboard_url}/carte")
        wait_for_app(page)
        page.locator(f"{CHART} svg path[aria-label]").first.wait_for(timeout=LOAD_TIMEOUT_MS)
        settle(page)
        layout = page.evaluate(MAP_BOX_JS)
        box = layout["box"]
        assert layout["search"] <= 844, "the département search left the first screen"
        assert box["right"] - box["left"] >= 0.9 * layout["width"], layout
        assert layout["next"] - box["bottom"] <= 80, layout  # no band of white beneath
        page.locator(CHART).first.scroll_into_view_if_needed()
        save(page.screenshot(), "carte-telephone-390.png")
        for path in ("carte", "tendances", "prefecture?dep=93", "alertes", "donnees",
                     "methodologie"):  # fmt: skip
            page.goto(f"{dashboard_url}/{path}")
            settle(page)
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 390, f"/{path} scrolls sideways on a phone ({width} px)"
    finally:
        context.close()
