"""`/readyz`: 200 only with the database reachable and a publication loaded, else 503."""

from __future__ import annotations

from api.main import create_app
from api.settings import ApiSettings
from tests.support.factories import make_client
from tests.support.live_servers import free_port


def dead_postgres_settings() -> ApiSettings:
    return ApiSettings(
        environment="test",
        database_url=f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/nulle",
        db_pool_timeout_s=0.5,
        db_connect_timeout_s=1,
        api_readyz_timeout_s=1.5,
        publication_refresh_s=60,
    )


def test_healthz_always_answers(settings: ApiSettings) -> None:
    with make_client(settings) as client:
        assert client.get("/healthz").json() == {"statut": "ok"}


def test_readyz_503_without_a_publication(settings: ApiSettings) -> None:
    with make_client(settings) as client:
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.headers["retry-after"] == str(settings.api_retry_after_s)
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["verifications"] == {"base_de_donnees": "ok", "publication": "aucune"}
    assert "aucune publication" in body["detail"]


def test_readyz_200_when_database_and_publication_are_there(settings: ApiSettings) -> None:
    app = create_app(settings)
    store = app.state.publications
    store.refresh = lambda: None  # publishing is slow and tested elsewhere: fake a loaded one
    store.latest_id = 7
    from fastapi.testclient import TestClient

    with TestClient(app) as client:
        response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"statut": "pret", "base_de_donnees": "ok", "publication": 7}


def test_readyz_503_when_the_database_is_down() -> None:
    with make_client(dead_postgres_settings()) as client:
        response = client.get("/readyz")
    assert response.status_code == 503
    assert "retry-after" in response.headers
    body = response.json()
    assert body["verifications"]["base_de_donnees"] == "injoignable"
    assert "base de données injoignable" in body["detail"]
