"""The only slices of a publication the public can read (no free ranges, no ad-hoc groupings)."""

from __future__ import annotations

from dataclasses import dataclass

from observatoire.domain.periods import PERIOD_LEVELS, period_level
from observatoire.domain.taxonomy import ALL_TYPES, Taxonomy
from observatoire.domain.territories import FRANCE, Territories
from observatoire.publication.dimensions import dep_id, reg_id
from observatoire.publication.planned import NotPublished, check_planned, latest_planned_period
from observatoire.publication.snapshot import PublishedCube


class SliceError(ValueError):
    """A request for a slice the publication does not contain (status 404) or malformed (422)."""

    def __init__(self, message: str, status: int = 422) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Row:
    """One published figure."""

    code: str
    nom: str
    valeur: int | None
    taux_100k: float | None

    @property
    def secret(self) -> bool:
        """Hidden cells are all shown the same way."""
        return self.valeur is None


def rate(value: int | None, population: int) -> float | None:
    """Reports per 100,000 inhabitants (None when the value is hidden)."""
    if value is None or population <= 0:
        return None
    return round(value * 100_000 / population, 2)


def default_period(
    cube: PublishedCube, territory: str = "departement", incidents: str | None = "tous"
) -> str:
    """The most recent year of the publication, else quarter, else month, among the steps its
    plan publishes for this territory level and incident level (None: any)."""
    if not cube.periods:
        raise SliceError("la publication ne contient aucune période", 404)
    return latest_planned_period(cube, territory, incidents)


def check_incident(cube: PublishedCube, taxonomy: Taxonomy, selector: str) -> str:
    """A type code, a family code or `tous`."""
    if selector != ALL_TYPES and selector not in taxonomy.family_codes + taxonomy.type_codes:
        raise SliceError(
            f"type « {selector} » inconnu : attendu un code de type, une famille "
            f"({', '.join(taxonomy.family_codes)}) ou « tous »"
        )
    if not cube.has_incident(selector):
        raise SliceError(f"type « {selector} » absent de cette publication", 404)
    return selector


def check_period(
    cube: PublishedCube,
    period: str | None,
    territory: str = "departement",
    incidents: str | None = "tous",
) -> str:
    """A period present in the publication (default: the most recent year the plan publishes
    for this territory and incident level)."""
    if period is None:
        return default_period(cube, territory, incidents)
    try:
        period_level(period)
    except ValueError as exc:
        raise SliceError(str(exc)) from exc
    if not cube.has_period(period):
        raise SliceError(
            f"période « {period} » absente de la publication {cube.meta.id} (données de "
            f"{cube.meta.premier_mois} à {cube.meta.donnees_jusqu_a} ; trimestres et années "
            "publiés seulement quand ils sont complets)",
            404,
        )
    return period


def territory_rows(territories: Territories, level: str) -> list[tuple[str, str, str, int]]:
    """(cube id, code, name, population) of every territory of a level."""
    if level == "departement":
        return [(dep_id(d.code), d.code, d.nom, d.population) for d in territories.departements]
    if level == "region":
        return [(reg_id(r.code), r.code, r.nom, r.population) for r in territories.regions]
    if level == "france":
        return [(FRANCE, FRANCE, "France", territories.population)]
    raise SliceError(f"niveau « {level} » inconnu : attendu departement, region ou france")


def resolve_territory(territories: Territories, level: str, code: str) -> tuple[str, str, int]:
    """(cube id, name, population) of one territory."""
    for tid, tcode, name, pop in territory_rows(territories, level):
        if tcode == code:
            return tid, name, pop
    raise SliceError(f"territoire « {code} » inconnu au niveau {level}", 404)


def by_territory(
    cube: PublishedCube, territories: Territories, level: str, incident: str, period: str
) -> list[Row]:
    """Every territory of a level, for one incident selector and one period (a planned table)."""
    rows = territory_rows(territories, level)
    check_planned(cube, level, incident, period_level(period))
    return [
        Row(code, name, v := cube.get(tid, incident, period), rate(v, pop))
        for tid, code, name, pop in rows
    ]


def series(
    cube: PublishedCube, territories: Territories, level: str, code: str, incident: str, step: str
) -> list[Row]:
    """One territory and incident selector over every period of a step (a planned table)."""
    if step not in PERIOD_LEVELS:
        raise SliceError(f"pas « {step} » inconnu : attendu mois, trimestre ou annee")
    tid, _name, pop = resolve_territory(territories, level, code)
    check_planned(cube, level, incident, step)
    periods = sorted(p for p in cube.periods if period_level(p) == step)
    return [Row(p, p, v := cube.get(tid, incident, p), rate(v, pop)) for p in periods]


def by_incident(
    cube: PublishedCube,
    territories: Territories,
    taxonomy: Taxonomy,
    level: str,
    code: str,
    period: str,
    lang: str = "fr",
) -> list[tuple[str, str, Row]]:
    """Every incident selector (tous, families, types) of the levels the plan publishes for
    one territory and period; `NotPublished` when it publishes none."""
    tid, _name, pop = resolve_territory(territories, level, code)
    step = period_level(period)
    out: list[tuple[str, str, Row]] = []
    selectors = [(ALL_TYPES, "tous", ALL_TYPES)]
    selectors += [(f.code, "famille", f.code) for f in taxonomy.families]
    selectors += [(t.code, "type", t.famille) for t in taxonomy.types]
    for sel, kind, family in selectors:
        if not cube.plan.includes(level, kind, step):
            continue
        v = cube.get(tid, sel, period)
        out.append((kind, family, Row(sel, taxonomy.label(sel, lang), v, rate(v, pop))))
    if not out:
        raise NotPublished(cube.plan, (level, "tous", step))
    return out


__all__ = [
    "NotPublished",
    "Row",
    "SliceError",
    "by_incident",
    "by_territory",
    "check_incident",
    "check_period",
    "default_period",
    "resolve_territory",
    "series",
]
