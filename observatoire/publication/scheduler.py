"""Run the publication due today, per the schedule (`schedule.due_on`): what the scheduler
(`observatoire planifier`) does at each check."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import Engine

from observatoire.publication.schedule import Due, due_on, schedule_state
from observatoire.publication.service import NothingToPublish, publish
from observatoire.settings import Settings
from observatoire.store.models import Publication

PARIS = ZoneInfo("Europe/Paris")


def paris_today() -> date:
    """Today on the schedule's calendar."""
    return datetime.now(PARIS).date()


def run_due_publication(
    engine: Engine, settings: Settings, today: date | None = None
) -> tuple[Due | None, Publication | None]:
    """(the publication due, the one made) — (None, None) when nothing is due; (due, None)
    when it turned out there was nothing to publish."""
    today = today or paris_today()
    due = due_on(today, schedule_state(engine), settings)
    if due is None:
        return None, None
    try:
        made = publish(
            engine,
            settings,
            up_to=due.up_to,
            consolidate=due.kind == "consolidee",
            today=today,
        )
    except NothingToPublish:
        return due, None
    return due, made
