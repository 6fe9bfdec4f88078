"""When figures reach the public: the publication schedule, as plain functions.

Policy (`docs/calendrier-publication.md`):
- on day `publication_monthly_day` of each month (Europe/Paris), the **monthly** publication
  adds the month just ended (and any complete month not yet published);
- on day `publication_consolidated_day`, a **consolidated** publication, audited jointly with the
  earlier vintages, integrates late figures and corrections of months already published — only
  when some are waiting (a value of a published month changed after the last publication).
A scheduler that was stopped catches up at its next check: a publication due on an earlier day
of the month and not yet made is made then.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Literal, Protocol
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, func, select
from sqlmodel import col

from observatoire.domain.periods import current_month, month_str, parse_month, previous_month
from observatoire.store.db import read_session
from observatoire.store.models import CurrentCount, Publication, Revision

Kind = Literal["mensuelle", "consolidee"]


class ScheduleSettings(Protocol):
    """The two days of the schedule."""

    publication_monthly_day: int
    publication_consolidated_day: int


@dataclass(frozen=True)
class ScheduleState:
    """What the schedule depends on: the last publication and what waits since."""

    published_up_to: str | None  # last month covered by a publication
    last_published_on: date | None
    last_data_month: str | None  # latest month with any value
    pending_months: tuple[str, ...] = ()  # published months changed since the last publication


@dataclass(frozen=True)
class Due:
    """A publication to make: its kind and last month."""

    kind: Kind
    up_to: str


@dataclass(frozen=True)
class Scheduled:
    """A publication on the calendar."""

    on: date
    kind: Kind
    up_to: str


def due_on(today: date, state: ScheduleState, settings: ScheduleSettings) -> Due | None:
    """The publication to make on `today`, or None."""
    ended = previous_month(current_month(today))
    if today.day >= settings.publication_monthly_day and state.last_data_month:
        up_to = min(ended, state.last_data_month)
        if state.published_up_to is None or up_to > state.published_up_to:
            return Due("mensuelle", up_to)  # the first one is the initial publication
    if (
        today.day >= settings.publication_consolidated_day
        and state.pending_months
        and state.published_up_to is not None
        and (
            state.last_published_on is None
            or state.last_published_on < _day(today, settings.publication_consolidated_day)
        )
    ):
        return Due("consolidee", state.published_up_to)
    return None


def upcoming(today: date, settings: ScheduleSettings, count: int) -> list[Scheduled]:
    """The next `count` publications on the calendar from `today` on (a consolidated one only
    runs if figures wait for it)."""
    found: list[Scheduled] = []
    year, month = today.year, today.month
    while len(found) < count:
        first = date(year, month, 1)
        ended = previous_month(month_str(year, month))
        for day, kind in sorted(
            [
                (settings.publication_monthly_day, "mensuelle"),
                (settings.publication_consolidated_day, "consolidee"),
            ]
        ):
            on = first.replace(day=day)
            if on >= today and len(found) < count:
                found.append(Scheduled(on, kind, ended))  # type: ignore[arg-type]
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return found


def next_of(kind: Kind, today: date, settings: ScheduleSettings) -> date:
    """The next publication of `kind` on or after `today`."""
    return next(s.on for s in upcoming(today, settings, 4) if s.kind == kind)


def monthly_date_of(month: str, today: date, settings: ScheduleSettings) -> date:
    """When `month` enters the public figures: the monthly publication after it ends (or the
    next one, if that day has passed without it)."""
    year, number = parse_month(month)
    year, number = (year + 1, 1) if number == 12 else (year, number + 1)
    planned = date(year, number, settings.publication_monthly_day)
    return planned if planned >= today else next_of("mensuelle", today, settings)


def schedule_state(engine: Engine) -> ScheduleState:
    """The schedule's view of the database."""
    with read_session(engine) as session:
        last = session.execute(
            select(Publication).order_by(col(Publication.id).desc()).limit(1)
        ).scalar_one_or_none()
        last_data = session.execute(select(func.max(CurrentCount.mois))).scalar_one_or_none()
        pending: tuple[str, ...] = ()
        if last is not None:
            pending = tuple(
                session.execute(
                    select(Revision.mois)
                    .where(
                        col(Revision.mois) <= last.donnees_jusqu_a,
                        col(Revision.cree_le) > last.publiee_le,
                    )
                    .distinct()
                    .order_by(Revision.mois)
                ).scalars()
            )
    if last is None:
        return ScheduleState(None, None, last_data)
    return ScheduleState(last.donnees_jusqu_a, _paris_day(last.publiee_le), last_data, pending)


FRENCH_MONTHS = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
]


def french_date(day: date) -> str:
    """`5 novembre 2026`."""
    return f"{day.day} {FRENCH_MONTHS[day.month - 1]} {day.year}"


def _day(today: date, day: int) -> date:
    return today.replace(day=day)


def _paris_day(moment: datetime) -> date:
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(ZoneInfo("Europe/Paris")).date()
