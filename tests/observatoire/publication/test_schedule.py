"""The publication schedule: what runs on which day, and what the calendar announces."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

from observatoire.publication.schedule import (
    Due,
    ScheduleState,
    due_on,
    french_date,
    monthly_date_of,
    next_of,
    upcoming,
)

DAYS = SimpleNamespace(publication_monthly_day=5, publication_consolidated_day=20)


def state(**kwargs) -> ScheduleState:
    base = {
        "published_up_to": "2026-09",
        "last_published_on": date(2026, 10, 5),
        "last_data_month": "2026-10",
    }
    return ScheduleState(**{**base, **kwargs})


def test_the_monthly_publication_adds_the_month_just_ended_from_its_day_on():
    assert due_on(date(2026, 11, 4), state(), DAYS) is None
    assert due_on(date(2026, 11, 5), state(), DAYS) == Due("mensuelle", "2026-10")
    # A scheduler stopped on the 5th catches up at its next check.
    assert due_on(date(2026, 11, 9), state(), DAYS) == Due("mensuelle", "2026-10")
    # Never the running month, and never past the data.
    assert due_on(date(2026, 11, 5), state(last_data_month="2026-09"), DAYS) is None


def test_the_first_publication_is_due_as_soon_as_there_is_data():
    fresh = ScheduleState(None, None, "2026-10")
    assert due_on(date(2026, 11, 6), fresh, DAYS) == Due("mensuelle", "2026-10")
    assert due_on(date(2026, 11, 6), ScheduleState(None, None, None), DAYS) is None


def test_the_consolidated_publication_runs_only_when_figures_wait():
    done = state(published_up_to="2026-10", last_published_on=date(2026, 11, 5))
    assert due_on(date(2026, 11, 20), done, DAYS) is None
    waiting = state(
        published_up_to="2026-10", last_published_on=date(2026, 11, 5), pending_months=("2026-08",)
    )
    assert due_on(date(2026, 11, 19), waiting, DAYS) is None
    assert due_on(date(2026, 11, 20), waiting, DAYS) == Due("consolidee", "2026-10")
    already = state(
        published_up_to="2026-10",
        last_published_on=date(2026, 11, 20),
        pending_months=("2026-08",),
    )
    assert due_on(date(2026, 11, 25), already, DAYS) is None


def test_the_calendar_lists_the_next_dates_in_order():
    dates = upcoming(date(2026, 11, 6), DAYS, 3)
    assert [(s.on, s.kind, s.up_to) for s in dates] == [
        (date(2026, 11, 20), "consolidee", "2026-10"),
        (date(2026, 12, 5), "mensuelle", "2026-11"),
        (date(2026, 12, 20), "consolidee", "2026-11"),
    ]
    assert next_of("mensuelle", date(2026, 12, 31), DAYS) == date(2027, 1, 5)
    assert monthly_date_of("2026-11", date(2026, 11, 30), DAYS) == date(2026, 12, 5)
    assert monthly_date_of("2026-09", date(2026, 11, 30), DAYS) == date(2026, 12, 5)
    assert french_date(date(2026, 12, 5)) == "5 décembre 2026"
