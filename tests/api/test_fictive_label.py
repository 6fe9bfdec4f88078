"""A publication of fictive data says so in every public response, whatever the format."""

from __future__ import annotations

import pytest

from api.publications import FICTIVE_HEADER
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
