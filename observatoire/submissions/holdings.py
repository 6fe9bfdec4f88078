"""What an association holds now, and the history of one of its cells (never another's)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, func, select
from sqlmodel import col

from observatoire.store.db import read_session
from observatoire.store.models import CurrentCount, Revision, Submission


@dataclass(frozen=True)
class HeldValue:
    """One current value of the association."""

    departement: str
    mois: str
    type_incident: str
    nombre: int
    modifie_le: datetime
    soumission_id: int


@dataclass(frozen=True)
class CellChange:
    """One change of a cell: who (key prefix, submission), when, why, and what."""

    le: datetime
    action: str  # creation | modification | retrait
    ancien_nombre: int | None
    nouveau_nombre: int | None
    cle: str | None
    soumission_id: int
    motif: str | None


@dataclass(frozen=True)
class Filters:
    """Optional filters on the held values."""

    mois: str | None = None
    departement: str | None = None
    type_incident: str | None = None


def held_values(
    engine: Engine,
    organisation_id: int,
    filters: Filters,
    *,
    offset: int = 0,
    limit: int | None = None,
) -> tuple[list[HeldValue], int]:
    """The organisation's current values (by month, département, type) and how many match."""
    where = [CurrentCount.organisation_id == organisation_id]
    for name in ("mois", "departement", "type_incident"):
        value = getattr(filters, name)
        if value is not None:
            where.append(getattr(CurrentCount, name) == value)
    with read_session(engine) as session:
        count = session.execute(
            select(func.count()).select_from(CurrentCount).where(*where)
        ).scalar_one()
        query = (
            select(
                CurrentCount.departement,
                CurrentCount.mois,
                CurrentCount.type_incident,
                CurrentCount.nombre,
                CurrentCount.modifie_le,
                CurrentCount.submission_id,
            )
            .where(*where)
            .order_by(
                col(CurrentCount.mois).desc(),
                col(CurrentCount.departement),
                col(CurrentCount.type_incident),
            )
            .offset(offset)
        )
        if limit is not None:
            query = query.limit(limit)
        return [HeldValue(*row) for row in session.execute(query).all()], count


def cell_history(
    engine: Engine, organisation_id: int, departement: str, mois: str, type_incident: str
) -> tuple[int | None, list[CellChange]] | None:
    """(current value or None, changes oldest first); None if the organisation never held it."""
    with read_session(engine) as session:
        rows = session.execute(
            select(Revision, Submission.motif, Submission.motif_retrait)
            .join(Submission, col(Submission.id) == col(Revision.submission_id))
            .where(
                Revision.organisation_id == organisation_id,
                Revision.departement == departement,
                Revision.mois == mois,
                Revision.type_incident == type_incident,
            )
            .order_by(col(Revision.id))
        ).all()
        if not rows:
            return None
        current = session.execute(
            select(CurrentCount.nombre).where(
                CurrentCount.organisation_id == organisation_id,
                CurrentCount.departement == departement,
                CurrentCount.mois == mois,
                CurrentCount.type_incident == type_incident,
            )
        ).scalar_one_or_none()
    changes = []
    for revision, motif, motif_retrait in rows:
        withdrawn = revision.action == "retrait"
        action = (
            "retrait"
            if withdrawn
            else ("creation" if revision.ancienne_valeur is None else "modification")
        )
        changes.append(
            CellChange(
                revision.cree_le,
                action,
                revision.ancienne_valeur,
                revision.nouvelle_valeur,
                revision.key_prefix,
                revision.submission_id,
                motif_retrait if withdrawn else motif,
            )
        )
    return current, changes
