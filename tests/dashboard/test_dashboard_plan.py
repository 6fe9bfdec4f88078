"""The dashboard offers only what the publication's plan publishes (read from the API): with a
`lecteurs` publication, families and « tous » for départements (months for « tous » only),
types for France; with a `complet` one, everything. No page fails on an unplanned slice."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.i18n import format_period, t
from observatoire.domain.periods import month_range
from observatoire.domain.taxonomy import load_taxonomy
from tests.dashboard.test_dashboard_apptest import PAGES, run_page
from tests.support.live_servers import running_api
from tests.support.published_fixture import (
    SURGE_DEPARTEMENT,
    complete_periods,
    prepare_published,
)

TAXONOMY = load_taxonomy()
FAMILIES = set(TAXONOMY.family_codes)
TYPES = set(TAXONOMY.type_codes)


@pytest.fixture(scope="module", params=["lecteurs", "complet"])
def plan_api(request: pytest.FixtureRequest, tmp_path_factory) -> Iterator[tuple[str, str]]:
    """(plan name, API URL) of a running API serving one fixture publication of that plan."""
    prepare = partial(prepare_published, plan=request.param)
    with running_api(tmp_path_factory.mktemp(f"api-{request.param}"), prepare=prepare) as url:
        yield request.param, url


@pytest.fixture
def plan_name(plan_api: tuple[str, str], monkeypatch: pytest.MonkeyPatch) -> str:
    name, url = plan_api
    monkeypatch.setenv("OBSERVATOIRE_API_URL", url)
    return name


def _options(at: AppTest, key: str, lang: str = "fr") -> set[str]:
    """The codes a selectbox offers (it shows labels: read them back)."""
    shown = set(at.selectbox(key=key).options)
    if key == "url.type":
        labels = type_labels_fr()
    else:
        periods = complete_periods(month_range("2023-01", "2024-12"))
        labels = {p: format_period(p, lang) for p in periods}
    codes = {code for code, label in labels.items() if label in shown}
    assert len(codes) == len(shown), shown
    return codes


def type_labels_fr() -> dict[str, str]:
    """The French labels `common.type_labels` gives each incident selector."""
    labels = {"tous": t("type.tous", "fr")}
    for family in TAXONOMY.families:
        labels[family.code] = t("type.famille", "fr", nom=family.libelle_fr)
    for kind in TAXONOMY.types:
        labels[kind.code] = "\u2003" + kind.libelle_fr
    return labels


def test_map_offers_only_planned_selectors(plan_name: str) -> None:
    at = run_page("carte", {"lang": "fr"})
    assert not at.exception, at.exception
    codes = _options(at, "url.type")
    monthly = {p for p in _options(at, "url.periode") if len(p) == 7 and "-T" not in p}
    if plan_name == "lecteurs":
        assert codes == {"tous", *FAMILIES}
        assert not monthly, "the département map is published by year and quarter only"
    else:
        assert monthly
        assert codes == {"tous", *FAMILIES, *TYPES}
    at = run_page("carte", {"lang": "fr", "type": "acces"})
    assert not at.exception, at.exception
    periods = _options(at, "url.periode")
    has_month = any(len(p) == 7 and "-T" not in p for p in periods)
    assert has_month == (plan_name == "complet")
    assert any("-T" in p for p in periods) and "2024" in periods
    # An old link to a type the plan does not publish falls back to « tous », no error.
    at = run_page("carte", {"lang": "fr", "type": "rdv_indisponible", "periode": "2024-03"})
    assert not at.exception, at.exception
    expected = "tous" if plan_name == "lecteurs" else "rdv_indisponible"
    assert at.selectbox(key="url.type").value == expected


def test_prefecture_offers_monthly_all_incidents_and_families_by_quarter(plan_name: str) -> None:
    at = run_page("prefecture", {"lang": "fr", "dep": SURGE_DEPARTEMENT, "type": "acces"})
    assert not at.exception, at.exception
    codes = _options(at, "url.type")
    periods = _options(at, "url.periode")
    if plan_name == "lecteurs":
        assert codes == {"tous", *FAMILIES}
        assert not any(len(p) == 7 and "-T" not in p for p in periods)
        assert "Le détail par type d'incident n'est pas publié" in "\n".join(
            c.value for c in at.caption
        )
    else:
        assert codes >= TYPES
    at = run_page("prefecture", {"lang": "en", "dep": SURGE_DEPARTEMENT, "pas": "mois"})
    assert not at.exception, at.exception
    has_month = any(len(p) == 7 and "-T" not in p for p in _options(at, "url.periode", "en"))
    assert has_month == (plan_name == "complet")


@pytest.mark.parametrize("name", PAGES)
def test_no_page_fails_on_an_unplanned_link(plan_name: str, name: str) -> None:
    query = {"lang": "fr", "dep": SURGE_DEPARTEMENT, "type": "rdv_indisponible",
             "periode": "2024-03", "pas": "mois", "tableau": "true"}  # fmt: skip
    at = run_page(name, query)
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]


def test_tendances_offers_types_for_france(plan_name: str) -> None:
    at = run_page("tendances", {"lang": "fr", "pas": "mois"})
    assert not at.exception, at.exception
    assert "Par type" in "\n".join(s.value for s in at.subheader)
    assert _options(at, "url.type") == (
        {"tous", *FAMILIES} if plan_name == "lecteurs" else {"tous", *FAMILIES, *TYPES}
    )


def test_methodology_lists_the_published_tables(plan_name: str) -> None:
    for lang, heading, monthly in (
        ("fr", "Plan de publication", "mois"),
        ("en", "Publication plan", "month"),
    ):
        at = run_page("methodologie", {"lang": lang})
        assert not at.exception, at.exception
        text = "\n".join(m.value for m in at.markdown)
        assert heading in text and "PUBLICATION_PLAN" in text
        n = 19 if plan_name == "lecteurs" else 27
        assert f"`{plan_name}/1`" in text and f"{n}" in text
        (frame,) = [
            d.value
            for d in at.dataframe
            if d.value.shape[1] == 3 and "Incidents" in d.value.columns
        ]
        rows = {tuple(r) for r in frame.itertuples(index=False)}
        dep_all = ("département", "tous incidents" if lang == "fr" else "all incidents")
        assert any(r[:2] == dep_all for r in rows)
        assert any(r[:2] == dep_all and monthly in r[2] for r in rows) == (plan_name == "complet")
        assert any(r[0] == "France" and monthly in r[2] for r in rows)
        dep_types = [r for r in rows if r[0] == "département" and "type" in r[1]]
        assert bool(dep_types) == (plan_name == "complet")
