"""The association's whole journey in a real headless browser, against the real API.

Sign in; a cp1252 `;` file with one bad row is refused with that row named and nothing stored;
fixed, it is previewed and sent; a changed file shows the old values; « Envoyer » pressed twice
stores one submission; a number is corrected with a reason and its history shown; a batch is
withdrawn; the missing months are listed; signing out leaves the key nowhere in the browser.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from tests.support.espace import (
    DESKTOP,
    TIMEOUT_MS,
    api_get,
    espace_servers,
    launch,
    open_space,
    page_secrets,
    require_chromium,
    section,
    settle,
    shot,
    sign_in,
    spreadsheet_csv,
    upload,
)

pytestmark = pytest.mark.browser
NNBSP = "\u202f"  # French thousands separator as the space writes numbers

ROWS = [
    "Paris;septembre 2026;rdv_indisponible;1 234",
    "Seine-Saint-Denis;septembre 2026;depot_impossible;12",
]
BAD = [*ROWS, "Bouches-du-Rhône;septembre 2026;perte_emploi;-3"]
FIXED = [*ROWS, "Bouches-du-Rhône;septembre 2026;perte_emploi;3"]
CHANGED = ["Paris;septembre 2026;rdv_indisponible;1 250", *FIXED[1:]]


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple]:
    require_chromium()
    with espace_servers(tmp_path_factory.mktemp("espace")) as running:
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


def text_of(page) -> str:
    """The page's visible text (tables included)."""
    return page.locator("[data-testid='stMain']").inner_text()


def expect_text(page, text: str) -> None:
    page.get_by_text(text).first.wait_for(timeout=TIMEOUT_MS)


def submissions(api_url: str, key: str) -> list[dict]:
    return api_get(api_url, "/v1/soumissions", key)["data"]


def held(api_url: str, key: str) -> dict[tuple[str, str, str], int]:
    rows = api_get(api_url, "/v1/valeurs", key)["data"]
    return {(r["departement"], r["mois"], r["type_incident"]): r["nombre"] for r in rows}


def test_refused_file_names_the_row_and_stores_nothing_then_is_sent(page, servers) -> None:
    url, api_url, keys = servers
    open_space(page, url)
    shot(page, "espace-connexion.png", capture=True)
    sign_in(page, keys.main)
    expect_text(page, "Connecté : Solidarité Exemple")

    upload(page, "comptages-septembre.csv", spreadsheet_csv(BAD))
    expect_text(page, "Fichier refusé : 1 ligne(s) à corriger.")
    errors = page.locator("[data-testid='stTable']").first.inner_text()
    assert "4" in errors and "nombre" in errors and "-3" in errors
    assert "négatif" in errors
    assert "Rien n'a été enregistré" in text_of(page)
    assert page.get_by_role("button", name="Envoyer", exact=True).count() == 0
    shot(page, "espace-refus.png", capture=True)
    assert submissions(api_url, keys.main) == []
    assert held(api_url, keys.main) == {}

    upload(page, "comptages-septembre-corrige.csv", spreadsheet_csv(FIXED))
    expect_text(page, "Aperçu : rien n'est encore enregistré")
    body = text_of(page)
    assert "Fichier refusé" not in body
    assert held(api_url, keys.main) == {}, "the preview stored something"
    page.get_by_role("button", name="Envoyer", exact=True).click()
    settle(page)
    expect_text(page, "enregistré : 3 nouvelle(s)")
    assert held(api_url, keys.main) == {
        ("75", "2026-09", "rdv_indisponible"): 1234,
        ("93", "2026-09", "depot_impossible"): 12,
        ("13", "2026-09", "perte_emploi"): 3,
    }


def test_changed_cells_show_old_values_and_a_double_send_stores_once(page, servers) -> None:
    url, api_url, keys = servers
    before = len(submissions(api_url, keys.main))
    open_space(page, url)
    sign_in(page, keys.main)
    upload(page, "comptages-septembre-v2.csv", spreadsheet_csv(CHANGED))
    expect_text(page, "1 valeur(s) modifiée(s) : ancienne et nouvelle valeur")
    changed = page.locator("[data-testid='stTable']").first.inner_text()
    assert f"1{NNBSP}234" in changed and f"1{NNBSP}250" in changed
    assert "Paris" in changed and "septembre 2026" in changed
    shot(page, "espace-apercu.png", capture=True)

    button = page.get_by_role("button", name="Envoyer", exact=True)
    # Two clicks in the same instant: the second arrives while the first run is sending.
    button.evaluate("el => { el.click(); el.click(); }")
    settle(page)
    expect_text(page, "enregistré : 0 nouvelle(s), 1 modifiée(s)")
    if page.get_by_role("button", name="Envoyer", exact=True).count():
        page.get_by_role("button", name="Envoyer", exact=True).click()
        settle(page)
    assert len(submissions(api_url, keys.main)) == before + 1

    # A reload is a new session: sign in again, drop the same file, nothing is sent twice.
    page.reload()
    open_space(page, url)
    sign_in(page, keys.main)
    upload(page, "comptages-septembre-v2.csv", spreadsheet_csv(CHANGED))
    expect_text(page, "rien à envoyer")
    assert len(submissions(api_url, keys.main)) == before + 1
    assert held(api_url, keys.main)[("75", "2026-09", "rdv_indisponible")] == 1250


