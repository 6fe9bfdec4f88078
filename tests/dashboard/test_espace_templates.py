"""Templates downloaded from the space load back unchanged; the grid sends a month; phone layout.

Both templates come from the space's download buttons in a real browser and are dropped back,
untouched, on the same page: the preview must accept them. The manual entry grid goes through
the same preview and « Envoyer ». The space is also looked at on a phone-sized screen.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.espace import (
    DESKTOP,
    PHONE,
    TIMEOUT_MS,
    api_get,
    espace_servers,
    launch,
    open_space,
    require_chromium,
    section,
    settle,
    shot,
    sign_in,
)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple]:
    require_chromium()
    with espace_servers(tmp_path_factory.mktemp("espace-modeles")) as running:
        yield running


@pytest.fixture(scope="module")
def browser(servers):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch(playwright)
        yield browser
        browser.close()


def new_page(browser, viewport: dict):
    context = browser.new_context(viewport=viewport, locale="fr-FR", accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    return context, page


def download(page, label: str, folder: Path) -> Path:
    """Press a download button and keep the file under its suggested name."""
    with page.expect_download(timeout=TIMEOUT_MS) as info:
        page.get_by_role("button", name=label).click()
    target = folder / info.value.suggested_filename
    info.value.save_as(target)
    return target


@pytest.mark.parametrize(
    ("label", "suffix"), [("Modèle CSV", ".csv"), ("Modèle XLSX (tableur)", ".xlsx")]
)
def test_a_downloaded_template_loads_back_unchanged(
    browser, servers, tmp_path: Path, label: str, suffix: str
) -> None:
    url, api_url, keys = servers
    context, page = new_page(browser, DESKTOP)
    try:
        open_space(page, url)
        sign_in(page, keys.main)
        saved = download(page, label, tmp_path)
        assert saved.suffix == suffix and saved.stat().st_size > 0
        mime = "text/csv" if suffix == ".csv" else "application/octet-stream"
        page.locator("[data-testid='stFileUploader'] input[type='file']").set_input_files(
            files=[{"name": saved.name, "mimeType": mime, "buffer": saved.read_bytes()}]
        )
        settle(page)
        page.get_by_text("Aperçu : rien n'est encore enregistré").wait_for()
        # « Envoyer » comes last in the preview: wait for it rather than count it at once.
        page.get_by_role("button", name="Envoyer", exact=True).wait_for()
        assert page.get_by_text("Fichier refusé").count() == 0
        assert api_get(api_url, "/v1/soumissions", keys.main)["count"] == 0
    finally:
        context.close()


def test_the_grid_previews_and_sends_one_month(browser, servers) -> None:
    url, api_url, keys = servers
    context, page = new_page(browser, DESKTOP)
    try:
        open_space(page, url)
        sign_in(page, keys.main)
        section(page, "Saisir un mois")
        grid = page.locator("[data-testid='stDataFrame']").first
        grid.wait_for()
        preview = page.get_by_role("button", name="Prévisualiser")
        # The first row's « Nombre » cell: a click selects it, typing edits, Enter commits.
        # The grid is a canvas that may still be laying out on a loaded machine: retry.
        for _ in range(3):
            settle(page)
            box = grid.bounding_box()
            assert box is not None
            grid.click(position={"x": box["width"] - 40, "y": 52})
            page.keyboard.type("7")
            page.keyboard.press("Enter")
            settle(page)
            if preview.is_enabled():
                break
        preview.click()
        settle(page)
        page.get_by_text("Aperçu : rien n'est encore enregistré").wait_for()
        shot(page, "espace-saisie.png", capture=True)
        page.get_by_role("button", name="Envoyer", exact=True).click()
        settle(page)
        page.get_by_text("enregistré : 1 nouvelle(s)").first.wait_for()
        values = api_get(api_url, "/v1/valeurs", keys.main)["data"]
        assert [v["nombre"] for v in values] == [7]
    finally:
        context.close()


def test_the_space_fits_a_phone(browser, servers) -> None:
    url, _api_url, keys = servers
    context, page = new_page(browser, PHONE)
    try:
        open_space(page, url)
        shot(page, "espace-telephone-connexion.png")
        sign_in(page, keys.main)
        page.get_by_text("Connecté : Solidarité Exemple").wait_for()
        shot(page, "espace-telephone.png", capture=True)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"the page scrolls sideways ({width} px)"
        unlabeled = page.evaluate(
            """() => [...document.querySelectorAll('input, select, textarea, button')]
                .filter(el => el.offsetParent !== null && el.type !== 'file')
                .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label')
                              && !el.getAttribute('aria-labelledby') && !el.innerText.trim())
                .map(el => el.outerHTML.slice(0, 120))"""
        )
        assert not unlabeled, unlabeled
    finally:
        context.close()
