"""A multi-year publication written straight into the database, for dashboard and alert tests.

The real disclosure engine (`observatoire.publication.service.publish`) is slow beyond a couple
of months, and the dashboard only needs what the API serves: a publication whose hidden cells
are `-1` and whose published values are never between 1 and k − 1. This fixture keeps those
invariants (every cell 1 … k − 1 hidden, plus a share of other non-zero cells hidden the way
secondary suppression would) but is NOT a protection: never use it for real data. Cells of
tables outside the publication plan (default `lecteurs`, as `publish()` does) are `UNPLANNED`.
"""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
from sqlalchemy import Engine

from observatoire.domain.periods import month_range, months_of, period_level
from observatoire.domain.taxonomy import ALL_TYPES, load_taxonomy
from observatoire.domain.territories import FRANCE, load_territories
from observatoire.publication.dimensions import dep_id, reg_id
from observatoire.publication.plan import Plan, incident_level, load_plan, territory_level
from observatoire.publication.snapshot import PublicationMeta, PublishedCube
from observatoire.publication.stored import HIDDEN, UNPLANNED, encode_contributions, encode_cube
from observatoire.store.db import write_session
from observatoire.store.models import Publication

SURGE_DEPARTEMENT = "93"


def complete_periods(months: list[str]) -> list[str]:
    """Months, then the quarters and years whose every month is in `months`."""
    have = set(months)
    quarters = sorted({f"{m[:4]}-T{(int(m[5:]) - 1) // 3 + 1}" for m in months})
    years = sorted({m[:4] for m in months})
    out = list(months)
    out += [q for q in quarters if set(months_of(q)) <= have]
    out += [y for y in years if set(months_of(y)) <= have]
    return out


def build_cube(
    months: list[str], *, seed: int = 7, k: int = 11, per_month: int = 3000, hide: float = 0.04
) -> tuple[list[str], list[str], list[str], np.ndarray]:
    """(territory ids, incidents, periods, published values) of a plausible protected cube.

    The surge département gets three times its usual counts in the last quarter (alert tests).
    """
    rng = np.random.default_rng(seed)
    territories = load_territories()
    taxonomy = load_taxonomy()
    deps = list(territories.departements)
    types = list(taxonomy.type_codes)
    weights = np.array([d.population for d in deps], dtype=float)
    weights /= weights.sum()
    type_weights = rng.dirichlet(np.ones(len(types)) * 2)
    means = per_month * np.outer(weights, type_weights)  # dep × type
    raw = rng.poisson(means[:, :, None] * rng.uniform(0.7, 1.3, (1, 1, len(months))))
    surge = [i for i, d in enumerate(deps) if d.code == SURGE_DEPARTEMENT][0]
    raw[surge, :, -3:] *= 3

    periods = complete_periods(months)
    month_index = {m: i for i, m in enumerate(months)}
    period_cols = np.stack(
        [raw[:, :, [month_index[m] for m in months_of(p)]].sum(axis=2) for p in periods], axis=2
    )  # dep × type × period
    families = list(taxonomy.family_codes)
    family_of = {t.code: t.famille for t in taxonomy.types}
    incidents = [ALL_TYPES, *families, *types]
    by_incident = [period_cols.sum(axis=1)]
    by_incident += [
        period_cols[:, [j for j, c in enumerate(types) if family_of[c] == f], :].sum(axis=1)
        for f in families
    ]
    by_incident += [period_cols[:, j, :] for j in range(len(types))]
    dep_cube = np.stack(by_incident, axis=1)  # dep × incident × period

    dep_pos = {d.code: i for i, d in enumerate(deps)}
    ids = [FRANCE] + [reg_id(r.code) for r in territories.regions]
    rows = [dep_cube.sum(axis=0)]
    rows += [
        dep_cube[[dep_pos[c] for c in r.departements]].sum(axis=0) for r in territories.regions
    ]
    ids += [dep_id(d.code) for d in deps]
    cube = np.concatenate([np.stack(rows), dep_cube]).astype(np.int64)

    hidden = (cube >= 1) & (cube < k)
    extra = (cube > 0) & (rng.random(cube.shape) < hide)
    extra[ids.index(dep_id(SURGE_DEPARTEMENT)), 0, :] = False
    extra[0] = False  # national figures stay published, as with real data of this size
    cube[hidden | extra] = HIDDEN
    return ids, incidents, periods, cube