def choose(page, label: str, option: str) -> None:
    """Pick `option` (a substring) in the selectbox labelled `label`."""
    field = page.locator("[data-testid='stSelectbox']").filter(has_text=label).locator("input")
    if option in (field.input_value() or field.get_attribute("aria-label") or ""):
        return  # already chosen
    field.click()
    page.keyboard.type(option)  # the list filters as one types
    page.get_by_role("option").filter(has_text=option).first.wait_for()
    page.keyboard.press("Enter")
    settle(page)


def test_correct_with_a_reason_see_history_then_withdraw(page, servers) -> None:
    url, api_url, keys = servers
    open_space(page, url)
    sign_in(page, keys.main)
    section(page, "Mes valeurs")
    expect_text(page, "valeur(s) détenue(s)")
    choose(page, "Valeur", "Bouches-du-Rhône")
    page.get_by_label("Nouveau nombre").fill("5")
    page.get_by_label("Motif de la correction (obligatoire)").fill("recompté au siège")
    page.get_by_role("button", name="Corriger").click()
    settle(page)
    expect_text(page, "Correction enregistrée : la valeur est maintenant 5.")
    settle(page)
    choose(page, "Valeur", "Bouches-du-Rhône")
    # The form starts again from the cell's new value.
    expect(page.get_by_label("Nouveau nombre")).to_have_value("5", timeout=TIMEOUT_MS)
    history = page.locator("[data-testid='stTable']").last.inner_text()
    assert "recompté au siège" in history and "modification" in history
    shot(page, "espace-historique.png", capture=True)
    assert held(api_url, keys.main)[("13", "2026-09", "perte_emploi")] == 5

    section(page, "Mes envois")
    expect_text(page, "Retirer un envoi")
    newest = submissions(api_url, keys.main)[0]
    page.get_by_label("Motif du retrait (obligatoire)").fill("correction envoyée par erreur")
    page.get_by_text("Je confirme le retrait de cet envoi.").click()
    page.get_by_role("button", name="Retirer l'envoi").click()
    settle(page)
    expect_text(page, f"Envoi n° {newest['id']} retiré")
    assert submissions(api_url, keys.main)[0]["statut"] == "retiree"
    # The cell goes back to what it held before the correction, not to zero.
    assert held(api_url, keys.main)[("13", "2026-09", "perte_emploi")] == 3
    shot(page, "espace-envois.png", capture=True)


def test_calendar_shows_the_missing_months(page, servers) -> None:
    url, api_url, keys = servers
    report = api_get(api_url, "/v1/completude", keys.main)
    open_space(page, url)
    sign_in(page, keys.main)
    section(page, "Calendrier")
    expect_text(page, "Calendrier de publication")
    body = text_of(page)
    assert report["manquants"], "the fixture should leave months missing"
    assert "mois sans aucune valeur envoyée" in body
    assert "manquant" in body and "envoyé" in body
    shot(page, "espace-calendrier.png", capture=True)


def test_sign_out_leaves_the_key_nowhere(page, servers) -> None:
    url, _api_url, keys = servers
    open_space(page, url)
    sign_in(page, keys.main)
    section(page, "Mes envois")
    secret = keys.main.split("_", 2)[2]
    signed_in = page_secrets(page)
    for place, value in signed_in.items():
        assert secret not in value, f"the key is in the {place} while signed in"
    page.get_by_role("button", name="Se déconnecter").click()
    settle(page)
    expect_text(page, "Vous êtes déconnecté")
    assert page.get_by_label("Clé d'API de l'association", exact=True).input_value() == ""
    for place, value in page_secrets(page).items():
        assert secret not in value, f"the key is in the {place} after sign-out"
        assert keys.main not in value
    # Signed out means signed out: the sections are gone until the key is typed again.
    assert page.locator("[data-testid='stRadio']").count() == 0
    # Nor is it in the servers' logs (access lines, tracebacks).
    for log in keys.extra["logs"]:
        assert secret not in log.read_text(errors="replace"), f"the key is in {log.name}"
