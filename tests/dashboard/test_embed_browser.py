"""An embedded view works in a plain HTML page outside the dashboard, from « Intégrer »."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.support.browser import (
    CHROMIUM,
    CHROMIUM_ARGS,
    DESKTOP,
    PHONE,
    require_chromium,
    save,
    settle,
)
from tests.support.live_servers import running_api, running_dashboard
from tests.support.published_fixture import prepare_published

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    require_chromium()
    workdir = tmp_path_factory.mktemp("embed")
    with (
        running_api(workdir, prepare=prepare_published) as api_url,
        running_dashboard(workdir, api_url) as url,
    ):
        yield url, api_url


@pytest.fixture
def article(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """A plain static web server on another port: a newsroom's article page."""
    handler = partial(SimpleHTTPRequestHandler, directory=str(tmp_path))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield tmp_path, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_embed_snippet_and_image_work_in_a_plain_page(servers, article) -> None:
    from playwright.sync_api import sync_playwright

    dashboard_url, api_url = servers
    folder, article_url = article
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport=DESKTOP)
            page.goto(f"{dashboard_url}/carte?type=acces&periode=2024-T3&mesure=taux")
            settle(page)
            page.locator("summary", has_text="Intégrer").click()
            code = page.locator("pre", has_text="<iframe").first
            code.wait_for(timeout=30_000)
            snippet = code.inner_text().strip()
            src = re.search(r'src="([^"]+)"', snippet).group(1)
            assert "type=acces" in src and "periode=2024-T3" in src and "mesure=taux" in src
            assert "integre=1" in src and re.search(r'title="[^"]+"', snippet)
            svg_link = page.get_by_role("link", name="SVG").get_attribute("href")
            assert svg_link.startswith(api_url) and "/v1/images/carte.svg?" in svg_link
            (folder / "article.html").write_text(
                '<!doctype html><html lang="fr"><head><meta charset="utf-8">'
                "<title>Article</title></head><body><h1>Un article</h1>"
                f'{snippet}<img id="carte" src="{svg_link}" alt="Carte"></body></html>',
                encoding="utf-8",
            )
            reader = browser.new_page(viewport=PHONE)
            reader.goto(f"{article_url}/article.html")
            frame = reader.frame_locator("iframe")
            frame.locator("[data-testid='stVegaLiteChart'] svg path[aria-label]").first.wait_for(
                timeout=90_000
            )
            assert frame.get_by_text("Données fictives de démonstration").first.is_visible()
            back = frame.get_by_role("link", name="Voir sur l'observatoire")
            assert "integre" not in (back.get_attribute("href") or "")
            assert "type=acces" in (back.get_attribute("href") or "")
            # No navigation, no filters, no title in the embedded view.
            assert frame.locator("[data-testid='stSidebar']").count() == 0
            assert frame.locator("[data-testid='stSelectbox']").count() == 0
            reader.wait_for_function(
                "document.getElementById('carte').complete"
                " && document.getElementById('carte').naturalWidth > 300",
                timeout=60_000,
            )
            reader.wait_for_timeout(1500)
            save(reader.screenshot(full_page=True), "article-integration.png")
        finally:
            browser.close()


def test_map_page_html_carries_the_server_drawn_map_until_streamlit_draws_its_own(
    servers,
) -> None:
    import httpx
    from playwright.sync_api import sync_playwright

    dashboard_url, _ = servers
    url = f"{dashboard_url}/carte?type=acces&mesure=taux"
    deadline = 0
    html = ""
    while deadline < 40 and 'id="premiere-carte"' not in html:
        html = httpx.get(url, timeout=30).text  # the first asks the API, later ones get it
        deadline += 1
    assert 'id="premiere-carte"' in html
    first = html[html.index('id="premiere-carte"') :]
    assert "Pour 100 000 habitants" in first[:3000]
    assert first.count('href="./prefecture?dep=') >= 100
    assert 'aria-label="Seine-Saint-Denis (93) : ' in first
    assert 'role="img"' not in first[:1000]  # its links stay reachable
    assert "premiere-carte" not in httpx.get(f"{dashboard_url}/tendances").text.split("</head>")[1]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport=PHONE)
            page.goto(url, wait_until="commit")
            page.locator("#premiere-carte a").first.wait_for(timeout=30_000)
            settle(page)
            page.locator("[data-testid='stVegaLiteChart'] path[aria-label]").first.wait_for()
            assert page.locator("#premiere-carte").count() == 0
        finally:
            browser.close()


