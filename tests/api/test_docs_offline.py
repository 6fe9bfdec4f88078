"""`/docs` and `/redoc` work offline: every script, style and icon they load is served here."""

from __future__ import annotations

import re

import pytest

from tests.support.factories import make_client


@pytest.fixture
def client(settings):
    with make_client(settings) as client:
        yield client


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
def test_docs_pages_reference_only_local_assets_which_are_served(client, page):
    response = client.get(page)
    assert response.status_code == 200
    html = response.text
    assert "cdn" not in html.lower() and "googleapis" not in html
    assets = re.findall(r'(?:src|href)=["\']([^"\']+)["\']', html)
    assert assets, html
    for url in assets:
        assert url.startswith("/"), f"{page} loads {url} from elsewhere"
        served = client.get(url)
        assert served.status_code == 200, url
        assert len(served.content) > 0
    # Swagger UI's script names the OpenAPI document it loads: ours.
    assert "/openapi.json" in html
