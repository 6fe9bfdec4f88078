"""Synthetic demo data: deterministic, labelled as fictional, published in vintages."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, select

from etl.demo import DEMO_ASSOCIATIONS, DemoPlan, create_demo, database_is_empty, demo_counts
from observatoire.store.models import Organisation, Publication


def test_counts_are_deterministic_and_plausible():
    plan = DemoPlan("2024-01", "2024-12")
    first, again = demo_counts(plan), demo_counts(plan)
    assert first == again
    monthly = sum(r.nombre for rows in first.values() for r in rows) / 12
    assert 0.5 * plan.reports_per_month < monthly < 1.5 * plan.reports_per_month
    per_dep: dict[str, int] = {}
    for rows in first.values():
        for r in rows:
            per_dep[r.departement] = per_dep.get(r.departement, 0) + r.nombre
    assert per_dep["93"] > per_dep["48"]  # proportional to population: Seine-Saint-Denis ≫ Lozère
    assert demo_counts(DemoPlan("2024-01", "2024-12", seed=7)) != first


def test_demo_creates_fictional_associations_and_vintages(engine, settings):
    assert database_is_empty(engine)
    plan = DemoPlan("2025-01", "2025-03", reports_per_month=3000, monthly_publications=1)
    ids = create_demo(engine, settings, plan, report=lambda _m: None, today=date(2025, 6, 1))
    with Session(engine) as session:
        orgs = session.exec(select(Organisation)).all()
        pubs = session.exec(select(Publication).order_by(Publication.id)).all()
    assert {o.slug for o in orgs} == {slug for slug, _ in DEMO_ASSOCIATIONS}
    assert all(o.synthetique and "fictive" in o.nom for o in orgs)
    assert [p.id for p in pubs] == ids
    assert [(p.type_publication, p.donnees_jusqu_a) for p in pubs] == [
        ("initiale", "2025-02"),
        ("mensuelle", "2025-03"),
    ]
    assert all(p.synthetique for p in pubs)
    assert not database_is_empty(engine)


def test_the_command_generates_the_volume_the_demo_is_sized_for():
    """`observatoire demo` (what `make run` calls) uses DemoPlan's volume: at a smaller one the
    yearly map is mostly hidden and the history publication takes far longer."""
    import inspect

    from etl.commands.demo import demo_command

    option = inspect.signature(demo_command).parameters["signalements"].default
    assert option.default == DemoPlan("2021-01", "2021-12").reports_per_month == 12000
