"""The three hierarchies of the publication cube, built from the reference data."""

from __future__ import annotations

from observatoire.disclosure import Dimension, periods_dimension, tree_dimension
from observatoire.domain.taxonomy import ALL_TYPES, Taxonomy
from observatoire.domain.territories import FRANCE, Territories

# Région and département codes overlap ("01" is Ain and Guadeloupe): cube ids carry the level.
DEP_PREFIX = "dep:"
REG_PREFIX = "reg:"
LEVELS = ("departement", "region", "france")


def dep_id(code: str) -> str:
    """Cube id of a département."""
    return DEP_PREFIX + code


def reg_id(code: str) -> str:
    """Cube id of a région."""
    return REG_PREFIX + code


def territory_dimension(territories: Territories) -> Dimension:
    """France → régions → départements."""
    parent: dict[str, str | None] = {FRANCE: None}
    for region in territories.regions:
        parent[reg_id(region.code)] = FRANCE
    for dep in territories.departements:
        parent[dep_id(dep.code)] = reg_id(dep.region_code)
    return tree_dimension(parent)


def incident_dimension(taxonomy: Taxonomy) -> Dimension:
    """All incidents → families → types."""
    parent: dict[str, str | None] = {ALL_TYPES: None}
    for family in taxonomy.families:
        parent[family.code] = ALL_TYPES
    for incident in taxonomy.types:
        parent[incident.code] = incident.famille
    return tree_dimension(parent)


def period_dimension(months: list[str]) -> Dimension:
    """Months, with quarters and years only when complete."""
    return periods_dimension(months)
