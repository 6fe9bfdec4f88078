"""The publication plan as the API states it (`GET /v1/publications/{id}`, field `plan`): which
tables (territory level × incident level × step) a publication publishes, so that selectors
offer only those. An answer without a plan (an older API) publishes every table."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

STEPS = ("annee", "trimestre", "mois")
KINDS = ("tous", "famille", "type")
Table = tuple[str, str, str]


def tables(pub: dict[str, Any]) -> set[Table] | None:
    """The publication's tables, or None when its answer names no plan (everything)."""
    plan = pub.get("plan")
    if not isinstance(plan, dict) or not isinstance(plan.get("tableaux"), list):
        return None
    return {(t["territoire"], t["incidents"], t["periode"]) for t in plan["tableaux"]}


def planned(pub: dict[str, Any], territory: str, kind: str, step: str) -> bool:
    """Whether the plan publishes this table."""
    published = tables(pub)
    return published is None or (territory, kind, step) in published


def kind_of(code: str, families: Iterable[str]) -> str:
    """`tous`, `famille` or `type`: the incident level of a selector."""
    if code == "tous":
        return "tous"
    return "famille" if code in set(families) else "type"


def steps_for(pub: dict[str, Any], territory: str, kind: str | None) -> list[str]:
    """The steps published for a territory level and incident level (None: any), which the
    publication has periods of; years first."""
    kinds = KINDS if kind is None else (kind,)
    return [
        s
        for s in STEPS
        if pub["periodes"].get(s) and any(planned(pub, territory, k, s) for k in kinds)
    ]


def kinds_for(pub: dict[str, Any], territory: str, steps: Iterable[str] = STEPS) -> list[str]:
    """The incident levels published for a territory level at one of `steps`."""
    return [k for k in KINDS if any(planned(pub, territory, k, s) for s in steps)]
