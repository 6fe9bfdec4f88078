"""Open-data routes on real publications (SQLite and PostgreSQL): package, changes, catalogue, feed.

Three publications by the real disclosure engine: initial (2025-01, 2025-02), monthly (2025-03)
and consolidated (2025-01 corrected). Every cell the new routes publish must equal what
`/v1/statistiques` says for the same publication, and none may reveal a hidden cell.
"""

from __future__ import annotations

import io
import time
import zipfile
from datetime import date
from xml.etree import ElementTree as ET

import frictionless
import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from api.settings import ApiSettings
from observatoire.domain.taxonomy import load_taxonomy
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
SELECTORS = ["tous", *TAXONOMY.family_codes, *TAXONOMY.type_codes]
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def three(db_url):
    """Initial, monthly and consolidated publications, and an app reading them."""
    settings = ApiSettings(environment="test", database_url=db_url, publication_refresh_s=0.05)
    engine = make_engine(settings.effective_database_url, settings)
    seed_counts(engine, "asso-a", random_rows(["2025-01", "2025-02"], seed=11, density=0.12))
    seed_counts(engine, "asso-b", random_rows(["2025-01", "2025-02"], seed=12, density=0.04))
    first = publish(engine, settings, today=TODAY)
    seed_counts(engine, "asso-a", random_rows(["2025-03"], seed=13, density=0.12))
    second = publish(engine, settings, today=TODAY)
    seed_counts(engine, "asso-b", random_rows(["2025-01"], seed=14, density=0.2, scale=3))
    third = publish(engine, settings, up_to="2025-03", consolidate=True, today=TODAY)
    ids = [first.id, second.id, third.id]
    with TestClient(create_app(settings)) as client:
        deadline = time.monotonic() + 10
        while client.get("/v1/publications").json()["count"] < 3:
            assert time.monotonic() < deadline, "publications never loaded"
            time.sleep(0.05)
        yield client, settings, ids
    engine.dispose()


def _statistics(client: TestClient, pub_id: int) -> dict[tuple, int | None]:
    """Every cell of a publication as `/v1/statistiques` serves it."""
    periods = client.get(f"/v1/publications/{pub_id}").json()["periodes"]
    plan = planned_tables(client, pub_id)
    cells: dict[tuple, int | None] = {}
    for level in ("departement", "region", "france"):
        for incident in SELECTORS:
            for period in [p for step in periods.values() for p in step]:
                params = {"niveau": level, "type": incident, "periode": period,
                          "publication": pub_id}  # fmt: skip
                response = client.get("/v1/statistiques", params=params)
                if table_of(level, incident, period) not in plan:
                    assert_not_published(response)
                    continue
                for row in response.json()["data"]:
                    cells[(level, row["code"], incident, period)] = row["valeur"]
    return cells


def test_package_and_changes_equal_the_api_and_reveal_nothing(three):
    client, settings, ids = three
    k = settings.disclosure_k
    stats = {pub: _statistics(client, pub) for pub in ids}
    for pub in ids:
        seen = {}
        for level, code, incident, period, value, secret in package_cells(client, pub):
            assert secret == (value is None)
            assert value is None or value == 0 or value >= k
            seen[(level, code, incident, period)] = value
        assert seen == stats[pub]  # the same cells, the same values, the same hidden ones

    kinds = set()
    for since, pub in ((ids[0], ids[1]), (ids[1], ids[2]), (ids[0], ids[2])):
        body = client.get(f"/v1/publications/{pub}/changements", params={"depuis": since}).json()
        assert body["depuis"]["id"] == since and body["publication"]["id"] == pub
        changed = 0
        for kind, before, after in change_cells(client, pub, since):
            kinds.add(kind)
            changed += 1
            key = before[:4]
            assert before[4] == stats[since][key] and after[4] == stats[pub][key], key
            for value in (before[4], after[4]):
                assert value is None or value == 0 or value >= k
        differing = [c for c in stats[since] if stats[since][c] != stats[pub].get(c, "absent")]
        assert changed == len([c for c in differing if c in stats[pub]])
        for entry in body["nouvelles_periodes"]:
            period = entry["periode"]
            for level in ("departement", "region", "france"):
                values = [v for c, v in stats[pub].items() if c[0] == level and c[3] == period]
                assert entry["publiees"][level] == sum(v is not None for v in values)
                assert entry["secretes"][level] == sum(v is None for v in values)
                dep_sentence = f"{entry['publiees']['departement']:,}".replace(",", "\u202f")
            assert any(period in s and dep_sentence in s for s in body["resume"])
    monthly = client.get(f"/v1/publications/{ids[1]}/changements").json()
    assert monthly["depuis"]["id"] == ids[0]  # default: the publication before
    assert [p["periode"] for p in monthly["nouvelles_periodes"]] == ["2025-03", "2025-T1"]
    assert monthly["comptes"]["revisee"] == 0
    consolidated = client.get(f"/v1/publications/{ids[2]}/changements").json()
    assert consolidated["comptes"]["revisee"] > 0
    assert any("révisée" in s for s in consolidated["resume"])
    assert "revisee" in kinds
    first = client.get(f"/v1/publications/{ids[0]}/changements").json()
    assert first["depuis"] is None and first["cellules"] == []
    assert "première publication" in first["resume"][0]


