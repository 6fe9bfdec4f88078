"""The publication plan in the API: every route serves only the tables a publication's plan
publishes; any other slice is a « Non publié à ce niveau de détail » problem (404) naming the
levels asked for and those published, never a 500, an empty list or a « secret » cell."""

from __future__ import annotations

import csv
import io
import time
import zipfile

import frictionless
import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from api.settings import ApiSettings
from observatoire.domain.taxonomy import load_taxonomy
from observatoire.publication.plan import load_plan
from observatoire.store.db import make_engine
from tests.support.opendata_scan import package_cells
from tests.support.published_fixture import store_publication

TAXONOMY = load_taxonomy()
LECTEURS = load_plan("lecteurs")
NOT_PUBLISHED = "urn:observatoire-anef:probleme:non-publie"
SELECTORS = ["tous", *TAXONOMY.family_codes, *TAXONOMY.type_codes]
PERIODS = ["2024", "2024-T4", "2024-12"]
CODES = {"departement": "93", "region": "11", "france": "FR"}


def _kind(selector: str) -> str:
    if selector == "tous":
        return "tous"
    return "famille" if selector in TAXONOMY.family_codes else "type"


def _step(period: str) -> str:
    return "mois" if len(period) == 7 and "-T" not in period else (
        "trimestre" if "-T" in period else "annee"
    )  # fmt: skip


@pytest.fixture
def served(db_url):
    """A `lecteurs` publication then a `complet` one (newest), and an app reading them."""
    settings = ApiSettings(environment="test", database_url=db_url, publication_refresh_s=0.05)
    engine = make_engine(settings.effective_database_url, settings)
    readers = store_publication(engine, plan="lecteurs")
    everything = store_publication(engine, plan="complet", seed=8)
    with TestClient(create_app(settings)) as client:
        deadline = time.monotonic() + 10
        while client.get("/v1/publications").json()["count"] < 2:
            assert time.monotonic() < deadline, "publications never loaded"
            time.sleep(0.05)
        yield client, readers, everything
    engine.dispose()


def _assert_not_published(response, territory: str, kind: str, step: str) -> None:
    assert response.status_code == 404, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["type"] == NOT_PUBLISHED
    assert body["title"] == "Non publié à ce niveau de détail"
    assert body["plan"] == "lecteurs/1"
    assert body["demande"]["territoire"] == territory
    assert (body["demande"]["incidents"], body["demande"]["periode"]) == (kind, step)
    assert body["demande"]["libelle"] in body["detail"]
    published = {(t["territoire"], t["incidents"], t["periode"]) for t in body["publies"]}
    assert published == set(LECTEURS.published_for(territory=territory))
    assert "data" not in body and "valeur" not in response.text


def test_publication_detail_and_list_carry_the_plan(served):
    client, readers, everything = served
    listed = {p["id"]: p for p in client.get("/v1/publications").json()["data"]}
    assert listed[readers]["plan_publication"] == "lecteurs/1"
    assert listed[everything]["plan_publication"] == "complet/1"
    detail = client.get(f"/v1/publications/{readers}").json()
    assert detail["plan"]["nom"] == "lecteurs" and detail["plan"]["version"] == "1"
    tables = {(t["territoire"], t["incidents"], t["periode"]) for t in detail["plan"]["tableaux"]}
    assert tables == set(LECTEURS.tables)
    assert {"territoire": "departement", "incidents": "famille", "periode": "annee",
            "libelle": "département × famille × année"} in detail["plan"]["tableaux"]  # fmt: skip
    assert len(client.get(f"/v1/publications/{everything}").json()["plan"]["tableaux"]) == 27


def test_every_statistics_slice_is_planned_or_not_published(served):
    client, readers, everything = served
    for level in ("departement", "region", "france"):
        for selector in SELECTORS:
            for period in PERIODS:
                table = (level, _kind(selector), _step(period))
                params = {"niveau": level, "type": selector, "periode": period}
                for pub in (readers, everything):
                    for fmt in ("json", "csv"):
                        response = client.get(
                            "/v1/statistiques", params={**params, "publication": pub, "format": fmt}
                        )
                        if pub == readers and table not in LECTEURS.tables:
                            _assert_not_published(response, *table)
                            continue
                        assert response.status_code == 200, (params, pub, response.text)
                        if fmt == "json":
                            assert response.json()["data"]
                        else:
                            assert list(csv.DictReader(io.StringIO(response.text)))
        for selector in ("tous", "acces", "rdv_indisponible"):
            for step in ("mois", "trimestre", "annee"):
                table = (level, _kind(selector), step)
                params = {"territoire": CODES[level], "niveau": level, "type": selector,
                          "pas": step, "publication": readers}  # fmt: skip
                response = client.get("/v1/statistiques/serie", params=params)
                if table in LECTEURS.tables:
                    assert response.status_code == 200 and response.json()["data"]
                else:
                    _assert_not_published(response, *table)


