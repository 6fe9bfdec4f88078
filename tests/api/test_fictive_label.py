"""A publication of fictive data says so in every public response, whatever the format."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from api.publications import FICTIVE_HEADER
from observatoire.publication.fictive import purge_fictive
from observatoire.store.db import write_session
from observatoire.store.models import Publication
from tests.support.factories import make_client
from tests.support.published_fixture import store_publication

CUBE_ROUTES = [
    "/v1/statistiques?format={f}",
    "/v1/statistiques/serie?format={f}",
    "/v1/statistiques/types?format={f}",
    "/v1/alertes?format={f}",
]


@pytest.mark.parametrize("synthetic", [True, False])
def test_every_public_response_says_whether_data_is_fictive(engine, settings, synthetic):
    pub_id = store_publication(engine, synthetic=synthetic)
    with make_client(settings) as client:
        client.app.state.publications.refresh()  # type: ignore[attr-defined]
        listing = client.get("/v1/publications").json()
        assert [p["synthetique"] for p in listing["data"]] == [synthetic]
        assert client.get(f"/v1/publications/{pub_id}").json()["synthetique"] is synthetic
        for route in CUBE_ROUTES:
            formats = ["json", "csv", "geojson"] if route == CUBE_ROUTES[0] else ["json", "csv"]
            for fmt in formats:
                response = client.get(route.format(f=fmt))
                assert response.status_code == 200, (route, fmt, response.text)
                if synthetic:
                    assert response.headers[FICTIVE_HEADER] == "true", (route, fmt)
                else:
                    assert FICTIVE_HEADER not in response.headers
                if fmt != "csv":
                    assert response.json()["publication"]["synthetique"] is synthetic


def test_after_removing_the_demo_a_new_publication_is_never_served_as_the_old_one(engine, settings):
    """SQLite hands the number of a removed publication out again: the API must notice."""
    old_id = store_publication(engine, synthetic=True)
    with make_client(settings) as client:
        store = client.app.state.publications  # type: ignore[attr-defined]
        store.refresh()
        url = f"/v1/statistiques?publication={old_id}&format=csv"
        old = client.get(url)
        assert old.headers[FICTIVE_HEADER] == "true"
        purge_fictive(engine)
        store.refresh()
        assert client.get(url).status_code == 404
        new_id = store_publication(engine, synthetic=False, seed=11)
        with write_session(engine) as session:  # published now, as `publish` would stamp it
            row = session.get(Publication, new_id)
            row.publiee_le = datetime.now(UTC)
        store.refresh()
        new = client.get(f"/v1/statistiques?publication={new_id}&format=csv")
        assert new.status_code == 200 and FICTIVE_HEADER not in new.headers
        assert new.headers["ETag"] != old.headers["ETag"]
        assert client.get("/v1/publications").json()["data"][0]["synthetique"] is False
