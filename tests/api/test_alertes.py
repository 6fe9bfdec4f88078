"""Alerts: the rule on hand-made series, then `GET /v1/alertes` on a fixture publication."""

from __future__ import annotations

import csv
import io
import time

import numpy as np
import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from api.settings import ApiSettings
from observatoire.publication import alerts
from observatoire.publication.snapshot import HIDDEN, PublicationMeta, PublishedCube
from observatoire.store.db import make_engine
from tests.support.published_fixture import SURGE_DEPARTEMENT, store_publication

QUARTERS = alerts.rule_for("trimestre")


@pytest.mark.parametrize(
    ("values", "alert"),
    [
        ([100, 110, 90, 100, 200], True),  # twice the median, far outside the spread
        ([100, 110, 90, 100, 140], False),  # under 1.5 × median
        ([20, 60, 20, 60, 75], False),  # 1.9 × median, but within 2 MAD of it
        ([12, 12, 12, 12, 18], True),  # flat history: MAD counted as 1
        ([0, 0, 0, 0, 50], False),  # zero history: not assessable (new coverage)
    ],
)
def test_rule_on_hand_made_series(values, alert) -> None:
    assert alerts.assess(values, QUARTERS).alert is alert


def test_a_hidden_cell_anywhere_in_the_window_makes_the_series_not_assessable() -> None:
    for position in range(5):
        values: list[int | None] = [100, 100, 100, 100, 400]
        values[position] = None
        verdict = alerts.assess(values, QUARTERS)
        assert not verdict.evaluable and not verdict.alert


def test_only_the_last_window_counts_and_short_series_are_not_assessable() -> None:
    # A hidden cell before the window does not matter; fewer than window + 1 periods do.
    assert alerts.assess([None, 100, 100, 100, 100, 300], QUARTERS).alert
    assert not alerts.assess([100, 100, 300], QUARTERS).evaluable


def test_verdict_reports_the_figures_it_used() -> None:
    verdict = alerts.assess([100, 110, 90, 100, 200], QUARTERS)
    assert verdict.median == 100
    assert verdict.mad == 5
    assert verdict.ratio == 2.0
    assert verdict.history == [100, 110, 90, 100]


def test_monthly_rule_uses_six_previous_months() -> None:
    months = alerts.rule_for("mois")
    assert months.window == 6
    assert alerts.assess([50, 52, 48, 50, 51, 49, 120], months).alert
    with pytest.raises(ValueError, match="pas"):
        alerts.rule_for("annee")


def make_cube(series: dict[str, list[int | None]], periods: list[str]) -> PublishedCube:
    meta = PublicationMeta(1, "2025-01-15", "initiale", "2023-01", "2024-12", 11, 0, 0, 1, 1,
                           True, "1.0.0")  # fmt: skip
    values = np.array([[[HIDDEN if v is None else v for v in s]] for s in series.values()])
    return PublishedCube(meta, list(series), ["tous"], periods, values.reshape(-1))


def test_detect_on_a_hand_made_cube_sorts_by_ratio_and_counts_skipped() -> None:
    periods = ["2023-T4", "2024-T1", "2024-T2", "2024-T3", "2024-T4", "2024-12"]
    cube = make_cube(
        {
            "dep:01": [100, 100, 100, 100, 200, 70],
            "dep:02": [50, 50, 50, 50, 200, 60],
            "dep:03": [50, None, 50, 50, 200, 60],
            "dep:04": [50, 50, 50, 50, 50, 20],
        },
        periods,
    )
    report = alerts.detect(cube, ["dep:01", "dep:02", "dep:03", "dep:04"], "tous", "trimestre")
    assert report.period == "2024-T4"
    assert [a.territory for a in report.alerts] == ["dep:02", "dep:01"]
    assert report.evaluated == 3
    assert report.not_evaluable == 1
    assert report.alerts[0].history_periods == periods[:4]


@pytest.fixture
def client(sqlite_factory):
    settings = ApiSettings(
        environment="test", database_url=sqlite_factory.new(), publication_refresh_s=0.05
    )
    engine = make_engine(settings.effective_database_url, settings)
    pub_id = store_publication(engine)
    with TestClient(create_app(settings)) as client:
        deadline = time.monotonic() + 10
        while not client.get("/v1/publications").json()["data"]:
            assert time.monotonic() < deadline, "publication never loaded"
            time.sleep(0.05)
        yield client, pub_id
    engine.dispose()


def test_endpoint_flags_the_surge_from_published_cells_only(client) -> None:
    http, pub_id = client
    response = http.get("/v1/alertes", params={"type": "tous", "pas": "trimestre"})
    assert response.status_code == 200
    assert response.headers["X-Publication-Id"] == str(pub_id)
    body = response.json()
    assert body["requete"] == {"type": "tous", "pas": "trimestre", "periode": "2024-T4"}
    assert body["regle"]["fenetre"] == 4
    assert body["evaluees"] + body["non_evaluables"] == 101
    codes = [row["code"] for row in body["data"]]
    assert SURGE_DEPARTEMENT in codes
    for row in body["data"]:
        serie = http.get(
            "/v1/statistiques/serie",
            params={"territoire": row["code"], "type": "tous", "pas": "trimestre"},
        ).json()["data"]
        published = {p["periode"]: p["valeur"] for p in serie}
        assert published[row["periode"]] == row["valeur"]
        for point in row["historique"]:
            assert point["valeur"] is not None
            assert published[point["periode"]] == point["valeur"]
        assert row["valeur"] >= 1.5 * row["mediane"]


def test_endpoint_csv_etag_and_errors(client) -> None:
    http, pub_id = client
    response = http.get("/v1/alertes", params={"pas": "trimestre", "format": "csv"})
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert all(r["publication"] == str(pub_id) and r["pas"] == "trimestre" for r in rows)
    # The département × month table is outside the default plan: said, never an empty list.
    unplanned = http.get("/v1/alertes", params={"pas": "mois"})
    assert unplanned.status_code == 404 and "Non publié" in unplanned.json()["title"]
    pinned = http.get("/v1/alertes", params={"publication": pub_id})
    assert "immutable" in pinned.headers["Cache-Control"]
    again = http.get(
        "/v1/alertes",
        params={"publication": pub_id},
        headers={"If-None-Match": pinned.headers["ETag"]},
    )
    assert again.status_code == 304
    assert http.get("/v1/alertes", params={"pas": "annee"}).status_code == 422
    assert http.get("/v1/alertes", params={"type": "inconnu"}).status_code == 422
    assert http.get("/v1/alertes", params={"publication": 999}).status_code == 404


def test_endpoint_body_shape_and_publication_bound(client) -> None:
    http, _pub_id = client
    body = http.get("/v1/alertes").json()
    assert list(body) == [
        "publication",
        "requete",
        "regle",
        "evaluees",
        "non_evaluables",
        "count",
        "data",
    ]
    assert body["count"] == len(body["data"])
    too_big = http.get("/v1/alertes", params={"publication": 99999999999999999999})
    assert too_big.status_code == 422 and "publication" in too_big.text
