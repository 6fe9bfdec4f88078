"""Slices against the publication's plan: a slice of a table the plan does not publish is
refused with the tables that are published (never an empty answer, never a « secret » cell).

Every public reader of a publication (statistics, series, alerts, images, the open-data
package, the changes) asks here, so the rule lives in one place: `PublishedCube.plan`.
"""

from __future__ import annotations

from typing import Any

from observatoire.domain.periods import period_level
from observatoire.publication.plan import PERIOD_LEVELS, Plan, Table, describe
from observatoire.publication.snapshot import PublishedCube

TITLE = {"fr": "Non publié à ce niveau de détail", "en": "Not published at this level of detail"}
SLUG = "non-publie"


class NotPublished(ValueError):
    """A slice of a table outside the publication's plan (answered 404, « non publié »)."""

    status = 404

    def __init__(self, plan: Plan, requested: Table) -> None:
        self.plan = plan
        self.requested = requested
        same_level = plan.published_for(territory=requested[0])
        self.available = same_level or plan.ordered_tables()
        super().__init__(self.detail("fr"))

    def detail(self, lang: str = "fr") -> str:
        """The sentence naming the requested levels and what is published instead."""
        level = describe(self.requested[:1], lang)
        offered = " ; ".join(describe(t, lang) for t in self.available)
        if lang == "en":
            return (
                f"The table {describe(self.requested, 'en')} is not published (publication plan "
                f"{self.plan.label}). Published at {level} level: {offered}."
            )
        return (
            f"Le tableau {describe(self.requested)} n'est pas publié (plan de publication "
            f"{self.plan.label}). Publiés au niveau {level} : {offered}."
        )

    def extensions(self, lang: str = "fr") -> dict[str, Any]:
        """The problem document's own fields: the plan, the table asked for, those published."""
        return {
            "plan": self.plan.label,
            "demande": table_payload(self.requested, lang),
            "publies": [table_payload(t, lang) for t in self.available],
        }


def table_payload(table: Table, lang: str = "fr") -> dict[str, str]:
    """A table as JSON: its three levels and their words."""
    territory, incidents, period = table
    return {
        "territoire": territory,
        "incidents": incidents,
        "periode": period,
        "libelle": describe(table, lang),
    }


def check_planned(cube: PublishedCube, territory: str, incident: str, step: str) -> None:
    """Raise `NotPublished` unless the plan publishes this territory level, selector and step."""
    table = (territory, cube.incident_level(incident), step)
    if not cube.plan.includes(*table):
        raise NotPublished(cube.plan, table)


def planned_steps(cube: PublishedCube, territory: str, incidents: str | None) -> list[str]:
    """The steps (mois, trimestre, annee) published for a territory and incident level (None:
    any incident level)."""
    published = {t[2] for t in cube.plan.published_for(territory=territory, incidents=incidents)}
    return [s for s in PERIOD_LEVELS if s in published]


def latest_planned_period(cube: PublishedCube, territory: str, incidents: str | None) -> str:
    """The most recent year published for this table, else quarter, else month."""
    steps = planned_steps(cube, territory, incidents)
    for step in ("annee", "trimestre", "mois"):
        found = [p for p in cube.periods if period_level(p) == step]
        if step in steps and found:
            return max(found)
    raise NotPublished(cube.plan, (territory, incidents or "tous", "annee"))


__all__ = [
    "NotPublished",
    "check_planned",
    "latest_planned_period",
    "planned_steps",
    "table_payload",
]
