"""An association's completeness calendar: month by month since its start, what it has sent,
what is missing, and when its figures reach the public (`observatoire.publication.schedule`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Engine, func, select

from observatoire.domain.periods import current_month, month_range
from observatoire.publication.schedule import (
    ScheduleSettings,
    french_date,
    monthly_date_of,
    next_of,
    schedule_state,
)
from observatoire.store.db import read_session
from observatoire.store.models import CurrentCount, Organisation, Publication, Revision


@dataclass(frozen=True)
class MonthStatus:
    """One month of the calendar."""

    mois: str
    statut: str  # envoye | manquant | en_cours
    cellules: int
    departements: int
    derniere_modification: datetime | None
    publication: dict[str, Any] | None


def completeness(
    engine: Engine, organisation_id: int, settings: ScheduleSettings, today: date
) -> tuple[str, list[MonthStatus], str | None]:
    """(start month, months oldest first, the message on when figures appear)."""
    running = current_month(today)
    with read_session(engine) as session:
        org = session.get(Organisation, organisation_id)
        assert org is not None
        held = {
            mois: (cells, deps)
            for mois, cells, deps in session.execute(
                select(
                    CurrentCount.mois,
                    func.count(),
                    func.count(func.distinct(CurrentCount.departement)),
                )
                .where(CurrentCount.organisation_id == organisation_id)
                .group_by(CurrentCount.mois)
            ).all()
        }
        changed = dict(
            session.execute(
                select(Revision.mois, func.max(Revision.cree_le))
                .where(Revision.organisation_id == organisation_id)
                .group_by(Revision.mois)
            ).all()
        )
        last_publication = session.execute(
            select(func.max(Publication.publiee_le))
        ).scalar_one_or_none()
    created = org.cree_le.strftime("%Y-%m")
    start = org.debut or min([created, *held, *changed]) if (held or changed) else org.debut
    start = min(start or created, running)
    state = schedule_state(engine)
    months = []
    for mois in month_range(start, running):
        cells, deps = held.get(mois, (0, 0))
        status = "en_cours" if mois == running else ("envoye" if cells else "manquant")
        when = changed.get(mois)
        publication = None
        if status != "en_cours" and when is not None:
            publication = _publication(mois, when, state, last_publication, settings, today)
        months.append(MonthStatus(mois, status, cells, deps, when, publication))
    return start, months, _message(months)


def _publication(
    mois: str,
    changed_at: datetime,
    state: Any,
    last_publication: datetime | None,
    settings: ScheduleSettings,
    today: date,
) -> dict[str, Any]:
    if state.published_up_to is None or mois > state.published_up_to:
        on = monthly_date_of(mois, today, settings)
        text = (
            f"vos chiffres de {mois} paraîtront dans la publication mensuelle du {french_date(on)}"
        )
        return {"type": "mensuelle", "date": on, "deja_publie": False, "message": text}
    if last_publication is not None and _aware(changed_at) > _aware(last_publication):
        on = next_of("consolidee", today, settings)
        text = f"votre correction paraîtra dans la publication consolidée du {french_date(on)}"
        return {"type": "consolidee", "date": on, "deja_publie": False, "message": text}
    on = state.last_published_on
    assert on is not None
    text = f"vos chiffres de {mois} sont publiés (publication du {french_date(on)})"
    return {"type": "publiee", "date": on, "deja_publie": True, "message": text}


def _message(months: list[MonthStatus]) -> str | None:
    pending = [m.publication for m in months if m.publication and not m.publication["deja_publie"]]
    for kind in ("consolidee", "mensuelle"):
        found = [p for p in pending if p["type"] == kind]
        if found:
            return str(found[-1]["message"] if kind == "mensuelle" else found[0]["message"])
    return None


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
