"""Public statistics: every endpoint and format of a publication, scanned for disclosure."""

from __future__ import annotations

import csv
import io
import time
from datetime import date

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from api.settings import ApiSettings
from observatoire.domain.taxonomy import load_taxonomy
from observatoire.domain.territories import load_territories
from observatoire.publication.service import publish
from observatoire.store.db import make_engine
from tests.support.opendata_scan import (
    assert_not_published,
    change_cells,
    package_cells,
    planned_tables,
    table_of,
)
from tests.support.seeding import random_rows, seed_counts

TODAY = date(2025, 6, 15)
TAXONOMY = load_taxonomy()
TERRITORIES = load_territories()
SELECTORS = ["tous", *TAXONOMY.family_codes, *TAXONOMY.type_codes]


@pytest.fixture
def published(sqlite_factory):
    """A SQLite database with one small publication, and an app reading it."""
    settings = ApiSettings(
        environment="test", database_url=sqlite_factory.new(), publication_refresh_s=0.05
    )
    engine = make_engine(settings.effective_database_url, settings)
    seed_counts(engine, "asso-a", random_rows(["2025-01", "2025-02"], seed=11, density=0.12))
    seed_counts(engine, "asso-b", random_rows(["2025-01", "2025-02"], seed=12, density=0.04))
    pub = publish(engine, settings, today=TODAY)
    with TestClient(create_app(settings)) as client:
        _wait_for_publication(client, pub.id)
        yield client, engine, settings, pub
    engine.dispose()


def _wait_for_publication(client: TestClient, pub_id: int) -> None:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if (
            client.get("/v1/publications").json()["data"][:1] == []
            or client.get("/v1/publications").json()["data"][0]["id"] != pub_id
        ):
            time.sleep(0.05)
            continue
        return
    raise AssertionError(f"publication {pub_id} never loaded")


def _territories(level: str) -> list[str]:
    if level == "departement":
        return [d.code for d in TERRITORIES.departements]
    if level == "region":
        return [r.code for r in TERRITORIES.regions]
    return ["FR"]


def test_scan_every_endpoint_and_format_discloses_nothing(published):
    """Every cell served is of a table the plan publishes, and is 0, ≥ k or secret; every
    slice outside the plan is refused (`tests/api/test_plan.py` scans a `lecteurs` one)."""
    client, _engine, settings, pub = published
    k = settings.disclosure_k
    seen: dict[tuple[str, str, str, str], int | None] = {}
    plan = planned_tables(client, pub.id)

    def record(level, code, incident, period, value, secret):
        assert secret == (value is None)
        assert value is None or value == 0 or value >= k, (level, code, incident, period, value)
        assert table_of(level, incident, period) in plan, (level, incident, period)
        key = (level, code, incident, period)
        assert seen.setdefault(key, value) == value, f"{key} differs between endpoints"

    periods = ["2025-01", "2025-02"]
    for level in ("departement", "region", "france"):
        for incident in SELECTORS:
            for period in periods:
                params = {"niveau": level, "type": incident, "periode": period}
                response = client.get("/v1/statistiques", params=params)
                if table_of(level, incident, period) not in plan:
                    assert_not_published(response)
                    continue
                body = response.json()
                assert body["publication"]["id"] == pub.id
                for row in body["data"]:
                    record(level, row["code"], incident, period, row["valeur"], row["secret"])
                text = client.get("/v1/statistiques", params={**params, "format": "csv"}).text
                for row in csv.DictReader(io.StringIO(text)):
                    assert row["publication"] == str(pub.id)
                    value = int(row["valeur"]) if row["valeur"] else None
                    record(level, row["code"], incident, period, value, row["secret"] == "true")
                if level == "departement" and incident in ("tous", "acces", "depot_impossible"):
                    geo = client.get(
                        "/v1/statistiques", params={**params, "format": "geojson"}
                    ).json()
                    assert geo["publication"]["id"] == pub.id and len(geo["features"]) == 101
                    for f in geo["features"]:
                        p = f["properties"]
                        record(level, p["code"], incident, period, p["valeur"], p["secret"])
        for code in _territories(level):
            for incident in ("tous", "delais", "rdv_indisponible"):
                response = client.get(
                    "/v1/statistiques/serie",
                    params={"territoire": code, "niveau": level, "type": incident, "pas": "mois"},
                )
                if table_of(level, incident, "2025-01") not in plan:
                    assert_not_published(response)
                    continue
                assert response.headers["X-Publication-Id"] == str(pub.id)
                for row in response.json()["data"]:
                    record(level, code, incident, row["periode"], row["valeur"], row["secret"])
            response = client.get(
                "/v1/statistiques/types",
                params={"territoire": code, "niveau": level, "periode": "2025-02"},
            )
            if not any(t[0] == level and t[2] == "mois" for t in plan):
                assert_not_published(response)
                continue
            assert response.json()["publication"]["id"] == pub.id
            for row in response.json()["data"]:
                record(level, code, row["code"], "2025-02", row["valeur"], row["secret"])
    for level, code, incident, period, value, secret in package_cells(client, pub.id):
        record(level, code, incident, period, value, secret)
    changes = client.get(f"/v1/publications/{pub.id}/changements").json()
    assert changes["depuis"] is None and changes["cellules"] == []  # the first publication
    for path in ("/v1/catalogue", "/v1/catalogue.ttl", "/v1/publications.atom"):
        assert "valeur" not in client.get(path).text  # metadata only, never a cell
    assert any(v is None for v in seen.values()) and any(v and v >= k for v in seen.values())
    hidden_text = client.get("/v1/statistiques", params={"periode": "2025-01"}).text
    assert "< " not in hidden_text and "&lt;" not in hidden_text


