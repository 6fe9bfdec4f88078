"""Reporting coverage: per month, how many associations reported, so that readers can tell a
rise in reports from a rise in reporting. Only months already published are shown."""

from __future__ import annotations

from sqlalchemy import Engine, func, select
from sqlmodel import col

from observatoire.store.db import read_session
from observatoire.store.models import CurrentCount, Publication


def reporting_coverage(engine: Engine) -> tuple[str | None, list[tuple[str, int]]]:
    """(last published month, [(month, associations that hold a value for it)] oldest first)."""
    with read_session(engine) as session:
        last = session.execute(
            select(Publication.premier_mois, Publication.donnees_jusqu_a)
            .order_by(col(Publication.id).desc())
            .limit(1)
        ).first()
        if last is None:
            return None, []
        first, up_to = last
        rows = session.execute(
            select(CurrentCount.mois, func.count(func.distinct(CurrentCount.organisation_id)))
            .where(col(CurrentCount.mois) >= first, col(CurrentCount.mois) <= up_to)
            .group_by(CurrentCount.mois)
            .order_by(CurrentCount.mois)
        ).all()
    return up_to, [(mois, int(n)) for mois, n in rows]