def test_types_lists_only_planned_levels(served):
    client, readers, _everything = served
    for level, code in CODES.items():
        for period in PERIODS:
            params = {"territoire": code, "niveau": level, "periode": period,
                      "publication": readers}  # fmt: skip
            response = client.get("/v1/statistiques/types", params=params)
            expected = {t[1] for t in LECTEURS.published_for(level, period=_step(period))}
            if not expected:  # nothing published at that level and step: said, not empty
                assert response.status_code == 404, (level, period)
                assert response.json()["type"].endswith("non-publie")
                continue
            body = response.json()
            kinds = {row["niveau_type"] for row in body["data"]}
            assert kinds == expected, (level, period)
            assert all(r["valeur"] is not None or r["secret"] for r in body["data"])


def test_default_slices_are_planned(served):
    client, readers, _everything = served
    for level in ("departement", "region", "france"):
        for selector in ("tous", "acces"):
            params = {"niveau": level, "type": selector, "publication": readers}
            response = client.get("/v1/statistiques", params=params)
            assert response.status_code == 200, response.text
            assert response.json()["requete"]["periode"] == "2024"
    dep = {"territoire": "93", "niveau": "departement", "publication": readers}
    assert client.get("/v1/statistiques/types", params=dep).status_code == 200
    assert client.get("/v1/images/carte.svg", params={"publication": readers}).status_code == 200


def test_alerts_and_images_refuse_unplanned_views(served):
    client, readers, everything = served
    for selector in ("tous", "acces", "rdv_indisponible"):
        for step in ("trimestre", "mois"):
            table = ("departement", _kind(selector), step)
            params = {"type": selector, "pas": step}
            response = client.get("/v1/alertes", params={**params, "publication": readers})
            if table in LECTEURS.tables:
                assert response.status_code == 200
                assert response.json()["evaluees"] > 0
            else:
                _assert_not_published(response, *table)
            complete = client.get("/v1/alertes", params={**params, "publication": everything})
            assert complete.status_code == 200
    for fmt in ("svg", "json", "png"):
        view = {"type": "rdv_indisponible", "periode": "2024", "publication": readers}
        _assert_not_published(
            client.get(f"/v1/images/carte.{fmt}", params=view), "departement", "type", "annee"
        )
        series = {"territoire": "93", "type": "acces", "pas": "mois", "publication": readers}
        _assert_not_published(
            client.get(f"/v1/images/serie.{fmt}", params=series), "departement", "famille", "mois"
        )
    planned = {"type": "acces", "periode": "2024-T4", "publication": readers}
    assert client.get("/v1/images/carte.svg", params=planned).status_code == 200
    france = {"territoire": "FR", "type": "rdv_indisponible", "pas": "mois", "publication": readers}
    assert client.get("/v1/images/serie.svg", params=france).status_code == 200


def test_not_published_speaks_english_when_asked(served):
    client, readers, _everything = served
    params = {"type": "rdv_indisponible", "periode": "2024", "publication": readers}
    response = client.get("/v1/statistiques", params=params, headers={"Accept-Language": "en"})
    body = response.json()
    assert response.status_code == 404 and body["type"] == NOT_PUBLISHED
    assert body["title"] == "Not published at this level of detail"
    assert "département × incident type × year" in body["detail"]
    assert "family × quarter" in body["detail"]
    image = client.get("/v1/images/carte.svg", params={**params, "langue": "en"}).json()
    assert image["title"] == "Not published at this level of detail"


def test_package_holds_only_planned_tables_and_is_valid(served, tmp_path):
    client, readers, everything = served
    response = client.get(f"/v1/publications/{readers}/paquet.zip")
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = {n.removesuffix(".csv") for n in archive.namelist() if n.endswith(".csv")}
    assert names == {"-".join(t) for t in LECTEURS.tables}
    archive.extractall(tmp_path)
    report = frictionless.validate(tmp_path / "datapackage.json")
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:10]
    readme = (tmp_path / "README.md").read_text(encoding="utf-8")
    assert "Plan de publication" in readme and "lecteurs/1" in readme
    assert "département × famille × trimestre" in readme
    assert "département × type d'incident" not in readme
    descriptor = client.get(f"/v1/publications/{readers}/datapackage.json").json()
    assert len(descriptor["resources"]) == len(LECTEURS.tables)
    assert descriptor["plan_publication"] == "lecteurs/1"
    cells = list(package_cells(client, readers))
    assert cells and all((c[0], _kind(c[2]), _step(c[3])) in LECTEURS.tables for c in cells)
    assert len(list(package_cells(client, everything))) > len(cells)


def test_changes_compare_only_cells_both_plans_publish(served):
    client, readers, everything = served
    body = client.get(
        f"/v1/publications/{everything}/changements", params={"depuis": readers}
    ).json()
    assert body["cellules"], "two different fixtures differ"
    for cell in body["cellules"]:
        table = (cell["niveau"], _kind(cell["type"]), _step(cell["periode"]))
        assert table in LECTEURS.tables, cell
    first = client.get(f"/v1/publications/{readers}/changements").json()
    assert first["depuis"] is None


def test_catalogue_names_each_plan(served):
    client, readers, everything = served
    distributions = client.get("/v1/catalogue").json()["dcat:dataset"]["dcat:distribution"]
    plans = {d["dct:identifier"]: d["obs:planPublication"] for d in distributions}
    assert plans == {str(readers): "lecteurs/1", str(everything): "complet/1"}
