"""The tables of a whole publication: level × incident kind × time step, one row per cell."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from observatoire.domain.periods import period_level
from observatoire.domain.taxonomy import ALL_TYPES, Taxonomy
from observatoire.domain.territories import Territories
from observatoire.publication.plan import COMPLETE, Plan
from observatoire.publication.snapshot import PublishedCube
from observatoire.publication.views import rate, territory_rows

LEVELS = ("departement", "region", "france")
KINDS = ("type", "famille", "tous")
STEPS = ("mois", "trimestre", "annee")
LEVEL_ADJECTIVES = {
    "departement": "départementales",
    "region": "régionales",
    "france": "nationales",
}
# The CSV column naming the incident selector of a table (none for « tous »).
KIND_COLUMNS = {"type": "type_incident", "famille": "famille", "tous": None}


@dataclass(frozen=True)
class TableSpec:
    """One table of the package."""

    level: str
    kind: str
    step: str

    @property
    def name(self) -> str:
        """Resource name and file stem, e.g. `departement-type-mois`."""
        return f"{self.level}-{self.kind}-{self.step}"

    @property
    def columns(self) -> list[str]:
        """CSV header, in order."""
        selector = KIND_COLUMNS[self.kind]
        return [
            "publication",
            "code",
            "nom",
            *([selector] if selector else []),
            "periode",
            "valeur",
            "secret",
            "taux_100k",
        ]


def table_specs(plan: Plan = COMPLETE) -> list[TableSpec]:
    """The tables `plan` publishes (default: every table), in a stable order."""
    return [
        TableSpec(lv, kd, st)
        for lv in LEVELS
        for kd in KINDS
        for st in STEPS
        if plan.includes(lv, kd, st)
    ]


def selectors(cube: PublishedCube, taxonomy: Taxonomy, kind: str) -> list[str]:
    """Incident selectors of a kind that the publication contains, in taxonomy order."""
    if kind == "tous":
        codes: tuple[str, ...] = (ALL_TYPES,)
    elif kind == "famille":
        codes = taxonomy.family_codes
    else:
        codes = taxonomy.type_codes
    return [c for c in codes if cube.has_incident(c)]


def periods_of_step(cube: PublishedCube, step: str) -> list[str]:
    """The publication's periods of one step (months, complete quarters or years), sorted."""
    return sorted(p for p in cube.periods if period_level(p) == step)


def table_rows(
    cube: PublishedCube, territories: Territories, taxonomy: Taxonomy, spec: TableSpec
) -> Iterator[list[object]]:
    """Rows of one table; hidden cells have an empty value and `secret` true."""
    periods = periods_of_step(cube, spec.step)
    codes = selectors(cube, taxonomy, spec.kind)
    for tid, code, name, population in territory_rows(territories, spec.level):
        if not cube.has_territory(tid):
            continue
        for selector in codes:
            for period in periods:
                value = cube.get(tid, selector, period)
                yield [
                    cube.meta.id,
                    code,
                    name,
                    *([selector] if KIND_COLUMNS[spec.kind] else []),
                    period,
                    value,
                    value is None,
                    rate(value, population),
                ]
