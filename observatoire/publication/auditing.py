"""Re-audit a stored publication from its private true values and its published pattern."""

from __future__ import annotations

import time
from dataclasses import dataclass

from sqlalchemy import Engine
from sqlmodel import Session

from observatoire.disclosure import AuditReport, CellKey, Cube, audit
from observatoire.domain.periods import month_range
from observatoire.domain.taxonomy import load_taxonomy
from observatoire.domain.territories import load_territories
from observatoire.publication.protection import run_years, year_cubes
from observatoire.publication.service import latest_publication
from observatoire.publication.stored import (
    HIDDEN,
    UNPLANNED,
    decode_contributions,
    published_values,
)
from observatoire.settings import Settings
from observatoire.store.models import Publication


@dataclass(frozen=True)
class PublicationAudit:
    """An audit of one stored publication."""

    publication_id: int
    report: AuditReport
    hidden: int
    mismatched: int


def _audit_year(
    cube: Cube,
    hidden: set[CellKey],
    k: int,
    exact: bool,
    targets: set[CellKey] | None = None,
    maybe_zero: set[CellKey] = frozenset(),  # type: ignore[assignment]
    *,
    processes: int = 1,
) -> AuditReport:
    return audit(
        cube,
        hidden,
        k,
        exact=exact,
        processes=processes,
        targets=targets,
        maybe_zero=maybe_zero,
    )


def audit_publication(
    engine: Engine, settings: Settings, pub_id: int | None = None, *, exact: bool = True
) -> PublicationAudit:
    """Rebuild the cube of a publication and audit its hidden cells against every relation."""
    with Session(engine) as session:
        row = session.get(Publication, pub_id) if pub_id else latest_publication(session)
        if row is None:
            raise LookupError(
                f"publication {pub_id} introuvable" if pub_id else "aucune publication"
            )
        session.expunge(row)
    published = published_values(row.contenu)
    contributions = decode_contributions(row.valeurs_reelles)
    months = month_range(row.premier_mois, row.donnees_jusqu_a)
    territories, taxonomy = load_territories(settings.geodata_dir), load_taxonomy()
    hidden_total = mismatched = 0
    started = time.perf_counter()
    cubes = dict(year_cubes(contributions, territories, taxonomy, months))
    jobs: dict[str, tuple[Cube, set[CellKey], int, bool, set[CellKey], set[CellKey]]] = {}
    for year, cube in cubes.items():
        secret = {key for key in cube.cells if published[key] == HIDDEN}
        # Cells outside the plan are unknowns to the attacker, >= 0 (the « hidden >= 1 » rule
        # holds for published tables only, whose zeros are published); they need no witness.
        unknown = {key for key in cube.cells if published[key] == UNPLANNED}
        # A published value must equal the recomputed one: anything else is a corrupt snapshot.
        mismatched += sum(
            1
            for key in cube.cells
            if published[key] not in (HIDDEN, UNPLANNED) and published[key] != cube.value(key)
        )
        hidden_total += len(secret)
        jobs[year] = (cube, secret | unknown, row.seuil, exact, secret, unknown)
    # Years share no relation: auditing them one by one (in parallel processes when several
    # are large) is the same as auditing all at once.
    reports = list(run_years(_audit_year, jobs, cubes).values())
    merged = AuditReport(
        bounds={key: b for r in reports for key, b in r.bounds.items()},
        exposed=[key for r in reports for key in r.exposed],
        seconds=time.perf_counter() - started,
        exact=all(r.exact for r in reports),
        blocks=sum(r.blocks for r in reports),
        lp_solves=sum(r.lp_solves for r in reports),
    )
    return PublicationAudit(int(row.id or 0), merged, hidden_total, mismatched)
