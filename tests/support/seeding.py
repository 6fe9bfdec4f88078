"""Seed current counts directly (publication tests do not need the submission API)."""

from __future__ import annotations

import random
from collections.abc import Iterable

from sqlalchemy import Engine

from observatoire.domain.taxonomy import load_taxonomy
from observatoire.domain.territories import load_territories
from observatoire.store.db import write_session
from observatoire.store.models import CurrentCount, Organisation, Submission

Row = tuple[str, str, str, int]  # (departement, mois, type_incident, nombre)


def seed_counts(
    engine: Engine, org_slug: str, rows: Iterable[Row], *, synthetic: bool = False
) -> int:
    """Create (or reuse) an organisation and upsert its counts; returns the organisation id."""
    from sqlmodel import select

    rows = list(rows)
    with write_session(engine) as session:
        org = session.exec(select(Organisation).where(Organisation.slug == org_slug)).first()
        if org is None:
            org = Organisation(slug=org_slug, nom=org_slug.title(), synthetique=synthetic)
            session.add(org)
            session.flush()
        sub = Submission(organisation_id=org.id, source="test", lignes=len(rows))
        session.add(sub)
        session.flush()
        existing = {
            (c.departement, c.mois, c.type_incident): c
            for c in session.exec(
                select(CurrentCount).where(CurrentCount.organisation_id == org.id)
            )
        }
        for dep, mois, typ, n in rows:
            cell = existing.get((dep, mois, typ))
            if cell is None:
                session.add(
                    CurrentCount(
                        organisation_id=org.id,
                        departement=dep,
                        mois=mois,
                        type_incident=typ,
                        nombre=n,
                        submission_id=sub.id,
                    )
                )
            else:
                cell.nombre = n
                cell.submission_id = sub.id
                session.add(cell)
        return int(org.id)


def random_rows(
    months: list[str], *, seed: int = 1, density: float = 0.3, scale: float = 1.0
) -> list[Row]:
    """Plausible sparse counts: proportional to population, many small values."""
    rng = random.Random(seed)
    deps = load_territories().departements
    types = load_taxonomy().type_codes
    out: list[Row] = []
    for mois in months:
        for dep in deps:
            weight = dep.population / 700_000
            for typ in types:
                if rng.random() < density:
                    out.append(
                        (
                            dep.code,
                            mois,
                            typ,
                            max(0, int(rng.expovariate(1 / (6 * weight * scale)))),
                        )
                    )
    return out