def test_package_is_valid_cached_and_immutable(three, tmp_path):
    client, settings, ids = three
    url = f"/v1/publications/{ids[1]}/paquet.zip"
    response = client.get(url)
    assert response.headers["content-type"] == "application/zip"
    assert "immutable" in response.headers["cache-control"]
    assert f"publication-{ids[1]}.zip" in response.headers["content-disposition"]
    again = client.get(url, headers={"If-None-Match": response.headers["etag"]})
    assert again.status_code == 304 and again.content == b""
    assert client.get(url).content == response.content
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    archive.extractall(tmp_path)
    report = frictionless.validate(tmp_path / "datapackage.json")
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:10]
    readme = (tmp_path / "README.md").read_text(encoding="utf-8")
    for fragment in (f"k = {settings.disclosure_k}", "2025-01", "2025-03", "etalab-2.0"):
        assert fragment in readme
    descriptor = client.get(f"/v1/publications/{ids[1]}/datapackage.json").json()
    assert len(descriptor["resources"]) == len(planned_tables(client, ids[1]))
    assert descriptor["licenses"][0]["name"] == "etalab-2.0"


def test_catalogue_and_feed_list_every_publication_and_errors_are_specific(three):
    client, _settings, ids = three
    catalogue = client.get("/v1/catalogue")
    assert catalogue.headers["content-type"].startswith("application/ld+json")
    distributions = catalogue.json()["dcat:dataset"]["dcat:distribution"]
    assert [d["dct:identifier"] for d in distributions] == [str(i) for i in reversed(ids)]
    base = "http://testserver"
    for dist in distributions:
        assert client.get(dist["dcat:downloadURL"]["@id"].removeprefix(base)).status_code == 200
        schema = client.get(dist["dct:conformsTo"]["@id"].removeprefix(base))
        assert schema.json()["profile"] == "tabular-data-package"
    turtle = client.get("/v1/catalogue", params={"format": "turtle"})
    assert turtle.headers["content-type"].startswith("text/turtle")
    assert "dcat:Catalog" in turtle.text and "paquet.zip" in turtle.text
    negotiated = client.get("/v1/catalogue", headers={"Accept": "text/turtle"})
    assert negotiated.text == turtle.text == client.get("/v1/catalogue.ttl").text
    assert client.get("/v1/catalogue.jsonld").json() == catalogue.json()

    feed = client.get("/v1/publications.atom")
    assert feed.headers["content-type"].startswith("application/atom+xml")
    root = ET.fromstring(feed.content)
    entries = root.findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}id").text for e in entries] == [
        f"{base}/v1/publications/{i}" for i in reversed(ids)
    ]
    for entry, pub in zip(entries, reversed(ids), strict=True):
        enclosure = entry.find(f"{ATOM}link[@rel='enclosure']").get("href")
        assert enclosure == f"{base}/v1/publications/{pub}/paquet.zip"
        assert entry.find(f"{ATOM}updated").text.endswith(("Z", "+00:00"))
        assert entry.find(f"{ATOM}category") is None  # real (non-synthetic) data
    _check_bad_requests(client)


BAD_REQUESTS = [
    ("/v1/publications/0/paquet.zip", 422, "publication_id"),
    (f"/v1/publications/{2**31}/paquet.zip", 422, "publication_id"),
    ("/v1/publications/999/paquet.zip", 404, "introuvable"),
    ("/v1/publications/999/datapackage.json", 404, "introuvable"),
    ("/v1/publications/999/changements", 404, "introuvable"),
    ("/v1/publications/1/changements?depuis=0", 422, "depuis"),
    (f"/v1/publications/1/changements?depuis={2**31}", 422, "depuis"),
    ("/v1/publications/1/changements?depuis=999", 404, "introuvable"),
    ("/v1/publications/1/changements?format=xml", 422, "format"),
    ("/v1/catalogue?format=rdf", 422, "format"),
]


def _check_bad_requests(client: TestClient) -> None:
    for path, status, fragment in BAD_REQUESTS:
        response = client.get(path)
        assert response.status_code == status, path
        assert response.headers["content-type"].startswith("application/problem+json")
        assert fragment in response.text, path
