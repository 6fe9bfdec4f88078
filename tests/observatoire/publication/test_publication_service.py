"""Publications: coverage, immutability, vintage rules, refusals (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import Session, select

from observatoire.domain.periods import month_range
from observatoire.publication.auditing import audit_publication
from observatoire.publication.service import NothingToPublish, publish
from observatoire.publication.snapshot import PublishedCube
from observatoire.publication.stored import HIDDEN, UNPLANNED, published_values
from observatoire.store.models import Publication
from tests.support.seeding import random_rows, seed_counts

TODAY = date(2025, 6, 15)


def _cube(engine, pub_id: int) -> PublishedCube:
    with Session(engine) as session:
        return PublishedCube.from_row(session.get(Publication, pub_id))


def test_first_publication_covers_data_and_refuses_incomplete_month(engine, settings):
    seed_counts(engine, "asso-a", random_rows(["2025-04", "2025-05"], seed=3, density=0.05))
    with pytest.raises(NothingToPublish, match="pas terminé"):
        publish(engine, settings, up_to="2025-06", today=TODAY)
    pub = publish(engine, settings, today=TODAY)
    assert (pub.premier_mois, pub.donnees_jusqu_a, pub.type_publication) == (
        "2025-04",
        "2025-05",
        "initiale",
    )
    cube = _cube(engine, pub.id)
    assert cube.has_period("2025-04") and not cube.has_period("2025-T2")  # incomplete quarter
    # The publication counts the cells of the tables its plan publishes (here `lecteurs`).
    planned = [
        (t, i, p)
        for t in cube.territories
        for i in cube.incidents
        for p in cube.periods
        if cube.is_planned(t, i, p)
    ]
    assert pub.plan_publication == "lecteurs/1"
    assert 0 < pub.cellules == len(planned) < len(cube.territories) * len(cube.incidents) * 2
    assert pub.seuil == settings.disclosure_k
    assert 0 < pub.cellules_secretes < pub.cellules


def test_no_data_means_nothing_to_publish(engine, settings):
    with pytest.raises(NothingToPublish):
        publish(engine, settings, today=TODAY)


def test_monthly_vintage_keeps_every_earlier_cell_and_waits_for_corrections(engine, settings):
    seed_counts(
        engine, "asso-a", random_rows(month_range("2025-01", "2025-02"), seed=5, density=0.05)
    )
    first = publish(engine, settings, today=TODAY)
    # A correction of an already published month and a new month arrive.
    seed_counts(engine, "asso-a", [("93", "2025-01", "depot_impossible", 500)])
    seed_counts(engine, "asso-a", random_rows(["2025-03"], seed=6, density=0.05))
    second = publish(engine, settings, today=TODAY)
    assert second.type_publication == "mensuelle" and second.donnees_jusqu_a == "2025-03"
    before = published_values(first.contenu)
    after = published_values(second.contenu)
    assert all(after[key] == value for key, value in before.items())  # nothing changed or revealed
    assert after[("dep:93", "depot_impossible", "2025-01")] != 500  # the correction waits
    assert ("dep:93", "tous", "2025-T1") in after  # the quarter is complete now
    # A new quarter total over months hidden earlier is not hidden on that ground alone:
    # the vintage protects its year again, so such totals may be published (and audited).
    over_hidden = {
        (territory, incident, "2025-T1")
        for (territory, incident, period), value in before.items()
        if value == HIDDEN and period in ("2025-01", "2025-02")
    }
    assert any(after[key] != HIDDEN for key in over_hidden)
    # The second cube holds every cell of both vintages: one joint audit covers differencing.
    joint = audit_publication(engine, settings, second.id, exact=False)
    assert joint.report.ok and joint.mismatched == 0
    with pytest.raises(NothingToPublish, match="consolid"):
        publish(engine, settings, today=TODAY)
    # Earlier publications stay readable.
    assert _cube(engine, first.id).meta.donnees_jusqu_a == "2025-02"


def test_consolidated_publication_integrates_corrections_without_revealing(engine, settings):
    seed_counts(engine, "asso-a", random_rows(["2025-01"], seed=7, density=0.05))
    first = publish(engine, settings, today=TODAY)
    seed_counts(engine, "asso-a", [("93", "2025-01", "depot_impossible", 500)])
    consolidated = publish(engine, settings, consolidate=True, today=TODAY)
    assert consolidated.type_publication == "consolidee"
    before, after = published_values(first.contenu), published_values(consolidated.contenu)
    # The département × type × month cell is outside the plan (never served); the planned
    # tables above it carry the correction.
    assert after[("dep:93", "depot_impossible", "2025-01")] == UNPLANNED
    assert after[("FR", "depot_impossible", "2025-01")] >= 500
    assert after[("reg:11", "tous", "2025-01")] >= 500
    still_hidden = [k for k, v in before.items() if v == HIDDEN and after[k] != HIDDEN]
    assert still_hidden == [] or all(after[k] == 0 for k in still_hidden)


def test_stored_publication_passes_its_own_audit(engine, settings):
    seed_counts(engine, "asso-a", random_rows(["2025-01"], seed=8, density=0.08))
    seed_counts(engine, "asso-b", random_rows(["2025-01"], seed=9, density=0.03))
    pub = publish(engine, settings, today=TODAY)
    result = audit_publication(engine, settings, pub.id)
    assert result.report.ok and result.mismatched == 0
    assert result.hidden == pub.cellules_secretes
    with Session(engine) as session:
        assert len(session.exec(select(Publication)).all()) == 1


def test_a_new_plan_starts_from_what_the_previous_one_published(engine, settings):
    # A database published before plans (every table), then the default plan takes over.
    seed_counts(engine, "asso-a", random_rows(["2025-01", "2025-02"], seed=11, density=0.05))
    first = publish(engine, settings.model_copy(update={"publication_plan": "complet"}),
                    today=TODAY)  # fmt: skip
    assert first.plan_publication == "complet/1"
    seed_counts(engine, "asso-a", random_rows(["2025-03"], seed=12, density=0.05))
    second = publish(engine, settings, today=TODAY)
    assert (second.plan_publication, second.type_publication) == ("lecteurs/1", "mensuelle")
    before, after = published_values(first.contenu), published_values(second.contenu)
    for key, value in before.items():
        # Published cells stay true where still published; secret ones never come out.
        assert after[key] in (value, UNPLANNED), key
    assert any(v == UNPLANNED for v in after.values())
    assert audit_publication(engine, settings, second.id, exact=False).report.ok
