"""The likely right value of a refused cell: « Paris » → `75`, « rdv indisponibles » → the
nearest incident type, « septembre 2026 » → `2026-09`, « 1 234 » → `1234`.

The file loader's readings (`observatoire.loading.normalise`) are the suggestions of the strict
JSON path, and near misses are found with difflib.
"""

from __future__ import annotations

import difflib
from functools import lru_cache
from typing import Any

from observatoire.domain.taxonomy import Taxonomy
from observatoire.domain.territories import Territories
from observatoire.loading.normalise import (
    CellError,
    departement_index,
    text_to_key,
    type_index,
    value_to_count,
    value_to_departement,
    value_to_month,
    value_to_type,
)

NEAR_DEPARTEMENT = 0.75
NEAR_TYPE = 0.6


def suggest(
    field: str | None, value: Any, territories: Territories, taxonomy: Taxonomy
) -> str | None:
    """The value the association probably meant for `field`, or None."""
    if value is None or isinstance(value, bool) or field is None:
        return None
    try:
        if field == "departement":
            return _departement(value, territories)
        if field == "type_incident":
            return _type(value, taxonomy)
        if field == "mois":
            month = value_to_month(value)
            return month if month != value else None
        if field == "nombre":
            number = value_to_count(value)
            return str(number) if str(number) != str(value) else None
    except CellError:
        return None
    return None


def _departement(value: Any, territories: Territories) -> str | None:
    try:
        code = value_to_departement(value, territories)
    except CellError:
        code = None
    if code is not None:
        return code if code != value else None
    index = departement_index(territories)
    names = _name_keys(territories)
    near = difflib.get_close_matches(text_to_key(value), list(names), n=1, cutoff=NEAR_DEPARTEMENT)
    if near and len(index.by_name.get(names[near[0]], ())) == 1:
        return next(iter(index.by_name[names[near[0]]]))
    return None


@lru_cache(maxsize=8)
def _name_keys(territories: Territories) -> dict[str, str]:
    """Normalised département name → the key of `DepartementIndex.by_name`."""
    index = departement_index(territories)
    return {text_to_key(name): name for name in index.by_name}


def _type(value: Any, taxonomy: Taxonomy) -> str | None:
    try:
        code = value_to_type(value, taxonomy)
        return code if code != value else None
    except CellError:
        pass
    index = type_index(taxonomy)
    near = difflib.get_close_matches(text_to_key(value), list(index), n=1, cutoff=NEAR_TYPE)
    return index[near[0]] if near else None
