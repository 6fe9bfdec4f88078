"""Alerts: départements whose latest period is unusually high against their own history.

The rule reads published cells only (a hidden cell is never used, not even as a bound; a cell
outside the publication plan reads as absent, and the API refuses a département × incident
level × step the plan does not publish before calling `detect`):

* **Window**: the latest period of the step (the latest complete quarter, or the latest
  month) and the `window` periods just before it (4 quarters, or 6 months).
* **Evaluable** only when every cell of the window and the latest one are published, and the
  median of the history is above zero (a first report in a département where nothing was
  reported before more likely reflects new coverage by an association than a surge).
* **Alert** when the latest value is at least `ratio` (1.5) times the median of the history
  **and** exceeds that median by at least `mad_factor` (2) times the median absolute
  deviation (MAD, floored at 1 so that a perfectly flat history still needs a real jump).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from statistics import median

from observatoire.domain.periods import period_level
from observatoire.publication.snapshot import PublishedCube

WINDOWS = {"trimestre": 4, "mois": 6}
RATIO = 1.5
MAD_FACTOR = 2.0
MAD_FLOOR = 1.0


@dataclass(frozen=True)
class Rule:
    """The parameters of the alert rule (echoed in every response)."""

    window: int
    ratio: float = RATIO
    mad_factor: float = MAD_FACTOR
    mad_floor: float = MAD_FLOOR


@dataclass(frozen=True)
class Assessment:
    """The verdict on one série: evaluable or not, alert or not, and the figures used."""

    evaluable: bool
    alert: bool = False
    latest: int | None = None
    median: float | None = None
    mad: float | None = None
    ratio: float | None = None
    history: list[int] = field(default_factory=list)


def rule_for(step: str) -> Rule:
    """The rule for a step (`trimestre` or `mois`)."""
    if step not in WINDOWS:
        raise ValueError(f"pas « {step} » inconnu : attendu trimestre ou mois")
    return Rule(window=WINDOWS[step])


def assess(values: Sequence[int | None], rule: Rule) -> Assessment:
    """Apply `rule` to a série whose last item is the latest period (None = hidden)."""
    if len(values) < rule.window + 1:
        return Assessment(evaluable=False)
    recent = list(values[-(rule.window + 1) :])
    if any(v is None for v in recent):
        return Assessment(evaluable=False)
    history = [int(v) for v in recent[:-1] if v is not None]
    latest = int(recent[-1])  # type: ignore[arg-type]
    centre = float(median(history))
    if centre <= 0:
        return Assessment(evaluable=False, latest=latest, history=history)
    mad = float(median(abs(v - centre) for v in history))
    alert = latest >= rule.ratio * centre and latest - centre >= rule.mad_factor * max(
        mad, rule.mad_floor
    )
    return Assessment(
        evaluable=True,
        alert=alert,
        latest=latest,
        median=centre,
        mad=mad,
        ratio=round(latest / centre, 2),
        history=history,
    )


@dataclass(frozen=True)
class Alert:
    """One flagged territory."""

    territory: str
    period: str
    assessment: Assessment
    history_periods: list[str]


@dataclass(frozen=True)
class AlertReport:
    """Every alert of a publication for one incident selector and step."""

    period: str | None
    rule: Rule
    alerts: list[Alert]
    evaluated: int
    not_evaluable: int


def step_periods(cube: PublishedCube, step: str) -> list[str]:
    """The publication's periods of one step, oldest first (complete ones only exist)."""
    return sorted(p for p in cube.periods if period_level(p) == step)


def detect(
    cube: PublishedCube, territories: Sequence[str], incident: str, step: str
) -> AlertReport:
    """Assess every territory id of `territories` on its latest `step` period."""
    rule = rule_for(step)
    periods = step_periods(cube, step)
    if len(periods) < rule.window + 1 or not cube.has_incident(incident):
        return AlertReport(periods[-1] if periods else None, rule, [], 0, len(territories))
    window = periods[-(rule.window + 1) :]
    alerts: list[Alert] = []
    evaluated = 0
    for territory in territories:
        if not cube.has_territory(territory):
            continue
        verdict = assess([cube.get(territory, incident, p) for p in window], rule)
        if verdict.evaluable:
            evaluated += 1
        if verdict.alert:
            alerts.append(Alert(territory, window[-1], verdict, window[:-1]))
    alerts.sort(key=lambda a: -(a.assessment.ratio or 0))
    return AlertReport(window[-1], rule, alerts, evaluated, len(territories) - evaluated)
