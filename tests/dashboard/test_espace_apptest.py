"""The association space under Streamlit's AppTest: signed-out page, session rules, strings.

No API is needed here: the signed-out page and the signed-in header call none. The journeys
against the real API run in a browser (`test_espace_journey.py`, `test_espace_errors.py`).
"""

from __future__ import annotations

import time

import httpx
import pytest
from streamlit.testing.v1 import AppTest

from dashboard.espace import client
from dashboard.espace.strings import ESPACE_STRINGS
from dashboard.i18n import t
from tests.support.live_servers import closed_port_url

TIMEOUT_S = 60
KEY = "obs_0123456789ab_" + "s" * 43


def page_script() -> None:
    from dashboard.espace.page import espace_page

    espace_page()


def run_space(lang: str = "fr", **state: object) -> AppTest:
    at = AppTest.from_function(page_script, default_timeout=TIMEOUT_S)
    if lang != "fr":
        at.query_params["lang"] = lang
    for name, value in state.items():
        at.session_state[name] = value
    return at.run()


@pytest.fixture(autouse=True)
def no_api(monkeypatch: pytest.MonkeyPatch) -> None:
    # Any call to the API would fail loudly: these pages must not need one.
    monkeypatch.setenv("OBSERVATOIRE_API_URL", closed_port_url())


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_signed_out_page_offers_a_password_field_and_no_section(lang: str) -> None:
    at = run_space(lang)
    assert not at.exception
    assert at.title[0].value == t("espace.title", lang)
    (field,) = at.text_input
    assert field.label == t("espace.signin.label", lang)
    assert field.proto.type == field.proto.PASSWORD
    assert not at.radio, "sections shown while signed out"


def test_a_signed_in_session_shows_the_sections_and_signing_out_forgets_the_key() -> None:
    at = run_space(
        **{"espace.cle": KEY, "espace.organisation": {"nom": "Asso"}, "espace.vu": time.monotonic()}
    )
    assert not at.exception
    assert any("Asso" in m.value for m in at.markdown)
    sections = ("envoi", "saisie", "envois", "valeurs", "calendrier")
    assert at.radio[0].options == [t(f"espace.section.{n}") for n in sections]
    signout = [b for b in at.button if b.label == t("espace.signout")]
    signout[0].click().run()
    assert "espace.cle" not in at.session_state
    assert "espace.organisation" not in at.session_state
    assert KEY not in repr(at.session_state), "the key is still somewhere in the session"
    assert any(t("espace.ended.deconnexion") in s.value for s in at.success)
    assert not at.radio


def test_an_idle_session_is_forgotten(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OBSERVATOIRE_ESPACE_IDLE_TIMEOUT_S", "60")
    at = run_space(**{"espace.cle": KEY, "espace.vu": time.monotonic() - 61})
    assert "espace.cle" not in at.session_state
    assert any(t("espace.ended.expiree") in w.value for w in at.warning)
    assert not at.radio


def test_a_recent_session_is_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OBSERVATOIRE_ESPACE_IDLE_TIMEOUT_S", "60")
    at = run_space(**{"espace.cle": KEY, "espace.vu": time.monotonic() - 30})
    assert at.session_state["espace.cle"] == KEY
    assert at.radio


def test_sign_in_with_the_api_down_says_so_and_keeps_nothing() -> None:
    at = run_space()
    at.text_input[0].input(KEY)
    at.button[0].click().run()
    assert "espace.cle" not in at.session_state
    assert any(t("espace.error.indisponible")[:40] in e.value for e in at.error)
    assert all(KEY not in e.value for e in at.error)


@pytest.mark.parametrize("section", ["envois", "valeurs", "calendrier", "saisie"])
def test_the_api_going_down_while_signed_in_says_so(section: str) -> None:
    at = run_space(**{"espace.cle": KEY, "espace.vu": time.monotonic(), "espace.rubrique": section})
    assert not at.exception
    assert at.session_state["espace.cle"] == KEY, "an unreachable API is not a refused key"
    messages = [e.value for e in at.error]
    assert any(t("espace.error.indisponible")[:40] in m for m in messages), messages


def test_every_string_exists_in_french_and_english() -> None:
    for key, entry in ESPACE_STRINGS.items():
        assert entry["fr"].strip() and entry["en"].strip(), key
        assert entry["fr"] != entry["en"] or len(entry["fr"]) < 20, f"{key} not translated"


def test_send_key_depends_on_content_organisation_and_held_values() -> None:
    preview = {"lignes": [{"statut": "nouvelle", "ancien_nombre": None}]}
    again = {"lignes": [{"statut": "modifiee", "ancien_nombre": 4}]}
    base = client.send_key("asso-a", "abc", client.fingerprint(preview))
    assert base == client.send_key("asso-a", "abc", client.fingerprint(preview))
    assert base != client.send_key("asso-b", "abc", client.fingerprint(preview))
    assert base != client.send_key("asso-a", "abd", client.fingerprint(preview))
    assert base != client.send_key("asso-a", "abc", client.fingerprint(again))
    assert len(base) <= 255


def test_the_same_file_makes_the_same_request_body() -> None:
    content = "departement;mois;type_incident;nombre\r\n75;2026-09;depot_impossible;3\r\n"

    def body() -> bytes:
        request = httpx.Request(
            "POST",
            "http://x/v1/soumissions/fichier",
            headers=client.multipart_headers(content.encode()),
            files={"fichier": ("a.csv", content.encode(), "application/octet-stream")},
        )
        return request.read()

    assert body() == body()


def test_api_errors_become_kinds_with_the_api_text() -> None:
    refusal = httpx.Response(
        422,
        json={
            "detail": "1 erreur",
            "erreurs": [{"ligne": 4, "champ": "nombre", "valeur": "-3", "raison": "négatif"}],
        },
    )
    error = client._error_from(refusal)
    assert error.kind == "refus" and error.detail == "1 erreur"
    assert error.erreurs == [
        {"ligne": 4, "colonne": "nombre", "valeur": "-3", "message": "négatif", "suggestion": None}
    ]
    assert client._error_from(httpx.Response(401)).kind == "cle"
    assert client._error_from(httpx.Response(413)).kind == "trop_gros"
    assert client._error_from(httpx.Response(503)).kind == "indisponible"
    limited = client._error_from(httpx.Response(429, headers={"Retry-After": "7"}))
    assert limited.kind == "trop_vite" and limited.retry_after == "7"


def test_xsrf_protection_stays_on() -> None:
    import tomllib

    from tests.support.live_servers import REPO_ROOT

    config = tomllib.loads((REPO_ROOT / "dashboard/.streamlit/config.toml").read_text())
    assert config["server"].get("enableXsrfProtection", True) is True
    assert config["server"].get("enableCORS", True) is True
