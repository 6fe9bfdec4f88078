"""« Nouveau dans cette publication » on the « Données et API » page, against the real API.

Two fixture publications (2023-01 → 2024-10, then → 2024-12): the page quotes the API's own
sentences about the second one and links the package, the changes, the catalogue and the feed.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from streamlit.testing.v1 import AppTest

from observatoire.domain.periods import month_range
from tests.support.live_servers import running_api
from tests.support.published_fixture import store_publication

TIMEOUT_S = 90


def prepare_two(database_url: str) -> None:
    """Two publications, the second adding two months and their quarter and year."""
    from api.settings import ApiSettings
    from observatoire.store.db import make_engine

    settings = ApiSettings(environment="test", database_url=database_url)
    engine = make_engine(settings.effective_database_url, settings)
    try:
        store_publication(engine, month_range("2023-01", "2024-10"))
        store_publication(engine, month_range("2023-01", "2024-12"))
    finally:
        engine.dispose()


@pytest.fixture(scope="module")
def api_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with running_api(tmp_path_factory.mktemp("api"), prepare=prepare_two) as url:
        yield url


def donnees_script() -> None:
    from dashboard.views.donnees import donnees_page

    donnees_page()


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_section_quotes_the_api_and_links_every_open_data_route(
    api_url: str, monkeypatch: pytest.MonkeyPatch, lang: str
) -> None:
    monkeypatch.setenv("OBSERVATOIRE_API_URL", api_url)
    at = AppTest.from_function(donnees_script, default_timeout=TIMEOUT_S)
    at.query_params["lang"] = lang
    at.run()
    assert not at.exception, at.exception
    headings = [h.value for h in at.header]
    assert ("Nouveau dans cette publication" if lang == "fr" else "New in this publication") in (
        headings
    )
    text = "\n".join(m.value for m in at.markdown)
    resume = httpx.get(f"{api_url}/v1/publications/2/changements?limite=0").json()["resume"]
    # A month: no département table by month in the default plan, the régions come first.
    assert "2024-11 :" in resume[1] and "nouvelles valeurs régionales" in resume[1]
    assert all(sentence in text for sentence in resume)  # quoted as the API wrote them
    assert "comparée à la publication n° 1" in text
    for path in ("/v1/publications/2/paquet.zip", "/v1/publications/2/changements?format=csv",
                 "/v1/catalogue", "/v1/publications.atom"):  # fmt: skip
        assert f"({api_url}{path})" in text, path
        assert httpx.get(f"{api_url}{path}").status_code == 200
