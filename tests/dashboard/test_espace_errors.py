"""Everything that can go wrong in the association space gets a clear message, in a browser.

A wrong, revoked or expired key; a file over the API's size limit; an unreadable file; the API
down. The dashboard here expires idle sessions after 10 s and the API refuses files over 64 KB.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.espace import (
    DESKTOP,
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
    spreadsheet_csv,
    upload,
)
from tests.support.live_servers import closed_port_url, running_dashboard

pytestmark = pytest.mark.browser
IDLE_S = 10
LIMIT = 64 * 1024


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple]:
    require_chromium()
    limits = {"API_MAX_BODY_BYTES": str(LIMIT), "API_MAX_FILE_BYTES": str(LIMIT)}
    with espace_servers(
        tmp_path_factory.mktemp("espace-erreurs"),
        api_env=limits,
        espace_idle_timeout_s=str(IDLE_S),
    ) as running:
        yield running


@pytest.fixture(scope="module")
def browser(servers):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch(playwright)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport=DESKTOP, locale="fr-FR")
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    yield page
    context.close()


def alert_text(page) -> str:
    """The text of every alert box on the page."""
    return " ".join(page.locator("[data-testid='stAlert']").all_inner_texts())


@pytest.mark.parametrize(
    "which", ["wrong", "malformed", "revoked"], ids=["wrong-key", "not-a-key", "revoked-key"]
)
def test_a_refused_key_gets_a_clear_message(page, servers, which: str) -> None:
    url, _api_url, keys = servers
    typed = {
        "wrong": keys.main[:-4] + "AAAA",
        "malformed": "mon-mot-de-passe",
        "revoked": keys.revoked,
    }[which]
    open_space(page, url)
    sign_in(page, typed)
    page.get_by_text("Clé refusée").first.wait_for()
    assert "inconnue, révoquée ou expirée" in alert_text(page)
    assert page.locator("[data-testid='stRadio']").count() == 0, "signed in with a bad key"
    assert page.get_by_label("Clé d'API de l'association", exact=True).input_value() == ""
    if which == "revoked":
        shot(page, "espace-cle-refusee.png")


def test_an_idle_session_expires(page, servers) -> None:
    url, _api_url, keys = servers
    open_space(page, url)
    sign_in(page, keys.main)
    page.get_by_role("button", name="Se déconnecter").wait_for()
    page.wait_for_timeout((IDLE_S + 1) * 1000)
    section(page, "Mes envois")
    page.get_by_text("Votre session a expiré").first.wait_for()
    assert page.locator("[data-testid='stRadio']").count() == 0
    assert page.get_by_label("Clé d'API de l'association", exact=True).is_visible()


def test_a_file_over_the_size_limit_is_refused_clearly(page, servers) -> None:
    url, api_url, keys = servers
    open_space(page, url)
    sign_in(page, keys.main)
    line = "Paris;septembre 2026;rdv_indisponible;12"
    big = spreadsheet_csv([line] * (2 * LIMIT // len(line)))
    assert len(big) > LIMIT
    upload(page, "tres-gros.csv", big)
    page.get_by_text("Fichier trop volumineux").first.wait_for()
    assert "Découpez-le" in alert_text(page)
    assert api_get(api_url, "/v1/soumissions", keys.main)["count"] == 0


def test_an_unreadable_file_is_refused_clearly(page, servers) -> None:
    url, api_url, keys = servers
    open_space(page, url)
    sign_in(page, keys.main)
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20
    upload(page, "comptages.xlsx", png)
    page.get_by_text("Rien n'a été enregistré").first.wait_for()
    text = alert_text(page).lower()
    assert "illisible" in text or "xlsx" in text, text
    assert page.get_by_role("button", name="Envoyer", exact=True).count() == 0
    shot(page, "espace-fichier-illisible.png")
    assert api_get(api_url, "/v1/soumissions", keys.main)["count"] == 0


def test_the_api_down_gets_a_clear_message(browser, tmp_path_factory) -> None:
    down = closed_port_url()
    workdir = tmp_path_factory.mktemp("espace-api-absente")
    with running_dashboard(workdir, down, warm=False) as url:
        context = browser.new_context(viewport=DESKTOP, locale="fr-FR")
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        try:
            open_space(page, url)
            sign_in(page, "obs_0123456789ab_" + "x" * 43)
            page.get_by_text("ne répond pas pour le moment").first.wait_for()
            assert "rien n'a été envoyé" in alert_text(page)
            settle(page)
        finally:
            context.close()