def apply_plan(
    plan: Plan, ids: list[str], incidents: list[str], periods: list[str], values: np.ndarray
) -> np.ndarray:
    """`values` (territory × incident × period) with `UNPLANNED` in cells outside `plan`."""
    families = load_taxonomy().family_codes
    t = np.array([territory_level(i) for i in ids])
    x = np.array([incident_level(i, families) for i in incidents])
    p = np.array([period_level(i) for i in periods])
    planned = np.zeros(values.shape, dtype=bool)
    for lt, lx, lp in plan.tables:
        planned |= (t == lt)[:, None, None] & (x == lx)[None, :, None] & (p == lp)[None, None, :]
    out = values.copy()
    out[~planned] = UNPLANNED
    return out


def store_publication(
    engine: Engine,
    months: list[str] | None = None,
    *,
    seed: int = 7,
    k: int = 11,
    synthetic: bool = True,
    plan: str = "lecteurs",
) -> int:
    """Write a fixture publication (default: 2023-01 to 2024-12, plan `lecteurs`); its id."""
    months = months or month_range("2023-01", "2024-12")
    ids, incidents, periods, values = build_cube(months, seed=seed, k=k)
    published_plan = load_plan(plan)
    values = apply_plan(published_plan, ids, incidents, periods, values)
    flat = values.reshape(-1)
    planned = flat != UNPLANNED
    with write_session(engine) as session:
        row = Publication(
            publiee_le=datetime(2025, 1, 15, 9, 30, tzinfo=UTC),
            type_publication="initiale",
            premier_mois=months[0],
            donnees_jusqu_a=months[-1],
            seuil=k,
            cellules=int(planned.sum()),
            cellules_secretes=int((flat == HIDDEN).sum()),
            associations=5,
            soumissions=42,
            synthetique=synthetic,
            taxonomie_version=load_taxonomy().version,
            plan_publication=published_plan.label,
            contenu=encode_cube(ids, incidents, periods, flat, plan=published_plan),
            valeurs_reelles=encode_contributions({}),
        )
        session.add(row)
        session.flush()
        return int(row.id or 0)


def prepare_published(database_url: str, plan: str = "lecteurs") -> int:
    """`running_api(prepare=...)` hook: a fixture publication in the API's fresh database."""
    from api.settings import ApiSettings
    from observatoire.store.db import make_engine

    settings = ApiSettings(environment="test", database_url=database_url)
    engine = make_engine(settings.effective_database_url, settings)
    try:
        return store_publication(engine, plan=plan)
    finally:
        engine.dispose()


def published_cube(
    pub_id: int, ids, incidents, periods, values, *, kind="mensuelle", plan: Plan | None = None
) -> PublishedCube:
    """A published cube from arrays (territory × incident × period; -1 hidden), with every
    table published unless `plan` is given (then `UNPLANNED` outside it)."""
    months = [p for p in periods if len(p) == 7 and "-T" not in p]
    meta = PublicationMeta(
        id=pub_id, publiee_le="2025-01-15T09:30:00+00:00", type_publication=kind,
        premier_mois=months[0], donnees_jusqu_a=months[-1], seuil=11,
        cellules=int(values.size), cellules_secretes=int((values == HIDDEN).sum()),
        associations=3, soumissions=9, synthetique=True, taxonomie_version=load_taxonomy().version,
    )  # fmt: skip
    if plan is None:
        return PublishedCube(meta, ids, incidents, periods, values.reshape(-1).copy())
    shaped = values.reshape(len(ids), len(incidents), len(periods))
    flat = apply_plan(plan, ids, incidents, periods, shaped).reshape(-1)
    return PublishedCube(meta, ids, incidents, periods, flat, plan)
