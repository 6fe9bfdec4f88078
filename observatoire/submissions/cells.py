"""The cells (département, mois, type) of a large batch as sortable integers.

Column by column, without one Python tuple per row: each distinct value gets its rank in
Python string order (`Coded`), and a cell its mixed-radix number, so that integer order is
cell order (the lock order of every writer) and two rows count the same cell exactly when
their numbers are equal.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

Cell = tuple[str, str, str]
_INT64_MAX = 2**63 - 1


@dataclass(frozen=True)
class Coded:
    """A text column as its distinct values in Python string order and, for each row, the
    index of its value among them."""

    values: list[str]
    codes: np.ndarray  # int64, one per row

    @classmethod
    def of(cls, column: Sequence[str]) -> Coded:
        """Code `column`."""
        values = sorted(set(column))
        rank = {value: i for i, value in enumerate(values)}
        codes = np.fromiter(map(rank.__getitem__, column), dtype=np.int64, count=len(column))
        return cls(values, codes)


CodedCells = tuple[Coded, Coded, Coded]


def code_cells(
    departement: Sequence[str], mois: Sequence[str], type_incident: Sequence[str]
) -> CodedCells:
    """The three columns of a batch's cells, coded."""
    return Coded.of(departement), Coded.of(mois), Coded.of(type_incident)


def cell_keys(coded: CodedCells) -> np.ndarray | None:
    """One int64 per row, ordered like the cells; None when the ranks would not fit in int64."""
    keys = np.zeros(len(coded[0].codes), dtype=np.int64)
    radix = 1
    for column in coded:
        radix *= max(len(column.values), 1)
        if radix > _INT64_MAX:
            return None
        keys *= len(column.values)
        keys += column.codes
    return keys


def has_duplicate_cells(coded: CodedCells) -> bool:
    """Whether two rows count the same (département, mois, type)."""
    keys = cell_keys(coded)
    if keys is None:
        cells = set(zip(*(_decoded(column) for column in coded), strict=True))
        return len(cells) != len(coded[0].codes)
    keys.sort()  # numpy's hash-based `unique` is several times slower here
    return bool((keys[1:] == keys[:-1]).any())


def cell_order(coded: CodedCells) -> list[int]:
    """Row indices sorted by cell (Python string order; equal cells keep their row order)."""
    keys = cell_keys(coded)
    if keys is None:
        # Ranks compare like the values they stand for.
        cells = list(zip(*(column.codes.tolist() for column in coded), strict=True))
        return sorted(range(len(cells)), key=cells.__getitem__)
    return np.argsort(keys, kind="stable").tolist()  # type: ignore[no-any-return]


def _decoded(column: Coded) -> list[str]:
    return [column.values[i] for i in column.codes.tolist()]
