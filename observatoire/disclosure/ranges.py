"""The range of each hidden cell seen in feasible solutions, and the test that it is safe.

A hidden cell is *safe* when the attacker, knowing every published cell and relation, can
neither pin it (two feasible solutions give it different integer values) nor keep it below
`k` (some feasible solution gives it at least `k`). Every witness found (a feasible solution:
the true values, a box, a slab or block LP optimum) widens the ranges; a cell whose range
passes the test is certified. Protection, audit, boxes, local and slab witnesses all read and
widen ranges through this module only, so they can never disagree on what « safe » means.
"""

from __future__ import annotations

import math
import sys
from dataclasses import dataclass

import numpy as np

from observatoire.disclosure.cube import BoolArray, FloatArray, IntArray

# LP solutions are floats: a value within EPS of an integer counts as that integer, so that
# HiGHS's feasibility tolerance (1e-7) never turns k - 1e-9 into « below k ».
EPS = 1e-6
UNBOUNDED = sys.maxsize  # reported maximum when nothing published bounds the cell


def safe_bounds(bottom: IntArray | int, top: IntArray | int, k: int) -> BoolArray:
    """Integer ranges [bottom, top] that reach k and hold more than one value."""
    return np.asarray((np.asarray(top) >= k) & (np.asarray(bottom) < np.asarray(top)), dtype=bool)


def integer_bounds(lo: float, hi: float, cap: float) -> tuple[int, int]:
    """The integer range of a float range; UNBOUNDED above when hi nears `cap` (see cap_for)."""
    top = UNBOUNDED if hi > cap / 2 else math.floor(hi + EPS)
    return math.ceil(lo - EPS), top


@dataclass
class Ranges:
    """Smallest and largest value of each cell seen in feasible solutions.

    Hiding more cells only relaxes the attacker's system, so a witness stays valid while the
    hidden set grows: protect() keeps one instance across its repair passes.
    """

    lo: FloatArray
    hi: FloatArray

    @classmethod
    def of_values(cls, values: IntArray) -> Ranges:
        """Start from the true values, which are always a feasible solution."""
        v = values.astype(np.float64)
        return cls(v.copy(), v.copy())

    def copy(self) -> Ranges:
        """An independent copy (for a search that runs apart and is merged back)."""
        return Ranges(self.lo.copy(), self.hi.copy())

    def part(self, idx: IntArray) -> Ranges:
        """A copy of the ranges of `idx`, indexed 0..len(idx)-1 (write it back with `put`)."""
        return Ranges(self.lo[idx].copy(), self.hi[idx].copy())

    def put(self, idx: IntArray, part: Ranges) -> None:
        """Write back the ranges of a `part(idx)`."""
        self.lo[idx], self.hi[idx] = part.lo, part.hi

    def reaches(self, idx: IntArray | int, k: int) -> BoolArray:
        """Cells for which some witness reaches k."""
        return np.asarray(np.floor(self.hi[idx] + EPS) >= k, dtype=bool)

    def safe(self, idx: IntArray, k: int) -> BoolArray:
        """Cells certified not pinned and able to reach k."""
        top = np.floor(self.hi[idx] + EPS)
        return safe_bounds(np.ceil(self.lo[idx] - EPS), top, k)

    def unsafe(self, cells: list[int], k: int) -> list[int]:
        """The cells (in order) that no witness found so far certifies."""
        if not cells:
            return []
        idx = np.array(cells, dtype=np.int64)
        return idx[~self.safe(idx, k)].tolist()

    def absorb(self, idx: IntArray, x: FloatArray) -> None:
        """Widen the ranges of `idx` with the values `x` of one feasible solution."""
        self.lo[idx] = np.minimum(self.lo[idx], x)
        self.hi[idx] = np.maximum(self.hi[idx], x)

    def merge(self, other: Ranges) -> None:
        """Widen with every witness another search found."""
        np.minimum(self.lo, other.lo, out=self.lo)
        np.maximum(self.hi, other.hi, out=self.hi)

    def record_box(self, values: IntArray, flat: IntArray, sign: IntArray, t: int) -> None:
        """Absorb the witness v + t D of one box (D is +1 on `flat[sign > 0]`, -1 on the rest)."""
        plus, minus = flat[sign > 0], flat[sign < 0]
        self.hi[plus] = np.maximum(self.hi[plus], values[plus] + t)
        self.lo[minus] = np.minimum(self.lo[minus], values[minus] - t)

    def integer_bounds(self, i: int, cap: float) -> tuple[int, int]:
        """The integer range of cell i (see `integer_bounds`)."""
        return integer_bounds(float(self.lo[i]), float(self.hi[i]), cap)
