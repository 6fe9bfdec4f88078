"""The methodology page says, per published month, how many associations reported, and the
publication calendar (issue #17, point 5), read from the real API under AppTest."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from streamlit.testing.v1 import AppTest

from tests.support.espace import Keys, prepare_associations
from tests.support.live_servers import closed_port_url, running_api
from tests.support.published_fixture import prepare_published

TIMEOUT_S = 90


def rows(mois: str, types: tuple[str, ...]) -> dict:
    return {
        "lignes": [
            {"departement": "93", "mois": mois, "type_incident": t, "nombre": 4} for t in types
        ]
    }


@pytest.fixture(scope="module")
def api_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A publication (2023-01 … 2024-12); two associations report 2024-05, one 2024-06."""
    keys = Keys()
    with_orgs = prepare_associations(keys)

    def prepare(database_url: str) -> None:
        prepare_published(database_url)
        with_orgs(database_url)

    with running_api(tmp_path_factory.mktemp("couverture"), prepare=prepare) as url:
        for key, body in (
            (keys.main, rows("2024-05", ("depot_impossible", "rdv_indisponible"))),
            (keys.main, rows("2024-06", ("depot_impossible",))),
            (keys.other, rows("2024-05", ("perte_emploi",))),
        ):
            response = httpx.post(
                f"{url}/v1/soumissions", json=body, headers={"Authorization": f"Bearer {key}"}
            )
            assert response.status_code == 201, response.text
        yield url


def methodology() -> None:
    from dashboard.views.methodologie import methodologie_page

    methodologie_page()


def run(lang: str) -> AppTest:
    at = AppTest.from_function(methodology, default_timeout=TIMEOUT_S)
    if lang != "fr":
        at.query_params["lang"] = lang
    return at.run()


@pytest.mark.parametrize(
    ("lang", "may", "june", "heading"),
    [
        ("fr", "mai 2024", "juin 2024", "Associations déclarantes par mois"),
        ("en", "May 2024", "June 2024", "Reporting associations per month"),
    ],
)
def test_methodology_shows_reporting_associations_per_month(
    api_url: str, monkeypatch: pytest.MonkeyPatch, lang: str, may: str, june: str, heading: str
) -> None:
    monkeypatch.setenv("OBSERVATOIRE_API_URL", api_url)
    at = run(lang)
    assert not at.exception
    assert heading in [s.value for s in at.subheader]
    tables = [df.value for df in at.dataframe]
    coverage = next(t for t in tables if may in set(t.iloc[:, 0]))
    counts = dict(zip(coverage.iloc[:, 0], coverage.iloc[:, 1], strict=True))
    assert counts[may] == "2" and counts[june] == "1"
    text = " ".join(m.value for m in at.markdown)
    calendar = httpx.get(f"{api_url}/v1/calendrier").json()
    assert calendar["politique"] in text
    assert "2027" in text or "2026" in text  # the next publication dates are listed


def test_methodology_without_the_coverage_routes_still_renders(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("OBSERVATOIRE_API_URL", closed_port_url())

    def section() -> None:
        from dashboard.views.couverture import coverage_section

        coverage_section("fr")

    at = AppTest.from_function(section, default_timeout=TIMEOUT_S).run()
    assert not at.exception
    assert any("pas disponible" in m.value for m in at.markdown)
