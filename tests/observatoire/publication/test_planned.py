"""Slices against the plan: the refusal names the table asked for and those published, in
French and English; defaults pick a planned step; the views keep to planned levels."""

from __future__ import annotations

import numpy as np
import pytest

from observatoire.domain.periods import month_range
from observatoire.domain.taxonomy import load_taxonomy
from observatoire.domain.territories import load_territories
from observatoire.publication import views
from observatoire.publication.plan import COMPLETE, Plan, load_plan
from observatoire.publication.planned import NotPublished, latest_planned_period, planned_steps
from tests.support.published_fixture import build_cube, published_cube

TAXONOMY = load_taxonomy()
TERRITORIES = load_territories()
LECTEURS = load_plan("lecteurs")


@pytest.fixture(scope="module")
def arrays():
    return build_cube(month_range("2024-01", "2024-12"), seed=3)


def test_refusal_names_the_levels_in_both_languages() -> None:
    refusal = NotPublished(LECTEURS, ("departement", "type", "mois"))
    assert refusal.status == 404
    assert "département × type d'incident × mois" in refusal.detail("fr")
    assert "lecteurs/1" in refusal.detail("fr")
    assert "département × famille × trimestre" in refusal.detail("fr")
    assert "département × incident type × month" in refusal.detail("en")
    extra = refusal.extensions("fr")
    assert extra["plan"] == "lecteurs/1"
    assert {(t["territoire"], t["incidents"], t["periode"]) for t in extra["publies"]} == {
        ("departement", "tous", "trimestre"),
        ("departement", "tous", "annee"), ("departement", "famille", "trimestre"),
        ("departement", "famille", "annee"),
    }  # fmt: skip


def test_a_level_with_nothing_published_lists_the_whole_plan() -> None:
    only_france = Plan("national", "1", "", frozenset({("france", "tous", "annee")}))
    refusal = NotPublished(only_france, ("departement", "tous", "annee"))
    assert [t["territoire"] for t in refusal.extensions()["publies"]] == ["france"]


def test_defaults_and_views_keep_to_the_plan(arrays) -> None:
    cube = published_cube(1, *arrays, plan=LECTEURS)
    assert planned_steps(cube, "departement", "famille") == ["trimestre", "annee"]
    assert latest_planned_period(cube, "departement", "famille") == "2024"
    monthly_only = Plan("mois", "1", "", frozenset({("departement", "tous", "mois")}))
    assert latest_planned_period(published_cube(1, *arrays, plan=monthly_only),
                                 "departement", "tous") == "2024-12"  # fmt: skip
    with pytest.raises(NotPublished):
        views.by_territory(cube, TERRITORIES, "departement", "delais", "2024-05")
    rows = views.by_territory(cube, TERRITORIES, "departement", "delais", "2024")
    assert len(rows) == 101
    with pytest.raises(NotPublished):  # no département table is published by month
        views.by_incident(cube, TERRITORIES, TAXONOMY, "departement", "93", "2024-05")
    kinds = {k for k, _f, _r in views.by_incident(cube, TERRITORIES, TAXONOMY, "departement",
                                                  "93", "2024-T2")}  # fmt: skip
    assert kinds == {"tous", "famille"}
    with pytest.raises(NotPublished):
        views.series(cube, TERRITORIES, "departement", "93", "acces", "mois")
    everything = published_cube(1, *arrays)
    assert everything.plan is COMPLETE
    assert views.series(everything, TERRITORIES, "departement", "93", "acces", "mois")
    assert not np.any(np.asarray(arrays[3]) == -2)  # the fixture arrays stay unplanned-free
