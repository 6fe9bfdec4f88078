"""The cells (département, mois, type) of a large batch as sortable integers.

Column by column, without one Python tuple per row: each distinct value gets its rank in
Python string order, and a cell its mixed-radix number, so that integer order is cell order
(the lock order of every writer) and two rows count the same cell exactly when their numbers
are equal.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

Cell = tuple[str, str, str]
_INT64_MAX = 2**63 - 1


def cell_keys(
    departement: Sequence[str], mois: Sequence[str], type_incident: Sequence[str]
) -> np.ndarray | None:
    """One int64 per row, ordered like the cells; None when the ranks would not fit in int64."""
    keys = np.zeros(len(departement), dtype=np.int64)
    radix = 1
    for column in (departement, mois, type_incident):
        distinct = sorted(set(column))
        radix *= max(len(distinct), 1)
        if radix > _INT64_MAX:
            return None
        rank = {value: i for i, value in enumerate(distinct)}
        keys *= len(distinct)
        keys += np.fromiter(map(rank.__getitem__, column), dtype=np.int64, count=len(column))
    return keys


def has_duplicate_cells(
    departement: Sequence[str], mois: Sequence[str], type_incident: Sequence[str]
) -> bool:
    """Whether two rows count the same (département, mois, type)."""
    keys = cell_keys(departement, mois, type_incident)
    if keys is None:
        return len(set(zip(departement, mois, type_incident, strict=True))) != len(departement)
    keys.sort()  # numpy's hash-based `unique` is several times slower here
    return bool((keys[1:] == keys[:-1]).any())


def cell_order(
    departement: Sequence[str], mois: Sequence[str], type_incident: Sequence[str]
) -> list[int]:
    """Row indices sorted by cell (Python string order; equal cells keep their row order)."""
    keys = cell_keys(departement, mois, type_incident)
    if keys is None:
        cells = list(zip(departement, mois, type_incident, strict=True))
        return sorted(range(len(cells)), key=cells.__getitem__)
    return np.argsort(keys, kind="stable").tolist()  # type: ignore[no-any-return]
