"""`/v1/images/…`: the map and a series as SVG, PNG and Vega-Lite, from published cells only."""

from __future__ import annotations

import re
import time

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from api.settings import ApiSettings
from observatoire.store.db import make_engine
from tests.support.published_fixture import store_publication


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory):
    database = f"sqlite:///{tmp_path_factory.mktemp('images') / 'api.db'}"
    from observatoire.store.migrate import upgrade

    upgrade(database)
    settings = ApiSettings(
        environment="test", database_url=database, publication_refresh_s=0.05,
        public_dashboard_url="https://observatoire.example/tableau",
    )  # fmt: skip
    engine = make_engine(settings.effective_database_url, settings)
    pub_id = store_publication(engine)
    with TestClient(create_app(settings)) as client:
        deadline = time.monotonic() + 10
        while not client.get("/v1/publications").json()["data"]:
            assert time.monotonic() < deadline, "publication never loaded"
            time.sleep(0.05)
        yield client, pub_id
    engine.dispose()


def test_map_svg_names_itself_and_each_departement_and_hides_secrets(client) -> None:
    http, pub_id = client
    stats = http.get("/v1/statistiques", params={"type": "acces", "periode": "2024"}).json()
    response = http.get(
        "/v1/images/carte.svg", params={"type": "acces", "periode": "2024", "publication": pub_id}
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("image/svg+xml")
    assert "immutable" in response.headers["cache-control"] and response.headers["etag"]
    svg = response.text
    assert re.search(r"<svg[^>]*role=\"img\"[^>]*aria-label=\"[^\"]+\"", svg)
    assert "<title" in svg and "<desc" in svg
    assert "Licence Ouverte 2.0" in svg and f"publication n° {pub_id}" in svg
    hidden = [r for r in stats["data"] if r["secret"]]
    shown = next(r for r in stats["data"] if not r["secret"])
    assert hidden, "the fixture hides some cells"
    for row in hidden[:5]:
        assert f"{row['nom']} ({row['code']}) : secret statistique" in svg
    assert f"{shown['nom']} ({shown['code']}) : " in svg
    assert "https://observatoire.example/tableau/prefecture?dep=" in svg
    assert "properties." not in svg
    relative = http.get("/v1/images/carte.svg", params={"liens": "relatifs"}).text
    assert relative.count('href="./prefecture?dep=') >= 100 and "vega.github.io" not in relative
    again = http.get(response.url, headers={"If-None-Match": response.headers["etag"]})
    assert again.status_code == 304


def test_map_png_and_json_spec(client) -> None:
    http, pub_id = client
    png = http.get("/v1/images/carte.png", params={"mesure": "taux", "langue": "en"})
    assert png.status_code == 200 and png.content[:8] == b"\x89PNG\r\n\x1a\n"
    assert "immutable" not in png.headers["cache-control"]  # latest publication: may change
    spec = http.get("/v1/images/carte.json", params={"publication": pub_id}).json()
    assert "Licence Ouverte 2.0." in spec["title"]["subtitle"]
    props = spec["datasets"]["departements"]["objects"]["departements"]["geometries"][0]
    assert props["properties"]["lien"].startswith("./prefecture?dep=")


def test_series_images(client) -> None:
    http, pub_id = client
    svg = http.get("/v1/images/serie.svg", params={"territoire": "93", "pas": "trimestre"})
    assert svg.status_code == 200 and "Seine-Saint-Denis" in svg.text and "<desc" in svg.text
    png = http.get("/v1/images/serie.png", params={"territoire": "FR"})
    assert png.status_code == 200 and png.headers["content-type"] == "image/png"


def test_series_of_families_and_of_a_familys_types(client) -> None:
    http, _ = client
    params = {"lignes": "familles", "pas": "annee", "mesure": "taux"}
    spec = http.get("/v1/images/serie.json", params=params).json()
    names = list(dict.fromkeys(v["serie"] for v in spec["data"]["values"]))
    assert names[0] == "Tous les incidents" and len(names) == 5  # « tous » and 4 families
    assert "chaque famille" in " ".join(spec["title"]["text"])
    spec = http.get("/v1/images/serie.json", params={"lignes": "types", "type": "acces"}).json()
    assert len({v["serie"] for v in spec["data"]["values"]}) == 6  # the 6 types of « acces »
    svg = http.get("/v1/images/serie.svg", params={"lignes": "types", "type": "acces"})
    assert svg.status_code == 200 and "par type" in svg.text


@pytest.mark.parametrize(
    ("path", "params", "name"),
    [
        ("/v1/images/carte.svg", {"periode": "2024-13"}, "periode"),
        ("/v1/images/carte.svg", {"type": "x" * 41}, "type"),
        ("/v1/images/carte.gif", {}, "format"),
        ("/v1/images/carte.svg", {"publication": 0}, "publication"),
        ("/v1/images/serie.svg", {"territoire": "ZZZZ"}, "territoire"),
        ("/v1/images/carte.svg", {"mesure": "moyenne"}, "mesure"),
        ("/v1/images/serie.svg", {"lignes": "toutes"}, "lignes"),
        ("/v1/images/serie.svg", {"lignes": "types", "type": "tous"}, "lignes"),
    ],
)
def test_bad_parameters_get_a_422_naming_them(client, path: str, params: dict, name: str) -> None:
    http, _ = client
    response = http.get(path, params=params)
    assert response.status_code == 422
    assert name in response.text


def test_unknown_period_or_territory_is_404(client) -> None:
    http, _ = client
    assert http.get("/v1/images/carte.svg", params={"periode": "1999"}).status_code == 404
    assert http.get("/v1/images/serie.svg", params={"territoire": "99"}).status_code == 404


def test_the_default_views_are_drawn_before_anyone_asks(client) -> None:
    http, pub_id = client
    cube = http.app.state.publications.get(pub_id)
    deadline = time.monotonic() + 30

    def not_built() -> tuple[bytes, str]:
        raise LookupError("not drawn ahead")

    for view in [("fr", "svg", "relatifs"), ("en", "svg", "relatifs")]:
        lang, fmt, links = view
        key = ("image", "carte", "tous", None, "valeur", lang, fmt, links)
        while True:  # the warm-up runs in the background once the publication is loaded
            try:
                body = http.app.state.response_cache.store(cube, key, not_built)[0]
                break
            except LookupError:
                assert time.monotonic() < deadline, f"{view} never drawn ahead"
                time.sleep(0.1)
        served = http.get(f"/v1/images/carte.{fmt}", params={"langue": lang, "liens": links})
        assert served.content == body
