"""Fictive and real data are kept apart: a mix is refused, the demo is removed whole
(SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import Session, func, select

from observatoire.publication.fictive import (
    PURGE_COMMAND,
    FictiveMixRefused,
    purge_fictive,
    purge_plan,
)
from observatoire.publication.service import publish
from observatoire.publication.stored import decode_contributions, encode_contributions
from observatoire.store.models import Organisation, Publication
from tests.support.seeding import random_rows, seed_counts

TODAY = date(2025, 6, 15)


def _count(engine, model) -> int:
    with Session(engine) as session:
        return int(session.exec(select(func.count()).select_from(model)).one())


def test_a_mix_of_fictive_and_real_associations_is_refused(engine, settings):
    seed_counts(engine, "demo-a", random_rows(["2025-04"], seed=1, density=0.05), synthetic=True)
    seed_counts(engine, "vraie-asso", random_rows(["2025-04"], seed=2, density=0.05))
    with pytest.raises(FictiveMixRefused) as refused:
        publish(engine, settings, today=TODAY)
    message = str(refused.value)
    assert PURGE_COMMAND in message and "Demo-A" in message and "Vraie-Asso" in message
    assert _count(engine, Publication) == 0  # nothing half-written


def test_real_data_after_a_fictive_publication_is_refused_too(engine, settings):
    """A monthly vintage carries the fictive contributions of the one before it."""
    seed_counts(engine, "demo-a", random_rows(["2025-03"], seed=1, density=0.05), synthetic=True)
    first = publish(engine, settings, today=TODAY)
    assert first.synthetique
    seed_counts(engine, "vraie-asso", random_rows(["2025-04"], seed=2, density=0.05))
    with pytest.raises(FictiveMixRefused):
        publish(engine, settings, today=TODAY)
    with pytest.raises(FictiveMixRefused):
        publish(engine, settings, consolidate=True, today=TODAY)
    assert _count(engine, Publication) == 1


def test_fictive_only_and_real_only_publications_are_labelled(engine, settings):
    seed_counts(engine, "demo-a", random_rows(["2025-03"], seed=1, density=0.05), synthetic=True)
    seed_counts(engine, "demo-b", random_rows(["2025-03"], seed=3, density=0.05), synthetic=True)
    assert publish(engine, settings, today=TODAY).synthetique
    purge_fictive(engine)
    seed_counts(engine, "vraie-asso", random_rows(["2025-04"], seed=2, density=0.05))
    real = publish(engine, settings, today=TODAY)
    assert not real.synthetique and real.type_publication == "initiale"


def test_purge_removes_fictive_data_and_the_publications_built_on_it(engine, settings):
    seed_counts(engine, "demo-a", random_rows(["2025-03"], seed=1, density=0.05), synthetic=True)
    fictive_pub = publish(engine, settings, today=TODAY).id
    real_id = seed_counts(engine, "vraie-asso", random_rows(["2025-03"], seed=2, density=0.05))
    plan = purge_plan(engine)
    assert plan.associations == ["Demo-A"] and plan.publications == [fictive_pub]
    assert plan.rows["current_count"] > 0 and plan.rows["submission"] == 1
    assert _count(engine, Organisation) == 2  # counting changed nothing
    done = purge_fictive(engine)
    assert done.rows == plan.rows
    with Session(engine) as session:
        assert [o.id for o in session.exec(select(Organisation))] == [real_id]
    assert _count(engine, Publication) == 0
    assert purge_plan(engine).empty


def test_purge_keeps_real_publications_and_finds_fictive_data_under_a_real_label(engine, settings):
    real_id = seed_counts(engine, "vraie-asso", random_rows(["2025-03"], seed=2, density=0.05))
    real_pub = publish(engine, settings, today=TODAY).id
    seed_counts(engine, "demo-a", random_rows(["2025-04"], seed=1, density=0.05), synthetic=True)
    assert purge_plan(engine).publications == []  # the real publication holds no fictive data
    # A publication from before the mix was refused: fictive numbers, labelled real.
    with Session(engine) as session:
        mixed = session.get(Publication, real_pub)
        assert mixed is not None
        blob = mixed.valeurs_reelles
    assert purge_plan(engine).associations == ["Demo-A"]
    with Session(engine) as session:
        org = session.exec(select(Organisation).where(Organisation.slug == "demo-a")).one()
        relabelled = Publication(
            **{
                k: v
                for k, v in mixed.model_dump().items()
                if k not in {"id", "valeurs_reelles", "contenu"}
            },
            contenu=mixed.contenu,
            valeurs_reelles=encode_contributions(
                {**decode_contributions(blob), ("dep:93", "x", "2025-03"): {str(org.id): 5}}
            ),
        )
        session.add(relabelled)
        session.commit()
        session.refresh(relabelled)
        relabelled_id = relabelled.id
    assert not relabelled.synthetique
    assert purge_fictive(engine).publications == [relabelled_id]
    with Session(engine) as session:
        assert [p.id for p in session.exec(select(Publication))] == [real_pub]
        assert [o.id for o in session.exec(select(Organisation))] == [real_id]