def snippet_of(page, url: str, nth: int = 0) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    """The iframe snippet and the SVG link of a page's `nth` « Intégrer » section."""
    page.goto(url)
    settle(page)
    summary = page.locator("summary", has_text="Intégrer")
    section = page.locator("[data-testid='stExpander']").filter(has=summary).nth(nth)
    section.locator("summary").click()
    code = section.locator("pre", has_text="<iframe")
    code.wait_for(timeout=30_000)
    svg = section.get_by_role("link", name="SVG")
    return code.inner_text().strip(), svg.get_attribute("href") or ""


def test_embedded_prefecture_and_tendances_are_their_chart_and_source_only(
    servers, article
) -> None:
    import httpx
    from playwright.sync_api import sync_playwright

    dashboard_url, api_url = servers
    folder, article_url = article
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport=DESKTOP)
            trends = f"{dashboard_url}/tendances?pas=annee&mesure=taux"
            family, family_svg = snippet_of(page, trends)
            assert "pas=annee" in family and "mesure=taux" in family
            assert "lignes=familles" in family_svg and "mesure=taux" in family_svg
            # The family chart's SVG download is the API's own image of it.
            button = page.locator("[data-testid='stDownloadButton'] button", has_text="SVG")
            with page.expect_download(timeout=30_000) as info:
                button.first.click()
            assert Path(info.value.path()).read_bytes() == httpx.get(family_svg).content
            types, types_svg = snippet_of(page, f"{trends}&famille=acces", nth=1)
            assert "graphique=types" in types and "famille=acces" in types
            assert "lignes=types" in types_svg and "type=acces" in types_svg
            prefecture, prefecture_svg = snippet_of(
                page, f"{dashboard_url}/prefecture?dep=93&type=acces&pas=annee"
            )
            assert "dep=93" in prefecture and "territoire=93" in prefecture_svg
            (folder / "vues.html").write_text(
                '<!doctype html><html lang="fr"><head><meta charset="utf-8">'
                f"<title>Vues</title></head><body>{family}{types}{prefecture}</body></html>",
                encoding="utf-8",
            )
            reader = browser.new_page(viewport=PHONE)
            reader.goto(f"{article_url}/vues.html")
            for index, title in enumerate(["chaque famille", "par type", "Seine-Saint-Denis"]):
                frame = reader.frame_locator("iframe").nth(index)
                chart = frame.locator("[data-testid='stVegaLiteChart']")
                chart.locator("svg path").first.wait_for(timeout=90_000)
                assert title in (chart.locator("svg").first.text_content() or "")  # drawn in it
                assert frame.locator("h1, h2, h3").count() == 0
                for widget in ("stSelectbox", "stSegmentedControl", "stSidebar", "stExpander"):
                    assert frame.locator(f"[data-testid='{widget}']").count() == 0, widget
                assert frame.get_by_text("Données fictives de démonstration").first.is_visible()
                source = frame.locator("p", has_text="Source").last
                assert "publication n° 1" in source.inner_text()
                back = source.get_by_role("link", name="Voir sur l'observatoire")
                assert "integre" not in (back.get_attribute("href") or "")
            reader.wait_for_timeout(1500)
            save(reader.screenshot(full_page=True), "article-integration-series.png")
        finally:
            browser.close()