def test_etag_304_gzip_and_new_publication_changes_etag(published):
    client, engine, settings, pub = published
    params = {"niveau": "region", "periode": "2025-01"}
    first = client.get("/v1/statistiques", params=params, headers={"Accept-Encoding": "gzip"})
    assert first.headers["content-encoding"] == "gzip"
    assert "max-age" in first.headers["cache-control"]
    etag = first.headers["etag"]
    again = client.get(
        "/v1/statistiques",
        params=params,
        headers={"If-None-Match": etag, "Accept-Encoding": "gzip"},
    )
    assert again.status_code == 304 and again.content == b""
    pinned = client.get("/v1/statistiques", params={**params, "publication": pub.id})
    assert "immutable" in pinned.headers["cache-control"]

    seed_counts(engine, "asso-a", random_rows(["2025-03"], seed=13, density=0.05))
    newer = publish(engine, settings, today=TODAY)
    _wait_for_publication(client, newer.id)
    after = client.get(
        "/v1/statistiques",
        params=params,
        headers={"If-None-Match": etag, "Accept-Encoding": "gzip"},
    )
    assert after.status_code == 200 and after.headers["etag"] != etag
    assert after.json()["publication"]["id"] == newer.id
    for _kind, *cells in change_cells(client, newer.id):  # what changed, hidden cells unseen
        for _level, _code, _incident, _period, value, secret in cells:
            assert secret == (value is None)
            assert value is None or value == 0 or value >= settings.disclosure_k
    old = client.get("/v1/statistiques", params={**params, "publication": pub.id}).json()
    assert old["publication"]["id"] == pub.id  # earlier publications stay readable
    listed = client.get("/v1/publications").json()
    assert [p["id"] for p in listed["data"]] == [newer.id, pub.id]
    assert client.get(f"/v1/publications/{pub.id}").json()["donnees_jusqu_a"] == "2025-02"


def test_errors_are_specific_problem_details(published):
    client, *_ = published
    cases = [
        ({"periode": "2031"}, 404, "absente"),
        ({"periode": "2025-13"}, 422, "période invalide"),
        ({"type": "inconnu"}, 422, "inconnu"),
        ({"niveau": "region", "format": "geojson"}, 422, "departement"),
        ({"publication": 999}, 404, "introuvable"),
    ]
    for params, status, fragment in cases:
        response = client.get("/v1/statistiques", params=params)
        assert response.status_code == status, params
        assert response.headers["content-type"].startswith("application/problem+json")
        assert fragment in response.text
    assert client.get("/v1/statistiques/serie", params={"territoire": "20"}).status_code == 404


def test_no_publication_yet_is_a_clear_404(sqlite_factory):
    settings = ApiSettings(environment="test", database_url=sqlite_factory.new())
    with TestClient(create_app(settings)) as client:
        response = client.get("/v1/statistiques")
        assert response.status_code == 404
        assert "aucune publication" in response.json()["detail"]
        assert client.get("/v1/publications").json() == {"data": [], "count": 0}
