"""Security headers, CORS for public reads only, docs exposure, metrics, error bodies."""

from __future__ import annotations

from fastapi.testclient import TestClient

from api.main import create_app
from api.settings import ApiSettings
from tests.ops.test_readiness import dead_postgres_settings
from tests.support.factories import bearer, make_client, make_key, make_org

ORIGIN = {"Origin": "https://exemple.org"}


def test_security_headers_on_every_answer(settings: ApiSettings) -> None:
    with make_client(settings) as client:
        for path in ("/v1/departements", "/route-inconnue"):
            headers = client.get(path).headers
            assert headers["x-content-type-options"] == "nosniff"
            assert headers["x-frame-options"] == "DENY"
            assert headers["referrer-policy"] == "no-referrer"
            assert "default-src 'none'" in headers["content-security-policy"]
            assert "strict-transport-security" not in headers
        docs_csp = client.get("/docs").headers["content-security-policy"]
        assert "script-src 'self'" in docs_csp and "frame-ancestors 'none'" in docs_csp
        assert "https:" not in docs_csp  # no CDN: the docs work offline


def test_hsts_follows_its_setting(settings: ApiSettings) -> None:
    with make_client(settings.model_copy(update={"api_hsts_max_age_s": 31536000})) as client:
        hsts = client.get("/healthz").headers["strict-transport-security"]
    assert hsts.startswith("max-age=31536000")


def test_cors_allows_public_gets_without_credentials(settings: ApiSettings) -> None:
    with make_client(settings) as client:
        response = client.get("/v1/departements", headers=ORIGIN)
        assert response.headers["access-control-allow-origin"] == "*"
        assert "access-control-allow-credentials" not in response.headers
        preflight = client.options(
            "/v1/statistiques",
            headers={**ORIGIN, "Access-Control-Request-Method": "GET"},
        )
        assert preflight.status_code == 200


def test_cors_refuses_a_cross_origin_post(settings: ApiSettings) -> None:
    with make_client(settings) as client:
        preflight = client.options(
            "/v1/soumissions",
            headers={
                **ORIGIN,
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "authorization, content-type",
            },
        )
    assert preflight.status_code == 400
    assert "POST" not in preflight.headers.get("access-control-allow-methods", "")
    assert "access-control-allow-credentials" not in preflight.headers


def test_docs_can_be_switched_off(settings: ApiSettings) -> None:
    with make_client(settings.model_copy(update={"api_docs_enabled": False})) as client:
        assert client.get("/docs").status_code == 404
        assert client.get("/redoc").status_code == 404
        assert client.get("/openapi.json").status_code == 200


def test_metrics_count_requests_by_route_template(settings: ApiSettings) -> None:
    with make_client(settings) as client:
        client.get("/v1/departements")
        client.get("/v1/publications/123")
        client.get("/v1/publications/456")
        text = client.get("/metrics").text
    assert 'http_requests_total{handler="/v1/departements",method="GET",status="2xx"} 1.0' in text
    assert 'handler="/v1/publications/{publication_id}",method="GET",status="4xx"} 2.0' in text
    assert "/v1/publications/123" not in text


def test_unhandled_error_is_a_generic_500_problem(settings: ApiSettings) -> None:
    app = create_app(settings)

    def boom() -> None:
        raise RuntimeError("secret interne : obs_0123456789ab_" + "x" * 43)

    app.add_api_route("/boom", boom)
    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.get("/boom")
    assert response.status_code == 500
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    request_id = response.headers["x-request-id"]
    assert body["identifiant_requete"] == request_id and request_id in body["detail"]
    assert "Traceback" not in response.text and "secret interne" not in response.text
    assert response.headers["x-content-type-options"] == "nosniff"


def test_database_down_is_a_503_with_retry_after() -> None:
    key = "obs_0123456789ab_" + "x" * 43
    with make_client(dead_postgres_settings()) as client:
        response = client.get("/v1/soumissions", headers=bearer(key))
    assert response.status_code == 503
    assert response.headers["retry-after"] == "5"
    assert response.json()["type"].endswith("base-indisponible")
    assert "Traceback" not in response.text


def test_authenticated_reads_still_work(settings: ApiSettings, engine) -> None:
    key = make_key(engine, settings, make_org(engine))
    with make_client(settings) as client:
        response = client.get("/v1/soumissions", headers={**bearer(key), **ORIGIN})
    assert response.status_code == 200


def test_405_lists_every_method_of_the_path(settings: ApiSettings) -> None:
    with make_client(settings) as client:
        response = client.request("DELETE", "/v1/soumissions")
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, HEAD, POST"
