"""Re-audit a stored publication from its private true values and its published pattern."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine
from sqlmodel import Session

from observatoire.disclosure import AuditReport, audit, build_cube
from observatoire.domain.periods import month_range
from observatoire.domain.taxonomy import load_taxonomy
from observatoire.domain.territories import load_territories
from observatoire.publication.dimensions import (
    incident_dimension,
    period_dimension,
    territory_dimension,
)
from observatoire.publication.service import (
    _decode_contributions,
    _published_values,
    latest_publication,
)
from observatoire.publication.snapshot import HIDDEN
from observatoire.settings import Settings
from observatoire.store.models import Publication


@dataclass(frozen=True)
class PublicationAudit:
    """An audit of one stored publication."""

    publication_id: int
    report: AuditReport
    hidden: int
    mismatched: int


def audit_publication(
    engine: Engine, settings: Settings, pub_id: int | None = None
) -> PublicationAudit:
    """Rebuild the cube of a publication and audit its hidden cells against every relation."""
    with Session(engine) as session:
        row = session.get(Publication, pub_id) if pub_id else latest_publication(session)
        if row is None:
            raise LookupError(
                f"publication {pub_id} introuvable" if pub_id else "aucune publication"
            )
        session.expunge(row)
    cube = build_cube(
        _decode_contributions(row.valeurs_reelles),
        territory_dimension(load_territories(settings.geodata_dir)),
        incident_dimension(load_taxonomy()),
        period_dimension(month_range(row.premier_mois, row.donnees_jusqu_a)),
    )
    published = _published_values(row.contenu)
    hidden = {key for key, v in published.items() if v == HIDDEN}
    # A published value must equal the recomputed one: anything else is a corrupt snapshot.
    mismatched = sum(1 for key, v in published.items() if v != HIDDEN and v != cube.value(key))
    report = audit(cube, hidden, row.seuil)
    return PublicationAudit(int(row.id or 0), report, len(hidden), mismatched)
