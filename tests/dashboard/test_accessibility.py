"""RGAA / WCAG 2.1 AA in a real browser: axe-core on every page, both languages, two sizes.

Also what axe cannot see: `<html lang>` follows the language (also after the switch, which
does not reload the page), each page has its own title, focus is visible, the map's shapes
have clean names and its département list links work from the keyboard, unknown addresses
get a page in the reader's language, and nothing scrolls sideways on a phone.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.browser import (
    CHROMIUM,
    CHROMIUM_ARGS,
    DESKTOP,
    PHONE,
    axe_violations,
    describe,
    require_axe,
    require_chromium,
    save,
    settle,
)
from tests.support.live_servers import running_api, running_dashboard
from tests.support.published_fixture import prepare_published

pytestmark = pytest.mark.browser

PAGES = [
    ("/", "Carte", "Map"),
    ("/carte", "Carte", "Map"),
    ("/tendances", "Tendances", "Trends"),
    ("/prefecture?dep=93", "Préfecture", "Prefecture"),
    ("/alertes", "Alertes", "Alerts"),
    ("/donnees", "Données et API", "Data and API"),
    ("/methodologie", "Méthodologie", "Methodology"),
    # Embedded views (« Intégrer »): the chart and its source only.
    ("/carte?integre=1&embed=true", "Carte", "Map"),
    ("/tendances?integre=1&embed=true", "Tendances", "Trends"),
    ("/prefecture?dep=93&integre=1&embed=true", "Préfecture", "Prefecture"),
]
SIZES = {"desktop": DESKTOP, "phone": PHONE}


@pytest.fixture(scope="module")
def dashboard_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    require_chromium()
    require_axe()
    workdir = tmp_path_factory.mktemp("a11y")
    with (
        running_api(workdir, prepare=prepare_published) as api_url,
        running_dashboard(workdir, api_url) as url,
    ):
        yield url


@pytest.fixture(scope="module")
def browser(dashboard_url: str):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def open_page(browser, url: str, size: str = "desktop"):
    context = browser.new_context(viewport=SIZES[size], locale="fr-FR")
    page = context.new_page()
    page.goto(url)
    settle(page)
    return page


def with_lang(path: str, lang: str) -> str:
    if lang == "fr":
        return path
    return f"{path}{'&' if '?' in path else '?'}lang={lang}"


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize(("path", "title_fr", "title_en"), PAGES)
def test_no_serious_violation_right_language_and_title(
    browser, dashboard_url: str, path: str, title_fr: str, title_en: str, lang: str, size: str
) -> None:
    page = open_page(browser, dashboard_url + with_lang(path, lang), size)
    try:
        assert page.locator("[data-testid='stException']").count() == 0
        violations = axe_violations(page)
        assert not violations, describe(violations)
        assert page.evaluate("document.documentElement.lang") == lang
        title = title_fr if lang == "fr" else title_en
        assert page.title().startswith(f"{title} · ")
        # Nothing scrolls sideways (a clipped legend or a too-wide table would).
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 1, f"{overflow} px of horizontal scrolling"
        if size == "phone" and lang == "fr":
            name = path.strip("/").split("?")[0] or "accueil"
            name += "-integre" if "integre=1" in path else ""
            save(page.screenshot(full_page=False), f"phone-{name}.png")
    finally:
        page.context.close()


def test_language_switch_updates_html_lang_without_reload(browser, dashboard_url: str) -> None:
    page = open_page(browser, dashboard_url + "/tendances")
    try:
        assert page.evaluate("document.documentElement.lang") == "fr"
        page.get_by_test_id("stSidebarUserContent").get_by_role("radio", name="EN").click()
        page.wait_for_function("document.documentElement.lang === 'en'", timeout=30_000)
        page.wait_for_function("document.title.startsWith('Trends')", timeout=30_000)
    finally:
        page.context.close()


def test_streamlit_labels_are_french_in_french_mode(browser, dashboard_url: str) -> None:
    page = open_page(browser, dashboard_url + "/")
    try:
        body = page.locator("body").inner_html()
        assert "Skip to main content" not in body
        assert "Aller au contenu principal" in body
    finally:
        page.context.close()


def test_focus_is_visible_on_links_and_buttons(browser, dashboard_url: str) -> None:
    page = open_page(browser, dashboard_url + "/")
    try:
        seen = 0
        for _ in range(12):
            page.keyboard.press("Tab")
            outline = page.evaluate(
                "() => { const e = document.activeElement; const s = getComputedStyle(e);"
                " return [e.tagName, s.outlineStyle, parseFloat(s.outlineWidth)]; }"
            )
            if outline[0] in ("A", "BUTTON", "INPUT"):
                seen += 1
                assert outline[1] != "none" and outline[2] >= 2, outline
        assert seen >= 3
    finally:
        page.context.close()


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_unknown_address_gets_a_page_in_the_readers_language(
    browser, dashboard_url: str, lang: str
) -> None:
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    try:
        response = page.goto(dashboard_url + with_lang("/nulle-part", lang))
        assert response is not None and response.status == 404
        assert page.evaluate("document.documentElement.lang") == lang
        heading = "Page introuvable" if lang == "fr" else "Page not found"
        assert page.get_by_role("heading", name=heading).is_visible()
        map_link = page.get_by_role("link", name="Carte" if lang == "fr" else "Map")
        assert not axe_violations(page)
        map_link.focus()
        page.keyboard.press("Enter")
        settle(page)
        assert page.locator("[data-testid='stVegaLiteChart']").count() >= 1
        assert page.locator("[role='dialog']").count() == 0
    finally:
        context.close()


def test_map_address_opens_the_map_without_a_dialog(browser, dashboard_url: str) -> None:
    page = open_page(browser, dashboard_url + "/carte?type=acces")
    try:
        page.wait_for_selector("[data-testid='stVegaLiteChart'] svg path", timeout=60_000)
        assert page.locator("[role='dialog']").count() == 0
        heading = page.get_by_role("heading", name="Signalements par département", level=1)
        heading.wait_for(timeout=30_000)
        assert "/carte" in page.url
    finally:
        page.context.close()


def test_map_has_a_description_clean_names_and_keyboard_links(browser, dashboard_url: str) -> None:
    page = open_page(browser, dashboard_url + "/carte?type=acces")
    try:
        chart = page.locator("[data-testid='stVegaLiteChart'] svg").first
        chart.locator("path[aria-label]").first.wait_for(timeout=60_000)
        # What the map shows, in words, beside it (Vega names the root only in its own view).
        description = page.get_by_text("Carte des départements : nombre de signalements")
        assert "publication n° 1" in description.inner_text()
        names = chart.evaluate(
            "svg => [...svg.querySelectorAll('[aria-label]')]"
            ".map(e => e.getAttribute('aria-label'))"
        )
        assert not [n for n in names if "properties." in n or "datum" in n]
        assert any(n.startswith("Seine-Saint-Denis (93) : ") for n in names)
        assert any(n.endswith(": secret statistique") for n in names)
        # The inset frames and their labels are decorative: no name, hidden from the tree.
        assert not [n for n in names if n.startswith("Guadeloupe") and "(" not in n]
        # The list of départements opens with the keyboard and its links lead to their page.
        summary = page.locator("summary", has_text="Départements (101)")
        summary.focus()
        page.keyboard.press("Enter")
        link = page.get_by_role("link", name="Rhône (69)", exact=False)
        link.wait_for(timeout=30_000)
        assert link.get_attribute("href") == "./prefecture?dep=69"
        link.focus()
        # Streamlit opens Markdown links in a new tab.
        with page.context.expect_page(timeout=30_000) as opened:
            page.keyboard.press("Enter")
        target = opened.value
        target.get_by_role("heading", name="Rhône (69)").wait_for(timeout=60_000)
        assert "/prefecture?dep=69" in target.url
    finally:
        page.context.close()
