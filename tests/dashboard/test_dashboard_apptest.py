"""Smoke tests of every dashboard page under Streamlit's AppTest, against the real API."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from streamlit.testing.v1 import AppTest

from tests.support.live_servers import REPO_ROOT, closed_port_url, running_api

APP = str(REPO_ROOT / "dashboard" / "app.py")
TIMEOUT_S = 60
MAX_SPEC_BYTES = 450_000


@pytest.fixture(scope="module")
def api_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL of the real API on a fresh database, for this module."""
    with running_api(tmp_path_factory.mktemp("api")) as url:
        yield url


@pytest.fixture
def live_api(api_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """Point the dashboard at the running API."""
    monkeypatch.setenv("OBSERVATOIRE_API_URL", api_url)
    return api_url


def test_no_pages_directory_beside_the_entry_script() -> None:
    # A `pages/` folder next to app.py switches Streamlit to its legacy multipage mode,
    # which fights `st.navigation` (reruns render an empty page under AppTest).
    assert not (REPO_ROOT / "dashboard" / "pages").exists()


def run_app(query: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT_S)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    return at.run()


def map_spec(at: AppTest) -> dict:
    charts = at.get("vega_lite_chart")
    assert len(charts) == 1
    return json.loads(charts[0].proto.spec)


def test_carte_page_draws_the_map_of_101_departements(live_api: str) -> None:
    at = run_app()
    assert not at.exception
    assert not at.error
    assert at.title[0].value == "Population par département"
    spec = map_spec(at)
    features = spec["datasets"]["departements"]
    assert len({f["properties"]["code"] for f in features}) == 101
    assert all(isinstance(f["properties"]["valeur"], int) for f in features)
    assert len(spec["datasets"]["encarts"]) == 6
    assert len(at.get("vega_lite_chart")[0].proto.spec.encode()) < MAX_SPEC_BYTES


def test_carte_page_has_the_table_of_departements(live_api: str) -> None:
    at = run_app()
    tables = at.dataframe
    assert len(tables) == 1
    frame = tables[0].value
    assert len(frame) == 101
    assert list(frame.columns) == ["Code", "Département", "Région", "Préfecture", "Population"]
    assert frame["Population"].min() > 0


def test_carte_page_speaks_english_with_lang_en(live_api: str) -> None:
    at = run_app({"lang": "en"})
    assert not at.exception
    assert at.title[0].value == "Population by département"
    assert "Region" in at.dataframe[0].value.columns


def test_language_switch_writes_the_url(live_api: str) -> None:
    at = run_app()
    switch = at.get("button_group")[0]
    switch.set_value("en").run()
    assert not at.exception
    assert at.query_params["lang"] in ("en", ["en"])
    assert at.title[0].value == "Population by département"


def methodologie_script() -> None:
    from dashboard.views.methodologie import methodologie_page

    methodologie_page()


def test_methodologie_page_states_sources_licence_and_taxonomy(live_api: str) -> None:
    at = AppTest.from_function(methodologie_script, default_timeout=TIMEOUT_S).run()
    assert not at.exception
    assert at.title[0].value == "Méthodologie et sources"
    text = " ".join(md.value for md in at.markdown)
    assert "Licence Ouverte 2.0" in text
    assert "INSEE" in text
    types = at.dataframe[0].value
    assert "depot_impossible" in set(types["Code"])


def test_api_down_shows_a_french_error_and_no_exception(monkeypatch: pytest.MonkeyPatch) -> None:
    down = closed_port_url()
    monkeypatch.setenv("OBSERVATOIRE_API_URL", down)
    monkeypatch.setenv("OBSERVATOIRE_CONNECT_TIMEOUT_S", "1")
    at = run_app()
    assert not at.exception
    assert len(at.error) == 1
    message = at.error[0].value
    assert "momentanément indisponibles" in message
    assert down in message
    assert "Réessayez" in message
    assert not at.get("vega_lite_chart")
    assert at.button[0].label == "Réessayer"


def test_api_error_status_is_reported(monkeypatch: pytest.MonkeyPatch, api_url: str) -> None:
    # A wrong base path makes the API answer 404: an error, not a crash.
    monkeypatch.setenv("OBSERVATOIRE_API_URL", api_url + "/nowhere")
    at = run_app({"lang": "en"})
    assert not at.exception
    assert "answered with an error (404)" in at.error[0].value
